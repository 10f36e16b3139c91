"""Detection of a cheated query and the minimum deterring slash, one query and over time, as a record.

The one-query condition (one cheated query against a fresh, full stake, slashed at once; no
detection lag) with the model's margin m, under the loss convention in force and the other:

.. math::

    p = 1 - (1-\\rho)(1-q), \\quad q = 0, \\qquad
    S^*_{\\mathrm{forfeit}} = \\frac{(1-p)\\,g + m}{p}, \\qquad S^*_{\\mathrm{keep}} = \\frac{g + m}{p}

(inspection games for *forfeit*; Becker 1968 for *keep*; :func:`otr_theory.payoffs.min_deterring_slash`).
The detection counts the spot-checks alone (challengers idle: the verifier's dilemma's worst
case), and spot-checks count only when they bite (:func:`otr_theory.payoffs.effective_spot_check_rate`).
Beside it, the security criterion: the stake that deters every strategy *over time*
(:func:`otr_theory.payoffs.corruption.assess`: cheat until caught, keep cheating during the
detection lag, slashed once).

:func:`slash_vs_rho` is the curve S*(rho) under both conventions that
:func:`otr_theory.plotting.regimes.slash_vs_rho_figure` draws, on :func:`rho_axis`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from otr_theory.model import Model
from otr_theory.payoffs import (
    detection_probability,
    effective_spot_check_rate,
    min_deterring_slash,
)
from otr_theory.payoffs.corruption import assess
from otr_theory.records import Record, quantity

__all__ = ["DeterrenceAnalysis", "SlashVsRho", "analyse", "rho_axis", "slash_vs_rho"]

CONVENTIONS: tuple[str, ...] = ("forfeit", "keep")


def rho_axis(model: Model, points: int = 200) -> np.ndarray:
    """The spot-check rates plotted: 1e-4 up to 0.5 (or just past the configured rate, at most 0.99).

    Above a half the forfeit threshold g(1-rho)/rho falls to 0 at rho = 1 and only squeezes the
    readable part of a log plot; nobody spot-checks more than half of all queries with ZK proofs.

    >>> from otr_theory.model import load_model
    >>> ax = rho_axis(load_model(), 5)
    >>> float(ax[0]), float(ax[-1])
    (0.0001, 0.5)
    """
    rho = model.value("spot_check_rate")
    hi = min(max(0.5, 2.0 * rho), 0.99)
    return np.logspace(-4, np.log10(hi), points)


@dataclasses.dataclass(frozen=True, repr=False)
class SlashVsRho(Record):
    """The one-query minimum deterring slash against the spot-check rate, both conventions (spot-checks only)."""

    TITLE = "minimum deterring slash against rho"
    TABLE = None
    SUMMARY = ("loss_convention", "external_gain_usd", "incentive_margin_usd", "spot_check_rate", "slash_usd")

    loss_convention: str = quantity("", "the convention in force")
    external_gain_usd: float = quantity("USD", "the gain g of one cheated query", source="model: external_gain_usd")
    incentive_margin_usd: float = quantity("USD", "the margin m", source="model: incentive_margin_usd")
    spot_check_rate: float = quantity("probability", "the configured rho", source="model: spot_check_rate")
    slash_usd: float = quantity("USD", "the configured slash", source="model: slash_usd")
    rho: tuple[float, ...] = quantity("probability", "the rates of the curve (rho_axis)")
    forfeit_usd: tuple[float, ...] = quantity("USD", "S* under forfeit at each rho", source="payoffs.min_deterring_slash")
    keep_usd: tuple[float, ...] = quantity("USD", "S* under keep at each rho", source="payoffs.min_deterring_slash")


@dataclasses.dataclass(frozen=True, repr=False)
class DeterrenceAnalysis(Record):
    """Detection probability, the one-query minimum slash and the over-time deterring stake.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model())
    >>> a.loss_convention, round(a.min_deterring_slash_usd, 6), a.secure_over_time  # ((1 - 0.01) 100 + 1)/0.01
    ('forfeit', 10000.0, False)
    >>> print(repr(a).splitlines()[0])
    DeterrenceAnalysis('Detection and the minimum deterring slash')
    >>> "required_stake_over_time_usd" in a.to_dict()
    True
    """

    TITLE = "Detection and the minimum deterring slash"
    SUMMARY = ("loss_convention", "spot_check_rate", "detection_probability", "min_deterring_slash_usd", "slash_usd", "deterred", "secure_over_time", "required_stake_over_time_usd")

    loss_convention: str = quantity("", "forfeit (the gain is lost when caught) or keep (Becker)")
    spot_check_rate: float = quantity("probability", "the configured rho", source="model: spot_check_rate")
    detection_probability: float = quantity("probability", "p of a cheated query, spot-checks only (those that bite)", source="payoffs.detection_probability")
    external_gain_usd: float = quantity("USD", "the gain g of one cheated query", source="model: external_gain_usd")
    incentive_margin_usd: float = quantity("USD", "the margin m", source="model: incentive_margin_usd")
    min_deterring_slash_usd: float = quantity("USD", "one-query S* under the convention in force", source="payoffs.min_deterring_slash")
    min_deterring_slash_other_convention_usd: float = quantity("USD", "one-query S* under the other convention, for comparison", source="payoffs.min_deterring_slash")
    slash_usd: float = quantity("USD", "the configured slash", source="model: slash_usd")
    deterred: bool = quantity("", "S >= S* (one query against a fresh stake, no detection lag)")
    deterred_reading: str = quantity("", "what 'deterred' means")
    secure_over_time: bool = quantity("", "the criterion: every strategy over time loses at least m", source="payoffs.corruption.assess")
    best_attack_payoff_usd: float = quantity("USD", "the best attack's expected profit over time", source="payoffs.corruption.assess")
    required_stake_over_time_usd: float = quantity("USD", "the stake that deters every strategy over time", source="payoffs.corruption.assess")
    exposure_usd: float = quantity("USD", "n L gbar: value at risk between a fraud and its slash", source="payoffs.corruption.assess")
    curve: SlashVsRho = quantity("", "S*(rho) under both conventions, for the figure")


def slash_vs_rho(model: Model, points: int = 200) -> SlashVsRho:
    """S*(rho) with the model's margin under both conventions, spot-checks only (module docstring).

    >>> from otr_theory.model import load_model
    >>> c = slash_vs_rho(load_model(), 3)
    >>> round(c.keep_usd[-1], 9)  # (g + m)/p at rho = 0.5: (100 + 1)/0.5
    202.0
    """
    g = model.value("external_gain_usd")
    m = model.value("incentive_margin_usd")
    rhos = rho_axis(model, points)
    curves = {conv: min_deterring_slash(g, detection_probability(rhos), conv, margin_usd=m) for conv in CONVENTIONS}
    return SlashVsRho(
        loss_convention=model.loss_convention,
        external_gain_usd=float(g),
        incentive_margin_usd=float(m),
        spot_check_rate=float(model.value("spot_check_rate")),
        slash_usd=float(model.value("slash_usd")),
        rho=tuple(float(x) for x in rhos),
        forfeit_usd=tuple(float(x) for x in np.asarray(curves["forfeit"], dtype=float)),
        keep_usd=tuple(float(x) for x in np.asarray(curves["keep"], dtype=float)),
    )


def analyse(model: Model) -> DeterrenceAnalysis:
    """The deterrence record of ``model`` (module docstring)."""
    g = model.value("external_gain_usd")
    m = model.value("incentive_margin_usd")
    slash = model.value("slash_usd")
    conv = model.loss_convention
    other = "keep" if conv == "forfeit" else "forfeit"
    p = float(detection_probability(effective_spot_check_rate(model)))
    s_star = float(min_deterring_slash(g, p, conv, margin_usd=m))
    over = assess(model)
    return DeterrenceAnalysis(
        loss_convention=conv,
        spot_check_rate=float(model.value("spot_check_rate")),
        detection_probability=p,
        external_gain_usd=float(g),
        incentive_margin_usd=float(m),
        min_deterring_slash_usd=s_star,
        min_deterring_slash_other_convention_usd=float(min_deterring_slash(g, p, other, margin_usd=m)),
        slash_usd=float(slash),
        deterred=bool(slash >= s_star),
        deterred_reading="one query against a fresh stake, no detection lag",
        secure_over_time=bool(over.secure),
        best_attack_payoff_usd=float(over.attack.payoff_usd),
        required_stake_over_time_usd=float(over.required_stake_usd),
        exposure_usd=float(over.exposure_usd),
        curve=slash_vs_rho(model),
    )
