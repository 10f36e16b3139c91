"""``otr-analyze simulate``: Monte Carlo of the running network and of a compromised prover's
attack over one compromise episode, with the paper's claims and the closed forms beside them.

Imports are lazy and light: this module imports click and :mod:`otr_theory.cli.common` only;
the command imports numpy and :mod:`otr_theory.simulation` when it runs, and never the report
(matplotlib, sympy, networkx), so that ``simulate --queries 1000000`` runs end to end at more
than 10^6 queries/s.
"""

from __future__ import annotations

import re

import click

from otr_theory.cli.common import MODEL_ARG, InputError, load_input_model, progress_bar

__all__ = ["simulate", "parse_int_option", "render_text", "render_attacks"]

CHUNK = 1 << 16
MAX_QUERIES = 10**10  # otr_theory.simulation.plan.MAX_QUERIES (a test keeps them equal)


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
    from otr_theory.simulation.record import fmt

    if e.method == "exact":
        return "exact"
    return f"[{fmt(e.low)}, {fmt(e.high)}]"


def render_text(result, claims) -> str:
    """The plain-text summary of a network run (a :class:`~otr_theory.simulation.SimulationResult`)."""
    from otr_theory.simulation.record import fmt

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
    led = result.ledger
    lines += [
        "",
        "value moved (USD): " + ", ".join(f"{k.removesuffix('_usd')} {fmt(v)}" for k, v in led.as_floats().items()),
        f"ledger: {led.identities_slashed} prover identities slashed once each ({fmt(led.slash_per_identity_usd)} of a "
        f"{fmt(led.stake_per_identity_usd)} stake) and ejected; {led.merged_detections} detections fell on a slash already pending",
    ]
    lines += ["", "paper's claims:"]
    for c in claims:
        lines.append(f"  {c.key}: paper {c.paper_value}; simulated {fmt(c.simulated.value)} {_ci(c.simulated)} -> {'holds' if c.holds else 'does not hold'}")
        lines.append(f"    holds when {c.holds_when}")
        lines.append(f"    fails when {c.fails_when.lstrip('; ')}")
    return "\n".join(lines)


def render_attacks(attacks) -> str:
    """The compromised prover's strategies over one episode, simulated beside the closed form."""
    from otr_theory.simulation.record import fmt

    if not attacks:
        return ""
    a = attacks[0].inputs
    lines = [
        f"attack over one compromise episode ({fmt(a.episode_s / 86_400)} days, {fmt(a.query_rate_per_s)} queries/s per stake, "
        f"p = {fmt(a.detection_probability)} [{a.detection_reading}], lag {fmt(a.expected_lag_s)} s, slash {fmt(a.effective_slash_usd)} USD once, "
        f"gains at {a.gain_realisation} finality{', pending results reverted' if a.revert_pending_on_slash else ''}; "
        f"{attacks[0].episodes:,} episodes each):",
        f"  {'strategy':<44} {'simulated profit (USD)':>24}  {'95% interval':<26} {'closed form':>12}  caught",
    ]
    for r in attacks:
        e = r.profit_usd
        lines.append(
            f"  {r.strategy.name:<44} {fmt(e.value):>24}  {_ci(e):<26} {fmt(r.closed_form_usd):>12}  {fmt(r.caught.value, 3)}"
            + ("" if r.agrees else "  (closed form outside the interval)")
        )
    return "\n".join(lines)


@click.command()
@MODEL_ARG
@click.option("--queries", "queries", default="1000000", show_default=True, metavar="N", help="Queries to simulate (an integer >= 1).")
@click.option("--seed", "seed", default="0", show_default=True, metavar="N", help="Seed of every random stream (an integer >= 0).")
@click.option("--episodes", "episodes", default="20000", show_default=True, metavar="N", help="Compromise episodes per attack strategy (an integer >= 2).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON instead of a table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def simulate(model: str | None, queries: str, seed: str, episodes: str, as_json: bool, quiet: bool) -> None:
    """Simulate MODEL's network (equilibrium play) and a compromised prover's attacks, with 95% intervals."""
    n = parse_int_option("--queries", queries, lo=1, hi=MAX_QUERIES)
    s = parse_int_option("--seed", seed, lo=0)
    e = parse_int_option("--episodes", episodes, lo=2, hi=10**8)
    m = load_input_model(model)
    from otr_theory.simulation import ESTIMATE_DOCS, PolicyError, headline_claims
    from otr_theory.simulation import simulate as run_simulation
    from otr_theory.simulation.attack import as_record, attack_table

    chunks = -(-n // CHUNK)
    try:
        with progress_bar(chunks, "simulate", enabled=not quiet) as step:
            result = run_simulation(m, queries=n, seed=s, chunk_queries=CHUNK, progress=lambda done: step(f"{done:,} queries"))
        claims = headline_claims(m, result)
        attacks = attack_table(m, episodes=e, seed=s)
    except PolicyError as err:
        raise InputError(str(err)) from None
    if as_json:
        from otr_theory.simulation.record import dumps, jsonable

        doc = {
            "result": jsonable(result),
            "claims": jsonable(claims),
            "estimate_docs": dict(ESTIMATE_DOCS),
            "attack": {"inputs": jsonable(attacks[0].inputs), "strategies": [as_record(r) for r in attacks]},
        }
        click.echo(dumps(doc), nl=False)
    else:
        click.echo(render_text(result, claims) + "\n\n" + render_attacks(attacks))
