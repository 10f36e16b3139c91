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
n-challenger inspection game of the network (:mod:`otr_theory.payoffs`, item 6a), on the
spot-check rate that deters (0 if the selection is predictable or a missed proof is not slashed):

* if spot-checks alone deter the deviation, :math:`(1-\\rho)G - \\rho S \\le 0` (forfeit) or
  :math:`G - \\rho S \\le 0` (keep), the equilibrium is pure, honest and idle: :math:`x = y = 0`
  (the verifier's dilemma: nobody monitors);
* otherwise the prover's indifference pins the detection :math:`p^*` (so :math:`q^*` and
  :math:`y^* = 1 - (1-q^*)^{1/n}`) and the challengers' indifference gives
  :math:`x^* = c / (h\\, a S\\, E[\\text{share}])` with
  :math:`E[\\text{share}] = (1-(1-y)^n)/(n y)` (capped at :math:`x = 1`, where monitoring falls
  to the root of :math:`h\\,aS\\,E[\\text{share}] = c`).

Here :math:`h` (``forgeable_share``) is the share of the queries a challenger monitors whose
prover can cheat: a challenger cannot tell them from the others (ours). It is that of the
simulated network (:func:`~otr_theory.payoffs.network_forgeable_share`): with the attestation
check :math:`h = f(1 - e^{-\\lambda D})`, or :math:`f` when challengers monitor only while a
window is open (``monitoring_scope="windows"``); 1 without the check; times :math:`1-\\rho` when
the spot-check selection is predictable (the prover then cheats only on unselected queries).
At this equilibrium a monitor breaks even, :math:`h\\,x^* aS\\,E[\\text{share}] - c = 0` per check,
which ``result["challenger_profit_usd_per_check"]`` measures. The per-query equilibrium of a
prover that can cheat (``forgeable_share=1``) leaves a monitor :math:`-c(1-h)` per check when
:math:`h < 1`: monitors would lose money and stop, so it is not an equilibrium of the network.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from otr_theory.model import Model
from otr_theory.payoffs import (
    DEVIATIONS,
    compromise_probability,
    deviation_gain,
    deviation_payoff,
    effective_spot_check_rate,
    expected_reward_share,
    n_challenger_equilibrium,
    network_forgeable_share,
)

__all__ = ["MONITORING_SCOPES", "EquilibriumTarget", "Policy", "PolicyError", "equilibrium_policy", "equilibrium_target", "monitored_forgeable_share"]

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
    network_fraud_rate : float
        Fraud per query in the network: :math:`h x^*` (times :math:`1-\\rho` when the
        spot-check selection is predictable).
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
    forgeable_share : float
        The share of monitored queries whose prover can cheat, that the equilibrium was solved
        for (see the module docstring); 1 for the per-query game of a prover that can forge.
    challenger_profit_usd_per_check : float
        A monitor's expected profit per check at this equilibrium in the network,
        :math:`h_m x\\, aS\\, E[\\text{share}] - c` with :math:`h_m` the network's share of
        monitored queries that can be cheated (0 in an interior equilibrium solved for it).
    gain_usd : float
        G, the deviation's gain.
    solver : str
        The function that produced the equilibrium.
    """

    deviation: str
    convention: str
    kind: str
    fraud_rate: float
    network_fraud_rate: float
    monitoring_rate: float
    challenger_detection: float
    detection_probability: float
    spot_check_rate: float
    compromise_probability: float
    forgeable_share: float
    challenger_profit_usd_per_check: float
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


def _check_scope(monitoring_scope: str) -> None:
    if monitoring_scope not in MONITORING_SCOPES:
        raise PolicyError("monitoring_scope", f"must be one of {', '.join(MONITORING_SCOPES)}", monitoring_scope)


def monitored_forgeable_share(model: Model, *, monitoring_scope: str = "always") -> float:
    """h: the share of the queries a challenger monitors whose prover can cheat.

    :func:`~otr_theory.payoffs.network_forgeable_share` of the model, among all queries
    (``monitoring_scope="always"``) or among those that arrive while a vulnerability window is
    open (``"windows"``): the queries on which the simulated prover plays x.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> round(monitored_forgeable_share(m), 6), monitored_forgeable_share(m, monitoring_scope="windows")
    (0.011592, 0.1)
    """
    _check_scope(monitoring_scope)
    return float(network_forgeable_share(model, given_window_open=monitoring_scope == "windows"))


def equilibrium_target(model: Model, *, deviation: str | None = None, monitoring_scope: str = "always", forgeable_share: float | None = None) -> EquilibriumTarget:
    """The n-challenger equilibrium of the network for ``model``: the values a simulation should reproduce.

    Parameters
    ----------
    model : Model
    deviation : str, optional
        One of :data:`otr_theory.payoffs.DEVIATIONS`; default the one with the largest gain.
    monitoring_scope : {"always", "windows"}
        When the challengers monitor; it sets the share h they see.
    forgeable_share : float, optional
        h to solve the game for; default the network's (:func:`monitored_forgeable_share`). 1 gives the
        per-query game of a prover that can forge, which is not an equilibrium of a network
        with h < 1 (monitors lose :math:`c(1-h)` per check).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> t = equilibrium_target(load_model())
    >>> t.deviation, t.fraud_rate, t.monitoring_rate  # spot-checks alone deter: honest and idle
    ('wrong_output', 0.0, 0.0)

    A weak slash: a prover that can forge cheats 1/h times as often as in the per-query game,
    so that a monitor breaks even on the network's queries:

    >>> m = load_model().with_values(external_gain_usd=10_000.0, slash_usd=10_000.0)
    >>> t, t1 = equilibrium_target(m), equilibrium_target(m, forgeable_share=1.0)
    >>> round(t.fraud_rate / t1.fraud_rate * t.forgeable_share, 12), t.monitoring_rate == t1.monitoring_rate
    (1.0, True)
    >>> t.challenger_profit_usd_per_check, t1.challenger_profit_usd_per_check < 0
    (0.0, True)
    """
    values = model.values()
    if deviation is None:
        deviation = _best_deviation(values)
    elif deviation not in DEVIATIONS:
        raise PolicyError("deviation", f"must be one of {', '.join(DEVIATIONS)}", deviation)
    h_network = monitored_forgeable_share(model, monitoring_scope=monitoring_scope)
    if forgeable_share is None:
        h = h_network
    else:
        _probability("forgeable_share", forgeable_share)
        h = float(forgeable_share)
    n = int(values["count"])
    if n == 0:
        rec = _no_challenger_equilibrium(values, deviation, model.loss_convention, model.protocol)
        solver = "otr_theory.simulation.policy._no_challenger_equilibrium"
    else:
        eq = n_challenger_equilibrium(values, n, deviation, model.loss_convention, protocol=model.protocol, forgeable_share=h)
        rec = {k: getattr(eq, k) for k in ("fraud_rate", "monitoring_rate", "challenger_detection", "detection_probability", "kind")}
        solver = "otr_theory.payoffs.n_challenger_equilibrium"
    x, y = float(rec["fraud_rate"]), float(rec["monitoring_rate"])
    share = float(expected_reward_share(y, n)) if n > 0 else 1.0
    reward = float(values["challenger_reward_share"]) * float(values["slash_usd"])
    c = float(values["check_cost_usd_per_query"])
    profit = h_network * x * reward * share - c
    if abs(profit) <= 1e-12 * c:
        profit = 0.0  # the challengers' indifference, up to the float's rounding (~1e-16 c)
    h_all = float(network_forgeable_share(model))  # share of all queries on which x is played
    return EquilibriumTarget(
        deviation=deviation,
        convention=model.loss_convention,
        kind=str(rec["kind"]),
        fraud_rate=x,
        monitoring_rate=y,
        challenger_detection=float(rec["challenger_detection"]),
        detection_probability=float(rec["detection_probability"]),
        spot_check_rate=float(effective_spot_check_rate(model)),
        compromise_probability=float(compromise_probability(values)),
        gain_usd=float(deviation_gain(values, deviation)),
        solver=solver,
        network_fraud_rate=h_all * x,
        forgeable_share=h,
        challenger_profit_usd_per_check=profit,
    )


def equilibrium_policy(model: Model, *, deviation: str | None = None, monitoring_scope: str = "always", forgeable_share: float | None = None) -> Policy:
    """The policy in which provers and challengers play the equilibrium of :func:`equilibrium_target`.

    By default the network's equilibrium (h of :func:`monitored_forgeable_share`); ``forgeable_share=1.0``
    gives the per-query game of a prover that can forge (the policy before h was accounted for).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model().with_values(external_gain_usd=10_000.0, slash_usd=10_000.0)
    >>> p = equilibrium_policy(m)
    >>> p.origin, round(p.monitoring_probability, 4), p.fraud_probability > 0
    ('equilibrium', 0.2036, True)
    >>> p.fraud_probability > equilibrium_policy(m, forgeable_share=1.0).fraud_probability
    True
    """
    _check_scope(monitoring_scope)
    t = equilibrium_target(model, deviation=deviation, monitoring_scope=monitoring_scope, forgeable_share=forgeable_share)
    return Policy(
        fraud_probability=t.fraud_rate,
        monitoring_probability=t.monitoring_rate,
        deviation=t.deviation,
        monitoring_scope=monitoring_scope,
        origin="equilibrium" if forgeable_share is None else f"equilibrium (forgeable share {forgeable_share:g})",
    )
