"""Sweeps: agreement with the kernel point by point, chunking and order invariance, the Pareto
front against a brute-force dominance check, progress, Dask."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otr_theory.model import load_model
from otr_theory.regimes import Grid, RegimeError, default_grid, evaluate_point, nondominated, region_kernel, run_sweep

MODEL = load_model()
GRID = Grid.of(
    slash_usd=np.logspace(5, 9, 13),
    spot_check_rate=np.concatenate([[0.0], np.logspace(-4, -1, 10)]),
    window_s=[2e4, 43_200, 75_000, 75_001, 86_400],  # W_min = 40 x 1,800 + 1,800 + 100 x 12 = 75,000 s
    count=[1, 3],
)


def test_sweep_agrees_with_the_kernel_and_the_reference_at_every_point():
    res = run_sweep(MODEL, GRID)
    k = region_kernel(MODEL)
    S, R, W, N = GRID.axes()
    direct = k.evaluate(S[:, None, None, None], R[None, :, None, None], W[None, None, :, None], N[None, None, None, :])
    assert np.array_equal(res.arrays["secure"], np.broadcast_to(direct["secure"], GRID.shape))
    assert res.secure_points["spot_checks_only"] == int(res.arrays["secure"].sum())
    # the cheapest secure grid point: re-solved alone it is secure, and no secure point is cheaper
    c = res.cheapest["spot_checks_only"]
    ref = evaluate_point(MODEL, slash_usd=c.slash_usd, spot_check_rate=c.spot_check_rate, window_s=c.window_s, count=c.count)
    assert ref.secure and ref.cost_usd == pytest.approx(c.cost_usd, rel=1e-12)
    assert c.cost_usd == pytest.approx(res.arrays["cost_usd"][res.arrays["secure"]].min(), rel=1e-12)
    # every W at or below W_min is insecure (theorem 3 is strict; 43,200 s meets the proof deadline
    # but not W_min), and a window just above W_min is secure somewhere
    assert not res.arrays["secure"][:, :, :3].any()
    assert res.arrays["secure"][:, :, 3].any()


def test_chunking_and_order_do_not_change_the_result():
    whole = run_sweep(MODEL, GRID)
    for chunk in (5, 50, 1000):
        part = run_sweep(MODEL, GRID, chunk_points=chunk)
        assert part.secure_points == whole.secure_points
        assert part.cheapest == whole.cheapest
        assert part.pareto == whole.pareto
        assert np.array_equal(part.arrays["secure"], whole.arrays["secure"])


def test_progress_reports_every_point_once():
    seen = []
    run_sweep(MODEL, GRID, chunk_points=100, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (GRID.size, GRID.size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_pareto_front_is_nondominated_and_complete_on_the_grid():
    res = run_sweep(MODEL, GRID)
    secure = res.arrays["secure"]
    k = region_kernel(MODEL)
    front = {p.flat_index for p in res.pareto}
    # brute force over all secure grid points
    idx = np.flatnonzero(secure.ravel())
    pts = []
    for i in idx:
        g = GRID.point(int(i))
        r = k.evaluate(g["slash_usd"], g["spot_check_rate"], g["window_s"], g["count"])
        pts.append((float(r["cost_usd"]), float(r["final_s"]), float(r["margin_usd"]), int(i)))
    for c, t, m, i in pts:
        dominated = any((c2 <= c and t2 <= t and m2 >= m) and (c2, t2, m2) != (c, t, m) for c2, t2, m2, _ in pts)
        dup_first = min(j for c2, t2, m2, j in pts if (c2, t2, m2) == (c, t, m)) == i
        assert (i in front) == (not dominated and dup_first)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 5)), min_size=1, max_size=30))
def test_property_nondominated_matches_brute_force(points):
    c, t, m = (np.array(x, dtype=float) for x in zip(*points))
    got = set(nondominated(c, t, m).tolist())
    want = set()
    for i in range(len(points)):
        dominated = any(c[j] <= c[i] and t[j] <= t[i] and m[j] >= m[i] and (c[j], t[j], m[j]) != (c[i], t[i], m[i]) for j in range(len(points)))
        first = all((c[j], t[j], m[j]) != (c[i], t[i], m[i]) for j in range(i))
        if not dominated and first:
            want.add(i)
    assert got == want


def test_default_grid_contains_the_models_point_and_the_window_bound():
    g = default_grid(MODEL, slash_points=5, rate_points=5, window_points=3)
    assert 100_000.0 in g.slash_usd and 0.01 in g.spot_check_rate and 86_400.0 in g.window_s and 75_000.0 in g.window_s and 43_200.0 in g.window_s


def test_bad_grids_and_arguments():
    with pytest.raises(RegimeError, match="grid.spot_check_rate"):
        Grid.of(slash_usd=[1], spot_check_rate=[2.0], window_s=[1], count=[1])
    with pytest.raises(RegimeError, match="grid.count"):
        Grid.of(slash_usd=[1], spot_check_rate=[0.1], window_s=[1], count=[1.5])
    with pytest.raises(RegimeError, match="readings"):
        run_sweep(MODEL, GRID, readings=("optimistic",))
    with pytest.raises(RegimeError, match="dask"):
        run_sweep(MODEL, GRID, dask=42)


def test_dask_local_cluster_gives_the_same_result():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        res = run_sweep(MODEL, GRID, chunk_points=200, dask=client)
    ref = run_sweep(MODEL, GRID, chunk_points=200)
    assert res.backend == "dask" and res.chunks == ref.chunks > 1
    assert dataclasses.replace(res, backend="numpy", arrays={}) == dataclasses.replace(ref, arrays={})
    assert np.array_equal(res.arrays["secure"], ref.arrays["secure"])
