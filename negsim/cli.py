"""The ``negsim`` command: a thin shell over the library.

Each command parses its arguments, calls the library, and prints. Every error a user can
cause is reported as plain messages (file:line:column where there is one) with exit status
2 and no traceback; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import contextlib
import shlex
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from negsim import __version__

if TYPE_CHECKING:
    from negsim.game.normal_form import NormalFormGame
    from negsim.game.tree import GameTree
    from negsim.scenario import Scenario
    from negsim.scenario.load import AnyScenario
    from negsim.scenario.sequential import SequentialScenario
    from negsim.solvers.result import SolveResult
    from negsim.solvers.sequential import TreeResult

EXIT_INPUT = 2


class _Context:
    debug = False


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """Turn negsim's errors into plain messages and exit status 2."""
    from negsim.errors import InputError, NegsimError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        _print_warnings(caught)
    except InputError as exc:
        if _Context.debug:
            raise
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = sum(p.severity == "error" for p in exc.problems)
        click.echo(f"negsim: {count} problem{'s' if count != 1 else ''} found; nothing was written", err=True)
        sys.exit(EXIT_INPUT)
    except NegsimError as exc:
        if _Context.debug:
            raise
        click.echo(f"negsim: error: {exc}", err=True)
        sys.exit(EXIT_INPUT)


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    from negsim.errors import DegenerateGameWarning, NegsimWarning

    for item in caught:
        if issubclass(item.category, DegenerateGameWarning):
            continue  # already stated in the result's notes
        if issubclass(item.category, NegsimWarning):
            text = str(item.message)
            click.echo(text if ": warning: " in text else f"negsim: warning: {text}", err=True)


def _parse_sets(values: tuple[str, ...]) -> dict[str, float]:
    from negsim.errors import UsageError

    result: dict[str, float] = {}
    for item in values:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        try:
            result[name.strip()] = float(text)
        except ValueError:
            raise UsageError(f"--set {name.strip()}: {text!r} is not a number") from None
    return result


def _scenario(file: str, sets: tuple[str, ...], variant: str | None) -> AnyScenario:
    from negsim.scenario import load

    scenario = load(file)
    if variant is not None:
        scenario = scenario.variant(variant)
    values = _parse_sets(sets)
    return scenario.with_params(**values) if values else scenario


def _is_gambit(file: str) -> bool:
    return file.lower().endswith(".nfg")


def _is_gambit_tree(file: str) -> bool:
    return file.lower().endswith(".efg")


def _no_scenario_options(file: str, sets: tuple[str, ...], variant: str | None) -> None:
    from negsim.errors import UsageError

    if sets or variant:
        kind = Path(file).suffix.lower()
        raise UsageError(f"--set and --variant apply to scenario files, not Gambit {kind} files")


def _gambit_game(file: str, sets: tuple[str, ...], variant: str | None) -> NormalFormGame:
    from negsim.io import read_nfg

    _no_scenario_options(file, sets, variant)
    return read_nfg(file)


def _gambit_tree(file: str, sets: tuple[str, ...], variant: str | None) -> GameTree:
    from negsim.io.efg import read_efg

    _no_scenario_options(file, sets, variant)
    return read_efg(file)


def _sequential(scenario: AnyScenario) -> SequentialScenario | None:
    from negsim.scenario.sequential import SequentialScenario

    return scenario if isinstance(scenario, SequentialScenario) else None


def _stem(file: str, variant: str | None) -> str:
    """The name of written files: the input file's stem, and the variant's if there is one."""
    return Path(file).stem + (f"-{_slug(variant)}" if variant else "")


def _write(outputs: Mapping[Path, bytes | str], force: bool) -> None:
    from negsim.report.output import write_files

    for path in write_files(outputs, force=force):
        click.echo(f"wrote {path}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="negsim")  # works from a source checkout too
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
def main(debug: bool) -> None:
    """negsim: negotiation game-theory simulator.

    Write the parties' positions as a YAML scenario, then solve it:

        negsim solve scenarios/neutrality_for_guarantees.yaml
    """
    _Context.debug = debug


_set_option = click.option(
    "--set", "sets", multiple=True, metavar="NAME=VALUE", help="Override a parameter (repeatable)."
)
_variant_option = click.option("--variant", metavar="NAME", help="Apply a named variant from the file.")
_force_option = click.option("--force", is_flag=True, help="Overwrite existing files.")


_json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document instead of tables and sentences."
)
_format_option = click.option(
    "--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default="png", show_default=True
)


def _also_write_option(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "-o",
        "--output",
        "folder",
        default=None,
        type=click.Path(file_okay=False),
        help=f"Also write {what} into this folder.",
    )


def _output_option(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "-o",
        "--output",
        "folder",
        default=".",
        show_default=True,
        type=click.Path(file_okay=False),
        help=f"Folder to write {what} into.",
    )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def validate(file: str) -> None:
    """Check a scenario file and report every problem at once."""
    with _reported():
        from negsim.scenario import check

        scenario, notes = check(file)
        for note in notes:
            click.echo(str(note), err=True)
        counts = [
            (len(scenario.parameters), "parameter"),
            (len(scenario.compiled.outcomes), "outcome"),
            (len(scenario.variants), "variant"),
        ]
        tree = _sequential(scenario)
        if tree is not None:
            game_tree = tree.tree()
            shape = f"a tree of {game_tree.n_nodes} nodes and {len(game_tree.terminals)} ends"
        else:
            players = cast("Scenario", scenario).compiled.players
            shape = " x ".join(str(len(p.strategy_keys)) for p in players) + " strategies"
        click.echo(
            f"{file}: valid: {len(scenario.players)} players ({shape}), "
            + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
        )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_set_option
@_variant_option
@_json_option
@click.option(
    "--method", default="auto", show_default=True, help="auto, enumerate, lemke-howson, zero-sum or pure."
)
@click.option("--tol", type=float, default=None, help="Regret tolerance relative to the payoff scale.")
def solve(
    file: str, sets: tuple[str, ...], variant: str | None, as_json: bool, method: str, tol: float | None
) -> None:
    """Find and verify the Nash equilibria of a scenario (or a Gambit .nfg file)."""
    with _reported():
        from negsim.solvers import DEFAULT_TOLERANCE
        from negsim.solvers import solve as solve_game

        tolerance = DEFAULT_TOLERANCE if tol is None else tol
        meta: dict[str, Any] = {"file": file, "variant": None, "parameters": {}}
        if _is_gambit(file):
            result = solve_game(_gambit_game(file, sets, variant), method=method, tol=tolerance)
            phrases = None
        elif _is_gambit_tree(file):
            from negsim.solvers.sequential import solve_tree

            _tree_method(method)
            _print_tree(solve_tree(_gambit_tree(file, sets, variant), tol=tolerance), None, meta, as_json)
            return
        else:
            scenario = _scenario(file, sets, variant)
            meta.update(variant=variant, parameters=scenario.parameter_values())
            sequential = _sequential(scenario)
            if sequential is not None:
                _tree_method(method)
                _print_tree(sequential.solve(tol=tolerance), sequential, meta, as_json)
                return
            strategic = cast("Scenario", scenario)
            result = strategic.solve(method=method, tol=tolerance)
            phrases = strategic.strategy_phrases()
        _print_result(result, phrases, meta, as_json)


def _tree_method(method: str) -> None:
    from negsim.errors import UsageError

    if method != "auto":
        raise UsageError(
            "--method applies to strategic games; a game tree is solved by backward induction and its "
            "normal form by the automatic choice"
        )


def _print_tree(
    result: TreeResult, scenario: SequentialScenario | None, meta: dict[str, Any], as_json: bool
) -> None:
    outcomes = scenario.leaf_outcomes() if scenario is not None else None
    keys = scenario.move_keys() if scenario is not None else None
    commitments = scenario.commitments() if scenario is not None else []
    if as_json:
        import json

        from negsim.report.tree import tree_record

        document = {**meta, **tree_record(result, outcomes, keys, commitments)}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    from negsim.report.text import console
    from negsim.report.tree import render_tree_result

    header = result.tree.title
    if meta.get("parameters"):
        header += "\nParameters: " + ", ".join(f"{k}={v:g}" for k, v in meta["parameters"].items())
    console().print(render_tree_result(result, outcomes, header=header, commitments=commitments))


def _print_result(
    result: SolveResult, phrases: list[list[str]] | None, meta: dict[str, Any], as_json: bool
) -> None:
    ranking, correlated, notes = _selection(result)
    if as_json:
        from negsim.report.records import result_record

        document = {**meta, **result_record(result, phrases)}
        document["ranking"] = ranking.to_json() if ranking is not None else None
        document["correlated"] = correlated.to_json() if correlated is not None else None
        document["notes"] = list(document["notes"]) + notes
        _json(document)
        return
    from rich.text import Text

    from negsim.report.text import console, render_result

    header = result.game.title
    if meta.get("parameters"):
        header += "\nParameters: " + ", ".join(f"{k}={v:g}" for k, v in meta["parameters"].items())
    out = console()
    out.print(render_result(result, phrases, header=header))
    if ranking is not None and len(result.equilibria) > 1:
        out.print(Text("Which equilibrium?", style="bold"))
        for line in ranking.sentences():
            out.print(Text(line))
    if correlated is not None:
        out.print(Text("What a mediator could achieve (correlated equilibria):", style="bold"))
        for line in correlated.sentences():
            out.print(Text(line))
    for note in notes:
        out.print(Text(f"Note: {note}", style="dim"))


def _selection(result: SolveResult) -> tuple[Any, Any, list[str]]:
    """The equilibria ranked, and the correlated equilibria (when the game is small enough)."""
    from negsim.analysis.selection import correlated_equilibria, rank_equilibria
    from negsim.errors import GameError, SolverError

    ranking = rank_equilibria(result) if result.equilibria else None
    try:
        correlated = correlated_equilibria(result.game)
    except (GameError, SolverError) as exc:
        return ranking, None, [f"Correlated equilibria were not computed: {exc}"]
    return ranking, correlated, []


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def explain(file: str) -> None:
    """Show each player, option and parameter with the claims behind it."""
    with _reported():
        from negsim.report.explain import render_explanation
        from negsim.report.text import console

        scenario = _scenario(file, (), None)
        console().print(render_explanation(scenario))


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["strategic", "sequential"]),
    default="strategic",
    show_default=True,
    help="Which kind of scenario file.",
)
def schema(kind: str) -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    import json

    from negsim.scenario.schema import ScenarioFile, SequentialFile

    model = SequentialFile if kind == "sequential" else ScenarioFile
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"negsim {kind} scenario (format version 1)"
    click.echo(json.dumps(document, indent=2))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(path: str, force: bool) -> None:
    """Write a commented starter scenario that validates and solves as written."""
    with _reported():
        from importlib.resources import files

        from negsim.errors import UsageError
        from negsim.report.output import write_files

        target = Path(path)
        if not target.parent.is_dir():
            raise UsageError(f"folder {target.parent} does not exist")
        text = files("negsim.scenario").joinpath("starter.yaml").read_text(encoding="utf-8")
        write_files({target: text}, force=force)
        click.echo(f"wrote {path}; try: negsim solve {shlex.quote(path)}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Chart kind (repeatable; default: every kind that applies). See the README for the list.",
)
@_set_option
@_variant_option
@_output_option("the charts")
@_format_option
@click.option(
    "--dpi",
    type=click.FloatRange(min=20, max=600),
    default=150,
    show_default=True,
    help="Resolution of PNG images, in dots per inch.",
)
@_force_option
def plot(
    file: str,
    kinds: tuple[str, ...],
    sets: tuple[str, ...],
    variant: str | None,
    folder: str,
    fmt: str,
    dpi: float,
    force: bool,
) -> None:
    """Draw charts of a scenario's equilibria and outcomes."""
    with _reported():
        from negsim.plotting.charts import choose, render_all

        chart_input = _chart_input(file, sets, variant)
        drawn = choose(chart_input, kinds)
        images = render_all(chart_input, drawn, fmt, dpi)
        stem = _stem(file, variant)
        _write({Path(folder) / f"{stem}-{k.name}.{fmt}": image for k, image in zip(drawn, images)}, force)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_set_option
@_variant_option
@_output_option("the report")
@_force_option
def report(file: str, sets: tuple[str, ...], variant: str | None, folder: str, force: bool) -> None:
    """Write a full report as HTML and as Markdown."""
    with _reported():
        from negsim.report.document import build_document
        from negsim.report.html import render_html
        from negsim.report.markdown import render_markdown

        document = build_document(_chart_input(file, sets, variant), file)
        stem = _stem(file, variant)
        markdown, images = render_markdown(document, f"{stem}-report-files")
        outputs: dict[Path, bytes | str] = {
            Path(folder) / f"{stem}.html": render_html(document),
            Path(folder) / f"{stem}.md": markdown,
        }
        outputs.update({Path(folder, name): content for name, content in images.items()})
        _write(outputs, force)


def _strategic(file: str, sets: tuple[str, ...], variant: str | None, command: str) -> Scenario:
    """A strategic scenario for a what-if command (Gambit files and game trees are refused)."""
    from negsim.errors import UsageError

    if _is_gambit(file) or _is_gambit_tree(file):
        raise UsageError(f"negsim {command} needs a scenario file with parameters, not a Gambit file")
    scenario = _scenario(file, sets, variant)
    if _sequential(scenario) is not None:
        raise UsageError(
            f"negsim {command} applies to strategic scenarios; {file} is sequential (a game tree)"
        )
    return cast("Scenario", scenario)


def _meta(file: str, variant: str | None, scenario: Scenario) -> dict[str, Any]:
    """What a JSON document was computed from: the file, the variant and every parameter's value."""
    return {"file": file, "variant": variant, "parameters": scenario.parameter_values()}


def _json(document: Any) -> None:
    import json

    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--variant",
    "variants",
    multiple=True,
    metavar="NAME",
    help="A variant to compare (repeatable; default: every variant in the file).",
)
@_set_option
@_json_option
@_also_write_option("the comparison chart")
@_format_option
@_force_option
def compare(
    file: str,
    variants: tuple[str, ...],
    sets: tuple[str, ...],
    as_json: bool,
    folder: str | None,
    fmt: str,
    force: bool,
) -> None:
    """Compare a scenario's variants: which outcomes are equilibria and who gets what."""
    with _reported():
        from negsim.whatif.compare import compare as compare_variants

        scenario = _strategic(file, sets, None, "compare")
        comparison = compare_variants(scenario, variants or None)
        if folder is not None:
            from negsim.plotting.charts import ChartInput, render
            from negsim.plotting.variants import figure

            image = render(figure(ChartInput.from_scenario(scenario), variants or None), fmt)
            _write({Path(folder) / f"{_stem(file, None)}-compare.{fmt}": image}, force)
        if as_json:
            _json({"file": file, "parameters": scenario.parameter_values(), **comparison.to_json()})
            return
        from negsim.report.text import console
        from negsim.whatif.compare import render_comparison

        console().print(render_comparison(comparison))


def _print_lines(title: str, sentences: Sequence[str], notes: Sequence[str]) -> None:
    from rich.text import Text

    from negsim.report.text import console

    out = console()
    out.print(Text(title, style="bold"))
    for line in sentences:
        out.print(Text(line))
    for note in notes:
        out.print(Text(f"Note: {note}", style="dim"))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="NAME=START:STOP:STEPS",
    help="A parameter and the values to give it (once for a line, twice for a grid).",
)
@_set_option
@_variant_option
@_json_option
@_also_write_option("the chart and the records (CSV)")
@_format_option
@_force_option
def sweep(
    file: str,
    varies: tuple[str, ...],
    sets: tuple[str, ...],
    variant: str | None,
    as_json: bool,
    folder: str | None,
    fmt: str,
    force: bool,
) -> None:
    """Solve a scenario over a range of one or two parameters."""
    with _reported():
        from negsim.whatif.sweep import parse_vary
        from negsim.whatif.sweep import sweep as run_sweep

        scenario = _strategic(file, sets, variant, "sweep")
        result = run_sweep(scenario, [parse_vary(text, scenario) for text in varies])
        if folder is not None:
            from negsim.plotting.charts import render
            from negsim.plotting.sweep import figure

            stem = f"{_stem(file, variant)}-sweep-{'-'.join(result.varied)}"
            _write(
                {
                    Path(folder) / f"{stem}.{fmt}": render(figure(result), fmt),
                    Path(folder) / f"{stem}.csv": _csv(result.records()),
                },
                force,
            )
        if as_json:
            _json(result.to_json(file))
            return
        _print_lines(scenario.title, [result.summary(), *result.sentences()], list(result.notes))


def _csv(rows: list[dict[str, Any]]) -> str:
    """Tidy rows as CSV text (columns in the order of the first row)."""
    import csv
    import io

    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--vary",
    "vary",
    required=True,
    metavar="NAME[=START:STOP:STEPS]",
    help="The parameter to scan (over its declared range, or the one given).",
)
@click.option("--outcome", metavar="NAME", help="Report only changes of this outcome.")
@_set_option
@_variant_option
@_json_option
def threshold(
    file: str, vary: str, outcome: str | None, sets: tuple[str, ...], variant: str | None, as_json: bool
) -> None:
    """Find the parameter values where the equilibrium outcomes change (tipping points)."""
    with _reported():
        from negsim.whatif.sweep import check_parameter, parse_vary
        from negsim.whatif.threshold import thresholds

        scenario = _strategic(file, sets, variant, "threshold")
        if "=" in vary:
            spec = parse_vary(vary, scenario)
            result = thresholds(
                scenario, spec.name, start=spec.start, stop=spec.stop, steps=spec.steps, outcome=outcome
            )
        else:
            check_parameter(scenario, vary.strip())
            result = thresholds(scenario, vary.strip(), outcome=outcome)
        if as_json:
            _json(result.to_json(file))
            return
        _print_lines(scenario.title, result.sentences(), list(result.notes))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-n", "n", type=int, required=True, help="Number of draws (at least 1).")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the draws (same seed, same results)."
)
@click.option("--workers", type=int, default=1, show_default=True, help="Solve on this many processes.")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (needs negsim[distributed]).")
@click.option(
    "--parameter",
    "parameters",
    multiple=True,
    metavar="NAME",
    help="Draw only these parameters (repeatable; default: every parameter with a distribution).",
)
@click.option("--outcome", metavar="NAME", help="The outcome the sensitivity chart is about.")
@_set_option
@_variant_option
@_json_option
@click.option("--records", is_flag=True, help="With --json: include one row per draw and equilibrium.")
@_also_write_option("the charts")
@_format_option
@_force_option
def sample(
    file: str,
    n: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    parameters: tuple[str, ...],
    outcome: str | None,
    sets: tuple[str, ...],
    variant: str | None,
    as_json: bool,
    records: bool,
    folder: str | None,
    fmt: str,
    force: bool,
) -> None:
    """Draw the uncertain parameters, solve every draw, and say how likely each outcome is."""
    with _reported():
        from negsim.errors import UsageError
        from negsim.whatif.sample import sample as draw_and_solve

        if workers < 1:
            raise UsageError(f"--workers needs a whole number of at least 1, got {workers}")
        scenario = _strategic(file, sets, variant, "sample")
        result = draw_and_solve(
            scenario,
            n,
            seed=seed,
            parameters=parameters or None,
            workers=workers,
            scheduler=scheduler,
            progress=not as_json,
        )
        if folder is not None:
            from negsim.plotting.charts import render
            from negsim.plotting.sample import figures

            charts = figures(result, outcome)
            stem = _stem(file, variant)
            _write(
                {Path(folder) / f"{stem}-{name}.{fmt}": render(fig, fmt) for name, fig in charts.items()},
                force,
            )
        if as_json:
            meta = _meta(file, variant, scenario)
            _json({**meta, **result.to_json(records=records)})
            return
        _print_lines(f"{scenario.title}: {n:,} draws (seed {seed})", result.sentences(), result.notes())


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_set_option
@_variant_option
@_json_option
@_also_write_option("the bargaining chart")
@_format_option
@_force_option
def bargain(
    file: str,
    sets: tuple[str, ...],
    variant: str | None,
    as_json: bool,
    folder: str | None,
    fmt: str,
    force: bool,
) -> None:
    """What deals the parties could strike: disagreement point, zone of agreement, fair splits."""
    with _reported():
        from negsim.analysis.negotiation import negotiation

        scenario = _strategic(file, sets, variant, "bargain")
        talks = negotiation(scenario)
        if folder is not None:
            from negsim.plotting.bargaining import figure_for
            from negsim.plotting.charts import render

            image = render(figure_for(talks, scenario.title), fmt)
            _write({Path(folder) / f"{_stem(file, variant)}-bargain.{fmt}": image}, force)
        if as_json:
            meta = _meta(file, variant, scenario)
            _json({**meta, **talks.to_json()})
            return
        _print_lines(f"Bargaining: {scenario.title}", talks.sentences(), talks.notes)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--outcome", required=True, metavar="NAME", help="The agreement to keep (a named outcome).")
@click.option(
    "--punishment",
    metavar="NAME",
    help="The named outcome that follows a breach (default: a Nash equilibrium of the game).",
)
@click.option(
    "--vary",
    metavar="NAME=START:STOP:STEPS",
    help="Also chart the critical discount factor against this parameter (with -o).",
)
@_set_option
@_variant_option
@_json_option
@_also_write_option("the critical discount chart (with --vary)")
@_format_option
@_force_option
def sustain(
    file: str,
    outcome: str,
    punishment: str | None,
    vary: str | None,
    sets: tuple[str, ...],
    variant: str | None,
    as_json: bool,
    folder: str | None,
    fmt: str,
    force: bool,
) -> None:
    """Whether an agreement enforces itself when the game repeats (grim trigger), and how patient
    each party must be."""
    with _reported():
        from negsim.analysis.negotiation import outcome_profile
        from negsim.analysis.repeated import sustainability

        scenario = _strategic(file, sets, variant, "sustain")
        cooperative, note = outcome_profile(scenario, outcome)
        notes = [note] if note else []
        punished = None
        if punishment is not None:
            punished, worst = outcome_profile(scenario, punishment, best=False)
            notes += [worst] if worst else []
        result = sustainability(
            scenario.game(), cooperative, punished, agreement_name=outcome, punishment_name=punishment
        )
        if vary is not None:
            from negsim.analysis.repeated import critical_discount_over
            from negsim.whatif.sweep import parse_vary

            spec = parse_vary(vary, scenario)

            def stage(value: float) -> Any:
                return scenario.with_params(**{spec.name: value}).game()

            sweep = critical_discount_over(spec.values(), stage, cooperative, punished)
            if folder is not None:
                from negsim.plotting.charts import render
                from negsim.plotting.sustain import figure

                image = render(figure(sweep, spec.name, scenario.parameters[spec.name].unit, outcome), fmt)
                _write({Path(folder) / f"{_stem(file, variant)}-sustain-{spec.name}.{fmt}": image}, force)
        if as_json:
            meta = _meta(file, variant, scenario)
            document = {**meta, **result.to_json()}
            document["notes"] = notes + list(document.get("notes", []))
            _json(document)
            return
        _print_lines(
            f"Sustaining '{outcome}': {scenario.title}", result.sentences(), notes + list(result.notes)
        )


def _chart_input(file: str, sets: tuple[str, ...], variant: str | None) -> Any:
    from negsim.plotting.charts import ChartInput

    if _is_gambit(file):
        from negsim.solvers import solve as solve_game

        return ChartInput(solve_game(_gambit_game(file, sets, variant)))
    if _is_gambit_tree(file):
        from negsim.solvers.sequential import solve_tree

        return ChartInput.from_tree(solve_tree(_gambit_tree(file, sets, variant)))
    return ChartInput.from_scenario(_scenario(file, sets, variant))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


if __name__ == "__main__":  # pragma: no cover
    main()
