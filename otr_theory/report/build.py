"""Assemble the report: build every section, render Markdown, HTML and results.json, write them.

``SECTIONS`` lists the section builders in the order a reader meets them. Each builder is a plain
function ``build(model) -> Section``; adding a section means adding its module to this tuple.

:func:`write_report` writes into a temporary folder beside ``out_dir`` and swaps the finished
files in only when every part is complete (:mod:`otr_theory.atomic`), so a failure or a signal
leaves nothing half-written and an existing report whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from otr_theory import __version__, atomic
from otr_theory.atomic import OutputError
from otr_theory.model import Model
from otr_theory.report.core import Section, dumps_results, github_slug, md_to_html, normalize_markdown, png_of, svg_for_html, svg_of
from otr_theory.report.sections import calibration, deterrence, parameters
from otr_theory.report.sections import dispute as dispute_section
from otr_theory.report.sections import equilibria as equilibria_section
from otr_theory.report.sections import incentives as incentives_section
from otr_theory.report.sections import regimes as regimes_section
from otr_theory.report.sections import simulation as simulation_section
from otr_theory.report.sections import theorems as theorems_section
from otr_theory.report.summary import verdict, verdict_record

__all__ = ["RENDERERS", "REPORT_FILES", "SECTIONS", "build_sections", "sections_of", "check_target", "render_markdown", "render_html", "write_report", "results_of"]

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
_env.filters["mdnorm"] = normalize_markdown
_env.filters["ghslug"] = github_slug
_env.filters["mdinline"] = lambda text: jinja2.utils.markupsafe.Markup(MarkdownIt("commonmark", {"html": False}).renderInline(normalize_markdown(text)))


RENDERERS: dict[str, Callable[[Any, Model], Section]] = {
    "theorems": theorems_section.render,
    "regimes": regimes_section.render,
    "incentives": incentives_section.render,
    "deterrence": deterrence.render,
    "equilibria": equilibria_section.render,
    "dispute": dispute_section.render,
    "calibration": calibration.render,
    "simulation": simulation_section.render,
    "parameters": parameters.render,
}
"""Each area's renderer: its record (from :func:`otr_theory.analyse`) -> a :class:`Section`."""


def sections_of(analysis: Any, model: Model) -> list[Section]:
    """Render the sections of an :class:`otr_theory.analysis.Analysis` (no analysis is run)."""
    return [RENDERERS[name](record, model) for name, record in analysis.records().items()]


def build_sections(model: Model, *, progress: Callable[[str], None] | None = None, analysis: Any = None) -> list[Section]:
    """Build every section of the report for ``model``; ``progress(title)`` is called before each.

    Each builder of :data:`SECTIONS` is ``render(<area>.analyse(model), model)``: the area's
    analysis (the function :func:`otr_theory.analyse` calls) and its renderer. With ``analysis``
    (an :class:`~otr_theory.analysis.Analysis` already computed) the sections are only rendered.
    """
    if analysis is not None:
        return sections_of(analysis, model)
    out = []
    for builder in SECTIONS:
        if progress is not None:
            progress(builder.__module__.rsplit(".", 1)[-1])
        out.append(builder(model))
    return out


def results_of(model: Model, sections: Sequence[Section]) -> dict:
    """The results.json document (:func:`otr_theory.analysis.results_json`): the model's
    identity, the verdict, the summary, then one entry per section (its record's results)."""
    from otr_theory.analysis import results_json

    identity = {"name": model.name, "scheme": model.scheme, "loss_convention": model.loss_convention}
    return results_json(identity, verdict_record(model, sections), [line for s in sections for line in s.summary], {s.key: s.results for s in sections})


def render_markdown(model: Model, sections: Sequence[Section]) -> str:
    """report.md: figures referenced as figures/NAME.png."""
    return _env.get_template("report.md.j2").render(model=model, sections=sections, verdict=verdict(model, sections), version=__version__)


def _md_to_html(text: str, **kw) -> str:
    return md_to_html(text, **kw)


def _verdict_status(model: Model, sections: Sequence[Section]) -> str:
    """``secure``, ``insecure`` (a theorem violated or an incentive failing) or ``unknown`` (nothing
    violated, but a theorem not decided or no theorems at all): the verdict banner's style."""
    return str(verdict_record(model, sections)["status"])


def render_html(model: Model, sections: Sequence[Section]) -> str:
    """report.html: self-contained (figures inlined as SVG, math rendered to SVG, no network), with a
    table of contents, collapsible sections and a verdict banner styled by its status."""
    rendered = []
    number = 0
    for s in sections:
        headings: list = []
        body = _md_to_html(s.markdown, id_prefix=f"{s.key}--", headings=headings)
        figures = []
        for f in s.figures:
            number += 1
            figures.append({"name": f.name, "caption": f.caption, "number": number, "svg": svg_for_html(svg_of(f.figure), f"{f.name}--")})
        rendered.append({"section": s, "body": body, "headings": [h for h in headings if h[0] == 3], "figures": figures})
    return _env.get_template("report.html.j2").render(
        model=model,
        rendered=rendered,
        verdict=_md_to_html(verdict(model, sections), id_prefix="verdict--"),
        status=_verdict_status(model, sections),
        version=__version__,
    )


REPORT_FILES = ("report.md", "report.html", "results.json")
"""The files a report writes into its folder (besides ``figures/`` and the sections' folders)."""


def check_target(out_dir: str | Path, folders: Sequence[str] = ("figures",)) -> Path:
    """``out_dir`` if a report can replace what is there: a folder (or nothing) in which each
    report file is a file (or absent) and each of ``folders`` a folder (or absent).

    Raises
    ------
    OutputError
        Naming the entry in the way; nothing is written.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(out_dir, "exists and is not a folder")
    for name in REPORT_FILES:
        if (out_dir / name).is_dir():
            raise OutputError(out_dir / name, "is a folder; a report writes a file there (nothing was changed)")
    for name in folders:
        p = out_dir / name
        if p.exists() and not p.is_dir():
            raise OutputError(p, "is not a folder; a report writes a folder there (nothing was changed)")
    return out_dir


def _attachments(sections: Sequence[Section]) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Every section's attachments (relative path -> bytes) and the top-level folders they use."""
    files: dict[str, bytes] = {}
    folders: list[str] = []
    for s in sections:
        for rel, text in s.attachments:
            p = Path(rel)
            if p.is_absolute() or ".." in p.parts or len(p.parts) < 2 or p.parts[0] in ("figures",):
                raise ValueError(f"section {s.key}: attachment {rel!r} must be a relative path inside a folder of its own")
            files[p.as_posix()] = text.encode("utf-8")
            if p.parts[0] not in folders:
                folders.append(p.parts[0])
    return files, tuple(folders)


def write_report(model: Model, out_dir: str | Path, *, progress: Callable[[str], None] | None = None, analysis: Any = None) -> dict[str, Path]:
    """Build and write report.md, report.html, results.json, figures/ and the sections' attachments
    (e.g. certificates/*.smt2) into ``out_dir``.

    Every part is built and rendered in memory, written into a temporary folder (inside
    ``out_dir`` when it exists, else beside it), and only then swapped in (:func:`otr_theory.atomic.replace_entries`): an existing
    report stays whole until the new one is complete, and a failure or a signal leaves it as it
    was, with no temporary folder behind. Other files in ``out_dir`` are not touched.

    Returns the paths written.

    Raises
    ------
    OutputError
        When an entry of ``out_dir`` is in the way (``report.md`` is a folder, ...) or the files
        cannot be written (a full disk, a read-only location); nothing is changed.
    """
    out_dir = check_target(out_dir)
    sections = build_sections(model, progress=progress) if analysis is None else sections_of(analysis, model)
    attached, folders = _attachments(sections)
    check_target(out_dir, ("figures", *folders))
    files: dict[str, bytes] = {}
    for s in sections:
        for f in s.figures:
            files[f"figures/{f.name}.png"] = png_of(f.figure)
    files.update(attached)
    files["report.md"] = render_markdown(model, sections).encode("utf-8")
    files["report.html"] = render_html(model, sections).encode("utf-8")
    files["results.json"] = dumps_results(results_of(model, sections)).encode("utf-8")
    names = ("figures", *folders, *REPORT_FILES)
    with atomic.staging_dir(out_dir, prefix=".otr-report-", inside=True) as tmp:
        try:
            (tmp / "figures").mkdir()
            atomic.write_files(tmp, files)
        except OSError as exc:
            raise OutputError.of(out_dir, exc) from None
        atomic.replace_entries(tmp, out_dir, names)
    return {name: out_dir / name for name in names}
