"""One command-line grammar (issue 15): every command takes --json and -q; every JSON output is
one object tagged with its schema and the package version, and validates against the schema
shipped in otr_theory/schemas/; the terminal output is in human units."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from otr_theory import __version__
from otr_theory.cli import COMMANDS, cli, main
from otr_theory.cli.common import package_version
from otr_theory.model import model_paths
from otr_theory.schemas import COMMANDS as SCHEMA_COMMANDS
from otr_theory.schemas import load, schema_id

GAMES = Path(__file__).resolve().parents[1] / "data" / "gambit-games"


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def validate(command: str, text: str) -> dict:
    """Parse one --json output and validate it against the shipped schema of ``command``."""
    doc = json.loads(text)
    assert isinstance(doc, dict)
    assert doc["schema"] == schema_id(command)
    assert doc["otr_theory_version"] == package_version()
    jsonschema.Draft202012Validator(load(command), format_checker=jsonschema.FormatChecker()).validate(doc)
    return doc


def test_every_command_has_json_and_quiet_and_a_schema():
    assert sorted(COMMANDS) == sorted(SCHEMA_COMMANDS)
    for name in COMMANDS:
        cmd = cli.get_command(None, name)
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"--json", "-q", "--quiet"} <= opts, name


@pytest.mark.parametrize("command", SCHEMA_COMMANDS)
def test_the_shipped_schemas_are_draft_2020_12_and_pin_the_tag(command):
    s = load(command)
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["properties"]["schema"] == {"const": schema_id(command)}
    assert {"schema", "otr_theory_version"} <= set(s["required"])
    bad = {"schema": "otr-theory/other/v1", "otr_theory_version": "1"}
    assert not jsonschema.Draft202012Validator(s).is_valid(bad)  # a schema that accepts anything checks nothing


def test_the_version_is_the_installed_or_the_package_one():
    from otr_theory._version import version

    assert package_version() == version() == __version__ != "0+unknown"


# each light command in process with --json -q (regime, diff with theorems and report: below, slow;
# tests/regimes and tests/cli/test_cli.py validate their JSON in the default run)
LIGHT = [
    ("check", ["check", "--json", "-q"], (0, 1, 3)),
    ("diff", ["diff", "otr", "opml", "--no-theorems", "--json", "-q"], (0, 1)),
    ("simulate", ["simulate", "--queries", "5000", "--episodes", "200", "--json", "-q"], (0,)),
    ("solve", ["solve", str(GAMES / "2x2.nfg"), "--json", "-q"], (0,)),
]


@pytest.mark.parametrize(("command", "argv", "codes"), LIGHT, ids=[c for c, _, _ in LIGHT])
def test_json_output_validates_against_its_schema(capsys, command, argv, codes):
    code, out, err = run(argv, capsys)
    assert code in codes, err
    doc = validate(command, out)
    if command == "check":  # the table's counts are the theorems' statuses, and the exit code is the record's
        statuses = [t["status"] for t in doc["theorems"]]
        assert doc["counts"] == {s: statuses.count(s) for s in ("proved", "violated", "unknown", "not applicable")}
        assert doc["exit_code"] == code
        assert all((t["counterexample"] is not None) == (t["status"] == "violated") or t["status"] != "violated" for t in doc["theorems"])
    if command == "diff":
        assert doc["gate_failed"] == (code == 1) and doc["theorems"] == []
    if command == "solve":  # Gambit's 2x2 example: one mixed equilibrium (1/2, 1/2), (1/3, 2/3)
        assert doc["complete"] is True and [[[x["exact"] for x in s] for s in e["strategies"]] for e in doc["equilibria"]] == [[["1/2", "1/2"], ["1/3", "2/3"]]]
    assert "\r" not in err  # -q: no progress bar


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "argv"),
    [("regime", ["regime", "--json", "-q"]), ("diff", ["diff", "otr", "otr", "--json", "-q"])],
    ids=["regime", "diff-with-theorems"],
)
def test_heavy_json_output_validates_against_its_schema(capsys, command, argv):
    code, out, err = run(argv, capsys)
    assert code in (0, 1), err
    doc = validate(command, out)
    if command == "diff":
        assert doc["theorems"] and not doc["gate_failed"] and code == 0


def test_json_tags_do_not_replace_a_commands_own_keys():
    from otr_theory.cli.common import json_document

    d = json_document("solve", {"schema": "x", "method": "m"})
    assert d == {"schema": "otr-theory/solve/v1", "otr_theory_version": package_version(), "method": "m"}


def test_an_unknown_model_name_lists_the_shipped_models(capsys):
    code, out, err = run(["regime", "otx", "-q"], capsys)
    assert code == 2 and out == ""
    line = err.strip()
    assert "\n" not in line and line.startswith("error: otx")
    for name in model_paths():
        assert name in line
    code, _, err = run(["check", "nosuch-model", "--json", "-q"], capsys)
    assert code == 2 and "zkml" in err and "Traceback" not in err


def test_the_help_names_every_shipped_model():
    from otr_theory.cli import cli as group

    doc = " ".join(group.help.split())
    assert "(" + ", ".join(["otr", *sorted(n for n in model_paths() if n != "otr")]) + ")" in doc


def test_simulate_rows_are_words_in_human_units(capsys):
    code, out, err = run(["simulate", "--queries", "5000", "--episodes", "200"], capsys)
    assert code == 0, err
    table = out.split("\n\n")[1].splitlines()[1:]
    assert len(table) == 19
    for row in table:
        assert not re.match(r"\S+_\S+", row), row  # no snake_case key as a row's name
    assert "n/a [0, 1]" not in out and "n/a  [n/a" not in out
    assert "arrival to final finality, accepted queries" in out and "1 d 0 h" in out  # the default W = 24 h (+ 20 s)
    ours = "\n".join(table) + out.split("paper's claims:")[0] + out.split("attack over one compromise episode")[1]
    assert "e+04 s" not in ours and "8.642e+04" not in ours  # (the claims' sentences come from otr_theory.simulation.claims)
    assert "cost of a query " in out and "$0.0" in out
    assert "lag 12 h" in out  # the attack's detection lag, not 4.32e+04 s


def test_check_text_times_are_durations(capsys):
    code, out, _ = run(["check"], capsys)
    assert code in (0, 1, 3)
    assert re.search(r"\d+ theorems: .* \((\d[\d.]* (ms|s)|\d+ min( \d+ s)?)\) -> exit \d", out)
    # the old fixed '0.64 s' column is gone: below a second a duration reads in ms (a slow machine
    # may still show '1.02 s', which is fmt_duration's three figures, not the old column)
    assert not re.search(r"\b0\.\d\d s  ", out)
