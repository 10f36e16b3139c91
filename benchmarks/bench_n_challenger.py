"""Benchmark: the vectorized n-challenger equilibrium against the obvious alternative, a scalar
brentq solve of 1 - (1-y)^n = q* (and of the challenger's indifference) per n.

Usage::

    PYTHONPATH=. python benchmarks/bench_n_challenger.py
"""

from __future__ import annotations

import time

import numpy as np
from scipy import optimize

from otr_theory.model import load_model
from otr_theory.payoffs import inspection_game, n_challenger_equilibrium


def scalar_brentq(values, ns):
    P, C = inspection_game(values)
    A, B = P[1, 1], P[1, 0]
    R, c = C[1, 0] - C[0, 0], -C[0, 0]
    q = A / (A - B)
    out = []
    for n in ns:
        y = optimize.brentq(lambda t, n=n: 1 - (1 - t) ** n - q, 0.0, 1.0, xtol=1e-15) if n > 1 else q
        share = (1 - (1 - y) ** n) / (n * y)
        out.append((c / (R * share), y))
    return np.array(out)


def main() -> None:
    values = load_model().with_values(slash_usd=1_000.0).values()
    ns = np.arange(1, 10_001)
    t0 = time.perf_counter()
    eq = n_challenger_equilibrium(values, ns)
    t_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = scalar_brentq(values, ns)
    t_loop = time.perf_counter() - t0
    err = np.max(np.abs(eq.monitoring_rate - ref[:, 1]) / ref[:, 1])
    print(f"n = 1..10,000: vectorized {t_vec * 1e3:.1f} ms, scalar brentq loop {t_loop * 1e3:.1f} ms, ratio {t_loop / t_vec:.1f}x")
    print(f"max relative difference in y: {err:.2e}")


if __name__ == "__main__":
    main()
