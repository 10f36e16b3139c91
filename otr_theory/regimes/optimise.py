r"""The cheapest secure point, a certified box around it, and the model's own operating point.

**Cheapest point** (spot-checks only; ours). Every constraint is monotone in each decision
variable: the over-time margin (:mod:`otr_theory.payoffs.corruption`) grows with S and rho (the
set of secure rho at fixed S is an interval [rho*, 1]: keep :math:`g_j + pnL\bar g -
pS_{\rm eff} \le -m` is linear in p, forfeit a quadratic with one positive root) and, where
pending results are reverted, with W; the window constraints with W; the finality time grows
with W. The cost per query grows with rho (proofs), with S (the stake's capital cost) and, for a
stake per commitment, with W. So for a relative box half-width t >= 0 around a centre
(S, rho, W), the box is secure iff its worst corner is, and the cheapest centre is

.. math::

    W \gtrsim \max\Bigl(\frac{W_{\min}}{1-t}, \frac{W_{\rm proof}}{1-t}\Bigr), \qquad
    \rho(S) = \frac{\rho^*\bigl(S(1-t)\bigr)}{1-t}, \qquad
    S = \arg\min_{S} \mathrm{cost}\bigl(S, \rho(S), W\bigr)

with :math:`\rho^*(S)` the least rate at which the best strategy over time pays at most -m
(:func:`required_spot_check_rate`: vectorised bisection on the criterion) and
:math:`\rho(1+t) \le 1`; S up to ``RegionOptions.max_stake_usd`` (default no cap: 1e13). The
one-dimensional search runs on a log grid of S (vectorized through
:class:`~otr_theory.regimes.region.RegionKernel`) and is refined by bounded scalar minimisation
(scipy); the centre is then rounded to four significant digits in the safe direction (S down,
rho and W up; W strictly above its bound, since theorem 3 is strict). ``t = 0`` gives the
cheapest point itself, on the boundary of the region; ``t > 0`` gives the cheapest point that
keeps a box of relative half-width t inside the region, which
:func:`~otr_theory.regimes.certify.certify_box` then proves. Each answer is re-checked by
:func:`~otr_theory.regimes.region.evaluate_point` (scalar closed forms) and at the 2^3 box
corners by the kernel.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar

from otr_theory.model import Model
from otr_theory.records import Record, quantity
from otr_theory.regimes.region import FIXED_RATE_SCHEMES, PointRecord, RegimeError, RegionOptions, evaluate_point, proof_window_s, region_kernel

__all__ = ["OperatingPoint", "box_around", "cheapest_point", "model_point", "required_spot_check_rate"]


@dataclasses.dataclass(frozen=True, repr=False)
class OperatingPoint(Record):
    """A regime point with a box around it.

    Attributes
    ----------
    label : str
    point : PointRecord
        The centre, evaluated in full (scalar closed forms).
    box : dict
        ``{field: (lo, hi)}`` for slash_usd, spot_check_rate, window_s.
    box_rel : float
        The box's relative half-width t.
    box_secure : bool
        Every corner of the box is secure (kernel; with monotone constraints, the whole box).
    box_margin_usd : float
        The smallest security margin over the box corners.
    method : str
    """

    TITLE = "operating point"
    SUMMARY = ("label", "box_rel", "box_secure", "box_margin_usd", "method")

    label: str = quantity("", "what the point is")
    point: PointRecord = quantity("", "the centre, evaluated in full")
    box: dict[str, tuple[float, float]] = quantity("", "{field: (lo, hi)} for slash_usd, spot_check_rate, window_s")
    box_rel: float = quantity("", "the box's relative half-width t")
    box_secure: bool = quantity("", "every corner of the box is secure")
    box_margin_usd: float = quantity("USD", "the smallest security margin over the box corners")
    method: str = quantity("", "how the point was found")

    def summary_lines(self) -> list[str]:
        """The label's line, then the point's (S, rho, W, n, margin, cost)."""
        return super().summary_lines() + self.point.summary_lines()[:8]


def required_spot_check_rate(model: Model, slash_usd, window_s=None) -> Any:
    """The smallest rho at which the best strategy over time pays at most -m (spot-checks only).

    ``inf`` where no rate deters; 0 where nothing needs deterring. Vectorised bisection (80
    halvings) on the criterion of :class:`~otr_theory.regimes.region.RegionKernel`, whose secure
    set in rho is an interval [rho*, 1]. ``window_s`` matters only where pending results revert
    (default: the model's).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> float(required_spot_check_rate(load_model().with_protocol(), 100_000.0)) > 0.99  # forfeit: only near rho = 1
    True
    >>> round(float(required_spot_check_rate(load_model(), 6e7)), 6)
    0.003579
    """
    S = np.asarray(slash_usd, dtype=float)
    kernel = region_kernel(model)
    m = float(model.value("incentive_margin_usd"))
    W = float(model.value("window_s")) if window_s is None else np.asarray(window_s, dtype=float)
    shape = np.broadcast_shapes(S.shape, np.shape(W))
    S = np.broadcast_to(S, shape)
    lag = kernel.over_time["spot_lag_s"]

    def secure(rho):
        p = np.ones_like(rho) if kernel.surely_caught else (rho if kernel.bites else np.zeros_like(rho))
        return -kernel._over_time_payoff(p, lag, W, S) >= m

    at_one = secure(np.ones(shape))
    at_zero = secure(np.zeros(shape))
    lo, hi = np.zeros(shape), np.ones(shape)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        ok = secure(mid)
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    out = np.where(at_zero, 0.0, np.where(at_one, hi, np.inf))
    return out[()] if out.ndim == 0 else out


def _round_sig(x: float, digits: int, direction: str) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    e = math.floor(math.log10(abs(x))) - digits + 1
    scaled = x / 10.0**e
    r = math.floor(scaled + 1e-9) if direction == "down" else math.ceil(scaled - 1e-9)
    out = float(f"{r}e{e}")
    if direction == "down" and out > x:
        out = float(f"{r - 1}e{e}")
    if direction == "up" and out < x:
        out = float(f"{r + 1}e{e}")
    return out


def _strictly_above(x: float, digits: int) -> float:
    """The smallest number of ``digits`` significant digits strictly above x."""
    r = _round_sig(x, digits, "up")
    if r <= x:
        e = math.floor(math.log10(abs(r))) - digits + 1
        r = _round_sig(r + 10.0**e, digits, "up")
    return r


def box_around(model: Model, slash_usd: float, spot_check_rate: float, window_s: float, box_rel: float, *, max_stake_usd: float | None = None) -> dict[str, tuple[float, float]]:
    """The box of relative half-width ``box_rel`` around a point, clipped to rho <= 1 and to the
    stake cap if one is given (bounds rounded inwards to ten significant digits, so that they are
    short decimals).

    >>> from otr_theory.model import load_model
    >>> box_around(load_model(), 100_000.0, 0.01, 86_400.0, 0.05)["slash_usd"]
    (95000.0, 105000.0)
    >>> box_around(load_model(), 100_000.0, 0.01, 86_400.0, 0.05, max_stake_usd=100_000.0)["slash_usd"]
    (95000.0, 100000.0)
    """
    if not (isinstance(box_rel, (int, float)) and 0 <= box_rel < 1):
        raise RegimeError("box_rel", "must be a number in [0, 1)", box_rel)
    t = float(box_rel)
    cap = math.inf if max_stake_usd is None else float(max_stake_usd)

    def inward(x: float, lo: float, hi: float) -> tuple[float, float]:
        # ten significant digits, rounded towards the centre: the box is never larger than asked
        a, b = _round_sig(lo, 10, "up"), _round_sig(hi, 10, "down")
        return (min(a, x), max(b, x))

    return {
        "slash_usd": inward(slash_usd, slash_usd * (1 - t), max(min(slash_usd * (1 + t), cap), slash_usd)),
        "spot_check_rate": inward(spot_check_rate, spot_check_rate * (1 - t), min(spot_check_rate * (1 + t), 1.0)),
        "window_s": inward(window_s, window_s * (1 - t), window_s * (1 + t)),
    }


def _box_check(model: Model, box: dict, count: int, options: RegionOptions) -> tuple[bool, float]:
    k = region_kernel(model, options)
    S = np.array(box["slash_usd"])[:, None, None]
    R = np.array(box["spot_check_rate"])[None, :, None]
    W = np.array(box["window_s"])[None, None, :]
    r = k.evaluate(S, R, W, count, readings=("spot_checks_only",))
    return bool(np.all(r["secure"])), float(np.min(r["margin_usd"]))


def _count_for(model: Model, count: int | None) -> int:
    n = int(model.value("count")) if count is None else count
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise RegimeError("count", "must be an integer >= 0", count)
    if model.scheme in ("otr", "opml"):
        n = max(int(n), 1)
    return int(n)


def model_point(model: Model, *, label: str = "model", box_rel: float = 0.05, options: RegionOptions | None = None) -> OperatingPoint:
    """The model's own (S, rho, W, n) -- for the default model, the paper's rho = 1% -- with a box.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> op = model_point(load_model(), label="paper")
    >>> op.point.secure, op.point.one_query_margin_usd > 0, round(op.point.best_attack["payoff_usd"] / 1e6, 1)
    (False, True, 28.0)
    """
    options = RegionOptions() if options is None else options
    v = model.values()
    n = int(v["count"])
    box = box_around(model, float(v["slash_usd"]), float(v["spot_check_rate"]), float(v["window_s"]), box_rel, max_stake_usd=options.max_stake_usd)
    point = evaluate_point(model, slash_usd=float(v["slash_usd"]), spot_check_rate=float(v["spot_check_rate"]), window_s=float(v["window_s"]), count=n, options=options)
    ok, worst = _box_check(model, box, n, options)
    return OperatingPoint(label=label, point=point, box=box, box_rel=float(box_rel), box_secure=ok, box_margin_usd=worst, method="model values")


def cheapest_point(
    model: Model,
    *,
    box_rel: float = 0.0,
    count: int | None = None,
    options: RegionOptions | None = None,
    grid_points: int = 2049,
    digits: int = 4,
) -> OperatingPoint | None:
    """The cheapest secure point (spot-checks only), keeping a box of half-width ``box_rel`` secure.

    Parameters
    ----------
    model : Model
    box_rel : float in [0, 1)
        Relative half-width t of the box that must stay inside the region (0: the cheapest point
        itself, on the boundary).
    count : int, optional
        Challengers (default: the model's, at least 1 for optimistic schemes). The cost does not
        depend on it where the spot-checks deter (nobody monitors).
    options : RegionOptions, optional
    grid_points : int
        Points of the log grid of S before refinement.
    digits : int
        Significant digits of the answer (rounded in the safe direction).

    Returns
    -------
    OperatingPoint or None
        None when the region is empty (no slash up to the stake deters, the window cannot meet
        the latency bound, ...).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> op = cheapest_point(load_model())
    >>> op.point.slash_usd, op.point.spot_check_rate, op.point.window_s, op.point.secure
    (63920000.0, 0.002122, 75010.0, True)
    >>> op = cheapest_point(load_model(), box_rel=0.05)
    >>> op.box_secure, op.box["window_s"][0] > 75_000  # W_min = 40 x 1,800 + 1,800 + 100 x 12
    (True, True)
    """
    options = RegionOptions() if options is None else options
    if not (isinstance(box_rel, (int, float)) and 0 <= box_rel < 1):
        raise RegimeError("box_rel", "must be a number in [0, 1)", box_rel)
    if not isinstance(grid_points, int) or grid_points < 3:
        raise RegimeError("grid_points", "must be an integer >= 3", grid_points)
    t = float(box_rel)
    n = _count_for(model, count)
    kernel = region_kernel(model, options)
    if kernel.optimistic and n < 1:
        return None
    cap = kernel.stake_cap_usd
    if kernel.optimistic:
        w = _strictly_above(kernel.min_window_s / (1 - t), digits)
    else:
        w = float(model.value("window_s"))
    w_proof = proof_window_s(model)
    if w_proof > 0:
        w = max(w, _round_sig(w_proof / (1 - t), digits, "up"))
    s_max = (cap if math.isfinite(cap) else 1e13) / (1 + t)
    if s_max <= 0:
        s_grid = np.array([0.0])
    else:
        s_grid = np.geomspace(max(s_max * 1e-13, 1e-9), s_max, grid_points)

    fixed_rate = model.scheme in FIXED_RATE_SCHEMES
    windows = [w]
    if kernel.over_time["reverts"]:
        # reverting pending results makes a window longer than the detection lag shrink the
        # payoff (the lag gains vanish, the last pre-detection gains revert): try a few
        lag = kernel.over_time["spot_lag_s"]
        windows += sorted({_round_sig(max(lag * k, w) / (1 - t), digits, "up") for k in (1.0001, 1.5, 2.0, 4.0, 8.0)})

    def solve(w):
        def rho_for(S):
            need = np.asarray(required_spot_check_rate(model, np.asarray(S) * (1 - t), w * (1 - t))) / (1 - t)
            if fixed_rate:  # the scheme's own rate (ZKML: 1), where it is enough at the box's lowest S
                rho0 = float(model.value("spot_check_rate"))
                return np.where(need * (1 - t) <= rho0, rho0, np.inf)
            return need

        def cost_of(S):
            S = np.asarray(S, dtype=float)
            rho = rho_for(S)
            feasible = np.isfinite(rho) & ((rho * (1 + t) <= 1.0) | fixed_rate)
            r = kernel.evaluate(S, np.where(feasible, np.minimum(rho, 1.0), 0.0), w, n, readings=("spot_checks_only",))
            return np.where(feasible, r["cost_usd"], np.inf)

        if options.max_final_s is not None:
            late = kernel.evaluate(s_grid[-1], 0.0, w * (1 + t), n, readings=("spot_checks_only",))
            if float(late["latency_slack_s"]) < 0:
                return None
        costs = cost_of(s_grid)
        if not np.isfinite(costs).any():
            return None
        i = int(np.argmin(costs))
        best_s = float(s_grid[i])
        if s_grid.size > 1:
            lo = math.log(s_grid[max(i - 1, 0)])
            hi = math.log(s_grid[min(i + 1, s_grid.size - 1)])
            if hi > lo:
                res = minimize_scalar(lambda u: float(cost_of(math.exp(u))), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
                if res.success and float(cost_of(math.exp(res.x))) < float(costs[i]):
                    best_s = min(math.exp(float(res.x)), s_max)
        S = _round_sig(best_s, digits, "down")
        if not np.isfinite(cost_of(S)):  # at the region's lower edge in S: round up instead
            S = min(_round_sig(best_s, digits, "up"), s_max)
            if not np.isfinite(cost_of(S)):
                S = best_s
        return float(cost_of(S)), w, S, rho_for

    found = [x for x in (solve(wc) for wc in windows) if x is not None]
    if not found:
        return None
    _, w, S, rho_for = min(found, key=lambda x: (x[0], x[1]))
    rho = float(rho_for(S))
    rho = rho if fixed_rate else min(_round_sig(rho, digits, "up"), 1.0)
    point = evaluate_point(model, slash_usd=S, spot_check_rate=rho, window_s=w, count=n, options=options)
    if not point.secure and not fixed_rate and rho < 1.0:
        # exactly on the boundary (the needed rate is a short decimal): rounding leaves the margin
        # a few ulps short, so take the next rate of ``digits`` digits (issue 19)
        rho = min(_strictly_above(rho, digits), 1.0)
        point = evaluate_point(model, slash_usd=S, spot_check_rate=rho, window_s=w, count=n, options=options)
    box = box_around(model, S, rho, w, t, max_stake_usd=options.max_stake_usd) if t > 0 else {"slash_usd": (S, S), "spot_check_rate": (rho, rho), "window_s": (w, w)}
    if fixed_rate:
        box["spot_check_rate"] = (rho, rho)
    ok, worst = _box_check(model, box, n, options)
    if not (point.secure and ok):
        raise RegimeError("cheapest_point", "internal check failed: the optimum is not secure when re-evaluated point by point", dataclasses.asdict(point))
    label = "cheapest secure point" if t == 0 else f"cheapest point with a secure box of +-{t:.0%}"
    return OperatingPoint(label=label, point=point, box=box, box_rel=t, box_secure=ok, box_margin_usd=worst, method="1-D search on a log grid of S + bounded refinement (scipy)")
