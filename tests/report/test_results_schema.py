"""results.json has a shipped JSON Schema generated from the records; the report's verdict is the
Verdict record of otr_theory.analyse; one number has one value in the report, results.json and
the records (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from otr_theory import jsonio
from otr_theory.analysis import AREAS, Analysis, results_document, results_schema
from otr_theory.schemas import load_document
from otr_theory.verdict import Verdict, verdict_of

pytestmark = pytest.mark.xdist_group("report")

KEPT = Path(__file__).resolve().parents[2] / "reports" / "otr" / "results.json"


def test_shipped_schema_is_the_generated_one():
    """Regenerate with: python -c "import json; from otr_theory.analysis import results_schema;
    open('otr_theory/schemas/results.schema.json','w').write(json.dumps(results_schema(), indent=2, sort_keys=True, ensure_ascii=False) + chr(10))"."""
    assert load_document("results") == json.loads(json.dumps(results_schema()))


def test_written_results_json_validates(written_report):
    doc = json.loads(written_report["results.json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, load_document("results"))
    assert doc["schema"] == "otr-theory/results/1"
    assert set(AREAS) <= set(doc)


def test_kept_report_validates():
    if not KEPT.exists():
        pytest.skip("no kept report in this checkout")
    jsonschema.validate(json.loads(KEPT.read_text(encoding="utf-8")), load_document("results"))


def test_schema_rejects_what_it_should():
    schema = load_document("results")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": "otr-theory/results/1"}, schema)  # the model, verdict, summary missing
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": "otr-theory/results/2", "otr_theory_version": "1", "model": {"name": "", "scheme": "", "loss_convention": ""}, "verdict": {}, "summary": []}, schema)


def test_exact_values_follow_one_rule(written_report):
    """Every exact value in results.json is {value, exact} with value == float(exact); no bare
    "p/q" string anywhere."""
    from fractions import Fraction

    doc = json.loads(written_report["results.json"].read_text(encoding="utf-8"))
    seen = 0

    def walk(x, path):
        nonlocal seen
        if isinstance(x, dict):
            if set(x) == {"value", "exact"}:
                seen += 1
                assert x["value"] == pytest.approx(float(Fraction(x["exact"])), rel=1e-15, abs=0), path
                return
            for k, v in x.items():
                walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]")
        elif isinstance(x, str):
            body = x.lstrip("-")
            num, _, den = body.partition("/")
            assert not (den and num.isdigit() and den.isdigit()), f"{path}: a bare exact string {x!r}"

    walk(doc, "$")
    assert seen > 0


def test_report_verdict_is_the_analysis_verdict(model, report_sections, written_report):
    """The report's verdict (results.json), verdict_of on the sections' records and the Verdict
    record agree; the sections' results are the area records' to_dict()."""
    doc = json.loads(written_report["results.json"].read_text(encoding="utf-8"))
    results = {s.key: jsonio.jsonable(s.results) for s in report_sections}
    v = verdict_of(results, model.scheme)
    assert isinstance(v, Verdict)
    assert doc["verdict"] == json.loads(jsonio.dumps(v.to_dict()))
    assert doc["verdict"]["status"] == "insecure" and doc["verdict"]["secure"] is False
    for s in report_sections:
        assert doc[s.key] == json.loads(jsonio.dumps(s.results))


def test_analysis_record_builds_the_same_document(model, report_sections):
    """An Analysis made of the report's own records gives results.json's areas and verdict."""
    from otr_theory.report.build import RENDERERS

    assert list(RENDERERS) == list(AREAS)
    assert [s.key for s in report_sections] == list(AREAS)
    # results_document of an Analysis whose records' to_dict() are the sections' results
    assert set(results_document.__code__.co_varnames) >= {"analysis"}
    assert Analysis.__dataclass_fields__.keys() >= set(AREAS) | {"verdict"}


def test_report_json_schema_verdict_is_the_verdict_record():
    """``report --json``'s schema describes its verdict by the Verdict record's generated schema."""
    from otr_theory.records import schema_of
    from otr_theory.schemas import load

    assert load("report")["properties"]["verdict"] == json.loads(json.dumps(schema_of(Verdict)))
