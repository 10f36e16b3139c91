"""Report section: detection probability of a cheated query and the minimum deterring slash.

Renders :class:`otr_theory.regimes.deterrence.DeterrenceAnalysis`; computes nothing. The minimum
slash here is the **one-query** condition -- one cheated query against a fresh stake, no detection
lag -- and the section says so; beside it, the stake that deters every strategy *over time*
(the security criterion). The detection probability counts the spot-checks alone (challengers
idle: the verifier's dilemma's worst case); spot-checks count only when they bite.
"""

from __future__ import annotations

from otr_theory.fmt import fmt_usd
from otr_theory.model import Model
from otr_theory.plotting.regimes import slash_vs_rho_figure
from otr_theory.regimes.deterrence import DeterrenceAnalysis, analyse
from otr_theory.report.core import Figure, Section, fmt, md_table

__all__ = ["build", "render", "slash_vs_rho_figure"]


def usd(x: float) -> str:
    return fmt_usd(x, 4)


def build(model: Model) -> Section:
    """The deterrence section of ``model``."""
    return render(analyse(model), model)


def render(a: DeterrenceAnalysis, model: Model) -> Section:
    """The section for the record ``a`` (formatting and the figure only)."""
    g, rho, slash, conv, m, p = a.external_gain_usd, a.spot_check_rate, a.slash_usd, a.loss_convention, a.incentive_margin_usd, a.detection_probability
    s_star, s_other, deterred, need = a.min_deterring_slash_usd, a.min_deterring_slash_other_convention_usd, a.deterred, a.required_stake_over_time_usd
    other = "keep" if conv == "forfeit" else "forfeit"
    rows = [
        ("spot-check rate rho", rho),
        ("detection probability of a cheated query p (spot-checks only)", p),
        ("external gain g (USD)", g),
        ("margin m (USD)", m),
        (f"minimum deterring slash S* under `{conv}` (USD)", s_star),
        (f"minimum deterring slash under `{other}` (USD, for comparison)", s_other),
        ("configured slash S (USD)", slash),
        ("S >= S* (one query against a fresh stake, no detection lag)", "yes" if deterred else "no"),
        ("best attack over time: expected profit (USD)", a.best_attack_payoff_usd),
        ("stake that deters every strategy over time (USD)", need),
        ("exposure n L gbar between a fraud and its slash (USD)", a.exposure_usd),
        ("secure over time (the criterion)", "yes" if a.secure_over_time else "**no**"),
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
        + ("deters every strategy." if a.secure_over_time else f"does NOT: the best attack expects {usd(a.best_attack_payoff_usd)}; a stake of {usd(need)} would deter it."),
    )
    return Section(
        key="deterrence",
        title="Detection and the minimum deterring slash",
        markdown=body,
        results=a.to_dict(),
        figures=(Figure("min_slash_vs_rho", "minimum deterring slash against the spot-check rate", slash_vs_rho_figure(a.curve)),),
        summary=summary,
    )
