"""Value and optimal strategies of a two-player zero-sum game, by linear programming.

In a zero-sum game every Nash equilibrium is a pair of optimal (maximin) strategies and all
give the first player the same payoff, the value of the game (von Neumann 1928). Each
player's optimal strategy solves a linear program (Dantzig 1951; von Stengel 2007),
solved here with HiGHS through :func:`scipy.optimize.linprog`.
"""

from __future__ import annotations

import numpy as np

from negsim.errors import SolverError
from negsim.game.normal_form import NormalFormGame
from negsim.game.profile import max_regret
from negsim.solvers.result import DEFAULT_TOLERANCE, Equilibrium, SolveResult
from negsim.solvers.verify import Verifier, absolute_tolerance

#: Feasibility and optimality tolerances passed to HiGHS, on payoffs rescaled to [0, 1].
LP_TOLERANCE = 1e-10

_NOTE = (
    "the linear program finds one optimal strategy per player; every pair of optimal "
    "strategies is an equilibrium with the same value, and there may be others"
)


def zero_sum_lp(game: NormalFormGame, /, *, tol: float = DEFAULT_TOLERANCE) -> SolveResult:
    """The value of a two-player zero-sum game and one optimal strategy for each player.

    The row player's optimal mix ``x`` maximises ``v`` subject to ``A^T x >= v``,
    ``sum(x) = 1``, ``x >= 0``; the column player's minimises ``w`` subject to ``A y <= w``,
    ``sum(y) = 1``, ``y >= 0``. Both linear programs (von Neumann's minimax theorem as linear
    programming duality, Dantzig 1951) are solved with HiGHS on payoffs rescaled to [0, 1],
    and the resulting profile is verified like every equilibrium.

    Parameters
    ----------
    game
        A two-player game whose payoffs add up to zero in every profile.
    tol
        Regret tolerance relative to the game's payoff scale.

    Returns
    -------
    SolveResult
        Method ``"zero-sum-lp"``, ``value`` the value to the first player, one equilibrium,
        ``complete`` False (optimal strategies need not be unique). If the solution fails
        verification (only with a tolerance near rounding error), no equilibrium and no value
        are given and a note says why.

    Raises
    ------
    SolverError
        If the game is not a two-player zero-sum game, or HiGHS reports a failure.

    Examples
    --------
    >>> rps = NormalFormGame.from_matrices([[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    ...                                    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    >>> result = zero_sum_lp(rps)
    >>> round(result.value, 12) + 0.0, result.equilibria[0].strategies[0].round(6).tolist()
    (0.0, [0.333333, 0.333333, 0.333333])
    """
    if game.n_players != 2:
        raise SolverError(f"zero_sum_lp needs a two-player game; this one has {game.n_players}")
    if not game.is_zero_sum():
        total = game.payoffs.sum(axis=-1)
        worst = tuple(int(k) for k in np.unravel_index(np.argmax(np.abs(total)), total.shape))
        raise SolverError(
            "zero_sum_lp needs a zero-sum game (the two payoffs of every profile add up to 0); "
            f"profile {game.profile_label(worst)} adds up to {total[worst]:g}"
        )
    row_payoffs = game.matrices()[0]
    low, spread = float(row_payoffs.min()), game.payoff_scale()
    scaled = (row_payoffs - low) / spread
    row_mix = _maximin(scaled.T)
    column_mix = _maximin(-scaled)

    abs_tol = absolute_tolerance(game, tol)
    equilibrium = Verifier(game, abs_tol).mixed((row_mix, column_mix))
    if equilibrium is None:
        regret = max_regret(game, (row_mix / row_mix.sum(), column_mix / column_mix.sum()))
        equilibria: tuple[Equilibrium, ...] = ()
        value = None
        note = (
            f"the linear programs' solution failed verification (max regret {regret:.3g} above "
            f"{abs_tol:.3g}) and is not listed"
        )
    else:
        equilibria, value, note = (equilibrium,), float(equilibrium.payoffs[0]), _NOTE
    return SolveResult(
        game=game,
        equilibria=equilibria,
        method="zero-sum-lp",
        complete=False,
        degenerate=None,
        tolerance=abs_tol,
        notes=(note,),
        value=value,
    )


def _maximin(payoffs: np.ndarray) -> np.ndarray:
    """A mix ``x`` maximising ``min_j (payoffs^T x)_j``: ``payoffs`` is (opponent, own) strategies.

    Variables are ``(x, v)``; minimise ``-v`` subject to ``v - payoffs @ x <= 0``, ``sum(x) = 1``.
    """
    opponent, own = payoffs.shape
    cost = np.zeros(own + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-payoffs, np.ones((opponent, 1))])
    a_eq = np.hstack([np.ones((1, own)), np.zeros((1, 1))])
    bounds = [(0.0, None)] * own + [(None, None)]
    options = {"primal_feasibility_tolerance": LP_TOLERANCE, "dual_feasibility_tolerance": LP_TOLERANCE}
    from scipy.optimize import linprog  # imported here: slow to import, rarely needed

    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(opponent),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=bounds,
        method="highs",
        options=options,
    )
    if result.status != 0:
        raise SolverError(f"zero_sum_lp: the linear program failed ({result.message})")
    return np.clip(result.x[:own], 0.0, None)
