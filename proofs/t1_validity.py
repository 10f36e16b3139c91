"""Theorem 1 (validity).

An invalid result reaches final finality only if every tier the scheme has missed it: the
attestation (the TEE was compromised, or the scheme checks no attestation), the spot-check (the
query was not selected, or its proof was still pending at finality only if the protocol allows
that) and the challengers (no honest challenger was live for the window). Nothing is assumed
about challengers: where a live honest challenger exists and censorship of its transactions
(the opening, every bisection move and the one-step proof) stays within the bound C, the window
must still leave room for the whole dispute.

And at least one tier must have *failed* (a compromised TEE, an honest challenger that could
exist but was not live, a spot-check that could select the query but did not): a scheme in
which an invalid result reaches final finality with no tier failing (no TEE, no spot-checks, no
challengers: Proof-of-Quality) violates validity.

Quantitatively (ours): an invalid final result needs every tier to miss it, so with independent
tiers P(invalid result final) <= f_c * (1 - rho_eff) * (1 - q), f_c the probability that the
prover's TEE is compromised (the compromise process; 1 without a TEE), q the challengers'
detection at their equilibrium (0 without challengers); the bound is below 1 exactly when the
first clause holds.

Applies to every scheme that verifies results at all.
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 1
NAME = "validity"
TITLE = "Validity"
KIND = "invariant"
REQUIRES = ("verification",)


def clauses(s, L):
    invalid_final = L.And(s.phase == int(Phase.FINAL), L.Not(s.valid))
    some_tier_failed = L.Or(
        s.compromised,
        L.And(s.honest_challenger_possible, L.Not(s.honest_live)),
        L.And(s.spot_checks_possible, L.Not(s.selected)),
    )
    return [
        ("an invalid result reaches final finality only through the failure of some tier", L.Implies(invalid_final, some_tier_failed)),
        ("an invalid final result got past the attestation only with a compromised TEE", L.Implies(invalid_final, L.Or(s.compromised, L.Not(s.attestation_gate)))),
        ("an invalid final result was never selected for a spot-check", L.Implies(invalid_final, L.Not(s.selected))),
        ("an invalid final result had no live honest challenger", L.Implies(invalid_final, L.Not(s.honest_live))),
    ]
