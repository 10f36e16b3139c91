"""Every mutant breaks its theorem with a counterexample the interpreter replays."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model
from otr_theory.smt.mutants import MUTANTS, mutant, secured
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import check


def test_catalogue_covers_every_theorem():
    assert len(MUTANTS) >= 13 + 12
    assert {m.theorem for m in MUTANTS} == set(range(1, 11))
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    with pytest.raises(KeyError, match="no mutant"):
        mutant("nothing")


FAST = {
    "randomness_before_commitment",
    "timeout_slashes_prover",
    "proof_deadline_before_proving_time",
    "reward_plus_burn_exceeds_slash",
    "no_slash_on_missed_proof",
    "slash_below_deterrence",
    "self_challenge_recovers_reward",
    "unbonding_shorter_than_window",
    "block_hash_randomness",
    "prover_supplied_measurement",
}
"""The quickest mutants (a few seconds each) run by default; every other one is marked slow."""


@pytest.mark.parametrize(
    "m",
    [m if m.name in FAST else pytest.param(m, marks=pytest.mark.slow) for m in MUTANTS],
    ids=lambda m: m.name,
)
def test_mutant_violates_its_theorem(m, params, theorems_by_number):
    report = check(m.apply(params), theorems=[theorems_by_number[m.theorem]])
    (r,) = report.results
    assert r.status == "violated", (m.name, r.method, r.detail)
    assert report.exit_code == 1
    cex = r.counterexample
    assert cex is not None and cex.replayed, cex.note if cex else None
    assert cex.violated
    if cex.kind == "trace":
        assert "reproduced all" in cex.note
        assert len(cex.lines()) >= len(cex.steps) + 2
    else:
        assert any(v > -params.margin_usd for v in cex.point["payoffs"].values())


@pytest.mark.parametrize("switch", ["attestation_check", "randomness_after_commit", "slash_on_missed_proof"])
def test_switch_mutants_match_the_model_route(switch, params):
    """A switch mutant equals the model with the switch off (Model.with_protocol)."""
    via_model = Params.from_model(load_model().with_protocol(**{switch: False}))
    via_mutant = next(m for m in MUTANTS if m.apply(params) in (via_model, secured(via_model)))
    assert getattr(via_mutant.apply(params), switch) is False


@pytest.mark.parametrize(
    "switches, name",
    [
        ({"loser_payout": "refund"}, "loser_bond_refunded"),
        ({"measurement_source": "prover"}, "prover_supplied_measurement"),
        ({"randomness_source": "block_hash"}, "block_hash_randomness"),
        ({"move_order": "prover_first", "timeout_tie_break": "against_challenger"}, "silent_round_against_challenger"),
    ],
)
def test_protocol_rule_mutants_match_the_model_route(switches, name, params):
    """Each [protocol] rule reaches the z3 system and the interpreter from the model file."""
    via_model = Params.from_model(load_model().with_protocol(**switches))
    assert mutant(name).apply(params) == via_model


def test_secured_base_proves_incentives(params, theorems_by_number):
    """The base of theorem 7's mutants (stake = slash = 2 S*/(1 - a)) proves it; S* itself is tight at q = 0."""
    from otr_theory.smt.incentives import BoxPoint
    from otr_theory.smt.mutants import required_slash
    from otr_theory.smt.vocabulary import PY

    assert check(secured(params), theorems=[theorems_by_number[7]]).results[0].status == "proved"
    s_star = required_slash(params)
    at = params.replace(stake_usd=s_star, slash_usd=s_star)
    x = BoxPoint(at, {"q": 0, "rho": at.spot_check_rate, "S": s_star, **{f"gain:{d}": g for d, g in at.gains_usd.items()}}, True)
    assert theorems_by_number[7].payoff(x, "wrong_output", PY) == -params.margin_usd  # exact


def test_mutants_leave_the_default_untouched(params):
    for m in MUTANTS:
        assert m.apply(params) != params, m.name
    assert params == Params.from_model(load_model())
