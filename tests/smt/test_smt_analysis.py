"""smt.analysis: the TheoremsAnalysis record (JSON, schema, HTML, repr, frame) against check and the interpreter."""

from __future__ import annotations

import jsonschema
import pytest

from otr_theory.jsonio import dumps
from otr_theory.model import load_model
from otr_theory.records import schema_of
from otr_theory.smt.analysis import TheoremsAnalysis, analyse
from otr_theory.smt.theorems import STATUSES


@pytest.fixture(scope="module")
def analysis():
    return analyse(load_model())


def test_record_is_json_and_validates_against_its_schema(analysis):
    doc = analysis.to_dict()
    dumps(doc)
    jsonschema.validate(doc, schema_of(TheoremsAnalysis))
    assert set(doc["counts"]) == set(STATUSES) and sum(doc["counts"].values()) == len(doc["theorems"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dict(doc, counts={"proved": "nine"}), schema_of(TheoremsAnalysis))


def test_record_shows_as_table_repr_and_frame(analysis):
    html = analysis._repr_html_()
    assert "<table>" in html and "<thead>" in html and "Validity" in html
    assert len(repr(analysis).splitlines()) <= 15
    pytest.importorskip("pandas")
    frame = analysis.to_frame()
    assert list(frame["number"]) == list(range(1, len(analysis.theorems) + 1))
    assert set(frame["status"]) <= set(STATUSES)


def test_verdicts_and_the_independent_exploration_agree(analysis):
    """z3's verdicts beside the interpreter's explicit-state check: every invariant z3 proved holds in every
    explored state (no violation named after it), and the state graph is sane."""
    sg = analysis.state_graph
    assert sg.ok and sg.dead_ends == 0 and "final" in sg.verdicts_reachable
    assert analysis.unbounded_proofs == tuple(r.name for r in analysis.theorems if r.status == "proved")
    assert analysis.exit_code == (1 if analysis.counts["violated"] else 3 if analysis.counts["unknown"] else 0)
    assert [r.status for r in analysis.failing] == ["violated"]  # theorem 7 on the default model
    assert analysis.times.tight == ()  # R = T = 1,800 s > C = 1,200 s
    assert list(analysis.attachments()) == ["counterexamples/t7-incentive_compatibility.txt"]


def test_counterexamples_become_attachments():
    a = analyse(load_model("poq"))
    files = a.attachments()
    assert "counterexamples/t1-validity.txt" in files and files["counterexamples/t1-validity.txt"].startswith("setting:")
