"""The cheapest secure point: secure, nothing on a fine sweep is cheaper, a step cheaper is not
secure; the model's own point; empty regions."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.model import load_model
from otr_theory.regimes import Grid, RegionOptions, cheapest_point, evaluate_point, model_point, required_spot_check_rate, run_sweep

MODEL = load_model()


def _rho_star_forfeit(model, S):
    """Closed form (ours) of the least detection that deters the valuable-class attack over time,
    forfeit, self-challenge: X p^2 + p (g + C - X) - (g + m) >= 0, X = n L gbar, C = (1 - a) S."""
    from otr_theory.payoffs.corruption import corruption_inputs

    inp = corruption_inputs(model)
    X = inp.query_rate * inp.spot_lag_s * inp.mean_gain_usd
    g, m, C = inp.gain_classes[0][0], inp.margin_usd, (1 - inp.reward_share) * S
    b = g + C - X
    return (-b + np.sqrt(b * b + 4 * X * (g + m))) / (2 * X)


def test_cheapest_point_known_answer():
    # forfeit, q = 0: rho*(S) from the closed form of the over-time criterion; rounded up to four
    # digits; W just above W_min = 40 x 1,800 + 1,800 + 100 x 12 = 75,000 s (strict, theorem 3), the
    # least four-digit window above it, which also covers the 43,200 s proof deadline
    op = cheapest_point(MODEL)
    p = op.point
    assert p.window_s == 75_010.0 and p.secure and p.margin_usd >= 1.0
    assert 1e7 < p.slash_usd < 1e9  # tens of millions: the exposure n L gbar is ~$26M
    want = _rho_star_forfeit(MODEL, p.slash_usd)
    assert float(required_spot_check_rate(MODEL, p.slash_usd)) == pytest.approx(want, rel=1e-9)
    assert want <= p.spot_check_rate <= want * (1 + 2e-3)
    assert p.cost_usd == pytest.approx(evaluate_point(MODEL, slash_usd=p.slash_usd, spot_check_rate=p.spot_check_rate, window_s=75_010, count=3).cost_usd)
    # the stake's capital cost is part of the cost: S r / (queries per year)
    from otr_theory.model import replica_query_rate
    from otr_theory.payoffs import SECONDS_PER_YEAR

    n = replica_query_rate(MODEL.values())
    assert p.cost_components_usd["capital_usd"] == pytest.approx(p.slash_usd * 0.05 / (n * SECONDS_PER_YEAR), rel=1e-9)


def test_nothing_secure_on_a_fine_grid_is_cheaper():
    op = cheapest_point(MODEL)
    grid = Grid.of(slash_usd=np.geomspace(1e6, 1e10, 120), spot_check_rate=np.geomspace(1e-5, 1e-1, 200), window_s=[43_200, 86_400], count=[3])
    res = run_sweep(MODEL, grid, readings=("spot_checks_only",))
    assert res.cheapest["spot_checks_only"].cost_usd >= op.point.cost_usd * (1 - 1e-9)


def test_a_step_cheaper_is_not_secure():
    p = cheapest_point(MODEL).point
    for rho in (p.spot_check_rate * 0.995,):
        assert not evaluate_point(MODEL, slash_usd=p.slash_usd, spot_check_rate=rho, window_s=p.window_s, count=p.count).secure
    assert not evaluate_point(MODEL, slash_usd=p.slash_usd * 0.99, spot_check_rate=p.spot_check_rate, window_s=p.window_s, count=p.count).secure
    assert not evaluate_point(MODEL, slash_usd=p.slash_usd, spot_check_rate=p.spot_check_rate, window_s=43_199.0, count=p.count).secure


def test_the_box_around_the_recommended_point_is_secure_at_every_corner():
    op = cheapest_point(MODEL, box_rel=0.05)
    assert op.box_secure and op.box_margin_usd >= 1.0
    lo, hi = op.box["slash_usd"]
    assert lo < op.point.slash_usd < hi
    assert op.box["window_s"][0] >= 43_200  # the whole box lets a demanded proof land
    assert op.point.cost_usd > cheapest_point(MODEL).point.cost_usd  # the box costs something


def test_a_stake_cap_below_the_exposure_empties_the_region():
    assert cheapest_point(MODEL, options=RegionOptions(max_stake_usd=100_000.0)).point.spot_check_rate > 0.99  # forfeit: prove (almost) everything
    keep = __import__("dataclasses").replace(MODEL, loss_convention="keep")
    assert cheapest_point(keep, options=RegionOptions(max_stake_usd=100_000.0)) is None  # keep: no rate deters


def test_commitment_scope_prices_a_large_stake_out():
    """A bond per commitment locked for W makes a stake of tens of millions cost dollars per query:
    under forfeit the cheapest way is to prove every query (p = 1) with a token slash."""
    opts = RegionOptions(stake_scope="commitment")
    op = cheapest_point(MODEL, options=opts)
    assert op.point.secure and op.point.spot_check_rate == 1.0 and op.point.slash_usd == 2.0  # (1 - a) S >= m = 1
    # at the optimum's window (75,010 s: a 43,200 s window is now below W_min = 75,000 s)
    grid = Grid.of(slash_usd=np.geomspace(1.0, 1e10, 60), spot_check_rate=np.geomspace(1e-5, 1.0, 60), window_s=[op.point.window_s], count=[3])
    res = run_sweep(MODEL, grid, options=opts, readings=("spot_checks_only",))
    assert res.cheapest["spot_checks_only"].cost_usd >= op.point.cost_usd * (1 - 1e-9)


def test_the_models_point():
    op = model_point(MODEL, label="paper")
    assert not op.point.secure and op.point.one_query_margin_usd == pytest.approx(901.0)
    assert op.point.margin_usd == pytest.approx(-op.point.best_attack["payoff_usd"])
    assert op.box["slash_usd"] == (95_000.0, 105_000.0)  # no stake cap
    assert not op.box_secure


def test_empty_regions_give_none():
    assert cheapest_point(load_model("opml")) is None  # no spot-check that bites: only challengers, who may be lazy
    assert cheapest_point(MODEL.with_protocol(randomness_after_commit=False)) is None
    assert cheapest_point(MODEL, options=RegionOptions(max_final_s=3_600.0)) is None  # a window of an hour cannot cover a dispute


def test_zkml_keeps_its_own_rate():
    # ZKML proves every query (rho = 1 is the scheme, not a choice): (1 - a) S >= m = $1 deters
    # (forfeit, p = 1, no lag gain survives its own detection)
    zk = load_model("zkml")
    op = cheapest_point(zk)
    assert op.point.spot_check_rate == 1.0 and op.point.slash_usd == 2.0 and op.point.secure
    boxed = cheapest_point(zk, box_rel=0.05)
    assert boxed.box["spot_check_rate"] == (1.0, 1.0) and boxed.box_secure
