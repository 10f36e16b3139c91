"""Theorem 2 (honest safety).

An honest prover is never slashed -- not by a dispute (whoever opens it and however it is
played), not by a round timeout, not by a spot-check deadline, not by the attestation check --
and an honest challenger never loses its bond: whatever it holds is its bond plus the rewards
it earned.

Applies to every scheme that locks value (a stake or bonds).
"""

NUMBER = 2
NAME = "honest_safety"
TITLE = "Honest safety"
KIND = "invariant"
REQUIRES = ("stakes",)


def clauses(s, L):
    return [
        ("an honest prover is never slashed", L.Implies(s.honest, s.slashed == 0)),
        ("an honest challenger never loses its bond", s.H.wallet + s.H.lock == s.B + s.H.reward),
    ]
