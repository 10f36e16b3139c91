"""``otr-analyze check``: exit codes, the timeline, JUnit XML written atomically, bad input."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from otr_theory.cli import main
from otr_theory.model import default_model_path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_default_model_exit_1_on_incentives_over_time_with_junit(tmp_path, capsys):
    """The default proves 9 theorems; theorem 7 (over time) is violated: S = $100k does not deter."""
    target = tmp_path / "check.xml"
    code, out, err = run(["check", "--junit", str(target)], capsys)
    assert code == 1, err
    assert "10 theorems: 9 proved, 1 violated, 0 unknown, 0 not applicable" in out
    assert "z3 " in out and re.search(r"\d (ms|s)  inductive invariant", out)  # times as durations (issue 15)
    suite = ET.parse(target).getroot().find("testsuite")
    assert suite.get("tests") == "10" and suite.get("failures") == "1" and suite.get("errors") == "0"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "t1_validity",
        "t2_honest_safety",
        "t3_bounded_resolution",
        "t4_conservation",
        "t5_attestation_binding",
        "t6_spot_check_unpredictability",
        "t7_incentive_compatibility",
        "t8_accountability",
        "t9_griefing_cost",
        "t10_liveness",
    ]
    assert [c.get("name") for c in cases if c.find("failure") is not None] == ["t7_incentive_compatibility"]
    assert all(c.find("error") is None for c in cases)
    assert all(float(c.get("time")) >= 0 for c in cases)
    assert [p.name for p in tmp_path.iterdir()] == ["check.xml"]  # no temporary file left


def test_violated_exit_1_prints_timeline_and_failures(tmp_path, capsys):
    target = tmp_path / "poq.xml"
    code, out, err = run(["check", "poq", "--junit", str(target)], capsys)
    assert code == 1, err
    assert "counterexample to theorem 1 (Validity):" in out
    assert "FINAL (the result is INVALID)" in out
    assert "replay: the interpreter reproduced all" in out
    suite = ET.parse(target).getroot().find("testsuite")
    by_name = {c.get("name"): c for c in suite.findall("testcase")}
    assert by_name["t1_validity"].find("failure") is not None
    assert "FINAL" in by_name["t1_validity"].find("failure").text
    assert by_name["t5_attestation_binding"].find("skipped") is not None
    assert suite.get("failures") == "2" and suite.get("skipped") == "4"


def test_unknown_exit_3_is_an_error_in_junit(tmp_path, capsys):
    target = tmp_path / "u.xml"
    code, out, err = run(["check", "--rlimit", "1", "--junit", str(target)], capsys)
    assert code == 3, err
    assert "proved" not in out.split("->")[0].split("theorems:")[1].replace("0 proved", "")
    suite = ET.parse(target).getroot().find("testsuite")
    assert suite.get("errors") == "10"
    assert all(c.find("error").get("type") == "unknown" for c in suite.findall("testcase"))


def test_all_not_applicable_exits_0(capsys):
    code, out, _ = run(["check", "centralized"], capsys)
    assert code == 0
    assert "10 not applicable" in out


def test_bad_model_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(default_model_path().read_text().replace("window_s = { value = 86_400", "window_s = { value = -5"))
    code, out, err = run(["check", str(bad), "--junit", str(tmp_path / "j.xml")], capsys)
    assert code == 2
    assert "dispute.window_s.value" in err and "Traceback" not in err
    assert not (tmp_path / "j.xml").exists()


@pytest.mark.parametrize("where", ["missing/j.xml", "."])
def test_bad_junit_target_exits_2_and_writes_nothing(tmp_path, capsys, where):
    target = tmp_path / where
    code, out, err = run(["check", "--junit", str(target)], capsys)
    assert code == 2
    assert err.startswith("error: --junit")
    assert out == ""


def test_bad_option_exits_2(capsys):
    code, _, err = run(["check", "--depth", "-1"], capsys)
    assert code == 2
    assert "depth" in err
