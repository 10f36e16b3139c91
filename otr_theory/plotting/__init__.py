"""Public plotting: every figure of the report, for notebooks and scripts.

Each figure function takes the data (a record from :func:`otr_theory.analyse` or the model),
an optional matplotlib ``ax`` to draw into, and returns the figure; the figure displays inline in
Jupyter without importing pyplot (:class:`~otr_theory.plotting._core.OtrFigure`). The data of
each figure is computed apart from the drawing (a ``*_data`` function), so tests check the data.

The area modules (:mod:`otr_theory.plotting.regimes`, ...) hold the figures; the building blocks
are :func:`new_figure`, :func:`png_of` and :func:`svg_of`.
"""

from otr_theory.plotting._core import OtrFigure, freeze_layout, new_figure, place_labels, png_of, svg_of

__all__ = ["OtrFigure", "freeze_layout", "new_figure", "place_labels", "png_of", "svg_of"]
