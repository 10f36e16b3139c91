"""Benchmark: the regime sweep on the over-time criterion against the old one-query sweep and against solving each point separately, in one run.

    PYTHONPATH=. python benchmarks/bench_sweep.py [--points N] [--loop N] [--solver N] [--dask]

Measures, on one core (one process; numpy's elementwise kernels are single-threaded):

1. the grid sweep (:func:`otr_theory.regimes.sweep`) over a product grid of (S, rho, W, n),
   spot-checks only and with the challengers' equilibrium -- points per second -- on the
   over-time criterion (:mod:`otr_theory.payoffs.corruption`, the security criterion) and, in
   the same run, on the old one-query condition (``RegionOptions(criterion="one_query")``),
   with the ratio new / old (goal: the new sweep stays >= 10^6 points/s);
2. the kernel on N *random* points (no grid structure to exploit) -- points per second;
3. the obvious alternative, point by point: :func:`otr_theory.regimes.evaluate_point` (scalar
   closed forms of otr_theory.payoffs, one call per deviation, the n-challenger equilibrium
   per point) in a Python loop, and the exact equilibrium solver of otr_theory.games
   (support enumeration of the prover x challenger bimatrix game) per point;

and prints the ratios, then checks that the vectorized and per-point answers agree on the
sampled points (secure flags identical, margins and costs to 1e-9 relative; the equilibrium
reading against the solver's equilibria). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

import numpy as np

from otr_theory.games.bimatrix import bimatrix_equilibria
from otr_theory.model import load_model
from otr_theory.payoffs import DEVIATIONS, GAIN_FIELDS
from otr_theory.regimes import Grid, RegionOptions, evaluate_point, region_kernel, run_sweep


def _timed(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _game(model, S, rho):
    x = lambda v: Fraction(repr(float(v)))  # noqa: E731
    S, rho = x(S), x(rho)
    a, c = x(model.value("challenger_reward_share")), x(model.value("check_cost_usd_per_query"))
    A, B = [[Fraction(0), Fraction(0)]], [[-c, Fraction(0)]]
    for d in DEVIATIONS:
        G = x(model.value(GAIN_FIELDS[d]))
        A.append([-S, (1 - rho) * G - rho * S])
        B.append([a * S - c, Fraction(0)])
    return A, B


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000, help="random points for the kernel")
    ap.add_argument("--loop", type=int, default=2_000, help="points solved one by one (evaluate_point)")
    ap.add_argument("--solver", type=int, default=200, help="points solved by the bimatrix equilibrium solver")
    ap.add_argument("--dask", action="store_true", help="also run the grid sweep on a local Dask cluster")
    args = ap.parse_args()
    model = load_model()
    kernel = region_kernel(model)
    old_kernel = region_kernel(model, RegionOptions(criterion="one_query"))
    rng = np.random.default_rng(2026)

    grid = Grid.of(
        slash_usd=np.logspace(0, 10, 200),
        spot_check_rate=np.concatenate([[0.0], np.logspace(-5, 0, 199)]),
        window_s=np.logspace(3.5, 6, 50),
        count=[1, 3, 10],
    )
    print(f"grid sweep: {grid.size:,} points ({' x '.join(map(str, grid.shape))})")
    # interleaved: old, new, old, new, ... (best of 3 each)
    t_old_spot = t_spot = t_old_both = t_both = float("inf")
    for _ in range(3):
        t, res_old = _timed(lambda: run_sweep(old_kernel, grid, readings=("spot_checks_only",), keep_arrays=False), repeat=1)
        t_old_spot = min(t_old_spot, t)
        t, res = _timed(lambda: run_sweep(kernel, grid, readings=("spot_checks_only",), keep_arrays=False), repeat=1)
        t_spot = min(t_spot, t)
        t, res_old_both = _timed(lambda: run_sweep(old_kernel, grid, keep_arrays=False), repeat=1)
        t_old_both = min(t_old_both, t)
        t, res_both = _timed(lambda: run_sweep(kernel, grid, keep_arrays=False), repeat=1)
        t_both = min(t_both, t)
    print(f"  one-query (old), spot-checks only: {t_old_spot:7.3f} s  {grid.size / t_old_spot:12,.0f} points/s")
    print(f"  over time (new), spot-checks only: {t_spot:7.3f} s  {grid.size / t_spot:12,.0f} points/s   new/old {t_old_spot / t_spot:5.2f}")
    print(f"  one-query (old), both readings:    {t_old_both:7.3f} s  {grid.size / t_old_both:12,.0f} points/s")
    print(f"  over time (new), both readings:    {t_both:7.3f} s  {grid.size / t_both:12,.0f} points/s   new/old {t_old_both / t_both:5.2f}")
    print(f"  secure grid points, spot-checks only: one-query {res_old.secure_points['spot_checks_only']:,}, over time {res.secure_points['spot_checks_only']:,}")
    goal = grid.size / t_both >= 1e6
    print(f"  goal >= 10^6 points/s for the new sweep (both readings): {'met' if goal else 'NOT met'}")
    if args.dask:
        t_dask, res_dask = _timed(lambda: run_sweep(kernel, grid, dask="local", chunk_points=1 << 19, keep_arrays=False), repeat=1)
        same = res_dask.secure_points == res_both.secure_points and res_dask.cheapest == res_both.cheapest
        print(f"  dask (local, 1 worker):    {t_dask:7.3f} s  {grid.size / t_dask:12,.0f} points/s  same result: {same}")

    N = args.points
    S = 10 ** rng.uniform(0, 10, N)
    rho = np.where(rng.random(N) < 0.05, 0.0, 10 ** rng.uniform(-5, 0, N))
    W = 10 ** rng.uniform(3.5, 6, N)
    n = rng.integers(0, 11, N).astype(float)
    print(f"\nkernel on {N:,} random points (no grid structure):")
    t_ro, _ = _timed(lambda: old_kernel.evaluate(S, rho, W, n, readings=("spot_checks_only",)))
    print(f"  one-query (old), spot only:{t_ro:7.3f} s  {N / t_ro:12,.0f} points/s")
    t_rs, r_spot = _timed(lambda: kernel.evaluate(S, rho, W, n, readings=("spot_checks_only",)))
    print(f"  over time, spot-checks only:{t_rs:6.3f} s  {N / t_rs:12,.0f} points/s   new/old {t_ro / t_rs:5.2f}")
    t_rb, r_both = _timed(lambda: kernel.evaluate(S, rho, W, n), repeat=1)
    print(f"  both readings:             {t_rb:7.3f} s  {N / t_rb:12,.0f} points/s")

    L = min(args.loop, N)
    t0 = time.perf_counter()
    refs = [evaluate_point(model, slash_usd=float(S[i]), spot_check_rate=float(rho[i]), window_s=float(W[i]), count=int(n[i])) for i in range(L)]
    t_loop = time.perf_counter() - t0
    loop_rate = L / t_loop
    print(f"\nper point, Python loop over evaluate_point ({L:,} points): {t_loop:7.3f} s  {loop_rate:12,.0f} points/s")

    K = min(args.solver, N)
    idx = np.flatnonzero(rng.random(N) < K / N)[:K]
    t0 = time.perf_counter()
    solved = []
    for i in idx:
        A, B = _game(model, S[i], rho[i])
        solved.append(bimatrix_equilibria(A, B, method="support"))
    t_solver = time.perf_counter() - t0
    solver_rate = len(idx) / t_solver
    print(f"per point, equilibrium solver (support enumeration, {len(idx):,} points): {t_solver:7.3f} s  {solver_rate:12,.1f} points/s")

    print("\nratios (vectorized / per point):")
    print(f"  grid sweep, both readings  / evaluate_point loop:   {grid.size / t_both / loop_rate:12,.0f}x")
    print(f"  random kernel, both        / evaluate_point loop:   {N / t_rb / loop_rate:12,.0f}x")
    print(f"  random kernel, spot only   / evaluate_point loop:   {N / t_rs / loop_rate:12,.0f}x")
    print(f"  grid sweep, both readings  / equilibrium solver:    {grid.size / t_both / solver_rate:12,.0f}x")

    # agreement on the samples
    bad = 0
    for i, ref in enumerate(refs):
        ok = (
            bool(r_both["secure"][i]) == ref.secure
            and bool(r_both["secure_eq"][i]) == ref.secure_eq
            and np.isclose(r_both["margin_usd"][i], ref.margin_usd, rtol=1e-9, atol=1e-9)
            and np.isclose(r_both["cost_usd"][i], ref.cost_usd, rtol=1e-9)
        )
        bad += not ok
    print(f"\nagreement, kernel vs evaluate_point: {L - bad:,}/{L:,} points identical (secure flags; margin, cost to 1e-9)")
    m = model.value("incentive_margin_usd")
    bad_eq = skipped = 0
    for i, res_i in zip(idx, solved):
        if res_i.degenerate or not res_i.complete:
            skipped += 1
            continue
        A, _ = _game(model, S[i], rho[i])
        want = all(float(e.strategies[1][0]) * float(row[0]) + (1 - float(e.strategies[1][0])) * float(row[1]) <= -m for e in res_i.equilibria for row in A[1:])
        got = bool(old_kernel.evaluate(S[i], rho[i], W[i], 1)["margin_eq_usd"] >= m)  # the solver's game is the one-query game
        bad_eq += got != want
    print(f"agreement, equilibrium reading (n = 1) vs the solver: {len(idx) - skipped - bad_eq}/{len(idx) - skipped} (skipped {skipped} degenerate)")
    print(f"\nsecure points on the grid: {res.secure_points['spot_checks_only']:,} (spot-checks only), {res_both.secure_points['equilibrium']:,} (equilibrium)")


if __name__ == "__main__":
    main()
