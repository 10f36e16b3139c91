"""Candidate invariants that strengthen the theorems into inductive invariants.

A safety property is rarely inductive on its own: a state that satisfies it may be unreachable
and yet step to a violation. These candidates describe the shape of every reachable state
(phases in range, clocks ordered, deadlines bounded by the rounds played, the ledger's accounts);
:func:`otr_theory.smt.prover.houdini` keeps the largest subset that is inductive for the model at
hand (Flanagan and Leino, *Houdini, an annotation assistant for ESC/Java*, FME 2001) and drops
the rest. A candidate that does not hold in a mutant is simply dropped, so the list is the same
for every protocol variant; nothing here is assumed, everything kept is proved.

Each candidate is ``(name, fn)`` with ``fn(view, logic)`` as for the theorems.

>>> len(CANDIDATES) > 40
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otr_theory.smt.vocabulary import OPEN_SLOT, Phase, SlotPhase, Spot

__all__ = ["CANDIDATES"]

Candidate = tuple[str, Callable[[Any, Any], Any]]


def _in(x: Any, values: Any, L: Any) -> Any:
    return L.Or(*[x == int(v) for v in values])


def _parts(name: str, *fns: Callable[[Any, Any], Any]) -> list[Candidate]:
    """One candidate per conjunct, so that Houdini can keep the parts that hold."""
    return [(f"{name} ({i})", fn) for i, fn in enumerate(fns, 1)]


def _ledger(when: str, cond: Callable, lock: Any, wallet: Any, reward: Any, sl: Callable) -> list[Candidate]:
    """A dispute slot's money in phase ``when``: lock, wallet and reward (constants or functions of the view)."""

    def val(v: Any, s: Any) -> Any:
        return v(s) if callable(v) else v

    return _parts(
        f"{when}: the bond's whereabouts",
        lambda s, L: L.Implies(cond(s, L), sl(s).lock == val(lock, s)),
        lambda s, L: L.Implies(cond(s, L), sl(s).wallet == val(wallet, s)),
        lambda s, L: L.Implies(cond(s, L), sl(s).reward == val(reward, s)),
    )


def _global() -> list[Candidate]:
    P, SP = Phase, Spot
    c: list[Candidate] = [
        ("phase in range", lambda s, L: _in(s.phase, P, L)),
        ("spot status in range", lambda s, L: _in(s.spot, SP, L)),
        ("clock is nonnegative", lambda s, L: s.t >= 0),
        *_parts("commitment time in the past", lambda s, L: s.t_commit >= 0, lambda s, L: s.t_commit <= s.t),
        *_parts(
            "nothing committed on arrival",
            lambda s, L: L.Implies(s.phase == int(P.RECEIVED), L.Not(s.was_prov)),
            lambda s, L: L.Implies(s.phase == int(P.RECEIVED), s.t_commit == 0),
            lambda s, L: L.Implies(s.phase == int(P.RECEIVED), L.Not(s.knew_sel)),
        ),
        ("provisional and final were provisional", lambda s, L: L.Implies(_in(s.phase, (P.PROVISIONAL, P.FINAL), L), s.was_prov)),
        ("provisional only after the commitment", lambda s, L: L.Implies(s.was_prov, L.Not(_in(s.phase, (P.RECEIVED, P.COMMITTED), L)))),
        *_parts(
            "provisional after verification",
            lambda s, L: L.Implies(s.was_prov, s.t_commit + s.L_att <= s.t_prov),
            lambda s, L: L.Implies(s.was_prov, s.t_prov <= s.t),
        ),
        ("verification is due", lambda s, L: L.Implies(s.phase == int(P.COMMITTED), s.t <= s.t_commit + s.L_att)),
        ("finality is due at the window's end", lambda s, L: L.Implies(L.And(s.phase == int(P.PROVISIONAL), s.spot != int(SP.DEMANDED)), s.t <= s.t_prov + s.W)),
        (
            "the honest challenge is included by t_prov + cens",
            lambda s, L: L.Implies(L.And(s.phase == int(P.PROVISIONAL), s.H.ph == int(SlotPhase.IDLE), s.honest_live, L.Not(s.valid), s.cens <= s.W), s.t <= s.t_prov + s.cens),
        ),
        *_parts("censorship within its bound", lambda s, L: s.cens >= 0, lambda s, L: s.cens <= s.C),
        *_parts(
            "an honest prover commits valid, attested results",
            lambda s, L: L.Implies(L.And(s.phase != int(P.RECEIVED), s.honest), s.valid),
            lambda s, L: L.Implies(L.And(s.phase != int(P.RECEIVED), s.honest), s.att_ok),
        ),
        ("an intact TEE attests exactly the valid results", lambda s, L: L.Implies(L.And(s.phase != int(P.RECEIVED), L.Not(s.compromised)), s.att_ok == s.valid)),
        ("compromise needs a TEE", lambda s, L: L.Implies(s.compromised, s.compromise_possible)),
        ("a live honest challenger needs a dispute game", lambda s, L: L.Implies(s.honest_live, s.honest_challenger_possible)),
        *_parts(
            "spot-checks only for selected provisional queries",
            lambda s, L: L.Implies(s.spot != int(SP.NONE), s.was_prov),
            lambda s, L: L.Implies(s.spot != int(SP.NONE), s.selected),
            lambda s, L: L.Implies(s.spot != int(SP.NONE), s.sel_drawn),
        ),
        ("a proof is demanded at provisional finality", lambda s, L: L.Implies(s.spot != int(SP.NONE), s.t_dem == s.t_prov)),
        ("selected queries get a demand", lambda s, L: L.Implies(L.And(s.was_prov, s.selected), s.spot != int(SP.NONE))),
        ("proofs exist only for valid results", lambda s, L: L.Implies(s.spot == int(SP.DELIVERED), s.valid)),
        ("an honest prover proves by its proving time", lambda s, L: L.Implies(L.And(s.phase == int(P.PROVISIONAL), s.spot == int(SP.DEMANDED), s.honest), s.t <= s.t_dem + s.L_proof + s.C)),
        ("an honest prover never misses a proof", lambda s, L: L.Implies(s.honest, s.spot != int(SP.MISSED))),
        ("a missed proof ends the query", lambda s, L: L.Implies(s.spot == int(SP.MISSED), _in(s.phase, (P.SLASHED, P.REJECTED), L))),
        ("a selected query is final only with its proof", lambda s, L: L.Implies(L.And(s.phase == int(P.FINAL), s.selected), s.spot == int(SP.DELIVERED))),
        ("every query is selected (rho = 1)", lambda s, L: L.Implies(s.sel_drawn, s.selected)),
        ("drawn before provisional finality", lambda s, L: L.Implies(s.was_prov, s.sel_drawn)),
        ("drawn only after the commitment", lambda s, L: L.Implies(s.sel_drawn, s.phase != int(P.RECEIVED))),
        ("the selection was unknown at commitment", lambda s, L: L.Not(s.knew_sel)),
        ("stake is what the slash and the withdrawal left", lambda s, L: s.stake == s.stake_init - s.slashed - s.P_bal),
        ("the stake left is within the stake", lambda s, L: L.And(s.stake_init >= 0, s.stake_init <= s.stake0)),
        ("at most one slash", lambda s, L: L.Or(s.slashed == 0, s.slashed == L.If(s.stake_init >= s.S, s.S, s.stake_init))),
        ("nothing withdrawn before a withdrawal", lambda s, L: L.Implies(L.Not(s.withdrawn), s.P_bal == 0)),
        ("a withdrawal takes what the stake held", lambda s, L: L.Implies(s.withdrawn, s.stake == 0)),
        ("withdrawals come after the unbonding period", lambda s, L: L.Implies(s.withdrawn, s.t >= s.t_commit + s.U)),
        ("nothing withdrawn before the verdict", lambda s, L: L.Implies(_in(s.phase, (P.COMMITTED, P.PROVISIONAL), L), L.Not(s.withdrawn))),
        ("provisional finality within L_att of the commitment", lambda s, L: L.Implies(s.was_prov, s.t_prov <= s.t_commit + s.L_att)),
        ("a demanded proof is due by its deadline", lambda s, L: L.Implies(L.And(s.phase == int(P.PROVISIONAL), s.spot == int(SP.DEMANDED)), s.t <= s.t_dem + s.deadline)),
        ("a pending query has its verdict by t_commit + V", lambda s, L: L.Implies(_in(s.phase, (P.COMMITTED, P.PROVISIONAL), L), s.t <= s.t_commit + s.V)),
        ("the window covers censorship plus a whole dispute", lambda s, L: L.Implies(L.And(s.honest_live, L.Not(s.valid), s.was_prov), s.cens + s.D < s.W)),
        ("the attestation gate passes only verified attestations", lambda s, L: L.Implies(L.And(s.was_prov, s.attestation_gate), s.att_ok)),
        ("the proposer sees the randomness only under collusion", lambda s, L: L.Implies(s.knew_sel, s.colluding_proposer)),
        ("a colluding proposer needs block-hash randomness", lambda s, L: L.Implies(s.colluding_proposer, s.block_hash_randomness)),
        ("no withdrawal before the commitment", lambda s, L: L.Implies(s.phase == int(P.RECEIVED), L.Not(s.withdrawn))),
        *_parts(
            "no slash before a verdict",
            lambda s, L: L.Implies(_in(s.phase, (P.RECEIVED, P.COMMITTED, P.PROVISIONAL, P.FINAL), L), s.slashed == 0),
            lambda s, L: L.Implies(_in(s.phase, (P.RECEIVED, P.COMMITTED, P.PROVISIONAL, P.FINAL), L), s.rewards == 0),
            lambda s, L: L.Implies(_in(s.phase, (P.RECEIVED, P.COMMITTED, P.PROVISIONAL, P.FINAL), L), s.burned_slash == 0),
        ),
        ("slashed queries were slashed", lambda s, L: L.Implies(s.phase == int(P.SLASHED), s.slashed == L.If(s.stake_init >= s.S, s.S, s.stake_init))),
        ("rewards are the challengers'", lambda s, L: s.rewards == s.H.reward + s.G.reward),
        ("a reward is the share of the slash", lambda s, L: s.rewards == s.a * s.slashed * L.If(L.Or(s.H.ph == int(SlotPhase.WON), s.G.ph == int(SlotPhase.WON)), 1, 0)),
        ("burned bonds are the lost disputes'", lambda s, L: s.burned_bond == L.Sum(*[L.If(x.ph == int(SlotPhase.LOST), s.B, 0 * s.B) for x in s.slots])),
        ("one winner at most", lambda s, L: L.Not(L.And(s.H.ph == int(SlotPhase.WON), s.G.ph == int(SlotPhase.WON)))),
        *_parts(
            "the honest challenger disputes only invalid results",
            lambda s, L: L.Implies(s.H.ph != int(SlotPhase.IDLE), s.honest_live),
            lambda s, L: L.Implies(s.H.ph != int(SlotPhase.IDLE), L.Not(s.valid)),
        ),
        ("the honest challenger never loses", lambda s, L: s.H.ph != int(SlotPhase.LOST)),
        ("the honest challenge opens by t_prov + cens", lambda s, L: L.Implies(s.H.ph != int(SlotPhase.IDLE), s.H.open <= s.t_prov + s.cens)),
        ("the honest dispute is voided only by another verdict", lambda s, L: L.Implies(s.H.ph == int(SlotPhase.VOID), _in(s.phase, (P.SLASHED, P.REJECTED), L))),
        *_parts(
            "an honest prover loses no dispute",
            lambda s, L: L.Implies(s.honest, s.H.ph != int(SlotPhase.WON)),
            lambda s, L: L.Implies(s.honest, s.G.ph != int(SlotPhase.WON)),
        ),
    ]
    return c


def _slot(x: str) -> list[Candidate]:
    SP = SlotPhase

    def sl(s: Any) -> Any:
        return s.H if x == "H" else s.G

    c: list[Candidate] = [
        ("phase in range", lambda s, L: _in(sl(s).ph, SP, L)),
        *_parts("round counter in range", lambda s, L: sl(s).r >= 0, lambda s, L: sl(s).r <= s.K),
        ("opened only after provisional finality", lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), s.was_prov)),
        ("open only while provisional", lambda s, L: L.Implies(_in(sl(s).ph, OPEN_SLOT, L), s.phase == int(Phase.PROVISIONAL))),
        *_parts(
            "opened within the window",
            lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), s.t_prov <= sl(s).open),
            lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), sl(s).open <= s.t),
            lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), sl(s).open <= s.t_prov + s.W),
        ),
        ("a round ends by its deadline", lambda s, L: L.Implies(sl(s).ph == int(SP.ROUNDS), s.t <= sl(s).dl)),
        *_parts(
            "round deadlines follow the rounds played",
            lambda s, L: L.Implies(sl(s).ph == int(SP.ROUNDS), sl(s).dl <= sl(s).open + (sl(s).r + 1) * s.R),
            lambda s, L: L.Implies(sl(s).ph == int(SP.ROUNDS), sl(s).open + s.R <= sl(s).dl),
            lambda s, L: L.Implies(sl(s).ph == int(SP.ROUNDS), sl(s).r <= s.K - 1),
        ),
        *_parts(
            "the one-step check follows the last round",
            lambda s, L: L.Implies(sl(s).ph == int(SP.ONESTEP), sl(s).r == s.K),
            lambda s, L: L.Implies(sl(s).ph == int(SP.ONESTEP), s.t <= sl(s).dl),
            lambda s, L: L.Implies(sl(s).ph == int(SP.ONESTEP), sl(s).dl <= sl(s).open + s.K * s.R + s.T),
        ),
        ("an honest prover answers before the deadline", lambda s, L: L.Implies(L.And(sl(s).ph == int(SP.ROUNDS), L.Not(sl(s).pp), s.honest), s.t < sl(s).dl)),
        ("an answered round is before its deadline", lambda s, L: L.Implies(L.And(sl(s).ph == int(SP.ROUNDS), sl(s).pp, sl(s).cp), s.t < sl(s).dl)),
        *_ledger("idle", lambda s, L: sl(s).ph == int(SP.IDLE), 0, lambda s: s.B, 0, sl),
        *_ledger("open", lambda s, L: _in(sl(s).ph, OPEN_SLOT, L), lambda s: s.B, 0, 0, sl),
        *_ledger("won", lambda s, L: sl(s).ph == int(SP.WON), 0, lambda s: s.B + s.a * s.slashed, lambda s: s.a * s.slashed, sl),
        *_ledger("lost (refunded)", lambda s, L: sl(s).ph == int(SP.LOST), 0, lambda s: s.B, 0, sl),
        *_ledger("lost", lambda s, L: sl(s).ph == int(SP.LOST), 0, 0, 0, sl),
        *_ledger("void", lambda s, L: sl(s).ph == int(SP.VOID), 0, lambda s: s.B, 0, sl),
        ("a dispute ends within K*R + T of its opening", lambda s, L: L.Implies(_in(sl(s).ph, OPEN_SLOT, L), s.t <= sl(s).open + s.D)),
        ("no dispute without a dispute game", lambda s, L: L.Or(s.has_dispute, sl(s).ph == int(SP.IDLE))),
        ("a won dispute slashed the prover", lambda s, L: L.Implies(sl(s).ph == int(SP.WON), s.phase == int(Phase.SLASHED))),
        *_parts(
            "gas follows the moves played",
            lambda s, L: L.Implies(sl(s).ph == int(SP.IDLE), L.And(sl(s).gas == 0, sl(s).pgas == 0)),
            lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), sl(s).pgas == sl(s).r * s.g_step + L.If(sl(s).pp, s.g_step, 0 * s.g_step)),
            lambda s, L: L.Implies(sl(s).ph != int(SP.IDLE), sl(s).gas == s.g_open + sl(s).r * s.g_step + L.If(sl(s).cp, s.g_step, 0 * s.g_step)),
        ),
    ]
    if x == "H":
        c.append(("the honest challenger answers before the deadline", lambda s, L: L.Implies(L.And(s.H.ph == int(SP.ROUNDS), L.Not(s.H.cp)), s.t < s.H.dl)))
    return [(f"dispute {x}: {name}", fn) for name, fn in c]


CANDIDATES: tuple[Candidate, ...] = tuple(_global() + _slot("H") + _slot("G"))
"""Every candidate invariant, global ones first, then dispute H's and G's."""
