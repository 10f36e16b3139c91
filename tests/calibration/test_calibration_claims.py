"""Claims check: the verdict logic, each implied value plugged back reproduces the claim, and the
verdicts over the uncertainty against a direct Monte Carlo of the inputs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from otr_theory.calibration.claims import (
    TOLERANCE,
    ClaimMargin,
    check_claims,
    claim_margins,
    judge,
    uq_verdict,
    verdict,
)
from otr_theory.calibration.costs import (
    gas_usd,
    query_cost,
    query_latency,
    relative_throughput,
)
from otr_theory.calibration.data import row
from otr_theory.calibration.defaults import PI_SOURCES
from otr_theory.calibration.fits import ExtrapolationWarning, h100_decode_tokens_per_s
from otr_theory.model import FIELDS


@pytest.fixture(scope="module")
def checks(model):
    return {c.key: c for c in check_claims(model, samples=400)}


def test_verdict_logic():
    assert verdict(1.0, 1.0 + TOLERANCE * 0.99, conditional=False) == "holds"
    assert verdict(1.0, 1.0 + TOLERANCE * 1.01, conditional=False) == "does not hold"
    assert verdict(1.0, 2.0, conditional=True) == "holds only if"
    assert verdict(0.99, 0.85, conditional=True, tolerance=0.005) == "holds only if"
    assert verdict(0.0, 0.0, conditional=False) == "does not hold"  # nothing to compare against
    # one-sided: a cost well below the claim holds, one above it by more than 25% does not
    assert verdict(0.07, 0.01, conditional=False, side="upper") == "holds"
    assert verdict(0.07, 0.07 * (1 + TOLERANCE) * 1.01, conditional=False, side="upper") == "does not hold"
    assert verdict(45.0, 100.0, conditional=False, side="lower") == "holds"
    assert verdict(45.0, 30.0, conditional=False, side="lower") == "does not hold"
    with pytest.raises(ValueError, match="side"):
        verdict(1.0, 1.0, conditional=False, side="sideways")


def test_uq_verdict_boundaries():
    assert [uq_verdict(p) for p in (1.0, 0.95, 0.9499, 0.5, 0.0501, 0.05, 0.0)] == ["holds", "holds", "indeterminate", "indeterminate", "indeterminate", "fails", "fails"]


def test_every_claim_cites_rows_conditions_and_uncertainty(checks):
    assert set(checks) == {"throughput", "cost", "latency", "speedup", "provisional", "opml_cost", "zkml_cost", "zk_form"}
    for c in checks.values():
        assert c.rows and all(isinstance(r, str) for r in c.rows)
        assert c.verdict in ("holds", "holds only if", "does not hold")
        assert c.conditions
        u = c.uncertainty
        assert u.verdict == uq_verdict(u.probability) and 0.0 <= u.probability <= 1.0
        assert u.stderr == pytest.approx(math.sqrt(u.probability * (1 - u.probability) / u.samples))
        assert set(u.deciding) <= set(u.inputs) == set(u.sobol_first)
        assert all(0.0 <= s <= 1.0 for s in u.sobol_first.values())
        assert set(u.sobol_total) == set(u.sobol_first)
        assert all(u.sobol_total[k] >= u.sobol_first[k] - 0.1 for k in u.sobol_first)  # S_T >= S_1 up to estimation noise
        assert u.margin_quantiles["q05"] <= u.margin_quantiles["q50"] <= u.margin_quantiles["q95"]


def test_throughput_claim(model, checks):
    c = checks["throughput"]
    assert c.stated == 0.99
    # source: DGrid blog's 15-20% TEE overhead -> 80-85% of centralized (independent: 1 - f)
    assert c.implied["relative_throughput_at_20pct"] == pytest.approx(0.80)
    assert c.implied["relative_throughput_at_15pct"] == pytest.approx(0.85)
    assert c.computed == pytest.approx(1 - model.value("tee_overhead_fraction"))
    assert c.verdict == "holds"  # the CC fit's 0.31% overhead
    assert c.implied["max_tee_overhead"] == pytest.approx(0.01)
    assert relative_throughput(model.with_values(tee_overhead_fraction=0.01)) == pytest.approx(0.99)
    assert verdict(0.99, c.implied["relative_throughput_at_15pct"], conditional=True, tolerance=0.005 / 0.99, side="lower") == "holds only if"
    u = c.uncertainty
    assert u.inputs == ("tee_overhead_fraction",) and u.deciding == ("tee_overhead_fraction",)


def test_throughput_probability_is_exact_for_the_split_lognormal(model, checks):
    """Independent route: 1 - f >= 0.985 iff f <= 0.015; f is a split log-normal with median v and
    95% quantile h, so P = Phi(z_0.95 ln(0.015/v) / ln(h/v))."""
    q = model.quantity("tee_overhead_fraction")
    exact = stats.norm.cdf(stats.norm.ppf(0.95) * math.log(0.015 / q.value) / math.log(q.high / q.value))
    u = judge(claim_margins(model)["throughput"], samples=20_000)
    assert u.probability == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20_000))


def test_cost_claim_implied_proof_cost_reproduces_0_07(model, checks):
    c = checks["cost"]
    czk = c.implied["proof_cost_usd"]
    assert czk > model.value("proof_cost_usd") > 0
    plugged = query_cost(model.with_values(spot_check_rate=0.01, proof_cost_usd=czk))
    assert plugged.overhead_usd == pytest.approx(0.07, rel=1e-9)
    # the signature-verification reading: 0.07 USD of gas per query
    assert gas_usd(c.implied["attestation_gas_per_query"], model.value("gas_price_gwei"), model.value("eth_price_usd")) == pytest.approx(0.07)
    assert c.implied["overhead_q05"] <= c.implied["overhead_q50"] <= c.implied["overhead_q95"]
    # at the fitted proof cost it holds at the model's values; over the fit's interval it is not settled
    assert c.computed < 0.07 and c.verdict == "holds"
    assert c.uncertainty.verdict == "indeterminate"
    assert "proof_cost_usd" in c.uncertainty.deciding


def test_latency_claim_reproduces_notes_arithmetic(model, checks):
    c = checks["latency"]
    # notes §1.6: 0.99 x 0.5 s + 0.01 x 1200 s = 12.495 s; 0.8 s needs T_zk = 30.5 s
    assert c.computed == pytest.approx(0.99 * 0.5 + 0.01 * 1200)
    assert c.implied["t_zk_for_stated_s"] == pytest.approx(30.5)
    assert 0.99 * 0.5 + 0.01 * c.implied["t_zk_for_stated_s"] == pytest.approx(0.8)
    assert c.verdict == "holds only if"
    assert c.implied["ttft_plus_attestation_s"] < 0.8 < c.implied["provisional_s_model"]
    # a whole answer never fits in 1 s over the ranges; the first token nearly always does
    assert c.uncertainty.verdict == "fails"
    assert c.implied["p_holds_first_token_reading"] > 0.5
    # the detection lag of asynchronous proofs: slashed only at the proof deadline
    assert c.implied["detection_lag_s"] == model.value("proof_deadline_s")
    # queries per window, the one definition: floor(duration x replica rate)
    assert c.implied["queries_in_detection_lag"] == math.floor(model.value("proof_deadline_s") * _qps(model))
    assert any("proof deadline" in cond for cond in c.conditions)


def _qps(model):
    from otr_theory.model import replica_query_rate

    return float(replica_query_rate(model.values()))


def test_speedup_and_baseline_costs(checks):
    assert checks["speedup"].computed == pytest.approx(1200 / 0.8)
    assert checks["speedup"].verdict == "holds"  # 1500 vs 1400: within 25%
    assert "proof_latency_s" in checks["speedup"].uncertainty.deciding  # our models: ZKML's proving time decides it
    op = checks["opml_cost"]
    assert op.implied["cost_unbatched_usd"] > op.stated > op.computed
    zk = checks["zkml_cost"]
    price = zk.stated / zk.implied["h100_hours"]
    assert price == pytest.approx(2.74, rel=0.01)


def test_zk_form_claim(checks):
    """Independent route: the probability is the normal tail of the fitted exponent."""
    c = checks["zk_form"]
    assert c.verdict == "does not hold" and c.uncertainty.verdict == "fails"
    imp = c.implied
    assert imp["p_exact"] == pytest.approx(stats.norm.sf(imp["threshold"], imp["b_fitted"], imp["b_stderr"]))
    assert abs(c.uncertainty.probability - imp["p_exact"]) <= 4 * math.sqrt(max(imp["p_exact"], 1 / c.uncertainty.samples) / c.uncertainty.samples)


def test_claims_follow_the_model(model):
    """A model with dearer proofs moves the implied proof cost not at all but the computed overhead up."""
    dear = model.with_values(proof_cost_usd=10.0)
    a = {c.key: c for c in check_claims(model, samples=50, uncertainty=False)}
    b = {c.key: c for c in check_claims(dear, samples=50, uncertainty=False)}
    assert b["cost"].computed > a["cost"].computed
    assert b["cost"].implied["proof_cost_usd"] == pytest.approx(a["cost"].implied["proof_cost_usd"])
    assert b["cost"].verdict == "holds only if"
    assert a["cost"].uncertainty is None


def test_claim_values_are_rows():
    assert row("protocol-numbers", "otr-overhead-usd")["status"] == "primary"
    assert row("protocol-numbers", "otr-avg-latency")["status"] == "secondary"


# ---------------------------------------------------------------------------------------------
# the probability of holding against a direct Monte Carlo of the inputs


def _draw_field(q, name, rng, n, integer):
    """One field's draws by the documented rule, written out independently of uncertainty.py."""
    if q.low is None or q.high is None or not q.high > q.low:
        return np.full(n, float(q.value))
    if q.source in PI_SOURCES and 0 < q.low < q.value < q.high:
        z = rng.standard_normal(n)
        x = np.where(z < 0, q.value * (q.low / q.value) ** (-z / 1.6448536269514722), q.value * (q.high / q.value) ** (z / 1.6448536269514722))
        if name.endswith("_fraction"):
            x = np.minimum(x, 0.99)
    elif q.low > 0 and q.high / q.low >= 10:
        x = q.low * (q.high / q.low) ** rng.random(n)
    else:
        x = q.low + (q.high - q.low) * rng.random(n)
    return np.round(x) if integer else x


def _direct_overhead_probability(model, n, seed):
    """P(overhead per query at rho = 1% <= $0.0875), each draw priced by query_cost on a re-validated model."""
    rng = np.random.default_rng(seed)
    draws = {s.name: _draw_field(model.quantity(s.name), s.name, rng, n, s.integer) for s in FIELDS}
    ctx = np.maximum(draws["tokens_in_per_query"] + draws["tokens_out_per_query"] / 2, 256)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        draws["decode_tokens_per_s_per_gpu"] = h100_decode_tokens_per_s(model.value("params_billion"), draws["batch_size"], ctx)
    keep = (
        "tokens_in_per_query",
        "tokens_out_per_query",
        "gpu_price_usd_per_hour",
        "decode_tokens_per_s_per_gpu",
        "prefill_tokens_per_s_per_gpu",
        "batch_size",
        "tee_overhead_fraction",
        "attestation_latency_s",
        "proof_cost_usd",
        "verify_gas",
        "gas_price_gwei",
        "eth_price_usd",
        "commit_gas",
        "queries_per_commit",
        "stake_usd",
        "capital_cost_rate_per_year",
        "count",
        "check_cost_usd_per_query",
    )
    ints = {s.name for s in FIELDS if s.integer}
    hits = 0
    for i in range(n):
        kw = {k: (int(draws[k][i]) if k in ints else float(draws[k][i])) for k in keep}
        kw["slash_usd"] = min(model.value("slash_usd"), kw["stake_usd"])  # the slash enters no cost; keep the file's rule slash <= stake
        hits += query_cost(model.with_values(spot_check_rate=0.01, **kw)).overhead_usd <= 0.07 * (1 + TOLERANCE)
    return hits / n


def test_cost_probability_matches_a_direct_monte_carlo(model):
    n = 600
    direct = _direct_overhead_probability(model, n, seed=12345)
    u = judge(claim_margins(model)["cost"], samples=4000, seed=0)
    se = math.sqrt(direct * (1 - direct) / n + u.probability * (1 - u.probability) / u.samples)
    assert abs(u.probability - direct) <= 4 * se


def test_latency_probability_matches_a_direct_monte_carlo(model):
    """Provisional finality of a whole answer <= 1 s, by query_latency on re-validated models, at
    batch 1 and short outputs where it can hold."""
    m = model.with_values(batch_size=1, tokens_out_per_query=20)
    n = 400
    rng = np.random.default_rng(7)
    f = _draw_field(m.quantity("tee_overhead_fraction"), "tee_overhead_fraction", rng, n, False)
    att = _draw_field(m.quantity("attestation_latency_s"), "attestation_latency_s", rng, n, False)
    t_in = _draw_field(m.quantity("tokens_in_per_query"), "tokens_in_per_query", rng, n, False)
    t_out = _draw_field(m.quantity("tokens_out_per_query"), "tokens_out_per_query", rng, n, False)
    pre = _draw_field(m.quantity("prefill_tokens_per_s_per_gpu"), "prefill_tokens_per_s_per_gpu", rng, n, False)
    b = _draw_field(m.quantity("batch_size"), "batch_size", rng, n, True)
    hits = 0
    for i in range(n):
        ctx = max(t_in[i] + t_out[i] / 2, 256.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtrapolationWarning)
            dec = float(h100_decode_tokens_per_s(m.value("params_billion"), b[i], ctx))
        mi = m.with_values(
            tee_overhead_fraction=float(f[i]),
            attestation_latency_s=float(att[i]),
            tokens_in_per_query=float(t_in[i]),
            tokens_out_per_query=float(t_out[i]),
            prefill_tokens_per_s_per_gpu=float(pre[i]),
            batch_size=int(b[i]),
            decode_tokens_per_s_per_gpu=dec,
        )
        hits += query_latency(mi).provisional_s <= 0.8 * (1 + TOLERANCE)
    direct = hits / n
    u = judge(claim_margins(m)["latency"], samples=4000, seed=0)
    se = math.sqrt(direct * (1 - direct) / n + u.probability * (1 - u.probability) / u.samples)
    assert 0.0 < direct < 1.0
    assert abs(u.probability - direct) <= 4 * se + 1e-9


def test_sobol_indices_recover_a_known_answer(model):
    """Independent route: for m = a X1 + X2 with X1, X2 i.i.d. uniform, S1 = a^2 / (a^2 + 1), S2 = 1 / (a^2 + 1)."""
    a = 2.0
    e, r = model.quantity("eth_price_usd"), model.quantity("challenger_reward_share")  # both drawn uniformly
    cm = ClaimMargin("toy", "a x1 + x2", (model,), lambda vals: a * (vals[0]["eth_price_usd"] - e.low) / (e.high - e.low) + (vals[0]["challenger_reward_share"] - r.low) / (r.high - r.low))
    u = judge(cm, samples=1000)
    assert set(u.inputs) == {"eth_price_usd", "challenger_reward_share"}
    assert u.sobol_first["eth_price_usd"] == pytest.approx(a**2 / (a**2 + 1), abs=0.05)
    assert u.sobol_first["challenger_reward_share"] == pytest.approx(1 / (a**2 + 1), abs=0.05)
    assert u.deciding == ("eth_price_usd", "challenger_reward_share")
    assert u.interaction_share == pytest.approx(0.0, abs=0.05)
    assert u.sobol_total["eth_price_usd"] == pytest.approx(a**2 / (a**2 + 1), abs=0.05)  # additive: S_T = S_1
