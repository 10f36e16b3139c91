"""Deterrence conditions of one deviation, vectorized (numpy), and the model-level inputs to them.

The equations are stated once in :mod:`otr_theory.payoffs`; this module implements the numeric
side: detection probability, the payoff of a deviation relative to honesty under either loss
convention, the thresholds S*, p*, rho*, the per-epoch payoffs and the challenger's bond.

Every function here broadcasts over numpy arrays and returns numpy float scalars for scalar
inputs. Thresholds that do not exist are returned as ``inf`` (never ``nan``):

* :func:`min_deterring_slash` is ``inf`` where no finite slash deters (detection 0 and a
  positive gain or margin);
* :func:`min_detection` returns the raw ratio, which is ``> 1`` (possibly ``inf``) where no
  detection probability deters;
* :func:`min_spot_check_rate` is in [0, 1] where a rate deters and ``inf`` where none does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.model import DAYS_PER_YEAR, SECONDS_PER_YEAR, replica_query_rate  # the one year length (issue 14), re-exported
from otr_theory.payoffs._checks import (
    CONVENTIONS,
    DEVIATIONS,
    PayoffError,
    as_float_array,
    check_convention,
    check_deviation,
    field,
    nonnegative,
    probability,
    scalar_or_array,
)

__all__ = [
    "CONVENTIONS",
    "DAYS_PER_YEAR",
    "DEVIATIONS",
    "GAIN_FIELDS",
    "SECONDS_PER_YEAR",
    "PayoffError",
    "capital_cost_usd",
    "compromise_probability",
    "detection_probability",
    "deterrence_margin",
    "deviation_detection",
    "deviation_gain",
    "deviation_payoff",
    "effective_spot_check_rate",
    "epoch_deviation_payoff",
    "frivolous_challenge_payoff",
    "full_load_queries",
    "honest_cost_usd_per_query",
    "honest_epoch_profit",
    "is_deterred",
    "max_epoch_deviation",
    "min_deterring_slash",
    "min_detection",
    "min_spot_check_rate",
    "MINIMUM_SLASH_VARIANTS",
    "minimum_slash",
    "resolve",
]


GAIN_FIELDS: Mapping[str, str] = {
    "wrong_output": "external_gain_usd",
    "model_downgrade": "downgrade_saving_usd_per_query",
    "skip_work": "skip_saving_usd_per_query",
}
"""The model field holding each deviation's gain per query."""


@dataclasses.dataclass(frozen=True)
class _Switches:
    attestation_check: bool = True
    randomness_after_commit: bool = True
    slash_on_missed_proof: bool = True


def resolve(values: Any, protocol: Any = None) -> tuple[Mapping[str, Any], Any]:
    """``(values, protocol)`` from a Model or a values Mapping (switches default to the paper's).

    ``protocol`` may be a :class:`otr_theory.model.Protocol`, a Mapping of switches, or None (the
    Model's own switches, or all switches on).
    """
    if hasattr(values, "quantities") and hasattr(values, "protocol"):
        protocol = values.protocol if protocol is None else protocol
        values = values.values()
    if protocol is None:
        protocol = _Switches()
    elif isinstance(protocol, Mapping):
        unknown = set(protocol) - {f.name for f in dataclasses.fields(_Switches)}
        if unknown:
            raise PayoffError("protocol", "unknown switch", sorted(unknown)[0])
        protocol = _Switches(**protocol)
    if not isinstance(values, Mapping):
        raise PayoffError("values", "must be a Mapping of field name to value (Model.values()) or a Model", type(values).__name__)
    return values, protocol


def _num(values: Mapping[str, Any], key: str) -> np.ndarray:
    return as_float_array(f"values[{key!r}]", field(values, key))


# ---------------------------------------------------------------------------------------------
# detection and the payoff of one deviation


def detection_probability(spot_check_rate, challenger_detection=0.0):
    """Probability that a cheated query is caught: :math:`p = 1 - (1-\\rho)(1-q)`.

    Parameters
    ----------
    spot_check_rate : float or array
        rho, the probability that the query is spot-checked (and the missing proof slashed).
    challenger_detection : float or array, optional
        q, the probability that at least one challenger re-executes the query.

    Returns
    -------
    float or ndarray

    Raises
    ------
    PayoffError
        If an argument is not a probability.

    Examples
    --------
    >>> round(float(detection_probability(0.01, 0.5)), 12)
    0.505
    >>> detection_probability([0.0, 1.0]).tolist()
    [0.0, 1.0]
    """
    r = probability("spot_check_rate", spot_check_rate)
    q = probability("challenger_detection", challenger_detection)
    return scalar_or_array(1.0 - (1.0 - r) * (1.0 - q))


def deviation_payoff(gain_usd, slash_usd, detection, convention):
    """Expected payoff of a deviation relative to honesty, per query.

    ``forfeit``: :math:`(1-p)G - pS`; ``keep`` (Becker): :math:`G - pS`.

    Examples
    --------
    >>> float(deviation_payoff(100.0, 9900.0, 0.01, "forfeit"))
    0.0
    >>> float(deviation_payoff(100.0, 9900.0, 0.01, "keep"))
    1.0
    """
    conv = check_convention(convention)
    g = nonnegative("gain_usd", gain_usd)
    s = nonnegative("slash_usd", slash_usd)
    p = probability("detection", detection)
    out = (1.0 - p) * g - p * s if conv == "forfeit" else g - p * s
    return scalar_or_array(out)


def deterrence_margin(gain_usd, slash_usd, detection, convention, *, margin_usd=0.0):
    """How far a deviation is from paying: :math:`-\\mathrm{payoff} - m`; deterred iff >= 0.

    Examples
    --------
    >>> float(deterrence_margin(100.0, 100_000.0, 0.01, "forfeit", margin_usd=1.0))
    900.0
    """
    m = nonnegative("margin_usd", margin_usd)
    return scalar_or_array(-np.asarray(deviation_payoff(gain_usd, slash_usd, detection, convention)) - m)


def is_deterred(gain_usd, slash_usd, detection, convention, *, margin_usd=0.0):
    """True where the deviation pays at most :math:`-m`: payoff <= -margin (equality deters).

    Examples
    --------
    >>> bool(is_deterred(100.0, 9900.0, 0.01, "forfeit"))
    True
    >>> bool(is_deterred(100.0, 9900.0, 0.01, "forfeit", margin_usd=1.0))
    False
    """
    out = np.asarray(deterrence_margin(gain_usd, slash_usd, detection, convention, margin_usd=margin_usd)) >= 0.0
    return out[()] if out.ndim == 0 else out


def min_deterring_slash(gain_usd, detection, convention, *, margin_usd=0.0):
    """Minimum slash that deters a deviation worth ``gain_usd`` caught with probability ``detection``.

    ``forfeit``: :math:`S^* = ((1-p)G + m)/p`; ``keep``: :math:`S^* = (G + m)/p`. Where
    ``detection`` is 0 no finite slash deters a positive gain or margin: ``inf`` (and 0 when
    the numerator is 0: nothing to deter).

    Parameters
    ----------
    gain_usd : float or array
        G, what the deviation gains per query (USD).
    detection : float or array
        p, the probability that the deviation is caught.
    convention : {"forfeit", "keep"}
    margin_usd : float or array, optional
        m, by how much the deviation must lose (USD).

    Returns
    -------
    float or ndarray
        S* in USD, ``inf`` where none exists.

    Raises
    ------
    PayoffError
        On an unknown convention, a negative gain or margin, a detection outside [0, 1].

    Examples
    --------
    >>> float(min_deterring_slash(100.0, 0.01, "forfeit"))
    9900.0
    >>> float(min_deterring_slash(100.0, 0.01, "keep"))
    10000.0
    >>> float(min_deterring_slash(100.0, 0.01, "forfeit", margin_usd=1.0))
    10000.0
    >>> float(min_deterring_slash(100.0, 0.0, "keep"))
    inf
    >>> min_deterring_slash(1.0, 0.5, "Keep")
    Traceback (most recent call last):
    ...
    otr_theory.payoffs._checks.PayoffError: convention: must be 'forfeit' or 'keep' (got 'Keep')
    """
    conv = check_convention(convention)
    g = nonnegative("gain_usd", gain_usd)
    p = probability("detection", detection)
    m = nonnegative("margin_usd", margin_usd)
    num = (1.0 - p) * g + m if conv == "forfeit" else g + m
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p > 0, num / np.where(p > 0, p, 1.0), np.where(num > 0, np.inf, 0.0))
    return scalar_or_array(out)


MINIMUM_SLASH_VARIANTS: tuple[str, ...] = ("one_query", "break_even", "over_time")
"""The named variants of the minimum slash (:func:`minimum_slash`)."""


def minimum_slash(model, deviation="wrong_output", *, variant="one_query", convention=None, challenger_detection=0.0, protocol=None) -> Any:
    """The minimum slash of a model: the one definition, with its named variants (ours).

    Every place that states "the minimum slash" (the report's incentives, equilibria and
    deterrence sections, the simulation's claims, the regimes) calls this function; the variants
    really differ and say which question they answer:

    ``"one_query"`` (the default): the least S that deters one deviation on one query against a
        fresh stake *by the margin m*, with a compromised TEE and detection
        :math:`p = 1-(1-\\rho_{\\mathrm{eff}})(1-q)` (q = ``challenger_detection``, 0: spot-checks
        alone): :math:`S^* = ((1-p)G + m)/p` (forfeit), :math:`(G+m)/p` (keep)
        (:func:`min_deterring_slash`). $10,000 for the default model (G = $100, rho = 0.01, m = $1).
    ``"break_even"``: the same without the margin, where the deviation's payoff is exactly 0
        (A = 0 in the inspection game: above it the spot-checks alone deter and the game's
        equilibrium is pure, honest and idle): :math:`(1-p)G/p` (forfeit), :math:`G/p` (keep).
        $9,900 for the default model.
    ``"over_time"``: the stake that deters every strategy in time of the deviation (cheat until
        caught, through the detection lag; one slash), by the margin:
        :func:`otr_theory.payoffs.corruption.required_stake` (needs a Model; the
        ``challenger_detection`` and ``convention`` arguments do not apply: the model's
        convention and reading ``spot_checks_only`` are used).

    Parameters
    ----------
    model : Model or Mapping
        A mapping of values is enough for ``one_query`` and ``break_even``.
    deviation : str or None
        One of :data:`DEVIATIONS`; None: the largest over the deviations (the slash that deters
        them all).
    variant : {"one_query", "break_even", "over_time"}
    convention : {"forfeit", "keep"}, optional
        Default: the model's ``loss_convention`` (``forfeit`` for a mapping).
    challenger_detection : float, optional
        q (default 0).
    protocol : Protocol or Mapping, optional

    Returns
    -------
    float or ndarray
        USD; ``inf`` where no slash deters. Exact (rationals, one rounding) for scalar inputs; an
        array, elementwise, where the values hold arrays (``one_query`` and ``break_even``: a grid
        of rho, q or gains, as the regime figures draw).

    Raises
    ------
    PayoffError
        On an unknown variant or deviation, or ``over_time`` without a Model.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> minimum_slash(m), minimum_slash(m, variant="break_even")
    (10000.0, 9900.0)
    >>> round(minimum_slash(m, None, variant="over_time") / 1e6, 1)
    56.1
    >>> np.round(minimum_slash({**m.values(), "spot_check_rate": np.array([0.01, 0.1, 0.0])}, convention="forfeit"), 6).tolist()
    [10000.0, 910.0, inf]
    >>> minimum_slash(m, variant="per_window")
    Traceback (most recent call last):
    ...
    otr_theory.payoffs._checks.PayoffError: variant: must be one of one_query, break_even, over_time (got 'per_window')
    """
    if variant not in MINIMUM_SLASH_VARIANTS:
        raise PayoffError("variant", "must be one of " + ", ".join(MINIMUM_SLASH_VARIANTS), variant)
    devs = DEVIATIONS if deviation is None else (check_deviation(deviation),)
    if variant == "over_time":
        if not hasattr(model, "loss_convention"):
            raise PayoffError("model", "must be a Model for the over_time variant", type(model).__name__)
        from otr_theory.payoffs.corruption import corruption_inputs, required_stake

        return float(max(required_stake(corruption_inputs(model, d)) for d in devs))
    conv = check_convention(convention if convention is not None else getattr(model, "loss_convention", "forfeit"))
    values, protocol = resolve(model, protocol)
    m = float(field(values, "incentive_margin_usd")) if variant == "one_query" else 0.0
    q = probability("challenger_detection", challenger_detection)
    rho = effective_spot_check_rate(values, protocol=protocol)
    out = []
    for d in devs:
        g = deviation_gain(values, d)
        if np.ndim(g) == 0 and np.ndim(rho) == 0 and np.ndim(q) == 0:
            # exact in rationals (the decimal inputs as written), one rounding at the end
            fg, frho, fq, fm = (Fraction(repr(float(x))) for x in (g, rho, q, m))
            p = 1 - (1 - frho) * (1 - fq)
            num = ((1 - p) * fg + fm) if conv == "forfeit" else fg + fm
            out.append(float(num / p) if p > 0 else (math.inf if num > 0 else 0.0))
        else:  # arrays (a grid of rho, q or gains): elementwise, in floats
            p = deviation_detection(values, d, challenger_detection=challenger_detection, protocol=protocol)
            out.append(np.asarray(min_deterring_slash(g, p, conv, margin_usd=m), dtype=float))
    if all(np.ndim(x) == 0 for x in out):
        return float(max(out))
    return scalar_or_array(np.maximum.reduce(np.broadcast_arrays(*out)))


def min_detection(gain_usd, slash_usd, convention, *, margin_usd=0.0):
    """Minimum detection probability that deters: :math:`p^* = (G+m)/(G+S)` or :math:`(G+m)/S`.

    The raw ratio is returned: a value above 1 (``inf`` where the denominator is 0 and the
    numerator is not) means that no detection probability deters; 0 where nothing needs deterring.

    Examples
    --------
    >>> float(min_detection(100.0, 9900.0, "forfeit"))
    0.01
    >>> float(min_detection(100.0, 10_000.0, "keep"))
    0.01
    >>> float(min_detection(100.0, 50.0, "keep"))  # Becker: S < G never deters
    2.0
    """
    conv = check_convention(convention)
    g = nonnegative("gain_usd", gain_usd)
    s = nonnegative("slash_usd", slash_usd)
    m = nonnegative("margin_usd", margin_usd)
    num = g + m
    den = g + s if conv == "forfeit" else s
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a huge ratio is a true inf
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.where(num > 0, np.inf, 0.0))
    return scalar_or_array(out)


def min_spot_check_rate(gain_usd, slash_usd, convention, *, challenger_detection=0.0, margin_usd=0.0):
    """Minimum spot-check rate that deters: :math:`\\rho^* = \\max(0, 1 - (1-p^*)/(1-q))`.

    Returns a rate in [0, 1] where one deters, and ``inf`` where none does (:math:`p^* > 1`).
    With :math:`q = 1` the challengers alone catch everything: 0 whenever :math:`p^* \\le 1`.

    Examples
    --------
    >>> round(float(min_spot_check_rate(100.0, 9900.0, "forfeit")), 12)
    0.01
    >>> round(float(min_spot_check_rate(100.0, 9900.0, "forfeit", challenger_detection=0.5)), 12)
    0.0
    >>> float(min_spot_check_rate(100.0, 50.0, "keep"))
    inf
    """
    p_star = np.asarray(min_detection(gain_usd, slash_usd, convention, margin_usd=margin_usd))
    q = probability("challenger_detection", challenger_detection)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = 1.0 - (1.0 - p_star) / np.where(q < 1, 1.0 - q, 1.0)
    rate = np.where(q < 1, np.maximum(raw, 0.0), 0.0)
    return scalar_or_array(np.where(p_star <= 1.0, rate, np.inf))


# ---------------------------------------------------------------------------------------------
# the model's inputs


def compromise_probability(values) -> Any:
    """h: probability that a prover's TEE can forge attestations at a given query.

    Vulnerability windows arrive as a Poisson process at rate lambda per year and stay open
    D days; the fraction of time at least one is open is :math:`1 - e^{-\\lambda D/365.25}`
    (an M/D/infinity queue is empty with probability :math:`e^{-\\lambda D}`), and a fraction
    f of provers can exploit an open window: :math:`h = f\\,(1 - e^{-\\lambda D})`.

    Parameters
    ----------
    values : Mapping or Model
        ``compromised_fraction``, ``compromise_rate_per_year``, ``compromise_duration_days``.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> round(float(compromise_probability(load_model().values())), 6)
    0.011592
    """
    values, _ = resolve(values)
    f = probability("values['compromised_fraction']", field(values, "compromised_fraction"))
    lam = nonnegative("values['compromise_rate_per_year']", field(values, "compromise_rate_per_year"))
    d = nonnegative("values['compromise_duration_days']", field(values, "compromise_duration_days"))
    return scalar_or_array(f * -np.expm1(-lam * d / DAYS_PER_YEAR))


def deviation_gain(values, deviation) -> Any:
    """The gain per query of a catalogued deviation: g, dc or ds (USD).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> v = load_model().values()
    >>> [float(deviation_gain(v, d)) for d in DEVIATIONS]
    [100.0, 0.0002298, 0.0002646]
    >>> deviation_gain(v, "bribe")
    Traceback (most recent call last):
    ...
    otr_theory.payoffs._checks.PayoffError: deviation: must be one of wrong_output, model_downgrade, skip_work (got 'bribe')
    """
    values, _ = resolve(values)
    key = GAIN_FIELDS[check_deviation(deviation)]
    return scalar_or_array(nonnegative(f"values[{key!r}]", field(values, key)))


def effective_spot_check_rate(values, *, protocol=None) -> Any:
    """The spot-check rate that deters: rho, or 0 if the prover knows the selection before it
    commits (``randomness_after_commit = false``) or a missed proof is not slashed
    (``slash_on_missed_proof = false``).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> float(effective_spot_check_rate(m)), float(effective_spot_check_rate(m, protocol={"randomness_after_commit": False}))
    (0.01, 0.0)
    """
    values, protocol = resolve(values, protocol)
    rho = probability("values['spot_check_rate']", field(values, "spot_check_rate"))
    bites = bool(protocol.randomness_after_commit and protocol.slash_on_missed_proof)
    return scalar_or_array(rho if bites else np.zeros_like(rho))


def deviation_detection(values, deviation="wrong_output", *, challenger_detection=0.0, compromised=True, protocol=None) -> Any:
    """Probability that a deviation is caught.

    With an intact TEE and the attestation check the forged result is rejected: 1. Otherwise
    (``compromised=True``, the case that matters for incentives, or no attestation check) only
    the spot-checks and challengers remain: :math:`1 - (1-\\rho_{\\mathrm{eff}})(1-q)`.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> float(deviation_detection(m, "model_downgrade", compromised=False))
    1.0
    >>> round(float(deviation_detection(m, "model_downgrade")), 12)
    0.01
    """
    check_deviation(deviation)
    values, protocol = resolve(values, protocol)
    p = np.asarray(detection_probability(effective_spot_check_rate(values, protocol=protocol), challenger_detection))
    if not compromised and protocol.attestation_check:
        p = np.ones_like(p)
    return scalar_or_array(p)


# ---------------------------------------------------------------------------------------------
# per epoch (one challenge window)


def capital_cost_usd(stake_usd, rate_per_year, duration_s):
    """Capital cost of a stake locked for ``duration_s``: stake x rate x duration / year
    (simple interest; ours).

    Examples
    --------
    >>> round(float(capital_cost_usd(100_000.0, 0.05, 86_400.0)), 4)
    13.6893
    """
    st = nonnegative("stake_usd", stake_usd)
    r = nonnegative("rate_per_year", rate_per_year)
    t = nonnegative("duration_s", duration_s)
    return scalar_or_array(st * r * t / SECONDS_PER_YEAR)


def full_load_queries(values, duration_s=None) -> Any:
    """Queries one replica serves in ``duration_s`` (default: the challenge window) at full load:
    ``floor(duration * replica_query_rate(values))``, the one throughput definition
    (:func:`otr_theory.model.replica_query_rate`, Confidential-Computing overhead included; ours).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> int(full_load_queries(load_model()))  # 86,400 s x 5.753 queries/s
    497063
    """
    values, _ = resolve(values)
    t = _num(values, "window_s") if duration_s is None else nonnegative("duration_s", duration_s)
    keys = ("gpus_per_replica", "tee_overhead_fraction", "tokens_out_per_query", "decode_tokens_per_s_per_gpu", "tokens_in_per_query", "prefill_tokens_per_s_per_gpu")
    return scalar_or_array(np.floor(t * replica_query_rate({k: _num(values, k) for k in keys})))


def honest_cost_usd_per_query(values) -> Any:
    """What an honest prover spends per query: compute (ds, the saving of skipping it), the
    expected ZK proof (rho x proof cost) and its share of the commitment's gas (ours).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> round(float(honest_cost_usd_per_query(load_model())), 6)
    0.006482
    """
    values, _ = resolve(values)
    gas_usd = _num(values, "commit_gas") * _num(values, "gas_price_gwei") * 1e-9 * _num(values, "eth_price_usd")
    out = _num(values, "skip_saving_usd_per_query") + _num(values, "spot_check_rate") * _num(values, "proof_cost_usd") + gas_usd / _num(values, "queries_per_commit")
    return scalar_or_array(out)


def honest_epoch_profit(values, queries, *, cost_usd_per_query=None) -> Any:
    """An honest prover's profit over one challenge window W with Q queries (ours):
    :math:`\\Pi = Q(f - k) - \\mathrm{stake}\\,r\\,W/\\mathrm{year}`.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> round(float(honest_epoch_profit(load_model(), 10_000, cost_usd_per_query=0.0)), 2)
    1486.31
    """
    values, _ = resolve(values)
    q = nonnegative("queries", queries)
    k = honest_cost_usd_per_query(values) if cost_usd_per_query is None else nonnegative("cost_usd_per_query", cost_usd_per_query)
    cap = capital_cost_usd(field(values, "stake_usd"), field(values, "capital_cost_rate_per_year"), field(values, "window_s"))
    return scalar_or_array(q * (_num(values, "fee_usd_per_query") - k) - cap)


def epoch_deviation_payoff(gain_usd, slash_usd, detection, deviations, convention):
    """Payoff relative to honesty of deviating on ``k`` queries of one epoch, slashed at most
    once (the stake is slashed once; ours): :math:`P_k = 1-(1-p)^k`,
    forfeit :math:`(1-P_k)kG - P_kS`, keep :math:`kG - P_kS`.

    Examples
    --------
    >>> round(float(epoch_deviation_payoff(100.0, 9900.0, 0.01, 1, "forfeit")), 9)
    -0.0
    >>> round(float(epoch_deviation_payoff(1.0, 100.0, 0.01, 1000, "keep")), 3)
    900.004
    """
    conv = check_convention(convention)
    g = nonnegative("gain_usd", gain_usd)
    s = nonnegative("slash_usd", slash_usd)
    p = probability("detection", detection)
    k = nonnegative("deviations", deviations)
    with np.errstate(divide="ignore", invalid="ignore"):
        survive = np.where(p < 1, np.exp(k * np.log1p(-np.where(p < 1, p, 0.0))), np.where(k > 0, 0.0, 1.0))
    caught = 1.0 - survive
    out = survive * k * g - caught * s if conv == "forfeit" else k * g - caught * s
    return scalar_or_array(out)


def max_epoch_deviation(gain_usd, slash_usd, detection, queries, convention) -> tuple[float, float]:
    """The most profitable number of deviations in an epoch of ``queries`` and its payoff (ours).

    keep: the payoff is convex in k, so the best k is 1 or Q. forfeit: with
    :math:`u = 1-p`, :math:`u^k(kG+S) - S` peaks at :math:`k = -1/\\ln u - S/G`; the best integer
    k is the floor or ceiling of that, clipped to [1, Q].

    Returns
    -------
    (k, payoff) : (int, float)

    Examples
    --------
    >>> k, payoff = max_epoch_deviation(100.0, 100_000.0, 0.01, 1000, "forfeit")
    >>> k, round(payoff, 9)
    (1, -901.0)
    >>> max_epoch_deviation(1.0, 100.0, 0.01, 1000, "keep")[0]
    1000
    """
    conv = check_convention(convention)
    g = float(nonnegative("gain_usd", gain_usd))
    s = float(nonnegative("slash_usd", slash_usd))
    p = float(probability("detection", detection))
    qn = float(nonnegative("queries", queries))
    if qn < 1 or qn != math.floor(qn):
        raise PayoffError("queries", "must be an integer >= 1", queries)
    cands = {1, int(qn)}
    if conv == "forfeit" and 0 < p < 1 and g > 0:
        k0 = -1.0 / math.log1p(-p) - s / g
        for k in (math.floor(k0), math.ceil(k0)):
            cands.add(int(min(max(k, 1), qn)))
    best = max(sorted(cands), key=lambda k: (float(epoch_deviation_payoff(g, s, p, k, conv)), -k))
    return best, float(epoch_deviation_payoff(g, s, p, best, conv))


def frivolous_challenge_payoff(bond_usd, *, grief_gain_usd=0.0, open_cost_usd=0.0):
    """Payoff of challenging an honest result: the bond is forfeited (ours):
    :math:`\\mathrm{grief} - \\mathrm{bond} - \\mathrm{open\\ cost}`; unprofitable iff <= -m.

    Examples
    --------
    >>> float(frivolous_challenge_payoff(1000.0, grief_gain_usd=10.0, open_cost_usd=0.3))
    -990.3
    """
    b = nonnegative("bond_usd", bond_usd)
    gg = nonnegative("grief_gain_usd", grief_gain_usd)
    oc = nonnegative("open_cost_usd", open_cost_usd)
    return scalar_or_array(gg - b - oc)
