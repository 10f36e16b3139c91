"""Report section `equilibria`: it renders the EquilibriaAnalysis record; results, determinism,
figure data."""

from __future__ import annotations

import numpy as np
import pytest

from otr_theory.games.analysis import analyse, illustrative_slashes
from otr_theory.plotting.equilibria import detection_vs_n_data, detection_vs_n_figure, fraud_vs_n_data, fraud_vs_n_figure
from otr_theory.report.core import dumps_results
from otr_theory.report.sections.equilibria import build, render


@pytest.fixture(scope="module")
def record(model):
    return analyse(model)


@pytest.fixture(scope="module")
def section(model, record):
    return render(record, model)


def test_results_json_and_deterministic(model, section):
    text = dumps_results({"equilibria": section.results})
    assert text == dumps_results({"equilibria": build(model).results})
    r = section.results
    assert r["loss_convention"] == model.loss_convention
    assert r["solver_agrees_with_closed_form"] is True
    assert {(g["deviation"], g["convention"]) for g in r["inspection_games"]} == {(d, c) for d in ("wrong_output", "model_downgrade", "skip_work") for c in ("forfeit", "keep")}


def test_default_model_numbers(section):
    d = section.results["dispute"]
    assert d["rounds"] == 40 and d["fits_window"] is True
    assert d["worst_case_duration_s"] == 75_000.0 and d["tree_matches_compact"] is True
    # at the default slash the spot-checks alone deter: (honest, idle), detection = rho
    wo = next(g for g in section.results["inspection_games"] if (g["deviation"], g["convention"]) == ("wrong_output", "forfeit"))
    assert wo["kind"] == "pure" and wo["fraud_rate"] == 0 and wo["detection_probability"] == pytest.approx(0.01)
    assert wo["regret_usd"] == {"value": 0.0, "exact": "0"}
    full = section.results["full_game"]
    assert full and all(v["agrees"] for v in full) and section.results["full_game_agrees"] is True


def test_markdown_and_summary(section):
    assert "(in force)" in section.markdown and "loss-to-gas ratio" in section.markdown
    assert len(section.summary) == 2 and "40 rounds" in section.summary[1]


def test_figures_plot_the_sweeps(model, record):
    fig = detection_vs_n_figure(record, spot_check_rate=model.value("spot_check_rate"))
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]
    assert len(lines) == len(illustrative_slashes(model)) == len(detection_vs_n_data(record))
    for ln in lines:
        x = np.asarray(ln.get_xdata())
        assert x[0] == 1 and x[-1] == 10_000
    # the model's slash deters: detection is rho at every n
    model_line = lines[0]
    assert np.allclose(model_line.get_ydata(), model.value("spot_check_rate"))
    fig2 = fraud_vs_n_figure(record)
    rising = [ln for ln in fig2.axes[0].get_lines() if "fraud" in ln.get_label()]
    assert rising and all(np.all(np.diff(ln.get_ydata()) >= 0) for ln in rising)
    assert len(fig2.axes[0].get_lines()) == len(fraud_vs_n_data(record))


def test_mixed_regime_model(model):
    sec = build(model.with_values(slash_usd=1000.0))
    wo = next(g for g in sec.results["inspection_games"] if g["deviation"] == "wrong_output" and g["in_force"])
    assert wo["kind"] == "mixed" and wo["fraud_rate"] == pytest.approx(model.value("check_cost_usd_per_query") / (model.value("challenger_reward_share") * 1000.0))  # c/(aS)
    assert wo["regret_usd"]["value"] == 0.0  # the closed form is an exact equilibrium of the exact game
