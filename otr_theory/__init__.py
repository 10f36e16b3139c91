"""otr-theory: game-theoretic and formal analysis of Optimistic TEE-Rollups.

The path of the data is the architecture::

    model file -> model.py (typed parameters) -> payoffs/ (symbolic payoffs)
               -> games/, smt/ (equilibria, machine checks) -> calibration/ (costs)
               -> regimes.py (secure regions) -> report/ (HTML, Markdown, JSON)

Importing the package has no side effects.
"""

from otr_theory.model import Model, ModelError, load_model

__all__ = ["Model", "ModelError", "load_model", "__version__"]
__version__ = "0.1.0"
