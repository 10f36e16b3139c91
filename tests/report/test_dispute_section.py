"""The dispute-design section: OTR beside BoLD and the OP game, every number from the same code."""

from __future__ import annotations

import json

import pytest

from otr_theory.games.designs import design_from_model
from otr_theory.games.dispute_economics import (
    delay_flag,
    griefing_parity_bond,
    resource_ratio,
)
from otr_theory.model import load_model
from otr_theory.report.sections.dispute import build


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def section(model):
    return build(model)


def test_three_columns_side_by_side(section):
    cols = section.results["columns"]
    assert [c["model"] for c in cols] == ["otr-llama70b-h100-l1", "arbitrum-bold", "op-fault-dispute-game"]
    assert [c["design"] for c in cols] == ["bisection", "multilevel", "op"]
    header = next(ln for ln in section.markdown.splitlines() if ln.startswith("| quantity"))
    assert header.count("|") == 5


def test_numbers_are_the_analyses(model, section):
    me = section.results["columns"][0]
    d = design_from_model(model)
    rr = resource_ratio(d, slash_usd=model.value("slash_usd"), gas_price_gwei=model.value("stress_gas_price_gwei"))
    assert me["resource_ratio"]["per_dispute_grief_stress"] == rr.per_dispute_grief
    assert me["griefing_parity_bond_usd"] == griefing_parity_bond(d)
    assert me["delay_flagged"] == delay_flag(model)[0] is True
    assert me["worst_finality_any_budget_s"] == "inf"  # the JSON rule (otr_theory.jsonio)
    bold = section.results["columns"][1]
    assert bold["resource_ratio"]["per_level_stress"][0] == pytest.approx(6.46, abs=0.005)
    assert bold["worst_finality_any_budget_s"] / 86_400 == pytest.approx(12.8, rel=0.01)


def test_summary_and_json(section):
    assert len(section.summary) == 1 and "FLAGGED" in section.summary[0] and "resource ratio" in section.summary[0]
    json.dumps(section.results, allow_nan=True)


def test_a_baseline_is_not_compared_with_itself():
    cols = build(load_model("bold")).results["columns"]
    assert [c["model"] for c in cols] == ["arbitrum-bold", "op-fault-dispute-game"]
