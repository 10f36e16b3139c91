"""Three players mixing over two strategies each: the closed form (a quadratic) against the homotopy."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.games import nplayer as N
from otr_theory.games.homotopy import solve_support_system


def _key(root):
    return tuple(np.round(np.concatenate(root), 7))


def test_closed_form_roots_match_the_homotopy():
    """40 random integer systems: the probability-vector roots of the quadratic are those the
    homotopy finds (independently), and each solves the three bilinear equations."""

    def probs(roots):  # the homotopy drops end points far from every probability vector
        return sorted(_key(r) for r in roots if all(np.max(np.abs(v.imag)) < 1e-9 and np.min(v.real) >= -1e-12 for v in r))

    compared = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        tens = [rng.integers(-6, 7, size=(1, 2, 2)).astype(object) for _ in range(3)]
        closed = N._three_binary_mixers(tens)
        if closed is None:  # a degenerate system: the caller tracks the homotopy instead
            continue
        h = solve_support_system([np.asarray(t, dtype=float) for t in tens], [2, 2, 2], seed=seed)
        assert h.ok
        assert probs(closed) == probs(h.roots), seed
        compared += len(probs(closed))
        for root in closed:
            for p, d in enumerate(tens):
                a, b = [root[q] for q in range(3) if q != p]
                assert abs(a @ np.asarray(d, dtype=float)[0] @ b) < 1e-9
    assert compared >= 8


def test_irrational_equilibrium_of_nau_sec4_by_the_closed_form():
    """Nau et al. (2004) sec. 4: the unique equilibrium is irrational; found without a homotopy path."""
    from pathlib import Path

    from otr_theory.games.nfg import read_nfg

    g = read_nfg(Path(__file__).resolve().parents[1] / "data" / "gambit-games" / "ijgt-nau2004-sec4.nfg")
    r = N.nplayer_equilibria(g)
    assert r.complete and len(r.equilibria) == 1 and not r.equilibria[0].exact
    assert N.LAST_STATS.get("closed-form", 0) >= 1 and N.LAST_STATS["paths"] == 0
    assert r.equilibria[0].strategies[2][1] == pytest.approx((27 - 601**0.5) / 4, abs=1e-12)
