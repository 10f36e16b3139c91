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

import importlib

_WHERE = {
    "bimatrix_equilibria": "bimatrix",
    "is_degenerate": "bimatrix",
    "nashpy_equilibria": "bimatrix",
    "support_enumeration": "bimatrix",
    "vertex_enumeration": "bimatrix",
    "all_equilibria": "equilibria",
    "NfgError": "nfg",
    "dumps_efg": "nfg",
    "dumps_nfg": "nfg",
    "loads_nfg": "nfg",
    "read_nfg": "nfg",
    "write_nfg": "nfg",
    "Component": "normal_form",
    "DegenerateGameWarning": "normal_form",
    "Equilibrium": "normal_form",
    "EquilibriumResult": "normal_form",
    "GameError": "normal_form",
    "IncompleteEnumerationWarning": "normal_form",
    "NormalFormGame": "normal_form",
    "pure_equilibria": "normal_form",
    "regret": "normal_form",
    "nplayer_equilibria": "nplayer",
}


def __getattr__(name: str):
    """Import the module that defines ``name`` on first use (PEP 562): importing the package is cheap."""
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'otr_theory.games' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"otr_theory.games.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
