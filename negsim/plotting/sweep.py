"""Charts of a sweep: equilibrium payoffs along one parameter, or a region map over two.

One parameter (:func:`prepare_sweep`): one panel per party with its payoff in each equilibrium
against the parameter (:func:`draw_payoffs`), one line per equilibrium branch (solid when pure,
dotted when mixed), and under them one band per named outcome showing where it is an
equilibrium outcome (:func:`draw_bands`); tipping points are dashed vertical lines.

Two parameters (:func:`prepare_region_map`): each grid cell coloured by the combination of
named outcomes that are equilibrium outcomes there, every combination in the legend
(:func:`draw_region_map`).

:func:`figure` draws the right chart for a :class:`~negsim.whatif.sweep.SweepResult`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.errors import UsageError
from negsim.plotting.common import payoff_label, payoff_unit, titled
from negsim.plotting.outcomes import legend_with_caption, side_height
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, house_style, new_axes, wrap
from negsim.whatif.sweep import intervals, support_codes, with_unit

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.whatif.sweep import SweepResult
    from negsim.whatif.threshold import ThresholdResult

#: Colours of equilibrium branches: the palette without the equilibrium colour and the pale yellow.
BRANCH_COLOURS = tuple(c for c in PALETTE if c not in (EQUILIBRIUM_COLOUR, "#F0E442"))

#: Colour of branches beyond the palette and of equilibria seen at a single grid value.
OTHER_COLOUR = "0.55"

#: Colours of outcome combinations in the region map (the palette without black); then hatched.
REGION_COLOURS = tuple(c for c in PALETTE if c != "#000000")

#: Hatch patterns laid over the colours once the region map has more combinations than colours.
REGION_HATCHES = ("", "///", "...", "xxx", "\\\\\\")

#: Colour of cells where no named outcome is an equilibrium outcome.
NONE_COLOUR = "#EEEEEE"

#: Line style of mixed-equilibrium branches (dotted, so that dashed lines stay for tipping points).
MIXED_STYLE: tuple[float, tuple[float, float]] = (0.0, (1.0, 1.6))

#: Probabilities above this count as reaching an outcome (or playing a strategy).
POSITIVE = 1e-12


@dataclass(frozen=True, eq=False)
class Branch:
    """Equilibria of one kind followed along the sweep: a pure profile, or mixes with one support.

    Attributes
    ----------
    label
        Legend text: the outcome(s) a pure branch leads to (or its profile), or "mixed equilibrium".
    pure
        Whether the branch's equilibria are pure.
    index
        Grid indices where the branch is an equilibrium, increasing.
    payoffs
        Array ``(len(index), n_players)``: the payoffs (expected payoffs for a mixed branch).
    """

    label: str
    pure: bool
    index: np.ndarray
    payoffs: np.ndarray

    @property
    def isolated(self) -> bool:
        """True when the branch never holds at two neighbouring grid values (seen only at ties)."""
        return not bool(np.any(np.diff(self.index) == 1))

    def runs(self) -> list[np.ndarray]:
        """Positions (into :attr:`index`) of each run of neighbouring grid values."""
        breaks = np.flatnonzero(np.diff(self.index) != 1) + 1
        return np.split(np.arange(len(self.index)), breaks)


@dataclass(frozen=True, eq=False)
class SweepChartData:
    """Everything the one-parameter sweep chart shows.

    Attributes
    ----------
    title
        The scenario's title (with its variant).
    parameter, unit
        The varied parameter and its unit.
    payoff_unit
        The unit of payoffs, or None.
    players
        Party names, one panel each.
    values
        The grid values.
    branches
        Equilibrium branches: those holding over neighbouring grid values first (they get
        colours, in order of appearance), then those seen only at single values.
    outcomes
        Named outcomes, one band each.
    reached, reached_pure
        Boolean arrays ``(n_values, n_outcomes)``: outcome reached by some equilibrium, by some
        pure equilibrium.
    thresholds
        Tipping values drawn as dashed lines, with their labels.
    complete
        False when only pure equilibria were searched.
    """

    title: str
    parameter: str
    unit: str | None
    payoff_unit: str | None
    players: tuple[str, ...]
    values: np.ndarray
    branches: tuple[Branch, ...]
    outcomes: tuple[str, ...]
    reached: np.ndarray
    reached_pure: np.ndarray
    thresholds: tuple[tuple[float, str], ...]
    complete: bool
    without_equilibrium: int = 0

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled(f"Equilibria as {self.parameter} varies", self.title)

    @property
    def xlabel(self) -> str:
        """The parameter axis label, with the unit."""
        return with_unit(self.parameter, self.unit)

    @property
    def ylabel(self) -> str:
        """The payoff axis label, with the unit."""
        return payoff_label(self.payoff_unit)

    @property
    def step(self) -> float:
        """Distance between neighbouring grid values."""
        return float(self.values[1] - self.values[0])

    def colour(self, branch: int) -> str:
        """The colour of branch number ``branch``."""
        if self.branches[branch].isolated or branch >= len(BRANCH_COLOURS):
            return OTHER_COLOUR
        return BRANCH_COLOURS[branch]

    def spans(self, outcome: int, *, pure: bool) -> list[tuple[float, float]]:
        """``(left, width)`` spans where the outcome is reached by a pure equilibrium (``pure``), or
        only by mixed ones (not ``pure``); each grid value covers half a step on either side."""
        if pure:
            mask = self.reached_pure[:, outcome]
        else:
            mask = self.reached[:, outcome] & ~self.reached_pure[:, outcome]
        half = self.step / 2
        low, high = float(self.values[0]), float(self.values[-1])
        result = []
        for start, stop in intervals(mask, self.values):
            left, right = max(low, start - half), min(high, stop + half)
            result.append((left, right - left))
        return result

    @property
    def legend_labels(self) -> list[str]:
        """Legend entries of the payoff panels, in order."""
        labels = []
        shown = [b for k, b in enumerate(self.branches) if not b.isolated and k < len(BRANCH_COLOURS)]
        labels += [wrap(b.label, 30) for b in shown]
        if any(not b.isolated for b in self.branches[len(BRANCH_COLOURS) :]):
            labels.append("other equilibria")
        if any(b.isolated for b in self.branches):
            labels.append(wrap("equilibrium at a single value (a tie)", 30))
        if self.thresholds:
            labels.append("tipping point")
        return labels

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        lasting = [b for b in self.branches if not b.isolated]
        parts = [f"Lines: each party's payoff in an equilibrium as {self.parameter} varies"]
        if all(b.pure for b in lasting):
            parts[0] += "."
        elif any(b.pure for b in lasting):
            parts[0] += "; solid when the equilibrium is pure, dotted when mixed (expected payoffs)."
        else:
            parts[0] += "; dotted: every one is mixed (expected payoffs)."
        if any(b.isolated for b in self.branches):
            parts.append(
                "Grey dots: equilibria found at one grid value only (a tie)"
                + ("; open when mixed." if any(b.isolated and not b.pure for b in self.branches) else ".")
            )
        if self.outcomes:
            parts.append("Bands below: where each outcome is an equilibrium outcome")
            if np.any(self.reached & ~self.reached_pure):
                parts[-1] += "; pale and hatched where only a mixed equilibrium reaches it, by chance"
            parts[-1] += "."
        if self.thresholds:
            parts.append("Dashed lines: tipping points.")
        if not self.complete:
            parts.append("Only pure equilibria were searched (three or more parties).")
        if self.without_equilibrium:
            parts.append(
                f"No equilibrium was found at {self.without_equilibrium} of {len(self.values)} values."
            )
        return " ".join(parts)


def _title(result: SweepResult) -> str:
    scenario = result.scenario
    return scenario.title + (f" ({scenario.variant_name})" if scenario.variant_name else "")


def _branches(result: SweepResult) -> tuple[Branch, ...]:
    """Group the equilibria of every grid value into branches by support, and label them."""
    equilibria = result.batch.equilibria
    if not len(equilibria):
        return ()
    codes = support_codes(equilibria.strategies)
    _, kind_of = np.unique(codes, axis=0, return_inverse=True)
    kind_of = kind_of.reshape(-1)
    # one equilibrium per branch and grid value (a degenerate point may list two with one support)
    _, first = np.unique(np.stack([kind_of, equilibria.point], axis=1), axis=0, return_index=True)
    pure = equilibria.pure
    found = []
    for kind in np.unique(kind_of):
        rows = first[kind_of[first] == kind]
        rows = rows[np.argsort(equilibria.point[rows], kind="stable")]
        isolated = not bool(np.any(np.diff(equilibria.point[rows]) == 1))
        found.append((isolated, int(equilibria.point[rows[0]]), not bool(pure[rows[0]]), rows))
    found.sort(key=lambda item: item[:3])  # lasting branches first, then by where they start, pure first
    labels = _labels(result, [rows[0] for *_, rows in found], [isolated for isolated, *_ in found])
    return tuple(
        Branch(label, bool(pure[rows[0]]), equilibria.point[rows], equilibria.payoffs[rows])
        for (*_, rows), label in zip(found, labels)
    )


def _profile(result: SweepResult, row: int) -> str:
    """The pure profile of equilibrium ``row``, as strategy names joined by slashes."""
    batch = result.batch
    mixes = batch.equilibria.strategies
    return " / ".join(labels[int(np.argmax(mix[row]))] for labels, mix in zip(batch.strategies, mixes))


def _labels(result: SweepResult, rows: list[int], isolated: list[bool]) -> list[str]:
    """Legend texts: the outcomes a pure branch leads to (or its profile), "mixed equilibrium"; numbered
    or given the profile where two lasting branches would read the same."""
    batch = result.batch
    pure = batch.equilibria.pure
    labels = []
    for row in rows:
        if pure[row]:
            names = [o for o, p in zip(batch.outcomes, batch.outcome_probability[row]) if p > POSITIVE]
            labels.append(" + ".join(names) if names else _profile(result, row))
        else:
            labels.append("mixed equilibrium")
    final = []
    for k, (row, label) in enumerate(zip(rows, labels)):
        same = [j for j, other in enumerate(labels) if other == label and not isolated[j]]
        if isolated[k]:
            label = "equilibrium at a single value (a tie)"
        elif len(same) > 1 and pure[row]:
            profile = _profile(result, row)
            label = label if label == profile else f"{label}: {profile}"
        elif len(same) > 1:
            label = f"{label} {same.index(k) + 1}"
        final.append(label)
    return final


def _threshold_marks(
    thresholds: ThresholdResult | Sequence[float] | None,
) -> tuple[tuple[float, str], ...]:
    if thresholds is None:
        return ()
    points = getattr(thresholds, "points", None)
    if points is not None:
        return tuple((float(p.value), p.shown) for p in points)
    return tuple((float(v), f"{float(v):.4g}") for v in thresholds)  # type: ignore[union-attr]


def prepare_sweep(
    result: SweepResult, thresholds: ThresholdResult | Sequence[float] | None = None
) -> SweepChartData:
    """The payoff branches, outcome bands and tipping points of a one-parameter sweep.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> data = prepare_sweep(sweep(s, [("guarantee_value", 0, 10, 11)]), [3.0, 6.0])
    >>> [(b.label, b.pure, b.index.tolist()) for b in data.branches][:2]  # doctest: +ELLIPSIS
    [('continued confrontation', True, [0, 1, 2, 3, 4, 5, 6]), ('settlement', True, [3, 4, 5, ..., 10])]
    >>> data.xlabel, data.ylabel, data.thresholds
    ('guarantee_value (utils)', 'payoff (utils)', ((3.0, '3'), (6.0, '6')))
    """
    if len(result.specs) != 1:
        raise UsageError(f"the sweep chart needs one varied parameter, got {len(result.specs)}")
    spec = result.specs[0]
    return SweepChartData(
        title=_title(result),
        parameter=spec.name,
        unit=result.unit(spec.name),
        payoff_unit=payoff_unit(result.scenario),
        players=result.batch.players,
        values=result.axes[0],
        branches=_branches(result),
        outcomes=result.outcomes,
        reached=result.reached(),
        reached_pure=result.reached_pure(),
        thresholds=_threshold_marks(thresholds),
        complete=result.complete,
        without_equilibrium=int(len(result.axes[0]) - len(np.unique(result.batch.equilibria.point))),
    )


def _levels(data: SweepChartData) -> list[int]:
    """Height (0 or 1) of each tipping value's label: close neighbours alternate, so none overlap."""
    span = float(data.values[-1] - data.values[0])
    levels: list[int] = []
    previous = -np.inf
    for value, _ in data.thresholds:
        levels.append(1 - levels[-1] if levels and value - previous < 0.12 * span else 0)
        previous = value
    return levels


def _title_pad(data: SweepChartData, labelled: bool) -> float | None:
    """Room above a panel for the tipping values' labels."""
    if not (data.thresholds and labelled):
        return None
    return 36.0 if any(_levels(data)) else 22.0


def _draw_thresholds(ax: Axes, data: SweepChartData, *, labelled: bool) -> None:
    from matplotlib.transforms import blended_transform_factory, offset_copy

    for value, _ in data.thresholds:
        ax.axvline(value, color="0.25", linewidth=1.2, linestyle=(0, (5, 3)), zorder=1.5)
    if not labelled:
        return
    base = blended_transform_factory(ax.transData, ax.transAxes)
    for (value, text), level in zip(data.thresholds, _levels(data)):
        ax.text(
            value,
            1.0,
            text,
            transform=offset_copy(base, fig=ax.get_figure(root=True), y=3 + 14 * level, units="points"),
            ha="center",
            va="bottom",
            fontsize=10,
            color="0.2",
            clip_on=False,
        )


def draw_payoffs(
    data: SweepChartData, player: int = 0, *, ax: Axes | None = None, labelled: bool = True
) -> Axes:
    """Draw one party's payoff in every equilibrium branch against the parameter.

    On new axes the chart title, the legend and the caption are drawn too; :func:`figure`
    draws one such panel per party above the outcome bands. ``labelled`` writes the tipping
    values above the panel.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> ax = draw_payoffs(prepare_sweep(sweep(s, [("guarantee_value", 0, 10, 11)])), 1)
    >>> ax.get_title(loc="left"), ax.get_ylabel()
    ('Equilibria as guarantee_value varies: Neutrality for guarantees', 'Russia payoff (utils)')
    """
    own_figure = ax is None
    ax = new_axes(ax, size=(10.0, max(4.5, side_height(data.legend_labels, data.caption))), constrained=True)
    marks_isolated = False
    for k, branch in enumerate(data.branches):
        colour = data.colour(k)
        x = data.values[branch.index]
        y = branch.payoffs[:, player]
        style: dict[str, Any] = {"color": colour, "linewidth": 2.4, "solid_capstyle": "butt"}
        if not branch.pure:
            style["linestyle"] = MIXED_STYLE
        for run in branch.runs():
            if len(run) > 1:
                ax.plot(x[run], y[run], zorder=3, **style)
            else:
                ax.plot(
                    x[run],
                    y[run],
                    linestyle="none",
                    marker="o",
                    markersize=6 if branch.isolated else 5,
                    markerfacecolor=colour if branch.pure else "white",
                    markeredgecolor=colour,
                    markeredgewidth=1.4,
                    zorder=4,
                )
        marks_isolated |= branch.isolated
    _draw_thresholds(ax, data, labelled=labelled)
    ax.set_xlim(float(data.values[0]), float(data.values[-1]))
    ax.margins(y=0.12)
    if own_figure:
        ax.set_title(data.chart_title, loc="left", pad=_title_pad(data, True))
        ax.set_ylabel(payoff_label(data.payoff_unit, data.players[player]))
        ax.set_xlabel(data.xlabel)
        _payoff_legend(ax, data)
    else:
        ax.set_ylabel(data.ylabel)
        pad = _title_pad(data, labelled)
        ax.set_title(data.players[player], loc="left", fontsize=12, fontweight="bold", pad=pad)
    return ax


def _payoff_handles(data: SweepChartData) -> list[Any]:
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    for k, branch in enumerate(data.branches):
        if branch.isolated or k >= len(BRANCH_COLOURS):
            continue
        handles.append(
            Line2D([], [], color=data.colour(k), linewidth=2.4, linestyle="-" if branch.pure else MIXED_STYLE)
        )
    others = [b for b in data.branches[len(BRANCH_COLOURS) :] if not b.isolated]
    if others:
        dotted = not any(b.pure for b in others)
        handles.append(
            Line2D([], [], color=OTHER_COLOUR, linewidth=2.4, linestyle=MIXED_STYLE if dotted else "-")
        )
    isolated = [b for b in data.branches if b.isolated]
    if isolated:
        face = OTHER_COLOUR if any(b.pure for b in isolated) else "white"
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6,
                markerfacecolor=face,
                markeredgecolor=OTHER_COLOUR,
                markeredgewidth=1.4,
            )
        )
    if data.thresholds:
        handles.append(Line2D([], [], color="0.25", linewidth=1.2, linestyle=(0, (5, 3))))
    return handles


def _payoff_legend(ax: Axes, data: SweepChartData) -> None:
    """The legend and caption beside ``ax`` (a payoff panel drawn on its own)."""
    legend_with_caption(
        ax, data.caption, handles=_payoff_handles(data), labels=data.legend_labels, title="equilibrium"
    )


def _key(ax: Axes, data: SweepChartData) -> None:
    """The legend and caption inside ``ax``, an empty column beside the panels of :func:`figure`."""
    ax.axis("off")
    legend = ax.legend(
        _payoff_handles(data),
        data.legend_labels,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.0,
        alignment="left",
        title="equilibrium",
    )
    ax.annotate(
        wrap(data.caption, 34),
        xy=(0.0, 0.0),
        xycoords=legend,
        xytext=(4, -8),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9.5,
        color="0.3",
        annotation_clip=False,
    )


def draw_bands(data: SweepChartData, *, ax: Axes | None = None) -> Axes:
    """Draw one band per named outcome, filled where it is an equilibrium outcome.

    Solid where some pure equilibrium reaches the outcome; pale and hatched where only a mixed
    equilibrium reaches it (by chance). Bands overlap nothing: each outcome has its own row.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> ax = draw_bands(prepare_sweep(sweep(s, [("guarantee_value", 0, 10, 11)])))
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['settlement', 'exposed neutrality']
    """
    from matplotlib.colors import to_rgba

    own_figure = ax is None
    n = len(data.outcomes)
    ax = new_axes(ax, size=(10.0, 1.6 + 0.42 * n), constrained=True)
    rows = np.arange(n)
    for row in rows:
        pure = data.spans(int(row), pure=True)
        chance = data.spans(int(row), pure=False)
        ax.broken_barh(pure, (row - 0.34, 0.68), facecolors=EQUILIBRIUM_COLOUR, edgecolors="none", zorder=2)
        if chance:
            ax.broken_barh(
                chance,
                (row - 0.34, 0.68),
                facecolors=to_rgba(EQUILIBRIUM_COLOUR, 0.25),
                edgecolors=EQUILIBRIUM_COLOUR,
                linewidth=0.0,
                hatch="////",
                zorder=2,
            )
    for row in rows[:-1]:
        ax.axhline(row + 0.5, color="0.88", linewidth=0.8, zorder=1)
    _draw_thresholds(ax, data, labelled=own_figure)
    ax.set_yticks(rows, [wrap(name, 24) for name in data.outcomes])
    ax.set_ylim(max(n, 1) - 0.5, -0.5)
    if not n:
        ax.text(0.5, 0.5, "the scenario names no outcomes", transform=ax.transAxes, ha="center", color="0.4")
    ax.set_xlim(float(data.values[0]), float(data.values[-1]))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(data.xlabel)
    if own_figure:
        ax.set_title(titled("Equilibrium outcomes", data.title), loc="left", pad=_title_pad(data, True))
    else:
        ax.set_title("equilibrium outcomes", loc="left", fontsize=12, fontweight="bold")
    return ax


# -- two parameters ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RegionMapData:
    """Which combination of named outcomes are equilibrium outcomes at each cell of a 2-D grid.

    Attributes
    ----------
    title
        The scenario's title (with its variant).
    parameters, units
        The two varied parameters (x axis, then y axis) and their units.
    x, y
        Grid values along each.
    cells
        Integer array ``(len(y), len(x))``: the combination (index into ``combinations``) of each cell.
    combinations
        Each combination as the outcome names it holds (empty: none of them), most cells first.
    counts
        Number of cells of each combination.
    complete
        False when only pure equilibria were searched.
    """

    title: str
    parameters: tuple[str, str]
    units: tuple[str | None, str | None]
    x: np.ndarray
    y: np.ndarray
    cells: np.ndarray
    combinations: tuple[tuple[str, ...], ...]
    counts: tuple[int, ...]
    complete: bool

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Equilibrium outcomes", self.title)

    @property
    def xlabel(self) -> str:
        """The x axis label (first varied parameter, with the unit)."""
        return with_unit(self.parameters[0], self.units[0])

    @property
    def ylabel(self) -> str:
        """The y axis label (second varied parameter, with the unit)."""
        return with_unit(self.parameters[1], self.units[1])

    def label(self, combination: int) -> str:
        """The legend text of a combination.

        Examples
        --------
        >>> data = RegionMapData("", ("a", "b"), (None, None), np.zeros(2), np.zeros(2), np.zeros((2, 2)),
        ...                      (("deal", "war"), ()), (3, 1), True)
        >>> data.label(0), data.label(1)
        ('deal + war', 'none of the named outcomes')
        """
        names = self.combinations[combination]
        return " + ".join(names) if names else "none of the named outcomes"

    def style(self, combination: int) -> tuple[str, str]:
        """``(colour, hatch)`` of a combination: a colour each, hatched once colours run out."""
        if not self.combinations[combination]:
            return NONE_COLOUR, ""
        k = sum(1 for c in self.combinations[:combination] if c)
        return REGION_COLOURS[k % len(REGION_COLOURS)], REGION_HATCHES[
            (k // len(REGION_COLOURS)) % len(REGION_HATCHES)
        ]

    @property
    def caption(self) -> str:
        """What the colours mean, in plain words."""
        parts = [
            "Each cell: the outcomes that are equilibrium outcomes at that grid point. "
            "Where several are, the cell has the colour of that combination, listed on its own."
        ]
        if not self.complete:
            parts.append("Only pure equilibria were searched (three or more parties).")
        return " ".join(parts)


def prepare_region_map(result: SweepResult) -> RegionMapData:
    """The combination of equilibrium outcomes at every cell of a two-parameter sweep.

    The first varied parameter runs along the x axis, the second along the y axis.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> data = prepare_region_map(sweep(s, [("guarantee_value", 0, 10, 3), ("nato_value", 0, 10, 3)]))
    >>> [data.label(k) for k in range(len(data.combinations))]
    ['settlement', 'continued confrontation', 'settlement + unanswered pledge + continued confrontation']
    >>> data.cells.tolist()  # rows: nato_value 0, 5, 10; columns: guarantee_value 0, 5, 10
    [[2, 0, 0], [1, 2, 0], [1, 1, 2]]
    """
    if len(result.specs) != 2:
        raise UsageError(f"the region map needs two varied parameters, got {len(result.specs)}")
    codes = result.outcome_sets()
    unique, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    order = np.lexsort((unique, -counts))  # most cells first, then by code
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    cells = rank[inverse.reshape(codes.shape)]
    outcomes = result.outcomes
    combinations = tuple(
        tuple(name for k, name in enumerate(outcomes) if int(unique[i]) >> k & 1) for i in order
    )
    first, second = result.specs
    return RegionMapData(
        title=_title(result),
        parameters=(first.name, second.name),
        units=(result.unit(first.name), result.unit(second.name)),
        x=result.axes[0],
        y=result.axes[1],
        cells=cells.T.copy(),
        combinations=combinations,
        counts=tuple(int(counts[i]) for i in order),
        complete=result.complete,
    )


def _edges(values: np.ndarray) -> np.ndarray:
    """Cell edges: half-way between grid values, half a step beyond the ends."""
    middle = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]])


def draw_region_map(data: RegionMapData, *, ax: Axes | None = None) -> Axes:
    """Draw the grid coloured by the combination of equilibrium outcomes in each cell.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> data = prepare_region_map(sweep(s, [("guarantee_value", 0, 10, 3), ("nato_value", 0, 10, 3)]))
    >>> ax = draw_region_map(data)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('guarantee_value (utils)', 'nato_value (utils)')
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    labels = [wrap(data.label(k), 30) for k in range(len(data.combinations))]
    ax = new_axes(ax, size=(10.0, max(6.0, side_height(labels, data.caption))), constrained=True)
    xe, ye = _edges(data.x), _edges(data.y)
    styles = [data.style(k) for k in range(len(data.combinations))]
    colours = ListedColormap([colour for colour, _ in styles])
    ax.pcolormesh(
        xe, ye, data.cells, cmap=colours, vmin=-0.5, vmax=len(styles) - 0.5, shading="flat", zorder=1
    )
    for k, (_, hatch) in enumerate(styles):
        if hatch:
            masked = np.ma.masked_where(data.cells != k, np.ones_like(data.cells, dtype=float))
            mesh = ax.pcolor(xe, ye, masked, shading="flat", zorder=2)
            mesh.set_facecolor("none")
            mesh.set_edgecolor("white")
            mesh.set_linewidth(0.0)
            mesh.set_hatch(hatch)
    handles = [
        Patch(facecolor=colour, edgecolor="white" if hatch else "0.6", hatch=hatch, linewidth=0.6)
        for colour, hatch in styles
    ]
    ax.set_xlim(float(xe[0]), float(xe[-1]))
    ax.set_ylim(float(ye[0]), float(ye[-1]))
    ax.grid(visible=False)
    ax.set_xlabel(data.xlabel)
    ax.set_ylabel(data.ylabel)
    ax.set_title(wrap(data.chart_title, 55), loc="left")
    legend_with_caption(ax, data.caption, handles=handles, labels=labels, title="equilibrium outcomes")
    return ax


def figure(result: SweepResult, thresholds: ThresholdResult | Sequence[float] | None = None) -> Figure:
    """The finished chart of a sweep: payoff panels over outcome bands, or a region map.

    ``thresholds`` (a :class:`~negsim.whatif.threshold.ThresholdResult` or values) are drawn as
    dashed lines on a one-parameter chart.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sweep import sweep
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> fig = figure(sweep(s, [("guarantee_value", 0, 10, 11)]))
    >>> fig.get_suptitle()
    'Equilibria as guarantee_value varies: Neutrality for guarantees'
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Ukraine', 'Russia', 'equilibrium outcomes', '']
    """
    if len(result.specs) == 2:
        if thresholds:
            raise UsageError("tipping points are drawn on one-parameter sweeps only")
        data_map = prepare_region_map(result)
        with house_style():
            return _finished(draw_region_map(data_map))
    data = prepare_sweep(result, thresholds)
    with house_style():
        from matplotlib import rcParams
        from matplotlib.figure import Figure

        n_players = len(data.players)
        bands = 1 if data.outcomes else 0  # no band panel when the scenario names no outcomes
        band_height = 0.7 + 0.34 * len(data.outcomes)
        panel = 2.3
        heights = [panel] * n_players + [band_height] * bands
        height = max(sum(heights) + 1.0, side_height(data.legend_labels, data.caption))
        fig = Figure(figsize=(11.0, height), layout="constrained")
        grid = fig.add_gridspec(n_players + bands, 2, width_ratios=(7.4, 3.1), height_ratios=heights)
        first = fig.add_subplot(grid[0, 0])
        panels = [first] + [fig.add_subplot(grid[k, 0], sharex=first) for k in range(1, n_players + bands)]
        for player, ax in enumerate(panels[:n_players]):
            draw_payoffs(data, player, ax=ax, labelled=player == 0)
            if bands or player < n_players - 1:
                ax.tick_params(axis="x", labelbottom=False)
            else:
                ax.set_xlabel(data.xlabel)
        if bands:
            draw_bands(data, ax=panels[-1])
        _key(fig.add_subplot(grid[:, 1]), data)
        fig.suptitle(
            wrap(data.chart_title, 80),
            x=0.01,
            ha="left",
            fontsize=rcParams["axes.titlesize"],
            fontweight="bold",
        )
    return fig


def _finished(ax: Axes) -> Figure:
    from typing import cast

    return cast("Figure", ax.figure)
