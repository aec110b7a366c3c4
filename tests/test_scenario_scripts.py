"""Scenario scripts run as the README shows and write their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def test_guarantee_threshold_script_writes_its_figure(tmp_path: Path) -> None:
    target = tmp_path / "threshold.png"
    done = subprocess.run(
        [sys.executable, "scenarios/guarantee_threshold.py", str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x89PNG")
    assert "wrote" in done.stdout


def test_guarantee_threshold_ranges_match_the_payoff_terms() -> None:
    """Ukraine renounces first once guarantees beat the exposure: g - 3 - 3 > 0, i.e. g > 6;
    below g = 3 renouncing never pays even with a pledge (g - 3 + 2 < 2)."""
    sys.path.insert(0, str(ROOT / "scenarios"))
    try:
        import guarantee_threshold as script
    finally:
        sys.path.remove(str(ROOT / "scenarios"))
    values = np.array([2.0, 4.5, 8.0])
    labels = [script.stable_outcomes(r) for r in script.solve_over(values)]
    assert labels == ["continued confrontation", "continued confrontation or settlement", "settlement"]


def test_settlement_odds_script_writes_its_figure(tmp_path: Path) -> None:
    target = tmp_path / "odds.png"
    done = subprocess.run(
        [sys.executable, "scenarios/settlement_odds.py", str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x89PNG")


def test_settlement_odds_follow_the_terms() -> None:
    """With the guarantee worth nothing, renouncing never pays (-nato_value < 0 with nato_value >= 1);
    with it worth 10, Ukraine renounces whatever Russia does once 10 - nato_value - exposure > 0,
    which holds for every draw (nato_value <= 6, exposure = 3 fixed)."""
    sys.path.insert(0, str(ROOT / "scenarios"))
    try:
        import settlement_odds as script
    finally:
        sys.path.remove(str(ROOT / "scenarios"))
    odds = script.odds_over(np.array([0.0, 10.0]), draws=500)
    assert odds[0, 0] == 0.0 and odds[1, 0] == 1.0
    assert np.all(odds[:, 1] <= odds[:, 0]) and np.all(odds[:, 0] <= odds[:, 2])
