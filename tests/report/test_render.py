"""The report reads well: one number format, every Markdown construct rendered, a table of
contents with working links, verdicts that differ, figures without overlapping labels."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from otr_theory.fmt import (
    fmt_count,
    fmt_duration,
    fmt_num,
    fmt_pct,
    fmt_prob,
    fmt_usd,
)
from otr_theory.report.build import render_html
from otr_theory.report.core import (
    Section,
    md_table,
    md_to_html,
    normalize_markdown,
    svg_for_html,
)

# --- one number format ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.012684, "$0.0127"), (100000.0, "$100,000"), (-19.0, "-$19"), (-0.5, "-$0.5"), (999.6, "$1,000"),
     (901.03, "$901"), (0.0, "$0"), (float("inf"), "∞"), (None, "n/a"), (float("nan"), "n/a")],
)  # fmt: skip
def test_money(value, text):
    assert fmt_usd(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(25808.4, "7 h 10 min"), (43200, "12 h"), (86400, "1 d 0 h"), (86399.9, "1 d 0 h"), (3599.9, "1 h"),
     (14400, "4 h"), (7.82, "7.82 s"), (0.152, "152 ms"), (1200, "20 min"), (90, "1 min 30 s"), (59.7, "1 min")],
)  # fmt: skip
def test_durations_in_human_units(seconds, text):
    assert fmt_duration(seconds) == text


_UNIT_S = {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


@given(st.floats(min_value=1e-3, max_value=1e8, allow_nan=False))
def test_duration_reads_back_to_its_value(seconds):
    """Independent check: parse the text back; it is within half of its smallest unit shown."""
    text = fmt_duration(seconds)
    parts = text.split()
    pairs = list(zip(parts[0::2], parts[1::2]))
    value = sum(float(n.replace(",", "")) * _UNIT_S[u] for n, u in pairs)
    smallest = _UNIT_S[pairs[-1][1]]
    tol = 0.5 * smallest if len(pairs) > 1 or smallest >= 60 else 0.005 * seconds + 1e-12
    assert abs(value - seconds) <= tol * 1.0001, text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_money_sign_and_value(x):
    """The sign comes before the dollar; the digits read back to the value within rounding."""
    text = fmt_usd(x)
    assert "$-" not in text and "e+" not in text
    back = float(text.replace("$", "").replace(",", ""))
    assert back == pytest.approx(x, rel=5e-3, abs=0.5 if abs(x) >= 1000 else 1e-12)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9 + 1, max_value=1e9 - 1))
def test_generic_numbers_have_no_exponent_in_the_readable_range(x):
    text = fmt_num(x)
    if x == 0 or abs(x) >= 1e-4:
        assert "e" not in text, text
    assert float(text) == pytest.approx(x, rel=1e-3, abs=1e-12)


def test_probabilities_counts_and_shares():
    assert (fmt_prob(0.01), fmt_prob(0.0074123), fmt_prob(1.921e-05)) == (
        "0.01",
        "0.00741",
        "1.92e-5",
    )
    assert (fmt_count(200000), fmt_pct(0.977)) == ("200,000", "97.7%")
    # a window bound beside its range uses one form, not 4.32e+04 beside 14400 - 86400
    assert f"{fmt_num(43200.0)} in {fmt_num(14400.0)} - {fmt_num(86400.0)}" == "43200 in 14400 - 86400"


# --- Markdown ---------------------------------------------------------------------------------

_plain = MarkdownIt("commonmark", {"html": False}).enable("table")


class _Text(HTMLParser):
    """Text outside <pre>, <code>, <svg> and <script>, and the ids and local links of a page."""

    SKIP = frozenset({"pre", "code", "svg", "script", "style"})

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.ids, self.links, self.tags = 0, [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and str(a.get("href", "")).startswith("#"):
            self.links.append(a["href"][1:])
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0:
            self.text.append(data)


def _parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


_RAW_TABLE = re.compile(r"\|\s*:?-{3,}|\|[^|\n]+\|[^|\n]+\|")


def _assert_rendered(html: str) -> None:
    """No raw table pipes in the text, no glob asterisk lost to emphasis."""
    text = "\n".join(_parse(html).text)
    raw = _RAW_TABLE.findall(text)
    assert not raw, f"raw table pipes in the rendered text: {raw[:3]}"
    lost = re.findall(r"<em>[^<]*?,\s*[\w.]+\.</em>", html)
    assert not lost, f"a glob's asterisks turned into italics: {lost[:3]}"


def test_a_table_glued_to_its_heading_renders_as_a_table():
    md = "**ZK proving time: O(k N log N) against a power law.** " + md_table(["form", "AIC"], [("power", 1.2)]) + "\nBest by AIC."
    assert "<table>" not in _plain.render(md) or "| form |" in _plain.render(md)  # the defect, unnormalised
    html = _plain.render(normalize_markdown(md))
    assert html.count("<table>") == 1 and "<th>form</th>" in html
    assert "<strong>ZK proving time" in html and "<p>Best by AIC.</p>" in html
    _assert_rendered(html)
    _assert_rendered(md_to_html(md))


def test_globs_stay_literal_and_emphasis_stays_emphasis():
    md = "| part | source |\n|---|---|\n| inference | hardware.*, served_model.* |\n\nA *deliberate emphasis.* and `code.*` and **bold.**"
    html = _plain.render(normalize_markdown(md))
    assert "hardware.*, served_model.*" in "".join(_parse(html).text)
    assert "<em>deliberate emphasis.</em>" in html and "<code>code.*</code>" in html and "<strong>bold.</strong>" in html
    unfixed = _plain.render(md)
    assert "<em>" in unfixed.split("<table>")[1]  # the defect this guards against


def test_fences_pass_unchanged():
    md = "```smt2\n| a | b |\n|---|---|\nx.* y\n```\n"
    assert normalize_markdown(md) == md


def test_report_md_renders_every_construct(rendered_report):
    """report.md as GitHub's CommonMark+tables reader sees it: no raw pipes, no lost asterisks."""
    md = rendered_report["md"]
    html = _plain.render(md)
    _assert_rendered(html)
    text = "".join(_parse(html).text)
    for glob in set(re.findall(r"\b\w+\.\\\*", md)):
        assert glob.replace("\\*", "*") in text, glob
    assert html.count("<table>") == len(re.findall(r"^\|[-:| ]+\|$", md, flags=re.MULTILINE))


def test_report_md_has_contents_that_match_github_anchors(rendered_report):
    md = rendered_report["md"]
    html = MarkdownIt("commonmark").render(md)
    assert "## Contents" in md
    for title, slug in re.findall(r"^\d+\. \[(.+?)\]\(#(.+?)\)$", md, flags=re.MULTILINE):
        assert f"## {title}" in md and slug == re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
    assert "<h2>Contents</h2>" in html


def test_report_html_renders_every_construct(rendered_report):
    html = rendered_report["html"]
    _assert_rendered(html)
    assert "hardware.*, served_model.*" in "".join(_parse(html).text)


def test_report_html_contents_links_resolve_and_ids_are_unique(rendered_report):
    page = _parse(rendered_report["html"])
    dup = {i for i in page.ids if page.ids.count(i) > 1}
    assert not dup, f"duplicate ids: {sorted(dup)[:5]}"
    assert page.links and not set(page.links) - set(page.ids)
    nav_links = re.search(r'<nav id="toc".*?</nav>', rendered_report["html"], flags=re.DOTALL).group(0)
    assert nav_links.count("<a href=") >= 10  # sections and their subsections


def test_report_html_sections_collapse_and_figures_are_inline_svg(rendered_report, report_sections):
    html = rendered_report["html"]
    assert html.count('<details class="section" open>') == len(report_sections)
    n_fig = sum(len(s.figures) for s in report_sections)
    assert html.count("<figure ") == n_fig and html.count("<figcaption") == n_fig
    assert "<img" not in html and "<script src" not in html and "<link" not in html


def test_svg_ids_are_prefixed_with_their_references():
    svg = '<svg><defs><path id="a1" d=""/><clipPath id="p"><rect/></clipPath></defs><use xlink:href="#a1"/><g clip-path="url(#p)"/></svg>'
    out = svg_for_html(svg, "f--")
    assert 'id="f--a1"' in out and 'href="#f--a1"' in out and "url(#f--p)" in out and 'id="a1"' not in out


def _sections(counts, secure):
    return [
        Section("theorems", "Safety theorems", "", {"counts": counts}),
        Section(
            "regimes",
            "Regimes",
            "",
            {
                "model_point": {
                    "point": {
                        "secure": secure,
                        "margin_usd": -19.0,
                        "binding": "wrong_output",
                    }
                }
            },
        ),
    ]


@pytest.mark.parametrize(
    ("counts", "secure", "css", "badge"),
    [({"proved": 7}, True, "verdict-secure", "Secure"),
     ({"proved": 6, "violated": 1}, True, "verdict-insecure", "NOT secure"),
     ({"proved": 7}, False, "verdict-insecure", "NOT secure"),
     ({"proved": 6, "unknown": 1}, True, "verdict-unknown", "Unknown")],
)  # fmt: skip
def test_verdicts_differ_visibly(model, counts, secure, css, badge):
    html = render_html(model, _sections(counts, secure))
    banner = re.search(
        r'<div class="verdict (verdict-\w+)"[^>]*>\s*<span class="verdict-badge">([^<]+)</span>',
        html,
    )
    assert banner.group(1) == css and badge in banner.group(2)
    assert f".{css} " in html  # a style of its own
    if not secure:
        assert "-$19" in html and "$-19" not in html


def test_status_cells_are_styled_by_verdict():
    html = md_to_html("| theorem | status |\n|---|---|\n| a | proved |\n| b | violated |\n| c | unknown |\n| d | yes (boundary) |")
    assert html.count('class="status status-ok"') == 2
    assert 'class="status status-bad"' in html and 'class="status status-unknown"' in html
    data = md_to_html("| id | in_fit | insecure by numpy |\n|---|---|---|\n| a | no | yes |")
    assert "status-" not in data  # a "no" in a data column is not a failure


# --- figures ----------------------------------------------------------------------------------


def _overlaps(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in ax.texts]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)], len(boxes)


@pytest.mark.parametrize("name", ["calibration_zk_proving", "calibration_trilemma"])
def test_point_labels_do_not_overlap(report_sections, name):
    fig = next(f.figure for s in report_sections for f in s.figures if f.name == name)
    pairs, n = _overlaps(fig)
    assert n >= 5 and not pairs, pairs


def test_long_tables_and_code_fold_and_short_ones_do_not():
    long_md = md_table(["id", "value (USD)"], [(f"r{i}", 1000.0 * i) for i in range(30)])
    html = md_to_html(long_md)
    assert html.startswith('<details class="long"><summary>Table of 30 rows: id, value (USD)</summary>')
    assert html.count("<tr>") == 31 and "29,000" in html
    assert "<details" not in md_to_html(md_table(["id"], [("a",), ("b",)]))
    code = "```smt2\n" + "\n".join(f"(assert {i})" for i in range(40)) + "\n```\n"
    assert md_to_html(code).startswith('<details class="long"><summary>smt2: 40 lines</summary>')


def test_figures_are_written_at_print_resolution():
    import io

    from matplotlib.image import imread

    from otr_theory.report.core import new_figure, png_of

    fig, ax = new_figure(6.4, 4.0)
    ax.plot([0, 1], [0, 1])
    img = imread(io.BytesIO(png_of(fig)))
    assert img.shape[1] >= 1280  # 200 dpi: print resolution for a 6.4 in figure
