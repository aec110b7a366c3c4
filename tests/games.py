"""Reference two-player games with published equilibria, and helpers to compare equilibrium sets.

Payoffs and answers are those of the project's reference table (Prisoner's Dilemma, Battle of
the Sexes, Matching Pennies, Rock-Paper-Scissors, Chicken, Stag Hunt, Shapley 1974 figs. 2 and 3),
plus von Stengel's 6x6 game with 75 equilibria and small degenerate games worked out by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any

import numpy as np

from negsim.game.normal_form import NormalFormGame
from negsim.solvers.result import Equilibrium

Profile = tuple[Sequence[F | int], Sequence[F | int]]


@dataclass(frozen=True)
class Reference:
    """A game with every extreme equilibrium listed as ``((row mix, column mix), payoffs)``."""

    name: str
    row: list[list[int]]
    column: list[list[int]]
    equilibria: list[tuple[Profile, tuple[F | int, F | int]]]
    value: F | int | None = None

    def game(self) -> NormalFormGame:
        return NormalFormGame.from_matrices(self.row, self.column, title=self.name)


def _pure(k: int, n: int) -> list[int]:
    return [int(i == k) for i in range(n)]


RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]

REFERENCE_GAMES = [
    Reference(
        "Prisoner's Dilemma",
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        [((_pure(1, 2), _pure(1, 2)), (1, 1))],
    ),
    Reference(
        "Battle of the Sexes",
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        [
            ((_pure(0, 2), _pure(0, 2)), (3, 2)),
            ((_pure(1, 2), _pure(1, 2)), (2, 3)),
            (([F(3, 5), F(2, 5)], [F(2, 5), F(3, 5)]), (F(6, 5), F(6, 5))),
        ],
    ),
    Reference(
        "Matching Pennies",
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        [(([F(1, 2)] * 2, [F(1, 2)] * 2), (0, 0))],
        value=0,
    ),
    Reference(
        "Rock-Paper-Scissors",
        RPS,
        [[-a for a in row] for row in RPS],
        [(([F(1, 3)] * 3, [F(1, 3)] * 3), (0, 0))],
        value=0,
    ),
    Reference(
        "Chicken",
        [[6, 2], [7, 0]],
        [[6, 7], [2, 0]],
        [
            ((_pure(0, 2), _pure(1, 2)), (2, 7)),
            ((_pure(1, 2), _pure(0, 2)), (7, 2)),
            (([F(2, 3), F(1, 3)], [F(2, 3), F(1, 3)]), (F(14, 3), F(14, 3))),
        ],
    ),
    Reference(
        "Stag Hunt",
        [[5, 0], [4, 2]],
        [[5, 4], [0, 2]],
        [
            ((_pure(0, 2), _pure(0, 2)), (5, 5)),
            ((_pure(1, 2), _pure(1, 2)), (2, 2)),
            (([F(2, 3), F(1, 3)], [F(2, 3), F(1, 3)]), (F(10, 3), F(10, 3))),
        ],
    ),
    Reference(
        "Shapley 1974, fig. 2",
        [[2, 2, 0], [0, 3, 0], [3, 0, 1]],
        [[3, 0, 2], [0, 3, 2], [0, 0, 1]],
        [
            ((_pure(1, 3), _pure(1, 3)), (3, 3)),
            (([0, F(1, 2), F(1, 2)], [0, F(1, 4), F(3, 4)]), (F(3, 4), F(3, 2))),
            ((_pure(2, 3), _pure(2, 3)), (1, 1)),
        ],
    ),
    Reference(
        "Shapley 1974, fig. 3",
        [[0, 3, 0], [2, 2, 0], [3, 0, 1]],
        [[0, 2, 3], [3, 2, 0], [0, 0, 1]],
        [
            (([F(1, 3), F(2, 3), 0], [F(1, 3), F(2, 3), 0]), (2, 2)),
            (([F(1, 6), F(1, 3), F(1, 2)], [F(1, 6), F(1, 3), F(1, 2)]), (1, 1)),
            ((_pure(2, 3), _pure(2, 3)), (1, 1)),
        ],
    ),
]

#: Row 1 is strictly best for the row player, and the column player is indifferent against it:
#: every (row 1, any column mix) is an equilibrium, a continuum with two extreme points.
DOMINANT_ROW_TIE = Reference(
    "dominant row, indifferent column player",
    [[1, 1], [0, 0]],
    [[1, 1], [0, 0]],
    [((_pure(0, 2), _pure(0, 2)), (1, 1)), ((_pure(0, 2), _pure(1, 2)), (1, 1))],
)

#: A degenerate 3x2 game. Against row 1 the column player is indifferent, and row 1 stays a best
#: reply while y_2 <= 1/3: a continuum from (e1; e1) to (e1; (2/3, 1/3)). Rows 2 and 3 mixed as
#: (1/3, 2/3) make the columns indifferent (2x2 + 3x3 = 6x2 + x3), and y = (1/3, 2/3) makes rows
#: 2 and 3 pay 4 > 3: an isolated equilibrium paying (4, 8/3). No other pure profile is stable.
DEGENERATE_3X2 = Reference(
    "degenerate 3x2",
    [[3, 3], [2, 5], [0, 6]],
    [[3, 3], [2, 6], [3, 1]],
    [
        ((_pure(0, 3), _pure(0, 2)), (3, 3)),
        ((_pure(0, 3), [F(2, 3), F(1, 3)]), (3, 3)),
        (([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]), (4, F(8, 3))),
    ],
)

DEGENERATE_GAMES = [DOMINANT_ROW_TIE, DEGENERATE_3X2]

#: von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", Discrete Comput.
#: Geom. 21: a nondegenerate 6x6 game with 75 equilibria (more than the conjectured 2^6 - 1).
VON_STENGEL_75_ROW = [
    [9504, -660, 19976, -20526, 1776, -8976],
    [-111771, 31680, -130944, 168124, -8514, 52764],
    [397584, -113850, 451176, -586476, 29216, -178761],
    [171204, -45936, 208626, -263076, 14124, -84436],
    [1303104, -453420, 1227336, -1718376, 72336, -461736],
    [737154, -227040, 774576, -1039236, 48081, -300036],
]
VON_STENGEL_75_COLUMN = [
    [72336, 48081, 29216, 14124, 1776, -8514],
    [-461736, -300036, -178761, -84436, -8976, 52764],
    [1227336, 774576, 451176, 208626, 19976, -130944],
    [-1718376, -1039236, -586476, -263076, -20526, 168124],
    [1303104, 737154, 397584, 171204, 9504, -111771],
    [-453420, -227040, -113850, -45936, -660, 31680],
]


def as_rows(profiles: Sequence[Sequence[Any]]) -> np.ndarray:
    """Profiles as rows of concatenated probabilities (row player's first)."""
    return np.array([np.concatenate([np.asarray(s, dtype=float) for s in p]) for p in profiles])


def equilibrium_rows(equilibria: Sequence[Equilibrium]) -> np.ndarray:
    return as_rows([e.strategies for e in equilibria])


def same_sets(found: np.ndarray, expected: np.ndarray, atol: float = 1e-7) -> bool:
    """Whether two lists of profiles (rows) contain the same profiles, duplicates ignored."""
    if len(found) == 0 or len(expected) == 0:
        return len(found) == len(expected)
    close = np.all(np.abs(found[:, None, :] - expected[None, :, :]) <= atol, axis=2)
    return bool(close.any(axis=1).all() and close.any(axis=0).all())


def contains(found: np.ndarray, expected: np.ndarray, atol: float = 1e-7) -> bool:
    """Whether every profile of ``expected`` is among ``found``."""
    if len(expected) == 0:
        return True
    if len(found) == 0:
        return False
    close = np.all(np.abs(found[:, None, :] - expected[None, :, :]) <= atol, axis=2)
    return bool(close.any(axis=0).all())
