"""Per-query cost, latency and throughput: components add up, known answers, schemes ordered."""

from __future__ import annotations

import math

import numpy as np
import pytest

from otr_theory.calibration.costs import (
    ATTESTATION_GAS_PER_COMMIT,
    SECONDS_PER_YEAR,
    VERIFIER_CPU_USD_PER_HOUR,
    CostError,
    QueryCost,
    cost_components,
    dispute_gas,
    latency_components,
    query_cost,
    query_latency,
    relative_throughput,
    throughput,
)
from otr_theory.model import load_model

SCHEMES = ("otr", "centralized", "zkml", "opml", "poq")


@pytest.fixture(scope="module")
def models():
    return {s: load_model(s) for s in SCHEMES}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_components_sum_to_total(models, scheme):
    c = query_cost(models[scheme])
    assert c.total_usd == pytest.approx(sum(c.components().values()), rel=1e-14)
    assert set(c.components()) == set(QueryCost.COMPONENTS)
    assert all(v >= 0 for v in c.components().values())
    assert c.overhead_usd == pytest.approx(c.total_usd - c.centralized_usd)


def test_otr_known_answer_by_hand(models):
    """Every component recomputed by hand from models/otr.toml's values."""
    m = models["otr"]
    v = m.values()
    gas = 1e-9 * v["gas_price_gwei"] * v["eth_price_usd"]  # 3e-6 USD/gas
    f = v["tee_overhead_fraction"]
    gpu_s = 250 / v["decode_tokens_per_s_per_gpu"] + 500 / v["prefill_tokens_per_s_per_gpu"]
    cen = v["gpu_price_usd_per_hour"] / 3600 * gpu_s
    c = query_cost(m)
    assert c.centralized_usd == pytest.approx(cen)
    assert c.inference_usd == pytest.approx(cen / (1 - f))
    assert c.commitment_usd == pytest.approx(v["commit_gas"] * gas / 100)
    assert c.proof_usd == pytest.approx(0.01 * (v["proof_cost_usd"] + 250_000 * gas))
    assert c.monitoring_usd == pytest.approx(3 * v["check_cost_usd_per_query"])
    assert c.attestation_usd == pytest.approx(0.05 * VERIFIER_CPU_USD_PER_HOUR / 3600 + ATTESTATION_GAS_PER_COMMIT * gas / 100)
    qps = 2 / (gpu_s / (1 - f))
    assert c.capital_usd == pytest.approx(100_000 * 0.05 / SECONDS_PER_YEAR / qps)
    assert c.dispute_usd == 0.0


def test_centralized_has_no_overhead(models):
    c = query_cost(models["centralized"])
    assert c.overhead_usd == 0.0 and c.overhead_ratio == 1.0
    lat = query_latency(models["centralized"])
    assert lat.final_s == lat.provisional_s == pytest.approx(lat.prefill_s + lat.decode_s)
    assert math.isnan(lat.spot_check_upgrade_s)


def test_schemes_relative_to_each_other(models):
    cost = {s: query_cost(m).total_usd for s, m in models.items()}
    lat = {s: query_latency(m) for s, m in models.items()}
    # cost: ZKML proves everything; OTR pays rho of it; the rest pay gas and checks only
    assert cost["zkml"] > cost["otr"] > max(cost["opml"], cost["poq"]) > cost["centralized"]
    # provisional: ZKML waits for its proof; opML for block inclusion; OTR only for attestation
    assert lat["zkml"].provisional_s > lat["opml"].provisional_s > lat["otr"].provisional_s > lat["centralized"].provisional_s
    # final: opML's 7-day window > OTR's 1-day window > ZKML's proof > PoQ > centralized
    assert lat["opml"].final_s > lat["otr"].final_s > lat["zkml"].final_s > lat["poq"].final_s > lat["centralized"].final_s
    assert lat["opml"].final_s - lat["opml"].provisional_s == pytest.approx(7 * 86400)
    assert lat["zkml"].sync_proof_s == models["zkml"].value("proof_latency_s")
    assert lat["otr"].sync_proof_s == 0.0  # spot-check proofs are asynchronous
    assert lat["otr"].spot_check_upgrade_s == pytest.approx(lat["otr"].provisional_s + models["otr"].value("proof_latency_s"))


def test_latency_known_answer(models):
    m = models["otr"]
    v = m.values()
    slow = 1 / (1 - v["tee_overhead_fraction"])
    lat = query_latency(m)
    assert lat.prefill_s == pytest.approx(500 / (2 * v["prefill_tokens_per_s_per_gpu"]) * slow)
    assert lat.decode_s == pytest.approx(64 * 250 / (2 * v["decode_tokens_per_s_per_gpu"]) * slow)
    assert lat.provisional_s == pytest.approx(lat.prefill_s + lat.decode_s + 0.05)
    assert lat.final_s == pytest.approx(lat.provisional_s + 12 + 86400)
    assert lat.sync_weighted_s == pytest.approx(lat.provisional_s + 0.01 * v["proof_latency_s"])


def test_rho_and_batching_and_monitoring(models):
    m = models["otr"]
    base = query_cost(m)
    doubled = query_cost(m.with_values(spot_check_rate=0.02))
    assert doubled.proof_usd == pytest.approx(2 * base.proof_usd)
    batched = query_cost(m.with_values(queries_per_commit=1000))
    assert batched.commitment_usd == pytest.approx(base.commitment_usd / 10)
    assert query_cost(m, monitoring_rate=0.0).monitoring_usd == 0.0
    assert query_cost(m, monitoring_rate=0.5).monitoring_usd == pytest.approx(base.monitoring_usd / 2)
    disputed = query_cost(m, dispute_rate=0.001)
    assert disputed.dispute_usd == pytest.approx(0.001 * dispute_gas(m) * 3e-6)


def test_capital_scopes(models):
    m = models["otr"]
    per_commit = query_cost(m, stake_scope="commitment").capital_usd
    assert per_commit == pytest.approx(100_000 * 0.05 * 86_400 / SECONDS_PER_YEAR / 100)
    # under the replica scope the window cancels
    assert query_cost(m.with_values(window_s=7 * 86400)).capital_usd == pytest.approx(query_cost(m).capital_usd)


def test_throughput(models):
    v = models["otr"].values()
    f = v["tee_overhead_fraction"]
    assert relative_throughput(models["otr"]) == pytest.approx(1 - f)
    assert relative_throughput(models["centralized"]) == 1.0
    gpu_s = 250 / v["decode_tokens_per_s_per_gpu"] + 500 / v["prefill_tokens_per_s_per_gpu"]
    assert throughput(models["centralized"]) == pytest.approx(2 / gpu_s)
    # charging proof GPU-time to the replica: rho * C_zk * 3600 / price extra GPU-seconds per query
    with_proofs = gpu_s / (1 - f) + 0.01 * v["proof_cost_usd"] * 3600 / v["gpu_price_usd_per_hour"]
    assert throughput(models["otr"], include_proving=True) == pytest.approx(2 / with_proofs)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_one_throughput_everywhere(models, scheme):
    """Calibration, payoffs and the model agree on queries per window (one definition, TEE included)."""
    from otr_theory.model import replica_query_rate
    from otr_theory.payoffs.conditions import full_load_queries

    m = models[scheme]
    q = replica_query_rate(m.values())
    assert throughput(m) == q
    assert int(full_load_queries(m, 3600.0)) == math.floor(3600.0 * q)
    assert query_cost(m).inference_usd == pytest.approx(m.value("gpu_price_usd_per_hour") * m.value("gpus_per_replica") / 3600 / q, rel=1e-12)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_vectorised_core_matches_scalar(models, scheme):
    m = models[scheme]
    v = {k: np.array([x, x]) for k, x in m.values().items()}
    c = cost_components(v, tee=m.protocol.attestation_check)
    assert c["total_usd"][0] == pytest.approx(query_cost(m).total_usd)
    lat = latency_components(v, scheme=m.scheme)
    assert lat["final_s"][1] == pytest.approx(query_latency(m).final_s)


@pytest.mark.parametrize("kw", [{"monitoring_rate": 1.5}, {"dispute_rate": -0.1}, {"stake_scope": "forever"}, {"attestation_gas_per_commit": -1.0}, {"monitoring_rate": float("nan")}])
def test_bad_arguments_raise_domain_errors(models, kw):
    with pytest.raises(CostError) as err:
        query_cost(models["otr"], **kw)
    assert isinstance(err.value, ValueError)
    assert next(iter(kw)) in str(err.value)


def test_dispute_gas_counts_bisection_rounds(models):
    m = models["otr"]
    assert dispute_gas(m) == 100_000 + 40 * 150_000  # 2^40 steps, binary bisection
    assert dispute_gas(m.with_values(trace_steps=2**40 + 1)) == 100_000 + 41 * 150_000
