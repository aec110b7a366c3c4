"""Sampling: draws against each distribution's theory, shares against a known probability,
identical results whatever runs the blocks, sensitivity ranking, bad inputs, and the charts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import GeneratorType

import matplotlib
import numpy as np
import pytest
from matplotlib.axes import Axes
from scipy import stats

import negsim
from negsim.errors import UsageError
from negsim.plotting import sample as charts
from negsim.plotting.charts import render
from negsim.whatif.sample import BLOCK_SIZE, SampleResult, draw_parameters, sample, sampled_parameters, wilson

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"
SEQUENTIAL = ROOT / "scenarios" / "pledge_sincerity.yaml"

# B always goes ahead (it gains 1, or 1.5 if A goes too); A then goes ahead exactly when
# x - 3.5 + 1 > 0. So "deal" is the unique equilibrium outcome when x > 2.5 and "no deal" when
# x < 2.5: P(deal) = 0.75 for x uniform on [0, 10]. noise is added to B's payoff everywhere and
# decides nothing. (Each player's gain from going ahead depends on the other's choice, so the
# batch solver needs no exact re-solve of any draw, which keeps the test fast.)
THRESHOLD = """
negsim: 1
title: Threshold
parameters:
  x: {value: 5, about: decides A, unit: utils, distribution: {uniform: [0, 10]}}
  noise: {value: 0, about: shifts B's payoff only, unit: utils, distribution: {normal: [0, 1]}}
players:
  a: {name: A, strategies: [go, stay]}
  b: {name: B, strategies: [go, stay]}
payoffs:
  terms:
    - {to: a, when: a.go, value: x - 3.5}
    - {to: a, when: a.go and b.go, value: 1}
    - {to: b, when: b.go, value: 1}
    - {to: b, when: b.go and a.go, value: 0.5}
    - {to: b, value: noise}
outcomes:
  deal: a.go and b.go
  no deal: a.stay
variants:
  pinned:
    set: {x: 9}
"""

# Every distribution family, each parameter used once so the file loads without warnings.
FAMILIES = {
    "u": ("uniform: [2, 5]", stats.uniform(2, 3)),
    "n": ("normal: [1, 2]", stats.norm(1, 2)),
    "t": ("truncnormal: [0, 1, -0.5, 2]", stats.truncnorm(-0.5, 2, 0, 1)),
    "tri": ("triangular: [1, 3, 6]", stats.triang(2 / 5, 1, 5)),
    "b": ("beta: [2, 5]", stats.beta(2, 5)),
    "b4": ("beta: [2, 3, 10, 20]", stats.beta(2, 3, 10, 10)),
    "ln": ("lognormal: [0.2, 0.4]", stats.lognorm(0.4, scale=np.exp(0.2))),
}
SUPPORTS = {"u": (2, 5), "t": (-0.5, 2), "tri": (1, 6), "b": (0, 1), "b4": (10, 20), "ln": (0, np.inf)}


def _families_text() -> str:
    parameters = "\n".join(
        f"  {name}: {{value: {float(dist.mean()):.3f}, about: x, distribution: {{{spec}}}}}"
        for name, (spec, dist) in FAMILIES.items()
    )
    return f"""
negsim: 1
title: Families
parameters:
{parameters}
players:
  a: {{name: A, strategies: [go, stay]}}
  b: {{name: B, strategies: [go, stay]}}
payoffs:
  terms:
    - {{to: a, when: a.go, value: {" + ".join(FAMILIES)}}}
"""


@pytest.fixture(scope="module")
def threshold() -> negsim.Scenario:
    return negsim.loads(THRESHOLD, "threshold.yaml")


@pytest.fixture(scope="module")
def threshold_result(threshold: negsim.Scenario) -> SampleResult:
    return sample(threshold, 4000, seed=11)


@pytest.fixture(scope="module")
def neutrality() -> negsim.Scenario:
    return negsim.load(NEUTRALITY)


@pytest.fixture(scope="module")
def serial(neutrality: negsim.Scenario) -> SampleResult:
    # more than two blocks, the last one short
    return sample(neutrality, 2 * BLOCK_SIZE + 517, seed=4)


def _same(a: SampleResult, b: SampleResult) -> None:
    assert a.parameters_sampled == b.parameters_sampled
    for name in a.parameters_sampled:
        np.testing.assert_array_equal(a.values[name], b.values[name])
    np.testing.assert_array_equal(a.reached, b.reached)
    np.testing.assert_array_equal(a.equilibria.point, b.equilibria.point)
    np.testing.assert_array_equal(a.equilibria.payoffs, b.equilibria.payoffs)
    for mine, theirs in zip(a.equilibria.strategies, b.equilibria.strategies):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(a.outcome_probability, b.outcome_probability)
    assert a.to_json() == b.to_json()


# -- draws ----------------------------------------------------------------------------------------
def test_draws_match_each_family() -> None:
    scenario = negsim.loads(_families_text(), "families.yaml")
    n = 100_000
    values = draw_parameters(scenario, n, seed=3)
    for name, (_, dist) in FAMILIES.items():
        drawn = values[name]
        assert drawn.shape == (n,)
        mean, sd = float(dist.mean()), float(dist.std())
        assert abs(drawn.mean() - mean) < 5 * sd / np.sqrt(n), name
        assert abs(drawn.std() / sd - 1) < 0.02, name
        assert stats.kstest(drawn, dist.cdf).pvalue > 1e-4, name
        low, high = SUPPORTS.get(name, (-np.inf, np.inf))
        assert low <= drawn.min() and drawn.max() <= high, name


def test_draws_keep_the_other_parameters(threshold: negsim.Scenario) -> None:
    values = draw_parameters(threshold, 10, seed=1, parameters=["x"])
    np.testing.assert_array_equal(values["noise"], np.zeros(10))
    # a parameter's draws depend on the seed and its name, not on which others are drawn
    np.testing.assert_array_equal(values["x"], draw_parameters(threshold, 10, seed=1)["x"])
    # whole blocks do not depend on n
    first = draw_parameters(threshold, BLOCK_SIZE, seed=1)["x"]
    np.testing.assert_array_equal(first, draw_parameters(threshold, BLOCK_SIZE + 5, seed=1)["x"][:BLOCK_SIZE])


def test_variant_and_set_values_pin_parameters(threshold: negsim.Scenario) -> None:
    assert sampled_parameters(threshold) == ("x", "noise")
    assert sampled_parameters(threshold.variant("pinned")) == ("noise",)
    assert sampled_parameters(threshold.with_params(noise=0.5)) == ("x",)
    assert sampled_parameters(threshold.with_params(noise=0.5), ["noise"]) == ("noise",)
    result = sample(threshold.variant("pinned"), 50, seed=1)
    assert result.fixed["x"] == 9.0
    assert result.reached[:, 0].all()  # x = 9 > 2.5 at every draw
    assert any("x" in note and "fixes" in note for note in result.notes())
    only_x = sample(threshold, 20, seed=1, parameters=["x"])
    assert only_x.left_out == ("noise",) and only_x.pinned == ()
    assert "Not drawn, as asked, and kept at their values: noise." in only_x.notes()
    with pytest.raises(UsageError, match="fixed by the variant or by a set value"):
        sample(threshold.variant("pinned").with_params(noise=1), 10)


# -- statistics -----------------------------------------------------------------------------------
def test_known_probability(threshold_result: SampleResult) -> None:
    result = threshold_result
    deal = result.share("deal")
    assert deal.count == int(np.count_nonzero(result.values["x"] > 2.5))
    assert deal.low < 0.75 < deal.high
    assert deal.high - deal.low < 0.03
    assert (deal.low, deal.high) == pytest.approx(wilson(deal.count, 4000))
    np.testing.assert_array_equal(result.reached[:, 0], result.values["x"] > 2.5)
    np.testing.assert_array_equal(result.reached[:, 1], result.values["x"] < 2.5)
    assert result.several_equilibria.count == 0
    assert result.complete
    # B gets 1.5 + noise with a deal and 1 + noise without
    expected = np.where(result.values["x"] > 2.5, 1.5, 1.0) + result.values["noise"]
    np.testing.assert_allclose(result.mean_payoffs[:, 1], expected)
    assert result.payoffs.mean[1] == pytest.approx(expected.mean())


def test_wilson_interval() -> None:
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(62, 100) == pytest.approx((0.5221, 0.7090), abs=1e-4)
    assert wilson(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)


def test_sensitivity_puts_the_decisive_parameter_first(threshold_result: SampleResult) -> None:
    first, second = threshold_result.sensitivity
    assert first.parameter == "x"
    assert threshold_result.outcomes[first.outcome or 0] in ("deal", "no deal")
    np.testing.assert_array_equal(first.top, [1.0, 0.0])  # the top fifth: x > 8
    np.testing.assert_array_equal(first.bottom, [0.0, 1.0])  # the bottom fifth: x < 2, below 2.5
    assert second.parameter == "noise" and second.importance < 0.05
    # Spearman: B's payoff moves with noise (and a little with x), A's grows with x above 2.5
    assert second.correlation[1] > 0.9
    assert first.correlation[0] > 0.8
    sentences = threshold_result.sentences()
    assert any(
        s.startswith("x matters most: in its top fifth of draws deal is an equilibrium outcome 100%")
        for s in sentences
    )
    assert any(s.startswith("No clear effect") and "noise" in s for s in sentences)
    assert first.clear and not second.clear


def test_sentences(threshold_result: SampleResult) -> None:
    deal = threshold_result.share("deal")
    first = threshold_result.sentences()[0]
    assert first.startswith(
        f"deal is an equilibrium outcome in {100 * deal.probability:.0f}% of draws (95% interval "
    )
    assert "Several equilibria at once in no draw" in threshold_result.sentences()[2]


def test_json_document(threshold_result: SampleResult) -> None:
    document = threshold_result.to_json()
    assert list(document) == [
        "n",
        "seed",
        "parameters_sampled",
        "outcomes",
        "several_equilibria",
        "payoffs",
        "sensitivity",
        "summary",
        "notes",
    ]
    json.dumps(document, allow_nan=False)
    assert document["n"] == 4000 and document["seed"] == 11
    assert document["parameters_sampled"][0] == {
        "name": "x",
        "distribution": "uniform",
        "arguments": [0.0, 10.0],
    }
    deal = document["outcomes"]["deal"]
    assert set(deal) == {"probability", "low", "high"} and deal["low"] < 0.75 < deal["high"]
    assert document["several_equilibria"]["probability"] == 0.0
    payoffs = document["payoffs"]
    assert payoffs["unit"] == "utils"
    assert set(payoffs["all"]["players"]["A"]) == {"mean", "p5", "p25", "p50", "p75", "p95"}
    assert payoffs["by_outcome"]["deal"]["equilibria"] == threshold_result.share("deal").count
    assert document["sensitivity"][0]["parameter"] == "x"
    swing = document["sensitivity"][0]["swings"]["deal"]
    assert (swing["top"], swing["bottom"], swing["swing"]) == (1.0, 0.0, 1.0)
    assert 0 < swing["margin"] < 0.05
    assert document["sensitivity"][0]["clear"] and not document["sensitivity"][1]["clear"]
    assert document["summary"] == threshold_result.sentences()
    with_rows = threshold_result.to_json(records=True, records_limit=10)
    assert len(with_rows["records"]) == 10
    assert "first 10 of 4,000 rows" in with_rows["notes"][-1]


def test_records_are_lazy_rows(threshold_result: SampleResult) -> None:
    rows = threshold_result.records()
    assert isinstance(rows, GeneratorType)
    first = next(rows)
    assert first["draw"] == 0 and first["equilibrium"] == 1
    assert first["x"] == threshold_result.values["x"][0]
    assert first["outcomes"] == ("deal" if first["x"] > 2.5 else "no deal")
    assert first["plays: B"] == "go"
    assert sum(1 for _ in threshold_result.records()) == len(threshold_result.equilibria)
    assert len(list(threshold_result.records(limit=3))) == 3


def test_three_parties_search_pure_equilibria() -> None:
    result = sample(negsim.load(FOUR_PARTY), 300, seed=1)
    assert not result.complete
    assert result.parameters_sampled == ("credibility", "nato_value")
    assert any("only pure equilibria" in note for note in result.notes())
    assert "Several pure equilibria at once" in " ".join(result.sentences())


# -- reproducibility ------------------------------------------------------------------------------
def test_same_seed_same_result_on_two_workers(neutrality: negsim.Scenario, serial: SampleResult) -> None:
    calls: list[tuple[int, int]] = []
    parallel = sample(neutrality, serial.n, seed=4, workers=2, progress=lambda d, t: calls.append((d, t)))
    _same(serial, parallel)
    assert calls[0] == (0, 3) and calls[-1] == (3, 3) and len(calls) == 4


def test_workers_from_a_fork_server(
    neutrality: negsim.Scenario, serial: SampleResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # while other threads run, workers are not forked from this process but from a fork server
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 2)
    _same(serial, sample(neutrality, serial.n, seed=4, workers=2))


def test_scenario_from_text_on_two_workers(serial: SampleResult) -> None:
    text = NEUTRALITY.read_text(encoding="utf-8")
    scenario = negsim.loads(text, str(NEUTRALITY.with_name("not-a-file.yaml")))
    _same(serial, sample(scenario, serial.n, seed=4, workers=2))


def test_serial_progress_and_different_seeds(neutrality: negsim.Scenario, serial: SampleResult) -> None:
    calls: list[tuple[int, int]] = []
    again = sample(neutrality, serial.n, seed=4, progress=lambda d, t: calls.append((d, t)))
    _same(serial, again)
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    other = sample(neutrality, serial.n, seed=5, progress=True)  # no terminal here: no bar, no error
    assert not np.array_equal(other.values["guarantee_value"], serial.values["guarantee_value"])
    assert other.to_json() != serial.to_json()


def test_dask_gives_the_same_result(neutrality: negsim.Scenario, serial: SampleResult) -> None:
    pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (pip install 'negsim[distributed]')"
    )
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        _same(serial, sample(neutrality, serial.n, seed=4, scheduler=client))
        _same(serial, sample(neutrality, serial.n, seed=4, scheduler=cluster.scheduler_address))


def test_dask_missing_is_a_usage_error(neutrality: negsim.Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(UsageError, match=r"negsim\[distributed\]"):
        sample(neutrality, 10, scheduler="tcp://127.0.0.1:8786")


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n": 0}, "at least 1"),
        ({"n": -3}, "at least 1"),
        ({"n": 2.5}, "whole number"),
        ({"n": 10, "seed": -1}, "seed must be 0 or more"),
        ({"n": 10, "workers": 0}, "workers must be at least 1"),
        ({"n": 10, "parameters": ["nato_valu"]}, "unknown parameter 'nato_valu'"),
        ({"n": 10, "parameters": ["exposure"]}, "has no distribution"),
        ({"n": 10, "parameters": []}, "at least one parameter"),
        ({"n": 10, "scheduler": 42}, "scheduler must be"),
    ],
)
def test_bad_arguments(neutrality: negsim.Scenario, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        sample(neutrality, **arguments)  # type: ignore[arg-type]


def test_nothing_to_sample() -> None:
    plain = THRESHOLD.replace(", distribution: {uniform: [0, 10]}", "").replace(
        ", distribution: {normal: [0, 1]}", ""
    )
    scenario = negsim.loads(plain, "plain.yaml")
    with pytest.raises(
        UsageError, match=r"no parameter of 'Threshold' has a distribution.*distribution: \{uniform"
    ):
        sample(scenario, 10)
    with pytest.raises(UsageError, match="no parameter"):
        draw_parameters(scenario, 10)


def test_sequential_scenarios_are_refused() -> None:
    with pytest.raises(UsageError, match="strategic scenarios"):
        sample(negsim.load(SEQUENTIAL), 10)  # type: ignore[arg-type]


# -- charts ---------------------------------------------------------------------------------------
def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def test_shares_chart(threshold_result: SampleResult) -> None:
    data = charts.prepare_shares(threshold_result)
    assert data.outcomes == ("deal", "no deal")
    np.testing.assert_array_equal(data.probability, [s.probability for s in threshold_result.outcome_shares])
    np.testing.assert_array_equal(data.low, [s.low for s in threshold_result.outcome_shares])
    assert data.draws == "4,000 draws of x, noise"
    ax = charts.draw_shares(data)
    assert ax.get_title(loc="left") == "How often each outcome is an equilibrium: Threshold"
    assert ax.get_xlabel() == "draws where it is an equilibrium outcome (%)"
    assert ax.get_xlim() == (0, 100)
    assert _legend(ax) == ["share of draws", "95% interval"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["deal", "no deal"]
    assert {t.get_text() for t in ax.texts} >= {f"{100 * data.probability[0]:.0f}%"}


def test_tornado_chart(threshold_result: SampleResult) -> None:
    data = charts.prepare_tornado(threshold_result, "deal")
    assert data.parameters == ("x", "noise")
    np.testing.assert_array_equal(data.bottom, [s.bottom[0] for s in threshold_result.sensitivity])
    np.testing.assert_array_equal(data.top, [s.top[0] for s in threshold_result.sensitivity])
    assert data.overall == threshold_result.share("deal").probability
    assert data.labels[0] == "x\nuniform 0 to 10"
    assert charts.prepare_tornado(threshold_result).outcome == "deal"  # closest to one half (ties: first)
    ax = charts.draw_tornado(data)
    assert ax.get_title(loc="left") == "What moves deal: Threshold"
    assert ax.get_xlabel() == "draws where deal is an equilibrium outcome (%)"
    assert _legend(ax)[2:] == ["lowest fifth", "highest fifth", "all draws"]
    with pytest.raises(UsageError, match="unknown outcome 'dael'"):
        charts.prepare_tornado(threshold_result, "dael")


def test_payoffs_chart(threshold_result: SampleResult) -> None:
    data = charts.prepare_payoffs(threshold_result)
    assert data.players == ("A", "B")
    np.testing.assert_allclose(
        data.quantiles, np.percentile(threshold_result.equilibria.payoffs, [5, 25, 50, 75, 95], axis=0)
    )
    assert data.equilibria == 4000 and not data.mixed
    ax = charts.draw_payoffs(data)
    assert ax.get_title(loc="left") == "Equilibrium payoffs over the draws: Threshold"
    assert ax.get_xlabel() == "payoff (utils)"
    assert _legend(ax) == ["middle half", "median", "5th to 95th\npercentile", "mean"]


def test_all_charts_render(serial: SampleResult) -> None:
    figures = charts.figures(serial)
    assert list(figures) == ["sample-outcomes", "sample-sensitivity", "sample-payoffs"]
    for figure in figures.values():
        assert render(figure, "png").startswith(b"\x89PNG")
    with pytest.raises(UsageError, match="unknown outcome"):
        charts.figures(serial, "nowhere")
