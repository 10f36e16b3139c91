"""Report section: every incentive condition of the payoff model, in mathematics and in numbers.

For the loss convention in force: each condition of :mod:`otr_theory.payoffs` as a formula
with its value at the model's parameters; a table per deviation (gain, detection with a
compromised TEE, payoff, deterred or not and by what margin, S*, rho*, the best deviation over
one challenge window); the equilibrium rates with one and with n challengers -- the network's
equilibrium, in which a challenger cannot tell the share h of queries whose prover can deviate
from the rest (:mod:`otr_theory.payoffs`, item 6a); the challengers' participation (verifier's
dilemma, forced errors); the honest prover's profit per window; the bond against frivolous
challenges. A figure shows the equilibrium fraud and monitoring rates against the slash.
"""

from __future__ import annotations

import math

from otr_theory.fmt import fmt_usd
from otr_theory.model import Model
from otr_theory.payoffs.analysis import IncentivesAnalysis, analyse
from otr_theory.plotting.incentives import rates_vs_slash_figure
from otr_theory.report.core import Figure, Section, fmt, md_table

__all__ = ["build", "plain_usd", "render", "usd"]

_LABELS = {"wrong_output": "wrong output", "model_downgrade": "model downgrade", "skip_work": "skip work"}
_NETWORK_MATH = {
    "fraud_rate": r"x^{*}_{h} = \frac{c}{h a S}",
    "n_fraud_rate": r"x^{*}_{n,h} = \frac{c}{h a S s(y^{*}_{n})} = \frac{x^{*}_{n}}{h}",
    "participation": r"h x a S s + \varphi J t \geq c",
}
"""The network's forms (ours; :mod:`otr_theory.payoffs` item 6a), shown under the per-query ones."""

_TITLES = {
    "compromise_probability": "TEE compromise",
    "detection": "detection",
    "payoff": "payoff of a deviation",
    "min_slash": "minimum slash S*",
    "min_detection": "minimum detection p*",
    "min_spot_check_rate": "minimum spot-check rate rho*",
    "fraud_rate": "fraud rate, one challenger",
    "monitoring_rate": "monitoring rate, one challenger",
    "n_monitoring_rate": "monitoring rate, n challengers",
    "n_fraud_rate": "fraud rate, n challengers",
    "participation": "challengers' participation",
    "truebit": "forced errors (Truebit)",
    "epoch_profit": "honest profit per window",
    "frivolous": "frivolous challenges",
}


def usd(x: float) -> str:
    """Dollars for prose: -$46,183, $999, $13.69, $0.000238, ∞.

    >>> usd(-46183.2), usd(999.0000001), usd(13.6893), usd(0.000238), usd(float("inf"))
    ('-$46,183', '$999', '$13.69', '$0.000238', '∞')
    """
    return fmt_usd(x, 4)


def _amount(x: float) -> str:
    """A dollar amount for a table cell (the header names the unit)."""
    return usd(x).replace("$", "")


def plain_usd(x: float) -> str:
    """Dollars for figure text, where a pair of $ would start mathtext: '100,000 USD'."""
    return usd(x).replace("$", "") + " USD"


def _math(latex: str) -> str:
    return "```math\n" + latex + "\n```"


def build(model: Model) -> Section:
    """The incentives section of the report for ``model``."""
    return render(analyse(model), model)


def render(record: IncentivesAnalysis, model: Model) -> Section:
    """The section from the analysis record (formatting and the figure only; ``model`` gives the
    inputs the prose quotes)."""
    r = record
    conv = r.loss_convention
    v = model.values()
    tex = {c.name: c.latex for c in r.conditions}
    words = {c.name: c.description for c in r.conditions}
    h, h_net, n, S, m = r.compromise_probability, r.forgeable_share, r.challengers, r.slash_usd, r.margin_usd
    c = model.value("check_cost_usd_per_query")
    ic = {d.deviation: d for d in r.deviations}
    devs = tuple(ic)
    e1 = r.equilibrium("wrong_output", "network", 1)
    en = r.equilibrium("wrong_output", "network", n) if n > 1 else (e1 if n == 1 else None)
    c1 = r.equilibrium("wrong_output", "compromised", 1)
    ep, part, over = r.epoch, r.participation, r.over_time
    s_spot = r.break_even_slash_usd

    conv_words = "a caught cheater forfeits the gain and pays the slash (inspection games)" if conv == "forfeit" else "a caught cheater keeps the gain and pays the slash on top (Becker 1968)"
    bites = "bite" if r.spot_checks_bite else "do not bite (the prover knows the selection in advance or a missed proof is not slashed): rho counts as 0"
    intact = (
        "With an intact TEE and the attestation check a deviating result has no valid attestation and is rejected; the "
        f"conditions below are for a prover whose TEE is compromised, which happens at a given query with probability h = {fmt(h)}."
        if r.attestation_check
        else "The attestation check is off: every prover can deviate, and only spot-checks and challengers catch it."
    )
    wo = ic["wrong_output"]
    network_words = (
        f"Equilibrium rates are the network's (ours): a challenger cannot tell which queries' provers can deviate and only a share "
        f"h = {fmt(h_net)} can, so a monitor earns h x aS s(y) - c and a prover who can deviate cheats at x* = c/(h aS s(y*)), "
        "1/h times the rate of the game against a compromised prover, with y* unchanged and h x* the fraud per query."
        if h_net < 1
        else "Equilibrium rates are the network's: every query's prover can deviate (h = 1), so they are those of the game against a compromised prover."
    )

    def dev_values(attr: str, money: bool = True) -> str:
        return "; ".join(f"{_LABELS[d]} {(usd if money else fmt)(getattr(ic[d], attr))}" for d in devs)

    def ic_value(d: str) -> str:
        x = ic[d]
        verdict = "holds" if x.deterred else "FAILS"
        return f"{verdict}: payoff {usd(x.payoff_usd)} vs -m = {usd(-x.margin_usd)} (slack {usd(x.slack_usd)})"

    if e1.kind == "mixed":
        eq_words = f"network (h = {fmt(h_net)}): x* = {fmt(e1.fraud_rate)}, y* = {fmt(e1.monitoring_rate)}, fraud per query h x* = {fmt(e1.network_fraud_rate)}" + (
            f" (against a compromised prover, h = 1: x* = {fmt(c1.fraud_rate)})" if h_net < 1 else ""
        )
    else:
        eq_words = (
            f"not interior: the unique equilibrium is x = {fmt(e1.fraud_rate)}, y = {fmt(e1.monitoring_rate)} (pure)" if e1.kind == "pure" else f"not interior: {e1.description} (degenerate)"
        ) + (f"; the formulas apply when spot-checks alone do not deter, i.e. S < {usd(s_spot)}" if math.isfinite(s_spot) else "")
    n_words = (
        "no challengers"
        if en is None
        else f"network (h = {fmt(h_net)}), n = {n}: each checks with y = {fmt(en.monitoring_rate)}, q = {fmt(en.challenger_detection)}, "
        f"fraud rate of a prover who can deviate {fmt(en.fraud_rate)}, per query {fmt(en.network_fraud_rate)} ({en.kind}); "
        f"a monitor's expected reward share s = {fmt(en.reward_share)}"
    )
    items = [
        ("compromise_probability", f"h = {fmt(h)} (f_c = {fmt(v['compromised_fraction'])}, lambda = {fmt(v['compromise_rate_per_year'])}/year, D = {fmt(v['compromise_duration_days'])} days)."),
        ("detection", f"p = {fmt(wo.detection)} with q = 0 (spot-checks alone; they {bites}); p = {fmt(wo.detection_intact_tee)} with an intact TEE."),
        ("payoff", dev_values("payoff_usd") + " (USD per query, compromised TEE, q = 0)."),
        *[(f"ic_{d}", ic_value(d) + ".") for d in devs],
        (
            "min_slash",
            dev_values("min_slash_usd")
            + f" (configured S = {usd(S)}). Without the margin (where the payoff is 0): "
            + dev_values("break_even_slash_usd")
            + "; over time (cheating until caught, one slash): "
            + dev_values("over_time_slash_usd")
            + ".",
        ),
        ("min_detection", dev_values("min_detection", money=False) + " (above 1: no detection deters)."),
        ("min_spot_check_rate", dev_values("min_spot_check_rate", money=False) + f" (configured rho = {fmt(r.spot_check_rate)}; ∞: no rate deters)."),
        ("fraud_rate", eq_words + "."),
        ("monitoring_rate", eq_words + "."),
        ("n_monitoring_rate", n_words + "."),
        ("n_fraud_rate", n_words + "."),
        (
            "participation",
            f"with nobody else checking, a challenger checks only if the fraud per query h x is at least c/(aS) = {fmt(part.min_fraud_rate_for_checking)}, "
            f"i.e. a prover who can deviate cheats at least at c/(h aS) = {fmt(part.min_forgeable_fraud_rate_for_checking)}; at the network equilibrium "
            f"(x = {fmt(e1.fraud_rate)}, h x = {fmt(e1.network_fraud_rate)}) "
            + ("nobody checks: the verifier's dilemma." if part.verifiers_dilemma else f"it checks with probability {fmt(part.monitoring_rate_at_equilibrium)}."),
        ),
        (
            "truebit",
            f"the protocol has no forced errors (phi = 0), so the condition fails: 0 < c = {usd(c)}. At phi = {fmt(part.reference_forced_error_rate)} a jackpot "
            f"J >= c/phi = {usd(part.jackpot_needed_usd)} per forced error (a tax of phi J = {usd(part.jackpot_tax_usd_per_query)} per query) would keep a lone challenger checking.",
        ),
        (
            "epoch_profit",
            "no challenge window in this scheme (W = 0): the per-window analysis does not apply."
            if ep.queries == 0
            else f"Q = {ep.queries:,} queries per window (one replica at full load over W = {fmt(ep.window_s)} s), k = {usd(ep.honest_cost_usd_per_query)} per query "
            f"(compute {usd(ep.compute_usd_per_query)}, proofs rho C_zk = {usd(ep.proofs_usd_per_query)}, commitment gas {usd(ep.gas_usd_per_query)}), f = {usd(ep.fee_usd_per_query)}, "
            f"capital cost {usd(ep.capital_cost_usd)}: Pi = {usd(ep.honest_profit_usd)} per window; break-even fee {usd(ep.break_even_fee_usd_per_query)} per query.",
        ),
        (
            "frivolous",
            f"bond {usd(r.challenger_bond_usd)}: a frivolous challenge pays {usd(r.frivolous_challenge_payoff_usd)} with no griefing gain; it pays only if griefing gains more than {usd(r.challenger_bond_usd - m)}.",
        ),
    ]

    parts = [
        f"Loss convention in force: **{conv}** ({conv_words}). {intact} Detection below counts the spot-checks alone "
        f"(q = 0), the bound that holds when no challenger chooses to check. {network_words} Formulas: see `otr_theory.payoffs`; "
        "those not attributed to a source are ours.",
        "### Conditions and their values at this model",
    ]
    for name, value in items:
        title = _TITLES.get(name) or f"incentive condition: {_LABELS[name[3:]]}"
        what = words[name].replace(name[3:], _LABELS.get(name[3:], name[3:]))
        parts.append(f"**{title}** — {what}. At this model: {value}")
        parts.append(_math(tex[name]))
        if name in _NETWORK_MATH:
            parts.append(_math(_NETWORK_MATH[name]))

    dev_rows = [
        (
            _LABELS[x.deviation],
            _amount(x.gain_usd),
            x.detection,
            x.detection_intact_tee,
            _amount(x.payoff_usd),
            "yes" if x.deterred else "**no**",
            _amount(x.slack_usd),
            _amount(x.min_slash_usd),
            x.min_spot_check_rate,
            f"{x.epoch_best_deviations:,}",
            _amount(x.epoch_payoff_usd),
            "yes" if x.epoch_deterred else "**no**",
        )
        for x in r.deviations
    ]
    parts += [
        "### Deviations",
        f"Per query, compromised TEE, spot-checks only, margin m = {usd(m)}. The last three columns: the most profitable "
        f"number of deviations in one window of {ep.queries:,} queries (the stake is slashed at most once), its payoff and whether it is deterred.",
        md_table(
            [
                "deviation",
                "gain G (USD)",
                "p, compromised TEE",
                "p, intact TEE",
                "payoff (USD)",
                "deterred",
                "slack (USD)",
                "S* (USD)",
                "rho*",
                "best k per window",
                "window payoff (USD)",
                "window deterred",
            ],
            dev_rows,
        ),
    ]
    eq_rows = [
        (_LABELS[e.deviation], e.challengers, e.kind, e.fraud_rate, e.network_fraud_rate, e.monitoring_rate, e.challenger_detection, e.detection_probability, e.regret_usd)
        for e in r.equilibria
        if e.scope == "network"
    ]
    parts += [
        "### Equilibria",
        f"Symmetric equilibrium of the inspection game in the network, where a share h = {fmt(h_net)} of queries have a prover who "
        "can deviate and the challengers cannot tell which (no forced errors); x is such a prover's fraud rate, h x the fraud per query. "
        "The last column is each equilibrium's regret, computed from the payoffs (the most any player gains by deviating): the independent check.",
        md_table(["deviation", "challengers", "kind", "fraud rate x", "fraud per query h x", "each checks y", "q", "p", "regret (USD)"], eq_rows),
    ]
    degenerate = [f"{_LABELS[e.deviation]}: {e.description}" for e in r.equilibria if e.scope == "network" and e.challengers == 1 and e.kind == "degenerate"]
    if degenerate:
        parts.append("Degenerate (a continuum of equilibria; the table shows the least-fraud member): " + "; ".join(degenerate) + ".")

    n_deterred = sum(x.deterred for x in r.deviations)
    failing = [_LABELS[x.deviation] for x in r.deviations if not x.deterred]
    summary: list[str] = [
        f"Incentives (`{conv}`), one query against a fresh stake: {n_deterred} of {len(r.deviations)} deviations are deterred per query by spot-checks alone with a compromised TEE"
        + (f"; NOT deterred: {', '.join(failing)}" if failing else f" (slack {', '.join(usd(x.slack_usd) for x in r.deviations)})")
        + ".",
        (
            f"Equilibrium with {max(n, 1)} challenger(s): nobody cheats and nobody checks (the verifier's dilemma): deterrence rests on the spot-checks."
            if e1.fraud_rate == 0 and e1.monitoring_rate == 0
            else f"Network equilibrium (wrong output, a share h = {fmt(h_net)} of queries can be cheated): a prover who can cheat does so "
            f"with probability {fmt(e1.fraud_rate)} with one challenger"
            + (f", {fmt(en.fraud_rate)} with {n}" if en is not None and n > 1 else "")
            + f" (per query {fmt(en.network_fraud_rate if en is not None and n > 1 else e1.network_fraud_rate)}); challengers catch a cheat with probability "
            f"{fmt(en.challenger_detection if en is not None else 0.0)}."
        ),
    ]
    if ep.queries > 0:
        summary.append(
            f"An honest prover's profit per window at full load is {usd(ep.honest_profit_usd)} (cost {usd(ep.honest_cost_usd_per_query)} per query, of which spot-check proofs "
            f"{usd(ep.proofs_usd_per_query)}, against a {usd(ep.fee_usd_per_query)} fee; break-even fee {usd(ep.break_even_fee_usd_per_query)})."
        )
    bad = [_LABELS[x.deviation] for x in r.deviations if x.deterred and not x.epoch_deterred]
    if ep.queries > 0 and bad:
        summary.append(f"Over one window, deviating on many queries pays ({', '.join(bad)}): the stake is slashed at most once, so S must exceed the window's total gain.")
    summary.append(
        "Over time (the security criterion; `payoffs.corruption`): "
        + (
            "no catalogued deviation pays."
            if over.secure
            else f"a compromised prover that cheats until caught ({over.strategy.replace('_', ' ')}, {over.deviation}) expects "
            f"{usd(over.best_attack_payoff_usd)}; the stake that deters every strategy is {usd(over.required_stake_usd)}."
        )
    )
    return Section(
        key="incentives",
        title="Incentive conditions and equilibria",
        markdown="\n\n".join(parts),
        results=r.to_dict(),
        figures=(Figure("rates_vs_slash", "equilibrium fraud and monitoring rates against the slash", rates_vs_slash_figure(r)),),
        summary=tuple(summary),
    )
