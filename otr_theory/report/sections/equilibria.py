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

from otr_theory.games.analysis import EquilibriaAnalysis, SpePlay, analyse
from otr_theory.model import Model
from otr_theory.plotting.equilibria import detection_vs_n_figure, fraud_vs_n_figure
from otr_theory.report.core import Figure, Section, fmt, md_table

__all__ = ["build", "render"]


def build(model: Model) -> Section:
    """The equilibria section of the report for ``model``."""
    return render(analyse(model), model)


def render(record: EquilibriaAnalysis, model: Model) -> Section:
    """The section from the analysis record (formatting and figures only)."""
    r = record
    conv = r.loss_convention
    rows = [
        (
            f"`{g.deviation}`",
            g.convention + (" (in force)" if g.in_force else ""),
            g.kind,
            g.fraud_rate,
            g.monitoring_rate,
            g.detection_probability,
            len(g.extreme_equilibria),
            "yes" if g.agrees else "NO",
            float(g.regret_usd),
        )
        for g in r.inspection_games
    ]
    sweep_rows = [(fmt(s.slash_usd), s.n, s.kind, s.fraud_rate, s.monitoring_rate, s.challenger_detection, s.detection_probability) for s in r.sweep_rows]
    d = r.dispute
    sybil_rows = [(s.side, s.sybils, s.mode, s.delay_s / 3600, "yes" if s.fits_window else "NO", s.honest_cost_usd, s.attacker_cost_usd, s.loss_to_gas_ratio) for s in d.sybils]
    dispute_rows = [
        ("trace steps N, arity k", f"{fmt(d.trace_steps)}, {d.bisection_arity}"),
        ("rounds R = ceil(log_k N)", d.rounds),
        ("gas per move / per one-step check", f"{fmt(d.move_gas)} / {fmt(d.dispute_step_gas)}"),
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
        ("level bond per move (USD)", d.level_bond_usd),
        ("delay value above which a griefer stalls for D (USD/s)", d.breakeven_delay_usd_per_s),
        ("delay value above which a challenged lying prover stalls for D (USD/s)", d.breakeven_delay_prover_usd_per_s),
        ("sequential Sybil provers an honest challenger defeats within W", d.max_sequential_sybil_provers),
        ("SPE regret: the most a mover gains by one changed action, fraud / griefing (USD; 0: subgame perfect)", f"{fmt(d.spe_fraud.regret_usd)} / {fmt(d.spe_grief.regret_usd)}"),
        ("compact backward induction = materialised tree (N = 16)", "yes" if d.tree_matches_compact else "NO"),
    ]
    n_model = r.n_model
    body = "\n\n".join(
        [
            "The inspection game of one query between the prover and a challenger (prover rows honest/cheat, "
            "challenger columns monitor/idle), for a prover whose TEE is compromised (an intact TEE's attestation "
            "rejects every deviation). Each game is solved twice: by exact vertex enumeration of the best-response "
            "polytopes (all extreme equilibria, in rationals) and by the closed form of the payoff model; "
            "*agrees* means the two equilibrium sets coincide, and *regret* is the closed form's equilibrium's regret "
            "in the exact game (0: it is an equilibrium).",
            "```math\nx^* = \\frac{c}{aS}, \\quad y^* = \\frac{A}{A-B}\nA = (1-\\rho)G - \\rho S \\;(\\mathrm{forfeit}), \\quad A = G - \\rho S \\;(\\mathrm{keep})\n```",
            md_table(["deviation", "convention", "kind", "fraud rate x", "monitoring y", "detection p", "extreme equilibria", "agrees", "regret (USD)"], rows),
            f"With n challengers (symmetric equilibrium, wrong output, `{conv}`): the prover's indifference pins the "
            "challengers' joint detection q, so p does not grow with n; each challenger monitors less and the fraud "
            "rate rises towards a limit (the volunteer's dilemma). Slashes below the model's are shown where the "
            "spot-checks alone do not deter. Every point is checked by its regret in the n-challenger game "
            f"(max {fmt(r.max_sweep_regret_usd)}).",
            md_table(["slash S (USD)", "n", "kind", "fraud rate x", "monitoring y", "challenger detection q", "detection p"], sweep_rows),
            (
                f"Full ({n_model}+1)-player game solved by polynomial support enumeration: the closed form's symmetric "
                "equilibrium is found in it at every slash shown: " + ("yes" if r.full_game_agrees else "NO") + "."
                if r.full_game is not None
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
    in_force = next(g for g in r.inspection_games if g.deviation == "wrong_output" and g.in_force)
    summary = (
        f"Inspection game (wrong output, `{conv}`, attestation bypassed): {in_force.kind} equilibrium with fraud rate "
        f"{fmt(in_force.fraud_rate)} and monitoring rate {fmt(in_force.monitoring_rate)}; exact solver and closed form "
        f"{'agree' if r.solver_agrees_with_closed_form else 'DISAGREE'} on all {len(r.inspection_games)} games.",
        f"Dispute game: {d.rounds} rounds, worst case {fmt(d.worst_case_duration_s / 3600)} h against a "
        f"{fmt(d.window_s / 3600)} h window ({'fits' if d.fits_window else 'does NOT fit'}); attacker's loss over honest gas "
        f"{fmt(d.loss_to_gas_ratio_fraud)} against fraud, {fmt(d.loss_to_gas_ratio_grief)} against griefing (BoLD's resource "
        "ratio: the dispute section).",
    )
    figures = (
        Figure("detection_vs_n", "equilibrium detection probability against the number of challengers", detection_vs_n_figure(r, spot_check_rate=model.value("spot_check_rate"))),
        Figure("fraud_vs_n", "equilibrium fraud and monitoring rates against the number of challengers", fraud_vs_n_figure(r)),
    )
    return Section(key="equilibria", title="Equilibria: inspection game, n challengers, dispute game", markdown=body, results=r.to_dict(), figures=figures, summary=summary)


def _spe_words(spe: SpePlay) -> str:
    o = spe.outcome
    if not o.opened:
        return "no dispute is opened"
    how = "concedes" if o.conceded else "loses the one-step check"
    loser = "prover" if o.winner == "challenger" else "challenger"
    return f"the {loser} {how} in round {o.resolved_round}; the {o.winner} wins after {fmt(o.duration_s / 3600)} h"
