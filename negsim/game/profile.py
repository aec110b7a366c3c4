"""Mixed strategy profiles: expected payoffs and regret, for any number of players."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negsim.game.normal_form import NormalFormGame


def pure_strategy_payoffs(game: NormalFormGame, strategies: Sequence[np.ndarray], player: int) -> np.ndarray:
    """Expected payoff of each pure strategy of ``player`` against the others' mixes.

    Examples
    --------
    >>> g = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> pure_strategy_payoffs(g, [np.array([.6, .4]), np.array([.4, .6])], 0)
    array([1.2, 1.2])
    """
    if game.n_players == 2:  # the common case, without tensordot's overhead
        return game.payoffs[:, :, 0] @ strategies[1] if player == 0 else strategies[0] @ game.payoffs[:, :, 1]
    table = game.payoffs[..., player]
    for other in range(game.n_players - 1, -1, -1):
        if other != player:
            table = np.tensordot(table, strategies[other], axes=([other], [0]))
    return np.asarray(table, dtype=np.float64)


def expected_payoffs(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Expected payoff of every player under a mixed profile (one probability vector each).

    Examples
    --------
    >>> g = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> expected_payoffs(g, [np.array([.6, .4]), np.array([.4, .6])])
    array([1.2, 1.2])
    """
    if game.n_players == 2:
        return np.einsum("i,ijk,j->k", strategies[0], game.payoffs, strategies[1])
    table = game.payoffs
    for player in range(game.n_players - 1, -1, -1):
        table = np.tensordot(table, strategies[player], axes=([player], [0]))
    return np.asarray(table, dtype=np.float64)


def regrets(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """For each player, how much more a best pure reply would earn than the given mix."""
    out = np.empty(game.n_players)
    for player in range(game.n_players):
        values = pure_strategy_payoffs(game, strategies, player)
        out[player] = values.max() - float(strategies[player] @ values)
    return out


def max_regret(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> float:
    """The most any single player could gain by deviating: 0 at an exact equilibrium.

    Examples
    --------
    >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> max_regret(g, [np.array([0., 1.]), np.array([0., 1.])])
    0.0
    >>> max_regret(g, [np.array([1., 0.]), np.array([1., 0.])])
    2.0
    """
    return float(max(0.0, regrets(game, strategies).max()))
