"""How valuable must the guarantees be before the settlement is the only stable outcome?

A scenario script: it uses negsim's Python API to go beyond the command line. It solves the
two-party scenario for a range of values of ``guarantee_value`` (what Article-5-style
guarantees are worth to Ukraine), then draws each party's equilibrium payoffs against that
value, with the ranges shaded by which pure outcomes are stable, in negsim's house style.

Run from the repository's top folder:

    python scenarios/guarantee_threshold.py guarantee_threshold.png
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import negsim
from negsim.plotting.style import PALETTE, SAVE_OPTIONS, house_style, wrap

SCENARIO = Path(__file__).with_name("neutrality_for_guarantees.yaml")


def solve_over(values: np.ndarray) -> list[negsim.SolveResult]:
    """The scenario solved at each value of ``guarantee_value``."""
    scenario = negsim.load(SCENARIO)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", negsim.DegenerateGameWarning)  # ties at the thresholds
        return [scenario.with_params(guarantee_value=float(v)).solve() for v in values]


def stable_outcomes(result: negsim.SolveResult) -> str:
    """The named outcomes of the pure equilibria, e.g. 'settlement' or 'both'."""
    names = sorted({e.outcomes[0] for e in result.equilibria if e.is_pure})
    return " or ".join(names)


def draw(values: np.ndarray, results: list[negsim.SolveResult]) -> Figure:
    """Each party's equilibrium payoffs against the value of the guarantees."""
    with house_style():
        figure = Figure(figsize=(10, 6))
        ax = figure.add_subplot()
        # shade the ranges where the same pure outcomes are stable
        labels = [stable_outcomes(r) for r in results]
        edges = np.concatenate([[values[0]], (values[1:] + values[:-1]) / 2, [values[-1]]])
        start = 0
        shades = iter(("#E8E8E8", "#FFF4E0", "#E3F2EA"))
        for end in range(1, len(values) + 1):
            if end == len(values) or labels[end] != labels[start]:
                ax.axvspan(edges[start], edges[end], color=next(shades, "#F4F4F4"), zorder=0)
                ax.text(
                    (edges[start] + edges[end]) / 2,
                    0.97,
                    wrap(f"stable: {labels[start]}", 22),
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    va="top",
                    fontsize=10,
                )
                start = end
        for player, (name, colour) in enumerate(zip(("Ukraine", "Russia"), PALETTE)):
            for pure, marker, face in ((True, "o", colour), (False, "D", "white")):
                points = [
                    (v, e.payoffs[player])
                    for v, r in zip(values, results)
                    for e in r.equilibria
                    if e.is_pure == pure
                ]
                xs, ys = zip(*points) if points else ((), ())
                ax.scatter(
                    xs,
                    ys,
                    marker=marker,
                    facecolors=face,
                    edgecolors=colour,
                    zorder=3,
                    label=f"{name}, {'pure' if pure else 'mixed'} equilibrium",
                )
        ax.set_title("Guarantees and the stability of the settlement")
        ax.set_xlabel("value of Article-5-style guarantees to Ukraine (utils)")
        ax.set_ylabel("equilibrium payoff (utils)")
        ax.set_ylim(top=ax.get_ylim()[1] + 1.5)  # room for the range labels
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure


def main(target: str) -> None:
    values = np.linspace(0, 10, 41)
    figure = draw(values, solve_over(values))
    figure.savefig(target, **SAVE_OPTIONS)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "guarantee_threshold.png")
