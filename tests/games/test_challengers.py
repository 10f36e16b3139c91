"""The OTR inspection game: exact solver against the payoff model's closed forms, n challengers."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otr_theory.games.challengers import (
    challenger_game,
    challenger_sweep,
    cross_check,
    inspection_check,
    symmetric_profile,
    symmetric_regret,
)
from otr_theory.games.normal_form import GameError, regret
from otr_theory.payoffs import DEVIATIONS, inspection_game, n_challenger_equilibrium


@pytest.fixture(scope="module")
def mixed_values(model):
    """Spot-checks alone do not deter the wrong output at S = $1,000 (A = 99 - 10 > 0)."""
    return model.with_values(slash_usd=1000.0).values()


def test_full_game_n1_is_the_bimatrix(model):
    g = challenger_game(model.values(), 1, exact=False)
    P, C = inspection_game(model.values())
    assert np.array_equal(g.payoffs[0], P) and np.array_equal(g.payoffs[1], C)
    assert g.strategies == (("honest", "cheat"), ("monitor", "idle"))


def test_full_game_shares_the_reward(mixed_values):
    g = challenger_game(mixed_values, 3)
    c = F("0.0002638")  # the check cost from the H100 fits (models/otr.toml)
    assert mixed_values["check_cost_usd_per_query"] == 0.0002638
    R = F(500)
    # prover cheats, challengers 1 and 2 monitor, 3 idles: each monitor gets R/2 - c
    assert g.payoffs[1][1, 0, 0, 1] == R / 2 - c and g.payoffs[3][1, 0, 0, 1] == 0
    # prover cheats and nobody monitors: the spot-check-only payoff A = 0.99 * 100 - 0.01 * 1000
    assert g.payoffs[0][1, 1, 1, 1] == F(99) - F(10)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("slash", [1000.0, 100_000.0])
def test_closed_form_found_in_full_game(model, n, slash):
    cc = cross_check(model.with_values(slash_usd=slash).values(), n)
    assert cc.agrees and cc.full.complete
    assert cc.regret_in_full_game <= 1e-9
    assert cc.symmetric_equilibria == 1
    if cc.kind == "mixed":
        # the others: a subset of k challengers mixing, the rest idle -- 2^n - 1 in all
        assert len(cc.full.equilibria) == 2**n - 1
    else:
        assert len(cc.full.equilibria) == 1


def test_closed_form_found_in_full_game_keep(mixed_values):
    cc = cross_check(mixed_values, 2, convention="keep")
    assert cc.agrees and cc.kind == "mixed"


def test_symmetric_regret_detects_a_wrong_point(mixed_values):
    eq = n_challenger_equilibrium(mixed_values, 4)
    right = float(symmetric_regret(mixed_values, 4, eq.fraud_rate, eq.monitoring_rate))
    assert right < 1e-12
    for x, y in ((eq.fraud_rate, eq.monitoring_rate * 1.1), (eq.fraud_rate * 1.1, eq.monitoring_rate)):
        assert float(symmetric_regret(mixed_values, 4, x, y)) > 1e-7 > 1e4 * right


def test_symmetric_profile_regret_in_full_game_matches(mixed_values):
    eq = n_challenger_equilibrium(mixed_values, 3)
    g = challenger_game(mixed_values, 3, exact=False)
    full = float(regret(g, symmetric_profile(float(eq.fraud_rate), float(eq.monitoring_rate), 3)))
    fast = float(symmetric_regret(mixed_values, 3, eq.fraud_rate, eq.monitoring_rate))
    assert full == pytest.approx(fast, abs=1e-9)


def test_sweep_to_ten_thousand(mixed_values):
    ns = np.arange(1, 10_001)
    sw = challenger_sweep(mixed_values, ns, check_every=97)
    assert sw.max_regret <= sw.tolerance
    assert (sw.kind == "mixed").all()
    # the prover's indifference pins q: detection does not grow with n
    assert np.allclose(sw.challenger_detection, sw.challenger_detection[0], rtol=1e-9)
    assert np.allclose(sw.detection_probability, sw.detection_probability[0], rtol=1e-9)
    # each challenger monitors less, the fraud rate rises ...
    assert (np.diff(sw.monitoring_rate) < 0).all() and (np.diff(sw.fraud_rate) > 0).all()
    # ... to the limit c (-ln(1 - y*)) / (aS y*) (payoff model, item 6)
    y1 = sw.monitoring_rate[0]
    limit = 0.0002638 * (-math.log1p(-y1)) / (500.0 * y1)  # c = 0.0002638 (the H100 fits), aS = 500
    assert sw.fraud_rate[-1] == pytest.approx(limit, rel=1e-4)
    assert sw.fraud_rate[-1] < limit


def test_comparative_statics_in_slash_and_rho(model):
    def at(**kw):
        sw = challenger_sweep(model.with_values(**kw).values(), [1, 10])
        return sw.fraud_rate, sw.monitoring_rate, sw.detection_probability

    x1, y1, p1 = at(slash_usd=1000.0)
    x2, y2, p2 = at(slash_usd=2000.0)
    assert (x2 < x1).all() and (y2 < y1).all()  # a bigger slash: less fraud and less monitoring
    x3, y3, _ = at(slash_usd=1000.0, spot_check_rate=0.02)
    assert (y3 < y1).all()  # more spot-checks: less monitoring needed
    assert x3[0] == pytest.approx(x1[0])  # ... and with one challenger the fraud rate c/(aS) is unchanged


def test_default_model_is_deterred(model):
    sw = challenger_sweep(model.values(), [1, 3, 10_000])
    assert (sw.fraud_rate == 0).all() and (sw.monitoring_rate == 0).all()  # the verifier's dilemma
    assert np.allclose(sw.detection_probability, model.value("spot_check_rate"))


def test_bad_n():
    with pytest.raises(GameError, match="n: must be an integer in 1..6"):
        challenger_game({}, 7)
    with pytest.raises(GameError, match="ns: must be"):
        challenger_sweep({}, [0, 1])


# -- the OTR game at random parameter points ---------------------------------------------------

money = st.sampled_from([0.0, 1.0, 10.0, 99.0, 100.0, 250.5, 1000.0, 9900.0, 10_000.0, 1e5])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    gain=money,
    slash=money,
    rho=st.sampled_from([0.0, 0.001, 0.01, 0.05, 0.5, 1.0]),
    share=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    cost=st.sampled_from([0.0, 0.00025, 0.01, 5.0, 1000.0]),
    deviation=st.sampled_from(DEVIATIONS),
    convention=st.sampled_from(["forfeit", "keep"]),
)
def test_property_exact_solver_matches_closed_form(model, gain, slash, rho, share, cost, deviation, convention):
    """Exact vertex enumeration and the payoff model's closed form give the same equilibrium set,
    boundary points included (the grid hits A = 0 and c = aS exactly, e.g. S = 9900 at rho = 0.01)."""
    values = {
        **model.values(),
        "external_gain_usd": gain,
        "downgrade_saving_usd_per_query": gain / 1000,
        "skip_saving_usd_per_query": gain / 500,
        "slash_usd": slash,
        "spot_check_rate": rho,
        "challenger_reward_share": share,
        "check_cost_usd_per_query": cost,
    }
    chk = inspection_check(values, deviation, convention)
    assert chk.agrees
    assert chk.solved.max_regret == 0
    if chk.closed_form.kind == "degenerate":  # a continuum can only come from a degenerate game
        assert chk.solved.degenerate and any(c.dimension for c in chk.solved.components)
    else:
        assert len(chk.extreme_points) == 1


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    slash=st.floats(min_value=200.0, max_value=9000.0),
    rho=st.floats(min_value=0.0, max_value=0.009),
    share=st.floats(min_value=0.1, max_value=0.9),
)
def test_property_full_two_challenger_game(model, slash, rho, share):
    values = {**model.values(), "slash_usd": slash, "spot_check_rate": rho, "challenger_reward_share": share}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cc = cross_check(values, 2)
    assert cc.agrees
