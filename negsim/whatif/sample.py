"""Sampling: parameters drawn from their distributions, every draw solved, shares with intervals.

:func:`draw_parameters` draws the parameters that have a ``distribution`` in the scenario file;
:func:`sample` solves the game at every draw (vectorised, block by block, see
:mod:`negsim.whatif.batch`) and returns a :class:`SampleResult`: how often each named outcome
is an equilibrium outcome (with a 95% Wilson interval), how often several equilibria coexist,
the distribution of equilibrium payoffs, and which parameters matter most.

Reproducibility: the draws are made in blocks of :data:`BLOCK_SIZE`; a parameter's values in
block ``k`` come from the generator seeded by ``SeedSequence(seed, spawn_key=(k, crc32(name)))``
(the same as ``SeedSequence(seed).spawn(...)[k]``, then its child for that parameter). So the
draws depend on the seed, the number of draws and the parameter's name only, never on how many
workers solve them; and each block is solved by the same code wherever it runs, so one seed
gives identical arrays serially, on a process pool and on Dask.
"""

from __future__ import annotations

import math
import operator
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from negsim.errors import UsageError
from negsim.report.words import number, possessive
from negsim.scenario.model import Scenario
from negsim.scenario.schema import Distribution
from negsim.solvers.result import DEFAULT_TOLERANCE
from negsim.whatif.batch import Equilibria, _plays
from negsim.whatif.parallel import BlockResult, ProgressCallback, run_blocks

#: Draws are made and solved this many at a time; a constant, so the draws never depend on workers.
BLOCK_SIZE = 4096

#: The normal quantile of a two-sided 95% interval.
Z_95 = 1.959963984540054

#: Sensitivity compares the draws in a parameter's top and bottom fifth.
FIFTH = 0.2

#: Payoff quantiles reported, in percent.
QUANTILES = (5, 25, 50, 75, 95)

#: An outcome is reached by an equilibrium that plays it with more than this probability.
REACH_TOLERANCE = 1e-12

#: An equilibrium ends in an outcome "for sure" when it plays it with at least 1 minus this.
SURE_TOLERANCE = 1e-9

#: ``to_json(records=True)`` includes at most this many rows unless told otherwise.
JSON_RECORDS_LIMIT = 20_000

#: A swing smaller than this (or than chance alone gives, see :attr:`Sensitivity.margin`) is no clear effect.
NEGLIGIBLE_SWING = 0.01


# -- drawing ------------------------------------------------------------------------------------
def sampled_parameters(scenario: Scenario, parameters: Sequence[str] | None = None) -> tuple[str, ...]:
    """The parameters a sample draws, in file order.

    By default every parameter with a ``distribution``, except those the variant or the set values
    fix (a value pinned on purpose stays pinned). ``parameters`` names a subset explicitly (each
    must have a distribution; naming a pinned one draws it anyway).

    Raises :class:`~negsim.errors.UsageError` when nothing would be drawn or a name is wrong.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> sampled_parameters(s)
    ('nato_value', 'guarantee_value')
    >>> sampled_parameters(s.variant("strong guarantee"))
    ('nato_value',)
    >>> sampled_parameters(s, ["exposure"])
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: parameter 'exposure' has no distribution to draw from; add one under it \
in the scenario file, e.g. distribution: {uniform: [low, high]}
    """
    _strategic(scenario)
    declared = scenario.parameters
    if parameters is not None:
        from negsim.scenario.validation import suggest

        if isinstance(parameters, str):
            parameters = [parameters]
        if not parameters:
            raise UsageError("name at least one parameter to sample")
        for name in parameters:
            if name not in declared:
                raise UsageError(f"unknown parameter '{name}'; {suggest(name, declared)}")
            if declared[name].distribution is None:
                raise UsageError(
                    f"parameter '{name}' has no distribution to draw from; add one under it in the "
                    "scenario file, e.g. distribution: {uniform: [low, high]}"
                )
        return tuple(name for name in declared if name in set(parameters))
    uncertain = [name for name, p in declared.items() if p.distribution is not None]
    if not uncertain:
        raise UsageError(
            f"no parameter of '{scenario.title}' has a distribution, so there is nothing to sample; add one "
            "under a parameter in the scenario file, e.g. distribution: {uniform: [0, 8]}"
        )
    pinned = _pinned(scenario)
    free = tuple(name for name in uncertain if name not in pinned)
    if not free:
        raise UsageError(
            f"every parameter with a distribution ({', '.join(uncertain)}) is fixed by the variant or by a "
            "set value; leave one free, or name the parameters to sample explicitly"
        )
    return free


def _pinned(scenario: Scenario) -> set[str]:
    """Parameters the variant or the overrides fix."""
    pinned = set(scenario.overrides)
    if scenario.variant_name is not None:
        pinned |= set(scenario.variants[scenario.variant_name].set)
    return pinned


def _strategic(scenario: Any) -> None:
    if not isinstance(scenario, Scenario):
        raise UsageError(
            "sampling solves strategic scenarios (everyone chooses at once); "
            f"this one is {type(scenario).__name__}"
        )


def draw(distribution: Distribution, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` values from ``distribution``, using ``rng``.

    A four-number beta is rescaled from 0..1 to its ``[low, high]``; a truncated normal is drawn
    exactly (by inverting its distribution function), not by rejecting or clipping draws.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> values = draw(Distribution(truncnormal=[0, 1, 0.5, 0.7]), 1000, rng)
    >>> bool(values.min() >= 0.5 and values.max() <= 0.7)
    True
    >>> values = draw(Distribution(beta=[2, 2, 10, 20]), 1000, rng)
    >>> bool(10 <= values.min() and values.max() <= 20)
    True
    """
    kind, args = distribution.kind, distribution.arguments
    if kind == "uniform":
        return rng.uniform(args[0], args[1], size)
    if kind == "normal":
        return rng.normal(args[0], args[1], size)
    if kind == "truncnormal":
        from scipy.stats import truncnorm

        mean, sd, low, high = args
        values = truncnorm.rvs((low - mean) / sd, (high - mean) / sd, mean, sd, size=size, random_state=rng)
        return np.clip(np.asarray(values, dtype=np.float64).reshape(size), low, high)
    if kind == "triangular":
        return rng.triangular(args[0], args[1], args[2], size)
    if kind == "beta":
        values = rng.beta(args[0], args[1], size)
        if len(args) == 4:
            low, high = args[2], args[3]
            values = np.clip(low + (high - low) * values, low, high)
        return values
    if kind == "lognormal":
        return rng.lognormal(args[0], args[1], size)
    raise AssertionError(f"unknown distribution kind {kind}")


def describe(distribution: Distribution) -> str:
    """A distribution in a few words.

    Examples
    --------
    >>> describe(Distribution(uniform=[0, 8])), describe(Distribution(triangular=[1, 3, 6]))
    ('uniform 0 to 8', 'triangular 1 to 6, mode 3')
    >>> describe(Distribution(beta=[3, 2])), describe(Distribution(truncnormal=[2, 1, 0, 5]))
    ('beta(3, 2)', 'normal 2 ± 1 within 0 to 5')
    """
    kind, args = distribution.kind, [number(a) for a in distribution.arguments]
    if kind == "uniform":
        return f"uniform {args[0]} to {args[1]}"
    if kind == "normal":
        return f"normal {args[0]} ± {args[1]}"
    if kind == "truncnormal":
        return f"normal {args[0]} ± {args[1]} within {args[2]} to {args[3]}"
    if kind == "triangular":
        return f"triangular {args[0]} to {args[2]}, mode {args[1]}"
    if kind == "beta":
        shape = f"beta({args[0]}, {args[1]})"
        return shape if len(args) == 2 else f"{shape} on {args[2]} to {args[3]}"
    return f"lognormal, log {args[0]} ± {args[1]}"


def block_generator(seed: int, block: int, name: str) -> np.random.Generator:
    """The generator of parameter ``name``'s draws in block ``block``.

    Examples
    --------
    >>> block_generator(7, 2, "x").random() == block_generator(7, 2, "x").random()
    True
    >>> block_generator(7, 2, "x").random() == block_generator(7, 3, "x").random()
    False
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, zlib.crc32(name.encode()))))


def draw_parameters(
    scenario: Scenario, n: int, seed: int = 0, *, parameters: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Every parameter as an array of ``n`` values: sampled ones drawn, the others constant.

    The sampled parameters are those of :func:`sampled_parameters`; every other parameter keeps
    its current value (file value, then the variant, then set values). The draws depend only on
    ``seed``, ``n`` and each parameter's name (see the module notes).

    Raises :class:`~negsim.errors.UsageError` for ``n < 1``, a bad seed, or nothing to draw.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> values = draw_parameters(s, 5, seed=1)
    >>> sorted(values) == sorted(s.parameters)
    True
    >>> values["exposure"].tolist()
    [3.0, 3.0, 3.0, 3.0, 3.0]
    >>> bool(np.all((0 <= values["guarantee_value"]) & (values["guarantee_value"] <= 8)))
    True
    >>> np.array_equal(values["guarantee_value"], draw_parameters(s, 5, seed=1)["guarantee_value"])
    True
    """
    names = sampled_parameters(scenario, parameters)
    n = _count(n)
    seed = _seed(seed)
    declared = scenario.parameters
    drawn = {name: np.empty(n) for name in names}
    for block, start in enumerate(range(0, n, BLOCK_SIZE)):
        size = min(BLOCK_SIZE, n - start)
        for name in names:
            distribution = declared[name].distribution
            assert distribution is not None
            drawn[name][start : start + size] = draw(distribution, size, block_generator(seed, block, name))
    base = scenario.parameter_values()
    return {name: drawn[name] if name in drawn else np.full(n, float(base[name])) for name in declared}


def _count(n: Any) -> int:
    try:
        if isinstance(n, bool):
            raise TypeError
        count = operator.index(n)
    except TypeError:
        raise UsageError(f"the number of draws must be a whole number, not {n!r}") from None
    if count < 1:
        raise UsageError(f"the number of draws must be at least 1, not {count}")
    return count


def _seed(seed: Any) -> int:
    try:
        if isinstance(seed, bool):
            raise TypeError
        value = operator.index(seed)
    except TypeError:
        raise UsageError(f"the seed must be a whole number, not {seed!r}") from None
    if value < 0:
        raise UsageError(f"the seed must be 0 or more, not {value}")
    return value


# -- sampling -------------------------------------------------------------------------------------
def sample(
    scenario: Scenario,
    n: int,
    *,
    seed: int = 0,
    parameters: Sequence[str] | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: ProgressCallback | bool | None = None,
    tol: float = DEFAULT_TOLERANCE,
) -> SampleResult:
    """Draw ``n`` parameter sets, solve the game at each, and summarise.

    Parameters
    ----------
    scenario
        A strategic scenario (with its variant and set values applied).
    n
        Number of draws (at least 1).
    seed
        Seed of the draws; one seed gives identical results whatever ``workers`` or ``scheduler``.
    parameters
        The parameters to draw (default: every one with a distribution that the variant or the
        set values do not fix); see :func:`sampled_parameters`.
    workers
        Processes to solve the blocks of draws on (1: in this process). Workers load the scenario
        from its file once each; a scenario loaded from text is inherited by forked workers.
    scheduler
        A Dask scheduler address (``"tcp://host:8786"``), ``dask.distributed.Client`` or cluster;
        the blocks then run as Dask tasks (``workers`` is ignored). Needs ``negsim[distributed]``,
        and the scenario file at the same path on every Dask worker.
    progress
        ``progress(done_blocks, total_blocks)`` called after each block of :data:`BLOCK_SIZE`
        draws (and once with 0 at the start); ``True`` shows a progress bar on standard error
        when it is a terminal.
    tol
        Tolerance of the equilibrium checks.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> result = sample(s, 2000, seed=1)
    >>> result.n, result.parameters_sampled
    (2000, ('nato_value', 'guarantee_value'))
    >>> print(result.sentences()[0])
    settlement is an equilibrium outcome in 57% of draws (95% interval 55-60%).
    >>> result.sensitivity[0].parameter
    'guarantee_value'
    """
    names = sampled_parameters(scenario, parameters)
    n = _count(n)
    seed = _seed(seed)
    try:
        workers = operator.index(workers)
    except TypeError:
        raise UsageError(f"workers must be a whole number, not {workers!r}") from None
    if workers < 1:
        raise UsageError(f"workers must be at least 1, not {workers}")
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise UsageError(f"the tolerance must be a number between 0 and 1, not {tol!r}")
    values = draw_parameters(scenario, n, seed, parameters=names)
    sampled = {name: values[name] for name in names}
    blocks = [
        {name: array[start : start + BLOCK_SIZE] for name, array in sampled.items()}
        for start in range(0, n, BLOCK_SIZE)
    ]
    with _progress(progress) as report:
        results = run_blocks(scenario, blocks, tol, workers=workers, scheduler=scheduler, progress=report)
    return SampleResult.from_blocks(scenario, seed, sampled, results)


@contextmanager
def _progress(progress: ProgressCallback | bool | None) -> Iterator[ProgressCallback | None]:
    """The callback to report progress to: the caller's, a progress bar on a terminal, or none."""
    if progress is None or progress is False:
        yield None
        return
    if callable(progress):
        yield progress
        return
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("solving blocks of draws"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("sample", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# -- statistics -----------------------------------------------------------------------------------
def wilson(count: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a share ``count / n`` (95% by default).

    Examples
    --------
    >>> [round(x, 4) for x in wilson(62, 100)]
    [0.5221, 0.709]
    >>> wilson(0, 10)[0], wilson(10, 10)[1]
    (0.0, 1.0)
    """
    if n <= 0:
        return 0.0, 1.0
    share = count / n
    scale = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / scale
    half = z / scale * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """A share of draws: ``count`` of ``n``, with its 95% Wilson interval ``[low, high]``."""

    count: int
    n: int
    low: float
    high: float

    @classmethod
    def of(cls, count: int, n: int) -> Share:
        """The share ``count / n`` with its interval.

        Examples
        --------
        >>> Share.of(3, 4).probability
        0.75
        """
        low, high = wilson(count, n)
        return cls(int(count), int(n), low, high)

    @property
    def probability(self) -> float:
        """``count / n``."""
        return self.count / self.n if self.n else 0.0

    def to_json(self) -> dict[str, float]:
        """``{"probability", "low", "high"}``."""
        return {"probability": self.probability, "low": self.low, "high": self.high}


@dataclass(frozen=True, eq=False)
class PayoffSummary:
    """Equilibrium payoffs of every player over a set of equilibria.

    ``mean`` has one entry per player, ``quantiles`` one row per entry of :data:`QUANTILES`
    (NaN when there is no equilibrium in the set).
    """

    equilibria: int
    mean: np.ndarray
    quantiles: np.ndarray

    @classmethod
    def of(cls, payoffs: np.ndarray) -> PayoffSummary:
        """Summary of payoff rows ``(n_equilibria, n_players)``."""
        if len(payoffs) == 0:
            nan = np.full(payoffs.shape[1], np.nan)
            return cls(0, nan, np.tile(nan, (len(QUANTILES), 1)))
        return cls(len(payoffs), payoffs.mean(axis=0), np.percentile(payoffs, QUANTILES, axis=0))

    def player_json(self, player: int) -> dict[str, float] | None:
        """``{"mean", "p5", "p25", "p50", "p75", "p95"}`` of one player, or None without equilibria."""
        if self.equilibria == 0:
            return None
        result = {"mean": float(self.mean[player])}
        result.update({f"p{q}": float(v) for q, v in zip(QUANTILES, self.quantiles[:, player])})
        return result


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """How one sampled parameter moves the outcomes and payoffs.

    Attributes
    ----------
    parameter
        The parameter's name.
    top, bottom
        Per outcome: the share of draws in the parameter's top (bottom) fifth at which the
        outcome is an equilibrium outcome.
    correlation
        Per player: Spearman's rank correlation between the parameter and the player's mean
        equilibrium payoff at a draw (NaN where undefined, e.g. constant payoffs).
    margin
        Per outcome: how large a swing chance alone gives in 95% of samples when the parameter
        has no effect (``1.96 * sqrt(2 p (1 - p) / m)`` for an outcome of overall share ``p`` and
        fifths of ``m`` draws).
    """

    parameter: str
    top: np.ndarray
    bottom: np.ndarray
    correlation: np.ndarray
    margin: np.ndarray

    @property
    def swing(self) -> np.ndarray:
        """Per outcome: ``top - bottom``."""
        return self.top - self.bottom

    @property
    def importance(self) -> float:
        """The largest absolute swing over the outcomes (0 without outcomes)."""
        return float(np.abs(self.swing).max()) if len(self.swing) else 0.0

    @property
    def outcome(self) -> int | None:
        """Index of the outcome with the largest absolute swing (None without outcomes)."""
        return int(np.argmax(np.abs(self.swing))) if len(self.swing) else None

    @property
    def clear(self) -> bool:
        """Whether some swing is larger than chance alone gives (and than :data:`NEGLIGIBLE_SWING`)."""
        return bool(np.any(np.abs(self.swing) > np.maximum(self.margin, NEGLIGIBLE_SWING)))


@dataclass(frozen=True, eq=False)
class SampleResult:
    """What sampling found: the draws, the equilibria at each, and their statistics.

    Attributes
    ----------
    title, variant
        The scenario's title and variant (None for the base scenario).
    n, seed
        Number of draws and the seed they were drawn with.
    parameters_sampled
        The drawn parameters, in file order.
    distributions
        Each drawn parameter's distribution.
    values
        Each drawn parameter's values, arrays of shape ``(n,)``.
    fixed
        Every other parameter's value.
    players, strategies
        Player names and strategy labels.
    outcomes
        The scenario's named outcomes, in file order.
    reached
        Boolean array ``(n, n_outcomes)``: whether some equilibrium of the draw reaches the outcome.
    equilibria
        Every equilibrium of every draw (``equilibria.point`` is the draw), ordered by draw.
    outcome_probability
        Array ``(n_equilibria, n_outcomes)``: the probability each equilibrium plays each outcome.
    complete
        True when every equilibrium was sought (two parties); False when only pure ones were.
    unit
        The payoff unit, or None.
    pinned
        Parameters with a distribution that were not drawn because the variant or a set value fixes them.
    left_out
        Parameters with a distribution that were not drawn because ``parameters=`` left them out.
    """

    title: str
    variant: str | None
    n: int
    seed: int
    parameters_sampled: tuple[str, ...]
    distributions: Mapping[str, Distribution]
    values: Mapping[str, np.ndarray]
    fixed: Mapping[str, float]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    outcomes: tuple[str, ...]
    reached: np.ndarray
    equilibria: Equilibria
    outcome_probability: np.ndarray
    complete: bool
    unit: str | None
    pinned: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    @classmethod
    def from_blocks(
        cls, scenario: Scenario, seed: int, values: Mapping[str, np.ndarray], blocks: Sequence[BlockResult]
    ) -> SampleResult:
        """Put the solved blocks (in draw order) together."""
        from negsim.plotting.common import payoff_unit  # no matplotlib needed

        game = scenario.game()
        offsets = np.cumsum([0] + [len(block.reached) for block in blocks])
        n_players = game.n_players
        points = [block.point + offset for block, offset in zip(blocks, offsets)]
        equilibria = Equilibria(
            np.concatenate(points) if points else np.zeros(0, dtype=np.int64),
            tuple(np.concatenate([b.strategies[k] for b in blocks]) for k in range(n_players)),
            np.concatenate([b.payoffs for b in blocks]),
        )
        names = tuple(values)
        declared = scenario.parameters
        distributions = {}
        for name in names:
            distribution = declared[name].distribution
            assert distribution is not None, "only parameters with a distribution are drawn"
            distributions[name] = distribution
        current = scenario.parameter_values()
        undrawn = [name for name, p in declared.items() if p.distribution is not None and name not in values]
        fixed_on_purpose = _pinned(scenario)
        return cls(
            title=scenario.title,
            variant=scenario.variant_name,
            n=int(offsets[-1]),
            seed=seed,
            parameters_sampled=names,
            distributions=distributions,
            values=dict(values),
            fixed={name: float(value) for name, value in current.items() if name not in values},
            players=game.players,
            strategies=game.strategies,
            outcomes=tuple(scenario.outcome_masks()),
            reached=np.concatenate([b.reached for b in blocks]),
            equilibria=equilibria,
            outcome_probability=np.concatenate([b.outcome_probability for b in blocks]),
            complete=all(b.complete for b in blocks),
            unit=payoff_unit(scenario),
            pinned=tuple(name for name in undrawn if name in fixed_on_purpose),
            left_out=tuple(name for name in undrawn if name not in fixed_on_purpose),
        )

    # -- per draw ------------------------------------------------------------------------------
    @cached_property
    def equilibrium_counts(self) -> np.ndarray:
        """How many equilibria each draw has, shape ``(n,)``."""
        return np.bincount(self.equilibria.point, minlength=self.n)

    @cached_property
    def mean_payoffs(self) -> np.ndarray:
        """Each player's mean payoff over the equilibria of each draw, ``(n, n_players)`` (NaN: none)."""
        counts = self.equilibrium_counts
        point = self.equilibria.point
        sums = np.stack(
            [np.bincount(point, weights=column, minlength=self.n) for column in self.equilibria.payoffs.T],
            axis=1,
        ).reshape(self.n, len(self.players))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], np.nan)

    # -- shares --------------------------------------------------------------------------------
    @cached_property
    def outcome_shares(self) -> tuple[Share, ...]:
        """Per outcome: the share of draws at which it is an equilibrium outcome."""
        counts = self.reached.sum(axis=0)
        return tuple(Share.of(int(count), self.n) for count in counts)

    def share(self, outcome: str) -> Share:
        """The share of draws at which ``outcome`` is an equilibrium outcome.

        Raises :class:`~negsim.errors.UsageError` for an outcome the scenario does not name.
        """
        if outcome not in self.outcomes:
            from negsim.scenario.validation import suggest

            raise UsageError(f"unknown outcome '{outcome}'; {suggest(outcome, self.outcomes)}")
        return self.outcome_shares[self.outcomes.index(outcome)]

    @cached_property
    def several_equilibria(self) -> Share:
        """The share of draws with two or more equilibria."""
        return Share.of(int(np.count_nonzero(self.equilibrium_counts > 1)), self.n)

    @cached_property
    def no_equilibrium(self) -> Share:
        """The share of draws where no equilibrium was found (only possible when searching pure ones)."""
        return Share.of(int(np.count_nonzero(self.equilibrium_counts == 0)), self.n)

    # -- payoffs -------------------------------------------------------------------------------
    @cached_property
    def payoffs(self) -> PayoffSummary:
        """Equilibrium payoffs over every equilibrium of every draw (mixed ones: expected payoffs)."""
        return PayoffSummary.of(self.equilibria.payoffs)

    @cached_property
    def payoffs_by_outcome(self) -> dict[str, PayoffSummary]:
        """Per outcome: payoffs over the equilibria whose play ends in that outcome for sure."""
        sure = self.outcome_probability >= 1 - SURE_TOLERANCE
        return {
            name: PayoffSummary.of(self.equilibria.payoffs[sure[:, k]])
            for k, name in enumerate(self.outcomes)
        }

    # -- sensitivity ---------------------------------------------------------------------------
    @cached_property
    def sensitivity(self) -> tuple[Sensitivity, ...]:
        """Every sampled parameter, the one that moves some outcome most first.

        For each parameter and outcome, the swing is the share of the parameter's top fifth of
        draws at which the outcome is an equilibrium outcome minus the share in its bottom fifth;
        parameters are ranked by their largest absolute swing (ties keep file order).
        """
        from scipy.stats import rankdata

        size = max(1, int(self.n * FIFTH))
        reached = self.reached.astype(np.float64)
        overall = reached.mean(axis=0)
        margin = Z_95 * np.sqrt(2 * overall * (1 - overall) / size)
        valid = self.equilibrium_counts > 0
        payoff_ranks = [_standard(rankdata(column[valid])) for column in self.mean_payoffs.T]
        found = []
        for name in self.parameters_sampled:
            values = self.values[name]
            order = np.argsort(values, kind="stable")
            bottom = reached[order[:size]].mean(axis=0)
            top = reached[order[-size:]].mean(axis=0)
            ranks = _standard(rankdata(values[valid]))
            correlation = np.array([_correlation(ranks, other) for other in payoff_ranks])
            found.append(Sensitivity(name, top, bottom, correlation, margin))
        return tuple(sorted(found, key=lambda s: -s.importance))

    # -- words ---------------------------------------------------------------------------------
    def sentences(self) -> list[str]:
        """The findings in plain words, one sentence each.

        Examples
        --------
        >>> import negsim
        >>> result = sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 2000, seed=1)
        >>> print(result.sentences()[4])
        Several equilibria at once in 35% of draws (95% interval 33-38%).
        >>> print(result.sentences()[5])  # doctest: +NORMALIZE_WHITESPACE
        guarantee_value matters most: in its top fifth of draws settlement is an equilibrium outcome
        100% of the time, in its bottom fifth 0%.
        """
        lines = []
        for name, share in zip(self.outcomes, self.outcome_shares):
            lines.append(f"{name} is an equilibrium outcome {_share_words(share)}.")
        if not self.outcomes:
            lines.append("The scenario names no outcomes, so only payoffs are summarised.")
        searched = "equilibria" if self.complete else "pure equilibria"
        lines.append(f"Several {searched} at once {_share_words(self.several_equilibria, 'in')}.")
        if self.no_equilibrium.count:
            lines.append(f"No pure equilibrium {_share_words(self.no_equilibrium, 'in')}.")
        lines.extend(self._sensitivity_sentences())
        lines.extend(self._payoff_sentences())
        return lines

    def _sensitivity_sentences(self, limit: int = 3) -> list[str]:
        ranked = [s for s in self.sensitivity if s.clear]
        if not self.outcomes:
            return []
        if not ranked:
            return [
                "No sampled parameter clearly changes which outcomes are equilibria: between each one's top "
                "and bottom fifth of draws, the shares move no more than chance alone would move them."
            ]
        lines = []
        for position, item in enumerate(ranked[:limit]):
            index = item.outcome
            assert index is not None
            top, bottom = _percents(float(item.top[index]), float(item.bottom[index]))
            lead = f"{item.parameter} matters most" if position == 0 else f"Next, {item.parameter}"
            lines.append(
                f"{lead}: in its top fifth of draws {self.outcomes[index]} is an equilibrium outcome "
                f"{top}% of the time, in its bottom fifth {bottom}%."
            )
        quiet = [s.parameter for s in self.sensitivity if not s.clear]
        if quiet:
            lines.append(
                f"No clear effect on which outcomes are equilibria (within chance): {', '.join(quiet)}."
            )
        return lines

    def _payoff_sentences(self) -> list[str]:
        if self.payoffs.equilibria == 0:
            return []
        unit = f" ({self.unit})" if self.unit else ""
        lines = []
        quantile = dict(zip(QUANTILES, self.payoffs.quantiles))
        for k, player in enumerate(self.players):
            median, q25, q75 = (number(float(quantile[q][k])) for q in (50, 25, 75))
            q05, q95 = (number(float(quantile[q][k])) for q in (5, 95))
            lines.append(
                f"{possessive(player)} equilibrium payoff{unit}: median {median}; half of all equilibria "
                f"give {q25} to {q75}, nine in ten {q05} to {q95}."
            )
        return lines

    def notes(self) -> list[str]:
        """What to keep in mind when reading the numbers."""
        notes = []
        if self.variant is not None:
            notes.append(f"Variant '{self.variant}' is applied to every draw.")
        if self.pinned:
            notes.append(
                "Not drawn, because the variant or a set value fixes them: " + ", ".join(self.pinned) + "."
            )
        if self.left_out:
            notes.append("Not drawn, as asked, and kept at their values: " + ", ".join(self.left_out) + ".")
        notes.append(
            "An outcome counts at a draw when some equilibrium of that draw reaches it with positive "
            "probability; a mixed equilibrium counts for every outcome it can lead to."
        )
        if not self.complete:
            none = self.no_equilibrium
            found = (
                "every draw has at least one"
                if none.count == 0
                else f"{_percents(none.probability)[0]}% of draws have none"
            )
            notes.append(
                f"With three or more parties only pure equilibria are sought, as in negsim solve; {found}."
            )
        if not self.equilibria.pure.all():
            notes.append("Payoffs of mixed equilibria are expected payoffs.")
        notes.append("Payoffs by outcome cover the equilibria whose play ends in that outcome for sure.")
        notes.append(
            "Intervals are 95% Wilson score intervals. A parameter's top (bottom) fifth is the "
            f"{FIFTH:.0%} of draws with its highest (lowest) values; the correlations are Spearman's, "
            "with each party's mean equilibrium payoff at a draw."
        )
        return notes

    # -- export --------------------------------------------------------------------------------
    def records(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Tidy rows, one per draw and equilibrium, made one at a time as they are iterated.

        Each row has ``draw`` (0-based index into :attr:`values`), ``equilibrium`` (its number at
        that draw, from 1), each drawn parameter, ``pure``, ``outcomes`` (the outcomes it reaches,
        joined by "; "), ``payoff: <player>`` and ``plays: <player>`` per player. A draw without an
        equilibrium has no row. The rows are lazy, so 10^5 draws (some 2 x 10^5 rows) never sit in
        memory as dictionaries unless you ask for that (``list(...)``, ``pandas.DataFrame(list(...))``);
        ``limit`` stops after that many rows.

        Examples
        --------
        >>> import negsim
        >>> result = sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 10, seed=1)
        >>> row = next(result.records())
        >>> sorted(row)  # doctest: +NORMALIZE_WHITESPACE
        ['draw', 'equilibrium', 'guarantee_value', 'nato_value', 'outcomes', 'payoff: Russia',
         'payoff: Ukraine', 'plays: Russia', 'plays: Ukraine', 'pure']
        """
        equilibria = self.equilibria
        total = len(equilibria) if limit is None else min(limit, len(equilibria))
        point = equilibria.point
        number = np.arange(len(point)) - np.searchsorted(point, point, side="left") + 1
        pure = equilibria.pure
        for row in range(total):
            draw_index = int(point[row])
            record: dict[str, Any] = {"draw": draw_index, "equilibrium": int(number[row])}
            record.update({name: float(self.values[name][draw_index]) for name in self.parameters_sampled})
            record["pure"] = bool(pure[row])
            probabilities = self.outcome_probability[row]
            record["outcomes"] = "; ".join(
                name for name, p in zip(self.outcomes, probabilities) if p > REACH_TOLERANCE
            )
            for player, value in zip(self.players, equilibria.payoffs[row]):
                record[f"payoff: {player}"] = float(value)
            for k, (player, labels) in enumerate(zip(self.players, self.strategies)):
                record[f"plays: {player}"] = _plays(labels, equilibria.strategies[k][row])
            yield record

    def to_json(
        self, *, records: bool = False, records_limit: int | None = JSON_RECORDS_LIMIT
    ) -> dict[str, Any]:
        """One JSON-ready document (see the README for every key).

        Keys: ``n``, ``seed``, ``parameters_sampled``, ``outcomes``, ``several_equilibria``,
        ``payoffs``, ``sensitivity``, ``summary`` (the sentences), ``notes``; with
        ``records=True`` also ``records`` (at most ``records_limit`` rows, None for all).

        Examples
        --------
        >>> import json, negsim
        >>> result = sample(negsim.load("scenarios/neutrality_for_guarantees.yaml"), 500, seed=3)
        >>> document = result.to_json()
        >>> list(document)  # doctest: +NORMALIZE_WHITESPACE
        ['n', 'seed', 'parameters_sampled', 'outcomes', 'several_equilibria', 'payoffs', 'sensitivity',
         'summary', 'notes']
        >>> sorted(document["outcomes"]["settlement"])
        ['high', 'low', 'probability']
        >>> len(json.dumps(document)) > 0
        True
        """
        notes = self.notes()
        document: dict[str, Any] = {
            "n": self.n,
            "seed": self.seed,
            "parameters_sampled": [
                {
                    "name": name,
                    "distribution": self.distributions[name].kind,
                    "arguments": list(self.distributions[name].arguments),
                }
                for name in self.parameters_sampled
            ],
            "outcomes": {name: share.to_json() for name, share in zip(self.outcomes, self.outcome_shares)},
            "several_equilibria": self.several_equilibria.to_json(),
            "payoffs": {
                "unit": self.unit,
                "complete": self.complete,
                "all": _payoffs_json(self.payoffs, self.players),
                "by_outcome": {
                    name: _payoffs_json(summary, self.players)
                    for name, summary in self.payoffs_by_outcome.items()
                },
            },
            "sensitivity": [
                {
                    "parameter": item.parameter,
                    "importance": item.importance,
                    "outcome": None if item.outcome is None else self.outcomes[item.outcome],
                    "clear": item.clear,
                    "swings": {
                        name: {
                            "top": float(top),
                            "bottom": float(bottom),
                            "swing": float(top - bottom),
                            "margin": float(margin),
                        }
                        for name, top, bottom, margin in zip(
                            self.outcomes, item.top, item.bottom, item.margin
                        )
                    },
                    "payoff_correlation": {
                        player: _finite(value) for player, value in zip(self.players, item.correlation)
                    },
                }
                for item in self.sensitivity
            ],
            "summary": self.sentences(),
            "notes": notes,
        }
        if records:
            rows = list(self.records(records_limit))
            if len(rows) < len(self.equilibria):
                notes.append(
                    f"records holds the first {len(rows):,} of {len(self.equilibria):,} rows; "
                    "use the Python API's records() for all of them."
                )
            document["records"] = rows
        return document


def _payoffs_json(summary: PayoffSummary, players: tuple[str, ...]) -> dict[str, Any]:
    return {
        "equilibria": summary.equilibria,
        "players": {player: summary.player_json(k) for k, player in enumerate(players)},
    }


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _standard(values: np.ndarray) -> np.ndarray | None:
    """``values`` centred and scaled to unit length, or None when they are constant."""
    centred = np.asarray(values, dtype=np.float64) - np.mean(values) if len(values) else np.zeros(0)
    norm = float(np.linalg.norm(centred))
    return centred / norm if norm > 1e-12 * max(1.0, float(np.abs(values).max(initial=0.0))) else None


def _correlation(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return math.nan
    return float(np.clip(a @ b, -1.0, 1.0))


def _percents(*shares: float) -> list[str]:
    """Shares as percentages, with the fewest decimals (up to two) that keep them honest and distinct.

    A share strictly between 0 and 1 is never shown as 0 or 100: one that would be gets as many
    decimals as it takes to show one significant figure of its distance from 0 or 100.

    Examples
    --------
    >>> _percents(0.62, 0.613, 0.628)
    ['62', '61', '63']
    >>> _percents(0.999, 0.9981, 1.0)
    ['99.9', '99.8', '100']
    >>> _percents(1.0, 0.99996, 1.0)
    ['100', '99.996', '100']
    """
    for digits in range(3):
        texts = [_percent(share, digits) for share in shares]
        honest = all(not (0 < share < 1 and float(text) in (0, 100)) for share, text in zip(shares, texts))
        if honest and len(set(texts)) == len(set(shares)):
            break
    result = []
    for share, text in zip(shares, texts):
        if 0 < share < 1 and float(text) in (0, 100):
            distance = 100 * min(share, 1 - share)
            text = _percent(share, max(0, -math.floor(math.log10(distance))))
        result.append(text)
    return result


def _percent(share: float, digits: int) -> str:
    text = f"{100 * share:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _share_words(share: Share, preposition: str = "in") -> str:
    """``in 62% of draws (95% interval 61-63%)``, or ``in every draw`` / ``in no draw`` with the interval."""
    value, low, high = _percents(share.probability, share.low, share.high)
    interval = f"(95% interval {low}-{high}%)"
    if share.count == 0:
        return f"{preposition} no draw {interval}"
    if share.count == share.n:
        return f"{preposition} every draw {interval}"
    return f"{preposition} {value}% of draws {interval}"
