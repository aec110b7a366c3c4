"""The scenario file format, version 1, as strict pydantic models.

These models check the *shape* of a file (keys, types, ranges); names used inside
expressions are checked afterwards by :mod:`negsim.scenario.check`. Field descriptions
become the JSON Schema that ``negsim schema`` prints for editor completion.
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CLAIM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FORMAT_VERSION = 1


def check_identifier(name: str, what: str) -> str:
    """Raise ValueError unless ``name`` can be used in expressions (``russia.pledge``)."""
    if not IDENTIFIER.match(name) or keyword.iskeyword(name) or name in ("true", "false"):
        suggestion = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "name"
        if suggestion[0].isdigit() or keyword.iskeyword(suggestion):
            suggestion = "_" + suggestion
        raise ValueError(
            f"{what} name {name!r} must be a simple identifier (letters, digits, underscores, "
            f"not starting with a digit, not a reserved word); try {suggestion!r}"
        )
    return name


def expand_names(value: Any) -> Any:
    """A list of names as a mapping of empty entries, and empty entries (``name:``) as ``{}``.

    Examples
    --------
    >>> expand_names(["talk", "walk"]), expand_names({"talk": None, "walk": {"label": "leave"}})
    ({'talk': {}, 'walk': {}}, {'talk': {}, 'walk': {'label': 'leave'}})
    """
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: {} for v in value}
    if isinstance(value, dict):
        return {k: ({} if v is None else v) for k, v in value.items()}
    return value


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


Number = float


Pair = Annotated[list[float], Field(min_length=2, max_length=2)]
Triple = Annotated[list[float], Field(min_length=3, max_length=3)]
Quad = Annotated[list[float], Field(min_length=4, max_length=4)]
PairOrQuad = Annotated[list[float], Field(min_length=2, max_length=4)]
ExpressionText = Any  # a number or an expression string; checked by the validators below


def _expression(value: Any, what: str) -> float | str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{what} must be a number or an expression in quotes")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            raise ValueError(f"{what} must be a finite number, not a whole number this large") from None
        return _finite(number, what)
    return value


def _condition(value: Any, what: str) -> bool | str:
    if not isinstance(value, (bool, str)):
        raise ValueError(f"{what} must be a condition such as 'russia.pledge and not ukraine.renounce_nato'")
    return value


class Distribution(_Model):
    """Uncertainty about a parameter (shown by explain; solve uses the value). Give exactly one kind."""

    uniform: Pair | None = Field(None, description="[low, high]")
    normal: Pair | None = Field(None, description="[mean, standard deviation]")
    truncnormal: Quad | None = Field(None, description="[mean, standard deviation, low, high]")
    triangular: Triple | None = Field(None, description="[low, mode, high]")
    beta: PairOrQuad | None = Field(
        None, description="[a, b] on 0..1, or [a, b, low, high] rescaled to low..high"
    )
    lognormal: Pair | None = Field(None, description="[mu, sigma] of the logarithm of the parameter")

    @model_validator(mode="after")
    def _one_kind(self) -> Distribution:
        given = {k: v for k, v in self.__dict__.items() if v is not None}
        if len(given) != 1:
            kinds = ", ".join(type(self).model_fields)
            raise ValueError(f"give exactly one distribution kind ({kinds}); got {len(given)}")
        ((kind, args),) = given.items()
        for arg in args:
            _finite(arg, f"{kind} parameter")
        if kind == "uniform" and not args[0] < args[1]:
            raise ValueError("uniform needs low < high")
        if kind in ("normal", "truncnormal", "lognormal") and not args[1] > 0:
            raise ValueError(f"{kind} needs a positive standard deviation")
        if kind == "truncnormal" and not args[2] < args[3]:
            raise ValueError("truncnormal needs low < high")
        if kind == "triangular" and not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
            raise ValueError("triangular needs low <= mode <= high and low < high")
        if kind == "beta":
            if len(args) == 3:
                raise ValueError("beta takes [a, b] or [a, b, low, high]")
            if not (args[0] > 0 and args[1] > 0):
                raise ValueError("beta needs positive shape parameters a and b")
            if len(args) == 4 and not args[2] < args[3]:
                raise ValueError("beta needs low < high")
        return self

    @property
    def kind(self) -> str:
        """The distribution's name (``uniform``, ``normal``, ...)."""
        return next(k for k, v in self.__dict__.items() if v is not None)

    @property
    def arguments(self) -> tuple[float, ...]:
        """The distribution's numbers, as written."""
        return tuple(getattr(self, self.kind))

    def support(self) -> tuple[float, float]:
        """The interval the distribution's draws fall in (infinite ends for unbounded ones)."""
        args = self.arguments
        if self.kind in ("uniform",):
            return args[0], args[1]
        if self.kind == "truncnormal":
            return args[2], args[3]
        if self.kind == "triangular":
            return args[0], args[2]
        if self.kind == "beta":
            return (args[2], args[3]) if len(args) == 4 else (0.0, 1.0)
        if self.kind == "lognormal":
            return 0.0, math.inf
        return -math.inf, math.inf


class Parameter(_Model):
    """A named number that payoffs are written in terms of."""

    value: Number = Field(description="the value used unless overridden")
    about: str = Field(description="one line: what the number means and why this value")
    unit: str | None = Field(None, description="unit, e.g. 'utils' or 'probability'")
    range: Pair | None = Field(None, description="plausible [min, max]")
    distribution: Distribution | None = Field(None, description="uncertainty (solve uses the value)")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this number")

    @model_validator(mode="after")
    def _in_range(self) -> Parameter:
        _finite(self.value, "value")
        if self.range is not None:
            low, high = self.range
            _finite(low, "range minimum")
            _finite(high, "range maximum")
            if not low <= high:
                raise ValueError(f"range [{low}, {high}] must have min <= max")
            if not low <= self.value <= high:
                raise ValueError(f"value {self.value} lies outside its range [{low}, {high}]")
        return self


class Option(_Model):
    """A yes/no position a player controls."""

    about: str = Field("", description="what taking this position means")
    label: str | None = Field(None, description="display name (default: the option's key)")
    off_label: str | None = Field(
        None,
        description="display name when not taken, for a party with a single option (default: 'no <label>')",
    )
    yes: str | None = Field(None, description="phrase for taking it, e.g. 'signs the pledge'")
    no: str | None = Field(None, description="phrase for not taking it, e.g. 'refuses the pledge'")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this option")


class Strategy(_Model):
    """One named alternative of a player."""

    about: str = Field("", description="what the strategy means")
    label: str | None = Field(None, description="display name (default: the strategy's key)")
    does: str | None = Field(None, description="phrase for playing it, e.g. 'renounces its NATO bid'")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this strategy")


class Player(_Model):
    """A party: either named strategies or yes/no options whose combinations are its strategies."""

    name: str = Field(description="display name, e.g. 'Russia'")
    about: str = Field("", description="who this party is in the scenario")
    claims: list[str] = Field(default_factory=list, description="ids of claims about this party")
    strategies: dict[str, Strategy] | None = Field(
        None, description="named alternatives (a mapping, or a list of names)"
    )
    options: dict[str, Option] | None = Field(None, description="yes/no positions the party controls")
    exclusive: list[list[str]] = Field(
        default_factory=list, description="groups of options of which at most one may be taken"
    )
    infeasible: list[str] = Field(
        default_factory=list, description="conditions over this party's options that cannot hold together"
    )

    @field_validator("strategies", "options", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_names(value)

    @field_validator("strategies", "options")
    @classmethod
    def _names(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key in value or {}:
            check_identifier(key, "strategy or option")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Player:
        if (self.strategies is None) == (self.options is None):
            raise ValueError("give either 'strategies' or 'options' (not both, not neither)")
        if self.strategies is not None and not self.strategies:
            raise ValueError("'strategies' needs at least one strategy")
        if self.options is not None and not self.options:
            raise ValueError("'options' needs at least one option")
        if self.strategies is not None and (self.exclusive or self.infeasible):
            raise ValueError("'exclusive' and 'infeasible' apply to options, not strategies")
        if self.options is not None and len(self.options) > 16:
            raise ValueError(
                f"{len(self.options)} options make {2 ** len(self.options):,} strategies; "
                "at most 16 options per player"
            )
        return self


class Term(_Model):
    """Adds ``value`` to the payoff of ``to`` in every profile where ``when`` holds."""

    to: str | list[str] = Field(description="player key, list of keys, or 'all'")
    when: Any = Field(True, description="condition over options/strategies (default: always)")
    value: ExpressionText = Field(description="number or expression of parameters")
    about: str = Field("", description="why this term: the reasoning behind the number")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this term")

    @field_validator("value")
    @classmethod
    def _value(cls, value: Any) -> Any:
        return _expression(value, "value")

    @field_validator("when")
    @classmethod
    def _when(cls, value: Any) -> Any:
        return _condition(value, "when")


class TableRow(_Model):
    """The payoffs of one strategy profile."""

    profile: dict[str, str] = Field(description="player key -> strategy key")
    payoffs: dict[str, ExpressionText] = Field(description="player key -> number or expression")
    about: str = Field("", description="why these payoffs")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this row")

    @field_validator("payoffs")
    @classmethod
    def _values(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {k: _expression(v, f"payoff of {k}") for k, v in value.items()}


class Payoffs(_Model):
    """Either additive ``terms`` or an explicit ``table``."""

    terms: list[Term] | None = Field(
        None, description="additive terms: value to a player when a condition holds"
    )
    table: list[TableRow] | None = Field(None, description="one row per strategy profile")

    @model_validator(mode="after")
    def _one_kind(self) -> Payoffs:
        if (self.terms is None) == (self.table is None):
            raise ValueError("give either 'terms' or 'table' under 'payoffs'")
        return self


class Outcome(_Model):
    """A named set of profiles, e.g. 'settlement'."""

    when: Any = Field(description="condition over options/strategies")
    about: str = Field("", description="what this outcome means")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"when": value} if isinstance(value, (str, bool)) else value

    @field_validator("when")
    @classmethod
    def _when(cls, value: Any) -> Any:
        return _condition(value, "when")


class Bargaining(_Model):
    """What the parties could agree on, and what happens without agreement (``negsim bargain``)."""

    deals: list[str] = Field(
        default_factory=list,
        description="named outcomes that count as agreements (default: every strategy profile)",
    )
    no_deal: str | None = Field(
        None,
        description="the named outcome of the game without agreement; an equilibrium reaching it "
        "gives the disagreement point (default: the equilibrium worst for the parties together)",
    )
    disagreement: dict[str, ExpressionText] | None = Field(
        None,
        description="explicit disagreement payoffs, player key -> number or expression (instead of no_deal)",
    )
    powers: dict[str, ExpressionText] | None = Field(
        None, description="bargaining powers, player key -> positive number or expression (default: equal)"
    )
    discount: dict[str, ExpressionText] | None = Field(
        None, description="discount factors per round of offers, player key -> number in (0, 1) (default 0.9)"
    )
    lotteries: bool = Field(True, description="whether agreements may be lotteries over the outcomes")

    @field_validator("disagreement", "powers", "discount")
    @classmethod
    def _values(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else {k: _expression(v, f"value for {k}") for k, v in value.items()}

    @model_validator(mode="after")
    def _one_threat_point(self) -> Bargaining:
        if self.no_deal is not None and self.disagreement is not None:
            raise ValueError("give either 'no_deal' or 'disagreement', not both")
        return self


class Variant(_Model):
    """Named changes to the base scenario, compared side by side."""

    about: str = Field("", description="what the variant represents")
    set: dict[str, Number] = Field(default_factory=dict, description="parameter -> value")
    fix: dict[str, bool | str] = Field(
        default_factory=dict,
        description="'player.option': true/false, or 'player': strategy key; restricts choices",
    )


class ScenarioFile(_Model):
    """A negsim scenario: parties, their options, payoffs and named outcomes."""

    negsim: Literal[1] = Field(description="format version; this is version 1")
    kind: Literal["strategic"] = Field(
        "strategic", description="'strategic' (everyone chooses at once; the default) or 'sequential'"
    )
    title: str = Field(description="short title")
    description: str = Field("", description="what the scenario models")
    sources: list[str] = Field(
        default_factory=list,
        description="claim files (paths relative to this file), e.g. ../seeds/claims.yaml",
    )
    claims: list[str] = Field(default_factory=list, description="ids of the claims the scenario rests on")
    parameters: dict[str, Parameter] = Field(default_factory=dict, description="named numbers")
    players: dict[str, Player] = Field(description="the parties, by key")
    payoffs: Payoffs = Field(description="how each profile pays each player")
    outcomes: dict[str, Outcome] = Field(default_factory=dict, description="named outcomes")
    variants: dict[str, Variant] = Field(default_factory=dict, description="named parameter overrides")
    bargaining: Bargaining | None = Field(
        None, description="what the parties could agree on (negsim bargain)"
    )

    @field_validator("parameters", "players")
    @classmethod
    def _keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            check_identifier(key, "parameter or player")
        return value

    @field_validator("players")
    @classmethod
    def _two_players(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) < 2:
            raise ValueError(f"a game needs at least two players; found {len(value)}")
        return value


# -- sequential scenarios ---------------------------------------------------------------------

#: The ``player`` of a node where chance, not a party, decides.
CHANCE = "chance"


def _move_key(name: str) -> str:
    return check_identifier(name, "move")


def _node_key(name: str) -> str:
    return check_identifier(name, "node")


def _option_key(name: str) -> str:
    return check_identifier(name, "option")


def _parameter_key(name: str) -> str:
    return check_identifier(name, "parameter")


def _tree_player_key(name: str) -> str:
    check_identifier(name, "player")
    if name == CHANCE:
        raise ValueError("'chance' is reserved for chance nodes; name the player differently")
    return name


# Mapping keys that expressions refer to, each checked where it is written.
MoveKey = Annotated[str, AfterValidator(_move_key)]
NodeKey = Annotated[str, AfterValidator(_node_key)]
OptionKey = Annotated[str, AfterValidator(_option_key)]
ParameterKey = Annotated[str, AfterValidator(_parameter_key)]
TreePlayerKey = Annotated[str, AfterValidator(_tree_player_key)]


class TreePlayer(_Model):
    """A party of a sequential scenario; its choices are the moves at its nodes."""

    name: str = Field(description="display name, e.g. 'Russia'")
    about: str = Field("", description="who this party is in the scenario")
    claims: list[str] = Field(default_factory=list, description="ids of claims about this party")
    options: dict[OptionKey, Option] = Field(
        default_factory=dict, description="named positions that moves can 'set', for conditions"
    )

    @field_validator("options", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_names(value)


class Commitment(_Model):
    """What a binding move commits its player to: later moves it gives up or pays for."""

    forbids: list[str] = Field(description="names of the player's later moves the commitment rules out")
    penalty: ExpressionText = Field(
        None,
        description="cost to the player of making a ruled-out move anyway; leave out to remove the moves",
    )
    about: str = Field("", description="what makes the commitment binding (a law, a treaty, ...)")

    @field_validator("penalty")
    @classmethod
    def _penalty(cls, value: Any) -> Any:
        return None if value is None else _expression(value, "penalty")

    @field_validator("forbids")
    @classmethod
    def _some(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("'forbids' needs at least one move name")
        return value


class Move(_Model):
    """One move at a node: where it leads, or what the game pays if it ends there."""

    label: str | None = Field(None, description="display name (default: the move's key)")
    does: str | None = Field(None, description="phrase for making it, e.g. 'offers a guarantee'")
    about: str = Field("", description="what the move means")
    next: str | None = Field(None, description="the node that follows; leave out when the game ends here")
    probability: ExpressionText = Field(None, description="chance moves only: number or expression")
    set: list[str] = Field(default_factory=list, description="options of the mover this move takes")
    payoffs: dict[str, ExpressionText] | None = Field(
        None, description="where the game ends here: player key -> payoff (instead of the terms)"
    )
    commits: Commitment | None = Field(None, description="a binding commitment made by this move")
    claims: list[str] = Field(default_factory=list, description="ids of the claims behind this move")

    @field_validator("probability")
    @classmethod
    def _probability(cls, value: Any) -> Any:
        return None if value is None else _expression(value, "probability")

    @field_validator("payoffs")
    @classmethod
    def _values(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else {k: _expression(v, f"payoff of {k}") for k, v in value.items()}

    @model_validator(mode="after")
    def _ends(self) -> Move:
        if self.next is not None and self.payoffs is not None:
            raise ValueError("a move either leads to a 'next' node or ends the game with 'payoffs', not both")
        return self


class TreeNode(_Model):
    """A point of the game where one party (or chance) moves."""

    player: str = Field(description="the key of the party that moves here, or 'chance'")
    moves: dict[MoveKey, Move] = Field(description="the moves available here, by name")
    info: str | None = Field(
        None, description="information set: nodes with the same info look the same to the mover"
    )
    about: str = Field("", description="what is being decided here")

    @field_validator("moves", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_names(value)

    @field_validator("moves")
    @classmethod
    def _some(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("a node needs at least one move")
        return value


class Tree(_Model):
    """The game tree: named nodes, each listing its moves and where they lead."""

    start: str | None = Field(None, description="the first node (default: the first one listed)")
    nodes: dict[NodeKey, TreeNode] = Field(description="the nodes, by name")

    @field_validator("nodes")
    @classmethod
    def _some(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("a tree needs at least one node")
        return value


class TreePayoffs(_Model):
    """Additive terms over the moves made on the way to each end of the game."""

    terms: list[Term] = Field(description="value to a player when a condition on the moves made holds")


class TreeVariant(_Model):
    """Named parameter changes, compared side by side."""

    about: str = Field("", description="what the variant represents")
    set: dict[str, Number] = Field(default_factory=dict, description="parameter -> value")


class SequentialFile(_Model):
    """A sequential negsim scenario: parties move in turn along a game tree."""

    negsim: Literal[1] = Field(description="format version; this is version 1")
    kind: Literal["sequential"] = Field(description="'sequential': the parties move in turn")
    title: str = Field(description="short title")
    description: str = Field("", description="what the scenario models")
    sources: list[str] = Field(default_factory=list, description="claim files (paths relative to this file)")
    claims: list[str] = Field(default_factory=list, description="ids of the claims the scenario rests on")
    parameters: dict[ParameterKey, Parameter] = Field(default_factory=dict, description="named numbers")
    players: dict[TreePlayerKey, TreePlayer] = Field(description="the parties, by key")
    tree: Tree = Field(description="who moves when, and where each move leads")
    payoffs: TreePayoffs | None = Field(None, description="payoff terms (or give payoffs on ending moves)")
    outcomes: dict[str, Outcome] = Field(default_factory=dict, description="named outcomes")
    variants: dict[str, TreeVariant] = Field(default_factory=dict, description="named parameter overrides")

    @field_validator("players")
    @classmethod
    def _one_player(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("a game needs at least one player")
        return value


# -- claims files -----------------------------------------------------------------------------


class Source(_Model):
    """The document the claims come from."""

    id: str
    kind: str
    summary: str
    date: str | None = None


class Claim(_Model):
    """One claim of the source, in our own words."""

    id: str
    actor: str
    kind: Literal["promise", "position", "demand", "offer", "report", "background", "assessment"]
    statement: str
    stated_by: str
    reported_by: str
    verification: Literal["unverified", "reported", "established", "interpretation"]
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not CLAIM_ID.match(value):
            raise ValueError(f"claim id {value!r} must be lower-case words joined by '-'")
        return value


class ClaimsFile(_Model):
    """A file of claims that scenarios cite by id."""

    negsim_claims: Literal[1] = Field(alias="negsim-claims")
    source: Source
    claims: list[Claim]
