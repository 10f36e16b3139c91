"""Issue 14: the theorems, regimes, deterrence and dispute sections render records only.

An AST check: from the analysis packages (payoffs, smt, games, calibration, regimes, simulation)
a section imports only record types and its area's ``analyse`` (``build(model)`` is
``render(analyse(model), model)``); plotting, fmt, report.core and the model are fine.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import otr_theory
from otr_theory.records import Record

ROOT = Path(otr_theory.__file__).parent
ANALYSIS = ("payoffs", "smt", "games", "calibration", "regimes", "simulation")
SECTIONS = ("theorems", "regimes", "deterrence", "dispute")


def _imports(path: Path) -> list[tuple[str, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
    return out


def _analysis_imports(path: Path) -> list[str]:
    """What ``path`` imports from the analysis packages other than record types and ``analyse``."""
    bad = []
    for module, attr in _imports(path):
        parts = module.split(".")
        if parts[0] != "otr_theory" or len(parts) < 2 or parts[1] not in ANALYSIS:
            continue
        if attr == "analyse" and module.endswith(("analysis", "deterrence", "dispute_analysis")):
            continue
        obj = getattr(importlib.import_module(module), attr, None) if attr else None
        if inspect.isclass(obj) and issubclass(obj, Record):
            continue
        bad.append(f"{module}.{attr or '*'}")
    return bad


@pytest.mark.parametrize("name", SECTIONS)
def test_section_imports_only_records_and_analyse(name):
    assert _analysis_imports(ROOT / "report" / "sections" / f"{name}.py") == []


@pytest.mark.parametrize("name", SECTIONS)
def test_build_is_render_of_analyse(name):
    mod = importlib.import_module(f"otr_theory.report.sections.{name}")
    assert "render(analyse(" in inspect.getsource(mod.build) and callable(mod.render)


def test_the_check_catches_an_analysis_import(tmp_path):
    """The check is not vacuous: a payoff function or a non-record class is caught, a record type is not."""
    path = tmp_path / "section.py"
    path.write_text(
        "from otr_theory.payoffs import min_deterring_slash\n"
        "from otr_theory.smt.analysis import TheoremsAnalysis\n"
        "from otr_theory.regimes.region import RegionKernel\n"
        "import otr_theory.games.dispute_economics\n"
    )
    assert _analysis_imports(path) == ["otr_theory.payoffs.min_deterring_slash", "otr_theory.regimes.region.RegionKernel", "otr_theory.games.dispute_economics.*"]
