"""A figure renders to the same bytes every time (issue 14's figures; a CI failure of the
independent-report test: the window map's constrained layout moved by 2e-4 pt between renders)."""

from __future__ import annotations

from otr_theory.model import load_model
from otr_theory.plotting import OtrFigure, freeze_layout, new_figure, png_of, svg_of
from otr_theory.plotting.regimes import window_map_figure


def test_window_map_renders_identically_twice_and_fresh():
    m = load_model()
    fig = window_map_figure(m, resolution=61)
    first = (png_of(fig), svg_of(fig))
    assert (png_of(fig), svg_of(fig)) == first  # the same figure again
    fresh = window_map_figure(m, resolution=61)
    assert (png_of(fresh), svg_of(fresh)) == first  # a new figure from the same data
    assert fig.get_layout_engine() is not None and type(fig.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"


def test_freeze_layout_keeps_positions_and_the_figure_displays_inline():
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title that the layout must make room for")
    freeze_layout(fig)
    pos = ax.get_position().bounds
    svg_of(fig)
    assert ax.get_position().bounds == pos
    assert isinstance(fig, OtrFigure) and fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
