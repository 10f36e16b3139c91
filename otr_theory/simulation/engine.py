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
8. the slash of a caught cheater lands at the protocol's deadline for its detection (attestation:
   at once; challenge: after the dispute; spot-check: at the proof deadline; both: the sooner).

**The ledger** (the stake is slashed once): each provider slot is held by one identity at a time,
with stake ``stake_usd``. The first slashable detection of an identity schedules its slash;
detections of the same identity's queries committed before that slash lands are merged into it
(``merged_detections``: no second slash), and a sooner-landing one brings it forward. The slash
is :math:`\\min(S, \\text{stake left})`, once; :math:`aS` goes to the challenger whose challenge
executed it (none for a spot-check or attestation slash), the rest is burned; the identity is
then ejected and a fresh one (a new stake) takes the slot. So no identity ever loses more than
its stake (before issue 12 every detection slashed S again: $200k from a $100k stake).

**Speed.** The vectorized engine reads one Philox counter step per query (8 32-bit uniforms,
compared with integer thresholds: no float conversion, no transposed copy); arrival times,
vulnerability windows and time bins are monotone in the query index, so it finds their
boundaries by evaluating a handful of arrival times and counts by index ranges; everything that
concerns frauds, spot-checked and frivolously challenged queries is computed on those (sparse)
index sets only. A dense pass over all queries is made only for the population, the spot-check
selection, the cheat decision on forgeable queries, and the monitors when anyone monitors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from otr_theory.simulation.plan import ONE, UNIFORMS_PER_QUERY, SimulationPlan

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
    "slash_events",
    "merged_detections",
    "rewarded_slashes",
)
"""The integer counters of a run (see :class:`Tally`). ``slashed`` counts slashable detections
(per query); ``slash_events`` the slashes the ledger executed (one per identity); their
difference is ``merged_detections``."""

_BIN_SERIES = ("queries", "window_open", "forgeable", "frauds", "undetected", "slashed")
_SCALE32 = 2.0**-32
_DAY_S = 86_400.0


@dataclasses.dataclass
class Tally:
    """Integer counters of a run, updated in place by an engine.

    ``counts`` maps each name of :data:`SCALAR_COUNTERS` to an int; ``bins`` maps each series to
    per-time-bin counts; ``prover_frauds`` counts frauds per provider slot, ``prover_slashes``
    the identities slashed (and ejected) per slot, ``challenger_wins`` the frauds each challenger
    caught, ``challenger_rewards`` the slashes whose reward it was paid.
    """

    counts: dict[str, int]
    bins: dict[str, np.ndarray]
    prover_frauds: np.ndarray
    prover_slashes: np.ndarray
    challenger_wins: np.ndarray
    challenger_rewards: np.ndarray

    @classmethod
    def empty(cls, plan: SimulationPlan) -> Tally:
        return cls(
            counts=dict.fromkeys(SCALAR_COUNTERS, 0),
            bins={k: np.zeros(plan.time_bins, dtype=np.int64) for k in _BIN_SERIES},
            prover_frauds=np.zeros(plan.provers, dtype=np.int64),
            prover_slashes=np.zeros(plan.provers, dtype=np.int64),
            challenger_wins=np.zeros(plan.challengers, dtype=np.int64),
            challenger_rewards=np.zeros(plan.challengers, dtype=np.int64),
        )

    def same_as(self, other: Tally) -> bool:
        """Whether two tallies hold identical counts."""
        return (
            self.counts == other.counts
            and all(np.array_equal(self.bins[k], other.bins[k]) for k in _BIN_SERIES)
            and np.array_equal(self.prover_frauds, other.prover_frauds)
            and np.array_equal(self.prover_slashes, other.prover_slashes)
            and np.array_equal(self.challenger_wins, other.challenger_wins)
            and np.array_equal(self.challenger_rewards, other.challenger_rewards)
        )


def _bits(plan: SimulationPlan, start: int) -> np.random.Philox:
    """The query stream positioned at query ``start`` (one counter step per query)."""
    bits = np.random.Philox(plan.stream_seed)
    if start:
        bits.advance(start)
    return bits


def _slash_lag_s(plan: SimulationPlan, spot: bool, challenge: bool) -> tuple[float, bool]:
    """(seconds from arrival to the slash, whether the challenge executes it) for a forged fraud."""
    if challenge and spot and plan.slash_on_missed_proof:
        return (plan.slash_by_challenge_s, True) if plan.slash_by_challenge_s <= plan.slash_by_spot_s else (plan.slash_by_spot_s, False)
    if challenge:
        return plan.slash_by_challenge_s, True
    return plan.slash_by_spot_s, False


# ---------------------------------------------------------------------------------------------
# the ledger: one slash per identity


def _settle(plan: SimulationPlan, tally: Tally, t: np.ndarray, prover: np.ndarray, lag_s: np.ndarray, winner: np.ndarray) -> None:
    """Execute the slashable detections (arrival order) against the provers' identities.

    A detection of slot ``j`` committed before the pending slash of ``j``'s identity lands is
    merged into it, and brings it forward if it lands sooner; otherwise it starts a new
    identity's slash. Each slash is paid to the challenger that executed it (``winner >= 0``).

    Vectorized per slot (ours): for a candidate first detection ``i`` the slash lands at
    :math:`E_i = \\min\\{t_j + L_j : i \\le j,\\ t_j < t_i + L_i\\}` (one refinement suffices:
    the minimiser itself lies before the smaller bound), found per detection kind (at most
    three lags) from the next detection of that kind; the next identity's first detection is the
    first with :math:`t_j \\ge E_i`; the identities are the chain of these pointers from the
    slot's first detection. The event-by-event engine does the same query by query.
    """
    c = tally.counts
    if t.size == 0:
        return
    key = prover.astype(np.int16) if plan.provers < 2**15 else prover
    order = np.argsort(key, kind="stable")  # by slot, then arrival (a radix sort on int16)
    t, prover, lag_s, winner = t[order], prover[order], lag_s[order], winner[order]
    n = t.size
    land = t + lag_s / _DAY_S
    cuts = np.flatnonzero(np.diff(prover)) + 1
    first = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [n]])
    group_end = np.repeat(ends, ends - first)
    # hi: first detection of the same slot committed at or after the slash lands
    hi = np.empty(n, dtype=np.int64)
    for a, z in zip(first.tolist(), ends.tolist()):
        hi[a:z] = a + np.searchsorted(t[a:z], land[a:z], side="left")
    pos = np.arange(n, dtype=np.int64)
    hi = np.maximum(hi, pos + 1)  # a detection always belongs to the identity it starts
    best_land = np.full(n, np.inf)
    best_j = np.full(n, n, dtype=np.int64)
    for lag in dict.fromkeys((plan.provisional_s, plan.slash_by_challenge_s, plan.slash_by_spot_s)):
        nxt = np.minimum.accumulate(np.where(lag_s == lag, pos, n)[::-1])[::-1]  # next of this kind
        ok = nxt < hi
        cand = np.where(ok, land[np.minimum(nxt, n - 1)], np.inf)
        better = ok & ((cand < best_land) | ((cand == best_land) & (nxt < best_j)))
        best_land = np.where(better, cand, best_land)
        best_j = np.where(better, nxt, best_j)
    nxt_start = np.empty(n + 1, dtype=np.int64)
    for a, z in zip(first.tolist(), ends.tolist()):
        nxt_start[a:z] = a + np.searchsorted(t[a:z], best_land[a:z], side="left")
    nxt_start[:n] = np.where(nxt_start[:n] >= group_end, n, nxt_start[:n])  # n: the slot has no more
    nxt_start[n] = n
    # the identities: the chains first -> nxt_start -> ... of every slot at once, by doubling
    # (chains[m] = nxt^m(first) for m < L; applying nxt^L to them gives m in [L, 2L))
    chains = first[None, :]
    power = nxt_start
    while not np.all(chains[-1] == n):
        chains = np.concatenate([chains, power[chains]])
        power = power[power]
    is_start = np.zeros(n + 1, dtype=bool)
    is_start[chains.ravel()] = True
    starts = np.flatnonzero(is_start[:n])
    np.add.at(tally.prover_slashes, prover[starts], 1)
    merged = n - starts.size
    w = winner[best_j[starts]]
    w = w[w >= 0]
    if w.size:
        tally.challenger_rewards += np.bincount(w, minlength=plan.challengers)
    c["merged_detections"] += merged
    c["slash_events"] = int(tally.prover_slashes.sum())
    c["rewarded_slashes"] = int(tally.challenger_rewards.sum())


# ---------------------------------------------------------------------------------------------
# vectorized


def _ranges_count(mask: np.ndarray | None, ranges: list[tuple[int, int]], start: int) -> int:
    if mask is None:
        return sum(b - a for a, b in ranges)
    return sum(int(np.count_nonzero(mask[a - start : b - start])) for a, b in ranges)


def _in_ranges(idx: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Whether each (sorted) global index lies in one of the disjoint sorted ``ranges``."""
    if not ranges:
        return np.zeros(idx.size, dtype=bool)
    lo = np.array([a for a, _ in ranges], dtype=np.int64)
    hi = np.array([b for _, b in ranges], dtype=np.int64)
    k = np.searchsorted(lo, idx, side="right") - 1
    return (k >= 0) & (idx < hi[np.maximum(k, 0)])


class _Chunk:
    """One chunk of the stream: its uniforms and the arrival-time boundaries."""

    def __init__(self, plan: SimulationPlan, start: int, stop: int):
        self.plan, self.start, self.stop = plan, start, stop
        m = stop - start
        self.r = _bits(plan, start).random_raw(4 * m).view(np.uint32).reshape(m, UNIFORMS_PER_QUERY)

    def times(self, idx: np.ndarray) -> np.ndarray:
        """Arrival times (days) of global indices ``idx``: (i + r7 / 2^32) H / N."""
        r7 = self.r[idx - self.start, 7].astype(np.float64)
        return (idx.astype(np.float64) + r7 * _SCALE32) * self.plan.time_scale

    def first_many(self, xs: np.ndarray) -> np.ndarray:
        """For each time ``x`` (days), the first global index of the chunk arriving at or after
        it (``stop`` if none): the arrival times of the five queries around ``x / scale``
        decide (times are increasing in the index, within one query of ``i H / N``)."""
        g = np.clip(np.floor(np.asarray(xs, dtype=np.float64) / self.plan.time_scale), self.start - 5, self.stop + 5).astype(np.int64)
        cand = g[:, None] + np.arange(-2, 3, dtype=np.int64)[None, :]
        inside = (cand >= self.start) & (cand < self.stop)
        t = np.full(cand.shape, np.inf)
        t[inside] = self.times(cand[inside])
        lo = np.clip(g - 2, self.start, self.stop)
        return lo + np.count_nonzero(inside & (t < np.asarray(xs)[:, None]), axis=1)

    def first(self, pred: Callable[[np.ndarray], np.ndarray], guess: float) -> int:
        """First global index of the chunk whose arrival time satisfies the monotone ``pred``
        (``stop`` if none); ``guess`` is within two queries of it."""
        g = int(max(min(guess, self.stop + 5), self.start - 5))
        lo, hi = min(max(g - 2, self.start), self.stop), min(max(g + 3, self.start), self.stop)
        if lo >= hi:
            return lo
        ok = pred(self.times(np.arange(lo, hi, dtype=np.int64)))
        return lo + int(np.count_nonzero(~ok))


def _chunk(plan: SimulationPlan, start: int, stop: int, tally: Tally, events: list) -> None:
    m = stop - start
    pol = plan.policy
    ch = _Chunk(plan, start, stop)
    r = ch.r
    c = tally.counts
    b = tally.bins
    nb = plan.time_bins
    scale = plan.time_scale

    # time bins: boundaries by index (arrival time is increasing in the index)
    t_ends = ch.times(np.array([start, stop - 1], dtype=np.int64))
    b_first = min(int(t_ends[0] * plan.bin_scale), nb - 1)
    b_last = min(int(t_ends[1] * plan.bin_scale), nb - 1)
    bin_lo = [start]
    for k in range(b_first + 1, b_last + 1):
        bin_lo.append(ch.first(lambda t, k=k: t * plan.bin_scale >= k, k / plan.bin_scale / scale))
    bin_lo_arr = np.array(bin_lo, dtype=np.int64)
    bin_ranges = list(zip(bin_lo, bin_lo[1:] + [stop]))

    def bin_of(idx: np.ndarray) -> np.ndarray:
        return b_first + np.searchsorted(bin_lo_arr, idx, side="right") - 1

    # vulnerability windows: index ranges (and, when there are many in the chunk, a mask)
    win: list[tuple[int, int]] = []
    win_mask = None
    if plan.merged_starts.size:
        lo_t, hi_t = (start - 2) * scale, (stop + 2) * scale
        w0 = int(np.searchsorted(plan.merged_ends, lo_t, side="right"))
        w1 = int(np.searchsorted(plan.merged_starts, hi_t, side="left"))
        if w1 > w0:
            a_idx = ch.first_many(plan.merged_starts[w0:w1])
            z_idx = ch.first_many(plan.merged_ends[w0:w1])
            keep = a_idx < z_idx
            a_idx, z_idx = a_idx[keep], z_idx[keep]
            if a_idx.size > 32:  # many short windows: one range, with a mask
                edges = np.zeros(m + 1, dtype=np.int32)
                np.add.at(edges, a_idx - start, 1)
                np.add.at(edges, z_idx - start, -1)
                win_mask = np.cumsum(edges[:m]) > 0
                win = [(start, stop)]
            else:
                win = list(zip(a_idx.tolist(), z_idx.tolist()))

    def overlap(rs: list[tuple[int, int]], a: int, z: int) -> list[tuple[int, int]]:
        return [(max(x, a), min(y, z)) for x, y in rs if max(x, a) < min(y, z)]

    def both(x, y):
        return x if y is None else y if x is None else x & y

    # population (dense), forgeable ranges
    tp = plan.t_population
    pop = None if tp >= ONE or tp == 0 else r[:, 0] < tp  # None: all (tp = ONE) or none (tp = 0)
    c["queries"] += m
    c["window_open"] += _ranges_count(win_mask, win, start)
    c["compromised_population"] += m if tp >= ONE else 0 if tp == 0 else int(np.count_nonzero(pop))
    if plan.attestation_check:
        forge_ranges = win if tp > 0 else []
        forge_mask = both(pop, win_mask)
    else:
        forge_ranges, forge_mask = [(start, stop)], None
    c["forgeable"] += _ranges_count(forge_mask, forge_ranges, start)
    eligible, eligible_mask = (win, win_mask) if pol.monitoring_scope == "windows" else ([(start, stop)], None)
    c["monitoring_eligible"] += _ranges_count(eligible_mask, eligible, start)
    for k, (a, z) in enumerate(bin_ranges):
        bk = b_first + k
        b["queries"][bk] += z - a
        b["window_open"][bk] += _ranges_count(win_mask, overlap(win, a, z), start)
        b["forgeable"][bk] += _ranges_count(forge_mask, overlap(forge_ranges, a, z), start)

    def open_at(idx: np.ndarray) -> np.ndarray:
        f = _in_ranges(idx, win)
        return f if win_mask is None else f & win_mask[idx - start]

    def forgeable_at(idx: np.ndarray) -> np.ndarray:
        f = _in_ranges(idx, forge_ranges)
        if forge_mask is not None:
            f &= forge_mask[idx - start]
        return f

    # the cheat decision on forgeable queries
    tf, ts = plan.t_fraud, plan.t_spot
    parts = []
    if tf > 0:
        for a, z in forge_ranges:
            sl = slice(a - start, z - start)
            cand = (r[sl, 2] < tf) if tf < ONE else np.ones(z - a, dtype=bool)
            if forge_mask is not None:
                cand &= forge_mask[sl]
            parts.append(np.flatnonzero(cand) + a)
    forged = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if plan.predictable_spot_checks and forged.size:
        forged = forged[~(r[forged - start, 3] < ts)]
    intact = np.zeros(0, dtype=np.int64)
    if plan.t_intact_fraud > 0:
        cand = r[:, 2] < plan.t_intact_fraud
        idx = np.flatnonzero(cand) + start
        intact = idx[~forgeable_at(idx)]

    # spot-check selection (dense count; the selected set is sparse)
    if ts > 0:
        spot_mask = r[:, 3] < ts
        c["spot_selected"] += int(np.count_nonzero(spot_mask))
        spot_idx = np.flatnonzero(spot_mask) + start
    else:
        spot_idx = np.zeros(0, dtype=np.int64)

    # monitors: dense only for the totals
    n = plan.challengers
    tm = np.array(plan.t_monitors, dtype=np.uint64)
    monitoring = n > 0 and tm.size > 0 and int(tm[0]) < ONE

    def monitors_at(idx: np.ndarray) -> np.ndarray:
        if not monitoring or idx.size == 0:
            return np.zeros(idx.size, dtype=np.int64)
        k = np.searchsorted(tm, r[idx - start, 4], side="right")
        if pol.monitoring_scope == "windows":
            k = np.where(open_at(idx), k, 0)
        return k

    if monitoring:
        hist = np.zeros(n + 1, dtype=np.int64)
        # K = #{k: r4 >= T_k}; sum K = sum_k #{r4 >= T_k}, sum K^2 = sum_k (2k+1) #{r4 >= T_k}
        tm_list = [int(x) for x in plan.t_monitors]
        for a, z in eligible:
            r4 = r[a - start : z - start, 4]
            if eligible_mask is not None:
                r4 = r4[eligible_mask[a - start : z - start]]
            if n <= 4:
                for j, tj in enumerate(tm_list):
                    if tj >= ONE:
                        break
                    above = int(np.count_nonzero(r4 >= tj))
                    c["monitors"] += above
                    c["monitors_sq"] += (2 * j + 1) * above
            else:
                hist += np.bincount(np.searchsorted(tm, r4, side="right"), minlength=n + 1)
        ks = np.arange(n + 1, dtype=np.int64)
        c["monitors"] += int(hist @ ks)
        c["monitors_sq"] += int(hist @ (ks * ks))

    # frauds (sparse)
    rf = r[forged - start]
    spot_f = rf[:, 3] < ts if ts < ONE else np.ones(forged.size, dtype=bool)
    k_f = monitors_at(forged)
    monitored_f = k_f > 0
    caught_ch = monitored_f if plan.challenge_in_time else np.zeros(forged.size, dtype=bool)
    detected = spot_f | caught_ch
    slashed_f = caught_ch | (spot_f if plan.slash_on_missed_proof else False)
    nf, ni = int(forged.size), int(intact.size)
    n_spot_f, n_ch = int(np.count_nonzero(spot_f)), int(np.count_nonzero(caught_ch))
    c["frauds_forged"] += nf
    c["frauds_intact"] += ni
    c["caught_attestation"] += ni
    c["caught_spot"] += n_spot_f
    c["caught_challenger"] += n_ch
    c["caught_both"] += int(np.count_nonzero(spot_f & caught_ch))
    c["undetected"] += nf - int(np.count_nonzero(detected))
    n_slashed_f = int(np.count_nonzero(slashed_f))
    c["slashed"] += n_slashed_f + ni
    n_mon_f = int(np.count_nonzero(monitored_f))
    c["monitored_frauds"] += n_mon_f
    c["late_challenges"] += 0 if plan.challenge_in_time else n_mon_f

    # honest spot-checked queries: proofs
    cheats = np.union1d(forged, intact) if ni else forged
    if spot_idx.size:
        pos = np.searchsorted(cheats, spot_idx)
        is_cheat = (pos < cheats.size) & (cheats[np.minimum(pos, max(cheats.size - 1, 0))] == spot_idx) if cheats.size else np.zeros(spot_idx.size, dtype=bool)
        proof_idx = spot_idx[~is_cheat]
    else:
        proof_idx = spot_idx
    c["proofs"] += int(proof_idx.size)
    c["monitors_on_proofs"] += int(monitors_at(proof_idx).sum())

    # frivolous challenges of honest queries
    if plan.t_frivolous > 0:
        fr = np.flatnonzero(r[:, 6] < plan.t_frivolous) + start
        if cheats.size:
            pos = np.searchsorted(cheats, fr)
            hit = (pos < cheats.size) & (cheats[np.minimum(pos, cheats.size - 1)] == fr)
            fr = fr[~hit]
    else:
        fr = np.zeros(0, dtype=np.int64)
    c["frivolous"] += int(fr.size)
    c["disputes"] += n_ch + int(fr.size)
    c["monitors_on_disputes"] += int(k_f[caught_ch].sum()) + int(monitors_at(fr).sum())
    c["proofs_and_disputes"] += int(np.count_nonzero(r[fr - start, 3] < ts)) if ts > 0 and fr.size else 0
    # honest_slashed and honest_challenges_lost stay 0: only cheats are slashed or challenged

    # per-bin and per-party counts of the sparse sets
    bin_f, bin_i = bin_of(forged), bin_of(intact)
    b["frauds"] += np.bincount(bin_f, minlength=nb) + np.bincount(bin_i, minlength=nb)
    b["undetected"] += np.bincount(bin_f[~detected], minlength=nb)
    b["slashed"] += np.bincount(bin_f[slashed_f], minlength=nb) + np.bincount(bin_i, minlength=nb)
    k_pop = plan.compromised_provers
    r1f = rf[:, 1].astype(np.uint64)
    pop_f = rf[:, 0] < plan.t_population if plan.t_population < ONE else np.ones(nf, dtype=bool)
    prov_f = np.where(pop_f, (r1f * np.uint64(k_pop)) >> np.uint64(32), k_pop + ((r1f * np.uint64(plan.provers - k_pop)) >> np.uint64(32))).astype(np.int64)
    ri = r[intact - start]
    r1i = ri[:, 1].astype(np.uint64)
    pop_i = ri[:, 0] < plan.t_population if plan.t_population < ONE else np.ones(ni, dtype=bool)
    prov_i = np.where(pop_i, (r1i * np.uint64(k_pop)) >> np.uint64(32), k_pop + ((r1i * np.uint64(plan.provers - k_pop)) >> np.uint64(32))).astype(np.int64)
    tally.prover_frauds += np.bincount(prov_f, minlength=plan.provers) + np.bincount(prov_i, minlength=plan.provers)
    win_f = ((rf[:, 5].astype(np.uint64) * np.uint64(n)) >> np.uint64(32)).astype(np.int64) if n else np.zeros(nf, dtype=np.int64)
    if n:
        tally.challenger_wins += np.bincount(win_f[caught_ch], minlength=n)

    # slashable detections for the ledger, in arrival order
    if n_slashed_f or ni:
        sel = np.flatnonzero(slashed_f)
        idx_s = np.concatenate([forged[sel], intact])
        lag_ch = plan.slash_by_challenge_s
        lag_sp = plan.slash_by_spot_s
        ch_s, sp_s = caught_ch[sel], spot_f[sel] & plan.slash_on_missed_proof
        by_ch = ch_s & (~sp_s | (lag_ch <= lag_sp))
        lag = np.where(by_ch, lag_ch, lag_sp)
        lag = np.concatenate([lag, np.full(ni, plan.provisional_s)])
        winner = np.concatenate([np.where(by_ch, win_f[sel], -1), np.full(ni, -1, dtype=np.int64)])
        prov = np.concatenate([prov_f[sel], prov_i])
        order = np.argsort(idx_s, kind="stable")
        idx_s = idx_s[order]
        t = ch.times(idx_s)
        events.append((t, prov[order], lag[order], winner[order]))


def run_vectorized(plan: SimulationPlan, *, progress: Callable[[int], None] | None = None) -> Tally:
    """Walk the stream in chunks of ``plan.chunk_queries`` queries with numpy.

    ``progress(done)`` is called after each chunk with the number of queries simulated so far.
    """
    tally = Tally.empty(plan)
    events: list = []
    for start in range(0, plan.queries, plan.chunk_queries):
        stop = min(start + plan.chunk_queries, plan.queries)
        _chunk(plan, start, stop, tally, events)
        if progress is not None:
            progress(stop)
    if events:
        t, prov, lag, win = (np.concatenate([e[i] for e in events]) for i in range(4))
    else:
        t = lag = np.zeros(0)
        prov = win = np.zeros(0, dtype=np.int64)
    _settle(plan, tally, t, prov, lag, win)
    return tally


# ---------------------------------------------------------------------------------------------
# event by event (the reference implementation)


def run_event_by_event(plan: SimulationPlan, *, start: int = 0, stop: int | None = None) -> Tally:
    """Simulate queries ``start .. stop-1`` one at a time, in plain Python (the reference).

    Reads the same stream as :func:`run_vectorized` (one Philox step, 8 32-bit uniforms, per
    query), so on the same plan the two give identical counts.
    """
    stop = plan.queries if stop is None else stop
    tally = Tally.empty(plan)
    pol = plan.policy
    c = tally.counts
    bits = _bits(plan, start)
    windows = [(float(s), float(e)) for s, e in plan.windows]
    k = plan.compromised_provers
    n = plan.challengers
    tm = plan.t_monitors
    pending: dict[int, list] = {}  # the ledger: slot -> [slash time (days), executing challenger]
    block: list = []
    for i in range(start, stop):
        if not block:  # the stream in blocks of 1024 queries (the draws are not the reference's subject)
            size = min(1024, stop - i)
            block = bits.random_raw(4 * size).view(np.uint32).reshape(size, UNIFORMS_PER_QUERY).tolist()[::-1]
        u = block.pop()
        t = (float(i) + u[7] * _SCALE32) * plan.time_scale
        window_open = any(s <= t < e for s, e in windows)
        bin_ = min(int(t * plan.bin_scale), plan.time_bins - 1)

        in_population = u[0] < plan.t_population
        prover = (u[1] * k) >> 32 if in_population else k + ((u[1] * (plan.provers - k)) >> 32)
        forgeable = (in_population and window_open) if plan.attestation_check else True

        spot = u[3] < plan.t_spot
        cheat_forged = forgeable and u[2] < plan.t_fraud
        if plan.predictable_spot_checks and spot:
            cheat_forged = False  # the prover knows it will be checked: it stays honest
        cheat_intact = (not forgeable) and u[2] < plan.t_intact_fraud
        honest = not (cheat_forged or cheat_intact)

        eligible = window_open or pol.monitoring_scope == "always"
        monitors = 0
        if eligible:
            while monitors < n and u[4] >= tm[monitors]:
                monitors += 1

        caught_spot = cheat_forged and spot
        caught_challenger = cheat_forged and monitors > 0 and plan.challenge_in_time
        detected = caught_spot or caught_challenger
        slashed = cheat_intact or caught_challenger or (caught_spot and plan.slash_on_missed_proof)
        proof = honest and spot
        frivolous = honest and u[6] < plan.t_frivolous
        dispute = caught_challenger or frivolous
        winner = (u[5] * n) >> 32

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
        if caught_challenger:
            tally.challenger_wins[winner] += 1
        if slashed:
            # when the slash lands, and who executes it
            if cheat_intact:
                lag_s, rewarded = plan.provisional_s, -1
            else:
                lag_s, by_challenge = _slash_lag_s(plan, caught_spot and plan.slash_on_missed_proof, caught_challenger)
                rewarded = winner if by_challenge else -1
            land = t + lag_s / _DAY_S
            cur = pending.get(prover)
            if cur is not None and t < cur[0]:  # the same identity: its slash is pending
                c["merged_detections"] += 1
                if land < cur[0]:
                    cur[0], cur[1] = land, rewarded
            else:
                if cur is not None and cur[1] >= 0:
                    tally.challenger_rewards[cur[1]] += 1
                pending[prover] = [land, rewarded]
                tally.prover_slashes[prover] += 1
    for _, w in pending.values():
        if w >= 0:
            tally.challenger_rewards[w] += 1
    c["slash_events"] = int(tally.prover_slashes.sum())
    c["rewarded_slashes"] = int(tally.challenger_rewards.sum())
    for key in c:
        c[key] = int(c[key])
    return tally
