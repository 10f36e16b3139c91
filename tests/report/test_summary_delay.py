"""The verdict counts the dispute section's delay flag (issue 16): a protocol whose finality an
attacker can push past the bound within the budget is flagged in the verdict's first paragraph."""

from otr_theory.games.dispute_economics import delay_flag
from otr_theory.model import load_model
from otr_theory.report.core import Section
from otr_theory.report.sections.dispute import build as dispute_section
from otr_theory.report.summary import verdict, verdict_record


def _with(flagged: bool, reason: str) -> list[Section]:
    return [Section(key="dispute", title="d", markdown="", results={"columns": [{"delay_flagged": flagged, "delay_reason": reason}]})]


def test_flagged_delay_is_in_the_verdict():
    m = load_model()
    text = verdict(m, _with(True, "9 Sybils delay finality by 80 h, past the 24 h bound"))
    assert "Finality delay flagged" in text and "past the 24 h bound" in text
    assert "Finality delay flagged" not in verdict(m, _with(False, ""))


def test_verdict_record_reads_the_dispute_section_of_the_default_model():
    m = load_model()
    flagged, reason = delay_flag(m)
    v = verdict_record(m, [dispute_section(m)])
    assert v["delay_flagged"] is flagged and v["delay_reason"] == reason
