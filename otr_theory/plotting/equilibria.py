"""Figures of the equilibria analysis: detection and fraud against the number of challengers.

Both draw the sweeps of :func:`otr_theory.games.analysis.analyse`
(:class:`~otr_theory.games.analysis.ChallengerSweepRecord`, one per illustrative slash); the
``*_data`` functions give what is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from otr_theory.fmt import fmt_usd
from otr_theory.games.analysis import EquilibriaAnalysis
from otr_theory.plotting._core import new_figure

__all__ = ["detection_vs_n_data", "detection_vs_n_figure", "fraud_vs_n_data", "fraud_vs_n_figure"]


def detection_vs_n_data(record: EquilibriaAnalysis) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{label: (n, detection probability p)}``, one line per illustrative slash.

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.analysis import analyse
    >>> list(detection_vs_n_data(analyse(load_model())))
    ['S = $100,000 (model)', 'S = $4,950', 'S = $990']
    """
    return {f"S = {fmt_usd(sw.slash_usd, 4)}" + (" (model)" if sw.model_slash else ""): (np.asarray(sw.n), np.asarray(sw.detection_probability)) for sw in record.sweeps}


def fraud_vs_n_data(record: EquilibriaAnalysis) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{label: (n, rate)}``: the fraud rate x and each challenger's monitoring rate y per
    illustrative slash at which somebody cheats (none where the spot-checks alone deter)."""
    out = {}
    for sw in record.sweeps:
        if not np.any(np.asarray(sw.fraud_rate) > 0):
            continue
        out[f"fraud rate x, S = {fmt_usd(sw.slash_usd, 4)}"] = (np.asarray(sw.n), np.asarray(sw.fraud_rate))
        out[f"monitoring rate y, S = {fmt_usd(sw.slash_usd, 4)}"] = (np.asarray(sw.n), np.asarray(sw.monitoring_rate))
    return out


def detection_vs_n_figure(record: EquilibriaAnalysis, *, spot_check_rate: float | None = None, ax: Any = None) -> Any:
    """Equilibrium detection probability p against the number of challengers n (log scale);
    ``spot_check_rate`` (rho) draws the spot-checks' floor."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    for i, (label, (n, p)) in enumerate(detection_vs_n_data(record).items()):
        ax.semilogx(n, p, marker=".", color=f"C{i}", label=label)
    if spot_check_rate is not None:
        ax.axhline(spot_check_rate, color="grey", ls=":", lw=0.8, label="spot-checks alone (rho)")
    ax.set_xlabel("number of challengers n")
    ax.set_ylabel("detection probability p of a cheated query")
    ax.set_title(f"More challengers do not raise detection (wrong output, {record.loss_convention})")
    ax.set_ylim(bottom=0)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def fraud_vs_n_figure(record: EquilibriaAnalysis, *, ax: Any = None) -> Any:
    """Equilibrium fraud rate x and monitoring rate y against n (log-log)."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    colors = {fmt_usd(sw.slash_usd, 4): f"C{i}" for i, sw in enumerate(record.sweeps)}  # as in detection_vs_n_figure
    for label, (n, v) in fraud_vs_n_data(record).items():
        color = colors[label.split("S = ", 1)[1]]
        ax.loglog(n, v, ls="--" if label.startswith("monitoring") else "-", color=color, label=label)
    ax.set_xlabel("number of challengers n")
    ax.set_ylabel("probability")
    ax.set_title("Fraud rises and each challenger's monitoring falls with n")
    ax.grid(True, which="both", alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no fraud at any n: spot-checks alone deter", ha="center", va="center", transform=ax.transAxes)
    return fig
