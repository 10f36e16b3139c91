"""Every isolated root of one support system by multihomogeneous polynomial homotopy continuation.

The system (McKelvey and McLennan 1996, sec. 6). Fix a support profile :math:`(T_1, \\dots, T_n)`
and let :math:`M` be the players who mix (:math:`k_q = |T_q| \\ge 2`); the others play their one
strategy. Player :math:`p \\in M` must be indifferent among its support:

.. math:: F_{p,j}(\\sigma) = \\sum_{s_{-p}} \\big(u_p(t_j, s_{-p}) - u_p(t_0, s_{-p})\\big)
          \\prod_{q \\in M \\setminus p} \\sigma_q(s_q) = 0, \\qquad j = 1, \\dots, k_p - 1,

which is *multilinear*: of degree one in each other mixing player's vector :math:`\\sigma_q`, and
homogeneous in it. So :math:`\\sigma_q` lives in the projective space :math:`\\mathbb P^{k_q - 1}`
and the system is square: :math:`\\sum_p (k_p - 1)` equations in as many projective dimensions. We
work in a random affine chart :math:`c_q \\cdot \\sigma_q = 1` (complex :math:`c_q`), which puts
every projective root at a finite point with probability one, and rescale each root's
:math:`\\sigma_q` to sum to one afterwards.

The start system (ours, the standard multihomogeneous construction; Morgan and Sommese 1987) has the
same structure: :math:`G_{p,j}(\\sigma) = \\prod_{q \\in M \\setminus p} (\\ell_{p,j,q} \\cdot \\sigma_q)`
with random complex :math:`\\ell`. Its roots are found by linear algebra: assign each equation
:math:`(p, j)` a group :math:`q \\ne p` so that group :math:`q` receives exactly :math:`k_q - 1`
equations; the assigned linear forms and the chart fix :math:`\\sigma_q`. Their number is the
multihomogeneous Bézout number (the coefficient of :math:`\\prod_q z_q^{k_q - 1}` in
:math:`\\prod_p (\\sum_{q \\ne p} z_q)^{k_p - 1}`): 44 paths instead of :math:`4^5 = 1024` for five
players with two strategies each (the derangements of 5; McKelvey and McLennan 1997), 10 instead of
64 for three players with three.

The homotopy :math:`H(\\sigma, t) = (1 - t)\\,\\gamma\\, G(\\sigma) + t\\, F(\\sigma)` with a random
complex :math:`\\gamma` (the "gamma trick") has, with probability one, smooth paths from the start
roots at :math:`t = 0` that reach every isolated root of :math:`F` at :math:`t = 1`
(Sommese and Wampler 2005, thm. 8.4.1 and ch. 8.4). We track all paths at once (numpy, batched):
a fourth-order Runge-Kutta predictor along :math:`\\dot\\sigma = -H_\\sigma^{-1} H_t`, Newton
correction, step halving on a failed correction and doubling after two successes.

Honesty. A path is *trusted* when it reaches :math:`t = 1` at a nonsingular root
(condition number below :data:`COND_MAX`) and no two trusted paths end at the same root (path
jumping), or when it ends (or fails within 1e-3 of the end) at a point that is far from every
probability vector: for a nonnegative vector :math:`|\\sum_s \\sigma_q(s)| \\ge \\max_s |\\sigma_q(s)|`,
a ratio that complex rescaling leaves unchanged, so an end point where some player's ratio is below
1/2 is no equilibrium nor near one (ours). Such singular end points abound where the system has
solution sets with a player's vector summing to zero (the volunteer's dilemma's full support).
Isolated equilibria are still all found: each is the end point of some path (Sommese and Wampler
2005, thm. 8.4.1). Anything else --
a singular or diverging end point inside the chart, a failed path, two paths at one root
-- is reported (``ok=False``) and the caller solves that support exactly instead; so is a support
whose multihomogeneous Bézout number is zero (generically no root, but a degenerate game may have a
continuum there). Roots are only candidates here: the caller certifies each one it keeps.

References
----------
McKelvey, R. D., McLennan, A. (1996). Computation of equilibria in finite games. Handbook of
Computational Economics I, 87-142.
McKelvey, R. D., McLennan, A. (1997). The maximal number of regular totally mixed Nash equilibria.
Journal of Economic Theory 72, 411-425.
Morgan, A., Sommese, A. (1987). A homotopy for solving general polynomial systems that respects
m-homogeneous structures. Applied Mathematics and Computation 24, 101-113.
Sommese, A. J., Wampler, C. W. (2005). The Numerical Solution of Systems of Polynomial Equations
Arising in Engineering and Science. World Scientific.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from string import ascii_letters

import numpy as np

__all__ = ["COND_MAX", "HomotopyResult", "mh_bezout", "solve_support_system", "solve_support_systems", "start_assignments"]

COND_MAX = 1e9
"""An end point whose Jacobian has a larger condition number is taken as singular (not trusted)."""

_MAX_STEPS = 4000
_H0 = 0.05
_HMAX = 0.25
_HMIN = 1e-11
_NEWTON_TOL = 1e-10


@dataclasses.dataclass(frozen=True)
class HomotopyResult:
    """The end points of one support system's homotopy.

    Attributes
    ----------
    roots : list of list of numpy.ndarray
        Each trusted root: per mixing player, its complex vector rescaled to sum to one.
    paths : int
        Number of paths tracked (the multihomogeneous Bézout number).
    ok : bool
        Whether every path was trusted (else ``reason`` says why; the caller must not rely on ``roots``
        being all of them).
    reason : str
        Why the result is not trusted ("" when ok).
    """

    roots: list
    paths: int
    ok: bool
    reason: str = ""


def start_assignments(dims: Sequence[int]) -> list[tuple[int, ...]]:
    """Every assignment of the equations to groups that gives a start root.

    ``dims[q] = k_q - 1`` for each mixing player ``q``; player ``p`` owns ``dims[p]`` equations, each
    assigned a group ``q != p``, group ``q`` receiving exactly ``dims[q]``. Returns one tuple per
    assignment: the group of each equation, in the order (player, equation).

    >>> len(start_assignments([1] * 5))  # the derangements of 5
    44
    >>> len(start_assignments([2, 2, 2]))
    10
    """
    owners = [p for p, d in enumerate(dims) for _ in range(d)]
    out: list[tuple[int, ...]] = []
    left = list(dims)
    cur: list[int] = []

    def rec(i: int) -> None:
        if i == len(owners):
            out.append(tuple(cur))
            return
        p = owners[i]
        for q in range(len(dims)):
            if q != p and left[q] > 0:
                left[q] -= 1
                cur.append(q)
                rec(i + 1)
                cur.pop()
                left[q] += 1

    rec(0)
    return out


def mh_bezout(dims: Sequence[int]) -> int:
    """The multihomogeneous Bézout number of a support system (the number of paths).

    >>> mh_bezout([1, 1, 1]), mh_bezout([2, 2, 2]), mh_bezout([3, 1])
    (2, 10, 0)
    """
    # coefficient extraction by dynamic programming over the players' equations
    counts: dict[tuple[int, ...], int] = {tuple(dims): 1}
    for p, d in enumerate(dims):
        for _ in range(d):
            nxt: dict[tuple[int, ...], int] = {}
            for left, c in counts.items():
                for q, lq in enumerate(left):
                    if q != p and lq > 0:
                        key = left[:q] + (lq - 1,) + left[q + 1 :]
                        nxt[key] = nxt.get(key, 0) + c
            counts = nxt
    return counts.get((0,) * len(dims), 0)


class _System:
    """Multilinear forms D_p (one per mixing player, one tensor per path) evaluated on a batch of points."""

    def __init__(self, sizes: Sequence[int]):
        self.sizes = list(sizes)
        self.m = len(sizes)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.n_eq = sum(k - 1 for k in sizes)
        self.n = int(self.offsets[-1])
        # einsum specs (the tensor has a leading path axis Z): value and derivative in each other group
        self.specs = []
        for p in range(self.m):
            others = [q for q in range(self.m) if q != p]
            letters = ascii_letters[1 : 1 + len(others)]
            base = "Zz" + letters
            val = base + "," + ",".join("Z" + a for a in letters) + "->Zz"
            ders = []
            for i, q in enumerate(others):
                rest = [a for j, a in enumerate(letters) if j != i]
                spec = base + ("," + ",".join("Z" + a for a in rest) if rest else "") + "->Zz" + letters[i]
                ders.append((q, [others[j] for j in range(len(others)) if j != i], spec))
            self.specs.append((others, val, ders))

    def groups(self, x: np.ndarray) -> list[np.ndarray]:
        return [x[:, self.offsets[q] : self.offsets[q + 1]] for q in range(self.m)]

    def eval(self, x: np.ndarray, tensors: Sequence[np.ndarray], jacobian: bool = True):
        """Values (P, n_eq) and, if asked, Jacobians (P, n_eq, n); ``tensors[p]`` of shape (P, k_p - 1, ...)."""
        g = self.groups(x)
        P = x.shape[0]
        vals = np.empty((P, self.n_eq), dtype=complex)
        jac = np.zeros((P, self.n_eq, self.n), dtype=complex) if jacobian else None
        row = 0
        for p in range(self.m):
            k = self.sizes[p] - 1
            others, val, ders = self.specs[p]
            d = tensors[p]
            vals[:, row : row + k] = np.einsum(val, d, *[g[q] for q in others])
            if jacobian:
                for q, rest, spec in ders:
                    jac[:, row : row + k, self.offsets[q] : self.offsets[q + 1]] = np.einsum(spec, d, *[g[r] for r in rest])
            row += k
        return vals, jac


def _batched_solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve a[i] x = b[i]; rows whose matrix is singular get zeros and a False flag."""
    try:
        return np.linalg.solve(a, b[..., None])[..., 0], np.ones(a.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        out = np.zeros(b.shape, dtype=complex)
        good = np.zeros(a.shape[0], dtype=bool)
        for i in range(a.shape[0]):
            try:
                out[i] = np.linalg.solve(a[i], b[i])
                good[i] = np.all(np.isfinite(out[i]))
            except np.linalg.LinAlgError:
                pass
        return out, good


def solve_support_system(
    tensors: Sequence[np.ndarray],
    sizes: Sequence[int],
    *,
    seed: int = 0,
    max_paths: int | None = None,
) -> HomotopyResult:
    """Every isolated root of the indifference system of one support profile, by homotopy.

    Parameters
    ----------
    tensors : sequence of numpy.ndarray
        For each mixing player p (in order), ``D_p`` of shape ``(k_p - 1, k_q, ...)`` over the other
        mixing players q in order: the payoff differences of the module docstring (floats, ideally
        scaled to magnitude about one).
    sizes : sequence of int
        ``k_q``, the support size of each mixing player (each at least 2).
    seed : int
        Seed of the random start system, chart and gamma (results are reproducible).
    max_paths : int, optional
        Refuse (``ok=False``) when more paths would be needed.

    Returns
    -------
    HomotopyResult

    Examples
    --------
    Three-player matching pennies (Jordan 1993) on full support: a single root, all halves.

    >>> d1 = np.array([[[-1.0, -1.0], [1.0, 1.0]]])  # player 1 wants to match player 2
    >>> d2 = np.array([[[-1.0, 1.0], [-1.0, 1.0]]])  # player 2 wants to match player 3
    >>> d3 = np.array([[[1.0, 1.0], [-1.0, -1.0]]])  # player 3 wants to mismatch player 1
    >>> r = solve_support_system([d1, d2, d3], [2, 2, 2])
    >>> r.ok, r.paths, [[np.round(v.real, 12).tolist() for v in root] for root in r.roots]
    (True, 2, [[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]])
    """
    paths = mh_bezout([int(k) - 1 for k in sizes])
    if max_paths is not None and paths > max_paths:
        return HomotopyResult([], paths, False, f"{paths} paths exceed the cap {max_paths}")
    return solve_support_systems([[np.asarray(d)] for d in tensors], sizes, seed=seed)[0]


def solve_support_systems(
    tensors: Sequence[Sequence[np.ndarray]],
    sizes: Sequence[int],
    *,
    seed: int = 0,
) -> list[HomotopyResult]:
    """:func:`solve_support_system` for many systems of the same support sizes, tracked as one batch.

    ``tensors[p][s]`` is player p's tensor in system s. Batching all the support profiles of one
    shape amortises numpy's per-call overhead over every path of every system.
    """
    sizes = [int(k) for k in sizes]
    m = len(sizes)
    S = len(tensors[0])
    dims = [k - 1 for k in sizes]
    assign = start_assignments(dims)
    A = len(assign)
    if A == 0:
        return [HomotopyResult([], 0, False, "multihomogeneous Bezout number 0") for _ in range(S)]
    rng = np.random.default_rng(seed)

    def crandn(*shape):
        return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)

    sysF = _System(sizes)
    # start system: rank-one tensors, one linear form per (equation, other group)
    lin = []  # lin[p][q]: (k_p - 1, k_q) forms, for q != p
    start_tensors = []
    for p in range(m):
        others = [q for q in range(m) if q != p]
        forms = {q: crandn(dims[p], sizes[q]) for q in others}
        lin.append(forms)
        t = np.ones((dims[p],) + tuple(sizes[q] for q in others), dtype=complex)
        for i, q in enumerate(others):
            shape = [dims[p]] + [1] * len(others)
            shape[1 + i] = sizes[q]
            t = t * forms[q].reshape(shape)
        start_tensors.append(t)
    chart = [crandn(k) for k in sizes]
    gamma = np.exp(2j * np.pi * rng.random())
    owners = [(p, j) for p in range(m) for j in range(dims[p])]
    x0 = np.empty((A, sysF.n), dtype=complex)
    for a_i, a in enumerate(assign):
        for q in range(m):
            rows = [lin[p][q][j] for (p, j), g in zip(owners, a, strict=True) if g == q]
            mat = np.vstack(rows + [chart[q]])
            rhs = np.zeros(sizes[q], dtype=complex)
            rhs[-1] = 1.0
            x0[a_i, sysF.offsets[q] : sysF.offsets[q + 1]] = np.linalg.solve(mat, rhs)
    chart_rows = np.zeros((m, sysF.n), dtype=complex)
    for q in range(m):
        chart_rows[q, sysF.offsets[q] : sysF.offsets[q + 1]] = chart[q]
    # one path per (system, start root)
    P = S * A
    owner = np.repeat(np.arange(S), A)
    DF = [np.asarray(np.stack([np.asarray(d, dtype=complex) for d in tensors[p]]))[owner] for p in range(m)]
    DG = [np.broadcast_to(start_tensors[p], (P,) + start_tensors[p].shape) for p in range(m)]
    DT = [DF[p] - gamma * DG[p] for p in range(m)]  # dH/dt

    def h_tensors(idx, t):
        a = ((1 - t) * gamma).reshape((-1,) + (1,) * 1)
        out = []
        for p in range(m):
            shp = (-1,) + (1,) * (DF[p].ndim - 1)
            out.append(((1 - t) * gamma).reshape(shp) * DG[p][idx] + t.reshape(shp) * DF[p][idx])
        del a
        return out

    chart_block = None

    def with_chart(x, vals, jac):
        nonlocal chart_block
        if chart_block is None or chart_block.shape[0] < x.shape[0]:
            chart_block = np.broadcast_to(chart_rows, (P, m, sysF.n))
        v = np.concatenate([vals, x @ chart_rows.T - 1], axis=1)
        j = np.concatenate([jac, chart_block[: x.shape[0]]], axis=1) if jac is not None else None
        return v, j

    def velocity(idx, x, t):
        _, jac = sysF.eval(x, h_tensors(idx, t))
        ht, _ = sysF.eval(x, [d[idx] for d in DT], jacobian=False)
        _, jac = with_chart(x, ht, jac)
        rhs = np.concatenate([-ht, np.zeros((x.shape[0], m), dtype=complex)], axis=1)
        return _batched_solve(jac, rhs)

    x = np.tile(x0, (S, 1))
    t = np.zeros(P)
    h = np.full(P, _H0)
    wins = np.zeros(P, dtype=int)
    done = np.zeros(P, dtype=bool)
    failed = np.zeros(P, dtype=bool)
    for _ in range(_MAX_STEPS):
        act = np.flatnonzero(~done & ~failed)
        if act.size == 0:
            break
        xa, ta = x[act], t[act]
        ha = np.minimum(h[act], 1.0 - ta)
        k1, g1 = velocity(act, xa, ta)
        k2, g2 = velocity(act, xa + 0.5 * ha[:, None] * k1, ta + 0.5 * ha)
        k3, g3 = velocity(act, xa + 0.5 * ha[:, None] * k2, ta + 0.5 * ha)
        k4, g4 = velocity(act, xa + ha[:, None] * k3, ta + ha)
        xp = xa + (ha / 6.0)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        tp = ta + ha
        ok = g1 & g2 & g3 & g4 & np.all(np.isfinite(xp), axis=1)
        xp[~ok] = xa[~ok]
        prev = np.full(act.size, np.inf)
        ht_tensors = h_tensors(act, tp)
        for _it in range(3):
            val, jac = with_chart(xp, *sysF.eval(xp, ht_tensors))
            dx, good = _batched_solve(jac, val)
            ok &= good
            nrm = np.linalg.norm(dx, axis=1)
            ok &= (nrm <= 0.5 * prev) | (nrm < 1e-12 * (1 + np.linalg.norm(xp, axis=1)))
            prev = nrm
            xp = xp - dx
        scale = 1 + np.linalg.norm(xp, axis=1)
        ok &= prev <= 1e-8 * scale
        acc = act[ok]
        x[acc] = xp[ok]
        t[acc] = tp[ok]
        wins[acc] += 1
        grow = acc[wins[acc] >= 2]
        h[grow] = np.minimum(2 * h[grow], _HMAX)
        wins[grow] = 0
        rej = act[~ok]
        h[rej] /= 2
        wins[rej] = 0
        failed[rej[h[rej] < _HMIN]] = True
        done[acc[t[acc] >= 1.0]] = True
    failed |= ~done
    # end game: Newton on F itself, then the condition number at each end point
    allp = np.arange(P)
    xe = x.copy()
    xe[failed] = 0
    fts = [d for d in DF]
    for _it in range(4):
        val, jac = with_chart(xe, *sysF.eval(xe, fts))
        dx, good = _batched_solve(jac, val)
        xe = xe - dx
    val, jac = with_chart(xe, *sysF.eval(xe, fts))
    with np.errstate(all="ignore"):
        cond = np.linalg.cond(jac)
    resid = np.abs(val).max(axis=1)
    bad = failed | ~np.isfinite(cond) | (cond > COND_MAX) | ~(resid <= 1e-8 * (1 + np.abs(xe).max(axis=1)))
    # end points far from every probability vector: for a nonnegative vector, |sum| >= max |entry|,
    # and that ratio is invariant under complex rescaling; an end point with a player whose ratio is
    # below 1/2 is no equilibrium nor near one, singular or not. A path that failed within 1e-3 of
    # t = 1 (slow convergence to a singular end point) is judged by the point it reached.
    xa = np.where(failed[:, None], x, xe)
    rel = np.stack(
        [np.abs(xa[:, sysF.offsets[q] : sysF.offsets[q + 1]].sum(axis=1)) / (1e-300 + np.abs(xa[:, sysF.offsets[q] : sysF.offsets[q + 1]]).max(axis=1)) for q in range(m)],
        axis=1,
    )
    at_inf = (rel.min(axis=1) < 0.5) & np.all(np.isfinite(xa), axis=1) & (~failed | (t > 1 - 1e-3))
    failed &= ~at_inf
    bad &= ~at_inf
    del allp
    out = []
    for s_i in range(S):
        sl = slice(s_i * A, (s_i + 1) * A)
        if failed[sl].any():
            out.append(HomotopyResult([], A, False, f"{int(failed[sl].sum())} of {A} paths failed"))
            continue
        if bad[sl].any():
            out.append(HomotopyResult([], A, False, f"{int(bad[sl].sum())} of {A} end points are singular (a continuum or a multiple root)"))
            continue
        xs = xe[sl][~at_inf[sl]]
        jumped = any(
            np.linalg.norm(xs[i] - xs[j]) <= 1e-6 * (1 + np.linalg.norm(xs[i])) for i, j in itertools.combinations(range(xs.shape[0]), 2)
        )
        if jumped:
            out.append(HomotopyResult([], A, False, "two paths ended at one root (path jumping)"))
            continue
        roots = []
        for r in xs:
            per = []
            for q in range(m):
                v = r[sysF.offsets[q] : sysF.offsets[q + 1]]
                tot = v.sum()
                if abs(tot) < 1e-12 * (1 + np.abs(v).max()):
                    per = None  # a root with sum 0: not a probability vector in any scaling
                    break
                per.append(v / tot)
            if per is not None:
                roots.append(per)
        out.append(HomotopyResult(roots, A, True, ""))
    return out
