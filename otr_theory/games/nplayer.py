"""Nash equilibria of small n-player games: pure ones exactly, mixed ones by polynomial support enumeration.

Finding all equilibria of an n-player game (n >= 3) is hard in general: equilibria can be
irrational (Nash 1951's three-player poker; Nau, Gomez Canovas and Hansen 2004, sec. 4) and can
form continua. For the *small* games this project needs -- Gambit's 3- to 5-player test games and
the prover-vs-n-challengers game for n <= 3 or 4 -- we enumerate supports
(Porter, Nudelman and Shoham 2008; McKelvey and McLennan 1996 for the polynomial view):

For every support profile :math:`(T_1, \\dots, T_n)`, :math:`T_p \\subseteq S_p`, each player p
must be indifferent among its support,

.. math:: U_p(t, \\sigma_{-p}) = U_p(t_0, \\sigma_{-p}) \\quad (t \\in T_p),

a square system of multilinear polynomial equations in the probabilities
:math:`\\sigma_q(t),\\ t \\in T_q \\setminus \\{t_0\\}` (the first strategy's probability is one
minus the rest). We solve it exactly with a lexicographic Gröbner basis (sympy), keep the real
solutions with every support probability strictly positive, and keep those against which no
strategy outside the support does better. Support profiles in which some supported strategy is
strictly dominated by a pure strategy, given that the others play inside their supports, are
skipped (conditional dominance; Porter et al. 2008).

Honesty about completeness: when a support profile's solution set is positive-dimensional, a
point of it is sought by fixing coordinates at rational values; the result then reports the
continuum by a *sample point* and says ``complete=False`` (the set is not enumerated), and so
it does when the number of support profiles exceeds ``max_support_profiles`` or a system's
Bézout number exceeds ``max_bezout`` (exact Gröbner bases of such systems take too long). Rational
equilibria are exact (Fractions); irrational ones are given as floats with their algebraic
closed form (sympy) in :attr:`Equilibrium.algebraic`, checked to a tolerance of 1e-9 x the
payoff scale after a 50-digit check of the inequalities.

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
import warnings
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

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

__all__ = ["MAX_BEZOUT", "MAX_SUPPORT_PROFILES", "bezout_number", "nplayer_equilibria", "support_profiles"]

MAX_SUPPORT_PROFILES = 5_000
"""Default cap on the number of mixed support profiles examined."""

MAX_BEZOUT = 512
"""Default cap on the Bézout number of one support system (the product of its equations' degrees).

Exact Gröbner bases grow fast with it: the 2x2x2x2 full-support system (Bézout number 81) takes
a fraction of a second, the 2x2x2x2x2 one (1024) more than ten minutes. Systems above the cap
are skipped and the result says ``complete=False``."""

_DIGITS = 50
_MARGIN = mpmath.mpf("1e-30")


def support_profiles(shape: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """Every support profile with at least one player mixing, smallest total size first.

    >>> len(support_profiles((2, 2, 2)))  # 3**3 profiles minus the 8 pure ones
    19
    """
    per_player = [
        [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)] for n in shape
    ]
    out = [t for t in itertools.product(*per_player) if any(len(s) > 1 for s in t)]
    out.sort(key=lambda t: (sum(len(s) for s in t), max(len(s) for s in t), t))
    return out


def _dominated(u: np.ndarray, supports: tuple[tuple[int, ...], ...]) -> bool:
    """Whether some supported strategy is strictly dominated by a pure one, others inside their supports."""
    n = len(supports)
    for p in range(n):
        if len(supports[p]) == 1 and all(len(s) == 1 for q, s in enumerate(supports) if q != p):
            continue
        sub = u[p][np.ix_(*[list(s) if q != p else list(range(u.shape[p + 1])) for q, s in enumerate(supports)])]
        sub = np.moveaxis(sub, p, 0).reshape(u.shape[p + 1], -1)
        for t in supports[p]:
            row = sub[t]
            for t2 in range(sub.shape[0]):
                if t2 != t and all(a > b for a, b in zip(sub[t2], row, strict=True)):
                    return True
    return False


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
                    scale = lambda c: max(mpmath.mpf(1), mpmath.polyval([abs(a) for a in c], abs(r)))  # noqa: E731
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


def bezout_number(supports: Sequence[Sequence[int]]) -> int:
    """Product of the degrees of a support profile's indifference equations.

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


def nplayer_equilibria(
    game: NormalFormGame,
    *,
    max_support_profiles: int = MAX_SUPPORT_PROFILES,
    max_bezout: int = MAX_BEZOUT,
) -> EquilibriumResult:
    """All Nash equilibria of a small n-player game: pure exactly, mixed by polynomial support enumeration.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players (two-player games are better served by
        :func:`otr_theory.games.bimatrix.vertex_enumeration`).
    max_support_profiles : int
        Examine at most this many mixed support profiles (smallest first); beyond it the result
        says ``complete=False``.
    max_bezout : int
        Skip support systems whose Bézout number (:func:`bezout_number`) exceeds this; the result
        then says ``complete=False`` and names them.

    Returns
    -------
    EquilibriumResult
        ``method="polynomial-support-enumeration"``; ``complete`` is ``False`` when a continuum
        was met (reported by a sample point) or the cap was hit.

    Warns
    -----
    IncompleteEnumerationWarning
        When ``complete`` is ``False``.

    Examples
    --------
    Three-player matching pennies (Jordan 1993): player 1 wants to match player 2, player 2 to
    match player 3, player 3 to mismatch player 1; the unique equilibrium mixes 1/2-1/2.

    >>> import numpy as np
    >>> s = np.indices((2, 2, 2))
    >>> u = [(s[0] == s[1]).astype(int), (s[1] == s[2]).astype(int), (s[2] != s[0]).astype(int)]
    >>> r = nplayer_equilibria(NormalFormGame.from_arrays(u))
    >>> [[str(p) for p in x] for x in r.equilibria[0].strategies], r.complete, len(r.equilibria)
    ([['1/2', '1/2'], ['1/2', '1/2'], ['1/2', '1/2']], True, 1)
    """
    if not isinstance(game, NormalFormGame):
        raise GameError("game", "must be a NormalFormGame", type(game).__name__)
    u = game.exact_payoffs()
    shape = game.shape
    records: list[tuple[Equilibrium, str]] = []
    for s in pure_equilibria(game):
        prof = [[Fraction(int(i == s[p])) for i in range(k)] for p, k in enumerate(shape)]
        records.append((make_equilibrium(game, prof, exact=True), ""))
    profiles = support_profiles(shape)
    warns: list[str] = []
    complete = True
    if len(profiles) > max_support_profiles:
        warns.append(
            f"{len(profiles)} mixed support profiles exceed max_support_profiles={max_support_profiles}: "
            f"only the {max_support_profiles} smallest were examined"
        )
        profiles = profiles[:max_support_profiles]
        complete = False
    continua = False
    skipped = []
    for supports in profiles:
        if _dominated(u, supports):
            continue
        if bezout_number(supports) > max_bezout:
            skipped.append(supports)
            continue
        symbols = [[sp.Symbol(f"s{p + 1}_{t + 1}", real=True) for t in s[1:]] for p, s in enumerate(supports)]
        syms = [x for xs in symbols for x in xs]
        sigma, values, eqs = _build_system(u, supports, symbols)
        sols, basis = _solve_system(eqs, syms)
        note = ""
        if sols is None:  # positive-dimensional: look for a sample point by fixing coordinates
            sols, fixed, basis = _sample_continuum(eqs, syms, sigma, values, supports, u.shape)
            if not sols:
                continue  # no point of the set is an equilibrium at the sampled values: see below
            complete = False
            continua = True
            note = f"sample point of a continuum of equilibria on supports {_fmt_supports(supports)} (fixed {fixed})"
            warns.append(f"supports {_fmt_supports(supports)}: a continuum of equilibria, reported by one sample point")
        for sol in sols:
            ok, prof = _accept(sol, sigma, values, supports, u.shape)
            if ok:
                records.append((_equilibrium(game, prof, syms, basis), note))
    if skipped:
        complete = False
        listed = "; ".join(_fmt_supports(t) for t in skipped[:3]) + (f"; ... ({len(skipped)} in all)" if len(skipped) > 3 else "")
        warns.append(f"support systems with a Bezout number above max_bezout={max_bezout} were not solved: {listed}")
    return _finish(game, records, complete, continua, warns)


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


def _fmt_supports(supports) -> str:
    return " x ".join("{" + ",".join(str(t + 1) for t in s) + "}" for s in supports)


def _equilibrium(game: NormalFormGame, prof: list[list[Any]], syms, basis) -> Equilibrium:
    if all(isinstance(x, sp.Rational) for s in prof for x in s):
        return make_equilibrium(game, [[Fraction(int(x.p), int(x.q)) for x in s] for s in prof], exact=True)
    floats = [[float(x) for x in s] for s in prof]
    floats = [[v / sum(s) for v in s] for s in floats]
    fg = game if not game.exact else NormalFormGame.from_arrays(
        [game.float_payoffs()[p] for p in range(game.n_players)], players=game.players, strategies=game.strategies
    )
    e = make_equilibrium(fg, floats, exact=False)
    legend = ", ".join(f"{x} = P(player {str(x)[1:].split('_')[0]} plays strategy {str(x).split('_')[1]})" for x in syms)
    alg = (*basis, legend) if basis else None
    return Equilibrium(e.strategies, e.payoffs, e.regret, False, algebraic=alg)


def _finish(game, records, complete, continua, warns) -> EquilibriumResult:
    records.sort(key=lambda t: sort_key(t[0]))
    eqs = []
    comps = []
    for i, (e, note) in enumerate(records):
        eqs.append(Equilibrium(e.strategies, e.payoffs, e.regret, e.exact, component=i, algebraic=e.algebraic))
        # with every support system zero-dimensional the equilibrium set is finite: all isolated
        comps.append(Component(points=(i,), dimension=0 if complete else None, note=note))
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
