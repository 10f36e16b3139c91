"""``otr-analyze solve GAME.nfg [--json]``: listing, exact rationals, determinism, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert len(doc["equilibria"]) == 75 and doc["complete"] is True and doc["max_regret"] == "0"
    assert all("/" in x or x in ("0", "1") for e in doc["equilibria"] for s in e["strategies"] for x in s)


def test_nplayer_and_irrational(capsys):
    code, out, _ = run(["solve", str(GAMES / "ijgt-nau2004-sec4.nfg")], capsys)
    assert code == 0
    assert "(numeric)" in out and "irrational: the real root near these values of" in out


def test_incomplete_enumeration_exits_3(capsys):
    code, out, err = run(["solve", str(GAMES / "ijgt-nau2004-sec5.nfg")], capsys)
    assert code == 3
    assert "complete: NO" in out and "incomplete" in err


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
