"""Theorem 2 (honest safety, in money).

An honest prover loses nothing: its stake and its balance never decrease (the stake only moves
to its balance when it withdraws it) and it is never slashed -- not by a dispute (whoever opens
it and however it is played, with every one of its moves censored up to the bound), not by a
round timeout, not by a spot-check deadline (its proof censored up to the bound), not by the
attestation check. An honest challenger never loses its bond: whatever it holds is its bond plus
the rewards it earned.

The stake is shared by every query of a window: a query starts with whatever stake the others
left (any amount up to the stake), so a stake that runs out is visible here.

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
        ("an honest prover's stake plus balance never decreases", L.Implies(s.honest, s.stake + s.P_bal >= s.stake_init)),
        ("an honest challenger never loses its bond", s.H.wallet + s.H.lock == s.B + s.H.reward),
    ]
