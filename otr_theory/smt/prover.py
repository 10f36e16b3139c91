"""Proof engines over a :class:`~otr_theory.smt.system.System`: Houdini, k-induction, BMC.

* :func:`houdini` -- the largest inductive subset of candidate invariants (Flanagan and Leino
  2001): drop every candidate false in an initial state, then, while some successor of a state
  satisfying all remaining candidates falsifies one, drop those it falsifies. What remains is an
  inductive invariant: ``Init => I`` and ``I and T => I'`` are both checked again by a fresh
  solver (the certificate). A theorem whose clauses all remain is proved, unboundedly.
* :func:`bmc` -- bounded model checking from the initial states, frame by frame, to a depth; a
  satisfying assignment is a counterexample trace.
* :func:`k_induction` -- the step case of k-induction (Sheeran, Singh and Stalmarck 2000)
  strengthened by the proved invariants: ``I(s_0..s_k), P(s_0..s_{k-1}), T* => P(s_k)``; with the
  base case from :func:`bmc` it proves P for every depth.

Only ``unsat`` is evidence of a proof. A solver answer of ``unknown`` (a timeout, a resource
limit) never proves anything: Houdini drops the candidate, a certificate that cannot be
re-checked is discarded, and BMC or k-induction report unknown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import z3

from otr_theory.smt.system import CODE_ACTIONS, FIELD_SORTS, System

__all__ = ["Budget", "Trace", "houdini", "bmc", "k_induction", "frame_values", "step_inputs"]

Pred = tuple[str, Callable[[Any, Any], Any]]


@dataclasses.dataclass(frozen=True)
class Budget:
    """Solver limits for every query: a wall-clock timeout (ms) and/or z3's resource limit."""

    timeout_ms: int | None = None
    rlimit: int | None = None

    def solver(self) -> z3.Solver:
        s = z3.Solver()
        if self.timeout_ms is not None:
            s.set("timeout", int(self.timeout_ms))
        if self.rlimit is not None:
            s.set("rlimit", int(self.rlimit))
        return s


@dataclasses.dataclass(frozen=True)
class Trace:
    """A path found by BMC: frame values and the inputs of each step, as Python values."""

    frames: tuple[dict[str, Any], ...]
    inputs: tuple[dict[str, Any], ...]


def _val(v: z3.ExprRef, sort: str) -> Any:
    if sort == "bool":
        return z3.is_true(v)
    if sort == "int":
        return v.as_long()
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    raise ValueError(f"not a rational value: {v}")  # pragma: no cover - linear models are rational


def frame_values(m: z3.ModelRef, frame: dict[str, z3.ExprRef]) -> dict[str, Any]:
    """The values of a frame's fields in model ``m``."""
    return {f: _val(m.eval(frame[f], model_completion=True), FIELD_SORTS[f]) for f in frame}


def step_inputs(m: z3.ModelRef, inputs: dict[str, z3.ExprRef]) -> dict[str, Any]:
    """The inputs of one step in model ``m``: the action and its arguments."""
    code = m.eval(inputs["act"], model_completion=True).as_long()
    kind, slot = CODE_ACTIONS[code]
    vals = {
        "kind": kind,
        "slot": slot,
        "delta": _val(m.eval(inputs["delta"], model_completion=True), "real"),
        "j": m.eval(inputs["j"], model_completion=True).as_long(),
    }
    for b in ("v", "aok", "sel", "win"):
        vals[b] = z3.is_true(m.eval(inputs[b], model_completion=True))
    return vals


def houdini(system: System, candidates: Sequence[Pred], budget: Budget = Budget()) -> tuple[list[str], dict]:
    """The names of the largest inductive subset of ``candidates``, and statistics.

    The subset is re-checked as a whole by fresh solvers; if that check is not ``unsat`` the
    result is empty (nothing proved).
    """
    s0, i0, s1 = system.frame("h0"), system.inputs("h0"), system.frame("h1")
    names = [n for n, _ in candidates]
    c0 = [system.holds(fn, s0) for _, fn in candidates]
    c1 = [system.holds(fn, s1) for _, fn in candidates]
    lits = [z3.Bool(f"__cand_{k}") for k in range(len(candidates))]
    alive = [True] * len(candidates)
    stats = {"candidates": len(candidates), "iterations": 0, "unknown": 0}

    def assumptions() -> list:
        return [lit if a else z3.Not(lit) for lit, a in zip(lits, alive)]

    # initiation
    init = budget.solver()
    init.add(system.init(s0))
    init.add(z3.Or([z3.And(lit, z3.Not(c)) for lit, c in zip(lits, c0)]))
    while any(alive):
        r = init.check(assumptions())
        stats["iterations"] += 1
        if r == z3.unsat:
            break
        if r == z3.sat:
            m = init.model()
            for k in range(len(alive)):
                if alive[k] and z3.is_false(m.eval(c0[k], model_completion=True)):
                    alive[k] = False
            continue
        stats["unknown"] += 1
        alive = [False] * len(alive)
    # consecution
    step = budget.solver()
    step.add(system.trans(s0, i0, s1))
    for lit, c in zip(lits, c0):
        step.add(z3.Implies(lit, c))
    step.add(z3.Or([z3.And(lit, z3.Not(c)) for lit, c in zip(lits, c1)]))
    while any(alive):
        r = step.check(assumptions())
        stats["iterations"] += 1
        if r == z3.unsat:
            break
        if r == z3.sat:
            m = step.model()
            dropped = False
            for k in range(len(alive)):
                if alive[k] and z3.is_false(m.eval(c1[k], model_completion=True)):
                    alive[k] = False
                    dropped = True
            if not dropped:  # pragma: no cover - the goal forces one
                alive = [False] * len(alive)
            continue
        stats["unknown"] += 1
        alive = [False] * len(alive)
    kept = [names[k] for k in range(len(names)) if alive[k]]
    if kept and not _certificate(system, [candidates[k][1] for k in range(len(names)) if alive[k]], budget):
        stats["unknown"] += 1
        kept = []
    stats["kept"] = len(kept)
    return kept, stats


def _certificate(system: System, fns: Sequence[Callable], budget: Budget) -> bool:
    """Init => I and I and T => I', each by a fresh solver: True only if both are unsat."""
    s0, i0, s1 = system.frame("c0"), system.inputs("c0"), system.frame("c1")
    inv0 = z3.And([system.holds(fn, s0) for fn in fns])
    inv1 = z3.And([system.holds(fn, s1) for fn in fns])
    a = budget.solver()
    a.add(system.init(s0), z3.Not(inv0))
    if a.check() != z3.unsat:
        return False
    b = budget.solver()
    b.add(inv0, system.trans(s0, i0, s1), z3.Not(inv1))
    return b.check() == z3.unsat


def bmc(
    system: System,
    prop: Callable[[Any, Any], Any],
    depth: int,
    *,
    invariants: Sequence[Callable] = (),
    budget: Budget = Budget(),
) -> tuple[str, int, Trace | None]:
    """Search for a path from an initial state to a state violating ``prop``, up to ``depth`` steps.

    Returns ``("violated", d, trace)``, ``("clean", depth, None)`` (no violation up to the depth)
    or ``("unknown", d, None)`` (the solver could not decide depth ``d``). Proved
    ``invariants`` are asserted on every frame (they hold in every reachable state).
    """
    solver = budget.solver()
    frames = [system.frame("b0")]
    inputs: list[dict] = []
    solver.add(system.init(frames[0]))
    for fn in invariants:
        solver.add(system.holds(fn, frames[0]))
    for d in range(depth + 1):
        r = solver.check(z3.Not(system.holds(prop, frames[d])))
        if r == z3.sat:
            m = solver.model()
            return "violated", d, Trace(tuple(frame_values(m, f) for f in frames), tuple(step_inputs(m, i) for i in inputs))
        if r != z3.unsat:
            return "unknown", d, None
        if d == depth:
            break
        i, n = system.inputs(f"b{d}"), system.frame(f"b{d + 1}")
        solver.add(system.trans(frames[d], i, n))
        for fn in invariants:
            solver.add(system.holds(fn, n))
        frames.append(n)
        inputs.append(i)
    return "clean", depth, None


def k_induction(
    system: System,
    prop: Callable[[Any, Any], Any],
    k: int,
    *,
    invariants: Sequence[Callable] = (),
    budget: Budget = Budget(),
) -> str:
    """The k-induction step: ``"unsat"`` (P is k-inductive relative to the invariants), ``"sat"`` or ``"unknown"``."""
    solver = budget.solver()
    frames = [system.frame(f"k{j}") for j in range(k + 1)]
    for j, f in enumerate(frames):
        for fn in invariants:
            solver.add(system.holds(fn, f))
        if j < k:
            solver.add(system.holds(prop, f))
            solver.add(system.trans(f, system.inputs(f"k{j}"), frames[j + 1]))
    solver.add(z3.Not(system.holds(prop, frames[k])))
    r = solver.check()
    return "unsat" if r == z3.unsat else "sat" if r == z3.sat else "unknown"
