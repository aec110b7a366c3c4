"""Benchmark: backward induction on a game tree of a million nodes, and the normal-form route.

Run from the repository root::

    python tests/benchmarks/bench_tree.py

Builds a random perfect-information tree of about 10^6 nodes with numpy (three players,
one to three moves per node, a tenth of the inner nodes chance nodes, payoffs uniform on
[0, 1), a fixed seed) and prints the median of three wall-clock times of
``backward_induction`` and the nodes handled per second. Then, on random two-player trees
of growing size, times the other route to the same tree's equilibria, the reduced normal
form and :func:`negsim.solve` on it, next to backward induction, until the normal form is
too large (a ``GameError``) or takes more than ``NORMAL_FORM_LIMIT`` seconds (it runs in a
child process that is then stopped). For every tree both routes must agree: the
subgame-perfect equilibrium is a Nash equilibrium of the normal form with the same payoffs,
and one that the solver lists when its search is complete.
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from negsim.errors import DegenerateGameWarning, GameError
from negsim.game.extensive import reduced_normal_form
from negsim.game.normal_form import NormalFormGame
from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.solvers import solve
from negsim.solvers.backward import backward_induction

SEED = 20240601
LARGE_TREE_NODES = 1_000_000
LARGE_TREE_PLAYERS = 3
#: Share of the inner nodes that are chance nodes, and the chance that a node has moves.
CHANCE_SHARE = 0.1
INNER_SHARE = 0.8
#: Two-player trees for the normal-form route, smallest first.
NORMAL_FORM_SIZES = (8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 128)
#: A normal-form run (reduced normal form + solve) still going after this many seconds is stopped.
NORMAL_FORM_LIMIT = 30.0


def timed(function: Callable[..., object], *args: object, repeat: int = 1) -> tuple[float, list[float]]:
    """Median of ``repeat`` wall-clock times of ``function(*args)``, in seconds, and all the times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def random_tree(rng: np.random.Generator, nodes: int, players: int) -> GameTree:
    """A random perfect-information tree of about ``nodes`` nodes, built a level at a time.

    Each node of a level has one to three moves with probability ``INNER_SHARE`` (the root
    always has moves, and so does the first node of a level while the tree is short of
    ``nodes``); an inner node is a chance node with probability ``CHANCE_SHARE``, with random
    move probabilities, otherwise a decision node of a random player.
    """
    parents, kinds, movers, moves, chances = [np.array([-1])], [], [], [np.array([-1])], [np.array([1.0])]
    level = np.array([0])
    total = 1
    while len(level):
        inner = rng.random(len(level)) < INNER_SHARE
        inner[0] = True
        counts = np.where(inner, rng.integers(1, 4, size=len(level)), 0)
        room = nodes - total
        counts[np.cumsum(counts) > room] = 0  # stop growing once the tree is large enough
        kind = np.where(
            counts == 0, TERMINAL, np.where(rng.random(len(level)) < CHANCE_SHARE, CHANCE, DECISION)
        )
        kinds.append(kind)
        movers.append(np.where(kind == DECISION, rng.integers(0, players, size=len(level)), -1))
        n_kids = int(counts.sum())
        if not n_kids:
            break
        kid_parent = np.repeat(level, counts)
        group_start = np.repeat(np.cumsum(counts) - counts, counts)
        moves.append(np.arange(n_kids) - group_start)
        weight = rng.random(n_kids) + 0.1
        has = counts > 0
        group_sums = np.repeat(np.add.reduceat(weight, (np.cumsum(counts) - counts)[has]), counts[has])
        chances.append(np.where(np.repeat(kind, counts) == CHANCE, weight / group_sums, 1.0))
        parents.append(kid_parent)
        level = np.arange(total, total + n_kids)
        total += n_kids
    kind_all = np.concatenate(kinds)
    return GameTree.from_parents(
        [f"Player {p + 1}" for p in range(players)],
        parent=np.concatenate(parents),
        kind=kind_all,
        player=np.concatenate(movers),
        move=np.concatenate(moves),
        move_names=["first", "second", "third"],
        probability=np.concatenate(chances),
        payoffs=rng.random((total, players)),
    )


def format_seconds(seconds: float) -> str:
    if seconds < 1e-2:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def large_tree_line(rng: np.random.Generator) -> None:
    start = time.perf_counter()
    tree = random_tree(rng, LARGE_TREE_NODES, LARGE_TREE_PLAYERS)
    built = time.perf_counter() - start
    median, times = timed(backward_induction, tree, repeat=3)
    solution = backward_induction(tree)
    print(
        f"Random tree: {tree.n_nodes:,} nodes ({len(tree.terminals):,} leaves, "
        f"{int(np.count_nonzero(tree.kind == CHANCE)):,} chance nodes, depth {int(tree.depth.max())}, "
        f"{tree.n_players} players), built by GameTree.from_parents in {format_seconds(built)}"
    )
    print(
        f"backward_induction: {format_seconds(median)} median of 3 "
        f"({', '.join(format_seconds(t) for t in times)}), {tree.n_nodes / median:,.0f} nodes/s, "
        f"{len(solution)} subgame-perfect equilibrium, max gain {solution.equilibria[0].max_gain:.1e}"
    )


def _normal_form_child(seed: int, nodes: int, results: multiprocessing.Queue[dict[str, Any]]) -> None:
    """Both routes on one tree; puts the times and whether they agree on the queue."""
    with warnings.catch_warnings():  # the solvers' lazy imports (scipy's LP, for mixed dominance)
        warnings.simplefilter("ignore", DegenerateGameWarning)
        solve(NormalFormGame.from_matrices([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]]))
    tree = random_tree(np.random.default_rng(seed), nodes, 2)
    report: dict[str, Any] = {"nodes": tree.n_nodes, "leaves": len(tree.terminals)}
    start = time.perf_counter()
    solution = backward_induction(tree)
    report["backward"] = time.perf_counter() - start
    start = time.perf_counter()
    try:
        form = reduced_normal_form(tree)
    except GameError as exc:
        report["error"] = str(exc)
        results.put(report)
        return
    report["form"] = time.perf_counter() - start
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = solve(form.game)
    report["solve"] = time.perf_counter() - start
    (spe,) = solution.equilibria
    profile = form.profile_of(spe.choice)
    table = form.game.payoffs
    regret = max(
        float(table[:, profile[1], 0].max() - table[profile][0]),
        float(table[profile[0], :, 1].max() - table[profile][1]),
    )
    report.update(
        shape=form.game.shape,
        equilibria=len(result.equilibria),
        method=result.method,
        complete=result.complete,
        same_payoffs=bool(np.allclose(table[profile], spe.payoffs, atol=1e-9)),
        regret=regret,
        listed=any(np.allclose(e.payoffs, spe.payoffs, atol=1e-7) for e in result.equilibria),
        tolerance=result.tolerance,
    )
    results.put(report)


def normal_form_run(seed: int, nodes: int) -> dict[str, Any] | None:
    """The child's report, or None if it was stopped at ``NORMAL_FORM_LIMIT`` seconds."""
    results: multiprocessing.Queue[dict[str, Any]] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_normal_form_child, args=(seed, nodes, results))
    start = time.perf_counter()
    child.start()
    child.join(NORMAL_FORM_LIMIT)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    report: dict[str, Any] = results.get()
    report["wall"] = time.perf_counter() - start
    return report


def normal_form_table(rng: np.random.Generator) -> None:
    print(
        f"\nTwo-player random trees: backward induction against reduced normal form + solve "
        f"(stopped after {NORMAL_FORM_LIMIT:.0f} s)"
    )
    header = (
        f"{'nodes':>6} | {'leaves':>6} | {'strategies':>11} | {'backward':>9} | {'normal form':>11} | "
        f"{'solve':>9} | {'equilibria':>10} | method"
    )
    print(header)
    print("-" * len(header))
    largest: dict[str, Any] | None = None
    for nodes in NORMAL_FORM_SIZES:
        seed = int(rng.integers(2**32))
        report = normal_form_run(seed, nodes)
        if report is None:
            print(f"{nodes:>6} | stopped: the normal-form route took more than {NORMAL_FORM_LIMIT:.0f} s")
            break
        if "error" in report:
            print(f"{report['nodes']:>6} | {report['leaves']:>6} | GameError: {report['error']}")
            break
        assert report["same_payoffs"], "the normal form gives the subgame-perfect plan other payoffs"
        assert report["regret"] <= report["tolerance"], "the subgame-perfect plan is not a Nash equilibrium"
        assert report["listed"] or not report["complete"], (
            "a complete search missed the subgame-perfect payoffs"
        )
        m, n = report["shape"]
        print(
            f"{report['nodes']:>6} | {report['leaves']:>6} | {f'{m} x {n}':>11} | "
            f"{format_seconds(report['backward']):>9} | {format_seconds(report['form']):>11} | "
            f"{format_seconds(report['solve']):>9} | {report['equilibria']:>10} | {report['method']}"
            f"{'' if report['listed'] else ' (SPE payoffs not among those found)'}"
        )
        largest = report
    if largest is not None:
        total = largest["form"] + largest["solve"]
        print(
            f"\nLargest tree the normal-form route handled: {largest['nodes']} nodes; backward induction "
            f"{format_seconds(largest['backward'])}, normal form + solve {format_seconds(total)} "
            f"({total / largest['backward']:,.0f}x slower); both routes agree on the subgame-perfect payoffs."
        )


def main() -> None:
    rng = np.random.default_rng(SEED)
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, seed {SEED}\n")
    large_tree_line(rng)
    normal_form_table(rng)


if __name__ == "__main__":
    main()
