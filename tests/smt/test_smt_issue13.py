"""Issue 13: required tiers, money and time theorems, every rule a switch, censored moves, costs."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest

from otr_theory.cli.check import junit_xml
from otr_theory.model import ModelError, load_model, loads_model_dict
from otr_theory.smt.incentives import BoxPoint
from otr_theory.smt.interpreter import Action, Disabled, initial_state, run
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import check
from otr_theory.smt.vocabulary import PY, Phase, SlotPhase


# ---------------------------------------------------------------- required tiers
@pytest.mark.parametrize(
    "values, theorems, tier",
    [
        ({"slash_usd": 0.0}, (7, 8), "slashing (slash > 0)"),
        ({"count": 0}, (3, 9), "optimistic window with a bisection dispute game"),
        ({"spot_check_rate": 0.0}, (6,), "random ZK spot-checks"),
    ],
)
def test_zeroing_a_relied_on_tier_fails_with_its_reason(values, theorems, tier, theorems_by_number):
    """OTR relies on challenge and slashing, spot-checks and attestation: zeroing one is exit 1, never 'not applicable'."""
    m = load_model().with_values(**values)
    report = check(m, theorems=[theorems_by_number[n] for n in theorems])
    assert report.exit_code == 1
    for r in report.results:
        assert r.status == "violated" and r.method == "required tier missing"
        assert "relies on" in r.detail and tier in r.detail


def test_a_scheme_without_the_tier_is_still_not_applicable(theorems_by_number):
    """PoQ never had a dispute game: theorem 3 is not applicable there, not violated."""
    r = check(load_model("poq"), theorems=[theorems_by_number[3]]).results[0]
    assert r.status == "not applicable"


# ---------------------------------------------------------------- findings through the model file
def test_stake_withdrawable_before_its_window_ends_exits_1(theorems_by_number):
    m = load_model().with_values(stake_unbonding_s=3600.0)
    report = check(m, theorems=[theorems_by_number[8]])
    (r,) = report.results
    assert report.exit_code == 1 and r.counterexample.replayed
    assert any("withdraws its stake" in s.text for s in r.counterexample.steps)


def test_the_old_round_timeout_loses_to_censored_moves(theorems_by_number):
    """R = 600 s < C = 1,200 s (the former default): an honest prover's censored move times out and it is slashed."""
    m = load_model().with_values(round_timeout_s=600.0)
    (r,) = check(m, theorems=[theorems_by_number[2]]).results
    assert r.status == "violated" and r.counterexample.replayed
    assert "an honest prover is never slashed" in r.counterexample.violated
    assert any("times out" in s.text for s in r.counterexample.steps)


# ---------------------------------------------------------------- the interpreter's new rules
def _to_demand(p: Params, **kw):
    s = initial_state(p, honest=False, compromised=True, **kw)
    return run(p, s, [Action("commit", v=False, aok=True), Action("draw", sel=True), Action("tick", delta=p.attestation_latency_s), Action("verify")])


def test_a_slash_takes_only_the_stake_left(params):
    s = _to_demand(params, stake_init=30_000)
    s = run(params, s, [Action("tick", delta=params.proof_deadline_s), Action("miss")])
    assert s.phase == Phase.SLASHED and s.slashed == 30_000 and s.stake == 0 and s.burned_slash == 30_000
    with pytest.raises(Disabled, match="stake_init"):
        initial_state(params, stake_init=params.stake_usd + 1)


def test_withdrawal_waits_for_the_unbonding_period(params):
    s = _to_demand(params)
    with pytest.raises(Disabled, match="unbonding"):
        run(params, s, [Action("withdraw")])
    short = params.replace(unbonding_s=Fraction(60))
    s = _to_demand(short)
    s = run(short, s, [Action("tick", delta=Fraction(60)), Action("withdraw"), Action("tick", delta=short.proof_deadline_s - 60), Action("miss")])
    assert s.P_bal == short.stake_usd and s.slashed == 0  # the fraud is proved, the stake is gone


def test_gas_is_counted_per_move_and_a_lost_griefer_pays_its_bond(params):
    s = initial_state(params, honest=True)
    s = run(
        params,
        s,
        [
            Action("commit", v=True, aok=True),
            Action("draw", sel=False),
            Action("tick", delta=params.attestation_latency_s),
            Action("verify"),
            Action("open", "G"),
            Action("post_p", "G"),
            Action("tick", delta=params.round_timeout_s),
            Action("timeout", "G"),
        ],
    )
    assert s.G_ph == SlotPhase.LOST
    assert s.G_gas == params.open_gas_usd and s.G_pgas == params.step_gas_usd
    assert s.G_wallet == 0 and s.burned_bond == params.bond_usd
    # $0.30 of gas + $1,000 bond against the prover's $0.45: ratio far above 1
    assert s.G_gas + params.bond_usd >= params.griefing_ratio * s.G_pgas


def test_prover_first_blocks_the_challenger_until_the_prover_moves(params):
    p = params.replace(rules=dataclasses.replace(params.rules, move_order="prover_first"))
    s = run(p, _to_demand(p, honest_live=True), [Action("open", "H")])
    with pytest.raises(Disabled, match="after the prover"):
        run(p, s, [Action("post_c", "H")])
    s = run(p, s, [Action("post_p", "H"), Action("post_c", "H")])
    assert s.H_pp and s.H_cp


def test_bad_protocol_switch_is_a_model_error():
    raw = load_model().to_dict()
    raw["protocol"]["randomness_source"] = "dice"
    with pytest.raises(ModelError, match="protocol.randomness_source"):
        loads_model_dict(raw)


# ---------------------------------------------------------------- theorem 7 over time
def _payoff(th7, p: Params, q: Fraction, g: Fraction, compromised: bool = True) -> Fraction:
    coords = {"q": q, "rho": p.spot_check_rate, "S": p.slash_usd, **{f"gain:{d}": Fraction(0) for d in p.gains_usd}}
    coords["gain:wrong_output"] = g
    return th7.payoff(BoxPoint(p, coords, compromised), "wrong_output", PY)


@pytest.mark.parametrize("conv", ["forfeit", "keep"])
def test_zero_lag_is_the_one_query_condition_and_a_lag_is_never_weaker(conv, params, theorems_by_number):
    th7 = theorems_by_number[7]
    # the point mass g (no high-value class) and no franchise: the one-query condition's setting
    base = params.replace(loss_convention=conv, reward_share=Fraction(0), high_value_fraction=Fraction(0))
    assert base.reentry_usd == 0
    no_lag = base.replace(query_rate=Fraction(0))
    rng = random.Random(13)
    for _ in range(200):
        q = Fraction(rng.randint(0, 1000), 1000)
        g = Fraction(rng.randint(0, 10_000))
        rho, S = base.spot_check_rate, base.slash_usd
        det = 1 - (1 - rho) * (1 - q)
        one_query = (g if conv == "keep" else (1 - det) * g) - det * S
        assert _payoff(th7, no_lag, q, g) == one_query  # exact
        assert _payoff(th7, base, q, g) >= one_query


def test_junit_and_table_name_the_new_theorems(default_report):
    xml = junit_xml(default_report)
    for name in ("t8_accountability", "t9_griefing_cost", "t10_liveness", "t7_incentive_compatibility"):
        assert f'name="{name}"' in xml
    assert {r.title for r in default_report.results} >= {"Accountability (stake locked to the verdict)", "Griefing costs the griefer", "Liveness (verdict latency)"}


def test_validity_bound_is_the_product_of_the_tiers_miss_probabilities(params, default_report):
    by_hand = 0.1 * (0.5 * 90 / 365) / (1 + 0.5 * 90 / 365) * (1 - 0.01)
    assert float(params.invalid_finality_bound()) == pytest.approx(by_hand, rel=1e-12)
    assert params.invalid_finality_bound(Fraction(1)) == 0
    assert "P(invalid result final) <= f_c (1 - rho)(1 - q) = 0.0109" in default_report.results[0].detail
    poq = Params.from_model(load_model("poq"))
    assert poq.invalid_finality_bound(Fraction(1, 2)) == 1  # no tier: nothing bounds it


@pytest.mark.slow
def test_griefing_ratio_above_what_the_bond_buys_fails(theorems_by_number):
    m = load_model().with_values(griefing_cost_ratio=10_000.0)  # 10,000 x $0.45 > $1,000 bond + gas
    (r,) = check(m, theorems=[theorems_by_number[9]]).results
    assert r.status == "violated" and r.counterexample.replayed


def test_block_hash_with_a_declared_bias_bound_is_priced_not_refuted(params, theorems_by_number):
    """A block hash with beta > 0 declared: theorem 6 holds (the bias is the declared one) and
    theorem 7 counts rho (1 - beta); with beta = 0 declared the block_hash mutant refutes theorem 6."""
    biased = dataclasses.replace(params, proposer_bias=Fraction(1, 20), rules=dataclasses.replace(params.rules, randomness_source="block_hash"))
    assert check(biased, theorems=[theorems_by_number[6]]).results[0].status == "proved"
    assert biased.effective_selection_rate == params.spot_check_rate * Fraction(19, 20)
    th7 = theorems_by_number[7]
    q, g = Fraction(0), Fraction(100)
    plain = params.replace(spot_check_rate=params.spot_check_rate * Fraction(19, 20))
    assert _payoff(th7, biased, q, g) == _payoff(th7, plain, q, g)  # the same rho_eff = rho (1 - beta)
    m = load_model().with_protocol(randomness_source="block_hash").with_values(proposer_bias_bound=0.05)
    assert Params.from_model(m).effective_selection_rate == Fraction(1, 100) * Fraction(19, 20)
