"""Non-dominated points of (cost, time to final finality, security margin).

A point a *dominates* b when :math:`c_a \\le c_b`, :math:`t_a \\le t_b`,
:math:`\\mathrm{margin}_a \\ge \\mathrm{margin}_b` and a is not equal to b in all three (exact
duplicates keep their first occurrence). The front is found level by level in t (a sweep grid
has few distinct finality times, one per window): within a level, the 2-D staircase of
(cost, margin) by a sort and a running maximum; across levels, each survivor is checked against
the staircase of every faster level with a binary search. O(N log N) per level.
"""

from __future__ import annotations

import numpy as np

__all__ = ["nondominated"]


def _staircase(cost: np.ndarray, margin: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Members of ``order`` on the (min cost, max margin) staircase, first occurrence on ties."""
    o = order[np.lexsort((order, -margin[order], cost[order]))]
    m = margin[o]
    prev = np.concatenate(([-np.inf], np.maximum.accumulate(m)[:-1]))
    return o[m > prev]


def nondominated(cost_usd, final_s, margin_usd) -> np.ndarray:
    """Indices of the non-dominated points, sorted by cost, then time, then index.

    Parameters
    ----------
    cost_usd, final_s, margin_usd : array_like, 1-D, same length
        Objectives: cost and time are minimised, the margin maximised. Non-finite costs or
        times and nan margins are never on the front.

    Returns
    -------
    ndarray of int

    Examples
    --------
    >>> nondominated([1, 2, 1, 3], [5, 5, 6, 1], [10, 20, 10, 0]).tolist()
    [0, 1, 3]
    >>> nondominated([1, 1], [1, 1], [1, 1]).tolist()  # duplicates: the first
    [0]
    """
    c = np.asarray(cost_usd, dtype=float).ravel()
    t = np.asarray(final_s, dtype=float).ravel()
    m = np.asarray(margin_usd, dtype=float).ravel()
    if not (c.shape == t.shape == m.shape):
        raise ValueError(f"cost_usd, final_s, margin_usd: must have the same length (got {c.size}, {t.size}, {m.size})")
    ok = np.flatnonzero(np.isfinite(c) & np.isfinite(t) & ~np.isnan(m))
    if ok.size == 0:
        return np.zeros(0, dtype=int)
    levels, inverse = np.unique(t[ok], return_inverse=True)
    by_level = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[by_level], np.arange(levels.size + 1))
    kept: list[np.ndarray] = []
    stair_cost = np.zeros(0)
    stair_best = np.zeros(0)
    for j in range(levels.size):
        members = ok[by_level[bounds[j] : bounds[j + 1]]]
        front = _staircase(c, m, members)
        if stair_cost.size:
            pos = np.searchsorted(stair_cost, c[front], side="right") - 1
            dominated = (pos >= 0) & (stair_best[np.maximum(pos, 0)] >= m[front])
            front = front[~dominated]
        if front.size:
            kept.append(front)
            allk = np.concatenate(kept)
            o = allk[np.lexsort((-m[allk], c[allk]))]
            stair_cost = c[o]
            stair_best = np.maximum.accumulate(m[o])
    out = np.concatenate(kept) if kept else np.zeros(0, dtype=int)
    return out[np.lexsort((out, t[out], c[out]))]
