"""Report section: the model's dispute design side by side with Arbitrum BoLD and the OP fault-dispute game.

Renders :class:`otr_theory.games.dispute_analysis.DisputeAnalysis` (every column solved by the
same code from a model file: the report's model and the shipped baselines ``bold`` and
``op-fault-dispute``); computes nothing. Rows: the design, the worst-case rounds, one dispute's
worst-case duration, finality without and under attack, the resource ratio as BoLD defines it,
the griefing-parity bond, the cost of delaying finality past the bound, and the delay flag.
"""

from __future__ import annotations

import math

from otr_theory.games.dispute_analysis import DisputeAnalysis, analyse
from otr_theory.model import Model
from otr_theory.report.core import Section, fmt, md_table

__all__ = ["build", "render"]

DAY = 86_400.0


def _d(s: float) -> str:
    return "∞" if math.isinf(s) else f"{fmt(s / DAY, 3)} d"


def _usd(x: float) -> str:
    return "impossible" if math.isinf(x) else f"${fmt(x, 4)}"


def build(model: Model) -> Section:
    """The dispute comparison of ``model``."""
    return render(analyse(model), model)


def render(a: DisputeAnalysis, model: Model) -> Section:
    """The section for the record ``a`` (formatting only)."""
    cols = a.columns
    names = [c.model for c in cols]

    def row(label, f):
        return (label, *(f(c) for c in cols))

    rows = [
        row("design / timing / bonds", lambda c: f"{c.design} / {c.timing} / {c.bond_rule}"),
        row("dissection rounds per level (split rule)", lambda c: f"{'+'.join(str(r) for r in c.level_rounds)} ({c.split_rule})"),
        row("moves before the one-step check", lambda c: c.moves),
        row("one dispute, worst case", lambda c: _d(c.dispute_worst_case_s)),
        row("finality, unchallenged", lambda c: _d(c.normal_finality_s)),
        row("finality under the budgeted attack", lambda c: f"{_d(c.attacked_finality_s)} ({c.attack.sybils} {c.attack.mode} Sybils)"),
        row("finality, worst case whatever the budget", lambda c: "unbounded" if math.isinf(c.worst_finality_any_budget_s) else _d(c.worst_finality_any_budget_s)),
        row("honest side's cost of that delay", lambda c: _usd(c.attack.honest_cost_usd)),
        row("resource ratio per move (BoLD), model gas", lambda c: c.resource_ratio.per_move_min),
        row("resource ratio per move (BoLD), stress gas", lambda c: c.resource_ratio.per_move_min_stress),
        row("resource ratio per dispute vs a griefer, model / stress gas", lambda c: f"{fmt(c.resource_ratio.per_dispute_grief)} / {fmt(c.resource_ratio.per_dispute_grief_stress)}"),
        row("resource ratio per dispute vs a fraud, model / stress gas", lambda c: f"{fmt(c.resource_ratio.per_dispute_fraud)} / {fmt(c.resource_ratio.per_dispute_fraud_stress)}"),
        row("resource ratio per level, stress gas", lambda c: ", ".join(fmt(x) for x in c.resource_ratio.per_level_stress) or "-"),
        row("loss-to-gas ratio vs a griefer (old quantity)", lambda c: c.resource_ratio.loss_to_gas_grief),
        row("challenger bond / stake to rival", lambda c: _usd(c.challenger_bond_usd)),
        row("bond for griefing parity, model / stress gas", lambda c: f"{_usd(c.griefing_parity_bond_usd)} / {_usd(c.griefing_parity_bond_stress_usd)}"),
        row("cost to delay finality past the bound", lambda c: _usd(c.cost_to_delay_past_bound_usd)),
        row("bond making that delay cost the budget", lambda c: _usd(c.bond_for_bound_at_budget_usd)),
        row("delay flag", lambda c: "FLAGGED" if c.delay_flagged else "no"),
    ]
    me = a.own
    body = "\n\n".join(
        [
            (
                "The model's dispute design beside Arbitrum BoLD and the OP fault-dispute game as deployed "
                "(`models/baselines/bold.toml`, `models/baselines/op-fault-dispute.toml`: their published parameters, "
                "each with its source), all solved by the same code. Rounds use the real split rule (exact integers, "
                "checked against the materialised segment tree); durations are worst cases (the staller spends every "
                "timeout, or its whole chess clock and every extension; the honest party is censored once). The "
                "*resource ratio* is BoLD's: the adversary's marginal cost, gas plus the stakes and bonds it puts up, "
                "over the honest party's, honest staking included, per move, per dispute and per level, at the model's "
                "gas price and at the stress gas price. The *loss-to-gas ratio* is the quantity this report used to "
                "call resource ratio. A delay is bought with Sybil challengers (sequential and parallel), each dispute "
                "played to the one-step check; under a chess clock they share one clock, so the delay is bounded "
                "whatever the budget. The delay bound and the attack budget are the models' `max_finality_delay_s` "
                "and `delay_attack_budget_usd`."
            ),
            md_table(["quantity", *names], rows),
            f"Delay verdict for `{me.model}`: {'**flagged**' if me.delay_flagged else 'not flagged'} -- {me.delay_reason}.",
        ]
    )
    rr = me.resource_ratio
    summary = (
        f"Dispute design ({me.design}, {me.timing}): BoLD-definition resource ratio {fmt(rr.per_move_min)} per move and "
        f"{fmt(rr.per_dispute_grief)} / {fmt(rr.per_dispute_grief_stress)} per griefing dispute at {fmt(me.gas_price_gwei)} / "
        f"{fmt(me.stress_gas_price_gwei)} gwei; griefing-parity bond {_usd(me.griefing_parity_bond_usd)} "
        f"({_usd(me.griefing_parity_bond_stress_usd)} at stress gas); finality delay " + ("FLAGGED: " if me.delay_flagged else "within bound: ") + me.delay_reason + ".",
    )
    return Section(key="dispute", title="Dispute design against Arbitrum BoLD and the OP fault-dispute game", markdown=body, results=a.to_dict(), figures=(), summary=summary)
