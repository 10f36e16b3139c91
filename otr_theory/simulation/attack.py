"""Monte Carlo of one compromised prover over one TEE compromise episode, per strategy (ours).

The analytic side (the over-time security criterion, ``/work/wt/SPEC-over-time.md``, carried by
:mod:`otr_theory.payoffs.corruption`) prices a prover that can forge *every* query it serves while
its TEE is compromised. This module plays that prover, episode after episode, and measures its
profit, so that each closed form has an independent check. Everything is in seconds and USD.

**Inputs** (all from the model; the fields added by issue 12 are read with neutral defaults
until the model carries them):

* query rate the stake covers :math:`n = r \\cdot R` queries/s, with
  :math:`r` = :func:`otr_theory.model.replica_query_rate` (the one throughput definition, TEE
  overhead included) and :math:`R` = ``replicas_per_stake`` (default 1);
* gains: a share :math:`\\phi_v` (``high_value_fraction``, default 0) of queries carries
  :math:`g_v` (``high_value_gain_usd``), the rest :math:`g_0` (``external_gain_usd``); mean
  :math:`\\bar g = (1-\\phi_v) g_0 + \\phi_v g_v`;
* detection per cheated query :math:`p = 1 - (1-\\rho)(1-q)`, :math:`\\rho` the effective
  spot-check rate, :math:`q` the challengers' detection (0 in the ``"spot_checks_only"``
  reading, the equilibrium :math:`q^*` in the ``"equilibrium_challengers"`` reading);
* detection lag: a spot-check slashes :math:`L_s` = ``proof_deadline_s`` after the commitment
  (the proof is missing at its deadline); a challenge slashes
  :math:`L_c = c\\,t_b + \\mathrm{rounds}\\,t_r + t_{settle}` after it; when both catch the same
  query, the sooner;
* the slash: once, :math:`\\min(S, \\text{stake left})`, times :math:`1-a` when the prover
  front-runs its own challenge through a Sybil challenger (``model.self_challenge``); then
  ejection, losing the franchise :math:`F` (``reentry_cost_usd``, default 0);
* the episode: :math:`H` = ``compromise_duration_days`` x 86,400 s, during which every query is
  forgeable; queries arrive as a Poisson process of rate :math:`n`.

**One episode** for a strategy that cheats on an eligible class of queries (rate
:math:`n\\phi_j`, mean gain :math:`g_j`) and stops after :math:`M` cheated queries:

1. eligible arrivals :math:`N_j \\sim \\mathrm{Poisson}(n \\phi_j H)`; cheated :math:`C = \\min(N_j, M)`;
2. the first detected cheated query :math:`K \\sim \\mathrm{Geometric}(p)`; caught iff :math:`K \\le C`;
3. its commitment time :math:`\\tau_K = H\\,\\mathrm{Beta}(K, N_j - K + 1)` (the K-th of
   :math:`N_j` uniform arrivals);
4. the prover learns at once that it is caught (the selection is revealed after the commitment,
   a challenge is public) and cheats on *every* query until the slash lands or the episode
   ends: :math:`\\Lambda \\sim \\mathrm{Poisson}(n \\min(L, H-\\tau_K))` more cheated queries,
   of which :math:`\\mathrm{Bin}(\\Lambda, \\phi_v)` are high-value;
5. gains: ``keep`` counts every cheated query; ``forfeit`` loses the detected query's gain and
   the gain of each lag query that is itself detected (:math:`\\mathrm{Bin}`, probability p);
   with gains realised at ``final`` finality and ``revert_pending_on_slash``, a result whose
   window :math:`W` has not ended when the slash lands (:math:`t_q + W > \\tau_K + L`) is
   reverted: the lag queries in the last :math:`W` before the slash and, when :math:`W > L`,
   the pre-detection queries in :math:`(\\tau_K - (W - L), \\tau_K]`
   (:math:`\\mathrm{Bin}(K-1, (W-L)/\\tau_K)` of the K-1 earlier ones, and the K-th);
6. profit :math:`= \\text{gains} - 1\\{K \\le C\\}(S_{eff} + F)`.

No step loops over queries: an episode of tens of millions of queries costs a dozen draws, and
the episodes are vectorised.

**Closed form** (the spec's, derived again here; :func:`closed_form_profit`): with
:math:`P_M = 1 - (1-p)^M`,

.. math::

    \\Pi_{keep} = P_M \\Big(\\frac{g_j}{p} + n L \\bar g - S_{eff} - F\\Big), \\qquad
    \\Pi_{forfeit} = P_M \\Big(g_j \\frac{1-p}{p} + n L \\bar g (1-p) - S_{eff} - F\\Big),

with :math:`L` the expected lag given detection; with ``final`` gains and revert, :math:`n L` is
replaced by :math:`n \\max(L - W, 0)`, and for :math:`W > L` the pre-detection gains by the exact
sum over K (see :func:`closed_form_profit`). The closed form takes :math:`M_j = n \\phi_j H`
deterministic and ignores the episode's end during the lag; the simulation does not, so the two
agree when :math:`p\\, n \\phi_j H \\gg 1` and :math:`L \\ll H` (the realistic case).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from otr_theory.model import Model, bisection_rounds, replica_query_rate
from otr_theory.simulation.policy import PolicyError
from otr_theory.simulation.stats import Z95, Estimate, wilson_interval

__all__ = [
    "CLASSES",
    "DETECTION_READINGS",
    "AttackInputs",
    "AttackResult",
    "AttackStrategy",
    "attack_inputs",
    "best_attack",
    "closed_form_profit",
    "required_slash_usd",
    "default_strategies",
    "simulate_attack",
    "simulate_attack_event_by_event",
]

CLASSES = ("all", "high_value")
"""Which queries a strategy cheats on before it is caught: every query, or the high-value ones."""

DETECTION_READINGS = ("spot_checks_only", "equilibrium_challengers")
"""q = 0 (challengers idle or bribed: the conservative reading), or the challengers' equilibrium q*."""

SECONDS_PER_DAY = 86_400.0


@dataclasses.dataclass(frozen=True)
class AttackStrategy:
    """A compromised prover's strategy over one episode.

    Attributes
    ----------
    name : str
    cheat_class : {"all", "high_value"}
        Cheat on every query, or only on the high-value ones, until caught.
    fraction : float
        Cheat on this random fraction of the class's queries (1: all of them).
    stop_after : int or None
        Stop after this many cheated queries (None: to the end of the episode).

    Examples
    --------
    >>> AttackStrategy("half", fraction=0.5).fraction
    0.5
    >>> AttackStrategy("bad", stop_after=0)
    Traceback (most recent call last):
    ...
    otr_theory.simulation.policy.PolicyError: stop_after: must be an integer >= 1 or None (got 0)
    """

    name: str
    cheat_class: str = "all"
    fraction: float = 1.0
    stop_after: int | None = None

    def __post_init__(self) -> None:
        if self.cheat_class not in CLASSES:
            raise PolicyError("cheat_class", f"must be one of {', '.join(CLASSES)}", self.cheat_class)
        f = self.fraction
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not math.isfinite(f) or not 0 < f <= 1:
            raise PolicyError("fraction", "must be a number in (0, 1]", f)
        m = self.stop_after
        if m is not None and (isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1):
            raise PolicyError("stop_after", "must be an integer >= 1 or None", m)


def default_strategies(*, stop_after: int = 50, fraction: float = 0.1) -> tuple[AttackStrategy, ...]:
    """The spec's strategies: cheat on everything until caught, only on the high-value class, on a
    fraction of the queries, and stop after ``stop_after`` cheated queries."""
    return (
        AttackStrategy("cheat on every query until caught"),
        AttackStrategy("cheat on the high-value queries only", cheat_class="high_value"),
        AttackStrategy(f"cheat on a fraction {fraction:g} of the queries", fraction=fraction),
        AttackStrategy(f"stop after {stop_after} cheated queries", stop_after=stop_after),
    )


@dataclasses.dataclass(frozen=True)
class AttackInputs:
    """Everything one episode depends on (see the module docstring for the symbols)."""

    query_rate_per_s: float  # n = replica_query_rate x replicas_per_stake
    replica_query_rate_per_s: float
    replicas_per_stake: int
    low_gain_usd: float  # g_0
    high_value_gain_usd: float  # g_v
    high_value_fraction: float  # phi_v
    spot_check_rate: float  # rho (effective)
    challenger_detection: float  # q
    detection_reading: str
    spot_lag_s: float  # L_s
    challenge_lag_s: float  # L_c
    slash_usd: float  # min(S, stake left), before the Sybil refund
    slash_cap_usd: float  # S
    stake_left_usd: float
    self_challenge: bool
    reward_share: float  # a
    reentry_cost_usd: float  # F
    episode_s: float  # H
    window_s: float  # W
    convention: str
    gain_realisation: str
    revert_pending_on_slash: bool

    @property
    def detection_probability(self) -> float:
        """p = 1 - (1 - rho)(1 - q) = rho + q (1 - rho) (exactly rho when q = 0)."""
        return self.spot_check_rate + self.challenger_detection * (1.0 - self.spot_check_rate)

    @property
    def mean_gain_usd(self) -> float:
        """g-bar = (1 - phi_v) g_0 + phi_v g_v."""
        return (1.0 - self.high_value_fraction) * self.low_gain_usd + self.high_value_fraction * self.high_value_gain_usd

    @property
    def effective_slash_usd(self) -> float:
        """S_eff: the capped slash, less the reward share a self-challenging prover recovers."""
        return self.slash_usd * (1.0 - self.reward_share) if self.self_challenge else self.slash_usd

    @property
    def expected_lag_s(self) -> float:
        """L: the expected lag given detection, [rho(1-q) L_s + (1-rho) q L_c + rho q min(L_s, L_c)] / p."""
        rho, q, p = self.spot_check_rate, self.challenger_detection, self.detection_probability
        if p == 0:
            return 0.0
        return (rho * (1 - q) * self.spot_lag_s + (1 - rho) * q * self.challenge_lag_s + rho * q * min(self.spot_lag_s, self.challenge_lag_s)) / p


def _get(values, name: str, default):
    return values.get(name, default) if hasattr(values, "get") else default


def attack_inputs(model: Model, *, detection: str = "spot_checks_only", stake_left_usd: float | None = None) -> AttackInputs:
    """The inputs of an episode from ``model``.

    Parameters
    ----------
    model : Model
    detection : {"spot_checks_only", "equilibrium_challengers"}
        q = 0, or the challengers' detection q* at the network equilibrium
        (:func:`otr_theory.simulation.equilibrium_target`).
    stake_left_usd : float, optional
        What is left of the stake when the episode starts (default ``stake_usd``): the slash is
        :math:`\\min(S, \\text{stake left})`.

    Raises
    ------
    PolicyError
        A bad ``detection`` or ``stake_left_usd``.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = attack_inputs(load_model())
    >>> round(a.query_rate_per_s, 3), a.detection_probability, round(a.expected_lag_s, 6)
    (5.753, 0.01, 43200.0)
    """
    if detection not in DETECTION_READINGS:
        raise PolicyError("detection", f"must be one of {', '.join(DETECTION_READINGS)}", detection)
    from otr_theory.payoffs import effective_spot_check_rate

    v = model.values()
    stake = float(v["stake_usd"])
    if stake_left_usd is None:
        stake_left = stake
    else:
        x = stake_left_usd
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or x < 0:
            raise PolicyError("stake_left_usd", "must be a finite number >= 0", x)
        stake_left = float(x)
    if detection == "equilibrium_challengers":
        from otr_theory.simulation.policy import equilibrium_target

        q = float(equilibrium_target(model).challenger_detection)
    else:
        q = 0.0
    replicas = int(_get(v, "replicas_per_stake", 1))
    r = float(replica_query_rate(v))
    rounds = bisection_rounds(int(v["trace_steps"]), int(v["bisection_arity"]))
    slash_cap = float(v["slash_usd"])
    return AttackInputs(
        query_rate_per_s=r * replicas,
        replica_query_rate_per_s=r,
        replicas_per_stake=replicas,
        low_gain_usd=float(v["external_gain_usd"]),
        high_value_gain_usd=float(_get(v, "high_value_gain_usd", 0.0)),
        high_value_fraction=float(_get(v, "high_value_fraction", 0.0)),
        spot_check_rate=float(effective_spot_check_rate(model)),
        challenger_detection=q,
        detection_reading=detection,
        spot_lag_s=float(v["proof_deadline_s"]),
        challenge_lag_s=float(v["censorship_blocks"]) * float(v["block_time_s"]) + rounds * float(v["round_timeout_s"]) + float(v["settlement_s"]),
        slash_usd=min(slash_cap, stake_left),
        slash_cap_usd=slash_cap,
        stake_left_usd=stake_left,
        self_challenge=bool(getattr(model, "self_challenge", False)),
        reward_share=float(v["challenger_reward_share"]),
        reentry_cost_usd=float(_get(v, "reentry_cost_usd", 0.0)),
        episode_s=float(v["compromise_duration_days"]) * SECONDS_PER_DAY,
        window_s=float(v["window_s"]),
        convention=model.loss_convention,
        gain_realisation=str(getattr(model, "gain_realisation", "provisional")),
        revert_pending_on_slash=bool(getattr(model.protocol, "revert_pending_on_slash", False)),
    )


def _class(a: AttackInputs, s: AttackStrategy) -> tuple[float, float]:
    """(phi_j, g_j): the share of queries the strategy cheats on before detection, their mean gain."""
    if s.cheat_class == "high_value":
        return a.high_value_fraction * s.fraction, a.high_value_gain_usd
    return s.fraction, a.mean_gain_usd


def _reverts(a: AttackInputs) -> bool:
    return a.gain_realisation == "final" and a.revert_pending_on_slash


def closed_form_profit(a: AttackInputs, strategy: AttackStrategy) -> float:
    """The spec's expected profit of ``strategy`` over one episode (ours; see the module docstring).

    :math:`M = \\min(\\text{stop\\_after}, n \\phi_j H)` cheated queries at most (real-valued),
    :math:`P_M = 1-(1-p)^M`. With ``final`` gains and revert and :math:`W > L` (per detection
    kind), the pre-detection gains are :math:`g_j E[\\text{counted}]` with
    :math:`E[\\text{counted}] = \\sum_{k \\le M} p(1-p)^{k-1} (k - c)^+ + (1-p)^M M`,
    :math:`c = (W - L) n \\phi_j`, in closed form.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = attack_inputs(load_model().with_values(high_value_fraction=0.0))
    >>> s = default_strategies()[0]
    >>> round(closed_form_profit(a, s) / 1e6, 2)  # forfeit: 99 x 100 + n L 100 x 0.99 - (1-a) S
    24.56
    """
    p = a.detection_probability
    phi, g_j = _class(a, strategy)
    m = a.query_rate_per_s * phi * a.episode_s
    if strategy.stop_after is not None:
        m = min(m, float(strategy.stop_after))
    if m <= 0:
        return 0.0
    if p <= 0:
        return m * g_j  # never caught: every cheated query pays
    keep = a.convention == "keep"
    n, gbar = a.query_rate_per_s, a.mean_gain_usd
    p_m = 1.0 if p >= 1.0 else -math.expm1(m * math.log1p(-p))  # P_M = 1 - (1-p)^M; every query caught at p = 1
    cost = a.effective_slash_usd + a.reentry_cost_usd
    rho, q = a.spot_check_rate, a.challenger_detection
    kinds = [(rho * (1 - q) / p, a.spot_lag_s), ((1 - rho) * q / p, a.challenge_lag_s), (rho * q / p, min(a.spot_lag_s, a.challenge_lag_s))]
    total = 0.0
    for w, lag in kinds:
        if w == 0:
            continue
        lag_kept = (1.0 if keep else 1.0 - p) * gbar * n
        if _reverts(a):
            lag_gain = lag_kept * max(lag - a.window_s, 0.0)
        else:
            lag_gain = lag_kept * lag
        if _reverts(a) and a.window_s > lag:
            c = (a.window_s - lag) * n * phi
            counted = _expected_counted(p, m, c, keep)
            pre = g_j * counted
            total += w * (pre + p_m * (lag_gain - cost))
        else:
            pre_per = g_j / p if keep else g_j * (1 - p) / p
            total += w * p_m * (pre_per + lag_gain - cost)
    return total


def _expected_counted(p: float, m: float, c: float, keep: bool) -> float:
    """E[counted pre-detection gains] / g_j with revert and W > L (ours).

    Detected at K <= M: the K-th and about c before it are reverted; with Poisson arrivals the
    earlier ones in the last W - L are min(K-1, Poisson(c)), so the counted ones are
    E[(K - 1 - Poisson(c))^+] (the spec writes (K - c)^+, one query more). Not detected: M.
    Computed by summing over the Poisson count j (truncated where its tail is below 1e-15)
    with the geometric sums in closed form:
    :math:`\\sum_{k=j+2}^{M} p(1-p)^{k-1}(k-1-j) = (1-p)^{j+1} A(M-j-1)`,
    :math:`A(N) = [1 - (1-p)^N (1 + N p)]/p`.
    """
    mm = math.floor(m)
    s = 1.0 - p

    def big_a(nn: float) -> float:
        if nn <= 0:
            return 0.0
        return (1.0 - s**nn * (1.0 + nn * p)) / p

    hi = int(c + 12 * math.sqrt(c + 1) + 20)
    total = 0.0
    log_pmf = -c
    for j in range(hi + 1):
        if j > 0:
            log_pmf += math.log(c) - math.log(j)
        w = math.exp(log_pmf) if c > 0 else (1.0 if j == 0 else 0.0)
        if w == 0.0:
            continue
        total += w * s ** (j + 1) * big_a(mm - j - 1)
    return total + s**mm * mm


def best_attack(a: AttackInputs, strategies: tuple[AttackStrategy, ...] | None = None) -> tuple[float, AttackStrategy | None]:
    """(closed-form profit, strategy) of the most profitable strategy that cheats at all
    (a strategy with no eligible query, e.g. high-value only with no high-value class, is honesty).

    >>> from otr_theory.model import load_model
    >>> profit, s = best_attack(attack_inputs(load_model()))
    >>> round(profit / 1e6, 2), s.name
    (27.98, 'cheat on the high-value queries only')
    """
    strategies = default_strategies() if strategies is None else strategies
    best: tuple[float, AttackStrategy | None] = (-math.inf, None)
    for s in strategies:
        if a.query_rate_per_s * _class(a, s)[0] * a.episode_s <= 0:
            continue
        v = closed_form_profit(a, s)
        if v > best[0]:
            best = (v, s)
    return best


def required_slash_usd(a: AttackInputs, *, margin_usd: float = 0.0, strategies: tuple[AttackStrategy, ...] | None = None) -> float:
    """The slash that deters every strategy over one episode by ``margin_usd`` (ours, the spec's S*).

    Each profit is :math:`P_M (X_j - S_{eff} - F)` (:math:`X_j` its gains given detection), so
    the point is secure iff :math:`p (X_{top} - S_{eff} - F) \\le -m` and every
    :math:`X_j \\le S_{eff} + F`: :math:`S_{eff}^* = \\max_j X_j - F + m/p`, and
    :math:`S^* = S_{eff}^*/(1-a)` under self-challenge. Infinite when p = 0. Not defined for
    gains at final finality with revert and W > L (the gains are not linear there): nan.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> round(required_slash_usd(attack_inputs(load_model())) / 1e6, 2)  # (99 x 10^4 + n L gbar x 0.99) / (1 - a)
    56.06
    """
    p = a.detection_probability
    if p <= 0:
        return math.inf
    strategies = default_strategies() if strategies is None else strategies
    x = []
    for s in strategies:
        if s.stop_after is not None:
            continue  # the stop rule scales the profit by P_M only: the same X_j
        phi, _ = _class(a, s)
        if a.query_rate_per_s * phi * a.episode_s <= 0:
            continue
        if _reverts(a) and a.window_s > min(a.spot_lag_s, a.challenge_lag_s):
            return math.nan
        probe = dataclasses.replace(a, slash_usd=0.0, reentry_cost_usd=0.0)
        one = dataclasses.replace(s, stop_after=1)
        x.append(closed_form_profit(probe, one) / p)  # P_1 = p: X_j
    if not x:
        return 0.0
    s_eff = max(max(x) - a.reentry_cost_usd + margin_usd / p, 0.0)
    if not a.self_challenge:
        return s_eff
    if a.reward_share >= 1.0:  # the Sybil recovers the whole slash: no stake deters a positive need
        return math.inf if s_eff > 0 else 0.0
    return s_eff / (1.0 - a.reward_share)


@dataclasses.dataclass(frozen=True)
class AttackResult:
    """The simulated episodes of one strategy.

    Attributes
    ----------
    strategy : AttackStrategy
    inputs : AttackInputs
    episodes, seed : int
    profit_usd : Estimate
        Mean profit per episode relative to honesty, 95% normal interval.
    closed_form_usd : float
        :func:`closed_form_profit` at the same inputs.
    caught : Estimate
        Share of episodes in which the prover is caught (slashed), Wilson interval.
    cheated_queries_mean, lag_queries_mean : float
        Mean cheated queries before detection (or in all, if never caught), and during the lag.
    gains_usd_mean, slashed_usd_mean : float
    slashed_usd_max : float
        The largest slash of any episode: never above the stake left.
    slashes_per_caught_episode : int
        1: the stake is slashed once, and the prover is ejected.
    """

    strategy: AttackStrategy
    inputs: AttackInputs
    episodes: int
    seed: int
    profit_usd: Estimate
    closed_form_usd: float
    caught: Estimate
    cheated_queries_mean: float
    lag_queries_mean: float
    gains_usd_mean: float
    slashed_usd_mean: float
    slashed_usd_max: float
    slashes_per_caught_episode: int

    @property
    def agrees(self) -> bool:
        """Whether the closed form lies in the simulated profit's 95% interval."""
        return self.profit_usd.low <= self.closed_form_usd <= self.profit_usd.high


def _gains(rng: np.random.Generator, count: np.ndarray, a: AttackInputs, cls: str) -> np.ndarray:
    """Total gain of ``count`` cheated queries of a class (two-class draw for "all")."""
    count = np.asarray(count, dtype=np.int64)
    if cls == "high_value":
        return count * a.high_value_gain_usd
    if a.high_value_fraction > 0:
        hi = rng.binomial(count, a.high_value_fraction)
    else:
        hi = np.zeros_like(count)
    return hi * a.high_value_gain_usd + (count - hi) * a.low_gain_usd


def simulate_attack(a: AttackInputs, strategy: AttackStrategy, *, episodes: int = 20_000, seed: int = 0) -> AttackResult:
    """Simulate ``episodes`` compromise episodes of a prover playing ``strategy``.

    Same inputs and seed, same result (one PCG64 stream from ``SeedSequence(seed)``).

    Raises
    ------
    PolicyError
        ``episodes`` below 2 or ``seed`` negative.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = attack_inputs(load_model())
    >>> r = simulate_attack(a, default_strategies()[0], episodes=5_000, seed=1)
    >>> r.slashed_usd_max <= a.stake_left_usd, r.agrees
    (True, True)
    """
    if isinstance(episodes, bool) or not isinstance(episodes, (int, np.integer)) or episodes < 2:
        raise PolicyError("episodes", "must be an integer >= 2", episodes)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise PolicyError("seed", "must be an integer >= 0", seed)
    if not isinstance(strategy, AttackStrategy):
        raise PolicyError("strategy", "must be an AttackStrategy", type(strategy).__name__)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed))))
    e = int(episodes)
    n, H, p = a.query_rate_per_s, a.episode_s, a.detection_probability
    phi, _ = _class(a, strategy)
    keep = a.convention == "keep"

    eligible = rng.poisson(n * phi * H, e)
    cheated = eligible if strategy.stop_after is None else np.minimum(eligible, strategy.stop_after)
    if p > 0:
        k = rng.geometric(p, e)
    else:
        k = np.full(e, np.iinfo(np.int64).max)
    caught = k <= cheated
    idx = np.flatnonzero(caught)
    kc = k[idx]
    nc = eligible[idx]

    # never caught: every cheated query's gain counts
    gains = np.zeros(e)
    free = ~caught
    gains[free] = _gains(rng, cheated[free], a, strategy.cheat_class)

    # caught: when, by whom, and what the lag brings
    tau = H * rng.beta(kc, nc - kc + 1) if idx.size else np.zeros(0)
    rho, q = a.spot_check_rate, a.challenger_detection
    v = rng.random(idx.size)
    w_spot, w_ch = rho * (1 - q) / p if p else 0.0, (1 - rho) * q / p if p else 0.0
    lag = np.where(v < w_spot, a.spot_lag_s, np.where(v < w_spot + w_ch, a.challenge_lag_s, min(a.spot_lag_s, a.challenge_lag_s)))
    cheat_span = np.minimum(lag, H - tau)
    lag_q = rng.poisson(n * cheat_span)
    pre_count = kc if keep else kc - 1  # forfeit: the detected query's gain is lost
    lag_kept = lag_q if keep else rng.binomial(lag_q, 1.0 - p)
    if _reverts(a):
        # results not final when the slash lands (t_q + W > tau + lag) are reverted
        lag_frac = np.clip((lag - a.window_s) / np.maximum(cheat_span, 1e-300), 0.0, 1.0)
        lag_kept = rng.binomial(lag_kept, np.where(cheat_span > 0, lag_frac, 0.0))
        back = a.window_s - lag  # > 0: pre-detection queries in (tau - back, tau] are reverted too
        earlier = kc - 1
        frac = np.clip(np.divide(back, tau, out=np.ones_like(tau), where=tau > 0), 0.0, 1.0)
        reverted_earlier = np.where(back > 0, rng.binomial(earlier, np.where(back > 0, frac, 0.0)), 0)
        pre_count = np.where(back > 0, earlier - reverted_earlier, pre_count)
    gains[idx] = _gains(rng, pre_count, a, strategy.cheat_class) + _gains(rng, lag_kept, a, "all")
    slash = min(a.slash_cap_usd, a.stake_left_usd)  # once, capped by the stake left
    cost = np.where(caught, a.effective_slash_usd + a.reentry_cost_usd, 0.0)
    profit = gains - cost

    mean = float(profit.mean())
    sd = float(profit.std(ddof=1))
    half = Z95 * sd / math.sqrt(e)
    est = Estimate(mean, mean, mean, "exact", None, e) if sd == 0 else Estimate(mean, mean - half, mean + half, "normal", None, e)
    slashed = np.where(caught, slash, 0.0)
    return AttackResult(
        strategy=strategy,
        inputs=a,
        episodes=e,
        seed=int(seed),
        profit_usd=est,
        closed_form_usd=closed_form_profit(a, strategy),
        caught=wilson_interval(int(caught.sum()), e),
        cheated_queries_mean=float(np.where(caught, k, cheated).mean()),
        lag_queries_mean=float(lag_q.sum() / e),
        gains_usd_mean=float(gains.mean()),
        slashed_usd_mean=float(slashed.mean()),
        slashed_usd_max=float(slashed.max()),
        slashes_per_caught_episode=1,
    )


def simulate_attack_event_by_event(a: AttackInputs, strategy: AttackStrategy, *, episodes: int = 200, seed: int = 0) -> Estimate:
    """The reference: the same episodes, one query at a time in Python (slow; small episodes only).

    Queries arrive with exponential gaps of mean 1/n over [0, H]; each is high-value with
    probability phi_v; the prover cheats on it if it is eligible (its class, then the strategy's
    fraction) and it has cheated fewer than ``stop_after``; a cheated query is detected with
    probability p (spot-check with probability rho, else a challenge with probability q); from
    the first detection on it cheats on every query until the slash lands (L_s or L_c after the
    detected query, the sooner if both) or the episode ends. Gains count as the module docstring
    says (``forfeit``: a detected query's gain is lost; ``final`` + revert: a query's gain counts
    only if t_q + W <= the slash time). Returns the mean profit per episode with its 95% interval.
    """
    if isinstance(episodes, bool) or not isinstance(episodes, (int, np.integer)) or episodes < 2:
        raise PolicyError("episodes", "must be an integer >= 2", episodes)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 1])))
    n, H = a.query_rate_per_s, a.episode_s
    rho, q = a.spot_check_rate, a.challenger_detection
    keep = a.convention == "keep"
    revert = _reverts(a)
    stop = math.inf if strategy.stop_after is None else strategy.stop_after
    cost = a.effective_slash_usd + a.reentry_cost_usd
    profits = []
    for _ in range(int(episodes)):
        t, cheated, slash_at = 0.0, 0, math.inf
        realised: list[tuple[float, float]] = []  # (commit time, gain) of the gains kept so far
        while True:
            t += rng.exponential(1.0 / n)
            if t >= H or t >= slash_at:
                break
            high = rng.random() < a.high_value_fraction
            gain = a.high_value_gain_usd if high else a.low_gain_usd
            caught_already = slash_at < math.inf
            if not caught_already and cheated >= stop:
                break  # stopped, never caught: nothing more happens
            if not caught_already:
                eligible = (high or strategy.cheat_class == "all") and rng.random() < strategy.fraction and cheated < stop
                if not eligible:
                    continue
                cheated += 1
            spot, challenged = rng.random() < rho, rng.random() < q
            detected = spot or challenged
            if detected and not caught_already:
                lag = min(a.spot_lag_s if spot else math.inf, a.challenge_lag_s if challenged else math.inf)
                slash_at = t + lag
            if detected and not keep:
                continue  # forfeit: a detected query's gain is lost
            realised.append((t, gain))
        if revert and slash_at < math.inf:
            total = sum(g for tq, g in realised if tq + a.window_s <= slash_at)
        else:
            total = sum(g for _, g in realised)
        profits.append(total - (cost if slash_at < math.inf else 0.0))
    x = np.asarray(profits)
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    half = Z95 * sd / math.sqrt(x.size)
    return Estimate(mean, mean - half, mean + half, "normal", None, int(x.size)) if sd > 0 else Estimate(mean, mean, mean, "exact", None, int(x.size))


def attack_table(model: Model, *, episodes: int = 20_000, seed: int = 0, detection: str = "spot_checks_only", strategies: tuple[AttackStrategy, ...] | None = None) -> tuple[AttackResult, ...]:
    """Every strategy of :func:`default_strategies` simulated on ``model`` (one seed each: ``seed + i``)."""
    a = attack_inputs(model, detection=detection)
    strategies = default_strategies() if strategies is None else strategies
    return tuple(simulate_attack(a, s, episodes=episodes, seed=seed + i) for i, s in enumerate(strategies))


def as_record(r: AttackResult) -> dict[str, Any]:
    """A JSON-able summary of one :class:`AttackResult`."""
    return {
        "strategy": dataclasses.asdict(r.strategy),
        "episodes": r.episodes,
        "seed": r.seed,
        "profit_usd": dataclasses.asdict(r.profit_usd),
        "closed_form_usd": r.closed_form_usd,
        "agrees": r.agrees,
        "caught": dataclasses.asdict(r.caught),
        "cheated_queries_mean": r.cheated_queries_mean,
        "lag_queries_mean": r.lag_queries_mean,
        "gains_usd_mean": r.gains_usd_mean,
        "slashed_usd_mean": r.slashed_usd_mean,
        "slashed_usd_max": r.slashed_usd_max,
    }
