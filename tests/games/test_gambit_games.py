"""Gambit's own test games (tests/data/gambit-games, copied from the Gambit repository): read, solve, count.

Known counts come from each game's title or comment in the file and the paper it cites.
"""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import pytest

from otr_theory.games.equilibria import all_equilibria
from otr_theory.games.nfg import dumps_nfg, loads_nfg, read_nfg

KNOWN_BIMATRIX = {
    # file: (number of extreme equilibria, degenerate), from the file titles
    "2x2.nfg": (1, False),  # "unique mixed equilibrium"
    "coord2.nfg": (3, False),  # "3 Nash equilibria"
    "coord3.nfg": (7, False),  # "7 Nash equilibria"
    "coord4.nfg": (15, False),  # "15 Nash equilibria"
    "ijgt-nau2004-sec3.nfg": (3, False),  # battle of the sexes
    "8x8.nfg": (5, False),  # "5 equilibria (3 pure)"
    "dcg-vonstengel1999-6x6_game_with_75_eq.nfg": (75, False),  # von Stengel (1999)
    "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs.nfg": (75, False),
    "winkels.nfg": (12, True),  # "Winkels, 1979 degenerate game with 12 extreme equilibria"
    "test-coordination_4x4_payoff.nfg": (15, False),
    "test-coordination_4x4_outcome.nfg": (15, False),
}


@pytest.mark.parametrize("name", sorted(KNOWN_BIMATRIX))
def test_bimatrix_counts(gambit_dir, name):
    count, degenerate = KNOWN_BIMATRIX[name]
    g = read_nfg(gambit_dir / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = all_equilibria(g)
    assert len(r.equilibria) == count
    assert r.degenerate is degenerate and r.complete
    assert r.max_regret == 0 and g.exact


def test_8x8_has_three_pure(gambit_dir):
    r = all_equilibria(read_nfg(gambit_dir / "8x8.nfg"))
    pure = [e for e in r.equilibria if all(max(s) == 1 for s in e.strategies)]
    assert len(pure) == 3


@pytest.mark.parametrize("name", ["csg1.nfg", "csg2.nfg", "csg3.nfg", "csg4.nfg"])
def test_constant_sum_continua(gambit_dir, name):
    # titles: "constant sum game with a continuum of equilibria"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = all_equilibria(read_nfg(gambit_dir / name))
    assert r.degenerate
    assert len(r.components) == 1 and r.components[0].dimension >= 1
    # constant sum: every equilibrium gives the same payoffs (the value)
    assert len({e.payoffs for e in r.equilibria}) == 1


def test_outcome_and_payoff_versions_are_the_same_game(gambit_dir):
    a = read_nfg(gambit_dir / "test-coordination_4x4_outcome.nfg")
    b = read_nfg(gambit_dir / "test-coordination_4x4_payoff.nfg")
    assert (a.payoffs == b.payoffs).all()


def test_every_file_round_trips(gambit_dir):
    files = sorted(gambit_dir.glob("*.nfg"))
    assert len(files) >= 50
    for f in files:
        g = read_nfg(f)
        assert loads_nfg(dumps_nfg(g)) == g, f.name
        assert loads_nfg(dumps_nfg(g, version="outcome")) == g, f.name


KNOWN_NPLAYER = {
    # file: (equilibria, pure, totally mixed); from the titles
    "2x2x2.nfg": (9, None, 2),  # McKelvey & McLennan (1996): 9 Nash equilibria, 2 totally mixed
    "doc-2x2x2.nfg": (9, None, 2),
    "2x2x2x2.nfg": (3, None, None),  # "3 Nash equilibria"
    "g1.nfg": (1, 0, 1),  # van der Laan et al.: no pure, 1 totally mixed
    "g3.nfg": (5, 0, None),  # no pure, five mixed
    "test-2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg": (3, 2, 1),
}


def _kinds(r):
    pure = sum(all(max(s) == 1 for s in e.strategies) for e in r.equilibria)
    total = sum(all(min(s) > 0 for s in e.strategies) for e in r.equilibria)
    return pure, total


@pytest.mark.parametrize("name", sorted(KNOWN_NPLAYER))
def test_nplayer_counts(gambit_dir, name):
    count, pure, mixed = KNOWN_NPLAYER[name]
    r = all_equilibria(read_nfg(gambit_dir / name))
    assert r.complete and len(r.equilibria) == count
    p, t = _kinds(r)
    if pure is not None:
        assert p == pure
    if mixed is not None:
        assert t == mixed
    for e in r.equilibria:
        assert e.regret <= r.tolerance


def test_local_max_cut_uniform_mixed(gambit_dir):
    r = all_equilibria(read_nfg(gambit_dir / "test-2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg"))
    mixed = [e for e in r.equilibria if min(min(s) for s in e.strategies) > 0]
    assert mixed[0].strategies == ((F(1, 2), F(1, 2)),) * 3 and mixed[0].exact


def test_nau_irrational_equilibrium(gambit_dir):
    # Nau, Gomez Canovas & Hansen (2004), sec. 4: a unique equilibrium, in irrational strategies;
    # player 3 plays strategy 2 with the root of 2t^2 - 27t + 16 in (0, 1): t = (27 - sqrt(601))/4
    r = all_equilibria(read_nfg(gambit_dir / "ijgt-nau2004-sec4.nfg"))
    assert r.complete and len(r.equilibria) == 1
    e = r.equilibria[0]
    assert not e.exact and e.algebraic
    assert e.strategies[2][1] == pytest.approx((27 - 601**0.5) / 4, abs=1e-12)
    assert e.regret <= r.tolerance


def test_nau_continuum_is_described_and_complete(gambit_dir):
    # sec. 5: 3 pure equilibria and continua of mixed ones: two segments where player 3 alone mixes
    # and a curve of totally mixed equilibria joining them, each described exactly (one component
    # of dimension 1 holding two pure equilibria) and the third pure equilibrium isolated
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = all_equilibria(read_nfg(gambit_dir / "ijgt-nau2004-sec5.nfg"))
    assert r.complete and r.degenerate
    assert _kinds(r)[0] == 3
    assert sorted(c.dimension for c in r.components) == [0, 1]
    samples = [c for c in r.components if c.note]
    assert samples and all("continuum" in c.note for c in samples)
    assert all(e.regret == 0 for e in r.equilibria)


def test_van_der_laan_3x3x3(gambit_dir):
    r = all_equilibria(read_nfg(gambit_dir / "g2.nfg"))  # "no pure, and one mixed equilibrium"
    assert r.complete and len(r.equilibria) == 1 and _kinds(r)[0] == 0


@pytest.mark.slow
def test_3x3x3_five_equilibria_two_pure(gambit_dir):
    r = all_equilibria(read_nfg(gambit_dir / "3x3x3.nfg"))  # "five equilibria (two pure)"
    assert r.complete and len(r.equilibria) == 5 and _kinds(r)[0] == 2


def _gambit_game(gbt, path):
    return gbt.read_nfg(str(path)) if hasattr(gbt, "read_nfg") else gbt.Game.read_game(str(path))


def _gambit_profiles(game, result):
    """Profiles from a pygambit result: 16.x (list, Player objects) and 17 (NashComputationResult, labels)."""
    eqs = result.equilibria if hasattr(result, "equilibria") else result
    out = []
    for eq in eqs:
        prof = []
        for p in game.players:
            vals = [v[1] if isinstance(v, tuple) else v for v in eq[p]]
            prof.append(tuple(vals))
        out.append(tuple(prof))
    return out


def test_compare_with_pygambit(gambit_dir):
    """When pygambit is installed (extra ``gambit``), its enummixed agrees with our extreme equilibria."""
    gbt = pytest.importorskip("pygambit")
    for name in ("coord3.nfg", "deg2.nfg", "winkels.nfg", "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs.nfg"):
        path = gambit_dir / name
        game = _gambit_game(gbt, path)
        theirs = _gambit_profiles(game, gbt.nash.enummixed_solve(game, rational=True))
        their_set = {tuple(tuple(F(str(x)) for x in s) for s in prof) for prof in theirs}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = {tuple(e.strategies) for e in all_equilibria(read_nfg(path)).equilibria}
        assert ours == their_set, name


# every n-player game of the corpus: (equilibria we find, complete); shipped so that a regression in
# count or completeness shows without pygambit. Continua (Nau et al. 2004 sec. 5: two segments and
# a curve; sec. 6: one segment; perfect3: a segment and a point) are described exactly
# (nplayer_exact.describe_continuum), so these answers are complete.
NPLAYER_COUNTS = {
    "2x2x2.nfg": (9, True),
    "2x2x2x2.nfg": (3, True),
    "2x2x2x2x2.nfg": (5, True),
    "3x3x3.nfg": (5, True),
    "5x4x3.nfg": (3, True),
    "8x2x2.nfg": (5, True),
    "coord333.nfg": (13, True),
    "doc-2x2x2.nfg": (9, True),
    "g1.nfg": (1, True),
    "g2.nfg": (1, True),
    "g3.nfg": (5, True),
    "ijgt-nau2004-sec4.nfg": (1, True),
    "ijgt-nau2004-sec5.nfg": (6, True),
    "ijgt-nau2004-sec6.nfg": (3, True),
    "perfect3.nfg": (3, True),
    "test-2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg": (3, True),
}
# pygambit's enumpoly did not end on these (continua) before 17.0.0b2; it does now (sec6: 2 points
# of the segment, perfect3: 2), and they are compared
GAMBIT_HANGS: set[str] = set()


def test_corpus_counts_cover_every_nplayer_game(gambit_dir):
    names = {f.name for f in gambit_dir.glob("*.nfg") if read_nfg(f).n_players >= 3}
    assert names == set(NPLAYER_COUNTS)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NPLAYER_COUNTS))
def test_nplayer_corpus_solved_and_pygambit_subset(gambit_dir, name):
    """Every n-player game: our count and completeness as shipped; every equilibrium pygambit's
    enumpoly finds is among ours (within 1e-6), where pygambit is installed."""
    import time

    count, complete = NPLAYER_COUNTS[name]
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = all_equilibria(read_nfg(gambit_dir / name), time_budget=120)
    elapsed = time.perf_counter() - t0
    assert (len(r.equilibria), r.complete) == (count, complete), (name, elapsed, r.warnings)
    assert all(e.regret <= r.tolerance for e in r.equilibria)
    try:
        import pygambit as gbt
    except ImportError:
        return
    if name in GAMBIT_HANGS:
        return
    game = _gambit_game(gbt, gambit_dir / name)
    theirs = _gambit_profiles(game, gbt.nash.enumpoly_solve(game))
    ours = [e.as_floats() for e in r.equilibria]
    for prof in theirs:
        flat = [float(x) for s in prof for x in s]
        assert any(max(abs(a - b) for a, b in zip(flat, [x for s in o for x in s], strict=True)) < 1e-6 for o in ours), (name, prof)


@pytest.mark.slow
def test_five_players_complete(gambit_dir):
    # "Five person 2x2x2x2x2 game with five equilibria": all five, certified complete (44 homotopy
    # paths for the full support instead of the total-degree 1024)
    r = all_equilibria(read_nfg(gambit_dir / "2x2x2x2x2.nfg"))
    assert len(r.equilibria) == 5 and r.complete and not r.degenerate
    assert all(e.regret <= r.tolerance for e in r.equilibria)
