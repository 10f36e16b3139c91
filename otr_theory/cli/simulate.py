"""``otr-analyze simulate``: Monte Carlo of the running network, with the paper's claims beside it."""

from __future__ import annotations

import re

import click

from otr_theory.cli.common import MODEL_ARG, InputError, load_input_model, progress_bar
from otr_theory.report.core import dumps_results, fmt, jsonable
from otr_theory.simulation import ESTIMATE_DOCS, PolicyError, SimulationResult, headline_claims, simulate as run_simulation
from otr_theory.simulation.plan import MAX_QUERIES

__all__ = ["simulate", "parse_int_option", "render_text"]

CHUNK = 1 << 16


def parse_int_option(option: str, text: str, *, lo: int, hi: int | None = None) -> int:
    """An integer option (digits, ``_`` separators allowed) or an :class:`InputError` naming it.

    >>> parse_int_option("--queries", "1_000", lo=1)
    1000
    >>> parse_int_option("--seed", "-1", lo=0)
    Traceback (most recent call last):
    ...
    otr_theory.cli.common.InputError: --seed: must be an integer >= 0 (got '-1')
    """
    rule = f"must be an integer >= {lo}" if hi is None else f"must be an integer in [{lo}, {hi}]"
    s = text.strip()
    if not re.fullmatch(r"[+-]?\d+(_\d+)*", s):
        raise InputError(f"{option}: {rule} (got {text!r})")
    value = int(s)
    if value < lo or (hi is not None and value > hi):
        raise InputError(f"{option}: {rule} (got {text!r})")
    return value


def _ci(e) -> str:
    if e.method == "exact":
        return "exact"
    return f"[{fmt(e.low)}, {fmt(e.high)}]"


def render_text(result: SimulationResult, claims) -> str:
    """The plain-text summary the command prints."""
    t = result.target
    lines = [
        f"model {result.model_name}: {result.queries:,} queries over {fmt(result.horizon_years)} years, seed {result.seed}",
        f"policy ({result.policy.origin}): fraud x = {fmt(result.policy.fraud_probability)} when forgeable, "
        f"monitoring y = {fmt(result.policy.monitoring_probability)} per challenger, deviation {result.policy.deviation}",
        f"equilibrium ({t.kind}): x* = {fmt(t.fraud_rate)}, y* = {fmt(t.monitoring_rate)}, q* = {fmt(t.challenger_detection)}, "
        f"p* = {fmt(t.detection_probability)}, h = {fmt(t.compromise_probability)}",
        "",
        f"{'quantity':<34} {'value':>12}  95% interval",
    ]
    for key, est in result.estimates.items():
        lines.append(f"{key:<34} {fmt(est.value):>12}  {_ci(est)}")
    led = result.ledger.as_floats()
    lines += ["", "value moved (USD): " + ", ".join(f"{k.removesuffix('_usd')} {fmt(v)}" for k, v in led.items())]
    lines += ["", "paper's claims:"]
    for c in claims:
        lines.append(f"  {c.key}: paper {c.paper_value}; simulated {fmt(c.simulated.value)} {_ci(c.simulated)} -> {'holds' if c.holds else 'does not hold'}")
        lines.append(f"    holds when {c.holds_when}")
        lines.append(f"    fails when {c.fails_when.lstrip('; ')}")
    return "\n".join(lines)


@click.command()
@MODEL_ARG
@click.option("--queries", "queries", default="1000000", show_default=True, metavar="N", help="Queries to simulate (an integer >= 1).")
@click.option("--seed", "seed", default="0", show_default=True, metavar="N", help="Seed of every random stream (an integer >= 0).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON instead of a table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def simulate(model: str | None, queries: str, seed: str, as_json: bool, quiet: bool) -> None:
    """Simulate MODEL's network (equilibrium play): fraud, detection, cost, finality, with 95% intervals."""
    n = parse_int_option("--queries", queries, lo=1, hi=MAX_QUERIES)
    s = parse_int_option("--seed", seed, lo=0)
    m = load_input_model(model)
    chunks = -(-n // CHUNK)
    try:
        with progress_bar(chunks, "simulate", enabled=not quiet) as step:
            result = run_simulation(m, queries=n, seed=s, chunk_queries=CHUNK, progress=lambda done: step(f"{done:,} queries"))
        claims = headline_claims(m, result)
    except PolicyError as e:
        raise InputError(str(e)) from None
    if as_json:
        doc = {"result": jsonable(result), "claims": jsonable(claims), "estimate_docs": dict(ESTIMATE_DOCS)}
        click.echo(dumps_results(doc), nl=False)
    else:
        click.echo(render_text(result, claims))
