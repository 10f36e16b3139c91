"""Exact solution of one support system by a lexicographic Gröbner basis (sympy): the fallback.

:mod:`otr_theory.games.nplayer` solves support systems numerically (homotopy continuation,
:mod:`otr_theory.games.homotopy`) and certifies each root. When the numeric answer cannot be trusted
-- a singular end point (a continuum or a multiple root), a failed path, a support whose
multihomogeneous Bézout number is zero yet whose equations are not provably inconsistent -- the
support is solved here exactly, as every support was before: a lex Gröbner basis, real roots of
the triangular system by back-substitution at 50 digits, rational roots verified exactly, and for
positive-dimensional solution sets a sample point found by fixing coordinates at rationals;
:func:`describe_continuum` then describes such a set exactly where it is affine or a rational curve.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

__all__ = ["ContinuumPiece", "describe_continuum", "exact_support"]

_DIGITS = 50
_MARGIN = mpmath.mpf("1e-30")


def exact_support(u, supports):
    """Solve one support profile exactly.

    Returns ``(candidates, continuum, syms, basis, fixed)``: ``candidates`` a list of profiles (per
    player, per strategy: sympy Rationals or mpmath reals) that passed the exact / 50-digit
    acceptance test; ``continuum`` whether the solution set is positive-dimensional (then the
    candidates hold at most one sample point, at the coordinates ``fixed``, and may be empty: a
    grid of rationals can miss a small set of equilibria, so the caller must not read an empty
    list as "no equilibrium here"; :func:`describe_continuum` decides that).
    """
    symbols = [[sp.Symbol(f"s{p + 1}_{t + 1}", real=True) for t in s[1:]] for p, s in enumerate(supports)]
    syms = [x for xs in symbols for x in xs]
    sigma, values, eqs = _build_system(u, supports, symbols)
    sols, basis = _solve_system(eqs, syms)
    fixed = {}
    continuum = False
    if sols is None:
        sols, fixed, basis = _sample_continuum(eqs, syms, sigma, values, supports, u.shape)
        continuum = True  # positive-dimensional, whether or not a sampled point is an equilibrium
    out = []
    for sol in sols:
        ok, prof = _accept(sol, sigma, values, supports, u.shape)
        if ok:
            out.append(prof)
    return out, continuum, syms, basis, fixed


def _build_system(u: np.ndarray, supports, symbols):
    """Expected payoff of every pure strategy of every player as sympy expressions, and the equations."""
    n = len(supports)
    sigma = []  # per player: dict strategy -> expression
    for p, s in enumerate(supports):
        d = {t: sym for t, sym in zip(s[1:], symbols[p], strict=True)}
        d[s[0]] = 1 - sum(symbols[p]) if symbols[p] else sp.Integer(1)
        sigma.append(d)
    values = []
    for p in range(n):
        others = [q for q in range(n) if q != p]
        vals = []
        for t in range(u.shape[p + 1]):
            expr = sp.Integer(0)
            for prof in itertools.product(*(supports[q] for q in others)):
                full = list(prof)
                full.insert(p, t)
                coef = u[(p, *full)]
                if coef == 0:
                    continue
                term = sp.Rational(coef.numerator, coef.denominator)
                for q, sq in zip(others, prof, strict=True):
                    term *= sigma[q][sq]
                expr += term
            vals.append(sp.expand(expr))
        values.append(vals)
    eqs = [sp.expand(values[p][t] - values[p][supports[p][0]]) for p in range(n) for t in supports[p][1:]]
    return sigma, values, eqs


def _solve_system(eqs, syms):
    """Real solutions of a polynomial system.

    Returns ``(solutions, basis)``: ``solutions`` a list of dicts symbol -> value (sympy
    Rationals when the solution is rational, verified exactly; mpmath reals to ``_DIGITS``
    digits otherwise), or ``None`` when the solution set is positive-dimensional; ``basis`` the
    lex Gröbner basis (strings) that defines the solutions exactly.
    """
    eqs = [e for e in eqs if e != 0]
    if not syms:
        return ([{}] if not eqs else []), ()
    if not eqs:
        return None, ()
    G = sp.groebner(eqs, *syms, order="lex", method="f5b")
    exprs = list(G.exprs)
    if exprs == [1]:
        return [], ()
    if not G.is_zero_dimensional:
        return None, ()
    polys = [sp.Poly(e, *syms) for e in exprs]
    basis = tuple(str(e) for e in exprs)
    partial: list[dict] = [{}]
    # back-substitute from the last variable: lex order eliminates towards it
    for k in reversed(range(len(syms))):
        x = syms[k]
        later = set(syms[k + 1 :])
        mine = [q for q in polys if x in q.free_symbols and q.free_symbols <= later | {x}]
        nxt = []
        for sol in partial:
            uni = []
            for q in mine:
                coeffs = _univariate(q, x, sol)
                if len(coeffs) >= 2 and abs(coeffs[0]) > mpmath.mpf("1e-25") * max(abs(c) for c in coeffs):
                    uni.append(coeffs)
            if not uni:
                continue
            uni.sort(key=len)
            with mpmath.workdps(_DIGITS):
                try:
                    roots = mpmath.polyroots(uni[0], maxsteps=400, extraprec=4 * _DIGITS)
                except mpmath.libmp.libhyper.NoConvergence:  # pragma: no cover - ill-conditioned
                    roots = mpmath.polyroots(uni[0], maxsteps=4000, extraprec=20 * _DIGITS)
                roots = roots if isinstance(roots, list) else [roots]
                for r in roots:
                    if abs(mpmath.im(r)) > mpmath.mpf("1e-20"):
                        continue
                    r = mpmath.re(r)
                    scale = lambda c: max(mpmath.mpf(1), mpmath.polyval([abs(a) for a in c], abs(r)))  # noqa: E731, B023 -- used at once, in this iteration
                    if all(abs(mpmath.polyval(c, r)) <= mpmath.mpf("1e-18") * scale(c) for c in uni[1:]):
                        nxt.append({**sol, x: r})
        partial = nxt
    return [_rationalise(sol, eqs) or sol for sol in partial], basis


def _univariate(q: sp.Poly, x: sp.Symbol, sol: dict) -> list:
    """Coefficients (mpmath, highest first) of q with the solved variables substituted."""
    gens = q.gens
    ix = gens.index(x)
    deg = q.degree(x)
    coeffs = [mpmath.mpf(0)] * (deg + 1)
    with mpmath.workdps(_DIGITS):
        for monom, c in q.terms():
            term = mpmath.mpf(c.p) / c.q if isinstance(c, sp.Rational) else mpmath.mpmathify(c)
            for g, e in zip(gens, monom, strict=True):
                if g != x and e:
                    term *= sol[g] ** e
            coeffs[deg - monom[ix]] += term
    return coeffs


def _rationalise(sol: dict, eqs) -> dict | None:
    """The solution as sympy Rationals if it is rational (verified exactly), else None."""
    out = {}
    for s, v in sol.items():
        f = Fraction(mpmath.nstr(v, _DIGITS - 5, min_fixed=-(10**9), max_fixed=10**9)).limit_denominator(10**15)
        out[s] = sp.Rational(f.numerator, f.denominator)
    if all(sp.expand(e.subs(out)) == 0 for e in eqs):
        return out
    return None


def _accept(sol: dict, sigma, values, supports, u_shape) -> tuple[bool, list[list[Any]]]:
    """Check a candidate: strictly positive on the supports, no better reply outside.

    Exact when ``sol`` holds Rationals; otherwise to ``_DIGITS`` digits with a 1e-30 margin.
    Returns the profile (per player, per strategy: a Rational or an mpmath real).
    """
    exact = all(isinstance(v, sp.Rational) for v in sol.values())
    margin = 0 if exact else _MARGIN
    fsol = {k: sp.Float(mpmath.nstr(v, _DIGITS), _DIGITS) for k, v in sol.items()} if not exact else sol

    def ev(expr):
        val = sp.sympify(expr).subs(fsol)
        return val if exact else mpmath.mpf(str(sp.N(val, _DIGITS)))

    profile = []
    for p in range(len(supports)):
        probs = []
        for t in range(u_shape[p + 1]):
            if t in sigma[p]:
                v = ev(sigma[p][t])
                if v <= margin:
                    return False, []
                probs.append(v)
            else:
                probs.append(sp.Integer(0) if exact else mpmath.mpf(0))
        profile.append(probs)
    for p in range(len(supports)):
        v0 = ev(values[p][supports[p][0]])
        for t in range(u_shape[p + 1]):
            if t not in supports[p] and ev(values[p][t]) > v0 + margin:
                return False, []
    return True, profile


def _sample_continuum(eqs, syms, sigma, values, supports, u_shape):
    """Fix coordinates of a positive-dimensional system at rationals until a point is an equilibrium.

    Returns (solutions, fixed values, basis); empty solutions when no sampled point qualifies.
    """
    grid = [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(2, 3), sp.Rational(1, 4), sp.Rational(3, 4)]
    for k in range(1, len(syms) + 1):
        for subset in itertools.combinations(syms, k):
            for vals in itertools.product(grid, repeat=k):
                fixed = dict(zip(subset, vals, strict=True))
                rest = [x for x in syms if x not in fixed]
                sub = [sp.expand(e.subs(fixed)) for e in eqs]
                sols, basis = _solve_system(sub, rest)
                if not sols:
                    continue
                for sol in sols:
                    full = {**fixed, **sol}
                    ok, _ = _accept(full, sigma, values, supports, u_shape)
                    if ok:
                        return [full], {str(a): str(b) for a, b in fixed.items()}, basis
    return [], {}, ()


@dataclasses.dataclass(frozen=True)
class ContinuumPiece:
    """One connected set of equilibria with a given support, described exactly (ours).

    Attributes
    ----------
    supports : tuple of tuple of int
        The support profile: every point of the piece plays exactly these strategies.
    dimension : int
        0 for an isolated point, else the dimension of the piece (a segment: 1).
    sample : list of list
        A point of the piece (sympy Rationals where rational, else mpmath reals): an equilibrium.
    extreme : tuple
        The closure's extreme points (a segment's two end points; a polytope's vertices), as
        profiles of floats: equilibria themselves (the equilibrium set is closed), with smaller
        supports where a probability vanishes.
    equations : tuple of str
        The closure: the affine equations of the solution set of the indifference conditions,
        then the parameter's range or the linear inequalities.
    """

    supports: tuple
    dimension: int
    sample: list
    extreme: tuple
    equations: tuple
    _param: Any = dataclasses.field(default=None, repr=False, compare=False)

    def contains(self, profile, tol: float = 1e-9) -> bool:
        """Whether a profile (per player, per strategy) lies in the closure of the piece."""
        _, gens, free, lo, hi, cons, symidx = self._param
        for p, s in enumerate(self.supports):
            if any(abs(float(x)) > tol for t, x in enumerate(profile[p]) if t not in s):
                return False
        val = {x: sp.Float(float(profile[p][t]), 30) for x, (p, t) in symidx.items()}
        scale = 1.0
        for g in gens:
            if abs(float(g.subs(val))) > tol * scale:
                return False
        if lo is not None:
            z = float(val[free[0]])
            return float(lo) - tol <= z <= float(hi) + tol
        return all(float(c.subs(val)) >= -tol for c in cons)


def describe_continuum(u: np.ndarray, supports) -> list[ContinuumPiece] | None:
    """Every equilibrium with exactly this support, when the indifference conditions' solution set is affine (ours).

    Let V be the complex solution set of the support's indifference equations and sums. When
    its reduced Gröbner basis is linear, V is an affine space; parametrise it by free coordinates
    z (``sympy.linsolve``). The equilibria with this support are the z where every supported
    probability is positive and no strategy outside the support does better: polynomial
    inequalities in z.

    * One free coordinate: the real roots of every constraint polynomial (exact, ``real_roots``)
      cut the line into open intervals on which no constraint changes sign; the sign at a
      rational point inside each interval, and exactly at each root, give the feasible set as a
      union of maximal intervals and isolated points: every piece is found.
    * More free coordinates, every constraint linear: the feasible set is a polytope with its
      facets where a probability vanishes left open; its closure's vertices are enumerated
      exactly (every choice of ``d`` tight constraints), the barycenter is a sample point, and
      the set is empty when a positivity constraint vanishes at every vertex.

    Returns the pieces (possibly none: no equilibrium has this support), or ``None`` when V is
    not affine, or when there are several free coordinates and a constraint is not linear (not
    described here).
    """
    symbols = [[sp.Symbol(f"s{p + 1}_{t + 1}", real=True) for t in s[1:]] for p, s in enumerate(supports)]
    syms = [x for xs in symbols for x in xs]
    sigma, values, eqs = _build_system(u, supports, symbols)
    eqs = [e for e in eqs if e != 0]
    if eqs:
        gens = list(sp.groebner(eqs, *syms, order="lex").exprs)
    else:
        gens = []
    if gens == [1]:
        return []
    if any(sp.Poly(g, *syms).total_degree() > 1 for g in gens):
        curve = _rational_curve(eqs, syms)
        if curve is None:
            return None
        param, z, gens = curve
        free = [z]
    else:
        sol = sp.linsolve(gens, syms) if gens else sp.FiniteSet(tuple(syms))
        if not sol:
            return []
        (tup,) = list(sol)
        param = dict(zip(syms, tup, strict=True))
        free = [x for x in syms if param[x] == x]
    if not free:
        return None  # a point: the zero-dimensional solver handles it
    pos = []  # > 0 on the piece
    for p, s in enumerate(supports):
        for t in s:
            pos.append(sp.cancel(sp.sympify(sigma[p][t]).subs(param)))
    out_c = []  # >= 0 on the piece
    for p, s in enumerate(supports):
        v0 = values[p][s[0]]
        for t in range(u.shape[p + 1]):
            if t not in s:
                out_c.append(sp.cancel((v0 - values[p][t]).subs(param)))
    for c in pos:
        if c.is_number and c <= 0:
            return []
    for c in out_c:
        if c.is_number and c < 0:
            return []
    pos = [c for c in pos if not c.is_number]
    out_c = [c for c in out_c if not c.is_number]
    lin_eqs = tuple(f"{g} = 0" for g in gens)

    def profile_at(point: dict):
        prof = []
        for p, s in enumerate(supports):
            row = []
            for t in range(u.shape[p + 1]):
                row.append(sp.nsimplify(sp.sympify(sigma[p][t]).subs(param).subs(point)) if t in s else sp.Integer(0))
            prof.append(row)
        return prof

    def floats(prof):
        return tuple(tuple(float(sp.N(x, 30)) for x in row) for row in prof)

    svals_param = {x: (p, t) for p, s in enumerate(supports) for t, x in zip(s[1:], symbols[p], strict=True)}
    if len(free) == 1:
        z = free[0]

        # sign of a rational function N/D = sign of the polynomial N*D where D != 0; poles cut too
        def sign_poly(c):
            num, den = sp.fraction(sp.together(c))
            return sp.Poly(sp.expand(num * den), z), sp.Poly(den, z)

        spos = [sign_poly(c) for c in pos]
        sout = [sign_poly(c) for c in out_c]
        poles = [d for _, d in spos + sout if d.degree() > 0]
        cut = [q for q, _ in spos + sout if q.degree() > 0] + poles
        roots = sorted({r for q in cut for r in sp.real_roots(q)}, key=lambda r: float(sp.N(r, 40)))

        def sign_at(q, r):
            if r.is_Rational:
                return sp.sign(q.eval(r))
            if q.rem(sp.Poly(r.poly.as_expr().subs(r.poly.gens[0], z), z)).is_zero:
                return 0
            return sp.sign(sp.N(q.as_expr().subs(z, r), 60))

        def rational_between(a, b):
            if a is None and b is None:
                return sp.Integer(0)
            if a is None:
                return sp.floor(sp.N(b, 40)) - 1
            if b is None:
                return sp.ceiling(sp.N(a, 40)) + 1
            return sp.nsimplify((sp.N(a, 60) + sp.N(b, 60)) / 2, rational=True)

        def feasible_at(point, exact_point: bool):
            if any(sign_at(d, point) == 0 for d in poles):
                return False  # no point of the solution set over a pole
            return all(sign_at(q, point) > 0 for q, _ in spos) and all(sign_at(q, point) >= 0 for q, _ in sout)

        cells = []  # (kind, lo, hi, feasible): kind "open" or "point"
        bounds = [None, *roots, None]
        for i in range(len(bounds) - 1):
            a, b = bounds[i], bounds[i + 1]
            mid = rational_between(a, b)
            cells.append(("open", a, b, feasible_at(mid, True), mid))
            if b is not None:
                cells.append(("point", b, b, feasible_at(b, False), b))
        pieces = []
        i = 0
        while i < len(cells):
            if not cells[i][3]:
                i += 1
                continue
            j = i
            while j + 1 < len(cells) and cells[j + 1][3]:
                j += 1
            run = cells[i : j + 1]
            lo, hi = run[0][1], run[-1][2]
            if lo is None or hi is None:  # pragma: no cover - probabilities bound the parameter
                return None
            opens = [c for c in run if c[0] == "open"]
            if not opens:
                pt = run[0][4]
                prof = profile_at({z: pt})
                pieces.append(ContinuumPiece(tuple(map(tuple, supports)), 0, prof, (floats(prof),), lin_eqs + (f"{z} = {pt}",), (syms, gens, free, pt, pt, (), svals_param)))
            else:
                mid = opens[0][4]
                prof = profile_at({z: mid})
                ends = (floats(profile_at({z: lo})), floats(profile_at({z: hi})))
                closed_lo = run[0][0] == "point"
                closed_hi = run[-1][0] == "point"
                rng = f"{lo} {'<=' if closed_lo else '<'} {z} {'<=' if closed_hi else '<'} {hi}"
                pieces.append(ContinuumPiece(tuple(map(tuple, supports)), 1, prof, ends, lin_eqs + (rng,), (syms, gens, free, lo, hi, (), svals_param)))
            i = j + 1
        return pieces
    # several free coordinates: a polytope when every constraint is linear
    cons = pos + out_c
    if any(sp.Poly(c, *free).total_degree() > 1 for c in cons):
        return None
    from otr_theory.games.bimatrix import solve_exact

    rows = []
    for c in cons:
        pl = sp.Poly(c, *free)
        rows.append(([Fraction(str(pl.coeff_monomial(x))) for x in free], Fraction(str(pl.coeff_monomial(1)))))
    d = len(free)
    verts = []
    for combo in itertools.combinations(range(len(rows)), d):
        zsol = solve_exact([rows[i][0] for i in combo], [-rows[i][1] for i in combo])
        if zsol is None:
            continue
        if all(sum(a * b for a, b in zip(r, zsol, strict=True)) + c0 >= 0 for r, c0 in rows) and zsol not in verts:
            verts.append(zsol)
    if not verts:
        return []
    npos = len(pos)
    for r, c0 in rows[:npos]:
        if all(sum(a * b for a, b in zip(r, v, strict=True)) + c0 == 0 for v in verts):
            return []  # a probability vanishes on the whole closure: no point has this support
    bary = [sum(v[i] for v in verts) / len(verts) for i in range(d)]
    base = verts[0]
    diffs = [[v[i] - base[i] for i in range(d)] for v in verts[1:]]
    from otr_theory.games.nplayer import _rref

    dim = len(_rref(diffs)[1]) if diffs else 0
    point = {x: sp.Rational(b.numerator, b.denominator) for x, b in zip(free, bary, strict=True)}
    prof = profile_at(point)
    ext = tuple(floats(profile_at({x: sp.Rational(a.numerator, a.denominator) for x, a in zip(free, v, strict=True)})) for v in verts)
    ineq = tuple(f"{c} > 0" for c in pos) + tuple(f"{c} >= 0" for c in out_c)
    return [ContinuumPiece(tuple(map(tuple, supports)), dim, prof, ext, lin_eqs + ineq, (syms, gens, free, None, None, tuple(cons), svals_param))]


def _rational_curve(eqs, syms):
    """A one-dimensional solution set that is the graph of rational functions of one coordinate (ours).

    For each choice of a coordinate z (last in a lex order), the reduced Gröbner basis is
    accepted when every generator is ``a(z) x + b(z)`` for exactly one other coordinate x, each
    x having one such generator: then the solution set is ``x = -b(z)/a(z)`` over every z where
    no a vanishes, and empty over a root of an a that is not a root of its b (checked by gcd;
    a common root would add a whole line, and ``None`` is returned). Returns ``(param, z, gens)``
    or ``None``.
    """
    for z in reversed(syms):
        order = [x for x in syms if x != z] + [z]
        gens = list(sp.groebner(eqs, *order, order="lex").exprs)
        param = {z: z}
        ok = True
        for g in gens:
            vs = [x for x in g.free_symbols if x != z]
            if len(vs) != 1 or vs[0] in param:
                ok = False
                break
            x = vs[0]
            pg = sp.Poly(g, x)
            if pg.degree() != 1:
                ok = False
                break
            a, b = pg.coeff_monomial(x), pg.coeff_monomial(1)
            if sp.Poly(sp.gcd(a, b), z).degree() > 0:
                return None
            param[x] = sp.cancel(-b / a)
        if ok and len(param) == len(syms):
            return param, z, gens
    return None
