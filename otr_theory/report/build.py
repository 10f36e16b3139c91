"""Assemble the report: build every section, render Markdown, HTML and results.json, write them.

``SECTIONS`` lists the section builders in the order a reader meets them. Each builder is a plain
function ``build(model) -> Section``; adding a section means adding its module to this tuple.

:func:`write_report` writes into a temporary folder beside ``out_dir`` and moves the finished
files in only when every section has been built, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from otr_theory import __version__
from otr_theory.model import Model
from otr_theory.report.core import Section, dumps_results, math_svg, png_of, svg_of
from otr_theory.report.summary import verdict, verdict_record
from otr_theory.report.sections import calibration, deterrence, parameters
from otr_theory.report.sections import incentives as incentives_section
from otr_theory.report.sections import dispute as dispute_section
from otr_theory.report.sections import equilibria as equilibria_section
from otr_theory.report.sections import regimes as regimes_section
from otr_theory.report.sections import simulation as simulation_section
from otr_theory.report.sections import theorems as theorems_section

__all__ = ["SECTIONS", "build_sections", "render_markdown", "render_html", "write_report", "results_of"]

SectionBuilder = Callable[[Model], Section]

SECTIONS: tuple[SectionBuilder, ...] = (
    theorems_section.build,
    regimes_section.build,
    incentives_section.build,
    deterrence.build,
    equilibria_section.build,
    dispute_section.build,
    calibration.build,
    simulation_section.build,
    parameters.build,
)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("otr_theory.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["basename"] = lambda p: Path(str(p)).name
_env.filters["mdinline"] = lambda text: jinja2.utils.markupsafe.Markup(MarkdownIt("commonmark", {"html": False}).renderInline(text))


def build_sections(model: Model, *, progress: Callable[[str], None] | None = None) -> list[Section]:
    """Build every section of the report for ``model``; ``progress(title)`` is called before each."""
    out = []
    for builder in SECTIONS:
        if progress is not None:
            progress(builder.__module__.rsplit(".", 1)[-1])
        out.append(builder(model))
    return out


def results_of(model: Model, sections: Sequence[Section]) -> dict:
    """The results.json document: the model's identity, then one entry per section."""
    doc = {
        "schema": "otr-theory/results/1",
        "otr_theory_version": __version__,
        "model": {"name": model.name, "scheme": model.scheme, "loss_convention": model.loss_convention},
        "verdict": verdict_record(model, sections),
        "summary": [line for s in sections for line in s.summary],
    }
    for s in sections:
        doc[s.key] = s.results
    return doc


def render_markdown(model: Model, sections: Sequence[Section]) -> str:
    """report.md: figures referenced as figures/NAME.png."""
    return _env.get_template("report.md.j2").render(model=model, sections=sections, verdict=verdict(model, sections), version=__version__)


def _md_to_html(text: str) -> str:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    default_fence = md.renderer.rules.get("fence")

    def fence(tokens, idx, options, env):
        tok = tokens[idx]
        if tok.info.strip() == "math":
            svgs = []
            for line in (ln for ln in tok.content.split("\n") if ln.strip()):
                svg = math_svg(line.strip())
                svgs.append(f'<div class="math">{svg}</div>' if svg else f'<pre class="math">{jinja2.utils.markupsafe.escape(line)}</pre>')
            return "\n".join(svgs)
        return default_fence(tokens, idx, options, env)

    md.renderer.rules["fence"] = fence
    return md.render(text)


def render_html(model: Model, sections: Sequence[Section]) -> str:
    """report.html: self-contained, figures inlined as SVG, math rendered to SVG."""
    rendered = [
        {
            "section": s,
            "body": _md_to_html(s.markdown),
            "figures": [{"name": f.name, "caption": f.caption, "svg": svg_of(f.figure)} for f in s.figures],
        }
        for s in sections
    ]
    return _env.get_template("report.html.j2").render(
        model=model, rendered=rendered, verdict=_md_to_html(verdict(model, sections)), version=__version__
    )


def _write_attachments(root: Path, sections: Sequence[Section]) -> tuple[str, ...]:
    """Write every section's attachments under ``root``; return the top-level folders used."""
    folders = []
    for s in sections:
        for rel, text in s.attachments:
            p = Path(rel)
            if p.is_absolute() or ".." in p.parts or len(p.parts) < 2 or p.parts[0] in ("figures",):
                raise ValueError(f"section {s.key}: attachment {rel!r} must be a relative path inside a folder of its own")
            (root / p).parent.mkdir(parents=True, exist_ok=True)
            (root / p).write_text(text, encoding="utf-8")
            if p.parts[0] not in folders:
                folders.append(p.parts[0])
    return tuple(folders)


def write_report(model: Model, out_dir: str | Path, *, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Build and write report.md, report.html, results.json, figures/ and the sections' attachments
    (e.g. certificates/*.smt2) into ``out_dir``.

    Returns the paths written. Nothing appears in ``out_dir`` unless every part was built.
    """
    out_dir = Path(out_dir)
    sections = build_sections(model, progress=progress)
    out_dir.parent.mkdir(parents=True, exist_ok=True) if out_dir.parent != out_dir else None
    tmp = Path(tempfile.mkdtemp(prefix=".otr-report-", dir=out_dir.parent if out_dir.parent.exists() else None))
    try:
        (tmp / "figures").mkdir()
        for s in sections:
            for f in s.figures:
                (tmp / "figures" / f"{f.name}.png").write_bytes(png_of(f.figure))
        attached = _write_attachments(tmp, sections)
        (tmp / "report.md").write_text(render_markdown(model, sections), encoding="utf-8")
        (tmp / "report.html").write_text(render_html(model, sections), encoding="utf-8")
        (tmp / "results.json").write_text(dumps_results(results_of(model, sections)), encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = {}
        if (out_dir / "figures").exists():
            shutil.rmtree(out_dir / "figures")
        for folder in attached:
            if (out_dir / folder).exists():
                shutil.rmtree(out_dir / folder)
        for name in ("figures", *attached, "report.md", "report.html", "results.json"):
            os.replace(tmp / name, out_dir / name)
            written[name] = out_dir / name
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
