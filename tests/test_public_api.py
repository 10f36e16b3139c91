"""The public API is one list (:data:`otr_theory.PUBLIC_MODULES`): the README's "Public API"
section names the same modules, each imports and exports what its ``__all__`` says, the package
root reaches each top-level one as an attribute, and the import check that holds the notebooks to
it (:mod:`public_api`) catches what it must."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import otr_theory

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tests") not in sys.path:  # the shared checker (tests run with --import-mode=importlib)
    sys.path.insert(0, str(ROOT / "tests"))
from public_api import private_uses  # noqa: E402


def _readme_modules() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Public API\n", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for line in section.splitlines():
        if line.startswith("- "):
            head = line[2:].split(":", 1)[0]  # "- `a`, `b`: what they hold"
            listed |= set(re.findall(r"`(otr_theory(?:\.\w+)*)`", head))
    return listed


def test_readme_lists_the_public_modules():
    assert _readme_modules() == set(otr_theory.PUBLIC_MODULES)


def test_no_private_module_is_public():
    for m in otr_theory.PUBLIC_MODULES:
        parts = m.split(".")
        assert not any(p.startswith("_") for p in parts), m
        assert parts[:2] not in (["otr_theory", "report"], ["otr_theory", "cli"]), m


@pytest.mark.parametrize("module", otr_theory.PUBLIC_MODULES)
def test_public_module_exports_what_it_says(module):
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None)
    assert names, f"{module} has no __all__"
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"{module}.__all__ names {missing}, which it lacks"


def test_top_level_public_modules_are_attributes_of_a_fresh_package():
    """``import otr_theory as o; o.analysis.calibration(...)`` works without importing
    otr_theory.analysis first (PEP 562), and a private submodule is not reached that way."""
    top = sorted({m.split(".")[1] for m in otr_theory.PUBLIC_MODULES if m.count(".") >= 1})
    code = f"import otr_theory as o, types\nfor name in {top!r}:\n    assert isinstance(getattr(o, name), types.ModuleType), name\ntry:\n    o.report\nexcept AttributeError:\n    print('ok')\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_private_uses_passes_public_code():
    src = (
        "%matplotlib inline\nimport otr_theory as o\nfrom otr_theory.plotting import regimes as rp\n"
        "from otr_theory.smt import check, MUTANTS\nfrom otr_theory import plotting\n"
        "a = o.analyse(o.load_model())\no.analysis.calibration(m)\nrp.tornado_figure(s, 'x')\na.verdict.status\n"
    )
    assert private_uses(src) == []


@pytest.mark.parametrize(
    ("src", "found"),
    [
        ("from otr_theory.report.core import md_table", "from otr_theory.report.core import ..."),
        ("from otr_theory.cli.check import render_report", "from otr_theory.cli.check import ..."),
        ("import otr_theory.cli.diff", "import otr_theory.cli.diff"),
        ("from otr_theory.smt.theorems import check", "from otr_theory.smt.theorems import ..."),
        ("from otr_theory.report.sections.regimes import tornado_figure", "from otr_theory.report.sections.regimes import ..."),
        ("from otr_theory.plotting import _core", "from otr_theory.plotting import _core"),
        ("from otr_theory.regimes import sweep", "from otr_theory.regimes import sweep"),
        ("from otr_theory.payoffs import *", "from otr_theory.payoffs import *"),
        ("import otr_theory as o\no.report.core.md_table([], [])", "o.report.core.md_table: otr_theory.report is not public"),
        ("import otr_theory\notr_theory._version.version()", "otr_theory._version.version: otr_theory._version is not public"),
        ("from otr_theory.plotting import regimes as rp\nrp._axes(None)", "rp._axes: _axes is not in otr_theory.plotting.regimes.__all__"),
    ],
)
def test_private_uses_catches(src, found):
    assert private_uses(src) == [found]


def test_private_uses_follows_names_across_cells():
    bound: dict[str, str] = {}
    assert private_uses("import otr_theory as o", bound) == []
    assert private_uses("o.cli.main([])", bound) == ["o.cli.main: otr_theory.cli is not public"]
