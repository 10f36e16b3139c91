"""Report section: the safety theorems of proofs/ on the model, any counterexample, the state graph.

Renders :class:`otr_theory.smt.analysis.TheoremsAnalysis` (z3 verdicts and the interpreter's
explicit-state exploration); computes nothing. Deterministic: no timings and no solver version in
the results or the text (the CLI's ``otr-analyze check`` prints both).
"""

from __future__ import annotations

from otr_theory.model import Model
from otr_theory.plotting.graph import state_graph_figure
from otr_theory.report.core import Figure, Section, md_table
from otr_theory.smt.analysis import TheoremsAnalysis, analyse

__all__ = ["build", "render"]

_TIGHT_WORDS = {
    "round_timeout_s": lambda t: f"the round timeout R = {t.round_timeout_s:g} s",
    "settlement_s": lambda t: f"the settlement time T = {t.settlement_s:g} s",
    "proof_deadline_s": lambda t: f"the proof deadline ({t.proof_deadline_s:g} s) minus the proving time",
}


def build(model: Model) -> Section:
    """The theorem table, counterexamples and the state-graph figure for ``model``."""
    return render(analyse(model), model)


def render(a: TheoremsAnalysis, model: Model) -> Section:
    """The section of the report for the theorems record ``a`` (formatting and the figure only)."""
    rows = [(r.number, r.title, f"**{r.status}**" if r.status == "violated" else r.status, r.method, r.detail) for r in a.theorems]
    counts = a.counts
    t = a.times
    parts = [
        "Each theorem of `proofs/` is decided on a z3 transition system generated from this model: "
        "a query's life (committed, provisionally final, bisection rounds, one-step check, spot-check "
        "with its deadline, slashed, rejected, final) with real-valued timers, the window, stakes and bonds, "
        "the TEE-compromised flag, censorship of the honest challenge and the honest challenger's liveness. "
        "An invariant is **proved** when it belongs to an inductive invariant (Houdini over "
        f"{a.candidate_lemmas} candidate lemmas, {a.lemmas_kept} kept; "
        "valid for every trace length); otherwise bounded model checking searches for a counterexample, "
        "which counts only if the plain-Python interpreter of the protocol replays it. Theorem 7 is "
        "decided in nonlinear real arithmetic over a box of parameters and cross-checked at every vertex "
        "in exact arithmetic. A solver timeout is *unknown*, never proved.",
        md_table(["#", "theorem", "status", "proof", "detail"], rows),
        f"{counts['proved']} proved (all unbounded), {counts['violated']} violated, {counts['unknown']} unknown, "
        f"{counts['not applicable']} not applicable to scheme `{a.scheme}`. "
        "`otr-analyze check` gives the same verdicts with solver version and timings.",
    ]
    if "dispute" in a.tiers or "random_spot_checks" in a.tiers:
        tight = [_TIGHT_WORDS[k](t) for k in t.tight]
        parts.append(
            f"Censorship: the adversary delays every transaction of the honest parties -- the opening challenge, each "
            f"bisection move, the one-step proof and a demanded ZK proof -- by up to C = {t.censorship_s:g} s. "
            "Each timeout must therefore exceed C (Arbitrum BoLD uses a chess clock for the same reason). "
            + (f"Here C is not shorter than {', '.join(tight)}: an honest party's censored move can miss its deadline, "
               "and theorems 1 and 2 say what that costs." if tight else
               "Here every timeout exceeds C, so no censored move of an honest party misses its deadline.")
        )  # fmt: skip
    if a.required_tiers:
        parts.append(f"Scheme `{a.scheme}` relies on: {', '.join(a.required_tiers)}. A model that switches one of them off or zeroes it fails the theorems about it (never 'not applicable').")
    if any(r.number in (2, 8, 9, 10) and r.status != "not applicable" for r in a.theorems):
        parts.append(
            "Money and time are in the state: the stake is shared by the queries of a window (a query starts with "
            "whatever stake the others left, and a slash takes min(S, stake left)), the prover may withdraw its stake "
            f"after the unbonding period ({t.unbonding_s:g} s), and each party's gas through a dispute is counted "
            f"at the model's gas price (opening ${t.open_gas_usd:.3g}, a bisection move ${t.step_gas_usd:.3g}). "
            f"A frivolous challenger must spend at least {t.griefing_ratio:g} x what it makes the honest prover spend "
            f"(theorem 9); every committed query has its verdict within V = {t.verdict_bound_s:g} s (theorem 10)."
        )
    for r in a.theorems:
        if r.counterexample is not None:
            parts.append(f"**Counterexample to theorem {r.number} ({r.title})**")
            parts.append("```text\n" + "\n".join(r.counterexample) + "\n```")
    sg = a.state_graph
    parts.append(
        f"State graph: the interpreter explored {sg.states} states and {sg.transitions} transitions "
        f"(canonical times; {len(sg.nodes)} abstract states, {len(sg.edges)} edges). Verdicts reachable: "
        f"{', '.join(sg.verdicts_reachable) or 'none'}; dead ends: {sg.dead_ends}; abstract states that "
        f"cannot reach a verdict: {', '.join(sg.stuck_nodes) or 'none'}; invariant clauses violated in an explored "
        f"state: {', '.join(sg.violations) or 'none'} (an explicit-state check independent of z3)."
    )
    bad = [f"{r.number} ({r.title})" for r in a.failing]
    summary = (
        f"Safety theorems (z3): {counts['proved']} proved, {counts['violated']} violated, {counts['unknown']} unknown, "
        f"{counts['not applicable']} not applicable" + (f"; failing: {', '.join(bad)}" if bad else "") + ".",
    )
    fig = state_graph_figure(sg, title=f"Life of a query in {a.model} (interpreter exploration)")
    return Section(
        key="theorems",
        title="Safety theorems (z3)",
        markdown="\n\n".join(parts),
        results=a.to_dict(),
        figures=(Figure("state_graph", "abstract state graph of a query's life, explored with the protocol interpreter", fig),),
        summary=summary,
    )
