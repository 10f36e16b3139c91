"""The tuning view (otr_theory.tuning): its numbers against the library by independent routes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from otr_theory.model import load_model
from otr_theory.payoffs.corruption import assess
from otr_theory.regimes import RegimeError, cheapest_point, evaluate_point
from otr_theory.tuning import TuningView

PAPER = {"slash_usd": 1e5, "spot_check_rate": 0.01, "window_s": 86_400.0, "count": 3}


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def view(model):
    return TuningView(model, resolution=41, slash_points=257)


@pytest.mark.parametrize("params", [PAPER, {"slash_usd": 1e8, "spot_check_rate": 0.01, "window_s": 86_400.0, "count": 3}, {"slash_usd": 3e7, "spot_check_rate": 0.05, "window_s": 200_000.0, "count": 1}])
def test_point_matches_corruption_assess(model, view, params):
    """The live numbers against corruption.assess on a model set to the point (stake = slash):
    a separate route (the brute-force search over strategies included)."""
    out = view.redraw(params)
    S = params["slash_usd"]
    m = model.with_values(stake_usd=S, slash_usd=S, spot_check_rate=params["spot_check_rate"], window_s=params["window_s"], count=params["count"])
    a = assess(m)
    assert out["secure"] == a.secure
    assert out["attack_profit_usd"] == pytest.approx(a.attack.payoff_usd, rel=1e-9, abs=1e-6)
    assert out["attack_profit_usd"] == pytest.approx(a.brute_force.payoff_usd, rel=1e-6, abs=1e-3)
    assert out["required_stake_usd"] == pytest.approx(a.required_stake_usd, rel=1e-9)
    assert out["margin_usd"] == pytest.approx(-a.attack.payoff_usd, rel=1e-9, abs=1e-6)


def test_curves_match_scalar_points(model, view):
    """Cost, secure flag and deterring stake along rho against evaluate_point (scalar closed forms)."""
    out = view.redraw(PAPER)
    for i in (0, 10, 20, 30, 40):
        rho = float(view.rhos[i])
        pr = evaluate_point(model, slash_usd=PAPER["slash_usd"], spot_check_rate=rho, window_s=PAPER["window_s"], count=PAPER["count"])
        assert out["cost_curve_usd"][i] == pytest.approx(pr.cost_usd, rel=1e-9)
        assert bool(out["secure_curve"][i]) == pr.secure
        assert out["stake_curve_usd"][i] == pytest.approx(pr.required_stake_usd, rel=1e-9)
    # the map: a few cells against the scalar reference
    for i, j in ((0, 0), (40, 20), (35, 25), (20, 40)):
        pr = evaluate_point(model, slash_usd=float(view.slashes[i]), spot_check_rate=float(view.rhos[j]), window_s=PAPER["window_s"], count=PAPER["count"])
        assert (out["region"][i, j] == 2) == pr.secure


def test_cheapest_at_window_matches_cheapest_point(model, view):
    """At cheapest_point's window the grid answer costs the same (to the grid's resolution), is
    secure point by point, and a slightly lower rate at its slash is not (it is on the boundary)."""
    op = cheapest_point(model)
    cw = view.cheapest_at(op.point.window_s, op.point.count)
    assert cw is not None and cw["point"].secure
    assert cw["cost_usd"] == pytest.approx(op.point.cost_usd, rel=2e-3)
    below = evaluate_point(model, slash_usd=cw["slash_usd"], spot_check_rate=cw["spot_check_rate"] * 0.98, window_s=cw["window_s"], count=cw["count"])
    assert not below.secure
    # a window the dispute cannot fit in: nothing is secure
    assert view.cheapest_at(3600.0, 3) is None


def test_redraw_reuses_one_figure(view):
    a = view.redraw(PAPER)
    fig = a["figure"]
    b = view.redraw(dict(PAPER, slash_usd=1e8, spot_check_rate=0.003))
    assert b["figure"] is fig
    assert [float(x) for x in view._here.get_xdata()] == [0.003]
    assert [float(y) for y in view._here.get_ydata()] == [1e8]
    assert np.array_equal(np.asarray(view._mesh.get_array()).ravel(), b["region"].ravel())
    assert a["secure"] is False and b["secure"] is True


def test_bad_input_raises_domain_error(view):
    with pytest.raises(RegimeError, match="params"):
        view.redraw(slash_usd=1e5)
    with pytest.raises(ValueError, match="slash_usd"):
        view.redraw(dict(PAPER, slash_usd=math.nan))
    with pytest.raises(RegimeError, match="spot_check_rate"):
        view.redraw(dict(PAPER, spot_check_rate=2.0))
    with pytest.raises(RegimeError, match="resolution"):
        TuningView(load_model(), resolution=2, figure=False)


@pytest.mark.benchmark(group="notebook-redraw")
def test_benchmark_redraw(benchmark, model):
    view = TuningView(model)
    out = benchmark(view.redraw, PAPER)
    assert out["secure"] is False and out["binding"] == "incentives"
