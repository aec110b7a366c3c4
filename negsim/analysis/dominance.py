"""Iterated elimination of strictly dominated strategies."""

from __future__ import annotations

import numpy as np

from negsim.game.normal_form import NormalFormGame

#: Above this many payoff entries per player, dominance by mixed strategies is not checked
#: (only dominance by pure strategies), to keep the linear programs small.
MIXED_CHECK_LIMIT = 200_000


def _dominated_by_mix(matrix: np.ndarray, row: int, tol: float) -> bool:
    """Whether ``matrix[row]`` is strictly beaten everywhere by some mix of the other rows."""
    others = np.delete(matrix, row, axis=0)
    k, columns = others.shape
    if k == 0:
        return False
    # maximise eps subject to  others^T sigma - eps >= matrix[row],  sum sigma = 1, sigma >= 0
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-others.T, np.ones((columns, 1))])
    b_ub = -matrix[row]
    a_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    bounds = [(0, None)] * k + [(None, None)]
    from scipy.optimize import linprog  # imported here: slow to import, rarely needed

    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
    return bool(result.status == 0 and -result.fun > tol)


def iterated_strict_dominance(
    game: NormalFormGame, tol: float = 1e-9
) -> tuple[dict[str, tuple[str, ...]], bool]:
    """Strategies removed by iterated elimination of strictly dominated strategies.

    A strategy is strictly dominated when another pure strategy, or (when the game is small
    enough) a mix of the player's other strategies, earns more than ``tol`` more against
    every remaining combination of the others' strategies.

    Returns
    -------
    removed
        Player name -> strategy names removed, in order of removal.
    mixed_checked
        Whether dominance by mixed strategies was checked for every player.

    Examples
    --------
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   strategies=[["C", "D"]] * 2)
    >>> iterated_strict_dominance(pd)[0]
    {'Player 1': ('C',), 'Player 2': ('C',)}
    """
    alive = [list(range(n)) for n in game.shape]
    removed: dict[str, list[str]] = {p: [] for p in game.players}
    mixed_checked = True
    changed = True
    while changed:
        changed = False
        for player in range(game.n_players):
            if len(alive[player]) < 2:
                continue
            sub = game.payoffs[np.ix_(*[np.asarray(a) for a in alive])][..., player]
            matrix = np.moveaxis(sub, player, 0).reshape(len(alive[player]), -1)
            use_mix = matrix.size <= MIXED_CHECK_LIMIT
            mixed_checked &= use_mix
            for row in range(len(alive[player])):
                beaten = bool(np.any(np.all(matrix > matrix[row] + tol, axis=1)))
                if not beaten and use_mix and len(alive[player]) > 2:
                    beaten = _dominated_by_mix(matrix, row, tol)
                if beaten:
                    index = alive[player].pop(row)
                    removed[game.players[player]].append(game.strategies[player][index])
                    changed = True
                    break
    return {p: tuple(s) for p, s in removed.items() if s}, mixed_checked
