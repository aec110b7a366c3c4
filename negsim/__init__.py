"""negsim: negotiation scenarios in, verified equilibria out.

>>> import negsim
>>> result = negsim.load("scenarios/neutrality_for_guarantees.yaml").solve()
>>> result.complete
True

Names are imported lazily so that ``negsim --help`` starts quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "negsim.scenario",
    "loads": "negsim.scenario",
    "Scenario": "negsim.scenario",
    "NormalFormGame": "negsim.game",
    "solve": "negsim.solvers",
    "SolveResult": "negsim.solvers",
    "Equilibrium": "negsim.solvers",
    "read_nfg": "negsim.io",
    "read_efg": "negsim.io",
    "GameTree": "negsim.game.tree",
    "SequentialScenario": "negsim.scenario.sequential",
    "solve_tree": "negsim.solvers.sequential",
    "TreeResult": "negsim.solvers.sequential",
    "sweep": "negsim.whatif.sweep",
    "thresholds": "negsim.whatif.threshold",
    "sample": "negsim.whatif.sample",
    "compare": "negsim.whatif.compare",
    "NegsimError": "negsim.errors",
    "ScenarioError": "negsim.errors",
    "GameError": "negsim.errors",
    "SolverError": "negsim.errors",
    "UsageError": "negsim.errors",
    "DegenerateGameWarning": "negsim.errors",
    "ScenarioWarning": "negsim.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:
    from negsim.errors import (
        DegenerateGameWarning,
        GameError,
        NegsimError,
        ScenarioError,
        ScenarioWarning,
        SolverError,
        UsageError,
    )
    from negsim.game import NormalFormGame
    from negsim.game.tree import GameTree
    from negsim.io import read_efg, read_nfg
    from negsim.scenario import Scenario, load, loads
    from negsim.scenario.sequential import SequentialScenario
    from negsim.solvers import Equilibrium, SolveResult, solve
    from negsim.solvers.sequential import TreeResult, solve_tree
    from negsim.whatif.compare import compare
    from negsim.whatif.sample import sample
    from negsim.whatif.sweep import sweep
    from negsim.whatif.threshold import thresholds


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'negsim' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
