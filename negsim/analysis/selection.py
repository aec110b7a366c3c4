"""Which equilibrium to expect: welfare, payoff dominance, risk dominance, correlated equilibria.

:func:`rank_equilibria` compares the Nash equilibria of a solved game the way Harsanyi and
Selten (1988, *A General Theory of Equilibrium Selection in Games*) do before their tracing
procedure: by *payoff dominance* (an equilibrium better for everyone than every other one is
the natural focal point) and by *risk dominance* (the equilibrium whose players lose most by
deviating from it, measured by the product of the deviation losses, is the safer bet when
each party is unsure what the other will do). :func:`correlated_equilibria` finds, by linear
programming, the correlated equilibria (Aumann 1974) that a mediator could recommend: the
one with the highest total payoff and each party's favourite.

>>> from negsim.game.normal_form import NormalFormGame
>>> from negsim.solvers import solve
>>> stag_hunt = NormalFormGame.from_matrices([[5, 0], [4, 2]], [[5, 4], [0, 2]],
...                                          strategies=[["Stag", "Hare"]] * 2)
>>> ranking = rank_equilibria(solve(stag_hunt))
>>> ranking.label(ranking.payoff_dominant), ranking.label(ranking.risk_dominant)
('(Stag, Stag)', '(Hare, Hare)')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.errors import GameError, SolverError
from negsim.game.normal_form import NormalFormGame
from negsim.report.words import join_words, number, percent
from negsim.solvers.result import Equilibrium, SolveResult

__all__ = [
    "MAX_CONSTRAINT_ENTRIES",
    "MAX_PROFILES",
    "CorrelatedEquilibrium",
    "CorrelatedResult",
    "EquilibriumRank",
    "Ranking",
    "RiskComparison",
    "correlated_equilibria",
    "incentive_violation",
    "probability_words",
    "profile_words",
    "rank_equilibria",
    "strategy_words",
]

#: :func:`correlated_equilibria` refuses games with more pure profiles than this.
MAX_PROFILES = 200_000

#: ... and games whose incentive constraints have more non-zero coefficients than this
#: (``profiles x sum(n_i - 1)``; a 400 x 400 game has 51 million).
MAX_CONSTRAINT_ENTRIES = 10_000_000

#: Feasibility and optimality tolerances passed to HiGHS, on payoffs rescaled to [0, 1].
LP_TOLERANCE = 1e-10

#: Reduced costs and duals above this (on rescaled payoffs) mark the face of optimal solutions.
FACE_TOLERANCE = 1e-9

#: Probabilities at or below this are dropped from a correlated equilibrium (then renormalised).
PROBABILITY_FLOOR = 1e-12


def _round(value: float) -> float:
    return float(round(float(value), 12)) + 0.0


def profile_words(game: NormalFormGame, profile: Sequence[int]) -> str:
    """A pure profile as strategy names in parentheses: ``(Stag, Hare)``."""
    return "(" + ", ".join(game.profile_label(profile)) + ")"


def _pure_profile(equilibrium: Equilibrium) -> tuple[int, ...] | None:
    if not equilibrium.is_pure:
        return None
    return tuple(support[0] for support in equilibrium.supports)


def strategy_words(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> str:
    """A profile of mixes in words: ``(Stag, Stag)`` when pure, ``(Stag 66.7%/Hare 33.3%, ...)`` when not.

    Examples
    --------
    >>> game = NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=[["L", "R"]] * 2)
    >>> strategy_words(game, [np.array([1.0, 0.0]), np.array([0.25, 0.75])])
    '(L, R 75%/L 25%)'
    """
    parts = []
    for labels, mix in zip(game.strategies, strategies):
        used = [int(k) for k in np.argsort(-np.asarray(mix), kind="stable") if mix[k] > 0]
        parts.append(
            labels[used[0]] if len(used) == 1 else "/".join(f"{labels[k]} {percent(mix[k])}" for k in used)
        )
    return "(" + ", ".join(parts) + ")"


def _payoff_words(values: Sequence[float]) -> str:
    return "(" + ", ".join(number(v) for v in values) + ")"


@dataclass(frozen=True)
class EquilibriumRank:
    """How one equilibrium compares with the others.

    Attributes
    ----------
    index
        Position of the equilibrium in the solve result (its number in reports is ``index + 1``).
    label
        The equilibrium in words: strategy names, with percentages when mixed.
    profile
        The strategy indices when the equilibrium is pure, else None.
    payoffs
        Each player's expected payoff.
    welfare
        The sum of the payoffs.
    welfare_rank
        1 for the highest welfare; equal welfare (within tolerance) shares a rank.
    dominated_by
        Indices of the equilibria that Pareto-dominate this one (at least as good for everyone,
        better for someone).
    payoff_dominant
        Whether it Pareto-dominates every other equilibrium that pays differently.
    strict
        Whether it is a strict pure equilibrium (every unilateral deviation loses); only
        strict equilibria are compared by risk.
    risk_dominant
        Whether it risk-dominates every other strict pure equilibrium (two-player games).
    """

    index: int
    label: str
    profile: tuple[int, ...] | None
    payoffs: tuple[float, ...]
    welfare: float
    welfare_rank: int
    dominated_by: tuple[int, ...]
    payoff_dominant: bool
    strict: bool
    risk_dominant: bool


@dataclass(frozen=True)
class RiskComparison:
    """Risk dominance between two strict pure equilibria of a two-player game (Harsanyi-Selten).

    The two equilibria ``(r1, c1)`` and ``(r2, c2)`` span the 2x2 subgame with rows ``r1, r2``
    and columns ``c1, c2``. At ``(r1, c1)`` the row player loses ``A[r1, c1] - A[r2, c1]`` by
    switching to the other row and the column player ``B[r1, c1] - B[r1, c2]``; the
    equilibrium with the larger product of the two losses risk-dominates the other. For a 2x2
    game this is the criterion ``(a11 - a21)(b11 - b12)`` against ``(a22 - a12)(b22 - b21)``.

    Attributes
    ----------
    first, second
        Indices of the two equilibria in the solve result.
    first_losses, second_losses
        The (row player, column player) deviation losses at each.
    tolerance
        Products closer than this count as equal.
    """

    first: int
    second: int
    first_losses: tuple[float, float]
    second_losses: tuple[float, float]
    tolerance: float

    @property
    def first_product(self) -> float:
        """Product of the deviation losses at the first equilibrium."""
        return self.first_losses[0] * self.first_losses[1]

    @property
    def second_product(self) -> float:
        """Product of the deviation losses at the second equilibrium."""
        return self.second_losses[0] * self.second_losses[1]

    @property
    def winner(self) -> int | None:
        """The index of the risk-dominant one of the two, or None when the products tie."""
        difference = self.first_product - self.second_product
        if abs(difference) <= self.tolerance:
            return None
        return self.first if difference > 0 else self.second

    @property
    def loser(self) -> int | None:
        """The index of the risk-dominated one of the two, or None when the products tie."""
        winner = self.winner
        return None if winner is None else self.second if winner == self.first else self.first


@dataclass(frozen=True, eq=False)
class Ranking:
    """The equilibria of a game compared by welfare, payoff dominance and risk dominance.

    Attributes
    ----------
    game
        The game.
    entries
        One :class:`EquilibriumRank` per equilibrium, in the solve result's order.
    risk
        Every pairwise risk comparison between strict pure equilibria (two-player games).
    complete
        Whether the solve result held every equilibrium; if not, dominance is among those found.
    tolerance
        The absolute payoff tolerance of the comparisons (the solve result's).
    notes
        Plain-words remarks on what was and was not compared.
    """

    game: NormalFormGame
    entries: tuple[EquilibriumRank, ...]
    risk: tuple[RiskComparison, ...]
    complete: bool
    tolerance: float
    notes: tuple[str, ...] = ()

    def label(self, index: int | None) -> str:
        """The words for equilibrium ``index`` (``"none"`` for None)."""
        return "none" if index is None else self.entries[index].label

    @property
    def payoff_dominant(self) -> int | None:
        """Index of the payoff-dominant equilibrium (the first, if several pay the same), or None."""
        return next((e.index for e in self.entries if e.payoff_dominant), None)

    @property
    def risk_dominant(self) -> int | None:
        """Index of the equilibrium that risk-dominates every other strict one, or None."""
        return next((e.index for e in self.entries if e.risk_dominant), None)

    def by_welfare(self) -> list[EquilibriumRank]:
        """The entries from the highest welfare to the lowest (stable for ties)."""
        return sorted(self.entries, key=lambda e: e.welfare_rank)

    def sentences(self) -> list[str]:
        """The comparison in plain words.

        Examples
        --------
        >>> from negsim.solvers import solve
        >>> bos = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]], ["Ann", "Bob"],
        ...                                    [["Opera", "Match"]] * 2)
        >>> for sentence in rank_equilibria(solve(bos)).sentences():
        ...     print(sentence)
        Highest total payoff: (Opera, Opera) and (Match, Match), 5 each.
        No equilibrium is payoff-dominant: none is at least as good for everyone as all the others.
        (Opera 60%/Match 40%, Match 60%/Opera 40%) is Pareto-dominated by (Opera, Opera) and (Match, Match).
        Neither (Opera, Opera) nor (Match, Match) risk-dominates the other: the two players' losses from \
deviating multiply to 6 at both.
        """
        if not self.entries:
            return ["No equilibrium to compare."]
        if len(self.entries) == 1:
            return [f"{self.entries[0].label} is the only equilibrium found; there is nothing to select."]
        return [self._welfare_sentence(), *self._payoff_sentences(), *self._risk_sentences()]

    def _welfare_sentence(self) -> str:
        best = [e for e in self.entries if e.welfare_rank == 1]
        if len(best) == 1:
            return f"Highest total payoff: {best[0].label}, {number(best[0].welfare)}."
        return f"Highest total payoff: {join_words([e.label for e in best])}, {number(best[0].welfare)} each."

    def _payoff_sentences(self) -> list[str]:
        leader = self.payoff_dominant
        if leader is None and not any(e.dominated_by for e in self.entries):
            payoffs = np.array([e.payoffs for e in self.entries])
            if np.all(np.ptp(payoffs, axis=0) <= self.tolerance):
                return [f"Every equilibrium pays the same, {_payoff_words(self.entries[0].payoffs)}."]
        if leader is None:
            result = [
                "No equilibrium is payoff-dominant: none is at least as good for everyone as all the others."
            ]
            for entry in self.entries:
                if entry.dominated_by:
                    names = join_words([self.entries[k].label for k in entry.dominated_by])
                    result.append(f"{entry.label} is Pareto-dominated by {names}.")
            return result
        top = self.entries[leader]
        worse = [e for e in self.entries if leader in e.dominated_by]
        same = [e.label for e in self.entries if e.index != leader and leader not in e.dominated_by]
        gaps = np.array([top.payoffs]) - np.array([e.payoffs for e in worse])
        if np.all(gaps > self.tolerance):
            how = "better for everyone than"
        else:
            how = "at least as good for everyone as, and better for someone than,"
        sentence = f"{top.label} is payoff-dominant: {how} {join_words([e.label for e in worse])}"
        if same:
            sentence += f" ({join_words(same)} {'pays' if len(same) == 1 else 'pay'} the same)"
        return [sentence + "."]

    def _risk_sentences(self) -> list[str]:
        leader = self.risk_dominant
        if leader is not None and len(self.risk) == 1:
            pair = self.risk[0]
            won, lost = _products(pair, leader)
            other = pair.second if leader == pair.first else pair.first
            return [
                f"{self.label(leader)} is risk-dominant: the two players' losses from deviating multiply to "
                f"{won} there, against {lost} at {self.label(other)}, so it is the safer bet when each "
                "party is unsure what the other will do."
            ]
        result = []
        if leader is not None:
            result.append(
                f"{self.label(leader)} is risk-dominant: it risk-dominates every other strict equilibrium "
                "(compared pairwise, in the 2x2 game each pair spans)."
            )
        for pair in self.risk:
            winner, loser = pair.winner, pair.loser
            if winner is None:
                result.append(
                    f"Neither {self.label(pair.first)} nor {self.label(pair.second)} risk-dominates the "
                    f"other: the two players' losses from deviating multiply to {number(pair.first_product)} "
                    "at both."
                )
            elif leader is None:
                won, lost = _products(pair, winner)
                result.append(
                    f"{self.label(winner)} risk-dominates {self.label(loser)}: the two players' losses from "
                    f"deviating multiply to {won} at the first, against {lost} at the second."
                )
        return result

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready object; equilibria are referred to by number (index + 1), as in reports.

        Keys: ``equilibria`` (one object per equilibrium: ``number``, ``label``, ``profile``
        (player -> strategy, or null when mixed), ``payoffs`` (player -> value), ``welfare``,
        ``welfare_rank``, ``pareto_dominated_by`` (numbers), ``payoff_dominant``, ``strict``,
        ``risk_dominant``), ``payoff_dominant`` and ``risk_dominant`` (a number or null),
        ``risk`` (one object per pair: ``first``, ``second``, ``first_losses``,
        ``second_losses``, ``first_product``, ``second_product``, ``winner`` (number or null)),
        ``complete``, ``tolerance``, ``sentences``, ``notes``.

        Examples
        --------
        >>> from negsim.solvers import solve
        >>> stag_hunt = NormalFormGame.from_matrices([[5, 0], [4, 2]], [[5, 4], [0, 2]])
        >>> document = rank_equilibria(solve(stag_hunt)).to_json()
        >>> document["payoff_dominant"], document["risk_dominant"], document["risk"][0]["winner"]
        (1, 2, 2)
        """
        game = self.game

        def number_of(index: int | None) -> int | None:
            return None if index is None else index + 1

        return {
            "equilibria": [
                {
                    "number": e.index + 1,
                    "label": e.label,
                    "profile": None
                    if e.profile is None
                    else dict(zip(game.players, game.profile_label(e.profile))),
                    "payoffs": {p: _round(v) for p, v in zip(game.players, e.payoffs)},
                    "welfare": _round(e.welfare),
                    "welfare_rank": e.welfare_rank,
                    "pareto_dominated_by": [k + 1 for k in e.dominated_by],
                    "payoff_dominant": e.payoff_dominant,
                    "strict": e.strict,
                    "risk_dominant": e.risk_dominant,
                }
                for e in self.entries
            ],
            "payoff_dominant": number_of(self.payoff_dominant),
            "risk_dominant": number_of(self.risk_dominant),
            "risk": [
                {
                    "first": pair.first + 1,
                    "second": pair.second + 1,
                    "first_losses": [_round(v) for v in pair.first_losses],
                    "second_losses": [_round(v) for v in pair.second_losses],
                    "first_product": _round(pair.first_product),
                    "second_product": _round(pair.second_product),
                    "winner": number_of(pair.winner),
                }
                for pair in self.risk
            ],
            "complete": self.complete,
            "tolerance": self.tolerance,
            "sentences": self.sentences(),
            "notes": list(self.notes),
        }


def _products(pair: RiskComparison, winner: int) -> tuple[str, str]:
    """The winner's and the loser's loss products in words, e.g. ``('4 (2 x 2)', '1 (1 x 1)')``."""
    losses = [pair.first_losses, pair.second_losses]
    if winner != pair.first:
        losses.reverse()
    return _product_words(losses[0]), _product_words(losses[1])


def _product_words(losses: tuple[float, float]) -> str:
    row, column = losses
    return f"{number(row * column)} ({number(row)} x {number(column)})"


def rank_equilibria(result: SolveResult) -> Ranking:
    """Compare the equilibria of a solved game by welfare, payoff dominance and risk dominance.

    * **Welfare** is the sum of the players' payoffs.
    * An equilibrium is **Pareto-dominated** by another equilibrium that is at least as good for
      every player and better for one (beyond the result's tolerance); it is
      **payoff-dominant** (Harsanyi and Selten 1988) when it Pareto-dominates every other
      equilibrium that pays differently.
    * **Risk dominance** (Harsanyi and Selten 1988, for two players) compares two strict pure
      equilibria: in a 2x2 game with equilibria ``(1, 1)`` and ``(2, 2)``, the first
      risk-dominates when ``(a11 - a21)(b11 - b12) > (a22 - a12)(b22 - b21)``. In larger games
      every two strict pure equilibria are compared in the 2x2 game their strategies span
      (see :class:`RiskComparison`); an equilibrium that wins every comparison is
      risk-dominant. Pairwise risk dominance need not be transitive, and it is not the full
      Harsanyi-Selten tracing procedure. It is invariant to adding a constant to a player's
      payoffs against a fixed choice of the other, and to rescaling a player's payoffs.

    Parameters
    ----------
    result
        A solve result; only its equilibria are compared (say so when it is not complete).

    Examples
    --------
    >>> from negsim.solvers import solve
    >>> stag_hunt = NormalFormGame.from_matrices([[5, 0], [4, 2]], [[5, 4], [0, 2]],
    ...                                          strategies=[["Stag", "Hare"]] * 2)
    >>> ranking = rank_equilibria(solve(stag_hunt))
    >>> for e in ranking.entries:
    ...     print(e.label, round(e.welfare, 3), e.dominated_by)
    (Stag, Stag) 10.0 ()
    (Hare, Hare) 4.0 (0, 2)
    (Stag 66.7%/Hare 33.3%, Stag 66.7%/Hare 33.3%) 6.667 (0,)
    >>> for sentence in ranking.sentences()[1:]:
    ...     print(sentence)  # doctest: +NORMALIZE_WHITESPACE
    (Stag, Stag) is payoff-dominant: better for everyone than (Hare, Hare) and
    (Stag 66.7%/Hare 33.3%, Stag 66.7%/Hare 33.3%).
    (Hare, Hare) is risk-dominant: the two players' losses from deviating multiply to 4 (2 x 2) there,
    against 1 (1 x 1) at (Stag, Stag), so it is the safer bet when each party is unsure what the
    other will do.
    """
    game = result.game
    tol = result.tolerance
    equilibria = result.equilibria
    payoffs = np.array([e.payoffs for e in equilibria], dtype=np.float64).reshape(
        len(equilibria), game.n_players
    )
    welfare = payoffs.sum(axis=1)
    notes: list[str] = []
    if not result.complete:
        notes.append(
            "the equilibrium search was not exhaustive: the comparisons are among the equilibria found only"
        )

    at_least = np.all(payoffs[:, None, :] >= payoffs[None, :, :] - tol, axis=2)  # [a, b]: a >= b for all
    better = np.any(payoffs[:, None, :] > payoffs[None, :, :] + tol, axis=2)  # [a, b]: a > b for someone
    dominates = at_least & better
    same = at_least & at_least.T
    payoff_dominant = [
        bool(np.all(dominates[a] | same[a]) and np.any(dominates[a])) for a in range(len(equilibria))
    ]

    profiles = [_pure_profile(e) for e in equilibria]
    strict = [p is not None and _is_strict(game, p, tol) for p in profiles]
    risk: list[RiskComparison] = []
    if game.n_players == 2:
        scale_tol = 2 * tol * game.payoff_scale()
        candidates = [(k, p) for k, p in enumerate(profiles) if p is not None and strict[k]]
        for i, first in enumerate(candidates):
            for second in candidates[i + 1 :]:
                risk.append(_risk_pair(game, first, second, scale_tol))
    elif sum(strict) > 1:
        notes.append("risk dominance is compared for two-player games only")
    risk_dominant = [False] * len(equilibria)
    if risk:
        for k in range(len(equilibria)):
            involved = [pair for pair in risk if k in (pair.first, pair.second)]
            risk_dominant[k] = bool(involved) and all(pair.winner == k for pair in involved)

    order = np.argsort(-welfare, kind="stable")
    ranks = np.empty(len(equilibria), dtype=int)
    rank = 0
    for position, k in enumerate(order):
        if position == 0 or welfare[order[position - 1]] - welfare[k] > tol * game.n_players:
            rank = position + 1
        ranks[k] = rank

    entries = tuple(
        EquilibriumRank(
            index=k,
            label=strategy_words(game, equilibria[k].strategies),
            profile=profiles[k],
            payoffs=tuple(float(v) for v in payoffs[k]),
            welfare=float(welfare[k]),
            welfare_rank=int(ranks[k]),
            dominated_by=tuple(int(a) for a in np.flatnonzero(dominates[:, k])),
            payoff_dominant=payoff_dominant[k],
            strict=strict[k],
            risk_dominant=risk_dominant[k],
        )
        for k in range(len(equilibria))
    )
    return Ranking(game, entries, tuple(risk), result.complete, tol, tuple(notes))


def _is_strict(game: NormalFormGame, profile: tuple[int, ...], tol: float) -> bool:
    """Whether every unilateral deviation from a pure profile loses more than ``tol``."""
    for player in range(game.n_players):
        index: list[Any] = list(profile)
        index[player] = slice(None)
        own = game.payoffs[tuple(index)][:, player]
        others = np.delete(own, profile[player])
        if others.size and not np.all(own[profile[player]] - others > tol):
            return False
    return True


def _risk_pair(
    game: NormalFormGame, first: tuple[int, tuple[int, ...]], second: tuple[int, tuple[int, ...]], tol: float
) -> RiskComparison:
    """Compare two strict pure equilibria, given as (index, profile), in the 2x2 game they span."""
    a, b = game.matrices()
    (r1, c1), (r2, c2) = first[1], second[1]
    first_losses = (float(a[r1, c1] - a[r2, c1]), float(b[r1, c1] - b[r1, c2]))
    second_losses = (float(a[r2, c2] - a[r1, c2]), float(b[r2, c2] - b[r2, c1]))
    return RiskComparison(first[0], second[0], first_losses, second_losses, tol)


# --- correlated equilibria ------------------------------------------------------------------------


def probability_words(probability: float) -> str:
    """A probability as a simple fraction when it is one (denominator up to 64), else 3 digits.

    Examples
    --------
    >>> probability_words(0.375), probability_words(1.0), probability_words(0.123456)
    ('3/8', '1', '0.123')
    """
    fraction = Fraction(probability).limit_denominator(64)
    if abs(float(fraction) - probability) <= 1e-9:
        return str(fraction)
    return f"{probability:.3g}"


def incentive_violation(game: NormalFormGame, distribution: np.ndarray) -> float:
    """The most any player gains by disobeying a recommendation drawn from ``distribution``.

    ``distribution`` has the game's shape (a probability for every pure profile). Player ``i``
    told to play ``s`` gains ``sum_o p(s, o) [u_i(t, o) - u_i(s, o)]`` (unnormalised, summed over
    the others' profiles ``o``) by playing ``t`` instead; the distribution is a correlated
    equilibrium when no such gain is positive. Returns the largest gain, or 0.

    Examples
    --------
    >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> incentive_violation(chicken, np.array([[1, 1], [1, 0]]) / 3)
    0.0
    >>> round(incentive_violation(chicken, np.array([[1.0, 0.0], [0.0, 0.0]])), 12)
    1.0
    """
    p = np.asarray(distribution, dtype=np.float64)
    if p.shape != game.shape:
        raise GameError(f"incentive_violation: distribution has shape {p.shape}, the game {game.shape}")
    worst = 0.0
    for player, n in enumerate(game.shape):
        weights = np.moveaxis(p, player, 0).reshape(n, -1)
        utility = np.moveaxis(game.payoffs[..., player], player, 0).reshape(n, -1)
        gains = weights @ utility.T - (weights * utility).sum(axis=1)[:, None]  # [s, t]
        worst = max(worst, float(gains.max()))
    return worst


@dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium:
    """A verified correlated equilibrium: a distribution over pure profiles nobody wants to disobey.

    Attributes
    ----------
    objective
        ``"welfare"`` or the name of the player whose payoff it maximises.
    profiles
        The profiles recommended with positive probability (strategy indices), most likely first.
    probabilities
        Their probabilities (above 1e-12, adding up to 1).
    payoffs
        Each player's expected payoff.
    max_violation
        The most any player gains by disobeying a recommendation (see :func:`incentive_violation`).
    """

    game: NormalFormGame
    objective: str
    profiles: tuple[tuple[int, ...], ...]
    probabilities: tuple[float, ...]
    payoffs: tuple[float, ...]
    max_violation: float

    @property
    def welfare(self) -> float:
        """Sum of the expected payoffs."""
        return float(sum(self.payoffs))

    def distribution(self) -> np.ndarray:
        """The probabilities as an array of the game's shape."""
        table = np.zeros(self.game.shape)
        for profile, probability in zip(self.profiles, self.probabilities):
            table[profile] = probability
        return table

    def sentence(self) -> str:
        """The equilibrium as a mediator's recommendation, in plain words.

        Examples
        --------
        >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]],
        ...                                        strategies=[["C", "D"]] * 2)
        >>> print(correlated_equilibria(chicken).welfare.sentence())  # doctest: +NORMALIZE_WHITESPACE
        A mediator recommending (C, C), (C, D) and (D, C) with probabilities 1/2, 1/4 and 1/4,
        telling each party only its own part, gives the highest total payoff: it pays (5.25, 5.25)
        to Player 1 and Player 2, and no party gains by disobeying.
        """
        game = self.game
        goal = (
            "gives the highest total payoff"
            if self.objective == "welfare"
            else f"is best for {self.objective}"
        )
        profiles = join_words([profile_words(game, p) for p in self.profiles])
        if len(self.profiles) == 1:
            recommendation = f"A mediator recommending {profiles} for sure"
        else:
            chances = join_words([probability_words(p) for p in self.probabilities])
            recommendation = (
                f"A mediator recommending {profiles} with probabilities {chances}, telling each party only "
                "its own part,"
            )
        everyone = join_words(list(game.players))
        return (
            f"{recommendation} {goal}: it pays {_payoff_words(self.payoffs)} to {everyone}, "
            "and no party gains by disobeying."
        )

    def to_json(self) -> dict[str, Any]:
        """``objective``, ``distribution`` (a list of ``{"profile": {player: strategy},
        "probability": p}``), ``payoffs`` (player -> value), ``welfare``, ``max_violation``,
        ``description``."""
        game = self.game
        return {
            "objective": self.objective,
            "distribution": [
                {"profile": dict(zip(game.players, game.profile_label(profile))), "probability": _round(p)}
                for profile, p in zip(self.profiles, self.probabilities)
            ],
            "payoffs": {player: _round(v) for player, v in zip(game.players, self.payoffs)},
            "welfare": _round(self.welfare),
            "max_violation": self.max_violation,
            "description": self.sentence(),
        }


@dataclass(frozen=True, eq=False)
class CorrelatedResult:
    """The welfare-maximising correlated equilibrium and each player's favourite one.

    Attributes
    ----------
    game
        The game.
    welfare
        The correlated equilibrium with the highest sum of payoffs.
    best_for
        For each player (in the game's order), a correlated equilibrium that maximises that
        player's payoff (among those, one with the highest total payoff).
    tolerance
        The absolute tolerance every reported equilibrium's ``max_violation`` satisfies.
    """

    game: NormalFormGame
    welfare: CorrelatedEquilibrium
    best_for: tuple[CorrelatedEquilibrium, ...]
    tolerance: float

    def sentences(self) -> list[str]:
        """The welfare-maximising equilibrium's sentence, then each player's best one."""
        return [self.welfare.sentence(), *(e.sentence() for e in self.best_for)]

    def to_json(self) -> dict[str, Any]:
        """``players``, ``welfare_maximising`` and ``best_for`` (player -> equilibrium), each as
        :meth:`CorrelatedEquilibrium.to_json`; ``tolerance``; ``sentences``.

        Examples
        --------
        >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]])
        >>> document = correlated_equilibria(chicken).to_json()
        >>> [d["probability"] for d in document["welfare_maximising"]["distribution"]]
        [0.5, 0.25, 0.25]
        >>> document["best_for"]["Player 1"]["payoffs"]
        {'Player 1': 7.0, 'Player 2': 2.0}
        """
        return {
            "players": list(self.game.players),
            "welfare_maximising": self.welfare.to_json(),
            "best_for": {player: e.to_json() for player, e in zip(self.game.players, self.best_for)},
            "tolerance": self.tolerance,
            "sentences": self.sentences(),
        }


def correlated_equilibria(game: NormalFormGame, *, tol: float = 1e-9) -> CorrelatedResult:
    """Correlated equilibria (Aumann 1974) by linear programming: the best overall and for each player.

    A correlated equilibrium is a probability ``p`` over pure profiles such that, when a
    mediator draws a profile from ``p`` and tells each player only its own strategy, nobody
    gains by disobeying: for every player ``i`` and strategies ``s, t`` of ``i``,
    ``sum_o p(s, o) [u_i(t, o) - u_i(s, o)] <= 0``. These constraints are linear, so the
    correlated equilibrium maximising total payoff, and the one maximising each player's
    payoff (ties broken by total payoff, in a second program), are linear programs, solved
    with HiGHS through :func:`scipy.optimize.linprog`. Every Nash equilibrium is a
    correlated equilibrium, so the best total is at least that of every Nash equilibrium.
    Works for any number of players.

    Parameters
    ----------
    game
        The game; at most :data:`MAX_PROFILES` pure profiles and
        :data:`MAX_CONSTRAINT_ENTRIES` non-zero constraint coefficients.
    tol
        The largest gain from disobeying accepted, relative to the game's payoff scale.

    Raises
    ------
    GameError
        If the game is too large.
    SolverError
        If HiGHS fails, or a solution fails the check (only with ``tol`` near rounding error).

    Examples
    --------
    >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> result = correlated_equilibria(chicken)
    >>> [round(p, 12) for p in result.welfare.probabilities], result.welfare.payoffs
    ([0.5, 0.25, 0.25], (5.25, 5.25))
    """
    if not (math.isfinite(tol) and tol >= 0):
        raise SolverError(f"correlated_equilibria: the tolerance must be a finite number >= 0, got {tol!r}")
    profiles = game.n_profiles
    if profiles > MAX_PROFILES:
        raise GameError(
            f"correlated_equilibria: the game has {profiles:,} pure profiles; the linear program has one "
            f"variable per profile and is limited to {MAX_PROFILES:,}"
        )
    entries = profiles * sum(n - 1 for n in game.shape)
    if entries > MAX_CONSTRAINT_ENTRIES:
        raise GameError(
            f"correlated_equilibria: the incentive constraints of a {'x'.join(map(str, game.shape))} game "
            f"have {entries:,} coefficients; the limit is {MAX_CONSTRAINT_ENTRIES:,}"
        )
    utilities = game.payoffs.reshape(profiles, game.n_players)
    scale = game.payoff_scale()
    abs_tol = tol * scale
    a_ub = _incentive_constraints(game)
    welfare_cost = -utilities.sum(axis=1) / scale

    welfare = _verified(game, "welfare", _solve_lp(welfare_cost, a_ub).x, abs_tol)
    best: list[CorrelatedEquilibrium] = []
    for player, name in enumerate(game.players):
        own = -utilities[:, player] / scale
        first = _solve_lp(own, a_ub)
        # second program: the best total on the face of solutions optimal for the player, found by
        # complementary slackness (profiles with a positive reduced cost stay unused, constraints
        # with a non-zero dual stay tight); its vertices are vertices of the first program's.
        unused = first.lower.marginals > FACE_TOLERANCE
        tight = np.abs(first.ineqlin.marginals) > FACE_TOLERANCE
        try:
            second = _solve_lp(welfare_cost, a_ub, unused=unused, tight=tight).x
        except SolverError:
            second = first.x
        if own @ second > own @ first.x + LP_TOLERANCE:  # the face was guessed too large
            second = first.x
        best.append(_verified(game, name, second, abs_tol))
    return CorrelatedResult(game, welfare, tuple(best), abs_tol)


def _incentive_constraints(game: NormalFormGame) -> Any:
    """Sparse matrix of the incentive constraints on payoffs rescaled to [0, 1] per player.

    One row per player ``i`` and ordered pair ``s != t`` of its strategies, one column per
    profile (C order): ``row . p <= 0`` says that ``i`` told ``s`` does not gain by playing ``t``.
    """
    from scipy import sparse

    flat = np.arange(game.n_profiles).reshape(game.shape)
    rows, columns, values = [], [], []
    row = 0
    for player, n in enumerate(game.shape):
        utility = game.payoffs[..., player]
        spread = float(np.ptp(utility))
        utility = (utility - utility.min()) / (spread if spread > 0 else 1.0)
        utility = np.moveaxis(utility, player, 0).reshape(n, -1)
        index = np.moveaxis(flat, player, 0).reshape(n, -1)
        for s in range(n):
            gains = np.delete(utility, s, axis=0) - utility[s]  # [t, o] for every t != s
            t, o = np.nonzero(gains)
            rows.append(row + t)
            columns.append(index[s, o])
            values.append(gains[t, o])
            row += n - 1
    return sparse.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
        shape=(row, game.n_profiles),
    )


def _solve_lp(
    cost: np.ndarray, a_ub: Any, *, unused: np.ndarray | None = None, tight: np.ndarray | None = None
) -> Any:
    """Minimise ``cost . p`` over distributions ``p`` with ``a_ub p <= 0``; HiGHS's result.

    ``unused`` marks profiles whose probability is fixed at 0, ``tight`` rows of ``a_ub`` that
    must hold with equality.
    """
    from scipy import sparse
    from scipy.optimize import linprog  # imported here: slow to import, rarely needed

    size = cost.size
    a_eq = sparse.csr_matrix(np.ones((1, size)))
    if tight is not None and tight.any():
        a_eq = sparse.vstack([a_eq, a_ub[np.flatnonzero(tight)]]).tocsr()
        a_ub = a_ub[np.flatnonzero(~tight)]
    b_eq = np.zeros(a_eq.shape[0])
    b_eq[0] = 1.0
    bounds = np.zeros((size, 2))
    bounds[:, 1] = np.inf
    if unused is not None:
        bounds[unused, 1] = 0.0
    options = {"primal_feasibility_tolerance": LP_TOLERANCE, "dual_feasibility_tolerance": LP_TOLERANCE}
    result = linprog(
        cost,
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=np.zeros(a_ub.shape[0]) if a_ub.shape[0] else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
        options=options,
    )
    if result.status != 0:
        raise SolverError(f"correlated_equilibria: the linear program failed ({result.message})")
    return result


def _verified(
    game: NormalFormGame, objective: str, solution: np.ndarray, tol: float
) -> CorrelatedEquilibrium:
    """Drop probabilities <= 1e-12, renormalise, check the incentive constraints."""
    p = np.where(solution > PROBABILITY_FLOOR, solution, 0.0)
    p = p / p.sum()
    table = p.reshape(game.shape)
    violation = incentive_violation(game, table)
    if violation > tol:
        raise SolverError(
            f"correlated_equilibria: the solution maximising {objective} fails the incentive check "
            f"(a gain of {violation:.3g} from disobeying, above the tolerance {tol:.3g})"
        )
    order = [int(k) for k in np.argsort(-p, kind="stable") if p[k] > 0]
    payoffs = p @ game.payoffs.reshape(-1, game.n_players)
    return CorrelatedEquilibrium(
        game=game,
        objective=objective,
        profiles=tuple(tuple(int(i) for i in np.unravel_index(k, game.shape)) for k in order),
        probabilities=tuple(float(p[k]) for k in order),
        payoffs=tuple(float(v) for v in payoffs),
        max_violation=violation,
    )
