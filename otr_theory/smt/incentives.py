"""Incentive compatibility over a box of parameters: z3 nonlinear real arithmetic, checked twice.

Theorem 7 (``proofs/t7_incentive_compatibility.py``) states, per deviation d, a payoff
:math:`\\pi_d(x)` relative to honesty and asks :math:`\\pi_d(x) \\le -m` for every point x of a
box. z3 decides the negation (``exists x in box: some pi_d(x) > -m``) in nonlinear real
arithmetic: ``unsat`` proves the box, a model is a counterexample point.

Independent check (ours): each :math:`\\pi_d` of the core model is *multilinear* in the box's
coordinates (:math:`(1-\\rho)(1-q)G` and :math:`(1-(1-\\rho)(1-q))S` have degree at most one in each
of rho, q, G and S), so its maximum over a box is attained at a vertex. :func:`vertex_check`
evaluates the same property at every vertex in exact rational arithmetic (no z3); its verdict
must agree with z3's, and a z3 counterexample must violate the property when the property is
evaluated in Python at that point. A disagreement makes the result *unknown*, never proved.

The declared box (:func:`declared_box`): each deviation's gain in ``[0, declared gain]``, the
challengers' monitoring probability q in ``[0, 1]``, rho and S at their declared values, the TEE
intact or (where compromise is possible) compromised. Callers may widen rho and S
(:func:`check_box` takes any box), e.g. to certify a parameter region.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import z3

from otr_theory.smt.params import DEVIATIONS, Params
from otr_theory.smt.prover import Budget
from otr_theory.smt.vocabulary import PY, Z3

__all__ = ["BoxPoint", "BoxOutcome", "declared_box", "check_box", "vertex_check"]

Box = Mapping[str, tuple[Fraction, Fraction]]
"""Intervals by coordinate: ``q``, ``rho``, ``S`` and ``gain:<deviation>``."""


class BoxPoint:
    """A point of the box, as the theorem's ``payoff`` reads it (z3 terms or Fractions)."""

    def __init__(self, p: Params, coords: Mapping[str, Any], compromised: Any):
        self.q = coords["q"]
        self.rho = coords["rho"]
        self.S = coords["S"]
        self.gain = {d: coords[f"gain:{d}"] for d in DEVIATIONS}
        self.margin = p.margin_usd
        self.compromised = compromised
        self.loss_convention = p.loss_convention
        self.randomness_after_commit = p.randomness_after_commit
        self.slash_on_missed_proof = p.slash_on_missed_proof
        self.attestation_gate = p.attestation_gate
        self.randomness_unpredictable = p.randomness_after_commit
        self.selection_share = 1 - p.proposer_bias if p.rules.randomness_source == "block_hash" else 1
        # over time (the lead's spec, ours): one stake shared by every query of the window
        self.n = p.query_rate
        self.lag_spot = p.proof_deadline_s
        self.lag_challenge = p.challenge_lag_s
        self.a = p.reward_share
        self.self_challenge = p.self_challenge
        self.stake = p.stake_usd
        self.high_value_gain = p.high_value_gain_usd
        self.high_value_fraction = p.high_value_fraction
        self.franchise = p.reentry_usd


@dataclasses.dataclass(frozen=True)
class BoxOutcome:
    """What the box check found.

    ``status``: ``proved``, ``violated`` or ``unknown``; ``point``: a counterexample's coordinates
    (exact), with ``compromised`` and the violated clauses and payoffs (the box's tightest vertex
    when it violates, with z3's own point under ``z3_witness``); ``worst``: the vertex with
    the largest payoff + margin (the tightest point), as a dict; ``note``: the cross-check.
    """

    status: str
    point: Mapping[str, Any] | None
    worst: Mapping[str, Any]
    note: str


def declared_box(p: Params) -> dict[str, tuple[Fraction, Fraction]]:
    """The box of theorem 7 for the model's declared values (see the module docstring)."""
    box = {"q": (Fraction(0), Fraction(1)), "rho": (p.spot_check_rate,) * 2, "S": (p.slash_usd,) * 2}
    for d, g in p.gains_usd.items():
        box[f"gain:{d}"] = (Fraction(0), g)
    return box


def _tee_states(p: Params) -> tuple[bool, ...]:
    return (False, True) if p.compromise_possible else (False,)


def vertex_check(p: Params, clauses: Callable, payoff: Callable, box: Box) -> tuple[bool, dict]:
    """(every vertex satisfies every clause, the tightest vertex), in exact arithmetic."""
    names = sorted(box)
    worst: dict | None = None
    ok = True
    for corner in itertools.product(*[sorted(set(box[n])) for n in names]):
        coords = dict(zip(names, corner))
        for comp in _tee_states(p):
            x = BoxPoint(p, coords, comp)
            for _label, holds in clauses(x, PY):
                ok = ok and bool(holds)
            for d in DEVIATIONS:
                pay = payoff(x, d, PY)
                slack = pay + p.margin_usd
                if worst is None or slack >= worst["slack"]:  # ties: the later vertex (gains at their highest)
                    worst = {"deviation": d, "payoff": pay, "slack": slack, "compromised": comp, **coords}
    return ok, worst or {}


def check_box(p: Params, clauses: Callable, payoff: Callable, box: Box | None = None, budget: Budget = Budget()) -> BoxOutcome:
    """Decide theorem 7's clauses over ``box`` with z3 and cross-check by vertices.

    Parameters
    ----------
    p : Params
    clauses : callable
        ``clauses(point, logic) -> [(label, condition), ...]`` from the theorem's file.
    payoff : callable
        ``payoff(point, deviation, logic)`` from the theorem's file (for the cross-check's report).
    box : mapping, optional
        Intervals for ``q``, ``rho``, ``S`` and ``gain:<deviation>``; the declared box if omitted.
    budget : Budget

    Returns
    -------
    BoxOutcome
    """
    box = dict(declared_box(p) if box is None else box)
    for name, (lo, hi) in box.items():
        if lo > hi:
            raise ValueError(f"box.{name}: low {lo} must be <= high {hi}")
    var = {n: z3.Real(f"box_{n}") for n in box}
    comp = z3.Bool("box_compromised")
    solver = budget.solver()
    for n, (lo, hi) in box.items():
        solver.add(var[n] >= z3.RealVal(lo), var[n] <= z3.RealVal(hi))
    if not p.compromise_possible:
        solver.add(z3.Not(comp))
    x = BoxPoint(p, var, comp)
    labelled = clauses(x, Z3)
    solver.add(z3.Or([z3.Not(c) for _, c in labelled]))
    answer = solver.check()
    vertices_ok, worst = vertex_check(p, clauses, payoff, box)
    if answer == z3.unsat:
        if vertices_ok:
            return BoxOutcome("proved", None, worst, "every vertex of the box satisfies it too (exact arithmetic)")
        return BoxOutcome("unknown", None, worst, "z3 said unsat but a vertex violates it: the verdicts disagree")
    if answer == z3.sat:
        m = solver.model()
        point: dict[str, Any] = {}
        for n, v in var.items():
            val = m.eval(v, model_completion=True)
            if not z3.is_rational_value(val):
                return BoxOutcome("unknown", None, worst, f"z3's counterexample has an irrational coordinate {n}")
            point[n] = Fraction(val.numerator_as_long(), val.denominator_as_long())
        compromised = z3.is_true(m.eval(comp, model_completion=True))
        xp = BoxPoint(p, point, compromised)
        violated = [label for label, holds in clauses(xp, PY) if not holds]
        payoffs = {d: payoff(xp, d, PY) for d in DEVIATIONS}
        out = {**point, "compromised": compromised, "violated": tuple(violated), "payoffs": payoffs}
        if violated and worst["slack"] > 0:
            # the tightest vertex is the clearest counterexample; z3's own point is kept as its witness
            vx = {k: v for k, v in worst.items() if k in box}
            xv = BoxPoint(p, vx, worst["compromised"])
            shown = {
                **vx,
                "compromised": worst["compromised"],
                "violated": tuple(label for label, holds in clauses(xv, PY) if not holds),
                "payoffs": {d: payoff(xv, d, PY) for d in DEVIATIONS},
                "z3_witness": out,
            }
            return BoxOutcome("violated", shown, worst, "z3 found a violating point; shown is the box's tightest vertex, both violate the property when evaluated in Python (exact)")
        if violated:
            return BoxOutcome("violated", out, worst, "the point violates the property when evaluated in Python (exact)")
        return BoxOutcome("unknown", out, worst, "z3's counterexample does not violate the property in Python: the verdicts disagree")
    return BoxOutcome("unknown", None, worst, f"z3 returned unknown ({solver.reason_unknown()})")
