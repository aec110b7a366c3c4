"""Pure-strategy Nash equilibria of a game with any number of players.

A profile is a pure equilibrium when every player's strategy is a best reply to the
others'. The scan is vectorised over the whole payoff tensor: for each player the best
payoff along that player's axis is compared with the payoff in every profile at once.
"""

from __future__ import annotations

import numpy as np

from negsim.game.normal_form import NormalFormGame
from negsim.solvers.result import DEFAULT_TOLERANCE, SolveResult
from negsim.solvers.verify import Verifier, absolute_tolerance

#: At most this many pure equilibria are turned into :class:`Equilibrium` objects.
DEFAULT_LIMIT = 1000


def pure_equilibrium_mask(payoffs: np.ndarray, tol: float) -> np.ndarray:
    """Boolean array over profiles: true where no player gains more than ``tol`` by deviating.

    ``payoffs`` has shape ``(n_1, ..., n_N, N)``; ``tol`` is absolute.

    Examples
    --------
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> np.argwhere(pure_equilibrium_mask(pd, 1e-9)).tolist()
    [[1, 1]]
    """
    n_players = payoffs.ndim - 1
    mask = np.ones(payoffs.shape[:-1], dtype=bool)
    for player in range(n_players):
        table = payoffs[..., player]
        best = table.max(axis=player, keepdims=True)
        mask &= table >= best - tol
    return mask


def pure_equilibria(
    game: NormalFormGame, /, *, tol: float = DEFAULT_TOLERANCE, limit: int = DEFAULT_LIMIT
) -> SolveResult:
    """All pure-strategy Nash equilibria (mixed ones are not searched).

    Parameters
    ----------
    game
        Any normal-form game.
    tol
        Regret tolerance relative to the game's payoff scale.
    limit
        At most this many equilibria are returned (in profile order); a note gives the total.

    Examples
    --------
    >>> g = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]],
    ...                                  strategies=[["Opera", "Football"]] * 2)
    >>> [e.supports for e in pure_equilibria(g).equilibria]
    [((0,), (0,)), ((1,), (1,))]
    """
    abs_tol = absolute_tolerance(game, tol)
    mask = pure_equilibrium_mask(game.payoffs, abs_tol)
    flat = np.flatnonzero(mask)
    verifier = Verifier(game, abs_tol)
    equilibria = []
    for index in flat[:limit]:
        equilibrium = verifier.pure(np.unravel_index(index, game.shape))
        if equilibrium is not None:
            equilibria.append(equilibrium)
    notes = [f"mixed equilibria were not searched ({game.n_players} players)"]
    if len(flat) > limit:
        notes.append(f"{len(flat)} pure equilibria found; the first {limit} are listed")
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="pure-scan",
        complete=False,
        degenerate=None,
        tolerance=abs_tol,
        notes=tuple(notes),
    )
