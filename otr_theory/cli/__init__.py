"""``otr-analyze``: the command line.

Exit codes (every subcommand):

* 0 -- success (for ``check``: every theorem proved);
* 1 -- a property is violated / a gate failed (``check``, ``diff``);
* 2 -- bad input: a missing or malformed file, an unknown key, a value out of range, a wrong
  argument. One message names the field and the rule; nothing is written; no traceback;
* 3 -- a result is *unknown* (solver timeout or incomplete answer; ``check``, ``solve``), or
  nothing can be measured here (``measure-gpu`` without PyTorch or without the GPU asked for).

Each subcommand lives in its own module of this package and is imported only when it runs (a
lazy click group): ``otr-analyze --help`` and the light commands do not load the report's
dependencies (matplotlib, jinja2, markdown-it) nor sympy unless they need them.
"""

from __future__ import annotations

import importlib

import click

from otr_theory._version import version

__all__ = ["COMMANDS", "InputError", "cli", "main"]


def __getattr__(name: str):
    if name == "InputError":
        from otr_theory.cli.common import InputError

        return InputError
    raise AttributeError(f"module 'otr_theory.cli' has no attribute {name!r}")


COMMANDS = {
    # name: (module, attribute, one-line help shown by --help without importing the module)
    "check": ("otr_theory.cli.check", "check", "Check every theorem in proofs/ on MODEL (z3)."),
    "diff": ("otr_theory.cli.diff", "diff", "What a protocol or parameter change did: theorems, region, cost."),
    "measure-gpu": ("otr_theory.cli.measure_gpu", "measure_gpu", "Measure Llama-shaped decode/prefill throughput on a GPU (CSV rows; needs torch)."),
    "regime": ("otr_theory.cli.regime", "regime", "The secure parameter region and its cheapest point."),
    "report": ("otr_theory.cli.report", "report", "Write the full report (HTML, Markdown, JSON, figures)."),
    "simulate": ("otr_theory.cli.simulate", "simulate", "Monte Carlo simulation of the running network."),
    "solve": ("otr_theory.cli.solve", "solve", "List every Nash equilibrium of GAME.nfg (Gambit format)."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return super().get_command(ctx, name)
        module, attr, _ = spec
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2] if name in COMMANDS else self.commands[name].get_short_help_str()) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version(), prog_name="otr-analyze")
def cli() -> None:
    """Analyse an Optimistic TEE-Rollup deployment: incentives, safety proofs, costs, regimes.

    MODEL is a model file (TOML) or the name of a shipped model (otr, bold, centralized,
    op-fault-dispute, opml, poq, zkml); it defaults to the embedded OTR model.

    Every command takes --json (one object tagged with "schema" and
    "otr_theory_version"; the JSON Schemas ship in otr_theory/schemas/) and -q
    (the verdict line(s) only). A progress bar shows on a terminal, on stderr.
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        rc = cli.main(args=argv, prog_name="otr-analyze", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except Exception as e:
        from otr_theory.cli.common import InputError  # imported here: --help need not load the model
        from otr_theory.model import ModelError

        # a ModelError raised past loading (a model derived by an analysis, e.g. with_values) is
        # still a property of the input model: one line, exit 2, no traceback
        if isinstance(e, (InputError, ModelError)):
            click.echo(f"error: {e}", err=True)
            return 2
        raise
    # without standalone mode, click returns what ctx.exit(code) was given
    return rc if isinstance(rc, int) else 0
