"""Benchmark: vectorised uncertainty propagation against the obvious per-sample loop.

The loop re-validates one model per draw (``Model.with_values``) and calls ``query_cost`` on it;
the vectorised path draws every field at once and runs ``cost_components`` on arrays. Both give
the same numbers (checked below). Run from the repository root with the package importable:
``PYTHONPATH=. python benchmarks/bench_calibration_propagation.py``.
"""

from __future__ import annotations

import time

import numpy as np

from otr_theory.calibration.costs import cost_components, query_cost
from otr_theory.calibration.uncertainty import sample_values
from otr_theory.model import FIELDS, load_model


def main(samples: int = 200) -> None:
    model = load_model()
    values, _, _ = sample_values(model, samples, seed=0, couple_batch=False)

    t0 = time.perf_counter()
    vec = cost_components(values, tee=model.protocol.attestation_check)["total_usd"]
    t_vec = time.perf_counter() - t0

    integer = {f.name for f in FIELDS if f.integer}
    t0 = time.perf_counter()
    loop = []
    for i in range(samples):
        kw = {k: (int(v[i]) if k in integer else float(v[i])) for k, v in values.items()}
        kw["slash_usd"] = min(kw["slash_usd"], kw["stake_usd"])  # a cross-field rule; the slash enters no cost
        loop.append(query_cost(model.with_values(**kw)).total_usd)
    t_loop = time.perf_counter() - t0

    np.testing.assert_allclose(vec, loop, rtol=1e-12)
    print(f"{samples} draws: vectorised {t_vec * 1e3:.2f} ms, per-sample loop {t_loop * 1e3:.1f} ms, ratio {t_loop / t_vec:.0f}x")


if __name__ == "__main__":
    main()
