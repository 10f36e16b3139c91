"""Exact parameters, bisection rounds and the tiers of each shipped scheme."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.model import load_model
from otr_theory.smt.params import Params, bisection_rounds


@pytest.mark.parametrize(
    ("n", "k", "rounds"),
    [(1, 2, 0), (2, 2, 1), (3, 2, 2), (2**40, 2, 40), (2**40 + 1, 2, 41), (1000, 10, 3), (1001, 10, 4), (10**12, 4, 20)],
)
def test_bisection_rounds_known_answers(n, k, rounds):
    assert bisection_rounds(n, k) == rounds


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**15), st.integers(2, 64))
def test_property_bisection_rounds_is_least_power(n, k):
    r = bisection_rounds(n, k)
    assert k**r >= n
    assert r == 0 or k ** (r - 1) < n
    # independent route: floating log, checked only away from exact powers
    approx = math.log(n, k) if n > 1 else 0.0
    if abs(approx - round(approx)) > 1e-6:
        assert r == math.ceil(approx)


def test_bisection_rounds_rejects_bad_input():
    with pytest.raises(ValueError, match="arity"):
        bisection_rounds(10, 1)


def test_params_are_exact_rationals(params):
    m = load_model()
    assert params.spot_check_rate == Fraction(1, 100)
    assert params.reward_share == Fraction(1, 2)
    assert params.attestation_latency_s == Fraction(1, 20)
    assert params.censorship_s == m.value("censorship_blocks") * Fraction(str(m.value("block_time_s")))
    assert params.dispute_bound_s == 40 * 1800 + 1800  # the default's timeouts exceed the censorship bound (1,200 s)
    assert params.open_gas_usd == Fraction(100_000) * 1 * 3000 / 10**9
    assert params.challenge_lag_s == params.censorship_s + params.dispute_bound_s
    assert params.gains_usd["model_downgrade"] == Fraction("0.0002298")  # the H100 fits (models/otr.toml)


@pytest.mark.parametrize(
    ("name", "tiers"),
    [
        ("otr", {"verification", "stakes", "slashing", "dispute", "tee", "random_spot_checks"}),
        ("opml", {"verification", "stakes", "slashing", "dispute"}),
        ("zkml", {"verification", "stakes", "slashing"}),
        ("poq", {"verification", "stakes", "slashing"}),
        ("centralized", set()),
    ],
)
def test_tiers_of_shipped_models(name, tiers):
    assert Params.from_model(load_model(name)).tiers == tiers


def test_compromise_possible_only_with_a_tee(params):
    assert params.compromise_possible
    assert not Params.from_model(load_model("opml")).compromise_possible
    assert not Params.from_model(load_model().with_values(compromised_fraction=0.0)).compromise_possible
