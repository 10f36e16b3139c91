"""Monte Carlo simulation of a running OTR network: throughput, cost, finality, fraud under TEE compromise.

The analytic side of the toolkit (:mod:`otr_theory.payoffs`) solves the per-query game *given
that a prover can cheat*. This package runs the network that game lives in -- provers with
stakes, ``n`` challengers, a stream of queries, spot-checks drawn after the commitment, disputes
with their bisection rounds and timeouts, censorship of challenges, and vulnerability windows
arriving as a Poisson process -- and measures what comes out, each number with a 95% interval:

* fraud rate and undetected-fraud rate per query (overall: :math:`h\\,x` and
  :math:`h\\,x\\,(1-p)` with :math:`h = f (1 - e^{-\\lambda D})`), and, on the queries whose prover
  can forge, the fraud rate :math:`x`, detection :math:`p = 1-(1-\\rho)(1-q)`, challenger
  detection :math:`q = 1-(1-y)^n` and monitoring :math:`y` -- which must match the equilibrium
  (tests/simulation checks this at several parameter points);
* throughput relative to a centralized replica (the calibrated capacity
  :func:`~otr_theory.calibration.costs.relative_throughput` times the share of accepted queries),
  cost per query and its overhead over the centralized cost, time to provisional and to final
  finality, time to the slash;
* value slashed, paid to challengers and burned (exactly: slashed = paid + burned), bonds
  forfeited by griefers, and honest parties' losses (zero: an honest prover is never slashed,
  an honest challenger never loses its bond).

The over-time attack of one compromised prover (cheat until caught, through the detection lag;
one slash capped by the stake left; real query rates) is simulated per strategy, over one TEE
compromise episode, by :mod:`otr_theory.simulation.attack`, against the closed forms.

The model of one query is spelled out in :mod:`otr_theory.simulation.engine`; the random streams,
time and population in :mod:`otr_theory.simulation.plan`; the estimators in
:mod:`otr_theory.simulation.result` and :mod:`otr_theory.simulation.stats`; the paper's headline
claims beside the simulated values in :mod:`otr_theory.simulation.claims`.

Two engines simulate the same plan: :func:`simulate` (numpy, chunked; about 10^7 queries per
second, at or above the bare floor of drawing 8 float uniforms a query) and
:func:`simulate_event_by_event` (a per-query Python loop, the reference). They
read the same random stream, so on the same seed they give identical counts; the tests also
compare them across seeds statistically. Same seed, same result, whatever the chunk size.

Examples
--------
>>> from otr_theory.model import load_model
>>> r = simulate(load_model(), queries=100_000, seed=1)
>>> r["fraud_rate"].value, r.ledger.slashed_usd  # spot-checks alone deter: nobody cheats
(0.0, Fraction(0, 1))
>>> round(r["throughput_relative"].value, 4)  # 1 - TEE overhead
0.9969
"""

from __future__ import annotations

from collections.abc import Callable

from otr_theory.model import Model
from otr_theory.simulation.attack import AttackInputs, AttackResult, AttackStrategy, attack_inputs, closed_form_profit, default_strategies, simulate_attack
from otr_theory.simulation.claims import Claim, headline_claims
from otr_theory.simulation.engine import Tally, run_event_by_event, run_vectorized
from otr_theory.simulation.plan import SimulationPlan, plan_simulation
from otr_theory.simulation.policy import EquilibriumTarget, Policy, PolicyError, equilibrium_policy, equilibrium_target
from otr_theory.simulation.result import ESTIMATE_DOCS, Ledger, SimulationResult, finish
from otr_theory.simulation.stats import Estimate, mean_interval, wilson_interval

__all__ = [
    "ESTIMATE_DOCS",
    "AttackInputs",
    "AttackResult",
    "AttackStrategy",
    "attack_inputs",
    "closed_form_profit",
    "default_strategies",
    "simulate_attack",
    "Claim",
    "EquilibriumTarget",
    "Estimate",
    "Ledger",
    "Policy",
    "PolicyError",
    "SimulationPlan",
    "SimulationResult",
    "Tally",
    "equilibrium_policy",
    "equilibrium_target",
    "headline_claims",
    "mean_interval",
    "plan_simulation",
    "simulate",
    "simulate_event_by_event",
    "wilson_interval",
]


def simulate(
    model: Model,
    *,
    queries: int = 1_000_000,
    seed: int = 0,
    policy: Policy | None = None,
    provers: int = 100,
    horizon_years: float = 20.0,
    time_bins: int = 120,
    chunk_queries: int = 1 << 16,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate ``queries`` queries of the network described by ``model`` (vectorized).

    Parameters
    ----------
    model : Model
    queries : int, default 10^6
        Queries sampled from the stream (stratified over the horizon).
    seed : int, default 0
        Seed of the ``numpy.random.SeedSequence`` every random stream is spawned from.
    policy : Policy, optional
        What provers and challengers do; default :func:`equilibrium_policy` of the model.
    provers : int, default 100
        Provers in the network (>= 2).
    horizon_years : float, default 20
        Time the queries are spread over (long enough for several vulnerability windows).
    time_bins : int, default 120
        Bins of the time series in the result.
    chunk_queries : int, default 65536
        Queries per vectorized chunk (memory and progress only: it cannot change the result).
    progress : callable, optional
        Called as ``progress(done)`` after each chunk.

    Returns
    -------
    SimulationResult

    Raises
    ------
    PolicyError
        When an argument breaks its rule.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model().with_values(compromised_fraction=1.0)
    >>> r = simulate(m, queries=50_000, seed=3, policy=Policy(fraud_probability=1.0, monitoring_probability=0.0))
    >>> r["detection_rate"].contains(0.01)  # idle challengers: only the 1% spot-checks catch
    True
    >>> r.ledger.slashed_usd == r.ledger.paid_usd + r.ledger.burned_usd
    True
    """
    plan = plan_simulation(model, queries=queries, seed=seed, policy=policy, provers=provers, horizon_years=horizon_years, time_bins=time_bins, chunk_queries=chunk_queries)
    return finish(plan, run_vectorized(plan, progress=progress), method="vectorized")


def simulate_event_by_event(
    model: Model,
    *,
    queries: int = 10_000,
    seed: int = 0,
    policy: Policy | None = None,
    provers: int = 100,
    horizon_years: float = 20.0,
    time_bins: int = 120,
) -> SimulationResult:
    """The reference: the same simulation as :func:`simulate`, one query at a time in Python.

    Slow (about 10^5 queries per second); kept as the specification the vectorized engine is
    tested against.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model().with_values(compromised_fraction=1.0, external_gain_usd=10_000.0, slash_usd=10_000.0)
    >>> a = simulate_event_by_event(m, queries=2_000, seed=7)
    >>> b = simulate(m, queries=2_000, seed=7, chunk_queries=300)
    >>> a.counts == b.counts and a.ledger == b.ledger
    True
    """
    plan = plan_simulation(model, queries=queries, seed=seed, policy=policy, provers=provers, horizon_years=horizon_years, time_bins=time_bins)
    return finish(plan, run_event_by_event(plan), method="event-by-event")
