"""Deterrence conditions: known answers (Becker 1968; inspection-game threshold), conventions for
thresholds that do not exist, argument checks, and cross-checks against numeric solves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from otr_theory.payoffs import (
    DEVIATIONS,
    PayoffError,
    capital_cost_usd,
    compromise_probability,
    detection_probability,
    deterrence_margin,
    deviation_detection,
    deviation_gain,
    deviation_payoff,
    effective_spot_check_rate,
    epoch_deviation_payoff,
    frivolous_challenge_payoff,
    honest_epoch_profit,
    is_deterred,
    max_epoch_deviation,
    min_detection,
    min_deterring_slash,
    min_spot_check_rate,
)

SETTINGS = settings(max_examples=60, deadline=None)
gains = st.floats(0.0, 1e4, allow_nan=False)
slashes = st.floats(0.0, 1e6, allow_nan=False)
probs = st.floats(0.0, 1.0, allow_nan=False)
margins = st.floats(0.0, 100.0, allow_nan=False)
conventions = st.sampled_from(["forfeit", "keep"])


# --- known answers ----------------------------------------------------------------------------


def test_becker_deterred_iff_p_at_least_g_over_s():
    """Becker (1968), 'Crime and punishment', J. Political Economy 76: an offence with gain g,
    punished by S with probability p, is deterred iff p S >= g, i.e. p >= g/S."""
    g, S = 100.0, 10_000.0
    assert min_detection(g, S, "keep") == pytest.approx(g / S)
    assert is_deterred(g, S, g / S, "keep")
    assert not is_deterred(g, S, 0.9 * g / S, "keep")
    assert min_deterring_slash(g, 0.01, "keep") == pytest.approx(g / 0.01)


def test_inspection_threshold_is_g_over_g_plus_s():
    """Inspection games (Avenhaus, von Stengel & Zamir 2002): an inspectee who gains d when
    undetected and loses b when detected is deterred iff p >= d/(d+b)."""
    g, S = 100.0, 9_900.0
    assert float(min_detection(g, S, "forfeit")) == pytest.approx(g / (g + S))
    assert float(min_deterring_slash(g, 0.01, "forfeit")) == pytest.approx(g * 0.99 / 0.01)
    assert float(deviation_payoff(g, S, 0.01, "forfeit")) == pytest.approx(0.0, abs=1e-9)


def test_margin_enters_every_threshold():
    g, S, m, p = 100.0, 10_000.0, 5.0, 0.02
    assert float(min_deterring_slash(g, p, "forfeit", margin_usd=m)) == pytest.approx(((1 - p) * g + m) / p)
    assert float(min_deterring_slash(g, p, "keep", margin_usd=m)) == pytest.approx((g + m) / p)
    assert float(min_detection(g, S, "forfeit", margin_usd=m)) == pytest.approx((g + m) / (g + S))
    assert float(min_detection(g, S, "keep", margin_usd=m)) == pytest.approx((g + m) / S)


def test_thresholds_that_do_not_exist():
    # no detection: no finite slash deters a positive gain; nothing to deter costs nothing
    assert float(min_deterring_slash(1.0, 0.0, "forfeit")) == math.inf
    assert float(min_deterring_slash(0.0, 0.0, "forfeit")) == 0.0
    assert float(min_deterring_slash(0.0, 0.0, "keep", margin_usd=1.0)) == math.inf
    # Becker with S < G: the ratio exceeds 1, and no spot-check rate deters
    assert float(min_detection(100.0, 50.0, "keep")) == 2.0
    assert float(min_spot_check_rate(100.0, 50.0, "keep")) == math.inf
    assert float(min_detection(1.0, 0.0, "keep")) == math.inf
    # challengers that always look: rho* = 0 whenever p* <= 1
    assert float(min_spot_check_rate(100.0, 1e4, "forfeit", challenger_detection=1.0)) == 0.0
    out = min_spot_check_rate(np.array([100.0, 100.0]), np.array([1e4, 50.0]), "keep")
    assert not np.isnan(out).any()
    assert out[1] == math.inf


def test_vectorized_and_scalar_agree():
    g = np.array([1.0, 10.0, 100.0])
    p = np.array([[0.01], [0.1]])
    out = min_deterring_slash(g, p, "forfeit")
    assert out.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert out[i, j] == float(min_deterring_slash(g[j], p[i, 0], "forfeit"))
    assert isinstance(min_deterring_slash(1.0, 0.5, "keep"), float)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: min_deterring_slash(1.0, 0.5, "Forfeit"), "convention"),
        (lambda: min_deterring_slash(-1.0, 0.5, "keep"), "gain_usd"),
        (lambda: min_deterring_slash(1.0, 1.5, "keep"), "detection"),
        (lambda: min_deterring_slash(1.0, 0.5, "keep", margin_usd=-1.0), "margin_usd"),
        (lambda: min_detection(1.0, float("nan"), "keep"), "slash_usd"),
        (lambda: min_spot_check_rate(1.0, 1.0, "keep", challenger_detection=-0.1), "challenger_detection"),
        (lambda: detection_probability([0.1, 2.0]), "spot_check_rate"),
        (lambda: deviation_gain({"external_gain_usd": 1.0}, "bribe"), "deviation"),
        (lambda: deviation_gain({}, "wrong_output"), "values['external_gain_usd']"),
    ],
)
def test_bad_arguments_raise_a_value_error_naming_them(call, argument):
    with pytest.raises(PayoffError) as err:
        call()
    assert isinstance(err.value, ValueError)
    assert err.value.argument == argument
    assert str(err.value).startswith(argument)


# --- the model's inputs ---------------------------------------------------------------------


def test_compromise_probability_is_the_poisson_busy_fraction(model):
    """P(no window opened in the last D days) = Poisson pmf at 0 with mean lambda D."""
    v = model.values()
    lam_d = v["compromise_rate_per_year"] * v["compromise_duration_days"] / 365.25
    expect = v["compromised_fraction"] * (1 - stats.poisson.pmf(0, lam_d))
    assert float(compromise_probability(v)) == pytest.approx(expect, rel=1e-12)
    assert float(compromise_probability(model)) == float(compromise_probability(v))


def test_compromise_probability_by_simulation():
    """Monte Carlo of Poisson windows of length D: the fraction of time at least one is open."""
    rng = np.random.default_rng(7)
    lam, d_days, horizon = 2.0, 60.0, 20_000.0  # per year, days, years
    n = rng.poisson(lam * horizon)
    starts = np.sort(rng.uniform(0, horizon, n))
    ends = starts + d_days / 365.25
    covered, cur_s, cur_e = 0.0, starts[0], ends[0]
    for s, e in zip(starts[1:], ends[1:]):
        if s > cur_e:
            covered += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    covered += cur_e - cur_s
    h = float(compromise_probability({"compromised_fraction": 1.0, "compromise_rate_per_year": lam, "compromise_duration_days": d_days}))
    assert covered / horizon == pytest.approx(h, abs=0.01)


def test_gains_and_detection_follow_the_model(model):
    v = model.values()
    assert [float(deviation_gain(v, d)) for d in DEVIATIONS] == [
        v["external_gain_usd"],
        v["downgrade_saving_usd_per_query"],
        v["skip_saving_usd_per_query"],
    ]
    for d in DEVIATIONS:
        assert float(deviation_detection(model, d, compromised=False)) == 1.0
        assert float(deviation_detection(model, d)) == pytest.approx(v["spot_check_rate"])
        assert float(deviation_detection(model, d, challenger_detection=0.5)) == pytest.approx(1 - (1 - v["spot_check_rate"]) * 0.5)


def test_protocol_switches_change_detection(model):
    """Mutants: predictable spot-checks or unslashed missed proofs make rho worthless; without
    the attestation check an intact TEE no longer catches anything."""
    assert float(effective_spot_check_rate(model, protocol={"randomness_after_commit": False})) == 0.0
    assert float(effective_spot_check_rate(model.with_protocol(slash_on_missed_proof=False))) == 0.0
    no_att = model.with_protocol(attestation_check=False)
    assert float(deviation_detection(no_att, "model_downgrade", compromised=False)) == pytest.approx(model.value("spot_check_rate"))
    with pytest.raises(PayoffError):
        effective_spot_check_rate(model, protocol={"no_such_switch": True})


# --- cross-checks against numeric solves ----------------------------------------------------


@SETTINGS
@given(gains, probs, margins, conventions)
def test_property_min_slash_makes_the_condition_hold_with_equality(g, p, m, conv):
    assume(p > 1e-6)
    s_star = float(min_deterring_slash(g, p, conv, margin_usd=m))
    assume(s_star < 1e12)
    payoff = float(deviation_payoff(g, s_star, p, conv))
    assert payoff == pytest.approx(-m, abs=1e-9 * max(1.0, s_star))
    # a numeric root of payoff(S) + m, independently
    f = lambda s: float(deviation_payoff(g, s, p, conv)) + m  # noqa: E731
    if f(0.0) > 0:
        root = optimize.brentq(f, 0.0, 2 * s_star + 1.0, xtol=1e-12, rtol=1e-12)
        assert root == pytest.approx(s_star, rel=1e-9, abs=1e-9)
        assert bool(is_deterred(g, s_star * (1 + 1e-9) + 1e-9, p, conv, margin_usd=m))
        if s_star > 1e-3:
            assert not bool(is_deterred(g, s_star * (1 - 1e-6), p, conv, margin_usd=m))
    else:
        assert s_star == 0.0


@SETTINGS
@given(gains, slashes, margins, probs, conventions)
def test_property_min_spot_check_rate_against_brentq(g, s, m, q, conv):
    rho_star = float(min_spot_check_rate(g, s, conv, challenger_detection=q, margin_usd=m))
    margin_at = lambda r: float(deterrence_margin(g, s, detection_probability(r, q), conv, margin_usd=m))  # noqa: E731
    tol = 1e-9 * (g + s + m + 1.0)
    if rho_star == math.inf:
        assert margin_at(1.0) < tol
        return
    assert 0.0 <= rho_star <= 1.0
    assert margin_at(rho_star) >= -tol  # deters at rho*
    if margin_at(0.0) < -tol and margin_at(1.0) > tol:  # an interior root exists: brentq agrees
        root = optimize.brentq(margin_at, 0.0, 1.0, xtol=1e-14)
        assert root == pytest.approx(rho_star, rel=1e-7, abs=1e-12)
    elif rho_star > 0.0:
        assert margin_at(0.0) < tol


@SETTINGS
@given(st.integers(1, 10_000), st.integers(1, 10_000), st.integers(0, 100), conventions)
def test_property_boundary_equality_deters(g_int, s_int, p_pct, conv):
    """At p = p* exactly (a rational boundary) the condition holds with equality and deters."""
    g, s = float(g_int), float(s_int)
    p_star = float(min_detection(g, s, conv))
    assume(p_star <= 1.0)
    assert float(deterrence_margin(g, s, p_star, conv)) == pytest.approx(0.0, abs=1e-9 * (g + s))


# --- per epoch and bonds ------------------------------------------------------------------------


@SETTINGS
@given(st.floats(0.01, 100.0), st.floats(0.0, 1e4), st.floats(0.001, 0.5), st.integers(1, 300), conventions)
def test_property_best_epoch_deviation_matches_brute_force(g, s, p, q_epoch, conv):
    k, best = max_epoch_deviation(g, s, p, q_epoch, conv)
    ks = np.arange(1, q_epoch + 1)
    brute = epoch_deviation_payoff(g, s, p, ks, conv)
    assert best == pytest.approx(float(brute.max()), rel=1e-9, abs=1e-9)
    assert 1 <= k <= q_epoch


def test_epoch_keep_convention_loses_to_many_small_cheats():
    """Slashed at most once: with the gain kept, Q cheats pay Q g - S (ours)."""
    k, payoff = max_epoch_deviation(1.0, 100.0, 0.5, 1000, "keep")
    assert k == 1000 and payoff == pytest.approx(1000 - 100)


def test_capital_cost_and_epoch_profit(model):
    v = model.values()
    cap = float(capital_cost_usd(v["stake_usd"], v["capital_cost_rate_per_year"], v["window_s"]))
    assert cap == pytest.approx(100_000 * 0.05 / 365.25)
    assert float(honest_epoch_profit(v, 1000, cost_usd_per_query=0.0)) == pytest.approx(1000 * v["fee_usd_per_query"] - cap)
    assert float(frivolous_challenge_payoff(v["challenger_bond_usd"])) == -v["challenger_bond_usd"]
