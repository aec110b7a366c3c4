"""Sweeps, tipping points and their charts, checked against values worked out by hand."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import negsim
from negsim.errors import UsageError
from negsim.plotting import sweep as sweep_chart
from negsim.whatif.sweep import SweepResult, VarySpec, intervals, parse_vary, sweep
from negsim.whatif.threshold import ThresholdResult, thresholds

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"
CREDIBILITY = ROOT / "scenarios" / "guarantee_credibility.yaml"

# A chooses up, middle or down; B always prefers left (1 to 3 against 0). Against left, A gets x for
# up, c for down and their average for middle: A moves up once x exceeds c, stays down below c,
# and only at x = c (a tie) are all three best replies, so "compromise" is an equilibrium
# outcome there alone.
STEP = """
negsim: 1
title: Step
parameters:
  x: {value: 1, unit: utils, range: [0, 10], about: what moving up is worth to A}
  c: {value: 2.5, unit: utils, range: [0, 10], about: what staying down is worth to A}
players:
  a: {name: A, strategies: [up, middle, down]}
  b: {name: B, strategies: [left, right]}
payoffs:
  terms:
    - {to: a, when: a.up and b.left, value: x}
    - {to: a, when: a.middle and b.left, value: (x + c) / 2}
    - {to: a, when: a.down and b.left, value: c}
    - {to: a, when: a.up and b.right, value: 1}
    - {to: a, when: a.middle and b.right, value: 0.5}
    - {to: b, when: b.left and a.up, value: 1}
    - {to: b, when: b.left and a.middle, value: 2}
    - {to: b, when: b.left and a.down, value: 3}
outcomes:
  deal: a.up and b.left
  compromise: a.middle
  no deal: a.down and b.left
"""

# A moves up once x exceeds c1, B moves right once x exceeds c2 (the 0.5 terms only matter off
# the equilibrium path, for c1 < c2). Below c1 the outcome is "low", between c1 and c2 "middle",
# above c2 "high"; at each threshold (a tie) both neighbouring outcomes are equilibrium outcomes.
TWO_STEPS = """
negsim: 1
title: Two steps
parameters:
  x: {value: 5, unit: utils, range: [0, 10], about: the varied value}
  c1: {value: 3.3, unit: utils, range: [0, 10], about: A's threshold}
  c2: {value: 7.1, unit: utils, range: [0, 10], about: B's threshold}
players:
  a: {name: A, strategies: [down, up]}
  b: {name: B, strategies: [left, right]}
payoffs:
  terms:
    - {to: a, when: a.up, value: x}
    - {to: a, when: a.down, value: c1}
    - {to: a, when: a.up and b.right, value: 0.5}
    - {to: b, when: b.left, value: c2}
    - {to: b, when: b.right, value: x}
    - {to: b, when: b.right and a.down, value: -0.5}
outcomes:
  low: a.down and b.left
  middle: a.up and b.left
  high: a.up and b.right
  odd: a.down and b.right
"""

# Matching pennies with A's payoff for (up, left) scaled by x: the unique equilibrium is mixed,
# B plays left with probability 1 / (1 + x) (A indifferent: x q = 1 - q) and A plays up with
# probability 1/2 (B indifferent); A expects x / (1 + x), B 1/2.
PENNIES = """
negsim: 1
title: Scaled pennies
parameters:
  x: {value: 1, unit: utils, range: [0.5, 4], about: A's gain from matching on up and left}
players:
  a: {name: A, strategies: [up, down]}
  b: {name: B, strategies: [left, right]}
payoffs:
  terms:
    - {to: a, when: a.up and b.left, value: x}
    - {to: a, when: a.down and b.right, value: 1}
    - {to: b, when: a.up and b.right, value: 1}
    - {to: b, when: a.down and b.left, value: 1}
outcomes:
  match left: a.up and b.left
  match right: a.down and b.right
  mismatch: (a.up and b.right) or (a.down and b.left)
"""

# The same choice as STEP without a separate outcome per profile: "a moves" becomes an
# equilibrium outcome at x = c and stays one, so the set at the tie equals the set above it.
LONE = """
negsim: 1
title: Lone
parameters:
  x: {value: 1, unit: utils, range: [0, 10], about: what moving up is worth to A}
  c: {value: 2.5, unit: utils, range: [0, 10], about: what staying down is worth to A}
  free: {value: 1, about: a number with no declared range}
players:
  a: {name: A, strategies: [up, down]}
  b: {name: B, strategies: [left, right]}
payoffs:
  terms:
    - {to: a, when: a.up and b.left, value: x}
    - {to: a, when: a.down and b.left, value: c}
    - {to: a, when: a.up and b.right, value: free}
    - {to: b, when: b.left and a.up, value: 1}
    - {to: b, when: b.left and a.down, value: 2}
outcomes:
  b goes left: b.left
  a moves: a.up
"""


def _load(text: str, name: str) -> negsim.Scenario:
    scenario = negsim.loads(text, f"{name}.yaml")
    assert isinstance(scenario, negsim.Scenario)
    return scenario


@pytest.fixture(scope="module")
def neutrality() -> negsim.Scenario:
    scenario = negsim.load(NEUTRALITY)
    assert isinstance(scenario, negsim.Scenario)
    return scenario


@pytest.fixture(scope="module")
def neutrality_sweep(neutrality: negsim.Scenario) -> SweepResult:
    return sweep(neutrality, [parse_vary("guarantee_value=0:10:11", neutrality)])


@pytest.fixture(scope="module")
def neutrality_thresholds(neutrality: negsim.Scenario) -> ThresholdResult:
    return thresholds(neutrality, "guarantee_value")


# -- parsing ----------------------------------------------------------------------------------
def test_parse_vary_reads_name_range_and_steps(neutrality: negsim.Scenario) -> None:
    spec = parse_vary(" guarantee_value = -1.5 : 1e1 : 4 ", neutrality)
    assert spec == VarySpec("guarantee_value", -1.5, 10.0, 4)
    np.testing.assert_allclose(spec.values(), [-1.5, 2.333333333333333, 6.166666666666666, 10.0])
    assert spec.step == pytest.approx(23 / 6)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("guarantee_value", "missing '='"),
        ("=0:1:3", "missing the parameter name"),
        ("guarantee_value=0:10", "needs three numbers START:STOP:STEPS"),
        ("guarantee_value=0:10:3:4", "needs three numbers START:STOP:STEPS"),
        ("guarantee_value=zero:10:3", "START must be a number, got 'zero'"),
        ("guarantee_value=0:ten:3", "STOP must be a number, got 'ten'"),
        ("guarantee_value=0:inf:3", "STOP must be a finite number"),
        ("guarantee_value=nan:1:3", "START must be a finite number"),
        ("guarantee_value=0:10:many", "STEPS must be a whole number of at least 2, got 'many'"),
        ("guarantee_value=0:10:2.5", "STEPS must be a whole number of at least 2, got '2.5'"),
        ("guarantee_value=0:10:1", "STEPS must be at least 2, got 1"),
        ("guarantee_value=0:10:-3", "STEPS must be at least 2, got -3"),
        ("guarantee_value=5:5:3", "empty range: START (5) must be below STOP (5)"),
        ("guarantee_value=10:0:3", "empty range: START (10) must be below STOP (0)"),
        ("guarantee_value=0:10:10000000", "at most 250,000 steps"),
        ("guarantee_valu=0:10:3", "unknown parameter 'guarantee_valu'; did you mean 'guarantee_value'?"),
    ],
)
def test_parse_vary_rejects_malformed_input(neutrality: negsim.Scenario, text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_vary(text, neutrality)
    assert message in str(error.value)


def test_parse_vary_without_scenario_checks_the_form_only() -> None:
    assert parse_vary("anything=0:1:2").name == "anything"


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
    st.integers(2, 100_000),
)
def test_parse_vary_round_trips(start: float, width: float, steps: int) -> None:
    stop = start + width
    spec = parse_vary(f"p={start!r}:{stop!r}:{steps}")
    assert (spec.start, spec.stop, spec.steps) == (start, stop, steps)
    assert parse_vary(str(VarySpec("p", 0.25, 8.5, steps))) == VarySpec("p", 0.25, 8.5, steps)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_intervals_are_the_runs_of_true(mask: list[bool]) -> None:
    values = np.arange(len(mask), dtype=float) * 0.5
    spans = intervals(np.array(mask), values)
    covered = np.zeros(len(mask), dtype=bool)
    for start, stop in spans:
        covered |= (values >= start) & (values <= stop)
    np.testing.assert_array_equal(covered, mask)
    # runs are separated by at least one False
    for (_, stop), (start, _) in itertools.pairwise(spans):
        assert start - stop > 0.5


# -- sweeps -----------------------------------------------------------------------------------
def test_sweep_neutrality_regions_match_the_hand_computed_thresholds(neutrality_sweep: SweepResult) -> None:
    # Ukraine renounces against a pledge once guarantee_value >= nato_value (3), and against no
    # pledge once guarantee_value >= nato_value + exposure (6); Russia pledges iff Ukraine renounces.
    regions = neutrality_sweep.regions()
    assert regions == {
        "settlement": [(3.0, 10.0)],
        "exposed neutrality": [(4.0, 6.0)],
        "unanswered pledge": [(3.0, 5.0)],
        "continued confrontation": [(0.0, 6.0)],
    }
    sentences = neutrality_sweep.sentences()
    assert sentences[0] == "settlement is an equilibrium outcome for guarantee_value from 3 to 10 (utils)."
    assert sentences[1] == (
        "exposed neutrality is an equilibrium outcome for guarantee_value from 4 to 6 (utils), "
        "only by chance in a mixed equilibrium."
    )
    assert neutrality_sweep.summary().startswith("Solved 11 values of guarantee_value from 0 to 10 (utils)")
    assert any(
        "accurate to one grid step (guarantee_value: 1 utils)" in note for note in neutrality_sweep.notes
    )


def test_sweep_records_have_one_row_per_point_and_equilibrium(neutrality_sweep: SweepResult) -> None:
    records = neutrality_sweep.records()
    # one equilibrium at 0, 1, 2 and 7..10; three at 3 (a tie), 4, 5 and 6 (a tie)
    assert len(records) == 7 * 1 + 4 * 3 == len(neutrality_sweep.batch.equilibria)
    assert set(records[0]) == {
        "guarantee_value",
        "point",
        "equilibrium",
        "pure",
        "outcomes",
        "payoff: Ukraine",
        "payoff: Russia",
        "plays: Ukraine",
        "plays: Russia",
    }
    at_five = [r for r in records if r["guarantee_value"] == 5.0]
    assert [r["equilibrium"] for r in at_five] == [1, 2, 3]
    payoffs = sorted((r["payoff: Ukraine"], r["payoff: Russia"]) for r in at_five)
    np.testing.assert_allclose(payoffs, [(0.0, 0.0), (2 / 3, 4 / 3), (4.0, 6.0)])


def test_sweep_tracks_a_mixed_equilibrium_in_closed_form() -> None:
    scenario = _load(PENNIES, "pennies")
    result = sweep(scenario, [("x", 0.5, 4.0, 36)])
    x = result.axes[0]
    equilibria = result.batch.equilibria
    np.testing.assert_array_equal(equilibria.point, np.arange(36))  # one equilibrium per value
    assert not equilibria.pure.any()
    np.testing.assert_allclose(equilibria.strategies[0][:, 0], 0.5, atol=1e-12)
    np.testing.assert_allclose(equilibria.strategies[1][:, 0], 1 / (1 + x), atol=1e-12)
    np.testing.assert_allclose(equilibria.payoffs[:, 0], x / (1 + x), atol=1e-12)
    np.testing.assert_allclose(equilibria.payoffs[:, 1], 0.5, atol=1e-12)
    assert result.regions() == {name: [(0.5, 4.0)] for name in ("match left", "match right", "mismatch")}
    assert thresholds(scenario, "x", steps=36).points == ()


def test_sweep_two_parameters_matches_the_hand_computed_rule(neutrality: negsim.Scenario) -> None:
    result = sweep(neutrality, [("guarantee_value", 0, 10, 21), ("nato_value", 0, 6, 7)])
    g, n = np.meshgrid(*result.axes, indexing="ij")  # exact binary fractions: ties hit exactly
    exposure = 3.0
    expected = {
        "settlement": g >= n,
        "exposed neutrality": (n < g) & (g <= n + exposure),
        "unanswered pledge": (n <= g) & (g < n + exposure),
        "continued confrontation": g <= n + exposure,
    }
    regions = result.regions()
    assert set(regions) == set(expected)
    for name, grid in expected.items():
        np.testing.assert_array_equal(regions[name], grid, err_msg=name)
    data = sweep_chart.prepare_region_map(result)
    for k, combination in enumerate(data.combinations):
        rule = np.ones_like(g, dtype=bool)
        for name, grid in expected.items():
            rule &= grid if name in combination else ~grid
        np.testing.assert_array_equal(np.equal(data.cells.T, k), rule, err_msg=str(combination))
    assert sum(data.counts) == 21 * 7
    assert result.summary().startswith(
        "Solved a 21 x 7 grid of guarantee_value from 0 to 10 (utils) by nato_value"
    )


def test_sweep_notes_ranges_beyond_the_declared_one_and_replaced_values(neutrality: negsim.Scenario) -> None:
    result = sweep(neutrality.with_params(guarantee_value=5), [("guarantee_value", -2, 12, 8)])
    assert "guarantee_value runs from -2 to 12, beyond its plausible range [0, 10]" in result.notes[0]
    assert "guarantee_value was set to 5; the sweep replaces that value." in result.notes
    variant = sweep(neutrality.variant("strong guarantee"), [("guarantee_value", 0, 10, 3)])
    assert "guarantee_value is 8 in the variant 'strong guarantee'" in variant.notes[0]


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ([], "one or two parameters to vary"),
        (
            [("guarantee_value", 0, 1, 2), ("nato_value", 0, 1, 2), ("exposure", 0, 1, 2)],
            "one or two parameters at a time, got 3 (guarantee_value, nato_value, exposure)",
        ),
        ([("guarantee_value", 0, 1, 2), ("guarantee_value", 0, 2, 2)], "'guarantee_value' is varied twice"),
        ([("guarantee", 0, 1, 2)], "unknown parameter 'guarantee'; did you mean 'guarantee_value'?"),
        ([("guarantee_value", 1, 0, 3)], "empty range"),
        ([("guarantee_value", 0, 1, 1)], "STEPS must be at least 2"),
        ([("guarantee_value", 0, 1, 2.5)], "STEPS of 'guarantee_value' must be a whole number"),
        ([("guarantee_value", "a", 1, 3)], "START and STOP of 'guarantee_value' must be numbers"),
        ([("guarantee_value", 0, 1, 600), ("nato_value", 0, 1, 600)], "the grid has 360,000 points"),
    ],
)
def test_sweep_rejects_bad_requests(neutrality: negsim.Scenario, vary: list, message: str) -> None:
    with pytest.raises(UsageError) as error:
        sweep(neutrality, vary)
    assert message in str(error.value)


def test_what_if_needs_a_strategic_scenario() -> None:
    sequential = negsim.load(CREDIBILITY)
    name = next(iter(sequential.parameters))
    for call in (
        lambda: sweep(sequential, [(name, 0, 1, 3)]),
        lambda: thresholds(sequential, name),
        lambda: parse_vary(f"{name}=0:1:3", sequential),
    ):
        with pytest.raises(UsageError, match="apply to strategic scenarios for now"):
            call()


def test_sweep_json_is_plain_and_complete(neutrality_sweep: SweepResult) -> None:
    document = json.loads(json.dumps(neutrality_sweep.to_json(file="neutrality.yaml")))
    assert list(document) == [
        "file",
        "variant",
        "parameters",
        "varied",
        "records",
        "regions",
        "summary",
        "notes",
    ]
    assert document["file"] == "neutrality.yaml"
    assert document["variant"] is None
    assert document["parameters"]["nato_value"] == 3.0
    assert document["varied"] == [
        {
            "name": "guarantee_value",
            "start": 0.0,
            "stop": 10.0,
            "steps": 11,
            "unit": "utils",
            "values": [float(v) for v in range(11)],
        }
    ]
    assert len(document["records"]) == len(neutrality_sweep.records())
    assert document["regions"]["settlement"] == [[3.0, 10.0]]
    assert document["summary"].startswith("Solved 11 values")


def test_two_parameter_json_regions_are_nested_lists(neutrality: negsim.Scenario) -> None:
    result = sweep(neutrality, [("guarantee_value", 0, 10, 3), ("nato_value", 0, 10, 2)])
    regions = json.loads(json.dumps(result.to_json()))["regions"]
    assert regions["settlement"] == [[True, False], [True, False], [True, True]]


def test_four_party_sweep_says_only_pure_equilibria_were_searched() -> None:
    scenario = negsim.load(FOUR_PARTY)
    result = sweep(scenario, [("credibility", 0, 1, 5)])
    assert not result.complete
    assert (
        result.sentences()[-1]
        == "continued war is a pure-equilibrium outcome for every credibility from 0 to 1 (probability)."
    )
    assert any("only pure equilibria are searched" in note for note in result.notes)


# -- tipping points ---------------------------------------------------------------------------
def test_neutrality_settlement_threshold_is_nato_value(neutrality: negsim.Scenario) -> None:
    # settlement is an equilibrium outcome iff Ukraine renounces against a pledge:
    # guarantee_value - nato_value + security_gain >= security_gain, i.e. guarantee_value >= nato_value
    for nato_value in (3.0, 2.7182818):
        scenario = neutrality.with_params(nato_value=nato_value)
        tol = 1e-9
        result = thresholds(scenario, "guarantee_value", outcome="settlement", tol=tol)
        (point,) = result.points
        assert abs(point.value - nato_value) <= tol * 10
        assert point.low <= nato_value <= point.high
        assert point.starts == ("settlement",) and point.stops == ()
        assert point.below == ("continued confrontation",)
        # at the tie Ukraine is indifferent: Russia pledges against a renunciation chance >= 1/3
        assert point.at == ("settlement", "unanswered pledge", "continued confrontation")
        assert point.tie
        assert point.sentences()[0] == (
            f"settlement becomes an equilibrium outcome once guarantee_value reaches {nato_value:.4f}."
        )
        assert any("Only changes in whether settlement is an equilibrium outcome" in n for n in result.notes)


def test_neutrality_has_two_tipping_points(neutrality_thresholds: ThresholdResult) -> None:
    first, second = neutrality_thresholds.points
    assert first.value == pytest.approx(3.0, abs=1e-8) and second.value == pytest.approx(6.0, abs=1e-8)
    assert first.starts == ("settlement", "exposed neutrality", "unanswered pledge")
    assert second.stops == ("exposed neutrality", "unanswered pledge", "continued confrontation")
    assert second.above == ("settlement",)
    assert neutrality_thresholds.summary() == (
        "2 tipping points for guarantee_value from 0 to 10 (utils), at 3.0000 and 6.0000."
    )
    assert any(
        "one every 0.05 utils" in note and "can be missed" in note for note in neutrality_thresholds.notes
    )


@pytest.mark.parametrize("c", [2.5, np.pi, 6.0001])
@pytest.mark.parametrize("grid", [{}, {"start": 0.0, "stop": 7.0, "steps": 10}, {"tol": 1e-11}])
def test_tie_threshold_is_found_within_tolerance(c: float, grid: dict) -> None:
    scenario = _load(STEP, "step").with_params(c=c)
    tol = grid.get("tol", 1e-9)
    span = grid.get("stop", 10.0) - grid.get("start", 0.0)
    result = thresholds(scenario, "x", **grid)
    if c > grid.get("stop", 10.0):
        assert result.points == ()
        return
    (point,) = result.points
    assert abs(point.value - c) <= tol * span + 1e-12  # far finer than a grid step
    assert point.low <= c <= point.high
    assert point.width < 1e-7
    assert point.below == ("no deal",) and point.above == ("deal",)
    assert point.at == ("deal", "compromise", "no deal")
    assert (point.starts, point.stops, point.only_at, point.except_at) == (
        ("deal",),
        ("no deal",),
        ("compromise",),
        (),
    )
    assert point.tie
    sentences = point.sentences()
    shown = f"{c:.4f}"
    assert sentences[:3] == [
        f"deal becomes an equilibrium outcome once x reaches {shown}.",
        f"no deal stops being an equilibrium outcome once x exceeds {shown}.",
        f"compromise is an equilibrium outcome only at x = {shown} exactly (a tie).",
    ]
    assert sentences[3].startswith(
        f"At x = {shown} itself (a tie) the equilibrium outcomes are deal, compromise"
    )


def test_lone_change_where_the_tie_looks_like_one_side() -> None:
    scenario = _load(LONE, "lone").with_params(c=np.e)
    (point,) = thresholds(scenario, "x").points
    assert abs(point.value - np.e) <= 1e-9 * 10
    assert point.low <= np.e <= point.high
    assert point.at == point.above == ("b goes left", "a moves")
    assert not point.tie
    assert point.description == "a moves becomes an equilibrium outcome once x reaches 2.7183."


@settings(max_examples=12, deadline=None)
@given(st.floats(0.3, 4.7), st.floats(0.3, 4.7))
def test_two_thresholds_on_one_range(c1: float, gap: float) -> None:
    c2 = c1 + gap
    scenario = _load(TWO_STEPS, "two").with_params(c1=c1, c2=c2)
    result = thresholds(scenario, "x", steps=41)
    first, second = result.points
    for point, exact in ((first, c1), (second, c2)):
        assert abs(point.value - exact) <= 1e-9 * 10
        assert point.low <= exact <= point.high
        assert point.tie
    assert (first.below, first.at, first.above) == (("low",), ("low", "middle"), ("middle",))
    assert (second.below, second.at, second.above) == (("middle",), ("middle", "high"), ("high",))
    assert (first.starts, first.stops, second.starts, second.stops) == (
        ("middle",),
        ("low",),
        ("high",),
        ("middle",),
    )
    only_high = thresholds(scenario, "x", steps=41, outcome="high")
    assert [p.value for p in only_high.points] == [second.value]


def test_thresholds_json_is_plain_and_complete(neutrality_thresholds: ThresholdResult) -> None:
    document = json.loads(json.dumps(neutrality_thresholds.to_json()))
    assert list(document) == [
        "file",
        "variant",
        "parameters",
        "varied",
        "records",
        "thresholds",
        "summary",
        "notes",
    ]
    assert document["file"].endswith("neutrality_for_guarantees.yaml")
    assert document["varied"][0]["steps"] == 201 and len(document["varied"][0]["values"]) == 201
    first = document["thresholds"][0]
    assert list(first) == [
        "parameter",
        "value",
        "low",
        "high",
        "width",
        "below",
        "at",
        "above",
        "starts",
        "stops",
        "only_at",
        "except_at",
        "tie",
        "description",
    ]
    assert first["tie"] is True and first["low"] <= 3.0 <= first["high"]
    assert len(document["records"]) == len(neutrality_thresholds.records())
    assert document["summary"].startswith("2 tipping points")


def test_no_tipping_point_is_said_plainly(neutrality: negsim.Scenario) -> None:
    result = thresholds(neutrality, "guarantee_value", start=6.5, stop=10, steps=8)
    assert result.points == ()
    assert result.summary() == (
        "No tipping point for guarantee_value from 6.5 to 10 (utils): "
        "the equilibrium outcome is settlement throughout."
    )
    assert (
        thresholds(neutrality, "guarantee_value", stop=2, steps=5, outcome="settlement")
        .summary()
        .endswith("settlement is not an equilibrium outcome throughout.")
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "guarantee"}, "unknown parameter 'guarantee'; did you mean 'guarantee_value'?"),
        ({"outcome": "setlement"}, "unknown outcome 'setlement'; did you mean 'settlement'?"),
        ({"steps": 1}, "STEPS must be at least 2"),
        ({"steps": 2.5}, "steps must be a whole number"),
        ({"start": 5, "stop": 5}, "empty range"),
        ({"start": "low"}, "start and stop must be numbers"),
        ({"tol": 0}, "tol is relative to the range"),
        ({"tol": 1.5}, "tol is relative to the range"),
    ],
)
def test_thresholds_reject_bad_requests(neutrality: negsim.Scenario, kwargs: dict, message: str) -> None:
    arguments = {"name": "guarantee_value", **kwargs}
    with pytest.raises(UsageError) as error:
        thresholds(neutrality, **arguments)
    assert message in str(error.value)


def test_thresholds_need_a_range() -> None:
    scenario = _load(LONE, "lone")
    with pytest.raises(UsageError, match="parameter 'free' declares no range; give the range to scan"):
        thresholds(scenario, "free")
    assert thresholds(scenario, "free", start=0, stop=2, steps=5).points == ()


# -- charts -----------------------------------------------------------------------------------
def _texts(fig: Figure) -> list[str]:
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def test_sweep_chart_data_is_exact(neutrality_sweep: SweepResult) -> None:
    data = sweep_chart.prepare_sweep(neutrality_sweep, [3.0, 6.0])
    lasting = [b for b in data.branches if not b.isolated]
    assert [(b.label, b.pure) for b in lasting] == [
        ("continued confrontation", True),
        ("settlement", True),
        ("mixed equilibrium", False),
    ]
    confrontation, settlement, mixed = lasting
    assert confrontation.index.tolist() == [0, 1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose(confrontation.payoffs, 0.0)
    assert settlement.index.tolist() == [3, 4, 5, 6, 7, 8, 9, 10]
    g = np.arange(3, 11.0)
    np.testing.assert_allclose(settlement.payoffs, np.stack([g - 1, np.full(8, 6.0)], axis=1))
    # Russia pledges with probability (6 - g) / 3, so Ukraine expects 2 (6 - g) / 3; Ukraine
    # renounces with probability 1/3, so Russia expects 4/3
    assert mixed.index.tolist() == [4, 5]
    np.testing.assert_allclose(mixed.payoffs, [[4 / 3, 4 / 3], [2 / 3, 4 / 3]])
    isolated = [b for b in data.branches if b.isolated]
    assert sorted(int(b.index[0]) for b in isolated) == [3, 6]
    assert data.spans(0, pure=True) == [(2.5, 7.5)]
    assert data.spans(1, pure=False) == [(3.5, 3.0)]  # 4, 5 and the tie at 6
    assert data.thresholds == ((3.0, "3"), (6.0, "6"))
    assert data.legend_labels == [
        "continued confrontation",
        "settlement",
        "mixed equilibrium",
        "equilibrium at a single value\n(a tie)",
        "tipping point",
    ]


def test_sweep_figure_renders_with_titles_labels_and_legend(
    neutrality_sweep: SweepResult, neutrality_thresholds: ThresholdResult
) -> None:
    fig = sweep_chart.figure(neutrality_sweep, neutrality_thresholds)
    fig.canvas.draw()
    assert fig.get_suptitle() == "Equilibria as guarantee_value varies: Neutrality for guarantees"
    ukraine, russia, bands, key = fig.axes
    assert [ax.get_title(loc="left") for ax in (ukraine, russia, bands)] == [
        "Ukraine",
        "Russia",
        "equilibrium outcomes",
    ]
    assert ukraine.get_ylabel() == russia.get_ylabel() == "payoff (utils)"
    assert bands.get_xlabel() == "guarantee_value (utils)"
    assert [t.get_text() for t in bands.get_yticklabels()] == [
        "settlement",
        "exposed neutrality",
        "unanswered pledge",
        "continued confrontation",
    ]
    legend = key.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()][:3] == [
        "continued confrontation",
        "settlement",
        "mixed equilibrium",
    ]
    assert {"3.0000", "6.0000"} <= set(_texts(fig))


def test_single_panels_render_on_their_own(neutrality_sweep: SweepResult) -> None:
    data = sweep_chart.prepare_sweep(neutrality_sweep)
    ax = sweep_chart.draw_payoffs(data, 0)
    assert ax.get_ylabel() == "Ukraine payoff (utils)" and ax.get_xlabel() == "guarantee_value (utils)"
    assert ax.get_legend() is not None
    bands = sweep_chart.draw_bands(data)
    assert bands.get_title(loc="left") == "Equilibrium outcomes: Neutrality for guarantees"


def test_region_map_figure_lists_every_combination(neutrality: negsim.Scenario) -> None:
    result = sweep(neutrality, [("guarantee_value", 0, 10, 21), ("nato_value", 0, 6, 7)])
    fig = sweep_chart.figure(result)
    fig.canvas.draw()
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Equilibrium outcomes: Neutrality for guarantees"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("guarantee_value (utils)", "nato_value (utils)")
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    data = sweep_chart.prepare_region_map(result)
    assert labels == [data.label(k) for k in range(len(data.combinations))]
    assert "settlement + unanswered pledge + continued confrontation" in labels
    with pytest.raises(UsageError, match="one-parameter sweeps only"):
        sweep_chart.figure(result, [3.0])


def test_region_map_colours_stay_distinct_beyond_the_palette() -> None:
    combinations = tuple((f"outcome {k}",) for k in range(9)) + ((),)
    data = sweep_chart.RegionMapData(
        "",
        ("a", "b"),
        (None, None),
        np.zeros(2),
        np.zeros(2),
        np.zeros((2, 2), dtype=int),
        combinations,
        (1,) * 10,
        True,
    )
    styles = [data.style(k) for k in range(10)]
    assert len(set(styles)) == 10
    assert styles[-1] == (sweep_chart.NONE_COLOUR, "")
