"""The bargaining chart: feasible payoffs, frontier, disagreement point, zone of agreement, solutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.errors import UsageError
from negsim.plotting.outcomes import legend_with_caption
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, house_style, new_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.analysis.negotiation import Negotiation
    from negsim.plotting.charts import ChartInput

#: Markers and colours of the solutions, in order (Nash, Kalai-Smorodinsky, egalitarian,
#: utilitarian, then the alternating-offers agreements); orange is kept for "no deal".
SOLUTION_MARKERS = ("*", "D", "s", "^", "v", "P")
SOLUTION_COLOURS = (PALETTE[3], PALETTE[4], PALETTE[0], PALETTE[6], PALETTE[7], PALETTE[1])


@dataclass(frozen=True, eq=False)
class BargainingData:
    """What the chart shows, in payoff coordinates of the two parties."""

    title: str
    players: tuple[str, str]
    unit: str
    points: np.ndarray
    labels: tuple[str, ...]
    hull: np.ndarray
    zopa: np.ndarray
    frontier: np.ndarray
    disagreement: np.ndarray
    solutions: tuple[tuple[str, np.ndarray], ...]
    lotteries: bool

    @property
    def caption(self) -> str:
        feasible = "Grey area: every agreement, lotteries over outcomes included. " if self.lotteries else ""
        return (
            f"Dots: the outcomes. {feasible}Green: the zone of possible agreement, better than no "
            "deal for both. Dashed line: the Pareto frontier. Each marker: a bargaining solution."
        )


def prepare(talks: Negotiation, title: str = "") -> BargainingData:
    """The chart's data from a two-party negotiation.

    Examples
    --------
    >>> import negsim
    >>> from negsim.analysis.negotiation import negotiation
    >>> data = prepare(negotiation(negsim.load("scenarios/package_bargaining.yaml")))
    >>> data.disagreement.tolist(), [name for name, _ in data.solutions][:2]
    ([0.0, 1.0], ['Nash bargaining solution', 'Kalai-Smorodinsky solution'])
    """
    problem = talks.problem
    if problem.n_players != 2:
        raise UsageError(f"the bargaining chart needs two parties; this scenario has {problem.n_players}")
    points = np.asarray(problem.points, dtype=np.float64)
    hull = _hull(points)
    d = np.asarray(problem.disagreement, dtype=np.float64)
    zopa = _clip(hull, d) if problem.lotteries else points[np.all(points > d, axis=1)]
    front = points[np.asarray(problem.frontier(), dtype=int)]
    front = front[np.argsort(front[:, 0])]
    solutions = [(s.name, np.asarray(s.payoffs, dtype=np.float64)) for s in talks.solutions]
    for offer in talks.offers:
        name = f"alternating offers, {problem.players[offer.first]} first"
        solutions.append((name, np.asarray(offer.agreement.payoffs, dtype=np.float64)))
    return BargainingData(
        title=title,
        players=(problem.players[0], problem.players[1]),
        unit=talks.unit,
        points=points,
        labels=problem.labels,
        hull=hull,
        zopa=zopa,
        frontier=front,
        disagreement=d,
        solutions=tuple(solutions),
        lotteries=problem.lotteries,
    )


def draw_bargaining(data: BargainingData, *, ax: Axes | None = None) -> Axes:
    """Draw the feasible set, zone of agreement, frontier, disagreement point and solutions."""
    ax = new_axes(ax, size=(10.0, 6.5), constrained=True)
    unit = f" ({data.unit})" if data.unit else ""
    if data.lotteries and len(data.hull) >= 3:
        ax.fill(data.hull[:, 0], data.hull[:, 1], color="0.9", zorder=1, label="feasible agreements")
    if data.lotteries and len(data.zopa) >= 3:
        ax.fill(
            data.zopa[:, 0], data.zopa[:, 1], color=PALETTE[2], alpha=0.3, zorder=2, label="zone of agreement"
        )
    ax.scatter(data.points[:, 0], data.points[:, 1], s=18, color="0.45", zorder=3, label="outcome")
    ax.plot(
        data.frontier[:, 0],
        data.frontier[:, 1],
        linestyle="--",
        color="0.2",
        linewidth=1.3,
        zorder=3,
        label="Pareto frontier",
    )
    ax.scatter(
        data.disagreement[0],
        data.disagreement[1],
        s=90,
        marker="X",
        color=EQUILIBRIUM_COLOUR,
        zorder=5,
        label="no deal",
    )
    for k, (name, payoffs) in enumerate(data.solutions):
        colour = SOLUTION_COLOURS[k % len(SOLUTION_COLOURS)]
        ax.scatter(
            payoffs[0],
            payoffs[1],
            s=150 if k == 0 else 80,
            marker=SOLUTION_MARKERS[k % len(SOLUTION_MARKERS)],
            color=colour,
            edgecolors="black",
            linewidths=0.6,
            zorder=6,
            label=wrap(name, 30),
        )
    ax.axvline(data.disagreement[0], color="0.6", linewidth=0.8, zorder=1)
    ax.axhline(data.disagreement[1], color="0.6", linewidth=0.8, zorder=1)
    ax.margins(0.08)
    ax.set_xlabel(f"{data.players[0]} payoff{unit}")
    ax.set_ylabel(f"{data.players[1]} payoff{unit}")
    ax.set_title(f"Bargaining: {data.title}" if data.title else "Bargaining", loc="left")
    legend_with_caption(ax, data.caption)
    return ax


def figure_for(talks: Negotiation, title: str = "") -> Figure:
    """The finished bargaining chart of a negotiation."""
    data = prepare(talks, title)
    with house_style():
        ax = draw_bargaining(data)
    return ax.figure  # type: ignore[return-value]


def applies(chart_input: ChartInput) -> str | None:
    """None for a two-party scenario with a ``bargaining`` section, otherwise why not."""
    scenario = chart_input.scenario
    if scenario is None or scenario.compiled.spec.bargaining is None:
        return "it needs a scenario with a 'bargaining' section"
    if chart_input.solved.game.n_players != 2:
        return "the bargaining chart needs two parties"
    return None


def figure(chart_input: ChartInput) -> Figure:
    """The bargaining chart of a scenario (see :func:`negsim.analysis.negotiation.negotiation`).

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> chart_input = ChartInput.from_scenario(negsim.load("scenarios/package_bargaining.yaml"))
    >>> figure(chart_input).axes[0].get_title(loc="left")
    'Bargaining: Bargaining over the package'
    """
    from negsim.analysis.negotiation import negotiation
    from negsim.plotting.common import require

    require(applies(chart_input), "bargaining")
    scenario = chart_input.scenario
    assert scenario is not None
    return figure_for(negotiation(scenario, chart_input.result), scenario.title)


def _hull(points: np.ndarray) -> np.ndarray:
    """The convex hull of 2-D points, counter-clockwise (Andrew's monotone chain)."""
    unique = np.unique(points, axis=0)
    if len(unique) < 3:
        return unique

    def cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
        return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))

    lower: list[np.ndarray] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[np.ndarray] = []
    for p in unique[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def _clip(polygon: np.ndarray, corner: np.ndarray) -> np.ndarray:
    """The part of a convex polygon with both coordinates at least ``corner`` (Sutherland-Hodgman)."""
    result = [np.asarray(p, dtype=np.float64) for p in polygon]
    for axis in (0, 1):
        if not result:
            break
        clipped = []
        for k, current in enumerate(result):
            previous = result[k - 1]
            inside_now, inside_before = current[axis] >= corner[axis], previous[axis] >= corner[axis]
            if inside_now != inside_before:
                t = (corner[axis] - previous[axis]) / (current[axis] - previous[axis])
                clipped.append(previous + t * (current - previous))
            if inside_now:
                clipped.append(current)
        result = clipped
    return np.array(result).reshape(-1, 2)
