"""The package's version, from one place: the distribution's metadata or, in a source checkout,
``pyproject.toml``.

Resolution order:

1. a source checkout (``pyproject.toml`` beside the package that names the project
   ``otr-theory``): its ``version``, so a checkout run with ``PYTHONPATH`` reports the version of
   the code that runs, even where an older build is installed in the same environment;
2. the installed distribution's metadata (``importlib.metadata.version("otr-theory")``): a
   ``pip install .`` carries no ``pyproject.toml`` beside the package;
3. ``"0+unknown"`` (a PEP 440 local version) when neither is there.

This module imports nothing from the package, so any module may ask for the version without
importing the package root (``games/normal_form.py`` records it in every equilibrium result).

>>> v = version()
>>> v == "0+unknown" or v[0].isdigit()
True
"""

from __future__ import annotations

import functools
import tomllib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path

__all__ = ["DISTRIBUTION", "UNKNOWN", "version"]

DISTRIBUTION = "otr-theory"
"""The distribution's name on PyPI and in ``pyproject.toml``."""

UNKNOWN = "0+unknown"
"""The version reported when neither a source checkout nor an installed distribution is found."""


def _checkout_version(pyproject: Path) -> str | None:
    """``project.version`` of ``pyproject`` if it is this project's file, else None."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    v = project.get("version")
    return v if project.get("name") == DISTRIBUTION and isinstance(v, str) and v else None


@functools.lru_cache(maxsize=1)
def version() -> str:
    """The version of the running ``otr_theory`` (see the module docstring for the order).

    Returns
    -------
    str
        A PEP 440 version, e.g. ``"0.1.0"``, or ``"0+unknown"``.
    """
    found = _checkout_version(Path(__file__).resolve().parent.parent / "pyproject.toml")
    if found is not None:
        return found
    try:
        return _dist_version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN
