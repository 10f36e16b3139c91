"""A model diff rendered by the library (:func:`otr_theory.regimes.diff_text`): the command's text
and the notebook's HTML, on a diff built by hand."""

from __future__ import annotations

import dataclasses

from otr_theory.cli import diff as diff_cmd
from otr_theory.regimes import ModelDiff, TheoremChange, diff_text
from otr_theory.regimes.diff import FieldChange, diff_html, gate_lines

PASSED = ModelDiff(
    old="a",
    new="b<2>",
    theorems=(TheoremChange("validity", "proved", "unknown", True),),
    theorem_checker="stub",
    region_old=0.5,
    region_new=0.25,
    region_old_eq=0.6,
    region_new_eq=0.3,
    shrink=0.5,
    growth=0.0,
    cheapest_old_usd=0.02,
    cheapest_new_usd=None,
    cost_at_point_old_usd=0.01,
    cost_at_point_new_usd=0.02,
    secure_at_point_old=True,
    secure_at_point_new=False,
    max_shrink=0.05,
    gate_failed=False,
    reasons=(),
    changed_fields=(FieldChange("economics.slash_usd", 100_000.0, 8_000.0, "paper", "paper"),),
)
FAILED = dataclasses.replace(PASSED, gate_failed=True, reasons=("theorem validity newly fails", "region shrank by 50%"))


def test_text_is_what_the_command_prints():
    assert diff_cmd.render_text is diff_text and diff_cmd.gate_lines is gate_lines
    text = PASSED.to_text()
    assert text == diff_text(PASSED)
    assert "changed fields (1):" in text and "economics.slash_usd: $100,000 -> $8,000  [source paper]" in text
    assert "validity" in text and "NEWLY FAILS" in text
    assert "cheapest secure point: OLD $0.02, NEW none (no secure point)" in text
    assert "OLD $0.01 (secure), NEW $0.02 (NOT secure) (+100.0%)" in text
    assert text.splitlines()[-1].startswith("gate passed")


def test_gate_lines_and_html():
    assert gate_lines(FAILED) == ["GATE FAILED:", "  theorem validity newly fails", "  region shrank by 50%"]
    assert FAILED.to_text().splitlines()[-3:] == gate_lines(FAILED)
    page = FAILED._repr_html_()
    assert page == diff_html(FAILED)
    assert page.startswith("<p><b>diff a -&gt; b&lt;2&gt;: GATE FAILED</b></p><pre>") and "b<2>" not in page
    assert "GATE FAILED:\n  theorem validity newly fails" in page
