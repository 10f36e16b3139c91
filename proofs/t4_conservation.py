"""Theorem 4 (conservation).

Slashed value = rewards paid + value burned, with neither negative, and no slash takes more than
the stake left for the query (the stake is shared by the queries of a window). No value is
created or lost over every account of the ledger: the prover's stake and balance, the
challengers' locked bonds and wallets and everything burned always sum to what was deposited,
and no account goes negative. (Gas is paid to the chain from outside the ledger and is counted
by theorem 9.)

Applies to every scheme that locks value (a stake or bonds).
"""

NUMBER = 4
NAME = "conservation"
TITLE = "Conservation"
KIND = "invariant"
REQUIRES = ("stakes",)


def clauses(s, L):
    held = L.Sum(s.stake, s.P_bal, *[x.lock + x.wallet for x in s.slots], s.burned_slash, s.burned_bond)
    return [
        ("slashed = rewards paid + burned", s.slashed == s.rewards + s.burned_slash),
        ("rewards and burns are not negative", L.And(s.rewards >= 0, s.burned_slash >= 0, s.burned_bond >= 0)),
        ("no slash exceeds the stake left", s.slashed <= s.stake_init),
        ("no value is created or lost", held == s.stake_init + 2 * s.B),
        ("no account is negative", L.And(s.stake >= 0, s.P_bal >= 0, *[L.And(x.lock >= 0, x.wallet >= 0) for x in s.slots])),
    ]
