"""Exceptions and warnings raised by negsim.

Every error a user can cause derives from :class:`NegsimError` and also from the
matching built-in exception, so ``except ValueError`` keeps working. Problems found
in input files carry a list of :class:`Problem` records, each pointing at a file,
line and column, so that all of them can be reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in an input file.

    Examples
    --------
    >>> print(Problem("x.yaml", 3, 5, "unknown key 'titel'", "did you mean 'title'?"))
    x.yaml:3:5: error: unknown key 'titel'; did you mean 'title'?
    """

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class NegsimError(Exception):
    """Base class of every error negsim raises on purpose."""


class InputError(NegsimError, ValueError):
    """An input file (scenario, claims file, Gambit file) is invalid.

    ``problems`` lists every problem found, each with file, line and column.
    """

    def __init__(self, problems: list[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(InputError):
    """A scenario file is invalid (bad YAML, unknown names, bad values, ...)."""


class FormatError(InputError):
    """A file in another format (e.g. Gambit ``.nfg``) cannot be read."""


class GameError(NegsimError, ValueError):
    """A game is malformed or too large to build (shape, labels, non-finite payoffs)."""


class SolverError(NegsimError, RuntimeError):
    """A solver was asked for something it cannot do (wrong number of players, ...)."""


class NegsimWarning(UserWarning):
    """Base class of negsim's warnings."""


class DegenerateGameWarning(NegsimWarning):
    """The game is degenerate: equilibria may form continua; extreme points are reported."""


class ScenarioWarning(NegsimWarning):
    """Something in a scenario looks unintended (an unused parameter, ...)."""


class UsageError(NegsimError, ValueError):
    """A command-line or API argument is invalid (unknown parameter in ``--set``, ...)."""
