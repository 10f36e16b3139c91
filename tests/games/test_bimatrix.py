"""Two-player solvers: known games, degenerate games as sets, three routes agreeing, properties."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otr_theory.games.bimatrix import (
    bimatrix_equilibria,
    is_degenerate,
    nashpy_equilibria,
    polytope_vertices,
    solve_exact,
    support_enumeration,
    vertex_enumeration,
)
from otr_theory.games.normal_form import (
    DegenerateGameWarning,
    GameError,
    IncompleteEnumerationWarning,
    NormalFormGame,
    regret,
)


def profiles(result):
    return sorted(tuple(tuple(s) for s in e.strategies) for e in result.equilibria)


H = F(1, 2)

# -- known answers ------------------------------------------------------------------------------


def test_matching_pennies_unique_mixed():
    # zero-sum, unique equilibrium (1/2, 1/2) each (von Neumann; any game theory text)
    r = vertex_enumeration([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert profiles(r) == [((H, H), (H, H))]
    assert r.equilibria[0].payoffs == (0, 0)
    assert r.complete and not r.degenerate and r.max_regret == 0


def test_battle_of_the_sexes_all_three():
    # Osborne & Rubinstein (1994), Example 15.3 payoffs (2,1)/(1,2): pure (B,B), (S,S) and mixed (2/3, 1/3)
    A = [[2, 0], [0, 1]]
    B = [[1, 0], [0, 2]]
    for method in ("vertex", "support"):
        r = bimatrix_equilibria(A, B, method=method)
        assert profiles(r) == sorted([((F(1), F(0)), (F(1), F(0))), ((F(0), F(1)), (F(0), F(1))), ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))])
        assert all(e.regret == 0 for e in r.equilibria)
        assert [c.dimension for c in r.components] == [0, 0, 0]


def test_rock_paper_scissors_uniform():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    r = vertex_enumeration(A, -A)
    third = (F(1, 3),) * 3
    assert profiles(r) == [(third, third)]
    assert not r.degenerate


def test_degenerate_lrsnash_example():
    # QuantEcon jlgametheory.lrsnash docs: a degenerate 3x2 game whose equilibria are the segment
    # {(1,0,0)} x conv{(1,0), (2/3,1/3)} and the isolated point ((0,1/3,2/3), (1/3,2/3))
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    with pytest.warns(DegenerateGameWarning):
        r = vertex_enumeration(A, B)
    assert r.degenerate and r.complete
    assert profiles(r) == sorted(
        [
            ((F(1), F(0), F(0)), (F(1), F(0))),
            ((F(1), F(0), F(0)), (F(2, 3), F(1, 3))),
            ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
        ]
    )
    dims = sorted(c.dimension for c in r.components)
    assert dims == [0, 1]
    seg = next(c for c in r.components if c.dimension == 1)
    assert len(seg.maximal_subsets) == 1 and len(seg.maximal_subsets[0][1]) == 2


@pytest.mark.parametrize("t", [F(0), F(1, 7), F(1, 2), F(1)])
def test_continuum_membership_not_one_vector(t):
    """A game with a continuum: every (x, y) with x arbitrary and y = (1,0) ... is in the returned set."""
    # row 1 and row 2 give the row player 1 against column 1; column 1 is dominant for the column player
    A = [[1, 0], [1, 0]]
    B = [[1, 0], [1, 0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        r = vertex_enumeration(A, B)
    g = NormalFormGame.from_bimatrix(A, B)
    x = (t, 1 - t)
    y = (F(1), F(0))
    assert regret(g, [x, y]) == 0  # independent: it is an equilibrium ...
    assert r.contains([x, y])  # ... and the result describes it
    assert len(r.components) == 1 and r.components[0].dimension == 1
    assert not r.contains([x, (H, H)])  # column 2 is not a best response


def test_zero_game_is_everything():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        r = vertex_enumeration([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    assert len(r.equilibria) == 4 and r.components[0].dimension == 2
    assert r.contains([[0.3, 0.7], [0.9, 0.1]])


def test_support_enumeration_flags_degenerate_games():
    with pytest.warns(IncompleteEnumerationWarning):
        r = support_enumeration([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    assert r.degenerate and not r.complete


def test_is_degenerate():
    assert not is_degenerate([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert is_degenerate([[1, 1], [0, 0]], [[1, 1], [0, 0]])


def test_float_games_solved_through_their_decimals():
    A = [[0.1, 0.0], [0.0, 0.2]]
    B = [[0.2, 0.0], [0.0, 0.1]]
    r = vertex_enumeration(A, B)
    assert not r.exact and r.tolerance > 0
    mixed = [e for e in r.equilibria if 0 < e.strategies[0][0] < 1][0]
    assert mixed.strategies[0][0] == pytest.approx(1 / 3) and mixed.strategies[1][0] == pytest.approx(2 / 3)
    assert r.max_regret <= r.tolerance


def test_polytope_vertices_and_solve_exact():
    C = np.array([[F(1), F(2)], [F(2), F(1)]], dtype=object)
    verts = dict(polytope_vertices(C))
    assert (F(1, 3), F(1, 3)) in verts and verts[(F(1, 3), F(1, 3))] == frozenset({2, 3})
    assert len(verts) == 4
    assert solve_exact([[F(0), F(1)], [F(1), F(0)]], [F(2), F(3)]) == [F(3), F(2)]


def test_bad_input():
    with pytest.raises(GameError, match="B: must have the shape of A"):
        vertex_enumeration([[1, 2]], [[1, 2], [3, 4]])
    with pytest.raises(GameError, match="method"):
        bimatrix_equilibria([[1]], [[1]], method="lemke")
    with pytest.raises(GameError, match="B: the column player"):
        vertex_enumeration([[1]])
    with pytest.raises(GameError, match="max_bases"):
        vertex_enumeration(np.ones((12, 12), dtype=int), np.ones((12, 12), dtype=int), max_bases=1000)


def test_result_record_is_frozen_and_jsonable():
    import dataclasses
    import json

    r = vertex_enumeration([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.method = "x"  # type: ignore[misc]
    d = r.to_dict()
    assert json.dumps(d, sort_keys=True) == json.dumps(vertex_enumeration([[2, 0], [0, 1]], [[1, 0], [0, 2]]).to_dict(), sort_keys=True)
    assert [[x["exact"] for x in s] for s in d["equilibria"][1]["strategies"]] == [["2/3", "1/3"], ["1/3", "2/3"]]
    assert {"numpy", "nashpy", "sympy", "otr_theory"} <= set(d["versions"])


# -- properties ---------------------------------------------------------------------------------

small_int = st.integers(min_value=-5, max_value=5)
# payoffs of very different scales in one game (the OTR games mix $1e5 slashes with $1e-4 costs)
wide = st.sampled_from([0, 1, -1, 2, F(1, 3), F(1, 10_000), -F(1, 10_000), 9_999, -10_000, 100_000])


@st.composite
def bimatrix(draw, max_m=3, max_n=3, scales=(small_int, wide)):
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(1, max_n))
    entries = draw(st.sampled_from(scales))
    A = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    return A, B


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bimatrix())
def test_property_every_equilibrium_has_zero_exact_regret(game):
    A, B = game
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = vertex_enumeration(A, B)
    g = NormalFormGame.from_bimatrix(A, B)
    assert r.equilibria  # never nothing
    for e in r.equilibria:
        assert regret(g, e.strategies) == 0
    # every vertex of every maximal Nash subset is an equilibrium; so is the barycentre of each subset
    for c in r.components:
        for rows, cols in c.maximal_subsets:
            x = [sum(c.row_points[i][k] for i in rows) / len(rows) for k in range(len(c.row_points[0]))]
            y = [sum(c.col_points[j][k] for j in cols) / len(cols) for k in range(len(c.col_points[0]))]
            assert regret(g, [x, y]) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bimatrix())
def test_property_exact_routes_agree(game):
    A, B = game
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vx = vertex_enumeration(A, B)
        sup = support_enumeration(A, B)
    if not vx.degenerate:
        # nondegenerate: isolated equilibria, an odd number (Shapley 1974), found by both routes
        assert sup.complete and len(vx.equilibria) % 2 == 1
        assert profiles(vx) == profiles(sup)
    else:
        assert not sup.complete
        for e in sup.equilibria:
            assert vx.contains(e.strategies, tol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bimatrix(scales=(small_int,)))
def test_property_nashpy_agrees(game):
    """nashpy (floats) on well-scaled games: its points lie in our set, and it finds all isolated ones.

    (On payoffs of very different scales nashpy's qhull-based vertex enumeration loses or garbles
    equilibria; the exact routes do not -- see test_property_exact_routes_agree.)
    """
    A, B = game
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vx = vertex_enumeration(A, B)
        npy = nashpy_equilibria(A, B)
    assert not npy.complete
    for e in npy.equilibria:
        assert vx.contains(e.strategies, tol=1e-7)
    if not vx.degenerate:
        assert len(npy.equilibria) == len(vx.equilibria)
