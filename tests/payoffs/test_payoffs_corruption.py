"""The over-time deviation model: reduction to the one-query condition, never weaker with a lag,
closed form against brute force, the revert sum against its finite sum, the model's verdict."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.model import load_model
from otr_theory.payoffs import PayoffError, deviation_payoff
from otr_theory.payoffs.corruption import (
    CorruptionInputs,
    assess,
    best_payoff_vec,
    best_strategy,
    brute_force_best,
    corruption_inputs,
    exposure_usd,
    is_secure,
    minimum_spot_check_rate,
    required_stake,
    reverted_sum,
    security_margin,
    strategy_payoff,
)

CONV = ("keep", "forfeit")


def _one(g, s, rho, conv, **kw):
    return CorruptionInputs(query_rate=kw.pop("rate", 1.0), gain_classes=((g, 1.0),), spot_check_rate=rho, slash_usd=s, convention=conv, **kw)


@pytest.mark.parametrize("conv", CONV)
@given(g=st.floats(0, 1e5), s=st.floats(0, 1e7), rho=st.floats(0.001, 1.0))
@settings(max_examples=60, deadline=None)
def test_zero_lag_one_query_is_the_one_query_condition(conv, g, s, rho):
    """With L = 0 and one query the payoff is deviation_payoff, under both conventions."""
    inp = _one(g, s, rho, conv, horizon_s=1.0)  # n H = 1: one query
    want = float(deviation_payoff(g, s, rho, conv))
    assert best_strategy(inp).cheated == 1.0
    assert math.isclose(best_strategy(inp).payoff_usd, want, rel_tol=1e-9, abs_tol=1e-6 * (1 + g + s))
    m = 1.0
    assert is_secure(inp.replace(margin_usd=m)) == (want <= -m) or abs(want + m) < 1e-6 * (1 + g + s)


@pytest.mark.parametrize("conv", CONV)
@given(
    g=st.floats(0.01, 1e4),
    s=st.floats(0, 1e7),
    rho=st.floats(0.001, 1.0),
    lag=st.floats(0, 1e5),
    rate=st.floats(0.01, 20),
    horizon=st.floats(1, 1e7),
)
@settings(max_examples=80, deadline=None)
def test_with_a_lag_never_weaker(conv, g, s, rho, lag, rate, horizon):
    """A lag and many queries never make a point secure that the one-query condition rejects,
    and the best payoff never falls below the one-query payoff."""
    base = _one(g, s, rho, conv, rate=rate, horizon_s=horizon / rate)  # horizon: cheatable queries
    lagged = base.replace(spot_lag_s=lag)
    one = float(deviation_payoff(g, s, rho, conv))
    assert best_strategy(lagged).payoff_usd >= one - 1e-9 * (1 + abs(one))
    if not (one <= -1.0):
        assert not is_secure(lagged.replace(margin_usd=1.0))
    assert required_stake(lagged) >= required_stake(base.replace(horizon_s=1.0 / rate)) * (1 - 1e-12)


@pytest.mark.parametrize("conv", CONV)
@pytest.mark.parametrize("revert", [False, True])
@given(
    g=st.floats(1, 1e4),
    phi=st.floats(0, 0.5),
    s=st.floats(0, 1e7),
    rho=st.floats(0.0005, 0.5),
    q=st.floats(0, 0.9),
    window=st.floats(0, 2e5),
    horizon=st.floats(1, 1e6),
)
@settings(max_examples=40, deadline=None)
def test_closed_form_matches_brute_force(conv, revert, g, phi, s, rho, q, window, horizon):
    """The best M is at a boundary (or the concave optimum under revert): brute force over M,
    class sets and cheated fractions never beats the closed form, and finds it."""
    classes = ((g * 50, phi), (g, 1 - phi)) if phi > 0 else ((g, 1.0),)
    inp = CorruptionInputs(
        query_rate=2.0,
        gain_classes=classes,
        spot_check_rate=rho,
        challenger_detection=q,
        spot_lag_s=43_200.0,
        challenge_lag_s=25_800.0,
        slash_usd=s,
        reward_share=0.5,
        self_challenge=True,
        horizon_s=horizon,
        convention=conv,
        gain_realisation="final",
        revert_pending=revert,
        window_s=window,
    )
    closed = best_strategy(inp).payoff_usd
    brute = brute_force_best(inp, points=120, exhaustive=300).payoff_usd
    tol = 1e-9 * (abs(closed) + g * 100 + s)
    assert brute <= closed + tol  # nothing beats the closed form
    assert brute >= closed - tol  # and the grid, refined around its best point, finds it
    # the vectorised kernel agrees
    cl = [(gj, f) for _, gj, f in inp.classes()]
    vec = float(
        best_payoff_vec(
            inp.detection,
            inp.lag_s,
            window,
            inp.effective_slash_usd,
            classes=cl,
            mean_gain_usd=inp.mean_gain_usd,
            query_rate=inp.query_rate,
            horizon_s=horizon,
            convention=conv,
            reverts=inp.reverts,
        )
    )
    assert math.isclose(vec, closed, rel_tol=1e-9, abs_tol=tol)


@given(p=st.floats(0.001, 0.999), m=st.integers(1, 300), c=st.floats(0, 400))
@settings(max_examples=80, deadline=None)
def test_reverted_sum_is_the_finite_sum(p, m, c):
    exact = math.fsum(p * (1 - p) ** (k - 1) * max(k - c, 0.0) for k in range(1, m + 1))
    assert math.isclose(reverted_sum(p, m, c), exact, rel_tol=1e-9, abs_tol=1e-9 * (1 + c))


@pytest.mark.parametrize("conv", CONV)
def test_revert_with_long_window_is_the_exact_expectation(conv):
    """W > L under revert: strategy_payoff equals the expectation summed term by term."""
    p, rate, W, L, g, S = 0.05, 0.01, 3_000.0, 1_000.0, 100.0, 500.0
    inp = CorruptionInputs(
        query_rate=rate,
        gain_classes=((g, 1.0),),
        spot_check_rate=p,
        spot_lag_s=L,
        slash_usd=S,
        horizon_s=1e6,
        convention=conv,
        gain_realisation="final",
        revert_pending=True,
        window_s=W,
    )
    c = (W - L) * rate
    c_eff = max(c, 1.0) if conv == "forfeit" else c
    for m in (1, 5, 20, 60, 200):
        exact = sum(p * (1 - p) ** (k - 1) * (g * max(k - c_eff, 0.0) - S) for k in range(1, m + 1)) + (1 - p) ** m * m * g
        assert math.isclose(strategy_payoff(inp, m), exact, rel_tol=1e-10, abs_tol=1e-9)
    best_m = max(range(1, 2000), key=lambda m: strategy_payoff(inp, m))
    assert math.isclose(best_strategy(inp).payoff_usd, strategy_payoff(inp, best_m), rel_tol=1e-12, abs_tol=1e-9)


def test_stopping_early_never_beats_both_ends():
    inp = corruption_inputs(load_model())
    for j in (1, 2):
        m_max = inp.max_cheated(inp.classes()[j - 1][2])
        ends = max(strategy_payoff(inp, 1, j), strategy_payoff(inp, m_max, j))
        for m in np.unique(np.logspace(0, math.log10(m_max), 50).astype(int)):
            assert strategy_payoff(inp, float(m), j) <= ends + 1e-6


def test_default_model_is_not_secure_over_time():
    """The issue's finding: $100k at rho = 1% does not deter a compromised prover that cheats
    until caught; the one-query condition says it does."""
    a = assess(load_model())
    assert a.one_query_secure and not a.secure
    assert a.deviation == "wrong_output" and a.attack.classes == "valuable"
    assert 2e7 < a.attack.payoff_usd < 4e7
    assert math.isclose(a.brute_force.payoff_usd, a.attack.payoff_usd, rel_tol=1e-9)
    assert a.required_stake_usd > 2e7
    # the required stake is the boundary of the criterion
    inp = corruption_inputs(load_model())
    s = required_stake(inp)
    assert security_margin(inp.replace(slash_usd=s * (1 + 1e-9))) >= -1e-6
    assert not is_secure(inp.replace(slash_usd=s * (1 - 1e-6)))
    # exposure: n L gbar
    assert math.isclose(exposure_usd(inp), inp.query_rate * 43_200 * (0.999 * 100 + 0.001 * 10_000), rel_tol=1e-12)


def test_keep_required_stake_closed_form():
    inp = corruption_inputs(load_model(), convention="keep")
    p, gmax = inp.detection, 10_000.0
    want = (gmax / p + inp.query_rate * inp.lag_s * inp.mean_gain_usd + 1.0 / p) / 0.5
    assert math.isclose(required_stake(inp), want, rel_tol=1e-12)


def test_minimum_rate_is_the_boundary():
    inp = corruption_inputs(load_model(), slash_usd=6e7)
    r = minimum_spot_check_rate(inp)
    assert 0 < r < 1
    assert is_secure(inp.replace(spot_check_rate=r))
    assert not is_secure(inp.replace(spot_check_rate=r * (1 - 1e-6)))


def test_revert_and_final_finality_change_the_answer():
    m = load_model()
    base = assess(m)
    final = assess(m.__class__(**{**m.__dict__, "gain_realisation": "final"}))
    assert math.isclose(final.attack.payoff_usd, base.attack.payoff_usd)  # gains only delayed
    rev = m.with_protocol(revert_pending_on_slash=True)
    rev = rev.__class__(**{**rev.__dict__, "gain_realisation": "final"})
    a = assess(rev)
    assert a.exposure_usd == 0.0  # W = 1 day > L = 12 h: lag gains vanish
    assert a.attack.payoff_usd < base.attack.payoff_usd
    assert a.required_stake_usd < base.required_stake_usd


def test_no_episode_no_attack():
    m = load_model().with_values(compromised_fraction=0.0)
    a = assess(m)
    assert a.secure and a.attack.strategy == "none" and a.required_stake_usd == 0.0


def test_bad_inputs_raise_domain_errors():
    with pytest.raises(PayoffError, match="fractions must sum to 1"):
        CorruptionInputs(query_rate=1.0, gain_classes=((1.0, 0.5),), spot_check_rate=0.1)
    with pytest.raises(PayoffError, match="spot_check_rate"):
        CorruptionInputs(query_rate=1.0, gain_classes=((1.0, 1.0),), spot_check_rate=1.5)
    with pytest.raises(PayoffError, match="gain_realisation"):
        CorruptionInputs(query_rate=1.0, gain_classes=((1.0, 1.0),), spot_check_rate=0.1, gain_realisation="soon")
    with pytest.raises(PayoffError, match="reading"):
        corruption_inputs(load_model(), reading="lazy")
