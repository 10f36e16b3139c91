"""Theorem 1 (validity).

An invalid result never reaches final finality while at least one honest challenger is live for
the window and censorship of its challenge lasts at most the adversary's bound C -- unless a
spot-check or the attestation caught it first (then the query is slashed or rejected, never
final).

Where the scheme has no dispute game or no challengers, nothing is assumed about challengers:
the result must then be kept from finality by the other tiers (a ZK proof of every query) or
the theorem is violated. Applies to every scheme that verifies results at all.
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 1
NAME = "validity"
TITLE = "Validity"
KIND = "invariant"
REQUIRES = ("verification",)


def clauses(s, L):
    assumption = L.Or(s.honest_live, L.Not(s.honest_challenger_possible))
    return [
        (
            "an invalid result never reaches final finality (an honest challenger live where challengers exist)",
            L.Implies(assumption, L.Implies(s.phase == int(Phase.FINAL), s.valid)),
        ),
    ]
