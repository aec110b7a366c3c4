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

Small games find the vertices by brute force: for every row set ``I`` and column set ``J`` of the same size
``k``, the ``k x k`` system that makes ``x_i`` free for ``i`` in ``I`` and the constraints of
``J`` tight is solved, and feasible solutions are kept. Every vertex of a polytope, simple or
not, is the unique solution of some non-singular square subsystem of its tight constraints, so
this finds every vertex of a degenerate game too. Systems that cannot have a feasible solution
(a tight column strictly dominated on the support ``I`` by another column, or likewise for rows)
are skipped. The others are solved in large batches by a vectorised Gaussian elimination with
partial pivoting; small systems are padded to a common size so that a small game takes a few
vectorised steps. Larger games walk from the origin along the edges of each polytope instead:
a breadth-first search over its feasible bases by simplex pivots, one vectorised layer at a
time, visits every vertex (the graph of feasible bases of a polytope is connected; Avis &
Fukuda 1992) while solving far fewer systems than there are subsystems. Each basis's point is
recomputed from the original data, and if a polytope has more feasible bases than there are
subsystems (heavy ties), brute force is used after all. Vertices are then identified by their
label sets.

Tolerances act on the rescaled payoffs, where every vertex coordinate lies in [0, 1]:
``LABEL_TOLERANCE`` decides feasibility and which constraints are tight, ``PIVOT_TOLERANCE``
decides which subsystems are singular. Each reported equilibrium is then checked in the
original payoffs against the regret tolerance the caller asked for.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from itertools import combinations, product
from math import comb

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

#: Entries of the augmented systems solved at once (2 MiB, cache-sized); also bounds the tables
#: used for pruning.
CHUNK_ENTRIES = 1 << 18

#: A column whose payoffs fall short of another's by more than this in every row of a support
#: is never a best reply there (on payoffs rescaled to [1, 2]; four times the label tolerance,
#: so pruning never removes a point the label test would accept).
DOMINANCE_MARGIN = 4 * LABEL_TOLERANCE

#: Games with at most this many square subsystems (``C(m + n, m)``, 12,870 for 8 x 8) find their
#: vertices by brute force; larger ones by the search over feasible bases.
BRUTE_FORCE_LIMIT = 20_000

#: In the search over feasible bases, a pivot element must exceed this (payoffs in [1, 2]).
SEARCH_PIVOT_TOLERANCE = 1e-9

#: The search over feasible bases gives up after this many bases of one polytope (or more
#: than there are square subsystems) and brute force takes over.
SEARCH_BASIS_LIMIT = 40_000

#: Maximal Nash subsets are listed only when there are at most this many extreme equilibria.
GROUPING_LIMIT = 500

#: Grouping stops (and says so) if the equilibria form more than this many candidate subsets.
SUBSET_LIMIT = 2000

#: At most this many continua are described in notes (a final note counts the others).
CONTINUUM_NOTES = 10

DEGENERATE_NOTE = "the game is degenerate: some equilibria may form continua; their extreme points are listed"


def vertex_enumeration(
    game: NormalFormGame, /, *, tol: float = DEFAULT_TOLERANCE, max_systems: int | None = None
) -> SolveResult:
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
    max_systems
        Give up (raise :class:`SolverError`) rather than solve more than this many square
        subsystems by brute force, when the search over feasible bases has given up too.
        None (the default) never gives up.

    Returns
    -------
    SolveResult
        Method ``"vertex-enumeration"``; ``complete`` is True unless some candidate failed
        verification (a note then says how many).

    Raises
    ------
    SolverError
        If the game does not have exactly two players, or is too large for ``max_systems``.

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

    systems = comb(m + n, m)
    searched = None if systems <= BRUTE_FORCE_LIMIT else _searched_vertices(row_payoffs, column_payoffs)
    if searched is not None:
        x_labels, y_labels = searched
    elif max_systems is not None and systems > max_systems:
        searched_too = systems > BRUTE_FORCE_LIMIT
        raise SolverError(
            f"the {m}x{n} game is too large to enumerate: {systems:,} linear systems "
            f"(limit {max_systems:,})"
            + (f" and more than {SEARCH_BASIS_LIMIT:,} feasible bases" if searched_too else "")
        )
    else:
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
        ((x_mixes[p], y_mixes[q]) for p, q in zip(x_index.tolist(), y_index.tolist(), strict=True)),
        key=_profile_order,
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
    bounded and well scaled (von Stengel 2007). A constant matrix becomes all ones.

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
    "Matrix Computations", 4th ed., sections 3.1 and 3.4), each step applied to every
    system of the batch in one vectorised operation. The batch axis is last, so each step
    works on contiguous rows. A singular system does not stop the others: it is flagged as
    soon as its pivot falls below ``pivot_tol`` in magnitude.

    Parameters
    ----------
    systems
        Augmented matrices ``[M | b]`` stacked along the last axis: shape ``(k, k + 1, N)``,
        ``systems[:, :, s]`` is system ``s``. Overwritten when it is a C-contiguous float array.
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
    systems = np.ascontiguousarray(systems, dtype=np.float64)
    k, width, count = systems.shape
    regular = np.ones(count, dtype=bool)
    flat = systems.reshape(-1)
    row_offsets = np.arange(width * count).reshape(width, count)
    for step in range(k):
        if step + 1 < k:
            # swap row `step` of each system with its pivot row, through flat indices
            index = _largest_row(np.abs(systems[step:, step]), step) * (width * count) + row_offsets
            pivot_row = flat[index]
            flat[index] = systems[step]
            systems[step] = pivot_row
        pivot = systems[step, step]
        small = np.abs(pivot) < pivot_tol
        if small.any():
            regular &= ~small
            pivot[small] = 1.0
        if step + 1 < k:
            factors = systems[step + 1 :, step] / pivot
            systems[step + 1 :, step + 1 :] -= factors[:, None, :] * systems[step, step + 1 :][None]
    solutions = np.empty((k, count))
    for step in range(k - 1, -1, -1):
        known = np.einsum("rs,rs->s", systems[step, step + 1 : k], solutions[step + 1 :])
        solutions[step] = (systems[step, k] - known) / systems[step, step]
    return solutions, regular


def _largest_row(magnitudes: np.ndarray, first: int) -> np.ndarray:
    """Row index (counted from ``first``) of the largest entry in each column of a short array.

    Same as ``first + argmax(axis=0)``, but a pass per row is faster than numpy's strided argmax.
    """
    best = np.full(magnitudes.shape[1], first, dtype=np.intp)
    largest = magnitudes[0].copy()
    for offset in range(1, len(magnitudes)):
        larger = magnitudes[offset] > largest
        best[larger] = first + offset
        np.maximum(largest, magnitudes[offset], out=largest)
    return best


def _polytope_vertices(row_payoffs: np.ndarray, column_payoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Label sets of the nonzero vertices of P and of Q: boolean arrays ``(vertices, m + n)``.

    Subsystems come in blocks of one size ``k`` (see :func:`_subsystems`). Consecutive small
    blocks are solved together, each system padded to the largest size ``K`` of the group with
    an identity block and a zero right-hand side (``[[M, 0], [0, I]] [z, 0] = [1, 0]``), so that
    small games take a few vectorised steps rather than one round per size.
    """
    x_found: list[np.ndarray] = []
    y_found: list[np.ndarray] = []
    group: list[_Block] = []
    for block in _subsystems(row_payoffs, column_payoffs):
        size = block[0].shape[0]
        pending = sum(b[0].shape[1] + b[2].shape[1] for b in group) + block[0].shape[1] + block[2].shape[1]
        if group and pending * size * (size + 1) > CHUNK_ENTRIES:
            x_labels, y_labels = _solve_group(group, row_payoffs, column_payoffs)
            x_found, y_found = _collect(x_found, x_labels), _collect(y_found, y_labels)
            group = []
        group.append(block)
    x_labels, y_labels = _solve_group(group, row_payoffs, column_payoffs)
    x_found, y_found = _collect(x_found, x_labels), _collect(y_found, y_labels)
    return _unique_rows(np.vstack(x_found)), _unique_rows(np.vstack(y_found))


def _searched_vertices(
    row_payoffs: np.ndarray, column_payoffs: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Like :func:`_polytope_vertices`, by a search over feasible bases; None if it gives up."""
    m, n = row_payoffs.shape
    limit = min(comb(m + n, m), SEARCH_BASIS_LIMIT)
    x_points = basis_points(column_payoffs.T, limit)  # variables (x, slacks of the columns)
    if x_points is None:
        return None
    y_points = basis_points(row_payoffs, limit)  # variables (y, slacks of the rows)
    if y_points is None:
        return None
    x_labels = _unique_rows(x_points <= LABEL_TOLERANCE)
    y_labels = _unique_rows(y_points <= LABEL_TOLERANCE)
    y_labels = np.hstack([y_labels[:, n:], y_labels[:, :n]])
    return x_labels[~x_labels[:, :m].all(axis=1)], y_labels[~y_labels[:, m:].all(axis=1)]


def basis_points(constraints: np.ndarray, limit: int) -> np.ndarray | None:
    """The point of every feasible basis of ``{z >= 0 : M z <= 1}``, by a breadth-first search.

    In standard form ``M z + s = 1`` with ``(z, s) >= 0``, the search starts from the slack
    basis (the origin) and pivots every nonbasic variable in, with every leaving variable the
    minimum-ratio test allows (ties give several children at degenerate vertices), one whole
    layer of bases at a time. Feasible bases are adjacent by such pivots and their graph is
    connected (Avis & Fukuda 1992, "A pivoting algorithm for convex hulls and vertex
    enumeration of arrangements and polyhedra"), so every vertex is reached. Bases are keyed by
    bit masks; each basic solution is finally recomputed from ``M`` itself, so rounding does not
    accumulate along the search.

    Parameters
    ----------
    constraints
        ``M``, shape ``(c, d)``, positive entries (so the polytope is bounded).
    limit
        Give up (return None) after this many bases.

    Returns
    -------
    numpy.ndarray or None
        Array ``(bases, d + c)``: the values of ``(z, s)`` at each basis; None when there are
        more than ``limit`` bases or more than 63 variables.

    Examples
    --------
    >>> points = basis_points(np.array([[1.0, 2.0]]), 10)  # the triangle x, y >= 0, x + 2y <= 1
    >>> sorted(points.round(3).tolist())  # columns: x, y, slack
    [[0.0, 0.0, 1.0], [0.0, 0.5, 0.0], [1.0, 0.0, 0.0]]
    """
    c, d = constraints.shape
    width = d + c
    if width > 63:
        return None
    full = np.hstack([constraints, np.eye(c), np.ones((c, 1))])
    bits = np.left_shift(np.int64(1), np.arange(width, dtype=np.int64))
    basis = np.arange(d, width)[None, :]
    tableau = full[None].copy()
    seen = np.array([bits[d:].sum()], dtype=np.int64)
    found = [basis]
    chunk = max(1, 16 * CHUNK_ENTRIES // (c * (width + 1)))
    while len(basis):
        layer_bases, layer_tableaux = [], []
        for start in range(0, len(basis), chunk):
            children = _pivots(tableau[start : start + chunk], basis[start : start + chunk], bits, seen)
            if children is None:
                continue
            keys, child_bases, child_tableaux = children
            seen = np.union1d(seen, keys)
            if len(seen) > limit:
                return None
            layer_bases.append(child_bases)
            layer_tableaux.append(child_tableaux)
        if not layer_bases:
            break
        basis, tableau = np.vstack(layer_bases), np.vstack(layer_tableaux)
        found.append(basis)
    bases = np.vstack(found)
    systems = np.empty((c, c + 1, len(bases)))
    systems[:, :c] = np.transpose(full[:, bases], (0, 2, 1))
    systems[:, c] = 1.0
    solutions, regular = gaussian_solve(systems)
    points = np.zeros((len(bases), width))
    np.put_along_axis(points, bases, solutions.T, axis=1)
    return points[regular]


def _pivots(
    tableau: np.ndarray, basis: np.ndarray, bits: np.ndarray, seen: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The bases not yet ``seen`` one feasible pivot away from a batch of bases, with tableaux.

    Returns their keys (bit masks of the basic variables), bases and tableaux, or None.
    """
    width = tableau.shape[2] - 1
    columns, rhs = tableau[:, :, :width], tableau[:, :, width]
    positive = columns > SEARCH_PIVOT_TOLERANCE
    ratio = np.full(columns.shape, np.inf)
    np.divide(np.broadcast_to(rhs[:, :, None], columns.shape), columns, out=ratio, where=positive)
    leaving = positive & (ratio <= ratio.min(axis=1, keepdims=True) + LABEL_TOLERANCE * 1e-2)
    basic = np.zeros((len(basis), width), dtype=bool)
    np.put_along_axis(basic, basis, True, axis=1)
    leaving &= ~basic[:, None, :]
    state, row, entering = np.nonzero(leaving)
    key = bits[basis].sum(axis=1)[state] - bits[basis[state, row]] + bits[entering]
    key, first = np.unique(key, return_index=True)
    place = np.minimum(np.searchsorted(seen, key), len(seen) - 1)
    fresh = seen[place] != key
    if not fresh.any():
        return None
    first = first[fresh]
    state, row, entering = state[first], row[first], entering[first]
    index = np.arange(len(state))
    parent = tableau[state]
    pivot_row = parent[index, row] / parent[index, row, entering][:, None]
    children = parent - parent[index, :, entering][:, :, None] * pivot_row[:, None, :]
    children[index, row] = pivot_row
    child_bases = basis[state]
    child_bases[index, row] = entering
    return key[fresh], child_bases, children


#: Index arrays ``(x_rows, x_columns, y_rows, y_columns)`` of a block of subsystems of one size
#: ``k``, each of shape ``(k, systems)``.
_Block = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _subsystems(row_payoffs: np.ndarray, column_payoffs: np.ndarray) -> Iterator[_Block]:
    """The square subsystems ``(I, J)`` worth solving, by increasing size, in bounded blocks.

    System ``(I, J)`` of P makes the columns ``J`` tight for a point supported on the rows
    ``I``; it is skipped when some column of ``J`` is strictly dominated on the rows ``I``
    (that column is then never a best reply to such a point). Likewise for Q, with rows
    dominated on the columns ``J``.
    """
    m, n = row_payoffs.shape
    x_beats = _beats(column_payoffs)
    y_beats = _beats(row_payoffs.T)
    for k in range(1, min(m, n) + 1):
        row_sets = np.array(list(combinations(range(m), k)), dtype=np.intp)
        column_sets = np.array(list(combinations(range(n), k)), dtype=np.intp)
        x_dominated = _dominated(x_beats, row_sets, n)
        y_dominated = _dominated(y_beats, column_sets, m)
        column_block = min(len(column_sets), max(1, CHUNK_ENTRIES // (2 * k * (k + 1))))
        row_block = max(1, CHUNK_ENTRIES // (2 * k * (k + 1) * column_block))
        for row_start, column_start in product(
            range(0, len(row_sets), row_block), range(0, len(column_sets), column_block)
        ):
            rows = row_sets[row_start : row_start + row_block]
            columns = column_sets[column_start : column_start + column_block]
            x_keep = ~x_dominated[row_start : row_start + row_block][:, columns].any(axis=2)
            y_keep = ~y_dominated[column_start : column_start + column_block][:, rows].any(axis=2).T
            x_pairs, y_pairs = np.nonzero(x_keep), np.nonzero(y_keep)
            yield rows[x_pairs[0]].T, columns[x_pairs[1]].T, rows[y_pairs[0]].T, columns[y_pairs[1]].T


def _solve_group(
    group: list[_Block], row_payoffs: np.ndarray, column_payoffs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the subsystems of some blocks at once; label sets of the feasible solutions.

    Index ``m`` (a row) and ``n`` (a column) mark padding: they select a zero row and column
    appended to the payoff matrices, and get a unit diagonal entry and a zero right-hand side.
    """
    m, n = row_payoffs.shape
    size = max(block[0].shape[0] for block in group)
    x_rows, x_columns, y_rows, y_columns = (
        _padded([block[part] for block in group], size, fill) for part, fill in enumerate((m, n, m, n))
    )
    padded_column_t = np.zeros((n + 1, m + 1))
    padded_column_t[:n, :m] = column_payoffs.T
    padded_row = np.zeros((m + 1, n + 1))
    padded_row[:m, :n] = row_payoffs
    split = x_rows.shape[1]
    systems = np.empty((size, size + 1, split + y_rows.shape[1]))
    # P: B[I, J]^T x_I = 1 (columns J tight);  Q: A[I, J] y_J = 1 (rows I tight)
    systems[:, :size, :split] = np.take(padded_column_t, x_columns[:, None, :] * (m + 1) + x_rows[None, :, :])
    systems[:, :size, split:] = np.take(padded_row, y_rows[:, None, :] * (n + 1) + y_columns[None, :, :])
    padding = np.hstack([x_rows == m, y_rows == m])
    diagonal = np.arange(size)
    systems[diagonal, diagonal] += padding
    systems[:, size] = ~padding
    solutions, regular = gaussian_solve(systems)
    zero, tight = _vertex_labels(solutions[:, :split], regular[:split], x_rows, column_payoffs)
    x_labels = np.hstack([zero, tight])
    zero, tight = _vertex_labels(solutions[:, split:], regular[split:], y_columns, row_payoffs.T)
    return x_labels, np.hstack([tight, zero])


def _padded(parts: list[np.ndarray], size: int, fill: int) -> np.ndarray:
    """Index arrays ``(k, systems)`` side by side, each extended to ``size`` rows of ``fill``."""
    joined = np.full((size, sum(part.shape[1] for part in parts)), fill, dtype=np.intp)
    start = 0
    for part in parts:
        joined[: len(part), start : start + part.shape[1]] = part
        start += part.shape[1]
    return joined


def _collect(found: list[np.ndarray], labels: np.ndarray) -> list[np.ndarray]:
    """Add a batch of label sets; merge duplicates once the batches hold many rows."""
    found.append(labels)
    if sum(len(batch) for batch in found) * labels.shape[1] > CHUNK_ENTRIES:
        return [_unique_rows(np.vstack(found))]
    return found


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
    are zero; index ``len(constraints)`` is padding and dropped); the polytope's other
    constraints are ``point @ constraints <= 1``.
    """
    keep = regular & (solutions >= -LABEL_TOLERANCE).all(axis=0)
    size = constraints.shape[0]
    points = np.zeros((int(keep.sum()), size + 1))
    np.put_along_axis(points, support[:, keep].T, solutions[:, keep].T, axis=1)
    points = points[:, :size]
    values = points @ constraints
    keep = (values <= 1.0 + LABEL_TOLERANCE).all(axis=1)
    return points[keep] <= LABEL_TOLERANCE, values[keep] >= 1.0 - LABEL_TOLERANCE


def _unique_rows(labels: np.ndarray) -> np.ndarray:
    """Distinct label sets (a vertex is determined by its set of tight constraints)."""
    if len(labels) == 0:
        return labels
    packed = np.ascontiguousarray(np.packbits(labels, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()  # one opaque key per row
    _, first = np.unique(keys, return_index=True)
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
    subsystem found it and as accurate as the data allow (a square system, the nondegenerate
    case, is solved directly).
    """
    point = np.zeros(len(free))
    ones = np.ones(len(tight_system))
    if tight_system.shape[0] == tight_system.shape[1]:
        point[free] = np.linalg.solve(tight_system, ones)
    else:
        point[free] = np.linalg.lstsq(tight_system, ones, rcond=None)[0]
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
    extreme equilibria (Avis, Rosenberg, Savani & von Stengel 2010). Their column
    sides are the nonempty intersections of neighbourhoods of row strategies, built up one
    row strategy at a time (formal-concept closure).
    """
    if len(equilibria) > GROUPING_LIMIT:
        return [f"the {len(equilibria)} extreme equilibria were not grouped into continua (too many)"]
    x_nodes, x_of = np.unique(np.array([e.strategies[0] for e in equilibria]), axis=0, return_inverse=True)
    _, y_of = np.unique(np.array([e.strategies[1] for e in equilibria]), axis=0, return_inverse=True)
    neighbours = [frozenset(y_of[x_of == a].tolist()) for a in range(len(x_nodes))]
    closed: set[frozenset[int]] = set()
    for column_side in neighbours:
        closed |= {column_side} | {column_side & other for other in closed if column_side & other}
        if len(closed) > SUBSET_LIMIT:
            return [f"the extreme equilibria form more than {SUBSET_LIMIT} overlapping continua; not listed"]
    number = {(int(a), int(b)): k + 1 for k, (a, b) in enumerate(zip(x_of, y_of, strict=True))}
    subsets = []
    for column_side in closed:
        row_side = [a for a, near in enumerate(neighbours) if column_side <= near]
        corners = sorted(number[a, b] for a in row_side for b in column_side)
        if len(corners) > 1:
            subsets.append(corners)
    player_1, player_2 = game.players
    notes = []
    for corners in sorted(subsets)[:CONTINUUM_NOTES]:
        listed = ", ".join(str(k) for k in corners[:-1]) + f" and {corners[-1]}"
        notes.append(
            f"equilibria {listed} are the corners of one continuum of equilibria (a maximal Nash subset): "
            f"any mix of their strategies for {player_1} together with any mix of their strategies "
            f"for {player_2} is an equilibrium"
        )
    more = len(subsets) - CONTINUUM_NOTES
    if more == 1:
        notes.append("one more continuum of equilibria is not described")
    elif more > 1:
        notes.append(f"{more} more continua of equilibria are not described")
    return notes
