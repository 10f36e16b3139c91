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

import numpy as np

__all__ = ["COND_MAX", "HomotopyResult", "mh_bezout", "solve_padded_systems", "solve_support_system", "solve_support_systems", "start_assignments"]

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
    """The layout of a batch's unknowns: group q's vector is ``x[:, offsets[q]:offsets[q + 1]]``."""

    def __init__(self, sizes: Sequence[int]):
        self.sizes = list(sizes)
        self.m = len(sizes)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.n_eq = sum(k - 1 for k in sizes)
        self.n = int(self.offsets[-1])


class _PaddedSystem:
    """The homotopy H = (1 - t) gamma G + t F + E x of a padded batch, evaluated on the paths ``idx``.

    F: per group p the multilinear tensor (P, K_p - 1, K_q, ...); its derivative in each other
    group is a chain of batched matrix-vector products (one copy of the tensor per derivative,
    with that group's axis first). G: the start system, a product of linear forms
    ``LM[p][q] @ x_q``, evaluated without any tensor. E: the padding equations (linear in x_p).
    """

    def __init__(self, K, DF, LM, EE, chart_rows, gamma, perms=None):
        self.K = list(K)
        self.m = len(K)
        self.offsets = np.concatenate([[0], np.cumsum(K)]).astype(int)
        self.n = int(self.offsets[-1])
        self.rows_of = np.concatenate([[0], np.cumsum([k - 1 for k in K])]).astype(int)
        self.n_eq = int(self.rows_of[-1])
        self.others = [[q for q in range(self.m) if q != p] for p in range(self.m)]
        self.DF, self.LM, self.EE = DF, LM, EE
        self.chart_rows = chart_rows
        self.gamma = gamma
        if perms is None:
            perms = []
            for p in range(self.m):
                per = []
                for i in range(len(self.others[p])):
                    axes = [0, 1, 2 + i] + [2 + j for j in range(len(self.others[p])) if j != i]
                    per.append(np.ascontiguousarray(DF[p].transpose(axes)))
                perms.append(per)
        self.perms = perms

    def take(self, idx: np.ndarray) -> _PaddedSystem:
        return _PaddedSystem(
            self.K,
            [d[idx] for d in self.DF],
            [{q: a[idx] for q, a in d.items()} for d in self.LM],
            [e[idx] for e in self.EE],
            self.chart_rows,
            self.gamma,
            [[a[idx] for a in per] for per in self.perms],
        )

    def _parts(self, x):
        P = x.shape[0]
        g = [x[:, self.offsets[q] : self.offsets[q + 1]] for q in range(self.m)]
        vF, vG, dF, dG = [], [], [], []
        for p in range(self.m):
            others = self.others[p]
            if self.K[p] < 2:
                vF.append(np.zeros((P, 0), dtype=complex))
                vG.append(np.zeros((P, 0), dtype=complex))
                dF.append({})
                dG.append({})
                continue
            ders = {}
            for i, q in enumerate(others):
                cur = self.perms[p][i]
                for r in reversed([o for o in others if o != q]):
                    cur = np.matmul(cur.reshape(P, -1, self.K[r]), g[r][:, :, None]).reshape(cur.shape[:-1])
                ders[q] = cur
            q0 = others[0]
            vF.append(np.einsum("Pjk,Pk->Pj", ders[q0], g[q0]))
            lv = {q: np.matmul(self.LM[p][q], g[q][:, :, None])[..., 0] for q in others}
            prod = np.ones_like(lv[q0])
            for q in others:
                prod = prod * lv[q]
            vG.append(prod)
            dgs = {}
            for q in others:
                rest = np.ones_like(prod)
                for o in others:
                    if o != q:
                        rest = rest * lv[o]
                dgs[q] = rest[:, :, None] * self.LM[p][q]
            dF.append(ders)
            dG.append(dgs)
        return g, vF, vG, dF, dG

    def _jacobian(self, P, t, dF, dG):
        a = ((1 - t) * self.gamma)[:, None, None]
        tt = t[:, None, None]
        jac = np.zeros((P, self.n_eq + self.m, self.n), dtype=complex)
        for p in range(self.m):
            r0, r1 = self.rows_of[p], self.rows_of[p + 1]
            if r1 == r0:
                continue
            for q in self.others[p]:
                jac[:, r0:r1, self.offsets[q] : self.offsets[q + 1]] = a * dG[p][q] + tt * dF[p][q]
            jac[:, r0:r1, self.offsets[p] : self.offsets[p + 1]] = self.EE[p]
        jac[:, self.n_eq :, :] = self.chart_rows
        return jac

    def velocity(self, x, t):
        """dx/dt along the path: solve H_x dx = -H_t (the chart rows fixed)."""
        P = x.shape[0]
        _, vF, vG, dF, dG = self._parts(x)
        jac = self._jacobian(P, t, dF, dG)
        rhs = np.zeros((P, self.n_eq + self.m), dtype=complex)
        rhs[:, : self.n_eq] = self.gamma * np.concatenate(vG, axis=1) - np.concatenate(vF, axis=1)
        return _batched_solve(jac, rhs)

    def h(self, x, t):
        """H (with the chart equations) and its Jacobian at (x, t)."""
        P = x.shape[0]
        g, vF, vG, dF, dG = self._parts(x)
        a = ((1 - t) * self.gamma)[:, None]
        val = np.empty((P, self.n_eq + self.m), dtype=complex)
        for p in range(self.m):
            r0, r1 = self.rows_of[p], self.rows_of[p + 1]
            if r1 > r0:
                val[:, r0:r1] = a * vG[p] + t[:, None] * vF[p] + np.einsum("Pjk,Pk->Pj", self.EE[p], g[p])
        val[:, self.n_eq :] = x @ self.chart_rows.T - 1
        return val, self._jacobian(P, t, dF, dG)


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

    ``tensors[p][s]`` is player p's tensor in system s (see :func:`solve_padded_systems`, which
    this calls, for systems of different sizes in one batch).
    """
    sizes = tuple(int(k) for k in sizes)
    S = len(tensors[0])
    return solve_padded_systems([(sizes, [tensors[p][s] for p in range(len(sizes))]) for s in range(S)], seed=seed)


def solve_padded_systems(
    systems: Sequence[tuple[Sequence[int], Sequence[np.ndarray]]],
    *,
    seed: int = 0,
) -> list[HomotopyResult]:
    """Support systems of *different* sizes tracked as one batch, each padded to the largest (ours).

    Parameters
    ----------
    systems : sequence of (sizes, tensors)
        Every system has the same number ``m`` of groups. ``sizes[g] >= 1`` is group g's support
        size (1: a player who does not mix in this system; it has no equations and its vector is
        fixed); ``tensors[g]`` has shape ``(sizes[g] - 1, *[sizes[q] for q != g])``.
    seed : int
        Seed of the random start system, chart and gamma.

    Returns
    -------
    list of HomotopyResult
        One per system, in order; ``roots`` hold one vector per group (length ``sizes[g]``).

    Notes
    -----
    Padding (ours). Let :math:`K_g` be the largest size of group g in the batch. A system with
    :math:`k_g < K_g` gets the extra coordinates :math:`\\sigma_g(s) = 0` (:math:`s \\ge k_g`) as
    extra equations that are the *same* in the start and the target system and do not depend on
    t, :math:`H_{g,s} = \\sigma_g(s)`; its multilinear tensors are zero on the padded rows and
    coordinates. Along every path the padded coordinates stay exactly zero and the Jacobian is
    block triangular with an identity on them, so each path is the path of the unpadded system:
    the same roots, the same number of paths (that system's multihomogeneous Bézout number, its
    start roots embedded with zeros). Only the condition number is taken on the unpadded block.
    Batching every shape together divides numpy's per-call overhead by the number of shapes.
    """
    S = len(systems)
    if S == 0:
        return []
    m = len(systems[0][0])
    K = [max(int(s[0][g]) for s in systems) for g in range(m)]
    rng = np.random.default_rng(seed)

    def crandn(*shape):
        return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)

    sysF = _System(K)
    lin = []  # lin[p][q]: (K_p - 1, K_q) random forms, for q != p
    start_tensors = []
    for p in range(m):
        others = [q for q in range(m) if q != p]
        forms = {q: crandn(K[p] - 1, K[q]) for q in others}
        lin.append(forms)
        t = np.ones((K[p] - 1,) + tuple(K[q] for q in others), dtype=complex)
        for i, q in enumerate(others):
            shape = [K[p] - 1] + [1] * len(others)
            shape[1 + i] = K[q]
            t = t * forms[q].reshape(shape)
        start_tensors.append(t)
    chart = [crandn(k) for k in K]
    gamma = np.exp(2j * np.pi * rng.random())
    chart_rows = np.zeros((m, sysF.n), dtype=complex)
    for q in range(m):
        chart_rows[q, sysF.offsets[q] : sysF.offsets[q + 1]] = chart[q]
    # start roots, padded tensors and masks per system; one path per (system, start root)
    x0s, owner_l, DF_l, LM_l, E_l = [], [], [], [], []
    counts = []
    for s_i, (sizes, tens) in enumerate(systems):
        sizes = [int(k) for k in sizes]
        dims = [k - 1 for k in sizes]
        assign = start_assignments(dims)
        counts.append(len(assign))
        if not assign:
            continue
        owners = [(p, j) for p in range(m) for j in range(dims[p])]
        x0 = np.zeros((len(assign), sysF.n), dtype=complex)
        for a_i, a in enumerate(assign):
            for q in range(m):
                rows = [lin[p][q][j, : sizes[q]] for (p, j), g in zip(owners, a, strict=True) if g == q]
                mat = np.vstack(rows + [chart[q][: sizes[q]]])
                rhs = np.zeros(sizes[q], dtype=complex)
                rhs[-1] = 1.0
                off = sysF.offsets[q]
                x0[a_i, off : off + sizes[q]] = np.linalg.solve(mat, rhs)
        x0s.append(x0)
        owner_l.append(np.full(len(assign), s_i))
        dfs, dgs, es = [], [], []
        for p in range(m):
            others = [q for q in range(m) if q != p]
            region = (slice(0, dims[p]),) + tuple(slice(0, sizes[q]) for q in others)
            f = np.zeros(start_tensors[p].shape, dtype=complex)
            f[region] = np.asarray(tens[p], dtype=complex).reshape([dims[p]] + [sizes[q] for q in others])
            g = {}
            for q in others:  # the start system's linear forms, zero on padded rows and coordinates
                g[q] = np.zeros((K[p] - 1, K[q]), dtype=complex)
                g[q][: dims[p], : sizes[q]] = lin[p][q][: dims[p], : sizes[q]]
            e = np.zeros((K[p] - 1, K[p]), dtype=complex)
            for j in range(dims[p], K[p] - 1):
                e[j, j + 1] = 1.0
            dfs.append(f)
            dgs.append(g)
            es.append(e)
        DF_l.append(dfs)
        LM_l.append(dgs)
        E_l.append(es)
    out: list[HomotopyResult | None] = [None if c else HomotopyResult([], 0, False, "multihomogeneous Bezout number 0") for c in counts]
    if not x0s:
        return out  # type: ignore[return-value]
    x = np.concatenate(x0s)
    owner = np.concatenate(owner_l)
    P = x.shape[0]
    live = [s_i for s_i, c in enumerate(counts) if c]
    pos = {s_i: i for i, s_i in enumerate(live)}
    sel = np.array([pos[s] for s in owner])
    DF = [np.stack([d[p] for d in DF_l])[sel] for p in range(m)]
    LM = [{q: np.stack([d[p][q] for d in LM_l])[sel] for q in range(m) if q != p} for p in range(m)]
    EE = [np.stack([d[p] for d in E_l])[sel] for p in range(m)]
    ev = _PaddedSystem(K, DF, LM, EE, chart_rows, gamma)

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
        sub = ev.take(act)
        ha = np.minimum(h[act], 1.0 - ta)
        k1, g1 = sub.velocity(xa, ta)
        k2, g2 = sub.velocity(xa + 0.5 * ha[:, None] * k1, ta + 0.5 * ha)
        k3, g3 = sub.velocity(xa + 0.5 * ha[:, None] * k2, ta + 0.5 * ha)
        k4, g4 = sub.velocity(xa + ha[:, None] * k3, ta + ha)
        xp = xa + (ha / 6.0)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        tp = ta + ha
        ok = g1 & g2 & g3 & g4 & np.all(np.isfinite(xp), axis=1)
        xp[~ok] = xa[~ok]
        prev = np.full(act.size, np.inf)
        for _it in range(3):
            val, jac = sub.h(xp, tp)
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
    # end game: Newton on F itself (with the padding equations), then the condition number of the
    # unpadded block at each end point
    xe = x.copy()
    xe[failed] = 0
    one = np.ones(P)
    for _it in range(4):
        val, jac = ev.h(xe, one)
        dx, good = _batched_solve(jac, val)
        xe = xe - dx
    val, jac = ev.h(xe, one)
    rows_of = ev.rows_of
    cond = np.empty(P)
    by_shape: dict[tuple[int, ...], list[int]] = {}
    for s_i in live:
        by_shape.setdefault(tuple(int(k) for k in systems[s_i][0]), []).append(s_i)
    for sizes, members in by_shape.items():
        paths = np.flatnonzero(np.isin(owner, members))
        rws = [rows_of[p] + j for p in range(m) for j in range(sizes[p] - 1)] + [sysF.n_eq + q for q in range(m)]
        cols = [sysF.offsets[q] + j for q in range(m) for j in range(sizes[q])]
        with np.errstate(all="ignore"):
            cond[paths] = np.linalg.cond(jac[np.ix_(paths, rws, cols)])
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
    for s_i in live:
        sl = np.flatnonzero(owner == s_i)
        A = sl.size
        sizes = [int(k) for k in systems[s_i][0]]
        if failed[sl].any():
            out[s_i] = HomotopyResult([], A, False, f"{int(failed[sl].sum())} of {A} paths failed")
            continue
        if bad[sl].any():
            out[s_i] = HomotopyResult([], A, False, f"{int(bad[sl].sum())} of {A} end points are singular (a continuum or a multiple root)")
            continue
        xs = xe[sl][~at_inf[sl]]
        jumped = any(np.linalg.norm(xs[i] - xs[j]) <= 1e-6 * (1 + np.linalg.norm(xs[i])) for i, j in itertools.combinations(range(xs.shape[0]), 2))
        if jumped:
            out[s_i] = HomotopyResult([], A, False, "two paths ended at one root (path jumping)")
            continue
        roots = []
        for r in xs:
            per = []
            for q in range(m):
                v = r[sysF.offsets[q] : sysF.offsets[q] + sizes[q]]
                tot = v.sum()
                if abs(tot) < 1e-12 * (1 + np.abs(v).max()):
                    per = None  # a root with sum 0: not a probability vector in any scaling
                    break
                per.append(v / tot)
            if per is not None:
                roots.append(per)
        out[s_i] = HomotopyResult(roots, A, True, "")
    return out  # type: ignore[return-value]
