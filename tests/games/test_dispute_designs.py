"""Dispute designs: exact rounds, backward induction against the materialised tree, resource ratios,
delay, and the BoLD / OP baselines reproduced from their published numbers."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.games.designs import (
    DesignSpec,
    Level,
    design_from_model,
    dispute_duration,
    level_rounds,
    materialised_rounds,
    move_schedule,
    op_required_bond_eth,
    split_parts,
    worst_case_duration,
)
from otr_theory.games.dispute import DisputeParams, analyse_dispute, subgame_perfect
from otr_theory.games.dispute_economics import (
    Stakes,
    _dispute_cost,
    bond_for_delay_cost,
    cost_to_delay,
    delay_attack,
    delay_flag,
    design_tree,
    griefing_parity_bond,
    normal_finality_s,
    resource_ratio,
    solve_design,
)
from otr_theory.games.normal_form import GameError
from otr_theory.games.tree import backward_induction
from otr_theory.model import ModelError, bisection_rounds, load_model

DAY = 86_400.0


@pytest.fixture(scope="module")
def otr():
    return load_model()


@pytest.fixture(scope="module")
def bold():
    return load_model("bold")


@pytest.fixture(scope="module")
def op():
    return load_model("op-fault-dispute")


# ---------------------------------------------------------------------------------------------
# exact rounds


@pytest.mark.parametrize("rule", ["even", "first_remainder"])
def test_level_rounds_match_the_materialised_segment_tree(rule):
    for n in range(1, 260):
        for k in range(2, 12):
            assert level_rounds(n, k, rule) == materialised_rounds(n, k, rule), (n, k, rule)


def test_even_split_is_the_ideal_formula():
    for n in (1, 2, 3, 7, 8, 9, 1000, 2**40, 2**40 + 1, 2**73, 3**30 + 5):
        for k in (2, 3, 10, 40):
            assert level_rounds(n, k, "even") == bisection_rounds(n, k)


def test_parts_add_up_and_differ_as_each_rule_says():
    for n in range(1, 200):
        for k in range(2, 9):
            for rule in ("even", "first_remainder"):
                parts = split_parts(n, k, rule)
                assert sum(parts) == n and len(parts) == min(k, n)
            assert max(split_parts(n, k, "even")) - min(split_parts(n, k, "even")) <= 1


def test_uneven_splits_can_need_more_rounds_than_the_ideal_formula():
    # Nitro's ChallengeLib gives the first segment the remainder: 8 steps, degree 3 -> 4, 2, 2 -> 3 rounds
    assert level_rounds(8, 3, "first_remainder") == 3 > bisection_rounds(8, 3) == 2
    worse = [(n, k) for n in range(2, 200) for k in range(2, 10) if level_rounds(n, k, "first_remainder") > bisection_rounds(n, k)]
    assert len(worse) > 50
    assert all(level_rounds(n, k, "first_remainder") >= bisection_rounds(n, k) for n in range(2, 200) for k in range(2, 10))


def test_nitro_worst_case_at_2_pow_20_and_degree_40():
    """Nitro's rule (degree min(40, L), the first segment takes L mod 40) needs 5 rounds at N = 2^20,
    where the ideal formula gives 4. The worst path is not the largest segment: 2^20 -> 26,214 -> 669
    -> 45 -> 6 -> 1 (the remainder segment 26,230 -> 685 -> 22 -> 1 is one round shorter)."""
    path = [1_048_576, 26_214, 669, 45, 6, 1]
    for a, b in itertools.pairwise(path):
        assert b in split_parts(a, 40, "first_remainder")
    assert [level_rounds(x, 40, "first_remainder") for x in path] == [5, 4, 3, 2, 1, 0]
    assert level_rounds(26_230, 40, "first_remainder") == 3
    assert level_rounds(2**20, 40, "first_remainder") == 5 > bisection_rounds(2**20, 40) == 4


def test_bad_split_inputs_raise_domain_errors():
    with pytest.raises(GameError, match="split_rule"):
        split_parts(10, 2, "odd")
    with pytest.raises(ValueError, match="arity"):
        level_rounds(10, 1)
    with pytest.raises(GameError, match="height"):
        materialised_rounds(10**6, 2)


# ---------------------------------------------------------------------------------------------
# the designs the baselines select


def test_default_model_keeps_todays_design(otr):
    d = design_from_model(otr)
    assert (d.name, d.timing, d.bond_rule, d.split_rule) == ("bisection", "rounds", "constant", "even")
    assert len(move_schedule(d)) == DisputeParams.from_model(otr).rounds == 40
    assert worst_case_duration(d) == DisputeParams.from_model(otr).worst_case_duration_s


def test_op_design_reaches_depth_73_split_at_depth_30(op):
    d = design_from_model(op)
    sched = move_schedule(d)
    # the challenger's opening claim sits at depth 1; move i at depth i + 1, the last at depth 73
    assert len(sched) + 1 == op.value("max_game_depth") == 73
    assert [m.index + 1 for m in sched if m.kind == "open"] == [31]  # the execution-trace root at split depth + 1
    assert d.level_rounds == (29, 42)


def test_bold_design_has_three_binary_levels(bold):
    d = design_from_model(bold)
    assert d.level_rounds == (26, 19, 23)
    assert len(move_schedule(d)) == 26 + 19 + 23 + 2 * 2  # each party opens its claim at the two lower levels


# ---------------------------------------------------------------------------------------------
# backward induction: compact solver = old solver = materialised tree


@pytest.mark.parametrize("liar", ["prover", "challenger"])
@pytest.mark.parametrize("v", [0.0, 0.05, 0.5, 5.0])
def test_design_solver_reproduces_the_single_level_solver(otr, liar, v):
    params = dataclasses.replace(DisputeParams.from_model(otr), delay_value_usd_per_s=v)
    old = subgame_perfect(params, liar).outcome
    new = solve_design(design_from_model(otr), Stakes.from_model(otr, delay_value_usd_per_s=v), liar)
    assert new.payoffs == old.payoffs
    assert new.opened == old.opened


SMALL = {
    "bisection": (Level(11, 3),),
    "bisection-nitro": (Level(8, 3),),
    "multilevel": (Level(4, 2, 0.0), Level(3, 2, 900.0), Level(2, 2, 150.0)),
    "op": (Level(4, 2), Level(2, 2)),
}


def _small(model, key, rule, timing):
    d = design_from_model(model)
    kw = {"levels": SMALL[key], "split_rule": rule, "timing": timing}
    if timing == "chess_clock":
        kw.update(chess_clock_s=7_200.0, clock_extension_s=600.0)
    if key == "op":
        kw.update(max_game_depth=6)
    return dataclasses.replace(d, **kw)


@pytest.mark.parametrize("key, model_name", [("bisection", "otr"), ("bisection-nitro", "otr"), ("multilevel", "bold"), ("op", "op-fault-dispute")])
@pytest.mark.parametrize("rule", ["even", "first_remainder"])
@pytest.mark.parametrize("timing", ["rounds", "chess_clock"])
def test_compact_backward_induction_matches_the_materialised_tree(key, model_name, rule, timing):
    model = load_model(model_name)
    d = _small(model, key, rule, timing)
    for liar in ("prover", "challenger"):
        for v in (0.0, 1e-3, 0.05, 1.0, 50.0):
            stakes = Stakes.from_model(model, delay_value_usd_per_s=v)
            tree_payoffs, _ = backward_induction(design_tree(d, stakes, liar))
            assert solve_design(d, stakes, liar).payoffs == tree_payoffs, (key, rule, timing, liar, v)


def test_tree_with_per_move_bonds_matches(otr):
    d = dataclasses.replace(_small(otr, "bisection", "first_remainder", "rounds"), level_bond_usd=3.0)
    for liar in ("prover", "challenger"):
        for v in (0.0, 0.01, 1.0):
            stakes = Stakes.from_model(otr, delay_value_usd_per_s=v)
            assert solve_design(d, stakes, liar).payoffs == backward_induction(design_tree(d, stakes, liar))[0]


def test_materialised_tree_is_refused_when_too_big(otr):
    with pytest.raises(GameError, match="materialised tree"):
        design_tree(design_from_model(otr), Stakes.from_model(otr), "prover")


# ---------------------------------------------------------------------------------------------
# the chess clock bounds delay; round timeouts do not


@settings(max_examples=60, deadline=None)
@given(
    clock=st.floats(min_value=60, max_value=1e6),
    ext=st.floats(min_value=0, max_value=1e4),
    spend=st.lists(st.floats(min_value=0, max_value=1.0), min_size=1, max_size=80),
)
def test_property_chess_clock_bounds_a_stallers_time(clock, ext, spend):
    """Whatever share of its remaining clock the staller spends on each of its m moves, it spends at
    most C + (m - 1) E in all (the extension tops a low clock up to E); under round timeouts each move
    may take the whole timeout T, so m moves take m T, growing without bound with the trace."""
    remaining, total = clock, 0.0
    for frac in spend:
        t = frac * remaining
        total += t
        remaining -= t
        remaining = max(remaining, ext)
    assert total <= clock + (len(spend) - 1) * ext + 1e-6 * clock


@settings(max_examples=40, deadline=None)
@given(budget=st.floats(min_value=0, max_value=1e9), heights=st.lists(st.integers(min_value=2, max_value=2**20), min_size=1, max_size=3))
def test_property_chess_clock_bounds_delay_whatever_the_budget(otr, budget, heights):
    base = design_from_model(otr)
    levels = tuple(Level(h, 2) for h in heights)
    clocked = dataclasses.replace(base, levels=levels, timing="chess_clock", chess_clock_s=86_400.0, clock_extension_s=3_600.0)
    rounds = dataclasses.replace(base, levels=levels)
    bound = clocked.chess_clock_s + len(move_schedule(clocked)) * 2 * clocked.clock_extension_s + clocked.settlement_s + clocked.censorship_s
    for mode in ("sequential", "parallel"):
        assert delay_attack(clocked, budget, mode).extra_delay_s <= bound
    seq = delay_attack(rounds, budget, "sequential")
    assert seq.extra_delay_s == seq.sybils * worst_case_duration(rounds)


def test_round_timeouts_let_a_budget_buy_unbounded_delay(otr):
    d = design_from_model(otr)
    delays = [delay_attack(d, b, "sequential").extra_delay_s for b in (1e4, 1e5, 1e6, 1e7)]
    assert delays == sorted(delays) and delays[-1] > 900 * delays[0]
    clocked = dataclasses.replace(d, timing="chess_clock", chess_clock_s=86_400.0)
    assert len({delay_attack(clocked, b, "sequential").extra_delay_s for b in (1e4, 1e5, 1e6, 1e7)}) == 1


def test_duration_under_a_chess_clock_counts_extensions(op):
    d = design_from_model(op)
    # the challenger team stalls: its opening (depth 1) spends the 3.5-day clock, then its 36 moves at
    # depths 3, 5, ..., 73 earn 3 h each, 6 h for the execution-trace root at depth 31; plus the airgap
    # and censorship
    t = dispute_duration(d, 73, staller=1)
    assert t == d.chess_clock_s + 37 * d.clock_extension_s + d.settlement_s + d.censorship_s


# ---------------------------------------------------------------------------------------------
# resource ratio


def test_default_resource_ratio_by_bolds_definition(otr):
    d = design_from_model(otr)
    at_model = resource_ratio(d, slash_usd=otr.value("slash_usd"))
    at_stress = resource_ratio(d, slash_usd=otr.value("slash_usd"), gas_price_gwei=otr.value("stress_gas_price_gwei"))
    # per move: a staller's move costs it what the honest answer costs (same gas, no bonds)
    assert at_model.per_move_min == at_model.per_move_max == 1.0 == at_stress.per_move_min
    # per dispute against a griefer: (open + 20 moves + bond) / (20 moves + the one-step check)
    p, e = otr.value("gas_price_gwei"), otr.value("eth_price_usd")
    usd = lambda g, gwei=p: g * gwei * 1e-9 * e
    expect = (usd(100_000) + usd(20 * 150_000) + 1_000) / usd(21 * 150_000)
    assert at_model.per_dispute_grief == pytest.approx(expect, rel=1e-12)
    expect500 = (usd(100_000, 500) + usd(20 * 150_000, 500) + 1_000) / usd(21 * 150_000, 500)
    assert at_stress.per_dispute_grief == pytest.approx(expect500, rel=1e-12)
    assert at_stress.per_dispute_grief < 1.2


def test_old_quantity_kept_as_loss_to_gas_ratio(otr):
    a = analyse_dispute(DisputeParams.from_model(otr))
    rr = resource_ratio(design_from_model(otr), slash_usd=otr.value("slash_usd"))
    assert rr.loss_to_gas_fraud == pytest.approx(a.loss_to_gas_ratio_fraud, rel=1e-12)
    assert rr.loss_to_gas_grief == pytest.approx(a.loss_to_gas_ratio_grief, rel=1e-12)


def test_bold_resource_ratio_reproduces_6_46(bold):
    """Arbitrum docs, "Economics of Disputes in Arbitrum BoLD": a resource ratio of 6.46 "taking the
    initial bond to become a proposer and a worst case scenario of 500 gwei/gas on L1"
    (https://docs.arbitrum.io/how-arbitrum-works/bold/bold-economics-of-disputes). From the Arbitrum One
    settings (nitro-contracts arb1.ts: 3600 ETH stake, 555 / 79 ETH mini-stakes, 2^26 block leaves):
    (3600 ETH + g_e p) / (555 ETH + (26 g_b + g_e) p) at p = 500 gwei."""
    d = design_from_model(bold)
    rr = resource_ratio(d, slash_usd=bold.value("slash_usd"), gas_price_gwei=bold.value("stress_gas_price_gwei"))
    assert rr.per_level[0] == pytest.approx(6.46, abs=0.005)
    # insensitive to our assumed gas per bisection over its whole range
    for g in (bold.quantity("dispute_step_gas").low, bold.quantity("dispute_step_gas").high):
        r = resource_ratio(dataclasses.replace(d, dispute_step_gas=g), slash_usd=0.0, gas_price_gwei=500.0)
        assert r.per_level[0] == pytest.approx(6.46, abs=0.03)
    # without gas the ratio is the stake ratio 3600/555
    assert resource_ratio(d, slash_usd=0.0, gas_price_gwei=0.0).per_level[0] == pytest.approx(3600 / 555)


def test_op_bond_schedule_reproduces_the_spec(op):
    """Optimism specs, Bond Incentives: bonds from 400,000 to 300,000,000 gas at an assumed 200 gwei,
    multiplier x = (300,000,000 / 400,000) ** (1/73) = 1.09493 per depth
    (https://github.com/ethereum-optimism/specs/blob/main/specs/fault-proof/stage-one/bond-incentives.md)."""
    assert op_required_bond_eth(0) == pytest.approx(0.08, rel=1e-12)
    assert op_required_bond_eth(73) == pytest.approx(60.0, rel=1e-12)
    assert op_required_bond_eth(1) / op_required_bond_eth(0) == pytest.approx(1.09493, abs=5e-6)
    for n in range(74):
        assert op_required_bond_eth(n) == pytest.approx(200e-9 * 400_000 * 1.09493**n, rel=5e-4)  # x is rounded to 5 digits
    eth = op.value("eth_price_usd")
    sched = move_schedule(design_from_model(op))
    for m in sched:
        assert m.bond_usd == pytest.approx(op_required_bond_eth(m.index + 1) * eth, rel=1e-12)
    assert sched[-1].bond_usd == pytest.approx(60.0 * eth)
    assert op.value("stake_usd") == pytest.approx(op_required_bond_eth(0) * eth)
    assert op.value("challenger_bond_usd") == pytest.approx(op_required_bond_eth(1) * eth, abs=0.005)  # to the cent


def test_op_per_move_ratio_is_the_bond_growth(op):
    rr = resource_ratio(design_from_model(op), slash_usd=op.value("slash_usd"), gas_price_gwei=0.0)
    x = 750 ** (1 / 73)
    assert rr.per_move_min == pytest.approx(1 / x) and rr.per_move_max == pytest.approx(1 / x)


# ---------------------------------------------------------------------------------------------
# delay


def test_bold_worst_case_finality_is_two_challenge_periods(bold):
    """Arbitrum docs (gentle introduction to BoLD): an honest claim confirms after one ~6.4-day
    challenge period; during a dispute the delay is capped at ~12.8 days (two challenge periods),
    whatever the number of adversaries."""
    d = design_from_model(bold)
    assert normal_finality_s(d) / DAY == pytest.approx(6.4, rel=0.01)
    assert delay_attack(d, 1e5, "sequential").sybils == 0  # one rival assertion costs 3600 ETH
    for budget in (2e7, 1e9, 1e12):
        a = delay_attack(d, budget, "sequential")
        assert a.bounded and a.finality_s / DAY == pytest.approx(12.8, rel=0.01)


def test_op_finality_and_its_bound(op):
    d = design_from_model(op)
    assert normal_finality_s(d) == 7 * DAY  # 3.5-day clock + 3.5-day airgap
    worst = delay_attack(d, 1e12, "sequential")
    assert worst.bounded
    # the staller's 3.5-day clock (the window itself) plus its extensions; the airgap follows either way
    assert worst.finality_s == pytest.approx(worst_case_duration(d))


def test_default_model_is_flagged_and_the_baselines_are_not(otr, bold, op):
    flagged, reason = delay_flag(otr)
    assert flagged and "sequential" in reason and "past the 168.0 h bound" in reason
    assert not delay_flag(bold)[0] and not delay_flag(op)[0]
    assert delay_flag(otr, max_delay_s=0)[0] is False
    assert delay_flag(otr, budget_usd=500.0)[0] is False  # not even one dispute is affordable
    with pytest.raises(ValueError, match="budget_usd"):
        delay_flag(otr, budget_usd=-1.0)


def test_bond_for_delay_cost_makes_the_delay_cost_that_much(otr):
    d = design_from_model(otr)
    delay, cost = otr.value("max_finality_delay_s"), otr.value("delay_attack_budget_usd")
    b = bond_for_delay_cost(d, delay, cost)
    fixed = dataclasses.replace(d, challenger_bond_usd=b)
    s = math.ceil(delay / worst_case_duration(d))
    assert s * _dispute_cost(fixed)[0] == pytest.approx(cost, rel=1e-12)
    # an independent check: just under that budget the delay is no longer bought
    assert delay_attack(fixed, cost * (1 - 1e-9), "sequential").extra_delay_s < delay
    assert delay_attack(fixed, cost, "sequential").extra_delay_s >= delay
    assert delay_flag(otr.with_values(challenger_bond_usd=b * 1.0001))[0] is False


def test_griefing_parity_bond(otr):
    d = design_from_model(otr)
    for gwei in (otr.value("gas_price_gwei"), otr.value("stress_gas_price_gwei")):
        b = griefing_parity_bond(d, gas_price_gwei=gwei)
        fixed = dataclasses.replace(d, challenger_bond_usd=b, gas_price_gwei=gwei)
        attacker, honest_gas = _dispute_cost(fixed)
        defender = honest_gas + d.stake_usd * d.capital_cost_rate_per_year * worst_case_duration(d) / (365.25 * DAY)
        assert attacker == pytest.approx(defender, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# model files


def _with_dispute(text: str, old: str, new: str):
    from otr_theory.model import default_model_path, loads_model

    src = default_model_path().read_text(encoding="utf-8")
    assert old in src
    return loads_model(src.replace(old, new, 1))


def test_model_rejects_bad_design_keys():
    with pytest.raises(ModelError, match=r"dispute\.design: must be one of"):
        _with_dispute("", 'design = "bisection"', 'design = "tournament"')
    with pytest.raises(ModelError, match=r"dispute\.chess_clock_s\.value: must be > 0"):
        _with_dispute("", 'timing = "rounds"', 'timing = "chess_clock"')
    with pytest.raises(ModelError, match=r"dispute\.levels: is missing"):
        _with_dispute("", 'design = "bisection"', 'design = "multilevel"')
    with pytest.raises(ModelError, match=r"dispute\.split_depth"):
        _with_dispute("", 'design = "bisection"', 'design = "op"')


def test_design_round_trips_through_to_dict(bold):
    again = bold.with_values(slash_usd=bold.value("slash_usd"))
    assert again.dispute == bold.dispute
    assert design_from_model(again) == design_from_model(bold)


def test_design_spec_validates():
    with pytest.raises(GameError, match="chess_clock_s"):
        DesignSpec("x", (Level(4, 2),), timing="chess_clock", chess_clock_s=0.0)
    with pytest.raises(GameError, match="levels"):
        DesignSpec("x", ())


def test_cost_to_delay_agrees_with_the_attack(otr, bold, op):
    for m in (otr, bold, op):
        d = design_from_model(m)
        bound = m.value("max_finality_delay_s")
        c = cost_to_delay(d, bound)
        if math.isinf(c):
            assert delay_attack(d, 1e15, "sequential").extra_delay_s <= bound
        else:
            assert delay_attack(d, c, "sequential").extra_delay_s > bound
            assert delay_attack(d, c * (1 - 1e-6), "sequential").extra_delay_s <= bound
