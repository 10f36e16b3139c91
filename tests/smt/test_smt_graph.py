"""The state graph: reachability sanity and the explicit-state check of the invariants."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model
from otr_theory.plotting.graph import state_graph_figure as draw_state_graph
from otr_theory.smt.graph import NODE_ORDER, explore, node_of, sanity, state_graph
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import applicable_invariants
from otr_theory.smt.vocabulary import Phase


@pytest.fixture(scope="module")
def explored(params):
    ex = explore(params)
    return ex, state_graph(ex)


def test_default_graph_is_sane(params, explored):
    ex, g = explored
    s = sanity(params, ex, g, [th.clauses for th in applicable_invariants(params)])
    assert s.ok, s
    assert set(g.nodes) == set(NODE_ORDER)
    assert s.verdicts_reachable == ("final", "slashed", "rejected")
    assert g.has_edge("committed", "rejected") and g.has_edge("provisional", "final")
    assert not any(g.has_edge(t, u) for t in ("final", "slashed", "rejected") for u in g if u != t)


def test_exploration_is_deterministic():
    p = Params.from_model(load_model("opml"))
    a, b = explore(p), explore(p)
    assert a.states == b.states and a.edges == b.edges


def test_explicit_state_check_catches_a_violation():
    """Independent of z3: exploring PoQ finds a downgraded (invalid) result made final."""
    p = Params.from_model(load_model("poq"))
    ex = explore(p)
    s = sanity(p, ex, state_graph(ex), [th.clauses for th in applicable_invariants(p)])
    assert any(v.startswith("an invalid result reaches final finality only through the failure of some tier") for v in s.violations)
    assert any(st.phase == Phase.FINAL and not st.valid for st in ex.states)


def test_figure_draws_every_node(explored):
    _, g = explored
    fig = draw_state_graph(g)
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts if t.get_text()]
    arrows = [t for t in fig.axes[0].texts if not t.get_text()]
    assert sorted(labels) == sorted(g.nodes)
    assert len(arrows) == sum(1 for u, v in g.edges if u != v)


@pytest.mark.parametrize("name", ["centralized", "zkml", "opml", "poq"])
def test_baseline_graphs_are_sane(name):
    p = Params.from_model(load_model(name))
    ex = explore(p)
    s = sanity(p, ex, state_graph(ex))
    assert s.ok, s
    assert "final" in s.verdicts_reachable
    assert {node_of(x) for x in ex.initial} == {"received"}
