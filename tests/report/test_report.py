"""The report: numbers computed from the model, figures plotting them, stable rendering."""

from __future__ import annotations

import json

import numpy as np
import pytest

from otr_theory.payoffs import min_deterring_slash
from otr_theory.report.build import (
    results_of,
)
from otr_theory.report.core import dumps_results, fmt, jsonable, md_table
from otr_theory.report.sections import deterrence


@pytest.fixture(scope="module")
def sections(report_sections):
    return report_sections


def test_deterrence_numbers_follow_the_model(model, sections):
    det = next(s for s in sections if s.key == "deterrence").results
    g, rho, S, m = (model.value(k) for k in ("external_gain_usd", "spot_check_rate", "slash_usd", "incentive_margin_usd"))
    s_star = (g * (1 - rho) + m) / rho  # forfeit with margin m
    assert det["detection_probability"] == pytest.approx(rho)
    assert det["min_deterring_slash_usd"] == pytest.approx(s_star)
    assert det["deterred"] == (S >= s_star)


def test_deterrence_changes_with_the_model(model):
    weak = model.with_values(slash_usd=1000.0)
    det = deterrence.build(weak).results
    assert det["deterred"] is False
    assert "does NOT deter" in deterrence.build(weak).summary[0]


def test_deterrence_counts_spot_checks_only_when_they_bite(model):
    predictable = model.with_protocol(randomness_after_commit=False)
    det = deterrence.build(predictable).results
    assert det["detection_probability"] == 0.0
    assert det["min_deterring_slash_usd"] == "inf" and det["deterred"] is False  # inf under the JSON rule (otr_theory.jsonio)


def test_keep_convention_is_in_force_when_chosen(model):
    import dataclasses

    keep = dataclasses.replace(model, loss_convention="keep")
    det = deterrence.build(keep).results
    g, rho, m = (model.value(k) for k in ("external_gain_usd", "spot_check_rate", "incentive_margin_usd"))
    assert det["min_deterring_slash_usd"] == pytest.approx((g + m) / rho)
    assert "Becker" in deterrence.build(keep).markdown


def test_figure_plots_the_closed_form(model):
    fig = deterrence.slash_vs_rho_figure(model)
    ax = fig.axes[0]
    g, m = model.value("external_gain_usd"), model.value("incentive_margin_usd")
    for conv in ("forfeit", "keep"):
        line = next(ln for ln in ax.get_lines() if ln.get_label().startswith(conv))
        x, y = line.get_data()
        np.testing.assert_allclose(y, min_deterring_slash(g, x, conv, margin_usd=m))
    # the rho axis stops at 0.5: the forfeit curve stays within a readable range, never near 0
    assert x.max() == pytest.approx(0.5) and x.min() == pytest.approx(1e-4)
    forfeit = next(ln for ln in ax.get_lines() if ln.get_label().startswith("forfeit")).get_ydata()
    assert forfeit.min() >= g and np.isfinite(forfeit).all()
    assert "$" not in ax.get_title()  # a pair of dollar signs would switch mathtext on


def test_parameter_table_lists_every_field_with_source(model, sections):
    params = next(s for s in sections if s.key == "parameters")
    by_field = {r["field"]: r for r in params.results["rows"]}
    for spec, q, _src in model.iter_fields():
        assert f"`{spec.dotted}`" in params.markdown
        assert by_field[spec.dotted]["source"] == q.source


def test_markdown_and_html_render(model, sections, rendered_report):
    md, html = rendered_report["md"], rendered_report["html"]  # render_markdown/render_html, written once per session
    assert md.startswith("# otr-theory report")
    assert "## Summary" in md
    assert "<svg" in html and "http://" not in html.split("<svg", 1)[0].replace("http://www.w3.org", "")
    # self-contained: no external script, stylesheet or image
    assert "<script src" not in html and "<link" not in html and "<img" not in html
    # results.json round-trips
    doc = json.loads(dumps_results(results_of(model, sections)))
    assert doc["model"]["name"] == model.name


def test_helpers():
    assert fmt(float("inf")) == "∞"
    assert md_table(["a"], [["x|y"]]).endswith("| x\\|y |")
    with pytest.raises(TypeError):
        jsonable(object())


def test_attachments_are_written_beside_the_report(model, tmp_path, monkeypatch):
    """A section's attachments land in their own folder; an unsafe path is refused."""
    from otr_theory.report import build
    from otr_theory.report.core import Section

    def attach(m):
        return Section("extra", "Extra", "text", {}, attachments=(("certificates/a.smt2", "(check-sat)\n"),))

    monkeypatch.setattr(build, "SECTIONS", (attach,))
    written = build.write_report(model, tmp_path / "r")
    assert (tmp_path / "r" / "certificates" / "a.smt2").read_text() == "(check-sat)\n"
    assert "certificates" in written

    def escape(m):
        return Section("bad", "Bad", "", {}, attachments=(("../evil.txt", "x"),))

    monkeypatch.setattr(build, "SECTIONS", (escape,))
    with pytest.raises(ValueError, match="attachment"):
        build.write_report(model, tmp_path / "s")
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "s").exists()
