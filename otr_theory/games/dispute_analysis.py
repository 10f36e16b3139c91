"""The model's dispute design beside Arbitrum BoLD and the OP fault-dispute game, as a typed record.

Every column is solved by the same code (:mod:`otr_theory.games.designs`,
:mod:`otr_theory.games.dispute_economics`) from a model file: the analysed model, then the
shipped baselines ``bold`` and ``op-fault-dispute`` with their published parameters (a baseline
that is the model itself is skipped). A column holds the design, the worst-case rounds (moves
before the one-step check, with the real split rule), one dispute's worst-case duration,
finality without and under the budgeted delay attack, BoLD's resource ratio per move, per dispute
and per level at the model's and the stress gas price, the bond that makes griefing cost the
griefer at least what it costs the defender, the cost of delaying finality past the bound, the
delay flag (:func:`~otr_theory.games.dispute_economics.delay_flag`) and the subgame-perfect play
of a lying prover and of a griefing challenger (:func:`~otr_theory.games.dispute_economics.solve_design`,
checked against the materialised tree in the games tests).
"""

from __future__ import annotations

import dataclasses

from otr_theory.games.designs import (
    design_from_model,
    move_schedule,
    worst_case_duration,
)
from otr_theory.games.dispute_economics import (
    Stakes,
    bond_for_delay_cost,
    cost_to_delay,
    delay_attack,
    delay_flag,
    griefing_parity_bond,
    normal_finality_s,
    resource_ratio,
    solve_design,
    worst_finality_s,
)
from otr_theory.model import Model, load_model
from otr_theory.records import Record, quantity

__all__ = ["BASELINES", "DelaySummary", "DisputeAnalysis", "DisputeColumn", "RatioSummary", "analyse", "column"]

BASELINES: tuple[str, ...] = ("bold", "op-fault-dispute")
"""The shipped baselines compared with the model (models/baselines/)."""


@dataclasses.dataclass(frozen=True, repr=False)
class DelaySummary(Record):
    """The budgeted delay attack that delays finality most (sequential or parallel Sybils)."""

    TITLE = "delay attack"

    mode: str = quantity("", "sequential or parallel Sybil disputes")
    sybils: int = quantity("count", "Sybil disputes the budget buys")
    extra_delay_s: float = quantity("s", "finality delay bought")
    cost_per_dispute_usd: float = quantity("USD", "gas and forfeited bonds of one griefing dispute played to the end")
    honest_cost_usd: float = quantity("USD", "the honest side's gas and stake capital over the delay")
    bounded: bool = quantity("", "the delay is bounded whatever the budget (chess clock)")


@dataclasses.dataclass(frozen=True, repr=False)
class RatioSummary(Record):
    """BoLD's resource ratio (adversary's marginal cost over the honest party's), model and stress gas."""

    TITLE = "resource ratio (BoLD's definition)"

    per_move_min: float = quantity("", "smallest ratio of one adversary move and the honest answer, model gas", source="Arbitrum BoLD, Economics of disputes")
    per_move_min_stress: float = quantity("", "the same at the stress gas price")
    per_dispute_grief: float = quantity("", "over a griefing dispute played to the one-step check, model gas")
    per_dispute_grief_stress: float = quantity("", "the same at the stress gas price")
    per_dispute_fraud: float = quantity("", "over a fraud dispute, model gas")
    per_dispute_fraud_stress: float = quantity("", "the same at the stress gas price")
    per_level_stress: tuple[float, ...] = quantity("", "per level of a multi-level design, stress gas (formula ours)")
    loss_to_gas_grief: float = quantity("", "the attacker's total loss over the honest side's gas, vs a griefer (the older quantity)")
    loss_to_gas_fraud: float = quantity("", "the same vs a fraud")


@dataclasses.dataclass(frozen=True, repr=False)
class DisputeColumn(Record):
    """Every number of one design (one column of the comparison)."""

    TITLE = "dispute design"
    SUMMARY = ("model", "design", "timing", "moves", "dispute_worst_case_s", "normal_finality_s", "attacked_finality_s", "griefing_parity_bond_usd", "delay_flagged")

    model: str = quantity("", "the model file's name")
    design: str = quantity("", "the dispute design")
    timing: str = quantity("", "round timeouts or a chess clock")
    bond_rule: str = quantity("", "how bonds are posted")
    split_rule: str = quantity("", "how a segment is dissected")
    level_rounds: tuple[int, ...] = quantity("count", "dissection rounds per level (exact integers)")
    moves: int = quantity("count", "moves before the one-step check")
    dispute_worst_case_s: float = quantity("s", "one dispute, worst case (the staller spends every timeout; the honest party censored once)")
    normal_finality_s: float = quantity("s", "finality, unchallenged")
    attacked_finality_s: float = quantity("s", "finality under the budgeted delay attack")
    worst_finality_any_budget_s: float = quantity("s", "finality, worst case whatever the budget (inf: unbounded)")
    attack: DelaySummary = quantity("", "the budgeted delay attack")
    gas_price_gwei: float = quantity("gwei", "the model's gas price", source="model: gas_price_gwei")
    stress_gas_price_gwei: float = quantity("gwei", "the stress gas price", source="model: stress_gas_price_gwei")
    resource_ratio: RatioSummary = quantity("", "BoLD's resource ratio")
    challenger_bond_usd: float = quantity("USD", "challenger bond / stake to rival", source="model: challenger_bond_usd")
    griefing_parity_bond_usd: float = quantity("USD", "least bond with which griefing costs the griefer at least the defender's cost, model gas")
    griefing_parity_bond_stress_usd: float = quantity("USD", "the same at the stress gas price")
    max_finality_delay_s: float = quantity("s", "the delay bound", source="model: max_finality_delay_s")
    delay_attack_budget_usd: float = quantity("USD", "the attacker's budget", source="model: delay_attack_budget_usd")
    cost_to_delay_past_bound_usd: float = quantity("USD", "the cost of delaying finality past the bound (inf: impossible)")
    bond_for_bound_at_budget_usd: float = quantity("USD", "the bond that makes that delay cost the whole budget")
    delay_flagged: bool = quantity("", "an attacker pushes finality past the bound within the budget")
    delay_reason: str = quantity("", "why (or why not)")
    spe_fraud_opened: bool = quantity("", "subgame-perfect play: the honest challenger opens against a lying prover")
    spe_fraud_ended_at: int = quantity("count", "the move at which that dispute ends")
    spe_grief_opened: bool = quantity("", "subgame-perfect play: a griefing challenger opens")


@dataclasses.dataclass(frozen=True, repr=False)
class DisputeAnalysis(Record):
    """The model's dispute design and the baselines', column by column.

    Examples
    --------
    >>> a = analyse(load_model())
    >>> [c.model for c in a.columns]
    ['otr-llama70b-h100-l1', 'arbitrum-bold', 'op-fault-dispute-game']
    >>> print(repr(a).splitlines()[0])
    DisputeAnalysis('Dispute design against Arbitrum BoLD and the OP fault-dispute game')
    >>> a.to_dict()["columns"][0]["delay_flagged"]
    True
    """

    TITLE = "Dispute design against Arbitrum BoLD and the OP fault-dispute game"
    TABLE = "columns"
    SUMMARY = ("model", "baselines", "delay_flagged")

    model: str = quantity("", "the analysed model's name")
    baselines: tuple[str, ...] = quantity("", "the baselines compared (those that are not the model)")
    delay_flagged: bool = quantity("", "the analysed model's delay flag")
    columns: tuple[DisputeColumn, ...] = quantity("", "the model's column first, then each baseline's")

    @property
    def own(self) -> DisputeColumn:
        """The analysed model's column."""
        return self.columns[0]


def column(model: Model) -> DisputeColumn:
    """Every number of ``model``'s dispute design (see the module docstring)."""
    d = design_from_model(model)
    slash = model.value("slash_usd")
    stress = model.value("stress_gas_price_gwei")
    rr = resource_ratio(d, slash_usd=slash)
    rs = resource_ratio(d, slash_usd=slash, gas_price_gwei=stress)
    budget, bound = model.value("delay_attack_budget_usd"), model.value("max_finality_delay_s")
    worst = max((delay_attack(d, budget, mode) for mode in ("sequential", "parallel")), key=lambda a: a.extra_delay_s)
    flagged, reason = delay_flag(model)
    stakes = Stakes.from_model(model)
    fraud, grief = solve_design(d, stakes, "prover"), solve_design(d, stakes, "challenger")
    return DisputeColumn(
        model=model.name,
        design=d.name,
        timing=d.timing,
        bond_rule=d.bond_rule,
        split_rule=d.split_rule,
        level_rounds=tuple(int(r) for r in d.level_rounds),
        moves=len(move_schedule(d)),
        dispute_worst_case_s=float(worst_case_duration(d)),
        normal_finality_s=float(normal_finality_s(d)),
        attacked_finality_s=float(worst.finality_s),
        worst_finality_any_budget_s=float(worst_finality_s(d)),
        attack=DelaySummary(
            mode=worst.mode,
            sybils=int(worst.sybils),
            extra_delay_s=float(worst.extra_delay_s),
            cost_per_dispute_usd=float(worst.cost_per_dispute_usd),
            honest_cost_usd=float(worst.honest_cost_usd),
            bounded=bool(worst.bounded),
        ),
        gas_price_gwei=float(model.value("gas_price_gwei")),
        stress_gas_price_gwei=float(stress),
        resource_ratio=RatioSummary(
            per_move_min=float(rr.per_move_min),
            per_move_min_stress=float(rs.per_move_min),
            per_dispute_grief=float(rr.per_dispute_grief),
            per_dispute_grief_stress=float(rs.per_dispute_grief),
            per_dispute_fraud=float(rr.per_dispute_fraud),
            per_dispute_fraud_stress=float(rs.per_dispute_fraud),
            per_level_stress=tuple(float(x) for x in rs.per_level),
            loss_to_gas_grief=float(rr.loss_to_gas_grief),
            loss_to_gas_fraud=float(rr.loss_to_gas_fraud),
        ),
        challenger_bond_usd=float(model.value("challenger_bond_usd")),
        griefing_parity_bond_usd=float(griefing_parity_bond(d)),
        griefing_parity_bond_stress_usd=float(griefing_parity_bond(d, gas_price_gwei=stress)),
        max_finality_delay_s=float(bound),
        delay_attack_budget_usd=float(budget),
        cost_to_delay_past_bound_usd=float(cost_to_delay(d, bound)),
        bond_for_bound_at_budget_usd=float(bond_for_delay_cost(d, bound, budget)),
        delay_flagged=bool(flagged),
        delay_reason=reason,
        spe_fraud_opened=bool(fraud.opened),
        spe_fraud_ended_at=int(fraud.ended_at),
        spe_grief_opened=bool(grief.opened),
    )


def analyse(model: Model) -> DisputeAnalysis:
    """The model's column, then BoLD's and the OP game's (skipping a baseline that is the model itself)."""
    cols = [column(model)]
    names = []
    for name in BASELINES:
        other = load_model(name)
        if other.name != model.name:
            cols.append(column(other))
            names.append(other.name)
    return DisputeAnalysis(model=model.name, baselines=tuple(names), delay_flagged=cols[0].delay_flagged, columns=tuple(cols))
