"""The ``negsim`` command line: help, solve (text and JSON), overrides, explain, schema, new, .nfg.

Expected equilibria of the bundled scenario, worked out by hand from the terms in its YAML
(Ukraine renounces with probability p, Russia pledges with probability q):

* payoffs (Ukraine, Russia): renounce+pledge (4-3+2, 4-1+3) = (3, 6); renounce+no pledge
  (1-3, 4) = (-2, 4); keep+pledge (2, -1); keep+no pledge (0, 0);
* pure equilibria: (renounce, pledge) with 3/6 and (keep, no pledge) with 0/0;
* mixed: Ukraine is indifferent when 3q - 2(1-q) = 2q, so q = 2/3 and it gets 4/3; Russia is
  indifferent when 6p - (1-p) = 4p, so p = 1/3 and it gets 4/3.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from negsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = str(ROOT / "scenarios" / "neutrality_for_guarantees.yaml")
NFG_FOLDER = ROOT / "tests" / "data" / "nfg"
STARTER = ROOT / "negsim" / "scenario" / "starter.yaml"


def invoke(*args: str) -> Result:
    """Run the command in-process with a wide terminal, so that sentences are not wrapped."""
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(args))


def words(text: str) -> str:
    """Text with every run of whitespace made one space (rich wraps long sentences)."""
    return " ".join(text.split())


def solve_json(*args: str) -> dict[str, Any]:
    result = invoke("solve", *args, "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def find(equilibria: list[dict[str, Any]], ukraine: str, probability: float) -> dict[str, Any]:
    (match,) = [
        e for e in equilibria if e["strategies"]["Ukraine"].get(ukraine) == pytest.approx(probability)
    ]
    return match


# -- help and version -----------------------------------------------------------------------------


def test_help() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("solve", "validate", "explain", "schema", "new"):
        assert command in result.stdout
    assert invoke("solve", "--help").exit_code == 0
    assert "--variant" in invoke("solve", "--help").stdout


def test_help_in_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "negsim", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert completed.returncode == 0
    assert "Commands:" in completed.stdout
    assert completed.stderr == ""


def test_version_from_a_source_checkout() -> None:
    """--version looked the version up in installed package metadata and crashed without it."""
    from negsim import __version__

    result = invoke("--version")
    assert result.exit_code == 0, result.output
    assert __version__ in result.stdout


# -- solve ----------------------------------------------------------------------------------------


def test_validate_bundled() -> None:
    result = invoke("validate", BUNDLED)
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        f"{BUNDLED}: valid: 2 players (2 x 2 strategies), 7 parameters, 4 outcomes, 3 variants"
    )
    assert result.stderr == ""


def test_solve_prints_table_and_sentences() -> None:
    result = invoke("solve", BUNDLED)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = words(result.stdout)
    assert "3 Nash equilibria (2 pure, 1 mixed); the search covered all of them." in text
    assert "Nash equilibria: Neutrality for guarantees" in text
    for heading in ("Ukraine plays", "Russia plays", "Ukraine gets", "Russia gets", "outcome"):
        assert heading in text
    assert (
        "1. Ukraine renounces its NATO bid and Russia signs a binding non-aggression pledge. "
        "Neither gains by changing its choice alone. This is the settlement outcome. "
        "Payoffs: Ukraine 3, Russia 6."
    ) in text
    assert (
        "2. Ukraine keeps its NATO bid and Russia gives no pledge. Neither gains by changing its choice "
        "alone. This is the continued confrontation outcome. Payoffs: Ukraine 0, Russia 0."
    ) in text
    assert "renounces its NATO bid (33.3%)" in text
    assert "signs a binding non-aggression pledge (66.7%)" in text
    assert "Payoffs: Ukraine 1.33, Russia 1.33." in text
    assert "Parameters: nato_value=3, guarantee_value=4" in text


def test_solve_json_shape_and_equilibria() -> None:
    document = solve_json(BUNDLED)
    assert {"players", "strategies", "equilibria", "complete", "degenerate", "method"} <= set(document)
    assert document["players"] == ["Ukraine", "Russia"]
    assert document["strategies"] == {
        "Ukraine": ["renounce NATO bid", "keep NATO bid"],
        "Russia": ["binding pledge", "no pledge"],
    }
    assert document["complete"] is True
    assert document["degenerate"] is False
    assert isinstance(document["method"], str) and document["method"]
    assert document["variant"] is None
    assert document["parameters"]["guarantee_value"] == 4.0
    equilibria = document["equilibria"]
    assert len(equilibria) == 3
    for equilibrium in equilibria:
        assert {"strategies", "payoffs", "max_regret", "outcomes"} <= set(equilibrium)
        assert set(equilibrium["strategies"]) == {"Ukraine", "Russia"}
        for player, mix in equilibrium["strategies"].items():
            assert set(mix) <= set(document["strategies"][player])
            assert sum(mix.values()) == pytest.approx(1.0)
        assert set(equilibrium["payoffs"]) == {"Ukraine", "Russia"}
        assert 0 <= equilibrium["max_regret"] <= 1e-6
        assert isinstance(equilibrium["outcomes"], list)

    settlement = find(equilibria, "renounce NATO bid", 1.0)
    assert settlement["strategies"]["Russia"] == {"binding pledge": 1.0}
    assert settlement["payoffs"] == {"Ukraine": 3.0, "Russia": 6.0}
    assert settlement["outcomes"] == ["settlement"]

    confrontation = find(equilibria, "keep NATO bid", 1.0)
    assert confrontation["strategies"]["Russia"] == {"no pledge": 1.0}
    assert confrontation["payoffs"] == {"Ukraine": 0.0, "Russia": 0.0}
    assert confrontation["outcomes"] == ["continued confrontation"]

    mixed = find(equilibria, "renounce NATO bid", 1 / 3)
    assert mixed["strategies"]["Ukraine"]["keep NATO bid"] == pytest.approx(2 / 3)
    assert mixed["strategies"]["Russia"]["binding pledge"] == pytest.approx(2 / 3)
    assert mixed["strategies"]["Russia"]["no pledge"] == pytest.approx(1 / 3)
    assert mixed["payoffs"]["Ukraine"] == pytest.approx(4 / 3)
    assert mixed["payoffs"]["Russia"] == pytest.approx(4 / 3)
    assert set(mixed["outcomes"]) == {
        "settlement",
        "exposed neutrality",
        "unanswered pledge",
        "continued confrontation",
    }


def test_solve_json_in_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "negsim", "solve", BUNDLED, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)["equilibria"]) == 3


def test_set_gives_a_single_settlement() -> None:
    # guarantee 8: renouncing pays Ukraine 8-3+2 = 7 or 8-3-3 = 2, always more than keeping (2 or 0)
    document = solve_json(BUNDLED, "--set", "guarantee_value=8")
    assert document["parameters"]["guarantee_value"] == 8.0
    (only,) = document["equilibria"]
    assert only["strategies"] == {"Ukraine": {"renounce NATO bid": 1.0}, "Russia": {"binding pledge": 1.0}}
    assert only["payoffs"] == {"Ukraine": 7.0, "Russia": 6.0}
    assert only["outcomes"] == ["settlement"]


def test_repeated_set() -> None:
    document = solve_json(BUNDLED, "--set", "guarantee_value=8", "--set", "pledge_cost=2.5")
    assert document["parameters"]["pledge_cost"] == 2.5
    (only,) = document["equilibria"]
    assert only["payoffs"] == {"Ukraine": 7.0, "Russia": 4.5}


def test_variant_no_guarantee() -> None:
    # guarantee 0: keeping the bid pays Ukraine more whatever Russia does (2 > -1, 0 > -6)
    document = solve_json(BUNDLED, "--variant", "no guarantee")
    assert document["variant"] == "no guarantee"
    assert document["parameters"]["guarantee_value"] == 0.0
    (only,) = document["equilibria"]
    assert only["strategies"] == {"Ukraine": {"keep NATO bid": 1.0}, "Russia": {"no pledge": 1.0}}
    assert only["outcomes"] == ["continued confrontation"]
    text = words(invoke("solve", BUNDLED, "--variant", "no guarantee").stdout)
    assert "Neutrality for guarantees (no guarantee)" in text


def test_set_overrides_variant() -> None:
    document = solve_json(BUNDLED, "--variant", "no guarantee", "--set", "guarantee_value=8")
    assert document["parameters"]["guarantee_value"] == 8.0
    assert len(document["equilibria"]) == 1


def test_set_outside_range_warns_but_solves() -> None:
    result = invoke("solve", BUNDLED, "--set", "guarantee_value=11")
    assert result.exit_code == 0
    assert "negsim: warning: guarantee_value = 11 lies outside its plausible range [0, 10]" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--variant", "no guarantees"], "unknown variant 'no guarantees'; did you mean 'no guarantee'?"),
        (
            ["--set", "guarante_value=8"],
            "unknown parameter 'guarante_value'; did you mean 'guarantee_value'?",
        ),
        (["--set", "guarantee_value"], "--set expects NAME=VALUE, got 'guarantee_value'"),
        (["--set", "guarantee_value=lots"], "--set guarantee_value: 'lots' is not a number"),
        (["--set", "guarantee_value=inf"], "needs a finite number"),
        (["--method", "bogus"], "unknown method 'bogus'"),
        (["--tol", "-1"], "the tolerance must be a finite number >= 0"),
        (["--tol", "nan"], "the tolerance must be a finite number >= 0"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], message: str) -> None:
    result = invoke("solve", BUNDLED, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_exception() -> None:
    from negsim.errors import UsageError

    result = invoke("--debug", "solve", BUNDLED, "--variant", "nope")
    assert isinstance(result.exception, UsageError)
    # the flag does not stick to later runs
    assert invoke("solve", BUNDLED, "--variant", "nope").exit_code == 2


def test_methods() -> None:
    pure = solve_json(BUNDLED, "--method", "pure")
    assert len(pure["equilibria"]) == 2
    assert all(len(m) == 1 for e in pure["equilibria"] for m in e["strategies"].values())
    assert len(solve_json(BUNDLED, "--method", "enumerate")["equilibria"]) == 3


def test_pure_only_search_does_not_claim_zero_mixed_equilibria() -> None:
    """Four parties are scanned for pure equilibria only; "0 mixed" read as "there are none"."""
    result = invoke("solve", str(ROOT / "scenarios" / "four_party_package.yaml"))
    assert result.exit_code == 0, result.stderr
    text = words(result.stdout)
    expected = "2 pure Nash equilibria; every pure profile was checked, mixed equilibria were not searched."
    assert expected in text
    assert "0 mixed" not in text
    two_player = words(invoke("solve", BUNDLED, "--method", "pure").stdout)
    assert "2 pure Nash equilibria; every pure profile was checked" in two_player
    nau = solve_json(str(NFG_FOLDER / "nau_three_player.nfg"))
    assert nau["summary"].startswith("No pure Nash equilibrium; every pure profile was checked")
    assert "at least one mixed equilibrium" in nau["summary"]


def test_huge_payoffs_are_written_compactly() -> None:
    result = invoke("solve", BUNDLED, "--set", "guarantee_value=1e20")
    assert result.exit_code == 0, result.stderr
    assert "Payoffs: Ukraine 1e+20, Russia 6." in words(result.stdout)


# -- explain and schema ---------------------------------------------------------------------------


def test_explain_shows_claim_verification() -> None:
    result = invoke("explain", BUNDLED)
    assert result.exit_code == 0, result.stderr
    text = words(result.stdout)
    assert "ru-nonaggression-pledge (UNVERIFIED)" in text
    assert "ua-renounce-nato (reported)" in text
    assert "ua-nato-aspiration (established)" in text
    assert "Neutrality for guarantees" in text
    for name in ("guarantee_value", "pledge_cost", "settlement"):
        assert name in text


def test_schema_is_json() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert {"negsim", "title", "players", "payoffs", "parameters", "variants"} <= set(document["properties"])
    assert set(document["required"]) >= {"negsim", "title", "players", "payoffs"}
    assert document["$schema"].startswith("https://json-schema.org/")


# -- new ------------------------------------------------------------------------------------------

needs_starter = pytest.mark.skipif(not STARTER.is_file(), reason="the starter scenario is not written yet")


@needs_starter
def test_new_writes_a_starter_that_validates_and_solves(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    result = invoke("new", str(path))
    assert result.exit_code == 0, result.stderr
    assert path.is_file()
    assert f"wrote {path}" in result.stdout
    assert path.read_text(encoding="utf-8") == STARTER.read_text(encoding="utf-8")
    validated = invoke("validate", str(path))
    assert validated.exit_code == 0, validated.stderr
    assert "valid:" in validated.stdout
    assert validated.stderr == ""
    solved = invoke("solve", str(path))
    assert solved.exit_code == 0, solved.stderr
    assert "Nash equilibri" in solved.stdout
    assert json.loads(invoke("solve", str(path), "--json").stdout)["equilibria"]
    assert list(tmp_path.iterdir()) == [path], "no temporary file is left behind"


@needs_starter
def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    result = invoke("new", str(path))
    assert result.exit_code == 2
    assert "already exists; use --force to overwrite it" in result.stderr
    assert path.read_text(encoding="utf-8") == "my own work\n"
    forced = invoke("new", str(path), "--force")
    assert forced.exit_code == 0
    assert path.read_text(encoding="utf-8") == STARTER.read_text(encoding="utf-8")


@needs_starter
def test_new_quotes_a_path_with_spaces_in_its_hint(tmp_path: Path) -> None:
    path = tmp_path / "my case.yaml"
    result = invoke("new", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"try: negsim solve '{path}'" in result.stdout


@needs_starter
def test_validate_counts_agree_in_number(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    assert invoke("new", str(path)).exit_code == 0
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("2 parameters, 2 outcomes, 1 variant")


def test_new_into_a_missing_folder(tmp_path: Path) -> None:
    result = invoke("new", str(tmp_path / "no" / "such" / "mine.yaml"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


# -- Gambit .nfg files ----------------------------------------------------------------------------


def _nfg_files() -> list[Path]:
    if importlib.util.find_spec("negsim.io.nfg") is None:
        return []
    return sorted(NFG_FOLDER.glob("*.nfg"))


@pytest.mark.parametrize("path", _nfg_files() or [None], ids=lambda p: p.stem if p else "none")
def test_nfg_file_solves(path: Path | None) -> None:
    if path is None:
        pytest.skip("no Gambit reader or no .nfg test files yet")
    result = invoke("solve", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["players"]) >= 2
    # games with three or more players are only scanned for pure equilibria, which may not exist
    assert document["equilibria"] or not document["complete"]
    if len(document["players"]) == 2:
        assert document["complete"] and document["equilibria"]
    assert invoke("solve", str(path)).exit_code == 0


def test_prisoners_dilemma_nfg() -> None:
    path = NFG_FOLDER / "prisoners_dilemma.nfg"
    if importlib.util.find_spec("negsim.io.nfg") is None or not path.is_file():
        pytest.skip("no Gambit reader or no prisoners' dilemma file yet")
    document = solve_json(str(path))
    (only,) = document["equilibria"]
    assert all(len(mix) == 1 for mix in only["strategies"].values())
    assert document["variant"] is None and document["parameters"] == {}  # keys the README documents
    refused = invoke("solve", str(path), "--set", "x=1")
    assert refused.exit_code == 2
    assert "apply to scenario files, not Gambit .nfg files" in refused.stderr


def test_a_better_equilibrium_is_named_before_an_unstable_better_profile() -> None:
    """Regression: the sentence named only the best-total dominating profile (unstable here) and
    so hid that another equilibrium is better for both."""
    from negsim import NormalFormGame, solve
    from negsim.report.words import describe

    # (bottom, right) pays (10, 10) but Ann would leave it for the top row; (middle, centre)
    # pays (2, 2) and is an equilibrium that beats (top, left) for both
    row = [[1, 0, 11], [0, 2, 0], [0, 0, 10]]
    column = [[1, 0, 0], [0, 2, 0], [0, 0, 10]]
    result = solve(NormalFormGame.from_matrices(row, column, ["Ann", "Bob"]))
    worst = next(e for e in result.equilibria if e.is_pure and e.supports == ((0,), (0,)))
    number = 1 + next(i for i, e in enumerate(result.equilibria) if e.supports == ((1,), (1,)))
    text = describe(result, worst)
    assert f"Equilibrium number {number} is at least as good for everyone" in text
