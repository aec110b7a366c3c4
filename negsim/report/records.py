"""Results as plain JSON-ready data (the shape documented in the README)."""

from __future__ import annotations

from typing import Any

from negsim.report.words import Phrases, describe, summary
from negsim.solvers.result import SolveResult


def _float(value: float) -> float:
    return float(round(float(value), 12))


def result_record(result: SolveResult, phrases: Phrases | None = None) -> dict[str, Any]:
    """The documented JSON shape of a :class:`SolveResult`.

    Examples
    --------
    >>> from negsim.game.normal_form import NormalFormGame
    >>> from negsim.solvers import solve
    >>> record = result_record(solve(NormalFormGame.from_matrices([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])))
    >>> record["equilibria"][0]["strategies"]["Player 1"], record["value"]
    ({'1': 0.5, '2': 0.5}, 0.0)
    """
    game = result.game
    equilibria = []
    for equilibrium in result.equilibria:
        strategies = {
            player: {label: _float(p) for label, p in zip(labels, mix) if p > 0}
            for player, labels, mix in zip(game.players, game.strategies, equilibrium.strategies)
        }
        dominated_by = None
        if equilibrium.dominating_profile is not None:
            dominated_by = dict(zip(game.players, game.profile_label(equilibrium.dominating_profile)))
        equilibria.append(
            {
                "strategies": strategies,
                "payoffs": {p: _float(v) for p, v in zip(game.players, equilibrium.payoffs)},
                "max_regret": float(equilibrium.max_regret),
                "outcomes": list(equilibrium.outcomes),
                "outcome_probabilities": {k: _float(v) for k, v in equilibrium.outcome_probabilities.items()},
                "pure": equilibrium.is_pure,
                "pareto_dominated": equilibrium.pareto_dominated,
                "pareto_dominated_by": dominated_by,
                "description": describe(result, equilibrium, phrases),
            }
        )
    return {
        "title": game.title,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
        "equilibria": equilibria,
        "complete": result.complete,
        "degenerate": result.degenerate,
        "method": result.method,
        "tolerance": result.tolerance,
        "value": None if result.value is None else _float(result.value),
        "dominated_strategies": {p: list(s) for p, s in result.dominated.items()},
        "summary": summary(result),
        "notes": list(result.notes),
    }
