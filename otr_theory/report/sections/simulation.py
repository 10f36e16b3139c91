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

from otr_theory.fmt import fmt_duration, fmt_usd
from otr_theory.model import Model
from otr_theory.plotting.simulation import undetected_fraud_figure
from otr_theory.report.core import Figure, Section, fmt, md_table
from otr_theory.simulation.analysis import (
    EPISODES,
    QUERIES,
    SEED,
    SimulationAnalysis,
    adversary_policy,
    analyse,
)

__all__ = ["EPISODES", "QUERIES", "SEED", "adversary_policy", "attack_rows", "build", "render", "undetected_fraud_figure"]
# SEED, QUERIES, EPISODES and adversary_policy are defined in otr_theory.simulation.analysis and the
# figure in otr_theory.plotting.simulation; imported above, they stay importable from here.


def _cell(e) -> str:
    if e.method == "exact":
        return f"{fmt(e.value)} (exact)"
    if e.trials == 0:
        return "n/a (no trials)"
    return f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"


def attack_rows(strategies) -> list[list[str]]:
    """One table row per strategy: simulated profit [95%], closed form, whether it lies inside, caught."""
    rows = []
    for r in strategies:
        e = r.profit_usd
        sim = f"{fmt(e.value)} (exact)" if e.method == "exact" else f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"
        rows.append([r.strategy.name, sim, fmt(r.closed_form_usd), "yes" if r.agrees else "**no**", fmt(r.caught.value, 3), fmt(r.slashed_usd_max)])
    return rows


def _attack_markdown(a: SimulationAnalysis) -> tuple[str, str]:
    att = a.attack
    x = att.inputs
    text = (
        f"**Attack over one compromise episode** ({fmt(x.episode_s / 86_400)} days in which every query is forgeable; "
        f"{fmt(x.query_rate_per_s)} queries/s per stake = replica_query_rate x {x.replicas_per_stake} replica(s); "
        f"detection p = {fmt(x.detection_probability)} ({x.detection_reading.replace('_', ' ')}), slash landing on average "
        f"{fmt_duration(x.expected_lag_s)} after the detected query; the stake slashed once, min(S, stake left) = {fmt_usd(x.slash_usd)}"
        f"{' less the reward share a self-challenging prover recovers' if x.self_challenge else ''}; gains at {x.gain_realisation} "
        f"finality{', pending results reverted on a slash' if x.revert_pending_on_slash else ''}; `{x.convention}`). "
        f"{att.episodes:,} seeded episodes per strategy; the prover learns at once that it is caught and cheats on every query "
        "until the slash lands. Closed form (ours): profit = P_M (g_j/p + n L gbar - S_eff - F) under `keep`, "
        "P_M (g_j (1-p)/p + n L gbar (1-p) - S_eff - F) under `forfeit`, P_M = 1 - (1-p)^M."
    )
    verdict = (
        f"Best attack: {att.best_strategy or 'none'}, expected profit {fmt_usd(att.best_profit_usd)} per episode; "
        f"the slash that deters every strategy by the margin is {fmt_usd(att.required_slash_usd)} (this model: {fmt_usd(att.slash_usd)}) -- " + ("deterred." if att.deterred else "**not deterred**.")
    )
    table = md_table(["strategy", "simulated profit (USD) [95%]", "closed form (USD)", "inside", "caught", "largest slash (USD)"], attack_rows(att.strategies))
    return "\n\n".join([text, table, verdict]), verdict


def build(model: Model) -> Section:
    """The simulation section for ``model``."""
    return render(analyse(model), model)


def render(a: SimulationAnalysis, model: Model) -> Section:
    """The simulation section from its record (formats and plots only)."""
    attack_md, attack_verdict = _attack_markdown(a)
    t, k = a.target, a.constants
    eq, adv = a.equilibrium, a.adversary
    analytic_rows = [[r.name, fmt(r.analytic), "n/a (no trials)" if r.simulated.trials == 0 else f"{fmt(r.simulated.value)} [{fmt(r.simulated.low)}, {fmt(r.simulated.high)}]"] for r in a.analytic]
    claim_rows = [
        [c.statement, c.paper_value, f"{fmt(c.simulated.value)} [{fmt(c.simulated.low)}, {fmt(c.simulated.high)}]", "yes" if c.holds else "**no**", c.holds_when, c.fails_when.lstrip("; ")]
        for c in a.claims
    ]
    led_eq, led_adv = eq.ledger.as_floats(), adv.ledger.as_floats()
    ledger_rows = [[key.removesuffix("_usd").replace("_", " "), led_eq[key], led_adv[key]] for key in led_eq]

    body = "\n\n".join(
        [
            f"Two seeded runs (seed {a.seed}, {a.queries:,} queries each, sampled over {fmt(a.horizon_years)} years of a network "
            f"of {a.provers} provers and {k['challengers']} challengers): **equilibrium** play (the network's {t.kind} equilibrium of the "
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
            f"({'within' if k['challenge_in_time'] else '**after**'} the window). Intervals are 95%: Wilson for rates, normal for means. "
            f"The cost per query is the calibration's variant `at_equilibrium_monitoring` (challengers at the run's monitoring rate; "
            f"expected ${fmt(a.expected_cost_usd_per_query)}), with disputes and frivolous challenges added as they occur.",
            "```math\nh = f\\left(1 - e^{-\\lambda D}\\right)\np = 1 - (1-\\rho)(1-q), \\quad q = 1 - (1-y)^n\n```",
            md_table(["estimate", "what it measures", "equilibrium", "adversary"], [[f"`{r.name}`", r.doc, _cell(r.equilibrium), _cell(r.adversary)] for r in a.rows]),
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
    u = adv.estimates["undetected_fraud_rate"]
    e = eq.estimates
    verdicts = ", ".join(f"{c.key} {'holds' if c.holds else 'fails'}" for c in a.claims)
    summary = (
        f"Simulation ({a.queries:,} queries, seed {a.seed}): equilibrium fraud {fmt(e['fraud_rate'].value)} per query "
        f"(95% upper {fmt(e['fraud_rate'].high, 3)}); relative throughput {fmt(e['throughput_relative'].value, 3)}; "
        f"cost overhead ${fmt(e['cost_overhead_usd_per_query'].value, 3)} per query.",
        f"A prover that cheats whenever its TEE is forgeable gets {fmt(u.value, 3)} [{fmt(u.low, 3)}, {fmt(u.high, 3)}] undetected frauds per query; paper's claims here: {verdicts}.",
        attack_verdict,
    )
    fig = undetected_fraud_figure(a)
    return Section(
        key="simulation",
        title="Simulation of the running network",
        markdown=body,
        results=a.to_dict(),
        figures=(Figure("simulation_undetected_fraud", "undetected fraud per 1,000 queries over time, with the TEE vulnerability windows", fig),),
        summary=summary,
    )
