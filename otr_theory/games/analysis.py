r"""The equilibria of a model's games as one typed record: inspection, n challengers, dispute.

:func:`analyse` solves, for a model (the report's equilibria section only renders the result):

* the one-challenger inspection game per deviation under both loss conventions (the one in
  force marked), by exact vertex enumeration (:func:`otr_theory.games.challengers.inspection_check`)
  and by the closed form of :mod:`otr_theory.payoffs`; the closed form's equilibrium is checked by
  its exact regret in the solved game (:func:`otr_theory.games.normal_form.regret`), and the two
  equilibrium sets are compared;
* the symmetric equilibrium with n challengers, n = 1..10,000 (:data:`NS`), at the
  illustrative slashes (:func:`illustrative_slashes`: the model's and, where the spot-checks alone
  deter, 1/2 and 1/10 of the break-even slash :func:`otr_theory.payoffs.minimum_slash`), each
  point checked by its regret from the binomial distribution
  (:func:`otr_theory.games.challengers.challenger_sweep`); the full (n+1)-player game for the
  model's n when n <= 3 (:func:`otr_theory.games.challengers.cross_check`);
* the bisection dispute game (:mod:`otr_theory.games.dispute`): rounds, worst-case duration
  against the window, the subgame-perfect play against a lying prover and a griefing challenger
  (checked by backward induction on the materialised tree of a 16-step trace), costs and Sybil
  attacks.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from fractions import Fraction
from typing import Literal

import numpy as np

from otr_theory.games.challengers import challenger_sweep, cross_check, inspection_check
from otr_theory.games.dispute import LIARS, SPE, DisputeParams, Outcome, analyse_dispute, dispute_tree, subgame_perfect
from otr_theory.games.dispute import _outcome as dispute_outcome  # the game's payoff function
from otr_theory.games.normal_form import regret
from otr_theory.games.tree import backward_induction
from otr_theory.model import FIELDS, Model
from otr_theory.payoffs import DEVIATIONS, minimum_slash
from otr_theory.records import Record, quantity

__all__ = [
    "NS",
    "REPORTED_N",
    "ChallengerSweepRecord",
    "DisputeGame",
    "DisputeOutcome",
    "EquilibriaAnalysis",
    "FullGameCheck",
    "InspectionGameRow",
    "SpePlay",
    "SweepRow",
    "SybilAttack",
    "analyse",
    "illustrative_slashes",
    "spe_regret",
]

NS = np.unique(np.round(np.logspace(0, 4, 41)).astype(int))
"""n = 1..10,000, log-spaced (41 points)."""

REPORTED_N = (1, 3, 10, 100, 1000, 10_000)
"""The challenger counts shown in the table (and the model's n)."""

_SLASH_CHECK = next(f.check for f in FIELDS if f.name == "slash_usd")


def illustrative_slashes(model: Model) -> list[float]:
    """The model's slash and, where finite, 1/2 and 1/10 of the break-even slash (where the
    spot-checks alone deter the wrong output: :func:`otr_theory.payoffs.minimum_slash`,
    ``variant="break_even"``), rounded to 4 significant digits; only slashes a model can hold
    (S <= stake, inside the field's range).

    >>> from otr_theory.model import load_model
    >>> illustrative_slashes(load_model())
    [100000.0, 4950.0, 990.0]
    """
    s0 = minimum_slash(model, "wrong_output", variant="break_even")
    out = [float(model.value("slash_usd"))]
    if math.isfinite(s0) and s0 > 0:
        out += [float(f"{s0 / 2:.4g}"), float(f"{s0 / 10:.4g}")]
    ok = [s for s in out if s == out[0] or (s <= model.value("stake_usd") and _SLASH_CHECK(s) is None)]
    return list(dict.fromkeys(ok))


@dataclasses.dataclass(frozen=True, repr=False)
class InspectionGameRow(Record):
    """One 2x2 inspection game (prover honest/cheat, challenger monitor/idle), solved twice."""

    TITLE = "inspection game"

    deviation: str = quantity("", "the deviation")
    convention: Literal["forfeit", "keep"] = quantity("", "the loss convention")
    in_force: bool = quantity("", "the model's convention")
    kind: Literal["pure", "mixed", "degenerate"] = quantity("", "of the closed form's equilibrium")
    fraud_rate: float = quantity("probability", "x, closed form")
    monitoring_rate: float = quantity("probability", "y, closed form")
    detection_probability: float = quantity("probability", "p = 1 - (1 - rho)(1 - y)")
    extreme_equilibria: tuple[tuple[Fraction, Fraction], ...] = quantity("", "(x, y) of every extreme equilibrium, exact", source="games.bimatrix.vertex_enumeration")
    degenerate: bool = quantity("", "the game is degenerate (continua possible)")
    agrees: bool = quantity("", "the solver's and the closed form's equilibrium sets coincide")
    regret_usd: Fraction = quantity("USD", "the closed form's equilibrium's regret in the exact game (0: an equilibrium)", source="games.normal_form.regret")


@dataclasses.dataclass(frozen=True, repr=False)
class ChallengerSweepRecord(Record):
    """The symmetric n-challenger equilibrium at one slash over n = 1..10,000 (figure data)."""

    TITLE = "n-challenger sweep"

    slash_usd: float = quantity("USD", "S")
    model_slash: bool = quantity("", "the model's own slash")
    n: tuple[int, ...] = quantity("count", "challengers")
    fraud_rate: tuple[float, ...] = quantity("probability", "x")
    monitoring_rate: tuple[float, ...] = quantity("probability", "y, each challenger")
    challenger_detection: tuple[float, ...] = quantity("probability", "q = 1 - (1 - y)^n")
    detection_probability: tuple[float, ...] = quantity("probability", "p")
    kind: tuple[str, ...] = quantity("", "pure, mixed or degenerate")
    max_regret_usd: float = quantity("USD", "the largest regret over the points (binomial sum)", source="games.challengers.symmetric_regret")
    tolerance_usd: float = quantity("USD", "the bound it was checked against")


@dataclasses.dataclass(frozen=True, repr=False)
class SweepRow(Record):
    """One point of a sweep, as the section's table shows it."""

    TITLE = "sweep point"

    slash_usd: float = quantity("USD", "S")
    n: int = quantity("count", "challengers")
    kind: str = quantity("", "pure, mixed or degenerate")
    fraud_rate: float = quantity("probability", "x")
    monitoring_rate: float = quantity("probability", "y")
    challenger_detection: float = quantity("probability", "q")
    detection_probability: float = quantity("probability", "p")


@dataclasses.dataclass(frozen=True, repr=False)
class FullGameCheck(Record):
    """The closed form's symmetric equilibrium located in the full (n+1)-player game."""

    TITLE = "full-game cross-check"

    slash_usd: float = quantity("USD", "S")
    n: int = quantity("count", "challengers")
    agrees: bool = quantity("", "the closed form is an equilibrium of the full game, found by its solve")
    equilibria: int = quantity("count", "equilibria of the full game")
    symmetric: int = quantity("count", "of them symmetric among the challengers")
    complete: bool = quantity("", "the full solve is certified complete")
    closed_form: tuple[float, float] = quantity("probability", "(x, y) of the closed form")
    regret_usd: float = quantity("USD", "the closed form's regret in the full game", source="games.challengers.cross_check")


@dataclasses.dataclass(frozen=True, repr=False)
class DisputeOutcome(Record):
    """How a dispute ended and what each side got (games.dispute.Outcome)."""

    TITLE = "dispute outcome"

    opened: bool = quantity("", "the challenger opened the dispute")
    winner: str | None = quantity("", "prover or challenger")
    resolved_round: int = quantity("count", "R + 1: the one-step check; 0: not opened")
    conceded: bool = quantity("", "ended by a concession")
    duration_s: float = quantity("s", "from opening to resolution, worst case")
    gas_usd: tuple[float, float] = quantity("USD", "gas of (prover, challenger)")
    payoffs: tuple[float, float] = quantity("USD", "(prover, challenger), relative to no dispute")

    @classmethod
    def of(cls, o: Outcome) -> DisputeOutcome:
        return cls(o.opened, o.winner, int(o.resolved_round), o.conceded, float(o.duration_s), tuple(map(float, o.gas_usd)), tuple(map(float, o.payoffs)))  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True, repr=False)
class SpePlay(Record):
    """The subgame-perfect play of one dispute."""

    TITLE = "subgame-perfect play"

    liar: Literal["prover", "challenger"] = quantity("", "prover: a fraud; challenger: a griefing challenge")
    outcome: DisputeOutcome = quantity("", "where equilibrium play ends")
    plan_first: tuple[str, ...] = quantity("", "the equilibrium actions at the first two nodes")
    method: str = quantity("", "how it was solved")
    regret_usd: float = quantity(
        "USD", "the most a mover gains by changing its action at one node of the chain, play after it unchanged (one-shot deviation principle: 0 for an SPE)", source="ours: games.analysis.spe_regret"
    )


@dataclasses.dataclass(frozen=True, repr=False)
class SybilAttack(Record):
    """s Sybil identities each carrying one dispute to the end (games.dispute.SybilRow)."""

    TITLE = "Sybil attack"

    side: str = quantity("", "provers or challengers")
    sybils: int = quantity("count", "s")
    mode: str = quantity("", "sequential or parallel")
    delay_s: float = quantity("s", "until the last dispute resolves")
    fits_window: bool = quantity("", "every dispute resolves within W")
    honest_cost_usd: float = quantity("USD", "the honest side's gas")
    attacker_cost_usd: float = quantity("USD", "the attacker's gas and forfeits")
    loss_to_gas_ratio: float = quantity("", "attacker cost / honest gas")


@dataclasses.dataclass(frozen=True, repr=False)
class DisputeGame(Record):
    """The bisection dispute game at the model's parameters."""

    TITLE = "bisection dispute game"

    trace_steps: int = quantity("count", "N")
    bisection_arity: int = quantity("count", "k")
    rounds: int = quantity("count", "R = ceil(log_k N)")
    move_gas: float = quantity("gas", "per move")
    dispute_step_gas: float = quantity("gas", "the one-step check")
    move_usd: float = quantity("USD", "per move")
    worst_case_duration_s: float = quantity("s", "D = R T + settlement + censorship")
    window_s: float = quantity("s", "W")
    fits_window: bool = quantity("", "D <= W")
    spe_fraud: SpePlay = quantity("", "against a lying prover")
    spe_grief: SpePlay = quantity("", "against a griefing challenger")
    full_fraud: DisputeOutcome = quantity("", "a lying prover plays to the end")
    full_grief: DisputeOutcome = quantity("", "a griefing challenger plays to the end")
    loss_to_gas_ratio_fraud: float = quantity("", "attacker's loss / honest gas, fraud")
    loss_to_gas_ratio_grief: float = quantity("", "attacker's loss / honest gas, griefing")
    level_bond_usd: float = quantity("USD", "bond per move")
    breakeven_delay_usd_per_s: float = quantity("USD/s", "delay value above which a griefer stalls for D")
    breakeven_delay_prover_usd_per_s: float = quantity("USD/s", "delay value above which a challenged lying prover stalls for D")
    max_sequential_sybil_provers: int = quantity("count", "sequential Sybil provers an honest challenger defeats within W")
    sybils: tuple[SybilAttack, ...] = quantity("", "Sybil attacks")
    tree_matches_compact: bool = quantity("", "the compact backward induction equals the materialised tree's (N = 16), both liars: the SPE's independent check")


@dataclasses.dataclass(frozen=True, repr=False)
class EquilibriaAnalysis(Record):
    """The equilibria of a model's games (see the module docstring).

    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model())
    >>> a  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    EquilibriaAnalysis('equilibria: inspection game, n challengers, dispute game')
      loss_convention = forfeit
      solver_agrees_with_closed_form = True
      max_inspection_regret_usd = $0
      n_model = 3
      max_sweep_regret_usd = $...
      full_game_agrees = True
      illustrative_slashes_usd = (100000.0, 4950.0, 990.0)
    >>> a.solver_agrees_with_closed_form, a.dispute.rounds, a.dispute.to_dict()["fits_window"]
    (True, 40, True)
    >>> "inspection_games" in a.to_dict()
    True
    """

    TITLE = "equilibria: inspection game, n challengers, dispute game"
    TABLE = "inspection_games"
    SUMMARY = (
        "loss_convention", "solver_agrees_with_closed_form", "max_inspection_regret_usd", "n_model", "max_sweep_regret_usd",
        "full_game_agrees", "illustrative_slashes_usd",
    )  # fmt: skip

    loss_convention: Literal["forfeit", "keep"] = quantity("", "the convention in force")
    inspection_games: tuple[InspectionGameRow, ...] = quantity("", "per deviation and convention")
    solver_agrees_with_closed_form: bool = quantity("", "on every inspection game")
    max_inspection_regret_usd: Fraction = quantity("USD", "the largest exact regret of a closed-form equilibrium (0)")
    n_model: int = quantity("count", "the model's challengers")
    illustrative_slashes_usd: tuple[float, ...] = quantity("USD", "the slashes of the sweeps")
    sweeps: tuple[ChallengerSweepRecord, ...] = quantity("", "one per illustrative slash")
    sweep_rows: tuple[SweepRow, ...] = quantity("", "the points the section's table shows")
    max_sweep_regret_usd: float = quantity("USD", "the largest regret over every sweep point")
    full_game: tuple[FullGameCheck, ...] | None = quantity("", "the full (n+1)-player game per slash; None for n outside 1..3")
    full_game_agrees: bool | None = quantity("", "every full-game check agrees; None when not run")
    dispute: DisputeGame = quantity("", "the bisection dispute game")


def _inspection_row(model: Model, deviation: str, convention: str) -> InspectionGameRow:
    chk = inspection_check(model, deviation, convention)
    cf = chk.closed_form
    x, y = cf.exact_point
    r = regret(chk.solved.game, [[1 - x, x], [y, 1 - y]])
    return InspectionGameRow(
        deviation=deviation,
        convention=convention,  # type: ignore[arg-type]
        in_force=convention == model.loss_convention,
        kind=cf.kind,  # type: ignore[arg-type]
        fraud_rate=float(cf.fraud_rate),
        monitoring_rate=float(cf.monitoring_rate),
        detection_probability=float(cf.detection_probability),
        extreme_equilibria=tuple((Fraction(a), Fraction(b)) for a, b in chk.extreme_points),
        degenerate=bool(chk.solved.degenerate),
        agrees=chk.agrees,
        regret_usd=Fraction(r),
    )


def _sweep(model: Model, s: float) -> ChallengerSweepRecord:
    sw = challenger_sweep(model.with_values(slash_usd=s), NS, "wrong_output", model.loss_convention)
    return ChallengerSweepRecord(
        slash_usd=float(s),
        model_slash=s == model.value("slash_usd"),
        n=tuple(int(v) for v in sw.n),
        fraud_rate=tuple(float(v) for v in sw.fraud_rate),
        monitoring_rate=tuple(float(v) for v in sw.monitoring_rate),
        challenger_detection=tuple(float(v) for v in sw.challenger_detection),
        detection_probability=tuple(float(v) for v in sw.detection_probability),
        kind=tuple(str(v) for v in sw.kind),
        max_regret_usd=float(sw.max_regret),
        tolerance_usd=float(sw.tolerance),
    )


def spe_regret(params: DisputeParams, spe: SPE) -> float:
    """The SPE's regret: the most the mover of any node of the compact chain gains by switching
    its action there (continue <-> concede, open <-> not), play after that node unchanged (ours).

    By the one-shot deviation principle (finite perfect-information games) a plan is subgame
    perfect iff this is 0 at every node, reached or not. It re-evaluates the plan against the
    game's payoffs node by node, apart from the backward induction that built it.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> p = DisputeParams.from_model(load_model())
    >>> spe_regret(p, subgame_perfect(p, "prover")), spe_regret(p, subgame_perfect(p, "challenger"))
    (0.0, 0.0)
    """
    lz = LIARS.index(spe.liar)
    R = params.rounds
    if len(spe.plan) != R + 2 or len(spe.values) != R + 2:
        raise ValueError(f"spe: must have a plan and values for the R + 2 = {R + 2} nodes (got {len(spe.plan)})")

    def gap(a: tuple[float, float], b: tuple[float, float]) -> float:
        return max(abs(x - y) for x, y in zip(a, b))

    worst = 0.0
    # the final check: call it (the honest party wins) or concede
    m = params.mover(R + 1)
    call = dispute_outcome(params, lz, opened=True, winner=1 - lz, r=R + 1, conceded=False).payoffs
    concede = dispute_outcome(params, lz, opened=True, winner=1 - m, r=R + 1, conceded=True).payoffs
    chosen, alt = (call, concede) if spe.plan[R + 1] == "continue" else (concede, call)
    worst = max(worst, alt[m] - chosen[m], gap(spe.values[R + 1], chosen))  # a stated value must be what the plan gets
    for r in range(R, 0, -1):
        m = params.mover(r)
        stop = dispute_outcome(params, lz, opened=True, winner=1 - m, r=r, conceded=True).payoffs
        go = spe.values[r + 1]
        chosen, alt = (go, stop) if spe.plan[r] == "continue" else (stop, go)
        worst = max(worst, alt[m] - chosen[m], gap(spe.values[r], chosen))
    no = dispute_outcome(params, lz, opened=False, winner=None, r=0, conceded=False).payoffs
    chosen, alt = (spe.values[1], no) if spe.plan[0] == "open" else (no, spe.values[1])
    return float(max(worst, alt[1] - chosen[1], gap(spe.values[0], chosen), gap(spe.outcome.payoffs, chosen)))


def _spe(params: DisputeParams, spe: SPE) -> SpePlay:
    return SpePlay(liar=spe.liar, outcome=DisputeOutcome.of(spe.outcome), plan_first=tuple(spe.plan[:2]), method=spe.method, regret_usd=spe_regret(params, spe))  # type: ignore[arg-type]


def dispute_game(model: Model) -> DisputeGame:
    """The dispute game's record (module docstring)."""
    params = DisputeParams.from_model(model)
    d = analyse_dispute(params)
    small = dataclasses.replace(params, trace_steps=16)
    tree_ok = all(backward_induction(dispute_tree(small, liar))[0] == subgame_perfect(small, liar).outcome.payoffs for liar in ("prover", "challenger"))
    return DisputeGame(
        trace_steps=int(params.trace_steps),
        bisection_arity=int(params.bisection_arity),
        rounds=int(d.rounds),
        move_gas=float(d.move_gas),
        dispute_step_gas=float(params.dispute_step_gas),
        move_usd=float(d.move_usd),
        worst_case_duration_s=float(d.worst_case_duration_s),
        window_s=float(d.window_s),
        fits_window=bool(d.fits_window),
        spe_fraud=_spe(params, d.spe_fraud),
        spe_grief=_spe(params, d.spe_grief),
        full_fraud=DisputeOutcome.of(d.full_fraud),
        full_grief=DisputeOutcome.of(d.full_grief),
        loss_to_gas_ratio_fraud=float(d.loss_to_gas_ratio_fraud),
        loss_to_gas_ratio_grief=float(d.loss_to_gas_ratio_grief),
        level_bond_usd=float(params.level_bond_usd),
        breakeven_delay_usd_per_s=float(d.breakeven_delay_usd_per_s),
        breakeven_delay_prover_usd_per_s=float(d.breakeven_delay_prover_usd_per_s),
        max_sequential_sybil_provers=int(d.max_sequential_sybil_provers),
        sybils=tuple(SybilAttack(**dataclasses.asdict(r)) for r in d.sybils),
        tree_matches_compact=bool(tree_ok),
    )


def analyse(model: Model) -> EquilibriaAnalysis:
    """The equilibria of ``model``'s games (module docstring).

    Parameters
    ----------
    model : Model

    Returns
    -------
    EquilibriaAnalysis
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is recorded in the rows
        rows = tuple(_inspection_row(model, d, c) for d in DEVIATIONS for c in ("forfeit", "keep"))
    slashes = illustrative_slashes(model)
    sweeps = tuple(_sweep(model, s) for s in slashes)
    n_model = int(model.value("count"))
    sweep_rows = tuple(
        SweepRow(sw.slash_usd, n, sw.kind[k], sw.fraud_rate[k], sw.monitoring_rate[k], sw.challenger_detection[k], sw.detection_probability[k])
        for sw in sweeps
        for k, n in enumerate(sw.n)
        if n in REPORTED_N or n == n_model
    )
    full = None
    if 1 <= n_model <= 3:
        checks = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in slashes:
                cc = cross_check(model.with_values(slash_usd=s), n_model, "wrong_output", model.loss_convention)
                checks.append(
                    FullGameCheck(
                        slash_usd=float(s),
                        n=n_model,
                        agrees=bool(cc.agrees),
                        equilibria=len(cc.full.equilibria),
                        symmetric=int(cc.symmetric_equilibria),
                        complete=bool(cc.full.complete),
                        closed_form=(float(cc.closed_form[0]), float(cc.closed_form[1])),
                        regret_usd=float(cc.regret_in_full_game),
                    )
                )
        full = tuple(checks)
    return EquilibriaAnalysis(
        loss_convention=model.loss_convention,  # type: ignore[arg-type]
        inspection_games=rows,
        solver_agrees_with_closed_form=all(r.agrees for r in rows),
        max_inspection_regret_usd=max(r.regret_usd for r in rows),
        n_model=n_model,
        illustrative_slashes_usd=tuple(slashes),
        sweeps=sweeps,
        sweep_rows=sweep_rows,
        max_sweep_regret_usd=max(sw.max_regret_usd for sw in sweeps),
        full_game=full,
        full_game_agrees=None if full is None else all(f.agrees for f in full),
        dispute=dispute_game(model),
    )
