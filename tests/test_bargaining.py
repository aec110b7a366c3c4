"""Bargaining solutions: published values (Nash 1950; Kalai and Smorodinsky 1975; Rubinstein 1982),
hand-computed cases, defining properties and bad inputs."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negsim.analysis.bargaining import (
    AlternatingOffers,
    BargainingProblem,
    RubinsteinSplit,
    Solution,
    egalitarian,
    kalai_smorodinsky,
    nash_solution,
    rubinstein,
    rubinstein_over_frontier,
    utilitarian,
)
from negsim.errors import GameError, UsageError
from negsim.game.normal_form import NormalFormGame

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Kalai and Smorodinsky (1975): S = conv{(0,0),(1,0),(3/4,3/4),(0,1)}, T = conv{(0,0),(1,0),(1,0.7),(0,1)}.
S = BargainingProblem([[0, 0], [1, 0], [0.75, 0.75], [0, 1]], ["none", "A", "M", "C"])
T = BargainingProblem([[0, 0], [1, 0], [1, 0.7], [0, 1]], ["none", "A", "B", "C"])
SOLUTIONS = [nash_solution, kalai_smorodinsky, egalitarian, utilitarian]


def nash_curve(count: int, *, lotteries: bool) -> BargainingProblem:
    """Nash (1950): a unit pie, u1 = x, u2 = sqrt(1 - x), disagreement (0, 0)."""
    x = np.arange(count + 1) / count
    return BargainingProblem(np.column_stack([x, np.sqrt(1 - x)]), lotteries=lotteries)


NASH_POINT = (2 / 3, 1 / math.sqrt(3))


# ------------------------------------------------------------------------------ published values


def test_nash_1950_curved_frontier_with_lotteries() -> None:
    solution = nash_solution(nash_curve(2000, lotteries=True))
    assert solution.payoffs == pytest.approx(NASH_POINT, abs=1e-3)
    assert sum(solution.weights.values()) == pytest.approx(1.0)


def test_nash_1950_exact_on_a_grid_without_lotteries() -> None:
    solution = nash_solution(nash_curve(3000, lotteries=False))  # x = 2000/3000 is on the grid
    assert solution.payoffs == pytest.approx(NASH_POINT, abs=1e-12)
    assert list(solution.weights.values()) == [1.0]


@pytest.mark.parametrize(
    ("problem", "function", "expected"),
    [
        (S, nash_solution, (0.75, 0.75)),
        (S, kalai_smorodinsky, (0.75, 0.75)),
        (S, egalitarian, (0.75, 0.75)),
        (S, utilitarian, (0.75, 0.75)),
        (T, nash_solution, (1.0, 0.7)),
        (T, kalai_smorodinsky, (10 / 13, 10 / 13)),
        (T, egalitarian, (10 / 13, 10 / 13)),
        (T, utilitarian, (1.0, 0.7)),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_kalai_smorodinsky_1975_sets(problem: BargainingProblem, function, expected) -> None:
    solution = function(problem)
    assert solution.payoffs == pytest.approx(expected, abs=1e-9)
    assert solution.note == ""


def test_kalai_smorodinsky_on_t_is_a_lottery_of_the_two_efficient_outcomes() -> None:
    weights = kalai_smorodinsky(T).weights
    assert weights == pytest.approx({"B": 10 / 13, "C": 3 / 13}, abs=1e-9)
    assert dict(nash_solution(T).weights) == {"B": 1.0}


@pytest.mark.parametrize(
    ("delta1", "delta2", "first", "proposer_share"),
    [(0.9, 0.9, 0, 0.526316), (0.9, 0.8, 0, 0.714286), (0.9, 0.9, 1, 0.526316), (0.9, 0.8, 1, 0.357143)],
)
def test_rubinstein_1982(delta1: float, delta2: float, first: int, proposer_share: float) -> None:
    split = rubinstein(delta1, delta2, first=first)
    assert isinstance(split, RubinsteinSplit)
    assert split.proposer_share == pytest.approx(proposer_share, abs=5e-7)
    assert split.shares[first] == split.proposer_share
    assert sum(split.shares) == pytest.approx(1.0)


def test_rubinstein_who_proposes_first_matters() -> None:
    player_one_first, player_two_first = rubinstein(0.9, 0.8), rubinstein(0.9, 0.8, first=1)
    assert player_one_first.shares == pytest.approx((0.714286, 0.285714), abs=5e-7)
    assert player_two_first.shares == pytest.approx((0.642857, 0.357143), abs=5e-7)
    # each player always makes the same offer; only whose offer is accepted changes
    assert player_one_first.offers == player_two_first.offers


# ------------------------------------------------------------------------------ hand-computed cases


def test_solutions_with_a_disagreement_point_off_the_origin() -> None:
    # S with d = (1/2, 0): ideal (1, 5/6); KS on the segment (3/4,3/4)-(1,0) at t = 9/14
    problem = BargainingProblem(S.points, S.labels, [0.5, 0])
    assert problem.ideal() == pytest.approx([1, 5 / 6], abs=1e-12)
    assert nash_solution(problem).payoffs == pytest.approx([0.75, 0.75], abs=1e-12)
    assert kalai_smorodinsky(problem).payoffs == pytest.approx([23 / 28, 15 / 28], abs=1e-9)
    assert egalitarian(problem).payoffs == pytest.approx([0.875, 0.375], abs=1e-9)
    assert utilitarian(problem).payoffs == pytest.approx([0.75, 0.75], abs=1e-12)


def test_shifting_every_payoff_shifts_every_solution() -> None:
    shift = np.array([2.0, -1.0])
    moved = BargainingProblem(T.points + shift, T.labels, T.disagreement + shift)
    for function in SOLUTIONS:
        assert function(moved).payoffs == pytest.approx(function(T).payoffs + shift, abs=1e-9)


def test_three_party_symmetric_problem_all_solutions_agree() -> None:
    points = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5], [0.2, 0.2, 0.2]]
    labels = ["all to 1", "all to 2", "all to 3", "compromise", "weak deal"]
    for lotteries in (True, False):
        problem = BargainingProblem(points, labels, lotteries=lotteries)
        for function in SOLUTIONS:
            solution = function(problem)
            assert solution.payoffs == pytest.approx([0.5, 0.5, 0.5], abs=1e-7), function.__name__
            assert solution.weights == pytest.approx({"compromise": 1.0}, abs=1e-7)


def test_three_party_simplex() -> None:
    # the frontier is the triangle u1/3 + u2/2 + u3 = 1: Nash and KS at (1, 2/3, 1/3)
    problem = BargainingProblem([[3, 0, 0], [0, 2, 0], [0, 0, 1]], ["A", "B", "C"])
    nash = nash_solution(problem)
    assert nash.payoffs == pytest.approx([1, 2 / 3, 1 / 3], abs=1e-9)
    assert nash.weights == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3}, abs=1e-9)
    assert kalai_smorodinsky(problem).payoffs == pytest.approx([1, 2 / 3, 1 / 3], abs=1e-9)
    assert egalitarian(problem).payoffs == pytest.approx([6 / 11] * 3, abs=1e-9)
    assert utilitarian(problem).payoffs == pytest.approx([3, 0, 0])
    # asymmetric powers w: the lottery puts probability w_i on party i's outcome
    powers = np.array([0.5, 0.3, 0.2])
    weighted = nash_solution(problem, powers=powers * 7)
    assert weighted.payoffs == pytest.approx(powers * [3, 2, 1], abs=1e-9)
    assert weighted.name == "Asymmetric Nash bargaining solution"


def test_three_party_nash_without_lotteries_picks_the_best_outcome() -> None:
    problem = BargainingProblem([[3, 0, 0], [1, 1, 1], [2, 1, 0.5], [1, 2, 0.4]], lotteries=False)
    products = np.prod(problem.points[1:], axis=1)
    assert nash_solution(problem).payoffs == pytest.approx(problem.points[1 + np.argmax(products)])


def test_frontier() -> None:
    assert [S.labels[j] for j in S.frontier()] == ["C", "M", "A"]
    assert [T.labels[j] for j in T.frontier()] == ["C", "B"]
    # without lotteries the point under the chord is efficient; with them it is not
    dent = [[0, 1], [0.4, 0.5], [1, 0], [0.2, 0.2]]
    assert BargainingProblem(dent, lotteries=False).frontier().tolist() == [0, 1, 2]
    assert BargainingProblem(dent).frontier().tolist() == [0, 2]
    # three parties: the midpoint of an efficient edge is efficient but not a vertex
    triangle = [[3, 0, 0], [0, 2, 0], [0, 0, 1], [1.5, 1, 0], [0.5, 0.5, 0.1], [1, 0.5, 0]]
    assert BargainingProblem(triangle).frontier().tolist() == [0, 1, 2]
    assert BargainingProblem(triangle, lotteries=False).frontier().tolist() == [0, 1, 2, 3, 4]


def test_zopa_and_ideal() -> None:
    pie = BargainingProblem([[1, 0], [0, 1], [0.3, 0.3]], ["to 1", "to 2", "small deal"], [0.2, 0.2])
    zone = pie.zopa()
    assert zone.indices.tolist() == [2] and zone.labels == ("small deal",) and zone.exists
    coin_toss = BargainingProblem([[1, 0], [0, 1]])
    assert coin_toss.zopa().indices.size == 0 and coin_toss.zopa().exists
    assert not BargainingProblem([[1, 0], [0, 1]], lotteries=False).zopa().exists
    assert pie.ideal() == pytest.approx([0.8, 0.8], abs=1e-9)  # lotteries of "to 1" and "to 2"
    assert BargainingProblem(pie.points, disagreement=[0.2, 0.2], lotteries=False).ideal().tolist() == [
        0.3,
        0.3,
    ]


def test_utilitarian_ties_and_lotteries() -> None:
    tie = utilitarian(BargainingProblem([[2, 0], [1, 1], [0, 2]], ["A", "B", "C"]))
    assert dict(tie.weights) == {"B": 1.0}  # the most even of the tied outcomes
    assert "tied with A and C" in tie.note
    # the best total needs a lottery: (3, -1) alone hurts player 2 below disagreement
    cut = utilitarian(BargainingProblem([[3, -1], [0, 1]], ["grab", "give"]))
    assert cut.payoffs == pytest.approx([1.5, 0.0], abs=1e-9)
    assert cut.weights == pytest.approx({"grab": 0.5, "give": 0.5}, abs=1e-9)


def test_nash_without_lotteries_reports_ties() -> None:
    solution = nash_solution(
        BargainingProblem([[2, 1], [1, 2], [0.5, 0.5]], ["A", "B", "C"], lotteries=False)
    )
    assert dict(solution.weights) == {"A": 1.0}
    assert "tied with B" in solution.note


def test_egalitarian_reports_an_efficient_point_when_equal_gains_are_dominated() -> None:
    problem = BargainingProblem([[3, 3], [0, 0]], ["deal", "none"], [1, 0])
    solution = egalitarian(problem)
    assert solution.payoffs.tolist() == [3.0, 3.0]
    assert "Pareto" in solution.note


def test_from_game() -> None:
    pd = NormalFormGame.from_matrices(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], ["Ann", "Bob"], [["cooperate", "defect"]] * 2
    )
    problem = BargainingProblem.from_game(pd, [1, 1], lotteries=False)
    assert problem.players == ("Ann", "Bob")
    solution = nash_solution(problem)
    assert dict(solution.weights) == {"cooperate, cooperate": 1.0}
    assert (
        solution.sentence(problem.players)
        == "Nash bargaining solution: cooperate, cooperate, paying Ann 3, Bob 3"
    )


def test_sentences() -> None:
    solution = Solution("Nash bargaining solution", np.array([2.4, 5.2]), {"b": 0.3, "a": 0.5, "c": 0.2})
    assert solution.sentence(["Ukraine", "Russia"], "utils") == (
        "Nash bargaining solution: a lottery of a (50%), b (30%) and c (20%), "
        "paying Ukraine 2.4 utils, Russia 5.2 utils"
    )
    with pytest.raises(UsageError, match="2 payoffs but 3 player names"):
        solution.sentence(["a", "b", "c"])
    offers = rubinstein_over_frontier(BargainingProblem([[1, 0], [0, 1]], ["to A", "to B"]), (0.9, 0.9))
    text = offers.sentence(["A", "B"])
    assert text.startswith("In alternating offers (discount factors 0.9 and 0.9), A proposes first")
    assert "to A (52.6%) and to B (47.4%)" in text


# ------------------------------------------------------------------------------ Rubinstein over a frontier


@pytest.mark.parametrize(("delta1", "delta2"), [(0.9, 0.9), (0.9, 0.8), (0.5, 0.95), (0.01, 0.99)])
@pytest.mark.parametrize("first", [0, 1])
def test_rubinstein_over_the_pie_matches_the_closed_form(delta1: float, delta2: float, first: int) -> None:
    pie = BargainingProblem([[1, 0], [0, 1]], ["all to 1", "all to 2"])
    offers = rubinstein_over_frontier(pie, (delta1, delta2), first)
    split = rubinstein(delta1, delta2, first=first)
    assert isinstance(offers, AlternatingOffers)
    assert offers.first == first
    assert offers.proposals[0].payoffs == pytest.approx(split.offers[0], abs=1e-12)
    assert offers.proposals[1].payoffs == pytest.approx(split.offers[1], abs=1e-12)
    assert offers.agreement.payoffs == pytest.approx(split.shares, abs=1e-12)


def test_rubinstein_over_a_curved_frontier_approaches_nash() -> None:
    problem = nash_curve(2000, lotteries=True)
    nash = nash_solution(problem).payoffs
    for delta in (0.9, 0.99, 0.99999):
        offers = rubinstein_over_frontier(problem, (delta, delta))
        x, y = offers.proposals[0].payoffs, offers.proposals[1].payoffs
        assert np.prod(x) == pytest.approx(np.prod(y), rel=1e-9)  # equal Nash products
        assert y[0] <= nash[0] <= x[0]  # on either side of the Nash solution
        assert y[0] == pytest.approx(delta * x[0], rel=1e-9)
    assert x == pytest.approx(NASH_POINT, abs=1e-3)


def test_rubinstein_with_different_patience_approaches_asymmetric_nash() -> None:
    # delta_i = exp(-r_i h): the limit is the Nash solution with powers 1 / r_i
    problem = BargainingProblem(S.points, S.labels, [0.1, 0.0])
    h, rates = 1e-6, np.array([1.0, 3.0])
    offers = rubinstein_over_frontier(problem, tuple(np.exp(-rates * h)))
    expected = nash_solution(problem, powers=1 / rates).payoffs
    assert offers.agreement.payoffs == pytest.approx(expected, abs=1e-4)


def test_rubinstein_over_a_frontier_that_ends_before_the_disagreement_payoffs() -> None:
    # the frontier starts at u1 = 0.5 > d1: player 2 offers its best point whenever that is enough
    problem = BargainingProblem([[0.5, 1], [1, 0.5]], ["left", "right"])
    offers = rubinstein_over_frontier(problem, (0.5, 0.5))
    assert offers.proposals[1].payoffs == pytest.approx([0.5, 1.0])
    assert offers.proposals[0].payoffs == pytest.approx([1.0, 0.5])


# ------------------------------------------------------------------------------ properties


@st.composite
def problems(draw: st.DrawFn, players: int = 2, lotteries: bool = True) -> BargainingProblem:
    """Random problems with three-decimal payoffs and a point better than disagreement for all."""
    count = draw(st.integers(1, 7))
    value = st.integers(0, 10_000).map(lambda k: k / 1000)
    points = [[draw(value) for _ in range(players)] for _ in range(count)]
    disagreement = [draw(st.integers(0, 3000).map(lambda k: k / 1000)) for _ in range(players)]
    gains = [draw(st.integers(1, 5000).map(lambda k: k / 1000)) for _ in range(players)]
    points.append([d + g for d, g in zip(disagreement, gains)])
    return BargainingProblem(points, disagreement=disagreement, lotteries=lotteries)


def dominated(problem: BargainingProblem, payoffs: np.ndarray, tol: float = 1e-7) -> bool:
    """Whether some feasible agreement gives everyone at least ``payoffs`` and someone more than tol."""
    if not problem.lotteries:
        better = np.all(problem.points >= payoffs - tol, axis=1) & np.any(
            problem.points > payoffs + tol, axis=1
        )
        return bool(better.any())
    count = problem.n_points
    result = linprog(
        -problem.points.sum(axis=1),
        A_ub=-problem.points.T,
        b_ub=-payoffs,
        A_eq=np.ones((1, count)),
        b_eq=[1.0],
        bounds=[(0, None)] * count,
        method="highs",
    )
    return result.status == 0 and -result.fun > payoffs.sum() + tol


@FAST
@given(problems(), st.floats(0.1, 10), st.floats(-5, 5), st.sampled_from([0, 1]))
def test_nash_is_invariant_to_rescaling_a_players_utility(
    problem: BargainingProblem, factor: float, offset: float, player: int
) -> None:
    scale, shift = np.ones(2), np.zeros(2)
    scale[player], shift[player] = factor, offset
    rescaled = BargainingProblem(
        problem.points * scale + shift, problem.labels, problem.disagreement * scale + shift
    )
    before, after = nash_solution(problem), nash_solution(rescaled)
    assert after.payoffs == pytest.approx(before.payoffs * scale + shift, abs=1e-7 * (1 + factor))


@SLOW
@given(problems(players=3), st.floats(0.1, 10), st.sampled_from([0, 1, 2]))
def test_three_party_nash_is_invariant_to_rescaling(
    problem: BargainingProblem, factor: float, player: int
) -> None:
    scale = np.ones(3)
    scale[player] = factor
    rescaled = BargainingProblem(problem.points * scale, problem.labels, problem.disagreement * scale)
    before, after = nash_solution(problem), nash_solution(rescaled)
    assert after.payoffs == pytest.approx(before.payoffs * scale, abs=1e-6 * (1 + factor))


@FAST
@given(problems(), st.booleans())
def test_solutions_are_pareto_efficient_and_individually_rational(
    problem: BargainingProblem, lotteries: bool
) -> None:
    problem = BargainingProblem(problem.points, problem.labels, problem.disagreement, lotteries=lotteries)
    assume(problem.zopa().exists)
    for function in SOLUTIONS:
        solution = function(problem)
        assert not dominated(problem, solution.payoffs), function.__name__
        assert np.all(solution.payoffs >= problem.disagreement - 1e-9), function.__name__
        assert sum(solution.weights.values()) == pytest.approx(1.0)
        weights = np.array([solution.weights.get(label, 0.0) for label in problem.labels])
        assert weights @ problem.points == pytest.approx(solution.payoffs, abs=1e-12)
    assert np.all(nash_solution(problem).payoffs > problem.disagreement)


@SLOW
@given(problems(players=3))
def test_three_party_solutions_are_pareto_efficient(problem: BargainingProblem) -> None:
    for function in SOLUTIONS:
        assert not dominated(problem, function(problem).payoffs, tol=1e-6), function.__name__


@FAST
@given(problems())
def test_nash_moves_toward_player_one_as_its_power_grows(problem: BargainingProblem) -> None:
    powers = np.linspace(0.05, 0.95, 7)
    first = [float(nash_solution(problem, powers=[w, 1 - w]).payoffs[0]) for w in powers]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(first))


@FAST
@given(problems(), st.floats(0.2, 0.95), st.floats(0.2, 0.95), st.sampled_from([0, 1]))
def test_rubinstein_over_a_frontier_is_a_stationary_equilibrium(
    problem: BargainingProblem, delta1: float, delta2: float, first: int
) -> None:
    offers = rubinstein_over_frontier(problem, (delta1, delta2), first)
    x, y = offers.proposals[0].payoffs, offers.proposals[1].payoffs
    d = problem.disagreement
    # each responder gets at least what waiting a round for its own proposal is worth ...
    assert y[0] - d[0] >= delta1 * (x[0] - d[0]) - 1e-9
    assert x[1] - d[1] >= delta2 * (y[1] - d[1]) - 1e-9
    # ... both proposals are efficient and acceptable to both
    for proposal in (x, y):
        assert not dominated(problem, proposal)
        assert np.all(proposal >= d - 1e-9)


@FAST
@given(st.floats(0.001, 0.999), st.floats(0.001, 0.999), st.sampled_from([0, 1]))
def test_rubinstein_closed_form(delta1: float, delta2: float, first: int) -> None:
    split = rubinstein(delta1, delta2, first=first)
    x, y = split.offers[0][0], split.offers[1][1]
    # the responder is indifferent between accepting and proposing next round
    assert 1 - x == pytest.approx(delta2 * y, abs=1e-12)
    assert 1 - y == pytest.approx(delta1 * x, abs=1e-12)


@given(st.floats(0.0, 0.5))
def test_rubinstein_converges_to_the_nash_split(scale: float) -> None:
    delta = 1 - 10.0 ** (-3 - 10 * scale)  # from 0.999 to 1 - 1e-8
    shares = rubinstein(delta, delta).shares
    assert shares == pytest.approx((0.5, 0.5), abs=1 - delta)


# ------------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize("lotteries", [True, False])
@pytest.mark.parametrize("function", SOLUTIONS, ids=lambda f: f.__name__)
def test_empty_zopa_is_a_usage_error(function, lotteries: bool) -> None:
    problem = BargainingProblem([[1, 2], [3, 0], [2, 1]], disagreement=[2, 2], lotteries=lotteries)
    with pytest.raises(UsageError, match="no feasible agreement is better than disagreement for every party"):
        function(problem)


def test_empty_zopa_hints() -> None:
    stuck = BargainingProblem([[1, 2], [3, 1]], disagreement=[0, 2], players=["Ann", "Bob"])
    with pytest.raises(UsageError, match="Bob never gets more than its disagreement payoff 2"):
        nash_solution(stuck)
    with pytest.raises(UsageError, match=r"allow lotteries \(lotteries=True\)"):
        kalai_smorodinsky(BargainingProblem([[1, 0], [0, 1]], lotteries=False))
    with pytest.raises(UsageError, match="leaves another no better off than disagreement"):
        egalitarian(BargainingProblem([[1, 3], [3, 1]], disagreement=[2, 2]))
    with pytest.raises(UsageError, match="no feasible agreement"):
        rubinstein_over_frontier(stuck, (0.9, 0.9))


def test_ideal_without_individually_rational_agreements() -> None:
    with pytest.raises(UsageError, match="worse off than disagreement"):
        BargainingProblem([[1, 0], [0, 1]], disagreement=[2, 2]).ideal()


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, math.nan, math.inf, "fast", None])
def test_bad_discount_factors(bad) -> None:
    with pytest.raises(UsageError, match="strictly between 0 and 1"):
        rubinstein(bad, 0.9)
    with pytest.raises(UsageError, match="strictly between 0 and 1"):
        rubinstein(0.9, bad)
    with pytest.raises(UsageError, match="strictly between 0 and 1"):
        rubinstein_over_frontier(S, (0.9, bad))


@pytest.mark.parametrize("first", [2, -1, "Ann", True])
def test_bad_first_proposer(first) -> None:
    with pytest.raises(UsageError, match="first must be 0 or 1"):
        rubinstein(0.9, 0.9, first=first)
    with pytest.raises(UsageError, match="first must be 0 or 1"):
        rubinstein_over_frontier(S, (0.9, 0.9), first)


def test_rubinstein_over_frontier_needs_two_parties_lotteries_and_two_deltas() -> None:
    with pytest.raises(UsageError, match="two parties"):
        rubinstein_over_frontier(BargainingProblem([[1, 1, 1]]), (0.9, 0.9))
    with pytest.raises(UsageError, match="lotteries=True"):
        rubinstein_over_frontier(BargainingProblem(S.points, lotteries=False), (0.9, 0.9))
    with pytest.raises(UsageError, match="two discount factors"):
        rubinstein_over_frontier(S, (0.9,))
    with pytest.raises(UsageError, match="two discount factors"):
        rubinstein_over_frontier(S, 0.9)  # type: ignore[arg-type]


@pytest.mark.parametrize("powers", [[1, 0], [-1, 2], [1, 2, 3], [math.nan, 1], "strong"])
def test_bad_bargaining_powers(powers) -> None:
    with pytest.raises(UsageError, match="powers must be 2 positive numbers"):
        nash_solution(S, powers=powers)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([1, 2, 3],), r"shape \(k, N\).*got an array of shape \(3,\)"),
        ((np.zeros((2, 2, 2)),), r"got an array of shape \(2, 2, 2\)"),
        (([[1], [2]],), "at least two players"),
        ((np.zeros((0, 2)),), "at least one outcome"),
        (([[1, 2], [3, math.nan]],), "row 1, column 1 is nan"),
        (([[1, 2], ["a", 4]],), "must be numbers"),
        (([[1, 2], [3, 4]], ["a"]), "2 rows of points but 1 labels"),
        (([[1, 2], [3, 4]], ["a", "a"]), "labels must be distinct; repeated: a"),
        (([[1, 2], [3, 4]], None, [0, 0, 0]), r"one payoff per player \(2\); got shape \(3,\)"),
        (([[1, 2], [3, 4]], None, [0, math.inf]), "disagreement point must be finite"),
        (([[1, 2], [3, 4]], None, None, ["Ann"]), "2 columns but 1 player names"),
        (([[1, 2], [3, 4]], None, None, ["Ann", "Ann"]), "player names must be distinct"),
    ],
)
def test_malformed_problems(arguments: tuple, message: str) -> None:
    with pytest.raises(GameError, match=message):
        BargainingProblem(*arguments)


def test_problems_and_solutions_are_read_only() -> None:
    with pytest.raises(ValueError, match="read-only"):
        S.points[0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        nash_solution(S).payoffs[0] = 5
    assert "4 outcomes" in repr(S)
