"""Sweeps: one or two parameters varied over a grid, the equilibria of every grid point at once.

:func:`parse_vary` reads ``NAME=START:STOP:STEPS`` (the ``--vary`` option of ``negsim sweep``);
:func:`sweep` solves the scenario at every point of the grid with one call of
:func:`~negsim.whatif.batch.solve_batch` and returns a :class:`SweepResult`: tidy records, the
regions where each named outcome is an equilibrium outcome, and plain-words sentences.

>>> import negsim
>>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
>>> result = sweep(s, [parse_vary("guarantee_value=0:10:11", s)])
>>> result.regions()["settlement"]
[(3.0, 10.0)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.errors import UsageError
from negsim.report.words import join_words
from negsim.scenario.validation import suggest
from negsim.solvers.result import DEFAULT_TOLERANCE
from negsim.whatif.batch import BatchSolution, solve_batch

if TYPE_CHECKING:
    from negsim.scenario.model import Scenario, ScenarioBase

#: A sweep solves at most this many grid points in all (the product of the STEPS).
MAX_POINTS = 250_000

#: Probabilities at or below this count as zero when deciding which outcomes an equilibrium reaches.
REACH_TOLERANCE = 1e-12

_FORM = "NAME=START:STOP:STEPS (e.g. guarantee_value=0:10:21)"


def support_codes(strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Array ``(n_equilibria, n_players)``: each player's support (strategies played) as a bit mask.

    Examples
    --------
    >>> support_codes([np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([[0.0, 1.0], [1.0, 0.0]])]).tolist()
    [[1, 2], [3, 1]]
    """
    columns = [
        (np.asarray(mix) > REACH_TOLERANCE).astype(np.int64)
        @ (1 << np.arange(np.shape(mix)[1], dtype=np.int64))
        for mix in strategies
    ]
    rows = len(columns[0]) if columns else 0
    return np.stack(columns, axis=1).reshape(rows, len(columns)) if columns else np.zeros((0, 0), np.int64)


@dataclass(frozen=True)
class VarySpec:
    """One varied parameter: ``steps`` evenly spaced values from ``start`` to ``stop``, both included.

    Examples
    --------
    >>> spec = VarySpec("guarantee_value", 0.0, 10.0, 5)
    >>> spec.values().tolist(), str(spec)
    ([0.0, 2.5, 5.0, 7.5, 10.0], 'guarantee_value=0:10:5')
    """

    name: str
    start: float
    stop: float
    steps: int

    def values(self) -> np.ndarray:
        """The grid values along this parameter."""
        return np.linspace(self.start, self.stop, self.steps)

    @property
    def step(self) -> float:
        """The distance between neighbouring grid values."""
        return (self.stop - self.start) / (self.steps - 1)

    def __str__(self) -> str:
        return f"{self.name}={self.start:g}:{self.stop:g}:{self.steps}"


def require_strategic(scenario: ScenarioBase) -> Scenario:
    """``scenario`` itself when it is strategic; a :class:`UsageError` for a sequential one.

    Examples
    --------
    >>> import negsim
    >>> require_strategic(negsim.load("scenarios/pledge_sincerity.yaml"))
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: what-if commands (sweep, threshold) apply to strategic scenarios for now; \
this is a sequential scenario (a game tree)
    """
    from negsim.scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise UsageError(
            "what-if commands (sweep, threshold) apply to strategic scenarios for now; "
            "this is a sequential scenario (a game tree)"
        )
    return scenario


def check_parameter(scenario: ScenarioBase, name: str) -> None:
    """Raise :class:`UsageError`, with a "did you mean" hint, when ``scenario`` has no parameter ``name``.

    Examples
    --------
    >>> import negsim
    >>> check_parameter(negsim.load("scenarios/neutrality_for_guarantees.yaml"), "guarantee_valu")
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: unknown parameter 'guarantee_valu'; did you mean 'guarantee_value'?
    """
    declared = scenario.parameters
    if name not in declared:
        hint = suggest(name, declared) if declared else "this scenario declares no parameters"
        raise UsageError(f"unknown parameter '{name}'; {hint}")


def _number(text: str, what: str, whole: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--vary {whole!r}: {what} must be a number, got {text!r}; use {_FORM}") from None
    if not math.isfinite(value):
        raise UsageError(f"--vary {whole!r}: {what} must be a finite number, got {text!r}")
    return value


def parse_vary(text: str, scenario: ScenarioBase | None = None) -> VarySpec:
    """Read ``NAME=START:STOP:STEPS``: STEPS values from START to STOP, both included.

    STEPS is a whole number of at least 2 and START is below STOP. With ``scenario``, the
    name is checked too (an unknown one gets a "did you mean" hint). A range beyond the
    parameter's declared plausible range is allowed; :func:`sweep` says so in its notes.
    Every malformed form raises :class:`~negsim.errors.UsageError`.

    Examples
    --------
    >>> parse_vary("guarantee_value=0:10:21")
    VarySpec(name='guarantee_value', start=0.0, stop=10.0, steps=21)
    >>> parse_vary("guarantee_value=0:10")
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: --vary 'guarantee_value=0:10': needs three numbers START:STOP:STEPS after \
'=', got 2; use NAME=START:STOP:STEPS (e.g. guarantee_value=0:10:21)
    >>> parse_vary("guarantee_value=5:1:3")
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: --vary 'guarantee_value=5:1:3': empty range: START (5) must be below STOP (1)
    """
    whole = text
    name, equals, rest = text.partition("=")
    name = name.strip()
    if not equals:
        raise UsageError(f"--vary {whole!r}: missing '='; use {_FORM}")
    if not name:
        raise UsageError(f"--vary {whole!r}: missing the parameter name before '='; use {_FORM}")
    parts = [part.strip() for part in rest.split(":")]
    if len(parts) != 3:
        raise UsageError(
            f"--vary {whole!r}: needs three numbers START:STOP:STEPS after '=', got {len(parts)}; use {_FORM}"
        )
    start = _number(parts[0], "START", whole)
    stop = _number(parts[1], "STOP", whole)
    try:
        steps = int(parts[2])
    except ValueError:
        raise UsageError(
            f"--vary {whole!r}: STEPS must be a whole number of at least 2, got {parts[2]!r}"
        ) from None
    spec = VarySpec(name, start, stop, steps)
    check_spec(spec)
    if scenario is not None:
        require_strategic(scenario)
        check_parameter(scenario, name)
    return spec


def check_spec(spec: VarySpec) -> None:
    """Raise :class:`UsageError` unless ``spec`` has finite START < STOP and STEPS >= 2.

    Examples
    --------
    >>> check_spec(VarySpec("x", 0, 1, 1))
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: --vary 'x=0:1:1': STEPS must be at least 2, got 1
    """
    if not (math.isfinite(spec.start) and math.isfinite(spec.stop)):
        raise UsageError(f"--vary '{spec}': START and STOP must be finite numbers")
    if spec.steps < 2:
        raise UsageError(f"--vary '{spec}': STEPS must be at least 2, got {spec.steps}")
    if not spec.start < spec.stop:
        raise UsageError(
            f"--vary '{spec}': empty range: START ({spec.start:g}) must be below STOP ({spec.stop:g})"
        )
    if spec.steps > MAX_POINTS:
        raise UsageError(f"--vary '{spec}': at most {MAX_POINTS:,} steps, got {spec.steps:,}")


def _as_spec(item: VarySpec | tuple[str, float, float, int]) -> VarySpec:
    if isinstance(item, VarySpec):
        return item
    try:
        name, start, stop, steps = item
    except (TypeError, ValueError):
        raise UsageError(f"a varied parameter needs (name, start, stop, steps), got {item!r}") from None
    if isinstance(steps, float) and float(steps).is_integer():
        steps = int(steps)
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise UsageError(f"STEPS of '{name}' must be a whole number of at least 2, got {steps!r}")
    try:
        return VarySpec(str(name), float(start), float(stop), int(steps))
    except (TypeError, ValueError):
        raise UsageError(f"START and STOP of '{name}' must be numbers, got {start!r} and {stop!r}") from None


# -- wording ------------------------------------------------------------------------------------
def number(value: float) -> str:
    """A grid value in short form.

    Examples
    --------
    >>> number(3.0500000000000003), number(10.0), number(-0.0)
    ('3.05', '10', '0')
    """
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def with_unit(text: str, unit: str | None) -> str:
    """``text`` followed by the unit in parentheses, when there is one.

    Examples
    --------
    >>> with_unit("guarantee_value", "utils"), with_unit("x", None)
    ('guarantee_value (utils)', 'x')
    """
    return f"{text} ({unit})" if unit else text


def intervals(mask: np.ndarray, values: np.ndarray) -> list[tuple[float, float]]:
    """The runs of True in ``mask`` as ``(first value, last value)`` pairs of the grid ``values``.

    Examples
    --------
    >>> intervals(np.array([True, False, True, True]), np.array([0.0, 1.0, 2.0, 3.0]))
    [(0.0, 0.0), (2.0, 3.0)]
    """
    edges = np.diff(np.concatenate([[0], np.asarray(mask, dtype=np.int8), [0]]))
    firsts = np.flatnonzero(edges == 1)
    lasts = np.flatnonzero(edges == -1) - 1
    return [(float(values[a]), float(values[b])) for a, b in zip(firsts, lasts)]


def _span_words(spans: Sequence[tuple[float, float]]) -> str:
    parts = [f"at {number(a)}" if a == b else f"from {number(a)} to {number(b)}" for a, b in spans]
    return join_words(parts, "none")


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SweepResult:
    """The equilibria of a scenario at every point of a grid over one or two parameters.

    Attributes
    ----------
    scenario
        The scenario swept (with its variant and ``--set`` values; the varied ones are replaced).
    specs
        The varied parameters, in order; the first is the grid's first axis.
    batch
        The solution of every grid point; point ``p`` of a two-parameter grid is at row
        ``p // steps_2`` and column ``p % steps_2``.
    notes
        Plain-words remarks: ranges beyond the declared ones, replaced values, limits.
    """

    scenario: Scenario
    specs: tuple[VarySpec, ...]
    batch: BatchSolution
    notes: tuple[str, ...]

    @property
    def varied(self) -> tuple[str, ...]:
        """Names of the varied parameters."""
        return tuple(spec.name for spec in self.specs)

    @property
    def axes(self) -> tuple[np.ndarray, ...]:
        """The grid values along each varied parameter."""
        return tuple(spec.values() for spec in self.specs)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of grid values along each varied parameter."""
        return tuple(spec.steps for spec in self.specs)

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The scenario's named outcomes, in file order."""
        return self.batch.outcomes

    @property
    def complete(self) -> bool:
        """Whether every equilibrium was searched for (two parties) or pure ones only."""
        return self.batch.complete

    def unit(self, name: str) -> str | None:
        """The declared unit of the parameter ``name``."""
        return self.scenario.parameters[name].unit

    def reached(self) -> np.ndarray:
        """Boolean array ``(*shape, n_outcomes)``: which outcomes some equilibrium reaches at each point."""
        return self.batch.reached.reshape(*self.shape, len(self.outcomes))

    @cached_property
    def _reached_pure(self) -> np.ndarray:
        batch = self.batch
        pure = batch.equilibria.pure
        result = np.zeros_like(batch.reached)
        for k in range(len(batch.outcomes)):
            hit = pure & (batch.outcome_probability[:, k] > REACH_TOLERANCE)
            np.logical_or.at(result[:, k], batch.equilibria.point, hit)
        return result

    def reached_pure(self) -> np.ndarray:
        """Boolean array ``(*shape, n_outcomes)``: which outcomes some pure equilibrium reaches."""
        return self._reached_pure.reshape(*self.shape, len(self.outcomes))

    def records(self) -> list[dict[str, Any]]:
        """Tidy rows, one per grid point and equilibrium (ready for ``pandas.DataFrame``).

        Each row has the varied parameters' values, ``point``, ``equilibrium`` (numbered from 1
        at each point), ``pure``, ``outcomes`` (joined by "; "), ``payoff: <player>`` and
        ``plays: <player>``; see :meth:`~negsim.whatif.batch.BatchSolution.records`.
        """
        return self.batch.records(self.varied)

    def regions(self) -> dict[str, Any]:
        """Where each named outcome is an equilibrium outcome.

        For one parameter: outcome -> list of ``(start, stop)`` pairs of grid values (a single
        grid value gives ``start == stop``). For two: outcome -> boolean array ``shape``.
        """
        reached = self.reached()
        if len(self.specs) == 1:
            values = self.axes[0]
            return {name: intervals(reached[:, k], values) for k, name in enumerate(self.outcomes)}
        return {name: reached[..., k].copy() for k, name in enumerate(self.outcomes)}

    def _where(self, spec: VarySpec) -> str:
        return self._between(spec.name, spec.start, spec.stop)

    def _between(self, name: str, low: float, high: float) -> str:
        return with_unit(f"{name} from {number(low)} to {number(high)}", self.unit(name))

    def sentences(self) -> list[str]:
        """One plain-words sentence per named outcome: where it is an equilibrium outcome.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
        >>> sweep(s, [("guarantee_value", 0, 10, 11)]).sentences()[0]
        'settlement is an equilibrium outcome for guarantee_value from 3 to 10 (utils).'
        """
        kind = "an equilibrium" if self.complete else "a pure-equilibrium"
        reached = self.reached()
        pure = self.reached_pure()
        result = []
        if len(self.specs) == 1:
            spec = self.specs[0]
            values = self.axes[0]
            unit = self.unit(spec.name)
            for k, name in enumerate(self.outcomes):
                spans = intervals(reached[:, k], values)
                if not spans:
                    result.append(f"{name} is not {kind} outcome anywhere for {self._where(spec)}.")
                    continue
                if reached[:, k].all():
                    text = f"{name} is {kind} outcome for every {self._where(spec)}"
                else:
                    text = with_unit(f"{name} is {kind} outcome for {spec.name} {_span_words(spans)}", unit)
                chance = reached[:, k] & ~pure[:, k]
                if chance.any():
                    if np.array_equal(chance, reached[:, k]):
                        text += ", only by chance in a mixed equilibrium"
                    else:
                        spans = intervals(chance, values)
                        text += f"; {_span_words(spans)} only by chance in a mixed equilibrium"
                result.append(text + ".")
            return result
        first, second = self.specs
        total = reached[..., 0].size
        a, b = self.axes
        for k, name in enumerate(self.outcomes):
            grid = reached[..., k]
            count = int(grid.sum())
            if count == 0:
                result.append(
                    f"{name} is not {kind} outcome anywhere on the grid "
                    f"({self._where(first)}, {self._where(second)})."
                )
                continue
            rows, columns = np.nonzero(grid)
            if count == total:
                text = f"{name} is {kind} outcome at every point of the grid"
            else:
                within = [
                    self._between(spec.name, float(axis[index.min()]), float(axis[index.max()]))
                    for spec, axis, index in ((first, a, rows), (second, b, columns))
                ]
                text = (
                    f"{name} is {kind} outcome at {count} of {total} grid points ({count / total:.0%}), "
                    f"all with {within[0]} and {within[1]}"
                )
            chance = int((grid & ~pure[..., k]).sum())
            if chance == count:
                text += ", only by chance in a mixed equilibrium"
            elif chance:
                text += f"; at {chance} of them only by chance in a mixed equilibrium"
            result.append(text + ".")
        return result

    def outcome_sets(self) -> np.ndarray:
        """Integer array ``shape``: each point's set of equilibrium outcomes as a bit code.

        Bit ``k`` is set when outcome ``k`` (of :attr:`outcomes`) is an equilibrium outcome.
        """
        weights = (1 << np.arange(len(self.outcomes), dtype=np.int64)).astype(np.int64)
        return (self.reached().astype(np.int64) @ weights).reshape(self.shape)

    def summary(self) -> str:
        """One paragraph: the grid, how many equilibria, how many different outcome sets.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
        >>> print(sweep(s, [("guarantee_value", 0, 10, 11)]).summary())
        Solved 11 values of guarantee_value from 0 to 10 (utils): 19 equilibria in all (every \
equilibrium searched), 5 different sets of equilibrium outcomes, changing 4 times between neighbouring values.
        """
        n_equilibria = len(self.batch.equilibria)
        searched = "every equilibrium searched" if self.complete else "pure equilibria only"
        codes = self.outcome_sets()
        distinct = len(np.unique(codes))
        sets = "set" if distinct == 1 else "sets"
        if len(self.specs) == 1:
            spec = self.specs[0]
            changes = int(np.count_nonzero(codes[1:] != codes[:-1]))
            grid = f"Solved {spec.steps} values of {self._where(spec)}"
            tail = (
                f", changing {changes} time{'' if changes == 1 else 's'} between neighbouring values"
                if changes
                else ""
            )
        else:
            first, second = self.specs
            grid = (
                f"Solved a {first.steps} x {second.steps} grid of {self._where(first)} "
                f"by {self._where(second)}"
            )
            tail = ""
        found = f"{grid}: {n_equilibria} equilibri{'um' if n_equilibria == 1 else 'a'} in all ({searched})"
        if not self.outcomes:
            return f"{found}; the scenario names no outcomes."
        return f"{found}, {distinct} different {sets} of equilibrium outcomes{tail}."

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        """A JSON-ready document (see the README section on ``negsim sweep --json``).

        Keys: ``file``, ``variant``, ``parameters``, ``varied``, ``records``, ``regions``,
        ``summary``, ``notes``. ``file`` defaults to the scenario's path.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
        >>> document = sweep(s, [("guarantee_value", 0, 10, 3)]).to_json()
        >>> list(document), document["regions"]["settlement"]
        (['file', 'variant', 'parameters', 'varied', 'records', 'regions', 'summary', 'notes'], [[5.0, 10.0]])
        """
        regions = self.regions()
        return {
            **scenario_meta(self.scenario, file),
            "varied": [spec_json(self.scenario, spec) for spec in self.specs],
            "records": json_records(self.records()),
            "regions": {
                name: [[a, b] for a, b in value] if len(self.specs) == 1 else value.tolist()
                for name, value in regions.items()
            },
            "summary": " ".join([self.summary(), *self.sentences()]),
            "notes": list(self.notes),
        }


def scenario_meta(scenario: Scenario, file: str | None) -> dict[str, Any]:
    """The ``file``, ``variant`` and ``parameters`` keys of a JSON document (as ``negsim solve --json``)."""
    return {
        "file": scenario.path if file is None else file,
        "variant": scenario.variant_name,
        "parameters": {name: float(value) for name, value in scenario.parameter_values().items()},
    }


def spec_json(scenario: Scenario, spec: VarySpec) -> dict[str, Any]:
    """One entry of a JSON document's ``varied`` list."""
    return {
        "name": spec.name,
        "start": spec.start,
        "stop": spec.stop,
        "steps": spec.steps,
        "unit": scenario.parameters[spec.name].unit,
        "values": spec.values().tolist(),
    }


def json_records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with plain Python numbers (no numpy scalars)."""
    return [
        {key: (value.item() if isinstance(value, np.generic) else value) for key, value in row.items()}
        for row in rows
    ]


# -- notes --------------------------------------------------------------------------------------
def range_notes(scenario: Scenario, specs: Sequence[VarySpec]) -> list[str]:
    """Remarks on varied parameters: beyond the declared plausible range, or replacing a set value.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml").variant("strong guarantee")
    >>> for note in range_notes(s, [VarySpec("guarantee_value", -2, 12, 3)]):
    ...     print(note)
    guarantee_value runs from -2 to 12, beyond its plausible range [0, 10] declared in the scenario.
    guarantee_value is 8 in the variant 'strong guarantee'; the sweep replaces that value.
    """
    notes = []
    for spec in specs:
        declared = scenario.parameters[spec.name]
        if declared.range is not None:
            low, high = declared.range
            if spec.start < low or spec.stop > high:
                notes.append(
                    f"{spec.name} runs from {number(spec.start)} to {number(spec.stop)}, beyond its "
                    f"plausible range [{number(low)}, {number(high)}] declared in the scenario."
                )
        if spec.name in scenario.overrides:
            value = scenario.overrides[spec.name]
            notes.append(f"{spec.name} was set to {number(value)}; the sweep replaces that value.")
        elif scenario.variant_name is not None and spec.name in scenario.variants[scenario.variant_name].set:
            value = scenario.variants[scenario.variant_name].set[spec.name]
            notes.append(
                f"{spec.name} is {number(value)} in the variant '{scenario.variant_name}'; "
                "the sweep replaces that value."
            )
    return notes


def search_notes(batch: BatchSolution) -> list[str]:
    """Remarks on what was searched: pure equilibria only, points without any equilibrium found."""
    notes = []
    if not batch.complete:
        notes.append(
            "With three or more parties only pure equilibria are searched, as in negsim solve: "
            "outcomes reached only in mixed equilibria are not shown."
        )
    found = np.zeros(batch.n_points, dtype=bool)
    found[batch.equilibria.point] = True
    missing = int(batch.n_points - found.sum())
    if missing:
        notes.append(f"No equilibrium was found at {missing} of {batch.n_points} points.")
    return notes


# -- solving ------------------------------------------------------------------------------------
def sweep(
    scenario: ScenarioBase,
    vary: Sequence[VarySpec | tuple[str, float, float, int]],
    *,
    tol: float = DEFAULT_TOLERANCE,
) -> SweepResult:
    """Solve ``scenario`` at every point of a grid over one or two parameters (all points at once).

    ``vary`` holds :class:`VarySpec` objects (from :func:`parse_vary`) or ``(name, start, stop,
    steps)`` tuples; the other parameters keep the scenario's values (after its variant and
    overrides). ``tol`` is the equilibrium tolerance, relative to the payoff scale.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> result = sweep(s, [("guarantee_value", 0, 10, 3), ("nato_value", 0, 10, 3)])
    >>> result.shape, result.regions()["settlement"].astype(int).tolist()
    ((3, 3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    """
    strategic = require_strategic(scenario)
    specs = [_as_spec(item) for item in vary]
    if not specs:
        raise UsageError(f"a sweep needs one or two parameters to vary: --vary {_FORM}")
    if len(specs) > 2:
        names = ", ".join(spec.name for spec in specs)
        raise UsageError(f"a sweep varies one or two parameters at a time, got {len(specs)} ({names})")
    for spec in specs:
        check_spec(spec)
        check_parameter(strategic, spec.name)
    if len(specs) == 2 and specs[0].name == specs[1].name:
        raise UsageError(f"'{specs[0].name}' is varied twice; vary two different parameters")
    total = math.prod(spec.steps for spec in specs)
    if total > MAX_POINTS:
        raise UsageError(f"the grid has {total:,} points; a sweep solves at most {MAX_POINTS:,}")
    if not (math.isfinite(tol) and tol > 0):
        raise UsageError(f"the tolerance must be a positive number, got {tol!r}")
    grids = np.meshgrid(*(spec.values() for spec in specs), indexing="ij")
    varied: Mapping[str, np.ndarray] = {spec.name: grid.ravel() for spec, grid in zip(specs, grids)}
    batch = solve_batch(strategic, varied, tol=tol)
    notes = range_notes(strategic, specs) + search_notes(batch)
    steps = ", ".join(
        f"{spec.name}: {number(spec.step)} {strategic.parameters[spec.name].unit or ''}".rstrip()
        for spec in specs
    )
    notes.append(
        f"Region edges are grid values, so each is accurate to one grid step ({steps}); "
        "negsim threshold locates the tipping points of one parameter precisely."
    )
    return SweepResult(strategic, tuple(specs), batch, tuple(notes))
