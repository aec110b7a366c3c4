"""How patient each party must be for an agreement to hold, against a parameter (grim trigger)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.plotting.outcomes import PLAYER_MARKERS, legend_with_caption
from negsim.plotting.style import PALETTE, house_style, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.analysis.repeated import DiscountSweep


@dataclass(frozen=True, eq=False)
class SustainData:
    """Each party's critical discount factor at each parameter value (NaN where it cannot hold)."""

    parameter: str
    unit: str
    agreement: str
    players: tuple[str, ...]
    values: np.ndarray
    by_player: np.ndarray
    never: np.ndarray

    @property
    def caption(self) -> str:
        return (
            "Each line: the smallest discount factor (how much a party values the next round, 1 = as much "
            "as this one) at which that party keeps the agreement rather than break it and face the "
            "punishment. The agreement holds above every line; the highest line is the binding party. "
            "Shaded: values where some party would break it however patient."
        )


def prepare(sweep: DiscountSweep, parameter: str, unit: str | None, agreement: str) -> SustainData:
    """The chart's data; infinite critical values (never sustainable) become NaN and are shaded.

    Examples
    --------
    >>> from negsim.analysis.repeated import critical_discount_over
    >>> from negsim.game.normal_form import NormalFormGame
    >>> def pd(t: float) -> NormalFormGame:
    ...     return NormalFormGame.from_matrices([[3, 0], [t, 1]], [[3, t], [0, 1]])
    >>> data = prepare(critical_discount_over([2, 5], pd, (0, 0)), "temptation", None, "cooperation")
    >>> data.by_player.tolist()
    [[0.0, 0.0], [0.5, 0.5]]
    """
    critical = np.asarray(sweep.by_player, dtype=np.float64)
    never = ~np.all(np.isfinite(critical), axis=1)
    return SustainData(
        parameter=parameter,
        unit=unit or "",
        agreement=agreement,
        players=tuple(sweep.players),
        values=np.asarray(sweep.values, dtype=np.float64),
        by_player=np.where(np.isfinite(critical), critical, np.nan),
        never=never,
    )


def draw_sustain(data: SustainData, *, ax: Axes | None = None) -> Axes:
    """One line per party; shading where the agreement cannot hold at any discount factor."""
    ax = new_axes(ax, size=(10.0, 5.5), constrained=True)
    for k, player in enumerate(data.players):
        ax.plot(
            data.values,
            data.by_player[:, k],
            color=PALETTE[k % len(PALETTE)],
            marker=PLAYER_MARKERS[k % len(PLAYER_MARKERS)],
            markersize=4,
            label=player,
        )
    if np.any(data.never):
        step = np.diff(data.values).min() / 2 if len(data.values) > 1 else 0.5
        for value in data.values[data.never]:
            ax.axvspan(value - step, value + step, color="0.85", linewidth=0, zorder=0)
    ax.set_ylim(-0.03, 1.03)
    unit = f" ({data.unit})" if data.unit else ""
    ax.set_xlabel(f"{data.parameter}{unit}")
    ax.set_ylabel("critical discount factor")
    ax.set_title(f"How patient must the parties be to keep '{data.agreement}'?", loc="left")
    legend_with_caption(ax, data.caption, title="party")
    return ax


def figure(sweep: DiscountSweep, parameter: str, unit: str | None, agreement: str) -> Figure:
    """The finished chart."""
    data = prepare(sweep, parameter, unit, agreement)
    with house_style():
        ax = draw_sustain(data)
    return ax.figure  # type: ignore[return-value]
