"""Shared fixtures: the default model, its raw TOML dict, and its report built once per session.

A full report of the default model costs about 20 s of CPU; the tests that read one share the
session's: :func:`report_sections` (the sections), :func:`written_report` (the files
``write_report`` writes, from those sections) and :func:`rendered_report` (its Markdown and HTML).
Under pytest-xdist (``--dist loadgroup``) every test that uses one of them runs on the same worker
(the ``xdist_group`` "report", added below), so the report is built once per run, not per worker.
"""

from __future__ import annotations

import tomllib

import pytest

from otr_theory.model import default_model_path, load_model

REPORT_FIXTURES = frozenset({"report_sections", "written_report", "rendered_report"})
"""Fixtures that hold the session's report; their tests share one xdist worker."""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if REPORT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("report"))


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture()
def raw_model():
    """A fresh, mutable dict of the default model file."""
    with open(default_model_path(), "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def report_sections(model):
    """Every section of the default model's report (built once per session)."""
    from otr_theory.report.build import build_sections

    return build_sections(model)


@pytest.fixture(scope="session")
def written_report(model, report_sections, tmp_path_factory):
    """``write_report`` of the default model into a session folder, from :func:`report_sections`:
    the writer's own code runs (figures, attachments, results.json, the atomic swap), the analysis
    is not repeated. Returns the paths written, by name (as ``write_report`` does)."""
    from otr_theory.report import build

    built = build.build_sections

    def reuse(m, **kw):
        return report_sections if m == model else built(m, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "build_sections", reuse)
        return build.write_report(model, tmp_path_factory.mktemp("written") / "otr")


@pytest.fixture(scope="session")
def rendered_report(written_report):
    """The default model's report as written: ``{"md": text, "html": text, "dir": folder}``
    (figures are inline SVG in the HTML)."""
    return {
        "md": written_report["report.md"].read_text(encoding="utf-8"),
        "html": written_report["report.html"].read_text(encoding="utf-8"),
        "dir": written_report["report.md"].parent,
    }
