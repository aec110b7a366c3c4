"""Charts of a sample: how often each outcome is an equilibrium, what moves it, and the payoffs.

Three charts, each as ``prepare_*(result) -> data`` (pure, no matplotlib), ``draw_*(data, *,
ax=None) -> Axes`` and ``figure_*(result) -> Figure``:

* :func:`draw_shares`: each named outcome's share of draws, with its 95% interval;
* :func:`draw_tornado`: for one outcome, each sampled parameter's bottom-fifth and top-fifth
  shares, the parameter that moves it most on top;
* :func:`draw_payoffs`: each party's equilibrium payoffs over all draws, as boxes.

:func:`figures` returns every chart that applies, by file name stem.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.plotting.common import payoff_label, require, styled_figure, titled
from negsim.plotting.outcomes import legend_with_caption, side_height
from negsim.plotting.style import PALETTE, new_axes, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.whatif.sample import SampleResult

#: The tornado chart shows at most this many parameters (the ones that matter most).
TORNADO_LIMIT = 12

#: Titles are wrapped at this many characters.
TITLE_WIDTH = 52

#: Colours of tornado bars: higher values of the parameter make the outcome more (less) likely.
RAISES_COLOUR = PALETTE[0]
LOWERS_COLOUR = PALETTE[1]


def _draws_words(result: SampleResult) -> str:
    names = result.parameters_sampled
    listed = ", ".join(names) if len(names) <= 3 else f"{len(names)} parameters"
    return f"{result.n:,} draws of {listed}"


def _title_lines(text: str) -> str:
    """A chart title broken over lines (between words) so it never runs past the legend beside the axes.

    Examples
    --------
    >>> print(_title_lines("What moves ceasefire without neutrality: The four-party package"))
    What moves ceasefire without neutrality: The
    four-party package
    """
    return "\n".join(textwrap.wrap(text, TITLE_WIDTH, break_on_hyphens=False)) or text


def _percent_labels(probability: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[str]:
    """Each share as a percentage, all with the same decimals: enough to tell each from its interval.

    Examples
    --------
    >>> low, high = np.array([0.576, 0.36, 0.0]), np.array([0.59, 0.38, 0.01])
    >>> _percent_labels(np.array([0.583, 0.37, 0.0]), low, high)
    ['58.3%', '37.0%', '0%']
    """
    from negsim.whatif.sample import _percents

    digits = 0
    for p, lo, hi in zip(probability, low, high):
        text = _percents(float(p), float(lo), float(hi))[0]
        digits = max(digits, len(text.partition(".")[2]))
    return [f"{100 * p:.{digits}f}%" if 0 < p < 1 else f"{100 * p:.0f}%" for p in probability]


def _percent_axis(ax: Axes, label: str) -> None:
    ax.set_xlim(0, 100)
    ax.set_xticks(np.arange(0, 101, 20))
    ax.set_xlabel(label)


# -- outcome shares -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SharesData:
    """Each outcome's share of draws at which it is an equilibrium outcome, with its interval.

    ``probability``, ``low`` and ``high`` are arrays of shares (0 to 1), one per outcome.
    """

    title: str
    outcomes: tuple[str, ...]
    probability: np.ndarray
    low: np.ndarray
    high: np.ndarray
    draws: str
    complete: bool

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("How often each outcome is an equilibrium", self.title)

    @property
    def xlabel(self) -> str:
        """The axis label, with its unit."""
        return "draws where it is an equilibrium outcome (%)"

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        kind = "some equilibrium" if self.complete else "some pure equilibrium"
        return (
            f"Bars: share of {self.draws} at which {kind} reaches the outcome. "
            "Whiskers: 95% interval for that share."
        )


def shares_reason(result: SampleResult) -> str | None:
    """None when the outcome-shares chart applies, otherwise why not."""
    return None if result.outcomes else "the scenario names no outcomes"


def prepare_shares(result: SampleResult) -> SharesData:
    """The outcome shares of ``result``, ready to draw.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sample import sample
    >>> data = prepare_shares(sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 400, seed=2))
    >>> data.outcomes[0], round(float(data.probability[0]), 4)
    ('settlement', 0.585)
    """
    require(shares_reason(result), "outcome shares")
    shares = result.outcome_shares
    return SharesData(
        title=_title(result),
        outcomes=result.outcomes,
        probability=np.array([s.probability for s in shares]),
        low=np.array([s.low for s in shares]),
        high=np.array([s.high for s in shares]),
        draws=_draws_words(result),
        complete=result.complete,
    )


def _title(result: SampleResult) -> str:
    return result.title + (f" ({result.variant})" if result.variant else "")


def draw_shares(data: SharesData, *, ax: Axes | None = None) -> Axes:
    """Horizontal bars, one per outcome in file order, with 95% interval whiskers and the share written.

    Examples
    --------
    >>> import numpy as np
    >>> data = SharesData("Test", ("a", "b"), np.array([0.25, 1.0]), np.array([0.2, 0.99]),
    ...                   np.array([0.3, 1.0]), "100 draws of x", True)
    >>> draw_shares(data).get_xlabel()
    'draws where it is an equilibrium outcome (%)'
    """
    count = len(data.outcomes)
    labels = [wrap(name, 24) for name in data.outcomes]
    height = max(3.6, 1.7 + 0.55 * count, side_height(["share of draws", "95% interval"], data.caption))
    ax = new_axes(ax, size=(9.5, height), constrained=True)
    rows = np.arange(count)
    value = 100 * data.probability
    error = np.vstack([value - 100 * data.low, 100 * data.high - value])
    ax.barh(rows, value, height=0.6, color=PALETTE[0], label="share of draws", zorder=2)
    ax.errorbar(
        value,
        rows,
        xerr=error,
        fmt="none",
        ecolor="0.15",
        elinewidth=1.4,
        capsize=4,
        label="95% interval",
        zorder=3,
    )
    for row, text in enumerate(_percent_labels(data.probability, data.low, data.high)):
        right = 100 * float(data.high[row])
        if right > 85:
            left = 100 * float(data.low[row]) - 1.5
            ax.text(left, row, text, ha="right", va="center", color="white", fontsize=10.5)
        else:
            ax.text(right + 1.5, row, text, ha="left", va="center", fontsize=10.5, color="0.15")
    ax.set_yticks(rows, labels)
    ax.set_ylim(count - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    _percent_axis(ax, data.xlabel)
    ax.set_title(_title_lines(data.chart_title), loc="left")
    legend_with_caption(ax, data.caption)
    return ax


def figure_shares(result: SampleResult) -> Figure:
    """The finished outcome-shares chart."""
    return styled_figure(draw_shares, prepare_shares(result))


# -- tornado ----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TornadoData:
    """For one outcome: each sampled parameter's share in its bottom and top fifth of draws.

    Parameters are sorted by the size of their swing (largest first) and at most
    :data:`TORNADO_LIMIT` are kept; ``hidden`` counts the rest. Shares are 0 to 1.
    """

    title: str
    outcome: str
    parameters: tuple[str, ...]
    labels: tuple[str, ...]
    bottom: np.ndarray
    top: np.ndarray
    overall: float
    draws: str
    hidden: int

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled(f"What moves {self.outcome}", self.title)

    @property
    def xlabel(self) -> str:
        """The axis label, with its unit."""
        return f"draws where {self.outcome} is an equilibrium outcome (%)"

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        parts = [
            "Each bar runs from the share among the parameter's lowest fifth of draws (○) to the share "
            "among its highest fifth (●); longest bar on top.",
            f"Dashed line: all {self.draws}.",
        ]
        if self.hidden:
            parts.append(
                f"{self.hidden} more parameter{'s' if self.hidden > 1 else ''} with smaller swings not shown."
            )
        return " ".join(parts)


def most_uncertain(result: SampleResult) -> str:
    """The outcome whose share of draws is closest to one half (ties: the first in file order).

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sample import sample
    >>> most_uncertain(sample(negsim.load("scenarios/four_party_package.yaml"), 300, seed=1))
    'ceasefire without neutrality'
    """
    require(shares_reason(result), "sensitivity")
    spread = np.round([s.probability * (1 - s.probability) for s in result.outcome_shares], 12)
    return result.outcomes[int(np.argmax(spread))]


def prepare_tornado(result: SampleResult, outcome: str | None = None) -> TornadoData:
    """The tornado of ``outcome`` (default: :func:`most_uncertain`), ready to draw.

    Raises :class:`~negsim.errors.UsageError` for an outcome the scenario does not name.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sample import sample
    >>> result = sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 1000, seed=2)
    >>> data = prepare_tornado(result, "settlement")
    >>> data.parameters, data.bottom.round(2).tolist(), data.top.round(2).tolist()
    (('guarantee_value', 'nato_value'), [0.0, 0.78], [1.0, 0.47])
    """
    from negsim.whatif.sample import describe

    require(shares_reason(result), "sensitivity")
    name = most_uncertain(result) if outcome is None else outcome
    result.share(name)  # an unknown outcome raises UsageError here
    index = result.outcomes.index(name)
    items = sorted(result.sensitivity, key=lambda s: -abs(float(s.swing[index])))
    shown = items[:TORNADO_LIMIT]
    return TornadoData(
        title=_title(result),
        outcome=name,
        parameters=tuple(s.parameter for s in shown),
        labels=tuple(
            f"{wrap(s.parameter, 22)}\n{wrap(describe(result.distributions[s.parameter]), 26)}" for s in shown
        ),
        bottom=np.array([float(s.bottom[index]) for s in shown]),
        top=np.array([float(s.top[index]) for s in shown]),
        overall=result.outcome_shares[index].probability,
        draws=_draws_words(result),
        hidden=len(items) - len(shown),
    )


def draw_tornado(data: TornadoData, *, ax: Axes | None = None) -> Axes:
    """One bar per parameter from its bottom-fifth share to its top-fifth share; the widest on top.

    Examples
    --------
    >>> import numpy as np
    >>> data = TornadoData("T", "deal", ("a", "b"), ("a", "b"), np.array([0.1, 0.6]), np.array([0.9, 0.4]),
    ...                    0.5, "100 draws of a, b", 0)
    >>> draw_tornado(data).get_title(loc="left")
    'What moves deal: T'
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    count = len(data.parameters)
    handles = [
        Patch(color=RAISES_COLOUR, label="higher values make it\nmore likely"),
        Patch(color=LOWERS_COLOUR, label="higher values make it\nless likely"),
        Line2D(
            [], [], marker="o", linestyle="none", color="0.2", markerfacecolor="white", label="lowest fifth"
        ),
        Line2D([], [], marker="o", linestyle="none", color="0.2", label="highest fifth"),
        Line2D([], [], linestyle="--", color="0.3", linewidth=1.2, label="all draws"),
    ]
    labels = [str(h.get_label()) for h in handles]
    height = max(3.6, 1.7 + 0.62 * count, side_height(labels, data.caption))
    ax = new_axes(ax, size=(9.5, height), constrained=True)
    rows = np.arange(count)
    low = 100 * np.minimum(data.bottom, data.top)
    width = 100 * np.abs(data.top - data.bottom)
    colours = [RAISES_COLOUR if t >= b else LOWERS_COLOUR for b, t in zip(data.bottom, data.top)]
    ax.barh(rows, np.maximum(width, 0.4), left=low, height=0.55, color=colours, zorder=2)
    ax.plot(100 * data.bottom, rows, "o", color="0.2", markerfacecolor="white", markersize=7, zorder=3)
    ax.plot(100 * data.top, rows, "o", color="0.2", markersize=7, zorder=3)
    ax.axvline(100 * data.overall, color="0.3", linestyle="--", linewidth=1.2, zorder=1)
    ax.set_yticks(rows, data.labels)
    ax.set_ylim(count - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    _percent_axis(ax, data.xlabel)
    ax.set_xlim(-2, 102)
    ax.set_title(_title_lines(data.chart_title), loc="left")
    legend_with_caption(ax, data.caption, handles=handles, labelspacing=0.8)
    return ax


def figure_tornado(result: SampleResult, outcome: str | None = None) -> Figure:
    """The finished tornado chart of ``outcome`` (default: the most uncertain one)."""
    return styled_figure(draw_tornado, prepare_tornado(result, outcome))


# -- payoffs ----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PayoffsData:
    """Each party's equilibrium payoffs over all draws: the 5/25/50/75/95th percentiles and the mean.

    ``quantiles`` is ``(5, n_players)`` (rows: 5th, 25th, 50th, 75th, 95th percentile), ``mean``
    one entry per player.
    """

    title: str
    players: tuple[str, ...]
    quantiles: np.ndarray
    mean: np.ndarray
    equilibria: int
    draws: str
    unit: str | None
    mixed: bool

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Equilibrium payoffs over the draws", self.title)

    @property
    def xlabel(self) -> str:
        """The payoff axis label, with the unit when it is known."""
        return payoff_label(self.unit)

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        parts = [
            f"Over all {self.equilibria:,} equilibria of {self.draws}.",
            "Box: middle half; line in it: median; whiskers: 5th to 95th percentile; ◆: mean.",
        ]
        if self.mixed:
            parts.append("Mixed equilibria count with their expected payoffs.")
        return " ".join(parts)


def payoffs_reason(result: SampleResult) -> str | None:
    """None when the payoff chart applies, otherwise why not."""
    return None if result.payoffs.equilibria else "no draw has an equilibrium"


def prepare_payoffs(result: SampleResult) -> PayoffsData:
    """The payoff distribution of every party, ready to draw.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sample import sample
    >>> data = prepare_payoffs(sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 400, seed=2))
    >>> data.players, data.quantiles[:, 1].tolist()
    (('Ukraine', 'Russia'), [0.0, 0.0, 1.3333333333333335, 6.0, 6.0])
    """
    require(payoffs_reason(result), "payoffs")
    summary = result.payoffs
    return PayoffsData(
        title=_title(result),
        players=result.players,
        quantiles=summary.quantiles,
        mean=summary.mean,
        equilibria=summary.equilibria,
        draws=_draws_words(result),
        unit=result.unit,
        mixed=not bool(result.equilibria.pure.all()),
    )


def draw_payoffs(data: PayoffsData, *, ax: Axes | None = None) -> Axes:
    """One horizontal box per party: whiskers 5th to 95th percentile, box the middle half, ◆ the mean.

    Examples
    --------
    >>> import numpy as np
    >>> q = np.array([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]], dtype=float)
    >>> data = PayoffsData("T", ("A", "B"), q, np.array([2.0, 3.0]), 10, "5 draws of x", "utils", False)
    >>> draw_payoffs(data).get_xlabel()
    'payoff (utils)'
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    count = len(data.players)
    handles = [
        Patch(facecolor="0.85", edgecolor="0.2", label="middle half"),
        Line2D([], [], color="0.1", linewidth=2.4, label="median"),
        Line2D([], [], color="0.35", linewidth=1.4, label="5th to 95th\npercentile"),
        Line2D([], [], marker="D", linestyle="none", color="white", markeredgecolor="0.1", label="mean"),
    ]
    labels = [str(h.get_label()) for h in handles]
    height = max(3.4, 1.7 + 0.7 * count, side_height(labels, data.caption))
    ax = new_axes(ax, size=(9.5, height), constrained=True)
    q05, q25, q50, q75, q95 = data.quantiles
    rows = np.arange(count)
    colours = [PALETTE[k % len(PALETTE)] for k in range(count)]
    ax.axvline(0, color="0.35", linewidth=1, zorder=1)
    ax.hlines(rows, q05, q95, color="0.35", linewidth=1.4, zorder=2)
    for end in (q05, q95):
        ax.vlines(end, rows - 0.12, rows + 0.12, color="0.35", linewidth=1.4, zorder=2)
    ax.barh(rows, np.maximum(q75 - q25, 0), left=q25, height=0.5, color=colours, alpha=0.85, zorder=3)
    ax.barh(rows, np.maximum(q75 - q25, 0), left=q25, height=0.5, fill=False, edgecolor="0.2", zorder=3)
    ax.vlines(q50, rows - 0.25, rows + 0.25, color="0.1", linewidth=2.4, zorder=4)
    ax.plot(data.mean, rows, "D", color="white", markeredgecolor="0.1", markersize=7, zorder=5)
    ax.set_yticks(rows, [wrap(name, 20) for name in data.players])
    ax.set_ylim(count - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    spread = float(q95.max() - q05.min()) or 1.0
    ax.set_xlim(min(0.0, float(q05.min())) - 0.05 * spread, max(0.0, float(q95.max())) + 0.05 * spread)
    ax.set_xlabel(data.xlabel)
    ax.set_title(_title_lines(data.chart_title), loc="left")
    legend_with_caption(ax, data.caption, handles=handles, labelspacing=0.8)
    return ax


def figure_payoffs(result: SampleResult) -> Figure:
    """The finished payoff-distribution chart."""
    return styled_figure(draw_payoffs, prepare_payoffs(result))


# -- all --------------------------------------------------------------------------------------------
def figures(result: SampleResult, outcome: str | None = None) -> dict[str, Figure]:
    """Every sample chart that applies, by file name stem: ``sample-outcomes``, ``sample-sensitivity``
    (of ``outcome``, default the most uncertain one) and ``sample-payoffs``.

    Examples
    --------
    >>> import negsim
    >>> from negsim.whatif.sample import sample
    >>> list(figures(sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 200, seed=2)))
    ['sample-outcomes', 'sample-sensitivity', 'sample-payoffs']
    """
    charts: dict[str, Figure] = {}
    if outcome is not None:
        require(shares_reason(result), "sensitivity")
        result.share(outcome)  # an unknown outcome raises UsageError here
    if shares_reason(result) is None:
        charts["sample-outcomes"] = figure_shares(result)
        charts["sample-sensitivity"] = figure_tornado(result, outcome)
    if payoffs_reason(result) is None:
        charts["sample-payoffs"] = figure_payoffs(result)
    return charts
