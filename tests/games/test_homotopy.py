"""Homotopy continuation per support, the exact prunings, and their agreement with exact solving."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction as F

import numpy as np
import pytest

from otr_theory.games import nplayer as N
from otr_theory.games.challengers import challenger_game, volunteers_dilemma
from otr_theory.games.homotopy import mh_bezout, solve_support_system, start_assignments
from otr_theory.games.normal_form import NormalFormGame, regret


@pytest.mark.parametrize("dims", [[1, 1], [1, 1, 1], [2, 2, 2], [1, 2, 3], [1] * 5, [3, 1], [2, 1, 1, 1]])
def test_start_roots_count_is_the_multihomogeneous_bezout_number(dims):
    assert len(start_assignments(dims)) == mh_bezout(dims)


def test_bezout_numbers_known_values():
    # McKelvey and McLennan (1997): at most D(n) totally mixed equilibria of n players with two
    # strategies (the derangements), and 10 for three players with three
    assert [mh_bezout([1] * n) for n in range(2, 7)] == [1, 2, 9, 44, 265]
    assert mh_bezout([2, 2, 2]) == 10


def _random_tensors(rng, sizes):
    m = len(sizes)
    return [rng.integers(-9, 10, size=(sizes[p] - 1, *[sizes[q] for q in range(m) if q != p])).astype(float) for p in range(m)]


@pytest.mark.parametrize("sizes", [[2, 2, 2], [3, 3, 3], [2, 2, 2, 2], [2, 3, 2]])
def test_roots_solve_the_system_and_match_the_bound(sizes):
    """A generic random system has exactly the Bezout number of roots: every path ends at a distinct one."""
    rng = np.random.default_rng(7)
    ds = _random_tensors(rng, sizes)
    r = solve_support_system(ds, sizes, seed=3)
    assert r.ok and r.paths == mh_bezout([k - 1 for k in sizes])
    for root in r.roots:
        for p, d in enumerate(ds):
            others = [root[q] for q in range(len(sizes)) if q != p]
            v = d
            for vec in reversed(others):
                v = v @ vec
            assert np.max(np.abs(v)) < 1e-8
    # another random start system finds the same roots (the answer does not depend on the seed)
    r2 = solve_support_system(ds, sizes, seed=11)
    key = lambda root: tuple(np.round(np.concatenate(root), 6))  # noqa: E731
    assert sorted(map(key, r.roots)) == sorted(map(key, r2.roots))


def _exact_all(game):
    """Reference: every support solved by the exact Groebner fallback (slow, independent of the homotopy)."""
    from otr_theory.games.nplayer_exact import exact_support

    u = game.exact_payoffs()
    found = []
    for s in N.support_profiles(game.shape):
        cands, continuum, *_ = exact_support(u, s)
        if continuum:  # positive-dimensional: its pieces of equilibria, each by its sample point
            from otr_theory.games.nplayer_exact import describe_continuum

            pieces = describe_continuum(u, s)
            assert pieces is not None
            cands = [piece.sample for piece in pieces]
        found += [tuple(tuple(float(x) for x in p) for p in c) for c in cands]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_three_player_games_agree_with_exact_solving(seed):
    # seed 1 has a tie: player 2 may mix with P(2) in [4/5, 1) against pure opponents, a segment the
    # old grid sampler missed (the answer claimed complete without it)
    rng = np.random.default_rng(seed)
    g = NormalFormGame.from_arrays([rng.integers(0, 10, size=(2, 2, 2)) for _ in range(3)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = N.nplayer_equilibria(g)
    assert r.complete
    mixed = sorted(e.as_floats() for e in r.equilibria if max(len(s) for s in e.support()) > 1)
    ref = sorted(_exact_all(g))
    assert len(mixed) == len(ref)
    for a, b in zip(mixed, ref, strict=True):
        assert np.allclose(np.concatenate(a), np.concatenate(b), atol=1e-9)


def test_iterated_dominance_keeps_every_equilibrium():
    rng = np.random.default_rng(5)
    g = NormalFormGame.from_arrays([rng.integers(0, 5, size=(3, 3, 3)) for _ in range(3)])
    alive = N.iterated_dominance(N._integer_payoffs(g.exact_payoffs()))
    r = N.nplayer_equilibria(g)
    for e in r.equilibria:
        for p, s in enumerate(e.support()):
            assert set(s) <= set(alive[p])


def test_farkas_certificate_prunes_a_coordination_support():
    # 3-player coordination (all get 1 when all match): players 1 and 2 mixing on {1,2} while player 3
    # plays 3 is no equilibrium (player 3 would rather match); the certificate says so, exactly
    s = np.indices((3, 3, 3))
    same = ((s[0] == s[1]) & (s[1] == s[2])).astype(int)
    ui = np.array([same, same, same], dtype=object)
    assert N.farkas_empty(ui, ((0, 1), (0, 1), (2,)))
    assert not N.farkas_empty(ui, ((0, 1), (0, 1), (0, 1)))  # the uniform mix on {1,2} is an equilibrium


def test_provably_empty_by_rank():
    # player 1's two equations in player 2's two probabilities, independent: only sigma_2 = 0 solves them
    d1 = np.array([[1, 2], [3, 4]], dtype=object)
    d2 = np.array([[1, -1, 0]], dtype=object)
    assert N._provably_empty([d1, d2])
    assert not N._provably_empty([np.array([[1, -1]], dtype=object), np.array([[1, -1]], dtype=object)])


def test_irrational_root_is_certified_with_its_system():
    # Nau et al. (2004) sec. 4 is covered in test_gambit_games; here the volunteer's dilemma n = 4:
    # k = 3 abstain with (1/4)^(1/2) = 1/2 (rational) and k = 4 with (1/4)^(1/3) (irrational)
    r = N.nplayer_equilibria(volunteers_dilemma(4, 4, 1))
    assert r.complete and len(r.equilibria) == 15
    full = [e for e in r.equilibria if all(0 < s[0] < 1 for s in e.strategies)]
    assert len(full) == 1 and not full[0].exact and full[0].algebraic
    assert float(full[0].strategies[0][1]) == pytest.approx(0.25 ** (1 / 3), abs=1e-12)
    assert regret(volunteers_dilemma(4, 4, 1), full[0].strategies) <= r.tolerance


@pytest.mark.slow
def test_volunteers_dilemma_five_all_31():
    g = volunteers_dilemma(5, 4, 1)
    r = N.nplayer_equilibria(g)
    assert r.complete and len(r.equilibria) == 31
    by_k = {}
    for e in r.equilibria:
        by_k[sum(0 < s[0] < 1 for s in e.strategies)] = by_k.get(sum(0 < s[0] < 1 for s in e.strategies), 0) + 1
    assert by_k == {0: 5, 2: 10, 3: 10, 4: 5, 5: 1}


@pytest.mark.slow
def test_challenger_game_four_all_15(model):
    g = challenger_game(model.with_values(slash_usd=1000.0).values(), 4)
    r = N.nplayer_equilibria(g)
    assert r.complete and len(r.equilibria) == 15
    assert all(e.regret <= r.tolerance for e in r.equilibria)


def test_time_budget_makes_it_incomplete_but_keeps_pure_equilibria():
    g = volunteers_dilemma(5, 4, 1)
    with pytest.warns(UserWarning, match="time budget"):
        r = N.nplayer_equilibria(g, time_budget=1e-9)
    assert not r.complete
    assert sum(all(max(s) == 1 for s in e.strategies) for e in r.equilibria) == 5


def test_progress_is_reported():
    seen = []
    N.nplayer_equilibria(volunteers_dilemma(3, 4, 1), progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen and {s for _, _, s in seen} <= {"supports", "homotopy", "exact"}
    assert all(0 <= d <= t for d, t, _ in seen)


def test_count_support_profiles_matches_the_list():
    for shape in [(2, 2, 2), (3, 2, 2), (2, 3)]:
        assert N.count_support_profiles(shape) == len(N.support_profiles(shape))
    assert F(1) == 1
    assert list(itertools.islice(N.iter_support_profiles([range(2)] * 3), 1))[0] == ((0,), (0,), (0, 1))
