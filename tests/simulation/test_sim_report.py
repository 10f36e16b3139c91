"""The report's simulation section: deterministic, JSON-able, the figure shows the data it claims."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.report.build import SECTIONS
from otr_theory.report.core import dumps_results
from otr_theory.report.sections import simulation as section
from otr_theory.simulation import simulate


@pytest.fixture(scope="module")
def record(model):
    from otr_theory.simulation.analysis import analyse

    return analyse(model)


@pytest.fixture(scope="module")
def built(model, record):
    return section.render(record, model)


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
        assert Fraction(led["slashed_usd"]["exact"]) == Fraction(led["paid_usd"]["exact"]) + Fraction(led["burned_usd"]["exact"])
        assert led["honest_prover_slashed_usd"]["exact"] == "0"


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


# ---------------------------------------------------------------------------------------------
# the records (issue 14)


def test_results_are_the_record(built, record):
    assert built.results == record.to_dict()
    from otr_theory.simulation.analysis import TABLE_KEYS

    assert [r["name"] for r in built.results["rows"]] == list(TABLE_KEYS)


def test_records_are_json_valid_tables_and_short(record):
    import json

    import jsonschema

    from otr_theory.records import schema_of
    from otr_theory.simulation.analysis import AnalyticRow, AttackAnalysis, AttackRow, EstimateRow, SimulationAnalysis, SimulationRun

    for cls, r in [
        (SimulationAnalysis, record),
        (SimulationRun, record.equilibrium),
        (EstimateRow, record.rows[0]),
        (AnalyticRow, record.analytic[0]),
        (AttackAnalysis, record.attack),
        (AttackRow, record.attack.strategies[0]),
    ]:
        doc = json.loads(dumps_results({"r": r.to_dict()}))["r"]
        jsonschema.validate(doc, schema_of(cls))
        html = r._repr_html_()
        assert "<table>" in html and "</table>" in html
        assert 2 <= len(repr(r).splitlines()) <= 15, cls.__name__


def test_record_frames(record):
    pd = pytest.importorskip("pandas")
    f = record.to_frame()
    assert isinstance(f, pd.DataFrame) and len(f) == len(record.rows)
    assert list(record.attack.to_frame()["closed_form_usd"]) == [r.closed_form_usd for r in record.attack.strategies]


def test_analytic_rows_check_the_simulation(model, record):
    """Every analytic value the section shows lies inside its 95% interval where the two should
    agree (the stationary h is compared with the windows actually drawn in a separate row)."""
    rows = {r.name: r for r in record.analytic}
    for name, r in rows.items():
        if name.startswith("h: prover can forge (analytic, stationary)"):
            continue
        assert r.inside, name
    cost = rows["cost per query, variant at_equilibrium_monitoring (USD)"]
    from otr_theory.calibration.costs import cost_per_query

    y = record.equilibrium.policy.monitoring_probability
    assert cost.analytic == cost_per_query(model, equilibrium_monitoring_rate=y).at_equilibrium_monitoring_usd == record.expected_cost_usd_per_query


def test_plot_data_of_the_record(record):
    from otr_theory.plotting.simulation import undetected_fraud_data

    d = undetected_fraud_data(record)
    q = np.asarray(record.adversary.series["queries"], dtype=float)
    expected = 1000.0 * np.asarray(record.adversary.series["undetected"]) / np.where(q > 0, q, 1)
    np.testing.assert_allclose(d["runs"][1]["per_thousand"], expected)
    assert len(d["windows_years"]) == len(record.windows_days)
    np.testing.assert_allclose(d["edges_years"] * 365.25, record.equilibrium.series["bin_edges_days"])
