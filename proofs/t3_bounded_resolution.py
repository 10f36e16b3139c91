"""Theorem 3 (bounded resolution).

Every dispute ends within ceil(log_k N) rounds x round timeout + settlement (D = K R + T) of its
opening, and the window covers it: the honest challenger's challenge, included after at most
the censorship delay, leaves room for a whole dispute before the window closes
(cens + D < W), so final finality never overtakes it.

Applies to schemes with an optimistic window and a bisection dispute game.
"""

from otr_theory.smt.vocabulary import SlotPhase

NUMBER = 3
NAME = "bounded_resolution"
TITLE = "Bounded resolution"
KIND = "invariant"
REQUIRES = ("dispute",)


def clauses(s, L):
    out = []
    for x in s.slots:
        is_open = L.Or(x.ph == int(SlotPhase.ROUNDS), x.ph == int(SlotPhase.ONESTEP))
        out.append((f"dispute {x.name} ends within K*R + T of its opening", L.Implies(is_open, s.t <= x.open + s.D)))
    out.append(
        (
            "the window covers censorship plus a whole dispute",
            L.Implies(L.And(s.honest_live, L.Not(s.valid), s.was_prov), s.cens + s.D < s.W),
        )
    )
    return out
