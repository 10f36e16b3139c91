"""The report's first screen: the verdict, read off the sections' results.

A protocol economist opens the report to learn four things before anything else: is the
configured protocol secure (every theorem proved, every catalogued deviation deterred by the
declared margin), by what margin and at what cost; what the cheapest secure point is and whether
a box around it is certified; and how that compares with the baselines (a centralized API, ZKML,
opML, PoQ). :func:`verdict` assembles exactly that from the results the sections already
computed -- nothing is recomputed here, so the summary cannot disagree with the body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otr_theory.model import Model
from otr_theory.report.core import Section, fmt, jsonable, md_table
from otr_theory.report.fmt import fmt_duration, fmt_usd

__all__ = ["verdict", "verdict_record"]


def _get(d: Any, *path: str, default: Any = None) -> Any:
    for k in path:
        if not isinstance(d, Mapping) or k not in d:
            return default
        d = d[k]
    return d


def _usd(x: Any) -> str:
    return fmt_usd(x)


def _dur(s: Any) -> str:
    return fmt_duration(s)


def _results(sections: Sequence[Section]) -> dict[str, Any]:
    return {s.key: jsonable(s.results) for s in sections}


def verdict_record(model: Model, sections: Sequence[Section]) -> dict[str, Any]:
    """The verdict as data (goes into results.json under ``verdict``)."""
    r = _results(sections)
    counts = _get(r, "theorems", "counts", default={}) or {}
    point = _get(r, "regimes", "model_point", "point", default={}) or {}
    cheapest = _get(r, "regimes", "cheapest", "point", default=None)
    recommended = _get(r, "regimes", "recommended", default=None)
    certs = _get(r, "regimes", "certificates", default=[]) or []
    rec_cert = next((c for c in certs if str(c.get("label", "")).startswith("recommended")), None)
    theorems_ok = bool(counts) and counts.get("violated", 0) == 0 and counts.get("unknown", 0) == 0
    incentives_ok = bool(point.get("secure", False))
    return {
        "secure": theorems_ok and incentives_ok,
        "theorems": counts,
        "incentives_secure_spot_checks_only": incentives_ok,
        "margin_usd": point.get("margin_usd"),
        "required_margin_usd": point.get("required_margin_usd"),
        "binding": point.get("binding"),
        "cost_usd_per_query": _get(r, "calibration", "query", "cost", "total_usd"),
        "centralized_cost_usd_per_query": _get(r, "calibration", "query", "cost", "centralized_usd"),
        "provisional_finality_s": _get(r, "calibration", "query", "latency", "provisional_s"),
        "final_finality_s": _get(r, "calibration", "query", "latency", "final_s"),
        "cheapest": None
        if cheapest is None
        else {k: cheapest.get(k) for k in ("slash_usd", "spot_check_rate", "window_s", "count", "margin_usd", "cost_usd")},
        "recommended": None
        if recommended is None
        else {
            "point": {k: recommended["point"].get(k) for k in ("slash_usd", "spot_check_rate", "window_s", "margin_usd", "cost_usd")},
            "box": recommended.get("box"),
            "certificate": None if rec_cert is None else rec_cert.get("status"),
        },
    }


def verdict(model: Model, sections: Sequence[Section]) -> str:
    """The verdict in Markdown: one sentence, a table against the cheapest point and the baselines."""
    v = verdict_record(model, sections)
    r = _results(sections)
    counts = v["theorems"] or {}
    proved = counts.get("proved", 0)
    total = sum(counts.values()) if counts else 0
    if v["secure"]:
        head = (
            f"**Secure as configured.** {proved} of {total} safety theorems proved (z3, unbounded); every catalogued "
            f"deviation is deterred by the spot-checks alone with a margin of {_usd(v['margin_usd'])} per cheated query "
            f"(required {_usd(v['required_margin_usd'])}; tightest: `{v['binding']}`)."
        )
    else:
        why = []
        if counts.get("violated"):
            why.append(f"{counts['violated']} theorem(s) violated")
        if counts.get("unknown"):
            why.append(f"{counts['unknown']} theorem(s) unknown (not proved)")
        if not v["incentives_secure_spot_checks_only"]:
            why.append(f"incentives fail (binding: `{v['binding']}`, margin {_usd(v['margin_usd'])})")
        head = "**NOT secure as configured:** " + "; ".join(why or ["see below"]) + "."
    rows = [
        (
            "this model",
            _usd(v["cost_usd_per_query"]),
            _dur(v["provisional_finality_s"]),
            _dur(v["final_finality_s"]),
            _usd(v["margin_usd"]),
            "yes" if v["secure"] else "no",
        )
    ]
    ch = v["cheapest"]
    if ch:
        rows.append(
            (
                f"cheapest secure point (S = {_usd(ch['slash_usd'])}, rho = {fmt(ch['spot_check_rate'])}, W = {_dur(ch['window_s'])})",
                _usd(ch["cost_usd"]),
                _dur(v["provisional_finality_s"]),
                _dur(ch["window_s"]),
                _usd(ch["margin_usd"]),
                "yes (boundary)",
            )
        )
    rec = v["recommended"]
    if rec:
        p = rec["point"]
        rows.append(
            (
                f"recommended: cheapest with a ±5% box (S = {_usd(p['slash_usd'])}, rho = {fmt(p['spot_check_rate'])}, W = {_dur(p['window_s'])})",
                _usd(p["cost_usd"]),
                _dur(v["provisional_finality_s"]),
                _dur(p["window_s"]),
                _usd(p["margin_usd"]),
                f"box certificate: {rec['certificate'] or 'none'}",
            )
        )
    for t in _get(r, "calibration", "trilemma", default=[]) or []:
        if t.get("scheme") == model.scheme:
            continue
        rows.append(
            (
                f"baseline: {t.get('scheme')} ({t.get('integrity_basis', '')})",
                _usd(t.get("cost_usd")),
                _dur(t.get("provisional_s")),
                _dur(t.get("final_s")),
                "",
                f"detection of a cheat with idle challengers: {fmt(t.get('detection_idle'))}",
            )
        )
    table = md_table(["", "cost per query", "provisional finality", "final finality", "security margin", "secure"], rows)
    return head + "\n\n" + table
