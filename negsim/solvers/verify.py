"""The check every reported equilibrium passes: no player gains by deviating alone.

Regret is measured in payoff units and compared with a tolerance relative to the game's
payoff scale (never with exact float equality).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from negsim.analysis.welfare import first_dominator, pareto_efficient
from negsim.game.normal_form import NormalFormGame
from negsim.game.profile import expected_payoffs, max_regret
from negsim.solvers.result import Equilibrium


def absolute_tolerance(game: NormalFormGame, tol: float) -> float:
    """The absolute regret tolerance for a relative tolerance ``tol``."""
    return tol * game.payoff_scale()


def clean_mix(strategy: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Clip rounding noise (tiny negatives, near-zeros) and renormalise a probability vector."""
    mix = np.where(np.abs(strategy) <= tol, 0.0, np.asarray(strategy, dtype=np.float64))
    mix = np.clip(mix, 0.0, None)
    total = mix.sum()
    if total <= 0:
        raise ValueError("a mixed strategy needs positive total probability")
    mix = mix / total
    mix.setflags(write=False)
    return mix


def outcome_probabilities(game: NormalFormGame, strategies: Sequence[np.ndarray]) -> dict[str, float]:
    """Probability that the profile played falls in each of the game's named outcomes."""
    result: dict[str, float] = {}
    for name, mask in game.outcomes.items():
        table = mask.astype(np.float64)
        for player in range(game.n_players - 1, -1, -1):
            table = np.tensordot(table, strategies[player], axes=([player], [0]))
        result[name] = float(np.clip(table, 0.0, 1.0))
    return result


class Verifier:
    """Checks candidate profiles of one game and turns the good ones into :class:`Equilibrium`.

    ``tol`` is the absolute regret tolerance (see :func:`absolute_tolerance`). The game's
    Pareto frontier over pure outcomes is computed once, on first use.
    """

    def __init__(self, game: NormalFormGame, tol: float) -> None:
        self.game = game
        self.tol = tol
        self._points = game.payoffs.reshape(-1, game.n_players)
        self._front: np.ndarray | None = None

    def _dominating_profile(self, payoffs: np.ndarray) -> tuple[int, ...] | None:
        if self._front is None:
            self._front = pareto_efficient(self._points, self.tol)
        index = first_dominator(self._points, self._front, payoffs, self.tol)
        if index is None:
            return None
        return tuple(int(k) for k in np.unravel_index(index, self.game.shape))

    def _build(self, mixes: tuple[np.ndarray, ...], payoffs: np.ndarray, regret: float) -> Equilibrium:
        payoffs.setflags(write=False)
        probabilities = outcome_probabilities(self.game, mixes)
        reached = tuple(name for name, p in probabilities.items() if p > 1e-12)
        return Equilibrium(
            strategies=mixes,
            payoffs=payoffs,
            max_regret=regret,
            outcomes=reached,
            outcome_probabilities=probabilities,
            dominating_profile=self._dominating_profile(payoffs),
        )

    def mixed(self, strategies: Sequence[np.ndarray]) -> Equilibrium | None:
        """The equilibrium for a mixed profile, or None if some player gains more than ``tol``."""
        mixes = tuple(clean_mix(s) for s in strategies)
        regret = max_regret(self.game, mixes)
        if not regret <= self.tol:
            return None
        return self._build(mixes, expected_payoffs(self.game, mixes), regret)

    def pure(self, profile: Sequence[int]) -> Equilibrium | None:
        """The equilibrium for a pure profile, checked without touching the whole tensor."""
        game = self.game
        profile = tuple(int(k) for k in profile)
        payoffs = np.array(game.payoffs[profile], dtype=np.float64)
        regret = 0.0
        for player in range(game.n_players):
            line: list[int | slice] = list(profile)
            line[player] = slice(None)
            regret = max(regret, float(game.payoffs[tuple(line) + (player,)].max() - payoffs[player]))
        if not regret <= self.tol:
            return None
        mixes = []
        for k, n in zip(profile, game.shape):
            mix = np.zeros(n)
            mix[k] = 1.0
            mix.setflags(write=False)
            mixes.append(mix)
        return self._build(tuple(mixes), payoffs, regret)

    def many(self, candidates: Iterable[Sequence[np.ndarray]]) -> tuple[list[Equilibrium], int]:
        """Verify mixed candidates; return the equilibria (duplicates merged) and how many failed."""
        kept: list[Equilibrium] = []
        rows = np.empty((0, 0))  # probabilities of the kept equilibria, one row each (grown by doubling)
        rejected = 0
        for candidate in candidates:
            equilibrium = self.mixed(candidate)
            if equilibrium is None:
                rejected += 1
                continue
            flat = np.concatenate(equilibrium.strategies)
            if kept and _has_duplicate(rows[: len(kept)], flat):
                continue
            if len(kept) == len(rows):
                rows = np.concatenate(
                    [rows.reshape(len(rows), flat.size), np.empty((len(rows) + 16, flat.size))]
                )
            rows[len(kept)] = flat
            kept.append(equilibrium)
        return kept, rejected


def _has_duplicate(rows: np.ndarray, flat: np.ndarray, tol: float = 1e-9) -> bool:
    """Whether some row gives every strategy the probability ``flat`` does, within ``tol``."""
    return bool(np.any(np.all(np.abs(rows - flat) <= tol, axis=1)))
