"""Scenarios after validation: compiled players, payoff terms and outcomes, ready to build games."""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from negsim.errors import GameError, ScenarioWarning, UsageError
from negsim.report.words import join_words
from negsim.scenario.claims import ClaimIndex
from negsim.scenario.expressions import Expression
from negsim.scenario.schema import Parameter, ScenarioFile, Variant
from negsim.scenario.validation import suggest

if TYPE_CHECKING:
    from negsim.game.normal_form import NormalFormGame
    from negsim.solvers.result import SolveResult

#: Parameter units that are not payoff units (left out when finding the payoff unit).
DIMENSIONLESS_UNITS = frozenset({"probability", "discount factor", "share", "fraction"})

#: A game whose payoff tensor would need more bytes than this is refused before it is built.
MEMORY_LIMIT_BYTES = 4 * 1024**3


@dataclass(frozen=True, eq=False)
class PlayerSpec:
    """A player's strategies as built from the file (named strategies or option combinations)."""

    key: str
    name: str
    about: str
    claims: tuple[str, ...]
    strategy_keys: tuple[str, ...]
    strategy_labels: tuple[str, ...]
    phrases: tuple[str, ...]
    option_keys: tuple[str, ...] = ()
    option_values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    @property
    def uses_options(self) -> bool:
        return bool(self.option_keys)

    def variables(self, axis: int, n_players: int, keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Condition variables (``key.option`` or ``key.strategy``) as arrays along ``axis``."""
        shape = [1] * n_players
        shape[axis] = -1
        result: dict[str, np.ndarray] = {}
        if self.uses_options:
            values = self.option_values if keep is None else self.option_values[keep]
            for column, option in enumerate(self.option_keys):
                result[f"{self.key}.{option}"] = values[:, column].reshape(shape)
        else:
            count = len(self.strategy_keys)
            indices = np.arange(count) if keep is None else np.asarray(keep)
            for position, strategy in enumerate(self.strategy_keys):
                result[f"{self.key}.{strategy}"] = (indices == position).reshape(shape)
        return result


@dataclass(frozen=True, eq=False)
class PayoffTerm:
    """``value`` added to the payoffs of ``players`` (indices) where ``condition`` holds."""

    players: tuple[int, ...]
    condition: Expression
    value: Expression
    where: tuple[Any, ...] = ()


@dataclass(frozen=True, eq=False)
class TableCell:
    """One explicit payoff: player ``player`` at pure profile ``profile`` (strategy indices)."""

    profile: tuple[int, ...]
    player: int
    value: Expression
    where: tuple[Any, ...] = ()


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """Everything :class:`Scenario` needs, checked and parsed once per file."""

    path: str
    spec: ScenarioFile
    players: tuple[PlayerSpec, ...]
    terms: tuple[PayoffTerm, ...]
    table: tuple[TableCell, ...]
    outcomes: Mapping[str, Expression]
    claims: ClaimIndex
    #: the bargaining section's expressions: part ("disagreement", "powers", "discount") -> player -> value
    bargaining: Mapping[str, Mapping[int, Expression]] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(p.strategy_keys) for p in self.players)


def strategy_tables(key: str, spec: Any, feasible: Any) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Keys, labels, phrases and option values of a player's option combinations.

    ``feasible(values)`` receives a boolean array ``(combinations, options)`` and returns
    which combinations are allowed. Combinations are listed with every option taken first.
    """
    options = list(spec.options)
    combos = np.array(list(itertools.product([True, False], repeat=len(options))), dtype=bool)
    combos = combos[feasible(combos)]
    keys, labels, phrases = [], [], []
    for row in combos:
        taken = [o for o, on in zip(options, row) if on]
        untaken = [o for o, on in zip(options, row) if not on]
        keys.append("+".join(taken) if taken else "none")
        names = {o: spec.options[o].label or o for o in options}
        if taken:
            labels.append(" + ".join(names[o] for o in taken))
        else:
            single = spec.options[options[0]]
            if len(options) == 1:
                labels.append(single.off_label or f"no {names[options[0]]}")
            else:
                labels.append(", ".join(f"no {names[o]}" for o in options))
        yes = [spec.options[o].yes or f"chooses {names[o]}" for o in taken]
        no = [
            spec.options[o].no or f"does not choose {names[o]}"
            for o in untaken
            if len(options) == 1 or spec.options[o].no or not taken
        ]
        phrases.append(join_words(yes + no))
    return keys, labels, phrases, combos


class ScenarioBase:
    """What every kind of scenario offers: its descriptions, parameters, variants and changes.

    Subclasses are frozen dataclasses with fields ``compiled`` (whose ``spec`` is the
    validated file), ``overrides`` and ``variant_name``.
    """

    compiled: Any
    overrides: Mapping[str, float]
    variant_name: str | None

    # -- descriptions -----------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self.compiled.path

    @property
    def title(self) -> str:
        return self.compiled.spec.title

    @property
    def description(self) -> str:
        return self.compiled.spec.description

    @property
    def players(self) -> tuple[str, ...]:
        """Player keys, in file order."""
        return tuple(p.key for p in self.compiled.players)

    @property
    def parameters(self) -> Mapping[str, Parameter]:
        """The parameters declared in the file."""
        return MappingProxyType(self.compiled.spec.parameters)

    @property
    def variants(self) -> Mapping[str, Variant]:
        """The named variants declared in the file."""
        return MappingProxyType(self.compiled.spec.variants)

    @property
    def claims(self) -> ClaimIndex:
        """The claims the scenario can cite."""
        return self.compiled.claims

    def payoff_unit(self) -> str | None:
        """The unit payoffs are measured in: the one unit shared by the payoff parameters.

        Parameters without a unit or measured without one (a probability, a discount factor, a
        share) are left out; None when the others do not share exactly one unit.
        """
        units = {p.unit for p in self.parameters.values() if p.unit and p.unit not in DIMENSIONLESS_UNITS}
        return units.pop() if len(units) == 1 else None

    def parameter_values(self) -> dict[str, float]:
        """Current parameter values: file defaults, then the variant, then overrides."""
        values = {name: p.value for name, p in self.compiled.spec.parameters.items()}
        if self.variant_name is not None:
            values.update(self.compiled.spec.variants[self.variant_name].set)
        values.update(self.overrides)
        return values

    # -- changes ----------------------------------------------------------------------------
    def with_params(self: _S, **values: float) -> _S:
        """A copy with some parameters changed.

        Raises :class:`UsageError` for an unknown name or a non-finite value; a value outside
        the parameter's declared range is allowed with a :class:`ScenarioWarning`.
        """
        declared = self.compiled.spec.parameters
        merged = dict(self.overrides)
        for name, value in values.items():
            if name not in declared:
                raise UsageError(f"unknown parameter '{name}'; {suggest(name, declared)}")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise UsageError(f"parameter '{name}' needs a number, got {value!r}") from None
            if not np.isfinite(number):
                raise UsageError(f"parameter '{name}' needs a finite number, got {value!r}")
            limits = declared[name].range
            if limits is not None and not limits[0] <= number <= limits[1]:
                warnings.warn(
                    f"{name} = {number:g} lies outside its plausible range [{limits[0]:g}, {limits[1]:g}]",
                    ScenarioWarning,
                    stacklevel=2,
                )
            merged[name] = number
        return replace(self, overrides=MappingProxyType(merged))  # type: ignore[type-var]

    def variant(self: _S, name: str) -> _S:
        """A copy with the named variant applied (its parameter values and restrictions)."""
        if name not in self.compiled.spec.variants:
            known = self.compiled.spec.variants
            hint = suggest(name, known) if known else "this scenario defines no variants"
            raise UsageError(f"unknown variant '{name}'; {hint}")
        return replace(self, variant_name=name)  # type: ignore[type-var]


_S = TypeVar("_S", bound=ScenarioBase)


@dataclass(frozen=True, eq=False)
class Scenario(ScenarioBase):
    """A validated scenario with its current parameter values and variant.

    Build games from it with :meth:`game`, solve with :meth:`solve`; :meth:`with_params` and
    :meth:`variant` return changed copies and leave this one as it is.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load("scenarios/neutrality_for_guarantees.yaml")
    >>> s.players
    ('ukraine', 'russia')
    >>> s.with_params(guarantee_value=0).parameter_values()["guarantee_value"]
    0.0
    """

    compiled: CompiledScenario
    overrides: Mapping[str, float] = field(default_factory=dict)
    variant_name: str | None = None

    # -- building ---------------------------------------------------------------------------
    def strategy_indices(self) -> list[np.ndarray]:
        """For each player, the indices of the strategies allowed by the current variant."""
        keep = [np.arange(len(p.strategy_keys)) for p in self.compiled.players]
        if self.variant_name is None:
            return keep
        for target, wanted in self.compiled.spec.variants[self.variant_name].fix.items():
            owner, _, option = target.partition(".")
            index = self.players.index(owner)
            player = self.compiled.players[index]
            if option:
                column = player.option_keys.index(option)
                allowed = np.flatnonzero(player.option_values[:, column] == bool(wanted))
            else:
                allowed = np.array([player.strategy_keys.index(str(wanted))])
            keep[index] = np.intersect1d(keep[index], allowed)
        return keep

    def strategy_phrases(self) -> list[list[str]]:
        """For each player, the plain-words phrase of each strategy the current variant allows.

        Examples
        --------
        >>> import negsim
        >>> negsim.load("scenarios/neutrality_for_guarantees.yaml").strategy_phrases()[0]
        ['renounces its NATO bid', 'keeps its NATO bid']
        """
        keep = self.strategy_indices()
        return [[p.phrases[k] for k in keep[i]] for i, p in enumerate(self.compiled.players)]

    def payoff_tensor(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Payoffs of every allowed profile, shape ``(*batch, n_1, ..., n_N, N)``.

        ``values`` maps parameter names to numbers or to arrays of one common shape (the
        batch shape); by default the scenario's current values are used.
        """
        compiled = self.compiled
        keep = self.strategy_indices()
        shape = tuple(len(k) for k in keep)
        n_players = len(shape)
        check_size(shape)
        values = self.parameter_values() if values is None else dict(values)
        env = self._variables(keep)
        evaluated = []
        for term in compiled.terms:
            value = np.asarray(term.value.evaluate(values), dtype=np.float64)
            mask = np.broadcast_to(np.asarray(term.condition.evaluate(env), dtype=bool), shape)
            evaluated.append((term, value, mask))
        cells = [(cell, np.asarray(cell.value.evaluate(values), dtype=np.float64)) for cell in compiled.table]
        batch = np.broadcast_shapes(*(v.shape for _, v, _ in evaluated), *(v.shape for _, v in cells))
        tensor = np.zeros(batch + shape + (n_players,))
        extra = (np.newaxis,) * n_players
        for term, value, mask in evaluated:
            for player in term.players:
                tensor[..., player] += value[(...,) + extra] * mask
        if cells:
            position = [{int(k): i for i, k in enumerate(row)} for row in keep]
            for cell, value in cells:
                target = tuple(position[axis].get(s) for axis, s in enumerate(cell.profile))
                if None not in target:
                    tensor[(...,) + target + (cell.player,)] = value
        return tensor

    def _variables(self, keep: list[np.ndarray]) -> dict[str, np.ndarray]:
        env: dict[str, np.ndarray] = {}
        n_players = len(keep)
        for axis, player in enumerate(self.compiled.players):
            env.update(player.variables(axis, n_players, keep[axis]))
        return env

    def outcome_masks(self) -> dict[str, np.ndarray]:
        """Each named outcome as a boolean array over the allowed profiles."""
        keep = self.strategy_indices()
        shape = tuple(len(k) for k in keep)
        env = self._variables(keep)
        return {
            name: np.broadcast_to(np.asarray(condition.evaluate(env), dtype=bool), shape)
            for name, condition in self.compiled.outcomes.items()
        }

    def game(self) -> NormalFormGame:
        """The normal-form game at the current parameter values and variant."""
        from negsim.game.normal_form import NormalFormGame

        keep = self.strategy_indices()
        tensor = self.payoff_tensor()
        players = [p.name for p in self.compiled.players]
        labels = [[p.strategy_labels[k] for k in keep[i]] for i, p in enumerate(self.compiled.players)]
        title = self.title + (f" ({self.variant_name})" if self.variant_name else "")
        return NormalFormGame(tensor, players, labels, outcomes=self.outcome_masks(), title=title)

    def solve(self, *, method: str = "auto", tol: float | None = None) -> SolveResult:
        """Solve :meth:`game` with :func:`negsim.solvers.solve`."""
        from negsim.solvers import DEFAULT_TOLERANCE, solve

        return solve(self.game(), method=method, tol=DEFAULT_TOLERANCE if tol is None else tol)

    def __repr__(self) -> str:
        name = os.path.basename(self.path)
        extra = f", variant={self.variant_name!r}" if self.variant_name else ""
        return f"<Scenario {self.title!r} from {name}{extra}>"


def check_size(shape: tuple[int, ...]) -> None:
    """Refuse, before allocating, a game whose payoffs would not fit in memory."""
    profiles = 1
    for n in shape:
        profiles *= n
    needed = profiles * len(shape) * 8
    if needed > MEMORY_LIMIT_BYTES:
        size = " x ".join(str(n) for n in shape)
        raise GameError(
            f"the game is too large to build: {size} = {profiles:,} profiles x {len(shape)} players "
            f"needs about {needed / 1024**3:.1f} GiB for payoffs alone (limit "
            f"{MEMORY_LIMIT_BYTES / 1024**3:.0f} GiB); reduce options or strategies, "
            "or fix some with a variant"
        )
