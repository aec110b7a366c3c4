"""Result types shared by every solver."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from negsim.game.normal_form import NormalFormGame

#: Default tolerance on an equilibrium's max regret, relative to the game's payoff scale.
DEFAULT_TOLERANCE = 1e-8


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One verified Nash equilibrium.

    Attributes
    ----------
    strategies
        One probability vector per player (read-only arrays).
    payoffs
        Expected payoff of each player.
    max_regret
        The most any player could gain by deviating alone (checked against the tolerance).
    outcomes
        Names of the scenario's outcomes reached with positive probability.
    outcome_probabilities
        Probability of reaching each named outcome.
    dominating_profile
        A pure profile (strategy indices) that gives every player at least as much and
        someone strictly more, if there is one; ``None`` when the equilibrium is Pareto-efficient
        among pure outcomes.

    Examples
    --------
    >>> from negsim import NormalFormGame, solve
    >>> chicken = NormalFormGame.from_matrices([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> mixed = [e for e in solve(chicken).equilibria if not e.is_pure][0]
    >>> [round(float(p), 4) for p in mixed.strategies[0]], round(float(mixed.payoffs[0]), 4)
    ([0.6667, 0.3333], 4.6667)
    >>> mixed.supports
    ((0, 1), (0, 1))
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    max_regret: float
    outcomes: tuple[str, ...] = ()
    outcome_probabilities: Mapping[str, float] = field(default_factory=dict)
    dominating_profile: tuple[int, ...] | None = None

    @property
    def supports(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability."""
        return tuple(tuple(int(k) for k in np.flatnonzero(s > 0)) for s in self.strategies)

    @property
    def is_pure(self) -> bool:
        """Whether every player plays one strategy for sure."""
        return all(len(s) == 1 for s in self.supports)

    @property
    def pareto_dominated(self) -> bool:
        """Whether some pure outcome is better for someone and worse for no one."""
        return self.dominating_profile is not None


@dataclass(frozen=True, eq=False)
class SolveResult:
    """Equilibria of a game and how they were found.

    Attributes
    ----------
    game
        The game that was solved.
    equilibria
        The verified equilibria (extreme points when the game is degenerate).
    method
        Name of the algorithm(s) used.
    complete
        True when every equilibrium was searched for (all extreme equilibria of a
        two-player game); False when only some were (pure equilibria of a game with three
        or more players, a single Lemke-Howson path of a large game, ...).
    degenerate
        True when the game is degenerate (equilibria may form continua), False when it is
        not, None when that was not determined.
    tolerance
        The absolute max-regret tolerance every reported equilibrium satisfies.
    notes
        Plain-language remarks on the search (what was and was not searched, ...).
    dominated
        For each player, the strategies removed by iterated elimination of strictly
        dominated strategies, in the order they were removed.
    value
        For a two-player zero-sum game, the value to the first player; otherwise None.

    Examples
    --------
    >>> from negsim import NormalFormGame, solve
    >>> rps = NormalFormGame.from_matrices([[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    ...                                    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    >>> result = solve(rps)
    >>> len(result), result.complete, result.degenerate, abs(result.value) < 1e-9
    (1, True, False, True)
    """

    game: NormalFormGame
    equilibria: tuple[Equilibrium, ...]
    method: str
    complete: bool
    degenerate: bool | None
    tolerance: float
    notes: tuple[str, ...] = ()
    dominated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    value: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dominated", MappingProxyType(dict(self.dominated)))

    def __len__(self) -> int:
        return len(self.equilibria)

    def __repr__(self) -> str:
        return (
            f"<SolveResult {len(self.equilibria)} equilibria by {self.method}, "
            f"complete={self.complete}, degenerate={self.degenerate}>"
        )
