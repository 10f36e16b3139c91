"""The vectorized engine against the event-by-event reference; seeds, chunking, determinism."""

from __future__ import annotations

import math

import pytest

from otr_theory.model import load_model
from otr_theory.report.core import dumps_results, jsonable
from otr_theory.simulation import Policy, plan_simulation, simulate, simulate_event_by_event
from otr_theory.simulation.engine import run_event_by_event, run_vectorized

GRIEF = Policy(fraud_probability=0.6, monitoring_probability=0.3, intact_fraud_probability=0.02, frivolous_challenge_rate=0.05, monitoring_scope="windows")


def _cases(points):
    m = points("forfeit-n3")
    return [
        ("default", points("default"), None),
        ("forfeit-n3", m, None),
        ("keep-n1", points("keep-n1"), None),
        ("forfeit-n10 griefers", points("forfeit-n10"), GRIEF),
        ("predictable", points("predictable"), None),
        ("no slash on missed proof", m.with_protocol(slash_on_missed_proof=False), Policy(fraud_probability=1.0, monitoring_probability=0.2)),
        # 600 s rounds: a 1,000 s window (below the 1,200 s censorship bound) is still one round long
        ("window shorter than censorship", m.with_values(round_timeout_s=600.0, settlement_s=600.0, window_s=1_000.0), Policy(fraud_probability=1.0, monitoring_probability=0.5)),
        ("attestation on, intact cheaters", points("keep-n1"), Policy(fraud_probability=0.3, monitoring_probability=0.5, intact_fraud_probability=0.1)),
        ("centralized baseline", load_model("centralized"), None),
    ]


def test_engines_agree_exactly_on_the_same_stream(points):
    """Same plan, same stream: the per-query loop and numpy give identical counters everywhere."""
    for name, model, policy in _cases(points):
        plan = plan_simulation(model, queries=3_000, seed=17, policy=policy, chunk_queries=777)
        ref, vec = run_event_by_event(plan), run_vectorized(plan)
        assert ref.same_as(vec), name
        assert vec.counts["queries"] == 3_000


def test_engines_agree_on_the_ledger_with_merges_and_sooner_slashes(points):
    """Few provers and a dense stream: many detections fall on a pending slash, challenges (7 h)
    overtake spot-check slashes (12 h), intact cheaters are slashed at once; the vectorized
    ledger (by slot, with pointer doubling) must execute exactly the reference's slashes."""
    pol = Policy(fraud_probability=0.7, monitoring_probability=0.3, intact_fraud_probability=0.05)
    for provers, seed in ((2, 1), (3, 2), (7, 3)):
        plan = plan_simulation(points("keep-n1"), queries=4_000, seed=seed, provers=provers, horizon_years=0.2, policy=pol, chunk_queries=555)
        ref, vec = run_event_by_event(plan), run_vectorized(plan)
        assert ref.same_as(vec), provers
        c = vec.counts
        assert c["merged_detections"] > 100 and 0 < c["rewarded_slashes"] < c["slash_events"]
        assert c["slash_events"] + c["merged_detections"] == c["slashed"]


def test_engines_agree_when_windows_are_denser_than_queries(points):
    """100 short windows a year over 20 years: many windows per chunk (the vectorized engine
    then masks them), some shorter than a query's stratum; monitoring only inside windows."""
    m = points("default").with_values(
        external_gain_usd=10_000.0,
        slash_usd=1_000.0,
        check_cost_usd_per_query=20.0,
        compromised_fraction=0.5,
        compromise_rate_per_year=100.0,
        compromise_duration_days=3.0,
    )
    pol = Policy(fraud_probability=0.5, monitoring_probability=0.4, intact_fraud_probability=0.01, frivolous_challenge_rate=0.02, monitoring_scope="windows")
    plan = plan_simulation(m, queries=2_000, seed=12, horizon_years=20.0, policy=pol, chunk_queries=500)
    assert plan.merged_starts.size > 500  # (merged) windows: one per few queries, over 32 a chunk
    ref, vec = run_event_by_event(plan), run_vectorized(plan)
    assert ref.same_as(vec)
    assert 0 < vec.counts["window_open"] < 2_000 and vec.counts["frauds_forged"] > 50


LEDGER_COUNTERS = ("slash_events", "merged_detections", "rewarded_slashes")


def test_event_by_event_can_start_mid_stream(points):
    """Per-query counters add up over a split stream (the ledger's need the whole history)."""
    plan = plan_simulation(points("forfeit-n3"), queries=2_000, seed=4)
    whole = run_event_by_event(plan)
    a, b = run_event_by_event(plan, start=0, stop=1_234), run_event_by_event(plan, start=1_234)
    keys = [k for k in whole.counts if k not in LEDGER_COUNTERS]
    assert {k: a.counts[k] + b.counts[k] for k in keys} == {k: whole.counts[k] for k in keys}
    assert whole.counts["frauds_forged"] > 50


def _z(k1, n1, k2, n2):
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return 0.0 if se == 0 else (k1 / n1 - k2 / n2) / se


@pytest.mark.parametrize("name", ["forfeit-n3", "forfeit-n10"])
def test_engines_agree_statistically_across_seeds(points, name):
    """Reference on one seed, vectorized on another: the same rates (two-proportion z-tests)."""
    m = points(name)
    ref = simulate_event_by_event(m, queries=20_000, seed=101, policy=GRIEF if name == "forfeit-n10" else None)
    vec = simulate(m, queries=400_000, seed=202, policy=GRIEF if name == "forfeit-n10" else None)
    # rates conditional on the windows; the overall ones depend on the windows each seed draws
    for key in ("fraud_rate_given_forgeable", "detection_rate", "challenger_detection", "spot_check_detection", "monitoring_rate"):
        r, v = ref[key], vec[key]
        assert abs(_z(r.count, r.trials, v.count, v.trials)) < 3.5, key
    for run in (ref, vec):  # ... and each run samples its own windows without bias
        coverage = run.constants["window_coverage_realized"]
        assert run["window_open_fraction"].contains(coverage)
        assert run["forgeable_rate"].contains(run.constants["compromised_fraction"] * coverage if m.protocol.attestation_check else 1.0)


def test_chunk_size_cannot_change_the_result(points):
    m = points("keep-n1")
    docs = {dumps_results(jsonable(simulate(m, queries=5_000, seed=9, chunk_queries=c))) for c in (1, 333, 4_096, 1 << 16)}
    assert len(docs) == 1


def test_same_seed_same_result_byte_for_byte(points):
    m = points("forfeit-n10")
    a = dumps_results(jsonable(simulate(m, queries=100_000, seed=5)))
    b = dumps_results(jsonable(simulate(m, queries=100_000, seed=5)))
    assert a == b


def test_different_seeds_differ_but_agree_statistically(points):
    m = points("forfeit-n3")
    runs = [simulate(m, queries=200_000, seed=s) for s in (1, 2, 3, 4)]
    assert len({r.counts["frauds_forged"] for r in runs}) > 1  # the seed matters
    for key in ("fraud_rate_given_forgeable", "detection_rate", "monitoring_rate", "rejected_rate"):
        for r in runs[1:]:
            a, b = runs[0][key], r[key]
            assert abs(_z(a.count, a.trials, b.count, b.trials)) < 3.5, key
    costs = [r["cost_usd_per_query"] for r in runs]
    se = max((c.high - c.value) / 1.96 for c in costs)
    assert max(c.value for c in costs) - min(c.value for c in costs) < 4 * math.sqrt(2) * se


def test_windows_depend_on_the_seed_only(points):
    m = points("default")
    a = simulate(m, queries=1_000, seed=8)
    b = simulate(m, queries=50_000, seed=8)
    assert a.windows_days == b.windows_days and len(a.windows_days) > 0
