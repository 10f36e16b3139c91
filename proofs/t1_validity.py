"""Theorem 1 (validity).

An invalid result reaches final finality only if every tier the scheme has missed it: the
attestation (the TEE was compromised, or the scheme checks no attestation), the spot-check (the
query was not selected, or its proof was still pending at finality only if the protocol allows
that) and the challengers (no honest challenger was live for the window). Nothing is assumed
about challengers: where a live honest challenger exists and censorship of its transactions
(the opening, every bisection move and the one-step proof) stays within the bound C, the window
must still leave room for the whole dispute.

Quantitatively (ours): an invalid final result needs a compromised TEE, an unselected query and
no live honest challenger, so with independent tiers
P(invalid result final) <= f_c * (1 - rho_eff) * (1 - q), f_c the probability that the prover's
TEE is compromised (the compromise process), q the challengers' detection at their equilibrium.

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
    return [
        ("an invalid final result got past the attestation only with a compromised TEE",
         L.Implies(invalid_final, L.Or(s.compromised, L.Not(s.attestation_gate)))),
        ("an invalid final result was never selected for a spot-check", L.Implies(invalid_final, L.Not(s.selected))),
        ("an invalid final result had no live honest challenger", L.Implies(invalid_final, L.Not(s.honest_live))),
    ]
