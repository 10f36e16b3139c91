"""``otr-analyze diff``: what a protocol or parameter change did -- the CI gate."""

from __future__ import annotations

import click

from otr_theory.cli.common import JSON_OPT, QUIET_OPT, InputError, echo_json, load_input_model, progress_bar
from otr_theory.cli.regime import parse_fraction
from otr_theory.regimes import RegimeError, diff_models
from otr_theory.regimes.diff import diff_text, gate_lines, smt_theorem_statuses
from otr_theory.report.core import dumps_results, jsonable

__all__ = ["GateFailed", "diff", "gate_lines", "render_text"]


class GateFailed(click.ClickException):
    """The gate failed: exit code 1, the reasons on stderr.

    (Raised rather than ``ctx.exit(1)``: with ``standalone_mode=False`` click returns that code
    from ``cli.main`` instead of raising, and :func:`otr_theory.cli.main` only maps exceptions.)
    """

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"gate failed: {self.message}", err=True)


render_text = diff_text
"""The plain-text summary the command prints: :func:`otr_theory.regimes.diff.diff_text`."""


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@JSON_OPT
@click.option("--max-shrink", "max_shrink", default="0.05", show_default=True, metavar="FRACTION", help="Largest tolerated shrink of the secure region (a fraction of OLD's).")
@click.option("--no-theorems", "no_theorems", is_flag=True, help="Skip the SMT theorem checks (region and cost only).")
@QUIET_OPT
def diff(old: str, new: str, as_json: bool, max_shrink: str, no_theorems: bool, quiet: bool) -> None:
    """Compare OLD and NEW: theorem status, secure region, cost. Exit 1 if a theorem newly fails
    or the secure region shrinks by more than --max-shrink; 2 on bad input."""
    shrink = parse_fraction("--max-shrink", max_shrink)
    m_old = load_input_model(old)
    m_new = load_input_model(new)
    # stages: the theorems of OLD and of NEW (the slow part), then the region and the costs
    stages = ["theorems of NEW", "region and cost"] if not no_theorems else ["region and cost"]
    with progress_bar(len(stages) + (1 if not no_theorems else 0), "diff", enabled=not (quiet or as_json), first="theorems of OLD" if not no_theorems else stages[0]) as step:
        running = iter(stages)

        def checker(model):
            statuses = smt_theorem_statuses(model)
            step(next(running, ""))
            return statuses

        checker.__name__ = smt_theorem_statuses.__name__  # the record names the checker
        try:
            d = diff_models(m_old, m_new, max_shrink=shrink, theorems=False if no_theorems else checker)
        except RegimeError as e:
            raise InputError(str(e)) from None
        step("done")
    if as_json:
        echo_json("diff", jsonable(d), dumps_results)
    elif quiet:
        click.echo("\n".join(gate_lines(d)))
    else:
        click.echo(render_text(d))
    if d.gate_failed:
        raise GateFailed("; ".join(d.reasons))
