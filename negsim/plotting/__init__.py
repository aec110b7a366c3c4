"""Charts: pure data preparation plus ``draw_*(data, *, ax=None) -> Axes`` drawing functions.

Each chart kind lives in its own module with ``applies(chart_input)`` (None when the chart
applies, otherwise the reason it does not), ``prepare(chart_input)`` (pure data, no
matplotlib), ``draw_<kind>(data, *, ax=None)`` and ``figure(chart_input)``. The registry in
:mod:`negsim.plotting.charts` lists them. Library code never calls ``plt.show()``.
"""
