"""n-player solver: the volunteer's dilemma (Diekmann 1985), Jordan's matching pennies, honesty flags."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from otr_theory.games.challengers import volunteers_dilemma
from otr_theory.games.equilibria import all_equilibria
from otr_theory.games.normal_form import GameError, IncompleteEnumerationWarning, NormalFormGame, pure_equilibria, regret
from otr_theory.games.nplayer import nplayer_equilibria, support_profiles
from otr_theory.payoffs import volunteers_dilemma_rate


@pytest.mark.parametrize("n", [2, 3, 4])
def test_volunteers_dilemma_all_equilibria(n):
    """2^n - 1 equilibria: n pure (one volunteer), and for each set of k >= 2 players the mix
    where they abstain with (c/b)^(1/(k-1)) (Diekmann 1985); b = 4, c = 1."""
    g = volunteers_dilemma(n, 4, 1)
    r = nplayer_equilibria(g) if n > 2 else all_equilibria(g)
    assert r.complete and len(r.equilibria) == 2**n - 1
    assert all(regret(g, e.strategies) <= r.tolerance for e in r.equilibria)
    by_k = {}
    for e in r.equilibria:
        mixing = [s for s in e.strategies if 0 < s[0] < 1]
        by_k.setdefault(len(mixing), []).append(e)
    assert len(by_k[0]) == n
    for k in range(2, n + 1):
        assert len(by_k[k]) == math.comb(n, k)
        abstain = (1 / 4) ** (1 / (k - 1))
        for e in by_k[k]:
            for s in e.strategies:
                if 0 < s[0] < 1:
                    assert float(s[1]) == pytest.approx(abstain, abs=1e-12)
    # the symmetric one agrees with the payoff model's closed form
    sym = by_k[n][0]
    assert float(sym.strategies[0][0]) == pytest.approx(float(volunteers_dilemma_rate(4.0, 1.0, n)), abs=1e-12)


def test_volunteers_three_player_rational():
    # k = 2 abstain with c/b = 1/4 exactly: rational, so exact
    r = nplayer_equilibria(volunteers_dilemma(3, 4, 1))
    two = [e for e in r.equilibria if sum(0 < s[0] < 1 for s in e.strategies) == 2]
    assert all(e.exact for e in two) and all(e.regret == 0 for e in two)
    assert {s for e in two for s in e.strategies if 0 < s[0] < 1} == {(F(3, 4), F(1, 4))}


def test_jordan_three_player_matching_pennies():
    # Jordan (1993): unique equilibrium, everybody mixes 1/2-1/2
    s = np.indices((2, 2, 2))
    u = [(s[0] == s[1]).astype(int), (s[1] == s[2]).astype(int), (s[2] != s[0]).astype(int)]
    r = nplayer_equilibria(NormalFormGame.from_arrays(u))
    assert r.complete and [e.strategies for e in r.equilibria] == [((F(1, 2), F(1, 2)),) * 3]


def test_pure_equilibria_exact():
    g = volunteers_dilemma(3, 4, 1)
    assert sorted(pure_equilibria(g)) == [(0, 1, 1), (1, 0, 1), (1, 1, 0)]


def test_cap_makes_it_incomplete():
    with pytest.warns(IncompleteEnumerationWarning, match="max_support_profiles"):
        r = nplayer_equilibria(volunteers_dilemma(3, 4, 1), max_support_profiles=3)
    assert not r.complete and not r.degenerate
    assert len(r.equilibria) >= 3  # the pure ones are always found


def test_support_profiles_order_and_count():
    prof = support_profiles((2, 3))
    assert len(prof) == 3 * 7 - 2 * 3
    sizes = [sum(len(s) for s in t) for t in prof]
    assert sizes == sorted(sizes)


def test_rejects_non_games():
    with pytest.raises(GameError, match="game: must be a NormalFormGame"):
        nplayer_equilibria([[1, 2], [3, 4]])  # type: ignore[arg-type]
    with pytest.raises(GameError, match="one-player"):
        all_equilibria(NormalFormGame.from_arrays([[1, 2]]))


def test_two_player_game_through_polynomials_matches_vertex_enumeration():
    A = [[3, 0, 2], [0, 2, 1]]
    B = [[2, 0, 1], [0, 3, 2]]
    g = NormalFormGame.from_bimatrix(A, B)
    poly = nplayer_equilibria(g)
    vx = all_equilibria(g)
    assert not vx.degenerate and poly.complete and len(vx.equilibria) == 3
    assert sorted(e.strategies for e in poly.equilibria) == sorted(e.strategies for e in vx.equilibria)
