"""Fuzzing in CI (issue 19): every command, in process, on generated model files and games.

Each property runs a command of ``otr-analyze`` through :func:`otr_theory.cli.main` and checks the
CLI's contract with :func:`harness.violations`: exit code in {0, 1, 2, 3}, no traceback, no
exception escaping ``main``, no non-finite number in any JSON output, every message line under
the limit, nothing written on exit 2, and the command done within its time bound (SIGALRM).

The default run is sized to well under a minute of CPU; ``benchmarks/fuzz_campaign.py`` runs the same
generators for thousands of inputs.
"""

from __future__ import annotations

import re

import harness as h
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from otr_theory.limits import MAX_MESSAGE_CHARS, MAX_PROBLEMS
from otr_theory.model import ModelError, loads_model

FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True, phases=[Phase.explicit, Phase.generate])  # no shrinking: a hang would cost its bound per step


def _assert_ok(o, **kw):
    bad = h.violations(o, **kw)
    assert not bad, f"{o.argv[0]}: {bad}\nstderr: {o.err[-1000:]}"


@settings(FAST, max_examples=150)
@given(h.broken_models())
def test_property_loader_only_raises_model_error_with_short_lines(text):
    """Damaged model text: a ModelError (or a valid model), every line short, problems counted."""
    try:
        loads_model(text, path="fuzz.toml")
    except ModelError as e:
        lines = str(e).splitlines()
        assert len(lines) <= MAX_PROBLEMS + 1
        assert all(len(ln) <= MAX_MESSAGE_CHARS for ln in lines)
        assert all(re.match(r"fuzz\.toml(:\d+){0,2}: ", ln) for ln in lines), lines  # FILE[:LINE[:COL]]: ...


@settings(FAST, max_examples=8)
@given(h.broken_models())
def test_property_every_command_on_broken_models(tmp_path_factory, text):
    """A damaged model through every command: exit 2 with nothing written (or, when the damage left
    a valid model, the fast commands keep the contract)."""
    d = tmp_path_factory.mktemp("m")
    path = d / "m.toml"
    path.write_text(text, encoding="utf-8")
    try:
        loads_model(text)
        valid = True
    except ModelError:
        valid = False
    out, junit = d / "report", d / "junit.xml"
    runs = [(["regime", str(path), "--json", "-q"], True, ()), (["simulate", str(path), "--json", "-q", "--queries", "2000"], True, ())]
    if not valid:
        runs += [
            (["check", str(path), "--junit", str(junit)], False, (junit,)),
            (["report", str(path), "--out", str(out), "-q"], False, (out,)),
            (["diff", "otr", str(path), "--no-theorems"], False, ()),
        ]
    for argv, js, outputs in runs:
        o = h.run_cli(argv, timeout_s=60)
        _assert_ok(o, json_stdout=js, outputs=outputs)
        if not valid:
            assert o.code == 2, (argv[0], o.err[-500:])
            assert not any(p.exists() for p in outputs)


def _regime_and_simulate(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("m") / "m.toml"
    path.write_text(h.to_toml(raw), encoding="utf-8")
    for argv in (["regime", str(path), "--json", "-q"], ["simulate", str(path), "--json", "-q", "--queries", "3000", "--seed", "7"]):
        o = h.run_cli(argv, timeout_s=60)
        _assert_ok(o, json_stdout=True)
        assert o.code in (0, 3) or (o.code == 2 and o.err.strip()), o.err[-500:]


@settings(FAST, max_examples=8)
@given(h.extreme_models())
def test_property_extreme_models_regime_and_simulate(tmp_path_factory, raw):
    """Valid models at the ends of their ranges: finite JSON, exit 0 (or 2/3 with a reason).
    Eight models in the default run (about 2 s each); the slow run and the fuzz campaign
    (benchmarks/fuzz_campaign.py) try many more."""
    _regime_and_simulate(tmp_path_factory, raw)


@pytest.mark.slow
@settings(FAST, max_examples=60)
@given(h.extreme_models())
def test_property_extreme_models_regime_and_simulate_many(tmp_path_factory, raw):
    """The same property on sixty models."""
    _regime_and_simulate(tmp_path_factory, raw)


@settings(FAST, max_examples=5)
@given(h.extreme_models())
def test_property_extreme_models_diff(tmp_path_factory, raw):
    """``diff`` of the default model against an extreme one: a verdict (0 or 1), finite JSON."""
    path = tmp_path_factory.mktemp("m") / "m.toml"
    path.write_text(h.to_toml(raw), encoding="utf-8")
    o = h.run_cli(["diff", "otr", str(path), "--no-theorems", "--json"], timeout_s=60)
    _assert_ok(o, json_stdout=True)
    assert o.code in (0, 1), o.err[-500:]


@settings(FAST, max_examples=2)
@given(h.extreme_models(max_changed=4))
def test_property_extreme_models_check(tmp_path_factory, raw):
    """``check`` on extreme models: a verdict (0, 1 or 3), a complete JUnit file."""
    d = tmp_path_factory.mktemp("m")
    path, junit = d / "m.toml", d / "j.xml"
    path.write_text(h.to_toml(raw), encoding="utf-8")
    o = h.run_cli(["check", str(path), "--depth", "2", "--junit", str(junit)], timeout_s=90)
    _assert_ok(o, outputs=(junit,))
    assert o.code in (0, 1, 3), o.err[-500:]
    assert junit.read_text().rstrip().endswith("</testsuites>")


@settings(FAST, max_examples=40)
@given(h.nfg_games())
def test_property_solve_on_generated_games(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("g") / "g.nfg"
    path.write_text(text, encoding="utf-8")
    o = h.run_cli(["solve", str(path), "--json"], timeout_s=20)
    _assert_ok(o, json_stdout=True)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(h.extreme_models(max_changed=4))
def test_property_extreme_models_report(tmp_path_factory, raw):
    """The whole report on extreme models: finite results.json, every file written."""
    d = tmp_path_factory.mktemp("m")
    path, out = d / "m.toml", d / "report"
    path.write_text(h.to_toml(raw), encoding="utf-8")
    o = h.run_cli(["report", str(path), "--out", str(out), "-q"], timeout_s=600)
    _assert_ok(o, outputs=(out / "results.json",))
    assert o.code == 0 and (out / "report.html").exists()


# ---------------------------------------------------------------------------------------------
# the reproducers of issue 19, one each


@pytest.mark.parametrize(
    "text, expect",
    [
        ("a = " + "[" * 600 + "]" * 600, "nested deeper"),
        ("a = " + "{b = " * 600 + "1" + "}" * 600, "nested deeper"),
        ("a" + ".a" * 300_000 + " = 1", "dotted key"),
        ("x = " + "1" * 5000, "characters; at most"),
        ("".join(f"[t{i}]\n" for i in range(20_000)), "tables"),
        ("schema_version = true\n", "schema_version: must be 1 (got True)"),
    ],
    ids=["deep-array", "deep-inline-table", "dotted-key", "digits", "tables", "schema-bool"],
)
def test_issue_reproducers_of_the_loader(tmp_path, text, expect):
    p = tmp_path / "m.toml"
    p.write_text(text)
    o = h.run_cli(["regime", str(p), "-q"], timeout_s=30)
    _assert_ok(o)
    assert o.code == 2 and expect in o.err
    assert len(o.err.splitlines()) <= MAX_PROBLEMS + 1


def test_huge_value_and_device_and_fifo_are_refused_without_reading(tmp_path):
    import os

    big = tmp_path / "big.toml"
    with open(big, "wb") as f:  # a sparse 50 MB file: refused by its size, never read
        f.truncate(50_000_000)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, expect in ((big, "at most 1,048,576"), ("/dev/zero", "not a regular file"), (fifo, "not a regular file")):
        o = h.run_cli(["simulate", str(path), "-q"], timeout_s=10)
        _assert_ok(o)
        assert o.code == 2 and expect in o.err, o.err


def test_thousands_of_unknown_keys_give_a_short_message(tmp_path):
    """4,000 unknown keys (in the last section): 20 listed, the rest counted."""
    from otr_theory.model import default_model_path

    text = default_model_path().read_text() + "\n" + "".join(f"k{i} = {i}\n" for i in range(4_000))
    p = tmp_path / "m.toml"
    p.write_text(text)
    o = h.run_cli(["regime", str(p), "-q"], timeout_s=30)
    _assert_ok(o)
    assert o.code == 2 and "more problems" in o.err and len(o.err) < 25 * 400


@pytest.mark.parametrize(
    "field, value",
    [
        ("decode_tokens_per_s_per_gpu", 5e-324),
        ("spot_check_rate", 5e-324),
        ("count", 1100),
        ("count", 1_000_000),
        ("stake_usd", 1e300),
        ("gas_price_gwei", 1.7e308),
        ("eth_price_usd", 1e308),
        ("commit_gas", 1e300),
    ],
)
def test_issue_extreme_values_are_refused_by_their_range(tmp_path, field, value):
    raw = h.base_raw()
    spec = h.FIELD_BY_NAME[field]
    raw[spec.section][field] = {"value": value, "source": "ours-assumed"}
    p = tmp_path / "m.toml"
    p.write_text(h.to_toml(raw))
    for cmd in ("regime", "simulate", "check"):
        o = h.run_cli([cmd, str(p)], timeout_s=30)
        _assert_ok(o)
        assert o.code == 2 and f"{spec.dotted}.value: must be" in o.err, o.err


@pytest.mark.parametrize("field, kind", [("count", "hi"), ("decode_tokens_per_s_per_gpu", "lo"), ("spot_check_rate", "lo"), ("stake_usd", "hi"), ("gas_price_gwei", "hi"), ("eth_price_usd", "hi")])
def test_issue_extremes_at_the_edge_of_the_range_give_finite_results(tmp_path, field, kind):
    """The largest legal value where the issue found a crash: finite JSON from regime and simulate."""
    raw = h.base_raw()
    spec = h.FIELD_BY_NAME[field]
    raw[spec.section][field] = {"value": h.extreme_value(spec, kind), "source": "ours-assumed"}
    if field == "stake_usd":
        raw["economics"]["slash_usd"] = {"value": h.extreme_value(spec, kind), "source": "ours-assumed"}
    p = tmp_path / "m.toml"
    p.write_text(h.to_toml(h.make_consistent(raw)))
    for argv in (["regime", str(p), "--json", "-q"], ["simulate", str(p), "--json", "-q", "--queries", "5000"]):
        o = h.run_cli(argv, timeout_s=60)
        _assert_ok(o, json_stdout=True)
        assert o.code == 0, o.err
