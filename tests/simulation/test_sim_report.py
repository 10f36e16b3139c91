"""The report's simulation section: deterministic, JSON-able, the figure shows the data it claims."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.report.build import SECTIONS
from otr_theory.report.core import dumps_results
from otr_theory.report.sections import simulation as section
from otr_theory.simulation import simulate


@pytest.fixture(scope="module")
def built(model):
    return section.build(model)


def test_section_is_registered():
    assert section.build in SECTIONS


def test_section_results_are_deterministic_and_jsonable(model, built):
    again = section.build(model)
    assert dumps_results({"s": built.results}) == dumps_results({"s": again.results})
    assert built.markdown == again.markdown and built.summary == again.summary
    r = built.results
    assert r["seed"] == section.SEED and r["queries"] == section.QUERIES
    assert {c["key"] for c in r["claims"]} == {"throughput", "cost", "safety"}


def test_section_tables_and_summary(built):
    md = built.markdown
    assert "| claim | paper | simulated [95%] | holds here | holds when | fails when |" in md
    assert "```math" in md and "Analytic equilibrium against the simulation" in md
    assert len(built.summary) == 3 and all(line.strip() for line in built.summary)


def test_section_shows_the_attack_beside_the_closed_forms(model, built):
    """Issue 12: each strategy's simulated profit beside its closed form, inside its interval."""
    md = built.markdown
    assert "| strategy | simulated profit (USD) [95%] | closed form (USD) | inside | caught | largest slash (USD) |" in md
    att = built.results["attack"]
    assert len(att["strategies"]) == 4
    for row in att["strategies"]:  # within the 99% interval (four 95% intervals miss one in five runs)
        e = row["profit_usd"]
        se = (e["high"] - e["value"]) / 1.959963984540054
        assert abs(e["value"] - row["closed_form_usd"]) <= 2.5758 * se + 1e-9 * abs(row["closed_form_usd"]), row["strategy"]
        assert row["slashed_usd_max"] <= model.value("stake_usd")
    assert not att["deterred"] and att["best_profit_usd"] > 1e7 and att["required_slash_usd"] > model.value("slash_usd")
    assert "**not deterred**" in built.summary[2]


def test_section_ledger_conserves_value(built):
    from fractions import Fraction

    for run in ("equilibrium", "adversary"):
        led = built.results[run]["ledger"]
        exact = {k: Fraction(v["exact"]) for k, v in led.items() if isinstance(v, dict) and "exact" in v}
        assert exact["slashed_usd"] == exact["paid_usd"] + exact["burned_usd"]
        assert exact["honest_prover_slashed_usd"] == 0
        assert all(v["value"] == float(exact[k]) for k, v in led.items() if k in exact)


def test_adversary_undetected_rate_is_h_times_one_minus_p(model, built):
    """Independent route: h (realized windows) x (1 - p) with p = 1 - (1 - rho)(1 - q)."""
    k = built.results["constants"]
    adv = built.results["adversary"]["estimates"]["undetected_fraud_rate"]
    y = built.results["adversary"]["policy"]["monitoring_probability"]
    p = 1 - (1 - model.value("spot_check_rate")) * (1 - y) ** int(model.value("count"))
    h = k["compromised_fraction"] * k["window_coverage_realized"]
    assert adv["low"] <= h * (1 - p) <= adv["high"]


def test_figure_plots_undetected_per_thousand_and_the_windows(model):
    eq = simulate(model, queries=20_000, seed=1)
    adv = simulate(model, queries=20_000, seed=1, policy=section.adversary_policy(model))
    fig = section.undetected_fraud_figure(eq, adversary=adv)
    ax = fig.axes[0]
    steps = [p for p in ax.patches if type(p).__name__ == "StepPatch"]
    assert len(steps) == 2
    q = np.asarray(adv.series["queries"], dtype=float)
    expected = 1000.0 * np.asarray(adv.series["undetected"]) / np.where(q > 0, q, 1)
    np.testing.assert_allclose(steps[1].get_data().values, expected)
    np.testing.assert_allclose(steps[0].get_data().values, 0.0)
    spans = [p for p in ax.patches if type(p).__name__ == "Rectangle" or type(p).__name__ == "Polygon"]
    assert len(spans) == len(eq.windows_days)
    assert ax.get_xlabel() == "time (years)"


def test_figure_accepts_an_axes(model):
    from otr_theory.report.core import new_figure

    fig, ax = new_figure()
    out = section.undetected_fraud_figure(simulate(model, queries=1_000, seed=2), ax=ax)
    assert out is fig
