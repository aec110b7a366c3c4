"""Property tests of the two-player solvers, and cross-checks against nashpy and Gambit."""

from __future__ import annotations

import warnings
from random import Random

import nashpy
import numpy as np
import pytest
from games import as_rows, contains, equilibrium_rows, same_sets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negsim import DegenerateGameWarning, NormalFormGame, SolverError
from negsim.game.profile import max_regret
from negsim.solvers import enumeration
from negsim.solvers.enumeration import gaussian_solve, vertex_enumeration
from negsim.solvers.lemke_howson import lemke_howson
from negsim.solvers.result import SolveResult
from negsim.solvers.verify import Verifier
from negsim.solvers.zerosum import zero_sum_lp

GAMBIT_REASON = "pygambit not installed; install the 'gambit' extra to cross-check"
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

sizes = st.integers(1, 4)
small_integers = st.integers(0, 2)
#: Payoffs with three decimals: distinct values differ by far more than rounding can blur
#: (invariance under affine maps only holds if floating point keeps ties and non-ties apart).
moderate_floats = st.integers(-100_000, 100_000).map(lambda k: k / 1000)


@st.composite
def bimatrix(draw: st.DrawFn, elements: st.SearchStrategy[float], low: int = 1, high: int = 4) -> tuple:
    """Two payoff matrices of the same drawn shape."""
    m, n = draw(st.integers(low, high)), draw(st.integers(low, high))
    row = draw(arrays(np.float64, (m, n), elements=elements))
    column = draw(arrays(np.float64, (m, n), elements=elements))
    return row, column


def enumerate_quietly(row: np.ndarray, column: np.ndarray) -> SolveResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return vertex_enumeration(NormalFormGame.from_matrices(row, column))


def generic_game(seed: int, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((m, n)), rng.random((m, n))


def assert_all_verified(result: SolveResult) -> None:
    assert result.equilibria, "every finite game has an equilibrium"
    for equilibrium in result.equilibria:
        assert equilibrium.max_regret <= result.tolerance
        for mix in equilibrium.strategies:
            assert np.all(mix >= 0) and abs(mix.sum() - 1) <= 1e-12


# --- regret ------------------------------------------------------------------------------------


@FAST
@given(bimatrix(small_integers) | bimatrix(moderate_floats))
def test_enumeration_returns_verified_equilibria(matrices: tuple) -> None:
    result = enumerate_quietly(*matrices)
    assert_all_verified(result)
    assert result.complete


@FAST
@given(bimatrix(small_integers, high=6) | bimatrix(moderate_floats, high=6))
def test_lemke_howson_returns_verified_extreme_equilibria(matrices: tuple) -> None:
    result = lemke_howson(NormalFormGame.from_matrices(*matrices))
    assert_all_verified(result)
    assert not result.complete
    assert contains(
        equilibrium_rows(enumerate_quietly(*matrices).equilibria), equilibrium_rows(result.equilibria)
    )


@FAST
@given(bimatrix(st.integers(-3, 3)) | bimatrix(moderate_floats))
def test_zero_sum_value_is_the_payoff_of_every_equilibrium(matrices: tuple) -> None:
    row = matrices[0]
    game = NormalFormGame.from_matrices(row, -row)
    result = zero_sum_lp(game)
    assert_all_verified(result)
    scale = game.payoff_scale()
    for equilibrium in enumerate_quietly(row, -row).equilibria:
        assert abs(equilibrium.payoffs[0] - result.value) <= 1e-7 * scale


# --- invariances -------------------------------------------------------------------------------


@FAST
@given(
    bimatrix(small_integers) | bimatrix(moderate_floats),
    st.floats(0.01, 100),
    st.floats(-50, 50),
    st.floats(0.01, 100),
    st.floats(-50, 50),
)
def test_equilibria_unchanged_by_positive_affine_payoff_changes(
    matrices: tuple, scale_1: float, shift_1: float, scale_2: float, shift_2: float
) -> None:
    row, column = matrices
    before = enumerate_quietly(row, column)
    after = enumerate_quietly(scale_1 * row + shift_1, scale_2 * column + shift_2)
    assert same_sets(equilibrium_rows(after.equilibria), equilibrium_rows(before.equilibria))
    assert after.degenerate == before.degenerate


@FAST
@given(bimatrix(small_integers) | bimatrix(moderate_floats), st.randoms(use_true_random=False))
def test_equilibria_follow_a_relabelling_of_strategies(matrices: tuple, random: Random) -> None:
    row, column = matrices
    m, n = row.shape
    rows, columns = random.sample(range(m), m), random.sample(range(n), n)
    before = enumerate_quietly(row, column)
    after = enumerate_quietly(row[np.ix_(rows, columns)], column[np.ix_(rows, columns)])
    relabelled = as_rows([(e.strategies[0][rows], e.strategies[1][columns]) for e in before.equilibria])
    assert same_sets(equilibrium_rows(after.equilibria), relabelled)


@FAST
@given(bimatrix(small_integers) | bimatrix(moderate_floats))
def test_swapping_the_players_swaps_the_equilibria(matrices: tuple) -> None:
    row, column = matrices
    before = enumerate_quietly(row, column)
    after = enumerate_quietly(column.T, row.T)
    swapped = as_rows([(e.strategies[1], e.strategies[0]) for e in before.equilibria])
    assert same_sets(equilibrium_rows(after.equilibria), swapped)


# --- generic games -----------------------------------------------------------------------------


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 6))
def test_generic_games_have_an_odd_number_of_equilibria(seed: int, m: int, n: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateGameWarning)
        result = vertex_enumeration(NormalFormGame.from_matrices(*generic_game(seed, m, n)))
    assert result.degenerate is False
    assert len(result.equilibria) % 2 == 1


def nashpy_equilibria(row: np.ndarray, column: np.ndarray, tolerance: float) -> np.ndarray:
    """nashpy's vertex enumeration, keeping only the profiles that are equilibria within ``tolerance``.

    nashpy accepts a vertex with its own tolerance; when two payoffs differ by about 1e-7, it
    also returns profiles where a player mixes between them although one is strictly better,
    which are not equilibria at negsim's stated tolerance (see the test for seed 275 below).
    """
    game = NormalFormGame.from_matrices(row, column)
    found = [e for e in nashpy.Game(row, column).vertex_enumeration() if max_regret(game, e) <= tolerance]
    return as_rows(found)


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(2, 4))
def test_enumeration_matches_nashpy_on_generic_games(seed: int, m: int, n: int) -> None:
    row, column = generic_game(seed, m, n)
    result = enumerate_quietly(row, column)
    theirs = nashpy_equilibria(row, column, result.tolerance)
    ours = equilibrium_rows(result.equilibria)
    assert same_sets(ours, theirs, atol=1e-6)


def test_nashpy_near_ties_are_not_equilibria() -> None:
    # the row player's payoffs in the second column differ by 1.5e-7: nashpy returns two
    # profiles where it mixes there anyway (regret about 1e-7), besides the one equilibrium
    row, column = generic_game(275, 2, 4)
    result = enumerate_quietly(row, column)
    assert len(result.equilibria) == 1
    assert len(list(nashpy.Game(row, column).vertex_enumeration())) == 3
    assert same_sets(
        equilibrium_rows(result.equilibria), nashpy_equilibria(row, column, result.tolerance), atol=1e-6
    )


@FAST
@given(bimatrix(small_integers, low=2))
def test_enumeration_contains_nashpys_verified_equilibria_on_tied_games(matrices: tuple) -> None:
    row, column = matrices
    game = NormalFormGame.from_matrices(row, column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nashpy on degenerate polytopes
        candidates = list(nashpy.Game(row + 1, column + 1).vertex_enumeration())
    verified, _ = Verifier(game, 1e-8 * game.payoff_scale()).many(
        c for c in candidates if all(np.isfinite(s).all() and s.sum() > 0 for s in c)
    )
    assert contains(equilibrium_rows(enumerate_quietly(row, column).equilibria), equilibrium_rows(verified))


# --- the batched linear solver -----------------------------------------------------------------


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(2, 7))
def test_gaussian_solve_agrees_with_lapack_and_flags_singular_systems(seed: int, size: int) -> None:
    rng = np.random.default_rng(seed)
    matrices = rng.normal(size=(50, size, size))
    matrices[::4, :, 0] = 0.0  # singular: a zero column
    matrices[1::4, 0, 0] = 0.0  # needs a row exchange
    right = rng.normal(size=(50, size))
    solutions, regular = gaussian_solve(
        np.concatenate([matrices, right[..., None]], axis=2).transpose(1, 2, 0)
    )
    singular = np.zeros(50, dtype=bool)
    singular[::4] = True
    assert np.array_equal(regular, ~singular)
    expected = np.linalg.solve(matrices[~singular], right[~singular][..., None])[..., 0]
    np.testing.assert_allclose(solutions.T[~singular], expected, rtol=1e-6, atol=1e-6)


# --- Gambit (GPL; used only here, never by the package) ----------------------------------------


def gambit_equilibria(row: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Every extreme equilibrium by Gambit's enummixed, in exact rational arithmetic."""
    gambit = pytest.importorskip("pygambit", reason=GAMBIT_REASON)
    game = gambit.Game.from_arrays(row.astype(int), column.astype(int))
    found = gambit.nash.enummixed_solve(game, rational=True).equilibria
    return np.array([[float(e[s]) for p in game.players for s in p.strategies] for e in found])


@FAST
@given(bimatrix(st.integers(-1000, 1000), high=5))
def test_enumeration_matches_gambit_on_wide_integer_games(matrices: tuple) -> None:
    theirs = gambit_equilibria(*matrices)
    assert same_sets(equilibrium_rows(enumerate_quietly(*matrices).equilibria), theirs)


@FAST
@given(bimatrix(small_integers, high=5))
def test_enumeration_matches_gambit_on_tied_games(matrices: tuple) -> None:
    theirs = gambit_equilibria(*matrices)
    assert same_sets(equilibrium_rows(enumerate_quietly(*matrices).equilibria), theirs)


# --- the search over feasible bases (larger games) against brute force and Gambit -----------


def label_rows(labels: np.ndarray) -> set[bytes]:
    return {row.tobytes() for row in labels}


def enumerate_by_search(row: np.ndarray, column: np.ndarray) -> SolveResult:
    """Vertex enumeration forced onto the search over feasible bases, whatever the size."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enumeration, "BRUTE_FORCE_LIMIT", 0)
        return enumerate_quietly(row, column)


@FAST
@given(bimatrix(small_integers, high=6) | bimatrix(moderate_floats, high=6))
def test_search_finds_the_same_vertices_as_brute_force(matrices: tuple) -> None:
    row, column = enumeration.rescaled_payoffs(NormalFormGame.from_matrices(*matrices))
    searched = enumeration._searched_vertices(row, column)
    assert searched is not None
    brute = enumeration._polytope_vertices(row, column)
    for found, expected in zip(searched, brute, strict=True):
        assert label_rows(found) == label_rows(expected)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("tied", [False, True])
def test_search_matches_brute_force_on_ten_by_ten_games(seed: int, tied: bool) -> None:
    rng = np.random.default_rng(seed)
    draw = (lambda: rng.integers(0, 3, (10, 10)).astype(float)) if tied else (lambda: rng.random((10, 10)))
    row, column = enumeration.rescaled_payoffs(NormalFormGame.from_matrices(draw(), draw()))
    searched = enumeration._searched_vertices(row, column)
    if searched is None:  # heavy ties: the search gives up and brute force answers anyway
        return
    for found, expected in zip(searched, enumeration._polytope_vertices(row, column), strict=True):
        assert label_rows(found) == label_rows(expected)


@FAST
@given(bimatrix(st.integers(-1000, 1000), high=5) | bimatrix(small_integers, high=5))
def test_search_matches_gambit(matrices: tuple) -> None:
    theirs = gambit_equilibria(*matrices)
    assert same_sets(equilibrium_rows(enumerate_by_search(*matrices).equilibria), theirs)


def test_game_too_large_for_both_ways_is_refused_with_a_limit() -> None:
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_matrices(rng.random((20, 20)), rng.random((20, 20)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enumeration, "SEARCH_BASIS_LIMIT", 50)
        with pytest.raises(SolverError, match="too large to enumerate"):
            vertex_enumeration(game, max_systems=1000)
