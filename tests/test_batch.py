"""The batch solver: every point's equilibria equal those the exact solver finds for that point alone."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negsim
from negsim.errors import DegenerateGameWarning, UsageError
from negsim.game.normal_form import NormalFormGame
from negsim.solvers import solve
from negsim.whatif.batch import _solve_chunk, parameter_arrays, solve_batch

ROOT = Path(__file__).resolve().parent.parent
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"


def _exact_rows(payoffs: np.ndarray) -> list[tuple[float, ...]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        result = solve(NormalFormGame(payoffs))
    return sorted(tuple(np.round(np.concatenate(e.strategies), 6)) for e in result.equilibria)


def _batch_rows(found: object, point: int) -> list[tuple[float, ...]]:
    rows = np.flatnonzero(found.point == point)  # type: ignore[attr-defined]
    strategies = found.strategies  # type: ignore[attr-defined]
    return sorted(tuple(np.round(np.concatenate([s[i] for s in strategies]), 6)) for i in rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 4),
    st.integers(1, 4),
    st.booleans(),
)
def test_two_party_batches_match_the_exact_solver(seed: int, m: int, n: int, ties: bool) -> None:
    rng = np.random.default_rng(seed)
    # small integers make ties (degenerate games), which must fall back to the exact solver
    tensor = rng.integers(0, 3, (12, m, n, 2)).astype(float) if ties else rng.random((12, m, n, 2))
    found = _solve_chunk(tensor, 1e-8, ("A", "B"), (tuple("abcd"[:m]), tuple("abcd"[:n])))
    for point in range(len(tensor)):
        assert _batch_rows(found, point) == _exact_rows(tensor[point])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_three_party_batches_give_every_pure_equilibrium(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tensor = rng.integers(0, 3, (8, 2, 3, 2, 3)).astype(float)
    found = _solve_chunk(tensor, 1e-8, ("A", "B", "C"), (("a", "b"), ("c", "d", "e"), ("f", "g")))
    for point in range(len(tensor)):
        assert _batch_rows(found, point) == _exact_rows(tensor[point])
    assert found.pure.all()


def test_neutrality_settlement_needs_a_valuable_guarantee() -> None:
    # Ukraine's renounce-and-pledge payoff is guarantee_value - 3 + 2 = guarantee_value - 1 against
    # 2 for keeping the bid while Russia pledges: settlement is a pure equilibrium iff guarantee_value > 3
    scenario = negsim.load(NEUTRALITY)
    batch = solve_batch(scenario, {"guarantee_value": [2.0, 2.9, 3.1, 8.0]})
    settlement = batch.outcomes.index("settlement")
    assert batch.reached[:, settlement].tolist() == [False, False, True, True]
    for point, value in enumerate([2.0, 2.9, 3.1, 8.0]):
        alone = scenario.with_params(guarantee_value=value).solve()
        assert len(np.flatnonzero(batch.equilibria.point == point)) == len(alone.equilibria)


def test_records_are_tidy_rows() -> None:
    batch = solve_batch(negsim.load(NEUTRALITY), {"guarantee_value": [0.0, 8.0]})
    rows = batch.records(("guarantee_value",))
    assert {row["point"] for row in rows} == {0, 1}
    first = rows[0]
    assert set(first) == {
        "guarantee_value",
        "point",
        "equilibrium",
        "pure",
        "outcomes",
        "payoff: Ukraine",
        "payoff: Russia",
        "plays: Ukraine",
        "plays: Russia",
    }


def test_four_parties_get_pure_equilibria_for_every_point() -> None:
    scenario = negsim.load(FOUR_PARTY)
    values = np.linspace(0, 1, 7)
    batch = solve_batch(scenario, {"credibility": values})
    assert not batch.complete
    for point, value in enumerate(values):
        alone = scenario.with_params(credibility=float(value)).solve()
        expected = sorted(tuple(np.concatenate(e.strategies)) for e in alone.equilibria)
        assert _batch_rows(batch.equilibria, point) == [tuple(np.round(r, 6)) for r in expected]


def test_unknown_parameter_and_unequal_lengths_are_refused() -> None:
    scenario = negsim.load(NEUTRALITY)
    with pytest.raises(UsageError, match="did you mean 'guarantee_value'"):
        parameter_arrays(scenario, {"guarantee_valu": [1.0]})
    with pytest.raises(UsageError, match="different numbers of points"):
        parameter_arrays(scenario, {"guarantee_value": [1.0, 2.0], "exposure": [1.0]})
