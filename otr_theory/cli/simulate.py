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

from otr_theory.cli.common import JSON_OPT, MODEL_ARG, QUIET_OPT, InputError, echo_json, load_input_model, progress_bar

__all__ = ["simulate", "parse_int_option", "render_text", "render_attacks", "verdict_lines"]

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


def _unit_format(key: str):
    """The formatter of an estimate by its key's unit: money, a duration, else a rate or share."""
    from otr_theory.cli.common import human_formats

    f = human_formats()
    if "_usd" in key:
        return lambda x: f.fmt_usd(x, 4)
    if key.endswith("_s"):
        return f.fmt_duration
    return lambda x: f.fmt_prob(x, 4)


def _label(key: str) -> str:
    """An estimate's row in words (its documentation line, the unit dropped: the values carry it)."""
    from otr_theory.simulation import ESTIMATE_DOCS

    doc = ESTIMATE_DOCS.get(key, key.replace("_", " "))
    return re.sub(r" \((USD|s)\)$", "", doc)


def _nan(x) -> bool:
    return isinstance(x, float) and x != x


def _ci(e, key: str = "") -> str:
    if e.method == "exact":
        return "exact"
    if _nan(e.value):
        return "(no cases in the run)"
    f = _unit_format(key)
    return f"[{f(e.low)}, {f(e.high)}]"


def _value(e, key: str) -> str:
    if _nan(e.value):
        return "n/a"
    return _unit_format(key)(e.value)


def render_text(result, claims) -> str:
    """The plain-text summary of a network run (a :class:`~otr_theory.simulation.SimulationResult`):
    rows in words, values in their units (money, durations, rates); an estimate with no cases in
    the run (no fraud to detect) is "n/a" with no interval."""
    from otr_theory.cli.common import human_formats
    from otr_theory.simulation.record import fmt

    h = human_formats()
    prob = h.fmt_prob
    t = result.target
    rows = [(_label(k), _value(e, k), _ci(e, k)) for k, e in result.estimates.items()]
    width = max([34, *(len(r[0]) for r in rows)])
    lines = [
        f"model {result.model_name}: {result.queries:,} queries over {fmt(result.horizon_years)} years, seed {result.seed}",
        f"policy ({result.policy.origin}): fraud x = {prob(result.policy.fraud_probability)} when forgeable, "
        f"monitoring y = {prob(result.policy.monitoring_probability)} per challenger, deviation {result.policy.deviation}",
        f"equilibrium ({t.kind}): x* = {prob(t.fraud_rate)}, y* = {prob(t.monitoring_rate)}, q* = {prob(t.challenger_detection)}, "
        f"p* = {prob(t.detection_probability)}, h = {prob(t.compromise_probability)}",
        "",
        f"{'quantity':<{width}} {'value':>14}  95% interval",
    ]
    for label, value, ci in rows:
        lines.append(f"{label:<{width}} {value:>14}  {ci}".rstrip())
    led = result.ledger
    usd = h.fmt_usd
    lines += [
        "",
        "value moved: " + ", ".join(f"{k.removesuffix('_usd').replace('_', ' ')} {usd(v)}" for k, v in led.as_floats().items()),
        f"ledger: {led.identities_slashed:,} prover identities slashed once each ({usd(led.slash_per_identity_usd)} of a "
        f"{usd(led.stake_per_identity_usd)} stake) and ejected; {led.merged_detections:,} detections fell on a slash already pending",
    ]
    lines += ["", "paper's claims:"]
    for c in claims:
        value = "n/a" if _nan(c.simulated.value) else fmt(c.simulated.value)
        lines.append(f"  {c.key}: paper {c.paper_value}; simulated {value} {_ci(c.simulated, c.key)} -> {'holds' if c.holds else 'does not hold'}")
        lines.append(f"    holds when {c.holds_when}")
        lines.append(f"    fails when {c.fails_when.lstrip('; ')}")
    return "\n".join(lines)


def verdict_lines(result, claims, attacks) -> list[str]:
    """The verdict (all that ``-q`` prints): the run in one line, each of the paper's claims
    held or not, and the compromised prover's best strategy with its expected profit."""
    from otr_theory.cli.common import human_formats
    from otr_theory.simulation.record import fmt

    h = human_formats()
    lines = [f"model {result.model_name}: {result.queries:,} queries, seed {result.seed}"]
    for c in claims:
        value = "n/a" if _nan(c.simulated.value) else fmt(c.simulated.value)
        lines.append(f"  {c.key}: paper {c.paper_value}; simulated {value} {_ci(c.simulated, c.key)} -> {'holds' if c.holds else 'does not hold'}")
    if attacks:
        best = max(attacks, key=lambda r: r.profit_usd.value)
        lines.append(
            f"  best attack over one compromise episode: {best.strategy.name}, simulated expected profit {h.fmt_usd(best.profit_usd.value, 4)} (closed form {h.fmt_usd(best.closed_form_usd, 4)})"
        )
    return lines


def render_attacks(attacks) -> str:
    """The compromised prover's strategies over one episode, simulated beside the closed form."""
    from otr_theory.cli.common import human_formats

    if not attacks:
        return ""
    h = human_formats()
    usd = lambda x: h.fmt_usd(x, 4)  # noqa: E731
    a = attacks[0].inputs
    lines = [
        f"attack over one compromise episode ({h.fmt_duration(a.episode_s)}, {h.fmt_num(a.query_rate_per_s)} queries/s per stake, "
        f"p = {h.fmt_prob(a.detection_probability)} [{a.detection_reading.replace('_', ' ')}], lag {h.fmt_duration(a.expected_lag_s)}, "
        f"slash {usd(a.effective_slash_usd)} once, "
        f"gains at {a.gain_realisation} finality{', pending results reverted' if a.revert_pending_on_slash else ''}; "
        f"{attacks[0].episodes:,} episodes each):",
        f"  {'strategy':<44} {'simulated profit':>18}  {'95% interval':<28} {'closed form':>14}  caught",
    ]
    for r in attacks:
        e = r.profit_usd
        lines.append(
            f"  {r.strategy.name:<44} {usd(e.value):>18}  {_ci(e, 'profit_usd'):<28} {usd(r.closed_form_usd):>14}  {h.fmt_prob(r.caught.value, 3)}"
            + ("" if r.agrees else "  (closed form outside the interval)")
        )
    return "\n".join(lines)


@click.command()
@MODEL_ARG
@click.option("--queries", "queries", default="1000000", show_default=True, metavar="N", help="Queries to simulate (an integer >= 1).")
@click.option("--seed", "seed", default="0", show_default=True, metavar="N", help="Seed of every random stream (an integer >= 0).")
@click.option("--episodes", "episodes", default="20000", show_default=True, metavar="N", help="Compromise episodes per attack strategy (an integer >= 2).")
@JSON_OPT
@QUIET_OPT
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
        with progress_bar(chunks, "simulate", enabled=not (quiet or as_json)) as step:
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
        echo_json("simulate", doc, dumps)
    elif quiet:
        click.echo("\n".join(verdict_lines(result, claims, attacks)))
    else:
        click.echo(render_text(result, claims) + "\n\n" + render_attacks(attacks))
