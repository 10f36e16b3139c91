"""Games of the protocol and their equilibria.

Modules (one idea each):

* :mod:`~otr_theory.games.normal_form` -- normal-form games, mixed profiles, regret, pure
  equilibria, and the frozen result record every solver returns;
* :mod:`~otr_theory.games.bimatrix` -- all equilibria of two-player games, exactly: vertex
  enumeration (extreme equilibria, components, degenerate games), support enumeration, nashpy;
* :mod:`~otr_theory.games.nplayer` -- small n-player games: pure equilibria and polynomial
  support enumeration, honest about incompleteness;
* :mod:`~otr_theory.games.equilibria` -- :func:`all_equilibria`, the one entry point;
* :mod:`~otr_theory.games.challengers` -- the prover against n challengers: the full
  (n+1)-player game, the closed-form symmetric equilibrium checked against it, n up to 10,000;
* :mod:`~otr_theory.games.tree` and :mod:`~otr_theory.games.dispute` -- game trees, backward
  induction, and the bisection dispute game (rounds, duration, costs, Sybils);
* :mod:`~otr_theory.games.nfg` -- Gambit's .nfg (read, write) and .efg (write) formats.

Every equilibrium returned is re-checked by its regret, independently of how it was found.
"""

from otr_theory.games.bimatrix import bimatrix_equilibria, is_degenerate, nashpy_equilibria, support_enumeration, vertex_enumeration
from otr_theory.games.equilibria import all_equilibria
from otr_theory.games.nfg import NfgError, dumps_efg, dumps_nfg, loads_nfg, read_nfg, write_nfg
from otr_theory.games.normal_form import (
    Component,
    DegenerateGameWarning,
    Equilibrium,
    EquilibriumResult,
    GameError,
    IncompleteEnumerationWarning,
    NormalFormGame,
    pure_equilibria,
    regret,
)
from otr_theory.games.nplayer import nplayer_equilibria

__all__ = [
    "Component",
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumResult",
    "GameError",
    "IncompleteEnumerationWarning",
    "NfgError",
    "NormalFormGame",
    "all_equilibria",
    "bimatrix_equilibria",
    "dumps_efg",
    "dumps_nfg",
    "is_degenerate",
    "loads_nfg",
    "nashpy_equilibria",
    "nplayer_equilibria",
    "pure_equilibria",
    "read_nfg",
    "regret",
    "support_enumeration",
    "vertex_enumeration",
    "write_nfg",
]
