"""Exact solution of one support system by a lexicographic Gröbner basis (sympy): the fallback.

:mod:`otr_theory.games.nplayer` solves support systems numerically (homotopy continuation,
:mod:`otr_theory.games.homotopy`) and certifies each root. When the numeric answer cannot be trusted
-- a singular end point (a continuum or a multiple root), a failed path, a support whose
multihomogeneous Bézout number is zero yet whose equations are not provably inconsistent -- the
support is solved here exactly, as every support was before: a lex Gröbner basis, real roots of
the triangular system by back-substitution at 50 digits, rational roots verified exactly, and for
positive-dimensional solution sets a sample point found by fixing coordinates at rationals.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

__all__ = ["exact_support"]

_DIGITS = 50
_MARGIN = mpmath.mpf("1e-30")


def exact_support(u, supports):
    """Solve one support profile exactly.

    Returns ``(candidates, continuum, syms, basis, fixed)``: ``candidates`` a list of profiles (per
    player, per strategy: sympy Rationals or mpmath reals) that passed the exact / 50-digit
    acceptance test; ``continuum`` whether the solution set is positive-dimensional (then the
    candidates hold at most one sample point, at the coordinates ``fixed``).
    """
    symbols = [[sp.Symbol(f"s{p + 1}_{t + 1}", real=True) for t in s[1:]] for p, s in enumerate(supports)]
    syms = [x for xs in symbols for x in xs]
    sigma, values, eqs = _build_system(u, supports, symbols)
    sols, basis = _solve_system(eqs, syms)
    fixed = {}
    continuum = False
    if sols is None:
        sols, fixed, basis = _sample_continuum(eqs, syms, sigma, values, supports, u.shape)
        continuum = bool(sols)
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


