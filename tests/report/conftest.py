"""The report of the default model, built once per test session (a full build takes ~16 s)."""

from __future__ import annotations

import pytest

from otr_theory.report.build import build_sections, render_html, render_markdown


@pytest.fixture(scope="session")
def report_sections(model):
    """Every section of the default model's report."""
    return build_sections(model)


@pytest.fixture(scope="session")
def rendered_report(model, report_sections, tmp_path_factory):
    """The default model's report rendered once: ``{"md": text, "html": text, "dir": folder}``;
    report.html and report.md are written to ``dir`` (figures are inline SVG in the HTML)."""
    out = tmp_path_factory.mktemp("report")
    md = render_markdown(model, report_sections)
    html = render_html(model, report_sections)
    (out / "report.md").write_text(md, encoding="utf-8")
    (out / "report.html").write_text(html, encoding="utf-8")
    return {"md": md, "html": html, "dir": out}
