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
figure). The picture is blitted: the axes, ticks, labels and legends (whose limits are fixed
over the sliders' :data:`RANGES`) are drawn once into a cached background, and
:meth:`TuningView.png` restores it and draws only the changed artists before a light PNG
encoding -- about a tenth of matplotlib's full ``savefig``, whose text layout dominates.
``benchmarks/bench_notebook_redraw.py`` times it against the naive full recompute.
"""

from __future__ import annotations

import dataclasses
import math
import struct
import zlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import LogFormatter, LogLocator, NullLocator

from otr_theory.fmt import fmt_duration, fmt_usd
from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS
from otr_theory.payoffs.corruption import corruption_inputs, required_stake
from otr_theory.plotting import new_figure
from otr_theory.plotting.regimes import regime_map_figure
from otr_theory.regimes import (
    RegimeError,
    RegionOptions,
    cheapest_point,
    evaluate_point,
    region_kernel,
    required_spot_check_rate,
)

__all__ = ["PARAMS", "RANGES", "RedrawImage", "TuningView"]

PARAMS: tuple[str, ...] = ("slash_usd", "spot_check_rate", "window_s", "count")
"""The slider parameters of :meth:`TuningView.redraw`."""

RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "slash_usd": (1e3, 1e11),
        "spot_check_rate": (1e-5, 1.0),
        "window_s": (3_600.0, 168 * 3_600.0),
        "count": (0, 10),
    }
)
"""The sliders' ranges (notebook 02 builds its sliders from them); the figure's axes are fixed
to cover every point in them, so a redraw draws only the data."""


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
    ranges : mapping of str to (float, float)
        The sliders' ranges, one per :data:`PARAMS` (default :data:`RANGES`): the cost and
        stake axes are fixed to cover them (a point outside widens them, and costs one full draw).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> view = TuningView(load_model(), resolution=31, figure=False)
    >>> out = view.compute(slash_usd=1e5, spot_check_rate=0.01, window_s=86_400.0, count=3)
    >>> out["secure"], out["binding"], round(out["required_stake_usd"] / 1e6, 1)
    (False, 'incentives', 56.1)
    """

    def __init__(
        self,
        model: Model,
        *,
        options: RegionOptions | None = None,
        resolution: int = 121,
        slash_points: int = 513,
        figure: bool = True,
        ranges: Mapping[str, tuple[float, float]] = RANGES,
    ) -> None:
        if not isinstance(model, Model):
            raise RegimeError("model", "must be a Model (otr_theory.model.load_model)", type(model).__name__)
        if not isinstance(resolution, int) or resolution < 3:
            raise RegimeError("resolution", "must be an integer >= 3", resolution)
        if not isinstance(slash_points, int) or slash_points < 3:
            raise RegimeError("slash_points", "must be an integer >= 3", slash_points)
        if not isinstance(ranges, Mapping) or set(ranges) != set(PARAMS):
            raise RegimeError("ranges", f"must give (low, high) for each of {', '.join(PARAMS)}", ranges)
        for k in PARAMS:
            try:
                lo, hi = (float(x) for x in ranges[k])
            except (TypeError, ValueError):
                raise RegimeError(f"ranges[{k!r}]", "must be a pair of numbers (low, high)", ranges[k]) from None
            if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi and (k == "count" or lo > 0) and lo >= 0):
                raise RegimeError(f"ranges[{k!r}]", "must be finite with 0 <= low <= high (low > 0 but for count)", (lo, hi))
        self.ranges = MappingProxyType({k: (float(ranges[k][0]), float(ranges[k][1])) for k in PARAMS})
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
        self._drawn: bool | None = None
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
    def _fixed_limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The right panel's y-limits, whole decades, fixed over the sliders' :attr:`ranges`:
        the cost per query over rho at the ranges' corners (S, W, n) and the deterring stake
        S*(rho) with the slider's S range. Fixed limits keep the panel's ticks and labels in the
        cached background (a redraw draws the data only)."""
        (s_lo, s_hi), _, (w_lo, w_hi), (n_lo, n_hi) = (self.ranges[k] for k in PARAMS)
        costs = []
        for S in np.geomspace(s_lo, s_hi, 5):
            for W in (w_lo, w_hi):
                for n in sorted({int(n_lo), int(n_hi)}):
                    costs.append(np.asarray(self.kernel.evaluate(float(S), self.rhos, float(W), n)["cost_usd"], dtype=float))
        c = np.concatenate(costs)
        c = c[np.isfinite(c) & (c > 0)]
        cost = (1e-3, 1.0) if not c.size else (10.0 ** math.floor(math.log10(c.min())), 10.0 ** math.ceil(math.log10(c.max())))
        st = np.concatenate([self.stake_curve(w) for w in (w_lo, w_hi)])
        st = st[np.isfinite(st) & (st > 0)]
        lo = min(st.min() if st.size else s_lo, s_lo)
        hi = max(st.max() if st.size else s_hi, s_hi)
        stake = (10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi)))
        return cost, stake

    def _build_figure(self) -> None:
        v = self.model.values()
        fig, ax = new_figure(11.0, 4.8)
        FigureCanvasAgg(fig)  # an Agg canvas of its own: the cached background is Agg pixels
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
        # legends below the panels, not over the data: the background that holds them is cached
        left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        (self._cost_line,) = right.plot(self.rhos, np.ones_like(self.rhos), "-", color="C1", lw=1.0, label="cost per query (insecure)")
        (self._cost_secure,) = right.plot(self.rhos, np.ones_like(self.rhos), "-", color="C2", lw=2.2, label="cost per query (secure)")
        self._rho_mark = right.axvline(float(v["spot_check_rate"]), color="black", lw=0.8, ls="--")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlim(self.rhos[0], self.rhos[-1])
        right.set_xlabel("spot-check rate rho")
        right.set_ylabel("cost per query (USD)")
        twin = right.twinx()
        (self._stake_curve,) = twin.plot(self.rhos, np.ones_like(self.rhos), ":", color="C0", lw=1.4, label="stake S*(rho) over time")
        self._slash_mark = twin.axhline(float(v["slash_usd"]), color="C3", lw=0.8, ls="--", label="slider S")
        twin.set_yscale("log")
        twin.set_ylabel("deterring stake S* (USD)")
        self._limits = self._fixed_limits()
        right.set_ylim(*self._limits[0])
        twin.set_ylim(*self._limits[1])
        lines = [self._cost_line, self._cost_secure, self._stake_curve, self._slash_mark]
        right.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        self._left, self._right, self._twin = left, right, twin
        # fast redraws: plain tick labels (no mathtext to parse), no minor ticks, and the layout
        # solved once (constrained layout re-measures every label per draw)
        for a in (left, right, twin):
            for axis in (a.xaxis, a.yaxis):
                axis.set_major_formatter(LogFormatter(labelOnlyBase=True))
                axis.set_minor_locator(NullLocator())
        right.xaxis.set_major_locator(LogLocator(numticks=6))
        # the titles change with every redraw: plain texts above the axes (a title's place is
        # recomputed only by a full draw), laid out once with a sample of their length
        left.set_title("")
        self._left_title = left.text(0.5, 1.02, "W = 1 d 0 h, n = 3: NOT secure (binding: incentives)", transform=left.transAxes, ha="center", va="bottom", fontsize=9)
        self._right_title = right.text(0.5, 1.02, "at S = $100,000, W = 1 d 0 h: cost per query and deterring stake", transform=right.transAxes, ha="center", va="bottom", fontsize=9)
        fig.canvas.draw()
        fig.set_layout_engine(None)  # not "none": any engine, even a placeholder, makes savefig draw twice
        # what a redraw changes, drawn in this order over the cached background; on the map the
        # mesh covers the lines and spines drawn above it, so they are drawn again after it
        self._dynamic = {
            left: [self._mesh, *left.lines, *left.spines.values(), self._left_title],
            right: [self._cost_line, self._cost_secure, self._rho_mark, self._right_title],
            twin: [self._stake_curve, self._slash_mark],
        }
        self.fig = fig
        self._background = None

    def _capture_background(self) -> None:
        """Draw the figure without what a redraw changes, and keep the pixels (once)."""
        changing = {id(a): a for arts in self._dynamic.values() for a in arts}
        shown = {k: a.get_visible() for k, a in changing.items()}
        for a in changing.values():
            a.set_visible(False)
        try:
            self.fig.canvas.draw()
            self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        finally:
            for k, a in changing.items():
                a.set_visible(shown[k])

    def _blit(self) -> None:
        """The cached background, then only the changing artists (Agg: a few ms)."""
        canvas = self.fig.canvas
        if self._background is None:
            self._capture_background()
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artists in self._dynamic.values():  # axes by axes, in drawing order
            for a in artists:
                if a.get_visible():
                    a.draw(renderer)

    def png(self) -> RedrawImage:
        """The figure as it stands after the last :meth:`redraw`, as PNG (fast: the cached
        background and the changed artists, encoded with light compression). It displays
        inline in Jupyter (``display(view.png())``); ``view.fig`` is the same picture through
        matplotlib's full draw (``savefig``), at about ten times the cost.
        """
        if self.fig is None:
            raise RegimeError("figure", "this view was built with figure=False", False)
        if self._drawn is not True:
            self._blit()
            self._drawn = True
        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        h, w = rgba.shape[:2]
        return RedrawImage(_png_rgb(rgba), w, h)

    def redraw(self, params: Mapping[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """Compute the live view at ``params`` (:data:`PARAMS`) and update the figure's artists.

        Returns the dict of :meth:`compute` (plus ``figure``); the figure is the same object on
        every call. :meth:`png` renders it.
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
        self._left_title.set_text(f"W = {fmt_duration(W)}, n = {int(p['count'])}: {verdict} (binding: {out['binding']})")
        cost = out["cost_curve_usd"]
        self._cost_line.set_ydata(cost)
        self._cost_secure.set_ydata(np.where(out["secure_curve"], cost, np.nan))
        self._rho_mark.set_xdata([rho, rho])
        self._stake_curve.set_ydata(np.where(np.isfinite(stake) & (stake > 0), stake, np.nan))
        self._slash_mark.set_ydata([S, S])
        self._right_title.set_text(f"at S = {fmt_usd(S)}, W = {fmt_duration(W)}: cost per query and deterring stake")
        self._widen(cost, stake, S)
        self._drawn = False
        out["figure"] = self.fig
        return out

    def _widen(self, cost: np.ndarray, stake: np.ndarray, slash_usd: float) -> None:
        """A point outside :attr:`ranges` whose curves leave the fixed limits: widen them (to
        whole decades) and draw the background again (once for that point)."""
        (c_lo, c_hi), (s_lo, s_hi) = self._limits
        c = cost[np.isfinite(cost) & (cost > 0)]
        st = np.append(stake[np.isfinite(stake) & (stake > 0)], slash_usd)
        c_lo2 = min(c_lo, 10.0 ** math.floor(math.log10(c.min()))) if c.size else c_lo
        c_hi2 = max(c_hi, 10.0 ** math.ceil(math.log10(c.max()))) if c.size else c_hi
        s_lo2 = min(s_lo, 10.0 ** math.floor(math.log10(st.min())))
        s_hi2 = max(s_hi, 10.0 ** math.ceil(math.log10(st.max())))
        if (c_lo2, c_hi2, s_lo2, s_hi2) != (c_lo, c_hi, s_lo, s_hi):
            self._limits = ((c_lo2, c_hi2), (s_lo2, s_hi2))
            self._right.set_ylim(c_lo2, c_hi2)
            self._twin.set_ylim(s_lo2, s_hi2)
            self._background = None


def _png_rgb(rgba: np.ndarray, level: int = 1) -> bytes:
    """PNG bytes of an opaque RGBA pixel array as 8-bit RGB: no row filter and zlib at ``level``
    (PNG, ISO/IEC 15948: signature, IHDR, one IDAT, IEND). A flat-coloured figure compresses
    well without filters; Pillow's adaptive filtering takes about three times as long.

    >>> px = np.zeros((2, 3, 4), np.uint8); px[..., 3] = 255; px[0, 0, :3] = (255, 0, 0)
    >>> data = _png_rgb(px)
    >>> data[:8], struct.unpack(">II", data[16:24])  # signature, then width and height
    (b'\\x89PNG\\r\\n\\x1a\\n', (3, 2))
    """
    h, w = rgba.shape[:2]
    raw = np.empty((h, 1 + 3 * w), np.uint8)
    raw[:, 0] = 0  # filter type 0 (none) for every row
    raw[:, 1:] = rgba[:, :, :3].reshape(h, 3 * w)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + chunk(b"IEND", b"")


@dataclasses.dataclass(frozen=True, repr=False)
class RedrawImage:
    """PNG bytes of the tuning view, shown inline by Jupyter (``_repr_png_``).

    Its ``repr`` (the ``text/plain`` beside the image) is one short line, not the bytes: a repr of
    the ~70 kB of PNG made ``display(view.png())`` inside an ``ipywidgets.Output`` block under
    nbclient until the cell's timeout (notebook 02's widget cell: 300 s in the test).
    """

    data: bytes
    width: int
    height: int

    def __repr__(self) -> str:
        return f"RedrawImage({self.width}x{self.height} PNG, {len(self.data):,} bytes)"

    def _repr_png_(self) -> bytes:
        return self.data
