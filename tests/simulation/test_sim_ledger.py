"""Value moved, honest parties' losses, costs and times against the calibration, and protocol mutants."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.calibration.costs import query_cost, query_latency, relative_throughput
from otr_theory.simulation import Policy, PolicyError, plan_simulation, simulate
from otr_theory.simulation.engine import run_event_by_event, run_vectorized

GRIEF = Policy(fraud_probability=0.8, monitoring_probability=0.4, intact_fraud_probability=0.05, frivolous_challenge_rate=0.03)


def _odd(points):
    # decimal amounts whose binary floats do not add up: conservation must still be exact
    return points("forfeit-n10").with_values(slash_usd=1_234.57, challenger_reward_share=0.37, challenger_bond_usd=99.99)


def test_conservation_slashed_equals_paid_plus_burned_exactly(points):
    r = simulate(_odd(points), queries=200_000, seed=1, policy=GRIEF)
    led = r.ledger
    assert r.counts["slashed"] > 1_000 and r.counts["caught_challenger"] > 1_000
    assert isinstance(led.slashed_usd, Fraction)
    assert led.slashed_usd == led.paid_usd + led.burned_usd
    assert sum(led.paid_by_challenger_usd) == led.paid_usd
    assert sum(led.slashed_by_prover_usd) == led.slashed_usd
    # one slash per identity: paid once per slash a challenge executed
    assert led.paid_usd == Fraction("1234.57") * Fraction("0.37") * r.counts["rewarded_slashes"]
    assert r.counts["rewarded_slashes"] <= r.counts["slash_events"] <= r.counts["slashed"]
    assert r.counts["slash_events"] + r.counts["merged_detections"] == r.counts["slashed"]
    assert led.slashed_usd == Fraction("1234.57") * led.identities_slashed
    assert led.bonds_forfeited_usd == Fraction("99.99") * r.counts["frivolous"]
    assert led.burned_usd >= 0


@settings(max_examples=12, deadline=None)
@given(
    x=st.floats(0, 1),
    y=st.floats(0, 1),
    intact=st.floats(0, 0.2),
    grief=st.floats(0, 0.2),
    seed=st.integers(0, 2**32),
    scope=st.sampled_from(["always", "windows"]),
)
def test_property_conservation_and_no_honest_losses(points, x, y, intact, grief, seed, scope):
    pol = Policy(fraud_probability=x, monitoring_probability=y, intact_fraud_probability=intact, frivolous_challenge_rate=grief, monitoring_scope=scope)
    r = simulate(_odd(points), queries=3_000, seed=seed, policy=pol, time_bins=7)
    led = r.ledger
    assert led.slashed_usd == led.paid_usd + led.burned_usd
    assert led.honest_prover_slashed_usd == 0 and led.honest_challenger_bonds_lost_usd == 0
    c = r.counts
    assert c["caught_spot"] + c["caught_challenger"] - c["caught_both"] + c["undetected"] == c["frauds_forged"]
    assert sum(r.series["queries"]) == 3_000 and sum(r.series["undetected"]) == c["undetected"]
    assert c["monitors"] <= r.constants["challengers"] * c["monitoring_eligible"]


def test_honest_provers_never_slashed_even_under_griefing(points):
    honest = Policy(fraud_probability=0.0, monitoring_probability=0.5, frivolous_challenge_rate=0.2)
    r = simulate(_odd(points), queries=100_000, seed=2, policy=honest)
    assert r.counts["frivolous"] > 10_000 and r.counts["slashed"] == 0
    assert r.ledger.slashed_usd == 0 and r.ledger.bonds_forfeited_usd > 0
    assert r.ledger.honest_prover_slashed_usd == 0 and r.ledger.honest_challenger_bonds_lost_usd == 0


def test_spot_check_slashes_are_burned_whole(points):
    m = points("forfeit-n3")
    r = simulate(m, queries=100_000, seed=3, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    assert r.counts["caught_spot"] > 500 and r.counts["caught_challenger"] == 0
    assert r.ledger.paid_usd == 0 and r.ledger.burned_usd == r.ledger.slashed_usd == m.quantity("slash_usd").exact * r.counts["slash_events"]


def test_the_stake_is_slashed_once_never_more_than_it_holds(points):
    """Issue 12: every detection used to slash S again, so a prover caught twice before its
    first slash landed lost $200k of a $100k stake. Now each identity is slashed once,
    min(S, stake), detections before its slash lands are merged, and it is ejected."""
    m = points("default").with_values(spot_check_rate=0.5, compromised_fraction=1.0).with_protocol(attestation_check=False)
    assert m.value("slash_usd") == m.value("stake_usd") == 100_000
    # 2 provers, 200 queries over 10 days: each prover serves a query about every 2.4 h, the
    # proof deadline is 12 h, so most provers are caught again before their first slash lands
    r = simulate(m, queries=200, seed=1, provers=2, horizon_years=10 / 365.25, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    led, c = r.ledger, r.counts
    assert c["slashed"] == c["caught_spot"] > 50
    assert c["merged_detections"] > 20 and c["slash_events"] == c["slashed"] - c["merged_detections"]
    assert led.slash_per_identity_usd == 100_000 <= led.stake_per_identity_usd
    assert led.slashed_usd == 100_000 * led.identities_slashed == sum(led.slashed_by_prover_usd)
    # the old ledger would have taken S per detection
    assert led.slashed_usd < 100_000 * c["slashed"]
    # the reference engine keeps the same ledger, query by query
    plan = plan_simulation(m, queries=200, seed=1, provers=2, horizon_years=10 / 365.25, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0), chunk_queries=37)
    assert run_event_by_event(plan).same_as(run_vectorized(plan))


def test_cost_matches_the_calibration(points):
    """Honest play: the simulated mean cost's interval holds query_cost's expected total."""
    m = points("forfeit-n10")
    for y in (0.0, 0.25):
        r = simulate(m, queries=400_000, seed=4, policy=Policy(fraud_probability=0.0, monitoring_probability=y))
        expected = query_cost(m, monitoring_rate=y).total_usd
        assert r["cost_usd_per_query"].contains(expected), y
        assert r["cost_overhead_usd_per_query"].contains(expected - query_cost(m).centralized_usd)


def test_times_and_throughput_match_the_calibration(points):
    m = points("default")
    r = simulate(m, queries=50_000, seed=5)
    lat = query_latency(m)
    assert r["provisional_finality_s"].value == lat.provisional_s
    assert r["final_finality_s"].value == lat.final_s and r["final_finality_s"].method == "exact"
    assert r["throughput_relative"].value == pytest.approx(relative_throughput(m))


def test_slash_times_follow_the_dispute_rounds(points):
    m = points("forfeit-n3")
    r = simulate(m, queries=20_000, seed=6, policy=Policy(fraud_probability=1.0, monitoring_probability=1.0))
    k = r.constants
    assert k["bisection_rounds"] == 40  # ceil(log2 2^40)
    assert k["dispute_duration_s"] == 40 * m.value("round_timeout_s") + m.value("settlement_s")
    lat = query_latency(m)
    land = lat.prefill_s + lat.decode_s + m.value("block_time_s") + m.value("censorship_blocks") * m.value("block_time_s")
    assert k["challenge_lands_after_s"] == pytest.approx(land)
    # every fraud is challenged; the spot-checked ones are slashed at the proof deadline if that is sooner
    assert r.counts["caught_challenger"] == r.counts["frauds_forged"]
    assert r["time_to_slash_s"].value >= lat.provisional_s + min(m.value("proof_deadline_s"), land + k["dispute_duration_s"]) - 1e-6


# ---------------------------------------------------------------------------------------------
# mutants: each broken protocol shows up in the simulation


def test_mutant_no_attestation_check_makes_every_query_forgeable(points):
    m = points("default").with_protocol(attestation_check=False)
    r = simulate(m, queries=20_000, seed=1, policy=Policy(fraud_probability=0.5, monitoring_probability=0.0, intact_fraud_probability=1.0))
    assert r.counts["forgeable"] == 20_000 and r.counts["caught_attestation"] == 0


def test_attestation_catches_every_intact_cheater(points):
    m = points("default")
    r = simulate(m, queries=50_000, seed=1, policy=Policy(fraud_probability=0.0, monitoring_probability=0.0, intact_fraud_probability=0.5))
    assert r.counts["frauds_intact"] > 20_000
    assert r.counts["caught_attestation"] == r.counts["frauds_intact"] and r.counts["undetected"] == 0


def test_mutant_no_slash_on_missed_proof_detects_without_slashing(points):
    m = points("forfeit-n3").with_protocol(slash_on_missed_proof=False)
    r = simulate(m, queries=100_000, seed=2, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    assert r.counts["caught_spot"] > 500 and r.counts["slashed"] == 0
    assert r.target.spot_check_rate == 0.0  # and the equilibrium knows spot-checks no longer deter


def test_mutant_window_shorter_than_censorship_lets_fraud_through(points):
    # 600 s rounds: a 1,000 s window (below the 1,200 s censorship bound) is still one round long
    base = points("forfeit-n3").with_values(round_timeout_s=600.0, settlement_s=600.0)
    pol = Policy(fraud_probability=1.0, monitoring_probability=1.0)
    short = simulate(base.with_values(window_s=1_000.0), queries=20_000, seed=3, policy=pol)
    assert not short.constants["challenge_in_time"]
    assert short.counts["caught_challenger"] == 0 and short.counts["late_challenges"] == short.counts["frauds_forged"]
    uncensored = simulate(base.with_values(window_s=1_000.0, censorship_blocks=0), queries=20_000, seed=3, policy=pol)
    assert uncensored.constants["challenge_in_time"] and uncensored.counts["undetected"] == 0


def test_monitoring_only_in_windows(points):
    m = points("default")
    r = simulate(m, queries=100_000, seed=4, policy=Policy(fraud_probability=0.0, monitoring_probability=0.5, monitoring_scope="windows"))
    assert r.counts["monitoring_eligible"] == r.counts["window_open"] > 0
    assert r["monitoring_rate"].contains(0.5)


# ---------------------------------------------------------------------------------------------
# arguments


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"queries": 0}, "queries"),
        ({"queries": 2.5}, "queries"),
        ({"seed": -1}, "seed"),
        ({"provers": 1}, "provers"),
        ({"horizon_years": 0.0}, "horizon_years"),
        ({"horizon_years": float("nan")}, "horizon_years"),
        ({"time_bins": 0}, "time_bins"),
        ({"chunk_queries": 0}, "chunk_queries"),
        ({"policy": "greedy"}, "policy"),
    ],
)
def test_bad_arguments_name_the_field(points, kwargs, field):
    args = {"queries": 10, "seed": 0, **kwargs}
    with pytest.raises(PolicyError) as info:
        plan_simulation(points("default"), **args)
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"fraud_probability": -0.1}, "fraud_probability"),
        ({"monitoring_probability": float("nan")}, "monitoring_probability"),
        ({"frivolous_challenge_rate": 2}, "frivolous_challenge_rate"),
        ({"deviation": "bribe"}, "deviation"),
        ({"monitoring_scope": "sometimes"}, "monitoring_scope"),
        ({"fraud_probability": True}, "fraud_probability"),
    ],
)
def test_bad_policy_names_the_field(kwargs, field):
    args = {"fraud_probability": 0.1, "monitoring_probability": 0.1, **kwargs}
    with pytest.raises(PolicyError) as info:
        Policy(**args)
    assert info.value.field == field


def test_the_network_states_its_real_query_rate(points):
    """Real rates: the stream of one prover is replica_query_rate x replicas_per_stake queries/s,
    and the run says how many real queries each sampled one stands for."""
    from otr_theory.model import replica_query_rate

    m = points("default").with_values(replicas_per_stake=3)
    r = simulate(m, queries=10_000, seed=1, provers=50, horizon_years=2.0)
    k = r.constants
    assert k["query_rate_per_prover_s"] == pytest.approx(3 * replica_query_rate(m.values()))
    assert k["real_queries_per_sampled_query"] == pytest.approx(k["query_rate_per_prover_s"] * 50 * 2 * 365.25 * 86_400 / 10_000)
