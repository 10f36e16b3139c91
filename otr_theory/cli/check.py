"""``otr-analyze check``: every theorem of proofs/ on a model, proved, violated or unknown.

Exit codes: 0 every theorem proved (or not applicable to the scheme); 1 some theorem violated
(its counterexample printed as a timeline); 3 some result unknown and none violated (a solver
timeout or an incomplete search: never reported as proved); 2 bad input.

``--junit FILE`` writes JUnit XML, one ``testcase`` per theorem: a ``failure`` for a violated
theorem (the timeline in its body), an ``error`` for an unknown one (not proved, so a CI job
fails rather than skipping it), ``skipped`` for one not applicable to the scheme. The file is
written atomically (a temporary file beside it, then renamed), and only after every theorem has
been checked. Timings go to the output and the JUnit file, never into the report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import click

from otr_theory.atomic import write_file_atomically
from otr_theory.cli.common import JSON_OPT, MODEL_ARG, QUIET_OPT, InputError, check_out_file, echo_json, guarded_output, load_input_model
from otr_theory.smt.prover import Budget
from otr_theory.smt.text import check_text, check_verdict_lines
from otr_theory.smt.theorems import CheckReport, TheoremFileError
from otr_theory.smt.theorems import check as run_check

__all__ = ["CheckFailed", "check", "check_record", "render_report", "junit_xml", "verdict_lines"]


class CheckFailed(click.ClickException):
    """Some theorem is violated (exit 1) or unknown (exit 3); the verdicts are already printed.

    Raised rather than ``ctx.exit(code)``: with ``standalone_mode=False`` click returns that code
    from ``cli.main`` instead of raising, and :func:`otr_theory.cli.main` only maps exceptions.
    """

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"check: {self.message}", err=True)


def _junit_target(path: str | None) -> Path | None:
    return None if path is None else check_out_file(path, "--junit")


@click.command()
@MODEL_ARG
@click.option("--junit", "junit", default=None, metavar="FILE", help="Also write JUnit XML (one testcase per theorem) to FILE.")
@click.option("--depth", default=16, show_default=True, type=click.IntRange(0, 200), help="BMC depth of the counterexample search.")
@click.option("--timeout-ms", "timeout_ms", default=None, type=click.IntRange(1, None), help="Timeout of every solver query (ms); an exhausted query is unknown.")
@click.option("--rlimit", default=None, type=click.IntRange(1, None), help="z3 resource limit of every query (deterministic); an exhausted query is unknown.")
@JSON_OPT
@QUIET_OPT
def check(model: str | None, junit: str | None, depth: int, timeout_ms: int | None, rlimit: int | None, as_json: bool, quiet: bool) -> None:
    """Prove or refute every theorem in proofs/ on MODEL (exit 0 proved, 1 violated, 3 unknown)."""
    m = load_input_model(model)
    target = _junit_target(junit)
    try:
        report = run_check(m, depth=depth, budget=Budget(timeout_ms=timeout_ms, rlimit=rlimit))
    except TheoremFileError as e:
        raise InputError(f"proofs/{e}") from None
    if target is not None:
        with guarded_output("--junit"):
            write_file_atomically(target, junit_xml(report))
    if as_json:
        echo_json("check", check_record(report, source=m.path, junit=target))
    elif quiet:
        click.echo("\n".join(verdict_lines(report)))
    else:
        click.echo(render_report(report, source=m.path))
        if target is not None:
            click.echo(f"wrote {target}")
    c = report.counts()
    if report.exit_code == 1:
        raise CheckFailed(f"{c['violated']} theorem(s) violated", 1)
    if report.exit_code == 3:
        raise CheckFailed(f"{c['unknown']} theorem(s) unknown (not proved)", 3)


def check_record(report: CheckReport, *, source: str = "", junit: Path | None = None) -> dict:
    """What ``check --json`` prints (beside ``schema`` and ``otr_theory_version``): the theorem
    table with each verdict, its method and detail, any counterexample as timeline lines."""
    return {
        "model": report.model_name,
        "model_file": source,
        "scheme": report.scheme,
        "solver": report.solver,
        "strengthening": dict(report.strengthening),
        "seconds": report.seconds,
        "counts": report.counts(),
        "exit_code": report.exit_code,
        "junit": None if junit is None else str(junit),
        "theorems": [
            {
                "number": r.number,
                "name": r.name,
                "title": r.title,
                "statement": r.statement,
                "status": r.status,
                "method": r.method,
                "detail": r.detail,
                "solver": r.solver,
                "seconds": r.seconds,
                "counterexample": None if r.counterexample is None else list(r.counterexample.lines()),
            }
            for r in report.results
        ],
    }


verdict_lines = check_verdict_lines
"""The verdict (all that ``-q`` prints): :func:`otr_theory.smt.text.check_verdict_lines`."""

render_report = check_text
"""The text the command prints: :func:`otr_theory.smt.text.check_text`."""


def junit_xml(report: CheckReport) -> str:
    """JUnit XML of a check (see the module docstring for the mapping of statuses)."""
    c = report.counts()
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"otr-analyze check {report.model_name}",
        tests=str(len(report.results)),
        failures=str(c["violated"]),
        errors=str(c["unknown"]),
        skipped=str(c["not applicable"]),
        time=f"{report.seconds:.3f}",
    )
    props = ET.SubElement(suite, "properties")
    for k, v in (("model", report.model_name), ("scheme", report.scheme), ("solver", report.solver)):
        ET.SubElement(props, "property", name=k, value=v)
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=f"proofs.{report.model_name}", name=f"t{r.number}_{r.name}", time=f"{r.seconds:.3f}")
        text = f"{r.method}: {r.detail}"
        if r.status == "violated":
            body = "\n".join(r.counterexample.lines()) if r.counterexample else text
            ET.SubElement(case, "failure", message=f"violated: {r.method}", type="violated").text = body
        elif r.status == "unknown":
            ET.SubElement(case, "error", message=f"unknown (not proved): {r.method}", type="unknown").text = text
        elif r.status == "not applicable":
            ET.SubElement(case, "skipped", message=f"not applicable: {r.detail}")
        else:
            ET.SubElement(case, "system-out").text = f"proved ({r.solver}): {text}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
