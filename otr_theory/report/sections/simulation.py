"""Report section: Monte Carlo simulation of the running network, beside the paper's claims.

Two runs of :func:`otr_theory.simulation.simulate` with a fixed seed and a modest number of
queries (so the report stays fast and byte-identical between runs):

* **equilibrium**: provers and challengers play the network's n-challenger equilibrium of the
  model (solved for the share h of monitored queries whose prover can forge, which the
  challengers cannot tell apart; :mod:`otr_theory.simulation.policy`);
* **adversary**: a prover cheats on every query where its TEE is forgeable (a bribed or
  irrational adversary), against the equilibrium challengers -- what transient hardware
  vulnerabilities cost when deterrence is not what stops the cheater.

and the **attack over time** (issue 12): a compromised prover plays each strategy of the
over-time model for one compromise episode, at the model's query rate, with the detection lag
and one slash capped by the stake (:mod:`otr_theory.simulation.attack`), simulated beside its
closed form, with the slash that would deter every strategy.
"""

from __future__ import annotations

import numpy as np

from otr_theory.model import Model
from otr_theory.report.core import Figure, Section, fmt, jsonable, md_table, new_figure
from otr_theory.simulation import ESTIMATE_DOCS, Policy, SimulationResult, equilibrium_policy, headline_claims, simulate
from otr_theory.simulation.attack import as_record, attack_table, best_attack, required_slash_usd

__all__ = ["SEED", "QUERIES", "EPISODES", "build", "undetected_fraud_figure", "adversary_policy", "attack_rows"]

SEED = 20251223
"""Seed of the report's runs (the paper's submission date)."""

QUERIES = 200_000
"""Queries per run in the report (the CLI runs 10^6 by default)."""

EPISODES = 20_000
"""Compromise episodes per attack strategy in the report."""

_TABLE_KEYS = (
    "fraud_rate",
    "undetected_fraud_rate",
    "fraud_rate_given_forgeable",
    "detection_rate",
    "challenger_detection",
    "monitoring_rate",
    "forgeable_rate",
    "throughput_relative",
    "cost_overhead_usd_per_query",
    "provisional_finality_s",
    "final_finality_s",
    "time_to_slash_s",
    "slashed_usd_per_query",
    "cheater_payoff_usd_per_fraud",
    "challenger_profit_usd_per_check",
)


def adversary_policy(model: Model) -> Policy:
    """A prover that cheats whenever it can forge, against the equilibrium challengers."""
    eq = equilibrium_policy(model)
    return Policy(fraud_probability=1.0, monitoring_probability=eq.monitoring_probability, deviation=eq.deviation, origin="adversary: cheats whenever forgeable")


def undetected_fraud_figure(result: SimulationResult, *, adversary: SimulationResult | None = None, ax=None):
    """Undetected frauds per 1,000 queries in each time bin, with the vulnerability windows shaded.

    Plots ``1000 * undetected / queries`` per bin for ``result`` (and ``adversary`` if given) as
    steps over time in years; windows are grey spans.
    """
    if ax is None:
        fig, ax = new_figure(7.0, 3.8)
    else:
        fig = ax.figure
    edges = np.asarray(result.series["bin_edges_days"]) / 365.25
    for i, (s, e) in enumerate(result.windows_days):
        ax.axvspan(max(s, 0.0) / 365.25, e / 365.25, color="tab:red", alpha=0.12, lw=0, label="vulnerability window" if i == 0 else None)
    runs = [(result, "equilibrium play", "tab:blue")]  # drawn first: an all-zero line stays visible under the other
    if adversary is not None:
        runs.append((adversary, "cheats whenever forgeable", "tab:red"))
    for run, label, colour in runs:
        q = np.asarray(run.series["queries"], dtype=float)
        u = np.asarray(run.series["undetected"], dtype=float)
        per_k = np.divide(1000.0 * u, q, out=np.zeros_like(u), where=q > 0)
        ax.stairs(per_k, edges, color=colour, lw=1.4, label=label)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel("time (years)")
    ax.set_ylabel("undetected frauds per 1,000 queries")
    ax.set_title("Fraud that reaches final finality, against the TEE vulnerability windows")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    return fig


def _row(name: str, eq: SimulationResult, adv: SimulationResult) -> list[str]:
    def cell(e) -> str:
        if e.method == "exact":
            return f"{fmt(e.value)} (exact)"
        if e.trials == 0:
            return "n/a (no trials)"
        return f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"

    return [f"`{name}`", ESTIMATE_DOCS[name], cell(eq[name]), cell(adv[name])]


def _estimates_json(r: SimulationResult) -> dict:
    return {k: jsonable(v) for k, v in r.estimates.items()}


def attack_rows(attacks) -> list[list[str]]:
    """One table row per strategy: simulated profit [95%], closed form, whether it lies inside, caught."""
    rows = []
    for r in attacks:
        e = r.profit_usd
        sim = f"{fmt(e.value)} (exact)" if e.method == "exact" else f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"
        rows.append([r.strategy.name, sim, fmt(r.closed_form_usd), "yes" if r.agrees else "**no**", fmt(r.caught.value, 3), fmt(r.slashed_usd_max)])
    return rows


def _attack_markdown(model: Model, attacks) -> tuple[str, str, dict]:
    a = attacks[0].inputs
    margin = float(model.values().get("incentive_margin_usd", 0.0))
    best, strategy = best_attack(a)
    s_star = required_slash_usd(a, margin_usd=margin)
    secure = best <= -margin
    text = (
        f"**Attack over one compromise episode** ({fmt(a.episode_s / 86_400)} days in which every query is forgeable; "
        f"{fmt(a.query_rate_per_s)} queries/s per stake = replica_query_rate x {a.replicas_per_stake} replica(s); "
        f"detection p = {fmt(a.detection_probability)} ({a.detection_reading.replace('_', ' ')}), slash landing on average "
        f"{fmt(a.expected_lag_s)} s after the detected query; the stake slashed once, min(S, stake left) = {fmt(a.slash_usd)} USD"
        f"{f' less the reward share a self-challenging prover recovers' if a.self_challenge else ''}; gains at {a.gain_realisation} "
        f"finality{', pending results reverted on a slash' if a.revert_pending_on_slash else ''}; `{a.convention}`). "
        f"{EPISODES:,} seeded episodes per strategy; the prover learns at once that it is caught and cheats on every query "
        "until the slash lands. Closed form (ours): profit = P_M (g_j/p + n L gbar - S_eff - F) under `keep`, "
        "P_M (g_j (1-p)/p + n L gbar (1-p) - S_eff - F) under `forfeit`, P_M = 1 - (1-p)^M."
    )
    verdict = (
        f"Best attack: {strategy.name if strategy else 'none'}, expected profit {fmt(best)} USD per episode; "
        f"the slash that deters every strategy by the margin is {fmt(s_star)} USD (this model: {fmt(model.value('slash_usd'))}) -- "
        + ("deterred." if secure else "**not deterred**.")
    )
    table = md_table(["strategy", "simulated profit (USD) [95%]", "closed form (USD)", "inside", "caught", "largest slash (USD)"], attack_rows(attacks))
    results = {
        "inputs": jsonable(a),
        "strategies": [as_record(r) for r in attacks],
        "best_profit_usd": best,
        "best_strategy": strategy.name if strategy else None,
        "required_slash_usd": s_star,
        "deterred": secure,
    }
    return "\n\n".join([text, table, verdict]), verdict, results


def build(model: Model) -> Section:
    eq = simulate(model, queries=QUERIES, seed=SEED)
    adv = simulate(model, queries=QUERIES, seed=SEED, policy=adversary_policy(model))
    claims = headline_claims(model, eq, adversary=adv)
    attacks = attack_table(model, episodes=EPISODES, seed=SEED)
    attack_md, attack_verdict, attack_results = _attack_markdown(model, attacks)
    t = eq.target
    k = eq.constants

    analytic = [
        ["x: fraud when forgeable", t.fraud_rate, eq["fraud_rate_given_forgeable"]],
        ["h x: fraud per query", t.network_fraud_rate, eq["fraud_rate"]],
        ["y: monitoring per challenger", t.monitoring_rate, eq["monitoring_rate"]],
        ["q: challenger detection", t.challenger_detection, eq["challenger_detection"]],
        ["p: detection (equilibrium)", t.detection_probability, eq["detection_rate"]],
        ["p: detection (adversary, same challengers)", adv.expected["detection_rate"], adv["detection_rate"]],
        ["h: prover can forge (analytic, stationary)", t.compromise_probability, eq["forgeable_rate"]],
        ["h given the windows drawn: f x realized coverage", k["compromised_fraction"] * k["window_coverage_realized"], eq["forgeable_rate"]],
        ["a challenger's profit per check (USD)", t.challenger_profit_usd_per_check, eq["challenger_profit_usd_per_check"]],
    ]
    analytic_rows = [
        [name, fmt(v), "n/a (no trials)" if e.trials == 0 else f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"] for name, v, e in analytic
    ]
    claim_rows = [
        [c.statement, c.paper_value, f"{fmt(c.simulated.value)} [{fmt(c.simulated.low)}, {fmt(c.simulated.high)}]", "yes" if c.holds else "**no**", c.holds_when, c.fails_when.lstrip("; ")]
        for c in claims
    ]
    led_eq, led_adv = eq.ledger.as_floats(), adv.ledger.as_floats()
    ledger_rows = [[key.removesuffix("_usd").replace("_", " "), led_eq[key], led_adv[key]] for key in led_eq]

    body = "\n\n".join(
        [
            f"Two seeded runs (seed {SEED}, {QUERIES:,} queries each, sampled over {fmt(eq.horizon_years)} years of a network "
            f"of {eq.provers} provers and {k['challengers']} challengers): **equilibrium** play (the network's {t.kind} equilibrium of the "
            f"`{t.deviation}` deviation under `{t.convention}`: x* = {fmt(t.fraud_rate)}, y* = {fmt(t.monitoring_rate)}, fraud per query "
            f"h x* = {fmt(t.network_fraud_rate)}), and an **adversary** that cheats on every query where its TEE is forgeable, against "
            "the same challengers. "
            f"The equilibrium is the network's (ours): a challenger cannot tell which queries' provers can forge and only a share "
            f"h = {fmt(t.forgeable_share)} of those it monitors can, so in a mixed equilibrium a prover who can cheat does so at "
            "x* = c/(h aS s(y*)) and a monitor breaks even, where the game against a compromised prover (h = 1) would leave it "
            f"-c(1-h) per check; here a check earns {fmt(t.challenger_profit_usd_per_check)} USD. "
            f"{k['vulnerability_windows']} vulnerability windows were drawn, covering {fmt(k['window_coverage_realized'], 3)} of the "
            f"time (expected 1 - exp(-lambda D) = {fmt(k['window_coverage_expected'], 3)}). Disputes take "
            f"{k['bisection_rounds']} bisection rounds ({fmt(k['dispute_duration_s'])} s with the cheater stalling each round to "
            f"its timeout); a challenge lands {fmt(k['challenge_lands_after_s'])} s after the query, censorship included "
            f"({'within' if k['challenge_in_time'] else '**after**'} the window). Intervals are 95%: Wilson for rates, normal for means.",
            "```math\nh = f\\left(1 - e^{-\\lambda D}\\right)\np = 1 - (1-\\rho)(1-q), \\quad q = 1 - (1-y)^n\n```",
            md_table(["estimate", "what it measures", "equilibrium", "adversary"], [_row(name, eq, adv) for name in _TABLE_KEYS]),
            "Analytic equilibrium against the simulation:",
            md_table(["quantity", "analytic", "simulated [95%]"], analytic_rows),
            "Value moved by the ledger (USD; slashed = paid + burned exactly; honest parties lose nothing; each prover identity "
            "is slashed once, min(S, stake), and ejected: detections of its queries before its slash lands add nothing):",
            md_table(["", "equilibrium", "adversary"], ledger_rows),
            attack_md,
            "The paper's headline claims beside the simulation (conditions ours):",
            md_table(["claim", "paper", "simulated [95%]", "holds here", "holds when", "fails when"], claim_rows),
        ]
    )
    a = adv["undetected_fraud_rate"]
    verdicts = ", ".join(f"{c.key} {'holds' if c.holds else 'fails'}" for c in claims)
    summary = (
        f"Simulation ({QUERIES:,} queries, seed {SEED}): equilibrium fraud {fmt(eq['fraud_rate'].value)} per query "
        f"(95% upper {fmt(eq['fraud_rate'].high, 3)}); relative throughput {fmt(eq['throughput_relative'].value, 3)}; "
        f"cost overhead ${fmt(eq['cost_overhead_usd_per_query'].value, 3)} per query.",
        f"A prover that cheats whenever its TEE is forgeable gets {fmt(a.value, 3)} [{fmt(a.low, 3)}, {fmt(a.high, 3)}] undetected "
        f"frauds per query; paper's claims here: {verdicts}.",
        attack_verdict,
    )
    results = {
        "seed": SEED,
        "queries": QUERIES,
        "constants": jsonable(k),
        "target": jsonable(t),
        "equilibrium": {"policy": jsonable(eq.policy), "estimates": _estimates_json(eq), "ledger": jsonable(eq.ledger), "counts": dict(eq.counts)},
        "adversary": {"policy": jsonable(adv.policy), "estimates": _estimates_json(adv), "ledger": jsonable(adv.ledger), "counts": dict(adv.counts)},
        "claims": jsonable(claims),
        "windows_days": jsonable(eq.windows_days),
        "attack": attack_results,
    }
    fig = undetected_fraud_figure(eq, adversary=adv)
    return Section(
        key="simulation",
        title="Simulation of the running network",
        markdown=body,
        results=results,
        figures=(Figure("simulation_undetected_fraud", "undetected fraud per 1,000 queries over time, with the TEE vulnerability windows", fig),),
        summary=summary,
    )
