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
  pure equilibrium and, for two players, the end points of Lemke-Howson paths (Lemke and Howson
  1964; our exact implementation with lexicographic pivoting, which ends on degenerate games
  too), each checked by its exact regret, labelled ``complete=False``. Every finite game has an
  equilibrium (Nash 1951), and Lemke-Howson finds one of a bimatrix game.

A one-player game is a decision problem, not a game: a GameError says so.

References
----------
Lemke, C. E., Howson, J. T. (1964). Equilibrium points of bimatrix games. Journal of the SIAM 12,
413-423.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from fractions import Fraction

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
from otr_theory.games.nplayer import (
    MAX_BEZOUT,
    MAX_SUPPORT_PROFILES,
    nplayer_equilibria,
)

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
            return partial_equilibria(game, f"complete enumeration would examine {bases} bases (more than {MAX_BASES_COMPLETE})", time_budget=time_budget)
        est = _enumeration_seconds(m, n)
        if time_budget is not None and est > time_budget:
            return partial_equilibria(
                game,
                f"complete enumeration ({bases} bases, about {est:.0f} s) does not fit the time budget of {time_budget:g} s",
                time_budget=time_budget,
            )
        return vertex_enumeration(game, max_bases=MAX_BASES_COMPLETE)
    return nplayer_equilibria(game, max_support_profiles=max_support_profiles, max_bezout=max_bezout, time_budget=time_budget, progress=progress)


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


_LH_LABELS = 4  # partial answers: Lemke-Howson from at most this many initial labels (each a full path)
_LH_MAX_PIVOTS = 20_000
"""Lemke-Howson: at most this many pivots per initial label (lexicographic pivoting ends anyway;
the cap bounds the time on very large games)."""


def _lh_tableau(mat: list[list[int]]) -> list[list[int]]:
    """Integer tableau of ``s = 1 - M z``: columns slacks (identity), z, right-hand side 1."""
    rows = len(mat)
    return [[int(i == r) for i in range(rows)] + list(mat[r]) + [1] for r in range(rows)]


def _lh_pivot(tab, basis, det, enter):
    """Lexicographic minimum-ratio test on column ``enter``, then an integer (Bareiss) pivot.

    Returns (leaving variable, new determinant). The rows' ratios are compared on
    (rhs, slack columns) / pivot column -- lexicographic, so the leaving row is unique and
    Lemke-Howson cannot cycle on a degenerate game (von Stengel 2002, sec. 3.7).
    """
    nrow = len(tab)
    cand = [r for r in range(nrow) if tab[r][enter] > 0]
    if not cand:
        raise ArithmeticError("unbounded ray in Lemke-Howson (payoffs not positive)")
    order = [len(tab[0]) - 1] + list(range(nrow))

    def key_less(a, b):
        for c in order:
            lhs = tab[a][c] * tab[b][enter]
            rhs = tab[b][c] * tab[a][enter]
            if lhs != rhs:
                return lhs < rhs
        return False

    best = cand[0]
    for r in cand[1:]:
        if key_less(r, best):
            best = r
    piv = tab[best][enter]
    prow = tab[best]
    for r in range(nrow):
        if r == best:
            continue
        row = tab[r]
        f = row[enter]
        tab[r] = [(a * piv - f * b) // det for a, b in zip(row, prow, strict=True)]
    leaving = basis[best]
    basis[best] = enter
    return leaving, piv


def _lemke_howson(game: NormalFormGame, max_labels: int | None = None, deadline: float | None = None) -> list[Equilibrium]:
    """Mixed equilibria of a bimatrix game by Lemke-Howson, exactly (ours, after von Stengel 2002).

    The best-response polytopes P = {x >= 0 : B^T x <= 1} and Q = {y >= 0 : A y <= 1} (payoffs
    shifted to be positive) in two integer tableaux; from the artificial equilibrium (0, 0) the
    label ``k`` is dropped and complementary pivoting alternates between the tableaux until ``k``
    is picked up again: the end point, normalised, is a Nash equilibrium (Lemke and Howson 1964).
    Lexicographic pivoting makes every path finite on degenerate games too; integer (Bareiss)
    pivoting keeps everything exact. Each initial label (up to ``max_labels``) gives one path;
    distinct end points are returned, each with its exact regret (which must be 0). At
    ``deadline`` (``time.monotonic()``) the path under way is abandoned and what was found is
    returned (exact pivoting on large games is slow: an 80 x 80 game takes seconds a path).

    Reference: von Stengel, B. (2002). Computing equilibria for two-person games. Handbook of Game
    Theory 3, ch. 45, sec. 3.
    """
    ui = game.exact_payoffs()
    den = 1
    for x in ui.ravel():
        den = math.lcm(den, x.denominator)
    A = [[int(x * den) for x in row] for row in ui[0]]
    B = [[int(x * den) for x in row] for row in ui[1]]
    m, n = len(A), len(A[0])
    shift = 1 - min(min(min(r) for r in A), min(min(r) for r in B))
    A = [[a + shift for a in r] for r in A]
    Bt = [[B[i][j] + shift for i in range(m)] for j in range(n)]
    out: list[Equilibrium] = []
    seen = set()
    labels = range(m + n) if max_labels is None else range(min(m + n, max_labels))
    for k0 in labels:
        # tableau 1 (rows r_i): variables r_0..r_{m-1} (ids 0..m-1), y_j (ids m..m+n-1); labels: r_i -> i, y_j -> m + j
        # tableau 2 (rows s_j): variables s_0..s_{n-1} (ids 0..n-1), x_i (ids n..n+m-1); labels: s_j -> m + j, x_i -> i
        t1, b1, d1 = _lh_tableau(A), list(range(m)), 1
        t2, b2, d2 = _lh_tableau(Bt), list(range(n)), 1
        side, enter = (2, n + k0) if k0 < m else (1, m + (k0 - m))
        for _ in range(_LH_MAX_PIVOTS):
            if deadline is not None and time.monotonic() > deadline:
                return out
            if side == 1:
                leave, d1 = _lh_pivot(t1, b1, d1, enter)
                label = leave  # r_i (id i) -> label i; y_j (id m + j) -> label m + j
                if label == k0:
                    break
                side, enter = 2, (n + leave if leave < m else leave - m)  # r_i -> x_i; y_j -> s_j
            else:
                leave, d2 = _lh_pivot(t2, b2, d2, enter)
                label = (m + leave) if leave < n else (leave - n)  # s_j -> m + j; x_i -> i
                if label == k0:
                    break
                side, enter = 1, (m + leave if leave < n else leave - n)  # s_j -> y_j; x_i -> r_i
        else:
            continue  # pivot cap: no answer from this label
        x = [Fraction(0)] * m
        y = [Fraction(0)] * n
        for r, v in enumerate(b2):
            if v >= n:
                x[v - n] = Fraction(t2[r][-1], t2[r][v])
        for r, v in enumerate(b1):
            if v >= m:
                y[v - m] = Fraction(t1[r][-1], t1[r][v])
        sx, sy = sum(x), sum(y)
        if sx <= 0 or sy <= 0:
            continue
        prof = [[a / sx for a in x], [b / sy for b in y]]
        key = tuple(map(tuple, prof))
        if key in seen:
            continue
        seen.add(key)
        e = make_equilibrium(game, prof, exact=True)
        if e.regret != 0:  # pragma: no cover - the end point of a Lemke-Howson path is an equilibrium
            raise RuntimeError(f"Lemke-Howson: an end point failed its regret check ({e.regret})")
        out.append(e)
    return out


_LH_SECONDS = 10.0
"""Partial answers: Lemke-Howson's time limit when the caller gives no time budget."""


def partial_equilibria(game: NormalFormGame, reason: str, *, time_budget: float | None = None) -> EquilibriumResult:
    """Every pure equilibrium and, for two players, Lemke-Howson's end points: ``complete=False``.

    The honest answer for a game too large for complete enumeration: what is listed is checked by
    its regret; that it is not everything is said by ``complete=False`` and by ``reason`` in the
    warnings.

    Parameters
    ----------
    game : NormalFormGame
    reason : str
        Why the answer is partial (goes into the warnings).
    time_budget : float, optional
        Seconds for the Lemke-Howson paths (from at most ``_LH_LABELS`` initial labels; default
        ``_LH_SECONDS``); a path still under way then is abandoned.

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
    if game.n_players == 2 and min(game.shape) > 1:
        method = "pure-equilibria+lemke-howson"
        pure = {e.strategies for e in found}
        deadline = time.monotonic() + (_LH_SECONDS if time_budget is None else float(time_budget))
        found.extend(e for e in _lemke_howson(game, max_labels=_LH_LABELS, deadline=deadline) if e.strategies not in pure)
    found.sort(key=sort_key)
    eqs = tuple(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=i, algebraic=e.algebraic) for i, e in enumerate(found))
    comps = tuple(Component(points=(i,), dimension=None, note="") for i in range(len(eqs)))
    exact_all = game.exact and all(e.exact for e in eqs)
    tol = Fraction(0) if exact_all else 1e-9 * game.payoff_scale()
    warns = (f"incomplete: {reason}; listed: every pure equilibrium" + (" and the Lemke-Howson end points of the first labels" if method.endswith("lemke-howson") else ""),)
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
