"""A plain-Python interpreter of the protocol: the reference the z3 encoding is checked against.

This module is the specification of the transition system; :mod:`otr_theory.smt.system` encodes
the same rules in z3, independently (no code is shared but the vocabulary). A z3 counterexample
is replayed here step by step, and every state must match.

State of one query (times in seconds since the query arrived, money in USD, all exact):

* chosen once, at the start (the environment): ``honest`` (the prover follows the protocol),
  ``compromised`` (the prover's TEE can forge attestations), ``honest_live`` (an honest
  challenger watches for the whole window), ``cens`` (how long the adversary censors the honest
  challenger's challenge transaction, ``0 <= cens <= C``), ``stake_init`` (the stake the other
  queries of the window left for this one, any amount in ``[0, stake]``: the stake is shared),
  ``colluding_proposer`` (with block-hash randomness only: the proposer of the commitment's block
  colludes with the prover);
* the query: ``phase`` (:class:`Phase`), clock ``t``, ``t_commit``, ``t_prov``, ``valid`` (the
  committed result is the registered model's output), ``att_ok`` (its attestation verifies for
  the registered measurement), ``knew_sel`` (the selection was known when the prover committed),
  ``was_prov`` (it reached provisional finality);
* the spot-check: ``sel_drawn``, ``selected``, ``spot`` (:class:`Spot`), ``t_dem``;
* two dispute slots ``H`` (honest challenger) and ``G`` (anyone else): phase, round ``r``,
  deadline ``dl``, opening time ``open``, posted flags ``pp`` (prover) and ``cp`` (challenger),
  locked bond ``lock``, ``wallet``, ``reward`` received, ``gas`` the challenger spent and
  ``pgas`` the prover spent in that dispute (USD at the model's gas price: opening
  ``challenge_open_gas``, each bisection move ``dispute_step_gas``);
* the ledger: prover ``stake``, its ``P_bal`` (withdrawn stake) and ``withdrawn``, total
  ``slashed``, ``rewards`` paid, ``burned_slash``, ``burned_bond``.

Actions (each with its guard; everything not named stays unchanged):

* ``tick(delta)``: time passes, ``delta > 0``, only as far as every deadline allows
  (:func:`time_allows`): verification by ``t_commit + L_att``; finality at ``t_prov + W``
  (unless a proof is demanded); the honest challenge is included by ``t_prov + cens`` (if
  ``cens <= W``); a bisection round's deadline; honest parties move strictly before a deadline;
  an honest prover delivers a demanded proof by ``t_dem + L_proof``; a round both parties have
  answered advances at once.
* ``commit(v, aok)``: from RECEIVED. The prover chooses the result (``honest => v``) and the
  attestation: with an intact TEE it verifies iff the result is valid (``aok == v``, binding
  PoEA); a compromised TEE can forge it; an honest prover's verifies. Records
  ``knew_sel = sel_drawn``.
* ``draw(sel)``: the spot-check randomness is revealed: after the commitment (before it if
  ``randomness_after_commit`` is off). ``sel`` is false if rho = 0, true if rho = 1.
* ``verify``: from COMMITTED once drawn, at ``t >= t_commit + L_att``. With the attestation gate
  (a TEE scheme with ``attestation_check``) a failed attestation is REJECTED and the stake
  slashed (all burned); otherwise PROVISIONAL (``t_prov = t``), and a selected query gets its
  proof demanded (``t_dem = t``).
* ``finalize``: PROVISIONAL, ``t >= t_prov + W``, no proof pending (unless
  ``finality_while_proof_pending``): FINAL (the paper: final at the end of W with no successful
  challenge); a dispute still open has failed to prove fraud in time and is lost.
* ``deliver``: a demanded proof, only for a valid result (ZK soundness), in
  ``[t_dem + L_proof, t_dem + deadline]``.
* ``miss``: a demanded proof at ``t_dem + deadline`` (time cannot pass it: anyone may call the
  miss; after it, strictly, if the ``miss_at_deadline`` rule is off): SLASHED (all burned) if
  ``slash_on_missed_proof``, else REJECTED without slash; open disputes voided.
* ``withdraw``: once, after the commitment, at ``t >= t_commit + U`` (the unbonding period; the
  worst case requests it at the commitment): the stake left moves to ``P_bal``.
* ``open(X)``: PROVISIONAL, ``t <= t_prov + W``, slot idle: bond locked, round 0, deadline
  ``t + R`` (straight to the one-step check if K = 0). H opens only on an invalid result, by
  ``t_prov + cens``; G any time.
* ``post_p(X)`` / ``post_c(X)``: the prover / challenger answers the current round, before its
  deadline (the challenger only after the prover under ``move_order = prover_first``); each
  move costs ``dispute_step_gas``.
* ``advance(X, j, delta)``: both answered: j rounds complete (the first now, the others taking
  ``delta`` in all, each shorter than R): the round counter grows by j; after the K-th round the
  one-step check is due within ``T_settle``.
* ``timeout(X)``: at the round deadline, not both answered: the challenger wins if the prover
  did not answer and it did; if neither did, ``timeout_tie_break`` decides; else it loses.
* ``settle(X, win)``: the one-step check by its deadline: the challenger can win only against an
  invalid result, and the honest challenger always does -- unless ``C >= T``: its one-step proof
  can then be censored to the deadline, and it loses.
* winning slashes ``min(S, stake left)``: the reward share ``a`` of it to the challenger with its
  bond, the rest burned, the query SLASHED, the other dispute voided; losing burns the bond
  (``loser_payout = burn``) or refunds it (``refund``).

Censorship of every move (ours): every transaction of an honest party -- the opening, each
bisection move, the one-step proof, a demanded ZK proof -- may be delayed by up to C. So an
honest party's move is sure to land before its round's timeout only when ``C < R`` (else time
may pass its deadline unanswered), a demanded proof by ``t_dem + L_proof + C``.

Modelling assumptions (ours): the honest challenger re-executes at once and its transactions are
delayed only by censorship (at most C each); disputes of
different challengers run in parallel (one slot each), so a griefer cannot block the honest
challenger; the adversary controls everything else -- the dishonest prover's timing, the other
challenger, the order of simultaneous events.

Examples
--------
>>> from otr_theory.model import load_model
>>> from otr_theory.smt.params import Params
>>> p = Params.from_model(load_model())
>>> s = initial_state(p, honest=True)
>>> s = run(p, s, [Action("commit", v=True, aok=True), Action("draw"), Action("tick", delta=Fraction(1, 20)), Action("verify")])
>>> s.phase.name, s.t
('PROVISIONAL', Fraction(1, 20))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from fractions import Fraction

from otr_theory.smt.params import Params
from otr_theory.smt.vocabulary import OPEN_SLOT, SLOTS, Phase, SlotPhase, Spot

__all__ = ["State", "Action", "Disabled", "ACTIONS", "initial_state", "step", "run", "time_allows", "slot"]

ACTIONS = ("tick", "commit", "draw", "verify", "finalize", "deliver", "miss", "withdraw", "open", "post_p", "post_c", "advance", "timeout", "settle")
"""Action kinds; ``open`` ... ``settle`` name a slot."""

SLOT_FIELDS = ("ph", "r", "dl", "open", "pp", "cp", "lock", "wallet", "reward", "gas", "pgas")


@dataclasses.dataclass(frozen=True)
class State:
    """One state of a query's life (see the module docstring)."""

    honest: bool
    compromised: bool
    honest_live: bool
    cens: Fraction
    stake_init: Fraction = Fraction(0)
    colluding_proposer: bool = False
    phase: Phase = Phase.RECEIVED
    t: Fraction = Fraction(0)
    t_commit: Fraction = Fraction(0)
    t_prov: Fraction = Fraction(0)
    valid: bool = False
    att_ok: bool = False
    knew_sel: bool = False
    was_prov: bool = False
    sel_drawn: bool = False
    selected: bool = False
    spot: Spot = Spot.NONE
    t_dem: Fraction = Fraction(0)
    H_ph: SlotPhase = SlotPhase.IDLE
    H_r: int = 0
    H_dl: Fraction = Fraction(0)
    H_open: Fraction = Fraction(0)
    H_pp: bool = False
    H_cp: bool = False
    H_lock: Fraction = Fraction(0)
    H_wallet: Fraction = Fraction(0)
    H_reward: Fraction = Fraction(0)
    H_gas: Fraction = Fraction(0)
    H_pgas: Fraction = Fraction(0)
    G_ph: SlotPhase = SlotPhase.IDLE
    G_r: int = 0
    G_dl: Fraction = Fraction(0)
    G_open: Fraction = Fraction(0)
    G_pp: bool = False
    G_cp: bool = False
    G_lock: Fraction = Fraction(0)
    G_wallet: Fraction = Fraction(0)
    G_reward: Fraction = Fraction(0)
    G_gas: Fraction = Fraction(0)
    G_pgas: Fraction = Fraction(0)
    stake: Fraction = Fraction(0)
    P_bal: Fraction = Fraction(0)
    withdrawn: bool = False
    slashed: Fraction = Fraction(0)
    rewards: Fraction = Fraction(0)
    burned_slash: Fraction = Fraction(0)
    burned_bond: Fraction = Fraction(0)

    def get(self, x: str, field: str):
        """Field ``field`` of slot ``x`` (``"H"`` or ``"G"``)."""
        return getattr(self, f"{x}_{field}")


FIELDS = tuple(f.name for f in dataclasses.fields(State))
FROZEN = ("honest", "compromised", "honest_live", "cens", "stake_init", "colluding_proposer")


@dataclasses.dataclass(frozen=True)
class Action:
    """One step: its kind, the slot it acts on, and its arguments."""

    kind: str
    slot: str | None = None
    delta: Fraction = Fraction(0)
    j: int = 1
    v: bool = False
    aok: bool = False
    sel: bool = False
    win: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ACTIONS:
            raise ValueError(f"action kind: must be one of {', '.join(ACTIONS)} (got {self.kind!r})")
        needs_slot = ACTIONS.index(self.kind) >= ACTIONS.index("open")
        if needs_slot and self.slot not in SLOTS:
            raise ValueError(f"action {self.kind}: slot must be one of {SLOTS} (got {self.slot!r})")


class Disabled(ValueError):
    """An action whose guard does not hold in the state; ``str`` says which condition failed."""


_SLOT_KEYS = {x: tuple((f, f"{x}_{f}") for f in SLOT_FIELDS) for x in SLOTS}


def slot(s: State, x: str) -> dict:
    """The fields of slot ``x`` as a dict (``ph``, ``r``, ``dl``, ...)."""
    d = s.__dict__
    return {f: d[k] for f, k in _SLOT_KEYS[x]}


def initial_state(
    p: Params,
    *,
    honest: bool = True,
    compromised: bool = False,
    honest_live: bool = False,
    cens: Fraction | int = 0,
    stake_init: Fraction | int | None = None,
    colluding_proposer: bool = False,
) -> State:
    """The state of a query that has just arrived, for the environment's choices.

    Raises
    ------
    Disabled
        When the choice is not allowed by the model (a compromised TEE in a scheme without one,
        a live honest challenger without a dispute game, censorship beyond ``C``).
    """
    cens = Fraction(cens)
    if compromised and not p.compromise_possible:
        raise Disabled("compromised: the model has no TEE that can be compromised")
    if honest_live and not p.honest_challenger_possible:
        raise Disabled("honest_live: the model has no dispute game or no challengers")
    if not 0 <= cens <= p.censorship_s:
        raise Disabled(f"cens: must be in [0, {p.censorship_s}]")
    stake_init = p.stake_usd if stake_init is None else Fraction(stake_init)
    if not 0 <= stake_init <= p.stake_usd:
        raise Disabled(f"stake_init: the stake left must be in [0, {p.stake_usd}]")
    if colluding_proposer and p.rules.randomness_source != "block_hash":
        raise Disabled("colluding_proposer: only a block-hash randomness source has a proposer who sees it early")
    b = p.bond_usd
    return State(
        honest=honest,
        compromised=compromised,
        honest_live=honest_live,
        cens=cens,
        stake_init=stake_init,
        colluding_proposer=colluding_proposer,
        H_wallet=b,
        G_wallet=b,
        stake=stake_init,
    )


def _window_end(p: Params, s: State) -> Fraction:
    return s.t_prov + p.window_s


def time_allows(p: Params, s: State, t_new: Fraction, *, skip: str | None = None) -> str | None:
    """None if time may pass from ``s.t`` to ``t_new``; else the deadline that forbids it.

    ``skip`` names a slot whose own round deadlines are being handled by the caller (``advance``).
    """
    if s.phase == Phase.COMMITTED and t_new > s.t_commit + p.attestation_latency_s:
        return "attestation verification is due"
    if s.phase == Phase.PROVISIONAL:
        finality_due = s.spot != Spot.DEMANDED or p.rules.finality_while_proof_pending
        if finality_due and t_new > _window_end(p, s):
            return "the window closes: finality is due"
        if s.spot == Spot.DEMANDED and p.rules.miss_at_deadline and t_new > s.t_dem + p.proof_deadline_s:
            return "the proof deadline: a missing proof is declared missed"
        if s.H_ph == SlotPhase.IDLE and s.honest_live and not s.valid and s.cens <= p.window_s and t_new > s.t_prov + s.cens:
            return "the honest challenge is included by now"
        if s.spot == Spot.DEMANDED and s.honest and t_new > s.t_dem + p.proof_latency_s + p.censorship_s:
            return "the honest prover's proof lands by now (proving time plus censorship)"
    for x in SLOTS:
        if x == skip:
            continue
        sl = slot(s, x)
        if sl["ph"] == SlotPhase.ROUNDS:
            if sl["pp"] and sl["cp"] and t_new > s.t:
                return f"dispute {x}: the answered round advances at once"
            if p.rules.round_timeout and t_new > sl["dl"]:
                return f"dispute {x}: the round times out"
            if _moves_land(p) and s.honest and not sl["pp"] and t_new >= sl["dl"]:
                return f"dispute {x}: the honest prover's move lands before the deadline"
            if _moves_land(p) and x == "H" and not sl["cp"] and _may_answer(p, sl) and t_new >= sl["dl"]:
                return "dispute H: the honest challenger's move lands before the deadline"
        elif sl["ph"] == SlotPhase.ONESTEP and t_new > sl["dl"]:
            return f"dispute {x}: the one-step check settles by its deadline"
    return None


def _moves_land(p: Params) -> bool:
    """A bisection move sent at a round's start lands before its timeout despite censorship (C < R)."""
    return p.censorship_s < p.round_timeout_s


def _may_answer(p: Params, sl: dict) -> bool:
    """The challenger may answer the round now (after the prover's move if ``prover_first``)."""
    return p.rules.move_order == "simultaneous" or sl["pp"]


def _slash(p: Params, d: dict, winner: str | None) -> None:
    """Take min(S, stake left) from the stake: to a winning challenger a share (+ bond), the rest burned."""
    S = min(p.slash_usd, d["stake"]) if p.rules.slash_capped else p.slash_usd
    d["stake"] -= S
    d["slashed"] += S
    d["phase"] = Phase.SLASHED
    if winner is None:
        d["burned_slash"] += S
        return
    reward = p.reward_share * S
    burn = S - reward if p.rules.burn_rule == "rest" else S
    d["rewards"] += reward
    d["burned_slash"] += burn
    d[f"{winner}_reward"] += reward
    d[f"{winner}_wallet"] += reward
    if p.rules.refund_bond_on_win:
        d[f"{winner}_wallet"] += d[f"{winner}_lock"]
    else:
        d["burned_bond"] += d[f"{winner}_lock"]
    d[f"{winner}_lock"] = Fraction(0)
    d[f"{winner}_ph"] = SlotPhase.WON


def _void_open(d: dict) -> None:
    for x in SLOTS:
        if d[f"{x}_ph"] in OPEN_SLOT:
            d[f"{x}_wallet"] += d[f"{x}_lock"]
            d[f"{x}_lock"] = Fraction(0)
            d[f"{x}_ph"] = SlotPhase.VOID


def _lose(p: Params, d: dict, x: str) -> None:
    if p.rules.loser_payout == "refund":
        d[f"{x}_wallet"] += d[f"{x}_lock"]
    else:
        d["burned_bond"] += d[f"{x}_lock"]
    d[f"{x}_lock"] = Fraction(0)
    d[f"{x}_ph"] = SlotPhase.LOST


def _lose_open(p: Params, d: dict) -> None:
    for x in SLOTS:
        if d[f"{x}_ph"] in OPEN_SLOT:
            _lose(p, d, x)


def _require(cond: bool, why: str) -> None:
    if not cond:
        raise Disabled(why)


def step(p: Params, s: State, a: Action) -> State:
    """The state after action ``a``.

    Raises
    ------
    Disabled
        When the action's guard does not hold in ``s``.
    """
    d = dict(s.__dict__)
    k = a.kind
    if k == "tick":
        _require(a.delta > 0, "tick: delta must be > 0")
        why = time_allows(p, s, s.t + a.delta)
        _require(why is None, f"tick: {why}")
        d["t"] = s.t + a.delta
    elif k == "commit":
        _require(s.phase == Phase.RECEIVED, "commit: only once, from RECEIVED")
        _require(a.v or not s.honest, "commit: an honest prover commits a valid result")
        _require(a.aok or not s.honest, "commit: an honest prover's attestation verifies")
        _require(
            s.compromised or a.aok == a.v or p.rules.measurement_source == "prover",
            "commit: an intact TEE attests exactly the valid results (for the registry's measurement)",
        )
        d.update(phase=Phase.COMMITTED, t_commit=s.t, valid=a.v, att_ok=a.aok, knew_sel=s.sel_drawn)
    elif k == "draw":
        _require(not s.sel_drawn, "draw: the randomness is revealed once")
        early = (not p.randomness_after_commit or s.colluding_proposer) and s.phase == Phase.RECEIVED
        _require(s.phase == Phase.COMMITTED or early, "draw: only after the commitment")
        _require(not (p.spot_check_rate == 0 and a.sel), "draw: rho = 0 never selects")
        _require(not (p.spot_check_rate == 1 and not a.sel), "draw: rho = 1 always selects")
        d.update(sel_drawn=True, selected=a.sel)
    elif k == "verify":
        _require(s.phase == Phase.COMMITTED, "verify: from COMMITTED")
        _require(s.sel_drawn, "verify: after the spot-check draw")
        _require(s.t >= s.t_commit + p.attestation_latency_s, "verify: the attestation check takes L_att")
        if p.attestation_gate and not s.att_ok:
            _slash(p, d, None)
            d["phase"] = Phase.REJECTED
        else:
            d.update(phase=Phase.PROVISIONAL, t_prov=s.t, was_prov=True)
            if s.selected:
                d.update(spot=Spot.DEMANDED, t_dem=s.t)
    elif k == "finalize":
        _require(s.phase == Phase.PROVISIONAL, "finalize: from PROVISIONAL")
        _require(s.t >= _window_end(p, s), "finalize: the window is still open")
        _require(s.spot != Spot.DEMANDED or p.rules.finality_while_proof_pending, "finalize: a demanded proof is pending")
        d["phase"] = Phase.FINAL
        _lose_open(p, d)
    elif k == "deliver":
        _require(s.phase == Phase.PROVISIONAL and s.spot == Spot.DEMANDED, "deliver: a proof must be demanded")
        _require(s.valid, "deliver: no ZK proof exists for an invalid result")
        _require(s.t_dem + p.proof_latency_s <= s.t <= s.t_dem + p.proof_deadline_s, "deliver: between proving time and deadline")
        d["spot"] = Spot.DELIVERED
    elif k == "miss":
        _require(s.phase == Phase.PROVISIONAL and s.spot == Spot.DEMANDED, "miss: a proof must be demanded")
        if p.rules.miss_at_deadline:
            _require(s.t >= s.t_dem + p.proof_deadline_s, "miss: the deadline has not come")
        else:
            _require(s.t > s.t_dem + p.proof_deadline_s, "miss: the deadline has not passed")
        d["spot"] = Spot.MISSED
        if p.slash_on_missed_proof:
            _slash(p, d, None)
        else:
            d["phase"] = Phase.REJECTED
        _void_open(d)
    elif k == "withdraw":
        _require(not s.withdrawn, "withdraw: once")
        _require(s.phase != Phase.RECEIVED, "withdraw: the stake backs a committed query")
        _require(s.t >= s.t_commit + p.unbonding_s, "withdraw: the unbonding period has not passed")
        d.update(P_bal=s.P_bal + s.stake, stake=Fraction(0), withdrawn=True)
    else:
        _slot_step(p, s, a, d)
    return State(**d)


def _slot_step(p: Params, s: State, a: Action, d: dict) -> None:
    x, k = a.slot, a.kind
    sl = slot(s, x)
    _require(s.phase == Phase.PROVISIONAL, f"{k}: the query must be provisionally final")
    in_time = lambda: s.t < sl["dl"] or not p.rules.round_timeout  # noqa: E731
    if k == "open":
        _require(p.has_dispute, "open: the scheme has no dispute game")
        _require(sl["ph"] == SlotPhase.IDLE, "open: this challenger has no dispute yet")
        _require(s.t <= _window_end(p, s), "open: only within the window")
        _require(sl["wallet"] >= p.bond_usd, "open: the bond must be available")
        if x == "H":
            _require(s.honest_live and not s.valid, "open H: the honest challenger disputes exactly the invalid results")
            _require(s.t <= s.t_prov + s.cens, "open H: included by t_prov + cens")
        d[f"{x}_lock"] = p.bond_usd
        d[f"{x}_wallet"] = sl["wallet"] - p.bond_usd
        d[f"{x}_gas"] = sl["gas"] + p.open_gas_usd
        d[f"{x}_open"] = s.t
        d[f"{x}_r"] = 0
        d[f"{x}_pp"] = d[f"{x}_cp"] = False
        if p.rounds == 0:
            d[f"{x}_ph"] = SlotPhase.ONESTEP
            d[f"{x}_dl"] = _onestep_deadline(p, s, s.t)
        else:
            d[f"{x}_ph"] = SlotPhase.ROUNDS
            d[f"{x}_dl"] = s.t + p.round_timeout_s
    elif k in ("post_p", "post_c"):
        who = k[-1]
        _require(sl["ph"] == SlotPhase.ROUNDS, f"{k}: a bisection round must be open")
        _require(not sl[f"{who}p"], f"{k}: already answered this round")
        _require(in_time(), f"{k}: the round deadline has passed")
        _require(who == "p" or _may_answer(p, sl), "post_c: the challenger answers after the prover's move (prover_first)")
        d[f"{x}_{who}p"] = True
        if who == "p":
            d[f"{x}_pgas"] = sl["pgas"] + p.step_gas_usd
        else:
            d[f"{x}_gas"] = sl["gas"] + p.step_gas_usd
    elif k == "advance":
        _require(sl["ph"] == SlotPhase.ROUNDS and sl["pp"] and sl["cp"], "advance: both parties answered the round")
        _require(1 <= a.j <= p.rounds - sl["r"], "advance: 1 <= j <= rounds left")
        _require(a.delta >= 0 and (a.j > 1 or a.delta == 0), "advance: extra time only for extra rounds")
        # the first round completes now; each further round takes an equal share of delta
        t = s.t
        r = sl["r"] + 1
        each = a.delta / (a.j - 1) if a.j > 1 else Fraction(0)
        _require(not p.rules.round_timeout or each < p.round_timeout_s, "advance: each further round is shorter than R")
        for _ in range(a.j - 1):
            t += each
            why = time_allows(p, s, t, skip=x)
            _require(why is None, f"advance: {why}")
            r += 1
        d["t"] = t
        d[f"{x}_r"] = r
        d[f"{x}_pgas"] = sl["pgas"] + (a.j - 1) * p.step_gas_usd  # each accelerated round: one move each
        d[f"{x}_gas"] = sl["gas"] + (a.j - 1) * p.step_gas_usd
        d[f"{x}_pp"] = d[f"{x}_cp"] = False
        if r == p.rounds:
            d[f"{x}_ph"] = SlotPhase.ONESTEP
            d[f"{x}_dl"] = _onestep_deadline(p, s, t)
        else:
            d[f"{x}_dl"] = t + p.round_timeout_s
    elif k == "timeout":
        _require(p.rules.round_timeout, "timeout: rounds have no timeout")
        _require(sl["ph"] == SlotPhase.ROUNDS, "timeout: a bisection round must be open")
        _require(s.t >= sl["dl"], "timeout: the deadline has not come")
        _require(not (sl["pp"] and sl["cp"]), "timeout: both answered, the round advances")
        if _timeout_won(p, sl["pp"], sl["cp"]):
            _slash(p, d, x)
            _void_open(d)
        else:
            _lose(p, d, x)
    elif k == "settle":
        _require(sl["ph"] == SlotPhase.ONESTEP, "settle: the one-step check must be due")
        _require(s.t <= sl["dl"], "settle: by the settlement deadline")
        _require(p.rules.settle_in_window or s.t >= _window_end(p, s), "settle: not before the window closes")
        _require(not (a.win and s.valid), "settle: a valid result passes the one-step check")
        censored = p.censorship_s >= p.settlement_s and s.t >= sl["dl"]
        _require(
            not (x == "H" and not s.valid and not a.win and not censored),
            "settle: the honest challenger wins against an invalid result (unless its one-step proof is censored to the deadline)",
        )
        if a.win:
            _slash(p, d, x)
            _void_open(d)
        else:
            _lose(p, d, x)


def _timeout_won(p: Params, pp: bool, cp: bool) -> bool:
    """The challenger wins a timed-out round: the prover did not move and the challenger did, or
    neither did and ties go against the prover (always, if ``timeout_against_silent_party`` is off)."""
    if not p.rules.timeout_against_silent_party:
        return True
    return not pp and (cp or p.rules.timeout_tie_break == "against_prover")


def _onestep_deadline(p: Params, s: State, t: Fraction) -> Fraction:
    if p.rules.settle_in_window:
        return t + p.settlement_s
    return max(t, _window_end(p, s)) + p.settlement_s


def run(p: Params, s: State, actions: Iterable[Action]) -> State:
    """Apply ``actions`` in order; the last state."""
    for a in actions:
        s = step(p, s, a)
    return s


def trace(p: Params, s: State, actions: Iterable[Action]) -> Iterator[State]:
    """Every state along ``actions``, the first included."""
    yield s
    for a in actions:
        s = step(p, s, a)
        yield s
