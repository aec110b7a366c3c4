"""A report as Markdown, with its charts as PNG files in a folder beside it, linked relatively.

Strings from a scenario or a game file are escaped so that they show as written and never
turn into markup (or into raw HTML, which many Markdown viewers would pass through).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from negsim import __version__
from negsim.report.document import Citation, ReportDocument
from negsim.report.words import number

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def escape(text: str) -> str:
    """``text`` with Markdown's special characters escaped and line breaks made spaces.

    Examples
    --------
    >>> print(escape("<script>a_b | [c]*"))
    \\<script\\>a\\_b \\| \\[c\\]\\*
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def render_markdown(document: ReportDocument, images: str) -> tuple[str, dict[str, bytes]]:
    """The report as Markdown, and its images by path relative to the Markdown file.

    Charts are stored as ``<images>/<kind>.png`` and linked with that relative path.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> from negsim.report.document import ChartEntry, build_document
    >>> scenario = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> chart = ChartEntry("matrix", "payoff matrix", b"png bytes")
    >>> document = build_document(ChartInput.from_scenario(scenario), "example.yaml", charts=[chart])
    >>> text, files = render_markdown(document, "example report-files")
    >>> text.splitlines()[0], list(files)
    ('# Neutrality for guarantees', ['example report-files/matrix.png'])
    >>> "![payoff matrix](example%20report-files/matrix.png)" in text
    True
    """
    sections = [
        ("Summary", _summary(document)),
        ("Equilibria", _equilibria(document)),
    ]
    files: dict[str, bytes] = {}
    if document.charts:
        figures = []
        for index, chart in enumerate(document.charts, 1):
            path = f"{images}/{chart.kind}.png"
            files[path] = chart.png
            description = escape(chart.description)
            figures.append(
                f"![{description}]({quote(path)})\n\n*Figure {index}: {description} (`{chart.kind}`)*"
            )
        sections.append(("Charts", "\n\n".join(figures)))
    sections.append(("Parties and their choices", _parties(document)))
    if document.parameters:
        sections.append(("Parameters", _parameters(document)))
    if document.claims:
        sections.append(("Claims behind this scenario", _claims(document)))
    sections.append(("Notes", _notes(document)))

    parts = [f"# {escape(document.title)}", _meta(document)]
    if document.unverified:
        cited = ", ".join(_citation(c.citation) for c in document.unverified)
        parts.append(
            f"> **Unverified claims.** This analysis rests in part on claims nobody independent has "
            f"confirmed: {cited}. Read its conclusions with that in mind (see the claims below)."
        )
    parts.append("## Contents\n\n" + "\n".join(f"- [{h}](#{_slug(h)})" for h, _ in sections))
    parts += [f"## {heading}\n\n{body}" for heading, body in sections]
    parts.append(f"*Made with negsim {__version__}.*")
    return "\n\n".join(parts) + "\n", files


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def _meta(document: ReportDocument) -> str:
    items = [f"Source: `{document.source.replace('`', '')}`"]
    if document.variant is not None:
        about = f" ({escape(document.variant_about)})" if document.variant_about else ""
        items.append(f"Variant: **{escape(document.variant)}**{about}")
    changed = [p for p in document.parameters if p.changed]
    if changed:
        items.append("Changed parameters: " + ", ".join(f"`{p.name}` = {number(p.value)}" for p in changed))
    return "  \n".join(items)


def _citation(citation: Citation) -> str:
    return f"`{citation.id}` ({_citation_label(citation)})"


def _citations(citations: Iterable[Citation]) -> str:
    return ", ".join(_citation(c) for c in citations)


def _table(headings: list[str], rows: Iterable[list[str]], numeric: Iterable[int] = ()) -> str:
    """A pipe table; cells are Markdown already."""
    right = set(numeric)
    lines = [
        "| " + " | ".join(headings) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(headings))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _summary(document: ReportDocument) -> str:
    parts = [escape(document.description)] if document.description else []
    parts.append(f"**{escape(document.summary)}**")
    return "\n\n".join(parts)


def _equilibria(document: ReportDocument) -> str:
    if not document.equilibria:
        return "No equilibrium to show."
    headings = ["#", "party", "plays", "gets"] + (["outcome"] if document.has_outcomes else [])
    rows = []
    for entry in document.equilibria:
        for position, play in enumerate(entry.plays):
            first = position == 0
            row = [str(entry.number) if first else "", escape(play.party), escape(play.plays_text)]
            row.append(number(play.payoff))
            if document.has_outcomes:
                row.append(escape(entry.outcome_text or "-") if first else "")
            rows.append(row)
    explanations = "\n".join(f"{e.number}. {escape(e.description)}" for e in document.equilibria)
    return f"{_table(headings, rows, numeric=[0, 3])}\n\n### In plain words\n\n{explanations}"


def _parties(document: ReportDocument) -> str:
    parts = []
    for party in document.parties:
        parts.append(f"### {escape(party.name)}")
        if party.about:
            parts.append(escape(party.about))
        if party.claims:
            parts.append(f"Claims: {_citations(party.claims)}")
        if any(choice.kind == "option" for choice in party.choices):
            rows = [
                [escape(c.label), escape(c.meaning), _citations(c.claims)]
                for c in party.choices
                if c.kind == "option"
            ]
            parts.append(_table(["yes/no option", "meaning", "claims"], rows))
            parts.append(f"Its strategies in this game: {', '.join(escape(s) for s in party.strategies)}.")
        else:
            available = set(party.strategies)
            rows = [
                [
                    escape(c.label) + ("" if c.label in available else " (ruled out by the variant)"),
                    escape(c.meaning),
                    _citations(c.claims),
                ]
                for c in party.choices
            ]
            parts.append(_table(["strategy", "meaning", "claims"], rows))
    return "\n\n".join(parts)


def _parameters(document: ReportDocument) -> str:
    rows = []
    for p in document.parameters:
        value = escape(p.value_text) + (f" (file: {number(p.default)})" if p.changed else "")
        rows.append([f"`{p.name}`", value, p.range_text, escape(p.about), _citations(p.claims)])
    return _table(["name", "value used", "plausible range", "meaning", "claims"], rows, numeric=[1])


def _claims(document: ReportDocument) -> str:
    parts = []
    for claim in document.claims:
        lines = [
            f"### {_citation(claim.citation)}",
            f"**{escape(claim.actor)}:** {escape(claim.statement)}",
            f"*Stated by:* {escape(claim.stated_by)}  \n*Reported by:* {escape(claim.reported_by)}",
        ]
        if claim.note:
            lines.append(escape(claim.note))
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


def _citation_label(citation: Citation) -> str:
    return f"**{citation.label}**" if citation.unverified else citation.label


def _notes(document: ReportDocument) -> str:
    items = []
    if document.dominated:
        removed = "; ".join(f"{escape(p)}: {escape(', '.join(s))}" for p, s in document.dominated)
        items.append(f"Strictly dominated (never worth playing): {removed}.")
    items += [escape(note) for note in document.notes]
    return "\n".join(f"- {item}" for item in items)
