"""games.analysis: the EquilibriaAnalysis record (JSON, schema, HTML, repr, frame), each
equilibrium checked by its regret, the SPE by the materialised tree."""

from __future__ import annotations

from fractions import Fraction

import jsonschema
import numpy as np
import pytest

from otr_theory.games.analysis import NS, EquilibriaAnalysis, analyse, illustrative_slashes
from otr_theory.games.challengers import symmetric_regret
from otr_theory.jsonio import dumps
from otr_theory.model import load_model
from otr_theory.payoffs import minimum_slash
from otr_theory.records import schema_of


@pytest.fixture(scope="module")
def record(model):
    return analyse(model)


def test_record_is_json_and_validates_against_its_schema(record):
    d = record.to_dict()
    assert "NaN" not in dumps(d)
    jsonschema.validate(d, schema_of(EquilibriaAnalysis))
    ex = d["inspection_games"][0]["extreme_equilibria"][0]
    assert ex[0] == {"value": 0.0, "exact": "0"}  # exact values by the one JSON rule


def test_repr_html_and_frame(record):
    lines = repr(record).splitlines()
    assert len(lines) <= 15 and lines[0].startswith("EquilibriaAnalysis(")
    assert "<th>convention</th>" in record._repr_html_()
    for sub in (record.inspection_games[0], record.sweeps[0], record.dispute, record.dispute.spe_fraud, record.sweep_rows[0]):
        assert len(repr(sub).splitlines()) <= 15 and "<table>" in sub._repr_html_()
    pytest.importorskip("pandas")
    frame = record.to_frame()
    assert len(frame) == 6 and set(frame["convention"]) == {"forfeit", "keep"}


def test_inspection_equilibria_are_exact_equilibria(record):
    assert record.solver_agrees_with_closed_form
    assert record.max_inspection_regret_usd == 0 and all(isinstance(g.regret_usd, Fraction) for g in record.inspection_games)
    assert sum(g.in_force for g in record.inspection_games) == 3


def test_sweeps_are_checked_by_regret(model, record):
    assert [sw.slash_usd for sw in record.sweeps] == illustrative_slashes(model) == list(record.illustrative_slashes_usd)
    for sw in record.sweeps:
        assert sw.n == tuple(int(n) for n in NS) and sw.max_regret_usd <= sw.tolerance_usd
        # an independent recomputation of the regret at a few n
        idx = [0, 10, len(NS) - 1]
        reg = symmetric_regret(model.with_values(slash_usd=sw.slash_usd), NS[idx], np.asarray(sw.fraud_rate)[idx], np.asarray(sw.monitoring_rate)[idx], "wrong_output", model.loss_convention)
        assert float(np.max(reg)) <= sw.tolerance_usd
    shown = {(r.slash_usd, r.n) for r in record.sweep_rows}
    assert (record.sweeps[0].slash_usd, record.n_model) in shown


def test_illustrative_slashes_use_the_one_break_even_slash(model):
    s0 = minimum_slash(model, "wrong_output", variant="break_even")
    assert illustrative_slashes(model)[1:] == [float(f"{s0 / 2:.4g}"), float(f"{s0 / 10:.4g}")]
    # spot-checks that do not bite (selection known before the commitment): no finite break-even
    # slash, so the model's slash only (the section once used the raw rho here)
    assert illustrative_slashes(model.with_protocol(randomness_after_commit=False)) == [model.value("slash_usd")]


def test_dispute_spe_checked_by_the_tree(record):
    d = record.dispute
    assert d.tree_matches_compact and d.rounds == 40 and d.fits_window
    assert d.spe_fraud.outcome.winner == "challenger" and d.spe_grief.outcome.winner in ("prover", None)


def test_a_large_n_skips_the_full_game(model):
    rec = analyse(model.with_values(count=5))
    assert rec.full_game is None and rec.full_game_agrees is None
    jsonschema.validate(rec.to_dict(), schema_of(EquilibriaAnalysis))


@pytest.mark.parametrize("name", ["opml", "poq", "zkml"])
def test_other_models_validate(name):
    rec = analyse(load_model(name))
    jsonschema.validate(rec.to_dict(), schema_of(EquilibriaAnalysis))
    assert rec.solver_agrees_with_closed_form


def test_spe_regret_catches_a_wrong_plan(model, record):
    """The one-shot deviation check is not a rubber stamp: a plan with one action flipped, or a
    stated value changed, has a positive regret."""
    import dataclasses as dc

    from otr_theory.games.analysis import spe_regret
    from otr_theory.games.dispute import DisputeParams, subgame_perfect

    p = DisputeParams.from_model(model)
    for liar in ("prover", "challenger"):
        spe = subgame_perfect(p, liar)
        assert spe_regret(p, spe) == 0.0
        flipped = {"continue": "concede", "concede": "continue", "open": "do not open", "do not open": "open"}
        for node in (0, 1, p.rounds + 1):
            plan = list(spe.plan)
            plan[node] = flipped[plan[node]]
            assert spe_regret(p, dc.replace(spe, plan=tuple(plan))) > 0, (liar, node)
        values = list(spe.values)
        values[0] = (values[0][0] + 1.0, values[0][1])
        assert spe_regret(p, dc.replace(spe, values=tuple(values))) > 0
    assert (record.dispute.spe_fraud.regret_usd, record.dispute.spe_grief.regret_usd) == (0.0, 0.0)
