"""Outcomes, payoff-space and variants charts: prepared data checked by hand, figures rendered."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

import negsim
from negsim import NormalFormGame, solve
from negsim.errors import UsageError
from negsim.plotting import outcomes, payoff_space, variants
from negsim.plotting.charts import KINDS, ChartInput, render

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(
    path
    for path in (ROOT / "scenarios").glob("*.yaml")
    if "kind: sequential" not in path.read_text(encoding="utf-8")
)
NEUTRALITY = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
STRENGTH = ROOT / "scenarios" / "guarantee_strength.yaml"
FOUR_PARTY = ROOT / "scenarios" / "four_party_package.yaml"
CHARTS = ("outcomes", "payoff-space", "variants")


@pytest.fixture(scope="module")
def inputs() -> dict[str, ChartInput]:
    return {path.stem: ChartInput.from_scenario(negsim.load(path)) for path in SCENARIOS}


def _pairs(points: np.ndarray) -> set[tuple[float, float]]:
    return {(float(x), float(y)) for x, y in points}


def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def _title(fig: Figure) -> str:
    return fig.get_suptitle() or fig.axes[0].get_title(loc="left")


# -- payoff space ------------------------------------------------------------------------------
def test_payoff_space_neutrality(inputs: dict[str, ChartInput]) -> None:
    data = payoff_space.prepare(inputs[NEUTRALITY.stem])
    assert data.players == ("Ukraine", "Russia")
    assert dict(zip(data.labels, map(tuple, data.points.tolist()))) == {
        "renounce NATO bid / binding pledge": (3.0, 6.0),
        "renounce NATO bid / no pledge": (-2.0, 4.0),
        "keep NATO bid / binding pledge": (2.0, -1.0),
        "keep NATO bid / no pledge": (0.0, 0.0),
    }
    # 3 >= every other Ukrainian payoff and 6 >= every other Russian one
    assert _pairs(data.points[list(data.efficient)]) == {(3.0, 6.0)}
    np.testing.assert_allclose(data.equilibria, [[3.0, 6.0], [0.0, 0.0], [4 / 3, 4 / 3]])
    assert data.equilibrium_labels == (
        "renounce NATO bid / binding pledge",
        "keep NATO bid / no pledge",
        "mixed",
    )
    assert data.outcomes == (
        "settlement",
        "exposed neutrality",
        "unanswered pledge",
        "continued confrontation",
    )
    np.testing.assert_array_equal(data.membership, np.eye(4, dtype=bool))
    # one label per equilibrium; the efficient point is equilibrium 1, so it gets no second label
    assert [text.split(":")[0] for _, _, text in data.annotations] == ["1", "2", "3"]
    assert data.unlabelled == 0
    assert data.xlabel == "Ukraine payoff (utils)" and data.ylabel == "Russia payoff (utils)"
    assert "other parties" not in data.caption


def test_payoff_space_pair_and_projection(inputs: dict[str, ChartInput]) -> None:
    chart_input = inputs[FOUR_PARTY.stem]
    data = payoff_space.prepare(chart_input, pair=("Ukraine", 0))
    game = chart_input.result.game
    assert data.players == ("Ukraine", "Russia") and data.n_players == 4
    np.testing.assert_array_equal(data.points, game.payoffs[..., [1, 0]].reshape(-1, 2))
    # efficiency in the 2-D projection, checked by brute force
    expected = {
        (float(x), float(y))
        for x, y in data.points
        if not any(a >= x and b >= y and (a, b) != (x, y) for a, b in data.points)
    }
    assert _pairs(data.points[list(data.efficient)]) == expected
    assert len(data.efficient) == len(expected)  # one index per distinct vector
    np.testing.assert_allclose(data.equilibria, [[7.7, 2.5], [0.0, 0.0]])
    assert "not the other parties'" in data.caption
    assert len(data.annotations) <= payoff_space.MAX_LABELS
    assert data.membership.shape == (4, 32)
    with pytest.raises(UsageError, match="two different parties"):
        payoff_space.prepare(chart_input, pair=(1, "Ukraine"))


def test_payoff_space_needs_two_players() -> None:
    lonely = NormalFormGame(np.array([[1.0], [2.0]]), ["Alone"])
    assert payoff_space.applies(ChartInput(solve(lonely))) == "payoff space needs at least two parties"


# -- outcomes ----------------------------------------------------------------------------------
def test_outcomes_neutrality(inputs: dict[str, ChartInput]) -> None:
    data = outcomes.prepare(inputs[NEUTRALITY.stem])
    shown = dict(zip(data.outcomes, map(tuple, data.value.tolist())))
    assert shown == {
        "settlement": (3.0, 6.0),
        "exposed neutrality": (-2.0, 4.0),
        "unanswered pledge": (2.0, -1.0),
        "continued confrontation": (0.0, 0.0),
    }
    np.testing.assert_array_equal(data.low, data.value)
    np.testing.assert_array_equal(data.high, data.value)
    pure = {name for name, flag in zip(data.outcomes, data.pure_equilibrium) if flag}
    mixed = {name for name, flag in zip(data.outcomes, data.mixed_equilibrium) if flag}
    # the mixed equilibrium reaches all four; those reached by a pure one count as equilibrium outcomes
    assert pure == {"settlement", "continued confrontation"}
    assert mixed == {"exposed neutrality", "unanswered pledge"}
    assert data.xlabel == "payoff (utils)"
    assert data.chart_title == "Payoffs by outcome: Neutrality for guarantees"


def test_outcomes_four_party_ranges(inputs: dict[str, ChartInput]) -> None:
    chart_input = inputs[FOUR_PARTY.stem]
    data = outcomes.prepare(chart_input)
    game = chart_input.result.game
    assert data.outcomes == tuple(game.outcomes)
    for row, name in enumerate(data.outcomes):
        payoffs = game.payoffs[game.outcomes[name]]
        np.testing.assert_allclose(data.low[row], payoffs.min(axis=0))
        np.testing.assert_allclose(data.high[row], payoffs.max(axis=0))
        assert data.n_profiles[row] == len(payoffs)
    shown = dict(zip(data.outcomes, data.value))
    np.testing.assert_allclose(shown["comprehensive settlement"], [2.5, 7.7, 5.5, 5.5])  # equilibrium 1
    np.testing.assert_allclose(shown["continued war"], [0, 0, 0, 0])  # equilibrium 2
    unguarded = game.payoffs[game.outcomes["unguarded neutrality"]].mean(axis=0)
    np.testing.assert_allclose(shown["unguarded neutrality"], unguarded)  # no equilibrium: the mean
    assert data.n_profiles[data.outcomes.index("continued war")] == 16
    assert data.pure_equilibrium == (True, False, False, True)
    assert not any(data.mixed_equilibrium)


def test_outcomes_only_mixed(inputs: dict[str, ChartInput]) -> None:
    data = outcomes.prepare(inputs[STRENGTH.stem])
    assert not any(data.pure_equilibrium)
    mixed = {name for name, flag in zip(data.outcomes, data.mixed_equilibrium) if flag}
    assert mixed == {"ceasefire eroded", "renewed war", "binding guarantee"}
    game = inputs[STRENGTH.stem].result.game
    np.testing.assert_allclose(data.value[0], game.payoffs[game.outcomes["ceasefire holds"]].mean(axis=0))
    assert data.caption.startswith("Dots: mean payoff")


def test_outcomes_from_profiles_and_too_many() -> None:
    pd = NormalFormGame.from_matrices(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], ["Row", "Column"], [["C", "D"], ["C", "D"]]
    )
    data = outcomes.prepare(ChartInput(solve(pd)))
    assert data.from_profiles and data.outcomes == ("C / C", "C / D", "D / C", "D / D")
    assert data.pure_equilibrium == (False, False, False, True)
    assert data.unit is None and data.xlabel == "payoff"
    big = NormalFormGame(np.zeros((3, 3, 2, 3)))
    reason = outcomes.applies(ChartInput(solve(big, method="pure")))
    assert reason is not None and "18 profiles" in reason
    with pytest.raises(UsageError, match="does not apply"):
        outcomes.prepare(ChartInput(solve(big, method="pure")))


def test_outcomes_four_players_sixteen_outcomes() -> None:
    rng = np.random.default_rng(7)
    payoffs = rng.integers(-5, 6, size=(2, 2, 2, 2, 4))
    names = [f"outcome number {k} with a long name" for k in range(16)]
    masks = {}
    for k, profile in enumerate(np.ndindex(2, 2, 2, 2)):
        mask = np.zeros((2, 2, 2, 2), dtype=bool)
        mask[profile] = True
        masks[names[k]] = mask
    game = NormalFormGame(payoffs, ["North", "East", "South", "West"], outcomes=masks, title="Sixteen")
    result = solve(game)
    data = outcomes.prepare(ChartInput(result))
    assert data.outcomes == tuple(names) and data.value.shape == (16, 4)
    np.testing.assert_array_equal(data.value, payoffs.reshape(16, 4))
    fig = outcomes.figure(ChartInput(result))
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 16
    assert _legend(ax) == ["North", "East", "South", "West"]
    assert fig.get_size_inches()[1] >= 10  # a row per outcome stays readable
    assert render(fig, "png").startswith(b"\x89PNG")


# -- variants ----------------------------------------------------------------------------------
def _rows(data: variants.VariantsData) -> dict[str, variants.VariantRow]:
    return {row.label: row for row in data.rows}


def test_variants_four_party(inputs: dict[str, ChartInput]) -> None:
    data = variants.prepare(inputs[FOUR_PARTY.stem])
    rows = _rows(data)
    assert list(rows) == [
        "base scenario",
        "no guarantee",
        "US only",
        "Europe only",
        "joint",
        "doubted guarantees",
    ]
    assert rows["no guarantee"].reached_pure == {"continued war"}
    assert rows["joint"].reached_pure == {"comprehensive settlement"}
    assert rows["US only"].reached_pure == {"comprehensive settlement", "ceasefire without neutrality"}
    assert rows["base scenario"].reached_pure == {"comprehensive settlement", "continued war"}
    assert not any(row.reached_mixed for row in data.rows)
    assert "comprehensive settlement" not in rows["no guarantee"].possible
    np.testing.assert_allclose(rows["joint"].payoffs, [[2.5, 7.7, 5.5, 5.5]])
    assert len(rows["US only"].payoffs) == 2 and all(rows["US only"].pure)
    assert not any(row.complete for row in data.rows)  # four players: pure equilibria only
    assert "not exhaustive" in data.caption
    assert data.players == ("Russia", "Ukraine", "United States", "European powers")


def test_variants_mixed_only(inputs: dict[str, ChartInput]) -> None:
    data = variants.prepare(inputs[STRENGTH.stem])
    rows = _rows(data)
    assert list(rows) == ["base scenario", "weak treaty", "cheap tripwire"]
    assert all(not row.reached_pure and not any(row.pure) for row in data.rows)
    assert rows["base scenario"].reached_mixed == {"ceasefire eroded", "renewed war", "binding guarantee"}
    assert rows["cheap tripwire"].reached_mixed == {
        "ceasefire holds",
        "ceasefire eroded",
        "binding guarantee",
    }


def test_variants_neutrality_and_base_from_a_variant() -> None:
    scenario = negsim.load(NEUTRALITY)
    data = variants.prepare(ChartInput.from_scenario(scenario.variant("costly pledge")))
    rows = _rows(data)
    base = rows["base scenario"]
    assert base.reached_pure == {"settlement", "continued confrontation"}
    assert base.reached_mixed == {"exposed neutrality", "unanswered pledge"}
    np.testing.assert_allclose(base.payoffs, [[3.0, 6.0], [0.0, 0.0], [4 / 3, 4 / 3]])
    assert base.pure == (True, True, False)
    assert rows["strong guarantee"].reached_pure == {"settlement"}
    assert data.title == "Neutrality for guarantees"


def test_variants_need_a_scenario_with_variants() -> None:
    assert variants.applies(ChartInput(negsim.load(NEUTRALITY).solve())) is not None
    plain = negsim.loads(
        "negsim: 1\ntitle: Two doors\nplayers:\n"
        "  a: {name: A, strategies: [left, right]}\n  b: {name: B, strategies: [left, right]}\n"
        "payoffs:\n  terms:\n    - {to: all, when: a.left and b.left, value: 1}\n"
        "    - {to: all, when: a.right and b.right, value: 2}\n"
    )
    assert variants.applies(ChartInput.from_scenario(plain)) == "the scenario defines no variants"


# -- rendering ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_figures_render(path: Path, inputs: dict[str, ChartInput]) -> None:
    chart_input = inputs[path.stem]
    title = chart_input.scenario.title if chart_input.scenario else ""
    players = list(chart_input.result.game.players)
    for name in CHARTS:
        assert KINDS[name].applies(chart_input) is None, name
        fig = KINDS[name].figure(chart_input)
        if name == "outcomes":
            ax = fig.axes[0]
            assert _title(fig) == f"Payoffs by outcome: {title}"
            assert ax.get_xlabel() == "payoff (utils)"
            assert _legend(ax) == players
            assert any("★ equilibrium" in t.get_text() or "☆" in t.get_text() for t in ax.get_yticklabels())
        elif name == "payoff-space":
            ax = fig.axes[0]
            assert _title(fig) == f"Payoff space: {title}"
            assert (ax.get_xlabel(), ax.get_ylabel()) == (
                f"{players[0]} payoff (utils)",
                f"{players[1]} payoff (utils)",
            )
            entries = _legend(ax)
            assert entries == [
                "pure profile",
                *chart_input.result.game.outcomes,
                "Pareto-efficient",
                "equilibrium",
            ]
        else:
            grid, payoffs = fig.axes
            assert _title(fig) == f"Variants compared: {title}"
            assert payoffs.get_xlabel() == "payoff (utils)"
            assert _legend(payoffs) == players
            assert _legend(grid)[:2] == [
                "reached by a pure equilibrium",
                "only in a mixed equilibrium",
            ]
            assert grid.get_yticklabels()[0].get_text() == "base scenario"
        assert render(fig, "png").startswith(b"\x89PNG")


def test_payoff_space_labels_do_not_overlap(inputs: dict[str, ChartInput]) -> None:
    fig = payoff_space.figure(inputs[FOUR_PARTY.stem])
    ax = fig.axes[0]
    fig.draw_without_rendering()
    labels = [child for child in ax.texts if child.get_text() and child.get_in_layout() is False]
    assert labels
    boxes = [Text.get_window_extent(label) for label in labels]  # the text, without its leader line
    for i, first in enumerate(boxes):
        assert all(not first.overlaps(second) for second in boxes[i + 1 :])
