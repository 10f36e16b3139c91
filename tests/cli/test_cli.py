"""The command line: exit codes, messages, nothing half-written."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from otr_theory.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    """The report written twice (the expensive part, shared by the tests below)."""
    base = tmp_path_factory.mktemp("reports")
    codes = [main(["report", "--out", str(base / d), "-q"]) for d in ("a", "b")]
    return codes, base / "a", base / "b"


def test_report_writes_all_four_outputs(two_reports):
    codes, a, _ = two_reports
    assert codes == [0, 0]
    for name in ("report.html", "report.md", "results.json"):
        assert (a / name).stat().st_size > 0
    assert list((a / "figures").glob("*.png"))


def test_report_is_byte_identical(two_reports):
    _, a, b = two_reports
    for name in ("results.json", "report.md", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for png in (a / "figures").glob("*.png"):
        assert png.read_bytes() == (b / "figures" / png.name).read_bytes(), png.name


def test_bad_model_exits_2_names_field_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    src = (tmp_path / "x").parent
    text = open(__import__("otr_theory.model", fromlist=["x"]).default_model_path()).read()
    bad.write_text(text.replace("spot_check_rate = { value = 0.01", "spot_check_rate = { value = 1.5"))
    code, out, err = run(["report", str(bad), "--out", str(tmp_path / "r")], capsys)
    assert code == 2
    assert "zk.spot_check_rate.value: must be a probability in [0, 1] (got 1.5)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()
    assert not any(p.name.startswith(".otr-report-") for p in src.iterdir())


def test_missing_model_file_exits_2(tmp_path, capsys):
    code, _, err = run(["report", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and "no such file" in err


def test_malformed_toml_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[model\n")
    code, _, err = run(["report", str(bad), "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and "malformed TOML" in err


def test_unknown_option_exits_2(capsys):
    code, _, err = run(["report", "--frobnicate"], capsys)
    assert code == 2 and "No such option" in err


def test_unknown_command_exits_2(capsys):
    code, _, err = run(["reprot"], capsys)
    assert code == 2 and "reprot" in err


def test_out_is_a_file_exits_2(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run(["report", "--out", str(f)], capsys)
    assert code == 2 and "not a folder" in err


def test_out_below_a_file_exits_2(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run(["report", "--out", str(f / "sub" / "r")], capsys)
    assert code == 2 and "is not a folder" in err and "Traceback" not in err


def test_version_and_help(capsys):
    assert run(["--version"], capsys)[0] == 0
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "report" in out


@pytest.mark.skipif(shutil.which("otr-analyze") is None, reason="console script not installed")
def test_installed_console_script_exit_codes(tmp_path):
    ok = subprocess.run(["otr-analyze", "simulate", "--queries", "1000", "-q"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(["otr-analyze", "report", str(tmp_path / "missing.toml")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_python_dash_m(tmp_path):
    r = subprocess.run([sys.executable, "-m", "otr_theory", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "otr-analyze" in r.stdout


def test_exit_code_set_by_a_command_reaches_the_shell(capsys):
    """A command that calls ctx.exit(code) must return that code from main (not 0)."""
    import click

    from otr_theory.cli import cli

    @click.command("exit-with")
    @click.argument("code", type=int)
    @click.pass_context
    def exit_with(ctx, code):
        ctx.exit(code)

    cli.add_command(exit_with)
    try:
        assert main(["exit-with", "3"]) == 3
        assert main(["exit-with", "0"]) == 0
    finally:
        cli.commands.pop("exit-with")
