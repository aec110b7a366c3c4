"""Game-tree results in words, in terminal tables and as JSON-ready records.

Everything here reads a :class:`~negsim.solvers.sequential.TreeResult`; the optional
``outcomes`` (named outcome -> boolean array over the tree's nodes, true at the leaves it
covers) and ``keys`` (the file's key of the move into each node) come from a sequential
scenario and are left out for Gambit ``.efg`` files.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from negsim.game.tree import CHANCE, DECISION, GameTree
from negsim.report.words import number, percent
from negsim.solvers.backward import SubgamePerfect
from negsim.solvers.sequential import TreeResult

Outcomes = Mapping[str, np.ndarray]

#: At most this many non-credible moves are spelled out in text (JSON lists them all).
SHOWN_LAPSES = 6

#: At most this many credible Nash equilibria of a tree with information sets are shown in text.
SHOWN_NASH = 8


def _payoff_list(tree: GameTree, payoffs: np.ndarray) -> str:
    return ", ".join(f"{name} {number(v)}" for name, v in zip(tree.players, payoffs))


def reached_outcomes(outcomes: Outcomes | None, leaves: Sequence[tuple[float, int]]) -> dict[str, float]:
    """Probability of each named outcome given (probability, leaf) pairs."""
    result: dict[str, float] = {}
    for name, mask in (outcomes or {}).items():
        total = sum(p for p, leaf in leaves if mask[leaf])
        if total > 1e-12:
            result[name] = total
    return result


def _play_words(tree: GameTree, nodes: Sequence[int]) -> str:
    steps = []
    for parent, child in itertools.pairwise(nodes):
        if tree.kind[parent] == CHANCE:
            steps.append(f"chance: {tree.move_name(child)} ({percent(tree.probability[child])})")
        else:
            steps.append(f"{tree.mover_name(parent)}: {tree.move_name(child)}")
    return "; ".join(steps) if steps else "nothing happens"


def _continuation(spe: SubgamePerfect, start: int) -> list[int]:
    """The play from ``start`` on under the plan (chance follows its likeliest move)."""
    tree = spe.tree
    nodes = [start]
    while tree.n_children[nodes[-1]] > 0:
        node = nodes[-1]
        if tree.kind[node] == DECISION:
            nodes.append(int(spe.choice[node]))
        else:
            kids = tree.children(node)
            nodes.append(int(kids[int(np.argmax(tree.probability[kids]))]))
    return nodes


def spe_sentences(spe: SubgamePerfect, outcomes: Outcomes | None = None) -> list[str]:
    """What happens under one subgame-perfect equilibrium, who gets what, and why it is stable.

    Examples
    --------
    >>> from negsim.solvers.backward import backward_induction
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> for line in spe_sentences(backward_induction(tree).equilibria[0]):
    ...     print(line)
    Play: Entrant: In; Incumbent: Acquiesce. Payoffs: Entrant 1, Incumbent 1.
    Entrant chooses In (1) over Out (0).
    Incumbent chooses Acquiesce (1) over Fight (-1).
    """
    tree = spe.tree
    plays = spe.plays()
    tolerance = 1e-9 * tree.payoff_scale()
    lines = []
    reached = reached_outcomes(outcomes, [(p, nodes[-1]) for p, nodes in plays])
    outcome = ""
    if reached:
        outcome = (
            " Outcome: "
            + ", ".join(name if p > 1 - 1e-9 else f"{name} ({percent(p)})" for name, p in reached.items())
            + "."
        )
    if len(plays) == 1:
        lines.append(
            f"Play: {_play_words(tree, plays[0][1])}. Payoffs: {_payoff_list(tree, spe.payoffs)}.{outcome}"
        )
    else:
        lines.append(f"Expected payoffs: {_payoff_list(tree, spe.payoffs)}.{outcome}")
        for probability, nodes in plays[:8]:
            lines.append(f"With probability {percent(probability)}: {_play_words(tree, nodes)}.")
    seen: set[int] = set()
    for _, nodes in plays:
        for node in nodes:
            if tree.kind[node] != DECISION or node in seen:
                continue
            seen.add(node)
            mover = int(tree.player[node])
            chosen = int(spe.choice[node])
            others = [int(c) for c in tree.children(node) if c != chosen]
            if not others:
                continue
            value = spe.values[chosen, mover]
            tied = [o for o in others if abs(spe.values[o, mover] - value) <= tolerance]
            reasons = []
            for other in others:
                if other in tied:
                    continue
                follow = _continuation(spe, other)
                after = _play_words(tree, follow)
                detail = f" (then {after})" if len(follow) > 1 else ""
                reasons.append(f"{tree.move_name(other)} ({number(spe.values[other, mover])}){detail}")
            sentence = f"{tree.players[mover]} chooses {tree.move_name(chosen)} ({number(value)})"
            if reasons:
                sentence += f" over {'; '.join(reasons)}"
            if tied:
                names = " or ".join(tree.move_name(o) for o in tied)
                sentence += (
                    f"{',' if reasons else ''} though {names} would give it as much "
                    "(another subgame-perfect equilibrium takes that)"
                )
            lines.append(sentence + ".")
    return lines


def summary(result: TreeResult, outcomes: Outcomes | None = None) -> str:
    """One paragraph: what subgame-perfect play leads to and how many equilibria are credible."""
    parts = []
    if result.spe is not None:
        count = len(result.spe)
        reached: set[str] = set()
        for spe in result.spe.equilibria:
            reached.update(reached_outcomes(outcomes, [(p, n[-1]) for p, n in spe.plays()]))
        what = f" leading to {', '.join(sorted(reached))}" if reached else ""
        parts.append(
            f"{'One' if count == 1 else count} subgame-perfect equilibri{'um' if count == 1 else 'a'}{what}"
            + ("" if result.spe.complete else " (list cut short)")
            + "."
        )
    if result.nash is not None:
        n = len(result.nash.equilibria)
        credible = sum(result.credible)
        parts.append(
            f"The normal form has {n} Nash equilibri{'um' if n == 1 else 'a'}"
            + (" (pure ones only)" if not result.nash.complete else "")
            + f"; {credible} {'is' if credible == 1 else 'are'} credible and {n - credible} "
            f"rest{'s' if n - credible == 1 else ''} on a threat or promise that would not be carried out."
        )
    return " ".join(parts)


def lapse_groups(result: TreeResult) -> list[tuple[str, list[int]]]:
    """Each distinct non-credible move (as a sentence) with the equilibria that rest on it."""
    groups: dict[str, list[int]] = {}
    for index, found in enumerate(result.lapses):
        for lapse in found:
            groups.setdefault(lapse.sentence(result.tree), []).append(index)
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def behaviour_rows(result: TreeResult, index: int) -> list[tuple[str, str, str]]:
    """(player, information set, move probabilities) rows of Nash equilibrium ``index``."""
    tree = result.tree
    rows = []
    for player, moves in enumerate(result.behaviour(index)):
        for infoset, probabilities in moves.items():
            node = int(np.flatnonzero(tree.infoset == infoset)[0])
            if np.all(np.isnan(probabilities)):
                text = "never reached"
            else:
                kids = tree.children(node)
                text = ", ".join(
                    f"{tree.move_name(int(k))} {percent(p)}" for k, p in zip(kids, probabilities) if p > 1e-12
                )
            rows.append((tree.players[player], tree.infoset_label(infoset), text))
    return rows


def nash_leaves(result: TreeResult, index: int) -> list[tuple[float, int]]:
    """(probability, leaf) for every leaf Nash equilibrium ``index`` reaches with positive probability."""
    reach = result.reach(index)
    return [(float(reach[leaf]), int(leaf)) for leaf in result.tree.terminals if reach[leaf] > 1e-12]


def nash_outcome(result: TreeResult, index: int, outcomes: Outcomes | None) -> str:
    """Where Nash equilibrium ``index`` leads, in words: named outcomes (or plays) and payoffs."""
    assert result.nash is not None
    tree = result.tree
    leaves = nash_leaves(result, index)
    reached = reached_outcomes(outcomes, leaves)
    if reached:
        where = ", ".join(name if p > 1 - 1e-9 else f"{name} {percent(p)}" for name, p in reached.items())
    else:
        likeliest = sorted(leaves, reverse=True)
        where = "; ".join(f"{tree.describe(leaf)[6:]} ({percent(p)})" for p, leaf in likeliest[:4])
        if len(likeliest) > 4:
            where += f"; and {len(likeliest) - 4} more"
        payoffs = _payoff_list(tree, result.nash.equilibria[index].payoffs)
        return f"Plays: {where}. Payoffs: {payoffs}."
    payoffs = _payoff_list(tree, result.nash.equilibria[index].payoffs)
    return f"Outcome: {where}. Payoffs: {payoffs}."


def nash_table(result: TreeResult) -> Table:
    """The Nash equilibria of the normal form, credible ones first, each labelled (at most a screenful)."""
    assert result.nash is not None
    tree, game = result.tree, result.nash.game
    order = sorted(range(len(result.nash.equilibria)), key=lambda i: not result.credible[i])
    table = Table(
        title=f"Nash equilibria of the normal form ({len(order)}), credible first",
        title_justify="left",
        show_lines=True,
    )
    for column in ("#", "plays", "gets", "credible?"):
        table.add_column(column)
    for index in order[:SHOWN_NASH]:
        equilibrium = result.nash.equilibria[index]
        plays = "\n".join(
            f"{name}: "
            + ", ".join(
                label + ("" if p > 1 - 1e-9 else f" {percent(p)}")
                for label, p in zip(labels, mix)
                if p > 1e-12
            )
            for name, labels, mix in zip(game.players, game.strategies, equilibrium.strategies)
        )
        lapses = result.lapses[index]
        verdict = "yes" if not lapses else "no: " + lapses[0].sentence(tree)
        table.add_row(str(index + 1), plays, _payoff_list(tree, equilibrium.payoffs), verdict)
    if len(order) > SHOWN_NASH:
        table.caption = f"{len(order) - SHOWN_NASH} more in the JSON output (--json)"
    return table


def render_tree_result(
    result: TreeResult, outcomes: Outcomes | None = None, *, header: str = "", commitments: Sequence[str] = ()
) -> Group:
    """Tables and sentences for the terminal."""
    tree = result.tree
    parts: list[RenderableType] = []
    if header:
        parts.append(Text(header, style="bold"))
    parts.append(Text(summary(result, outcomes)))
    if result.spe is not None:
        for number_, spe in enumerate(result.spe.equilibria[:20], 1):
            table = Table(
                title=f"Subgame-perfect equilibrium {number_}", title_justify="left", show_lines=False
            )
            for column in ("where", "who", "would do"):
                table.add_column(column)
            on_path = {n for _, nodes in spe.plays() for n in nodes}
            for node, child in spe.plan():
                marker = "" if node in on_path else " (off the path)"
                table.add_row(tree.describe(node) + marker, tree.mover_name(node), tree.move_name(child))
            parts.append(table)
            parts.extend(Text(line) for line in spe_sentences(spe, outcomes))
        if len(result.spe) > 20:
            parts.append(
                Text(f"... and {len(result.spe) - 20} more subgame-perfect equilibria (see --json).")
            )
    if result.nash is not None and not tree.perfect_information:
        shown = [i for i, ok in enumerate(result.credible) if ok][:SHOWN_NASH]
        for index in shown:
            table = Table(
                title=f"Credible Nash equilibrium {index + 1}, as behaviour strategies",
                title_justify="left",
            )
            for column in ("player", "where", "moves"):
                table.add_column(column)
            for row in behaviour_rows(result, index):
                table.add_row(*row)
            parts.append(table)
            parts.append(Text(nash_outcome(result, index, outcomes)))
        hidden = sum(result.credible) - len(shown)
        if hidden > 0:
            parts.append(Text(f"... and {hidden} more credible equilibria (see --json)."))
    if result.nash is not None and tree.perfect_information and result.nash.equilibria:
        parts.append(nash_table(result))
    groups = lapse_groups(result)
    if groups:
        parts.append(Text("Threats and promises that would not be carried out:", style="bold"))
        for sentence, indices in groups[:SHOWN_LAPSES]:
            rest = "um rests" if len(indices) == 1 else "a rest"
            parts.append(Text(f"- {sentence} ({len(indices)} equilibri{rest} on it)"))
        if len(groups) > SHOWN_LAPSES:
            parts.append(Text(f"... and {len(groups) - SHOWN_LAPSES} more (see --json)."))
    if commitments:
        parts.append(Text("Commitments:", style="bold"))
        parts.extend(Text(f"- {line}") for line in commitments)
    for note in result.notes:
        parts.append(Text(f"Note: {note}", style="dim"))
    return Group(*parts)


def _move_record(tree: GameTree, parent: int, child: int, keys: Sequence[str] | None) -> dict[str, Any]:
    record: dict[str, Any] = {"player": tree.mover_name(parent), "move": tree.move_name(child)}
    if keys is not None:
        record["key"] = keys[child]
    if tree.kind[parent] == CHANCE:
        record["probability"] = float(tree.probability[child])
    return record


def tree_record(
    result: TreeResult,
    outcomes: Outcomes | None = None,
    keys: Sequence[str] | None = None,
    commitments: Sequence[str] = (),
) -> dict[str, Any]:
    """The documented JSON shape of a game tree's solution (see the README)."""
    tree = result.tree
    spe_records = []
    for spe in result.spe.equilibria if result.spe is not None else ():
        plays = spe.plays()
        path = spe.path()
        spe_records.append(
            {
                "path": [_move_record(tree, a, b, keys) for a, b in itertools.pairwise(path)],
                "plays": [
                    {
                        "probability": float(p),
                        "moves": [_move_record(tree, a, b, keys) for a, b in itertools.pairwise(nodes)],
                    }
                    for p, nodes in plays
                ],
                "plan": [
                    {
                        "node": tree.names[node] or str(node),
                        "where": tree.describe(node),
                        "player": tree.mover_name(node),
                        "move": tree.move_name(child),
                        "on_path": bool(any(node in nodes for _, nodes in plays)),
                    }
                    for node, child in spe.plan()
                ],
                "payoffs": {p: float(v) for p, v in zip(tree.players, spe.payoffs)},
                "outcomes": reached_outcomes(outcomes, [(p, n[-1]) for p, n in plays]),
                "description": " ".join(spe_sentences(spe, outcomes)),
            }
        )
    equilibria = []
    if result.nash is not None:
        game = result.nash.game
        for index, equilibrium in enumerate(result.nash.equilibria):
            behaviour = {}
            for player, moves in enumerate(result.behaviour(index)):
                behaviour[tree.players[player]] = {
                    tree.infoset_label(h): (
                        None
                        if np.all(np.isnan(p))
                        else {
                            tree.move_name(int(k)): float(q)
                            for k, q in zip(tree.children(int(np.flatnonzero(tree.infoset == h)[0])), p)
                        }
                    )
                    for h, p in moves.items()
                }
            equilibria.append(
                {
                    "strategies": {
                        player: {label: float(p) for label, p in zip(labels, mix) if p > 0}
                        for player, labels, mix in zip(game.players, game.strategies, equilibrium.strategies)
                    },
                    "behaviour": behaviour,
                    "payoffs": {p: float(v) for p, v in zip(game.players, equilibrium.payoffs)},
                    "max_regret": float(equilibrium.max_regret),
                    "credible": result.credible[index],
                    "lapses": [lapse.sentence(tree) for lapse in result.lapses[index]],
                    "outcomes": reached_outcomes(outcomes, nash_leaves(result, index)),
                    "description": nash_outcome(result, index, outcomes),
                }
            )
    return {
        "kind": "sequential",
        "title": tree.title,
        "players": list(tree.players),
        "perfect_information": tree.perfect_information,
        "spe": spe_records,
        "spe_complete": None if result.spe is None else result.spe.complete,
        "equilibria": equilibria,
        "equilibria_complete": None if result.nash is None else result.nash.complete,
        "commitments": list(commitments),
        "summary": summary(result, outcomes),
        "notes": list(result.notes) + ([] if result.nash is None else list(result.nash.notes)),
    }
