"""Every party's payoff in each named outcome, as a dot plot with one row per outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.plotting.common import payoff_label, payoff_unit, require, styled_figure, titled
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, new_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from negsim.game.normal_form import NormalFormGame
    from negsim.plotting.charts import ChartInput
    from negsim.solvers.result import Equilibrium

#: Without named outcomes, each pure profile is shown as an outcome if there are at most this many.
MAX_PROFILE_OUTCOMES = 16

#: One marker per player, used together with the palette colour of the same position.
PLAYER_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")

#: Probabilities at or below this count as zero when deciding which outcomes an equilibrium reaches.
REACH_TOLERANCE = 1e-9


def profile_name(game: NormalFormGame, profile: tuple[int, ...]) -> str:
    """A pure profile as its strategy names joined by slashes.

    Examples
    --------
    >>> from negsim import NormalFormGame
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   strategies=[["C", "D"], ["C", "D"]])
    >>> profile_name(pd, (1, 0))
    'D / C'
    """
    return " / ".join(game.profile_label(profile))


def legend_with_caption(ax: Axes, caption: str, **legend: Any) -> Text:
    """Put the legend to the right of ``ax`` and ``caption`` (wrapped, small, grey) right under it.

    Keyword arguments go to :meth:`~matplotlib.axes.Axes.legend`. Returns the caption.

    Examples
    --------
    >>> from negsim.plotting.style import new_axes
    >>> ax = new_axes()
    >>> _ = ax.plot([0, 1], [0, 1], label="line")
    >>> legend_with_caption(ax, "Lines join the points.", title="key").get_text()
    'Lines join the points.'
    """
    box = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), alignment="left", **legend)
    return ax.annotate(
        wrap(caption, 30),
        xy=(0.0, 0.0),
        xycoords=box,
        xytext=(4, -6),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9.5,
        color="0.3",
        annotation_clip=False,
    )


def side_height(labels: Sequence[str], caption: str) -> float:
    """Figure height (inches) that fits a legend of ``labels`` with ``caption`` under it, beside the axes.

    Counts the lines of the labels and of the caption as :func:`legend_with_caption` wraps it,
    plus room for the title and the x axis.

    Examples
    --------
    >>> round(side_height(["Ukraine", "Russia"], "Dots: payoffs."), 2)
    2.59
    """
    lines = sum(label.count("\n") + 1 for label in labels)
    caption_lines = wrap(caption, 30).count("\n") + 1
    return 1.6 + 0.3 + 0.18 * lines + 0.08 * len(labels) + 0.17 * caption_lines


def chart_title(chart_input: ChartInput) -> str:
    """The game's title (with its variant), else the scenario's, else an empty string.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> chart_title(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    'How strong a guarantee?'
    """
    title = chart_input.solved.game.title
    if not title and chart_input.scenario is not None:
        title = chart_input.scenario.title
    return title


def outcome_table(game: NormalFormGame) -> tuple[tuple[str, ...], tuple[np.ndarray, ...], bool]:
    """The outcomes to show: names, boolean masks over profiles, and whether they are profiles.

    Named outcomes that no allowed profile belongs to are left out. A game without named
    outcomes gets one outcome per pure profile when it has at most
    :data:`MAX_PROFILE_OUTCOMES` profiles, otherwise none.

    Examples
    --------
    >>> from negsim import NormalFormGame
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   strategies=[["C", "D"], ["C", "D"]])
    >>> names, masks, from_profiles = outcome_table(pd)
    >>> names, from_profiles, masks[1].tolist()
    (('C / C', 'C / D', 'D / C', 'D / D'), True, [[False, True], [False, False]])
    """
    if game.outcomes:
        kept = [(name, mask) for name, mask in game.outcomes.items() if mask.any()]
        return tuple(n for n, _ in kept), tuple(np.asarray(m, dtype=bool) for _, m in kept), False
    if game.n_profiles > MAX_PROFILE_OUTCOMES:
        return (), (), True
    names, masks = [], []
    for profile in np.ndindex(*game.shape):
        mask = np.zeros(game.shape, dtype=bool)
        mask[profile] = True
        names.append(profile_name(game, profile))
        masks.append(mask)
    return tuple(names), tuple(masks), True


def profile_probabilities(equilibrium: Equilibrium) -> np.ndarray:
    """Probability of each pure profile when every player mixes independently as in ``equilibrium``.

    Examples
    --------
    >>> from negsim import NormalFormGame, solve
    >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> mixed = [e for e in solve(chicken).equilibria if not e.is_pure][0]
    >>> profile_probabilities(mixed).round(4).tolist()
    [[0.4444, 0.2222], [0.2222, 0.1111]]
    """
    probabilities = np.ones(())
    for strategy in equilibrium.strategies:
        probabilities = np.multiply.outer(probabilities, np.asarray(strategy, dtype=np.float64))
    return probabilities


def pure_profile(equilibrium: Equilibrium) -> tuple[int, ...]:
    """The profile a pure equilibrium plays (each player's most likely strategy for a mixed one).

    Examples
    --------
    >>> from negsim import NormalFormGame, solve
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> pure_profile(solve(pd).equilibria[0])
    (1, 1)
    """
    return tuple(int(np.argmax(s)) for s in equilibrium.strategies)


@dataclass(frozen=True, eq=False)
class OutcomesData:
    """Payoffs of every player in each outcome, ready to draw.

    Attributes
    ----------
    title
        Title of the game (the chart title is ``"Payoffs by outcome: <title>"``).
    players
        Player names.
    outcomes
        Outcome names, in the order the scenario lists them (or profile names).
    low, high
        Arrays ``(outcomes, players)``: each player's lowest and highest payoff over the
        outcome's profiles.
    value
        Array ``(outcomes, players)``: the payoffs at the first pure equilibrium profile in the
        outcome when a pure equilibrium reaches it, otherwise the mean over its profiles.
    n_profiles
        How many profiles each outcome covers.
    pure_equilibrium
        Per outcome: whether a pure equilibrium reaches it.
    mixed_equilibrium
        Per outcome: whether it is reached only with positive probability in a mixed
        equilibrium (and by no pure one).
    unit
        Payoff unit, or None.
    from_profiles
        True when the game has no named outcomes and each pure profile is shown instead.
    """

    title: str
    players: tuple[str, ...]
    outcomes: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    value: np.ndarray
    n_profiles: tuple[int, ...]
    pure_equilibrium: tuple[bool, ...]
    mixed_equilibrium: tuple[bool, ...]
    unit: str | None
    from_profiles: bool

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Payoffs by outcome", self.title)

    @property
    def xlabel(self) -> str:
        """The payoff axis label."""
        return payoff_label(self.unit)

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        if any(self.pure_equilibrium):
            parts = ["Dots: payoff at the equilibrium profile in ★ rows, else the mean over the outcome."]
        else:
            parts = ["Dots: mean payoff over the outcome's profiles."]
        if np.any(self.high > self.low):
            parts.append("Lines: lowest to highest payoff over the outcome's profiles.")
        if any(self.mixed_equilibrium):
            parts.append("☆: reached only by chance, in a mixed equilibrium.")
        if self.from_profiles:
            parts.append("The game names no outcomes, so each pure profile is one.")
        return " ".join(parts)


def applies(chart_input: ChartInput) -> str | None:
    """None when the outcomes chart can be drawn, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> applies(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml"))) is None
    True
    """
    game = chart_input.solved.game
    names, _, from_profiles = outcome_table(game)
    if names:
        return None
    if from_profiles:
        return (
            f"the game names no outcomes and has {game.n_profiles} profiles, "
            f"too many to show each (at most {MAX_PROFILE_OUTCOMES})"
        )
    return "none of the game's named outcomes can occur with the strategies allowed"


def prepare(chart_input: ChartInput) -> OutcomesData:
    """Each player's payoff range and shown value in every outcome, and which equilibria reach it.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> data.outcomes[0], data.value[0].tolist(), data.pure_equilibrium
    ('settlement', [3.0, 6.0], (True, False, False, True))
    """
    require(applies(chart_input), "outcomes")
    result = chart_input.solved
    game = result.game
    names, masks, from_profiles = outcome_table(game)
    flat = game.payoffs.reshape(-1, game.n_players)
    pure = [e for e in result.equilibria if e.is_pure]
    mixed = [profile_probabilities(e) for e in result.equilibria if not e.is_pure]
    low, high, value, sizes, by_pure, by_mixed = [], [], [], [], [], []
    for mask in masks:
        rows = flat[mask.reshape(-1)]
        low.append(rows.min(axis=0))
        high.append(rows.max(axis=0))
        reached = [pure_profile(e) for e in pure if mask[pure_profile(e)]]
        value.append(game.payoffs[reached[0]] if reached else rows.mean(axis=0))
        sizes.append(len(rows))
        by_pure.append(bool(reached))
        by_mixed.append(not reached and any(p[mask].sum() > REACH_TOLERANCE for p in mixed))
    return OutcomesData(
        title=chart_title(chart_input),
        players=game.players,
        outcomes=names,
        low=np.array(low),
        high=np.array(high),
        value=np.array(value),
        n_profiles=tuple(sizes),
        pure_equilibrium=tuple(by_pure),
        mixed_equilibrium=tuple(by_mixed),
        unit=payoff_unit(chart_input.scenario),
        from_profiles=from_profiles,
    )


def _row_label(data: OutcomesData, row: int) -> str:
    label = wrap(data.outcomes[row], 24)
    if data.pure_equilibrium[row]:
        return f"{label}\n★ equilibrium"
    if data.mixed_equilibrium[row]:
        return f"{label}\n☆ mixed equilibrium"
    return label


def draw_outcomes(data: OutcomesData, *, ax: Axes | None = None) -> Axes:
    """Draw the dot plot: outcomes down the side, payoffs across, one colour and marker per player.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> draw_outcomes(data).get_title(loc="left")
    'Payoffs by outcome: Neutrality for guarantees'
    """
    n_outcomes, n_players = data.value.shape
    rows_height = 1.6 + n_outcomes * (0.3 + 0.1 * n_players)
    height = max(4.0, rows_height, side_height(data.players, data.caption))
    ax = new_axes(ax, size=(9.5, height), constrained=True)
    step = min(0.2, 0.7 / n_players)
    rows = np.arange(n_outcomes)
    for row in rows[np.array(data.pure_equilibrium, dtype=bool)]:
        ax.axhspan(row - 0.46, row + 0.46, color=EQUILIBRIUM_COLOUR, alpha=0.08, linewidth=0, zorder=0)
    ax.axvline(0, color="0.35", linewidth=1, zorder=1)
    for player, name in enumerate(data.players):
        colour = PALETTE[player % len(PALETTE)]
        marker = PLAYER_MARKERS[player % len(PLAYER_MARKERS)]
        y = rows + (player - (n_players - 1) / 2) * step
        ax.hlines(y, data.low[:, player], data.high[:, player], color=colour, linewidth=1.2, alpha=0.8)
        ax.plot(
            data.value[:, player],
            y,
            linestyle="none",
            marker=marker,
            color=colour,
            markeredgecolor="white",
            markeredgewidth=0.6,
            markersize=8 if n_players <= 3 else 7,
            label=name,
            zorder=3,
        )
    ax.set_yticks(rows, [_row_label(data, int(row)) for row in rows])
    for row, tick in zip(rows, ax.get_yticklabels()):
        if data.pure_equilibrium[row]:
            tick.set_fontweight("bold")
    ax.set_ylim(n_outcomes - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(data.xlabel)
    ax.set_title(data.chart_title, loc="left")
    legend_with_caption(ax, data.caption, title="party")
    return ax


def figure(chart_input: ChartInput) -> Figure:
    """The finished outcomes chart.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml")))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Russia', 'Ukraine', 'United States', 'European powers']
    """
    return styled_figure(draw_outcomes, prepare(chart_input))
