"""Theorem 7 over boxes: z3 NRA against exact vertex enumeration and the core model by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.smt.incentives import BoxPoint, check_box, declared_box, vertex_check
from otr_theory.smt.params import DEVIATIONS
from otr_theory.smt.vocabulary import PY


@pytest.fixture(scope="module")
def t7(theorems_by_number):
    return theorems_by_number[7]


def test_declared_box(params):
    box = declared_box(params)
    assert box["q"] == (0, 1)
    assert box["rho"] == (Fraction(1, 100),) * 2
    assert box["gain:wrong_output"] == (0, 100)


def test_payoff_matches_the_over_time_model(params, t7):
    """forfeit: (1-p)(G + n G pL) - p (1-a) S with p = 1 - (1-rho)(1-q),
    pL = rho (1-q) L_s + (1-rho) q L_c + rho q min(L_s, L_c) (self-challenge on, the default);
    intact TEE with attestation: -S. Zero lag and a = 0: (1-p) G - p S. The point mass: no
    high-value class, no franchise."""
    params = params.replace(high_value_fraction=Fraction(0))
    assert params.reentry_usd == 0 and params.self_challenge
    rho, q, a = Fraction(1, 100), Fraction(1, 4), params.reward_share
    coords = {"q": q, "rho": rho, "S": Fraction(100000), **{f"gain:{d}": Fraction(100) for d in DEVIATIONS}}
    p = 1 - (1 - rho) * (1 - q)
    ls, lc = params.proof_deadline_s, params.challenge_lag_s
    pL = rho * (1 - q) * ls + (1 - rho) * q * lc + rho * q * min(ls, lc)
    compromised = t7.payoff(BoxPoint(params, coords, True), "wrong_output", PY)
    n = params.query_rate
    assert compromised == (1 - p) * (100 + n * 100 * pL) - p * (1 - a) * 100000
    assert t7.payoff(BoxPoint(params, coords, False), "wrong_output", PY) == -100000
    no_sybil = params.replace(self_challenge=False)
    assert t7.payoff(BoxPoint(no_sybil, coords, True), "wrong_output", PY) == (1 - p) * (100 + n * 100 * pL) - p * 100000
    core = params.replace(query_rate=Fraction(0), reward_share=Fraction(0))
    assert t7.payoff(BoxPoint(core, coords, True), "wrong_output", PY) == (1 - p) * 100 - p * 100000


@pytest.mark.parametrize("convention", ["forfeit", "keep"])
@pytest.mark.parametrize("self_challenge", [True, False])
def test_theorem_7_and_payoffs_corruption_are_one_definition(t7, convention, self_challenge):
    """Theorem 7's payoff is p B_1 of :mod:`otr_theory.payoffs.corruption` (the best class's
    bracket times the detection): the same detection, lag (the sooner lag for a query caught
    both ways), effective slash and franchise, at sampled (q, rho, S) on the default model."""
    import dataclasses
    import random

    from otr_theory.model import load_model
    from otr_theory.payoffs.corruption import _bracket, corruption_inputs
    from otr_theory.smt.params import Params

    model = dataclasses.replace(load_model(), loss_convention=convention, self_challenge=self_challenge)
    params = Params.from_model(model)
    base = corruption_inputs(model)
    g_hi = Fraction(repr(base.gain_classes[0][0]))
    rng = random.Random(7)
    for _ in range(50):
        q = Fraction(rng.randint(0, 1000), 1000)
        rho = Fraction(rng.randint(1, 1000), 10000)
        S = Fraction(rng.randint(1, 10**6))
        coords = {"q": q, "rho": rho, "S": S, **{f"gain:{d}": Fraction(0) for d in DEVIATIONS}}
        coords["gain:wrong_output"] = Fraction(repr(float(params.gains_usd["wrong_output"])))
        smt = t7.payoff(BoxPoint(params, coords, True), "wrong_output", PY)
        inp = base.replace(spot_check_rate=float(rho), challenger_detection=float(q), slash_usd=float(min(S, params.stake_usd)))
        ours = inp.detection * _bracket(inp, float(g_hi))
        assert float(smt) == pytest.approx(ours, rel=1e-9, abs=1e-6), (q, rho, S)


def test_widened_box_finds_the_threshold(params, t7):
    """Zero lag, no Sybil recovery, the point mass (no high-value class, no franchise): the box
    breaks below S* = ((1-rho) g + m)/rho = 10000 (the one-query model)."""
    params = params.replace(query_rate=Fraction(0), reward_share=Fraction(0), high_value_fraction=Fraction(0))
    assert params.reentry_usd == 0
    box = dict(declared_box(params))
    box["S"] = (Fraction(10000), Fraction(100000))
    assert check_box(params, t7.clauses, t7.payoff, box).status == "proved"
    box["S"] = (Fraction(9999), Fraction(100000))
    out = check_box(params, t7.clauses, t7.payoff, box)
    assert out.status == "violated"
    assert out.point["S"] == 9999 and out.point["q"] == 0 and out.point["compromised"] is True


def test_bad_box_is_refused(params, t7):
    with pytest.raises(ValueError, match="box.q"):
        check_box(params, t7.clauses, t7.payoff, {**declared_box(params), "q": (Fraction(1), Fraction(0))})


@settings(max_examples=25, deadline=None)
@given(
    rho=st.fractions(0, 1, max_denominator=1000),
    s_lo=st.integers(0, 200_000),
    width=st.integers(0, 50_000),
    g=st.integers(0, 10_000),
)
def test_property_z3_agrees_with_vertices(params, t7, rho, s_lo, width, g):
    box = {**declared_box(params), "rho": (rho, rho), "S": (Fraction(s_lo), Fraction(s_lo + width)), "gain:wrong_output": (Fraction(0), Fraction(g))}
    out = check_box(params, t7.clauses, t7.payoff, box)
    ok, _ = vertex_check(params, t7.clauses, t7.payoff, box)
    # over time the payoff has q^2 terms: a violation may lie inside the box, so a violating vertex
    # implies "violated" but not conversely; every violation is re-evaluated exactly in Python
    assert out.status in ("proved", "violated")
    if not ok:
        assert out.status == "violated"
    if out.status == "violated":
        assert out.point["violated"]
    else:
        assert ok
