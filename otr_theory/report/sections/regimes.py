"""Report section: secure parameter regimes -- the region, the cheapest point, certificates.

Renders :class:`otr_theory.regimes.analysis.RegimeAnalysis` (the secure region of (S, rho, W, n)
under both readings of the challengers' detection, on the over-time criterion; the cheapest secure
point and the cheapest point with a z3-certified box around it beside the model's own operating
point; the certificates, whose SMT-LIB 2 text is in results.json and beside the report; the
Pareto front; the sensitivity to the uncertain inputs). Computes nothing: the figures are
:mod:`otr_theory.plotting.regimes` (the two region maps evaluate the region on a fine grid there).
The figure functions are re-exported here for the notebooks that still import them from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from otr_theory.model import Model
from otr_theory.plotting.regimes import (
    OUTPUT_LABELS as _OUTPUT_LABELS,
)
from otr_theory.plotting.regimes import (
    pareto_figure,
    regime_map_figure,
    tornado_figure,
    tornado_pair_figure,
    window_map_figure,
)
from otr_theory.regimes.analysis import RegimeAnalysis, analyse
from otr_theory.regimes.optimise import OperatingPoint
from otr_theory.report.core import Figure, Section, fmt, md_table

__all__ = [
    "SENSITIVITY_SAMPLES",
    "build",
    "pareto_figure",
    "regime_map_figure",
    "render",
    "tornado_figure",
    "window_map_figure",
]

SENSITIVITY_SAMPLES = 256
"""Sobol base sample of the report: 256 x (D + 2) model evaluations."""


def _hours(s: float) -> str:
    return f"{s / 3600:.4g} h"


def _usd(x: float) -> str:
    """Dollars: thousands separated above $1,000, four significant digits below."""
    return f"{x:,.0f}" if abs(x) >= 1000 and x == x and abs(x) != float("inf") else fmt(x)


def _point_rows(ops: Sequence[OperatingPoint]) -> list[list]:
    rows = []
    for op in ops:
        p = op.point
        c = p.cost_components_usd
        rows.append(
            [
                op.label,
                _usd(p.slash_usd),
                p.spot_check_rate,
                _hours(p.window_s),
                p.count,
                _usd(p.margin_usd),
                _usd(op.box_margin_usd if op.box_rel > 0 else p.margin_usd),
                _usd(p.one_query_margin_usd),
                p.cost_usd,
                c["proof_usd"],
                c["capital_usd"],
                _hours(p.final_s),
                "yes" if p.secure else "no",
            ]
        )
    return rows


def _box_words(box) -> str:
    names = {"slash_usd": "S", "spot_check_rate": "rho", "window_s": "W (s)"}
    return ", ".join(f"{names.get(k, k)} in [{fmt(lo, 5)}, {fmt(hi, 5)}]" for k, (lo, hi) in box.items())


def build(model: Model) -> Section:
    """The ``regimes`` section of the report."""
    return render(analyse(model, sensitivity_method="auto", sensitivity_samples=SENSITIVITY_SAMPLES), model)


def render(a: RegimeAnalysis, model: Model) -> Section:
    """The section for the record ``a`` (formatting and figures only)."""
    sw = a.sweep
    ops = list(a.points)
    parts: list[str] = []
    parts.append(
        "A regime point is a slash S (the stake locked is S itself), a spot-check rate rho, a challenge window W and a number "
        "of challengers n. It is **secure** when the best strategy a compromised prover can play *over time* loses at least "
        f"the declared margin m = ${fmt(model.value('incentive_margin_usd'))} (loss convention `{model.loss_convention}`): "
        "it cheats on every query of its chosen gain classes until it is caught, keeps cheating during the detection lag L "
        "(the proof deadline for a spot-check, the dispute for a challenge), and is slashed once (cost of corruption against "
        "profit from corruption; EigenLayer, Durvasula and Roughgarden 2024, Budish). Also: the window exceeds the longest "
        "dispute under censorship (theorem 3) and lets a demanded proof land before final finality (unless pending results "
        "are reverted on a slash), at least one challenger watches, and any latency bound or stake cap holds. The stake's "
        "capital cost is in the cost per query."
    )
    parts.append(
        "```math\n"
        "\\max_{d,j}\\; p\\,B_{d,j} \\leq -m, \\quad p = 1-(1-\\rho_{\\mathrm{eff}})(1-q)\n"
        + ("B_j = g_j(1-p)/p + nL\\bar g\\,(1-p) - S_{\\mathrm{eff}} - F\n" if model.loss_convention == "forfeit" else "B_j = g_j/p + nL\\bar g - S_{\\mathrm{eff}} - F\n")
        + "W > \\lceil \\log_k N \\rceil\\, t_{\\mathrm{round}} + t_{\\mathrm{settle}} + c_{\\mathrm{blocks}}\\, t_{\\mathrm{block}}, \\quad W \\geq t_{\\mathrm{deadline}}\n"
        "```"
    )
    parts.append(
        "Two readings of the challengers' detection q: **spot-checks only** (q = 0, lazy or bribed challengers: the verifier's "
        "dilemma) is what the protocol guarantees, and the region, the cheapest point, the certificates and the `diff` gate "
        "use it; **at equilibrium** counts the challengers at their symmetric equilibrium monitoring rate of the one-query "
        "inspection game (where the spot-checks deter that game, nobody monitors), which also shortens the lag to the "
        "dispute's. The one-query condition (one cheated query against a fresh stake, no lag) is the special case L = 0, "
        "M = 1; the tables show it as what it is."
    )
    frac = sw.secure_fraction
    parts.append(
        md_table(
            ["sweep grid", "value"],
            [
                ("points (S x rho x W x n)", f"{sw.grid_points:,} = " + " x ".join(str(s) for s in sw.shape)),
                ("secure, spot-checks only", f"{sw.secure_points['spot_checks_only']:,} ({frac['spot_checks_only']:.2%})"),
                ("secure, challengers at equilibrium", f"{sw.secure_points['equilibrium']:,} ({frac['equilibrium']:.2%})"),
                ("window bound W_min (W must exceed it)", f"{a.min_window_s:,.0f} s = {_hours(a.min_window_s)}"),
                (
                    "proof window (W must be at least it)",
                    f"{a.proof_window_s:,.0f} s = {_hours(a.proof_window_s)}" if a.proof_window_s > 0 else "none (pending results revert, or no spot-check bites)",
                ),
                ("stake cap", "none: any stake can be raised, at its capital cost" if a.options.max_stake_usd is None else f"${_usd(a.options.max_stake_usd)}"),
                ("stake's capital cost", f"locked per {a.options.stake_scope}; the stake locked is S itself, shared by {int(model.value('replicas_per_stake'))} replica(s)"),
            ],
        )
    )
    header = [
        "point",
        "S (USD)",
        "rho",
        "W",
        "n",
        "margin over time (USD)",
        "worst margin in box (USD)",
        "one-query margin (USD)",
        "cost/query (USD)",
        "proofs (USD)",
        "capital (USD)",
        "final finality",
        "secure",
    ]
    parts.append(
        "**The cheapest secure point beside the model's own operating point.** The cheapest point lies on the boundary of the "
        "region (the best strategy over time pays exactly -m, rounded up to four significant digits); the recommended point is the "
        f"cheapest whose box of +-{a.recommended.box_rel:.0%} in S, rho and W is secure, and z3 proves that box below. "
        "Costs include the expected ZK proofs, the capital cost of a stake S and the challengers' re-execution at their "
        "equilibrium rate (zero wherever the spot-checks alone deter)."
        if a.recommended is not None
        else "**No secure point exists** for this model: no stake deters every strategy over time with the spot-checks that bite, or the window or latency constraints cannot be met."
    )
    parts.append(md_table(header, _point_rows(ops)))
    if a.cheapest is not None:
        mp = a.model_point.point
        parts.append(
            f"At the model's point the best strategy over time {'loses' if mp.margin_usd >= 0 else 'gains'} ${_usd(abs(mp.margin_usd))} "
            f"({mp.best_attack.get('strategy', '').replace('_', ' ')}), for ${fmt(mp.cost_usd)} per query; the recommended point keeps a margin of at least "
            f"${_usd(a.recommended.box_margin_usd)} over its whole box for ${fmt(a.recommended.point.cost_usd)} per query."
        )
    if a.largest_gains:
        parts.append(
            "**Largest gains** for which each point stays secure (every other input at its value; bisection on the per-point "
            "reference): a recommended point is only as good as the gain it was computed for."
        )
        fields = sorted({f for g in a.largest_gains.values() for f in g})
        parts.append(md_table(["point", *fields], [[label, *(_usd(g.get(f, float("nan"))) for f in fields)] for label, g in a.largest_gains.items()]))
    cert_rows = []
    for c in a.certificates:
        cx = "" if c.counterexample is None else ", ".join(f"{k} = {fmt(c.counterexample[k], 6)}" for k in c.box) + f" breaks {', '.join(c.violated)}"
        cert_rows.append([c.label, _box_words(c.box), c.status, cx or "-", "n/a" if c.reevaluated_insecure is None else ("yes" if c.reevaluated_insecure else "NO"), f"{c.solver} {c.solver_version}"])
    parts.append(
        "**Certificates.** z3 decides, in nonlinear real arithmetic with exact rationals, whether any point of a box breaks a "
        "constraint (spot-checks only). A counterexample is re-evaluated with the numpy closed forms, which must call it "
        "insecure. Each query is written beside this report as SMT-LIB 2 ("
        + ", ".join(f"`certificates/{c.filename()}`" for c in a.certificates)
        + ") and kept in results.json (`certificates[].smtlib`), for another solver to re-check: "
        "`cvc5 certificates/recommended-box.smt2` must answer `unsat` for a proved box."
    )
    parts.append(md_table(["box", "ranges", "status", "counterexample", "insecure by numpy", "solver"], cert_rows))
    if a.robust:
        rows = []
        for r in a.robust:
            moved = {} if r.breaking is None else {k: x for k, x in r.breaking.items() if x != r.point.fixed.get(k, x)}
            rows.append([r.label, r.status, ", ".join(r.robust.uncertain) or "-", ", ".join(f"{k} = {fmt(x, 6)}" for k, x in moved.items()) or "-", ", ".join(r.robust.violated) or "-"])
        parts.append(
            "**Robust certificates.** The same claim with the uncertain inputs (gains, throughputs, latencies, shares: every "
            "certifiable field with a declared low/high) ranging over their declared ranges, not only at their values. "
            "*Not robust* means proved at the point values but broken inside the ranges; the breaking inputs come from z3's "
            "model and are re-evaluated in Python. Where pending results revert on a slash the payoff is exponential in the "
            "number of cheated queries; the certified no-revert condition is then sufficient."
        )
        parts.append(md_table(["box", "status", "ranged inputs", "breaking inputs (moved from their values)", "breaks"], rows))
    rec = next((c for c in a.certificates if c.label == "recommended box"), None)
    if rec is not None:
        parts.append("The recommended box's query (expected answer in the `:status` line):\n\n```smt2\n" + rec.smtlib.rstrip() + "\n```")
    front = a.pareto_front
    if front:
        pick = [front[round(i * (len(front) - 1) / 7)] for i in range(8)] if len(front) > 8 else list(front)
        parts.append(
            f"**Pareto front** of cost, time to final finality and security margin over the secure grid points: {len(front)} points. "
            "A longer window only adds finality time (and, with a stake per commitment, capital cost), so the front runs along "
            "the shortest secure window and trades cost for margin through rho and S."
        )
        parts.append(
            md_table(
                ["S (USD)", "rho", "W", "cost/query (USD)", "margin (USD)", "final finality"],
                [[_usd(p.slash_usd), p.spot_check_rate, _hours(p.window_s), p.cost_usd, p.margin_usd, _hours(p.final_s)] for p in pick],
            )
        )
    sens = a.sensitivity
    if sens is not None:
        rows = []
        for out in ("min_slash_usd", "cheapest_cost_usd"):
            idx = sens.indices[out]
            top = [(name, r) for name, r in idx.items() if r["ST"] > 0][:5]
            rows += [[_OUTPUT_LABELS[out], name, rec_["S1"], rec_["ST"], rec_["ST_conf"]] for name, rec_ in top]
            if not idx:
                rows.append([_OUTPUT_LABELS[out], sens.notes.get(out, "not computed"), "", "", ""])
        parts.append(
            f"**Sensitivity** to the {len(sens.inputs)} uncertain inputs (fields with a low/high range, the regime's own S, rho, W, n "
            f"excluded): Sobol indices over the uniform box of the ranges ({sens.samples:,} evaluations, seed {sens.seed}), first order "
            "S1 and total ST (with ST's 95% bootstrap half-width), the five largest by ST (inputs that do not move an output are left out); "
            "and the one-at-a-time swings in the figure."
        )
        parts.append(md_table(["output", "input", "S1", "ST", "ST +-"], rows))
    figures = [
        Figure("regime_map", "Secure region in (rho, S) at the model's window, with the stake that deters every strategy over time", regime_map_figure(model, points=ops)),
        Figure(
            "regime_window_map",
            "Secure region in (rho, W) at the recommended slash, with the window bound and the proof deadline",
            window_map_figure(model, slash_usd=(a.recommended.point.slash_usd if a.recommended is not None else None), points=ops),
        ),
        Figure("regime_pareto", "Pareto front of cost, time to final finality and security margin", pareto_figure(front, points=ops)),
    ]
    if sens is not None:
        figures.append(Figure("regime_tornado", "One-at-a-time sensitivity of the minimum slash and the cheapest cost", tornado_pair_figure(sens)))
    summary = []
    if a.recommended is not None and a.cheapest is not None:
        c, r, m = a.cheapest.point, a.recommended.point, a.model_point.point
        rc = next((x for x in a.certificates if x.label == "recommended box"), None)
        summary.append(
            f"The cheapest secure point is S = ${_usd(c.slash_usd)}, rho = {fmt(c.spot_check_rate)}, W = {_hours(c.window_s)} (n = {c.count}): "
            f"margin ${fmt(c.margin_usd)}, cost ${fmt(c.cost_usd)} per query. With a +-{a.recommended.box_rel:.0%} box: "
            f"S = ${_usd(r.slash_usd)}, rho = {fmt(r.spot_check_rate)}, W = {_hours(r.window_s)}, margin ${fmt(r.margin_usd)} "
            f"(at least ${fmt(a.recommended.box_margin_usd)} over the box), cost ${fmt(r.cost_usd)} per query, "
            f"{'certified by z3' if rc is not None and rc.proved else 'NOT certified (' + (rc.status if rc else 'no certificate') + ')'} for the box {_box_words(a.recommended.box)}."
        )
        summary.append(
            f"The model's operating point (rho = {fmt(m.spot_check_rate)}, S = ${_usd(m.slash_usd)}, W = {_hours(m.window_s)}) is "
            f"{'secure' if m.secure else 'NOT secure'} over time (margin ${_usd(m.margin_usd)}; the one-query margin, a single query against a fresh stake, is ${_usd(m.one_query_margin_usd)}) at ${fmt(m.cost_usd)} per query."
        )
        rg = next((x for x in a.robust if x.label == "recommended box, gains"), None)
        lg = a.largest_gains.get(a.recommended.label, {})
        if rg is not None:
            summary.append(
                f"The recommended box is {rg.status} over the declared gain ranges" + ("" if not lg else "; it stays secure up to " + ", ".join(f"{k} = ${_usd(x)}" for k, x in lg.items())) + "."
            )
    else:
        summary.append(f"No secure regime exists for {model.name}: with the spot-checks alone no stake deters every strategy over time (or the window/latency constraints fail).")
    return Section(
        key="regimes",
        title="Secure parameter regimes",
        markdown="\n\n".join(parts),
        results=a.to_dict(),
        figures=tuple(figures),
        summary=tuple(summary),
        attachments=tuple(a.attachments().items()),
    )
