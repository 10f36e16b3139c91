"""One entry point for every normal-form game: :func:`all_equilibria` picks the solver.

* two players: :func:`otr_theory.games.bimatrix.vertex_enumeration` -- exact extreme equilibria
  grouped into components, complete for every game within its size guard;
* three or more players: :func:`otr_theory.games.nplayer.nplayer_equilibria` -- pure equilibria
  exactly and mixed ones by polynomial support enumeration, ``complete=False`` when it meets a
  continuum or its cap.

A one-player game is a decision problem, not a game: a GameError says so.
"""

from __future__ import annotations

from otr_theory.games.bimatrix import vertex_enumeration
from otr_theory.games.normal_form import EquilibriumResult, GameError, NormalFormGame
from otr_theory.games.nplayer import MAX_BEZOUT, MAX_SUPPORT_PROFILES, nplayer_equilibria

__all__ = ["all_equilibria"]


def all_equilibria(
    game: NormalFormGame,
    *,
    max_support_profiles: int = MAX_SUPPORT_PROFILES,
    max_bezout: int = MAX_BEZOUT,
) -> EquilibriumResult:
    """All Nash equilibria of ``game`` (extreme points of continua for degenerate bimatrix games).

    Examples
    --------
    >>> from otr_theory.games.normal_form import NormalFormGame
    >>> r = all_equilibria(NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]))
    >>> r.method, len(r.equilibria), r.complete
    ('vertex-enumeration', 3, True)
    """
    if not isinstance(game, NormalFormGame):
        raise GameError("game", "must be a NormalFormGame", type(game).__name__)
    if game.n_players == 1:
        raise GameError("players", "a one-player game is a decision problem, not supported", 1)
    if game.n_players == 2:
        return vertex_enumeration(game)
    return nplayer_equilibria(game, max_support_profiles=max_support_profiles, max_bezout=max_bezout)
