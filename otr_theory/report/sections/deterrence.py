"""Report section: detection probability of a cheated query and the minimum deterring slash.

Uses the closed forms of :mod:`otr_theory.payoffs`, with the model's margin m. The minimum slash
here is the **one-query** condition -- one cheated query against a fresh stake, no detection lag
-- and the section says so; beside it, the stake that deters every strategy *over time*
(:func:`otr_theory.payoffs.corruption.assess`: cheat until caught, cheat during the lag, slashed
once), which is the security criterion. The detection
probability here counts the spot-checks alone (challengers idle: the verifier's dilemma's worst
case), which is the bound the protocol guarantees without relying on anyone choosing to monitor.
Spot-checks count only when they bite (selection revealed after the commitment, a missed proof
slashed).
"""

from __future__ import annotations

import numpy as np

from otr_theory.model import Model
from otr_theory.payoffs import detection_probability, effective_spot_check_rate, min_deterring_slash
from otr_theory.payoffs.corruption import assess
from otr_theory.report.core import Figure, Section, fmt, md_table, new_figure
from otr_theory.report.sections.incentives import plain_usd, usd

__all__ = ["build", "rho_axis", "slash_vs_rho_figure"]


def rho_axis(model: Model, points: int = 200) -> np.ndarray:
    """The spot-check rates plotted: 1e-4 up to 0.5 (or just past the configured rate).

    Above a half the forfeit threshold g(1-rho)/rho falls to 0 at rho = 1 and only squeezes the
    readable part of a log plot; nobody spot-checks more than half of all queries with ZK proofs.
    """
    rho = model.value("spot_check_rate")
    hi = min(max(0.5, 2.0 * rho), 0.99)
    return np.logspace(-4, np.log10(hi), points)


def slash_vs_rho_figure(model: Model, *, ax=None):
    """Minimum deterring slash (with the model's margin) against rho under both conventions,
    spot-checks only, with the configured point."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    g = model.value("external_gain_usd")
    m = model.value("incentive_margin_usd")
    rhos = rho_axis(model)
    for conv, style in (("forfeit", "-"), ("keep", "--")):
        s = min_deterring_slash(g, detection_probability(rhos), conv, margin_usd=m)
        label = f"{conv}{' (in force)' if conv == model.loss_convention else ''}"
        ax.loglog(rhos, s, style, label=label)
    rho = model.value("spot_check_rate")
    slash = model.value("slash_usd")
    if slash > 0:
        ax.axhline(slash, color="grey", lw=0.8, ls=":", label=f"configured slash {plain_usd(slash)}")
    if rho > 0 and slash > 0:
        ax.plot([rho], [slash], "o", color="black", label=f"configured rho = {fmt(rho)}")
    ax.set_xlabel("spot-check rate rho")
    ax.set_ylabel("minimum deterring slash S* (USD)")
    # no "$" in figure text: a pair of them starts mathtext
    ax.set_title(f"S* against rho: gain {fmt(g)} USD, margin {fmt(m)} USD, spot-checks only", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def build(model: Model) -> Section:
    g = model.value("external_gain_usd")
    rho = model.value("spot_check_rate")
    slash = model.value("slash_usd")
    conv = model.loss_convention
    m = model.value("incentive_margin_usd")
    p = float(detection_probability(effective_spot_check_rate(model)))
    s_star = float(min_deterring_slash(g, p, conv, margin_usd=m))
    other = "keep" if conv == "forfeit" else "forfeit"
    s_other = float(min_deterring_slash(g, p, other, margin_usd=m))
    deterred = slash >= s_star
    over = assess(model)
    need = over.required_stake_usd
    rows = [
        ("spot-check rate rho", rho),
        ("detection probability of a cheated query p (spot-checks only)", p),
        ("external gain g (USD)", g),
        ("margin m (USD)", m),
        (f"minimum deterring slash S* under `{conv}` (USD)", s_star),
        (f"minimum deterring slash under `{other}` (USD, for comparison)", s_other),
        ("configured slash S (USD)", slash),
        ("S >= S* (one query against a fresh stake, no detection lag)", "yes" if deterred else "no"),
        ("best attack over time: expected profit (USD)", over.attack.payoff_usd),
        ("stake that deters every strategy over time (USD)", need),
        ("exposure n L gbar between a fraud and its slash (USD)", over.exposure_usd),
        ("secure over time (the criterion)", "yes" if over.secure else "**no**"),
    ]
    formula = r"S^* = \frac{(1-p)\,g + m}{p}" if conv == "forfeit" else r"S^* = \frac{g + m}{p}"
    body = "\n\n".join(
        [
            f"Loss convention in force: **{conv}** "
            + ("(a caught cheater forfeits the gain and pays the slash; inspection games)." if conv == "forfeit" else "(a caught cheater keeps the gain and pays the slash on top; Becker 1968)."),
            "```math\np = 1 - (1-\\rho)(1-q), \\quad q = 0\n" + formula + "\n```",
            "This S* is the one-query condition: one cheated query against a fresh, full stake, slashed at once. A "
            "compromised TEE forges every query it serves and a fraud is slashed only when its proof misses the deadline, "
            "so the criterion is the best strategy over time (cost of corruption against profit from corruption; "
            "`payoffs.corruption`), whose deterring stake is in the last rows.",
            md_table(["quantity", "value"], rows),
        ]
    )
    verdict = "deters" if deterred else "does NOT deter"
    summary = (
        f"Spot-checks alone catch a cheated query with probability {fmt(p)}; for one query against a fresh stake the configured slash {usd(slash)} "
        f"{verdict} a {usd(g)} gain (minimum {usd(s_star)} under `{conv}`, margin {usd(m)}). Over time it "
        + ("deters every strategy." if over.secure else f"does NOT: the best attack expects {usd(over.attack.payoff_usd)}; a stake of {usd(need)} would deter it."),
    )
    return Section(
        key="deterrence",
        title="Detection and the minimum deterring slash",
        markdown=body,
        results={
            "loss_convention": conv,
            "spot_check_rate": rho,
            "detection_probability": p,
            "external_gain_usd": g,
            "incentive_margin_usd": m,
            "min_deterring_slash_usd": s_star,
            "min_deterring_slash_other_convention_usd": s_other,
            "slash_usd": slash,
            "deterred": deterred,
            "deterred_reading": "one query against a fresh stake, no detection lag",
            "secure_over_time": over.secure,
            "best_attack_payoff_usd": over.attack.payoff_usd,
            "required_stake_over_time_usd": need,
            "exposure_usd": over.exposure_usd,
        },
        figures=(Figure("min_slash_vs_rho", "minimum deterring slash against the spot-check rate", slash_vs_rho_figure(model)),),
        summary=summary,
    )
