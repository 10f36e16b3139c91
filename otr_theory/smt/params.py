"""Exact parameters of the transition system, read from a :class:`~otr_theory.model.Model`.

Every number enters z3 as an exact rational (:attr:`Quantity.exact`), never as a float. Derived
quantities (ours):

* bisection rounds :math:`K = \\lceil \\log_k N \\rceil`, the least integer with
  :math:`k^K \\ge N` (computed in integers; :math:`K = 0` when :math:`N = 1`);
* censorship delay :math:`C = c \\cdot t_{block}` (``censorship_blocks`` x ``block_time_s``);
* dispute bound :math:`D = K \\cdot R + T_{settle}`: the longest a dispute may last.

:class:`Rules` holds the mechanics of the dispute game that the model file does not expose
(they are fixed by the protocol); the mutants of :mod:`otr_theory.smt.mutants` change them, and
may change :class:`Params` directly to values the model loader would refuse (a reward share
above 1, a proof deadline shorter than the proving time).

Examples
--------
>>> from otr_theory.model import load_model
>>> p = Params.from_model(load_model())
>>> p.rounds, p.censorship_s, p.dispute_bound_s
(40, Fraction(1200, 1), Fraction(73800, 1))
>>> sorted(p.tiers)
['dispute', 'random_spot_checks', 'slashing', 'stakes', 'tee', 'verification']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from otr_theory.model import Model, bisection_rounds, replica_query_rate
from otr_theory.payoffs.conditions import GAIN_FIELDS

__all__ = ["Params", "Rules", "DEVIATIONS", "REQUIRED_TIERS", "PROTOCOL_RULES", "bisection_rounds"]

DEVIATIONS: Mapping[str, str] = GAIN_FIELDS
"""The catalogued deviations of a prover and the model field holding each one's gain (the
catalogue of :mod:`otr_theory.payoffs`)."""


@dataclasses.dataclass(frozen=True)
class Rules:
    """Mechanics of the dispute game (all ``True``/``"rest"`` in the protocol as designed)."""

    round_timeout: bool = True
    """A bisection round that passes its timeout is decided against the party that failed to move."""
    timeout_against_silent_party: bool = True
    """A timeout slashes the prover only if the prover failed to move (else the challenger loses)."""
    refund_bond_on_win: bool = True
    """A challenger who proves fraud gets its bond back (plus the reward)."""
    settle_in_window: bool = True
    """The one-step check settles as soon as the bisection ends (not held until the window closes)."""
    burn_rule: str = "rest"
    """``rest``: the slash not paid as reward is burned; ``all``: the whole slash is burned as well."""
    slash_capped: bool = True
    """A slash takes min(S, stake left): never more than the stake the other queries left."""
    miss_at_deadline: bool = True
    """A demanded proof still missing at its deadline is declared missed then (anyone may call it)."""
    finality_while_proof_pending: bool = False
    """``[protocol]``: final finality may come while a demanded proof is pending."""
    loser_payout: str = "burn"
    """``[protocol]``: a losing challenger's bond is ``burn``-ed or ``refund``-ed."""
    timeout_tie_break: str = "against_prover"
    """``[protocol]``: who loses a round in which neither party moved."""
    move_order: str = "simultaneous"
    """``[protocol]``: ``simultaneous`` or ``prover_first`` (the challenger answers after the prover)."""
    measurement_source: str = "registry"
    """``[protocol]``: the measurement attestations are checked against (``registry`` or ``prover``)."""
    randomness_source: str = "commit_reveal"
    """``[protocol]``: ``commit_reveal``, ``vrf`` or ``block_hash`` (known to a colluding proposer)."""


PROTOCOL_RULES = ("finality_while_proof_pending", "loser_payout", "timeout_tie_break", "move_order", "measurement_source", "randomness_source")
"""The :class:`Rules` a model file sets in ``[protocol]``."""

REQUIRED_TIERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "otr": ("verification", "stakes", "slashing", "dispute", "tee", "random_spot_checks"),
        "opml": ("verification", "stakes", "slashing", "dispute"),
        "zkml": ("verification",),
        "poq": ("verification",),
        "centralized": (),
    }
)
"""The tiers each scheme relies on (OTR: attestation, challenge and slashing, spot-checks). A model
whose numbers switch off a tier its scheme relies on fails the theorems about that tier."""


def _compromise_share(fraction: Fraction, rate_per_year: Fraction, days: Fraction) -> Fraction:
    """f_c = phi * lambda d / (1 + lambda d): the long-run share of time a prover's TEE is
    compromised, episodes arriving at rate lambda and lasting d (an alternating renewal process,
    ours), times the fraction phi of provers able to exploit an open vulnerability.

    >>> _compromise_share(Fraction(1, 10), Fraction(1, 2), Fraction(90))
    Fraction(9, 820)
    """
    ld = rate_per_year * days / 365
    return fraction * ld / (1 + ld)


@dataclasses.dataclass(frozen=True)
class Params:
    """The model's numbers as exact rationals, the protocol switches and the scheme's tiers."""

    model_name: str
    scheme: str
    loss_convention: str
    tiers: frozenset[str]
    attestation_check: bool
    randomness_after_commit: bool
    slash_on_missed_proof: bool
    window_s: Fraction
    round_timeout_s: Fraction
    rounds: int
    settlement_s: Fraction
    censorship_s: Fraction
    attestation_latency_s: Fraction
    proof_latency_s: Fraction
    proof_deadline_s: Fraction
    spot_check_rate: Fraction
    stake_usd: Fraction
    slash_usd: Fraction
    reward_share: Fraction
    bond_usd: Fraction
    challengers: int
    compromise_possible: bool
    gains_usd: Mapping[str, Fraction]
    margin_usd: Fraction
    rules: Rules = Rules()
    unbonding_s: Fraction = Fraction(10**9)
    open_gas_usd: Fraction = Fraction(0)
    step_gas_usd: Fraction = Fraction(0)
    griefing_ratio: Fraction = Fraction(1)
    query_rate: Fraction = Fraction(0)
    """n: queries per second one stake covers (replica throughput x replicas per stake)."""
    high_value_gain_usd: Fraction = Fraction(0)
    high_value_fraction: Fraction = Fraction(0)
    reentry_usd: Fraction = Fraction(0)
    compromise_share: Fraction = Fraction(0)
    proposer_bias: Fraction = Fraction(0)
    self_challenge: bool = False
    """``[model] self_challenge``: the prover recovers the reward share of every slash through a
    Sybil (effective slash (1 - a) S on each detection, as :mod:`otr_theory.payoffs.corruption`)."""
    """beta: the declared share of commitments whose block proposer colludes (block-hash randomness)."""
    """f_c: the long-run probability that a prover's TEE is compromised (see :meth:`from_model`)."""

    @classmethod
    def from_model(cls, model: Model, *, rules: Rules | None = None) -> Params:
        """Read a validated model; every number through :attr:`Quantity.exact`."""

        def x(name: str) -> Fraction:
            return model.quantity(name).exact

        scheme = model.scheme
        rho = x("spot_check_rate")
        tiers = set()
        if scheme != "centralized":
            tiers.add("verification")
        dispute = scheme in ("otr", "opml")
        if dispute and int(model.value("count")) >= 1:
            tiers.add("dispute")
        if x("stake_usd") > 0 or (dispute and x("challenger_bond_usd") > 0):
            tiers.add("stakes")
        if x("slash_usd") > 0:
            tiers.add("slashing")
        if scheme == "otr":
            tiers.add("tee")
        if 0 < rho < 1:
            tiers.add("random_spot_checks")
        compromise = scheme == "otr" and x("compromised_fraction") > 0 and x("compromise_rate_per_year") > 0 and x("compromise_duration_days") > 0
        values = model.values()
        gas_usd = x("gas_price_gwei") * x("eth_price_usd") / 10**9
        n = Fraction(repr(float(replica_query_rate(values)))) * Fraction(repr(float(values.get("replicas_per_stake", 1))))
        proto = model.protocol
        base = rules or Rules()
        rules = dataclasses.replace(base, **{k: getattr(proto, k) for k in PROTOCOL_RULES if rules is None and hasattr(proto, k)})
        return cls(
            model_name=model.name,
            scheme=scheme,
            loss_convention=model.loss_convention,
            tiers=frozenset(tiers),
            attestation_check=model.protocol.attestation_check,
            randomness_after_commit=model.protocol.randomness_after_commit,
            slash_on_missed_proof=model.protocol.slash_on_missed_proof,
            window_s=x("window_s"),
            round_timeout_s=x("round_timeout_s"),
            rounds=bisection_rounds(int(model.value("trace_steps")), int(model.value("bisection_arity"))),
            settlement_s=x("settlement_s"),
            censorship_s=x("censorship_blocks") * x("block_time_s"),
            attestation_latency_s=x("attestation_latency_s"),
            proof_latency_s=x("proof_latency_s"),
            proof_deadline_s=x("proof_deadline_s"),
            spot_check_rate=rho,
            stake_usd=x("stake_usd"),
            slash_usd=x("slash_usd"),
            reward_share=x("challenger_reward_share"),
            bond_usd=x("challenger_bond_usd"),
            challengers=int(model.value("count")),
            compromise_possible=compromise,
            gains_usd=MappingProxyType({d: x(f) for d, f in DEVIATIONS.items()}),
            margin_usd=x("incentive_margin_usd"),
            rules=rules,
            unbonding_s=x("stake_unbonding_s"),
            open_gas_usd=x("challenge_open_gas") * gas_usd,
            step_gas_usd=x("dispute_step_gas") * gas_usd,
            griefing_ratio=x("griefing_cost_ratio"),
            query_rate=n,
            high_value_gain_usd=Fraction(repr(float(values.get("high_value_gain_usd", 0)))),
            high_value_fraction=Fraction(repr(float(values.get("high_value_fraction", 0)))),
            reentry_usd=Fraction(repr(float(values.get("reentry_cost_usd", 0)))),
            compromise_share=_compromise_share(x("compromised_fraction"), x("compromise_rate_per_year"), x("compromise_duration_days")) if compromise else Fraction(0),
            proposer_bias=x("proposer_bias_bound"),
            self_challenge=bool(getattr(model, "self_challenge", True)),
        )

    @property
    def dispute_bound_s(self) -> Fraction:
        """D = K * R + T_settle: the longest a dispute may last."""
        return self.rounds * self.round_timeout_s + self.settlement_s

    @property
    def verdict_bound_s(self) -> Fraction:
        """V = L_att + max(W, proof deadline) + D: the latest a committed query gets its verdict (ours)."""
        return self.attestation_latency_s + max(self.window_s, self.proof_deadline_s) + self.dispute_bound_s

    @property
    def challenge_lag_s(self) -> Fraction:
        """L_c = C + K R + T: from a challenged query's commitment to its slash (the spec's challenge lag)."""
        return self.censorship_s + self.rounds * self.round_timeout_s + self.settlement_s

    def invalid_finality_bound(self, q: Fraction = Fraction(0)) -> Fraction:
        """P(an invalid result reaches final finality) <= f_c (1 - rho_eff) (1 - q) (ours).

        Theorem 1 proves the event inclusion (an invalid final result needs every tier to miss
        it); with independent tiers the probability is at most the product of their miss
        probabilities: f_c the TEE's compromise share (1 without an attestation gate), rho_eff the
        spot-check rate (0 if the selection can be known before the commitment), q the
        challengers' detection (0 without a dispute game).
        """
        f_c = self.compromise_share if self.attestation_gate else Fraction(1)
        rho = self.effective_selection_rate
        q = q if self.honest_challenger_possible else Fraction(0)
        return f_c * (1 - rho) * (1 - q)

    @property
    def effective_selection_rate(self) -> Fraction:
        """rho_eff: rho, rho (1 - beta) with block-hash randomness, 0 if revealed before the commitment."""
        if not self.randomness_after_commit:
            return Fraction(0)
        if self.rules.randomness_source == "block_hash":
            return self.spot_check_rate * (1 - self.proposer_bias)
        return self.spot_check_rate

    @property
    def required_tiers(self) -> tuple[str, ...]:
        """The tiers the scheme relies on (:data:`REQUIRED_TIERS`)."""
        return REQUIRED_TIERS.get(self.scheme, ())

    @property
    def has_dispute(self) -> bool:
        return "dispute" in self.tiers

    @property
    def attestation_gate(self) -> bool:
        """Provisional finality is gated on the attestation (a TEE scheme that checks it)."""
        return "tee" in self.tiers and self.attestation_check

    @property
    def honest_challenger_possible(self) -> bool:
        """There is a dispute game and at least one challenger to play it."""
        return self.has_dispute and self.challengers >= 1

    def replace(self, **changes) -> Params:
        """A copy with some fields changed (no validation: mutants use it on purpose)."""
        return dataclasses.replace(self, **changes)
