"""The incentives section: it renders the IncentivesAnalysis record (its numbers are the record's,
which come from otr_theory.payoffs), its formulas render, its figure plots the equilibrium, and it
builds for every shipped model."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from otr_theory.model import load_model, model_paths
from otr_theory.payoffs import DEVIATIONS, incentive_conditions, latex_conditions, n_challenger_equilibrium
from otr_theory.payoffs.analysis import analyse
from otr_theory.plotting.incentives import rates_vs_slash_data, rates_vs_slash_figure
from otr_theory.report.core import dumps_results, math_svg
from otr_theory.report.sections import incentives


@pytest.fixture(scope="module")
def record(model):
    return analyse(model)


@pytest.fixture(scope="module")
def section(model, record):
    return incentives.render(record, model)


def test_numbers_follow_the_model(model, section):
    r = section.results
    assert r["loss_convention"] == model.loss_convention
    g, rho, m = (model.value(k) for k in ("external_gain_usd", "spot_check_rate", "incentive_margin_usd"))
    wo = next(d for d in r["deviations"] if d["deviation"] == "wrong_output")
    assert wo["min_slash_usd"] == pytest.approx(((1 - rho) * g + m) / rho)
    assert wo["deterred"] and wo["slack_usd"] == pytest.approx(rho * model.value("slash_usd") - (1 - rho) * g - m)
    assert r["break_even_slash_usd"] == pytest.approx((1 - rho) * g / rho)
    eq = next(e for e in r["equilibria"] if (e["deviation"], e["scope"], e["challengers"]) == ("wrong_output", "compromised", 1))
    assert (eq["fraud_rate"], eq["monitoring_rate"], eq["kind"]) == (0.0, 0.0, "pure")
    ep = r["epoch"]
    fee = model.value("fee_usd_per_query")
    assert ep["honest_profit_usd"] == pytest.approx(ep["queries"] * (fee - ep["honest_cost_usd_per_query"]) - ep["capital_cost_usd"])
    assert (ep["honest_profit_usd"] > 0) == (fee > ep["break_even_fee_usd_per_query"])
    assert len(section.summary) >= 3 and "verifier's dilemma" in section.summary[1]


def test_the_section_shows_the_records_numbers(record, section):
    """What the prose says is the record's value, formatted: the three minimum slashes and the jackpot."""
    md = section.markdown
    wo = record.deviation("wrong_output")
    for x in (wo.min_slash_usd, wo.break_even_slash_usd, wo.over_time_slash_usd, record.participation.jackpot_needed_usd, record.epoch.break_even_fee_usd_per_query):
        assert incentives.usd(x) in md
    assert f"{record.epoch.queries:,} queries per window" in md


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
    wo = sec.results["deviations"][0]
    assert wo["deviation"] == "wrong_output" and wo["min_slash_usd"] == pytest.approx((g + m) / rho)
    # with the gain kept and one slash per window, cheating on every query pays
    assert wo["epoch_deterred"] is False
    assert any("slashed at most once" in line for line in sec.summary)


def test_a_weak_slash_shows_a_mixed_equilibrium(model):
    weak = model.with_values(slash_usd=1_000.0)
    rec = analyse(weak)
    sec = incentives.render(rec, weak)
    n = int(model.value("count"))
    eq = rec.equilibrium("wrong_output", "compromised", n)
    direct = n_challenger_equilibrium(weak, n)
    assert eq.kind == "mixed" and eq.fraud_rate == float(direct.fraud_rate)
    assert eq.regret_usd < 1e-9 * 1_000.0
    assert not rec.deviation("wrong_output").deterred and rec.one_query_deterred is False and rec.secure_spot_checks_only is False
    assert "NOT deterred" in sec.summary[0]


def test_figure_plots_the_equilibrium(model, record):
    fig = rates_vs_slash_figure(record)
    ax = fig.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "fraud rate x, 1 challenger")
    s, x = (np.asarray(v, dtype=float) for v in line.get_data())
    ok = np.isfinite(x)
    a, c = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query")
    np.testing.assert_allclose(x[ok], c / (a * s[ok]), rtol=1e-12)  # x* = c/(aS) (Avenhaus et al.)
    boundary = record.break_even_slash_usd
    assert (s[ok] < boundary).all() and (~ok[s > boundary]).all()  # no fraud once spot-checks deter
    data = rates_vs_slash_data(record)
    drawn = {ln.get_label(): ln for ln in ax.get_lines()}
    for label, (_xs, ys) in data["lines"].items():
        np.testing.assert_array_equal(np.asarray(drawn[label].get_ydata(), dtype=float), ys)
    assert any(label.startswith("spot-checks alone deter above 9,900 USD") for label in data["marks"])


@pytest.mark.parametrize("name", sorted(model_paths()))
def test_builds_for_every_shipped_model(name):
    m = load_model(name)
    sec = incentives.build(m)
    text = dumps_results({"incentives": sec.results})
    assert "NaN" not in text
    ic = incentive_conditions(m, m.loss_convention)
    assert [d["deterred"] for d in sec.results["deviations"]] == [ic[d].deterred for d in DEVIATIONS]
    assert math.isfinite(sec.results["compromise_probability"])


def test_results_are_deterministic(model):
    a = dumps_results({"x": incentives.build(model).results})
    b = dumps_results({"x": incentives.build(model).results})
    assert a == b
