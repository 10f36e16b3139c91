"""``otr-analyze report``: the main job."""

from __future__ import annotations

import click

from otr_theory.cli.common import MODEL_ARG, check_out_dir, load_input_model, progress_bar
from otr_theory.report.build import SECTIONS, write_report

__all__ = ["report"]


@click.command()
@MODEL_ARG
@click.option("--out", "out", default="report", show_default=True, help="Folder to write the report into.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no listing of what was written.")
def report(model: str | None, out: str, quiet: bool) -> None:
    """Write DIR/report.html, report.md, results.json and figures/ for MODEL."""
    m = load_input_model(model)
    out_dir = check_out_dir(out)
    with progress_bar(len(SECTIONS), "report", enabled=not quiet) as step:
        written = write_report(m, out_dir, progress=step)
    if not quiet:
        for name, path in written.items():
            click.echo(f"wrote {path}")
