"""Theorem 6 (spot-check unpredictability).

The spot-check selection randomness is fixed only after the commitment: it is never revealed
before the prover commits, so the prover cannot choose to cheat exactly on the queries that will
not be checked.

Applies to schemes that draw ZK spot-checks at random (0 < rho < 1).
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 6
NAME = "spot_check_unpredictability"
TITLE = "Spot-check unpredictability"
KIND = "invariant"
REQUIRES = ("random_spot_checks",)


def clauses(s, L):
    return [
        ("the randomness is not revealed before the commitment", L.Implies(s.sel_drawn, s.phase != int(Phase.RECEIVED))),
        ("the prover did not know the selection when it committed", L.Not(s.knew_sel)),
    ]
