"""Many parameter values at once: payoffs evaluated on arrays, equilibria found across the batch.

A batch is a set of parameter points (a sweep's grid, a sample's draws). The scenario's
payoff expressions are evaluated once on arrays of values, giving a payoff tensor for every
point; then

* pure equilibria of every point are found with one array comparison per player;
* for two parties, mixed equilibria are found by support enumeration across the whole batch:
  for each pair of equal-size supports, one batched linear solve gives the candidate mixes of
  every point, which are kept where they are probabilities and best replies;
* a point where that method may miss equilibria (the game is degenerate there: ties in the
  payoffs, a singular system, a best reply outside the support) is solved again on its own
  by the exact solver, so every point's answer is complete and verified.

Games with three or more parties get their pure equilibria, as in ``negsim solve``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import UsageError
from negsim.scenario.model import Scenario
from negsim.solvers.result import DEFAULT_TOLERANCE

#: Two-party games up to this many strategies a side get mixed equilibria by batched support
#: enumeration; larger ones are solved point by point.
BATCH_SUPPORT_LIMIT = 6

#: Points are evaluated and solved this many at a time (bounds the memory of one step).
CHUNK = 4096


@dataclass(frozen=True, eq=False)
class Equilibria:
    """Equilibria of many games as arrays, one row per equilibrium.

    ``point`` says which game (point of the batch) each row belongs to; ``strategies`` holds one
    array ``(n_rows, n_strategies)`` per player and ``payoffs`` an array ``(n_rows, n_players)``.
    """

    point: np.ndarray
    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray

    def __len__(self) -> int:
        return len(self.point)

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> Equilibria:
        return cls(
            np.zeros(0, dtype=np.int64), tuple(np.zeros((0, n)) for n in shape), np.zeros((0, len(shape)))
        )

    @classmethod
    def join(cls, parts: list[Equilibria], shape: tuple[int, ...]) -> Equilibria:
        """All rows of ``parts``, ordered by point (stable within a point)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty(shape)
        point = np.concatenate([p.point for p in parts])
        order = np.argsort(point, kind="stable")
        strategies = tuple(np.concatenate([p.strategies[k] for p in parts])[order] for k in range(len(shape)))
        return cls(point[order], strategies, np.concatenate([p.payoffs for p in parts])[order])

    @property
    def pure(self) -> np.ndarray:
        """Whether each equilibrium is pure."""
        result = np.ones(len(self), dtype=bool)
        for mix in self.strategies:
            result &= np.count_nonzero(mix > 0, axis=1) == 1
        return result


@dataclass(frozen=True, eq=False)
class BatchSolution:
    """The equilibria of a scenario at every point of a batch of parameter values.

    Attributes
    ----------
    values
        Parameter name -> array of shape ``(n_points,)`` (every parameter, varied or not).
    equilibria
        Every verified equilibrium of every point, as arrays (see :class:`Equilibria`).
    outcomes
        The scenario's named outcomes, in file order.
    outcome_probability
        Array ``(n_equilibria, n_outcomes)``: the probability that each equilibrium's play falls
        in each named outcome.
    reached
        Boolean array ``(n_points, n_outcomes)``: whether some equilibrium of the point reaches
        the outcome with positive probability.
    complete
        Whether every equilibrium was searched for (two parties), or pure ones only.
    """

    scenario: Scenario
    values: Mapping[str, np.ndarray]
    equilibria: Equilibria
    outcomes: tuple[str, ...]
    outcome_probability: np.ndarray
    reached: np.ndarray
    complete: bool
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]

    @property
    def n_points(self) -> int:
        return int(self.reached.shape[0])

    def records(self, varied: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Tidy rows: one per point and equilibrium (a point without one gets no row).

        Each row has the varied parameters (all parameters when ``varied`` is None), ``point``,
        ``equilibrium`` (its number at that point, from 1), ``pure``, ``outcomes`` (the named
        outcomes it reaches, joined by "; "), one ``payoff: <player>`` column per player and one
        ``plays: <player>`` column (a strategy, or strategies with probabilities).
        """
        names = tuple(self.values) if varied is None else varied
        rows = []
        counter: dict[int, int] = {}
        equilibria = self.equilibria
        pure = equilibria.pure
        for row_index, point in enumerate(equilibria.point.tolist()):
            counter[point] = counter.get(point, 0) + 1
            row: dict[str, Any] = {name: float(self.values[name][point]) for name in names}
            row.update(point=point, equilibrium=counter[point], pure=bool(pure[row_index]))
            probabilities = self.outcome_probability[row_index]
            row["outcomes"] = "; ".join(name for name, p in zip(self.outcomes, probabilities) if p > 1e-12)
            for player, value in zip(self.players, equilibria.payoffs[row_index]):
                row[f"payoff: {player}"] = float(value)
            for k, (player, labels) in enumerate(zip(self.players, self.strategies)):
                row[f"plays: {player}"] = _plays(labels, equilibria.strategies[k][row_index])
            rows.append(row)
        return rows


def _plays(labels: tuple[str, ...], mix: np.ndarray) -> str:
    support = [k for k in np.argsort(-mix, kind="stable") if mix[k] > 0]
    if len(support) == 1:
        return labels[support[0]]
    return ", ".join(f"{labels[k]} {float(mix[k]):.4g}" for k in support)


def parameter_arrays(scenario: Scenario, varied: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every parameter as an array over the points: ``varied`` ones as given, others constant.

    Raises :class:`~negsim.errors.UsageError` for an unknown parameter or arrays of different lengths.
    """
    from negsim.scenario.validation import suggest

    declared = scenario.parameters
    lengths = set()
    arrays: dict[str, np.ndarray] = {}
    for name, value in varied.items():
        if name not in declared:
            raise UsageError(f"unknown parameter '{name}'; {suggest(name, declared)}")
        array = np.asarray(value, dtype=np.float64).reshape(-1)
        if not np.all(np.isfinite(array)):
            raise UsageError(f"parameter '{name}' needs finite numbers")
        lengths.add(len(array))
        arrays[name] = array
    if len(lengths) > 1:
        raise UsageError(f"the varied parameters have different numbers of points: {sorted(lengths)}")
    n = lengths.pop() if lengths else 1
    base = scenario.parameter_values()
    return {name: arrays.get(name, np.full(n, float(base[name]))) for name in declared}


def solve_batch(
    scenario: Scenario, varied: Mapping[str, Any], *, tol: float = DEFAULT_TOLERANCE
) -> BatchSolution:
    """The equilibria of ``scenario`` at every point given by ``varied`` (name -> values).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> batch = solve_batch(s, {"guarantee_value": [0, 4, 8]})
    >>> batch.reached[:, batch.outcomes.index("settlement")].tolist()
    [False, True, True]
    """
    values = parameter_arrays(scenario, varied)
    n_points = len(next(iter(values.values()))) if values else 1
    game = scenario.game()
    masks = scenario.outcome_masks()
    parts = []
    for start in range(0, n_points, CHUNK):
        stop = min(n_points, start + CHUNK)
        chunk = {name: array[start:stop] for name, array in values.items()}
        tensor = scenario.payoff_tensor(chunk) if values else scenario.payoff_tensor()[None]
        tensor = np.broadcast_to(tensor, (stop - start, *game.payoffs.shape))
        part = _solve_chunk(tensor, tol, game.players, game.strategies)
        parts.append(Equilibria(part.point + start, part.strategies, part.payoffs))
    equilibria = Equilibria.join(parts, game.shape)
    probability = _outcome_probabilities(masks, equilibria)
    reached = np.zeros((n_points, len(masks)), dtype=bool)
    for k in range(len(masks)):
        np.logical_or.at(reached[:, k], equilibria.point, probability[:, k] > 1e-12)
    return BatchSolution(
        scenario=scenario,
        values=values,
        equilibria=equilibria,
        outcomes=tuple(masks),
        outcome_probability=probability,
        reached=reached,
        complete=game.n_players == 2,
        players=game.players,
        strategies=game.strategies,
    )


def _outcome_probabilities(masks: Mapping[str, np.ndarray], equilibria: Equilibria) -> np.ndarray:
    """Array ``(n_equilibria, n_outcomes)``: the probability of each outcome under each equilibrium."""
    result = np.zeros((len(equilibria), len(masks)))
    letters = "abcdefghijklmnopqrstuvwxyz"
    for k, mask in enumerate(masks.values()):
        n = mask.ndim
        spec = ",".join(f"z{letters[i]}" for i in range(n)) + f",{letters[:n]}->z"
        result[:, k] = np.einsum(spec, *equilibria.strategies, mask.astype(np.float64))
    return np.clip(result, 0.0, 1.0)


def _solve_chunk(
    tensor: np.ndarray, tol: float, players: tuple[str, ...], strategies: tuple[tuple[str, ...], ...]
) -> Equilibria:
    """Equilibria of every game in ``tensor`` (shape ``(B, n_1, ..., n_N, N)``)."""
    n_points = tensor.shape[0]
    n_players = tensor.shape[-1]
    shape = tensor.shape[1:-1]
    flat = tensor.reshape(n_points, -1, n_players)
    scale = np.ptp(flat, axis=1).max(axis=1)
    atol = tol * np.where(scale > 0, scale, 1.0)
    mask = np.ones((n_points, *shape), dtype=bool)
    for player in range(n_players):
        table = tensor[..., player]
        best = table.max(axis=player + 1, keepdims=True)
        mask &= table >= best - atol.reshape((-1,) + (1,) * n_players)
    exact = np.zeros(n_points, dtype=bool)
    mixed = Equilibria.empty(shape)
    if n_players == 2:
        if max(shape) > BATCH_SUPPORT_LIMIT:
            exact[:] = True
        else:
            mixed, suspect = _supports(tensor[..., 0], tensor[..., 1], atol)
            exact = suspect | _pure_ties(tensor, atol)
    mask &= ~exact.reshape((-1,) + (1,) * n_players)
    hits = np.argwhere(mask)
    pure = Equilibria(
        hits[:, 0],
        tuple(np.eye(size)[hits[:, k + 1]] for k, size in enumerate(shape)),
        tensor[tuple(hits.T)],
    )
    keep = ~exact[mixed.point]
    mixed = Equilibria(mixed.point[keep], tuple(s[keep] for s in mixed.strategies), mixed.payoffs[keep])
    solved = [_exact(tensor[point], tol, int(point), players, strategies) for point in np.flatnonzero(exact)]
    return Equilibria.join([pure, mixed, *solved], shape)


def _pure_ties(tensor: np.ndarray, atol: np.ndarray) -> np.ndarray:
    """Points where some pure strategy has two or more best replies (a degenerate game)."""
    row, column = tensor[..., 0], tensor[..., 1]
    limit = atol[:, None, None]
    row_ties = ((row >= row.max(axis=1, keepdims=True) - limit).sum(axis=1) > 1).any(axis=1)
    column_ties = ((column >= column.max(axis=2, keepdims=True) - limit).sum(axis=2) > 1).any(axis=1)
    return np.asarray(row_ties | column_ties)


def _supports(row: np.ndarray, column: np.ndarray, atol: np.ndarray) -> tuple[Equilibria, np.ndarray]:
    """Mixed equilibria (supports of size 2 or more) of every two-party game, and the suspect points."""
    n_points, m, n = row.shape
    found: list[Equilibria] = []
    suspect = np.zeros(n_points, dtype=bool)
    limit = atol[:, None]
    for size in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), size):
            for cols in itertools.combinations(range(n), size):
                y, y_ok, y_solvable = _indifference(row[:, rows][:, :, cols])  # column mix: rows indifferent
                x, x_ok, x_solvable = _indifference(np.swapaxes(column[:, rows][:, :, cols], 1, 2))
                # a singular system with solutions may hide a continuum of equilibria: solve exactly
                suspect |= ~(y_ok & x_ok) & y_solvable & x_solvable
                ys = np.zeros((n_points, n))
                ys[:, cols] = y
                xs = np.zeros((n_points, m))
                xs[:, rows] = x
                row_values = np.einsum("bij,bj->bi", row, ys)
                column_values = np.einsum("bi,bij->bj", xs, column)
                v = row_values[:, rows[0]]
                u = column_values[:, cols[0]]
                good = y_ok & x_ok & np.all(y > -1e-12, axis=1) & np.all(x > -1e-12, axis=1)
                good &= np.all(row_values <= v[:, None] + limit, axis=1)
                good &= np.all(column_values <= u[:, None] + limit, axis=1)
                # a best reply outside the support, or a zero weight inside it: degenerate
                extra = (np.sum(row_values >= v[:, None] - limit, axis=1) > size) | (
                    np.sum(column_values >= u[:, None] - limit, axis=1) > size
                )
                thin = np.any(y <= 1e-12, axis=1) | np.any(x <= 1e-12, axis=1)
                suspect |= good & (extra | thin)
                take = np.flatnonzero(good & ~extra & ~thin)
                if len(take):
                    mixes = tuple(np.clip(a[take], 0, None) for a in (xs, ys))
                    mixes = tuple(mix / mix.sum(axis=1, keepdims=True) for mix in mixes)
                    found.append(Equilibria(take, mixes, np.stack([v[take], u[take]], axis=1)))
    return Equilibria.join(found, (m, n)), suspect


def _indifference(block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each point, the mix ``q`` over the block's columns that makes every row pay the same.

    Solves ``block @ q = v``, ``sum(q) = 1`` for ``(q, v)``. Returns ``q``, whether the system
    was well conditioned (so ``q`` is its one solution), and whether it has a solution at all
    (a singular system may have many, or none: then no equilibrium uses these supports).
    """
    n_points, size, _ = block.shape
    system = np.zeros((n_points, size + 1, size + 1))
    system[:, :size, :size] = block
    system[:, :size, size] = -1.0
    system[:, size, :size] = 1.0
    rhs = np.zeros((n_points, size + 1))
    rhs[:, size] = 1.0
    # |det| against Hadamard's bound (the product of the row lengths): small means near-singular
    bound = np.prod(np.linalg.norm(system, axis=2), axis=1)
    ok = np.abs(np.linalg.det(system)) > 1e-10 * bound
    safe = np.where(ok[:, None, None], system, np.eye(size + 1))
    solution = np.linalg.solve(safe, rhs[..., None])[..., 0]
    solvable = ok.copy()
    singular = np.flatnonzero(~ok)
    if len(singular):
        matrices = system[singular]
        least = np.linalg.pinv(matrices) @ rhs[singular][..., None]
        residual = np.linalg.norm(matrices @ least - rhs[singular][..., None], axis=(1, 2))
        solvable[singular] = residual <= 1e-9 * (1.0 + np.linalg.norm(matrices, axis=(1, 2)))
    return solution[:, :size], ok, solvable


def _exact(
    payoffs: np.ndarray,
    tol: float,
    point: int,
    players: tuple[str, ...],
    strategies: tuple[tuple[str, ...], ...],
) -> Equilibria:
    """One point solved on its own by :func:`negsim.solvers.solve` (all its equilibria, verified)."""
    import warnings

    from negsim.errors import DegenerateGameWarning
    from negsim.game.normal_form import NormalFormGame
    from negsim.solvers import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = solve(NormalFormGame(payoffs, players, strategies), tol=tol)
    rows = result.equilibria
    return Equilibria(
        np.full(len(rows), point, dtype=np.int64),
        tuple(
            np.array([e.strategies[k] for e in rows]).reshape(len(rows), size)
            for k, size in enumerate(payoffs.shape[:-1])
        ),
        np.array([e.payoffs for e in rows]).reshape(len(rows), len(players)),
    )
