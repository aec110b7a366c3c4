"""Shared by the tests of malformed inputs: a case, and the check that negsim refused it properly."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from negsim.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """A malformed file, where its (first) problem must be reported, and a phrase of the message."""

    file: str
    line: int | None
    column: int | None
    phrase: str

    def __str__(self) -> str:
        return self.file.removesuffix(".yaml")


def where(case: Case, path: Path | str) -> str:
    """The ``file:line:column:`` prefix the message must start with."""
    text = f"{path}:"
    if case.line is not None:
        text += f"{case.line}:"
        if case.column is not None:
            text += f"{case.column}:"
    return text


def assert_refused(case: Case, path: Path | str, status: int, stdout: str, stderr: str) -> None:
    """Exit status 2, nothing on standard output, no traceback, and the message at the right place."""
    assert status == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    prefix = where(case, path)
    matching = [line for line in lines if line.startswith(prefix) and case.phrase in line]
    assert matching, f"expected a line starting {prefix!r} containing {case.phrase!r} in:\n{stderr}"
    assert "error:" in matching[0]
    assert lines[-1].startswith("negsim: ") and "nothing was written" in lines[-1]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negsim", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
