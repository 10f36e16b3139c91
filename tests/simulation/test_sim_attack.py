"""The attack simulator against the over-time closed forms (issue 12 item 5).

The closed forms are written here again from the spec (SPEC-over-time.md, "ours"), independently
of :func:`otr_theory.simulation.attack.closed_form_profit`: a cheat-until-caught prover that
cheats on a class j of queries for at most M cheated ones, detected at K ~ Geometric(p),
cheats on every query during the lag L, and is slashed once:

    keep:    Pi = P_M (g_j / p + n L gbar - S_eff - F)
    forfeit: Pi = P_M (g_j (1-p)/p + n L gbar (1-p) - S_eff - F),    P_M = 1 - (1-p)^M.

Each simulated mean must hold the closed form in its 99% interval (seeded, so deterministic).
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from scipy import stats

from otr_theory.model import load_model, replica_query_rate
from otr_theory.simulation import PolicyError
from otr_theory.simulation.attack import (
    AttackStrategy,
    as_record,
    attack_inputs,
    closed_form_profit,
    default_strategies,
    simulate_attack,
)

Z99 = 2.5758293035489004


def _inputs(model=None, **changes):
    """Attack inputs with a two-class gain distribution (phi_v = 0.001, g_v = $10k) by default."""
    a = attack_inputs(load_model() if model is None else model)
    base = {"high_value_fraction": 0.001, "high_value_gain_usd": 10_000.0}
    base.update(changes)
    return dataclasses.replace(a, **base)


def _spec_profit(a, strategy) -> float:
    """The spec's closed form, written out from its symbols (not from the module under test)."""
    n = a.query_rate_per_s
    rho, q = a.spot_check_rate, a.challenger_detection
    p = 1 - (1 - rho) * (1 - q)
    gbar = (1 - a.high_value_fraction) * a.low_gain_usd + a.high_value_fraction * a.high_value_gain_usd
    if strategy.cheat_class == "high_value":
        phi_j, g_j = a.high_value_fraction * strategy.fraction, a.high_value_gain_usd
    else:
        phi_j, g_j = strategy.fraction, gbar
    m = n * phi_j * a.episode_s
    if strategy.stop_after is not None:
        m = min(m, strategy.stop_after)
    # the lag given detection: spot-check only L_s, challenged L_c, both: the sooner
    lag = (rho * (1 - q) * a.spot_lag_s + (1 - rho) * q * a.challenge_lag_s + rho * q * min(a.spot_lag_s, a.challenge_lag_s)) / p
    s_eff = a.slash_usd * ((1 - a.reward_share) if a.self_challenge else 1.0)
    p_m = 1 - (1 - p) ** m
    if a.convention == "keep":
        b = g_j / p + n * lag * gbar - s_eff - a.reentry_cost_usd
    else:
        b = g_j * (1 - p) / p + n * lag * gbar * (1 - p) - s_eff - a.reentry_cost_usd
    return p_m * b


def _agrees(r, value):
    e = r.profit_usd
    se = (e.high - e.value) / 1.959963984540054
    return abs(e.value - value) <= Z99 * se + 1e-9 * abs(value), (e.value, value, se)


@pytest.mark.parametrize("convention", ["forfeit", "keep"])
@pytest.mark.parametrize("index", range(4))
def test_each_strategy_matches_the_closed_form(convention, index):
    a = _inputs(convention=convention)
    s = default_strategies()[index]
    r = simulate_attack(a, s, episodes=20_000, seed=100 + index)
    expected = _spec_profit(a, s)
    ok, info = _agrees(r, expected)
    assert ok, (s.name, info)
    assert r.closed_form_usd == pytest.approx(expected, rel=1e-9)  # the module's closed form is the spec's
    assert r.agrees or not ok


@pytest.mark.parametrize("timeout_s, longer", [(600.0, False), (1_800.0, True)])
def test_strategies_with_challengers_and_self_challenge(timeout_s, longer):
    """q > 0 (spot-check and challenge lags mixed, L_c below L_s at 600 s rounds and above it at the
    default 1,800 s), a Sybil self-challenge and a franchise cost."""
    model = load_model().with_values(round_timeout_s=timeout_s, settlement_s=timeout_s)
    a = _inputs(model, challenger_detection=0.3, self_challenge=True, reentry_cost_usd=2e6, convention="keep")
    assert (a.challenge_lag_s > a.spot_lag_s) == longer
    for i, s in enumerate(default_strategies()):
        r = simulate_attack(a, s, episodes=20_000, seed=7 + i)
        ok, info = _agrees(r, _spec_profit(a, s))
        assert ok, (s.name, info)


def test_query_rate_is_the_model_throughput_per_stake():
    """n = replica_query_rate x replicas_per_stake, queries per second (not abstract steps)."""
    m = load_model()
    a = attack_inputs(m)
    assert a.query_rate_per_s == replica_query_rate(m.values()) * a.replicas_per_stake
    assert a.replicas_per_stake == int(m.values().get("replicas_per_stake", 1))
    assert a.episode_s == m.value("compromise_duration_days") * 86_400.0 and a.spot_lag_s == m.value("proof_deadline_s")


def test_default_model_cheat_until_caught_pays_tens_of_millions():
    """The issue's finding: on the default model a prover that cheats on every query until its
    first spot-check slash keeps tens of millions against a $100k slash."""
    a = attack_inputs(load_model())
    r = simulate_attack(a, default_strategies()[0], episodes=5_000, seed=1)
    assert a.query_rate_per_s * a.episode_s > 4e7  # tens of millions of queries in one episode
    assert r.profit_usd.low > 1e7 and r.caught.low > 0.999
    assert r.lag_queries_mean == pytest.approx(a.query_rate_per_s * a.spot_lag_s, rel=0.01)


def test_zero_lag_one_query_is_the_one_query_condition():
    """L = 0, M = 1: keep g - pS, forfeit (1-p)g - pS (today's condition)."""
    for conv in ("keep", "forfeit"):
        a = _inputs(spot_lag_s=0.0, challenge_lag_s=0.0, high_value_fraction=0.0, convention=conv, spot_check_rate=0.3, self_challenge=False)
        s = AttackStrategy("one query", stop_after=1)
        g, p, big_s = a.low_gain_usd, 0.3, a.slash_usd
        one_query = (g if conv == "keep" else (1 - p) * g) - p * big_s
        assert closed_form_profit(a, s) == pytest.approx(one_query, rel=1e-12)
        r = simulate_attack(a, s, episodes=50_000, seed=4)
        assert _agrees(r, one_query)[0]


def test_slash_never_exceeds_the_stake_left():
    """A stake already half slashed: the slash is min(S, stake left), once, per caught episode."""
    model = load_model()
    a = attack_inputs(model, stake_left_usd=50_000.0)
    assert model.value("slash_usd") == 100_000.0 and a.slash_usd == 50_000.0
    for s in default_strategies():
        r = simulate_attack(a, s, episodes=4_000, seed=2)
        assert r.slashed_usd_max <= a.stake_left_usd
        assert r.slashes_per_caught_episode == 1
        assert r.slashed_usd_mean == pytest.approx(50_000.0 * r.caught.value)
    empty = attack_inputs(model, stake_left_usd=0.0)
    r = simulate_attack(empty, default_strategies()[3], episodes=4_000, seed=2)
    assert r.slashed_usd_max == 0.0 and _agrees(r, _spec_profit(empty, default_strategies()[3]))[0]


def _revert_profit_w_above_l(a, strategy) -> float:
    """Gains at final finality, pending results reverted, W > L (spot-checks only): brute force.

    Detected at K = k (k <= M): the K-th and the earlier cheated queries in the last W - L
    before it (Poisson(c) of them, at most k - 1, c = (W - L) n phi_j) are reverted, the lag
    ones too. Summed term by term over k and the Poisson count."""
    p = a.spot_check_rate
    phi_j, g_j = a.high_value_fraction, a.high_value_gain_usd
    m = int(a.query_rate_per_s * phi_j * a.episode_s)
    c = (a.window_s - a.spot_lag_s) * a.query_rate_per_s * phi_j
    k = np.arange(1, m + 1)
    pk = stats.geom.pmf(k, p)
    j = np.arange(0, int(c + 20 * math.sqrt(c) + 50))
    pj = stats.poisson.pmf(j, c)
    counted = np.maximum(k[:, None] - 1 - j[None, :], 0) @ pj
    detected = pk.sum()
    return float(g_j * (pk @ counted + (1 - detected) * m) - detected * a.effective_slash_usd)


def test_final_finality_with_revert_window_longer_than_the_lag():
    a = _inputs(gain_realisation="final", revert_pending_on_slash=True, episode_s=40 * 86_400.0)
    assert a.window_s > a.spot_lag_s
    s = AttackStrategy("valuable only", cheat_class="high_value")
    expected = _revert_profit_w_above_l(a, s)
    r = simulate_attack(a, s, episodes=20_000, seed=5)
    assert _agrees(r, expected)[0], (r.profit_usd, expected)
    assert closed_form_profit(a, s) == pytest.approx(expected, rel=1e-6)
    # the revert wipes out most of the gain: far below the no-revert profit
    assert expected < 0.5 * _spec_profit(a, s)


def test_final_finality_with_revert_window_shorter_than_the_lag():
    """W <= L: the lag gains count only for n (L - W) queries."""
    a = _inputs(gain_realisation="final", revert_pending_on_slash=True, window_s=10_000.0, convention="keep")
    s = default_strategies()[0]
    n, p = a.query_rate_per_s, a.spot_check_rate
    gbar = a.mean_gain_usd
    expected = (1 - (1 - p) ** (n * a.episode_s)) * (gbar / p + n * (a.spot_lag_s - a.window_s) * gbar - a.effective_slash_usd)
    r = simulate_attack(a, s, episodes=20_000, seed=6)
    assert _agrees(r, expected)[0]
    # without revert, final finality only delays the gains: the provisional profit
    b = dataclasses.replace(a, revert_pending_on_slash=False)
    assert closed_form_profit(b, s) == pytest.approx(_spec_profit(b, s), rel=1e-12)


def test_same_seed_same_record_byte_for_byte():
    a = _inputs()
    s = default_strategies()[1]
    one = json.dumps(as_record(simulate_attack(a, s, episodes=3_000, seed=9)), sort_keys=True)
    two = json.dumps(as_record(simulate_attack(a, s, episodes=3_000, seed=9)), sort_keys=True)
    other = json.dumps(as_record(simulate_attack(a, s, episodes=3_000, seed=10)), sort_keys=True)
    assert one == two != other


def test_no_high_value_class_means_no_high_value_attack():
    a = _inputs(high_value_fraction=0.0)
    s = default_strategies()[1]
    r = simulate_attack(a, s, episodes=1_000, seed=0)
    assert r.profit_usd.value == 0.0 == closed_form_profit(a, s) and r.caught.value == 0.0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: AttackStrategy("x", cheat_class="valuable"), "cheat_class"),
        (lambda: AttackStrategy("x", fraction=0.0), "fraction"),
        (lambda: AttackStrategy("x", stop_after=-3), "stop_after"),
        (lambda: attack_inputs(load_model(), detection="oracle"), "detection"),
        (lambda: attack_inputs(load_model(), stake_left_usd=-1.0), "stake_left_usd"),
        (lambda: simulate_attack(_inputs(), default_strategies()[0], episodes=1), "episodes"),
        (lambda: simulate_attack(_inputs(), default_strategies()[0], seed=-2), "seed"),
    ],
)
def test_bad_arguments_name_the_field(call, field):
    with pytest.raises(PolicyError) as info:
        call()
    assert info.value.field == field


@pytest.mark.parametrize("convention", ["forfeit", "keep"])
def test_required_slash_is_where_the_best_attack_loses_the_margin(convention):
    """At S* every strategy loses at least the margin m; 1% below it the best one does not."""
    from otr_theory.simulation.attack import best_attack, required_slash_usd

    a = _inputs(convention=convention, challenger_detection=0.2, self_challenge=True, reentry_cost_usd=1e5)
    margin = 5_000.0
    s_star = required_slash_usd(a, margin_usd=margin)
    at = dataclasses.replace(a, slash_usd=s_star, stake_left_usd=s_star, slash_cap_usd=s_star)
    below = dataclasses.replace(at, slash_usd=0.99 * s_star)
    assert best_attack(at)[0] <= -margin * (1 - 1e-9)
    assert all(closed_form_profit(at, s) <= 1e-6 * s_star for s in default_strategies())
    assert best_attack(below)[0] > -margin
    # keep: the spec's S* = [g_max/p + n L gbar - F + m/p] / (1 - a)
    if convention == "keep":
        p = a.detection_probability
        spec = (a.high_value_gain_usd / p + a.query_rate_per_s * a.expected_lag_s * a.mean_gain_usd - a.reentry_cost_usd + margin / p) / (1 - a.reward_share)
        assert s_star == pytest.approx(spec, rel=1e-12)


@pytest.mark.parametrize(("convention", "revert", "index"), [("forfeit", False, 0), ("keep", False, 1), ("forfeit", False, 3), ("keep", True, 0)])
def test_vectorised_episodes_match_the_query_by_query_reference(convention, revert, index):
    """Small episodes (3,300 queries) simulated twice: sampled counts (simulate_attack) and one
    query at a time (simulate_attack_event_by_event); both agree with each other (z-test) and
    with the closed form."""
    from otr_theory.simulation.attack import simulate_attack_event_by_event

    a = _inputs(
        episode_s=600.0,
        spot_lag_s=60.0,
        challenge_lag_s=40.0,
        spot_check_rate=0.04,
        challenger_detection=0.02,
        high_value_fraction=0.05,
        high_value_gain_usd=2_000.0,
        slash_usd=20_000.0,
        convention=convention,
        gain_realisation="final" if revert else "provisional",
        revert_pending_on_slash=revert,
        window_s=30.0,
    )
    s = dataclasses.replace(default_strategies()[index], stop_after=10) if index == 3 else default_strategies()[index]
    ref = simulate_attack_event_by_event(a, s, episodes=300, seed=3)
    vec = simulate_attack(a, s, episodes=40_000, seed=4)
    se_r, se_v = (ref.high - ref.value) / 1.96, (vec.profit_usd.high - vec.profit_usd.value) / 1.96
    assert abs(ref.value - vec.profit_usd.value) <= 3.5 * math.hypot(se_r, se_v), (ref, vec.profit_usd)
    assert _agrees(vec, closed_form_profit(a, s))[0]


def test_required_slash_is_infinite_when_a_sybil_recovers_the_whole_slash():
    """Fuzz-campaign finding: reward share 1 with self-challenge divided by zero. The prover's
    Sybil challenger then recovers the whole slash, so no stake deters a profitable attack."""
    import math

    from otr_theory.model import load_model
    from otr_theory.simulation.attack import attack_inputs, required_slash_usd

    m = load_model().with_values(challenger_reward_share=1.0)
    assert math.isinf(required_slash_usd(attack_inputs(m)))


def test_closed_form_at_certain_detection():
    """Fuzz-campaign finding: p = 1 (every query spot-checked) raised a math domain error in
    log1p(-p). With p = 1 the first cheated query is caught: P_M = 1."""
    from otr_theory.model import load_model
    from otr_theory.payoffs.corruption import assess
    from otr_theory.simulation.attack import attack_inputs, best_attack

    m = load_model().with_values(spot_check_rate=1.0)
    profit, _ = best_attack(attack_inputs(m))
    assert profit == __import__("pytest").approx(assess(m).attack.payoff_usd, rel=1e-9, abs=1e-6)
