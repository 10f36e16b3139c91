r"""Model defaults that follow the data: which fit predicts which field, and whether the model agrees.

A field that one of the fits of :mod:`otr_theory.calibration.fits` (or an exact derivation from
the ``gas-constants`` table) predicts takes the prediction as its default, and, where the fit
gives one, its **90% prediction interval** (5% and 95% quantiles, parameter and residual
uncertainty together: :meth:`~otr_theory.calibration.fits.Fit.interval`) as its ``low``/``high``.
Its source is a ``[sources]`` entry of kind ``derived`` naming the fit and the data table (the
``source`` column of :data:`FIT_DEFAULTS`). A field may override its fit only by saying why: its
``note`` contains :data:`OVERRIDE_MARK` followed by the reason, which the report prints beside
the number. :func:`check_fit_defaults` sorts every field into ``follows the fit``, ``overrides
the fit`` or ``differs without a reason``; the tests hold the shipped models to having none of the
last kind.

The predictions are evaluated at the model's own values (ours):

* ``hardware.tee_overhead_fraction`` = CC-overhead fit :math:`f(P, T_{in})` (TEE schemes only);
* ``zk.proof_cost_usd`` = ZK proof-cost fit :math:`C(N)`;
  ``zk.proof_latency_s`` = ZK proving-time fit, the form best by AIC (power law) :math:`T(N)`;
* ``hardware.decode_tokens_per_s_per_gpu`` = :math:`B / t_{step}(P, B, \max(T_{in} + T_{out}/2, 256))`
  from the H100 roofline fit (the batch and the mean context of the model's own queries: the
  same coupling as :mod:`~otr_theory.calibration.uncertainty`);
  ``hardware.prefill_tokens_per_s_per_gpu`` = H100 prefill fit at P;
* ``hardware.gpu_price_usd_per_hour`` = median of the current H100 prices, range their empirical
  5%--95% quantiles (a summary of the rows, not a fit);
* ``hardware.attestation_latency_s`` = attestation-latency fit (log-normal median; TEE schemes);
* the per-query GPU costs, value only (their declared range is kept):
  ``economics.skip_saving_usd_per_query`` = :math:`P_{gpu} G / (3600\, q)` with q
  :func:`otr_theory.model.replica_query_rate` (the prover's GPU cost of a query, TEE included);
  ``challengers.check_cost_usd_per_query`` = the same with :math:`f = 0` (a challenger
  re-executes outside a TEE); ``economics.downgrade_saving_usd_per_query`` = that of the model
  minus that of the Llama-3-8B shape (8.03e9 parameters) at the same batch and tokens, both from
  the H100 fits;
* ``chain.commit_gas`` = 21,000 + 16 x 32 + 20,000 + 2,100 (a commitment in a new slot,
  :func:`otr_theory.calibration.gas.derived_gas`); ``zk.verify_gas`` = Groth16 with 3 public inputs;
  ``chain.dispute_step_gas`` = one bisection move (value only).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from otr_theory.calibration import fits as F
from otr_theory.calibration.costs import gpu_usd_per_query
from otr_theory.model import Model

__all__ = [
    "DEFAULT_SAMPLES",
    "FIT_DEFAULTS",
    "OVERRIDE_MARK",
    "PI_SOURCES",
    "DefaultCheck",
    "FitDefault",
    "check_fit_defaults",
    "fit_prediction",
    "round_sig",
]

OVERRIDE_MARK = "overrides the fit:"
"""A field's note containing this, followed by the reason, overrides its fit."""

DEFAULT_SAMPLES = 20_000
"""Draws for the prediction intervals (seed 0): enough for the 5% and 95% quantiles to be stable
to about 1% of the interval."""

SIG_DIGITS = 4
"""Significant digits of a default written to a model file."""


def round_sig(x: float, digits: int = SIG_DIGITS) -> float:
    """``x`` rounded to ``digits`` significant digits.

    >>> round_sig(0.0031017641), round_sig(1078.3828), round_sig(0.0)
    (0.003102, 1078.0, 0.0)
    """
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(round(x, digits - 1 - math.floor(math.log10(abs(x)))))


@dataclasses.dataclass(frozen=True)
class FitDefault:
    """One field predicted by a fit.

    Attributes
    ----------
    field : str
        The model field.
    fit : str
        The function of :mod:`otr_theory.calibration` that makes the prediction, in words.
    table : str
        The data table(s) it is fitted on.
    source : str
        The ``[sources]`` key a following field cites.
    inputs : tuple of str
        The model fields the prediction is evaluated at.
    predict : callable
        ``predict(values) -> (point, low, high)``; low/high are None where only the value is held.
    applies : callable
        ``applies(model) -> bool``: whether the fit speaks for this model's field.
    """

    field: str
    fit: str
    table: str
    source: str
    inputs: tuple[str, ...]
    predict: Callable[[Mapping[str, Any]], tuple[float, float | None, float | None]] = dataclasses.field(repr=False, compare=False)
    applies: Callable[[Model], bool] = dataclasses.field(repr=False, compare=False, default=lambda m: True)

    @property
    def interval(self) -> bool:
        """Whether the fit gives the range too (a 90% prediction interval)."""
        return self.source in PI_SOURCES


def _quiet(fn):
    def wrapped(v):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", F.ExtrapolationWarning)
            return fn(v)

    return wrapped


_MEMO: dict[tuple, tuple[float, float, float]] = {}


def _interval(fit: F.Fit, **x) -> tuple[float, float, float]:
    """(prediction, 5%, 95%) of ``fit`` at ``x``, memoised: the fits are fixed and the draws seeded."""
    key = (fit.name, fit.form, tuple(sorted((k, float(v)) for k, v in x.items())))
    if key not in _MEMO:
        lo, _, hi = fit.interval((0.05, 0.5, 0.95), samples=DEFAULT_SAMPLES, seed=0, **x)
        _MEMO[key] = (float(fit.predict(**x)), lo, hi)
    return _MEMO[key]


def _cc(v):
    return _interval(F.cc_overhead_fit(), params_billion=v["params_billion"], seq_tokens=v["tokens_in_per_query"])


def _zk_cost(v):
    return _interval(F.zk_cost_fit(), params_billion=v["params_billion"])


def _zk_time(v):
    fits = F.zk_proving_fits()
    return _interval(fits[F.compare(fits).best_aic], params_billion=v["params_billion"])


def _context(v) -> float:
    return max(float(v["tokens_in_per_query"]) + float(v["tokens_out_per_query"]) / 2.0, F.h100_decode_fit().domain["context_tokens"][0])


def _decode(v):
    b = float(v["batch_size"])
    step, lo, hi = _interval(F.h100_decode_fit(), params_billion=v["params_billion"], batch=b, context_tokens=_context(v))
    return b / step, b / hi, b / lo  # tokens/s falls as the step time rises


def _prefill(v):
    return _interval(F.h100_prefill_fit(), params_billion=v["params_billion"])


def _price(v):
    s = F.gpu_price_summary()
    return s["median"], s["q05"], s["q95"]


def _attestation(v):
    return _interval(F.attestation_latency_fit())


def _gpu_usd(v, *, tee: bool):
    return float(gpu_usd_per_query(v, tee=tee))  # the one definition (calibration.costs)


def _skip(v):
    return _gpu_usd(v, tee=True), None, None


def _check(v):
    return _gpu_usd(v, tee=False), None, None


_SMALL_PARAMS_BILLION = 8.03
"""Llama-3-8B: the model a downgrade attack serves instead (the paper's example)."""


def _downgrade(v):
    ctx = _context(v)
    small = dict(v)
    small["decode_tokens_per_s_per_gpu"] = float(F.h100_decode_tokens_per_s(_SMALL_PARAMS_BILLION, float(v["batch_size"]), ctx))
    small["prefill_tokens_per_s_per_gpu"] = float(F.h100_prefill_tokens_per_s(_SMALL_PARAMS_BILLION))
    small["tee_overhead_fraction"] = 0.0
    return _gpu_usd(v, tee=False) - _gpu_usd(small, tee=False), None, None


def _gas(key):
    def f(v):
        from otr_theory.calibration.gas import derived_gas

        return float(derived_gas()[key]), None, None

    return f


def _tee(m: Model) -> bool:
    return bool(m.protocol.attestation_check)


def _pos(name):
    return lambda m: m.value(name) > 0


PI_SOURCES = frozenset({"fit-cc-overhead", "fit-zk-cost", "fit-zk-time", "fit-h100-decode", "fit-h100-prefill", "gpu-price-median", "fit-attestation"})
"""Sources whose low/high are the 5% and 95% quantiles of a prediction (sampled accordingly by
:mod:`otr_theory.calibration.uncertainty`)."""

_H100 = "h100-llama-shaped-throughput"
FIT_DEFAULTS: Mapping[str, FitDefault] = {
    d.field: d
    for d in (
        FitDefault(
            "tee_overhead_fraction",
            "cc_overhead_fit: f = 1/(1 + P L/k) at (params_billion, tokens_in_per_query)",
            "cc-overhead",
            "fit-cc-overhead",
            ("params_billion", "tokens_in_per_query"),
            _quiet(_cc),
            _tee,
        ),
        FitDefault("proof_cost_usd", "zk_cost_fit: C = a N^b at params_billion", "zk-proving, gpu-prices", "fit-zk-cost", ("params_billion",), _quiet(_zk_cost)),
        FitDefault("proof_latency_s", "zk_proving_fits, best by AIC (power: T = a N^b) at params_billion", "zk-proving", "fit-zk-time", ("params_billion",), _quiet(_zk_time)),
        FitDefault(
            "decode_tokens_per_s_per_gpu",
            "h100_decode_fit: B / t_step(P, B, max(T_in + T_out/2, 256))",
            _H100,
            "fit-h100-decode",
            ("params_billion", "batch_size", "tokens_in_per_query", "tokens_out_per_query"),
            _quiet(_decode),
        ),
        FitDefault("prefill_tokens_per_s_per_gpu", "h100_prefill_fit: phi / (2P)", _H100, "fit-h100-prefill", ("params_billion",), _quiet(_prefill)),
        FitDefault("gpu_price_usd_per_hour", "gpu_price_summary: median, 5-95% quantiles of current H100 rows", "gpu-prices", "gpu-price-median", (), _price),
        FitDefault("attestation_latency_s", "attestation_latency_fit: log-normal median", "attestation-latency", "fit-attestation", (), _quiet(_attestation), _tee),
        FitDefault(
            "skip_saving_usd_per_query",
            "GPU cost of one query: price x gpus / (3600 replica_query_rate)",
            f"{_H100}, gpu-prices, cc-overhead",
            "derived-h100-fits",
            ("gpu_price_usd_per_hour", "gpus_per_replica", "decode_tokens_per_s_per_gpu", "prefill_tokens_per_s_per_gpu", "tokens_in_per_query", "tokens_out_per_query", "tee_overhead_fraction"),
            _skip,
        ),
        FitDefault(
            "check_cost_usd_per_query",
            "GPU cost of re-executing one query outside a TEE",
            f"{_H100}, gpu-prices",
            "derived-h100-fits",
            ("gpu_price_usd_per_hour", "gpus_per_replica", "decode_tokens_per_s_per_gpu", "prefill_tokens_per_s_per_gpu", "tokens_in_per_query", "tokens_out_per_query"),
            _check,
            lambda m: m.scheme != "poq",
        ),
        FitDefault(
            "downgrade_saving_usd_per_query",
            "GPU cost of one query, this model minus the Llama-3-8B shape (H100 fits)",
            f"{_H100}, gpu-prices",
            "derived-h100-fits",
            ("gpu_price_usd_per_hour", "gpus_per_replica", "decode_tokens_per_s_per_gpu", "prefill_tokens_per_s_per_gpu", "tokens_in_per_query", "tokens_out_per_query", "batch_size"),
            _quiet(_downgrade),
        ),
        FitDefault("commit_gas", "derived_gas: commitment in a new slot (21,000 + 16 x 32 + 20,000 + 2,100)", "gas-constants", "derived-gas-constants", (), _gas("commit_sstore"), _pos("commit_gas")),
        FitDefault("verify_gas", "derived_gas: Groth16, 3 public inputs", "gas-constants", "derived-gas-constants", (), _gas("groth16_exact"), _pos("verify_gas")),
        FitDefault("dispute_step_gas", "derived_gas: one bisection move", "gas-constants", "derived-gas-constants", (), _gas("bisection_move"), _pos("dispute_step_gas")),
    )
}
"""Every field a fit predicts, by field: the one place that maps field -> fit."""


def fit_prediction(field: str, values: Mapping[str, Any]) -> tuple[float, float | None, float | None]:
    """The fit's prediction of ``field`` at ``values``: (point, 5%, 95%), unrounded.

    Raises
    ------
    KeyError
        When no fit predicts ``field``.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> p, lo, hi = fit_prediction("tee_overhead_fraction", load_model().values())
    >>> round(p, 5), lo < p < hi
    (0.0031, True)
    """
    return FIT_DEFAULTS[field].predict(values)


@dataclasses.dataclass(frozen=True)
class DefaultCheck:
    """One field of one model against its fit."""

    field: str
    fit: str
    table: str
    value: float
    low: float | None
    high: float | None
    source: str
    fit_value: float
    fit_low: float | None
    fit_high: float | None
    status: str
    note: str

    @property
    def ok(self) -> bool:
        return self.status != "differs without a reason"


def _close(a: float | None, b: float | None, rel: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def check_fit_defaults(model: Model, *, rel: float = 1e-3, rel_interval: float = 0.02) -> tuple[DefaultCheck, ...]:
    """Each field of ``model`` that a fit predicts, against the fit (fields the fit does not apply to
    are left out).

    ``follows the fit``: the value is the prediction within ``rel`` (4 significant digits), and,
    where the fit gives a 90% interval, low/high are its ends within ``rel_interval``; where it gives
    only a value, the model's range contains it. ``overrides the fit``: the note carries
    :data:`OVERRIDE_MARK` and a reason. Otherwise ``differs without a reason``.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> checks = check_fit_defaults(load_model())
    >>> all(c.ok for c in checks), {c.status for c in checks} == {"follows the fit", "overrides the fit"}
    (True, True)
    """
    v = model.values()
    out = []
    for name, d in FIT_DEFAULTS.items():
        if name not in model.quantities or not d.applies(model):
            continue
        q = model.quantity(name)
        pv, plo, phi = d.predict(v)
        if OVERRIDE_MARK in q.note and q.note.split(OVERRIDE_MARK, 1)[1].strip():
            status = "overrides the fit"
        elif _close(q.value, pv, rel) and (
            (_close(q.low, plo, rel_interval) and _close(q.high, phi, rel_interval)) if d.interval else (q.low is None or q.low <= q.value) and (q.high is None or q.value <= q.high)
        ):
            status = "follows the fit"
        else:
            status = "differs without a reason"
        out.append(DefaultCheck(name, d.fit, d.table, float(q.value), q.low, q.high, q.source, float(pv), plo, phi, status, q.note))
    return tuple(out)
