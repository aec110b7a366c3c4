"""Benchmark: negsim's solvers against nashpy, and the pure-equilibrium scan of a large game.

Run from the repository root::

    python tests/benchmarks/bench_solvers.py

Prints median wall-clock times for all equilibria of random n x n games (payoffs uniform on
[0, 1), a fixed seed) by negsim's vertex enumeration and by nashpy's, Lemke-Howson from every
label on larger games, and the vectorised pure-equilibrium scan of a three-player game with
216^3 (about 10^7) profiles. nashpy runs in a child process that is stopped after a time limit.
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from negsim.errors import DegenerateGameWarning
from negsim.game.normal_form import NormalFormGame
from negsim.solvers.enumeration import vertex_enumeration
from negsim.solvers.lemke_howson import lemke_howson
from negsim.solvers.pure import pure_equilibria

SEED = 20240601
ENUMERATION_SIZES = (2, 4, 6, 8, 10)
GAMES_PER_SIZE = 5
#: nashpy is timed on this many of the games of each size (it is slow on the larger ones).
NASHPY_GAMES = {2: 5, 4: 5, 6: 5, 8: 3, 10: 1}
#: A nashpy run still going after this many seconds is stopped and reported as "> limit".
NASHPY_LIMIT = 120.0
LEMKE_HOWSON_SIZES = (20, 40, 60)
PURE_SCAN_SHAPE = (216, 216, 216)


def timed(function: Callable[..., object], *args: object, repeat: int = 1) -> float:
    """Best of ``repeat`` wall-clock times of ``function(*args)``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def _nashpy_child(
    row: np.ndarray, column: np.ndarray, results: multiprocessing.Queue[tuple[float, int]]
) -> None:
    import nashpy

    start = time.perf_counter()
    equilibria = list(nashpy.Game(row, column).vertex_enumeration())
    results.put((time.perf_counter() - start, len(equilibria)))


def nashpy_time(row: np.ndarray, column: np.ndarray) -> float | None:
    """Seconds nashpy's vertex enumeration takes, or None if stopped at ``NASHPY_LIMIT``."""
    results: multiprocessing.Queue[tuple[float, int]] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_nashpy_child, args=(row, column, results))
    child.start()
    child.join(NASHPY_LIMIT)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    seconds, _ = results.get()
    return float(seconds)


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return f"> {NASHPY_LIMIT:.0f} s (stopped)"
    if seconds < 1e-2:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def enumeration_table(rng: np.random.Generator) -> None:
    print("All equilibria of random n x n games (median over games; negsim best of 3 runs per game)")
    header = f"{'n':>3} | {'equilibria':>10} | {'negsim':>12} | {'nashpy':>20} | {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    for n in ENUMERATION_SIZES:
        ours, theirs, counts = [], [], []
        for index in range(GAMES_PER_SIZE):
            row, column = rng.random((n, n)), rng.random((n, n))
            game = NormalFormGame.from_matrices(row, column)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateGameWarning)
                counts.append(len(vertex_enumeration(game)))
                ours.append(timed(vertex_enumeration, game, repeat=3))
            if index < NASHPY_GAMES[n]:
                theirs.append(nashpy_time(row, column))
        ours_median = statistics.median(ours)
        finished = [t for t in theirs if t is not None]
        if len(finished) == len(theirs):
            nashpy_cell = format_seconds(statistics.median(finished))
            ratio = f"{statistics.median(finished) / ours_median:.0f}x"
        else:
            nashpy_cell, ratio = format_seconds(None), f"> {NASHPY_LIMIT / ours_median:.0f}x"
        if len(theirs) < GAMES_PER_SIZE:
            nashpy_cell += f" [{len(theirs)} game{'s' if len(theirs) > 1 else ''}]"
        print(
            f"{n:>3} | {statistics.median(counts):>10.0f} | {format_seconds(ours_median):>12} | "
            f"{nashpy_cell:>20} | {ratio:>9}"
        )


def lemke_howson_table(rng: np.random.Generator) -> None:
    print("\nLemke-Howson from every label (m + n runs) on random n x n games, one game each")
    for n in LEMKE_HOWSON_SIZES:
        game = NormalFormGame.from_matrices(rng.random((n, n)), rng.random((n, n)))
        start = time.perf_counter()
        result = lemke_howson(game)
        seconds = time.perf_counter() - start
        print(f"{n:>3} x {n:<3} {format_seconds(seconds):>10}   {len(result)} distinct equilibria reached")


def pure_scan_line(rng: np.random.Generator) -> None:
    shape = PURE_SCAN_SHAPE
    payoffs = rng.integers(0, 100, size=(*shape, len(shape))).astype(np.float64)
    game = NormalFormGame(payoffs)
    seconds = timed(pure_equilibria, game, repeat=3)
    found = len(pure_equilibria(game))
    print(
        f"\nPure-equilibrium scan, {len(shape)} players, {'x'.join(map(str, shape))} = "
        f"{game.n_profiles:,} profiles: {format_seconds(seconds)} (best of 3), {found} pure equilibria"
    )


def main() -> None:
    rng = np.random.default_rng(SEED)
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, seed {SEED}\n")
    enumeration_table(rng)
    lemke_howson_table(rng)
    pure_scan_line(rng)


if __name__ == "__main__":
    main()
