"""Theorem 9 (griefing costs the griefer).

Against an honest prover, a challenger who loses its dispute -- by a timeout, at the one-step
check, or because the window closed first -- has spent at least the declared ratio r times what
it made the prover spend: its gas (opening and bisection moves, at the model's gas price) plus
the bond it forfeited >= r x the prover's gas in that dispute. So the bond means something
beyond being positive: it prices a frivolous challenge.

Applies to schemes with a bisection dispute game and locked value.
"""

from otr_theory.smt.vocabulary import SlotPhase

NUMBER = 9
NAME = "griefing_cost"
TITLE = "Griefing costs the griefer"
KIND = "invariant"
REQUIRES = ("dispute", "stakes")


def clauses(s, L):
    out = []
    for x in s.slots:
        lost = L.And(s.honest, x.ph == int(SlotPhase.LOST))
        spent = x.gas + (s.B - x.wallet)
        out.append((f"a lost dispute {x.name} cost its challenger >= ratio x the honest prover's gas", L.Implies(lost, spent >= s.ratio * x.pgas)))
    return out
