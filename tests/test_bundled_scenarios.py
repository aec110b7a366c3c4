"""Every bundled article scenario, end to end, with values checked by hand from its terms."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import negsim
from negsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_at_least_three_scenarios() -> None:
    assert len(SCENARIOS) >= 5


def _sequential(path: Path) -> bool:
    return "kind: sequential" in path.read_text(encoding="utf-8")


STRATEGIC = [path for path in SCENARIOS if not _sequential(path)]
SEQUENTIAL = [path for path in SCENARIOS if _sequential(path)]


@pytest.mark.parametrize("path", STRATEGIC, ids=lambda p: p.stem)
def test_solve_json_shape(path: Path) -> None:
    outcome = CliRunner().invoke(main, ["solve", str(path), "--json"])
    assert outcome.exit_code == 0, outcome.output
    document = json.loads(outcome.stdout)
    assert set(document) >= {"players", "strategies", "equilibria", "complete", "degenerate", "method"}
    assert document["equilibria"]
    for equilibrium in document["equilibria"]:
        assert set(equilibrium["strategies"]) == set(document["players"])
        for player, mix in equilibrium["strategies"].items():
            assert set(mix) <= set(document["strategies"][player])
            assert sum(mix.values()) == pytest.approx(1.0)
        assert equilibrium["max_regret"] <= document["tolerance"]
        assert equilibrium["outcomes"], "every equilibrium of a bundled scenario reaches a named outcome"


@pytest.mark.parametrize("path", SEQUENTIAL, ids=lambda p: p.stem)
def test_sequential_solve_json_shape(path: Path) -> None:
    outcome = CliRunner().invoke(main, ["solve", str(path), "--json"])
    assert outcome.exit_code == 0, outcome.output
    document = json.loads(outcome.stdout)
    assert document["kind"] == "sequential"
    assert set(document) >= {"players", "spe", "equilibria", "commitments", "summary", "notes"}
    for spe in document["spe"]:
        assert {"path", "plan", "payoffs", "plays", "outcomes", "description"} <= set(spe)
        assert all(set(step) >= {"player", "move"} for step in spe["path"])
    assert any(e["credible"] for e in document["equilibria"])
    for equilibrium in document["equilibria"]:
        assert equilibrium["credible"] == (not equilibrium["lapses"])
        assert equilibrium["max_regret"] <= 1e-6


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_variant_solves_and_every_claim_is_known(path: Path) -> None:
    scenario = negsim.load(path)
    for name in scenario.variants:
        result = scenario.variant(name).solve()
        if _sequential(path):
            assert any(result.credible)
        else:
            assert result.equilibria
    assert scenario.claims.claims, "article scenarios cite the seeds"


def test_four_party_base_has_settlement_and_war() -> None:
    result = negsim.load(ROOT / "scenarios" / "four_party_package.yaml").solve()
    assert not result.complete  # four players: pure equilibria only
    assert any("mixed equilibria were not searched" in note for note in result.notes)
    tags = sorted(tuple(e.outcomes) for e in result.equilibria)
    assert tags == [("comprehensive settlement",), ("continued war",)]
    settlement = next(e for e in result.equilibria if "comprehensive settlement" in e.outcomes)
    # Ukraine: -nato 3 + peace 5 + 0.6*4 + 0.6*3 + pledge 1.5 = 7.7; Russia: 4 - 2.5 - 1 + 2 = 2.5
    # each guarantor: -1.5 + 2 + 3 + 2 = 5.5
    np.testing.assert_allclose(settlement.payoffs, [2.5, 7.7, 5.5, 5.5])


def test_four_party_variants_change_the_answer() -> None:
    scenario = negsim.load(ROOT / "scenarios" / "four_party_package.yaml")
    none = scenario.variant("no guarantee").solve()
    assert [e.outcomes for e in none.equilibria] == [("continued war",)]
    joint = scenario.variant("joint").solve()
    assert [e.outcomes for e in joint.equilibria] == [("comprehensive settlement",)]


def test_guarantee_strength_has_no_pure_equilibrium() -> None:
    result = negsim.load(ROOT / "scenarios" / "guarantee_strength.yaml").solve()
    assert result.complete
    assert len(result.equilibria) == 1
    (equilibrium,) = result.equilibria
    assert not equilibrium.is_pure
    # Russia mixes probe and attack so the guarantors are indifferent between assurances and a
    # treaty: 3.1 q - 8.5 (1 - q) = 2.8 q - 6 (1 - q)  ->  q = 2.5 / 2.8
    guarantors, russia = equilibrium.strategies
    np.testing.assert_allclose(russia, [0, 2.5 / 2.8, 0.3 / 2.8], atol=1e-9)
    # the guarantors mix so Russia is indifferent between probing and attacking:
    # 1.4 p + 0.2 (1 - p) = 3.2 p - 0.4 (1 - p) with p on assurances  ->  p = 0.25
    np.testing.assert_allclose(guarantors, [0.25, 0.75, 0], atol=1e-9)
