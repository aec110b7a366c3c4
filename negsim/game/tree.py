"""The game tree (extensive form): decision, chance and terminal nodes stored as arrays.

Nodes are kept in breadth-first order with the children of each node next to each other,
so that backward induction can treat a whole level of the tree with array operations and
needs no recursion (a tree of a million nodes is fine).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import GameError

#: Node kinds.
TERMINAL, DECISION, CHANCE = 0, 1, 2

#: Chance probabilities must sum to 1 within this tolerance.
PROBABILITY_TOLERANCE = 1e-9


def _readonly(array: Any, dtype: Any) -> np.ndarray:
    result = np.array(array, dtype=dtype, copy=True)
    result.setflags(write=False)
    return result


@dataclass(frozen=True, eq=False, init=False)
class GameTree:
    """A finite game tree with any number of players, chance moves and information sets.

    Node 0 is the root; nodes are in breadth-first order and the children of a node are
    consecutive (``first_child[i] .. first_child[i] + n_children[i] - 1``). Build one with
    :meth:`from_parents`, which accepts nodes in any order.

    Attributes
    ----------
    players
        Player names.
    parent
        Parent of each node (-1 for the root).
    kind
        ``TERMINAL``, ``DECISION`` or ``CHANCE`` for each node.
    player
        The player who moves at each decision node (-1 elsewhere).
    move
        Index into ``move_names`` of the move that leads into each node (-1 for the root).
    probability
        Probability of the chance move that leads into each node (1 where the parent is not a
        chance node).
    infoset
        Information set of each decision node (-1 elsewhere); nodes of one set belong to the
        same player, offer the same moves, and the player cannot tell them apart.
    infoset_names
        A name for each information set.
    payoffs
        Array ``(n_nodes, n_players)``: the payoffs at terminal nodes (0 elsewhere).
    names
        A label for each node (the scenario's node name, or the file's label).

    Examples
    --------
    >>> tree = GameTree.from_parents(
    ...     ["Entrant", "Incumbent"],
    ...     parent=[-1, 0, 0, 2, 2],
    ...     kind=[DECISION, TERMINAL, DECISION, TERMINAL, TERMINAL],
    ...     player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]],
    ... )
    >>> tree.n_nodes, tree.n_players, tree.children(2).tolist()
    (5, 2, [3, 4])
    >>> [tree.move_name(int(c)) for c in tree.children(2)]
    ['Fight', 'Acquiesce']
    """

    players: tuple[str, ...]
    parent: np.ndarray
    kind: np.ndarray
    player: np.ndarray
    move: np.ndarray
    move_names: tuple[str, ...]
    probability: np.ndarray
    infoset: np.ndarray
    infoset_names: tuple[str, ...]
    payoffs: np.ndarray
    names: tuple[str, ...]
    first_child: np.ndarray
    n_children: np.ndarray
    depth: np.ndarray
    level_starts: np.ndarray
    title: str

    def __init__(self, **fields: Any) -> None:
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_parents(
        cls,
        players: Sequence[str],
        *,
        parent: Sequence[int] | np.ndarray,
        kind: Sequence[int] | np.ndarray,
        player: Sequence[int] | np.ndarray,
        moves: Sequence[str] | None = None,
        move: Sequence[int] | np.ndarray | None = None,
        move_names: Sequence[str] | None = None,
        probability: Sequence[float] | np.ndarray | None = None,
        infoset: Sequence[int] | np.ndarray | None = None,
        infoset_names: Sequence[str] | None = None,
        payoffs: Any = None,
        names: Sequence[str] | None = None,
        title: str = "",
    ) -> GameTree:
        """Build a tree from per-node arrays in any order (exactly one node has parent -1).

        Moves are given either as one label per node (``moves``) or as indices ``move`` into
        ``move_names``. Without ``infoset``, every decision node is its own information set
        (perfect information). ``payoffs`` has one row per node; rows of non-terminal nodes
        are ignored. Raises :class:`~negsim.errors.GameError` on an inconsistent tree.
        """
        n = len(parent)
        parent_arr = np.asarray(parent, dtype=np.int64)
        kind_arr = np.asarray(kind, dtype=np.int8)
        player_arr = np.asarray(player, dtype=np.int64)
        n_players = len(players)
        if n == 0:
            raise GameError("GameTree: a tree needs at least one node")
        if not (len(kind_arr) == len(player_arr) == n):
            raise GameError("GameTree: parent, kind and player must have one entry per node")
        if moves is not None:
            move_names_t, move_arr = np.unique(
                np.asarray(list(moves), dtype=object).astype(str), return_inverse=True
            )
            move_names_list = [str(m) for m in move_names_t]
            move_arr = move_arr.astype(np.int64).reshape(-1)
        elif move is not None and move_names is not None:
            move_arr = np.asarray(move, dtype=np.int64)
            move_names_list = [str(m) for m in move_names]
        else:
            raise GameError("GameTree: give the moves, as labels or as indices with their names")
        roots = np.flatnonzero(parent_arr < 0)
        if len(roots) != 1:
            raise GameError(f"GameTree: a tree has exactly one root; found {len(roots)}")
        if np.any(parent_arr >= n):
            raise GameError("GameTree: a parent index points past the last node")
        if np.any((kind_arr < TERMINAL) | (kind_arr > CHANCE)):
            raise GameError("GameTree: node kinds are TERMINAL (0), DECISION (1) or CHANCE (2)")
        decision = kind_arr == DECISION
        if np.any(decision & ((player_arr < 0) | (player_arr >= n_players))):
            bad = int(np.flatnonzero(decision & ((player_arr < 0) | (player_arr >= n_players)))[0])
            raise GameError(f"GameTree: decision node {bad} names no valid player")
        depth = _depths(parent_arr, int(roots[0]))

        # breadth-first order, children of one parent together
        order = np.lexsort((np.arange(n), np.where(parent_arr < 0, -1, parent_arr), depth))
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        new_parent = np.where(parent_arr[order] < 0, -1, position[np.maximum(parent_arr[order], 0)])
        counts = np.bincount(new_parent[1:], minlength=n).astype(np.int64)
        has = counts > 0
        first = np.full(n, -1, dtype=np.int64)
        starts = _group_starts(new_parent)
        first[new_parent[starts]] = starts
        kind_new = kind_arr[order]
        if np.any((kind_new == TERMINAL) & has):
            raise GameError("GameTree: a terminal node has children")
        if np.any((kind_new != TERMINAL) & ~has):
            bad = int(order[np.flatnonzero((kind_new != TERMINAL) & ~has)[0]])
            raise GameError(f"GameTree: node {bad} is a decision or chance node without moves")

        prob = np.ones(n) if probability is None else np.asarray(probability, dtype=np.float64)[order]
        from_chance = np.zeros(n, dtype=bool)
        from_chance[1:] = kind_new[new_parent[1:]] == CHANCE
        prob = np.where(from_chance, prob, 1.0)
        if np.any(~np.isfinite(prob)) or np.any(prob < 0) or np.any(prob > 1):
            raise GameError("GameTree: chance probabilities must be numbers between 0 and 1")
        chance_nodes = np.flatnonzero(kind_new == CHANCE)
        if len(chance_nodes):
            sums = _segment_sums(prob, first, counts, chance_nodes)
            bad = np.abs(sums - 1) > PROBABILITY_TOLERANCE
            if np.any(bad):
                node = int(order[chance_nodes[np.flatnonzero(bad)[0]]])
                raise GameError(
                    f"GameTree: the probabilities at chance node {node} sum to "
                    f"{float(sums[np.flatnonzero(bad)[0]]):.6g}, not 1"
                )

        if payoffs is None:
            raise GameError("GameTree: payoffs are required (one row per node)")
        pay = np.asarray(payoffs, dtype=np.float64)
        if pay.shape != (n, n_players):
            raise GameError(f"GameTree: payoffs must have shape ({n}, {n_players}); got {pay.shape}")
        pay = pay[order]
        pay = np.where((kind_new == TERMINAL)[:, None], pay, 0.0)
        if not np.all(np.isfinite(pay)):
            raise GameError("GameTree: terminal payoffs must be finite numbers")

        player_new = np.where(kind_new == DECISION, player_arr[order], -1)
        if infoset is None:
            info = np.full(n, -1, dtype=np.int64)
            info[kind_new == DECISION] = np.arange(int(np.count_nonzero(kind_new == DECISION)))
            info_names = [str(i) for i in range(int(np.count_nonzero(kind_new == DECISION)))]
        else:
            raw = np.asarray(infoset, dtype=np.int64)[order]
            raw = np.where(kind_new == DECISION, raw, -1)
            used, info_d = np.unique(raw[kind_new == DECISION], return_inverse=True)
            info = np.full(n, -1, dtype=np.int64)
            info[kind_new == DECISION] = info_d.reshape(-1)
            if infoset_names is None:
                info_names = [str(int(u)) for u in used]
            else:
                info_names = [str(infoset_names[int(u)]) for u in used]
        move_new = np.where(new_parent < 0, -1, move_arr[order])
        node_names = tuple("" for _ in range(n)) if names is None else tuple(str(names[i]) for i in order)

        tree = cls(
            players=tuple(str(p) for p in players),
            parent=_readonly(new_parent, np.int64),
            kind=_readonly(kind_new, np.int8),
            player=_readonly(player_new, np.int64),
            move=_readonly(move_new, np.int64),
            move_names=tuple(move_names_list),
            probability=_readonly(prob, np.float64),
            infoset=_readonly(info, np.int64),
            infoset_names=tuple(info_names),
            payoffs=_readonly(pay, np.float64),
            names=node_names,
            first_child=_readonly(first, np.int64),
            n_children=_readonly(counts, np.int64),
            depth=_readonly(depth[order], np.int64),
            level_starts=_readonly(np.searchsorted(depth[order], np.arange(int(depth.max()) + 2)), np.int64),
            title=title,
        )
        tree._check_moves()
        return tree

    def _check_moves(self) -> None:
        """Moves at one node have distinct labels; nodes of one information set offer the same moves."""
        children = np.arange(1, self.n_nodes)
        pairs = self.parent[children] * (len(self.move_names) + 1) + self.move[children]
        unique, counts = np.unique(pairs, return_counts=True)
        if np.any(counts > 1):
            node = int(unique[np.argmax(counts > 1)] // (len(self.move_names) + 1))
            label = self.move_names[int(unique[np.argmax(counts > 1)] % (len(self.move_names) + 1))]
            raise GameError(
                f"GameTree: two moves at node {node} ({self.describe(node)}) are both called '{label}'"
            )
        decision = np.flatnonzero(self.kind == DECISION)
        sizes = np.bincount(self.infoset[decision], minlength=self.n_infosets)
        shared = decision[sizes[self.infoset[decision]] > 1]
        seen: dict[int, tuple[int, tuple[int, ...]]] = {}
        for node in (int(n) for n in shared):
            key = int(self.infoset[node])
            signature = (int(self.player[node]), tuple(int(self.move[c]) for c in self.children(node)))
            if key in seen and seen[key] != signature:
                raise GameError(
                    f"GameTree: information set '{self.infoset_names[key]}' mixes nodes with different "
                    "players or moves; nodes a player cannot tell apart must offer the same moves"
                )
            seen.setdefault(key, signature)

    # -- shape ------------------------------------------------------------------------------

    @property
    def n_nodes(self) -> int:
        return len(self.parent)

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def n_infosets(self) -> int:
        return len(self.infoset_names)

    @property
    def terminals(self) -> np.ndarray:
        """Indices of the terminal nodes (leaves)."""
        return np.flatnonzero(self.kind == TERMINAL)

    @property
    def perfect_information(self) -> bool:
        """True when every information set holds a single node."""
        decision = self.infoset[self.kind == DECISION]
        return len(np.unique(decision)) == len(decision)

    def children(self, node: int) -> np.ndarray:
        """Indices of the children of ``node`` (empty for a terminal node)."""
        start = int(self.first_child[node])
        return np.arange(start, start + int(self.n_children[node])) if start >= 0 else np.arange(0)

    def move_name(self, node: int) -> str:
        """Label of the move that leads into ``node`` ('' for the root)."""
        index = int(self.move[node])
        return self.move_names[index] if index >= 0 else ""

    def mover_name(self, node: int) -> str:
        """Who moves at ``node``: a player's name, 'chance', or '' at a terminal node."""
        if self.kind[node] == DECISION:
            return self.players[int(self.player[node])]
        return "chance" if self.kind[node] == CHANCE else ""

    def history(self, node: int) -> list[int]:
        """The nodes from the root down to ``node`` (inclusive)."""
        path = [int(node)]
        while self.parent[path[-1]] >= 0:
            path.append(int(self.parent[path[-1]]))
        return path[::-1]

    def describe(self, node: int) -> str:
        """Where ``node`` sits, in words: the moves that lead to it (chance moves marked).

        Examples
        --------
        >>> tree = GameTree.from_parents(["A", "B"], parent=[-1, 0, 0, 2, 2], kind=[1, 0, 1, 0, 0],
        ...     player=[0, -1, 1, -1, -1], moves=["", "left", "right", "up", "down"],
        ...     payoffs=[[0, 0], [1, 0], [0, 0], [0, 1], [2, 2]])
        >>> tree.describe(0), tree.describe(3)
        ('at the start', 'after right > up')
        """
        steps = self.history(node)
        if len(steps) == 1:
            return "at the start"
        parts = [
            self.move_name(c) + (" (chance)" if self.kind[p] == CHANCE else "")
            for p, c in itertools.pairwise(steps)
        ]
        return "after " + " > ".join(parts)

    def infoset_label(self, infoset: int) -> str:
        """A name that tells an information set apart: its own name when it holds several nodes,
        otherwise where its node sits (see :meth:`describe`)."""
        nodes = np.flatnonzero(self.infoset == infoset)
        if len(nodes) > 1:
            return self.infoset_names[infoset]
        return self.describe(int(nodes[0]))

    def reach_probability(self) -> np.ndarray:
        """Product of the chance probabilities on the path to each node."""
        reach = np.ones(self.n_nodes)
        for level in range(1, len(self.level_starts) - 1):
            nodes = np.arange(self.level_starts[level], self.level_starts[level + 1])
            reach[nodes] = reach[self.parent[nodes]] * self.probability[nodes]
        return reach

    def payoff_scale(self) -> float:
        """Spread of the terminal payoffs (at least 1), for relative tolerances."""
        leaf = self.payoffs[self.terminals]
        spread = float(np.max(leaf.max(axis=0) - leaf.min(axis=0))) if len(leaf) else 0.0
        return max(1.0, spread)

    def with_payoffs(self, payoffs: np.ndarray) -> GameTree:
        """The same tree with other payoffs (one row per node, in this tree's order)."""
        pay = np.where((self.kind == TERMINAL)[:, None], np.asarray(payoffs, dtype=np.float64), 0.0)
        clone = GameTree(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        object.__setattr__(clone, "payoffs", _readonly(pay, np.float64))
        return clone

    def __repr__(self) -> str:
        return (
            f"<GameTree {self.n_nodes} nodes, {len(self.terminals)} leaves, "
            f"{self.n_players} players{'' if self.perfect_information else ', imperfect information'}>"
        )


def _group_starts(parent: np.ndarray) -> np.ndarray:
    """Positions where a run of siblings starts (every node but the root has a parent)."""
    if len(parent) < 2:
        return np.arange(0)
    return np.concatenate([[1], np.flatnonzero(np.diff(parent[1:]) != 0) + 2])


def _segment_sums(values: np.ndarray, first: np.ndarray, counts: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    return cumulative[first[nodes] + counts[nodes]] - cumulative[first[nodes]]


def _depths(parent: np.ndarray, root: int) -> np.ndarray:
    """Depth of every node by pointer jumping (log-many array steps); a cycle is an error."""
    n = len(parent)
    depth = np.where(parent < 0, 0, 1).astype(np.int64)
    ancestor = parent.copy()
    for _ in range(max(1, math.ceil(math.log2(n + 1))) + 1):
        active = ancestor >= 0
        if not np.any(active):
            return depth
        up = ancestor[active]
        depth[active] += depth[up]
        ancestor[active] = ancestor[up]
    raise GameError("GameTree: the parent links form a cycle, or some nodes do not lead to the root")
