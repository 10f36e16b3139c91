"""``otr-analyze simulate``: output, JSON, determinism, bad input (exit 2), progress on stderr."""

from __future__ import annotations

import json

import pytest

from otr_theory.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_prints_estimates_and_claims(capsys):
    code, out, err = run(["simulate", "--queries", "20000", "--seed", "3", "-q"], capsys)
    assert code == 0, err
    assert "fraud_rate_given_forgeable" in out and "paper's claims:" in out
    assert "throughput: paper 0.99" in out and "safety:" in out
    assert err == ""


def test_simulate_json_is_complete_and_deterministic(capsys):
    argv = ["simulate", "otr", "--queries", "30_000", "--seed", "9", "--json", "-q"]
    code, out1, _ = run(argv, capsys)
    assert code == 0
    code, out2, _ = run(argv, capsys)
    assert out1 == out2
    doc = json.loads(out1)
    res = doc["result"]
    assert res["queries"] == 30_000 and res["seed"] == 9 and res["counts"]["queries"] == 30_000
    assert res["method"] == "vectorized"
    assert {c["key"] for c in doc["claims"]} == {"throughput", "cost", "safety"}
    led = res["ledger"]
    assert led["slashed_usd"] == "0" and led["honest_prover_slashed_usd"] == "0"
    assert set(doc["estimate_docs"]) == set(res["estimates"])


def test_simulate_shows_a_progress_bar_on_stderr(capsys):
    code, out, err = run(["simulate", "--queries", "70000"], capsys)
    assert code == 0
    assert "simulate" in err and "queries" in err  # tqdm's bar with the queries done


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--queries", "0"], "--queries: must be an integer in [1, 10000000000] (got '0')"),
        (["--queries", "1.5"], "--queries: must be an integer in [1, 10000000000] (got '1.5')"),
        (["--queries", "1e6"], "--queries: must be an integer in [1, 10000000000] (got '1e6')"),
        (["--queries", "lots"], "--queries: must be an integer in [1, 10000000000] (got 'lots')"),
        (["--queries", "99999999999"], "--queries: must be an integer in [1, 10000000000] (got '99999999999')"),
        (["--seed", "-3"], "--seed: must be an integer >= 0 (got '-3')"),
        (["--seed", "x"], "--seed: must be an integer >= 0 (got 'x')"),
    ],
)
def test_bad_options_exit_2_naming_the_option_and_rule(capsys, argv, message):
    code, out, err = run(["simulate", *argv, "-q"], capsys)
    assert code == 2
    assert err.strip() == f"error: {message}"
    assert out == "" and "Traceback" not in err


def test_bad_model_exits_2(tmp_path, capsys):
    code, out, err = run(["simulate", str(tmp_path / "missing.toml"), "-q"], capsys)
    assert code == 2 and "no such file" in err and out == ""
