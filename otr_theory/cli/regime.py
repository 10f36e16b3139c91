"""``otr-analyze regime``: the secure region of MODEL and its cheapest secure point."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click
from tqdm import tqdm

from otr_theory.atomic import write_file_atomically
from otr_theory.cli.common import JSON_OPT, MODEL_ARG, QUIET_OPT, InputError, check_out_dir, echo_json, guarded_output, load_input_model, progress_enabled
from otr_theory.fmt import fmt_duration, fmt_prob, fmt_usd
from otr_theory.regimes import RegimeError, RegionOptions, analyse
from otr_theory.regimes.analysis import RegimeAnalysis
from otr_theory.regimes.optimise import OperatingPoint
from otr_theory.report.core import dumps_results, fmt

__all__ = ["regime", "parse_fraction", "parse_positive", "render_text", "verdict_lines", "write_certificates"]


def parse_fraction(option: str, text: str, *, lo: float = 0.0, hi: float = 1.0, open_lo: bool = False, open_hi: bool = False) -> float:
    """A number in an interval, or an :class:`InputError` naming the option and the rule.

    >>> parse_fraction("--box", "0.05", open_lo=True, open_hi=True)
    0.05
    >>> parse_fraction("--max-shrink", "2")
    Traceback (most recent call last):
    ...
    otr_theory.cli.common.InputError: --max-shrink: must be a number in [0, 1] (got '2')
    """
    rule = f"must be a number in {'(' if open_lo else '['}{lo:g}, {hi:g}{')' if open_hi else ']'}"
    try:
        x = float(text)
    except ValueError:
        raise InputError(f"{option}: {rule} (got {text!r})") from None
    ok = math.isfinite(x) and (lo < x if open_lo else lo <= x) and (x < hi if open_hi else x <= hi)
    if not ok:
        raise InputError(f"{option}: {rule} (got {text!r})")
    return x


def parse_positive(option: str, text: str) -> float:
    """A finite number > 0, or an :class:`InputError`.

    >>> parse_positive("--max-final-s", "3600")
    3600.0
    """
    try:
        x = float(text)
    except ValueError:
        raise InputError(f"{option}: must be a number > 0 (got {text!r})") from None
    if not (math.isfinite(x) and x > 0):
        raise InputError(f"{option}: must be a number > 0 (got {text!r})")
    return x


def _hours(s: float) -> str:
    """A duration in human units (``7 h 10 min``)."""
    return fmt_duration(s)


def _usd(x: float) -> str:
    """Money, sign first: ``$1,234``, ``$0.0127``, ``-$19``."""
    return fmt_usd(x, 4)


def _row(op: OperatingPoint) -> str:
    p = op.point
    return (
        f"  {op.label:<44} S {_usd(p.slash_usd):>12}  rho {fmt_prob(p.spot_check_rate):>9}  W {_hours(p.window_s):>9}  n {p.count:<3}"
        f" margin {_usd(p.margin_usd):>12}  cost {_usd(p.cost_usd):>9}/query  final {_hours(p.final_s):>9}  {'secure' if p.secure else 'NOT secure (' + p.binding + ')'}"
    )


def _attack_lines(a: RegimeAnalysis) -> list[str]:
    """The over-time verdict at the model's point: best attack, its profit, the deterring stake."""
    s = a.assessment
    if s is None:
        return []
    at = s.attack
    lines = ["", "security over time at the model's point (spot-checks only; payoffs.corruption):"]
    if at.strategy == "none":
        lines.append("  no attack possible: no compromise episode in which to forge")
    else:
        lines.append(f"  best attack: {s.deviation}, {at.words}: expected profit {_usd(at.payoff_usd)} -> {'SECURE' if s.secure else 'NOT SECURE'}")
    lines.append(f"  stake that would deter it at rho = {fmt_prob(a.model_point.point.spot_check_rate)}: {_usd(s.required_stake_usd)} (model: {_usd(a.model_point.point.slash_usd)})")
    lines.append(f"  exposure n L gbar: {_usd(s.exposure_usd)} ({fmt(s.query_rate, 4)} queries/s x {_hours(s.lag_s)} lag); effective slash {_usd(s.effective_slash_usd)}")
    asm = s.assumptions
    lines.append(
        f"  assumptions: gains at {asm['gain_realisation']} finality, pending results {'reverted' if asm['revert_pending_on_slash'] else 'not reverted'} on a slash,"
        f" franchise {_usd(asm['franchise_usd'])}, self-challenge through a Sybil {'possible' if asm['self_challenge'] else 'excluded'}, loss convention {asm['convention']}"
    )
    lines.append(
        f"  one-query condition (one cheated query against a fresh stake, no detection lag): payoff {_usd(s.one_query_payoff_usd)}"
        f" -> {'deterred' if s.one_query_secure else 'not deterred'} (not the security criterion)"
    )
    return lines


def render_text(a: RegimeAnalysis) -> str:
    """The plain-text summary the command prints."""
    sw = a.sweep
    lines = [
        f"model {a.model} (loss convention {a.loss_convention}); the stake locked is S, its capital cost per {a.options.stake_scope}",
        f"secure region on a {' x '.join(str(s) for s in sw.shape)} grid of (S, rho, W, n) = {sw.grid_points:,} points:",
        f"  spot-checks only (lazy challengers, the guarantee): {sw.secure_points['spot_checks_only']:,} ({sw.secure_fraction['spot_checks_only']:.2%})",
        f"  challengers at equilibrium:                         {sw.secure_points['equilibrium']:,} ({sw.secure_fraction['equilibrium']:.2%})",
        f"  the window must exceed W_min = {_hours(a.min_window_s)}"
        + (f" and be at least the proof deadline {_hours(a.proof_window_s)}" if a.proof_window_s > 0 else "")
        + ("" if a.options.max_stake_usd is None else f"; S <= {_usd(a.options.max_stake_usd)}"),
        "",
        "points:",
    ]
    for op in (a.cheapest, a.recommended, a.model_point):
        if op is not None:
            lines.append(_row(op))
    if a.cheapest is None:
        lines.append("  no secure point: no stake deters every strategy over time with the spot-checks alone, or the window/latency constraints fail")
    lines += _attack_lines(a)
    if a.largest_gains:
        lines += ["", "largest gains for which each point stays secure (every other input at its value):"]
        for label, gains in a.largest_gains.items():
            lines.append(f"  {label}: " + ", ".join(f"{k} {_usd(v)}" for k, v in gains.items()))
    lines += ["", "certificates (z3, nonlinear real arithmetic, exact rationals):"]
    for c in a.certificates:
        box = ", ".join(f"{k} in [{fmt(lo, 6)}, {fmt(hi, 6)}]" for k, (lo, hi) in c.box.items())
        line = f"  {c.label}: {c.status} ({c.solver} {c.solver_version}) -- {box}"
        if c.counterexample is not None:
            line += "; counterexample " + ", ".join(f"{k} = {fmt(c.counterexample[k], 6)}" for k in c.box) + f" breaks {', '.join(c.violated)}"
            line += f" (numpy re-evaluation: {'insecure' if c.reevaluated_insecure else 'SECURE -- disagreement'})"
        if c.reason:
            line += f"; {c.reason}"
        lines.append(line)
    for r in a.robust:
        line = f"  {r.label}, robust over the declared ranges of {len(r.robust.uncertain)} uncertain inputs: {r.status}"
        if r.breaking is not None:
            moved = {k: x for k, x in r.breaking.items() if x != r.point.fixed.get(k, x)}
            line += " -- breaking point " + ", ".join(f"{k} = {fmt(x, 6)}" for k, x in moved.items())
            line += f" breaks {', '.join(r.robust.violated)}"
        lines.append(line)
    lines += ["", f"Pareto front of cost, time to final finality and margin: {len(a.pareto_front)} grid points"]
    if a.sensitivity is not None:
        s = a.sensitivity
        lines += ["", f"sensitivity ({s.method}, {s.samples:,} evaluations, seed {s.seed}):"]
        for out, idx in s.indices.items():
            key = "ST" if s.method == "sobol" else "mu_star"
            top = ", ".join(f"{n} {fmt(r[key], 3)}" for n, r in list(idx.items())[:4]) or s.notes.get(out, "")
            lines.append(f"  {out}: {top}")
    return "\n".join(lines)


def verdict_lines(a: RegimeAnalysis) -> list[str]:
    """The verdict (all that ``-q`` prints): the model's own point, secure or not over time with
    its cost, and the cheapest secure point (or that there is none)."""
    lines = [_row(a.model_point)]
    if a.cheapest is not None:
        lines.append(_row(a.cheapest))
    else:
        lines.append("no secure point: no stake deters every strategy over time with the spot-checks alone, or the window/latency constraints fail")
    return [ln.lstrip() for ln in lines]


def write_certificates(a: RegimeAnalysis, directory: Path) -> list[Path]:
    """Write each certificate's SMT-LIB text into ``directory`` (each file replaced atomically)."""
    out = []
    for c in [*a.certificates, *(r.robust for r in a.robust)]:
        target = directory / c.filename()
        write_file_atomically(target, c.smtlib)  # a full disk: OutputError, nothing half-written
        out.append(target)
    return out


@click.command()
@MODEL_ARG
@JSON_OPT
@click.option("--certificates", "cert_dir", default=None, metavar="DIR", help="Write the certificates as SMT-LIB 2 files into DIR.")
@click.option("--box", "box", default="0.05", show_default=True, metavar="FRACTION", help="Relative half-width of the certified box around the recommended point.")
@click.option(
    "--stake-scope", "stake_scope", type=click.Choice(["replica", "commitment"]), default="replica", show_default=True, help="Stake locked per replica, or a bond per commitment locked for W."
)
@click.option("--max-final-s", "max_final", default=None, metavar="SECONDS", help="Latency bound on the time to final finality.")
@click.option("--sensitivity", "sens", type=click.Choice(["none", "sobol", "morris"]), default="none", show_default=True, help="Also run the sensitivity analysis.")
@click.option("--dask", "dask", default=None, metavar="ADDRESS", help="Run the sweep's chunks on Dask: 'local' or a scheduler address.")
@QUIET_OPT
def regime(model: str | None, as_json: bool, cert_dir: str | None, box: str, stake_scope: str, max_final: str | None, sens: str, dask: str | None, quiet: bool) -> None:
    """The secure region of MODEL, its cheapest secure point and certified boxes."""
    box_rel = parse_fraction("--box", box, open_lo=True, open_hi=True)
    max_final_s = None if max_final is None else parse_positive("--max-final-s", max_final)
    directory = None
    if cert_dir is not None:
        directory = check_out_dir(cert_dir, "--certificates")
    m = load_input_model(model)
    options = RegionOptions(stake_scope=stake_scope, max_final_s=max_final_s)
    bar = tqdm(total=1, desc="sweep", unit="pt", unit_scale=True, file=sys.stderr, disable=not progress_enabled(quiet, as_json), leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        a = analyse(m, options=options, box_rel=box_rel, sensitivity_method=None if sens == "none" else sens, progress=progress, dask=dask)
    except RegimeError as e:
        raise InputError(str(e)) from None
    except ImportError as e:
        raise InputError(f"--dask: {e}") from None
    except OSError as e:
        raise InputError(f"--dask {dask}: cannot reach the scheduler ({e})") from None
    finally:
        bar.close()
    if directory is not None:
        with guarded_output("--certificates"):
            write_certificates(a, directory)
    if as_json:
        echo_json("regime", a.to_dict(), dumps_results)
    elif quiet:
        click.echo("\n".join(verdict_lines(a)))
    else:
        click.echo(render_text(a))
