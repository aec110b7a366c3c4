"""Equilibrium solvers and :func:`solve`, which picks the right one for a game.

Every solver is a pure function ``solver(game, /, *, tol=...) -> SolveResult`` that verifies
each equilibrium (max regret within tolerance) before returning it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from negsim.analysis.dominance import iterated_strict_dominance
from negsim.errors import SolverError
from negsim.game.normal_form import NormalFormGame
from negsim.solvers.enumeration import vertex_enumeration
from negsim.solvers.lemke_howson import lemke_howson
from negsim.solvers.pure import pure_equilibria
from negsim.solvers.result import DEFAULT_TOLERANCE, Equilibrium, SolveResult
from negsim.solvers.zerosum import zero_sum_lp

__all__ = [
    "DEFAULT_TOLERANCE",
    "ENUMERATION_LIMIT",
    "METHODS",
    "Equilibrium",
    "SolveResult",
    "SolverInfo",
    "lemke_howson",
    "pure_equilibria",
    "solve",
    "vertex_enumeration",
    "zero_sum_lp",
]

#: Vertex enumeration first walks the feasible bases of the best-response polytopes; when a
#: game has too many of them and brute force would need more linear systems than this
#: (``C(m + n, m)`` for an m x n game; 11 x 12 needs 1.35 million, about a second and a half),
#: the game is solved by Lemke-Howson instead (not all equilibria).
ENUMERATION_LIMIT = 1_500_000

#: Above this many profiles, iterated dominance is skipped (it is reported as not checked).
DOMINANCE_LIMIT = 1_000_000


@dataclass(frozen=True)
class SolverInfo:
    """What a solver handles: how many players, what it finds, whether it is exact."""

    function: Callable[..., SolveResult]
    players: Literal["two", "any"]
    finds: Literal["all", "some", "pure"]
    description: str


METHODS: dict[str, SolverInfo] = {
    "enumerate": SolverInfo(
        vertex_enumeration, "two", "all", "every extreme equilibrium, by best-response polytope vertices"
    ),
    "lemke-howson": SolverInfo(
        lemke_howson, "two", "some", "one equilibrium per starting label, by complementary pivoting"
    ),
    "zero-sum": SolverInfo(zero_sum_lp, "two", "some", "value and optimal strategies, by linear programming"),
    "pure": SolverInfo(
        pure_equilibria, "any", "pure", "every pure-strategy equilibrium, by a vectorised scan"
    ),
}


def solve(game: NormalFormGame, /, *, method: str = "auto", tol: float = DEFAULT_TOLERANCE) -> SolveResult:
    """Find the equilibria of a game with the best available method.

    With ``method="auto"``: a two-player game gets every extreme equilibrium by vertex
    enumeration (plus its value by linear programming when it is zero-sum), or, when it is
    too large to enumerate, the equilibria Lemke-Howson reaches (``complete`` is then False);
    a game with three or more players gets every pure equilibrium, and the result says that
    mixed equilibria were not searched. The result also lists strictly dominated strategies.

    Examples
    --------
    >>> bos = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> result = solve(bos)
    >>> len(result.equilibria), result.complete
    (3, True)
    """
    if not (math.isfinite(tol) and tol >= 0):
        raise SolverError(f"the tolerance must be a finite number >= 0, got {tol!r}")
    if method == "auto":
        result = _solve_auto(game, tol)
    else:
        info = METHODS.get(method)
        if info is None:
            raise SolverError(f"unknown method {method!r}; choose one of {['auto', *METHODS]}")
        if info.players == "two" and game.n_players != 2:
            raise SolverError(f"method {method!r} needs a two-player game; this one has {game.n_players}")
        result = info.function(game, tol=tol)
    return _with_dominance(result)


def _solve_auto(game: NormalFormGame, tol: float) -> SolveResult:
    if game.n_players != 2:
        return pure_equilibria(game, tol=tol)
    try:
        result = vertex_enumeration(game, tol=tol, max_systems=ENUMERATION_LIMIT)
    except SolverError as exc:
        result = lemke_howson(game, tol=tol)
        result = replace(result, notes=(f"{exc}; searched by Lemke-Howson instead", *result.notes))
    if game.is_zero_sum():
        lp = zero_sum_lp(game, tol=tol)
        result = replace(result, value=lp.value, method=f"{result.method} + zero-sum-lp")
    return result


def _with_dominance(result: SolveResult) -> SolveResult:
    game = result.game
    if game.n_profiles > DOMINANCE_LIMIT:
        note = f"dominated strategies were not checked ({game.n_profiles:,} profiles)"
        return replace(result, notes=(*result.notes, note))
    removed, mixed_checked = iterated_strict_dominance(game, tol=result.tolerance)
    notes = result.notes
    if not mixed_checked:
        notes = (*notes, "dominance was checked against pure strategies only (game too large for mixes)")
    return replace(result, dominated=removed, notes=notes)
