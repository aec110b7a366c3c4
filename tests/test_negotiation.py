"""A scenario's negotiation: its bargaining problem, solutions, the bargain command and its chart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import negsim
from negsim.analysis.negotiation import bargaining_problem, negotiation
from negsim.cli import main
from negsim.errors import ScenarioError, UsageError
from negsim.plotting.bargaining import _clip, _hull, prepare

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scenarios" / "package_bargaining.yaml"
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"

BASE = """
negsim: 1
title: Split
parameters:
  patience: {value: 0.9, range: [0.01, 0.99], about: discount factor of both}
players:
  a: {name: A, strategies: [deal, walk]}
  b: {name: B, strategies: [deal, walk]}
payoffs:
  table:
    - {profile: {a: deal, b: deal}, payoffs: {a: 3, b: 1}}
    - {profile: {a: deal, b: walk}, payoffs: {a: 0, b: 0}}
    - {profile: {a: walk, b: deal}, payoffs: {a: 1, b: 3}}
    - {profile: {a: walk, b: walk}, payoffs: {a: 0, b: 0}}
outcomes:
  stalemate: a.walk and b.walk
"""


def test_package_disagreement_point_is_the_war_equilibrium() -> None:
    # the stage game's only equilibrium: keep the bid, no insistence, no pledge, fight on:
    # Ukraine 0, Russia neutrality 0 + battlefield_gain - war_cost = 1
    problem, how = bargaining_problem(negsim.load(PACKAGE))
    assert problem.disagreement.tolist() == [0.0, 1.0]
    assert "'war goes on'" in how
    full = problem.labels.index("full package")
    # Ukraine: -3 + 5 + 3 - 0.5 + 1 = 5.5; Russia: 4 - 0.5 - 1 = 2.5
    assert problem.points[full].tolist() == [5.5, 2.5]


def test_package_solutions_are_efficient_and_better_than_no_deal() -> None:
    talks = negotiation(negsim.load(PACKAGE))
    problem = talks.problem
    for solution in talks.solutions:
        assert np.all(solution.payoffs >= problem.disagreement - 1e-9)
        # no outcome (and so no lottery) gives both parties more
        assert not np.any(np.all(problem.points > solution.payoffs + 1e-9, axis=1))
    assert [o.first for o in talks.offers] == [0, 1]
    # each proposer gets more when it proposes first
    assert talks.offers[0].agreement.payoffs[0] >= talks.offers[1].agreement.payoffs[0]
    assert talks.offers[1].agreement.payoffs[1] >= talks.offers[0].agreement.payoffs[1]


def test_symmetric_split_and_explicit_disagreement() -> None:
    text = BASE + "bargaining:\n  disagreement: {a: 0, b: 0}\n  discount: {a: patience, b: patience}\n"
    with pytest.warns(negsim.DegenerateGameWarning):  # (walk, walk) ties: the game is degenerate
        talks = negotiation(negsim.loads(text, str(ROOT / "scenarios" / "split.yaml")))
    assert talks.how == "as given in the scenario"
    nash = talks.solutions[0]
    assert nash.payoffs.tolist() == pytest.approx([2.0, 2.0])  # the midpoint of (3,1)-(1,3) from (0,0)
    # equal patience: the first proposer gets more, and both offers straddle the Nash point
    first, second = (o.agreement.payoffs for o in talks.offers)
    assert first[0] > 2.0 > second[0]


def test_bargaining_section_names_are_checked() -> None:
    bad = BASE + "bargaining:\n  no_deal: stalemat\n  powers: {c: 1}\n"
    with pytest.raises(ScenarioError) as caught:
        negsim.loads(bad, "split.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any("unknown outcome 'stalemat'" in m and "did you mean 'stalemate'?" in m for m in messages)
    assert any("unknown player 'c'" in m for m in messages)
    both = BASE + "bargaining:\n  no_deal: stalemate\n  disagreement: {a: 0}\n"
    with pytest.raises(ScenarioError, match="either 'no_deal' or 'disagreement'"):
        negsim.loads(both, "split.yaml")


CHICKEN = """
negsim: 1
title: Chicken
players:
  a: {name: A, strategies: [swerve, hold]}
  b: {name: B, strategies: [swerve, hold]}
payoffs:
  table:
    - {profile: {a: swerve, b: swerve}, payoffs: {a: 2, b: 2}}
    - {profile: {a: swerve, b: hold}, payoffs: {a: 1, b: 3}}
    - {profile: {a: hold, b: swerve}, payoffs: {a: 3, b: 1}}
    - {profile: {a: hold, b: hold}, payoffs: {a: 0, b: 0}}
outcomes:
  crash: a.hold and b.hold
bargaining:
  no_deal: crash
"""


def test_no_deal_outcome_must_be_an_equilibrium() -> None:
    with pytest.raises(UsageError, match="no equilibrium of the game without a deal reaches 'crash'"):
        negotiation(negsim.loads(CHICKEN, str(ROOT / "scenarios" / "chicken.yaml")))


def test_bargain_command(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["bargain", str(PACKAGE)])
    assert shown.exit_code == 0, shown.output
    assert "Without a deal: Ukraine 0, Russia 1" in shown.output
    assert "Nash bargaining solution" in shown.output
    document = json.loads(runner.invoke(main, ["bargain", str(PACKAGE), "--json"]).stdout)
    assert {"disagreement", "points", "zopa", "solutions", "alternating_offers", "summary"} <= set(document)
    assert document["disagreement"] == {"Ukraine": 0.0, "Russia": 1.0}
    written = runner.invoke(main, ["bargain", str(NEUTRALITY), "-o", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "neutrality_for_guarantees-bargain.png").read_bytes().startswith(b"\x89PNG")
    tree = runner.invoke(main, ["bargain", str(ROOT / "scenarios" / "guarantee_credibility.yaml")])
    assert tree.exit_code == 2 and "strategic scenarios" in tree.stderr


def test_chart_geometry() -> None:
    square = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1]], dtype=float)
    hull = _hull(square)
    assert len(hull) == 4
    clipped = _clip(hull, np.array([1.0, 1.0]))
    assert sorted(map(tuple, clipped.tolist())) == [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]
    data = prepare(negotiation(negsim.load(PACKAGE)), "Package")
    assert np.all(data.zopa >= data.disagreement - 1e-12)
    assert data.solutions[0][0] == "Nash bargaining solution"


def test_sustain_a_guarantee_lowers_the_patience_needed(tmp_path: Path) -> None:
    """Full package: Russia gets 4 - 0.5 - 1 = 2.5; the war (the stage equilibrium) gives it 1.
    Without a guarantee its best breach (no pledge, fight on) gives 4 + 3 - 2 = 5, so it needs
    (5 - 2.5) / (5 - 1) = 0.625; with guarantee_strength 0.6 fighting on costs 3 more, and its
    best breach is dropping the pledge alone (3), needing (3 - 2.5) / (3 - 1) = 0.25."""
    runner = CliRunner()
    base = json.loads(
        runner.invoke(main, ["sustain", str(PACKAGE), "--outcome", "full package", "--json"]).stdout
    )
    bare = runner.invoke(
        main, ["sustain", str(PACKAGE), "--outcome", "full package", "--variant", "no guarantee", "--json"]
    )
    unguarded = json.loads(bare.stdout)
    assert base["critical_discount"] == pytest.approx(0.25)
    assert unguarded["critical_discount"] == pytest.approx(0.625)
    assert base["binding"] == unguarded["binding"] == "Russia"
    drawn = runner.invoke(
        main,
        [
            "sustain",
            str(PACKAGE),
            "--outcome",
            "full package",
            "--vary",
            "guarantee_strength=0:1:5",
            "-o",
            str(tmp_path),
        ],
    )
    assert drawn.exit_code == 0, drawn.output
    assert (
        (tmp_path / "package_bargaining-sustain-guarantee_strength.png").read_bytes().startswith(b"\x89PNG")
    )
    unknown = runner.invoke(main, ["sustain", str(PACKAGE), "--outcome", "full packag"])
    assert unknown.exit_code == 2 and "did you mean 'full package'?" in unknown.stderr


def test_solve_ranks_equilibria_and_finds_correlated_ones() -> None:
    document = json.loads(CliRunner().invoke(main, ["solve", str(NEUTRALITY), "--json"]).stdout)
    assert document["ranking"]["payoff_dominant"] == 1  # the settlement, equilibrium number 1
    welfare = document["correlated"]["welfare_maximising"]
    assert welfare["welfare"] == pytest.approx(9.0) and welfare["max_violation"] <= 1e-6


@pytest.mark.parametrize(
    ("bargaining", "phrase"),
    [
        ("  disagreement: {a: 0, b: 0}\n  discount: {a: 1.5, b: 0.9}\n", "strictly between 0 and 1"),
        ("  disagreement: {a: 0, b: 0}\n  discount: {a: 0, b: 0.9}\n", "strictly between 0 and 1"),
        ("  disagreement: {a: 5, b: 5}\n", "no feasible agreement is better than disagreement"),
    ],
)
def test_bargain_bad_inputs_exit_with_status_2(tmp_path: Path, bargaining: str, phrase: str) -> None:
    path = tmp_path / "split.yaml"
    path.write_text(BASE + "bargaining:\n" + bargaining, encoding="utf-8")
    done = CliRunner().invoke(main, ["bargain", str(path)])
    assert done.exit_code == 2 and phrase in done.stderr and "Traceback" not in done.output
