"""One entry point for every normal-form game: :func:`all_equilibria` picks the solver.

* two players: :func:`otr_theory.games.bimatrix.vertex_enumeration` -- exact extreme equilibria
  grouped into components, complete for every game within its size guard;
* three or more players: :func:`otr_theory.games.nplayer.nplayer_equilibria` -- pure equilibria
  exactly and mixed ones by certified support enumeration, ``complete=False`` when it meets a
  continuum, a cap or the end of its time budget;
* a two-player game where a player has one strategy: :func:`single_strategy_equilibria`, the
  other player's best replies in closed form;
* a game too large for complete enumeration (a two-player game whose polytopes have more than
  ``max_bases`` bases, or more than the time budget allows): :func:`partial_equilibria` -- every
  pure equilibrium and one mixed equilibrium by the Lemke-Howson algorithm (Lemke and Howson 1964;
  nashpy's implementation), each checked by its regret, labelled ``complete=False``. Every finite
  game has an equilibrium (Nash 1951), and Lemke-Howson finds one of a bimatrix game.

A one-player game is a decision problem, not a game: a GameError says so.

References
----------
Lemke, C. E., Howson, J. T. (1964). Equilibrium points of bimatrix games. Journal of the SIAM 12,
413-423.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from otr_theory.games.normal_form import (
    Component,
    Equilibrium,
    EquilibriumResult,
    GameError,
    IncompleteEnumerationWarning,
    NormalFormGame,
    make_equilibrium,
    pure_equilibria,
    sort_key,
    tool_versions,
)
from otr_theory.games.nplayer import MAX_BEZOUT, MAX_SUPPORT_PROFILES, nplayer_equilibria

__all__ = ["MAX_BASES_COMPLETE", "SECONDS_PER_BASIS", "all_equilibria", "partial_equilibria", "single_strategy_equilibria"]

MAX_BASES_COMPLETE = 2_000_000
"""Two players: complete (vertex) enumeration only when both best-response polytopes together have
at most this many bases (C(m+n, m) + C(m+n, n)); larger games get :func:`partial_equilibria`."""

SECONDS_PER_BASIS = 2e-5
"""Rough cost of one basis in vertex enumeration (measured on the 2-core development machine), used
to decide whether complete enumeration fits a time budget (scaled by (1 + (d/10)^3) for a
polytope of dimension d: each basis is a d x d solve)."""


def _bases(m: int, n: int) -> int:
    return math.comb(m + n, m) + math.comb(m + n, n)


def _enumeration_seconds(m: int, n: int) -> float:
    """Rough cost of vertex enumeration: each polytope's bases, each a d x d solve (d its dimension)."""
    return SECONDS_PER_BASIS * sum(math.comb(m + n, d) * (1 + (d / 10) ** 3) for d in (m, n))


def all_equilibria(
    game: NormalFormGame,
    *,
    max_support_profiles: int = MAX_SUPPORT_PROFILES,
    max_bezout: int = MAX_BEZOUT,
    time_budget: float | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> EquilibriumResult:
    """All Nash equilibria of ``game`` (extreme points of continua for degenerate bimatrix games).

    Parameters
    ----------
    game : NormalFormGame
    max_support_profiles, max_bezout : int
        Caps of the n-player solver (:func:`otr_theory.games.nplayer.nplayer_equilibria`).
    time_budget : float, optional
        Seconds: the n-player solver stops when it is spent; a two-player game whose complete
        enumeration is not expected to fit gets :func:`partial_equilibria` instead.
    progress : callable, optional
        ``progress(done, total, stage)`` (n-player games).

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
        from otr_theory.games.bimatrix import vertex_enumeration

        m, n = game.shape
        if min(m, n) == 1:
            return single_strategy_equilibria(game)
        bases = _bases(m, n)
        if bases > MAX_BASES_COMPLETE:
            return partial_equilibria(game, f"complete enumeration would examine {bases} bases (more than {MAX_BASES_COMPLETE})")
        est = _enumeration_seconds(m, n)
        if time_budget is not None and est > time_budget:
            return partial_equilibria(
                game, f"complete enumeration ({bases} bases, about {est:.0f} s) does not fit the time budget of {time_budget:g} s"
            )
        return vertex_enumeration(game, max_bases=MAX_BASES_COMPLETE)
    return nplayer_equilibria(
        game, max_support_profiles=max_support_profiles, max_bezout=max_bezout, time_budget=time_budget, progress=progress
    )


def single_strategy_equilibria(game: NormalFormGame) -> EquilibriumResult:
    """A two-player game where one player has a single strategy: a decision problem for the other, in closed form.

    The lone strategy is played; the equilibria are the other player's mixtures over its best
    replies to it: one component, the simplex over the set B of pure best replies, with the pure
    best replies as its extreme points (dimension |B| - 1). Exact.

    Examples
    --------
    >>> from otr_theory.games.normal_form import NormalFormGame
    >>> r = single_strategy_equilibria(NormalFormGame.from_bimatrix([[1, 1, 0]], [[2, 2, 1]]))
    >>> len(r.equilibria), r.components[0].dimension, r.complete, r.degenerate
    (2, 1, True, True)
    """
    m, n = game.shape
    u = game.exact_payoffs()
    lone = 0 if m == 1 else 1
    other = 1 - lone
    values = u[other][0, :] if lone == 0 else u[other][:, 0]
    best = [i for i, v in enumerate(values) if v == max(values)]
    found = []
    for b in best:
        prof = [[Fraction(1)], [Fraction(int(i == b)) for i in range(len(values))]]
        if lone == 1:
            prof = prof[::-1]
        found.append(make_equilibrium(game, prof, exact=True))
    found.sort(key=sort_key)
    eqs = tuple(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=0) for e in found)
    rows = tuple(sorted({e.strategies[0] for e in eqs}))
    cols = tuple(sorted({e.strategies[1] for e in eqs}))
    comp = Component(
        points=tuple(range(len(eqs))),
        dimension=len(best) - 1,
        row_points=rows,
        col_points=cols,
        maximal_subsets=((tuple(range(len(rows))), tuple(range(len(cols)))),),
        note="" if len(best) == 1 else f"every mixture of the {len(best)} best replies to the lone strategy",
    )
    exact_all = game.exact
    warns = () if len(best) == 1 else (f"degenerate game: {len(best)} best replies to the lone strategy form a continuum of equilibria",)
    return EquilibriumResult(
        method="single-strategy-closed-form",
        game=game,
        equilibria=eqs,
        components=(comp,),
        degenerate=len(best) > 1,
        complete=True,
        tolerance=Fraction(0) if exact_all else 1e-9 * game.payoff_scale(),
        max_regret=max(e.regret for e in eqs) if exact_all else max(float(e.regret) for e in eqs),
        warnings=warns,
        versions=tool_versions(),
    )


_LH_LABELS = 4  # Lemke-Howson tries at most this many initial labels (each is a full path)
_LH_ENABLED = False
"""UNFINISHED: nashpy's Lemke-Howson has no step bound and was seen to run without end on 12 x 12
games (random and all-equal, perturbed or not); until it runs under a bound, partial answers list
the pure equilibria only and say so."""


def _lemke_howson(game: NormalFormGame) -> list[Equilibrium]:
    """One mixed equilibrium by Lemke-Howson (nashpy, floats), made exact where it rationalises."""
    import nashpy

    A, B = (np.asarray(x, dtype=float) for x in game.float_payoffs())
    scale = game.payoff_scale()
    tol = 1e-9 * scale
    # Lemke-Howson can cycle on a degenerate game (an all-equal game, say): run it on a generic
    # perturbation of 1e-12 of the payoff scale (nondegenerate with probability one, so every path
    # ends) and keep its end point only if it passes the regret check in the game itself
    rng = np.random.default_rng(0)
    A = A / scale + 1e-12 * rng.random(A.shape)
    B = B / scale + 1e-12 * rng.random(B.shape)
    g = nashpy.Game(A, B)
    for label in range(min(sum(game.shape), _LH_LABELS)):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                x, y = g.lemke_howson(initial_dropped_label=label)
        except Exception:  # noqa: BLE001 - nashpy raises on degenerate pivots; try the next label
            continue
        if x.shape != (game.shape[0],) or y.shape != (game.shape[1],) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            continue
        if min(x.min(), y.min()) < -1e-9 or abs(x.sum() - 1) > 1e-9 or abs(y.sum() - 1) > 1e-9:
            continue
        exact = [[Fraction(float(v)).limit_denominator(10**9) for v in s] for s in (x, y)]
        if all(sum(s) == 1 and min(s) >= 0 for s in exact):
            e = make_equilibrium(game, exact, exact=True)
            if e.regret == 0:
                return [e]
        x, y = np.clip(x, 0, None), np.clip(y, 0, None)
        e = make_equilibrium(game, [x / x.sum(), y / y.sum()], exact=False)
        if float(e.regret) <= tol:
            return [e]
    return []


def partial_equilibria(game: NormalFormGame, reason: str) -> EquilibriumResult:
    """Every pure equilibrium and, for two players, one mixed equilibrium by Lemke-Howson: ``complete=False``.

    The honest answer for a game too large for complete enumeration: what is listed is checked by
    its regret; that it is not everything is said by ``complete=False`` and by ``reason`` in the
    warnings.

    Examples
    --------
    >>> from otr_theory.games.normal_form import NormalFormGame
    >>> r = partial_equilibria(NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]), "a test")
    >>> len(r.equilibria), r.complete
    (2, False)
    """
    found = []
    for s in pure_equilibria(game):
        prof = [[Fraction(int(i == s[p])) for i in range(k)] for p, k in enumerate(game.shape)]
        found.append(make_equilibrium(game, prof, exact=True))
    method = "pure-equilibria"
    if game.n_players == 2 and _LH_ENABLED:
        method = "pure-equilibria+lemke-howson"
        for e in _lemke_howson(game):
            if not any(np.allclose(np.array(e.as_floats()[0]), f.as_floats()[0]) and np.allclose(e.as_floats()[1], f.as_floats()[1]) for f in found):
                found.append(e)
    found.sort(key=sort_key)
    eqs = tuple(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=i, algebraic=e.algebraic) for i, e in enumerate(found))
    comps = tuple(Component(points=(i,), dimension=None, note="") for i in range(len(eqs)))
    exact_all = game.exact and all(e.exact for e in eqs)
    tol = Fraction(0) if exact_all else 1e-9 * game.payoff_scale()
    warns = (f"incomplete: {reason}; listed: every pure equilibrium" + (" and one mixed equilibrium by Lemke-Howson" if game.n_players == 2 and _LH_ENABLED else ""),)
    if not eqs:
        warns = (*warns, "no equilibrium was found within the limits (one exists: Nash 1951)")
    warnings.warn(warns[0], IncompleteEnumerationWarning, stacklevel=2)
    max_regret = (max(e.regret for e in eqs) if exact_all else max(float(e.regret) for e in eqs)) if eqs else Fraction(0)
    return EquilibriumResult(
        method=method,
        game=game,
        equilibria=eqs,
        components=comps,
        degenerate=False,
        complete=False,
        tolerance=tol,
        max_regret=max_regret,
        warnings=warns,
        versions=tool_versions(),
    )
