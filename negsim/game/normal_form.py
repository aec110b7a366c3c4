"""The labelled normal-form (strategic-form) game."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from negsim.errors import GameError


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False, init=False)
class NormalFormGame:
    """A finite game in strategic form with any number of players.

    Parameters
    ----------
    payoffs
        Array of shape ``(n_1, ..., n_N, N)``: entry ``[s_1, ..., s_N, i]`` is the payoff
        of player ``i`` when player ``k`` plays strategy ``s_k``. Copied and made read-only.
    players
        Player names (default ``"Player 1"``, ``"Player 2"``, ...).
    strategies
        One sequence of strategy names per player (default ``"1"``, ``"2"``, ...).
    outcomes
        Optional named outcomes: name -> boolean array of shape ``(n_1, ..., n_N)`` that is
        true on the profiles belonging to the outcome. Equilibria are tagged with them.
    title
        A short title shown in reports.

    Examples
    --------
    >>> import numpy as np
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   strategies=[["C", "D"], ["C", "D"]])
    >>> pd.shape, pd.n_players
    ((2, 2), 2)
    >>> float(pd.payoffs[1, 1, 0])
    1.0
    """

    payoffs: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    outcomes: Mapping[str, np.ndarray] = field(default_factory=dict)
    title: str = ""

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        *,
        outcomes: Mapping[str, Any] | None = None,
        title: str = "",
    ) -> None:
        try:
            array = np.asarray(payoffs, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise GameError(f"NormalFormGame: payoffs must be numeric ({exc})") from None
        if array.ndim < 2:
            raise GameError(
                "NormalFormGame: payoffs must have shape (n_1, ..., n_N, N); "
                f"got an array of shape {array.shape}"
            )
        n_players = array.ndim - 1
        if array.shape[-1] != n_players:
            raise GameError(
                f"NormalFormGame: payoffs has {n_players} strategy axes, so its last axis must "
                f"have length {n_players} (one payoff per player); got shape {array.shape}"
            )
        if any(n == 0 for n in array.shape[:-1]):
            raise GameError(f"NormalFormGame: every player needs a strategy; shape {array.shape}")
        if not np.all(np.isfinite(array)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise GameError(f"NormalFormGame: payoffs must be finite; entry {bad} is {array[bad]}")

        if players is None:
            players = [f"Player {i + 1}" for i in range(n_players)]
        players = tuple(str(p) for p in players)
        if len(players) != n_players:
            raise GameError(f"NormalFormGame: {n_players} players in payoffs, {len(players)} names")
        if len(set(players)) != len(players):
            raise GameError(f"NormalFormGame: player names must be distinct: {players}")

        if strategies is None:
            strategies = [[str(k + 1) for k in range(n)] for n in array.shape[:-1]]
        labels = tuple(tuple(str(s) for s in row) for row in strategies)
        if len(labels) != n_players:
            raise GameError(f"NormalFormGame: {n_players} players but {len(labels)} strategy lists")
        for player, row, n in zip(players, labels, array.shape[:-1]):
            if len(row) != n:
                raise GameError(
                    f"NormalFormGame: {player} has {n} strategies in payoffs but {len(row)} names"
                )
            if len(set(row)) != len(row):
                raise GameError(f"NormalFormGame: {player} has repeated strategy names: {row}")

        masks: dict[str, np.ndarray] = {}
        for name, mask in (outcomes or {}).items():
            mask = np.broadcast_to(np.asarray(mask, dtype=bool), array.shape[:-1])
            masks[str(name)] = _readonly(mask)

        object.__setattr__(self, "payoffs", _readonly(array))
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "strategies", labels)
        object.__setattr__(self, "outcomes", MappingProxyType(masks))
        object.__setattr__(self, "title", title)

    @classmethod
    def from_matrices(
        cls,
        row_payoffs: Any,
        column_payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> NormalFormGame:
        """Two-player game from the row player's matrix ``A`` and the column player's ``B``.

        Examples
        --------
        >>> NormalFormGame.from_matrices([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]).shape
        (2, 2)
        """
        a = np.asarray(row_payoffs, dtype=np.float64)
        b = np.asarray(column_payoffs, dtype=np.float64)
        if a.ndim != 2 or a.shape != b.shape:
            raise GameError(
                "NormalFormGame.from_matrices: A and B must be matrices of the same shape; "
                f"got {a.shape} and {b.shape}"
            )
        return cls(np.stack([a, b], axis=-1), players, strategies, **kwargs)

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(int(n) for n in self.payoffs.shape[:-1])

    @property
    def n_profiles(self) -> int:
        """Number of pure strategy profiles."""
        return int(np.prod(self.shape, dtype=np.int64))

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """The two payoff matrices ``(A, B)`` of a two-player game (read-only views)."""
        if self.n_players != 2:
            raise GameError(f"matrices() needs a two-player game; this one has {self.n_players}")
        return self.payoffs[..., 0], self.payoffs[..., 1]

    def is_zero_sum(self, tol: float = 1e-12) -> bool:
        """Whether the payoffs of every profile add up to zero (within ``tol`` times the scale)."""
        total = self.payoffs.sum(axis=-1)
        return bool(np.all(np.abs(total) <= tol * max(1.0, self.payoff_scale())))

    def payoff_scale(self) -> float:
        """The largest spread (max - min) of any player's payoffs; 1 for constant payoffs."""
        spread = max(float(np.ptp(self.payoffs[..., i])) for i in range(self.n_players))
        return spread if spread > 0 else 1.0

    def player_index(self, player: str | int) -> int:
        """Index of a player given by name or index."""
        if isinstance(player, (int, np.integer)):
            if not 0 <= player < self.n_players:
                raise GameError(f"no player {player}; there are {self.n_players}")
            return int(player)
        try:
            return self.players.index(player)
        except ValueError:
            raise GameError(f"unknown player {player!r}; players are {list(self.players)}") from None

    def profile_label(self, profile: Sequence[int]) -> tuple[str, ...]:
        """Strategy names of a pure profile given as indices."""
        return tuple(self.strategies[i][s] for i, s in enumerate(profile))

    def restrict(self, keep: Sequence[Sequence[int]]) -> NormalFormGame:
        """The sub-game where player ``i`` may only use the strategies ``keep[i]``."""
        index = np.ix_(*[np.asarray(k, dtype=np.intp) for k in keep])
        return NormalFormGame(
            self.payoffs[index],
            self.players,
            [[self.strategies[i][k] for k in row] for i, row in enumerate(keep)],
            outcomes={name: mask[index] for name, mask in self.outcomes.items()},
            title=self.title,
        )

    def __repr__(self) -> str:
        size = "x".join(str(n) for n in self.shape)
        title = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{title} {size}, players={list(self.players)}>"
