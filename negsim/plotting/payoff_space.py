"""Every pure profile in the payoff space of two players, with the Pareto frontier and the equilibria."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from negsim.analysis.welfare import pareto_efficient
from negsim.errors import UsageError
from negsim.plotting.common import payoff_label, payoff_unit, require, styled_figure, titled
from negsim.plotting.outcomes import chart_title, legend_with_caption, profile_name, pure_profile, side_height
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, new_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput

#: At most this many points get a text label (equilibria first, then efficient points).
MAX_LABELS = 12

#: Colours of named outcomes: the palette without the equilibrium colour and the pale yellow.
OUTCOME_COLOURS = tuple(c for c in PALETTE if c not in (EQUILIBRIUM_COLOUR, "#F0E442"))

#: Markers of named outcomes; five markers against six colours give 30 distinct combinations.
OUTCOME_MARKERS = ("o", "s", "D", "^", "v")

#: Directions tried for a label around its point, most preferred first.
_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))

#: Distances (points) tried for a label from its point; the farther ones get a leader line.
_DISTANCES = (6.0, 16.0, 30.0, 48.0)


@dataclass(frozen=True, eq=False)
class PayoffSpaceData:
    """Payoffs of two players at every pure profile, the frontier, equilibria and outcomes.

    Attributes
    ----------
    title
        Title of the game.
    players
        Names of the two players on the x and y axes.
    n_players
        Number of players in the game (efficiency is judged in the pair's projection).
    points
        Array ``(P, 2)``: the pair's payoffs at each pure profile, in ``np.ndindex`` order.
    labels
        Strategy names of each profile, joined by slashes.
    efficient
        Indices of the Pareto-efficient points of ``points`` (one per distinct payoff pair).
    equilibria
        Array ``(E, 2)``: the pair's expected payoffs in each equilibrium, in the solver's order.
    equilibrium_labels
        The profile of each pure equilibrium, ``"mixed"`` for a mixed one.
    outcomes
        Names of the named outcomes that some profile belongs to.
    membership
        Boolean array ``(outcomes, P)``: which profiles belong to which outcome.
    annotations
        ``(x, y, text)`` of the labelled points: equilibria, then efficient points.
    unlabelled
        How many efficient points did not get a label (beyond :data:`MAX_LABELS`).
    unit
        Payoff unit, or None.
    """

    title: str
    players: tuple[str, str]
    n_players: int
    points: np.ndarray
    labels: tuple[str, ...]
    efficient: tuple[int, ...]
    equilibria: np.ndarray
    equilibrium_labels: tuple[str, ...]
    outcomes: tuple[str, ...]
    membership: np.ndarray
    annotations: tuple[tuple[float, float, str], ...]
    unlabelled: int
    unit: str | None

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Payoff space", self.title)

    @property
    def xlabel(self) -> str:
        """Label of the x axis (first player of the pair)."""
        return payoff_label(self.unit, self.players[0])

    @property
    def ylabel(self) -> str:
        """Label of the y axis (second player of the pair)."""
        return payoff_label(self.unit, self.players[1])

    def frontier(self) -> np.ndarray:
        """The efficient points sorted left to right (the second payoff then falls)."""
        front = self.points[list(self.efficient)]
        return front[np.lexsort((-front[:, 1], front[:, 0]))]

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        parts = ["Grey dots: every pure profile. Circled: Pareto-efficient profiles."]
        if len(self.efficient) > 1:
            parts.append("Dashed steps: the frontier they form.")
        if self.n_players > 2:
            parts.append(
                f"Efficiency counts only {self.players[0]}'s and {self.players[1]}'s payoffs, "
                "not the other parties'."
            )
        if len(self.equilibria):
            parts.append("Stars: equilibria, numbered as listed; a mixed one sits at its expected payoffs.")
        if np.any(self.membership.sum(axis=0) > 1):
            parts.append("Outlines: the profile is also in a further outcome.")
        if self.unlabelled:
            parts.append(f"{self.unlabelled} more efficient profiles are not labelled.")
        return " ".join(parts)


def applies(chart_input: ChartInput) -> str | None:
    """None when the game has at least two players, otherwise why the chart does not apply.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> applies(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml"))) is None
    True
    """
    if chart_input.solved.game.n_players < 2:
        return "payoff space needs at least two parties"
    return None


def prepare(chart_input: ChartInput, pair: tuple[int | str, int | str] = (0, 1)) -> PayoffSpaceData:
    """The pair's payoffs at every profile, its efficient points, the equilibria and outcome membership.

    ``pair`` names the players on the x and y axes, by index or by name.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> chart_input = ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml"))
    >>> data = prepare(chart_input)
    >>> data.points.tolist(), data.efficient
    ([[3.0, 6.0], [-2.0, 4.0], [2.0, -1.0], [0.0, 0.0]], (0,))
    >>> prepare(chart_input, pair=("Russia", "Ukraine")).players
    ('Russia', 'Ukraine')
    """
    require(applies(chart_input), "payoff-space")
    result = chart_input.solved
    game = result.game
    first, second = (game.player_index(p) for p in pair)
    if first == second:
        raise UsageError(f"payoff space needs two different parties, got {game.players[first]} twice")
    points = game.payoffs[..., [first, second]].reshape(-1, 2)
    labels = tuple(profile_name(game, profile) for profile in np.ndindex(*game.shape))
    efficient = tuple(int(k) for k in pareto_efficient(points))
    equilibria = np.array([e.payoffs[[first, second]] for e in result.equilibria], dtype=np.float64)
    equilibrium_labels = tuple(
        profile_name(game, pure_profile(e)) if e.is_pure else "mixed" for e in result.equilibria
    )
    named = [(name, mask.reshape(-1)) for name, mask in game.outcomes.items() if mask.any()]
    annotations, unlabelled = _annotations(
        points, labels, efficient, equilibria.reshape(-1, 2), equilibrium_labels
    )
    return PayoffSpaceData(
        title=chart_title(chart_input),
        players=(game.players[first], game.players[second]),
        n_players=game.n_players,
        points=points,
        labels=labels,
        efficient=efficient,
        equilibria=equilibria.reshape(-1, 2),
        equilibrium_labels=equilibrium_labels,
        outcomes=tuple(name for name, _ in named),
        membership=np.array([mask for _, mask in named], dtype=bool).reshape(len(named), len(points)),
        annotations=annotations,
        unlabelled=unlabelled,
        unit=payoff_unit(chart_input.scenario),
    )


def _with_others(text: str, others: int) -> str:
    return f"{text} (+{others} more)" if others else text


def _annotations(
    points: np.ndarray,
    labels: tuple[str, ...],
    efficient: tuple[int, ...],
    equilibria: np.ndarray,
    equilibrium_labels: tuple[str, ...],
) -> tuple[tuple[tuple[float, float, str], ...], int]:
    """Label texts: one per distinct equilibrium location, then one per efficient point."""
    groups: dict[tuple[float, float], list[int]] = {}
    for number, point in enumerate(equilibria, start=1):
        groups.setdefault((float(point[0]), float(point[1])), []).append(number)
    result: list[tuple[float, float, str]] = []
    for (x, y), numbers in groups.items():
        profiles = list(dict.fromkeys(equilibrium_labels[n - 1] for n in numbers))
        text = _with_others(profiles[0], len(profiles) - 1)
        result.append((x, y, wrap(f"{', '.join(map(str, numbers))}: {text}", 30)))
    efficient_labels = []
    for index in efficient:
        x, y = float(points[index, 0]), float(points[index, 1])
        if (x, y) in groups:
            continue
        same = int(np.all(points == points[index], axis=1).sum()) - 1
        efficient_labels.append((x, y, wrap(_with_others(labels[index], same), 30)))
    room = max(0, MAX_LABELS - len(result))
    return tuple(result + efficient_labels[:room]), max(0, len(efficient_labels) - room)


def draw_payoff_space(data: PayoffSpaceData, *, ax: Axes | None = None) -> Axes:
    """Draw the scatter of profiles, the frontier, coloured outcomes and numbered equilibrium stars.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> draw_payoff_space(data).get_xlabel()
    'Ukraine payoff (utils)'
    """
    from matplotlib.colors import to_rgba

    entries = ["pure profile", *(wrap(name, 30) for name in data.outcomes), "Pareto-efficient", "equilibrium"]
    ax = new_axes(ax, size=(10.0, max(6.5, side_height(entries, data.caption))), constrained=True)
    points = data.points
    ax.axhline(0, color="0.55", linewidth=0.8, zorder=1)
    ax.axvline(0, color="0.55", linewidth=0.8, zorder=1)
    ax.scatter(points[:, 0], points[:, 1], s=16, color="0.6", zorder=2, label="pure profile")
    earlier = np.zeros(len(points), dtype=int)
    for k, name in enumerate(data.outcomes):
        colour = OUTCOME_COLOURS[k % len(OUTCOME_COLOURS)]
        marker = OUTCOME_MARKERS[k % len(OUTCOME_MARKERS)]
        inside = data.membership[k]
        first = inside & (earlier == 0)
        ax.scatter(
            points[first, 0],
            points[first, 1],
            s=55,
            color=colour,
            marker=marker,
            zorder=3,
            label=wrap(name, 30),
        )
        again = inside & (earlier > 0)
        ax.scatter(
            points[again, 0],
            points[again, 1],
            s=55 * (1 + 1.4 * earlier[again]),
            facecolors="none",
            edgecolors=colour,
            marker=marker,
            linewidths=1.6,
            zorder=3,
        )
        earlier += inside
    front = data.frontier()
    ax.step(front[:, 0], front[:, 1], where="pre", color="0.2", linestyle="--", linewidth=1.3, zorder=2)
    ax.scatter(
        front[:, 0],
        front[:, 1],
        s=140,
        facecolors="none",
        edgecolors="0.15",
        linewidths=1.2,
        zorder=4,
        label="Pareto-efficient",
    )
    if len(data.equilibria):
        ax.scatter(
            data.equilibria[:, 0],
            data.equilibria[:, 1],
            s=520,
            marker="*",
            facecolors=to_rgba(EQUILIBRIUM_COLOUR, 0.35),
            edgecolors=EQUILIBRIUM_COLOUR,
            linewidths=1.6,
            zorder=2.5,
            label="equilibrium",
        )
    ax.margins(0.12)
    ax.set_xlabel(data.xlabel)
    ax.set_ylabel(data.ylabel)
    ax.set_title(data.chart_title, loc="left")
    legend_with_caption(ax, data.caption)
    _place_labels(ax, data.annotations, points, data.equilibria)
    return ax


def _overlap(box: np.ndarray, others: np.ndarray) -> float:
    """Total area of ``box`` (x0, y0, x1, y1) covered by each row of ``others``."""
    if not len(others):
        return 0.0
    width = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    height = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return float(np.sum(np.clip(width, 0, None) * np.clip(height, 0, None)))


def _place_labels(
    ax: Axes, annotations: tuple[tuple[float, float, str], ...], points: np.ndarray, stars: np.ndarray
) -> None:
    """Put each label where it covers the fewest marks and earlier labels, inside the axes."""
    if not annotations:
        return
    from matplotlib.backends.backend_agg import RendererAgg

    figure = cast("Figure", ax.figure.figure)  # the top-level figure, also when ``ax`` is in a subfigure
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)  # lays the figure out, so positions are final
    renderer = RendererAgg(int(figure.bbox.width), int(figure.bbox.height), figure.dpi)  # measures text only
    frame = np.asarray(ax.get_window_extent(renderer).extents)
    obstacles = np.vstack(
        [
            _boxes(ax.transData.transform(marks), radius * figure.dpi / 72)
            for marks, radius in ((points, 6), (stars, 14))
        ]
    )
    placed: list[np.ndarray] = []
    style: dict[str, Any] = {
        "fontsize": 9,
        "bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
    }
    points_to_pixels = figure.dpi / 72
    for x, y, text in annotations:
        # a label's size does not depend on where it goes: measure it once, then slide the box
        probe = ax.annotate(
            text, (x, y), xytext=(0, 0), textcoords="offset points", **_alignment(1, 1), **style
        )
        x0, y0, x1, y1 = probe.get_window_extent(renderer).extents
        probe.remove()
        width, height = x1 - x0, y1 - y0
        best = (np.inf, _DISTANCES[0], _DISTANCES[0], _DISTANCES[0])
        for distance in _DISTANCES:
            for dx, dy in _DIRECTIONS:
                left = x0 + dx * distance * points_to_pixels - width * (1 - dx) / 2
                bottom = y0 + dy * distance * points_to_pixels - height * (1 - dy) / 2
                box = np.array([left, bottom, left + width, bottom + height])
                inside = _overlap(box, frame[np.newaxis])
                score = 4 * _overlap(box, np.array(placed).reshape(-1, 4)) + _overlap(box, obstacles)
                score += 4 * (width * height - inside)
                if score < best[0]:
                    best = (score, dx * distance, dy * distance, distance)
                if score == 0:
                    break
            if best[0] == 0:
                break
        _, ox, oy, distance = best
        arrow = (
            {"arrowstyle": "-", "color": "0.45", "linewidth": 0.7, "shrinkA": 0, "shrinkB": 5}
            if distance > _DISTANCES[0]
            else None
        )
        label = ax.annotate(
            text,
            (x, y),
            xytext=(ox, oy),
            textcoords="offset points",
            arrowprops=arrow,
            zorder=6,
            annotation_clip=False,
            **_alignment(int(np.sign(ox)), int(np.sign(oy))),
            **style,
        )
        label.set_in_layout(False)
        placed.append(np.array(label.get_window_extent(renderer).extents))


def _boxes(centres: np.ndarray, radius: float) -> np.ndarray:
    """Square boxes (x0, y0, x1, y1) of half-width ``radius`` around display points."""
    centres = centres.reshape(-1, 2)
    return np.hstack([centres - radius, centres + radius])


def _alignment(dx: int, dy: int) -> dict[str, Any]:
    horizontal = {1: "left", -1: "right", 0: "center"}[dx]
    vertical = {1: "bottom", -1: "top", 0: "center"}[dy]
    return {"ha": horizontal, "va": vertical}


def figure(chart_input: ChartInput) -> Figure:
    """The finished payoff-space chart for the first two players.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> fig.axes[0].get_title(loc="left")
    'Payoff space: Neutrality for guarantees'
    """
    return styled_figure(draw_payoff_space, prepare(chart_input))
