"""Benchmark: the attack simulator (sampled counts) against its query-by-query reference, same run.

``simulate_attack`` samples each episode's counts (arrivals, the first detection, the lag)
instead of walking its queries, so its cost does not grow with the queries an episode holds.
The script times both on small episodes where the reference is feasible (and checks that they
agree), then the vectorised one alone on the default model's realistic episode (about 43 million
queries each), and prints queries simulated per second and the ratio.

Usage::

    PYTHONPATH=. python benchmarks/bench_sim_attack.py [--episodes N] [--reference-episodes N]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time

from otr_theory.model import load_model
from otr_theory.simulation.attack import attack_inputs, default_strategies, simulate_attack, simulate_attack_event_by_event


def _best(fn, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=100_000, help="episodes for the vectorised simulator")
    ap.add_argument("--reference-episodes", type=int, default=200, help="episodes for the query-by-query reference")
    args = ap.parse_args()
    m = load_model()
    small = dataclasses.replace(attack_inputs(m), episode_s=600.0, spot_lag_s=60.0, challenge_lag_s=40.0, spot_check_rate=0.04, slash_usd=20_000.0)
    s = default_strategies()[0]
    # queries an episode walks in the reference: until the slash lands (about 1/p cheated, then the lag)
    per_episode = min(small.query_rate_per_s * small.episode_s, 1 / small.detection_probability + small.query_rate_per_s * small.spot_lag_s)
    t_ref = _best(lambda: simulate_attack_event_by_event(small, s, episodes=args.reference_episodes), 1)
    t_vec = _best(lambda: simulate_attack(small, s, episodes=args.episodes))
    ref = simulate_attack_event_by_event(small, s, episodes=args.reference_episodes, seed=1)
    vec = simulate_attack(small, s, episodes=args.episodes, seed=2)
    z = (ref.value - vec.profit_usd.value) / math.hypot((ref.high - ref.value) / 1.96, (vec.profit_usd.high - vec.profit_usd.value) / 1.96)
    ref_qps = args.reference_episodes * per_episode / t_ref
    vec_qps = args.episodes * per_episode / t_vec
    print(f"small episodes ({per_episode:,.0f} queries walked each; z between the two means {z:+.2f}):")
    print(f"  query-by-query reference {ref_qps:>16,.0f} queries/s")
    print(f"  sampled counts           {vec_qps:>16,.0f} queries/s   ratio {vec_qps / ref_qps:,.0f}x")
    real = attack_inputs(m)
    t_real = _best(lambda: simulate_attack(real, s, episodes=args.episodes))
    nq = real.query_rate_per_s * real.episode_s
    print(f"default model: {nq:,.0f} queries an episode, {args.episodes / t_real:,.0f} episodes/s = {args.episodes * nq / t_real:.3g} queries/s")


if __name__ == "__main__":
    main()
