"""Tests of the Gambit strategic-form (.nfg) reader."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import negsim.io
from negsim.errors import FormatError, InputError, NegsimWarning
from negsim.game.normal_form import NormalFormGame
from negsim.io import nfg as nfg_module
from negsim.io import parse_nfg, read_nfg

DATA = Path(__file__).parent / "data" / "nfg"

# Nau, Canovas and Hansen (2004), section 4: payoffs (P1, P2, P3) by (P1, P2, P3) strategy.
NAU_PAYOFFS = {
    ("Top", "Left", "1"): (3, 0, 2),
    ("Bottom", "Left", "1"): (0, 1, 0),
    ("Top", "Right", "1"): (0, 2, 0),
    ("Bottom", "Right", "1"): (1, 0, 0),
    ("Top", "Left", "2"): (1, 0, 0),
    ("Bottom", "Left", "2"): (0, 3, 0),
    ("Top", "Right", "2"): (0, 1, 0),
    ("Bottom", "Right", "2"): (2, 0, 3),
}
NAU_STRATEGIES = (("Top", "Bottom"), ("Left", "Right"), ("1", "2"))

HEADER = 'NFG 1 R "t" { "A" "B" } { 2 2 }\n'


def quote(text: str) -> str:
    """Quote a label the way Gambit does: backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_payoff_nfg(game: NormalFormGame) -> str:
    """Write a game in the payoff version of the .nfg format, the first player's strategy fastest."""
    n = game.n_players
    players = " ".join(quote(p) for p in game.players)
    strategies = " ".join("{ " + " ".join(quote(s) for s in row) + " }" for row in game.strategies)
    rows = game.payoffs.transpose(*range(n - 1, -1, -1), n).reshape(-1, n)
    body = "\n".join(" ".join(repr(float(x)) for x in row) for row in rows)
    return f'NFG 1 R {quote(game.title)} {{ {players} }}\n{{ {strategies} }}\n""\n{body}\n'


def assert_nau_payoffs(game: NormalFormGame) -> None:
    for (s1, s2, s3), expected in NAU_PAYOFFS.items():
        index = tuple(NAU_STRATEGIES[i].index(s) for i, s in enumerate((s1, s2, s3)))
        assert game.payoffs[index].tolist() == list(expected), (s1, s2, s3)


# ---------------------------------------------------------------------------------------------
# Valid files


def test_payoff_version_two_players() -> None:
    game = read_nfg(DATA / "prisoners_dilemma.nfg")
    assert game.title == "Prisoner's Dilemma"
    assert game.players == ("Row", "Column")
    assert game.strategies == (("1", "2"), ("1", "2"))
    np.testing.assert_array_equal(game.payoffs[..., 0], [[3, 0], [5, 1]])
    np.testing.assert_array_equal(game.payoffs[..., 1], [[3, 5], [0, 1]])
    assert game.payoffs.dtype == np.float64
    assert dict(game.outcomes) == {}


def test_outcome_version_with_named_outcomes() -> None:
    game = read_nfg(DATA / "chicken_outcomes.nfg")
    assert game.title == "Chicken"
    assert game.players == ("Driver 1", "Driver 2")
    assert game.strategies == (("Swerve", "Straight"), ("Swerve", "Straight"))
    np.testing.assert_array_equal(game.payoffs[..., 0], [[6, 2], [7, 0]])
    np.testing.assert_array_equal(game.payoffs[..., 1], [[6, 7], [2, 0]])
    assert sorted(game.outcomes) == ["both swerve", "one backs down"]
    np.testing.assert_array_equal(game.outcomes["both swerve"], [[True, False], [False, False]])
    # Two outcome entries share this name: their masks are merged.
    np.testing.assert_array_equal(game.outcomes["one backs down"], [[False, True], [True, False]])


@pytest.mark.parametrize("name", ["nau_three_player.nfg", "nau_three_player_outcomes.nfg"])
def test_three_player_game_every_payoff(name: str) -> None:
    game = read_nfg(DATA / name)
    assert game.shape == (2, 2, 2)
    assert game.players == ("P1", "P2", "P3")
    assert game.title == "Nau et al. (2004), three-player game"
    assert_nau_payoffs(game)


def test_three_player_versions_agree_and_outcome_names() -> None:
    by_counts = read_nfg(DATA / "nau_three_player.nfg")
    by_outcomes = read_nfg(DATA / "nau_three_player_outcomes.nfg")
    np.testing.assert_array_equal(by_counts.payoffs, by_outcomes.payoffs)
    assert by_counts.strategies == (("1", "2"),) * 3
    assert by_outcomes.strategies == NAU_STRATEGIES
    assert list(by_outcomes.outcomes) == ["P3 wins"]  # empty outcome names are left out
    expected = np.zeros((2, 2, 2), dtype=bool)
    expected[1, 1, 1] = True
    np.testing.assert_array_equal(by_outcomes.outcomes["P3 wins"], expected)


def test_fractions_decimals_escapes_and_comment() -> None:
    game = read_nfg(DATA / "fractions_3x2.nfg")
    assert game.title == 'A "mixed" 3x2 game \\ with fractions'
    assert game.players == ("Buyer", "Seller")
    assert game.strategies == (("Up", "Middle", "Down"), ("Left", "Right"))
    expected = np.array(
        [
            [[0.75, -2000.0], [0.01, 0.25]],
            [[0.5, 1.5], [-7.0, 0.25]],
            [[float(Fraction(-1, 3)), 2.0], [1.0, -0.125]],
        ]
    )
    np.testing.assert_array_equal(game.payoffs, expected)


def test_whitespace_anywhere_and_strings_across_lines() -> None:
    text = 'NFG\n1\nD\n"two\nlines"\n{\n"A"\n"B"\n}\n{\n1\n2\n}\n1\n2\n\n3\n4\n'
    game = parse_nfg(text)
    assert game.title == "two\nlines"
    assert game.shape == (1, 2)
    np.testing.assert_array_equal(game.payoffs, [[[1, 2], [3, 4]]])
    compact = parse_nfg('NFG 1 R "t"{"A""B"}{{"x"}{"y""z"}}{{"o"1,2}}1 0')
    np.testing.assert_array_equal(compact.payoffs, [[[1, 2], [0, 0]]])
    assert compact.strategies == (("x",), ("y", "z"))


def test_outcome_body_after_strategy_counts_and_optional_commas() -> None:
    text = HEADER + '{ { "a" 1 2 } { "b" 3, 4 } { "c" 5, 6, } }\n1 2 3 0'
    game = parse_nfg(text)
    assert game.strategies == (("1", "2"), ("1", "2"))
    np.testing.assert_array_equal(game.payoffs[..., 0], [[1, 5], [3, 0]])
    np.testing.assert_array_equal(game.payoffs[..., 1], [[2, 6], [4, 0]])
    assert sorted(game.outcomes) == ["a", "b", "c"]


def test_backslash_escapes_and_empty_names() -> None:
    text = r'NFG 1 R "say \"hi\" C:\temp\\" { "" "B" } { { "" "x\\y" } { "" } } 1 2 3 4'
    game = parse_nfg(text)
    assert game.title == 'say "hi" C:\\temp\\'
    assert game.players == ("Player 1", "B")
    assert game.strategies == (("1", "x\\y"), ("1",))


def test_one_player_and_byte_order_mark() -> None:
    game = parse_nfg('\ufeffNFG 1 R "solo" { "Me" } { 3 } 1 -2 .5')
    assert game.shape == (3,)
    np.testing.assert_array_equal(game.payoffs[:, 0], [1, -2, 0.5])


def test_read_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.nfg"
    path.write_bytes('NFG 1 R "Sélten" { "A" } { 1 } 4'.encode("latin-1"))
    assert read_nfg(path).title == "Sélten"
    assert read_nfg(str(path)).payoffs.tolist() == [[4.0]]


def test_large_game_matches_its_payoff_list() -> None:
    rng = np.random.default_rng(7)
    shape = (13, 11, 3)
    payoffs = rng.integers(-50, 50, size=(*shape, 3))
    rows = payoffs.transpose(2, 1, 0, 3).reshape(-1, 3)
    body = "\n".join(f"{a} {b}/4 {c}.5" for a, b, c in rows)
    game = parse_nfg('NFG 1 R "big" { "A" "B" "C" } { 13 11 3 }\n' + body)
    expected = payoffs.astype(float)
    expected[..., 1] /= 4
    expected[..., 2] += np.where(payoffs[..., 2] < 0, -0.5, 0.5)
    np.testing.assert_array_equal(game.payoffs, expected)


def test_many_named_outcomes_are_dropped_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nfg_module, "MAX_OUTCOME_MASK_CELLS", 7)
    with pytest.warns(NegsimWarning, match="names are not kept"):
        game = read_nfg(DATA / "chicken_outcomes.nfg")
    assert dict(game.outcomes) == {}
    np.testing.assert_array_equal(game.payoffs[..., 0], [[6, 2], [7, 0]])


def test_package_exports() -> None:
    assert negsim.io.__all__ == ["parse_efg", "parse_nfg", "read_efg", "read_nfg"]


# ---------------------------------------------------------------------------------------------
# Malformed files: each gives a FormatError pointing at the offending item

MALFORMED = [
    pytest.param('EFG 2 R "t" { "A" } 0', 1, 1, "expected 'NFG', found 'EFG'", id="efg-magic"),
    pytest.param('  \n  hello NFG 1 R "t"', 2, 3, "expected 'NFG', found 'hello'", id="bad-magic"),
    pytest.param("", 1, 1, "expected 'NFG', found the end of the file", id="empty"),
    pytest.param('NFG 2 R "t" { "A" } { 1 } 0', 1, 5, "unknown .nfg format version '2'", id="version"),
    pytest.param('NFG 1 Q "t" { "A" } { 1 } 0', 1, 7, "'R' or 'D'", id="number-type"),
    pytest.param('NFG 1 R { "A" } { 1 } 0', 1, 9, "expected the game's title", id="no-title"),
    pytest.param('NFG 1 R "t" { }\n{ }', 1, 13, "the file lists no players", id="no-players"),
    pytest.param('NFG 1 R "t" { "A" 7 } { 1 }', 1, 19, "expected a player name", id="player-not-text"),
    pytest.param(
        'NFG 1 R "t" { "A" "B" }\n{ 2 2 2 }\n',
        2,
        7,
        "more strategy counts than players (2)",
        id="counts-many",
    ),
    pytest.param(
        'NFG 1 R "t" { "A" "B" "C" }\n  { 2 2 }', 2, 9, "3 players but 2 strategy counts", id="counts-few"
    ),
    pytest.param('NFG 1 R "t" { "A" } { 0 } ', 1, 23, "positive whole number, found '0'", id="count-zero"),
    pytest.param('NFG 1 R "t" { "A" } { 2.5 } ', 1, 23, "positive whole number", id="count-decimal"),
    pytest.param(
        'NFG 1 R "t" { "A" "B" } { { "x" } }', 1, 35, "2 players but 1 strategy list", id="lists-few"
    ),
    pytest.param(
        'NFG 1 R "t" { "A" } {\n { "U" "M" "U" } } 1 2 3',
        2,
        12,
        "A's strategy 3 is named 'U', like A's strategy 1",
        id="repeated-strategy",
    ),
    pytest.param('NFG 1 R "t" { "A" "A" } { 1 1 } 1 2', 1, 19, "player 2 is named 'A'", id="repeated-player"),
    pytest.param('NFG 1 R "t" { "A" "B }\n{ 1 1 }', 1, 19, "unterminated text", id="unterminated"),
    pytest.param(
        HEADER + "1 1  0 2\n0 2  1",
        3,
        7,
        "expected 8 payoffs (4 profiles x 2 players), found 7",
        id="too-few-payoffs",
    ),
    pytest.param(
        HEADER + "1 1 0 2 0 2 1 1 9",
        2,
        17,
        "expected 8 payoffs (4 profiles x 2 players), found 9",
        id="too-many-payoffs",
    ),
    pytest.param(HEADER, 1, 32, "expected 8 payoffs (4 profiles x 2 players), found 0", id="no-payoffs"),
    pytest.param(
        HEADER + "1 1 0 2 0x2 2 1 1", 2, 9, "expected a payoff (a number), found '0x2'", id="garbage"
    ),
    pytest.param(HEADER + "1 1 0 2, 0 2 1 1", 2, 8, "found ','", id="comma-in-payoff-list"),
    pytest.param(HEADER + "1 1 1e999 2 0 2 1 1", 2, 5, "'1e999' is not finite", id="infinite"),
    pytest.param(HEADER + "1 1 1/0 2 0 2 1 1", 2, 5, "1/0 divides by zero", id="zero-denominator"),
    pytest.param(HEADER + "foo 1 1", 2, 1, "expected the payoffs (numbers) or an outcome list", id="body"),
    pytest.param(
        HEADER + '{ { "a" 1 2 } { "b" 3 4 } }\n1 2 0 3',
        3,
        7,
        "outcome 3 does not exist: the file lists 2 outcomes",
        id="outcome-out-of-range",
    ),
    pytest.param(
        HEADER + '{ { "a" 1 2 } }\n1 0 99999999999999999999999 0',
        3,
        5,
        "outcome 99999999999999999999999 does not exist",
        id="outcome-huge",
    ),
    pytest.param(
        HEADER + '{ { "a" 1 2 } }\n1 0 1.0 0', 3, 5, "must be a whole number, found '1.0'", id="index-dec"
    ),
    pytest.param(
        HEADER + '{ { "a" 1 2 } }\n1 0 1',
        3,
        6,
        "expected 4 outcome numbers (one per profile), found 3",
        id="idx-few",
    ),
    pytest.param(
        HEADER + '{ { "a" 1 2 } }\n1 0 1 1 foo', 3, 9, "expected an outcome number", id="idx-garbage"
    ),
    pytest.param(
        HEADER + '{\n{ "a" 1 2 }\n{ "b" 1 }\n}\n1 1 1 1',
        4,
        9,
        "outcome 2 has 1 payoff; expected 2",
        id="outcome-few",
    ),
    pytest.param(
        HEADER + '{ { "a" 1 2 3 } }\n1 1 1 1', 2, 13, "outcome 1 has 3 payoffs; expected 2", id="outcome-many"
    ),
    pytest.param(
        HEADER + "{ { 1 2 } }\n1 1 1 1", 2, 5, "expected the name of outcome 1", id="outcome-no-name"
    ),
    pytest.param(HEADER + '{ { "a" 1 2 }\n1 1 1 1', 3, 1, "closing the outcome list", id="outcome-list-open"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), MALFORMED)
def test_malformed_input(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_nfg(text, "bad.nfg")
    problem = caught.value.problems[-1]
    assert (problem.file, problem.line, problem.column) == ("bad.nfg", line, column), str(caught.value)
    assert message in problem.message
    assert problem.hint
    assert isinstance(caught.value, InputError)
    assert isinstance(caught.value, ValueError)


def test_payoff_count_message_is_exact() -> None:
    with pytest.raises(FormatError) as caught:
        parse_nfg(HEADER + "1 1 0 2 0 2 1")
    assert caught.value.problems[0].message == "expected 8 payoffs (4 profiles x 2 players), found 7"


def test_efg_file_gets_a_hint() -> None:
    with pytest.raises(FormatError, match="extensive-form"):
        parse_nfg('EFG 2 R "tree" { "A" }')


def test_all_bad_values_are_reported_together() -> None:
    with pytest.raises(FormatError) as caught:
        parse_nfg(HEADER + "1 1 1e999 2\n0 2 1/0 1 7")
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (2, 5, "the number '1e999' is not finite (too large for a float)"),
        (3, 5, "the fraction 1/0 divides by zero"),
        (3, 11, "expected 8 payoffs (4 profiles x 2 players), found 9"),
    ]


def test_reading_stops_after_twenty_problems() -> None:
    with pytest.raises(FormatError) as caught:
        parse_nfg('NFG 1 R "t" { "A" } { 30 } ' + "1e999 " * 30)
    assert len(caught.value.problems) == 20


@pytest.mark.parametrize("number", ["1" * 5000 + "/3", "1" * 400 + "/1", "-" + "9" * 400 + ".5"])
def test_huge_numbers(number: str) -> None:
    with pytest.raises(FormatError, match="is not finite"):
        parse_nfg('NFG 1 R "t" { "A" } { 1 } ' + number)


def test_too_many_players() -> None:
    players = " ".join(f'"P{k}"' for k in range(64))
    with pytest.raises(FormatError, match="at most 63"):
        parse_nfg(f'NFG 1 R "crowd" {{ {players} }} {{ {"1 " * 64}}}')
    game = parse_nfg(f'NFG 1 R "crowd" {{ {players[:-6]} }} {{ {"1 " * 63}}} {"0 " * 63}')
    assert game.n_players == 63


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.nfg"
    with pytest.raises(FormatError) as caught:
        read_nfg(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.message == "file not found"
    assert str(path) in str(caught.value)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        read_nfg(tmp_path)


# ---------------------------------------------------------------------------------------------
# Round trip and fuzzing

_NAMES = st.text(min_size=1, max_size=8)


@st.composite
def games(draw: st.DrawFn) -> NormalFormGame:
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    n = len(shape)
    payoffs = draw(
        hnp.arrays(np.float64, (*shape, n), elements=st.floats(allow_nan=False, allow_infinity=False))
    )
    players = draw(st.lists(_NAMES, min_size=n, max_size=n, unique=True))
    strategies = [draw(st.lists(_NAMES, min_size=k, max_size=k, unique=True)) for k in shape]
    return NormalFormGame(payoffs, players, strategies, title=draw(st.text(max_size=10)))


@settings(max_examples=150, deadline=None)
@given(games())
def test_round_trip_through_payoff_version(game: NormalFormGame) -> None:
    again = parse_nfg(write_payoff_nfg(game))
    np.testing.assert_array_equal(again.payoffs, game.payoffs)
    assert again.players == game.players
    assert again.strategies == game.strategies
    assert again.title == game.title


def test_round_trip_of_sample_files() -> None:
    for path in sorted(DATA.glob("*.nfg")):
        game = read_nfg(path)
        again = parse_nfg(write_payoff_nfg(game))
        np.testing.assert_array_equal(again.payoffs, game.payoffs)
        assert again.strategies == game.strategies


def parse_or_format_error(text: str) -> None:
    """Parsing either succeeds or raises FormatError with sensible positions."""
    try:
        game = parse_nfg(text, "fuzz.nfg")
    except FormatError as error:
        assert error.problems
        lines = text.count("\n") + 1
        for problem in error.problems:
            assert problem.file == "fuzz.nfg"
            assert problem.line is not None and 1 <= problem.line <= lines
            assert problem.column is not None and problem.column >= 1
    else:
        assert isinstance(game, NormalFormGame)


SAMPLES = [path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.nfg"))]
_PIECES = st.sampled_from([*'"\\{},/.-e017 \n', "NFG", "x", "1e999", "1/0", "9" * 30])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_fuzz_random_text(text: str) -> None:
    parse_or_format_error(text)
    parse_or_format_error('NFG 1 R "t" { "A" "B" } ' + text)


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
