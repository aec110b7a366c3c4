"""Documentation runs: the format reference's examples and the README's commands and script."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import negsim
from negsim.scenario.sequential import SequentialScenario

ROOT = Path(__file__).resolve().parent.parent


def _blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


FORMAT_EXAMPLES = _blocks(ROOT / "scenarios" / "README.md", "yaml")


def test_format_reference_has_examples() -> None:
    assert len(FORMAT_EXAMPLES) >= 4


@pytest.mark.parametrize("index", range(len(FORMAT_EXAMPLES)))
def test_format_reference_example_loads_and_solves(index: int) -> None:
    scenario = negsim.loads(FORMAT_EXAMPLES[index], str(ROOT / "scenarios" / f"example{index}.yaml"))
    for candidate in [scenario, *(scenario.variant(name) for name in scenario.variants)]:
        result = candidate.solve()
        if isinstance(candidate, SequentialScenario):
            assert result.spe is not None or result.nash is not None
            assert (result.spe is not None and len(result.spe)) or any(result.credible)
        else:
            assert result.equilibria


def test_readme_quickstart_has_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.lstrip().startswith("# negsim")
    quickstart = text.split("## Quickstart", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", quickstart, flags=re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "negsim solve scenarios/" in commands[0]
    assert "pytest" in commands[1]


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scripts = _blocks(ROOT / "README.md", "python")
    assert len(scripts) >= 3
    monkeypatch.chdir(ROOT)
    for script in scripts:
        code = compile(script, "README.md", "exec")
        exec(code, {})  # the README's own examples, run as documentation
    out = capsys.readouterr().out
    assert "settlement" in out
    assert "['renounce NATO bid', 'offer guarantee'" in out
    assert "[(3.0, 10.0)]" in out


@pytest.mark.parametrize(
    "line",
    [
        line
        for block in _blocks(ROOT / "README.md", "sh")
        for line in block.splitlines()
        if line.startswith(
            ("negsim solve", "negsim sweep", "negsim threshold", "negsim sample", "negsim compare")
        )
        and "--scheduler" not in line
    ],
)
def test_readme_cli_examples_run(line: str, tmp_path: Path) -> None:
    arguments = re.findall(r'"[^"]*"|\S+', line)[1:]
    arguments = [a.strip('"') for a in arguments]
    if "-o" in arguments:  # write charts into a fresh folder, not the repository
        arguments[arguments.index("-o") + 1] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "negsim", *arguments], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "equilibri" in done.stdout


def test_readme_images_exist_and_cover_every_chart_kind() -> None:
    from negsim.plotting.charts import KINDS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    for image in images:
        assert (ROOT / image).read_bytes().startswith(b"\x89PNG"), image
    shown = {Path(image).stem.split("-", 1)[-1] for image in images}
    assert set(KINDS) <= shown


def test_every_data_file_of_the_package_is_installed() -> None:
    """Regression: the chart style sheet was left out of the installed package."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]
    package = ROOT / "negsim"
    for path in package.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts:
            module = ".".join(path.parent.relative_to(ROOT).parts)
            assert path.name in declared.get(module, []), f"{path} is not in [tool.setuptools.package-data]"
