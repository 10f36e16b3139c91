"""The paper's headline claims beside the simulated values, with when each holds and when it fails.

The OTR abstract (arXiv 2512.20176) claims that "OTR achieves 99% of the throughput of
centralized baselines with a marginal cost overhead of $0.07 per query, maintaining Byzantine
fault tolerance against rational adversaries even in the presence of transient hardware
vulnerabilities". Its simulation setup is not available (shared/reference notes §0), so each claim
is set against our simulation of the model in force, and the conditions are ours:

* **throughput**: simulated relative throughput :math:`(1-f_{TEE})(1 - r_{rejected})`; holds iff
  :math:`f_{TEE} \\le 1 - 0.99/(1-r_{rejected})`;
* **cost**: simulated overhead over the centralized cost; the spot-check proofs
  :math:`\\rho(C_{zk} + \\text{verify gas})` dominate it, so it holds iff
  :math:`\\rho \\le (0.07 - \\text{other overhead})/(C_{zk} + \\text{verify gas})`;
* **safety**: the equilibrium of every catalogued deviation is honest (spot-checks alone deter:
  :math:`S \\ge S^*`) *and*, over one TEE compromise episode in which every query is forgeable,
  the best strategy in time (cheat until caught, and through the detection lag; the stake slashed
  once) loses at least the margin (:mod:`otr_theory.simulation.attack`, issue 12); the simulated
  fraud and undetected-fraud rates in equilibrium, and the undetected-fraud rate of an adversary
  that cheats whenever its TEE is forgeable (:math:`h(1-p)` per query), show what happens outside
  those conditions.
"""

from __future__ import annotations

import dataclasses
import math

from otr_theory.calibration.costs import relative_throughput
from otr_theory.fmt import fmt_duration, fmt_num, fmt_usd
from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS, minimum_slash
from otr_theory.simulation.policy import equilibrium_target
from otr_theory.simulation.result import SimulationResult
from otr_theory.simulation.stats import Estimate

__all__ = ["Claim", "PAPER_THROUGHPUT_RATIO", "PAPER_OVERHEAD_USD", "headline_claims"]


def fmt(x: float, digits: int = 4) -> str:
    """A number in ``digits`` significant figures, ∞ for infinity: the project's number format
    (:func:`otr_theory.fmt.fmt_num`; money goes through :func:`~otr_theory.fmt.fmt_usd`, times
    through :func:`~otr_theory.fmt.fmt_duration`).

    >>> fmt(0.1075), fmt(504257), fmt(float("inf"))
    ('0.1075', '504257', '∞')
    """
    return fmt_num(x, digits)


PAPER_THROUGHPUT_RATIO = 0.99
"""The abstract's "99% of the throughput of centralized baselines"."""

PAPER_OVERHEAD_USD = 0.07
"""The abstract's "marginal cost overhead of $0.07 per query"."""


@dataclasses.dataclass(frozen=True)
class Claim:
    """One headline claim beside the simulation.

    Attributes
    ----------
    key : str
        ``throughput``, ``cost`` or ``safety``.
    statement : str
        The claim in the abstract's words.
    paper_value : str
    simulated : Estimate
        The simulated quantity the claim is about.
    simulated_label : str
        What ``simulated`` measures.
    holds : bool
        Whether the claim holds for the model in force (point estimate against the claim).
    holds_when, fails_when : str
        The conditions (ours), with the numbers of the model in force.
    """

    key: str
    statement: str
    paper_value: str
    simulated: Estimate
    simulated_label: str
    holds: bool
    holds_when: str
    fails_when: str


def _throughput(model: Model, res: SimulationResult) -> Claim:
    est = res["throughput_relative"]
    tee = model.value("tee_overhead_fraction")
    accepted = 1.0 - res["rejected_rate"].value
    tee_max = 1.0 - PAPER_THROUGHPUT_RATIO / accepted if accepted > 0 else -math.inf
    with_proving = relative_throughput(model, include_proving=True)
    return Claim(
        key="throughput",
        statement="99% of the throughput of centralized baselines",
        paper_value="0.99",
        simulated=est,
        simulated_label="accepted queries/s relative to a centralized replica",
        holds=bool(est.value >= PAPER_THROUGHPUT_RATIO),
        holds_when=(
            f"the Confidential-Computing overhead is at most {fmt(max(tee_max, 0.0), 3)} (Phala measured ~0 for 70B models), ZK proofs run on separate provers, and fraud (rejected results) is rare"
        ),
        fails_when=(
            f"the TEE overhead is above that (this model: {fmt(tee, 3)}; the DGrid blog: 0.15-0.20), or the spot-check proofs share the serving GPUs (relative throughput {fmt(with_proving, 3)})"
        ),
    )


def _cost(model: Model, res: SimulationResult) -> Claim:
    est = res["cost_overhead_usd_per_query"]
    k = res.constants
    n = res.queries
    proof_unit = k["proof_usd"]
    proof_part = proof_unit * res.counts["proofs"] / n
    other = est.value - proof_part
    rho_max = (PAPER_OVERHEAD_USD - other) / proof_unit if proof_unit > 0 else math.inf
    rho = model.value("spot_check_rate")
    return Claim(
        key="cost",
        statement="a marginal cost overhead of $0.07 per query",
        paper_value="$0.07",
        simulated=est,
        simulated_label="cost per query minus the centralized cost (USD)",
        holds=bool(est.value <= PAPER_OVERHEAD_USD),
        holds_when=(
            f"rho (C_zk + verify gas) plus the rest of the overhead ({fmt_usd(other, 3)}: TEE slowdown, attestation, "
            f"commitment, capital, monitoring) stays under $0.07: at C_zk + verify gas = {fmt_usd(proof_unit, 4)}, "
            f"rho <= {fmt(max(rho_max, 0.0), 3)}"
        ),
        fails_when=(f"rho is above that (this model: {fmt(rho, 3)}, proofs alone {fmt_usd(proof_part, 3)} per query) or proofs cost more (zkLLM-scaled $3.4 to the DGrid blog's $45+ per proof)"),
    )


def _safety(model: Model, res: SimulationResult, adversary: SimulationResult | None) -> Claim:
    from otr_theory.simulation.attack import attack_inputs, best_attack, required_slash_usd

    est = res["undetected_fraud_rate"]
    targets = [equilibrium_target(model, deviation=d) for d in DEVIATIONS]
    deterred_per_query = all(t.fraud_rate == 0.0 for t in targets)
    # over time (issue 12): a compromised prover cheats on every query until caught, and through the lag
    ai = attack_inputs(model)
    margin = float(model.values().get("incentive_margin_usd", 0.0))
    best_profit, best_strategy = best_attack(ai)
    best_name = best_strategy.name if best_strategy is not None else "none"
    deterred_over_time = best_profit <= -margin
    s_over_time = required_slash_usd(ai, margin_usd=margin)
    deterred = deterred_per_query and deterred_over_time
    worst = max(targets, key=lambda t: t.gain_usd)
    s_star = minimum_slash(model, worst.deviation, variant="break_even")  # the one definition (no margin: where the equilibrium turns pure)
    slash = model.value("slash_usd")
    adv = ""
    if adversary is not None:
        a = adversary["undetected_fraud_rate"]
        adv = f"; an adversary that cheats whenever its TEE is forgeable gets {fmt(a.value, 3)} [{fmt(a.low, 3)}, {fmt(a.high, 3)}] undetected frauds per query (h(1-p))"
    return Claim(
        key="safety",
        statement="Byzantine fault tolerance against rational adversaries even in the presence of transient hardware vulnerabilities",
        paper_value="no fraud pays",
        simulated=est,
        simulated_label="undetected frauds per query, equilibrium play",
        holds=deterred and est.value == 0.0,
        holds_when=(
            f"spot-checks alone deter every catalogued deviation: S >= S* = {fmt_usd(s_star)} for the largest gain "
            f"({fmt_usd(worst.gain_usd)}, {worst.deviation}) under `{model.loss_convention}` (this model: S = {fmt_usd(slash)}), "
            "the selection is drawn after the commitment, missed proofs are slashed, and every caught fraud is slashed S; "
            f"and, over one compromise episode in which every query is forgeable ({fmt(ai.query_rate_per_s)} queries/s per stake), "
            f"the best attack loses the margin: a slash of at least {fmt_usd(s_over_time)} at p = {fmt(ai.detection_probability)} "
            f"with a {fmt_duration(ai.expected_lag_s)} detection lag (this model: the best attack, {best_name}, earns {fmt_usd(best_profit)} "
            f"in expectation{'' if best_profit > -margin else ', so it is deterred'})"
        ),
        fails_when=(
            f"a gain above S* (a bribe): the equilibrium turns mixed and fraud is paid for by challengers' checks{adv}; "
            f"or the stake is below {fmt_usd(s_over_time)}: the stake is slashed once, at most, while a compromised prover keeps "
            f"every gain it realised before the slash lands"
        ),
    )


def headline_claims(model: Model, result: SimulationResult, *, adversary: SimulationResult | None = None) -> tuple[Claim, ...]:
    """The three headline claims of the abstract beside ``result`` (a run of ``model``).

    Parameters
    ----------
    model : Model
    result : SimulationResult
        A run under the equilibrium policy.
    adversary : SimulationResult, optional
        A run of the same model with a prover that cheats whenever it can forge (for the
        safety claim's failure mode).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> from otr_theory.simulation import simulate
    >>> m = load_model()
    >>> claims = headline_claims(m, simulate(m, queries=20_000, seed=0))
    >>> [(c.key, c.holds) for c in claims]  # safety: a compromised prover's attack over time pays
    [('throughput', True), ('cost', True), ('safety', False)]
    """
    return (_throughput(model, result), _cost(model, result), _safety(model, result, adversary))
