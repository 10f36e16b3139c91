"""Claims check: the verdict logic, and each implied value plugged back reproduces the claim."""

from __future__ import annotations

import pytest

from otr_theory.calibration.claims import TOLERANCE, check_claims, verdict
from otr_theory.calibration.costs import gas_usd, query_cost, relative_throughput
from otr_theory.calibration.data import row


@pytest.fixture(scope="module")
def checks(model):
    return {c.key: c for c in check_claims(model, samples=300)}


def test_verdict_logic():
    assert verdict(1.0, 1.0 + TOLERANCE * 0.99, conditional=False) == "holds"
    assert verdict(1.0, 1.0 + TOLERANCE * 1.01, conditional=False) == "does not hold"
    assert verdict(1.0, 2.0, conditional=True) == "holds only if"
    assert verdict(0.99, 0.85, conditional=True, tolerance=0.005) == "holds only if"
    assert verdict(0.0, 0.0, conditional=False) == "does not hold"  # nothing to compare against


def test_every_claim_cites_rows_and_conditions(checks):
    assert set(checks) == {"throughput", "cost", "latency", "speedup", "provisional", "opml_cost", "zkml_cost"}
    for c in checks.values():
        assert c.rows and all(isinstance(r, str) for r in c.rows)
        assert c.verdict in ("holds", "holds only if", "does not hold")
        assert c.conditions


def test_throughput_claim(model, checks):
    c = checks["throughput"]
    assert c.stated == 0.99
    # source: DGrid blog's 15-20% TEE overhead -> 80-85% of centralized (independent: 1 - f)
    assert c.implied["relative_throughput_at_20pct"] == pytest.approx(0.80)
    assert c.computed == pytest.approx(0.85)
    assert c.verdict == "holds only if" and not c.holds_as_stated
    assert c.implied["max_tee_overhead"] == pytest.approx(0.01)
    assert relative_throughput(model.with_values(tee_overhead_fraction=0.01)) == pytest.approx(0.99)


def test_cost_claim_implied_proof_cost_reproduces_0_07(model, checks):
    c = checks["cost"]
    czk = c.implied["proof_cost_usd"]
    assert 0 < czk < model.value("proof_cost_usd")
    plugged = query_cost(model.with_values(spot_check_rate=0.01, proof_cost_usd=czk))
    assert plugged.overhead_usd == pytest.approx(0.07, rel=1e-9)
    # the signature-verification reading: 0.07 USD of gas per query
    assert gas_usd(c.implied["attestation_gas_per_query"], model.value("gas_price_gwei"), model.value("eth_price_usd")) == pytest.approx(0.07)
    assert c.implied["overhead_q05"] <= c.implied["overhead_q50"] <= c.implied["overhead_q95"]


def test_latency_claim_reproduces_notes_arithmetic(checks):
    c = checks["latency"]
    # notes §1.6: 0.99 x 0.5 s + 0.01 x 1200 s = 12.495 s; 0.8 s needs T_zk = 30.5 s
    assert c.computed == pytest.approx(0.99 * 0.5 + 0.01 * 1200)
    assert c.implied["t_zk_for_stated_s"] == pytest.approx(30.5)
    assert 0.99 * 0.5 + 0.01 * c.implied["t_zk_for_stated_s"] == pytest.approx(0.8)
    assert c.verdict == "holds only if"
    assert c.implied["ttft_plus_attestation_s"] < 0.8 < c.implied["provisional_s_model"]


def test_speedup_and_baseline_costs(checks):
    assert checks["speedup"].computed == pytest.approx(1200 / 0.8)
    assert checks["speedup"].verdict == "holds"  # 1500 vs 1400: within 25%
    op = checks["opml_cost"]
    assert op.implied["cost_unbatched_usd"] > op.stated > op.computed
    zk = checks["zkml_cost"]
    price = zk.stated / zk.implied["h100_hours"]
    assert price == pytest.approx(2.74, rel=0.01)


def test_claims_follow_the_model(model):
    """A model with cheaper proofs moves the implied proof cost not at all but the computed overhead down."""
    cheap = model.with_values(proof_cost_usd=6.0)
    a = {c.key: c for c in check_claims(model, samples=50)}
    b = {c.key: c for c in check_claims(cheap, samples=50)}
    assert b["cost"].computed < a["cost"].computed
    assert b["cost"].implied["proof_cost_usd"] == pytest.approx(a["cost"].implied["proof_cost_usd"])
    assert b["cost"].verdict == "holds"


def test_claim_values_are_rows():
    assert row("protocol-numbers", "otr-overhead-usd")["status"] == "primary"
    assert row("protocol-numbers", "otr-avg-latency")["status"] == "secondary"
