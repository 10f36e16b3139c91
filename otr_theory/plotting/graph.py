"""The state-graph figure: the abstract life of a query, explored with the protocol interpreter.

:func:`state_graph_data` lays out the graph (nodes left to right along a query's life, a proof
due above, none below, the verdicts slashed and final in the last column, rejected above the
commitment; an edge curves more when two run both ways); :func:`state_graph_figure` draws it.
Both take the :class:`~otr_theory.smt.analysis.StateGraph` record (or a
:class:`~otr_theory.smt.analysis.TheoremsAnalysis`, or the networkx graph of
:func:`otr_theory.smt.graph.state_graph`).
"""

from __future__ import annotations

from typing import Any

from otr_theory.plotting._core import new_figure
from otr_theory.smt.graph import NODE_ORDER

__all__ = ["state_graph_data", "state_graph_figure"]

_COLUMN = {"received": 0, "committed": 1, "provisional": 2, "bisection": 3, "one-step check": 4, "rejected": 1.2, "slashed": 5, "final": 5}
_ROW = {"rejected": 2.0, "slashed": 0.0, "final": -1.6}
_COLOURS = {"final": "#b8e0b8", "slashed": "#f4b6b6", "rejected": "#f7d9a8"}


def _position(node: str) -> tuple[float, float]:
    base = node.split(",")[0]
    x = _COLUMN[base]
    y = _ROW.get(base, 0.8 if "proof due" in node else -0.8 if base in ("provisional", "bisection", "one-step check") else 0.0)
    return float(x), y


def _nodes_edges(graph: Any) -> tuple[list[str], list[tuple[str, str]]]:
    g = getattr(graph, "state_graph", graph)  # a TheoremsAnalysis holds its StateGraph
    if hasattr(g, "edges") and callable(getattr(g, "has_edge", None)):  # networkx
        return list(g.nodes), sorted((u, v) for u, v in g.edges)
    return list(g.nodes), sorted((e[0], e[1]) for e in g.edges)


def state_graph_data(graph: Any) -> dict[str, Any]:
    """The layout drawn: ``nodes`` ``[(name, x, y, colour)]`` in :data:`~otr_theory.smt.graph.NODE_ORDER`
    and ``edges`` ``[(from, to, curvature)]`` (self-loops left out).

    Examples
    --------
    >>> from otr_theory.smt.analysis import StateGraph
    >>> g = StateGraph(3, 2, ("committed", "final", "received"), (("received", "committed", ("commit",)), ("committed", "final", ("tick",))), ("final",), 0, (), (), True)
    >>> d = state_graph_data(g)
    >>> [n[0] for n in d["nodes"]], d["edges"]
    (['received', 'committed', 'final'], [('committed', 'final', 0.08), ('received', 'committed', 0.08)])
    """
    names, edges = _nodes_edges(graph)
    present = set(names)
    pairs = set(edges)
    nodes = [(n, *_position(n), _COLOURS.get(n, "#dbe8f6")) for n in NODE_ORDER if n in present]
    out_edges = [(u, v, 0.25 if (v, u) in pairs else 0.08) for u, v in edges if u != v]
    return {"nodes": nodes, "edges": out_edges}


def state_graph_figure(graph: Any, *, ax: Any = None, title: str = "") -> Any:
    """Draw the abstract state graph on ``ax`` (a new figure if None); returns the figure.

    Examples
    --------
    >>> from otr_theory.smt.analysis import StateGraph
    >>> g = StateGraph(3, 2, ("committed", "final", "received"), (("received", "committed", ("commit",)),), ("final",), 0, (), (), True)
    >>> sorted(t.get_text() for t in state_graph_figure(g).axes[0].texts if t.get_text())
    ['committed', 'final', 'received']
    """
    if ax is None:
        fig, ax = new_figure(9.0, 4.6)
    else:
        fig = ax.figure
    d = state_graph_data(graph)
    pos = {n: (x, y) for n, x, y, _ in d["nodes"]}
    for u, v, rad in d["edges"]:
        ax.annotate(
            "", xy=pos[v], xytext=pos[u],
            arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 0.8, "shrinkA": 22, "shrinkB": 22,
                        "connectionstyle": f"arc3,rad={rad}"},
        )  # fmt: skip
    for n, x, y, colour in d["nodes"]:
        ax.text(x, y, n.replace(", ", ",\n"), ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.35", "fc": colour, "ec": "#333333", "lw": 0.8})  # fmt: skip
    ax.set_xlim(-0.6, 5.6)
    ax.set_ylim(-2.3, 2.3)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    return fig
