"""Shared fixtures: the default model, its raw TOML dict, and its report built once per session.

A full report of the default model costs about 20 s of CPU; the tests that read one share the
session's: :func:`report_sections` (the sections), :func:`written_report` (the files
``write_report`` writes, from those sections) and :func:`rendered_report` (its Markdown and HTML).
Under pytest-xdist (``--dist loadgroup``) every test that uses one of them runs on the same worker
(the group "report", set below), so the report is built once per run, not per worker; the tests
of a module-scoped fixture share a worker too.
"""

from __future__ import annotations

import tomllib

import pytest

from otr_theory.model import default_model_path, load_model

REPORT_FIXTURES = frozenset({"report_sections_pickle", "report_sections", "written_report", "rendered_report"})
"""Fixtures that hold the session's report; their tests share one xdist worker."""


def _xdist_group(item: pytest.Item) -> str | None:
    """The xdist work unit of a test: ``report`` for the tests of the session's report, the module
    for a test that uses a module- or class-scoped fixture (built once, on one worker), else none
    (the test goes wherever a worker is free: the notebooks and the doctests spread out)."""
    names = set(getattr(item, "fixturenames", ()))
    if names & REPORT_FIXTURES:
        return "report"
    info = getattr(item, "_fixtureinfo", None)
    for name in sorted(names):
        defs = info.name2fixturedefs.get(name) if info is not None else None
        if defs and defs[-1].scope in ("module", "class", "package"):
            return item.nodeid.split("::")[0]
    return None


def _set_group(item: pytest.Item, group: str) -> None:
    """What ``--dist loadgroup`` reads: the group after an ``@`` at the end of the node id.
    pytest-xdist 3.8 writes ``item._nodeid``, which pytest 9.2 no longer reads (the id is
    ``item._id``), so an ``xdist_group`` marker is silently ignored there; set whichever exists."""
    new = f"{item.nodeid}@{group}"
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(new)
    else:  # pytest < 9.2
        item._nodeid = new


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """On an xdist worker under ``--dist loadgroup``: put each test in its work unit (:func:`_xdist_group`)."""
    if getattr(config, "workerinput", None) is None or not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        group = _xdist_group(item)
        if group is not None:
            _set_group(item, group)


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture()
def raw_model():
    """A fresh, mutable dict of the default model file."""
    with open(default_model_path(), "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def report_sections_pickle(model):
    """The default model's report sections, built once per session, pickled before any rendering.

    A renderer gets its own copy (``pickle.loads``): rendering a figure is not idempotent (the
    second SVG of ``regime_window_map`` moves its axes by ~2e-4 pt), so a copy rendered once
    gives the bytes an independent build gives."""
    import pickle

    from otr_theory.report.build import build_sections

    return pickle.dumps(build_sections(model))


@pytest.fixture(scope="session")
def report_sections(report_sections_pickle):
    """Every section of the default model's report (for tests that read them)."""
    import pickle

    return pickle.loads(report_sections_pickle)


@pytest.fixture(scope="session")
def written_report(model, report_sections_pickle, tmp_path_factory):
    """``write_report`` of the default model into a session folder, from :func:`report_sections`:
    the writer's own code runs (figures, attachments, results.json, the atomic swap), the analysis
    is not repeated. Returns the paths written, by name (as ``write_report`` does)."""
    import pickle

    from otr_theory.report import build

    built = build.build_sections

    def reuse(m, **kw):
        return pickle.loads(report_sections_pickle) if m == model else built(m, **kw)

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
