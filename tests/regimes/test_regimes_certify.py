"""Box certificates: soundness (a counterexample re-evaluates as insecure), proofs agree with
sampled points, cvc5 agrees, unknown is never proved."""

from __future__ import annotations

import numpy as np
import pytest
import z3

from otr_theory.model import load_model
from otr_theory.regimes import RegimeError, certify_box, cheapest_point, evaluate_point, recheck_with_cvc5, region_kernel

MODEL = load_model()
SAFE_BOX = {"slash_usd": (90_000.0, 100_000.0), "spot_check_rate": (0.009, 0.011), "window_s": (80_000.0, 90_000.0)}
# straddles the boundary S*(rho) = (0.99 x 100 + 1)/0.01 = 10,000 at rho = 1% (core model, forfeit)
STRADDLE = {"slash_usd": (5_000.0, 20_000.0), "spot_check_rate": (0.009, 0.011), "window_s": (80_000.0, 90_000.0)}


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
    assert certify_box(MODEL, {"window_s": (20_000.0, 30_000.0)}).violated == ("window",)
    assert certify_box(MODEL, {"slash_usd": (90_000.0, 110_000.0), "spot_check_rate": (0.01, 0.01)}).violated == ("capital",)
    c = certify_box(MODEL, {"external_gain_usd": (0.0, 10_000.0)})  # a robustness claim over an uncertain input
    assert c.status == "counterexample" and c.counterexample["external_gain_usd"] > 901


def test_the_window_bound_itself_is_outside_the_region():
    c = certify_box(MODEL, {"window_s": (25_800.0, 26_000.0)})
    assert c.status == "counterexample" and c.boundary and c.counterexample["window_s"] == 25_800.0


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
