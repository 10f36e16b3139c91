"""How much each uncertain input moves the minimum slash and the cheapest cost.

Two outputs, both with spot-checks only:

* the **minimum slash** (= stake) at the model's spot-check rate under the over-time criterion
  (:func:`~otr_theory.payoffs.corruption.required_stake`, ours): keep
  :math:`S^*_{\\rm eff} = \\max_j (g_j/p + X_j) - F + m/p`, forfeit
  :math:`\\max_j (g_j(1-p)/p + X_j(1-p)) - F + m/p`, :math:`X_j = nL\\bar g_j` the exposure,
  divided by (1 - a) under self-challenge (the no-revert form: conservative where pending results
  revert);
* the **cheapest cost** per query of a secure point (:func:`~otr_theory.regimes.optimise.cheapest_point`
  with t = 0, vectorized over samples: for each sample, the cost of
  :math:`(S, \\rho^*(S), W)` on a log grid of S from $1 to $1e13, W the least secure window,
  :math:`\\rho^*` in closed form -- keep :math:`(g_j+m)/(C-X_j)`, forfeit the positive root of
  :math:`X_jp^2 + (g_j + C - X_j)p - (g_j+m)`, :math:`C = S_{\\rm eff} + F` -- minimised over the grid).

The inputs are the model's uncertain fields -- those with a ``low``/``high`` range -- except the
regime's own decision variables (S, rho, W, n), which the cheapest point chooses. Two analyses:

* **global**: Sobol indices (Saltelli sampling, first order S1 and total ST, with bootstrap
  confidence intervals; SALib) over the uniform box of the ranges, or Morris elementary effects
  (mu*, sigma) when asked for (cheaper: r (D+1) evaluations instead of N (D+2)). The seed is
  fixed, so the indices are reproducible;
* **one at a time** (tornado): each input at its low and at its high with every other input at
  its value; the swing is the difference of the two outputs.

Integer fields are rounded after sampling. Where an output is infinite for some sample (no
secure point) the global indices of that output are not computed, and the record says so.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Computer
Physics Communications 181, 259-270. Morris, M. D. (1991). Factorial sampling plans for
preliminary computational experiments. Technometrics 33, 161-174. Herman, J., Usher, W. (2017).
SALib: an open-source Python library for sensitivity analysis. JOSS 2(9).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from otr_theory.calibration.costs import cost_components, latency_components
from otr_theory.model import FIELDS, Model
from otr_theory.payoffs import DEVIATIONS, GAIN_FIELDS, compromise_probability
from otr_theory.records import Record, quantity
from otr_theory.regimes.region import DECISION_FIELDS, OPTIMISTIC_SCHEMES, RegimeError, RegionOptions, dispute_rounds, region_kernel

__all__ = ["OUTPUTS", "METHODS", "Sensitivity", "TornadoBar", "outputs_at", "run_sensitivity", "uncertain_inputs"]

OUTPUTS: tuple[str, ...] = ("min_slash_usd", "cheapest_cost_usd")
METHODS: tuple[str, ...] = ("sobol", "morris")

_INTEGER = {f.name for f in FIELDS if f.integer}


@dataclasses.dataclass(frozen=True, repr=False)
class TornadoBar(Record):
    """One input's one-at-a-time swing of one output."""

    TITLE = "tornado bar"

    field: str = quantity("", "the input")
    low: float = quantity("", "its declared low (in the field's unit)")
    high: float = quantity("", "its declared high")
    output_at_low: float = quantity("", "the output with the input at its low")
    output_at_high: float = quantity("", "the output with the input at its high")
    swing: float = quantity("", "|output_at_high - output_at_low|")


@dataclasses.dataclass(frozen=True, repr=False)
class Sensitivity(Record):
    """Global indices and tornado bars for both outputs.

    Attributes
    ----------
    method : {"sobol", "morris"}
    seed : int
    samples : int
        Model evaluations of the global analysis.
    inputs : tuple of str
        The uncertain inputs, in schema order.
    baseline : dict
        Each output at the model's values.
    indices : dict
        ``{output: {field: {...}}}``: Sobol ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` or Morris
        ``mu_star``, ``mu_star_conf``, ``sigma``; sorted by importance. Empty for an output that
        was not finite everywhere.
    notes : dict
        ``{output: str}`` where an output's indices were not computed.
    tornado : dict
        ``{output: tuple of TornadoBar}``, sorted by swing, largest first.
    """

    TITLE = "sensitivity"
    SUMMARY = ("method", "seed", "samples")

    method: str = quantity("", "sobol or morris", source="SALib")
    seed: int = quantity("", "the sampler's seed")
    samples: int = quantity("count", "model evaluations of the global analysis")
    inputs: tuple[str, ...] = quantity("", "the uncertain inputs, in schema order")
    baseline: dict[str, float] = quantity("", "each output at the model's values")
    indices: dict[str, dict[str, dict[str, float]]] = quantity("", "{output: {field: indices}}, by importance")
    notes: dict[str, str] = quantity("", "{output: why its indices were not computed}")
    tornado: dict[str, tuple[TornadoBar, ...]] = quantity("", "{output: bars}, largest swing first")


def uncertain_inputs(model: Model) -> tuple[str, ...]:
    """The model fields with a range that are not decision variables of the regime.

    >>> from otr_theory.model import load_model
    >>> names = uncertain_inputs(load_model())
    >>> "external_gain_usd" in names, "slash_usd" in names, "block_time_s" in names
    (True, False, False)
    """
    out = []
    for f in FIELDS:
        q = model.quantity(f.name)
        if f.name in DECISION_FIELDS or q.low is None or q.high is None or q.low == q.high:
            continue
        out.append(f.name)
    return tuple(out)


def outputs_at(model: Model, names: tuple[str, ...], X: np.ndarray, *, options: RegionOptions | None = None, grid_points: int = 512, batch: int = 1024) -> dict[str, np.ndarray]:
    """Both outputs at each row of ``X`` (columns: the fields ``names``), vectorized over rows.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> out = outputs_at(m, ("external_gain_usd",), np.array([[100.0], [1000.0]]))
    >>> (out["min_slash_usd"] / 1e6).round(1).tolist()  # the over-time required stake grows with the exposure
    [56.1, 498.5]
    """
    options = RegionOptions() if options is None else options
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(names):
        raise RegimeError("X", f"must be a 2-D array with {len(names)} columns", X.shape)
    unknown = [n for n in names if n not in model.quantities]
    if unknown:
        raise RegimeError("names", "must be model fields", unknown)
    res = {k: np.empty(X.shape[0]) for k in OUTPUTS}
    for start in range(0, X.shape[0], batch):
        part = _outputs(model, names, X[start : start + batch], options, grid_points)
        for k in OUTPUTS:
            res[k][start : start + batch] = part[k]
    return res


def _candidates(model: Model, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    """(g_j, X_j / (n L), reach fraction phi_j) of every class set (ours; payoffs.corruption)."""
    gv, g0, phi = v["high_value_gain_usd"], v["external_gain_usd"], v["high_value_fraction"]
    gbar = (1 - phi) * g0 + phi * gv
    out = [(gv, gbar, phi), (gbar, gbar, 1.0)]
    for d in DEVIATIONS[1:]:
        out.append((v[GAIN_FIELDS[d]], v[GAIN_FIELDS[d]], 1.0))
    return out


def _outputs(model: Model, names: tuple[str, ...], X: np.ndarray, options: RegionOptions, grid_points: int) -> dict[str, np.ndarray]:
    from otr_theory.model import replica_query_rate

    kernel = region_kernel(model, options)
    n_rows = X.shape[0]
    v: dict[str, Any] = {k: float(x) for k, x in model.values().items()}
    for j, name in enumerate(names):
        col = X[:, j : j + 1]
        v[name] = np.round(col) if name in _INTEGER else col
    conv = model.loss_convention
    m = v["incentive_margin_usd"]
    rho = v["spot_check_rate"] if kernel.bites else 0.0
    gate = model.scheme == "otr" and model.protocol.attestation_check
    no_attack = np.broadcast_to((np.asarray(compromise_probability(v)) == 0.0) & gate, (n_rows, 1))
    rate = np.asarray(replica_query_rate(v)) * v["replicas_per_stake"]
    lag = v["proof_deadline_s"]
    horizon = np.inf if not model.protocol.attestation_check else v["compromise_duration_days"] * 86_400.0
    keep_share = (1.0 - v["challenger_reward_share"]) if model.self_challenge else 1.0
    F = v["reentry_cost_usd"]
    with np.errstate(invalid="ignore"):  # an unbounded horizon times an empty class: nan, i.e. no reach
        cands = [(g, rate * lag * gb, rate * horizon * f >= 1.0 - 1e-9) for g, gb, f in _candidates(model, v)]

    # the minimum slash at the model's rate (closed form, no revert)
    p = np.broadcast_to(np.asarray(rho, dtype=float), (n_rows, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        ps = np.where(p > 0, p, 1.0)
        need_eff = np.full((n_rows, 1), -np.inf)
        for g, x, reach in cands:
            term = g / ps + x if conv == "keep" else g * (1 - p) / ps + x * (1 - p)
            need_eff = np.maximum(need_eff, np.where(reach, term, -np.inf))
        s_eff = np.maximum(need_eff - F + m / ps, 0.0)
        min_slash = np.where(p > 0, s_eff / keep_share if np.all(np.asarray(keep_share) > 0) else np.inf, np.inf)
        min_slash = np.where(np.isinf(need_eff) & (need_eff < 0), 0.0, min_slash)  # nothing to cheat on
    min_slash = np.where(no_attack, 0.0, min_slash)

    # the cheapest cost: S on a log grid, rho*(S) in closed form
    S = np.broadcast_to(np.geomspace(1.0, 1e13, grid_points)[None, :], (n_rows, grid_points))
    C = S * keep_share + F
    need = np.zeros(S.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for g, x, reach in cands:
            g_b, x_b = np.broadcast_to(g, (n_rows, 1)), np.broadcast_to(x, (n_rows, 1))
            if conv == "keep":
                r = np.where(C > x_b, (g_b + m) / (C - x_b), np.inf)
            else:
                b = g_b + C - x_b
                quad = (-b + np.sqrt(b * b + 4 * x_b * (g_b + m))) / np.where(x_b > 0, 2 * x_b, 1.0)
                r = np.where(x_b > 0, quad, (g_b + m) / np.where(g_b + C > 0, g_b + C, 1.0))
                r = np.where((x_b == 0) & (g_b + C == 0), np.where(g_b + m > 0, np.inf, 0.0), r)
            need = np.maximum(need, np.where(np.broadcast_to(reach, (n_rows, 1)), r, 0.0))
    need = np.where(need < 0, 0.0, need)
    if not kernel.bites:
        need = np.where(need > 0, np.inf, 0.0)
    need = np.where(np.broadcast_to(no_attack, need.shape), 0.0, need)
    feasible = need <= 1.0
    if model.scheme in OPTIMISTIC_SCHEMES:
        if "trace_steps" in names or "bisection_arity" in names:
            rounds = np.ceil(np.log(v["trace_steps"]) / np.log(v["bisection_arity"]) - 1e-12)
        else:
            rounds = dispute_rounds(int(v["trace_steps"]), int(v["bisection_arity"]))
        W = rounds * v["round_timeout_s"] + v["settlement_s"] + v["censorship_blocks"] * v["block_time_s"]
    else:
        W = v["window_s"]
    if kernel.over_time["proof_window_s"] > 0:
        W = np.maximum(W, v["proof_deadline_s"])
    vv = dict(v, stake_usd=S / v["replicas_per_stake"], spot_check_rate=np.where(feasible, need, 0.0), window_s=W)
    mon = 0.0 if options.monitoring_rate is None else options.monitoring_rate
    cost = np.asarray(cost_components(vv, tee=model.protocol.attestation_check, monitoring_rate=mon, stake_scope=options.stake_scope)["total_usd"])
    ok = feasible
    if options.max_stake_usd is not None:
        ok = ok & (S <= options.max_stake_usd)
    if options.max_final_s is not None:
        ok = ok & (np.asarray(latency_components(vv, scheme=model.scheme)["final_s"]) <= options.max_final_s)
    if model.scheme in OPTIMISTIC_SCHEMES and int(model.value("count")) < 1 and "count" not in names:
        ok = ok & False
    cheapest = np.min(np.where(ok, cost, np.inf), axis=1)
    return {"min_slash_usd": np.broadcast_to(min_slash, (n_rows, 1))[:, 0], "cheapest_cost_usd": cheapest}


def run_sensitivity(
    model: Model,
    *,
    method: str = "sobol",
    samples: int = 256,
    seed: int = 20_512,
    options: RegionOptions | None = None,
    inputs: tuple[str, ...] | None = None,
) -> Sensitivity:
    """Global (Sobol or Morris, SALib) and one-at-a-time sensitivity of both outputs.

    Parameters
    ----------
    model : Model
    method : {"sobol", "morris"}
    samples : int
        Sobol: the base sample N (a power of 2; N (D+2) evaluations). Morris: trajectories r.
    seed : int
        Seeds the sampler and the bootstrap.
    options : RegionOptions, optional
    inputs : tuple of str, optional
        Default :func:`uncertain_inputs`.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> s = run_sensitivity(load_model(), method="morris", samples=4)
    >>> s.tornado["min_slash_usd"][0].field  # a stake covering more replicas faces more exposure
    'replicas_per_stake'
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise RegimeError("method", f"must be one of {', '.join(METHODS)}", method)
    if not isinstance(samples, int) or samples < 2:
        raise RegimeError("samples", "must be an integer >= 2", samples)
    if method == "sobol" and samples & (samples - 1):
        raise RegimeError("samples", "must be a power of 2 for Sobol sampling", samples)
    names = uncertain_inputs(model) if inputs is None else tuple(inputs)
    if not names:
        raise RegimeError("inputs", "the model has no uncertain inputs (no field with low and high)", names)
    for n in names:
        q = model.quantity(n) if n in model.quantities else None
        if q is None or q.low is None or q.high is None:
            raise RegimeError("inputs", "must name fields with low and high", n)
    lows = np.array([float(model.quantity(n).low) for n in names])
    highs = np.array([float(model.quantity(n).high) for n in names])
    base_row = np.array([[float(model.value(n)) for n in names]])
    baseline = {k: float(v[0]) for k, v in outputs_at(model, names, base_row, options=options).items()}

    # one at a time
    rows = np.repeat(base_row, 2 * len(names), axis=0)
    for j in range(len(names)):
        rows[2 * j, j] = lows[j]
        rows[2 * j + 1, j] = highs[j]
    oat = outputs_at(model, names, rows, options=options)
    tornado = {}
    for k in OUTPUTS:
        bars = []
        for j, n in enumerate(names):
            lo_out, hi_out = float(oat[k][2 * j]), float(oat[k][2 * j + 1])
            swing = abs(hi_out - lo_out) if math.isfinite(lo_out) and math.isfinite(hi_out) else math.inf
            bars.append(TornadoBar(field=n, low=float(lows[j]), high=float(highs[j]), output_at_low=lo_out, output_at_high=hi_out, swing=swing))
        tornado[k] = tuple(sorted(bars, key=lambda b: (-b.swing, names.index(b.field))))

    # global
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[float(a), float(b)] for a, b in zip(lows, highs)]}
    if method == "sobol":
        X = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        X = morris_sample.sample(problem, samples, num_levels=4, seed=seed)
    Y = outputs_at(model, names, X, options=options)
    indices: dict[str, dict] = {}
    notes: dict[str, str] = {}
    for k in OUTPUTS:
        y = Y[k]
        if not np.isfinite(y).all():
            notes[k] = f"not computed: no secure point for {np.mean(~np.isfinite(y)):.1%} of the samples"
            indices[k] = {}
            continue
        if np.ptp(y) == 0:
            notes[k] = "constant over the input box"
            indices[k] = {n: _zero(method) for n in names}
            continue
        if method == "sobol":
            r = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
            rec = {n: {"S1": float(r["S1"][j]), "S1_conf": float(r["S1_conf"][j]), "ST": float(r["ST"][j]), "ST_conf": float(r["ST_conf"][j])} for j, n in enumerate(names)}
            order = sorted(names, key=lambda n: (-rec[n]["ST"], names.index(n)))
        else:
            r = morris_analyze.analyze(problem, X, y, num_levels=4, seed=seed)
            rec = {n: {"mu_star": float(r["mu_star"][j]), "mu_star_conf": float(r["mu_star_conf"][j]), "sigma": float(r["sigma"][j])} for j, n in enumerate(names)}
            order = sorted(names, key=lambda n: (-rec[n]["mu_star"], names.index(n)))
        indices[k] = {n: rec[n] for n in order}
    return Sensitivity(method=method, seed=seed, samples=int(X.shape[0]), inputs=names, baseline=baseline, indices=indices, notes=notes, tornado=tornado)


def _zero(method: str) -> dict[str, float]:
    if method == "sobol":
        return {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
    return {"mu_star": 0.0, "mu_star_conf": 0.0, "sigma": 0.0}
