"""Figure building blocks for every plot of the project, without pyplot.

:class:`OtrFigure` is a matplotlib figure that shows itself in Jupyter (``_repr_png_`` and
``_repr_svg_``) without the caller importing pyplot or choosing a backend: the library's figures
display inline where they are the last value of a cell. :func:`new_figure` makes one with one
axes; :func:`png_of` and :func:`svg_of` render deterministically (no dates, no software stamps,
a fixed SVG hash salt); :func:`place_labels` puts point labels where they overlap neither each
other nor the plotted lines.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure as MplFigure

__all__ = ["OtrFigure", "freeze_layout", "new_figure", "place_labels", "png_of", "svg_of"]

matplotlib.rcParams["svg.hashsalt"] = "otr-theory"
matplotlib.rcParams["svg.fonttype"] = "path"


class OtrFigure(MplFigure):
    """A matplotlib figure that displays inline in Jupyter without pyplot."""

    def _repr_png_(self) -> bytes:
        return png_of(self, dpi=100)

    def _repr_svg_(self) -> str:
        return svg_of(self)


def _figure(figsize: tuple[float, float], **kw: Any) -> OtrFigure:
    return OtrFigure(figsize=figsize, **kw)


def new_figure(width_in: float = 6.4, height_in: float = 4.0) -> tuple[MplFigure, Any]:
    """A figure and one axes, without pyplot (no global state, no GUI backend)."""
    fig = OtrFigure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


_LABEL_OFFSETS = (
    (6, 5, "left", "bottom"), (7, 0, "left", "center"), (6, -5, "left", "top"), (-7, 0, "right", "center"),
    (-6, 5, "right", "bottom"), (-6, -5, "right", "top"), (0, 9, "center", "bottom"), (0, -9, "center", "top"),
    (12, 12, "left", "bottom"), (12, -12, "left", "top"), (-12, 12, "right", "bottom"), (-12, -12, "right", "top"),
    (18, 2, "left", "center"), (-18, 2, "right", "center"), (4, 20, "left", "bottom"), (4, -20, "left", "top"),
)  # fmt: skip


def _line_samples(ax: Any, step_px: float = 3.0) -> np.ndarray:
    """Points every ``step_px`` pixels along the axes' lines and line collections (fits, error
    bars), in display coordinates: what a label should not sit on."""
    from matplotlib.collections import LineCollection

    segments = []
    for line in ax.get_lines():
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        segments.append(xy)
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            segments += [coll.get_transform().transform(np.asarray(seg, float)) for seg in coll.get_segments() if len(seg)]
    out = []
    for xy in segments:
        xy = xy[np.isfinite(xy).all(axis=1)]
        for a, b in itertools.pairwise(xy):
            n = max(int(np.hypot(*(b - a)) / step_px), 1)
            out.append(a + (b - a) * np.linspace(0, 1, n + 1)[:, None])
    return np.concatenate(out) if out else np.empty((0, 2))


def place_labels(
    ax: Any,
    labels: Sequence[tuple[float, float, str]],
    *,
    fontsize: float = 8,
    obstacles: Sequence[tuple[float, float]] = (),
    marker_pt: float = 4.0,
) -> list:
    """Annotate points without overlapping labels: each label takes the first of a fixed list of
    offsets (right-above, right-below, left-above, ...) where its box overlaps no label placed
    before it, no marker (the labelled points and ``obstacles``, each a square of ``marker_pt``
    points around it), no legend and no line (fits, error bars) and stays inside the axes; if none
    is free, the offset with the least overlap (lines count less than labels and markers).
    Far offsets get a thin leader line. Call it after the axes' scales and limits are set.

    Deterministic: the same figure gives the same placement. Returns the annotations.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    r = marker_pt * fig.dpi / 72.0
    ax_box = ax.get_window_extent(renderer)
    boxes = []
    for x, y in [(x, y) for x, y, _ in labels] + list(obstacles):
        px, py = to_px((x, y))
        boxes.append((px - r, py - r, px + r, py + r))
    if ax.get_legend() is not None:
        lb = ax.get_legend().get_window_extent(renderer)
        boxes.append((lb.x0, lb.y0, lb.x1, lb.y1))

    def overlap(a, b):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    lines = _line_samples(ax)
    line_weight = 12.0  # px^2 of overlap charged per line sample under a label

    placed = []
    for x, y, text in labels:
        best: tuple[float, Any, tuple[float, float, float, float], tuple[int, int]] | None = None
        for dx, dy, ha, va in _LABEL_OFFSETS:
            ann = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
            )
            bb = ann.get_window_extent(renderer)
            box = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
            cost = sum(overlap(box, b) for b in boxes)
            if len(lines):
                inside = (lines[:, 0] > box[0]) & (lines[:, 0] < box[2]) & (lines[:, 1] > box[1]) & (lines[:, 1] < box[3])
                cost += line_weight * int(inside.sum())
            outside = (box[2] - box[0]) * (box[3] - box[1]) - overlap(box, (ax_box.x0, ax_box.y0, ax_box.x1, ax_box.y1))
            cost += 2 * outside
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, ann, box, (dx, dy))
            else:
                ann.remove()
            if cost == 0:
                break
        if best is None:  # pragma: no cover - _LABEL_OFFSETS is not empty
            continue
        cost, ann, box, (dx, dy) = best
        if abs(dx) + abs(dy) > 16:
            ann.remove()
            ha, va = ann.get_ha(), ann.get_va()
            ann = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                arrowprops={
                    "arrowstyle": "-",
                    "lw": 0.5,
                    "color": "0.4",
                    "shrinkA": 1,
                    "shrinkB": marker_pt,
                },
            )
        boxes.append(box)
        placed.append(ann)
    return placed


def freeze_layout(fig: MplFigure) -> None:
    """Run the figure's layout engine once and keep its result: later renders reuse the positions.

    A constrained layout is recomputed on every draw and does not always land on the same
    positions twice (the window map's axes moved by about 2e-4 pt between a figure's first and
    second SVG), so one figure rendered twice -- PNG then SVG, or two reports from the same
    records -- gave different bytes. After this call every render of ``fig`` is identical, and a
    fresh figure built from the same data freezes to the same positions.
    """
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine":
        return
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def png_of(fig: MplFigure, dpi: int = 200) -> bytes:
    """PNG bytes of a figure at print resolution (200 dpi: a 6.4 in figure is 1280 px wide),
    without metadata that changes between runs (the layout frozen first: :func:`freeze_layout`)."""
    freeze_layout(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def svg_of(fig: MplFigure) -> str:
    """SVG text of a figure, deterministic (no date, fixed ids, the layout frozen:
    :func:`freeze_layout`), without the XML prologue."""
    freeze_layout(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]
