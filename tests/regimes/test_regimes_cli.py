"""otr-analyze regime: exit 0, JSON, certificate files that re-check, bad input exit 2."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from otr_theory.cli import main
from otr_theory.schemas import load as load_schema


def test_regime_text_and_json(capsys):
    assert main(["regime"]) == 0  # stderr is no terminal: no progress bar
    out = capsys.readouterr().out
    assert "cheapest secure point" in out and "recommended box: proved" in out
    assert "best attack: wrong_output, cheat on the valuable queries only, until caught" in out and "NOT SECURE" in out
    assert "one-query condition (one cheated query against a fresh stake, no detection lag)" in out
    # human units (issue 15): money as $, durations as '1 d 0 h', no hours with decimals or e+04 seconds
    assert "W_min = " in out and not re.search(r"\d e\+\d+ s|\d\.\d+ h\b", out)
    assert "${" not in out and "$$" not in out
    row = next(ln for ln in out.splitlines() if "model's operating point" in ln and " W " in ln)
    assert re.search(r"S +\$100,000 +rho +0\.01 +W +1 d 0 h", row), row
    assert main(["regime", "-q", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(load_schema("regime")).validate(doc)  # the shipped schema (issue 15)
    assert doc["schema"] == "otr-theory/regime/v1" and doc["otr_theory_version"]
    assert doc["cheapest"]["point"]["secure"] is True
    assert [c["status"] for c in doc["certificates"]] == ["proved", "counterexample", "counterexample"]
    assert doc["assessment"]["secure"] is False and doc["assessment"]["required_stake_usd"] > 1e7
    assert doc["sweep"]["secure_points"]["spot_checks_only"] > 0


def test_regime_writes_certificates_that_cvc5_rechecks(tmp_path, capsys):
    assert main(["regime", "-q", "--certificates", str(tmp_path / "certs")]) == 0
    files = sorted(p.name for p in (tmp_path / "certs").iterdir())
    assert files == [
        "model-point-box--robust.smt2",
        "model-point-box.smt2",
        "recommended-box--gains--robust.smt2",
        "recommended-box--robust.smt2",
        "recommended-box.smt2",
        "straddling-box.smt2",
    ]
    cvc5 = pytest.importorskip("cvc5")
    assert cvc5 is not None
    from otr_theory.regimes import recheck_with_cvc5

    text = (tmp_path / "certs" / "recommended-box.smt2").read_text()
    assert recheck_with_cvc5(text) == "unsat"


def test_regime_bad_input(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["regime", "--certificates", str(tmp_path / "file")]) == 2
    assert main(["regime", "--box", "0"]) == 2
    assert main(["regime", "--max-final-s", "-5"]) == 2
    assert main(["regime", "nope.toml"]) == 2
    err = capsys.readouterr().err
    assert "exists and is not a folder" in err and "--box: must be a number in (0, 1)" in err and "--max-final-s" in err
    assert "Traceback" not in err


def test_regime_of_a_model_without_a_secure_point(capsys):
    assert main(["regime", "opml", "-q"]) == 0
    assert "no secure point" in capsys.readouterr().out
