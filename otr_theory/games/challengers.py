"""The prover against n challengers: the full (n+1)-player game and the symmetric equilibrium.

Per query, the prover chooses *honest* or *cheat*; each challenger j = 1..n chooses *monitor*
(re-execute, cost c) or *idle*. The payoffs are those of the core model's inspection game
(:func:`otr_theory.payoffs.inspection_game`, relative to honest-and-idle) with the reward
shared among the challengers who find a fraud, one of them chosen uniformly
(`otr-core-model`; our construction):

* prover: honest 0; cheat :math:`B` if at least one challenger monitors (caught for sure),
  :math:`A` if none does (spot-checks only), where :math:`A` and :math:`B` are the bimatrix's
  cheat|idle and cheat|monitor entries;
* challenger j: idle 0; monitor :math:`-c` against an honest prover and
  :math:`R/(1+K) - c` against a cheat, K the number of *other* monitors, where
  :math:`c = -C_{\\text{honest,monitor}}` and :math:`R = C_{\\text{cheat,monitor}} + c` (= aS).

With n = 1 this is exactly the bimatrix; no payoff is re-derived here, the entries are read off
it. :func:`challenger_game` builds the game (exact rationals) for small n; its equilibria come
from :func:`otr_theory.games.nplayer.nplayer_equilibria`, so the closed-form symmetric
equilibrium of :func:`otr_theory.payoffs.n_challenger_equilibrium` can be checked against a full
solve (:func:`cross_check`, n = 1, 2, 3).

For n up to 10,000, :func:`challenger_sweep` evaluates the closed form (vectorised) and checks
every point by an independent regret computed from the game's definition: the expected share of
a monitor is summed over the binomial distribution of the other monitors (scipy) rather than
taken from the closed form :math:`s(y) = (1-(1-y)^n)/(ny)`.

Also here: Diekmann's (1985) volunteer's dilemma, :func:`volunteers_dilemma`, a known-answer
game for the n-player solver (2^n - 1 equilibria: n pure, and for every k = 2..n subsets of k
volunteers the symmetric mix among them).

References
----------
Avenhaus, R., von Stengel, B., Zamir, S. (2002). Inspection games. Handbook of Game Theory 3,
ch. 51.
Diekmann, A. (1985). Volunteer's dilemma. Journal of Conflict Resolution 29(4), 605-610.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import stats

from otr_theory.games.normal_form import EquilibriumResult, GameError, NormalFormGame, regret, tool_versions
from otr_theory.payoffs import (
    InspectionEquilibrium,
    inspection_equilibrium,
    inspection_game,
    inspection_game_exact,
    n_challenger_equilibrium,
)

__all__ = [
    "ChallengerSweep",
    "CrossCheck",
    "InspectionCheck",
    "inspection_check",
    "MAX_FULL_GAME_CHALLENGERS",
    "challenger_game",
    "challenger_sweep",
    "cross_check",
    "symmetric_profile",
    "symmetric_regret",
    "volunteers_dilemma",
]

MAX_FULL_GAME_CHALLENGERS = 6
"""The largest n for which :func:`challenger_game` builds the (n+1)-player game (2^(n+1) profiles)."""


def _entries(values: Any, deviation: str, convention: str, protocol: Any, exact: bool):
    if exact:
        P, C = inspection_game_exact(values, deviation, convention, protocol=protocol)
    else:
        P, C = inspection_game(values, deviation, convention, protocol=protocol)
    A, B = P[1][1], P[1][0]
    c = -C[0][0]
    R = C[1][0] + c
    return A, B, R, c


def challenger_game(
    values: Any,
    n: int,
    deviation: str = "wrong_output",
    convention: str = "forfeit",
    *,
    protocol: Any = None,
    exact: bool = True,
) -> NormalFormGame:
    """The (n+1)-player game: the prover (honest, cheat) against n challengers (monitor, idle).

    Parameters
    ----------
    values : Mapping or Model
        ``Model.values()`` or a Model (its protocol switches are then used).
    n : int
        Number of challengers, 1 to :data:`MAX_FULL_GAME_CHALLENGERS`.
    deviation, convention : str
        As in :func:`otr_theory.payoffs.inspection_game`.
    protocol : optional
        Protocol switches.
    exact : bool
        Exact rationals (default) or floats.

    Returns
    -------
    NormalFormGame
        Player 0 the prover, players 1..n the challengers.

    Examples
    --------
    With one challenger it is the bimatrix of :func:`otr_theory.payoffs.inspection_game_exact`:

    >>> from otr_theory.model import load_model
    >>> from otr_theory.payoffs import inspection_game_exact
    >>> v = load_model().values()
    >>> g = challenger_game(v, 1)
    >>> P, C = inspection_game_exact(v)
    >>> bool((g.payoffs[0] == P).all() and (g.payoffs[1] == C).all())
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_FULL_GAME_CHALLENGERS:
        raise GameError("n", f"must be an integer in 1..{MAX_FULL_GAME_CHALLENGERS} for the full game (use challenger_sweep for more)", n)
    n = int(n)
    A, B, R, c = _entries(values, deviation, convention, protocol, exact)
    zero = Fraction(0) if exact else 0.0
    shape = (2,) * (n + 1)
    arrays = [np.empty(shape, dtype=object) for _ in range(n + 1)]
    for prof in itertools.product((0, 1), repeat=n + 1):
        cheat = prof[0] == 1
        monitors = [j for j in range(1, n + 1) if prof[j] == 0]
        arrays[0][prof] = zero if not cheat else (B if monitors else A)
        for j in range(1, n + 1):
            if prof[j] == 1:
                arrays[j][prof] = zero
            elif cheat:
                arrays[j][prof] = R / len(monitors) - c
            else:
                arrays[j][prof] = -c
    if not exact:
        arrays = [a.astype(float) for a in arrays]
    return NormalFormGame.from_arrays(
        arrays,
        players=("prover", *(f"challenger {j}" for j in range(1, n + 1))),
        strategies=(("honest", "cheat"), *((("monitor", "idle"),) * n)),
        title=f"OTR inspection game: prover vs {n} challenger{'s' if n > 1 else ''} ({deviation}, {convention})",
    )


def symmetric_profile(fraud_rate: Any, monitoring_rate: Any, n: int) -> list[list[Any]]:
    """The profile of the (n+1)-player game where the prover cheats with x and every challenger monitors with y.

    >>> symmetric_profile(Fraction(1, 4), Fraction(1, 2), 2)
    [[Fraction(3, 4), Fraction(1, 4)], [Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 2), Fraction(1, 2)]]
    """
    return [[1 - fraud_rate, fraud_rate], *([[monitoring_rate, 1 - monitoring_rate] for _ in range(n)])]


def symmetric_regret(values: Any, n: Any, fraud_rate: Any, monitoring_rate: Any, deviation: str = "wrong_output", convention: str = "forfeit", *, protocol: Any = None) -> np.ndarray:
    """Largest regret of the symmetric profile (x, y) in the game with n challengers, from its definition.

    The challenger's expected reward share is summed over K ~ Bin(n-1, y) (scipy), not taken
    from the closed form; the prover's payoff of cheating is :math:`(1-q)A + qB`,
    :math:`q = 1 - (1-y)^n`. Vectorised over n, x and y (broadcast).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> from otr_theory.payoffs import n_challenger_equilibrium
    >>> v = load_model().with_values(slash_usd=1000.0).values()
    >>> eq = n_challenger_equilibrium(v, 5)
    >>> float(symmetric_regret(v, 5, eq.fraud_rate, eq.monitoring_rate)) < 1e-9
    True
    """
    A, B, R, c = (float(v) for v in _entries(values, deviation, convention, protocol, exact=False))
    n, x, y = np.broadcast_arrays(np.asarray(n, dtype=np.int64), np.asarray(fraud_rate, dtype=float), np.asarray(monitoring_rate, dtype=float))
    out = np.empty(n.shape, dtype=float)
    for idx in np.ndindex(n.shape):
        nn, xx, yy = int(n[idx]), float(x[idx]), float(y[idx])
        k = np.arange(nn)
        share = float(np.sum(stats.binom.pmf(k, nn - 1, yy) / (k + 1.0)))
        q = 1.0 - (1.0 - yy) ** nn
        cheat = (1.0 - q) * A + q * B
        prover_value = xx * cheat
        prover_regret = max(0.0, cheat) - prover_value
        monitor = xx * R * share - c
        challenger_regret = max(0.0, monitor) - yy * monitor
        out[idx] = max(prover_regret, challenger_regret)
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# one challenger: the solver against the closed form


@dataclasses.dataclass(frozen=True)
class InspectionCheck:
    """The 2x2 inspection game solved twice: closed form (payoffs) and exact vertex enumeration.

    Attributes
    ----------
    deviation, convention : str
    closed_form : InspectionEquilibrium
        :func:`otr_theory.payoffs.inspection_equilibrium`.
    solved : EquilibriumResult
        :func:`otr_theory.games.bimatrix.vertex_enumeration` of
        :func:`otr_theory.payoffs.inspection_game_exact`.
    extreme_points : tuple of (Fraction, Fraction)
        The solver's extreme equilibria as (x, y) = (P(cheat), P(monitor)).
    agrees : bool
        Every extreme equilibrium lies in the closed form's set, and every corner of the closed
        form's set lies in the solver's set.
    """

    deviation: str
    convention: str
    closed_form: InspectionEquilibrium
    solved: EquilibriumResult
    extreme_points: tuple[tuple[Fraction, Fraction], ...]
    agrees: bool


def inspection_check(values: Any, deviation: str = "wrong_output", convention: str = "forfeit", *, protocol: Any = None) -> InspectionCheck:
    """Solve the one-challenger game by vertex enumeration and compare with the closed form, exactly.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> chk = inspection_check(load_model().with_values(slash_usd=1000.0).values())
    >>> chk.agrees, chk.closed_form.kind, chk.extreme_points  # x* = c/(aS) = 0.0002638/500
    (True, 'mixed', ((Fraction(1319, 2500000000), Fraction(89, 1089)),))
    """
    import warnings

    from otr_theory.games.bimatrix import vertex_enumeration

    P, Cm = inspection_game_exact(values, deviation, convention, protocol=protocol)
    game = NormalFormGame.from_bimatrix(
        P,
        Cm,
        players=("prover", "challenger"),
        strategies=(("honest", "cheat"), ("monitor", "idle")),
        title=f"OTR inspection game ({deviation}, {convention})",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is recorded in the result
        solved = vertex_enumeration(game)
    closed = inspection_equilibrium(values, deviation, convention, protocol=protocol)
    pts = tuple((e.strategies[0][1], e.strategies[1][0]) for e in solved.equilibria)
    rects = closed.equilibrium_set

    def in_closed(x: Fraction, y: Fraction) -> bool:
        return any(r[0][0] <= x <= r[0][1] and r[1][0] <= y <= r[1][1] for r in rects)

    corners = {(xs[i], ys[j]) for xs, ys in rects for i in (0, 1) for j in (0, 1)}
    agrees = all(in_closed(x, y) for x, y in pts) and all(solved.contains([[1 - x, x], [y, 1 - y]], tol=1e-12) for x, y in corners)
    return InspectionCheck(deviation, convention, closed, solved, pts, bool(agrees))


# ---------------------------------------------------------------------------------------------
# the sweep over n


@dataclasses.dataclass(frozen=True)
class ChallengerSweep:
    """The symmetric equilibrium for each n (closed form), checked by its regret.

    Attributes
    ----------
    n : ndarray of int
    fraud_rate, monitoring_rate, challenger_detection, detection_probability : ndarray
        x, y, :math:`q = 1-(1-y)^n` and :math:`p = 1-(1-\\rho)(1-q)` at each n.
    kind : ndarray of str
        ``pure``, ``mixed`` or ``degenerate`` (from the closed form).
    max_regret : float
        The largest regret over the points checked (:func:`symmetric_regret`).
    tolerance : float
        The bound it was checked against (1e-9 x the largest payoff magnitude).
    checked_n : ndarray of int
        The n at which the regret was computed.
    method : str
    versions : Mapping
    """

    n: np.ndarray
    fraud_rate: np.ndarray
    monitoring_rate: np.ndarray
    challenger_detection: np.ndarray
    detection_probability: np.ndarray
    kind: np.ndarray
    max_regret: float
    tolerance: float
    checked_n: np.ndarray
    method: str
    versions: Mapping[str, str]


def challenger_sweep(
    values: Any,
    ns: Sequence[int] | np.ndarray = (1, 2, 3, 5, 10, 30, 100, 300, 1000, 3000, 10_000),
    deviation: str = "wrong_output",
    convention: str = "forfeit",
    *,
    protocol: Any = None,
    check_every: int = 1,
) -> ChallengerSweep:
    """The symmetric equilibrium with n challengers for every n in ``ns`` (closed form, vectorised).

    Every ``check_every``-th point (and the last) is checked by :func:`symmetric_regret`.

    Raises
    ------
    RuntimeError
        If a checked point's regret exceeds the tolerance (the closed form is wrong there).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> sw = challenger_sweep(load_model().with_values(slash_usd=1000.0).values(), [1, 10, 10_000])
    >>> [round(float(v), 6) for v in sw.challenger_detection], sw.max_regret < sw.tolerance
    ([0.081726, 0.081726, 0.081726], True)
    """
    ns = np.asarray(ns)
    if ns.ndim != 1 or len(ns) == 0 or ns.dtype.kind not in "iu" or (ns < 1).any():
        raise GameError("ns", "must be a non-empty sequence of integers >= 1", ns.tolist() if ns.ndim else ns)
    if check_every < 1:
        raise GameError("check_every", "must be >= 1", check_every)
    eq = n_challenger_equilibrium(values, ns, deviation, convention, protocol=protocol)
    x = np.asarray(eq.fraud_rate, dtype=float)
    y = np.asarray(eq.monitoring_rate, dtype=float)
    idx = np.unique(np.r_[np.arange(0, len(ns), check_every), len(ns) - 1])
    reg = symmetric_regret(values, ns[idx], x[idx], y[idx], deviation, convention, protocol=protocol)
    A, B, R, c = (float(v) for v in _entries(values, deviation, convention, protocol, exact=False))
    tol = 1e-9 * max(1.0, abs(A), abs(B), abs(R), abs(c))
    worst = float(np.max(reg))
    if worst > tol:
        bad = int(ns[idx][int(np.argmax(reg))])
        raise RuntimeError(f"challenger_sweep: the closed form's equilibrium at n = {bad} has regret {worst:.3g} > {tol:.3g}")
    return ChallengerSweep(
        n=ns.astype(int),
        fraud_rate=x,
        monitoring_rate=y,
        challenger_detection=np.asarray(eq.challenger_detection, dtype=float),
        detection_probability=np.asarray(eq.detection_probability, dtype=float),
        kind=np.asarray(eq.kind).astype(str) if np.ndim(eq.kind) else np.full(len(ns), eq.kind),
        max_regret=worst,
        tolerance=tol,
        checked_n=ns[idx].astype(int),
        method="closed form (otr_theory.payoffs.n_challenger_equilibrium), regret from the binomial sum",
        versions=tool_versions(),
    )


# ---------------------------------------------------------------------------------------------
# cross-check against the full game


@dataclasses.dataclass(frozen=True)
class CrossCheck:
    """The closed form's symmetric equilibrium located in the full (n+1)-player solve.

    Attributes
    ----------
    n : int
    closed_form : tuple of float
        (x, y) from :func:`otr_theory.payoffs.n_challenger_equilibrium`.
    kind : str
        Its kind (``pure``, ``mixed``, ``degenerate``).
    full : EquilibriumResult
        Every equilibrium of the (n+1)-player game.
    match_index : int or None
        The index of the full solve's symmetric equilibrium that equals the closed form (within
        ``tol``), or None.
    regret_in_full_game : float
        The closed form's profile's regret in the full game (exact arithmetic on the float point).
    symmetric_equilibria : int
        How many equilibria of the full solve are symmetric among the challengers.
    agrees : bool
        The closed form is an equilibrium of the full game, found by the full solve.
    tol : float
    """

    n: int
    closed_form: tuple[float, float]
    kind: str
    full: EquilibriumResult
    match_index: int | None
    regret_in_full_game: float
    symmetric_equilibria: int
    agrees: bool
    tol: float


def cross_check(
    values: Any,
    n: int,
    deviation: str = "wrong_output",
    convention: str = "forfeit",
    *,
    protocol: Any = None,
    tol: float = 1e-9,
) -> CrossCheck:
    """Solve the full (n+1)-player game and find the closed form's symmetric equilibrium in it.

    For a ``degenerate`` closed form (a continuum), agreement means the closed-form point has
    zero regret in the full game and lies in the full result's equilibrium set.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> cc = cross_check(load_model().with_values(slash_usd=1000.0).values(), 2)
    >>> cc.agrees, cc.kind
    (True, 'mixed')
    """
    from otr_theory.games.equilibria import all_equilibria

    game = challenger_game(values, n, deviation, convention, protocol=protocol, exact=True)
    eq = n_challenger_equilibrium(values, n, deviation, convention, protocol=protocol)
    x, y = float(eq.fraud_rate), float(eq.monitoring_rate)
    full = all_equilibria(game)
    fgame = challenger_game(values, n, deviation, convention, protocol=protocol, exact=False)
    scale = fgame.payoff_scale()
    reg = float(regret(fgame, symmetric_profile(x, y, n)))
    target = symmetric_profile(x, y, n)
    match = None
    n_sym = 0
    for i, e in enumerate(full.equilibria):
        s = e.as_floats()
        if all(math.isclose(s[j][0], s[1][0], rel_tol=0, abs_tol=1e-12) for j in range(1, n + 1)):
            n_sym += 1
        if all(abs(a - b) <= tol for sj, tj in zip(s, target, strict=True) for a, b in zip(sj, tj, strict=True)):
            match = i
    agrees = reg <= tol * scale and (match is not None or full.contains(target, tol=tol))
    return CrossCheck(
        n=n,
        closed_form=(x, y),
        kind=str(eq.kind),
        full=full,
        match_index=match,
        regret_in_full_game=reg,
        symmetric_equilibria=n_sym,
        agrees=bool(agrees),
        tol=tol,
    )


# ---------------------------------------------------------------------------------------------
# a known-answer game


def volunteers_dilemma(n: int, benefit: Any = 4, cost: Any = 1) -> NormalFormGame:
    """Diekmann's volunteer's dilemma: n players; volunteering costs c; all get b if anybody volunteers.

    Strategies (volunteer, abstain). Payoffs: b - c to a volunteer, b to an abstainer if someone
    volunteered, 0 if nobody did. With 0 < c < b it has 2^n - 1 equilibria: the n pure ones
    (exactly one volunteer) and, for each set of k >= 2 players, the profile where those k
    abstain with probability :math:`(c/b)^{1/(k-1)}` and the rest abstain for sure.

    >>> volunteers_dilemma(3).shape
    (2, 2, 2)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise GameError("n", "must be an integer >= 2", n)
    shape = (2,) * n
    arrays = [np.empty(shape, dtype=object) for _ in range(n)]
    for prof in itertools.product((0, 1), repeat=n):
        anyone = any(s == 0 for s in prof)
        for p in range(n):
            arrays[p][prof] = (benefit - cost) if prof[p] == 0 else (benefit if anyone else 0 * benefit)
    return NormalFormGame.from_arrays(
        arrays,
        players=tuple(f"player {p + 1}" for p in range(n)),
        strategies=(("volunteer", "abstain"),) * n,
        title=f"volunteer's dilemma, n = {n} (Diekmann 1985)",
    )
