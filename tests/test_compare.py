"""negsim compare: variants side by side, with what changed said in words."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import negsim
from negsim.cli import main
from negsim.whatif.compare import compare

ROOT = Path(__file__).resolve().parent.parent
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"


def test_strong_guarantee_leaves_only_the_settlement() -> None:
    comparison = compare(negsim.load(NEUTRALITY), ["strong guarantee"])
    base, strong = comparison.rows
    assert base.reached == {
        "settlement": "pure",
        "continued confrontation": "pure",
        "exposed neutrality": "mixed",
        "unanswered pledge": "mixed",
    }
    # guarantee_value 8: Ukraine renounces whatever Russia does (8 - 3 - 3 = 2 > 0), so Russia pledges
    assert strong.reached == {"settlement": "pure"}
    assert strong.payoff_range(0) == (7.0, 7.0)  # 8 - 3 + 2
    assert strong.payoff_range(1) == (6.0, 6.0)  # 4 - 1 + 3
    sentence = comparison.sentences()[1]
    assert sentence.startswith("With 'strong guarantee' (guarantees worth far more")
    assert "continued confrontation, exposed neutrality and unanswered pledge are no longer" in sentence
    assert "Ukraine's equilibrium payoff is 7 (base: between 0 and 3)" in sentence


def test_every_variant_by_default_and_overrides_hold_in_every_row() -> None:
    scenario = negsim.load(FOUR_PARTY).with_params(credibility=0.9)
    comparison = compare(scenario)
    assert [row.label for row in comparison.rows] == ["base scenario", *scenario.variants]
    for row in comparison.rows:
        assert row.result.game.title.startswith(scenario.title)
    assert comparison.rows[0].result.game.payoffs.tolist() == scenario.game().payoffs.tolist()


def test_cli_table_json_and_chart(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["compare", str(NEUTRALITY), "--variant", "no guarantee"])
    assert shown.exit_code == 0, shown.output
    assert "Variants compared: Neutrality for guarantees" in shown.output
    assert "With 'no guarantee'" in shown.output
    document = json.loads(runner.invoke(main, ["compare", str(NEUTRALITY), "--json"]).stdout)
    assert set(document) == {"file", "parameters", "title", "players", "outcomes", "variants", "summary"}
    assert [v["variant"] for v in document["variants"]] == [
        None,
        "no guarantee",
        "strong guarantee",
        "costly pledge",
    ]
    assert document["variants"][2]["outcomes"] == {"settlement": "pure"}
    written = runner.invoke(main, ["compare", str(NEUTRALITY), "-o", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "neutrality_for_guarantees-compare.png").read_bytes().startswith(b"\x89PNG")


def test_cli_refuses_unknown_variants_trees_and_gambit_files() -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["compare", str(NEUTRALITY), "--variant", "strong guarantx"])
    assert unknown.exit_code == 2 and "did you mean 'strong guarantee'?" in unknown.stderr
    tree = runner.invoke(main, ["compare", str(ROOT / "scenarios" / "guarantee_credibility.yaml")])
    assert tree.exit_code == 2 and "applies to strategic scenarios" in tree.stderr
    gambit = runner.invoke(main, ["compare", str(ROOT / "tests" / "data" / "nfg" / "prisoners_dilemma.nfg")])
    assert gambit.exit_code == 2 and "not a Gambit file" in gambit.stderr
    assert "Traceback" not in unknown.output + tree.output + gambit.output
