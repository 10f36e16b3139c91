"""diff: the region's growth and shrink on the reference grid, theorem changes, the gate, and the
CLI's exit codes (0 pass, 1 gate failed, 2 bad input)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from otr_theory.cli import main
from otr_theory.model import load_model
from otr_theory.regimes import RegimeError, diff_models
from otr_theory.schemas import load as load_schema

MODEL = load_model()


def _statuses(**override):
    base = {f"t{i}": "proved" for i in range(1, 8)}
    base.update(override)
    return lambda model: base


def test_identical_models_pass():
    d = diff_models(MODEL, MODEL, theorems=_statuses())
    assert not d.gate_failed and d.shrink == 0 and d.growth == 0 and d.exit_code == 0
    assert d.cheapest_old_usd == d.cheapest_new_usd


def test_a_longer_proof_deadline_shrinks_the_region_and_fails_the_gate():
    """A longer detection lag means more exposure (n L gbar) and a longer least window."""
    new = MODEL.with_values(proof_deadline_s=86_400.0)
    d = diff_models(MODEL, new, theorems=False)
    assert d.shrink > 0.05 and d.growth == 0 and d.gate_failed and d.exit_code == 1
    assert d.region_new < d.region_old
    assert d.cheapest_new_usd > d.cheapest_old_usd  # a larger stake, or more spot-checks
    # the same change passes a looser gate
    assert not diff_models(MODEL, new, theorems=False, max_shrink=1.0).gate_failed


def test_the_reverse_change_grows_the_region():
    small = MODEL.with_values(proof_deadline_s=86_400.0)
    d = diff_models(small, MODEL, theorems=False)
    assert d.shrink == 0 and d.growth > 0 and not d.gate_failed


def test_a_theorem_that_newly_fails_fails_the_gate():
    seq = iter([{"t3": "proved", "t7": "proved"}, {"t3": "violated", "t7": "unknown"}])
    d = diff_models(MODEL, MODEL, theorems=lambda m: next(seq))
    assert [c.theorem for c in d.theorems if c.newly_fails] == ["t3", "t7"]  # unknown is not proved
    assert d.gate_failed


def test_bad_threshold():
    with pytest.raises(RegimeError, match="max_shrink"):
        diff_models(MODEL, MODEL, max_shrink=1.5, theorems=False)


def test_cli_exit_codes(write_model, capsys):
    old = write_model("old")
    small = write_model("small", proof_deadline_s=86_400)
    assert main(["diff", str(old), str(old), "--no-theorems"]) == 0
    assert main(["diff", str(old), str(small), "--no-theorems"]) == 1
    cap = capsys.readouterr()
    assert "GATE FAILED" in cap.out and "gate failed: the secure region shrank" in cap.err
    assert main(["diff", str(old), str(small), "--no-theorems", "--max-shrink", "1"]) == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(small), "--no-theorems", "--json", "-q"]) == 1
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(load_schema("diff")).validate(doc)  # the shipped schema (issue 15)
    assert doc["schema"] == "otr-theory/diff/v1"
    assert doc["gate_failed"] is True and doc["shrink"] > 0.05
    # bad input: exit 2, one message naming the problem
    assert main(["diff", str(old), "no-such-model.toml"]) == 2
    assert main(["diff", str(old), str(old), "--max-shrink", "-0.1"]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "--max-shrink: must be a number in [0, 1]" in err


def test_cli_theorem_gate_with_the_smt_checker(write_model, capsys):
    old = write_model("old")
    short = write_model("short_window", window_s=20_000)  # shorter than a dispute under censorship (25,800 s)
    assert main(["diff", str(old), str(short)]) == 1
    out = capsys.readouterr().out
    assert "bounded_resolution" in out and "NEWLY FAILS" in out
    assert "shrank" not in out  # W is a regime variable: the region itself does not change


def _secure_and_cut(tmp_path):
    """OLD: the default with a stake that deters the best attack over time (secure); NEW: the slash
    cut to $8k, a change along a swept axis that leaves the region as it is."""
    text = (pytest.importorskip("pathlib").Path(MODEL.path)).read_text()
    import re

    def setv(s, key, value, hi="100_000_000"):
        return re.sub(rf"^{key} = .*$", f'{key} = {{ value = {value}, source = "ours-assumed", low = 1_000, high = {hi} }}', s, count=1, flags=re.M)

    old = setv(setv(text, "stake_usd", "60_000_000"), "slash_usd", "60_000_000")
    new = setv(old, "slash_usd", "8_000")
    (tmp_path / "old.toml").write_text(old)
    (tmp_path / "new.toml").write_text(new)
    return tmp_path / "old.toml", tmp_path / "new.toml"


def test_point_turning_insecure_fails_the_gate_whatever_the_flags(tmp_path, capsys):
    """Issue 15: a slash cut from a secure $60M to $8k with --no-theorems used to print 'gate
    passed'; the region cannot notice a change along a swept axis, so the gate reads the point."""
    old, new = _secure_and_cut(tmp_path)
    d = diff_models(load_model(old), load_model(new), theorems=False)
    assert d.secure_at_point_old and not d.secure_at_point_new
    assert d.shrink == 0  # the region alone would have passed
    assert d.gate_failed and any("secure to NOT secure" in r for r in d.reasons)
    assert [(c.field, c.old, c.new) for c in d.changed_fields] == [("economics.slash_usd", 60_000_000.0, 8_000.0)]
    assert main(["diff", str(old), str(new), "--no-theorems"]) == 1
    out = capsys.readouterr()
    assert "economics.slash_usd: $60,000,000 -> $8,000" in out.out and "old.toml" in out.out and "new.toml" in out.out
    assert "secure to NOT secure" in out.err
    # the reverse change is an improvement and passes
    assert main(["diff", str(new), str(old), "--no-theorems"]) == 0
