"""A report as one self-contained HTML file: inline style, embedded images, no scripts, no links out.

Every string that comes from a scenario or a game file is escaped, so a title such as
``<script>`` shows as text and never runs.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from html import escape

from negsim import __version__
from negsim.report.document import UNVERIFIED_WARNING, Citation, ReportDocument
from negsim.report.words import number

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1d1d1f;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.meta { color: #57606a; margin: 0 0 1rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa;
  padding: .1em .3em; border-radius: 3px; }
nav.toc { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1.25rem;
  margin: 1.5rem 0; }
nav.toc h2 { font-size: 1rem; margin: .5rem 0; border: 0; padding: 0; }
nav.toc ol { margin: 0 0 .5rem; padding-left: 1.25rem; }
a { color: #0550ae; }
.warning { border-left: 4px solid #cf222e; background: #fff1f0; padding: .75rem 1rem; margin: 1rem 0;
  border-radius: 0 6px 6px 0; }
.status { display: inline-block; font-size: .8em; padding: 0 .4em; border-radius: 3px;
  border: 1px solid #d0d7de; background: #f6f8fa; white-space: nowrap; }
.status.unverified { border-color: #cf222e; background: #ffebe9; color: #a40e26; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0 1.25rem; font-size: .95rem; }
th, td { border: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody.equilibrium + tbody.equilibrium { border-top: 2px solid #8c959f; }
ol.explanations li { margin-bottom: .6rem; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; border: 1px solid #d0d7de; }
figcaption { color: #57606a; font-size: .9rem; margin-top: .4rem; text-align: center; }
footer { margin-top: 3rem; color: #57606a; font-size: .85rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li, .warning { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_html(document: ReportDocument) -> str:
    """The report as one HTML page that needs nothing else to display.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> from negsim.report.document import build_document
    >>> scenario = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> page = render_html(build_document(ChartInput.from_scenario(scenario), "example.yaml", charts=()))
    >>> page.startswith("<!DOCTYPE html>"), "<h1>Neutrality for guarantees</h1>" in page
    (True, True)
    >>> '<span class="status unverified">UNVERIFIED</span>' in page, "http" in page
    (True, False)
    """
    sections = [(anchor, heading, _SECTIONS[anchor](document)) for anchor, heading in document.sections]

    title = escape(document.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}: negsim report</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{title}</h1>",
        f'<p class="meta">{_meta(document)}</p>',
        "</header>",
    ]
    if document.unverified:
        cited = ", ".join(_citation(c.citation) for c in document.unverified)
        warning = UNVERIFIED_WARNING.format(cited=cited, claims='<a href="#claims">the claims</a>')
        parts.append(f'<p class="warning"><strong>Unverified claims.</strong> {warning}</p>')
    toc = "".join(f'<li><a href="#{anchor}">{escape(heading)}</a></li>' for anchor, heading, _ in sections)
    parts.append(f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>')
    for anchor, heading, body in sections:
        parts.append(f'<section id="{anchor}">\n<h2>{escape(heading)}</h2>\n{body}\n</section>')
    parts += [
        f"<footer>Made with negsim {escape(__version__)}.</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _meta(document: ReportDocument) -> str:
    items = [f"Source: <code>{escape(document.source)}</code>"]
    if document.variant is not None:
        about = f" ({escape(document.variant_about)})" if document.variant_about else ""
        items.append(f"Variant: <strong>{escape(document.variant)}</strong>{about}")
    changed = document.changed_parameters
    if changed:
        items.append(
            "Changed parameters: "
            + ", ".join(f"<code>{escape(p.name)}</code> = {escape(number(p.value))}" for p in changed)
        )
    return " · ".join(items)


def _status(citation: Citation) -> str:
    kind = "status unverified" if citation.unverified else "status"
    return f'<span class="{kind}">{escape(citation.label)}</span>'


def _citation(citation: Citation) -> str:
    anchor = escape(citation.id)
    return f'<a href="#claim-{anchor}"><code>{anchor}</code></a> {_status(citation)}'


def _citations(citations: Iterable[Citation]) -> str:
    return "<br>".join(_citation(c) for c in citations)


def _table(headings: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    """A table; cells are HTML already, headings are escaped here."""
    right = set(numeric)
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(_cell(cell, i in right) for i, cell in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(content: str, numeric: bool) -> str:
    return f'<td class="number">{content}</td>' if numeric else f"<td>{content}</td>"


def _summary(document: ReportDocument) -> str:
    parts = []
    if document.description:
        parts.append(f"<p>{escape(document.description)}</p>")
    parts.append(f"<p><strong>{escape(document.summary)}</strong></p>")
    return "\n".join(parts)


def _equilibria(document: ReportDocument) -> str:
    if not document.equilibria:
        return "<p>No equilibrium to show.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in document.equilibrium_headings)
    groups = []
    for entry in document.equilibria:
        span = len(entry.plays)
        rows = []
        for position, play in enumerate(entry.plays):
            cells = [f'<td class="number" rowspan="{span}">{entry.number}</td>'] if position == 0 else []
            cells += [
                f"<td>{escape(play.party)}</td>",
                f"<td>{escape(play.plays_text)}</td>",
                f'<td class="number">{escape(number(play.payoff))}</td>',
            ]
            if document.has_outcomes and position == 0:
                cells.append(f'<td rowspan="{span}">{escape(entry.outcome_text or "-")}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        groups.append('<tbody class="equilibrium">' + "".join(rows) + "</tbody>")
    table = f"<table><thead><tr>{head}</tr></thead>{''.join(groups)}</table>"
    explanations = "".join(f"<li>{escape(e.description)}</li>" for e in document.equilibria)
    return f'{table}\n<h3>In plain words</h3>\n<ol class="explanations">{explanations}</ol>'


def _charts(document: ReportDocument) -> str:
    figures = []
    for index, chart in enumerate(document.charts, 1):
        data = base64.b64encode(chart.png).decode("ascii")
        description = escape(chart.description)
        figures.append(
            f'<figure id="chart-{escape(chart.kind)}"><img src="data:image/png;base64,{data}" '
            f'alt="{description}"><figcaption>Figure {index}: {description} '
            f"(<code>{escape(chart.kind)}</code>)</figcaption></figure>"
        )
    return "\n".join(figures)


def _parties(document: ReportDocument) -> str:
    parts = []
    for party in document.parties:
        parts.append(f"<h3>{escape(party.name)}</h3>")
        if party.about:
            parts.append(f"<p>{escape(party.about)}</p>")
        if party.claims:
            parts.append(f"<p>Claims: {_citations(party.claims)}</p>")
        rows = [
            [escape(c.label) + remark, escape(c.meaning), _citations(c.claims)]
            for c, remark in party.listed_choices
        ]
        parts.append(_table([party.choice_heading, "meaning", "claims"], rows))
        if party.has_options:
            strategies = ", ".join(escape(s) for s in party.strategies)
            parts.append(f"<p>Its strategies in this game: {strategies}.</p>")
    return "\n".join(parts)


def _parameters(document: ReportDocument) -> str:
    rows = []
    for p in document.parameters:
        value = escape(p.value_text)
        if p.changed:
            value += f"<br><small>(file: {escape(number(p.default))})</small>"
        name = f"<code>{escape(p.name)}</code>"
        rows.append([name, value, escape(p.range_text), escape(p.about), _citations(p.claims)])
    return _table(["name", "value used", "plausible range", "meaning", "claims"], rows, numeric=[1])


def _claims(document: ReportDocument) -> str:
    parts = []
    for claim in document.claims:
        citation = claim.citation
        note = f"<p>{escape(claim.note)}</p>" if claim.note else ""
        parts.append(
            f'<div class="claim" id="claim-{escape(citation.id)}">'
            f"<h3><code>{escape(citation.id)}</code> {_status(citation)}</h3>"
            f"<p><strong>{escape(claim.actor)}:</strong> {escape(claim.statement)}</p>"
            f"<p><em>Stated by:</em> {escape(claim.stated_by)}<br>"
            f"<em>Reported by:</em> {escape(claim.reported_by)}</p>"
            f"{note}</div>"
        )
    return "\n".join(parts)


def _notes(document: ReportDocument) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in document.note_items(escape)) + "</ul>"


#: What each section of :data:`~negsim.report.document.SECTIONS` shows, by anchor.
_SECTIONS: dict[str, Callable[[ReportDocument], str]] = {
    "summary": _summary,
    "equilibria": _equilibria,
    "charts": _charts,
    "parties": _parties,
    "parameters": _parameters,
    "claims": _claims,
    "notes": _notes,
}
