"""Cross-check: the attack simulator against :mod:`otr_theory.payoffs.corruption` (issue 12).

Two independent implementations of the over-time model: the closed forms of
``payoffs.corruption`` (strategy_payoff, best_strategy, required_stake) and the simulated
episodes of ``simulation.attack``. Each strategy's simulated mean profit must hold the other
module's closed form in its 99% interval, and the two closed forms must agree.
"""

from __future__ import annotations

import dataclasses

import pytest

from otr_theory.model import load_model
from otr_theory.simulation.attack import attack_inputs, best_attack, closed_form_profit, default_strategies, required_slash_usd, simulate_attack

corruption = pytest.importorskip("otr_theory.payoffs.corruption")

Z99 = 2.5758293035489004


def _models():
    m = load_model()
    raw = m.to_dict()
    raw["model"]["loss_convention"] = "keep"
    from otr_theory.model import loads_model_dict

    return {
        "default (forfeit)": m,
        "keep": loads_model_dict(raw),
        "richer valuable class": m.with_values(high_value_fraction=0.01, high_value_gain_usd=50_000.0),
        "two replicas, franchise": m.with_values(replicas_per_stake=2, reentry_cost_usd=3e6),
    }


def _their_payoff(inp, a, s) -> float:
    """payoffs.corruption's Pi(M, j) for one of our strategies: class set j, M cheated queries."""
    top = 1 if s.cheat_class == "high_value" else len(inp.classes())
    phi = (a.high_value_fraction if s.cheat_class == "high_value" else 1.0) * s.fraction
    m = inp.max_cheated(phi)
    if s.stop_after is not None:
        m = min(m, s.stop_after)
    return corruption.strategy_payoff(inp, m, top)


@pytest.mark.parametrize("name", list(_models()))
def test_simulated_strategies_agree_with_payoffs_corruption(name):
    model = _models()[name]
    a = attack_inputs(model)
    inp = corruption.corruption_inputs(model)
    assert inp.query_rate == pytest.approx(a.query_rate_per_s, rel=1e-12)
    assert inp.effective_slash_usd == pytest.approx(a.effective_slash_usd) and inp.lag_s == pytest.approx(a.expected_lag_s)
    for i, s in enumerate(default_strategies()):
        theirs = _their_payoff(inp, a, s)
        assert closed_form_profit(a, s) == pytest.approx(theirs, rel=1e-6, abs=1e-6), s.name
        r = simulate_attack(a, s, episodes=20_000, seed=31 + i)
        e = r.profit_usd
        se = (e.high - e.value) / 1.959963984540054
        assert abs(e.value - theirs) <= Z99 * se + 1e-9 * abs(theirs), (s.name, e, theirs)


@pytest.mark.parametrize("name", list(_models()))
def test_best_attack_and_required_stake_agree(name):
    model = _models()[name]
    a = attack_inputs(model)
    inp = corruption.corruption_inputs(model)
    best = corruption.best_strategy(inp)
    ours, strategy = best_attack(a)
    assert ours == pytest.approx(best.payoff_usd, rel=1e-6)
    assert (strategy.cheat_class == "high_value") == (best.classes == "valuable")
    assert required_slash_usd(a, margin_usd=inp.margin_usd) == pytest.approx(corruption.required_stake(inp), rel=1e-9)


@pytest.mark.parametrize("timeout_s, longer", [(600.0, False), (1_800.0, True)])
def test_spot_check_and_challenge_lags_agree_with_challengers(timeout_s, longer):
    """q > 0: the lag mixes L_s and L_c. At 600 s rounds L_c = 25,800 s < L_s = 43,200 s (the spec's
    lag formula); at the default 1,800 s L_c = 75,000 s > L_s, where a query caught both ways is
    slashed at L_s (the payoffs' lag once charged it L_c)."""
    model = load_model().with_values(round_timeout_s=timeout_s, settlement_s=timeout_s)
    a = dataclasses.replace(attack_inputs(model), challenger_detection=0.25)
    inp = corruption.corruption_inputs(model).replace(challenger_detection=0.25)
    assert (a.challenge_lag_s > a.spot_lag_s) == longer and inp.lag_s == pytest.approx(a.expected_lag_s, rel=1e-12)
    for i, s in enumerate(default_strategies()):
        theirs = _their_payoff(inp, a, s)
        r = simulate_attack(a, s, episodes=20_000, seed=71 + i)
        e = r.profit_usd
        assert abs(e.value - theirs) <= Z99 * (e.high - e.value) / 1.959963984540054 + 1e-9 * abs(theirs), s.name
