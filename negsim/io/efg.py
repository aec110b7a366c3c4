"""Read Gambit extensive-form game files (``.efg``).

A Gambit ``.efg`` file holds a finite game tree with any number of players, chance moves and
information sets. It starts with a prologue::

    EFG 2 R "title" { "Player 1" "Player 2" } "optional comment"

where ``2`` is the format version (the only one there is) and ``R`` or ``D`` an obsolete
number-type marker. The nodes of the tree follow in depth-first order (a node, then the whole
subtree of its first action, then that of its second action, ...), one entry per node:

* a chance node,
  ``c "name" INFOSET "infoset name" { "action" PROBABILITY "action" PROBABILITY ... } OUTCOME``;
* a personal (decision) node, ``p "name" PLAYER INFOSET "infoset name" { "action" ... } OUTCOME``,
  where ``PLAYER`` counts from 1 in the order the players are listed;
* a terminal node, ``t "name" OUTCOME``.

A node has one child per action. Information sets are numbered separately for each player
(and for chance); every node with the same player and number is in the same set, so it must
offer the same actions (and, for chance, the same probabilities). The set's name and action
list may be left out after the first node of the set. ``OUTCOME`` is ``0`` for none, or an
outcome number followed, where that number first appears, by the outcome's name and payoffs,
``1 "name" { 2, -1 }`` (one per player, commas optional); later it may stand alone, or repeat
the same name and payoffs. An outcome at an inner node pays at every leaf below it: the payoff
at a leaf is the sum of the outcomes on the way to it.

Numbers are integers, decimals (``1.5``, ``-2e3``, ``.5``) or fractions (``3/4``). Text is
double-quoted; ``\\"`` stands for a quote and ``\\\\`` for a backslash, and any other backslash
is kept as it is. Whitespace, line breaks included, may appear between any two items. The
comment and the outcome names are read but not kept. Empty player names become ``"Player k"``
and empty action names their position ``"k"``.

Every mistake is reported as a :class:`~negsim.errors.FormatError` whose problems point at
the line and column (both from 1) of the offending item.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from negsim.errors import GameError
from negsim.game.tree import CHANCE, DECISION, PROBABILITY_TOLERANCE, TERMINAL, GameTree
from negsim.io.nfg import (
    FORMS,
    _describe,
    _distinct_names,
    _plural,
    _read_header,
    _read_labels,
    _Scanner,
    _Token,
    _unquote,
    read_game_text,
)

__all__ = ["parse_efg", "read_efg"]

_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_NODE_IN_MESSAGE = re.compile(r"\bnode (\d+)\b")

_HEADER_HINT = FORMS["EFG"].hint
_NODE_HINT = (
    'each node is c "name" INFOSET "set name" { "action" PROBABILITY ... } OUTCOME (chance), '
    'p "name" PLAYER INFOSET "set name" { "action" ... } OUTCOME (a player) or t "name" OUTCOME (terminal)'
)
_OUTCOME_HINT = (
    'an outcome is 0 (none) or its number, followed where it first appears by "name" { payoff1, payoff2 }'
)
_PAYOFF_HINT = 'outcome payoffs are written "name" { payoff1, payoff2, ... }, one per player'
_CHANCE_ACTION_HINT = (
    'a chance node lists its actions with their probabilities, e.g. { "heads" 1/2 "tails" 1/2 }'
)
_ACTION_HINT = 'a player node lists its actions in braces, e.g. { "Left" "Right" }'


@dataclass(frozen=True)
class _Infoset:
    """An information set as first defined: its id in the tree (-1 for chance) and its actions."""

    index: int
    name: str
    actions: tuple[str, ...]
    probabilities: tuple[float, ...]
    offset: int


@dataclass(frozen=True)
class _Outcome:
    name: str
    payoffs: tuple[float, ...]
    offset: int


@dataclass
class _Open:
    """A node whose children are still being read."""

    node: int
    actions: tuple[str, ...]
    probabilities: tuple[float, ...]
    given: int = 0


def _format_values(values: tuple[float, ...]) -> str:
    return "(" + ", ".join(f"{value:g}" for value in values) + ")"


class _Reader:
    """Reads the nodes of an .efg file in depth-first order into per-node lists."""

    def __init__(self, scan: _Scanner, players: list[str]) -> None:
        self.scan = scan
        self.players = players
        self.parent: list[int] = []
        self.kind: list[int] = []
        self.player: list[int] = []
        self.moves: list[str] = []
        self.probability: list[float] = []
        self.infoset: list[int] = []
        self.names: list[str] = []
        self.payoffs: list[tuple[float, ...]] = []
        self.offsets: list[int] = []
        self.infosets: dict[tuple[int, str], _Infoset] = {}
        self.infoset_names: list[str] = []
        self.outcomes: dict[str, _Outcome] = {}
        # the actions (and chance probabilities) of the node read last
        self.actions: tuple[str, ...] = ()
        self.node_probabilities: tuple[float, ...] = ()

    def line(self, offset: int) -> int:
        return self.scan.text.count("\n", 0, offset) + 1

    # -- the tree ------------------------------------------------------------------------------

    def read_tree(self) -> None:
        scan = self.scan
        zero = (0.0,) * len(self.players)
        if scan.peek().kind == "end":
            scan.fail(
                scan.peek().start, "the file has no nodes", "after the header comes the root of the tree"
            )
        self.read_node(-1, "", 1.0, zero)
        stack: list[_Open] = []
        self.open_node(stack)
        while stack:
            token = scan.peek()
            top = stack[-1]
            if token.kind == "end":
                children = f"{top.given} {'child' if top.given == 1 else 'children'}"
                scan.fail(
                    scan.last_end,
                    "the file ends before the tree is complete: the node at line "
                    f"{self.line(self.offsets[top.node])} has {_plural(len(top.actions), 'action')} "
                    f"but only {children}",
                    "each node is followed by the subtree of each of its actions; the file may be cut short",
                )
            action = top.actions[top.given]
            probability = top.probabilities[top.given] if top.probabilities else 1.0
            top.given += 1
            if top.given == len(top.actions):
                stack.pop()
            self.read_node(top.node, action, probability, self.payoffs[top.node])
            self.open_node(stack)
        token = scan.peek()
        if token.kind != "end":
            scan.fail(
                token.start,
                f"the tree is complete, but the file goes on with {_describe(token)}",
                "each node has one child per action; check the action lists above",
            )

    def open_node(self, stack: list[_Open]) -> None:
        """Push the node just read if it has children to come."""
        node = len(self.kind) - 1
        if self.kind[node] != TERMINAL and self.actions:
            stack.append(_Open(node, self.actions, self.node_probabilities))

    def read_node(self, parent: int, move: str, probability: float, above: tuple[float, ...]) -> None:
        scan = self.scan
        token = scan.take()
        if token.kind != "word" or token.text not in ("c", "p", "t"):
            what = "unknown node type" if token.kind == "word" else "expected a node, found"
            scan.fail(
                token.start, f"{what} {_describe(token)}: a node starts with 'c', 'p' or 't'", _NODE_HINT
            )
        name = scan.expect("string", "the node's name (a quoted text, possibly empty)", _NODE_HINT)
        self.actions, self.node_probabilities = (), ()
        mover, infoset = -1, -1
        if token.text == "c":
            kind = CHANCE
            self.read_infoset(-1)
        elif token.text == "p":
            kind = DECISION
            mover = self.read_player()
            infoset = self.read_infoset(mover)
        else:
            kind = TERMINAL
        own = self.read_outcome()
        self.parent.append(parent)
        self.kind.append(kind)
        self.player.append(mover)
        self.moves.append(move)
        self.probability.append(probability)
        self.infoset.append(infoset)
        self.names.append(_unquote(name))
        self.payoffs.append(above if own is None else tuple(a + b for a, b in zip(above, own)))
        self.offsets.append(token.start)

    # -- numbers -------------------------------------------------------------------------------

    def whole(self, what: str, hint: str) -> tuple[_Token, str]:
        """Read a whole number; return its token and its digits without leading zeros."""
        token = self.scan.take()
        if token.kind != "number" or not _WHOLE.fullmatch(token.text):
            found = _describe(token)
            message = f"expected {what}, found {found}"
            self.scan.fail(token.start, message, hint)
        return token, token.text.lstrip("0") or "0"

    def read_player(self) -> int:
        n = len(self.players)
        hint = f"players are numbered from 1 to {n} in the order the header lists them"
        token, digits = self.whole("the number of the player who moves (a whole number)", hint)
        if digits == "0" or len(digits) > 6 or int(digits) > n:
            self.scan.add(
                token.start,
                f"player {token.text} does not exist: the file lists {_plural(n, 'player')}",
                hint,
            )
            return n  # reading goes on, with this node's information sets kept apart
        return int(digits) - 1

    # -- information sets and actions ----------------------------------------------------------

    def read_infoset(self, mover: int) -> int:
        """Read ``INFOSET ["name"] [{ actions }]``; set the node's actions; return the set's id."""
        scan = self.scan
        who = self.players[mover] if 0 <= mover < len(self.players) else "the player"
        if mover < 0:
            hint = "chance's information sets are numbered apart from the players'"
        else:
            hint = (
                "information sets are numbered for each player separately; "
                f"nodes {who} cannot tell apart share a number"
            )
        number, key = self.whole("the information set number (a whole number)", hint)
        owner = "chance" if mover < 0 else f"{who}'s"
        label = f"{owner} information set {number.text}"
        name = scan.take() if scan.peek().kind == "string" else None
        brace = scan.peek()
        actions: tuple[str, ...] = ()
        probabilities: tuple[float, ...] = ()
        if brace.kind == "{":
            scan.take()
            actions, probabilities = self.read_actions(brace, mover < 0)
        known = self.infosets.get((mover, key))
        if known is None:
            if brace.kind != "{":
                scan.fail(
                    brace.start,
                    f"expected the actions of {label}, which appears here for the first time; "
                    f"found {_describe(brace)}",
                    _CHANCE_ACTION_HINT if mover < 0 else _ACTION_HINT,
                )
            index = -1
            if mover >= 0:
                index = len(self.infoset_names)
                self.infoset_names.append(_unquote(name) if name is not None else "")
            known = _Infoset(
                index, _unquote(name) if name is not None else "", actions, probabilities, number.start
            )
            self.infosets[(mover, key)] = known
        else:
            first = f"at line {self.line(known.offset)}"
            if name is not None and _unquote(name) != known.name:
                scan.add(
                    name.start,
                    f"{label} is named {_unquote(name)!r} here but {known.name!r} {first}",
                    "give all nodes of an information set the same set name, or leave it out after the first",
                )
            if brace.kind == "{":
                self.compare_actions(brace, label, first, known, actions, probabilities)
        self.actions, self.node_probabilities = known.actions, known.probabilities
        return known.index

    def compare_actions(
        self,
        brace: _Token,
        label: str,
        first: str,
        known: _Infoset,
        actions: tuple[str, ...],
        probabilities: tuple[float, ...],
    ) -> None:
        hint = "nodes a player cannot tell apart must offer the same actions; list them once or identically"
        if len(actions) != len(known.actions):
            self.scan.add(
                brace.start,
                f"{label} has {_plural(len(known.actions), 'action')} {first} but {len(actions)} here",
                hint,
            )
        elif actions != known.actions:
            self.scan.add(
                brace.start,
                f"{label} offers the actions {', '.join(map(repr, known.actions))} {first} "
                f"but {', '.join(map(repr, actions))} here",
                hint,
            )
        elif probabilities != known.probabilities:
            self.scan.add(
                brace.start,
                f"{label} has the probabilities {_format_values(known.probabilities)} {first} "
                f"but {_format_values(probabilities)} here",
                "the nodes of a chance information set share their probabilities",
            )

    def read_actions(self, brace: _Token, chance: bool) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """Read the action list after its opening brace; return the names and (chance) probabilities."""
        scan = self.scan
        labels: list[_Token] = []
        numbers: list[_Token] = []
        while (token := scan.take()).kind == "string":
            labels.append(token)
            if chance:
                number = scan.take()
                if number.kind != "number":
                    scan.fail(
                        number.start,
                        f"expected the probability of action {_unquote(token)!r}, found {_describe(number)}",
                        _CHANCE_ACTION_HINT,
                    )
                numbers.append(number)
        if token.kind != "}":
            scan.fail(
                token.start,
                f"expected an action name (a quoted text) or '}}', found {_describe(token)}",
                _CHANCE_ACTION_HINT if chance else _ACTION_HINT,
            )
        if not labels:
            scan.add(
                brace.start,
                "a node needs at least one action",
                "list the node's actions, or make it terminal",
            )
        names = tuple(_distinct_names(scan, labels, "{}", "action"))
        probabilities = tuple(scan.number(number) for number in numbers)
        if chance:
            self.check_probabilities(brace, numbers, probabilities)
        return names, probabilities

    def check_probabilities(self, brace: _Token, tokens: list[_Token], values: tuple[float, ...]) -> None:
        hint = "chance probabilities are numbers from 0 to 1 that add up to 1, e.g. 1/3 and 2/3"
        valid = True
        for token, value in zip(tokens, values):
            if not 0.0 <= value <= 1.0:
                self.scan.add(token.start, f"the probability {token.text} is not between 0 and 1", hint)
                valid = False
        total = math.fsum(values)
        if valid and values and abs(total - 1.0) > PROBABILITY_TOLERANCE:
            self.scan.add(
                brace.start, f"the probabilities of this chance node sum to {total:.6g}, not 1", hint
            )

    # -- outcomes ------------------------------------------------------------------------------

    def read_outcome(self) -> tuple[float, ...] | None:
        """Read ``OUTCOME ["name" { payoffs }]``; return the payoffs, or None for the null outcome."""
        scan = self.scan
        number, key = self.whole("the outcome number (a whole number, 0 for none)", _OUTCOME_HINT)
        name = scan.take() if scan.peek().kind == "string" else None
        brace = scan.peek()
        payoffs = self.read_payoffs(number.text) if brace.kind == "{" else None
        if key == "0":
            if name is not None or payoffs is not None:
                where = name.start if name is not None else brace.start
                scan.add(
                    where, "the null outcome 0 has no name or payoffs", "give the outcome a number from 1 up"
                )
            return None
        known = self.outcomes.get(key)
        if known is None:
            if payoffs is None:
                scan.fail(
                    number.start,
                    f"outcome {number.text} appears here for the first time, but its payoffs are missing",
                    'where an outcome first appears, its name and payoffs follow: "name" { p1, p2 }',
                )
            known = _Outcome(_unquote(name) if name is not None else "", payoffs, number.start)
            self.outcomes[key] = known
            return payoffs
        first = f"at line {self.line(known.offset)}"
        hint = "an outcome has one name and one set of payoffs; use a new number for different payoffs"
        if name is not None and _unquote(name) != known.name:
            scan.add(
                name.start,
                f"outcome {number.text} is named {_unquote(name)!r} here but {known.name!r} {first}",
                hint,
            )
        if payoffs is not None and payoffs != known.payoffs:
            scan.add(
                brace.start,
                f"outcome {number.text} pays {_format_values(payoffs)} here "
                f"but {_format_values(known.payoffs)} {first}",
                hint,
            )
        return known.payoffs

    def read_payoffs(self, outcome: str) -> tuple[float, ...]:
        """Read ``{ payoff1, payoff2, ... }`` (commas optional), one payoff per player."""
        scan = self.scan
        scan.take()
        n = len(self.players)
        row: list[float] = []
        surplus: _Token | None = None
        while (item := scan.take()).kind == "number":
            if len(row) == n and surplus is None:
                surplus = item
            row.append(scan.number(item))
            if scan.peek().kind == ",":
                scan.take()
        if item.kind != "}":
            scan.fail(
                item.start,
                f"expected a payoff (a number) or '}}' in outcome {outcome}, found {_describe(item)}",
                _PAYOFF_HINT,
            )
        if len(row) != n:
            scan.add(
                item.start if surplus is None else surplus.start,
                f"outcome {outcome} has {_plural(len(row), 'payoff')}; expected {n} (one per player)",
                "give one payoff per player, in the order the players are listed",
            )
        return tuple(row[:n] + [0.0] * (n - len(row)))


def parse_efg(text: str, filename: str = "<string>") -> GameTree:
    """Read a game tree from the text of a Gambit extensive-form (``.efg``) file.

    Node names become the tree's ``names``, information-set names its ``infoset_names`` (one
    set per player and number, so numbers may repeat across players) and the title its
    ``title``. The payoff at each leaf is the sum of the outcomes on the path from the root.

    Parameters
    ----------
    text
        The contents of the file.
    filename
        The name used in error messages.

    Returns
    -------
    GameTree
        The tree, payoffs as float64.

    Raises
    ------
    FormatError
        If the text is not a valid ``.efg`` file (including chance probabilities that do not
        add up to 1, or nodes of one information set with different actions); each problem
        gives the line and column.

    Examples
    --------
    >>> tree = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" } ""
    ... p "" 1 1 "" { "Out" "In" } 0
    ... t "" 1 "stay out" { 0, 2 }
    ... p "" 2 1 "" { "Fight" "Acquiesce" } 0
    ... t "" 2 "war" { -1, -1 }
    ... t "" 3 "share" { 1, 1 }''')
    >>> tree.players, tree.n_nodes, tree.perfect_information
    (('Entrant', 'Incumbent'), 5, True)
    >>> [[tree.move_name(n) for n in tree.history(int(leaf))[1:]] for leaf in tree.terminals]
    [['Out'], ['In', 'Fight'], ['In', 'Acquiesce']]
    >>> tree.payoffs[tree.terminals].tolist()
    [[0.0, 2.0], [-1.0, -1.0], [1.0, 1.0]]
    >>> parse_efg('EFG 2 R "" { "A" }\\nc "" 1 "" { "H" 1/2 "T" 1/3 } 0 t "" 0 t "" 0', "coin.efg")
    Traceback (most recent call last):
      ...
    negsim.errors.FormatError: coin.efg:2:11: error: the probabilities of this chance node sum to 0.833333, \
not 1; chance probabilities are numbers from 0 to 1 that add up to 1, e.g. 1/3 and 2/3
    """
    scan = _Scanner(text.removeprefix("\ufeff"), filename)
    title = _read_header(scan, "EFG")
    scan.expect("{", "'{' opening the list of players", 'list the players in braces, e.g. { "Row" "Column" }')
    brace = scan.pos - 1
    players = _distinct_names(scan, _read_labels(scan, "a player name"), "Player {}", "player")
    if not players:
        scan.fail(brace, "the file lists no players", "list at least one player")
    if scan.peek().kind == "string":
        scan.take()
    reader = _Reader(scan, players)
    reader.read_tree()
    scan.check()
    try:
        return GameTree.from_parents(
            players,
            parent=reader.parent,
            kind=reader.kind,
            player=reader.player,
            moves=reader.moves,
            probability=reader.probability,
            infoset=reader.infoset,
            infoset_names=reader.infoset_names,
            payoffs=reader.payoffs,
            names=reader.names,
            title=title,
        )
    except GameError as error:
        # The checks above should leave nothing for the tree to reject; if something is, point at
        # the node the message names (the tree numbers nodes in the order they were given).
        message = str(error).removeprefix("GameTree: ")
        found = _NODE_IN_MESSAGE.search(message)
        node = int(found.group(1)) if found else 0
        offset = reader.offsets[node] if node < len(reader.offsets) else reader.offsets[0]
        scan.fail(offset, message, "check this node against the rest of the tree")


def read_efg(path: str | os.PathLike[str]) -> GameTree:
    """Read a game tree from a Gambit extensive-form (``.efg``) file.

    The file is decoded as UTF-8, or as Latin-1 if it is not valid UTF-8 (older Gambit files).
    See :func:`parse_efg` for what is read.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    GameTree
        The game tree.

    Raises
    ------
    FormatError
        If the file cannot be read or is not a valid ``.efg`` file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "coin.efg"
    ...     _ = path.write_text('EFG 2 R "Coin" { "Bettor" } ""\\n'
    ...                         'c "toss" 1 "" { "Heads" 1/2 "Tails" 1/2 } 0\\n'
    ...                         't "" 1 "win" { 1 }\\n'
    ...                         't "" 2 "lose" { -1 }\\n')
    ...     tree = read_efg(path)
    >>> tree.title, tree.n_nodes, tree.probability.tolist()
    ('Coin', 3, [1.0, 0.5, 0.5])
    """
    name = os.fspath(path)
    return parse_efg(read_game_text(name), name)
