"""The what-if commands as a user runs them: sweep, threshold and sample (compare has its own file)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
NEUTRALITY = str(ROOT / "scenarios" / "neutrality_for_guarantees.yaml")
TREE = str(ROOT / "scenarios" / "guarantee_credibility.yaml")


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def test_sweep_json_and_files(tmp_path: Path) -> None:
    done = invoke("sweep", NEUTRALITY, "--vary", "guarantee_value=0:10:11", "--json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
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
    assert document["varied"][0]["values"] == [float(v) for v in range(11)]
    # settlement is a pure equilibrium from guarantee_value 3 on (see the test of the batch solver)
    assert document["regions"]["settlement"] == [[3.0, 10.0]]
    written = invoke("sweep", NEUTRALITY, "--vary", "guarantee_value=0:10:11", "-o", str(tmp_path))
    assert written.exit_code == 0, written.output
    stem = tmp_path / "neutrality_for_guarantees-sweep-guarantee_value"
    assert Path(f"{stem}.png").read_bytes().startswith(b"\x89PNG")
    with open(f"{stem}.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(document["records"])
    assert rows[0]["guarantee_value"] == "0.0" and "payoff: Ukraine" in rows[0]


@pytest.mark.parametrize(
    ("vary", "phrase"),
    [
        ("guarantee_valu=0:10:11", "did you mean 'guarantee_value'?"),
        ("guarantee_value=0:10:1", "at least 2"),
        ("guarantee_value=5:5:11", "START"),
        ("guarantee_value=a:10:11", "number"),
        ("guarantee_value", "NAME=START:STOP:STEPS"),
    ],
)
def test_sweep_bad_ranges_are_refused(vary: str, phrase: str) -> None:
    done = invoke("sweep", NEUTRALITY, "--vary", vary)
    assert done.exit_code == 2
    assert phrase in done.stderr and "Traceback" not in done.output


def test_sweep_of_three_parameters_is_refused() -> None:
    varies = ["--vary", "guarantee_value=0:1:2", "--vary", "nato_value=0:1:2", "--vary", "exposure=0:1:2"]
    done = invoke("sweep", NEUTRALITY, *varies)
    assert done.exit_code == 2 and "Traceback" not in done.output


def test_threshold_finds_the_tipping_point_to_the_stated_precision() -> None:
    done = invoke("threshold", NEUTRALITY, "--vary", "guarantee_value", "--outcome", "settlement", "--json")
    assert done.exit_code == 0, done.output
    (point,) = json.loads(done.stdout)["thresholds"]
    assert point["low"] <= 3.0 <= point["high"] and point["width"] < 1e-7
    assert "settlement" in point["starts"]
    narrow = invoke("threshold", NEUTRALITY, "--vary", "guarantee_value=2:4:11", "--json")
    assert [round(t["value"], 6) for t in json.loads(narrow.stdout)["thresholds"]] == [3.0]
    unknown = invoke("threshold", NEUTRALITY, "--vary", "guarantee_value", "--outcome", "setlement")
    assert unknown.exit_code == 2 and "did you mean 'settlement'?" in unknown.stderr


def test_sample_json_is_reproducible_whatever_the_workers() -> None:
    one = invoke("sample", NEUTRALITY, "-n", "3000", "--seed", "7", "--json")
    two = invoke("sample", NEUTRALITY, "-n", "3000", "--seed", "7", "--workers", "2", "--json")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout) == json.loads(two.stdout)
    document = json.loads(one.stdout)
    assert {"n", "seed", "parameters_sampled", "outcomes", "sensitivity", "summary", "notes"} <= set(document)
    assert document["n"] == 3000 and document["seed"] == 7
    other = json.loads(invoke("sample", NEUTRALITY, "-n", "3000", "--seed", "8", "--json").stdout)
    assert other["outcomes"] != document["outcomes"]


@pytest.mark.parametrize(
    ("arguments", "phrase"),
    [
        (["-n", "0"], "at least 1"),
        (["-n", "-5"], "at least 1"),
        (["-n", "10", "--workers", "0"], "--workers"),
        (["-n", "10", "--parameter", "exposure"], "exposure"),
        (["-n", "10", "--parameter", "nope"], "nope"),
    ],
)
def test_sample_bad_inputs_are_refused(arguments: list[str], phrase: str) -> None:
    done = invoke("sample", NEUTRALITY, *arguments)
    assert done.exit_code == 2, done.output
    assert phrase in done.stderr and "Traceback" not in done.output


@pytest.mark.parametrize("command", ["sweep", "threshold", "sample"])
def test_what_if_commands_refuse_game_trees(command: str) -> None:
    extra = {
        "sweep": ["--vary", "offer_cost=0:5:3"],
        "threshold": ["--vary", "offer_cost"],
        "sample": ["-n", "5"],
    }
    done = invoke(command, TREE, *extra[command])
    assert done.exit_code == 2 and "strategic scenarios" in done.stderr
