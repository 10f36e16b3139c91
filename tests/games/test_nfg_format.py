"""Gambit .nfg reading (both versions), errors naming line and field, writing, .efg export."""

from __future__ import annotations

import re
from fractions import Fraction as F

import numpy as np
import pytest

from otr_theory.games.nfg import NfgError, dumps_efg, dumps_nfg, loads_nfg, read_nfg, write_nfg
from otr_theory.games.normal_form import NormalFormGame
from otr_theory.games.tree import Decision, Terminal, count_nodes

OUTCOME = """NFG 1 R "BoS" { "Row" "Col" }

{ { "B" "S" }
{ "B" "S" }
}
"a comment with \\"quotes\\""

{
{ "both B" 2, 1 }
{ "both S" 1 2 }
}
1 0 0 2
"""


def test_outcome_version_with_null_outcomes_and_escapes():
    g = loads_nfg(OUTCOME)
    assert g.players == ("Row", "Col") and g.strategies == (("B", "S"), ("B", "S"))
    assert g.comment == 'a comment with "quotes"'
    # contingencies: (B,B) outcome 1, (S,B) null, (B,S) null, (S,S) outcome 2 -- player 1 fastest
    assert g.payoffs[0].tolist() == [[F(2), F(0)], [F(0), F(1)]]
    assert g.payoffs[1].tolist() == [[F(1), F(0)], [F(0), F(2)]]


def test_decimals_and_rationals_are_exact():
    g = loads_nfg('NFG 1 D "x" { "1" "2" } { 1 2 } 0.811 -1e-3 5/2 .5')
    assert g.exact
    assert g.payoffs[0][0].tolist() == [F(811, 1000), F(5, 2)]
    assert g.payoffs[1][0].tolist() == [F(-1, 1000), F(1, 2)]


@pytest.mark.parametrize(
    "text, pattern",
    [
        ('EFG 2 R "x" { "1" }', r"<string>:1: header: must start with NFG \(got 'EFG'\)"),
        ('NFG 2 R "x" { "1" "2" } { 2 2 } 1 2 3 4 5 6 7 8', r"version: must be 1"),
        ('NFG 1 Q "x" { "1" "2" } { 2 2 }', r"number type: must be R"),
        ('NFG 1 R "x" { "1" "2" }\n{ 2 0 }', r"<string>:2: strategy count of player 2: must be an integer >= 1"),
        ('NFG 1 R "x" { "1" "2" } { 2 2 }\n1 2 3\n4 5 6 7', r"payoffs: expected 8 numbers \(2 players x 4 contingencies\) \(got 7\)"),
        ('NFG 1 R "x" { "1" "2" } { 1 1 }\n{ { "" 1 } }\n1', r"<string>:2: outcome 1: must give one payoff per player \(2\) \(got 1\)"),
        ('NFG 1 R "x" { "1" "2" } { 1 2 }\n{ { "" 1, 2 } }\n1 3', r"contingency 2: must be an outcome number in 0..1 \(got '3'\)"),
        ('NFG 1 R "x" { "1" "2" } { 1 1 }\n1 2\n7', r"<string>:3: payoffs: expected 2 numbers"),
        ('NFG 1 R "x" { "1" "2" } { 1 1 }\n1 1/0', r"payoff 2: must be a number"),
        ('NFG 1 R "x" { "1" "2" } { 1 1 } 1 $', r"token: unexpected character"),
        ('NFG 1 R "x" { } { }', r"players: must name at least one player"),
    ],
)
def test_errors_name_line_and_field(text, pattern):
    with pytest.raises(NfgError, match=pattern):
        loads_nfg(text)


def test_read_missing_and_directory(tmp_path):
    with pytest.raises(NfgError, match="no such file"):
        read_nfg(tmp_path / "nope.nfg")
    with pytest.raises(NfgError, match="is a directory"):
        read_nfg(tmp_path)


def test_write_read_round_trip_with_labels(tmp_path):
    g = NormalFormGame.from_arrays(
        [np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), np.zeros((2, 2, 2), dtype=int), np.array([[[F(1, 3)] * 2] * 2] * 2)],
        players=('a "quoted" player', "b", "c"),
        strategies=(("x", "y"), ("u", "v"), ("p", "q")),
        title="three players",
        comment="line one\nline two",
    )
    for version in ("payoff", "outcome"):
        p = write_nfg(g, tmp_path / f"g-{version}.nfg", version=version)
        assert read_nfg(p) == g
    assert dumps_nfg(g) == dumps_nfg(read_nfg(tmp_path / "g-payoff.nfg"))


def test_float_games_write_as_decimals():
    g = NormalFormGame.from_bimatrix([[0.1, 0.25]], [[1.0, -2.5]])
    text = dumps_nfg(g)
    assert text.startswith("NFG 1 D")
    back = loads_nfg(text)
    assert back.payoffs[0][0].tolist() == [F(1, 10), F(1, 4)]


def test_efg_export_structure():
    t = Decision(0, "root", (("L", Decision(1, "n2", (("l", Terminal((1, 2))), ("r", Terminal((F(1, 2), -1)))))), ("R", Terminal((0, 0)))))
    text = dumps_efg(t, players=("P1", "P2"), title="tiny")
    lines = text.strip().splitlines()
    assert lines[0] == 'EFG 2 R "tiny" { "P1" "P2" }'
    body = lines[3:]
    assert len(body) == count_nodes(t) == 5
    assert [ln[0] for ln in body] == ["p", "p", "t", "t", "t"]
    assert body[1] == 'p "n2" 2 1 "n2" { "l" "r" } 0'
    assert body[3] == 't "" 2 "" { 1/2, -1 }'
    # outcome numbers are unique and consecutive
    assert [int(re.match(r't "[^"]*" (\d+)', ln).group(1)) for ln in body if ln[0] == "t"] == [1, 2, 3]
