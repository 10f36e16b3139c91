"""The report: sections computed from a model, rendered to HTML, Markdown and results.json."""

from otr_theory.report.build import SECTIONS, build_sections, write_report
from otr_theory.report.core import Figure, Section

__all__ = ["SECTIONS", "Figure", "Section", "build_sections", "write_report"]
