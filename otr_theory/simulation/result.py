"""From a run's integer counters to the reported estimates: the :class:`SimulationResult` record.

Every estimate is a function of the :class:`~otr_theory.simulation.engine.Tally` counters and the
plan's constants:

* rates: Wilson intervals on (count, trials);
* the cost of a query is :math:`C_0 + C_{zk} P + c K + C_d D` (fixed part, an honest spot-check
  proof :math:`P \\in \\{0,1\\}`, :math:`K` monitors, a dispute :math:`D \\in \\{0,1\\}`): its mean and
  exact variance follow from the counters :math:`\\sum P, \\sum K, \\sum K^2, \\sum D, \\sum PK,
  \\sum PD, \\sum KD`;
* times (to final finality, to the slash) and the cheater's payoff take one value per category of
  query, so their means and variances follow from the category counts;
* value moved is exact (``fractions.Fraction`` of the model's decimal values): slashed
  :math:`= n_{slashed} S`, paid :math:`= n_{challenger} aS`, burned = slashed - paid, forfeited
  bonds :math:`= n_{frivolous}\\,\\mathrm{bond}`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.simulation.engine import Tally
from otr_theory.simulation.plan import SimulationPlan, expected_rates
from otr_theory.simulation.policy import EquilibriumTarget, Policy
from otr_theory.simulation.stats import Estimate, mean_interval, wilson_interval

__all__ = ["Ledger", "SimulationResult", "finish"]


@dataclasses.dataclass(frozen=True)
class Ledger:
    """Value moved by the ledger over the run (USD, exact rationals).

    Conservation (property 4): ``slashed_usd == paid_usd + burned_usd`` exactly, and
    ``sum(paid_by_challenger_usd) == paid_usd``. Each of the ``identities_slashed`` identities
    was slashed once, ``slash_per_identity_usd`` = min(S, stake) <= ``stake_per_identity_usd``;
    ``merged_detections`` caught frauds fell on an identity whose slash was already pending.
    """

    slashed_usd: Fraction
    paid_usd: Fraction
    burned_usd: Fraction
    bonds_forfeited_usd: Fraction
    paid_by_challenger_usd: tuple[Fraction, ...]
    slashed_by_prover_usd: tuple[Fraction, ...]
    honest_prover_slashed_usd: Fraction
    honest_challenger_bonds_lost_usd: Fraction
    identities_slashed: int = 0
    slash_per_identity_usd: Fraction = Fraction(0)
    stake_per_identity_usd: Fraction = Fraction(0)
    merged_detections: int = 0

    def as_floats(self) -> dict[str, float]:
        """The totals as floats (for tables)."""
        keys = ("slashed_usd", "paid_usd", "burned_usd", "bonds_forfeited_usd", "honest_prover_slashed_usd", "honest_challenger_bonds_lost_usd")
        return {k: float(getattr(self, k)) for k in keys}


@dataclasses.dataclass(frozen=True)
class SimulationResult:
    """The outcome of one simulation run.

    Attributes
    ----------
    method : str
        ``"vectorized"`` or ``"event-by-event"``.
    model_name : str
    seed, queries, provers : int
    horizon_years : float
    policy : Policy
        What the parties did.
    target : EquilibriumTarget
        The analytic equilibrium of the model (what an equilibrium-policy run should reproduce).
    expected : Mapping[str, float]
        The exact per-query probabilities implied by the policy and the protocol (for any policy).
    counts : Mapping[str, int]
        The raw counters.
    estimates : Mapping[str, Estimate]
        Every reported quantity with its 95% interval (see :data:`ESTIMATES`).
    ledger : Ledger
    series : Mapping[str, tuple]
        Per time bin: ``bin_edges_days`` and the counts ``queries``, ``window_open``,
        ``forgeable``, ``frauds``, ``undetected``, ``slashed``.
    windows_days : tuple of (float, float)
        The vulnerability windows drawn (start, end), days from the start of the run.
    constants : Mapping[str, Any]
        The deterministic constants of the run (costs, times, rounds).
    numpy_version : str
    """

    method: str
    model_name: str
    seed: int
    queries: int
    provers: int
    horizon_years: float
    policy: Policy
    target: EquilibriumTarget
    expected: Mapping[str, float]
    counts: Mapping[str, int]
    estimates: Mapping[str, Estimate]
    ledger: Ledger
    series: Mapping[str, tuple]
    windows_days: tuple[tuple[float, float], ...]
    constants: Mapping[str, Any]
    numpy_version: str

    def __getitem__(self, name: str) -> Estimate:
        return self.estimates[name]


ESTIMATE_DOCS: Mapping[str, str] = {
    "fraud_rate": "frauds per query",
    "fraud_rate_given_forgeable": "x: frauds per query whose prover can forge",
    "detection_rate": "p: share of forged frauds caught (spot-check or challenger)",
    "challenger_detection": "q: share of forged frauds with at least one monitor",
    "spot_check_detection": "share of forged frauds selected for a spot-check",
    "monitoring_rate": "y: monitoring per challenger per eligible query",
    "undetected_fraud_rate": "frauds that reach final finality, per query",
    "forgeable_rate": "h: queries whose prover can forge",
    "window_open_fraction": "queries arriving while a vulnerability window is open",
    "rejected_rate": "queries whose result is rejected (fraud caught before finality)",
    "throughput_relative": "accepted queries per second, relative to a centralized replica",
    "cost_usd_per_query": "cost of a query (USD; the calibration's formula at the run's monitoring rate, disputes as they occur)",
    "cost_overhead_usd_per_query": "cost of a query minus the centralized cost (USD)",
    "provisional_finality_s": "arrival to provisional finality (s)",
    "final_finality_s": "arrival to final finality, accepted queries (s)",
    "time_to_slash_s": "arrival to the slash, slashed queries (s)",
    "slashed_usd_per_query": "value slashed per query (USD)",
    "cheater_payoff_usd_per_fraud": "the cheater's payoff per forged fraud relative to honesty (USD)",
    "challenger_profit_usd_per_check": "a challenger's profit per query it re-executes (USD)",
}
"""The estimates of a :class:`SimulationResult`, with what each measures."""


def _categorical(values_counts: list[tuple[float, int]]) -> Estimate:
    """Mean and normal interval of a quantity taking one value per category."""
    n = sum(k for _, k in values_counts)
    if n == 0:
        return mean_interval(0.0, 0.0, 0)
    shift = max(values_counts, key=lambda vk: vk[1])[0]  # centre on the commonest value
    tot = sum((v - shift) * k for v, k in values_counts)
    sq = sum((v - shift) ** 2 * k for v, k in values_counts)
    e = mean_interval(tot, sq, n)
    return dataclasses.replace(e, value=e.value + shift, low=e.low + shift, high=e.high + shift)


def finish(plan: SimulationPlan, tally: Tally, *, method: str) -> SimulationResult:
    """Turn a run's counters into a :class:`SimulationResult`."""
    c = tally.counts
    n_q = c["queries"]
    ff = c["frauds_forged"]
    detected_forged = c["caught_spot"] + c["caught_challenger"] - c["caught_both"]
    rejected = c["caught_attestation"] + detected_forged
    finalized = n_q - rejected
    est: dict[str, Estimate] = {}

    est["fraud_rate"] = wilson_interval(ff + c["frauds_intact"], n_q)
    est["fraud_rate_given_forgeable"] = wilson_interval(ff, c["forgeable"])
    est["detection_rate"] = wilson_interval(detected_forged, ff)
    est["challenger_detection"] = wilson_interval(c["monitored_frauds"], ff)
    est["spot_check_detection"] = wilson_interval(c["caught_spot"], ff)
    est["monitoring_rate"] = wilson_interval(c["monitors"], plan.challengers * c["monitoring_eligible"])
    est["undetected_fraud_rate"] = wilson_interval(c["undetected"], n_q)
    est["forgeable_rate"] = wilson_interval(c["forgeable"], n_q)
    est["window_open_fraction"] = wilson_interval(c["window_open"], n_q)
    est["rejected_rate"] = wilson_interval(rejected, n_q)
    est["throughput_relative"] = wilson_interval(finalized, n_q).scaled(plan.capacity_ratio)

    # cost: fixed + proof P + c K + d D; the variable part's moments from the counters
    pz, cz, dz = plan.proof_usd, plan.check_cost_usd, plan.dispute_usd
    var_sum = pz * c["proofs"] + cz * c["monitors"] + dz * c["disputes"]
    var_sq = (
        pz * pz * c["proofs"]
        + cz * cz * c["monitors_sq"]
        + dz * dz * c["disputes"]
        + 2 * pz * cz * c["monitors_on_proofs"]
        + 2 * pz * dz * c["proofs_and_disputes"]
        + 2 * cz * dz * c["monitors_on_disputes"]
    )
    variable = mean_interval(var_sum, var_sq, n_q)
    shift = plan.fixed_cost_usd
    cost = dataclasses.replace(variable, value=variable.value + shift, low=variable.low + shift, high=variable.high + shift)
    est["cost_usd_per_query"] = cost
    over = plan.fixed_cost_usd - plan.centralized_usd
    est["cost_overhead_usd_per_query"] = dataclasses.replace(variable, value=variable.value + over, low=variable.low + over, high=variable.high + over)

    est["provisional_finality_s"] = Estimate(plan.provisional_s, plan.provisional_s, plan.provisional_s, "exact", None, n_q - c["caught_attestation"])
    spot_friv = c["proofs_and_disputes"]  # honest queries with both a proof and a (frivolous) dispute
    spot_only = c["proofs"] - spot_friv
    friv_only = c["frivolous"] - spot_friv
    plain = finalized - spot_only - friv_only - spot_friv
    est["final_finality_s"] = _categorical([(plan.final_s, plain), (plan.final_spot_s, spot_only), (plan.final_frivolous_s, friv_only), (plan.final_spot_frivolous_s, spot_friv)])

    ch_only = c["caught_challenger"] - c["caught_both"]
    spot_slashed_only = c["slashed"] - c["caught_attestation"] - c["caught_challenger"]
    both_t = min(plan.slash_by_spot_s, plan.slash_by_challenge_s) if plan.slash_on_missed_proof else plan.slash_by_challenge_s
    est["time_to_slash_s"] = _categorical([(plan.provisional_s, c["caught_attestation"]), (plan.slash_by_challenge_s, ch_only), (plan.slash_by_spot_s, spot_slashed_only), (both_t, c["caught_both"])])
    s_f = float(plan.slash)
    slash_once = min(plan.slash, plan.stake)  # once per identity, capped by its stake
    reward_once = plan.reward * slash_once / plan.slash if plan.slash else Fraction(0)
    est["slashed_usd_per_query"] = wilson_interval(c["slash_events"], n_q).scaled(float(slash_once))

    g = plan.gain_usd
    slashed_forged = c["caught_challenger"] + spot_slashed_only
    caught_unslashed = detected_forged - slashed_forged
    if plan.convention == "forfeit":
        cats = [(g, c["undetected"]), (-s_f, slashed_forged), (0.0, caught_unslashed)]
    else:
        cats = [(g, c["undetected"]), (g - s_f, slashed_forged), (g, caught_unslashed)]
    est["cheater_payoff_usd_per_fraud"] = _categorical(cats)
    wins = wilson_interval(int(tally.challenger_wins.sum()), c["monitors"])
    r_f = float(plan.reward)
    est["challenger_profit_usd_per_check"] = dataclasses.replace(wins.scaled(r_f), value=wins.value * r_f - cz, low=wins.low * r_f - cz, high=wins.high * r_f - cz, method="wilson (wins) x aS - c")

    paid_each = tuple(reward_once * int(w) for w in tally.challenger_rewards)
    slashed = slash_once * c["slash_events"]
    paid = reward_once * c["rewarded_slashes"]
    ledger = Ledger(
        slashed_usd=slashed,
        paid_usd=paid,
        burned_usd=slashed - paid,
        bonds_forfeited_usd=plan.bond * c["frivolous"],
        paid_by_challenger_usd=paid_each,
        slashed_by_prover_usd=tuple(slash_once * int(k) for k in tally.prover_slashes),
        honest_prover_slashed_usd=slash_once * c["honest_slashed"],
        honest_challenger_bonds_lost_usd=plan.bond * c["honest_challenges_lost"],
        identities_slashed=c["slash_events"],
        slash_per_identity_usd=slash_once if c["slash_events"] else Fraction(0),
        stake_per_identity_usd=plan.stake,
        merged_detections=c["merged_detections"],
    )
    edges = np.linspace(0.0, plan.horizon_days, plan.time_bins + 1)
    series = {"bin_edges_days": tuple(float(x) for x in edges)}
    series.update({k: tuple(int(x) for x in v) for k, v in tally.bins.items()})
    series["prover_frauds"] = tuple(int(x) for x in tally.prover_frauds)
    return SimulationResult(
        method=method,
        model_name=plan.model_name,
        seed=plan.seed,
        queries=plan.queries,
        provers=plan.provers,
        horizon_years=plan.horizon_years,
        policy=plan.policy,
        target=plan.target,
        expected=expected_rates(plan),
        counts=dict(c),
        estimates=est,
        ledger=ledger,
        series=series,
        windows_days=tuple((float(s), float(e)) for s, e in plan.windows),
        constants=plan.constants(),
        numpy_version=np.__version__,
    )
