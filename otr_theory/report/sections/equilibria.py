"""Report section: equilibria of the inspection game, the n-challenger game and the dispute game.

For the model's parameters:

* the one-challenger inspection game per deviation under both loss conventions (the one in force
  marked), solved by exact vertex enumeration (:mod:`otr_theory.games.bimatrix`) and compared
  with the closed form of :mod:`otr_theory.payoffs`; these games describe a prover whose TEE is
  compromised (with an intact TEE the attestation check rejects every deviation);
* the symmetric equilibrium with n challengers, n = 1..10,000 (closed form, each point checked
  by its regret computed from the binomial distribution), at the model's slash and at two lower
  slashes where the spot-checks alone do not deter; the full (n+1)-player game solved for the
  model's n when n <= 3;
* the bisection dispute game (:mod:`otr_theory.games.dispute`): rounds, worst-case duration
  against the window, subgame-perfect play, the resource ratio and Sybil attacks, with the
  compact backward induction checked against the materialised tree of a 16-step trace.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from otr_theory.games.challengers import challenger_sweep, cross_check, inspection_check
from otr_theory.games.dispute import DisputeParams, analyse_dispute, dispute_tree, subgame_perfect
from otr_theory.games.tree import backward_induction
from otr_theory.model import FIELDS, Model
from otr_theory.payoffs import DEVIATIONS
from otr_theory.report.core import Figure, Section, fmt, md_table, new_figure

__all__ = ["build", "detection_vs_n_figure", "fraud_vs_n_figure", "illustrative_slashes"]

_SLASH_CHECK = next(f.check for f in FIELDS if f.name == "slash_usd")

NS = np.unique(np.round(np.logspace(0, 4, 41)).astype(int))
"""n = 1..10,000, log-spaced (41 points)."""


def _deterring_slash(model: Model, convention: str) -> float:
    """The slash above which spot-checks alone deter the wrong-output deviation (A = 0)."""
    g, rho = model.value("external_gain_usd"), model.value("spot_check_rate")
    if rho <= 0:
        return math.inf
    return (1 - rho) * g / rho if convention == "forfeit" else g / rho


def illustrative_slashes(model: Model) -> list[float]:
    """The model's slash and, where finite, 1/2 and 1/10 of the slash at which spot-checks alone deter."""
    s0 = _deterring_slash(model, model.loss_convention)
    out = [model.value("slash_usd")]
    if math.isfinite(s0) and s0 > 0:
        out += [float(f"{s0 / 2:.4g}"), float(f"{s0 / 10:.4g}")]
    # only slashes a model can hold (S <= stake, inside the field's range): an extreme model's
    # deterring slash may lie beyond them (issue 19)
    ok = [s for s in out if s == out[0] or (s <= model.value("stake_usd") and _SLASH_CHECK(s) is None)]
    return list(dict.fromkeys(ok))


def _sweeps(model: Model) -> dict[float, object]:
    return {
        s: challenger_sweep(model.with_values(slash_usd=s), NS, "wrong_output", model.loss_convention)
        for s in illustrative_slashes(model)
    }


def detection_vs_n_figure(model: Model, *, ax=None, sweeps=None):
    """Equilibrium detection probability p against the number of challengers n (log scale)."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    sweeps = sweeps or _sweeps(model)
    for i, (s, sw) in enumerate(sweeps.items()):
        label = f"S = ${fmt(s)}" + (" (model)" if s == model.value("slash_usd") else "")
        ax.semilogx(sw.n, sw.detection_probability, marker=".", color=f"C{i}", label=label)
    ax.axhline(model.value("spot_check_rate"), color="grey", ls=":", lw=0.8, label="spot-checks alone (rho)")
    ax.set_xlabel("number of challengers n")
    ax.set_ylabel("detection probability p of a cheated query")
    ax.set_title(f"More challengers do not raise detection (wrong output, {model.loss_convention})")
    ax.set_ylim(bottom=0)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def fraud_vs_n_figure(model: Model, *, ax=None, sweeps=None):
    """Equilibrium fraud rate x and monitoring rate y against n (log-log)."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    sweeps = sweeps or _sweeps(model)
    for i, (s, sw) in enumerate(sweeps.items()):
        if np.all(sw.fraud_rate == 0):
            continue
        ax.loglog(sw.n, sw.fraud_rate, color=f"C{i}", label=f"fraud rate x, S = ${fmt(s)}")
        ax.loglog(sw.n, sw.monitoring_rate, ls="--", color=f"C{i}", label=f"monitoring rate y, S = ${fmt(s)}")
    ax.set_xlabel("number of challengers n")
    ax.set_ylabel("probability")
    ax.set_title("Fraud rises and each challenger's monitoring falls with n")
    ax.grid(True, which="both", alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no fraud at any n: spot-checks alone deter", ha="center", va="center", transform=ax.transAxes)
    return fig


def build(model: Model) -> Section:
    conv = model.loss_convention
    rows = []
    checks = []
    res_inspection = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is reported in the table
        for dev in DEVIATIONS:
            for c in ("forfeit", "keep"):
                chk = inspection_check(model, dev, c)
                cf = chk.closed_form
                checks.append(chk.agrees)
                rows.append(
                    (
                        f"`{dev}`",
                        c + (" (in force)" if c == conv else ""),
                        cf.kind,
                        cf.fraud_rate,
                        cf.monitoring_rate,
                        cf.detection_probability,
                        len(chk.extreme_points),
                        "yes" if chk.agrees else "NO",
                    )
                )
                res_inspection[f"{dev}/{c}"] = {
                    "kind": cf.kind,
                    "fraud_rate": cf.fraud_rate,
                    "monitoring_rate": cf.monitoring_rate,
                    "detection_probability": cf.detection_probability,
                    "extreme_equilibria": [[x, y] for x, y in chk.extreme_points],
                    "degenerate": chk.solved.degenerate,
                    "solver_agrees_with_closed_form": chk.agrees,
                }
    sweeps = _sweeps(model)
    n_model = int(model.value("count"))
    at_n = {}
    for s, sw in sweeps.items():
        pts = {int(n): dict(fraud_rate=float(sw.fraud_rate[k]), monitoring_rate=float(sw.monitoring_rate[k]),
                            challenger_detection=float(sw.challenger_detection[k]), detection_probability=float(sw.detection_probability[k]),
                            kind=str(sw.kind[k])) for k, n in enumerate(sw.n) if n in (1, 10, 100, 1000, 10_000)}
        at_n[fmt(s)] = {"points": pts, "max_regret": sw.max_regret, "tolerance": sw.tolerance}
    full = None
    if 1 <= n_model <= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            full = {}
            for s in sweeps:
                cc = cross_check(model.with_values(slash_usd=s), n_model, "wrong_output", conv)
                full[fmt(s)] = {"agrees": cc.agrees, "equilibria": len(cc.full.equilibria),
                                "symmetric": cc.symmetric_equilibria, "complete": cc.full.complete,
                                "closed_form": list(cc.closed_form), "regret": cc.regret_in_full_game}
    sweep_rows = []
    for s, sw in sweeps.items():
        for k, n in enumerate(sw.n):
            if n in (1, 3, 10, 100, 1000, 10_000) or n == n_model:
                sweep_rows.append((fmt(s), int(n), sw.kind[k], sw.fraud_rate[k], sw.monitoring_rate[k], sw.challenger_detection[k], sw.detection_probability[k]))

    # the dispute game
    params = DisputeParams.from_model(model)
    d = analyse_dispute(params)
    small = dataclasses.replace(params, trace_steps=16)
    tree_ok = all(backward_induction(dispute_tree(small, liar))[0] == subgame_perfect(small, liar).outcome.payoffs for liar in ("prover", "challenger"))
    sybil_rows = [
        (r.side, r.sybils, r.mode, r.delay_s / 3600, "yes" if r.fits_window else "NO", r.honest_cost_usd, r.attacker_cost_usd, r.loss_to_gas_ratio)
        for r in d.sybils
    ]
    dispute_rows = [
        ("trace steps N, arity k", f"{fmt(params.trace_steps)}, {params.bisection_arity}"),
        ("rounds R = ceil(log_k N)", d.rounds),
        ("gas per move / per one-step check", f"{fmt(d.move_gas)} / {fmt(params.dispute_step_gas)}"),
        ("USD per move", d.move_usd),
        ("worst-case duration D = R T + settlement + censorship (h)", d.worst_case_duration_s / 3600),
        ("challenge window W (h)", d.window_s / 3600),
        ("D <= W", "yes" if d.fits_window else "NO"),
        ("SPE against a lying prover", _spe_words(d.spe_fraud)),
        ("SPE against a griefing challenger (no delay value)", _spe_words(d.spe_grief)),
        ("played to the end, lying prover: honest gas / attacker's cost (USD)", f"{fmt(d.full_fraud.gas_usd[1])} / {fmt(-d.full_fraud.payoffs[0])}"),
        ("loss-to-gas ratio, fraud (attacker's loss / honest gas)", d.loss_to_gas_ratio_fraud),
        ("played to the end, griefing challenger: honest gas / attacker's cost (USD)", f"{fmt(d.full_grief.gas_usd[0])} / {fmt(-d.full_grief.payoffs[1])}"),
        ("loss-to-gas ratio, griefing (attacker's loss / honest gas)", d.loss_to_gas_ratio_grief),
        ("level bond per move (USD)", params.level_bond_usd),
        ("delay value above which a griefer stalls for D (USD/s)", d.breakeven_delay_usd_per_s),
        ("delay value above which a challenged lying prover stalls for D (USD/s)", d.breakeven_delay_prover_usd_per_s),
        ("sequential Sybil provers an honest challenger defeats within W", d.max_sequential_sybil_provers),
        ("compact backward induction = materialised tree (N = 16)", "yes" if tree_ok else "NO"),
    ]

    body = "\n\n".join(
        [
            "The inspection game of one query between the prover and a challenger (prover rows honest/cheat, "
            "challenger columns monitor/idle), for a prover whose TEE is compromised (an intact TEE's attestation "
            "rejects every deviation). Each game is solved twice: by exact vertex enumeration of the best-response "
            "polytopes (all extreme equilibria, in rationals) and by the closed form of the payoff model; "
            "*agrees* means the two equilibrium sets coincide.",
            "```math\nx^* = \\frac{c}{aS}, \\quad y^* = \\frac{A}{A-B}\n"
            "A = (1-\\rho)G - \\rho S \\;(\\mathrm{forfeit}), \\quad A = G - \\rho S \\;(\\mathrm{keep})\n```",
            md_table(["deviation", "convention", "kind", "fraud rate x", "monitoring y", "detection p", "extreme equilibria", "agrees"], rows),
            f"With n challengers (symmetric equilibrium, wrong output, `{conv}`): the prover's indifference pins the "
            "challengers' joint detection q, so p does not grow with n; each challenger monitors less and the fraud "
            "rate rises towards a limit (the volunteer's dilemma). Slashes below the model's are shown where the "
            "spot-checks alone do not deter. Every point is checked by its regret in the n-challenger game "
            f"(max {fmt(max(sw.max_regret for sw in sweeps.values()))}).",
            md_table(["slash S (USD)", "n", "kind", "fraud rate x", "monitoring y", "challenger detection q", "detection p"], sweep_rows),
            (
                f"Full ({n_model}+1)-player game solved by polynomial support enumeration: the closed form's symmetric "
                "equilibrium is found in it at every slash shown: "
                + ("yes" if full and all(v["agrees"] for v in full.values()) else "NO")
                + "."
                if full is not None
                else f"(The full game is solved only for n <= 3; the model has n = {n_model}.)"
            ),
            "The bisection dispute game (worst case: every move takes the full timeout; censorship delays the honest "
            "party once). Once challenged, a lying prover loses its stake whatever it does, so stalling costs it only "
            "gas (and level bonds, 0 here): the worst-case duration, not the prover's incentives, is what the window "
            "must cover. *Within W* for Sybil provers means the honest challenger defeats them all before the window "
            "closes (otherwise the fraud finalises); for Sybil challengers it means the honest result is not delayed "
            "past W. The *loss-to-gas ratio* is the attacker's loss over the honest side's gas; the resource ratio as "
            "BoLD defines it (marginal cost, staking included, at a stress gas price) is in the dispute-design section.",
            md_table(["quantity", "value"], dispute_rows),
            md_table(["Sybils", "count", "mode", "delay (h)", "within W", "honest cost (USD)", "attacker cost (USD)", "loss-to-gas ratio"], sybil_rows),
        ]
    )
    in_force = res_inspection[f"wrong_output/{conv}"]
    summary = (
        f"Inspection game (wrong output, `{conv}`, attestation bypassed): {in_force['kind']} equilibrium with fraud rate "
        f"{fmt(in_force['fraud_rate'])} and monitoring rate {fmt(in_force['monitoring_rate'])}; exact solver and closed form "
        f"{'agree' if all(checks) else 'DISAGREE'} on all {len(checks)} games.",
        f"Dispute game: {d.rounds} rounds, worst case {fmt(d.worst_case_duration_s / 3600)} h against a "
        f"{fmt(d.window_s / 3600)} h window ({'fits' if d.fits_window else 'does NOT fit'}); attacker's loss over honest gas "
        f"{fmt(d.loss_to_gas_ratio_fraud)} against fraud, {fmt(d.loss_to_gas_ratio_grief)} against griefing (BoLD's resource "
        "ratio: the dispute section).",
    )
    results = {
        "loss_convention": conv,
        "inspection_game": res_inspection,
        "solver_agrees_with_closed_form": all(checks),
        "n_challengers": {"n_model": n_model, "by_slash": at_n, "full_game_cross_check": full},
        "dispute": {
            "rounds": d.rounds,
            "move_gas": d.move_gas,
            "move_usd": d.move_usd,
            "worst_case_duration_s": d.worst_case_duration_s,
            "window_s": d.window_s,
            "fits_window": d.fits_window,
            "spe_fraud": {"plan_first": d.spe_fraud.plan[:2], "outcome": dataclasses.asdict(d.spe_fraud.outcome)},
            "spe_grief": {"plan_first": d.spe_grief.plan[:2], "outcome": dataclasses.asdict(d.spe_grief.outcome)},
            "full_fraud": dataclasses.asdict(d.full_fraud),
            "full_grief": dataclasses.asdict(d.full_grief),
            "loss_to_gas_ratio_fraud": d.loss_to_gas_ratio_fraud,
            "loss_to_gas_ratio_grief": d.loss_to_gas_ratio_grief,
            "breakeven_delay_usd_per_s": d.breakeven_delay_usd_per_s,
            "breakeven_delay_prover_usd_per_s": d.breakeven_delay_prover_usd_per_s,
            "level_bond_usd": params.level_bond_usd,
            "max_sequential_sybil_provers": d.max_sequential_sybil_provers,
            "sybils": [dataclasses.asdict(r) for r in d.sybils],
            "tree_matches_compact": tree_ok,
        },
    }
    figures = (
        Figure("detection_vs_n", "equilibrium detection probability against the number of challengers", detection_vs_n_figure(model, sweeps=sweeps)),
        Figure("fraud_vs_n", "equilibrium fraud and monitoring rates against the number of challengers", fraud_vs_n_figure(model, sweeps=sweeps)),
    )
    return Section(key="equilibria", title="Equilibria: inspection game, n challengers, dispute game", markdown=body, results=results, figures=figures, summary=summary)


def _spe_words(spe) -> str:
    o = spe.outcome
    if not o.opened:
        return "no dispute is opened"
    how = "concedes" if o.conceded else "loses the one-step check"
    loser = "prover" if o.winner == "challenger" else "challenger"
    return f"the {loser} {how} in round {o.resolved_round}; the {o.winner} wins after {fmt(o.duration_s / 3600)} h"
