"""Loading a scenario file: YAML -> strict schema -> name checks -> compiled :class:`Scenario`.

Every problem in the file is collected before anything is raised, so a user sees them all
at once, each with file:line:column, what is wrong and how to fix it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import numpy as np
from pydantic import TypeAdapter, ValidationError

from negsim.errors import GameError, Problem, ScenarioError
from negsim.scenario.claims import ClaimIndex, index_claims, unknown_claim_hint
from negsim.scenario.expressions import Expression, ExpressionError, Kind, parse
from negsim.scenario.model import (
    CompiledScenario,
    PayoffTerm,
    PlayerSpec,
    Scenario,
    TableCell,
    check_size,
    strategy_tables,
)
from negsim.scenario.schema import (
    Bargaining,
    Outcome,
    Parameter,
    Payoffs,
    Player,
    ScenarioFile,
    Variant,
)
from negsim.scenario.validation import suggest, translate
from negsim.scenario.yamlio import Positions, load_yaml, read_text

if TYPE_CHECKING:
    from negsim.scenario.sequential import SequentialScenario

#: A loaded scenario of either kind.
AnyScenario = Union[Scenario, "SequentialScenario"]

#: The kinds of scenario file.
KINDS = ("strategic", "sequential")

_SECTIONS: dict[str, TypeAdapter[Any]] = {
    "parameters": TypeAdapter(dict[str, Parameter]),
    "players": TypeAdapter(dict[str, Player]),
    "payoffs": TypeAdapter(Payoffs),
    "outcomes": TypeAdapter(dict[str, Outcome]),
    "variants": TypeAdapter(dict[str, Variant]),
    "bargaining": TypeAdapter(Bargaining),
}


def load(path: str | os.PathLike[str]) -> AnyScenario:
    """Load, validate and compile a scenario file.

    Raises :class:`~negsim.errors.ScenarioError` listing every problem found. Warnings
    (unused parameters, outcomes no profile reaches) are issued as
    :class:`~negsim.errors.ScenarioWarning`.

    Examples
    --------
    >>> scenario = load("scenarios/neutrality_for_guarantees.yaml")
    >>> scenario.game().shape
    (2, 2)
    """
    scenario, notes = check(path)
    _issue(notes)
    return scenario


def check(path: str | os.PathLike[str]) -> tuple[AnyScenario, list[Problem]]:
    """Like :func:`load`, but return the warnings as problems instead of issuing them."""
    name = os.fspath(path)
    raw, positions = load_yaml(read_text(name), name)
    return _check(_Checker(raw, positions, Path(name)))


def _check(checker: _Checker) -> tuple[AnyScenario, list[Problem]]:
    """Run the checker of the scenario's kind."""
    kind = checker.raw.get("kind", "strategic") if isinstance(checker.raw, dict) else "strategic"
    if kind == "sequential":
        from negsim.scenario.sequential import check_sequential

        return check_sequential(checker)
    if isinstance(kind, str) and kind != "strategic":
        raise ScenarioError(
            checker.positions.problem(("kind",), f"unknown scenario kind '{kind}'", suggest(kind, KINDS))
        )
    return checker.run()


def loads(text: str, filename: str = "<string>") -> AnyScenario:
    """Load a scenario from YAML text; ``filename`` names it in messages and anchors claim paths.

    Examples
    --------
    >>> text = '''
    ... negsim: 1
    ... title: Two doors
    ... players:
    ...   a: {name: A, strategies: [left, right]}
    ...   b: {name: B, strategies: [left, right]}
    ... payoffs:
    ...   terms:
    ...     - {to: all, when: (a.left and b.left) or (a.right and b.right), value: 1}
    ... '''
    >>> len(loads(text).solve().equilibria)
    3
    """
    raw, positions = load_yaml(text, filename)
    scenario, notes = _check(_Checker(raw, positions, Path(filename)))
    _issue(notes)
    return scenario


def _issue(notes: list[Problem]) -> None:
    import warnings

    from negsim.errors import ScenarioWarning

    for note in notes:
        warnings.warn(str(note), ScenarioWarning, stacklevel=3)


class _Checker:
    def __init__(self, raw: Any, positions: Positions, path: Path) -> None:
        self.raw = raw
        self.positions = positions
        self.path = path
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.parameters: dict[str, Parameter] | None = None
        self.players: dict[str, Player] | None = None
        self.used_parameters: set[str] = set()
        #: what conditions may name, when not players' strategies and options (sequential scenarios)
        self.owners_override: dict[str, set[str]] | None = None

    # -- helpers ----------------------------------------------------------------------------
    def error(
        self, where: tuple[Any, ...], message: str, hint: str = "", *, key: bool = False, offset: int = 0
    ) -> None:
        self.problems.append(self.positions.problem(where, message, hint, key=key, offset=offset))

    def warn(self, where: tuple[Any, ...], message: str, hint: str = "", *, key: bool = False) -> None:
        self.notes.append(self.positions.problem(where, message, hint, key=key, severity="warning"))

    def section(self, name: str) -> Any:
        if not isinstance(self.raw, dict) or name not in self.raw:
            return None
        try:
            return _SECTIONS[name].validate_python(self.raw[name])
        except ValidationError:
            return None

    # -- the pipeline -----------------------------------------------------------------------
    def run(self) -> tuple[Scenario, list[Problem]]:
        if self.raw is None:
            raise ScenarioError(
                self.positions.problem(
                    (), "the scenario file is empty", "start from 'negsim new FILE' for a commented example"
                )
            )
        if not isinstance(self.raw, dict):
            raise ScenarioError(
                self.positions.problem(
                    (),
                    "a scenario file must be a mapping with keys such as negsim, title, players, payoffs",
                    "start from 'negsim new FILE' for a commented example",
                )
            )
        spec: ScenarioFile | None = None
        try:
            spec = ScenarioFile.model_validate(self.raw)
        except ValidationError as exc:
            self.problems.extend(translate(exc, self.raw, self.positions, ScenarioFile))
        self.parameters = self.section("parameters")
        self.players = self.section("players")
        claims = self.check_claims()
        player_specs = self.compile_players()
        terms, table = self.compile_payoffs(player_specs)
        outcomes = self.compile_outcomes()
        self.check_variants()
        bargaining = self.compile_bargaining()
        self.check_unused()
        if self.problems or spec is None or player_specs is None:
            raise ScenarioError(_sorted(self.problems))
        compiled = CompiledScenario(
            path=os.fspath(self.path),
            spec=spec,
            players=tuple(player_specs),
            terms=tuple(terms),
            table=tuple(table),
            outcomes=outcomes,
            claims=claims,
            bargaining=bargaining,
        )
        scenario = Scenario(compiled)
        self.check_values(scenario)
        if self.problems:
            raise ScenarioError(_sorted(self.problems))
        return scenario, _sorted(self.notes)

    # -- claims -----------------------------------------------------------------------------
    def check_claims(self) -> ClaimIndex:
        sources = self.raw.get("sources", [])
        resolved: list[Path] = []
        if isinstance(sources, list):
            for position, source in enumerate(sources):
                if not isinstance(source, str):
                    continue
                target = (self.path.parent / source).resolve()
                if not target.is_file():
                    self.error(
                        ("sources", position),
                        f"claims file '{source}' not found",
                        f"paths are relative to the scenario's folder ({self.path.parent or '.'})",
                    )
                    continue
                resolved.append(target)
        index, claim_problems = index_claims(resolved)
        self.problems.extend(claim_problems)
        for where, claim_id in _claim_citations(self.raw):
            if not isinstance(claim_id, str):
                continue
            if not resolved and not claim_problems:
                self.error(
                    where,
                    f"cites claim '{claim_id}' but the scenario lists no claims file",
                    "add 'sources: [../seeds/claims.yaml]' (a path relative to this file)",
                )
            elif resolved and not claim_problems and claim_id not in index:
                self.error(where, f"unknown claim id '{claim_id}'", unknown_claim_hint(claim_id, index))
        return index

    # -- players ----------------------------------------------------------------------------
    def compile_players(self) -> list[PlayerSpec] | None:
        if self.players is None:
            return None
        specs = []
        names: dict[str, str] = {}
        for key, player in self.players.items():
            where = ("players", key)
            if player.name in names:
                self.error(
                    (*where, "name"),
                    f"two players are called '{player.name}'",
                    f"'{names[player.name]}' already uses that name; give each party its own name",
                )
            names.setdefault(player.name, key)
            if player.strategies is not None:
                keys = list(player.strategies)
                labels = [s.label or k for k, s in player.strategies.items()]
                phrases = [s.does or f"plays {s.label or k}" for k, s in player.strategies.items()]
                options: tuple[str, ...] = ()
                values = np.zeros((len(keys), 0), dtype=bool)
            else:
                keys, labels, phrases, values = strategy_tables(key, player, self._feasibility(key, player))
                options = tuple(player.options or {})
                if not keys:
                    # 'exclusive' alone always leaves 'none', so the 'infeasible' rules are to blame
                    self.error(
                        (*where, "infeasible"),
                        f"{player.name} has no feasible combination of options",
                        "relax 'exclusive' or 'infeasible'",
                        key=True,
                    )
                    continue
            self._distinct_labels(where, labels)
            specs.append(
                PlayerSpec(
                    key,
                    player.name,
                    player.about,
                    tuple(player.claims),
                    tuple(keys),
                    tuple(labels),
                    tuple(phrases),
                    options,
                    values,
                )
            )
        return specs

    def _distinct_labels(self, where: tuple[Any, ...], labels: list[str]) -> None:
        seen = set()
        for label in labels:
            if label in seen:
                self.error(where, f"two strategies are labelled '{label}'", "give each a distinct label")
            seen.add(label)

    def _feasibility(self, key: str, player: Player) -> Callable[[np.ndarray], np.ndarray]:
        options = list(player.options or {})
        groups: list[list[int]] = []
        for g, group in enumerate(player.exclusive):
            indices = []
            for i, option in enumerate(group):
                if option not in options:
                    self.error(
                        ("players", key, "exclusive", g, i),
                        f"'{option}' is not an option of {key}",
                        suggest(option, options),
                    )
                else:
                    indices.append(options.index(option))
            groups.append(indices)
        rules: list[Expression] = []
        for r, rule in enumerate(player.infeasible):
            expression = self.expression(
                ("players", key, "infeasible", r), rule, "condition", owners={key: set(options)}
            )
            if expression is not None:
                rules.append(expression)

        def feasible(values: np.ndarray) -> np.ndarray:
            keep = np.ones(len(values), dtype=bool)
            for indices in groups:
                keep &= values[:, indices].sum(axis=1) <= 1
            env = {f"{key}.{o}": values[:, i] for i, o in enumerate(options)}
            for expression in rules:
                keep &= ~np.broadcast_to(np.asarray(expression.evaluate(env), dtype=bool), keep.shape)
            return keep

        return feasible

    # -- expressions --------------------------------------------------------------------------
    def _references(self) -> dict[str, set[str]] | None:
        if self.owners_override is not None:
            return self.owners_override
        if self.players is None:
            return None
        return {key: set(p.strategies or p.options or {}) for key, p in self.players.items()}

    def expression(
        self, where: tuple[Any, ...], text: Any, kind: Kind, owners: dict[str, set[str]] | None = None
    ) -> Expression | None:
        """Parse ``text`` and check every name in it; report problems at their exact column."""
        base = self.positions.scalar_offset(where)
        try:
            expression = parse(text, kind)
        except ExpressionError as exc:
            self.error(where, exc.message, exc.hint, offset=base + exc.offset)
            return None
        ok = True
        if kind == "value":
            names = set(self.parameters) if self.parameters is not None else _raw_keys(self.raw, "parameters")
            for ref in expression.references:
                self.used_parameters.add(ref.name)
                if names is not None and ref.name not in names:
                    hint = suggest(ref.name, names) if names else "declare it under 'parameters'"
                    self.error(where, f"unknown parameter '{ref.name}'", hint, offset=base + ref.offset)
                    ok = False
        else:
            owners = owners if owners is not None else self._references()
            if owners is None:
                return expression
            for ref in expression.references:
                if ref.owner not in owners:
                    self.error(
                        where,
                        f"unknown player '{ref.owner}'",
                        suggest(str(ref.owner), owners),
                        offset=base + ref.offset,
                    )
                    ok = False
                elif ref.name not in owners[ref.owner]:
                    choices = owners[ref.owner]
                    kinds = (
                        "a move or option" if self.owners_override is not None else "an option or strategy"
                    )
                    self.error(
                        where,
                        f"'{ref.name}' is not {kinds} of {ref.owner}",
                        suggest(ref.name, sorted(choices)),
                        offset=base + ref.name_at,
                    )
                    ok = False
        return expression if ok else None

    # -- payoffs ----------------------------------------------------------------------------
    def compile_payoffs(self, players: list[PlayerSpec] | None) -> tuple[list[PayoffTerm], list[TableCell]]:
        payoffs = self.section("payoffs")
        if payoffs is None:
            return [], []
        keys = list(self.players) if self.players is not None else None
        terms: list[PayoffTerm] = []
        for t, term in enumerate(payoffs.terms or []):
            where = ("payoffs", "terms", t)
            targets = self._targets((*where, "to"), term.to, keys)
            condition = self.expression((*where, "when"), term.when, "condition")
            value = self.expression((*where, "value"), term.value, "value")
            if targets is not None and condition is not None and value is not None:
                terms.append(PayoffTerm(targets, condition, value, (*where, "value")))
        table = self._table(payoffs.table, players) if payoffs.table is not None else []
        return terms, table

    def _targets(
        self, where: tuple[Any, ...], to: str | list[str], keys: list[str] | None
    ) -> tuple[int, ...] | None:
        if keys is None:
            return None
        if to == "all":
            return tuple(range(len(keys)))
        names = [to] if isinstance(to, str) else to
        result = []
        for i, name in enumerate(names):
            spot = where if isinstance(to, str) else (*where, i)
            if name not in keys:
                self.error(spot, f"unknown player '{name}'", suggest(name, [*keys, "all"]))
                return None
            result.append(keys.index(name))
        if len(set(result)) != len(result):
            self.error(where, "a player is listed twice in 'to'", "list each player once")
            return None
        return tuple(result)

    def _table(self, rows: list[Any], players: list[PlayerSpec] | None) -> list[TableCell]:
        if players is None:
            return []
        keys = [p.key for p in players]
        cells: list[TableCell] = []
        seen: dict[tuple[int, ...], int] = {}
        for r, row in enumerate(rows):
            where = ("payoffs", "table", r)
            profile: list[int] = []
            for key in row.profile:
                if key not in keys:
                    self.error(
                        (*where, "profile", key), f"unknown player '{key}'", suggest(key, keys), key=True
                    )
            for p in players:
                if p.key not in row.profile:
                    self.error(
                        (*where, "profile"),
                        f"the profile does not say what {p.key} plays",
                        f"add '{p.key}: <one of {', '.join(p.strategy_keys)}>'",
                    )
                    continue
                strategy = row.profile[p.key]
                if strategy not in p.strategy_keys:
                    self.error(
                        (*where, "profile", p.key),
                        f"'{strategy}' is not a strategy of {p.key}",
                        suggest(strategy, p.strategy_keys),
                    )
                    continue
                profile.append(p.strategy_keys.index(strategy))
            for key in row.payoffs:
                if key not in keys:
                    self.error(
                        (*where, "payoffs", key), f"unknown player '{key}'", suggest(key, keys), key=True
                    )
            values = []
            for i, p in enumerate(players):
                if p.key not in row.payoffs:
                    self.error(
                        (*where, "payoffs"), f"no payoff given for {p.key}", f"add '{p.key}: <number>'"
                    )
                    continue
                value = self.expression((*where, "payoffs", p.key), row.payoffs[p.key], "value")
                if value is not None:
                    values.append(TableCell((), i, value, (*where, "payoffs", p.key)))
            if len(profile) != len(players):
                continue
            key_profile = tuple(profile)
            if key_profile in seen:
                labels = ", ".join(f"{p.key}={p.strategy_keys[s]}" for p, s in zip(players, key_profile))
                self.error(
                    where,
                    f"profile ({labels}) is listed twice",
                    f"first listed as row {seen[key_profile] + 1}; keep one row per profile",
                )
                continue
            seen[key_profile] = r
            cells.extend(TableCell(key_profile, c.player, c.value, c.where) for c in values)
        shape = tuple(len(p.strategy_keys) for p in players)
        missing = [idx for idx in np.ndindex(*shape) if idx not in seen]
        if missing and not self.problems:
            shown = "; ".join(
                ", ".join(f"{p.key}={p.strategy_keys[s]}" for p, s in zip(players, idx))
                for idx in missing[:5]
            )
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            self.error(
                ("payoffs", "table"),
                f"{len(missing)} profile(s) have no row: {shown}{more}",
                "the table needs one row per combination of strategies",
            )
        return cells

    # -- outcomes and variants ------------------------------------------------------------------
    def compile_outcomes(self) -> dict[str, Expression]:
        outcomes = self.section("outcomes") or {}
        result = {}
        for name, outcome in outcomes.items():
            expression = self.expression(
                ("outcomes", name)
                if isinstance(self.raw["outcomes"][name], str)
                else ("outcomes", name, "when"),
                outcome.when,
                "condition",
            )
            if expression is not None:
                result[name] = expression
        return result

    def compile_bargaining(self) -> dict[str, dict[int, Expression]]:
        """Check the bargaining section's names; parse its expressions (player index -> value)."""
        section = self.section("bargaining")
        if section is None:
            return {}
        declared = _raw_keys(self.raw, "outcomes") or set()
        for k, name in enumerate(section.deals):
            if name not in declared:
                self.error(
                    ("bargaining", "deals", k), f"unknown outcome '{name}'", suggest(name, sorted(declared))
                )
        if section.no_deal is not None and section.no_deal not in declared:
            hint = suggest(section.no_deal, sorted(declared)) if declared else "declare it under 'outcomes'"
            self.error(("bargaining", "no_deal"), f"unknown outcome '{section.no_deal}'", hint)
        keys = list(self.players) if self.players is not None else None
        compiled: dict[str, dict[int, Expression]] = {}
        for part in ("disagreement", "powers", "discount"):
            entries = getattr(section, part)
            if entries is None:
                continue
            compiled[part] = {}
            for player, text in entries.items():
                where = ("bargaining", part, player)
                if keys is not None and player not in keys:
                    self.error(where, f"unknown player '{player}'", suggest(player, keys), key=True)
                    continue
                expression = self.expression(where, text, "value")
                if expression is not None and keys is not None:
                    compiled[part][keys.index(player)] = expression
        return compiled

    def check_variants(self) -> None:
        variants = self.section("variants") or {}
        owners = self._references()
        declared = _raw_keys(self.raw, "parameters")
        # when one parameter is invalid, the others are still checked one by one
        valid = self.parameters if self.parameters is not None else self._valid_parameters()
        for name, variant in variants.items():
            for parameter, value in variant.set.items():
                where = ("variants", name, "set", parameter)
                self.used_parameters.add(parameter)
                if declared is None:
                    continue
                if parameter not in declared:
                    hint = (
                        suggest(parameter, sorted(declared)) if declared else "declare it under 'parameters'"
                    )
                    self.error(where, f"unknown parameter '{parameter}'", hint, key=True)
                    continue
                if parameter not in valid:
                    continue
                limits = valid[parameter].range
                if limits is not None and not limits[0] <= value <= limits[1]:
                    self.error(
                        where,
                        f"{parameter} = {value:g} lies outside its range [{limits[0]:g}, {limits[1]:g}]",
                        "widen the parameter's range or change the value",
                    )
            if owners is None or self.players is None:
                continue
            for target, wanted in variant.fix.items():
                where = ("variants", name, "fix", target)
                owner, dot, option = target.partition(".")
                if owner not in owners:
                    self.error(where, f"unknown player '{owner}'", suggest(owner, owners), key=True)
                    continue
                player = self.players[owner]
                if dot:
                    if player.options is None or option not in player.options:
                        self.error(
                            where,
                            f"'{option}' is not an option of {owner}",
                            suggest(option, player.options or {}),
                            key=True,
                        )
                    elif not isinstance(wanted, bool):
                        self.error(where, f"fixing an option needs true or false, got {wanted!r}")
                elif player.strategies is None:
                    self.error(
                        where,
                        f"{owner} has options, not named strategies",
                        f"fix one option at a time: '{owner}.<option>': true",
                        key=True,
                    )
                elif wanted not in player.strategies:
                    self.error(
                        where,
                        f"'{wanted}' is not a strategy of {owner}",
                        suggest(str(wanted), player.strategies),
                    )

    def _valid_parameters(self) -> dict[str, Parameter]:
        """The parameters that are valid on their own, when the section as a whole is not."""
        entries = self.raw.get("parameters")
        valid: dict[str, Parameter] = {}
        for name, entry in entries.items() if isinstance(entries, dict) else ():
            with contextlib.suppress(ValidationError):
                valid[name] = Parameter.model_validate(entry)
        return valid

    def check_unused(self) -> None:
        for name in self.parameters or {}:
            if name not in self.used_parameters:
                self.warn(
                    ("parameters", name),
                    f"parameter '{name}' is not used by any payoff or variant",
                    "remove it or use it in a value",
                    key=True,
                )

    def check_values(self, scenario: Scenario) -> None:
        """Evaluate every payoff at the file's values and at each variant's."""
        trials = [(None, scenario)] + [(name, scenario.variant(name)) for name in scenario.variants]
        for name, candidate in trials:
            try:
                check_size(tuple(len(k) for k in candidate.strategy_indices()))
            except GameError as exc:
                self.error(("players",), str(exc))
                return
            if any(len(k) == 0 for k in candidate.strategy_indices()):
                self.error(
                    ("variants", name),
                    f"variant '{name}' leaves a player with no strategy",
                    "check its 'fix' entries",
                )
                continue
            self._evaluate_all(candidate, name)
        masks = scenario.outcome_masks()
        for outcome, mask in masks.items():
            if not mask.any():
                self.warn(
                    ("outcomes", outcome),
                    f"outcome '{outcome}' matches no strategy profile",
                    "check its condition",
                    key=True,
                )

    def _evaluate_all(self, scenario: Scenario, variant: str | None) -> None:
        suffix = f" (with variant '{variant}')" if variant else ""
        values = scenario.parameter_values()
        compiled = scenario.compiled
        items: list[PayoffTerm | TableCell] = [*compiled.terms, *compiled.table]
        for item in items:
            try:
                item.value.evaluate(values)
            except ExpressionError as exc:
                offset = self.positions.scalar_offset(item.where) + exc.offset
                self.error(item.where, exc.message + suffix, exc.hint, offset=offset)


def _raw_keys(raw: Any, section: str) -> set[str] | None:
    """The keys of a section as written; empty when the section is left out, None when it is malformed."""
    if isinstance(raw, dict) and section not in raw:
        return set()
    value = raw.get(section) if isinstance(raw, dict) else None
    return set(value) if isinstance(value, dict) else None


def _claim_citations(raw: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every ``claims: [...]`` entry anywhere in the document, with its path."""
    found: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "claims" and isinstance(value, list):
                found.extend(((*path, key, i), v) for i, v in enumerate(value))
            elif key != "claims":
                found.extend(_claim_citations(value, (*path, key)))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            found.extend(_claim_citations(value, (*path, i)))
    return found


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file, p.line or 0, p.column or 0))
