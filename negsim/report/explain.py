"""``negsim explain``: what a scenario is made of and which claims stand behind each part."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from negsim.scenario.model import Scenario, ScenarioBase
from negsim.scenario.schema import CHANCE, SequentialFile

_STATUS = {
    "unverified": "UNVERIFIED",
    "reported": "reported",
    "established": "established",
    "interpretation": "interpretation",
}


def _cites(scenario: ScenarioBase, claim_ids: Iterable[str]) -> str:
    parts = []
    for claim_id in claim_ids:
        claim = scenario.claims.claims.get(claim_id)
        status = _STATUS[claim.verification] if claim else "?"
        parts.append(f"{claim_id} ({status})")
    return ", ".join(parts)


def cited_claims(scenario: ScenarioBase) -> list[str]:
    """Every claim id the scenario cites, in order of first citation."""
    spec = scenario.compiled.spec
    ids: list[str] = list(spec.claims)
    for parameter in spec.parameters.values():
        ids += parameter.claims
    for player in spec.players.values():
        ids += player.claims
        if isinstance(spec, SequentialFile):
            for option in player.options.values():
                ids += option.claims
            continue
        for item in (player.strategies or player.options or {}).values():
            ids += item.claims
    if isinstance(spec, SequentialFile):
        for node in spec.tree.nodes.values():
            for move in node.moves.values():
                ids += move.claims
        for term in spec.payoffs.terms if spec.payoffs is not None else []:
            ids += term.claims
        return list(dict.fromkeys(ids))
    for term in spec.payoffs.terms or []:
        ids += term.claims
    for row in spec.payoffs.table or []:
        ids += row.claims
    return list(dict.fromkeys(ids))


def _tree_players(scenario: ScenarioBase) -> Table:
    spec = scenario.compiled.spec
    table = Table(title="Players and their moves", title_justify="left", show_lines=True)
    for column in ("player", "where", "move", "claims"):
        table.add_column(column)
    for key, player in spec.players.items():
        table.add_row(f"{player.name} ({key})", player.about, "", _cites(scenario, player.claims))
        for node_key, node in spec.tree.nodes.items():
            if node.player != key:
                continue
            for name, move in node.moves.items():
                what = move.label or name
                if move.commits is not None:
                    what += f"\n(binding: rules out {', '.join(move.commits.forbids)})"
                target = f" -> {move.next}" if move.next else " (game ends)"
                table.add_row(
                    "",
                    f"{node_key}: {node.about}" if node.about else node_key,
                    what + target,
                    _cites(scenario, move.claims),
                )
    for node_key, node in spec.tree.nodes.items():
        if node.player == CHANCE:
            for name, move in node.moves.items():
                table.add_row(
                    "chance", node_key, f"{move.label or name} with probability {move.probability}", ""
                )
    return table


def render_explanation(scenario: ScenarioBase) -> Group:
    """Players, their options, strategies or moves, parameters, outcomes and variants, with claims."""
    spec = scenario.compiled.spec
    parts: list[RenderableType] = [Text(spec.title, style="bold")]
    if spec.description:
        parts.append(Text(spec.description))
    if spec.claims:
        parts.append(Text(f"Rests on: {_cites(scenario, spec.claims)}"))
    if isinstance(spec, SequentialFile):
        parts.append(_tree_players(scenario))
    else:
        assert isinstance(scenario, Scenario)
        parts.append(_strategic_players(scenario))
    parts.extend(_parameters_and_claims(scenario))
    return Group(*parts)


def _strategic_players(scenario: Scenario) -> Table:
    spec = scenario.compiled.spec

    players = Table(title="Players and their choices", title_justify="left", show_lines=True)
    for column in ("player", "choice", "meaning", "claims"):
        players.add_column(column)
    for key, player in spec.players.items():
        players.add_row(f"{player.name} ({key})", "", player.about, _cites(scenario, player.claims))
        if player.strategies is not None:
            for name, strategy in player.strategies.items():
                players.add_row(
                    "",
                    f"strategy {strategy.label or name}",
                    strategy.about or strategy.does or "",
                    _cites(scenario, strategy.claims),
                )
        for name, option in (player.options or {}).items():
            players.add_row(
                "",
                f"option {option.label or name} (yes/no)",
                option.about or option.yes or "",
                _cites(scenario, option.claims),
            )
        for group in player.exclusive:
            players.add_row("", "at most one of", ", ".join(group), "")
        for rule in player.infeasible:
            players.add_row("", "ruled out", rule, "")
    return players


def _parameters_and_claims(scenario: ScenarioBase) -> list[RenderableType]:
    spec = scenario.compiled.spec
    parts: list[RenderableType] = []
    if spec.parameters:
        table = Table(title="Parameters", title_justify="left", show_lines=True)
        for column in ("name", "value", "range", "uncertainty", "meaning", "claims"):
            table.add_column(column)
        values = scenario.parameter_values()
        for name, parameter in spec.parameters.items():
            unit = f" {parameter.unit}" if parameter.unit else ""
            limits = f"{parameter.range[0]:g} to {parameter.range[1]:g}" if parameter.range else ""
            spread = ""
            if parameter.distribution is not None:
                args = ", ".join(f"{a:g}" for a in parameter.distribution.arguments)
                spread = f"{parameter.distribution.kind}({args})"
            table.add_row(
                name,
                f"{values[name]:g}{unit}",
                limits,
                spread,
                parameter.about,
                _cites(scenario, parameter.claims),
            )
        parts.append(table)

    if spec.outcomes or spec.variants:
        table = Table(title="Outcomes and variants", title_justify="left", show_lines=True)
        for column in ("kind", "name", "definition"):
            table.add_column(column)
        for name, outcome in spec.outcomes.items():
            definition = str(outcome.when) + (f"\n{outcome.about}" if outcome.about else "")
            table.add_row("outcome", name, definition)
        for name, variant in spec.variants.items():
            changes = [f"{k} = {v:g}" for k, v in variant.set.items()]
            changes += [f"{k}: {v}" for k, v in getattr(variant, "fix", {}).items()]
            table.add_row(
                "variant", name, "; ".join(changes) + (f"\n{variant.about}" if variant.about else "")
            )
        parts.append(table)

    cited = cited_claims(scenario)
    if cited:
        table = Table(title="Claims behind this scenario", title_justify="left", show_lines=True)
        for column in ("id", "claim", "stated by / reported by", "status"):
            table.add_column(column)
        for claim_id in cited:
            claim = scenario.claims.claims[claim_id]
            status = _STATUS[claim.verification] + (f"\n{claim.note}" if claim.note else "")
            table.add_row(
                claim_id,
                f"{claim.actor}: {claim.statement}",
                f"{claim.stated_by}\n{claim.reported_by}",
                status,
            )
        parts.append(table)
    return parts
