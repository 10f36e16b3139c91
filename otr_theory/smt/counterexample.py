"""Counterexamples: replay through the plain-Python interpreter, and a readable timeline.

A trace found by z3 (:class:`~otr_theory.smt.prover.Trace`) is replayed by
:func:`replay_trace`: the interpreter starts from the environment's choices of the trace's first
frame, applies the trace's actions one by one, and every state it computes must equal z3's frame
field by field; the theorem evaluated in Python on the last state must be false. Only then is the
counterexample *replayed*. A trace that does not replay is evidence of a disagreement between
the two encodings and is never reported as a violation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from otr_theory.smt.interpreter import FIELDS, Action, Disabled, State, initial_state, step
from otr_theory.smt.params import Params
from otr_theory.smt.prover import Trace
from otr_theory.smt.views import python_view
from otr_theory.smt.vocabulary import PY, Phase, SlotPhase, Spot

__all__ = ["Counterexample", "Step", "replay_trace", "action_of", "describe_setting", "fmt_time", "fmt_usd"]


@dataclasses.dataclass(frozen=True)
class Step:
    """One line of a timeline: the clock after the step, the action, and what happened."""

    t: Fraction
    action: Action | None
    text: str


@dataclasses.dataclass(frozen=True)
class Counterexample:
    """A violation: a timeline (``kind = "trace"``) or a parameter point (``kind = "point"``).

    Attributes
    ----------
    kind : str
    setting : str
        The environment's choices (trace) or the point's coordinates (point), in words.
    steps : tuple of Step
        The timeline, in order (empty for a point).
    violated : tuple of str
        The theorem's clauses that fail at the end.
    replayed : bool
        The plain-Python interpreter reproduced the trace and the violation (for a point: the
        property evaluated in Python at the point is false).
    note : str
        How the replay went.
    point : mapping or None
        The coordinates of a point counterexample.
    """

    kind: str
    setting: str
    steps: tuple[Step, ...]
    violated: tuple[str, ...]
    replayed: bool
    note: str
    point: Mapping[str, Any] | None = None

    def lines(self) -> list[str]:
        """The counterexample as readable lines (a timeline for a trace)."""
        out = [self.setting]
        width = max([len(fmt_time(s.t)) for s in self.steps] or [1])
        for i, s in enumerate(self.steps, 1):
            out.append(f"{i:>3}. t = {fmt_time(s.t):>{width}} s  {s.text}")
        out += [f"  violated: {v}" for v in self.violated]
        out.append(f"  replay: {self.note}")
        return out


def fmt_time(t: Fraction) -> str:
    """A time in seconds for a timeline.

    >>> fmt_time(Fraction(86400)), fmt_time(Fraction(1728001, 20)), fmt_time(Fraction(1, 3)), fmt_time(Fraction(1, 3120))
    ('86400', '86400.05', '0.333', '0.000320513')
    """
    if t.denominator == 1:
        return str(t.numerator)
    if abs(t) >= Fraction(1, 100):
        return f"{float(t):.3f}".rstrip("0").rstrip(".")
    return f"{float(t):.6g}"


def fmt_usd(x: Fraction) -> str:
    """Money for a timeline.

    >>> fmt_usd(Fraction(100000)), fmt_usd(Fraction(-50000)), fmt_usd(Fraction(1, 4))
    ('$100,000', '-$50,000', '$0.25')
    """
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x.denominator == 1:
        return f"{sign}${x.numerator:,}"
    return f"{sign}${float(x):,.6g}"


_WHO = {"H": "the honest challenger", "G": "another challenger"}


def describe_setting(s: State) -> str:
    """The environment's choices of a trace, in words."""
    parts = [
        "prover " + ("honest" if s.honest else "dishonest"),
        "TEE " + ("compromised (can forge attestations)" if s.compromised else "intact"),
        "honest challenger " + (f"live, its challenge censored for {fmt_time(s.cens)} s" if s.honest_live else "absent"),
        f"stake left for this query {fmt_usd(s.stake_init)}",
    ]
    if s.colluding_proposer:
        parts.append("the block proposer colludes with the prover (sees the block-hash randomness first)")
    return "setting: " + "; ".join(parts)


def describe(p: Params, before: State, a: Action, after: State) -> str:
    """What action ``a`` did, in words."""
    k, x = a.kind, a.slot
    if k == "tick":
        return f"{fmt_time(a.delta)} s pass"
    if k == "commit":
        what = "a valid result" if a.v else "an INVALID result (not the registered model's output)"
        att = "an attestation for the registered model" if a.aok else "an attestation that does not verify"
        forged = " (forged: the TEE is compromised)" if a.aok and not a.v else ""
        return f"the prover commits {what} with {att}{forged}"
    if k == "draw":
        early = " BEFORE the commitment" if before.phase == Phase.RECEIVED else ""
        return f"spot-check randomness revealed{early}: query {'selected' if a.sel else 'not selected'}"
    if k == "verify":
        if after.phase == Phase.REJECTED:
            return f"the attestation fails verification: rejected, stake slashed {fmt_usd(after.slashed - before.slashed)} (burned)"
        gate = "attestation verified" if p.attestation_gate else "no attestation check"
        text = f"{gate}: PROVISIONALLY FINAL, window closes at t = {fmt_time(after.t_prov + p.window_s)} s"
        if after.spot == Spot.DEMANDED:
            text += f"; ZK proof demanded by t = {fmt_time(after.t_dem + p.proof_deadline_s)} s"
        return text
    if k == "withdraw":
        return f"the prover withdraws its stake {fmt_usd(before.stake)} (unbonding period {fmt_time(p.unbonding_s)} s passed)"
    if k == "finalize":
        return "window closed with no successful challenge: FINAL" + ("" if after.valid else " (the result is INVALID)")
    if k == "deliver":
        return "the ZK proof is delivered in time"
    if k == "miss":
        if after.phase == Phase.SLASHED:
            return f"proof deadline passed without a proof: slashed {fmt_usd(after.slashed - before.slashed)} (burned)"
        return "proof deadline passed without a proof: result rejected, nothing slashed"
    who = _WHO[x]
    if k == "open":
        due = after.get(x, "dl")
        return f"{who} opens dispute {x} (bond {fmt_usd(p.bond_usd)} locked); first round due by t = {fmt_time(due)} s"
    if k in ("post_p", "post_c"):
        party = "the prover" if k == "post_p" else who
        return f"{party} answers round {before.get(x, 'r') + 1} of dispute {x}"
    if k == "advance":
        r0, r1 = before.get(x, "r") + 1, after.get(x, "r")
        rounds = f"round {r0}" if r0 == r1 else f"rounds {r0}-{r1}"
        text = f"{rounds} of dispute {x} complete ({p.rounds} in all)"
        if after.get(x, "ph") == SlotPhase.ONESTEP:
            text += f"; one-step check due by t = {fmt_time(after.get(x, 'dl'))} s"
        else:
            text += f"; next round due by t = {fmt_time(after.get(x, 'dl'))} s"
        return text
    verdict = _verdict(p, before, after, x)
    if k == "timeout":
        return f"round {before.get(x, 'r') + 1} of dispute {x} times out: {verdict}"
    return f"one-step check of dispute {x}: {verdict}"


def _verdict(p: Params, before: State, after: State, x: str) -> str:
    if after.get(x, "ph") == SlotPhase.WON:
        reward = after.get(x, "reward") - before.get(x, "reward")
        burned = after.burned_slash - before.burned_slash
        refund = "bond refunded" if after.get(x, "wallet") - before.get(x, "wallet") > reward else "bond NOT refunded"
        return f"{_WHO[x]} wins, prover slashed {fmt_usd(after.slashed - before.slashed)}: reward {fmt_usd(reward)}, burned {fmt_usd(burned)}, {refund}"
    kept = "refunded" if after.get(x, "wallet") > before.get(x, "wallet") else "forfeited"
    return f"{_WHO[x]} loses (bond {fmt_usd(p.bond_usd)} {kept}; gas spent: challenger {fmt_usd(after.get(x, 'gas'))}, prover {fmt_usd(after.get(x, 'pgas'))})"


def action_of(inputs: Mapping[str, Any]) -> Action:
    """The interpreter's action for one step of a z3 trace (only the arguments it uses)."""
    k = inputs["kind"]
    kw: dict[str, Any] = {}
    if k in ("tick", "advance"):
        kw["delta"] = inputs["delta"]
    if k == "advance":
        kw["j"] = inputs["j"]
    if k == "commit":
        kw.update(v=inputs["v"], aok=inputs["aok"])
    if k == "draw":
        kw["sel"] = inputs["sel"]
    if k == "settle":
        kw["win"] = inputs["win"]
    return Action(k, inputs["slot"], **kw)


def _diff(state: State, frame: Mapping[str, Any]) -> list[str]:
    return [f for f in FIELDS if getattr(state, f) != frame[f]]


def replay_trace(p: Params, trace: Trace, clauses: Callable) -> Counterexample:
    """Replay a z3 trace through the interpreter and build the counterexample record."""
    f0 = trace.frames[0]
    steps: list[Step] = []
    try:
        s = initial_state(
            p,
            honest=f0["honest"],
            compromised=f0["compromised"],
            honest_live=f0["honest_live"],
            cens=f0["cens"],
            stake_init=f0["stake_init"],
            colluding_proposer=f0["colluding_proposer"],
        )
    except Disabled as e:
        return _failed(p, trace, f"the initial choices are not allowed by the interpreter: {e}")
    setting = describe_setting(s)
    bad = _diff(s, f0)
    if bad:
        return _failed(p, trace, f"initial state differs in {', '.join(bad)}")
    for d, inputs in enumerate(trace.inputs):
        a = action_of(inputs)
        try:
            n = step(p, s, a)
        except Disabled as e:
            return _failed(p, trace, f"step {d + 1} ({a.kind}) is not enabled in the interpreter: {e}")
        bad = _diff(n, trace.frames[d + 1])
        if bad:
            return _failed(p, trace, f"after step {d + 1} ({a.kind}) the states differ in {', '.join(bad)}")
        steps.append(Step(n.t, a, describe(p, s, a, n)))
        s = n
    violated = tuple(label for label, holds in clauses(python_view(p, s), PY) if not holds)
    if not violated:
        return _failed(p, trace, "the interpreter reached the last state but the property holds there")
    note = f"the interpreter reproduced all {len(steps)} steps state by state and the violation"
    return Counterexample("trace", setting, tuple(steps), violated, True, note)


def _failed(p: Params, trace: Trace, why: str) -> Counterexample:
    steps = tuple(Step(f["t"], None, "") for f in trace.frames[1:])
    return Counterexample("trace", "setting: (not replayed)", steps, (), False, f"NOT replayed: {why}")
