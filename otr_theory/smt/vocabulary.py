"""The words the transition system, its interpreter and the theorems in ``proofs/`` share.

A query's life is described by a *global phase*, a *spot-check status* and one *dispute slot* per
challenger (H: the honest challenger; G: any other party, adversarial). The codes below are the
integer values both the z3 encoding (:mod:`otr_theory.smt.system`) and the plain-Python
interpreter (:mod:`otr_theory.smt.interpreter`) use, so that a z3 counterexample can be replayed
step by step.

:class:`Logic` bundles the connectives a theorem's property is written with, so that the same
code builds a z3 formula (:data:`Z3`) and evaluates a concrete state (:data:`PY`).

Examples
--------
>>> PY.Implies(False, False), PY.And(True, 1 < 2), int(Phase.FINAL)
(True, True, 5)
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from typing import Any

import z3

__all__ = ["Phase", "SlotPhase", "Spot", "TERMINAL", "OPEN_SLOT", "SLOTS", "TIERS", "Logic", "PY", "Z3"]


class Phase(enum.IntEnum):
    """Global phase of one query."""

    RECEIVED = 0  #: the query has arrived; nothing is committed yet
    COMMITTED = 1  #: the prover has posted its commitment and attestation
    PROVISIONAL = 2  #: the attestation verified: provisional finality, the window is open
    REJECTED = 3  #: the result was refused (attestation failed, or a proof missed without slash)
    SLASHED = 4  #: fraud proved (dispute won, attestation failed or proof missed): stake slashed
    FINAL = 5  #: final finality at the end of the window


TERMINAL = (Phase.REJECTED, Phase.SLASHED, Phase.FINAL)


class SlotPhase(enum.IntEnum):
    """Phase of one challenger's dispute."""

    IDLE = 0  #: no dispute opened
    ROUNDS = 1  #: bisection in progress
    ONESTEP = 2  #: bisection done, the one-step check / settlement is pending
    WON = 3  #: the challenger proved fraud: the prover was slashed
    LOST = 4  #: the challenger lost (timed out, or the one-step check held): bond forfeited
    VOID = 5  #: closed without a verdict because the query was decided otherwise: bond refunded


OPEN_SLOT = (SlotPhase.ROUNDS, SlotPhase.ONESTEP)


class Spot(enum.IntEnum):
    """Status of the ZK spot-check of one query."""

    NONE = 0  #: not demanded (not selected, or not yet provisional)
    DEMANDED = 1  #: selected: a ZK proof is due by the deadline
    DELIVERED = 2  #: the proof was delivered in time
    MISSED = 3  #: the deadline passed without a proof


SLOTS = ("H", "G")
"""Dispute slots: ``H`` the honest challenger (it challenges exactly the invalid results, its
challenge transaction delayed by censorship), ``G`` any other party (opens any time, may go
silent: griefing, collusion)."""

TIERS = {
    "verification": "verification of results at all",
    "stakes": "locked value (a prover stake or challenger bonds)",
    "slashing": "slashing (slash > 0)",
    "dispute": "optimistic window with a bisection dispute game",
    "tee": "TEE attestation",
    "random_spot_checks": "random ZK spot-checks (0 < rho < 1)",
}
"""Protocol tiers a theorem may require; a theorem whose tier a scheme lacks is *not applicable*."""


@dataclasses.dataclass(frozen=True)
class Logic:
    """Connectives for writing a property once and reading it two ways."""

    name: str
    And: Callable[..., Any]
    Or: Callable[..., Any]
    Not: Callable[[Any], Any]
    Implies: Callable[[Any, Any], Any]
    If: Callable[[Any, Any, Any], Any]
    Sum: Callable[..., Any]


def _py_and(*xs: Any) -> bool:
    return all(bool(x) for x in xs)


def _py_or(*xs: Any) -> bool:
    return any(bool(x) for x in xs)


PY = Logic(
    name="python",
    And=_py_and,
    Or=_py_or,
    Not=lambda x: not x,
    Implies=lambda a, b: (not a) or bool(b),
    If=lambda c, a, b: a if c else b,
    Sum=lambda *xs: sum(xs),
)
"""Concrete evaluation: plain booleans and exact Fractions."""

Z3 = Logic(
    name="z3",
    And=lambda *xs: z3.And(*xs) if xs else z3.BoolVal(True),
    Or=lambda *xs: z3.Or(*xs) if xs else z3.BoolVal(False),
    Not=z3.Not,
    Implies=z3.Implies,
    If=z3.If,
    Sum=lambda *xs: z3.Sum(*xs) if xs else z3.RealVal(0),
)
"""Symbolic: z3 formulas."""
