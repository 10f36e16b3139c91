"""Box certificates: soundness (a counterexample re-evaluates as insecure), proofs agree with
sampled points, cvc5 agrees, unknown is never proved."""

from __future__ import annotations

import numpy as np
import pytest
import z3

from otr_theory.model import load_model
from otr_theory.regimes import RegimeError, RegionOptions, certify_box, cheapest_point, evaluate_point, recheck_with_cvc5, region_kernel

MODEL = load_model()
SAFE_BOX = {"slash_usd": (9e7, 1e8), "spot_check_rate": (0.009, 0.011), "window_s": (80_000.0, 90_000.0)}
# straddles the boundary S*(rho = 1%) ~ $56.1M of the over-time criterion (forfeit, self-challenge)
STRADDLE = {"slash_usd": (4e7, 7e7), "spot_check_rate": (0.009, 0.011), "window_s": (80_000.0, 90_000.0)}


def test_a_proved_box_is_secure_at_its_corners_and_at_sampled_points():
    c = certify_box(MODEL, SAFE_BOX)
    assert c.status == "proved" and c.counterexample is None
    rng = np.random.default_rng(7)
    lo = np.array([v[0] for v in SAFE_BOX.values()])
    hi = np.array([v[1] for v in SAFE_BOX.values()])
    pts = np.vstack([lo + rng.random((200, 3)) * (hi - lo), lo, hi])
    r = region_kernel(MODEL).evaluate(pts[:, 0], pts[:, 1], pts[:, 2], 3)
    assert r["secure"].all()


def test_a_box_straddling_the_boundary_gives_a_counterexample_that_is_insecure():
    c = certify_box(MODEL, STRADDLE)
    assert c.status == "counterexample" and c.violated == ("incentives",)
    assert c.reevaluated_insecure is True and not c.boundary
    x = c.counterexample
    for k, (lo, hi) in STRADDLE.items():
        assert lo <= x[k] <= hi
    # independently of the certificate module: the per-point reference says insecure too
    ref = evaluate_point(MODEL, slash_usd=x["slash_usd"], spot_check_rate=x["spot_check_rate"], window_s=x["window_s"], count=3)
    assert not ref.secure and ref.binding == "incentives"


def test_counterexamples_for_each_constraint():
    rich = {"slash_usd": (9e7, 1e8)}
    assert certify_box(MODEL, {**rich, "window_s": (20_000.0, 30_000.0)}).violated == ("window",)
    # a window shorter than the proof deadline: a spot-checked fraud is final before its slash
    assert certify_box(MODEL, {**rich, "window_s": (30_000.0, 43_000.0)}).violated == ("window",)
    capped = RegionOptions(max_stake_usd=9.5e7)
    assert certify_box(MODEL, {**rich, "spot_check_rate": (0.01, 0.01)}, options=capped).violated == ("capital",)
    c = certify_box(MODEL, {**rich, "high_value_gain_usd": (1_000.0, 1e6)})  # a robustness claim over an uncertain input
    assert c.status == "counterexample" and c.counterexample["high_value_gain_usd"] > 10_000


def test_the_window_bound_itself_is_outside_the_region():
    reverting = MODEL.with_protocol(revert_pending_on_slash=True)
    c = certify_box(reverting, {"slash_usd": (9e7, 1e8), "window_s": (75_000.0, 75_200.0)})  # W_min = 40 x 1,800 + 1,800 + 100 x 12
    assert c.status == "counterexample" and c.boundary and c.counterexample["window_s"] == 75_000.0


def test_robust_certificate_reports_the_breaking_gain():
    """A box proved at the point values but broken by a gain inside its declared range is not
    robust; the breaking gain comes from the z3 model and is re-evaluated in Python."""
    from otr_theory.regimes.certify import certify_robust, largest_secure_gain

    r = certify_robust(MODEL, SAFE_BOX, uncertain=("high_value_gain_usd",))
    assert r.point.status == "proved" and r.status == "not robust"
    g = r.breaking["high_value_gain_usd"]
    lo, hi = MODEL.quantity("high_value_gain_usd").low, MODEL.quantity("high_value_gain_usd").high
    assert lo <= g <= hi and r.breaking_reevaluated
    x = r.robust.counterexample
    broken = MODEL.with_values(high_value_gain_usd=g)
    ref = evaluate_point(broken, slash_usd=x["slash_usd"], spot_check_rate=x["spot_check_rate"], window_s=x["window_s"], count=3)
    assert not ref.secure and ref.binding == "incentives"
    # consistent with the largest gain at the box's worst corner
    worst = {"slash_usd": SAFE_BOX["slash_usd"][0], "spot_check_rate": SAFE_BOX["spot_check_rate"][0], "window_s": SAFE_BOX["window_s"][0]}
    assert g > largest_secure_gain(MODEL, worst) * (1 - 1e-6)
    # the throughput's uncertainty (TEE overhead 0-20%, through the polynomial identity for n) does not break it
    ok = certify_robust(MODEL, SAFE_BOX, uncertain=("tee_overhead_fraction", "decode_tokens_per_s_per_gpu"))
    assert ok.status == "robust" and set(ok.robust.uncertain) == {"decode_tokens_per_s_per_gpu", "tee_overhead_fraction"}


def test_revert_is_certified_by_the_sufficient_no_revert_condition():
    reverting = MODEL.with_protocol(revert_pending_on_slash=True)
    c = certify_box(reverting, SAFE_BOX)
    assert c.proved and any("sufficient" in n for n in c.notes) is False  # gains provisional: revert changes nothing
    import dataclasses as dc

    final = dc.replace(reverting, gain_realisation="final")
    c = certify_box(final, SAFE_BOX)
    assert c.proved and any("sufficient" in n for n in c.notes)


def test_certificate_for_the_recommended_box():
    op = cheapest_point(MODEL, box_rel=0.05)
    c = certify_box(MODEL, op.box, label="recommended")
    assert c.proved
    assert "(set-info :status unsat)" in c.smtlib and c.filename() == "recommended.smt2"


def test_cvc5_agrees():
    pytest.importorskip("cvc5")
    for box, expected in ((SAFE_BOX, "unsat"), (STRADDLE, "sat")):
        c = certify_box(MODEL, box)
        assert recheck_with_cvc5(c.smtlib) == expected


def test_unknown_is_never_proved(monkeypatch):
    monkeypatch.setattr(z3.Solver, "check", lambda self, *a: z3.unknown)
    monkeypatch.setattr(z3.Solver, "reason_unknown", lambda self: "timeout")
    c = certify_box(MODEL, SAFE_BOX)
    assert c.status == "unknown" and not c.proved and c.reason == "timeout"
    assert "(set-info :status unknown)" in c.smtlib


def test_certificates_are_deterministic():
    a, b = certify_box(MODEL, STRADDLE), certify_box(MODEL, STRADDLE)
    assert a.to_dict() == b.to_dict()


def test_bad_boxes_name_the_field():
    with pytest.raises(RegimeError, match="box.fee_usd_per_query"):
        certify_box(MODEL, {"fee_usd_per_query": (0, 1)})
    with pytest.raises(RegimeError, match="box.slash_usd: must have lo <= hi"):
        certify_box(MODEL, {"slash_usd": (2, 1)})
    with pytest.raises(RegimeError, match="box.spot_check_rate: must lie in"):
        certify_box(MODEL, {"spot_check_rate": (0.5, 1.5)})
