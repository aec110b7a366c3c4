"""Best-response correspondences of a 2x2 game in the unit square; equilibria sit where they cross."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.plotting.common import require, styled_figure, titled
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, new_axes, wrap
from negsim.report.words import number, possessive

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput

#: Equilibrium points closer than this share one marker and one label.
SAME_POINT = 1e-6


@dataclass(frozen=True)
class Response:
    """One player's best responses in a 2x2 game, as a function of the other player's mix.

    Attributes
    ----------
    threshold
        The other player's probability of playing its first strategy at which this player is
        indifferent; None when it never is (a dominant strategy) or always is.
    below
        Index (0 or 1) of this player's best pure strategy when the other's probability is
        below the threshold; None when the player is indifferent whatever the other does.
    above
        The same when the other's probability is above the threshold. Equal to ``below`` when
        there is no threshold.

    Examples
    --------
    >>> Response(0.5, 1, 0).path()
    (array([0., 0., 1., 1.]), array([0. , 0.5, 0.5, 1. ]))
    >>> Response(None, 0, 0).path()
    (array([1., 1.]), array([0., 1.]))
    """

    threshold: float | None
    below: int | None
    above: int | None

    @property
    def indifferent(self) -> bool:
        """Whether every mix is a best response to everything the other player does."""
        return self.below is None

    def path(self) -> tuple[np.ndarray, np.ndarray]:
        """The correspondence as a step line: (own probability, other's probability) of its corners.

        The own probability is that of the player's first strategy; a fully indifferent player
        has no line (empty arrays), since its best responses fill the whole square.
        """
        if self.below is None or self.above is None:
            return np.empty(0), np.empty(0)
        low, high = float(self.below == 0), float(self.above == 0)
        if self.threshold is None:
            return np.array([low, low]), np.array([0.0, 1.0])
        t = self.threshold
        return np.array([low, low, high, high]), np.array([0.0, t, t, 1.0])


@dataclass(frozen=True)
class BestResponseData:
    """Everything the best-response chart shows.

    Attributes
    ----------
    title
        The game's title.
    players
        The two players' names.
    first_strategies
        Each player's first strategy, whose probability the axes measure.
    responses
        Player 1's best responses to player 2's mix, then player 2's to player 1's.
    equilibria
        Each equilibrium as (probability player 1 plays its first strategy, same for player 2),
        in the order of the solver's result.
    """

    title: str
    players: tuple[str, str]
    first_strategies: tuple[str, str]
    responses: tuple[Response, Response]
    equilibria: tuple[tuple[float, float], ...]


def applies(chart_input: ChartInput) -> str | None:
    """None when the best-response chart can be drawn, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> print(applies(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml"))))
    None
    >>> print(applies(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml"))))
    best responses are drawn for two players with two strategies each (2x2); this game is 3x3
    """
    game = chart_input.solved.game
    if game.shape == (2, 2):
        return None
    size = "x".join(str(n) for n in game.shape)
    if game.n_players != 2:
        size = f"{size}, with {game.n_players} players"
    return f"best responses are drawn for two players with two strategies each (2x2); this game is {size}"


def _response(gain_if_first: float, gain_if_second: float, tolerance: float) -> Response:
    """Best responses given the gain from one's first strategy over one's second.

    The gain is linear in the other player's probability ``q`` of its first strategy: it is
    ``gain_if_second`` at q = 0 and ``gain_if_first`` at q = 1.
    """
    at_one, at_zero = (0 if abs(g) <= tolerance else int(np.sign(g)) for g in (gain_if_first, gain_if_second))
    if at_one == at_zero == 0:
        return Response(None, None, None)
    if at_one == at_zero:
        best = 0 if at_one > 0 else 1
        return Response(None, best, best)
    below = 0 if (at_zero or -at_one) > 0 else 1
    above = 0 if (at_one or -at_zero) > 0 else 1
    if at_zero == 0:
        return Response(0.0, below, above)
    if at_one == 0:
        return Response(1.0, below, above)
    return Response(gain_if_second / (gain_if_second - gain_if_first), below, above)


def prepare(chart_input: ChartInput) -> BestResponseData:
    """Indifference thresholds, best pure strategies on each side of them, and the equilibria.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> ukraine, russia = data.responses
    >>> round(ukraine.threshold, 4), ukraine.below, ukraine.above
    (0.6667, 1, 0)
    >>> round(russia.threshold, 4), russia.below, russia.above
    (0.3333, 1, 0)
    >>> [(round(x, 4), round(y, 4)) for x, y in data.equilibria]
    [(1.0, 1.0), (0.0, 0.0), (0.3333, 0.6667)]
    """
    require(applies(chart_input), "best-response")
    result = chart_input.solved
    game = result.game
    a, b = game.matrices()
    first = _response(float(a[0, 0] - a[1, 0]), float(a[0, 1] - a[1, 1]), result.tolerance)
    second = _response(float(b[0, 0] - b[0, 1]), float(b[1, 0] - b[1, 1]), result.tolerance)
    points = tuple((float(e.strategies[0][0]), float(e.strategies[1][0])) for e in result.equilibria)
    return BestResponseData(
        title=game.title,
        players=(game.players[0], game.players[1]),
        first_strategies=(game.strategies[0][0], game.strategies[1][0]),
        responses=(first, second),
        equilibria=points,
    )


def draw_best_response(data: BestResponseData, *, ax: Axes | None = None) -> Axes:
    """Draw both best-response correspondences and the equilibria on ``ax`` and return it.

    Player 1's correspondence is a solid line, player 2's a dashed one, so stretches where
    they run along the same edge stay visible; a fully indifferent player's correspondence is
    the whole square, shown hatched. Each equilibrium carries its number in the solver's list,
    and a mixed one its coordinates.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> ax = draw_best_response(data)
    >>> ax.get_xlabel()
    'P(Ukraine plays renounce NATO bid)'
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ["Ukraine's best response", "Russia's best response", 'Nash equilibrium']
    """
    from matplotlib.patches import Rectangle

    ax = new_axes(ax, size=(9.0, 6.2))
    styles = (("-", "///"), ("--", "\\\\\\"))
    for player, (response, colour, (line, hatch)) in enumerate(zip(data.responses, PALETTE, styles)):
        label = f"{possessive(data.players[player])} best response"
        if response.indifferent:
            ax.add_patch(
                Rectangle(
                    (0, 0), 1, 1, facecolor="none", edgecolor=colour, hatch=hatch, linewidth=0, label=label
                )
            )
            continue
        own, other = response.path()
        xs, ys = (own, other) if player == 0 else (other, own)
        ax.plot(xs, ys, color=colour, linestyle=line, linewidth=3.2, label=label, clip_on=False, zorder=2)

    groups: dict[tuple[float, float], list[int]] = {}
    for position, (x, y) in enumerate(data.equilibria, 1):
        key = next((k for k in groups if abs(k[0] - x) + abs(k[1] - y) < SAME_POINT), (x, y))
        groups.setdefault(key, []).append(position)
    for index, ((x, y), numbers) in enumerate(groups.items()):
        ax.plot(
            x,
            y,
            marker="o",
            markersize=13,
            color=EQUILIBRIUM_COLOUR,
            markeredgecolor="white",
            markeredgewidth=1.5,
            linestyle="none",
            clip_on=False,
            zorder=4,
            label="Nash equilibrium" if index == 0 else None,
        )
        right, up = x <= 0.5, y <= 0.5
        text = ", ".join(str(n) for n in numbers)
        if 0 < x < 1 or 0 < y < 1:
            text += f" ({number(x)}, {number(y)})"
        ax.annotate(
            text,
            (x, y),
            xytext=(11 if right else -11, 11 if up else -11),
            textcoords="offset points",
            ha="left" if right else "right",
            va="bottom" if up else "top",
            fontsize=12,
            fontweight="bold",
            color=EQUILIBRIUM_COLOUR,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )

    margin = 0.03
    ax.set_xlim(-margin, 1 + margin)
    ax.set_ylim(-margin, 1 + margin)
    ax.set_aspect("equal")
    ticks = np.linspace(0, 1, 5)
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlabel(f"P({data.players[0]} plays {data.first_strategies[0]})")
    ax.set_ylabel(f"P({data.players[1]} plays {data.first_strategies[1]})")
    ax.set_title(wrap(titled("Best responses", data.title), 48))
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), borderaxespad=0)
    return ax


def figure(chart_input: ChartInput) -> Figure:
    """The finished best-response figure in the house style.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> fig.axes[0].get_ylabel()
    'P(Russia plays binding pledge)'
    """
    return styled_figure(draw_best_response, prepare(chart_input))
