"""Every catalogued deviation's incentive condition at a model's parameters, as records.

For each deviation (ours; equations in :mod:`otr_theory.payoffs`): its gain G, its detection
probability p with a compromised TEE (spot-checks and challengers with detection q), the payoff
of deviating, the margin by which it is deterred, the thresholds S*, p*, rho*, and the most
profitable number of deviations in one epoch of Q queries (slashed at most once).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from otr_theory.payoffs._checks import DEVIATIONS, check_convention, field
from otr_theory.payoffs.conditions import (
    deterrence_margin,
    deviation_detection,
    deviation_gain,
    deviation_payoff,
    full_load_queries,
    max_epoch_deviation,
    min_detection,
    min_spot_check_rate,
    minimum_slash,
    resolve,
)

__all__ = ["DeviationCondition", "incentive_conditions"]


@dataclasses.dataclass(frozen=True)
class DeviationCondition:
    """One deviation's incentive condition evaluated at a model's parameters.

    Attributes
    ----------
    deviation, convention : str
    gain_usd : float
        G per query.
    detection : float
        p with a compromised TEE: :math:`1-(1-\\rho_{\\mathrm{eff}})(1-q)`.
    detection_intact_tee : float
        p with an intact TEE (1 with the attestation check).
    payoff_usd : float
        The deviation's payoff relative to honesty (compromised TEE).
    margin_usd : float
        m, the margin required.
    slack_usd : float
        :math:`-u - m`; deterred iff >= 0.
    deterred : bool
    min_slash_usd, min_detection, min_spot_check_rate : float
        S* (inf if none), p* (> 1 if none), rho* (inf if none).
    epoch_queries : int
        Q, queries in one challenge window at full load.
    epoch_best_deviations : int
        The most profitable number of deviations in one epoch.
    epoch_payoff_usd : float
        Its payoff relative to honesty (slashed at most once).
    epoch_deterred : bool
        Whether even the best epoch deviation pays at most -m.
    """

    deviation: str
    convention: str
    gain_usd: float
    detection: float
    detection_intact_tee: float
    payoff_usd: float
    margin_usd: float
    slack_usd: float
    deterred: bool
    min_slash_usd: float
    min_detection: float
    min_spot_check_rate: float
    epoch_queries: int
    epoch_best_deviations: int
    epoch_payoff_usd: float
    epoch_deterred: bool


def incentive_conditions(values, convention="forfeit", *, challenger_detection=0.0, protocol=None, queries_per_epoch=None) -> dict[str, DeviationCondition]:
    """Each deviation's incentive condition at ``values`` (scalars).

    Parameters
    ----------
    values : Mapping or Model
    convention : {"forfeit", "keep"}
    challenger_detection : float, optional
        q; 0 (the default) counts the spot-checks alone, the bound that holds without relying on
        anyone choosing to monitor.
    protocol : Protocol or Mapping, optional
    queries_per_epoch : int, optional
        Q; default: one replica at full load over the challenge window.

    Returns
    -------
    dict of str to DeviationCondition, in :data:`DEVIATIONS` order.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> ic = incentive_conditions(load_model())
    >>> ic["wrong_output"].deterred, round(ic["wrong_output"].slack_usd, 6)
    (True, 900.0)
    >>> round(ic["model_downgrade"].min_slash_usd, 6)
    100.02275
    """
    conv = check_convention(convention)
    values, protocol = resolve(values, protocol)
    m = float(field(values, "incentive_margin_usd"))
    s = float(field(values, "slash_usd"))
    q_epoch = int(full_load_queries(values) if queries_per_epoch is None else queries_per_epoch)
    out = {}
    for dev in DEVIATIONS:
        gain = float(deviation_gain(values, dev))
        p = float(deviation_detection(values, dev, challenger_detection=challenger_detection, protocol=protocol))
        p_intact = float(deviation_detection(values, dev, challenger_detection=challenger_detection, compromised=False, protocol=protocol))
        slack = float(deterrence_margin(gain, s, p, conv, margin_usd=m))
        k, epoch_payoff = max_epoch_deviation(gain, s, p, max(q_epoch, 1), conv)
        out[dev] = DeviationCondition(
            deviation=dev,
            convention=conv,
            gain_usd=gain,
            detection=p,
            detection_intact_tee=p_intact,
            payoff_usd=float(deviation_payoff(gain, s, p, conv)),
            margin_usd=m,
            slack_usd=slack,
            deterred=bool(slack >= 0),
            min_slash_usd=minimum_slash(values, dev, convention=conv, challenger_detection=challenger_detection, protocol=protocol),
            min_detection=float(min_detection(gain, s, conv, margin_usd=m)),
            min_spot_check_rate=float(min_spot_check_rate(gain, s, conv, challenger_detection=challenger_detection, margin_usd=m)),
            epoch_queries=q_epoch,
            epoch_best_deviations=int(k),
            epoch_payoff_usd=float(epoch_payoff),
            epoch_deterred=bool(epoch_payoff <= -m or np.isclose(epoch_payoff, -m, rtol=0, atol=0)),
        )
    return out
