"""The safety theorems of proofs/ on one model, as a typed record: what the report and notebooks read.

:func:`analyse` runs :func:`otr_theory.smt.theorems.check` (z3: Houdini strengthening to an
inductive invariant, then bounded model checking whose counterexamples count only when the
plain-Python interpreter replays them; theorem 7 in nonlinear real arithmetic over a box) and,
as an independent check, the interpreter's explicit-state exploration
(:func:`otr_theory.smt.graph.explore`, :func:`~otr_theory.smt.graph.sanity`): every verdict
reachable, no dead end, the invariant clauses true in every explored state.

Deterministic: no timings and no solver version in :class:`TheoremsAnalysis` (``otr-analyze
check`` prints both); z3 is deterministic for a given input. ``unknown`` is never counted as
``proved``.
"""

from __future__ import annotations

import dataclasses

from otr_theory.model import Model
from otr_theory.records import Record, quantity
from otr_theory.smt.graph import explore, sanity, state_graph
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import applicable_invariants, check
from otr_theory.smt.vocabulary import TIERS

__all__ = ["ProtocolTimes", "StateGraph", "TheoremRow", "TheoremsAnalysis", "analyse"]


@dataclasses.dataclass(frozen=True, repr=False)
class TheoremRow(Record):
    """The verdict on one theorem of proofs/ (names and titles as ``otr-analyze check`` prints them)."""

    TITLE = "theorem"

    number: int = quantity("", "the theorem's number in proofs/")
    name: str = quantity("", "the theorem's file name (t<number>_<name>.py)")
    title: str = quantity("", "the title check prints")
    status: str = quantity("", "proved, violated, unknown or not applicable (unknown is never proved)")
    method: str = quantity("", "which proof or search decided it")
    detail: str = quantity("", "what was found")
    counterexample: tuple[str, ...] | None = quantity("", "the counterexample as timeline lines (violated only)", source="replayed by otr_theory.smt.interpreter")


@dataclasses.dataclass(frozen=True, repr=False)
class StateGraph(Record):
    """The abstract life of a query, explored with the protocol interpreter (independent of z3)."""

    TITLE = "state graph (interpreter exploration)"
    SUMMARY = ("states", "transitions", "dead_ends", "ok")

    states: int = quantity("count", "concrete states explored (canonical times)")
    transitions: int = quantity("count", "concrete transitions explored")
    nodes: tuple[str, ...] = quantity("", "abstract states, in the order of a query's life")
    edges: tuple[tuple[str, str, tuple[str, ...]], ...] = quantity("", "(from, to, action kinds) between abstract states")
    verdicts_reachable: tuple[str, ...] = quantity("", "verdicts (final, slashed, rejected) reached")
    dead_ends: int = quantity("count", "non-terminal concrete states without a successor")
    stuck_nodes: tuple[str, ...] = quantity("", "abstract states that cannot reach a verdict")
    violations: tuple[str, ...] = quantity("", "invariant clauses false in an explored state")
    ok: bool = quantity("", "no truncation, every verdict reachable, no dead end, nothing stuck, no violation")


@dataclasses.dataclass(frozen=True, repr=False)
class ProtocolTimes(Record):
    """The model's timeouts, censorship bound and gas as the checker reads them (floats of exact values)."""

    TITLE = "protocol times and gas"

    censorship_s: float = quantity("s", "the longest the adversary delays an honest party's transaction (C)")
    round_timeout_s: float = quantity("s", "a bisection round's response timeout (R)")
    settlement_s: float = quantity("s", "settlement time of a dispute (T)")
    proof_deadline_s: float = quantity("s", "deadline of a demanded ZK proof")
    unbonding_s: float = quantity("s", "unbonding period of the stake")
    open_gas_usd: float = quantity("USD", "gas of opening a challenge")
    step_gas_usd: float = quantity("USD", "gas of one bisection move")
    griefing_ratio: float = quantity("", "a frivolous challenger spends at least this x the honest prover's cost (theorem 9)")
    verdict_bound_s: float = quantity("s", "every committed query has its verdict within this (theorem 10)")
    tight: tuple[str, ...] = quantity(
        "", "the deadlines that censorship can make an honest party miss (C not shorter): round_timeout_s, settlement_s, proof_deadline_s (minus the proving time)", source="ours"
    )


@dataclasses.dataclass(frozen=True, repr=False)
class TheoremsAnalysis(Record):
    """Every theorem's verdict on one model, the strengthening's statistics and the state graph.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model())
    >>> a.counts["proved"], a.counts["violated"], a.exit_code
    (9, 1, 1)
    >>> print(repr(a).splitlines()[0])
    TheoremsAnalysis('Safety theorems (z3)')
    >>> sorted(a.to_dict())[:3]
    ['candidate_lemmas', 'counts', 'exit_code']
    """

    TITLE = "Safety theorems (z3)"
    TABLE = "theorems"
    SUMMARY = ("model", "scheme", "counts", "exit_code", "candidate_lemmas", "lemmas_kept")

    model: str = quantity("", "the model's name")
    scheme: str = quantity("", "the model's scheme")
    theorems: tuple[TheoremRow, ...] = quantity("", "one row per theorem of proofs/, by number")
    counts: dict[str, int] = quantity("count", "theorems by status: proved, violated, unknown, not applicable")
    unbounded_proofs: tuple[str, ...] = quantity("", "names of the theorems proved for every trace length")
    strengthening: dict[str, str | int] = quantity("", "the shared strengthening: method, candidate_lemmas, lemmas_kept")
    candidate_lemmas: int = quantity("count", "candidate lemmas of the Houdini strengthening")
    lemmas_kept: int = quantity("count", "lemmas kept (an inductive invariant)")
    tiers: tuple[str, ...] = quantity("", "the verification tiers the model has")
    tiers_missing: tuple[str, ...] = quantity("", "the tiers it lacks")
    required_tiers: tuple[str, ...] = quantity("", "descriptions of the tiers the scheme relies on")
    exit_code: int = quantity("", "otr-analyze check's exit code: 0 all proved, 1 violated, 3 unknown")
    times: ProtocolTimes = quantity("", "the timeouts, censorship bound and gas the theorems use")
    state_graph: StateGraph = quantity("", "the interpreter's exploration (independent of z3)")

    @property
    def failing(self) -> tuple[TheoremRow, ...]:
        """The theorems violated or unknown."""
        return tuple(r for r in self.theorems if r.status in ("violated", "unknown"))

    def attachments(self) -> dict[str, str]:
        """Text files for beside the report: each counterexample's timeline (``counterexamples/t<n>-<name>.txt``)."""
        return {f"counterexamples/t{r.number}-{r.name}.txt": "\n".join(r.counterexample) + "\n" for r in self.theorems if r.counterexample is not None}


def _times(p: Params) -> ProtocolTimes:
    tight = []
    if "dispute" in p.tiers and p.censorship_s >= p.round_timeout_s:
        tight.append("round_timeout_s")
    if "dispute" in p.tiers and p.censorship_s >= p.settlement_s:
        tight.append("settlement_s")
    if p.spot_check_rate > 0 and p.proof_latency_s + p.censorship_s > p.proof_deadline_s:
        tight.append("proof_deadline_s")
    return ProtocolTimes(
        censorship_s=float(p.censorship_s),
        round_timeout_s=float(p.round_timeout_s),
        settlement_s=float(p.settlement_s),
        proof_deadline_s=float(p.proof_deadline_s),
        unbonding_s=float(p.unbonding_s),
        open_gas_usd=float(p.open_gas_usd),
        step_gas_usd=float(p.step_gas_usd),
        griefing_ratio=float(p.griefing_ratio),
        verdict_bound_s=float(p.verdict_bound_s),
        tight=tuple(tight),
    )


def analyse(model: Model) -> TheoremsAnalysis:
    """Check every theorem of proofs/ on ``model`` and explore its state graph (module docstring)."""
    p = Params.from_model(model)
    report = check(p)
    ex = explore(p)
    graph = state_graph(ex)
    sane = sanity(p, ex, graph, [th.clauses for th in applicable_invariants(p)])
    rows = tuple(
        TheoremRow(
            number=r.number,
            name=r.name,
            title=r.title,
            status=r.status,
            method=r.method,
            detail=r.detail,
            counterexample=None if r.counterexample is None else tuple(r.counterexample.lines()),
        )
        for r in report.results
    )
    counts = report.counts()
    sg = StateGraph(
        states=sane.states,
        transitions=sane.transitions,
        nodes=tuple(sorted(graph.nodes)),
        edges=tuple((u, v, tuple(sorted(graph.edges[u, v]["actions"]))) for u, v in sorted(graph.edges)),
        verdicts_reachable=tuple(sane.verdicts_reachable),
        dead_ends=sane.dead_ends,
        stuck_nodes=tuple(sane.stuck_nodes),
        violations=tuple(sane.violations),
        ok=sane.ok,
    )
    st = report.strengthening
    return TheoremsAnalysis(
        model=p.model_name,
        scheme=p.scheme,
        theorems=rows,
        counts=counts,
        unbounded_proofs=tuple(r.name for r in report.results if r.status == "proved"),
        strengthening={k: st[k] for k in ("method", "candidate_lemmas", "lemmas_kept")},
        candidate_lemmas=int(st["candidate_lemmas"]),
        lemmas_kept=int(st["lemmas_kept"]),
        tiers=tuple(sorted(p.tiers)),
        tiers_missing=tuple(sorted(set(TIERS) - p.tiers)),
        required_tiers=tuple(TIERS[t] for t in p.required_tiers),
        exit_code=report.exit_code,
        times=_times(p),
        state_graph=sg,
    )
