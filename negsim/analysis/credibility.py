"""Which Nash equilibria of a game tree rest on threats or promises nobody would carry out.

An equilibrium of the tree's normal form fixes what every player would do everywhere, also
at nodes that are never reached when it is played. Its plan is *credible* when, at every node
where the mover knows where it is and the rest of the game is a game of its own (a subgame),
the planned move is a best move given the plan below. A node where it is not is a *lapse*:
if play ever got there, the mover would rather do something else, so the plan's threat
(a move that hurts the others) or promise (a move that helps them) would not be carried out.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from negsim.game.extensive import ReducedNormalForm
from negsim.game.tree import DECISION, GameTree
from negsim.report.words import number, percent
from negsim.solvers.backward import evaluate


@dataclass(frozen=True)
class Lapse:
    """A node where a plan asks a player for a move it would not make if the node were reached.

    Attributes
    ----------
    node, player
        Where, and whose move.
    planned
        The planned moves as (child node, probability) pairs, probability > 0.
    planned_value, best, best_value
        What the mover expects from the plan there; its best move and what that gives.
    hurts, helps
        The other players the planned move leaves worse off (a threat against them) or better
        off (a promise to them) than the best move would.
    """

    node: int
    player: int
    planned: tuple[tuple[int, float], ...]
    planned_value: float
    best: int
    best_value: float
    hurts: tuple[int, ...]
    helps: tuple[int, ...]

    @property
    def kind(self) -> str:
        """``threat`` (the plan hurts others), ``promise`` (it helps them), both, or ``plan``."""
        if self.hurts and self.helps:
            return "threat and promise"
        return "threat" if self.hurts else "promise" if self.helps else "plan"

    def sentence(self, tree: GameTree) -> str:
        """The lapse in plain words.

        Examples
        --------
        >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
        ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
        ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
        ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
        >>> lapse = Lapse(2, 1, ((3, 1.0),), -1.0, 4, 1.0, (0,), ())
        >>> print(lapse.sentence(tree))  # doctest: +NORMALIZE_WHITESPACE
        Incumbent would not carry out the threat to Fight (after In):
        Fight would give Incumbent -1, but Acquiesce gives 1.
        """
        name = tree.players[self.player]
        if len(self.planned) == 1:
            planned = tree.move_name(self.planned[0][0])
        else:
            planned = "mix " + " and ".join(f"{tree.move_name(c)} {percent(p)}" for c, p in self.planned)
        best = tree.move_name(self.best)
        kind = self.kind
        if self.hurts and self.helps:
            hurt = ", ".join(tree.players[p] for p in self.hurts)
            helped = ", ".join(tree.players[p] for p in self.helps)
            kind = f"threat against {hurt} and promise to {helped}"
        return (
            f"{name} would not carry out the {kind} to {planned} ({tree.describe(self.node)}): "
            f"{planned} would give {name} {number(self.planned_value)}, but {best} gives "
            f"{number(self.best_value)}."
        )


def subgame_roots(tree: GameTree) -> np.ndarray:
    """Decision nodes that start a subgame: the mover knows where it is and no information set crosses in."""
    roots = tree.kind == DECISION
    infosets, counts = np.unique(tree.infoset[tree.kind == DECISION], return_counts=True)
    for infoset in infosets[counts > 1]:
        members = [int(n) for n in np.flatnonzero(tree.infoset == infoset)]
        roots[members] = False
        paths = [tree.history(n) for n in members]
        shared = 0
        while all(len(p) > shared and p[shared] == paths[0][shared] for p in paths):
            shared += 1
        for path in paths:
            roots[path[shared:]] = False
    return np.flatnonzero(roots)


#: At most this many ways of breaking ties at unreached nodes are tried.
COMPLETION_LIMIT = 256


def lapses(form: ReducedNormalForm, strategies: tuple[np.ndarray, ...], atol: float) -> tuple[Lapse, ...]:
    """Every subgame root where the equilibrium's plan is not a best move (gain above ``atol``).

    At nodes the equilibrium's own strategies rule out, the plan says nothing; there the mover
    is taken to make a best move. Where several moves are best, each way of choosing among them
    is tried (up to :data:`COMPLETION_LIMIT`) and the one that leaves the fewest lapses counts,
    so an equilibrium is credible when *some* sensible completion supports it.
    """
    tree = form.tree
    weights = form.edge_weights(strategies)
    found = _lapses(tree, weights, atol)
    if not found:
        return found
    open_nodes = np.flatnonzero((tree.kind == DECISION) & np.isnan(weights[np.maximum(tree.first_child, 0)]))
    values, _ = evaluate(tree, weights, atol)
    options = []
    for node in (int(n) for n in open_nodes):
        kids = tree.children(node)
        own = values[kids, tree.player[node]]
        best = [int(k) for k, v in zip(kids, own) if v >= own.max() - atol]
        if len(best) > 1:
            options.append((node, best))
    combinations = itertools.product(*[best for _, best in options]) if options else iter(())
    for combination in itertools.islice(combinations, COMPLETION_LIMIT):
        completed = weights.copy()
        for (node, _), child in zip(options, combination):
            completed[tree.children(node)] = 0.0
            completed[child] = 1.0
        candidate = _lapses(tree, completed, atol)
        if len(candidate) < len(found):
            found = candidate
        if not found:
            break
    return found


def _lapses(tree: GameTree, weights: np.ndarray, atol: float) -> tuple[Lapse, ...]:
    values, gains = evaluate(tree, weights, atol)
    found = []
    for node in (int(n) for n in subgame_roots(tree)):
        if gains[node] <= atol:
            continue
        mover = int(tree.player[node])
        kids = tree.children(node)
        w = weights[kids]
        if np.any(np.isnan(w)):
            continue
        best = int(kids[int(np.argmax(values[kids, mover]))])
        others = [p for p in range(tree.n_players) if p != mover]
        change = values[node, others] - values[best, others]
        hurts = tuple(p for p, c in zip(others, change) if c < -atol)
        helps = tuple(p for p, c in zip(others, change) if c > atol)
        planned = tuple((int(k), float(p)) for k, p in zip(kids, w) if p > 0)
        found.append(
            Lapse(
                node,
                mover,
                planned,
                float(values[node, mover]),
                best,
                float(values[best, mover]),
                hurts,
                helps,
            )
        )
    return tuple(found)
