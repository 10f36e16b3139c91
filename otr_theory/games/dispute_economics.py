"""Equilibrium, resource ratio and delay economics of any dispute design (:mod:`otr_theory.games.designs`).

**The game** (ours; the single-level case is :mod:`otr_theory.games.dispute`). The challenger
opens (gas ``challenge_open_gas``, bond :math:`b_0` = ``challenger_bond_usd``); then moves alternate,
prover on odd moves, along the design's schedule (dissections, level openings), each mover paying
its gas and posting the move's bond; the last mover calls the one-step check, which the honest
party wins. Whoever concedes (lets its time run out) loses. The loser forfeits every bond it
posted to the winner; if the challenger wins, the prover is slashed S and the challenger gets
:math:`aS`; a lying prover that survives gains G; a liar values delay at v USD/s.

**Backward induction, compact and materialised.** A state is (level, segment length, move index,
the history's gas and bonds per party). The liar chooses where the disagreement lies -- which
part of each dissection the dispute continues in -- so parts of different sizes give different
continuations (uneven splits). :func:`solve_design` recurses over the *distinct* part sizes and
memoises states (exact for N = 2^73); :func:`design_tree` materialises every part and every wrong
pick of the honest party as a :class:`otr_theory.games.tree.Decision` tree for small instances;
:func:`otr_theory.games.tree.backward_induction` on it must give the same payoffs.

**Resource ratio (BoLD's definition).** Marginal cost of the adversary -- gas plus staking capital
put up -- over the honest party's, honest staking included: per move (an adversary move and the
honest answer) and per dispute (played to the one-step check), at the model's gas price and at
``stress_gas_price_gwei``. For multi-level designs with stakes, per level
:math:`\\rho_l = (s_l + g_e p)/(s_{l+1} + (R_l g_b + g_e) p)`, :math:`s_0` the assertion stake
(Arbitrum docs, *Economics of disputes*: N adversary stakes at level l force N honest stakes at
level l + 1; formula ours). ``loss_to_gas_ratio`` is the previous quantity: the attacker's total
loss over the honest side's gas.

**Delay.** With budget B an attacker runs :math:`s = \\lfloor B / c_1 \\rfloor` Sybil disputes of
cost :math:`c_1` each (gas and forfeited bonds of a griefing challenger played to the end). Under
round timeouts, sequential Sybils delay finality by :math:`s D` and parallel ones by D; under a
chess clock all Sybils draw on the same team clock (OP) or cannot stop the honest path timer
(BoLD), so the delay is bounded by one clock, whatever s. The honest side pays its gas per
dispute and the capital cost of its stake over the delay. :func:`bond_for_delay_cost` gives the
challenger bond that makes a delay cost at least a given amount; :func:`griefing_parity_bond`
the least bond with which griefing costs the griefer at least what it costs the defender;
:func:`delay_flag` the verdict input.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from otr_theory.games.designs import (
    DesignSpec,
    Move,
    design_from_model,
    dispute_duration,
    move_schedule,
    split_parts,
)
from otr_theory.games.normal_form import GameError
from otr_theory.games.tree import Decision, Node, Terminal

__all__ = [
    "DelayAttack",
    "DesignSolution",
    "ResourceRatio",
    "Stakes",
    "bond_for_delay_cost",
    "cost_to_delay",
    "delay_attack",
    "delay_flag",
    "design_tree",
    "griefing_parity_bond",
    "normal_finality_s",
    "resource_ratio",
    "solve_design",
    "worst_finality_s",
]

LIARS = ("prover", "challenger")
SECONDS_PER_YEAR = 365.25 * 86400


@dataclasses.dataclass(frozen=True)
class Stakes:
    """What the game's payoffs read besides the design: slash, reward share, gain, delay value."""

    slash_usd: float = 0.0
    challenger_reward_share: float = 0.0
    external_gain_usd: float = 0.0
    delay_value_usd_per_s: float = 0.0

    @classmethod
    def from_model(cls, model: Any, **kw: float) -> Stakes:
        base = {k: model.value(k) for k in ("slash_usd", "challenger_reward_share", "external_gain_usd")}
        base.update(kw)
        return cls(**base)


# ---------------------------------------------------------------------------------------------
# the path-dependent game on states


@dataclasses.dataclass(frozen=True)
class _State:
    level: int
    length: int  # units left in the disputed segment at this level
    r: int  # the next move's index (1-based)
    gas: tuple[float, float]
    bonds: tuple[float, float]
    staller_moves: tuple[int, int]  # (moves the liar made, clock extensions they earned)


def _level_moves(d: DesignSpec) -> dict[tuple[int, str], Move]:
    """One representative move per (level, kind), for gas; bonds are recomputed by depth."""
    out: dict[tuple[int, str], Move] = {}
    for m in move_schedule(d):
        out.setdefault((m.level, m.kind), m)
    return out


def _bond_at(d: DesignSpec, r: int, level: int, kind: str) -> float:
    from otr_theory.games.designs import _bond  # the one bond rule

    D = d.max_game_depth or max(1, len(move_schedule(d)))
    return _bond(dataclasses.replace(d, max_game_depth=D), r + d.opening_depth, level, kind)


def _duration(d: DesignSpec, st: _State, liar: int) -> float:
    r"""Time of a dispute ending at move ``st.r`` (a concession lets that move's time run out; the
    one-step check ends at move M + 1), the liar stalling with every move it made (path-aware).

    Round timeouts: :math:`\min(r, M)\,T`; chess clock: the liar's clock C plus the extensions
    its later moves earned; plus settlement and censorship in both.
    """
    if d.timing == "rounds":
        M = len(move_schedule(d))
        return min(st.r, M) * d.round_timeout_s + d.settlement_s + d.censorship_s
    return d.chess_clock_s + st.staller_moves[1] * d.clock_extension_s + d.settlement_s + d.censorship_s


def _terminal(d: DesignSpec, k: Stakes, st: _State, liar: int, winner: int, *, caller: int | None = None, opened: bool = True) -> tuple[float, float]:
    """Payoffs when the dispute ends at ``st``; ``caller`` pays the one-step check if it is called."""
    if not opened:
        return ((k.external_gain_usd if liar == 0 else 0.0), 0.0)
    u = [-st.gas[0], -st.gas[1]]
    if caller is not None:
        u[caller] -= d.usd(d.dispute_step_gas)
    loser = 1 - winner
    u[loser] -= st.bonds[loser]
    u[winner] += st.bonds[loser]
    if winner == 1:
        u[0] -= k.slash_usd
        u[1] += k.challenger_reward_share * k.slash_usd
    else:
        u[1] -= d.challenger_bond_usd
        u[0] += d.challenger_bond_usd
        if liar == 0:
            u[0] += k.external_gain_usd
    u[liar] += k.delay_value_usd_per_s * _duration(d, st, liar)
    return (u[0], u[1])


def _next_moves(d: DesignSpec, st: _State) -> tuple[str, int, int] | None:
    """(kind, level, length after it) of the next move, or None when the one-step check is next.

    Length 0 marks a level opened by one party whose rival claim is still to come (multilevel:
    each party opens its own claim; op: one move joins the levels).
    """
    if st.length == 0:
        return ("open", st.level, d.levels[st.level].height)
    if st.length > 1:
        return ("dissect", st.level, st.length)
    if st.level + 1 < len(d.levels):
        nxt = st.level + 1
        return ("open", nxt, d.levels[nxt].height if d.joined_levels else 0)
    return None


def _advance(d: DesignSpec, st: _State, liar: int, kind: str, level: int, new_length: int, gas_move: float) -> _State:
    m = 0 if st.r % 2 == 1 else 1
    bond = _bond_at(d, st.r, level, kind)
    gas = list(st.gas)
    bonds = list(st.bonds)
    gas[m] += d.usd(gas_move)
    bonds[m] += bond
    sm = st.staller_moves
    if m == liar:
        # the prover's first move spends its clock; the challenger's was its opening
        earned = 0 if (sm[0] == 0 and m == 0) else (2 if kind == "open" else 1)
        sm = (sm[0] + 1, sm[1] + earned)
    return _State(level, new_length, st.r + 1, (gas[0], gas[1]), (bonds[0], bonds[1]), sm)


def _start(d: DesignSpec, liar: int) -> _State:
    sm = (0, 0)
    return _State(0, d.levels[0].height, 1, (0.0, d.usd(d.challenge_open_gas)), (0.0, 0.0), sm)


@dataclasses.dataclass(frozen=True)
class DesignSolution:
    """The subgame-perfect play of one dispute under a design.

    Attributes
    ----------
    liar : str
    payoffs : tuple of float
        (prover, challenger) relative to no dispute.
    opened : bool
    ended_at : int
        The move index at which play ends (M + 1: the one-step check).
    conceded : bool
    states : int
        Distinct states the compact solver visited.
    """

    liar: str
    payoffs: tuple[float, float]
    opened: bool
    ended_at: int
    conceded: bool
    states: int


def _prefer(mover: int, liar: int, go: float, stop: float) -> bool:
    return go > stop or (go == stop and mover != liar)


def solve_design(d: DesignSpec, stakes: Stakes, liar: str = "prover") -> DesignSolution:
    """Backward induction over the distinct states of the design's game (exact, any N).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> m = load_model()
    >>> s = solve_design(design_from_model(m), Stakes.from_model(m), "prover")
    >>> s.opened, s.ended_at, s.conceded
    (True, 1, True)
    """
    if liar not in LIARS:
        raise GameError("liar", "must be 'prover' or 'challenger'", liar)
    lz = LIARS.index(liar)
    gm = _level_moves(d)
    seen: dict[_State, tuple[tuple[float, float], int, bool]] = {}

    def value(st: _State) -> tuple[tuple[float, float], int, bool]:
        if st in seen:
            return seen[st]
        m = 0 if st.r % 2 == 1 else 1
        stop = _terminal(d, stakes, st, lz, 1 - m)
        nxt = _next_moves(d, st)
        if nxt is None:  # the one-step check: the honest party wins if it is called
            go = (_terminal(d, stakes, st, lz, 1 - lz, caller=m), st.r, False)
        else:
            kind, level, length = nxt
            if kind == "dissect":
                sizes = list(dict.fromkeys(split_parts(length, d.levels[level].arity, d.split_rule)))
                gas = gm[(level, "dissect")].gas
                options = [value(_advance(d, st, lz, "dissect", level, sz, gas)) for sz in sizes]
                if m != lz:
                    # the liar placed the disagreement; the honest mover continues there or concedes
                    options = [o if _prefer(m, lz, o[0][m], stop[m]) else (stop, st.r, True) for o in options]
                    res = max(options, key=lambda o: o[0][lz])
                    seen[st] = res
                    return res
                go = max(options, key=lambda o: o[0][lz])  # the liar picks the part
            else:
                go = value(_advance(d, st, lz, "open", level, length, gm[(level, "open")].gas))
        res = go if _prefer(m, lz, go[0][m], stop[m]) else (stop, st.r, True)
        seen[st] = res
        return res

    st0 = _start(d, lz)
    (pay, ended, conceded) = value(st0)
    no = _terminal(d, stakes, st0, lz, 0, opened=False)
    opens = _prefer(1, lz, pay[1], no[1])
    if not opens:
        return DesignSolution(liar, no, False, 0, False, len(seen))
    return DesignSolution(liar, pay, True, ended, conceded, len(seen))


MAX_TREE_NODES = 200_000


def design_tree(d: DesignSpec, stakes: Stakes, liar: str = "prover") -> Node:
    """The design's dispute as an explicit tree: every part of every dissection, every wrong pick.

    At a dissection the liar (whichever party moves) chooses which part holds the disagreement:
    one action per part, sizes as the split rule gives them. The honest mover continues on that
    part or picks another one (and becomes the wrong party: it then loses the one-step check). A
    level opening is one action. Every mover may concede.

    Raises
    ------
    GameError
        If the tree would exceed 200,000 nodes.
    """
    if liar not in LIARS:
        raise GameError("liar", "must be 'prover' or 'challenger'", liar)
    lz = LIARS.index(liar)
    gm = _level_moves(d)
    bound = 1
    for mv in move_schedule(d):
        bound *= (min(d.levels[mv.level].arity, d.levels[mv.level].height) + 2) if mv.kind == "dissect" else 2
        if bound > MAX_TREE_NODES:
            raise GameError("levels", f"the materialised tree may exceed {MAX_TREE_NODES} nodes; use solve_design", [lv.height for lv in d.levels])
    count = 0

    def node(st: _State) -> Node:
        nonlocal count
        count += 1
        if count > MAX_TREE_NODES:
            raise GameError("levels", f"the materialised tree exceeds {MAX_TREE_NODES} nodes; use solve_design", [lv.height for lv in d.levels])
        m = 0 if st.r % 2 == 1 else 1
        concede = ("concede", Terminal(_terminal(d, stakes, st, lz, 1 - m), "concede"))
        nxt = _next_moves(d, st)
        if nxt is None:
            call = ("call the one-step check", Terminal(_terminal(d, stakes, st, lz, 1 - lz, caller=m), "one-step check"))
            acts = (concede, call) if m == lz else (call, concede)
            return Decision(m, f"move {st.r}: one-step check", acts)
        kind, level, length = nxt
        if kind == "dissect":
            parts = split_parts(length, d.levels[level].arity, d.split_rule)
            gas = gm[(level, "dissect")].gas
            if m == lz:
                cont = tuple((f"disagree in part {j + 1} ({sz})", node(_advance(d, st, lz, "dissect", level, sz, gas))) for j, sz in enumerate(parts))
                return Decision(m, f"move {st.r}: liar dissects", (concede, *cont))
            # the honest mover: the liar chose the part at its own last move; give the liar that
            # choice here as a chance-free sub-decision, then the honest continues or errs
            wrong_st = _advance(d, st, lz, "dissect", level, 1, gas)
            wrong = ("pick an agreed part", Terminal(_terminal(d, stakes, wrong_st, lz, lz), "honest party picked an agreed part"))
            choices = tuple(
                (f"part {j + 1} ({sz})", Decision(m, f"move {st.r}: honest continues", (("continue", node(_advance(d, st, lz, "dissect", level, sz, gas))), concede, wrong)))
                for j, sz in enumerate(parts)
            )
            return Decision(lz, f"move {st.r}: liar places the disagreement", choices)
        nst = _advance(d, st, lz, "open", level, length, gm[(level, "open")].gas)
        opening = (f"open level {level}", node(nst))
        return Decision(m, f"move {st.r}: open level {level}", (concede, opening) if m == lz else (opening, concede))

    st0 = _start(d, lz)
    no = Terminal(_terminal(d, stakes, st0, lz, 0, opened=False), "no dispute")
    root = node(st0)
    acts = (("do not open", no), ("open", root)) if lz == 1 else (("open", root), ("do not open", no))
    return Decision(1, "challenger: open a dispute?", acts)


# ---------------------------------------------------------------------------------------------
# resource ratio


@dataclasses.dataclass(frozen=True)
class ResourceRatio:
    """The resource ratio by BoLD's definition at one gas price.

    Attributes
    ----------
    gas_price_gwei : float
    per_move_min, per_move_max : float
        Over the schedule: (an adversary move's gas x p + its bond) / (the honest counter-move's, the
        next move of the same kind at the same level: gas x p + its bond).
    per_dispute_grief, per_dispute_fraud : float
        The whole dispute played to the one-step check: adversary's gas plus the stakes and bonds it
        puts up, over the honest party's gas plus the stakes and bonds it puts up.
    per_level : tuple of float
        For multi-level designs with stakes: :math:`\\rho_l` for l = 0..L-2 (empty otherwise).
    loss_to_gas_grief, loss_to_gas_fraud : float
        The previous quantity: the attacker's total loss over the honest side's gas.
    """

    gas_price_gwei: float
    per_move_min: float
    per_move_max: float
    per_dispute_grief: float
    per_dispute_fraud: float
    per_level: tuple[float, ...]
    loss_to_gas_grief: float
    loss_to_gas_fraud: float


def _ratio(a: float, h: float) -> float:
    return a / h if h > 0 else math.inf


def _full_costs(d: DesignSpec, liar: int, slash_usd: float) -> tuple[float, float, float, float]:
    """(adversary gas, adversary stakes, honest gas, honest stakes) of a dispute played to the end."""
    sched = move_schedule(d)
    gas = [0.0, 0.0]
    stake = [0.0, 0.0]
    gas[1] += d.usd(d.challenge_open_gas)
    stake[1] += d.challenger_bond_usd
    if liar == 0:  # a lying prover's assertion stake is put up for the attack; an honest prover's is not marginal
        stake[0] += slash_usd
    for m in sched:
        gas[m.mover] += d.usd(m.gas)
        stake[m.mover] += m.bond_usd
    final_mover = 0 if (len(sched) + 1) % 2 == 1 else 1
    gas[final_mover] += d.usd(d.dispute_step_gas)  # played to the end: the final mover calls the check
    return gas[liar], stake[liar], gas[1 - liar], stake[1 - liar]


def resource_ratio(d: DesignSpec, *, slash_usd: float, gas_price_gwei: float | None = None) -> ResourceRatio:
    """Resource ratios of a design at a gas price (default: the design's).

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> m = load_model()
    >>> rr = resource_ratio(design_from_model(m), slash_usd=m.value("slash_usd"))
    >>> rr.per_move_min, round(rr.per_dispute_grief, 1), round(rr.loss_to_gas_grief, 1)
    (1.0, 106.8, 106.8)
    """
    if gas_price_gwei is not None:
        d = d.with_gas_price(gas_price_gwei)
    sched = move_schedule(d)
    per_move = []
    for i, a in enumerate(sched):  # an adversary move against the honest counter-move of its kind
        h = next((b for b in sched[i + 1 :] if b.kind == a.kind and b.level == a.level), None)
        if h is not None:
            per_move.append(_ratio(d.usd(a.gas) + a.bond_usd, d.usd(h.gas) + h.bond_usd))
    if not per_move:
        per_move = [1.0]
    ag, as_, hg, hs = _full_costs(d, 1, slash_usd)
    grief = _ratio(ag + as_, hg + hs)
    # the old quantity: the attacker's loss (its gas plus what it forfeits) over the honest side's gas
    grief_old = _ratio(ag + d.challenger_bond_usd + sum(m.bond_usd for m in sched if m.mover == 1), hg)
    ag, as_, hg, hs = _full_costs(d, 0, slash_usd)
    fraud = _ratio(ag + as_, hg + hs)
    fraud_old = _ratio(ag + slash_usd + sum(m.bond_usd for m in sched if m.mover == 0), hg)
    per_level: list[float] = []
    if len(d.levels) > 1 and any(lv.stake_usd for lv in d.levels):
        rounds = d.level_rounds
        for l in range(len(d.levels) - 1):
            s_l = d.levels[l].stake_usd or (d.challenger_bond_usd if l == 0 else 0.0)
            adv = s_l + d.usd(d.challenge_open_gas)
            hon = d.levels[l + 1].stake_usd + d.usd(rounds[l] * d.dispute_step_gas + d.challenge_open_gas)
            per_level.append(_ratio(adv, hon))
    return ResourceRatio(
        gas_price_gwei=d.gas_price_gwei,
        per_move_min=min(per_move),
        per_move_max=max(per_move),
        per_dispute_grief=grief,
        per_dispute_fraud=fraud,
        per_level=tuple(per_level),
        loss_to_gas_grief=grief_old,
        loss_to_gas_fraud=fraud_old,
    )


# ---------------------------------------------------------------------------------------------
# delay


def normal_finality_s(d: DesignSpec) -> float:
    """Finality of an unchallenged claim: the window (plus the settlement airgap when the clock
    starts at the assertion, as in the OP game, where every game waits for it)."""
    return d.window_s + (d.settlement_s if d.clock_start == "assertion" else 0.0)


def _dispute_cost(d: DesignSpec) -> tuple[float, float]:
    """(attacker's cost, honest gas) of one griefing dispute played to the one-step check."""
    ag, as_, hg, _ = _full_costs(d, 1, 0.0)
    return ag + as_, hg


@dataclasses.dataclass(frozen=True)
class DelayAttack:
    """The worst finality delay a budget buys.

    Attributes
    ----------
    budget_usd : float
    cost_per_dispute_usd : float
        Gas plus forfeited bonds of one griefing dispute played to the end.
    sybils : int
        Disputes the budget pays for.
    mode : str
        ``sequential`` or ``parallel``.
    extra_delay_s : float
        Finality delay beyond the unchallenged case.
    finality_s : float
        Worst-case finality under the attack.
    honest_cost_usd : float
        The honest side's gas over all disputes plus the capital cost of its stake over the delay.
    bounded : bool
        Whether the delay is bounded whatever the budget (chess clock).
    """

    budget_usd: float
    cost_per_dispute_usd: float
    sybils: int
    mode: str
    extra_delay_s: float
    finality_s: float
    honest_cost_usd: float
    bounded: bool


def _one_dispute_delay(d: DesignSpec) -> float:
    """Finality delay one griefing dispute causes: the challenger stalls to the one-step check."""
    D = dispute_duration(d, len(move_schedule(d)) + 1, staller=1)
    if d.timing == "chess_clock" and d.clock_start == "assertion":
        return max(0.0, D - normal_finality_s(d))
    return D


def delay_attack(d: DesignSpec, budget_usd: float, mode: str = "sequential") -> DelayAttack:
    """The worst finality delay ``budget_usd`` buys with Sybil challengers.

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> a = delay_attack(design_from_model(load_model()), 10_000)
    >>> a.sybils, round(a.extra_delay_s / 3600, 1)  # floor(10,000 / 1,009.30) = 9 disputes of 75,000 s
    (9, 187.5)
    """
    if mode not in ("sequential", "parallel"):
        raise GameError("mode", "must be 'sequential' or 'parallel'", mode)
    if not math.isfinite(budget_usd) or budget_usd < 0:
        raise GameError("budget_usd", "must be a finite number >= 0", budget_usd)
    c1, hgas = _dispute_cost(d)
    # a budget equal to s disputes' cost (up to float rounding of the cost sums) buys s disputes
    s = math.floor(budget_usd / c1 * (1 + 1e-12)) if c1 > 0 else 10**9
    one = _one_dispute_delay(d)
    bounded = d.timing == "chess_clock"
    if s == 0:
        extra = 0.0
    elif bounded or mode == "parallel":
        extra = one
    else:
        extra = s * one
    honest = s * hgas + d.stake_usd * d.capital_cost_rate_per_year * extra / SECONDS_PER_YEAR
    return DelayAttack(budget_usd, c1, s, mode, extra, normal_finality_s(d) + extra, honest, bounded)


def worst_finality_s(d: DesignSpec) -> float:
    """Worst-case finality whatever the attacker's budget: one clock's delay under a chess clock,
    unbounded (inf) under round timeouts, where sequential Sybils add one dispute each.

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> round(worst_finality_s(design_from_model(load_model("bold"))) / 86400, 2)
    12.77
    """
    if d.timing == "rounds":
        return math.inf
    return normal_finality_s(d) + _one_dispute_delay(d)


def cost_to_delay(d: DesignSpec, delay_s: float) -> float:
    r"""The least an attacker spends to delay finality by more than ``delay_s`` (inf if it cannot).

    Round timeouts: :math:`(\lfloor \delta / D \rfloor + 1)\,c_1` sequential disputes; chess clock:
    :math:`c_1` if one clock exceeds the delay, else impossible (ours).

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> round(cost_to_delay(design_from_model(load_model()), 604_800), 1)  # (8 + 1) x $1,009.30
    9083.7
    """
    c1, _ = _dispute_cost(d)
    one = _one_dispute_delay(d)
    if d.timing == "chess_clock":
        return c1 if one > delay_s else math.inf
    if one <= 0:
        return math.inf
    return (math.floor(delay_s / one) + 1) * c1


def bond_for_delay_cost(d: DesignSpec, delay_s: float, cost_usd: float) -> float:
    """The least challenger bond with which delaying finality by ``delay_s`` costs >= ``cost_usd``.

    Sequential Sybils need :math:`s = \\lceil \\delta / D \\rceil` disputes; each costs its gas plus
    the bond b, so :math:`b = \\max(0, X/s - c_{gas})` (ours). Under a chess clock a delay beyond
    one clock cannot be bought at any price: 0 is returned (no bond needed).

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> round(bond_for_delay_cost(design_from_model(load_model()), 604_800, 100_000), 2)  # 100,000/9 - 9.30
    11101.81
    """
    one = _one_dispute_delay(d)
    if delay_s <= 0:
        return 0.0
    if d.timing == "chess_clock" and delay_s > one:
        return 0.0
    s = 1 if d.timing == "chess_clock" else math.ceil(delay_s / one)
    c1, _ = _dispute_cost(d)
    gas_and_other = c1 - d.challenger_bond_usd
    return max(0.0, cost_usd / s - gas_and_other)


def griefing_parity_bond(d: DesignSpec, *, gas_price_gwei: float | None = None) -> float:
    """The least challenger bond with which a griefing dispute costs the griefer at least what it
    costs the defender: :math:`b^* = \\max(0, c_h - (c_a - b_0))`, where the defender's cost
    :math:`c_h` is its gas plus the capital cost of its stake over the dispute (ours).

    >>> from otr_theory.model import load_model
    >>> from otr_theory.games.designs import design_from_model
    >>> round(griefing_parity_bond(design_from_model(load_model())), 2)  # 9.45 + 1e5 x 0.05 x 75,000 s/yr - 9.30
    12.03
    """
    if gas_price_gwei is not None:
        d = d.with_gas_price(gas_price_gwei)
    c1, hgas = _dispute_cost(d)
    defender = hgas + d.stake_usd * d.capital_cost_rate_per_year * _one_dispute_delay(d) / SECONDS_PER_YEAR
    return max(0.0, defender - (c1 - d.challenger_bond_usd))


def delay_flag(model: Any, *, max_delay_s: float | None = None, budget_usd: float | None = None) -> tuple[bool, str]:
    """Whether an attacker can push finality past ``max_delay_s`` for at most ``budget_usd``.

    Defaults: the model's ``max_finality_delay_s`` and ``delay_attack_budget_usd``; a bound of 0
    disables the flag. Sequential and parallel Sybils are both tried.

    >>> from otr_theory.model import load_model
    >>> flagged, reason = delay_flag(load_model())
    >>> flagged
    True
    >>> delay_flag(load_model("bold"))[0]
    False
    """
    bound = model.value("max_finality_delay_s") if max_delay_s is None else max_delay_s
    budget = model.value("delay_attack_budget_usd") if budget_usd is None else budget_usd
    for name, v in (("max_delay_s", bound), ("budget_usd", budget)):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
            raise GameError(name, "must be a finite number >= 0", v)
    if bound <= 0:
        return False, "no finality-delay bound set (dispute.max_finality_delay_s = 0)"
    d = design_from_model(model)
    worst = max((delay_attack(d, budget, mode) for mode in ("sequential", "parallel")), key=lambda a: a.extra_delay_s)
    h = 3600.0
    if worst.extra_delay_s > bound:
        return True, (
            f"{worst.sybils} {worst.mode} Sybil challengers costing ${worst.sybils * worst.cost_per_dispute_usd:,.0f} "
            f"(budget ${budget:,.0f}) delay finality by {worst.extra_delay_s / h:,.1f} h, past the {bound / h:,.1f} h bound"
        )
    why = "a chess clock bounds it" if worst.bounded else f"{worst.sybils} Sybils at ${worst.cost_per_dispute_usd:,.0f} each"
    return False, f"the worst delay ${budget:,.0f} buys is {worst.extra_delay_s / h:,.1f} h ({why}), within the {bound / h:,.1f} h bound"
