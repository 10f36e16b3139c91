"""Deliberately broken protocols: each must make its theorem fail with a replayed counterexample.

A mutant is a Python transformation of the transition system's inputs: it changes a protocol
switch (as ``Model.with_protocol`` would), a number (possibly to a value the model loader would
refuse, such as a reward share above 1), or a rule of the dispute game (:class:`Rules`). The
catalogue pairs each mutant with the theorem it must break; the tests check that
:func:`otr_theory.smt.theorems.check` reports that theorem *violated* with a counterexample the
plain-Python interpreter replays.

>>> len(MUTANTS) >= 10
True
>>> sorted({m.theorem for m in MUTANTS})
[1, 2, 3, 4, 5, 6, 7]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction

from otr_theory.smt.params import Params

__all__ = ["Mutant", "MUTANTS", "mutant"]


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


def _min_deterring_slash(p: Params) -> Fraction:
    """S* with nobody monitoring and a compromised TEE (core model): ((1-rho) G + m)/rho or (G + m)/rho."""
    g = max(p.gains_usd.values())
    rho = p.spot_check_rate
    kept = g if p.loss_convention == "keep" else (1 - rho) * g
    return (kept + p.margin_usd) / rho


MUTANTS: tuple[Mutant, ...] = (
    Mutant("no_attestation_check", "provisional finality without checking the attestation against the registry", 5,
           lambda p: p.replace(attestation_check=False)),
    Mutant("window_shorter_than_dispute", "challenge window W cut to one round timeout, shorter than a whole dispute", 3,
           lambda p: p.replace(window_s=p.round_timeout_s)),
    Mutant("reward_share_above_one", "challenger reward share 3/2: the reward exceeds the slash", 4,
           lambda p: p.replace(reward_share=Fraction(3, 2))),
    Mutant("reward_plus_burn_exceeds_slash", "the whole slash is burned and the reward paid on top (reward + burn != slash)", 4,
           lambda p: _rules(p, burn_rule="all")),
    Mutant("randomness_before_commitment", "spot-check randomness revealed before the prover commits", 6,
           lambda p: p.replace(randomness_after_commit=False)),
    Mutant("timeout_slashes_prover", "a round timeout slashes the prover whoever failed to move (an honest prover slashed on a timeout)", 2,
           lambda p: _rules(p, timeout_against_silent_party=False)),
    Mutant("proof_deadline_before_proving_time", "the ZK proof deadline is half the proving time: an honest prover misses it", 2,
           lambda p: p.replace(proof_deadline_s=p.proof_latency_s / 2)),
    Mutant("bond_not_refunded", "a challenger who proves fraud does not get its bond back (an honest challenger's bond forfeited)", 2,
           lambda p: _rules(p, refund_bond_on_win=False)),
    Mutant("censorship_beyond_window_slack", "censorship outlasts the window's slack W - D by one round timeout", 1,
           lambda p: p.replace(censorship_s=p.window_s - p.dispute_bound_s + p.round_timeout_s)),
    Mutant("no_slash_on_missed_proof", "a demanded proof that is never delivered is not slashed", 7,
           lambda p: p.replace(slash_on_missed_proof=False)),
    Mutant("no_round_timeout", "bisection rounds without a timeout: a party can stall a dispute forever", 3,
           lambda p: _rules(p, round_timeout=False)),
    Mutant("settlement_after_window", "the one-step check settles only after the window has closed", 3,
           lambda p: _rules(p, settle_in_window=False)),
    Mutant("slash_below_deterrence", "the slash cut to half the minimum deterring slash", 7,
           lambda p: p.replace(slash_usd=_min_deterring_slash(p) / 2)),
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
