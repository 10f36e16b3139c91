"""Theorem 4 (conservation).

Slashed value = rewards paid + value burned, with neither negative; no value is created or lost:
the prover's stake, the challengers' locked bonds and wallets and everything burned always sum to
what was deposited, and no account goes negative.

Applies to every scheme that locks value (a stake or bonds).
"""

NUMBER = 4
NAME = "conservation"
TITLE = "Conservation"
KIND = "invariant"
REQUIRES = ("stakes",)


def clauses(s, L):
    held = L.Sum(s.stake, *[x.lock + x.wallet for x in s.slots], s.burned_slash, s.burned_bond)
    return [
        ("slashed = rewards paid + burned", s.slashed == s.rewards + s.burned_slash),
        ("rewards and burns are not negative", L.And(s.rewards >= 0, s.burned_slash >= 0, s.burned_bond >= 0)),
        ("no value is created or lost", held == s.stake0 + 2 * s.B),
        ("no account is negative", L.And(s.stake >= 0, *[L.And(x.lock >= 0, x.wallet >= 0) for x in s.slots])),
    ]
