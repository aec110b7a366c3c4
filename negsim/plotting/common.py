"""Pieces several chart kinds share: payoff units and labels, titles, checks and finished figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

from negsim.errors import UsageError
from negsim.plotting.style import house_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.scenario.model import Scenario

_Data = TypeVar("_Data")


def payoff_unit(scenario: Scenario | None) -> str | None:
    """The unit payoffs are measured in (see :meth:`ScenarioBase.payoff_unit`); None without a scenario.

    Examples
    --------
    >>> import negsim
    >>> payoff_unit(negsim.load("scenarios/guarantee_strength.yaml"))
    'utils'
    >>> payoff_unit(None) is None
    True
    """
    return None if scenario is None else scenario.payoff_unit()


def payoff_label(unit: str | None, player: str = "") -> str:
    """Axis label for payoffs, with the unit when it is known.

    Examples
    --------
    >>> payoff_label("utils"), payoff_label(None), payoff_label("utils", "Russia")
    ('payoff (utils)', 'payoff', 'Russia payoff (utils)')
    """
    text = f"{player} payoff" if player else "payoff"
    return f"{text} ({unit})" if unit else text


def titled(heading: str, title: str) -> str:
    """A chart's title: ``heading`` followed by the game's ``title`` when there is one.

    Examples
    --------
    >>> titled("Payoff space", "Chicken"), titled("Payoff space", "")
    ('Payoff space: Chicken', 'Payoff space')
    """
    return f"{heading}: {title}" if title else heading


def ink_on(colour: Sequence[float]) -> str:
    """``"white"`` or ``"black"``, whichever reads better on the RGB(A) ``colour``.

    Examples
    --------
    >>> ink_on((0.0, 0.2, 0.4)), ink_on((0.9, 0.9, 0.5, 1.0))
    ('white', 'black')
    """
    red, green, blue = colour[:3]
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def require(reason: str | None, chart: str) -> None:
    """Raise :class:`~negsim.errors.UsageError` when the ``chart`` kind does not apply (``reason`` given).

    Examples
    --------
    >>> require(None, "matrix")
    >>> require("no equilibrium was found", "mixed")
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: the mixed chart does not apply: no equilibrium was found
    """
    if reason is not None:
        raise UsageError(f"the {chart} chart does not apply: {reason}")


def styled_figure(draw: Callable[[_Data], Axes], data: _Data) -> Figure:
    """The figure ``draw(data)`` draws on new axes in the house style.

    Examples
    --------
    >>> def draw_line(points):
    ...     from negsim.plotting.style import new_axes
    ...     ax = new_axes()
    ...     ax.plot(points)
    ...     return ax
    >>> len(styled_figure(draw_line, [0, 1, 4]).axes)
    1
    """
    with house_style():
        ax = draw(data)
    return cast("Figure", ax.figure)
