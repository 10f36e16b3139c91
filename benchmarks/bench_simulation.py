"""Benchmark: the vectorized simulation against the event-by-event reference, in the same run.

Both engines simulate the same plan (same model, policy and random stream); the script checks
that they agree exactly on a common sample, then times each and prints queries per second and
the ratio. Two parameter points: the default model (equilibrium: nobody cheats, nobody
monitors) and a stressed one (mixed equilibrium: fraud, monitoring, disputes on every branch).

Usage::

    PYTHONPATH=. python benchmarks/bench_simulation.py [--queries N] [--reference-queries N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

from otr_theory.model import load_model
from otr_theory.simulation import plan_simulation
from otr_theory.simulation.engine import run_event_by_event, run_vectorized


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench(name: str, model, queries: int, reference_queries: int, repeat: int) -> dict:
    small = plan_simulation(model, queries=reference_queries, seed=1)
    if not run_event_by_event(small).same_as(run_vectorized(small)):
        raise SystemExit(f"{name}: the engines disagree on the same stream")
    big = plan_simulation(model, queries=queries, seed=1)
    t_vec = _best(lambda: run_vectorized(big), repeat)
    t_ref = _best(lambda: run_event_by_event(small), max(1, repeat // 2))
    vec_qps, ref_qps = queries / t_vec, reference_queries / t_ref
    return {"point": name, "vectorized_qps": vec_qps, "event_by_event_qps": ref_qps, "ratio": vec_qps / ref_qps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=4_000_000, help="queries for the vectorized engine")
    ap.add_argument("--reference-queries", type=int, default=100_000, help="queries for the event-by-event engine")
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions (best of)")
    args = ap.parse_args()
    m = load_model()
    points = {
        "default (honest, idle)": m,
        "stressed (mixed equilibrium)": m.with_values(external_gain_usd=10_000.0, slash_usd=1_000.0, check_cost_usd_per_query=20.0, compromised_fraction=1.0),
    }
    print(f"{'point':<30} {'vectorized q/s':>15} {'event-by-event q/s':>19} {'ratio':>8}")
    for name, model in points.items():
        r = bench(name, model, args.queries, args.reference_queries, args.repeat)
        print(f"{r['point']:<30} {r['vectorized_qps']:>15,.0f} {r['event_by_event_qps']:>19,.0f} {r['ratio']:>7.1f}x")


if __name__ == "__main__":
    main()
