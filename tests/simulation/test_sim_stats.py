"""Confidence intervals: known answers and an independent route (scipy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from otr_theory.simulation.stats import Z95, mean_interval, wilson_interval


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe, "Two-sided confidence intervals for the single proportion", Stat. Med. 17 (1998),
        # Table II, method 3 (score interval without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_known_answers_newcombe_1998(k, n, low, high):
    e = wilson_interval(k, n)
    assert (round(e.low, 4), round(e.high, 4)) == (low, high)
    assert e.value == k / n and e.count == k and e.trials == n


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 10_000), frac=st.floats(0, 1))
def test_property_wilson_matches_scipy(n, frac):
    k = int(round(frac * n))
    ours = wilson_interval(k, n)
    ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert ours.low == pytest.approx(ref.low, abs=1e-9)
    assert ours.high == pytest.approx(ref.high, abs=1e-9)
    assert 0.0 <= ours.low <= ours.value <= ours.high <= 1.0


def test_wilson_without_trials_is_the_unit_interval():
    e = wilson_interval(0, 0)
    assert math.isnan(e.value) and (e.low, e.high) == (0.0, 1.0)


def test_z95_is_the_normal_quantile():
    assert Z95 == pytest.approx(stats.norm.ppf(0.975), abs=1e-15)


def test_mean_interval_matches_numpy_on_samples():
    x = np.random.default_rng(0).exponential(3.0, 5000)
    e = mean_interval(float(x.sum()), float((x * x).sum()), x.size)
    half = Z95 * x.std(ddof=1) / math.sqrt(x.size)
    assert e.value == pytest.approx(x.mean(), rel=1e-12)
    assert e.high - e.value == pytest.approx(half, rel=1e-9)
    assert e.method == "normal"


def test_mean_interval_of_a_constant_is_exact():
    e = mean_interval(0.3 * 7, (0.3**2) * 7, 7)
    assert e.method == "exact" and e.low == e.high == e.value
