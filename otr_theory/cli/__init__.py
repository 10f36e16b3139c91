"""``otr-analyze``: the command line.

Exit codes (every subcommand):

* 0 -- success (for ``check``: every theorem proved);
* 1 -- a property is violated / a gate failed (``check``, ``diff``);
* 2 -- bad input: a missing or malformed file, an unknown key, a value out of range, a wrong
  argument. One message names the field and the rule; nothing is written; no traceback;
* 3 -- a result is *unknown* (solver timeout or incomplete answer; ``check``).

Each subcommand lives in its own module of this package and is added to the group below.
"""

from __future__ import annotations

import sys

import click

from otr_theory import __version__
from otr_theory.cli import report
from otr_theory.cli import simulate as simulate_cmd
from otr_theory.cli import diff as diff_cmd
from otr_theory.cli import regime as regime_cmd
from otr_theory.cli import check as check_cmd
from otr_theory.cli import solve as solve_cmd
from otr_theory.cli.common import InputError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="otr-analyze")
def cli() -> None:
    """Analyse an Optimistic TEE-Rollup deployment: incentives, safety proofs, costs, regimes.

    MODEL is a model file (TOML) or the name of a shipped model (otr, centralized, zkml, opml,
    poq); it defaults to the embedded OTR model.
    """


cli.add_command(report.report)
cli.add_command(simulate_cmd.simulate)
cli.add_command(regime_cmd.regime)
cli.add_command(diff_cmd.diff)
cli.add_command(check_cmd.check)
cli.add_command(solve_cmd.solve)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        rc = cli.main(args=argv, prog_name="otr-analyze", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except InputError as e:
        click.echo(f"error: {e}", err=True)
        return 2
    except click.ClickException as e:
        e.show()
        return e.exit_code
    # without standalone mode, click returns what ctx.exit(code) was given
    return rc if isinstance(rc, int) else 0


