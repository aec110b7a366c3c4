"""The safe expression language: unit tests and property tests.

Properties checked with hypothesis:

* a value built from a small grammar evaluates on numpy arrays exactly as it does on each
  element alone, and fails (with :class:`ExpressionError` only) exactly when some element fails;
* any text given to :func:`parse` either parses or raises :class:`ExpressionError`;
* a condition over boolean variables agrees with a reference evaluator written here;
* random edits of the bundled scenario give a valid scenario or a :class:`ScenarioError`.
"""

from __future__ import annotations

import contextlib
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.errors import ScenarioError
from negsim.scenario.expressions import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, Expression, ExpressionError, parse
from negsim.scenario.load import check

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"
CLAIMS = ROOT / "seeds" / "claims.yaml"

PROPERTY = settings(max_examples=150, deadline=None, database=None)


def value(text: str, **env: Any) -> Any:
    return parse(text, "value").evaluate(env)


def error(text: str, kind: str = "value", **env: Any) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse(text, kind).evaluate(env)  # type: ignore[arg-type]
    return caught.value


# -- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("2 ** 3 ** 2", 512.0),
        ("-2 ** 2", -4.0),
        ("7 / 2", 3.5),
        ("+3 - -4", 7.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("min(5)", 5.0),
        ("abs(-2.5)", 2.5),
        ("clip(12, 0, 10)", 10.0),
        ("clip(-1, 0, 10)", 0.0),
        ("sqrt(16)", 4.0),
        ("exp(0)", 1.0),
        ("log(1)", 0.0),
        ("3 if 1 > 0.5 else 1", 3.0),
        ("3 if 0 > 0.5 else 1", 1.0),
        ("1 < 2 < 3", 1.0),
        ("1 < 3 < 2", 0.0),
        ("2 == 2", 1.0),
        ("2 != 2", 0.0),
        ("1e3", 1000.0),
        ("  4 ", 4.0),
    ],
)
def test_value_arithmetic(text: str, expected: float) -> None:
    assert float(value(text)) == expected


def test_value_with_parameters() -> None:
    expression = parse("4 * credibility - 1", "value")
    assert expression.kind == "value"
    assert expression.text == "4 * credibility - 1"
    assert float(expression.evaluate({"credibility": 0.5})) == 1.0
    assert [(r.owner, r.name, r.offset) for r in expression.references] == [(None, "credibility", 4)]
    assert expression.references[0].key == "credibility"
    assert float(value("max(0, war_cost - aid)", war_cost=3, aid=5)) == 0.0
    assert float(value("3 if credibility > 0.5 else 1", credibility=0.7)) == 3.0


def test_numbers_and_booleans_given_directly() -> None:
    assert parse(3, "value").evaluate({}) == 3.0
    assert parse(2.5, "value").evaluate({}) == 2.5
    assert parse(True, "condition").evaluate({}) is True
    assert parse(False, "condition").text == "false"
    with pytest.raises(ExpressionError, match="not true/false"):
        parse(True, "value")
    with pytest.raises(ExpressionError, match="not a number"):
        parse(1, "condition")
    with pytest.raises(ExpressionError, match="not a finite number"):
        parse(float("inf"), "value")
    with pytest.raises(ExpressionError, match="expected an expression"):
        parse([1], "value")  # type: ignore[arg-type]


def test_values_on_arrays() -> None:
    xs = np.array([0.25, 1.0, 4.0])
    np.testing.assert_array_equal(value("2 * x + 1", x=xs), [1.5, 3.0, 9.0])
    np.testing.assert_array_equal(value("x if x > 1 else -x", x=xs), [-0.25, -1.0, 4.0])
    np.testing.assert_array_equal(value("min(x, 1)", x=xs), [0.25, 1.0, 1.0])
    np.testing.assert_array_equal(value("sqrt(x)", x=xs), [0.5, 1.0, 2.0])
    np.testing.assert_array_equal(value("x > 0.5", x=xs), [0.0, 1.0, 1.0])
    grid = value("x * y", x=xs[:, None], y=np.array([1.0, 2.0]))
    assert grid.shape == (3, 2)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("__import__('os')", "function '__import__' is not allowed", 0),
        ("1 + open('x')", "function 'open' is not allowed", 4),
        ("x.__class__", "attribute access is not allowed in a value", 0),
        ("lambda: 1", "lambda is not allowed in a value", 0),
        ("x[0]", "indexing is not allowed in a value", 0),
        ("f'{x}'", "an f-string is not allowed in a value", 0),
        ("(lambda: 1)()", "lambda cannot be called", 0),
        ("x.y()", "attribute access cannot be called", 0),
        ("[1, 2]", "a list is not allowed", 0),
        ("{1: 2}", "a dict is not allowed", 0),
        ("(1, 2)", "a tuple is not allowed", 0),
        ("[x for x in y]", "a comprehension is not allowed", 0),
        ("(y := 1)", "assignment is not allowed", 1),
        ("'text'", "'text' is not a number", 0),
        ("None", "None is not a number", 0),
        ("True + 1", "True is not a number", 0),
        ("7 % 2", "operator '%' is not allowed", 0),
        ("7 // 2", "operator '//' is not allowed", 0),
        ("1 & 2", "operator '&' is not allowed", 0),
        ("x is y", "comparison Is is not allowed", 0),
        ("x in y", "comparison In is not allowed", 0),
        ("max(x=1)", "max() takes no keyword arguments", 0),
        ("abs(1, 2)", "abs() takes 1 argument(s), got 2", 0),
        ("clip(1, 2)", "clip() takes 3 argument(s), got 2", 0),
        ("max()", "max() takes 1 to 64 argument(s), got 0", 0),
        ("1 +", "cannot parse '1 +'", None),
        ("(1", "cannot parse '(1'", 0),
        ("1 + (2", "cannot parse '1 + (2'", 4),
        ("", "expression is empty", 0),
        ("   ", "expression is empty", 0),
        ("1e400", "inf is not a finite number", 0),
    ],
)
def test_value_refused_at_parse(text: str, message: str, offset: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, "value")
    assert message in caught.value.message
    assert offset is None or caught.value.offset == offset


def test_unknown_function_suggests() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("1 + mx(1, 2)", "value")
    assert caught.value.hint == "did you mean 'max'?"
    assert caught.value.offset == 4
    with pytest.raises(ExpressionError) as caught:
        parse("system(1)", "value")
    assert caught.value.hint.startswith("allowed functions: ")
    assert set(FUNCTIONS) == {"min", "max", "abs", "exp", "log", "sqrt", "clip"}


def test_offsets_after_leading_space() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("   1 + open(2)", "value")
    assert caught.value.offset == 7
    expression = parse("  a + b", "value")
    assert [r.offset for r in expression.references] == [2, 6]


@pytest.mark.parametrize(
    ("text", "env", "message", "offset"),
    [
        ("1 / 0", {}, "division by zero", 4),
        ("x + 1 / (y - 2)", {"x": 1.0, "y": 2.0}, "division by zero", 9),
        ("1 / x", {"x": np.array([1.0, 0.0])}, "division by zero", 4),
        ("log(x - 2)", {"x": 2.0}, "log() needs a positive argument", 0),
        ("1 + log(x)", {"x": np.array([1.0, -1.0])}, "log() needs a positive argument", 4),
        ("sqrt(-x)", {"x": 1.0}, "sqrt() needs a non-negative argument", 0),
        ("exp(1000)", {}, "is not a finite number", 0),
        ("x ** 0.5", {"x": -4.0}, "is not a finite number", 0),
        ("0 ** -1", {}, "is not a finite number", 0),
        ("10 ** 400", {}, "is not a finite number", 0),
    ],
)
def test_value_fails_at_evaluation(text: str, env: dict[str, Any], message: str, offset: int) -> None:
    expression = parse(text, "value")
    caught = error(text, **env)
    assert message in caught.message
    assert caught.offset == offset
    with pytest.raises(ExpressionError):
        expression.evaluate(env)


def test_expression_limits() -> None:
    with pytest.raises(ExpressionError, match="too long"):
        parse("1 + " * (MAX_LENGTH // 4) + "1", "value")
    with pytest.raises(ExpressionError, match="too deeply nested"):
        parse("-" * (MAX_DEPTH + 5) + "1", "value")
    with pytest.raises(ExpressionError):
        parse("(" * 500 + "1" + ")" * 500, "value")
    assert float(value("-" * (MAX_DEPTH - 2) + "1")) == 1.0


def test_huge_whole_number_is_an_expression_error() -> None:
    """A 400-digit literal raised OverflowError instead of ExpressionError."""
    with pytest.raises(ExpressionError, match="too large"):
        parse("1" + "0" * 400, "value")
    with pytest.raises(ExpressionError):
        parse("2 * " + "9" * 400, "value")


def test_unencodable_text_is_a_parse_error() -> None:
    """A lone surrogate was reported as 'too deeply nested'."""
    with pytest.raises(ExpressionError) as caught:
        parse("x + \ud800", "value")
    assert caught.value.message.startswith("cannot parse")
    assert "nested" not in caught.value.message


def test_offsets_count_characters_not_bytes() -> None:
    """ast reports byte offsets; after non-ASCII text they must be turned into character columns."""
    expression = parse("é_a + b", "value")
    assert [(r.name, r.offset) for r in expression.references] == [("é_a", 0), ("b", 6)]
    with pytest.raises(ExpressionError) as caught:
        parse("ééé + open(1)", "value")
    assert caught.value.offset == 6


# -- conditions -------------------------------------------------------------------------------------


def test_condition_references() -> None:
    expression = parse("russia.pledge and not ukraine.renounce_nato", "condition")
    assert [(r.owner, r.name, r.offset, r.name_at) for r in expression.references] == [
        ("russia", "pledge", 0, 7),
        ("ukraine", "renounce_nato", 22, 30),
    ]
    assert [r.key for r in expression.references] == ["russia.pledge", "ukraine.renounce_nato"]
    env = {"russia.pledge": True, "ukraine.renounce_nato": False}
    assert bool(expression.evaluate(env)) is True
    env["ukraine.renounce_nato"] = True
    assert bool(expression.evaluate(env)) is False


def test_condition_constants_and_arrays() -> None:
    assert parse("true", "condition").evaluate({}) is True
    assert bool(parse("false or True", "condition").evaluate({})) is True
    a = np.array([[True], [False]])
    b = np.array([[True, False]])
    result = parse("a.x and not b.y", "condition").evaluate({"a.x": a, "b.y": b})
    assert result.tolist() == [[False, True], [False, False]]


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("pledge", "'pledge' is not an option or strategy reference", 0),
        ("a.x & b.y", "use 'and' instead of '&'", 0),
        ("a.x | b.y", "use 'or' instead of '|'", 0),
        ("a.x == b.y", "a comparison is not allowed in a condition", 0),
        ("a.x + 1", "arithmetic is not allowed in a condition", 0),
        ("a.x and 1", "a constant is not allowed in a condition", 8),
        ("a.b.c", "attribute access is not allowed in a condition", 0),
        ("a.x()", "a call is not allowed in a condition", 0),
        ("a.x and", "cannot parse", None),
    ],
)
def test_condition_refused(text: str, message: str, offset: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, "condition")
    assert message in caught.value.message
    assert offset is None or caught.value.offset == offset


# -- property (a): vectorisation ---------------------------------------------------------------------

NAMES = ("a", "b", "c")
NUMBER = st.one_of(
    st.integers(-3, 5).map(str),
    st.sampled_from(["0.5", "2.5", "0.1", "1e-3", "10"]),
)
LEAF = st.one_of(NUMBER, st.sampled_from(NAMES))


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    compare = st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    calls = st.one_of(
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        children.map(lambda x: f"abs({x})"),
        children.map(lambda x: f"-{x}"),
        st.tuples(children, children, children).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.sampled_from(["exp", "log", "sqrt"]).flatmap(lambda f: children.map(lambda x: f"{f}({x})")),
    )
    ifelse = st.tuples(children, compare, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
    return st.one_of(binary, compare, calls, ifelse)


VALUES = st.recursive(LEAF, _compound, max_leaves=12)
ELEMENT = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 2.0, 0.5]),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


def _scalar(expression: Expression, env: dict[str, float]) -> float | None:
    try:
        return float(expression.evaluate(env))
    except ExpressionError:
        return None


@PROPERTY
@given(text=VALUES, columns=st.lists(st.tuples(ELEMENT, ELEMENT, ELEMENT), min_size=1, max_size=6))
def test_values_vectorise_element_by_element(text: str, columns: list[tuple[float, float, float]]) -> None:
    expression = parse(text, "value")
    assert {r.name for r in expression.references} <= set(NAMES)
    arrays = {name: np.array([row[i] for row in columns]) for i, name in enumerate(NAMES)}
    scalars = [_scalar(expression, dict(zip(NAMES, row, strict=True))) for row in columns]
    try:
        result = expression.evaluate(arrays)
    except ExpressionError:
        assert None in scalars, "the array failed although every element on its own succeeds"
        return
    assert None not in scalars, "the array succeeded although some element on its own fails"
    result = np.broadcast_to(np.asarray(result, dtype=np.float64), (len(columns),))
    assert np.all(np.isfinite(result))
    np.testing.assert_allclose(result, np.array(scalars, dtype=np.float64), rtol=1e-12, atol=0)


# -- property (b): any text parses or is refused with ExpressionError ---------------------------------

EXPRESSION_ALPHABET = "abxy_.()+-*/<>=!%&|~^@,: 0123456789e'\"[]{}\\\t\n"
KEYWORDS = st.sampled_from(
    ["if", "else", "and", "or", "not", "lambda", "for", "in", "is", "min", "max", "log", "clip", "__import__"]
)
TEXT = st.one_of(
    st.text(),
    st.text(alphabet=EXPRESSION_ALPHABET),
    st.lists(st.one_of(KEYWORDS, st.text(alphabet=EXPRESSION_ALPHABET, max_size=3)), max_size=12).map(
        " ".join
    ),
)


@PROPERTY
@given(text=TEXT, kind=st.sampled_from(["value", "condition"]))
def test_any_text_parses_or_raises_expression_error(text: str, kind: str) -> None:
    try:
        expression = parse(text, kind)  # type: ignore[arg-type]
    except ExpressionError as exc:
        assert isinstance(exc.message, str) and exc.message
        assert 0 <= exc.offset <= max(len(text), 1)
        return
    env: dict[str, Any] = {}
    for ref in expression.references:
        env[ref.key] = 1.5 if kind == "value" else True
    with contextlib.suppress(ExpressionError):
        expression.evaluate(env)


# -- property (c): conditions agree with a reference -------------------------------------------------

VARIABLES = ("p.a", "p.b", "q.c", "q.d")


@dataclass(frozen=True)
class Node:
    """A condition tree: ``op`` is 'var', 'const', 'not', 'and' or 'or'."""

    op: str
    args: tuple[Any, ...]

    def text(self) -> str:
        if self.op == "var":
            return str(self.args[0])
        if self.op == "const":
            return str(self.args[0])
        if self.op == "not":
            return f"not {self.args[0].text()}"
        joiner = f" {self.op} "
        return "(" + joiner.join(child.text() for child in self.args) + ")"

    def truth(self, env: dict[str, bool]) -> bool:
        """The reference: plain recursion over the tree, no eval and no numpy."""
        if self.op == "var":
            return env[self.args[0]]
        if self.op == "const":
            return self.args[0] in ("true", "True")
        if self.op == "not":
            return not self.args[0].truth(env)
        values = [child.truth(env) for child in self.args]
        if self.op == "and":
            return all(values)
        return any(values)


LEAVES = st.one_of(
    st.sampled_from(VARIABLES).map(lambda v: Node("var", (v,))),
    st.sampled_from(["true", "false", "True", "False"]).map(lambda c: Node("const", (c,))),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        children.map(lambda c: Node("not", (c,))),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=4)).map(
            lambda t: Node(t[0], tuple(t[1]))
        ),
    ),
    max_leaves=16,
)
ASSIGNMENTS = [dict(zip(VARIABLES, bits, strict=True)) for bits in np.ndindex(*(2,) * len(VARIABLES))]


@PROPERTY
@given(tree=CONDITIONS)
def test_conditions_agree_with_reference(tree: Node) -> None:
    expression = parse(tree.text(), "condition")
    assert {r.key for r in expression.references} <= set(VARIABLES)
    expected = []
    for bits in ASSIGNMENTS:
        env = {k: bool(v) for k, v in bits.items()}
        truth = tree.truth(env)
        expected.append(truth)
        assert bool(expression.evaluate(env)) is truth
    # all sixteen assignments at once, as arrays
    arrays = {k: np.array([bool(bits[k]) for bits in ASSIGNMENTS]) for k in VARIABLES}
    result = np.broadcast_to(np.asarray(expression.evaluate(arrays), dtype=bool), (len(ASSIGNMENTS),))
    assert result.tolist() == expected


# -- the loader under random edits -------------------------------------------------------------------

BUNDLED_LINES = BUNDLED.read_text(encoding="utf-8").splitlines(keepends=True)
EDIT = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.just("")),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000), st.just("")),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000).map(str)),
    st.tuples(
        st.just("replace"), st.integers(0, 10_000), st.sampled_from(list(" :-[]{}#'\"\t\n.,!&*|>x_09"))
    ),
)


def apply_edits(edits: list[tuple[str, int, str]]) -> str:
    lines = list(BUNDLED_LINES)
    for kind, where, extra in edits:
        if kind == "delete" and lines:
            del lines[where % len(lines)]
        elif kind == "duplicate" and lines:
            index = where % len(lines)
            lines.insert(index, lines[index])
        elif kind in ("swap", "replace"):
            chars = list("".join(lines))
            if not chars:
                continue
            i = where % len(chars)
            if kind == "swap":
                j = int(extra) % len(chars)
                chars[i], chars[j] = chars[j], chars[i]
            else:
                chars[i] = extra
            lines = "".join(chars).splitlines(keepends=True)
    return "".join(lines)


@pytest.fixture(scope="module")
def scenario_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the repository, so that '../seeds/claims.yaml' resolves."""
    base = tmp_path_factory.mktemp("mutations")
    (base / "seeds").mkdir()
    shutil.copy(CLAIMS, base / "seeds" / "claims.yaml")
    (base / "scenarios").mkdir()
    return base / "scenarios"


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_edited_scenario_is_valid_or_a_scenario_error(scenario_folder: Path, edits: list[Any]) -> None:
    path = scenario_folder / "edited.yaml"
    path.write_text(apply_edits(edits), encoding="utf-8")
    try:
        scenario, notes = check(path)
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == str(path)
            assert (
                problem.line is None or 1 <= problem.line <= path.read_text(encoding="utf-8").count("\n") + 2
            )
        return
    assert all(note.severity == "warning" for note in notes)
    assert math.prod(scenario.game().shape) >= 1


def test_unedited_copy_is_valid(scenario_folder: Path) -> None:
    path = scenario_folder / "unedited.yaml"
    path.write_text(apply_edits([]), encoding="utf-8")
    scenario, notes = check(path)
    assert scenario.game().shape == (2, 2) and notes == []


def test_if_else_evaluates_only_the_chosen_branch() -> None:
    """Regression: both branches used to be computed, so a guarded division still failed."""
    guarded = parse("1 / x if x != 0 else 0", "value")
    assert guarded.evaluate({"x": 0.0}) == 0.0
    np.testing.assert_allclose(guarded.evaluate({"x": np.array([0.0, 2.0, 4.0])}), [0.0, 0.5, 0.25])
    logged = parse("log(x) if x > 0 else -1", "value")
    np.testing.assert_allclose(logged.evaluate({"x": np.array([0.0, np.e])}), [-1.0, 1.0])


def test_whole_number_parameters_evaluate_like_floats() -> None:
    """Regression: ``x ** -y`` with int values raised numpy's ValueError from the evaluator."""
    assert parse("x ** -y", "value").evaluate({"x": 2, "y": 3}) == pytest.approx(0.125)
