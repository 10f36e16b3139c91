"""Benchmark: the full theorem check, and how it grows with trace length and window.

* ``otr-analyze check`` on the default model (target: under 20 s on 2 cores), median of runs;
* the obvious alternative, bounded model checking of the same nine invariant theorems from the
  initial states to depth d (no proof for longer traces), in the same run, with the ratio;
* growth with the trace length N (bisection rounds K = ceil(log2 N) from 10 to 100) and with
  the window W (from just above C + D to a year); the proofs are inductive, so they should not
  grow with either;
* the time to a counterexample when the window is too short (BMC depth and time).

Run from the repository root with the package importable:
``PYTHONPATH=. python benchmarks/bench_check.py``.
"""

from __future__ import annotations

import statistics
import time

from otr_theory.model import load_model
from otr_theory.smt.params import Params
from otr_theory.smt.prover import bmc
from otr_theory.smt.system import System
from otr_theory.smt.theorems import applicable_invariants, check


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _bmc_all(p: Params, depth: int) -> float:
    system = System(p)
    t0 = time.perf_counter()
    for th in applicable_invariants(p):
        prop = lambda s, L, th=th: L.And(*[c for _, c in th.clauses(s, L)])  # noqa: E731
        verdict, _, _ = bmc(system, prop, depth)
        if verdict != "clean":
            raise RuntimeError(f"BMC found {verdict} for theorem {th.number}")
    return time.perf_counter() - t0


def main(repeat: int = 3) -> None:
    model = load_model()
    p = Params.from_model(model)
    t_full, report = _timed(lambda: check(model), repeat)
    # nine theorems proved; theorem 7 (over time) is violated on the default: S = $100k does not deter
    assert {r.number for r in report.results if r.status != "proved"} == {7}
    print(f"full check, default model: {t_full:.2f} s (median of {repeat}; Houdini {report.strengthening['seconds']:.2f} s)")
    for depth in (4, 8, 12):
        t_bmc = _bmc_all(p, depth)
        print(f"  alternative: BMC of the {len(applicable_invariants(p))} invariant theorems to depth {depth:>2}: {t_bmc:.2f} s (ratio BMC / full check {t_bmc / t_full:.2f}; bounded, not a proof)")

    print("\ngrowth with trace length N (arity 2):")
    for exp in (10, 20, 40, 60, 100):
        m = model.with_values(trace_steps=2**exp)
        pm = Params.from_model(m)
        w = max(pm.censorship_s + pm.dispute_bound_s + 3600, pm.window_s)
        m = m.with_values(window_s=float(w))
        t, r = _timed(lambda m=m: check(m), 1)
        print(f"  N = 2^{exp:<3} K = {pm.rounds:>3}  W = {float(w):>9.0f} s  check {t:.2f} s  exit {r.exit_code}")

    print("\ngrowth with window W:")
    for w in (30_000, 86_400, 604_800, 31_536_000):
        m = model.with_values(window_s=float(w))
        t, r = _timed(lambda m=m: check(m), 1)
        print(f"  W = {w:>10} s  check {t:.2f} s  exit {r.exit_code}")

    print("\nwindow too short (W < C + D): time to the counterexamples")
    for w in (1_800, 60_000):  # one round timeout, and below C + D = 75,000 s
        m = model.with_values(window_s=float(w))
        t, r = _timed(lambda m=m: check(m), 1)
        found = ", ".join(f"T{x.number} {x.method}" for x in r.results if x.status == "violated")
        print(f"  W = {w:>6} s  check {t:.2f} s  exit {r.exit_code}: {found}")


if __name__ == "__main__":
    main()
