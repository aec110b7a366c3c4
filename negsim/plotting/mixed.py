"""Each party's probabilities in each equilibrium, as stacked horizontal bars."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.plotting.common import ink_on, require, styled_figure
from negsim.plotting.style import PALETTE, new_axes, wrap
from negsim.report.words import percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput

#: Segments at least this wide carry their percentage.
LABEL_MIN_PROBABILITY = 0.08

#: Hatching of the 1st, 2nd, ... reuse of the palette, so repeated colours stay distinguishable.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")

#: Approximate length of a whole bar and width of one character of segment text, in inches; a
#: segment shows its strategy's label next to the percentage when the label fits.
BAR_INCHES = 6.2
CHARACTER_INCHES = 0.085

#: Vertical space between the groups of bars of consecutive equilibria, in bar widths.
GROUP_GAP = 0.6


@dataclass(frozen=True, eq=False)
class Bar:
    """One player's strategy in one equilibrium.

    Attributes
    ----------
    label
        Tick label, e.g. ``"Eq. 1 — Ukraine"``.
    equilibrium
        Number of the equilibrium (1-based, in the solver's order).
    player
        Index of the player.
    probabilities
        Probability of each of the player's strategies.
    """

    label: str
    equilibrium: int
    player: int
    probabilities: np.ndarray


@dataclass(frozen=True, eq=False)
class MixedData:
    """Everything the mixed-strategy chart shows.

    Attributes
    ----------
    bars
        One bar per (equilibrium, player), equilibrium by equilibrium.
    strategies
        Each player's strategy labels.
    legend
        ``(player, strategy, legend label)`` of every strategy played with positive
        probability in some equilibrium; the label carries the player's name when two
        players' strategies have the same label.
    """

    bars: tuple[Bar, ...]
    strategies: tuple[tuple[str, ...], ...]
    legend: tuple[tuple[int, int, str], ...]


def applies(chart_input: ChartInput) -> str | None:
    """None when there is at least one equilibrium to show, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> print(applies(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml"))))
    None
    """
    if not chart_input.solved.equilibria:
        return "no equilibrium was found, so there are no strategies to show"
    return None


def prepare(chart_input: ChartInput) -> MixedData:
    """The bars (probabilities per equilibrium and player) and the legend's strategies.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    >>> [(bar.label, np.round(bar.probabilities, 3).tolist()) for bar in data.bars]
    [('Eq. 1 — Guarantors', [0.25, 0.75, 0.0]), ('Eq. 1 — Russia', [0.0, 0.893, 0.107])]
    >>> [label for _, _, label in data.legend]
    ['political assurances', 'Article-5-style treaty', 'probe', 'attack']
    """
    require(applies(chart_input), "mixed")
    result = chart_input.solved
    game = result.game
    bars = []
    for number, equilibrium in enumerate(result.equilibria, 1):
        for player, name in enumerate(game.players):
            probabilities = np.array(equilibrium.strategies[player], dtype=np.float64)
            probabilities.setflags(write=False)
            bars.append(Bar(f"Eq. {number} — {name}", number, player, probabilities))
    played = np.zeros((game.n_players, max(game.shape)), dtype=bool)
    for bar in bars:
        played[bar.player, : len(bar.probabilities)] |= bar.probabilities > 0
    used = [(int(i), int(k)) for i, k in np.argwhere(played)]
    counts = Counter(game.strategies[i][k] for i, k in used)
    legend = []
    for i, k in used:
        label = game.strategies[i][k]
        legend.append((i, k, label if counts[label] == 1 else f"{game.players[i]}: {label}"))
    return MixedData(tuple(bars), game.strategies, tuple(legend))


def draw_mixed(data: MixedData, *, ax: Axes | None = None) -> Axes:
    """Draw one stacked bar per (equilibrium, player) on ``ax`` and return it.

    Segments of at least 8% carry their percentage, and the strategy's label too when it fits;
    the legend names every strategy played in some equilibrium.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> ax = draw_mixed(data)
    >>> ax.get_title(), ax.get_xlabel()
    ('Strategies in each equilibrium', 'probability')
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['Eq. 1 — Ukraine', 'Eq. 1 — Russia']
    """
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    n_players = max(bar.player for bar in data.bars) + 1
    positions = [bar.player + (bar.equilibrium - 1) * (n_players + GROUP_GAP) for bar in data.bars]
    ax = new_axes(ax, size=(10.0, max(2.8, 1.8 + 0.55 * (positions[-1] + 1))))
    style = {
        (player, strategy): (PALETTE[n % len(PALETTE)], HATCHES[(n // len(PALETTE)) % len(HATCHES)], label)
        for n, (player, strategy, label) in enumerate(data.legend)
    }
    for position, bar in zip(positions, data.bars):
        left = 0.0
        for strategy, probability in enumerate(bar.probabilities):
            if probability <= 0:
                continue
            colour, hatch, _ = style[bar.player, strategy]
            ax.barh(
                position,
                probability,
                left=left,
                height=0.8,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                linewidth=1.0,
            )
            if probability >= LABEL_MIN_PROBABILITY:
                ink = ink_on(to_rgb(colour))
                text = percent(probability)
                named = f"{data.strategies[bar.player][strategy]}: {text}"
                if probability * BAR_INCHES >= CHARACTER_INCHES * (len(named) + 2):
                    text = named
                ax.text(
                    left + probability / 2,
                    position,
                    text,
                    ha="center",
                    va="center",
                    color=ink,
                    fontsize=10,
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": colour, "edgecolor": "none"}
                    if hatch
                    else None,
                )
            left += probability

    ax.set_yticks(positions, [bar.label for bar in data.bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks(np.linspace(0, 1, 5), ["0", "0.25", "0.5", "0.75", "1"])
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("probability")
    ax.set_title("Strategies in each equilibrium")
    handles = [
        Patch(facecolor=colour, hatch=hatch, edgecolor="white", label=wrap(label, 36))
        for colour, hatch, label in style.values()
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0,
    )
    return ax


def figure(chart_input: ChartInput) -> Figure:
    """The finished mixed-strategy figure in the house style.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml")))
    >>> len(fig.axes[0].get_yticklabels())
    8
    """
    return styled_figure(draw_mixed, prepare(chart_input))
