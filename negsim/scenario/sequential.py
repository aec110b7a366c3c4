"""Sequential scenarios: parties move in turn along a game tree written as named nodes.

A node lists its moves; a move leads to a ``next`` node or ends the game. A node that several
moves lead to is a reusable sub-tree: it is copied under each of them, and conditions see the
history that led to each copy. Terminal payoffs come from the same ``terms`` as strategic
scenarios, whose conditions name the moves made on the way (``russia.attack``, or an option a
move ``set``), or from ``payoffs`` written on an ending move. A move can make a binding
commitment (``commits``) that removes, or puts a price on, some of its player's later moves.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from negsim.errors import GameError, Problem, ScenarioError
from negsim.scenario.claims import ClaimIndex
from negsim.scenario.expressions import Expression, ExpressionError
from negsim.scenario.model import ScenarioBase
from negsim.scenario.schema import (
    CHANCE,
    Outcome,
    Parameter,
    SequentialFile,
    Tree,
    TreePayoffs,
    TreePlayer,
    TreeVariant,
)
from negsim.scenario.validation import suggest, translate

if TYPE_CHECKING:
    from negsim.game.tree import GameTree
    from negsim.scenario.load import _Checker
    from negsim.solvers.sequential import TreeResult

#: A scenario's tree may expand (with its reused sub-trees copied out) to at most this many nodes.
MAX_TREE_NODES = 200_000

#: Chance probabilities at a node must sum to 1 within this tolerance.
PROBABILITY_TOLERANCE = 1e-9

_TREE_SECTIONS: dict[str, TypeAdapter[Any]] = {
    "parameters": TypeAdapter(dict[str, Parameter]),
    "players": TypeAdapter(dict[str, TreePlayer]),
    "tree": TypeAdapter(Tree),
    "payoffs": TypeAdapter(TreePayoffs),
    "outcomes": TypeAdapter(dict[str, Outcome]),
    "variants": TypeAdapter(dict[str, TreeVariant]),
}


@dataclass(frozen=True, eq=False)
class Commitment:
    """A binding commitment as compiled: who, which later moves, removed or at what price."""

    player: int
    forbids: frozenset[str]
    penalty: Expression | None
    where: tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class Expanded:
    """The tree with reused sub-trees copied out, in breadth-first order (parameter-free)."""

    parent: np.ndarray
    kind: np.ndarray
    player: np.ndarray
    node_key: tuple[str, ...]
    move_key: tuple[str, ...]
    move_label: tuple[str, ...]
    move_where: tuple[tuple[Any, ...], ...]
    infoset: np.ndarray
    infoset_names: tuple[str, ...]
    flags: Mapping[str, np.ndarray]  # 'player.flag' -> bool per node: taken on the way here
    penalties: tuple[tuple[int, int, Expression], ...]  # (leaf, player, penalty)

    @property
    def leaves(self) -> np.ndarray:
        return np.flatnonzero(self.kind == 0)


@dataclass(frozen=True, eq=False)
class CompiledTree:
    """Everything :class:`SequentialScenario` needs, checked and parsed once per file."""

    path: str
    spec: SequentialFile
    player_keys: tuple[str, ...]
    expanded: Expanded
    terms: tuple[tuple[tuple[int, ...], Expression, Expression, tuple[Any, ...]], ...]
    leaf_payoffs: Mapping[int, tuple[tuple[int, Expression, tuple[Any, ...]], ...]]
    probabilities: Mapping[int, tuple[Expression, tuple[Any, ...]]]
    outcomes: Mapping[str, Expression]
    commitments: tuple[tuple[str, str, Commitment], ...]  # (node key, move key, commitment)
    claims: ClaimIndex


@dataclass(frozen=True, eq=False)
class SequentialScenario(ScenarioBase):
    """A validated sequential scenario with its current parameter values and variant.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/guarantee_credibility.yaml")
    >>> s.tree().n_players
    3
    """

    compiled: CompiledTree
    overrides: Mapping[str, float] = field(default_factory=dict)
    variant_name: str | None = None

    kind = "sequential"

    @property
    def players(self) -> tuple[str, ...]:
        """Player keys, in file order."""
        return self.compiled.player_keys

    @property
    def player_names(self) -> tuple[str, ...]:
        return tuple(self.compiled.spec.players[k].name for k in self.players)

    def tree(self) -> GameTree:
        """The game tree at the current parameter values."""
        from negsim.game.tree import GameTree

        expanded = self.compiled.expanded
        values = self.parameter_values()
        n = len(expanded.parent)
        probability = np.ones(n)
        for node, (expression, _) in self.compiled.probabilities.items():
            probability[node] = float(expression.evaluate(values))
        title = self.title + (f" ({self.variant_name})" if self.variant_name else "")
        return GameTree.from_parents(
            self.player_names,
            parent=expanded.parent,
            kind=expanded.kind,
            player=expanded.player,
            moves=expanded.move_label,
            probability=probability,
            infoset=expanded.infoset,
            infoset_names=expanded.infoset_names,
            payoffs=self._payoffs(values),
            names=expanded.node_key,
            title=title,
        )

    def _payoffs(self, values: Mapping[str, float]) -> np.ndarray:
        expanded = self.compiled.expanded
        n_players = len(self.players)
        payoffs = np.zeros((len(expanded.parent), n_players))
        leaves = expanded.leaves
        env = {name: mask[leaves] for name, mask in expanded.flags.items()}
        by_terms = np.ones(len(leaves), dtype=bool)
        by_terms[np.isin(leaves, list(self.compiled.leaf_payoffs))] = False
        for targets, condition, value, _ in self.compiled.terms:
            mask = np.broadcast_to(np.asarray(condition.evaluate(env), dtype=bool), leaves.shape) & by_terms
            amount = float(value.evaluate(values))
            for player in targets:
                payoffs[leaves[mask], player] += amount
        for leaf, entries in self.compiled.leaf_payoffs.items():
            for player, expression, _ in entries:
                payoffs[leaf, player] = float(expression.evaluate(values))
        for leaf, player, penalty in expanded.penalties:
            payoffs[leaf, player] -= float(penalty.evaluate(values))
        return payoffs

    def leaf_outcomes(self) -> dict[str, np.ndarray]:
        """Each named outcome as a boolean array over the tree's nodes (true at the leaves it covers)."""
        expanded = self.compiled.expanded
        leaves = expanded.leaves
        env = {name: mask[leaves] for name, mask in expanded.flags.items()}
        result = {}
        for name, condition in self.compiled.outcomes.items():
            mask = np.zeros(len(expanded.parent), dtype=bool)
            mask[leaves] = np.broadcast_to(np.asarray(condition.evaluate(env), dtype=bool), leaves.shape)
            result[name] = mask
        return result

    def move_keys(self) -> tuple[str, ...]:
        """The key (as written in the file) of the move into each node of :meth:`tree`."""
        return self.compiled.expanded.move_key

    def commitments(self) -> list[str]:
        """Each binding commitment, and each pledge that binds nothing, in plain words."""
        spec = self.compiled.spec
        sentences = []
        for node_key, move_key, commitment in self.compiled.commitments:
            node = spec.tree.nodes[node_key]
            player = spec.players[node.player].name
            move = node.moves[move_key]
            label = move.label or move_key
            forbidden = ", ".join(f"'{_label_of(spec, node.player, m)}'" for m in sorted(commitment.forbids))
            if commitment.penalty is None:
                effect = f"it removes {forbidden} from {player}'s later choices"
            else:
                cost = float(commitment.penalty.evaluate(self.parameter_values()))
                effect = f"{forbidden} would later cost {player} {cost:g} more"
            reason = f" ({move.commits.about})" if move.commits is not None and move.commits.about else ""
            sentences.append(f"{player}'s move '{label}' is a binding commitment{reason}: {effect}.")
        forbidden_any = {(c.player, m) for _, _, c in self.compiled.commitments for m in c.forbids}
        committing = {(node, move) for node, move, _ in self.compiled.commitments}
        for key, node in spec.tree.nodes.items():
            if node.player == CHANCE:
                continue
            index = self.players.index(node.player)
            later = sorted(m for p, m in forbidden_any if p == index)
            for move_key, move in node.moves.items():
                if (key, move_key) in committing or not move.set or not later:
                    continue
                label = move.label or move_key
                sentences.append(
                    f"{spec.players[node.player].name}'s move '{label}' commits to nothing: after it, "
                    f"{', '.join(repr(_label_of(spec, node.player, m)) for m in later)} "
                    "stays open at no extra cost (cheap talk)."
                )
        return sentences

    def solve(self, *, tol: float | None = None) -> TreeResult:
        """Subgame-perfect equilibria, normal-form equilibria and credibility (see :func:`solve_tree`)."""
        from negsim.solvers import DEFAULT_TOLERANCE
        from negsim.solvers.sequential import solve_tree

        return solve_tree(self.tree(), tol=DEFAULT_TOLERANCE if tol is None else tol)

    def __repr__(self) -> str:
        name = os.path.basename(self.path)
        extra = f", variant={self.variant_name!r}" if self.variant_name else ""
        return f"<SequentialScenario {self.title!r} from {name}{extra}>"


def _label_of(spec: SequentialFile, player: str, move_key: str) -> str:
    for node in spec.tree.nodes.values():
        if node.player == player and move_key in node.moves:
            return node.moves[move_key].label or move_key
    return move_key


# -- checking and compiling -------------------------------------------------------------------


def check_sequential(checker: _Checker) -> tuple[SequentialScenario, list[Problem]]:
    """Validate and compile a sequential scenario, collecting every problem (see :mod:`load`)."""
    return _TreeChecker(checker).run()


class _TreeChecker:
    def __init__(self, checker: _Checker) -> None:
        self.base = checker
        self.raw = checker.raw
        self.positions = checker.positions
        self.tree: Tree | None = None
        self.tree_players: dict[str, TreePlayer] | None = None
        self.parsed: dict[tuple[Any, ...], Expression | None] = {}
        self.unknown_movers = False

    def section(self, name: str) -> Any:
        if not isinstance(self.raw, dict) or name not in self.raw:
            return None
        try:
            return _TREE_SECTIONS[name].validate_python(self.raw[name])
        except ValidationError:
            return None

    def error(self, where: tuple[Any, ...], message: str, hint: str = "", *, key: bool = False) -> None:
        self.base.error(where, message, hint, key=key)

    def run(self) -> tuple[SequentialScenario, list[Problem]]:
        from negsim.scenario.load import _sorted

        base = self.base
        spec: SequentialFile | None = None
        self.raw = _without_fix(self.raw)  # 'fix' gets its own message (see _check_variants)
        try:
            spec = SequentialFile.model_validate(self.raw)
        except ValidationError as exc:
            base.problems.extend(translate(exc, self.raw, self.positions, SequentialFile))
        base.parameters = self.section("parameters")
        self.tree_players = self.section("players")
        self.tree = self.section("tree")
        claims = base.check_claims()
        before = len(base.problems)
        self._check_nodes()
        nodes_ok = len(base.problems) == before
        base.owners_override = self._owners()
        self.parsed = self._parse_moves()
        expanded = (
            self._expand() if nodes_ok and self.tree is not None and self.tree_players is not None else None
        )
        terms = self._terms()
        leaf_payoffs, probabilities, commitments = self._per_move(expanded)
        outcomes = base.compile_outcomes()
        self._check_variants()
        base.check_unused()
        if base.problems or spec is None or expanded is None:
            raise ScenarioError(_sorted(base.problems))
        compiled = CompiledTree(
            path=os.fspath(base.path),
            spec=spec,
            player_keys=tuple(spec.players),
            expanded=expanded,
            terms=tuple(terms),
            leaf_payoffs=leaf_payoffs,
            probabilities=probabilities,
            outcomes=outcomes,
            commitments=tuple(commitments),
            claims=claims,
        )
        scenario = SequentialScenario(compiled)
        self._check_values(scenario)
        if base.problems:
            raise ScenarioError(_sorted(base.problems))
        reached = set(expanded.node_key)
        for key in spec.tree.nodes:
            if key not in reached:
                base.warn(
                    ("tree", "nodes", key),
                    f"node '{key}' is never reached",
                    "lead a move to it with 'next', or remove it",
                    key=True,
                )
        for name, mask in scenario.leaf_outcomes().items():
            if not mask.any():
                base.warn(
                    ("outcomes", name),
                    f"outcome '{name}' matches no end of the game",
                    "check its condition",
                    key=True,
                )
        return scenario, _sorted(base.notes)

    # -- names ------------------------------------------------------------------------------
    def _owners(self) -> dict[str, set[str]] | None:
        """What conditions may name: each player's moves and options, and chance's moves."""
        if self.tree_players is None or self.tree is None or self.unknown_movers:
            return None  # the moves of a node with an unknown player would be missing
        owners: dict[str, set[str]] = {key: set(p.options) for key, p in self.tree_players.items()}
        owners[CHANCE] = set()
        for node in self.tree.nodes.values():
            if node.player in owners:
                owners[node.player].update(node.moves)
        return owners

    def _check_nodes(self) -> None:
        tree, players = self.tree, self.tree_players
        if tree is None or players is None:
            return
        nodes = tree.nodes
        if tree.start is not None and tree.start not in nodes:
            self.error(("tree", "start"), f"unknown node '{tree.start}'", suggest(tree.start, nodes))
        seen_info: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {}
        moves_of: dict[str, set[str]] = {}
        for node in nodes.values():
            if node.player != CHANCE:
                moves_of.setdefault(node.player, set()).update(node.moves)
        self.unknown_movers = any(n.player != CHANCE and n.player not in players for n in nodes.values())
        for key, node in nodes.items():
            where = ("tree", "nodes", key)
            if node.player != CHANCE and node.player not in players:
                self.error(
                    (*where, "player"), f"unknown player '{node.player}'", suggest(node.player, [*players])
                )
                continue
            labels: dict[str, str] = {}
            for move_key, move in node.moves.items():
                label = move.label or move_key
                if label in labels:
                    self.error(
                        (*where, "moves", move_key, "label") if move.label else (*where, "moves", move_key),
                        f"moves '{labels[label]}' and '{move_key}' are both shown as '{label}'",
                        "give each move at a node its own label",
                        key=move.label is None,
                    )
                labels.setdefault(label, move_key)
            if node.info is not None:
                signature = (node.player, key, tuple((k, m.label or k) for k, m in node.moves.items()))
                first = seen_info.setdefault(node.info, signature)
                if first[0] != node.player or first[2] != signature[2]:
                    self.error(
                        (*where, "info"),
                        f"information set '{node.info}' joins nodes '{first[1]}' and '{key}', which "
                        "differ in who moves or in the moves offered",
                        "nodes a player cannot tell apart must belong to that player and offer the same "
                        "moves (same keys and labels)",
                    )
                if node.player == CHANCE:
                    self.error((*where, "info"), "chance nodes have no information sets", "remove 'info'")
            for move_key, move in node.moves.items():
                at = (*where, "moves", move_key)
                if move.next is not None and move.next not in nodes:
                    self.error((*at, "next"), f"unknown node '{move.next}'", suggest(move.next, nodes))
                if node.player == CHANCE:
                    if move.probability is None:
                        self.error(
                            at,
                            "a chance move needs a 'probability'",
                            "add probability: 0.5 (or an expression)",
                            key=True,
                        )
                    if move.set or move.commits is not None:
                        self.error(
                            at,
                            "chance moves cannot 'set' options or make commitments",
                            "remove them",
                            key=True,
                        )
                    continue
                if move.probability is not None:
                    self.error(
                        (*at, "probability"),
                        f"only chance moves have probabilities; {node.player} chooses here",
                        "remove 'probability'",
                    )
                options = players[node.player].options
                for k, name in enumerate(move.set):
                    if name not in options:
                        hint = (
                            suggest(name, options)
                            if options
                            else f"declare it under players: {node.player}: options"
                        )
                        self.error((*at, "set", k), f"'{name}' is not an option of {node.player}", hint)
                if move.commits is not None and not self.unknown_movers:
                    for k, name in enumerate(move.commits.forbids):
                        if name not in moves_of.get(node.player, set()):
                            self.error(
                                (*at, "commits", "forbids", k),
                                f"'{name}' is not a move of {node.player}",
                                suggest(name, sorted(moves_of.get(node.player, set()))),
                            )
                if move.payoffs is not None:
                    for name in move.payoffs:
                        if name not in players:
                            self.error(
                                (*at, "payoffs", name),
                                f"unknown player '{name}'",
                                suggest(name, players),
                                key=True,
                            )

    def _parse_moves(self) -> dict[tuple[Any, ...], Expression | None]:
        """Parse every expression written on a move once (probabilities, payoffs, penalties)."""
        parsed: dict[tuple[Any, ...], Expression | None] = {}
        if self.tree is None:
            return parsed
        for key, node in self.tree.nodes.items():
            for name, move in node.moves.items():
                where = ("tree", "nodes", key, "moves", name)
                texts = {"probability": move.probability}
                if move.commits is not None:
                    texts["commits"] = move.commits.penalty
                for part, text in texts.items():
                    if text is not None:
                        at = (*where, part) if part == "probability" else (*where, "commits", "penalty")
                        parsed[at] = self.base.expression(at, text, "value")
                for player, text in (move.payoffs or {}).items():
                    at = (*where, "payoffs", player)
                    parsed[at] = self.base.expression(at, text, "value")
        return parsed

    # -- expansion --------------------------------------------------------------------------
    def _expand(self) -> Expanded | None:
        tree, players = self.tree, self.tree_players
        assert tree is not None and players is not None
        keys = list(players)
        start = tree.start if tree.start is not None else next(iter(tree.nodes))
        if start not in tree.nodes or any(
            node.player != CHANCE and node.player not in players for node in tree.nodes.values()
        ):
            return None
        parent: list[int] = [-1]
        node_key: list[str] = [start]
        move_key: list[str] = [""]
        move_label: list[str] = [""]
        move_where: list[tuple[Any, ...]] = [("tree", "start") if tree.start else ("tree", "nodes", start)]
        taken: list[frozenset[str]] = [frozenset()]
        ancestors: list[frozenset[str]] = [frozenset([start])]
        binding: list[tuple[Commitment, ...]] = [()]
        penalties: list[tuple[int, int, Expression]] = []
        owed: list[tuple[tuple[int, Expression], ...]] = [()]  # penalties due at every leaf below
        queue = deque([0])
        problems_before = len(self.base.problems)
        while queue:
            index = queue.popleft()
            key = node_key[index]
            if key == "":
                continue
            node = tree.nodes[key]
            is_chance = node.player == CHANCE
            mover = -1 if is_chance else keys.index(node.player)
            available = []
            for name, move in node.moves.items():
                blocked = [c for c in binding[index] if c.player == mover and name in c.forbids]
                if any(c.penalty is None for c in blocked):
                    continue
                available.append((name, move, blocked))
            if not available:
                self.error(
                    ("tree", "nodes", key),
                    f"commitments made earlier remove every move at node '{key}'",
                    "let the commitment forbid fewer moves, or give it a 'penalty' instead",
                    key=True,
                )
                return None
            for name, move, blocked in available:
                where = ("tree", "nodes", key, "moves", name)
                child = len(parent)
                if child >= MAX_TREE_NODES:
                    self.error(
                        ("tree",),
                        f"the tree expands to more than {MAX_TREE_NODES:,} nodes",
                        "reuse fewer sub-trees, or model repeated stages with parameters",
                        key=True,
                    )
                    return None
                flags = {f"{CHANCE if is_chance else node.player}.{name}"}
                flags.update(f"{node.player}.{option}" for option in move.set)
                commitments = binding[index]
                if move.commits is not None:
                    penalty = self.parsed.get((*where, "commits", "penalty"))
                    if move.commits.penalty is not None and penalty is None:
                        return None
                    commitments = (
                        *commitments,
                        Commitment(mover, frozenset(move.commits.forbids), penalty, where),
                    )
                parent.append(index)
                move_key.append(name)
                move_label.append(move.label or name)
                move_where.append(where)
                taken.append(taken[index] | flags)
                binding.append(commitments)
                owed.append(owed[index] + tuple((mover, c.penalty) for c in blocked if c.penalty is not None))
                if move.next is None:
                    node_key.append("")
                    ancestors.append(ancestors[index])
                    penalties.extend((child, player, penalty) for player, penalty in owed[child])
                    continue
                if move.next in ancestors[index]:
                    self.error(
                        (*where, "next"),
                        f"'{move.next}' leads back to a node already on the way here (a cycle)",
                        "a game tree cannot loop; copy the later stage into a node of its own",
                    )
                    return None
                node_key.append(move.next)
                ancestors.append(ancestors[index] | {move.next})
                queue.append(child)
        if len(self.base.problems) > problems_before:
            return None
        n = len(parent)
        kind = np.array(
            [0 if not k else 2 if tree.nodes[k].player == CHANCE else 1 for k in node_key], dtype=np.int8
        )
        player = np.array(
            [
                keys.index(tree.nodes[k].player) if k and tree.nodes[k].player != CHANCE else -1
                for k in node_key
            ]
        )
        info_ids: dict[str, int] = {}
        infoset = np.full(n, -1, dtype=np.int64)
        names: list[str] = []
        for i, k in enumerate(node_key):
            if kind[i] != 1:
                continue
            label = tree.nodes[k].info
            token = f"info:{label}" if label is not None else f"node:{i}"
            if token not in info_ids:
                info_ids[token] = len(info_ids)
                names.append(label if label is not None else k)
            infoset[i] = info_ids[token]
        all_flags = sorted({f for t in taken for f in t})
        masks = {f: np.array([f in t for t in taken]) for f in all_flags}
        return Expanded(
            parent=np.array(parent, dtype=np.int64),
            kind=kind,
            player=player,
            node_key=tuple(node_key),
            move_key=tuple(move_key),
            move_label=tuple(move_label),
            move_where=tuple(move_where),
            infoset=infoset,
            infoset_names=tuple(names),
            flags=masks,
            penalties=tuple(penalties),
        )

    # -- payoffs, probabilities -------------------------------------------------------------
    def _terms(self) -> list[tuple[tuple[int, ...], Expression, Expression, tuple[Any, ...]]]:
        payoffs = self.section("payoffs")
        if payoffs is None:
            return []
        keys = list(self.tree_players) if self.tree_players is not None else None
        terms = []
        for t, term in enumerate(payoffs.terms):
            where = ("payoffs", "terms", t)
            targets = self.base._targets((*where, "to"), term.to, keys)
            condition = self.base.expression((*where, "when"), term.when, "condition")
            value = self.base.expression((*where, "value"), term.value, "value")
            if targets is not None and condition is not None and value is not None:
                terms.append((targets, condition, value, (*where, "value")))
        return terms

    def _per_move(
        self, expanded: Expanded | None
    ) -> tuple[
        dict[int, tuple[tuple[int, Expression, tuple[Any, ...]], ...]],
        dict[int, tuple[Expression, tuple[Any, ...]]],
        list[tuple[str, str, Commitment]],
    ]:
        leaf_payoffs: dict[int, tuple[tuple[int, Expression, tuple[Any, ...]], ...]] = {}
        probabilities: dict[int, tuple[Expression, tuple[Any, ...]]] = {}
        commitments: list[tuple[str, str, Commitment]] = []
        tree, players = self.tree, self.tree_players
        if tree is None or players is None:
            return leaf_payoffs, probabilities, commitments
        keys = list(players)
        parsed = self.parsed
        has_terms = isinstance(self.raw, dict) and "payoffs" in self.raw
        for key, node in tree.nodes.items():
            for name, move in node.moves.items():
                where = ("tree", "nodes", key, "moves", name)
                if move.payoffs is None and move.next is None and not has_terms:
                    self.error(
                        where,
                        f"the game ends after '{name}' but no payoffs are given",
                        "add 'payoffs: {player: value, ...}' to this move, or a 'payoffs: terms' section",
                        key=True,
                    )
                if move.commits is not None and node.player in players:
                    forbids = frozenset(move.commits.forbids)
                    penalty = parsed.get((*where, "commits", "penalty"))
                    commitments.append(
                        (key, name, Commitment(keys.index(node.player), forbids, penalty, where))
                    )
        if expanded is None:
            return leaf_payoffs, probabilities, commitments
        for index, where in enumerate(expanded.move_where):
            if index == 0:
                continue
            node_key, move_name = where[2], where[4]
            move = tree.nodes[node_key].moves[move_name]
            if move.probability is not None:
                expression = parsed.get((*where, "probability"))
                if expression is not None:
                    probabilities[index] = (expression, (*where, "probability"))
            if move.payoffs is not None:
                entries = []
                for player, _ in move.payoffs.items():
                    expression = parsed.get((*where, "payoffs", player))
                    if expression is not None and player in players:
                        entries.append((keys.index(player), expression, (*where, "payoffs", player)))
                leaf_payoffs[index] = tuple(entries)
        return leaf_payoffs, probabilities, commitments

    def _check_variants(self) -> None:
        variants = self.section("variants") or {}
        valid = self.base.parameters if self.base.parameters is not None else self.base._valid_parameters()
        for name, variant in variants.items():
            for parameter, value in variant.set.items():
                where = ("variants", name, "set", parameter)
                self.base.used_parameters.add(parameter)
                if parameter not in valid:
                    self.error(
                        where, f"unknown parameter '{parameter}'", suggest(parameter, sorted(valid)), key=True
                    )
                    continue
                limits = valid[parameter].range
                if limits is not None and not limits[0] <= value <= limits[1]:
                    self.error(
                        where,
                        f"{parameter} = {value:g} lies outside its range [{limits[0]:g}, {limits[1]:g}]",
                        "widen the parameter's range or change the value",
                    )
        raw = self.base.raw.get("variants") if isinstance(self.base.raw, dict) else None
        if isinstance(raw, dict):
            for name, entry in raw.items():
                if isinstance(entry, dict) and "fix" in entry:
                    self.error(
                        ("variants", name, "fix"),
                        "'fix' applies to strategic scenarios",
                        "in a sequential scenario change a parameter with 'set' "
                        "(e.g. a cost that makes a move unattractive)",
                        key=True,
                    )

    def _check_values(self, scenario: SequentialScenario) -> None:
        """Evaluate every probability, payoff and penalty at the file's values and at each variant's."""
        trials = [(None, scenario)] + [(name, scenario.variant(name)) for name in scenario.variants]
        compiled = scenario.compiled
        penalties = [
            (c.penalty, (*c.where, "commits", "penalty"))
            for _, _, c in compiled.commitments
            if c.penalty is not None
        ]
        for variant, candidate in trials:
            suffix = f" (with variant '{variant}')" if variant else ""
            values = candidate.parameter_values()
            ok = True
            expressions = [(e, w) for e, w in compiled.probabilities.values()]
            expressions += [(e, w) for entries in compiled.leaf_payoffs.values() for _, e, w in entries]
            expressions += [(v, w) for _, _, v, w in compiled.terms]
            expressions += penalties
            reported: set[tuple[Any, ...]] = set()
            for expression, where in expressions:
                if where in reported:
                    continue
                try:
                    expression.evaluate(values)
                except ExpressionError as exc:
                    reported.add(where)
                    offset = self.positions.scalar_offset(where) + exc.offset
                    self.base.error(where, exc.message + suffix, exc.hint, offset=offset)
                    ok = False
            if not ok:
                continue
            self._check_probabilities(compiled, values, suffix)
            if self.base.problems:
                return
            from negsim.game.extensive import _own_sequences

            try:
                tree = candidate.tree()
                _own_sequences(tree)
            except GameError as exc:
                self.error(self._recall_location(str(exc)), str(exc).removeprefix("GameTree: "))
                return

    def _check_probabilities(self, compiled: CompiledTree, values: Mapping[str, float], suffix: str) -> None:
        expanded = compiled.expanded
        checked: set[str] = set()
        for node in np.flatnonzero(expanded.kind == 2):
            key = expanded.node_key[int(node)]
            if key in checked:
                continue
            checked.add(key)
            kids = np.flatnonzero(expanded.parent == node)
            probabilities = []
            for kid in kids:
                expression, where = compiled.probabilities[int(kid)]
                p = float(expression.evaluate(values))
                probabilities.append(p)
                if not 0 <= p <= 1:
                    self.error(
                        where,
                        f"a chance probability is {p:g}, outside 0..1{suffix}",
                        "give a number from 0 to 1",
                    )
            if (
                all(0 <= p <= 1 for p in probabilities)
                and abs(sum(probabilities) - 1) > PROBABILITY_TOLERANCE
            ):
                self.error(
                    ("tree", "nodes", key),
                    f"the chance probabilities sum to {sum(probabilities):.6g}, not 1{suffix}",
                    "make them add up to 1 (e.g. p and 1 - p)",
                    key=True,
                )

    def _recall_location(self, message: str) -> tuple[Any, ...]:
        """Where an information-set problem is written: the 'info' of the first node of that set."""
        if self.tree is not None:
            for key, node in self.tree.nodes.items():
                if node.info is not None and f"'{node.info}'" in message:
                    return ("tree", "nodes", key, "info")
        return ("tree",)


def _without_fix(raw: Any) -> Any:
    """The file's data with any variant's 'fix' left out."""
    if not isinstance(raw, dict) or not isinstance(raw.get("variants"), dict):
        return raw
    variants = {
        name: ({k: v for k, v in entry.items() if k != "fix"} if isinstance(entry, dict) else entry)
        for name, entry in raw["variants"].items()
    }
    return {**raw, "variants": variants}
