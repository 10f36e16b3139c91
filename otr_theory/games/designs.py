"""Dispute designs as data: levels, split rules, timing rules and bond rules, solved by one code path.

A **design** is the shape of a dispute between a liar and an honest party over a trace (ours, a
common frame for three deployed families):

* ``bisection`` -- one level: the trace of N steps (``trace_steps``) is dissected k-ary
  (``bisection_arity``) down to one step (today's OTR game, after Arbitrum Nitro and opML);
* ``multilevel`` -- levels l = 0..L-1 with heights :math:`H_l` and arities :math:`k_l`
  (``[dispute.levels]``): a claim at level l covers :math:`H_l` units; once it is dissected to one
  unit the dispute moves down a level, each party opening its own claim there with the level's
  stake :math:`s_l` (Arbitrum BoLD: block, big-step and small-step levels);
* ``op`` -- a binary tree of depth ``max_game_depth`` split at ``split_depth``
  (the OP fault-dispute game): output roots are bisected down to the split depth, one claim
  commits to the execution trace of the disputed block (depth split + 1), which is bisected to
  the deepest depth. The challenger's opening claim sits at depth 1, so the schedule is
  :math:`d_s - 1` bisections, one joining move and :math:`d_{max} - d_s - 1` bisections
  (move i at depth i + 1), two binary levels of heights :math:`2^{d_s - 1}` and
  :math:`2^{d_{max} - d_s - 1}`.

**Rounds with the real split rule.** A segment of L units dissected into
:math:`k' = \\min(k, L)` parts has parts of sizes (``split_rule``)
``even``: :math:`\\lceil L/k' \\rceil` or :math:`\\lfloor L/k' \\rfloor`; ``first_remainder``
(Nitro's ``ChallengeLib``): :math:`\\lfloor L/k' \\rfloor` each, the first one plus
:math:`L \\bmod k'`. The liar picks where the disagreement lies, so the worst-case rounds of a
level are :math:`R(1) = 0`, :math:`R(L) = 1 + \\max_{p} R(p)` over the parts p of L -- exact
integers, :func:`level_rounds`; the even rule gives :math:`\\lceil \\log_k N \\rceil`
(:func:`otr_theory.model.bisection_rounds`), the first-remainder rule can need more rounds, and its
worst part is not always the largest (N = 2^20, k = 40: 5 rounds through 26,214 -> 669 -> 45 -> 6 ->
1, not 4). :func:`materialised_rounds` checks this on the explicit tree.

**The move schedule** (:func:`move_schedule`): the worst-case sequence of moves, alternating
between prover (odd moves) and challenger (even moves), each with its gas and the bond or stake
it posts; the dispute ends with the one-step check. Bond rules: ``constant`` (``level_bond_usd``
per move), ``per_depth`` (the OP schedule: a claim at depth d posts
:math:`p_b\\,g_0\\,(g_{max}/g_0)^{d/D}` ETH, ``bond_gas_price_gwei``, ``bond_base_gas``,
``bond_max_gas``, D = ``max_game_depth``; Optimism specs, *Bond Incentives*), ``per_level``
(each party posts :math:`s_l` when it opens its claim at level l >= 1, BoLD's mini-stakes).

**Timing rules** (:func:`dispute_duration`). ``rounds``: each move has T
(``round_timeout_s``), so a dispute ended at move r takes :math:`\\min(r, M)\\,T` plus settlement and
censorship. ``chess_clock``: each party has C (``chess_clock_s``) over all its moves; when a
party's clock runs below the extension E (``clock_extension_s``) it is topped up to E (2E at the
root of the execution-trace level; OP's ``CLOCK_EXTENSION``). The staller's time over m moves is
at most :math:`C + (m-1)E` (+E for the split move), whatever the number of moves or Sybils --
which is what bounds delay; with round timeouts the delay grows with every move.

**Resource ratio as BoLD defines it** (:func:`resource_ratio`): the adversary's marginal cost --
gas plus staking capital -- over the honest party's, *honest staking included* (its stake comes
back, but it must be put up). Per move: what one more adversary move costs it over what the
honest answer costs; per dispute: the whole dispute played to the end. For BoLD the per-level
ratio is :math:`(s_l + g_e p)/(s_{l+1} + (\\log_2 H_l\\,g_b + g_e)\\,p)`: N adversary claims at level
l force N honest claims at level l + 1 after bisecting level l (Arbitrum docs, *Economics of
disputes*; the formula is ours, after the docs' argument). The previous "resource ratio"
(attacker's total loss over the honest side's gas) is kept as ``loss_to_gas_ratio``.

References
----------
Alvarez, M. M., Berger, H., Bousfield, M., Felten, E. et al. (2024). BoLD: Fast and Cheap
Dispute Resolution. arXiv 2404.10491.
Offchain Labs. Economics of Disputes in Arbitrum BoLD.
https://docs.arbitrum.io/how-arbitrum-works/bold/bold-economics-of-disputes
Optimism. Fault Dispute Game; Bond Incentives (specs/fault-proof/stage-one).
https://github.com/ethereum-optimism/specs
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

from otr_theory.games.normal_form import GameError

__all__ = [
    "DesignSpec",
    "Level",
    "Move",
    "design_from_model",
    "dispute_duration",
    "level_rounds",
    "materialised_rounds",
    "move_schedule",
    "op_required_bond_eth",
    "split_parts",
    "worst_case_duration",
]

SPLIT_RULES = ("even", "first_remainder")


def _int_at_least(name: str, v: Any, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise GameError(name, f"must be an integer >= {lo}", v)
    return v


def split_parts(length: int, arity: int, rule: str = "even") -> tuple[int, ...]:
    """Sizes of the parts a segment of ``length`` units is dissected into.

    >>> split_parts(10, 3), split_parts(10, 3, "first_remainder"), split_parts(2, 5)
    ((4, 3, 3), (4, 3, 3), (1, 1))
    >>> split_parts(8, 3, "first_remainder")
    (4, 2, 2)
    """
    _int_at_least("length", length, 1)
    _int_at_least("arity", arity, 2)
    if rule not in SPLIT_RULES:
        raise GameError("split_rule", f"must be one of {', '.join(SPLIT_RULES)}", rule)
    if length == 1:
        return (1,)
    k = min(arity, length)
    q, r = divmod(length, k)
    if rule == "even":
        return (q + 1,) * r + (q,) * (k - r)
    return (q + r,) + (q,) * (k - 1)


def level_rounds(height: int, arity: int, rule: str = "even") -> int:
    r"""Worst-case dissection rounds to bring ``height`` units down to one, in exact integers.

    :math:`R(1) = 0`, :math:`R(L) = 1 + \max_{p \in \mathrm{parts}(L)} R(p)`, memoised over the
    distinct part sizes. The largest part is not always the worst one under the first-remainder
    rule (25 = 9 + 8 + 8 in thirds: 8 needs 3 more rounds, 9 only 2), so every size is followed.

    >>> level_rounds(2**40, 2), level_rounds(2**20, 40), level_rounds(2**20, 40, "first_remainder")
    (40, 4, 5)
    >>> level_rounds(8, 3), level_rounds(8, 3, "first_remainder"), level_rounds(25, 3, "first_remainder")
    (2, 3, 4)
    """
    split_parts(height, arity, rule)  # validates
    memo: dict[int, int] = {1: 0}

    def rounds(L: int) -> int:
        # iterative deepening over a stack, so that 2^73-step traces do not recurse deeply
        stack = [L]
        while stack:
            x = stack[-1]
            if x in memo:
                stack.pop()
                continue
            parts = set(split_parts(x, arity, rule))
            todo = [p for p in parts if p not in memo]
            if todo:
                stack.extend(todo)
                continue
            memo[x] = 1 + max(memo[p] for p in parts)
            stack.pop()
        return memo[L]

    return rounds(height)


MAX_MATERIALISED = 100_000


def materialised_rounds(height: int, arity: int, rule: str = "even") -> int:
    """Depth of the explicit tree of segments (every part of every dissection), for small heights.

    An independent check of :func:`level_rounds`: it builds every segment, not only the worst one.

    >>> materialised_rounds(8, 3, "first_remainder")
    3
    """
    if height > MAX_MATERIALISED:
        raise GameError("height", f"must be <= {MAX_MATERIALISED} to materialise the tree", height)
    count = 0

    def depth(L: int) -> int:
        nonlocal count
        count += 1
        if L == 1:
            return 0
        return 1 + max(depth(p) for p in split_parts(L, arity, rule))

    return depth(height)


# ---------------------------------------------------------------------------------------------
# the design record


@dataclasses.dataclass(frozen=True)
class Level:
    """One level: claims cover ``height`` units, dissected ``arity``-ary; ``stake_usd`` to open it."""

    height: int
    arity: int = 2
    stake_usd: float = 0.0


@dataclasses.dataclass(frozen=True)
class Move:
    """One move of the worst-case schedule.

    ``kind`` is ``dissect`` or ``open`` (a claim at a new level, or OP's execution-trace root);
    ``depth`` counts moves from 1; ``bond_usd`` is what the mover posts (returned if it wins).
    """

    index: int
    level: int
    kind: str
    gas: float
    bond_usd: float

    @property
    def mover(self) -> int:
        """0 prover (odd moves), 1 challenger (even moves)."""
        return 0 if self.index % 2 == 1 else 1


@dataclasses.dataclass(frozen=True)
class DesignSpec:
    """A dispute design with its timing and bond rules, and the chain prices it is played at.

    Build one with :func:`design_from_model`.
    """

    name: str
    levels: tuple[Level, ...]
    split_rule: str = "even"
    timing: str = "rounds"
    bond_rule: str = "constant"
    clock_start: str = "window_end"
    joined_levels: bool = False  # op: one move joins the levels (not one claim per party)
    opening_depth: int = 0  # op: the challenger's opening claim sits at depth 1, move i at depth i + 1
    round_timeout_s: float = 600.0
    chess_clock_s: float = 0.0
    clock_extension_s: float = 0.0
    settlement_s: float = 0.0
    censorship_s: float = 0.0
    window_s: float = 0.0
    dispute_step_gas: float = 150_000.0
    challenge_open_gas: float = 0.0
    calldata_gas_per_hash: float = 512.0
    gas_price_gwei: float = 1.0
    stress_gas_price_gwei: float = 500.0
    eth_price_usd: float = 3000.0
    level_bond_usd: float = 0.0
    bond_base_gas: float = 0.0
    bond_max_gas: float = 0.0
    bond_gas_price_gwei: float = 0.0
    max_game_depth: int = 0
    challenger_bond_usd: float = 0.0
    stake_usd: float = 0.0
    slash_usd: float = 0.0
    capital_cost_rate_per_year: float = 0.0

    def __post_init__(self) -> None:
        if not self.levels:
            raise GameError("levels", "must hold at least one level", self.levels)
        for lv in self.levels:
            _int_at_least("levels.height", lv.height, 1)
            _int_at_least("levels.arity", lv.arity, 2)
        if self.split_rule not in SPLIT_RULES:
            raise GameError("split_rule", f"must be one of {', '.join(SPLIT_RULES)}", self.split_rule)
        if self.timing not in ("rounds", "chess_clock"):
            raise GameError("timing", "must be rounds or chess_clock", self.timing)
        if self.bond_rule not in ("constant", "per_depth", "per_level"):
            raise GameError("bond_rule", "must be constant, per_depth or per_level", self.bond_rule)
        if self.timing == "chess_clock" and not self.chess_clock_s > 0:
            raise GameError("chess_clock_s", "must be > 0 with a chess clock", self.chess_clock_s)
        if self.timing == "rounds" and not self.round_timeout_s > 0:
            raise GameError("round_timeout_s", "must be > 0 with round timeouts", self.round_timeout_s)

    def with_gas_price(self, gwei: float) -> DesignSpec:
        return dataclasses.replace(self, gas_price_gwei=gwei)

    def usd(self, gas: float) -> float:
        return gas * self.gas_price_gwei * 1e-9 * self.eth_price_usd

    @property
    def level_rounds(self) -> tuple[int, ...]:
        return tuple(level_rounds(lv.height, lv.arity, self.split_rule) for lv in self.levels)

    @property
    def moves(self) -> int:
        """Moves before the one-step check (worst case)."""
        return len(move_schedule(self))


def op_required_bond_eth(depth: int, *, base_gas: float = 400_000, max_gas: float = 300_000_000, gas_price_gwei: float = 200, max_depth: int = 73) -> float:
    """The OP fault-dispute game's bond for a claim at ``depth`` (ETH), as the spec writes it.

    :math:`b(d) = p\\,g_0\\,(g_{max}/g_0)^{d/D}`: 0.08 ETH at the root, 60 ETH at depth 73, a
    constant ratio :math:`x = 750^{1/73} \\approx 1.09493` between depths (Optimism specs, *Bond
    Incentives*, "Bond Scaling" and "Required Bond Formula").

    >>> round(op_required_bond_eth(0), 6), round(op_required_bond_eth(73), 6)
    (0.08, 60.0)
    """
    _int_at_least("depth", depth, 0)
    if max_depth < 1 or base_gas <= 0:
        raise GameError("max_game_depth", "the per-depth schedule needs max_game_depth >= 1 and bond_base_gas > 0", max_depth)
    return gas_price_gwei * 1e-9 * base_gas * (max_gas / base_gas) ** (depth / max_depth)


def _bond(d: DesignSpec, depth: int, level: int, kind: str) -> float:
    if d.bond_rule == "constant":
        return d.level_bond_usd
    if d.bond_rule == "per_depth":
        D = d.max_game_depth if d.max_game_depth > 0 else max(1, d.moves)
        return op_required_bond_eth(depth, base_gas=d.bond_base_gas, max_gas=d.bond_max_gas, gas_price_gwei=d.bond_gas_price_gwei, max_depth=D) * d.eth_price_usd
    return d.levels[level].stake_usd if kind == "open" else 0.0


@functools.lru_cache(maxsize=256)
def move_schedule(d: DesignSpec) -> tuple[Move, ...]:
    """The worst-case moves before the one-step check, with their gas and bonds.

    A dissection posts k - 1 hashes (gas ``dispute_step_gas`` + (k - 2) x 512). Opening level
    l >= 1 is one move by each party (multilevel) or a single move (op: the execution-trace root).

    >>> from otr_theory.model import load_model
    >>> len(move_schedule(design_from_model(load_model("op-fault-dispute"))))  # + the opening claim = depth 73
    72
    """
    out: list[Move] = []
    for l, lv in enumerate(d.levels):
        if l > 0:
            opens = 1 if d.joined_levels else 2
            for _ in range(opens):
                i = len(out) + 1
                out.append(Move(i, l, "open", d.dispute_step_gas, 0.0))
        gas = d.dispute_step_gas + (lv.arity - 2) * d.calldata_gas_per_hash
        for _ in range(level_rounds(lv.height, lv.arity, d.split_rule)):
            i = len(out) + 1
            out.append(Move(i, l, "dissect", gas, 0.0))
    # bonds need the final count for the per-depth rule without a max depth
    d0 = dataclasses.replace(d, max_game_depth=d.max_game_depth or max(1, len(out)))
    return tuple(dataclasses.replace(m, bond_usd=_bond(d0, m.index + d.opening_depth, m.level, m.kind)) for m in out)


def dispute_duration(d: DesignSpec, ended_at: int, *, staller: int) -> float:
    """Worst-case time from the opening to the end of a dispute that ends at move ``ended_at``.

    ``staller`` (0 prover, 1 challenger) takes all the time it is allowed; the honest party moves
    at once but is censored once (``censorship_s``). Move M + 1 is the one-step check.

    Round timeouts: :math:`\\min(r, M)\\,T + T_{settle} + c`. Chess clock: the staller's moves
    among 1..r spend its clock C once and then the extension E per later move (2E at the
    opening of a deeper level), plus settlement and censorship.
    """
    sched = move_schedule(d)
    M = len(sched)
    r = min(ended_at, M + 1)
    if d.timing == "rounds":
        return min(r, M) * d.round_timeout_s + d.settlement_s + d.censorship_s
    own = [m for m in sched[: min(r, M)] if m.mover == staller]
    t = d.chess_clock_s  # its moves, or its concession, spend the clock once
    # the challenger's first move was its opening: every scheduled move of its earns an extension
    for m in own if staller == 1 else own[1:]:
        t += d.clock_extension_s * (2 if m.kind == "open" else 1)
    return t + d.settlement_s + d.censorship_s


def worst_case_duration(d: DesignSpec) -> float:
    """The longest a single dispute can take: the staller plays to the one-step check."""
    M = len(move_schedule(d))
    return max(dispute_duration(d, M + 1, staller=s) for s in (0, 1))


def design_from_model(model: Any) -> DesignSpec:
    """The :class:`DesignSpec` a model file selects (``[dispute]`` design, timing, bond and split rule).

    >>> from otr_theory.model import load_model
    >>> d = design_from_model(load_model())
    >>> d.name, d.level_rounds, d.timing, d.bond_rule
    ('bisection', (40,), 'rounds', 'constant')
    """
    r = model.dispute
    v = model.value
    if r.design == "bisection":
        levels: tuple[Level, ...] = (Level(int(v("trace_steps")), int(v("bisection_arity"))),)
    elif r.design == "multilevel":
        arities = r.level_arities or (2,) * len(r.level_heights)
        stakes = r.level_stakes_usd or (0.0,) * len(r.level_heights)
        levels = tuple(Level(h, a, s) for h, a, s in zip(r.level_heights, arities, stakes))
    else:
        top, split = int(v("max_game_depth")), int(v("split_depth"))
        # the challenger's opening claim (depth 1) is the first output-root bisection: 29 more to
        # depth 30, the execution-trace root at 31, then 42 bisections to depth 73
        levels = (Level(2 ** (split - 1), 2), Level(2 ** (top - split - 1), 2))
    return DesignSpec(
        name=r.design,
        levels=levels,
        split_rule=r.split_rule,
        timing=r.timing,
        bond_rule=r.bond_rule,
        clock_start=r.clock_start,
        joined_levels=r.design == "op",
        opening_depth=1 if r.design == "op" else 0,
        round_timeout_s=v("round_timeout_s"),
        chess_clock_s=v("chess_clock_s"),
        clock_extension_s=v("clock_extension_s"),
        settlement_s=v("settlement_s"),
        censorship_s=v("censorship_blocks") * v("block_time_s"),
        window_s=v("window_s"),
        dispute_step_gas=v("dispute_step_gas"),
        challenge_open_gas=v("challenge_open_gas"),
        gas_price_gwei=v("gas_price_gwei"),
        stress_gas_price_gwei=v("stress_gas_price_gwei"),
        eth_price_usd=v("eth_price_usd"),
        level_bond_usd=v("level_bond_usd"),
        bond_base_gas=v("bond_base_gas"),
        bond_max_gas=v("bond_max_gas"),
        bond_gas_price_gwei=v("bond_gas_price_gwei"),
        max_game_depth=int(v("max_game_depth")),
        challenger_bond_usd=v("challenger_bond_usd"),
        stake_usd=v("stake_usd"),
        slash_usd=v("slash_usd"),
        capital_cost_rate_per_year=v("capital_cost_rate_per_year"),
    )


def _check_finite(name: str, x: float) -> None:
    if not math.isfinite(x) or x < 0:
        raise GameError(name, "must be a finite number >= 0", x)
