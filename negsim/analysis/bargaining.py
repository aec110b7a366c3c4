"""Bargaining: what the parties could agree on, and how they might split the gains.

A *bargaining problem* is a set of feasible payoff vectors (the outcomes the parties could
agree on, and, when lotteries over them are allowed, every mix of them) together with a
*disagreement point* ``d``: what each party gets if talks fail. An agreement is only on the
table if it gives every party more than ``d``: those agreements form the *zone of possible
agreement* (ZOPA). This module finds the zone, the Pareto frontier and each party's ideal,
and four classical answers to "which agreement?":

- the Nash (1950) bargaining solution, which maximises the product of the gains over ``d``
  (with bargaining powers as exponents, the asymmetric form of Kalai 1977 and Roth 1979);
- the Kalai-Smorodinsky (1975) solution, the best point on the line from ``d`` to the parties'
  ideal point, so every party gets the same fraction of what it could hope for;
- the egalitarian solution (Kalai 1977): equal gains over ``d``, as large as possible;
- the utilitarian solution: the largest total payoff.

It also gives the subgame-perfect equilibrium of Rubinstein's (1982) alternating-offers game,
for a pie of size one and over a bargaining frontier (Binmore, Rubinstein and Wolinsky 1986),
which approaches the Nash solution as the parties become patient.

Everything here is pure numerics on numpy arrays; linear programs are solved with HiGHS
through :func:`scipy.optimize.linprog`.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.analysis.welfare import pareto_efficient
from negsim.errors import GameError, SolverError, UsageError
from negsim.report.words import join_words, number, percent

if TYPE_CHECKING:
    from negsim.game.normal_form import NormalFormGame

#: Gains over the disagreement point at most this large, relative to each player's payoff
#: range, do not count as improvements; lottery weights below it are dropped.
TOLERANCE = 1e-9

#: Feasibility and optimality tolerances passed to HiGHS, on payoffs rescaled to [-1, 1].
LP_TOLERANCE = 1e-10

#: The Nash solution of more than two parties is accepted when its optimality certificate
#: (how far the tangent hyperplane is from supporting the feasible set: an upper bound on the
#: shortfall of the weighted log of the Nash product) is at most this, plus what rounding the
#: lottery's weights to floating point can explain.
NASH_GAP = 1e-9


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Zopa:
    """The zone of possible agreement: what every party strictly prefers to disagreement.

    Attributes
    ----------
    indices, labels
        The points (outcomes) every party strictly prefers to the disagreement point.
    exists
        Whether some feasible agreement is strictly better than disagreement for every party.
        With lotteries this can hold although no single point is: a coin toss between an
        outcome that only helps one party and one that only helps the other helps both.
    """

    indices: np.ndarray
    labels: tuple[str, ...]
    exists: bool


@dataclass(frozen=True, eq=False, init=False)
class BargainingProblem:
    """Feasible payoff vectors and a disagreement point.

    Parameters
    ----------
    points
        Array of shape ``(k, N)``: row ``j`` is what the ``N`` players get in outcome ``j``
        (e.g. every pure profile of a game, or every named outcome). Copied, read-only.
    labels
        Names of the ``k`` outcomes (default ``"point 1"``, ``"point 2"``, ...).
    disagreement
        What each player gets if no agreement is reached (default all zeros).
    players
        Names of the ``N >= 2`` players (default ``"Player 1"``, ...).
    lotteries
        Whether the parties may agree on a lottery over the outcomes (default True): the
        feasible set is then the convex hull of the points, otherwise just the points.

    Raises
    ------
    GameError
        If the shapes do not match, a payoff is not a finite number, there are fewer than two
        players or no outcome, or names repeat.

    Examples
    --------
    Kalai and Smorodinsky's (1975) set ``T``:

    >>> t = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]], ["none", "A", "B", "C"])
    >>> t.n_points, t.n_players, t.lotteries
    (4, 2, True)
    >>> [t.labels[j] for j in t.frontier()]
    ['C', 'B']
    >>> t.ideal().tolist()
    [1.0, 1.0]
    """

    points: np.ndarray
    labels: tuple[str, ...]
    disagreement: np.ndarray
    players: tuple[str, ...]
    lotteries: bool

    def __init__(
        self,
        points: Any,
        labels: Sequence[str] | None = None,
        disagreement: Any = None,
        players: Sequence[str] | None = None,
        *,
        lotteries: bool = True,
    ) -> None:
        who = "BargainingProblem"
        try:
            array = np.asarray(points, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise GameError(f"{who}: points must be numbers ({exc})") from None
        if array.ndim != 2:
            raise GameError(
                f"{who}: points must be a table of shape (k, N), one row of payoffs per outcome and "
                f"one column per player; got an array of shape {array.shape}"
            )
        k, n = array.shape
        if k == 0:
            raise GameError(f"{who}: there must be at least one outcome (row of points)")
        if n < 2:
            raise GameError(f"{who}: bargaining needs at least two players (columns of points); got {n}")
        if not np.all(np.isfinite(array)):
            row, column = (int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise GameError(
                f"{who}: payoffs must be finite numbers; row {row}, column {column} is {array[row, column]}"
            )

        names = tuple(f"point {j + 1}" for j in range(k)) if labels is None else tuple(map(str, labels))
        if len(names) != k:
            raise GameError(f"{who}: {k} rows of points but {len(names)} labels")
        if len(set(names)) != k:
            repeated = sorted({x for x in names if names.count(x) > 1})
            raise GameError(f"{who}: labels must be distinct; repeated: {', '.join(repeated)}")

        try:
            threat = np.zeros(n) if disagreement is None else np.asarray(disagreement, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise GameError(f"{who}: the disagreement point must be numbers ({exc})") from None
        if threat.shape != (n,):
            raise GameError(
                f"{who}: the disagreement point needs one payoff per player ({n}); got shape {threat.shape}"
            )
        if not np.all(np.isfinite(threat)):
            raise GameError(f"{who}: the disagreement point must be finite; got {threat.tolist()}")

        people = tuple(f"Player {i + 1}" for i in range(n)) if players is None else tuple(map(str, players))
        if len(people) != n:
            raise GameError(f"{who}: points have {n} columns but {len(people)} player names are given")
        if len(set(people)) != n:
            raise GameError(f"{who}: player names must be distinct: {people}")

        object.__setattr__(self, "points", _readonly(array))
        object.__setattr__(self, "labels", names)
        object.__setattr__(self, "disagreement", _readonly(threat))
        object.__setattr__(self, "players", people)
        object.__setattr__(self, "lotteries", bool(lotteries))

    @classmethod
    def from_game(
        cls, game: NormalFormGame, disagreement: Any, *, lotteries: bool = True
    ) -> BargainingProblem:
        """The problem whose outcomes are the game's pure profiles, labelled by strategy names.

        Examples
        --------
        >>> from negsim.game.normal_form import NormalFormGame
        >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                   strategies=[["C", "D"]] * 2)
        >>> problem = BargainingProblem.from_game(pd, [1, 1])
        >>> problem.labels
        ('C, C', 'C, D', 'D, C', 'D, D')
        """
        profiles = list(np.ndindex(*game.shape))
        return cls(
            game.payoffs.reshape(-1, game.n_players),
            [", ".join(game.profile_label(p)) for p in profiles],
            disagreement,
            game.players,
            lotteries=lotteries,
        )

    @property
    def n_players(self) -> int:
        """Number of players ``N``."""
        return int(self.points.shape[1])

    @property
    def n_points(self) -> int:
        """Number of outcomes ``k``."""
        return int(self.points.shape[0])

    def __repr__(self) -> str:
        kind = "lotteries allowed" if self.lotteries else "no lotteries"
        return (
            f"BargainingProblem({self.n_points} outcomes, players {', '.join(self.players)}, "
            f"disagreement {self.disagreement.tolist()}, {kind})"
        )

    def _scaled(self) -> tuple[np.ndarray, np.ndarray]:
        """Gains over disagreement divided by each player's largest absolute gain, and those scales."""
        gains = self.points - self.disagreement
        scales = np.abs(gains).max(axis=0)
        scales[scales == 0] = 1.0
        return gains / scales, scales

    def frontier(self) -> np.ndarray:
        """Indices of the Pareto-efficient points.

        With lotteries these are the vertices of the convex hull that no lottery beats for
        someone without hurting another: the efficient frontier is made of the lotteries between
        neighbouring ones. For two players they are ordered by the first player's payoff
        (increasing, so the second's decreases); for more, by index. Without lotteries, the
        points no other point beats (repeated payoff vectors are listed once).

        Examples
        --------
        >>> s = BargainingProblem([[0, 0], [1, 0], [0.75, 0.75], [0, 1], [0.4, 0.4]])
        >>> s.frontier().tolist()
        [3, 2, 1]
        """
        if not self.lotteries:
            front = _pareto(self.points)
            if self.n_players == 2:
                front = front[np.argsort(self.points[front, 0], kind="stable")]
            return front
        scaled, _ = self._scaled()  # each player's gains on a common scale, so one tolerance fits
        if self.n_players == 2:
            return _upper_chain(scaled)
        return _efficient_vertices(scaled)

    def zopa(self) -> Zopa:
        """The zone of possible agreement: points every party strictly prefers to disagreement.

        Examples
        --------
        >>> pie = BargainingProblem([[1, 0], [0, 1]], ["all to 1", "all to 2"])
        >>> zone = pie.zopa()
        >>> zone.indices.tolist(), zone.exists
        ([], True)
        >>> BargainingProblem(pie.points, lotteries=False).zopa().exists
        False
        """
        scaled, _ = self._scaled()
        inside = np.flatnonzero(np.all(scaled > TOLERANCE, axis=1))
        exists = inside.size > 0
        if not exists and self.lotteries:
            exists = _max_along(scaled[_pareto(scaled)], np.ones(self.n_players))[0] > TOLERANCE
        inside.setflags(write=False)
        return Zopa(inside, tuple(self.labels[j] for j in inside), bool(exists))

    def ideal(self) -> np.ndarray:
        """Each player's best payoff among feasible agreements no party finds worse than disagreement.

        Raises
        ------
        UsageError
            If every feasible agreement is worse than disagreement for some party.

        Examples
        --------
        >>> BargainingProblem([[2, -1], [0, 1]]).ideal().tolist()
        [1.0, 1.0]
        >>> BargainingProblem([[2, -1], [0, 1]], lotteries=False).ideal().tolist()
        [0.0, 1.0]
        """
        scaled, scales = self._scaled()
        return self.disagreement + scales * _ideal_scaled(self, scaled)


def _ideal_scaled(problem: BargainingProblem, scaled: np.ndarray) -> np.ndarray:
    """The ideal point in scaled gains (see :meth:`BargainingProblem.ideal`)."""
    rational = np.all(scaled >= -TOLERANCE, axis=1)
    best = scaled[rational].max(axis=0) if rational.any() else None
    if problem.lotteries:
        values = []
        table = scaled[_pareto(scaled)]  # every lottery is weakly beaten by one of these points
        for player in range(problem.n_players):
            result = _linprog(-table[:, player], -table.T, np.zeros(problem.n_players))
            if result is None:
                break
            values.append(-float(result.fun))
        else:
            lottery_best = np.array(values)
            best = lottery_best if best is None else np.maximum(best, lottery_best)
    if best is None:
        raise UsageError(
            "ideal: every feasible agreement leaves some party worse off than disagreement, so no "
            "party can hope for anything from bargaining; check the disagreement point"
        )
    return np.asarray(best, dtype=np.float64)


# ----------------------------------------------------------------------------------------- solutions


@dataclass(frozen=True, eq=False)
class Solution:
    """One proposed agreement: a lottery over the problem's points and what it pays.

    Attributes
    ----------
    name
        Which solution this is, e.g. ``"Nash bargaining solution"``.
    payoffs
        What each player gets (expected payoffs of the lottery), read-only.
    weights
        Outcome label -> probability, over the outcomes with positive probability (a single
        outcome has weight 1), most likely first.
    note
        Anything a reader should know: ties, or why the point is not where the definition
        alone would put it. Empty when there is nothing to add.

    Examples
    --------
    >>> solution = Solution("Nash bargaining solution", np.array([2.4, 5.2]),
    ...                     {"settlement": 0.6, "exposed neutrality": 0.4})
    >>> print(solution.sentence(["Ukraine", "Russia"]))  # doctest: +NORMALIZE_WHITESPACE
    Nash bargaining solution: a lottery of settlement (60%) and exposed neutrality (40%),
    paying Ukraine 2.4, Russia 5.2
    """

    name: str
    payoffs: np.ndarray
    weights: Mapping[str, float]
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "payoffs", _readonly(self.payoffs))
        ordered = sorted(self.weights.items(), key=lambda item: -item[1])
        object.__setattr__(self, "weights", dict(ordered))

    @property
    def is_lottery(self) -> bool:
        """Whether the agreement mixes more than one outcome."""
        return len(self.weights) > 1

    def sentence(self, players: Sequence[str], unit: str = "") -> str:
        """The agreement in plain words (players in the problem's order; ``unit`` after each payoff)."""
        if len(players) != len(self.payoffs):
            raise UsageError(
                f"Solution.sentence: {len(self.payoffs)} payoffs but {len(players)} player names"
            )
        if self.is_lottery:
            what = "a lottery of " + join_words(
                [f"{label} ({percent(p)})" for label, p in self.weights.items()]
            )
        else:
            what = next(iter(self.weights))
        suffix = f" {unit}" if unit else ""
        pays = ", ".join(f"{player} {number(float(v))}{suffix}" for player, v in zip(players, self.payoffs))
        text = f"{self.name}: {what}, paying {pays}"
        return f"{text}; {self.note}" if self.note else text


def _lottery(problem: BargainingProblem, name: str, weights: np.ndarray, note: str = "") -> Solution:
    """A solution from weights over all points: tiny weights dropped, payoffs recomputed."""
    weights = np.where(weights > TOLERANCE, weights, 0.0)
    weights = weights / weights.sum()
    support = np.flatnonzero(weights)
    return Solution(
        name,
        weights[support] @ problem.points[support],
        {problem.labels[j]: float(weights[j]) for j in support},
        note,
    )


def _point(problem: BargainingProblem, name: str, index: int, note: str = "") -> Solution:
    return Solution(name, problem.points[index], {problem.labels[index]: 1.0}, note)


def _require_zopa(problem: BargainingProblem, who: str) -> None:
    """Raise UsageError, with a hint, when no feasible agreement helps every party."""
    if problem.zopa().exists:
        return
    message = (
        f"{who}: no feasible agreement is better than disagreement for every party (the zone of "
        "possible agreement is empty), so there is nothing to bargain over"
    )
    best = problem.points.max(axis=0)
    stuck = [i for i in range(problem.n_players) if best[i] <= problem.disagreement[i]]
    if stuck:
        i = stuck[0]
        hint = (
            f"{problem.players[i]} never gets more than its disagreement payoff "
            f"{number(float(problem.disagreement[i]))} (its best outcome pays {number(float(best[i]))}); "
            "check its payoffs or its disagreement payoff"
        )
    elif (
        not problem.lotteries and BargainingProblem(problem.points, None, problem.disagreement).zopa().exists
    ):
        hint = "a lottery over the outcomes would help everyone: allow lotteries (lotteries=True)"
    else:
        hint = (
            "every outcome that helps one party leaves another no better off than disagreement; "
            "check the disagreement point"
        )
    raise UsageError(f"{message}. Hint: {hint}")


def _tied(problem: BargainingProblem, tied: Sequence[int] | np.ndarray, why: str) -> str:
    names = [problem.labels[j] for j in tied]
    if len(names) > 4:
        names = names[:3] + [f"{len(names) - 3} others"]
    return f"tied with {join_words(names)} ({why})"


def _powers(problem: BargainingProblem, powers: Any) -> np.ndarray:
    n = problem.n_players
    if powers is None:
        return np.full(n, 1.0 / n)
    try:
        values = np.asarray(powers, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"nash_solution: powers must be {n} positive numbers; got {powers!r}") from None
    if values.shape != (n,) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise UsageError(
            f"nash_solution: powers must be {n} positive numbers, one bargaining power per player "
            f"({', '.join(problem.players)}); got {powers!r}"
        )
    return values / values.sum()


def nash_solution(problem: BargainingProblem, powers: Any = None) -> Solution:
    """The (asymmetric) Nash bargaining solution: the agreement maximising ``prod_i (u_i - d_i)^w_i``.

    Nash (1950) showed it is the only rule that is Pareto efficient, symmetric, independent
    of irrelevant alternatives and of each player's utility scale; with bargaining powers
    ``w`` it is the asymmetric solution of Kalai (1977). Only agreements better than
    disagreement for everyone count.

    With lotteries and two players the solution is exact: on each segment of the efficient
    frontier the product's maximiser has a closed form. With more players it maximises the
    concave ``sum_i w_i log(u_i - d_i)`` over lotteries (SLSQP over a few outcomes at a time,
    starting from the most even agreement and adding outcomes the answer's tangent hyperplane
    misses, then Newton's method on the face of the frontier found), and checks the
    optimality certificate: the tangent hyperplane with normal ``w_i / (u_i - d_i)`` must
    support the feasible set. Without lotteries, the best single outcome.

    Parameters
    ----------
    problem
        The bargaining problem.
    powers
        Positive bargaining powers, one per player (default equal); only ratios matter.

    Raises
    ------
    UsageError
        If the zone of possible agreement is empty, or the powers are not positive numbers.
    SolverError
        If, with more than two players, the optimiser's answer fails its optimality check.

    Examples
    --------
    Kalai and Smorodinsky's (1975) sets ``S`` and ``T``:

    >>> s = BargainingProblem([[0, 0], [1, 0], [0.75, 0.75], [0, 1]])
    >>> nash_solution(s).payoffs.tolist()
    [0.75, 0.75]
    >>> t = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]], ["none", "A", "B", "C"])
    >>> print(nash_solution(t).sentence(["Ann", "Bob"]))
    Nash bargaining solution: B, paying Ann 1, Bob 0.7
    >>> pie = BargainingProblem([[1, 0], [0, 1]], ["all to Ann", "all to Bob"], players=["Ann", "Bob"])
    >>> {label: round(p, 9) for label, p in nash_solution(pie, powers=[2, 1]).weights.items()}
    {'all to Ann': 0.666666667, 'all to Bob': 0.333333333}
    """
    weights = _powers(problem, powers)
    _require_zopa(problem, "nash_solution")
    symmetric = bool(np.all(weights == weights[0]))
    name = "Nash bargaining solution" if symmetric else "Asymmetric Nash bargaining solution"
    product = "Nash product" if symmetric else "weighted Nash product"
    scaled, _ = problem._scaled()
    if not problem.lotteries:
        inside = problem.zopa().indices
        values = np.log(scaled[inside]) @ weights
        best = float(values.max())
        tied = inside[values >= best - 1e-12]
        note = _tied(problem, tied[1:], f"same {product}") if len(tied) > 1 else ""
        return _point(problem, name, int(tied[0]), note)
    if problem.n_players == 2:
        lottery = _nash_on_chain(scaled, problem.frontier(), weights)
    else:  # a lottery of points that are not efficient vertices is never better, so no harm
        lottery = _nash_on_points(scaled, _pareto(scaled), weights)
    return _lottery(problem, name, lottery)


def _nash_on_chain(scaled: np.ndarray, chain: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weights over all points of the two-player Nash solution, segment by segment of the frontier.

    On the segment ``a + s (b - a)``, gains are ``alpha + s beta`` with ``beta_1 > 0 > beta_2``;
    setting the derivative of ``w_1 log g_1 + w_2 log g_2`` to zero gives
    ``s = -(w_1 beta_1 alpha_2 + w_2 beta_2 alpha_1) / ((w_1 + w_2) beta_1 beta_2)``, which is
    clipped to the segment (the function is strictly concave, so clipping is exact).
    """
    best_value, best = -math.inf, np.zeros(len(scaled))
    pairs = list(itertools.pairwise(chain)) or [(chain[0], chain[0])]
    for a, b in pairs:
        alpha, beta = scaled[a], scaled[b] - scaled[a]
        if a == b:
            s = 0.0
        else:
            low = max(0.0, -alpha[0] / beta[0])
            high = min(1.0, alpha[1] / -beta[1])
            if low >= high:
                continue
            stationary = -(weights[0] * beta[0] * alpha[1] + weights[1] * beta[1] * alpha[0]) / (
                (weights[0] + weights[1]) * beta[0] * beta[1]
            )
            s = float(np.clip(stationary, low, high))
        gains = alpha + s * beta
        if np.any(gains <= 0):
            continue
        value = float(weights @ np.log(gains))
        if value > best_value:
            best_value = value
            best = np.zeros(len(scaled))
            best[a] += 1.0 - s
            best[b] += s
    if best_value == -math.inf:  # pragma: no cover - excluded by the ZOPA check
        raise SolverError("nash_solution: no point of the frontier is better than disagreement for both")
    return best


def _nash_on_points(scaled: np.ndarray, candidates: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weights over all points of the Nash solution of three or more players.

    Column generation: the concave objective is maximised (SLSQP, then Newton on the face
    found) over lotteries of a few of the ``candidates`` (points, e.g. the Pareto-efficient
    ones, whose lotteries include the solution), starting with those of the most even
    agreement; any point on the far side of the tangent hyperplane at the answer is added and
    the small problem solved again. The answer is verified against every candidate with the
    optimality certificate :func:`_nash_gap`.
    """
    table = scaled[candidates]
    _, start = _max_along(table, np.ones(table.shape[1]))
    start_gains = table.T @ start
    # every gain at the optimum is at least exp(F0 / w_i) (scaled gains are at most 1), so below
    # half of that the logarithm may be replaced by its quadratic extension: a smooth concave
    # objective defined everywhere, with the same maximiser
    floor = max(0.5 * math.exp(float(weights @ np.log(start_gains)) / float(weights.min())), 1e-300)
    active = np.flatnonzero(start > 0)
    mix = start
    for _ in range(100):
        mix = _expand(active, _nash_slsqp(table[active], mix[active], weights, floor), len(table))
        gains = table.T @ mix
        normal = weights / gains
        excess = table @ normal - normal @ gains
        excess[active] = -np.inf
        worst = np.argsort(-excess)[: table.shape[1]]
        worst = worst[excess[worst] > NASH_GAP / 2]
        if worst.size == 0:
            break
        active = np.union1d(active, worst)
    gap = _nash_gap(table, mix, weights)
    # rounding the lottery's weights (absolute error about one ulp of 1) moves the gap by up to
    # sum_i w_i max_j q_ji^2 / g_i^2 times that error: when some gain is tiny, no lottery of
    # floating-point weights has a smaller gap, so that much is allowed on top
    gains = table.T @ mix
    resolution = 64 * np.finfo(np.float64).eps * float(weights @ (np.abs(table).max(axis=0) / gains) ** 2)
    if gap > NASH_GAP + resolution:
        raise SolverError(
            f"nash_solution: the optimiser stopped short of the Nash solution (optimality gap {gap:.3g} "
            f"above {NASH_GAP + resolution:.3g}); please report this problem"
        )
    return _expand(candidates, mix, len(scaled))


def _nash_slsqp(table: np.ndarray, start: np.ndarray, weights: np.ndarray, floor: float) -> np.ndarray:
    """The lottery over the rows of ``table`` maximising the weighted log gains, from ``start``."""
    from scipy.optimize import minimize  # imported here: slow to import, rarely needed

    count = len(table)

    def objective(mix: np.ndarray) -> tuple[float, np.ndarray]:
        gains = table.T @ mix
        safe = np.maximum(gains, floor)
        below = np.minimum(gains - floor, 0.0)
        value = np.log(safe) + below / floor - 0.5 * (below / floor) ** 2
        slope = 1.0 / safe - below / floor**2
        return -float(weights @ value), -(table @ (weights * slope))

    start = start / start.sum()
    with warnings.catch_warnings():
        # SLSQP may step an ulp or two outside the bounds; scipy clips the step and says so
        warnings.filterwarnings("ignore", "Values in x were outside bounds", RuntimeWarning)
        result = minimize(
            objective,
            start,
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * count,
            constraints=[
                {"type": "eq", "fun": lambda mix: mix.sum() - 1.0, "jac": lambda mix: np.ones(count)}
            ],
            options={"ftol": 1e-16, "maxiter": 1000},
        )
    mix = np.clip(result.x, 0.0, None)
    mix /= mix.sum()
    if not np.all(table.T @ mix > 0) or objective(mix)[0] > objective(start)[0]:
        mix = start
    return _polish_nash(table, mix, weights)


def _nash_gap(table: np.ndarray, mix: np.ndarray, weights: np.ndarray) -> float:
    """How far the tangent hyperplane at the lottery ``mix`` is from supporting the feasible set.

    The objective is concave, so it exceeds its value at ``mix`` by at most this much anywhere.
    """
    gains = table.T @ mix
    if np.any(gains <= 0):
        return math.inf
    normal = weights / gains
    return float(np.max(table @ normal) - normal @ gains)


def _polish_nash(table: np.ndarray, mix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Newton's method on the face of the frontier that the approximate solution ``mix`` lies on.

    The face is spanned by the vertices the lottery uses or the tangent hyperplane (nearly)
    touches; on it the objective is strictly concave in coordinates of its affine hull, so
    Newton converges quadratically. The result is kept only if it is a lottery of those
    vertices with a smaller optimality gap.
    """
    gains = table.T @ mix
    normal = weights / gains
    touching = np.flatnonzero((table @ normal >= normal @ gains - 1e-6) | (mix > 1e-9))
    base = table[touching[0]]
    _, singular, right = np.linalg.svd(table[touching] - base, full_matrices=False)
    rank = int(np.sum(singular > 1e-9 * max(1.0, float(singular.max(initial=0.0)))))
    if rank == 0:
        candidate_gains = base
    else:
        basis = right[:rank].T  # columns span the face's directions
        z = basis.T @ (gains - base)
        for _ in range(50):
            point = base + basis @ z
            if np.any(point <= 0):
                return mix
            gradient = basis.T @ (weights / point)
            hessian = -(basis.T * (weights / point**2)) @ basis
            try:
                step = np.linalg.solve(hessian, -gradient)
            except np.linalg.LinAlgError:
                return mix
            shrink = 1.0
            while np.any(base + basis @ (z + shrink * step) <= 0) and shrink > 1e-6:
                shrink /= 2
            z = z + shrink * step
            if np.max(np.abs(step)) < 1e-15:
                break
        candidate_gains = base + basis @ z
    # the lottery of the touching vertices that pays candidate_gains, if there is one: by least
    # squares (exact when the vertices are affinely independent), else by a linear program
    count = len(touching)
    system = np.vstack([table[touching].T, np.ones((1, count))])
    target = np.append(candidate_gains, 1.0)
    solution = np.linalg.lstsq(system, target, rcond=None)[0]
    if solution.min() < -1e-12 or np.max(np.abs(system @ solution - target)) > 1e-12:
        try:
            result = _linprog(np.zeros(count), None, None, system, target)
        except SolverError:
            result = None
        if result is None:
            return mix
        solution = result.x
    candidate = np.zeros(len(table))
    candidate[touching] = np.clip(solution, 0.0, None)
    candidate /= candidate.sum()
    if _nash_gap(table, candidate, weights) <= _nash_gap(table, mix, weights):
        return candidate
    return mix


def _along(problem: BargainingProblem, name: str, direction: np.ndarray, note_line: str) -> Solution:
    """The lottery maximising ``t`` with payoffs at least ``d + t direction`` (scaled), made efficient."""
    scaled, _ = problem._scaled()
    candidates = _pareto(scaled)  # every lottery is weakly beaten by a lottery of these points
    table = scaled[candidates]
    t, mix = _max_along(table, direction)
    mix, improved = _improve(table, mix)
    note = ""
    if improved or np.max(np.abs(table.T @ mix - t * direction)) > 1e-7:
        note = (
            f"no Pareto-efficient agreement lies on the line from disagreement {note_line}; this one "
            "gives every party at least as much as the best point on that line and cannot be improved "
            "for one party without hurting another"
        )
    return _lottery(problem, name, _expand(candidates, mix, problem.n_points), note)


def kalai_smorodinsky(problem: BargainingProblem) -> Solution:
    """The Kalai-Smorodinsky solution: equal shares of each party's hopes.

    Kalai and Smorodinsky (1975) replace Nash's independence of irrelevant alternatives by
    monotonicity: the agreement is the best feasible point on the line from the disagreement
    point ``d`` to the ideal point (each party's best payoff among agreements no one finds
    worse than disagreement), so every party gets the same fraction of its possible gain.

    With lotteries this is a linear program: maximise ``t`` such that some lottery pays at
    least ``d + t (ideal - d)``. Kalai and Smorodinsky assume that utility can be thrown away
    (a comprehensive feasible set); when it cannot and the line's best point is beaten by some
    lottery, the Pareto-efficient lottery paying everyone at least as much is reported, with a
    note. Without lotteries: among the outcomes, the one with the largest smallest share
    ``(u_i - d_i) / (ideal_i - d_i)``, ties broken by the total of the shares.

    Raises
    ------
    UsageError
        If the zone of possible agreement is empty.

    Examples
    --------
    >>> t = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]], ["none", "A", "B", "C"])
    >>> ks = kalai_smorodinsky(t)
    >>> [round(float(u) * 13, 9) for u in ks.payoffs]
    [10.0, 10.0]
    >>> print(ks.sentence(["Ann", "Bob"], "points"))  # doctest: +NORMALIZE_WHITESPACE
    Kalai-Smorodinsky solution: a lottery of B (76.9%) and C (23.1%),
    paying Ann 0.769 points, Bob 0.769 points
    """
    _require_zopa(problem, "kalai_smorodinsky")
    name = "Kalai-Smorodinsky solution"
    scaled, _ = problem._scaled()
    hopes = _ideal_scaled(problem, scaled)
    if problem.lotteries:
        return _along(problem, name, hopes, "to the ideal point")
    inside = problem.zopa().indices
    shares = scaled[inside] / hopes
    return _best_of(problem, name, inside, shares.min(axis=1), shares.sum(axis=1), "same smallest share")


def egalitarian(problem: BargainingProblem) -> Solution:
    """The egalitarian solution: the largest gain over disagreement that every party gets alike.

    Kalai (1977): maximise ``t`` such that an agreement pays every party at least
    ``d_i + t`` (gains in the players' own units, so the answer depends on how they are
    scaled). With lotteries a linear program; an agreement paying some parties more than
    ``d_i + t`` is reported when no efficient one pays exactly that (with a note). Without
    lotteries: the outcome with the largest smallest gain, ties broken by the total gain.

    Raises
    ------
    UsageError
        If the zone of possible agreement is empty.

    Examples
    --------
    >>> t = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]])
    >>> [round(float(u) * 13, 9) for u in egalitarian(t).payoffs]
    [10.0, 10.0]
    >>> egalitarian(BargainingProblem([[3, 0, 0], [0, 2, 0], [0, 0, 1]])).payoffs.round(6).tolist()
    [0.545455, 0.545455, 0.545455]
    """
    _require_zopa(problem, "egalitarian")
    name = "Egalitarian solution"
    _, scales = problem._scaled()
    if problem.lotteries:
        return _along(problem, name, 1.0 / scales, "along equal gains")
    inside = problem.zopa().indices
    gains = problem.points[inside] - problem.disagreement
    return _best_of(problem, name, inside, gains.min(axis=1), gains.sum(axis=1), "same smallest gain")


def _best_of(
    problem: BargainingProblem,
    name: str,
    candidates: np.ndarray,
    score: np.ndarray,
    second: np.ndarray,
    why: str,
) -> Solution:
    """The candidate with the largest score, then the largest second score; later equal ones are ties."""
    top = score >= score.max() - TOLERANCE * max(1.0, float(np.abs(score).max()))
    best = np.flatnonzero(
        top & (second >= second[top].max() - TOLERANCE * max(1.0, float(np.abs(second).max())))
    )
    note = _tied(problem, candidates[best[1:]], why) if len(best) > 1 else ""
    return _point(problem, name, int(candidates[best[0]]), note)


def utilitarian(problem: BargainingProblem) -> Solution:
    """The utilitarian solution: the agreement with the largest total payoff.

    Only agreements no party finds worse than disagreement count. The total of a lottery is
    the average of its outcomes' totals, so the answer is an outcome unless the disagreement
    payoffs rule the best ones out (a lottery is then reported). When several outcomes give
    the same largest total, the one whose worst-off party gains most (relative to its payoff
    range) is reported and the others are named in the note: any lottery of them is as good.

    Raises
    ------
    UsageError
        If the zone of possible agreement is empty.

    Examples
    --------
    >>> t = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]], ["none", "A", "B", "C"])
    >>> print(utilitarian(t).sentence(["Ann", "Bob"]))
    Utilitarian solution: B, paying Ann 1, Bob 0.7
    >>> print(utilitarian(BargainingProblem([[1, 0], [0, 1]], ["A", "B"])).sentence(["Ann", "Bob"]))
    Utilitarian solution: A, paying Ann 1, Bob 0; tied with B (same total)
    """
    _require_zopa(problem, "utilitarian")
    name = "Utilitarian solution"
    scaled, scales = problem._scaled()
    totals = problem.points.sum(axis=1)
    rational = np.flatnonzero(np.all(scaled >= -TOLERANCE, axis=1))
    size = TOLERANCE * max(1.0, float(np.abs(problem.points).sum(axis=1).max()))
    best_total = float(totals[rational].max()) if rational.size else -math.inf
    if problem.lotteries:
        candidates = _pareto(scaled)
        table = scaled[candidates]
        result = _linprog(-(table @ scales), -table.T, np.zeros(problem.n_players))
        if result is None:  # pragma: no cover - excluded by the ZOPA check
            raise SolverError("utilitarian: the linear program found no agreement")
        mix = _expand(candidates, np.clip(result.x, 0.0, None), problem.n_points)
        mix /= mix.sum()
        lottery_total = float(mix @ totals)
        if lottery_total > best_total + size:
            return _lottery(problem, name, mix)
    tied = rational[totals[rational] >= best_total - size]
    fairness = scaled[tied].min(axis=1)
    order = tied[np.argsort(-fairness, kind="stable")]
    note = _tied(problem, order[1:], "same total") if len(order) > 1 else ""
    return _point(problem, name, int(order[0]), note)


# ----------------------------------------------------------------------------------------- Rubinstein


def _discount(value: Any, name: str, who: str) -> float:
    try:
        factor = float(value)
    except (TypeError, ValueError):
        factor = math.nan
    if not 0.0 < factor < 1.0:
        raise UsageError(
            f"{who}: {name} must lie strictly between 0 and 1 (what a payoff one round later is worth "
            f"now); got {value!r}. Hint: a factor of 1 means waiting costs nothing, so no split is "
            "pinned down; 0 means the future is worthless"
        )
    return factor


def _first(first: Any, who: str) -> int:
    if first not in (0, 1) or isinstance(first, bool):
        raise UsageError(
            f"{who}: first must be 0 or 1 (the index of the player who proposes first); got {first!r}"
        )
    return int(first)


@dataclass(frozen=True)
class RubinsteinSplit:
    """The subgame-perfect split of a pie of size one in Rubinstein's alternating-offers game.

    Attributes
    ----------
    deltas
        The two players' discount factors.
    first
        Index (0 or 1) of the player who proposes first.
    offers
        ``offers[i]``: the split (share of player 1, share of player 2) player ``i`` proposes
        whenever it is its turn; the other accepts at once.
    """

    deltas: tuple[float, float]
    first: int
    offers: tuple[tuple[float, float], tuple[float, float]]

    @property
    def shares(self) -> tuple[float, float]:
        """The agreed split: the first proposer's offer, accepted immediately."""
        return self.offers[self.first]

    @property
    def proposer_share(self) -> float:
        """The first proposer's share ``(1 - delta_other) / (1 - delta_1 delta_2)``."""
        return self.shares[self.first]

    def sentence(self, players: Sequence[str] = ("Player 1", "Player 2")) -> str:
        """The split in plain words.

        Examples
        --------
        >>> print(rubinstein(0.9, 0.8).sentence(["Ukraine", "Russia"]))  # doctest: +NORMALIZE_WHITESPACE
        Ukraine proposes first and Russia accepts at once: Ukraine gets 71.4% of the pie,
        Russia 28.6% (discount factors 0.9 and 0.8)
        """
        proposer, responder = players[self.first], players[1 - self.first]
        mine, theirs = self.shares[self.first], self.shares[1 - self.first]
        return (
            f"{proposer} proposes first and {responder} accepts at once: {proposer} gets "
            f"{percent(mine)} of the pie, {responder} {percent(theirs)} "
            f"(discount factors {number(self.deltas[0])} and {number(self.deltas[1])})"
        )


def rubinstein(delta1: float, delta2: float, *, first: int = 0) -> RubinsteinSplit:
    """The unique subgame-perfect equilibrium of alternating offers over a pie of size one.

    Rubinstein (1982): players take turns proposing a split, the other accepts or rejects,
    and a rejection delays the pie by one round, which player ``i`` discounts by ``delta_i``.
    Player 1 always offers ``x = (1 - delta2) / (1 - delta1 delta2)`` for itself, player 2
    always offers ``y = (1 - delta1) / (1 - delta1 delta2)`` for itself, and the first offer is
    accepted. Being first is worth something; as both discount factors approach 1 the split
    approaches the Nash solution (1/2, 1/2).

    Raises
    ------
    UsageError
        If a discount factor is not strictly between 0 and 1, or ``first`` is not 0 or 1.

    Examples
    --------
    >>> round(rubinstein(0.9, 0.9).proposer_share, 6)
    0.526316
    >>> [round(x, 6) for x in rubinstein(0.9, 0.8, first=1).shares]
    [0.642857, 0.357143]
    """
    d1 = _discount(delta1, "delta1", "rubinstein")
    d2 = _discount(delta2, "delta2", "rubinstein")
    first = _first(first, "rubinstein")
    both = 1.0 - d1 * d2
    x = (1.0 - d2) / both
    y = (1.0 - d1) / both
    return RubinsteinSplit((d1, d2), first, ((x, 1.0 - x), (1.0 - y, y)))


@dataclass(frozen=True, eq=False)
class AlternatingOffers:
    """The stationary subgame-perfect equilibrium of alternating offers over a bargaining frontier.

    Attributes
    ----------
    deltas
        The two players' discount factors.
    first
        Index (0 or 1) of the player who proposes first.
    proposals
        What player 1 and player 2 propose whenever it is their turn (points of the frontier,
        as lotteries over the outcomes); the other accepts at once.
    """

    deltas: tuple[float, float]
    first: int
    proposals: tuple[Solution, Solution]

    @property
    def agreement(self) -> Solution:
        """The agreement reached: the first proposer's proposal, accepted immediately."""
        return self.proposals[self.first]

    def sentence(self, players: Sequence[str], unit: str = "") -> str:
        """The equilibrium in plain words."""
        proposer, responder = players[self.first], players[1 - self.first]
        return (
            f"In alternating offers (discount factors {number(self.deltas[0])} and "
            f"{number(self.deltas[1])}), {proposer} proposes first and {responder} accepts at once. "
            + self.agreement.sentence(players, unit)
        )


def rubinstein_over_frontier(
    problem: BargainingProblem, deltas: Sequence[float], first: int = 0
) -> AlternatingOffers:
    """Rubinstein's alternating offers between two parties over the problem's efficient frontier.

    Binmore, Rubinstein and Wolinsky (1986): on the frontier ``u_2 = f(u_1)`` of agreements no
    party finds worse than disagreement, with gains discounted from the disagreement point
    ``d``, player 1 proposes ``x`` and player 2 proposes ``y`` such that each responder is
    indifferent between accepting now and proposing next round::

        y_1 - d_1 = delta_1 (x_1 - d_1),        x_2 - d_2 = delta_2 (y_2 - d_2)

    (where the frontier ends before that, the proposer offers its end point, which the
    responder strictly prefers). The pair is found by bisection on ``x_1``. Both proposals
    have the same Nash product and lie on either side of the Nash solution, so as both
    discount factors approach 1 they close in on it; with ``delta_i = exp(-r_i h)`` and
    ``h -> 0`` they approach the asymmetric Nash solution with powers ``1 / r_i``.

    Parameters
    ----------
    problem
        A two-player problem with lotteries.
    deltas
        The two players' discount factors, each strictly between 0 and 1.
    first
        Index (0 or 1) of the player who proposes first.

    Raises
    ------
    UsageError
        If the problem does not have two players or lotteries, a discount factor is outside
        (0, 1), or the zone of possible agreement is empty.

    Examples
    --------
    >>> pie = BargainingProblem([[1, 0], [0, 1]], ["all to Ann", "all to Bob"])
    >>> offers = rubinstein_over_frontier(pie, (0.9, 0.8))
    >>> offers.agreement.payoffs.round(6).tolist()
    [0.714286, 0.285714]
    """
    who = "rubinstein_over_frontier"
    if problem.n_players != 2:
        raise UsageError(
            f"{who}: alternating offers are defined here for two parties; "
            f"this problem has {problem.n_players}"
        )
    if not problem.lotteries:
        raise UsageError(
            f"{who}: the game needs a continuous frontier of agreements; allow lotteries over the "
            "outcomes (lotteries=True)"
        )
    try:
        pair = tuple(deltas)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise UsageError(f"{who}: deltas must be two discount factors, one per player; got {deltas!r}")
    d1 = _discount(pair[0], "the first discount factor", who)
    d2 = _discount(pair[1], "the second discount factor", who)
    first = _first(first, who)
    _require_zopa(problem, who)

    chain = problem.frontier()
    vertices = problem.points[chain]
    home = problem.disagreement
    if len(chain) == 1:
        proposals = (
            _point(problem, f"{problem.players[0]}'s proposal", int(chain[0])),
            _point(problem, f"{problem.players[1]}'s proposal", int(chain[0])),
        )
        return AlternatingOffers((d1, d2), first, proposals)

    def f(u1: float) -> float:
        return float(np.interp(u1, vertices[:, 0], vertices[:, 1]))

    def f_inverse(u2: float) -> float:
        return float(np.interp(u2, vertices[::-1, 1], vertices[::-1, 0]))

    left = max(float(vertices[0, 0]), float(home[0]))
    right = float(vertices[-1, 0]) if vertices[-1, 1] >= home[1] else f_inverse(float(home[1]))
    floor2 = f(right)

    def respond(x1: float) -> tuple[float, float]:
        """Player 2's proposal ``y_1`` against ``x_1``, and player 1's best proposal against it."""
        y1 = max(left, float(home[0]) + d1 * (x1 - float(home[0])))
        x2 = max(floor2, float(home[1]) + d2 * (f(y1) - float(home[1])))
        return y1, f_inverse(x2)

    low, high = left, right
    for _ in range(200):
        middle = 0.5 * (low + high)
        if middle - respond(middle)[1] > 0:
            high = middle
        else:
            low = middle
        if high - low <= 1e-15 * max(1.0, abs(low), abs(high)):
            break
    x1 = 0.5 * (low + high)
    y1 = respond(x1)[0]
    proposals = (
        _on_chain(problem, chain, x1, f"{problem.players[0]}'s proposal"),
        _on_chain(problem, chain, y1, f"{problem.players[1]}'s proposal"),
    )
    return AlternatingOffers((d1, d2), first, proposals)


def _on_chain(problem: BargainingProblem, chain: np.ndarray, u1: float, name: str) -> Solution:
    """The frontier point with first payoff ``u1``, as a lottery of two neighbouring vertices."""
    xs = problem.points[chain, 0]
    k = int(np.clip(np.searchsorted(xs, u1, side="right") - 1, 0, len(chain) - 2))
    s = float(np.clip((u1 - xs[k]) / (xs[k + 1] - xs[k]), 0.0, 1.0))
    mix = np.zeros(problem.n_points)
    mix[chain[k]] += 1.0 - s
    mix[chain[k + 1]] += s
    return _lottery(problem, name, mix)


# ----------------------------------------------------------------------------------------- geometry


def _linprog(
    cost: np.ndarray,
    a_ub: np.ndarray | None,
    b_ub: np.ndarray | None,
    a_eq: np.ndarray | None = None,
    b_eq: np.ndarray | None = None,
    extra: int = 0,
) -> Any:
    """Solve an LP over lottery weights (the first ``len(cost) - extra`` variables, summing to 1).

    ``a_eq``/``b_eq`` replace the simplex constraint when given. Returns the scipy result, or
    None when the program is infeasible.
    """
    from scipy.optimize import linprog  # imported here: slow to import, rarely needed

    count = len(cost) - extra
    if a_eq is None:
        a_eq = np.hstack([np.ones((1, count)), np.zeros((1, extra))])
        b_eq = np.ones(1)
    bounds = [(0.0, None)] * count + [(None, None)] * extra
    options = {
        "primal_feasibility_tolerance": LP_TOLERANCE,
        "dual_feasibility_tolerance": LP_TOLERANCE,
        "presolve": False,  # HiGHS's presolve takes seconds on thousands of lottery weights
    }
    result = linprog(
        cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs", options=options
    )
    if result.status == 2:
        return None
    if result.status != 0:
        raise SolverError(f"bargaining: a linear program failed ({result.message})")
    return result


def _max_along(scaled: np.ndarray, direction: np.ndarray) -> tuple[float, np.ndarray]:
    """The largest ``t`` such that some lottery's gains are at least ``t * direction``, and the lottery."""
    count, n = scaled.shape
    cost = np.zeros(count + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-scaled.T, np.asarray(direction, dtype=np.float64).reshape(n, 1)])
    result = _linprog(cost, a_ub, np.zeros(n), extra=1)
    if result is None:  # pragma: no cover - t is free, so some t is always feasible
        raise SolverError("bargaining: a linear program found no lottery")
    mix = np.clip(result.x[:count], 0.0, None)
    return float(result.x[-1]), mix / mix.sum()


def _improve(scaled: np.ndarray, mix: np.ndarray) -> tuple[np.ndarray, bool]:
    """A Pareto-efficient lottery at least as good for everyone as ``mix`` (the same one if efficient).

    Maximises the total scaled gain among lotteries paying every player at least what ``mix``
    pays; a maximiser of a positive sum is Pareto efficient.
    """
    floor = scaled.T @ mix
    try:
        result = _linprog(-scaled.sum(axis=1), -scaled.T, -floor)
    except SolverError:  # HiGHS may give up on this degenerate program: keep the lottery
        result = None
    if result is None:
        return mix, False
    if -float(result.fun) <= float(floor.sum()) + 1e-8:
        return mix, False
    better = np.clip(result.x, 0.0, None)
    return better / better.sum(), True


def _pareto(points: np.ndarray) -> np.ndarray:
    """Indices of the points no other point beats (each distinct vector once, its first index).

    Two players: one sort and a running maximum; more: :func:`negsim.analysis.welfare.pareto_efficient`.
    """
    if points.shape[1] != 2:
        return pareto_efficient(points)
    order = np.lexsort((-points[:, 1], -points[:, 0]))  # first payoff down, then second down
    second = points[order, 1]
    best_before = np.maximum.accumulate(np.concatenate([[-np.inf], second[:-1]]))
    return np.sort(order[second > best_before])


def _expand(indices: np.ndarray, mix: np.ndarray, count: int) -> np.ndarray:
    """Weights over ``count`` points from weights over the points ``indices``."""
    full = np.zeros(count)
    full[indices] = mix
    return full


def _upper_chain(points: np.ndarray) -> np.ndarray:
    """Indices of the efficient vertices of the convex hull of two-player points, left to right.

    The Pareto-efficient points, ordered by the first payoff, with every point on or below the
    chord between its neighbours removed (a monotone-chain upper hull).
    """
    front = _pareto(points)
    order = front[np.argsort(points[front, 0], kind="stable")]
    eps = 1e-12 * max(float(np.abs(points).max()), 1e-300) ** 2
    chain: list[int] = []
    for j in order:
        while len(chain) >= 2:
            a, b, c = points[chain[-2]], points[chain[-1]], points[j]
            cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
            if cross >= -eps:
                chain.pop()
            else:
                break
        chain.append(int(j))
    return np.array(chain, dtype=np.intp)


def _efficient_vertices(scaled: np.ndarray) -> np.ndarray:
    """Points that no lottery beats and that are not lotteries of other such points (any N)."""
    front = _pareto(scaled)
    efficient = []
    for j in front:
        result = _linprog(-scaled.sum(axis=1), -scaled.T, -scaled[j])
        if result is not None and -float(result.fun) > float(scaled[j].sum()) + 1e-9:
            continue
        efficient.append(int(j))
    vertices = []
    for j in efficient:
        others = [k for k in efficient if k != j]
        if others:
            count = len(others)
            result = _linprog(
                np.zeros(count),
                None,
                None,
                np.vstack([scaled[others].T, np.ones((1, count))]),
                np.append(scaled[j], 1.0),
            )
            if result is not None:
                continue
        vertices.append(j)
    return np.array(vertices, dtype=np.intp)
