"""The model loader: the shipped models load; every class of bad input gets its clear error."""

from __future__ import annotations

import copy
import math
import re
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otr_theory import limits
from otr_theory.model import FIELDS, ModelError, Range, load_model, loads_model, loads_model_dict, model_paths


def _err(raw) -> ModelError:
    with pytest.raises(ModelError) as ei:
        loads_model_dict(raw, path="m.toml")
    return ei.value


def test_default_model_loads(model):
    assert model.scheme == "otr"
    assert model.value("spot_check_rate") == 0.01
    assert len(model.quantities) == len(FIELDS)
    # every number of the default model names a real source, none is bare
    for spec, _q, src in model.iter_fields():
        assert src.key != "unsourced", spec.dotted
        assert src.kind in ("primary", "secondary", "derived", "assumed", "uncertain")


@pytest.mark.parametrize("name", ["otr", "centralized", "zkml", "opml", "poq"])
def test_shipped_models_load(name):
    m = load_model(model_paths()[name])
    assert m.scheme == name
    assert load_model(name) == m  # shipped models can be named


def test_uncertain_values_lie_in_their_range(model):
    for _, q, _ in model.iter_fields():
        if q.low is not None:
            assert q.low <= q.value
        if q.high is not None:
            assert q.value <= q.high


def test_unknown_key_with_did_you_mean(raw_model):
    raw_model["economics"]["slash_ud"] = raw_model["economics"].pop("slash_usd")
    e = _err(raw_model)
    text = str(e)
    assert "economics.slash_ud: unknown key 'slash_ud'; did you mean 'slash_usd'?" in text
    assert "economics.slash_usd: is missing" in text
    assert text.startswith("m.toml: ")


def test_unknown_section(raw_model):
    raw_model["econmics"] = {}
    assert "did you mean 'economics'?" in str(_err(raw_model))


def test_missing_key(raw_model):
    del raw_model["zk"]["spot_check_rate"]
    assert _err(raw_model).fields == ("zk.spot_check_rate",)


def test_wrong_type(raw_model):
    raw_model["economics"]["stake_usd"]["value"] = "lots"
    e = _err(raw_model)
    assert e.fields == ("economics.stake_usd.value",)
    assert "must be a number (got 'lots')" in str(e)


def test_negative_money(raw_model):
    raw_model["economics"]["stake_usd"] = {"value": -5, "source": "ours-assumed"}
    e = _err(raw_model)
    assert "economics.stake_usd.value: must be >= 0 (got -5.0)" in str(e)


def test_probability_above_one(raw_model):
    raw_model["zk"]["spot_check_rate"]["value"] = 1.5
    raw_model["zk"]["spot_check_rate"]["high"] = 2.0
    e = _err(raw_model)
    assert "zk.spot_check_rate.value: must be a probability in [0, 1] (got 1.5)" in str(e)
    assert "zk.spot_check_rate.high" in e.fields


def test_window_shorter_than_a_round(raw_model):
    raw_model["dispute"]["window_s"] = {"value": 60, "source": "ours-assumed"}
    e = _err(raw_model)
    assert e.fields == ("dispute.window_s.value",)
    assert "at least one dispute round" in str(e)


def test_slash_above_stake(raw_model):
    raw_model["economics"]["slash_usd"] = {"value": 2e6, "source": "ours-assumed"}
    assert _err(raw_model).fields == ("economics.slash_usd.value",)


def test_unknown_source(raw_model):
    raw_model["economics"]["slash_usd"]["source"] = "ours-asumed"
    assert "did you mean 'ours-assumed'?" in str(_err(raw_model))


def test_value_outside_its_range(raw_model):
    raw_model["economics"]["slash_usd"]["low"] = 200_000
    assert _err(raw_model).fields == ("economics.slash_usd.low",)


def test_integer_field_rejects_fraction(raw_model):
    raw_model["challengers"]["count"]["value"] = 2.5
    assert "must be an integer" in str(_err(raw_model))


def test_bad_enum_and_bool(raw_model):
    raw_model["model"]["loss_convention"] = "becker"
    raw_model["protocol"]["attestation_check"] = "yes"
    e = _err(raw_model)
    assert set(e.fields) == {"model.loss_convention", "protocol.attestation_check"}


def test_non_finite_value(raw_model):
    raw_model["economics"]["slash_usd"]["value"] = math.inf
    assert "must be finite" in str(_err(raw_model))


def test_all_problems_reported_at_once(raw_model):
    raw_model["zk"]["spot_check_rate"]["value"] = -1
    raw_model["economics"]["fee_usd_per_query"]["value"] = -1
    del raw_model["tee"]["compromised_fraction"]
    assert len(_err(raw_model).problems) == 3


def test_bare_number_is_accepted_as_unsourced(raw_model):
    raw_model["economics"]["fee_usd_per_query"] = 0.02
    m = loads_model_dict(raw_model)
    assert m.value("fee_usd_per_query") == 0.02
    assert m.source_of("fee_usd_per_query").kind == "assumed"


def test_malformed_toml():
    with pytest.raises(ModelError, match=r"^x.toml:1:7: malformed TOML: Expected ']'"):
        loads_model("[model\nname=", path="x.toml")


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="no such file"):
        load_model(tmp_path / "nope.toml")


def test_directory_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="is a directory"):
        load_model(tmp_path)


def test_with_values_revalidates(model):
    assert model.with_values(slash_usd=5.0).value("slash_usd") == 5.0
    with pytest.raises(ModelError, match="did you mean 'slash_usd'"):
        model.with_values(slash_us=5.0)
    with pytest.raises(ModelError, match="spot_check_rate"):
        model.with_values(spot_check_rate=-0.1)


def test_round_trip_through_dict(model):
    again = loads_model_dict(model.to_dict(), path=model.path)
    assert again.quantities == model.quantities
    assert again.sources == model.sources


def test_exact_values_are_the_decimals_written(model):
    from fractions import Fraction

    assert model.quantity("spot_check_rate").exact == Fraction(1, 100)


# --- property tests: malformed files never escape as anything but ModelError -------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)


def _paths(d, prefix=()):
    for k, v in d.items():
        yield prefix + (k,)
        if isinstance(v, dict):
            yield from _paths(v, prefix + (k,))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_mutated_models_never_traceback(raw_model, data):
    raw = copy.deepcopy(raw_model)
    paths = sorted(_paths(raw))
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(paths))
        parent = raw
        for k in path[:-1]:
            parent = parent.get(k) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        if data.draw(st.booleans()):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = data.draw(_scalars)
    try:
        m = loads_model_dict(raw, path="fuzz.toml")
    except ModelError as e:
        assert e.problems and all(p.field for p in e.problems)
        assert str(e).startswith("fuzz.toml: ")
    else:
        assert len(m.quantities) == len(FIELDS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_property_random_text_never_tracebacks(text):
    try:
        loads_model(text, path="t.toml")
    except ModelError as e:
        assert re.match(r"t\.toml(:\d+){0,2}: ", str(e)), str(e)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_property_out_of_range_values_name_their_field(raw_model, data):
    """A value beyond either end of its field's range is refused, naming the field."""
    spec = data.draw(st.sampled_from(FIELDS))
    r = spec.check
    below = r.lo - max(abs(r.lo), 1.0) * data.draw(st.floats(1e-6, 10))
    above = r.hi + max(abs(r.hi), 1.0) * data.draw(st.floats(1e-6, 10))
    bad = data.draw(st.sampled_from([x for x in (below, above) if abs(x) < 1e15 and not (r.zero_ok and x == 0)]))
    raw_model[spec.section][spec.name] = {"value": bad, "source": "ours-assumed"}
    with pytest.raises(ModelError) as ei:
        loads_model_dict(raw_model)
    assert f"{spec.dotted}.value" in ei.value.fields


def test_toml_of_shipped_models_parses():
    for p in model_paths().values():
        with open(p, "rb") as f:
            assert tomllib.load(f)["schema_version"] == 1


def test_readme_documents_every_field(model):
    """The README's field reference lists every field of the schema with the default value."""
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent / "README.md"
    if not readme.exists():
        pytest.skip("not a source checkout")
    text = readme.read_text(encoding="utf-8")
    for spec in FIELDS:
        row = next((ln for ln in text.splitlines() if ln.startswith(f"| `{spec.dotted}` |")), None)
        assert row is not None, f"README lacks {spec.dotted}"
        assert f"| {model.value(spec.name):g}" in row, f"README's default for {spec.dotted} is stale"


# ---------------------------------------------------------------------------------------------
# physical ranges and input limits (issue 19)


def test_every_field_has_a_bounded_range_with_a_reason():
    """Every number has a physically meaningful range: a Range with a finite upper end, and a
    reason for it unless it is a probability or a fraction."""
    for spec in FIELDS:
        r = spec.check
        assert isinstance(r, Range), spec.dotted
        assert math.isfinite(r.hi) and math.isfinite(r.lo), spec.dotted
        assert r.why or r.label, spec.dotted
        assert spec.rule == r.rule, spec.dotted


def test_shipped_models_lie_inside_the_ranges():
    for name, p in model_paths().items():
        m = load_model(p)
        for spec, q, _ in m.iter_fields():
            for x in (q.value, q.low, q.high):
                assert x is None or spec.check(x) is None, (name, spec.dotted, x)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("decode_tokens_per_s_per_gpu", 5e-324, "must be >= 0.001"),
        ("stake_usd", 5e-324, "must be 0 or >= 0.01 (0, or at least a cent"),
        ("decode_tokens_per_s_per_gpu", 1e-6, "must be >= 0.001"),
        ("spot_check_rate", 1e-10, "must be 0 or >= 1e-09 (a smaller rate checks less than one query in a billion)"),
        ("spot_check_rate", 1.5, "must be a probability in [0, 1]"),
        ("count", 1100, "must be <= 1000 (the equilibrium and detection formulas"),
        ("stake_usd", 1e300, f"must be at most {limits.MAX_ABS_NUMBER:g} in magnitude"),  # 1e+25 since OP's 2^73-step trace
        ("stake_usd", 1e13, "must be <= 1e12"),
        ("gas_price_gwei", 1.7e308, f"must be at most {limits.MAX_ABS_NUMBER:g} in magnitude"),  # 1e+25 since OP's 2^73-step trace
        ("eth_price_usd", 1e8, "must be <= 1e7 (ten million dollars per gas token)"),
        ("tee_overhead_fraction", 0.995, "must be <= 0.99"),
    ],
)
def test_values_outside_the_physical_range_are_refused(raw_model, field, value, message):
    spec = next(f for f in FIELDS if f.name == field)
    raw_model[spec.section][field] = {"value": value, "source": "ours-assumed"}
    text = str(_err(raw_model))
    assert f"{spec.dotted}.value: {message}" in text, text


def test_range_messages_and_rules():
    r = Range(0, 1e9, why="a reason")
    assert (r(-1), r(0), r(1e9), r(2e9)) == ("must be >= 0", None, None, "must be <= 1e9 (a reason)")
    assert Range(0, 1, hi_open=True, label="a fraction in [0, 1)")(1.0) == "must be a fraction in [0, 1)"
    assert Range(0, 5, lo_open=True).rule == "in (0, 5]" and Range(2).rule == ">= 2"


def test_low_and_high_obey_the_range_too(raw_model):
    raw_model["economics"]["stake_usd"]["high"] = 1e14
    assert "economics.stake_usd.high: must be <= 1e12" in str(_err(raw_model))


def test_schema_version_must_be_the_integer_one(raw_model):
    for bad in (True, 1.0, "1", 2):
        raw_model["schema_version"] = bad
        assert "schema_version: must be 1" in str(_err(raw_model)), bad


def test_many_problems_are_counted_not_listed(raw_model):
    for i in range(500):
        raw_model["economics"][f"unknown_{i}"] = 1
    lines = str(_err(raw_model)).splitlines()
    assert len(lines) == limits.MAX_PROBLEMS + 1
    assert lines[-1].startswith("m.toml: and ") and lines[-1].endswith("more problems")


def test_a_huge_value_is_quoted_short(raw_model):
    raw_model["model"]["scheme"] = "x" * 1_000_000
    lines = str(_err(raw_model)).splitlines()
    assert all(len(ln) <= limits.MAX_MESSAGE_CHARS for ln in lines)
    assert "more characters" in lines[0]


def test_a_huge_unknown_key_gets_no_did_you_mean(raw_model):
    raw_model["economics"]["k" * 100_000] = 1
    text = str(_err(raw_model))
    assert "unknown key of 100,000 characters" in text and len(text) < 400


@pytest.mark.parametrize(
    "text, expect",
    [
        ("a = " + "[" * 17 + "]" * 17, "nested deeper than 16"),
        ("a = " + "[" * 16 + "]" * 16 + "\n", None),
        ("a = '" + "[" * 100 + "'\n# " + "{" * 100 + "\n", None),
        ('a = """\n' + "[" * 100 + '\n"""\n', None),
        ("a" + ".b" * 40 + " = 1", "dotted key"),
        ("x = " + "1" * 65, "a number has 65 characters"),
        ("x1" + "1" * 100 + " = 1", None),
        ("x = 1_000_000.5e3\n", None),
    ],
)
def test_scan_toml_limits(text, expect):
    if expect is None:
        limits.scan_toml(text)
    else:
        with pytest.raises(limits.LimitError, match=expect):
            limits.scan_toml(text)


def test_scan_is_linear_on_hostile_text():
    """Unterminated strings and long runs end the scan quickly (no quadratic backtracking)."""
    import time

    for text in ('"""' * 200_000, "'" * 500_000, "a" * 1_000_000, '"' + "\\" * 300_000):
        t0 = time.perf_counter()
        try:
            limits.scan_toml(text)
        except limits.LimitError:
            pass
        assert time.perf_counter() - t0 < 5.0


def test_file_limits(tmp_path):
    import os

    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (limits.MAX_FILE_BYTES + 1))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, expect in ((big, "at most 1,048,576"), (fifo, "not a regular file"), ("/dev/zero", "not a regular file"), (tmp_path, "is a directory")):
        with pytest.raises(ModelError, match=expect):
            load_model(path)
    bad_utf8 = tmp_path / "latin1.toml"
    bad_utf8.write_bytes("x = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(ModelError, match="cannot be read"):
        load_model(bad_utf8)


# --- problems located in the file: FILE:LINE:COL (issue 15) ---------------------------------


def _text_err(text: str, path: str = "m.toml") -> ModelError:
    with pytest.raises(ModelError) as ei:
        loads_model(text, path=path)
    return ei.value


def _default_text() -> str:
    from otr_theory.model import default_model_path

    return default_model_path().read_text(encoding="utf-8")


def _line_col_of(text: str, needle: str) -> tuple[int, int]:
    """Where ``needle`` first starts in ``text`` (an independent route: a plain string search)."""
    i = text.index(needle)
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def test_a_syntax_error_names_line_and_column():
    text = _default_text().replace("eth_price_usd = { value = 3000,", "eth_price_usd = { value = 3000 ,,")
    e = _text_err(text)
    line, col = _line_col_of(text, ",,")
    assert str(e) == f"m.toml:{line}:{col + 1}: malformed TOML: Invalid initial character for a key part"
    assert (e.problems[0].line, e.problems[0].column) == (line, col + 1)
    e = _text_err('[model]\nname = "x\n')  # an unterminated string
    assert str(e).startswith("m.toml:2:") and "malformed TOML" in str(e)
    e = _text_err("a = [1,\n  2")  # at the end of the document
    assert str(e).startswith("m.toml:2:4: malformed TOML: ")


@pytest.mark.parametrize(
    "old, new, field, needle",
    [
        # a value out of range inside an inline table: at its `value` key
        ("spot_check_rate = { value = 0.01,", "spot_check_rate = { value = 1.5,", "zk.spot_check_rate.value", "value = 1.5"),
        # a bare number out of range: at its key
        (
            'spot_check_rate = { value = 0.01, source = "dgrid-blog", low = 0.0, high = 0.05, note = "the paper\'s rho = 1% (tunable)" }',
            "spot_check_rate = -2",
            "zk.spot_check_rate.value",
            "spot_check_rate = -2",
        ),
        # a wrong type
        ("batch_size = { value = 64,", 'batch_size = { value = "lots",', "hardware.batch_size.value", 'value = "lots"'),
        # an unknown key in a table, and the one it replaced is missing (at the table's header)
        ("\nbatch_size = ", "\nbatch_sise = ", "hardware.batch_sise", "batch_sise"),
        # an unknown key inside an inline table
        ("slash_usd = { value = 100_000,", 'slash_usd = { value = 100_000, sorce = "x",', "economics.slash_usd.sorce", "sorce"),
        # a cross-field rule (slash above the stake)
        ("slash_usd = { value = 100_000,", "slash_usd = { value = 200_000,", "economics.slash_usd.value", "value = 200_000"),
        # a choice
        ('scheme = "otr"', 'scheme = "otx"', "model.scheme", 'scheme = "otx"'),
        # inside a [sources.x] table
        ('posts/2026-01-14"\nkind = "secondary"', 'posts/2026-01-14"\nkind = "blog"', "sources.dgrid-blog.kind", 'kind = "blog"'),
    ],
    ids=["inline-value", "bare-value", "type", "unknown-key", "inline-unknown", "cross-check", "choice", "source-table"],
)
def test_a_field_error_names_the_line_and_column_of_its_key(old, new, field, needle):
    text = _default_text()
    assert old in text
    text = text.replace(old, new, 1)
    e = _text_err(text)
    p = next(p for p in e.problems if p.field == field)
    assert (p.line, p.column) == _line_col_of(text, needle)
    line = next(ln for ln in str(e).splitlines() if f": {field}: " in ln)
    assert line.startswith(f"m.toml:{p.line}:{p.column}: {field}: ")
    assert len(line) <= limits.MAX_MESSAGE_CHARS


def test_a_missing_key_is_placed_at_its_table():
    text = _default_text().replace("\nbatch_size = ", "\nbatch_sise = ", 1)
    e = _text_err(text)
    p = next(p for p in e.problems if p.field == "hardware.batch_size")
    assert p.rule == "is missing" and (p.line, p.column) == _line_col_of(text, "hardware]")
    missing_table = _default_text().replace("[adversary]", "[adversry]", 1)
    e = _text_err(missing_table)
    p = next(p for p in e.problems if p.field == "adversry")
    assert (p.line, p.column) == _line_col_of(missing_table, "adversry]")


def test_dotted_keys_and_arrays_are_located():
    """The same model written with dotted keys at the top level and a multi-line array."""
    text = _default_text().replace(
        "[zk]\nspot_check_rate = { value = 0.01,",
        "[zk]\nspot_check_rate.value = 2\nspot_check_rate.source = 'dgrid-blog'\nspot_check_rate.note = '''[x]\nvalue = 0.01'''\nspot_check_rate.extra = [\n  1, # a comment\n  { value = 3 },\n]\nspot_check_rate.low = 0.0\nignored = {",
        1,
    )
    # the replacement leaves `ignored = { source = ..., low, high, note }`: one unknown key
    e = _text_err(text)
    p = next(p for p in e.problems if p.field == "zk.spot_check_rate.value")
    line, col = _line_col_of(text, "spot_check_rate.value = 2")
    assert (p.line, p.column) == (line, col + len("spot_check_rate."))
    p = next(p for p in e.problems if p.field == "zk.spot_check_rate.extra")
    assert (p.line, p.column) == _line_col_of(text, "extra = [")
    p = next(p for p in e.problems if p.field == "zk.ignored")
    assert (p.line, p.column) == _line_col_of(text, "ignored = {")


def test_every_field_of_every_shipped_model_is_found_at_its_key():
    """The locator against a string search: each field's key starts its line in the shipped files."""
    from otr_theory.tomlpos import key_positions

    for name, path in model_paths().items():
        text = path.read_text(encoding="utf-8")
        pos = key_positions(text)
        lines = text.splitlines()
        for spec in FIELDS:
            line, col = pos[spec.dotted]
            assert lines[line - 1][col - 1 :].startswith(f"{spec.name} ="), (name, spec.dotted)
            header = pos[spec.section]
            assert lines[header[0] - 1] == f"[{spec.section}]", (name, spec.section)
            assert header[0] < line


def test_many_located_problems_are_still_counted_and_short():
    text = _default_text() + "\n" + "".join(f"k{i} = {i}\n" for i in range(500)) + "x" * 1000 + " = 1\n"
    lines = str(_text_err(text)).splitlines()
    assert len(lines) == limits.MAX_PROBLEMS + 1
    assert lines[-1].startswith("m.toml: and ") and lines[-1].endswith("more problems")
    assert all(len(ln) <= limits.MAX_MESSAGE_CHARS for ln in lines)
    assert all(re.match(r"m\.toml:\d+:\d+: sources\.bold-economics\.k\d+: unknown key", ln) for ln in lines[:-1]), lines[:3]


def test_a_limit_on_the_text_names_its_line():
    e = _text_err("a = 1\nb = " + "[" * 40 + "]" * 40)
    assert str(e) == "m.toml:2: nested deeper than 16 levels (arrays and inline tables)"


def test_cli_prints_the_place_on_one_line_per_problem(tmp_path, capsys):
    from otr_theory.cli import main

    text = _default_text().replace("spot_check_rate = { value = 0.01,", "spot_check_rate = { value = 1.5,", 1)
    p = tmp_path / "bad.toml"
    p.write_text(text)
    code = main(["regime", str(p), "-q"])
    out, err = capsys.readouterr()
    line, col = _line_col_of(text, "value = 1.5")
    assert code == 2 and out == ""
    assert err == f"error: {p}:{line}:{col}: zk.spot_check_rate.value: must be a probability in [0, 1] (got 1.5)\n"


def test_a_missing_table_is_one_problem_not_one_per_field(raw_model):
    from otr_theory.model import FIELDS as ALL

    del raw_model["dispute"]
    e = _err(raw_model)
    assert [p.field for p in e.problems] == ["dispute"]
    n = sum(1 for f in ALL if f.section == "dispute")
    assert f"dispute: is missing (the table [dispute] of {n} quantities: window_s, " in str(e)
    raw_model["dispute"] = {}  # present but empty: each field is named
    assert sum(1 for p in _err(raw_model).problems if p.rule == "is missing") == n
