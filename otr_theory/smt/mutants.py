"""Deliberately broken protocols: each must make its theorem fail with a replayed counterexample.

A mutant is a Python transformation of the transition system's inputs: it changes a protocol
switch (as ``Model.with_protocol`` would), a number (possibly to a value the model loader would
refuse, such as a reward share above 1), or a rule of the dispute game (:class:`Rules`). The
catalogue pairs each mutant with the theorem it must break; the tests check that
:func:`otr_theory.smt.theorems.check` reports that theorem *violated* with a counterexample the
plain-Python interpreter replays.

>>> len(MUTANTS) >= 25
True
>>> sorted({m.theorem for m in MUTANTS})
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction

from otr_theory.smt.params import Params

__all__ = ["Mutant", "MUTANTS", "mutant", "required_slash", "secured"]


@dataclasses.dataclass(frozen=True)
class Mutant:
    """A broken protocol: its name, what it breaks, the theorem it must violate, the transformation."""

    name: str
    description: str
    theorem: int
    transform: Callable[[Params], Params]

    def apply(self, p: Params) -> Params:
        """The mutated parameters."""
        return self.transform(p)


def _rules(p: Params, **kw) -> Params:
    return p.replace(rules=dataclasses.replace(p.rules, **kw))


def required_slash(p: Params) -> Fraction:
    """S* over time with nobody monitoring (q = 0) and a compromised TEE (the lead's spec, ours).

    keep: (g_max + n gbar rho L_s + m) / rho; forfeit: ((1 - rho)(g_max + n gbar rho L_s) + m) / rho,
    with the spot-check lag L_s = the proof deadline and the two-class gain of ``wrong_output``;
    divided by (1 - a) under ``self_challenge`` (the Sybil recovers the reward share a of every
    slash, theorem 7's and :mod:`otr_theory.payoffs.corruption`'s effective slash).
    """
    rho = p.spot_check_rate
    kept_share = (1 - p.reward_share) if p.self_challenge and p.reward_share < 1 else Fraction(1)
    best = Fraction(0)
    for d, g in p.gains_usd.items():
        g_max, g_bar = g, g
        if d == "wrong_output" and p.high_value_fraction > 0:
            g_max = p.high_value_gain_usd
            g_bar = (1 - p.high_value_fraction) * g + p.high_value_fraction * p.high_value_gain_usd
        realised = g_max + p.query_rate * g_bar * rho * p.proof_deadline_s
        kept = realised if p.loss_convention == "keep" else (1 - rho) * realised
        best = max(best, (kept + p.margin_usd) / rho / kept_share)
    return best


def secured(p: Params) -> Params:
    """``p`` with stake = slash = 2 S*: theorem 7 holds there, so a mutant of 7 breaks something real.

    (The default model does not deter over time: its S = $100k is far below S*; see theorem 7.)
    Two S* covers q > 0 as well, where the Sybil front-run recovers the reward share a <= 1/2.
    """
    s = 2 * required_slash(p) / (1 - p.reward_share) if p.reward_share < 1 else 4 * required_slash(p)
    return p.replace(stake_usd=s, slash_usd=s)


MUTANTS: tuple[Mutant, ...] = (
    Mutant("no_attestation_check", "provisional finality without checking the attestation against the registry", 5, lambda p: p.replace(attestation_check=False)),
    Mutant("window_shorter_than_dispute", "challenge window W cut to one round timeout, shorter than a whole dispute", 3, lambda p: p.replace(window_s=p.round_timeout_s)),
    Mutant("reward_share_above_one", "challenger reward share 3/2: the reward exceeds the slash", 4, lambda p: p.replace(reward_share=Fraction(3, 2))),
    Mutant("reward_plus_burn_exceeds_slash", "the whole slash is burned and the reward paid on top (reward + burn != slash)", 4, lambda p: _rules(p, burn_rule="all")),
    Mutant("randomness_before_commitment", "spot-check randomness revealed before the prover commits", 6, lambda p: p.replace(randomness_after_commit=False)),
    Mutant("timeout_slashes_prover", "a round timeout slashes the prover whoever failed to move (an honest prover slashed on a timeout)", 2, lambda p: _rules(p, timeout_against_silent_party=False)),
    Mutant("proof_deadline_before_proving_time", "the ZK proof deadline is half the proving time: an honest prover misses it", 2, lambda p: p.replace(proof_deadline_s=p.proof_latency_s / 2)),
    Mutant("bond_not_refunded", "a challenger who proves fraud does not get its bond back (an honest challenger's bond forfeited)", 2, lambda p: _rules(p, refund_bond_on_win=False)),
    Mutant(
        "censorship_beyond_window_slack", "censorship outlasts the window's slack W - D by one round timeout", 1, lambda p: p.replace(censorship_s=p.window_s - p.dispute_bound_s + p.round_timeout_s)
    ),
    Mutant("no_slash_on_missed_proof", "a demanded proof that is never delivered is not slashed (on a model secured at 2 S*)", 7, lambda p: secured(p).replace(slash_on_missed_proof=False)),
    Mutant("no_round_timeout", "bisection rounds without a timeout: a party can stall a dispute forever", 3, lambda p: _rules(p, round_timeout=False)),
    Mutant("settlement_after_window", "the one-step check settles only after the window has closed", 3, lambda p: _rules(p, settle_in_window=False)),
    Mutant("slash_below_deterrence", "stake 2 S*, but the slash cut to half the over-time deterring slash S*", 7, lambda p: secured(p).replace(slash_usd=required_slash(p) / 2)),
    # issue 13: every rule a switch, censorship of every move, costs and the shared stake
    Mutant("loser_bond_refunded", "[protocol] loser_payout = refund: a griefer who loses gets its bond back", 9, lambda p: _rules(p, loser_payout="refund")),
    Mutant("griefing_bond_one_cent", "a challenger bond of one cent: a frivolous challenge costs less than the prover's answer", 9, lambda p: p.replace(bond_usd=Fraction(1, 100))),
    Mutant(
        "silent_round_against_challenger",
        "[protocol] move_order = prover_first and timeout_tie_break = against_challenger: a dishonest prover that never moves wins the round against the honest challenger",
        2,
        lambda p: _rules(p, move_order="prover_first", timeout_tie_break="against_challenger"),
    ),
    Mutant("unbonding_shorter_than_window", "stake_unbonding_s = W / 2: the stake leaves before its query's verdict", 8, lambda p: p.replace(unbonding_s=p.window_s / 2)),
    Mutant("prover_supplied_measurement", "[protocol] measurement_source = prover: an intact TEE attests a cheaper model's measurement", 5, lambda p: _rules(p, measurement_source="prover")),
    Mutant("block_hash_randomness", "[protocol] randomness_source = block_hash: a colluding proposer sees the selection before the commitment", 6, lambda p: _rules(p, randomness_source="block_hash")),
    Mutant(
        "finality_while_proof_pending",
        "[protocol] finality_while_proof_pending, with a proof deadline (2 W) that outlasts the window: an unproved selected result becomes final",
        1,
        lambda p: _rules(p.replace(proof_deadline_s=2 * p.window_s), finality_while_proof_pending=True),
    ),
    Mutant(
        "round_timeout_within_censorship", "round timeout R = C / 2 (the old 600 s < 1,200 s): an honest prover's censored move times out", 2, lambda p: p.replace(round_timeout_s=p.censorship_s / 2)
    ),
    Mutant(
        "censored_moves_beat_honest_challenger",
        "round timeout R = C: the honest challenger's censored bisection move times out, the invalid result goes final",
        1,
        lambda p: p.replace(round_timeout_s=p.censorship_s),
    ),
    Mutant("settlement_within_censorship", "settlement T = C: the honest challenger's one-step proof is censored to the deadline", 2, lambda p: p.replace(settlement_s=p.censorship_s)),
    Mutant(
        "proof_deadline_within_censorship",
        "proof deadline = proving time + C / 2: an honest prover's censored proof misses it",
        2,
        lambda p: p.replace(proof_deadline_s=p.proof_latency_s + p.censorship_s / 2),
    ),
    Mutant("missed_proof_never_declared", "a missing proof is never declared missed at its deadline: the query never gets a verdict", 10, lambda p: _rules(p, miss_at_deadline=False)),
    Mutant("slash_beyond_stake_left", "a slash takes S even when the other queries left less stake", 4, lambda p: _rules(p, slash_capped=False)),
    Mutant(
        "self_challenge_recovers_reward",
        "reward share 9/10 on a model secured at 2 S*: the prover's own Sybil challenger recovers 90% of the slash",
        7,
        lambda p: secured(p).replace(reward_share=Fraction(9, 10)),
    ),
)
"""The catalogue: at least one mutant per theorem."""


def mutant(name: str) -> Mutant:
    """The mutant called ``name``.

    >>> mutant("no_round_timeout").theorem
    3
    """
    for m in MUTANTS:
        if m.name == name:
            return m
    raise KeyError(f"no mutant {name!r}; known: {', '.join(m.name for m in MUTANTS)}")
