"""The chart kinds negsim draws, and rendering them to image bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from negsim.errors import UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from negsim.scenario.model import Scenario
    from negsim.scenario.sequential import SequentialScenario
    from negsim.solvers.result import SolveResult
    from negsim.solvers.sequential import TreeResult


@dataclass(frozen=True)
class ChartInput:
    """What a chart is drawn from: a solved game and, for scenario files, the scenario.

    For a game tree, ``tree`` holds its solution and ``result`` the Nash equilibria of its
    normal form (None when that was too large to build).
    """

    result: SolveResult | None
    scenario: Scenario | None = None
    phrases: list[list[str]] | None = None
    tree: TreeResult | None = None
    sequential: SequentialScenario | None = None

    @classmethod
    def from_scenario(cls, scenario: Scenario | SequentialScenario) -> ChartInput:
        """Solve ``scenario`` (strategic or sequential) and keep what charts need."""
        from negsim.scenario.sequential import SequentialScenario

        if isinstance(scenario, SequentialScenario):
            return cls.from_tree(scenario.solve(), scenario)
        return cls(scenario.solve(), scenario, scenario.strategy_phrases())

    @classmethod
    def from_tree(cls, tree: TreeResult, scenario: SequentialScenario | None = None) -> ChartInput:
        """The solution of a game tree, and the sequential scenario it comes from, if any."""
        return cls(tree.nash, tree=tree, sequential=scenario)

    @property
    def solved(self) -> SolveResult:
        """The solved normal-form game (for the charts that draw one)."""
        if self.result is None:
            raise UsageError("this chart needs the game's normal form, which was too large to build")
        return self.result


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: its command-line name, what it shows, and the module that draws it."""

    name: str
    description: str
    module: str
    #: True for charts of game trees, False for charts of strategic-form games.
    sequential: bool = False

    def load(self) -> ModuleType:
        return import_module(self.module)

    def applies(self, chart_input: ChartInput) -> str | None:
        """None when the chart can be drawn for this input, otherwise why not."""
        if self.sequential != (chart_input.tree is not None):
            return (
                "it draws game trees" if self.sequential else "it draws strategic-form games, not game trees"
            )
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
        ChartKind(
            "bargaining",
            "the deals on the table: feasible agreements, zone of agreement, no-deal point, solutions",
            "negsim.plotting.bargaining",
        ),
        ChartKind(
            "tree",
            "the game tree with subgame-perfect play highlighted and incredible moves marked",
            "negsim.plotting.tree",
            sequential=True,
        ),
    )
}


def choose(chart_input: ChartInput, names: Sequence[str] = ()) -> list[ChartKind]:
    """The chart kinds to draw: every kind that applies, or the kinds ``names`` names.

    Named kinds must exist and apply; otherwise :class:`~negsim.errors.UsageError` says why.

    Examples
    --------
    >>> import negsim
    >>> chart_input = ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml"))
    >>> [kind.name for kind in choose(chart_input)]
    ['outcomes', 'mixed', 'payoff-space', 'variants']
    >>> [kind.name for kind in choose(chart_input, ["variants", "mixed"])]
    ['variants', 'mixed']
    >>> choose(chart_input, ["matrix"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: the matrix chart does not apply: a payoff matrix needs exactly two players; ...
    """
    from negsim.scenario.validation import suggest

    for name in names:
        if name not in KINDS:
            raise UsageError(f"unknown chart kind '{name}'; {suggest(name, KINDS)}")
    if not names:
        return [kind for kind in KINDS.values() if kind.applies(chart_input) is None]
    chosen = [KINDS[name] for name in names]
    for kind in chosen:
        reason = kind.applies(chart_input)
        if reason is not None:
            raise UsageError(f"the {kind.name} chart does not apply: {reason}")
    return chosen


def render_all(
    chart_input: ChartInput, kinds: list[ChartKind], fmt: str, dpi: float | None = None
) -> list[bytes]:
    """Draw and render several charts, on two processes where the platform can fork.

    Drawing text dominates the time of a chart; forked workers inherit everything already
    imported and computed (including ``chart_input``), so two charts render at once. Where
    ``fork`` is unavailable, or for a single chart, the charts are drawn one after another.
    """
    import multiprocessing
    import os

    if len(kinds) < 2 or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [render(kind.figure(chart_input), fmt, dpi) for kind in kinds]
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401  (imported once here, not once per worker)

    global _SHARED
    _SHARED = (chart_input, fmt, dpi)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            return list(pool.map(_render_kind, [kind.name for kind in kinds]))
    finally:
        _SHARED = None


#: What forked workers draw from (set only while :func:`render_all` runs).
_SHARED: tuple[ChartInput, str, float | None] | None = None


def _render_kind(name: str) -> bytes:
    assert _SHARED is not None
    chart_input, fmt, dpi = _SHARED
    return render(KINDS[name].figure(chart_input), fmt, dpi)


def render(figure: Figure, fmt: str, dpi: float | None = None) -> bytes:
    """A figure as PNG, SVG or PDF bytes (at ``dpi``, default the house style's)."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from negsim.plotting.style import SAVE_OPTIONS

    buffer = io.BytesIO()
    options = {**SAVE_OPTIONS, **({"dpi": dpi} if dpi else {})}
    if isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine):
        options.pop("bbox_inches", None)  # already fitted; a tight box would lay it out again
    figure.savefig(buffer, format=fmt, metadata=_metadata(fmt), **options)
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
