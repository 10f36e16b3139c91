"""The report section: deterministic, JSON-able, no timings, the figure and any counterexample."""

from __future__ import annotations

import json
import re

import pytest
import z3

from otr_theory.model import load_model
from otr_theory.report.core import dumps_results
from otr_theory.report.sections.theorems import build


@pytest.fixture(scope="module")
def section():
    return build(load_model())


def test_section_on_default_model_is_timing_free(section):
    doc = json.loads(dumps_results(section.results))
    assert [t["status"] for t in doc["theorems"]] == ["proved"] * 6 + ["violated"] + ["proved"] * 3
    assert doc["unbounded_proofs"] == [t["name"] for t in doc["theorems"] if t["status"] == "proved"]
    assert doc["exit_code"] == 1 and doc["state_graph"]["ok"]
    assert "seconds" not in json.dumps(doc)
    assert re.search(r"\d\.\d\d s\b", section.markdown) is None  # no wall times like "0.15 s"
    assert "every timeout exceeds C" in section.markdown  # R = T = 1,800 s > C = 1,200 s
    assert "relies on" in section.markdown and "unbonding period" in section.markdown
    assert z3.get_version_string() not in section.markdown + json.dumps(doc)
    assert section.figures[0].name == "state_graph"
    assert section.summary == ("Safety theorems (z3): 9 proved, 1 violated, 0 unknown, 0 not applicable; failing: 7 (Incentive compatibility).",)


@pytest.mark.slow
def test_section_is_deterministic(section):
    again = build(load_model())
    assert dumps_results(again.results) == dumps_results(section.results)
    assert again.markdown == section.markdown


def test_section_shows_counterexamples():
    s = build(load_model("poq"))
    assert "**Counterexample to theorem 1 (Validity)**" in s.markdown
    assert "FINAL (the result is INVALID)" in s.markdown
    assert s.results["theorems"][0]["counterexample"][0].startswith("setting:")
    assert "failing: 1 (Validity), 7 (Incentive compatibility)" in s.summary[0]
