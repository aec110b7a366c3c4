"""Tests of the Gambit extensive-form (.efg) reader.

Hand-worked values for the data files:

* one-card poker (Myerson 1991, both players ante 1): leaves (Red, Raise, Meet) (2, -2),
  (Red, Raise, Pass) (1, -1), (Red, Fold) (-1, 1), (Black, Raise, Meet) (-2, 2), (Black, Raise,
  Pass) (1, -1), (Black, Fold) (-1, 1). Player 1 always raises with red; with black, raising
  and folding must tie for player 2 to mix: player 2 meets with q where 1 - q = q/2 (raise
  always against fold with black), so q = 2/3, and player 1 raises with black 1/3 of the time.
  The value of the game to player 1 is 1/3.
* entry deterrence: In then Acquiesce (1, 1) beats Out (0, 2) for the entrant, since the
  incumbent, once entered, prefers Acquiesce (1) to Fight (-1).
* ultimatum with fees: a filing fee (-1, 0) at the root; chance picks a mediator (1/4), who
  charges (-1/2, -1/2), or the court (3/4). Leaves add the fees on the way: e.g. Mediator,
  Fair, Accept = (-1 - 1/2 + 5, 0 - 1/2 + 5) = (3.5, 4.5).
"""

from __future__ import annotations

import itertools
import math
import string
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.cli import main
from negsim.errors import FormatError, GameError, InputError
from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.io import efg as efg_module
from negsim.io.efg import parse_efg, read_efg
from negsim.solvers.backward import backward_induction

DATA = Path(__file__).parent / "data" / "efg"
GAMBIT_REASON = "pygambit not installed; install the 'gambit' extra to cross-check"

HEADER = 'EFG 2 R "t" { "A" "B" } ""\n'


def quote(text: str) -> str:
    """Quote a label the way Gambit does: backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def path_of(tree: GameTree, node: int) -> tuple[str, ...]:
    """The move labels from the root to ``node``."""
    return tuple(tree.move_name(n) for n in tree.history(node)[1:])


def leaves_by_path(tree: GameTree) -> dict[tuple[str, ...], list[float]]:
    return {path_of(tree, int(leaf)): tree.payoffs[leaf].tolist() for leaf in tree.terminals}


def infoset_members(tree: GameTree) -> dict[str, list[tuple[str, ...]]]:
    """For each information set (by name), the paths to its nodes."""
    members: dict[str, list[tuple[str, ...]]] = {}
    for node in np.flatnonzero(tree.kind == DECISION):
        members.setdefault(tree.infoset_names[tree.infoset[node]], []).append(path_of(tree, int(node)))
    return members


# ---------------------------------------------------------------------------------------------
# Valid files


def test_one_card_poker() -> None:
    tree = read_efg(DATA / "one_card_poker.efg")
    assert tree.title == "One-card poker (Myerson 1991)"
    assert tree.players == ("Player 1", "Player 2")
    assert tree.n_nodes == 11
    assert not tree.perfect_information
    # one chance node, at the root, dealing each colour with probability 1/2
    (chance,) = np.flatnonzero(tree.kind == CHANCE)
    assert chance == 0 and tree.names[0] == "deal"
    assert [tree.move_name(int(c)) for c in tree.children(0)] == ["Red", "Black"]
    assert tree.probability[tree.children(0)].tolist() == [0.5, 0.5]
    assert sorted(tree.probability.tolist()) == [0.5, 0.5] + [1.0] * 9  # 1 below non-chance nodes
    # player 1 knows the card (two sets), player 2 does not (one set with both raise nodes)
    assert infoset_members(tree) == {
        "Player 1 sees red": [("Red",)],
        "Player 1 sees black": [("Black",)],
        "Player 2 faces a raise": [("Red", "Raise"), ("Black", "Raise")],
    }
    player_2 = tree.infoset[(tree.kind == DECISION) & (tree.player == 1)]
    assert len(set(player_2.tolist())) == 1 and len(player_2) == 2
    assert tree.n_infosets == 3
    assert leaves_by_path(tree) == {
        ("Red", "Raise", "Meet"): [2.0, -2.0],
        ("Red", "Raise", "Pass"): [1.0, -1.0],
        ("Red", "Fold"): [-1.0, 1.0],
        ("Black", "Raise", "Meet"): [-2.0, 2.0],
        ("Black", "Raise", "Pass"): [1.0, -1.0],
        ("Black", "Fold"): [-1.0, 1.0],
    }
    assert np.all(tree.payoffs[tree.kind != TERMINAL] == 0)
    assert tree.names[int(np.flatnonzero(tree.kind == DECISION)[-1])] == "raised with black"


def test_one_card_poker_value_is_one_third() -> None:
    """The tree's information sets are right: solving its normal form gives Myerson's values."""
    extensive = pytest.importorskip("negsim.game.extensive", reason="no reduced normal form yet")
    from negsim.solvers.zerosum import zero_sum_lp

    form = extensive.reduced_normal_form(read_efg(DATA / "one_card_poker.efg"))
    assert form.game.shape == (4, 2)
    (equilibrium,) = zero_sum_lp(form.game).equilibria
    assert equilibrium.payoffs.tolist() == pytest.approx([1 / 3, -1 / 3])
    # player 2 meets 2/3 of the time; player 1 mixes two plans (raise with black or not) 1/3 : 2/3
    assert sorted(equilibrium.strategies[1].tolist()) == pytest.approx([1 / 3, 2 / 3])
    assert sorted(equilibrium.strategies[0].tolist()) == pytest.approx([0, 0, 1 / 3, 2 / 3])


def test_entry_deterrence_subgame_perfect_path() -> None:
    tree = read_efg(DATA / "entry_deterrence.efg")
    assert tree.players == ("Entrant", "Incumbent")
    assert tree.perfect_information
    assert leaves_by_path(tree) == {
        ("Out",): [0.0, 2.0],
        ("In", "Fight"): [-1.0, -1.0],
        ("In", "Acquiesce"): [1.0, 1.0],
    }
    solution = backward_induction(tree)
    (equilibrium,) = solution.equilibria
    path = equilibrium.path()
    assert [tree.move_name(n) for n in path[1:]] == ["In", "Acquiesce"]
    assert tree.names[path[-1]] == "shared market"
    assert equilibrium.payoffs.tolist() == [1.0, 1.0]


def test_outcomes_accumulate_and_are_reused_by_number() -> None:
    tree = read_efg(DATA / "ultimatum_with_fees.efg")
    assert tree.players == ("Proposer", "Responder")
    assert leaves_by_path(tree) == {
        ("Mediator", "Fair", "Accept"): [3.5, 4.5],
        ("Mediator", "Fair", "Reject"): [-1.5, -0.5],
        ("Mediator", "Greedy", "Accept"): [6.5, 1.5],
        ("Mediator", "Greedy", "Reject"): [-1.5, -0.5],
        ("Court", "Fair", "Accept"): [4.0, 5.0],
        ("Court", "Fair", "Reject"): [-1.0, 0.0],
        ("Court", "Greedy", "Accept"): [7.0, 2.0],
        ("Court", "Greedy", "Reject"): [-1.0, 0.0],
    }
    # names and actions left out on later nodes of a set: the set's actions are reused
    assert infoset_members(tree) == {
        "proposal": [("Mediator",), ("Court",)],
        "after a fair offer": [("Mediator", "Fair"), ("Court", "Fair")],
        "after a greedy offer": [("Mediator", "Greedy"), ("Court", "Greedy")],
    }
    assert tree.probability[tree.children(0)].tolist() == [0.25, 0.75]
    assert tree.names[:3] == ("who hears the case", "mediated", "in court")


def test_outcome_reuse_inline() -> None:
    text = HEADER + (
        'p "root" 1 1 "" { "a" "b" } 1 "bonus" { 10, 20 }\n'
        't "" 2 "x" { 1, 2 }\n'
        'p "" 2 1 "" { "c" "d" } 2\n'  # outcome 2 at an inner node, by number only
        't "" 2 "x" { 1, 2 }\n'  # repeating the definition is fine
        't "" 1\n'
    )
    tree = parse_efg(text)
    assert leaves_by_path(tree) == {("a",): [11.0, 22.0], ("b", "c"): [12.0, 24.0], ("b", "d"): [21.0, 42.0]}


def test_infoset_name_and_actions_can_each_be_left_out() -> None:
    text = HEADER + (
        'c "" 4 "coin" { "H" 1/3 "T" 2/3 } 0\n'
        'p "" 1 7 "guess" { "h" "t" } 0\nt "" 0\nt "" 0\n'
        'p "" 1 7 "guess" 0\n'  # name only
        'c "" 4 { "H" 1/3 "T" 2/3 } 0\nt "" 0\nt "" 0\n'  # actions only (chance set reused)
        'c "" 4 0\nt "" 0\nt "" 0\n'  # neither
    )
    tree = parse_efg(text)
    assert tree.n_infosets == 1 and tree.infoset_names == ("guess",)
    assert infoset_members(tree) == {"guess": [("H",), ("T",)]}
    inner = [int(n) for n in np.flatnonzero(tree.kind == CHANCE) if n != 0]
    for node in inner:
        assert tree.probability[tree.children(node)].tolist() == [1 / 3, 2 / 3]
        assert [tree.move_name(int(c)) for c in tree.children(node)] == ["H", "T"]


def test_infosets_are_numbered_per_player() -> None:
    text = HEADER + 'p "" 1 1 "mine" { "x" } 0\np "" 2 1 "yours" { "y" } 0\nt "" 1 "o" { 1, 2 }'
    tree = parse_efg(text)
    assert tree.perfect_information
    assert tree.n_infosets == 2
    assert sorted(tree.infoset_names) == ["mine", "yours"]
    assert tree.player[tree.kind == DECISION].tolist() == [0, 1]


def test_numbers_layout_escapes_and_defaults() -> None:
    text = (
        '\ufeffEFG\n2\nD "say \\"hi\\" C:\\temp\\\\"{"" "B"}'  # no comment, compact layout
        'c"\\"coin\\""0""{"".25"x"3/4}0\n'
        't "" 1 "o" { 1e1 -2.5 }'
        't "" 2 "" { 1/4, 0 }'
    )
    tree = parse_efg(text)
    assert tree.title == 'say "hi" C:\\temp\\'
    assert tree.players == ("Player 1", "B")
    assert tree.names[0] == '"coin"'
    assert [tree.move_name(int(c)) for c in tree.children(0)] == ["1", "x"]  # empty action: position
    assert tree.probability.tolist() == [1.0, 0.25, 0.75]
    assert tree.payoffs.tolist() == [[0.0, 0.0], [10.0, -2.5], [0.25, 0.0]]


def test_single_terminal_node_and_one_player() -> None:
    tree = parse_efg('EFG 2 R "solo" { "Me" } "" t "end" 3 "" { 7 }')
    assert tree.n_nodes == 1 and tree.n_players == 1
    assert tree.payoffs.tolist() == [[7.0]]
    assert tree.names == ("end",)
    null = parse_efg('EFG 2 R "" { "Me" } t "" 0')
    assert null.payoffs.tolist() == [[0.0]]


def test_deep_tree_reads_without_recursion() -> None:
    depth = 3000
    body = 'p "" 1 1 "" { "stop" "go" } 0\nt "" 1 "stop" { 1, 0 }\n' * depth + 't "" 2 "end" { 0, 1 }\n'
    tree = parse_efg(HEADER + body)
    assert tree.n_nodes == 2 * depth + 1
    assert int(tree.depth.max()) == depth
    assert len(infoset_members(tree)[""]) == depth


def test_read_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.efg"
    path.write_bytes('EFG 2 R "Sélten" { "A" } t "" 1 "" { 4 }'.encode("latin-1"))
    assert read_efg(path).title == "Sélten"
    assert read_efg(str(path)).payoffs.tolist() == [[4.0]]


# ---------------------------------------------------------------------------------------------
# Malformed files: each gives a FormatError pointing at the offending item

NODES_AB = 'p "" 1 1 "" { "a" "b" } 0\n'  # line 2 of HEADER + ...

MALFORMED = [
    # the header
    pytest.param('NFG 1 R "t" { "A" } { 1 } 0', 1, 1, "expected 'EFG', found 'NFG'", id="nfg-magic"),
    pytest.param('  \n  hello EFG 2 R "t"', 2, 3, "expected 'EFG', found 'hello'", id="bad-magic"),
    pytest.param("", 1, 1, "expected 'EFG', found the end of the file", id="empty"),
    pytest.param('EFG 1 R "t" { "A" } t "" 0', 1, 5, "unknown .efg format version '1'", id="version"),
    pytest.param('EFG 2 Q "t" { "A" } t "" 0', 1, 7, "'R' or 'D'", id="number-type"),
    pytest.param('EFG 2 R { "A" } t "" 0', 1, 9, "expected the game's title", id="no-title"),
    pytest.param('EFG 2 R "t" { }\nt "" 0', 1, 13, "the file lists no players", id="no-players"),
    pytest.param('EFG 2 R "t" { "A" "A" } t "" 0', 1, 19, "player 2 is named 'A'", id="repeated-player"),
    pytest.param(
        'EFG 2 R "t" "A" "B" t "" 0', 1, 13, "expected '{' opening the list of players", id="no-brace"
    ),
    pytest.param(HEADER, 2, 1, "the file has no nodes", id="no-nodes"),
    # node syntax
    pytest.param(HEADER + 'x "" 0', 2, 1, "unknown node type 'x'", id="unknown-node-type"),
    pytest.param(HEADER + 'P "" 1 1 "" { "a" } 0', 2, 1, "unknown node type 'P'", id="capital-letter"),
    pytest.param(HEADER + '"leaf" 0', 2, 1, "expected a node, found the text 'leaf'", id="no-node-letter"),
    pytest.param(HEADER + "t 0", 2, 3, "expected the node's name", id="no-node-name"),
    pytest.param(HEADER + 't "leaf 0\n', 2, 3, "unterminated text", id="unterminated"),
    pytest.param(HEADER + 'p "" 1 1 "" { "a } 0', 2, 15, "unterminated text", id="unterminated-mid-node"),
    # players and information sets
    pytest.param(
        HEADER + 'p "" 3 1 "" { "a" } 0\nt "" 0',
        2,
        6,
        "player 3 does not exist: the file lists 2 players",
        id="player-out-of-range",
    ),
    pytest.param(HEADER + 'p "" 0 1 "" { "a" } 0\nt "" 0', 2, 6, "player 0 does not exist", id="player-0"),
    pytest.param(
        HEADER + 'p "" 1.0 1 "" { "a" } 0\nt "" 0', 2, 6, "a whole number), found '1.0'", id="player-dec"
    ),
    pytest.param(
        HEADER + 'p "" "A" 1 "" { "a" } 0', 2, 6, "expected the number of the player", id="player-name"
    ),
    pytest.param(
        HEADER + 'p "" 1 x "" { "a" } 0', 2, 8, "expected the information set number", id="infoset-word"
    ),
    pytest.param(
        HEADER + 'p "" 1 1 "" 0\nt "" 0',
        2,
        13,
        "expected the actions of A's information set 1, which appears here for the first time; found '0'",
        id="first-infoset-without-actions",
    ),
    pytest.param(
        HEADER + NODES_AB + 'p "" 2 1 "" { "x" "y" } 0\nt "" 0\nt "" 0\np "" 2 1 "" { "x" "y" "z" } 0\n',
        6,
        13,
        "B's information set 1 has 2 actions at line 3 but 3 here",
        id="infoset-action-count",
    ),
    pytest.param(
        HEADER + NODES_AB + 'p "" 2 1 "" { "x" "y" } 0\nt "" 0\nt "" 0\np "" 2 1 "" { "y" "x" } 0\n',
        6,
        13,
        "B's information set 1 offers the actions 'x', 'y' at line 3 but 'y', 'x' here",
        id="infoset-action-labels",
    ),
    pytest.param(
        HEADER + NODES_AB + 'p "" 2 1 "s" { "x" } 0\nt "" 0\np "" 2 1 "S" 0\nt "" 0',
        5,
        10,
        "B's information set 1 is named 'S' here but 's' at line 3",
        id="infoset-renamed",
    ),
    pytest.param(
        HEADER
        + NODES_AB
        + 'c "" 1 "" { "x" 1/2 "y" 1/2 } 0\nt "" 0\nt "" 0\nc "" 1 "" { "x" 1/3 "y" 2/3 } 0\n',
        6,
        11,
        "chance information set 1 has the probabilities (0.5, 0.5) at line 3 but (0.333333, 0.666667) here",
        id="chance-set-probabilities",
    ),
    pytest.param(HEADER + 'p "" 1 1 "" { } 0', 2, 13, "a node needs at least one action", id="no-actions"),
    pytest.param(
        HEADER + 'p "" 1 1 "" { "a" "b" "a" } 0',
        2,
        23,
        "action 3 is named 'a', like action 1",
        id="repeat-action",
    ),
    pytest.param(
        HEADER + 'p "" 1 1 "" { "a" 1 } 0', 2, 19, "expected an action name", id="number-in-actions"
    ),
    # chance probabilities
    pytest.param(
        HEADER + 'c "" 1 "" { "a" 1/2 "b" 1/4 } 0\nt "" 0\nt "" 0',
        2,
        11,
        "the probabilities of this chance node sum to 0.75, not 1",
        id="probabilities-sum",
    ),
    pytest.param(
        HEADER + 'c "" 1 "" { "a" -1/2 "b" 3/2 } 0\nt "" 0\nt "" 0',
        2,
        17,
        "the probability -1/2 is not between 0 and 1",
        id="negative-probability",
    ),
    pytest.param(
        HEADER + 'c "" 1 "" { "a" "b" } 0',
        2,
        17,
        "expected the probability of action 'a'",
        id="no-probability",
    ),
    pytest.param(
        HEADER + 'c "" 1 "" { "a" 1/0 } 0\nt "" 0', 2, 17, "1/0 divides by zero", id="zero-denominator"
    ),
    # outcomes and payoffs
    pytest.param(
        HEADER + NODES_AB + 't "" 1\nt "" 0',
        3,
        6,
        "outcome 1 appears here for the first time, but its payoffs are missing",
        id="missing-payoffs",
    ),
    pytest.param(
        HEADER + NODES_AB + 't "" 1 "win"\nt "" 0', 3, 6, "its payoffs are missing", id="name-without-payoffs"
    ),
    pytest.param(
        HEADER + 't "" 1 "o" { 1 }',
        2,
        16,
        "outcome 1 has 1 payoff; expected 2 (one per player)",
        id="few-payoffs",
    ),
    pytest.param(HEADER + 't "" 1 "o" { 1, 2, 3 }', 2, 20, "outcome 1 has 3 payoffs", id="many-payoffs"),
    pytest.param(
        HEADER + 't "" 1 "o" { 1, x }', 2, 17, "expected a payoff (a number) or '}'", id="payoff-word"
    ),
    pytest.param(HEADER + 't "" 1 "o" { 1e999 0 }', 2, 14, "'1e999' is not finite", id="infinite-payoff"),
    pytest.param(HEADER + 't "" 1.5 "o" { 1 0 }', 2, 6, "expected the outcome number", id="outcome-decimal"),
    pytest.param(
        HEADER + 'p "" 1 1 "" { "a" }\nt "" 0', 3, 1, "expected the outcome number", id="outcome-missing"
    ),
    pytest.param(
        HEADER + 't "" 0 "o" { 1 2 }', 2, 8, "the null outcome 0 has no name or payoffs", id="null-outcome"
    ),
    pytest.param(
        HEADER + NODES_AB + 't "" 1 "o" { 1 2 }\nt "" 1 "o" { 2 1 }',
        4,
        12,
        "outcome 1 pays (2, 1) here but (1, 2) at line 3",
        id="outcome-redefined",
    ),
    pytest.param(
        HEADER + NODES_AB + 't "" 1 "o" { 1 2 }\nt "" 1 "p"',
        4,
        8,
        "outcome 1 is named 'p' here but 'o' at line 3",
        id="outcome-renamed",
    ),
    # the shape of the tree
    pytest.param(
        HEADER + NODES_AB + 't "" 0',
        3,
        7,
        "the file ends before the tree is complete: the node at line 2 has 2 actions but only 1 child",
        id="truncated",
    ),
    pytest.param(
        HEADER + NODES_AB + 'p "" 2 1 "" { "x" "y" } 0\nt "" 0\n\n',
        4,
        7,
        "the node at line 3 has 2 actions but only 1 child",
        id="truncated-inner",
    ),
    pytest.param(
        HEADER + 'p "" 1 1 "" { "a" "b"',
        2,
        22,
        "expected an action name (a quoted text) or '}'",
        id="cut-mid-node",
    ),
    pytest.param(
        HEADER + 't "" 0\nt "" 0',
        3,
        1,
        "the tree is complete, but the file goes on with 't'",
        id="trailing-node",
    ),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), MALFORMED)
def test_malformed_input(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_efg(text, "bad.efg")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("bad.efg", line, column), str(caught.value)
    assert message in problem.message, str(caught.value)
    assert problem.hint
    assert isinstance(caught.value, InputError)
    assert isinstance(caught.value, ValueError)


def test_nfg_file_gets_a_hint() -> None:
    with pytest.raises(FormatError, match="strategic-form"):
        parse_efg('NFG 1 R "t" { "A" } { 1 } 0')


def test_all_problems_are_reported_together() -> None:
    text = HEADER + (
        'c "" 1 "" { "a" 1/2 "b" 1/4 } 0\np "" 3 1 "" { "x" } 0\nt "" 1 "o" { 1 }\nt "" 2 "p" { 1e999, 0 }\n'
    )
    with pytest.raises(FormatError) as caught:
        parse_efg(text)
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (2, 11, "the probabilities of this chance node sum to 0.75, not 1"),
        (3, 6, "player 3 does not exist: the file lists 2 players"),
        (4, 16, "outcome 1 has 1 payoff; expected 2 (one per player)"),
        (5, 14, "the number '1e999' is not finite (too large for a float)"),
    ]


def test_reading_stops_after_twenty_problems() -> None:
    text = 'EFG 2 R "t" { "A" } ' + 'p "" 1 1 "" { "a" } 0 ' * 30 + 't "" 0'
    text = text.replace('p "" 1 1', 'p "" 9 1')
    with pytest.raises(FormatError) as caught:
        parse_efg(text)
    assert len(caught.value.problems) == 20


def test_tree_errors_point_at_the_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the tree reject what the reader let through, the problem names the node's line."""

    def reject(*args: object, **kwargs: object) -> GameTree:
        raise GameError("GameTree: node 2 is odd")

    monkeypatch.setattr(efg_module.GameTree, "from_parents", reject)
    with pytest.raises(FormatError) as caught:
        parse_efg(HEADER + NODES_AB + 't "" 0\n  t "" 0\n', "odd.efg")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message) == (4, 3, "node 2 is odd")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.efg"
    with pytest.raises(FormatError) as caught:
        read_efg(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.message == "file not found"
    assert str(path) in str(caught.value)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        read_efg(tmp_path)


def test_cli_solve_missing_efg_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.efg"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(path) in result.stderr
    assert "not found" in result.stderr


# ---------------------------------------------------------------------------------------------
# Round trip through a small writer, and fuzzing

_LABELS = st.text(st.characters(blacklist_characters="\x00"), min_size=1, max_size=6)
# Gambit 16 takes printable ASCII labels without leading, trailing or doubled spaces.
_ASCII = st.text(string.ascii_letters + string.digits + "_-.", max_size=5)


@dataclass
class SpecNode:
    """One node of a drawn tree, with how the writer should write it."""

    kind: int
    name: str
    path: tuple[int, ...]
    player: int = -1
    infoset: int = 0
    set_name: str = ""
    actions: list[str] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    outcome: int = 0
    short: bool = False  # leave out what the file already defined (set name, actions, payoffs)
    children: list[int] = field(default_factory=list)


@dataclass
class Spec:
    title: str
    players: list[str]
    outcomes: dict[int, tuple[str, tuple[int, ...]]]  # number -> (name, payoffs in quarters)
    nodes: list[SpecNode]
    fractions: bool
    commas: bool


@st.composite
def specs(draw: st.DrawFn, ascii_only: bool = False) -> Spec:
    """A random tree of at most a few dozen nodes, with labels of any text (or only Gambit's)."""
    texts = _ASCII if ascii_only else st.text(max_size=4)
    labels = _ASCII.filter(bool) if ascii_only else _LABELS
    n_players = draw(st.integers(1, 3))
    players = draw(st.lists(labels, min_size=n_players, max_size=n_players, unique=True))
    quarters = st.tuples(*[st.integers(-40, 40)] * n_players)
    numbers = draw(st.lists(st.integers(1, 99), max_size=4, unique=True))
    outcomes = {k: (draw(texts), draw(quarters)) for k in numbers}
    nodes: list[SpecNode] = []
    sets: dict[tuple[int, int], SpecNode] = {}  # first node of each set
    budget = draw(st.integers(1, 25))

    def build(path: tuple[int, ...]) -> int:
        index = len(nodes)
        kinds = [TERMINAL, DECISION, CHANCE] if len(path) < 4 and len(nodes) < budget else [TERMINAL]
        kind = draw(st.sampled_from(kinds))
        node = SpecNode(kind, f"n{index}.{draw(texts)}", path)
        node.outcome = draw(st.sampled_from([0, *numbers]))
        node.short = draw(st.booleans())
        nodes.append(node)
        if kind == TERMINAL:
            return index
        node.player = draw(st.integers(0, n_players - 1)) if kind == DECISION else -1
        node.infoset = draw(st.integers(0, 3))
        first = sets.setdefault((node.player, node.infoset), node)
        if first is node:
            node.set_name = draw(texts)
            node.actions = draw(st.lists(labels, min_size=1, max_size=3, unique=True))
            if kind == CHANCE:
                node.weights = draw(
                    st.lists(
                        st.integers(0, 4), min_size=len(node.actions), max_size=len(node.actions)
                    ).filter(any)
                )
        else:
            node.set_name, node.actions, node.weights = first.set_name, first.actions, first.weights
        node.children = [build((*path, k)) for k in range(len(node.actions))]
        return index

    build(())
    return Spec(draw(texts), players, outcomes, nodes, draw(st.booleans()), draw(st.booleans()))


def write_efg(spec: Spec) -> str:
    """Write a drawn tree as .efg text, leaving out what may be left out where ``short`` says so."""
    lines = [f"EFG 2 R {quote(spec.title)} {{ {' '.join(map(quote, spec.players))} }}", '"drawn"']
    seen_sets: set[tuple[int, int]] = set()
    seen_outcomes: set[int] = set()

    def number(quarters: int) -> str:
        return f"{quarters}/4" if spec.fractions else repr(quarters / 4)

    for node in spec.nodes:
        parts = [{TERMINAL: "t", DECISION: "p", CHANCE: "c"}[node.kind], quote(node.name)]
        if node.kind == DECISION:
            parts.append(str(node.player + 1))
        if node.kind != TERMINAL:
            parts.append(str(node.infoset))
            key = (node.player, node.infoset)
            if key not in seen_sets or not node.short:
                total = sum(node.weights)
                listed = [
                    f"{quote(a)} {w}/{total}" if node.kind == CHANCE else quote(a)
                    for a, w in zip(node.actions, node.weights or node.actions)
                ]
                parts += [quote(node.set_name), "{", *listed, "}"]
            seen_sets.add(key)
        parts.append(str(node.outcome))
        if node.outcome and (node.outcome not in seen_outcomes or not node.short):
            name, quarters = spec.outcomes[node.outcome]
            separator = ", " if spec.commas else " "
            parts += [quote(name), "{", separator.join(number(q) for q in quarters), "}"]
            seen_outcomes.add(node.outcome)
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def expected_payoffs(spec: Spec) -> dict[tuple[int, ...], list[float]]:
    """Leaf payoffs by path: the sum of the outcomes from the root to the leaf."""
    result: dict[tuple[int, ...], list[float]] = {}
    sums: dict[tuple[int, ...], np.ndarray] = {}
    for node in spec.nodes:  # parents come before their children
        above = sums.get(node.path[:-1], np.zeros(len(spec.players)))
        own = np.asarray(spec.outcomes[node.outcome][1], dtype=float) / 4 if node.outcome else 0.0
        sums[node.path] = above + own
        if node.kind == TERMINAL:
            result[node.path] = sums[node.path].tolist()
    return result


def positions(tree: GameTree, node: int) -> tuple[int, ...]:
    """The path to ``node`` as child positions."""
    steps = tree.history(node)
    return tuple(int(c - tree.first_child[p]) for p, c in itertools.pairwise(steps))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_round_trip_of_drawn_trees(spec: Spec) -> None:
    tree = parse_efg(write_efg(spec))
    assert tree.title == spec.title
    assert tree.players == tuple(spec.players)
    assert tree.n_nodes == len(spec.nodes)
    by_path = {positions(tree, n): n for n in range(tree.n_nodes)}
    infosets: dict[tuple[int, int], int] = {}
    for node in spec.nodes:
        n = by_path[node.path]
        assert tree.kind[n] == node.kind
        assert tree.names[n] == node.name
        assert tree.n_children[n] == len(node.children)
        assert [tree.move_name(int(c)) for c in tree.children(n)] == node.actions
        if node.kind == CHANCE:
            total = sum(node.weights)
            assert tree.probability[tree.children(n)].tolist() == [
                float(Fraction(w, total)) for w in node.weights
            ]
        if node.kind == DECISION:
            assert tree.player[n] == node.player
            assert infosets.setdefault((node.player, node.infoset), int(tree.infoset[n])) == tree.infoset[n]
            assert tree.infoset_names[tree.infoset[n]] == node.set_name
    assert len(set(infosets.values())) == len(infosets) == tree.n_infosets  # same partition
    leaves = {positions(tree, int(leaf)): tree.payoffs[leaf].tolist() for leaf in tree.terminals}
    assert leaves == expected_payoffs(spec)


def parse_or_format_error(text: str) -> None:
    """Parsing either succeeds or raises FormatError with sensible positions."""
    try:
        tree = parse_efg(text, "fuzz.efg")
    except FormatError as error:
        assert error.problems
        lines = text.count("\n") + 1
        for problem in error.problems:
            assert problem.file == "fuzz.efg"
            assert problem.line is not None and 1 <= problem.line <= lines
            assert problem.column is not None and problem.column >= 1
    else:
        assert isinstance(tree, GameTree)
        assert np.all(np.isfinite(tree.payoffs))


SAMPLES = [path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.efg"))]
_PIECES = st.sampled_from([*'"\\{},/.-e0123 \n', "c", "p", "t", "x", "1e999", "1/0", "9" * 30])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_fuzz_random_text(text: str) -> None:
    parse_or_format_error(text)
    parse_or_format_error(HEADER + text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), _PIECES), max_size=4),
    st.none() | st.floats(0, 1),
)
def test_fuzz_mutated_files(text: str, edits: list[tuple[float, int, str]], keep: float | None) -> None:
    for where, removed, piece in edits:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + removed :]
    if keep is not None:
        text = text[: int(keep * len(text))]
    parse_or_format_error(text)


# ---------------------------------------------------------------------------------------------
# Cross-check against Gambit's own reader (optional)


def gambit_leaves(text: str) -> tuple[dict[tuple[str, ...], list[float]], list[int]]:
    """Gambit's reading of ``text``: leaf payoffs (outcomes summed on the path) by move labels,
    and the sizes of the information sets."""
    gambit = pytest.importorskip("pygambit", reason=GAMBIT_REASON)
    import io

    game = gambit.read_efg(io.StringIO(text))
    leaves: dict[tuple[str, ...], list[float]] = {}
    for node in game.nodes:
        if not node.is_terminal:
            continue
        total, labels, step = [0.0] * len(game.players), [], node
        while step is not None:
            if step.outcome:
                total = [t + float(step.outcome[p]) for t, p in zip(total, game.players)]
            if step.prior_action is not None:
                labels.append(step.prior_action.label)
            step = step.parent
        leaves[tuple(labels[::-1])] = total
    sizes = sorted(len(infoset.members) for player in game.players for infoset in player.infosets)
    return leaves, sizes


@pytest.mark.parametrize("path", sorted(DATA.glob("*.efg")), ids=lambda p: p.stem)
def test_data_files_agree_with_gambit(path: Path) -> None:
    leaves, sizes = gambit_leaves(path.read_text(encoding="utf-8"))
    tree = read_efg(path)
    assert leaves_by_path(tree) == leaves
    assert sorted(len(members) for members in infoset_members_by_id(tree).values()) == sizes


def infoset_members_by_id(tree: GameTree) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for node in np.flatnonzero(tree.kind == DECISION):
        members.setdefault(int(tree.infoset[node]), []).append(int(node))
    return members


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(ascii_only=True))
def test_drawn_trees_agree_with_gambit(spec: Spec) -> None:
    text = write_efg(spec)
    leaves, sizes = gambit_leaves(text)
    tree = parse_efg(text)
    assert set(leaves) == set(leaves_by_path(tree))
    for path, payoffs in leaves_by_path(tree).items():
        assert payoffs == pytest.approx(leaves[path])
    assert sorted(len(members) for members in infoset_members_by_id(tree).values()) == sizes
    assert math.isclose(float(tree.payoffs.sum()), float(sum(map(sum, leaves.values()))), abs_tol=1e-9)
