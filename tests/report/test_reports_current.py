"""reports/ holds the report of models/otr.toml, and it is current.

Regenerate with ``otr-analyze report models/otr.toml --out reports/otr`` (README, "The report").
Compared: results.json and report.md (the computed numbers and text). Figures and the HTML are
rendered from the same records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from otr_theory.model import load_model

ROOT = Path(__file__).resolve().parents[2]
KEPT = ROOT / "reports" / "otr"


@pytest.mark.skipif(not (ROOT / "models" / "otr.toml").exists(), reason="not a source checkout")
def test_kept_report_is_current(model, written_report):
    # the session's report is of this file (the embedded default may be the installed copy of it)
    assert model.to_dict() == load_model(ROOT / "models" / "otr.toml").to_dict()
    fresh = written_report
    for name in ("results.json", "report.md"):
        kept = KEPT / name
        assert kept.exists(), f"{kept} is missing: run otr-analyze report models/otr.toml --out reports/otr"
        assert kept.read_text(encoding="utf-8") == fresh[name].read_text(encoding="utf-8"), f"reports/otr/{name} is stale: run otr-analyze report models/otr.toml --out reports/otr"
    kept_figs = sorted(p.name for p in (KEPT / "figures").glob("*.png"))
    assert kept_figs == sorted(p.name for p in fresh["figures"].glob("*.png"))
