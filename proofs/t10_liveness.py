"""Theorem 10 (liveness: a verdict by a known time).

Every committed query reaches a verdict (final, slashed or rejected) within
V = L_att + max(W, proof deadline) + D of its commitment: provisional finality after the
attestation check, then the window or a demanded proof's deadline, plus the longest dispute
D = K R + T -- under the modelled censorship (every move delayed up to C), whatever the
adversary does.

Applies to every scheme that verifies results at all.
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 10
NAME = "liveness"
TITLE = "Liveness (verdict latency)"
KIND = "invariant"
REQUIRES = ("verification",)


def clauses(s, L):
    pending = L.Or(s.phase == int(Phase.COMMITTED), s.phase == int(Phase.PROVISIONAL))
    return [("a committed query has its verdict by t_commit + V", L.Implies(pending, s.t <= s.t_commit + s.V))]
