"""A small, safe language for payoff values and conditions.

Values are arithmetic over named parameters: ``4 * credibility - 1``,
``max(0, war_cost - aid)``, ``3 if credibility > 0.5 else 1``. Conditions are plain logic over
the players' options and strategies: ``russia.pledge and not ukraine.renounce_nato``.

Text is parsed with :func:`ast.parse` and only a whitelist of node types is accepted; the
tree is compiled into small Python closures, so user text is never executed. Evaluation
works on floats and, unchanged, on numpy arrays of parameter values (sweeps, sampling).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Kind = Literal["value", "condition"]
Evaluator = Callable[[Mapping[str, Any]], Any]

MAX_LENGTH = 2000
MAX_DEPTH = 60


class ExpressionError(Exception):
    """An expression cannot be parsed or evaluated; ``offset`` is the 0-based column in its text."""

    def __init__(self, message: str, offset: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def _domain(name: str, func: Callable[[Any], Any], ok: Callable[[Any], Any], rule: str) -> Callable[..., Any]:
    def checked(value: Any) -> Any:
        if not np.all(ok(value)):
            raise ValueError(f"{name}() needs {rule}")
        return func(value)

    return checked


def _reduce(func: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    def reduced(*args: Any) -> Any:
        result = args[0]
        for arg in args[1:]:
            result = func(result, arg)
        return result

    return reduced


#: Functions a value may call: name -> (implementation, minimum and maximum argument count).
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "min": (_reduce(np.minimum), 1, 64),
    "max": (_reduce(np.maximum), 1, 64),
    "abs": (np.abs, 1, 1),
    "exp": (np.exp, 1, 1),
    "log": (_domain("log", np.log, lambda v: np.asarray(v) > 0, "a positive argument"), 1, 1),
    "sqrt": (_domain("sqrt", np.sqrt, lambda v: np.asarray(v) >= 0, "a non-negative argument"), 1, 1),
    "clip": (np.clip, 3, 3),
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Pow: np.power,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_SYMBOL = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


@dataclass(frozen=True)
class Reference:
    """A name used in an expression and where: a parameter (``owner`` None) or ``owner.name``."""

    owner: str | None
    name: str
    offset: int
    #: where ``name`` itself starts in ``owner.name`` (``offset`` is where ``owner`` starts)
    name_offset: int | None = None

    @property
    def key(self) -> str:
        return self.name if self.owner is None else f"{self.owner}.{self.name}"

    @property
    def name_at(self) -> int:
        """The column (0-based) of ``name`` in the expression's text."""
        return self.offset if self.name_offset is None else self.name_offset


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed value or condition: its text, the names it uses and a compiled evaluator."""

    text: str
    kind: Kind
    references: tuple[Reference, ...]
    _evaluate: Evaluator

    @staticmethod
    def _float(name: str, value: Any) -> Any:
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ExpressionError(f"parameter '{name}' is not a number: {value!r}") from None

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """Evaluate with ``env`` mapping parameter names (values) or ``player.name`` (conditions).

        Raises :class:`ExpressionError` (with the offset of the failing part) on division by
        zero, a function outside its domain or a non-finite result. Parameter values are
        taken as floats, so whole numbers behave like the file's numbers (``2 ** -3``).
        """
        if self.kind == "value":
            env = {name: self._float(name, value) for name, value in env.items()}
        with np.errstate(all="ignore"):
            result = self._evaluate(env)
        if self.kind == "value" and not np.all(np.isfinite(result)):
            raise ExpressionError(f"the value of {self.text!r} is not a finite number", 0)
        return result


def parse(text: str | float | int | bool, kind: Kind) -> Expression:
    """Parse a value or condition.

    Examples
    --------
    >>> e = parse("4 * credibility - 1", "value")
    >>> float(e.evaluate({"credibility": 0.5}))
    1.0
    >>> [r.key for r in e.references]
    ['credibility']
    >>> c = parse("russia.pledge and not ukraine.renounce_nato", "condition")
    >>> bool(c.evaluate({"russia.pledge": True, "ukraine.renounce_nato": False}))
    True
    >>> try:
    ...     parse("__import__('os')", "value")
    ... except ExpressionError as error:
    ...     print(error)
    function '__import__' is not allowed
    """
    if isinstance(text, bool):
        if kind == "condition":
            flag = bool(text)
            return Expression(str(text).lower(), kind, (), lambda env: flag)
        raise ExpressionError("a value must be a number or an expression, not true/false")
    if isinstance(text, (int, float)):
        if kind == "value":
            number = float(text)
            if not np.isfinite(number):
                raise ExpressionError(f"{text} is not a finite number")
            return Expression(str(text), kind, (), lambda env: number)
        raise ExpressionError("a condition must be logic over options, not a number")
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text)} characters, limit {MAX_LENGTH})")
    if not text.strip():
        raise ExpressionError("expression is empty")
    source = text.replace("\n", " ")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) - 1 + (len(source) - len(source.lstrip()))
        raise ExpressionError(f"cannot parse {text!r}: {exc.msg}", offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is too deeply nested") from None
    except ValueError as exc:
        raise ExpressionError(f"cannot parse {text!r}: {exc}") from None
    compiler = _Compiler(kind, len(source) - len(source.lstrip()), source.strip())
    evaluate = compiler.compile(tree.body, 0)
    return Expression(text, kind, tuple(compiler.references), evaluate)


class _Compiler:
    def __init__(self, kind: Kind, indent: int, source: str) -> None:
        self.kind = kind
        self.indent = indent
        self.encoded = source.encode("utf-8")
        self.references: list[Reference] = []

    def offset(self, node: ast.AST) -> int:
        return self.column(getattr(node, "col_offset", 0))

    def column(self, byte_offset: int) -> int:
        """The character column of a byte offset reported by :mod:`ast` (they differ after non-ASCII)."""
        return self.indent + len(self.encoded[:byte_offset].decode("utf-8", errors="replace"))

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExpressionError:
        return ExpressionError(message, self.offset(node), hint)

    def compile(self, node: ast.AST, depth: int) -> Evaluator:
        if depth > MAX_DEPTH:
            raise self.fail(node, "expression is too deeply nested")
        if self.kind == "condition":
            return self._condition(node, depth + 1)
        return self._value(node, depth + 1)

    # -- conditions -------------------------------------------------------------------------
    def _condition(self, node: ast.AST, depth: int) -> Evaluator:
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v, depth) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda env: _reduce(np.logical_and)(*(p(env) for p in parts))
            return lambda env: _reduce(np.logical_or)(*(p(env) for p in parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.compile(node.operand, depth)
            return lambda env: np.logical_not(inner(env))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            end = self.column(getattr(node, "end_col_offset", 0) or 0)
            ref = Reference(node.value.id, node.attr, self.offset(node), max(end - len(node.attr), 0))
            self.references.append(ref)
            key = ref.key
            return lambda env: env[key]
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            constant = node.value
            return lambda env: constant
        if isinstance(node, ast.Name) and node.id in ("true", "false"):
            constant = node.id == "true"
            return lambda env: constant
        if isinstance(node, ast.Name):
            raise self.fail(
                node,
                f"'{node.id}' is not an option or strategy reference",
                "write player.option or player.strategy, e.g. russia.pledge",
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            word = "and" if isinstance(node.op, ast.BitAnd) else "or"
            raise self.fail(node, f"use '{word}' instead of '{_SYMBOL[type(node.op)]}' in conditions")
        raise self.fail(
            node,
            f"{_describe(node)} is not allowed in a condition",
            "use and, or, not, parentheses and player.option names",
        )

    # -- values -----------------------------------------------------------------------------
    def _value(self, node: ast.AST, depth: int) -> Evaluator:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.fail(node, f"{node.value!r} is not a number")
            try:
                number = float(node.value)
            except OverflowError:
                raise self.fail(node, "the number is too large", "numbers must be finite") from None
            if not np.isfinite(number):
                raise self.fail(node, f"{node.value!r} is not a finite number")
            return lambda env: number
        if isinstance(node, ast.Name):
            ref = Reference(None, node.id, self.offset(node))
            self.references.append(ref)
            name = node.id
            return lambda env: env[name]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.compile(node.operand, depth)
            if isinstance(node.op, ast.USub):
                return lambda env: np.negative(inner(env))
            return inner
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise self.fail(
                    node,
                    f"operator '{_SYMBOL.get(type(node.op), '?')}' is not allowed",
                    "use + - * / ** and the functions " + ", ".join(FUNCTIONS),
                )
            left, right = self.compile(node.left, depth), self.compile(node.right, depth)
            if isinstance(node.op, ast.Div):
                return self._divide(left, right, self.offset(node.right))
            return lambda env: op(left(env), right(env))
        if isinstance(node, ast.Compare):
            return self._compare(node, depth)
        if isinstance(node, ast.IfExp):
            test = self.compile(node.test, depth)
            yes, no = self.compile(node.body, depth), self.compile(node.orelse, depth)
            return _choose(test, yes, no)
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v, depth) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            return lambda env: _reduce(combine)(*(p(env) for p in parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.compile(node.operand, depth)
            return lambda env: np.logical_not(inner(env))
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Attribute):
            raise self.fail(
                node,
                f"{_describe(node)} is not allowed in a value",
                "values use parameter names; options belong in 'when'",
            )
        raise self.fail(
            node,
            f"{_describe(node)} is not allowed in a value",
            "use numbers, parameter names, + - * / **, comparisons and " + ", ".join(FUNCTIONS),
        )

    def _divide(self, left: Evaluator, right: Evaluator, offset: int) -> Evaluator:
        def divide(env: Mapping[str, Any]) -> Any:
            denominator = right(env)
            if np.any(np.asarray(denominator) == 0):
                raise ExpressionError("division by zero", offset, "check the parameter values used here")
            return np.true_divide(left(env), denominator)

        return divide

    def _compare(self, node: ast.Compare, depth: int) -> Evaluator:
        operands = [self.compile(node.left, depth)] + [self.compile(c, depth) for c in node.comparators]
        ops = []
        for op in node.ops:
            func = _COMPARE.get(type(op))
            if func is None:
                raise self.fail(node, f"comparison {type(op).__name__} is not allowed")
            ops.append(func)

        def compare(env: Mapping[str, Any]) -> Any:
            values = [o(env) for o in operands]
            result: Any = True
            for func, a, b in zip(ops, values, values[1:]):
                result = np.logical_and(result, func(a, b))
            return np.asarray(result, dtype=np.float64) if np.ndim(result) else float(result)

        return compare

    def _call(self, node: ast.Call, depth: int) -> Evaluator:
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                node, f"{_describe(node.func)} cannot be called", "allowed functions: " + ", ".join(FUNCTIONS)
            )
        name = node.func.id
        if name not in FUNCTIONS:
            from difflib import get_close_matches

            close = get_close_matches(name, FUNCTIONS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed functions: " + ", ".join(FUNCTIONS)
            raise self.fail(node, f"function '{name}' is not allowed", hint)
        if node.keywords:
            raise self.fail(node, f"{name}() takes no keyword arguments")
        func, low, high = FUNCTIONS[name]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise self.fail(node, f"{name}() takes {count} argument(s), got {len(node.args)}")
        args = [self.compile(a, depth) for a in node.args]
        offset = self.offset(node)

        def call(env: Mapping[str, Any]) -> Any:
            values = [a(env) for a in args]
            try:
                return func(*values)
            except ValueError as exc:
                raise ExpressionError(str(exc), offset) from None

        return call


def _choose(test: Evaluator, yes: Evaluator, no: Evaluator) -> Evaluator:
    """``yes if test else no``, evaluating each branch only where it is chosen.

    So ``1 / x if x != 0 else 0`` is fine at ``x = 0``, also when ``x`` is an array.
    """

    def choose(env: Mapping[str, Any]) -> Any:
        condition = np.asarray(test(env), dtype=bool)
        arrays = {k: np.asarray(v) for k, v in env.items() if np.ndim(v)}
        if condition.ndim == 0 and not arrays:
            return yes(env) if condition else no(env)
        shape = np.broadcast_shapes(condition.shape, *(v.shape for v in arrays.values()))
        condition = np.broadcast_to(condition, shape)
        result = np.empty(shape)
        for branch, where in ((yes, condition), (no, ~condition)):
            if where.any():
                part = {k: (np.broadcast_to(v, shape)[where] if k in arrays else v) for k, v in env.items()}
                result[where] = branch(part)
        return result if shape else float(result)

    return choose


def _describe(node: ast.AST) -> str:
    names = {
        ast.Subscript: "indexing",
        ast.Lambda: "lambda",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.JoinedStr: "an f-string",
        ast.Attribute: "attribute access",
        ast.Call: "a call",
        ast.Compare: "a comparison",
        ast.BinOp: "arithmetic",
        ast.Constant: "a constant",
        ast.ListComp: "a comprehension",
        ast.GeneratorExp: "a generator",
        ast.NamedExpr: "assignment",
        ast.Starred: "unpacking",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.IfExp: "if-else",
    }
    return names.get(type(node), type(node).__name__)
