r"""Cost of corruption against profit from corruption: one prover's deviation over time (ours).

Every security answer of the one-query kind asks whether *one* cheated query pays against a
*fresh, full* stake. A compromised TEE forges every query it serves, the external gain of a wrong
output is realised at provisional finality within seconds, a fraud is slashed only when its
demanded proof misses its deadline (or a dispute ends), and the stake is slashed once. The right
question is the one the staking literature asks -- **cost of corruption >= profit from
corruption** over every strategy a rational prover can play in time (EigenLayer's CoC/PfC
accounting; Durvasula & Roughgarden 2024; Budish's stock-versus-flow argument: a one-off stake
must exceed the flow of gains an attack extracts before it is punished). This module is that
model, from the lead's spec (``SPEC-over-time``); every formula below is ours.

Inputs (model fields in brackets)
---------------------------------
* n = queries/s the stake covers = :func:`otr_theory.model.replica_query_rate` (the one
  throughput, TEE overhead included) x ``replicas_per_stake``.
* Gains per cheated query: two classes, a fraction :math:`\varphi_v` (``high_value_fraction``)
  worth :math:`g_v` (``high_value_gain_usd``), the rest :math:`g_0` (``external_gain_usd``);
  mean :math:`\bar g = (1-\varphi_v) g_0 + \varphi_v g_v`. Model downgrade and skipped work have
  one class (the saving per query).
* Detection of one cheated query by a compromised prover: :math:`p = 1-(1-\rho_{\rm eff})(1-q)`,
  q = 0 ("spot-checks only", the guarantee) or the challengers' equilibrium detection.
* Lag L from the detected query's commitment to its slash: :math:`L_s` = ``proof_deadline_s``
  (spot-check: the proof is missing at its deadline), :math:`L_c` = censorship + bisection rounds
  x timeout + settlement (challenge), combined :math:`L = [\rho(1-q) L_s + q L_c]/p`.
* Effective slash :math:`S_{\rm eff} = \min(S, \mathrm{stake})\,(1-a)` when the prover can
  front-run its own challenge through a Sybil (``self_challenge``, a = ``challenger_reward_share``),
  else :math:`\min(S, \mathrm{stake})`; franchise F = ``reentry_cost_usd``; margin m.
* Horizon H: a compromise episode (``compromise_duration_days``); outside it the attestation
  rejects every forged result. Without the attestation check (baselines) H is unbounded.

Strategies (the cheat-until-caught family)
------------------------------------------
Cheat on every query of the top gain classes j (valuable only, or all) for M cheated queries,
:math:`M \le M_j = \lfloor f\,n H \varphi_j \rfloor` (f the fraction of such queries cheated;
f < 1 is "cheat on a fraction", M < M_j is "stop early"). The first detected query is the K-th
cheated one, :math:`K \sim \mathrm{Geometric}(p)`. The prover learns at once that it is caught
and cheats on *every* query during the lag (n L queries, mean gain :math:`\bar g`); the slash
lands once, then the prover is ejected. With :math:`P_M = 1-(1-p)^M` and
:math:`E[\min(K, M)] = P_M/p`:

.. math::

    \Pi(M, j) = P_M B_j, \qquad
    B_j = \frac{g_j}{p} + nL\bar g - S_{\rm eff} - F \ \text{(keep)}, \quad
    B_j = \frac{g_j(1-p)}{p} + nL\bar g(1-p) - S_{\rm eff} - F \ \text{(forfeit)}

(forfeit: the detected query's gain, and each lag query that is itself detected, is lost).
:math:`P_M` rises in M, so the best M is :math:`M_j` when :math:`B_j > 0` (cheat to the end of
the episode: stopping early never pays) and M = 1 otherwise (payoff :math:`pB_j`).

**Criterion.** A point is secure iff :math:`\max_j \max_{1 \le M \le M_j} \Pi(M, j) \le -m`,
i.e. :math:`p B_j \le -m` for every j. Keep: :math:`g_{\max} + p n L \bar g \le p(S_{\rm eff} +
F) - m` (polynomial: z3-ready). Required stake :math:`S^* = (g_{\max}/p + nL\bar g - F + m/p)
/(1-a)` (keep; a = 0 without self-challenge). **Exposure** (value at risk between a fraud and its
slash): :math:`nL\bar g`. With L = 0 and one query the criterion is the one-query condition of
:mod:`otr_theory.payoffs` (keep :math:`g - pS \le -m`, forfeit :math:`(1-p)g - pS \le -m`); with
L > 0 it is never weaker.

Gains at final finality and reverting pending results
-----------------------------------------------------
With ``gain_realisation = "final"`` a query pays at :math:`t_q + W`. Without
``revert_pending_on_slash`` this only delays the gains (same payoff). With it, on a slash every
result of the prover not yet final is reverted: for :math:`W \le L` the lag gains shrink to
:math:`n(L-W)\bar g`; for :math:`W > L` the lag gains vanish and the last
:math:`c = (W-L) n \varphi_j` pre-detection cheated queries are reverted too (forfeit:
:math:`c' = \max(c, 1)`, the detected query being lost anyway). Counted cheated queries are
:math:`(K-c')^+` if detected (K <= M), else M, so

.. math::

    E(M) = g_j\Bigl[\sum_{k \le M} p(1-p)^{k-1}(k-c')^+ + (1-p)^M M\Bigr] - P_M (S_{\rm eff} + F),

with the finite sum in closed form (:func:`reverted_sum`). Its increments
:math:`E(M+1)-E(M) = (1-p)^M [g_j(1 - p\min(M+1, c')) - p(S_{\rm eff}+F)]` fall in M: E is
concave and the best M is where they turn negative (:func:`best_strategy`). A gain realised at
provisional finality is not undone by a revert.

Bribing challengers
-------------------
The prover may pay the challengers to stay idle: q = 0 at the price of their expected reward from
the attack, :math:`a\,S\,(q/p)\,P_{M}` (the share of detections that are theirs, the reward paid
once). :func:`bribe` says where that beats honesty and where it beats the unbribed attack.

References
----------
EigenLayer (2023). EigenLayer: the restaking collective (whitepaper), section 3.4: cost of
corruption versus profit from corruption.
Durvasula, N., Roughgarden, T. (2024). Robust restaking networks. arXiv 2407.21785.
Budish, E. (2018, rev. 2022). The economic limits of bitcoin and anonymous, decentralized trust.
NBER working paper 24717 (stock of honest stake versus flow of attack gains).
Becker, G. S. (1968). Crime and punishment: an economic approach. J. Political Economy 76(2).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from otr_theory.payoffs._checks import DEVIATIONS, PayoffError, check_convention, check_deviation
from otr_theory.payoffs.conditions import GAIN_FIELDS, compromise_probability, deviation_payoff, effective_spot_check_rate
from otr_theory.records import Record, quantity

__all__ = [
    "GAIN_REALISATIONS",
    "READINGS",
    "STRATEGIES",
    "Attack",
    "Assessment",
    "Bribe",
    "CorruptionInputs",
    "assess",
    "best_payoff_vec",
    "best_strategy",
    "bribe",
    "brute_force_best",
    "challenge_lag_s",
    "corruption_inputs",
    "exposure_usd",
    "is_secure",
    "minimum_spot_check_rate",
    "required_stake",
    "reverted_sum",
    "security_margin",
    "strategy_payoff",
]

GAIN_REALISATIONS: tuple[str, ...] = ("provisional", "final")
READINGS: tuple[str, ...] = ("spot_checks_only", "equilibrium")
STRATEGIES: tuple[str, ...] = ("cheat_until_caught", "valuable_only", "cheat_fraction", "stop_early", "single_query")
"""Names of the strategies the optimiser reports (all of the cheat-until-caught family)."""


def _nonneg(name: str, x: Any, *, allow_inf: bool = False) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise PayoffError(name, "must be a number", x) from None
    if math.isnan(v) or v < 0 or (math.isinf(v) and not allow_inf):
        raise PayoffError(name, "must be finite and >= 0" if not allow_inf else "must be >= 0", x)
    return v


def _prob(name: str, x: Any) -> float:
    v = _nonneg(name, x)
    if v > 1:
        raise PayoffError(name, "must be a probability in [0, 1]", x)
    return v


@dataclasses.dataclass(frozen=True)
class CorruptionInputs:
    """Everything the over-time deviation model needs, as plain numbers (build with
    :func:`corruption_inputs`, or directly for tests).

    Attributes
    ----------
    query_rate : float
        n, queries/s the stake covers.
    gain_classes : tuple of (gain_usd, fraction)
        The classes of queries, sorted by gain, largest first; fractions sum to 1.
    spot_check_rate : float
        :math:`\\rho_{\\rm eff}`.
    challenger_detection : float
        q.
    spot_lag_s, challenge_lag_s : float
        :math:`L_s`, :math:`L_c`.
    slash_usd : float
        The nominal slash :math:`\\min(S, \\mathrm{stake})`.
    reward_share : float
        a, the challenger's share of the slash.
    self_challenge : bool
        The prover recovers a through a Sybil challenger.
    franchise_usd : float
        F.
    horizon_s : float
        H (``inf`` without an attestation check; 0: no attack possible).
    margin_usd : float
        m.
    convention : {"forfeit", "keep"}
    gain_realisation : {"provisional", "final"}
    revert_pending : bool
    window_s : float
        W.
    deviation : str
    """

    query_rate: float
    gain_classes: tuple[tuple[float, float], ...]
    spot_check_rate: float
    challenger_detection: float = 0.0
    spot_lag_s: float = 0.0
    challenge_lag_s: float = 0.0
    slash_usd: float = 0.0
    reward_share: float = 0.0
    self_challenge: bool = False
    franchise_usd: float = 0.0
    horizon_s: float = math.inf
    margin_usd: float = 0.0
    convention: str = "keep"
    gain_realisation: str = "provisional"
    revert_pending: bool = False
    window_s: float = 0.0
    deviation: str = "wrong_output"

    def __post_init__(self) -> None:
        _nonneg("query_rate", self.query_rate)
        if not self.gain_classes:
            raise PayoffError("gain_classes", "must hold at least one (gain, fraction)", self.gain_classes)
        for g, f in self.gain_classes:
            _nonneg("gain_classes.gain_usd", g)
            _prob("gain_classes.fraction", f)
        total = sum(f for _, f in self.gain_classes)
        if abs(total - 1.0) > 1e-9:
            raise PayoffError("gain_classes", "fractions must sum to 1", total)
        if list(self.gain_classes) != sorted(self.gain_classes, key=lambda c: -c[0]):
            raise PayoffError("gain_classes", "must be sorted by gain, largest first", self.gain_classes)
        _prob("spot_check_rate", self.spot_check_rate)
        _prob("challenger_detection", self.challenger_detection)
        for name in ("spot_lag_s", "challenge_lag_s", "slash_usd", "franchise_usd", "margin_usd", "window_s"):
            _nonneg(name, getattr(self, name))
        _prob("reward_share", self.reward_share)
        _nonneg("horizon_s", self.horizon_s, allow_inf=True)
        check_convention(self.convention)
        if self.gain_realisation not in GAIN_REALISATIONS:
            raise PayoffError("gain_realisation", "must be 'provisional' or 'final'", self.gain_realisation)
        check_deviation(self.deviation)

    # derived quantities ------------------------------------------------------------------
    @property
    def detection(self) -> float:
        """:math:`p = 1-(1-\\rho_{\\rm eff})(1-q)`."""
        return 1.0 - (1.0 - self.spot_check_rate) * (1.0 - self.challenger_detection)

    @property
    def lag_s(self) -> float:
        """Expected lag given detection (0 if p = 0), ours: a query caught both ways is slashed at the
        sooner lag, :math:`[\\rho(1-q)L_s + (1-\\rho)qL_c + \\rho q\\min(L_s, L_c)]/p`; the spec's
        :math:`[\\rho(1-q)L_s + qL_c]/p` is this where :math:`L_c \\le L_s`."""
        p = self.detection
        if p == 0:
            return 0.0
        r, q = self.spot_check_rate, self.challenger_detection
        if q == 0:
            return self.spot_lag_s
        if r == 0:
            return self.challenge_lag_s
        ls, lc = self.spot_lag_s, self.challenge_lag_s
        return (r * (1.0 - q) * ls + (1.0 - r) * q * lc + r * q * min(ls, lc)) / p

    @property
    def effective_slash_usd(self) -> float:
        """:math:`S_{\\rm eff}`: the slash, less the reward share recovered through a Sybil."""
        return self.slash_usd * (1.0 - self.reward_share) if self.self_challenge else self.slash_usd

    @property
    def mean_gain_usd(self) -> float:
        """:math:`\\bar g`, the mean gain of a query."""
        return sum(g * f for g, f in self.gain_classes)

    @property
    def reverts(self) -> bool:
        """Pending results' gains are reverted on a slash (revert on and gains at final finality)."""
        return self.revert_pending and self.gain_realisation == "final"

    @property
    def lag_queries(self) -> float:
        """Queries whose gain counts during the lag: :math:`n L`, or :math:`n (L-W)^+` under revert."""
        lag = self.lag_s
        if self.reverts:
            lag = max(lag - self.window_s, 0.0)
        return self.query_rate * lag

    def classes(self) -> list[tuple[str, float, float]]:
        """The strategies' class sets: (label, mean gain g_j, fraction phi_j) of the top-j classes."""
        out = []
        cum_f = cum_gf = 0.0
        for i, (g, f) in enumerate(self.gain_classes):
            cum_f += f
            cum_gf += g * f
            if f <= 0:
                continue
            label = "all" if i == len(self.gain_classes) - 1 else ("valuable" if i == 0 else f"top{i + 1}")
            out.append((label, cum_gf / cum_f, cum_f))
        return out

    def max_cheated(self, fraction: float) -> float:
        """:math:`M_j = \\lfloor nH\\varphi_j \\rfloor` (``inf`` with an unbounded horizon)."""
        x = self.query_rate * self.horizon_s * fraction
        return math.inf if math.isinf(x) else float(math.floor(x + 1e-9))

    def replace(self, **kw: Any) -> CorruptionInputs:
        return dataclasses.replace(self, **kw)


def challenge_lag_s(values) -> float:
    """:math:`L_c` = censorship_blocks x block_time + bisection rounds x round timeout + settlement.

    >>> from otr_theory.model import load_model
    >>> challenge_lag_s(load_model().values())  # 100 x 12 + 40 x 1,800 + 1,800
    75000.0
    """
    from otr_theory.model import bisection_rounds

    rounds = bisection_rounds(int(values["trace_steps"]), int(values["bisection_arity"]))
    return float(values["censorship_blocks"] * values["block_time_s"] + rounds * values["round_timeout_s"] + values["settlement_s"])


def corruption_inputs(model, deviation: str = "wrong_output", *, reading: str = "spot_checks_only", **overrides: Any) -> CorruptionInputs:
    """The over-time inputs of one deviation at a model's point.

    Parameters
    ----------
    model : Model
    deviation : str
        One of :data:`~otr_theory.payoffs.DEVIATIONS`.
    reading : {"spot_checks_only", "equilibrium"}
        q = 0, or q at the challengers' symmetric equilibrium of the one-query game
        (:func:`~otr_theory.payoffs.n_challenger_equilibrium`: where the spot-checks alone deter
        that game, nobody monitors -- the verifier's dilemma).
    **overrides
        Fields of :class:`CorruptionInputs` to set afterwards.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> inp = corruption_inputs(load_model())
    >>> round(inp.query_rate, 3), inp.gain_classes, inp.spot_lag_s, inp.effective_slash_usd
    (5.753, ((10000.0, 0.001), (100.0, 0.999)), 43200.0, 50000.0)
    """
    from otr_theory.model import replica_query_rate

    check_deviation(deviation)
    if reading not in READINGS:
        raise PayoffError("reading", f"must be one of {', '.join(READINGS)}", reading)
    v = model.values()
    protocol = model.protocol
    n = float(replica_query_rate(v)) * float(v["replicas_per_stake"])
    if deviation == "wrong_output" and v["high_value_fraction"] > 0:
        hi, lo = float(v["high_value_gain_usd"]), float(v["external_gain_usd"])
        phi = float(v["high_value_fraction"])
        classes = ((hi, phi), (lo, 1.0 - phi)) if hi >= lo else ((lo, 1.0 - phi), (hi, phi))
        classes = tuple(c for c in classes if c[1] > 0) or ((lo, 1.0),)
    else:
        classes = ((float(v[GAIN_FIELDS[deviation]]), 1.0),)
    rho = float(effective_spot_check_rate(v, protocol=protocol))
    q = 0.0
    if reading == "equilibrium" and int(v["count"]) >= 1 and model.scheme in ("otr", "opml"):
        from otr_theory.payoffs.inspection import n_challenger_equilibrium

        g_best = max(float(v[GAIN_FIELDS[d]]) for d in DEVIATIONS)
        if float(deviation_payoff(g_best, v["slash_usd"], rho, model.loss_convention)) > 0:
            best = max(DEVIATIONS, key=lambda d: float(v[GAIN_FIELDS[d]]))
            q = float(n_challenger_equilibrium(v, int(v["count"]), best, model.loss_convention, protocol=protocol).challenger_detection)
    if not protocol.attestation_check:
        horizon = math.inf
    elif float(compromise_probability(v)) == 0.0:
        horizon = 0.0
    else:
        horizon = float(v["compromise_duration_days"]) * 86_400.0
    lc = challenge_lag_s(v) if model.scheme in ("otr", "opml") else 0.0
    inp = CorruptionInputs(
        query_rate=n,
        gain_classes=classes,
        spot_check_rate=rho,
        challenger_detection=q,
        spot_lag_s=float(v["proof_deadline_s"]),
        challenge_lag_s=lc,
        slash_usd=min(float(v["slash_usd"]), float(v["stake_usd"])),
        reward_share=float(v["challenger_reward_share"]),
        self_challenge=bool(getattr(model, "self_challenge", True)),
        franchise_usd=float(v["reentry_cost_usd"]),
        horizon_s=horizon,
        margin_usd=float(v["incentive_margin_usd"]),
        convention=model.loss_convention,
        gain_realisation=getattr(model, "gain_realisation", "provisional"),
        revert_pending=bool(getattr(protocol, "revert_pending_on_slash", False)),
        window_s=float(v["window_s"]),
        deviation=deviation,
    )
    return inp.replace(**overrides) if overrides else inp


# ---------------------------------------------------------------------------------------------
# the payoff of one strategy


def _survive(p: float, m: float) -> float:
    """:math:`(1-p)^M` (M may be inf)."""
    if m == 0:
        return 1.0
    if p >= 1.0:
        return 0.0
    if math.isinf(m):
        return 0.0 if p > 0 else 1.0
    return math.exp(m * math.log1p(-p))


def reverted_sum(p: float, cheated: float, c: float) -> float:
    """:math:`\\sum_{k=1}^{M} p(1-p)^{k-1}(k-c)^+` in closed form (ours).

    With :math:`u = 1-p`, :math:`a = \\lfloor c \\rfloor + 1` and :math:`E[K; K \\ge a] =
    u^{a-1}(a-1+1/p)`: :math:`[u^{a-1}(a-1+1/p) - u^M(M+1/p)] - c[u^{a-1} - u^M]` for a <= M, else 0.

    >>> p, M, c = 0.1, 30, 4.5
    >>> exact = sum(p * (1 - p) ** (k - 1) * max(k - c, 0) for k in range(1, M + 1))
    >>> abs(reverted_sum(p, M, c) - exact) < 1e-12
    True
    """
    if p <= 0:
        return 0.0
    a = math.floor(c) + 1
    if a > cheated:
        return 0.0
    ua = _survive(p, a - 1)
    um = _survive(p, cheated)
    tail_m = 0.0 if math.isinf(cheated) else um * (cheated + 1.0 / p)
    return (ua * (a - 1 + 1.0 / p) - tail_m) - c * (ua - um)


def _bracket(inp: CorruptionInputs, g_j: float) -> float:
    """:math:`B_j` of the no-revert (or W <= L revert) case."""
    p = inp.detection
    lagq = inp.lag_queries * inp.mean_gain_usd
    cost = inp.effective_slash_usd + inp.franchise_usd
    if inp.convention == "keep":
        return g_j / p + lagq - cost
    return g_j * (1.0 - p) / p + lagq * (1.0 - p) - cost


def _revert_c(inp: CorruptionInputs, phi_j: float) -> float | None:
    """c' of the revert case with W > L, or None where the bracket form holds."""
    if not inp.reverts or inp.window_s <= inp.lag_s:
        return None
    c = (inp.window_s - inp.lag_s) * inp.query_rate * phi_j
    return max(c, 1.0) if inp.convention == "forfeit" else c


def strategy_payoff(inp: CorruptionInputs, cheated: float, top_classes: int | None = None) -> float:
    """Expected payoff relative to honesty of cheating on ``cheated`` queries of the top classes.

    Parameters
    ----------
    inp : CorruptionInputs
    cheated : float
        M >= 0 (an integer, or ``inf`` with an unbounded horizon).
    top_classes : int, optional
        How many of the gain classes (largest first) are cheated on; default all.

    Returns
    -------
    float
        :math:`\\Pi(M, j)` (module docstring); 0 for M = 0; ``inf`` if it is unbounded.

    Examples
    --------
    >>> inp = CorruptionInputs(query_rate=1.0, gain_classes=((100.0, 1.0),), spot_check_rate=0.01, slash_usd=9900.0, convention="forfeit")
    >>> abs(strategy_payoff(inp, 1)) < 1e-9  # L = 0, one query: (1-p)g - pS = 0
    True
    """
    classes = inp.classes()
    j = len(classes) if top_classes is None else int(top_classes)
    if not 1 <= j <= len(classes):
        raise PayoffError("top_classes", f"must be in 1..{len(classes)}", top_classes)
    _, g_j, phi_j = classes[j - 1]
    m = _nonneg("cheated", cheated, allow_inf=True)
    if m == 0:
        return 0.0
    p = inp.detection
    if p == 0:
        return math.inf if (math.isinf(m) and g_j > 0) else m * g_j
    pm = 1.0 - _survive(p, m)
    c = _revert_c(inp, phi_j)
    if c is None:
        return pm * _bracket(inp, g_j)
    tail = 0.0 if math.isinf(m) else _survive(p, m) * m
    return g_j * (reverted_sum(p, m, c) + tail) - pm * (inp.effective_slash_usd + inp.franchise_usd)


# ---------------------------------------------------------------------------------------------
# the best strategy


@dataclasses.dataclass(frozen=True, repr=False)
class Attack(Record):
    """The best strategy found.

    Attributes
    ----------
    strategy : str
        One of :data:`STRATEGIES` (``none`` when no attack is possible).
    classes : str
        ``valuable``, ``all``, ...
    cheated : float
        M, the cheated queries it plans (``inf``: unbounded).
    fraction : float
        Share of the class's queries cheated on (1 unless ``cheat_fraction``).
    payoff_usd : float
        Expected payoff relative to honesty.
    method : str
    """

    TITLE = "best attack over time"

    strategy: str = quantity("", "the strategy (none when no attack is possible)")
    classes: str = quantity("", "the gain classes cheated on")
    cheated: float = quantity("count", "M, the cheated queries planned (inf: unbounded)")
    fraction: float = quantity("fraction", "share of the class's queries cheated on")
    payoff_usd: float = quantity("USD", "expected payoff relative to honesty", source="ours: payoffs.corruption")
    method: str = quantity("", "closed form or brute force")

    @property
    def words(self) -> str:
        """The strategy in plain words (:func:`attack_words`)."""
        return attack_words(self.strategy, self.classes, self.cheated, self.fraction)


def attack_words(strategy: str, classes: str, cheated: Any = None, fraction: Any = 1.0) -> str:
    """A strategy of :data:`STRATEGIES` in plain words, for every renderer (report, CLI).

    >>> attack_words("valuable_only", "valuable", 44735.0)
    'cheat on the valuable queries only, until caught (44,735 cheated queries)'
    >>> attack_words("cheat_until_caught", "all", float("inf"))
    'cheat on every query until caught (unboundedly many cheated queries)'
    >>> attack_words("stop_early", "valuable", 94.0)
    'cheat on the valuable queries and stop after 94'
    """
    try:
        m = float(cheated)
    except (TypeError, ValueError):
        m = math.nan
    count = "unboundedly many" if math.isinf(m) else (f"{m:,.0f}" if math.isfinite(m) else "")
    n = f" ({count} cheated queries)" if count else ""
    who = "every" if classes in ("all", "") else f"the {classes}"
    if strategy == "none":
        return "no attack possible"
    if strategy == "cheat_until_caught":
        return f"cheat on {who} query until caught{n}" if who == "every" else f"cheat on {who} queries until caught{n}"
    if strategy == "valuable_only":
        return f"cheat on {who} queries only, until caught{n}"
    if strategy == "cheat_fraction":
        try:
            share = f"{float(fraction):.3g}"
        except (TypeError, ValueError):
            share = "a fraction"
        return f"cheat on a share {share} of {who} queries{n}"
    if strategy == "stop_early":
        return f"cheat on {who} queries and stop after {count}" if count else f"cheat on {who} queries and stop early"
    if strategy == "single_query":
        return f"cheat on one query ({classes or 'any'} class) and stop"
    return strategy.replace("_", " ")


def _best_m_revert(inp: CorruptionInputs, g_j: float, c: float, m_max: float) -> float:
    """The best M under revert with W > L: E is concave (module docstring)."""
    p = inp.detection
    cost = inp.effective_slash_usd + inp.franchise_usd
    if g_j <= 0:
        return 1.0
    t = (1.0 - p * cost / g_j) / p
    if c < t:
        return m_max
    count = max(math.ceil(t - 1.0) - 1, 0) if t - 1.0 > 1.0 else 0
    return float(min(1 + count, m_max))


def best_strategy(inp: CorruptionInputs) -> Attack:
    """The best strategy by the closed form: for each class set, M = M_j if the bracket is
    positive, else M = 1 (under revert with W > L: the concave optimum).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = best_strategy(corruption_inputs(load_model()))
    >>> a.strategy, a.classes, round(a.payoff_usd / 1e6, 1)
    ('valuable_only', 'valuable', 28.0)
    """
    best: Attack | None = None
    classes = inp.classes()
    for j, (label, g_j, phi_j) in enumerate(classes, start=1):
        m_max = inp.max_cheated(phi_j)
        if m_max < 1:
            continue
        p = inp.detection
        if p == 0:
            m = m_max
        else:
            c = _revert_c(inp, phi_j)
            if c is None:
                m = m_max if _bracket(inp, g_j) > 0 else 1.0
            else:
                m = _best_m_revert(inp, g_j, c, m_max)
        pay = strategy_payoff(inp, m, j)
        name = "single_query" if m == 1 else ("stop_early" if m < m_max else ("valuable_only" if j < len(classes) else "cheat_until_caught"))
        cand = Attack(name, label, m, 1.0, pay, "closed form (ours): best M at a boundary, or the concave optimum under revert")
        if best is None or pay > best.payoff_usd:
            best = cand
    if best is None:
        return Attack("none", "", 0.0, 0.0, -math.inf, "no attack possible: no compromise episode in which to forge")
    return best


def brute_force_best(inp: CorruptionInputs, *, points: int = 400, exhaustive: int = 5_000, fractions: tuple[float, ...] = (1.0, 0.5, 0.1, 0.01, 0.001)) -> Attack:
    """The best strategy by brute force: every class set, every cheated fraction f, every M up to
    ``exhaustive`` cheated queries, beyond that M on a log grid from 1 to :math:`M_j(f)` with its
    integer neighbours (the independent check of :func:`best_strategy`; an unbounded horizon is
    cut at 1e15 queries).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> inp = corruption_inputs(load_model())
    >>> abs(brute_force_best(inp).payoff_usd - best_strategy(inp).payoff_usd) < 1e-6 * abs(best_strategy(inp).payoff_usd)
    True
    """
    best: Attack | None = None
    classes = inp.classes()
    for j, (label, _, phi_j) in enumerate(classes, start=1):
        for f in fractions:
            m_max = min(inp.max_cheated(phi_j * f), 1e15)
            if m_max < 1:
                continue
            if m_max <= exhaustive:  # every M
                grid = np.arange(1.0, m_max + 1.0)
            else:
                grid = np.unique(np.concatenate([np.floor(np.logspace(0, math.log10(m_max), points)), [1.0, m_max]]))
                grid = np.unique(np.clip(np.concatenate([grid - 1, grid, grid + 1]), 1, m_max))
            pays = [strategy_payoff(inp, float(m), j) for m in grid]
            k = int(np.argmax(pays))
            if 0 < k < len(grid) - 1 and grid[k + 1] - grid[k - 1] > 2:  # refine between the neighbours, every integer
                lo, hi = grid[k - 1], grid[k + 1]
                step = max(1.0, math.floor((hi - lo) / 20_000))
                grid = np.unique(np.concatenate([grid, np.arange(lo, hi + 1.0, step)]))
            for m in grid[::-1]:  # ties go to the larger M (the closed form's boundary)
                pay = strategy_payoff(inp, float(m), j)
                if best is None or pay > best.payoff_usd:
                    name = "single_query" if m == 1 else ("cheat_fraction" if f < 1 else ("stop_early" if m < m_max else ("valuable_only" if j < len(classes) else "cheat_until_caught")))
                    best = Attack(name, label, float(m), f, pay, f"brute force over M (log grid, {points} points) x class sets x fractions")
    if best is None:
        return Attack("none", "", 0.0, 0.0, -math.inf, "no attack possible")
    return best


def security_margin(inp: CorruptionInputs) -> float:
    """By how much honesty beats the best strategy: :math:`-\\max \\Pi - m` (secure iff >= 0)."""
    return -best_strategy(inp).payoff_usd - inp.margin_usd


def is_secure(inp: CorruptionInputs) -> bool:
    """The criterion: the best strategy's expected payoff is at most -m.

    >>> from otr_theory.model import load_model
    >>> is_secure(corruption_inputs(load_model()))
    False
    """
    return security_margin(inp) >= 0.0


def exposure_usd(inp: CorruptionInputs) -> float:
    """Value at risk between a fraud and its slash: :math:`nL\\bar g` (gains of the lag queries).

    >>> from otr_theory.model import load_model
    >>> round(exposure_usd(corruption_inputs(load_model())) / 1e6, 2)
    27.31
    """
    return inp.lag_queries * inp.mean_gain_usd


def required_stake(inp: CorruptionInputs) -> float:
    """The least slash (= stake) that makes the point secure, :math:`S^*`.

    Closed form without revert: every bracket must satisfy :math:`pB_j \\le -m`:
    keep :math:`S^*_{\\rm eff} = \\max_j(g_j/p) + nL\\bar g - F + m/p`, forfeit
    :math:`\\max_j g_j(1-p)/p + nL\\bar g(1-p) - F + m/p`, divided by (1 - a) under
    self-challenge; ``inf`` when p = 0 (or a = 1 under self-challenge) and there is a gain.
    Under revert with W > L the payoff is not of bracket form: bisection on S (monotone).

    >>> from otr_theory.model import load_model
    >>> round(required_stake(corruption_inputs(load_model())) / 1e6, 1)
    56.1
    """
    classes = inp.classes()
    if all(inp.max_cheated(phi) < 1 for _, _, phi in classes):
        return 0.0
    p = inp.detection
    if p == 0:
        return math.inf if any(g > 0 for _, g, _ in classes) or inp.margin_usd > 0 else 0.0
    keep = 1.0 - (inp.reward_share if inp.self_challenge else 0.0)
    if any(_revert_c(inp, phi) is not None for _, _, phi in classes):
        if keep == 0:
            return math.inf
        lo, hi = 0.0, 1.0
        while not is_secure(inp.replace(slash_usd=hi)):
            hi *= 2
            if hi > 1e18:
                return math.inf
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if is_secure(inp.replace(slash_usd=mid)) else (mid, hi)
            if hi - lo <= 1e-9 * hi:
                break
        return hi
    lagq = inp.lag_queries * inp.mean_gain_usd
    need = max((g / p + lagq if inp.convention == "keep" else g * (1 - p) / p + lagq * (1 - p)) for _, g, phi in classes if inp.max_cheated(phi) >= 1)
    s_eff = max(need - inp.franchise_usd + inp.margin_usd / p, 0.0)
    if keep == 0:
        return math.inf if s_eff > 0 else 0.0
    return s_eff / keep


def minimum_spot_check_rate(inp: CorruptionInputs) -> float:
    """The least spot-check rate at which the point is secure (the criterion is monotone in
    rho at fixed q: bisection to 1e-12); ``inf`` when even rho = 1 is not enough.

    >>> from otr_theory.model import load_model
    >>> round(minimum_spot_check_rate(corruption_inputs(load_model())), 3)  # forfeit: near 1
    0.998
    >>> minimum_spot_check_rate(corruption_inputs(load_model(), convention="keep"))
    inf
    """
    if not is_secure(inp.replace(spot_check_rate=1.0)):
        return math.inf
    if is_secure(inp.replace(spot_check_rate=0.0)):
        return 0.0
    lo, hi = 0.0, 1.0
    while hi - lo > 1e-12:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if is_secure(inp.replace(spot_check_rate=mid)) else (mid, hi)
    return hi


@dataclasses.dataclass(frozen=True, repr=False)
class Bribe(Record):
    """Paying the challengers to stay idle.

    Attributes
    ----------
    bribe_usd : float
        What the challengers must be offered: their expected reward from the attack,
        :math:`a\\,S\\,(q/p)\\,P_M`.
    bribed_payoff_usd : float
        The best attack with q = 0, less the bribe.
    unbribed_payoff_usd : float
    beats_honesty : bool
        bribed payoff > -m.
    beats_attack : bool
        bribed payoff > unbribed payoff.
    """

    TITLE = "bribing the challengers idle"

    bribe_usd: float = quantity("USD", "what the challengers must be offered: a S (q/p) P_M", source="ours")
    bribed_payoff_usd: float = quantity("USD", "the best attack with q = 0, less the bribe")
    unbribed_payoff_usd: float = quantity("USD", "the best attack facing the challengers")
    beats_honesty: bool = quantity("", "bribed payoff > -m")
    beats_attack: bool = quantity("", "bribed payoff > unbribed payoff")


def bribe(inp: CorruptionInputs) -> Bribe:
    """Where idling the challengers by a bribe beats honesty (and the honest-challenger attack).

    >>> inp = CorruptionInputs(query_rate=1.0, gain_classes=((100.0, 1.0),), spot_check_rate=0.01, challenger_detection=0.5,
    ...                        slash_usd=1e5, reward_share=0.5, horizon_s=1e4, convention="keep")
    >>> b = bribe(inp)
    >>> b.beats_honesty, b.beats_attack  # cheaper than facing the challengers, still worse than honesty
    (False, True)
    """
    unbribed = best_strategy(inp)
    idle = best_strategy(inp.replace(challenger_detection=0.0))
    p, q = inp.detection, inp.challenger_detection
    if p == 0 or q == 0 or unbribed.strategy == "none":
        cost = 0.0
    else:
        _, _, phi = inp.classes()[0 if idle.classes in ("valuable", "") else -1]
        pm = 1.0 - _survive(p, idle.cheated)
        cost = inp.reward_share * inp.slash_usd * (q / p) * pm
    bribed = idle.payoff_usd - cost
    return Bribe(cost, bribed, unbribed.payoff_usd, bribed > -inp.margin_usd, bribed > unbribed.payoff_usd)


# ---------------------------------------------------------------------------------------------
# the model-level assessment


@dataclasses.dataclass(frozen=True, repr=False)
class Assessment(Record):
    """The over-time verdict at a model's point (spot-checks only unless ``reading`` says).

    Attributes
    ----------
    reading : str
    secure : bool
    deviation : str
        The deviation of the best attack.
    attack : Attack
    brute_force : Attack
        The independent numeric optimum (must agree with ``attack``).
    required_stake_usd : float
        The stake that deters every deviation at the model's rho.
    minimum_spot_check_rate : float
        At the model's stake (``inf``: none suffices).
    exposure_usd : float
    detection, lag_s, query_rate, effective_slash_usd : float
    one_query_payoff_usd : float
        Today's one-query condition of the best deviation (what it is: a single query against a
        fresh stake, no lag).
    one_query_secure : bool
    bribe : Bribe
    assumptions : dict
        gain_realisation, revert_pending_on_slash, franchise_usd, self_challenge, convention.
    """

    TITLE = "over-time security at the model's point"
    SUMMARY = ("reading", "secure", "deviation", "required_stake_usd", "minimum_spot_check_rate", "exposure_usd", "detection", "lag_s", "one_query_secure")

    reading: str = quantity("", "spot_checks_only or equilibrium")
    secure: bool = quantity("", "the best strategy over time loses at least the margin")
    deviation: str = quantity("", "the deviation of the best attack")
    attack: Attack = quantity("", "the best attack (closed form)")
    brute_force: Attack = quantity("", "the independent numeric optimum (must agree)")
    required_stake_usd: float = quantity("USD", "the stake that deters every deviation at the model's rho", source="ours: payoffs.corruption")
    minimum_spot_check_rate: float = quantity("probability", "at the model's stake (inf: none suffices)")
    exposure_usd: float = quantity("USD", "n L gbar: value at risk between a fraud and its slash")
    detection: float = quantity("probability", "p of a cheated query")
    lag_s: float = quantity("s", "detection lag L")
    query_rate: float = quantity("queries/s", "n, the queries served per second", source="model.replica_query_rate")
    effective_slash_usd: float = quantity("USD", "the slash that lands (capped by the stake)")
    one_query_payoff_usd: float = quantity("USD", "the one-query condition of the best deviation (one query, fresh stake, no lag)")
    one_query_secure: bool = quantity("", "the one-query condition holds (not the criterion)")
    bribe: Bribe = quantity("", "paying the challengers to stay idle")
    assumptions: dict[str, Any] = quantity("", "gain_realisation, revert_pending_on_slash, franchise_usd, self_challenge, convention")


def assess(model, *, reading: str = "spot_checks_only") -> Assessment:
    """The over-time security of ``model`` at its own point: the best attack over the deviations,
    the stake that deters it, the exposure, the bribe, and the one-query condition for contrast.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = assess(load_model())
    >>> a.secure, a.one_query_secure, a.deviation
    (False, True, 'wrong_output')
    """
    per = {d: corruption_inputs(model, d, reading=reading) for d in DEVIATIONS}
    attacks = {d: best_strategy(inp) for d, inp in per.items()}
    dev = max(DEVIATIONS, key=lambda d: (attacks[d].payoff_usd, -DEVIATIONS.index(d)))
    inp = per[dev]
    stake = max(required_stake(i) for i in per.values())
    rho_min = max(minimum_spot_check_rate(i) for i in per.values())
    v = model.values()
    g_one = max(float(v[GAIN_FIELDS[d]]) for d in DEVIATIONS)
    one = float(deviation_payoff(g_one, v["slash_usd"], inp.detection, model.loss_convention))
    m = float(v["incentive_margin_usd"])
    return Assessment(
        reading=reading,
        secure=all(security_margin(i) >= 0 for i in per.values()),
        deviation=dev,
        attack=attacks[dev],
        brute_force=brute_force_best(inp),
        required_stake_usd=stake,
        minimum_spot_check_rate=rho_min,
        exposure_usd=exposure_usd(inp),
        detection=inp.detection,
        lag_s=inp.lag_s,
        query_rate=inp.query_rate,
        effective_slash_usd=inp.effective_slash_usd,
        one_query_payoff_usd=one,
        one_query_secure=one <= -m,
        bribe=bribe(inp),
        assumptions={
            "convention": model.loss_convention,
            "gain_realisation": inp.gain_realisation,
            "revert_pending_on_slash": inp.revert_pending,
            "franchise_usd": inp.franchise_usd,
            "self_challenge": inp.self_challenge,
            "horizon_s": inp.horizon_s,
        },
    )


# ---------------------------------------------------------------------------------------------
# vectorised criterion (for the sweep)


def best_payoff_vec(p, lag_s, window_s, slash_eff_usd, *, classes, mean_gain_usd, query_rate, horizon_s, franchise_usd=0.0, convention="keep", reverts=False):
    """The best strategy's payoff, vectorised over numpy arrays that broadcast (the sweep's kernel).

    Parameters
    ----------
    p, lag_s, window_s, slash_eff_usd : array_like
        Detection, expected lag, window and effective slash at each point.
    classes : sequence of (g_j, phi_j)
        The class sets (mean gain and fraction of the top-j classes), as
        :meth:`CorruptionInputs.classes` gives them; for several deviations, pass them all (the
        maximum is taken) with their own ``mean_gain_usd`` through a list of pairs.
    mean_gain_usd : float or sequence
        :math:`\\bar g` (one per class set, or one for all).
    query_rate, horizon_s, franchise_usd : float
    convention : {"keep", "forfeit"}
    reverts : bool
        Pending results reverted on a slash (with gains at final finality).

    Returns
    -------
    ndarray
        :math:`\\max_j \\max_M \\Pi(M, j)` (``-inf`` where no attack is possible).

    Examples
    --------
    >>> inp = corruption_inputs(__import__("otr_theory.model", fromlist=["x"]).load_model())
    >>> cl = [(g, f) for _, g, f in inp.classes()]
    >>> x = best_payoff_vec(inp.detection, inp.lag_s, inp.window_s, inp.effective_slash_usd, classes=cl,
    ...                     mean_gain_usd=inp.mean_gain_usd, query_rate=inp.query_rate, horizon_s=inp.horizon_s, convention=inp.convention)
    >>> abs(float(x) - best_strategy(inp).payoff_usd) < 1e-6
    True
    """
    check_convention(convention)
    p = np.asarray(p, dtype=float)
    L = np.asarray(lag_s, dtype=float)
    W = np.asarray(window_s, dtype=float)
    S = np.asarray(slash_eff_usd, dtype=float)
    gbars = list(mean_gain_usd) if np.ndim(mean_gain_usd) else [float(mean_gain_usd)] * len(classes)
    cost = S + float(franchise_usd)
    keep = convention == "keep"
    best = None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pos = p > 0
        ps = np.where(pos, p, 1.0)
        log_u = np.log1p(-np.minimum(p, 1.0 - 1e-300)) if True else None
        lag_eff = np.maximum(L - W, 0.0) if reverts else L
        for (g, phi), gbar in zip(classes, gbars):
            m_raw = query_rate * horizon_s * phi
            if np.isinf(m_raw):
                m_max = math.inf
            else:
                m_max = math.floor(m_raw + 1e-9)
                if m_max < 1:
                    continue
            lagg = query_rate * lag_eff * gbar
            if keep:
                bracket = g / ps + lagg - cost
            else:
                bracket = g * (1.0 - p) / ps + lagg * (1.0 - p) - cost
            pm = 1.0 if math.isinf(m_max) else -np.expm1(m_max * log_u)
            pm = np.where(p >= 1.0, 1.0, pm)
            val = np.where(bracket > 0, pm * bracket, p * bracket)
            if reverts:
                c = (W - L) * query_rate * phi
                c = np.maximum(c, 1.0) if not keep else c
                rev = np.broadcast_to(W > L, np.broadcast_shapes(W.shape, L.shape))
                if rev.any():
                    val = np.where(rev & pos, _revert_best_vec(p, log_u, c, g, cost, m_max), val)
            # no detection: every cheated query pays
            val = np.where(pos, val, np.inf if (math.isinf(m_max) and g > 0) else m_max * g)
            best = val if best is None else np.maximum(best, val)
    if best is None:
        return np.full(np.broadcast_shapes(p.shape, L.shape, W.shape, S.shape), -np.inf)
    return best


def _revert_best_vec(p, log_u, c, g, cost, m_max):
    """E(M*) of the revert case with W > L, vectorised (M* from the concavity of E)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ps = np.where(p > 0, p, 1.0)
        t = (1.0 - ps * cost / g) / ps if g > 0 else np.full(np.shape(ps), -np.inf)
        cnt = np.where(t - 1.0 > 1.0, np.maximum(np.ceil(t - 1.0) - 1.0, 0.0), 0.0)
        interior = np.minimum(1.0 + cnt, m_max)
        m = np.where(c < t, m_max, interior)
        m = np.broadcast_to(m, np.broadcast_shapes(np.shape(m), np.shape(c), np.shape(p)))
        finite = np.isfinite(m)
        mf = np.where(finite, m, 1.0)
        a = np.floor(c) + 1.0
        ua = np.exp((a - 1.0) * log_u)
        um = np.where(finite, np.exp(mf * log_u), 0.0)
        tail_m = np.where(finite, um * (mf + 1.0 / ps), 0.0)
        rsum = np.where(a <= m, (ua * (a - 1.0 + 1.0 / ps) - tail_m) - c * (ua - um), 0.0)
        tail = np.where(finite, um * mf, 0.0)
        pm = 1.0 - um
        return g * (rsum + tail) - pm * cost
