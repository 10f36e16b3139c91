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


def test_report_writes_all_four_outputs(tmp_path, capsys):
    code, out, err = run(["report", "--out", str(tmp_path / "r"), "-q"], capsys)
    assert code == 0, err
    for name in ("report.html", "report.md", "results.json"):
        assert (tmp_path / "r" / name).stat().st_size > 0
    assert list((tmp_path / "r" / "figures").glob("*.png"))


def test_results_json_is_byte_identical(tmp_path, capsys):
    for d in ("a", "b"):
        assert run(["report", "--out", str(tmp_path / d), "-q"], capsys)[0] == 0
    assert (tmp_path / "a" / "results.json").read_bytes() == (tmp_path / "b" / "results.json").read_bytes()
    assert (tmp_path / "a" / "report.md").read_bytes() == (tmp_path / "b" / "report.md").read_bytes()
    assert (tmp_path / "a" / "report.html").read_bytes() == (tmp_path / "b" / "report.html").read_bytes()


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


def test_version_and_help(capsys):
    assert run(["--version"], capsys)[0] == 0
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "report" in out


@pytest.mark.skipif(shutil.which("otr-analyze") is None, reason="console script not installed")
def test_installed_console_script_exit_codes(tmp_path):
    ok = subprocess.run(["otr-analyze", "report", "-q", "--out", str(tmp_path / "r")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(["otr-analyze", "report", str(tmp_path / "missing.toml")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_python_dash_m(tmp_path):
    r = subprocess.run([sys.executable, "-m", "otr_theory", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "otr-analyze" in r.stdout
