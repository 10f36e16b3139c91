"""Report building blocks: section and figure records, deterministic rendering.

A report is a sequence of :class:`Section` records. Each section carries its Markdown body, its
JSON-able results and its figures; :mod:`otr_theory.report.build` renders the same records to
report.md, a self-contained report.html (figures inlined as SVG, no network) and results.json.

Determinism: figures are written without dates or software stamps and with a fixed SVG hash
salt; results.json is written with sorted keys; nothing here reads a clock.

Math: a fenced block with the info string ``math`` holds LaTeX. Markdown keeps it as a
```` ```math ```` fence (GitHub renders it); HTML renders it with matplotlib's mathtext to an
inline SVG, so the HTML needs no network.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure as MplFigure

from otr_theory.fmt import (
    fmt_count,
    fmt_duration,
    fmt_num,
    fmt_pct,
    fmt_prob,
    fmt_usd,
    md_code,
    md_escape,
)
from otr_theory.jsonio import dumps, jsonable
from otr_theory.plotting._core import freeze_layout, new_figure, place_labels, png_of, svg_of

__all__ = [
    "Figure",
    "Section",
    "fmt",
    "fmt_count",
    "fmt_duration",
    "fmt_num",
    "fmt_pct",
    "fmt_prob",
    "fmt_usd",
    "github_slug",
    "jsonable",
    "math_svg",
    "md_code",
    "md_escape",
    "md_table",
    "md_to_html",
    "new_figure",
    "normalize_markdown",
    "place_labels",
    "png_of",
    "svg_for_html",
    "svg_of",
]

matplotlib.rcParams["svg.hashsalt"] = "otr-theory"
matplotlib.rcParams["svg.fonttype"] = "path"


@dataclasses.dataclass(frozen=True)
class Figure:
    """A figure of the report: file stem, caption, and the matplotlib figure."""

    name: str
    caption: str
    figure: MplFigure

    def __post_init__(self) -> None:
        # the layout is fixed when the section is built, from the fresh figure: a render that a
        # test or a notebook makes first (savefig at another dpi) cannot move it afterwards
        freeze_layout(self.figure)


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    key : str
        Its key in results.json.
    title : str
        Its heading.
    markdown : str
        Its body in Markdown (tables, ```math fences).
    results : Mapping
        JSON-able results, written under ``key`` in results.json.
    figures : tuple of Figure
        Shown after the body.
    summary : tuple of str
        Lines for the summary at the top of the report.
    attachments : tuple of (str, str)
        Text files written beside the report as (relative path, text), e.g.
        ``("certificates/recommended.smt2", ...)``.
    """

    key: str
    title: str
    markdown: str
    results: Mapping[str, Any]
    figures: tuple[Figure, ...] = ()
    summary: tuple[str, ...] = ()
    attachments: tuple[tuple[str, str], ...] = ()


def math_svg(latex: str, fontsize: int = 13) -> str | None:
    """An inline SVG of a LaTeX formula via matplotlib mathtext; None if mathtext cannot parse it."""
    fig = MplFigure(figsize=(0.01, 0.01))
    fig.text(0, 0, f"${latex}$", fontsize=fontsize)
    try:
        buf = io.StringIO()
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.04,
            metadata={"Date": None, "Creator": None},
        )
    except ValueError:
        return None
    text = buf.getvalue()
    return text[text.index("<svg") :]


def fmt(x: Any, digits: int = 4) -> str:
    """A number for a table: ``digits`` significant figures, inf as ∞, ints as ints, no exponent
    between 1e-4 and 1e9 (the report's one generic format, :func:`otr_theory.fmt.fmt_num`;
    money, probabilities and durations have their own functions there).

    >>> fmt(9900.0), fmt(43200.0), fmt(0.0123456), fmt(float("inf")), fmt(3), fmt(1_099_511_627_776)
    ('9900', '43200', '0.01235', '∞', '3', '1.1e12')
    """
    return fmt_num(x, digits)


def md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table; pipes are escaped.

    Numbers are formatted by their column's unit: a column whose header names dollars
    (``cost (USD)``, ``USD per query``) gets :func:`~otr_theory.fmt.fmt_usd` without the
    dollar sign (thousands separators, the sign first); every other number goes through
    :func:`fmt`. Text cells pass unchanged.

    >>> print(md_table(["item", "cost (USD)", "n"], [("a", 46183.2, 30000), ("b", -0.012684, 2.5e-5)]))
    | item | cost (USD) | n |
    |---|---|---|
    | a | 46,183 | 30000 |
    | b | -0.01268 | 2.5e-5 |
    """
    money = [bool(re.search(r"\bUSD\b", str(h))) for h in header]

    def cell(v: Any, col: int) -> str:
        if isinstance(v, str):
            text = v
        elif col < len(money) and money[col] and fmt_usd(v) not in ("n/a", "∞", "-∞"):
            text = fmt_usd(v, 4).replace("$", "")
        else:
            text = fmt(v)
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(v, i) for i, v in enumerate(r)) + " |" for r in rows]
    return "\n".join(lines)


def dumps_results(results: Mapping[str, Any]) -> str:
    """results.json text: sorted keys, two-space indent, a final newline (:func:`otr_theory.jsonio.dumps`)."""
    return dumps(results)


# ---------------------------------------------------------------------------------------------
# Markdown: normalisation (for report.md and the HTML) and conversion to HTML
# ---------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_DELIM_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# a glob on a dotted name: `hardware.*` -- the `*` after a name and a dot, then a separator or the end
_GLOB = re.compile(r"(?<=[A-Za-z0-9_\]])\.\*(?=[\s,;:)|]|$)")
# an opening emphasis asterisk: an unescaped single `*` after a space or line start, before a word
_EM_OPEN = re.compile(r"(?<![\\*\w.])\*(?=[\w(\[`])")


def _is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _escape_globs(text: str) -> str:
    """Escape the ``*`` of globs such as ``hardware.*`` outside code spans, unless an emphasis
    opened earlier in the same table cell or line (``*as configured.*`` stays italic)."""
    out, parts = [], re.split(r"(`+[^`]*?`+)", text)
    for k, part in enumerate(parts):
        if k % 2 == 1:  # a code span
            out.append(part)
            continue
        cells = re.split(r"((?<!\\)\|)", part)
        fixed = []
        for cell in cells:
            pieces, last = [], 0
            for m in _GLOB.finditer(cell):
                if _EM_OPEN.search(cell[: m.start()]) is None:
                    pieces.append(cell[last : m.start()] + ".\\*")
                    last = m.end()
            pieces.append(cell[last:])
            fixed.append("".join(pieces))
        out.append("".join(fixed))
    return "".join(out)


def normalize_markdown(text: str) -> str:
    """Markdown as the renderers emit it, made unambiguous for every CommonMark/GFM reader.

    - A table glued to the text before it (``**Heading.** | a | b |`` over ``|---|---|``) is split
      off, and every table gets a blank line before and after it: otherwise it renders as raw pipes
      (the paragraph swallows the header) or swallows the next paragraph as a row.
    - The ``*`` of a glob on a dotted name (``hardware.*, served_model.*``) is escaped outside code
      spans, so it does not open emphasis.
    - Fenced code blocks (including ```` ```math ````) pass unchanged.

    >>> print(normalize_markdown("**Fits.** | a | b |\\n|---|---|\\n| 1 | 2 |\\nAfter."))
    **Fits.**
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | 2 |
    <BLANKLINE>
    After.
    >>> normalize_markdown("source: hardware.*, served_model.*; *as configured.*")
    'source: hardware.\\\\*, served_model.\\\\*; *as configured.*'
    """
    lines = text.split("\n")
    out: list[str] = []
    fence: str | None = None
    in_table = False
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)) :].strip():
                fence = None
            continue
        if m:
            if in_table and out and out[-1].strip():
                out.append("")
            in_table = False
            fence = m.group(1)
            out.append(line)
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        starts_table = not in_table and _DELIM_ROW.match(nxt) is not None and "|" in nxt and "|" in line
        if starts_table:
            ncells = len([c for c in nxt.strip().strip("|").split("|")])
            if not _is_table_row(line):
                pipes = [p.start() for p in _UNESCAPED_PIPE.finditer(line)]
                if len(pipes) >= ncells + 1:
                    cut = pipes[-(ncells + 1)]
                    head = line[:cut].rstrip()
                    if head:
                        out.append(_escape_globs(head))
                    line = line[cut:]
            if out and out[-1].strip():
                out.append("")
            in_table = True
            out.append(_escape_globs(line))
            continue
        if in_table:
            if _is_table_row(line) or _DELIM_ROW.match(line):
                out.append(_escape_globs(line))
                continue
            in_table = False
            if line.strip():
                out.append("")
        out.append(_escape_globs(line))
    return "\n".join(out)


def github_slug(text: str) -> str:
    """The anchor GitHub gives a Markdown heading (lower case, punctuation dropped, spaces -> ``-``).

    >>> github_slug("Calibrated cost, latency and the paper's claims")
    'calibrated-cost-latency-and-the-papers-claims'
    """
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _slug(text: str) -> str:
    s = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s_]+", "-", s).strip("-") or "section"


_STATUS_CLASSES = {
    "proved": "ok", "yes": "ok", "holds": "ok", "secure": "ok", "deterred": "ok", "fits": "ok",
    "violated": "bad", "no": "bad", "fails": "bad", "not secure": "bad", "counterexample": "bad", "insecure": "bad",
    "unknown": "unknown",
}  # fmt: skip
# columns whose cells are verdicts (a "no" elsewhere, e.g. in_fit, is data, not a failure)
_STATUS_COLUMNS = (
    "status",
    "secure",
    "verdict",
    "deterred",
    "holds",
    "proved",
    "fits",
    "within",
)


LONG_TABLE_ROWS = 20
"""Tables with more rows than this are folded (``<details>``) in the HTML, their summary naming the columns."""
LONG_CODE_LINES = 25
"""Code blocks with more lines than this are folded in the HTML."""


def md_to_html(text: str, *, id_prefix: str = "", headings: list | None = None) -> str:
    """HTML of Markdown (CommonMark + tables), after :func:`normalize_markdown`.

    ```` ```math ```` fences become inline SVG (matplotlib mathtext, no network); every heading gets
    an ``id`` (``id_prefix`` + a slug, made unique) and, if ``headings`` is a list, ``(level, text,
    id)`` is appended to it for a table of contents; in a verdict column (its header names a status,
    secure, deterred, holds, ...), a cell whose whole text is a status word (proved, violated,
    unknown, yes, no, ...) gets a class ``status-ok``/``status-bad``/``status-unknown`` so that the
    verdicts differ by colour and icon, not only by word. Tables longer than
    :data:`LONG_TABLE_ROWS` rows and code blocks longer than :data:`LONG_CODE_LINES` lines are folded
    into a ``<details>`` whose summary says what is inside (report.md keeps them unfolded).
    """
    from markdown_it import MarkdownIt
    from markupsafe import escape

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    default_fence = md.renderer.rules.get("fence")
    counter = [0]

    def fence(tokens, idx, options, env):
        tok = tokens[idx]
        if tok.info.strip() == "math":
            parts = []
            for line in (ln for ln in tok.content.split("\n") if ln.strip()):
                svg = math_svg(line.strip())
                counter[0] += 1
                svg = svg and svg_for_html(svg, f"{id_prefix or 'md--'}math{counter[0]}--")
                parts.append(f'<div class="math" role="img" aria-label="{escape(line.strip())}">{svg}</div>' if svg else f'<pre class="math">{escape(line)}</pre>')
            return "\n".join(parts)
        code = default_fence(tokens, idx, options, env)
        n = tok.content.count("\n")
        if n > LONG_CODE_LINES:
            what = escape(tok.info.strip() or "text")
            return f'<details class="long"><summary>{what}: {n} lines</summary>\n{code}</details>\n'
        return code

    md.renderer.rules["fence"] = fence
    open_tables: list[bool] = []

    def table_open(tokens, idx, options, env):
        rows, heads, j = 0, [], idx
        while tokens[j].type != "table_close":
            if tokens[j].type == "tr_open":
                rows += 1
            elif tokens[j].type == "th_open":
                heads.append(tokens[j + 1].content)
            j += 1
        rows -= 1  # the header row
        long = rows > LONG_TABLE_ROWS
        open_tables.append(long)
        head = '<div class="table-wrap"><table>\n'
        if not long:
            return head
        cols = ", ".join(h for h in heads if h.strip())
        return f'<details class="long"><summary>Table of {rows} rows: {escape(cols)}</summary>\n' + head

    def table_close(tokens, idx, options, env):
        return "</table></div>\n" + ("</details>\n" if open_tables.pop() else "")

    md.renderer.rules["table_open"] = table_open
    md.renderer.rules["table_close"] = table_close
    tokens = md.parse(normalize_markdown(text))
    used: set[str] = set()
    header: list[str] = []
    col = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            title = "".join(c.content for c in (inline.children or []) if c.type in ("text", "code_inline"))
            base = id_prefix + _slug(title)
            hid, n = base, 2
            while hid in used:
                hid, n = f"{base}-{n}", n + 1
            used.add(hid)
            tok.attrSet("id", hid)
            if headings is not None:
                headings.append((int(tok.tag[1]), title, hid))
        elif tok.type == "thead_open":
            header = []
        elif tok.type == "th_open":
            header.append(tokens[i + 1].content.strip().lower())
        elif tok.type == "tr_open":
            col = 0
        elif tok.type == "td_open":
            col += 1
            name = header[col - 1] if col - 1 < len(header) else ""
            if not any(w in name for w in _STATUS_COLUMNS) or "insecure" in name:
                continue
            inline = tokens[i + 1]
            word = inline.content.strip().strip("*").strip().lower() if inline.type == "inline" else ""
            cls = _STATUS_CLASSES.get(word)
            if cls is None and word.startswith(("yes (", "proved (")):
                cls = "ok"
            if cls is not None:
                tok.attrSet("class", f"status status-{cls}")
    return md.renderer.render(tokens, md.options, {})


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def svg_for_html(svg: str, prefix: str) -> str:
    """An SVG made safe to inline beside others: every ``id`` and its references get ``prefix``.

    matplotlib names glyphs and clip paths by content (``DejaVuSans-30``, ``p1a2b3c``), so two
    inlined figures would share ids, and a figure in a collapsed section would lose the glyphs its
    neighbour defines.
    """
    ids = sorted(set(_SVG_ID.findall(svg)), key=len, reverse=True)
    if not ids:
        return svg
    table = {i: f"{prefix}{i}" for i in ids}
    pattern = re.compile(r'(\bid="|href="#|url\(#)(' + "|".join(re.escape(i) for i in ids) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + table[m.group(2)], svg)
