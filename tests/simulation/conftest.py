"""Parameter points of the simulation tests (all ours; interior equilibria with plenty of fraud)."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model, loads_model_dict


def point(name: str):
    """A model at one of the named parameter points."""
    m = load_model()
    if name == "default":
        return m
    if name == "forfeit-n3":  # every query forgeable (no attestation check): x* = 0.0725, y* = 0.549
        return m.with_values(external_gain_usd=10_000.0, slash_usd=1_000.0, check_cost_usd_per_query=20.0).with_protocol(attestation_check=False)
    if name == "keep-n1":  # Becker: p* = G/S = 0.4, x* = c/(aS) = 0.02; windows open 86% of the time
        m = m.with_values(
            external_gain_usd=2_000.0,
            slash_usd=5_000.0,
            spot_check_rate=0.05,
            check_cost_usd_per_query=50.0,
            count=1,
            compromised_fraction=1.0,
            compromise_rate_per_year=4.0,
            compromise_duration_days=180.0,
        )
        raw = m.to_dict()
        raw["model"]["loss_convention"] = "keep"
        return loads_model_dict(raw)
    if name == "forfeit-n10":  # many challengers, small reward share
        return m.with_values(
            external_gain_usd=3_000.0,
            slash_usd=2_000.0,
            spot_check_rate=0.02,
            check_cost_usd_per_query=5.0,
            challenger_reward_share=0.3,
            count=10,
            compromised_fraction=1.0,
            compromise_rate_per_year=4.0,
            compromise_duration_days=180.0,
        )
    if name == "predictable":  # the spot-check selection is known before the commitment
        return point("forfeit-n3").with_protocol(randomness_after_commit=False)
    raise KeyError(name)


@pytest.fixture(scope="session")
def points():
    return point
