"""``otr-analyze solve GAME.nfg [--json]``: listing, exact rationals, determinism, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from otr_theory.cli import main

GAMES = Path(__file__).resolve().parent.parent / "data" / "gambit-games"


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_battle_of_the_sexes(capsys):
    code, out, err = run(["solve", str(GAMES / "ijgt-nau2004-sec3.nfg")], capsys)
    assert code == 0, err
    assert "3 equilibria" in out and "complete: yes" in out
    # payoffs (3, 2) / (2, 3): the mixed equilibrium is (3/5, 2/5) against (2/5, 3/5), exactly
    assert "Top: 3/5, Bottom: 2/5" in out and "Left: 2/5, Right: 3/5" in out
    assert "regret 0" in out


def test_degenerate_game_lists_components(capsys):
    code, out, _ = run(["solve", str(GAMES / "deg2.nfg")], capsys)
    assert code == 0
    assert "degenerate: yes" in out and "warning: degenerate game" in out
    assert "every mix of row strategies" in out


def test_json_is_deterministic_and_exact(capsys):
    argv = ["solve", "--json", str(GAMES / "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs.nfg")]
    code, a, _ = run(argv, capsys)
    _, b, _ = run(argv, capsys)
    assert code == 0 and a == b
    doc = json.loads(a)
    assert len(doc["equilibria"]) == 75 and doc["complete"] is True and doc["max_regret"] == {"value": 0.0, "exact": "0"}
    from fractions import Fraction

    probs = [x for e in doc["equilibria"] for s in e["strategies"] for x in s]
    assert all(set(x) == {"value", "exact"} and x["value"] == float(Fraction(x["exact"])) for x in probs)  # exact: {value, exact}


def test_nplayer_and_irrational(capsys):
    code, out, _ = run(["solve", str(GAMES / "ijgt-nau2004-sec4.nfg")], capsys)
    assert code == 0
    assert "(numeric)" in out and "irrational: the real root near these values of" in out


def test_incomplete_enumeration_exits_3(capsys):
    code, out, err = run(["solve", str(GAMES / "coord333.nfg"), "--max-supports", "3"], capsys)
    assert code == 3
    assert "complete: NO" in out and "incomplete" in err


def test_described_continuum_is_complete(capsys):
    # Nau et al. (2004) sec. 5: its continua are described exactly, so the answer is complete
    code, out, _ = run(["solve", str(GAMES / "ijgt-nau2004-sec5.nfg")], capsys)
    assert code == 0
    assert "complete: yes" in out and "dimension 1" in out and "4*s3_2 - 3 = 0" in out


@pytest.mark.parametrize(
    "content, message",
    [
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 2 3', "bad.nfg:2: payoffs: expected 8 numbers"),
        ("garbage", "bad.nfg:1: header: must start with NFG"),
    ],
)
def test_bad_file_exit_2(tmp_path, capsys, content, message):
    p = tmp_path / "bad.nfg"
    p.write_text(content)
    code, out, err = run(["solve", str(p)], capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_missing_file_exit_2(tmp_path, capsys):
    code, _, err = run(["solve", str(tmp_path / "none.nfg")], capsys)
    assert code == 2 and "no such file" in err


def test_max_supports_option(capsys):
    code, _, err = run(["solve", "--max-supports", "0", str(GAMES / "2x2x2.nfg")], capsys)
    assert code == 2
    code, out, _ = run(["solve", "--max-supports", "2", str(GAMES / "2x2x2.nfg")], capsys)
    assert code == 3 and "max_support_profiles=2" in out


# --- limits as rules, solver limits that are not bad input, degenerate shapes (issue 19) ---------


def _nfg(shape, payoffs):
    n = len(shape)
    head = 'NFG 1 R "t" { ' + " ".join(f'"{p + 1}"' for p in range(n)) + " } { " + " ".join(map(str, shape)) + " }\n"
    return head + " ".join(map(str, payoffs)) + "\n"


@pytest.mark.parametrize(
    "content, message",
    [
        (_nfg((2, 2), ["1e999999999"] + ["1"] * 7), "decimal exponent of magnitude at most 1000"),
        ('NFG 1 R "x" { "1" "2" } { 1000000000 1000000000 }\n1 2', "at most 100000 strategies (got 1000000000)"),
        ('NFG 1 R "x" { "1" "2" } { 50000 50000 }\n1 2', "at most 2000000 contingencies"),
        ('NFG 1 R "x" { "1" "2" } { 99999999999999999999 2 }\n1 2', "strategy count of player 1"),
        (_nfg((2, 2), ["9" * 300] + ["1"] * 7), "at most 200 characters"),
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 2 3 $ 4', "bad.nfg:2: token: unexpected character(s) (got '$ 4')"),
    ],
)
def test_limits_are_rules_checked_before_allocating(tmp_path, capsys, content, message):
    import time

    p = tmp_path / "bad.nfg"
    p.write_text(content)
    t0 = time.perf_counter()
    code, out, err = run(["solve", str(p)], capsys)
    assert time.perf_counter() - t0 < 5
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and len(err) < 400


def test_a_game_too_large_for_enumeration_exits_3_not_2(tmp_path, capsys):
    rng = np.random.default_rng(0)
    p = tmp_path / "big.nfg"
    p.write_text(_nfg((12, 12), rng.integers(0, 100, size=2 * 144).tolist()))
    code, out, err = run(["solve", "--timeout", "2", str(p)], capsys)
    assert code in (0, 3), err
    assert "Traceback" not in err
    if code == 3:
        assert "complete: NO" in out and "INCOMPLETE" in out and "every pure equilibrium" in out


@pytest.mark.parametrize("shape, value", [((12, 12), 0), ((12, 12), 5), ((1, 40), None), ((40, 1), None)])
def test_degenerate_structures(tmp_path, capsys, shape, value):
    rng = np.random.default_rng(1)
    n = int(np.prod(shape)) * 2
    pay = [value] * n if value is not None else rng.integers(0, 9, size=n).tolist()
    p = tmp_path / "deg.nfg"
    p.write_text(_nfg(shape, pay))
    code, out, err = run(["solve", "--timeout", "5", str(p)], capsys)
    assert code in (0, 3) and "Traceback" not in err
    assert "equilibri" in out


def test_timeout_gives_an_honest_partial_answer(capsys):
    code, out, err = run(["solve", "--timeout", "0.1", str(GAMES / "coord333.nfg")], capsys)
    assert code == 3 and "complete: NO" in out and "incomplete" in err
    assert out.count("equilibrium ") >= 9  # the nine pure equilibria are always listed


def test_help_does_not_import_heavy_dependencies():
    import subprocess
    import sys

    code = (
        "import sys\nfrom otr_theory.cli import main\n"
        "rc = main(['--help'])\n"
        "heavy = sorted(m for m in ('matplotlib', 'jinja2', 'markdown_it', 'sympy', 'z3', 'scipy') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert "HEAVY []" in r.stdout, r.stdout + r.stderr
    assert "solve" in r.stdout and "report" in r.stdout  # every command is listed without importing it


def test_solve_does_not_import_report_dependencies(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom otr_theory.cli import main\n"
        f"rc = main(['solve', '--quiet', {str(GAMES / '2x2.nfg')!r}])\n"
        "heavy = sorted(m for m in ('matplotlib', 'jinja2', 'markdown_it', 'sympy') if m in sys.modules)\n"
        "print('HEAVY', heavy, rc)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert "HEAVY [] 0" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize(
    "content, field, token",
    [
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 1 0 x2 2 0 3 3\n', "payoff 4", "x2"),
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 1 0 3abc 2 0 3 3\n', "payoff 4", "3abc"),
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 1 0 1.2.3 2 0 3 3\n', "payoff 4", "1.2.3"),
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 1 0 2\n2 0 3 "3"\n', "payoff 8", "3"),
        ('NFG 1 R "x" { "1" "2" } { 1 2 }\n{ { "" 1, 2x } }\n1 1\n', "outcome 1 payoff 2", "2x"),
        ('NFG 1 R "x" { "1" "2" } { 1 2 }\n{ { "" 1, 2 } }\n1 y\n', "contingency 2", "y"),
    ],
    ids=["word", "glued-word", "two-points", "quoted", "outcome", "contingency"],
)
def test_a_bad_token_is_named_with_its_line(tmp_path, capsys, content, field, token):
    """Issue 15: not "expected 8 numbers (got 3)" but the token itself, its line and its place."""
    p = tmp_path / "bad.nfg"
    p.write_text(content)
    code, out, err = run(["solve", str(p)], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    m = re.fullmatch(r"error: (.*):(\d+): (.*?): (must be .*) \(got '(.*)'\)\n", err)
    assert m, err
    assert (m.group(1), m.group(3), m.group(5)) == (str(p), field, token)
    assert token in content.splitlines()[int(m.group(2)) - 1]  # the line named holds the token
    assert "expected" not in err


def test_too_many_or_too_few_numbers_are_still_counted(tmp_path, capsys):
    for payoffs, got in (("1 2 3 4 5 6 7", 7), ("1 2 3 4 5 6 7 8 9", 9)):
        p = tmp_path / "n.nfg"
        p.write_text(f'NFG 1 R "x" {{ "1" "2" }} {{ 2 2 }}\n{payoffs}\n')
        code, _, err = run(["solve", str(p)], capsys)
        assert code == 2 and f"payoffs: expected 8 numbers (2 players x 4 contingencies) (got {got})" in err
