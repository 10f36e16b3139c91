"""Simulated fraud and detection rates converge to the analytic equilibrium (Done-when of issue 8).

At each parameter point the provers and challengers play the n-challenger equilibrium of
:func:`otr_theory.payoffs.n_challenger_equilibrium`; the simulation's 99% Wilson intervals for the
fraud rate x (on queries whose prover can forge), the monitoring rate y, the challenger detection
q and the detection p must contain the analytic values at every sample size, and shrink like
1/sqrt(N). (99% rather than 95% because a point checks a family of 12 intervals.)
"""

from __future__ import annotations

import math

import pytest

from otr_theory.simulation import simulate, wilson_interval

Z99 = 2.5758293035489004

PAIRS = (
    ("fraud_rate_given_forgeable", "fraud_rate"),
    ("monitoring_rate", "monitoring_rate"),
    ("challenger_detection", "challenger_detection"),
    ("detection_rate", "detection_probability"),
)


def _interval99(est):
    return wilson_interval(est.count, est.trials, z=Z99)


@pytest.mark.parametrize("name", ["forfeit-n3", "keep-n1", "forfeit-n10"])
def test_simulated_equilibrium_rates_converge_to_the_analytic_values(points, name):
    m = points(name)
    widths = []
    for n in (10_000, 100_000, 1_000_000):
        r = simulate(m, queries=n, seed=2026)
        t = r.target
        assert r.policy.origin == "equilibrium" and t.kind == "mixed"
        for sim_key, target_key in PAIRS:
            ci = _interval99(r[sim_key])
            assert ci.contains(getattr(t, target_key)), (name, n, sim_key, ci, getattr(t, target_key))
        widths.append(_interval99(r["detection_rate"]).high - _interval99(r["detection_rate"]).low)
    # 100x the queries: intervals about 10x narrower
    assert widths[2] < widths[0] / 5


def test_predictable_selection_removes_the_spot_check_detection(points):
    """randomness_after_commit = false: the cheater skips the selected queries, so rho catches nothing."""
    r = simulate(points("predictable"), queries=400_000, seed=7)
    t = r.target
    assert t.spot_check_rate == 0.0
    assert r.counts["caught_spot"] == 0 and r.counts["spot_selected"] > 0
    rho = r.constants["spot_check_rate"]
    assert _interval99(r["fraud_rate_given_forgeable"]).contains(t.fraud_rate * (1 - rho))
    assert _interval99(r["detection_rate"]).contains(t.detection_probability)


def test_default_model_equilibrium_is_honest_and_idle(points):
    r = simulate(points("default"), queries=300_000, seed=3)
    assert r.target.kind == "pure" and r.counts["frauds_forged"] == 0 and r.counts["monitors"] == 0
    # zero observed, with the rule-of-three-like Wilson bound z^2/n
    assert r["fraud_rate"].high == pytest.approx(1.959963984540054**2 / (300_000 + 1.959963984540054**2))


def test_prover_indifference_in_the_mixed_equilibrium(points):
    """At x*, y* the cheater's payoff per fraud is 0 in expectation: the simulated mean's interval holds 0."""
    m = points("forfeit-n3")
    r = simulate(m, queries=1_000_000, seed=11)
    e = r["cheater_payoff_usd_per_fraud"]
    assert e.low <= 0.0 <= e.high
    t = r.target  # analytic payoff (1-p)G - pS = 0 at p*
    g, s = t.gain_usd, m.value("slash_usd")
    assert math.isclose((1 - t.detection_probability) * g - t.detection_probability * s, 0.0, abs_tol=1e-6)


@pytest.mark.parametrize("name", ["keep-n1", "forfeit-n10"])
def test_challengers_lose_c_times_one_minus_h_per_check_in_the_network(points, name):
    """The per-query equilibrium makes a monitor indifferent on queries that *can* be cheated
    (x* aS E[share] = c); in the network only a share h of queries can be, so a monitor's expected
    profit per check is h c - c = -c (1 - h) (ours). The simulation must show exactly that."""
    m = points(name)
    r = simulate(m, queries=1_000_000, seed=5)
    k = r.constants
    h = k["compromised_fraction"] * k["window_coverage_realized"]
    c = m.value("check_cost_usd_per_query")
    e = r["challenger_profit_usd_per_check"]
    assert e.low <= -c * (1 - h) <= e.high
    assert e.high < 0  # they lose money: the equilibrium is not self-enforcing unless h = 1
