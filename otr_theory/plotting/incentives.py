"""Figures of the incentives analysis: equilibrium fraud and monitoring rates against the slash.

:func:`rates_vs_slash_figure` draws the data of :func:`rates_vs_slash_data`, which reads the
:class:`~otr_theory.payoffs.analysis.RatesVsSlash` record of
:func:`otr_theory.payoffs.analysis.analyse` (nothing is computed here but the masking of zero
rates, which a log axis cannot show).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from otr_theory.fmt import fmt_num, fmt_usd
from otr_theory.payoffs.analysis import IncentivesAnalysis, RatesVsSlash
from otr_theory.plotting._core import new_figure

__all__ = ["rates_vs_slash_data", "rates_vs_slash_figure"]


def _plain_usd(x: float) -> str:
    """Dollars for figure text, where a pair of $ would start mathtext: '100,000 USD'."""
    return fmt_usd(x, 4).replace("$", "") + " USD"


def _curve(record: IncentivesAnalysis | RatesVsSlash) -> RatesVsSlash:
    return record.rates_vs_slash if isinstance(record, IncentivesAnalysis) else record


def rates_vs_slash_data(record: IncentivesAnalysis | RatesVsSlash) -> dict[str, Any]:
    """The lines of :func:`rates_vs_slash_figure`: ``{label: (slash_usd, rate)}`` with zero rates as
    NaN (a log axis cannot show them), and the vertical marks ``{label: slash_usd}``.

    >>> from otr_theory.model import load_model
    >>> from otr_theory.payoffs.analysis import rates_vs_slash
    >>> d = rates_vs_slash_data(rates_vs_slash(load_model(), [1000.0, 1e6]))
    >>> d["lines"]["fraud rate x, 1 challenger"][1].tolist()
    [5.276e-07, nan]
    """
    r = _curve(record)
    s = np.asarray(r.slash_usd, dtype=float)

    def positive(v: Any) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        return np.where(v > 0, v, np.nan)

    n, h = r.n, r.forgeable_share
    lines: dict[str, tuple[np.ndarray, np.ndarray]] = {"fraud rate x, 1 challenger": (s, positive(r.fraud_rate_1))}
    if n > 1:
        lines[f"fraud rate x, {n} challengers"] = (s, positive(r.fraud_rate_n))
    if h < 1:
        lines[f"network, h = {fmt_num(h, 3)}: x of a prover who can cheat, {n} chall."] = (s, positive(r.fraud_rate_n_network))
        if not np.allclose(r.challenger_detection_network, r.challenger_detection):
            lines[f"network (h = {fmt_num(h, 3)}): q"] = (s, positive(r.challenger_detection_network))
    lines["P(some challenger checks) q (any n)"] = (s, positive(r.challenger_detection))
    if n > 1:
        lines[f"each of {n} challengers checks, y"] = (s, positive(r.monitoring_rate_n))
    lo, hi = float(s[0]), float(s[-1])
    marks = {}
    if math.isfinite(r.break_even_slash_usd) and lo <= r.break_even_slash_usd <= hi:
        marks[f"spot-checks alone deter above {_plain_usd(r.break_even_slash_usd)}"] = r.break_even_slash_usd
    if r.configured_slash_usd > 0:
        marks[f"configured slash {_plain_usd(r.configured_slash_usd)}"] = r.configured_slash_usd
    shown = np.concatenate([positive(r.fraud_rate_1), positive(r.challenger_detection)])
    return {"lines": lines, "marks": marks, "xlim": (lo, hi), "any_rate": bool(np.isfinite(shown).any()), "any_monitoring": bool(np.isfinite(positive(r.challenger_detection)).any())}


_STYLE = {
    "fraud rate x, 1": ("-", "tab:red", 1.5),
    "fraud rate x,": ("--", "tab:red", 1.5),
    "network, h": (":", "tab:red", 2.0),
    "network (h": (":", "tab:blue", 2.0),
    "P(some": ("-", "tab:blue", 1.5),
    "each of": ("--", "tab:blue", 1.5),
}


def rates_vs_slash_figure(record: IncentivesAnalysis | RatesVsSlash, *, ax: Any = None) -> Any:
    """Equilibrium fraud and monitoring rates against the slash (log-log; zero rates not drawn).

    Parameters
    ----------
    record : IncentivesAnalysis or RatesVsSlash
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Figure
    """
    if ax is None:
        fig, ax = new_figure(6.4, 4.2)
    else:
        fig = ax.figure
    r = _curve(record)
    data = rates_vs_slash_data(r)
    for label, (x, y) in data["lines"].items():
        ls, color, lw = next(v for k, v in _STYLE.items() if label.startswith(k))
        ax.loglog(x, y, ls, color=color, lw=lw, label=label)
    ax.set_xlim(*data["xlim"])
    for label, x in data["marks"].items():
        configured = label.startswith("configured")
        ax.axvline(x, color="black" if configured else "tab:green", lw=0.8 if configured else 1.0, ls=":" if configured else "-.", label=label)
    if not data["any_rate"]:
        ax.text(0.5, 0.5, "no fraud and no monitoring at any slash shown", transform=ax.transAxes, ha="center")
        ax.set_ylim(1e-10, 1.0)
    elif not data["any_monitoring"]:
        ax.set_ylim(top=1.0)
    ax.set_xlabel("slash S (USD)")
    ax.set_ylabel("probability per query")
    ax.set_title(
        f"Inspection-game equilibrium (wrong output, {r.loss_convention}); zero rates not drawn\n"
        + ("solid/dashed: against a compromised prover (h = 1); dotted: the network's" if r.forgeable_share < 1 else "every prover can cheat (h = 1)"),
        fontsize=9,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return fig
