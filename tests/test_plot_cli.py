"""``negsim plot`` as a user runs it: which charts, which files, no silent overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

EXPECTED = {
    "neutrality_for_guarantees": ["matrix", "outcomes", "mixed", "best-response", "payoff-space", "variants"],
    "guarantee_strength": ["matrix", "outcomes", "mixed", "payoff-space", "variants"],
    "four_party_package": ["outcomes", "mixed", "payoff-space", "variants"],
}


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_plot_writes_every_chart_that_applies(stem: str, tmp_path: Path) -> None:
    result = invoke("plot", str(SCENARIOS / f"{stem}.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{stem}-{kind}.png" for kind in EXPECTED[stem])
    for path in tmp_path.iterdir():
        assert path.read_bytes().startswith(b"\x89PNG")
        assert f"wrote {path}" in result.stdout


def test_plot_refuses_to_overwrite_and_force_replaces(tmp_path: Path) -> None:
    path = str(SCENARIOS / "neutrality_for_guarantees.yaml")
    assert invoke("plot", path, "--kind", "matrix", "-o", str(tmp_path)).exit_code == 0
    target = tmp_path / "neutrality_for_guarantees-matrix.png"
    target.write_bytes(b"mine")
    again = invoke("plot", path, "--kind", "matrix", "--kind", "mixed", "-o", str(tmp_path))
    assert again.exit_code == 2
    assert "already exists; use --force" in again.stderr
    assert target.read_bytes() == b"mine"
    assert not (tmp_path / "neutrality_for_guarantees-mixed.png").exists(), "all or nothing"
    forced = invoke("plot", path, "--kind", "matrix", "-o", str(tmp_path), "--force")
    assert forced.exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_plot_formats_and_variants(tmp_path: Path) -> None:
    path = str(SCENARIOS / "four_party_package.yaml")
    result = invoke(
        "plot", path, "--kind", "outcomes", "--variant", "US only", "--format", "svg", "-o", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    (svg,) = tmp_path.iterdir()
    assert svg.name == "four_party_package-us-only-outcomes.svg"
    assert "<svg" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind", "best-response", str(SCENARIOS / "four_party_package.yaml")], "does not apply"),
        (["--kind", "matrx", str(SCENARIOS / "neutrality_for_guarantees.yaml")], "did you mean 'matrix'?"),
        (["--set", "nope=1", str(SCENARIOS / "neutrality_for_guarantees.yaml")], "unknown parameter 'nope'"),
    ],
)
def test_plot_errors_exit_2_and_write_nothing(arguments: list[str], message: str, tmp_path: Path) -> None:
    result = invoke("plot", *arguments, "-o", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_plot_reads_gambit_files(tmp_path: Path) -> None:
    result = invoke(
        "plot", str(ROOT / "tests" / "data" / "nfg" / "prisoners_dilemma.nfg"), "-o", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir()}
    assert "prisoners_dilemma-matrix.png" in names


def test_charts_drawn_in_parallel_match_charts_drawn_one_by_one() -> None:
    import negsim
    from negsim.plotting.charts import KINDS, ChartInput, render, render_all

    chart_input = ChartInput.from_scenario(negsim.load(SCENARIOS / "neutrality_for_guarantees.yaml"))
    kinds = [KINDS["matrix"], KINDS["mixed"], KINDS["best-response"]]
    together = render_all(chart_input, kinds, "png")
    one_by_one = [render(kind.figure(chart_input), "png") for kind in kinds]
    assert together == one_by_one
