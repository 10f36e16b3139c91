"""The calibration report section: traceable numbers, deterministic results, figures plot the data."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from otr_theory.calibration.costs import query_cost, query_latency
from otr_theory.calibration.data import TABLES, h100_throughput, load_table
from otr_theory.report.build import SECTIONS
from otr_theory.report.core import dumps_results, math_svg
from otr_theory.calibration.analysis import analyse
from otr_theory.plotting import calibration as P
from otr_theory.report.sections import calibration as C


@pytest.fixture(scope="module")
def record(model):
    return analyse(model)


@pytest.fixture(scope="module")
def section(model, record):
    return C.render(record, model)


def test_registered():
    assert C.build in SECTIONS


def test_results_are_the_record(section, record):
    assert section.results == record.to_dict()


def test_results_deterministic_and_jsonable(model, section):
    a = dumps_results({"calibration": section.results})
    b = dumps_results({"calibration": C.build(model).results})  # build = render(analyse(model))
    assert a == b
    doc = json.loads(a)["calibration"]
    assert doc["query"]["cost"]["total_usd"] == pytest.approx(query_cost(model).total_usd)
    assert doc["query"]["latency"]["final_s"] == pytest.approx(query_latency(model).final_s)
    assert {r["scheme"] for r in doc["trilemma"]} == {"centralized", "otr", "zkml", "opml", "poq"}
    assert {c["key"] for c in doc["claims"]} >= {"throughput", "cost", "latency"}
    assert "ZK proving time (power)" in doc["fits"]


def test_every_data_row_is_shown_with_its_source(section):
    md = section.markdown
    for name in TABLES:
        assert f"`{name}`" in md
        for r in load_table(name):
            assert f"| {r.id} |" in md
            if r["source_url"]:
                assert r["source_url"] in md
    for r in h100_throughput():
        assert r.id in md


def test_math_renders(section):
    for block in re.findall(r"```math\n(.*?)```", section.markdown, flags=re.S):
        for line in filter(str.strip, block.split("\n")):
            assert math_svg(line.strip()) is not None, line


def test_trilemma_figure_plots_the_rows(section, record):
    rows = record.trilemma
    assert [r["cost_usd"] for r in section.results["trilemma"]] == [r.cost_usd for r in rows]
    fig = next(f.figure for f in section.figures if f.name == "calibration_trilemma")
    ax = fig.axes[0]
    pts = {(round(float(l.get_xdata()[0]), 9), round(float(l.get_ydata()[0]), 12)) for l in ax.get_lines() if len(l.get_xdata()) == 1}
    for r in rows:
        assert (round(r.provisional_s, 9), round(r.cost_usd, 12)) in pts
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_zk_figure_plots_the_fit():
    from otr_theory.calibration.fits import zk_proving_fits

    fig = P.zk_fit_figure()
    line = next(l for l in fig.axes[0].get_lines() if l.get_label().startswith("power"))
    x, y = line.get_data()
    np.testing.assert_allclose(y, zk_proving_fits()["power"].predict(params_billion=np.asarray(x) / 1e9))


def test_summary_lines(section):
    assert len(section.summary) == 3
    assert all(isinstance(s, str) and s for s in section.summary)
    assert "over the declared uncertainty" in section.summary[1]
    for verdict in ("holds", "fails", "indeterminate"):
        assert verdict in section.summary[1]  # the four claims of the summary span all three verdicts


def test_claims_table_gives_probabilities_and_the_detection_lag(model, section, record):
    md = section.markdown
    assert "| key | claim | stated | ours (model values) | at the model's values | P(holds) | over the uncertainty | decided by (S1) |" in md
    claims = {c.key: c for c in record.claims}
    for c in claims.values():
        assert f"| {c.key} |" in md and f"**{c.uncertainty.verdict}**" in md
    assert "`proof_cost_usd`" in md and "indeterminate" in md
    assert "unslashed" in md and "`zk.proof_deadline_s`" in md


def test_defaults_table_prints_each_override_reason(model, section, record):
    from otr_theory.calibration.defaults import OVERRIDE_MARK

    md = section.markdown
    for c in record.defaults:
        assert f"| `{c.field}` |" in md
        if c.status == "overrides the fit":
            assert c.note.split(OVERRIDE_MARK, 1)[1].strip() in md
    assert {c["status"] for c in section.results["defaults"]} == {"follows the fit", "overrides the fit"}
