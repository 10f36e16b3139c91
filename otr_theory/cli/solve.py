"""``otr-analyze solve GAME.nfg [--json]``: every Nash equilibrium of a game in Gambit's .nfg format.

Two players: exact vertex enumeration (extreme equilibria, grouped into components; a degenerate
game's continua are listed by their extreme points and maximal Nash subsets). Three or more:
pure equilibria exactly and mixed ones by polynomial support enumeration.

Exit codes: 0 every equilibrium listed; 2 bad input (a missing or malformed file, or one past the
.nfg limits of :mod:`otr_theory.games.nfg`: the message names the line, the field and the token);
3 the enumeration is incomplete (a continuum of an n-player game reported by a sample point, a cap
on support profiles or on a system's Bezout number reached, the ``--timeout`` spent, or a game too
large for complete enumeration, which gets its pure equilibria and one mixed equilibrium by
Lemke-Howson) -- what was found is still printed, labelled incomplete. A solver limit is never
bad input.

``--timeout SECONDS`` is the solver's time budget; should a single step overrun it (an exact
fallback), a hard stop at twice the budget (plus 5 s) still ends the run with exit 3 and the pure
equilibria. Progress goes to stderr.
"""

from __future__ import annotations

import json
import signal
import time
import warnings
from fractions import Fraction
from typing import Any

import click

from otr_theory.cli.common import JSON_OPT, QUIET_OPT, InputError, echo_json, progress_enabled
from otr_theory.games.equilibria import all_equilibria, partial_equilibria
from otr_theory.games.nfg import NfgError, read_nfg
from otr_theory.games.normal_form import EquilibriumResult, GameError
from otr_theory.games.nplayer import MAX_BEZOUT, MAX_SUPPORT_PROFILES

DEFAULT_TIMEOUT = 60.0
"""Default ``--timeout`` (seconds)."""


class _HardStop(BaseException):
    """Raised by the alarm when the solver overruns its budget."""


__all__ = ["render_text", "solve", "verdict_lines"]


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.10g}"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def verdict_lines(result: EquilibriumResult) -> list[str]:
    """The verdict (all that ``-q`` prints): how many equilibria, checked by their regret, and
    whether the list is complete."""
    lines = [
        f"{len(result.equilibria)} equilibri{'um' if len(result.equilibria) == 1 else 'a'} in {len(result.components)} component(s);"
        f" each checked by its regret: max {_num(result.max_regret)} (tolerance {_num(result.tolerance)})",
    ]
    if not result.complete:
        lines.append("INCOMPLETE: the equilibria listed are not certified to be all of them (see the warnings)")
    return lines


def render_text(result: EquilibriumResult) -> str:
    """The result as text: the game, the method, each equilibrium, the components."""
    g = result.game
    kind = "exact rationals" if g.exact else "floats"
    lines = [
        f"game: {_short(g.title) or '(untitled)'}",
        f"  {g.n_players} players, {' x '.join(map(str, g.shape))} strategies, payoffs in {kind}",
        f"method: {result.method}; complete: {'yes' if result.complete else 'NO'}; degenerate: {'yes' if result.degenerate else 'no'}",
        *verdict_lines(result),
    ]
    for w in result.warnings:
        lines.append(f"warning: {_short(w, 400)}")
    width = max(len(p) for p in g.players)
    for i, e in enumerate(result.equilibria, 1):
        tag = "" if e.exact else " (numeric)"
        lines.append("")
        lines.append(f"equilibrium {i} (component {e.component + 1}){tag}")
        for p, (name, probs) in enumerate(zip(g.players, e.strategies, strict=True)):
            parts = ", ".join(f"{lab}: {_num(x)}" for lab, x in zip(g.strategies[p], probs, strict=True))
            lines.append(f"  {name:<{width}}  {parts}")
        lines.append(f"  payoffs: {', '.join(_num(v) for v in e.payoffs)}; regret {_num(e.regret)}")
        if e.algebraic:
            lines.append("  irrational: the real root near these values of")
            lines.extend(f"    {a}" for a in e.algebraic)
    multi = [c for c in result.components if len(c.points) > 1 or c.note]
    if multi:
        lines.append("")
        lines.append("components that are not single points:")
        for c in multi:
            ci = result.equilibria[c.points[0]].component + 1
            pts = ", ".join(str(k + 1) for k in c.points)
            dim = "unknown" if c.dimension is None else str(c.dimension)
            lines.append(f"  component {ci}: equilibria {pts}; dimension {dim}")
            for rows, cols in c.maximal_subsets:
                lines.append(
                    "    every mix of row strategies {"
                    + "; ".join(_vec(c.row_points[r]) for r in rows)
                    + "} against every mix of column strategies {"
                    + "; ".join(_vec(c.col_points[k]) for k in cols)
                    + "}"
                )
            if c.note:
                lines.append(f"    {c.note}")
    return "\n".join(lines) + "\n"


def _vec(v) -> str:
    return "(" + ", ".join(_num(x) for x in v) + ")"


@click.command()
@click.argument("game_file", metavar="GAME.nfg")
@JSON_OPT
@click.option(
    "--max-supports",
    "max_supports",
    type=click.IntRange(min=1),
    default=MAX_SUPPORT_PROFILES,
    show_default=True,
    help="n-player games: examine at most this many mixed support profiles.",
)
@click.option(
    "--max-bezout",
    "max_bezout",
    type=click.IntRange(min=1),
    default=MAX_BEZOUT,
    show_default=True,
    help="n-player games: skip support systems whose Bezout number exceeds this (exact solving is slow there).",
)
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=0.1, max=86_400),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Time budget in seconds; when spent, what was found is printed, labelled incomplete (exit 3).",
)
@QUIET_OPT
@click.pass_context
def solve(ctx: click.Context, game_file: str, as_json: bool, max_supports: int, max_bezout: int, timeout: float, quiet: bool) -> None:
    """List every Nash equilibrium of GAME.nfg (Gambit format), exactly where payoffs are rational.

    Exit 0: all equilibria listed; 2: bad input; 3: the enumeration is incomplete (a continuum, a
    cap, the timeout, or a game too large for complete enumeration).
    """
    try:
        game = read_nfg(game_file)
    except NfgError as e:
        raise InputError(str(e)) from None
    if game.n_players == 1:
        raise InputError(f"{game_file}: players: a one-player game is a decision problem, not a game (got 1)")
    show = progress_enabled(quiet, as_json)
    last = [0.0]

    def progress(done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if show and (now - last[0] > 0.5 or done == total):
            last[0] = now
            click.echo(f"\rsolve: {stage} {done}/{total}   ", err=True, nl=False)

    use_alarm = hasattr(signal, "SIGALRM") and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)

    def on_alarm(signum, frame):  # pragma: no cover - exercised only by pathological overruns
        raise _HardStop()

    try:
        if use_alarm:
            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, 2 * timeout + 5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the result records its warnings; they are printed below
            try:
                result = all_equilibria(game, max_support_profiles=max_supports, max_bezout=max_bezout, time_budget=timeout, progress=progress)
            except _HardStop:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                result = partial_equilibria(game, f"the solver overran the time budget of {timeout:g} s", time_budget=min(timeout, 10.0))
    except GameError as e:
        raise InputError(f"{game_file}: {e}") from None
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if show:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    if as_json:
        echo_json("solve", result.to_dict(), lambda doc: json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False))
    elif quiet:
        click.echo("\n".join(verdict_lines(result)))
    else:
        click.echo(render_text(result), nl=False)
    if not result.complete:
        click.echo("solve: the enumeration is incomplete (exit 3)", err=True)
        ctx.exit(3)
