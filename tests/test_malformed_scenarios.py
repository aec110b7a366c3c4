"""Malformed scenario files: every one is refused with exit status 2 and a message at file:line:column.

Each file under ``tests/data/malformed/`` is a small variation of a valid two-player scenario;
its first line says what is wrong. The table below holds, for each file, the line (and column,
where it is meaningful) the message must point at and a key phrase of the message. Most checks
run in-process with click's ``CliRunner``; a handful run ``python -m negsim`` as a user would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from refusals import Case, assert_refused, invoke, run_cli

from negsim.errors import ScenarioError
from negsim.scenario.load import check

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "malformed"


CASES = [
    # YAML level
    Case("bad_yaml_syntax.yaml", 3, 14, "mapping values are not allowed here"),
    Case("tab_indentation.yaml", 5, 1, "indent with spaces, not tabs"),
    Case("duplicate_key.yaml", 8, 3, 'duplicate key "gain"'),
    Case("python_tag.yaml", 3, 8, "python/object/apply:os.system is not allowed"),
    Case("bare_list.yaml", 2, 1, "a scenario file must be a mapping"),
    Case("empty.yaml", 1, 1, "the scenario file is empty"),
    Case("not_utf8.yaml", 3, 26, "is not UTF-8 text"),
    # shape of the file
    Case("unknown_top_key.yaml", 3, 1, "unknown key 'titel'; did you mean 'title'?"),
    Case("unknown_parameter_key.yaml", 7, 5, "unknown key 'unti'; did you mean 'unit'?"),
    Case("missing_title.yaml", 2, 1, "'title' is required here"),
    Case("missing_players.yaml", 2, 1, "'players' is required here"),
    Case("missing_parameter_about.yaml", 5, 3, "'about' is required here"),
    Case("string_for_number.yaml", 6, 12, "expected a number, got the text 'high'"),
    Case("version_2.yaml", 2, 9, "unsupported format version 2"),
    Case("strategies_and_options.yaml", 9, None, "give either 'strategies' or 'options'"),
    Case("duplicate_player_names.yaml", 9, 11, "two players are called 'Russia'"),
    # names inside expressions: the column is that of the misspelt name
    Case(
        "unknown_parameter_in_value.yaml",
        20,
        18,
        "unknown parameter 'credibilty'; did you mean 'credibility'?",
    ),
    Case("unknown_player_in_condition.yaml", 14, 29, "unknown player 'rus'; did you mean 'ru'?"),
    Case(
        "unknown_strategy_in_condition.yaml",
        14,
        32,
        "'pledged' is not an option or strategy of ru; did you mean 'pledge'?",
    ),
    Case(
        "unknown_option_in_condition.yaml",
        16,
        30,
        "'withdrawal' is not an option or strategy of ru; did you mean 'withdraw'?",
    ),
    Case(
        "outcome_unknown_strategy.yaml",
        15,
        35,
        "'pledges' is not an option or strategy of ru; did you mean 'pledge'?",
    ),
    Case("unknown_player_in_to.yaml", 14, 12, "unknown player 'russia'"),
    # unsafe expressions are refused, not run; the column is that of the offending part
    Case("unsafe_import.yaml", 19, 22, "function '__import__' is not allowed"),
    Case("unsafe_open.yaml", 19, 21, "function 'open' is not allowed"),
    Case("unsafe_dunder.yaml", 19, 14, "attribute access is not allowed in a value"),
    Case("unsafe_lambda.yaml", 19, 15, "lambda is not allowed in a value"),
    Case("unsafe_subscript.yaml", 19, 14, "indexing is not allowed in a value"),
    Case("unsafe_fstring.yaml", 19, 15, "an f-string is not allowed in a value"),
    # values that cannot be computed
    Case("division_by_zero_literal.yaml", 19, 23, "division by zero"),
    Case("division_by_zero_parameter.yaml", 22, 21, "division by zero"),
    Case("log_nonpositive.yaml", 19, 18, "log() needs a positive argument"),
    Case("inf_parameter_value.yaml", 6, None, "value must be a finite number, not inf"),
    Case("huge_parameter_value.yaml", 6, None, "value must be a finite number, not inf"),
    Case("nan_parameter_value.yaml", 6, None, "value must be a finite number, not nan"),
    Case("inf_term_value.yaml", 19, 14, "value must be a finite number, not inf"),
    Case("huge_term_value.yaml", 19, 14, "value must be a finite number, not inf"),
    Case("nan_table_payoff.yaml", 16, None, "payoff of ru must be a finite number, not nan"),
    # payoff tables
    Case("table_missing_row.yaml", 13, None, "1 profile(s) have no row: ua=keep, ru=refuse"),
    Case("table_duplicate_row.yaml", 21, 7, "profile (ua=keep, ru=pledge) is listed twice"),
    Case("table_unknown_strategy.yaml", 15, 35, "'refused' is not a strategy of ru; did you mean 'refuse'?"),
    # claims
    Case(
        "unknown_claim.yaml",
        11,
        14,
        "unknown claim id 'ru-nonagression-pledge'; did you mean 'ru-nonaggression-pledge'?",
    ),
    Case("claim_without_sources.yaml", 16, 16, "but the scenario lists no claims file"),
    Case("missing_sources_file.yaml", 6, 5, "claims file '../../../seeds/no_such_claims.yaml' not found"),
    # ranges, distributions and variants
    Case("parameter_out_of_range.yaml", 6, None, "value 1.5 lies outside its range"),
    Case("variant_unknown_parameter.yaml", 25, 7, "unknown parameter 'gian'; did you mean 'gain'?"),
    Case("variant_out_of_range.yaml", 24, 17, "gain = 12 lies outside its range [0, 10]"),
    Case(
        "variant_fix_unknown_strategy.yaml",
        16,
        15,
        "'pledged' is not a strategy of ru; did you mean 'pledge'?",
    ),
    Case("distribution_two_kinds.yaml", 9, None, "give exactly one distribution kind"),
    Case("distribution_negative_sd.yaml", 8, None, "normal needs a positive standard deviation"),
    # options
    Case(
        "exclusive_unknown_option.yaml",
        14,
        18,
        "'withdrawl' is not an option of ru; did you mean 'withdraw'?",
    ),
    Case("infeasible_everything.yaml", 13, 5, "Russia has no feasible combination of options"),
]

#: the file with several problems, each in a different section
SEVERAL = "several_problems.yaml"
SEVERAL_EXPECTED = [
    (4, 1, "unknown key 'descripton'; did you mean 'description'?"),
    (7, 12, "'value': expected a number, got the text '2'"),
    (23, 32, "'pledgd' is not an option or strategy of ru; did you mean 'pledge'?"),
    (30, 24, "credibility = 2 lies outside its range [0, 1]"),
]

#: the few cases that also run in a real subprocess (each costs about half a second)
SUBPROCESS_CASES = [
    "python_tag.yaml",
    "not_utf8.yaml",
    "unknown_parameter_in_value.yaml",
]


# -- the table itself ---------------------------------------------------------------------------


def test_at_least_thirty_malformed_files() -> None:
    assert len(CASES) >= 30
    assert len({c.file for c in CASES}) == len(CASES)


def test_every_file_in_the_folder_is_in_the_table() -> None:
    on_disk = {p.name for p in DATA.glob("*.yaml")}
    assert on_disk == {c.file for c in CASES} | {SEVERAL}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_first_line_says_what_is_wrong(name: str) -> None:
    first = (DATA / name).read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert first.startswith("# ") and len(first) > 12


# -- every case, in-process ---------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_solve_refuses(case: Case) -> None:
    path = DATA / case.file
    result = invoke("solve", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check_raises_scenario_error_at_the_same_place(case: Case) -> None:
    path = DATA / case.file
    with pytest.raises(ScenarioError) as caught:
        check(path)
    problems = caught.value.problems
    assert all(p.file == str(path) for p in problems)
    assert any(
        case.phrase in str(p) and p.line == case.line and (case.column is None or p.column == case.column)
        for p in problems
    ), [str(p) for p in problems]
    # a ScenarioError is also a ValueError, so generic handlers keep working
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "name",
    ["unknown_top_key.yaml", "unsafe_import.yaml", "table_missing_row.yaml", "not_utf8.yaml", "empty.yaml"],
)
def test_validate_refuses(name: str) -> None:
    case = next(c for c in CASES if c.file == name)
    path = DATA / name
    result = invoke("validate", str(path))
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)
    assert "valid:" not in result.stderr


@pytest.mark.parametrize("command", ["solve", "validate", "explain"])
def test_missing_file(command: str, tmp_path: Path) -> None:
    path = tmp_path / "no_such_scenario.yaml"
    result = invoke(command, str(path))
    case = Case(path.name, None, None, "scenario file not found")
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)
    assert f"{path}: error: scenario file not found" in result.stderr


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    result = invoke("solve", str(path))
    case = Case(path.name, 1, 1, "the scenario file is empty")
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    result = invoke("solve", str(tmp_path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


# -- several problems at once -------------------------------------------------------------------


def test_several_problems_are_all_reported_in_one_run() -> None:
    path = DATA / SEVERAL
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == len(SEVERAL_EXPECTED), result.stderr
    for (line, column, phrase), reported in zip(SEVERAL_EXPECTED, errors, strict=True):
        assert reported.startswith(f"{path}:{line}:{column}: error: ")
        assert phrase in reported
    assert "negsim: 4 problems found" in result.stderr


def test_several_problems_in_the_library() -> None:
    with pytest.raises(ScenarioError) as caught:
        check(DATA / SEVERAL)
    found = [(p.line, p.column) for p in caught.value.problems if p.severity == "error"]
    assert found == [(line, column) for line, column, _ in SEVERAL_EXPECTED]


# -- a few real subprocess runs, as a user would run them ---------------------------------------


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_solve_refuses_in_a_subprocess(name: str) -> None:
    case = next(c for c in CASES if c.file == name)
    path = DATA / name
    completed = run_cli("solve", str(path))
    assert_refused(case, path, completed.returncode, completed.stdout, completed.stderr)
    assert "hacked" not in completed.stdout + completed.stderr


def test_several_problems_in_a_subprocess() -> None:
    path = DATA / SEVERAL
    completed = run_cli("validate", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    for line, column, phrase in SEVERAL_EXPECTED:
        assert f"{path}:{line}:{column}: error: " in completed.stderr
        assert phrase in completed.stderr


# -- fixed bugs, each with its own small test ---------------------------------------------------


def test_file_without_parameters_section_reports_unknown_names(tmp_path: Path) -> None:
    """A value naming a parameter when the file declares none was a KeyError traceback."""
    path = tmp_path / "no_parameters.yaml"
    path.write_text(
        "negsim: 1\n"
        "title: T\n"
        "players:\n"
        "  ua: {name: Ukraine, strategies: [renounce, keep]}\n"
        "  ru: {name: Russia, strategies: [pledge, refuse]}\n"
        "payoffs:\n"
        "  terms:\n"
        "    - {to: ua, when: ru.pledge, value: 2 * gain}\n"
        "variants:\n"
        "  v: {set: {gain: 3}}\n",
        encoding="utf-8",
    )
    result = invoke("solve", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert f"{path}:8:44: error: unknown parameter 'gain'; declare it under 'parameters'" in result.stderr
    assert f"{path}:10:13: error: unknown parameter 'gain'" in result.stderr


def test_huge_whole_number_is_refused_without_traceback(tmp_path: Path) -> None:
    """A 400-digit whole number as a payoff raised OverflowError out of the schema."""
    huge = "1" + "0" * 400
    path = tmp_path / "huge.yaml"
    path.write_text(
        "negsim: 1\n"
        "title: T\n"
        "players:\n"
        "  ua: {name: Ukraine, strategies: [renounce, keep]}\n"
        "  ru: {name: Russia, strategies: [pledge, refuse]}\n"
        "payoffs:\n"
        "  terms:\n"
        f"    - {{to: ua, when: ru.pledge, value: {huge}}}\n",
        encoding="utf-8",
    )
    result = invoke("solve", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert f"{path}:8:40: error: " in result.stderr
    assert "must be a finite number" in result.stderr


def test_variant_checked_even_when_another_parameter_is_invalid(tmp_path: Path) -> None:
    """One malformed parameter used to hide every problem in the variants."""
    path = tmp_path / "variant.yaml"
    path.write_text(
        "negsim: 1\n"
        "title: T\n"
        "parameters:\n"
        "  gain: {value: 2, about: x, unti: utils}\n"
        "  cost: {value: 1, about: y, range: [0, 2]}\n"
        "players:\n"
        "  ua: {name: Ukraine, strategies: [renounce, keep]}\n"
        "  ru: {name: Russia, strategies: [pledge, refuse]}\n"
        "payoffs:\n"
        "  terms:\n"
        "    - {to: ua, when: ru.pledge, value: gain - cost}\n"
        "variants:\n"
        "  v: {set: {cost: 5, gian: 1}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        check(path)
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert (4, "unknown key 'unti'") in messages
    assert (13, "cost = 5 lies outside its range [0, 2]") in messages
    assert (13, "unknown parameter 'gian'") in messages
