"""A report as Markdown, with its charts as PNG files in a folder beside it, linked relatively.

Strings from a scenario or a game file are escaped so that they show as written and never
turn into markup (or into raw HTML, which many Markdown viewers would pass through).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote

from negsim import __version__
from negsim.report.document import UNVERIFIED_WARNING, Citation, ReportDocument
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
    files = {f"{images}/{chart.kind}.png": chart.png for chart in document.charts}
    renderers: dict[str, Callable[[ReportDocument], str]] = {
        "summary": _summary,
        "equilibria": _equilibria,
        "charts": lambda document: _charts(document, images),
        "parties": _parties,
        "parameters": _parameters,
        "claims": _claims,
        "notes": _notes,
    }
    sections = [(heading, renderers[anchor](document)) for anchor, heading in document.sections]

    parts = [f"# {escape(document.title)}", _meta(document)]
    if document.unverified:
        cited = ", ".join(_citation(c.citation) for c in document.unverified)
        warning = UNVERIFIED_WARNING.format(cited=cited, claims="the claims below")
        parts.append(f"> **Unverified claims.** {warning}")
    parts.append("## Contents\n\n" + "\n".join(f"- [{h}](#{_slug(h)})" for h, _ in sections))
    parts += [f"## {heading}\n\n{body}" for heading, body in sections]
    parts.append(f"*Made with negsim {__version__}.*")
    return "\n\n".join(parts) + "\n", files


def _charts(document: ReportDocument, images: str) -> str:
    figures = []
    for index, chart in enumerate(document.charts, 1):
        path = f"{images}/{chart.kind}.png"
        description = escape(chart.description)
        figures.append(f"![{description}]({quote(path)})\n\n*Figure {index}: {description} (`{chart.kind}`)*")
    return "\n\n".join(figures)


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def _meta(document: ReportDocument) -> str:
    items = [f"Source: `{document.source.replace('`', '')}`"]
    if document.variant is not None:
        about = f" ({escape(document.variant_about)})" if document.variant_about else ""
        items.append(f"Variant: **{escape(document.variant)}**{about}")
    changed = document.changed_parameters
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
    table = _table(document.equilibrium_headings, rows, numeric=[0, 3])
    return f"{table}\n\n### In plain words\n\n{explanations}"


def _parties(document: ReportDocument) -> str:
    parts = []
    for party in document.parties:
        parts.append(f"### {escape(party.name)}")
        if party.about:
            parts.append(escape(party.about))
        if party.claims:
            parts.append(f"Claims: {_citations(party.claims)}")
        rows = [
            [escape(c.label) + remark, escape(c.meaning), _citations(c.claims)]
            for c, remark in party.listed_choices
        ]
        parts.append(_table([party.choice_heading, "meaning", "claims"], rows))
        if party.has_options:
            parts.append(f"Its strategies in this game: {', '.join(escape(s) for s in party.strategies)}.")
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
    return "\n".join(f"- {item}" for item in document.note_items(escape))
