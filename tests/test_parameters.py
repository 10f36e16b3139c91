"""The ModelParameters record: every field of the model, its unit, range and source (issue 14)."""

from __future__ import annotations

import json

import pytest

from otr_theory.jsonio import dumps
from otr_theory.model import FIELDS, load_model
from otr_theory.parameters import (
    ModelParameters,
    ParameterRow,
    SourceRow,
    model_parameters,
)
from otr_theory.records import schema_of


@pytest.fixture(scope="module")
def params():
    return model_parameters(load_model())


def test_one_row_per_field_in_schema_order(params):
    m = load_model()
    assert [r.field for r in params.rows] == [f.dotted for f in FIELDS] and params.count == len(FIELDS)
    for r, (spec, q, src) in zip(params.rows, m.iter_fields()):
        assert (r.value, r.unit, r.low, r.high, r.source, r.source_kind) == (q.value, spec.unit, q.low, q.high, q.source, src.kind)
    assert sum(params.source_kinds.values()) == len(FIELDS)
    assert {s.key for s in params.sources} == {q.source for q in m.quantities.values()}


def test_record_is_json_valid_a_table_and_short(params):
    import jsonschema

    for cls, r in ((ModelParameters, params), (ParameterRow, params.rows[0]), (SourceRow, params.sources[0])):
        jsonschema.validate(json.loads(dumps(r.to_dict())), schema_of(cls))
        assert "<table>" in r._repr_html_()
        assert 2 <= len(repr(r).splitlines()) <= 15


def test_frame_has_one_row_per_field(params):
    pytest.importorskip("pandas")
    f = params.to_frame()
    assert list(f["field"]) == [r.field for r in params.rows]


def test_every_baseline(params):
    for name in ("centralized", "zkml", "opml", "poq"):
        p = model_parameters(load_model(name))
        assert p.scheme == name and p.count == len(FIELDS)
