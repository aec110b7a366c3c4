"""Equilibria of a two-player game by the Lemke-Howson algorithm (complementary pivoting).

Lemke & Howson (1964) follow, from the artificial equilibrium ``(0, 0)`` of the best-response
polytopes, the path of points that miss only one chosen label; it ends at a Nash equilibrium.
Shapley (1974) showed that not every equilibrium is reached this way, whatever the label.
The implementation follows von Stengel (2007, "Equilibrium computation for
two-player games in strategic and extensive form"):

* payoffs are rescaled to [1, 2] (equilibria are unchanged), so the tableaux start well scaled;
* the minimum-ratio test is lexicographic (ties broken by the rows of the basis inverse), so
  the path is unique and cannot cycle even in degenerate games;
* the tableaux are recomputed from the original data every ``REFACTOR_INTERVAL`` pivots and
  before an equilibrium is read off, so rounding errors do not accumulate along long paths;
* each run stops after ``max_pivots`` pivots, so the solver always returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negsim.errors import SolverError
from negsim.game.normal_form import NormalFormGame
from negsim.solvers.enumeration import rescaled_payoffs
from negsim.solvers.result import DEFAULT_TOLERANCE, SolveResult
from negsim.solvers.verify import Verifier, absolute_tolerance

#: A tableau entry is a usable pivot when above this fraction of its column's largest entry.
PIVOT_TOLERANCE = 1e-9

#: Ratios closer than this (relative to their size) count as ties in the ratio test.
TIE_TOLERANCE = 1e-9

#: The tableaux are recomputed from the rescaled payoffs after this many pivots.
REFACTOR_INTERVAL = 50


def lemke_howson(
    game: NormalFormGame,
    /,
    *,
    tol: float = DEFAULT_TOLERANCE,
    initial_labels: Sequence[int] | None = None,
    max_pivots: int | None = None,
) -> SolveResult:
    """Equilibria that Lemke-Howson reaches from each starting label (not necessarily all).

    Runs the Lemke-Howson algorithm (Lemke & Howson 1964; Shapley 1974) once per starting
    label, with a lexicographic minimum-ratio test on rescaled payoffs so that it also works on
    degenerate games (von Stengel 2007), then merges and verifies the results.

    Parameters
    ----------
    game
        A two-player game with ``m`` row and ``n`` column strategies.
    tol
        Regret tolerance relative to the game's payoff scale.
    initial_labels
        Labels to drop: ``0 .. m-1`` are the row strategies, ``m .. m+n-1`` the column
        strategies. Default: all ``m + n`` labels.
    max_pivots
        Pivot limit per run (default ``50 * (m + n) ** 2``); a run that reaches it is
        abandoned and a note says so.

    Returns
    -------
    SolveResult
        Method ``"lemke-howson"``; ``complete`` is always False and ``degenerate`` None: some
        equilibria may not be reachable by any Lemke-Howson path.

    Raises
    ------
    SolverError
        If the game does not have two players, or a label or ``max_pivots`` is out of range.

    Examples
    --------
    >>> shapley = NormalFormGame.from_matrices([[2, 2, 0], [0, 3, 0], [3, 0, 1]],
    ...                                        [[3, 0, 2], [0, 3, 2], [0, 0, 1]])
    >>> result = lemke_howson(shapley)
    >>> [[s.round(2).tolist() for s in e.strategies] for e in result.equilibria]
    [[[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]]
    >>> result.complete
    False
    """
    if game.n_players != 2:
        raise SolverError(f"lemke_howson needs a two-player game; this one has {game.n_players}")
    m, n = game.shape
    labels = _check_labels(initial_labels, m + n)
    if max_pivots is None:
        max_pivots = 50 * (m + n) ** 2
    elif max_pivots < 1:
        raise SolverError(f"lemke_howson: max_pivots must be at least 1; got {max_pivots}")
    row_payoffs, column_payoffs = rescaled_payoffs(game)

    candidates = []
    stopped = []
    for label in labels:
        profile = _path(row_payoffs, column_payoffs, label, max_pivots)
        if profile is None:
            stopped.append(label)
        else:
            candidates.append(profile)
    abs_tol = absolute_tolerance(game, tol)
    equilibria, rejected = Verifier(game, abs_tol).many(candidates)

    if initial_labels is None:
        listed = "every label"
    else:
        listed = f"label{'s' if len(labels) > 1 else ''} {', '.join(map(str, labels))}"
    notes = [
        f"these are the equilibria Lemke-Howson reaches from {listed}; there may be others "
        "(use vertex enumeration for all of them)"
    ]
    if stopped:
        runs = "the run from label" if len(stopped) == 1 else "the runs from labels"
        notes.append(
            f"{runs} {', '.join(map(str, stopped))} stopped after {max_pivots} pivots "
            "without reaching an equilibrium"
        )
    if rejected:
        points = "end point" if rejected == 1 else "end points"
        notes.append(f"{rejected} {points} failed verification (max regret above {abs_tol:.3g})")
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="lemke-howson",
        complete=False,
        degenerate=None,
        tolerance=abs_tol,
        notes=tuple(notes),
    )


def _check_labels(initial_labels: Sequence[int] | None, count: int) -> list[int]:
    if initial_labels is None:
        return list(range(count))
    labels = list(initial_labels)
    bad = [label for label in labels if not isinstance(label, (int, np.integer)) or not 0 <= label < count]
    if bad or not labels:
        raise SolverError(
            f"lemke_howson: initial_labels must be a nonempty list of integers from 0 to {count - 1}; "
            f"got {labels!r}"
        )
    return list(dict.fromkeys(int(label) for label in labels))


class _Tableau:
    """Dictionary ``M z + w = 1`` of one best-response polytope, with variables indexed by label.

    ``original`` is ``[M | I]`` with columns ordered by label, plus the right-hand side; the
    ``slack`` columns form the starting basis and, in the current tableau, the basis inverse
    that breaks ties lexicographically.
    """

    def __init__(self, original: np.ndarray, slack: np.ndarray) -> None:
        self.original = original
        self.slack = slack
        self.table = np.array(original, order="F")
        self.basis = slack.copy()

    def refactor(self) -> None:
        """Recompute the tableau from the original data and the current basis."""
        self.table = np.asfortranarray(np.linalg.solve(self.original[:, self.basis], self.original))

    def pivot(self, entering: int) -> int:
        """Bring ``entering`` into the basis by the lexicographic ratio test; return the label leaving."""
        table = self.table
        column = table[:, entering].copy()
        usable = column > PIVOT_TOLERANCE * max(1.0, float(column.max()))
        ratios = np.divide(table[:, -1], column, out=np.full(len(column), np.inf), where=usable)
        rows = np.flatnonzero(ratios <= _tie_bound(ratios.min()))
        for slack in self.slack:
            if len(rows) == 1:
                break
            ratios = table[rows, slack] / column[rows]
            rows = rows[ratios <= _tie_bound(ratios.min())]
        row = int(rows[0])
        pivot_row = table[row] / column[row]
        # rank-one update in place (BLAS dger on the column-major tableau)
        from scipy.linalg.blas import dger  # imported here: slow to import, rarely needed

        self.table = dger(-1.0, column, pivot_row, a=table, overwrite_a=True)
        self.table[row] = pivot_row
        leaving = int(self.basis[row])
        self.basis[row] = entering
        return leaving

    def point(self, size: int, offset: int) -> np.ndarray:
        """Values of the variables with labels ``offset .. offset + size - 1``."""
        point = np.zeros(size)
        inside = (self.basis >= offset) & (self.basis < offset + size)
        point[self.basis[inside] - offset] = self.table[inside, -1]
        return np.clip(point, 0.0, None)


def _tie_bound(smallest: float) -> float:
    """Ratios up to this bound tie with the smallest one."""
    return smallest + TIE_TOLERANCE * (1.0 + abs(smallest))


def _path(
    row_payoffs: np.ndarray, column_payoffs: np.ndarray, label: int, max_pivots: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Follow the Lemke-Howson path that drops ``label``; the equilibrium at its end, or None."""
    m, n = row_payoffs.shape
    ones_m, ones_n = np.ones((m, 1)), np.ones((n, 1))
    # Q: A y + r = 1, variables (r_0..r_{m-1}, y_0..y_{n-1}) carry labels 0..m+n-1.
    q_side = _Tableau(np.hstack([np.eye(m), row_payoffs, ones_m]), np.arange(m))
    # P: B^T x + s = 1, variables (x_0..x_{m-1}, s_0..s_{n-1}) carry labels 0..m+n-1.
    p_side = _Tableau(np.hstack([column_payoffs.T, np.eye(n), ones_n]), np.arange(m, m + n))
    tableau = p_side if label < m else q_side
    entering = label
    for step in range(1, max_pivots + 1):
        leaving = tableau.pivot(entering)
        if leaving == label or step % REFACTOR_INTERVAL == 0:
            p_side.refactor()
            q_side.refactor()
        if leaving == label:
            x, y = p_side.point(m, 0), q_side.point(n, m)
            return x / x.sum(), y / y.sum()
        tableau = q_side if tableau is p_side else p_side
        entering = leaving
    return None
