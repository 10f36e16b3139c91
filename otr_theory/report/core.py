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
import json
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure as MplFigure

from otr_theory.report.fmt import fmt_count, fmt_duration, fmt_num, fmt_pct, fmt_prob, fmt_usd, md_code, md_escape

__all__ = [
    "Figure", "Section", "jsonable", "md_table", "fmt", "new_figure", "svg_of", "png_of", "math_svg",
    "fmt_usd", "fmt_prob", "fmt_pct", "fmt_duration", "fmt_count", "fmt_num", "md_code", "md_escape",
]

matplotlib.rcParams["svg.hashsalt"] = "otr-theory"
matplotlib.rcParams["svg.fonttype"] = "path"


@dataclasses.dataclass(frozen=True)
class Figure:
    """A figure of the report: file stem, caption, and the matplotlib figure."""

    name: str
    caption: str
    figure: MplFigure


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


def new_figure(width_in: float = 6.4, height_in: float = 4.0) -> tuple[MplFigure, Any]:
    """A figure and one axes, without pyplot (no global state, no GUI backend)."""
    fig = MplFigure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def png_of(fig: MplFigure, dpi: int = 110) -> bytes:
    """PNG bytes of a figure, without metadata that changes between runs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def svg_of(fig: MplFigure) -> str:
    """SVG text of a figure, deterministic (no date, fixed ids), without the XML prologue."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def math_svg(latex: str, fontsize: int = 13) -> str | None:
    """An inline SVG of a LaTeX formula via matplotlib mathtext; None if mathtext cannot parse it."""
    fig = MplFigure(figsize=(0.01, 0.01))
    fig.text(0, 0, f"${latex}$", fontsize=fontsize)
    try:
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.04, metadata={"Date": None, "Creator": None})
    except ValueError:
        return None
    text = buf.getvalue()
    return text[text.index("<svg") :]


def fmt(x: Any, digits: int = 4) -> str:
    """A number for a table: ``digits`` significant figures, inf as ∞, ints as ints, no exponent
    between 1e-4 and 1e9 (the report's one generic format, :func:`otr_theory.report.fmt.fmt_num`;
    money, probabilities and durations have their own functions there).

    >>> fmt(9900.0), fmt(43200.0), fmt(0.0123456), fmt(float("inf")), fmt(3), fmt(1_099_511_627_776)
    ('9900', '43200', '0.01235', '∞', '3', '1.1e12')
    """
    return fmt_num(x, digits)


def md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table; cells pass through :func:`fmt`; pipes are escaped."""

    def cell(v: Any) -> str:
        return (v if isinstance(v, str) else fmt(v)).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def jsonable(x: Any) -> Any:
    """Convert results to plain JSON types, deterministically.

    Floats that are not finite become the strings ``"inf"``, ``"-inf"``, ``"nan"``; Fractions
    become ``"p/q"`` strings; numpy scalars and arrays become Python numbers and lists; tuples
    become lists; dataclasses become dicts.

    >>> jsonable({"a": float("inf"), "b": Fraction(1, 3), "c": np.float64(0.5), "d": (1, 2)})
    {'a': 'inf', 'b': '1/3', 'c': 0.5, 'd': [1, 2]}
    """
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(x, Fraction):
        return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, np.ndarray):
        return [jsonable(v) for v in x.tolist()]
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: jsonable(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    raise TypeError(f"cannot put {type(x).__name__} into results.json")


def dumps_results(results: Mapping[str, Any]) -> str:
    """results.json text: sorted keys, two-space indent, a final newline."""
    return json.dumps(jsonable(results), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
