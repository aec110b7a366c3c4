"""Terminal output: a table of equilibria and a plain-language paragraph for each."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from negsim.report.words import Phrases, describe, number, percent, summary
from negsim.solvers.result import Equilibrium, SolveResult


def _strategy_cell(labels: Sequence[str], mix: np.ndarray) -> str:
    support = [int(k) for k in np.flatnonzero(mix > 0)]
    if len(support) == 1:
        return labels[support[0]]
    return "\n".join(f"{labels[k]} {percent(mix[k])}" for k in sorted(support, key=lambda k: -mix[k]))


def _outcome_cell(result: SolveResult, equilibrium: Equilibrium) -> str:
    reached = [(n, p) for n, p in equilibrium.outcome_probabilities.items() if p > 1e-12]
    if len(reached) == 1 and reached[0][1] > 1 - 1e-9:
        return reached[0][0]
    return "\n".join(f"{n} {percent(p)}" for n, p in sorted(reached, key=lambda x: -x[1])) or "-"


def equilibrium_table(result: SolveResult) -> Table:
    """A rich table of the equilibria.

    Two players: one row per equilibrium (each player's strategy and payoff, the outcome).
    More players: one row per player and equilibrium, so that it stays readable when narrow.
    """
    game = result.game
    table = Table(
        title=f"Nash equilibria: {game.title}" if game.title else "Nash equilibria",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    if game.n_players > 2:
        for heading in ("party", "plays", "gets"):
            table.add_column(heading, justify="right" if heading == "gets" else "left")
        if game.outcomes:
            table.add_column("outcome")
        for index, equilibrium in enumerate(result.equilibria, 1):
            for player, (name, labels, mix) in enumerate(
                zip(game.players, game.strategies, equilibrium.strategies)
            ):
                first = player == 0
                row = [str(index) if first else "", name, _strategy_cell(labels, mix)]
                row.append(number(equilibrium.payoffs[player]))
                if game.outcomes:
                    row.append(_outcome_cell(result, equilibrium) if first else "")
                table.add_row(*row, end_section=player == game.n_players - 1)
        table.show_lines = False
        return table
    for name in game.players:
        table.add_column(f"{name} plays")
    for name in game.players:
        table.add_column(f"{name} gets", justify="right")
    if game.outcomes:
        table.add_column("outcome")
    for index, equilibrium in enumerate(result.equilibria, 1):
        row = [str(index)]
        row += [_strategy_cell(labels, mix) for labels, mix in zip(game.strategies, equilibrium.strategies)]
        row += [number(v) for v in equilibrium.payoffs]
        if game.outcomes:
            row.append(_outcome_cell(result, equilibrium))
        table.add_row(*row)
    return table


def render_result(result: SolveResult, phrases: Phrases | None = None, *, header: str = "") -> Group:
    """Everything ``negsim solve`` prints for one result."""
    parts: list[RenderableType] = []
    if header:
        parts.append(Text(header, style="bold"))
    parts.append(Text(summary(result)))
    if result.equilibria:
        parts.append(equilibrium_table(result))
        for index, equilibrium in enumerate(result.equilibria, 1):
            parts.append(Text(f"{index}. {describe(result, equilibrium, phrases)}"))
    if result.value is not None:
        parts.append(Text(f"Zero-sum game: its value to {result.game.players[0]} is {number(result.value)}."))
    if result.dominated:
        removed = "; ".join(f"{p}: {', '.join(s)}" for p, s in result.dominated.items())
        parts.append(Text(f"Strictly dominated (never worth playing): {removed}."))
    facts = (
        f"Method: {result.method}. Every equilibrium was checked: no player gains more than "
        f"{result.tolerance:.2g} by deviating."
    )
    parts.append(Text(facts, style="dim"))
    for note in result.notes:
        parts.append(Text(f"Note: {note}", style="dim"))
    return Group(*parts)


def console(stderr: bool = False) -> Console:
    """A console that wraps sensibly and drops colour when output is not a terminal."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)
