"""The report's regimes section: content, determinism, and the plotted data."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.model import load_model
from otr_theory.payoffs import min_deterring_slash
from otr_theory.report.build import SECTIONS
from otr_theory.report.core import dumps_results
from otr_theory.report.sections import regimes

MODEL = load_model()


@pytest.fixture(scope="module")
def section():
    mp = pytest.MonkeyPatch()
    mp.setattr(regimes, "SENSITIVITY_SAMPLES", 8)  # keep the test quick; the report uses 256
    try:
        yield regimes.build(MODEL), regimes.build(MODEL)
    finally:
        mp.undo()


def test_section_is_registered_right_after_the_theorems():
    """Issue 9's reading order: the theorem table, then the regime maps."""
    names = [b.__module__.rsplit(".", 1)[-1] for b in SECTIONS]
    assert names.index("regimes") == names.index("theorems") + 1


def test_section_names_the_cheapest_point_its_margin_cost_and_certificate(section):
    s, _ = section
    assert s.key == "regimes"
    line = s.summary[0]
    assert "The cheapest secure point is S = $63,920,000, rho = 0.002122, W = 20.84 h" in line  # W = 75,010 s, just above W_min = 75,000 s and "certified by z3" in line
    r = s.results
    assert r["recommended"]["box_secure"] is True
    assert [c["status"] for c in r["certificates"]] == ["proved", "counterexample", "counterexample"]
    assert r["certificates"][0]["smtlib"].startswith("; otr-theory box certificate")
    assert r["model_point"]["point"]["one_query_margin_usd"] == pytest.approx(901.0)  # shown as what it is
    assert r["model_point"]["point"]["secure"] is False and "NOT secure over time" in s.summary[1]
    assert [x["status"] for x in r["robust_certificates"]] == ["not robust", "not robust", "insecure"]
    assert "not robust over the declared gain ranges" in s.summary[2]
    assert {f.name for f in s.figures} == {"regime_map", "regime_window_map", "regime_pareto", "regime_tornado"}


def test_section_results_are_deterministic(section):
    a, b = section
    assert dumps_results({"r": a.results}) == dumps_results({"r": b.results})
    assert a.markdown == b.markdown


def test_regime_map_plots_the_required_stake_over_time_and_the_one_query_slash():
    from otr_theory.payoffs.corruption import corruption_inputs, required_stake

    fig = regimes.regime_map_figure(MODEL, resolution=31)
    over, one = fig.axes[0].lines[0], fig.axes[0].lines[1]
    rho = np.asarray(over.get_xdata())
    hi = fig.axes[0].get_ylim()[1]
    want = np.clip([max(required_stake(corruption_inputs(MODEL, d, spot_check_rate=float(r))) for d in ("wrong_output", "model_downgrade", "skip_work")) for r in rho], 1.0, hi)
    assert np.allclose(over.get_ydata(), want)
    want_one = np.clip(np.asarray(min_deterring_slash(100.0, rho, "forfeit", margin_usd=1.0)), 1.0, hi)
    assert np.allclose(one.get_ydata(), want_one)


def test_window_map_plots_the_window_bound_and_the_proof_deadline():
    fig = regimes.window_map_figure(MODEL, resolution=21)
    assert fig.axes[0].lines[0].get_ydata()[0] == pytest.approx(75_000 / 3600)  # W_min = 40 x 1,800 + 1,800 + 100 x 12
    assert fig.axes[0].lines[1].get_ydata()[0] == pytest.approx(12.0)


def test_a_model_without_a_secure_point_still_builds(monkeypatch):
    monkeypatch.setattr(regimes, "SENSITIVITY_SAMPLES", 8)
    s = regimes.build(load_model("opml"))
    assert s.summary[0].startswith("No secure regime exists")
