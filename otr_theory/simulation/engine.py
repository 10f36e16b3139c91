"""The two engines: vectorized (numpy, chunked) and event-by-event (a per-query Python loop).

Both walk the query stream of one :class:`~otr_theory.simulation.plan.SimulationPlan` and add to
a :class:`Tally` of integer counters; every reported number (rates, costs, times, value moved) is
a function of those counters and the plan's constants. Integer counters make the result exact and
independent of the order of summation, so the chunk size cannot change it.

One query, in order (the event-by-event engine reads as the specification):

1. arrival time :math:`t` (stratified), vulnerability window open at :math:`t`?;
2. its prover: of the compromised population with probability :math:`f`; it *can forge* iff it is
   and a window is open (or always, when the protocol checks no attestation);
3. the cheat decision: with probability :math:`x` if it can forge (only on queries not selected
   for a spot-check, when the selection is predictable), else with the intact-TEE probability;
4. spot-check selection with probability :math:`\\rho`, drawn after the commitment: a cheater
   cannot deliver the ZK proof and is caught (and slashed if ``slash_on_missed_proof``); an honest
   prover delivers it (cost :math:`C_{zk}` + verification gas);
5. :math:`K \\sim \\mathrm{Bin}(n, y)` challengers re-execute the query (cost :math:`c` each); on a
   fraud, the challenge lands after re-execution, one block and the cheater's censorship; if it
   lands within the window the dispute runs :math:`\\lceil \\log_k N \\rceil` rounds (the cheater
   stalls each to its timeout) and one monitor, uniformly chosen, is paid :math:`aS`;
6. a cheat with an intact TEE fails the attestation check: rejected and slashed at once;
7. a griefer challenges an honest query with the frivolous rate: the dispute clears the prover
   and the griefer's bond is forfeited (burned);
8. the slash :math:`S` of a caught cheater: :math:`aS` to the rewarded challenger, the rest burned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from otr_theory.simulation.plan import UNIFORMS_PER_QUERY, SimulationPlan

__all__ = ["SCALAR_COUNTERS", "Tally", "run_vectorized", "run_event_by_event"]

SCALAR_COUNTERS = (
    "queries",
    "window_open",
    "compromised_population",
    "forgeable",
    "monitoring_eligible",
    "frauds_forged",
    "frauds_intact",
    "caught_attestation",
    "caught_spot",
    "caught_challenger",
    "caught_both",
    "undetected",
    "slashed",
    "honest_slashed",
    "honest_challenges_lost",
    "monitored_frauds",
    "late_challenges",
    "spot_selected",
    "proofs",
    "monitors",
    "monitors_sq",
    "monitors_on_proofs",
    "monitors_on_disputes",
    "frivolous",
    "disputes",
    "proofs_and_disputes",
)
"""The integer counters of a run (see :class:`Tally`)."""

_BIN_SERIES = ("queries", "window_open", "forgeable", "frauds", "undetected", "slashed")


@dataclasses.dataclass
class Tally:
    """Integer counters of a run, updated in place by an engine.

    ``counts`` maps each name of :data:`SCALAR_COUNTERS` to an int; ``bins`` maps each series to
    per-time-bin counts; ``prover_frauds``, ``prover_slashes`` and ``challenger_wins`` count per
    party.
    """

    counts: dict[str, int]
    bins: dict[str, np.ndarray]
    prover_frauds: np.ndarray
    prover_slashes: np.ndarray
    challenger_wins: np.ndarray

    @classmethod
    def empty(cls, plan: SimulationPlan) -> Tally:
        return cls(
            counts=dict.fromkeys(SCALAR_COUNTERS, 0),
            bins={k: np.zeros(plan.time_bins, dtype=np.int64) for k in _BIN_SERIES},
            prover_frauds=np.zeros(plan.provers, dtype=np.int64),
            prover_slashes=np.zeros(plan.provers, dtype=np.int64),
            challenger_wins=np.zeros(plan.challengers, dtype=np.int64),
        )

    def same_as(self, other: Tally) -> bool:
        """Whether two tallies hold identical counts."""
        return (
            self.counts == other.counts
            and all(np.array_equal(self.bins[k], other.bins[k]) for k in _BIN_SERIES)
            and np.array_equal(self.prover_frauds, other.prover_frauds)
            and np.array_equal(self.prover_slashes, other.prover_slashes)
            and np.array_equal(self.challenger_wins, other.challenger_wins)
        )


def _stream(plan: SimulationPlan, start: int) -> np.random.Generator:
    """The query stream positioned at query ``start``."""
    bits = np.random.Philox(plan.stream_seed)
    if start:
        bits.advance(start * (UNIFORMS_PER_QUERY // 4))
    return np.random.Generator(bits)


# ---------------------------------------------------------------------------------------------
# vectorized


def _chunk(plan: SimulationPlan, start: int, stop: int, tally: Tally) -> None:
    m = stop - start
    pol = plan.policy
    u = np.ascontiguousarray(_stream(plan, start).random((m, UNIFORMS_PER_QUERY)).T)  # row j: uniform j of each query

    t = (np.arange(start, stop, dtype=np.float64) + u[7]) * plan.time_scale
    if plan.merged_starts.size:
        w = np.searchsorted(plan.merged_starts, t, side="right") - 1
        window_open = (w >= 0) & (t < plan.merged_ends[np.maximum(w, 0)])
    else:
        window_open = np.zeros(m, dtype=bool)
    bins = np.minimum((t * plan.bin_scale).astype(np.int64), plan.time_bins - 1)

    in_population = u[0] < plan.compromised_fraction
    k = plan.compromised_provers
    prover = np.where(in_population, (u[1] * k).astype(np.int64), k + (u[1] * (plan.provers - k)).astype(np.int64))
    forgeable = in_population & window_open if plan.attestation_check else np.ones(m, dtype=bool)

    spot = u[3] < plan.spot_check_rate
    cheat_forged = forgeable & (u[2] < pol.fraud_probability)
    if plan.predictable_spot_checks:
        cheat_forged &= ~spot
    cheat_intact = ~forgeable & (u[2] < pol.intact_fraud_probability)
    honest = ~(cheat_forged | cheat_intact)

    monitors = np.searchsorted(plan.monitor_cdf, u[4], side="right")
    eligible = window_open if pol.monitoring_scope == "windows" else np.ones(m, dtype=bool)
    if pol.monitoring_scope == "windows":
        monitors = np.where(window_open, monitors, 0)
    monitored = monitors > 0

    caught_spot = cheat_forged & spot
    caught_challenger = cheat_forged & monitored if plan.challenge_in_time else np.zeros(m, dtype=bool)
    detected = caught_spot | caught_challenger
    undetected = cheat_forged & ~detected
    slashed = cheat_intact | caught_challenger
    if plan.slash_on_missed_proof:
        slashed = slashed | caught_spot
    proofs = honest & spot
    frivolous = honest & (u[6] < pol.frivolous_challenge_rate)
    disputes = caught_challenger | frivolous
    frauds = cheat_forged | cheat_intact

    c = tally.counts

    def cnt(mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask))

    c["queries"] += m
    c["window_open"] += cnt(window_open)
    c["compromised_population"] += cnt(in_population)
    c["forgeable"] += cnt(forgeable)
    c["monitoring_eligible"] += cnt(eligible)
    c["frauds_forged"] += cnt(cheat_forged)
    c["frauds_intact"] += cnt(cheat_intact)
    c["caught_attestation"] += cnt(cheat_intact)
    c["caught_spot"] += cnt(caught_spot)
    c["caught_challenger"] += cnt(caught_challenger)
    c["caught_both"] += cnt(caught_spot & caught_challenger)
    c["undetected"] += cnt(undetected)
    c["slashed"] += cnt(slashed)
    c["honest_slashed"] += cnt(slashed & honest)
    c["honest_challenges_lost"] += cnt(caught_challenger & honest)  # a monitor challenges only a result it could not reproduce
    c["monitored_frauds"] += cnt(cheat_forged & monitored)
    c["late_challenges"] += 0 if plan.challenge_in_time else cnt(cheat_forged & monitored)
    c["spot_selected"] += cnt(spot)
    c["proofs"] += cnt(proofs)
    c["monitors"] += int(monitors.sum())
    c["monitors_sq"] += int(np.dot(monitors, monitors))
    c["monitors_on_proofs"] += int(monitors[proofs].sum())
    c["monitors_on_disputes"] += int(monitors[disputes].sum())
    c["frivolous"] += cnt(frivolous)
    c["disputes"] += cnt(disputes)
    c["proofs_and_disputes"] += cnt(proofs & disputes)

    nb = plan.time_bins
    b = tally.bins
    b["queries"] += np.bincount(bins, minlength=nb)
    b["window_open"] += np.bincount(bins[window_open], minlength=nb)
    b["forgeable"] += np.bincount(bins[forgeable], minlength=nb)
    b["frauds"] += np.bincount(bins[frauds], minlength=nb)
    b["undetected"] += np.bincount(bins[undetected], minlength=nb)
    b["slashed"] += np.bincount(bins[slashed], minlength=nb)
    tally.prover_frauds += np.bincount(prover[frauds], minlength=plan.provers)
    tally.prover_slashes += np.bincount(prover[slashed], minlength=plan.provers)
    if plan.challengers:
        winner = (u[5] * plan.challengers).astype(np.int64)
        tally.challenger_wins += np.bincount(winner[caught_challenger], minlength=plan.challengers)


def run_vectorized(plan: SimulationPlan, *, progress: Callable[[int], None] | None = None) -> Tally:
    """Walk the stream in chunks of ``plan.chunk_queries`` queries with numpy.

    ``progress(done)`` is called after each chunk with the number of queries simulated so far.
    """
    tally = Tally.empty(plan)
    for start in range(0, plan.queries, plan.chunk_queries):
        stop = min(start + plan.chunk_queries, plan.queries)
        _chunk(plan, start, stop, tally)
        if progress is not None:
            progress(stop)
    return tally


# ---------------------------------------------------------------------------------------------
# event by event (the reference implementation)


def run_event_by_event(plan: SimulationPlan, *, start: int = 0, stop: int | None = None) -> Tally:
    """Simulate queries ``start .. stop-1`` one at a time, in plain Python (the reference).

    Reads the same stream as :func:`run_vectorized` (8 uniforms per query), so on the same plan
    the two give identical counts.
    """
    stop = plan.queries if stop is None else stop
    tally = Tally.empty(plan)
    pol = plan.policy
    c = tally.counts
    rng = _stream(plan, start)
    cdf = [float(x) for x in plan.monitor_cdf]
    windows = [(float(s), float(e)) for s, e in plan.windows]
    k = plan.compromised_provers
    n = plan.challengers
    for i in range(start, stop):
        u = rng.random(UNIFORMS_PER_QUERY).tolist()
        t = (float(i) + u[7]) * plan.time_scale
        window_open = any(s <= t < e for s, e in windows)
        bin_ = min(int(t * plan.bin_scale), plan.time_bins - 1)

        in_population = u[0] < plan.compromised_fraction
        prover = int(u[1] * k) if in_population else k + int(u[1] * (plan.provers - k))
        forgeable = (in_population and window_open) if plan.attestation_check else True

        spot = u[3] < plan.spot_check_rate
        cheat_forged = forgeable and u[2] < pol.fraud_probability
        if plan.predictable_spot_checks and spot:
            cheat_forged = False  # the prover knows it will be checked: it stays honest
        cheat_intact = (not forgeable) and u[2] < pol.intact_fraud_probability
        honest = not (cheat_forged or cheat_intact)

        eligible = window_open or pol.monitoring_scope == "always"
        monitors = 0
        if eligible:
            while monitors < n and u[4] >= cdf[monitors]:
                monitors += 1

        caught_spot = cheat_forged and spot
        caught_challenger = cheat_forged and monitors > 0 and plan.challenge_in_time
        detected = caught_spot or caught_challenger
        slashed = cheat_intact or caught_challenger or (caught_spot and plan.slash_on_missed_proof)
        proof = honest and spot
        frivolous = honest and u[6] < pol.frivolous_challenge_rate
        dispute = caught_challenger or frivolous

        c["queries"] += 1
        c["window_open"] += window_open
        c["compromised_population"] += in_population
        c["forgeable"] += forgeable
        c["monitoring_eligible"] += eligible
        c["frauds_forged"] += cheat_forged
        c["frauds_intact"] += cheat_intact
        c["caught_attestation"] += cheat_intact
        c["caught_spot"] += caught_spot
        c["caught_challenger"] += caught_challenger
        c["caught_both"] += caught_spot and caught_challenger
        c["undetected"] += cheat_forged and not detected
        c["slashed"] += slashed
        c["honest_slashed"] += slashed and honest
        c["honest_challenges_lost"] += caught_challenger and honest
        c["monitored_frauds"] += cheat_forged and monitors > 0
        c["late_challenges"] += cheat_forged and monitors > 0 and not plan.challenge_in_time
        c["spot_selected"] += spot
        c["proofs"] += proof
        c["monitors"] += monitors
        c["monitors_sq"] += monitors * monitors
        c["monitors_on_proofs"] += monitors if proof else 0
        c["monitors_on_disputes"] += monitors if dispute else 0
        c["frivolous"] += frivolous
        c["disputes"] += dispute
        c["proofs_and_disputes"] += proof and dispute

        b = tally.bins
        b["queries"][bin_] += 1
        b["window_open"][bin_] += window_open
        b["forgeable"][bin_] += forgeable
        b["frauds"][bin_] += cheat_forged or cheat_intact
        b["undetected"][bin_] += cheat_forged and not detected
        b["slashed"][bin_] += slashed
        if cheat_forged or cheat_intact:
            tally.prover_frauds[prover] += 1
        if slashed:
            tally.prover_slashes[prover] += 1
        if caught_challenger:
            tally.challenger_wins[int(u[5] * n)] += 1
    for key in c:
        c[key] = int(c[key])
    return tally
