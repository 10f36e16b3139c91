"""Every notebook in notebooks/ imports only the public API, executes from a clean kernel,
headless, without error, and shows its figures as images.

Public API: every ``otr_theory`` import and attribute chain in a code cell is checked (``ast``,
:func:`public_api.private_uses`) against :data:`otr_theory.PUBLIC_MODULES` and the modules'
``__all__``; no notebook imports pyplot (the library's figures display without it).

A figure cell is a code cell tagged ``figure`` (cell metadata), and every code cell that calls a
``*_figure(`` function or displays a figure (``display(...fig...)``) must carry the tag, so that
a new figure cell cannot skip the check. Each figure cell must carry ``image/png`` or
``image/svg+xml`` output; no cell may show a figure only as the text ``<Figure size ...>`` (what
``display(fig)`` prints when no image formatter is active, e.g. under the Agg backend without
``%matplotlib inline``: the defect notebook 03 had).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tests") not in sys.path:  # the shared checker (tests run with --import-mode=importlib)
    sys.path.insert(0, str(ROOT / "tests"))
from public_api import private_uses  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IMAGE_TYPES = ("image/png", "image/svg+xml")
FIGURE_CALL = re.compile(r"_figure\(|display\([^)\n]*\bfig\b|display\([^)\n]*\.fig\b")
FIGURE_TEXT = re.compile(r"<(?:matplotlib\.figure\.)?Figure size [^>]*>")


def _executed(path: Path, tmp_path: Path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    # the kernel imports the same otr_theory as the tests: the checkout's source; Agg as in CI
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), MPLBACKEND="Agg")
    client.execute(env=env)
    return nb


def _outputs(cell) -> list[dict]:
    return list(cell.get("outputs", []))


def _has_image(cell) -> bool:
    return any(t in o.get("data", {}) for o in _outputs(cell) for t in IMAGE_TYPES)


def _figure_text(cell) -> list[str]:
    texts = []
    for o in _outputs(cell):
        t = o.get("data", {}).get("text/plain", "") if "data" in o else o.get("text", "")
        t = "".join(t) if isinstance(t, list) else t
        texts += FIGURE_TEXT.findall(t)
    return texts


def _is_figure_cell(cell) -> bool:
    return "figure" in cell.get("metadata", {}).get("tags", [])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_figure_cells_are_tagged(path):
    """Static: every cell that draws or displays a figure is tagged, so the image check sees it."""
    nb = nbformat.read(path, as_version=4)
    untagged = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and FIGURE_CALL.search(c.source) and not _is_figure_cell(c) and "widget" not in c.metadata.get("tags", [])]
    assert not untagged, f"{path.name}: cells {untagged} draw a figure but are not tagged 'figure'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_imports_only_public_api(path):
    """Static: every code cell uses only public modules and their ``__all__`` (names bound by an
    earlier cell followed), and none imports pyplot."""
    nb = nbformat.read(path, as_version=4)
    bound: dict[str, str] = {}
    bad = {}
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        found = private_uses(c.source, bound)
        if re.search(r"^\s*(?:import matplotlib\.pyplot|from matplotlib import pyplot|from matplotlib\.pyplot import)", c.source, re.M):
            found.append("pyplot")
        if found:
            bad[i] = found
    assert not bad, f"{path.name}: non-public uses by cell: {bad}"


def test_the_import_check_catches_the_old_notebooks():
    """The check fails where it must: the imports notebooks 01, 03 and 04 had before issue 14."""
    old = (
        "from otr_theory.report.core import md_table, fmt\n"
        "from otr_theory.report.sections.calibration import trilemma_figure\n"
        "from otr_theory.cli.check import render_report\n"
        "from otr_theory.calibration.fits import h100_decode_fit\n"
    )
    assert len(private_uses(old)) == 4


def test_figure_text_detector():
    """The checks below can fail: a cell with only '<Figure size ...>' text is caught, an image passes."""
    bad = nbformat.v4.new_code_cell("display(fig)")
    bad.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 640x400 with 1 Axes>"})]
    good = nbformat.v4.new_code_cell("display(fig)")
    good.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 640x400 with 1 Axes>", "image/png": "iVBORw0KGgo="})]
    assert _figure_text(bad) and not _has_image(bad)
    assert _has_image(good)
    assert FIGURE_CALL.search("display(view.fig)") and FIGURE_CALL.search("display(zk_fit_figure())")
    assert not FIGURE_CALL.search("print(summary(res))")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = _executed(path, tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in _outputs(c) if o.get("output_type") == "error"]
    assert not errors, [(o.get("ename"), o.get("evalue")) for o in errors]
    # each notebook shows something: at least one code cell produced output
    assert any(_outputs(c) for c in code)
    # figures show as images, never as the text '<Figure size ...>' alone
    figure_cells = [i for i, c in enumerate(code) if _is_figure_cell(c)]
    missing = [i for i in figure_cells if not _has_image(code[i])]
    assert not missing, f"{path.name}: figure cells (code cells {missing}) carry no image/png or image/svg+xml output"
    as_text = [(i, t) for i, c in enumerate(code) for t in _figure_text(c) if not _has_image(c)]
    assert not as_text, f"{path.name}: figures shown as text only: {as_text}"


def test_the_check_catches_the_notebook_03_defect(tmp_path):
    """The defect reproduced: under Agg, ``display(fig)`` without ``%matplotlib inline`` shows only
    '<Figure size ...>' text, which the check flags; with the magic it carries an image."""
    src = "from matplotlib.figure import Figure\nfrom IPython.display import display\nfig = Figure()\nfig.add_subplot().plot([0, 1])\ndisplay(fig)"
    for magic, image in (("", False), ("%matplotlib inline\n", True)):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(magic + src)
        cell.metadata["tags"] = ["figure"]
        nb.cells = [cell]
        path = tmp_path / f"probe{int(image)}.ipynb"
        nbformat.write(nb, path)
        (out,) = [c for c in _executed(path, tmp_path).cells if c.cell_type == "code"]
        assert _has_image(out) is image
        assert (bool(_figure_text(out)) and not _has_image(out)) is not image  # what the notebook check flags
