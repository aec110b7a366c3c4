"""Benchmark: sampling parameter uncertainty, against solving each draw on its own.

Run from the repository root::

    python tests/benchmarks/bench_sample.py

Prints two things:

1. the wall-clock time of ``sample(four_party_package, n=100000, workers=2)`` (draws, solving on
   two processes that each load the scenario once, statistics), against a target of 10 s on two
   cores;
2. on the two-party ``neutrality_for_guarantees`` scenario (nato_value triangular 1..6 and
   guarantee_value uniform 0..8, as in the file), negsim's draws per second against a per-draw
   loop that builds each game from the drawn values (``scenario.with_params(...).game()``) and
   solves it with ``nashpy.Game(A, B).support_enumeration()``. The loop is timed on a subset of
   the draws and extrapolated; the speed-up target is 100x. The loop's equilibrium outcomes are
   checked against negsim's at every draw of the subset.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import negsim  # noqa: E402
from negsim.whatif.sample import draw_parameters, sample  # noqa: E402

SEED = 20240601
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
DRAWS = 100_000
WORKERS = 2
#: Target wall time of the four-party sample on two cores, in seconds.
TARGET_SECONDS = 10.0
#: The per-draw loop is timed on this many draws and extrapolated.
LOOP_DRAWS = 2_000
#: Target speed-up of negsim over the per-draw loop.
TARGET_SPEED_UP = 100.0


def four_party_line() -> None:
    scenario = negsim.load(FOUR_PARTY)
    start = time.perf_counter()
    result = sample(scenario, DRAWS, seed=SEED, workers=WORKERS)
    seconds = time.perf_counter() - start
    verdict = "met" if seconds < TARGET_SECONDS else "MISSED"
    print(
        f"four_party_package: sample(n={DRAWS:,}, workers={WORKERS}) in {seconds:.2f} s "
        f"({DRAWS / seconds:,.0f} draws/s; {len(result.equilibria):,} equilibria) - "
        f"target < {TARGET_SECONDS:.0f} s {verdict}"
    )
    start = time.perf_counter()
    sample(scenario, DRAWS, seed=SEED, workers=1)
    print(f"  (the same on one process: {time.perf_counter() - start:.2f} s)")


def per_draw_loop(scenario: negsim.Scenario, values: dict[str, np.ndarray], count: int) -> list[set[str]]:
    """Each draw's equilibrium outcomes, by rebuilding the game and solving it with nashpy."""
    import nashpy

    outcomes: list[set[str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # out-of-range and degenerate-game warnings
        for index in range(count):
            game = scenario.with_params(
                **{name: float(array[index]) for name, array in values.items()}
            ).game()
            row, column = game.payoffs[..., 0], game.payoffs[..., 1]
            reached: set[str] = set()
            for x, y in nashpy.Game(row, column).support_enumeration():
                played = np.outer(x, y)
                reached.update(name for name, mask in game.outcomes.items() if played[mask].sum() > 1e-12)
            outcomes.append(reached)
    return outcomes


def neutrality_table() -> None:
    scenario = negsim.load(NEUTRALITY)
    start = time.perf_counter()
    result = sample(scenario, DRAWS, seed=SEED)
    ours = time.perf_counter() - start
    drawn = draw_parameters(scenario, DRAWS, SEED)
    values = {name: drawn[name] for name in result.parameters_sampled}
    start = time.perf_counter()
    theirs = per_draw_loop(scenario, values, LOOP_DRAWS)
    loop = (time.perf_counter() - start) / LOOP_DRAWS * DRAWS
    agree = sum(
        {result.outcomes[k] for k in np.flatnonzero(result.reached[index])} == theirs[index]
        for index in range(LOOP_DRAWS)
    )
    speed_up = loop / ours
    verdict = "met" if speed_up >= TARGET_SPEED_UP else "MISSED"
    print(f"\nneutrality_for_guarantees, {DRAWS:,} draws of {', '.join(result.parameters_sampled)}:")
    header = f"{'':<44} | {'seconds':>9} | {'draws/s':>10}"
    print(header)
    print("-" * len(header))
    print(f"{'negsim sample (one process, all equilibria)':<44} | {ours:>9.2f} | {DRAWS / ours:>10,.0f}")
    label = "with_params().game() + nashpy, per draw [*]"
    print(f"{label:<44} | {loop:>9.1f} | {DRAWS / loop:>10,.0f}")
    print(f"speed-up {speed_up:,.0f}x - target >= {TARGET_SPEED_UP:.0f}x {verdict}")
    print(
        f"[*] timed on the first {LOOP_DRAWS:,} draws and extrapolated; its equilibrium outcomes "
        f"agree with negsim's at {agree:,} of those {LOOP_DRAWS:,} draws"
    )


def main() -> None:
    import nashpy

    print(
        f"numpy {np.__version__}, nashpy {nashpy.__version__}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, seed {SEED}\n"
    )
    four_party_line()
    neutrality_table()


if __name__ == "__main__":
    main()
