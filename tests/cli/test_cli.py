"""The command line: exit codes, messages, nothing half-written."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otr_theory.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _report_runs(base, sections_pickle=None, model=None):
    """``otr-analyze report`` twice, once with ``--json -q``, once plain, into ``base/a`` and
    ``base/b``; the exit codes and what each printed on stdout. With ``sections_pickle`` the
    command's analysis is a fresh copy of the session's (tests/conftest.py: the sections of
    ``model``); the command's own code (loading, rendering, writing, printing) runs either way."""
    import pickle

    from otr_theory.report import build

    built = build.build_sections
    codes, printed = [], []
    for d, flags in (("a", ["--json", "-q"]), ("b", [])):
        buf, errbuf = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(errbuf), pytest.MonkeyPatch.context() as mp:
            if sections_pickle is not None:
                mp.setattr(build, "build_sections", lambda m, **kw: pickle.loads(sections_pickle) if m == model else built(m, **kw))
            codes.append(main(["report", "--out", str(base / d), *flags]))
        printed.append(buf.getvalue())
    return codes, base / "a", base / "b", printed


@pytest.fixture(scope="module")
def two_reports_and_output(tmp_path_factory, model, report_sections_pickle):
    """The report written twice by the command (the tests below read it), from the session's
    sections: a full analysis costs ~20 s of CPU. That two *independent* builds are byte-identical
    is held in the default run by tests/report/test_reports_current.py (the session's build against
    the kept report, built in another process) and here by the slow test below."""
    return _report_runs(tmp_path_factory.mktemp("reports"), report_sections_pickle, model)


@pytest.mark.slow
def test_two_independent_builds_are_byte_identical(tmp_path):
    codes, a, b, _ = _report_runs(tmp_path)
    assert codes == [0, 0]
    for name in ("results.json", "report.md", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for png in (a / "figures").glob("*.png"):
        assert png.read_bytes() == (b / "figures" / png.name).read_bytes(), png.name


@pytest.fixture(scope="module")
def two_reports(two_reports_and_output):
    codes, a, b, _ = two_reports_and_output
    return codes, a, b


def test_report_json_is_the_verdict_record_and_validates(two_reports_and_output):
    import jsonschema

    from otr_theory.schemas import load

    codes, a, _, (json_text, _) = two_reports_and_output
    assert codes[0] == 0
    doc = json.loads(json_text)
    jsonschema.Draft202012Validator(load("report")).validate(doc)
    assert doc["schema"] == "otr-theory/report/v1"
    results = json.loads((a / "results.json").read_text())
    assert doc["verdict"] == results["verdict"]  # the record itself, not a recomputation
    assert doc["written"]["results.json"] == str(a / "results.json")
    assert all(Path(p).exists() for p in doc["written"].values())


def test_report_prints_its_verdict_from_the_record(two_reports_and_output):
    from otr_theory.fmt import fmt_usd

    codes, _, b, (_, text) = two_reports_and_output
    assert codes[1] == 0
    v = json.loads((b / "results.json").read_text())["verdict"]
    lines = text.splitlines()
    assert lines[0].startswith("verdict: secure" if v["secure"] else "verdict: NOT secure -- ")
    if not v["secure"] and not v["incentives_secure_spot_checks_only"]:
        assert f"binding: {v['binding']}" in lines[0]
    if v["theorems"].get("violated"):
        assert f"{v['theorems']['violated']} theorem(s) violated" in lines[0]
    assert f"expected profit {fmt_usd(v['attack']['payoff_usd'])}" in lines[1]
    assert f"stake that would deter it {fmt_usd(v['required_stake_usd'])}" in lines[1]
    assert [ln for ln in lines[2:] if ln.startswith("wrote ")] == lines[2:] and len(lines) > 2


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


# ---------------------------------------------------------------------------------------------
# interrupted or failing output: nothing half-written, an existing report never damaged

_CHEAP_SECTIONS = """
import os, signal, sys, time
from otr_theory.report import build
from otr_theory.report.core import Section
def cheap(m):
    return Section("cheap", "Cheap", "new body", {"x": 1}, attachments=(("certificates/a.smt2", "(new)\\n"),))
build.SECTIONS = (cheap,)
"""


def _old_report(root):
    """A complete 'old' report in ``root``: every entry marked 'old', plus a user's own file."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("report.md", "report.html", "results.json"):
        (root / name).write_text("old")
    for folder in ("figures", "certificates"):
        (root / folder).mkdir()
        (root / folder / "f").write_text("old")
    (root / "notes.txt").write_text("mine")
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


def _leftovers(parent):
    return [p.name for p in parent.rglob(".otr-*")]


def _run_script(script, tmp_path, timeout=120):
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2])},
    )


@pytest.mark.parametrize("sig, code", [("SIGTERM", 143), ("SIGINT", 130)])
def test_signal_while_writing_keeps_the_old_report_and_no_temp_files(tmp_path, sig, code):
    """A signal arriving while the new files are written: exit 128+n, old report intact, no temp folder."""
    out = tmp_path / "r"
    before = _old_report(out)
    script = (
        _CHEAP_SECTIONS
        + f"""
from otr_theory import atomic
real = atomic._write_file
def write(path, data):
    os.kill(os.getpid(), signal.{sig})
    time.sleep(0.5)
    real(path, data)
atomic._write_file = write
from otr_theory.cli import main
sys.exit(main(["report", "--out", {str(out)!r}, "-q"]))
"""
    )
    r = _run_script(script, tmp_path)
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_signal_during_the_swap_is_deferred_until_the_new_report_is_whole(tmp_path):
    """SIGTERM while old entries are being replaced: the swap completes, then exit 143."""
    out = tmp_path / "r"
    _old_report(out)
    script = (
        _CHEAP_SECTIONS
        + f"""
from otr_theory import atomic
real, calls = atomic.make_parents, []
def parents(p):
    calls.append(p)
    if len(calls) == 2:  # the first call makes the staging folder; the second opens the swap
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
    return real(p)
atomic.make_parents = parents
from otr_theory.cli import main
sys.exit(main(["report", "--out", {str(out)!r}, "-q"]))
"""
    )
    r = _run_script(script, tmp_path)
    assert r.returncode == 143, r.stderr
    after = _snapshot(out)
    assert after["certificates/a.smt2"] == "(new)\n" and "certificates/f" not in after
    assert after["report.md"] != "old" and after["results.json"] != "old"
    assert after["notes.txt"] == "mine"
    assert _leftovers(tmp_path) == []


@pytest.mark.slow
def test_sigterm_at_a_random_moment_leaves_old_or_new_report_whole(tmp_path):
    """A real SIGTERM from outside at some point of the run: either the old or the new report,
    never a mix, and never a temporary folder."""
    import signal
    import time

    out = tmp_path / "r"
    old = _old_report(out)
    script = (
        _CHEAP_SECTIONS
        + f"""
def slow(m):
    time.sleep(0.3)
    return cheap(m)
build.SECTIONS = (slow,) * 3
from otr_theory.cli import main
print("ready", flush=True)
sys.exit(main(["report", "--out", {str(out)!r}, "-q"]))
"""
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2])}
    for delay in (0.2, 0.6, 1.2):
        p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
        assert p.stdout.readline().strip() == "ready"
        time.sleep(delay)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
        assert p.returncode in (0, 143, -signal.SIGTERM), err  # -15: killed before Python set its handler
        assert "Traceback" not in err
        after = _snapshot(out)
        new = {"report.md", "report.html", "results.json", "certificates/a.smt2", "notes.txt"}
        assert after == old or (set(after) == new and all(after[k] != "old" for k in new - {"notes.txt"})), after
        assert _leftovers(tmp_path) == []
        old = after


def test_report_md_is_a_folder_exits_2_and_keeps_the_old_report(tmp_path, capsys):
    out = tmp_path / "r"
    before = _old_report(out)
    (out / "report.md").unlink()
    (out / "report.md").mkdir()
    (out / "report.md" / "x").write_text("old")
    before = _snapshot(out)
    code, _, err = run(["report", "--out", str(out), "-q"], capsys)
    assert code == 2 and "report.md" in err and "is a folder" in err
    assert len(err.strip().splitlines()) == 1
    assert _snapshot(out) == before and _leftovers(tmp_path) == []


def _enospc(*args, **kwargs):
    import errno
    import os

    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_while_writing_the_report_exits_2(tmp_path, capsys, monkeypatch):
    from otr_theory import atomic
    from otr_theory.report import build
    from otr_theory.report.core import Section

    monkeypatch.setattr(build, "SECTIONS", (lambda m: Section("cheap", "Cheap", "body", {}),))
    monkeypatch.setattr(atomic, "_write_file", _enospc)
    out = tmp_path / "r"
    before = _old_report(out)
    code, _, err = run(["report", "--out", str(out), "-q"], capsys)
    assert code == 2, err
    assert "no space left" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _snapshot(out) == before and _leftovers(tmp_path) == []
    # a report into a new, nested folder: the folders created are removed again
    code, _, err = run(["report", "--out", str(tmp_path / "new" / "deeper"), "-q"], capsys)
    assert code == 2 and not (tmp_path / "new").exists() and _leftovers(tmp_path) == []


def test_full_disk_while_swapping_restores_the_old_report(tmp_path, capsys, monkeypatch):
    """The disk fills (or a rename fails) half-way through the swap: every old entry comes back."""
    import os

    from otr_theory import atomic
    from otr_theory.report import build
    from otr_theory.report.core import Section

    monkeypatch.setattr(build, "SECTIONS", (lambda m: Section("cheap", "Cheap", "body", {}),))
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            _enospc()
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", flaky)
    out = tmp_path / "r"
    before = _old_report(out)
    code, _, err = run(["report", "--out", str(out), "-q"], capsys)
    monkeypatch.setattr(atomic.os, "replace", real)
    assert code == 2 and "no space left" in err
    assert _snapshot(out) == before and _leftovers(tmp_path) == []


def test_read_only_location_exits_2(tmp_path, capsys, monkeypatch):
    """A location that cannot be written (/sys, or EROFS from the file system) -> one line, exit 2."""
    import errno
    import os
    import tempfile

    from otr_theory.report import build
    from otr_theory.report.core import Section

    monkeypatch.setattr(build, "SECTIONS", (lambda m: Section("cheap", "Cheap", "body", {}),))

    def erofs(*a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkdtemp", erofs)
    out = tmp_path / "r"
    before = _old_report(out)
    code, _, err = run(["report", "--out", str(out), "-q"], capsys)
    assert code == 2 and "read-only" in err and len(err.strip().splitlines()) == 1
    assert _snapshot(out) == before
    monkeypatch.undo()
    if os.path.isdir("/sys"):  # read-only even for root in most containers: refused before any analysis
        code, _, err = run(["report", "--out", "/sys/otr-report-test", "-q"], capsys)
        assert code == 2 and "Traceback" not in err and not os.path.exists("/sys/otr-report-test")
        code, _, err = run(["check", "--junit", "/sys/otr-junit.xml"], capsys)
        assert code == 2 and "Traceback" not in err and not os.path.exists("/sys/otr-junit.xml")


def test_junit_full_disk_and_folder_exit_2_keep_old_file(tmp_path, capsys, monkeypatch):
    from otr_theory import atomic
    from otr_theory.cli import check as check_cmd

    class R:
        exit_code = 0
        results = ()

        def counts(self):
            return {"proved": 0, "violated": 0, "unknown": 0, "not applicable": 0}

    monkeypatch.setattr(check_cmd, "run_check", lambda m, **kw: R())
    monkeypatch.setattr(check_cmd, "render_report", lambda r, source="": "ok")
    monkeypatch.setattr(check_cmd, "junit_xml", lambda r: "<testsuites/>\n")
    junit = tmp_path / "j.xml"
    junit.write_text("old")
    monkeypatch.setattr(atomic, "_write_file", _enospc)
    code, _, err = run(["check", "--junit", str(junit)], capsys)
    assert code == 2 and "no space left" in err and junit.read_text() == "old"
    assert _leftovers(tmp_path) == []
    monkeypatch.undo()
    monkeypatch.setattr(check_cmd, "run_check", lambda m, **kw: R())
    monkeypatch.setattr(check_cmd, "render_report", lambda r, source="": "ok")
    monkeypatch.setattr(check_cmd, "junit_xml", lambda r: "<testsuites/>\n")
    code, _, err = run(["check", "--junit", str(tmp_path)], capsys)
    assert code == 2 and "is a folder" in err
    code, _, _ = run(["check", "--junit", str(junit)], capsys)
    assert code == 0 and junit.read_text() == "<testsuites/>\n" and _leftovers(tmp_path) == []
