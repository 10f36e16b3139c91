"""The region against the closed forms, the per-point reference and the equilibrium solver.

Known answers come from the core model's formulas (shared/otr-core-model.md; issue 7):
S* = ((1-p) G + m)/p (forfeit), W_min = ceil(log_k N) x timeout + settlement + censorship x block.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from otr_theory.games.bimatrix import bimatrix_equilibria
from otr_theory.model import load_model
from otr_theory.payoffs import DEVIATIONS, GAIN_FIELDS
from otr_theory.regimes import RegimeError, RegionOptions, evaluate_point, minimum_window_s, region_kernel

MODEL = load_model()
W_MIN = 40 * 1_800 + 1_800 + 100 * 12  # default model: 2^40 steps, arity 2, 1,800 s rounds, 1,800 s settlement, 100 x 12 s censorship
# the earlier 600 s timing: W_min = 25,800 s below the 43,200 s proof deadline, so the proof deadline and a
# challenger lag shorter than it can bind (at the default timing W_min = 75,000 s hides both)
MODEL_600 = MODEL.with_values(round_timeout_s=600.0, settlement_s=600.0)
W_MIN_600 = 40 * 600 + 600 + 100 * 12

slashes = st.floats(1.0, 1e7)
rates = st.one_of(st.just(0.0), st.floats(0.0, 0.2), st.floats(1e-6, 1.0))
windows = st.floats(1e3, 3e5)
counts = st.integers(0, 20)


def test_minimum_window_is_the_bounded_resolution_bound():
    assert minimum_window_s(MODEL) == W_MIN == 75_000
    assert minimum_window_s(MODEL.with_values(censorship_blocks=0)) == 73_800
    assert minimum_window_s(MODEL_600) == W_MIN_600 == 25_800


SECURE_S = 1e8  # above the stake an attack over time needs at rho = 1% (~$56M)


def test_window_bound_is_strict_like_theorem_3():
    # with pending results reverted the proof deadline does not bind: W_min alone, strictly
    k = region_kernel(MODEL.with_protocol(revert_pending_on_slash=True))
    r = k.evaluate(SECURE_S, 0.01, np.array([W_MIN - 1.0, W_MIN, W_MIN + 1.0]), 3)
    assert r["secure"].tolist() == [False, False, True]


def test_a_window_shorter_than_the_proof_deadline_is_never_secure():
    model = MODEL_600  # W_min = 25,800 s: the proof deadline is the binding bound
    k = region_kernel(model)
    r = k.evaluate(np.array([SECURE_S, 1e12])[:, None], 0.01, np.array([30_000.0, 43_199.0, 43_200.0])[None, :], 3)
    assert r["secure"].tolist() == [[False, False, True], [False, False, True]]
    assert evaluate_point(model, slash_usd=1e12, spot_check_rate=0.5, window_s=30_000.0, count=3).binding == "window"


def test_known_answer_at_the_papers_point():
    """$100k at rho = 1% deters one query (margin p (S + G) - G = 901, forfeit) but not a prover
    that cheats until caught: the best attack is the over-time closed form. The proof cost is
    pinned at the paper's $10 (the shipped default follows the ZK cost fit instead)."""
    from otr_theory.payoffs.corruption import best_strategy, corruption_inputs

    paper = MODEL.with_values(proof_cost_usd=10.0)
    r = evaluate_point(paper, slash_usd=100_000, spot_check_rate=0.01, window_s=86_400, count=3)
    assert not r.secure and not r.secure_eq and r.binding == "incentives"
    assert r.one_query_margin_usd == pytest.approx(901.0, rel=1e-12)
    want = best_strategy(corruption_inputs(paper)).payoff_usd
    assert r.margin_usd == pytest.approx(-want, rel=1e-12)
    assert r.best_attack["classes"] == "valuable" and r.best_attack["payoff_usd"] == pytest.approx(want)
    assert r.monitoring_rate == 0.0 and r.fraud_rate == 0.0  # spot-checks deter the one-query game: nobody monitors
    assert r.cost_components_usd["proof_usd"] == pytest.approx(0.01 * (10.0 + 250_000 * 1e-9 * 3000.0))


@settings(max_examples=60, deadline=None)
@given(S=st.floats(1.0, 1e10), rho=rates, W=windows, n=counts)
def test_property_kernel_agrees_with_the_per_point_reference(S, rho, W, n):
    k = region_kernel(MODEL)
    r = k.evaluate(S, rho, W, n)
    ref = evaluate_point(MODEL, slash_usd=S, spot_check_rate=rho, window_s=W, count=n)
    assert bool(r["secure"]) == ref.secure
    assert bool(r["secure_eq"]) == ref.secure_eq
    assert float(r["margin_usd"]) == pytest.approx(ref.margin_usd, rel=1e-9, abs=1e-9)
    assert float(r["margin_eq_usd"]) == pytest.approx(ref.margin_eq_usd, rel=1e-9, abs=1e-7)
    assert float(r["one_query_margin_usd"]) == pytest.approx(ref.one_query_margin_usd, rel=1e-9, abs=1e-9)
    assert float(r["cost_usd"]) == pytest.approx(ref.cost_usd, rel=1e-12)
    assert float(r["final_s"]) == pytest.approx(ref.final_s, rel=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    S=st.floats(1.0, 1e10),
    rho=rates,
    W=windows,
    n=counts,
    g=st.one_of(st.just(0.0), st.floats(1e-12, 1e4)),
    m=st.one_of(st.just(0.0), st.floats(1e-12, 100.0)),
    conv=st.sampled_from(["forfeit", "keep"]),
)
def test_property_region_is_the_closed_forms(S, rho, W, n, g, m, conv):
    """secure <=> S >= S*(rho) (the over-time required stake) and W > W_min and W >= the proof
    deadline and n >= 1."""
    from otr_theory.payoffs.corruption import corruption_inputs, required_stake

    model = dataclasses.replace(MODEL.with_values(external_gain_usd=g, incentive_margin_usd=m), loss_convention=conv)
    secure = bool(region_kernel(model).evaluate(S, rho, W, n)["secure"])
    s_star = max(required_stake(corruption_inputs(model, d, spot_check_rate=rho)) for d in DEVIATIONS)
    assume(not math.isclose(S, s_star, rel_tol=1e-9))  # on the boundary float rounding decides
    expected = S >= s_star and W > W_MIN and W >= 43_200 and n >= 1
    assert secure == expected


def _game(model, S, rho):
    """The prover (honest + each deviation) x challenger (monitor, idle) game, exact (core model)."""
    x = lambda v: Fraction(repr(float(v)))  # noqa: E731
    S, rho = x(S), x(rho)
    a, c = x(model.value("challenger_reward_share")), x(model.value("check_cost_usd_per_query"))
    A = [[Fraction(0), Fraction(0)]]
    B = [[-c, Fraction(0)]]
    for d in DEVIATIONS:
        G = x(model.value(GAIN_FIELDS[d]))
        A.append([-S, (1 - rho) * G - rho * S])
        B.append([a * S - c, Fraction(0)])
    return A, B


@settings(max_examples=25, deadline=None)
@given(S=st.floats(10.0, 1e6), rho=st.floats(0.0, 0.05))
def test_property_equilibrium_reading_agrees_with_the_equilibrium_solver(S, rho):
    """With one challenger, the equilibrium monitoring rate is the bimatrix solver's (the one-query
    game), and the equilibrium margin is the over-time criterion at that detection and its lag."""
    from otr_theory.payoffs.corruption import best_strategy, corruption_inputs

    A, B = _game(MODEL, S, rho)
    res = bimatrix_equilibria(A, B, method="support")
    assume(not res.degenerate and res.complete)
    r = region_kernel(MODEL).evaluate(S, rho, 86_400.0, 1)
    assert len(res.equilibria) == 1
    y = float(res.equilibria[0].strategies[1][0])
    assert float(r["monitoring_rate"]) == pytest.approx(y, abs=1e-9)
    q = y  # one challenger
    worst = max(best_strategy(corruption_inputs(MODEL, d, slash_usd=S, spot_check_rate=rho, challenger_detection=q)).payoff_usd for d in DEVIATIONS)
    assert float(r["margin_eq_usd"]) == pytest.approx(-worst, rel=1e-6, abs=1e-6)


def test_challengers_at_equilibrium_shorten_the_lag_but_do_not_secure_a_small_stake():
    k = region_kernel(MODEL_600)  # challenge lag 25,800 s, below the 43,200 s spot-check lag
    r = k.evaluate(1_000.0, 0.01, 86_400.0, 3)
    assert float(r["monitoring_rate"]) > 0 and float(r["detection_eq"]) > float(r["detection"])
    assert float(r["margin_usd"]) < float(r["margin_eq_usd"]) < 0
    assert not bool(r["secure"]) and not bool(r["secure_eq"])


def test_weakened_models_leave_the_region():
    from otr_theory.payoffs.corruption import corruption_inputs, required_stake

    k = region_kernel(MODEL)
    s_star = required_stake(corruption_inputs(MODEL))  # ~ $54M at rho = 1%
    r = k.evaluate(np.array([s_star * 0.99, s_star * 1.01]), 0.01, 86_400.0, 3)
    assert r["secure"].tolist() == [False, True]
    # rho = 0: nothing deters a compromised prover
    assert not evaluate_point(MODEL, slash_usd=1e12, spot_check_rate=0.0, window_s=86_400, count=3).secure
    # spot-check selection known before the commitment, or a missed proof not slashed: rho does not bite
    for switch in ("randomness_after_commit", "slash_on_missed_proof"):
        weak = region_kernel(MODEL.with_protocol(**{switch: False}))
        assert not weak.evaluate(1e12, np.linspace(0, 1, 11), 86_400.0, 3)["secure"].any()
    # no challenger: the validity theorem's liveness assumption fails
    assert not evaluate_point(MODEL, slash_usd=SECURE_S, spot_check_rate=0.01, window_s=86_400, count=0).secure
    # a stake above an explicit cap is not available
    opts = RegionOptions(max_stake_usd=5e7)
    assert evaluate_point(MODEL, slash_usd=SECURE_S, spot_check_rate=0.01, window_s=86_400, count=3, options=opts).binding == "capital"


def test_a_tee_that_cannot_be_compromised_leaves_no_attack():
    safe = MODEL.with_values(compromised_fraction=0.0)
    r = region_kernel(safe).evaluate(np.array([0.5, 1.0]), 0.0, 86_400.0, 3)
    assert r["secure"].tolist() == [True, True]
    assert np.isinf(r["margin_usd"]).all()


def test_latency_bound():
    opts = RegionOptions(max_final_s=50_000.0)
    k = region_kernel(MODEL_600, opts)  # W_min = 25,800 s, so W = 43,200 s is a window above it
    r = k.evaluate(SECURE_S, 0.01, np.array([43_200.0, 86_400.0]), 3)
    assert r["secure"].tolist() == [True, False]


def test_replicas_share_the_stake():
    """A stake covering two replicas faces twice the exposure and half the capital cost per query."""
    two = MODEL.with_values(replicas_per_stake=2)
    r1 = evaluate_point(MODEL, slash_usd=SECURE_S, spot_check_rate=0.01, window_s=86_400, count=3)
    r2 = evaluate_point(two, slash_usd=SECURE_S, spot_check_rate=0.01, window_s=86_400, count=3)
    assert r2.exposure_usd == pytest.approx(2 * r1.exposure_usd, rel=1e-12)
    assert r2.cost_components_usd["capital_usd"] == pytest.approx(r1.cost_components_usd["capital_usd"] / 2, rel=1e-12)


def test_bad_arguments_name_the_field():
    k = region_kernel(MODEL)
    with pytest.raises(RegimeError, match="spot_check_rate: must be a probability"):
        k.evaluate(1.0, 1.5, 86_400.0, 3)
    with pytest.raises(RegimeError, match="count: must be an integer"):
        k.evaluate(1.0, 0.1, 86_400.0, 2.5)
    with pytest.raises(RegimeError, match="stake_scope"):
        RegionOptions(stake_scope="forever")
    with pytest.raises(RegimeError, match="slash_usd: must be a finite number"):
        evaluate_point(MODEL, slash_usd=float("nan"), spot_check_rate=0.01, window_s=1.0, count=1)


@settings(max_examples=40, deadline=None)
@given(S=st.floats(1.0, 1e7), rho=rates, W=windows, n=counts)
def test_property_the_one_query_criterion_is_kept_for_comparison(S, rho, W, n):
    """RegionOptions(criterion="one_query") is the old condition: kernel and reference agree, and
    the over-time criterion is never weaker (a secure point over time is secure for one query)."""
    opts = RegionOptions(criterion="one_query")
    r = region_kernel(MODEL, opts).evaluate(S, rho, W, n)
    ref = evaluate_point(MODEL, slash_usd=S, spot_check_rate=rho, window_s=W, count=n, options=opts)
    assert bool(r["secure"]) == ref.secure and bool(r["secure_eq"]) == ref.secure_eq
    assert float(r["margin_usd"]) == pytest.approx(ref.margin_usd, rel=1e-9, abs=1e-9)
    assert float(r["margin_usd"]) == pytest.approx(float(r["one_query_margin_usd"]), rel=1e-12)
    over = region_kernel(MODEL).evaluate(S, rho, W, n)
    assert float(over["margin_usd"]) <= float(r["margin_usd"]) + 1e-9
    assert not (bool(over["secure"]) and not bool(r["secure"]))


def test_secure_window_is_strictly_above_the_window_bound_and_is_secure():
    """secure_window_s returned W_min itself once W_min exceeded the proof deadline (75,000 s at the
    1,800 s timing), a window theorem 3's strict bound excludes."""
    from otr_theory.regimes import secure_window_s

    k = region_kernel(MODEL)
    w = secure_window_s(MODEL)
    assert W_MIN < w < W_MIN + 1e-6
    assert not bool(k.evaluate(SECURE_S, 0.01, float(W_MIN), 3)["secure"])
    assert bool(k.evaluate(SECURE_S, 0.01, w, 3)["secure"])
    assert secure_window_s(MODEL_600) == 43_200.0  # the proof deadline binds, and it is inclusive
