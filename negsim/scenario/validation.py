"""Turning pydantic validation errors into plain problems with file:line:column and a fix."""

from __future__ import annotations

import types
import typing
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from negsim.errors import Problem
from negsim.scenario.yamlio import Positions

_TYPE_WORDS = {
    "float": "a number",
    "int": "a whole number",
    "string": "text",
    "str": "text",
    "bool": "true or false",
    "dict": "a mapping (key: value lines)",
    "model": "a mapping (key: value lines)",
    "list": "a list",
    "tuple": "a list",
}


def suggest(name: str, choices: typing.Iterable[str]) -> str:
    """A "did you mean ...?" hint for a misspelt name, or a list of valid names."""
    choices = [str(c) for c in choices]
    close = get_close_matches(str(name), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not choices:
        return ""
    shown = ", ".join(f"'{c}'" for c in choices[:12])
    return f"valid names: {shown}" + (", ..." if len(choices) > 12 else "")


def describe(value: Any) -> str:
    """A short plain description of a YAML value for error messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "a piece of text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may take (unions and optionals flattened)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        result = []
        for arg in typing.get_args(annotation):
            result.extend(_unwrap(arg))
        return result
    return [annotation]


def model_at(root: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that describes the mapping found at ``path`` inside a ``root`` document."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for candidate in current:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = _field(candidate, part)
                if field is not None:
                    following.extend(_unwrap(field.annotation))
                continue
            origin = typing.get_origin(candidate)
            args = typing.get_args(candidate)
            if origin is dict and isinstance(part, str) and args:
                following.extend(_unwrap(args[1]))
            elif origin in (list, tuple) and isinstance(part, int) and args:
                following.extend(_unwrap(args[0]))
        current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field(model: type[BaseModel], name: Any) -> Any:
    for key, field in model.model_fields.items():
        if name in (key, field.alias):
            return field
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as written in files (aliases where set)."""
    return [field.alias or key for key, field in model.model_fields.items()]


def translate(
    error: ValidationError,
    raw: Any,
    positions: Positions,
    root: type[BaseModel],
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    """Plain problems for every error pydantic found, merged per location."""
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for details in error.errors(include_url=False):
        item: dict[str, Any] = dict(details)
        loc = _real_path(raw, tuple(details["loc"]))
        grouped.setdefault(loc, []).append(item)
    problems = []
    for loc, items in grouped.items():
        problems.append(_problem(loc, items, raw, positions, root, prefix))
    return problems


def _real_path(raw: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The longest prefix of ``loc`` that exists in the raw data (drops pydantic's union tags)."""
    path: list[Any] = []
    node = raw
    for part in loc:
        in_mapping = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_list:
            node = node[part]
        else:
            # keep one missing or unknown key so that messages can name it
            if isinstance(node, (dict, list)) and not str(part).startswith(("function-", "tagged-")):
                path.append(part)
            break
        path.append(part)
    return tuple(path)


def _value_at(raw: Any, path: tuple[Any, ...]) -> Any:
    node = raw
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _problem(
    loc: tuple[Any, ...],
    items: list[dict[str, Any]],
    raw: Any,
    positions: Positions,
    root: type[BaseModel],
    prefix: tuple[Any, ...],
) -> Problem:
    first = items[0]
    kind = first["type"]
    full = prefix + loc
    name = loc[-1] if loc else "document"
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        hint = suggest(name, field_names(model)) if model else ""
        return positions.problem(full, f"unknown key '{name}'", hint, key=True)
    if kind == "missing":
        parent = prefix + loc[:-1]
        line_path = parent if parent else ()
        return positions.problem(line_path, f"'{name}' is required here", f"add a '{name}:' entry", key=True)
    if kind == "literal_error" and loc == ("negsim",):
        value = _value_at(raw, loc)
        return positions.problem(
            full,
            f"unsupported format version {value!r}",
            "this version of negsim reads scenario files with 'negsim: 1'",
        )
    value = _value_at(raw, loc)
    messages = []
    for item in items:
        messages.append(_message(item, value))
    message = messages[0] if len(set(messages)) == 1 else _merge_type_messages(items, value)
    label = f"'{name}'" if isinstance(name, str) else f"item {int(name) + 1}"
    return positions.problem(full, f"{label}: {message}", _hint(first, name))


def _message(item: dict[str, Any], value: Any) -> str:
    kind: str = item["type"]
    if kind in ("value_error", "assertion_error"):
        return str(item["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind.endswith("_type") or kind in ("model_attributes_type", "dict_type"):
        word = _TYPE_WORDS.get(kind.removesuffix("_type").removesuffix("_attributes"), kind)
        return f"expected {word}, got {describe(value)}"
    if kind in ("too_short", "too_long"):
        expected = item.get("ctx", {}).get("min_length") or item.get("ctx", {}).get("max_length")
        return f"expected {expected} items, got {len(value) if isinstance(value, (list, dict)) else '?'}"
    if kind == "finite_number":
        return f"expected a finite number, got {describe(value)}"
    return str(item["msg"])


def _merge_type_messages(items: list[dict[str, Any]], value: Any) -> str:
    words = []
    for item in items:
        kind = item["type"]
        if kind.endswith("_type"):
            word = _TYPE_WORDS.get(kind.removesuffix("_type").removesuffix("_attributes"), kind)
            if word not in words:
                words.append(word)
        else:
            return _message(item, value)
    return f"expected {' or '.join(words)}, got {describe(value)}"


def _hint(item: dict[str, Any], name: Any) -> str:
    kind = item["type"]
    if kind == "float_type" or kind == "int_type":
        return "write a plain number such as 0.5 (no quotes)"
    if kind in ("dict_type", "model_attributes_type", "model_type"):
        return f"write '{name}:' followed by indented key: value lines"
    if kind == "list_type":
        return "write a list such as [a, b] or one '- item' per line"
    if kind == "string_type":
        return "write text; quote it if it looks like a number or true/false"
    return ""
