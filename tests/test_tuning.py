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


@pytest.mark.parametrize(
    "params", [PAPER, {"slash_usd": 1e8, "spot_check_rate": 0.01, "window_s": 86_400.0, "count": 3}, {"slash_usd": 3e7, "spot_check_rate": 0.05, "window_s": 200_000.0, "count": 1}]
)
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


# --- the blitted PNG (issue 15: a redraw under 200 ms) ----------------------------------------


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _savefig_pixels(fig) -> np.ndarray:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return _pixels(buf.getvalue())


def _same_picture(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that differ by more than anti-aliasing would (a few levels)."""
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=2) > 8).mean())


@pytest.mark.parametrize("params", [PAPER, {"slash_usd": 1e8, "spot_check_rate": 0.003, "window_s": 86_400.0, "count": 3}, {"slash_usd": 3e4, "spot_check_rate": 0.3, "window_s": 7_200.0, "count": 0}])
def test_png_is_the_figure_savefig_draws(view, params):
    """The fast path (cached background + changed artists, our PNG encoder) against matplotlib's
    full draw and Pillow's decoder: the same picture, pixel for pixel up to anti-aliasing."""
    view.redraw(params)
    img = view.png()
    fast = _pixels(img.data)
    assert fast.shape == (img.height, img.width, 3) == (round(view.fig.bbox.height), round(view.fig.bbox.width), 3)
    assert img._repr_png_() == img.data
    assert _same_picture(fast, _savefig_pixels(view.fig)) < 0.002


def test_png_follows_each_redraw(view):
    a = _pixels(view.redraw(PAPER)["figure"] and view.png().data)
    b = _pixels(view.redraw(dict(PAPER, slash_usd=1e8))["figure"] and view.png().data)
    assert _same_picture(a, b) > 0.005  # the map, the marker, the titles and the curves moved
    again = _pixels(view.redraw(PAPER)["figure"] and view.png().data)
    assert np.array_equal(a, again)  # the same point gives the same picture


def test_a_point_outside_the_ranges_widens_the_axes(model):
    v = TuningView(model, resolution=21, slash_points=65, ranges={"slash_usd": (1e5, 1e6), "spot_check_rate": (1e-5, 1.0), "window_s": (86_400.0, 86_400.0), "count": (3, 3)})
    s0 = v._limits[1]
    v.redraw(dict(PAPER, slash_usd=1e11))  # S beyond the slider range: the stake axis must reach it
    hi = v._twin.get_ylim()[1]
    assert hi >= 1e11 and v._limits[1][1] >= 1e11 and v._limits[1][1] > s0[1]
    assert _same_picture(_pixels(v.png().data), _savefig_pixels(v.fig)) < 0.002


def test_fixed_axes_cover_the_ranges(view):
    """Cost and stake curves at the corners of the sliders' ranges fit in the fixed limits."""
    (c_lo, c_hi), (s_lo, s_hi) = view._limits
    r = view.ranges
    for S in r["slash_usd"]:
        for W in r["window_s"]:
            for n in r["count"]:
                out = view.compute(slash_usd=S, spot_check_rate=0.01, window_s=W, count=int(n))
                c = out["cost_curve_usd"][np.isfinite(out["cost_curve_usd"])]
                assert c_lo <= c.min() and c.max() <= c_hi
                st = out["stake_curve_usd"][np.isfinite(out["stake_curve_usd"])]
                assert s_lo <= min(st.min(), S) and max(st.max(), S) <= s_hi


def test_bad_ranges_raise_domain_errors(model):
    base = {"slash_usd": (1e3, 1e11), "spot_check_rate": (1e-5, 1.0), "window_s": (3600.0, 7200.0), "count": (0, 10)}
    for bad, match in (
        ({k: base[k] for k in list(base)[:3]}, "ranges"),
        (dict(base, window_s=(7200.0, 3600.0)), "window_s"),
        (dict(base, slash_usd=(0.0, 1.0)), "slash_usd"),
        (dict(base, count="x"), "count"),
    ):
        with pytest.raises(RegimeError, match=match):
            TuningView(model, resolution=5, slash_points=5, figure=False, ranges=bad)
    with pytest.raises(RegimeError, match="figure=False"):
        TuningView(model, resolution=5, slash_points=5, figure=False).png()


def test_redraw_image_repr_is_short():
    """The text/plain beside the image is one short line, not the PNG's bytes (a long one blocked
    notebook 02's widget cell under nbclient)."""
    from otr_theory.tuning import RedrawImage

    img = RedrawImage(data=b"\x89PNG" + bytes(70_000), width=1100, height=480)
    assert repr(img) == "RedrawImage(1100x480 PNG, 70,004 bytes)"
    assert img._repr_png_() is img.data
