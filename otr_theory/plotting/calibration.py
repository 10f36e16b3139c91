"""Figures of the calibration analysis: the trilemma, the ZK and H100 fits, the uncertainty.

Each figure function takes the :class:`~otr_theory.calibration.analysis.CalibrationAnalysis`
record (the fit figures need only the fits, so the record is optional there) and an optional
``ax``, and returns the figure; what it draws comes from the matching ``*_data`` function, which
the tests check.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from otr_theory.plotting._core import new_figure, place_labels

__all__ = [
    "h100_fit_data",
    "h100_fit_figure",
    "trilemma_data",
    "trilemma_figure",
    "uncertainty_data",
    "uncertainty_figure",
    "zk_fit_data",
    "zk_fit_figure",
]

UNCERTAINTY_OUTPUTS = (("total_usd", "cost per query (USD), every query re-executed"), ("provisional_s", "time to provisional finality (s)"))
"""The outputs of the uncertainty figure: (distribution name, axis label)."""


def _fig_ax(ax: Any, width: float, height: float) -> tuple[Any, Any]:
    if ax is None:
        return new_figure(width, height)
    return ax.figure, ax


# ---------------------------------------------------------------------------------------------
# trilemma


def trilemma_data(analysis: Any) -> list[dict[str, Any]]:
    """One entry per row of ``analysis.trilemma`` (or of ``analysis`` itself, a sequence of
    :class:`~otr_theory.calibration.trilemma.TrilemmaRow`): the point (provisional and final time, cost per query with every
    query re-executed), its 5-95% bars (never negative: a point estimate may fall outside its own
    Monte Carlo band when the inputs are skewed) and the colour value (detection with challengers
    idle)."""

    def bar(lo: float, mid: float, hi: float) -> tuple[float, float]:
        return (max(0.0, mid - lo), max(0.0, hi - mid))

    out = []
    for r in getattr(analysis, "trilemma", analysis):  # the record, or its rows
        out.append(
            {
                "scheme": r.scheme,
                "provisional_s": r.provisional_s,
                "final_s": r.final_s,
                "cost_usd": r.cost_usd,
                "detection_idle": r.detection_idle,
                "cost_bar": bar(r.cost_q05, r.cost_usd, r.cost_q95),
                "provisional_bar": bar(r.provisional_q05, r.provisional_s, r.provisional_q95),
                "final_bar": bar(r.final_q05, r.final_s, r.final_q95),
                "has_final": r.final_s > r.provisional_s * 1.01,
            }
        )
    return out


def trilemma_figure(analysis: Any, *, ax: Any = None) -> Any:
    """Cost per query against time to finality; filled = provisional, hollow = final; colour =
    detection probability with challengers idle; bars = 5--95% ranges."""
    import matplotlib
    from matplotlib import cm, colors

    fig, ax = _fig_ax(ax, 7.0, 4.6)
    norm = colors.Normalize(0.0, 1.0)
    cmap = matplotlib.colormaps["viridis"]
    labels, obstacles = [], []
    for d in trilemma_data(analysis):
        col = cmap(norm(d["detection_idle"]))
        ax.errorbar(
            [d["provisional_s"]],
            [d["cost_usd"]],
            xerr=[[v] for v in d["provisional_bar"]],
            yerr=[[v] for v in d["cost_bar"]],
            fmt="o",
            color=col,
            ms=8,
            capsize=2,
            lw=0.8,
            label=f"{d['scheme']} provisional",
        )
        if d["has_final"]:
            ax.errorbar([d["final_s"]], [d["cost_usd"]], xerr=[[v] for v in d["final_bar"]], fmt="o", mfc="white", color=col, ms=8, capsize=2, lw=0.8, label=f"{d['scheme']} final")
            ax.plot([d["provisional_s"], d["final_s"]], [d["cost_usd"], d["cost_usd"]], ":", color=col, lw=0.8)
            obstacles.append((d["final_s"], d["cost_usd"]))
        labels.append((d["provisional_s"], d["cost_usd"], d["scheme"]))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("time to finality (s): filled = provisional, hollow = final")
    ax.set_ylabel("cost per query (USD), every query re-executed")
    ax.set_title("Verifiability trilemma: cost, latency and integrity (colour)")
    ax.grid(True, which="major", alpha=0.3)
    sm = cm.ScalarMappable(norm=norm, cmap=cmap)
    sm.set_array(np.array([]))
    fig.colorbar(sm, ax=ax, label="P(cheated query caught), challengers idle")
    place_labels(ax, labels, fontsize=9, obstacles=obstacles)
    return fig


# ---------------------------------------------------------------------------------------------
# fits


def zk_fit_data() -> dict[str, Any]:
    """The ZK proving rows (N, seconds, system, bound, used in the fit) and each fitted form on
    100 log-spaced N over the fit's range: ``{"points": [...], "curves": {form: {x, y, label}}}``."""
    from otr_theory.calibration import fits as F
    from otr_theory.calibration.data import load_table

    points = [
        {"n": r["params_billion"] * 1e9, "prove_s": r["prove_s"], "system": r["system"], "bound": r["bound"], "in_fit": r["in_fit"] == "yes"}
        for r in load_table("zk-proving")
        if r["params_billion"] is not None
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ExtrapolationWarning)
        fits = F.zk_proving_fits()
        lo, hi = next(iter(fits.values())).domain["params_billion"]
        x = np.logspace(np.log10(lo), np.log10(hi), 100)
        curves = {k: {"x": x * 1e9, "y": np.asarray(f.predict(params_billion=x), dtype=float), "label": f"{k}: {f.form} (AIC {f.aic:.1f})"} for k, f in fits.items()}
    return {"points": points, "curves": curves}


def zk_fit_figure(analysis: Any = None, *, ax: Any = None) -> Any:
    """ZK proving time against parameter count: the rows and the three fitted forms."""
    fig, ax = _fig_ax(ax, 6.4, 4.2)
    data = zk_fit_data()
    markers = {"point": "o", "upper": "v", "lower": "^"}
    labels = []
    for p in data["points"]:
        ax.plot([p["n"]], [p["prove_s"]], markers[p["bound"]], color="C0" if p["in_fit"] else "grey", mfc="C0" if p["in_fit"] else "none", ms=6)
        labels.append((p["n"], p["prove_s"], p["system"]))
    for (k, c), style in zip(data["curves"].items(), ("-", "--", ":")):
        ax.plot(c["x"], c["y"], style, color="C1" if k == "power" else "C3", label=c["label"])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parameters N")
    ax.set_ylabel("proving time (s)")
    ax.set_title("ZK proving time of LLM inference across systems")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, title="filled: fitted; v upper / ^ lower bound", title_fontsize=7)
    place_labels(ax, labels, fontsize=6)
    return fig


def h100_fit_data() -> list[dict[str, Any]]:
    """Per model shape and context: the measured decode rows (batch, tokens/s) and the roofline
    fit on 40 log-spaced batches up to the largest measured."""
    from otr_theory.calibration import fits as F
    from otr_theory.calibration.data import h100_throughput

    rows = [r for r in h100_throughput() if r["phase"] == "decode"]
    out = []
    for i, shape in enumerate(("llama-8b", "llama-70b")):
        for j, ctx in enumerate((256.0, 1024.0, 4096.0)):
            pts = sorted((r["batch"], r["tokens_per_s"], r["params_billion"]) for r in rows if r["model_shape"] == shape and r["context_tokens"] == ctx)
            if not pts:
                continue
            b = np.array([p[0] for p in pts], dtype=float)
            bb = np.logspace(0, np.log10(b.max()), 40)
            out.append(
                {
                    "shape": shape,
                    "context": ctx,
                    "colour": i,
                    "marker": j,
                    "batch": b,
                    "tokens_per_s": np.array([p[1] for p in pts], dtype=float),
                    "fit_batch": bb,
                    "fit_tokens_per_s": np.asarray(F.h100_decode_tokens_per_s(pts[0][2], bb, ctx), dtype=float),
                }
            )
    return out


def h100_fit_figure(analysis: Any = None, *, ax: Any = None) -> Any:
    """Measured H100 decode throughput against batch, with the roofline fit."""
    fig, ax = _fig_ax(ax, 6.4, 4.2)
    for d in h100_fit_data():
        ax.plot(d["batch"], d["tokens_per_s"], "os^"[d["marker"]], color=f"C{d['colour']}", mfc="none", ms=5)
        ax.plot(d["fit_batch"], d["fit_tokens_per_s"], "-", color=f"C{d['colour']}", lw=0.8, alpha=0.4 + 0.2 * d["marker"], label=f"{d['shape']}, context {d['context']:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch")
    ax.set_ylabel("decode tokens/s per H100-equivalent")
    ax.set_title("H100 decode throughput: measured (markers) and roofline fit (lines)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7)
    return fig


# ---------------------------------------------------------------------------------------------
# uncertainty


def uncertainty_data(analysis: Any) -> dict[str, list[dict[str, Any]]]:
    """For each output of :data:`UNCERTAINTY_OUTPUTS`, one box per scheme (matplotlib ``bxp``
    statistics: 5/25/50/75/95% quantiles of the sampled distribution)."""
    out = {}
    for key, _ in UNCERTAINTY_OUTPUTS:
        boxes = []
        for p in getattr(analysis, "uncertainty", analysis):  # the record, or its propagations
            q = p.distributions[key].quantiles
            boxes.append({"label": p.scheme, "med": q["q50"], "q1": q["q25"], "q3": q["q75"], "whislo": q["q05"], "whishi": q["q95"], "fliers": []})
        out[key] = boxes
    return out


def uncertainty_figure(analysis: Any, *, ax: Any = None) -> Any:
    """Box plots (5/25/50/75/95%) of sampled cost per query and time to provisional finality.

    With ``ax`` the two outputs share it (the second on a twin axis)."""
    if ax is None:
        fig, ax0 = new_figure(9.0, 3.6)
        ax0.remove()
        axes = list(fig.subplots(1, 2))
    else:
        fig = ax.figure
        axes = [ax, ax.twinx()]
    data = uncertainty_data(analysis)
    for a, (key, label) in zip(axes, UNCERTAINTY_OUTPUTS):
        a.bxp(data[key], orientation="horizontal", showfliers=False)
        a.set_xscale("log")
        a.set_xlabel(label)
        a.grid(True, axis="x", alpha=0.3)
    axes[0].set_title("sampled over the model ranges (5/25/50/75/95%)", fontsize=9)
    return fig
