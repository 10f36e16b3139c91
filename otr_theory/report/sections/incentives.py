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

import numpy as np

from otr_theory.model import Model
from otr_theory.payoffs import (
    DEVIATIONS,
    capital_cost_usd,
    compromise_probability,
    deviation_gain,
    effective_spot_check_rate,
    expected_reward_share,
    frivolous_challenge_payoff,
    full_load_queries,
    honest_cost_usd_per_query,
    honest_epoch_profit,
    incentive_conditions,
    inspection_equilibrium,
    latex_conditions,
    n_challenger_equilibrium,
    network_forgeable_share,
)
from otr_theory.payoffs import describe as describe_condition
from otr_theory.report.core import Figure, Section, fmt, md_table, new_figure
from otr_theory.fmt import fmt_usd

__all__ = ["REFERENCE_FORCED_ERROR_RATE", "build", "plain_usd", "rates_vs_slash", "rates_vs_slash_figure", "spot_check_deterrence_slash", "usd"]

REFERENCE_FORCED_ERROR_RATE = 1e-3
"""The forced-error rate at which the report prices Truebit's jackpot (Truebit's order of
magnitude, per the calibration notes; not a measured number)."""

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


def spot_check_deterrence_slash(model: Model, deviation: str = "wrong_output") -> float:
    """The slash above which spot-checks alone make cheating unprofitable (A < 0, no margin):
    forfeit (1-rho)G/rho, keep G/rho; inf without biting spot-checks."""
    rho = float(effective_spot_check_rate(model))
    g = float(deviation_gain(model, deviation))
    if rho <= 0:
        return math.inf
    return (1 - rho) * g / rho if model.loss_convention == "forfeit" else g / rho


def rates_vs_slash(model: Model, slashes: np.ndarray, deviation: str = "wrong_output") -> dict[str, np.ndarray]:
    """Equilibrium rates over a slash grid: fraud rate with one and with n challengers against a
    compromised prover (h = 1), the network's fraud rate of a prover who can deviate with n
    challengers (h of :func:`~otr_theory.payoffs.network_forgeable_share`), the challengers'
    detection q and each challenger's monitoring rate (n = the model's count)."""
    values = dict(model.values())
    values["slash_usd"] = np.asarray(slashes, dtype=float)
    n = max(int(model.value("count")), 1)
    h = float(network_forgeable_share(model))
    one = n_challenger_equilibrium(values, 1, deviation, model.loss_convention, protocol=model.protocol)
    many = n_challenger_equilibrium(values, n, deviation, model.loss_convention, protocol=model.protocol)
    net = n_challenger_equilibrium(values, n, deviation, model.loss_convention, protocol=model.protocol, forgeable_share=h)
    return {
        "slash_usd": np.asarray(slashes, dtype=float),
        "fraud_rate_1": np.asarray(one.fraud_rate),
        "fraud_rate_n": np.asarray(many.fraud_rate),
        "fraud_rate_n_network": np.asarray(net.fraud_rate),
        "challenger_detection": np.asarray(many.challenger_detection),
        "challenger_detection_network": np.asarray(net.challenger_detection),
        "monitoring_rate_n": np.asarray(many.monitoring_rate),
        "forgeable_share": h,
        "n": n,
    }


def rates_vs_slash_figure(model: Model, *, ax=None):
    """Equilibrium fraud and monitoring rates against the slash (log-log; zero rates not drawn)."""
    if ax is None:
        fig, ax = new_figure(6.4, 4.2)
    else:
        fig = ax.figure
    s_cfg = model.value("slash_usd")
    lo = 10.0 ** math.floor(math.log10(max(min(s_cfg, 1e5) / 1000.0, 1.0)))
    hi = 10.0 ** math.ceil(math.log10(max(s_cfg, 1e3) * 10.0))
    data = rates_vs_slash(model, np.logspace(math.log10(lo), math.log10(hi), 240))
    s = data["slash_usd"]
    n = data["n"]

    def positive(v):
        return np.where(v > 0, v, np.nan)

    ax.loglog(s, positive(data["fraud_rate_1"]), "-", color="tab:red", label="fraud rate x, 1 challenger")
    if n > 1:
        ax.loglog(s, positive(data["fraud_rate_n"]), "--", color="tab:red", label=f"fraud rate x, {n} challengers")
    h = data["forgeable_share"]
    if h < 1:
        ax.loglog(s, positive(data["fraud_rate_n_network"]), ":", color="tab:red", lw=2.0, label=f"network, h = {fmt(h, 3)}: x of a prover who can cheat, {n} chall.")
        if not np.allclose(data["challenger_detection_network"], data["challenger_detection"]):
            ax.loglog(s, positive(data["challenger_detection_network"]), ":", color="tab:blue", lw=2.0, label=f"network (h = {fmt(h, 3)}): q")
    ax.loglog(s, positive(data["challenger_detection"]), "-", color="tab:blue", label="P(some challenger checks) q (any n)")
    if n > 1:
        ax.loglog(s, positive(data["monitoring_rate_n"]), "--", color="tab:blue", label=f"each of {n} challengers checks, y")
    ax.set_xlim(lo, hi)
    boundary = spot_check_deterrence_slash(model)
    if math.isfinite(boundary) and lo <= boundary <= hi:
        ax.axvline(boundary, color="tab:green", lw=1.0, ls="-.", label=f"spot-checks alone deter above {plain_usd(boundary)}")
    if s_cfg > 0:
        ax.axvline(s_cfg, color="black", lw=0.8, ls=":", label=f"configured slash {plain_usd(s_cfg)}")
    if not np.isfinite(positive(np.concatenate([data["fraud_rate_1"], data["challenger_detection"]]))).any():
        ax.text(0.5, 0.5, "no fraud and no monitoring at any slash shown", transform=ax.transAxes, ha="center")
        ax.set_ylim(1e-10, 1.0)
    elif not np.isfinite(positive(data["challenger_detection"])).any():
        ax.set_ylim(top=1.0)
    ax.set_xlabel("slash S (USD)")
    ax.set_ylabel("probability per query")
    ax.set_title(
        f"Inspection-game equilibrium (wrong output, {model.loss_convention}); zero rates not drawn\n"
        + ("solid/dashed: against a compromised prover (h = 1); dotted: the network's" if h < 1 else "every prover can cheat (h = 1)"),
        fontsize=9,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return fig


def _math(latex: str) -> str:
    return "```math\n" + latex + "\n```"


def build(model: Model) -> Section:
    """The incentives section of the report for ``model``."""
    conv = model.loss_convention
    v = model.values()
    tex = latex_conditions(conv)
    h = float(compromise_probability(model))
    rho_eff = float(effective_spot_check_rate(model))
    n = int(model.value("count"))
    S = model.value("slash_usd")
    a = model.value("challenger_reward_share")
    c = model.value("check_cost_usd_per_query")
    m = model.value("incentive_margin_usd")
    ic = incentive_conditions(model, conv)

    h_net = float(network_forgeable_share(model))
    # against a compromised prover (h = 1), and the network's equilibrium (h = h_net): stated
    eq1 = {dev: inspection_equilibrium(model, dev, conv) for dev in DEVIATIONS}
    eqn = {dev: n_challenger_equilibrium(model, n, dev, conv) for dev in DEVIATIONS}
    net1 = {dev: inspection_equilibrium(model, dev, conv, forgeable_share=h_net) for dev in DEVIATIONS}
    netn = {dev: n_challenger_equilibrium(model, n, dev, conv, forgeable_share=h_net) for dev in DEVIATIONS}
    s_spot = spot_check_deterrence_slash(model)

    # participation and Truebit
    threshold_fraud = c / (a * S) if a * S > 0 else math.inf
    threshold_forgeable = c / (h_net * a * S) if h_net * a * S > 0 else math.inf
    jackpot_needed = c / REFERENCE_FORCED_ERROR_RATE
    x1 = net1["wrong_output"].fraud_rate
    # per epoch
    q_epoch = int(full_load_queries(model))
    k = float(honest_cost_usd_per_query(model))
    compute = v["skip_saving_usd_per_query"]
    proofs = v["spot_check_rate"] * v["proof_cost_usd"]
    gas = k - compute - proofs
    cap = float(capital_cost_usd(v["stake_usd"], v["capital_cost_rate_per_year"], v["window_s"]))
    profit = float(honest_epoch_profit(model, q_epoch))
    break_even_fee = k + (cap / q_epoch if q_epoch > 0 else math.inf)
    frivolous = float(frivolous_challenge_payoff(v["challenger_bond_usd"]))

    conv_words = (
        "a caught cheater forfeits the gain and pays the slash (inspection games)"
        if conv == "forfeit"
        else "a caught cheater keeps the gain and pays the slash on top (Becker 1968)"
    )
    bites = "bite" if rho_eff == model.value("spot_check_rate") else "do not bite (the prover knows the selection in advance or a missed proof is not slashed): rho counts as 0"
    intact = (
        "With an intact TEE and the attestation check a deviating result has no valid attestation and is rejected; the "
        f"conditions below are for a prover whose TEE is compromised, which happens at a given query with probability h = {fmt(h)}."
        if model.protocol.attestation_check
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
        return "; ".join(f"{_LABELS[d]} {(usd if money else fmt)(getattr(ic[d], attr))}" for d in DEVIATIONS)

    def ic_value(d: str) -> str:
        x = ic[d]
        verdict = "holds" if x.deterred else "FAILS"
        return f"{verdict}: payoff {usd(x.payoff_usd)} vs -m = {usd(-x.margin_usd)} (slack {usd(x.slack_usd)})"

    e1, en = net1["wrong_output"], netn["wrong_output"]
    interior = e1.kind == "mixed"
    eq_words = (
        f"network (h = {fmt(h_net)}): x* = {fmt(e1.fraud_rate)}, y* = {fmt(e1.monitoring_rate)}, fraud per query h x* = {fmt(e1.network_fraud_rate)}"
        + (f" (against a compromised prover, h = 1: x* = {fmt(eq1['wrong_output'].fraud_rate)})" if h_net < 1 else "")
        if interior
        else (
            f"not interior: the unique equilibrium is x = {fmt(e1.fraud_rate)}, y = {fmt(e1.monitoring_rate)} (pure)"
            if e1.kind == "pure"
            else f"not interior: {e1.description} (degenerate)"
        )
        + (f"; the formulas apply when spot-checks alone do not deter, i.e. S < {usd(s_spot)}" if math.isfinite(s_spot) else "")
    )
    n_words = (
        "no challengers"
        if n == 0
        else f"network (h = {fmt(h_net)}), n = {n}: each checks with y = {fmt(float(en.monitoring_rate))}, q = {fmt(float(en.challenger_detection))}, "
        f"fraud rate of a prover who can deviate {fmt(float(en.fraud_rate))}, per query {fmt(float(en.network_fraud_rate))} ({en.kind}); "
        f"a monitor's expected reward share s = {fmt(float(expected_reward_share(float(en.monitoring_rate), n)))}"
    )
    items = [
        ("compromise_probability", f"h = {fmt(h)} (f_c = {fmt(v['compromised_fraction'])}, lambda = {fmt(v['compromise_rate_per_year'])}/year, D = {fmt(v['compromise_duration_days'])} days)."),
        ("detection", f"p = {fmt(wo.detection)} with q = 0 (spot-checks alone; they {bites}); p = {fmt(wo.detection_intact_tee)} with an intact TEE."),
        ("payoff", dev_values("payoff_usd") + " (USD per query, compromised TEE, q = 0)."),
        *[(f"ic_{d}", ic_value(d) + ".") for d in DEVIATIONS],
        ("min_slash", dev_values("min_slash_usd") + f" (configured S = {usd(S)})."),
        ("min_detection", dev_values("min_detection", money=False) + " (above 1: no detection deters)."),
        ("min_spot_check_rate", dev_values("min_spot_check_rate", money=False) + f" (configured rho = {fmt(model.value('spot_check_rate'))}; ∞: no rate deters)."),
        ("fraud_rate", eq_words + "."),
        ("monitoring_rate", eq_words + "."),
        ("n_monitoring_rate", n_words + "."),
        ("n_fraud_rate", n_words + "."),
        (
            "participation",
            f"with nobody else checking, a challenger checks only if the fraud per query h x is at least c/(aS) = {fmt(threshold_fraud)}, "
            f"i.e. a prover who can deviate cheats at least at c/(h aS) = {fmt(threshold_forgeable)}; at the network equilibrium "
            f"(x = {fmt(x1)}, h x = {fmt(e1.network_fraud_rate)}) "
            + ("nobody checks: the verifier's dilemma." if e1.monitoring_rate == 0 else f"it checks with probability {fmt(e1.monitoring_rate)}."),
        ),
        (
            "truebit",
            f"the protocol has no forced errors (phi = 0), so the condition fails: 0 < c = {usd(c)}. At phi = {fmt(REFERENCE_FORCED_ERROR_RATE)} a jackpot "
            f"J >= c/phi = {usd(jackpot_needed)} per forced error (a tax of phi J = {usd(c)} per query) would keep a lone challenger checking.",
        ),
        (
            "epoch_profit",
            "no challenge window in this scheme (W = 0): the per-window analysis does not apply."
            if q_epoch == 0
            else
            f"Q = {q_epoch:,} queries per window (one replica at full load over W = {fmt(v['window_s'])} s), k = {usd(k)} per query "
            f"(compute {usd(compute)}, proofs rho C_zk = {usd(proofs)}, commitment gas {usd(gas)}), f = {usd(v['fee_usd_per_query'])}, "
            f"capital cost {usd(cap)}: Pi = {usd(profit)} per window; break-even fee {usd(break_even_fee)} per query.",
        ),
        ("frivolous", f"bond {usd(v['challenger_bond_usd'])}: a frivolous challenge pays {usd(frivolous)} with no griefing gain; it pays only if griefing gains more than {usd(v['challenger_bond_usd'] - m)}."),
    ]

    parts = [
        f"Loss convention in force: **{conv}** ({conv_words}). {intact} Detection below counts the spot-checks alone "
        f"(q = 0), the bound that holds when no challenger chooses to check. {network_words} Formulas: see `otr_theory.payoffs`; "
        "those not attributed to a source are ours.",
        "### Conditions and their values at this model",
    ]
    for name, value in items:
        title = _TITLES.get(name) or f"incentive condition: {_LABELS[name[3:]]}"
        what = describe_condition(name, conv).replace(name[3:], _LABELS.get(name[3:], name[3:]))
        parts.append(f"**{title}** — {what}. At this model: {value}")
        parts.append(_math(tex[name]))
        if name in _NETWORK_MATH:
            parts.append(_math(_NETWORK_MATH[name]))

    dev_rows = [
        (
            _LABELS[d],
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
        for d, x in ic.items()
    ]
    parts += [
        "### Deviations",
        f"Per query, compromised TEE, spot-checks only, margin m = {usd(m)}. The last three columns: the most profitable "
        f"number of deviations in one window of {q_epoch:,} queries (the stake is slashed at most once), its payoff and whether it is deterred.",
        md_table(
            ["deviation", "gain G (USD)", "p, compromised TEE", "p, intact TEE", "payoff (USD)", "deterred", "slack (USD)", "S* (USD)", "rho*", "best k per window", "window payoff (USD)", "window deterred"],
            dev_rows,
        ),
    ]
    eq_rows = []
    for d in DEVIATIONS:
        e = net1[d]
        eq_rows.append((_LABELS[d], 1, e.kind, e.fraud_rate, e.network_fraud_rate, e.monitoring_rate, e.monitoring_rate, e.detection_probability))
        if n != 1:
            f = netn[d]
            eq_rows.append((_LABELS[d], n, f.kind, float(f.fraud_rate), float(f.network_fraud_rate), float(f.monitoring_rate), float(f.challenger_detection), float(f.detection_probability)))
    parts += [
        "### Equilibria",
        f"Symmetric equilibrium of the inspection game in the network, where a share h = {fmt(h_net)} of queries have a prover who "
        "can deviate and the challengers cannot tell which (no forced errors); x is such a prover's fraud rate, h x the fraud per query.",
        md_table(["deviation", "challengers", "kind", "fraud rate x", "fraud per query h x", "each checks y", "q", "p"], eq_rows),
    ]
    degenerate = [f"{_LABELS[d]}: {net1[d].description}" for d in DEVIATIONS if net1[d].kind == "degenerate"]
    if degenerate:
        parts.append("Degenerate (a continuum of equilibria; the table shows the least-fraud member): " + "; ".join(degenerate) + ".")

    n_deterred = sum(x.deterred for x in ic.values())
    failing = [_LABELS[d] for d, x in ic.items() if not x.deterred]
    summary: list[str] = [
        f"Incentives (`{conv}`), one query against a fresh stake: {n_deterred} of {len(ic)} deviations are deterred per query by spot-checks alone with a compromised TEE"
        + (f"; NOT deterred: {', '.join(failing)}" if failing else f" (slack {', '.join(usd(x.slack_usd) for x in ic.values())})")
        + ".",
        (
            f"Equilibrium with {max(n, 1)} challenger(s): nobody cheats and nobody checks (the verifier's dilemma): deterrence rests on the spot-checks."
            if e1.fraud_rate == 0 and e1.monitoring_rate == 0
            else f"Network equilibrium (wrong output, a share h = {fmt(h_net)} of queries can be cheated): a prover who can cheat does so "
            f"with probability {fmt(e1.fraud_rate)} with one challenger"
            + (f", {fmt(float(en.fraud_rate))} with {n}" if n > 1 else "")
            + f" (per query {fmt(float(en.network_fraud_rate if n > 1 else e1.network_fraud_rate))}); challengers catch a cheat with probability "
            f"{fmt(float(en.challenger_detection))}."
        ),
    ]
    if q_epoch > 0:
        summary.append(
            f"An honest prover's profit per window at full load is {usd(profit)} (cost {usd(k)} per query, of which spot-check proofs "
            f"{usd(proofs)}, against a {usd(v['fee_usd_per_query'])} fee; break-even fee {usd(break_even_fee)})."
        )
    if q_epoch > 0 and any(x.deterred and not x.epoch_deterred for x in ic.values()):
        bad = [_LABELS[d] for d, x in ic.items() if x.deterred and not x.epoch_deterred]
        summary.append(
            f"Over one window, deviating on many queries pays ({', '.join(bad)}): the stake is slashed at most once, so S must exceed the window's total gain."
        )

    from otr_theory.payoffs.corruption import assess

    over = assess(model)
    summary.append(
        "Over time (the security criterion; `payoffs.corruption`): "
        + (
            "no catalogued deviation pays."
            if over.secure
            else f"a compromised prover that cheats until caught ({over.attack.strategy.replace('_', ' ')}, {over.deviation}) expects "
            f"{usd(over.attack.payoff_usd)}; the stake that deters every strategy is {usd(over.required_stake_usd)}."
        )
    )
    results = {
        "loss_convention": conv,
        "secure_over_time": over.secure,
        "best_attack_payoff_usd": over.attack.payoff_usd,
        "required_stake_over_time_usd": over.required_stake_usd,
        "compromise_probability": h,
        "forgeable_share": h_net,
        "effective_spot_check_rate": rho_eff,
        "challengers": n,
        "conditions_latex": tex,
        "deviations": {d: x for d, x in ic.items()},
        "equilibrium_one_challenger": {d: e for d, e in eq1.items()},
        "equilibrium_n_challengers": {d: e for d, e in eqn.items()},
        "network_equilibrium_one_challenger": {d: e for d, e in net1.items()},
        "network_equilibrium_n_challengers": {d: e for d, e in netn.items()},
        "spot_checks_deter_above_slash_usd": s_spot,
        "participation": {
            "min_fraud_rate_for_checking": threshold_fraud,
            "min_forgeable_fraud_rate_for_checking": threshold_forgeable,
            "reference_forced_error_rate": REFERENCE_FORCED_ERROR_RATE,
            "jackpot_needed_usd": jackpot_needed,
        },
        "epoch": {
            "queries": q_epoch,
            "honest_cost_usd_per_query": k,
            "capital_cost_usd": cap,
            "honest_profit_usd": profit,
            "break_even_fee_usd_per_query": break_even_fee,
        },
        "frivolous_challenge_payoff_usd": frivolous,
    }
    return Section(
        key="incentives",
        title="Incentive conditions and equilibria",
        markdown="\n\n".join(parts),
        results=results,
        figures=(Figure("rates_vs_slash", "equilibrium fraud and monitoring rates against the slash", rates_vs_slash_figure(model)),),
        summary=tuple(summary),
    )
