"""Game trees: subgame-perfect equilibria by backward induction, the reduced normal form, credibility.

Published games with known answers (Selten's chain-store stage game, McKelvey and Palfrey's
centipede games, the discretised ultimatum game, Myerson's one-card poker), hand-worked trees
with chance moves and ties, property tests on random perfect-information trees against a
brute-force reference, and the errors an inconsistent tree raises.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negsim.errors import GameError
from negsim.game.extensive import reduced_normal_form
from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.solvers.backward import SubgamePerfect, TreeSolution, backward_induction, evaluate
from negsim.solvers.sequential import solve_tree

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Payoffs (and values) equal within this are equal.
ATOL = 1e-9


# --- building trees by hand --------------------------------------------------------------------


class Builder:
    """Adds nodes one at a time; ``build`` hands them to ``GameTree.from_parents``.

    Each node is named by the index ``node`` returned, so ``index(tree, node)`` finds it again
    after the tree has re-ordered its nodes.
    """

    def __init__(self, players: Sequence[str]) -> None:
        self.players = list(players)
        self.parent: list[int] = []
        self.kind: list[int] = []
        self.player: list[int] = []
        self.moves: list[str] = []
        self.probability: list[float] = []
        self.infoset: list[int] = []
        self.payoffs: list[list[float]] = []

    def _add(
        self,
        parent: int,
        move: str,
        kind: int,
        player: int,
        probability: float,
        infoset: int,
        payoff: Sequence[float],
    ) -> int:
        self.parent.append(parent)
        self.kind.append(kind)
        self.player.append(player)
        self.moves.append(move)
        self.probability.append(probability)
        self.infoset.append(infoset)
        self.payoffs.append([float(x) for x in payoff])
        return len(self.parent) - 1

    def decision(
        self, parent: int, move: str, player: int, *, probability: float = 1.0, infoset: int = -1
    ) -> int:
        return self._add(parent, move, DECISION, player, probability, infoset, [0.0] * len(self.players))

    def chance(self, parent: int, move: str, *, probability: float = 1.0) -> int:
        return self._add(parent, move, CHANCE, -1, probability, -1, [0.0] * len(self.players))

    def leaf(self, parent: int, move: str, payoff: Sequence[float], *, probability: float = 1.0) -> int:
        return self._add(parent, move, TERMINAL, -1, probability, -1, payoff)

    def build(self, infoset_names: Sequence[str] | None = None) -> GameTree:
        with_sets = any(h >= 0 for h in self.infoset)
        return GameTree.from_parents(
            self.players,
            parent=self.parent,
            kind=self.kind,
            player=self.player,
            moves=self.moves,
            probability=self.probability,
            infoset=self.infoset if with_sets else None,
            infoset_names=infoset_names,
            payoffs=self.payoffs,
            names=[str(i) for i in range(len(self.parent))],
        )


def index(tree: GameTree, node: int) -> int:
    """Where the builder's ``node`` ended up in the tree."""
    return tree.names.index(str(node))


def moves_on(tree: GameTree, nodes: Sequence[int]) -> list[str]:
    return [tree.move_name(n) for n in nodes[1:]]


def named_plan(tree: GameTree, spe: SubgamePerfect) -> dict[str, str]:
    """A plan as {decision node's name: name of the chosen move}."""
    return {tree.names[node]: tree.move_name(child) for node, child in spe.plan()}


def entry_deterrence() -> GameTree:
    """Selten's chain-store stage game: the entrant stays out or enters; the incumbent fights or not."""
    b = Builder(["Entrant", "Incumbent"])
    root = b.decision(-1, "", 0)
    b.leaf(root, "Out", [0, 2])
    inside = b.decision(root, "In", 1)
    b.leaf(inside, "Fight", [-1, -1])
    b.leaf(inside, "Acquiesce", [1, 1])
    return b.build()


#: McKelvey and Palfrey (1992), Econometrica 60(4): payoffs when the mover takes at each node,
#: and when the last mover passes. Pots double; each take beats being taken from next.
CENTIPEDE_TAKES = [(0.40, 0.10), (0.20, 0.80), (1.60, 0.40), (0.80, 3.20), (6.40, 1.60), (3.20, 12.80)]
CENTIPEDE_END = {4: (6.40, 1.60), 6: (25.60, 6.40)}


def centipede(legs: int) -> GameTree:
    b = Builder(["Player 1", "Player 2"])
    node = b.decision(-1, "", 0)
    for leg in range(legs):
        b.leaf(node, "take", CENTIPEDE_TAKES[leg])
        if leg + 1 < legs:
            node = b.decision(node, "pass", (leg + 1) % 2)
        else:
            b.leaf(node, "pass", CENTIPEDE_END[legs])
    return b.build()


def ultimatum(units: int) -> GameTree:
    """The proposer offers k of ``units``; the responder accepts (units - k, k) or rejects (0, 0)."""
    b = Builder(["Proposer", "Responder"])
    root = b.decision(-1, "", 0)
    for k in range(units + 1):
        offer = b.decision(root, f"offer {k}", 1)
        b.leaf(offer, "accept", [units - k, k])
        b.leaf(offer, "reject", [0, 0])
    return b.build()


def one_card_poker() -> GameTree:
    """Myerson (1991), Game Theory, section 2.1: both ante 1, a raise and a meet add 1 each."""
    b = Builder(["Player 1", "Player 2"])
    deal = b.chance(-1, "")
    for card, infoset, meet in (("red", 0, 2), ("black", 1, -2)):
        seen = b.decision(deal, card, 0, probability=0.5, infoset=infoset)
        b.leaf(seen, "Fold", [-1, 1])
        raised = b.decision(seen, "Raise", 1, infoset=2)
        b.leaf(raised, "Meet", [meet, -meet])
        b.leaf(raised, "Pass", [1, -1])
    return b.build(infoset_names=["red card", "black card", "after a raise"])


# --- published games ---------------------------------------------------------------------------


def test_entry_deterrence_has_one_subgame_perfect_equilibrium() -> None:
    tree = entry_deterrence()
    solution = backward_induction(tree)
    assert len(solution) == 1 and solution.complete
    (spe,) = solution.equilibria
    assert moves_on(tree, spe.path()) == ["In", "Acquiesce"]
    np.testing.assert_allclose(spe.payoffs, [1, 1], atol=ATOL)
    assert solution.tied_nodes == ()
    assert spe.max_gain == 0.0


def test_entry_deterrence_threat_to_fight_is_a_nash_equilibrium_but_not_credible() -> None:
    tree = entry_deterrence()
    result = solve_tree(tree)
    assert result.form is not None and result.nash is not None
    nash = result.nash
    assert result.form.game.strategies == (("Out", "In"), ("Fight", "Acquiesce"))

    def find(entrant: int, incumbent: int) -> int:
        (k,) = [
            k for k, e in enumerate(nash.equilibria) if e.is_pure and e.supports == ((entrant,), (incumbent,))
        ]
        return k

    out_fight, in_acquiesce = find(0, 0), find(1, 1)
    np.testing.assert_allclose(result.nash.equilibria[out_fight].payoffs, [0, 2], atol=ATOL)
    np.testing.assert_allclose(result.nash.equilibria[in_acquiesce].payoffs, [1, 1], atol=ATOL)
    assert result.credible[in_acquiesce] is True
    assert result.lapses[in_acquiesce] == ()
    assert result.credible[out_fight] is False
    (lapse,) = result.lapses[out_fight]
    incumbent = index(tree, 2)
    assert (lapse.node, lapse.player, lapse.kind) == (incumbent, 1, "threat")
    assert [tree.move_name(child) for child, _ in lapse.planned] == ["Fight"]
    assert lapse.planned[0][1] == pytest.approx(1.0)
    assert tree.move_name(lapse.best) == "Acquiesce"
    assert (lapse.planned_value, lapse.best_value) == pytest.approx((-1.0, 1.0))
    sentence = lapse.sentence(tree)
    assert sentence.startswith("Incumbent would not carry out")
    for word in ("threat", "Fight", "Acquiesce", "-1", tree.describe(incumbent)):
        assert word in sentence
    # the subgame-perfect plan is the credible pure equilibrium of the normal form
    assert result.spe is not None
    (spe,) = result.spe.equilibria
    assert result.form.profile_of(spe.choice) == (1, 1)


@pytest.mark.parametrize("legs", [4, 6])
def test_centipede_unique_equilibrium_takes_at_once(legs: int) -> None:
    tree = centipede(legs)
    solution = backward_induction(tree)
    assert len(solution) == 1 and solution.complete and solution.tied_nodes == ()
    (spe,) = solution.equilibria
    path = spe.path()
    assert len(path) - 1 == 1
    assert moves_on(tree, path) == ["take"]
    np.testing.assert_allclose(spe.payoffs, CENTIPEDE_TAKES[0], atol=ATOL)
    plan = spe.plan()
    assert len(plan) == legs
    assert all(tree.move_name(child) == "take" for _, child in plan)
    # continuation values: from each node on, the mover takes at once
    for leg, (node, _) in enumerate(plan):
        np.testing.assert_allclose(spe.values[node], CENTIPEDE_TAKES[leg], atol=ATOL)
    # and the outcome of passing to the end would have given both players more
    assert all(np.array(CENTIPEDE_END[legs]) > np.array(CENTIPEDE_TAKES[0]))


@pytest.mark.parametrize("units", [2, 3, 10])
def test_ultimatum_game_has_exactly_two_subgame_perfect_equilibria(units: int) -> None:
    tree = ultimatum(units)
    solution = backward_induction(tree)
    assert len(solution) == 2 and solution.complete
    root = 0
    responders = [int(n) for n in tree.children(root)]
    offers = {tree.move_name(n): n for n in responders}
    assert solution.tied_nodes == (offers["offer 0"],)

    def described(spe: SubgamePerfect) -> tuple[str, tuple[str, ...]]:
        choice = spe.choice
        proposal = tree.move_name(int(choice[root]))
        answers = tuple(tree.move_name(int(choice[offers[f"offer {k}"]])) for k in range(units + 1))
        return proposal, answers

    everything = ("accept",) * (units + 1)
    positive_only = ("reject",) + ("accept",) * units
    assert sorted(described(spe) for spe in solution.equilibria) == sorted(
        [("offer 0", everything), ("offer 1", positive_only)]
    )
    payoffs = {described(spe)[0]: spe.payoffs.tolist() for spe in solution.equilibria}
    assert payoffs == {"offer 0": [units, 0], "offer 1": [units - 1, 1]}
    for spe in solution.equilibria:
        assert len(spe.plan()) == units + 2
        assert len(spe.path()) == 3


def test_one_card_poker_has_myersons_mixed_equilibrium() -> None:
    tree = one_card_poker()
    assert not tree.perfect_information
    with pytest.raises(GameError, match="perfect information"):
        backward_induction(tree)
    result = solve_tree(tree)
    assert result.spe is None
    assert result.nash is not None and result.form is not None
    assert len(result.nash.equilibria) == 1
    (equilibrium,) = result.nash.equilibria
    np.testing.assert_allclose(equilibrium.payoffs, [1 / 3, -1 / 3], atol=1e-9)
    assert result.nash.value == pytest.approx(1 / 3, abs=1e-9)
    behaviour = result.behaviour(0)
    sets = {name: k for k, name in enumerate(tree.infoset_names)}
    assert by_move(tree, sets["red card"], behaviour[0]) == pytest.approx({"Fold": 0, "Raise": 1}, abs=1e-9)
    assert by_move(tree, sets["black card"], behaviour[0]) == pytest.approx(
        {"Fold": 2 / 3, "Raise": 1 / 3}, abs=1e-9
    )
    assert by_move(tree, sets["after a raise"], behaviour[1]) == pytest.approx(
        {"Meet": 2 / 3, "Pass": 1 / 3}, abs=1e-9
    )
    assert result.credible == (True,)


def by_move(tree: GameTree, infoset: int, behaviour: dict[int, np.ndarray]) -> dict[str, float]:
    node = int(np.flatnonzero(tree.infoset == infoset)[0])
    return {tree.move_name(int(c)): float(p) for c, p in zip(tree.children(node), behaviour[infoset])}


# --- chance moves and ties, worked by hand -----------------------------------------------------


def test_chance_node_inside_a_perfect_information_tree() -> None:
    # Ann plays Safe (2, 0) or Risky; after Risky, with probability 0.3 Bob chooses between
    # L (5, 1) and R (0, 2), and with 0.7 the game ends at (4, 3).
    # Bob picks R; Risky is worth 0.3 (0, 2) + 0.7 (4, 3) = (2.8, 2.7) to them, above Safe.
    b = Builder(["Ann", "Bob"])
    root = b.decision(-1, "", 0)
    b.leaf(root, "Safe", [2, 0])
    risky = b.chance(root, "Risky")
    bob = b.decision(risky, "storm", 1, probability=0.3)
    b.leaf(bob, "L", [5, 1])
    right = b.leaf(bob, "R", [0, 2])
    calm = b.leaf(risky, "calm", [4, 3], probability=0.7)
    tree = b.build()

    solution = backward_induction(tree)
    assert len(solution) == 1
    (spe,) = solution.equilibria
    np.testing.assert_allclose(spe.payoffs, [2.8, 2.7], atol=ATOL)
    np.testing.assert_allclose(spe.values[index(tree, risky)], [2.8, 2.7], atol=ATOL)
    np.testing.assert_allclose(spe.values[index(tree, bob)], [0, 2], atol=ATOL)
    assert named_plan(tree, spe) == {str(root): "Risky", str(bob): "R"}
    assert moves_on(tree, spe.path()) == ["Risky", "calm"]
    plays = spe.plays()
    assert [p for p, _ in plays] == pytest.approx([0.7, 0.3])
    assert [nodes[-1] for _, nodes in plays] == [index(tree, calm), index(tree, right)]
    # the expected payoff of the normal form agrees
    form = reduced_normal_form(tree)
    np.testing.assert_allclose(form.game.payoffs[form.profile_of(spe.choice)], [2.8, 2.7], atol=ATOL)


def test_expected_values_through_a_chance_root_and_three_players() -> None:
    # Chance: 1/4 to A's node, 3/4 to B's node. A: (3, 0, 1) or C's node {c1 (1, 1, 5), c2 (2, 2, 4)}.
    # B: (0, 4, 0) or (6, 1, 2). C picks c1 (5 > 4), so A compares 3 with 1 and stops: (3, 0, 1).
    # B takes (0, 4, 0). Expectation: (3/4, 3, 1/4).
    b = Builder(["A", "B", "C"])
    deal = b.chance(-1, "")
    a = b.decision(deal, "left", 0, probability=0.25)
    bee = b.decision(deal, "right", 1, probability=0.75)
    b.leaf(a, "stop", [3, 0, 1])
    c = b.decision(a, "go", 2)
    b.leaf(c, "c1", [1, 1, 5])
    b.leaf(c, "c2", [2, 2, 4])
    b.leaf(bee, "b1", [0, 4, 0])
    b.leaf(bee, "b2", [6, 1, 2])
    tree = b.build()
    (spe,) = backward_induction(tree).equilibria
    np.testing.assert_allclose(spe.payoffs, [0.75, 3, 0.25], atol=ATOL)
    assert named_plan(tree, spe) == {str(a): "stop", str(bee): "b1", str(c): "c1"}
    assert sum(p for p, _ in spe.plays()) == pytest.approx(1.0)
    assert moves_on(tree, spe.path()) == ["right", "b1"]


def tied_tree() -> GameTree:
    """Ann: L or R. After L, Bob is indifferent between x (1, 0) and y (3, 0); after R, between
    u (3, 0) and v (0, 0). Ann's best move depends on Bob's choices, and after (y, u) she is
    indifferent herself."""
    b = Builder(["Ann", "Bob"])
    root = b.decision(-1, "", 0)
    left = b.decision(root, "L", 1)
    right = b.decision(root, "R", 1)
    b.leaf(left, "x", [1, 0])
    b.leaf(left, "y", [3, 0])
    b.leaf(right, "u", [3, 0])
    b.leaf(right, "v", [0, 0])
    return b.build()


#: (Bob after L, Bob after R, Ann) for every subgame-perfect equilibrium of ``tied_tree``.
TIED_SPE = {("x", "u", "R"), ("x", "v", "L"), ("y", "u", "L"), ("y", "u", "R"), ("y", "v", "L")}


def tied_plans(tree: GameTree, solution: TreeSolution) -> list[tuple[str, str, str]]:
    plans = [named_plan(tree, spe) for spe in solution.equilibria]
    return [(plan["1"], plan["2"], plan["0"]) for plan in plans]


def test_ties_below_give_every_subgame_perfect_equilibrium() -> None:
    tree = tied_tree()
    solution = backward_induction(tree)
    assert solution.complete
    found = tied_plans(tree, solution)
    assert len(found) == len(set(found)) == 5
    assert set(found) == TIED_SPE
    payoffs = {plan: spe.payoffs.tolist() for plan, spe in zip(found, solution.equilibria)}
    assert payoffs[("x", "v", "L")] == [1, 0]
    assert all(p == [3, 0] for plan, p in payoffs.items() if plan != ("x", "v", "L"))
    for spe in solution.equilibria:
        assert spe.max_gain <= solution.tolerance


def test_tied_nodes_include_a_root_tie_that_appears_only_under_another_plan_below() -> None:
    """The documented meaning: ties 'under at least one plan of the subtrees below'.

    Ann is indifferent between L and R when Bob plays (y, u); the listed equilibria show it
    (two plans differ only in Ann's move), so the root is a tied node.
    """
    tree = tied_tree()
    solution = backward_induction(tree)
    assert ("y", "u", "L") in tied_plans(tree, solution) and ("y", "u", "R") in tied_plans(tree, solution)
    assert set(solution.tied_nodes) == {0, index(tree, 1), index(tree, 2)}


@pytest.mark.parametrize(("limit", "complete"), [(1, False), (3, False), (4, False), (5, True), (6, True)])
def test_limit_truncates_the_list_and_says_so(limit: int, complete: bool) -> None:
    tree = tied_tree()
    solution = backward_induction(tree, limit=limit)
    assert len(solution) == min(limit, 5)
    assert solution.complete is complete
    found = tied_plans(tree, solution)
    assert len(set(found)) == len(found) and set(found) <= TIED_SPE
    result = solve_tree(tree, spe_limit=limit)
    assert result.spe is not None and len(result.spe) == min(limit, 5)
    assert any("more than" in note for note in result.notes) is (not complete)


def test_evaluate_reports_the_gain_of_a_plan_that_is_not_a_best_reply() -> None:
    tree = entry_deterrence()
    weights = np.zeros(tree.n_nodes)
    for node in (2, 3):  # In, Fight
        weights[index(tree, node)] = 1.0
    values, gains = evaluate(tree, weights)
    np.testing.assert_allclose(values[0], [-1, -1])
    assert gains[index(tree, 2)] == pytest.approx(2.0)  # Fight -1 against Acquiesce 1
    assert gains[0] == pytest.approx(1.0)  # In -1 against Out 0


# --- random perfect-information trees ----------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A tree in canonical breadth-first order: node 0 the root, children after their parent."""

    n_players: int
    parent: tuple[int, ...]
    kind: tuple[int, ...]
    player: tuple[int, ...]
    probability: tuple[float, ...]
    payoffs: tuple[tuple[int, ...], ...]

    @property
    def n_nodes(self) -> int:
        return len(self.parent)

    @functools.cached_property
    def kids(self) -> tuple[tuple[int, ...], ...]:
        result: list[list[int]] = [[] for _ in range(self.n_nodes)]
        for node, up in enumerate(self.parent):
            if up >= 0:
                result[up].append(node)
        return tuple(tuple(k) for k in result)


@st.composite
def trees(draw: st.DrawFn, max_nodes: int = 18, max_depth: int = 4) -> Spec:
    """Random perfect-information trees: 2-3 players, branching 1-3, some chance nodes, small
    integer payoffs (so that ties are common)."""
    n_players = draw(st.integers(2, 3))
    parent, depth, probability = [-1], [0], [1.0]
    kind: list[int] = []
    player: list[int] = []
    payoffs: list[tuple[int, ...]] = []
    node = 0
    while node < len(parent):
        room = max_nodes - len(parent)
        if depth[node] >= max_depth or room < 1:
            k = TERMINAL
        else:
            k = draw(
                st.sampled_from([DECISION, CHANCE] if node == 0 else [DECISION, DECISION, CHANCE, TERMINAL])
            )
        kind.append(k)
        player.append(draw(st.integers(0, n_players - 1)) if k == DECISION else -1)
        if k == TERMINAL:
            payoffs.append(tuple(draw(st.lists(st.integers(-1, 2), min_size=n_players, max_size=n_players))))
        else:
            payoffs.append((0,) * n_players)
            branching = draw(st.integers(1, min(3, room)))
            if k == CHANCE:
                weights = draw(st.lists(st.integers(1, 3), min_size=branching, max_size=branching))
                chances = [w / sum(weights) for w in weights]
            else:
                chances = [1.0] * branching
            for p in chances:
                parent.append(node)
                depth.append(depth[node] + 1)
                probability.append(p)
        node += 1
    return Spec(n_players, tuple(parent), tuple(kind), tuple(player), tuple(probability), tuple(payoffs))


def default_labels(spec: Spec) -> list[str]:
    labels = [""] * spec.n_nodes
    for kids in spec.kids:
        for k, child in enumerate(kids):
            labels[child] = f"m{k}"
    return labels


def build(spec: Spec, order: Sequence[int] | None = None, labels: Sequence[str] | None = None) -> GameTree:
    """The tree with its nodes given to ``from_parents`` in ``order`` (canonical ids), each named
    by its canonical id."""
    order = list(range(spec.n_nodes)) if order is None else list(order)
    labels = default_labels(spec) if labels is None else labels
    position = {node: j for j, node in enumerate(order)}
    return GameTree.from_parents(
        [f"P{p + 1}" for p in range(spec.n_players)],
        parent=[position[spec.parent[v]] if spec.parent[v] >= 0 else -1 for v in order],
        kind=[spec.kind[v] for v in order],
        player=[spec.player[v] for v in order],
        moves=[labels[v] for v in order],
        probability=[spec.probability[v] for v in order],
        payoffs=[spec.payoffs[v] for v in order],
        names=[str(v) for v in order],
    )


Plan = frozenset[tuple[int, int]]


def canonical_plan(tree: GameTree, spe: SubgamePerfect) -> Plan:
    """The plan as (decision node, chosen child) pairs in canonical ids."""
    return frozenset((int(tree.names[node]), int(tree.names[child])) for node, child in spe.plan())


def payoff_set(solution: TreeSolution) -> set[tuple[F, ...]]:
    return {tuple(F(float(x)).limit_denominator(10_000) for x in spe.payoffs) for spe in solution.equilibria}


def reference_spe(spec: Spec) -> set[Plan]:
    """Every subgame-perfect plan by brute force: try all pure plans, keep those where at every
    decision node the chosen child is a best move for the mover given the plan below."""
    decision = [v for v in range(spec.n_nodes) if spec.kind[v] == DECISION]
    found: set[Plan] = set()
    for picks in itertools.product(*(spec.kids[v] for v in decision)):
        plan = dict(zip(decision, picks))

        @functools.cache
        def value(node: int, plan: dict[int, int] = plan) -> tuple[float, ...]:
            if spec.kind[node] == TERMINAL:
                return tuple(float(x) for x in spec.payoffs[node])
            if spec.kind[node] == DECISION:
                return value(plan[node])
            rows = [[spec.probability[c] * x for x in value(c)] for c in spec.kids[node]]
            return tuple(sum(column) for column in zip(*rows))

        if all(
            value(plan[v])[spec.player[v]] >= max(value(c)[spec.player[v]] for c in spec.kids[v]) - ATOL
            for v in decision
        ):
            found.add(frozenset(plan.items()))
    return found


@st.composite
def sibling_shuffles(draw: st.DrawFn, spec: Spec) -> list[int]:
    """An order of the nodes (canonical ids) that permutes the children of every node."""
    order = [0]
    for kids in spec.kids:
        order.extend(draw(st.permutations(kids)))
    return order


@FAST
@given(trees())
def test_every_subgame_perfect_plan_is_a_nash_equilibrium_of_the_normal_form(spec: Spec) -> None:
    tree = build(spec)
    solution = backward_induction(tree)
    form = reduced_normal_form(tree)
    table = form.game.payoffs
    assert solution.equilibria
    for spe in solution.equilibria:
        profile = form.profile_of(spe.choice)
        np.testing.assert_allclose(table[profile], spe.payoffs, atol=ATOL)
        for p in range(tree.n_players):
            deviations: list[int | slice] = list(profile)
            deviations[p] = slice(None)
            assert table[tuple(deviations)][:, p].max() <= table[profile][p] + ATOL


@FAST
@given(st.data())
def test_relabelling_moves_keeps_the_subgame_perfect_equilibria(data: st.DataObject) -> None:
    spec = data.draw(trees())
    order = data.draw(sibling_shuffles(spec))
    names = data.draw(st.permutations(["zeta", "alpha", "mu"]))
    labels = [f"{names[int(label[1:])]}" if label else "" for label in default_labels(spec)]
    before, after = build(spec), build(spec, order, labels)
    first, second = backward_induction(before), backward_induction(after)
    assert payoff_set(first) == payoff_set(second)
    assert {canonical_plan(before, s) for s in first.equilibria} == {
        canonical_plan(after, s) for s in second.equilibria
    }
    assert len(first) == len(second)


@FAST
@given(st.data())
def test_the_order_nodes_are_given_in_does_not_matter(data: st.DataObject) -> None:
    spec = data.draw(trees())
    order = data.draw(st.permutations(range(spec.n_nodes)))
    before, after = build(spec), build(spec, order)
    first, second = backward_induction(before), backward_induction(after)
    assert payoff_set(first) == payoff_set(second)
    assert {canonical_plan(before, s) for s in first.equilibria} == {
        canonical_plan(after, s) for s in second.equilibria
    }
    # the stored tree is the same up to the renumbering
    assert sorted(after.names) == sorted(before.names)
    for node in range(after.n_nodes):
        canonical = int(after.names[node])
        up = int(after.parent[node])
        assert (int(after.names[up]) if up >= 0 else -1) == spec.parent[canonical]
        assert after.kind[node] == spec.kind[canonical]


@FAST
@given(trees())
def test_every_subgame_perfect_plan_passes_evaluate_with_no_gain(spec: Spec) -> None:
    tree = build(spec)
    solution = backward_induction(tree)
    decision = np.flatnonzero(tree.kind == DECISION)
    for spe in solution.equilibria:
        weights = np.zeros(tree.n_nodes)
        weights[spe.choice[decision]] = 1.0
        values, gains = evaluate(tree, weights)
        assert np.all(np.abs(gains[decision]) <= ATOL)
        np.testing.assert_allclose(values, spe.values, atol=ATOL)
        assert spe.max_gain <= solution.tolerance
        plays = spe.plays()
        assert sum(p for p, _ in plays) == pytest.approx(1.0)
        expected = sum(p * tree.payoffs[nodes[-1]] for p, nodes in plays)
        np.testing.assert_allclose(expected, spe.payoffs, atol=ATOL)
        path = spe.path()
        assert path[0] == 0 and tree.kind[path[-1]] == TERMINAL
        assert all(tree.parent[b] == a for a, b in itertools.pairwise(path))


@FAST
@given(trees(max_nodes=16))
def test_backward_induction_finds_exactly_the_brute_force_equilibria(spec: Spec) -> None:
    tree = build(spec)
    solution = backward_induction(tree)
    assert solution.complete
    found = [canonical_plan(tree, spe) for spe in solution.equilibria]
    assert len(found) == len(set(found))
    assert set(found) == reference_spe(spec)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(max_nodes=14))
def test_every_subgame_perfect_plan_is_among_the_nash_equilibria_of_solve_tree(spec: Spec) -> None:
    result = solve_tree(build(spec))
    assert result.spe is not None and result.form is not None and result.nash is not None
    pure = {tuple(int(s[0]) for s in e.supports): e.payoffs for e in result.nash.equilibria if e.is_pure}
    for spe in result.spe.equilibria:
        profile = result.form.profile_of(spe.choice)
        assert profile in pure
        np.testing.assert_allclose(pure[profile], spe.payoffs, atol=1e-7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_without_ties_a_pure_equilibrium_is_credible_exactly_when_it_is_subgame_perfect(
    data: st.DataObject,
) -> None:
    spec = data.draw(trees(max_nodes=14))
    distinct = data.draw(st.permutations(range(spec.n_nodes * spec.n_players)))
    payoffs = np.reshape(distinct, (spec.n_nodes, spec.n_players))
    spec = replace(spec, payoffs=tuple(tuple(int(x) for x in row) for row in payoffs))
    tree = build(spec)
    solution = backward_induction(tree)
    assume(solution.tied_nodes == ())  # chance moves can still average to a tie
    result = solve_tree(tree)
    assert result.form is not None and result.nash is not None
    (spe,) = solution.equilibria
    subgame_perfect = result.form.profile_of(spe.choice)
    for equilibrium, credible in zip(result.nash.equilibria, result.credible):
        if equilibrium.is_pure:
            assert credible is (tuple(int(s[0]) for s in equilibrium.supports) == subgame_perfect)


def promise_tree(first: str) -> GameTree:
    """Ann: out (2, 2) or in. Bob: quit (1, 0) or on. Ann: c1 (0, 1) or c2 (0, -1), listed
    with ``first`` first. Ann is indifferent at her second node, so both (out, c1; on) and
    (out, c2; quit) are subgame perfect; Ann's reduced strategy 'out' says nothing at c1/c2."""
    b = Builder(["Ann", "Bob"])
    root = b.decision(-1, "", 0)
    b.leaf(root, "out", [2, 2])
    bob = b.decision(root, "in", 1)
    b.leaf(bob, "quit", [1, 0])
    ann = b.decision(bob, "on", 0)
    leaves = {"c1": [0, 1], "c2": [0, -1]}
    for move in sorted(leaves, key=lambda m: m != first):
        b.leaf(ann, move, leaves[move])
    return b.build()


@pytest.mark.parametrize("first", ["c1", "c2"])
def test_reduced_form_of_a_subgame_perfect_equilibrium_is_credible_whatever_the_move_order(
    first: str,
) -> None:
    """Bob's quit (or on) is a best move for some best move of Ann's below, and backward
    induction lists both plans; neither Nash equilibrium (out, quit) nor (out, on) rests on a
    threat or promise that would not be carried out, whichever of c1/c2 is listed first."""
    tree = promise_tree(first)
    solution = backward_induction(tree)
    assert len(solution) == 2
    result = solve_tree(tree)
    assert result.form is not None and result.nash is not None
    subgame_perfect = {result.form.profile_of(spe.choice) for spe in solution.equilibria}
    assert len(subgame_perfect) == 2  # (out, quit) and (out, on)
    verdicts = {
        tuple(int(s[0]) for s in e.supports): (credible, [lapse.sentence(tree) for lapse in found])
        for e, credible, found in zip(result.nash.equilibria, result.credible, result.lapses)
        if e.is_pure
    }
    assert subgame_perfect <= set(verdicts)
    for profile in subgame_perfect:
        assert verdicts[profile] == (True, []), profile


# --- errors ------------------------------------------------------------------------------------


def test_parent_links_forming_a_cycle_are_rejected() -> None:
    with pytest.raises(GameError, match="cycle"):
        GameTree.from_parents(
            ["A", "B"],
            parent=[-1, 2, 1, 0],
            kind=[DECISION, DECISION, DECISION, TERMINAL],
            player=[0, 0, 1, -1],
            moves=["", "a", "b", "c"],
            payoffs=np.zeros((4, 2)),
        )


def test_two_roots_are_rejected() -> None:
    with pytest.raises(GameError, match="exactly one root; found 2"):
        GameTree.from_parents(
            ["A", "B"],
            parent=[-1, -1, 0],
            kind=[DECISION, TERMINAL, TERMINAL],
            player=[0, -1, -1],
            moves=["", "", "a"],
            payoffs=np.zeros((3, 2)),
        )


def test_chance_probabilities_must_sum_to_one() -> None:
    with pytest.raises(GameError, match=r"chance node 0 sum to 0\.9, not 1"):
        GameTree.from_parents(
            ["A"],
            parent=[-1, 0, 0],
            kind=[CHANCE, TERMINAL, TERMINAL],
            player=[-1, -1, -1],
            moves=["", "heads", "tails"],
            probability=[1.0, 0.5, 0.4],
            payoffs=np.zeros((3, 1)),
        )


def test_a_decision_node_needs_moves() -> None:
    with pytest.raises(GameError, match="node 2 is a decision or chance node without moves"):
        GameTree.from_parents(
            ["A", "B"],
            parent=[-1, 0, 0],
            kind=[DECISION, TERMINAL, DECISION],
            player=[0, -1, 1],
            moves=["", "a", "b"],
            payoffs=np.zeros((3, 2)),
        )


def test_an_information_set_must_offer_the_same_moves() -> None:
    b = Builder(["A", "B"])
    root = b.decision(-1, "", 0, infoset=0)
    left = b.decision(root, "l", 1, infoset=1)
    right = b.decision(root, "r", 1, infoset=1)
    b.leaf(left, "x", [0, 0])
    b.leaf(left, "y", [0, 0])
    b.leaf(right, "x", [0, 0])
    b.leaf(right, "z", [0, 0])
    with pytest.raises(GameError, match="information set 'B' mixes nodes with different players or moves"):
        b.build(infoset_names=["A", "B"])


def forgetful_tree() -> GameTree:
    """A moves, then moves again without remembering the first move."""
    b = Builder(["A", "B"])
    root = b.decision(-1, "", 0, infoset=0)
    for first in ("l", "r"):
        again = b.decision(root, first, 0, infoset=1)
        b.leaf(again, "x", [1, 0])
        b.leaf(again, "y", [0, 1])
    return b.build(infoset_names=["start", "later"])


def absent_minded_driver() -> GameTree:
    """Piccione and Rubinstein's driver cannot tell the first exit from the second."""
    b = Builder(["Driver", "Nobody"])
    first = b.decision(-1, "", 0, infoset=0)
    b.leaf(first, "exit", [0, 0])
    second = b.decision(first, "continue", 0, infoset=0)
    b.leaf(second, "exit", [4, 0])
    b.leaf(second, "continue", [1, 0])
    return b.build(infoset_names=["highway"])


@pytest.mark.parametrize("make", [forgetful_tree, absent_minded_driver], ids=["forgets", "absent-minded"])
def test_imperfect_recall_is_rejected_by_the_normal_form(make: Callable[[], GameTree]) -> None:
    tree = make()
    with pytest.raises(GameError, match=r"forgets its own earlier moves .*\(imperfect recall\)"):
        reduced_normal_form(tree)
    with pytest.raises(GameError, match="imperfect recall"):
        solve_tree(tree)
