"""Figures of the regime analysis: the secure region in (rho, S) and in (rho, W), the Pareto front,
the one-at-a-time tornado, and the minimum deterring slash against rho.

Each figure function takes its data (a record of :mod:`otr_theory.regimes`, or the model where
the figure evaluates the region on a fine grid of its own), an optional ``ax``, and returns the
figure; the numbers drawn come from a separate ``*_data`` function, which the tests check.
Nothing here uses pyplot (:class:`~otr_theory.plotting._core.OtrFigure` shows inline in Jupyter).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap

from otr_theory.fmt import fmt_num, fmt_usd
from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS, min_deterring_slash
from otr_theory.payoffs.corruption import corruption_inputs, required_stake
from otr_theory.plotting._core import new_figure
from otr_theory.regimes.deterrence import SlashVsRho, slash_vs_rho
from otr_theory.regimes.optimise import OperatingPoint
from otr_theory.regimes.region import RegionOptions, region_kernel
from otr_theory.regimes.sensitivity import Sensitivity
from otr_theory.regimes.sweep import GridPoint

__all__ = [
    "OUTPUT_LABELS",
    "pareto_data",
    "pareto_figure",
    "regime_map_data",
    "regime_map_figure",
    "slash_vs_rho_data",
    "slash_vs_rho_figure",
    "tornado_data",
    "tornado_figure",
    "tornado_pair_figure",
    "window_map_data",
    "window_map_figure",
]

REGION_CMAP = ListedColormap(["#eeeeee", "#f6d7a7", "#a8d5a2"])  # insecure, secure at equilibrium only, secure
_MARKERS = ("*", "D", "o", "s")

OUTPUT_LABELS = {"min_slash_usd": "minimum slash at the model's rho (USD)", "cheapest_cost_usd": "cheapest secure cost per query (USD)"}
"""Axis labels of the sensitivity outputs."""


def _axes(ax: Any) -> tuple[Any, Any]:
    if ax is None:
        return new_figure()
    return ax.figure, ax


def _hours(s: float) -> str:
    return f"{s / 3600:.4g} h"


def _usd(x: float) -> str:
    """Dollars without the sign: thousands separated above $1,000, four significant digits below."""
    return f"{x:,.0f}" if abs(x) >= 1000 and x == x and abs(x) != float("inf") else fmt_num(x)


def _mark(ax: Any, points: Sequence[OperatingPoint], x: str, y: str, scale: float = 1.0) -> None:
    for op, marker in zip(points, _MARKERS):
        pr = op.point
        ax.plot([getattr(pr, x)], [getattr(pr, y) / scale], marker, color="black", mfc="white" if marker == "D" else "black", ms=10 if marker == "*" else 6, label=op.label, zorder=5)


# -- the region in (rho, S) -------------------------------------------------------------------


def regime_map_data(model: Model, *, window_s: float | None = None, count: int | None = None, options: RegionOptions | None = None, resolution: int = 241) -> dict[str, Any]:
    """The secure region in the (rho, S) plane at one window (the data of :func:`regime_map_figure`).

    Returns ``rho`` and ``slash_usd`` (the axes), ``code`` (``[S, rho]``: 2 secure with the
    spot-checks alone, 1 secure only with the challengers at equilibrium, 0 insecure), the
    over-time stake line ``required_stake_usd`` (:func:`~otr_theory.payoffs.corruption.required_stake`,
    the largest over the deviations), the one-query ``one_query_slash_usd`` of the best deviation
    (for contrast), the model's stake, the stake cap, the window, the count and the title.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> d = regime_map_data(load_model(), resolution=21)
    >>> d["code"].shape, int(d["code"].max()), d["window_ok"]
    ((21, 21), 2, True)
    """
    v = model.values()
    W = float(v["window_s"]) if window_s is None else float(window_s)
    n = max(int(v["count"]), 1) if count is None else int(count)
    k = region_kernel(model, options)
    rhos = np.logspace(-5, 0, resolution)
    top = k.stake_cap_usd if np.isfinite(k.stake_cap_usd) else 1e10
    slashes = np.logspace(0, np.log10(max(top, float(v["stake_usd"]), 1.0) * 10), resolution)
    r = k.evaluate(slashes[:, None], rhos[None, :], W, n)
    code = np.where(r["secure"], 2, np.where(r["secure_eq"], 1, 0))
    base = {d: corruption_inputs(model, d).replace(window_s=W) for d in DEVIATIONS}
    need = np.array([max(required_stake(base[d].replace(spot_check_rate=float(x) if k.bites else 0.0)) for d in DEVIATIONS) for x in rhos])
    p = np.ones_like(rhos) if k.surely_caught else rhos if k.bites else np.zeros_like(rhos)
    d = k.best_deviation
    one = np.asarray(min_deterring_slash(k.gains[d], p, model.loss_convention, margin_usd=k.margin_usd), dtype=float)
    ok = (not k.optimistic) or W > k.min_window_s
    window = f"W = {_hours(W)}" + ("" if ok else f" <= W_min = {_hours(k.min_window_s)}: window too short, nothing secure")
    if ok and W < k.over_time["proof_window_s"]:
        window += f" < proof deadline {_hours(k.over_time['proof_window_s'])}: nothing secure"
    return {
        "rho": rhos, "slash_usd": slashes, "code": code, "required_stake_usd": need, "one_query_slash_usd": one,
        "one_query_gain_usd": float(k.gains[d]), "stake_usd": float(v["stake_usd"]),
        "stake_cap_usd": float(k.stake_cap_usd), "window_s": W, "count": n, "window_ok": bool(ok),
        "title": f"Secure region (green: spot-checks alone deter), n = {n}, {window}",
    }  # fmt: skip


def regime_map_figure(
    model: Model, *, window_s: float | None = None, count: int | None = None, points: Sequence[OperatingPoint] = (), options: RegionOptions | None = None, resolution: int = 241, ax: Any = None
) -> Any:
    """The secure region in the (rho, S) plane at one window, with the required stake over time.

    Shading: green secure (spot-checks only); orange secure only when the challengers are
    counted at equilibrium; grey insecure. Lines: the stake that deters every strategy over time,
    the one-query minimum slash of the largest gain (dotted, for contrast), the model's stake,
    and a stake cap if one is set. A window that does not exceed the dispute bound W_min, or is
    shorter than the proof deadline, leaves nothing secure, and the title says so.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> fig = regime_map_figure(load_model(), resolution=21)
    >>> [line.get_label() for line in fig.axes[0].lines][:2]
    ['S*(rho) over time (every strategy)', 'one-query S* (G = $100), for contrast']
    """
    fig, ax = _axes(ax)
    d = regime_map_data(model, window_s=window_s, count=count, options=options, resolution=resolution)
    rhos, slashes = d["rho"], d["slash_usd"]
    ax.pcolormesh(rhos, slashes, d["code"], cmap=REGION_CMAP, vmin=0, vmax=2, shading="nearest", rasterized=True)
    ax.plot(rhos, np.clip(d["required_stake_usd"], slashes[0], slashes[-1]), "-", color="C0", lw=1.6, label="S*(rho) over time (every strategy)")
    ax.plot(rhos, np.clip(d["one_query_slash_usd"], slashes[0], slashes[-1]), ":", color="C0", lw=1.2, label=f"one-query S* (G = ${fmt_num(d['one_query_gain_usd'])}), for contrast")
    ax.axhline(d["stake_usd"], color="C3", lw=1.0, ls="--", label=f"model's stake ${_usd(d['stake_usd'])}")
    if np.isfinite(d["stake_cap_usd"]):
        ax.axhline(d["stake_cap_usd"], color="C3", lw=1.2, label=f"stake cap ${_usd(d['stake_cap_usd'])}")
    _mark(ax, points, "spot_check_rate", "slash_usd")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(rhos[0], rhos[-1])
    ax.set_ylim(slashes[0], slashes[-1])
    ax.set_xlabel("spot-check rate rho")
    ax.set_ylabel("slash S (USD)")
    ax.set_title(d["title"], fontsize=9)
    ax.legend(fontsize=7, loc="lower left")
    return fig


# -- the region in (rho, W) -------------------------------------------------------------------


def window_map_data(model: Model, *, slash_usd: float | None = None, count: int | None = None, options: RegionOptions | None = None, resolution: int = 241) -> dict[str, Any]:
    """The secure region in the (rho, W) plane at one slash (the data of :func:`window_map_figure`):
    ``rho``, ``window_s``, ``code`` (``[W, rho]``, as in :func:`regime_map_data`), the window bound
    ``min_window_s`` (None without a dispute), the ``proof_window_s`` (None if 0), ``max_final_s``.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> d = window_map_data(load_model(), slash_usd=1e8, resolution=21)
    >>> d["min_window_s"] / 3600, d["proof_window_s"] / 3600
    (20.833333333333332, 12.0)
    """
    v = model.values()
    S = float(v["slash_usd"]) if slash_usd is None else float(slash_usd)
    n = max(int(v["count"]), 1) if count is None else int(count)
    k = region_kernel(model, options)
    rhos = np.logspace(-5, 0, resolution)
    w_lo = max(k.min_window_s / 10, 60.0)
    windows = np.logspace(np.log10(w_lo), np.log10(max(30 * 86_400.0, 2 * float(v["window_s"]))), resolution)
    r = k.evaluate(S, rhos[None, :], windows[:, None], n)
    code = np.where(r["secure"], 2, np.where(r["secure_eq"], 1, 0))
    return {
        "rho": rhos, "window_s": windows, "code": code, "slash_usd": S, "count": n,
        "min_window_s": float(k.min_window_s) if k.optimistic else None,
        "proof_window_s": float(k.over_time["proof_window_s"]) if k.over_time["proof_window_s"] > 0 else None,
        "max_final_s": k.options.max_final_s,
    }  # fmt: skip


def window_map_figure(
    model: Model, *, slash_usd: float | None = None, count: int | None = None, points: Sequence[OperatingPoint] = (), options: RegionOptions | None = None, resolution: int = 241, ax: Any = None
) -> Any:
    """The secure region in the (rho, W) plane at one slash, with the window bound W_min.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> fig = window_map_figure(load_model(), slash_usd=1e8, resolution=21)
    >>> fig.axes[0].lines[0].get_ydata()[0], fig.axes[0].lines[1].get_ydata()[0]  # W_min and the proof deadline, in hours
    (20.833333333333332, 12.0)
    """
    fig, ax = _axes(ax)
    d = window_map_data(model, slash_usd=slash_usd, count=count, options=options, resolution=resolution)
    ax.pcolormesh(d["rho"], d["window_s"] / 3600, d["code"], cmap=REGION_CMAP, vmin=0, vmax=2, shading="nearest", rasterized=True)
    if d["min_window_s"] is not None:
        ax.axhline(d["min_window_s"] / 3600, color="C3", lw=1.4, label=f"W_min = {_hours(d['min_window_s'])}: rounds x timeout + settlement + censorship")
    if d["proof_window_s"] is not None:
        ax.axhline(d["proof_window_s"] / 3600, color="C4", lw=1.4, ls="-.", label=f"proof deadline {_hours(d['proof_window_s'])}: a spot-checked fraud must be slashed before it is final")
    if d["max_final_s"] is not None:
        ax.axhline(d["max_final_s"] / 3600, color="C1", lw=1.2, ls="--", label="latency bound on final finality")
    _mark(ax, points, "spot_check_rate", "window_s", scale=3600.0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("spot-check rate rho")
    ax.set_ylabel("challenge window W (hours)")
    ax.set_title(f"Window constraint at S = ${_usd(d['slash_usd'])}, n = {d['count']} (green: secure)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    return fig


# -- the Pareto front -------------------------------------------------------------------------


def pareto_data(front: Sequence[GridPoint]) -> dict[str, np.ndarray]:
    """``cost_usd``, ``margin_usd`` and ``final_h`` of the front's points (the data of :func:`pareto_figure`).

    >>> pareto_data([GridPoint(0, 1e5, 0.001, 3e4, 3, 0.01, 3600.0, 1.0)])["final_h"].tolist()
    [1.0]
    """
    return {
        "cost_usd": np.array([p.cost_usd for p in front], dtype=float),
        "margin_usd": np.array([p.margin_usd for p in front], dtype=float),
        "final_h": np.array([p.final_s for p in front], dtype=float) / 3600,
    }


def pareto_figure(front: Sequence[GridPoint], *, points: Sequence[OperatingPoint] = (), ax: Any = None) -> Any:
    """The Pareto front: cost per query against the security margin, coloured by finality time.

    Examples
    --------
    >>> fig = pareto_figure([GridPoint(0, 1e5, 0.001, 3e4, 3, 0.01, 3e4, 1.0), GridPoint(1, 1e5, 0.01, 3e4, 3, 0.1, 3e4, 900.0)])
    >>> fig.axes[0].collections[0].get_offsets().tolist()
    [[0.01, 1.0], [0.1, 900.0]]
    """
    fig, ax = _axes(ax)
    d = pareto_data(front)
    if len(front):
        if np.unique(d["final_h"]).size > 1:
            sc = ax.scatter(d["cost_usd"], d["margin_usd"], c=d["final_h"], cmap="viridis", s=14, label="Pareto front (sweep grid)")
            fig.colorbar(sc, ax=ax, label="time to final finality (h)")
        else:  # a longer window only adds time (and capital): the whole front sits at the shortest
            ax.scatter(d["cost_usd"], d["margin_usd"], color="C2", s=14, label=f"Pareto front (sweep grid), all at final finality {d['final_h'][0]:.4g} h")
    for op, marker in zip(points, _MARKERS):
        ax.plot([op.point.cost_usd], [max(op.point.margin_usd, 1e-3)], marker, color="black", mfc="white" if marker == "D" else "black", ms=10 if marker == "*" else 6, label=op.label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("cost per query (USD)")
    ax.set_ylabel("security margin (USD per cheated query)")
    ax.set_title("Secure points that no other beats on cost, finality and margin", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    return fig


# -- the tornado ------------------------------------------------------------------------------


def tornado_data(sens: Sensitivity, output: str, *, top: int = 10) -> dict[str, Any]:
    """The bars of :func:`tornado_figure`, bottom to top: ``labels``, ``lows``, ``highs`` (the
    output with the input at its low and at its high), ``base`` (the output at the model's values);
    no bars where the base is not finite; ``log`` whether the axis is logarithmic."""
    base = float(sens.baseline[output])
    bars = [b for b in sens.tornado[output] if b.swing > 0 and np.isfinite(b.swing)][:top] if np.isfinite(base) else []
    lows = np.array([b.output_at_low for b in bars][::-1], dtype=float)
    highs = np.array([b.output_at_high for b in bars][::-1], dtype=float)
    values = np.concatenate([lows, highs, [base]])
    log = bool(bars) and bool(np.all(np.isfinite(values))) and bool(np.all(values > 0)) and values.max() / values.min() > 100
    return {"labels": [b.field for b in bars][::-1], "lows": lows, "highs": highs, "base": base, "log": log}


def tornado_figure(sens: Sensitivity, output: str, *, top: int = 10, ax: Any = None) -> Any:
    """One-at-a-time swings of ``output`` (each input at its low and at its high), largest first.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> from otr_theory.regimes.sensitivity import run_sensitivity
    >>> s = run_sensitivity(load_model(), method="morris", samples=4)
    >>> fig = tornado_figure(s, "min_slash_usd")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-1]
    'replicas_per_stake'
    """
    fig, ax = _axes(ax)
    d = tornado_data(sens, output, top=top)
    base = d["base"]
    if not np.isfinite(base):
        ax.text(0.5, 0.5, "no secure point at the model's values", ha="center", va="center", transform=ax.transAxes)
    y = np.arange(len(d["labels"]))
    if d["labels"]:
        ax.barh(y, d["lows"] - base, left=base, color="C0", label="input at its low")
        ax.barh(y, d["highs"] - base, left=base, color="C1", alpha=0.8, label="input at its high")
        ax.axvline(base, color="black", lw=0.8)
        ax.legend(fontsize=7, loc="lower right")
    ax.set_yticks(y)
    ax.set_yticklabels(d["labels"], fontsize=7)
    ax.set_xlabel(OUTPUT_LABELS.get(output, output), fontsize=8)
    if d["log"]:
        ax.set_xscale("log")
    ax.set_title(f"One at a time: {OUTPUT_LABELS.get(output, output)}", fontsize=8)
    return fig


def tornado_pair_figure(sens: Sensitivity) -> Any:
    """The tornados of the minimum slash and of the cheapest cost side by side."""
    fig, ax = new_figure(10.0, 4.2)
    ax.remove()
    left, right = fig.subplots(1, 2)
    tornado_figure(sens, "min_slash_usd", ax=left)
    tornado_figure(sens, "cheapest_cost_usd", ax=right)
    return fig


# -- the minimum deterring slash against rho --------------------------------------------------


def slash_vs_rho_data(curve: SlashVsRho | Model) -> dict[str, Any]:
    """The lines of :func:`slash_vs_rho_figure`: ``rho``, ``{convention: S*}`` with the one in
    force labelled, the configured slash and rate (None where 0), the title.

    >>> from otr_theory.model import load_model
    >>> d = slash_vs_rho_data(load_model())
    >>> [label for label, _ in d["lines"]], d["configured_slash_usd"]
    (['forfeit (in force)', 'keep'], 100000.0)
    """
    c = slash_vs_rho(curve) if isinstance(curve, Model) else curve
    lines = [(f"{conv}{' (in force)' if conv == c.loss_convention else ''}", np.asarray(ys, dtype=float)) for conv, ys in (("forfeit", c.forfeit_usd), ("keep", c.keep_usd))]
    return {
        "rho": np.asarray(c.rho, dtype=float),
        "lines": lines,
        "configured_slash_usd": c.slash_usd if c.slash_usd > 0 else None,
        "configured_rho": c.spot_check_rate if (c.spot_check_rate > 0 and c.slash_usd > 0) else None,
        # no "$" in figure text: a pair of them starts mathtext
        "title": f"S* against rho: gain {fmt_num(c.external_gain_usd)} USD, margin {fmt_num(c.incentive_margin_usd)} USD, spot-checks only",
    }


def slash_vs_rho_figure(curve: SlashVsRho | Model, *, ax: Any = None) -> Any:
    """Minimum deterring slash (with the model's margin) against rho under both conventions,
    spot-checks only, with the configured point. Takes the record of
    :func:`otr_theory.regimes.deterrence.slash_vs_rho` (or the model)."""
    fig, ax = _axes(ax)
    d = slash_vs_rho_data(curve)
    for (label, ys), style in zip(d["lines"], ("-", "--")):
        ax.loglog(d["rho"], ys, style, label=label)
    if d["configured_slash_usd"] is not None:
        ax.axhline(d["configured_slash_usd"], color="grey", lw=0.8, ls=":", label=f"configured slash {fmt_usd(d['configured_slash_usd'], 4).replace('$', '')} USD")
    if d["configured_rho"] is not None:
        ax.plot([d["configured_rho"]], [d["configured_slash_usd"]], "o", color="black", label=f"configured rho = {fmt_num(d['configured_rho'])}")
    ax.set_xlabel("spot-check rate rho")
    ax.set_ylabel("minimum deterring slash S* (USD)")
    ax.set_title(d["title"], fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig
