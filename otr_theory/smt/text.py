"""The check report as text and as an HTML table: what ``otr-analyze check`` prints, for notebooks too.

:func:`check_text` is the command's full output (a table of verdicts, each counterexample as a
timeline, a summary line), :func:`check_verdict_lines` the verdict alone (all that ``-q`` prints),
:func:`check_html` the table for Jupyter (:meth:`~otr_theory.smt.theorems.CheckReport._repr_html_`).
Formatting only: every number is the report's.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from otr_theory.fmt import fmt_duration

if TYPE_CHECKING:
    from otr_theory.smt.theorems import CheckReport

__all__ = ["check_html", "check_text", "check_verdict_lines"]


def _status(status: str) -> str:
    return status.upper() if status == "violated" else status


def _summary_line(report: CheckReport) -> str:
    c = report.counts()
    return (
        f"{len(report.results)} theorems: {c['proved']} proved, {c['violated']} violated, {c['unknown']} unknown, "
        f"{c['not applicable']} not applicable ({fmt_duration(report.seconds)}) -> exit {report.exit_code}"
    )


def check_verdict_lines(report: CheckReport) -> list[str]:
    """The verdict: the summary line, then each theorem not proved (violated or unknown) on its
    own line, by number and title."""
    lines = [_summary_line(report)]
    for r in report.results:
        if r.status in ("violated", "unknown"):
            lines.append(f"  {_status(r.status)}: {r.number} {r.title}")
    return lines


def check_text(report: CheckReport, *, source: str = "") -> str:
    """The text ``otr-analyze check`` prints: a table of verdicts, counterexample timelines, a
    summary line. ``source`` is the model file's path (its name is shown)."""
    st = report.strengthening
    where = f" ({Path(source).name})" if source and not source.startswith("<") else ""
    lines = [
        f"otr-analyze check: {report.model_name}{where}, scheme {report.scheme}, {report.solver}",
        f"strengthening: Houdini kept {st['lemmas_kept']} of {st['candidate_lemmas']} candidate lemmas ({st['iterations']} iterations, {fmt_duration(st['seconds'])})",
        "",
        f"  {'#':>2}  {'theorem':<30} {'status':<15} {'time':>8}  method",
    ]
    for r in report.results:
        lines.append(f"  {r.number:>2}  {r.title:<30} {_status(r.status):<15} {fmt_duration(r.seconds):>8}  {r.method}")
        if r.detail or r.status == "not applicable":  # a not-applicable theorem always says why
            lines.append(f"  {'':>2}  {'':<30} {'':<15} {'':>8}  {r.detail}")
    for r in report.results:
        if r.counterexample is not None:
            lines += ["", f"counterexample to theorem {r.number} ({r.title}):"]
            lines += [f"  {ln}" for ln in r.counterexample.lines()]
    lines += ["", _summary_line(report)]
    return "\n".join(lines)


def check_html(report: CheckReport) -> str:
    """An HTML table of the verdicts (number, theorem, status, method, detail), each
    counterexample as a preformatted timeline, and the summary line."""
    e = html.escape
    head = "".join(f"<th>{h}</th>" for h in ("#", "theorem", "status", "method", "detail"))
    rows = "".join(f"<tr><td>{r.number}</td><td>{e(r.title)}</td><td>{e(_status(r.status))}</td><td>{e(r.method)}</td><td>{e(r.detail)}</td></tr>" for r in report.results)
    parts = [
        f"<p><b>check: {e(report.model_name)}</b> (scheme {e(report.scheme)}, {e(report.solver)})</p>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>",
    ]
    for r in report.results:
        if r.counterexample is not None:
            timeline = "\n".join(r.counterexample.lines())
            parts.append(f"<p>counterexample to theorem {r.number} ({e(r.title)}):</p><pre>{e(timeline)}</pre>")
    parts.append(f"<p>{e(_summary_line(report))}</p>")
    return "\n".join(parts)
