"""Every extreme Nash equilibrium of a two-player game, by enumerating best-response polytope vertices.

The method follows von Stengel (2002, 2007) and Avis, Rosenberg, Savani & von Stengel (2010).
After each payoff matrix is rescaled to the range [1, 2] (equilibria are unchanged by positive
affine payoff transformations), the best-response polytopes are

* ``P = {x in R^m : x >= 0, B^T x <= 1}`` for the row player and
* ``Q = {y in R^n : y >= 0, A y <= 1}`` for the column player.

Labels ``0 .. m-1`` stand for the row strategies and ``m .. m+n-1`` for the column strategies.
A point ``x`` of ``P`` has label ``i`` when ``x_i = 0`` and label ``m + j`` when column ``j`` is
a best reply to it (``(B^T x)_j = 1``); a point ``y`` of ``Q`` has label ``i`` when row ``i`` is
a best reply (``(A y)_i = 1``) and label ``m + j`` when ``y_j = 0``. The extreme equilibria are
the completely labelled vertex pairs other than ``(0, 0)``, normalised to probabilities.

Vertices are found by brute force: for every row set ``I`` and column set ``J`` of the same size
``k``, the ``k x k`` system that makes ``x_i`` free for ``i`` in ``I`` and the constraints of
``J`` tight is solved, and feasible solutions are kept. Every vertex of a polytope, simple or
not, is the unique solution of some non-singular square subsystem of its tight constraints, so
this finds every vertex of a degenerate game too. The systems of one size are solved together
by a vectorised Gaussian elimination with partial pivoting.

Tolerances act on the rescaled payoffs, where every vertex coordinate lies in [0, 1]:
``LABEL_TOLERANCE`` decides feasibility and which constraints are tight, ``PIVOT_TOLERANCE``
decides which subsystems are singular. Each reported equilibrium is then checked in the
original payoffs against the regret tolerance the caller asked for.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np

from negsim.errors import DegenerateGameWarning, SolverError
from negsim.game.normal_form import NormalFormGame
from negsim.solvers.result import DEFAULT_TOLERANCE, Equilibrium, SolveResult
from negsim.solvers.verify import Verifier, absolute_tolerance

#: A constraint is tight (a label is present) and a point is feasible within this margin,
#: measured on payoffs rescaled to [1, 2], where vertex coordinates lie in [0, 1].
LABEL_TOLERANCE = 1e-9

#: A subsystem whose pivot (after partial pivoting) is smaller than this is treated as singular.
#: Its matrix has entries in [1, 2]; exact ties in the payoffs give pivots near 1e-16.
PIVOT_TOLERANCE = 1e-10

#: Entries of the augmented systems solved at once (32 MiB); also bounds the dominance tables.
CHUNK_ENTRIES = 1 << 22

#: A column whose payoffs fall short of another's by more than this in every row of a support
#: is never a best reply there (on payoffs rescaled to [1, 2]; four times the label tolerance,
#: so pruning never removes a point the label test would accept).
DOMINANCE_MARGIN = 4 * LABEL_TOLERANCE

#: Maximal Nash subsets are listed only when there are at most this many extreme equilibria.
GROUPING_LIMIT = 500

#: Grouping stops (and says so) if the equilibria form more than this many candidate subsets.
SUBSET_LIMIT = 2000

DEGENERATE_NOTE = "the game is degenerate: some equilibria may form continua; their extreme points are listed"


def vertex_enumeration(game: NormalFormGame, /, *, tol: float = DEFAULT_TOLERANCE) -> SolveResult:
    """Every extreme Nash equilibrium of a two-player game, by vertex enumeration.

    Enumerates the vertices of both best-response polytopes and pairs the completely
    labelled ones (von Stengel 2007, "Equilibrium computation for two-player games in
    strategic and extensive form", Algorithm 3.5; Avis, Rosenberg, Savani & von Stengel 2010).
    In a nondegenerate game these are all the equilibria. In a degenerate game (a mixed
    strategy with more pure best replies than the size of its support) equilibria may form
    continua; their extreme points are reported, ``degenerate`` is True, a
    :class:`~negsim.errors.DegenerateGameWarning` is emitted, and a note names the
    equilibria that are the corners of one continuum (the maximal Nash subsets).

    Parameters
    ----------
    game
        A two-player game.
    tol
        Regret tolerance relative to the game's payoff scale; every reported equilibrium
        meets it.

    Returns
    -------
    SolveResult
        Method ``"vertex-enumeration"``; ``complete`` is True unless some candidate failed
        verification (a note then says how many).

    Raises
    ------
    SolverError
        If the game does not have exactly two players.

    Examples
    --------
    >>> bos = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> result = vertex_enumeration(bos)
    >>> [[s.round(2).tolist() for s in e.strategies] for e in result.equilibria]
    [[[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]], [[0.6, 0.4], [0.4, 0.6]]]
    >>> result.complete, result.degenerate
    (True, False)
    """
    if game.n_players != 2:
        raise SolverError(f"vertex_enumeration needs a two-player game; this one has {game.n_players}")
    row_payoffs, column_payoffs = rescaled_payoffs(game)
    m, n = game.shape

    x_labels, y_labels = _polytope_vertices(row_payoffs, column_payoffs)
    degenerate = bool((x_labels.sum(axis=1) > m).any() or (y_labels.sum(axis=1) > n).any())
    x_index, y_index = _complete_pairs(x_labels, y_labels)

    x_mixes = {}
    for p in np.unique(x_index).tolist():
        free, tight = ~x_labels[p, :m], x_labels[p, m:]
        x_mixes[p] = _as_mix(_refine(free, column_payoffs[np.ix_(free, tight)].T))
    y_mixes = {}
    for q in np.unique(y_index).tolist():
        free, tight = ~y_labels[q, m:], y_labels[q, :m]
        y_mixes[q] = _as_mix(_refine(free, row_payoffs[np.ix_(tight, free)]))
    candidates = sorted(
        ((x_mixes[p], y_mixes[q]) for p, q in zip(x_index.tolist(), y_index.tolist())), key=_profile_order
    )

    abs_tol = absolute_tolerance(game, tol)
    equilibria, rejected = Verifier(game, abs_tol).many(candidates)

    notes = []
    if rejected:
        notes.append(
            f"{rejected} of {len(candidates)} candidate equilibria failed verification "
            f"(max regret above {abs_tol:.3g}) and are not listed; the list may be incomplete"
        )
    if degenerate:
        warnings.warn(DegenerateGameWarning(f"{game!r}: {DEGENERATE_NOTE}"), stacklevel=2)
        notes.append(DEGENERATE_NOTE)
        notes.extend(_continuum_notes(game, equilibria))
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="vertex-enumeration",
        complete=rejected == 0,
        degenerate=degenerate,
        tolerance=abs_tol,
        notes=tuple(notes),
    )


def rescaled_payoffs(game: NormalFormGame) -> tuple[np.ndarray, np.ndarray]:
    """The two payoff matrices, each mapped by a positive affine map onto the range [1, 2].

    Nash equilibria are unchanged, and the best-response polytopes of the rescaled game are
    bounded and well scaled (von Stengel 2007, sec. 3.2). A constant matrix becomes all ones.

    Examples
    --------
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> rescaled_payoffs(pd)[0].tolist()
    [[1.6, 1.0], [2.0, 1.2]]
    """
    if game.n_players != 2:
        raise SolverError(f"rescaled_payoffs needs a two-player game; this one has {game.n_players}")
    rescaled = []
    for matrix in game.matrices():
        low, high = float(matrix.min()), float(matrix.max())
        rescaled.append(np.ones(matrix.shape) if high <= low else 1.0 + (matrix - low) / (high - low))
    return rescaled[0], rescaled[1]


def gaussian_solve(systems: np.ndarray, pivot_tol: float = PIVOT_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """Solve a batch of square linear systems at once by Gaussian elimination.

    Gaussian elimination with partial pivoting and back substitution (Golub & Van Loan,
    "Matrix Computations", 4th ed., Algorithms 3.4.1 and 3.1.2), each step applied to every
    system of the batch in one vectorised operation. The batch axis is last, so each step
    works on contiguous rows. A singular system does not stop the others: it is flagged as
    soon as its pivot falls below ``pivot_tol`` in magnitude.

    Parameters
    ----------
    systems
        Augmented matrices ``[M | b]`` stacked along the last axis: shape ``(k, k + 1, N)``,
        ``systems[:, :, s]`` is system ``s``. Overwritten.
    pivot_tol
        Smallest pivot magnitude accepted.

    Returns
    -------
    solutions
        Array ``(k, N)``: column ``s`` solves system ``s`` (meaningless where singular).
    regular
        Boolean array ``(N,)``: true where the system is non-singular.

    Examples
    --------
    >>> first = [[2., 1., 3.], [1., 3., 5.]]      # 2x + y = 3, x + 3y = 5
    >>> singular = [[1., 1., 1.], [2., 2., 2.]]
    >>> solutions, regular = gaussian_solve(np.stack([first, singular], axis=-1))
    >>> solutions[:, 0].round(12).tolist(), regular.tolist()
    ([0.8, 1.4], [True, False])
    """
    k = systems.shape[0]
    regular = np.ones(systems.shape[2], dtype=bool)
    for step in range(k):
        rest = systems[step:]
        if step + 1 < k:
            best = np.abs(rest[:, step]).argmax(axis=0)[None, None, :]
            pivot_row = np.take_along_axis(rest, best, axis=0)[0]
            np.put_along_axis(rest, best, rest[:1], axis=0)
            rest[0] = pivot_row
        pivot = rest[0, step]
        small = np.abs(pivot) < pivot_tol
        if small.any():
            regular &= ~small
            pivot[small] = 1.0
        if step + 1 < k:
            factors = rest[1:, step] / pivot
            rest[1:, step + 1 :] -= factors[:, None, :] * rest[0, step + 1 :][None]
    solutions = np.empty((k, systems.shape[2]))
    for step in range(k - 1, -1, -1):
        known = np.einsum("rs,rs->s", systems[step, step + 1 : k], solutions[step + 1 :])
        solutions[step] = (systems[step, k] - known) / systems[step, step]
    return solutions, regular


def _polytope_vertices(row_payoffs: np.ndarray, column_payoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Label sets of the nonzero vertices of P and of Q: boolean arrays ``(vertices, m + n)``.

    System ``(I, J)`` of P makes the columns ``J`` tight for a point supported on the rows
    ``I``; it is skipped when some column of ``J`` is strictly dominated on the rows ``I``
    (then that column cannot be a best reply to such a point). Likewise for Q.
    """
    m, n = row_payoffs.shape
    column_t = column_payoffs.T
    x_beats = _beats(column_payoffs)
    y_beats = _beats(row_payoffs.T)
    x_found, y_found = [], []
    for k in range(1, min(m, n) + 1):
        row_sets = np.array(list(combinations(range(m), k)), dtype=np.intp)
        column_sets = np.array(list(combinations(range(n), k)), dtype=np.intp)
        x_dominated = _dominated(x_beats, row_sets, n)
        y_dominated = _dominated(y_beats, column_sets, m)
        total = len(row_sets) * len(column_sets)
        chunk = max(1, CHUNK_ENTRIES // (2 * k * (k + 1)))
        for start in range(0, total, chunk):
            pair = np.arange(start, min(total, start + chunk))
            row_index, column_index = np.divmod(pair, len(column_sets))
            rows, columns = row_sets[row_index], column_sets[column_index]
            x_keep = ~x_dominated[row_index[:, None], columns].any(axis=1)
            y_keep = ~y_dominated[column_index[:, None], rows].any(axis=1)
            x_rows, x_columns = rows[x_keep].T, columns[x_keep].T
            y_rows, y_columns = rows[y_keep].T, columns[y_keep].T
            split = x_rows.shape[1]
            systems = np.empty((k, k + 1, split + y_rows.shape[1]))
            # P: B[I, J]^T x_I = 1 (columns J tight);  Q: A[I, J] y_J = 1 (rows I tight)
            systems[:, :k, :split] = np.take(column_t, x_columns[:, None, :] * m + x_rows[None, :, :])
            systems[:, :k, split:] = np.take(row_payoffs, y_rows[:, None, :] * n + y_columns[None, :, :])
            systems[:, k, :] = 1.0
            solutions, regular = gaussian_solve(systems)
            zero, tight = _vertex_labels(solutions[:, :split], regular[:split], x_rows, column_payoffs)
            x_found.append(_unique_rows(np.hstack([zero, tight])))
            zero, tight = _vertex_labels(solutions[:, split:], regular[split:], y_columns, row_payoffs.T)
            y_found.append(_unique_rows(np.hstack([tight, zero])))
    return _unique_rows(np.vstack(x_found)), _unique_rows(np.vstack(y_found))


def _beats(matrix: np.ndarray) -> np.ndarray | None:
    """``beats[i, a, b]``: column ``a`` pays more than column ``b`` in row ``i`` by a clear margin.

    None when the array would be too large (the pruning it serves is then skipped).
    """
    rows, columns = matrix.shape
    if rows * columns * columns > CHUNK_ENTRIES:
        return None
    return matrix[:, :, None] - matrix[:, None, :] > DOMINANCE_MARGIN


def _dominated(beats: np.ndarray | None, sets: np.ndarray, columns: int) -> np.ndarray:
    """``dominated[s, b]``: some column beats column ``b`` in every row of ``sets[s]``."""
    if beats is None or len(sets) * columns * columns > CHUNK_ENTRIES:
        return np.zeros((len(sets), columns), dtype=bool)
    every_row = beats[sets[:, 0]]
    for position in range(1, sets.shape[1]):
        every_row &= beats[sets[:, position]]
    return every_row.any(axis=1)


def _vertex_labels(
    solutions: np.ndarray, regular: np.ndarray, support: np.ndarray, constraints: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Zero-coordinate and tight-constraint masks of the feasible subsystem solutions.

    Column ``s`` of ``solutions`` gives values to the coordinates ``support[:, s]`` (the others
    are zero); the polytope's other constraints are ``point @ constraints <= 1``.
    """
    keep = regular & (solutions >= -LABEL_TOLERANCE).all(axis=0)
    points = np.zeros((int(keep.sum()), constraints.shape[0]))
    np.put_along_axis(points, support[:, keep].T, solutions[:, keep].T, axis=1)
    values = points @ constraints
    keep = (values <= 1.0 + LABEL_TOLERANCE).all(axis=1)
    return points[keep] <= LABEL_TOLERANCE, values[keep] >= 1.0 - LABEL_TOLERANCE


def _unique_rows(labels: np.ndarray) -> np.ndarray:
    """Distinct label sets (a vertex is determined by its set of tight constraints)."""
    if len(labels) == 0:
        return labels
    _, first = np.unique(np.packbits(labels, axis=1), axis=0, return_index=True)
    return labels[np.sort(first)]


def _complete_pairs(x_labels: np.ndarray, y_labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(p, q)`` of vertices whose label sets together cover every label.

    The count of labels missing from both is ``(1 - Lx) @ (1 - Ly)^T``, computed in row blocks.
    """
    missing_x = (~x_labels).astype(np.float32)
    missing_y = (~y_labels).astype(np.float32).T
    block = max(1, CHUNK_ENTRIES // max(1, missing_y.shape[1]))
    x_index, y_index = [], []
    for start in range(0, len(missing_x), block):
        p, q = np.nonzero(missing_x[start : start + block] @ missing_y < 0.5)
        x_index.append(p + start)
        y_index.append(q)
    if not x_index:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(x_index), np.concatenate(y_index)


def _refine(free: np.ndarray, tight_system: np.ndarray) -> np.ndarray:
    """Recompute a vertex from all its tight constraints, which determine it uniquely.

    ``free`` marks the coordinates without a zero label; ``tight_system`` holds the tight
    best-reply constraints restricted to them (each equal to 1). Solving the whole, possibly
    overdetermined, system by least squares makes the vertex independent of which square
    subsystem found it and as accurate as the data allow.
    """
    point = np.zeros(len(free))
    point[free] = np.linalg.lstsq(tight_system, np.ones(len(tight_system)), rcond=None)[0]
    return np.clip(point, 0.0, None)


def _as_mix(point: np.ndarray) -> np.ndarray:
    """Normalise a nonzero polytope point to a probability vector."""
    return point / point.sum()


def _profile_order(profile: tuple[np.ndarray, np.ndarray]) -> tuple[int, tuple[float, ...]]:
    """Sort key: smaller supports first, then larger weight on earlier strategies."""
    x, y = profile
    return int((x > 0).sum() + (y > 0).sum()), tuple((-np.concatenate([x, y])).tolist())


def _continuum_notes(game: NormalFormGame, equilibria: list[Equilibrium]) -> list[str]:
    """Plain-language notes naming the extreme equilibria that span one continuum.

    Extreme equilibria ``(x, y)`` and ``(x', y')`` lie in a common convex set of equilibria
    exactly when ``(x, y')`` and ``(x', y)`` are equilibria too. The maximal such sets, the
    maximal Nash subsets, are the maximal bicliques of the bipartite graph whose edges are the
    extreme equilibria (Avis, Rosenberg, Savani & von Stengel 2010, sec. 5). Their column
    sides are the nonempty intersections of neighbourhoods of row strategies, built up one
    row strategy at a time (formal-concept closure).
    """
    if len(equilibria) > GROUPING_LIMIT:
        return [f"the {len(equilibria)} extreme equilibria were not grouped into continua (too many)"]
    x_nodes, x_of = np.unique(np.array([e.strategies[0] for e in equilibria]), axis=0, return_inverse=True)
    y_nodes, y_of = np.unique(np.array([e.strategies[1] for e in equilibria]), axis=0, return_inverse=True)
    neighbours = [frozenset(y_of[x_of == a].tolist()) for a in range(len(x_nodes))]
    closed: set[frozenset[int]] = set()
    for column_side in neighbours:
        closed |= {column_side} | {column_side & other for other in closed if column_side & other}
        if len(closed) > SUBSET_LIMIT:
            return [f"the extreme equilibria form more than {SUBSET_LIMIT} overlapping continua; not listed"]
    number = {(int(a), int(b)): k + 1 for k, (a, b) in enumerate(zip(x_of, y_of))}
    subsets = []
    for column_side in closed:
        row_side = [a for a, near in enumerate(neighbours) if column_side <= near]
        corners = sorted(number[a, b] for a in row_side for b in column_side)
        if len(corners) > 1:
            subsets.append(corners)
    player_1, player_2 = game.players
    notes = []
    for corners in sorted(subsets):
        listed = ", ".join(str(k) for k in corners[:-1]) + f" and {corners[-1]}"
        notes.append(
            f"equilibria {listed} are the corners of one continuum of equilibria (a maximal Nash subset): "
            f"any mix of their strategies for {player_1} together with any mix of their strategies "
            f"for {player_2} is an equilibrium"
        )
    return notes
