"""The protocol as a z3 transition system, generated from a model's :class:`Params`.

The rules are those of :mod:`otr_theory.smt.interpreter` (whose docstring is the specification),
encoded here a second time, directly as z3 formulas over two frames ``s`` (now) and ``n`` (next)
and the step's inputs ``i``:

* frame fields: Booleans, integers (phases, round counters) and reals (times in seconds, money
  in USD), all model constants exact rationals;
* inputs: ``act`` (which action, :data:`ACTION_CODES`), ``delta`` (time passing), ``j`` (rounds
  completed at once), ``v``, ``aok``, ``sel``, ``win`` (the choices of commit, draw and settle);
* :meth:`System.init` is the initial condition, :meth:`System.trans` the one-step relation: a
  disjunction, one disjunct per action branch, each its guard and its updates, every other field
  unchanged.

Time is dense (reals); deadlines are location invariants that every time-passing step respects,
so "the timeout fires at the deadline" holds without a discrete clock. Bisection rounds that
both parties answer can be completed several at a time (``advance`` with ``j`` rounds): an exact
acceleration, so counterexamples do not grow with K = ceil(log_k N).

Examples
--------
>>> from otr_theory.model import load_model
>>> from otr_theory.smt.params import Params
>>> sys_ = System(Params.from_model(load_model()))
>>> s = sys_.frame("0")
>>> z3.Solver().check(sys_.init(s), s["phase"] != 0)
unsat
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from otr_theory.smt.params import Params
from otr_theory.smt.vocabulary import SLOTS, Phase, SlotPhase, Spot

__all__ = ["System", "FIELD_SORTS", "INPUT_SORTS", "ACTION_CODES"]

_B, _I, _R = "bool", "int", "real"

FIELD_SORTS: dict[str, str] = {
    "honest": _B,
    "compromised": _B,
    "honest_live": _B,
    "cens": _R,
    "stake_init": _R,
    "colluding_proposer": _B,
    "phase": _I,
    "t": _R,
    "t_commit": _R,
    "t_prov": _R,
    "valid": _B,
    "att_ok": _B,
    "knew_sel": _B,
    "was_prov": _B,
    "sel_drawn": _B,
    "selected": _B,
    "spot": _I,
    "t_dem": _R,
}
for _x in SLOTS:
    FIELD_SORTS.update(
        {
            f"{_x}_ph": _I,
            f"{_x}_r": _I,
            f"{_x}_dl": _R,
            f"{_x}_open": _R,
            f"{_x}_pp": _B,
            f"{_x}_cp": _B,
            f"{_x}_lock": _R,
            f"{_x}_wallet": _R,
            f"{_x}_reward": _R,
            f"{_x}_gas": _R,
            f"{_x}_pgas": _R,
        }
    )
FIELD_SORTS.update({"stake": _R, "P_bal": _R, "withdrawn": _B, "slashed": _R, "rewards": _R, "burned_slash": _R, "burned_bond": _R})

INPUT_SORTS = {"act": _I, "delta": _R, "j": _I, "v": _B, "aok": _B, "sel": _B, "win": _B}

ACTION_CODES: dict[tuple[str, str | None], int] = {}
for _k in ("tick", "commit", "draw", "verify", "finalize", "deliver", "miss", "withdraw"):
    ACTION_CODES[(_k, None)] = len(ACTION_CODES)
for _k in ("open", "post_p", "post_c", "advance", "timeout", "settle"):
    for _x in SLOTS:
        ACTION_CODES[(_k, _x)] = len(ACTION_CODES)
CODE_ACTIONS = {c: ka for ka, c in ACTION_CODES.items()}

_MAKE = {_B: z3.Bool, _I: z3.Int, _R: z3.Real}

Frame = dict[str, z3.ExprRef]


class System:
    """The z3 transition system of one model (see the module docstring)."""

    def __init__(self, params: Params):
        self.p = params
        q = z3.RealVal
        self.W = q(params.window_s)
        self.R = q(params.round_timeout_s)
        self.K = params.rounds
        self.T = q(params.settlement_s)
        self.C = q(params.censorship_s)
        self.L_att = q(params.attestation_latency_s)
        self.L_proof = q(params.proof_latency_s)
        self.deadline = q(params.proof_deadline_s)
        self.S = q(params.slash_usd)
        self.a = q(params.reward_share)
        self.U = q(params.unbonding_s)
        self.open_gas = q(params.open_gas_usd)
        self.step_gas = q(params.step_gas_usd)
        self.B = q(params.bond_usd)
        self.stake0 = q(params.stake_usd)
        self.rho = params.spot_check_rate

    # ------------------------------------------------------------------ frames
    @staticmethod
    def frame(tag: str) -> Frame:
        """Fresh z3 constants for every field, named ``field@tag``."""
        return {f: _MAKE[srt](f"{f}@{tag}") for f, srt in FIELD_SORTS.items()}

    @staticmethod
    def inputs(tag: str) -> Frame:
        """Fresh z3 constants for a step's inputs, named ``input@tag``."""
        return {f: _MAKE[srt](f"{f}@{tag}") for f, srt in INPUT_SORTS.items()}

    # ------------------------------------------------------------------ initial condition
    def init(self, s: Frame) -> z3.BoolRef:
        """The query has just arrived; the environment's choices are constrained by the model."""
        p = self.p
        zero = z3.RealVal(0)
        eqs = [
            s["phase"] == int(Phase.RECEIVED),
            s["t"] == zero,
            s["t_commit"] == zero,
            s["t_prov"] == zero,
            z3.Not(s["valid"]),
            z3.Not(s["att_ok"]),
            z3.Not(s["knew_sel"]),
            z3.Not(s["was_prov"]),
            z3.Not(s["sel_drawn"]),
            z3.Not(s["selected"]),
            s["spot"] == int(Spot.NONE),
            s["t_dem"] == zero,
            s["stake_init"] >= zero,
            s["stake_init"] <= self.stake0,
            s["stake"] == s["stake_init"],
            s["P_bal"] == zero,
            z3.Not(s["withdrawn"]),
            z3.Implies(s["colluding_proposer"], z3.BoolVal(p.rules.randomness_source == "block_hash")),
            s["slashed"] == zero,
            s["rewards"] == zero,
            s["burned_slash"] == zero,
            s["burned_bond"] == zero,
            z3.Implies(s["compromised"], z3.BoolVal(p.compromise_possible)),
            z3.Implies(s["honest_live"], z3.BoolVal(p.honest_challenger_possible)),
            s["cens"] >= zero,
            s["cens"] <= self.C,
        ]
        for x in SLOTS:
            eqs += [
                s[f"{x}_ph"] == int(SlotPhase.IDLE),
                s[f"{x}_r"] == 0,
                s[f"{x}_dl"] == zero,
                s[f"{x}_open"] == zero,
                z3.Not(s[f"{x}_pp"]),
                z3.Not(s[f"{x}_cp"]),
                s[f"{x}_lock"] == zero,
                s[f"{x}_wallet"] == self.B,
                s[f"{x}_reward"] == zero,
                s[f"{x}_gas"] == zero,
                s[f"{x}_pgas"] == zero,
            ]
        return z3.And(eqs)

    # ------------------------------------------------------------------ time
    def time_ok(self, s: Frame, tn: z3.ArithRef, skip: str | None = None) -> z3.BoolRef:
        """Every location invariant (deadline) allows the clock to read ``tn``."""
        prov = s["phase"] == int(Phase.PROVISIONAL)
        demanded = s["spot"] == int(Spot.DEMANDED)
        c = [
            z3.Implies(s["phase"] == int(Phase.COMMITTED), tn <= s["t_commit"] + self.L_att),
            z3.Implies(z3.And(prov, z3.Or(z3.Not(demanded), z3.BoolVal(self.p.rules.finality_while_proof_pending))), tn <= s["t_prov"] + self.W),
            z3.Implies(
                z3.And(prov, s["H_ph"] == int(SlotPhase.IDLE), s["honest_live"], z3.Not(s["valid"]), s["cens"] <= self.W),
                tn <= s["t_prov"] + s["cens"],
            ),
            z3.Implies(z3.And(prov, demanded, s["honest"]), tn <= s["t_dem"] + self.L_proof + self.C),
        ]
        if self.p.rules.miss_at_deadline:
            c.append(z3.Implies(z3.And(prov, demanded), tn <= s["t_dem"] + self.deadline))
        land = self.p.censorship_s < self.p.round_timeout_s
        for x in SLOTS:
            if x == skip:
                continue
            rounds = s[f"{x}_ph"] == int(SlotPhase.ROUNDS)
            dl = s[f"{x}_dl"]
            c.append(z3.Implies(z3.And(rounds, s[f"{x}_pp"], s[f"{x}_cp"]), tn <= s["t"]))
            if self.p.rules.round_timeout:
                c.append(z3.Implies(rounds, tn <= dl))
            if land:
                c.append(z3.Implies(z3.And(rounds, s["honest"], z3.Not(s[f"{x}_pp"])), tn < dl))
            if land and x == "H":
                c.append(z3.Implies(z3.And(rounds, z3.Not(s["H_cp"]), self.may_answer(s, x)), tn < dl))
            c.append(z3.Implies(s[f"{x}_ph"] == int(SlotPhase.ONESTEP), tn <= dl))
        return z3.And(c)

    def may_answer(self, s: Frame, x: str) -> z3.BoolRef:
        """The challenger may answer the round (after the prover if ``prover_first``)."""
        if self.p.rules.move_order == "simultaneous":
            return z3.BoolVal(True)
        return s[f"{x}_pp"]

    def onestep_deadline(self, s: Frame, t: z3.ArithRef) -> z3.ArithRef:
        if self.p.rules.settle_in_window:
            return t + self.T
        end = s["t_prov"] + self.W
        return z3.If(t >= end, t, end) + self.T

    # ------------------------------------------------------------------ effects (dicts of new values)
    def _slash(self, s: Frame, u: dict, winner: str | None) -> None:
        take = z3.If(s["stake"] >= self.S, self.S, s["stake"]) if self.p.rules.slash_capped else self.S
        u["stake"] = s["stake"] - take
        u["slashed"] = s["slashed"] + take
        u["phase"] = z3.IntVal(int(Phase.SLASHED))
        if winner is None:
            u["burned_slash"] = s["burned_slash"] + take
            return
        x = winner
        reward = self.a * take
        burn = take - reward if self.p.rules.burn_rule == "rest" else take
        u["rewards"] = s["rewards"] + reward
        u["burned_slash"] = s["burned_slash"] + burn
        u[f"{x}_reward"] = s[f"{x}_reward"] + reward
        if self.p.rules.refund_bond_on_win:
            u[f"{x}_wallet"] = s[f"{x}_wallet"] + reward + s[f"{x}_lock"]
        else:
            u[f"{x}_wallet"] = s[f"{x}_wallet"] + reward
            u["burned_bond"] = s["burned_bond"] + s[f"{x}_lock"]
        u[f"{x}_lock"] = z3.RealVal(0)
        u[f"{x}_ph"] = z3.IntVal(int(SlotPhase.WON))

    def _void(self, s: Frame, u: dict, slots: tuple[str, ...] = SLOTS) -> None:
        for x in slots:
            ph = s[f"{x}_ph"]
            is_open = z3.Or(ph == int(SlotPhase.ROUNDS), ph == int(SlotPhase.ONESTEP))
            u[f"{x}_wallet"] = z3.If(is_open, s[f"{x}_wallet"] + s[f"{x}_lock"], s[f"{x}_wallet"])
            u[f"{x}_lock"] = z3.If(is_open, z3.RealVal(0), s[f"{x}_lock"])
            u[f"{x}_ph"] = z3.If(is_open, z3.IntVal(int(SlotPhase.VOID)), ph)

    def _lose(self, s: Frame, u: dict, x: str) -> None:
        if self.p.rules.loser_payout == "refund":
            u[f"{x}_wallet"] = s[f"{x}_wallet"] + s[f"{x}_lock"]
        else:
            u["burned_bond"] = s["burned_bond"] + s[f"{x}_lock"]
        u[f"{x}_lock"] = z3.RealVal(0)
        u[f"{x}_ph"] = z3.IntVal(int(SlotPhase.LOST))

    def _lose_open(self, s: Frame, u: dict) -> None:
        """At finality every dispute still open is lost (in order H then G: the burns add up)."""
        burned = s["burned_bond"]
        for x in SLOTS:
            ph = s[f"{x}_ph"]
            is_open = z3.Or(ph == int(SlotPhase.ROUNDS), ph == int(SlotPhase.ONESTEP))
            if self.p.rules.loser_payout == "refund":
                u[f"{x}_wallet"] = z3.If(is_open, s[f"{x}_wallet"] + s[f"{x}_lock"], s[f"{x}_wallet"])
            else:
                burned = z3.If(is_open, burned + s[f"{x}_lock"], burned)
            u[f"{x}_lock"] = z3.If(is_open, z3.RealVal(0), s[f"{x}_lock"])
            u[f"{x}_ph"] = z3.If(is_open, z3.IntVal(int(SlotPhase.LOST)), ph)
        u["burned_bond"] = burned

    # ------------------------------------------------------------------ the relation
    def branches(self, s: Frame, i: Frame) -> list[tuple[str, str | None, list, dict]]:
        """Every action branch as (kind, slot, guards, updates)."""
        p = self.p
        out: list[tuple[str, str | None, list, dict]] = []
        prov = s["phase"] == int(Phase.PROVISIONAL)
        demanded = s["spot"] == int(Spot.DEMANDED)
        t = s["t"]

        out.append(("tick", None, [i["delta"] > 0, self.time_ok(s, t + i["delta"])], {"t": t + i["delta"]}))
        out.append(
            (
                "commit",
                None,
                [
                    s["phase"] == int(Phase.RECEIVED),
                    z3.Implies(s["honest"], z3.And(i["v"], i["aok"])),
                    z3.Implies(z3.And(z3.Not(s["compromised"]), z3.BoolVal(p.rules.measurement_source == "registry")), i["aok"] == i["v"]),
                ],
                {"phase": z3.IntVal(int(Phase.COMMITTED)), "t_commit": t, "valid": i["v"], "att_ok": i["aok"], "knew_sel": s["sel_drawn"]},
            )
        )
        when = [s["phase"] == int(Phase.COMMITTED)]
        if not p.randomness_after_commit:
            when.append(s["phase"] == int(Phase.RECEIVED))
        else:
            when.append(z3.And(s["colluding_proposer"], s["phase"] == int(Phase.RECEIVED)))
        g = [z3.Not(s["sel_drawn"]), z3.Or(when)]
        if self.rho == 0:
            g.append(z3.Not(i["sel"]))
        if self.rho == 1:
            g.append(i["sel"])
        out.append(("draw", None, g, {"sel_drawn": z3.BoolVal(True), "selected": i["sel"]}))

        vg = [s["phase"] == int(Phase.COMMITTED), s["sel_drawn"], t >= s["t_commit"] + self.L_att]
        if p.attestation_gate:
            u: dict = {}
            self._slash(s, u, None)
            u["phase"] = z3.IntVal(int(Phase.REJECTED))
            out.append(("verify", None, [*vg, z3.Not(s["att_ok"])], u))
            vg = [*vg, s["att_ok"]]
        out.append(
            (
                "verify",
                None,
                vg,
                {
                    "phase": z3.IntVal(int(Phase.PROVISIONAL)),
                    "t_prov": t,
                    "was_prov": z3.BoolVal(True),
                    "spot": z3.If(s["selected"], z3.IntVal(int(Spot.DEMANDED)), s["spot"]),
                    "t_dem": z3.If(s["selected"], t, s["t_dem"]),
                },
            )
        )
        u = {"phase": z3.IntVal(int(Phase.FINAL))}
        self._lose_open(s, u)
        fg = [prov, t >= s["t_prov"] + self.W]
        if not p.rules.finality_while_proof_pending:
            fg.append(z3.Not(demanded))
        out.append(("finalize", None, fg, u))
        out.append(
            (
                "deliver",
                None,
                [prov, demanded, s["valid"], t >= s["t_dem"] + self.L_proof, t <= s["t_dem"] + self.deadline],
                {"spot": z3.IntVal(int(Spot.DELIVERED))},
            )
        )
        u = {"spot": z3.IntVal(int(Spot.MISSED))}
        if p.slash_on_missed_proof:
            self._slash(s, u, None)
        else:
            u["phase"] = z3.IntVal(int(Phase.REJECTED))
        self._void(s, u)
        due = t >= s["t_dem"] + self.deadline if p.rules.miss_at_deadline else t > s["t_dem"] + self.deadline
        out.append(("miss", None, [prov, demanded, due], u))
        out.append(
            (
                "withdraw",
                None,
                [z3.Not(s["withdrawn"]), s["phase"] != int(Phase.RECEIVED), t >= s["t_commit"] + self.U],
                {"P_bal": s["P_bal"] + s["stake"], "stake": z3.RealVal(0), "withdrawn": z3.BoolVal(True)},
            )
        )

        for x in SLOTS:
            out += self._slot_branches(s, i, x)
        return out

    def _slot_branches(self, s: Frame, i: Frame, x: str) -> list:
        p = self.p
        t = s["t"]
        ph, dl = s[f"{x}_ph"], s[f"{x}_dl"]
        prov = s["phase"] == int(Phase.PROVISIONAL)
        rounds = ph == int(SlotPhase.ROUNDS)
        other = tuple(y for y in SLOTS if y != x)
        in_time = [t < dl] if p.rules.round_timeout else []
        out = []
        if p.has_dispute:
            g = [prov, ph == int(SlotPhase.IDLE), t <= s["t_prov"] + self.W, s[f"{x}_wallet"] >= self.B]
            if x == "H":
                g += [s["honest_live"], z3.Not(s["valid"]), t <= s["t_prov"] + s["cens"]]
            u = {
                f"{x}_lock": self.B,
                f"{x}_wallet": s[f"{x}_wallet"] - self.B,
                f"{x}_open": t,
                f"{x}_gas": s[f"{x}_gas"] + self.open_gas,
                f"{x}_r": z3.IntVal(0),
                f"{x}_pp": z3.BoolVal(False),
                f"{x}_cp": z3.BoolVal(False),
            }
            if self.K == 0:
                u[f"{x}_ph"] = z3.IntVal(int(SlotPhase.ONESTEP))
                u[f"{x}_dl"] = self.onestep_deadline(s, t)
            else:
                u[f"{x}_ph"] = z3.IntVal(int(SlotPhase.ROUNDS))
                u[f"{x}_dl"] = t + self.R
            out.append(("open", x, g, u))
        out.append(("post_p", x, [prov, rounds, z3.Not(s[f"{x}_pp"]), *in_time], {f"{x}_pp": z3.BoolVal(True), f"{x}_pgas": s[f"{x}_pgas"] + self.step_gas}))
        out.append(("post_c", x, [prov, rounds, z3.Not(s[f"{x}_cp"]), self.may_answer(s, x), *in_time], {f"{x}_cp": z3.BoolVal(True), f"{x}_gas": s[f"{x}_gas"] + self.step_gas}))

        j, delta = i["j"], i["delta"]
        r_new = s[f"{x}_r"] + j
        t_new = t + delta
        g = [prov, rounds, s[f"{x}_pp"], s[f"{x}_cp"], j >= 1, r_new <= self.K, delta >= 0, z3.Implies(j == 1, delta == 0), self.time_ok(s, t_new, skip=x)]
        if p.rules.round_timeout:
            g.append(z3.Implies(j > 1, delta < z3.ToReal(j - 1) * self.R))
        done = r_new == self.K
        out.append(
            (
                "advance",
                x,
                g,
                {
                    "t": t_new,
                    f"{x}_r": r_new,
                    f"{x}_pp": z3.BoolVal(False),
                    f"{x}_cp": z3.BoolVal(False),
                    f"{x}_pgas": s[f"{x}_pgas"] + z3.ToReal(j - 1) * self.step_gas,
                    f"{x}_gas": s[f"{x}_gas"] + z3.ToReal(j - 1) * self.step_gas,
                    f"{x}_ph": z3.If(done, z3.IntVal(int(SlotPhase.ONESTEP)), z3.IntVal(int(SlotPhase.ROUNDS))),
                    f"{x}_dl": z3.If(done, self.onestep_deadline(s, t_new), t_new + self.R),
                },
            )
        )

        if p.rules.round_timeout:
            g = [prov, rounds, t >= dl, z3.Not(z3.And(s[f"{x}_pp"], s[f"{x}_cp"]))]
            win: dict = {}
            self._slash(s, win, x)
            self._void(s, win, other)
            lose: dict = {}
            self._lose(s, lose, x)
            if p.rules.timeout_against_silent_party:
                tie = z3.BoolVal(p.rules.timeout_tie_break == "against_prover")
                won = z3.And(z3.Not(s[f"{x}_pp"]), z3.Or(s[f"{x}_cp"], tie))
                out.append(("timeout", x, [*g, won], win))
                out.append(("timeout", x, [*g, z3.Not(won)], lose))
            else:
                out.append(("timeout", x, g, win))

        g = [prov, ph == int(SlotPhase.ONESTEP), t <= dl]
        if not p.rules.settle_in_window:
            g.append(t >= s["t_prov"] + self.W)
        win = {}
        self._slash(s, win, x)
        self._void(s, win, other)
        lose = {}
        self._lose(s, lose, x)
        win_g = [i["win"], z3.Not(s["valid"])]
        lose_g = [z3.Not(i["win"])]
        if x == "H":
            if self.p.censorship_s >= self.p.settlement_s:  # the one-step proof censored to the deadline
                lose_g.append(z3.Or(s["valid"], t >= dl))
            else:
                lose_g.append(s["valid"])
        out.append(("settle", x, [*g, *win_g], win))
        out.append(("settle", x, [*g, *lose_g], lose))
        return out

    def trans(self, s: Frame, i: Frame, n: Frame) -> z3.BoolRef:
        """The one-step relation: some action branch's guards hold and ``n`` is its result."""
        disj = []
        for kind, slot, guards, updates in self.branches(s, i):
            eqs = [n[f] == updates.get(f, s[f]) for f in FIELD_SORTS]
            disj.append(z3.And(i["act"] == ACTION_CODES[(kind, slot)], *guards, *eqs))
        return z3.Or(disj)

    # ------------------------------------------------------------------ properties
    def holds(self, fn: Callable, s: Frame) -> z3.BoolRef:
        """``fn(view, logic)`` (a property of ``proofs/`` or a lemma) on frame ``s``."""
        from otr_theory.smt.views import z3_view
        from otr_theory.smt.vocabulary import Z3

        return fn(z3_view(self.p, s), Z3)
