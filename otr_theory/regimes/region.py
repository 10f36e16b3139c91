"""The secure region: which (S, rho, W, n) make every catalogued deviation unprofitable.

A *regime point* is a choice of the four protocol parameters the operator controls: the slash
S (``slash_usd``), the spot-check rate rho (``spot_check_rate``), the challenge window W
(``window_s``) and the number of challengers n (``count``). Everything else comes from the
model. A point is **secure** under a *reading* of the detection when all of these hold:

1. **Incentive compatibility over time** (:mod:`otr_theory.payoffs.corruption`, ours; the
   cost of corruption against the profit from corruption). A compromised prover cheats on every
   query of its chosen gain classes until it is caught, keeps cheating during the detection lag
   L (the proof deadline for a spot-check, the dispute for a challenge), is slashed once
   (:math:`S_{\\rm eff} = (1-a)S` when it can challenge itself through a Sybil) and ejected. The
   point is secure iff the best strategy over every deviation d and class set j pays at most -m:

   .. math::

       \\mathrm{margin}(S, \\rho, W, n) = -\\max_{d, j} \\max_{1 \\le M \\le M_j} P_M B_j \\ge m,
       \\qquad B_j = \\frac{g_j}{p} + nL\\bar g - S_{\\rm eff} - F \\ \\text{(keep)},

   (forfeit: :math:`g_j(1-p)/p + nL\\bar g(1-p) - S_{\\rm eff} - F`), with
   :math:`p = 1 - (1-\\rho_{\\mathrm{eff}})(1-q)` the detection of one cheated query by a prover
   whose TEE is **compromised** (outside a compromise episode the attestation check rejects
   every forged result: where no episode can occur and the gate is on, no attack is possible and
   the margin is infinite). With L = 0 and one query this is the one-query condition
   :math:`(1-p)G - pS \\le -m` (forfeit) or :math:`G - pS \\le -m` (keep), kept in the output as
   ``one_query_margin_usd`` and labelled as what it is. Two readings of the challengers'
   detection q:

   * ``spot_checks_only`` -- :math:`q = 0`: the challengers are lazy (the verifier's dilemma),
     or bribed to stay idle. This is the detection the protocol *guarantees*; the region, the
     cheapest point, the certificates and the diff gate use it.
   * ``equilibrium`` -- q at the challengers' symmetric equilibrium monitoring rate of the
     one-query inspection game (:func:`~otr_theory.payoffs.n_challenger_equilibrium`, driven by
     the deviation with the largest gain); where the spot-checks alone deter that game, nobody
     monitors (q = 0). The lag is then :math:`[\\rho(1-q)L_s + qL_c]/p`.

2. **Safety** (theorem 3 of proofs/, bounded resolution): the window covers a full dispute
   under censorship -- strictly, as the theorem states it (``cens + D < W``), so that final
   finality never coincides with the end of a dispute,

   .. math::

       W > W_{\\min} = \\lceil \\log_k N \\rceil\\, t_{\\mathrm{round}} + t_{\\mathrm{settle}}
       + c_{\\mathrm{blocks}}\\, t_{\\mathrm{block}},

   and at least one challenger watches (n >= 1: the liveness assumption of the validity
   theorem). Both apply to the optimistic schemes (``otr``, ``opml``) only.

3. **Capital**: :math:`S \\le \\mathrm{stake}` -- the model's ``stake_usd`` is the capital
   the prover can lock; the stake locked at a regime point is S itself (the smallest stake that
   backs the slash), so the stake's capital cost per query grows with S
   (:func:`~otr_theory.calibration.costs.cost_components`, ``stake_scope`` ``replica``: locked
   for as long as the replica serves; ``commitment``: a bond per commitment, locked for W).

4. **Latency** (optional): time to final finality
   :math:`t_{\\mathrm{final}}(W) \\le` ``max_final_s``.

**Cost per query** of a point: :func:`~otr_theory.calibration.costs.cost_components` with
rho's expected proofs, the capital cost of a stake S, and the challengers' re-execution at their
equilibrium monitoring rate (0 wherever the spot-checks alone deter: the verifier's dilemma), or
at a fixed rate given as ``monitoring_rate``.

Everything here is ours, assembled from the closed forms of :mod:`otr_theory.payoffs`, the cost
and latency model of :mod:`otr_theory.calibration.costs` and the window bound of the SMT model.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from otr_theory.calibration.costs import STAKE_SCOPES, cost_components, latency_components
from otr_theory.model import Model, bisection_rounds
from otr_theory.payoffs import (
    DEVIATIONS,
    GAIN_FIELDS,
    compromise_probability,
    detection_probability,
    deviation_payoff,
    effective_spot_check_rate,
    n_challenger_equilibrium,
)
from otr_theory.payoffs.corruption import best_payoff_vec, corruption_inputs
from otr_theory.payoffs.corruption import best_strategy as _best_strategy
from otr_theory.records import Record, quantity

__all__ = [
    "CONSTRAINTS",
    "DECISION_FIELDS",
    "FIXED_RATE_SCHEMES",
    "OPTIMISTIC_SCHEMES",
    "READINGS",
    "PointRecord",
    "RegimeError",
    "RegionKernel",
    "RegionOptions",
    "dispute_rounds",
    "evaluate_point",
    "minimum_window_s",
    "proof_window_s",
    "secure_window_s",
    "region_kernel",
    "surely_caught",
]

CRITERIA: tuple[str, ...] = ("over_time", "one_query")
"""The incentive criteria a kernel can evaluate (``over_time`` is the security criterion)."""

READINGS: tuple[str, ...] = ("spot_checks_only", "equilibrium")
"""How the challengers' detection is counted: not at all (lazy challengers, the guarantee) or at
their equilibrium monitoring rate."""

DECISION_FIELDS: tuple[str, ...] = ("slash_usd", "spot_check_rate", "window_s", "count")
"""The model fields a regime chooses: slash S, spot-check rate rho, window W, challengers n."""

CONSTRAINTS: tuple[str, ...] = ("incentives", "window", "challengers", "capital", "latency")
"""The constraints a secure point meets, in the order they are reported."""

OPTIMISTIC_SCHEMES: tuple[str, ...] = ("otr", "opml")
"""Schemes with a challenge window and a dispute game (the safety constraints apply)."""

FIXED_RATE_SCHEMES: tuple[str, ...] = ("zkml",)
"""Schemes whose proof rate is structural, not a regime choice (ZKML proves every query): the
cheapest point and the default grid keep the model's rho."""


class RegimeError(ValueError):
    """A bad argument to a regime function: names the argument, the rule and the bad value."""

    def __init__(self, field: str, rule: str, value: Any = None):
        self.field, self.rule, self.value = field, rule, value
        super().__init__(f"{field}: {rule} (got {value!r})")


@dataclasses.dataclass(frozen=True, repr=False)
class RegionOptions(Record):
    """Choices that are not in the model file.

    Attributes
    ----------
    stake_scope : {"replica", "commitment"}
        How the stake is locked (see :mod:`otr_theory.calibration.costs`).
    max_final_s : float or None
        Latency bound on the time to final finality (None: no bound).
    monitoring_rate : float or None
        Rate at which each challenger re-executes, for the cost (None: the equilibrium rate).
    max_stake_usd : float or None
        Cap on the stake S (None: no cap; the stake's capital cost is in the cost per query).
    criterion : {"over_time", "one_query"}
        The incentive criterion: the best strategy over time (the default, the security
        criterion), or the one-query condition (one cheated query against a fresh stake, no lag,
        no proof-window constraint) -- kept for comparison and benchmarks, never the verdict.
    """

    TITLE = "region options"

    stake_scope: str = quantity("", "how the stake is locked: per replica or per commitment", default="replica")
    max_final_s: float | None = quantity("s", "latency bound on the time to final finality (None: none)", default=None)
    monitoring_rate: float | None = quantity("probability", "each challenger's re-execution rate for the cost (None: the equilibrium rate)", default=None)
    max_stake_usd: float | None = quantity("USD", "cap on the stake S (None: none)", default=None)
    criterion: str = quantity("", "over_time (the security criterion) or one_query (for comparison)", default="over_time")

    def __post_init__(self) -> None:
        if self.stake_scope not in STAKE_SCOPES:
            raise RegimeError("stake_scope", f"must be one of {', '.join(STAKE_SCOPES)}", self.stake_scope)
        if self.max_final_s is not None and not (isinstance(self.max_final_s, (int, float)) and self.max_final_s > 0):
            raise RegimeError("max_final_s", "must be a number > 0 or None", self.max_final_s)
        if self.monitoring_rate is not None and not (isinstance(self.monitoring_rate, (int, float)) and 0 <= self.monitoring_rate <= 1):
            raise RegimeError("monitoring_rate", "must be a probability in [0, 1] or None", self.monitoring_rate)
        if self.criterion not in CRITERIA:
            raise RegimeError("criterion", f"must be one of {', '.join(CRITERIA)}", self.criterion)
        if self.max_stake_usd is not None and not (isinstance(self.max_stake_usd, (int, float)) and self.max_stake_usd >= 0):
            raise RegimeError("max_stake_usd", "must be a number >= 0 or None", self.max_stake_usd)


def dispute_rounds(trace_steps: int, arity: int) -> int:
    """:math:`\\lceil \\log_k N \\rceil`, exactly (integer arithmetic): the bisection rounds.

    >>> dispute_rounds(2**40, 2), dispute_rounds(2**40 + 1, 2), dispute_rounds(1, 2), dispute_rounds(10, 3)
    (40, 41, 0, 3)
    """
    if int(trace_steps) != trace_steps or trace_steps < 1:
        raise RegimeError("trace_steps", "must be an integer >= 1", trace_steps)
    if int(arity) != arity or arity < 2:
        raise RegimeError("bisection_arity", "must be an integer >= 2", arity)
    return bisection_rounds(int(trace_steps), int(arity))


def minimum_window_s(values: Mapping[str, Any] | Model, *, scheme: str | None = None) -> float:
    """The bound a window must exceed: rounds x timeout + settlement + censorship (theorem 3).

    0 for schemes without a dispute game.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> minimum_window_s(load_model())  # 40 x 1,800 + 1,800 + 100 x 12
    75000.0
    >>> minimum_window_s(load_model("zkml"))
    0.0
    """
    if isinstance(values, Model):
        scheme = values.scheme if scheme is None else scheme
        values = values.values()
    if scheme is not None and scheme not in OPTIMISTIC_SCHEMES:
        return 0.0
    rounds = dispute_rounds(int(values["trace_steps"]), int(values["bisection_arity"]))
    return float(rounds * values["round_timeout_s"] + values["settlement_s"] + values["censorship_blocks"] * values["block_time_s"])


def proof_window_s(model: Model) -> float:
    """The time a demanded proof needs to land before final finality: ``proof_deadline_s`` for an
    OTR scheme whose spot-checks bite, 0 otherwise, and 0 when pending results are reverted on a
    slash (the payoff then counts what reaches final finality).

    >>> from otr_theory.model import load_model
    >>> proof_window_s(load_model()), proof_window_s(load_model().with_protocol(revert_pending_on_slash=True))
    (43200.0, 0.0)
    """
    on = float(effective_spot_check_rate({"spot_check_rate": 1.0}, protocol=model.protocol)) == 1.0
    if model.scheme != "otr" or not on or model.protocol.revert_pending_on_slash:
        return 0.0
    return float(model.value("proof_deadline_s"))


def secure_window_s(model: Model) -> float:
    """The least secure window: above W_min (strictly) and at least the proof window.

    W_min binds the default model (75,000 s > the 43,200 s proof deadline), and the bound is
    strict, so the answer is the next float above it.

    >>> from otr_theory.model import load_model
    >>> secure_window_s(load_model())
    75000.00000000001
    >>> secure_window_s(load_model().with_values(round_timeout_s=600.0, settlement_s=600.0))  # W_min 25,800 s
    43200.0
    """
    w_min = minimum_window_s(model)
    above = math.nextafter(w_min, math.inf) if w_min > 0 else 0.0
    return max(above, proof_window_s(model))


def _as(name: str, x: Any) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise RegimeError(name, "must be a number or an array of numbers", x) from None
    if np.isnan(arr).any():
        raise RegimeError(name, "must not be nan", x)
    return arr


@dataclasses.dataclass(frozen=True)
class RegionKernel:
    """The region of one model as a vectorized function of (S, rho, W, n).

    Built by :func:`region_kernel`; plain data (picklable, so Dask workers can run it). Call
    :meth:`evaluate` with arrays that broadcast against each other.
    """

    values: Mapping[str, float]
    scheme: str
    convention: str
    protocol: Any
    options: RegionOptions
    gains: Mapping[str, float]
    best_deviation: str
    margin_usd: float
    min_window_s: float
    stake_cap_usd: float
    compromise_probability: float
    optimistic: bool
    bites: bool
    surely_caught: bool
    over_time: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def _over_time_payoff(self, p, lag, W, S):
        """The best strategy's payoff over time (vectorised) at detection p, lag L, window W, slash S."""
        ot = self.over_time
        if ot["horizon_s"] == 0.0:
            return np.full(np.broadcast_shapes(np.shape(p), np.shape(lag), np.shape(W) if ot["reverts"] else (), np.shape(S)), -np.inf)
        best = None
        for classes, gbar in ot["candidates"]:
            val = best_payoff_vec(
                p,
                lag,
                W if ot["reverts"] else 0.0,
                S * ot["slash_factor"],
                classes=classes,
                mean_gain_usd=gbar,
                query_rate=ot["query_rate"],
                horizon_s=ot["horizon_s"],
                franchise_usd=ot["franchise_usd"],
                convention=self.convention,
                reverts=ot["reverts"],
            )
            best = val if best is None else np.maximum(best, val)
        return best

    def _values_with(self, **arrays: Any) -> dict[str, Any]:
        v = dict(self.values)
        v.update(arrays)
        return v

    def evaluate(self, slash_usd, spot_check_rate, window_s, count, *, readings: tuple[str, ...] = READINGS) -> dict[str, np.ndarray]:
        """Every quantity of the region at the given points (arrays broadcast together).

        Parts that do not depend on an argument keep its axis at length 1, so a grid passed as
        orthogonal axes (``S[:, None, None, None]``, ...) costs only what each part needs.

        Returns
        -------
        dict of ndarray
            ``margin_usd`` (spot-checks only) and ``margin_eq_usd`` (at equilibrium): by how much
            honesty beats the best deviation, per cheated query; ``detection``,
            ``detection_eq``; ``monitoring_rate`` and ``fraud_rate`` at equilibrium;
            ``best_payoff_usd`` (the best strategy over time, spot-checks only),
            ``one_query_margin_usd`` (today's one-query condition, for contrast);
            ``window_slack_s`` = W - W_min (must be > 0); ``proof_slack_s`` = W - the proof
            window (must be >= 0); ``capital_slack_usd`` = stake cap - S (inf without a cap);
            ``latency_slack_s``; ``challengers_ok``; ``cost_usd``; ``final_s``;
            ``secure`` (spot-checks only) and ``secure_eq``.
        """
        S = _as("slash_usd", slash_usd)
        rho = _as("spot_check_rate", spot_check_rate)
        W = _as("window_s", window_s)
        n = _as("count", count)
        if (S < 0).any():
            raise RegimeError("slash_usd", "must be >= 0", float(S[S < 0].flat[0]))
        if ((rho < 0) | (rho > 1)).any():
            raise RegimeError("spot_check_rate", "must be a probability in [0, 1]", float(rho[(rho < 0) | (rho > 1)].flat[0]))
        if (W < 0).any():
            raise RegimeError("window_s", "must be >= 0", float(W[W < 0].flat[0]))
        if ((n < 0) | (np.floor(n) != n)).any():
            raise RegimeError("count", "must be an integer >= 0", float(n[(n < 0) | (np.floor(n) != n)].flat[0]))
        conv = self.convention
        ot = self.over_time
        rho_eff = rho if self.bites else np.zeros_like(rho)
        p_spot = np.asarray(detection_probability(rho_eff))
        one_p = np.ones_like(p_spot) if self.surely_caught else p_spot
        one_query = np.full(np.broadcast_shapes(S.shape, p_spot.shape), np.inf)
        for d in DEVIATIONS:
            one_query = np.minimum(one_query, -np.asarray(deviation_payoff(self.gains[d], S, one_p, conv)))
        one_q = self.options.criterion == "one_query"
        best = -one_query if one_q else self._over_time_payoff(p_spot, ot["spot_lag_s"], W, S)
        margin = -best
        out: dict[str, Any] = {"margin_usd": margin, "best_payoff_usd": best, "one_query_margin_usd": one_query, "detection": p_spot + 0.0 * S}

        # the challengers at equilibrium (of the one-query game): only where the spot-checks alone
        # leave its best deviation profitable (elsewhere nobody monitors: the verifier's dilemma)
        ic_shape = np.broadcast_shapes(one_query.shape, n.shape)
        y = np.zeros(ic_shape)
        x = np.zeros(ic_shape)
        p_eq = np.broadcast_to(out["detection"], ic_shape).copy()
        need = None
        if "equilibrium" in readings and not self.surely_caught:
            best_payoff = np.asarray(deviation_payoff(self.gains[self.best_deviation], S, p_spot, conv))
            need = np.broadcast_to(best_payoff > 0, ic_shape) & np.broadcast_to(n >= 1, ic_shape)
            if need.any():
                Sb, rb, nb = (np.broadcast_to(a, ic_shape)[need] for a in (S, rho, n))
                eq = n_challenger_equilibrium(
                    self._values_with(slash_usd=Sb, spot_check_rate=rb),
                    nb,
                    self.best_deviation,
                    conv,
                    protocol=self.protocol,
                )
                y[need] = eq.monitoring_rate
                x[need] = eq.fraud_rate
                p_eq[need] = eq.detection_probability
        if one_q and need is not None and need.any():
            margin_eq = np.full(ic_shape, np.inf)
            for d in DEVIATIONS:
                margin_eq = np.minimum(margin_eq, -np.asarray(deviation_payoff(self.gains[d], S, p_eq, conv)))
        elif need is not None and need.any():
            r_b = np.broadcast_to(rho_eff, ic_shape)
            with np.errstate(divide="ignore", invalid="ignore"):
                q = np.where(r_b < 1, 1.0 - (1.0 - p_eq) / np.where(r_b < 1, 1.0 - r_b, 1.0), 0.0)
                q = np.clip(q, 0.0, 1.0)
                ls, lc = ot["spot_lag_s"], ot["challenge_lag_s"]  # caught both ways: the sooner lag (see CorruptionInputs.lag_s)
                lag = np.where(p_eq > 0, (r_b * (1.0 - q) * ls + (1.0 - r_b) * q * lc + r_b * q * min(ls, lc)) / np.where(p_eq > 0, p_eq, 1.0), ls)
                lag = np.where(need, lag, ot["spot_lag_s"])  # no challengers watching: exactly the spot-check lag
            margin_eq = -self._over_time_payoff(p_eq, lag, W, S)
        else:
            margin_eq = margin
        out.update(margin_eq_usd=margin_eq, detection_eq=p_eq, monitoring_rate=y, fraud_rate=x)

        window_slack = W - self.min_window_s if self.optimistic else np.full(W.shape, np.inf)
        proof_slack = W - ot["proof_window_s"] if not one_q else np.full(W.shape, np.inf)
        capital_slack = self.stake_cap_usd - S
        challengers_ok = (n >= 1) if self.optimistic else np.ones(n.shape, dtype=bool)
        v = self._values_with(stake_usd=S / ot["replicas_per_stake"], spot_check_rate=rho, window_s=W, count=n)
        lat = latency_components(v, scheme=self.scheme)
        final_s = np.asarray(lat["final_s"], dtype=float)
        latency_slack = (self.options.max_final_s - final_s) if self.options.max_final_s is not None else np.full(final_s.shape, np.inf)
        mon = y if self.options.monitoring_rate is None else self.options.monitoring_rate
        cost = cost_components(v, tee=self.protocol.attestation_check, monitoring_rate=mon, stake_scope=self.options.stake_scope)
        m = self.margin_usd
        rest = (window_slack > 0) & (proof_slack >= 0) & challengers_ok & (capital_slack >= 0) & (latency_slack >= 0)
        out.update(
            window_slack_s=window_slack,
            proof_slack_s=proof_slack,
            capital_slack_usd=capital_slack,
            latency_slack_s=latency_slack,
            challengers_ok=challengers_ok,
            cost_usd=np.asarray(cost["total_usd"], dtype=float),
            proof_usd=np.asarray(cost["proof_usd"], dtype=float),
            capital_usd=np.asarray(cost["capital_usd"], dtype=float),
            monitoring_usd=np.asarray(cost["monitoring_usd"], dtype=float),
            final_s=final_s,
            secure=(margin >= m) & rest,
            secure_eq=(margin_eq >= m) & rest,
        )
        return out


def region_kernel(model: Model, options: RegionOptions | None = None) -> RegionKernel:
    """The vectorized region of ``model`` (see the module docstring for the definition).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> k = region_kernel(load_model())
    >>> r = k.evaluate([100_000.0, 1e8], 0.01, 86_400.0, 3)
    >>> r["secure"].tolist(), r["one_query_margin_usd"].round(6).tolist()
    ([False, True], [901.0, 999901.0])
    """
    if not isinstance(model, Model):
        raise RegimeError("model", "must be a Model (otr_theory.model.load_model)", type(model).__name__)
    options = RegionOptions() if options is None else options
    values = dict(model.values())
    gains = {d: float(values[GAIN_FIELDS[d]]) for d in DEVIATIONS}
    best = max(DEVIATIONS, key=lambda d: (gains[d], -DEVIATIONS.index(d)))
    on = effective_spot_check_rate({"spot_check_rate": 1.0}, protocol=model.protocol)
    over_time = _over_time_constants(model)
    return RegionKernel(
        values=values,
        scheme=model.scheme,
        convention=model.loss_convention,
        protocol=model.protocol,
        options=options,
        gains=gains,
        best_deviation=best,
        margin_usd=float(values["incentive_margin_usd"]),
        min_window_s=minimum_window_s(model),
        stake_cap_usd=math.inf if options.max_stake_usd is None else float(options.max_stake_usd),
        compromise_probability=float(compromise_probability(values)),
        optimistic=model.scheme in OPTIMISTIC_SCHEMES,
        bites=bool(float(on) == 1.0),
        surely_caught=surely_caught(model),
        over_time=over_time,
    )


def _over_time_constants(model: Model) -> dict[str, Any]:
    """The point-independent inputs of the over-time criterion, from
    :func:`~otr_theory.payoffs.corruption.corruption_inputs`; deviations whose single gain is at
    most the mean gain of wrong outputs are dominated (same M, smaller bracket) and dropped."""
    per = {d: corruption_inputs(model, d) for d in DEVIATIONS}
    wo = per["wrong_output"]
    candidates = [([(g, f) for _, g, f in wo.classes()], wo.mean_gain_usd)]
    for d in DEVIATIONS[1:]:
        inp = per[d]
        if inp.mean_gain_usd > wo.mean_gain_usd:
            candidates.append(([(g, f) for _, g, f in inp.classes()], inp.mean_gain_usd))
    return {
        "candidates": candidates,
        "query_rate": wo.query_rate,
        "horizon_s": wo.horizon_s,
        "spot_lag_s": wo.spot_lag_s,
        "challenge_lag_s": wo.challenge_lag_s,
        "slash_factor": (1.0 - wo.reward_share) if wo.self_challenge else 1.0,
        "franchise_usd": wo.franchise_usd,
        "reverts": wo.reverts,
        "proof_window_s": proof_window_s(model),
        "replicas_per_stake": float(model.value("replicas_per_stake")),
    }


def surely_caught(model: Model) -> bool:
    """True when every deviation is caught by the attestation: an OTR scheme with the attestation
    check whose TEE cannot be compromised (h = 0).

    >>> from otr_theory.model import load_model
    >>> surely_caught(load_model()), surely_caught(load_model().with_values(compromised_fraction=0.0))
    (False, True)
    """
    return bool(model.scheme == "otr" and model.protocol.attestation_check and float(compromise_probability(model.values())) == 0.0)


@dataclasses.dataclass(frozen=True, repr=False)
class PointRecord(Record):
    """One regime point, evaluated in full (scalars).

    Attributes
    ----------
    slash_usd, spot_check_rate, window_s, count : float / int
        The point.
    payoffs_usd : dict
        Each deviation's best payoff over time relative to honesty, spot-checks only.
    payoffs_eq_usd : dict
        The same with the challengers at equilibrium.
    margin_usd, margin_eq_usd : float
        min over deviations of minus the best payoff over time (honesty beats the best strategy
        by this).
    required_margin_usd : float
        The model's ``incentive_margin_usd``.
    detection, detection_eq, monitoring_rate, fraud_rate : float
    constraints : dict
        ``{name: bool}`` for :data:`CONSTRAINTS` (incentives: spot-checks only).
    secure, secure_eq : bool
    min_window_s, cost_usd, final_s : float
    cost_components_usd : dict
        proof, capital and monitoring parts of ``cost_usd``.
    binding : str
        The first constraint that fails, or the deviation with the smallest margin if secure.
    best_attack : dict
        The best strategy over time (spot-checks only): deviation, strategy, classes, cheated
        queries, payoff.
    one_query_margin_usd : float
        Today's one-query condition (one query against a fresh stake, no lag): what it is.
    exposure_usd : float
        Value at risk between a fraud and its slash, :math:`nL\\bar g`.
    required_stake_usd : float
        The stake that makes this (rho, W) secure over time.
    proof_window_s : float
        The window must be at least this (the proof deadline, unless pending results revert).
    """

    TITLE = "regime point"
    SUMMARY = ("slash_usd", "spot_check_rate", "window_s", "count", "secure", "margin_usd", "cost_usd", "final_s", "binding", "required_stake_usd")

    slash_usd: float = quantity("USD", "the slash S (the stake locked)")
    spot_check_rate: float = quantity("probability", "rho")
    window_s: float = quantity("s", "the challenge window W")
    count: int = quantity("count", "challengers n")
    payoffs_usd: dict[str, float] = quantity("USD", "each deviation's best payoff over time relative to honesty, spot-checks only", source="ours: payoffs.corruption")
    payoffs_eq_usd: dict[str, float] = quantity("USD", "the same with the challengers at equilibrium", source="ours: payoffs.corruption")
    margin_usd: float = quantity("USD", "honesty beats the best strategy over time by this (spot-checks only)", source="ours: payoffs.corruption")
    margin_eq_usd: float = quantity("USD", "the same with the challengers at equilibrium")
    required_margin_usd: float = quantity("USD", "the declared margin m", source="model: incentive_margin_usd")
    detection: float = quantity("probability", "p, spot-checks only")
    detection_eq: float = quantity("probability", "p with the challengers at equilibrium")
    monitoring_rate: float = quantity("probability", "each challenger's monitoring rate")
    fraud_rate: float = quantity("probability", "the prover's equilibrium fraud rate")
    constraints: dict[str, bool] = quantity("", "each constraint of CONSTRAINTS, held or not")
    secure: bool = quantity("", "every constraint holds, spot-checks only")
    secure_eq: bool = quantity("", "the same with the challengers at equilibrium")
    min_window_s: float = quantity("s", "W must exceed this (theorem 3)")
    cost_usd: float = quantity("USD/query", "cost per query: proofs, stake capital, monitoring", source="calibration.costs.cost_components")
    cost_components_usd: dict[str, float] = quantity("USD/query", "the parts of cost_usd")
    final_s: float = quantity("s", "time to final finality")
    binding: str = quantity("", "the first constraint that fails, or the deviation with the smallest margin")
    best_attack: dict[str, Any] = quantity("", "the best strategy over time: deviation, strategy, classes, cheated, payoff_usd", default_factory=dict)
    one_query_margin_usd: float = quantity("USD", "the one-query condition's margin (one query against a fresh stake, no lag)", default=math.nan)
    exposure_usd: float = quantity("USD", "n L gbar: value at risk between a fraud and its slash", default=0.0)
    required_stake_usd: float = quantity("USD", "the stake that makes this (rho, W) secure over time", default=math.nan)
    proof_window_s: float = quantity("s", "the window must be at least this", default=0.0)


def evaluate_point(model: Model, *, slash_usd: float, spot_check_rate: float, window_s: float, count: int, options: RegionOptions | None = None) -> PointRecord:
    """One point solved on its own, with scalar calls only: the per-point reference.

    The detection, payoffs and equilibrium come from the scalar closed forms of
    :mod:`otr_theory.payoffs` (one call per deviation), the cost from
    :func:`~otr_theory.calibration.costs.cost_components` on plain floats; nothing is shared
    with :meth:`RegionKernel.evaluate` except those library functions.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> r = evaluate_point(load_model(), slash_usd=100_000, spot_check_rate=0.01, window_s=86_400, count=3)
    >>> r.secure, r.binding, r.best_attack["strategy"], round(r.best_attack["payoff_usd"] / 1e6, 2)
    (False, 'incentives', 'valuable_only', 27.98)
    >>> round(r.one_query_margin_usd, 9), round(r.required_stake_usd / 1e6, 1)  # one query against a fresh stake: what it is
    (901.0, 56.1)
    >>> round(r.cost_usd, 4)
    0.0142
    """
    options = RegionOptions() if options is None else options
    for name, val in (("slash_usd", slash_usd), ("spot_check_rate", spot_check_rate), ("window_s", window_s), ("count", count)):
        if not isinstance(val, (int, float, np.integer, np.floating)) or not math.isfinite(float(val)):
            raise RegimeError(name, "must be a finite number", val)
    if slash_usd < 0:
        raise RegimeError("slash_usd", "must be >= 0", slash_usd)
    if not 0 <= spot_check_rate <= 1:
        raise RegimeError("spot_check_rate", "must be a probability in [0, 1]", spot_check_rate)
    if window_s < 0:
        raise RegimeError("window_s", "must be >= 0", window_s)
    if int(count) != count or count < 0:
        raise RegimeError("count", "must be an integer >= 0", count)
    S, rho, W, n = float(slash_usd), float(spot_check_rate), float(window_s), int(count)
    v = dict(model.values())
    v.update(slash_usd=S, spot_check_rate=rho, window_s=W, count=n)
    conv = model.loss_convention
    rho_eff = float(effective_spot_check_rate(v, protocol=model.protocol))
    caught = surely_caught(model)
    p = 1.0 if caught else float(detection_probability(rho_eff))
    gains = {d: float(v[GAIN_FIELDS[d]]) for d in DEVIATIONS}
    one = {d: float(deviation_payoff(gains[d], S, p, conv)) for d in DEVIATIONS}
    best = max(DEVIATIONS, key=lambda d: (gains[d], -DEVIATIONS.index(d)))
    # the over-time inputs at this point: the stake is S itself
    base = {d: corruption_inputs(model, d).replace(slash_usd=S, spot_check_rate=rho_eff, window_s=W, challenger_detection=0.0) for d in DEVIATIONS}
    attacks = {d: _best_strategy(base[d]) for d in DEVIATIONS}
    payoffs = {d: float(attacks[d].payoff_usd) for d in DEVIATIONS}
    y = x = 0.0
    p_eq = p
    payoffs_eq = dict(payoffs)
    if one[best] > 0 and n >= 1 and not caught:
        eq = n_challenger_equilibrium(v, n, best, conv, protocol=model.protocol)
        y, x, p_eq = float(eq.monitoring_rate), float(eq.fraud_rate), float(eq.detection_probability)
        q = float(eq.challenger_detection)
        payoffs_eq = {d: float(_best_strategy(base[d].replace(challenger_detection=q)).payoff_usd) for d in DEVIATIONS}
        if options.criterion == "one_query":
            payoffs_eq = {d: float(deviation_payoff(gains[d], S, p_eq, conv)) for d in DEVIATIONS}
    if options.criterion == "one_query":  # the one-query condition, for comparison only
        payoffs = dict(one)
        if not (one[best] > 0 and n >= 1 and not caught):
            payoffs_eq = dict(one)
    m = float(v["incentive_margin_usd"])
    margin = min(-x for x in payoffs.values())
    margin_eq = min(-x for x in payoffs_eq.values())
    optimistic = model.scheme in OPTIMISTIC_SCHEMES
    w_min = minimum_window_s(model)
    w_proof = proof_window_s(model) if options.criterion == "over_time" else 0.0
    final_s = float(latency_components(v, scheme=model.scheme)["final_s"])
    v_cost = dict(v, stake_usd=S / float(v["replicas_per_stake"]))
    mon = y if options.monitoring_rate is None else options.monitoring_rate
    cost = cost_components(v_cost, tee=model.protocol.attestation_check, monitoring_rate=mon, stake_scope=options.stake_scope)
    rest = {
        "window": ((not optimistic) or W > w_min) and W >= w_proof,
        "challengers": (not optimistic) or n >= 1,
        "capital": options.max_stake_usd is None or S <= float(options.max_stake_usd),
        "latency": options.max_final_s is None or final_s <= options.max_final_s,
    }
    constraints = {"incentives": margin >= m, **rest}
    secure = all(constraints.values())
    secure_eq = margin_eq >= m and all(rest.values())
    failing = [k for k in CONSTRAINTS if not constraints[k]]
    worst = max(DEVIATIONS, key=lambda d: (payoffs[d], -DEVIATIONS.index(d)))
    binding = failing[0] if failing else worst
    a = attacks[worst]
    best_attack = {"deviation": worst, "strategy": a.strategy, "classes": a.classes, "cheated": a.cheated, "payoff_usd": a.payoff_usd}
    from otr_theory.payoffs.corruption import exposure_usd, required_stake

    exposure = exposure_usd(base["wrong_output"])
    need_stake = max(required_stake(base[d]) for d in DEVIATIONS)
    return PointRecord(
        slash_usd=S,
        spot_check_rate=rho,
        window_s=W,
        count=n,
        payoffs_usd=payoffs,
        payoffs_eq_usd=payoffs_eq,
        margin_usd=margin,
        margin_eq_usd=margin_eq,
        required_margin_usd=m,
        detection=p,
        detection_eq=p_eq,
        monitoring_rate=y,
        fraud_rate=x,
        constraints=constraints,
        secure=secure,
        secure_eq=secure_eq,
        min_window_s=w_min,
        cost_usd=float(cost["total_usd"]),
        cost_components_usd={k: float(cost[k]) for k in ("proof_usd", "capital_usd", "monitoring_usd")},
        final_s=final_s,
        binding=binding,
        best_attack=best_attack,
        one_query_margin_usd=min(-x for x in one.values()),
        exposure_usd=exposure,
        required_stake_usd=need_stake,
        proof_window_s=w_proof,
    )
