"""The incentives and equilibria sections render records only (issue 14): they import nothing
from the analysis packages but the record types and ``analyse``, and call no analysis."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
from pathlib import Path

import pytest

from otr_theory.records import Record

ROOT = Path(__file__).resolve().parents[2] / "otr_theory"
ANALYSIS_PACKAGES = ("otr_theory.payoffs", "otr_theory.games", "otr_theory.smt", "otr_theory.calibration", "otr_theory.simulation", "otr_theory.regimes")


@pytest.mark.parametrize("section", ["incentives", "equilibria"])
def test_section_imports_only_records_and_analyse(section):
    tree = ast.parse((ROOT / "report" / "sections" / f"{section}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith(ANALYSIS_PACKAGES) for a in node.names), ast.unparse(node)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(ANALYSIS_PACKAGES):
            assert node.module.endswith(".analysis"), ast.unparse(node)  # the area's analysis module only
            mod = importlib.import_module(node.module)
            for alias in node.names:
                obj = getattr(mod, alias.name)
                is_record = inspect.isclass(obj) and issubclass(obj, Record) and dataclasses.is_dataclass(obj)
                assert is_record or alias.name == "analyse", f"{section} imports {alias.name} from {node.module}"


@pytest.mark.parametrize("section", ["incentives", "equilibria"])
def test_build_is_render_of_analyse(section):
    src = inspect.getsource(importlib.import_module(f"otr_theory.report.sections.{section}").build)
    body = [ln.strip() for ln in src.splitlines() if ln.strip() and not ln.strip().startswith(('"""', "def "))]
    assert body[-1] == "return render(analyse(model), model)"
