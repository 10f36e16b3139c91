"""Read-only views of a state that the theorems in ``proofs/`` are written against.

A view exposes the state's fields (``s.phase``, ``s.t``, ``s.valid`` ...), its two dispute slots
(``s.H``, ``s.G``, ``s.slots``, each with ``ph``, ``r``, ``dl``, ``open``, ``pp``, ``cp``,
``lock``, ``wallet``, ``reward``, ``gas`` (the challenger's gas in USD), ``pgas`` (the
prover's gas in that dispute)) and the model's constants under short names:

==========  ===============================================================
``W``       challenge window (s)
``R``       bisection round timeout (s)
``K``       bisection rounds, ceil(log_k N)
``T``       settlement time (s)
``C``       censorship delay the adversary can impose (s)
``D``       dispute bound K*R + T (s)
``S``       slash (USD); ``a`` reward share; ``B`` bond (USD)
``stake0``  the prover's stake at the start (USD)
``L_att``   attestation verification time (s); ``L_proof`` ZK proving time;
            ``deadline`` the proof deadline (s)
``U``       the stake's unbonding period (s)
``V``       the verdict bound L_att + max(W, deadline) + D (s)
``ratio``   the declared least griefing-cost ratio
``bias_declared``  a proposer bias bound beta > 0 is declared (block-hash randomness)
``g_open``  gas of opening a challenge (USD); ``g_step`` gas of one bisection move (USD)
==========  ===============================================================

and the booleans ``honest_challenger_possible`` (a dispute game with at least one challenger),
``attestation_gate`` and ``compromise_possible``. The same view class serves a z3 frame (fields are z3 terms, constants
z3 rationals) and a concrete :class:`~otr_theory.smt.interpreter.State` (fields are Python values,
constants Fractions), so a property written once is both a formula and a test.

>>> from otr_theory.model import load_model
>>> from otr_theory.smt.params import Params
>>> from otr_theory.smt.interpreter import initial_state
>>> p = Params.from_model(load_model())
>>> v = python_view(p, initial_state(p))
>>> v.phase.name, v.D, v.H.wallet
('RECEIVED', Fraction(73800, 1), Fraction(1000, 1))
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import z3

from otr_theory.smt.params import Params
from otr_theory.smt.vocabulary import SLOTS

__all__ = ["SlotView", "StateView", "python_view", "z3_view", "constants"]

SLOT_FIELDS = ("ph", "r", "dl", "open", "pp", "cp", "lock", "wallet", "reward", "gas", "pgas")


class SlotView:
    """One dispute slot of a view."""

    def __init__(self, name: str, get: Callable[[str], Any]):
        self.name = name
        for f in SLOT_FIELDS:
            setattr(self, f, get(f"{name}_{f}"))

    def __repr__(self) -> str:
        return f"SlotView({self.name})"


class StateView:
    """A state's fields and the model's constants as attributes (see the module docstring)."""

    def __init__(self, get: Callable[[str], Any], names: tuple[str, ...], consts: dict[str, Any]):
        for n in names:
            if not any(n.startswith(f"{x}_") for x in SLOTS):
                setattr(self, n, get(n))
        for k, v in consts.items():
            setattr(self, k, v)
        self.H = SlotView("H", get)
        self.G = SlotView("G", get)
        self.slots = (self.H, self.G)


def constants(p: Params, num: Callable[[Fraction], Any]) -> dict[str, Any]:
    """The named constants of a view, each passed through ``num``."""
    return {
        "W": num(p.window_s),
        "R": num(p.round_timeout_s),
        "K": p.rounds,
        "T": num(p.settlement_s),
        "C": num(p.censorship_s),
        "D": num(p.dispute_bound_s),
        "S": num(p.slash_usd),
        "a": num(p.reward_share),
        "B": num(p.bond_usd),
        "stake0": num(p.stake_usd),
        "L_att": num(p.attestation_latency_s),
        "L_proof": num(p.proof_latency_s),
        "deadline": num(p.proof_deadline_s),
        "U": num(p.unbonding_s),
        "V": num(p.verdict_bound_s),
        "ratio": num(p.griefing_ratio),
        "g_open": num(p.open_gas_usd),
        "g_step": num(p.step_gas_usd),
        "block_hash_randomness": p.rules.randomness_source == "block_hash",
        "has_dispute": p.has_dispute,
        "bias_declared": p.proposer_bias > 0,
        "spot_checks_possible": p.spot_check_rate > 0,
        "compromise_possible": p.compromise_possible,
        "honest_challenger_possible": p.honest_challenger_possible,
        "attestation_gate": p.attestation_gate,
    }


def python_view(p: Params, state: Any, consts: dict[str, Any] | None = None) -> StateView:
    """A view of a concrete interpreter state (``consts``: :func:`constants` of ``p``, if at hand)."""
    fields = state.__dict__
    return StateView(fields.__getitem__, tuple(fields), constants(p, Fraction) if consts is None else consts)


def z3_view(p: Params, frame: dict[str, z3.ExprRef]) -> StateView:
    """A view of a z3 frame (a dict from field name to z3 constant)."""
    return StateView(frame.__getitem__, tuple(frame), constants(p, z3.RealVal))
