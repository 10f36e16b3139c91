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

Importing the package has no side effects and is cheap: ``Model``, ``ModelError``,
``load_model``, ``analyse`` and ``Analysis`` are imported on first use (PEP 562), so that
``otr-analyze --help`` starts without them.
"""

from otr_theory import _version

__all__ = ["Analysis", "Model", "ModelError", "analyse", "load_model", "__version__"]
__version__: str = _version.version()
"""The version of the running package (:mod:`otr_theory._version`: a source checkout's
``pyproject.toml``, else the installed distribution's metadata, else ``"0+unknown"``)."""


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
    raise AttributeError(f"module 'otr_theory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
