"""``otr-analyze diff``: what a protocol or parameter change did -- the CI gate."""

from __future__ import annotations

import click

from otr_theory.cli.common import JSON_OPT, QUIET_OPT, InputError, echo_json, load_input_model, progress_bar
from otr_theory.cli.regime import parse_fraction
from otr_theory.regimes import RegimeError, diff_models
from otr_theory.regimes.diff import ModelDiff, smt_theorem_statuses
from otr_theory.report.core import dumps_results, jsonable
from otr_theory.fmt import fmt_pct, fmt_usd, fmt_value

__all__ = ["GateFailed", "diff", "gate_lines", "render_text"]


class GateFailed(click.ClickException):
    """The gate failed: exit code 1, the reasons on stderr.

    (Raised rather than ``ctx.exit(1)``: with ``standalone_mode=False`` click returns that code
    from ``cli.main`` instead of raising, and :func:`otr_theory.cli.main` only maps exceptions.)
    """

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"gate failed: {self.message}", err=True)


def _money(x: float | None) -> str:
    return "none (no secure point)" if x is None else fmt_usd(x)


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None or old == 0:
        return ""
    return f" ({(new - old) / old:+.1%})"


def _field_value(field: str, x: object) -> str:
    """A changed field's value in its unit (money, durations, probabilities), else as written."""
    from otr_theory.model import FIELDS

    unit = next((f.unit for f in FIELDS if f.dotted == field), None)
    if unit is None or isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    return fmt_value(x, unit)


def render_text(d: ModelDiff) -> str:
    """The plain-text summary the command prints."""
    lines = [f"OLD {d.old_path or d.old} ({d.old})  ->  NEW {d.new_path or d.new} ({d.new})", ""]
    if d.changed_fields:
        lines.append(f"changed fields ({len(d.changed_fields)}):")
        for c in d.changed_fields:
            src = f"  [source {c.old_source} -> {c.new_source}]" if c.old_source != c.new_source else (f"  [source {c.new_source}]" if c.new_source else "")
            lines.append(f"  {c.field}: {_field_value(c.field, c.old)} -> {_field_value(c.field, c.new)}{src}")
    else:
        lines.append("changed fields: none")
    lines.append("")
    if d.theorems:
        lines.append(f"theorems ({d.theorem_checker}):")
        for c in d.theorems:
            mark = "  NEWLY FAILS" if c.newly_fails else ("" if c.old == c.new else "  changed")
            lines.append(f"  {c.theorem:<30} {c.old:>15} -> {c.new:<15}{mark}")
    else:
        lines.append("theorems: not checked (--no-theorems)")
    lines += [
        "",
        "secure region on the fixed reference grid (spot-checks only):",
        f"  OLD {d.region_old:.3%} of the grid, NEW {d.region_new:.3%}; shrink {d.shrink:.2%} of OLD's region, growth {fmt_pct(d.growth, 4)}",
        f"  (challengers at equilibrium: OLD {d.region_old_eq:.3%}, NEW {d.region_new_eq:.3%})",
        "",
        "cost per query:",
        f"  cheapest secure point: OLD {_money(d.cheapest_old_usd)}, NEW {_money(d.cheapest_new_usd)}{_change(d.cheapest_old_usd, d.cheapest_new_usd)}",
        f"  at each model's own point: OLD {fmt_usd(d.cost_at_point_old_usd)} ({'secure' if d.secure_at_point_old else 'NOT secure'}), "
        f"NEW {fmt_usd(d.cost_at_point_new_usd)} ({'secure' if d.secure_at_point_new else 'NOT secure'}){_change(d.cost_at_point_old_usd, d.cost_at_point_new_usd)}",
        "security over time at each model's own point (best attack: expected profit; stake that would deter it):",
        f"  OLD {_money(d.attack_old_usd)}, stake {_money(d.required_stake_old_usd)}; NEW {_money(d.attack_new_usd)}, stake {_money(d.required_stake_new_usd)}",
        "",
    ]
    return "\n".join(lines + gate_lines(d))


def gate_lines(d: ModelDiff) -> list[str]:
    """The verdict: "gate passed (...)", or "GATE FAILED:" and each reason on its own line
    (all that ``-q`` prints)."""
    if d.gate_failed:
        return ["GATE FAILED:", *(f"  {r}" for r in d.reasons)]
    return [f"gate passed (no theorem newly fails; the model's own point did not become insecure; the region shrank by at most {d.max_shrink:.1%})"]


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
