"""Benchmark: the inspection game's closed form (vectorized) against nashpy, point by point.

Draws 10^6 parameter points of the one-challenger inspection game (wrong output, the model's
loss convention; gain, slash, spot-check rate, reward share and check cost drawn around the
default model, seeded), solves all of them with the vectorized closed form of
:func:`otr_theory.payoffs.n_challenger_equilibrium` (n = 1), and a random sample of them point
by point with nashpy (support enumeration on the float bimatrix of
:func:`otr_theory.payoffs.inspection_game`) and with our exact vertex enumeration. Prints the
time per point of each route, the speed-up of the closed form over nashpy, and the agreement:
the largest absolute difference in (fraud rate, monitoring rate) between the closed form and
each solver on the sample.

Run: ``PYTHONPATH=. python benchmarks/bench_inspection.py [--points 1000000] [--sample 1000] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import time
import warnings

import nashpy
import numpy as np

from otr_theory.games.bimatrix import vertex_enumeration
from otr_theory.model import load_model
from otr_theory.payoffs import inspection_game, inspection_game_exact, n_challenger_equilibrium


def draw(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "external_gain_usd": 10 ** rng.uniform(0, 4, n),
        "slash_usd": 10 ** rng.uniform(2, 6, n),
        "spot_check_rate": rng.uniform(0, 0.05, n),
        "challenger_reward_share": rng.uniform(0.1, 0.9, n),
        "check_cost_usd_per_query": 10 ** rng.uniform(-4, -2, n),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    model = load_model()
    conv = model.loss_convention
    base = model.values()
    draws = draw(args.points, args.seed)
    values = {**base, **draws}

    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        eq = n_challenger_equilibrium(values, 1, "wrong_output", conv)
        best = min(best, time.perf_counter() - t0)
    x_cf = np.asarray(eq.fraud_rate, dtype=float)
    y_cf = np.asarray(eq.monitoring_rate, dtype=float)
    per_cf = best / args.points

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(args.points, size=min(args.sample, args.points), replace=False)
    diffs_np, diffs_vx, counts = [], [], []
    t_np = t_vx = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in sample:
            v = {**base, **{k: float(a[i]) for k, a in draws.items()}}
            P, C = inspection_game(v, "wrong_output", conv)
            t0 = time.perf_counter()
            eqs = list(nashpy.Game(P, C).support_enumeration())
            t_np += time.perf_counter() - t0
            counts.append(len(eqs))
            # nashpy lists each equilibrium as (prover (honest, cheat), challenger (monitor, idle))
            diffs_np.append(min(max(abs(s[1] - x_cf[i]), abs(t[0] - y_cf[i])) for s, t in eqs) if eqs else np.inf)
            Pe, Ce = inspection_game_exact(v, "wrong_output", conv)
            t0 = time.perf_counter()
            r = vertex_enumeration(Pe, Ce)
            t_vx += time.perf_counter() - t0
            diffs_vx.append(min(max(abs(float(e.strategies[0][1]) - x_cf[i]), abs(float(e.strategies[1][0]) - y_cf[i])) for e in r.equilibria))
    k = len(sample)
    per_np, per_vx = t_np / k, t_vx / k
    kinds, freq = np.unique(np.asarray(eq.kind), return_counts=True)
    print(f"inspection game, wrong output, convention {conv}; {args.points:,} points (seed {args.seed}); sample of {k:,}")
    print(f"  regimes: {', '.join(f'{a} {b:,}' for a, b in zip(kinds, freq))}")
    print(f"  closed form, vectorized : {best:.3f} s in all, {per_cf * 1e9:10.1f} ns/point")
    print(f"  nashpy support enum.    : {t_np:.3f} s on the sample, {per_np * 1e6:10.1f} us/point")
    print(f"  exact vertex enum.(ours): {t_vx:.3f} s on the sample, {per_vx * 1e6:10.1f} us/point")
    print(f"  speed-up closed form vs nashpy: {per_np / per_cf:,.0f}x ; vs exact vertex enumeration: {per_vx / per_cf:,.0f}x")
    print(f"  agreement on the sample, max |(x, y) closed form - nashpy|       : {max(diffs_np):.3g}")
    print(f"  agreement on the sample, max |(x, y) closed form - vertex enum.| : {max(diffs_vx):.3g}")
    print(f"  nashpy returned exactly one equilibrium at {sum(c == 1 for c in counts)} of {k} points")


if __name__ == "__main__":
    main()
