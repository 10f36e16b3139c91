"""Cost, latency and throughput of one query, for every scheme a model file can describe.

Every formula here is ours (the OTR paper's own cost model is not available; see
shared/reference/paper-and-calibration-notes.md §0 and §10). Notation, all read from the model
file (``Model.value``): price per GPU-hour :math:`P`, GPUs per replica :math:`G`, decode and prefill
throughput per GPU :math:`D, F` (tokens/s, at the configured batch :math:`B`), prompt and output
tokens :math:`T_{in}, T_{out}`, Confidential-Computing overhead :math:`f`, gas price
:math:`\\gamma` (gwei), token price :math:`E` (USD), so one gas costs
:math:`c_g = \\gamma \\cdot 10^{-9} E` USD.

**Inference** (GPU-seconds of one query, the batch sharing the GPUs):

.. math::

    s = \\frac{T_{out}}{D} + \\frac{T_{in}}{F}, \\qquad
    C_{inf} = \\frac{P}{3600} \\cdot \\frac{s}{1 - f}

The centralized reference :math:`C_{cen}` is the same with :math:`f = 0` and nothing else.

**Per-query overheads** (USD per query):

* attestation verification (TEE schemes only, ``protocol.attestation_check``): off-chain
  verification time on a CPU, :math:`t_{att}\\, P_{cpu}/3600`, plus the on-chain check of one
  attestation per commitment, :math:`g_{att} c_g / N_{commit}`;
* commitment: :math:`g_{commit} c_g / N_{commit}` (a batch of :math:`N_{commit}` queries under one
  Merkle root);
* ZK proofs: :math:`\\rho\\,(C_{zk} + g_{verify} c_g)` (:math:`\\rho = 1` for ZKML);
* monitoring: :math:`m \\cdot n_{ch} \\cdot c_{check}` with monitoring rate :math:`m` (1: every
  challenger re-executes every query);
* disputes: :math:`\\delta\\,(g_{open} + \\lceil \\log_k N \\rceil g_{step}) c_g` at dispute rate
  :math:`\\delta` (0 in the honest equilibrium);
* capital: the stake :math:`S` is locked window after window as long as the replica serves, so
  over one window it costs :math:`S\\,r\\,W/\\text{year}` and covers the :math:`q\\,W` queries the
  replica serves in that window (:math:`q` = :func:`throughput`):
  :math:`C_{cap} = S r / (\\text{year} \\cdot q)`. The window cancels: **assumption** -- one stake
  per replica, backing every query it serves. With ``stake_scope="commitment"`` the stake is
  instead a bond per commitment, locked for the window and shared by its :math:`N_{commit}`
  queries: :math:`C_{cap} = S r W / (\\text{year} \\cdot N_{commit})` (the rollup assertion-bond
  reading), where the window matters.

**Latency** (seconds; one replica running tensor-parallel over its :math:`G` GPUs, so one
sequence decodes at :math:`G D / B` tokens/s and prefills at :math:`G F` tokens/s):

.. math::

    t_{inf} = \\frac{1}{1-f}\\left(\\frac{T_{in}}{G F} + \\frac{B\\,T_{out}}{G D}\\right)

* provisional finality: :math:`t_{inf} + t_{att}` (for ZKML the proof is on the user path:
  :math:`+\\,t_{zk}`; for opML, which attests nothing, the commitment's block inclusion:
  :math:`+\\,t_{block}`);
* final finality: provisional :math:`+\\,t_{block}` (commitment inclusion, where a commitment is
  posted) :math:`+\\,W`;
* spot-check proofs are **asynchronous** (notes §1.6): a spot-checked query's finality upgrades
  :math:`t_{zk}` after provisional finality; the latency a client waits for does not include it.
  :attr:`QueryLatency.sync_weighted_s` gives the weighted mean :math:`t + \\rho t_{zk}` that a
  synchronous reading would give, for the claims check.

**Throughput** per replica: :math:`q = G (1-f) / s` queries/s, the one definition
:func:`otr_theory.model.replica_query_rate` (which payoffs, regimes and simulation use too); with ``include_proving=True`` the
GPU-time of the proofs, :math:`\\rho\\, C_{zk} \\cdot 3600/P`, is charged to the same replica (the
proof bought at the same GPU price).

Defaults for the two attestation constants (``ATTESTATION_GAS_PER_COMMIT``,
``VERIFIER_CPU_USD_PER_HOUR``) are rows of models/calibration/gas-constants.csv and
models/calibration/gpu-prices.csv.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from otr_theory.model import SECONDS_PER_YEAR, Model, bisection_rounds, replica_query_rate
from otr_theory.records import Record, quantity

__all__ = [
    "ATTESTATION_GAS_PER_COMMIT",
    "SECONDS_PER_YEAR",
    "STAKE_SCOPES",
    "VERIFIER_CPU_USD_PER_HOUR",
    "CostError",
    "CostPerQuery",
    "cost_per_query",
    "queries_per_window",
    "QueryCost",
    "QueryLatency",
    "cost_components",
    "dispute_gas",
    "gas_usd",
    "gpu_usd_per_query",
    "latency_components",
    "query_cost",
    "query_latency",
    "relative_throughput",
    "throughput",
    "throughput_from_values",
]


ATTESTATION_GAS_PER_COMMIT = 6_900
"""Gas to check one P-256 signature on chain with the EIP-7951 precompile (one attestation-bound
signature per commitment). Uncertain: an H100 report verified natively (P-384, certificate chain)
would cost far more. Source row: gas-constants.csv ``p256verify``."""

VERIFIER_CPU_USD_PER_HOUR = 0.05
"""Price of one CPU core-hour for off-chain attestation verification (assumed; gpu-prices.csv
``cpu-core-hour``)."""

STAKE_SCOPES = ("replica", "commitment")
"""How the stake is locked: one per replica (default) or one bond per commitment."""


class CostError(ValueError):
    """A bad argument to a cost function: names the argument, the rule and the value."""

    def __init__(self, field: str, rule: str, value: Any):
        self.field, self.rule, self.value = field, rule, value
        super().__init__(f"{field}: {rule} (got {value!r})")


_DER = "ours: otr_theory.calibration.costs (derived)"


@dataclasses.dataclass(frozen=True, repr=False)
class QueryCost(Record):
    """USD per query, by component. ``total_usd`` is the sum of the components.

    Attributes
    ----------
    scheme : str
    inference_usd : float
        GPU time of the query, TEE overhead included.
    attestation_usd : float
        Verifying the TEE attestation (off-chain CPU + on-chain share per commitment).
    commitment_usd : float
        The query's share of the commitment transaction.
    proof_usd : float
        Expected ZK proving and on-chain verification: rho (C_zk + verify gas).
    monitoring_usd : float
        Challengers re-executing the query.
    dispute_usd : float
        Expected dispute gas (0 at the default dispute rate 0).
    capital_usd : float
        Capital cost of the locked stake, per query.
    total_usd : float
    centralized_usd : float
        The same inference on the same GPUs without TEE, chain or verification.
    overhead_usd : float
        ``total_usd - centralized_usd``.
    overhead_ratio : float
        ``total_usd / centralized_usd``.
    """

    TITLE: ClassVar[str] = "Cost of one query by component"
    SUMMARY: ClassVar[tuple[str, ...]] = ("scheme", "total_usd", "proof_usd", "monitoring_usd", "capital_usd", "centralized_usd", "overhead_usd")
    COMPONENTS: ClassVar[tuple[str, ...]] = ("inference_usd", "attestation_usd", "commitment_usd", "proof_usd", "monitoring_usd", "dispute_usd", "capital_usd")

    scheme: str = quantity("", "the model's scheme")
    inference_usd: float = quantity("USD/query", "GPU time of the query, TEE overhead included", source=_DER)
    attestation_usd: float = quantity("USD/query", "verifying the TEE attestation (off-chain CPU + on-chain share per commitment)", source=_DER)
    commitment_usd: float = quantity("USD/query", "the query's share of the commitment transaction", source=_DER)
    proof_usd: float = quantity("USD/query", "expected ZK proving and on-chain verification: rho (C_zk + verify gas)", source=_DER)
    monitoring_usd: float = quantity("USD/query", "challengers re-executing the query, at the monitoring rate asked for", source=_DER)
    dispute_usd: float = quantity("USD/query", "expected dispute gas (0 at dispute rate 0)", source=_DER)
    capital_usd: float = quantity("USD/query", "capital cost of the locked stake", source=_DER)
    total_usd: float = quantity("USD/query", "the sum of the components", source=_DER)
    centralized_usd: float = quantity("USD/query", "the same inference on the same GPUs without TEE, chain or verification", source=_DER)
    overhead_usd: float = quantity("USD/query", "total - centralized", source=_DER)
    overhead_ratio: float = quantity("", "total / centralized", source=_DER)

    def components(self) -> dict[str, float]:
        """The components that add up to ``total_usd``, by name."""
        return {k: getattr(self, k) for k in self.COMPONENTS}


@dataclasses.dataclass(frozen=True, repr=False)
class QueryLatency(Record):
    """Seconds from the query's arrival to each kind of finality.

    Attributes
    ----------
    scheme : str
    prefill_s, decode_s : float
        Inference, TEE overhead included.
    attestation_s : float
        Attestation (or, for PoQ, quality-check) verification.
    sync_proof_s : float
        Proving on the user path (ZKML only).
    inclusion_s : float
        Block inclusion of the commitment (counted towards final finality).
    window_s : float
        The challenge window.
    provisional_s : float
        Time to provisional finality.
    final_s : float
        Time to final finality.
    spot_check_upgrade_s : float
        For a spot-checked query: provisional finality plus the (asynchronous) proof; nan when
        the scheme has no spot-checks.
    sync_weighted_s : float
        ``provisional_s + rho * proof_latency`` -- the mean latency if spot-check proofs were on
        the user path (ZKML: equal to ``provisional_s``).
    """

    TITLE: ClassVar[str] = "Latency of one query"
    SUMMARY: ClassVar[tuple[str, ...]] = ("scheme", "provisional_s", "final_s", "spot_check_upgrade_s")

    scheme: str = quantity("", "the model's scheme")
    prefill_s: float = quantity("s", "prefill, TEE overhead included", source=_DER)
    decode_s: float = quantity("s", "decode (the batch shares the GPUs), TEE overhead included", source=_DER)
    attestation_s: float = quantity("s", "attestation (or quality-check) verification", source=_DER)
    sync_proof_s: float = quantity("s", "proving on the user path (ZKML only)", source=_DER)
    inclusion_s: float = quantity("s", "block inclusion of the commitment", source=_DER)
    window_s: float = quantity("s", "the challenge window", source="model: protocol.window_s")
    provisional_s: float = quantity("s", "time to provisional finality", source=_DER)
    final_s: float = quantity("s", "time to final finality", source=_DER)
    spot_check_upgrade_s: float = quantity("s", "a spot-checked query's finality upgrade (nan without spot-checks)", source=_DER)
    sync_weighted_s: float = quantity("s", "provisional + rho x proof latency: the mean if proofs were synchronous", source=_DER)


@dataclasses.dataclass(frozen=True, repr=False)
class CostPerQuery(Record):
    """The cost of one query under each named reading, all from :func:`cost_components` (issue 14).

    Every place that shows a cost per query (the report, ``regime``, ``simulate``, the
    notebooks) shows one of these variants under its name; no other code computes a total.
    The variants differ only in what they include:

    * ``every_query_reexecuted_usd``: every challenger re-executes every query (monitoring
      rate 1), the stake's capital cost included: the calibration section's and the
      trilemma's cost, an upper reading of monitoring;
    * ``at_equilibrium_monitoring_usd``: challengers re-execute at their equilibrium rate
      ``equilibrium_monitoring_rate`` (y*), the stake's capital cost included: the regime's
      model point and the simulation's expected cost use this reading (with y* = 0 when fraud
      does not pay, nobody monitors). The regime's points read the stake whose capital is
      charged as S / ``replicas_per_stake`` (the stake backing the slash S), so its model point
      equals this variant where ``stake_usd`` = ``slash_usd`` / ``replicas_per_stake``, as in
      every shipped model;
    * ``no_monitoring_usd``: no challenger re-executes (y = 0): the floor;
    * ``without_capital_usd``: ``every_query_reexecuted_usd`` less the stake's capital cost;
    * ``bond_per_commitment_usd``: as ``every_query_reexecuted_usd`` but with the stake read
      as a bond per commitment locked for the window (``stake_scope="commitment"``);
    * ``centralized_usd``: the same inference on the same GPUs without TEE, chain or checks;
    * ``prover_marginal_usd``: not a system cost: what the honest prover itself spends per
      query (compute, its expected proofs, its commitment gas share), from
      :func:`otr_theory.payoffs.conditions.honest_cost_usd_per_query`: the k of the
      participation condition.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> c = cost_per_query(load_model())
    >>> print(repr(c).splitlines()[1])
      every_query_reexecuted_usd = $0.01501
    >>> round(c.to_dict()["at_equilibrium_monitoring_usd"], 6)
    0.014217
    """

    TITLE: ClassVar[str] = "Cost per query: the named variants"
    SUMMARY: ClassVar[tuple[str, ...]] = (
        "every_query_reexecuted_usd",
        "at_equilibrium_monitoring_usd",
        "equilibrium_monitoring_rate",
        "no_monitoring_usd",
        "without_capital_usd",
        "bond_per_commitment_usd",
        "centralized_usd",
        "prover_marginal_usd",
    )

    scheme: str = quantity("", "the model's scheme")
    every_query_reexecuted_usd: float = quantity("USD/query", "every challenger re-executes every query (monitoring rate 1), stake capital included", source=_DER)
    at_equilibrium_monitoring_usd: float = quantity(
        "USD/query", "challengers re-execute at their equilibrium rate y*, stake capital included (regime's model point, simulation's expectation)", source=_DER
    )
    equilibrium_monitoring_rate: float = quantity(
        "probability", "y*: the rate at which each challenger re-executes in the equilibrium used", source="ours: the caller's equilibrium (0 when not given)"
    )
    no_monitoring_usd: float = quantity("USD/query", "no challenger re-executes (y = 0), stake capital included", source=_DER)
    without_capital_usd: float = quantity("USD/query", "every query re-executed, without the stake's capital cost", source=_DER)
    bond_per_commitment_usd: float = quantity("USD/query", "every query re-executed, the stake read as a bond per commitment locked for the window", source=_DER)
    centralized_usd: float = quantity("USD/query", "same inference, same GPUs, no TEE, chain or verification", source=_DER)
    prover_marginal_usd: float = quantity(
        "USD/query", "the honest prover's own spending per query (compute saving + rho x proof + commit gas share): the k of participation", source="ours: payoffs.conditions.honest_cost_usd_per_query"
    )

    def variants(self) -> dict[str, float]:
        """``{variant name: USD per query}`` for every named variant."""
        return {f.name.removesuffix("_usd"): getattr(self, f.name) for f in dataclasses.fields(self) if f.name.endswith("_usd")}


def gas_usd(gas, gas_price_gwei, eth_price_usd):
    """USD cost of ``gas`` at a gas price (gwei) and a gas-token price (USD).

    >>> round(gas_usd(45_000, 1.0, 3000.0), 6)
    0.135
    """
    out = np.asarray(gas, dtype=float) * np.asarray(gas_price_gwei, dtype=float) * 1e-9 * np.asarray(eth_price_usd, dtype=float)
    return float(out) if out.ndim == 0 else out


def dispute_gas(model_or_values: Model | Mapping[str, Any]) -> float:
    """Gas of one full dispute: open + ceil(log_k N) bisection moves (the last one the one-step check).

    >>> from otr_theory.model import load_model
    >>> dispute_gas(load_model())  # 100k + 40 x 150k
    6100000.0
    """
    v = _values(model_or_values)
    rounds = bisection_rounds(int(v["trace_steps"]), int(v["bisection_arity"]))
    return float(v["challenge_open_gas"] + rounds * v["dispute_step_gas"])


def _values(m: Model | Mapping[str, Any]) -> Mapping[str, Any]:
    return m.values() if isinstance(m, Model) else m


def throughput_from_values(v: Mapping[str, Any], *, include_proving: bool = False):
    """Queries/s of one replica from a mapping of field values (arrays broadcast).

    See :func:`throughput`.
    """
    q = replica_query_rate(v)
    if not include_proving:
        return q
    price = np.asarray(v["gpu_price_usd_per_hour"])
    proving_gpu_s = np.where(price > 0, v["spot_check_rate"] * v["proof_cost_usd"] * 3600.0 / np.where(price > 0, price, 1.0), 0.0)
    g = v["gpus_per_replica"]
    return g / (g / q + proving_gpu_s)


def gpu_usd_per_query(v: Mapping[str, Any], *, tee: bool = True):
    """GPU cost of one query (USD; arrays broadcast): the replica's price per second over its
    query rate, :math:`C_{inf} = \\frac{P G}{3600\\,q}` with :math:`q` =
    :func:`otr_theory.model.replica_query_rate` (TEE overhead included; with ``tee=False`` the
    centralized reference, :math:`f = 0`). The inference component of :func:`cost_components`
    and the ``skip_saving_usd_per_query`` default use this one definition.

    >>> from otr_theory.model import load_model
    >>> v = load_model().values()
    >>> float(gpu_usd_per_query(v)) == query_cost(load_model()).inference_usd
    True
    """
    w = v if tee else {**v, "tee_overhead_fraction": 0.0}
    return v["gpu_price_usd_per_hour"] * v["gpus_per_replica"] / (3600.0 * replica_query_rate(w))


def cost_components(
    v: Mapping[str, Any],
    *,
    tee: bool,
    monitoring_rate=1.0,
    dispute_rate=0.0,
    stake_scope: str = "replica",
    attestation_gas_per_commit=ATTESTATION_GAS_PER_COMMIT,
    verifier_cpu_usd_per_hour=VERIFIER_CPU_USD_PER_HOUR,
) -> dict[str, Any]:
    """The cost components (USD per query) from a mapping of field values; arrays broadcast.

    This is the vectorised core of :func:`query_cost` (used for uncertainty sampling). ``tee``
    says whether attestations are verified (``model.protocol.attestation_check``).

    Returns
    -------
    dict
        The keys of :attr:`QueryCost.COMPONENTS` plus ``total_usd`` and ``centralized_usd``.
    """
    if stake_scope not in STAKE_SCOPES:
        raise CostError("stake_scope", f"must be one of {', '.join(STAKE_SCOPES)}", stake_scope)
    gas = v["gas_price_gwei"] * 1e-9 * v["eth_price_usd"]  # USD per gas
    centralized = gpu_usd_per_query(v, tee=False)
    inference = gpu_usd_per_query(v)
    n_commit = v["queries_per_commit"]
    if tee:
        attestation = v["attestation_latency_s"] * verifier_cpu_usd_per_hour / 3600.0 + attestation_gas_per_commit * gas / n_commit
    else:
        attestation = 0.0 * gas
    commitment = v["commit_gas"] * gas / n_commit
    proof = v["spot_check_rate"] * (v["proof_cost_usd"] + v["verify_gas"] * gas)
    monitoring = monitoring_rate * v["count"] * v["check_cost_usd_per_query"]
    rounds = bisection_rounds(int(np.max(v["trace_steps"])), int(np.min(v["bisection_arity"])))
    dispute = dispute_rate * (v["challenge_open_gas"] + rounds * v["dispute_step_gas"]) * gas
    rate = v["stake_usd"] * v["capital_cost_rate_per_year"] / SECONDS_PER_YEAR  # USD/s of locked stake
    if stake_scope == "replica":
        capital = rate / throughput_from_values(v)
    else:
        capital = rate * v["window_s"] / n_commit
    out = {
        "inference_usd": inference,
        "attestation_usd": attestation,
        "commitment_usd": commitment,
        "proof_usd": proof,
        "monitoring_usd": monitoring,
        "dispute_usd": dispute,
        "capital_usd": capital,
    }
    out["total_usd"] = sum(out[k] for k in QueryCost.COMPONENTS)
    out["centralized_usd"] = centralized
    return out


def latency_components(v: Mapping[str, Any], *, scheme: str) -> dict[str, Any]:
    """The latency components (seconds) from a mapping of field values; arrays broadcast.

    The vectorised core of :func:`query_latency`.
    """
    slow = 1.0 / (1.0 - v["tee_overhead_fraction"])
    g = v["gpus_per_replica"]
    prefill = slow * v["tokens_in_per_query"] / (g * v["prefill_tokens_per_s_per_gpu"])
    decode = slow * v["batch_size"] * v["tokens_out_per_query"] / (g * v["decode_tokens_per_s_per_gpu"])
    att = v["attestation_latency_s"] + 0.0 * prefill
    zero = 0.0 * prefill
    sync_proof = v["proof_latency_s"] + zero if scheme == "zkml" else zero
    has_commit = np.asarray(v["commit_gas"]) > 0
    inclusion = np.where(has_commit, v["block_time_s"], 0.0) + zero
    provisional = prefill + decode + att + sync_proof
    if scheme == "opml":  # nothing attests the result: it is provisional once committed
        provisional = provisional + inclusion
        final = provisional + v["window_s"]
    else:
        final = provisional + inclusion + v["window_s"]
    rho = v["spot_check_rate"]
    spot = np.where((np.asarray(rho) > 0) & (scheme != "zkml"), provisional + v["proof_latency_s"], np.nan)
    sync_weighted = provisional + (zero if scheme == "zkml" else rho * v["proof_latency_s"])
    return {
        "prefill_s": prefill,
        "decode_s": decode,
        "attestation_s": att,
        "sync_proof_s": sync_proof,
        "inclusion_s": inclusion,
        "window_s": v["window_s"] + zero,
        "provisional_s": provisional,
        "final_s": final,
        "spot_check_upgrade_s": spot,
        "sync_weighted_s": sync_weighted,
    }


def _check_rate(name: str, x: float) -> None:
    if not (isinstance(x, (int, float)) and math.isfinite(x) and 0 <= x <= 1):
        raise CostError(name, "must be a number in [0, 1]", x)


def _check_nonneg(name: str, x: float) -> None:
    if not (isinstance(x, (int, float)) and math.isfinite(x) and x >= 0):
        raise CostError(name, "must be a finite number >= 0", x)


def query_cost(
    model: Model,
    *,
    monitoring_rate: float = 1.0,
    dispute_rate: float = 0.0,
    stake_scope: str = "replica",
    attestation_gas_per_commit: float = ATTESTATION_GAS_PER_COMMIT,
    verifier_cpu_usd_per_hour: float = VERIFIER_CPU_USD_PER_HOUR,
) -> QueryCost:
    """Expected cost of one query in USD, by component, for any scheme.

    Parameters
    ----------
    model : Model
        Any shipped or user model (``otr``, ``centralized``, ``zkml``, ``opml``, ``poq``).
    monitoring_rate : float, default 1
        Fraction of queries each challenger re-executes (1: all; the verifier's dilemma may
        drive it towards 0).
    dispute_rate : float, default 0
        Fraction of queries that end in a full dispute (0 in the honest equilibrium).
    stake_scope : {"replica", "commitment"}
        How the stake is locked (see the module docstring).
    attestation_gas_per_commit, verifier_cpu_usd_per_hour : float
        Attestation verification constants (TEE schemes only).

    Returns
    -------
    QueryCost

    Raises
    ------
    CostError
        When a rate is outside [0, 1], a constant negative, or ``stake_scope`` unknown.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> c = query_cost(load_model())
    >>> round(c.proof_usd, 4)  # 0.01 x ($0.4909 + 250k gas x 1 gwei x $3000)
    0.0124
    >>> abs(c.total_usd - sum(c.components().values())) < 1e-15
    True
    >>> query_cost(load_model("centralized")).overhead_usd
    0.0
    """
    _check_rate("monitoring_rate", monitoring_rate)
    _check_rate("dispute_rate", dispute_rate)
    _check_nonneg("attestation_gas_per_commit", attestation_gas_per_commit)
    _check_nonneg("verifier_cpu_usd_per_hour", verifier_cpu_usd_per_hour)
    c = cost_components(
        model.values(),
        tee=model.protocol.attestation_check,
        monitoring_rate=monitoring_rate,
        dispute_rate=dispute_rate,
        stake_scope=stake_scope,
        attestation_gas_per_commit=attestation_gas_per_commit,
        verifier_cpu_usd_per_hour=verifier_cpu_usd_per_hour,
    )
    c = {k: float(x) for k, x in c.items()}
    cen = c.pop("centralized_usd")
    total = c.pop("total_usd")
    return QueryCost(
        scheme=model.scheme,
        **c,
        total_usd=total,
        centralized_usd=cen,
        overhead_usd=total - cen,
        overhead_ratio=total / cen if cen > 0 else math.inf,
    )


def query_latency(model: Model) -> QueryLatency:
    """Seconds to provisional and final finality of one query, for any scheme.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> lat = query_latency(load_model())
    >>> lat.final_s - lat.provisional_s  # one block + the 1-day window
    86412.0
    >>> query_latency(load_model("zkml")).sync_proof_s  # the proving-time fit at 70.55B
    658.4
    """
    c = latency_components(model.values(), scheme=model.scheme)
    return QueryLatency(scheme=model.scheme, **{k: float(x) for k, x in c.items()})


def throughput(model: Model, *, include_proving: bool = False) -> float:
    """Queries per second served by one replica.

    Parameters
    ----------
    model : Model
    include_proving : bool, default False
        Charge the GPU-time of the expected ZK proofs (rho C_zk at the same GPU price) to the
        replica. Default: proofs are made by separate provers, off the serving path.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> round(throughput(load_model("centralized")), 3)  # 2 GPUs / (250/1078 + 500/4361) s
    5.771
    >>> from otr_theory.model import replica_query_rate  # the one definition, TEE overhead included
    >>> throughput(load_model()) == replica_query_rate(load_model().values())
    True
    """
    return float(throughput_from_values(model.values(), include_proving=include_proving))


def relative_throughput(model: Model, *, include_proving: bool = False) -> float:
    """:func:`throughput` over that of a centralized replica of the same hardware (no TEE, no proofs).

    >>> from otr_theory.model import load_model
    >>> round(relative_throughput(load_model()), 4)  # 1 - TEE overhead (the CC fit's 0.3102%)
    0.9969
    """
    v = dict(model.values())
    ours = throughput_from_values(v, include_proving=include_proving)
    v["tee_overhead_fraction"] = 0.0
    return float(ours / throughput_from_values(v))


def cost_per_query(model: Model, *, equilibrium_monitoring_rate: float = 0.0) -> CostPerQuery:
    """Every named variant of the cost of one query (:class:`CostPerQuery`), from the one
    formula :func:`cost_components`.

    Parameters
    ----------
    model : Model
    equilibrium_monitoring_rate : float, default 0
        The challengers' equilibrium rate y* for ``at_equilibrium_monitoring_usd`` (the regime
        analysis and the simulation solve it; 0 is the equilibrium when fraud does not pay).

    Raises
    ------
    CostError
        When ``equilibrium_monitoring_rate`` is outside [0, 1].

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> c = cost_per_query(load_model())
    >>> round(c.every_query_reexecuted_usd, 6), round(c.no_monitoring_usd, 6)
    (0.015009, 0.014217)
    >>> c.every_query_reexecuted_usd == query_cost(load_model()).total_usd
    True
    >>> sorted(c.variants())[:2]
    ['at_equilibrium_monitoring', 'bond_per_commitment']
    """
    _check_rate("equilibrium_monitoring_rate", equilibrium_monitoring_rate)
    from otr_theory.payoffs.conditions import honest_cost_usd_per_query  # payoffs is heavier; only here

    every = query_cost(model, monitoring_rate=1.0)
    return CostPerQuery(
        scheme=model.scheme,
        every_query_reexecuted_usd=every.total_usd,
        at_equilibrium_monitoring_usd=query_cost(model, monitoring_rate=equilibrium_monitoring_rate).total_usd,
        equilibrium_monitoring_rate=float(equilibrium_monitoring_rate),
        no_monitoring_usd=query_cost(model, monitoring_rate=0.0).total_usd,
        without_capital_usd=every.total_usd - every.capital_usd,
        bond_per_commitment_usd=query_cost(model, monitoring_rate=1.0, stake_scope="commitment").total_usd,
        centralized_usd=every.centralized_usd,
        prover_marginal_usd=float(honest_cost_usd_per_query(model)),
    )


def queries_per_window(model_or_values: Model | Mapping[str, Any], window_s: float | None = None):
    """Queries one replica serves in a window at full load: ``floor(W x replica_query_rate)``.

    The one definition (issue 14): :func:`otr_theory.payoffs.conditions.full_load_queries`,
    re-exported here for the calibration tables (default window: the model's ``window_s``).

    >>> from otr_theory.model import load_model
    >>> int(queries_per_window(load_model()))
    497063
    """
    from otr_theory.payoffs.conditions import full_load_queries

    return full_load_queries(model_or_values, window_s)
