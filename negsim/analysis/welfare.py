"""Pareto efficiency of payoff vectors."""

from __future__ import annotations

import numpy as np


def pareto_efficient(points: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Indices of the points no other point Pareto-dominates (ties kept once per distinct vector).

    A point dominates another when it is at least as good for everyone (within ``tol``) and
    better by more than ``tol`` for someone. Works on ``(P, N)`` arrays by repeatedly taking
    the point with the largest total and discarding everything it dominates, so the cost is
    ``P`` times the size of the frontier.

    Examples
    --------
    >>> pareto_efficient(np.array([[3, 3], [2, 2], [5, 0], [0, 5], [1, 4]])).tolist()
    [0, 2, 3, 4]
    """
    points = np.asarray(points, dtype=np.float64)
    alive = np.ones(len(points), dtype=bool)
    order_sum = points.sum(axis=1)
    front: list[int] = []
    while alive.any():
        candidates = np.flatnonzero(alive)
        best = candidates[np.argmax(order_sum[candidates])]
        front.append(int(best))
        p = points[best]
        dominated = np.all(points <= p + tol, axis=1)
        alive &= ~dominated
        alive[best] = False
    return np.sort(np.array(front, dtype=np.intp))


def first_dominator(points: np.ndarray, front: np.ndarray, payoffs: np.ndarray, tol: float) -> int | None:
    """Index (into ``points``) of the frontier point with the largest total that dominates ``payoffs``."""
    candidates = points[front]
    better = np.all(candidates >= payoffs - tol, axis=1) & np.any(candidates > payoffs + tol, axis=1)
    if not better.any():
        return None
    hits = front[better]
    return int(hits[np.argmax(points[hits].sum(axis=1))])
