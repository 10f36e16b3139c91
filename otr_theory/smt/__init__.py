"""SMT-checked safety of the dispute game: the z3 transition system and the property checker.

The path: a :class:`~otr_theory.model.Model` -> exact :class:`~otr_theory.smt.params.Params` ->
the z3 transition system (:mod:`~otr_theory.smt.system`) and, independently, the plain-Python
interpreter of the same protocol (:mod:`~otr_theory.smt.interpreter`) -> the theorems of
``proofs/`` decided by :func:`~otr_theory.smt.theorems.check` (Houdini-strengthened inductive
invariants, k-induction, BMC, nonlinear boxes) -> counterexamples replayed by the interpreter
(:mod:`~otr_theory.smt.counterexample`), mutants (:mod:`~otr_theory.smt.mutants`) and the state
graph (:mod:`~otr_theory.smt.graph`); a check report renders as text or an HTML table
(:mod:`~otr_theory.smt.text`, ``report.to_text()``, ``report._repr_html_()``).

>>> from otr_theory.model import load_model
>>> check(load_model()).exit_code  # theorem 7 over time: the default's $100k stake does not deter
1
"""

from otr_theory.smt.mutants import MUTANTS, Mutant
from otr_theory.smt.params import Params, Rules
from otr_theory.smt.prover import Budget
from otr_theory.smt.text import check_html, check_text, check_verdict_lines
from otr_theory.smt.theorems import CheckReport, Theorem, TheoremResult, check, load_theorems

__all__ = [
    "MUTANTS",
    "Budget",
    "CheckReport",
    "Mutant",
    "Params",
    "Rules",
    "Theorem",
    "TheoremResult",
    "check",
    "check_html",
    "check_text",
    "check_verdict_lines",
    "load_theorems",
]
