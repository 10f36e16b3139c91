"""The incentives section: its numbers come from otr_theory.payoffs, its formulas render, its
figure plots the equilibrium, and it builds for every shipped model."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from otr_theory.model import load_model, model_paths
from otr_theory.payoffs import DEVIATIONS, incentive_conditions, latex_conditions, n_challenger_equilibrium
from otr_theory.report.core import dumps_results, math_svg
from otr_theory.report.sections import incentives


@pytest.fixture(scope="module")
def section(model):
    return incentives.build(model)


def test_numbers_follow_the_model(model, section):
    r = section.results
    assert r["loss_convention"] == model.loss_convention
    g, rho, m = (model.value(k) for k in ("external_gain_usd", "spot_check_rate", "incentive_margin_usd"))
    wo = r["deviations"]["wrong_output"]
    assert wo.min_slash_usd == pytest.approx(((1 - rho) * g + m) / rho)
    assert wo.deterred and wo.slack_usd == pytest.approx(rho * model.value("slash_usd") - (1 - rho) * g - m)
    assert r["spot_checks_deter_above_slash_usd"] == pytest.approx((1 - rho) * g / rho)
    eq = r["equilibrium_one_challenger"]["wrong_output"]
    assert (eq.fraud_rate, eq.monitoring_rate, eq.kind) == (0.0, 0.0, "pure")
    ep = r["epoch"]
    fee = model.value("fee_usd_per_query")
    assert ep["honest_profit_usd"] == pytest.approx(ep["queries"] * (fee - ep["honest_cost_usd_per_query"]) - ep["capital_cost_usd"])
    assert (ep["honest_profit_usd"] > 0) == (fee > ep["break_even_fee_usd_per_query"])
    assert len(section.summary) >= 3 and "verifier's dilemma" in section.summary[1]


def test_every_condition_is_shown_in_math_that_renders(model, section):
    fences = section.markdown.split("```math\n")[1:]
    shown = [f.split("\n```", 1)[0] for f in fences]
    tex = latex_conditions(model.loss_convention)
    for name in ("min_slash", "min_spot_check_rate", "monitoring_rate", "truebit", "epoch_profit", *(f"ic_{d}" for d in DEVIATIONS)):
        assert tex[name] in shown
    for line in shown:
        assert "\n" not in line and math_svg(line) is not None


def test_keep_convention_is_said_and_used(model):
    keep = dataclasses.replace(model, loss_convention="keep")
    sec = incentives.build(keep)
    assert "**keep**" in sec.markdown and "Becker" in sec.markdown
    g, rho, m = (model.value(k) for k in ("external_gain_usd", "spot_check_rate", "incentive_margin_usd"))
    assert sec.results["deviations"]["wrong_output"].min_slash_usd == pytest.approx((g + m) / rho)
    # with the gain kept and one slash per window, cheating on every query pays
    assert sec.results["deviations"]["wrong_output"].epoch_deterred is False
    assert any("slashed at most once" in line for line in sec.summary)


def test_a_weak_slash_shows_a_mixed_equilibrium(model):
    weak = model.with_values(slash_usd=1_000.0)
    sec = incentives.build(weak)
    n = int(model.value("count"))
    eq = sec.results["equilibrium_n_challengers"]["wrong_output"]
    direct = n_challenger_equilibrium(weak, n)
    assert eq.kind == "mixed" and float(eq.fraud_rate) == float(direct.fraud_rate)
    assert not sec.results["deviations"]["wrong_output"].deterred
    assert "NOT deterred" in sec.summary[0]


def test_figure_plots_the_equilibrium(model):
    fig = incentives.rates_vs_slash_figure(model)
    ax = fig.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "fraud rate x, 1 challenger")
    s, x = (np.asarray(v, dtype=float) for v in line.get_data())
    ok = np.isfinite(x)
    a, c = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query")
    np.testing.assert_allclose(x[ok], c / (a * s[ok]), rtol=1e-12)  # x* = c/(aS) (Avenhaus et al.)
    boundary = incentives.spot_check_deterrence_slash(model)
    assert (s[ok] < boundary).all() and (~ok[s > boundary]).all()  # no fraud once spot-checks deter


@pytest.mark.parametrize("name", sorted(model_paths()))
def test_builds_for_every_shipped_model(name):
    m = load_model(name)
    sec = incentives.build(m)
    text = dumps_results({"incentives": sec.results})
    assert "NaN" not in text
    ic = incentive_conditions(m, m.loss_convention)
    assert [sec.results["deviations"][d].deterred for d in DEVIATIONS] == [ic[d].deterred for d in DEVIATIONS]
    assert math.isfinite(sec.results["compromise_probability"])


def test_results_are_deterministic(model):
    a = dumps_results({"x": incentives.build(model).results})
    b = dumps_results({"x": incentives.build(model).results})
    assert a == b
