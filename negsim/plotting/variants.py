"""The base scenario and each of its variants side by side: outcomes reached and equilibrium payoffs.

The chart has two panels: :func:`draw_variant_outcomes` marks which named outcomes each variant's
equilibria reach, :func:`draw_variants` shows each player's payoff in each variant's equilibria.
:func:`figure` puts them next to each other with shared rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.plotting.common import payoff_label, payoff_unit, require, titled
from negsim.plotting.outcomes import PLAYER_MARKERS, legend_with_caption, side_height
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, house_style, new_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput
    from negsim.solvers.result import SolveResult

#: How the row of the scenario without any variant is labelled.
BASE_LABEL = "base scenario"


@dataclass(frozen=True, eq=False)
class VariantRow:
    """The equilibria of one variant (or of the base scenario).

    Attributes
    ----------
    name
        Variant name, ``None`` for the base scenario.
    payoffs
        One payoff vector (one entry per player) per equilibrium, in the solver's order.
    pure
        Per equilibrium: whether it is pure.
    reached_pure
        Outcomes some pure equilibrium reaches.
    reached_mixed
        Outcomes reached with positive probability in a mixed equilibrium but by no pure one.
    possible
        Outcomes at least one profile allowed in this variant belongs to.
    complete
        Whether the solver searched for every equilibrium.
    """

    name: str | None
    payoffs: tuple[np.ndarray, ...]
    pure: tuple[bool, ...]
    reached_pure: frozenset[str]
    reached_mixed: frozenset[str]
    possible: frozenset[str]
    complete: bool

    @property
    def label(self) -> str:
        """The row label: the variant name or :data:`BASE_LABEL`."""
        return BASE_LABEL if self.name is None else self.name


@dataclass(frozen=True, eq=False)
class VariantsData:
    """Equilibria of the base scenario and of every variant, ready to draw.

    Attributes
    ----------
    title
        Title of the scenario.
    players
        Player names.
    outcomes
        Names of the scenario's named outcomes (the columns of the outcome grid).
    rows
        The base scenario first, then each variant in file order.
    unit
        Payoff unit, or None.
    """

    title: str
    players: tuple[str, ...]
    outcomes: tuple[str, ...]
    rows: tuple[VariantRow, ...]
    unit: str | None

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Variants compared", self.title)

    @property
    def xlabel(self) -> str:
        """The payoff axis label."""
        return payoff_label(self.unit)

    @property
    def caption(self) -> str:
        """What the payoff marks mean, in plain words."""
        parts = ["Filled: a pure equilibrium; open: a mixed one (expected payoffs)."]
        if any(len(row.payoffs) > 1 for row in self.rows):
            parts.append("Thin lines join the equilibria of one row.")
        incomplete = [row.label for row in self.rows if not row.complete]
        if len(incomplete) == len(self.rows):
            parts.append("The search was not exhaustive: further mixed equilibria may exist.")
        elif incomplete:
            parts.append(f"Not exhaustive for {', '.join(incomplete)}: further equilibria may exist.")
        return " ".join(parts)


def applies(chart_input: ChartInput) -> str | None:
    """None when the input has a scenario with at least one variant, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> applies(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml"))) is None
    True
    >>> applies(ChartInput(negsim.load("scenarios/four_party_package.yaml").solve()))
    'variants are compared only for a scenario file'
    """
    if chart_input.scenario is None:
        return "variants are compared only for a scenario file"
    if not chart_input.scenario.variants:
        return "the scenario defines no variants"
    return None


def _row(name: str | None, result: SolveResult) -> VariantRow:
    possible = frozenset(outcome for outcome, mask in result.game.outcomes.items() if mask.any())
    pure = frozenset(o for e in result.equilibria if e.is_pure for o in e.outcomes)
    mixed = frozenset(o for e in result.equilibria if not e.is_pure for o in e.outcomes) - pure
    return VariantRow(
        name=name,
        payoffs=tuple(np.array(e.payoffs, dtype=np.float64) for e in result.equilibria),
        pure=tuple(e.is_pure for e in result.equilibria),
        reached_pure=pure,
        reached_mixed=mixed,
        possible=possible,
        complete=result.complete,
    )


def prepare(chart_input: ChartInput, variants: Sequence[str] | None = None) -> VariantsData:
    """Solve the base scenario and each variant (or those named), and collect outcomes and payoffs.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> [(row.label, sorted(row.reached_pure)) for row in data.rows][1:3]
    [('no guarantee', ['continued confrontation']), ('strong guarantee', ['settlement'])]
    """
    require(applies(chart_input), "variants")
    scenario = chart_input.scenario
    assert scenario is not None  # applies() refuses input without a scenario
    base = replace(scenario, variant_name=None)
    base_result = chart_input.solved if scenario.variant_name is None else base.solve()
    rows = [_row(None, base_result)]
    names = base.variants if variants is None else variants
    rows += [_row(name, base.variant(name).solve()) for name in names]
    return VariantsData(
        title=base.title,
        players=base_result.game.players,
        outcomes=tuple(base_result.game.outcomes),
        rows=tuple(rows),
        unit=payoff_unit(base),
    )


def _row_axis(ax: Axes, data: VariantsData) -> np.ndarray:
    """Rows top to bottom, labelled with the variant names (the base scenario in italics)."""
    rows = np.arange(len(data.rows))
    ax.set_yticks(rows, [wrap(row.label, 20) for row in data.rows])
    for label in ax.get_yticklabels()[:1]:
        label.set_fontstyle("italic")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    return rows


def draw_variant_outcomes(data: VariantsData, *, ax: Axes | None = None) -> Axes:
    """Draw the grid of variants (rows) by named outcomes (columns), marking outcomes reached.

    A filled dot marks an outcome some pure equilibrium reaches, an open one an outcome reached
    only with positive probability in a mixed equilibrium, a cross an outcome that cannot occur
    with the strategies the variant allows. On new axes the chart title is drawn too.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    >>> [t.get_text() for t in draw_variant_outcomes(data).get_legend().get_texts()][:2]
    ['reached by a pure equilibrium', 'only in a mixed equilibrium']
    """
    own_figure = ax is None
    ax = new_axes(ax, size=(2.5 + 1.3 * len(data.outcomes), 1.8 + 0.6 * len(data.rows)), constrained=True)
    rows = _row_axis(ax, data)
    columns = np.arange(len(data.outcomes))
    cells: dict[str, list[tuple[int, int]]] = {"pure": [], "mixed": [], "none": [], "impossible": []}
    for r, row in enumerate(data.rows):
        for c, outcome in enumerate(data.outcomes):
            if outcome in row.reached_pure:
                cells["pure"].append((c, r))
            elif outcome in row.reached_mixed:
                cells["mixed"].append((c, r))
            elif outcome in row.possible:
                cells["none"].append((c, r))
            else:
                cells["impossible"].append((c, r))
    styles: dict[str, tuple[str, dict[str, Any]]] = {
        "pure": ("reached by a pure equilibrium", {"marker": "o", "s": 230, "color": EQUILIBRIUM_COLOUR}),
        "mixed": (
            "only in a mixed equilibrium",
            {
                "marker": "o",
                "s": 230,
                "facecolors": "white",
                "edgecolors": EQUILIBRIUM_COLOUR,
                "linewidths": 2,
            },
        ),
        "none": ("not reached", {"marker": "o", "s": 18, "color": "0.7"}),
        "impossible": ("cannot occur in this variant", {"marker": "x", "s": 45, "color": "0.55"}),
    }
    for key, (label, style) in styles.items():
        if key != "impossible" or cells[key]:  # crosses only where some outcome cannot occur
            xy = np.array(cells[key], dtype=np.float64).reshape(-1, 2)
            ax.scatter(xy[:, 0], xy[:, 1], label=label, zorder=3, **style)
    ax.set_xticks(columns, [wrap(name, 22) for name in data.outcomes])
    ax.xaxis.tick_top()
    for tick in ax.get_xticklabels():
        tick.set(rotation=35, ha="left", va="bottom", rotation_mode="anchor")
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.grid(axis="x", visible=False)
    for r in rows[:-1]:
        ax.axhline(r + 0.5, color="0.88", linewidth=0.8, zorder=1)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.01), fontsize=10, handletextpad=0.3)
    if own_figure:
        ax.set_title(data.chart_title, loc="left")
    else:
        ax.set_title("outcomes reached", loc="left", fontsize=12, fontweight="normal")
    return ax


def draw_variants(data: VariantsData, *, ax: Axes | None = None) -> Axes:
    """Draw each player's payoff in each variant's equilibria, one row per variant.

    Pure equilibria are filled markers, mixed ones open; a thin line joins a player's payoffs
    across the equilibria of one row. On new axes the chart title is drawn; on given axes
    (as in :func:`figure`) a short panel title instead.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> ax = draw_variants(data)
    >>> ax.get_title(loc="left"), ax.get_xlabel()
    ('Variants compared: Neutrality for guarantees', 'payoff (utils)')
    """
    n_players = len(data.players)
    own_figure = ax is None
    rows_height = 1.6 + len(data.rows) * (0.3 + 0.12 * n_players)
    ax = new_axes(ax, size=(9.5, max(rows_height, side_height(data.players, data.caption))), constrained=True)
    rows = _row_axis(ax, data)
    step = min(0.18, 0.7 / n_players)
    ax.axvline(0, color="0.35", linewidth=1, zorder=1)
    for r in rows[:-1]:
        ax.axhline(r + 0.5, color="0.88", linewidth=0.8, zorder=1)
    for player, name in enumerate(data.players):
        colour = PALETTE[player % len(PALETTE)]
        marker = PLAYER_MARKERS[player % len(PLAYER_MARKERS)]
        for r, row in zip(rows, data.rows):
            if not row.payoffs:
                continue
            y = r + (player - (n_players - 1) / 2) * step
            values = np.array([p[player] for p in row.payoffs])
            ax.hlines(y, values.min(), values.max(), color=colour, linewidth=1, alpha=0.7, zorder=2)
            pure = np.array(row.pure, dtype=bool)
            common: dict[str, Any] = {
                "marker": marker,
                "s": 55,
                "zorder": 3,
                "edgecolors": colour,
                "linewidths": 1.5,
            }
            ax.scatter(values[pure], np.full(pure.sum(), y), color=colour, **common)
            ax.scatter(values[~pure], np.full((~pure).sum(), y), facecolors="white", **common)
        ax.scatter([], [], marker=marker, color=colour, s=55, label=name)
    for r, row in zip(rows, data.rows):
        if not row.payoffs:
            ax.text(
                0.02, r, "no equilibrium found", transform=ax.get_yaxis_transform(), va="center", color="0.4"
            )
    ax.set_xlabel(data.xlabel)
    ax.margins(x=0.08)
    if own_figure:
        ax.set_title(data.chart_title, loc="left")
    else:
        ax.set_title("payoffs in equilibrium", loc="left", fontsize=12, fontweight="normal")
    legend_with_caption(ax, data.caption, title="party")
    return ax


def figure(chart_input: ChartInput, variants: Sequence[str] | None = None) -> Figure:
    """The finished chart: outcome grid on the left, payoffs on the right, rows shared.

    ``variants`` names the variants to show (default: all of them), after the base scenario.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    >>> fig.get_suptitle(), len(fig.axes)
    ('Variants compared: How strong a guarantee?', 2)
    """
    data = prepare(chart_input, variants)
    with house_style():
        from matplotlib import rcParams
        from matplotlib.figure import Figure

        n_outcomes = max(1, len(data.outcomes))
        rows_height = 2.4 + len(data.rows) * max(0.7, 0.3 + 0.12 * len(data.players))
        height = max(rows_height, side_height(data.players, data.caption) + 0.8)
        fig = Figure(figsize=(7.5 + 1.25 * n_outcomes, height), layout="constrained")
        grid, payoffs = fig.subplots(1, 2, sharey=True, width_ratios=(1.2 * n_outcomes, 6.5))
        draw_variant_outcomes(data, ax=grid)
        draw_variants(data, ax=payoffs)
        fig.suptitle(
            data.chart_title, x=0.01, ha="left", fontsize=rcParams["axes.titlesize"], fontweight="bold"
        )
    return fig
