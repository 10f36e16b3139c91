"""Exact Lemke-Howson with lexicographic pivoting (partial answers for two-player games too large to enumerate)."""

from __future__ import annotations

import time
import warnings
from fractions import Fraction as F

import numpy as np
import pytest

from otr_theory.games.bimatrix import vertex_enumeration
from otr_theory.games.equilibria import _lemke_howson, partial_equilibria
from otr_theory.games.normal_form import (
    IncompleteEnumerationWarning,
    NormalFormGame,
    regret,
)


@pytest.mark.parametrize("seed", range(8))
def test_end_points_are_equilibria_found_by_vertex_enumeration(seed):
    """Independent check: every Lemke-Howson end point has exact regret 0 and is an extreme
    equilibrium of the complete (vertex) enumeration."""
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(2, 6, size=2))
    g = NormalFormGame.from_bimatrix(rng.integers(-5, 6, size=(m, n)).tolist(), rng.integers(-5, 6, size=(m, n)).tolist())
    eqs = _lemke_howson(g)
    assert eqs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ve = vertex_enumeration(g)
    extreme = {e.strategies for e in ve.equilibria}
    for e in eqs:
        assert regret(g, e.strategies) == 0
        assert e.strategies in extreme or ve.degenerate


def test_matching_pennies_by_every_label():
    g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    eqs = _lemke_howson(g)
    assert [e.strategies for e in eqs] == [((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))]


def test_degenerate_all_equal_game_ends():
    """nashpy's Lemke-Howson ran without end on all-equal 12 x 12 games (why it was disabled);
    lexicographic pivoting ends, and fast."""
    g = NormalFormGame.from_bimatrix([[0] * 30] * 30, [[0] * 30] * 30)
    t0 = time.perf_counter()
    eqs = _lemke_howson(g, max_labels=4)
    assert time.perf_counter() - t0 < 10
    assert eqs and all(e.regret == 0 for e in eqs)


def test_partial_answer_lists_a_mixed_equilibrium_when_there_is_no_pure_one():
    g = NormalFormGame.from_bimatrix([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    with pytest.warns(IncompleteEnumerationWarning, match="Lemke-Howson"):
        r = partial_equilibria(g, "a test")
    assert not r.complete and r.method == "pure-equilibria+lemke-howson"
    third = (F(1, 3),) * 3
    assert [e.strategies for e in r.equilibria] == [(third, third)]


def test_partial_answer_respects_its_time_budget():
    """Exact pivoting on an 80 x 80 game takes seconds a path: the budget stops it, the answer stays honest."""
    rng = np.random.default_rng(0)
    g = NormalFormGame.from_bimatrix(rng.integers(0, 1000, size=(80, 80)).tolist(), rng.integers(0, 1000, size=(80, 80)).tolist())
    t0 = time.perf_counter()
    with pytest.warns(IncompleteEnumerationWarning):
        r = partial_equilibria(g, "a test", time_budget=0.5)
    assert time.perf_counter() - t0 < 5
    assert not r.complete and all(regret(g, e.strategies) == 0 for e in r.equilibria)
