"""Benchmark: the simulation engine against its references, each in the same run, as ratios.

Three measures (issue 17):

1. the vectorized engine against the event-by-event reference (same plan, same stream; the
   script first checks that they agree exactly on a common sample): goal >= 100x;
2. the vectorized engine against the bare random-number floor, numpy drawing the 8 uniforms a
   query that the engine used to read (``Generator(Philox).random((m, 8))`` per chunk): goal
   >= 0.8 of the floor;
3. ``otr-analyze simulate --queries 1000000`` end to end, imports included (a fresh
   interpreter): goal >= 10^6 queries/s.

Two parameter points: the default model (equilibrium: nobody cheats, nobody monitors) and a
stressed one (mixed equilibrium: fraud, monitoring, disputes, slashes on every branch). Timings
are the best of ``--repeat`` interleaved runs.

Usage::

    PYTHONPATH=. python benchmarks/bench_simulation.py [--queries N] [--reference-queries N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np

from otr_theory.model import load_model
from otr_theory.simulation import plan_simulation
from otr_theory.simulation.engine import run_event_by_event, run_vectorized


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def floor(queries: int, chunk: int = 1 << 16) -> None:
    """The bare random-number floor: 8 float64 uniforms a query, chunk by chunk."""
    seed = np.random.SeedSequence(1)
    for start in range(0, queries, chunk):
        bits = np.random.Philox(seed)
        bits.advance(start * 2)
        np.random.Generator(bits).random((min(chunk, queries - start), 8))


def bench(name: str, model, queries: int, reference_queries: int, repeat: int) -> dict:
    small = plan_simulation(model, queries=reference_queries, seed=1)
    if not run_event_by_event(small).same_as(run_vectorized(small)):
        raise SystemExit(f"{name}: the engines disagree on the same stream")
    big = plan_simulation(model, queries=queries, seed=1)
    t_vec, t_floor, t_ref = [], [], []
    for i in range(repeat):  # interleaved, so that a busy machine slows all three alike
        t_vec.append(_time(lambda: run_vectorized(big)))
        t_floor.append(_time(lambda: floor(queries)))
        if i < max(1, repeat // 2):
            t_ref.append(_time(lambda: run_event_by_event(small)))
    vec, flo, ref = queries / min(t_vec), queries / min(t_floor), reference_queries / min(t_ref)
    return {"point": name, "vectorized_qps": vec, "floor_qps": flo, "event_by_event_qps": ref, "vs_reference": vec / ref, "vs_floor": vec / flo}


_COMMAND_PATH = (
    "import sys, types, pathlib, otr_theory\n"
    "pkg = types.ModuleType('otr_theory.cli'); pkg.__path__ = [str(pathlib.Path(otr_theory.__file__).parent / 'cli')]\n"
    "sys.modules['otr_theory.cli'] = pkg\n"
    "from otr_theory.cli.simulate import simulate\n"
    "simulate.main(sys.argv[1:], standalone_mode=True)\n"
)
"""The simulate command without otr_theory/cli/__init__.py (which registers, and so imports, every
command): what ``otr-analyze simulate`` costs once the group imports its commands lazily."""


def end_to_end(queries: int, repeat: int, *, command_path_only: bool = False) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    args = ["--queries", str(queries), "--quiet", "--json"]
    if command_path_only:
        cmd = [sys.executable, "-c", _COMMAND_PATH, *args]
    else:
        cmd = [sys.executable, "-m", "otr_theory", "simulate", *args]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - t0)
    return queries / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=4_000_000, help="queries for the vectorized engine and the floor")
    ap.add_argument("--reference-queries", type=int, default=50_000, help="queries for the event-by-event engine")
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions (best of)")
    args = ap.parse_args()
    m = load_model()
    points = {
        "default (honest, idle)": m,
        "stressed (mixed equilibrium)": m.with_values(external_gain_usd=10_000.0, slash_usd=1_000.0, check_cost_usd_per_query=20.0, compromised_fraction=1.0),
    }
    print(f"{'point':<30} {'engine q/s':>12} {'floor q/s':>12} {'reference q/s':>14} {'vs reference':>13} {'vs floor':>9}")
    for name, model in points.items():
        r = bench(name, model, args.queries, args.reference_queries, args.repeat)
        print(f"{r['point']:<30} {r['vectorized_qps']:>12,.0f} {r['floor_qps']:>12,.0f} {r['event_by_event_qps']:>14,.0f} {r['vs_reference']:>12.1f}x {r['vs_floor']:>8.2f}x")
    e2e = end_to_end(1_000_000, args.repeat)
    print(f"otr-analyze simulate --queries 1000000 --json end to end (imports included): {e2e:,.0f} queries/s ({e2e / 1e6:.2f}x the 10^6 goal)")
    path = end_to_end(1_000_000, args.repeat, command_path_only=True)
    print(f"  the same, the simulate command's own import path (without cli/__init__): {path:,.0f} queries/s ({path / 1e6:.2f}x)")


if __name__ == "__main__":
    main()
