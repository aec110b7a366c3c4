"""``negsim report``: the report's content, its HTML and Markdown renderings, the command, a browser.

Every bundled scenario's report must carry its title, every claim it cites with that claim's
verification status, every parameter, every equilibrium's explanation and one embedded image
per chart kind that applies. The HTML page must be self-contained (no address outside the
page) and must escape whatever a scenario file says. When Chromium is installed, each page is
opened in it to check that it loads without errors and that every image is decoded.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import negsim
from negsim.cli import main
from negsim.plotting.charts import KINDS, ChartInput
from negsim.report.document import ReportDocument, build_document
from negsim.report.explain import cited_claims
from negsim.report.html import render_html
from negsim.report.markdown import escape as md_escape
from negsim.report.markdown import render_markdown
from negsim.report.tree import spe_sentences
from negsim.report.words import describe, number

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
NFG = ROOT / "tests" / "data" / "nfg" / "prisoners_dilemma.nfg"
PLEDGE = "ru-nonaggression-pledge"
IMAGE_TAG = '<img src="data:image/png;base64,'


def invoke(*arguments: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(arguments))


@dataclass(frozen=True)
class Built:
    """One bundled scenario's report, built once for all tests on it."""

    scenario: negsim.Scenario
    chart_input: ChartInput
    applicable: list[str]
    document: ReportDocument
    html: str
    markdown: str
    images: dict[str, bytes]


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def built(request: pytest.FixtureRequest) -> Built:
    scenario = negsim.load(request.param)
    chart_input = ChartInput.from_scenario(scenario)
    applicable = [name for name, kind in KINDS.items() if kind.applies(chart_input) is None]
    document = build_document(chart_input, str(request.param))
    markdown, images = render_markdown(document, "files")
    return Built(scenario, chart_input, applicable, document, render_html(document), markdown, images)


def test_bundled_scenarios_are_found() -> None:
    assert len(SCENARIOS) >= 3


# -- content --------------------------------------------------------------------------------------


def test_document_holds_everything(built: Built) -> None:
    document, result = built.document, built.chart_input.result
    assert document.title == built.scenario.title
    assert [c.citation.id for c in document.claims] == cited_claims(built.scenario)
    for claim in document.claims:
        assert claim.citation.status == built.scenario.claims.claims[claim.citation.id].verification
    assert [p.name for p in document.parameters] == list(built.scenario.parameters)
    tree = built.chart_input.tree
    if tree is None:
        assert [e.description for e in document.equilibria] == [
            describe(result, e, built.chart_input.phrases) for e in result.equilibria
        ]
    elif tree.spe is not None:
        assert [e.description for e in document.equilibria] == [
            " ".join(spe_sentences(spe, built.scenario.leaf_outcomes())) for spe in tree.spe.equilibria
        ]
    else:
        assert len(document.equilibria) == sum(tree.credible)
    assert [c.kind for c in document.charts] == built.applicable
    assert all(c.png.startswith(b"\x89PNG") for c in document.charts)


def test_the_pledge_is_flagged_unverified() -> None:
    document = build_document(
        ChartInput.from_scenario(negsim.load(ROOT / "scenarios" / "neutrality_for_guarantees.yaml")),
        "neutrality_for_guarantees.yaml",
        charts=(),
    )
    (pledge,) = [c for c in document.claims if c.citation.id == PLEDGE]
    assert pledge.citation.unverified and pledge.citation.label == "UNVERIFIED"
    assert pledge in document.unverified


def test_html_shows_everything(built: Built) -> None:
    page, document = built.html, built.document
    assert f"<h1>{html.escape(document.title)}</h1>" in page
    for claim in document.claims:
        kind = "status unverified" if claim.citation.unverified else "status"
        heading = f'<code>{claim.citation.id}</code> <span class="{kind}">{claim.citation.label}</span>'
        assert f'id="claim-{claim.citation.id}"><h3>{heading}</h3>' in page
    if PLEDGE in cited_claims(built.scenario):
        assert f'<code>{PLEDGE}</code> <span class="status unverified">UNVERIFIED</span>' in page
        assert "Unverified claims." in page
    for parameter in document.parameters:
        assert f'<code>{parameter.name}</code></td><td class="number">{parameter.value_text}' in page
    for equilibrium in document.equilibria:
        assert f"<li>{html.escape(equilibrium.description)}</li>" in page
    assert page.count(IMAGE_TAG) == len(built.applicable)
    for chart in document.charts:
        encoded = base64.b64encode(chart.png).decode("ascii")
        assert f'{IMAGE_TAG}{encoded}" alt="{html.escape(chart.description)}">' in page


def test_html_is_self_contained(built: Built) -> None:
    assert "http://" not in built.html
    assert "https://" not in built.html
    assert "<script" not in built.html
    assert "<link" not in built.html
    for target in re.findall(r'(?:src|href)="([^"]*)"', built.html):
        assert target.startswith(("data:image/png;base64,", "#")), target
    anchors = set(re.findall(r'id="([^"]+)"', built.html))
    for target in re.findall(r'href="#([^"]+)"', built.html):
        assert target in anchors


def test_markdown_shows_everything(built: Built) -> None:
    text, document = built.markdown, built.document
    assert text.startswith(f"# {md_escape(document.title)}\n")
    for claim in document.claims:
        label = f"**{claim.citation.label}**" if claim.citation.unverified else claim.citation.label
        assert f"### `{claim.citation.id}` ({label})" in text
    if PLEDGE in cited_claims(built.scenario):
        assert f"`{PLEDGE}` (**UNVERIFIED**)" in text
    for parameter in document.parameters:
        assert f"| `{parameter.name}` | {parameter.value_text} |" in text
    for equilibrium in document.equilibria:
        assert f"{equilibrium.number}. {md_escape(equilibrium.description)}" in text
    assert list(built.images) == [f"files/{kind}.png" for kind in built.applicable]
    for path, content in built.images.items():
        assert f"]({path})" in text
        assert content.startswith(b"\x89PNG")
    assert "http://" not in text and "https://" not in text


def test_user_strings_are_escaped() -> None:
    scenario = negsim.loads(
        """
negsim: 1
title: <script>alert("title")</script> & co
description: "*bold* <b>claims</b> | pipes"
players:
  a: {name: "A <i>", strategies: {left: {label: "<img src=x>"}, right: {}}}
  b: {name: B, strategies: [left, right]}
payoffs:
  terms:
    - {to: a, when: a.left and b.left, value: 2}
    - {to: b, when: a.left and b.left, value: 1}
    - {to: a, when: a.right and b.right, value: 1}
    - {to: b, when: a.right and b.right, value: 2}
"""
    )
    document = build_document(ChartInput.from_scenario(scenario), "<odd>.yaml", charts=())
    page = render_html(document)
    assert "<script" not in page and "<img" not in page and "<i>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; co" in page
    assert "&lt;img src=x&gt;" in page
    text, _ = render_markdown(document, "files")
    assert text.startswith('# \\<script\\>alert("title")\\</script\\> \\& co\n')
    assert "\\*bold\\* \\<b\\>claims\\</b\\> \\| pipes" in text
    assert "Source: `<odd>.yaml`" in text, "literal inside a code span"
    assert "<" not in text.replace("\\<", "").replace("`<odd>", "")


def test_gambit_file_has_no_claims_or_parameters() -> None:
    chart_input = ChartInput(negsim.solve(negsim.read_nfg(NFG)))
    document = build_document(chart_input, str(NFG), charts=())
    assert document.claims == () and document.parameters == ()
    assert [p.name for p in document.parties] == list(chart_input.result.game.players)
    page = render_html(document)
    assert 'id="claims"' not in page and 'id="parameters"' not in page
    assert 'id="equilibria"' in page and 'id="parties"' in page
    for equilibrium in document.equilibria:
        assert html.escape(equilibrium.description) in page


def test_changed_parameters_are_marked() -> None:
    scenario = negsim.load(ROOT / "scenarios" / "neutrality_for_guarantees.yaml")
    scenario = scenario.variant("no guarantee").with_params(pledge_cost=2)
    document = build_document(ChartInput.from_scenario(scenario), "x.yaml", charts=())
    assert document.variant == "no guarantee"
    changed = {p.name: (p.value, p.default) for p in document.parameters if p.changed}
    assert changed == {"guarantee_value": (0, 4), "pledge_cost": (2, 1)}
    page = render_html(document)
    assert "Variant: <strong>no guarantee</strong>" in page
    assert f"<code>pledge_cost</code> = {number(2)}" in page


# -- the command ----------------------------------------------------------------------------------


def expected_files(folder: Path, stem: str, kinds: list[str]) -> list[Path]:
    images = [folder / f"{stem}-report-files" / f"{kind}.png" for kind in kinds]
    return [folder / f"{stem}.html", folder / f"{stem}.md", *images]


def test_report_command_writes_html_markdown_and_images(built: Built, tmp_path: Path) -> None:
    source = Path(built.document.source)
    result = invoke("report", str(source), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    expected = expected_files(tmp_path, source.stem, built.applicable)
    assert result.stdout.splitlines() == [f"wrote {path}" for path in expected]
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(expected)
    assert expected[0].read_text(encoding="utf-8") == built.html
    markdown = expected[1].read_text(encoding="utf-8")
    for image in expected[2:]:
        assert f"]({source.stem}-report-files/{image.name})" in markdown
        assert image.read_bytes().startswith(b"\x89PNG")


def test_report_refuses_to_overwrite_and_force_replaces(tmp_path: Path) -> None:
    source = str(ROOT / "scenarios" / "guarantee_strength.yaml")
    markdown = tmp_path / "guarantee_strength.md"
    markdown.write_text("mine", encoding="utf-8")
    refused = invoke("report", source, "-o", str(tmp_path))
    assert refused.exit_code == 2
    assert f"{markdown} already exists; use --force" in refused.stderr
    assert markdown.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "guarantee_strength.html").exists(), "all or nothing"
    forced = invoke("report", source, "-o", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert markdown.read_text(encoding="utf-8").startswith("# How strong a guarantee?")


def test_report_variant_and_set(tmp_path: Path) -> None:
    source = str(ROOT / "scenarios" / "four_party_package.yaml")
    result = invoke("report", source, "--variant", "US only", "--set", "credibility=0.5", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "four_party_package-us-only.html").read_text(encoding="utf-8")
    assert "Variant: <strong>US only</strong>" in page
    assert "<code>credibility</code> = 0.5" in page
    assert (tmp_path / "four_party_package-us-only.md").exists()


def test_report_of_a_gambit_file(tmp_path: Path) -> None:
    result = invoke("report", str(NFG), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "prisoners_dilemma.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "prisoners_dilemma.md").read_text(encoding="utf-8")
    assert "Claims behind" not in page and "Parameters" not in page
    assert "## Equilibria" in markdown and "Claims behind" not in markdown


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.yaml"], "missing.yaml"),
        ([str(ROOT / "scenarios" / "four_party_package.yaml"), "--variant", "nope"], "unknown variant"),
        ([str(ROOT / "scenarios" / "guarantee_strength.yaml"), "--set", "nope=1"], "unknown parameter"),
        ([str(ROOT / "scenarios" / "guarantee_strength.yaml"), "--set", "credibility"], "NAME=VALUE"),
        ([str(NFG), "--variant", "x"], "not Gambit .nfg files"),
    ],
)
def test_report_errors_exit_2_and_write_nothing(arguments: list[str], message: str, tmp_path: Path) -> None:
    result = invoke("report", *arguments, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_report_help_does_not_import_matplotlib() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from negsim.cli import main\n"
        "assert CliRunner().invoke(main, ['report', '--help']).exit_code == 0\n"
        "print('matplotlib' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"


# -- in a real browser ----------------------------------------------------------------------------

#: Appended to a copy of a report (never to the report itself): counts images shown and errors.
PROBE = """
<script>
const errors = [];
window.addEventListener("error", (event) => {
  errors.push(event.message || ("failed to load " + (event.target.src || "").slice(0, 40)));
}, true);
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const shown = images.filter((image) => image.complete && image.naturalWidth > 0).length;
  const marker = document.createElement("pre");
  marker.id = "probe";
  marker.textContent = `shown=${shown} total=${images.length} errors=${JSON.stringify(errors)}`;
  document.body.appendChild(marker);
});
</script>
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed; .ci/run installs it where apt-get is available")
    return found


def browse(browser: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium, with no network and no background services."""
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reports_load_in_chromium_with_every_image_shown(tmp_path: Path) -> None:
    browser = chromium()
    for source in SCENARIOS:
        folder = tmp_path / source.stem
        assert invoke("report", str(source), "-o", str(folder)).exit_code == 0
        page = (folder / f"{source.stem}.html").read_text(encoding="utf-8")
        expected = page.count(IMAGE_TAG)
        assert expected > 0
        probed = folder / "probed.html"
        probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        completed = browse(browser, probed, tmp_path / "profile", "--dump-dom")
        assert completed.returncode == 0, completed.stderr[-2000:]
        found = re.search(r'<pre id="probe">shown=(\d+) total=(\d+) errors=(.*?)</pre>', completed.stdout)
        assert found is not None, f"{source.name} did not finish loading:\n{completed.stderr[-2000:]}"
        assert (int(found.group(1)), int(found.group(2))) == (expected, expected), source.name
        assert html.unescape(found.group(3)) == "[]", source.name
        assert "Uncaught" not in completed.stderr, completed.stderr
        assert ":CONSOLE" not in completed.stderr, completed.stderr
