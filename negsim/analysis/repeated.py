"""Self-enforcing agreements: when does repetition make a cooperative outcome stable?

An agreement that is not an equilibrium of the one-shot game can still hold when the game is
played round after round: every party keeps it as long as everyone has, and after any breach
all parties switch to a punishment for ever (*grim trigger*, Friedman 1971). Party ``i`` with
discount factor ``delta`` (the weight of the next round relative to this one) keeps the
agreement when ``c_i / (1 - delta) >= b_i + delta p_i / (1 - delta)``, where ``c_i`` is its
payoff under the agreement, ``b_i`` its best payoff from breaking it for one round and ``p_i``
its payoff in every round of the punishment. So the agreement holds for ``delta`` at least
``delta_i* = (b_i - c_i) / (b_i - p_i)``, and for no ``delta < 1`` when the punishment does not
hurt (``p_i >= c_i``) while breaking pays (``b_i > c_i``).

Reverting to a Nash equilibrium of the one-shot game is a credible punishment: nobody gains by
leaving it, so the threat is carried out (the strategies form a subgame-perfect equilibrium).
A harsher punishment that is not an equilibrium (``war``) may deter more, but is a threat the
punishers may not carry out.

>>> from negsim.game.normal_form import NormalFormGame
>>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], ["Ann", "Bob"],
...                                   [["cooperate", "defect"]] * 2)
>>> result = sustainability(pd, (0, 0))
>>> result.critical, [p.critical for p in result.players]
(0.5, [0.5, 0.5])
>>> print(result.sentences()[0])  # doctest: +NORMALIZE_WHITESPACE
The agreement (cooperate, cooperate) holds under grim trigger if every party's discount factor is
at least 0.5; Ann is the binding constraint: switching to defect gains it 2 now, but the reversion
to (defect, defect) costs it 2 per round.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.analysis.selection import strategy_words
from negsim.errors import SolverError, UsageError
from negsim.game.normal_form import NormalFormGame
from negsim.game.profile import pure_strategy_payoffs, regrets
from negsim.report.words import join_words, number
from negsim.solvers.result import DEFAULT_TOLERANCE

__all__ = [
    "DiscountSweep",
    "PlayerCondition",
    "PunishmentOption",
    "Sustainability",
    "critical_discount_over",
    "discount_words",
    "sustainability",
]

#: A strategy given by index or by name.
StrategyRef = int | str


def _round(value: float) -> float:
    return float(round(float(value), 12)) + 0.0


def _discount(value: float) -> float | None:
    """A critical discount factor for JSON: None when no discount factor below 1 works."""
    return None if math.isinf(value) else _round(value)


@dataclass(frozen=True)
class PlayerCondition:
    """What keeping the agreement is worth to one player, and the discount factor it needs.

    Attributes
    ----------
    player
        The player's index.
    cooperative
        Its payoff per round under the agreement (``c_i``).
    deviation
        Its best payoff from breaking the agreement for one round while the others keep it (``b_i``).
    best_deviation
        The strategy that earns ``deviation``, or None when breaking the agreement gains nothing.
    punishment
        The most it can earn per round while everyone punishes (``p_i``): its payoff in the
        punishment when that is a stage equilibrium, its best reply to the others' punishment
        otherwise.
    critical
        The smallest discount factor at which it keeps the agreement: 0 when breaking it gains
        nothing, ``inf`` when no discount factor below 1 is enough.
    """

    player: int
    cooperative: float
    deviation: float
    best_deviation: int | None
    punishment: float
    critical: float

    @property
    def gain(self) -> float:
        """The one-round gain from breaking the agreement (``b_i - c_i``)."""
        return self.deviation - self.cooperative

    @property
    def loss_per_round(self) -> float:
        """What the punishment costs it per round, against the agreement (``c_i - p_i``)."""
        return self.cooperative - self.punishment

    @property
    def sustainable(self) -> bool:
        """Whether some discount factor below 1 makes it keep the agreement."""
        return self.critical < 1


@dataclass(frozen=True, eq=False)
class PunishmentOption:
    """One punishment (a profile played for ever after a breach) and what it achieves.

    Attributes
    ----------
    strategies
        One probability vector per player (read-only).
    label
        The punishment in words (an outcome name, or strategy names).
    is_equilibrium
        Whether the punishment is a Nash equilibrium of the stage game (a credible threat).
    players
        One :class:`PlayerCondition` per player.
    """

    strategies: tuple[np.ndarray, ...]
    label: str
    is_equilibrium: bool
    players: tuple[PlayerCondition, ...]

    @property
    def critical(self) -> float:
        """The largest critical discount factor of any player (``inf``: never sustainable)."""
        return max(p.critical for p in self.players)

    @property
    def binding(self) -> int | None:
        """The player with the largest critical discount factor; None when nobody gains by deviating."""
        if self.critical <= 0:
            return None
        return int(np.argmax([p.critical for p in self.players]))


@dataclass(frozen=True, eq=False)
class Sustainability:
    """Whether a cooperative profile is self-enforcing under grim trigger, and for which discount factors.

    Attributes
    ----------
    game
        The stage game.
    cooperative
        The agreement: a pure profile (strategy indices).
    agreement
        The agreement in words.
    chosen
        The punishment used: the one given, or the stage equilibrium with the lowest binding
        critical discount factor.
    alternatives
        The other stage equilibria considered as punishments (empty when one was given).
    given
        Whether the punishment was given by the caller.
    tolerance
        The absolute payoff tolerance: gains up to it count as no gain.
    notes
        Remarks on how the punishment was chosen and how far to trust it.
    """

    game: NormalFormGame
    cooperative: tuple[int, ...]
    agreement: str
    chosen: PunishmentOption
    alternatives: tuple[PunishmentOption, ...]
    given: bool
    tolerance: float
    notes: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[PlayerCondition, ...]:
        """Each player's condition under the chosen punishment."""
        return self.chosen.players

    @property
    def critical(self) -> float:
        """The discount factor every party needs at least (``inf`` when none below 1 works)."""
        return self.chosen.critical

    @property
    def binding(self) -> int | None:
        """The player whose condition is the hardest to meet, or None when nobody gains by deviating."""
        return self.chosen.binding

    @property
    def sustainable(self) -> bool:
        """Whether some common discount factor below 1 sustains the agreement."""
        return self.critical < 1

    def holds(self, discount: float | Sequence[float]) -> bool:
        """Whether the agreement holds with this discount factor (one for all, or one per player).

        Examples
        --------
        >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> result = sustainability(pd, (0, 0))
        >>> result.holds(0.5), result.holds(0.49), result.holds([0.9, 0.4])
        (True, False, False)
        """
        try:
            factors = np.broadcast_to(np.asarray(discount, dtype=np.float64), (self.game.n_players,))
        except ValueError:
            raise UsageError(
                f"holds: give one discount factor or one per player ({self.game.n_players}); got {discount!r}"
            ) from None
        if not np.all((factors >= 0) & (factors < 1)):
            raise UsageError(f"holds: discount factors must be at least 0 and below 1; got {discount!r}")
        return all(p.critical <= f for p, f in zip(self.players, factors))

    def sentences(self) -> list[str]:
        """The result in plain words: the threshold and the binding party first, then each other party.

        Examples
        --------
        >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                   strategies=[["C", "D"]] * 2)
        >>> for sentence in sustainability(pd, (1, 1)).sentences():
        ...     print(sentence)
        The agreement (D, D) is itself an equilibrium of the one-shot game: no party gains by breaking \
it, so it holds whatever the discount factors.
        """
        game = self.game
        chosen = self.chosen
        agreement = self.agreement[:1].upper() + self.agreement[1:]
        punishment = chosen.label
        result = []
        binding = chosen.binding
        if binding is None:
            result.append(
                f"{agreement} is itself an equilibrium of the one-shot game: no party gains by breaking it, "
                "so it holds whatever the discount factors."
            )
        elif self.sustainable:
            result.append(
                f"{agreement} holds under grim trigger if every party's discount factor is at least "
                f"{discount_words(self.critical)}; {game.players[binding]} is the binding constraint: "
                + self._reason(self.players[binding])
                + "."
            )
        else:
            never = [p for p in self.players if not p.sustainable]
            result.append(
                f"{agreement} cannot be sustained by grim trigger with reversion to {punishment} for any "
                "discount factor below 1: "
                + "; ".join(
                    f"{game.players[p.player]} gains {number(p.gain)} by switching to "
                    f"{self._deviation(p)}, and the punishment does not "
                    f"hurt it ({number(p.punishment)} per round there against {number(p.cooperative)} "
                    "under the agreement)"
                    for p in never
                )
                + "."
            )
        if binding is not None:
            for condition in self.players:
                name = game.players[condition.player]
                if condition.player == binding or not condition.sustainable:
                    continue
                if condition.critical == 0:
                    result.append(f"{name} gains nothing by breaking the agreement.")
                else:
                    result.append(
                        f"{name} needs a discount factor of at least {discount_words(condition.critical)}: "
                        + self._reason(condition)
                        + "."
                    )
            result.extend(self._punishment_sentences())
        return result

    def _deviation(self, condition: PlayerCondition) -> str:
        """The name of the player's best deviation (only asked for when deviating gains something)."""
        assert condition.best_deviation is not None
        return self.game.strategies[condition.player][condition.best_deviation]

    def _reason(self, condition: PlayerCondition) -> str:
        return (
            f"switching to {self._deviation(condition)} gains it {number(condition.gain)} now, but the "
            f"reversion to {self.chosen.label} costs it {number(condition.loss_per_round)} per round"
        )

    def _punishment_sentences(self) -> list[str]:
        chosen = self.chosen
        if self.given and chosen.is_equilibrium:
            return [
                f"The punishment {chosen.label} is an equilibrium of the one-shot game: a credible threat."
            ]
        if self.given:
            gains = regrets(self.game, chosen.strategies)
            who = join_words([self.game.players[i] for i in np.flatnonzero(gains > self.tolerance)])
            return [
                f"The punishment {chosen.label} is not an equilibrium of the one-shot game: {who} "
                "would gain by abandoning it, so the threat to revert to it may itself not be credible; "
                "a party that breaks the agreement is counted as earning its best reply to the others' "
                "punishment."
            ]
        if not self.sustainable:
            return (
                ["Reverting to any other stage equilibrium found does not help either."]
                if self.alternatives
                else []
            )
        text = f"The punishment is reversion to {chosen.label}, a stage equilibrium and so a credible threat"
        if self.alternatives:
            others = [f"{o.label} {_needs(o.critical)}" for o in self.alternatives]
            text += (
                f"; of the stage equilibria found it needs the lowest discount factor ({join_words(others)})"
            )
        return [text + "."]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready object.

        Keys: ``agreement`` (``label``, ``profile``: player -> strategy), ``punishment``
        (``label``, ``strategies``: player -> {strategy: probability},
        ``equilibrium``, ``given``, ``critical_discount``), ``critical_discount`` (null when no
        discount factor below 1 works), ``sustainable``, ``binding`` (a player or null),
        ``players`` (one object per player: ``player``, ``cooperative``, ``deviation``,
        ``best_deviation`` (a strategy or null), ``punishment``, ``gain``, ``loss_per_round``,
        ``critical_discount``, ``sustainable``), ``alternatives`` (other punishments, as
        ``punishment``), ``tolerance``, ``sentences``, ``notes``.

        Examples
        --------
        >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> document = sustainability(pd, (0, 0)).to_json()
        >>> document["critical_discount"], document["binding"], document["punishment"]["strategies"]
        (0.5, 'Player 1', {'Player 1': {'2': 1.0}, 'Player 2': {'2': 1.0}})
        """
        game = self.game
        binding = self.binding
        return {
            "agreement": {
                "label": self.agreement,
                "profile": dict(zip(game.players, game.profile_label(self.cooperative))),
            },
            "punishment": self._option_json(self.chosen),
            "critical_discount": _discount(self.critical),
            "sustainable": self.sustainable,
            "binding": None if binding is None else game.players[binding],
            "players": [
                {
                    "player": game.players[p.player],
                    "cooperative": _round(p.cooperative),
                    "deviation": _round(p.deviation),
                    "best_deviation": None
                    if p.best_deviation is None
                    else game.strategies[p.player][p.best_deviation],
                    "punishment": _round(p.punishment),
                    "gain": _round(p.gain),
                    "loss_per_round": _round(p.loss_per_round),
                    "critical_discount": _discount(p.critical),
                    "sustainable": p.sustainable,
                }
                for p in self.players
            ],
            "alternatives": [self._option_json(option) for option in self.alternatives],
            "tolerance": self.tolerance,
            "sentences": self.sentences(),
            "notes": list(self.notes),
        }

    def _option_json(self, option: PunishmentOption) -> dict[str, Any]:
        game = self.game
        return {
            "label": option.label,
            "strategies": {
                player: {label: _round(p) for label, p in zip(labels, mix) if p > 0}
                for player, labels, mix in zip(game.players, game.strategies, option.strategies)
            },
            "equilibrium": option.is_equilibrium,
            "given": self.given,
            "critical_discount": _discount(option.critical),
        }


def discount_words(value: float) -> str:
    """A critical discount factor in words: exact, a simple fraction, or rounded up (so "at least" holds).

    Examples
    --------
    >>> discount_words(0.5), discount_words(1 / 3), discount_words(8 / 13), discount_words(math.inf)
    ('0.5', '1/3', '0.616', 'never')
    """
    if math.isinf(value):
        return "never"
    if abs(value - float(number(value))) <= 1e-12:
        return number(value)
    fraction = Fraction(value).limit_denominator(12)
    if abs(float(fraction) - value) <= 1e-12:
        return str(fraction)
    return f"{math.ceil(value * 1000) / 1000:.3f}"


def _needs(critical: float) -> str:
    if math.isinf(critical):
        return "would never do"
    return f"would need {discount_words(critical)}"


def _outcome_name(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> str | None:
    """The first named outcome the (pure) profile lies in, if any."""
    if not all(np.count_nonzero(mix) == 1 for mix in strategies):
        return None
    profile = tuple(int(np.flatnonzero(mix)[0]) for mix in strategies)
    return next((name for name, mask in game.outcomes.items() if mask[profile]), None)


def _strategy_index(game: NormalFormGame, player: int, value: Any, what: str) -> int:
    name = game.players[player]
    labels = game.strategies[player]
    if isinstance(value, str):
        if value not in labels:
            raise UsageError(
                f"sustainability: {what}: {name} has no strategy {value!r}; its strategies are {list(labels)}"
            )
        return labels.index(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise UsageError(
            f"sustainability: {what}: the strategy of {name} must be an index or a name, got {value!r}"
        )
    if not 0 <= value < len(labels):
        raise UsageError(
            f"sustainability: {what}: strategy {int(value)} of {name} is out of range "
            f"(it has {len(labels)}: 0 to {len(labels) - 1}, {', '.join(labels)})"
        )
    return int(value)


def _check_length(game: NormalFormGame, values: Sequence[Any], what: str) -> None:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise UsageError(
            f"sustainability: {what} must be a sequence with one entry per player, got {values!r}"
        )
    if len(values) != game.n_players:
        raise UsageError(
            f"sustainability: {what} needs one entry per player ({game.n_players}: "
            f"{', '.join(game.players)}), got {len(values)}"
        )


def _punishment_mixes(game: NormalFormGame, punishment: Sequence[Any]) -> tuple[np.ndarray, ...]:
    """One probability vector per player from indices, names or probability vectors."""
    _check_length(game, punishment, "the punishment")
    mixes = []
    for player, (n, value) in enumerate(zip(game.shape, punishment)):
        if isinstance(value, (str, int, np.integer)):
            mix = np.zeros(n)
            mix[_strategy_index(game, player, value, "the punishment")] = 1.0
        else:
            try:
                mix = np.array(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise UsageError(
                    f"sustainability: the punishment of {game.players[player]} must be a strategy or a "
                    f"probability vector, got {value!r}"
                ) from None
            if mix.shape != (n,):
                raise UsageError(
                    f"sustainability: the punishment of {game.players[player]} must be a probability vector "
                    f"of length {n} (one entry per strategy), got shape {mix.shape}"
                )
            if not (np.all(np.isfinite(mix)) and np.all(mix >= 0) and abs(mix.sum() - 1) <= 1e-9):
                raise UsageError(
                    f"sustainability: the punishment of {game.players[player]} must be non-negative and add "
                    f"up to 1, got {mix.tolist()}"
                )
        mix.setflags(write=False)
        mixes.append(mix)
    return tuple(mixes)


def _option(
    game: NormalFormGame,
    cooperative: tuple[int, ...],
    strategies: tuple[np.ndarray, ...],
    label: str,
    tol: float,
) -> PunishmentOption:
    conditions = []
    values = game.payoffs[cooperative]
    for player in range(game.n_players):
        index: list[Any] = list(cooperative)
        index[player] = slice(None)
        own = game.payoffs[tuple(index)][:, player]
        c = float(values[player])
        best = int(np.argmax(own))
        b = float(own[best])
        p = float(pure_strategy_payoffs(game, strategies, player).max())
        if b - c <= tol:
            critical, deviation = 0.0, None
        elif c - p <= tol:
            critical, deviation = math.inf, best
        else:
            critical, deviation = (b - c) / (b - p), best
        conditions.append(PlayerCondition(player, c, b, deviation, p, critical))
    is_equilibrium = bool(regrets(game, strategies).max() <= tol)
    return PunishmentOption(strategies, label, is_equilibrium, tuple(conditions))


def sustainability(
    game: NormalFormGame,
    cooperative: Sequence[StrategyRef],
    punishment: Sequence[np.ndarray | Sequence[float] | StrategyRef] | None = None,
    *,
    agreement_name: str | None = None,
    punishment_name: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
) -> Sustainability:
    """Whether a cooperative pure profile is sustained by grim trigger, and for which discount factors.

    For each player ``i``: ``c_i`` is its payoff under the agreement, ``b_i`` the most it earns
    by switching alone for one round, ``p_i`` the most it earns per round during the
    punishment. Its critical discount factor is ``(b_i - c_i) / (b_i - p_i)`` when breaking the
    agreement pays and the punishment hurts (``p_i < c_i``); 0 when breaking it gains nothing;
    ``inf`` (no discount factor below 1 is enough) when breaking it pays and the punishment
    does not hurt. The agreement holds when every party's discount factor reaches its own
    critical value; the *binding* party is the one with the largest (Friedman 1971).

    By default every party reverts, after any breach, to a Nash equilibrium of the stage game
    (from :func:`negsim.solvers.solve`: all extreme equilibria of a two-player game, pure
    equilibria only with three or more); each stage equilibrium is tried, and the one with the
    lowest binding critical discount factor is used, the others are listed in
    ``alternatives``. A punishment may be given instead, as any profile (e.g. "war"): one
    strategy (index or name) or probability vector per player. If it is not a stage
    equilibrium, the result says that the threat may not be credible, and a deviator is
    counted as earning its best reply to the others' punishment.

    Parameters
    ----------
    game
        The stage game, played every round.
    cooperative
        The agreement: one strategy per player, by index or by name.
    punishment
        The punishment profile, or None for reversion to a stage Nash equilibrium.
    agreement_name, punishment_name
        Words for the agreement and the punishment in sentences. By default the first named
        outcome of the game the profile lies in ("the settlement", "war"), else strategy names.
    tol
        Payoff tolerance relative to the game's payoff scale: smaller gains count as none.

    Raises
    ------
    UsageError
        If a profile has the wrong length, a strategy is out of range or unknown, or a
        probability vector has the wrong shape or does not add up to 1.
    SolverError
        If no stage equilibrium is found to punish with (a game of three or more players
        without pure equilibria): give a punishment.

    Examples
    --------
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   strategies=[["C", "D"]] * 2)
    >>> war = sustainability(pd, ("C", "C"), [[0, 1], [0, 1]], punishment_name="war")
    >>> war.critical, war.chosen.is_equilibrium
    (0.5, True)
    >>> sustainability(pd, (0, 0), (0, 0)).critical  # "punish" by cooperating: never enough
    inf
    """
    if not (math.isfinite(tol) and tol >= 0):
        raise UsageError(f"sustainability: the tolerance must be a finite number >= 0, got {tol!r}")
    _check_length(game, cooperative, "the cooperative profile")
    profile = tuple(_strategy_index(game, i, s, "the cooperative profile") for i, s in enumerate(cooperative))
    abs_tol = tol * game.payoff_scale()
    pure = tuple(np.eye(n)[k] for n, k in zip(game.shape, profile))
    agreement = agreement_name or _name(game, pure, agreement=True)
    notes: list[str] = []

    if punishment is not None:
        mixes = _punishment_mixes(game, punishment)
        label = punishment_name or _name(game, mixes)
        chosen = _option(game, profile, mixes, label, abs_tol)
        return Sustainability(game, profile, agreement, chosen, (), True, abs_tol, tuple(notes))

    from negsim.solvers import solve  # imported here: the solvers import the analysis package

    result = solve(game, tol=tol)
    if not result.equilibria:
        raise SolverError(
            "sustainability: no equilibrium of the stage game was found to revert to "
            "(with three or more parties only pure equilibria are searched); give a punishment profile"
        )
    if not result.complete:
        notes.append(
            "not every stage equilibrium was searched; a better punishment may exist among the others"
        )
    options = [
        _option(game, profile, e.strategies, _name(game, e.strategies), abs_tol) for e in result.equilibria
    ]
    best = min(range(len(options)), key=lambda k: options[k].critical)
    chosen = options[best]
    if punishment_name:
        chosen = PunishmentOption(chosen.strategies, punishment_name, chosen.is_equilibrium, chosen.players)
    alternatives = tuple(o for k, o in enumerate(options) if k != best)
    return Sustainability(game, profile, agreement, chosen, alternatives, False, abs_tol, tuple(notes))


def _name(game: NormalFormGame, strategies: Sequence[np.ndarray], *, agreement: bool = False) -> str:
    """An outcome's name ("the settlement" for an agreement, "war" for a punishment), else strategy names."""
    outcome = _outcome_name(game, strategies)
    if outcome is None:
        words = strategy_words(game, strategies)
        return f"the agreement {words}" if agreement else words
    return f"the {outcome}" if agreement else outcome


@dataclass(frozen=True, eq=False)
class DiscountSweep:
    """Critical discount factors over a range of parameter values.

    Attributes
    ----------
    values
        The parameter values, shape ``(V,)``.
    critical
        The binding critical discount factor at each value, ``(V,)``: 0 when nobody gains by
        breaking the agreement, ``inf`` when no discount factor below 1 sustains it.
    by_player
        Each player's critical discount factor, ``(V, N)``.
    binding
        Index of the binding player at each value, ``(V,)``; -1 when nobody gains by deviating.
    players
        The players' names (of the first game).
    results
        The full :class:`Sustainability` at each value.
    """

    values: np.ndarray
    critical: np.ndarray
    by_player: np.ndarray
    binding: np.ndarray
    players: tuple[str, ...]
    results: tuple[Sustainability, ...]

    @property
    def sustainable(self) -> np.ndarray:
        """Whether some discount factor below 1 sustains the agreement at each value, ``(V,)``."""
        return self.critical < 1


def critical_discount_over(
    values: Sequence[float] | np.ndarray,
    build_game: Callable[[float], NormalFormGame],
    cooperative: Sequence[StrategyRef],
    punishment: Sequence[np.ndarray | Sequence[float] | StrategyRef] | None = None,
    **options: Any,
) -> DiscountSweep:
    """The critical discount factor of an agreement as a parameter varies (for a chart).

    ``build_game(value)`` returns the stage game at each value; every game gets
    :func:`sustainability` with the same ``cooperative`` profile, ``punishment`` and keyword
    ``options``.

    Examples
    --------
    >>> def pd(temptation: float) -> NormalFormGame:
    ...     return NormalFormGame.from_matrices([[3, 0], [temptation, 1]], [[3, temptation], [0, 1]])
    >>> sweep = critical_discount_over([2, 4, 5, 7], pd, (0, 0))
    >>> sweep.critical.round(3).tolist(), sweep.binding.tolist()
    ([0.0, 0.333, 0.5, 0.667], [-1, 0, 0, 0])
    """
    grid = np.asarray(values, dtype=np.float64).reshape(-1)
    results = tuple(sustainability(build_game(float(v)), cooperative, punishment, **options) for v in grid)
    n_players = results[0].game.n_players if results else 0
    by_player = np.array([[p.critical for p in r.players] for r in results], dtype=np.float64)
    return DiscountSweep(
        values=grid,
        critical=np.array([r.critical for r in results], dtype=np.float64),
        by_player=by_player.reshape(len(results), n_players),
        binding=np.array([-1 if r.binding is None else r.binding for r in results], dtype=np.intp),
        players=results[0].game.players if results else (),
        results=results,
    )
