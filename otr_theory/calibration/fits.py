r"""Fitted calibration models with their uncertainty, goodness of fit and range.

Every fit is a frozen :class:`Fit`: the formula, the parameters with standard errors and their
covariance, the number of points and degrees of freedom, R^2 and the residual scatter (in the
space it was fitted in: log10 for quantities spanning decades), AIC and BIC, the row ids it used,
and the **domain** of each input variable. :meth:`Fit.predict` outside the domain emits an
:class:`ExtrapolationWarning` naming the variable and the range: a fit never extrapolates silently.

The fits (all ours, on the rows of :mod:`otr_theory.calibration.data`):

* **ZK proving time against parameter count N** (``zk-proving`` rows with ``in_fit = yes``;
  upper and lower bounds are used as points), in log10 space:

  .. math::

     \text{power: } T = a N^b, \quad
     N\log N\text{: } T = c\,N \ln N, \quad
     \text{linear: } T = c N

  the second is the paper's :math:`O(kN\log N)` with the k (and every constant) folded into c,
  since most rows do not state the token count. They are compared by AIC and BIC on the log10
  residuals (:math:`n \ln(RSS/n) + 2p` and :math:`n \ln(RSS/n) + p \ln n`, p counting the
  residual variance) and by Akaike weights.
* **ZK proof cost** = proving time x the hourly price of the hardware that proved it (GPU rows:
  the median current H100 on-demand price; CPU-server rows: the assumed CPU-server price), fitted
  as a power law in N. Derived, not measured.
* **H100 decode step time** (measured CSV) as a roofline sum, fitted by least squares on relative
  error:

  .. math::

     t_{step} = \frac{2P}{\beta_w} + \frac{B\,L\,\kappa(P)}{\beta_{kv}} + \frac{2PB}{\phi}

  with P parameters (bf16: 2P bytes read per step), B the batch, L the context, kappa(P) the KV
  bytes per token of context (exact for the two measured shapes, interpolated as a power law in P
  between them), beta_w and beta_kv effective bandwidths and phi effective FLOP/s. Decode tokens/s
  per GPU-equivalent is B / t_step.
* **H100 prefill**: tokens/s = phi_pre / (2P), phi_pre the effective prefill FLOP/s (log-mean).
* **CC overhead** against model size P (1e9) and sequence length L (tokens), a fixed per-request
  transfer cost amortised over compute:

  .. math::

     f = \frac{1}{1 + P L / k}

  fitted on log f (one parameter k; very few points, all ``uncertain``).
* **Attestation latency**: log-normal, median and log10 spread of the in-fit rows.
* **GPU price**: the empirical median and quartiles of the current H100 rows (a summary, not a
  fit).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import optimize

from otr_theory.calibration.data import h100_throughput, load_table

__all__ = [
    "ExtrapolationWarning",
    "Fit",
    "ModelComparison",
    "attestation_latency_fit",
    "cc_overhead_fit",
    "compare",
    "fit_cc_overhead",
    "fit_roofline",
    "fit_size_forms",
    "gpu_price_summary",
    "h100_cost_per_query",
    "h100_decode_fit",
    "h100_decode_tokens_per_s",
    "h100_prefill_fit",
    "h100_prefill_tokens_per_s",
    "kv_bytes_per_token",
    "zk_cost_fit",
    "zk_proving_comparison",
    "zk_proving_fits",
]


class ExtrapolationWarning(UserWarning):
    """A fitted model was asked for a prediction outside the range of its data."""


@dataclasses.dataclass(frozen=True)
class Fit:
    """A fitted model.

    Attributes
    ----------
    name : str
    form : str
        The formula in words/ASCII.
    space : str
        ``"log10"`` or ``"linear"``: where residuals, R^2 and the information criteria live.
    params : Mapping[str, float]
    stderr : Mapping[str, float]
    covariance : tuple of tuple of float
        Of the parameters, in the order of ``params``.
    n, dof : int
        Points used and residual degrees of freedom.
    r2 : float
        Coefficient of determination in ``space`` (nan with fewer than 2 points or no spread).
    resid_sd : float
        Residual standard deviation in ``space`` (RSS / dof; nan when dof = 0).
    aic, bic : float
    domain : Mapping[str, tuple[float, float]]
        The range of each input variable in the data.
    rows : tuple of str
        The ids of the rows fitted.
    """

    name: str
    form: str
    space: str
    params: Mapping[str, float]
    stderr: Mapping[str, float]
    covariance: tuple[tuple[float, ...], ...]
    n: int
    dof: int
    r2: float
    resid_sd: float
    aic: float
    bic: float
    domain: Mapping[str, tuple[float, float]]
    rows: tuple[str, ...]
    fn: Callable[..., Any] = dataclasses.field(repr=False, compare=False, default=None)

    def check_domain(self, **x: Any) -> None:
        """Warn (:class:`ExtrapolationWarning`) for each variable outside the fitted range."""
        for var, (lo, hi) in self.domain.items():
            if var not in x:
                continue
            v = np.asarray(x[var], dtype=float)
            if v.size and (np.nanmin(v) < lo * (1 - 1e-9) or np.nanmax(v) > hi * (1 + 1e-9)):
                bad = float(np.nanmin(v)) if np.nanmin(v) < lo else float(np.nanmax(v))
                warnings.warn(
                    f"{self.name}: {var} = {bad:g} is outside the fitted range [{lo:g}, {hi:g}]; the prediction is an extrapolation",
                    ExtrapolationWarning,
                    stacklevel=3,
                )

    def predict(self, *, params: Mapping[str, Any] | None = None, **x: Any):
        """The fitted value at ``x`` (keyword per variable of :attr:`domain`).

        Warns with :class:`ExtrapolationWarning` outside the domain. ``params`` overrides the fitted
        parameters (used for sampling).
        """
        missing = [v for v in self.domain if v not in x]
        if missing:
            raise TypeError(f"{self.name}.predict: missing variable(s) {', '.join(missing)}")
        self.check_domain(**x)
        return self.fn(dict(self.params) if params is None else params, **x)

    def interval(self, quantiles=(0.05, 0.5, 0.95), *, samples: int = 2000, seed: int = 0, residual: bool = True, **x: Any) -> tuple[float, ...]:
        """Quantiles of the prediction at one point: parameters drawn from N(params, covariance)
        and, with ``residual``, the residual scatter added (a prediction interval).

        Deterministic for a given seed.
        """
        self.check_domain(**x)
        names = list(self.params)
        mean = np.array([self.params[k] for k in names])
        cov = np.array(self.covariance, dtype=float)
        rng = np.random.default_rng(seed)
        draws = rng.multivariate_normal(mean, cov, size=samples, method="eigh") if len(names) else np.empty((samples, 0))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtrapolationWarning)
            ys = np.array([float(self.fn(dict(zip(names, d)), **x)) for d in draws])
        if residual and math.isfinite(self.resid_sd):
            eps = rng.normal(0.0, self.resid_sd, size=samples)
            ys = ys * 10.0**eps if self.space == "log10" else ys + eps
        return tuple(float(q) for q in np.quantile(ys, quantiles))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (no callable)."""
        return {
            "name": self.name,
            "form": self.form,
            "space": self.space,
            "params": dict(self.params),
            "stderr": dict(self.stderr),
            "n": self.n,
            "dof": self.dof,
            "r2": self.r2,
            "resid_sd": self.resid_sd,
            "aic": self.aic,
            "bic": self.bic,
            "domain": {k: list(v) for k, v in self.domain.items()},
            "rows": list(self.rows),
        }


# ---------------------------------------------------------------------------------------------
# least squares helpers


def _info(rss: float, n: int, p: int) -> tuple[float, float]:
    """AIC and BIC of a Gaussian fit with p regression parameters (+1 for the variance)."""
    if n == 0 or rss <= 0:
        return (-math.inf, -math.inf) if n else (math.nan, math.nan)
    ll = n * math.log(rss / n)
    return ll + 2 * (p + 1), ll + (p + 1) * math.log(n)


def _r2(y: np.ndarray, yhat: np.ndarray) -> float:
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if len(y) < 2 or ss_tot == 0:
        return math.nan
    return 1.0 - float(np.sum((y - yhat) ** 2)) / ss_tot


def _linear_ls(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None):
    """Weighted least squares: coefficients, covariance, fitted values, RSS (weighted), dof."""
    w = np.ones_like(y) if w is None else w
    sw = np.sqrt(w)
    Xw, yw = X * sw[:, None], y * sw
    beta, *_ = np.linalg.lstsq(Xw, yw, rcond=None)
    resid = yw - Xw @ beta
    rss = float(resid @ resid)
    n, p = X.shape
    dof = n - p
    s2 = rss / dof if dof > 0 else math.nan
    cov = np.linalg.pinv(Xw.T @ Xw) * s2
    return beta, cov, X @ beta, rss, dof


def _fit_record(name, form, space, names, beta, cov, n, dof, r2, rss, domain, rows, fn) -> Fit:
    aic, bic = _info(rss, n, len(names))
    cov = np.atleast_2d(np.asarray(cov, dtype=float))
    se = {k: float(math.sqrt(cov[i, i])) if math.isfinite(cov[i, i]) and cov[i, i] >= 0 else math.nan for i, k in enumerate(names)}
    return Fit(
        name=name,
        form=form,
        space=space,
        params={k: float(b) for k, b in zip(names, beta)},
        stderr=se,
        covariance=tuple(tuple(float(c) for c in r) for r in cov),
        n=n,
        dof=dof,
        r2=r2,
        resid_sd=math.sqrt(rss / dof) if dof > 0 else math.nan,
        aic=aic,
        bic=bic,
        domain={k: (float(lo), float(hi)) for k, (lo, hi) in domain.items()},
        rows=tuple(rows),
        fn=fn,
    )


# ---------------------------------------------------------------------------------------------
# ZK proving


def _zk_rows():
    return [r for r in load_table("zk-proving") if r["in_fit"] == "yes" and r["params_billion"] is not None]


def _n_params(params_billion):
    return np.asarray(params_billion, dtype=float) * 1e9


def _power(p, *, params_billion):
    return 10.0 ** p["log10_a"] * _n_params(params_billion) ** p["b"]


def _nlogn(p, *, params_billion):
    n = _n_params(params_billion)
    return 10.0 ** p["log10_c"] * n * np.log(n)


def _linear(p, *, params_billion):
    return 10.0 ** p["log10_c"] * _n_params(params_billion)


def fit_size_forms(name: str, x_billion, y, ids=(), unit: str = "y") -> dict[str, Fit]:
    """Power, N log N and linear forms of y(N), N = 1e9 x ``x_billion``, fitted in log10 space.

    Parameters
    ----------
    name : str
    x_billion, y : array_like
        Sizes (billions of parameters) and positive values.
    ids : sequence of str
        Row ids, for the record.
    unit : str
        Name of y in the formulas.

    Returns
    -------
    dict
        ``{"power": Fit, "nlogn": Fit, "linear": Fit}``.

    Raises
    ------
    ValueError
        When fewer than 3 points are given or a value is not positive.

    Examples
    --------
    >>> fits = fit_size_forms("demo", [0.1, 1.0, 10.0], [2.0, 20.0, 200.0])
    >>> round(fits["power"].params["b"], 6)
    1.0
    """
    x_billion = np.asarray(x_billion, dtype=float)
    y = np.asarray(y, dtype=float)
    if x_billion.shape != y.shape or x_billion.size < 3:
        raise ValueError(f"x_billion, y: must be arrays of the same length >= 3 (got {x_billion.size} and {y.size})")
    if np.any(x_billion <= 0) or np.any(y <= 0):
        raise ValueError("x_billion, y: must be > 0 (fitted in log space)")
    ly = np.log10(y)
    n_par = _n_params(x_billion)
    domain = {"params_billion": (float(x_billion.min()), float(x_billion.max()))}
    out = {}
    X = np.column_stack([np.ones_like(ly), np.log10(n_par)])
    beta, cov, yhat, rss, dof = _linear_ls(X, ly)
    out["power"] = _fit_record(f"{name} (power)", f"{unit} = a N^b", "log10", ["log10_a", "b"], beta, cov, len(ly), dof, _r2(ly, yhat), rss, domain, ids, _power)
    for form, shape, fn, txt in (
        ("nlogn", np.log10(n_par * np.log(n_par)), _nlogn, f"{unit} = c N ln N"),
        ("linear", np.log10(n_par), _linear, f"{unit} = c N"),
    ):
        X1 = np.ones((len(ly), 1))
        beta, cov, yhat, rss, dof = _linear_ls(X1, ly - shape)
        yhat = yhat + shape
        out[form] = _fit_record(f"{name} ({form})", txt, "log10", ["log10_c"], beta, cov, len(ly), dof, _r2(ly, yhat), rss, domain, ids, fn)
    return out


@lru_cache(maxsize=None)
def zk_proving_fits() -> dict[str, Fit]:
    """ZK proving time (s) against parameter count: ``power``, ``nlogn`` and ``linear`` fits.

    Examples
    --------
    >>> fits = zk_proving_fits()
    >>> sorted(fits)
    ['linear', 'nlogn', 'power']
    >>> fits["power"].n == fits["nlogn"].n >= 10
    True
    """
    rows = _zk_rows()
    x = np.array([r["params_billion"] for r in rows])
    y = np.array([r["prove_s"] for r in rows])
    return fit_size_forms("ZK proving time", x, y, [r.id for r in rows], "T[s]")


@dataclasses.dataclass(frozen=True)
class ModelComparison:
    """Information-criterion comparison of competing fits of the same data."""

    forms: tuple[str, ...]
    aic: Mapping[str, float]
    bic: Mapping[str, float]
    delta_aic: Mapping[str, float]
    delta_bic: Mapping[str, float]
    akaike_weight: Mapping[str, float]
    best_aic: str
    best_bic: str


def compare(fits: Mapping[str, Fit]) -> ModelComparison:
    """AIC/BIC differences and Akaike weights of fits of the same data."""
    aic = {k: f.aic for k, f in fits.items()}
    bic = {k: f.bic for k, f in fits.items()}
    a0, b0 = min(aic.values()), min(bic.values())
    da = {k: v - a0 for k, v in aic.items()}
    db = {k: v - b0 for k, v in bic.items()}
    z = sum(math.exp(-d / 2) for d in da.values())
    wts = {k: math.exp(-d / 2) / z for k, d in da.items()}
    return ModelComparison(tuple(fits), aic, bic, da, db, wts, min(aic, key=aic.get), min(bic, key=bic.get))


def zk_proving_comparison() -> ModelComparison:
    """Which form of the proving time fits best (AIC, BIC).

    >>> c = zk_proving_comparison()
    >>> c.best_aic in ("power", "nlogn", "linear")
    True
    """
    return compare(zk_proving_fits())


def _hourly_price(hardware: str) -> tuple[float, str]:
    """Price per hour of the hardware a proving row ran on, and the row(s) it comes from."""
    if "CPU" in hardware:
        return load_table("gpu-prices").by_id("cpu-server-24core")["usd_per_gpu_hour"], "cpu-server-24core"
    return gpu_price_summary()["median"], "gpu-prices (median of current H100 rows)"


@lru_cache(maxsize=None)
def zk_cost_fit() -> Fit:
    """ZK proof cost (USD) against parameter count: proving time x hardware price, power law.

    Derived: the rows state times, not costs; hardware not stated is priced as one H100.
    """
    rows = _zk_rows()
    x = np.array([r["params_billion"] for r in rows])
    y = np.array([r["prove_s"] / 3600.0 * _hourly_price(r["hardware"])[0] for r in rows])
    return fit_size_forms("ZK proof cost", x, y, [r.id for r in rows], "C[USD]")["power"]


# ---------------------------------------------------------------------------------------------
# H100 throughput

_KV_BYTES = {"llama-8b": (8.03, 2 * 32 * 8 * 128 * 2), "llama-70b": (70.55, 2 * 80 * 8 * 128 * 2)}
"""KV-cache bytes per token of context: 2 (K, V) x layers x KV heads x head dim x 2 bytes (bf16)."""


def kv_bytes_per_token(params_billion):
    """KV-cache bytes per context token: exact for the Llama-3 8B and 70B shapes, a power law in
    the parameter count between (and beyond) them (our interpolation).

    >>> kv_bytes_per_token(8.03), kv_bytes_per_token(70.55)
    (131072.0, 327680.0)
    """
    (p1, k1), (p2, k2) = _KV_BYTES["llama-8b"], _KV_BYTES["llama-70b"]
    e = math.log(k2 / k1) / math.log(p2 / p1)
    out = k1 * (np.asarray(params_billion, dtype=float) / p1) ** e
    return float(out) if np.ndim(out) == 0 else out


def _decode_features(params_billion, batch, context_tokens):
    p = np.asarray(params_billion, dtype=float) * 1e9
    b = np.asarray(batch, dtype=float)
    L = np.asarray(context_tokens, dtype=float)
    return np.stack(np.broadcast_arrays(2.0 * p, b * L * kv_bytes_per_token(params_billion), 2.0 * p * b), axis=-1)


def _decode_step(p, *, params_billion, batch, context_tokens):
    f = _decode_features(params_billion, batch, context_tokens)
    return f[..., 0] / (p["weight_bw_gb_s"] * 1e9) + f[..., 1] / (p["kv_bw_gb_s"] * 1e9) + f[..., 2] / (p["tflops"] * 1e12)


def fit_roofline(params_billion, batch, context_tokens, step_s, ids=(), name: str = "H100 decode step time") -> Fit:
    """Fit the decode roofline sum (module docstring) to step times, by least squares on relative error.

    Parameters are effective bandwidths (GB/s) for weights and KV cache and the effective TFLOP/s
    of the batch-proportional term; their covariance comes from the inverse rates by the delta
    method.

    Examples
    --------
    >>> P = np.array([8.03, 8.03, 70.55, 70.55]); B = np.array([1, 64, 1, 64]); L = np.array([256, 1024, 256, 4096])
    >>> truth = {"weight_bw_gb_s": 3000.0, "kv_bw_gb_s": 2000.0, "tflops": 500.0}
    >>> t = _decode_step(truth, params_billion=P, batch=B, context_tokens=L)
    >>> f = fit_roofline(P, B, L, t)
    >>> {k: round(v, 6) for k, v in f.params.items()} == truth
    True
    """
    P = np.asarray(params_billion, dtype=float)
    B = np.asarray(batch, dtype=float)
    L = np.asarray(context_tokens, dtype=float)
    t = np.asarray(step_s, dtype=float)
    if not (P.shape == B.shape == L.shape == t.shape) or t.size < 3 or np.any(t <= 0):
        raise ValueError("params_billion, batch, context_tokens, step_s: must be arrays of one length >= 3 with step_s > 0")
    X = _decode_features(P, B, L)
    # relative-error least squares in the inverse rates u_j: sum_i ((X_i u - t_i) / t_i)^2
    u, cov_u, that, _, dof = _linear_ls(X, t, w=1.0 / t**2)
    if np.any(u <= 0):
        u, _ = optimize.nnls(X / t[:, None], np.ones_like(t))
        that = X @ u
        u = np.where(u > 0, u, np.finfo(float).tiny)
    rates = 1.0 / u  # bytes/s, bytes/s, flop/s
    scale = np.array([1e9, 1e9, 1e12])
    params = rates / scale
    J = np.diag(-(rates**2) / scale)  # delta method: d(1/u)/du = -1/u^2
    cov = J @ cov_u @ J.T
    lt = np.log10(t)
    rss_log = float(np.sum((lt - np.log10(that)) ** 2))
    domain = {"params_billion": (P.min(), P.max()), "batch": (B.min(), B.max()), "context_tokens": (L.min(), L.max())}
    return _fit_record(
        name,
        "t_step = 2P/bw_w + B L kv(P)/bw_kv + 2PB/flops",
        "log10",
        ["weight_bw_gb_s", "kv_bw_gb_s", "tflops"],
        params,
        cov,
        len(t),
        dof,
        _r2(lt, np.log10(that)),
        rss_log,
        domain,
        list(ids),
        _decode_step,
    )


@lru_cache(maxsize=None)
def h100_decode_fit() -> Fit:
    """Decode step time (s) of a Llama-shaped model on one H100-equivalent: :func:`fit_roofline`
    on the measured decode rows.

    >>> f = h100_decode_fit()
    >>> 1000 < f.params["weight_bw_gb_s"] < 3350  # below the H100 SXM's 3.35 TB/s peak
    True
    >>> f.r2 > 0.9
    True
    """
    rows = [r for r in h100_throughput() if r["phase"] == "decode"]
    return fit_roofline(
        [r["params_billion"] for r in rows],
        [r["batch"] for r in rows],
        [r["context_tokens"] for r in rows],
        [r["step_ms"] / 1000.0 for r in rows],
        [r.id for r in rows],
    )


def _prefill_rate(p, *, params_billion):
    return p["tflops"] * 1e12 / (2.0 * np.asarray(params_billion, dtype=float) * 1e9)


@lru_cache(maxsize=None)
def h100_prefill_fit() -> Fit:
    """Prefill tokens/s on one H100-equivalent: effective TFLOP/s / (2P), fitted on log10 tokens/s.

    >>> 400 < h100_prefill_fit().params["tflops"] < 990  # below the H100's dense bf16 peak
    True
    """
    rows = [r for r in h100_throughput() if r["phase"] == "prefill"]
    P = np.array([r["params_billion"] for r in rows])
    y = np.log10(np.array([r["tokens_per_s"] for r in rows]))
    shape = np.log10(1e12 / (2.0 * P * 1e9))
    beta, cov, yhat, rss, dof = _linear_ls(np.ones((len(y), 1)), y - shape)
    tf = 10.0 ** beta[0]
    cov_tf = cov * (tf * math.log(10)) ** 2
    domain = {"params_billion": (P.min(), P.max())}
    return _fit_record(
        "H100 prefill throughput",
        "tokens/s = flops / (2P)",
        "log10",
        ["tflops"],
        [tf],
        cov_tf,
        len(y),
        dof,
        _r2(y, yhat + shape),
        rss,
        domain,
        [r.id for r in rows],
        _prefill_rate,
    )


def h100_decode_tokens_per_s(params_billion, batch, context_tokens):
    """Decode tokens/s per H100-equivalent from the fit (warns outside the measured range).

    >>> abs(float(h100_decode_tokens_per_s(70.55, 64, 1024)) / 1092.2 - 1) < 0.1  # measured: 1092.2
    True
    """
    return np.asarray(batch, dtype=float) / h100_decode_fit().predict(params_billion=params_billion, batch=batch, context_tokens=context_tokens)


def h100_prefill_tokens_per_s(params_billion):
    """Prefill tokens/s per H100-equivalent from the fit (warns outside the measured range)."""
    return h100_prefill_fit().predict(params_billion=params_billion)


def h100_cost_per_query(params_billion, tokens_in, tokens_out, *, batch=64, gpu_price_usd_per_hour=2.5):
    """USD of GPU time for one query on H100s at a batch size, from the fits.

    GPU-seconds = T_out t_step(P, B, T_in + T_out/2) / B + T_in / prefill(P): the decode step is
    shared by the batch, and the mean context over the generation is T_in + T_out/2.

    >>> c = h100_cost_per_query(70.55, 500, 250)
    >>> 1e-4 < float(c) < 5e-4
    True
    """
    ctx = np.asarray(tokens_in, dtype=float) + np.asarray(tokens_out, dtype=float) / 2.0
    dec = np.asarray(tokens_out, dtype=float) / h100_decode_tokens_per_s(params_billion, batch, ctx)
    pre = np.asarray(tokens_in, dtype=float) / h100_prefill_tokens_per_s(params_billion)
    return (dec + pre) * gpu_price_usd_per_hour / 3600.0


# ---------------------------------------------------------------------------------------------
# CC overhead, attestation, GPU price


def _cc(p, *, params_billion, seq_tokens):
    return 1.0 / (1.0 + np.asarray(params_billion, dtype=float) * np.asarray(seq_tokens, dtype=float) / p["k"])


def fit_cc_overhead(params_billion, seq_tokens, overhead, ids=()) -> Fit:
    """Fit f = 1 / (1 + P L / k) on log10 f (one parameter k, in 1e9 parameters x tokens).

    Examples
    --------
    >>> P = np.array([1.0, 8.0, 70.0]); L = np.array([100.0, 500.0, 1000.0])
    >>> f = fit_cc_overhead(P, L, _cc({"k": 50.0}, params_billion=P, seq_tokens=L))
    >>> round(f.params["k"], 6)
    50.0
    """
    P = np.asarray(params_billion, dtype=float)
    L = np.asarray(seq_tokens, dtype=float)
    f = np.asarray(overhead, dtype=float)
    if not (P.shape == L.shape == f.shape) or f.size < 1 or np.any(f <= 0) or np.any(f >= 1):
        raise ValueError("params_billion, seq_tokens, overhead: must be arrays of one length with 0 < overhead < 1")
    x = P * L
    lf = np.log10(f)

    def model(xx, log10_k):
        return -np.log10(1.0 + xx / 10.0**log10_k)

    p0 = float(np.log10(np.median(f * x / (1.0 - f))))
    (lk,), pcov = optimize.curve_fit(model, x, lf, p0=[p0])
    k = 10.0**lk
    resid = lf - model(x, lk)
    rss = float(resid @ resid)
    var_lk = float(pcov[0, 0]) if np.isfinite(pcov[0, 0]) else math.nan
    cov_k = np.array([[var_lk * (k * math.log(10)) ** 2]])
    domain = {"params_billion": (P.min(), P.max()), "seq_tokens": (L.min(), L.max())}
    return _fit_record("CC overhead", "f = 1 / (1 + P L / k)", "log10", ["k"], [k], cov_k, len(f), len(f) - 1, _r2(lf, model(x, lk)), rss, domain, list(ids), _cc)


@lru_cache(maxsize=None)
def cc_overhead_fit() -> Fit:
    """Confidential-Computing throughput overhead: :func:`fit_cc_overhead` on the in-fit rows.

    >>> f = cc_overhead_fit()
    >>> f.n, f.params["k"] > 0
    (2, True)
    """
    rows = [r for r in load_table("cc-overhead") if r["in_fit"] == "yes"]
    return fit_cc_overhead([r["params_billion"] for r in rows], [r["seq_tokens"] for r in rows], [r["overhead"] for r in rows], [r.id for r in rows])


def _lognormal_median(p):
    return 10.0 ** p["log10_median"]


@lru_cache(maxsize=None)
def attestation_latency_fit() -> Fit:
    """Attestation latency as a log-normal: median 10^mean(log10 t) and its standard error.

    No input variable (the domain is empty): :meth:`Fit.predict` takes no arguments.

    >>> 0.05 <= attestation_latency_fit().predict() <= 0.5
    True
    """
    rows = [r for r in load_table("attestation-latency") if r["in_fit"] == "yes"]
    y = np.log10(np.array([r["latency_s"] for r in rows]))
    beta, cov, yhat, rss, dof = _linear_ls(np.ones((len(y), 1)), y)
    return _fit_record(
        "attestation latency", "log10 t ~ Normal(mu, sigma)", "log10", ["log10_median"], beta, cov, len(y), dof, math.nan, rss, {}, [r.id for r in rows], lambda p: float(_lognormal_median(p))
    )


@lru_cache(maxsize=None)
def gpu_price_summary() -> dict[str, Any]:
    """Median, quartiles and 5%/95% quantiles (linear interpolation) of the current H100 prices per
    GPU-hour (rows with ``current = yes``).

    >>> s = gpu_price_summary()
    >>> s["q05"] <= s["q25"] <= s["median"] <= s["q75"] <= s["q95"]
    True
    """
    rows = [r for r in load_table("gpu-prices") if r["current"] == "yes" and str(r["gpu"]).startswith("H100")]
    p = np.array([r["usd_per_gpu_hour"] for r in rows])
    q05, q25, med, q75, q95 = np.quantile(p, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {"n": len(p), "min": float(p.min()), "q05": float(q05), "q25": float(q25), "median": float(med), "q75": float(q75), "q95": float(q95), "max": float(p.max()), "rows": [r.id for r in rows]}
