"""otr-theory: game-theoretic and formal analysis of Optimistic TEE-Rollups.

The path of the data is the architecture::

    model file -> model.py (typed parameters) -> payoffs/ (symbolic payoffs)
               -> games/, smt/ (equilibria, machine checks) -> calibration/ (costs)
               -> regimes/ (secure regions) -> analysis.py (one record per area + the verdict)
               -> report/, cli/, notebooks (render the records only)

The public API::

    import otr_theory as o
    model = o.load_model()            # the embedded default; o.load_model("path.toml") for a file
    a = o.analyse(model)              # an o.Analysis: one frozen record per area and the verdict
    a.verdict                         # secure / insecure / unknown, the best attack, what deters it
    a.regimes.cheapest                # any area's record; repr, _repr_html_, to_dict, to_frame
    o.analysis.regimes(model)         # one area alone
    import otr_theory.plotting        # the report's figures, for notebooks

The public modules are :data:`PUBLIC_MODULES` (the README's "Public API" lists the same, a test
holds them equal, and the notebooks import from nothing else). Everything else -- the report
(``otr_theory.report``), the command line (``otr_theory.cli``), any name with a leading underscore,
and the submodules of the area packages that the package does not re-export -- may change without
notice.

Importing the package has no side effects and is cheap: ``Model``, ``ModelError``,
``load_model``, ``analyse`` and ``Analysis`` (and the public submodules, ``o.analysis``,
``o.plotting``, ...) are imported on first use (PEP 562), so that
``otr-analyze --help`` starts without them.
"""

from otr_theory import _version

__all__ = ["PUBLIC_MODULES", "Analysis", "Model", "ModelError", "analyse", "load_model", "__version__"]
__version__: str = _version.version()
"""The version of the running package (:mod:`otr_theory._version`: a source checkout's
``pyproject.toml``, else the installed distribution's metadata, else ``"0+unknown"``)."""


PUBLIC_MODULES: tuple[str, ...] = (
    "otr_theory",
    "otr_theory.analysis",
    "otr_theory.verdict",
    "otr_theory.model",
    "otr_theory.records",
    "otr_theory.jsonio",
    "otr_theory.fmt",
    "otr_theory.tuning",
    "otr_theory.payoffs",
    "otr_theory.games",
    "otr_theory.smt",
    "otr_theory.calibration",
    "otr_theory.regimes",
    "otr_theory.simulation",
    "otr_theory.plotting",
    "otr_theory.plotting.calibration",
    "otr_theory.plotting.equilibria",
    "otr_theory.plotting.graph",
    "otr_theory.plotting.incentives",
    "otr_theory.plotting.regimes",
    "otr_theory.plotting.simulation",
)
"""The public modules: what each exports in ``__all__`` is the public API (the area packages
through their ``__init__``; their other submodules are not public). The README's "Public API"
section lists the same modules; ``tests/test_public_api.py`` holds the two equal and
``tests/test_notebooks.py`` holds the notebooks to these imports."""


def __getattr__(name: str):
    if name in ("Model", "ModelError", "load_model"):
        from otr_theory import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    if name in ("analyse", "Analysis"):
        from otr_theory import analysis

        value = getattr(analysis, name)
        globals()[name] = value
        return value
    if f"otr_theory.{name}" in PUBLIC_MODULES:  # o.analysis, o.plotting, ...: public submodules on first use
        import importlib

        return importlib.import_module(f"otr_theory.{name}")
    raise AttributeError(f"module 'otr_theory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
