"""``otr-analyze simulate``: output, JSON, determinism, bad input (exit 2), progress on stderr."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from otr_theory.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_prints_estimates_and_claims(capsys):
    code, out, err = run(["simulate", "--queries", "20000", "--seed", "3"], capsys)  # stderr is no terminal: no bar
    assert code == 0, err
    assert "x: frauds per query whose prover can forge" in out and "paper's claims:" in out  # rows in words (issue 15)
    assert "fraud_rate_given_forgeable" not in out
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
    assert led["slashed_usd"]["exact"] == "0" and led["honest_prover_slashed_usd"]["exact"] == "0"  # exact values as {value, exact}
    assert set(doc["estimate_docs"]) == set(res["estimates"])
    assert doc["schema"] == "otr-theory/simulate/v1" and doc["otr_theory_version"]


def test_simulate_shows_a_progress_bar_on_stderr(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # the bar shows on a terminal only
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


def test_simulate_shows_the_attack_beside_the_closed_forms(capsys):
    code, out, err = run(["simulate", "--queries", "10000", "--episodes", "2000"], capsys)
    assert code == 0, err
    assert "attack over one compromise episode" in out and "cheat on every query until caught" in out
    code, out, _ = run(["simulate", "--queries", "10000", "--episodes", "2000", "-q", "--json"], capsys)
    doc = json.loads(out)
    rows = doc["attack"]["strategies"]
    assert len(rows) == 4
    for r in rows:  # each closed form within the simulated mean's 99% interval (4 intervals: 95% would miss one in 5 runs)
        e = r["profit_usd"]
        se = (e["high"] - e["value"]) / 1.959963984540054
        assert abs(e["value"] - r["closed_form_usd"]) <= 2.5758 * se + 1e-9 * abs(r["closed_form_usd"]), r
    assert doc["attack"]["inputs"]["query_rate_per_s"] > 5


def test_bad_episodes_exit_2(capsys):
    code, out, err = run(["simulate", "--episodes", "1", "-q"], capsys)
    assert code == 2 and err.strip() == "error: --episodes: must be an integer in [2, 100000000] (got '1')" and out == ""


def test_light_json_record_matches_the_report_serializer():
    """simulate --json uses simulation.record (no report import); it must write what report.core would."""
    from otr_theory.model import load_model
    from otr_theory.report.core import dumps_results, fmt, jsonable
    from otr_theory.simulation import Policy, headline_claims, record, simulate
    from otr_theory.simulation.attack import as_record, attack_table

    m = load_model()
    r = simulate(m, queries=20_000, seed=4, policy=Policy(fraud_probability=1.0, monitoring_probability=0.3))
    doc = {"result": r, "claims": headline_claims(m, r), "attack": [as_record(a) for a in attack_table(m, episodes=500)], "x": (float("inf"), float("nan"))}
    assert record.dumps(doc) == dumps_results(doc)
    assert record.jsonable(doc) == jsonable(doc)
    for x in (
        0.0,
        -0.0,
        1e-7,
        3,
        10**12,
        -float("inf"),
        float("nan"),
        True,
        "s",
        None,
        12345.678,
        2**40,
        9.99996,
        99999.5,
        1e-4,
        9.99999e-5,
        1e9,
        999999999.9,
        -123456.7,
        Fraction(1, 3),
        np.float64(0.0123456),
        np.int64(7),
    ):
        assert record.fmt(x) == fmt(x), x


def test_max_queries_is_the_plans():
    from otr_theory.cli.simulate import MAX_QUERIES
    from otr_theory.simulation.plan import MAX_QUERIES as PLAN_MAX

    assert MAX_QUERIES == PLAN_MAX


def test_simulate_command_imports_no_report_dependencies(tmp_path):
    """Issue 17: the simulate command path (this module and what it calls) imports neither sympy,
    matplotlib nor networkx. otr_theory/cli/__init__.py is bypassed here (it registers every
    command), so the test covers the files of the simulate path."""
    import subprocess
    import sys

    code = (
        "import sys, types, pathlib, otr_theory\n"
        "pkg = types.ModuleType('otr_theory.cli'); pkg.__path__ = [str(pathlib.Path(otr_theory.__file__).parent / 'cli')]\n"
        "sys.modules['otr_theory.cli'] = pkg\n"
        "from click.testing import CliRunner\n"
        "from otr_theory.cli.simulate import simulate\n"
        "res = CliRunner().invoke(simulate, ['--queries', '5000', '--episodes', '100', '-q', '--json'])\n"
        "assert res.exit_code == 0, res.output\n"
        "print(sorted(m for m in ('sympy', 'matplotlib', 'networkx', 'z3', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
