"""Regressions found by the fuzz campaign (benchmarks/fuzz_campaign.py, 2026-12-01): valid model
files, kept under tests/data/fuzz/ as the campaign generated them."""

from pathlib import Path

from otr_theory.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "fuzz"


def test_certificate_with_a_slack_the_model_fixes_to_a_number(capsys):
    """A slack that the model's numbers fix to a plain number made its test a Python bool, and z3
    raised 'Value cannot be converted into a Z3 Boolean value' out of `regime`."""
    assert main(["regime", str(DATA / "regime-constant-slack.toml"), "-q"]) == 0
    assert "Traceback" not in capsys.readouterr().err
