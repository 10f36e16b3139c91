"""The model loader: the shipped models load; every class of bad input gets its clear error."""

from __future__ import annotations

import copy
import math
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otr_theory.model import FIELDS, ModelError, load_model, loads_model, loads_model_dict, model_paths


def _err(raw) -> ModelError:
    with pytest.raises(ModelError) as ei:
        loads_model_dict(raw, path="m.toml")
    return ei.value


def test_default_model_loads(model):
    assert model.scheme == "otr"
    assert model.value("spot_check_rate") == 0.01
    assert len(model.quantities) == len(FIELDS)
    # every number of the default model names a real source, none is bare
    for spec, q, src in model.iter_fields():
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
    with pytest.raises(ModelError, match=r"x.toml: <toml>: malformed TOML"):
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
        assert str(e).startswith("t.toml: ")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_property_out_of_range_values_name_their_field(raw_model, data):
    spec = data.draw(st.sampled_from([f for f in FIELDS if f.rule in (">= 0", "in [0, 1]", "> 0")]))
    bad = data.draw(st.floats(max_value=-1e-9, min_value=-1e12)) if spec.rule != "in [0, 1]" or data.draw(st.booleans()) else data.draw(st.floats(min_value=1.0001, max_value=1e6))
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
