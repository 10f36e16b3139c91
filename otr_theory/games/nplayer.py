"""Nash equilibria of small n-player games: pure ones exactly, mixed ones by support enumeration.

Finding all equilibria of an n-player game (n >= 3) is hard in general: equilibria can be
irrational (Nash 1951's three-player poker; Nau, Gomez Canovas and Hansen 2004, sec. 4) and can
form continua. We enumerate support profiles (Porter, Nudelman and Shoham 2008; McKelvey and
McLennan 1996 for the polynomial view). For every support profile :math:`(T_1, \\dots, T_n)`,
each player p must be indifferent among its support,

.. math:: U_p(t, \\sigma_{-p}) = U_p(t_0, \\sigma_{-p}) \\quad (t \\in T_p),

a square system of multilinear polynomial equations, and no strategy outside the support may do
better. Per support, cheapest test first:

1. *Pruning.* Strategies removed by iterated strict dominance (pure by pure) are in no support;
   a support profile in which a supported strategy is strictly dominated by a pure strategy,
   given that the others play inside their supports, is skipped (conditional dominance;
   Porter et al. 2008); so is one whose multihomogeneous Bézout number is zero when some player's
   equations have full column rank in the tensor of the others' probabilities (then only the zero
   vector solves them: ours, exact rank over the rationals).
2. *Two mixing players*: the system splits into two linear systems, solved exactly (Fractions).
   *Three players mixing over two strategies each*: a quadratic in one probability, in closed
   form (:func:`_three_binary_mixers`, ours); a degenerate case goes on to the homotopy.
3. *Three or more*: every isolated root by multihomogeneous homotopy continuation
   (:mod:`otr_theory.games.homotopy`), one path per multihomogeneous Bézout root -- 44 for five
   players with two strategies, where the total-degree Bézout number is 1024.
4. *Certificate of each root kept* (ours): Newton refinement to 50 digits (mpmath); a root whose
   rationalisation satisfies the indifference equations exactly is exact, and kept iff its regret
   is exactly 0 (Fractions); an irrational one is kept iff its 50-digit regret is at most
   :math:`10^{-30}` times the payoff scale and every supported probability exceeds that margin.
   Every kept equilibrium's regret is then recomputed independently (floats) and must be within
   :math:`10^{-9}` of the payoff scale.
5. *Fallback*: a support whose numeric answer is not trusted (a singular end point: a continuum or
   a multiple root; a failed path; path jumping; a zero Bézout number with equations of deficient
   rank) is solved exactly by a lex Gröbner basis (:mod:`otr_theory.games.nplayer_exact`).
6. *Batching* (ours): the homotopies of every support shape run as one padded numpy batch
   (:func:`otr_theory.games.homotopy.solve_padded_systems`), so numpy's per-call overhead is paid
   once per step rather than once per shape; the Farkas programs call HiGHS through SciPy's
   binding with one reused solver.

Continua (ours). Where a support's solution set is positive-dimensional, it is described exactly
when it is an affine space or a curve that is the graph of rational functions of one coordinate
(:func:`otr_theory.games.nplayer_exact.describe_continuum`): every connected piece of equilibria
with that support (its equations, the parameter's range or the polytope's inequalities, a sample
point, its dimension and the extreme points of its closure); an equilibrium lying in a piece's
closure joins its component. Otherwise the continuum is reported by one sample point and the
answer says ``complete=False``.

Honesty about completeness: ``complete=False`` when a continuum was met that is not described,
when a cap was reached (support profiles, the Bézout number of an exact fallback) or when the
time budget ran out; the result's warnings say which.

References
----------
Porter, R., Nudelman, E., Shoham, Y. (2008). Simple search methods for finding a Nash
equilibrium. Games and Economic Behavior 63, 642-662.
McKelvey, R. D., McLennan, A. (1996). Computation of equilibria in finite games. Handbook of
Computational Economics I, 87-142.
Nau, R., Gomez Canovas, S., Hansen, P. (2004). On the geometry of Nash equilibria and correlated
equilibria. International Journal of Game Theory 32, 443-453.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from otr_theory.games.homotopy import mh_bezout, solve_padded_systems
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

__all__ = [
    "MAX_BEZOUT",
    "MAX_SUPPORT_PROFILES",
    "bezout_number",
    "farkas_empty",
    "iterated_dominance",
    "nplayer_equilibria",
    "support_profiles",
]

LAST_STATS: dict[str, int] = {}
"""Counts from the last call (supports pruned by dominance, by a Farkas certificate, solved by homotopy, ...): for benchmarks."""

MAX_SUPPORT_PROFILES = 100_000
"""Default cap on the number of mixed support profiles examined."""

MAX_BEZOUT = 512
"""Default cap on the (total-degree) Bézout number of a support solved by the exact fallback.

Exact Gröbner bases grow fast with it: the 2x2x2x2 full-support system (Bézout number 81) takes
a fraction of a second, the 2x2x2x2x2 one (1024) more than ten minutes. The numeric path has no
such cap: its effort is the number of homotopy paths, checked against the time budget."""

_BATCH_PATHS = 4096  # homotopy paths tracked in one numpy batch
_DIGITS = 50
_MARGIN = mpmath.mpf("1e-30")


def _support_sizes(shape: Sequence[int]) -> list[tuple[int, ...]]:
    sizes = [t for t in itertools.product(*(range(1, k + 1) for k in shape)) if max(t) > 1]
    sizes.sort(key=lambda t: (sum(t), max(t), t))
    return sizes


def iter_support_profiles(strategies: Sequence[Sequence[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every support profile over the given strategies with someone mixing, smallest first (lazily)."""
    for sizes in _support_sizes([len(s) for s in strategies]):
        yield from itertools.product(*(itertools.combinations(s, k) for s, k in zip(strategies, sizes, strict=True)))


def count_support_profiles(shape: Sequence[int]) -> int:
    """How many support profiles with someone mixing: prod(2^k - 1) - prod(k).

    >>> count_support_profiles((2, 2, 2)), count_support_profiles((5, 4, 3))
    (19, 3195)
    """
    return math.prod(2**k - 1 for k in shape) - math.prod(shape)


def support_profiles(shape: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """Every support profile with at least one player mixing, smallest total size first.

    >>> len(support_profiles((2, 2, 2)))  # 3**3 profiles minus the 8 pure ones
    19
    """
    return list(iter_support_profiles([range(k) for k in shape]))


def _integer_payoffs(u: np.ndarray) -> np.ndarray:
    """The exact payoffs times the lcm of their denominators: an object array of ints."""
    den = 1
    for x in u.ravel():
        den = math.lcm(den, x.denominator)
    out = np.empty(u.shape, dtype=object)
    out.ravel()[:] = [int(x * den) for x in u.ravel()]
    return out


def _scaled_floats(a: np.ndarray, scale: int | None = None) -> np.ndarray:
    """An integer object array divided by ``scale`` (default: its largest magnitude) as floats.

    Exact integers of any size (a payoff of 1e-300 scales the others to hundreds of digits) become
    floats through Fractions, so nothing overflows.
    """
    if scale is None:
        scale = max([abs(int(x)) for x in a.ravel()] + [1])
    if scale < 2**53 and all(abs(int(x)) < 2**53 for x in a.ravel()):
        return np.asarray(a, dtype=float) / scale
    return np.array([float(Fraction(int(x), scale)) for x in a.ravel()], dtype=float).reshape(a.shape)


def iterated_dominance(u: np.ndarray) -> list[list[int]]:
    """Strategies that survive iterated strict dominance by pure strategies (exact).

    ``u`` has shape ``(n, |S_1|, ..., |S_n|)`` (ints or Fractions). A strictly dominated strategy is
    played in no Nash equilibrium, and removing it changes no equilibrium (Osborne and Rubinstein
    1994, sec. 4.2), so supports need only range over the survivors.

    >>> u = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=object)  # prisoner's dilemma
    >>> iterated_dominance(u)
    [[1], [1]]
    """
    n = u.shape[0]
    alive = [list(range(k)) for k in u.shape[1:]]
    changed = True
    while changed:
        changed = False
        for p in range(n):
            if len(alive[p]) < 2:
                continue
            sub = u[p][np.ix_(*alive)]
            sub = np.moveaxis(sub, p, 0).reshape(len(alive[p]), -1)
            keep = []
            for i in range(len(alive[p])):
                if not any(j != i and all(a > b for a, b in zip(sub[j], sub[i], strict=True)) for j in range(len(alive[p]))):
                    keep.append(alive[p][i])
            if len(keep) < len(alive[p]):
                alive[p] = keep
                changed = True
    return alive


def _dominated(u: np.ndarray, supports: tuple[tuple[int, ...], ...], alive: Sequence[Sequence[int]], cache: dict | None = None) -> bool:
    """Whether some supported strategy is strictly dominated by a live pure one, others inside their supports.

    Which of player p's strategies are dominated depends only on the others' supports: ``cache``
    (one dict per game) keeps that set per (p, others' supports), so each is computed once.
    """
    n = len(supports)
    for p in range(n):
        if len(supports[p]) == 1 and all(len(s) == 1 for q, s in enumerate(supports) if q != p):
            continue
        key = (p, tuple(s for q, s in enumerate(supports) if q != p))
        dom = None if cache is None else cache.get(key)
        if dom is None:
            idx = [list(s) if q != p else list(alive[p]) for q, s in enumerate(supports)]
            sub = np.moveaxis(u[p][np.ix_(*idx)], p, 0).reshape(len(alive[p]), -1)
            dom = frozenset(t for i, t in enumerate(alive[p]) if np.any(np.all(sub > sub[i], axis=1)))
            if cache is not None:
                cache[key] = dom
        if any(t in dom for t in supports[p]):
            return True
    return False


def bezout_number(supports: Sequence[Sequence[int]]) -> int:
    """Product of the degrees of a support profile's indifference equations (total-degree Bézout number).

    Player p contributes :math:`|T_p| - 1` equations, each of degree the number of *other*
    players who mix (only their probabilities appear).

    >>> bezout_number(((0, 1),) * 5), bezout_number(((0, 1, 2),) * 3), bezout_number(((0,), (0, 1)))
    (1024, 64, 1)
    """
    mixing = [len(s) > 1 for s in supports]
    out = 1
    for p, s in enumerate(supports):
        deg = sum(mixing) - (1 if mixing[p] else 0)
        out *= max(deg, 1) ** (len(s) - 1)
    return out


def _tensors(ui: np.ndarray, supports, groups: Sequence[int] | None = None) -> tuple[list[int], list[np.ndarray]]:
    """Mixing players and, for each, D_p = payoff differences over the other mixing players' supports (ints).

    With ``groups`` (a superset of the mixing players), the tensors are over those players
    instead; a group player who does not mix here has one row less than its support (none) and
    an axis of length one (the padded form of :func:`otr_theory.games.homotopy.solve_padded_systems`).
    """
    n = len(supports)
    mixing = [p for p in range(n) if len(supports[p]) > 1] if groups is None else list(groups)
    out = []
    for p in mixing:
        idx = tuple(list(s) if q in mixing or q == p else [s[0]] for q, s in enumerate(supports))
        sub = ui[p][np.ix_(*idx)]
        # drop the axes of the players who do not mix (length one), keep p's axis first
        sub = np.moveaxis(sub, p, 0)
        keep = [q for q in range(n) if q != p]
        shape = [sub.shape[0]] + [sub.shape[1 + i] for i, q in enumerate(keep) if q in mixing]
        sub = sub.reshape(shape)
        out.append(sub[1:] - sub[0:1])
    return mixing, out


def _rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over the rationals and its pivot columns."""
    a = [list(r) for r in rows]
    piv_cols = []
    r = 0
    ncol = len(a[0]) if a else 0
    for c in range(ncol):
        piv = next((i for i in range(r, len(a)) if a[i][c] != 0), None)
        if piv is None:
            continue
        a[r], a[piv] = a[piv], a[r]
        inv = 1 / a[r][c]
        a[r] = [x * inv for x in a[r]]
        for i in range(len(a)):
            if i != r and a[i][c] != 0:
                f = a[i][c]
                a[i] = [x - f * y for x, y in zip(a[i], a[r], strict=True)]
        piv_cols.append(c)
        r += 1
        if r == len(a):
            break
    return a[:r], piv_cols


def _nullspace(rows: list[list[int]], ncol: int) -> list[list[Fraction]]:
    """A basis of the null space of an integer matrix, exactly."""
    red, piv = _rref([[Fraction(int(x)) for x in r] for r in rows]) if rows else ([], [])
    free = [c for c in range(ncol) if c not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * ncol
        v[f] = Fraction(1)
        for i, c in enumerate(piv):
            v[c] = -red[i][f]
        basis.append(v)
    return basis


def _poly_gcd_degree(polys: list[list[Fraction]]) -> int:
    """Degree of the gcd of univariate polynomials (coefficients highest first, over Q); -1 if all zero."""

    def trim(a):
        i = 0
        while i < len(a) and a[i] == 0:
            i += 1
        return a[i:]

    def rem(a, b):
        a = list(a)
        while len(a) >= len(b) and a:
            f = a[0] / b[0]
            for i in range(len(b)):
                a[i] -= f * b[i]
            a = trim(a[1:]) if a[0] == 0 else trim(a)
        return a

    g: list[Fraction] = []
    for p in polys:
        p = trim(p)
        if not p:
            continue
        if not g:
            g = p
            continue
        a, b = g, p
        while b:
            a, b = b, rem(a, b)
        g = a
    return len(g) - 1 if g else -1


def _pencil_meets_rank_one(n1: np.ndarray, n2: np.ndarray) -> bool:
    """Whether some nonzero alpha n1 + beta n2 (two matrices) has rank at most one (over C; exact).

    Every 2x2 minor of the pencil is a binary quadratic form in (alpha, beta); a common zero exists
    iff beta = 0 works (n1 has rank <= 1) or the minors' dehomogenised gcd has positive degree.
    """
    a, b = n1, n2
    rows, cols = a.shape
    quads = []
    for i, j in itertools.combinations(range(rows), 2):
        for k, l in itertools.combinations(range(cols), 2):
            c2 = a[i, k] * a[j, l] - a[i, l] * a[j, k]
            c0 = b[i, k] * b[j, l] - b[i, l] * b[j, k]
            c1 = a[i, k] * b[j, l] + b[i, k] * a[j, l] - a[i, l] * b[j, k] - b[i, l] * a[j, k]
            quads.append([c2, c1, c0])
    if all(q[0] == 0 for q in quads):
        return True  # beta = 0: n1 itself has rank <= 1
    return _poly_gcd_degree(quads) != 0


def _provably_empty(tensors: list[np.ndarray]) -> bool:
    """Exact linear algebra shows that no nonzero probability vectors solve some player's equations (ours).

    Player p's equations say ``D_p v = 0`` for ``v`` the outer product of the other mixing players'
    vectors: a nonzero tensor of rank one. If the null space of the flattened ``D_p`` is ``{0}``, or
    is spanned by one tensor that is not of rank one (some unfolding has rank two or more), no such
    ``v`` exists and the support holds no equilibrium.
    """
    for d in tensors:
        if d.ndim < 2:
            continue
        flat = d.reshape(d.shape[0], -1)
        if flat.shape[0] + 2 < flat.shape[1]:
            continue  # a null space of dimension >= 3: not decided here
        null = _nullspace(flat.tolist(), flat.shape[1])
        if not null:
            return True
        if len(null) == 2 and d.ndim == 3:
            n1 = np.array(null[0], dtype=object).reshape(d.shape[1:])
            n2 = np.array(null[1], dtype=object).reshape(d.shape[1:])
            if not _pencil_meets_rank_one(n1, n2):
                return True
        if len(null) == 1 and d.ndim >= 3:
            t = np.array(null[0], dtype=object).reshape(d.shape[1:])
            for ax in range(t.ndim):
                unf = np.moveaxis(t, ax, 0).reshape(t.shape[ax], -1)
                if len(_rref(unf.tolist())[1]) >= 2:
                    return True
    return False


def farkas_empty(ui: np.ndarray, supports) -> bool:
    """An exactly verified Farkas certificate that the support profile holds no equilibrium (ours).

    If an equilibrium has supports :math:`T`, then for every player p the distribution
    :math:`v = \\otimes_{q \\ne p} \\sigma_q` on :math:`T_{-p}` is strictly positive and satisfies
    :math:`D_p v = 0` (indifference on :math:`T_p`) and :math:`W_p v \\le 0` (no strategy outside
    :math:`T_p` does better): a correlated relaxation of the support's conditions. By Motzkin's
    transposition theorem no strictly positive v satisfies both iff some :math:`y` and
    :math:`z \\ge 0` give :math:`w = D_p^T y + W_p^T z \\ge 0`, :math:`w \\ne 0` (then
    :math:`0 < w \\cdot v = y \\cdot D_p v + z \\cdot W_p v \\le 0`, a contradiction). A linear
    program (HiGHS) proposes y and z; they are rationalised and the certificate is checked in
    integers, so a float error can only cost a pruning, never an equilibrium.
    """
    n = len(supports)
    for p in range(n):
        outside = [t for t in range(ui.shape[p + 1]) if t not in supports[p]]
        if len(supports[p]) == 1 and not outside:
            continue
        idx = [list(range(ui.shape[p + 1])) if q == p else list(s) for q, s in enumerate(supports)]
        sub = np.moveaxis(ui[p][np.ix_(*idx)], p, 0).reshape(ui.shape[p + 1], -1)
        t0 = supports[p][0]
        rows = [sub[t] - sub[t0] for t in supports[p][1:]] + [sub[t] - sub[t0] for t in outside]
        k = len(supports[p]) - 1
        mat = np.array(rows, dtype=object)  # (k + |outside|, C) ints
        x = _farkas_lp(_scaled_floats(mat), k)
        if x is None:
            continue
        for conv in (lambda a: Fraction(a).limit_denominator(10**9), Fraction):
            y = [conv(float(a)) for a in x]
            for i in range(k, len(y)):
                y[i] = max(y[i], Fraction(0))
            den = 1
            for a in y:
                den = math.lcm(den, a.denominator)
            yi = np.array([int(a * den) for a in y], dtype=object)
            w = yi @ mat  # exact: Python integers
            if min(w) >= 0 and max(w) > 0:
                return True
    return False


_HIGHS: Any = None


def _highs_core():
    """SciPy's HiGHS binding, loaded without importing all of ``scipy.optimize`` (about 1 s).

    The extension module is loaded from its file under its own name and registered in
    ``sys.modules``, so a later ``import scipy.optimize`` reuses this very module; on any other
    SciPy layout the ordinary import is used.
    """
    import importlib.util
    import pathlib
    import sys

    name = "scipy.optimize._highspy._core"
    if name in sys.modules:
        return sys.modules[name]
    try:
        import scipy

        so = next((pathlib.Path(scipy.__file__).parent / "optimize" / "_highspy").glob("_core*"))
        spec = importlib.util.spec_from_file_location(name, so)
        if spec is None or spec.loader is None:
            raise ImportError(name)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        sys.modules[name] = mod
        return mod
    except (ImportError, StopIteration, OSError):  # pragma: no cover - another SciPy layout
        from scipy.optimize._highspy import _core

        return _core


def _farkas_lp(fm: np.ndarray, k: int) -> np.ndarray | None:
    """A point of {x : x_i >= 0 for i >= k, x @ fm >= 0, sum(x @ fm) = 1} by HiGHS, or None (floats).

    HiGHS is called through SciPy's bundled binding with one reused solver object: ``linprog``'s
    validation and option checks cost about 3 ms a call against well under 1 ms for these tiny
    programs. Where that private binding is missing, ``scipy.optimize.linprog`` does the same.
    Only a proposal: :func:`farkas_empty` verifies it exactly.
    """
    global _HIGHS
    nv, ncol = fm.shape
    if _HIGHS is None:
        try:
            hc = _highs_core()
            h = hc._Highs()
            h.setOptionValue("output_flag", False)
            h.setOptionValue("presolve", "off")  # tiny dense programs: presolve costs more than it saves
            _HIGHS = (hc, h)
        except (ImportError, AttributeError):  # pragma: no cover - another SciPy layout
            _HIGHS = False
    if _HIGHS is False:  # pragma: no cover - another SciPy layout
        from scipy.optimize import linprog

        res = linprog(
            np.zeros(nv),
            A_ub=-fm.T,
            b_ub=np.zeros(ncol),
            A_eq=fm.sum(axis=1)[None, :],
            b_eq=[1.0],
            bounds=[(None, None)] * k + [(0, None)] * (nv - k),
            method="highs",
        )
        return res.x if res.status == 0 else None
    hc, h = _HIGHS
    inf = hc.kHighsInf
    lp = hc.HighsLp()
    lp.num_col_ = nv
    lp.num_row_ = ncol + 1
    lp.col_cost_ = np.zeros(nv)
    lp.col_lower_ = np.concatenate([np.full(k, -inf), np.zeros(nv - k)])
    lp.col_upper_ = np.full(nv, inf)
    lp.row_lower_ = np.concatenate([np.zeros(ncol), [1.0]])
    lp.row_upper_ = np.concatenate([np.full(ncol, inf), [1.0]])
    a = lp.a_matrix_
    a.format_ = hc.MatrixFormat.kColwise
    a.num_col_ = nv
    a.num_row_ = ncol + 1
    a.start_ = np.arange(0, (ncol + 1) * nv + 1, ncol + 1, dtype=np.int32)
    a.index_ = np.tile(np.arange(ncol + 1, dtype=np.int32), nv)
    a.value_ = np.hstack([fm, fm.sum(axis=1)[:, None]]).ravel()  # column j of the LP = row j of fm, then its sum
    lp.a_matrix_ = a
    h.clearModel()
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != hc.HighsModelStatus.kOptimal:
        return None
    return np.array(h.getSolution().col_value)


class _Support:
    """Exact evaluation of one support profile's payoffs at a candidate (Fractions or mpmath)."""

    def __init__(self, u: np.ndarray, supports):
        self.u = u
        self.supports = supports
        self.n = len(supports)
        self.shape = u.shape[1:]

    def values(self, prof: list[dict[int, Any]], p: int, zero: Any) -> list[Any]:
        """U_p(t, sigma_{-p}) for every pure strategy t of p."""
        others = [q for q in range(self.n) if q != p]
        weights = []
        for combo in itertools.product(*(list(prof[q].items()) for q in others)):
            w = None
            idx = [0] * self.n
            for q, (s, x) in zip(others, combo, strict=True):
                idx[q] = s
                w = x if w is None else w * x
            weights.append((idx, w if w is not None else 1))
        out = []
        for t in range(self.shape[p]):
            v = zero
            for idx, w in weights:
                idx[p] = t
                v += self.u[(p, *idx)] * w
            out.append(v)
        return out


def _float_screen(uf: np.ndarray, supports, mixing: list[int], root: list[np.ndarray]) -> bool:
    """A cheap float test before the 50-digit certificate: False when some outside strategy is clearly better.

    ``uf`` is the game's payoffs divided by their largest magnitude; the root is accurate to far
    better than the 1e-5 margin (the homotopy keeps only end points with a condition number below
    1e9 after Newton polishing), so a rejection here is never a lost equilibrium.
    """
    n = len(supports)
    prof = []
    for q in range(n):
        v = np.zeros(uf.shape[q + 1])
        if q in mixing:
            v[list(supports[q])] = root[mixing.index(q)].real
        else:
            v[supports[q][0]] = 1.0
        prof.append(v)
    for p in range(n):
        vals = uf[p]
        for q in reversed(range(n)):
            if q != p:
                vals = np.tensordot(vals, prof[q], axes=([q], [0]))
        if vals.max() > vals[supports[p][0]] + 1e-5:
            return False
    return True


def _certify(u_exact: np.ndarray, supports, mixing: list[int], root: list[np.ndarray], scale: float, float_u: np.ndarray | None = None):
    """Refine one numeric root to 50 digits and certify it.

    Returns ``(profile, exact)`` or ``None``: the profile per player over all strategies (Fractions
    when ``exact``, mpmath reals otherwise), kept only if it is an equilibrium (see the module
    docstring, step 4).
    """
    for v in root:
        if np.max(np.abs(v.imag)) > 1e-6 or np.min(v.real) < -1e-6:
            return None
    n = len(supports)
    if float_u is not None and not _float_screen(float_u, supports, mixing, root):
        return None
    sup = _Support(u_exact, supports)
    with mpmath.workdps(_DIGITS):
        # unknowns: every mixing player's probabilities on its support; equations: indifference + sum
        x = [mpmath.mpf(float(a)) for v in root for a in v.real]
        offs = np.concatenate([[0], np.cumsum([len(supports[q]) for q in mixing])]).astype(int)
        umf = {}

        def profile(xs):
            prof = []
            for q in range(n):
                if q in mixing:
                    i = mixing.index(q)
                    prof.append(dict(zip(supports[q], xs[offs[i] : offs[i + 1]], strict=True)))
                else:
                    prof.append({supports[q][0]: mpmath.mpf(1)})
            return prof

        ump = np.empty(u_exact.shape, dtype=object)
        ump.ravel()[:] = [mpmath.mpf(a.numerator) / a.denominator for a in u_exact.ravel()]
        msup = _Support(ump, supports)
        del umf

        def residual(xs):
            prof = profile(xs)
            res = []
            for q in mixing:
                vals = msup.values(prof, q, mpmath.mpf(0))
                t0 = supports[q][0]
                res.extend(vals[t] - vals[t0] for t in supports[q][1:])
            for i in range(len(mixing)):
                res.append(mpmath.fsum(xs[offs[i] : offs[i + 1]]) - 1)
            return res

        N = len(x)
        # chord Newton: one forward-difference Jacobian (its LU cached by mpmath) while the residual
        # falls by 1e6 a step -- the float root is already good to ~1e-14 -- else a fresh Jacobian
        J = None
        prev = None
        for _ in range(12):
            r = residual(x)
            rn = max(abs(a) for a in r)
            if rn < mpmath.mpf(10) ** (-(_DIGITS - 8)):
                break
            if J is None or (prev is not None and rn > prev * mpmath.mpf("1e-6")):
                h = mpmath.mpf(10) ** (-(_DIGITS // 2))
                J = mpmath.matrix(N, N)
                for j in range(N):
                    xj = list(x)
                    xj[j] += h
                    rj = residual(xj)
                    for i in range(N):
                        J[i, j] = (rj[i] - r[i]) / h
            prev = rn
            try:
                dx = mpmath.lu_solve(J, mpmath.matrix(r))
            except ZeroDivisionError:
                return None
            x = [a - dx[i] for i, a in enumerate(x)]
        if max(abs(a) for a in residual(x)) > mpmath.mpf(10) ** (-30) * scale:
            return None
        # exact? rationalise and check the indifference equations exactly
        fx = [Fraction(mpmath.nstr(a, _DIGITS - 5, min_fixed=-(10**9), max_fixed=10**9)).limit_denominator(10**12) for a in x]
        fprof = profile(fx)
        for q in range(n):
            if q not in mixing:
                fprof[q] = {supports[q][0]: Fraction(1)}
        exact_ok = all(sum(d.values()) == 1 for d in fprof)
        if exact_ok:
            for q in mixing:
                vals = sup.values(fprof, q, Fraction(0))
                if any(vals[t] != vals[supports[q][0]] for t in supports[q][1:]):
                    exact_ok = False
                    break
        if exact_ok:
            if any(a <= 0 for a in fx):
                return None  # an exact root with a zero probability: it belongs to a smaller support
            for q in range(n):
                vals = sup.values(fprof, q, Fraction(0))
                if max(vals) > vals[supports[q][0]]:
                    return None  # the exact root is not an equilibrium
            return [[d.get(t, Fraction(0)) for t in range(u_exact.shape[q + 1])] for q, d in enumerate(fprof)], True
        # irrational: the 50-digit regret decides
        prof = profile(x)
        margin = _MARGIN * scale
        if any(a <= margin for a in x):
            return None
        for q in range(n):
            vals = msup.values(prof, q, mpmath.mpf(0))
            if max(vals) > vals[supports[q][0]] + margin:
                return None
        return [[d.get(t, mpmath.mpf(0)) for t in range(u_exact.shape[q + 1])] for q, d in enumerate(prof)], False


def _linear_support(ui: np.ndarray, u_exact: np.ndarray, supports, mixing, tensors):
    """Two mixing players: each one's probabilities solve a square linear system, exactly.

    Returns a list of exact profiles, or ``None`` when a system is singular (exact fallback).
    """
    from otr_theory.games.bimatrix import solve_exact

    sol = {}
    for i, q in enumerate(mixing):
        d = tensors[1 - i]  # the other player's equations are linear in q's probabilities
        k = len(supports[q])
        if d.shape[0] != k - 1:
            return None
        rows = [[Fraction(int(a)) for a in r] for r in d.reshape(k - 1, k).tolist()] + [[Fraction(1)] * k]
        rhs = [Fraction(0)] * (k - 1) + [Fraction(1)]
        z = solve_exact(rows, rhs)
        if z is None:
            return None
        if min(z) <= 0:
            return []
        sol[q] = dict(zip(supports[q], z, strict=True))
    n = len(supports)
    prof = [sol.get(q, {supports[q][0]: Fraction(1)}) for q in range(n)]
    sup = _Support(u_exact, supports)
    for q in range(n):
        vals = sup.values(prof, q, Fraction(0))
        if max(vals) > vals[supports[q][0]]:
            return []
    return [[[d.get(t, Fraction(0)) for t in range(u_exact.shape[q + 1])] for q, d in enumerate(prof)]]


def _three_binary_mixers(tensors: list[np.ndarray]) -> list[list[np.ndarray]] | None:
    """Every root of the support system of three players who each mix over two strategies, in closed form (ours).

    With :math:`u_q` the probability of player q's second supported strategy, player p's
    indifference equation is bilinear in the other two: :math:`A_p u_a u_b + B_p u_a + C_p u_b
    + E_p = 0`. Player 0's equation gives :math:`u_1 = n_0(u_2) / d_0(u_2)`, player 1's gives
    :math:`u_0 = n_1(u_2) / d_1(u_2)` (both linear over linear), and player 2's equation times
    :math:`d_0 d_1` is a quadratic :math:`Q(u_2)` with integer coefficients:

    .. math:: A_2 n_1 n_0 + B_2 n_1 d_0 + C_2 n_0 d_1 + E_2 d_0 d_1 = 0.

    Its roots with :math:`d_0 d_1 \\ne 0` are exactly the system's solutions (at most 2, the
    multihomogeneous Bézout number) when no :math:`d_i` shares a root with its :math:`n_i`
    (else :math:`u` is free along a line) and :math:`Q \\not\\equiv 0`; otherwise ``None`` (the
    caller tracks the homotopy instead). Roots are returned as complex probability vectors for the
    certificate (rational roots are exact, irrational ones refined to 50 digits there).
    """

    def coeffs(d):
        d = d.reshape(2, 2)
        d00, d01, d10, d11 = (int(d[0, 0]), int(d[0, 1]), int(d[1, 0]), int(d[1, 1]))
        return d00 - d01 - d10 + d11, d10 - d00, d01 - d00, d00  # A u_a u_b + B u_a + C u_b + E

    a0, b0, c0, e0 = coeffs(tensors[0])  # in (u1, u2)
    a1, b1, c1, e1 = coeffs(tensors[1])  # in (u0, u2)
    a2, b2, c2, e2 = coeffs(tensors[2])  # in (u0, u1)
    # u1 (a0 w + b0) = -(c0 w + e0); u0 (a1 w + b1) = -(c1 w + e1); w = u2
    d0, n0 = (a0, b0), (-c0, -e0)
    d1, n1 = (a1, b1), (-c1, -e1)

    def mul(p, q):
        return (p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1])

    def common_root(d, n):
        # two polynomials of degree <= 1 share a root (or one vanishes identically)
        if d == (0, 0) or n == (0, 0):
            return True
        return d[0] * n[1] - d[1] * n[0] == 0 and (d[0] != 0 or n[0] != 0)

    if common_root(d0, n0) or common_root(d1, n1):
        return None
    terms = [(a2, mul(n1, n0)), (b2, mul(n1, d0)), (c2, mul(n0, d1)), (e2, mul(d0, d1))]
    qa, qb, qc = (sum(k * t[i] for k, t in terms) for i in range(3))
    if qa == qb == qc == 0:
        return None
    if qa == 0:
        ws = [Fraction(-qc, qb)] if qb != 0 else []
    else:
        disc = qb * qb - 4 * qa * qc
        if disc < 0:
            return []
        r = math.isqrt(disc)
        if r * r == disc:
            ws = sorted({Fraction(-qb + r, 2 * qa), Fraction(-qb - r, 2 * qa)})
        else:  # irrational: sqrt(disc) to 2^-200 in exact arithmetic (payoffs may be huge integers)
            sq = Fraction(math.isqrt(disc << 400), 1 << 200)
            ws = [(-qb + sq) / (2 * qa), (-qb - sq) / (2 * qa)]
    out = []
    for w in ws:
        dd0, dd1 = d0[0] * w + d0[1], d1[0] * w + d1[1]
        if dd0 == 0 or dd1 == 0:
            continue  # a root of the multiplier, not of the system
        u1 = (n0[0] * w + n0[1]) / dd0
        u0 = (n1[0] * w + n1[1]) / dd1
        out.append([np.array([1 - float(u), float(u)], dtype=complex) for u in (u0, u1, w)])
    return out


def nplayer_equilibria(
    game: NormalFormGame,
    *,
    max_support_profiles: int = MAX_SUPPORT_PROFILES,
    max_bezout: int = MAX_BEZOUT,
    time_budget: float | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    seed: int = 0,
) -> EquilibriumResult:
    """All Nash equilibria of a small n-player game: pure exactly, mixed by certified support enumeration.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players (two-player games are better served by
        :func:`otr_theory.games.bimatrix.vertex_enumeration`).
    max_support_profiles : int
        Examine at most this many mixed support profiles (smallest first); beyond it the result
        says ``complete=False``.
    max_bezout : int
        The exact fallback skips support systems whose Bézout number (:func:`bezout_number`)
        exceeds this; the result then says ``complete=False`` and names them.
    time_budget : float, optional
        Seconds. Supports are examined smallest first; when the budget is spent, or a support's
        estimated effort (its homotopy paths times the measured time per path) exceeds what is
        left, the rest is skipped and the result says ``complete=False``.
    progress : callable, optional
        Called as ``progress(done, total, stage)`` as the work advances; ``stage`` is "supports"
        (pruning and the linear supports), "homotopy" (support systems tracked) or "exact"
        (exact fallbacks).
    seed : int
        Seed of the homotopies' random start systems (results do not depend on it).

    Returns
    -------
    EquilibriumResult
        ``method="polynomial-support-enumeration"``; ``complete`` is ``False`` when a continuum
        was met (reported by a sample point), a cap was hit or the time ran out.

    Warns
    -----
    IncompleteEnumerationWarning
        When ``complete`` is ``False``.

    Examples
    --------
    Three-player matching pennies (Jordan 1993): player 1 wants to match player 2, player 2 to
    match player 3, player 3 to mismatch player 1; the unique equilibrium mixes 1/2-1/2.

    >>> s = np.indices((2, 2, 2))
    >>> u = [(s[0] == s[1]).astype(int), (s[1] == s[2]).astype(int), (s[2] != s[0]).astype(int)]
    >>> r = nplayer_equilibria(NormalFormGame.from_arrays(u))
    >>> [[str(p) for p in x] for x in r.equilibria[0].strategies], r.complete, len(r.equilibria)
    ([['1/2', '1/2'], ['1/2', '1/2'], ['1/2', '1/2']], True, 1)
    """
    if not isinstance(game, NormalFormGame):
        raise GameError("game", "must be a NormalFormGame", type(game).__name__)
    t_start = time.monotonic()
    deadline = None if time_budget is None else t_start + float(time_budget)
    u = game.exact_payoffs()
    ui = _integer_payoffs(u)
    scale_int = max(1, max(abs(int(x)) for x in ui.ravel()))
    cmp = ui.astype(float) if scale_int < 2**53 else ui  # exact either way
    scale = game.payoff_scale()
    uf_scaled = game.float_payoffs() / scale
    shape = game.shape
    records: list[tuple[Equilibrium, str, Any]] = []  # (equilibrium, note, ContinuumPiece or None)
    for s in pure_equilibria(game):
        prof = [[Fraction(int(i == s[p])) for i in range(k)] for p, k in enumerate(shape)]
        records.append((make_equilibrium(game, prof, exact=True), "", None))
    alive = iterated_dominance(ui)
    total = count_support_profiles([len(a) for a in alive])
    warns: list[str] = []
    complete = True
    if total > max_support_profiles:
        warns.append(f"{total} mixed support profiles exceed max_support_profiles={max_support_profiles}: only the {max_support_profiles} smallest were examined")
        complete = False
    continua = False
    skipped: list = []
    sec_per_path = 2e-3
    examined = 0
    out_of_time = False
    stats = LAST_STATS
    stats.clear()
    stats.update(dominated=0, farkas=0, homotopy=0, paths=0, linear=0, exact=0, empty=0)
    n_sup = min(total, max_support_profiles)
    homotopy_jobs: list[tuple[Any, list[int], list[np.ndarray], int]] = []  # (supports, mixing, tensors, paths)
    exact_jobs: list[tuple[Any, str]] = []

    def out_of(now_deadline: float | None) -> bool:
        return now_deadline is not None and time.monotonic() >= now_deadline

    dom_cache: dict = {}
    # phase 1: prune, solve the linear supports, queue the rest
    for supports in itertools.islice(iter_support_profiles(alive), max_support_profiles):
        if examined % 64 == 0:
            if progress is not None:
                progress(examined, n_sup, "supports")
            if out_of(deadline):
                out_of_time = True
                break
        examined += 1
        if _dominated(cmp, supports, alive, dom_cache):
            stats["dominated"] += 1
            continue
        mixing, tensors = _tensors(ui, supports)
        if len(mixing) == 1:
            if any(x != 0 for x in tensors[0].ravel()):
                continue  # the mixer is not indifferent against pure opponents
            exact_jobs.append((supports, "one-mixer"))  # indifferent: a polytope of equilibria may lie here
            continue
        dims = [len(supports[q]) - 1 for q in mixing]
        paths = mh_bezout(dims)
        if paths == 0:
            if _provably_empty(tensors):
                stats["empty"] += 1
                continue
            exact_jobs.append((supports, "bezout0"))
        elif len(mixing) == 2:
            sols = _linear_support(ui, u, supports, mixing, tensors)
            stats["linear"] += 1
            if sols is None:
                exact_jobs.append((supports, "linear-singular"))
            else:
                for prof in sols:
                    records.append((_equilibrium(game, prof, True, None), "", None))
        else:
            roots = _three_binary_mixers(tensors) if len(mixing) == 3 and all(len(supports[q]) == 2 for q in mixing) else None
            if roots is not None:
                stats["closed-form"] = stats.get("closed-form", 0) + 1
                for root in roots:
                    c = _certify(u, supports, mixing, root, scale, uf_scaled)
                    if c is not None:
                        alg = None if c[1] else _algebraic(supports, mixing, tensors)
                        records.append((_equilibrium(game, c[0], c[1], alg), "", None))
                continue
            if farkas_empty(ui, supports):
                stats["farkas"] += 1
                continue
            homotopy_jobs.append((supports, mixing, tensors, mh_bezout(dims)))
    if progress is not None:
        progress(examined, n_sup, "supports")
    # phase 2: homotopy, every support shape in one padded batch (in chunks of about _BATCH_PATHS paths)
    homotopy_jobs.sort(key=lambda job: job[3])
    groups = sorted({q for job in homotopy_jobs for q in job[1]})
    n_jobs = len(homotopy_jobs)
    done_jobs = 0
    c0 = 0
    while c0 < n_jobs:
        c1, paths = c0, 0
        while c1 < n_jobs and (c1 == c0 or paths + homotopy_jobs[c1][3] <= _BATCH_PATHS):
            paths += homotopy_jobs[c1][3]
            c1 += 1
        chunk = homotopy_jobs[c0:c1]
        if out_of_time or (deadline is not None and paths * sec_per_path > deadline - time.monotonic()):
            out_of_time = True
            skipped.extend((sup, f"{p} homotopy paths") for sup, _, _, p in homotopy_jobs[c0:])
            break
        t0 = time.monotonic()
        systems = []
        for supports, _, _, _ in chunk:
            _, gt = _tensors(ui, supports, groups)
            systems.append((tuple(len(supports[q]) for q in groups), [_scaled_floats(d, scale_int) for d in gt]))
        results = solve_padded_systems(systems, seed=seed)
        retry = [i for i, r in enumerate(results) if not r.ok]
        if retry:  # a second, independent random start system
            again = solve_padded_systems([systems[i] for i in retry], seed=seed + 7919)
            for i, r in zip(retry, again, strict=True):
                results[i] = r
        sec_per_path = max(1e-5, (time.monotonic() - t0) / paths)
        stats["homotopy"] += len(chunk)
        stats["paths"] += paths
        stats["batches"] = stats.get("batches", 0) + 1
        for (supports, mixing, tensors, _), res in zip(chunk, results, strict=True):
            if not res.ok:
                exact_jobs.append((supports, "homotopy-untrusted"))
                continue
            for groot in res.roots:
                root = [groot[groups.index(q)] for q in mixing]
                c = _certify(u, supports, mixing, root, scale, uf_scaled)
                if c is not None:
                    alg = None if c[1] else _algebraic(supports, mixing, tensors)
                    records.append((_equilibrium(game, c[0], c[1], alg), "", None))
        done_jobs += len(chunk)
        c0 = c1
        if progress is not None:
            progress(done_jobs, n_jobs, "homotopy")
    # phase 3: the exact fallback (Groebner bases) for whatever the numeric path could not settle
    for i, (supports, why) in enumerate(exact_jobs):
        if progress is not None:
            progress(i, len(exact_jobs), "exact")
        if out_of_time or out_of(deadline):
            out_of_time = True
            skipped.extend((sup, "time budget") for sup, _ in exact_jobs[i:])
            break
        if farkas_empty(ui, supports):
            stats["farkas"] += 1
            continue
        if bezout_number(supports) > max_bezout:
            skipped.append((supports, f"Bezout number {bezout_number(supports)} > max_bezout={max_bezout}"))
            continue
        from otr_theory.games.nplayer_exact import exact_support

        stats["exact"] += 1
        stats["exact:" + why] = stats.get("exact:" + why, 0) + 1
        cands, continuum, syms, basis, fixed = exact_support(u, supports)
        note = ""
        if continuum:
            from otr_theory.games.nplayer_exact import describe_continuum

            pieces = describe_continuum(u, supports)
            if pieces is not None:
                stats["described"] = stats.get("described", 0) + 1
                for piece in pieces:
                    alg = None if all(_is_rational(x) for row in piece.sample for x in row) else piece.equations
                    e = _equilibrium_exact_fallback(game, piece.sample, syms, alg)
                    if piece.dimension == 0:
                        records.append((e, "", None))
                        continue
                    continua = True
                    ends = "; ".join("(" + ", ".join("[" + ", ".join(f"{x:.6g}" for x in row) + "]" for row in pt) + ")" for pt in piece.extreme)
                    pnote = (
                        f"sample point of a {piece.dimension}-dimensional continuum of equilibria with supports {_fmt_supports(supports)}, "
                        f"exactly: {' and '.join(piece.equations)}; extreme points of its closure: {ends}"
                    )
                    records.append((e, pnote, piece))
                continue
            complete = False
            continua = True
            if cands:
                note = f"sample point of a continuum of equilibria on supports {_fmt_supports(supports)} (fixed {fixed}); not described: the solution set of its indifference equations is neither affine nor a rational curve"
                warns.append(f"supports {_fmt_supports(supports)}: a continuum of equilibria, reported by one sample point (neither affine nor a rational curve: not described)")
            else:
                warns.append(
                    f"supports {_fmt_supports(supports)}: the indifference equations have a positive-dimensional solution set, "
                    "neither affine nor a rational curve, and no sampled point of it is an equilibrium: equilibria there may be missed"
                )
        for prof in cands:
            records.append((_equilibrium_exact_fallback(game, prof, syms, basis), note, None))
    if out_of_time:
        complete = False
        warns.append(f"time budget of {time_budget:g} s spent (support profiles examined: {examined} of {n_sup})")
    if skipped:
        complete = False
        listed = "; ".join(f"{_fmt_supports(t)} ({why})" for t, why in skipped[:3]) + (f"; ... ({len(skipped)} in all)" if len(skipped) > 3 else "")
        warns.append(f"support systems not solved within the caps (max_bezout={max_bezout} for exact solving, or the time budget): {listed}")
    return _finish(game, records, complete, continua, warns)


def _algebraic(supports, mixing, tensors) -> tuple[str, ...]:
    """The polynomial system an irrational equilibrium is the isolated root of, as text."""
    names = {q: [f"s{q + 1}_{t + 1}" for t in supports[q]] for q in mixing}
    lines = []
    for i, p in enumerate(mixing):
        others = [q for q in mixing if q != p]
        d = tensors[i]
        for j in range(d.shape[0]):
            terms = []
            for idx in itertools.product(*(range(len(supports[q])) for q in others)):
                c = d[(j, *idx)]
                if c:
                    terms.append(f"{c}*" + "*".join(names[q][k] for q, k in zip(others, idx, strict=True)))
            lines.append(" + ".join(terms).replace("+ -", "- ") + " = 0")
        lines.append(" + ".join(names[p]) + " = 1")
    legend = ", ".join(f"s{q + 1}_{t + 1} = P(player {q + 1} plays strategy {t + 1})" for q in mixing for t in supports[q])
    return (*lines, f"payoff differences scaled to integers; {legend}")


_FLOAT_GAME: list = []  # the last (game, its float version): one conversion per solve, not per equilibrium


def _float_game(game: NormalFormGame) -> NormalFormGame:
    if _FLOAT_GAME and _FLOAT_GAME[0][0] is game:
        return _FLOAT_GAME[0][1]
    fg = NormalFormGame.from_arrays([game.float_payoffs()[p] for p in range(game.n_players)], players=game.players, strategies=game.strategies)
    _FLOAT_GAME[:] = [(game, fg)]
    return fg


def _equilibrium(game: NormalFormGame, prof: list[list[Any]], is_exact: bool, algebraic) -> Equilibrium:
    if is_exact:
        return make_equilibrium(game, prof, exact=True)
    floats = [[float(x) for x in s] for s in prof]
    floats = [[v / sum(s) for v in s] for s in floats]
    fg = game if not game.exact else _float_game(game)
    e = make_equilibrium(fg, floats, exact=False)
    return Equilibrium(e.strategies, e.payoffs, e.regret, False, algebraic=algebraic)


def _equilibrium_exact_fallback(game: NormalFormGame, prof: list[list[Any]], syms, basis) -> Equilibrium:
    import sympy as sp

    if all(isinstance(x, sp.Rational) for s in prof for x in s):
        return make_equilibrium(game, [[Fraction(int(x.p), int(x.q)) for x in s] for s in prof], exact=True)
    legend = ", ".join(f"{x} = P(player {str(x)[1:].split('_')[0]} plays strategy {str(x).split('_')[1]})" for x in syms)
    alg = (*basis, legend) if basis else None
    return _equilibrium(game, prof, False, alg)


def _is_rational(x) -> bool:
    import sympy as sp

    return isinstance(x, (int, Fraction, sp.Rational))


def _fmt_supports(supports) -> str:
    return " x ".join("{" + ",".join(str(t + 1) for t in s) + "}" for s in supports)


def _finish(game, records, complete, continua, warns) -> EquilibriumResult:
    records.sort(key=lambda t: sort_key(t[0]))
    # components: an equilibrium in the closure of a described continuum joins it (union-find)
    parent = list(range(len(records)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    floats = [r[0].as_floats() for r in records]
    for i, (_, _, piece) in enumerate(records):
        if piece is None:
            continue
        for j in range(len(records)):
            if j != i and piece.contains(floats[j]):
                parent[find(j)] = find(i)
        for j, (_, _, other) in enumerate(records):
            if other is not None and j != i and any(other.contains(pt) for pt in piece.extreme):
                parent[find(j)] = find(i)
    roots = sorted({find(i) for i in range(len(records))})
    comp_of = {}
    for i in range(len(records)):
        comp_of[i] = roots.index(find(i))
    eqs = []
    for i, (e, _, _) in enumerate(records):
        eqs.append(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=comp_of[i], algebraic=e.algebraic))
    comps = []
    for r in roots:
        members = tuple(i for i in range(len(records)) if find(i) == r)
        dims = [records[i][2].dimension for i in members if records[i][2] is not None]
        notes = [records[i][1] for i in members if records[i][1]]
        if dims:
            dim = max(dims)
        else:
            # with every support system solved or described the equilibrium set is known: isolated
            dim = 0 if complete else None
        comps.append(Component(points=members, dimension=dim, note="; ".join(notes)))
    exact_all = game.exact and all(e.exact for e in eqs)
    float_tol = 1e-9 * game.payoff_scale()
    for e in eqs:
        bound = Fraction(0) if (e.exact and game.exact) else float_tol
        if e.regret > bound:
            raise RuntimeError(f"polynomial-support-enumeration: an equilibrium failed its regret check ({e.regret})")
    if not eqs:
        raise RuntimeError("polynomial-support-enumeration: found no equilibrium (every finite game has one)")
    if not complete:
        warnings.warn("; ".join(warns), IncompleteEnumerationWarning, stacklevel=3)
    max_regret = max(e.regret for e in eqs) if exact_all else max(float(e.regret) for e in eqs)
    return EquilibriumResult(
        method="polynomial-support-enumeration",
        game=game,
        equilibria=tuple(eqs),
        components=tuple(comps),
        degenerate=continua,
        complete=complete,
        tolerance=Fraction(0) if exact_all else float_tol,
        max_regret=max_regret,
        warnings=tuple(warns),
        versions=tool_versions(),
    )
