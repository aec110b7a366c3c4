"""Tipping points: the parameter values where the set of equilibrium outcomes changes.

:func:`thresholds` scans a grid over one parameter (its declared plausible range by default),
finds every pair of neighbouring grid values whose sets of equilibrium outcomes (the named
outcomes some equilibrium reaches) differ, and bisects each such bracket until it is narrower
than ``tol`` times the range. Each :class:`TippingPoint` says which outcomes start or stop
being equilibrium outcomes there, what happens at the point itself (often a tie, where the
set differs from both sides) and how narrow its bracket became.

>>> import negsim
>>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
>>> result = thresholds(s, "guarantee_value", steps=21)
>>> [f"{p.value:.6f}" for p in result.points]
['3.000000', '6.000000']
>>> print(result.points[0].sentences()[0])
settlement becomes an equilibrium outcome once guarantee_value reaches 3.0000.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.errors import UsageError
from negsim.report.words import join_words
from negsim.scenario.validation import suggest
from negsim.solvers.result import DEFAULT_TOLERANCE
from negsim.whatif.batch import BatchSolution, solve_batch
from negsim.whatif.sweep import (
    SweepResult,
    VarySpec,
    check_parameter,
    check_spec,
    json_records,
    number,
    range_notes,
    require_strategic,
    scenario_meta,
    search_notes,
    spec_json,
    support_codes,
    sweep,
    with_unit,
)

if TYPE_CHECKING:
    from negsim.scenario.model import Scenario, ScenarioBase

#: The smallest ``tol`` accepted (relative to the range).
MIN_TOL = 1e-12

#: Two changes that enclose an outcome set seen on no more than this fraction of the range are
#: one tipping point at a tie. The equilibrium solver counts payoffs that differ by less than
#: about 1e-9 of the payoff scale as equal, so the set at a tie is seen on a sliver around it.
TIE_WIDTH = 1e-6

#: Equilibrium tolerance (relative to the payoff scale) of scan and bisection with three or more
#: parties, whose pure equilibria are found by comparing payoffs directly.
PURE_TOLERANCE = 1e-12

#: Brackets are bisected down to this fraction of the requested width (see :func:`thresholds`).
REFINE = 1e-3

#: Bisection gives up after this many rounds (a bracket halves each round).
MAX_ROUNDS = 200


@dataclass(frozen=True)
class TippingPoint:
    """One place where the set of equilibrium outcomes changes.

    Attributes
    ----------
    parameter
        The parameter scanned.
    value
        Best estimate of the tipping value.
    low, high
        The final bracket: the change lies between them.
    below, at, above
        Equilibrium outcomes just below the bracket, at ``value`` itself and just above it
        (in the scenario's order). ``at`` differs from both sides at a tie.
    starts, stops
        Outcomes (of those asked about) that become, or stop being, equilibrium outcomes.
    only_at, except_at
        Outcomes (of those asked about) that are equilibrium outcomes only at ``value`` itself,
        or on both sides but not at ``value`` itself.
    unit
        The parameter's unit.
    decimals
        Decimals shown in sentences.
    complete
        False when only pure equilibria were searched (three or more parties).
    """

    parameter: str
    value: float
    low: float
    high: float
    below: tuple[str, ...]
    at: tuple[str, ...]
    above: tuple[str, ...]
    starts: tuple[str, ...]
    stops: tuple[str, ...]
    only_at: tuple[str, ...]
    except_at: tuple[str, ...]
    unit: str | None = None
    decimals: int = 4
    complete: bool = True

    @property
    def width(self) -> float:
        """Width of the final bracket (how precisely the tipping point is known)."""
        return self.high - self.low

    @property
    def tie(self) -> bool:
        """Whether the outcome set at the point itself differs from the sets on both sides."""
        return set(self.at) != set(self.below) and set(self.at) != set(self.above)

    @property
    def shown(self) -> str:
        """The value as shown in sentences."""
        return f"{self.value:.{self.decimals}f}"

    def sentences(self) -> list[str]:
        """What changes here, in plain words, one sentence per outcome (then the tie, if any).

        Examples
        --------
        >>> point = TippingPoint("g", 3.0, 3.0, 3.0, ("war",), ("war", "deal"), ("deal",),
        ...                      ("deal",), ("war",), (), ())
        >>> for sentence in point.sentences():
        ...     print(sentence)
        deal becomes an equilibrium outcome once g reaches 3.0000.
        war stops being an equilibrium outcome once g exceeds 3.0000.
        At g = 3.0000 itself (a tie) the equilibrium outcomes are war and deal; just below, war; just \
above, deal.
        """
        kind = "an equilibrium" if self.complete else "a pure-equilibrium"
        value = self.shown
        name = self.parameter
        result = []
        for outcome in self.starts:
            verb = "reaches" if outcome in self.at else "exceeds"
            result.append(f"{outcome} becomes {kind} outcome once {name} {verb} {value}.")
        for outcome in self.stops:
            verb = "exceeds" if outcome in self.at else "reaches"
            result.append(f"{outcome} stops being {kind} outcome once {name} {verb} {value}.")
        for outcome in self.only_at:
            result.append(f"{outcome} is {kind} outcome only at {name} = {value} exactly (a tie).")
        for outcome in self.except_at:
            result.append(
                f"{outcome} is not {kind} outcome at {name} = {value} exactly (a tie), "
                "though it is on both sides."
            )
        if self.tie:
            result.append(
                f"At {name} = {value} itself (a tie) the equilibrium outcomes are "
                f"{join_words(self.at, 'none')}; just below, {join_words(self.below, 'none')}; "
                f"just above, {join_words(self.above, 'none')}."
            )
        return result

    @property
    def description(self) -> str:
        """All sentences as one paragraph."""
        return " ".join(self.sentences())

    def to_json(self) -> dict[str, Any]:
        """The tipping point as a JSON-ready object (see the README section on ``negsim threshold``)."""
        return {
            "parameter": self.parameter,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "width": self.width,
            "below": list(self.below),
            "at": list(self.at),
            "above": list(self.above),
            "starts": list(self.starts),
            "stops": list(self.stops),
            "only_at": list(self.only_at),
            "except_at": list(self.except_at),
            "tie": self.tie,
            "description": self.description,
        }


@dataclass(frozen=True, eq=False)
class ThresholdResult:
    """Every tipping point of one parameter over a range, with the scan it was found from.

    Attributes
    ----------
    scenario
        The scenario scanned.
    spec
        The scan's grid (parameter, start, stop, steps).
    tol
        Requested precision, relative to the range.
    outcome
        The one outcome asked about, or None for all.
    points
        The tipping points, from low to high values.
    scan
        The equilibria at every grid value of the scan.
    notes
        Plain-words remarks, among them the limits of the method.
    """

    scenario: Scenario
    spec: VarySpec
    tol: float
    outcome: str | None
    points: tuple[TippingPoint, ...]
    scan: SweepResult
    notes: tuple[str, ...]

    @property
    def parameter(self) -> str:
        """The parameter scanned."""
        return self.spec.name

    @property
    def unit(self) -> str | None:
        """The parameter's unit."""
        return self.scenario.parameters[self.spec.name].unit

    def values(self) -> list[float]:
        """The tipping values, from low to high."""
        return [point.value for point in self.points]

    def records(self) -> list[dict[str, Any]]:
        """The scan's tidy rows, one per grid value and equilibrium (see :meth:`SweepResult.records`)."""
        return self.scan.records()

    def sentences(self) -> list[str]:
        """Every tipping point's sentences, from low to high values."""
        return [sentence for point in self.points for sentence in point.sentences()]

    def summary(self) -> str:
        """One sentence: how many tipping points, and where.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
        >>> thresholds(s, "guarantee_value", stop=2.5, steps=11).summary()
        'No tipping point for guarantee_value from 0 to 2.5 (utils): the equilibrium outcome is continued \
confrontation throughout.'
        """
        where = with_unit(
            f"{self.parameter} from {number(self.spec.start)} to {number(self.spec.stop)}", self.unit
        )
        if self.points:
            count = len(self.points)
            values = join_words([point.shown for point in self.points], "none")
            about = f" (changes of {self.outcome} only)" if self.outcome else ""
            return f"{count} tipping point{'' if count == 1 else 's'} for {where}{about}, at {values}."
        reached = self.scan.reached()[0]
        names = [name for name, on in zip(self.scan.outcomes, reached) if on]
        if self.outcome is not None:
            state = "is" if self.outcome in names else "is not"
            return f"No tipping point for {where}: {self.outcome} {state} an equilibrium outcome throughout."
        if not names:
            return f"No tipping point for {where}: no named outcome is an equilibrium outcome anywhere."
        noun = "outcome is" if len(names) == 1 else "outcomes are"
        return f"No tipping point for {where}: the equilibrium {noun} {join_words(names, 'none')} throughout."

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        """A JSON-ready document (see the README section on ``negsim threshold --json``).

        Keys: ``file``, ``variant``, ``parameters``, ``varied``, ``records``, ``thresholds``,
        ``summary``, ``notes``. ``file`` defaults to the scenario's path.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
        >>> document = thresholds(s, "guarantee_value", steps=11).to_json()
        >>> list(document)
        ['file', 'variant', 'parameters', 'varied', 'records', 'thresholds', 'summary', 'notes']
        >>> [round(t["value"], 6) for t in document["thresholds"]], document["thresholds"][0]["starts"]
        ([3.0, 6.0], ['settlement', 'exposed neutrality', 'unanswered pledge'])
        """
        return {
            **scenario_meta(self.scenario, file),
            "varied": [spec_json(self.scenario, self.spec)],
            "records": json_records(self.records()),
            "thresholds": [point.to_json() for point in self.points],
            "summary": " ".join([self.summary(), *self.sentences()]),
            "notes": list(self.notes),
        }


#: What is compared between parameter values: the outcome set and the supports of the equilibria.
_Key = tuple[tuple[bool, ...], frozenset[tuple[int, ...]]]


@dataclass(frozen=True, eq=False)
class _Side:
    """The equilibria at one parameter value, as far as tipping points care."""

    reached: np.ndarray
    key: _Key


@dataclass(frozen=True, eq=False)
class _Bracket:
    """A change lies between ``lo`` (equilibria ``below``) and ``hi`` (equilibria ``above``)."""

    lo: float
    hi: float
    below: _Side
    above: _Side


def _sides(batch: BatchSolution, points: Sequence[int] | np.ndarray) -> list[_Side]:
    """The outcome set and the set of equilibrium supports at each of ``points`` of ``batch``.

    Supports are compared too, so that the sliver around a tie, where the solver finds extra
    equilibria, shows up even when the outcome set there equals one side's.
    """
    codes = support_codes(batch.equilibria.strategies)
    owner = batch.equilibria.point
    sides = []
    for point in points:
        supports = frozenset(tuple(int(c) for c in row) for row in codes[owner == point])
        reached = batch.reached[point]
        sides.append(_Side(reached, (tuple(bool(r) for r in reached), supports)))
    return sides


def _solve_sides(scenario: Scenario, name: str, values: Sequence[float], tol: float) -> list[_Side]:
    """:func:`_sides` of ``values`` of parameter ``name``, all solved at once."""
    batch = solve_batch(scenario, {name: np.asarray(values, dtype=np.float64)}, tol=tol)
    return _sides(batch, range(len(values)))


def _changes(batch: BatchSolution) -> np.ndarray:
    """Indices ``k`` where grid values ``k`` and ``k + 1`` differ in outcome set or supports."""
    codes = support_codes(batch.equilibria.strategies)
    if len(codes):
        _, kind = np.unique(codes, axis=0, return_inverse=True)
        present = np.zeros((batch.n_points, int(kind.max()) + 1), dtype=bool)
        present[batch.equilibria.point, kind.reshape(-1)] = True
    else:
        present = np.zeros((batch.n_points, 0), dtype=bool)
    key = np.hstack([batch.reached, present])
    return np.flatnonzero(np.any(key[1:] != key[:-1], axis=1))


def _bisect(
    scenario: Scenario, name: str, brackets: list[_Bracket], target: float, tol: float
) -> list[_Bracket]:
    """Halve every bracket (all of them solved together each round) until narrower than ``target``.

    A midpoint whose equilibria match neither end's splits its bracket in two: each half holds
    a change of its own.
    """
    done: list[_Bracket] = []
    active = brackets
    for _ in range(MAX_ROUNDS):
        wide = []
        for bracket in active:
            middle = 0.5 * (bracket.lo + bracket.hi)
            if bracket.hi - bracket.lo <= target or not bracket.lo < middle < bracket.hi:
                done.append(bracket)
            else:
                wide.append((bracket, middle))
        active = []
        if not wide:
            break
        found = _solve_sides(scenario, name, [middle for _, middle in wide], tol)
        for (bracket, middle), side in zip(wide, found):
            if side.key == bracket.below.key:
                active.append(_Bracket(middle, bracket.hi, side, bracket.above))
            elif side.key == bracket.above.key:
                active.append(_Bracket(bracket.lo, middle, bracket.below, side))
            else:
                active += [
                    _Bracket(bracket.lo, middle, bracket.below, side),
                    _Bracket(middle, bracket.hi, side, bracket.above),
                ]
    return sorted(done + active, key=lambda b: b.lo)


def _merge(refined: list[_Bracket], sliver: float) -> list[tuple[float, _Bracket]]:
    """``(value, bracket)`` per tipping point: changes packed within a sliver become one tie.

    A run of changes whose equilibria in between are seen on no more than ``sliver`` in all is
    one tipping point: a tie, seen by the solver on a sliver of values around it (where it finds
    extra equilibria). Its value is the sliver's middle; a lone change's is its bracket's middle.
    """
    merged: list[tuple[float, _Bracket]] = []
    index = 0
    while index < len(refined):
        first = last = refined[index]
        index += 1
        while (
            index < len(refined)
            and refined[index].lo - first.hi <= sliver
            and last.above.key == refined[index].below.key
        ):
            last = refined[index]
            index += 1
        if last is first:
            merged.append((0.5 * (first.lo + first.hi), first))
        else:
            merged.append((0.5 * (first.hi + last.lo), _Bracket(first.lo, last.hi, first.below, last.above)))
    return merged


def _decimals(span: float) -> int:
    """Decimals that show a value to about 1e-5 of the scanned range.

    Examples
    --------
    >>> _decimals(10.0), _decimals(1.0), _decimals(1000.0)
    (4, 5, 2)
    """
    return int(min(12, max(0, 5 - math.ceil(math.log10(span)))))


def _describe(
    scenario: Scenario,
    name: str,
    merged: list[tuple[float, _Bracket]],
    selected: np.ndarray,
    span: float,
    complete: bool,
) -> list[TippingPoint]:
    """Tipping points from merged brackets; those of the outcomes not asked about are left out.

    The set at each tipping value itself is solved there with negsim's usual tolerance, which
    sees a tie as a tie.
    """
    outcomes = tuple(scenario.compiled.outcomes)
    values = [value for value, _ in merged]
    at_sets = (
        [side.reached for side in _solve_sides(scenario, name, values, DEFAULT_TOLERANCE)] if values else []
    )
    unit = scenario.parameters[name].unit
    decimals = _decimals(span)

    def names(mask: np.ndarray) -> tuple[str, ...]:
        return tuple(o for o, on in zip(outcomes, mask) if on)

    def pick(mask: np.ndarray) -> tuple[str, ...]:
        return tuple(o for o, on, keep in zip(outcomes, mask, selected) if on and keep)

    points = []
    for (value, bracket), at in zip(merged, at_sets):
        below, above = bracket.below.reached, bracket.above.reached
        if np.array_equal(below[selected], above[selected]) and np.array_equal(at[selected], below[selected]):
            continue  # nothing asked about changes here
        points.append(
            TippingPoint(
                parameter=name,
                value=float(value),
                low=float(bracket.lo),
                high=float(bracket.hi),
                below=names(below),
                at=names(at),
                above=names(above),
                starts=pick(above & ~below),
                stops=pick(below & ~above),
                only_at=pick(at & ~below & ~above),
                except_at=pick(~at & below & above),
                unit=unit,
                decimals=decimals,
                complete=complete,
            )
        )
    return points


def thresholds(
    scenario: ScenarioBase,
    name: str,
    *,
    start: float | None = None,
    stop: float | None = None,
    steps: int = 201,
    outcome: str | None = None,
    tol: float = 1e-9,
) -> ThresholdResult:
    """Every value of parameter ``name`` where the set of equilibrium outcomes changes.

    The scan covers ``steps`` values from ``start`` to ``stop`` (by default the parameter's
    declared plausible range); each change between neighbouring values is bisected until its
    bracket is narrower than ``tol`` times the range. With ``outcome``, only changes in whether
    that outcome is an equilibrium outcome are reported. A change that is undone before the
    next grid value (an outcome set holding on an interval narrower than one grid step) can be
    missed; the result's notes say how wide a step is.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> result = thresholds(s, "guarantee_value", steps=21, outcome="settlement")
    >>> [(round(p.value, 6), p.starts, p.tie) for p in result.points]
    [(3.0, ('settlement',), True)]
    >>> thresholds(s, "guarantee_value", outcome="setlement")
    Traceback (most recent call last):
    ...
    negsim.errors.UsageError: unknown outcome 'setlement'; did you mean 'settlement'?
    """
    strategic = require_strategic(scenario)
    check_parameter(strategic, name)
    outcomes = tuple(strategic.compiled.outcomes)
    if not outcomes:
        raise UsageError(
            "the scenario names no outcomes; a tipping point is where the set of equilibrium outcomes "
            "changes, so name some under 'outcomes:'"
        )
    if outcome is not None and outcome not in outcomes:
        raise UsageError(f"unknown outcome '{outcome}'; {suggest(outcome, outcomes)}")
    declared = strategic.parameters[name].range
    if declared is None and (start is None or stop is None):
        raise UsageError(
            f"parameter '{name}' declares no range; give the range to scan (start and stop, "
            f"e.g. --vary {name}=0:10:201)"
        )
    if declared is not None:
        start = declared[0] if start is None else start
        stop = declared[1] if stop is None else stop
    try:
        low, high = float(start), float(stop)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UsageError(f"start and stop must be numbers, got {start!r} and {stop!r}") from None
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise UsageError(f"steps must be a whole number of at least 2, got {steps!r}")
    spec = VarySpec(name, low, high, int(steps))
    check_spec(spec)
    if not (math.isfinite(tol) and MIN_TOL <= tol < 1):
        raise UsageError(f"tol is relative to the range and must be from {MIN_TOL:g} to below 1, got {tol!r}")

    # with three or more parties only pure equilibria are sought, by comparing payoffs: ties can
    # then be judged far more finely than negsim's usual tolerance, which keeps the sliver around
    # a tie much narrower than the brackets (two parties: the exact solver judges ties itself)
    solver_tol = DEFAULT_TOLERANCE if len(strategic.players) == 2 else PURE_TOLERANCE
    scan = sweep(strategic, [spec], tol=solver_tol)
    selected = np.array([outcome is None or name == outcome for name in outcomes])
    values = spec.values()
    # every change of the whole outcome set (and of the equilibria's supports) is located, so that
    # a tie is recognised as one even when only some outcomes are asked about; changes that leave
    # the outcomes asked about as they were are left out at the end
    changes = _changes(scan.batch)
    ends = np.unique(np.concatenate([changes, changes + 1]))
    side = dict(zip(ends.tolist(), _sides(scan.batch, ends)))
    span = high - low
    target = tol * span
    brackets = [
        _Bracket(float(values[k]), float(values[k + 1]), side[k], side[k + 1]) for k in changes.tolist()
    ]
    # brackets are narrowed well below the target, so that the sliver where the solver sees a
    # tie (about 1e-9 of the payoff scale wide) is found even when it is narrower than the target
    refined = _bisect(strategic, name, brackets, target * REFINE, solver_tol)
    merged = _merge(refined, max(target, TIE_WIDTH * span))
    points = _describe(strategic, name, merged, selected, span, scan.complete)

    unit = strategic.parameters[name].unit
    notes = range_notes(strategic, [spec]) + search_notes(scan.batch)
    notes.append(
        f"The scan solved {spec.steps} values, one every {number(spec.step)}"
        f"{' ' + unit if unit else ''}: a set of equilibrium outcomes that holds only on an interval "
        "narrower than that, or a change undone before the next value, can be missed."
    )
    if points:
        widest = max(point.width for point in points)
        notes.append(
            f"Each change was bisected until its bracket was far narrower than {tol:g} times the range "
            f"({target:.3g}{' ' + unit if unit else ''}); the widest tipping-point bracket is {widest:.3g}."
        )
        if solver_tol == DEFAULT_TOLERANCE:
            notes.append(
                "As in negsim solve, payoffs that differ by less than about 1e-9 of the payoff scale "
                "count as tied, so a tie is seen on a sliver of values around it; a tipping point at a "
                "tie is placed in the middle of that sliver and its bracket spans it."
            )
        else:
            notes.append(
                f"To locate tipping points precisely, payoffs were compared to within {solver_tol:g} of "
                "the payoff scale (negsim solve allows 1e-8); what happens at each tipping value itself "
                "is judged with negsim solve's tolerance."
            )
        if any(bracket.hi - bracket.lo > target for bracket in refined):
            notes.append(
                "Some brackets could not be narrowed to the requested width (the limit of "
                "floating-point numbers or of the bisection rounds)."
            )
    if outcome is not None:
        notes.append(f"Only changes in whether {outcome} is an equilibrium outcome are reported.")
    return ThresholdResult(strategic, spec, tol, outcome, tuple(points), scan, tuple(notes))
