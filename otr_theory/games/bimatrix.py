"""All Nash equilibria of a two-player (bimatrix) game, exactly.

Row player's payoffs :math:`A`, column player's :math:`B`, both :math:`m \\times n`. Shifting
payoffs by a constant does not change the equilibria, so take :math:`A, B > 0` and the
best-response polytopes (von Stengel 2007, sec. 3.2)

.. math::

    P = \\{x \\in \\mathbb{R}^m : x \\ge 0,\\ B^\\top x \\le 1\\}, \\qquad
    Q = \\{y \\in \\mathbb{R}^n : A y \\le 1,\\ y \\ge 0\\}.

Label a point of P by :math:`i` when :math:`x_i = 0` and by :math:`m + j` when
:math:`(B^\\top x)_j = 1` (column j is a best response); a point of Q by :math:`i` when
:math:`(Ay)_i = 1` and by :math:`m + j` when :math:`y_j = 0`. A pair
:math:`(x, y) \\ne (0, 0)` that carries all :math:`m + n` labels, normalised to
:math:`(x / 1^\\top x,\\ y / 1^\\top y)`, is a Nash equilibrium, and the completely labelled
*vertex* pairs are exactly the **extreme equilibria** (Mangasarian 1964; Winkels 1979).

**Degenerate games.** The game is nondegenerate iff no point of P has more than m labels and no
point of Q more than n (von Stengel 2007, Def. 3.5, Thm 3.6); then every equilibrium is isolated
and support enumeration over equal-size supports finds all of them. Otherwise equilibria may
form continua: the set of equilibria is the union of *maximal Nash subsets*
:math:`\\mathrm{conv}(X) \\times \\mathrm{conv}(Y)`, where :math:`X \\times Y` is a maximal
complete bipartite subgraph (biclique) of the graph whose edges are the extreme equilibria, and
its *components* are the connected components of that graph (Winkels 1979; Avis, Rosenberg,
Savani and von Stengel 2010, sec. 2). :func:`vertex_enumeration` returns exactly this: extreme
equilibria, bicliques, components, a degeneracy flag and a :class:`DegenerateGameWarning`.

Arithmetic: candidate bases are screened in floating point (batched numpy solves), and every
candidate is re-solved and re-checked in exact rationals (:class:`fractions.Fraction`); labels,
degeneracy and the equilibria come from the exact vertices only. The vertex search enumerates all
:math:`\\binom{m+n}{m}` bases, so it is meant for games up to about 10 x 10 strategies
(``max_bases`` guards it).

Three routes, each returning an :class:`~otr_theory.games.normal_form.EquilibriumResult`:

* :func:`vertex_enumeration` -- exact extreme equilibria and components (complete for every
  game within ``max_bases``);
* :func:`support_enumeration` -- exact, equal-size supports (complete for nondegenerate games;
  says ``complete=False`` when it meets degeneracy);
* :func:`nashpy_equilibria` -- nashpy's vertex or support enumeration in floats (a second,
  independent implementation for cross-checks).

References
----------
von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and
extensive form. In Nisan, Roughgarden, Tardos, Vazirani (eds), Algorithmic Game Theory, ch. 3.
Avis, D., Rosenberg, G., Savani, R., von Stengel, B. (2010). Enumeration of Nash equilibria for
two-player games. Economic Theory 42, 9-37.
Winkels, H.-M. (1979). An algorithm to determine all equilibrium points of a bimatrix game. In
Moeschlin, Pallaschke (eds), Game Theory and Related Topics, 137-148.
Mangasarian, O. L. (1964). Equilibrium points of bimatrix games. J. SIAM 12(4), 778-780.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.games.normal_form import (
    Component,
    DegenerateGameWarning,
    Equilibrium,
    EquilibriumResult,
    GameError,
    IncompleteEnumerationWarning,
    NormalFormGame,
    make_equilibrium,
    sort_key,
    tool_versions,
)

__all__ = ["bimatrix_equilibria", "is_degenerate", "nashpy_equilibria", "support_enumeration", "vertex_enumeration", "polytope_vertices"]

MAX_BASES = 2_000_000
"""Default cap on the number of bases :func:`vertex_enumeration` examines per polytope."""

_COND_SCREEN = 1e9  # float solves with a worse condition number are re-checked exactly
_COND_SINGULAR = 1e15  # above this a basis is taken as singular
_FEAS_TOL = 1e-7  # float screening tolerance (loose on purpose: exact arithmetic decides)


def _as_game(game_or_a: Any, b: Any = None) -> NormalFormGame:
    if isinstance(game_or_a, NormalFormGame):
        if b is not None:
            raise GameError("B", "must not be given with a NormalFormGame", "B")
        if game_or_a.n_players != 2:
            raise GameError("players", "a bimatrix solver needs exactly 2 players", game_or_a.n_players)
        return game_or_a
    if b is None:
        raise GameError("B", "the column player's payoffs are missing", None)
    return NormalFormGame.from_bimatrix(game_or_a, b)


# ---------------------------------------------------------------------------------------------
# exact linear algebra


def solve_exact(M: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> list[Fraction] | None:
    """Solve ``M z = rhs`` in rationals by Gaussian elimination; ``None`` if M is singular.

    >>> solve_exact([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]], [Fraction(1), Fraction(2)])
    [Fraction(1, 5), Fraction(3, 5)]
    >>> solve_exact([[Fraction(1), Fraction(1)], [Fraction(2), Fraction(2)]], [Fraction(1), Fraction(2)]) is None
    True
    """
    d = len(rhs)
    a = [list(row) + [rhs[i]] for i, row in enumerate(M)]
    for col in range(d):
        piv = next((r for r in range(col, d) if a[r][col] != 0), None)
        if piv is None:
            return None
        a[col], a[piv] = a[piv], a[col]
        pr = a[col]
        inv = 1 / pr[col]
        for r in range(d):
            if r != col and a[r][col] != 0:
                f = a[r][col] * inv
                row = a[r]
                for c in range(col, d + 1):
                    row[c] -= f * pr[c]
    return [a[i][d] / a[i][i] for i in range(d)]


def _shifted(u: np.ndarray) -> np.ndarray:
    """Payoffs shifted to be >= 1 (equilibria unchanged)."""
    lo = min(u.ravel())
    return u - lo + 1


# ---------------------------------------------------------------------------------------------
# vertices of {z >= 0, C z <= 1}


def polytope_vertices(C: np.ndarray, *, max_bases: int = MAX_BASES) -> list[tuple[tuple[Fraction, ...], frozenset[int]]]:
    """Every vertex of :math:`\\{z \\in \\mathbb{R}^d : z \\ge 0,\\ Cz \\le 1\\}`, exactly, with its tight set.

    ``C`` is an r x d object array of Fractions with positive entries (the polytope is bounded).
    Tight constraints are numbered ``i`` for :math:`z_i = 0` (i < d) and ``d + j`` for
    :math:`(Cz)_j = 1`.

    Examples
    --------
    The unit simplex corner region :math:`\\{z \\ge 0, z_1 + z_2 \\le 1\\}`:

    >>> C = np.array([[Fraction(1), Fraction(1)]], dtype=object)
    >>> sorted(v for v, _ in polytope_vertices(C))
    [(Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))]
    """
    r, d = C.shape
    n_con = d + r
    n_bases = math.comb(n_con, d)
    if n_bases > max_bases:
        raise GameError("game", f"vertex enumeration would examine {n_bases} bases (max_bases={max_bases})", (r, d))
    Cf = np.asarray(C, dtype=float)
    G = np.vstack([-np.eye(d), Cf])
    h = np.concatenate([np.zeros(d), np.ones(r)])
    Gx = [[Fraction(-1) if i == j else Fraction(0) for j in range(d)] for i in range(d)] + [list(C[j]) for j in range(r)]
    hx = [Fraction(0)] * d + [Fraction(1)] * r

    found: dict[tuple[Fraction, ...], frozenset[int]] = {}
    chunk = 20_000
    combos_iter = itertools.combinations(range(n_con), d)
    while True:
        block = list(itertools.islice(combos_iter, chunk))
        if not block:
            break
        idx = np.array(block, dtype=np.intp)
        M = G[idx]
        rhs = h[idx]
        s = np.linalg.svd(M, compute_uv=False)
        with np.errstate(divide="ignore"):
            cond = np.where(s[:, -1] > 0, s[:, 0] / np.where(s[:, -1] > 0, s[:, -1], 1.0), np.inf)
        good = cond < _COND_SCREEN
        borderline = (cond >= _COND_SCREEN) & (cond < _COND_SINGULAR)
        cand: list[int] = []
        if good.any():
            z = np.linalg.solve(M[good], rhs[good][..., None])[..., 0]
            feas = (z >= -_FEAS_TOL).all(axis=1) & (z @ Cf.T <= 1 + _FEAS_TOL).all(axis=1)
            # every float-feasible basis is re-solved exactly: rounding floats to merge bases could
            # merge distinct vertices that lie close together (payoffs of very different scales)
            cand.extend(int(k) for k in np.flatnonzero(good)[feas])
        cand.extend(int(k) for k in np.flatnonzero(borderline))
        for k in cand:
            basis = block[k]
            zx = solve_exact([Gx[i] for i in basis], [hx[i] for i in basis])
            if zx is None or any(v < 0 for v in zx):
                continue
            cz = [sum((c * v for c, v in zip(C[j], zx, strict=True)), Fraction(0)) for j in range(r)]
            if any(v > 1 for v in cz):
                continue
            vert = tuple(zx)
            if vert not in found:
                tight = frozenset([i for i in range(d) if zx[i] == 0] + [d + j for j in range(r) if cz[j] == 1])
                found[vert] = tight
    return sorted(found.items())


# ---------------------------------------------------------------------------------------------
# graph helpers: components and maximal bicliques of the extreme-equilibrium graph


def _components(edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components of a bipartite graph given by edges (row id, col id); returns edge indices."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r, c in edges:
        ra, rb = find(("r", r)), find(("c", c))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[str, int], list[int]] = {}
    for k, (r, _) in enumerate(edges):
        groups.setdefault(find(("r", r)), []).append(k)
    return sorted(groups.values())


def _maximal_bicliques(edges: Iterable[tuple[int, int]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Maximal complete bipartite subgraphs (formal concepts) of a bipartite edge set."""
    nbr: dict[int, frozenset[int]] = {}
    for r, c in edges:
        nbr[r] = nbr.get(r, frozenset()) | {c}
    closed: set[frozenset[int]] = set()
    frontier = set(nbr.values())
    while frontier:
        closed |= frontier
        new = set()
        for ys in frontier:
            for n in nbr.values():
                inter = ys & n
                if inter and inter not in closed:
                    new.add(inter)
        frontier = new
    out = []
    for ys in closed:
        xs = tuple(sorted(r for r, n in nbr.items() if ys <= n))
        out.append((xs, tuple(sorted(ys))))
    # keep only maximal pairs (a closed column set with its full row set is maximal by construction)
    return sorted(set(out))


# ---------------------------------------------------------------------------------------------
# the routes


def vertex_enumeration(game: Any, B: Any = None, *, max_bases: int = MAX_BASES) -> EquilibriumResult:
    """All extreme equilibria of a bimatrix game, exactly, grouped into components.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A two-player game, or the row player's payoff matrix A (then give ``B``).
    B : array_like, optional
        The column player's payoff matrix.
    max_bases : int
        Refuse games whose polytopes have more bases than this (a guard on run time).

    Returns
    -------
    EquilibriumResult
        ``method="vertex-enumeration"``, ``complete=True``; for degenerate games
        ``degenerate=True``, components with their maximal Nash subsets and a warning.

    Raises
    ------
    GameError
        When the game is not two-player or too large for ``max_bases``.

    Warns
    -----
    DegenerateGameWarning
        When the game is degenerate.

    Examples
    --------
    Battle of the sexes: two pure equilibria and one mixed.

    >>> r = vertex_enumeration([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> [[[str(p) for p in s] for s in e.strategies] for e in r.equilibria]
    [[['1', '0'], ['1', '0']], [['3/5', '2/5'], ['2/5', '3/5']], [['0', '1'], ['0', '1']]]
    >>> r.degenerate, r.complete, r.max_regret
    (False, True, Fraction(0, 1))
    """
    g = _as_game(game, B)
    A, Bm = g.exact_payoffs()
    m, n = g.shape
    Ap, Bp = _shifted(A), _shifted(Bm)
    # P: x >= 0, B'^T x <= 1; local tight i<m -> label i; m+j -> label m+j
    vp = polytope_vertices(np.ascontiguousarray(Bp.T), max_bases=max_bases)
    # Q: y >= 0, A' y <= 1; local tight j<n -> label m+j; n+i -> label i
    vq_local = polytope_vertices(Ap, max_bases=max_bases)
    vq = [(v, frozenset((m + t) if t < n else (t - n) for t in tight)) for v, tight in vq_local]
    degenerate = any(len(t) > m for _, t in vp) or any(len(t) > n for _, t in vq)
    full = frozenset(range(m + n))
    xs = [(v, t) for v, t in vp if any(v)]
    ys = [(v, t) for v, t in vq if any(v)]
    pairs = []
    for i, (_x, tx) in enumerate(xs):
        for j, (_y, ty) in enumerate(ys):
            if tx | ty == full:
                pairs.append((i, j))
    return _assemble(g, "vertex-enumeration", xs, ys, pairs, degenerate=degenerate, complete=True)


def _affine_dim(points: Sequence[Sequence[Fraction]]) -> int:
    """Affine dimension of a finite point set."""
    if len(points) <= 1:
        return 0
    arr = np.array([[float(x) for x in p] for p in points])
    return int(np.linalg.matrix_rank(arr[1:] - arr[0], tol=1e-12))


def _normalise(v: Sequence[Fraction]) -> tuple[Fraction, ...]:
    s = sum(v)
    return tuple(x / s for x in v)


def _assemble(g, method, xs, ys, pairs, *, degenerate: bool, complete: bool, extra_warnings=()) -> EquilibriumResult:
    exact = g.exact
    row_pts = {i: _normalise(xs[i][0]) for i, _ in pairs}
    col_pts = {j: _normalise(ys[j][0]) for _, j in pairs}
    comps_edges = _components(pairs)
    # order components by their first extreme equilibrium (deterministic)
    records: list[Equilibrium] = []
    comp_records: list[Component] = []
    staged = []
    for edge_ids in comps_edges:
        eqs = [make_equilibrium(g, (row_pts[pairs[k][0]], col_pts[pairs[k][1]]), exact=True) for k in edge_ids]
        staged.append((min(sort_key(e) for e in eqs), edge_ids, eqs))
    staged.sort(key=lambda t: t[0])
    for ci, (_, edge_ids, eqs) in enumerate(staged):
        local = [pairs[k] for k in edge_ids]
        rows = sorted({r for r, _ in local}, key=lambda r: tuple(-x for x in row_pts[r]))
        cols = sorted({c for _, c in local}, key=lambda c: tuple(-x for x in col_pts[c]))
        rmap = {r: a for a, r in enumerate(rows)}
        cmap = {c: a for a, c in enumerate(cols)}
        bicl = _maximal_bicliques([(rmap[r], cmap[c]) for r, c in local])
        order = sorted(range(len(eqs)), key=lambda k: sort_key(eqs[k]))
        start = len(records)
        for k in order:
            e = eqs[k]
            records.append(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=ci))
        conv = (lambda p: p) if exact else (lambda p: tuple(float(x) for x in p))
        dim = max(_affine_dim([row_pts[rows[i]] for i in rr]) + _affine_dim([col_pts[cols[i]] for i in cc]) for rr, cc in bicl)
        comp_records.append(
            Component(
                points=tuple(range(start, len(records))),
                dimension=dim,
                row_points=tuple(conv(row_pts[r]) for r in rows),
                col_points=tuple(conv(col_pts[c]) for c in cols),
                maximal_subsets=tuple(bicl),
            )
        )
    warn = list(extra_warnings)
    if degenerate:
        n_cont = sum(1 for c in comp_records if c.dimension)
        warn.append(
            f"degenerate game: {len(records)} extreme equilibria in {len(comp_records)} components ({n_cont} of them continua); every convex combination within a maximal Nash subset is an equilibrium"
        )
        warnings.warn(warn[-1], DegenerateGameWarning, stacklevel=3)
    return _result(g, method, records, comp_records, degenerate=degenerate, complete=complete, warns=warn)


def _result(g, method, records, comps, *, degenerate, complete, warns, tolerance=None, allow_empty=False) -> EquilibriumResult:
    exact = g.exact and all(e.exact for e in records)
    if tolerance is None:
        tolerance = Fraction(0) if exact else 1e-9 * g.payoff_scale()
    zero = Fraction(0) if exact else 0.0
    max_regret = max((e.regret for e in records), default=zero)
    bad = [e for e in records if e.regret > tolerance]
    if bad:  # an internal error: never return an unchecked equilibrium
        raise RuntimeError(f"{method}: an equilibrium failed its regret check ({bad[0].regret} > {tolerance})")
    if not records and not allow_empty:
        raise RuntimeError(f"{method}: found no equilibrium (every finite game has one)")
    return EquilibriumResult(
        method=method,
        game=g,
        equilibria=tuple(records),
        components=tuple(comps),
        degenerate=degenerate,
        complete=complete,
        tolerance=tolerance,
        max_regret=max_regret,
        warnings=tuple(warns),
        versions=tool_versions(),
    )


def is_degenerate(game: Any, B: Any = None) -> bool:
    """Whether a bimatrix game is degenerate: some point of P has more than m labels or of Q more than n.

    (von Stengel 2007, Def. 3.5 and Thm 3.6: equivalently, some mixed strategy with support size
    k has more than k pure best responses.) Decided exactly on the vertices of the polytopes.

    >>> is_degenerate([[3, 0], [0, 2]], [[2, 0], [0, 3]]), is_degenerate([[1, 1], [0, 0]], [[1, 1], [0, 0]])
    (False, True)
    """
    g = _as_game(game, B)
    A, Bm = g.exact_payoffs()
    m, n = g.shape
    vp = polytope_vertices(np.ascontiguousarray(_shifted(Bm).T))
    vq = polytope_vertices(_shifted(A))
    return any(len(t) > m for _, t in vp) or any(len(t) > n for _, t in vq)


def support_enumeration(game: Any, B: Any = None) -> EquilibriumResult:
    """All equilibria of a nondegenerate bimatrix game by exact support enumeration.

    For supports :math:`I, J` of equal size k, solve (exactly)
    :math:`\\sum_{j \\in J} A_{ij} y_j = v\\ (i \\in I)`, :math:`\\sum_J y_j = 1` and
    :math:`\\sum_{i \\in I} B_{ij} x_i = u\\ (j \\in J)`, :math:`\\sum_I x_i = 1`; keep
    solutions with :math:`x_I, y_J > 0` against which no strategy outside the support does
    better (von Stengel 2007, Alg. 3.4). Complete for nondegenerate games; for a degenerate game
    (:func:`is_degenerate`) the result says ``complete=False`` and warns: use
    :func:`vertex_enumeration` for its equilibrium set.

    Examples
    --------
    >>> r = support_enumeration([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [[str(p) for p in s] for s in r.equilibria[0].strategies], r.complete
    ([['1/2', '1/2'], ['1/2', '1/2']], True)
    """
    g = _as_game(game, B)
    A, Bm = g.exact_payoffs()
    Af, Bf = np.asarray(A, dtype=float), np.asarray(Bm, dtype=float)
    m, n = g.shape
    scale = g.payoff_scale()
    found: dict[tuple, tuple] = {}
    for k in range(1, min(m, n) + 1):
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                # float screen (singular or clearly infeasible systems are skipped or re-checked exactly)
                y = _indiff_float(Af[np.ix_(I, J)], scale)
                if y is not None and (y < -_FEAS_TOL).any():
                    continue
                x = _indiff_float(Bf[np.ix_(I, J)].T, scale)
                if x is not None and (x < -_FEAS_TOL).any():
                    continue
                ye = _indiff_exact(A[np.ix_(I, J)])
                xe = _indiff_exact(Bm[np.ix_(I, J)].T)
                if ye is None or xe is None:  # no unique solution on these supports
                    continue
                (yv, v), (xv, u) = ye, xe
                if any(t <= 0 for t in yv) or any(t <= 0 for t in xv):
                    continue
                yfull = [Fraction(0)] * n
                for j, t in zip(J, yv, strict=True):
                    yfull[j] = t
                xfull = [Fraction(0)] * m
                for i, t in zip(I, xv, strict=True):
                    xfull[i] = t
                row_vals = [sum((A[i][j] * yfull[j] for j in range(n)), Fraction(0)) for i in range(m)]
                col_vals = [sum((Bm[i][j] * xfull[i] for i in range(m)), Fraction(0)) for j in range(n)]
                if max(row_vals) > v or max(col_vals) > u:
                    continue
                found[(tuple(xfull), tuple(yfull))] = (xfull, yfull)
    degenerate = is_degenerate(g)
    eqs = sorted((make_equilibrium(g, prof, exact=True) for prof in found.values()), key=sort_key)
    records = [Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=i) for i, e in enumerate(eqs)]
    comps = [Component(points=(i,), dimension=None if degenerate else 0) for i in range(len(records))]
    warns = []
    if degenerate:
        warns.append("degenerate game: support enumeration over equal-size supports may miss equilibria and continua; use vertex enumeration")
        warnings.warn(warns[-1], IncompleteEnumerationWarning, stacklevel=2)
    if not records:  # degenerate games can defeat equal-size support enumeration entirely
        return vertex_enumeration(g)
    return _result(g, "support-enumeration", records, comps, degenerate=degenerate, complete=not degenerate, warns=warns)


def _indiff_float(M: np.ndarray, scale: float) -> np.ndarray | None:
    """Float solve of M y = v 1, 1^T y = 1; None when (nearly) singular."""
    k = M.shape[0]
    sysm = np.zeros((k + 1, k + 1))
    sysm[:k, :k] = M / scale
    sysm[:k, k] = -1.0
    sysm[k, :k] = 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    if np.linalg.cond(sysm) > _COND_SCREEN:
        return None
    return np.linalg.solve(sysm, rhs)[:k]


def _indiff_exact(M: np.ndarray) -> tuple[list[Fraction], Fraction] | None:
    """Exact solve of M y = v 1, 1^T y = 1 -> (y, v); None when singular."""
    k = M.shape[0]
    rows = [[M[i][j] for j in range(k)] + [Fraction(-1)] for i in range(k)]
    rows.append([Fraction(1)] * k + [Fraction(0)])
    sol = solve_exact(rows, [Fraction(0)] * k + [Fraction(1)])
    if sol is None:
        return None
    return sol[:k], sol[k]


def nashpy_equilibria(game: Any, B: Any = None, *, algorithm: str = "vertex") -> EquilibriumResult:
    """The equilibria nashpy finds (``vertex`` or ``support`` enumeration), in floats.

    A second implementation for cross-checks. nashpy computes in floats and can lose or garble
    vertices (its support enumeration finds 71 and 74 of the 75 equilibria of von Stengel's 6 x 6
    game in our tests), so this route never certifies completeness: ``complete`` is ``False``.
    nashpy works in floats: points whose regret exceeds ``1e-9 x max|payoff|`` are dropped (with a
    warning), so on badly scaled games the result may even be empty.

    >>> r = nashpy_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> len(r.equilibria), r.max_regret < 1e-9
    (3, True)
    """
    import nashpy
    from scipy.spatial import QhullError

    g = _as_game(game, B)
    A, Bm = (np.asarray(x, dtype=float) for x in g.bimatrix())
    # equilibria are invariant to positive affine maps of each player's payoffs: hand nashpy
    # payoffs in [1, 2] (its polytopes need positive payoffs and are better conditioned there)
    ng = nashpy.Game(*(1.0 + (u - u.min()) / max(np.ptp(u), 1e-300) for u in (A, Bm)))
    if algorithm not in ("vertex", "support"):
        raise GameError("algorithm", "must be 'vertex' or 'support'", algorithm)
    fallback = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if algorithm == "vertex":
            try:
                raw = list(ng.vertex_enumeration())
            except QhullError as exc:  # qhull rejects 1-dimensional polytopes (a player with one strategy)
                fallback = f"nashpy's vertex enumeration failed ({type(exc).__name__}); its support enumeration was used"
                algorithm = "support"
        if algorithm == "support":
            raw = list(ng.support_enumeration(non_degenerate=False, tol=1e-12))
    # nashpy's vertices are unrounded floats; clip tiny negatives and renormalise before checking
    uniq: dict[tuple, tuple] = {}
    for x, y in raw:
        x = np.clip(np.asarray(x, dtype=float), 0.0, None)
        y = np.clip(np.asarray(y, dtype=float), 0.0, None)
        x, y = x / x.sum(), y / y.sum()
        uniq.setdefault(tuple(np.round(np.concatenate([x, y]), 7)), (x, y))
    fg = NormalFormGame.from_arrays([A, Bm], players=g.players, strategies=g.strategies, title=g.title)
    tol = 1e-9 * g.payoff_scale()
    eqs = sorted((make_equilibrium(fg, prof, exact=False) for prof in uniq.values()), key=sort_key)
    dropped = [e for e in eqs if e.regret > tol]
    eqs = [e for e in eqs if e.regret <= tol]
    records = [Equilibrium(e.strategies, e.payoffs, e.regret, False, component=i) for i, e in enumerate(eqs)]
    comps = [Component(points=(i,), dimension=None) for i in range(len(records))]
    degenerate = is_degenerate(g)
    warns = ["nashpy works in floats and does not certify that it found every equilibrium"] + ([fallback] if fallback else [])
    if not eqs:
        warns.append("nashpy returned no point that passes the regret check")
    if dropped:
        worst = max(e.regret for e in dropped)
        warns.append(f"nashpy returned {len(dropped)} point(s) with regret above {tol:.3g} (worst {worst:.3g}): dropped")
        warnings.warn(warns[-1], IncompleteEnumerationWarning, stacklevel=2)
    return _result(fg, f"nashpy-{algorithm}-enumeration", records, comps, degenerate=degenerate, complete=False, warns=warns, tolerance=tol, allow_empty=True)


def bimatrix_equilibria(game: Any, B: Any = None, *, method: str = "vertex") -> EquilibriumResult:
    """All equilibria of a bimatrix game: ``method`` is ``vertex`` (default), ``support`` or ``nashpy``.

    >>> bimatrix_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]).method
    'vertex-enumeration'
    """
    if method == "vertex":
        return vertex_enumeration(game, B)
    if method == "support":
        return support_enumeration(game, B)
    if method == "nashpy":
        return nashpy_equilibria(game, B)
    raise GameError("method", "must be 'vertex', 'support' or 'nashpy'", method)
