"""Payoff-matrix, best-response and mixed-strategy charts: their data checked by hand, their figures drawn."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.axes import Axes

import negsim
from negsim.errors import DegenerateGameWarning, UsageError
from negsim.game.normal_form import NormalFormGame
from negsim.plotting import best_response, matrix, mixed
from negsim.plotting.best_response import Response
from negsim.plotting.charts import KINDS, ChartInput, render
from negsim.report.words import possessive
from negsim.solvers import solve
from negsim.solvers.result import SolveResult

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("neutrality_for_guarantees", "guarantee_strength", "four_party_package")
MODULES = {"matrix": matrix, "best-response": best_response, "mixed": mixed}
APPLIES = {
    "neutrality_for_guarantees": {"matrix", "best-response", "mixed"},
    "guarantee_strength": {"matrix", "mixed"},
    "four_party_package": {"mixed"},
}


@cache
def bundled(stem: str) -> ChartInput:
    return ChartInput.from_scenario(negsim.load(ROOT / "scenarios" / f"{stem}.yaml"))


def legend_texts(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def game_input(row: list[list[float]], column: list[list[float]]) -> ChartInput:
    game = NormalFormGame.from_matrices(row, column, ["Ann", "Bob"], [["up", "down"], ["left", "right"]])
    return ChartInput(solve(game))


# -- which charts apply --------------------------------------------------------------------------


@pytest.mark.parametrize("stem", SCENARIOS)
def test_which_charts_apply(stem: str) -> None:
    applying = {kind for kind, module in MODULES.items() if module.applies(bundled(stem)) is None}
    assert applying == APPLIES[stem]
    assert {kind: KINDS[kind].module for kind in MODULES} == {k: m.__name__ for k, m in MODULES.items()}


def test_four_parties_get_reasons_not_matrices() -> None:
    four = bundled("four_party_package")
    assert "two players" in (matrix.applies(four) or "")
    assert "2x2" in (best_response.applies(four) or "")
    with pytest.raises(UsageError, match="two players"):
        matrix.prepare(four)
    with pytest.raises(UsageError, match="2x2"):
        best_response.prepare(four)


def test_mixed_needs_an_equilibrium() -> None:
    game = NormalFormGame.from_matrices([[1]], [[1]])
    empty = SolveResult(game, (), "none", complete=False, degenerate=None, tolerance=1e-8)
    assert "no equilibrium" in (mixed.applies(ChartInput(empty)) or "")


def test_matrix_refuses_games_too_large_to_read() -> None:
    rng = np.random.default_rng(3)
    big = NormalFormGame.from_matrices(rng.integers(0, 9, (11, 2)), rng.integers(0, 9, (11, 2)))
    chart_input = ChartInput(SolveResult(big, (), "none", complete=False, degenerate=None, tolerance=1e-8))
    assert "11x2" in (matrix.applies(chart_input) or "")


# -- payoff matrix -------------------------------------------------------------------------------


def test_matrix_neutrality_for_guarantees() -> None:
    data = matrix.prepare(bundled("neutrality_for_guarantees"))
    assert data.players == ("Ukraine", "Russia")
    assert data.row_labels == ("renounce NATO bid", "keep NATO bid")
    assert data.column_labels == ("binding pledge", "no pledge")
    # ukraine renounce/keep x russia pledge/no_pledge, from the scenario's terms
    np.testing.assert_array_equal(data.row_payoffs, [[3, -2], [2, 0]])
    np.testing.assert_array_equal(data.column_payoffs, [[6, 4], [-1, 0]])
    np.testing.assert_array_equal(data.welfare, [[9, 2], [1, 0]])
    assert data.equilibrium_cells == {(0, 0), (1, 1)}
    payoffs = {cell: (data.row_payoffs[cell], data.column_payoffs[cell]) for cell in data.equilibrium_cells}
    assert payoffs == {(0, 0): (3, 6), (1, 1): (0, 0)}
    np.testing.assert_array_equal(data.row_best, [[True, False], [False, True]])
    np.testing.assert_array_equal(data.column_best, [[True, False], [False, True]])
    assert data.unit == "utils"


def test_matrix_guarantee_strength_has_no_pure_equilibrium() -> None:
    data = matrix.prepare(bundled("guarantee_strength"))
    assert data.equilibrium_cells == frozenset()
    # Guarantors' best reply to hold, probe, attack: assurances, assurances, tripwire
    np.testing.assert_array_equal(data.row_best, [[1, 1, 0], [0, 0, 0], [0, 0, 1]])
    # Russia's best reply to assurances, treaty, tripwire: attack, probe, hold
    np.testing.assert_array_equal(data.column_best, [[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    assert data.unit == "utils"  # probabilities among the parameters do not count as a unit


def test_matrix_best_responses_match_a_loop_and_ties_count() -> None:
    rng = np.random.default_rng(11)
    row, column = rng.integers(-3, 4, (8, 8)), rng.integers(-3, 4, (8, 8))
    data = matrix.prepare(ChartInput(solve(NormalFormGame.from_matrices(row, column), method="pure")))
    for i in range(8):
        for j in range(8):
            assert data.row_best[i, j] == (row[i, j] == row[:, j].max())
            assert data.column_best[i, j] == (column[i, j] == column[i, :].max())
    assert data.equilibrium_cells == {
        (i, j) for i in range(8) for j in range(8) if data.row_best[i, j] and data.column_best[i, j]
    }
    assert data.unit is None


# -- best responses ------------------------------------------------------------------------------


def test_best_response_neutrality_for_guarantees() -> None:
    data = best_response.prepare(bundled("neutrality_for_guarantees"))
    ukraine, russia = data.responses
    # Ukraine: 3q - 2(1 - q) = 2q, so it is indifferent when Russia pledges with probability 2/3
    assert ukraine.threshold == pytest.approx(2 / 3)
    assert (ukraine.below, ukraine.above) == (1, 0)  # keep the bid below, renounce above
    # Russia: 6p - (1 - p) = 4p, so it is indifferent when Ukraine renounces with probability 1/3
    assert russia.threshold == pytest.approx(1 / 3)
    assert (russia.below, russia.above) == (1, 0)
    assert np.allclose(data.equilibria, [(1, 1), (0, 0), (1 / 3, 2 / 3)])
    assert data.first_strategies == ("renounce NATO bid", "binding pledge")


def test_best_response_dominant_strategies() -> None:
    # prisoner's dilemma: "down" and "right" (defect) are strictly dominant
    data = best_response.prepare(game_input([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert data.responses == (Response(None, 1, 1), Response(None, 1, 1))
    assert data.equilibria == ((0.0, 0.0),)
    xs, ys = data.responses[0].path()
    np.testing.assert_array_equal(xs, [0, 0])
    np.testing.assert_array_equal(ys, [0, 1])


def test_best_response_indifference_and_weak_dominance() -> None:
    # Ann never cares; Bob prefers "left" unless Ann plays "down" for sure
    with pytest.warns(DegenerateGameWarning):
        chart_input = game_input([[1, 1], [1, 1]], [[1, 0], [0, 0]])
    data = best_response.prepare(chart_input)
    ann, bob = data.responses
    assert ann.indifferent and ann.threshold is None
    assert ann.path()[0].size == 0
    assert (bob.threshold, bob.below, bob.above) == (0.0, 1, 0)
    # Bob's probability of "left" against Ann's of "up": anything when Ann surely plays "down", else 1
    own, other = bob.path()
    np.testing.assert_array_equal(own, [0, 0, 1, 1])
    np.testing.assert_array_equal(other, [0, 0, 0, 1])
    ax = best_response.figure(chart_input).axes[0]
    legend = legend_texts(ax)
    assert legend == ["Ann's best response", "Bob's best response", "Nash equilibrium"]


# -- mixed strategies ----------------------------------------------------------------------------


def test_mixed_guarantee_strength() -> None:
    data = mixed.prepare(bundled("guarantee_strength"))
    assert [bar.label for bar in data.bars] == ["Eq. 1 — Guarantors", "Eq. 1 — Russia"]
    np.testing.assert_allclose(data.bars[0].probabilities, [0.25, 0.75, 0], atol=1e-9)
    np.testing.assert_allclose(data.bars[1].probabilities, [0, 2.5 / 2.8, 0.3 / 2.8], atol=1e-9)
    assert [label for _, _, label in data.legend] == [
        "political assurances",
        "Article-5-style treaty",
        "probe",
        "attack",
    ]


def test_mixed_four_parties_all_pure() -> None:
    data = mixed.prepare(bundled("four_party_package"))
    assert len(data.bars) == 2 * 4
    assert [(bar.equilibrium, bar.player) for bar in data.bars] == [(e, p) for e in (1, 2) for p in range(4)]
    assert data.bars[0].label == "Eq. 1 — Russia"
    for bar in data.bars:
        assert sorted(bar.probabilities.tolist())[-1] == 1.0
        assert bar.probabilities.sum() == 1.0


def test_mixed_legend_names_the_player_when_labels_collide() -> None:
    game = NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 1]], ["Ann", "Bob"], [["a", "b"]] * 2)
    data = mixed.prepare(ChartInput(solve(game)))
    assert {label for _, _, label in data.legend} == {"Ann: a", "Ann: b", "Bob: a", "Bob: b"}


# -- figures -------------------------------------------------------------------------------------

FIGURES = [(kind, stem) for stem in SCENARIOS for kind in sorted(APPLIES[stem])]


@pytest.mark.parametrize(("kind", "stem"), FIGURES, ids=[f"{k}-{s}" for k, s in FIGURES])
def test_figure_texts_and_png(kind: str, stem: str) -> None:
    chart_input = bundled(stem)
    game = chart_input.result.game
    first, second = game.players[:2]
    fig = MODULES[kind].figure(chart_input)
    ax = fig.axes[0]
    legend = legend_texts(ax)
    if kind == "matrix":
        assert ax.get_title(loc="left") == f"Payoff matrix: {game.title}"
        assert (ax.get_xlabel(), ax.get_ylabel()) == (f"{second} plays", f"{first} plays")
        assert legend == [
            "pure equilibrium",
            f"{possessive(first)} best response",
            f"{possessive(second)} best response",
        ]
        assert fig.axes[1].get_ylabel() == "total payoff (sum of both parties), utils"
    elif kind == "best-response":
        assert ax.get_title(loc="left") == f"Best responses: {game.title}"
        assert ax.get_xlabel() == "P(Ukraine plays renounce NATO bid)"
        assert ax.get_ylabel() == "P(Russia plays binding pledge)"
        assert legend == ["Ukraine's best response", "Russia's best response", "Nash equilibrium"]
    else:
        assert ax.get_title(loc="left") == "Strategies in each equilibrium"
        assert ax.get_xlabel() == "probability"
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        assert ticks == [bar.label for bar in mixed.prepare(chart_input).bars]
        assert legend == [label for _, _, label in mixed.prepare(chart_input).legend]
    assert render(fig, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_matrix_of_eight_strategies_draws() -> None:
    rng = np.random.default_rng(5)
    labels = [[f"long strategy label number {k}" for k in range(8)]] * 2
    game = NormalFormGame.from_matrices(rng.normal(size=(8, 8)), rng.normal(size=(8, 8)), strategies=labels)
    fig = matrix.figure(ChartInput(solve(game, method="pure")))
    assert fig.axes[0].get_title(loc="left") == "Payoff matrix"
    assert fig.axes[1].get_ylabel() == "total payoff (sum of both parties)"
    assert render(fig, "png").startswith(b"\x89PNG")


def test_drawing_on_given_axes_reuses_them() -> None:
    from matplotlib.figure import Figure

    chart_input = bundled("neutrality_for_guarantees")
    left, middle, right = Figure().subplots(1, 3)
    assert matrix.draw_matrix(matrix.prepare(chart_input), ax=left) is left
    assert best_response.draw_best_response(best_response.prepare(chart_input), ax=middle) is middle
    assert mixed.draw_mixed(mixed.prepare(chart_input), ax=right) is right
