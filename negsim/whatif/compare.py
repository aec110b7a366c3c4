"""Variants side by side: which outcomes are equilibria and who gets what, and what changed, in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from negsim.errors import UsageError
from negsim.report.words import join_words, number, possessive
from negsim.scenario.model import Scenario
from negsim.solvers.result import DEFAULT_TOLERANCE, SolveResult


@dataclass(frozen=True, eq=False)
class VariantRow:
    """One variant (or the base scenario, ``name`` None) and its equilibria."""

    name: str | None
    about: str
    result: SolveResult

    @property
    def label(self) -> str:
        return self.name if self.name is not None else "base scenario"

    @property
    def reached(self) -> dict[str, str]:
        """Outcome -> ``"pure"`` if a pure equilibrium reaches it, ``"mixed"`` if only a mixed one does."""
        found: dict[str, str] = {}
        for equilibrium in self.result.equilibria:
            for name, p in equilibrium.outcome_probabilities.items():
                if p > 1e-12 and found.get(name) != "pure":
                    found[name] = "pure" if equilibrium.is_pure else "mixed"
        return found

    def payoff_range(self, player: int) -> tuple[float, float] | None:
        """The lowest and highest payoff of ``player`` over the equilibria (None without one)."""
        values = [float(e.payoffs[player]) for e in self.result.equilibria]
        return (min(values), max(values)) if values else None


@dataclass(frozen=True, eq=False)
class Comparison:
    """The base scenario and the chosen variants, solved."""

    title: str
    players: tuple[str, ...]
    outcomes: tuple[str, ...]
    rows: tuple[VariantRow, ...]

    def sentences(self) -> list[str]:
        """What each variant changes against the base scenario, in plain words.

        Examples
        --------
        >>> import negsim
        >>> comparison = compare(negsim.load("scenarios/neutrality_for_guarantees.yaml"), ["no guarantee"])
        >>> print(comparison.sentences()[1])  # doctest: +NORMALIZE_WHITESPACE
        With 'no guarantee' (the US and European powers offer nothing, so renunciation brings no
        guarantee): settlement, exposed neutrality and unanswered pledge are no longer equilibrium
        outcomes; Ukraine's equilibrium payoff is 0 (base: between 0 and 3); Russia's equilibrium
        payoff is 0 (base: between 0 and 6).
        """
        base = self.rows[0]
        lines = [f"Base scenario: {_outcome_words(base)}."]
        for row in self.rows[1:]:
            changes = []
            gained = [o for o in row.reached if o not in base.reached]
            lost = [o for o in base.reached if o not in row.reached]
            if gained:
                verb = "becomes an equilibrium outcome" if len(gained) == 1 else "become equilibrium outcomes"
                changes.append(f"{join_words(gained)} {verb}")
            if lost:
                verb = (
                    "is no longer an equilibrium outcome"
                    if len(lost) == 1
                    else "are no longer equilibrium outcomes"
                )
                changes.append(f"{join_words(lost)} {verb}")
            for player, name in enumerate(self.players):
                before, after = base.payoff_range(player), row.payoff_range(player)
                if before is None or after is None or np.allclose(before, after):
                    continue
                changes.append(
                    f"{possessive(name)} equilibrium payoff is {_range(after)} (base: {_range(before)})"
                )
            about = f" ({row.about})" if row.about else ""
            what = "; ".join(changes) if changes else f"nothing changes ({_outcome_words(row)})"
            lines.append(f"With '{row.label}'{about}: {what}.")
        return lines

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready data (the shape documented in the README)."""
        variants = []
        for row in self.rows:
            variants.append(
                {
                    "variant": row.name,
                    "about": row.about,
                    "outcomes": row.reached,
                    "equilibria": [
                        {
                            "payoffs": {p: float(v) for p, v in zip(self.players, e.payoffs)},
                            "outcomes": [n for n, p in e.outcome_probabilities.items() if p > 1e-12],
                            "pure": e.is_pure,
                        }
                        for e in row.result.equilibria
                    ],
                    "complete": row.result.complete,
                }
            )
        return {
            "title": self.title,
            "players": list(self.players),
            "outcomes": list(self.outcomes),
            "variants": variants,
            "summary": self.sentences(),
        }


def _range(values: tuple[float, float], *, compact: bool = False) -> str:
    low, high = values
    if np.isclose(low, high):
        return number(low)
    return f"{number(low)} to {number(high)}" if compact else f"between {number(low)} and {number(high)}"


def _outcome_words(row: VariantRow) -> str:
    reached = row.reached
    if not reached:
        return "no named outcome is an equilibrium outcome"
    parts = [
        name + (" (only in a mixed equilibrium)" if kind == "mixed" else "") for name, kind in reached.items()
    ]
    return f"equilibrium outcome{'s' if len(parts) > 1 else ''}: {join_words(parts)}"


def compare(
    scenario: Scenario, variants: Sequence[str] | None = None, *, tol: float = DEFAULT_TOLERANCE
) -> Comparison:
    """Solve the base scenario and each variant (all of them, or those named) for comparison.

    Parameter overrides already applied to ``scenario`` (``with_params``) hold in every row.
    """
    base = replace(scenario, variant_name=None)
    names = list(base.variants) if variants is None else list(variants)
    if not names:
        raise UsageError("this scenario defines no variants to compare; add a 'variants' section")
    rows = [VariantRow(None, "", base.solve(tol=tol))]
    for name in names:
        variant = base.variant(name)  # raises UsageError with a suggestion for an unknown name
        rows.append(VariantRow(name, base.variants[name].about, variant.solve(tol=tol)))
    game = rows[0].result.game
    return Comparison(base.title, game.players, tuple(game.outcomes), tuple(rows))


def render_comparison(comparison: Comparison) -> Any:
    """A rich table (one row per variant and party) followed by the sentences."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Variants compared: {comparison.title}", title_justify="left", show_lines=True)
    table.add_column("variant", overflow="fold")
    table.add_column("equilibrium outcomes", overflow="fold")
    for name in comparison.players:
        table.add_column(f"{name} gets", justify="right")
    for row in comparison.rows:
        outcomes = "\n".join(
            name + (" (mixed only)" if kind == "mixed" else "") for name, kind in row.reached.items()
        )
        spans = [row.payoff_range(player) for player in range(len(comparison.players))]
        payoffs = ["-" if span is None else _range(span, compact=True) for span in spans]
        table.add_row(row.label, outcomes or "-", *payoffs)
    lines = [Text(line) for line in comparison.sentences()]
    return Group(table, *lines)
