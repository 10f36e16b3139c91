"""The check report rendered by the library (:mod:`otr_theory.smt.text`): the text the command
prints, the verdict lines, the HTML table a notebook shows. Reports built by hand (no solver)."""

from __future__ import annotations

import html.parser

from otr_theory.cli import check as check_cmd
from otr_theory.smt import CheckReport, TheoremResult, check_html, check_text, check_verdict_lines


class _Timeline:
    def lines(self) -> list[str]:
        return ["t=0 commit <x & y>", "t=1 final"]


def _result(n: int, status: str, detail: str = "", cex=None) -> TheoremResult:
    return TheoremResult(number=n, name=f"t{n}", title=f"Theorem <{n}>", statement="", status=status, method="inductive invariant", detail=detail, counterexample=cex, solver="z3 test", seconds=0.25)


REPORT = CheckReport(
    model_name="m&m",
    scheme="otr",
    solver="z3 test",
    seconds=1.5,
    strengthening={"lemmas_kept": 3, "candidate_lemmas": 4, "iterations": 2, "seconds": 0.5},
    results=(_result(1, "proved", "unbounded"), _result(2, "violated", "depth 4", _Timeline()), _result(3, "unknown"), _result(4, "not applicable")),
)


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_td = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        self._in_td = tag in ("td", "th")

    def handle_endtag(self, tag):
        self._in_td = False

    def handle_data(self, data):
        if self._in_td:
            self.rows[-1].append(data)


def test_text_is_what_the_command_prints():
    assert check_cmd.render_report is check_text and check_cmd.verdict_lines is check_verdict_lines
    text = REPORT.to_text(source="models/x.toml")
    assert text == check_text(REPORT, source="models/x.toml")
    lines = text.splitlines()
    assert lines[0] == "otr-analyze check: m&m (x.toml), scheme otr, z3 test"
    assert "Houdini kept 3 of 4 candidate lemmas (2 iterations" in lines[1]
    assert any("Theorem <2>" in ln and "VIOLATED" in ln for ln in lines)
    assert "counterexample to theorem 2 (Theorem <2>):" in lines and "  t=0 commit <x & y>" in lines
    assert lines[-1].startswith("4 theorems: 1 proved, 1 violated, 1 unknown, 1 not applicable") and lines[-1].endswith("-> exit 1")


def test_verdict_lines_name_what_is_not_proved():
    assert check_verdict_lines(REPORT)[1:] == ["  VIOLATED: 2 Theorem <2>", "  unknown: 3 Theorem <3>"]


def test_html_is_a_table_row_per_theorem_escaped():
    page = REPORT._repr_html_()
    assert page == check_html(REPORT)
    assert "<table>" in page and "Theorem &lt;2&gt;" in page and "m&amp;m" in page and "<x & y>" not in page
    parser = _Cells()
    parser.feed(page)
    header, *body = parser.rows
    assert header == ["#", "theorem", "status", "method", "detail"]
    assert [r[:3] for r in body] == [["1", "Theorem <1>", "proved"], ["2", "Theorem <2>", "VIOLATED"], ["3", "Theorem <3>", "unknown"], ["4", "Theorem <4>", "not applicable"]]
    assert "<pre>t=0 commit &lt;x &amp; y&gt;\nt=1 final</pre>" in page
