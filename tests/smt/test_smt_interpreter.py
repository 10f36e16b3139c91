"""The plain-Python interpreter: guards and effects by hand, and agreement with the z3 encoding.

Every step the interpreter takes on a seeded random walk must be a transition of the z3 system
(the two encodings are written independently); z3's traces replaying in the interpreter is
tested with the mutants and the reachability witnesses below.
"""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest
import z3

from otr_theory.smt.counterexample import replay_trace
from otr_theory.smt.graph import canonical_actions
from otr_theory.smt.interpreter import FIELDS, Action, Disabled, initial_state, run, step
from otr_theory.smt.prover import bmc
from otr_theory.smt.system import ACTION_CODES, FIELD_SORTS, System
from otr_theory.smt.vocabulary import Phase, SlotPhase, Spot

Q = Fraction


def _z3_value(v, sort):
    if sort == "bool":
        return z3.BoolVal(bool(v))
    if sort == "int":
        return z3.IntVal(int(v))
    return z3.RealVal(Fraction(v))


class StepChecker:
    """Is (s, a, n) a transition of the z3 relation, with the action's inputs? (one solver, reused)"""

    def __init__(self, system):
        self.f0, self.i0, self.f1 = system.frame("x0"), system.inputs("x0"), system.frame("x1")
        self.solver = z3.Solver()
        self.solver.add(system.trans(self.f0, self.i0, self.f1))

    def __call__(self, s, a, n) -> bool:
        f0, i0, f1 = self.f0, self.i0, self.f1
        eqs = []
        for f in FIELDS:
            eqs += [f0[f] == _z3_value(getattr(s, f), FIELD_SORTS[f]), f1[f] == _z3_value(getattr(n, f), FIELD_SORTS[f])]
        eqs.append(i0["act"] == ACTION_CODES[(a.kind, a.slot)])
        if a.kind in ("tick", "advance"):
            eqs.append(i0["delta"] == z3.RealVal(a.delta))
        if a.kind == "advance":
            eqs.append(i0["j"] == a.j)
        if a.kind == "commit":
            eqs += [i0["v"] == a.v, i0["aok"] == a.aok]
        if a.kind == "draw":
            eqs.append(i0["sel"] == a.sel)
        if a.kind == "settle":
            eqs.append(i0["win"] == a.win)
        self.solver.push()
        self.solver.add(eqs)
        ok = self.solver.check() == z3.sat
        self.solver.pop()
        return ok


def test_honest_query_reaches_final(params):
    s = initial_state(params, honest=True)
    s = run(params, s, [Action("commit", v=True, aok=True), Action("draw"), Action("tick", delta=Q(1, 20)), Action("verify")])
    assert s.phase == Phase.PROVISIONAL and s.t_prov == Q(1, 20)
    with pytest.raises(Disabled, match="window is still open"):
        step(params, s, Action("finalize"))
    with pytest.raises(Disabled, match="window closes"):
        step(params, s, Action("tick", delta=params.window_s + 1))
    s = run(params, s, [Action("tick", delta=params.window_s), Action("finalize")])
    assert s.phase == Phase.FINAL and s.slashed == 0


def test_intact_tee_binds_attestation_to_validity(params):
    s = initial_state(params, honest=False)
    with pytest.raises(Disabled, match="intact TEE"):
        step(params, s, Action("commit", v=False, aok=True))
    s = run(params, s, [Action("commit", v=False, aok=False), Action("draw"), Action("tick", delta=Q(1, 20)), Action("verify")])
    assert s.phase == Phase.REJECTED and s.slashed == params.slash_usd and s.burned_slash == params.slash_usd


def test_honest_challenger_wins_by_timeout_and_is_paid(params):
    s = initial_state(params, honest=False, compromised=True, honest_live=True, cens=params.censorship_s)
    s = run(params, s, [Action("commit", v=False, aok=True), Action("draw"), Action("tick", delta=Q(1, 20)), Action("verify")])
    with pytest.raises(Disabled, match="honest challenge is included"):
        step(params, s, Action("tick", delta=params.censorship_s + 1))
    s = run(params, s, [Action("tick", delta=params.censorship_s), Action("open", "H"), Action("post_c", "H")])
    assert s.H_ph == SlotPhase.ROUNDS and s.H_lock == params.bond_usd
    s = run(params, s, [Action("tick", delta=params.round_timeout_s), Action("timeout", "H")])
    reward = params.reward_share * params.slash_usd
    assert s.phase == Phase.SLASHED and s.H_ph == SlotPhase.WON
    assert s.H_wallet == params.bond_usd + reward and s.rewards == reward
    assert s.burned_slash == params.slash_usd - reward


def test_spot_check_deadline_and_delivery(params):
    s = initial_state(params, honest=True)
    s = run(params, s, [Action("commit", v=True, aok=True), Action("draw", sel=True), Action("tick", delta=Q(1, 20)), Action("verify")])
    assert s.spot == Spot.DEMANDED and s.t_dem == s.t_prov
    with pytest.raises(Disabled, match="honest prover's proof lands"):  # proving time plus censorship
        step(params, s, Action("tick", delta=params.proof_latency_s + params.censorship_s + 1))
    s = run(params, s, [Action("tick", delta=params.proof_latency_s), Action("deliver")])
    assert s.spot == Spot.DELIVERED


def test_accelerated_rounds_respect_the_timeout(params):
    s = initial_state(params, honest=False)
    s = run(params, s, [Action("commit", v=True, aok=True), Action("draw"), Action("tick", delta=Q(1, 20)), Action("verify"), Action("open", "G"), Action("post_p", "G"), Action("post_c", "G")])
    left = params.rounds
    with pytest.raises(Disabled, match="shorter than R"):
        step(params, s, Action("advance", "G", j=left, delta=(left - 1) * params.round_timeout_s))
    n = step(params, s, Action("advance", "G", j=left, delta=(left - 1) * (params.round_timeout_s - 1)))
    assert n.G_ph == SlotPhase.ONESTEP and n.G_r == params.rounds
    assert n.G_dl == n.t + params.settlement_s


def test_action_validation():
    with pytest.raises(ValueError, match="kind"):
        Action("jump")
    with pytest.raises(ValueError, match="slot"):
        Action("open")


def test_initial_choices_are_validated(params):
    with pytest.raises(Disabled, match="cens"):
        initial_state(params, honest_live=True, cens=params.censorship_s + 1)


def _random_walks(params, seed, walks, length):
    rng = random.Random(seed)
    from otr_theory.smt.graph import _initial_states

    inits = _initial_states(params)
    for _ in range(walks):
        s = rng.choice(inits)
        for _ in range(length):
            options = []
            for a in canonical_actions(params, s):
                try:
                    options.append((a, step(params, s, a)))
                except Disabled:
                    pass
            if not options:
                break
            a, n = rng.choice(options)
            yield s, a, n
            s = n


def test_every_interpreter_step_is_a_z3_transition(params):
    is_z3_step = StepChecker(System(params))
    steps = list(_random_walks(params, seed=20261127, walks=12, length=14))
    assert len(steps) > 80
    bad = [(a, s.phase) for s, a, n in steps if not is_z3_step(s, a, n)]
    # and a step with a wrong successor is not one
    s, a, n = steps[-1]
    assert not is_z3_step(s, a, dataclasses.replace(n, t=n.t + 1))
    assert bad == []


def test_disabled_interpreter_steps_are_not_z3_transitions(params):
    """The converse on the guards: an action the interpreter refuses has no z3 successor."""
    system = System(params)
    s = initial_state(params, honest=True)
    for a in (Action("verify"), Action("finalize"), Action("open", "H")):
        with pytest.raises(Disabled):
            step(params, s, a)
    f0, i0, f1 = system.frame("y0"), system.inputs("y0"), system.frame("y1")
    solver = z3.Solver()
    solver.add(system.init(f0), f0["honest"], system.trans(f0, i0, f1))
    solver.add(z3.Or(i0["act"] == ACTION_CODES[("verify", None)], i0["act"] == ACTION_CODES[("finalize", None)], i0["act"] == ACTION_CODES[("open", "H")]))
    assert solver.check() == z3.unsat


@pytest.mark.parametrize(
    ("label", "target"),
    [
        ("final", lambda s, L: s.phase != int(Phase.FINAL)),
        ("slashed by the honest challenger", lambda s, L: s.H.ph != int(SlotPhase.WON)),
        ("griefer loses its bond", lambda s, L: s.G.ph != int(SlotPhase.LOST)),
        ("proof delivered", lambda s, L: s.spot != int(Spot.DELIVERED)),
    ],
)
def test_z3_reachability_witnesses_replay(params, label, target):
    """Non-vacuity: z3 reaches each verdict, and the interpreter replays z3's path."""
    verdict, depth, trace = bmc(System(params), target, 12)
    assert verdict == "violated", label
    cex = replay_trace(params, trace, lambda s, L: [(label, target(s, L))])
    assert cex.replayed, cex.note
    assert len(cex.steps) == depth
