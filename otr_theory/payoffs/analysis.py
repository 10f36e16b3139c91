r"""The incentives of a model as one typed record: every condition, threshold and equilibrium.

:func:`analyse` evaluates, at a model's parameters and for the loss convention in force, what the
report's incentives section shows (the section only renders this record):

* per deviation (:data:`~otr_theory.payoffs.DEVIATIONS`): the incentive condition
  :math:`u \le -m` with a compromised TEE and spot-checks alone (q = 0), its slack, the
  thresholds S*, p*, rho*, the break-even slash and the best deviation over one challenge window
  (:func:`~otr_theory.payoffs.incentive_conditions`); the minimum slash in its named variants
  (:func:`~otr_theory.payoffs.minimum_slash`);
* the inspection game's equilibria with one and with n challengers, against a compromised prover
  (h = 1) and in the network (h of :func:`~otr_theory.payoffs.network_forgeable_share`), each
  checked independently by its *regret*: the most a player gains by a pure deviation from the
  equilibrium profile, computed from the payoffs (not the closed form), must be ~0 (ours):

  .. math::

      r_P = x\,\max(0, -u(p)) + (1-x)\max(0, u(p)), \quad
      r_C = y\,\max(0, -M) + (1-y)\max(0, M),

  with :math:`u(p)` the payoff of cheating at the equilibrium's detection p and M the
  advantage of monitoring (:func:`~otr_theory.payoffs.monitoring_advantage`);
* the challengers' participation: a lone challenger checks iff :math:`hxaS \ge c`; the
  Truebit jackpot that would keep it checking at a forced-error rate phi, :math:`J \ge c/\varphi`
  (Teutsch & Reitwiessner 2017);
* an honest prover's economics per window: Q queries at full load
  (:func:`~otr_theory.payoffs.full_load_queries`), cost k per query, capital cost, profit
  :math:`\Pi = Q(f-k) - LrW/\mathrm{year}` and the break-even fee :math:`k + LrW/(\mathrm{year}\,Q)` (ours);
* the frivolous challenge's payoff, and the over-time verdict
  (:func:`~otr_theory.payoffs.corruption.assess`);
* the equilibrium rates against the slash (the data of
  :func:`otr_theory.plotting.incentives.rates_vs_slash_figure`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

import numpy as np

from otr_theory.model import Model
from otr_theory.payoffs._checks import DEVIATIONS
from otr_theory.payoffs.conditions import (
    capital_cost_usd,
    compromise_probability,
    deviation_gain,
    deviation_payoff,
    effective_spot_check_rate,
    frivolous_challenge_payoff,
    full_load_queries,
    honest_cost_usd_per_query,
    honest_epoch_profit,
    minimum_slash,
)
from otr_theory.payoffs.incentives import incentive_conditions
from otr_theory.payoffs.inspection import (
    expected_reward_share,
    inspection_equilibrium,
    monitoring_advantage,
    n_challenger_equilibrium,
    network_forgeable_share,
)
from otr_theory.records import Record, quantity

__all__ = [
    "REFERENCE_FORCED_ERROR_RATE",
    "Condition",
    "DeviationIncentive",
    "EpochEconomics",
    "EquilibriumRow",
    "IncentivesAnalysis",
    "OverTime",
    "Participation",
    "RatesVsSlash",
    "analyse",
    "equilibrium_regret",
    "rates_vs_slash",
]

REFERENCE_FORCED_ERROR_RATE = 1e-3
"""The forced-error rate at which the jackpot is priced (Truebit's order of magnitude, per the
calibration notes; not a measured number)."""

_CONDITIONS = (
    "compromise_probability", "detection", "payoff", *(f"ic_{d}" for d in DEVIATIONS), "min_slash", "min_detection",
    "min_spot_check_rate", "fraud_rate", "monitoring_rate", "n_monitoring_rate", "n_fraud_rate", "participation", "truebit",
    "epoch_profit", "frivolous",
)  # fmt: skip
"""The conditions the record carries, in the order the report shows them."""


@dataclasses.dataclass(frozen=True, repr=False)
class Condition(Record):
    """One equation of the payoff model: its name, what it is and whose, and its LaTeX."""

    TITLE = "equation"

    name: str = quantity("", "the equation's key in otr_theory.payoffs.symbolic")
    description: str = quantity("", "what it is, and its source (ours if none)")
    latex: str = quantity("", "one line of LaTeX that matplotlib's mathtext parses")


@dataclasses.dataclass(frozen=True, repr=False)
class DeviationIncentive(Record):
    """One deviation's incentive condition at the model (compromised TEE, spot-checks alone).

    >>> from otr_theory.model import load_model
    >>> d = analyse(load_model()).deviations[0]
    >>> d.deviation, d.deterred, d.min_slash_usd, d.break_even_slash_usd
    ('wrong_output', True, 10000.0, 9900.0)
    """

    TITLE = "incentive condition of one deviation"

    deviation: str = quantity("", "the deviation", source="otr_theory.payoffs.DEVIATIONS")
    gain_usd: float = quantity("USD", "G, the gain per query")
    detection: float = quantity("probability", "p with a compromised TEE, spot-checks alone (q = 0)", source="ours: payoffs item 2")
    detection_intact_tee: float = quantity("probability", "p with an intact TEE (1 with the attestation check)")
    payoff_usd: float = quantity("USD", "u, the deviation's payoff relative to honesty", source="payoffs item 3")
    margin_usd: float = quantity("USD", "m, by how much a deviation must lose")
    slack_usd: float = quantity("USD", "-u - m; deterred iff >= 0")
    deterred: bool = quantity("", "u <= -m")
    min_slash_usd: float = quantity("USD", "S*, the one-query minimum slash with the margin", source="payoffs.minimum_slash(variant='one_query')")
    break_even_slash_usd: float = quantity("USD", "the slash at which u = 0 (no margin): above it spot-checks alone deter", source="payoffs.minimum_slash(variant='break_even')")
    over_time_slash_usd: float = quantity("USD", "the stake that deters every strategy in time of this deviation", source="payoffs.minimum_slash(variant='over_time')")
    min_detection: float = quantity("probability", "p*, above 1: no detection deters")
    min_spot_check_rate: float = quantity("probability", "rho*, inf: no rate deters")
    epoch_queries: int = quantity("count", "Q, queries in one challenge window at full load")
    epoch_best_deviations: int = quantity("count", "the most profitable number of deviations in one window")
    epoch_payoff_usd: float = quantity("USD", "its payoff relative to honesty (slashed at most once)")
    epoch_deterred: bool = quantity("", "the best window deviation pays at most -m")


@dataclasses.dataclass(frozen=True, repr=False)
class EquilibriumRow(Record):
    """The symmetric equilibrium of the inspection game for one deviation and challenger count.

    ``scope`` is ``compromised`` (every query's prover can deviate, h = 1) or ``network`` (a
    share h can, and the challengers cannot tell which). ``regret_usd`` is the independent check.
    """

    TITLE = "inspection-game equilibrium"

    deviation: str = quantity("", "the deviation")
    scope: Literal["compromised", "network"] = quantity("", "h = 1, or the network's h")
    challengers: int = quantity("count", "n")
    kind: Literal["pure", "mixed", "degenerate"] = quantity("", "pure, mixed, or degenerate (least-fraud member of a continuum)")
    forgeable_share: float = quantity("probability", "h")
    fraud_rate: float = quantity("probability", "x, the fraud rate of a prover who can deviate")
    network_fraud_rate: float = quantity("probability", "h x, fraud per query")
    monitoring_rate: float = quantity("probability", "y, each challenger's rate of re-executing")
    challenger_detection: float = quantity("probability", "q = 1 - (1 - y)^n")
    detection_probability: float = quantity("probability", "p = 1 - (1 - rho)(1 - q)")
    reward_share: float = quantity("probability", "s(y), a monitor's expected share of the reward")
    description: str = quantity("", "the equilibrium set in words (one challenger), or the method")
    regret_usd: float = quantity("USD", "the most any player gains by a pure deviation (independent check: ~0)", source="ours: payoffs.analysis")


@dataclasses.dataclass(frozen=True, repr=False)
class Participation(Record):
    """When a challenger checks at all (the verifier's dilemma), and the jackpot that would help."""

    TITLE = "challengers' participation"

    min_fraud_rate_for_checking: float = quantity("probability", "c/(aS): the fraud per query h x a lone challenger needs")
    min_forgeable_fraud_rate_for_checking: float = quantity("probability", "c/(h a S): the fraud rate of a prover who can deviate that it needs")
    monitoring_rate_at_equilibrium: float = quantity("probability", "y at the network equilibrium, one challenger")
    verifiers_dilemma: bool = quantity("", "nobody checks at the equilibrium")
    reference_forced_error_rate: float = quantity("probability", "phi at which the jackpot is priced", source="assumed: Truebit's order of magnitude")
    jackpot_needed_usd: float = quantity("USD", "J >= c/phi per forced error", source="Teutsch & Reitwiessner 2017")
    jackpot_tax_usd_per_query: float = quantity("USD/query", "phi J = c")


@dataclasses.dataclass(frozen=True, repr=False)
class EpochEconomics(Record):
    """An honest prover's economics over one challenge window at full load (ours)."""

    TITLE = "honest prover per window"

    queries: int = quantity("count", "Q, one replica at full load over W", source="payoffs.full_load_queries")
    window_s: float = quantity("s", "W")
    honest_cost_usd_per_query: float = quantity("USD/query", "k = compute + rho C_zk + commitment gas share", source="payoffs.honest_cost_usd_per_query")
    compute_usd_per_query: float = quantity("USD/query", "d_s, the compute an honest prover spends")
    proofs_usd_per_query: float = quantity("USD/query", "rho C_zk")
    gas_usd_per_query: float = quantity("USD/query", "the commitment's gas per query")
    fee_usd_per_query: float = quantity("USD/query", "f")
    capital_cost_usd: float = quantity("USD", "L r W / year")
    honest_profit_usd: float = quantity("USD", "Pi = Q (f - k) - L r W / year")
    break_even_fee_usd_per_query: float = quantity("USD/query", "k + L r W / (year Q); inf without a window")


@dataclasses.dataclass(frozen=True, repr=False)
class OverTime(Record):
    """The over-time verdict (payoffs.corruption): the best strategy in time and the stake it needs."""

    TITLE = "security over time"

    secure: bool = quantity("", "no catalogued strategy in time pays", source="payoffs.corruption.assess")
    deviation: str = quantity("", "the deviation of the best attack")
    strategy: str = quantity("", "the best strategy in time")
    best_attack_payoff_usd: float = quantity("USD", "its expected payoff")
    required_stake_usd: float = quantity("USD", "the stake that deters every deviation over time", source="payoffs.minimum_slash(None, variant='over_time')")


@dataclasses.dataclass(frozen=True, repr=False)
class RatesVsSlash(Record):
    """Equilibrium rates of the wrong-output game over a log grid of slashes (figure data)."""

    TITLE = "equilibrium rates against the slash"

    slash_usd: tuple[float, ...] = quantity("USD", "the grid")
    fraud_rate_1: tuple[float, ...] = quantity("probability", "x with one challenger, h = 1")
    fraud_rate_n: tuple[float, ...] = quantity("probability", "x with n challengers, h = 1")
    fraud_rate_n_network: tuple[float, ...] = quantity("probability", "x of a prover who can deviate, n challengers, the network's h")
    challenger_detection: tuple[float, ...] = quantity("probability", "q, h = 1 (any n)")
    challenger_detection_network: tuple[float, ...] = quantity("probability", "q, the network's h")
    monitoring_rate_n: tuple[float, ...] = quantity("probability", "y of each of n challengers, h = 1")
    forgeable_share: float = quantity("probability", "the network's h")
    n: int = quantity("count", "the model's challengers (at least 1)")
    break_even_slash_usd: float = quantity("USD", "spot-checks alone deter above it", source="payoffs.minimum_slash(variant='break_even')")
    configured_slash_usd: float = quantity("USD", "the model's S")
    loss_convention: Literal["forfeit", "keep"] = quantity("", "the convention in force")


@dataclasses.dataclass(frozen=True, repr=False)
class IncentivesAnalysis(Record):
    """Every incentive condition and equilibrium of a model (see the module docstring).

    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model())
    >>> a  # doctest: +NORMALIZE_WHITESPACE
    IncentivesAnalysis('incentive conditions and equilibria')
      loss_convention = forfeit
      secure_spot_checks_only = False
      one_query_deterred = True
      compromise_probability = 0.01159
      forgeable_share = 0.01159
      effective_spot_check_rate = 0.01
      challengers = 3
      slash_usd = $100,000
      min_slash_usd = $10,000
      break_even_slash_usd = $9,900
      max_regret_usd = $0
    >>> a.deviations[0].min_slash_usd, a.epoch.queries, a.over_time.required_stake_usd == a.to_dict()["over_time"]["required_stake_usd"]
    (10000.0, 497063, True)
    >>> sorted(a.to_dict())[:3]
    ['attestation_check', 'break_even_slash_usd', 'challenger_bond_usd']
    """

    TITLE = "incentive conditions and equilibria"
    TABLE = "deviations"
    SUMMARY = (
        "loss_convention", "secure_spot_checks_only", "one_query_deterred", "compromise_probability", "forgeable_share", "effective_spot_check_rate",
        "challengers", "slash_usd", "min_slash_usd", "break_even_slash_usd", "max_regret_usd",
    )  # fmt: skip

    loss_convention: Literal["forfeit", "keep"] = quantity("", "what a caught cheater loses")
    attestation_check: bool = quantity("", "the protocol checks the TEE attestation")
    compromise_probability: float = quantity("probability", "h = f (1 - exp(-lambda D))", source="payoffs.compromise_probability")
    forgeable_share: float = quantity("probability", "the share of queries whose prover can deviate", source="payoffs.network_forgeable_share")
    spot_check_rate: float = quantity("probability", "rho as configured")
    effective_spot_check_rate: float = quantity("probability", "rho if the spot-checks bite, else 0")
    spot_checks_bite: bool = quantity("", "randomness after the commitment and a missed proof slashed")
    challengers: int = quantity("count", "n")
    slash_usd: float = quantity("USD", "S")
    margin_usd: float = quantity("USD", "m")
    secure_spot_checks_only: bool = quantity(
        "", "no catalogued strategy in time pays with the spot-checks alone (the security criterion; the verdict's incentives_secure_spot_checks_only)", source="payoffs.corruption.assess"
    )
    one_query_deterred: bool = quantity("", "every deviation deterred on one query against a fresh stake by the spot-checks alone (compromised TEE)")
    min_slash_usd: float = quantity("USD", "the one-query minimum slash over the deviations (with the margin)", source="payoffs.minimum_slash(None)")
    break_even_slash_usd: float = quantity("USD", "the wrong output's break-even slash: above it spot-checks alone deter", source="payoffs.minimum_slash(variant='break_even')")
    deviations: tuple[DeviationIncentive, ...] = quantity("", "one row per deviation")
    equilibria: tuple[EquilibriumRow, ...] = quantity("", "per deviation: compromised and network, one and n challengers")
    max_regret_usd: float = quantity("USD", "the largest regret over the equilibria (independent check)")
    participation: Participation = quantity("", "the verifier's dilemma and the jackpot")
    epoch: EpochEconomics = quantity("", "an honest prover per window")
    challenger_bond_usd: float = quantity("USD", "beta")
    frivolous_challenge_payoff_usd: float = quantity("USD", "-beta with no griefing gain")
    over_time: OverTime = quantity("", "the over-time verdict")
    conditions: tuple[Condition, ...] = quantity("", "the equations shown, with their LaTeX")
    rates_vs_slash: RatesVsSlash = quantity("", "figure data")

    def deviation(self, name: str) -> DeviationIncentive:
        """The row of one deviation."""
        return next(d for d in self.deviations if d.deviation == name)

    def equilibrium(self, deviation: str, scope: str, challengers: int) -> EquilibriumRow:
        """One equilibrium row (KeyError if absent)."""
        for e in self.equilibria:
            if (e.deviation, e.scope, e.challengers) == (deviation, scope, challengers):
                return e
        raise KeyError((deviation, scope, challengers))


def equilibrium_regret(model: Model, deviation: str, n: int, fraud_rate: float, monitoring_rate: float, *, forgeable_share: float = 1.0) -> float:
    """The most any player gains by a pure deviation from the symmetric profile (x, y) (ours).

    The prover's payoff of cheating at detection :math:`p = 1-(1-\\rho_{\\mathrm{eff}})(1-y)^n`
    is :func:`~otr_theory.payoffs.deviation_payoff`; a challenger's advantage of monitoring is
    :func:`~otr_theory.payoffs.monitoring_advantage`. Computed from the payoffs, not from the
    equilibrium's closed form, so it checks it (module docstring).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model().with_values(slash_usd=1000.0)
    >>> eq = n_challenger_equilibrium(m, 3)
    >>> equilibrium_regret(m, "wrong_output", 3, float(eq.fraud_rate), float(eq.monitoring_rate)) < 1e-9
    True
    >>> equilibrium_regret(m, "wrong_output", 3, 0.0, 0.0) > 1  # nobody checks: cheating pays
    True
    """
    v = model.values()
    x, y = float(fraud_rate), float(monitoring_rate)
    rho = float(effective_spot_check_rate(model))
    q = 0.0 if n == 0 else 1.0 - (1.0 - y) ** n
    p = 1.0 - (1.0 - rho) * (1.0 - q)
    u = float(deviation_payoff(float(deviation_gain(v, deviation)), float(v["slash_usd"]), min(max(p, 0.0), 1.0), model.loss_convention))
    regret_p = x * max(0.0, -u) + (1.0 - x) * max(0.0, u)
    if n == 0:
        return regret_p
    reward = float(v["challenger_reward_share"]) * float(v["slash_usd"])
    adv = float(monitoring_advantage(x, y, n, reward, float(v["check_cost_usd_per_query"]), forgeable_share=forgeable_share))
    regret_c = y * max(0.0, -adv) + (1.0 - y) * max(0.0, adv)
    return max(regret_p, regret_c)


def _row(model: Model, deviation: str, scope: str, n: int, h: float) -> EquilibriumRow:
    share = None if scope == "compromised" else h
    hh = 1.0 if scope == "compromised" else h
    if n == 1:
        one = inspection_equilibrium(model, deviation, model.loss_convention, forgeable_share=share)
        x, y, kind, desc = float(one.fraud_rate), float(one.monitoring_rate), one.kind, one.description
        q, p, nf = y, float(one.detection_probability), float(one.network_fraud_rate)
    else:
        many = n_challenger_equilibrium(model, n, deviation, model.loss_convention, forgeable_share=share)
        x, y, kind, desc = float(many.fraud_rate), float(many.monitoring_rate), str(many.kind), many.method
        q, p, nf = float(many.challenger_detection), float(many.detection_probability), float(many.network_fraud_rate)
    return EquilibriumRow(
        deviation=deviation,
        scope=scope,  # type: ignore[arg-type]
        challengers=n,
        kind=kind,  # type: ignore[arg-type]
        forgeable_share=hh,
        fraud_rate=x,
        network_fraud_rate=nf,
        monitoring_rate=y,
        challenger_detection=q,
        detection_probability=p,
        reward_share=float(expected_reward_share(y, n)) if n > 0 else 0.0,
        description=desc,
        regret_usd=equilibrium_regret(model, deviation, n, x, y, forgeable_share=hh),
    )


def rates_vs_slash(model: Model, slashes=None, deviation: str = "wrong_output") -> RatesVsSlash:
    """Equilibrium rates over a slash grid (default: 121 log-spaced points around the model's S):
    fraud rate with one and with n challengers against a compromised prover (h = 1), the network's
    fraud rate of a prover who can deviate with n challengers, the challengers' detection q and
    each challenger's monitoring rate (n = the model's count, at least 1).

    >>> from otr_theory.model import load_model
    >>> r = rates_vs_slash(load_model(), [1000.0, 1e6])
    >>> r.fraud_rate_1  # x* = c/(aS) below the break-even slash, 0 above
    (5.276e-07, 0.0)
    """
    if slashes is None:
        s_cfg = model.value("slash_usd")
        lo = 10.0 ** math.floor(math.log10(max(min(s_cfg, 1e5) / 1000.0, 1.0)))
        hi = 10.0 ** math.ceil(math.log10(max(s_cfg, 1e3) * 10.0))
        slashes = np.logspace(math.log10(lo), math.log10(hi), 121)
    s = np.asarray(slashes, dtype=float)
    values: dict[str, Any] = dict(model.values())
    values["slash_usd"] = s
    n = max(int(model.value("count")), 1)
    h = float(network_forgeable_share(model))
    conv = model.loss_convention
    one = n_challenger_equilibrium(values, 1, deviation, conv, protocol=model.protocol)
    many = n_challenger_equilibrium(values, n, deviation, conv, protocol=model.protocol)
    net = n_challenger_equilibrium(values, n, deviation, conv, protocol=model.protocol, forgeable_share=h)

    def tup(a) -> tuple[float, ...]:
        return tuple(float(x) for x in np.broadcast_to(np.asarray(a, dtype=float), s.shape))

    return RatesVsSlash(
        slash_usd=tup(s),
        fraud_rate_1=tup(one.fraud_rate),
        fraud_rate_n=tup(many.fraud_rate),
        fraud_rate_n_network=tup(net.fraud_rate),
        challenger_detection=tup(many.challenger_detection),
        challenger_detection_network=tup(net.challenger_detection),
        monitoring_rate_n=tup(many.monitoring_rate),
        forgeable_share=h,
        n=n,
        break_even_slash_usd=minimum_slash(model, deviation, variant="break_even"),
        configured_slash_usd=float(model.value("slash_usd")),
        loss_convention=conv,  # type: ignore[arg-type]
    )


def analyse(model: Model) -> IncentivesAnalysis:
    """Every incentive condition and equilibrium of ``model`` (module docstring).

    Parameters
    ----------
    model : Model

    Returns
    -------
    IncentivesAnalysis
    """
    from otr_theory.payoffs.corruption import assess
    from otr_theory.payoffs.symbolic import describe, latex_conditions

    conv = model.loss_convention
    v = model.values()
    n = int(model.value("count"))
    S = float(v["slash_usd"])
    a = float(v["challenger_reward_share"])
    c = float(v["check_cost_usd_per_query"])
    ic = incentive_conditions(model, conv)
    h_net = float(network_forgeable_share(model))

    deviations = tuple(
        DeviationIncentive(
            deviation=d,
            gain_usd=x.gain_usd,
            detection=x.detection,
            detection_intact_tee=x.detection_intact_tee,
            payoff_usd=x.payoff_usd,
            margin_usd=x.margin_usd,
            slack_usd=x.slack_usd,
            deterred=x.deterred,
            min_slash_usd=x.min_slash_usd,
            break_even_slash_usd=minimum_slash(model, d, variant="break_even"),
            over_time_slash_usd=minimum_slash(model, d, variant="over_time"),
            min_detection=x.min_detection,
            min_spot_check_rate=x.min_spot_check_rate,
            epoch_queries=x.epoch_queries,
            epoch_best_deviations=x.epoch_best_deviations,
            epoch_payoff_usd=x.epoch_payoff_usd,
            epoch_deterred=x.epoch_deterred,
        )
        for d, x in ic.items()
    )
    counts = (1,) if n == 1 else (1, n)
    equilibria = tuple(_row(model, d, scope, k, h_net) for d in DEVIATIONS for scope in ("network", "compromised") for k in counts)

    net1 = next(e for e in equilibria if (e.deviation, e.scope, e.challengers) == ("wrong_output", "network", 1))
    participation = Participation(
        min_fraud_rate_for_checking=c / (a * S) if a * S > 0 else math.inf,
        min_forgeable_fraud_rate_for_checking=c / (h_net * a * S) if h_net * a * S > 0 else math.inf,
        monitoring_rate_at_equilibrium=net1.monitoring_rate,
        verifiers_dilemma=net1.monitoring_rate == 0,
        reference_forced_error_rate=REFERENCE_FORCED_ERROR_RATE,
        jackpot_needed_usd=c / REFERENCE_FORCED_ERROR_RATE,
        jackpot_tax_usd_per_query=c,
    )

    q_epoch = int(full_load_queries(model))
    k = float(honest_cost_usd_per_query(model))
    compute = float(v["skip_saving_usd_per_query"])
    proofs = float(v["spot_check_rate"]) * float(v["proof_cost_usd"])
    cap = float(capital_cost_usd(v["stake_usd"], v["capital_cost_rate_per_year"], v["window_s"]))
    epoch = EpochEconomics(
        queries=q_epoch,
        window_s=float(v["window_s"]),
        honest_cost_usd_per_query=k,
        compute_usd_per_query=compute,
        proofs_usd_per_query=proofs,
        gas_usd_per_query=k - compute - proofs,
        fee_usd_per_query=float(v["fee_usd_per_query"]),
        capital_cost_usd=cap,
        honest_profit_usd=float(honest_epoch_profit(model, q_epoch)),
        break_even_fee_usd_per_query=k + (cap / q_epoch if q_epoch > 0 else math.inf),
    )

    over = assess(model)
    tex = latex_conditions(conv)
    return IncentivesAnalysis(
        loss_convention=conv,  # type: ignore[arg-type]
        attestation_check=bool(model.protocol.attestation_check),
        compromise_probability=float(compromise_probability(model)),
        forgeable_share=h_net,
        spot_check_rate=float(v["spot_check_rate"]),
        effective_spot_check_rate=float(effective_spot_check_rate(model)),
        spot_checks_bite=bool(model.protocol.randomness_after_commit and model.protocol.slash_on_missed_proof),
        challengers=n,
        slash_usd=S,
        margin_usd=float(v["incentive_margin_usd"]),
        secure_spot_checks_only=bool(over.secure),
        one_query_deterred=all(d.deterred for d in deviations),
        min_slash_usd=max(d.min_slash_usd for d in deviations),
        break_even_slash_usd=minimum_slash(model, "wrong_output", variant="break_even"),
        deviations=deviations,
        equilibria=equilibria,
        max_regret_usd=max(e.regret_usd for e in equilibria),
        participation=participation,
        epoch=epoch,
        challenger_bond_usd=float(v["challenger_bond_usd"]),
        frivolous_challenge_payoff_usd=float(frivolous_challenge_payoff(v["challenger_bond_usd"])),
        over_time=OverTime(
            secure=bool(over.secure),
            deviation=over.deviation,
            strategy=str(over.attack.strategy),
            best_attack_payoff_usd=float(over.attack.payoff_usd),
            required_stake_usd=float(over.required_stake_usd),
        ),
        conditions=tuple(Condition(name=name, description=describe(name, conv), latex=tex[name]) for name in _CONDITIONS),
        rates_vs_slash=rates_vs_slash(model),
    )
