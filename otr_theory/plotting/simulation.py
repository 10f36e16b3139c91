"""Figures of the simulation analysis: undetected fraud over time against the TEE's vulnerability
windows.

:func:`undetected_fraud_figure` takes the
:class:`~otr_theory.simulation.analysis.SimulationAnalysis` record (both runs), or one run (a
:class:`~otr_theory.simulation.SimulationResult` or a
:class:`~otr_theory.simulation.analysis.SimulationRun`) with an optional second as ``adversary``;
what it draws comes from :func:`undetected_fraud_data`, which the tests check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from otr_theory.model import DAYS_PER_YEAR
from otr_theory.plotting._core import new_figure

__all__ = ["undetected_fraud_data", "undetected_fraud_figure"]


def _per_thousand(series: Any) -> np.ndarray:
    q = np.asarray(series["queries"], dtype=float)
    u = np.asarray(series["undetected"], dtype=float)
    return np.divide(1000.0 * u, q, out=np.zeros_like(u), where=q > 0)


def undetected_fraud_data(result: Any, *, adversary: Any = None) -> dict[str, Any]:
    """Undetected frauds per 1,000 queries in each time bin, ``1000 * undetected / queries``
    (0 in an empty bin), for each run, with the bin edges and the vulnerability windows in years
    (:data:`otr_theory.model.DAYS_PER_YEAR`).

    ``result`` is a simulation record (both runs, unless ``adversary`` is given) or one run.

    Returns
    -------
    dict
        ``edges_years`` (array), ``windows_years`` (list of (start, end), the start clipped at
        0), ``runs`` (list of ``{"label", "colour", "per_thousand"}``, the equilibrium run first
        so that an all-zero line stays visible under the other).
    """
    if hasattr(result, "equilibrium") and hasattr(result, "adversary"):
        runs = [result.equilibrium, result.adversary if adversary is None else adversary]
        windows = result.windows_days
    else:
        runs = [result] + ([adversary] if adversary is not None else [])
        windows = getattr(result, "windows_days", ())
    edges = np.asarray(runs[0].series["bin_edges_days"], dtype=float) / DAYS_PER_YEAR
    labels = (("equilibrium play", "tab:blue"), ("cheats whenever forgeable", "tab:red"))
    return {
        "edges_years": edges,
        "windows_years": [(max(float(s), 0.0) / DAYS_PER_YEAR, float(e) / DAYS_PER_YEAR) for s, e in windows],
        "runs": [{"label": lab, "colour": col, "per_thousand": _per_thousand(run.series)} for run, (lab, col) in zip(runs, labels)],
    }


def undetected_fraud_figure(result: Any, *, adversary: Any = None, ax: Any = None) -> Any:
    """Undetected frauds per 1,000 queries in each time bin as steps over time in years, with the
    vulnerability windows as grey spans (data: :func:`undetected_fraud_data`)."""
    if ax is None:
        fig, ax = new_figure(7.0, 3.8)
    else:
        fig = ax.figure
    d = undetected_fraud_data(result, adversary=adversary)
    for i, (s, e) in enumerate(d["windows_years"]):
        ax.axvspan(s, e, color="tab:red", alpha=0.12, lw=0, label="vulnerability window" if i == 0 else None)
    for run in d["runs"]:
        ax.stairs(run["per_thousand"], d["edges_years"], color=run["colour"], lw=1.4, label=run["label"])
    ax.set_xlim(d["edges_years"][0], d["edges_years"][-1])
    ax.set_xlabel("time (years)")
    ax.set_ylabel("undetected frauds per 1,000 queries")
    ax.set_title("Fraud that reaches final finality, against the TEE vulnerability windows")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    return fig
