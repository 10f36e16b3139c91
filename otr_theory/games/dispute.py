"""The bisection dispute game: rounds, duration, subgame-perfect play, costs, Sybil attacks.

The game (ours, after the interactive dissection games of Arbitrum and opML). A prover P has
asserted the result of a trace of N steps; a challenger C disputes it, paying the gas to open
(``challenge_open_gas``) and posting a bond :math:`b_0` (``challenger_bond_usd``). Exactly one
of them -- the **liar** -- holds a claim that is wrong at some step.

* **Rounds.** In round r = 1, 2, ... the mover (P in odd rounds, C in even ones) picks a
  segment of the opponent's last dissection (round 1: the whole trace) and dissects it into k
  parts (``bisection_arity``), posting k - 1 intermediate state hashes. After
  :math:`R = \\lceil \\log_k N \\rceil` rounds the disputed segment is one step, and the next
  mover selects it and calls the on-chain one-step check (or a ZK proof of the step), which
  decides for the party whose claim is right.
* **Costs.** A dissection costs :math:`g_m = g_{\\mathrm{step}} + (k-2)\\,g_h` gas
  (``dispute_step_gas`` for a binary move plus the calldata of each extra hash,
  :math:`g_h` = 32 bytes x 16 gas = 512, EIP-2028); the final check costs
  :math:`g_{\\mathrm{step}}`; gas is priced at ``gas_price_gwei`` x 1e-9 x ``eth_price_usd``.
  With every move the mover posts a level bond :math:`b_\\ell` (BoLD-style; 0 by default),
  returned to the winner with the loser's.
* **Timeouts.** Each mover has ``round_timeout_s`` = T to move; one who does not loses (a
  *concession*). The worst-case time to resolution is
  :math:`D = R\\,T + T_{\\mathrm{settle}} + c\\,t_{\\mathrm{block}}` (``settlement_s``, and up to
  ``censorship_blocks`` x ``block_time_s`` of censored honest transactions); the window must
  cover it: :math:`D \\le W` (DESIGN property 3).
* **Payoffs** (relative to no dispute). If C wins, P is slashed S (``slash_usd``) and C gets
  :math:`aS` (``challenger_reward_share``) and its bond back; if P wins, C's bond goes to P. A
  lying prover whose claim survives gains G (``external_gain_usd``); a liar may value delay at
  v USD per second (``delay_value_usd_per_s``: a griefer's motive; 0 by default). Gas is
  paid by whoever moves.

**Subgame-perfect equilibrium.** The right party wins the one-step check, so the game is a
finite chain: at each round the mover continues or concedes. Backward induction on the
**compact** chain of R + 2 decision nodes (open, the R rounds, the final check) gives the SPE in
O(R) -- N may be 2^40 -- with ties resolved towards continuing for the honest party and towards
conceding for the liar. The **materialised** tree (k segment choices per move, where an honest
mover that picks a segment it agrees with becomes the wrong party) is built only for small N, by
:func:`dispute_tree`, to check the compact solution by :func:`otr_theory.games.tree.backward_induction`
and to export to Gambit (:func:`otr_theory.games.nfg.dumps_efg`).

**Loss-to-gas ratio**: what the attacker loses by carrying a dispute to the end (its gas, and
the bonds or stake it forfeits) over the honest party's gas (its bonds come back). This is *not*
BoLD's resource ratio (marginal cost, gas plus staking capital, honest staking included), which
:func:`otr_theory.games.dispute_economics.resource_ratio` computes for every design. **Sybils**: s identities of the attacker each run
one dispute. Run one after another (*sequential*, as in single-challenge protocols) they delay
resolution by s D and an honest challenger facing s Sybil *provers* loses once s D > W; run
concurrently (*parallel*, all-vs-all as in BoLD) the delay stays D. Costs add up either way.

References
----------
Kalodner, H., Goldfeder, S., Chen, X., Weinberg, S. M., Felten, E. W. (2018). Arbitrum:
Scalable, private smart contracts. USENIX Security.
Alvarez, M. M., Berger, H., Bousfield, M., Felten, E. et al. (2024). BoLD: Fast and Cheap
Dispute Resolution. arXiv 2404.10491.
Conway, K. D., So, C., Yu, X., Wong, K. (2024). opML: Optimistic Machine Learning on
Blockchain. arXiv 2401.17555.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from otr_theory.games.normal_form import GameError
from otr_theory.games.tree import Decision, Node, Terminal
from otr_theory.model import bisection_rounds

__all__ = [
    "CALLDATA_GAS_PER_HASH",
    "DisputeAnalysis",
    "DisputeParams",
    "Outcome",
    "SPE",
    "SybilRow",
    "analyse_dispute",
    "breakeven_delay_value",
    "dispute_rounds",
    "dispute_tree",
    "full_play",
    "subgame_perfect",
    "sybil_attack",
]

CALLDATA_GAS_PER_HASH = 512
"""Calldata gas of one 32-byte hash: 32 x 16 gas per non-zero byte (EIP-2028)."""

LIARS = ("prover", "challenger")
P, C = 0, 1


def dispute_rounds(trace_steps: int, arity: int) -> int:
    """:math:`\\lceil \\log_k N \\rceil` computed exactly in integers (0 for a one-step trace).

    >>> dispute_rounds(2**40, 2), dispute_rounds(2**40 + 1, 2), dispute_rounds(1000, 10), dispute_rounds(1, 2)
    (40, 41, 3, 0)
    """
    if isinstance(trace_steps, bool) or not isinstance(trace_steps, int) or trace_steps < 1:
        raise GameError("trace_steps", "must be an integer >= 1", trace_steps)
    if isinstance(arity, bool) or not isinstance(arity, int) or arity < 2:
        raise GameError("bisection_arity", "must be an integer >= 2", arity)
    return bisection_rounds(trace_steps, arity)


@dataclasses.dataclass(frozen=True)
class DisputeParams:
    """Parameters of one dispute (field names follow the model file).

    Use :meth:`from_model` to read them from a :class:`otr_theory.model.Model`.
    """

    trace_steps: int
    bisection_arity: int
    round_timeout_s: float
    settlement_s: float
    dispute_step_gas: float
    gas_price_gwei: float
    eth_price_usd: float
    challenger_bond_usd: float
    censorship_blocks: int
    block_time_s: float
    window_s: float
    challenge_open_gas: float = 0.0
    slash_usd: float = 0.0
    challenger_reward_share: float = 0.0
    external_gain_usd: float = 0.0
    level_bond_usd: float = 0.0
    delay_value_usd_per_s: float = 0.0
    calldata_gas_per_hash: float = CALLDATA_GAS_PER_HASH

    def __post_init__(self) -> None:
        dispute_rounds(self.trace_steps, self.bisection_arity)  # validates both
        for name in (
            "settlement_s",
            "dispute_step_gas",
            "gas_price_gwei",
            "eth_price_usd",
            "challenger_bond_usd",
            "window_s",
            "challenge_open_gas",
            "slash_usd",
            "external_gain_usd",
            "level_bond_usd",
            "delay_value_usd_per_s",
            "calldata_gas_per_hash",
        ):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
                raise GameError(name, "must be a finite number >= 0", v)
        for name in ("round_timeout_s", "block_time_s"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v <= 0:
                raise GameError(name, "must be a finite number > 0", v)
        if isinstance(self.censorship_blocks, bool) or not isinstance(self.censorship_blocks, int) or self.censorship_blocks < 0:
            raise GameError("censorship_blocks", "must be an integer >= 0", self.censorship_blocks)
        if not 0 <= self.challenger_reward_share <= 1:
            raise GameError("challenger_reward_share", "must be in [0, 1]", self.challenger_reward_share)

    @classmethod
    def from_model(cls, model: Any, **overrides: Any) -> DisputeParams:
        """The dispute parameters of a model, with optional overrides (e.g. ``level_bond_usd``).

        >>> from otr_theory.model import load_model
        >>> DisputeParams.from_model(load_model()).rounds
        40
        """
        names = [f.name for f in dataclasses.fields(cls)]
        kw = {n: model.value(n) for n in names if n in model.quantities}
        kw.update(overrides)
        return cls(**kw)

    # derived quantities ---------------------------------------------------------------------

    @property
    def rounds(self) -> int:
        """R = ceil(log_k N)."""
        return dispute_rounds(self.trace_steps, self.bisection_arity)

    def gas_usd(self, gas: float) -> float:
        """USD cost of ``gas``."""
        return gas * self.gas_price_gwei * 1e-9 * self.eth_price_usd

    @property
    def move_gas(self) -> float:
        """Gas of one dissection move: the binary move plus (k - 2) extra hashes."""
        return self.dispute_step_gas + (self.bisection_arity - 2) * self.calldata_gas_per_hash

    @property
    def move_usd(self) -> float:
        return self.gas_usd(self.move_gas)

    @property
    def step_usd(self) -> float:
        """USD cost of the final one-step check."""
        return self.gas_usd(self.dispute_step_gas)

    @property
    def open_usd(self) -> float:
        return self.gas_usd(self.challenge_open_gas)

    @property
    def censorship_s(self) -> float:
        return self.censorship_blocks * self.block_time_s

    @property
    def worst_case_duration_s(self) -> float:
        """:math:`D = R\\,T + T_{\\mathrm{settle}} + c\\,t_{\\mathrm{block}}`."""
        return self.rounds * self.round_timeout_s + self.settlement_s + self.censorship_s

    def mover(self, r: int) -> int:
        """Who moves in round r (1-based; round R + 1 is the final check): P odd, C even."""
        return P if r % 2 == 1 else C


# ---------------------------------------------------------------------------------------------
# accounting


@dataclasses.dataclass(frozen=True)
class Outcome:
    """How a dispute ended and what each side got.

    Attributes
    ----------
    opened : bool
        Whether the challenger opened the dispute.
    winner : str or None
        ``prover`` or ``challenger`` (None if not opened).
    resolved_round : int
        The round in which it ended (R + 1: the one-step check; 0: not opened).
    conceded : bool
        Whether it ended by a concession (a timeout) rather than the one-step check.
    duration_s : float
        Time from opening to resolution (worst case: every move takes the full timeout).
    gas_usd : tuple of float
        Gas spent by (prover, challenger).
    payoffs : tuple of float
        (prover, challenger), relative to no dispute.
    """

    opened: bool
    winner: str | None
    resolved_round: int
    conceded: bool
    duration_s: float
    gas_usd: tuple[float, float]
    payoffs: tuple[float, float]


def _moves_before(params: DisputeParams, r: int) -> tuple[int, int]:
    """Dissection moves made by (P, C) in rounds 1..r-1."""
    done = r - 1
    return (done + 1) // 2, done // 2


def _outcome(params: DisputeParams, liar: int, *, opened: bool, winner: int | None, r: int, conceded: bool) -> Outcome:
    """Payoffs when the dispute ends in round r (a concession by the mover of r, or the final check)."""
    if not opened:
        fraud = params.external_gain_usd if liar == P else 0.0
        return Outcome(False, None, 0, False, 0.0, (0.0, 0.0), (fraud, 0.0))
    R = params.rounds
    mp, mc = _moves_before(params, min(r, R + 1))
    gas = [mp * params.move_usd, mc * params.move_usd + params.open_usd]
    bonds = [mp * params.level_bond_usd, mc * params.level_bond_usd]
    if r == R + 1 and not conceded:  # the final mover selects the step and pays the check
        gas[params.mover(R + 1)] += params.step_usd
    # worst case: every move takes the full timeout; a concession in round r <= R lets it expire;
    # the final check (or a concession there) takes the settlement time
    duration = min(r, R) * params.round_timeout_s + params.settlement_s + params.censorship_s
    S, a, b0 = params.slash_usd, params.challenger_reward_share, params.challenger_bond_usd
    u = [-gas[P], -gas[C]]
    if winner == C:
        u[P] += -S - bonds[P]
        u[C] += a * S + bonds[P]
    else:
        u[C] += -b0 - bonds[C]
        u[P] += b0 + bonds[C]
        if liar == P:
            u[P] += params.external_gain_usd
    u[liar] += params.delay_value_usd_per_s * duration
    return Outcome(True, LIARS[winner], r, conceded, duration, (gas[P], gas[C]), (u[P], u[C]))


# ---------------------------------------------------------------------------------------------
# backward induction on the compact chain


@dataclasses.dataclass(frozen=True)
class SPE:
    """The subgame-perfect equilibrium of one dispute.

    Attributes
    ----------
    liar : str
        ``prover`` (a fraud) or ``challenger`` (a frivolous or griefing challenge).
    outcome : Outcome
        Where equilibrium play ends.
    plan : tuple of str
        The equilibrium action at every node of the compact chain, ``open`` first, then rounds
        1..R and the final check (``continue`` / ``concede``), whether reached or not.
    values : tuple of tuple of float
        The (prover, challenger) continuation value at each node of the chain.
    method : str
    """

    liar: str
    outcome: Outcome
    plan: tuple[str, ...]
    values: tuple[tuple[float, float], ...]
    method: str = "backward induction on the compact chain (R + 2 nodes)"


def _prefer(mover: int, liar: int, go: float, stop: float) -> bool:
    """Continue? Ties: the honest party continues, the liar concedes."""
    return go > stop or (go == stop and mover != liar)


def subgame_perfect(params: DisputeParams, liar: str = "prover") -> SPE:
    """Backward induction on the compact chain: open?, rounds 1..R, the final check.

    Examples
    --------
    A lying prover facing an honest challenger concedes at once; a griefing challenger who does
    not value delay never opens:

    >>> from otr_theory.model import load_model
    >>> p = DisputeParams.from_model(load_model())
    >>> s = subgame_perfect(p, "prover")
    >>> s.outcome.winner, s.outcome.resolved_round, s.outcome.conceded
    ('challenger', 1, True)
    >>> subgame_perfect(p, "challenger").outcome.opened
    False
    """
    if liar not in LIARS:
        raise GameError("liar", "must be 'prover' or 'challenger'", liar)
    lz = LIARS.index(liar)
    R = params.rounds
    honest = 1 - lz
    # the final check (node R + 1): its mover either calls it (the honest party wins) or concedes
    final_mover = params.mover(R + 1)
    call = _outcome(params, lz, opened=True, winner=honest, r=R + 1, conceded=False)
    concede = _outcome(params, lz, opened=True, winner=1 - final_mover, r=R + 1, conceded=True)
    cont = _prefer(final_mover, lz, call.payoffs[final_mover], concede.payoffs[final_mover])
    best = call if cont else concede
    plan = ["continue" if cont else "concede"]
    values = [best.payoffs]
    for r in range(R, 0, -1):
        m = params.mover(r)
        stop = _outcome(params, lz, opened=True, winner=1 - m, r=r, conceded=True)
        cont = _prefer(m, lz, best.payoffs[m], stop.payoffs[m])
        best = best if cont else stop
        plan.append("continue" if cont else "concede")
        values.append(best.payoffs)
    no = _outcome(params, lz, opened=False, winner=None, r=0, conceded=False)
    opens = _prefer(C, lz, best.payoffs[C], no.payoffs[C])
    best = best if opens else no
    plan.append("open" if opens else "do not open")
    values.append(best.payoffs)
    return SPE(liar=liar, outcome=best, plan=tuple(reversed(plan)), values=tuple(reversed(values)))


def full_play(params: DisputeParams, liar: str = "prover") -> Outcome:
    """The dispute played to the one-step check (the liar never concedes): the worst case for the honest side.

    >>> from otr_theory.model import load_model
    >>> o = full_play(DisputeParams.from_model(load_model()))
    >>> o.winner, o.resolved_round, o.duration_s
    ('challenger', 41, 75000.0)
    """
    if liar not in LIARS:
        raise GameError("liar", "must be 'prover' or 'challenger'", liar)
    lz = LIARS.index(liar)
    return _outcome(params, lz, opened=True, winner=1 - lz, r=params.rounds + 1, conceded=False)


def breakeven_delay_value(params: DisputeParams, liar: str = "challenger", *, hi: float = 1e9) -> float:
    """The least delay value (USD/s) at which the liar, in the SPE, delays resolution by the worst case D.

    (It may then concede in the last round, which ends the dispute no earlier than the one-step
    check.) Found by bisection: the liar's incentive to continue grows with the delay value;
    ``inf`` if even ``hi`` does not suffice.

    >>> from otr_theory.model import load_model
    >>> v = breakeven_delay_value(DisputeParams.from_model(load_model()), "challenger")
    >>> 0 < v < 1
    True
    """

    def to_end(v: float) -> bool:
        o = subgame_perfect(dataclasses.replace(params, delay_value_usd_per_s=v), liar).outcome
        return o.opened and o.duration_s >= params.worst_case_duration_s

    if not to_end(hi):
        return math.inf
    lo = 0.0
    if to_end(lo):
        return 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if to_end(mid):
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return hi


# ---------------------------------------------------------------------------------------------
# the materialised tree (small N only)

MAX_TREE_NODES = 200_000


def dispute_tree(params: DisputeParams, liar: str = "prover") -> Node:
    """The dispute as an explicit game tree (perfect information), for small traces.

    Every move offers ``segment 1..k`` (segment 1 holds the first disagreement) and ``concede``;
    round 1 offers ``dissect`` and ``concede``. An honest mover choosing a segment other than 1
    disputes a segment both agree on and becomes the wrong party. Players: 0 the prover,
    1 the challenger.

    Raises
    ------
    GameError
        If the tree would have more than 200,000 nodes.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.tree import backward_induction
    >>> p = DisputeParams.from_model(load_model(), trace_steps=8)
    >>> pay, path = backward_induction(dispute_tree(p, "prover"))
    >>> path
    ('open', 'concede')
    >>> pay == subgame_perfect(p, "prover").outcome.payoffs
    True
    """
    if liar not in LIARS:
        raise GameError("liar", "must be 'prover' or 'challenger'", liar)
    R, k = params.rounds, params.bisection_arity
    size = sum((k + 1) ** i for i in range(R + 2)) + 2
    if size > MAX_TREE_NODES:
        raise GameError("trace_steps", f"the materialised tree would have ~{size} nodes (max {MAX_TREE_NODES}); use subgame_perfect", params.trace_steps)
    lz0 = LIARS.index(liar)

    def leaf(o: Outcome, label: str) -> Terminal:
        return Terminal(o.payoffs, label)

    def node(r: int, lz: int) -> Node:
        m = params.mover(r)
        concede = leaf(_outcome(params, lz0, opened=True, winner=1 - m, r=r, conceded=True), f"{LIARS[m]} concedes in round {r}")
        if r == R + 1:
            actions = []
            for j in range(1, k + 1):
                wrong = lz if (j == 1 or m == lz) else m  # an honest mover off the disagreement becomes wrong
                o = _outcome(params, lz0, opened=True, winner=1 - wrong, r=R + 1, conceded=False)
                actions.append((f"check step {j}", leaf(o, f"one-step check: {LIARS[1 - wrong]} wins")))
            return Decision(m, f"round {r}: final check ({LIARS[m]})", order(m, lz, actions, concede))
        if r == 1:
            return Decision(m, f"round 1 ({LIARS[m]})", order(m, lz, [("dissect", node(2, lz))], concede))
        actions = []
        for j in range(1, k + 1):
            nl = lz if (j == 1 or m == lz) else m
            actions.append((f"segment {j}", node(r + 1, nl)))
        return Decision(m, f"round {r} ({LIARS[m]})", order(m, lz, actions, concede))

    def order(m: int, lz: int, actions: list, concede: Terminal) -> tuple:
        # backward induction breaks ties towards the first action: the liar concedes, the honest party goes on
        return (("concede", concede), *actions) if m == lz else (*actions, ("concede", concede))

    no = Terminal(_outcome(params, lz0, opened=False, winner=None, r=0, conceded=False).payoffs, "no dispute")
    opening = [("open", node(1, lz0)), ("do not open", no)]
    return Decision(C, "challenger: open a dispute?", tuple(reversed(opening)) if lz0 == C else tuple(opening))


# ---------------------------------------------------------------------------------------------
# Sybils and the whole analysis


@dataclasses.dataclass(frozen=True)
class SybilRow:
    """s Sybil identities each carrying one dispute to the end against one honest party.

    Attributes
    ----------
    side : str
        ``challengers`` (griefing an honest prover) or ``provers`` (a fraud defended by s
        conflicting assertions against an honest challenger).
    sybils : int
    mode : str
        ``sequential`` or ``parallel``.
    delay_s : float
        Time until the last dispute resolves.
    honest_cost_usd, attacker_cost_usd : float
        Gas of the honest side; gas plus forfeited bonds or stakes of the attacker.
    loss_to_gas_ratio : float
        attacker_cost_usd / honest_cost_usd.
    fits_window : bool
        Whether every dispute resolves within the window (for Sybil provers: whether the honest
        challenger can defeat them all in time; False means the fraud finalises).
    """

    side: str
    sybils: int
    mode: str
    delay_s: float
    honest_cost_usd: float
    attacker_cost_usd: float
    loss_to_gas_ratio: float
    fits_window: bool


def sybil_attack(params: DisputeParams, side: str, sybils: int, mode: str = "sequential") -> SybilRow:
    """Cost and delay of ``sybils`` identities each playing one dispute to the end.

    >>> from otr_theory.model import load_model
    >>> p = DisputeParams.from_model(load_model())
    >>> sybil_attack(p, "provers", 4, "sequential").fits_window, sybil_attack(p, "provers", 4, "parallel").fits_window
    (False, True)
    """
    if side not in ("challengers", "provers"):
        raise GameError("side", "must be 'challengers' or 'provers'", side)
    if mode not in ("sequential", "parallel"):
        raise GameError("mode", "must be 'sequential' or 'parallel'", mode)
    if isinstance(sybils, bool) or not isinstance(sybils, int) or sybils < 1:
        raise GameError("sybils", "must be an integer >= 1", sybils)
    liar = "challenger" if side == "challengers" else "prover"
    honest_cost, attacker_cost = _full_costs(params, liar)
    one = params.worst_case_duration_s
    delay = sybils * one if mode == "sequential" else one
    ratio = attacker_cost / honest_cost if honest_cost > 0 else math.inf
    return SybilRow(
        side=side,
        sybils=sybils,
        mode=mode,
        delay_s=delay,
        honest_cost_usd=sybils * honest_cost,
        attacker_cost_usd=sybils * attacker_cost,
        loss_to_gas_ratio=ratio,
        fits_window=delay <= params.window_s,
    )


def _full_costs(params: DisputeParams, liar: str) -> tuple[float, float]:
    """(honest cost, attacker cost) of one dispute played to the end, delay value excluded."""
    p0 = dataclasses.replace(params, delay_value_usd_per_s=0.0, external_gain_usd=0.0)
    o = full_play(p0, liar)
    lz = LIARS.index(liar)
    honest_cost = o.gas_usd[1 - lz]
    attacker_cost = -o.payoffs[lz]  # its gas plus what it forfeits (slash or bond, level bonds)
    return honest_cost, attacker_cost


@dataclasses.dataclass(frozen=True)
class DisputeAnalysis:
    """Everything the report says about the dispute game of a model.

    Attributes
    ----------
    params : DisputeParams
    rounds : int
    move_gas, move_usd, step_usd : float
    worst_case_duration_s : float
        :math:`R\\,T + T_{\\mathrm{settle}} + c\\,t_{\\mathrm{block}}`.
    window_s : float
    fits_window : bool
    spe_fraud, spe_grief : SPE
        Equilibrium play against a lying prover and a lying (griefing) challenger.
    full_fraud, full_grief : Outcome
        The same disputes played to the end.
    loss_to_gas_ratio_fraud, loss_to_gas_ratio_grief : float
        Attacker's cost over the honest side's cost when played to the end.
    breakeven_delay_usd_per_s : float
        Delay value above which a griefing challenger stalls resolution for the worst case D.
    breakeven_delay_prover_usd_per_s : float
        The same for a challenged lying prover (it loses S whatever it does, so only gas and level
        bonds make stalling cost anything).
    max_sequential_sybil_provers : int
        The largest number of sequential Sybil provers an honest challenger defeats within W.
    sybils : tuple of SybilRow
    """

    params: DisputeParams
    rounds: int
    move_gas: float
    move_usd: float
    step_usd: float
    worst_case_duration_s: float
    window_s: float
    fits_window: bool
    spe_fraud: SPE
    spe_grief: SPE
    full_fraud: Outcome
    full_grief: Outcome
    loss_to_gas_ratio_fraud: float
    loss_to_gas_ratio_grief: float
    breakeven_delay_usd_per_s: float
    breakeven_delay_prover_usd_per_s: float
    max_sequential_sybil_provers: int
    sybils: tuple[SybilRow, ...]


def analyse_dispute(params: DisputeParams, *, sybil_counts: Sequence[int] = (1, 10, 100)) -> DisputeAnalysis:
    """Rounds, duration against the window, SPE, costs, loss-to-gas ratios and Sybil attacks.

    >>> from otr_theory.model import load_model
    >>> a = analyse_dispute(DisputeParams.from_model(load_model()))
    >>> a.rounds, a.worst_case_duration_s, a.fits_window, a.max_sequential_sybil_provers
    (40, 75000.0, True, 1)
    """
    hf, af = _full_costs(params, "prover")
    hg, ag = _full_costs(params, "challenger")
    D = params.worst_case_duration_s
    rows = tuple(sybil_attack(params, side, s, mode) for side in ("provers", "challengers") for s in sybil_counts for mode in ("sequential", "parallel"))
    return DisputeAnalysis(
        params=params,
        rounds=params.rounds,
        move_gas=params.move_gas,
        move_usd=params.move_usd,
        step_usd=params.step_usd,
        worst_case_duration_s=D,
        window_s=params.window_s,
        fits_window=D <= params.window_s,
        spe_fraud=subgame_perfect(params, "prover"),
        spe_grief=subgame_perfect(params, "challenger"),
        full_fraud=full_play(params, "prover"),
        full_grief=full_play(params, "challenger"),
        loss_to_gas_ratio_fraud=af / hf if hf > 0 else math.inf,
        loss_to_gas_ratio_grief=ag / hg if hg > 0 else math.inf,
        breakeven_delay_usd_per_s=breakeven_delay_value(params, "challenger"),
        breakeven_delay_prover_usd_per_s=breakeven_delay_value(params, "prover"),
        max_sequential_sybil_provers=int(params.window_s // D) if D > 0 else 0,
        sybils=rows,
    )
