"""The network's inspection game: only a share h of the queries can be cheated (ours).

A challenger cannot tell which queries' provers can deviate, so its expected reward from
monitoring is h x aS s(y) (x the fraud rate of a prover who can deviate). Checked here: h = 1
(and the default None) reproduces the compromised-prover game exactly; for h < 1 the equilibrium
is regret-free in the h-weighted game, by independent routes (nashpy on the 2x2 bimatrix whose
challenger payoffs are averaged over the prover's types; brentq on the two indifference
conditions with the reward share summed from scipy's binomial pmf); the limits h -> 0.
"""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from otr_theory.payoffs import (
    PayoffError,
    compromise_probability,
    inspection_equilibrium,
    inspection_game,
    monitoring_advantage,
    n_challenger_equilibrium,
    network_forgeable_share,
    solve_inspection_game,
    symmetric_monitoring_rate,
)

SETTINGS = settings(max_examples=40, deadline=None)


def _values(model, **kw):
    v = dict(model.values())
    v.update(kw)
    return v


def _weak(model, **kw):
    """A mixed game: slash 1,000 USD, check cost 20 USD (c/(aS) = 0.04), gain 10,000 USD."""
    return _values(model, external_gain_usd=10_000.0, slash_usd=1_000.0, check_cost_usd_per_query=20.0, **kw)


# --- h = 1 is the compromised-prover game, exactly ----------------------------------------------


@pytest.mark.parametrize("conv", ["forfeit", "keep"])
@pytest.mark.parametrize("slash", [10.0, 1_000.0, 9_900.0, 100_000.0])
def test_h_one_reproduces_the_2x2_game_exactly(model, conv, slash):
    v = _values(model, slash_usd=slash)
    base = inspection_equilibrium(v, "wrong_output", conv)
    for h in (1.0, 1, None):
        eq = inspection_equilibrium(v, "wrong_output", conv, forgeable_share=h)
        assert eq == base  # every field, the exact equilibrium set included
    assert base.forgeable_share == 1.0 and base.network_fraud_rate == base.fraud_rate


def test_h_one_reproduces_the_known_values(model):
    """The values the compromised-prover game gave before h existed (its doctests, at the check
    cost they were computed with: c = 0.00025 USD, so x* = c/(aS) = 0.00025/500 = 5e-7)."""
    v = _values(model, slash_usd=1_000.0, check_cost_usd_per_query=0.00025)
    eq = inspection_equilibrium(v, forgeable_share=1.0)
    assert (eq.kind, eq.fraud_rate, round(eq.monitoring_rate, 6)) == ("mixed", 5e-07, 0.081726)
    eq = n_challenger_equilibrium(v, 1, forgeable_share=1.0)
    assert (eq.kind, float(eq.fraud_rate), round(float(eq.monitoring_rate), 6)) == ("mixed", 5e-07, 0.081726)
    assert solve_inspection_game(99.0, -1000.0, 50.0, 1.0, forgeable_share=1.0).fraud_rate == 0.02


def test_h_one_reproduces_the_n_challenger_arrays_exactly(model):
    v = _values(model, slash_usd=np.logspace(1, 6, 41), check_cost_usd_per_query=1.0)
    for conv in ("forfeit", "keep"):
        for n in (0, 1, 3, 100):
            for phi, J in ((0.0, 0.0), (1e-3, 1e3)):
                base = n_challenger_equilibrium(v, n, "wrong_output", conv, forced_error_rate=phi, jackpot_usd=J)
                eq = n_challenger_equilibrium(v, n, "wrong_output", conv, forced_error_rate=phi, jackpot_usd=J, forgeable_share=1.0)
                for name in ("fraud_rate", "monitoring_rate", "challenger_detection", "detection_probability", "kind"):
                    np.testing.assert_array_equal(getattr(eq, name), getattr(base, name))
                np.testing.assert_array_equal(eq.network_fraud_rate, eq.fraud_rate)
                np.testing.assert_array_equal(eq.forgeable_share, 1.0)


def test_h_one_leaves_the_monitoring_functions_unchanged():
    x, y = np.linspace(0, 1, 7), np.linspace(0, 1, 5)[:, None]
    np.testing.assert_array_equal(monitoring_advantage(x, y, 4, 50.0, 1.0, forgeable_share=1.0), monitoring_advantage(x, y, 4, 50.0, 1.0))
    np.testing.assert_array_equal(symmetric_monitoring_rate(x, 4, 50.0, 1.0, forgeable_share=1.0), symmetric_monitoring_rate(x, 4, 50.0, 1.0))


# --- h < 1: the closed form, and regret-free by independent routes -----------------------------


def test_interior_fraud_rate_is_c_over_h_a_s(model):
    v = _weak(model)
    a, c, S = 0.5, 20.0, 1_000.0
    for h in (1.0, 0.5, 0.2, 0.05):
        eq = inspection_equilibrium(v, forgeable_share=h)
        assert eq.kind == "mixed"
        assert eq.fraud_rate == pytest.approx(c / (h * a * S), rel=1e-15)
        assert eq.network_fraud_rate == pytest.approx(c / (a * S), rel=1e-15)  # fraud per query does not move
        assert eq.monitoring_rate == inspection_equilibrium(v).monitoring_rate  # prover indifference pins y
        assert eq.challenger_payoff == pytest.approx(0.0, abs=1e-12)


def test_the_h_one_equilibrium_loses_c_one_minus_h_per_check(model):
    """The defect the simulation found: monitoring at the h = 1 rates earns -c(1-h) per check."""
    v = _weak(model)
    c, R = 20.0, 500.0
    for n in (1, 3, 10):
        old = n_challenger_equilibrium(v, n)
        for h in (0.1, 0.5, 0.9):
            lose = monitoring_advantage(old.fraud_rate, old.monitoring_rate, n, R, c, forgeable_share=h)
            assert float(lose) == pytest.approx(-c * (1 - h), rel=1e-12)
            new = n_challenger_equilibrium(v, n, forgeable_share=h)
            assert float(monitoring_advantage(new.fraud_rate, new.monitoring_rate, n, R, c, forgeable_share=h)) == pytest.approx(0.0, abs=1e-9)


def _h_weighted_bimatrix(P, C, h):
    """The challenger's payoffs averaged over the prover's types: with probability h the row the
    prover chose, with 1 - h an honest prover (row 0)."""
    return P, h * C + (1 - h) * np.vstack([C[0], C[0]])


@SETTINGS
@given(
    st.floats(1.0, 1e4),
    st.floats(1.0, 1e6),
    st.floats(0.0, 0.2),
    st.floats(0.05, 0.95),
    st.floats(1e-4, 10.0),
    st.floats(0.01, 1.0),
    st.sampled_from(["forfeit", "keep"]),
)
def test_property_h_aware_2x2_matches_nashpy(model, g, s, rho, a, c, h, conv):
    v = _values(model, external_gain_usd=g, slash_usd=s, spot_check_rate=rho, challenger_reward_share=a, check_cost_usd_per_query=c)
    P, C = _h_weighted_bimatrix(*inspection_game(v, "wrong_output", conv), h)
    # keep away from ties, where nashpy's support enumeration is not reliable
    assume(abs(P[1, 1]) > 1e-6 * (g + s) and abs(P[1, 0]) > 1e-6 * (g + s) and abs(C[1, 0]) > 1e-9 + 1e-6 * c)
    eq = inspection_equilibrium(v, "wrong_output", conv, forgeable_share=h)
    assert eq.kind in ("pure", "mixed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = list(nashpy.Game(P, C).support_enumeration())
    assert len(found) == 1
    rows, cols = found[0]
    assert eq.fraud_rate == pytest.approx(rows[1], abs=1e-9)
    assert eq.monitoring_rate == pytest.approx(cols[0], abs=1e-9)
    assert eq.network_fraud_rate == pytest.approx(h * rows[1], abs=1e-9)
    # and the challenger's payoff is the bimatrix's at that profile
    assert eq.challenger_payoff == pytest.approx(float(rows @ C @ cols), abs=1e-9 * (1 + abs(C).max()))


def _share_binomial(y, n):
    """E[1/(1+K)], K ~ Bin(n-1, y), summed from scipy's pmf (not the closed form s(y))."""
    k = np.arange(n)
    return float(np.sum(stats.binom.pmf(k, n - 1, y) / (1 + k)))


def _regret(v, n, h, x, y, conv="forfeit"):
    """(prover's advantage of cheating, challenger's advantage of monitoring) at (x, y), each
    computed from its definition: the forgeable prover against q = 1-(1-y)^n; a challenger
    averaging over the prover's types, reward aS shared uniformly among the monitors."""
    P, C = inspection_game(v, "wrong_output", conv)
    A, B = P[1, 1], P[1, 0]
    c = -C[0, 0]
    R = C[1, 0] + c
    q = 1 - (1 - y) ** n
    prover = A + q * (B - A)
    monitor = h * x * R * _share_binomial(y, n) - c
    return prover, monitor


@SETTINGS
@given(
    st.floats(100.0, 1e4),
    st.floats(100.0, 1e5),
    st.floats(0.0, 0.05),
    st.floats(1e-3, 50.0),
    st.integers(1, 30),
    st.floats(0.0, 1.0),
    st.sampled_from(["forfeit", "keep"]),
)
def test_property_h_aware_n_challenger_equilibrium_is_regret_free(model, g, s, rho, c, n, h, conv):
    v = _values(model, external_gain_usd=g, slash_usd=s, spot_check_rate=rho, check_cost_usd_per_query=c)
    eq = n_challenger_equilibrium(v, n, "wrong_output", conv, forgeable_share=h)
    x, y = float(eq.fraud_rate), float(eq.monitoring_rate)
    assert float(eq.network_fraud_rate) == pytest.approx(h * x, rel=1e-15)
    prover, monitor = _regret(v, n, h, x, y, conv)
    pscale, mscale = g + s, 0.5 * s + c
    # each player's mix is a best response: indifferent where it mixes, else the better action
    if 0 < x < 1:
        assert abs(prover) <= 1e-9 * pscale
    elif x == 1:
        assert prover >= -1e-9 * pscale
    else:
        assert prover <= 1e-9 * pscale
    if 0 < y < 1:
        assert abs(monitor) <= 1e-7 * mscale
    elif y == 1:
        assert monitor >= -1e-9 * mscale
    else:
        assert monitor <= 1e-9 * mscale


@pytest.mark.parametrize("n", [1, 3, 10])
@pytest.mark.parametrize("h", [0.9, 0.4, 0.15])
def test_interior_against_brentq_on_both_indifferences(model, n, h):
    """y from brentq on the prover's indifference (1-p)G = pS, then x from brentq on the
    challenger's h x aS E[1/(1+K)] = c (pmf sum): both against the closed form."""
    v = _weak(model)
    g, S, rho, a, c = 10_000.0, 1_000.0, 0.01, 0.5, 20.0

    def cheat(t):  # forfeit: (1-p)G - pS with p = 1 - (1-rho)(1-t)^n
        p = 1 - (1 - rho) * (1 - t) ** n
        return (1 - p) * g - p * S

    y = optimize.brentq(cheat, 0.0, 1.0, xtol=1e-15)
    share = _share_binomial(y, n)
    x = optimize.brentq(lambda t: h * t * a * S * share - c, 0.0, 1e6, xtol=1e-15)
    assert x < 1  # these points are interior
    eq = n_challenger_equilibrium(v, n, forgeable_share=h)
    assert eq.kind == "mixed"
    assert float(eq.monitoring_rate) == pytest.approx(y, rel=1e-9)
    assert float(eq.fraud_rate) == pytest.approx(x, rel=1e-9)


def test_arrays_of_h_broadcast_like_scalars(model):
    v = _weak(model)
    hs = np.array([0.0, 0.01, 0.05, 0.2, 0.7, 1.0])
    eq = n_challenger_equilibrium(v, np.array([[1], [4]]), forgeable_share=hs)
    assert eq.fraud_rate.shape == (2, 6)
    for i, n in enumerate((1, 4)):
        for j, h in enumerate(hs):
            one = n_challenger_equilibrium(v, n, forgeable_share=float(h))
            assert (eq.fraud_rate[i, j], eq.monitoring_rate[i, j], eq.kind[i, j]) == (one.fraud_rate, one.monitoring_rate, one.kind)
            assert eq.forgeable_share[i, j] == h and eq.network_fraud_rate[i, j] == h * one.fraud_rate


# --- the limits h -> 0 ---------------------------------------------------------------------------


def test_one_challenger_boundary_at_h_equal_c_over_a_s(model):
    """n = 1: interior iff c < h aS; at h = c/(aS) a continuum; below it x = 1 and nobody monitors."""
    v = _weak(model)  # c/(aS) = 0.04
    assert inspection_equilibrium(v, forgeable_share=0.05).kind == "mixed"
    tie = inspection_equilibrium(v, forgeable_share=0.04)
    assert tie.kind == "degenerate" and tie.fraud_rate == 1.0  # x = 1 with any y in [0, y*]
    for h in (0.039, 0.01, 1e-6, 0.0):
        eq = inspection_equilibrium(v, forgeable_share=h)
        assert (eq.kind, eq.fraud_rate, eq.monitoring_rate) == ("pure", 1.0, 0.0)
        assert eq.network_fraud_rate == pytest.approx(h) and eq.detection_probability == pytest.approx(0.01)


@pytest.mark.parametrize("n", [1, 3, 30])
def test_as_h_falls_forgeable_provers_cheat_more_and_monitoring_collapses(model, n):
    v = _weak(model)
    hs = np.geomspace(1.0, 1e-6, 200)
    eq = n_challenger_equilibrium(v, n, forgeable_share=hs)
    x, y = np.asarray(eq.fraud_rate), np.asarray(eq.monitoring_rate)
    assert (np.diff(x) >= 0).all() and (np.diff(y) <= 1e-15).all()
    assert x[0] < 1 and x[-1] == 1.0  # rises to 1
    assert y[-1] == 0.0 and float(eq.challenger_detection[-1]) == 0.0  # monitoring collapses
    assert float(eq.network_fraud_rate[-1]) == pytest.approx(1e-6)
    # the interior ends where c = h aS s(y*): x reaches 1 there, and y leaves y* there
    interior = eq.kind == "mixed"
    assert np.allclose(y[interior & (x < 1)], y[0])
    # past it each challenger monitors at the root of h aS s(y) = c (0 for n = 1)
    past = x == 1
    if n == 1:
        assert (y[past] == 0).all()
    else:
        for h, yy in zip(hs[past], y[past]):
            if 0 < yy < 1:
                assert h * 500.0 * _share_binomial(yy, n) == pytest.approx(20.0, rel=1e-7)


def test_spot_checks_that_deter_are_unaffected_by_h(model):
    """A < 0: nobody cheats and nobody monitors, whatever h (the verifier's dilemma)."""
    for h in (1.0, 0.3, 0.0):
        eq = inspection_equilibrium(model, forgeable_share=h)
        assert (eq.kind, eq.fraud_rate, eq.monitoring_rate, eq.network_fraud_rate) == ("pure", 0.0, 0.0, 0.0)
        eqn = n_challenger_equilibrium(model, 3, forgeable_share=h)
        assert (float(eqn.fraud_rate), float(eqn.monitoring_rate)) == (0.0, 0.0)


def test_forced_errors_keep_monitoring_alive_as_h_falls(model):
    """Truebit's jackpot is paid on every query, so it is not weighted by h: at h = 0 the
    challengers still monitor at the root of phi J t(y) = c."""
    v = _weak(model, spot_check_rate=0.0)
    phi, J = 0.01, 4_000.0  # phi J = 40 > c = 20
    eq = n_challenger_equilibrium(v, 3, forced_error_rate=phi, jackpot_usd=J, forgeable_share=0.0)
    honest = symmetric_monitoring_rate(0.0, 3, 500.0, 20.0, forced_error_rate=phi, jackpot_usd=J)
    assert float(eq.monitoring_rate) == pytest.approx(float(honest), rel=1e-12) and 0 < float(eq.monitoring_rate) < 1


# --- the network's h and bad input ---------------------------------------------------------------


def test_network_forgeable_share_follows_the_protocol(model):
    h = float(compromise_probability(model))
    assert float(network_forgeable_share(model)) == h
    assert float(network_forgeable_share(model, given_window_open=True)) == model.value("compromised_fraction")
    assert float(network_forgeable_share(model, protocol={"attestation_check": False})) == 1.0
    rho = model.value("spot_check_rate")
    assert float(network_forgeable_share(model, protocol={"randomness_after_commit": False})) == pytest.approx(h * (1 - rho))
    arr = network_forgeable_share(_values(model, compromised_fraction=np.array([0.0, 0.5, 1.0])), protocol={"attestation_check": False})
    np.testing.assert_array_equal(arr, [1.0, 1.0, 1.0])


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_a_share_outside_zero_one_is_refused(model, bad):
    with pytest.raises(PayoffError, match="forgeable_share"):
        inspection_equilibrium(model, forgeable_share=bad)
    with pytest.raises(PayoffError, match="forgeable_share"):
        n_challenger_equilibrium(model, 3, forgeable_share=bad)
    with pytest.raises(PayoffError, match="forgeable_share"):
        solve_inspection_game(1.0, -1.0, 1.0, 0.1, forgeable_share=bad)
    with pytest.raises(PayoffError, match="forgeable_share"):
        monitoring_advantage(0.1, 0.1, 3, 1.0, 0.1, forgeable_share=bad)


def test_inspection_equilibrium_wants_a_scalar_share(model):
    with pytest.raises(PayoffError, match="forgeable_share: must be a scalar"):
        inspection_equilibrium(model, forgeable_share=np.array([0.5, 0.6]))
