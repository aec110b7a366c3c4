"""Solving blocks of parameter draws: in this process, on a process pool, or as Dask tasks.

A block is a mapping parameter name -> array of values; solving it gives a :class:`BlockResult`
(plain arrays, cheap to send between processes). The same blocks give the same arrays whichever
way they are solved, because every way calls :func:`~negsim.whatif.batch.solve_batch` on the
same block.

A compiled scenario cannot be pickled (its expressions are closures), so other processes
rebuild it: they receive a :class:`ScenarioSource` (the file's path, the variant and the
``--set`` overrides) and load the file once per process. A scenario that was not loaded from a
file is inherited by forked workers instead, or solved here where the platform cannot fork.
Each rebuilt scenario is checked against a fingerprint of the original (its payoffs at two
parameter points, its outcomes and labels), so a file edited since it was loaded is reported
rather than giving different answers in different workers.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import UsageError
from negsim.scenario.model import Scenario
from negsim.whatif.batch import solve_batch

#: ``progress(done_blocks, total_blocks)``, called in this process after each block is solved.
ProgressCallback = Callable[[int, int], None]

#: A block of draws: parameter name -> values (all arrays of one length).
Block = Mapping[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class BlockResult:
    """The equilibria of one block of draws, as plain arrays.

    ``point`` numbers each equilibrium's draw within the block; ``reached`` is
    ``(n_draws, n_outcomes)``; the rest are as in :class:`~negsim.whatif.batch.BatchSolution`.
    """

    reached: np.ndarray
    point: np.ndarray
    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    outcome_probability: np.ndarray
    complete: bool


def solve_block(scenario: Scenario, block: Block, tol: float) -> BlockResult:
    """Solve every draw of ``block`` with :func:`~negsim.whatif.batch.solve_batch`.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> solve_block(s, {"guarantee_value": np.array([0.0, 8.0])}, 1e-9).reached[:, 0].tolist()
    [False, True]
    """
    batch = solve_batch(scenario, block, tol=tol)
    equilibria = batch.equilibria
    return BlockResult(
        reached=batch.reached,
        point=equilibria.point,
        strategies=equilibria.strategies,
        payoffs=equilibria.payoffs,
        outcome_probability=batch.outcome_probability,
        complete=batch.complete,
    )


def fingerprint(scenario: Scenario) -> str:
    """A digest of what the scenario computes: labels, outcomes, and payoffs at two parameter points.

    Two scenarios with the same fingerprint give the same equilibria wherever the payoffs are
    affine in the parameters, and in practice everywhere; it tells a rebuilt scenario from one
    whose file was edited in between.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> fingerprint(s) == fingerprint(negsim.load("scenarios/neutrality_for_guarantees.yaml"))
    True
    >>> fingerprint(s) == fingerprint(s.with_params(pledge_cost=2))
    False
    """
    digest = hashlib.sha256()
    values = scenario.parameter_values()
    shifted = {name: value * 1.37 + 0.61 for name, value in values.items()}
    for point in (values, shifted):
        digest.update(np.ascontiguousarray(scenario.payoff_tensor(point)).tobytes())
    for name, mask in scenario.outcome_masks().items():
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(mask).tobytes())
    digest.update(repr((sorted(values), scenario.strategy_phrases())).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ScenarioSource:
    """How another process rebuilds a scenario: its file, variant and overrides (all picklable)."""

    path: str
    variant: str | None
    overrides: tuple[tuple[str, float], ...]
    fingerprint: str

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioSource | None:
        """The source of ``scenario``, or None when it was not loaded from a file."""
        if not os.path.isfile(scenario.path):
            return None
        overrides = tuple(sorted((name, float(value)) for name, value in scenario.overrides.items()))
        path = os.path.abspath(scenario.path)
        return cls(path, scenario.variant_name, overrides, fingerprint(scenario))

    def load(self) -> Scenario:
        """The scenario, loaded once per process (later calls return the same object)."""
        return _load_source(self)


@functools.lru_cache(maxsize=8)
def _load_source(source: ScenarioSource) -> Scenario:
    from negsim.scenario import load

    if not os.path.isfile(source.path):
        raise UsageError(
            f"the scenario file {source.path} is not there on this worker; "
            "Dask workers need the scenario (and its claim files) at the same path"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the parent process has shown the file's warnings
        scenario = load(source.path)
        if not isinstance(scenario, Scenario):
            raise UsageError(f"{source.path} is no longer a strategic scenario")
        if source.variant is not None:
            scenario = scenario.variant(source.variant)
        if source.overrides:
            scenario = scenario.with_params(**dict(source.overrides))
    if fingerprint(scenario) != source.fingerprint:
        raise UsageError(
            f"the scenario file {source.path} changed after it was loaded; load it again and rerun"
        )
    return scenario


def solve_source_block(source: ScenarioSource, block: Block, tol: float) -> BlockResult:
    """Rebuild the scenario from ``source`` (once per process) and solve ``block``."""
    return solve_block(source.load(), block, tol)


#: The scenario forked workers solve (set only while :func:`run_blocks` forks a pool).
_INHERITED: Scenario | None = None


def _solve_inherited_block(block: Block, tol: float) -> BlockResult:
    assert _INHERITED is not None, "the scenario is inherited by forked workers only"
    return solve_block(_INHERITED, block, tol)


def run_blocks(
    scenario: Scenario,
    blocks: Sequence[Block],
    tol: float,
    *,
    workers: int = 1,
    scheduler: Any = None,
    progress: ProgressCallback | None = None,
) -> list[BlockResult]:
    """Solve every block, in order, here (``workers=1``), on ``workers`` processes, or on Dask.

    ``scheduler`` is a Dask scheduler address (``"tcp://host:8786"``), a
    ``dask.distributed.Client`` or a cluster object; it takes precedence over ``workers``.
    ``progress(done, total)`` is called in this process once before the first block (with 0)
    and after each block.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> blocks = [{"guarantee_value": np.array([0.0])}, {"guarantee_value": np.array([8.0])}]
    >>> [bool(r.reached[0, 0]) for r in run_blocks(s, blocks, 1e-9, progress=lambda d, t: print(d, t))]
    0 2
    1 2
    2 2
    [False, True]
    """
    total = len(blocks)
    report = progress or (lambda done, total: None)
    report(0, total)
    if scheduler is not None:
        return _run_dask(scenario, blocks, tol, scheduler, report)
    if workers <= 1 or total <= 1:
        results = []
        for index, block in enumerate(blocks):
            results.append(solve_block(scenario, block, tol))
            report(index + 1, total)
        return results
    source = ScenarioSource.of(scenario)
    count = min(workers, total)
    if source is not None:
        with ProcessPoolExecutor(count, mp_context=_file_context()) as pool:
            futures = [pool.submit(solve_source_block, source, block, tol) for block in blocks]
            return _collect(futures, report)
    if "fork" not in multiprocessing.get_all_start_methods():  # nothing to inherit from: solve here
        results = []
        for index, block in enumerate(blocks):
            results.append(solve_block(scenario, block, tol))
            report(index + 1, total)
        return results
    global _INHERITED
    _INHERITED = scenario
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_solve_inherited_block, block, tol) for block in blocks]
            return _collect(futures, report)
    finally:
        _INHERITED = None


def _file_context() -> Any:
    """How to start processes that rebuild the scenario from its file.

    Forking is the fastest start (no interpreter to launch, nothing to import again); it is used
    on Linux while this process runs no other thread. Otherwise workers come from a fork server
    that has imported this module once, or, where there is none, are spawned.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _collect(futures: list[Future[BlockResult]], report: ProgressCallback) -> list[BlockResult]:
    for done, future in enumerate(as_completed(futures), start=1):
        error = future.exception()
        if error is not None:
            for other in futures:
                other.cancel()
            raise error
        report(done, len(futures))
    return [future.result() for future in futures]


def _run_dask(
    scenario: Scenario, blocks: Sequence[Block], tol: float, scheduler: Any, report: ProgressCallback
) -> list[BlockResult]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise UsageError(
            "a Dask scheduler needs the distributed extra: pip install 'negsim[distributed]'"
        ) from None
    source = ScenarioSource.of(scenario)
    if source is None:
        raise UsageError(
            "Dask workers load the scenario from its file; save the scenario to a file and load it from there"
        )
    client, own = _client(Client, scheduler)
    try:
        futures = [client.submit(solve_source_block, source, block, tol, pure=False) for block in blocks]
        for done, _ in enumerate(as_completed(futures), start=1):
            report(done, len(futures))
        results: list[BlockResult] = client.gather(futures)
        return results
    finally:
        if own:
            client.close()


def _client(client_type: Any, scheduler: Any) -> tuple[Any, bool]:
    """A Dask client for ``scheduler`` and whether we opened it (and so must close it)."""
    if isinstance(scheduler, client_type):
        return scheduler, False
    if not isinstance(scheduler, str) and not hasattr(scheduler, "scheduler_address"):
        raise UsageError(
            f"scheduler must be a Dask scheduler address such as 'tcp://host:8786' or a Client, "
            f"not {type(scheduler).__name__}"
        )
    try:
        return client_type(scheduler, timeout="20s", set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"could not reach the Dask scheduler at {scheduler}: {error}") from None
