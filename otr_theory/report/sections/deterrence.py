"""Report section: detection probability of a cheated query and the minimum deterring slash.

Uses the closed forms of :mod:`otr_theory.payoffs`. The detection probability here counts the
spot-checks alone (challengers idle: the verifier's dilemma's worst case), which is the bound the
protocol guarantees without relying on anyone choosing to monitor.
"""

from __future__ import annotations

import numpy as np

from otr_theory.model import Model
from otr_theory.payoffs import detection_probability, min_deterring_slash
from otr_theory.report.core import Figure, Section, fmt, md_table, new_figure

__all__ = ["build", "slash_vs_rho_figure"]


def slash_vs_rho_figure(model: Model, *, ax=None):
    """Minimum deterring slash against rho under both conventions, with the configured point."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    g = model.value("external_gain_usd")
    rhos = np.logspace(-4, 0, 200)
    for conv, style in (("forfeit", "-"), ("keep", "--")):
        s = min_deterring_slash(g, detection_probability(rhos), conv)
        label = f"{conv}{' (in force)' if conv == model.loss_convention else ''}"
        ax.loglog(rhos, np.maximum(s, 1e-6), style, label=label)
    rho = model.value("spot_check_rate")
    slash = model.value("slash_usd")
    ax.axhline(slash, color="grey", lw=0.8, ls=":", label=f"configured slash ${fmt(slash)}")
    if rho > 0:
        ax.plot([rho], [slash], "o", color="black", label=f"configured rho = {fmt(rho)}")
    ax.set_xlabel("spot-check rate rho")
    ax.set_ylabel("minimum deterring slash S* (USD)")
    ax.set_title(f"S* against rho for an external gain g = ${fmt(g)} (spot-checks only)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def build(model: Model) -> Section:
    g = model.value("external_gain_usd")
    rho = model.value("spot_check_rate")
    slash = model.value("slash_usd")
    conv = model.loss_convention
    p = float(detection_probability(rho))
    s_star = float(min_deterring_slash(g, p, conv))
    other = "keep" if conv == "forfeit" else "forfeit"
    s_other = float(min_deterring_slash(g, p, other))
    deterred = slash >= s_star
    rows = [
        ("spot-check rate rho", rho),
        ("detection probability of a cheated query p (spot-checks only)", p),
        ("external gain g (USD)", g),
        (f"minimum deterring slash S* under `{conv}` (USD)", s_star),
        (f"minimum deterring slash under `{other}` (USD, for comparison)", s_other),
        ("configured slash S (USD)", slash),
        ("S >= S*", "yes" if deterred else "no"),
    ]
    formula = r"S^* = g\,\frac{1-p}{p}" if conv == "forfeit" else r"S^* = \frac{g}{p}"
    body = "\n\n".join(
        [
            f"Loss convention in force: **{conv}** "
            + ("(a caught cheater forfeits the gain and pays the slash; inspection games)." if conv == "forfeit" else "(a caught cheater keeps the gain and pays the slash on top; Becker 1968)."),
            "```math\np = 1 - (1-\\rho)(1-q), \\quad q = 0\n" + formula + "\n```",
            md_table(["quantity", "value"], rows),
        ]
    )
    verdict = "deters" if deterred else "does NOT deter"
    summary = (
        f"Spot-checks alone catch a cheated query with probability {fmt(p)}; the configured slash ${fmt(slash)} "
        f"{verdict} a ${fmt(g)} gain (minimum ${fmt(s_star)} under `{conv}`).",
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
            "min_deterring_slash_usd": s_star,
            "min_deterring_slash_other_convention_usd": s_other,
            "slash_usd": slash,
            "deterred": deterred,
        },
        figures=(Figure("min_slash_vs_rho", "minimum deterring slash against the spot-check rate", slash_vs_rho_figure(model)),),
        summary=summary,
    )
