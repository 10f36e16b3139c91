"""``otr-analyze report``: the main job.

Prints the verdict (one or two lines, read from the verdict record of results.json,
:func:`otr_theory.report.summary.verdict_record`, never recomputed) and the files written;
``--json`` prints the verdict record and the paths as one object; ``-q`` prints the verdict only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import click

from otr_theory.atomic import OutputError
from otr_theory.cli.common import JSON_OPT, MODEL_ARG, QUIET_OPT, InputError, check_out_dir, echo_json, guarded_output, load_input_model, progress_bar
from otr_theory.report.build import SECTIONS, check_target, write_report

__all__ = ["report", "verdict_lines"]


def verdict_lines(v: Mapping[str, Any]) -> list[str]:
    """The verdict of a verdict record in one or two lines: secure / NOT secure with the reason,
    then the best attack's expected profit and the stake that would deter it.

    >>> verdict_lines({"secure": False, "theorems": {"violated": 1, "unknown": 0},
    ...     "incentives_secure_spot_checks_only": True, "attack": None})
    ['verdict: NOT secure -- 1 theorem(s) violated']
    """
    from otr_theory.fmt import fmt_prob, fmt_usd

    if v.get("secure"):
        head = "verdict: secure -- every theorem proved and the model's stake deters every attack (spot-checks only)"
    else:
        reasons = []
        t = v.get("theorems") or {}
        if t.get("violated"):
            reasons.append(f"{t['violated']} theorem(s) violated")
        if t.get("unknown"):
            reasons.append(f"{t['unknown']} theorem(s) unknown (not proved)")
        if not t:
            reasons.append("the theorems were not checked")
        if not v.get("incentives_secure_spot_checks_only"):
            b = v.get("binding")
            reasons.append("the incentives fail at the model's point" + (f" (binding: {b})" if b else ""))
        head = "verdict: NOT secure -- " + ("; ".join(reasons) or "see the report")
    lines = [head]
    at = v.get("attack")
    if at:
        if at.get("strategy") == "none":
            lines.append("  no attack possible: no compromise episode in which to forge")
        else:
            lines.append(
                f"  best attack: {v.get('attack_description')}, expected profit {fmt_usd(at.get('payoff_usd'))};"
                f" stake that would deter it {fmt_usd(v.get('required_stake_usd'))} at rho = {fmt_prob(v.get('spot_check_rate'))}"
                f" (model: {fmt_usd(v.get('model_stake_usd'))})"
            )
    return lines


@click.command()
@MODEL_ARG
@click.option("--out", "out", default="report", show_default=True, help="Folder to write the report into.")
@JSON_OPT
@QUIET_OPT
def report(model: str | None, out: str, as_json: bool, quiet: bool) -> None:
    """Write DIR/report.html, report.md, results.json and figures/ for MODEL; print the verdict.

    The files are written beside DIR first and replace an existing report only when complete:
    an interrupted or failing run (exit 130 on SIGINT, 143 on SIGTERM, 2 on a full disk or a
    read-only location) leaves the old report as it was and no temporary files."""
    m = load_input_model(model)
    out_dir = check_out_dir(out)
    try:
        check_target(out_dir)
    except OutputError as e:
        raise InputError(f"--out {e}") from None
    with guarded_output("--out"):
        with progress_bar(len(SECTIONS), "report", enabled=not (quiet or as_json)) as step:
            written = write_report(m, out_dir, progress=step)
    # the verdict as written into results.json (the record of otr_theory.report.summary.verdict_record)
    results = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    verdict = results.get("verdict") or {}
    if as_json:
        echo_json(
            "report",
            {
                "model": results.get("model"),
                "verdict": verdict,
                "out": str(out_dir),
                "written": {name: str(path) for name, path in written.items()},
            },
        )
    else:
        for line in verdict_lines(verdict):
            click.echo(line)
        if not quiet:
            for _name, path in written.items():
                click.echo(f"wrote {path}")
