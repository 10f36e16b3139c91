"""The bisection dispute game: rounds, duration, SPE on the compact chain vs the materialised tree."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.games.dispute import (
    DisputeParams,
    analyse_dispute,
    breakeven_delay_value,
    dispute_rounds,
    dispute_tree,
    full_play,
    subgame_perfect,
    sybil_attack,
)
from otr_theory.games.nfg import dumps_efg
from otr_theory.games.normal_form import GameError
from otr_theory.games.tree import backward_induction, count_nodes, depth


@pytest.fixture(scope="module")
def params(model):
    return DisputeParams.from_model(model)


@pytest.mark.parametrize(
    "n, k, rounds",
    [(1, 2, 0), (2, 2, 1), (3, 2, 2), (4, 2, 2), (5, 2, 3), (2**40, 2, 40), (2**40 + 1, 2, 41), (10**12, 10, 12), (10**12 + 1, 10, 13), (3**20, 3, 20)],
)
def test_rounds_exact(n, k, rounds):
    assert dispute_rounds(n, k) == rounds
    if n > 1:  # the smallest R with k^R >= N
        assert k**rounds >= n > k ** (rounds - 1)


def test_model_numbers(params):
    # 2^40 steps, binary: 40 rounds; 40 x 1,800 s + 1,800 s + 100 blocks x 12 s = 75,000 s
    # (the default's timeouts exceed the censorship bound: issue 13)
    assert params.rounds == 40
    assert params.worst_case_duration_s == 40 * 1800 + 1800 + 100 * 12
    assert params.move_usd == pytest.approx(150_000 * 1e-9 * 3000)
    a = analyse_dispute(params)
    assert a.fits_window and a.max_sequential_sybil_provers == 86_400 // 75_000
    # the lying prover loses S and pays 20 moves and the final check; the challenger pays opening and 20 moves
    assert a.loss_to_gas_ratio_fraud == pytest.approx((100_000 + 21 * 0.45) / (0.3 + 20 * 0.45))


def test_spe_known_answers(params):
    fraud = subgame_perfect(params, "prover")
    assert fraud.plan[0] == "open" and fraud.plan[1] == "concede"  # the lying prover gives up at once
    assert fraud.outcome.winner == "challenger" and fraud.outcome.resolved_round == 1
    # the honest challenger nets the reward minus opening gas
    assert fraud.outcome.payoffs[1] == pytest.approx(0.5 * 100_000 - params.open_usd)
    grief = subgame_perfect(params, "challenger")
    assert not grief.outcome.opened and grief.outcome.payoffs == (0.0, 0.0)


def test_full_play_accounting(params):
    o = full_play(params, "prover")
    R = params.rounds
    # P moves in odd rounds (20 of 40), C in even ones (20) and calls the final check (round 41 is P's: odd)
    assert o.gas_usd[0] == pytest.approx(20 * params.move_usd + params.step_usd)
    assert o.gas_usd[1] == pytest.approx(20 * params.move_usd + params.open_usd)
    assert o.payoffs[0] == pytest.approx(-o.gas_usd[0] - params.slash_usd)
    assert o.duration_s == params.worst_case_duration_s and o.resolved_round == R + 1


def test_level_bonds_deter_stalling(params):
    """A lying prover, once challenged, loses S anyway: with a delay value it stalls for the price of gas;
    a level bond per move makes stalling cost more than the delay is worth."""
    v = 0.01  # USD per second of delay
    stall = subgame_perfect(dataclasses.replace(params, delay_value_usd_per_s=v), "prover")
    assert stall.outcome.duration_s >= params.worst_case_duration_s - params.round_timeout_s
    bonded = subgame_perfect(dataclasses.replace(params, delay_value_usd_per_s=v, level_bond_usd=100.0), "prover")
    assert bonded.outcome.resolved_round == 1


def test_breakeven_delay_value(params):
    v = breakeven_delay_value(params, "challenger")
    # a griefer who stalls to the end loses its bond and gas: it pays iff v D exceeds them (roughly)
    lo = subgame_perfect(dataclasses.replace(params, delay_value_usd_per_s=v * 0.99), "challenger").outcome
    hi = subgame_perfect(dataclasses.replace(params, delay_value_usd_per_s=v * 1.01), "challenger").outcome
    assert hi.duration_s >= params.worst_case_duration_s > lo.duration_s
    assert v == pytest.approx((params.challenger_bond_usd + 20 * params.move_usd + params.open_usd) / params.worst_case_duration_s, rel=0.05)


def test_sybils(params):
    seq = sybil_attack(params, "provers", 4, "sequential")
    par = sybil_attack(params, "provers", 4, "parallel")
    assert seq.delay_s == 4 * params.worst_case_duration_s and not seq.fits_window
    assert par.delay_s == params.worst_case_duration_s and par.fits_window
    assert seq.attacker_cost_usd == par.attacker_cost_usd == pytest.approx(4 * (params.slash_usd + 20 * params.move_usd + params.step_usd))
    assert seq.loss_to_gas_ratio == par.loss_to_gas_ratio > 1000
    with pytest.raises(GameError, match="side"):
        sybil_attack(params, "validators", 1)


def test_tree_export_to_efg(params):
    small = dataclasses.replace(params, trace_steps=4)
    t = dispute_tree(small, "prover")
    text = dumps_efg(t, players=("prover", "challenger"), title="dispute, N = 4")
    body = text.strip().splitlines()[3:]
    assert len(body) == count_nodes(t)
    assert depth(t) == 1 + small.rounds + 1  # open, the rounds, the final check
    assert body[0].startswith('p "challenger: open a dispute?" 2 1')


def test_tree_too_big(params):
    with pytest.raises(GameError, match="materialised tree"):
        dispute_tree(params, "prover")


def test_bad_params(params):
    with pytest.raises(GameError, match="bisection_arity"):
        dataclasses.replace(params, bisection_arity=1)
    with pytest.raises(GameError, match="round_timeout_s"):
        dataclasses.replace(params, round_timeout_s=0.0)
    with pytest.raises(GameError, match="liar"):
        subgame_perfect(params, "both")
    with pytest.raises(GameError, match="slash_usd"):
        dataclasses.replace(params, slash_usd=-1.0)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 20),
    k=st.integers(2, 4),
    liar=st.sampled_from(["prover", "challenger"]),
    bond=st.sampled_from([0.0, 1.0, 1000.0]),
    level=st.sampled_from([0.0, 0.3, 50.0]),
    delay=st.sampled_from([0.0, 1e-4, 0.01, 10.0]),
    gain=st.sampled_from([0.0, 100.0, 1e6]),
    slash=st.sampled_from([0.0, 10.0, 1e5]),
)
def test_property_compact_equals_materialised(params, n, k, liar, bond, level, delay, gain, slash):
    """Backward induction on the compact chain = on the full tree (k segment choices per move)."""
    p = dataclasses.replace(
        params,
        trace_steps=n,
        bisection_arity=k,
        challenger_bond_usd=bond,
        level_bond_usd=level,
        delay_value_usd_per_s=delay,
        external_gain_usd=gain,
        slash_usd=slash,
    )
    tree = dispute_tree(p, liar)
    pay, path = backward_induction(tree)
    spe = subgame_perfect(p, liar)
    assert pay == spe.outcome.payoffs
    assert path[0] == spe.plan[0]
    # the honest side never loses on the equilibrium path once a dispute is opened, unless it conceded
    if spe.outcome.opened and not spe.outcome.conceded:
        assert spe.outcome.winner != liar
    assert math.isfinite(spe.outcome.duration_s)
