"""From a game tree to its reduced normal form, and back to behaviour strategies.

A *reduced* pure strategy says what a player does at every information set its own earlier
moves do not rule out; strategies that differ only where the player can never be are one
strategy. The payoff of a profile is the expectation over chance of the leaf it reaches.
Trees must have perfect recall (a player never forgets its own earlier moves).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from negsim.errors import GameError
from negsim.game.normal_form import NormalFormGame
from negsim.game.tree import DECISION, GameTree

#: The reduced normal form is built only while (number of profiles) x (number of leaves)
#: stays within this many cells.
NORMAL_FORM_LIMIT = 20_000_000

#: ... and while no player has more than this many reduced strategies.
STRATEGY_LIMIT = 100_000


@dataclass(frozen=True, eq=False)
class ReducedNormalForm:
    """A tree's reduced normal form and what each strategy means in the tree.

    Attributes
    ----------
    game
        The normal-form game (one strategy axis per player).
    plans
        For each player, an array ``(n_strategies, n_infosets_of_player)``: the move (position
        among the children) at each of the player's information sets, -1 where the strategy's
        own earlier moves rule the set out.
    infosets
        For each player, the tree's information-set ids, in the column order of ``plans``.
    """

    tree: GameTree
    game: NormalFormGame
    plans: tuple[np.ndarray, ...]
    infosets: tuple[np.ndarray, ...]
    _sequences: dict[int, tuple[tuple[int, int], ...]]

    def behaviour(self, player: int, mix: np.ndarray) -> dict[int, np.ndarray]:
        """A mixed strategy as behaviour: move probabilities at each of the player's information sets.

        Sets the mixture never reaches map to NaN probabilities (the mixture says nothing there).
        """
        plans = self.plans[player]
        result: dict[int, np.ndarray] = {}
        for column, infoset in enumerate(self.infosets[player]):
            n_moves = int(self.tree.n_children[np.flatnonzero(self.tree.infoset == infoset)[0]])
            assigned = plans[:, column]
            reach = float(mix[assigned >= 0].sum())
            if reach <= 1e-12:
                result[int(infoset)] = np.full(n_moves, np.nan)
                continue
            counts = np.bincount(assigned[assigned >= 0], weights=mix[assigned >= 0], minlength=n_moves)
            result[int(infoset)] = counts / reach
        return result

    def profile_of(self, choice: np.ndarray) -> tuple[int, ...]:
        """The strategy profile (one index per player) that plays a pure plan.

        ``choice`` gives the chosen child of every decision node (as in a subgame-perfect plan).
        """
        tree = self.tree
        profile = []
        for plans, own in zip(self.plans, self.infosets):
            row = np.full(len(own), -1, dtype=np.int64)
            for column, infoset in enumerate(own):
                node = int(np.flatnonzero(tree.infoset == infoset)[0])
                row[column] = int(choice[node] - tree.first_child[node])
            # keep only the sets the player's own moves do not rule out
            relevant = np.array(
                [
                    all(row[list(own).index(h)] == move for h, move in self._sequences[int(infoset)])
                    for infoset in own
                ],
                dtype=bool,
            )
            row = np.where(relevant, row, -1)
            matches = np.flatnonzero(np.all(plans == row, axis=1))
            profile.append(int(matches[0]))
        return tuple(profile)

    def edge_weights(self, strategies: tuple[np.ndarray, ...]) -> np.ndarray:
        """Per node: the probability of the move into it (chance's, or its mover's; NaN where undefined)."""
        tree = self.tree
        weights = tree.probability.copy()
        for player, mix in enumerate(strategies):
            for infoset, probabilities in self.behaviour(player, np.asarray(mix, dtype=np.float64)).items():
                for node in np.flatnonzero(tree.infoset == infoset):
                    weights[tree.children(int(node))] = probabilities
        return weights


def reduced_normal_form(tree: GameTree, *, limit: int = NORMAL_FORM_LIMIT) -> ReducedNormalForm:
    """The reduced normal form of ``tree``.

    Raises :class:`~negsim.errors.GameError` when the tree lacks perfect recall or the normal
    form would exceed ``limit`` cells.

    Examples
    --------
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> form = reduced_normal_form(tree)
    >>> form.game.strategies
    (('Out', 'In'), ('Fight', 'Acquiesce'))
    >>> form.game.payoffs[:, :, 0].tolist()
    [[0.0, 0.0], [-1.0, 1.0]]
    """
    sequences = _own_sequences(tree)
    leaves = tree.terminals
    plans: list[np.ndarray] = []
    infosets: list[np.ndarray] = []
    for player in range(tree.n_players):
        own = np.array(
            sorted(
                {int(h) for h in tree.infoset[(tree.kind == DECISION) & (tree.player == player)]},
                key=lambda h: int(np.flatnonzero(tree.infoset == h)[0]),
            ),
            dtype=np.int64,
        )
        column = {int(h): k for k, h in enumerate(own)}
        plan = np.full((1, len(own)), -1, dtype=np.int64)
        for k, h in enumerate(own):
            n_moves = int(tree.n_children[np.flatnonzero(tree.infoset == h)[0]])
            relevant = np.ones(len(plan), dtype=bool)
            for earlier, move in sequences[int(h)]:
                relevant &= plan[:, column[earlier]] == move
            if len(plan) + int(relevant.sum()) * (n_moves - 1) > min(limit, STRATEGY_LIMIT):
                raise GameError(
                    f"the normal form is too large: {tree.players[player]} has over "
                    f"{min(limit, STRATEGY_LIMIT):,} strategies"
                )
            keep = plan[~relevant]
            grow = np.repeat(plan[relevant], n_moves, axis=0)
            grow[:, k] = np.tile(np.arange(n_moves), int(relevant.sum()))
            plan = np.vstack([keep, grow])
        order = np.lexsort(plan.T[::-1]) if len(own) else np.arange(len(plan))
        plans.append(plan[order])
        infosets.append(own)
    sizes = [len(p) for p in plans]
    cells = int(np.prod(sizes, dtype=np.float64)) * max(1, len(leaves))
    if cells > limit:
        raise GameError(
            f"the normal form is too large: {' x '.join(map(str, sizes))} strategy profiles over "
            f"{len(leaves):,} leaves (limit {limit:,} cells)"
        )
    required = _leaf_requirements(tree, leaves, infosets)
    reach = tree.reach_probability()[leaves]
    table: np.ndarray = np.ones(len(leaves))
    for player, plan in enumerate(plans):
        need = required[player]  # (n_leaves, n_columns), -1 = no requirement
        consistent = np.all((plan[:, None, :] == need[None]) | (need[None] < 0), axis=2).astype(np.float64)
        table = table[..., None, :] * consistent.reshape((1,) * player + consistent.shape)
    payoffs = table @ (reach[:, None] * tree.payoffs[leaves])
    names = [_strategy_names(tree, plan, own) for plan, own in zip(plans, infosets)]
    game = NormalFormGame(payoffs, tree.players, names, title=tree.title)
    return ReducedNormalForm(tree, game, tuple(plans), tuple(infosets), sequences)


def _own_sequences(tree: GameTree) -> dict[int, tuple[tuple[int, int], ...]]:
    """For each information set, the mover's own earlier (information set, move) pairs.

    Raises :class:`~negsim.errors.GameError` when a player forgets its own earlier moves.
    """
    result: dict[int, tuple[tuple[int, int], ...]] = {}
    for node in (int(n) for n in np.flatnonzero(tree.kind == DECISION)):
        player = int(tree.player[node])
        path = tree.history(node)
        sequence = tuple(
            (int(tree.infoset[a]), int(b - tree.first_child[a]))
            for a, b in itertools.pairwise(path)
            if tree.kind[a] == DECISION and tree.player[a] == player
        )
        infoset = int(tree.infoset[node])
        if result.setdefault(infoset, sequence) != sequence:
            raise GameError(
                f"{tree.players[player]} forgets its own earlier moves at information set "
                f"'{tree.infoset_names[infoset]}' (imperfect recall), which negsim does not solve"
            )
    return result


def _leaf_requirements(tree: GameTree, leaves: np.ndarray, infosets: list[np.ndarray]) -> list[np.ndarray]:
    """For each player, the move each leaf needs at each of the player's information sets (-1: none)."""
    column = np.full(tree.n_infosets, -1, dtype=np.int64)
    for own in infosets:
        column[own] = np.arange(len(own))
    required = [np.full((len(leaves), len(own)), -1, dtype=np.int64) for own in infosets]
    node = leaves.copy()
    rows = np.arange(len(leaves))
    while True:
        active = tree.parent[node] >= 0
        if not np.any(active):
            return required
        node, rows = node[active], rows[active]
        parent = tree.parent[node]
        decision = tree.kind[parent] == DECISION
        for player in range(tree.n_players):
            mine = decision & (tree.player[parent] == player)
            at = parent[mine]
            required[player][rows[mine], column[tree.infoset[at]]] = node[mine] - tree.first_child[at]
        node = parent


def _strategy_names(tree: GameTree, plan: np.ndarray, own: np.ndarray) -> list[str]:
    """Readable, distinct names: the moves in tree order, with where each is made when there are several."""
    labels = [tree.infoset_label(int(h)) for h in own]
    names = []
    for row in plan:
        parts = []
        for column, move in enumerate(row):
            if move < 0:
                continue
            node = int(np.flatnonzero(tree.infoset == own[column])[0])
            name = tree.move_name(int(tree.first_child[node] + move))
            parts.append(name if len(own) == 1 else f"{labels[column]}: {name}")
        names.append("; ".join(parts) or "(no move)")
    return names
