"""YAML in, plain Python data out, with the file position of every key and value.

Loading uses ruamel.yaml's round-trip parser, which keeps line and column marks and never
builds arbitrary Python objects from tags. The result is converted to plain ``dict``,
``list``, ``str``, ``int``, ``float``, ``bool`` and ``None``, with a side table of positions
keyed by the path to each node, so that validation errors can name file:line:column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from negsim.errors import Problem, ScenarioError

#: Guard against alias bombs and absurdly large files.
MAX_NODES = 1_000_000
MAX_BYTES = 20_000_000

PathKey = tuple[Any, ...]


@dataclass
class Positions:
    """Where each node of a loaded YAML document sits (1-based line and column)."""

    file: str
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    quoted: dict[PathKey, int] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of the node at ``path`` (its key when ``key``), or of its nearest ancestor."""
        path = tuple(path)
        while True:
            table = self.keys if key else self.values
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            if not path:
                return (1, 1) if not self.values else self.values.get((), (1, 1))
            path = path[:-1]
            key = True

    def problem(
        self,
        path: PathKey,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        offset: int = 0,
        severity: str = "error",
    ) -> Problem:
        """A :class:`Problem` at ``path``; ``offset`` shifts the column (inside an expression)."""
        line, column = self.locate(path, key=key)
        if column is not None:
            column += offset
        return Problem(self.file, line, column, message, hint, severity)  # type: ignore[arg-type]

    def scalar_offset(self, path: PathKey) -> int:
        """Columns to skip to reach the text of a scalar (1 for a quoted scalar, else 0)."""
        return self.quoted.get(tuple(path), 0)


def read_text(path: str | os.PathLike[str], what: str = "scenario") -> str:
    """Read a text file, turning OS errors into a :class:`ScenarioError` naming the file."""
    name = os.fspath(path)
    try:
        size = Path(name).stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(Problem(name, None, None, f"{what} file is too large ({size:,} bytes)"))
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(Problem(name, None, None, f"{what} file not found", "check the path")) from None
    except IsADirectoryError:
        raise ScenarioError(Problem(name, None, None, "is a folder, not a file")) from None
    except UnicodeDecodeError as exc:
        data = bytes(exc.object)
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
        raise ScenarioError(
            Problem(
                name,
                line,
                column,
                f"{what} file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save the file as UTF-8",
            )
        ) from None
    except OSError as exc:
        raise ScenarioError(Problem(name, None, None, f"cannot read {what} file: {exc.strerror}")) from None


def load_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain data plus the positions of its nodes.

    Examples
    --------
    >>> data, where = load_yaml("a:\\n  b: [1, 2]\\n", "x.yaml")
    >>> data
    {'a': {'b': [1, 2]}}
    >>> where.locate(("a", "b", 1))
    (2, 10)
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import TaggedScalar
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True  # so that columns inside quoted expressions skip the quote
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        message = _yaml_message(exc)
        raise ScenarioError(Problem(file, line, column, message, _yaml_hint(message))) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise ScenarioError(Problem(file, None, None, f"invalid YAML: {exc}")) from None
    if isinstance(document, TaggedScalar):
        raise ScenarioError(Problem(file, 1, 1, "YAML tags are not allowed", "remove the tag"))
    positions = Positions(file)
    lc = getattr(document, "lc", None)
    if lc is not None and lc.line is not None:
        positions.values[()] = (lc.line + 1, lc.col + 1)
    converter = _Converter(positions)
    data = converter.convert(document, ())
    return data, positions


def _yaml_message(exc: Any) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "duplicate key" in problem or "found duplicate key" in (context + problem):
        text = problem or context
        return "duplicate key " + text.split("duplicate key", 1)[1].strip().split(" with value")[0]
    if context and problem:
        return f"invalid YAML: {problem} ({context})"
    return f"invalid YAML: {problem or context or 'cannot parse'}"


def _yaml_hint(message: str) -> str:
    if message.startswith("duplicate key"):
        return "each key may appear once in a mapping; merge or rename the entries"
    if "'\\t'" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "quote text that contains ': ' or check the indentation"
    return "check indentation, colons and quotes around this position"


class _Converter:
    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.count = 0

    def refuse(
        self,
        path: PathKey,
        message: str,
        hint: str = "remove the tag; scenario files use plain mappings, lists and scalars",
    ) -> NoReturn:
        raise ScenarioError(self.positions.problem(path, message, hint))

    def convert(self, node: Any, path: PathKey) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq, CommentedSet, TaggedScalar
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

        self.count += 1
        tag = getattr(getattr(node, "tag", None), "value", None)
        if tag is not None:
            self.refuse(path, f"YAML tag {tag} is not allowed")
        if self.count > MAX_NODES:
            raise ScenarioError(
                Problem(
                    self.positions.file,
                    None,
                    None,
                    f"document has more than {MAX_NODES:,} nodes",
                    "YAML aliases may be expanding too much",
                )
            )
        if isinstance(node, CommentedMap):
            result: dict[Any, Any] = {}
            for key in node:
                child = (*path, _plain_key(key))
                line, column = node.lc.key(key)
                self.positions.keys[child] = (line + 1, column + 1)
                vline, vcolumn = node.lc.value(key)
                self.positions.values[child] = (vline + 1, vcolumn + 1)
                if isinstance(node[key], (DoubleQuotedScalarString, SingleQuotedScalarString)):
                    self.positions.quoted[child] = 1
                result[_plain_key(key)] = self.convert(node[key], child)
            return result
        if isinstance(node, CommentedSeq):
            items = []
            for index, item in enumerate(node):
                child = (*path, index)
                line, column = node.lc.item(index)
                self.positions.values[child] = (line + 1, column + 1)
                if isinstance(item, (DoubleQuotedScalarString, SingleQuotedScalarString)):
                    self.positions.quoted[child] = 1
                items.append(self.convert(item, child))
            return items
        if isinstance(node, CommentedSet):
            self.refuse(path, "YAML sets are not allowed", "use a list: [a, b]")
        if isinstance(node, TaggedScalar):
            self.refuse(path, f"YAML tag {node.tag.value} is not allowed")
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        # dates, binary and other YAML types are passed on as text for validation to reject
        return str(node)


def _plain_key(key: Any) -> Any:
    if isinstance(key, bool) or key is None:
        return key
    if isinstance(key, int):
        return int(key)
    if isinstance(key, float):
        return float(key)
    return str(key)
