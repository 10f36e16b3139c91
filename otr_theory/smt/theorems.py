"""The theorems of ``proofs/`` and the property checker that proves or refutes them on a model.

Each file ``proofs/t<N>_<name>.py`` states one theorem: its statement in words (the module
docstring) and its property in code -- ``clauses(view, logic)`` returning labelled conditions,
``KIND`` (``invariant``: a safety invariant of the transition system; ``box``: a condition over a
box of parameters) and ``REQUIRES`` (the protocol tiers it is about, :data:`TIERS`). The files
do not mention any protocol's numbers, so they do not change when a protocol or its parameters
change. They ship in the wheel as ``otr_theory/_proofs`` and are read from a source checkout's
``proofs/`` otherwise.

:func:`check` decides every theorem on one model:

1. a theorem whose tier the scheme lacks is *not applicable* (e.g. attestation binding for a
   scheme without a TEE), and says which tier -- unless the scheme relies on that tier
   (:data:`~otr_theory.smt.params.REQUIRED_TIERS`: OTR relies on attestation, challenge and
   slashing, spot-checks): a model that switches off or zeroes a relied-on tier (slash 0, no
   challengers, rho 0, ...) makes the theorem **violated**, with the reason, never a pass;
2. invariants: the theorems' clauses and the candidate lemmas of
   :mod:`otr_theory.smt.lemmas` go through Houdini; a theorem whose clauses all survive is
   **proved by an inductive invariant** (unbounded), confirmed per theorem by a relative
   induction query (``Init => P`` and ``I and T => P'``);
3. otherwise BMC searches for a counterexample to ``depth`` steps, which is replayed through the
   interpreter (:mod:`otr_theory.smt.counterexample`): **violated** only if it replays; with no
   counterexample, k-induction (k <= ``k_max``) may still prove it; else **unknown** (bounded to
   the depth, not proved);
4. box theorems: z3 nonlinear real arithmetic over the box, cross-checked at every vertex
   (:mod:`otr_theory.smt.incentives`).

A solver ``unknown`` or timeout anywhere makes the theorem unknown, never proved. Results carry
the method (which kind of proof), the solver's version and the time taken.
"""

from __future__ import annotations

import dataclasses
import time
import types
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import z3

from otr_theory.model import Model
from otr_theory.smt.counterexample import Counterexample, fmt_usd, replay_trace
from otr_theory.smt.incentives import check_box, declared_box
from otr_theory.smt.interpreter import initial_state
from otr_theory.smt.lemmas import CANDIDATES
from otr_theory.smt.params import Params
from otr_theory.smt.prover import Budget, bmc, houdini, k_induction
from otr_theory.smt.system import System
from otr_theory.smt.views import python_view
from otr_theory.smt.vocabulary import PY, TIERS

__all__ = [
    "Theorem",
    "TheoremResult",
    "CheckReport",
    "TheoremFileError",
    "STATUSES",
    "load_theorems",
    "check",
    "solver_version",
    "proofs_root",
    "invariant_predicates",
    "applicable_invariants",
]

STATUSES = ("proved", "violated", "unknown", "not applicable")
KINDS = ("invariant", "box")


class TheoremFileError(ValueError):
    """A file in proofs/ does not define a theorem properly (names the file and the field)."""


@dataclasses.dataclass(frozen=True)
class Theorem:
    """One theorem, as read from its file in proofs/."""

    number: int
    name: str
    title: str
    statement: str
    kind: str
    requires: tuple[str, ...]
    clauses: Callable[[Any, Any], list]
    payoff: Callable | None
    file: str


@dataclasses.dataclass(frozen=True)
class TheoremResult:
    """The verdict on one theorem.

    ``status`` is one of :data:`STATUSES`; ``method`` says which kind of proof or search gave it
    (inductive invariant, k-induction with k, bounded to depth d, nonlinear box); ``detail``
    adds what was found; ``seconds`` is wall time (for the CLI and JUnit, not the report).
    """

    number: int
    name: str
    title: str
    statement: str
    status: str
    method: str
    detail: str
    counterexample: Counterexample | None
    solver: str
    seconds: float

    @property
    def unbounded(self) -> bool:
        """Proved for every depth (an inductive invariant, k-induction or a box proof)."""
        return self.status == "proved"


@dataclasses.dataclass(frozen=True)
class CheckReport:
    """Every theorem's verdict on one model, with the shared strengthening's statistics."""

    model_name: str
    scheme: str
    results: tuple[TheoremResult, ...]
    solver: str
    strengthening: Mapping[str, Any]
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 all proved or not applicable; 1 some theorem violated (or a relied-on tier missing); 3 some unknown (and none violated)."""
        statuses = {r.status for r in self.results}
        if "violated" in statuses:
            return 1
        if "unknown" in statuses:
            return 3
        return 0

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}

    def to_text(self, source: str = "") -> str:
        """What ``otr-analyze check`` prints (:func:`otr_theory.smt.text.check_text`)."""
        from otr_theory.smt.text import check_text

        return check_text(self, source=source)

    def _repr_html_(self) -> str:
        """The verdicts as an HTML table in Jupyter (:func:`otr_theory.smt.text.check_html`)."""
        from otr_theory.smt.text import check_html

        return check_html(self)


def solver_version() -> str:
    """``z3 <version>``."""
    return f"z3 {z3.get_version_string()}"


def proofs_root() -> Path:
    """Where the theorem files are: in the wheel (``otr_theory/_proofs``) or a source checkout."""
    packaged = resources.files("otr_theory") / "_proofs"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "proofs"


def load_theorems(root: Path | None = None) -> tuple[Theorem, ...]:
    """Every theorem file ``t*.py`` under ``root`` (default :func:`proofs_root`), by number.

    Raises
    ------
    TheoremFileError
        A file lacks a field, has a bad KIND or REQUIRES, or two files share a number.

    Examples
    --------
    >>> [t.name for t in load_theorems()][:3]
    ['validity', 'honest_safety', 'bounded_resolution']
    """
    root = proofs_root() if root is None else Path(root)
    out: dict[int, Theorem] = {}
    for path in sorted(root.glob("t*.py")):
        module = types.ModuleType(f"otr_theory._proofs.{path.stem}")
        module.__file__ = str(path)
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)  # noqa: S102 - our own files
        ns = module.__dict__
        for field in ("NUMBER", "NAME", "TITLE", "KIND", "REQUIRES", "clauses"):
            if field not in ns:
                raise TheoremFileError(f"{path.name}: {field} is missing")
        if ns["KIND"] not in KINDS:
            raise TheoremFileError(f"{path.name}: KIND must be one of {', '.join(KINDS)} (got {ns['KIND']!r})")
        unknown = [t for t in ns["REQUIRES"] if t not in TIERS]
        if unknown:
            raise TheoremFileError(f"{path.name}: REQUIRES names unknown tiers {unknown}; known: {', '.join(TIERS)}")
        if ns["KIND"] == "box" and "payoff" not in ns:
            raise TheoremFileError(f"{path.name}: a box theorem must define payoff(point, deviation, logic)")
        n = int(ns["NUMBER"])
        if n in out:
            raise TheoremFileError(f"{path.name}: NUMBER {n} is also {out[n].file}")
        out[n] = Theorem(
            number=n,
            name=ns["NAME"],
            title=ns["TITLE"],
            statement=(module.__doc__ or "").strip(),
            kind=ns["KIND"],
            requires=tuple(ns["REQUIRES"]),
            clauses=ns["clauses"],
            payoff=ns.get("payoff"),
            file=path.name,
        )
    return tuple(out[k] for k in sorted(out))


def _clause_preds(th: Theorem, p: Params) -> list[tuple[str, Callable]]:
    labels = [label for label, _ in th.clauses(python_view(p, initial_state(p)), PY)]
    return [(f"theorem {th.number}: {label}", (lambda idx: lambda s, L: th.clauses(s, L)[idx][1])(i)) for i, label in enumerate(labels)]


def applicable_invariants(p: Params, theorems: Sequence[Theorem] | None = None) -> list[Theorem]:
    """The invariant theorems whose tiers ``p`` has."""
    theorems = load_theorems() if theorems is None else theorems
    return [th for th in theorems if th.kind == "invariant" and set(th.requires) <= p.tiers]


def invariant_predicates(p: Params, theorems: Sequence[Theorem] | None = None) -> list[tuple[str, Callable]]:
    """Every clause of every invariant theorem applicable to ``p``, as ``(label, fn(view, logic))``.

    >>> from otr_theory.model import load_model
    >>> len(invariant_predicates(Params.from_model(load_model())))
    24
    """
    theorems = load_theorems() if theorems is None else theorems
    return [c for th in theorems if th.kind == "invariant" and set(th.requires) <= p.tiers for c in _clause_preds(th, p)]


def _conj(th: Theorem) -> Callable:
    def prop(s: Any, L: Any) -> Any:
        return L.And(*[c for _, c in th.clauses(s, L)])

    return prop


def _relative_induction(system: System, prop: Callable, invariants: Sequence[Callable], budget: Budget) -> bool:
    """Init => P and I and T => P', each unsat by a fresh solver."""
    s0, i0, s1 = system.frame("r0"), system.inputs("r0"), system.frame("r1")
    a = budget.solver()
    a.add(system.init(s0), z3.Not(system.holds(prop, s0)))
    if a.check() != z3.unsat:
        return False
    b = budget.solver()
    for fn in invariants:
        b.add(system.holds(fn, s0))
    b.add(system.trans(s0, i0, s1), z3.Not(system.holds(prop, s1)))
    return b.check() == z3.unsat


def check(
    model: Model | Params,
    *,
    depth: int = 16,
    k_max: int = 3,
    budget: Budget = Budget(),
    theorems: Sequence[Theorem] | None = None,
    box: Mapping | None = None,
) -> CheckReport:
    """Prove or refute every theorem on ``model`` (see the module docstring).

    Parameters
    ----------
    model : Model or Params
        A validated model, or exact parameters (mutants build these directly).
    depth : int
        BMC depth for counterexample search when a theorem is not proved inductively.
    k_max : int
        Largest k tried by k-induction.
    budget : Budget
        Solver timeout and/or resource limit for every query (a query that exhausts it is unknown).
    theorems : sequence of Theorem, optional
        Default: every theorem of :func:`load_theorems`.
    box : mapping, optional
        The box of theorem 7 (default: the declared box).

    Returns
    -------
    CheckReport

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> report = check(load_model())
    >>> [r.status for r in report.results][6], report.exit_code  # theorem 7 over time; the other nine proved
    ('violated', 1)
    """
    start = time.perf_counter()
    p = model if isinstance(model, Params) else Params.from_model(model)
    theorems = load_theorems() if theorems is None else tuple(theorems)
    solver = solver_version()
    system = System(p)
    applicable = [th for th in theorems if set(th.requires) <= p.tiers]
    inv_ths = [th for th in applicable if th.kind == "invariant"]
    preds = {th.number: _clause_preds(th, p) for th in inv_ths}
    cands = list(CANDIDATES) + [c for th in inv_ths for c in preds[th.number]]
    t0 = time.perf_counter()
    kept_names, stats = houdini(system, cands, budget) if inv_ths else ([], {"candidates": 0, "iterations": 0, "unknown": 0, "kept": 0})
    kept = set(kept_names)
    kept_fns = [fn for name, fn in cands if name in kept]
    n_lemmas = sum(1 for name, _ in CANDIDATES if name in kept)
    strengthening = {
        "method": "Houdini",
        "candidate_lemmas": len(CANDIDATES),
        "lemmas_kept": n_lemmas,
        "iterations": stats["iterations"],
        "seconds": time.perf_counter() - t0,
    }
    results = []
    for th in theorems:
        t1 = time.perf_counter()
        missing = [t for t in th.requires if t not in p.tiers]
        relied = [t for t in missing if t in p.required_tiers]
        if relied:
            why = " and ".join(TIERS[t] for t in relied)
            res = (
                "violated",
                "required tier missing",
                f"scheme '{p.scheme}' relies on {why}, which this model switches off or zeroes ({tier_reason(p, relied)})",
                None,
            )
        elif missing:
            why = " and no ".join(TIERS[t] for t in missing)
            res = ("not applicable", "tier missing", f"scheme '{p.scheme}' has no {why}", None)
        elif th.kind == "box":
            res = _check_box_theorem(th, p, box, budget)
        else:
            res = _check_invariant(th, p, system, preds[th.number], kept, kept_fns, n_lemmas, depth, k_max, budget)
        status, method, detail, cex = res
        if th.name == "validity" and status == "proved":
            b0 = p.invalid_finality_bound(Fraction(0))
            detail += f"; hence P(invalid result final) <= f_c (1 - rho)(1 - q) = {float(b0):.3g} with nobody monitoring (f_c = {float(p.compromise_share if p.attestation_gate else 1):.3g})"
        results.append(TheoremResult(th.number, th.name, th.title, th.statement, status, method, detail, cex, solver, time.perf_counter() - t1))
    return CheckReport(p.model_name, p.scheme, tuple(results), solver, strengthening, time.perf_counter() - start)


def tier_reason(p: Params, tiers: Sequence[str]) -> str:
    """What in the model switches off each of ``tiers`` (for the verdict's detail)."""
    why = {
        "verification": "the scheme verifies nothing",
        "stakes": f"stake = {_num(p.stake_usd)} and bond = {_num(p.bond_usd)}",
        "slashing": f"slash = {_num(p.slash_usd)}",
        "dispute": f"challengers = {p.challengers}",
        "tee": "no TEE",
        "random_spot_checks": f"rho = {_num(p.spot_check_rate)}",
    }
    return "; ".join(why[t] for t in tiers)


def _check_invariant(th, p, system, preds, kept, kept_fns, n_lemmas, depth, k_max, budget):
    prop = _conj(th)
    if all(name in kept for name, _ in preds):
        if _relative_induction(system, prop, kept_fns, budget):
            return (
                "proved",
                "inductive invariant",
                f"unbounded: inductive relative to {n_lemmas} lemmas kept by Houdini (certificate re-checked)",
                None,
            )
    verdict, d, trace = bmc(system, prop, depth, invariants=kept_fns, budget=budget)
    if verdict == "violated":
        cex = replay_trace(p, trace, th.clauses)
        if cex.replayed:
            return "violated", f"counterexample at depth {d} (BMC)", f"{len(cex.steps)} steps, replayed by the interpreter", cex
        return "unknown", f"counterexample at depth {d} (BMC) did not replay", cex.note, cex
    if verdict == "unknown":
        done = f"no counterexample to depth {d - 1}" if d > 0 else "no depth completed"
        return "unknown", f"solver unknown at BMC depth {d}", f"{done}; the solver returned unknown (timeout or resource limit): not proved", None
    for k in range(1, min(k_max, depth + 1) + 1):
        r = k_induction(system, prop, k, invariants=kept_fns, budget=budget)
        if r == "unsat":
            return "proved", f"k-induction (k = {k})", f"unbounded: base case by BMC to depth {depth}, step case unsat with the kept lemmas", None
        if r == "unknown":
            break
    return "unknown", f"bounded to depth {depth}", f"no counterexample up to depth {depth}; no inductive or k-inductive proof found: not proved", None


def _check_box_theorem(th, p, box, budget):
    the_box = dict(declared_box(p) if box is None else box)
    out = check_box(p, th.clauses, th.payoff, the_box, budget)
    coords = ", ".join(f"{k.removeprefix('gain:')} in [{_num(lo)}, {_num(hi)}]" for k, (lo, hi) in sorted(the_box.items()) if lo != hi)
    fixed = ", ".join(f"{k} = {_num(lo)}" for k, (lo, hi) in sorted(the_box.items()) if lo == hi)
    method = f"nonlinear box (z3 NRA): {coords}; {fixed}"
    worst = out.worst
    tight = (
        (f"tightest vertex: {worst['deviation']} at q = {_num(worst['q'])}{', TEE compromised' if worst['compromised'] else ''}: payoff {fmt_usd(worst['payoff'])} vs -m = {fmt_usd(-p.margin_usd)}")
        if worst
        else ""
    )
    if out.status == "violated":
        pt = out.point
        setting = "point: " + ", ".join(f"{k.removeprefix('gain:')} = {_num(v)}" for k, v in sorted(pt.items()) if k not in ("violated", "payoffs", "compromised", "z3_witness"))
        setting += f", TEE {'compromised' if pt['compromised'] else 'intact'}; margin m = {_num(p.margin_usd)}"
        lines = tuple(f"{d}: payoff {fmt_usd(v)}" + (" > -m" if v > -p.margin_usd else "") for d, v in pt["payoffs"].items())
        cex = Counterexample("point", setting, (), pt["violated"], True, out.note + "; " + "; ".join(lines), point=pt)
        return "violated", method, tight, cex
    return out.status, method, f"{tight}; {out.note}" if tight else out.note, None


def _num(x: Any) -> str:
    if isinstance(x, Fraction) and x.denominator != 1:
        return f"{float(x):.6g}"
    return str(x)
