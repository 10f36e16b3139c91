r"""Uncertainty propagation: sample the model's input ranges, give distributions of cost and latency.

Sampling rule (ours): every field with both ``low`` and ``high`` is drawn independently:

* a field whose source is a fit's prediction (a key of
  :data:`otr_theory.calibration.defaults.PI_SOURCES`: its low/high are the fit's 90% prediction
  interval) from the **split log-normal** with median the value and 5% and 95% quantiles low
  and high: :math:`x = v\,e^{\sigma z}`, :math:`z \sim N(0, 1)`,
  :math:`\sigma = \ln(v/\ell)/z_{0.95}` for :math:`z < 0` and :math:`\ln(h/v)/z_{0.95}` above
  (the fits live in log10 space; their intervals are close to log-symmetric);
* any other field log-uniformly when ``low > 0`` and ``high / low >= 10``, uniformly otherwise.

Integer fields are rounded; fields without a range stay at their value. Every draw is a
transform of one uniform per field (:func:`values_from_unit`), which the Sobol analysis of
:mod:`otr_theory.calibration.claims` samples directly. Cross-field rules of the model file
are not imposed on the draws (the slash and the stake are drawn independently: neither the slash
nor the dispute timing enters cost, latency or throughput). Each field has its own random stream,
seeded by ``(seed, position of the field in FIELDS)``, so two schemes that share a field share its
draws (common random numbers) and a run is reproducible bit for bit.

Batch and decode throughput are coupled (``couple_batch=True``): the decode throughput is not
drawn from its own range but taken from the H100 decode fit
(:func:`otr_theory.calibration.fits.h100_decode_tokens_per_s`) at the drawn batch and the mean
context :math:`T_{in} + T_{out}/2` (raised to the shortest measured context, 256 tokens, where it
is shorter: the step time barely depends on it there), since a batch of 1 and a throughput
measured at batch 64 cannot both hold. Outside the fit's range (another model size, a batch or
context beyond the measured ones) the coupling is dropped and the result says so.

The draws go through the vectorised cores :func:`~otr_theory.calibration.costs.cost_components`
and :func:`~otr_theory.calibration.costs.latency_components`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping

import numpy as np
from scipy import stats

from otr_theory.calibration.costs import (
    cost_components,
    latency_components,
    throughput_from_values,
)
from otr_theory.calibration.defaults import PI_SOURCES
from otr_theory.calibration.fits import (
    ExtrapolationWarning,
    h100_decode_fit,
    h100_decode_tokens_per_s,
)
from otr_theory.model import FIELDS, Model

__all__ = ["QUANTILES", "Distribution", "Propagation", "field_distribution", "propagate", "sample_values", "unit_draws", "values_from_unit"]

Z95 = float(stats.norm.ppf(0.95))
"""The standard normal's 95% quantile (1.645): low/high of a 90% interval sit at -/+ Z95."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""The quantiles reported."""


@dataclasses.dataclass(frozen=True)
class Distribution:
    """Quantiles and mean of one sampled output."""

    name: str
    unit: str
    quantiles: Mapping[str, float]
    mean: float

    @property
    def median(self) -> float:
        return self.quantiles["q50"]


@dataclasses.dataclass(frozen=True)
class Propagation:
    """Sampled distributions of one model's cost, latency and throughput."""

    model_name: str
    scheme: str
    samples: int
    seed: int
    coupled_batch: bool
    sampled_fields: tuple[str, ...]
    distributions: Mapping[str, Distribution]

    def __getitem__(self, key: str) -> Distribution:
        return self.distributions[key]


def field_distribution(model: Model, name: str) -> str:
    """How :func:`sample_values` draws field ``name`` of ``model``: ``"split log-normal"``,
    ``"log-uniform"``, ``"uniform"`` or ``"fixed"`` (see the module docstring).

    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> [field_distribution(m, k) for k in ("proof_cost_usd", "gas_price_gwei", "eth_price_usd", "block_time_s")]
    ['split log-normal', 'log-uniform', 'uniform', 'fixed']
    """
    q = model.quantity(name)
    if q.low is None or q.high is None or not q.high > q.low:
        return "fixed"
    if q.source in PI_SOURCES and 0 < q.low < q.value < q.high:
        return "split log-normal"
    if q.low > 0 and q.high / q.low >= 10:
        return "log-uniform"
    return "uniform"


def unit_draws(model: Model, samples: int, seed: int = 0) -> dict[str, np.ndarray]:
    """One uniform in [0, 1) per draw for every field with a range: the stream of field i is
    ``default_rng([seed, i])`` (i its position in FIELDS)."""
    if not (isinstance(samples, int) and samples >= 1):
        raise ValueError(f"samples: must be an integer >= 1 (got {samples!r})")
    return {spec.name: np.random.default_rng([seed, i]).random(samples) for i, spec in enumerate(FIELDS) if field_distribution(model, spec.name) != "fixed"}


def values_from_unit(model: Model, u: Mapping[str, np.ndarray], *, couple_batch: bool = True) -> tuple[dict[str, np.ndarray], tuple[str, ...], bool]:
    """Field values from uniforms ``u`` (one array per field drawn; fields missing from ``u``
    stay at their value) by each field's :func:`field_distribution`; decode throughput coupled to
    the batch (module docstring). Returns (values, fields drawn, coupled)."""
    n = len(next(iter(u.values()))) if u else 1
    out: dict[str, np.ndarray] = {}
    sampled = []
    for spec in FIELDS:
        q = model.quantity(spec.name)
        kind = field_distribution(model, spec.name)
        if kind == "fixed" or spec.name not in u:
            out[spec.name] = np.full(n, float(q.value))
            continue
        x = np.asarray(u[spec.name], dtype=float)
        if kind == "split log-normal":
            z = stats.norm.ppf(np.clip(x, 1e-12, 1 - 1e-12))
            sig = np.where(z < 0, np.log(q.value / q.low), np.log(q.high / q.value)) / Z95
            x = q.value * np.exp(sig * z)
            if spec.name.endswith("_fraction"):
                x = np.minimum(x, 0.99)  # a fraction of throughput lost stays below 1
        elif kind == "log-uniform":
            x = np.exp(np.log(q.low) + x * (np.log(q.high) - np.log(q.low)))
        else:
            x = q.low + x * (q.high - q.low)
        if spec.integer:
            x = np.round(x)
        out[spec.name] = x
        sampled.append(spec.name)
    coupled = False
    if couple_batch:
        dom = h100_decode_fit().domain
        lo, hi = dom["params_billion"]
        if lo <= model.value("params_billion") <= hi:
            # contexts below the shortest measured one are evaluated there (step time barely depends on them)
            ctx = np.maximum(out["tokens_in_per_query"] + out["tokens_out_per_query"] / 2.0, dom["context_tokens"][0])
            with warnings.catch_warnings():
                warnings.simplefilter("error", ExtrapolationWarning)
                try:
                    out["decode_tokens_per_s_per_gpu"] = np.asarray(h100_decode_tokens_per_s(model.value("params_billion"), out["batch_size"], ctx), dtype=float) * np.ones(n)
                    coupled = True
                    sampled = [s for s in sampled if s != "decode_tokens_per_s_per_gpu"]
                except ExtrapolationWarning:
                    coupled = False
    return out, tuple(sampled), coupled


def sample_values(model: Model, samples: int, seed: int = 0, *, couple_batch: bool = True) -> tuple[dict[str, np.ndarray], tuple[str, ...], bool]:
    """Draw ``samples`` values of every field (see the module docstring).

    Returns
    -------
    values : dict of arrays
        One array of length ``samples`` per field.
    sampled : tuple of str
        The fields that were drawn (those with a range).
    coupled : bool
        Whether decode throughput was coupled to the batch through the H100 fit.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> v, sampled, coupled = sample_values(load_model(), 4, seed=1)
    >>> v["spot_check_rate"].shape, "spot_check_rate" in sampled, coupled
    ((4,), True, True)
    """
    u = unit_draws(model, samples, seed)
    values, sampled, coupled = values_from_unit(model, u, couple_batch=couple_batch)
    for k, x in values.items():
        values[k] = np.broadcast_to(x, (samples,)).copy() if np.shape(x) != (samples,) else x
    return values, sampled, coupled


_OUTPUTS = (
    ("total_usd", "USD/query"),
    ("overhead_usd", "USD/query"),
    ("inference_usd", "USD/query"),
    ("proof_usd", "USD/query"),
    ("provisional_s", "s"),
    ("final_s", "s"),
    ("throughput_qps", "queries/s"),
)


def propagate(model: Model, *, samples: int = 2000, seed: int = 0, monitoring_rate: float = 1.0, couple_batch: bool = True) -> Propagation:
    """Distributions of cost per query, latency and throughput of ``model`` under its input ranges.

    Parameters
    ----------
    model : Model
    samples : int, default 2000
    seed : int, default 0
    monitoring_rate : float, default 1
        As in :func:`otr_theory.calibration.costs.query_cost`.
    couple_batch : bool, default True
        Derive decode throughput from the drawn batch through the H100 fit.

    Returns
    -------
    Propagation

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> p = propagate(load_model(), samples=500, seed=0)
    >>> q = p["total_usd"].quantiles
    >>> q["q05"] <= q["q50"] <= q["q95"]
    True
    >>> propagate(load_model(), samples=500, seed=0) == p  # deterministic
    True
    """
    v, sampled, coupled = sample_values(model, samples, seed, couple_batch=couple_batch)
    c = cost_components(v, tee=model.protocol.attestation_check, monitoring_rate=monitoring_rate)
    lat = latency_components(v, scheme=model.scheme)
    outs = {
        "total_usd": c["total_usd"],
        "overhead_usd": c["total_usd"] - c["centralized_usd"],
        "inference_usd": c["inference_usd"],
        "proof_usd": c["proof_usd"],
        "provisional_s": lat["provisional_s"],
        "final_s": lat["final_s"],
        "throughput_qps": throughput_from_values(v),
    }
    dists = {}
    for name, unit in _OUTPUTS:
        x = np.broadcast_to(np.asarray(outs[name], dtype=float), (samples,))
        qs = np.quantile(x, QUANTILES)
        dists[name] = Distribution(name, unit, {f"q{round(q * 100):02d}": float(v_) for q, v_ in zip(QUANTILES, qs)}, float(np.mean(x)))
    return Propagation(model.name, model.scheme, samples, seed, coupled, sampled, dists)
