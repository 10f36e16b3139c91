"""Every mutant breaks its theorem with a counterexample the interpreter replays."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model
from otr_theory.smt.mutants import MUTANTS, mutant
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import check


def test_catalogue_covers_every_theorem():
    assert len(MUTANTS) >= 10
    assert {m.theorem for m in MUTANTS} == set(range(1, 8))
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    with pytest.raises(KeyError, match="no mutant"):
        mutant("nothing")


@pytest.mark.parametrize("m", MUTANTS, ids=lambda m: m.name)
def test_mutant_violates_its_theorem(m, params, theorems_by_number):
    report = check(m.apply(params), theorems=[theorems_by_number[m.theorem]])
    (r,) = report.results
    assert r.status == "violated", (m.name, r.method, r.detail)
    assert report.exit_code == 1
    cex = r.counterexample
    assert cex is not None and cex.replayed, cex.note if cex else None
    assert cex.violated
    if cex.kind == "trace":
        assert "reproduced all" in cex.note
        assert len(cex.lines()) >= len(cex.steps) + 2
    else:
        assert any(v > -params.margin_usd for v in cex.point["payoffs"].values())


@pytest.mark.parametrize("switch", ["attestation_check", "randomness_after_commit", "slash_on_missed_proof"])
def test_switch_mutants_match_the_model_route(switch, params):
    """A switch mutant equals the model with the switch off (Model.with_protocol)."""
    via_model = Params.from_model(load_model().with_protocol(**{switch: False}))
    via_mutant = next(m for m in MUTANTS if m.apply(params) == via_model)
    assert getattr(via_mutant.apply(params), switch) is False


def test_mutants_leave_the_default_untouched(params):
    for m in MUTANTS:
        assert m.apply(params) != params, m.name
    assert params == Params.from_model(load_model())
