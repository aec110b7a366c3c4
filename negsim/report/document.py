"""A full report's content, built once as plain data that the HTML and Markdown renderers share.

:func:`build_document` gathers everything a reader needs from a solved scenario (or a Gambit
game): what is modelled, the claims it rests on and how far each is verified, the numbers
used, each party's choices, the equilibria in a table and in plain words, and the charts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negsim.plotting.charts import choose, render_all
from negsim.report.explain import cited_claims
from negsim.report.words import describe, number, percent, summary

if TYPE_CHECKING:
    from negsim.plotting.charts import ChartInput
    from negsim.scenario.model import Scenario, ScenarioBase
    from negsim.scenario.sequential import SequentialScenario
    from negsim.solvers.result import Equilibrium, SolveResult
    from negsim.solvers.sequential import TreeResult

#: How each verification status is shown; unverified claims are shouted so no reader misses them.
STATUS_LABELS = {
    "unverified": "UNVERIFIED",
    "reported": "reported",
    "established": "established",
    "interpretation": "interpretation",
}


#: Every section a report can have, as ``(anchor, heading)``, in reading order.
SECTIONS = (
    ("summary", "Summary"),
    ("equilibria", "Equilibria"),
    ("charts", "Charts"),
    ("parties", "Parties and their choices"),
    ("parameters", "Parameters"),
    ("claims", "Claims behind this scenario"),
    ("notes", "Notes"),
)

#: The warning above a report that rests on unverified claims; ``{cited}`` lists them and
#: ``{claims}`` points to the claims section.
UNVERIFIED_WARNING = (
    "This analysis rests in part on claims nobody independent has confirmed: {cited}. "
    "Read its conclusions with that in mind (see {claims})."
)


@dataclass(frozen=True)
class Citation:
    """A claim id as cited by some part of the scenario, with its verification status."""

    id: str
    status: str

    @property
    def label(self) -> str:
        """The status as shown to readers (``UNVERIFIED`` in capitals)."""
        return STATUS_LABELS[self.status]

    @property
    def unverified(self) -> bool:
        """Whether nobody independent has confirmed the claim."""
        return self.status == "unverified"


@dataclass(frozen=True)
class ClaimEntry:
    """One claim behind the scenario, in the scenario's own words."""

    citation: Citation
    actor: str
    statement: str
    stated_by: str
    reported_by: str
    note: str


@dataclass(frozen=True)
class ParameterEntry:
    """One parameter: the value used, where that value came from, and what it means."""

    name: str
    value: float
    default: float
    unit: str
    range: tuple[float, float] | None
    about: str
    claims: tuple[Citation, ...]

    @property
    def changed(self) -> bool:
        """Whether a variant or an override moved the value away from the file's."""
        return self.value != self.default

    @property
    def value_text(self) -> str:
        """The value with its unit, e.g. ``4 utils``."""
        return number(self.value) + (f" {self.unit}" if self.unit else "")

    @property
    def range_text(self) -> str:
        """The plausible range, e.g. ``0 to 10``, or an empty string."""
        return f"{number(self.range[0])} to {number(self.range[1])}" if self.range else ""


@dataclass(frozen=True)
class ChoiceEntry:
    """A strategy or a yes/no option of a party."""

    kind: str
    label: str
    meaning: str
    claims: tuple[Citation, ...]


@dataclass(frozen=True)
class PartyEntry:
    """A party with what it is, the choices declared for it and the strategies in the game."""

    name: str
    about: str
    claims: tuple[Citation, ...]
    choices: tuple[ChoiceEntry, ...]
    strategies: tuple[str, ...]

    @property
    def has_options(self) -> bool:
        """Whether the party's choices are yes/no options (its strategies combine them)."""
        return any(choice.kind == "option" for choice in self.choices)

    @property
    def choice_heading(self) -> str:
        """The heading of the first column of the party's table of choices."""
        if any(choice.kind == "move" for choice in self.choices):
            return "move"
        return "yes/no option" if self.has_options else "strategy"

    @property
    def listed_choices(self) -> tuple[tuple[ChoiceEntry, str], ...]:
        """``(choice, remark after its label)`` for each row of the party's table of choices.

        The yes/no options when the party has any, otherwise its strategies, with a remark on
        each one the variant rules out.

        Examples
        --------
        >>> choices = (ChoiceEntry("strategy", "talk", "", ()), ChoiceEntry("strategy", "wait", "", ()))
        >>> party = PartyEntry("A", "", (), choices, ("talk",))
        >>> [choice.label + remark for choice, remark in party.listed_choices]
        ['talk', 'wait (ruled out by the variant)']
        """
        if self.has_options:
            return tuple((c, "") for c in self.choices if c.kind == "option")
        available = set(self.strategies)
        return tuple((c, "" if c.label in available else " (ruled out by the variant)") for c in self.choices)


@dataclass(frozen=True)
class PlayEntry:
    """What one party does and gets in one equilibrium."""

    party: str
    strategies: tuple[tuple[str, float], ...]
    payoff: float

    @property
    def plays_text(self) -> str:
        """The strategy, or each strategy of a mix with its probability."""
        if len(self.strategies) == 1:
            return self.strategies[0][0]
        return ", ".join(f"{label} {percent(p)}" for label, p in self.strategies)


@dataclass(frozen=True)
class EquilibriumEntry:
    """One equilibrium: each party's play and payoff, the outcomes reached, the explanation."""

    number: int
    plays: tuple[PlayEntry, ...]
    outcomes: tuple[tuple[str, float], ...]
    description: str

    @property
    def outcome_text(self) -> str:
        """The outcome reached, or each outcome with its probability."""
        if len(self.outcomes) == 1 and self.outcomes[0][1] > 1 - 1e-9:
            return self.outcomes[0][0]
        return ", ".join(f"{name} {percent(p)}" for name, p in self.outcomes)


@dataclass(frozen=True)
class ChartEntry:
    """One chart: its kind, what it shows, and the image."""

    kind: str
    description: str
    png: bytes


@dataclass(frozen=True)
class ReportDocument:
    """Everything a report shows, in reading order."""

    title: str
    description: str
    source: str
    variant: str | None
    variant_about: str
    claims: tuple[ClaimEntry, ...]
    parameters: tuple[ParameterEntry, ...]
    parties: tuple[PartyEntry, ...]
    has_outcomes: bool
    summary: str
    equilibria: tuple[EquilibriumEntry, ...]
    dominated: tuple[tuple[str, tuple[str, ...]], ...]
    notes: tuple[str, ...]
    charts: tuple[ChartEntry, ...]

    @property
    def unverified(self) -> tuple[ClaimEntry, ...]:
        """The claims nobody independent has confirmed."""
        return tuple(c for c in self.claims if c.citation.unverified)

    @property
    def changed_parameters(self) -> tuple[ParameterEntry, ...]:
        """The parameters whose value differs from the file's."""
        return tuple(p for p in self.parameters if p.changed)

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        """``(anchor, heading)`` of each of :data:`SECTIONS` this report has something for."""
        optional = {"charts": self.charts, "parameters": self.parameters, "claims": self.claims}
        return tuple((anchor, heading) for anchor, heading in SECTIONS if optional.get(anchor, True))

    @property
    def equilibrium_headings(self) -> list[str]:
        """Column headings of the table of equilibria."""
        return ["#", "party", "plays", "gets"] + (["outcome"] if self.has_outcomes else [])

    def note_items(self, escape: Callable[[str], str]) -> list[str]:
        """The notes, each text from the game passed through ``escape``: dominated strategies first.

        Examples
        --------
        >>> import negsim
        >>> from negsim.plotting.charts import ChartInput
        >>> game = negsim.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> document = build_document(ChartInput(negsim.solve(game)), "pd.nfg", charts=())
        >>> document.note_items(str.upper)[0]
        'Strictly dominated (never worth playing): PLAYER 1: 1; PLAYER 2: 1.'
        """
        items = []
        if self.dominated:
            removed = "; ".join(f"{escape(p)}: {escape(', '.join(s))}" for p, s in self.dominated)
            items.append(f"Strictly dominated (never worth playing): {removed}.")
        items += [escape(note) for note in self.notes]
        return items


def build_document(
    chart_input: ChartInput, source: str, *, charts: Sequence[ChartEntry] | None = None
) -> ReportDocument:
    """The content of a report on ``chart_input`` (read from the file ``source``).

    ``charts`` defaults to every chart kind that applies (see :func:`draw_charts`).

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> scenario = negsim.load("scenarios/neutrality_for_guarantees.yaml").variant("strong guarantee")
    >>> document = build_document(ChartInput.from_scenario(scenario), "example.yaml", charts=())
    >>> document.title, document.variant
    ('Neutrality for guarantees', 'strong guarantee')
    >>> [c.citation.id for c in document.unverified]
    ['ru-nonaggression-pledge', 'ru-legal-form']
    >>> [(p.name, p.value_text) for p in document.parameters if p.changed]
    [('guarantee_value', '8 utils')]
    >>> [e.plays[0].plays_text for e in document.equilibria]
    ['renounce NATO bid']
    """
    if charts is None:
        charts = draw_charts(chart_input)
    if chart_input.tree is not None:
        return _tree_document(chart_input.tree, chart_input.sequential, source, charts)
    result = chart_input.solved
    scenario = chart_input.scenario
    equilibria = tuple(
        _equilibrium(result, index, equilibrium, chart_input.phrases)
        for index, equilibrium in enumerate(result.equilibria, 1)
    )
    header = _header(scenario, result.game.title)
    parties = tuple(
        PartyEntry(name, "", (), tuple(ChoiceEntry("strategy", s, "", ()) for s in labels), tuple(labels))
        for name, labels in zip(result.game.players, result.game.strategies)
    )
    if scenario is not None:
        parties = _parties(scenario, result)
    return ReportDocument(
        **header,
        source=source,
        parties=parties,
        has_outcomes=bool(result.game.outcomes),
        summary=summary(result),
        equilibria=equilibria,
        dominated=tuple((p, tuple(s)) for p, s in result.dominated.items()),
        notes=_notes(result),
        charts=tuple(charts),
    )


def _header(scenario: ScenarioBase | None, title: str) -> dict[str, Any]:
    """The report fields that come from the scenario file (``title`` alone for a Gambit file)."""
    if scenario is None:
        return {
            "title": title,
            "description": "",
            "variant": None,
            "variant_about": "",
            "claims": (),
            "parameters": (),
        }
    variant = scenario.variant_name
    return {
        "title": scenario.title,
        "description": scenario.description,
        "variant": variant,
        "variant_about": scenario.variants[variant].about if variant is not None else "",
        "claims": _claims(scenario),
        "parameters": _parameters(scenario),
    }


def draw_charts(chart_input: ChartInput) -> tuple[ChartEntry, ...]:
    """A PNG of every chart kind that applies to ``chart_input``, in the registry's order."""
    kinds = choose(chart_input)
    images = render_all(chart_input, kinds, "png")
    return tuple(ChartEntry(kind.name, kind.description, image) for kind, image in zip(kinds, images))


def _cite(scenario: ScenarioBase, claim_ids: Iterable[str]) -> tuple[Citation, ...]:
    known = scenario.claims.claims
    return tuple(Citation(claim_id, known[claim_id].verification) for claim_id in claim_ids)


def _claims(scenario: ScenarioBase) -> tuple[ClaimEntry, ...]:
    entries = []
    for citation in _cite(scenario, cited_claims(scenario)):
        claim = scenario.claims.claims[citation.id]
        entries.append(
            ClaimEntry(citation, claim.actor, claim.statement, claim.stated_by, claim.reported_by, claim.note)
        )
    return tuple(entries)


def _parameters(scenario: ScenarioBase) -> tuple[ParameterEntry, ...]:
    values = scenario.parameter_values()
    return tuple(
        ParameterEntry(
            name=name,
            value=values[name],
            default=parameter.value,
            unit=parameter.unit or "",
            range=(parameter.range[0], parameter.range[1]) if parameter.range else None,
            about=parameter.about,
            claims=_cite(scenario, parameter.claims),
        )
        for name, parameter in scenario.parameters.items()
    )


def _parties(scenario: Scenario, result: SolveResult) -> tuple[PartyEntry, ...]:
    parties = []
    for compiled, player, labels in zip(
        scenario.compiled.players, scenario.compiled.spec.players.values(), result.game.strategies
    ):
        choices: list[ChoiceEntry] = []
        for key, strategy in (player.strategies or {}).items():
            meaning = strategy.about or compiled.phrases[compiled.strategy_keys.index(key)]
            choices.append(
                ChoiceEntry("strategy", strategy.label or key, meaning, _cite(scenario, strategy.claims))
            )
        for key, option in (player.options or {}).items():
            meaning = option.about or option.yes or ""
            cites = _cite(scenario, option.claims)
            choices.append(ChoiceEntry("option", option.label or key, meaning, cites))
        cites = _cite(scenario, player.claims)
        parties.append(PartyEntry(player.name, player.about, cites, tuple(choices), tuple(labels)))
    return tuple(parties)


def _equilibrium(
    result: SolveResult, index: int, equilibrium: Equilibrium, phrases: Sequence[Sequence[str]] | None
) -> EquilibriumEntry:
    game = result.game
    plays = []
    for name, labels, mix, payoff in zip(
        game.players, game.strategies, equilibrium.strategies, equilibrium.payoffs
    ):
        support = sorted((int(k) for k in np.flatnonzero(mix > 0)), key=lambda k: -mix[k])
        plays.append(PlayEntry(name, tuple((labels[k], float(mix[k])) for k in support), float(payoff)))
    reached = sorted(
        ((name, float(p)) for name, p in equilibrium.outcome_probabilities.items() if p > 1e-12),
        key=lambda item: -item[1],
    )
    return EquilibriumEntry(index, tuple(plays), tuple(reached), describe(result, equilibrium, phrases))


def _notes(result: SolveResult) -> tuple[str, ...]:
    notes = []
    if result.value is not None:
        notes.append(f"Zero-sum game: its value to {result.game.players[0]} is {number(result.value)}.")
    notes.append(
        f"Method: {result.method}. Every equilibrium was checked: no player gains more than "
        f"{result.tolerance:.2g} by deviating."
    )
    notes.extend(result.notes)
    return tuple(notes)


def _tree_document(
    result: TreeResult, scenario: SequentialScenario | None, source: str, charts: Sequence[ChartEntry]
) -> ReportDocument:
    """The report of a game tree: subgame-perfect play (or the credible equilibria), then the rest."""
    from negsim.report.tree import (
        SHOWN_LAPSES,
        lapse_groups,
        nash_leaves,
        nash_outcome,
        reached_outcomes,
        spe_sentences,
    )
    from negsim.report.tree import summary as tree_summary

    tree = result.tree
    outcomes = scenario.leaf_outcomes() if scenario is not None else None
    entries: list[EquilibriumEntry] = []
    for index, spe in enumerate(result.spe.equilibria if result.spe is not None else (), 1):
        plays_ = spe.plays()
        moves: dict[int, list[str]] = {}
        for _, nodes in plays_[:1]:
            for parent, child in itertools.pairwise(nodes):
                if tree.player[parent] >= 0:
                    moves.setdefault(int(tree.player[parent]), []).append(tree.move_name(child))
        plays = tuple(
            PlayEntry(
                name, ((" then ".join(moves.get(p, [])) or "(does not move)", 1.0),), float(spe.payoffs[p])
            )
            for p, name in enumerate(tree.players)
        )
        reached = _sorted(reached_outcomes(outcomes, [(p, nodes[-1]) for p, nodes in plays_]))
        entries.append(EquilibriumEntry(index, plays, reached, " ".join(spe_sentences(spe, outcomes))))
    if result.spe is None and result.nash is not None:
        credible = [i for i, ok in enumerate(result.credible) if ok]
        for number_, index in enumerate(credible, 1):
            equilibrium = result.nash.equilibria[index]
            entry = _equilibrium(result.nash, number_, equilibrium, None)
            reached = _sorted(reached_outcomes(outcomes, nash_leaves(result, index)))
            entries.append(
                EquilibriumEntry(number_, entry.plays, reached, nash_outcome(result, index, outcomes))
            )
    groups = lapse_groups(result)
    notes = [f"Not credible: {sentence}" for sentence, _ in groups[:SHOWN_LAPSES]]
    if len(groups) > SHOWN_LAPSES:
        notes.append(
            f"{len(groups) - SHOWN_LAPSES} more moves are not credible (negsim solve --json lists them)."
        )
    if scenario is not None:
        notes += scenario.commitments()
    notes += list(result.notes)
    header = _header(scenario, tree.title)
    parties = tuple(PartyEntry(name, "", (), (), ()) for name in tree.players)
    if scenario is not None:
        parties = _tree_parties(scenario)
    return ReportDocument(
        **header,
        source=source,
        parties=parties,
        has_outcomes=outcomes is not None and bool(outcomes),
        summary=tree_summary(result, outcomes),
        equilibria=tuple(entries),
        dominated=(),
        notes=tuple(notes),
        charts=tuple(charts),
    )


def _sorted(reached: dict[str, float]) -> tuple[tuple[str, float], ...]:
    """Outcomes with their probabilities, likeliest first."""
    return tuple(sorted(reached.items(), key=lambda item: -item[1]))


def _tree_parties(scenario: SequentialScenario) -> tuple[PartyEntry, ...]:
    spec = scenario.compiled.spec
    parties = []
    for key, player in spec.players.items():
        choices = []
        for node in spec.tree.nodes.values():
            if node.player != key:
                continue
            for name, move in node.moves.items():
                meaning = move.about or move.does or node.about
                choices.append(ChoiceEntry("move", move.label or name, meaning, _cite(scenario, move.claims)))
        labels = tuple(dict.fromkeys(c.label for c in choices))
        unique = tuple({c.label: c for c in choices}.values())
        parties.append(PartyEntry(player.name, player.about, _cite(scenario, player.claims), unique, labels))
    return tuple(parties)
