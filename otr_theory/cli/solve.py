"""``otr-analyze solve GAME.nfg [--json]``: every Nash equilibrium of a game in Gambit's .nfg format.

Two players: exact vertex enumeration (extreme equilibria, grouped into components; a degenerate
game's continua are listed by their extreme points and maximal Nash subsets). Three or more:
pure equilibria exactly and mixed ones by polynomial support enumeration.

Exit codes: 0 every equilibrium listed; 2 bad input (a missing or malformed file: the message
names the line and the field); 3 the enumeration is incomplete (a continuum of an n-player game
reported by a sample point, or a cap on support profiles or on a system's Bezout number reached)
-- what was found is still printed.
"""

from __future__ import annotations

import json
import warnings
from fractions import Fraction
from typing import Any

import click

from otr_theory.cli.common import InputError
from otr_theory.games.equilibria import all_equilibria
from otr_theory.games.nfg import NfgError, read_nfg
from otr_theory.games.normal_form import EquilibriumResult, GameError
from otr_theory.games.nplayer import MAX_BEZOUT, MAX_SUPPORT_PROFILES

__all__ = ["render_text", "solve"]


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.10g}"


def render_text(result: EquilibriumResult) -> str:
    """The result as text: the game, the method, each equilibrium, the components."""
    g = result.game
    kind = "exact rationals" if g.exact else "floats"
    lines = [
        f"game: {g.title or '(untitled)'}",
        f"  {g.n_players} players, {' x '.join(map(str, g.shape))} strategies, payoffs in {kind}",
        f"method: {result.method}; complete: {'yes' if result.complete else 'NO'}; degenerate: {'yes' if result.degenerate else 'no'}",
        f"{len(result.equilibria)} equilibri{'um' if len(result.equilibria) == 1 else 'a'} in {len(result.components)} component(s);"
        f" each checked by its regret: max {_num(result.max_regret)} (tolerance {_num(result.tolerance)})",
    ]
    for w in result.warnings:
        lines.append(f"warning: {w}")
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
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (deterministic: sorted keys, exact rationals as \"p/q\").")
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
@click.pass_context
def solve(ctx: click.Context, game_file: str, as_json: bool, max_supports: int, max_bezout: int) -> None:
    """List every Nash equilibrium of GAME.nfg (Gambit format), exactly where payoffs are rational.

    Exit 0: all equilibria listed; 2: bad input; 3: the enumeration is incomplete.
    """
    try:
        game = read_nfg(game_file)
    except NfgError as e:
        raise InputError(str(e)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the result records its warnings; they are printed below
            result = all_equilibria(game, max_support_profiles=max_supports, max_bezout=max_bezout)
    except GameError as e:
        raise InputError(f"{game_file}: {e}") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), sort_keys=True, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result), nl=False)
    if not result.complete:
        click.echo("solve: the enumeration is incomplete (exit 3)", err=True)
        ctx.exit(3)
