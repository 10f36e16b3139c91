"""Report section: the safety theorems of proofs/ on the model, any counterexample, the state graph.

Runs :func:`otr_theory.smt.theorems.check` (z3) and the interpreter's explicit-state exploration
(:mod:`otr_theory.smt.graph`). Deterministic: no timings and no solver version in the results or
the text (the CLI's ``otr-analyze check`` prints both); z3 is deterministic for a given input.
"""

from __future__ import annotations

from otr_theory.model import Model
from otr_theory.report.core import Figure, Section, md_table
from otr_theory.smt.graph import draw_state_graph, explore, sanity, state_graph
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import applicable_invariants, check
from otr_theory.smt.vocabulary import TIERS

__all__ = ["build"]


def build(model: Model) -> Section:
    """The theorem table, counterexamples and the state-graph figure for ``model``."""
    p = Params.from_model(model)
    report = check(p)
    ex = explore(p)
    graph = state_graph(ex)
    sane = sanity(p, ex, graph, [th.clauses for th in applicable_invariants(p)])

    rows = [(r.number, r.title, f"**{r.status}**" if r.status == "violated" else r.status, r.method, r.detail) for r in report.results]
    counts = report.counts()
    unbounded = [r for r in report.results if r.status == "proved"]
    parts = [
        "Each theorem of `proofs/` is decided on a z3 transition system generated from this model: "
        "a query's life (committed, provisionally final, bisection rounds, one-step check, spot-check "
        "with its deadline, slashed, rejected, final) with real-valued timers, the window, stakes and bonds, "
        "the TEE-compromised flag, censorship of the honest challenge and the honest challenger's liveness. "
        "An invariant is **proved** when it belongs to an inductive invariant (Houdini over "
        f"{report.strengthening['candidate_lemmas']} candidate lemmas, {report.strengthening['lemmas_kept']} kept; "
        "valid for every trace length); otherwise bounded model checking searches for a counterexample, "
        "which counts only if the plain-Python interpreter of the protocol replays it. Theorem 7 is "
        "decided in nonlinear real arithmetic over a box of parameters and cross-checked at every vertex "
        "in exact arithmetic. A solver timeout is *unknown*, never proved.",
        md_table(["#", "theorem", "status", "proof", "detail"], rows),
        f"{counts['proved']} proved (all unbounded), {counts['violated']} violated, {counts['unknown']} unknown, "
        f"{counts['not applicable']} not applicable to scheme `{p.scheme}`. "
        "`otr-analyze check` gives the same verdicts with solver version and timings.",
    ]
    if "dispute" in p.tiers or "random_spot_checks" in p.tiers:
        tight = []
        if "dispute" in p.tiers and p.censorship_s >= p.round_timeout_s:
            tight.append(f"the round timeout R = {float(p.round_timeout_s):g} s")
        if "dispute" in p.tiers and p.censorship_s >= p.settlement_s:
            tight.append(f"the settlement time T = {float(p.settlement_s):g} s")
        if p.spot_check_rate > 0 and p.proof_latency_s + p.censorship_s > p.proof_deadline_s:
            tight.append(f"the proof deadline ({float(p.proof_deadline_s):g} s) minus the proving time")
        parts.append(
            f"Censorship: the adversary delays every transaction of the honest parties -- the opening challenge, each "
            f"bisection move, the one-step proof and a demanded ZK proof -- by up to C = {float(p.censorship_s):g} s. "
            "Each timeout must therefore exceed C (Arbitrum BoLD uses a chess clock for the same reason). "
            + (f"Here C is not shorter than {', '.join(tight)}: an honest party's censored move can miss its deadline, "
               "and theorems 1 and 2 say what that costs." if tight else
               "Here every timeout exceeds C, so no censored move of an honest party misses its deadline.")
        )
    if p.required_tiers:
        parts.append(
            f"Scheme `{p.scheme}` relies on: {', '.join(TIERS[t] for t in p.required_tiers)}. A model that switches one "
            "of them off or zeroes it fails the theorems about it (never 'not applicable')."
        )
    money = [r for r in report.results if r.number in (2, 8, 9, 10) and r.status != "not applicable"]
    if money:
        parts.append(
            "Money and time are in the state: the stake is shared by the queries of a window (a query starts with "
            "whatever stake the others left, and a slash takes min(S, stake left)), the prover may withdraw its stake "
            f"after the unbonding period ({float(p.unbonding_s):g} s), and each party's gas through a dispute is counted "
            f"at the model's gas price (opening ${float(p.open_gas_usd):.3g}, a bisection move ${float(p.step_gas_usd):.3g}). "
            f"A frivolous challenger must spend at least {float(p.griefing_ratio):g} x what it makes the honest prover spend "
            f"(theorem 9); every committed query has its verdict within V = {float(p.verdict_bound_s):g} s (theorem 10)."
        )
    for r in report.results:
        if r.counterexample is not None:
            parts.append(f"**Counterexample to theorem {r.number} ({r.title})**")
            parts.append("```text\n" + "\n".join(r.counterexample.lines()) + "\n```")
    parts.append(
        f"State graph: the interpreter explored {sane.states} states and {sane.transitions} transitions "
        f"(canonical times; {sane.nodes} abstract states, {sane.edges} edges). Verdicts reachable: "
        f"{', '.join(sane.verdicts_reachable) or 'none'}; dead ends: {sane.dead_ends}; abstract states that "
        f"cannot reach a verdict: {', '.join(sane.stuck_nodes) or 'none'}; invariant clauses violated in an explored "
        f"state: {', '.join(sane.violations) or 'none'} (an explicit-state check independent of z3)."
    )
    results = {
        "theorems": [
            {
                "number": r.number, "name": r.name, "title": r.title, "status": r.status, "method": r.method,
                "detail": r.detail,
                "counterexample": None if r.counterexample is None else list(r.counterexample.lines()),
            }
            for r in report.results
        ],
        "counts": counts,
        "unbounded_proofs": [r.name for r in unbounded],
        "strengthening": {k: report.strengthening[k] for k in ("method", "candidate_lemmas", "lemmas_kept")},
        "tiers": sorted(p.tiers),
        "tiers_missing": sorted(set(TIERS) - p.tiers),
        "exit_code": report.exit_code,
        "state_graph": {
            "states": sane.states, "transitions": sane.transitions, "nodes": sorted(graph.nodes),
            "edges": [[u, v, sorted(graph.edges[u, v]["actions"])] for u, v in sorted(graph.edges)],
            "verdicts_reachable": list(sane.verdicts_reachable), "dead_ends": sane.dead_ends,
            "stuck_nodes": list(sane.stuck_nodes), "violations": list(sane.violations), "ok": sane.ok,
        },
    }
    bad = [f"{r.number} ({r.title})" for r in report.results if r.status in ("violated", "unknown")]
    summary = (
        f"Safety theorems (z3): {counts['proved']} proved, {counts['violated']} violated, {counts['unknown']} unknown, "
        f"{counts['not applicable']} not applicable" + (f"; failing: {', '.join(bad)}" if bad else "") + ".",
    )
    fig = draw_state_graph(graph, title=f"Life of a query in {p.model_name} (interpreter exploration)")
    return Section(
        key="theorems",
        title="Safety theorems (z3)",
        markdown="\n\n".join(parts),
        results=results,
        figures=(Figure("state_graph", "abstract state graph of a query's life, explored with the protocol interpreter", fig),),
        summary=summary,
    )
