"""Benchmark: ``negsim plot`` end to end, and where its time goes.

Run from the repository root::

    python tests/benchmarks/bench_plot.py [RUNS]

Runs ``negsim plot`` on the two-party article scenario (every chart kind that applies) RUNS
times (default 10), each in a fresh process writing to a fresh folder, and prints the minimum,
median and maximum wall-clock time and CPU time against the 2 s target. Then, in this process,
times each phase once: importing matplotlib, loading and solving the scenario, and drawing and
saving each chart.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
TARGET_SECONDS = 2.0


def end_to_end(runs: int) -> None:
    walls: list[float] = []
    cpus: list[float] = []
    command = [sys.executable, "-m", "negsim", "plot", str(SCENARIO)]
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*command, "-o", folder], check=True, capture_output=True, cwd=ROOT)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(f"negsim plot {SCENARIO.relative_to(ROOT)} (all charts), {runs} runs, {os.cpu_count()} CPUs")
    for name, values in (("wall", walls), ("CPU (all processes)", cpus)):
        print(
            f"  {name:20s} min {min(values):.2f} s   median {statistics.median(values):.2f} s"
            f"   max {max(values):.2f} s"
        )
    verdict = "meets" if statistics.median(walls) < TARGET_SECONDS else "misses"
    print(f"  median wall time {verdict} the {TARGET_SECONDS:.0f} s target")


def phases() -> None:
    def timed(label: str, start: float) -> float:
        now = time.perf_counter()
        print(f"  {label:28s} {now - start:6.3f} s")
        return now

    print("phases, in one process (charts drawn one after another):")
    start = time.perf_counter()
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401

    start = timed("import matplotlib", start)
    sys.path.insert(0, str(ROOT))
    import negsim
    from negsim.plotting.charts import ChartInput, choose, render

    chart_input = ChartInput.from_scenario(negsim.load(SCENARIO))
    start = timed("load and solve the scenario", start)
    for kind in choose(chart_input):
        render(kind.figure(chart_input), "png")
        start = timed(f"chart: {kind.name}", start)


if __name__ == "__main__":
    end_to_end(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    phases()
