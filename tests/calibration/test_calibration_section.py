"""The calibration report section: traceable numbers, deterministic results, figures plot the data."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from otr_theory.calibration.analysis import analyse
from otr_theory.calibration.costs import query_cost, query_latency
from otr_theory.calibration.data import TABLES, h100_throughput, load_table
from otr_theory.plotting import calibration as P
from otr_theory.report.build import SECTIONS
from otr_theory.report.core import dumps_results, math_svg
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


# ---------------------------------------------------------------------------------------------
# the records (issue 14)


def _records(record):
    from otr_theory.calibration.analysis import CalibrationAnalysis, DataTable, FitPredictions, GasAtPrices, QueryAnalysis
    from otr_theory.calibration.costs import CostPerQuery, QueryCost, QueryLatency
    from otr_theory.calibration.gas import CapitalCost, GasItem

    return [
        (CapitalCost, record.capital),
        (GasItem, record.gas[0].items[0]),
        (CalibrationAnalysis, record),
        (QueryAnalysis, record.query),
        (QueryCost, record.query.cost),
        (QueryLatency, record.query.latency),
        (CostPerQuery, record.query.variants),
        (FitPredictions, record.predictions),
        (GasAtPrices, record.gas[0]),
        (DataTable, record.data[0]),
    ]


def test_records_are_json_valid_tables_and_short(record):
    import jsonschema

    from otr_theory.records import schema_of

    for cls, r in _records(record):
        doc = json.loads(dumps_results({"r": r.to_dict()}))["r"]
        jsonschema.validate(doc, schema_of(cls))
        html = r._repr_html_()
        assert html.startswith("<div class='otr-record'>") and "<table>" in html and "</table>" in html
        assert 2 <= len(repr(r).splitlines()) <= 15, cls.__name__


def test_record_holds_what_the_functions_give(model, record):
    """The record is the functions' answers, not a second computation of them."""
    from otr_theory.calibration.costs import cost_per_query, throughput
    from otr_theory.calibration.gas import capital_cost

    assert record.query.cost == query_cost(model) and record.query.latency == query_latency(model)
    assert record.cost_usd_per_query == record.query.cost.total_usd == record.query.variants.every_query_reexecuted_usd
    assert record.query.variants == cost_per_query(model, equilibrium_monitoring_rate=record.query.variants.equilibrium_monitoring_rate)
    assert record.query.throughput_qps == throughput(model) and record.capital == capital_cost(model)
    assert {t.name for t in record.data} == set(TABLES) | {"h100-llama-shaped-throughput"}
    assert sum(len(t.rows) for t in record.data if t.name in TABLES) == sum(len(load_table(n)) for n in TABLES)


def test_record_frames(record):
    pd = pytest.importorskip("pandas")
    f = record.to_frame()
    assert isinstance(f, pd.DataFrame) and list(f["scheme"]) == [r.scheme for r in record.trilemma]
    g = record.gas[0].to_frame()
    assert list(g["action"]) == [it.action for it in record.gas[0].items]
    assert len(record.query.variants.to_frame()) == 1


def test_plot_data_is_the_record(record):
    d = P.trilemma_data(record)
    assert [x["cost_usd"] for x in d] == [r.cost_usd for r in record.trilemma]
    assert all(min(x["cost_bar"]) >= 0 and min(x["provisional_bar"]) >= 0 for x in d)
    u = P.uncertainty_data(record)
    for key, _ in P.UNCERTAINTY_OUTPUTS:
        assert [b["med"] for b in u[key]] == [p.distributions[key].quantiles["q50"] for p in record.uncertainty]
        assert all(b["whislo"] <= b["q1"] <= b["med"] <= b["q3"] <= b["whishi"] for b in u[key])
    # the figure draws the data: one box per scheme on each axis
    fig = P.uncertainty_figure(record)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [p.scheme for p in record.uncertainty]


def test_h100_fit_data_is_the_fit_and_the_rows():
    from otr_theory.calibration.data import h100_throughput
    from otr_theory.calibration.fits import h100_decode_tokens_per_s

    data = P.h100_fit_data()
    assert data
    measured = sum(len(d["batch"]) for d in data)
    assert measured == sum(1 for r in h100_throughput() if r["phase"] == "decode" and r["context_tokens"] in (256.0, 1024.0, 4096.0))
    pb = {r["model_shape"]: r["params_billion"] for r in h100_throughput()}
    for d in data:
        np.testing.assert_allclose(d["fit_tokens_per_s"], h100_decode_tokens_per_s(pb[d["shape"]], d["fit_batch"], d["context"]))
    fig = P.h100_fit_figure()
    assert len(fig.axes[0].get_lines()) == 2 * len(data)


def test_figures_accept_an_axes(record):
    from otr_theory.plotting import new_figure

    for f in (P.trilemma_figure, P.zk_fit_figure, P.h100_fit_figure):
        fig, ax = new_figure()
        assert f(record, ax=ax) is fig
