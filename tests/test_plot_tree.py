"""Game-tree chart: prepared data checked by hand on small trees, figures checked for overlaps."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure

import negsim
from negsim.errors import UsageError
from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.plotting import tree as tree_chart
from negsim.plotting.charts import KINDS, ChartInput, choose, render
from negsim.scenario.model import Scenario
from negsim.solvers.sequential import TreeResult, solve_tree

ROOT = Path(__file__).resolve().parent.parent

#: The moves of the 60-leaf tree: 3 x 4 x 5 leaves, some labels long enough to wrap.
UKRAINE_MOVES = (
    "offer ceasefire on current lines",
    "demand full withdrawal first",
    "launch counter-offensive",
)
RUSSIA_MOVES = ("accept", "counter-offer with a neutrality clause", "stall the talks", "escalate strikes")
GUARANTOR_MOVES = (
    "security guarantee",
    "arms deliveries",
    "sanctions relief",
    "more sanctions",
    "stand aside",
)


def entry_deterrence() -> GameTree:
    """Selten's entry game: the entrant stays out (0, 2) or enters; the incumbent fights or acquiesces."""
    return GameTree.from_parents(
        ["Entrant", "Incumbent"],
        parent=[-1, 0, 0, 2, 2],
        kind=[DECISION, TERMINAL, DECISION, TERMINAL, TERMINAL],
        player=[0, -1, 1, -1, -1],
        moves=["", "Out", "In", "Fight", "Acquiesce"],
        payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]],
        title="Entry deterrence",
    )


def one_card_poker() -> GameTree:
    """Chance deals the bettor a high or a low card; the bettor folds or raises; the caller,
    who does not see the card, calls or folds."""
    return GameTree.from_parents(
        ["Bettor", "Caller"],
        parent=[-1, 0, 0, 1, 1, 2, 2, 4, 4, 6, 6],
        kind=[CHANCE, DECISION, DECISION, TERMINAL, DECISION, TERMINAL, DECISION] + [TERMINAL] * 4,
        player=[-1, 0, 0, -1, 1, -1, 1, -1, -1, -1, -1],
        moves=["", "high card", "low card", "fold", "raise", "fold", "raise", "call", "fold", "call", "fold"],
        probability=[1, 0.5, 0.5, 1, 1, 1, 1, 1, 1, 1, 1],
        infoset=[-1, 0, 1, -1, 2, -1, 2, -1, -1, -1, -1],
        payoffs=[
            [0, 0],
            [0, 0],
            [0, 0],
            [-1, 1],
            [0, 0],
            [-1, 1],
            [0, 0],
            [2, -2],
            [1, -1],
            [-2, 2],
            [1, -1],
        ],
        title="One-card poker",
    )


def ceasefire_talks() -> GameTree:
    """Three parties, 60 leaves: Ukraine opens, Russia answers, the guarantors respond."""
    parent, kind, player, moves = [-1], [DECISION], [0], [""]

    def add(above: int, node_kind: int, mover: int, move: str) -> int:
        parent.append(above)
        kind.append(node_kind)
        player.append(mover)
        moves.append(move)
        return len(parent) - 1

    for first in UKRAINE_MOVES:
        russia = add(0, DECISION, 1, first)
        for second in RUSSIA_MOVES:
            guarantors = add(russia, DECISION, 2, second)
            for third in GUARANTOR_MOVES:
                add(guarantors, TERMINAL, -1, third)
    index = np.arange(len(parent))[:, None]
    payoffs = (index * np.array([7, 11, 13]) + np.array([0, 3, 5])) % 12 - 4
    return GameTree.from_parents(
        ["Ukraine", "Russia", "Guarantors"],
        parent=parent,
        kind=kind,
        player=player,
        moves=moves,
        payoffs=payoffs,
        title="Ceasefire talks",
    )


@cache
def solved(name: str) -> TreeResult:
    if name == "entry":
        return solve_tree(entry_deterrence())
    if name == "poker":
        return solve_tree(one_card_poker())
    # the guarantors alone have 5^12 strategies: keep the (skipped) normal form from being tried at length
    return solve_tree(ceasefire_talks(), normal_form_limit=10_000)


@cache
def prepared(name: str) -> tree_chart.TreeData:
    return tree_chart.prepare(ChartInput.from_tree(solved(name)))


def legend_texts(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def texts_of(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


# -- prepared data -------------------------------------------------------------------------------


def test_entry_deterrence_data() -> None:
    data = prepared("entry")
    assert data.moves == ("", "Out", "In", "Fight", "Acquiesce")
    # In, then Acquiesce; the entrant's only other move, Out, is off the play and nobody plans it
    assert data.path == {2, 4}
    assert data.plan == frozenset()
    # equilibria 1 (pure) and 3 (fights half the time) threaten Fight; Acquiesce is never marked
    assert data.incredible == {3}
    assert (data.n_nash, data.n_incredible) == (3, 2)
    assert data.mode == tree_chart.SUBGAME_PERFECT and data.n_equilibria == 1 and data.complete
    # leaves one row each, top to bottom; each decision node at the mean row of its children
    assert data.x.tolist() == [0.0, 2.0, 1.0, 2.0, 2.0]
    assert data.y.tolist() == [0.75, 0.0, 1.5, 1.0, 2.0]
    assert data.leaves.tolist() == [1, 3, 4]
    assert data.leaf_labels == (
        "",
        "Entrant 0, Incumbent 2",
        "",
        "Entrant -1, Incumbent -1",
        "Entrant 1, Incumbent 1",
    )
    assert data.payoff_heading == "payoffs"
    assert np.isnan(data.probabilities).all()
    assert data.infosets == ()
    assert data.chart_title == "Game tree: Entry deterrence"
    assert "(2 of 3 Nash equilibria rest on one)" in data.caption
    assert "subgame-perfect equilibria shown" not in data.caption  # there is only one
    assert "Thin, same colour" not in data.caption  # no planned move off the play


def test_poker_data_shows_the_nash_equilibrium() -> None:
    result = solved("poker")
    assert result.spe is None
    assert result.tree.parent.tolist() == [-1, 0, 0, 1, 1, 2, 2, 4, 4, 6, 6]  # already breadth-first
    data = prepared("poker")
    assert data.mode == tree_chart.NASH and data.n_equilibria == 1
    # the bettor always raises a high card and bluffs 1 time in 3 with a low one; the caller calls 2 in 3
    expected = [np.nan, 0.5, 0.5, 0.0, 1.0, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 2 / 3, 1 / 3]
    np.testing.assert_allclose(data.probabilities, expected)
    # the two likeliest plays, 1/3 each: high card, raise, call; and low card, fold
    assert data.path == {1, 4, 7, 2, 5}
    assert data.path_probability == pytest.approx(1 / 3)
    assert data.leaves_on_path() == [7, 5]
    # everything else the equilibrium does with positive probability; never the high-card fold (node 3)
    assert data.plan == {6, 8, 9, 10}
    assert data.incredible == frozenset()
    assert data.infosets == ((4, 6),)
    assert data.leaves.tolist() == [3, 7, 8, 5, 9, 10]
    assert data.y[4] == 1.5 and data.y[6] == 4.5 and data.y[0] == pytest.approx((0.75 + 3.75) / 2)
    assert data.leaf_labels[7] == "Bettor 2, Caller -2"
    assert "Nash equilibrium 1 of 1" in data.caption
    assert "(each 33.3%)" in data.caption
    assert data.infoset_tags == ("a",)
    assert "Dotted, same letter: positions the mover cannot tell apart." in data.caption


def test_sixty_leaves_data() -> None:
    result = solved("sixty")
    data = prepared("sixty")
    tree = result.tree
    assert len(data.leaves) == 60 and result.nash is None
    assert result.spe is not None
    first = result.spe.equilibria[0]
    on_play = first.path()
    assert data.path == set(on_play[1:])
    off_play = {int(first.choice[n]) for n in np.flatnonzero(tree.kind == DECISION)} - set(on_play)
    assert data.plan == off_play and len(data.plan) == 16 - 3  # 16 decision nodes, 3 on the play
    assert data.incredible == frozenset() and data.n_nash == 0
    # leaves in depth-first order, rows 0..59, all in the last column
    assert data.y[data.leaves].tolist() == list(range(60))
    assert set(data.x[data.leaves].tolist()) == {3.0}
    order = [int(c) for c in np.argsort(data.y[tree.children(0)])]
    assert [data.moves[int(tree.children(0)[k])] for k in order] == list(UKRAINE_MOVES)
    for node in np.flatnonzero(tree.kind != TERMINAL):
        assert data.y[node] == pytest.approx(data.y[tree.children(int(node))].mean())
        assert data.x[node] == tree.depth[node]
    assert len(result.spe) > 1
    assert f"1 of {len(result.spe)} subgame-perfect equilibria shown." in data.caption
    assert data.leaf_labels[int(data.leaves[0])] == "Ukraine {}, Russia {}, Guarantors {}".format(
        *(int(p) for p in tree.payoffs[int(data.leaves[0])])
    )


def test_moves_of_a_subgame_perfect_equilibrium_are_not_marked() -> None:
    # A stays out (L) or enters (R); B then offers a deal (a) or not (b); after a deal C honours it
    # (x) or reneges (y). Equilibrium (L; a; y) rests on C's incredible y, and B's deal, judged
    # against that y, is a lapse too, but B offers the deal in the subgame-perfect plan
    tree = GameTree.from_parents(
        ["A", "B", "C"],
        parent=[-1, 0, 0, 2, 2, 3, 3],
        kind=[DECISION, TERMINAL, DECISION, DECISION, TERMINAL, TERMINAL, TERMINAL],
        player=[0, -1, 1, 2, -1, -1, -1],
        moves=["", "L", "R", "a", "b", "x", "y"],
        payoffs=[[0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0], [0.5, 1, 0], [2, 2, 2], [0, -1, 0]],
    )
    result = solve_tree(tree)
    planned = {child for found in result.lapses for lapse in found for child, _ in lapse.planned}
    assert {3, 6} <= planned  # a and y
    data = tree_chart.prepare(ChartInput.from_tree(result))
    assert data.path == {2, 3, 5}  # R, a, x
    # b (refusing the deal C would honour) and y are marked; a, a lapse only against y, is not
    assert data.incredible == {4, 6}


def test_many_players_get_compact_payoffs() -> None:
    players = ["Russia", "Ukraine", "United States", "European powers"]
    tree = GameTree.from_parents(
        players,
        parent=[-1, 0, 0],
        kind=[DECISION, TERMINAL, TERMINAL],
        player=[0, -1, -1],
        moves=["", "sign", "refuse"],
        payoffs=[[0, 0, 0, 0], [2.5, 7.7, 5.5, 5.5], [0, 0, 0, 0]],
    )
    data = tree_chart.prepare(ChartInput.from_tree(solve_tree(tree)))
    assert data.leaf_labels[1:] == ("(2.5, 7.7, 5.5, 5.5)", "(0, 0, 0, 0)")
    assert data.payoff_heading == "payoffs (Russia, Ukraine, United States, European powers)"
    assert data.chart_title == "Game tree"
    assert tree_chart.leaf_label(("A", "B"), np.array([1.0, -0.5])) == "A 1, B -0.5"


# -- which charts apply --------------------------------------------------------------------------


def test_only_the_tree_chart_applies_to_trees() -> None:
    assert KINDS["tree"].module == tree_chart.__name__ and KINDS["tree"].sequential
    for name in ("entry", "poker", "sixty"):
        assert [kind.name for kind in choose(ChartInput.from_tree(solved(name)))] == ["tree"]


def test_tree_chart_refuses_strategic_form_games() -> None:
    scenario = negsim.load(ROOT / "scenarios" / "neutrality_for_guarantees.yaml")
    assert isinstance(scenario, Scenario)
    chart_input = ChartInput.from_scenario(scenario)
    assert (
        tree_chart.applies(chart_input)
        == "a game-tree chart needs a game tree; this is a strategic-form game"
    )
    assert KINDS["tree"].applies(chart_input) == "it draws game trees"
    assert "tree" not in [kind.name for kind in choose(chart_input)]
    with pytest.raises(UsageError, match="the tree chart does not apply"):
        tree_chart.prepare(chart_input)


def test_tree_chart_refuses_trees_too_large_to_read() -> None:
    n = tree_chart.MAX_LEAVES + 1
    wide = GameTree.from_parents(
        ["Alone"],
        parent=[-1] + [0] * n,
        kind=[DECISION] + [TERMINAL] * n,
        player=[0] + [-1] * n,
        moves=[""] + [f"option {k}" for k in range(n)],
        payoffs=[[0]] + [[k % 7] for k in range(n)],
    )
    chart_input = ChartInput.from_tree(solve_tree(wide, normal_form_limit=10))
    reason = tree_chart.applies(chart_input)
    assert reason is not None and reason.startswith(f"too large to draw readably: {n} leaves; ")
    with pytest.raises(UsageError, match="too large to draw readably"):
        choose(chart_input, ["tree"])


# -- figures -------------------------------------------------------------------------------------


def _boxes(fig: Figure) -> list[tuple[str, np.ndarray]]:
    """Every text of the chart (and the legend) as a window box, after the layout has run."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    renderer = RendererAgg(int(fig.bbox.width), int(fig.bbox.height), fig.dpi)
    ax = fig.axes[0]
    boxes = [
        (t.get_text(), np.asarray(t.get_window_extent(renderer).extents)) for t in ax.texts if t.get_text()
    ]
    legend = ax.get_legend()
    assert legend is not None
    boxes.append(("<legend>", np.asarray(legend.get_window_extent(renderer).extents)))
    boxes.append(("<title>", np.asarray(ax.title.get_window_extent(renderer).extents)))
    return boxes


@pytest.mark.parametrize("name", ["entry", "poker", "sixty"])
def test_figures_render_without_overlaps(name: str) -> None:
    fig = tree_chart.figure(ChartInput.from_tree(solved(name)))
    assert render(fig, "png").startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in render(fig, "svg")[:400]
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == prepared(name).chart_title
    assert not ax.get_xticks().size and not ax.get_yticks().size
    assert not any(spine.get_visible() for spine in ax.spines.values())
    boxes = _boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for text, (x0, y0, x1, y1) in boxes:
        assert x0 >= -1 and y0 >= -1 and x1 <= width + 1 and y1 <= height + 1, f"{text!r} is cut off"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        overlap_x = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
        overlap_y = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
        assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{a!r} overlaps {b!r}"


def test_entry_figure_marks_the_incredible_threat() -> None:
    ax = tree_chart.figure(ChartInput.from_tree(solved("entry"))).axes[0]
    assert legend_texts(ax) == ["Entrant moves", "Incumbent moves", "subgame-perfect play", "not credible"]
    assert texts_of(ax).count("not credible") == 1
    assert {"Out", "In", "Fight", "Acquiesce", "Entrant 1, Incumbent 1", "payoffs"} <= set(texts_of(ax))


def test_poker_figure_legend_and_probabilities() -> None:
    ax = tree_chart.figure(ChartInput.from_tree(solved("poker"))).axes[0]
    assert legend_texts(ax) == [
        "Bettor moves",
        "Caller moves",
        "chance",
        "likeliest play (Nash equilibrium)",
        "other moves made with some probability",
        "cannot tell apart\n(same letter)",
    ]
    assert texts_of(ax).count("a") == 2  # the caller's two nodes
    assert {"high card (50%)", "raise (33.3%)", "call (66.7%)", "fold (0%)"} <= set(texts_of(ax))


def test_sixty_leaves_stay_readable() -> None:
    data = prepared("sixty")
    fig = tree_chart.figure(ChartInput.from_tree(solved("sixty")))
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] >= 60 * 0.26  # a row per leaf
    assert legend_texts(ax) == [
        "Ukraine moves",
        "Russia moves",
        "Guarantors moves",
        "subgame-perfect play",
        "planned move, off that play",
    ]
    labels = set(texts_of(ax))
    assert "counter-offer with a\nneutrality clause" in labels  # wrapped, not cut
    assert all(data.leaf_labels[int(leaf)] in labels for leaf in data.leaves)


def test_draw_tree_uses_the_axes_given() -> None:
    from negsim.plotting.style import new_axes

    ax = new_axes(size=(9, 5))
    assert tree_chart.draw_tree(prepared("entry"), ax=ax) is ax
    assert ax.get_title(loc="left") == "Game tree: Entry deterrence"
