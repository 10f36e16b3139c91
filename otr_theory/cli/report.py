"""``otr-analyze report``: the main job."""

from __future__ import annotations

import click

from otr_theory.atomic import OutputError
from otr_theory.cli.common import MODEL_ARG, InputError, check_out_dir, guarded_output, load_input_model, progress_bar
from otr_theory.report.build import SECTIONS, check_target, write_report

__all__ = ["report"]


@click.command()
@MODEL_ARG
@click.option("--out", "out", default="report", show_default=True, help="Folder to write the report into.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no listing of what was written.")
def report(model: str | None, out: str, quiet: bool) -> None:
    """Write DIR/report.html, report.md, results.json and figures/ for MODEL.

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
        with progress_bar(len(SECTIONS), "report", enabled=not quiet) as step:
            written = write_report(m, out_dir, progress=step)
    if not quiet:
        for name, path in written.items():
            click.echo(f"wrote {path}")
