"""One call that answers the simulation question for a model: two seeded runs of the network and
a compromised prover's attack strategies beside their closed forms.

:func:`analyse` runs, in order: the network at its equilibrium (:func:`equilibrium_policy`), the
same network against an adversary that cheats whenever its TEE is forgeable
(:func:`adversary_policy`), the paper's headline claims against both
(:func:`~otr_theory.simulation.claims.headline_claims`), and the attack over one compromise
episode for each strategy (:func:`~otr_theory.simulation.attack.attack_table`) with the best
strategy and the slash that deters every strategy. The record pairs each simulated estimate with
its analytic value (the equilibrium target and the closed forms; an independent route) and
carries the expected cost per query of the calibration's one formula
(:func:`otr_theory.calibration.costs.query_cost` at the run's monitoring rate), so the run's
estimate can be compared with it. Everything is deterministic for a given seed.

The report's simulation section renders :class:`SimulationAnalysis` and nothing else.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from otr_theory.model import Model
from otr_theory.records import Record, quantity
from otr_theory.simulation import simulate
from otr_theory.simulation.attack import (
    AttackInputs,
    AttackResult,
    AttackStrategy,
    attack_table,
    best_attack,
    required_slash_usd,
)
from otr_theory.simulation.claims import Claim, headline_claims
from otr_theory.simulation.policy import EquilibriumTarget, Policy, equilibrium_policy
from otr_theory.simulation.result import ESTIMATE_DOCS, Ledger, SimulationResult
from otr_theory.simulation.stats import Estimate

__all__ = [
    "EPISODES",
    "QUERIES",
    "SEED",
    "TABLE_KEYS",
    "AnalyticRow",
    "AttackAnalysis",
    "AttackRow",
    "EstimateRow",
    "SimulationAnalysis",
    "SimulationRun",
    "adversary_policy",
    "analyse",
]

SEED = 20251223
"""Seed of the report's runs (the paper's submission date)."""

QUERIES = 200_000
"""Queries per run in the report (the CLI runs 10^6 by default)."""

EPISODES = 20_000
"""Compromise episodes per attack strategy in the report."""

TABLE_KEYS: tuple[str, ...] = (
    "fraud_rate",
    "undetected_fraud_rate",
    "fraud_rate_given_forgeable",
    "detection_rate",
    "challenger_detection",
    "monitoring_rate",
    "forgeable_rate",
    "throughput_relative",
    "cost_usd_per_query",
    "cost_overhead_usd_per_query",
    "provisional_finality_s",
    "final_finality_s",
    "time_to_slash_s",
    "slashed_usd_per_query",
    "cheater_payoff_usd_per_fraud",
    "challenger_profit_usd_per_check",
)
"""The estimates shown side by side for the two runs (the record's table)."""

_SIM = "ours: otr_theory.simulation (Monte Carlo, 95% interval)"


def adversary_policy(model: Model) -> Policy:
    """A prover that cheats whenever it can forge, against the equilibrium challengers."""
    eq = equilibrium_policy(model)
    return Policy(fraud_probability=1.0, monitoring_probability=eq.monitoring_probability, deviation=eq.deviation, origin="adversary: cheats whenever forgeable")


@dataclasses.dataclass(frozen=True, repr=False)
class SimulationRun(Record):
    """One seeded run: the policy played, every estimate, the exact expectations, the ledger."""

    TITLE: ClassVar[str] = "One simulation run"
    SUMMARY: ClassVar[tuple[str, ...]] = ("label",)

    label: str = quantity("", "equilibrium or adversary")
    policy: Policy = quantity("", "what the parties did")
    estimates: dict[str, Estimate] = quantity("", "every reported quantity with its 95% interval", source=_SIM)
    expected: dict[str, float] = quantity("", "the exact per-query probabilities implied by the policy and the protocol", source="ours: simulation.plan.expected_rates")
    ledger: Ledger = quantity("USD", "value moved (exact; slashed = paid + burned)", source=_SIM)
    counts: dict[str, int] = quantity("count", "the raw counters")
    series: dict[str, tuple[float, ...]] = quantity("", "per time bin: bin_edges_days and the counts queries, undetected, ...")

    @classmethod
    def of(cls, label: str, r: SimulationResult) -> SimulationRun:
        """The record of a :class:`SimulationResult`."""
        return cls(
            label=label,
            policy=r.policy,
            estimates=dict(r.estimates),
            expected={k: float(v) for k, v in r.expected.items()},
            ledger=r.ledger,
            counts={k: int(v) for k, v in r.counts.items()},
            series={k: tuple(float(x) for x in v) for k, v in r.series.items()},
        )


@dataclasses.dataclass(frozen=True, repr=False)
class EstimateRow(Record):
    """One estimate in both runs."""

    name: str = quantity("", "the estimate's key")
    doc: str = quantity("", "what it measures")
    equilibrium: Estimate = quantity("", "its value and 95% interval in the equilibrium run", source=_SIM)
    adversary: Estimate = quantity("", "its value and 95% interval in the adversary run", source=_SIM)


@dataclasses.dataclass(frozen=True, repr=False)
class AnalyticRow(Record):
    """An analytic value beside its simulated estimate (the independent check)."""

    name: str = quantity("", "what is compared")
    analytic: float = quantity("", "the closed form or exact value", source="ours: simulation.policy.equilibrium_target")
    simulated: Estimate = quantity("", "the simulated estimate with its 95% interval", source=_SIM)
    inside: bool = quantity("", "the analytic value lies inside the interval (True when the estimate had no trials)")


@dataclasses.dataclass(frozen=True, repr=False)
class AttackRow(Record):
    """One attack strategy over one compromise episode, simulated and in closed form."""

    strategy: AttackStrategy = quantity("", "the strategy in time")
    episodes: int = quantity("count", "seeded episodes simulated")
    seed: int = quantity("", "seed of the episodes")
    profit_usd: Estimate = quantity("USD", "simulated profit per episode, 95% interval", source=_SIM)
    closed_form_usd: float = quantity("USD", "expected profit in closed form", source="ours: simulation.attack.closed_form_profit")
    agrees: bool = quantity("", "the closed form lies inside the simulated interval")
    caught: Estimate = quantity("probability", "share of episodes caught", source=_SIM)
    cheated_queries_mean: float = quantity("count", "cheated queries per episode, mean", source=_SIM)
    lag_queries_mean: float = quantity("count", "queries cheated during the detection lag, mean", source=_SIM)
    gains_usd_mean: float = quantity("USD", "gains per episode, mean", source=_SIM)
    slashed_usd_mean: float = quantity("USD", "slashed per episode, mean", source=_SIM)
    slashed_usd_max: float = quantity("USD", "largest slash of an episode (at most the stake)", source=_SIM)

    @classmethod
    def of(cls, r: AttackResult) -> AttackRow:
        """The record of an :class:`AttackResult`."""
        return cls(
            strategy=r.strategy,
            episodes=r.episodes,
            seed=r.seed,
            profit_usd=r.profit_usd,
            closed_form_usd=float(r.closed_form_usd),
            agrees=bool(r.agrees),
            caught=r.caught,
            cheated_queries_mean=float(r.cheated_queries_mean),
            lag_queries_mean=float(r.lag_queries_mean),
            gains_usd_mean=float(r.gains_usd_mean),
            slashed_usd_mean=float(r.slashed_usd_mean),
            slashed_usd_max=float(r.slashed_usd_max),
        )


@dataclasses.dataclass(frozen=True, repr=False)
class AttackAnalysis(Record):
    """The attack over one compromise episode: every strategy, the best, the deterring slash."""

    TITLE: ClassVar[str] = "Attack over one compromise episode"
    TABLE: ClassVar[str | None] = "strategies"

    inputs: AttackInputs = quantity("", "the over-time inputs of the episode")
    strategies: tuple[AttackRow, ...] = quantity("", "one row per strategy")
    episodes: int = quantity("count", "episodes per strategy")
    margin_usd: float = quantity("USD", "the incentive margin", source="model: economics.incentive_margin_usd")
    best_profit_usd: float = quantity("USD", "the best strategy's expected profit per episode (closed form)", source="ours: simulation.attack.best_attack")
    best_strategy: str | None = quantity("", "its name (None when no strategy is eligible)")
    required_slash_usd: float = quantity("USD", "the slash that deters every strategy by the margin", source="ours: simulation.attack.required_slash_usd")
    slash_usd: float = quantity("USD", "the model's slash", source="model: economics.slash_usd")
    deterred: bool = quantity("", "the best attack loses at least the margin")


@dataclasses.dataclass(frozen=True, repr=False)
class SimulationAnalysis(Record):
    """Everything :func:`analyse` found for one model.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model(), queries=20_000, episodes=500)
    >>> print(repr(a).splitlines()[1])
      model = otr-llama70b-h100-l1
    >>> a.to_dict()["attack"]["deterred"]
    False
    """

    TITLE: ClassVar[str] = "Simulation of the running network"
    TABLE: ClassVar[str | None] = "rows"
    SUMMARY: ClassVar[tuple[str, ...]] = ("model", "seed", "queries", "episodes", "expected_cost_usd_per_query", "deterred")

    model: str = quantity("", "the model's name")
    seed: int = quantity("", "seed of both runs and of the attack episodes")
    queries: int = quantity("count", "queries per run")
    episodes: int = quantity("count", "compromise episodes per attack strategy")
    horizon_years: float = quantity("", "simulated time span in years")
    provers: int = quantity("count", "provers in the network")
    constants: dict[str, Any] = quantity("", "the deterministic constants of the equilibrium run (costs, times, rounds)")
    target: EquilibriumTarget = quantity("", "the analytic network equilibrium the equilibrium run should reproduce", source="ours: simulation.policy.equilibrium_target")
    equilibrium: SimulationRun = quantity("", "the run at the network's equilibrium")
    adversary: SimulationRun = quantity("", "the run with a prover that cheats whenever its TEE is forgeable")
    rows: tuple[EstimateRow, ...] = quantity("", "the estimates shown for both runs")
    analytic: tuple[AnalyticRow, ...] = quantity("", "analytic values beside their simulated estimates")
    claims: tuple[Claim, ...] = quantity("", "the paper's headline claims beside the simulation")
    windows_days: tuple[tuple[float, float], ...] = quantity("d", "the vulnerability windows drawn (start, end)")
    expected_cost_usd_per_query: float = quantity(
        "USD/query", "the calibration's cost at the equilibrium run's monitoring rate, no disputes (variant at_equilibrium_monitoring)", source="ours: calibration.costs.query_cost"
    )
    deterred: bool = quantity("", "the best attack over one compromise episode is deterred")
    attack: AttackAnalysis = quantity("", "the attack strategies beside their closed forms")


def _analytic_rows(eq: SimulationResult, adv: SimulationResult) -> tuple[AnalyticRow, ...]:
    t, k = eq.target, eq.constants
    pairs = [
        ("x: fraud when forgeable", t.fraud_rate, eq["fraud_rate_given_forgeable"]),
        ("h x: fraud per query", t.network_fraud_rate, eq["fraud_rate"]),
        ("y: monitoring per challenger", t.monitoring_rate, eq["monitoring_rate"]),
        ("q: challenger detection", t.challenger_detection, eq["challenger_detection"]),
        ("p: detection (equilibrium)", t.detection_probability, eq["detection_rate"]),
        ("p: detection (adversary, same challengers)", adv.expected["detection_rate"], adv["detection_rate"]),
        ("h: prover can forge (analytic, stationary)", t.compromise_probability, eq["forgeable_rate"]),
        ("h given the windows drawn: f x realized coverage", k["compromised_fraction"] * k["window_coverage_realized"], eq["forgeable_rate"]),
        ("a challenger's profit per check (USD)", t.challenger_profit_usd_per_check, eq["challenger_profit_usd_per_check"]),
        ("cost per query, variant at_equilibrium_monitoring (USD)", k["expected_cost_usd_per_query"], eq["cost_usd_per_query"]),
    ]
    return tuple(AnalyticRow(name=name, analytic=float(v), simulated=e, inside=e.trials == 0 or e.low <= v <= e.high) for name, v, e in pairs)


def analyse(model: Model, *, queries: int = QUERIES, seed: int = SEED, episodes: int = EPISODES) -> SimulationAnalysis:
    """The simulation analysis of ``model`` (see the module docstring).

    Parameters
    ----------
    model : Model
    queries : int, default :data:`QUERIES`
        Queries per run.
    seed : int, default :data:`SEED`
    episodes : int, default :data:`EPISODES`
        Compromise episodes per attack strategy.

    Returns
    -------
    SimulationAnalysis
    """
    eq = simulate(model, queries=queries, seed=seed)
    adv = simulate(model, queries=queries, seed=seed, policy=adversary_policy(model))
    claims = headline_claims(model, eq, adversary=adv)
    attacks = attack_table(model, episodes=episodes, seed=seed)
    a = attacks[0].inputs
    margin = float(model.values().get("incentive_margin_usd", 0.0))
    best, strategy = best_attack(a)
    attack = AttackAnalysis(
        inputs=a,
        strategies=tuple(AttackRow.of(r) for r in attacks),
        episodes=episodes,
        margin_usd=margin,
        best_profit_usd=float(best),
        best_strategy=strategy.name if strategy else None,
        required_slash_usd=float(required_slash_usd(a, margin_usd=margin)),
        slash_usd=float(model.value("slash_usd")),
        deterred=bool(best <= -margin),
    )
    rows = tuple(EstimateRow(name=k, doc=ESTIMATE_DOCS[k], equilibrium=eq[k], adversary=adv[k]) for k in TABLE_KEYS)
    return SimulationAnalysis(
        model=model.name,
        seed=seed,
        queries=queries,
        episodes=episodes,
        horizon_years=float(eq.horizon_years),
        provers=int(eq.provers),
        constants=dict(eq.constants),
        target=eq.target,
        equilibrium=SimulationRun.of("equilibrium", eq),
        adversary=SimulationRun.of("adversary", adv),
        rows=rows,
        analytic=_analytic_rows(eq, adv),
        claims=tuple(claims),
        windows_days=tuple((float(s), float(e)) for s, e in eq.windows_days),
        expected_cost_usd_per_query=float(eq.constants["expected_cost_usd_per_query"]),
        deterred=attack.deterred,
        attack=attack,
    )
