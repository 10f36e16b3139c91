"""Uncertainty propagation: deterministic, ordered, degenerate without ranges, coupled batch."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.calibration.costs import query_cost, query_latency
from otr_theory.calibration.fits import h100_decode_tokens_per_s
from otr_theory.calibration.uncertainty import propagate, sample_values
from otr_theory.model import loads_model_dict


def _without_ranges(model):
    raw = model.to_dict()
    for table in raw.values():
        if isinstance(table, dict):
            for v in table.values():
                if isinstance(v, dict):
                    v.pop("low", None)
                    v.pop("high", None)
    return loads_model_dict(raw)


def test_deterministic_and_seed_dependent(model):
    a = propagate(model, samples=300, seed=11)
    assert a == propagate(model, samples=300, seed=11)
    assert a["total_usd"].quantiles != propagate(model, samples=300, seed=12)["total_usd"].quantiles


def test_quantiles_ordered(model):
    p = propagate(model, samples=500)
    for d in p.distributions.values():
        q = [d.quantiles[k] for k in ("q05", "q25", "q50", "q75", "q95")]
        assert q == sorted(q)


def test_no_ranges_gives_the_point_values(model):
    """Independent route: with every range removed the distribution collapses onto query_cost / query_latency."""
    fixed = _without_ranges(model)
    p = propagate(fixed, samples=50, couple_batch=False)
    assert p.sampled_fields == ()
    assert p["total_usd"].quantiles["q05"] == pytest.approx(query_cost(fixed).total_usd)
    assert p["total_usd"].quantiles["q95"] == pytest.approx(query_cost(fixed).total_usd)
    assert p["final_s"].median == pytest.approx(query_latency(fixed).final_s)


def test_samples_stay_in_range_and_log_uniform(model):
    v, sampled, coupled = sample_values(model, 4000, seed=3)
    q = model.quantity("stake_usd")
    assert q.low <= v["stake_usd"].min() and v["stake_usd"].max() <= q.high
    # 10k..1M is log-uniform: the median is near the geometric mean 100k
    assert np.median(v["stake_usd"]) == pytest.approx(100_000, rel=0.15)
    assert set(np.unique(v["batch_size"])) <= set(range(1, 257))
    assert coupled and "decode_tokens_per_s_per_gpu" not in sampled


def test_coupled_decode_throughput_follows_the_fit(model):
    v, _, coupled = sample_values(model, 200, seed=4)
    assert coupled
    ctx = np.maximum(v["tokens_in_per_query"] + v["tokens_out_per_query"] / 2, 256)
    np.testing.assert_allclose(v["decode_tokens_per_s_per_gpu"], h100_decode_tokens_per_s(70.55, v["batch_size"], ctx))


def test_outside_the_fit_the_coupling_is_dropped(model):
    big = model.with_values(params_billion=405.0)
    p = propagate(big, samples=100)
    assert p.coupled_batch is False
    assert "decode_tokens_per_s_per_gpu" in p.sampled_fields


def test_bad_sample_count(model):
    with pytest.raises(ValueError, match="samples"):
        propagate(model, samples=0)
