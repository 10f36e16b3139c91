"""One call that answers the calibration question for a model: what one query costs and how long it
takes, the trilemma across schemes, the uncertainty, the paper's claims, the fits and the data.

:func:`analyse` runs, in order: the cost of one query by component and under each named variant
(:func:`~otr_theory.calibration.costs.query_cost`,
:func:`~otr_theory.calibration.costs.cost_per_query`), its latency and throughput, the trilemma
over the shipped schemes (the given model in place of its own scheme's), the uncertainty
propagation (:func:`~otr_theory.calibration.uncertainty.propagate`), the claims
(:func:`~otr_theory.calibration.claims.check_claims`), the fits with their predictions at this
model's size, the defaults that follow the fits, gas and capital, and the calibration tables with
their sources. Every formula is in the module that computes it (all ours, see
:mod:`otr_theory.calibration.costs`); this module only assembles the record. Everything is
deterministic for a given ``samples`` and ``seed``.

The report's calibration section renders :class:`CalibrationAnalysis` and nothing else.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, ClassVar

from otr_theory.calibration import fits as F
from otr_theory.calibration.claims import LEVEL, ClaimCheck, check_claims
from otr_theory.calibration.costs import (
    ATTESTATION_GAS_PER_COMMIT,
    VERIFIER_CPU_USD_PER_HOUR,
    CostPerQuery,
    QueryCost,
    QueryLatency,
    cost_per_query,
    query_cost,
    query_latency,
    relative_throughput,
    throughput,
)
from otr_theory.calibration.data import TABLES, h100_throughput, load_table
from otr_theory.calibration.defaults import (
    OVERRIDE_MARK,
    DefaultCheck,
    check_fit_defaults,
)
from otr_theory.calibration.fits import ModelComparison
from otr_theory.calibration.gas import CapitalCost, GasItem, capital_cost, gas_table
from otr_theory.calibration.trilemma import TrilemmaRow, trilemma
from otr_theory.calibration.uncertainty import Propagation, propagate
from otr_theory.model import Model, load_model, model_paths
from otr_theory.records import Record, quantity

__all__ = [
    "DATA_COLUMNS",
    "SAMPLES",
    "SEED",
    "CalibrationAnalysis",
    "DataTable",
    "FitPredictions",
    "GasAtPrices",
    "QueryAnalysis",
    "analyse",
    "models_for",
]

SAMPLES = 2000
"""Draws of the uncertainty propagation and the claims' uncertainty in the report."""

SEED = 0
"""Seed of those draws."""

DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "zk-proving": ("system", "model", "params_billion", "tokens", "prove_s", "bound", "in_fit"),
    "cc-overhead": ("model", "params_billion", "seq_tokens", "metric", "overhead", "overhead_low", "overhead_high", "in_fit"),
    "attestation-latency": ("what", "latency_s", "bound", "in_fit"),
    "gas-constants": ("quantity", "gas", "per"),
    "gpu-prices": ("provider", "offer", "usd_per_gpu_hour", "current"),
    "protocol-numbers": ("scheme", "quantity", "value", "unit", "bound"),
}
"""The value columns of each calibration table that the analysis carries (beside id, hardware,
date, status and source)."""

_DER = "ours: otr_theory.calibration (derived)"


@dataclasses.dataclass(frozen=True, repr=False)
class QueryAnalysis(Record):
    """Cost, latency and throughput of one query of the model.

    ``cost`` is the reading with every challenger re-executing every query (the variant
    ``every_query_reexecuted_usd`` of ``variants``); ``variants`` holds every named reading.
    """

    TITLE: ClassVar[str] = "One query: cost, latency, throughput"
    SUMMARY: ClassVar[tuple[str, ...]] = ("throughput_qps", "relative_throughput", "relative_throughput_with_proving")

    cost: QueryCost = quantity("", "USD per query by component, every query re-executed by every challenger")
    latency: QueryLatency = quantity("", "seconds to provisional and final finality")
    variants: CostPerQuery = quantity("", "the cost per query under each named reading")
    throughput_qps: float = quantity("queries/s", "queries per second of one replica, TEE overhead included", source="ours: model.replica_query_rate")
    relative_throughput: float = quantity("", "throughput over a centralized replica of the same hardware", source=_DER)
    relative_throughput_with_proving: float = quantity("", "the same with the replica making its own spot-check proofs", source=_DER)
    attestation_gas_per_commit: float = quantity("gas", "on-chain attestation check per commitment", source="gas-constants.csv p256verify-osaka")
    verifier_cpu_usd_per_hour: float = quantity("USD/h", "CPU core-hour for off-chain attestation verification", source="gpu-prices.csv cpu-core-hour (assumed)")


@dataclasses.dataclass(frozen=True, repr=False)
class FitPredictions(Record):
    """What the fits predict at this model's size and prompt length (90% prediction intervals)."""

    TITLE: ClassVar[str] = "Fit predictions at the model's size"

    params_billion: float = quantity("", "the model's parameter count in billions", source="model: served_model.params_billion")
    proof_cost_q05_usd: float = quantity("USD", "ZK proof cost, 5% of the prediction interval", source="ours: fits.zk_cost_fit")
    proof_cost_q50_usd: float = quantity("USD", "ZK proof cost, median prediction", source="ours: fits.zk_cost_fit")
    proof_cost_q95_usd: float = quantity("USD", "ZK proof cost, 95% of the prediction interval", source="ours: fits.zk_cost_fit")
    cc_overhead_point: float = quantity("", "Confidential-Computing overhead, point prediction", source="ours: fits.cc_overhead_fit")
    cc_overhead_q05: float = quantity("", "CC overhead, 5%", source="ours: fits.cc_overhead_fit")
    cc_overhead_q50: float = quantity("", "CC overhead, median", source="ours: fits.cc_overhead_fit")
    cc_overhead_q95: float = quantity("", "CC overhead, 95%", source="ours: fits.cc_overhead_fit")
    attestation_latency_q05_s: float = quantity("s", "attestation latency, 5%", source="ours: fits.attestation_latency_fit")
    attestation_latency_q50_s: float = quantity("s", "attestation latency, median", source="ours: fits.attestation_latency_fit")
    attestation_latency_q95_s: float = quantity("s", "attestation latency, 95%", source="ours: fits.attestation_latency_fit")
    zk_exponent: float = quantity("", "fitted exponent b of the power-law proving time across systems", source="ours: fits.zk_proving_fits")
    zk_exponent_stderr: float = quantity("", "its standard error", source="ours: fits.zk_proving_fits")


@dataclasses.dataclass(frozen=True, repr=False)
class GasAtPrices(Record):
    """The gas table at one gas price and token price."""

    TITLE: ClassVar[str] = "Gas of each action"
    TABLE: ClassVar[str | None] = "items"

    gas_price_gwei: float = quantity("gwei", "gas price", source="model: chain.gas_price_gwei")
    eth_price_usd: float = quantity("USD", "gas-token price", source="model: chain.eth_price_usd")
    items: tuple[GasItem, ...] = quantity("", "one row per on-chain action")


@dataclasses.dataclass(frozen=True, repr=False)
class DataTable(Record):
    """One calibration table: its rows with the value columns, status and source."""

    TITLE: ClassVar[str] = "Calibration table"
    TABLE: ClassVar[str | None] = "rows"

    name: str = quantity("", "the table's name (models/calibration/<name>.csv)")
    columns: tuple[str, ...] = quantity("", "the value columns carried")
    rows: tuple[dict[str, Any], ...] = quantity("", "id, the value columns, hardware, date, status, source_title, source_url")


@dataclasses.dataclass(frozen=True, repr=False)
class CalibrationAnalysis(Record):
    """Everything :func:`analyse` found for one model.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model(), samples=200)
    >>> print(repr(a).splitlines()[1])
      cost_usd_per_query = $0.01501
    >>> round(a.to_dict()["query"]["cost"]["total_usd"], 6)
    0.015009
    """

    TITLE: ClassVar[str] = "Calibrated cost, latency and the paper's claims"
    TABLE: ClassVar[str | None] = "trilemma"
    SUMMARY: ClassVar[tuple[str, ...]] = ("cost_usd_per_query", "centralized_usd_per_query", "provisional_s", "final_s", "samples", "seed")

    model: str = quantity("", "the model's name")
    scheme: str = quantity("", "the model's scheme")
    samples: int = quantity("count", "draws of the uncertainty propagation and of the claims")
    seed: int = quantity("count", "seed of the draws")
    cost_usd_per_query: float = quantity("USD/query", "the headline cost: every query re-executed by every challenger (= query.cost.total_usd)", source=_DER)
    centralized_usd_per_query: float = quantity("USD/query", "the centralized reference", source=_DER)
    provisional_s: float = quantity("s", "time to provisional finality", source=_DER)
    final_s: float = quantity("s", "time to final finality", source=_DER)
    query: QueryAnalysis = quantity("", "one query: cost, latency, throughput and the cost variants")
    trilemma: tuple[TrilemmaRow, ...] = quantity("", "integrity, cost and latency of every shipped scheme (this model for its own)")
    uncertainty: tuple[Propagation, ...] = quantity("", "sampled distributions of cost and latency, one per trilemma scheme")
    claims: tuple[ClaimCheck, ...] = quantity("", "the paper's headline claims at the model's values and over the uncertainty")
    claims_level: float = quantity("probability", "a claim holds (fails) over the uncertainty when P(holds) is at least (at most 1 -) this")
    fits: dict[str, dict[str, Any]] = quantity("", "every fitted model: parameters, standard errors, goodness of fit, range")
    zk_model_comparison: ModelComparison = quantity("", "AIC/BIC of the forms of the ZK proving time")
    gpu_price: dict[str, Any] = quantity("", "current H100 prices per GPU-hour (gpu-prices)")
    predictions: FitPredictions = quantity("", "the fits' predictions at this model's size")
    defaults: tuple[DefaultCheck, ...] = quantity("", "the model's defaults against the fits that predict them")
    default_override_reasons: dict[str, str] = quantity("", "why a default overrides its fit, by field")
    gas: tuple[GasAtPrices, ...] = quantity("", "the gas table at the model's gas price and at the top of its range")
    capital: CapitalCost = quantity("", "capital cost of the stake")
    data: tuple[DataTable, ...] = quantity("", "every calibration table with sources, then the H100 measurements")


def models_for(model: Model) -> dict[str, Model]:
    """The shipped models by scheme, with ``model`` in place of the shipped one of its scheme."""
    out = {}
    for path in model_paths().values():
        m = load_model(path)
        out[m.scheme] = m
    out[model.scheme] = model
    return out


def _data_tables() -> tuple[DataTable, ...]:
    tables = []
    for name in TABLES:
        cols = DATA_COLUMNS[name]
        rows = tuple(
            {"id": r.id, **{k: r.get(k) for k in cols}, "hardware": r["hardware"], "date": r["date"], "status": r["status"], "source_title": r["source_title"], "source_url": r["source_url"]}
            for r in load_table(name)
        )
        tables.append(DataTable(name=name, columns=cols, rows=rows))
    h = h100_throughput()
    cols = ("params_billion", "layers_measured", "step_ms", "tokens_per_s")
    rows = tuple({"id": r.id, **{k: r[k] for k in cols}, "status": "primary", "source_title": r["source_title"]} for r in h)
    tables.append(DataTable(name="h100-llama-shaped-throughput", columns=cols, rows=rows))
    return tuple(tables)


def analyse(model: Model, *, samples: int = SAMPLES, seed: int = SEED, equilibrium_monitoring_rate: float | None = None) -> CalibrationAnalysis:
    """The calibration analysis of ``model`` (see the module docstring).

    Parameters
    ----------
    model : Model
    samples : int, default :data:`SAMPLES`
        Draws of the uncertainty propagation and of each claim's uncertainty.
    seed : int, default :data:`SEED`
    equilibrium_monitoring_rate : float, optional
        The challengers' equilibrium rate y* for the cost variant ``at_equilibrium_monitoring``.
        Default: the network's equilibrium (:func:`otr_theory.simulation.equilibrium_policy`,
        the n-challenger inspection game of :mod:`otr_theory.payoffs`); the regime's model
        point finds the same y* (prover indifference pins it), which the tests check.

    Returns
    -------
    CalibrationAnalysis
    """
    if equilibrium_monitoring_rate is None:
        from otr_theory.simulation.policy import (
            equilibrium_policy,  # the equilibrium is solved there, not here
        )

        equilibrium_monitoring_rate = float(equilibrium_policy(model).monitoring_probability)
    cost, lat = query_cost(model), query_latency(model)
    query = QueryAnalysis(
        cost=cost,
        latency=lat,
        variants=cost_per_query(model, equilibrium_monitoring_rate=equilibrium_monitoring_rate),
        throughput_qps=throughput(model),
        relative_throughput=relative_throughput(model),
        relative_throughput_with_proving=relative_throughput(model, include_proving=True),
        attestation_gas_per_commit=float(ATTESTATION_GAS_PER_COMMIT),
        verifier_cpu_usd_per_hour=float(VERIFIER_CPU_USD_PER_HOUR),
    )
    models = models_for(model)
    rows = trilemma(models, samples=samples, seed=seed)
    props = tuple(propagate(models[r.scheme], samples=samples, seed=seed) for r in rows)
    checks = check_claims(model, samples=samples, seed=seed)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ExtrapolationWarning)
        zk = F.zk_proving_fits()
        cmp_ = F.zk_proving_comparison()
        fit_list = [*zk.values(), F.zk_cost_fit(), F.h100_decode_fit(), F.h100_prefill_fit(), F.cc_overhead_fit(), F.attestation_latency_fit()]
        n_b = model.value("params_billion")
        czk = F.zk_cost_fit().interval(params_billion=n_b, seed=seed)
        seq = model.value("tokens_in_per_query")
        cc_pred = float(F.cc_overhead_fit().predict(params_billion=n_b, seq_tokens=seq))
        cc_int = F.cc_overhead_fit().interval(seed=seed, params_billion=n_b, seq_tokens=seq)
        att_int = F.attestation_latency_fit().interval(seed=seed)
    preds = FitPredictions(
        params_billion=float(n_b),
        proof_cost_q05_usd=float(czk[0]),
        proof_cost_q50_usd=float(czk[1]),
        proof_cost_q95_usd=float(czk[2]),
        cc_overhead_point=cc_pred,
        cc_overhead_q05=float(cc_int[0]),
        cc_overhead_q50=float(cc_int[1]),
        cc_overhead_q95=float(cc_int[2]),
        attestation_latency_q05_s=float(att_int[0]),
        attestation_latency_q50_s=float(att_int[1]),
        attestation_latency_q95_s=float(att_int[2]),
        zk_exponent=float(zk["power"].params["b"]),
        zk_exponent_stderr=float(zk["power"].stderr["b"]),
    )
    dchecks = tuple(check_fit_defaults(model))
    reasons = {c.field: c.note.split(OVERRIDE_MARK, 1)[1].strip() for c in dchecks if c.status == "overrides the fit" and OVERRIDE_MARK in c.note}

    hi_gwei = model.quantity("gas_price_gwei").high or model.value("gas_price_gwei")
    eth = model.value("eth_price_usd")
    gas = tuple(GasAtPrices(gas_price_gwei=float(g), eth_price_usd=float(eth), items=tuple(gas_table(model, gas_price_gwei=g, eth_price_usd=eth))) for g in (model.value("gas_price_gwei"), hi_gwei))

    return CalibrationAnalysis(
        model=model.name,
        scheme=model.scheme,
        samples=samples,
        seed=seed,
        cost_usd_per_query=cost.total_usd,
        centralized_usd_per_query=cost.centralized_usd,
        provisional_s=lat.provisional_s,
        final_s=lat.final_s,
        query=query,
        trilemma=tuple(rows),
        uncertainty=props,
        claims=tuple(checks),
        claims_level=float(LEVEL),
        fits={f.name: f.to_dict() for f in fit_list},
        zk_model_comparison=cmp_,
        gpu_price=dict(F.gpu_price_summary()),
        predictions=preds,
        defaults=dchecks,
        default_override_reasons=reasons,
        gas=gas,
        capital=capital_cost(model),
        data=_data_tables(),
    )
