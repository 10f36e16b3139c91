"""The paper's headline claims: the verdicts move where the stated conditions say they do."""

from __future__ import annotations

import pytest

from otr_theory.simulation import Policy, headline_claims, simulate


def claims_of(model, **kw):
    return {c.key: c for c in headline_claims(model, simulate(model, queries=100_000, seed=1), **kw)}


def test_default_model_verdicts(model):
    c = claims_of(model)
    assert not c["throughput"].holds and c["throughput"].simulated.value == pytest.approx(0.95)
    assert not c["cost"].holds and c["cost"].simulated.value > 0.07
    # per query, spot-checks alone deter; over time a compromised prover that cheats until
    # caught (and through the 12 h proof deadline) earns tens of millions: the claim fails (issue 12)
    assert not c["safety"].holds
    assert "S* = $9900" in c["safety"].holds_when  # 100 (1 - 0.01) / 0.01
    # S*(over time) = (g_v (1-p)/p + n L gbar (1-p) + m/p) / (1-a) = $54.1M; the best attack cheats on the high-value class
    assert "a slash of at least $5.41e+07" in c["safety"].holds_when and "earns $2.7e+07" in c["safety"].holds_when


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
    assert 0.005 < rho_max < 0.007  # (0.07 - 0.0016) / 10.75
    assert claims_of(model.with_values(spot_check_rate=rho_max * 0.8))["cost"].holds
    assert not claims_of(model.with_values(spot_check_rate=rho_max * 1.2))["cost"].holds


def test_safety_fails_when_a_bribe_exceeds_the_minimum_slash(model):
    bribed = model.with_values(external_gain_usd=10_000.0)  # S* = 990,000 > S = 100,000
    c = claims_of(bribed)["safety"]
    assert not c.holds and "S* = $9.9e+05" in c.holds_when


def test_safety_failure_mode_reports_the_adversary(model):
    adv = simulate(model, queries=100_000, seed=1, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    c = {x.key: x for x in headline_claims(model, simulate(model, queries=100_000, seed=1), adversary=adv)}["safety"]
    assert "undetected frauds per query" in c.fails_when
