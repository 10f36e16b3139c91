"""Finite game trees of perfect information and their subgame-perfect equilibrium.

A tree is built from two records: :class:`Decision` (the player to move and its actions, each
leading to a child) and :class:`Terminal` (one payoff per player). Backward induction (Kuhn
1953; Selten 1965) solves it: a terminal node's value is its payoffs; a decision node's value is
the value of the child that maximises the mover's payoff. Ties go to the first action listed,
so callers order actions by the tie-breaking they mean (e.g. *continue* before *concede*).

This is the materialised representation: :mod:`otr_theory.games.dispute` solves the dispute game
on a compact recursive form and builds these trees only for small traces, to cross-check and to
export (:func:`otr_theory.games.nfg.dumps_efg`).

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information. Contributions to the
Theory of Games II, 193-216.
Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit.
Zeitschrift für die gesamte Staatswissenschaft 121, 301-324.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Union

__all__ = ["Decision", "Node", "Terminal", "backward_induction", "count_nodes", "depth"]


@dataclasses.dataclass(frozen=True)
class Terminal:
    """A leaf: one payoff per player."""

    payoffs: tuple[Any, ...]
    label: str = ""


@dataclasses.dataclass(frozen=True)
class Decision:
    """A decision node: ``player`` (0-based) chooses one of ``actions`` = ((name, child), ...)."""

    player: int
    label: str
    actions: tuple[tuple[str, Node], ...]


Node = Union[Decision, Terminal]


def backward_induction(node: Node) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """The subgame-perfect equilibrium's payoffs and its path of play (action names).

    Examples
    --------
    Entry deterrence: the incumbent's threat to fight is not credible.

    >>> game = Decision(0, "entrant", (
    ...     ("enter", Decision(1, "incumbent", (("fight", Terminal((-1, -1))), ("accommodate", Terminal((1, 1)))))),
    ...     ("stay out", Terminal((0, 2))),
    ... ))
    >>> backward_induction(game)
    ((1, 1), ('enter', 'accommodate'))
    """
    if isinstance(node, Terminal):
        return node.payoffs, ()
    best = None
    for name, child in node.actions:
        value, path = backward_induction(child)
        if best is None or value[node.player] > best[0][node.player]:
            best = (value, (name, *path))
    if best is None:
        raise ValueError(f"decision node {node.label!r}: needs at least one action")
    return best


def count_nodes(node: Node) -> int:
    """Number of nodes of the tree.

    >>> count_nodes(Decision(0, "a", (("x", Terminal((0,))), ("y", Terminal((1,))))))
    3
    """
    if isinstance(node, Terminal):
        return 1
    return 1 + sum(count_nodes(c) for _, c in node.actions)


def depth(node: Node) -> int:
    """Number of decision nodes on the longest path from the root."""
    if isinstance(node, Terminal):
        return 0
    return 1 + max(depth(c) for _, c in node.actions)
