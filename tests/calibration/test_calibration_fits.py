"""Fits: recover known parameters on synthetic data, report goodness of fit, warn on extrapolation."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from otr_theory.calibration import fits as F
from otr_theory.calibration.data import h100_throughput, load_table


def _noisy(y, sd, seed):
    return y * 10.0 ** np.random.default_rng(seed).normal(0.0, sd, size=np.shape(y))


def test_power_law_recovered_and_matches_linregress():
    x = np.logspace(-2, 2, 25)
    y = _noisy(3e-4 * (x * 1e9) ** 0.7, 0.05, seed=1)
    f = F.fit_size_forms("synthetic", x, y)["power"]
    assert f.params["b"] == pytest.approx(0.7, abs=0.05)
    # independent route: scipy's linregress on the same log data
    lr = stats.linregress(np.log10(x * 1e9), np.log10(y))
    assert f.params["b"] == pytest.approx(lr.slope)
    assert f.stderr["b"] == pytest.approx(lr.stderr)
    assert f.r2 == pytest.approx(lr.rvalue**2)
    assert f.resid_sd == pytest.approx(0.05, rel=0.4)


@pytest.mark.parametrize("truth", ["power", "nlogn"])
def test_information_criteria_pick_the_generating_form(truth):
    x = np.logspace(-3, 2, 30)
    n = x * 1e9
    y = 2e-7 * n**0.5 if truth == "power" else 1e-8 * n * np.log(n)
    fits = F.fit_size_forms("synthetic", x, _noisy(y, 0.03, seed=2))
    cmp_ = F.compare(fits)
    assert cmp_.best_aic == truth and cmp_.best_bic == truth
    assert sum(cmp_.akaike_weight.values()) == pytest.approx(1.0)
    if truth == "nlogn":
        assert fits["nlogn"].params["log10_c"] == pytest.approx(-8, abs=0.02)


def test_roofline_recovers_rates_with_noise():
    rows = [r for r in h100_throughput() if r["phase"] == "decode"]
    P = np.array([r["params_billion"] for r in rows])
    B = np.array([r["batch"] for r in rows])
    L = np.array([r["context_tokens"] for r in rows])
    truth = {"weight_bw_gb_s": 2800.0, "kv_bw_gb_s": 1500.0, "tflops": 800.0}
    t = _noisy(F._decode_step(truth, params_billion=P, batch=B, context_tokens=L), 0.005, seed=3)
    f = F.fit_roofline(P, B, L, t)
    for k, v in truth.items():
        assert f.params[k] == pytest.approx(v, rel=0.1)
        assert abs(f.params[k] - v) < 4 * f.stderr[k]


def test_cc_overhead_recovered():
    P = np.array([1.0, 8.0, 14.0, 70.0])
    L = np.array([100.0, 500.0, 300.0, 1000.0])
    f = F.fit_cc_overhead(P, L, _noisy(F._cc({"k": 80.0}, params_billion=P, seq_tokens=L), 0.01, seed=4))
    assert f.params["k"] == pytest.approx(80.0, rel=0.1)


def test_h100_fit_reproduces_the_measurements():
    f = F.h100_decode_fit()
    assert f.r2 > 0.99 and f.resid_sd < 0.05  # within ~12% everywhere
    for r in h100_throughput():
        if r["phase"] == "decode":
            pred = float(F.h100_decode_tokens_per_s(r["params_billion"], r["batch"], r["context_tokens"]))
            assert pred == pytest.approx(r["tokens_per_s"], rel=0.15)
    pre = F.h100_prefill_fit()
    # independent: the CSV's own tflops column is 2 P tokens/s
    measured = [r["tflops"] for r in h100_throughput() if r["phase"] == "prefill"]
    assert min(measured) <= pre.params["tflops"] <= max(measured)


def test_extrapolation_warns_and_names_the_range():
    f = F.h100_decode_fit()
    with pytest.warns(F.ExtrapolationWarning, match=r"params_billion = 405 is outside the fitted range \[8.03, 70.55\]"):
        f.predict(params_billion=405.0, batch=64, context_tokens=1024)
    with pytest.warns(F.ExtrapolationWarning, match="batch"):
        F.h100_decode_tokens_per_s(70.55, 1024, 1024)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f.predict(params_billion=70.55, batch=64, context_tokens=1024)  # inside: silent
    with pytest.warns(F.ExtrapolationWarning, match="seq_tokens"):
        F.cc_overhead_fit().predict(params_billion=70.55, seq_tokens=4000)


def test_every_fit_reports_goodness_and_range():
    fits = [*F.zk_proving_fits().values(), F.zk_cost_fit(), F.h100_decode_fit(), F.h100_prefill_fit(), F.cc_overhead_fit(), F.attestation_latency_fit()]
    for f in fits:
        d = f.to_dict()
        assert d["n"] == len(d["rows"]) >= 2
        assert set(d["params"]) == set(d["stderr"])
        assert math.isfinite(d["aic"]) and math.isfinite(d["bic"])
        assert f.space in ("log10", "linear")
        for lo, hi in d["domain"].values():
            assert lo <= hi


def test_zk_rows_used_are_the_in_fit_rows():
    used = set(F.zk_proving_fits()["power"].rows)
    expected = {r.id for r in load_table("zk-proving") if r["in_fit"] == "yes"}
    assert used == expected


def test_interval_is_deterministic_and_ordered():
    f = F.zk_cost_fit()
    a = f.interval(params_billion=13.0, seed=5)
    assert a == f.interval(params_billion=13.0, seed=5)
    assert a[0] <= a[1] <= a[2]
    assert a != f.interval(params_billion=13.0, seed=6)


def test_gpu_price_summary_matches_numpy():
    s = F.gpu_price_summary()
    prices = [r["usd_per_gpu_hour"] for r in load_table("gpu-prices") if r["current"] == "yes" and r["gpu"].startswith("H100")]
    assert s["median"] == pytest.approx(float(np.median(prices)))
    assert s["n"] == len(prices)


@pytest.mark.parametrize("bad", [([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0, -3.0], [1.0, 2.0, 3.0]), ([1.0, 2.0, 3.0], [1.0, 0.0, 3.0])])
def test_fit_inputs_validated(bad):
    with pytest.raises(ValueError):
        F.fit_size_forms("bad", *bad)


def test_predict_needs_every_variable():
    with pytest.raises(TypeError, match="batch"):
        F.h100_decode_fit().predict(params_billion=8.03, context_tokens=256)
