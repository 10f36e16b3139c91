"""Finite games in normal form, mixed profiles, regret, pure equilibria and the result record.

A game with players :math:`p = 1..n`, pure strategies :math:`s_p \\in S_p` and payoffs
:math:`u_p(s_1, \\dots, s_n)` is stored as one array ``payoffs`` of shape
``(n, |S_1|, ..., |S_n|)``: ``payoffs[p][s]`` is player p's payoff at the pure profile s.

A mixed profile :math:`\\sigma = (\\sigma_1, \\dots, \\sigma_n)` gives player p the payoff
:math:`U_p(\\sigma) = \\sum_s u_p(s) \\prod_q \\sigma_q(s_q)` and the payoff of each of its pure
strategies against the others, :math:`U_p(t, \\sigma_{-p})`. Its **regret** is

.. math:: r_p(\\sigma) = \\max_{t \\in S_p} U_p(t, \\sigma_{-p}) - U_p(\\sigma) \\ge 0,

and :math:`\\sigma` is a Nash equilibrium iff :math:`\\max_p r_p(\\sigma) = 0` (Nash 1951). Every
equilibrium a solver of :mod:`otr_theory.games` returns is re-checked here, independently of
how it was found: exactly (zero regret, in rationals) when the game's payoffs are rational,
below a stated tolerance otherwise.

Exactness: payoffs given as ``int``, :class:`fractions.Fraction`, sympy ``Rational`` or strings
such as ``"5/2"`` make an *exact* game (an object array of Fractions); any float makes a float
game. Solvers compute in rationals either way (a float is read as its shortest decimal form,
``0.1 -> 1/10``, as :attr:`otr_theory.model.Quantity.exact` does) and return Fractions for
exact games, floats for float games.

References
----------
Nash, J. (1951). Non-cooperative games. Annals of Mathematics 54(2), 286-295.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "Component",
    "Equilibrium",
    "EquilibriumResult",
    "GameError",
    "NormalFormGame",
    "DegenerateGameWarning",
    "IncompleteEnumerationWarning",
    "as_exact",
    "expected_payoffs",
    "pure_equilibria",
    "regret",
    "strategy_payoffs",
    "tool_versions",
]

Number = Fraction | float


class GameError(ValueError):
    """A malformed game or profile: names the field, the rule and the bad value."""

    def __init__(self, field: str, rule: str, value: Any = None):
        self.field = field
        self.rule = rule
        self.value = value
        got = "" if value is None else f" (got {value!r})"
        super().__init__(f"{field}: {rule}{got}")


class DegenerateGameWarning(UserWarning):
    """The game is degenerate: its equilibria may form continua; the result holds their extreme points."""


class IncompleteEnumerationWarning(UserWarning):
    """The solver could not certify that it found every equilibrium (``complete=False``)."""


def as_exact(x: Any, field: str = "payoff") -> Fraction:
    """A number as an exact :class:`~fractions.Fraction`; floats through their shortest repr.

    >>> as_exact(0.1), as_exact("5/2"), as_exact(3)
    (Fraction(1, 10), Fraction(5, 2), Fraction(3, 1))
    >>> as_exact(float("nan"))
    Traceback (most recent call last):
    ...
    otr_theory.games.normal_form.GameError: payoff: must be a finite number (got nan)
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise GameError(field, "must be a number", x)
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(float(x)):
            raise GameError(field, "must be a finite number", float(x))
        return Fraction(repr(float(x)))
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise GameError(field, "must be a number (integer, decimal or p/q)", x) from None
    if isinstance(x, numbers.Rational):  # sympy Rational registers as numbers.Rational
        return Fraction(int(x.numerator), int(x.denominator))
    try:  # other sympy numbers: exact only if rational
        import sympy

        if isinstance(x, sympy.Basic) and x.is_Rational:
            return Fraction(int(x.p), int(x.q))
    except ImportError:  # pragma: no cover - sympy is a dependency
        pass
    raise GameError(field, "must be a rational or finite float number", x)


def _is_exact_scalar(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    if isinstance(x, (Fraction, numbers.Integral, str)):
        return True
    if isinstance(x, (float, np.floating)):
        return False
    if isinstance(x, numbers.Rational):
        return True
    import sympy

    return isinstance(x, sympy.Basic) and bool(x.is_Rational)


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    from otr_theory._version import version as otr_theory_version

    out = {"otr_theory": otr_theory_version()}
    for pkg in ("numpy", "scipy", "sympy", "nashpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            out[pkg] = "not installed"
    return tuple(out.items())


def tool_versions() -> dict[str, str]:
    """Versions of the tools the solvers use (for result records)."""
    return dict(_versions())


# ---------------------------------------------------------------------------------------------
# the game


@dataclasses.dataclass(frozen=True, eq=False)
class NormalFormGame:
    """A finite game in normal form.

    Attributes
    ----------
    payoffs : numpy.ndarray
        Shape ``(n_players, |S_1|, ..., |S_n|)``; an object array of Fractions when
        :attr:`exact`, else float64. Read-only.
    players : tuple of str
        Player names.
    strategies : tuple of tuple of str
        Strategy labels of each player.
    title : str
        A title (Gambit's game title).
    comment : str
        A longer comment (Gambit's game comment).

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], title="matching pennies")
    >>> g.shape, g.n_players, g.exact
    ((2, 2), 2, True)
    """

    payoffs: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    title: str = ""
    comment: str = ""

    def __post_init__(self) -> None:
        arr = self.payoffs
        n = len(self.players)
        if arr.ndim != n + 1 or arr.shape[0] != n:
            raise GameError("payoffs", f"must have shape (n_players, |S_1|, ..., |S_n|) for {n} players", arr.shape)
        if n < 1:
            raise GameError("players", "must name at least one player", self.players)
        if tuple(len(s) for s in self.strategies) != arr.shape[1:]:
            raise GameError("strategies", f"must list {arr.shape[1:]} strategies", tuple(len(s) for s in self.strategies))
        if any(k < 1 for k in arr.shape[1:]):
            raise GameError("strategies", "every player needs at least one strategy", arr.shape[1:])
        arr.setflags(write=False)

    # constructors -----------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        arrays: Sequence[Any],
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        comment: str = "",
    ) -> NormalFormGame:
        """A game from one payoff array per player (each of shape ``(|S_1|, ..., |S_n|)``).

        Exact when every entry is an int, Fraction, sympy Rational or string; float otherwise.
        """
        raw = [np.asarray(a, dtype=object) for a in arrays]
        n = len(raw)
        if n == 0:
            raise GameError("payoffs", "must give one array per player", arrays)
        shape = raw[0].shape
        if len(shape) != n:
            raise GameError("payoffs", f"each array must have one axis per player ({n})", shape)
        for p, a in enumerate(raw):
            if a.shape != shape:
                raise GameError(f"payoffs[{p}]", f"must have shape {shape}", a.shape)
        stacked = np.stack(raw) if n else np.empty((0,))
        flat = stacked.ravel()
        exact = all(_is_exact_scalar(x) for x in flat)
        if exact:
            conv = np.empty(stacked.shape, dtype=object)
            conv.ravel()[:] = [as_exact(x) for x in flat]  # ravel of a fresh array is a view
            payoffs = conv
        else:
            try:
                payoffs = np.array([float(as_exact(x)) if isinstance(x, str) else float(x) for x in flat]).reshape(stacked.shape)
            except (TypeError, ValueError):
                raise GameError("payoffs", "must be numbers", next(x for x in flat if not _is_number_like(x))) from None
            if not np.all(np.isfinite(payoffs)):
                raise GameError("payoffs", "must be finite", float(payoffs[~np.isfinite(payoffs)][0]))
        if players is None:
            players = tuple(str(i + 1) for i in range(n))
        if strategies is None:
            strategies = tuple(tuple(str(j + 1) for j in range(k)) for k in shape)
        return cls(
            payoffs=payoffs,
            players=tuple(players),
            strategies=tuple(tuple(s) for s in strategies),
            title=title,
            comment=comment,
        )

    @classmethod
    def from_bimatrix(cls, A: Any, B: Any, **kw: Any) -> NormalFormGame:
        """A two-player game: row player's payoffs ``A``, column player's ``B`` (both m x n).

        >>> NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]).shape
        (2, 2)
        """
        A = np.asarray(A, dtype=object)
        B = np.asarray(B, dtype=object)
        if A.ndim != 2:
            raise GameError("A", "must be a matrix (m x n)", A.shape)
        if B.shape != A.shape:
            raise GameError("B", f"must have the shape of A {A.shape}", B.shape)
        return cls.from_arrays([A, B], **kw)

    # views ------------------------------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of pure strategies of each player."""
        return tuple(self.payoffs.shape[1:])

    @property
    def exact(self) -> bool:
        """Whether payoffs are exact rationals."""
        return self.payoffs.dtype == object

    def exact_payoffs(self) -> np.ndarray:
        """The payoffs as an object array of Fractions (floats read as their shortest decimal)."""
        if self.exact:
            return self.payoffs
        out = np.empty(self.payoffs.shape, dtype=object)
        out.ravel()[:] = [as_exact(float(x)) for x in self.payoffs.ravel()]
        return out

    def float_payoffs(self) -> np.ndarray:
        """The payoffs as float64."""
        return np.asarray(self.payoffs, dtype=float)

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, B)`` of a two-player game."""
        if self.n_players != 2:
            raise GameError("players", "a bimatrix needs exactly 2 players", self.n_players)
        return self.payoffs[0], self.payoffs[1]

    def payoff_scale(self) -> float:
        """max |payoff| (at least 1): the scale of float tolerances."""
        return max(1.0, float(np.max(np.abs(self.float_payoffs()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self.players == other.players
            and self.strategies == other.strategies
            and self.title == other.title
            and self.comment == other.comment
            and self.exact == other.exact
            and self.payoffs.shape == other.payoffs.shape
            and bool(np.all(self.payoffs == other.payoffs))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kind = "exact" if self.exact else "float"
        return f"NormalFormGame({self.title!r}, {'x'.join(map(str, self.shape))}, {kind})"


def _is_number_like(x: Any) -> bool:
    try:
        float(x)
        return True
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# payoffs of mixed profiles


def _check_profile(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> list[np.ndarray]:
    if len(profile) != game.n_players:
        raise GameError("profile", f"must give one mixed strategy per player ({game.n_players})", len(profile))
    out = []
    for p, (sigma, k) in enumerate(zip(profile, game.shape, strict=True)):
        arr = np.asarray(sigma, dtype=object)
        if arr.shape != (k,):
            raise GameError(f"profile[{p}]", f"must have {k} probabilities", arr.shape)
        out.append(arr)
    return out


def _exact_profile(profile: Sequence[np.ndarray]) -> bool:
    return all(_is_exact_scalar(x) for s in profile for x in s)


def strategy_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Any]], player: int) -> np.ndarray:
    """:math:`U_p(t, \\sigma_{-p})` for every pure strategy t of ``player``.

    Exact (Fractions) when the game and the profile are exact, float otherwise.

    >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> h = Fraction(1, 2)
    >>> [str(v) for v in strategy_payoffs(g, [[h, h], [h, h]], 0)]
    ['0', '0']
    """
    prof = _check_profile(game, profile)
    exact = game.exact and _exact_profile(prof)
    if exact:
        u = game.payoffs[player]
        prof = [np.array([as_exact(x) for x in s], dtype=object) for s in prof]
    else:
        u = game.float_payoffs()[player]
        prof = [np.asarray(s, dtype=float) for s in prof]
    # contract every axis but the player's, last axis first so indices stay valid
    for q in reversed(range(game.n_players)):
        if q == player:
            continue
        u = np.tensordot(u, prof[q], axes=([q], [0]))
    return u


def expected_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> tuple[Number, ...]:
    """:math:`U_p(\\sigma)` for every player."""
    prof = _check_profile(game, profile)
    out = []
    for p in range(game.n_players):
        v = strategy_payoffs(game, prof, p)
        sp = prof[p] if isinstance(v[0], Fraction) else np.asarray(prof[p], dtype=float)
        if isinstance(v[0], Fraction):
            sp = [as_exact(x) for x in sp]
        out.append(sum((a * b for a, b in zip(v, sp, strict=True)), Fraction(0) if isinstance(v[0], Fraction) else 0.0))
    return tuple(out)


def regret(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> Number:
    """The largest regret :math:`\\max_p r_p(\\sigma)` of a mixed profile (0 at a Nash equilibrium).

    Exact when the game and the profile are exact. The profile must be a probability vector per
    player (checked: non-negative entries summing to 1, exactly or within 1e-9).

    >>> g = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> regret(g, [[Fraction(3, 5), Fraction(2, 5)], [Fraction(2, 5), Fraction(3, 5)]])
    Fraction(0, 1)
    >>> regret(g, [[1, 0], [0, 1]])
    Fraction(2, 1)
    """
    prof = _check_profile(game, profile)
    exact = game.exact and _exact_profile(prof)
    for p, s in enumerate(prof):
        vals = [as_exact(x) for x in s] if exact else [float(x) for x in s]
        total = sum(vals)
        ok = (total == 1) if exact else abs(total - 1.0) <= 1e-9
        if not ok or min(vals) < (0 if exact else -1e-12):
            raise GameError(f"profile[{p}]", "must be a probability vector (entries >= 0 summing to 1)", total)
    worst: Number = Fraction(0) if exact else 0.0
    for p in range(game.n_players):
        v = strategy_payoffs(game, prof, p)
        sp = [as_exact(x) for x in prof[p]] if exact else np.asarray(prof[p], dtype=float)
        value = sum((a * b for a, b in zip(v, sp, strict=True)), Fraction(0) if exact else 0.0)
        r = max(v) - value
        worst = max(worst, r)
    return worst


def pure_equilibria(game: NormalFormGame) -> list[tuple[int, ...]]:
    """Every pure-strategy Nash equilibrium, exactly (each player's strategy is a best response).

    Compares payoffs exactly for exact games, with ``==`` on floats otherwise (a pure profile is an
    equilibrium iff no player has a strictly better pure deviation).

    >>> g = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> pure_equilibria(g)
    [(0, 0), (1, 1)]
    """
    u = game.payoffs
    best = []
    for p in range(game.n_players):
        best.append(np.max(u[p], axis=p, keepdims=True))
    out = []
    for s in itertools.product(*(range(k) for k in game.shape)):
        if all(u[p][s] >= best[p][tuple(0 if q == p else s[q] for q in range(game.n_players))] for p in range(game.n_players)):
            out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# result records


@dataclasses.dataclass(frozen=True)
class Equilibrium:
    """One Nash equilibrium (a mixed profile), checked by its regret.

    Attributes
    ----------
    strategies : tuple of tuple
        Each player's probabilities: Fractions when exact, floats otherwise.
    payoffs : tuple
        Each player's expected payoff.
    regret : Fraction or float
        Its largest regret, re-computed independently of the solver (0 when exact).
    exact : bool
        Whether the probabilities are exact rationals.
    component : int
        Index of the :class:`Component` it belongs to.
    algebraic : tuple of str, optional
        For an irrational equilibrium: the polynomial system (a lex Gröbner basis, sympy syntax)
        whose real root near ``strategies`` it is, and what each variable means; ``None`` otherwise.
    """

    strategies: tuple[tuple[Number, ...], ...]
    payoffs: tuple[Number, ...]
    regret: Number
    exact: bool
    component: int = 0
    algebraic: tuple[str, ...] | None = None

    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies played with positive probability, per player."""
        return tuple(tuple(i for i, x in enumerate(s) if x > 0) for s in self.strategies)

    def as_floats(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(x) for x in s) for s in self.strategies)


@dataclasses.dataclass(frozen=True)
class Component:
    """A connected set of equilibria, described by points of it.

    For two-player games (vertex enumeration) ``points`` are the extreme equilibria of the
    component and ``maximal_subsets`` its maximal Nash subsets: each is a product of convex hulls
    ``conv(rows) x conv(cols)`` whose every point is an equilibrium (Winkels 1979; Avis, Rosenberg,
    Savani and von Stengel 2010), given as indices into ``row_points`` / ``col_points``. The
    component is their union.

    Attributes
    ----------
    points : tuple of int
        Indices into :attr:`EquilibriumResult.equilibria`.
    dimension : int or None
        0 for an isolated equilibrium; > 0 for a continuum; ``None`` when not determined.
    row_points, col_points : tuple
        Distinct row / column strategies at the extreme points (two-player games).
    maximal_subsets : tuple of (tuple of int, tuple of int)
        Maximal Nash subsets, as indices into ``row_points`` and ``col_points``.
    note : str
        How the component was found (e.g. a sample point of a continuum).
    """

    points: tuple[int, ...]
    dimension: int | None
    row_points: tuple[tuple[Number, ...], ...] = ()
    col_points: tuple[tuple[Number, ...], ...] = ()
    maximal_subsets: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()
    note: str = ""


@dataclasses.dataclass(frozen=True)
class EquilibriumResult:
    """All Nash equilibria of a game, as found by one method, each checked by its regret.

    Attributes
    ----------
    method : str
        The algorithm (e.g. ``vertex-enumeration``).
    game : NormalFormGame
        The input.
    equilibria : tuple of Equilibrium
        Isolated equilibria and the extreme points of continua (sorted deterministically).
    components : tuple of Component
        The equilibria grouped into connected components.
    degenerate : bool
        The game is degenerate (a mixed strategy with k strategies in its support has more than k
        pure best responses); its equilibria may form continua.
    complete : bool
        Whether the method certifies that every equilibrium (every extreme point) was found.
    tolerance : Fraction or float
        The regret bound every equilibrium was checked against (0 when exact).
    max_regret : Fraction or float
        The largest regret among the equilibria.
    warnings : tuple of str
        What the caller should know (degeneracy, incompleteness, ...).
    versions : Mapping
        Versions of the tools used.
    """

    method: str
    game: NormalFormGame
    equilibria: tuple[Equilibrium, ...]
    components: tuple[Component, ...]
    degenerate: bool
    complete: bool
    tolerance: Number
    max_regret: Number
    warnings: tuple[str, ...] = ()
    versions: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def exact(self) -> bool:
        """Whether every equilibrium is exact."""
        return all(e.exact for e in self.equilibria)

    def profiles(self) -> list[tuple[tuple[Number, ...], ...]]:
        """The equilibria's strategies, in order."""
        return [e.strategies for e in self.equilibria]

    def contains(self, profile: Sequence[Sequence[Any]], *, tol: float = 1e-9) -> bool:
        """Whether a profile lies in the equilibrium set described by this result.

        Two-player games: membership of some maximal Nash subset ``conv(rows) x conv(cols)``
        (a small linear feasibility problem per subset). Otherwise: within ``tol`` of a listed
        equilibrium. This tests the *description*, not the regret: it is the independent check
        that a continuum was returned as a set.
        """
        prof = [np.asarray(s, dtype=float) for s in profile]
        if self.game.n_players == 2 and any(c.maximal_subsets for c in self.components):
            for c in self.components:
                rows = np.array(c.row_points, dtype=float)
                cols = np.array(c.col_points, dtype=float)
                for ri, ci in c.maximal_subsets:
                    if _in_hull(prof[0], rows[list(ri)], tol) and _in_hull(prof[1], cols[list(ci)], tol):
                        return True
            return False
        for e in self.equilibria:
            if all(np.max(np.abs(np.asarray(a, dtype=float) - b)) <= tol for a, b in zip(e.strategies, prof, strict=True)):
                return True
        return False

    def to_dict(self) -> dict[str, Any]:
        """A deterministic, JSON-able dict: the project's one rule for numbers
        (:mod:`otr_theory.jsonio`): an exact rational is ``{"value": float, "exact": "p/q"}``, a
        float a JSON number (``"inf"``/``"nan"`` strings where not finite)."""
        from otr_theory.jsonio import jsonable

        def num(x: Any) -> Any:
            return jsonable(x if isinstance(x, Fraction) else float(x))

        return {
            "method": self.method,
            "game": {
                "title": self.game.title,
                "players": list(self.game.players),
                "strategies": [list(s) for s in self.game.strategies],
                "exact": self.game.exact,
            },
            "degenerate": self.degenerate,
            "complete": self.complete,
            "tolerance": num(self.tolerance),
            "max_regret": num(self.max_regret),
            "warnings": list(self.warnings),
            "equilibria": [
                {
                    "strategies": [[num(x) for x in s] for s in e.strategies],
                    "payoffs": [num(x) for x in e.payoffs],
                    "regret": num(e.regret),
                    "exact": e.exact,
                    "component": e.component,
                    **({"algebraic": list(e.algebraic)} if e.algebraic else {}),
                }
                for e in self.equilibria
            ],
            "components": [
                {
                    "points": list(c.points),
                    "dimension": c.dimension,
                    "row_points": [[num(x) for x in v] for v in c.row_points],
                    "col_points": [[num(x) for x in v] for v in c.col_points],
                    "maximal_subsets": [{"rows": list(r), "cols": list(k)} for r, k in c.maximal_subsets],
                    **({"note": c.note} if c.note else {}),
                }
                for c in self.components
            ],
            "versions": dict(sorted(self.versions.items())),
        }


def _in_hull(x: np.ndarray, points: np.ndarray, tol: float) -> bool:
    """Whether x is a convex combination of the rows of ``points`` (LP feasibility)."""
    from scipy.optimize import linprog

    k = len(points)
    if k == 1:
        return bool(np.max(np.abs(points[0] - x)) <= tol)
    a_eq = np.vstack([points.T, np.ones((1, k))])
    b_eq = np.concatenate([x, [1.0]])
    # minimise the total slack of |A lambda - b| <= s; feasible iff optimum <= tol
    m = a_eq.shape[0]
    c = np.concatenate([np.zeros(k), np.ones(m)])
    a_ub = np.block([[a_eq, -np.eye(m)], [-a_eq, -np.eye(m)]])
    b_ub = np.concatenate([b_eq, -b_eq])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * (k + m), method="highs")
    return bool(res.status == 0 and res.fun <= tol)


def make_equilibrium(game: NormalFormGame, strategies: Sequence[Sequence[Any]], *, exact: bool, component: int = 0, algebraic=None) -> Equilibrium:
    """Build an :class:`Equilibrium` record with its independently computed regret and payoffs."""
    if exact:
        strat = tuple(tuple(as_exact(x) for x in s) for s in strategies)
        g = game if game.exact else NormalFormGame.from_arrays(list(game.exact_payoffs()), players=game.players, strategies=game.strategies)
        r = regret(g, strat)
        pay = expected_payoffs(g, strat)
        if not game.exact:  # report in the game's own number type
            strat = tuple(tuple(float(x) for x in s) for s in strat)
            r = float(regret(game, strat))
            pay = tuple(float(v) for v in expected_payoffs(game, strat))
            exact = False
    else:
        strat = tuple(tuple(float(x) for x in s) for s in strategies)
        r = float(regret(game, strat))
        pay = tuple(float(v) for v in expected_payoffs(game, strat))
    return Equilibrium(strategies=strat, payoffs=pay, regret=r, exact=exact, component=component, algebraic=algebraic)


def sort_key(e: Equilibrium) -> tuple:
    """Deterministic order: lexicographic on the probabilities, largest first."""
    return tuple(-float(x) for s in e.strategies for x in s)
