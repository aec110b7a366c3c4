"""Equilibrium selection, correlated equilibria and grim-trigger sustainability.

Published values from the project's reference table: Stag Hunt (payoff- against risk-dominance,
deviation-loss products 1 vs 4), Battle of the Sexes (neither payoff-dominant), Chicken's
correlated equilibria (Aumann 1974: 1/3 on each of CC, CD, DC pays (5, 5); the best total puts
1/2, 1/4, 1/4 on CC, CD, DC and pays (5.25, 5.25)), and the Prisoner's Dilemma repeated with
grim trigger (T=5, R=3, P=1, S=0: cooperation holds iff delta >= 1/2).
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negsim import DegenerateGameWarning, GameError, NormalFormGame, SolverError, UsageError
from negsim.analysis.repeated import critical_discount_over, sustainability
from negsim.analysis.selection import correlated_equilibria, incentive_violation, rank_equilibria
from negsim.solvers import solve
from negsim.solvers.result import SolveResult

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CD = [["C", "D"]] * 2

PRISONERS_DILEMMA = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=CD)
CHICKEN = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]], strategies=CD)
STAG_HUNT = NormalFormGame.from_matrices(
    [[5, 0], [4, 2]], [[5, 4], [0, 2]], strategies=[["Stag", "Hare"]] * 2
)
BATTLE_OF_THE_SEXES = NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])


def nau_three_player() -> NormalFormGame:
    """Nau et al. 2004, sec. 4: no pure equilibrium, one mixed equilibrium with irrational probabilities."""
    payoffs = np.zeros((2, 2, 2, 3))
    payoffs[0, 0, 0] = (3, 0, 2)
    payoffs[1, 0, 0] = (0, 1, 0)
    payoffs[0, 1, 0] = (0, 2, 0)
    payoffs[1, 1, 0] = (1, 0, 0)
    payoffs[0, 0, 1] = (1, 0, 0)
    payoffs[1, 0, 1] = (0, 3, 0)
    payoffs[0, 1, 1] = (0, 1, 0)
    payoffs[1, 1, 1] = (2, 0, 3)
    return NormalFormGame(payoffs)


def solve_quietly(game: NormalFormGame) -> SolveResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return solve(game)


def product_distribution(strategies: tuple[np.ndarray, ...]) -> np.ndarray:
    table = np.ones(())
    for mix in strategies:
        table = np.multiply.outer(table, mix)
    return table


# --- equilibrium selection -------------------------------------------------------------------------


def test_stag_hunt_payoff_dominance_against_risk_dominance() -> None:
    ranking = rank_equilibria(solve(STAG_HUNT))
    labels = [e.label for e in ranking.entries]
    assert ranking.label(ranking.payoff_dominant) == "(Stag, Stag)"
    assert ranking.label(ranking.risk_dominant) == "(Hare, Hare)"
    (pair,) = ranking.risk
    products = {labels[pair.first]: pair.first_product, labels[pair.second]: pair.second_product}
    assert products == {"(Stag, Stag)": 1.0, "(Hare, Hare)": 4.0}
    hare = labels.index("(Hare, Hare)")
    assert ranking.entries[hare].dominated_by == (labels.index("(Stag, Stag)"), 2)
    assert [e.welfare_rank for e in ranking.by_welfare()] == [1, 2, 3]
    text = " ".join(ranking.sentences())
    assert "(Stag, Stag) is payoff-dominant: better for everyone than (Hare, Hare)" in text
    assert (
        "(Hare, Hare) is risk-dominant: the two players' losses from deviating multiply to 4 (2 x 2)" in text
    )
    assert "against 1 (1 x 1) at (Stag, Stag)" in text


def test_battle_of_the_sexes_has_no_payoff_dominant_equilibrium() -> None:
    ranking = rank_equilibria(solve(BATTLE_OF_THE_SEXES))
    assert ranking.payoff_dominant is None
    assert not any(e.payoff_dominant for e in ranking.entries)
    # the products of the deviation losses tie at 3 x 2 = 2 x 3 = 6: neither risk-dominates
    (pair,) = ranking.risk
    assert pair.first_product == pair.second_product == 6.0 and pair.winner is None
    assert ranking.risk_dominant is None
    assert "No equilibrium is payoff-dominant" in ranking.sentences()[1]


def test_prisoners_dilemma_has_one_equilibrium_and_nothing_to_select() -> None:
    ranking = rank_equilibria(solve(PRISONERS_DILEMMA))
    assert ranking.sentences() == ["(D, D) is the only equilibrium found; there is nothing to select."]
    assert ranking.risk == () and ranking.entries[0].strict


def test_pairwise_risk_dominance_in_a_larger_game() -> None:
    # three strict pure equilibria on the diagonal; deviation-loss products 1, 4 and 9
    row = [[1, 0, 0], [0, 2, 0], [0, 0, 3]]
    ranking = rank_equilibria(solve(NormalFormGame.from_matrices(row, row)))
    strict = [e for e in ranking.entries if e.strict]
    assert [e.profile for e in strict] == [(0, 0), (1, 1), (2, 2)]
    assert len(ranking.risk) == 3
    assert (
        ranking.risk_dominant == ranking.payoff_dominant == [e.profile for e in ranking.entries].index((2, 2))
    )
    document = ranking.to_json()
    json.dumps(document)
    assert document["risk_dominant"] == document["payoff_dominant"] == ranking.payoff_dominant + 1
    assert {(r["first_product"], r["second_product"]) for r in document["risk"]} == {(1, 4), (1, 9), (4, 9)}


def test_risk_dominance_is_not_compared_with_three_players() -> None:
    payoffs = np.zeros((2, 2, 2, 3))
    payoffs[0, 0, 0] = payoffs[1, 1, 1] = (1, 1, 1)
    ranking = rank_equilibria(solve(NormalFormGame(payoffs)))
    assert ranking.risk == () and ranking.risk_dominant is None
    assert any("two-player" in note for note in ranking.notes)


# --- correlated equilibria -------------------------------------------------------------------------


def test_chicken_correlated_equilibrium_with_a_third_on_each_cooperative_profile() -> None:
    uniform = np.array([[1, 1], [1, 0]]) / 3
    assert incentive_violation(CHICKEN, uniform) <= 1e-12
    payoffs = np.tensordot(uniform, CHICKEN.payoffs, axes=([0, 1], [0, 1]))
    np.testing.assert_allclose(payoffs, [5, 5])


def test_chicken_welfare_maximising_correlated_equilibrium() -> None:
    result = correlated_equilibria(CHICKEN)
    best = result.welfare
    np.testing.assert_allclose(best.distribution(), [[0.5, 0.25], [0.25, 0.0]], atol=1e-9)
    np.testing.assert_allclose(best.payoffs, [5.25, 5.25], atol=1e-9)
    assert best.max_violation <= result.tolerance
    assert "with probabilities 1/2, 1/4 and 1/4" in best.sentence()
    assert "pays (5.25, 5.25)" in best.sentence()
    # each player's favourite: its preferred pure equilibrium, paying (7, 2) and (2, 7)
    np.testing.assert_allclose(result.best_for[0].payoffs, [7, 2], atol=1e-9)
    np.testing.assert_allclose(result.best_for[1].payoffs, [2, 7], atol=1e-9)
    document = result.to_json()
    json.dumps(document)
    assert [d["profile"] for d in document["welfare_maximising"]["distribution"]] == [
        {"Player 1": "C", "Player 2": "C"},
        {"Player 1": "C", "Player 2": "D"},
        {"Player 1": "D", "Player 2": "C"},
    ]


def test_a_players_best_correlated_equilibrium_breaks_ties_by_total_payoff() -> None:
    # the row player gets 0 whatever happens: every correlated equilibrium is best for it, and the
    # one reported is the best for everyone together, the column player's favourite (2, 2)
    game = NormalFormGame.from_matrices(np.zeros((2, 2)), [[1, 0], [0, 2]])
    best = correlated_equilibria(game).best_for[0]
    assert best.profiles == ((1, 1),) and best.payoffs == (0.0, 2.0)


def test_correlated_equilibria_of_a_three_player_game() -> None:
    game = nau_three_player()
    root = math.sqrt(601)
    top, left, first = (53 - root) / 46, (root - 13) / 24, (root - 23) / 4
    nash = product_distribution(
        (np.array([top, 1 - top]), np.array([left, 1 - left]), np.array([first, 1 - first]))
    )
    assert incentive_violation(game, nash) <= 1e-9
    nash_welfare = float(np.tensordot(nash, game.payoffs, axes=3).sum())
    result = correlated_equilibria(game)
    assert result.welfare.max_violation <= result.tolerance
    assert result.welfare.welfare >= nash_welfare - 1e-9
    assert all(e.max_violation <= result.tolerance for e in result.best_for)


def test_correlated_equilibria_refuse_games_that_are_too_large() -> None:
    with pytest.raises(GameError, match="202,500 pure profiles"):
        correlated_equilibria(NormalFormGame(np.zeros((450, 450, 2))))
    with pytest.raises(GameError, match="coefficients"):
        correlated_equilibria(NormalFormGame(np.zeros((60, 60, 50, 3))))


@st.composite
def games(draw: st.DrawFn, players: tuple[int, int] = (2, 3)) -> NormalFormGame:
    """Small games with payoffs on a grid of 0.5 (ties and degenerate games included)."""
    n = draw(st.integers(*players))
    shape = tuple(draw(st.integers(1, 3 if n == 2 else 2)) for _ in range(n))
    payoffs = draw(arrays(np.float64, (*shape, n), elements=st.integers(-8, 8).map(lambda k: k / 2)))
    return NormalFormGame(payoffs)


@FAST
@given(games())
def test_every_nash_equilibrium_is_a_correlated_equilibrium(game: NormalFormGame) -> None:
    result = solve_quietly(game)
    for equilibrium in result.equilibria:
        distribution = product_distribution(equilibrium.strategies)
        assert incentive_violation(game, distribution) <= result.tolerance + 1e-12


@FAST
@given(games())
def test_correlated_equilibria_satisfy_every_incentive_constraint(game: NormalFormGame) -> None:
    result = correlated_equilibria(game)
    nash = solve_quietly(game)
    for found in (result.welfare, *result.best_for):
        assert found.max_violation <= result.tolerance
        assert incentive_violation(game, found.distribution()) <= result.tolerance
        assert abs(sum(found.probabilities) - 1) <= 1e-12 and min(found.probabilities) > 1e-12
    for equilibrium in nash.equilibria:
        # every Nash equilibrium is a correlated equilibrium, so it cannot beat the LP optima
        assert result.welfare.welfare >= float(equilibrium.payoffs.sum()) - 1e-7 * game.payoff_scale()
        for player, best in enumerate(result.best_for):
            assert best.payoffs[player] >= equilibrium.payoffs[player] - 1e-7 * game.payoff_scale()


@st.composite
def shifted(draw: st.DrawFn) -> tuple[NormalFormGame, NormalFormGame]:
    """A two-player game and a copy with each player's payoffs rescaled and shifted against each
    choice of the other (row payoffs by column, column payoffs by row): best replies, and so the
    deviation losses up to a factor per player, do not change."""
    m, n = draw(st.integers(2, 3)), draw(st.integers(2, 3))
    entries = st.integers(0, 4).map(float)
    a = draw(arrays(np.float64, (m, n), elements=entries))
    b = draw(arrays(np.float64, (m, n), elements=entries))
    shift_a = draw(arrays(np.float64, (1, n), elements=st.integers(-5, 5).map(float)))
    shift_b = draw(arrays(np.float64, (m, 1), elements=st.integers(-5, 5).map(float)))
    scale_a, scale_b = draw(st.sampled_from([0.5, 1.0, 3.0])), draw(st.sampled_from([0.5, 1.0, 3.0]))
    original = NormalFormGame.from_matrices(a, b)
    moved = NormalFormGame.from_matrices(scale_a * a + shift_a, scale_b * b + shift_b)
    return original, moved


def _risk_outcomes(game: NormalFormGame) -> dict[frozenset, tuple | None]:
    ranking = rank_equilibria(solve_quietly(game))
    profile = {e.index: e.profile for e in ranking.entries}
    return {
        frozenset((profile[p.first], profile[p.second])): None if p.winner is None else profile[p.winner]
        for p in ranking.risk
    }


@FAST
@given(shifted())
def test_risk_dominance_is_invariant_to_shifting_and_rescaling_payoffs(pair: tuple) -> None:
    original, moved = pair
    assert _risk_outcomes(original) == _risk_outcomes(moved)


# --- grim trigger ----------------------------------------------------------------------------------


def test_prisoners_dilemma_cooperation_holds_iff_delta_at_least_one_half() -> None:
    result = sustainability(PRISONERS_DILEMMA, (0, 0))
    assert [p.critical for p in result.players] == [0.5, 0.5]
    assert result.critical == 0.5 and result.sustainable and result.binding == 0
    assert result.holds(0.5) and result.holds(0.9) and not result.holds(0.4999)
    first = result.players[0]
    assert (first.cooperative, first.deviation, first.punishment, first.gain, first.loss_per_round) == (
        3,
        5,
        1,
        2,
        2,
    )
    assert result.chosen.is_equilibrium and not result.given
    assert result.sentences()[0] == (
        "The agreement (C, C) holds under grim trigger if every party's discount factor is at least 0.5; "
        "Player 1 is the binding constraint: switching to D gains it 2 now, but the reversion to (D, D) "
        "costs it 2 per round."
    )
    document = result.to_json()
    assert document["critical_discount"] == 0.5 and document["binding"] == "Player 1"
    assert document["players"][1]["best_deviation"] == "D"


def test_named_outcomes_name_the_agreement_and_the_punishment() -> None:
    game = NormalFormGame.from_matrices(
        [[4, 0], [7, 2]],
        [[4, 6], [1, 2]],
        ["Russia", "Ukraine"],
        [["pledge", "attack"], ["hold", "fight"]],
        outcomes={"ceasefire with pledge": [[1, 0], [0, 0]], "war": [[0, 0], [0, 1]]},
    )
    result = sustainability(game, ("pledge", "hold"))
    assert result.critical == pytest.approx(0.6) and result.binding == game.players.index("Russia")
    assert result.sentences()[0] == (
        "The ceasefire with pledge holds under grim trigger if every party's discount factor is at least "
        "0.6; Russia is the binding constraint: switching to attack gains it 3 now, but the reversion to war "
        "costs it 2 per round."
    )
    assert result.sentences()[1].startswith("Ukraine needs a discount factor of at least 0.5")


def test_default_punishment_is_the_stage_equilibrium_with_the_lowest_binding_discount() -> None:
    # stage equilibria (2, 2) paying 2 and (3, 3) paying 1 each, and a mixed one paying 2/3 each
    row = [[4, 0, 0], [6, 2, 0], [0, 0, 1]]
    game = NormalFormGame.from_matrices(row, np.transpose(row))
    result = sustainability(game, (0, 0))
    options = [result.chosen, *result.alternatives]
    assert result.critical == min(o.critical for o in options)
    assert result.critical == pytest.approx(2 / (6 - 2 / 3))
    assert sorted(round(o.critical, 6) for o in result.alternatives) == [0.4, 0.5]
    assert "of the stage equilibria found it needs the lowest discount factor" in result.sentences()[-1]


def test_a_punishment_that_is_no_equilibrium_is_flagged_as_possibly_not_credible() -> None:
    war = [[3, 0, -1], [5, 1, -1], [-1, -1, -5]]
    game = NormalFormGame.from_matrices(war, np.transpose(war), strategies=[["C", "D", "War"]] * 2)
    result = sustainability(game, (0, 0), ("War", "War"), punishment_name="war")
    assert not result.chosen.is_equilibrium and result.given
    # while the other wages war, a deviator's best reply earns -1 (not -5): (5 - 3) / (5 + 1)
    assert result.players[0].punishment == -1 and result.critical == pytest.approx(1 / 3)
    assert "may itself not be credible" in result.sentences()[-1]
    assert result.to_json()["punishment"]["equilibrium"] is False


def test_an_agreement_that_the_punishment_does_not_protect_is_never_sustainable() -> None:
    result = sustainability(BATTLE_OF_THE_SEXES, (0, 1))
    assert math.isinf(result.critical) and not result.sustainable
    assert not result.holds(0.99)
    assert "cannot be sustained by grim trigger" in result.sentences()[0]
    document = result.to_json()
    json.dumps(document, allow_nan=False)
    assert document["critical_discount"] is None and document["sustainable"] is False


def test_a_stage_equilibrium_holds_for_any_discount_factor() -> None:
    result = sustainability(PRISONERS_DILEMMA, ("D", "D"))
    assert result.critical == 0 and result.binding is None and result.holds(0.0)
    assert "itself an equilibrium of the one-shot game" in result.sentences()[0]


def test_critical_discount_over_a_parameter() -> None:
    def prisoners_dilemma(temptation: float) -> NormalFormGame:
        return NormalFormGame.from_matrices([[3, 0], [temptation, 1]], [[3, temptation], [0, 1]])

    temptations = np.array([4.0, 5.0, 7.0, 11.0])
    sweep = critical_discount_over(temptations, prisoners_dilemma, (0, 0))
    np.testing.assert_allclose(sweep.critical, (temptations - 3) / (temptations - 1))
    assert sweep.by_player.shape == (4, 2) and sweep.binding.tolist() == [0, 0, 0, 0]
    assert sweep.sustainable.all() and sweep.players == ("Player 1", "Player 2")


@FAST
@given(games(players=(2, 2)), st.data())
def test_critical_discount_is_where_keeping_the_agreement_starts_to_pay(
    game: NormalFormGame, data: st.DataObject
) -> None:
    profile = tuple(data.draw(st.integers(0, n - 1)) for n in game.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = sustainability(game, profile)
    for condition in result.players:
        c, b, p, critical = (
            condition.cooperative,
            condition.deviation,
            condition.punishment,
            condition.critical,
        )

        def keeping_pays(delta: float, c: float = c, b: float = b, p: float = p) -> bool:
            # c / (1 - delta) >= b + delta p / (1 - delta), multiplied by 1 - delta > 0
            return c - ((1 - delta) * b + delta * p) >= -1e-12

        if critical == 0:
            assert b <= c + result.tolerance and keeping_pays(0.0)
        elif math.isinf(critical):
            assert b > c + result.tolerance and p >= c - result.tolerance
            assert not keeping_pays(0.999999)
        else:
            assert 0 < critical < 1
            assert keeping_pays(critical) and keeping_pays(min(critical + 1e-6, 0.999999))
            assert not keeping_pays(critical - 1e-6)


# --- bad inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cooperative", "punishment", "message"),
    [
        ((0, 2), None, "strategy 2 of Player 2 is out of range"),
        ((0,), None, "one entry per player"),
        ((0, -1), None, "out of range"),
        (("C", "X"), None, "Player 2 has no strategy 'X'"),
        ((0, 1.5), None, "must be an index or a name"),
        ((0, 0), ([0.5, 0.5], [1, 0, 0]), "probability vector of length 2"),
        ((0, 0), ([0.5, 0.6], [1, 0]), "add up to 1"),
        ((0, 0), ([1, 0],), "one entry per player"),
        ((0, 0), ("D", "Z"), "no strategy 'Z'"),
    ],
)
def test_bad_profiles_are_refused_with_a_clear_message(
    cooperative: tuple, punishment: tuple | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        sustainability(PRISONERS_DILEMMA, cooperative, punishment)


def test_bad_discount_factors_and_missing_stage_equilibria() -> None:
    with pytest.raises(UsageError, match="below 1"):
        sustainability(PRISONERS_DILEMMA, (0, 0)).holds(1.0)
    with pytest.raises(SolverError, match="give a punishment profile"):
        sustainability(nau_three_player(), (0, 0, 0))
    # with a punishment given, three-player games work
    result = sustainability(nau_three_player(), (0, 0, 0), (1, 1, 1))
    assert len(result.players) == 3
