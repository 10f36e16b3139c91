"""The cheapest secure point: secure, nothing on a fine sweep is cheaper, a step cheaper is not
secure; the model's own point; empty regions."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.model import load_model
from otr_theory.regimes import Grid, RegionOptions, cheapest_point, evaluate_point, model_point, required_spot_check_rate, sweep

MODEL = load_model()


def test_cheapest_point_known_answer():
    # forfeit, q = 0: rho* = (G + m)/(G + S) = 101/100,100 at S = stake = $100,000 (core model);
    # rounded up to four digits; W strictly above W_min = 25,800 s (theorem 3)
    op = cheapest_point(MODEL)
    p = op.point
    assert (p.slash_usd, p.spot_check_rate, p.window_s) == (100_000.0, 0.001009, 25_810.0)
    assert float(required_spot_check_rate(MODEL, 100_000.0)) == pytest.approx(101 / 100_100)
    assert p.secure and p.margin_usd >= 1.0
    assert p.cost_usd == pytest.approx(evaluate_point(MODEL, slash_usd=1e5, spot_check_rate=0.001009, window_s=25_810, count=3).cost_usd)


def test_nothing_secure_on_a_fine_grid_is_cheaper():
    op = cheapest_point(MODEL)
    grid = Grid.of(slash_usd=np.geomspace(1e3, 1e5, 60), spot_check_rate=np.geomspace(1e-4, 1e-1, 200), window_s=[25_810, 30_000], count=[3])
    res = sweep(MODEL, grid, readings=("spot_checks_only",))
    assert res.cheapest["spot_checks_only"].cost_usd >= op.point.cost_usd * (1 - 1e-9)


def test_a_step_cheaper_is_not_secure():
    p = cheapest_point(MODEL).point
    for rho in (p.spot_check_rate * 0.995,):
        assert not evaluate_point(MODEL, slash_usd=p.slash_usd, spot_check_rate=rho, window_s=p.window_s, count=p.count).secure
    assert not evaluate_point(MODEL, slash_usd=p.slash_usd, spot_check_rate=p.spot_check_rate, window_s=25_800.0, count=p.count).secure


def test_the_box_around_the_recommended_point_is_secure_at_every_corner():
    op = cheapest_point(MODEL, box_rel=0.05)
    assert op.box_secure and op.box_margin_usd >= 1.0
    lo, hi = op.box["slash_usd"]
    assert hi <= MODEL.value("stake_usd") and lo < op.point.slash_usd < hi
    assert op.point.cost_usd > cheapest_point(MODEL).point.cost_usd  # the box costs something


def test_commitment_scope_trades_capital_against_proofs():
    opts = RegionOptions(stake_scope="commitment")
    op = cheapest_point(MODEL, options=opts)
    c = op.point.cost_components_usd
    assert op.point.slash_usd < MODEL.value("stake_usd")  # an interior optimum
    assert c["capital_usd"] == pytest.approx(c["proof_usd"], rel=0.1)  # d/dS (a/S + b S) = 0: the two parts balance


def test_the_models_point():
    op = model_point(MODEL, label="paper")
    assert op.point.secure and op.point.margin_usd == pytest.approx(901.0)
    assert op.box["slash_usd"] == (95_000.0, 100_000.0)  # clipped at the stake
    assert op.box_secure


def test_empty_regions_give_none():
    assert cheapest_point(load_model("opml")) is None  # no spot-check that bites: only challengers, who may be lazy
    assert cheapest_point(MODEL.with_protocol(randomness_after_commit=False)) is None
    assert cheapest_point(MODEL, options=RegionOptions(max_final_s=3_600.0)) is None  # a window of an hour cannot cover a dispute


def test_zkml_keeps_its_own_rate():
    # ZKML proves every query (rho = 1 is the scheme, not a choice): S >= m = $1 deters (forfeit, p = 1)
    zk = load_model("zkml")
    op = cheapest_point(zk)
    assert op.point.spot_check_rate == 1.0 and op.point.slash_usd == 1.0 and op.point.secure
    boxed = cheapest_point(zk, box_rel=0.05)
    assert boxed.box["spot_check_rate"] == (1.0, 1.0) and boxed.box_secure
