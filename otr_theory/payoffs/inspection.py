"""The inspection game between a prover and its challengers, in closed form.

One challenger (2x2 bimatrix, rows prover honest/cheat, columns challenger monitor/idle, payoffs
relative to honest-and-idle):

=========  =====================  ===========================================
prover     monitor                idle
=========  =====================  ===========================================
honest     0                      0
cheat      B = -S  (keep: G - S)  A = (1-rho)G - rho S  (keep: G - rho S)
=========  =====================  ===========================================

=========  =============  ======
challenger monitor        idle
=========  =============  ======
honest     -c             0
cheat      R - c,  R = aS 0
=========  =============  ======

The equilibrium set is the intersection of the two best-response graphs, computed exactly with
fractions (values enter through ``Fraction(repr(float))``), so boundary cases are classified as
the user wrote them. In the interior case (A > 0 > B, 0 < c < R) the unique equilibrium is
:math:`x^* = c/R`, :math:`y^* = A/(A-B)` (Avenhaus, von Stengel & Zamir 2002).

The network (ours): a challenger cannot tell which queries' provers can deviate at all; only a
share h of them can (``forgeable_share``; a compromised TEE, see
:func:`network_forgeable_share`), the others are honest. x is the fraud rate of a prover that
can deviate, so the challenger's cheat row pays :math:`hR - c` (its expected payoff of
monitoring is :math:`hxR - c`), the prover's rows are unchanged, and the game is the 2x2 game
above with R replaced by hR: interior :math:`x^* = c/(hR)`, :math:`y^* = A/(A-B)` while
:math:`c < hR`; for :math:`c > hR` (A > 0) the unique equilibrium is x = 1, y = 0. The fraud
per query is :math:`hx` (``network_fraud_rate``). h = 1 is the game of a compromised prover.

n challengers (symmetric equilibrium; ours): each monitors with probability y, so
:math:`q = 1-(1-y)^n`; a fraud found by k monitors pays R to one of them chosen uniformly, so a
monitor's expected share is :math:`s(y) = E[1/(1+K)] = (1-(1-y)^n)/(ny)`, K ~ Bin(n-1, y).
Forced errors at rate phi with jackpot J (Teutsch & Reitwiessner 2017) add
:math:`\\varphi J t(y)` to monitoring, where t is the expected jackpot share: uniform
:math:`t = s`, or Truebit's halving split (k finders share :math:`J/2^{k-1}`):
:math:`t(y) = ((1-y/2)^n - (1-y)^n)/(ny/2)`. The challenger's advantage of monitoring is
:math:`M(x, y) = hxRs(y) + \\varphi J t(y) - c`, decreasing in y (forced errors are the
protocol's, on every query, so they are not weighted by h).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.payoffs._checks import (
    PayoffError,
    check_convention,
    check_deviation,
    count,
    exact,
    field,
    nonnegative,
    probability,
    scalar_or_array,
)
from otr_theory.payoffs.conditions import compromise_probability, deviation_gain, effective_spot_check_rate, resolve

__all__ = [
    "JACKPOT_SPLITS",
    "ChallengerEquilibrium",
    "InspectionEquilibrium",
    "expected_jackpot_share",
    "expected_reward_share",
    "inspection_equilibrium",
    "inspection_game",
    "inspection_game_exact",
    "monitoring_advantage",
    "n_challenger_equilibrium",
    "network_forgeable_share",
    "solve_inspection_game",
    "symmetric_monitoring_rate",
    "volunteers_dilemma_rate",
]

JACKPOT_SPLITS: tuple[str, ...] = ("uniform", "truebit")
"""How a jackpot is shared by k finders: ``uniform`` J/k each; ``truebit`` J/2^(k-1) in all."""

Interval = tuple[Fraction, Fraction]
Rect = tuple[Interval, Interval]


@dataclasses.dataclass(frozen=True)
class InspectionEquilibrium:
    """The equilibrium of the 2x2 inspection game.

    Attributes
    ----------
    fraud_rate : float
        x, the probability that a prover who can deviate cheats (of the representative
        equilibrium).
    monitoring_rate : float
        y, the probability that the challenger re-executes.
    detection_probability : float
        :math:`1-(1-\\rho)(1-y)`, the probability that a cheated query is caught.
    forgeable_share : float
        h, the share of queries whose prover can deviate at all (1: a compromised prover).
    network_fraud_rate : float
        :math:`hx`, fraud per query in the network.
    kind : {"pure", "mixed", "degenerate"}
        ``degenerate``: a continuum of equilibria (a player indifferent over a range); the
        representative is the one with the least fraud, then the least monitoring.
    equilibrium_set : tuple
        Every equilibrium, as a union of rectangles ``((x_lo, x_hi), (y_lo, y_hi))`` (exact).
    description : str
        The set in words.
    prover_payoff, challenger_payoff : float
        Expected payoffs at the representative equilibrium, relative to honest-and-idle: the
        prover's when it can deviate, the challenger's averaged over the queries
        (:math:`y(hxR - c)`).
    method : str
        How it was solved.
    """

    fraud_rate: float
    monitoring_rate: float
    detection_probability: float
    forgeable_share: float
    network_fraud_rate: float
    kind: str
    equilibrium_set: tuple[Rect, ...]
    description: str
    prover_payoff: float
    challenger_payoff: float
    method: str = "closed form: intersection of the best-response graphs, exact (fractions)"

    @property
    def exact_point(self) -> tuple[Fraction, Fraction]:
        """The representative equilibrium (x, y) as exact fractions."""
        return min((r[0][0], r[1][0]) for r in self.equilibrium_set)


@dataclasses.dataclass(frozen=True)
class ChallengerEquilibrium:
    """The symmetric equilibrium with n challengers (floats, or arrays when inputs are arrays).

    Attributes
    ----------
    fraud_rate : float or ndarray
        x, the probability of cheating of a prover who can deviate.
    monitoring_rate : float or ndarray
        y, each challenger's probability of re-executing.
    challenger_detection : float or ndarray
        :math:`q = 1-(1-y)^n`.
    detection_probability : float or ndarray
        :math:`p = 1-(1-\\rho)(1-q)`.
    forgeable_share : float or ndarray
        h, the share of queries whose prover can deviate at all (1: a compromised prover).
    network_fraud_rate : float or ndarray
        :math:`hx`, fraud per query in the network.
    kind : str or ndarray of str
        ``pure`` (x and y in {0, 1}), ``mixed``, or ``degenerate`` (a parameter on a boundary
        where a player is indifferent over a range; the least-fraud, least-monitoring member).
    n : int or ndarray
        The number of challengers.
    method : str
        How it was solved.
    """

    fraud_rate: Any
    monitoring_rate: Any
    challenger_detection: Any
    detection_probability: Any
    forgeable_share: Any
    network_fraud_rate: Any
    kind: Any
    n: Any
    method: str = "closed form (prover indifference) with vectorized bisection for the boundary roots"


# ---------------------------------------------------------------------------------------------
# the 2x2 game


def _game_numbers(values, deviation, convention, protocol):
    """(G, S, rho_eff, R, c) as given (floats) for the game of ``deviation``."""
    check_deviation(deviation)
    check_convention(convention)
    values, protocol = resolve(values, protocol)
    g = deviation_gain(values, deviation)
    s = nonnegative("values['slash_usd']", field(values, "slash_usd"))
    rho = effective_spot_check_rate(values, protocol=protocol)
    a = probability("values['challenger_reward_share']", field(values, "challenger_reward_share"))
    c = nonnegative("values['check_cost_usd_per_query']", field(values, "check_cost_usd_per_query"))
    return g, s, rho, a, c


def _scalars(numbers, function: str):
    out = []
    for name, v in zip(("gain", "slash_usd", "spot_check_rate", "challenger_reward_share", "check_cost_usd_per_query"), numbers):
        if np.ndim(v) != 0:
            raise PayoffError(f"values[{name!r}]", f"must be a scalar for {function} (use n_challenger_equilibrium(values, 1) for arrays)", np.shape(v))
        out.append(exact(name, float(v)))
    return out


def _entries(g, s, rho, a, c, convention):
    """(A, B, R, c): cheat|idle, cheat|monitor, reward, cost; works on floats, arrays, Fractions."""
    if convention == "forfeit":
        cheat_idle = (1 - rho) * g - rho * s
        cheat_monitor = -s
    else:
        cheat_idle = g - rho * s
        cheat_monitor = g - s
    return cheat_idle, cheat_monitor, a * s, c


def _share(forgeable_share) -> np.ndarray:
    """h as a float array; None means 1 (every query's prover can deviate)."""
    return probability("forgeable_share", 1.0 if forgeable_share is None else forgeable_share)


def _share_exact(forgeable_share) -> Fraction:
    """h as an exact Fraction in [0, 1]; None means 1."""
    if forgeable_share is None:
        return Fraction(1)
    h = exact("forgeable_share", forgeable_share)
    if not 0 <= h <= 1:
        raise PayoffError("forgeable_share", "must be a probability in [0, 1]", float(h))
    return h


def network_forgeable_share(values, *, protocol=None, given_window_open: bool = False):
    """h: the share of queries whose prover can deviate at all, as a challenger sees them (ours).

    With the attestation check a deviation passes only with a compromised TEE:
    :math:`h = f_c(1-e^{-\\lambda D})` (:func:`~otr_theory.payoffs.compromise_probability`), or
    :math:`f_c` on the queries that arrive while a vulnerability window is open
    (``given_window_open``); without it every prover can deviate: 1. If the spot-check
    selection is known before the commitment (``randomness_after_commit = false``) a prover
    deviates only on the unselected queries, a share :math:`1-\\rho` of them.

    Parameters
    ----------
    values : Mapping or Model
    protocol : Protocol or Mapping, optional
    given_window_open : bool, default False
        The share among the queries that arrive while a vulnerability window is open.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> round(float(network_forgeable_share(m)), 6), float(network_forgeable_share(m, given_window_open=True))
    (0.011592, 0.1)
    >>> float(network_forgeable_share(m, protocol={"attestation_check": False}))
    1.0
    """
    values, protocol = resolve(values, protocol)
    if protocol.attestation_check:
        h = probability("values['compromised_fraction']", field(values, "compromised_fraction")) if given_window_open else np.asarray(compromise_probability(values))
    else:
        h = np.ones(np.shape(field(values, "compromised_fraction")))
    if not protocol.randomness_after_commit:
        h = h * (1.0 - probability("values['spot_check_rate']", field(values, "spot_check_rate")))
    return scalar_or_array(h)


def inspection_game(values, deviation="wrong_output", convention="forfeit", *, protocol=None) -> tuple[np.ndarray, np.ndarray]:
    """The 2x2 inspection game of the core model as float payoff matrices.

    Parameters
    ----------
    values : Mapping or Model
        ``Model.values()`` (or the Model: its protocol switches are then used).
    deviation : str
        One of :data:`DEVIATIONS`; its gain is G.
    convention : {"forfeit", "keep"}
    protocol : Protocol or Mapping, optional
        Switches; rho counts only if the selection is revealed after the commitment and a
        missed proof is slashed.

    Returns
    -------
    (prover, challenger) : two 2x2 ndarrays
        Rows prover honest/cheat, columns challenger monitor/idle.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> P, C = inspection_game(load_model().values())
    >>> P.tolist()
    [[0.0, 0.0], [-100000.0, -901.0]]
    >>> C.tolist()
    [[-0.0002638, 0.0], [49999.9997362, 0.0]]
    """
    g, s, rho, a, c = (float(v) for v in _scalars(_game_numbers(values, deviation, convention, protocol), "inspection_game"))
    A, B, R, c = _entries(g, s, rho, a, c, convention)
    prover = np.array([[0.0, 0.0], [B, A]])
    challenger = np.array([[-c, 0.0], [R - c, 0.0]])
    return prover, challenger


def inspection_game_exact(values, deviation="wrong_output", convention="forfeit", *, protocol=None) -> tuple[np.ndarray, np.ndarray]:
    """The same game with exact :class:`fractions.Fraction` entries (object arrays).

    Floats enter through their repr, so 0.01 is exactly 1/100.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> P, C = inspection_game_exact(load_model().values())
    >>> P[1, 1], C[0, 0]
    (Fraction(-901, 1), Fraction(-1319, 5000000))
    """
    g, s, rho, a, c = _scalars(_game_numbers(values, deviation, convention, protocol), "inspection_game_exact")
    A, B, R, c = _entries(g, s, rho, a, c, convention)
    zero = Fraction(0)
    prover = np.array([[zero, zero], [B, A]], dtype=object)
    challenger = np.array([[-c, zero], [R - c, zero]], dtype=object)
    return prover, challenger


def _graph(a0: Fraction, a1: Fraction) -> list[Rect]:
    """Best-response graph of a player whose advantage of action 1 is linear in the opponent's
    mix t: L(t) = a0 + t (a1 - a0). Rectangles (response interval, t interval)."""
    one, zero = Fraction(1), Fraction(0)
    if a0 == a1:
        if a0 > 0:
            return [((one, one), (zero, one))]
        if a0 < 0:
            return [((zero, zero), (zero, one))]
        return [((zero, one), (zero, one))]
    t0 = a0 / (a0 - a1)
    hi_first = (one, one) if a0 > a1 else (zero, zero)  # response for t < t0
    hi_after = (zero, zero) if a0 > a1 else (one, one)
    rects: list[Rect] = []
    if t0 > 0:
        rects.append((hi_first, (zero, min(t0, one))))
    if t0 < 1:
        rects.append((hi_after, (max(t0, zero), one)))
    if 0 <= t0 <= 1:
        rects.append(((zero, one), (t0, t0)))
    return rects


def _intersect(r1: Rect, r2: Rect) -> Rect | None:
    (x1, y1), (x2, y2) = r1, r2
    xs = (max(x1[0], x2[0]), min(x1[1], x2[1]))
    ys = (max(y1[0], y2[0]), min(y1[1], y2[1]))
    if xs[0] > xs[1] or ys[0] > ys[1]:
        return None
    return xs, ys


def _contains(big: Rect, small: Rect) -> bool:
    return all(b[0] <= s[0] and s[1] <= b[1] for b, s in zip(big, small))


def _interval_words(name: str, iv: Interval) -> str:
    lo, hi = iv
    if lo == hi:
        return f"{name} = {float(lo):.6g}"
    return f"{float(lo):.6g} <= {name} <= {float(hi):.6g}"


def solve_inspection_game(cheat_idle_usd, cheat_monitor_usd, reward_usd, check_cost_usd, *, spot_check_rate=0.0, forgeable_share=None) -> InspectionEquilibrium:
    """Every equilibrium of the 2x2 inspection game, exactly (closed form by best-response graphs).

    With a forgeable share h < 1 the challenger's cheat row pays :math:`hR - c` (it cannot tell
    the queries whose prover can deviate from the others, which are honest), so the interior
    equilibrium is :math:`x^* = c/(hR)`, :math:`y^* = A/(A-B)` (ours; module docstring).

    Parameters
    ----------
    cheat_idle_usd : float or Fraction
        A, the prover's payoff of cheating when the challenger is idle (spot-checks only).
    cheat_monitor_usd : float or Fraction
        B <= A, the prover's payoff of cheating when the challenger monitors.
    reward_usd : float or Fraction
        R >= 0, the challenger's reward for catching a cheat.
    check_cost_usd : float or Fraction
        c >= 0, the challenger's cost of monitoring one query.
    spot_check_rate : float, optional
        rho, only used for the reported detection probability.
    forgeable_share : float or Fraction, optional
        h in [0, 1], the share of queries whose prover can deviate at all; x is the fraud rate
        of such a prover. Default None: 1 (the game of a prover who can deviate).

    Returns
    -------
    InspectionEquilibrium

    Examples
    --------
    Avenhaus, von Stengel & Zamir's interior equilibrium x* = c/R, y* = A/(A-B):

    >>> eq = solve_inspection_game(99.0, -1000.0, 50.0, 1.0)
    >>> eq.kind, eq.fraud_rate, round(eq.monitoring_rate, 6)
    ('mixed', 0.02, 0.090082)
    >>> solve_inspection_game(-1.0, -1000.0, 50.0, 1.0).kind  # spot-checks deter: nobody monitors
    'pure'
    >>> solve_inspection_game(0.0, -1000.0, 50.0, 1.0).description
    'every (x, y) with 0 <= x <= 0.02 and y = 0'

    If only a quarter of the queries can be cheated, a prover who can cheats 4 times as often
    (x* = c/(hR)), the fraud per query is unchanged, and so is the monitoring:

    >>> eq = solve_inspection_game(99.0, -1000.0, 50.0, 1.0, forgeable_share=0.25)
    >>> eq.fraud_rate, eq.network_fraud_rate, round(eq.monitoring_rate, 6)
    (0.08, 0.02, 0.090082)
    >>> solve_inspection_game(99.0, -1000.0, 50.0, 1.0, forgeable_share=0.01).description  # c > hR
    'the unique equilibrium x = 1, y = 0'
    """
    A = exact("cheat_idle_usd", cheat_idle_usd)
    B = exact("cheat_monitor_usd", cheat_monitor_usd)
    R = exact("reward_usd", reward_usd)
    c = exact("check_cost_usd", check_cost_usd)
    rho = float(probability("spot_check_rate", spot_check_rate))
    h = _share_exact(forgeable_share)
    if B > A:
        raise PayoffError("cheat_monitor_usd", "must be <= cheat_idle_usd (monitoring cannot help a cheat)", float(B))
    if R < 0:
        raise PayoffError("reward_usd", "must be >= 0", float(R))
    if c < 0:
        raise PayoffError("check_cost_usd", "must be >= 0", float(c))
    prover = _graph(A, B)  # (x interval, y interval)
    challenger = [(t, r) for r, t in _graph(-c, h * R - c)]  # swap to (x interval, y interval)
    pieces = [p for p in (_intersect(a, b) for a in prover for b in challenger) if p is not None]
    unique: list[Rect] = []
    for p in sorted(set(pieces)):
        if not any(q != p and _contains(q, p) for q in pieces):
            unique.append(p)
    unique = sorted(set(unique))
    point = len(unique) == 1 and all(iv[0] == iv[1] for iv in unique[0])
    x, y = min((r[0][0], r[1][0]) for r in unique)
    if point:
        kind = "pure" if x in (0, 1) and y in (0, 1) else "mixed"
        description = f"the unique equilibrium x = {float(x):.6g}, y = {float(y):.6g}"
    else:
        kind = "degenerate"
        description = "every (x, y) with " + " or ".join(f"{_interval_words('x', xs)} and {_interval_words('y', ys)}" for xs, ys in unique)
    prover_payoff = x * (A + y * (B - A))
    challenger_payoff = y * (h * x * R - c)
    detect = 1.0 - (1.0 - rho) * (1.0 - float(y))
    return InspectionEquilibrium(
        fraud_rate=float(x),
        monitoring_rate=float(y),
        detection_probability=detect,
        forgeable_share=float(h),
        network_fraud_rate=float(h * x),
        kind=kind,
        equilibrium_set=tuple(unique),
        description=description,
        prover_payoff=float(prover_payoff),
        challenger_payoff=float(challenger_payoff),
    )


def inspection_equilibrium(values, deviation="wrong_output", convention="forfeit", *, protocol=None, forgeable_share=None) -> InspectionEquilibrium:
    """The equilibrium of the one-challenger inspection game of the core model.

    Interior case (:math:`A > 0 > B`, :math:`0 < c < haS`): :math:`x^* = c/(haS)`,
    :math:`y^* = A/(A-B)`, i.e. forfeit :math:`y^* = ((1-\\rho)G - \\rho S)/((1-\\rho)(G+S))`,
    keep :math:`y^* = (G - \\rho S)/((1-\\rho)S)`. If the spot-checks alone deter (A < 0) the
    pure equilibrium is (honest, idle): nobody monitors (the verifier's dilemma). If
    :math:`c > haS` (and A > 0) monitoring does not pay even against a prover who always
    cheats: x = 1, y = 0.

    h (``forgeable_share``) is the share of queries whose prover can deviate at all; the
    challenger, who cannot tell them apart, earns :math:`hxaS - c` per check (ours). Default
    None: h = 1, the game of a compromised prover. The network's h is
    :func:`network_forgeable_share`.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> eq = inspection_equilibrium(m.values())
    >>> eq.kind, eq.fraud_rate, eq.monitoring_rate
    ('pure', 0.0, 0.0)
    >>> eq = inspection_equilibrium(m.with_values(slash_usd=1000.0).values())
    >>> eq.kind, eq.fraud_rate, round(eq.monitoring_rate, 6)
    ('mixed', 5.276e-07, 0.081726)

    In the network only h = 1.16% of queries can be cheated, so a prover who can cheats
    1/h times as often, and the fraud per query is c/(aS) again:

    >>> weak = m.with_values(slash_usd=1000.0)
    >>> eq = inspection_equilibrium(weak, forgeable_share=network_forgeable_share(weak))
    >>> round(eq.fraud_rate, 8), round(eq.network_fraud_rate, 12), round(eq.monitoring_rate, 6)
    (4.552e-05, 5.276e-07, 0.081726)
    """
    ex = _scalars(_game_numbers(values, deviation, convention, protocol), "inspection_equilibrium")
    A, B, R, cc = _entries(*ex, convention)
    if forgeable_share is not None and np.ndim(forgeable_share) != 0:
        raise PayoffError("forgeable_share", "must be a scalar for inspection_equilibrium (use n_challenger_equilibrium(values, 1) for arrays)", np.shape(forgeable_share))
    h = None if forgeable_share is None else float(probability("forgeable_share", forgeable_share))
    return solve_inspection_game(A, B, R, cc, spot_check_rate=float(ex[2]), forgeable_share=h)


# ---------------------------------------------------------------------------------------------
# n challengers


def expected_reward_share(y, n):
    """:math:`s(y) = E[1/(1+K)] = (1-(1-y)^n)/(ny)`, K ~ Bin(n-1, y); s(0) = 1.

    Examples
    --------
    >>> float(expected_reward_share(1.0, 4)), float(expected_reward_share(0.0, 4))
    (0.25, 1.0)
    """
    y = probability("y", y)
    n = count("n", n)
    y, n = np.broadcast_arrays(y, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = -np.expm1(n * np.log1p(-y)) / (n * y)
    return scalar_or_array(np.where(y > 0, s, 1.0))


def expected_jackpot_share(y, n, split="uniform"):
    """Expected jackpot share of one finder, :math:`t(y) = E[w(1+K)]`, K ~ Bin(n-1, y).

    ``uniform``: :math:`w(k) = 1/k`, :math:`t = s`. ``truebit``: :math:`w(k) = 1/(k 2^{k-1})`,
    :math:`t(y) = ((1-y/2)^n - (1-y)^n)/(ny/2)` (ours, from the binomial sum).

    Examples
    --------
    >>> float(expected_jackpot_share(1.0, 3, "truebit"))  # 3 finders share J/4
    0.08333333333333333
    """
    if split not in JACKPOT_SPLITS:
        raise PayoffError("split", f"must be one of {', '.join(JACKPOT_SPLITS)}", split)
    if split == "uniform":
        return expected_reward_share(y, n)
    y = probability("y", y)
    n = count("n", n)
    y, n = np.broadcast_arrays(y, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        yy = np.where(y < 1, y, 0.5)
        # (1-y)^n [((1-y/2)/(1-y))^n - 1] / (n y / 2), stable for small y
        t = np.exp(n * np.log1p(-yy)) * np.expm1(n * np.log1p(yy / (2.0 * (1.0 - yy)))) / (n * yy / 2.0)
        at_one = np.exp2(1.0 - n) / n
    return scalar_or_array(np.where(y <= 0, 1.0, np.where(y >= 1, at_one, t)))


def monitoring_advantage(fraud_rate, monitoring_rate, n, reward_usd, check_cost_usd, *, forced_error_rate=0.0, jackpot_usd=0.0, jackpot_split="uniform", public_benefit_usd=0.0, forgeable_share=None):
    """A challenger's payoff of monitoring minus idling when the others monitor with rate y:

    :math:`M = hxRs(y) + \\varphi J t(y) + hx b (1-y)^{n-1} - c`.

    The term with b is a public benefit that every challenger gets when somebody catches the
    fraud (0 in OTR); with R = 0, phi = 0 and x = 1 it is Diekmann's volunteer's dilemma. h
    (``forgeable_share``, default 1) is the share of queries whose prover can deviate at all
    and x the fraud rate of such a prover: fraud enters only as the fraud per query hx (ours).

    Examples
    --------
    An honest prover: monitoring only costs, unless forced errors pay for it (Truebit):

    >>> float(monitoring_advantage(0.0, 0.0, 1, 50_000.0, 0.00025))
    -0.00025
    >>> float(monitoring_advantage(0.0, 0.0, 1, 50_000.0, 0.00025, forced_error_rate=0.001, jackpot_usd=1.0))
    0.00075

    At x = c/R a lone challenger is indifferent when every query can be cheated, and loses
    c(1-h) per check when only a share h can:

    >>> float(monitoring_advantage(0.02, 0.0, 1, 50.0, 1.0)), float(monitoring_advantage(0.02, 0.0, 1, 50.0, 1.0, forgeable_share=0.25))
    (0.0, -0.75)
    """
    x = probability("fraud_rate", fraud_rate) * _share(forgeable_share)  # fraud per query
    y = probability("monitoring_rate", monitoring_rate)
    nn = count("n", n)
    R = nonnegative("reward_usd", reward_usd)
    c = nonnegative("check_cost_usd", check_cost_usd)
    phi = probability("forced_error_rate", forced_error_rate)
    J = nonnegative("jackpot_usd", jackpot_usd)
    b = nonnegative("public_benefit_usd", public_benefit_usd)
    s = np.asarray(expected_reward_share(y, nn))
    t = np.asarray(expected_jackpot_share(y, nn, jackpot_split))
    with np.errstate(invalid="ignore"):
        lone = np.where(y < 1, np.exp((nn - 1) * np.log1p(-np.where(y < 1, y, 0.0))), np.where(nn > 1, 0.0, 1.0))
    return scalar_or_array(x * R * s + phi * J * t + x * b * lone - c)


def _decreasing_root(f, shape, iterations: int = 64) -> np.ndarray:
    """The y in [0, 1] where a decreasing f crosses 0: 0 if f(0) <= 0, 1 if f(1) >= 0."""
    lo = np.zeros(shape)
    hi = np.ones(shape)
    f0 = f(lo)
    f1 = f(hi)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        pos = f(mid) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    root = 0.5 * (lo + hi)
    return np.where(f0 <= 0, 0.0, np.where(f1 >= 0, 1.0, root))


def symmetric_monitoring_rate(fraud_rate, n, reward_usd, check_cost_usd, *, forced_error_rate=0.0, jackpot_usd=0.0, jackpot_split="uniform", public_benefit_usd=0.0, forgeable_share=None):
    """The challengers' symmetric equilibrium y for a given fraud rate x: the root of the
    decreasing monitoring advantage M(x, y) (0 if monitoring never pays, 1 if it always does).
    ``forgeable_share`` h (default 1) as in :func:`monitoring_advantage`: x is the fraud rate of
    a prover who can deviate, a share h of them.

    Closed forms: with a uniform reward only and n = 1, y is 0 or 1; Diekmann's case (R = 0,
    phi = 0): :func:`volunteers_dilemma_rate`. Otherwise a vectorized bisection.

    Examples
    --------
    >>> round(float(symmetric_monitoring_rate(1.0, 3, 0.0, 1.0, public_benefit_usd=4.0)), 6)
    0.5

    Two challengers, s(y) = 1 - y/2: against a prover who always cheats both monitor, but if
    only half the queries can be cheated, :math:`hRs(y) = c` gives y = 1/2:

    >>> float(symmetric_monitoring_rate(1.0, 2, 8.0, 3.0)), round(float(symmetric_monitoring_rate(1.0, 2, 8.0, 3.0, forgeable_share=0.5)), 9)
    (1.0, 0.5)
    """
    x = probability("fraud_rate", fraud_rate) * _share(forgeable_share)  # fraud per query
    nn = count("n", n)
    args = dict(forced_error_rate=forced_error_rate, jackpot_usd=jackpot_usd, jackpot_split=jackpot_split, public_benefit_usd=public_benefit_usd)
    shape = np.broadcast_shapes(x.shape, nn.shape, np.shape(reward_usd), np.shape(check_cost_usd), *(np.shape(v) for k, v in args.items() if k != "jackpot_split"))
    y = _decreasing_root(lambda yy: np.asarray(monitoring_advantage(x, yy, nn, reward_usd, check_cost_usd, **args)), shape)
    return scalar_or_array(y)


def volunteers_dilemma_rate(benefit_usd, cost_usd, n):
    """Diekmann's (1985) symmetric volunteer's dilemma: each of n players volunteers at cost c
    and all get b if anybody does. Each abstains with :math:`(c/b)^{1/(n-1)}`, so nobody
    volunteers with probability :math:`(c/b)^{n/(n-1)}`. Returns the volunteering rate y.

    Examples
    --------
    >>> float(volunteers_dilemma_rate(4.0, 1.0, 3))
    0.5
    """
    b = nonnegative("benefit_usd", benefit_usd)
    c = nonnegative("cost_usd", cost_usd)
    nn = count("n", n)
    bad = ~((c > 0) & (c < b) & (nn >= 2))
    if bad.any():
        raise PayoffError("cost_usd", "must satisfy 0 < cost < benefit with n >= 2", float(np.broadcast_to(c, bad.shape)[bad].flat[0]))
    return scalar_or_array(-np.expm1(np.log(c / b) / (nn - 1)))


def n_challenger_equilibrium(
    values, n, deviation="wrong_output", convention="forfeit", *, protocol=None, forced_error_rate=0.0, jackpot_usd=0.0, jackpot_split="uniform", forgeable_share=None
) -> ChallengerEquilibrium:
    """The symmetric equilibrium of the inspection game with n challengers (ours).

    Prover indifference pins the detection: :math:`q^* = A/(A-B)` (as y* with one challenger),
    so :math:`y^* = 1-(1-q^*)^{1/n}`; challenger indifference then gives the fraud rate
    :math:`x^* = (c - \\varphi J t(y^*))/(haS\\,s(y^*))`. Where that is not in (0, 1):
    x = 1 and y is the root of :math:`M(1, y) = haS\\,s(y) + \\varphi J t(y) - c = 0`
    (monitoring is too costly for y*), or x = 0 and y the root of :math:`\\varphi J t(y) = c`
    (forced errors alone pay for monitoring). If spot-checks alone deter (A < 0) nobody cheats
    and y solves :math:`\\varphi J t(y) = c` (0 without forced errors: the verifier's dilemma).

    h (``forgeable_share``) is the share of queries whose prover can deviate at all; the
    challengers cannot tell them from the honest rest, so a monitor's expected reward is
    :math:`hxaS\\,s(y)` (ours). The prover's side does not involve h, so q* and y* do not
    change; x* grows as 1/h until :math:`c \\ge haS\\,s(y^*) + \\varphi J t(y^*)`, from
    where x = 1 and y falls with h (to the forced errors' root, 0 without them, at h = 0).
    The fraud per query is :math:`hx` (``network_fraud_rate``).

    Vectorized: ``values`` entries and ``n`` may be arrays (broadcast together); n from 1 to
    10,000 and beyond (the powers go through log1p/expm1).

    Parameters
    ----------
    values : Mapping or Model
    n : int or array of int
        Number of challengers (>= 0; with none, q = 0 and the prover cheats iff A > 0).
    deviation, convention : str
    protocol : Protocol or Mapping, optional
    forced_error_rate : float, optional
        phi, the rate of forced errors (Truebit); 0 in OTR.
    jackpot_usd : float, optional
        J, paid for finding a forced error.
    jackpot_split : {"uniform", "truebit"}
    forgeable_share : float or array, optional
        h in [0, 1] (broadcast with the rest); default None: 1, the game of a compromised
        prover. The network's h is :func:`network_forgeable_share`.

    Returns
    -------
    ChallengerEquilibrium

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> v = load_model().with_values(slash_usd=1000.0).values()
    >>> eq = n_challenger_equilibrium(v, 1)
    >>> eq.kind, float(eq.fraud_rate), round(float(eq.monitoring_rate), 6)
    ('mixed', 5.276e-07, 0.081726)
    >>> eq = n_challenger_equilibrium(v, 10_000)
    >>> round(float(eq.challenger_detection), 6), float(eq.fraud_rate) > 5e-07
    (0.081726, True)

    Only h = 1/2 of the queries forgeable: twice the fraud of a forgeable prover, the same
    fraud per query and monitoring; at h = 1e-7 monitoring does not pay even at x = 1:

    >>> eq = n_challenger_equilibrium(v, 1, forgeable_share=0.5)
    >>> float(eq.fraud_rate), float(eq.network_fraud_rate), round(float(eq.monitoring_rate), 6)
    (1.0552e-06, 5.276e-07, 0.081726)
    >>> eq = n_challenger_equilibrium(v, 1, forgeable_share=1e-7)
    >>> eq.kind, float(eq.fraud_rate), float(eq.monitoring_rate)
    ('pure', 1.0, 0.0)
    """
    check_deviation(deviation)
    conv = check_convention(convention)
    values, protocol = resolve(values, protocol)
    g, s, rho, a, c = (np.asarray(v, dtype=float) for v in _game_numbers(values, deviation, conv, protocol))
    n_given = count("n", n, minimum=0)
    phi = probability("forced_error_rate", forced_error_rate)
    J = nonnegative("jackpot_usd", jackpot_usd)
    if jackpot_split not in JACKPOT_SPLITS:
        raise PayoffError("jackpot_split", f"must be one of {', '.join(JACKPOT_SPLITS)}", jackpot_split)
    h = _share(forgeable_share)
    g, s, rho, a, c, n_given, phi, J, h = np.broadcast_arrays(g, s, rho, a, c, n_given, phi, J, h)
    nobody = n_given == 0  # no challengers: solved with n = 1 and overridden below
    nn = np.where(nobody, 1.0, n_given)
    A, B, R, _ = _entries(g, s, rho, a, c, conv)
    R = h * R  # a monitor's expected reward per fraud of a forgeable prover (ours)
    shape = A.shape

    def t_of(y):
        return np.asarray(expected_jackpot_share(y, nn, jackpot_split))

    def s_of(y):
        return np.asarray(expected_reward_share(y, nn))

    # candidate 1: interior (prover indifferent)
    with np.errstate(divide="ignore", invalid="ignore"):
        q0 = np.where(A > B, A / np.where(A > B, A - B, 1.0), 0.0)
    q0 = np.clip(q0, 0.0, 1.0)
    with np.errstate(divide="ignore"):
        y0 = np.where(q0 < 1.0, -np.expm1(np.log1p(-np.where(q0 < 1.0, q0, 0.0)) / nn), 1.0)
    jack0 = phi * J * t_of(y0)
    den = R * s_of(y0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a tiny h: x0 = inf, x = 1
        x0 = np.where(den > 0, (c - jack0) / np.where(den > 0, den, 1.0), np.where(c - jack0 > 0, np.inf, -np.inf))
    cheats = A > 0
    interior = cheats & (B < 0) & (x0 > 0) & (x0 < 1)
    all_cheat = cheats & ~interior & ((B >= 0) | (x0 >= 1))
    # the two boundary candidates need a root (64 bisection steps over the whole array); skip
    # them where no point uses them: without forced errors monitoring an honest prover never
    # pays (root 0), and the always-cheat root is only read where the prover always cheats.
    # candidate 2: everybody honest, monitoring paid by forced errors alone
    y_honest = _decreasing_root(lambda y: phi * J * t_of(y) - c, shape) if (phi * J > 0).any() else np.zeros(shape)
    # candidate 3: the prover always cheats
    y_cheat = _decreasing_root(lambda y: R * s_of(y) + phi * J * t_of(y) - c, shape) if all_cheat.any() else np.zeros(shape)
    x = np.where(interior, x0, np.where(all_cheat, 1.0, 0.0))
    y = np.where(interior, y0, np.where(all_cheat, y_cheat, np.where(cheats, np.maximum(y_honest, y0), y_honest)))
    q = np.where(y < 1, -np.expm1(nn * np.log1p(-np.where(y < 1, y, 0.0))), 1.0)
    p = 1.0 - (1.0 - rho) * (1.0 - q)

    # a player indifferent over a range: the prover at q = 0 (A = 0); the challengers at the
    # interior point's edge (x0 = 0 or 1), or where monitoring's advantage is flat at zero
    flat_honest = (x == 0) & (((nn == 1) & (phi * J == c)) | ((phi * J == 0) & (c == 0)))
    flat_cheat = all_cheat & (nn == 1) & ((R + phi * J) == c)
    degenerate = (A == 0) | (cheats & (B < 0) & ((x0 == 0) | (x0 == 1))) | flat_honest | flat_cheat
    x = np.where(nobody, np.where(cheats, 1.0, 0.0), x)
    y = np.where(nobody, 0.0, y)
    q = np.where(nobody, 0.0, q)
    p = np.where(nobody, rho, p)
    degenerate = np.where(nobody, A == 0, degenerate)
    pure = ((x == 0) | (x == 1)) & ((y == 0) | (y == 1))
    kind = np.where(degenerate, "degenerate", np.where(pure, "pure", "mixed"))
    out = {k: scalar_or_array(v) for k, v in dict(x=x, y=y, q=q, p=p, h=h, hx=h * x).items()}
    return ChallengerEquilibrium(
        fraud_rate=out["x"],
        monitoring_rate=out["y"],
        challenger_detection=out["q"],
        detection_probability=out["p"],
        forgeable_share=out["h"],
        network_fraud_rate=out["hx"],
        kind=str(kind[()]) if kind.ndim == 0 else kind,
        n=int(n_given[()]) if n_given.ndim == 0 else n_given.astype(int),
    )
