"""The regime records (issue 14): JSON, schema, HTML, repr, frame; the deterrence record and the
figure data of plotting.regimes against the closed forms; the submodules are modules."""

from __future__ import annotations

import importlib
import types

import jsonschema
import numpy as np
import pytest

import otr_theory.regimes as regimes_pkg
from otr_theory.jsonio import dumps
from otr_theory.model import load_model
from otr_theory.payoffs.corruption import Assessment, assess
from otr_theory.plotting.regimes import (
    pareto_data,
    regime_map_data,
    slash_vs_rho_data,
    slash_vs_rho_figure,
    window_map_data,
)
from otr_theory.records import schema_of
from otr_theory.regimes import RegimeAnalysis, analyse
from otr_theory.regimes.deterrence import DeterrenceAnalysis
from otr_theory.regimes.deterrence import analyse as deterrence

MODEL = load_model()


@pytest.fixture(scope="module")
def analysis():
    return analyse(MODEL)


def _check_record(rec, cls):
    doc = rec.to_dict()
    dumps(doc)
    jsonschema.validate(doc, schema_of(cls))
    html = rec._repr_html_()
    assert html.startswith("<div class='otr-record'>") and "<table>" in html
    assert 2 <= len(repr(rec).splitlines()) <= 15
    return doc


def test_regime_analysis_record(analysis):
    doc = _check_record(analysis, RegimeAnalysis)
    # the keys report/summary.py reads are where they were
    assert {"model_point", "cheapest", "recommended", "certificates", "assessment", "variants", "largest_secure_gains"} <= set(doc)
    assert doc["model_point"]["point"]["secure"] is False and doc["recommended"]["point"]["secure"] is True
    assert "elapsed_s" not in doc["certificates"][0]  # wall time stays out: results are deterministic
    assert len(doc["pareto_front"]) == doc["sweep"]["pareto_points"] == len(analysis.pareto_front)
    assert all("smtlib" not in c for c in analysis.to_dict(include_smtlib=False)["certificates"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dict(doc, min_window_s="long"), schema_of(RegimeAnalysis))
    assert set(analysis.attachments()) == {f"certificates/{c.filename()}" for c in [*analysis.certificates, *(r.robust for r in analysis.robust)]}


def test_regime_analysis_frame_is_the_pareto_front(analysis):
    pytest.importorskip("pandas")
    frame = analysis.to_frame()
    assert len(frame) == len(analysis.pareto_front) and list(frame.columns)[:3] == ["flat_index", "slash_usd", "spot_check_rate"]
    assert (np.diff(frame["cost_usd"].to_numpy()) >= 0).all()  # sorted by cost


def test_assessment_record_is_the_independent_optimum():
    a = assess(MODEL)
    doc = _check_record(a, Assessment)
    assert a.attack.payoff_usd == pytest.approx(a.brute_force.payoff_usd, rel=1e-3)  # closed form against brute force
    assert doc["secure"] is False


def test_deterrence_record_against_the_closed_forms():
    d = deterrence(MODEL)
    _check_record(d, DeterrenceAnalysis)
    g, rho, m = (MODEL.value(k) for k in ("external_gain_usd", "spot_check_rate", "incentive_margin_usd"))
    assert d.min_deterring_slash_usd == pytest.approx(((1 - rho) * g + m) / rho)  # forfeit, in force
    assert d.min_deterring_slash_other_convention_usd == pytest.approx((g + m) / rho)
    assert d.required_stake_over_time_usd == assess(MODEL).required_stake_usd
    c = d.curve
    rhos = np.asarray(c.rho)
    np.testing.assert_allclose(c.keep_usd, (g + m) / rhos)
    np.testing.assert_allclose(c.forfeit_usd, ((1 - rhos) * g + m) / rhos)


def test_slash_vs_rho_figure_draws_its_data():
    d = slash_vs_rho_data(deterrence(MODEL).curve)
    fig = slash_vs_rho_figure(deterrence(MODEL).curve)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    for label, ys in d["lines"]:
        np.testing.assert_allclose(lines[label].get_ydata(), ys)
    assert d["configured_rho"] == 0.01 and "$" not in d["title"]


def test_map_data_against_the_per_point_reference():
    """The vectorised region (the maps' shading) against evaluate_point at a few pixels."""
    from otr_theory.regimes import evaluate_point

    d = regime_map_data(MODEL, resolution=9)
    for i, j in ((0, 0), (4, 4), (8, 8), (8, 2)):
        ref = evaluate_point(MODEL, slash_usd=float(d["slash_usd"][i]), spot_check_rate=float(d["rho"][j]), window_s=d["window_s"], count=d["count"])
        assert (d["code"][i, j] == 2) == ref.secure
    w = window_map_data(MODEL, slash_usd=1e8, resolution=9)
    assert w["min_window_s"] == 75_000.0 and w["proof_window_s"] == 43_200.0
    assert (w["code"][w["window_s"] <= 75_000.0] == 0).all()  # below W_min nothing is secure


def test_pareto_data_is_the_front(analysis):
    d = pareto_data(analysis.pareto_front)
    assert d["cost_usd"].tolist() == [p.cost_usd for p in analysis.pareto_front]


def test_submodules_are_modules_not_functions():
    """The naming trap of issue 14: ``import otr_theory.regimes.sweep as m`` gives the module."""
    import otr_theory.regimes.sensitivity as sens
    import otr_theory.regimes.sweep as sw

    assert sw is importlib.import_module("otr_theory.regimes.sweep") and callable(sw.run_sweep)
    assert sens is importlib.import_module("otr_theory.regimes.sensitivity") and callable(sens.run_sensitivity)
    for name in ("analysis", "certify", "deterrence", "diff", "optimise", "pareto", "region", "sensitivity", "sweep"):
        importlib.import_module(f"otr_theory.regimes.{name}")
        assert isinstance(getattr(regimes_pkg, name), types.ModuleType), name
    assert regimes_pkg.run_sweep is sw.run_sweep and regimes_pkg.run_sensitivity is sens.run_sensitivity


def test_the_sensitivity_module_is_not_callable():
    """The transitional callable module is gone (the notebooks call run_sensitivity)."""
    from otr_theory.regimes import sensitivity

    assert not callable(sensitivity) and isinstance(sensitivity, types.ModuleType)
