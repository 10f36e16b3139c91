"""games.dispute_analysis: the DisputeAnalysis record (JSON, schema, HTML, repr, frame) and its numbers."""

from __future__ import annotations

import math

import jsonschema
import pytest

from otr_theory.games.designs import design_from_model, move_schedule
from otr_theory.games.dispute_analysis import (
    DisputeAnalysis,
    DisputeColumn,
    analyse,
    column,
)
from otr_theory.games.dispute_economics import Stakes, delay_attack, solve_design
from otr_theory.jsonio import dumps
from otr_theory.model import load_model
from otr_theory.records import schema_of


@pytest.fixture(scope="module")
def analysis():
    return analyse(load_model())


def test_record_is_json_and_validates_against_its_schema(analysis):
    doc = analysis.to_dict()
    dumps(doc)
    jsonschema.validate(doc, schema_of(DisputeAnalysis))
    assert doc["columns"][0]["worst_finality_any_budget_s"] == "inf"  # unbounded: the JSON rule
    bad = dict(doc, columns=[dict(doc["columns"][0], moves="many")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema_of(DisputeAnalysis))


def test_record_shows_as_table_repr_and_frame(analysis):
    html = analysis._repr_html_()
    assert "<table>" in html and html.count("<thead>") == 1 and "arbitrum-bold" in html
    assert len(repr(analysis).splitlines()) <= 15
    assert len(repr(analysis.own).splitlines()) <= 15
    pd = pytest.importorskip("pandas")
    frame = analysis.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame["model"]) == [c.model for c in analysis.columns]


def test_column_numbers_against_the_solvers(analysis):
    """Independent checks: the worst attack is the larger of the two modes; moves are the schedule's;
    the delay is bounded exactly when the worst finality over any budget is finite."""
    m = load_model()
    d = design_from_model(m)
    own = analysis.own
    modes = [delay_attack(d, m.value("delay_attack_budget_usd"), mode) for mode in ("sequential", "parallel")]
    assert own.attack.extra_delay_s == max(a.extra_delay_s for a in modes)
    assert own.moves == len(move_schedule(d)) > 0
    assert own.spe_fraud_opened == solve_design(d, Stakes.from_model(m), "prover").opened
    for c in analysis.columns:
        if c.attack.bounded:  # a chess clock: no budget buys more than one clock
            assert math.isfinite(c.worst_finality_any_budget_s)
        assert c.normal_finality_s <= c.attacked_finality_s <= c.worst_finality_any_budget_s


def test_baseline_is_not_compared_with_itself():
    a = analyse(load_model("bold"))
    assert [c.model for c in a.columns] == ["arbitrum-bold", "op-fault-dispute-game"] and a.baselines == ("op-fault-dispute-game",)
    assert isinstance(column(load_model("bold")), DisputeColumn)
