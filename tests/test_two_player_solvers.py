"""Two-player solvers on games with published answers: vertex enumeration, Lemke-Howson, zero-sum LP."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pytest
from games import (
    DEGENERATE_3X2,
    DEGENERATE_GAMES,
    DOMINANT_ROW_TIE,
    REFERENCE_GAMES,
    VON_STENGEL_75_COLUMN,
    VON_STENGEL_75_ROW,
    Reference,
    as_rows,
    contains,
    equilibrium_rows,
    same_sets,
)

import negsim.solvers as solvers
import negsim.solvers.enumeration as enumeration
from negsim import DegenerateGameWarning, NormalFormGame, SolverError, solve
from negsim.solvers.enumeration import DEGENERATE_NOTE, vertex_enumeration
from negsim.solvers.lemke_howson import lemke_howson
from negsim.solvers.result import Equilibrium, SolveResult
from negsim.solvers.verify import Verifier
from negsim.solvers.zerosum import zero_sum_lp

BY_NAME = {reference.name: reference for reference in REFERENCE_GAMES}
ZERO_SUM = [BY_NAME["Matching Pennies"], BY_NAME["Rock-Paper-Scissors"]]


def expected_rows(reference: Reference) -> np.ndarray:
    return as_rows([profile for profile, _ in reference.equilibria])


def assert_published(result: SolveResult, reference: Reference) -> None:
    """Every published equilibrium is found once, with its published payoffs, and nothing else."""
    assert same_sets(equilibrium_rows(result.equilibria), expected_rows(reference))
    assert len(result.equilibria) == len(reference.equilibria)
    for profile, payoffs in reference.equilibria:
        (match,) = [e for e in result.equilibria if same_sets(equilibrium_rows([e]), as_rows([profile]))]
        np.testing.assert_allclose(match.payoffs, [float(p) for p in payoffs], rtol=0, atol=1e-9)
        assert match.max_regret <= result.tolerance


def three_player_game() -> NormalFormGame:
    return NormalFormGame(np.zeros((2, 2, 2, 3)))


def random_game(rng: np.random.Generator, m: int, n: int) -> NormalFormGame:
    return NormalFormGame.from_matrices(rng.random((m, n)), rng.random((m, n)))


# --- vertex enumeration ------------------------------------------------------------------------


@pytest.mark.parametrize("reference", REFERENCE_GAMES, ids=lambda r: r.name)
def test_enumeration_finds_exactly_the_published_equilibria(reference: Reference) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        result = vertex_enumeration(reference.game())
    assert_published(result, reference)
    assert result.method == "vertex-enumeration"
    assert result.complete is True
    assert result.degenerate is False
    assert result.notes == ()


def test_enumeration_lists_pure_equilibria_first() -> None:
    result = vertex_enumeration(BY_NAME["Chicken"].game())
    assert [e.is_pure for e in result.equilibria] == [True, True, False]


@pytest.mark.parametrize("reference", DEGENERATE_GAMES, ids=lambda r: r.name)
def test_degenerate_game_reports_extreme_points_and_warns(reference: Reference) -> None:
    with pytest.warns(DegenerateGameWarning, match="degenerate"):
        result = vertex_enumeration(reference.game())
    assert_published(result, reference)
    assert result.degenerate is True
    assert result.complete is True
    assert DEGENERATE_NOTE in result.notes


def test_degenerate_note_names_the_corners_of_each_continuum() -> None:
    with pytest.warns(DegenerateGameWarning):
        result = vertex_enumeration(DEGENERATE_3X2.game())
    # (e1; e1) and (e1; (2/3, 1/3)) span a segment; the third equilibrium is isolated.
    continua = [note for note in result.notes if "corners of one continuum" in note]
    assert continua == [
        "equilibria 1 and 2 are the corners of one continuum of equilibria (a maximal Nash subset): "
        "any mix of their strategies for Player 1 together with any mix of their strategies for "
        "Player 2 is an equilibrium"
    ]


def test_all_indifferent_game_is_one_continuum_of_all_pure_profiles() -> None:
    game = NormalFormGame.from_matrices(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.warns(DegenerateGameWarning):
        result = vertex_enumeration(game)
    assert len(result.equilibria) == 6
    assert all(e.is_pure for e in result.equilibria)
    assert any("equilibria 1, 2, 3, 4, 5 and 6 are the corners" in note for note in result.notes)


@pytest.mark.parametrize(
    ("limit", "value", "note"),
    [
        ("GROUPING_LIMIT", 2, "the 3 extreme equilibria were not grouped into continua (too many)"),
        ("SUBSET_LIMIT", 1, "the extreme equilibria form more than 1 overlapping continua; not listed"),
        ("CONTINUUM_NOTES", 0, "one more continuum of equilibria is not described"),
    ],
)
def test_continuum_notes_stay_short(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int, note: str
) -> None:
    monkeypatch.setattr(enumeration, limit, value)
    with pytest.warns(DegenerateGameWarning):
        result = vertex_enumeration(DEGENERATE_3X2.game())
    assert result.notes == (DEGENERATE_NOTE, note)


def test_a_dominant_row_with_ties_gives_a_segment() -> None:
    with pytest.warns(DegenerateGameWarning):
        result = vertex_enumeration(DOMINANT_ROW_TIE.game())
    assert [e.supports for e in result.equilibria] == [((0,), (0,)), ((0,), (1,))]


def test_von_stengel_game_has_75_equilibria() -> None:
    game = NormalFormGame.from_matrices(VON_STENGEL_75_ROW, VON_STENGEL_75_COLUMN)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        result = vertex_enumeration(game)
    assert len(result.equilibria) == 75
    assert result.complete is True
    assert result.degenerate is False
    assert max(e.max_regret for e in result.equilibria) <= result.tolerance


def test_enumeration_handles_single_strategy_players() -> None:
    game = NormalFormGame.from_matrices([[1, 3, 2]], [[0, 2, 1]])
    result = vertex_enumeration(game)
    assert [e.supports for e in result.equilibria] == [((0,), (1,))]
    assert result.degenerate is False


def test_enumeration_reports_candidates_that_fail_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    class PureOnly(Verifier):
        def mixed(self, strategies: Sequence[np.ndarray]) -> Equilibrium | None:
            if any((np.asarray(s) > 0).sum() > 1 for s in strategies):
                return None
            return super().mixed(strategies)

    monkeypatch.setattr(enumeration, "Verifier", PureOnly)
    result = vertex_enumeration(BY_NAME["Battle of the Sexes"].game())
    assert len(result.equilibria) == 2
    assert result.complete is False
    assert result.notes[0].startswith("1 of 3 candidate equilibria failed verification")


def test_enumeration_needs_two_players() -> None:
    with pytest.raises(SolverError, match="two-player"):
        vertex_enumeration(three_player_game())


# --- Lemke-Howson ------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", REFERENCE_GAMES + DEGENERATE_GAMES, ids=lambda r: r.name)
def test_lemke_howson_finds_only_published_equilibria(reference: Reference) -> None:
    result = lemke_howson(reference.game())
    assert result.equilibria
    assert contains(expected_rows(reference), equilibrium_rows(result.equilibria))
    assert max(e.max_regret for e in result.equilibria) <= result.tolerance
    assert result.method == "lemke-howson"
    assert result.complete is False
    assert result.degenerate is None
    assert "there may be others" in result.notes[0]


@pytest.mark.parametrize(("name", "reached"), [("Shapley 1974, fig. 2", 2), ("Shapley 1974, fig. 3", 1)])
def test_lemke_howson_misses_equilibria_of_shapleys_games(name: str, reached: int) -> None:
    result = lemke_howson(BY_NAME[name].game())
    assert len(result.equilibria) == reached < len(BY_NAME[name].equilibria)
    assert result.complete is False


def test_lemke_howson_from_one_label() -> None:
    result = lemke_howson(BY_NAME["Battle of the Sexes"].game(), initial_labels=[0])
    assert [e.supports for e in result.equilibria] == [((0,), (0,))]
    assert "reaches from label 0;" in result.notes[0]


@pytest.mark.parametrize("size", [40, 60])
def test_lemke_howson_solves_large_random_games(size: int) -> None:
    game = random_game(np.random.default_rng(size), size, size)
    result = lemke_howson(game)
    assert len(result.equilibria) >= 1
    assert max(e.max_regret for e in result.equilibria) <= result.tolerance
    assert result.notes[1:] == ()


def test_lemke_howson_on_a_large_tied_game() -> None:
    rng = np.random.default_rng(7)
    game = NormalFormGame.from_matrices(rng.integers(0, 3, (30, 30)), rng.integers(0, 3, (30, 30)))
    result = lemke_howson(game)
    assert result.equilibria
    assert max(e.max_regret for e in result.equilibria) <= result.tolerance


def test_lemke_howson_pivot_limit_is_reported() -> None:
    result = lemke_howson(BY_NAME["Shapley 1974, fig. 2"].game(), initial_labels=[0], max_pivots=1)
    assert result.equilibria == ()
    assert result.notes[1] == "the run from label 0 stopped after 1 pivots without reaching an equilibrium"


@pytest.mark.parametrize("labels", [[], [4], [-1], [0.5]])
def test_lemke_howson_rejects_bad_labels(labels: list[int]) -> None:
    with pytest.raises(SolverError, match="initial_labels"):
        lemke_howson(BY_NAME["Battle of the Sexes"].game(), initial_labels=labels)


def test_lemke_howson_rejects_bad_arguments() -> None:
    with pytest.raises(SolverError, match="max_pivots"):
        lemke_howson(BY_NAME["Battle of the Sexes"].game(), max_pivots=0)
    with pytest.raises(SolverError, match="two-player"):
        lemke_howson(three_player_game())


# --- zero-sum linear programming ---------------------------------------------------------------


@pytest.mark.parametrize("reference", ZERO_SUM, ids=lambda r: r.name)
def test_zero_sum_lp_value_and_optimal_strategies(reference: Reference) -> None:
    result = zero_sum_lp(reference.game())
    assert result.value == pytest.approx(0.0, abs=1e-12)
    assert_published(result, reference)
    assert result.method == "zero-sum-lp"
    assert result.complete is False
    assert "one optimal strategy per player" in result.notes[0]


def test_zero_sum_lp_on_a_game_with_nonzero_value() -> None:
    # 2x2 without a saddle point: value (ad - bc) / (a - b - c + d) = 1/5, both mix (2/5, 3/5).
    game = NormalFormGame.from_matrices([[2, -1], [-1, 1]], [[-2, 1], [1, -1]])
    result = zero_sum_lp(game)
    assert result.value == pytest.approx(0.2, abs=1e-12)
    (equilibrium,) = result.equilibria
    np.testing.assert_allclose(np.concatenate(equilibrium.strategies), [0.4, 0.6, 0.4, 0.6], atol=1e-12)


def test_zero_sum_lp_with_a_saddle_point_and_scale() -> None:
    game = NormalFormGame.from_matrices([[1e6, 3e6], [2e6, 4e6]], [[-1e6, -3e6], [-2e6, -4e6]])
    result = zero_sum_lp(game)
    assert result.value == pytest.approx(2e6)
    assert result.equilibria[0].supports == ((1,), (0,))


def test_solutions_failing_verification_are_withheld() -> None:
    game = BY_NAME["Rock-Paper-Scissors"].game()  # a negative tolerance rejects everything
    lp = zero_sum_lp(game, tol=-1.0)
    assert lp.equilibria == () and lp.value is None
    assert lp.notes[0].startswith("the linear programs' solution failed verification")
    path = lemke_howson(game, tol=-1.0, initial_labels=[0])
    assert path.equilibria == ()
    assert path.notes[1].startswith("1 end point failed verification")


def test_zero_sum_lp_rejects_other_games() -> None:
    with pytest.raises(SolverError, match=r"zero-sum game .* adds up to 5"):
        zero_sum_lp(BY_NAME["Battle of the Sexes"].game())
    with pytest.raises(SolverError, match="two-player"):
        zero_sum_lp(three_player_game())


# --- through solve() ---------------------------------------------------------------------------


def test_solve_enumerates_small_two_player_games() -> None:
    result = solve(BY_NAME["Battle of the Sexes"].game())
    assert result.method == "vertex-enumeration"
    assert result.complete is True
    assert len(result.equilibria) == 3


@pytest.mark.parametrize("reference", ZERO_SUM, ids=lambda r: r.name)
def test_solve_adds_the_value_of_zero_sum_games(reference: Reference) -> None:
    result = solve(reference.game())
    assert result.method == "vertex-enumeration + zero-sum-lp"
    assert result.value == pytest.approx(0.0, abs=1e-12)
    assert_published(result, reference)


def test_solve_falls_back_to_lemke_howson_on_large_games(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solvers, "ENUMERATION_LIMIT", 10)
    result = solve(random_game(np.random.default_rng(3), 4, 4))
    assert result.method == "lemke-howson"
    assert result.complete is False
    assert result.notes[0].startswith("the 4x4 game is too large to enumerate: 70 linear systems (limit 10)")
    assert result.equilibria


@pytest.mark.parametrize(("method", "expected"), [("enumerate", 3), ("lemke-howson", 2), ("pure", 2)])
def test_solve_by_name(method: str, expected: int) -> None:
    assert len(solve(BY_NAME["Shapley 1974, fig. 2"].game(), method=method).equilibria) == expected


def test_solve_by_name_checks_the_game() -> None:
    with pytest.raises(SolverError, match="zero-sum"):
        solve(BY_NAME["Chicken"].game(), method="zero-sum")
    with pytest.raises(SolverError, match="two-player"):
        solve(three_player_game(), method="enumerate")
