"""``-q`` everywhere: the human output shortened to the verdict line(s); progress bars on a
terminal only, never with ``-q`` or ``--json`` (issue 15).

Each command runs twice on the same analysis (the expensive call is computed once and replayed,
so the two outputs differ only by ``-q``): the quiet lines must be the verdict, each line of it
also in the full output (the same words, not a second rendering), and shorter than it.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from otr_theory.cli import main

GAMES = Path(__file__).resolve().parents[1] / "data" / "gambit-games"


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _replay(monkeypatch, module, name):
    """Compute ``module.name`` once; later calls with any arguments get the first answer."""
    real = getattr(module, name)
    memo = []

    def once(*args, **kw):
        if not memo:
            memo.append(real(*args, **kw))
        return memo[0]

    monkeypatch.setattr(module, name, once)


def _quiet_and_full(capsys, argv):
    code_q, quiet, err_q = run([*argv, "-q"], capsys)
    code_f, full, _ = run(argv, capsys)
    assert code_q == code_f, err_q
    q_lines = quiet.splitlines()
    assert q_lines and len(q_lines) < len(full.splitlines())
    assert "\r" not in err_q
    return code_q, q_lines, full


def test_check_quiet_is_the_summary_and_the_theorems_not_proved(capsys, monkeypatch):
    import otr_theory.cli.check as mod

    _replay(monkeypatch, mod, "run_check")
    code, lines, full = _quiet_and_full(capsys, ["check"])
    assert lines[0].startswith("10 theorems: ") and lines[0].endswith(f"-> exit {code}")
    assert lines[0] in full.splitlines()
    bad = [ln for ln in full.splitlines() if " VIOLATED " in ln or " unknown " in ln]
    assert len(lines) - 1 == len(bad) and all(ln.strip().startswith(("VIOLATED: ", "unknown: ")) for ln in lines[1:])
    assert "counterexample" not in "\n".join(lines)


def test_regime_quiet_is_the_models_point_and_the_cheapest(capsys, monkeypatch):
    import otr_theory.cli.regime as mod

    _replay(monkeypatch, mod, "analyse")
    code, lines, full = _quiet_and_full(capsys, ["regime"])
    assert code == 0 and len(lines) == 2
    stripped = [ln.strip() for ln in full.splitlines()]
    assert lines[0].startswith("model's operating point") and lines[1].startswith("cheapest secure point")
    assert all(ln.strip() in stripped for ln in lines)
    assert "NOT secure (incentives)" in lines[0] and lines[1].endswith("secure")


def test_diff_quiet_is_the_gate(capsys, monkeypatch):
    import otr_theory.cli.diff as mod

    _replay(monkeypatch, mod, "diff_models")
    code, lines, full = _quiet_and_full(capsys, ["diff", "otr", "opml", "--no-theorems"])
    assert code == 1 and lines[0] == "GATE FAILED:"
    assert lines == full.splitlines()[-len(lines) :]
    assert any("secure region shrank" in ln for ln in lines)


def test_simulate_quiet_is_the_claims_and_the_best_attack(capsys):
    argv = ["simulate", "--queries", "5000", "--episodes", "200"]
    code, lines, full = _quiet_and_full(capsys, argv)
    assert code == 0 and lines[0].startswith("model ") and "5,000 queries, seed 0" in lines[0]
    claims = [ln for ln in lines if " -> holds" in ln or " -> does not hold" in ln]
    assert {ln.split(":")[0].strip() for ln in claims} == {"throughput", "cost", "safety"}
    assert all(ln in full.splitlines() for ln in claims)
    assert lines[-1].strip().startswith("best attack over one compromise episode: ")
    doc = json.loads(run([*argv, "--json"], capsys)[1])  # the best attack is the JSON's largest profit
    best = max(doc["attack"]["strategies"], key=lambda r: r["profit_usd"]["value"])
    assert best["strategy"]["name"] in lines[-1]


def test_solve_quiet_is_the_count_and_completeness(capsys):
    code, lines, full = _quiet_and_full(capsys, ["solve", str(GAMES / "2x2.nfg")])
    assert code == 0 and lines == ["1 equilibrium in 1 component(s); each checked by its regret: max 0 (tolerance 0)"]
    assert lines[0] in full.splitlines()
    code, out, _ = run(["solve", "-q", "--max-supports", "3", str(GAMES / "coord333.nfg")], capsys)  # a cap reached: incomplete
    assert code == 3 and out.splitlines()[-1].startswith("INCOMPLETE: ") and len(out.splitlines()) == 2


def test_report_quiet_prints_the_verdict_only(tmp_path, capsys, monkeypatch):
    """The report's -q: the verdict lines read from results.json, no 'wrote' lines (the writer
    is replaced by a copy of a results.json: what is tested is the printing)."""
    import otr_theory.cli.report as mod

    verdict = {
        "secure": False,
        "theorems": {"violated": 1, "unknown": 0},
        "incentives_secure_spot_checks_only": False,
        "binding": "incentives",
        "attack": {"strategy": "until_caught", "classes": "all", "payoff_usd": 1.5e6},
        "required_stake_usd": 5e7,
        "spot_check_rate": 0.01,
        "model_stake_usd": 1e5,
    }

    def fake_write(model, out_dir, progress=None):
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps({"model": "m", "verdict": verdict}))
        return {"results.json": out_dir / "results.json"}

    monkeypatch.setattr(mod, "write_report", fake_write)
    monkeypatch.setattr(mod, "check_target", lambda out: None)
    code, lines, full = _quiet_and_full(capsys, ["report", "--out", str(tmp_path / "r")])
    assert code == 0 and lines == mod.verdict_lines(verdict)
    assert lines[0].startswith("verdict: NOT secure -- 1 theorem(s) violated")
    assert not any(ln.startswith("wrote ") for ln in lines) and any(ln.startswith("wrote ") for ln in full.splitlines())
    shutil.rmtree(tmp_path / "r")


def test_diff_progress_bar_names_its_stages_on_a_terminal_only(capsys, monkeypatch):
    """On a terminal the bar names each stage (theorems of OLD, of NEW, region and cost); with
    -q, --json or a stderr that is no terminal there is none. The SMT checker is a stub here (it
    is tested elsewhere) and the region is computed once: the stages are what is tested."""
    import otr_theory.cli.diff as mod

    calls = []

    def stub(model):
        calls.append(model.name)
        time.sleep(0.15)  # longer than tqdm's refresh interval: each stage shows
        return {"validity": "proved"}

    real, memo = mod.diff_models, []

    def diff_once(old, new, *, theorems, **kw):
        if not memo:
            memo.append(real(old, new, theorems=theorems, **kw))
        elif theorems is not False:  # the checker still runs (and steps the bar) every time
            theorems(old), theorems(new)
        return memo[0]

    monkeypatch.setattr(mod, "smt_theorem_statuses", stub)
    monkeypatch.setattr(mod, "diff_models", diff_once)
    code, out, err = run(["diff", "otr", "otr"], capsys)  # capsys: stderr is no terminal
    assert code == 0 and err == "" and "gate passed" in out
    assert calls == ["otr-llama70b-h100-l1"] * 2
    assert "theorems (stub):" in out  # the wrapper keeps the name of the checker it runs, for the record
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(["diff", "otr", "otr"], capsys)
    assert code == 0 and "gate passed" in out
    assert "diff" in err and "theorems of OLD" in err and "theorems of NEW" in err and "region and cost" in err and "/3 [" in err
    assert len(calls) == 4
    code, out, err = run(["diff", "otr", "otr", "-q"], capsys)
    assert code == 0 and err == "" and out.startswith("gate passed")
    code, out, err = run(["diff", "otr", "otr", "--json"], capsys)
    assert code == 0 and err == "" and json.loads(out)["gate_failed"] is False
