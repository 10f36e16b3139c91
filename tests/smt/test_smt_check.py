"""The property checker: every theorem proved on the default model, baselines, unknown never proved."""

from __future__ import annotations

import dataclasses

import pytest
import z3

from otr_theory.model import load_model, replica_query_rate
from otr_theory.smt.mutants import mutant
from otr_theory.smt.params import Params
from otr_theory.smt.prover import Budget, bmc, houdini, k_induction
from otr_theory.smt.system import System
from otr_theory.smt.theorems import check


def test_default_model_proves_every_theorem_but_incentives_over_time(default_report):
    """Theorems 1-6 and 8-10 are proved by inductive invariants; theorem 7, on the over-time
    criterion, is violated: S = $100k does not deter a prover that cheats until caught."""
    assert [r.number for r in default_report.results] == list(range(1, 11))
    status = {r.number: r.status for r in default_report.results}
    assert status == {**{n: "proved" for n in range(1, 11)}, 7: "violated"}
    assert default_report.exit_code == 1
    kinds = {r.number: r.method for r in default_report.results}
    assert all(kinds[n] == "inductive invariant" for n in (1, 2, 3, 4, 5, 6, 8, 9, 10))
    assert kinds[7].startswith("nonlinear box")
    for r in default_report.results:
        assert r.solver == f"z3 {z3.get_version_string()}"
        assert r.seconds >= 0
        assert (r.counterexample is None) == (r.number != 7)


def test_default_tightest_point_is_the_over_time_payoff(default_report):
    """Theorem 7's tightest vertex, by hand in floats (forfeit, q = 0, compromised TEE):
    (1 - rho)(g_max + n gbar rho L_s) - rho (1 - a) S, n the replica's query rate times the replicas
    per stake, L_s the proof deadline, g_max the high-value gain, gbar = (1 - f) g + f g_max the mean,
    a the reward share the prover recovers through a Sybil (self-challenge, the default)."""
    m = load_model()
    rho, g, S, L_s = m.value("spot_check_rate"), m.value("external_gain_usd"), m.value("slash_usd"), m.value("proof_deadline_s")
    g_max, f = m.value("high_value_gain_usd"), m.value("high_value_fraction")
    gbar = (1 - f) * g + f * g_max
    assert m.value("reentry_cost_usd") == 0  # no franchise term
    n = replica_query_rate(m.values()) * m.value("replicas_per_stake")
    assert m.self_challenge
    by_hand = (1 - rho) * (g_max + n * gbar * rho * L_s) - rho * (1 - m.value("challenger_reward_share")) * S
    assert 2e5 < by_hand < 3e5
    shown = default_report.results[6].detail.split("payoff $")[1].split(" ")[0]
    assert float(shown.replace(",", "")) == pytest.approx(by_hand, rel=1e-6)


def test_strengthening_is_an_inductive_invariant(params, default_report):
    """Independent re-check of Houdini's output: Init => I and I and T => I' by fresh solvers."""
    from otr_theory.smt.lemmas import CANDIDATES

    system = System(params)
    kept, stats = houdini(system, CANDIDATES)
    assert stats["kept"] == len(kept) == default_report.strengthening["lemmas_kept"]
    fns = [fn for name, fn in CANDIDATES if name in set(kept)]
    s0, i0, s1 = system.frame("a"), system.inputs("a"), system.frame("b")
    inv0 = z3.And([system.holds(f, s0) for f in fns])
    inv1 = z3.And([system.holds(f, s1) for f in fns])
    a = z3.Solver()
    a.add(system.init(s0), z3.Not(inv0))
    b = z3.Solver()
    b.add(inv0, system.trans(s0, i0, s1), z3.Not(inv1))
    assert a.check() == z3.unsat and b.check() == z3.unsat
    # and it is not vacuous: the invariant admits reachable states (an initial one)
    c = z3.Solver()
    c.add(system.init(s0), inv0)
    assert c.check() == z3.sat


def test_baselines(theorems_by_number):
    """What each theorem means for a scheme without some tier (see DESIGN.md and the report)."""
    status = {name: {r.number: r.status for r in check(load_model(name)).results} for name in ("centralized", "zkml", "opml", "poq")}
    assert set(status["centralized"].values()) == {"not applicable"}
    na = "not applicable"
    assert status["zkml"] == {1: "proved", 2: "proved", 3: na, 4: "proved", 5: na, 6: na, 7: "proved", 8: "proved", 9: na, 10: "proved"}
    # opML: nothing deters a cheat when nobody monitors (verifier's dilemma); its round timeout
    # (600 s) is shorter than the censorship bound (1,200 s): censored moves break theorems 1 and 2
    assert status["opml"] == {1: "violated", 2: "violated", 3: "proved", 4: "proved", 5: na, 6: na, 7: "violated", 8: "proved", 9: "proved", 10: "proved"}
    # PoQ: nothing binds the output to the registered model and no tier can fail: a downgrade reaches finality
    assert status["poq"] == {1: "violated", 2: "proved", 3: na, 4: "proved", 5: na, 6: na, 7: "violated", 8: "proved", 9: na, 10: "proved"}


def test_exit_codes_of_reports(default_report):
    assert default_report.exit_code == 1
    violated = dataclasses.replace(default_report.results[0], status="violated")
    unknown = dataclasses.replace(default_report.results[1], status="unknown")
    na = dataclasses.replace(default_report.results[2], status="not applicable")
    assert dataclasses.replace(default_report, results=(violated, unknown)).exit_code == 1
    assert dataclasses.replace(default_report, results=(unknown, na)).exit_code == 3
    assert dataclasses.replace(default_report, results=(na,)).exit_code == 0


@pytest.mark.parametrize("budget", [Budget(rlimit=1), Budget(rlimit=500)])
def test_unknown_is_never_proved(budget):
    """A solver starved of resources answers unknown: nothing may come out proved (deterministic)."""
    report = check(load_model(), budget=budget)
    statuses = [r.status for r in report.results]
    assert "proved" not in statuses
    assert "unknown" in statuses and "violated" not in statuses
    assert report.exit_code == 3


def test_tiny_timeout_on_a_hard_query_is_unknown(params):
    """BMC to depth 30 cannot finish in 1 ms per query: the engine says unknown, not clean."""
    system = System(params)
    verdict, depth, trace = bmc(system, lambda s, L: s.t >= 0, 30, budget=Budget(timeout_ms=1))
    assert verdict == "unknown" and trace is None


def test_unproved_and_not_refuted_is_unknown_bounded(params, theorems_by_number):
    """A violation deeper than the BMC depth, with no inductive proof: unknown, bounded to the depth."""
    bad = mutant("no_attestation_check").apply(params)  # its counterexample needs 4 steps
    report = check(bad, theorems=[theorems_by_number[5]], depth=2)
    (r,) = report.results
    assert r.status == "unknown" and r.method == "bounded to depth 2"
    assert "not proved" in r.detail


def test_k_induction_and_bmc_engines(params):
    system = System(params)
    clock = lambda s, L: s.t >= 0  # noqa: E731 - inductive on its own
    assert k_induction(system, clock, 1) == "unsat"
    assert bmc(system, clock, 3) == ("clean", 3, None)
    # not 1-inductive alone (needs lemmas), yet true: k-induction without strengthening fails
    window = lambda s, L: L.Implies(s.H.ph == 1, s.t <= s.H.open + s.D)  # noqa: E731
    assert k_induction(system, window, 1) == "sat"


def test_window_rule_is_strict_at_the_boundary(params, theorems_by_number):
    """cens + D < W: a window exactly C + D long lets finality race the last settlement."""
    tight = params.replace(window_s=params.censorship_s + params.dispute_bound_s)
    r = check(tight, theorems=[theorems_by_number[3]]).results[0]
    assert r.status == "violated"
    ok = params.replace(window_s=params.censorship_s + params.dispute_bound_s + 1)
    assert check(ok, theorems=[theorems_by_number[3], theorems_by_number[1]]).exit_code == 0


def test_keep_convention_and_compromise_free_model(theorems_by_number):
    m = load_model()
    raw = m.to_dict()
    raw["model"]["loss_convention"] = "keep"
    from otr_theory.model import loads_model_dict

    keep = Params.from_model(loads_model_dict(raw))
    r = check(keep, theorems=[theorems_by_number[7]]).results[0]
    assert r.status == "violated"
    # keep, compromised: the tightest vertex is q = 1 (every cheat challenged, after the challenge lag
    # L_c = C + K R + T, longer than the spot-check's L_s; a query also spot-checked is slashed at the
    # sooner L_s): g_max + n gbar [(1 - rho) L_c + rho min(L_s, L_c)] - (1 - a) S, g_max = 10,000 the
    # high-value gain, gbar = 0.999 * 100 + 0.001 * 10,000 = 109.9 (no franchise)
    n = replica_query_rate(m.values()) * m.value("replicas_per_stake")
    p = Params.from_model(m)
    assert "q = 1" in r.detail
    assert (m.value("high_value_gain_usd"), m.value("high_value_fraction"), m.value("reentry_cost_usd")) == (10_000, 0.001, 0)
    rho, ls, lc = m.value("spot_check_rate"), float(p.proof_deadline_s), float(p.challenge_lag_s)
    by_hand = 10_000 + n * 109.9 * ((1 - rho) * lc + rho * min(ls, lc)) - 0.5 * 100_000
    shown = r.detail.split("payoff $")[1].split(" ")[0]
    assert float(shown.replace(",", "")) == pytest.approx(by_hand, rel=1e-6)
    no_tee_risk = Params.from_model(m.with_values(compromised_fraction=0.0))
    r = check(no_tee_risk, theorems=[theorems_by_number[7]]).results[0]
    assert r.status == "proved" and "-$100,000" in r.detail  # caught surely: -S
