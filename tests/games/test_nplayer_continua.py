"""Continua of n-player equilibria described exactly (affine solution sets): checked point by point by regret."""

from __future__ import annotations

import warnings
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from otr_theory.games.nfg import read_nfg
from otr_theory.games.normal_form import regret
from otr_theory.games.nplayer import nplayer_equilibria
from otr_theory.games.nplayer_exact import describe_continuum

GAMES = Path(__file__).resolve().parents[1] / "data" / "gambit-games"


def _solve(name):
    g = read_nfg(GAMES / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return g, nplayer_equilibria(g)


def _on_segment(g, a, b, lam):
    return [[(1 - lam) * x + lam * y for x, y in zip(ra, rb, strict=True)] for ra, rb in zip(a, b, strict=True)]


def test_nau_sec6_is_one_segment_and_complete():
    """Nau, Gomez Canovas and Hansen (2004), sec. 6: the Nash equilibria form one line segment."""
    g, r = _solve("ijgt-nau2004-sec6.nfg")
    assert r.complete and r.degenerate
    assert len(r.components) == 1 and r.components[0].dimension == 1
    assert "1-dimensional continuum" in r.components[0].note
    assert all(e.exact and e.regret == 0 for e in r.equilibria)
    (piece,) = describe_continuum(g.exact_payoffs(), ((0, 1), (0, 1), (0, 1, 2, 3)))
    a, b = piece.extreme
    # independent check: every point of the closed segment is an equilibrium, a point past its end is not
    for lam in np.linspace(0, 1, 11):
        assert float(regret(g, _on_segment(g, a, b, lam))) <= 1e-12
    assert piece.contains(_on_segment(g, a, b, 0.3))
    past = [[0.5, 0.5], [0.5, 0.5], [0.6, 0.6, -0.1, -0.1]]
    assert not piece.contains(past)


def test_perfect3_segment_and_isolated_point():
    g, r = _solve("perfect3.nfg")
    assert r.complete
    dims = sorted(c.dimension for c in r.components)
    assert dims == [0, 1]
    seg = next(c for c in r.components if c.dimension == 1)
    # the segment's closure holds the isolated-looking equilibrium ((1/2, 0, 1/2), (1/2, 0, 1/2))
    pts = [r.equilibria[i].strategies for i in seg.points]
    assert ((F(1, 2), F(0), F(1, 2)), (F(1, 2), F(0), F(1, 2)), (F(1),)) in pts
    (piece,) = describe_continuum(g.exact_payoffs(), ((0, 1, 2), (0, 2), (0,)))
    a, b = piece.extreme
    for lam in np.linspace(0, 1, 9):
        assert float(regret(g, _on_segment(g, a, b, lam))) <= 1e-12
    # just past the closed end s1_3 = 1/4 player 2 would rather play its middle strategy
    beyond = [[0.26, 0.52, 0.22], [0.5, 0.0, 0.5], [1.0]]
    assert float(regret(g, beyond)) > 1e-6


def test_nau_sec5_segments_and_curve():
    """sec. 5: with (Top, Right) player 3 is indifferent and may mix while P(2) <= 3/4 (checked by
    regret on both sides of the end); the totally mixed equilibria are the curve
    P3(2) = 3/4, s1 s2 + 2 s1 + 2 s2 = 2 (s_i = P_i(2)) joining the two segments' ends."""
    g, r = _solve("ijgt-nau2004-sec5.nfg")
    assert r.complete and not r.warnings
    (piece,) = describe_continuum(g.exact_payoffs(), ((0,), (1,), (0, 1)))
    assert piece.dimension == 1 and piece.equations[-1] == "0 < s3_2 <= 3/4"
    for q in (0.1, 0.5, 0.75):
        assert float(regret(g, [[1, 0], [0, 1], [1 - q, q]])) <= 1e-12
    assert float(regret(g, [[1, 0], [0, 1], [0.2, 0.8]])) > 1e-6
    (curve,) = describe_continuum(g.exact_payoffs(), ((0, 1), (0, 1), (0, 1)))
    assert curve.dimension == 1
    # independent check: points of the curve s1 = (2 - 2 s2) / (s2 + 2) are equilibria
    for s2 in (0.05, 0.3, 0.5, 0.9):
        s1 = (2 - 2 * s2) / (s2 + 2)
        prof = [[1 - s1, s1], [1 - s2, s2], [0.25, 0.75]]
        assert float(regret(g, prof)) <= 1e-12 and curve.contains(prof)
    # its ends are the segments' ends: one component of dimension 1
    assert all(piece.contains(pt) or describe_continuum(g.exact_payoffs(), ((1,), (0,), (0, 1)))[0].contains(pt) for pt in curve.extreme)
    assert not curve.contains([[0.5, 0.5], [0.5, 0.5], [0.25, 0.75]])


@pytest.mark.parametrize("name", ["2x2x2.nfg", "g3.nfg", "coord333.nfg"])
def test_isolated_games_keep_dimension_zero(name):
    _, r = _solve(name)
    assert r.complete and all(c.dimension == 0 for c in r.components)
    assert len(r.components) == len(r.equilibria)


def test_a_continuum_that_a_rational_grid_misses_is_found():
    """Player 3 is indifferent everywhere; with players 1 and 2 on their first strategies it may mix
    with P(2) in [9/10, 19/20] only. The old sampler (a grid of halves, thirds and quarters) missed
    this segment and answered complete=True without it; it is now described and sampled."""
    from otr_theory.games.normal_form import NormalFormGame

    u1 = np.zeros((2, 2, 2), int)
    u2 = np.zeros((2, 2, 2), int)
    u1[1, :, 0], u1[1, :, 1] = 9, -1  # player 1's deviation pays 9 - 10 q
    u2[:, 1, 0], u2[:, 1, 1] = -19, 1  # player 2's deviation pays 20 q - 19
    g = NormalFormGame.from_arrays([u1, u2, np.zeros((2, 2, 2), int)])
    r = nplayer_equilibria(g)
    assert r.complete
    on = [e for e in r.equilibria if e.strategies[0] == (1, 0) and e.strategies[1] == (1, 0) and 0 < e.strategies[2][1] < 1]
    assert len(on) == 1 and F(9, 10) < on[0].strategies[2][1] < F(19, 20)
    comp = r.components[on[0].component]
    assert comp.dimension == 1 and "9/10 <= s3_2 <= 19/20" in comp.note
    # independent check by exact regret: inside the closed segment yes, just outside no
    for q, inside in [(F(9, 10), True), (F(19, 20), True), (F(92, 100), True), (F(89, 100), False), (F(96, 100), False)]:
        assert (regret(g, [[1, 0], [1, 0], [1 - q, q]]) == 0) is inside
