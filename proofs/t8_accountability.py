"""Theorem 8 (accountability: the stake is there when the fraud is proved).

The stake backing a query stays locked until the query's verdict (it cannot be withdrawn while
the query is committed or provisionally final: the unbonding period outlasts the longest time to
a verdict), and a proved fraud -- a dispute won, a failed attestation, a missed proof -- takes
min(S, stake left): the whole slash, or whatever stake the other queries of the window left.

Applies to schemes that slash.
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 8
NAME = "accountability"
TITLE = "Accountability (stake locked to the verdict)"
KIND = "invariant"
REQUIRES = ("slashing",)


def clauses(s, L):
    owed = L.If(s.stake_init >= s.S, s.S, s.stake_init)
    proved = L.Or(s.phase == int(Phase.SLASHED), L.And(s.phase == int(Phase.REJECTED), s.attestation_gate, L.Not(s.att_ok)))
    pending = L.Or(s.phase == int(Phase.COMMITTED), s.phase == int(Phase.PROVISIONAL))
    return [
        ("the stake is not withdrawn before the query's verdict", L.Implies(pending, L.Not(s.withdrawn))),
        ("a proved fraud takes min(S, stake left)", L.Implies(proved, s.slashed == owed)),
    ]
