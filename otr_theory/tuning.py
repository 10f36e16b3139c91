r"""A live view of one regime point for interactive tuning (the notebooks' slider redraw).

The sliders choose a regime point: slash S, spot-check rate rho, window W and challengers n
(:data:`~otr_theory.regimes.DECISION_FIELDS`). :class:`TuningView` answers, at that point and
under the over-time criterion of :mod:`otr_theory.payoffs.corruption` (spot-checks only, the
guarantee):

* secure or not, the best attack over time and its expected profit, the stake that deters every
  strategy over time, the margin, the binding constraint and the cost per query -- all from
  :func:`~otr_theory.regimes.evaluate_point` (nothing is recomputed here);
* the **cheapest secure point at the sliders' W and n** (ours): the secure set in rho at fixed
  S is an interval :math:`[\rho^*(S), 1]` (:mod:`otr_theory.regimes.optimise`), and the cost
  grows with rho, so the cheapest point at fixed W is

  .. math::

      \min_{S \in \mathcal{S}} \mathrm{cost}\bigl(S, \rho^*(S), W, n\bigr), \qquad
      \rho^*(S) \le 1,

  over a fixed log grid :math:`\mathcal{S}` (grid resolution: adjacent slashes differ by
  :attr:`TuningView.slash_step`), with :math:`\rho^*` from
  :func:`~otr_theory.regimes.required_spot_check_rate` and the cost from the vectorised
  :class:`~otr_theory.regimes.RegionKernel`; the answer is re-evaluated by
  :func:`~otr_theory.regimes.evaluate_point`. With W free the window's lower bound wins
  (unless pending results revert), which is :func:`~otr_theory.regimes.cheapest_point`;
  :attr:`TuningView.cheapest` holds that global answer, computed once;
* the **cost-vs-rho curve** at the sliders' S and W: cost per query (kernel) and the stake
  that deters every strategy over time, :math:`S^*(\rho)` =
  :func:`~otr_theory.payoffs.corruption.required_stake` (max over deviations), for each rho
  of a fixed axis;
* the secure region in the (rho, S) plane at the sliders' W and n (the kernel on a fixed grid).

Speed: everything that does not depend on the sliders (the kernel, the grids, the deviations'
inputs, the global cheapest point, the figure and its artists) is built once in the
constructor; a redraw evaluates the kernel on fixed arrays and updates the artists' data (no new
figure). ``benchmarks/bench_notebook_redraw.py`` times it against the naive full recompute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.ticker import LogFormatter, LogLocator, NullLocator

from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS
from otr_theory.payoffs.corruption import corruption_inputs, required_stake
from otr_theory.regimes import (
    RegimeError,
    RegionOptions,
    cheapest_point,
    evaluate_point,
    region_kernel,
    required_spot_check_rate,
)
from otr_theory.report.core import new_figure
from otr_theory.plotting.regimes import regime_map_figure

__all__ = ["PARAMS", "TuningView"]

PARAMS: tuple[str, ...] = ("slash_usd", "spot_check_rate", "window_s", "count")
"""The slider parameters of :meth:`TuningView.redraw`."""


class TuningView:
    """Precomputed state and one reused figure for the tuning notebook's redraw.

    Parameters
    ----------
    model : Model
    options : RegionOptions, optional
    resolution : int
        Points per axis of the region map (and of the rho axis of the cost curve).
    slash_points : int
        Points of the log grid of S for the cheapest point at the sliders' W.
    figure : bool
        Build the figure (False: numbers only, :meth:`compute`).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> view = TuningView(load_model(), resolution=31, figure=False)
    >>> out = view.compute(slash_usd=1e5, spot_check_rate=0.01, window_s=86_400.0, count=3)
    >>> out["secure"], out["binding"], round(out["required_stake_usd"] / 1e6, 1)
    (False, 'incentives', 56.1)
    """

    def __init__(self, model: Model, *, options: RegionOptions | None = None, resolution: int = 121, slash_points: int = 513, figure: bool = True) -> None:
        if not isinstance(model, Model):
            raise RegimeError("model", "must be a Model (otr_theory.model.load_model)", type(model).__name__)
        if not isinstance(resolution, int) or resolution < 3:
            raise RegimeError("resolution", "must be an integer >= 3", resolution)
        if not isinstance(slash_points, int) or slash_points < 3:
            raise RegimeError("slash_points", "must be an integer >= 3", slash_points)
        self.model = model
        self.options = RegionOptions() if options is None else options
        self.kernel = region_kernel(model, self.options)
        v = model.values()
        # the same axes as regime_map_figure at this resolution
        self.rhos = np.logspace(-5, 0, resolution)
        top = self.kernel.stake_cap_usd if np.isfinite(self.kernel.stake_cap_usd) else 1e10
        self.slashes = np.logspace(0, np.log10(max(top, float(v["stake_usd"]), 1.0) * 10), resolution)
        s_max = self.kernel.stake_cap_usd if np.isfinite(self.kernel.stake_cap_usd) else 1e13
        self.slash_grid = np.geomspace(max(s_max * 1e-10, 1.0), s_max, slash_points)
        self.slash_step = float(self.slash_grid[1] / self.slash_grid[0])
        self._base = {d: corruption_inputs(model, d) for d in DEVIATIONS}
        self._stakes: dict[float | None, np.ndarray] = {}  # S*(rho) depends on W only where pending results revert
        self.cheapest = cheapest_point(model, options=self.options)
        self.stake_curve(float(v["window_s"]))
        self.fig = None
        if figure:
            self._build_figure()

    # numbers -----------------------------------------------------------------------------------
    def _check(self, slash_usd: float, spot_check_rate: float, window_s: float, count: int) -> tuple[float, float, float, int]:
        for name, val in zip(PARAMS, (slash_usd, spot_check_rate, window_s, count)):
            if not isinstance(val, (int, float, np.integer, np.floating)) or not math.isfinite(float(val)):
                raise RegimeError(name, "must be a finite number", val)
        return float(slash_usd), float(spot_check_rate), float(window_s), int(count)

    def stake_curve(self, window_s: float) -> np.ndarray:
        """:math:`S^*(\\rho)` over :attr:`rhos` at window W: the largest required stake over the deviations.

        Cached by W where pending results revert (elsewhere S* does not depend on W: one entry).
        """
        key = float(window_s) if self.kernel.over_time["reverts"] else None
        if key in self._stakes:
            return self._stakes[key]
        if len(self._stakes) > 256:
            self._stakes.clear()
        rho_eff = self.rhos if self.kernel.bites else np.zeros_like(self.rhos)
        base = {d: b.replace(window_s=float(window_s), challenger_detection=0.0) for d, b in self._base.items()}
        out = np.array([max(required_stake(base[d].replace(spot_check_rate=float(r))) for d in DEVIATIONS) for r in rho_eff])
        out.setflags(write=False)
        self._stakes[key] = out
        return out

    def cheapest_at(self, window_s: float, count: int) -> dict[str, Any] | None:
        """The cheapest secure point at window W and n challengers (grid resolution in S), or None."""
        W, n = float(window_s), int(count)
        need = np.asarray(required_spot_check_rate(self.model, self.slash_grid, W))
        feasible = np.isfinite(need) & (need <= 1.0)
        if not feasible.any():
            return None
        S = self.slash_grid[feasible]
        rho = need[feasible]
        r = self.kernel.evaluate(S, rho, W, n, readings=("spot_checks_only",))
        cost = np.where(r["secure"], r["cost_usd"], np.inf)
        if not np.isfinite(cost).any():
            return None
        i = int(np.argmin(cost))
        s_best, rho_best = float(S[i]), float(rho[i])
        point = evaluate_point(self.model, slash_usd=s_best, spot_check_rate=rho_best, window_s=W, count=n, options=self.options)
        if not point.secure and rho_best < 1.0:  # on the boundary: the scalar route may fall a few ulps short
            rho_best = min(rho_best * (1 + 1e-9), 1.0)
            point = evaluate_point(self.model, slash_usd=s_best, spot_check_rate=rho_best, window_s=W, count=n, options=self.options)
        if not point.secure:
            raise RegimeError("cheapest_at", "internal check failed: the grid optimum is not secure point by point", (s_best, rho_best, W, n))
        return {"slash_usd": s_best, "spot_check_rate": rho_best, "window_s": W, "count": n, "cost_usd": point.cost_usd, "point": point}

    def compute(self, *, slash_usd: float, spot_check_rate: float, window_s: float, count: int) -> dict[str, Any]:
        """Every number of the live view at the sliders' point (see the module docstring).

        Returns
        -------
        dict
            ``point`` (the :class:`~otr_theory.regimes.PointRecord`), ``secure``, ``binding``,
            ``best_attack``, ``attack_profit_usd``, ``required_stake_usd``, ``margin_usd``,
            ``required_margin_usd``, ``cost_usd``, ``one_query_margin_usd``; ``cheapest_at_w``
            (dict or None); ``rhos``, ``cost_curve_usd``, ``secure_curve``, ``stake_curve_usd``;
            ``region`` (0 insecure, 1 secure at equilibrium only, 2 secure; S by rho).
        """
        S, rho, W, n = self._check(slash_usd, spot_check_rate, window_s, count)
        pr = evaluate_point(self.model, slash_usd=S, spot_check_rate=rho, window_s=W, count=n, options=self.options)
        curve = self.kernel.evaluate(S, self.rhos, W, n)  # the cost counts the challengers at equilibrium, as evaluate_point does
        grid = self.kernel.evaluate(self.slashes[:, None], self.rhos[None, :], W, n)
        return {
            "point": pr,
            "secure": pr.secure,
            "binding": pr.binding,
            "best_attack": pr.best_attack,
            "attack_profit_usd": pr.best_attack["payoff_usd"],
            "required_stake_usd": pr.required_stake_usd,
            "margin_usd": pr.margin_usd,
            "required_margin_usd": pr.required_margin_usd,
            "cost_usd": pr.cost_usd,
            "one_query_margin_usd": pr.one_query_margin_usd,
            "cheapest_at_w": self.cheapest_at(W, n),
            "rhos": self.rhos,
            "cost_curve_usd": np.asarray(curve["cost_usd"], dtype=float),
            "secure_curve": np.asarray(curve["secure"], dtype=bool),
            "stake_curve_usd": self.stake_curve(W),
            "region": np.where(grid["secure"], 2, np.where(grid["secure_eq"], 1, 0)),
        }

    # figure ------------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        v = self.model.values()
        fig, ax = new_figure(11.0, 4.2)
        ax.remove()
        left, right = fig.subplots(1, 2)
        # the existing public figure function draws the map once; later redraws update its artists
        regime_map_figure(self.model, window_s=float(v["window_s"]), count=max(int(v["count"]), 1), resolution=self.rhos.size, options=self.options, ax=left)
        self._mesh = left.collections[0]
        self._stake_line = left.lines[0]
        (self._here,) = left.plot([], [], "*", color="black", ms=12, label="slider point", zorder=6)
        (self._cheap_w,) = left.plot([], [], "D", color="black", mfc="white", ms=7, label="cheapest secure at this W", zorder=6)
        if self.cheapest is not None:
            cp = self.cheapest.point
            left.plot([cp.spot_check_rate], [cp.slash_usd], "o", color="C2", mec="black", ms=7, label="cheapest secure (any W)", zorder=5)
        left.legend(fontsize=7, loc="lower left")
        self._cost_line, = right.plot(self.rhos, np.ones_like(self.rhos), "-", color="C1", lw=1.0, label="cost per query (insecure)")
        self._cost_secure, = right.plot(self.rhos, np.ones_like(self.rhos), "-", color="C2", lw=2.2, label="cost per query (secure)")
        self._rho_mark = right.axvline(float(v["spot_check_rate"]), color="black", lw=0.8, ls="--")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("spot-check rate rho")
        right.set_ylabel("cost per query (USD)")
        twin = right.twinx()
        self._stake_curve, = twin.plot(self.rhos, np.ones_like(self.rhos), ":", color="C0", lw=1.4, label="stake S*(rho) over time")
        self._slash_mark = twin.axhline(float(v["slash_usd"]), color="C3", lw=0.8, ls="--", label="slider S")
        twin.set_yscale("log")
        twin.set_ylabel("deterring stake S* (USD)")
        lines = [self._cost_line, self._cost_secure, self._stake_curve, self._slash_mark]
        right.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="upper left")
        self._left, self._right, self._twin = left, right, twin
        # fast redraws: plain tick labels (no mathtext to parse when the limits move), no minor
        # ticks, and the layout solved once (constrained layout re-measures every label per draw)
        for a in (left, right, twin):
            for axis in (a.xaxis, a.yaxis):
                axis.set_major_formatter(LogFormatter(labelOnlyBase=True))
                axis.set_minor_locator(NullLocator())
        right.xaxis.set_major_locator(LogLocator(numticks=6))
        fig.canvas.draw()
        fig.set_layout_engine(None)  # not "none": any engine, even a placeholder, makes savefig draw twice
        self.fig = fig

    def redraw(self, params: Mapping[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """Compute the live view at ``params`` (:data:`PARAMS`) and update the figure's artists.

        Returns the dict of :meth:`compute` (plus ``figure``); the figure is the same object on
        every call.
        """
        p = dict(params or {}, **kw)
        missing = [k for k in PARAMS if k not in p]
        if missing:
            raise RegimeError("params", "must give slash_usd, spot_check_rate, window_s and count", missing)
        out = self.compute(**{k: p[k] for k in PARAMS})
        if self.fig is None:
            return out
        S, rho, W = float(p["slash_usd"]), float(p["spot_check_rate"]), float(p["window_s"])
        self._mesh.set_array(out["region"].ravel())
        stake = out["stake_curve_usd"]
        self._stake_line.set_ydata(np.clip(stake, self.slashes[0], self.slashes[-1]))
        self._here.set_data([rho], [S])
        cw = out["cheapest_at_w"]
        self._cheap_w.set_data(([cw["spot_check_rate"]], [cw["slash_usd"]]) if cw else ([], []))
        verdict = "SECURE" if out["secure"] else "NOT secure"
        self._left.set_title(f"W = {W / 3600:.4g} h, n = {int(p['count'])}: {verdict} (binding: {out['binding']})", fontsize=9)
        cost = out["cost_curve_usd"]
        self._cost_line.set_ydata(cost)
        self._cost_secure.set_ydata(np.where(out["secure_curve"], cost, np.nan))
        self._rho_mark.set_xdata([rho, rho])
        finite = cost[np.isfinite(cost) & (cost > 0)]
        if finite.size:
            self._right.set_ylim(finite.min() / 1.5, finite.max() * 1.5)
        ok = stake[np.isfinite(stake) & (stake > 0)]
        self._stake_curve.set_ydata(np.where(np.isfinite(stake) & (stake > 0), stake, np.nan))
        lo = min(ok.min() if ok.size else S, S)
        hi = max(ok.max() if ok.size else S, S)
        self._twin.set_ylim(max(lo, 1e-3) / 2, hi * 2)
        self._slash_mark.set_ydata([S, S])
        self._right.set_title(f"at S = ${S:,.0f}, W = {W / 3600:.4g} h: cost per query and deterring stake against rho", fontsize=9)
        out["figure"] = self.fig
        return out
