"""Defaults that follow the data: every field a fit predicts is held to the fit, or says why not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from otr_theory.calibration import fits as F
from otr_theory.calibration.defaults import (
    FIT_DEFAULTS,
    OVERRIDE_MARK,
    PI_SOURCES,
    check_fit_defaults,
    fit_prediction,
    round_sig,
)
from otr_theory.calibration.uncertainty import sample_values
from otr_theory.model import (
    FIELDS,
    load_model,
    loads_model_dict,
    model_paths,
    replica_query_rate,
)

SHIPPED = sorted(model_paths())


@pytest.fixture(scope="module")
def shipped():
    return {k: load_model(p) for k, p in model_paths().items()}


@pytest.mark.parametrize("name", SHIPPED)
def test_no_shipped_default_differs_from_its_fit_without_a_reason(shipped, name):
    checks = check_fit_defaults(shipped[name])
    bad = [(c.field, c.value, c.fit_value, c.fit_low, c.fit_high) for c in checks if not c.ok]
    assert not bad, f"{name}: defaults that differ from their fit without a reason: {bad}"
    for c in checks:
        if c.status == "overrides the fit":
            assert len(c.note.split(OVERRIDE_MARK, 1)[1].strip()) > 20  # a reason, not a bare mark
        else:
            src = shipped[name].source_of(c.field)
            assert src.kind == "derived" and src.key == FIT_DEFAULTS[c.field].source
            assert src.url.startswith("models/calibration/")


def test_registry_names_real_fields_and_sources(shipped):
    names = {s.name for s in FIELDS}
    assert set(FIT_DEFAULTS) <= names
    for d in FIT_DEFAULTS.values():
        assert set(d.inputs) <= names
        for m in shipped.values():
            assert d.source in m.sources  # every shipped file carries every fit's source entry
    assert PI_SOURCES <= {d.source for d in FIT_DEFAULTS.values()}


def test_every_model_field_is_checked_where_the_fit_applies(shipped):
    otr = {c.field for c in check_fit_defaults(shipped["otr"])}
    assert otr == set(FIT_DEFAULTS)
    cen = {c.field for c in check_fit_defaults(shipped["centralized"])}
    assert "tee_overhead_fraction" not in cen and "commit_gas" not in cen  # no TEE, no chain
    assert "check_cost_usd_per_query" not in {c.field for c in check_fit_defaults(shipped["poq"])}  # PoQ's check is a small scorer


def test_known_answers_of_the_issue(shipped):
    """The numbers of issue 18: the CC fit predicts ~0.31% and the proof-cost fit ~$0.5 for the default deployment."""
    m = shipped["otr"]
    assert m.value("tee_overhead_fraction") == pytest.approx(0.0031, rel=0.01)
    assert m.value("proof_cost_usd") == pytest.approx(0.49, rel=0.01)
    assert m.quantity("proof_cost_usd").low < 0.07 / 0.01 < m.quantity("proof_cost_usd").high  # $7 (the claim's implied cost) lies inside
    assert shipped["zkml"].value("proof_cost_usd") == m.value("proof_cost_usd")  # the same proof of the same model


def test_values_are_the_fits_predictions_by_an_independent_route(shipped):
    """Recomputed from the fits' parameters directly, not through the registry."""
    m = shipped["otr"]
    v = m.values()
    k = F.cc_overhead_fit().params["k"]
    assert m.value("tee_overhead_fraction") == pytest.approx(1 / (1 + v["params_billion"] * v["tokens_in_per_query"] / k), rel=1e-3)
    p = F.zk_cost_fit().params
    assert m.value("proof_cost_usd") == pytest.approx(10 ** p["log10_a"] * (v["params_billion"] * 1e9) ** p["b"], rel=1e-3)
    d = F.h100_decode_fit().params
    P, B, L = v["params_billion"] * 1e9, v["batch_size"], v["tokens_in_per_query"] + v["tokens_out_per_query"] / 2
    step = 2 * P / (d["weight_bw_gb_s"] * 1e9) + B * L * F.kv_bytes_per_token(v["params_billion"]) / (d["kv_bw_gb_s"] * 1e9) + 2 * P * B / (d["tflops"] * 1e12)
    assert m.value("decode_tokens_per_s_per_gpu") == pytest.approx(B / step, rel=1e-3)
    assert m.value("gpu_price_usd_per_hour") == pytest.approx(float(np.median([r for r in _current_prices()])))
    # the per-query GPU cost with the one throughput definition
    assert m.value("skip_saving_usd_per_query") == pytest.approx(v["gpu_price_usd_per_hour"] * 2 / 3600 / replica_query_rate(v), rel=1e-3)


def _current_prices():
    from otr_theory.calibration.data import load_table

    return [r["usd_per_gpu_hour"] for r in load_table("gpu-prices") if r["current"] == "yes" and str(r["gpu"]).startswith("H100")]


def test_intervals_are_stable_across_seeds():
    """The 90% interval a default holds is not an accident of the seed: another seed moves its ends by < 5%."""
    v = load_model().values()
    f = F.zk_cost_fit()
    a = f.interval(samples=20_000, seed=0, params_billion=v["params_billion"])
    b = f.interval(samples=20_000, seed=1, params_billion=v["params_billion"])
    assert a[0] == pytest.approx(b[0], rel=0.05) and a[2] == pytest.approx(b[2], rel=0.05)


def test_a_default_off_its_fit_is_caught_and_a_reason_clears_it(raw_model):
    raw_model["hardware"]["tee_overhead_fraction"]["value"] = 0.05
    raw_model["hardware"]["tee_overhead_fraction"]["high"] = 0.2
    m = loads_model_dict(raw_model)
    c = {x.field: x for x in check_fit_defaults(m)}["tee_overhead_fraction"]
    assert c.status == "differs without a reason" and not c.ok
    raw_model["hardware"]["tee_overhead_fraction"]["note"] = OVERRIDE_MARK
    assert {x.field: x for x in check_fit_defaults(loads_model_dict(raw_model))}["tee_overhead_fraction"].status == "differs without a reason"  # a bare mark is no reason
    raw_model["hardware"]["tee_overhead_fraction"]["note"] = f"{OVERRIDE_MARK} DGrid measures 15-20% on its own deployment"
    assert {x.field: x for x in check_fit_defaults(loads_model_dict(raw_model))}["tee_overhead_fraction"].status == "overrides the fit"


def test_predictions_follow_the_models_own_values(shipped):
    """A longer prompt lowers the CC overhead (more compute per transfer) and the decode throughput (longer context)."""
    v = dict(shipped["otr"].values())
    f0, d0 = fit_prediction("tee_overhead_fraction", v)[0], fit_prediction("decode_tokens_per_s_per_gpu", v)[0]
    v["tokens_in_per_query"] = 2000
    assert fit_prediction("tee_overhead_fraction", v)[0] < f0
    assert fit_prediction("decode_tokens_per_s_per_gpu", v)[0] < d0


def test_split_lognormal_draws_hit_the_declared_interval(shipped):
    m = shipped["otr"]
    v, _, _ = sample_values(m, 40_000, seed=2)
    for name in ("proof_cost_usd", "tee_overhead_fraction", "prefill_tokens_per_s_per_gpu"):
        q = m.quantity(name)
        lo, med, hi = np.quantile(v[name], [0.05, 0.5, 0.95])
        assert lo == pytest.approx(q.low, rel=0.05) and hi == pytest.approx(q.high, rel=0.05) and med == pytest.approx(q.value, rel=0.03)


def test_round_sig():
    assert round_sig(123456.0) == 123500.0 and round_sig(-0.000123456) == -0.0001235
    assert math.isnan(round_sig(float("nan")))
