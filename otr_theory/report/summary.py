"""The report's first screen: the verdict, read off the sections' results.

A protocol economist opens the report to learn four things before anything else: is the
configured protocol secure (every theorem proved, and the best strategy a compromised prover can
play *over time* -- cheat until caught, keep cheating during the detection lag, slashed once --
loses at least the declared margin: cost of corruption against profit from corruption,
:mod:`otr_theory.payoffs.corruption`), by what margin and at what cost; if not, the best attack,
its expected profit, the stake that would deter it and the assumptions it rests on (the
one-query condition stays visible, labelled as what it is); what the cheapest secure point is and whether
a box around it is certified; and how that compares with the baselines (a centralized API, ZKML,
opML, PoQ). :func:`verdict` renders the :class:`~otr_theory.verdict.Verdict` record, which
:func:`otr_theory.verdict.verdict_of` assembles from the sections' records -- nothing is computed
here, so the summary cannot disagree with the body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otr_theory.fmt import fmt_duration, fmt_usd
from otr_theory.model import Model
from otr_theory.report.core import Section, fmt, jsonable, md_table
from otr_theory.verdict import verdict_of

__all__ = ["verdict", "verdict_record"]


def _usd(x: Any) -> str:
    return fmt_usd(x)


def _dur(s: Any) -> str:
    return fmt_duration(s)


def _results(sections: Sequence[Section]) -> dict[str, Any]:
    return {s.key: jsonable(s.results) for s in sections}


def verdict_record(model: Model, sections: Sequence[Section]) -> dict[str, Any]:
    """The verdict as data (results.json's ``verdict``): :func:`otr_theory.verdict.verdict_of` on
    the sections' records (each section's results are its area record's ``to_dict()``), so the
    report, ``otr_theory.analyse(model).verdict`` and the command line read one record."""
    return verdict_of(_results(sections), model.scheme).to_dict()


def _attack_words(v: Mapping[str, Any]) -> str:
    """The over-time verdict in words: best attack, profit, deterring stake, assumptions, and the
    one-query condition labelled as what it is ("" where the regimes section is absent)."""
    at = v.get("attack")
    if not at:
        return ""
    out = []
    if at.get("strategy") == "none":
        out.append("No attack is possible: no TEE compromise episode in which to forge results.")
    else:
        profit = at.get("payoff_usd")
        out.append(
            f"Best attack over time (spot-checks only): a compromised prover plays `{at.get('deviation')}` -- {v.get('attack_description')}, "
            f"cheating on every query during the {_dur(v.get('lag_s'))} detection lag, slashed once -- with an expected profit of **{_usd(profit)}**."
        )
        need, have = v.get("required_stake_usd"), v.get("model_stake_usd")
        if isinstance(need, (int, float)) and isinstance(have, (int, float)):
            if need > have:
                out.append(
                    f"**The stake of {_usd(have)} at rho = {fmt(v.get('spot_check_rate'))} is not enough: {_usd(need)} would deter it** "
                    f"(exposure between a fraud and its slash: {_usd(v.get('exposure_usd'))})."
                )
            else:
                out.append(f"The stake of {_usd(have)} deters it ({_usd(need)} needed at rho = {fmt(v.get('spot_check_rate'))}).")
        elif need is None:
            out.append("No finite stake deters it at the model's rho.")
    asm = v.get("assumptions") or {}
    if asm:
        out.append(
            f"Assumptions: gains realised at {asm.get('gain_realisation')} finality; pending results "
            f"{'reverted' if asm.get('revert_pending_on_slash') else 'not reverted'} on a slash; franchise value "
            f"{_usd(asm.get('franchise_usd'))} (permissionless re-entry); the prover "
            f"{'can' if asm.get('self_challenge') else 'cannot'} challenge itself through a Sybil and recover the reward share; "
            f"loss convention `{asm.get('convention')}`."
        )
    if v.get("one_query_payoff_usd") is not None:
        out.append(
            f"The one-query condition -- one cheated query against a fresh stake, no detection lag -- gives "
            f"{_usd(v['one_query_payoff_usd'])} ({'deterred' if v.get('one_query_secure') else 'not deterred'}); it is not the security criterion."
        )
    for label, x in (v.get("variants") or {}).items():
        ch = x.get("cheapest") or {}
        out.append(
            f"With {label}: best attack {_usd(x.get('attack_payoff_usd'))}, stake needed {_usd(x.get('required_stake_usd'))}"
            + (f"; cheapest secure point S = {_usd(ch.get('slash_usd'))}, rho = {fmt(ch.get('spot_check_rate'))}, W = {_dur(ch.get('window_s'))}, {_usd(ch.get('cost_usd'))} per query" if ch else "")
            + "."
        )
    return " " + " ".join(out) if out else ""


def verdict(model: Model, sections: Sequence[Section]) -> str:
    """The verdict in Markdown: one sentence, a table against the cheapest point and the baselines."""
    v = verdict_record(model, sections)
    counts = v["theorems"] or {}
    proved = counts.get("proved", 0)
    total = sum(counts.values()) if counts else 0
    if v["secure"]:
        head = (
            f"**Secure as configured.** {proved} of {total} safety theorems proved (z3, unbounded); the best strategy "
            f"over time of every catalogued deviation loses at least {_usd(v['margin_usd'])} with the spot-checks alone "
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
    head += _attack_words(v)
    if v.get("delay_flagged"):
        head += f" **Finality delay flagged** (liveness, not safety): {v['delay_reason']}."
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
    for t in v.get("baselines") or []:
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
    table = md_table(["", "cost per query", "provisional finality", "final finality", "security margin over time", "secure"], rows)
    return head + "\n\n" + table
