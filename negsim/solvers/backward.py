"""Subgame-perfect equilibria of game trees by backward induction, all of them when ties occur.

One pass over the tree's levels (deepest first) with array operations finds a subgame-perfect
plan and marks every node where the mover is indifferent between moves. Where there are such
ties, the plans of the subtrees above them are enumerated exactly: every combination of
subgame-perfect plans of a node's subtrees, and every best move given that combination. This
finds *every* pure subgame-perfect equilibrium (up to ``limit`` of them). Each plan is checked
before it is returned: at no decision node does the mover gain by changing its move there.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from negsim.errors import GameError
from negsim.game.tree import CHANCE, DECISION, GameTree
from negsim.solvers.result import DEFAULT_TOLERANCE

#: At most this many subgame-perfect equilibria are listed.
SPE_LIMIT = 1000


@dataclass(frozen=True, eq=False)
class SubgamePerfect:
    """One verified pure subgame-perfect equilibrium.

    Attributes
    ----------
    choice
        For each decision node, the child its mover picks (-1 at other nodes).
    values
        Array ``(n_nodes, n_players)``: what each player expects from each node on, under the plan.
    max_gain
        The most any mover could gain by changing its move at one node (within the tolerance).
    """

    tree: GameTree
    choice: np.ndarray
    values: np.ndarray
    max_gain: float

    @property
    def payoffs(self) -> np.ndarray:
        """Expected payoff of each player."""
        return self.values[0]

    def path(self) -> list[int]:
        """Nodes of the play, from the root to a leaf; chance is followed to its likeliest move."""
        tree = self.tree
        node, nodes = 0, [0]
        while tree.n_children[node] > 0:
            if tree.kind[node] == DECISION:
                node = int(self.choice[node])
            else:
                kids = tree.children(node)
                node = int(kids[int(np.argmax(tree.probability[kids]))])
            nodes.append(node)
        return nodes

    def plays(self, limit: int = 64) -> list[tuple[float, list[int]]]:
        """Every play that happens with positive probability (at most ``limit``), likeliest first."""
        tree = self.tree
        result: list[tuple[float, list[int]]] = []
        stack: list[tuple[float, list[int]]] = [(1.0, [0])]
        while stack and len(result) < limit:
            probability, nodes = stack.pop()
            node = nodes[-1]
            if tree.n_children[node] == 0:
                result.append((probability, nodes))
            elif tree.kind[node] == DECISION:
                stack.append((probability, [*nodes, int(self.choice[node])]))
            else:
                for child in tree.children(node)[::-1]:
                    if tree.probability[child] > 0:
                        stack.append((probability * float(tree.probability[child]), [*nodes, int(child)]))
        return sorted(result, key=lambda play: -play[0])

    def plan(self) -> list[tuple[int, int]]:
        """(decision node, chosen child) for every decision node, in breadth-first order."""
        nodes = np.flatnonzero(self.tree.kind == DECISION)
        return [(int(n), int(self.choice[n])) for n in nodes]


@dataclass(frozen=True, eq=False)
class TreeSolution:
    """The subgame-perfect equilibria of a tree.

    Attributes
    ----------
    equilibria
        Every pure subgame-perfect equilibrium (the first ``limit`` when there are more).
    complete
        False when there were more than ``limit`` and the list was cut.
    tolerance
        The absolute tolerance within which two payoffs count as equal (ties) and within which
        every plan was verified.
    tied_nodes
        Decision nodes where the mover is indifferent between two or more moves (under at least
        one plan of the subtrees below).
    """

    tree: GameTree
    equilibria: tuple[SubgamePerfect, ...]
    complete: bool
    tolerance: float
    tied_nodes: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.equilibria)


def evaluate(tree: GameTree, weights: np.ndarray, atol: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Continuation values under a behaviour plan, and each mover's gain from its best move.

    ``weights[c]`` is the probability that the mover at ``parent[c]`` takes the move into ``c``
    (chance nodes use their own probabilities). A decision node whose weights are NaN (a plan
    that does not say what to do there, because it is never reached) takes its first best move.
    Returns ``(values, gains)``: ``values[i]`` the expected payoffs from node ``i`` on, ``gains[i]``
    how much more the mover at decision node ``i`` would get from its best move than from the plan.

    Examples
    --------
    >>> tree = GameTree.from_parents(["A", "B"], parent=[-1, 0, 0], kind=[1, 0, 0],
    ...     player=[0, -1, -1], moves=["", "left", "right"], payoffs=[[0, 0], [1, 0], [3, 1]])
    >>> values, gains = evaluate(tree, np.array([1.0, 1.0, 0.0]))
    >>> values[0].tolist(), gains[0].item()
    ([1.0, 0.0], 2.0)
    """
    values = tree.payoffs.astype(np.float64, copy=True)
    gains = np.zeros(tree.n_nodes)
    weights = np.where(tree.kind[np.maximum(tree.parent, 0)] == CHANCE, tree.probability, weights)
    for level in range(len(tree.level_starts) - 3, -1, -1):
        kids = np.arange(tree.level_starts[level + 1], tree.level_starts[level + 2])
        if not len(kids):
            continue
        parents = tree.parent[kids]
        starts = _starts(parents)
        groups = parents[starts]
        mover = np.maximum(tree.player[parents], 0)
        own = values[kids, mover]
        best = np.maximum.reduceat(own, starts)
        w = weights[kids]
        undefined = np.isnan(w)
        if np.any(undefined):
            first_best = _first_best(own, best, starts, atol)
            w = np.where(undefined, (np.arange(len(kids)) == first_best[_group_index(starts, len(kids))]), w)
        values[groups] = np.add.reduceat(w[:, None] * values[kids], starts)
        decision = tree.kind[groups] == DECISION
        gains[groups[decision]] = best[decision] - values[groups[decision], tree.player[groups[decision]]]
    return values, gains


def backward_induction(
    tree: GameTree, *, tol: float = DEFAULT_TOLERANCE, limit: int = SPE_LIMIT
) -> TreeSolution:
    """Every pure subgame-perfect equilibrium of a perfect-information tree (chance allowed).

    ``tol`` is relative to the spread of the terminal payoffs: moves whose values differ by
    less are ties, and each tie is followed both ways.

    Examples
    --------
    Selten's entry deterrence: the incumbent would not fight once the entrant is in.

    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> solution = backward_induction(tree)
    >>> [tree.move_name(n) for n in solution.equilibria[0].path()[1:]]
    ['In', 'Acquiesce']
    >>> solution.equilibria[0].payoffs.tolist()
    [1.0, 1.0]
    """
    if not tree.perfect_information:
        raise GameError(
            "backward induction needs perfect information; this tree has information sets "
            "(solve its normal form instead)"
        )
    atol = tol * tree.payoff_scale()
    values = tree.payoffs.astype(np.float64, copy=True)
    choice = np.full(tree.n_nodes, -1, dtype=np.int64)
    tied = np.zeros(tree.n_nodes, dtype=bool)
    for level in range(len(tree.level_starts) - 3, -1, -1):
        kids = np.arange(tree.level_starts[level + 1], tree.level_starts[level + 2])
        if not len(kids):
            continue
        parents = tree.parent[kids]
        starts = _starts(parents)
        groups = parents[starts]
        decision = tree.kind[groups] == DECISION
        mover = np.maximum(tree.player[parents], 0)
        own = values[kids, mover]
        best = np.maximum.reduceat(own, starts)
        first_best = _first_best(own, best, starts, atol)
        n_best = np.add.reduceat(
            (own >= best[_group_index(starts, len(kids))] - atol).astype(np.int64), starts
        )
        chosen = kids[first_best]
        choice[groups[decision]] = chosen[decision]
        tied[groups[decision]] = n_best[decision] > 1
        weighted = np.add.reduceat(tree.probability[kids, None] * values[kids], starts)
        values[groups] = np.where(decision[:, None], values[chosen], weighted)

    if not np.any(tied):
        plans = [choice]
        complete = True
    else:
        plans, complete, tied = _enumerate_ties(tree, choice, values, tied, atol, limit)
    equilibria = []
    for plan in plans:
        weights = np.zeros(tree.n_nodes)
        decision_nodes = np.flatnonzero(tree.kind == DECISION)
        weights[plan[decision_nodes]] = 1.0
        plan_values, gains = evaluate(tree, weights)
        max_gain = float(gains.max(initial=0.0))
        if max_gain > atol:  # pragma: no cover - a failure here is a bug in the induction above
            raise GameError(
                f"internal check failed: a backward-induction plan gains {max_gain:.3g} by deviating"
            )
        plan.setflags(write=False)
        plan_values.setflags(write=False)
        equilibria.append(SubgamePerfect(tree, plan, plan_values, max_gain))
    return TreeSolution(tree, tuple(equilibria), complete, atol, tuple(int(n) for n in np.flatnonzero(tied)))


def _starts(parents: np.ndarray) -> np.ndarray:
    """Where each run of siblings starts in a level (siblings are consecutive)."""
    return np.concatenate([[0], np.flatnonzero(np.diff(parents) != 0) + 1])


def _group_index(starts: np.ndarray, n: int) -> np.ndarray:
    marks = np.zeros(n, dtype=np.int64)
    marks[starts[1:]] = 1
    return np.cumsum(marks)


def _first_best(own: np.ndarray, best: np.ndarray, starts: np.ndarray, atol: float) -> np.ndarray:
    """Index (in the level) of the first move of each node within ``atol`` of the best."""
    n = len(own)
    candidate = np.where(own >= best[_group_index(starts, n)] - atol, np.arange(n), n)
    return np.minimum.reduceat(candidate, starts)


@dataclass(frozen=True)
class _Option:
    value: tuple[float, ...]
    choice: int
    parts: tuple[int, ...]  # option index per varying child, in the order of ``_varying``


def _enumerate_ties(
    tree: GameTree, default: np.ndarray, values: np.ndarray, tied: np.ndarray, atol: float, limit: int
) -> tuple[list[np.ndarray], bool, np.ndarray]:
    """All subgame-perfect plans, and every node where a mover is indifferent under some plan below."""
    tied = tied.copy()
    varies = tied.copy()
    for level in range(len(tree.level_starts) - 2, 0, -1):
        kids = np.arange(tree.level_starts[level], tree.level_starts[level + 1])
        marked = kids[varies[kids]]
        varies[tree.parent[marked]] = True
    complete = True
    options: dict[int, list[_Option]] = {}
    varying: dict[int, list[int]] = {}
    for node in (int(n) for n in np.flatnonzero(varies)[::-1]):
        kids = tree.children(node).tolist()
        moving = [c for c in kids if varies[c]]
        varying[node] = moving
        choices: list[list[_Option]] = [options[c] for c in moving]
        found: list[_Option] = []
        for combination in itertools.product(*[range(len(c)) for c in choices]):
            child_value = {c: np.asarray(options[c][j].value) for c, j in zip(moving, combination)}
            rows = np.array([child_value.get(c, values[c]) for c in kids])
            if tree.kind[node] == DECISION:
                mover = int(tree.player[node])
                top = rows[:, mover].max()
                best = [k for k in range(len(kids)) if rows[k, mover] >= top - atol]
                if len(best) > 1:
                    tied[node] = True
                found.extend(_Option(tuple(rows[k]), kids[k], combination) for k in best)
            else:
                weights = tree.probability[kids]
                found.append(_Option(tuple(weights @ rows), -1, combination))
            if len(found) > limit:
                complete = False
                break
        options[node] = found[:limit]
    plans = []
    for root_option in range(len(options.get(0, []))):
        plan = default.copy()
        stack = [(0, root_option)]
        while stack:
            node, index = stack.pop()
            option = options[node][index]
            if option.choice >= 0:
                plan[node] = option.choice
            stack.extend(zip(varying[node], option.parts))
        plans.append(plan)
    return plans, complete, tied
