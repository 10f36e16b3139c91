"""The simulation plan: every constant a run needs, derived once from the model and the policy.

Both engines (the vectorized one and the event-by-event reference) read the same
:class:`SimulationPlan`, so they simulate the same model by construction; they differ only in how
they walk the query stream.

**Random streams.** ``SeedSequence(seed).spawn(2)`` gives two children:

* child 0 keys a counter-based Philox4x64 generator; query ``i`` reads counter step ``i``: its
  four 64-bit words, split into :data:`UNIFORMS_PER_QUERY` = 8 independent 32-bit uniforms
  :math:`r_0 .. r_7 \\in \\{0, .., 2^{32}-1\\}` (one step per query: half the bits of 8 doubles, and
  no float conversion). A chunk starting at query ``i0`` advances the counter by ``i0``, so **the
  chunk size cannot change the results**, and the event-by-event engine, reading the same stream
  one query at a time, reproduces the vectorized engine's counts exactly. An event of
  probability :math:`\\pi` is :math:`r < T(\\pi)`, :math:`T(\\pi) = \\mathrm{round}(\\pi 2^{32})`
  (probability :math:`T/2^{32}`, within :math:`2^{-33}` of :math:`\\pi`); a uniform choice among
  :math:`k` is :math:`\\lfloor r k / 2^{32} \\rfloor` (exact integer arithmetic);
* child 1 (PCG64) draws the vulnerability windows.

**Time.** The run samples ``queries`` queries of a long-running network over a horizon of
``horizon_years``: query ``i`` arrives at :math:`t_i = (i + u_i) H / N` days (one uniform per
stratum: a stratified sample of a stationary stream). Each simulated query stands for the many
real queries around it; per-query rates are what the sample estimates.

**Vulnerability windows.** Arrivals form a Poisson process of rate
:math:`\\lambda = \\text{compromise\\_rate\\_per\\_year}/365.25` per day on :math:`[-D, H)` (so that
the process is stationary from day 0), each window open for :math:`D` =
``compromise_duration_days``. A time is covered with probability :math:`1 - e^{-\\lambda D}`
(M/D/infinity queue empty with probability :math:`e^{-\\lambda D}`).

**Real rates.** The network's real stream is :func:`otr_theory.model.replica_query_rate` x
``replicas_per_stake`` queries/s per prover; the run samples ``queries`` of the
``provers x rate x horizon`` real queries (``constants()["real_queries_per_sampled_query"]``
says how many each sampled query stands for). Per-query rates are what the sample estimates;
the time a compromised prover takes to be caught at its real rate, and what it earns before its
slash lands, are :mod:`otr_theory.simulation.attack`'s (one episode at the real rate).

**Provers.** ``provers`` provers with stake ``stake_usd`` each; a fraction ``compromised_fraction``
of them (the first :math:`k = \\mathrm{round}(fP)`, at least one if :math:`f > 0`, at most
:math:`P-1` if :math:`f < 1`) can exploit an open window. A query is served by a prover of the
compromised population with probability exactly :math:`f` (so that the chance that a query's
prover can forge is :math:`h = f (1 - e^{-\\lambda D})`, the analytic value), then by a prover of
that population chosen uniformly.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np

from otr_theory.calibration.costs import dispute_gas, gas_usd, query_cost, query_latency, relative_throughput
from otr_theory.model import Model, bisection_rounds, replica_query_rate
from otr_theory.payoffs import DAYS_PER_YEAR
from otr_theory.simulation.policy import EquilibriumTarget, Policy, PolicyError, equilibrium_policy, equilibrium_target

__all__ = ["ONE", "UNIFORMS_PER_QUERY", "threshold", "MAX_QUERIES", "SimulationPlan", "bisection_rounds", "expected_rates", "plan_simulation", "window_coverage"]

UNIFORMS_PER_QUERY = 8
"""32-bit uniforms each query reads from the stream (one Philox4x64 counter step).

Columns: 0 compromised population, 1 which prover, 2 cheat decision, 3 spot-check selection,
4 number of monitoring challengers, 5 which monitor is rewarded, 6 frivolous challenge,
7 arrival time within its stratum."""

ONE = 1 << 32
"""2^32: a 32-bit uniform r stands for r / 2^32."""


def threshold(probability: float) -> int:
    """T(pi) = round(pi 2^32), in [0, 2^32]: the event ``r < T`` has probability T / 2^32.

    >>> threshold(0.0), threshold(1.0), threshold(0.5)
    (0, 4294967296, 2147483648)
    """
    return min(ONE, max(0, round(float(probability) * ONE)))


MAX_QUERIES = 10**10
"""The largest run accepted (the stream has room for far more; this bounds a typo)."""


@dataclasses.dataclass(frozen=True, eq=False)
class SimulationPlan:
    """The constants of one run (see the module docstring). Built by :func:`plan_simulation`."""

    model_name: str
    convention: str
    seed: int
    queries: int
    provers: int
    horizon_years: float
    time_bins: int
    chunk_queries: int
    policy: Policy
    target: EquilibriumTarget
    stream_seed: np.random.SeedSequence
    # protocol and population
    attestation_check: bool
    predictable_spot_checks: bool
    slash_on_missed_proof: bool
    spot_check_rate: float
    challengers: int
    compromised_fraction: float
    compromised_provers: int
    monitor_cdf: np.ndarray
    # integer thresholds of the 32-bit uniforms (see :func:`threshold`)
    t_population: int
    t_fraud: int
    t_intact_fraud: int
    t_spot: int
    t_frivolous: int
    t_monitors: tuple[int, ...]  # K monitors iff exactly K of these are <= r4 (increasing, length n)
    # time
    horizon_days: float
    time_scale: float  # days per stratum: H / N
    bin_scale: float  # bins per day
    windows: np.ndarray  # (m, 2) raw windows, days
    merged_starts: np.ndarray
    merged_ends: np.ndarray
    window_coverage_expected: float  # 1 - exp(-lambda D)
    # money (exact)
    slash: Fraction
    stake: Fraction
    reward: Fraction
    bond: Fraction
    gain_usd: float
    # costs, USD per query or per event
    fixed_cost_usd: float
    proof_usd: float
    check_cost_usd: float
    dispute_usd: float
    centralized_usd: float
    expected_cost_usd: float  # the calibration's cost at the policy's monitoring rate, no disputes (cost_per_query)
    capacity_ratio: float
    query_rate_per_prover_s: float  # replica_query_rate x replicas_per_stake: the real stream of one stake
    # times, seconds after arrival
    rounds: int
    dispute_s: float
    censorship_s: float
    challenge_land_s: float
    challenge_in_time: bool
    provisional_s: float
    final_s: float
    final_spot_s: float
    final_frivolous_s: float
    final_spot_frivolous_s: float
    slash_by_spot_s: float
    slash_by_challenge_s: float

    @property
    def chunks(self) -> int:
        """Number of chunks the vectorized engine walks."""
        return -(-self.queries // self.chunk_queries)

    def constants(self) -> dict:
        """The deterministic constants of the run, JSON-able, for the record."""
        return {
            "spot_check_rate": self.spot_check_rate,
            "effective_spot_check_rate": self.target.spot_check_rate,
            "challengers": self.challengers,
            "compromised_fraction": self.compromised_fraction,
            "compromised_provers": self.compromised_provers,
            "horizon_days": self.horizon_days,
            "vulnerability_windows": int(self.windows.shape[0]),
            "window_coverage_realized": window_coverage(self.merged_starts, self.merged_ends, self.horizon_days),
            "window_coverage_expected": self.window_coverage_expected,
            "bisection_rounds": self.rounds,
            "dispute_duration_s": self.dispute_s,
            "censorship_s": self.censorship_s,
            "challenge_lands_after_s": self.challenge_land_s,
            "challenge_in_time": self.challenge_in_time,
            "fixed_cost_usd_per_query": self.fixed_cost_usd,
            "proof_usd": self.proof_usd,
            "check_cost_usd": self.check_cost_usd,
            "dispute_usd": self.dispute_usd,
            "centralized_usd_per_query": self.centralized_usd,
            "expected_cost_usd_per_query": self.expected_cost_usd,
            "capacity_ratio": self.capacity_ratio,
            "query_rate_per_prover_s": self.query_rate_per_prover_s,
            "real_queries_per_sampled_query": self.query_rate_per_prover_s * self.provers * self.horizon_days * 86_400.0 / self.queries,
            "provisional_s": self.provisional_s,
            "final_s": self.final_s,
        }


def _check_int(name: str, x, lo: int, hi: int | None = None) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise PolicyError(name, "must be an integer", x)
    if x < lo or (hi is not None and x > hi):
        rule = f"must be >= {lo}" if hi is None else f"must be an integer in [{lo}, {hi}]"
        raise PolicyError(name, rule, x)
    return int(x)


def _monitor_cdf(n: int, y: float) -> np.ndarray:
    """CDF of K ~ Binomial(n, y), the number of challengers monitoring one query; last entry 1."""
    k = np.arange(n + 1)
    pmf = np.array([math.comb(n, int(i)) for i in k], dtype=float) * np.power(y, k) * np.power(1.0 - y, n - k)
    cdf = np.cumsum(pmf)
    cdf[-1] = 1.0
    return cdf


def _windows(rng: np.random.Generator, rate_per_day: float, duration_days: float, horizon_days: float) -> np.ndarray:
    if rate_per_day <= 0 or duration_days <= 0:
        return np.zeros((0, 2))
    count = rng.poisson(rate_per_day * (horizon_days + duration_days))
    starts = np.sort(rng.uniform(-duration_days, horizon_days, count))
    return np.column_stack([starts, starts + duration_days])


def _merge(windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts: list[float] = []
    ends: list[float] = []
    for s, e in windows:
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(float(s))
            ends.append(float(e))
    return np.array(starts), np.array(ends)


def window_coverage(starts: np.ndarray, ends: np.ndarray, horizon_days: float) -> float:
    """Fraction of ``[0, horizon_days)`` covered by disjoint sorted intervals ``[starts, ends)``.

    >>> window_coverage(np.array([-5.0, 20.0]), np.array([10.0, 30.0]), 100.0)
    0.2
    """
    lo = np.clip(starts, 0.0, horizon_days)
    hi = np.clip(ends, 0.0, horizon_days)
    return float(np.sum(hi - lo) / horizon_days)


def plan_simulation(
    model: Model,
    *,
    queries: int,
    seed: int,
    policy: Policy | None = None,
    provers: int = 100,
    horizon_years: float = 20.0,
    time_bins: int = 120,
    chunk_queries: int = 1 << 16,
) -> SimulationPlan:
    """Derive every constant of a run. See :func:`otr_theory.simulation.simulate` for the arguments.

    Raises
    ------
    PolicyError
        When an argument breaks its rule (named, with the value).
    """
    queries = _check_int("queries", queries, 1, MAX_QUERIES)
    seed = _check_int("seed", seed, 0)
    provers = _check_int("provers", provers, 2)
    time_bins = _check_int("time_bins", time_bins, 1)
    chunk_queries = _check_int("chunk_queries", chunk_queries, 1)
    if isinstance(horizon_years, bool) or not isinstance(horizon_years, (int, float)) or not math.isfinite(horizon_years) or horizon_years <= 0:
        raise PolicyError("horizon_years", "must be a finite number > 0", horizon_years)
    if policy is not None and not isinstance(policy, Policy):
        raise PolicyError("policy", "must be a Policy (or None for the equilibrium)", type(policy).__name__)

    target = equilibrium_target(model) if policy is None else equilibrium_target(model, deviation=policy.deviation, monitoring_scope=policy.monitoring_scope)
    if policy is None:
        policy = equilibrium_policy(model)
    v = model.values()
    proto = model.protocol

    stream, windows_seed = np.random.SeedSequence(seed).spawn(2)
    horizon_days = float(horizon_years) * DAYS_PER_YEAR
    duration = float(v["compromise_duration_days"])
    windows = _windows(np.random.Generator(np.random.PCG64(windows_seed)), float(v["compromise_rate_per_year"]) / DAYS_PER_YEAR, duration, horizon_days)
    m_starts, m_ends = _merge(windows)

    f = float(v["compromised_fraction"])
    k = 0 if f <= 0 else provers if f >= 1 else min(provers - 1, max(1, round(f * provers)))
    n = int(v["count"])

    slash = model.quantity("slash_usd").exact
    reward = model.quantity("challenger_reward_share").exact * slash
    bond = model.quantity("challenger_bond_usd").exact

    cost = query_cost(model, monitoring_rate=0.0, dispute_rate=0.0)
    gas = gas_usd(1.0, v["gas_price_gwei"], v["eth_price_usd"])
    lat = query_latency(model)

    rounds = bisection_rounds(int(v["trace_steps"]), int(v["bisection_arity"]))
    dispute_s = rounds * float(v["round_timeout_s"]) + float(v["settlement_s"])
    censorship_s = float(v["censorship_blocks"]) * float(v["block_time_s"])
    check_s = lat.prefill_s + lat.decode_s  # a challenger re-executes the query
    block_s = float(v["block_time_s"])
    land_s = check_s + block_s + censorship_s  # the cheater censors the challenge
    window_s = float(v["window_s"])
    prov = lat.provisional_s
    final = lat.final_s
    final_spot = max(final, prov + float(v["proof_latency_s"]))
    final_friv = max(final, prov + check_s + block_s + dispute_s)  # nobody censors a griefer

    cdf = _monitor_cdf(n, policy.monitoring_probability)
    return SimulationPlan(
        model_name=model.name,
        convention=model.loss_convention,
        seed=seed,
        queries=queries,
        provers=provers,
        horizon_years=float(horizon_years),
        time_bins=time_bins,
        chunk_queries=chunk_queries,
        policy=policy,
        target=target,
        stream_seed=stream,
        attestation_check=bool(proto.attestation_check),
        predictable_spot_checks=not proto.randomness_after_commit,
        slash_on_missed_proof=bool(proto.slash_on_missed_proof),
        spot_check_rate=float(v["spot_check_rate"]),
        challengers=n,
        compromised_fraction=f,
        compromised_provers=k,
        monitor_cdf=cdf,
        t_population=threshold(f),
        t_fraud=threshold(policy.fraud_probability),
        t_intact_fraud=threshold(policy.intact_fraud_probability),
        t_spot=threshold(float(v["spot_check_rate"])),
        t_frivolous=threshold(policy.frivolous_challenge_rate),
        t_monitors=tuple(threshold(x) for x in cdf[:n]),
        horizon_days=horizon_days,
        time_scale=horizon_days / queries,
        bin_scale=time_bins / horizon_days,
        windows=windows,
        merged_starts=m_starts,
        merged_ends=m_ends,
        window_coverage_expected=-math.expm1(-float(v["compromise_rate_per_year"]) * duration / DAYS_PER_YEAR),
        slash=slash,
        stake=model.quantity("stake_usd").exact,
        reward=reward,
        bond=bond,
        gain_usd=target.gain_usd,
        fixed_cost_usd=cost.inference_usd + cost.attestation_usd + cost.commitment_usd + cost.capital_usd,
        proof_usd=float(v["proof_cost_usd"]) + float(v["verify_gas"]) * gas,
        check_cost_usd=float(v["check_cost_usd_per_query"]),
        dispute_usd=dispute_gas(v) * gas,
        centralized_usd=cost.centralized_usd,
        expected_cost_usd=query_cost(model, monitoring_rate=policy.monitoring_probability, dispute_rate=0.0).total_usd,
        capacity_ratio=relative_throughput(model),
        query_rate_per_prover_s=float(replica_query_rate(v)) * int(v.get("replicas_per_stake", 1)),
        rounds=rounds,
        dispute_s=dispute_s,
        censorship_s=censorship_s,
        challenge_land_s=land_s,
        challenge_in_time=land_s <= window_s,
        provisional_s=prov,
        final_s=final,
        final_spot_s=final_spot,
        final_frivolous_s=final_friv,
        final_spot_frivolous_s=max(final_spot, final_friv),
        slash_by_spot_s=prov + float(v["proof_deadline_s"]),
        slash_by_challenge_s=prov + land_s + dispute_s,
    )


def expected_rates(plan: SimulationPlan) -> dict[str, float]:
    """What the run should estimate, from the plan alone (exact probabilities of the sampled model).

    Keys mirror the rate estimates of :class:`otr_theory.simulation.SimulationResult`.
    """
    x, y, n = plan.policy.fraud_probability, plan.policy.monitoring_probability, plan.challengers
    rho = plan.spot_check_rate
    q = 1.0 - (1.0 - y) ** n
    rho_hit = 0.0 if plan.predictable_spot_checks else rho
    q_hit = q if plan.challenge_in_time else 0.0
    return {
        "fraud_rate_given_forgeable": x * (1.0 - rho if plan.predictable_spot_checks else 1.0),
        "monitoring_rate": y,
        "challenger_detection": q,
        "spot_check_detection": rho_hit,
        "detection_rate": 1.0 - (1.0 - rho_hit) * (1.0 - q_hit),
    }
