"""How likely is a settlement as the guarantees grow stronger, given everything else we do not know?

A scenario script built on negsim's what-if functions. For each value of ``guarantee_value``
on a grid, it samples the scenario's other uncertain parameters (those with a
``distribution`` in the file) and records the share of draws in which the settlement is an
equilibrium outcome, with its 95% interval. It also finds the exact tipping point of the
settlement at the file's values with ``negsim.thresholds``, and draws both in one chart.

Run from the repository's top folder:

    python scenarios/settlement_odds.py settlement_odds.png
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import negsim
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, SAVE_OPTIONS, house_style

SCENARIO = Path(__file__).with_name("neutrality_for_guarantees.yaml")
OUTCOME = "settlement"


def odds_over(values: np.ndarray, draws: int = 4000, seed: int = 1) -> np.ndarray:
    """Rows of (share, low, high): how often the settlement is an equilibrium outcome at each value."""
    scenario = negsim.load(SCENARIO)
    rows = []
    for value in values:
        result = negsim.sample(scenario.with_params(guarantee_value=float(value)), draws, seed=seed)
        share = result.share(OUTCOME)
        rows.append((share.probability, share.low, share.high))
    return np.array(rows)


def draw(values: np.ndarray, odds: np.ndarray, tipping: float | None) -> Figure:
    """The chart: the share with its interval band, and the tipping point at the file's values."""
    with house_style():
        figure = Figure(figsize=(9.0, 5.2), layout="constrained")
        ax = figure.add_subplot()
        share, low, high = (100 * odds[:, k] for k in range(3))
        ax.fill_between(values, low, high, color=PALETTE[0], alpha=0.25, linewidth=0, label="95% interval")
        ax.plot(
            values,
            share,
            color=PALETTE[0],
            marker="o",
            markersize=4,
            label=f"draws where {OUTCOME} is stable",
        )
        if tipping is not None:
            ax.axvline(tipping, color=EQUILIBRIUM_COLOUR, linestyle="--", linewidth=1.5)
            ax.annotate(
                f"tipping point at the file's values: {tipping:.2f}",
                (tipping, 90),
                xytext=(-6, 0),
                textcoords="offset points",
                color=EQUILIBRIUM_COLOUR,
                ha="right",
                va="center",
            )
        ax.set_ylim(-2, 102)
        ax.set_xlabel("guarantee_value: worth of Article-5-style guarantees to Ukraine (utils)")
        ax.set_ylabel(f"draws where {OUTCOME} is an equilibrium (%)")
        ax.set_title("How likely is a settlement as the guarantees grow stronger?", loc="left")
        ax.legend(loc="lower right")
    return figure


def main(target: str) -> None:
    values = np.linspace(0, 10, 21)
    odds = odds_over(values)
    result = negsim.thresholds(negsim.load(SCENARIO), "guarantee_value", outcome=OUTCOME)
    tipping = result.points[0].value if result.points else None
    draw(values, odds, tipping).savefig(target, **SAVE_OPTIONS)
    print(f"wrote {target}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scenarios/settlement_odds.py OUTPUT.png")
    main(sys.argv[1])
