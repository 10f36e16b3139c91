"""The verdict: is the configured protocol secure, and if not, the best attack and what deters it.

:class:`Verdict` is the record the report's first screen, ``otr-analyze report``'s terminal line,
results.json's ``verdict`` and the notebooks read. :func:`verdict_of` assembles it from the other
areas' records (their ``to_dict()``), so nothing is recomputed: the verdict cannot disagree with
the body.

Secure means: every theorem proved (z3, unbounded) **and** the best strategy over time of a
rational, possibly compromised prover (cheat until caught, keep cheating during the detection
lag, slashed once: cost of corruption against profit from corruption,
:mod:`otr_theory.payoffs.corruption`) loses at least the declared margin with the spot-checks
alone. ``status`` is ``secure``, ``insecure`` (a theorem violated or the incentives failing) or
``unknown`` (nothing violated, but a theorem undecided, or no theorems checked): ``unknown`` is
never ``secure``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from otr_theory.records import Record, quantity

__all__ = ["Verdict", "verdict_of"]


def _get(d: Any, *path: str, default: Any = None) -> Any:
    for k in path:
        if not isinstance(d, Mapping) or k not in d:
            return default
        d = d[k]
    return d


def _num(x: Any) -> float | None:
    """A float from a JSON number or an exact value ``{"value", "exact"}`` (None otherwise)."""
    if isinstance(x, Mapping) and "value" in x:
        x = x["value"]
    if x in ("inf", "-inf", "nan"):
        return float(x)
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


@dataclasses.dataclass(frozen=True, repr=False)
class Verdict(Record):
    """The verdict of one model (see the module docstring)."""

    TITLE = "the verdict: secure over time, or the best attack and what deters it"
    SUMMARY = ("status", "theorems", "attack_payoff_usd", "required_stake_usd", "model_stake_usd", "cost_usd_per_query")

    status: str = quantity("", "secure, insecure or unknown")
    secure: bool = quantity("", "every theorem proved and the best strategy over time deterred")
    theorems: dict[str, int] = quantity("count", "theorems by status (proved, violated, unknown)")
    incentives_secure_spot_checks_only: bool = quantity("", "the model's own point is secure over time with the spot-checks alone")
    margin_usd: float | None = quantity("USD", "by how much honesty beats the best strategy at the model's point", source="ours: payoffs.corruption")
    required_margin_usd: float | None = quantity("USD", "the declared margin m")
    binding: str | None = quantity("", "the tightest deviation")
    cost_usd_per_query: float | None = quantity(
        "USD/query", "the cost of one query at the model's point, every query re-executed by every challenger (calibration record: query.cost.total_usd, CostPerQuery.every_query_reexecuted)"
    )
    centralized_cost_usd_per_query: float | None = quantity("USD/query", "a centralized API's cost of one query")
    provisional_finality_s: float | None = quantity("s", "attestation-based provisional finality")
    final_finality_s: float | None = quantity("s", "final finality (window, proof deadline, dispute)")
    cheapest: dict[str, Any] | None = quantity("", "the cheapest secure point (S, rho, W, n, margin, cost)")
    recommended: dict[str, Any] | None = quantity("", "the cheapest point whose +-5% box is secure, with its certificate status")
    attack: dict[str, Any] | None = quantity("", "the best attack over time: strategy, classes, cheated queries, expected profit, deviation")
    attack_description: str | None = quantity("", "the best attack in plain words (payoffs.corruption.attack_words)")
    attack_payoff_usd: float | None = quantity("USD", "the best attack's expected profit", source="ours: payoffs.corruption.best_strategy")
    required_stake_usd: float | None = quantity("USD", "the least stake that deters the best attack at the model's rho", source="ours: payoffs.corruption.required_stake")
    model_stake_usd: float | None = quantity("USD", "the model's stake (slash)")
    spot_check_rate: float | None = quantity("probability", "the model's spot-check rate rho")
    exposure_usd: float | None = quantity("USD", "value at risk between a fraud and its slash, n L gbar")
    lag_s: float | None = quantity("s", "expected detection lag")
    one_query_payoff_usd: float | None = quantity("USD", "the one-query condition (a fresh stake, no lag): not the criterion")
    one_query_secure: bool | None = quantity("", "whether the one-query condition holds")
    one_query_margin_usd: float | None = quantity("USD", "the one-query margin")
    assumptions: dict[str, Any] | None = quantity("", "gain realisation, revert, franchise, self-challenge, convention")
    bribe: dict[str, Any] | None = quantity("", "the bribe a briber needs (over time)")
    variants: dict[str, Any] = quantity("", "what changes when gains wait for final finality, without and with revert", default_factory=dict)
    largest_secure_gains: dict[str, Any] | None = quantity("USD", "the largest gains for which each point stays secure", default=None)
    delay_flagged: bool | None = quantity("", "the dispute comparison flags a finality delay (liveness, not safety)", default=None)
    delay_reason: str | None = quantity("", "why the delay is flagged", default=None)
    baselines: tuple[dict[str, Any], ...] = quantity("", "the baselines' cost, finality and idle-challenger detection (calibration trilemma)", default=())

    TABLE = "baselines"


def _attack_words(attack: Mapping[str, Any]) -> str:
    from otr_theory.payoffs.corruption import attack_words

    return attack_words(str(attack.get("strategy", "")), str(attack.get("classes", "")), _num(attack.get("cheated")), _num(attack.get("fraction")) or 1.0)


def verdict_of(results: Mapping[str, Any], scheme: str = "") -> Verdict:
    """The verdict from the areas' plain results: ``{"theorems": ..., "regimes": ...,
    "calibration": ..., "dispute": ...}`` (each a record's ``to_dict()``; a missing area reads as
    not checked). ``scheme``: the model's own scheme, left out of the baselines."""
    r = results
    counts = dict(_get(r, "theorems", "counts", default={}) or {})
    point = _get(r, "regimes", "model_point", "point", default={}) or {}
    cheapest = _get(r, "regimes", "cheapest", "point", default=None)
    recommended = _get(r, "regimes", "recommended", default=None)
    certs = _get(r, "regimes", "certificates", default=[]) or []
    rec_cert = next((c for c in certs if str(c.get("label", "")).startswith("recommended")), None)
    theorems_ok = bool(counts) and counts.get("violated", 0) == 0 and counts.get("unknown", 0) == 0
    incentives_ok = bool(point.get("secure", False))
    a = _get(r, "regimes", "assessment", default=None) or {}
    attack = a.get("attack") or {}
    variants = _get(r, "regimes", "variants", default={}) or {}
    secure = theorems_ok and incentives_ok
    if secure:
        status = "secure"
    elif counts.get("violated", 0) or not incentives_ok:
        status = "insecure"
    else:
        status = "unknown"
    columns = _get(r, "dispute", "columns", default=None) or [{}]
    baselines = tuple(
        {k: t.get(k) for k in ("scheme", "integrity_basis", "cost_usd", "provisional_s", "final_s", "detection_idle")}
        for t in (_get(r, "calibration", "trilemma", default=[]) or [])
        if t.get("scheme") != scheme
    )
    return Verdict(
        status=status,
        secure=secure,
        theorems={str(k): int(v) for k, v in counts.items()},
        incentives_secure_spot_checks_only=incentives_ok,
        margin_usd=_num(point.get("margin_usd")),
        required_margin_usd=_num(point.get("required_margin_usd")),
        binding=point.get("binding"),
        cost_usd_per_query=_num(_get(r, "calibration", "query", "cost", "total_usd")),
        centralized_cost_usd_per_query=_num(_get(r, "calibration", "query", "cost", "centralized_usd")),
        provisional_finality_s=_num(_get(r, "calibration", "query", "latency", "provisional_s")),
        final_finality_s=_num(_get(r, "calibration", "query", "latency", "final_s")),
        cheapest=None if cheapest is None else {k: cheapest.get(k) for k in ("slash_usd", "spot_check_rate", "window_s", "count", "margin_usd", "cost_usd")},
        recommended=None
        if recommended is None
        else {
            "point": {k: recommended["point"].get(k) for k in ("slash_usd", "spot_check_rate", "window_s", "margin_usd", "cost_usd")},
            "box": recommended.get("box"),
            "certificate": None if rec_cert is None else rec_cert.get("status"),
        },
        attack=({k: attack.get(k) for k in ("strategy", "classes", "cheated", "fraction", "payoff_usd")} | {"deviation": a.get("deviation")}) if attack else None,
        attack_description=_attack_words(attack) if attack else None,
        attack_payoff_usd=_num(attack.get("payoff_usd")) if attack else None,
        required_stake_usd=_num(a.get("required_stake_usd")),
        model_stake_usd=_num(point.get("slash_usd")),
        spot_check_rate=_num(point.get("spot_check_rate")),
        exposure_usd=_num(a.get("exposure_usd")),
        lag_s=_num(a.get("lag_s")),
        one_query_payoff_usd=_num(a.get("one_query_payoff_usd")),
        one_query_secure=a.get("one_query_secure"),
        one_query_margin_usd=_num(point.get("one_query_margin_usd")),
        assumptions=a.get("assumptions"),
        bribe=a.get("bribe"),
        variants={
            label: {
                "secure": (x.get("assessment") or {}).get("secure"),
                "attack_payoff_usd": ((x.get("assessment") or {}).get("attack") or {}).get("payoff_usd"),
                "required_stake_usd": (x.get("assessment") or {}).get("required_stake_usd"),
                "cheapest": x.get("cheapest"),
            }
            for label, x in variants.items()
        },
        largest_secure_gains=_get(r, "regimes", "largest_secure_gains", default=None),
        delay_flagged=columns[0].get("delay_flagged"),
        delay_reason=columns[0].get("delay_reason"),
        baselines=baselines,
    )
