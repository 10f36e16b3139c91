"""The JSON Schema of model files (otr_theory/schemas/model.schema.json): current, valid, accepting
every shipped model and rejecting broken ones -- and agreeing with the loader's own range checks."""

from __future__ import annotations

import copy
import functools
import math
import tomllib
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory import limits
from otr_theory.model import FIELDS, ModelError, loads_model_dict
from otr_theory.schemas import model_file

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = sorted([*ROOT.glob("models/*.toml"), *ROOT.glob("models/baselines/*.toml")])
SCHEMA = model_file.load()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _raw(name: str = "otr.toml") -> dict:
    with open(ROOT / "models" / name, "rb") as f:
        return tomllib.load(f)


@functools.cache
def _field_validator(dotted: str) -> jsonschema.Draft202012Validator:
    """A validator of one field's entry: the shipped schema's $defs, rooted at that field."""
    return jsonschema.Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{dotted}"})


def _number_ok(spec, x) -> bool:
    """The schema's verdict on x as the value of ``spec`` (a quantity table and a bare number agree)."""
    v = _field_validator(spec.dotted)
    as_table, bare = v.is_valid({"value": x, "source": "ours-assumed"}), v.is_valid(x)
    assert as_table == bare
    return as_table


def test_a_field_entry_in_the_whole_file_is_judged_as_alone():
    raw = _raw()
    raw["zk"]["spot_check_rate"] = {"value": 2.0, "source": "ours-assumed"}
    assert not VALIDATOR.is_valid(raw) and not _number_ok(FIELDS[[f.name for f in FIELDS].index("spot_check_rate")], 2.0)


def test_the_shipped_schema_is_current():
    assert (ROOT / "otr_theory" / "schemas" / model_file.SCHEMA_FILE).read_text(encoding="utf-8") == model_file.dumps(model_file.model_file_schema()), (
        "regenerate: python -c 'from otr_theory.schemas import model_file; model_file.write()'"
    )


def test_the_schema_is_draft_2020_12_and_covers_every_field():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for spec in FIELDS:
        assert SCHEMA["properties"][spec.section]["properties"][spec.name] == {"$ref": f"#/$defs/{spec.dotted}"}
        assert spec.name in SCHEMA["properties"][spec.section]["required"]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_every_shipped_model_validates(path):
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in VALIDATOR.iter_errors(raw)]
    assert errors == []
    loads_model_dict(raw)  # and the loader accepts it: the two agree on the shipped files


def _mutate(raw, path, value=None, delete=False):
    node = raw
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "delete"),
    [
        (("zk", "spot_check_rate", "value"), 1.5, False),  # a probability above 1
        (("zk", "spot_check_rate", "value"), 1e-12, False),  # 0 or >= 1e-9
        (("economics", "stake_usd", "value"), -1, False),  # a negative stake
        (("economics", "stake_usd", "value"), 0.001, False),  # 0 or at least a cent
        (("hardware", "gpus_per_replica", "value"), 2.5, False),  # an integer field
        (("hardware", "gpus_per_replica"), True, False),  # a boolean is not a number
        (("hardware", "tee_overhead_fraction", "high"), 1.0, False),  # low/high obey the range
        (("hardware", "gpus_per_replica", "sourec"), "x", False),  # an unknown key of a quantity
        (("economics", "slash_usdd"), 5, False),  # an unknown field
        (("economics", "slash_usd"), None, True),  # a missing field
        (("economics", "slash_usd", "value"), None, True),  # a quantity without a value
        (("model", "scheme"), "optimistic", False),  # an unknown scheme
        (("model", "self_challenge"), "yes", False),
        (("protocol", "randomness_source"), "dice", False),
        (("protocol", "attestation_check"), 1, False),
        (("dispute", "design"), "trisection", False),
        (("sources", "dgrid-blog", "kind"), "rumour", False),
        (("schema_version",), 2, False),
        (("chain",), None, True),  # a missing section
    ],
)
def test_broken_models_do_not_validate_and_the_loader_agrees(path, value, delete):
    raw = _mutate(_raw(), path, value, delete)
    assert not VALIDATOR.is_valid(raw)
    with pytest.raises(ModelError):
        loads_model_dict(raw)


def test_a_bare_number_and_a_multilevel_design_validate():
    raw = _raw()
    raw["economics"]["slash_usd"] = 50_000
    assert VALIDATOR.is_valid(raw)
    bold = _raw("baselines/bold.toml")
    assert "levels" in bold["dispute"] and VALIDATOR.is_valid(bold)
    bad = copy.deepcopy(bold)
    bad["dispute"]["levels"]["heights"] = []
    assert not VALIDATOR.is_valid(bad)


def _probes(spec):
    r = spec.check
    out = [0.0, -1.0, 1.0, limits.MAX_ABS_NUMBER * 2]
    for b in (r.lo, r.hi):
        if math.isfinite(b):
            out += [b, b * (1 + 1e-9) + 1e-12, b * (1 - 1e-9) - 1e-12]
    if spec.integer:
        out = [float(round(x)) for x in out if abs(x) < 1e24] + [1.5]
    return out


@pytest.mark.parametrize("spec", FIELDS, ids=lambda f: f.dotted)
def test_the_schema_range_is_the_loaders_range_at_the_boundaries(spec):
    """Independent route: the field's Range object (what the loader calls) against the schema made
    from it, at and just beyond each bound, at 0, -1 and beyond the magnitude limit."""
    for x in _probes(spec):
        loader_ok = abs(x) <= limits.MAX_ABS_NUMBER and (not spec.integer or float(x).is_integer()) and spec.check(x) is None
        assert _number_ok(spec, x) == loader_ok, (spec.dotted, x)


@settings(max_examples=60, deadline=None)
@given(i=st.integers(0, len(FIELDS) - 1), x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13))
def test_property_schema_and_range_agree(i, x):
    spec = FIELDS[i]
    if spec.integer:
        x = float(round(x))
    assert _number_ok(spec, x) == (spec.check(x) is None)
