"""The deterrence section labels its S* as the one-query condition and states the verdict over time."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model
from otr_theory.payoffs.corruption import corruption_inputs, required_stake
from otr_theory.report.sections import deterrence


def test_deterrence_states_the_one_query_condition_and_the_over_time_verdict():
    model = load_model()
    sec = deterrence.build(model)
    r = sec.results
    assert r["deterred"] is True and r["deterred_reading"] == "one query against a fresh stake, no detection lag"
    assert r["secure_over_time"] is False
    assert r["required_stake_over_time_usd"] == pytest.approx(required_stake(corruption_inputs(model)))
    assert "for one query against a fresh stake the configured slash $100,000 deters" in sec.summary[0]
    assert "Over time it does NOT" in sec.summary[0]
    rich = model.with_values(stake_usd=1e8, slash_usd=1e8)
    assert deterrence.build(rich).results["secure_over_time"] is True
