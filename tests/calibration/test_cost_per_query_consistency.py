"""One definition per quantity (issue 14): the cost per query, queries per window and the year.

The report's calibration record, ``regime --json``, ``simulate --json`` and the
:class:`~otr_theory.calibration.costs.CostPerQuery` record must show the same number for the same
named variant on models/otr.toml; every variant is also recomputed here from the model's fields
by hand (the closed form of :mod:`otr_theory.calibration.costs`), an independent route.
"""

from __future__ import annotations

import json
import math

import pytest

from otr_theory.calibration.costs import (
    CostPerQuery,
    cost_per_query,
    queries_per_window,
    query_cost,
)
from otr_theory.cli import main
from otr_theory.jsonio import dumps
from otr_theory.model import (
    DAYS_PER_YEAR,
    SECONDS_PER_YEAR,
    load_model,
    replica_query_rate,
)
from otr_theory.records import schema_of


def _by_hand(model, *, monitoring: float, capital: bool = True, commitment_bond: bool = False) -> float:
    """The cost of one query from the model's fields, written out (module docstring of costs)."""
    v = model.values()
    gas = v["gas_price_gwei"] * 1e-9 * v["eth_price_usd"]
    g = v["gpus_per_replica"]
    s = v["tokens_out_per_query"] / v["decode_tokens_per_s_per_gpu"] + v["tokens_in_per_query"] / v["prefill_tokens_per_s_per_gpu"]
    inference = v["gpu_price_usd_per_hour"] / 3600.0 * s / (1.0 - v["tee_overhead_fraction"])
    attestation = v["attestation_latency_s"] * 0.05 / 3600.0 + 6_900 * gas / v["queries_per_commit"] if model.protocol.attestation_check else 0.0
    commitment = v["commit_gas"] * gas / v["queries_per_commit"]
    proof = v["spot_check_rate"] * (v["proof_cost_usd"] + v["verify_gas"] * gas)
    mon = monitoring * v["count"] * v["check_cost_usd_per_query"]
    q = g * (1.0 - v["tee_overhead_fraction"]) / s
    rate = v["stake_usd"] * v["capital_cost_rate_per_year"] / (365.25 * 86_400)
    cap = (rate * v["window_s"] / v["queries_per_commit"] if commitment_bond else rate / q) if capital else 0.0
    return inference + attestation + commitment + proof + mon + cap


@pytest.fixture(scope="module")
def otr():
    return load_model()


def _cli_json(argv, capsys) -> dict:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_every_variant_is_the_closed_form(otr):
    c = cost_per_query(otr, equilibrium_monitoring_rate=0.25)
    assert c.every_query_reexecuted_usd == pytest.approx(_by_hand(otr, monitoring=1.0), rel=1e-12)
    assert c.at_equilibrium_monitoring_usd == pytest.approx(_by_hand(otr, monitoring=0.25), rel=1e-12)
    assert c.no_monitoring_usd == pytest.approx(_by_hand(otr, monitoring=0.0), rel=1e-12)
    assert c.without_capital_usd == pytest.approx(_by_hand(otr, monitoring=1.0, capital=False), rel=1e-12)
    assert c.bond_per_commitment_usd == pytest.approx(_by_hand(otr, monitoring=1.0, commitment_bond=True), rel=1e-12)
    # the ordering that the names promise
    assert c.no_monitoring_usd <= c.at_equilibrium_monitoring_usd <= c.every_query_reexecuted_usd
    assert c.without_capital_usd < c.every_query_reexecuted_usd and c.centralized_usd < c.no_monitoring_usd


def test_variants_record(otr):
    import jsonschema

    c = cost_per_query(otr)
    doc = json.loads(dumps(c.to_dict()))
    jsonschema.validate(doc, schema_of(CostPerQuery))
    assert set(c.variants()) == {k.removesuffix("_usd") for k in doc if k.endswith("_usd")}
    assert "<table>" in c._repr_html_() and len(repr(c).splitlines()) <= 15
    with pytest.raises(ValueError, match="equilibrium_monitoring_rate"):
        cost_per_query(otr, equilibrium_monitoring_rate=1.5)


def _check_agree(otr, mp: dict, sim: dict) -> None:
    """``mp``: regime's model point as in ``regime --json``; ``sim``: ``simulate --json``."""
    from otr_theory.calibration.analysis import analyse as calibration_analysis
    from otr_theory.simulation.analysis import analyse as simulation_analysis

    y_regime = mp["monitoring_rate"]
    y_sim = sim["result"]["policy"]["monitoring_probability"]
    assert y_regime == pytest.approx(y_sim, abs=1e-12)  # one equilibrium monitoring rate

    rec = calibration_analysis(otr, samples=100)
    var = rec.query.variants
    report = json.loads(dumps(rec.to_dict()))  # what results.json holds (the section's results are rec.to_dict())
    assert var.equilibrium_monitoring_rate == pytest.approx(y_regime, abs=1e-12)

    # at the challengers' equilibrium rate: regime's model point, simulate's expectation, the record
    at_eq = cost_per_query(otr, equilibrium_monitoring_rate=y_regime).at_equilibrium_monitoring_usd
    assert mp["cost_usd"] == pytest.approx(at_eq, rel=1e-12)
    assert sim["result"]["constants"]["expected_cost_usd_per_query"] == pytest.approx(at_eq, rel=1e-12)
    assert report["query"]["variants"]["at_equilibrium_monitoring_usd"] == pytest.approx(at_eq, rel=1e-12)
    assert var.at_equilibrium_monitoring_usd == pytest.approx(at_eq, rel=1e-12)
    # ... and its parts in regime's JSON are the parts of the one formula
    parts = query_cost(otr, monitoring_rate=y_regime)
    for k in ("proof_usd", "capital_usd", "monitoring_usd"):
        assert mp["cost_components_usd"][k] == pytest.approx(getattr(parts, k), rel=1e-12)
    # the simulated cost estimates the same variant (no fraud at this point: no disputes)
    est = sim["result"]["estimates"]["cost_usd_per_query"]
    assert est["low"] <= at_eq <= est["high"]
    assert simulation_analysis(otr, queries=5_000, episodes=200).expected_cost_usd_per_query == pytest.approx(at_eq, rel=1e-12)

    # every query re-executed: the report's headline, the summary's path, the trilemma row
    every = var.every_query_reexecuted_usd
    assert report["query"]["cost"]["total_usd"] == pytest.approx(every, rel=1e-12)
    assert report["cost_usd_per_query"] == pytest.approx(every, rel=1e-12)
    assert next(r for r in report["trilemma"] if r["scheme"] == "otr")["cost_usd"] == pytest.approx(every, rel=1e-12)
    # the centralized reference
    assert sim["result"]["constants"]["centralized_usd_per_query"] == pytest.approx(var.centralized_usd, rel=1e-12)
    assert report["query"]["cost"]["centralized_usd"] == pytest.approx(var.centralized_usd, rel=1e-12)


def test_report_regime_point_simulate_and_record_agree(otr, capsys):
    """The same named variant is the same number in the report's record, regime's model point
    (what ``regime --json`` prints under ``model_point``), ``simulate --json`` and the record."""
    from otr_theory.jsonio import jsonable
    from otr_theory.regimes.optimise import model_point

    mp = json.loads(dumps(jsonable(model_point(otr).point)))
    sim = _cli_json(["simulate", "--json", "--queries", "50000", "--seed", "5", "-q"], capsys)
    _check_agree(otr, mp, sim)


@pytest.mark.slow
def test_report_regime_cli_simulate_and_record_agree(otr, capsys):
    """As above with the full ``regime --json`` command in process (about 10 s)."""
    reg = _cli_json(["regime", "--json", "-q"], capsys)
    sim = _cli_json(["simulate", "--json", "--queries", "50000", "--seed", "5", "-q"], capsys)
    _check_agree(otr, reg["model_point"]["point"], sim)


def test_one_year_length():
    from otr_theory.calibration import costs
    from otr_theory.payoffs import conditions

    assert DAYS_PER_YEAR == 365.25 and SECONDS_PER_YEAR == 365.25 * 86_400
    assert costs.SECONDS_PER_YEAR is SECONDS_PER_YEAR and conditions.SECONDS_PER_YEAR is SECONDS_PER_YEAR
    assert conditions.DAYS_PER_YEAR is DAYS_PER_YEAR


def test_one_queries_per_window(otr):
    from otr_theory.calibration.gas import capital_cost
    from otr_theory.payoffs.conditions import full_load_queries

    n = queries_per_window(otr)
    assert n == full_load_queries(otr) == math.floor(otr.value("window_s") * replica_query_rate(otr.values()))
    assert capital_cost(otr).queries_per_window == n
    assert queries_per_window(otr, 3600.0) == math.floor(3600.0 * replica_query_rate(otr.values()))
