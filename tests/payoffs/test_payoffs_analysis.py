"""payoffs.analysis: the IncentivesAnalysis record (JSON, schema, HTML, repr, frame), each
equilibrium checked by its regret, and the one minimum slash with its named variants."""

from __future__ import annotations

import dataclasses
import math

import jsonschema
import numpy as np
import pytest

from otr_theory.jsonio import dumps
from otr_theory.model import load_model, model_paths
from otr_theory.payoffs import (
    DEVIATIONS,
    MINIMUM_SLASH_VARIANTS,
    PayoffError,
    compromise_probability,
    deviation_detection,
    deviation_gain,
    deviation_payoff,
    min_deterring_slash,
    minimum_slash,
    n_challenger_equilibrium,
)
from otr_theory.payoffs.analysis import IncentivesAnalysis, analyse, equilibrium_regret, rates_vs_slash
from otr_theory.payoffs.corruption import assess, corruption_inputs, required_stake
from otr_theory.records import schema_of


@pytest.fixture(scope="module")
def record(model):
    return analyse(model)


def test_record_is_json_and_validates_against_its_schema(record):
    d = record.to_dict()
    text = dumps(d)
    assert '"deviations"' in text and "NaN" not in text
    jsonschema.validate(d, schema_of(IncentivesAnalysis))
    assert schema_of(IncentivesAnalysis)["properties"]["min_slash_usd"]["x-unit"] == "USD"


def test_schema_rejects_a_wrong_type(record):
    d = record.to_dict()
    d["secure_spot_checks_only"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, schema_of(IncentivesAnalysis))


def test_repr_html_and_frame(record):
    lines = repr(record).splitlines()
    assert len(lines) <= 15 and lines[0].startswith("IncentivesAnalysis(") and any("min_slash_usd = $10,000" in ln for ln in lines)
    html = record._repr_html_()
    assert html.count("<table>") == 2 and "<th>deviation</th>" in html and "wrong_output" in html
    for sub in (record.deviations[0], record.equilibria[0], record.participation, record.epoch, record.over_time, record.rates_vs_slash):
        assert len(repr(sub).splitlines()) <= 15 and "<table>" in sub._repr_html_()
    pd = pytest.importorskip("pandas")
    frame = record.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame["deviation"]) == list(DEVIATIONS)
    assert frame.loc[0, "min_slash_usd"] == 10_000.0


@pytest.mark.parametrize("name", sorted(model_paths()))
def test_every_equilibrium_has_zero_regret(name):
    m = load_model(name)
    rec = analyse(m)
    scale = max(1.0, m.value("slash_usd"), *(float(deviation_gain(m, d)) for d in DEVIATIONS))
    assert rec.max_regret_usd <= 1e-9 * scale
    jsonschema.validate(rec.to_dict(), schema_of(IncentivesAnalysis))


def test_regret_catches_a_wrong_equilibrium(model):
    weak = model.with_values(slash_usd=1000.0)
    eq = n_challenger_equilibrium(weak, 3)
    x, y = float(eq.fraud_rate), float(eq.monitoring_rate)
    assert equilibrium_regret(weak, "wrong_output", 3, x, y) < 1e-12
    assert equilibrium_regret(weak, "wrong_output", 3, x, 1.1 * y) > 1e-6  # the prover would stop cheating
    assert equilibrium_regret(weak, "wrong_output", 3, 2 * x, y) > 1e-9  # the challengers would all check


def test_participation_and_epoch_numbers(model, record):
    a, c, S = (model.value(k) for k in ("challenger_reward_share", "check_cost_usd_per_query", "slash_usd"))
    p = record.participation
    assert p.min_fraud_rate_for_checking == pytest.approx(c / (a * S))
    assert p.min_forgeable_fraud_rate_for_checking == pytest.approx(c / (record.forgeable_share * a * S))
    assert p.jackpot_needed_usd * p.reference_forced_error_rate == pytest.approx(c) and p.verifiers_dilemma
    e = record.epoch
    # break-even fee: the profit at f = break-even is 0 (recomputed from the profit formula)
    assert e.queries * (e.break_even_fee_usd_per_query - e.honest_cost_usd_per_query) == pytest.approx(e.capital_cost_usd)
    assert e.compute_usd_per_query + e.proofs_usd_per_query + e.gas_usd_per_query == pytest.approx(e.honest_cost_usd_per_query)


def test_over_time_is_the_assessment(model, record):
    over = assess(model)
    assert record.over_time.secure == over.secure and record.over_time.required_stake_usd == over.required_stake_usd
    assert record.over_time.required_stake_usd == minimum_slash(model, None, variant="over_time")


def test_rates_vs_slash_closed_form(model):
    r = rates_vs_slash(model, np.geomspace(100.0, 1e6, 9))
    s, x = np.asarray(r.slash_usd), np.asarray(r.fraud_rate_1)
    a, c = model.value("challenger_reward_share"), model.value("check_cost_usd_per_query")
    below = s < r.break_even_slash_usd
    np.testing.assert_allclose(x[below], c / (a * s[below]), rtol=1e-12)
    assert (x[~below] == 0).all()
    # the network's x is the compromised prover's over h while below 1 (payoffs item 6a)
    xn, xh = np.asarray(r.fraud_rate_n), np.asarray(r.fraud_rate_n_network)
    inner = below & (xh < 1)
    np.testing.assert_allclose(xh[inner], xn[inner] / r.forgeable_share, rtol=1e-9)


# -- the one minimum slash -------------------------------------------------------------------


def test_minimum_slash_variants_of_the_default_model(model):
    """$10,000 (with the margin) and $9,900 (break-even): the two numbers an earlier report showed
    for "the minimum slash", now named apart."""
    assert minimum_slash(model) == 10_000.0
    assert minimum_slash(model, variant="break_even") == 9_900.0
    assert minimum_slash(model, None) == max(minimum_slash(model, d) for d in DEVIATIONS)
    assert set(MINIMUM_SLASH_VARIANTS) == {"one_query", "break_even", "over_time"}


@pytest.mark.parametrize("name", sorted(model_paths()))
@pytest.mark.parametrize("convention", ["forfeit", "keep"])
def test_minimum_slash_is_the_least_slash_that_deters(name, convention):
    """Independent check: at S* the deviation pays exactly -m (or 0), just below it pays more."""
    m = dataclasses.replace(load_model(name), loss_convention=convention)
    margin = m.value("incentive_margin_usd")
    for d in DEVIATIONS:
        g, p = float(deviation_gain(m, d)), float(deviation_detection(m, d))
        for variant, mm in (("one_query", margin), ("break_even", 0.0)):
            s = minimum_slash(m, d, variant=variant)
            assert s == pytest.approx(float(min_deterring_slash(g, p, convention, margin_usd=mm)), rel=1e-12)
            if math.isfinite(s) and s > 0:
                assert float(deviation_payoff(g, s, p, convention)) == pytest.approx(-mm, abs=1e-9 * max(s, 1.0))
                assert float(deviation_payoff(g, s * (1 - 1e-6), p, convention)) > -mm


def test_minimum_slash_over_time_is_required_stake(model):
    for d in DEVIATIONS:
        assert minimum_slash(model, d, variant="over_time") == required_stake(corruption_inputs(model, d))


def test_simulation_agrees_with_the_over_time_minimum_slash(model):
    """simulation.attack.required_slash_usd is an independent closed form of the over-time slash
    (episode profits of the simulated strategies): it must agree with payoffs' one definition."""
    from otr_theory.simulation.attack import attack_inputs, required_slash_usd

    ours = minimum_slash(model, None, variant="over_time")
    sim = required_slash_usd(attack_inputs(model), margin_usd=model.value("incentive_margin_usd"))
    assert sim == pytest.approx(ours, rel=1e-3)


def test_minimum_slash_checks_its_arguments(model):
    with pytest.raises(PayoffError, match="variant"):
        minimum_slash(model, variant="per_window")
    with pytest.raises(PayoffError, match="deviation"):
        minimum_slash(model, "bribe")
    with pytest.raises(PayoffError, match="over_time"):
        minimum_slash(model.values(), variant="over_time")
    assert isinstance(PayoffError("a", "b", 1), ValueError)


def test_trilemma_uses_the_one_compromise_probability(model):
    """One definition of h (issue 14): the trilemma's and payoffs' agree (0.01159, not 0.0123)."""
    from otr_theory.calibration.trilemma import tee_forgeable_share

    assert tee_forgeable_share(model) == float(compromise_probability(model)) == pytest.approx(0.1 * -math.expm1(-0.5 * 90 / 365.25))


@pytest.mark.parametrize("gain", [100.0, 1000.0])
def test_regimes_sensitivity_agrees_with_the_over_time_minimum_slash(model, gain):
    """regimes.sensitivity vectorises the over-time stake for its tornado ("min_slash_usd"): it
    must be the one definition, minimum_slash(variant="over_time"), at every point it evaluates."""
    from otr_theory.regimes.sensitivity import outputs_at

    out = outputs_at(model, ("external_gain_usd",), np.array([[gain]]))
    ours = minimum_slash(model.with_values(external_gain_usd=gain), None, variant="over_time")
    assert out["min_slash_usd"][0] == pytest.approx(ours, rel=1e-9)


@pytest.mark.parametrize("stake", [None, 1e9])
def test_secure_spot_checks_only_is_the_regimes_incentives_constraint(model, stake):
    """One meaning of "secure with spot-checks only": the over-time criterion, as the regimes'
    incentives constraint (and the verdict) read it; the one-query notion has its own name."""
    from otr_theory.regimes.region import evaluate_point

    m = model if stake is None else model.with_values(stake_usd=stake, slash_usd=stake)
    rec = analyse(m)
    point = evaluate_point(m, slash_usd=m.value("slash_usd"), spot_check_rate=m.value("spot_check_rate"), window_s=m.value("window_s"), count=int(m.value("count")))
    assert rec.secure_spot_checks_only == point.constraints["incentives"] == (stake is not None)
    assert rec.one_query_deterred is True


@pytest.mark.parametrize("variant", ["one_query", "break_even"])
@pytest.mark.parametrize("deviation", [None, *DEVIATIONS])
def test_minimum_slash_on_a_grid_is_the_scalar_one_elementwise(model, variant, deviation):
    """The regime figures draw S* against rho: the array form must be the scalar (exact) one at
    every point, the largest over the deviations where deviation is None."""
    rhos = np.array([0.0, 1e-4, 0.003, 0.01, 0.2, 1.0])
    grid = minimum_slash({**model.values(), "spot_check_rate": rhos}, deviation, variant=variant, convention=model.loss_convention)
    assert isinstance(grid, np.ndarray) and grid.shape == rhos.shape
    one = [minimum_slash(model.with_values(spot_check_rate=float(r)), deviation, variant=variant) for r in rhos]
    np.testing.assert_allclose(grid, one, rtol=1e-12)
