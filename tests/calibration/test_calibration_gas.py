"""Gas of each action from EVM constants, USD at chosen prices, capital cost of the stake."""

from __future__ import annotations

import pytest

from otr_theory.calibration.costs import SECONDS_PER_YEAR, throughput
from otr_theory.calibration.gas import capital_cost, derived_gas, gas_table


def test_derived_gas_known_answers():
    # revm constants: 21000 base, 16/byte, SSTORE set 20000 + cold 2100, LOG 375 + 375/topic + 8/byte
    g = derived_gas()
    assert g["commit_sstore"] == 21000 + 16 * 32 + 22100 == 43612
    assert g["commit_event"] == 21000 + 512 + 375 + 375 + 256
    assert g["bisection_move"] == 21000 + 16 * 64 + 2 * 22100
    # Groth16 Tweaks: 181,150 + 6,150 p + 4,096 with p = 3 public inputs
    assert g["groth16_exact"] == 181150 + 3 * 6150 + 4096
    assert g["groth16_empirical"] == 207700 + 3 * 7160
    assert derived_gas(public_inputs=8)["groth16_empirical"] == pytest.approx(264_980)  # "~265k for 8" (7BlockLabs)


def test_gas_table_prices(model):
    lo = gas_table(model)
    hi = gas_table(model, gas_price_gwei=20.0, eth_price_usd=5000.0)
    for a, b in zip(lo, hi):
        assert a.action == b.action and a.model_gas == b.model_gas
        assert a.usd == pytest.approx(a.model_gas * 1e-9 * 1.0 * 3000)
        assert b.usd == pytest.approx(b.model_gas * 1e-9 * 20.0 * 5000)
    # the model's commit gas is within 5% of the estimate from constants
    commit = lo[0]
    assert commit.model_gas == pytest.approx(commit.estimate_gas, rel=0.05)
    with pytest.raises(ValueError, match="gas_price_gwei"):
        gas_table(model, gas_price_gwei=-1.0)


def test_capital_cost(model):
    c = capital_cost(model)
    assert c.per_year_usd == 100_000 * 0.05
    assert c.per_window_usd == pytest.approx(5000 * 86400 / SECONDS_PER_YEAR)
    # per query under the replica scope: the window's capital over the window's queries
    assert c.per_query_replica_usd == pytest.approx(c.per_window_usd / c.queries_per_window)
    assert c.queries_per_window == pytest.approx(throughput(model) * 86400)
    assert c.per_query_commitment_usd == pytest.approx(c.per_window_usd / 100)
