"""The game model, the N-player pure scan, dominance and Pareto checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negsim import GameError, NormalFormGame, solve
from negsim.analysis.dominance import iterated_strict_dominance
from negsim.analysis.welfare import pareto_efficient
from negsim.scenario.model import check_size
from negsim.solvers.pure import pure_equilibria, pure_equilibrium_mask


def nau_three_player() -> NormalFormGame:
    """Nau et al. 2004, sec. 4: no pure equilibrium; one mixed equilibrium with irrational weights."""
    payoffs = np.zeros((2, 2, 2, 3))
    table = {
        (0, 0, 0): (3, 0, 2),
        (1, 0, 0): (0, 1, 0),
        (0, 1, 0): (0, 2, 0),
        (1, 1, 0): (1, 0, 0),
        (0, 0, 1): (1, 0, 0),
        (1, 0, 1): (0, 3, 0),
        (0, 1, 1): (0, 1, 0),
        (1, 1, 1): (2, 0, 3),
    }
    for profile, values in table.items():
        payoffs[profile] = values
    return NormalFormGame(payoffs, ["P1", "P2", "P3"], [["Top", "Bottom"], ["Left", "Right"], ["1", "2"]])


def test_game_is_read_only_and_labelled() -> None:
    game = NormalFormGame.from_matrices([[1, 2], [3, 4]], [[4, 3], [2, 1]])
    assert game.players == ("Player 1", "Player 2")
    with pytest.raises(ValueError):
        game.payoffs[0, 0, 0] = 9
    assert game.restrict([[1], [0, 1]]).shape == (1, 2)


@pytest.mark.parametrize(
    "payoffs, message",
    [
        (np.zeros((2, 2, 3)), "last axis"),
        (np.array([[[np.nan, 0]]]), "finite"),
        (np.zeros(3), "shape"),
    ],
)
def test_game_rejects_bad_payoffs(payoffs: np.ndarray, message: str) -> None:
    with pytest.raises(GameError, match=message):
        NormalFormGame(payoffs)


def test_game_rejects_bad_labels() -> None:
    with pytest.raises(GameError, match="distinct"):
        NormalFormGame(np.zeros((2, 2, 2)), ["A", "A"])
    with pytest.raises(GameError, match="repeated"):
        NormalFormGame(np.zeros((2, 2, 2)), strategies=[["x", "x"], ["a", "b"]])


def test_three_player_nau_has_no_pure_equilibrium_and_says_mixed_not_searched() -> None:
    result = solve(nau_three_player())
    assert result.equilibria == ()
    assert result.complete is False
    assert any("mixed equilibria were not searched" in note for note in result.notes)


def test_three_player_equilibrium_of_nau_mixed_profile_has_zero_regret() -> None:
    # the published irrational equilibrium is verified by the same regret check
    from negsim.game.profile import max_regret

    root = np.sqrt(601)
    top, left, one = (53 - root) / 46, (root - 13) / 24, (root - 23) / 4
    mixes = [np.array([top, 1 - top]), np.array([left, 1 - left]), np.array([one, 1 - one])]
    assert max_regret(nau_three_player(), mixes) < 1e-12


def test_pure_scan_finds_planted_equilibrium_in_large_game() -> None:
    rng = np.random.default_rng(7)
    payoffs = rng.random((30, 30, 30, 3))
    payoffs[3, 4, 5] = 2.0  # everyone's best payoff anywhere: an equilibrium
    result = pure_equilibria(NormalFormGame(payoffs))
    assert (3, 4, 5) in [tuple(s[0] for s in e.supports) for e in result.equilibria]


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.int8,
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.just(3)),
        elements=st.integers(-3, 3),
    )
)
def test_pure_scan_matches_definition(payoffs: np.ndarray) -> None:
    values = payoffs.astype(float)
    mask = pure_equilibrium_mask(values, 1e-9)
    for profile in np.ndindex(*values.shape[:-1]):
        stable = True
        for player in range(3):
            line = list(profile)
            line[player] = slice(None)
            if values[(*line, player)].max() > values[(*profile, player)]:
                stable = False
        assert mask[profile] == stable


def test_pure_scan_reports_a_limit() -> None:
    result = pure_equilibria(NormalFormGame(np.zeros((10, 10, 10, 3))), limit=5)
    assert len(result.equilibria) == 5
    assert any("1000 pure equilibria" in note for note in result.notes)


def test_prisoners_dilemma_dominance_and_pareto() -> None:
    pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"]] * 2)
    result = solve(pd)
    (equilibrium,) = result.equilibria
    assert equilibrium.supports == ((1,), (1,))
    assert equilibrium.pareto_dominated and equilibrium.dominating_profile == (0, 0)
    assert result.dominated == {"Player 1": ("C",), "Player 2": ("C",)}


def test_dominance_by_a_mixed_strategy() -> None:
    # the middle row is beaten by an even mix of the others but by neither alone
    a = np.array([[3, 0], [1, 1], [0, 3]], dtype=float)
    game = NormalFormGame.from_matrices(a, np.zeros_like(a))
    removed, mixed_checked = iterated_strict_dominance(game)
    assert removed == {"Player 1": ("2",)} and mixed_checked


def test_pareto_efficient_points() -> None:
    points = np.array([[1, 1], [2, 0], [0, 2], [1, 1], [0.5, 0.5]])
    assert pareto_efficient(points).tolist() == [0, 1, 2]


def test_memory_guard_refuses_huge_games_before_building() -> None:
    with pytest.raises(GameError, match="too large"):
        check_size((2,) * 40)
