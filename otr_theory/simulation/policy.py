"""What the simulated provers and challengers do: a :class:`Policy`, from the equilibrium or the user.

A policy is the per-query behaviour of the two kinds of strategic party:

* a prover that *can* forge an attestation at a query (its TEE is in the compromised population
  while a vulnerability window is open, or the protocol checks no attestation) cheats with
  probability :math:`x` (``fraud_probability``) using one catalogued deviation; a prover whose
  TEE is intact cheats with probability ``intact_fraud_probability`` (0 for a rational prover:
  the attestation check rejects the result with probability 1);
* each of the :math:`n` challengers re-executes a query with probability :math:`y`
  (``monitoring_probability``), independently of the others and of the prover;
* an outside griefer opens a frivolous challenge on an honest query with probability
  ``frivolous_challenge_rate`` (0 by default; it loses its bond).

:func:`equilibrium_policy` fills :math:`x` and :math:`y` from the symmetric equilibrium of the
n-challenger inspection game (:mod:`otr_theory.payoffs`), on the spot-check rate that deters
(0 if the selection is predictable or a missed proof is not slashed):

* if spot-checks alone deter the deviation, :math:`(1-\\rho)G - \\rho S \\le 0` (forfeit) or
  :math:`G - \\rho S \\le 0` (keep), the equilibrium is pure, honest and idle: :math:`x = y = 0`
  (the verifier's dilemma: nobody monitors);
* otherwise the prover's indifference pins the detection :math:`p^*` (so :math:`q^*` and
  :math:`y^* = 1 - (1-q^*)^{1/n}`) and the challengers' indifference gives
  :math:`x^* = c / (a S\\, E[\\text{share}])` with
  :math:`E[\\text{share}] = (1-(1-y)^n)/(n y)`.

The equilibrium is of the per-query game *given that the prover can cheat*; the simulation
checks that the running network reproduces its fraud and detection rates on those queries.

**A limitation the simulation exposes** (ours): a challenger cannot tell which queries are
forgeable, and only a share :math:`h` of them are, so a monitor at :math:`(x^*, y^*)` earns
:math:`h\\,x^* aS\\,E[\\text{share}] - c = -c(1-h)` per check. With ``monitoring_scope="always"``
the per-query equilibrium is self-enforcing only when :math:`h = 1` (no attestation check);
otherwise monitors lose money and, left to themselves, stop (the verifier's dilemma again).
``result["challenger_profit_usd_per_check"]`` measures it.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS, compromise_probability, deviation_gain, deviation_payoff, effective_spot_check_rate, n_challenger_equilibrium

__all__ = ["MONITORING_SCOPES", "EquilibriumTarget", "Policy", "PolicyError", "equilibrium_policy", "equilibrium_target"]

MONITORING_SCOPES = ("always", "windows")
"""When challengers monitor: on every query, or only while a vulnerability window is open."""


class PolicyError(ValueError):
    """A bad policy or simulation argument: names the field, the rule and the bad value."""

    def __init__(self, field: str, rule: str, value: Any):
        self.field, self.rule, self.value = field, rule, value
        super().__init__(f"{field}: {rule} (got {value!r})")


def _probability(name: str, x: Any) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or not 0 <= x <= 1:
        raise PolicyError(name, "must be a probability in [0, 1]", x)


@dataclasses.dataclass(frozen=True)
class Policy:
    """Per-query strategies of the simulated provers and challengers.

    Attributes
    ----------
    fraud_probability : float
        x: probability that a prover able to forge an attestation cheats on a query.
    monitoring_probability : float
        y: probability that one challenger re-executes a query.
    deviation : str
        The catalogued deviation a cheater uses (its gain is the model's field for it).
    intact_fraud_probability : float
        Probability that a prover with an intact TEE cheats anyway (caught by the attestation).
    frivolous_challenge_rate : float
        Probability that a griefer challenges an honest query.
    monitoring_scope : {"always", "windows"}
        Challengers monitor every query, or only while a vulnerability window is open.
    origin : str
        Where the policy came from (``"user"``, ``"equilibrium"``), for the record.

    Examples
    --------
    >>> Policy(fraud_probability=1.0, monitoring_probability=0.0).deviation
    'wrong_output'
    >>> Policy(fraud_probability=1.5, monitoring_probability=0.0)
    Traceback (most recent call last):
    ...
    otr_theory.simulation.policy.PolicyError: fraud_probability: must be a probability in [0, 1] (got 1.5)
    """

    fraud_probability: float
    monitoring_probability: float
    deviation: str = "wrong_output"
    intact_fraud_probability: float = 0.0
    frivolous_challenge_rate: float = 0.0
    monitoring_scope: str = "always"
    origin: str = "user"

    def __post_init__(self) -> None:
        for name in ("fraud_probability", "monitoring_probability", "intact_fraud_probability", "frivolous_challenge_rate"):
            _probability(name, getattr(self, name))
        if self.deviation not in DEVIATIONS:
            raise PolicyError("deviation", f"must be one of {', '.join(DEVIATIONS)}", self.deviation)
        if self.monitoring_scope not in MONITORING_SCOPES:
            raise PolicyError("monitoring_scope", f"must be one of {', '.join(MONITORING_SCOPES)}", self.monitoring_scope)


@dataclasses.dataclass(frozen=True)
class EquilibriumTarget:
    """The analytic values a simulation under the equilibrium policy should reproduce.

    Attributes
    ----------
    deviation, convention : str
    kind : str
        The equilibrium's kind as the solver names it (pure honest/idle, interior mixed, ...).
    fraud_rate : float
        x*: cheating probability of a prover that can forge.
    monitoring_rate : float
        y*: monitoring probability of one challenger.
    challenger_detection : float
        q* = 1 - (1 - y*)^n.
    detection_probability : float
        p* = 1 - (1 - rho_eff)(1 - q*).
    spot_check_rate : float
        rho_eff, the spot-check rate that deters (see :func:`effective_spot_check_rate`).
    compromise_probability : float
        h = f (1 - exp(-lambda D)).
    gain_usd : float
        G, the deviation's gain.
    solver : str
        The function that produced the equilibrium.
    """

    deviation: str
    convention: str
    kind: str
    fraud_rate: float
    monitoring_rate: float
    challenger_detection: float
    detection_probability: float
    spot_check_rate: float
    compromise_probability: float
    gain_usd: float
    solver: str


def _best_deviation(values: dict[str, float]) -> str:
    """The catalogued deviation with the largest gain (ties: catalogue order)."""
    gains = [(float(deviation_gain(values, d)), -i, d) for i, d in enumerate(DEVIATIONS)]
    return max(gains)[2]


def _no_challenger_equilibrium(values, deviation: str, convention: str, protocol) -> dict[str, Any]:
    """With no challengers (n = 0) the prover faces the spot-checks alone: it cheats iff that pays."""
    rho = float(effective_spot_check_rate(values, protocol=protocol))
    pays = float(deviation_payoff(deviation_gain(values, deviation), values["slash_usd"], rho, convention)) > 0
    return {"fraud_rate": 1.0 if pays else 0.0, "monitoring_rate": 0.0, "challenger_detection": 0.0, "detection_probability": rho, "kind": "pure"}


def equilibrium_target(model: Model, *, deviation: str | None = None) -> EquilibriumTarget:
    """The n-challenger equilibrium for ``model``: the values a simulation should reproduce.

    Parameters
    ----------
    model : Model
    deviation : str, optional
        One of :data:`otr_theory.payoffs.DEVIATIONS`; default the one with the largest gain.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> t = equilibrium_target(load_model())
    >>> t.deviation, t.fraud_rate, t.monitoring_rate  # spot-checks alone deter: honest and idle
    ('wrong_output', 0.0, 0.0)
    """
    values = model.values()
    if deviation is None:
        deviation = _best_deviation(values)
    elif deviation not in DEVIATIONS:
        raise PolicyError("deviation", f"must be one of {', '.join(DEVIATIONS)}", deviation)
    n = int(values["count"])
    if n == 0:
        rec = _no_challenger_equilibrium(values, deviation, model.loss_convention, model.protocol)
        solver = "otr_theory.simulation.policy._no_challenger_equilibrium"
    else:
        eq = n_challenger_equilibrium(values, n, deviation, model.loss_convention, protocol=model.protocol)
        rec = {k: getattr(eq, k) for k in ("fraud_rate", "monitoring_rate", "challenger_detection", "detection_probability", "kind")}
        solver = "otr_theory.payoffs.n_challenger_equilibrium"
    return EquilibriumTarget(
        deviation=deviation,
        convention=model.loss_convention,
        kind=str(rec["kind"]),
        fraud_rate=float(rec["fraud_rate"]),
        monitoring_rate=float(rec["monitoring_rate"]),
        challenger_detection=float(rec["challenger_detection"]),
        detection_probability=float(rec["detection_probability"]),
        spot_check_rate=float(effective_spot_check_rate(model)),
        compromise_probability=float(compromise_probability(values)),
        gain_usd=float(deviation_gain(values, deviation)),
        solver=solver,
    )


def equilibrium_policy(model: Model, *, deviation: str | None = None, monitoring_scope: str = "always") -> Policy:
    """The policy in which provers and challengers play the equilibrium of :func:`equilibrium_target`.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> p = equilibrium_policy(load_model().with_values(external_gain_usd=10_000.0, slash_usd=10_000.0))
    >>> p.origin, round(p.monitoring_probability, 4), p.fraud_probability > 0
    ('equilibrium', 0.2036, True)
    """
    t = equilibrium_target(model, deviation=deviation)
    return Policy(
        fraud_probability=t.fraud_rate,
        monitoring_probability=t.monitoring_rate,
        deviation=t.deviation,
        monitoring_scope=monitoring_scope,
        origin="equilibrium",
    )
