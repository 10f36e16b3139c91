"""otr-theory: game-theoretic and formal analysis of Optimistic TEE-Rollups.

The path of the data is the architecture::

    model file -> model.py (typed parameters) -> payoffs/ (symbolic payoffs)
               -> games/, smt/ (equilibria, machine checks) -> calibration/ (costs)
               -> regimes.py (secure regions) -> report/ (HTML, Markdown, JSON)

Importing the package has no side effects and is cheap: ``Model``, ``ModelError`` and
``load_model`` are imported from :mod:`otr_theory.model` on first use (PEP 562), so that
``otr-analyze --help`` starts without it.
"""

from otr_theory import _version

__all__ = ["Model", "ModelError", "load_model", "__version__"]
__version__: str = _version.version()
"""The version of the running package (:mod:`otr_theory._version`: a source checkout's
``pyproject.toml``, else the installed distribution's metadata, else ``"0+unknown"``)."""


def __getattr__(name: str):
    if name in ("Model", "ModelError", "load_model"):
        from otr_theory import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'otr_theory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
