"""The chart kinds negsim draws, and rendering them to image bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from negsim.scenario.model import Scenario
    from negsim.solvers.result import SolveResult


@dataclass(frozen=True)
class ChartInput:
    """What a chart is drawn from: a solved game and, for scenario files, the scenario."""

    result: SolveResult
    scenario: Scenario | None = None
    phrases: list[list[str]] | None = None

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ChartInput:
        """Solve ``scenario`` and keep what charts need."""
        keep = scenario.strategy_indices()
        phrases = [[p.phrases[k] for k in keep[i]] for i, p in enumerate(scenario.compiled.players)]
        return cls(scenario.solve(), scenario, phrases)


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: its command-line name, what it shows, and the module that draws it."""

    name: str
    description: str
    module: str

    def load(self) -> ModuleType:
        return import_module(self.module)

    def applies(self, chart_input: ChartInput) -> str | None:
        """None when the chart can be drawn for this input, otherwise why not."""
        reason: str | None = self.load().applies(chart_input)
        return reason

    def figure(self, chart_input: ChartInput) -> Figure:
        """The finished figure."""
        figure: Figure = self.load().figure(chart_input)
        return figure


#: Every chart kind, in the order reports show them.
KINDS: dict[str, ChartKind] = {
    kind.name: kind
    for kind in (
        ChartKind(
            "matrix", "payoff matrix of a two-party game, equilibria outlined", "negsim.plotting.matrix"
        ),
        ChartKind("outcomes", "every party's payoff in each named outcome", "negsim.plotting.outcomes"),
        ChartKind("mixed", "each party's probabilities in each equilibrium", "negsim.plotting.mixed"),
        ChartKind(
            "best-response",
            "best responses of a 2x2 game, equilibria at the crossings",
            "negsim.plotting.best_response",
        ),
        ChartKind(
            "payoff-space",
            "outcomes in payoff space with the Pareto frontier",
            "negsim.plotting.payoff_space",
        ),
        ChartKind(
            "variants",
            "equilibrium outcomes and payoffs across the scenario's variants",
            "negsim.plotting.variants",
        ),
    )
}


def render(figure: Figure, fmt: str) -> bytes:
    """A figure as PNG, SVG or PDF bytes."""
    from negsim.plotting.style import SAVE_OPTIONS

    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=_metadata(fmt), **SAVE_OPTIONS)
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # fixed metadata keeps repeated renders byte-identical
    if fmt == "png":
        return {"Software": "negsim"}
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None}
    return {}
