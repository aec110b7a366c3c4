"""Read Gambit strategic-form game files (``.nfg``).

A Gambit ``.nfg`` file holds a finite game in strategic form with any number of players.
It starts with a prologue::

    NFG 1 R "title" { "Player 1" "Player 2" } STRATEGIES "optional comment"

where ``1`` is the format version (the only one there is), ``R`` or ``D`` an obsolete
number-type marker, and ``STRATEGIES`` either the number of strategies of each player,
``{ 3 2 }`` (strategies are then named ``"1"``, ``"2"``, ...), or their names,
``{ { "U" "M" "D" } { "L" "R" } }``. The body is one of

* a flat list of payoffs: for every strategy profile one payoff per player, in player order,
  with the profiles ordered so that the **first player's strategy changes fastest**;
* a list of outcomes ``{ { "name" 1, 2 } { "" 0, 3 } ... }`` (commas optional), then one
  outcome number per profile in the same order: ``1`` is the first outcome listed and ``0``
  the null outcome, which pays every player zero.

Gambit itself writes the names form of the prologue with either body, so every combination is
accepted. Numbers are integers, decimals (``1.5``, ``-2e3``, ``.5``) or fractions (``3/4``).
Text is double-quoted; ``\\"`` stands for a quote and ``\\\\`` for a backslash, and any other
backslash is kept as it is. Whitespace, line breaks included, may appear between any two items.
The comment is read but not kept.

Every mistake is reported as a :class:`~negsim.errors.FormatError` whose problems point at
the line and column (both from 1) of the offending item.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple, NoReturn

import numpy as np

from negsim.errors import FormatError, NegsimWarning, Problem
from negsim.game.normal_form import NormalFormGame

__all__ = ["MAX_OUTCOME_MASK_CELLS", "parse_nfg", "read_nfg"]

#: Named outcomes are kept while (number of distinct names) x (number of profiles) stays within
#: this many cells; beyond it their masks would crowd memory, so they are dropped with a warning.
MAX_OUTCOME_MASK_CELLS = 50_000_000

#: Reading stops after this many problems have been found.
_MAX_PROBLEMS = 20
#: A payoff array has one axis per player plus one, and NumPy arrays have at most 64 axes.
_MAX_PLAYERS = 63

# A text matches this in at most one way, which keeps failed matches linear in its length.
_NUMBER = r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
_TOKEN = re.compile(
    r"\s*(?:"
    r'(?P<string>"(?:[^"\\]|\\.)*")'
    r'|(?P<unterminated>")'
    r"|(?P<brace>[{}])"
    r"|(?P<comma>,)"
    r"|(?P<number>" + _NUMBER + r')(?=[\s{},"]|\Z)'
    r'|(?P<word>[^\s{},"]+)'
    r"|(?P<end>\Z))",
    re.ASCII | re.DOTALL,
)
_ESCAPE = re.compile(r'\\(["\\])')
_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_NUMBER_ITEM = re.compile(_NUMBER.encode("ascii"))
# Digits, signs, points, exponent markers and the whitespace that separates tokens.
_DECIMAL_CHARACTERS = b"0123456789+-.eE \t\n\r\x0b\x0c"

_LAYOUT_HINT = (
    "the body lists one payoff per player for every strategy profile, the first player's "
    "strategy changing fastest; check the strategy counts in the header"
)


class _Token(NamedTuple):
    kind: str  # "string", "{", "}", ",", "number", "word" or "end"
    text: str
    start: int
    end: int


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the file"
    text = _unquote(token) if token.kind == "string" else token.text
    text = text if len(text) <= 30 else text[:27] + "..."
    return f"the text {text!r}" if token.kind == "string" else repr(text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Scanner:
    """Splits the text into tokens on demand and records problems with their positions."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.pos = 0
        self.last_end = 0
        self.problems: list[Problem] = []

    def peek(self) -> _Token:
        match = _TOKEN.match(self.text, self.pos)
        # Every non-space character starts a token and the end of the text is one too.
        assert match is not None and match.lastgroup is not None
        group = match.lastgroup
        start, text = match.start(group), match.group(group)
        if group == "unterminated":
            self.fail(start, "unterminated text: the closing '\"' is missing", 'close the text with "')
        return _Token(text if group in ("brace", "comma") else group, text, start, match.end())

    def take(self) -> _Token:
        token = self.peek()
        self.pos = token.end
        if token.kind != "end":
            self.last_end = token.end
        return token

    def expect(self, kind: str, what: str, hint: str) -> _Token:
        token = self.take()
        if token.kind != kind:
            self.fail(token.start, f"expected {what}, found {_describe(token)}", hint)
        return token

    def problem(self, offset: int, message: str, hint: str) -> Problem:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - self.text.rfind("\n", 0, offset)
        return Problem(self.filename, line, column, message, hint)

    def add(self, offset: int, message: str, hint: str) -> None:
        self.problems.append(self.problem(offset, message, hint))
        if len(self.problems) >= _MAX_PROBLEMS:
            raise FormatError(self.problems)

    def fail(self, offset: int, message: str, hint: str) -> NoReturn:
        raise FormatError([*self.problems, self.problem(offset, message, hint)])

    def check(self) -> None:
        if self.problems:
            raise FormatError(self.problems)

    def number(self, token: _Token) -> float:
        """The value of a number token; records a problem (and returns 0) if it is unusable."""
        try:
            value = _value(token.text)
        except ZeroDivisionError:
            self.add(token.start, f"the fraction {token.text} divides by zero", "use a non-zero denominator")
            return 0.0
        except (OverflowError, ValueError):
            value = math.inf
        if not math.isfinite(value):
            message = f"the number {_describe(token)} is not finite (too large for a float)"
            self.add(token.start, message, "use a smaller payoff")
            return 0.0
        return value


def _value(text: str) -> float:
    return float(Fraction(text)) if "/" in text else float(text)


def _unquote(token: _Token) -> str:
    return _ESCAPE.sub(r"\1", token.text[1:-1])


@dataclass(frozen=True)
class _Form:
    """What the first line of a Gambit file of one kind looks like."""

    magic: str
    version: str
    name: str
    other: str
    hint: str
    version_hint: str
    #: said when the file starts with the other kind's word
    mix_up: str


#: The two kinds of Gambit file negsim reads, by the word their first line starts with.
FORMS = {
    "NFG": _Form(
        "NFG",
        "1",
        "strategic-form",
        "EFG",
        'an .nfg file starts with NFG 1 R "title"',
        "only version 1 exists: the file should start with NFG 1 R",
        "this looks like an extensive-form (.efg) file; ",
    ),
    "EFG": _Form(
        "EFG",
        "2",
        "extensive-form",
        "NFG",
        'an .efg file starts with EFG 2 R "title" { "Player 1" "Player 2" }',
        "only version 2 is read: the file should start with EFG 2 R",
        "this looks like a strategic-form (.nfg) file; ",
    ),
}


def _read_header(scan: _Scanner, magic: str = "NFG") -> str:
    """Read ``NFG 1 R "title"`` (or ``EFG 2 R "title"``) and return the title."""
    form = FORMS[magic]
    token = scan.take()
    if token.kind != "word" or token.text != form.magic:
        hint = form.mix_up + form.hint if token.text == form.other else form.hint
        found = _describe(token)
        scan.fail(token.start, f"not a Gambit {form.name} file: expected '{form.magic}', found {found}", hint)
    token = scan.take()
    if token.kind != "number" or token.text != form.version:
        message = f"unknown .{form.magic.lower()} format version {_describe(token)}"
        scan.fail(token.start, message, form.version_hint)
    token = scan.take()
    if token.kind != "word" or token.text not in ("R", "D"):
        found = _describe(token)
        message = f"expected the number type 'R' or 'D' after {form.magic} {form.version}, found {found}"
        scan.fail(token.start, message, form.hint)
    return _unquote(scan.expect("string", "the game's title (a quoted text)", form.hint))


def _read_labels(scan: _Scanner, what: str) -> list[_Token]:
    """Read ``{ "a" "b" ... }`` after its opening brace; return the label tokens."""
    labels = []
    while (token := scan.take()).kind == "string":
        labels.append(token)
    if token.kind != "}":
        scan.fail(
            token.start,
            f"expected {what} (a quoted text) or '}}', found {_describe(token)}",
            "write each name in double quotes, separated by spaces",
        )
    return labels


def _distinct_names(scan: _Scanner, tokens: list[_Token], default: str, what: str) -> list[str]:
    """Decode labels, naming empty ones ``default.format(position)``; report repeated names."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, token in enumerate(tokens, start=1):
        name = _unquote(token) or default.format(position)
        if name in seen:
            scan.add(
                token.start,
                f"{what} {position} is named {name!r}, like {what} {seen[name]}",
                f"give each {what} a different name (an empty name stands for {default.format(position)!r})",
            )
        seen.setdefault(name, position)
        names.append(name)
    return names


def _read_strategies(scan: _Scanner, players: list[str]) -> list[int] | list[list[str]]:
    """Read the strategy counts ``{ 3 2 }`` or the strategy names ``{ { "U" "D" } ... }``."""
    scan.expect(
        "{",
        "'{' opening the strategy counts or names",
        'after the players come their strategy counts, e.g. { 2 2 }, or names, e.g. { { "U" "D" } ... }',
    )
    if scan.peek().kind == "{":
        named: list[list[str]] = []
        while (token := scan.take()).kind == "{":
            if len(named) == len(players):
                scan.fail(
                    token.start,
                    f"more strategy lists than players ({len(players)})",
                    "give one list of strategy names per player",
                )
            labels = _read_labels(scan, "a strategy name")
            if not labels:
                scan.add(
                    token.start, f"{players[len(named)]} has no strategies", "list at least one strategy"
                )
            named.append(_distinct_names(scan, labels, "{}", f"{players[len(named)]}'s strategy"))
        if token.kind != "}":
            scan.fail(
                token.start,
                f"expected '{{' opening a strategy list or '}}', found {_describe(token)}",
                'give one list of strategy names per player, e.g. { { "U" "D" } { "L" "R" } }',
            )
        if len(named) < len(players):
            scan.fail(
                token.start,
                f"{_plural(len(players), 'player')} but {_plural(len(named), 'strategy list')}",
                "give one list of strategy names per player",
            )
        return named
    counts: list[int] = []
    while (token := scan.take()).kind == "number":
        if len(counts) == len(players):
            scan.fail(
                token.start,
                f"more strategy counts than players ({len(players)})",
                "give one strategy count per player",
            )
        digits = token.text.lstrip("0")
        if not _WHOLE.fullmatch(token.text) or not digits:
            scan.fail(
                token.start,
                f"a strategy count must be a positive whole number, found {_describe(token)}",
                "give the number of strategies of each player, e.g. { 2 2 }",
            )
        if len(digits) > 15:
            scan.fail(token.start, f"the strategy count {_describe(token)} is too large", "check the header")
        counts.append(int(token.text))
    if token.kind != "}":
        scan.fail(
            token.start,
            f"expected a strategy count (a positive whole number) or '}}', found {_describe(token)}",
            "give the number of strategies of each player, e.g. { 2 2 }",
        )
    if len(counts) < len(players):
        scan.fail(
            token.start,
            f"{_plural(len(players), 'player')} but {_plural(len(counts), 'strategy count')}",
            "give one strategy count per player",
        )
    return counts


def _ascii_items(text: str, start: int) -> tuple[bytes, list[bytes]] | None:
    """The text from ``start`` to the end and its items, or None if the text is not ASCII.

    As bytes, the text splits at exactly the whitespace characters that separate tokens.
    """
    try:
        data = text[start:].encode("ascii")
    except UnicodeEncodeError:
        return None
    return data, data.split()


def _fast_numbers(text: str, start: int, expected: int) -> np.ndarray | None:
    """The body from ``start`` as exactly ``expected`` finite numbers, or None if anything is off."""
    found = _ascii_items(text, start)
    if found is None or len(found[1]) != expected:
        return None
    data, items = found
    try:
        if data.translate(None, _DECIMAL_CHARACTERS):
            if not all(map(_NUMBER_ITEM.fullmatch, items)):
                return None
            values = np.fromiter(map(_value, map(bytes.decode, items)), np.float64, count=expected)
        else:
            # On these characters Python's float() reads exactly the decimal numbers of _NUMBER.
            values = np.fromiter(map(float, items), np.float64, count=expected)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    return values if np.all(np.isfinite(values)) else None


def _read_payoff_list(scan: _Scanner, n_profiles: int, n_players: int) -> np.ndarray:
    """Read the flat payoff list to the end of the file, as an array of shape (profiles, players)."""
    expected = n_profiles * n_players
    values = _fast_numbers(scan.text, scan.pos, expected)
    if values is not None:
        return values.reshape(n_profiles, n_players)
    tokens: list[_Token] = []
    while (token := scan.take()).kind == "number":
        tokens.append(token)
    if token.kind != "end":
        scan.fail(
            token.start,
            f"expected a payoff (a number), found {_describe(token)}",
            "payoffs are integers, decimals or fractions such as 3/4, separated by spaces",
        )
    numbers = [scan.number(token) for token in tokens]
    if len(tokens) != expected:
        counted = (
            f"expected {_plural(expected, 'payoff')} ({_plural(n_profiles, 'profile')} x "
            f"{_plural(n_players, 'player')}), found {len(tokens)}"
        )
        scan.add(tokens[expected].start if len(tokens) > expected else scan.last_end, counted, _LAYOUT_HINT)
    scan.check()
    return np.asarray(numbers, dtype=np.float64).reshape(n_profiles, n_players)


def _read_outcome_list(scan: _Scanner, n_players: int) -> tuple[list[str], np.ndarray]:
    """Read ``{ { "name" p1, p2 } ... }``; return the names and the payoffs (null outcome first)."""
    scan.take()
    names: list[str] = []
    payoffs: list[list[float]] = [[0.0] * n_players]
    while (token := scan.take()).kind == "{":
        number = len(names) + 1
        name = scan.expect(
            "string",
            f"the name of outcome {number} (a quoted text, possibly empty)",
            'each outcome is written { "name" payoff1, payoff2, ... }',
        )
        names.append(_unquote(name))
        row: list[float] = []
        surplus: _Token | None = None
        while (item := scan.take()).kind == "number":
            if len(row) == n_players and surplus is None:
                surplus = item
            row.append(scan.number(item))
            if scan.peek().kind == ",":
                scan.take()
        if item.kind != "}":
            scan.fail(
                item.start,
                f"expected a payoff (a number) or '}}' in outcome {number}, found {_describe(item)}",
                'each outcome is written { "name" payoff1, payoff2, ... }',
            )
        if len(row) != n_players:
            scan.add(
                item.start if surplus is None else surplus.start,
                f"outcome {number} has {_plural(len(row), 'payoff')}; expected {n_players} (one per player)",
                "give one payoff per player, in the order the players are listed",
            )
        payoffs.append(row[:n_players] + [0.0] * (n_players - len(row)))
    if token.kind != "}":
        scan.fail(
            token.start,
            f"expected '{{' opening an outcome or '}}' closing the outcome list, found {_describe(token)}",
            'each outcome is written { "name" payoff1, payoff2, ... }',
        )
    return names, np.asarray(payoffs, dtype=np.float64)


def _read_outcome_numbers(scan: _Scanner, n_profiles: int, n_outcomes: int) -> np.ndarray:
    """Read one outcome number per profile to the end of the file."""
    found = _ascii_items(scan.text, scan.pos)
    items = found[1] if found else []
    # At most 18 digits, so that every number fits in an int64.
    if len(items) == n_profiles and all(map(bytes.isdigit, items)) and max(map(len, items)) <= 18:
        numbers = np.fromiter(map(int, items), np.int64, count=n_profiles)
        if numbers.max() <= n_outcomes:
            return numbers
    range_hint = (
        f"outcomes are numbered from 1 to {n_outcomes} in the order they are listed; "
        "0 means the null outcome (every payoff 0)"
        if n_outcomes
        else "the outcome list is empty, so every profile must have the null outcome 0"
    )
    tokens: list[_Token] = []
    while (token := scan.take()).kind == "number":
        if not _WHOLE.fullmatch(token.text):
            scan.fail(
                token.start, f"an outcome number must be a whole number, found {_describe(token)}", range_hint
            )
        if len(token.text.lstrip("0")) > len(str(n_outcomes)) or int(token.text) > n_outcomes:
            scan.add(
                token.start,
                f"outcome {token.text} does not exist: the file lists {_plural(n_outcomes, 'outcome')}",
                range_hint,
            )
        tokens.append(token)
    if token.kind != "end":
        scan.fail(token.start, f"expected an outcome number, found {_describe(token)}", range_hint)
    if len(tokens) != n_profiles:
        scan.add(
            tokens[n_profiles].start if len(tokens) > n_profiles else scan.last_end,
            f"expected {_plural(n_profiles, 'outcome number')} (one per profile), found {len(tokens)}",
            "after the outcome list comes one outcome number per strategy profile, "
            "the first player's strategy changing fastest",
        )
    scan.check()
    return np.asarray([int(token.text) for token in tokens], dtype=np.int64)


def _outcome_masks(names: list[str], numbers: np.ndarray) -> dict[str, np.ndarray]:
    """Mask of the profiles mapped to each non-empty outcome name (repeated names merged)."""
    distinct = list(dict.fromkeys(name for name in names if name))
    if len(distinct) * numbers.size > MAX_OUTCOME_MASK_CELLS:
        warnings.warn(
            f"the file names {len(distinct)} outcomes over {numbers.size} profiles; their names are "
            f"not kept, as the masks would need more than {MAX_OUTCOME_MASK_CELLS} cells",
            NegsimWarning,
            stacklevel=3,
        )
        return {}
    label = np.full(len(names) + 1, -1, dtype=np.int64)
    position = {name: k for k, name in enumerate(distinct)}
    for number, name in enumerate(names, start=1):
        if name:
            label[number] = position[name]
    labels = label[numbers]
    return {name: labels == k for name, k in position.items()}


def _profile_major_to_tensor(flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Reshape per-profile rows listed first-player-fastest into axes ``(s_1, ..., s_N, ...)``."""
    n = len(shape)
    reversed_axes = flat.reshape(shape[::-1] + flat.shape[1:])
    return reversed_axes.transpose(*range(n - 1, -1, -1), *range(n, reversed_axes.ndim))


def parse_nfg(text: str, filename: str = "<string>") -> NormalFormGame:
    """Read a game from the text of a Gambit strategic-form (``.nfg``) file.

    Both versions of the format are read (a flat payoff list, or a list of outcomes followed
    by one outcome number per profile), with strategy counts or strategy names in the header
    and any number of players. Named outcomes become the game's ``outcomes`` (outcomes sharing
    a name are merged, unnamed ones are left out); the title becomes its ``title``. Empty player
    names become ``"Player k"`` and empty strategy names their position ``"k"``.

    Parameters
    ----------
    text
        The contents of the file.
    filename
        The name used in error messages.

    Returns
    -------
    NormalFormGame
        The game, payoffs as float64.

    Raises
    ------
    FormatError
        If the text is not a valid ``.nfg`` file; each problem gives the line and column.

    Examples
    --------
    >>> game = parse_nfg('''NFG 1 R "Prisoner's Dilemma" { "Row" "Column" }
    ... { { "C" "D" } { "C" "D" } }
    ... 3 3  5 0  0 5  1 1''')
    >>> game.players, game.strategies[0]
    (('Row', 'Column'), ('C', 'D'))
    >>> game.payoffs[..., 0].tolist()
    [[3.0, 0.0], [5.0, 1.0]]
    >>> parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 1 2 3', "pd.nfg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    negsim.errors.FormatError: pd.nfg:1:37: error: expected 8 payoffs (4 profiles x 2 players), found 3; ...
    """
    scan = _Scanner(text.removeprefix("\ufeff"), filename)
    title = _read_header(scan)
    scan.expect("{", "'{' opening the list of players", 'list the players in braces, e.g. { "Row" "Column" }')
    brace = scan.pos - 1
    players = _distinct_names(scan, _read_labels(scan, "a player name"), "Player {}", "player")
    if not players:
        scan.fail(brace, "the file lists no players", "list at least one player")
    if len(players) > _MAX_PLAYERS:
        scan.fail(
            brace,
            f"the file lists {len(players)} players; at most {_MAX_PLAYERS} are supported",
            "a payoff table for more players would need more axes than NumPy arrays allow",
        )
    strategies = _read_strategies(scan, players)
    if scan.peek().kind == "string":
        scan.take()
    scan.check()

    shape = tuple(len(row) for row in strategies) if isinstance(strategies[0], list) else tuple(strategies)
    n_profiles = math.prod(shape)
    n_players = len(players)
    outcomes: dict[str, np.ndarray] = {}
    token = scan.peek()
    if token.kind == "{":
        names, table = _read_outcome_list(scan, n_players)
        scan.check()
        numbers = _read_outcome_numbers(scan, n_profiles, len(names))
        flat = table[numbers]
        outcomes = {
            name: _profile_major_to_tensor(mask, shape)
            for name, mask in _outcome_masks(names, numbers).items()
        }
    elif token.kind in ("number", "end"):
        flat = _read_payoff_list(scan, n_profiles, n_players)
    else:
        scan.fail(
            token.start,
            f"expected the payoffs (numbers) or an outcome list opened by '{{', found {_describe(token)}",
            _LAYOUT_HINT,
        )
    labels = strategies if isinstance(strategies[0], list) else None
    return NormalFormGame(
        _profile_major_to_tensor(flat, shape), players, labels, outcomes=outcomes, title=title
    )


def read_nfg(path: str | os.PathLike[str]) -> NormalFormGame:
    """Read a game from a Gambit strategic-form (``.nfg``) file.

    The file is decoded as UTF-8, or as Latin-1 if it is not valid UTF-8 (older Gambit files).
    See :func:`parse_nfg` for what is read.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    NormalFormGame
        The game.

    Raises
    ------
    FormatError
        If the file cannot be read or is not a valid ``.nfg`` file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "pennies.nfg"
    ...     _ = path.write_text('NFG 1 R "Matching Pennies" { "Even" "Odd" } { 2 2 }\\n'
    ...                         '1 -1  -1 1  -1 1  1 -1\\n')
    ...     game = read_nfg(path)
    >>> game.title, game.shape, game.is_zero_sum()
    ('Matching Pennies', (2, 2), True)
    """
    name = os.fspath(path)
    return parse_nfg(read_game_text(name), name)


def read_game_text(name: str) -> str:
    """The text of a Gambit file (UTF-8, or Latin-1 as older files are); a missing file is a FormatError."""
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise FormatError(
            Problem(name, None, None, "file not found", "check the path and the file name")
        ) from None
    except OSError as exc:
        raise FormatError(
            Problem(name, None, None, f"cannot read the file: {exc.strerror or exc}", "check the path")
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
