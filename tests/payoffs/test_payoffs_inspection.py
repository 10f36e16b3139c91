"""Inspection games: closed forms against their classical sources, nashpy, and exact
best-response checks; n challengers against brentq and regret; Truebit; the volunteer's dilemma."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from otr_theory.payoffs import (
    PayoffError,
    expected_jackpot_share,
    expected_reward_share,
    inspection_equilibrium,
    inspection_game,
    inspection_game_exact,
    monitoring_advantage,
    n_challenger_equilibrium,
    solve_inspection_game,
    symmetric_monitoring_rate,
    volunteers_dilemma_rate,
)

SETTINGS = settings(max_examples=40, deadline=None)


def _values(model, **kw):
    v = dict(model.values())
    v.update(kw)
    return v


# --- the 2x2 game: classical results -------------------------------------------------------------


def test_avenhaus_von_stengel_zamir_basic_inspection_game():
    """Avenhaus, von Stengel & Zamir (2002), Handbook of Game Theory vol. 3, ch. 51, section 2:
    inspectee gains d if a violation is not inspected and loses b if it is; the inspector's
    payoffs are 0 (legal, no inspection), -e (legal, inspection), -c (violation, no inspection),
    -a (violation, inspection), 0 < e and a < c. The unique equilibrium is mixed: inspection
    probability d/(d+b), violation probability e/(e + c - a).

    Our game maps onto it with gain G = d, slash S = b, no spot-checks, check cost = e and reward
    R = c - a + e (the inspector's payoffs shifted by a constant per inspectee row)."""
    d, b, e, c, a = 3.0, 7.0, 1.0, 10.0, 2.0
    eq = solve_inspection_game(d, -b, c - a + e, e)
    assert eq.kind == "mixed"
    assert eq.monitoring_rate == pytest.approx(d / (d + b))
    assert eq.fraud_rate == pytest.approx(e / (e + c - a))


def test_tsebelis_penalty_moves_the_inspection_rate_not_the_offence_rate():
    """Tsebelis (1989), APSR 83: in the inspection game where the inspector's reward does not
    depend on the penalty, raising the penalty lowers the inspection rate and leaves the
    offence rate unchanged."""
    g, R, c = 100.0, 50.0, 1.0
    rates = [solve_inspection_game(g, -s, R, c) for s in (1_000.0, 10_000.0, 100_000.0)]
    assert all(r.kind == "mixed" for r in rates)
    assert len({r.fraud_rate for r in rates}) == 1
    assert rates[0].monitoring_rate > rates[1].monitoring_rate > rates[2].monitoring_rate


def test_in_otr_the_reward_is_a_share_of_the_slash_so_the_offence_rate_falls(model):
    """Our departure from Tsebelis: R = aS, so x* = c/(aS) falls as S rises."""
    rates = [inspection_equilibrium(_values(model, slash_usd=s, spot_check_rate=0.0)) for s in (1_000.0, 10_000.0)]
    a, c = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query")
    assert [r.fraud_rate for r in rates] == pytest.approx([c / (a * 1_000.0), c / (a * 10_000.0)])


def test_verifiers_dilemma_at_the_default_model(model):
    """Spot-checks alone deter at the default parameters: (honest, idle), nobody monitors."""
    eq = inspection_equilibrium(model)
    assert (eq.kind, eq.fraud_rate, eq.monitoring_rate) == ("pure", 0.0, 0.0)
    assert eq.detection_probability == pytest.approx(model.value("spot_check_rate"))


def test_game_matrices_float_and_exact_agree(model):
    for conv in ("forfeit", "keep"):
        P, C = inspection_game(model, "wrong_output", conv)
        Pe, Ce = inspection_game_exact(model, "wrong_output", conv)
        assert all(isinstance(v, Fraction) for v in np.concatenate([Pe.ravel(), Ce.ravel()]))
        np.testing.assert_allclose(P, Pe.astype(float), rtol=1e-12)
        np.testing.assert_allclose(C, Ce.astype(float), rtol=1e-12)
    P, _ = inspection_game(model, "model_downgrade", "keep")
    g, rho, S = (model.value(k) for k in ("downgrade_saving_usd_per_query", "spot_check_rate", "slash_usd"))
    assert P[1, 1] == pytest.approx(g - rho * S) and P[1, 0] == pytest.approx(g - S)
    with pytest.raises(PayoffError, match="convention"):
        inspection_game(model, convention="becker")


def test_degenerate_cases_report_their_set():
    # spot-checks deter exactly (A = 0): the prover is indifferent when nobody monitors
    eq = solve_inspection_game(0, -10, 5, 1)
    assert eq.kind == "degenerate"
    assert eq.equilibrium_set == (((Fraction(0), Fraction(1, 5)), (Fraction(0), Fraction(0))),)
    # checking costs exactly the reward: the challenger is indifferent when everybody cheats
    eq = solve_inspection_game(3, -7, 1, 1)
    assert eq.kind == "degenerate" and (eq.fraud_rate, eq.monitoring_rate) == (1.0, 0.0)
    assert eq.equilibrium_set == (((Fraction(1), Fraction(1)), (Fraction(0), Fraction(3, 10))),)
    # free checking: every y at or above the deterring rate works
    eq = solve_inspection_game(3, -7, 1, 0)
    assert eq.kind == "degenerate" and eq.monitoring_rate == pytest.approx(0.3)
    with pytest.raises(PayoffError, match="cheat_monitor_usd"):
        solve_inspection_game(1, 2, 1, 1)


# --- the 2x2 game: cross-checks ----------------------------------------------------------------


def _regret_free(A, B, R, c, x, y) -> bool:
    """Exact best-response check: neither player gains by a pure deviation."""
    d = A + y * (B - A)  # prover: cheat minus honest
    e = x * R - c  # challenger: monitor minus idle
    prover_ok = x * d >= max(d, 0)
    challenger_ok = y * e >= max(e, 0)
    return prover_ok and challenger_ok


def _inside(rects, x, y) -> bool:
    return any(xs[0] <= x <= xs[1] and ys[0] <= y <= ys[1] for xs, ys in rects)


small = st.integers(-6, 6)


@settings(max_examples=150, deadline=None)
@given(small, st.integers(0, 12), st.integers(0, 8), st.integers(0, 8))
def test_property_equilibrium_set_is_exactly_the_regret_free_points(a_int, gap, r_int, c_int):
    """Small integers make ties (boundary cases) common. On a rational grid that contains every
    critical value, a point is in the returned set iff it has no profitable deviation."""
    A, B, R, c = Fraction(a_int), Fraction(a_int - gap), Fraction(r_int), Fraction(c_int)
    eq = solve_inspection_game(A, B, R, c)
    coords = {Fraction(i, 8) for i in range(9)}
    for xs, ys in eq.equilibrium_set:
        coords |= {xs[0], xs[1], ys[0], ys[1], (xs[0] + xs[1]) / 2, (ys[0] + ys[1]) / 2}
    grid = sorted(v for v in coords if 0 <= v <= 1)
    for x, y in itertools.product(grid, grid):
        assert _inside(eq.equilibrium_set, x, y) == _regret_free(A, B, R, c, x, y), (x, y)
    x, y = eq.exact_point
    assert (float(x), float(y)) == (eq.fraud_rate, eq.monitoring_rate)
    assert _regret_free(A, B, R, c, x, y)
    point = len(eq.equilibrium_set) == 1 and all(iv[0] == iv[1] for iv in eq.equilibrium_set[0])
    assert (eq.kind != "degenerate") == point


@SETTINGS
@given(
    st.floats(1.0, 1e4),
    st.floats(1.0, 1e6),
    st.floats(0.0, 0.2),
    st.floats(0.05, 0.95),
    st.floats(1e-4, 10.0),
    st.sampled_from(["forfeit", "keep"]),
)
def test_property_closed_form_matches_nashpy(model, g, s, rho, a, c, conv):
    v = _values(model, external_gain_usd=g, slash_usd=s, spot_check_rate=rho, challenger_reward_share=a, check_cost_usd_per_query=c)
    P, C = inspection_game(v, "wrong_output", conv)
    # keep away from ties, where nashpy's support enumeration is not reliable
    assume(abs(P[1, 1]) > 1e-6 * (g + s) and abs(P[1, 0]) > 1e-6 * (g + s) and abs(C[1, 0]) > 1e-9 + 1e-6 * c)
    eq = inspection_equilibrium(v, "wrong_output", conv)
    assert eq.kind in ("pure", "mixed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = list(nashpy.Game(P, C).support_enumeration())
    assert len(found) == 1
    rows, cols = found[0]
    assert eq.fraud_rate == pytest.approx(rows[1], abs=1e-9)
    assert eq.monitoring_rate == pytest.approx(cols[0], abs=1e-9)


# --- n challengers -------------------------------------------------------------------------------


def _check_best_responses(v, eq, n, conv="forfeit", phi=0.0, J=0.0, split="uniform", tol=1e-9):
    P, C = inspection_game(v, "wrong_output", conv)
    A, B = P[1, 1], P[1, 0]
    R = C[1, 0] - C[0, 0]
    c = -C[0, 0]
    x, y, q = float(eq.fraud_rate), float(eq.monitoring_rate), float(eq.challenger_detection)
    assert q == pytest.approx(1 - (1 - y) ** n, abs=1e-12)
    d = A + q * (B - A)
    scale = abs(A) + abs(B) + 1.0
    if 0 < x < 1:
        assert abs(d) <= tol * scale
    elif x == 1:
        assert d >= -tol * scale
    else:
        assert d <= tol * scale
    m = float(monitoring_advantage(x, y, n, R, c, forced_error_rate=phi, jackpot_usd=J, jackpot_split=split))
    mscale = R + phi * J + c + 1e-12
    if 0 < y < 1:
        assert abs(m) <= 1e-7 * mscale
    elif y == 1:
        assert m >= -1e-9 * mscale
    else:
        assert m <= 1e-9 * mscale


@SETTINGS
@given(
    st.floats(1.0, 1e4),
    st.floats(10.0, 1e6),
    st.floats(0.0, 0.1),
    st.floats(1e-5, 100.0),
    st.integers(1, 10_000),
)
def test_property_n_challenger_equilibrium_is_regret_free(model, g, s, rho, c, n):
    v = _values(model, external_gain_usd=g, slash_usd=s, spot_check_rate=rho, check_cost_usd_per_query=c)
    eq = n_challenger_equilibrium(v, n)
    _check_best_responses(v, eq, n)
    if eq.kind == "mixed" and 0 < float(eq.fraud_rate) < 1:
        # prover indifference pins q; an independent root of 1-(1-y)^n = q*
        P, _ = inspection_game(v)
        q_star = P[1, 1] / (P[1, 1] - P[1, 0])
        y = optimize.brentq(lambda t: 1 - (1 - t) ** n - q_star, 0.0, 1.0, xtol=1e-15, rtol=1e-14)
        assert float(eq.monitoring_rate) == pytest.approx(y, rel=1e-8)


@SETTINGS
@given(
    st.floats(1.0, 1e4),
    st.floats(10.0, 1e6),
    st.floats(1e-5, 100.0),
    st.integers(2, 200),
    st.floats(0.0, 0.05),
    st.floats(0.0, 1e4),
    st.sampled_from(["uniform", "truebit"]),
)
def test_property_forced_errors_equilibrium_is_regret_free(model, g, s, c, n, phi, J, split):
    v = _values(model, external_gain_usd=g, slash_usd=s, spot_check_rate=0.0, check_cost_usd_per_query=c)
    eq = n_challenger_equilibrium(v, n, forced_error_rate=phi, jackpot_usd=J, jackpot_split=split)
    _check_best_responses(v, eq, n, phi=phi, J=J, split=split)


def test_one_challenger_is_the_2x2_game(model):
    for s in (500.0, 1_000.0, 10_000.0, 100_000.0):
        for conv in ("forfeit", "keep"):
            v = _values(model, slash_usd=s)
            a, b = inspection_equilibrium(v, "wrong_output", conv), n_challenger_equilibrium(v, 1, "wrong_output", conv)
            assert (a.kind, a.fraud_rate) == (b.kind, pytest.approx(float(b.fraud_rate)))
            assert a.monitoring_rate == pytest.approx(float(b.monitoring_rate))


def test_more_challengers_monitor_less_each_and_fraud_rises_to_a_limit(model):
    v = _values(model, slash_usd=1_000.0)
    ns = np.array([1, 2, 5, 10, 100, 1_000, 10_000])
    eq = n_challenger_equilibrium(v, ns)
    assert (eq.kind == "mixed").all()
    np.testing.assert_allclose(eq.challenger_detection, eq.challenger_detection[0])
    assert (np.diff(eq.monitoring_rate) < 0).all() and (np.diff(eq.fraud_rate) > 0).all()
    q = eq.challenger_detection[0]
    a, c, S = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query"), 1_000.0
    assert eq.fraud_rate[-1] == pytest.approx(c * -math.log1p(-q) / (a * S * q), rel=1e-4)


def test_vectorized_over_parameter_arrays(model):
    v = _values(model, slash_usd=np.array([500.0, 1_000.0, 1e5]), spot_check_rate=np.array([[0.0], [0.01]]))
    eq = n_challenger_equilibrium(v, 3)
    assert np.shape(eq.fraud_rate) == (2, 3) and np.shape(eq.kind) == (2, 3)
    for i, rho in enumerate((0.0, 0.01)):
        for j, s in enumerate((500.0, 1_000.0, 1e5)):
            one = n_challenger_equilibrium(_values(model, slash_usd=s, spot_check_rate=rho), 3)
            assert float(eq.fraud_rate[i, j]) == float(one.fraud_rate)
            assert eq.kind[i, j] == one.kind


# --- participation: Truebit and Diekmann ----------------------------------------------------------


def test_truebit_forced_errors_keep_a_lone_verifier_checking(model):
    """Teutsch & Reitwiessner (2017), section 4: with forced errors at rate phi and jackpot J, a
    verifier facing an honest solver checks iff its expected jackpot phi J covers its cost c."""
    v = model.values()  # spot-checks deter: the prover is honest
    c = model.value("check_cost_usd_per_query")
    phi = 0.001
    below = n_challenger_equilibrium(v, 1, forced_error_rate=phi, jackpot_usd=0.99 * c / phi)
    above = n_challenger_equilibrium(v, 1, forced_error_rate=phi, jackpot_usd=1.01 * c / phi)
    at = n_challenger_equilibrium(v, 1, forced_error_rate=0.5, jackpot_usd=2 * c)  # phi J = c exactly
    assert (float(below.monitoring_rate), float(above.monitoring_rate)) == (0.0, 1.0)
    assert at.kind == "degenerate" and float(at.fraud_rate) == 0.0
    assert n_challenger_equilibrium(v, 1).monitoring_rate == 0.0  # without them: the verifier's dilemma


def test_truebit_jackpot_share_is_the_binomial_sum():
    """Expected share of a finder when k finders share J / 2^(k-1), by brute force."""
    for n, y in ((1, 0.3), (2, 0.5), (7, 0.2), (30, 0.9)):
        k = np.arange(n)
        pmf = stats.binom.pmf(k, n - 1, y)
        brute = float(np.sum(pmf / ((k + 1) * 2.0**k)))
        assert float(expected_jackpot_share(y, n, "truebit")) == pytest.approx(brute, rel=1e-10)
        assert float(expected_reward_share(y, n)) == pytest.approx(float(np.sum(pmf / (k + 1))), rel=1e-10)


def test_forced_errors_lower_the_fraud_rate(model):
    v = _values(model, slash_usd=1_000.0)
    c = model.value("check_cost_usd_per_query")
    xs = [float(n_challenger_equilibrium(v, 3, forced_error_rate=0.01, jackpot_usd=J).fraud_rate) for J in (0.0, 0.01, 0.02, 0.05)]
    assert xs[0] > xs[1] > xs[2]
    assert xs[3] == 0.0  # phi J t(y*) >= c: honesty, and monitoring paid by the jackpots
    assert 0.01 * 0.05 * float(expected_reward_share(n_challenger_equilibrium(v, 3).monitoring_rate, 3)) >= c


@pytest.mark.parametrize("n", [2, 3, 5, 10, 50])
def test_diekmann_volunteers_dilemma(n):
    """Diekmann (1985), J. Conflict Resolution 29: in the symmetric mixed equilibrium nobody
    volunteers with probability (c/b)^(n/(n-1)), which rises with n. Our participation game with
    no reward, a public benefit b and a prover who always cheats is that game."""
    b, c = 10.0, 1.0
    y = float(symmetric_monitoring_rate(1.0, n, 0.0, c, public_benefit_usd=b))
    assert (1 - y) ** n == pytest.approx((c / b) ** (n / (n - 1)), rel=1e-9)
    assert y == pytest.approx(float(volunteers_dilemma_rate(b, c, n)), rel=1e-9)
    # indifference, checked directly: volunteering pays b - c; abstaining pays b (1 - (1-y)^(n-1))
    assert b - c == pytest.approx(b * (1 - (1 - y) ** (n - 1)), rel=1e-9)


def test_diekmann_nobody_volunteers_more_often_in_larger_groups():
    ns = np.arange(2, 200)
    y = volunteers_dilemma_rate(10.0, 1.0, ns)
    nobody = (1 - y) ** ns
    assert (np.diff(nobody) > 0).all()
    assert nobody[-1] < 0.1  # and tends to c/b
    with pytest.raises(PayoffError, match="cost_usd"):
        volunteers_dilemma_rate(1.0, 2.0, 3)


def test_model_on_the_boundary_where_spot_checks_just_deter(model):
    """S = (1-rho)g/rho exactly: cheating with nobody monitoring pays exactly 0 (A = 0). The
    exact game sees the tie (0.01 is 1/100), both solvers call it degenerate."""
    v = _values(model, slash_usd=9_900.0)
    P, _ = inspection_game_exact(v)
    assert P[1, 1] == 0
    eq = inspection_equilibrium(v)
    assert eq.kind == "degenerate" and (eq.fraud_rate, eq.monitoring_rate) == (0.0, 0.0)
    a, c = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query")
    assert eq.equilibrium_set == (((Fraction(0), Fraction(repr(c)) / (Fraction(repr(a)) * 9_900)), (Fraction(0), Fraction(0))),)
    assert n_challenger_equilibrium(v, 3).kind == "degenerate"
    assert n_challenger_equilibrium(v, 0).kind == "degenerate"


def test_no_challengers(model):
    weak = _values(model, slash_usd=1_000.0)
    eq = n_challenger_equilibrium(weak, 0)
    assert (float(eq.fraud_rate), float(eq.monitoring_rate), float(eq.challenger_detection)) == (1.0, 0.0, 0.0)
    assert float(n_challenger_equilibrium(model.values(), 0).fraud_rate) == 0.0
    with pytest.raises(PayoffError, match="^n:"):
        n_challenger_equilibrium(weak, -1)
    with pytest.raises(PayoffError, match="jackpot_split"):
        n_challenger_equilibrium(weak, 2, jackpot_split="halving")
