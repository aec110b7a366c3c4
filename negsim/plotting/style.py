"""The house style: one style sheet, a colour-blind-safe palette, wrapped labels, new axes."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The style sheet every negsim chart is drawn with.
STYLE_SHEET = Path(__file__).with_name("negsim.mplstyle")

#: Okabe & Ito (2008) colours, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

#: Colour that marks equilibria in every chart.
EQUILIBRIUM_COLOUR = "#D55E00"

#: How figures are saved (outside the style context too): tight, sharp, on white.
SAVE_OPTIONS: dict[str, Any] = {"dpi": 150, "bbox_inches": "tight", "facecolor": "white"}

#: Labels are wrapped at this many characters.
WRAP_WIDTH = 18


def wrap(label: str, width: int = WRAP_WIDTH) -> str:
    """Break a long label over lines so neighbouring labels never overlap.

    Examples
    --------
    >>> print(wrap("Article-5-style treaty guarantee"))
    Article-5-style
    treaty guarantee
    """
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=True)) or label


@contextmanager
def house_style() -> Iterator[None]:
    """Apply negsim's style sheet inside the block."""
    import matplotlib.style

    with matplotlib.style.context(STYLE_SHEET):
        yield


def new_axes(
    ax: Axes | None = None, *, size: tuple[float, float] | None = None, constrained: bool = False
) -> Axes:
    """``ax`` itself, or the axes of a new figure (no pyplot, so no global state).

    With ``constrained``, a new figure is laid out by matplotlib's constrained layout engine;
    the layout of a given ``ax`` is left as its figure has it.
    """
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    figure = Figure(figsize=size) if size else Figure()
    axes = figure.add_subplot()
    if constrained:
        figure.set_layout_engine("constrained")
    return axes
