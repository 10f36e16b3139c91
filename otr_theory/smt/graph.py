"""The protocol's state graph (networkx), explored with the plain-Python interpreter.

:func:`explore` runs the interpreter from every environment choice (prover honest or not, TEE
intact or compromised, honest challenger live with its challenge censored for up to C, or absent) with canonical
choices: time advances to the next deadline or threshold (or to one second before or after a
strict one); the other challenger opens its dispute at provisional finality or never; a
dispute's remaining rounds are completed at once, promptly or stalled to the last moment. Every concrete state is kept; :func:`state_graph` folds them into the abstract life of a
query (received, committed, provisionally final, bisection, one-step check, proof due, rejected,
slashed, final) with the actions between them.

:func:`sanity` checks the graph: every verdict (final, slashed, rejected) is reachable, no
reachable state is a dead end (every non-terminal concrete state has a successor), every
abstract state can reach a verdict, and the invariant theorems hold in every explored state --
an explicit-state check independent of z3 (partial: canonical times only).

The exploration is deterministic (sorted, no randomness), so the figure and the counts are
reproducible. The drawing is :func:`otr_theory.plotting.graph.state_graph_figure` (this module
imports neither matplotlib nor the report).
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import networkx as nx

from otr_theory.smt.interpreter import Action, Disabled, State, initial_state, step, time_allows
from otr_theory.smt.params import Params
from otr_theory.smt.views import constants, python_view
from otr_theory.smt.vocabulary import OPEN_SLOT, PY, SLOTS, TERMINAL, Phase, SlotPhase, Spot

__all__ = ["Exploration", "Sanity", "explore", "state_graph", "sanity", "node_of", "NODE_ORDER", "TERMINAL_NODES"]

NODE_ORDER = (
    "received",
    "committed",
    "provisional",
    "provisional, proof due",
    "bisection",
    "bisection, proof due",
    "one-step check",
    "one-step check, proof due",
    "rejected",
    "slashed",
    "final",
)
TERMINAL_NODES = ("rejected", "slashed", "final")


@dataclasses.dataclass(frozen=True)
class Exploration:
    """The explored concrete states and transitions (``edges``: (state, action, state))."""

    initial: tuple[State, ...]
    states: frozenset[State]
    edges: tuple[tuple[State, Action, State], ...]
    truncated: bool


@dataclasses.dataclass(frozen=True)
class Sanity:
    """What :func:`sanity` found (every field a plain value, for results.json)."""

    states: int
    transitions: int
    nodes: int
    edges: int
    truncated: bool
    verdicts_reachable: tuple[str, ...]
    verdicts_missing: tuple[str, ...]
    dead_ends: int
    stuck_nodes: tuple[str, ...]
    violations: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.truncated or self.verdicts_missing or self.dead_ends or self.stuck_nodes or self.violations)


def node_of(s: State) -> str:
    """The abstract state of a concrete one (a name of :data:`NODE_ORDER`)."""
    if s.phase != Phase.PROVISIONAL:
        return s.phase.name.lower()
    phs = {s.get(x, "ph") for x in SLOTS}
    base = "bisection" if SlotPhase.ROUNDS in phs else "one-step check" if SlotPhase.ONESTEP in phs else "provisional"
    return base + (", proof due" if s.spot == Spot.DEMANDED else "")


def _initial_states(p: Params) -> list[State]:
    out = []
    for honest in (True, False):
        for comp in (False, True) if p.compromise_possible else (False,):
            for live in (False, True) if p.honest_challenger_possible else (False,):
                cens = p.censorship_s if live else Fraction(0)
                out.append(initial_state(p, honest=honest, compromised=comp, honest_live=live, cens=cens))
    return out


def _thresholds(p: Params, s: State) -> list[Fraction]:
    """Clock readings where something may change: deadlines, and just before/after strict ones."""
    one = Fraction(1)
    ts = [s.t_commit + p.attestation_latency_s]
    if s.phase == Phase.PROVISIONAL:
        ts += [s.t_prov + p.window_s, s.t_prov + s.cens]
        if s.spot == Spot.DEMANDED:
            ts += [s.t_dem + p.proof_latency_s, s.t_dem + p.proof_deadline_s + (0 if p.rules.miss_at_deadline else one)]
    for x in SLOTS:
        if s.get(x, "ph") in OPEN_SLOT:
            dl = s.get(x, "dl")
            ts += [dl, dl - one]
    return sorted({t for t in ts if t > s.t})


def canonical_actions(p: Params, s: State) -> Iterable[Action]:
    """The actions :func:`explore` tries in ``s`` (some may be disabled; the interpreter decides)."""
    ts = _thresholds(p, s)
    if ts and time_allows(p, s, ts[0]) is None:
        yield Action("tick", delta=ts[0] - s.t)
    if s.phase == Phase.RECEIVED:
        for v in (True, False):
            for aok in (True, False):
                yield Action("commit", v=v, aok=aok)
    if not s.sel_drawn:
        for sel in (False, True):
            yield Action("draw", sel=sel)
    if s.phase == Phase.COMMITTED:
        yield Action("verify")
    if s.phase != Phase.PROVISIONAL:
        return
    yield from (Action(k) for k in ("finalize", "deliver", "miss"))
    for x in SLOTS:
        ph = s.get(x, "ph")
        if ph == SlotPhase.IDLE and (x == "H" or s.t == s.t_prov):  # another challenger opens at provisional finality or never
            yield Action("open", x)
        elif ph == SlotPhase.ROUNDS:
            yield from (Action(k, x) for k in ("post_p", "post_c", "timeout"))
            left = p.rounds - s.get(x, "r")
            yield Action("advance", x, j=left)
            if left > 1:
                yield Action("advance", x, j=left, delta=(left - 1) * (p.round_timeout_s - Fraction(1, 2)))
        elif ph == SlotPhase.ONESTEP:
            for win in (True, False):
                yield Action("settle", x, win=win)


def explore(p: Params, *, max_states: int = 50_000) -> Exploration:
    """Breadth-first exploration of the interpreter (see the module docstring)."""
    init = _initial_states(p)
    seen = set(init)
    queue = deque(init)
    edges = []
    truncated = False
    while queue:
        s = queue.popleft()
        for a in canonical_actions(p, s):
            try:
                n = step(p, s, a)
            except Disabled:
                continue
            edges.append((s, a, n))
            if n not in seen:
                if len(seen) >= max_states:
                    truncated = True
                    continue
                seen.add(n)
                queue.append(n)
    return Exploration(tuple(init), frozenset(seen), tuple(edges), truncated)


def state_graph(ex: Exploration) -> nx.DiGraph:
    """The abstract graph: nodes of :data:`NODE_ORDER`, edges labelled by the action kinds between them.

    Time passing inside one abstract state is left out (no self-loops from ``tick``).
    """
    g = nx.DiGraph()
    for s in ex.states:
        g.add_node(node_of(s))
    for s, a, n in ex.edges:
        u, v = node_of(s), node_of(n)
        if u == v and a.kind == "tick":
            continue
        label = a.kind if a.slot is None else f"{a.kind} {a.slot}"
        if g.has_edge(u, v):
            g.edges[u, v]["actions"].add(label)
        else:
            g.add_edge(u, v, actions={label})
    return g


def sanity(p: Params, ex: Exploration, g: nx.DiGraph, properties: Sequence[Callable] = ()) -> Sanity:
    """Reachability and explicit-state checks of an exploration (see the module docstring).

    ``properties`` are functions ``fn(view, logic) -> [(label, condition), ...]`` (a theorem's
    ``clauses``) whose every condition must hold in every explored state.
    """
    spot = p.spot_check_rate > 0
    verdicts = ["final"]
    if p.has_dispute or p.attestation_gate or (spot and p.slash_on_missed_proof):
        verdicts.append("slashed")
    if p.attestation_gate or (spot and not p.slash_on_missed_proof):
        verdicts.append("rejected")
    reachable = tuple(v for v in verdicts if v in g)
    missing = tuple(v for v in verdicts if v not in g)
    succ: dict[State, int] = {}
    for s, _, _ in ex.edges:
        succ[s] = succ.get(s, 0) + 1
    dead = sum(1 for s in ex.states if s.phase not in TERMINAL and not succ.get(s))
    terminals = [v for v in TERMINAL_NODES if v in g]
    stuck = tuple(sorted(u for u in g if u not in TERMINAL_NODES and not any(nx.has_path(g, u, t) for t in terminals)))
    bad: dict[str, int] = {}
    consts = constants(p, Fraction)
    for s in ex.states:
        view = python_view(p, s, consts)
        for fn in properties:
            for label, holds in fn(view, PY):
                if not holds:
                    bad[label] = bad.get(label, 0) + 1
    violations = [f"{label}: {n} states" for label, n in sorted(bad.items())]
    return Sanity(
        states=len(ex.states),
        transitions=len(ex.edges),
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        truncated=ex.truncated,
        verdicts_reachable=reachable,
        verdicts_missing=missing,
        dead_ends=dead,
        stuck_nodes=stuck,
        violations=tuple(violations),
    )
