"""otr_theory.__version__ from one place: a source checkout's pyproject.toml, the installed
distribution's metadata, or "0+unknown"."""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import otr_theory
from otr_theory import _version

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_reports_the_pyproject_version():
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert otr_theory.__version__ == _version.version() == expected


def test_pyproject_of_another_project_or_malformed_is_ignored(tmp_path):
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "someone-else"\nversion = "9.9"\n')
    assert _version._checkout_version(other) is None
    other.write_text("[project\nname = ")
    assert _version._checkout_version(other) is None
    assert _version._checkout_version(tmp_path / "missing.toml") is None
    other.write_text('[project]\nname = "otr-theory"\nversion = "1.2.3"\n')
    assert _version._checkout_version(other) == "1.2.3"


def test_fallbacks_metadata_then_unknown(monkeypatch):
    monkeypatch.setattr(_version, "_checkout_version", lambda path: None)
    _version.version.cache_clear()
    try:
        monkeypatch.setattr(_version, "_dist_version", lambda name: "4.5.6" if name == "otr-theory" else "")
        assert _version.version() == "4.5.6"
        _version.version.cache_clear()

        def missing(name):
            raise PackageNotFoundError(name)

        monkeypatch.setattr(_version, "_dist_version", missing)
        assert _version.version() == "0+unknown"
    finally:
        _version.version.cache_clear()


def test_no_module_imports_the_package_root_for_its_version():
    """The back-edge of issue 14: modules below the top ask otr_theory._version, not the package
    root (report/, the top of the data path, may still read ``otr_theory.__version__``)."""
    offenders = []
    for path in sorted((ROOT / "otr_theory").rglob("*.py")):
        if path.parent.name == "report":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "otr_theory" and any(a.name == "__version__" for a in node.names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_equilibrium_records_carry_the_version():
    from otr_theory.games.normal_form import tool_versions

    assert tool_versions()["otr_theory"] == otr_theory.__version__
