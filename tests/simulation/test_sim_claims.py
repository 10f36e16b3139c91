"""The paper's headline claims: the verdicts move where the stated conditions say they do."""

from __future__ import annotations

import pytest

from otr_theory.simulation import Policy, headline_claims, simulate


def claims_of(model, **kw):
    return {c.key: c for c in headline_claims(model, simulate(model, queries=100_000, seed=1), **kw)}


def test_default_model_verdicts(model):
    run = simulate(model, queries=100_000, seed=1)
    c = {x.key: x for x in headline_claims(model, run)}
    # the fitted defaults: a 0.31% TEE overhead (the 1% the claim allows) and a $0.49 proof
    assert c["throughput"].holds and c["throughput"].simulated.value == pytest.approx(1 - model.value("tee_overhead_fraction"))
    k = run.constants
    proof_unit = model.value("proof_cost_usd") + model.value("verify_gas") * model.value("gas_price_gwei") * 1e-9 * model.value("eth_price_usd")
    assert k["proof_usd"] == pytest.approx(proof_unit, rel=1e-12)  # 0.4909 + 250,000 gas x 1 gwei x $3,000
    mean = model.value("spot_check_rate") * proof_unit + k["fixed_cost_usd_per_query"] - k["centralized_usd_per_query"]
    est = c["cost"].simulated
    assert c["cost"].holds and est.low <= mean <= est.high and est.high < 0.07  # ~0.0140: proofs 0.0124 + the rest 0.0015
    # per query, spot-checks alone deter; over time a compromised prover that cheats until
    # caught (and through the 12 h proof deadline) earns tens of millions: the claim fails (issue 12)
    assert not c["safety"].holds
    assert "S* = $9,900" in c["safety"].holds_when  # 100 (1 - 0.01) / 0.01, formatted by otr_theory.fmt.fmt_usd
    # S*(over time) = (g_v (1-p)/p + n L gbar (1-p) + m/p) / (1-a) = $56.06M with n = 5.753 q/s; the best
    # attack cheats on the high-value class: P_M (g_v (1-p)/p + n L gbar (1-p) - (1-a) S) = $27.98M
    assert "a slash of at least $56,061,169" in c["safety"].holds_when and "earns $27,980,485" in c["safety"].holds_when
    assert "with a 12 h detection lag" in c["safety"].holds_when and "e+" not in c["safety"].holds_when  # otr_theory.fmt, no exponents


def test_safety_holds_over_time_with_a_short_lag_and_a_large_stake(model):
    """A 10 min proof deadline and a $5M stake, above the over-time S* (~$2.7M): the claim holds."""
    safe = model.with_values(proof_latency_s=600.0, proof_deadline_s=600.0, stake_usd=5e6, slash_usd=5e6)
    assert claims_of(safe)["safety"].holds


def test_throughput_holds_iff_tee_overhead_at_most_one_percent(model):
    assert claims_of(model.with_values(tee_overhead_fraction=0.0))["throughput"].holds
    assert claims_of(model.with_values(tee_overhead_fraction=0.009))["throughput"].holds
    assert not claims_of(model.with_values(tee_overhead_fraction=0.02))["throughput"].holds


def test_cost_holds_below_the_stated_rho(model):
    c = claims_of(model)["cost"]
    rho_max = float(c.holds_when.rsplit("rho <= ", 1)[1])
    assert 0.054 < rho_max < 0.056  # (0.07 - 0.0015) / 1.2409: the fitted $0.49 proof + $0.75 verify gas
    assert claims_of(model.with_values(spot_check_rate=rho_max * 0.8))["cost"].holds
    assert not claims_of(model.with_values(spot_check_rate=rho_max * 1.2))["cost"].holds


def test_safety_fails_when_a_bribe_exceeds_the_minimum_slash(model):
    bribed = model.with_values(external_gain_usd=10_000.0)  # S* = 990,000 > S = 100,000
    c = claims_of(bribed)["safety"]
    assert not c.holds and "S* = $990,000" in c.holds_when


def test_safety_failure_mode_reports_the_adversary(model):
    adv = simulate(model, queries=100_000, seed=1, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    c = {x.key: x for x in headline_claims(model, simulate(model, queries=100_000, seed=1), adversary=adv)}["safety"]
    assert "undetected frauds per query" in c.fails_when
