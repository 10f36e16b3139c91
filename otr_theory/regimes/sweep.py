"""Vectorized sweeps of the secure region over a grid of (S, rho, W, n), in chunks, optionally on Dask.

A :class:`Grid` is four axes; the sweep evaluates :meth:`RegionKernel.evaluate
<otr_theory.regimes.region.RegionKernel.evaluate>` on their product, passing the axes as
orthogonal broadcast arrays so that each part of the region costs only the axes it depends on
(the incentives depend on S, rho and n; the window constraint on W only). The product is cut
into chunks along the S and rho axes; each chunk reduces to

* the number of secure points under each reading,
* the cheapest secure point (ties: the larger margin, then the shorter finality, then the lower
  flat index -- deterministic),
* its candidates for the Pareto front of (cost, time to final finality, margin),
* optionally its slices of the full arrays (secure masks, margins, costs).

Chunks run in this process (default) or as tasks on a Dask cluster (``dask="local"`` starts a
``LocalCluster``; an address such as ``"tcp://10.0.0.1:8786"`` connects to a running scheduler;
a ``distributed.Client`` is used as given). Dask is the optional extra ``dask``; it is imported
only when asked for. Results do not depend on where or in which order the chunks ran.

``progress(done_points, total_points)`` is called after every chunk; the library prints nothing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from otr_theory.model import Model
from otr_theory.records import Record, quantity
from otr_theory.regimes.pareto import nondominated
from otr_theory.regimes.region import FIXED_RATE_SCHEMES, READINGS, RegimeError, RegionKernel, RegionOptions, minimum_window_s, proof_window_s, region_kernel

__all__ = [
    "DASK_HINT",
    "Grid",
    "GridPoint",
    "SweepResult",
    "SweepSummary",
    "default_grid",
    "reference_grid",
    "run_sweep",
]

DASK_HINT = 'Dask is an optional extra: pip install "otr-theory[dask]" (or pip install "dask[distributed]")'

DAY_S = 86_400.0

KEEP_LIMIT = 4_000_000
"""Grids up to this many points keep their full arrays by default."""


def _axis(name: str, values: Any, *, integer: bool = False, lo: float = 0.0, hi: float = math.inf) -> tuple[float, ...]:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise RegimeError(f"grid.{name}", "must be a sequence of numbers", values) from None
    if arr.size == 0:
        raise RegimeError(f"grid.{name}", "must have at least one value", list(arr))
    bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
    if integer:
        bad |= np.floor(arr) != arr
    if bad.any():
        rule = f"values must be {'integers ' if integer else ''}in [{lo:g}, {hi:g}]"
        raise RegimeError(f"grid.{name}", rule, float(arr[bad][0]))
    return tuple(float(x) for x in np.unique(arr))


@dataclasses.dataclass(frozen=True)
class Grid:
    """Four sorted, de-duplicated axes; the grid is their product (C order: S, rho, W, n).

    Examples
    --------
    >>> g = Grid.of(slash_usd=[1e3, 1e4], spot_check_rate=[0.0, 0.01, 0.01], window_s=[86_400], count=[3])
    >>> g.shape, g.size
    ((2, 2, 1, 1), 4)
    """

    slash_usd: tuple[float, ...]
    spot_check_rate: tuple[float, ...]
    window_s: tuple[float, ...]
    count: tuple[float, ...]

    @classmethod
    def of(cls, *, slash_usd: Any, spot_check_rate: Any, window_s: Any, count: Any = (1,)) -> Grid:
        """A validated grid from four sequences (sorted and de-duplicated here)."""
        return cls(
            slash_usd=_axis("slash_usd", slash_usd),
            spot_check_rate=_axis("spot_check_rate", spot_check_rate, hi=1.0),
            window_s=_axis("window_s", window_s),
            count=_axis("count", count, integer=True),
        )

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return (len(self.slash_usd), len(self.spot_check_rate), len(self.window_s), len(self.count))

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The four axes as arrays."""
        return tuple(np.asarray(a, dtype=float) for a in (self.slash_usd, self.spot_check_rate, self.window_s, self.count))

    def point(self, flat_index: int) -> dict[str, float]:
        """The coordinates of a flat (C-order) index."""
        i, j, k, l = np.unravel_index(int(flat_index), self.shape)
        return {
            "slash_usd": self.slash_usd[i],
            "spot_check_rate": self.spot_check_rate[j],
            "window_s": self.window_s[k],
            "count": int(self.count[l]),
        }

    def describe(self) -> dict[str, Any]:
        """Ranges and sizes of the axes, for results.json."""
        return {
            name: {"min": vals[0], "max": vals[-1], "points": len(vals)}
            for name, vals in (("slash_usd", self.slash_usd), ("spot_check_rate", self.spot_check_rate), ("window_s", self.window_s), ("count", self.count))
        }


def default_grid(model: Model, *, slash_points: int = 121, rate_points: int = 121, window_points: int = 25, counts: Sequence[int] | None = None) -> Grid:
    """A grid around ``model``'s own point: S log-spaced from $1 to the larger of 10x the stake
    and $1e10 (the stakes that deter an attack over time run to tens of millions), rho 0 and
    log-spaced from 1e-5 to 1 (a ZKML model keeps its own rate: it proves every query), W
    log-spaced from W_min/4 to 30 days (and the model's own values, W_min and the proof
    deadline on the axes), n the model's count (at least 1).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> g = default_grid(load_model(), slash_points=5, rate_points=5, window_points=3)
    >>> 100_000.0 in g.slash_usd, 0.01 in g.spot_check_rate, 75_000.0 in g.window_s, g.count
    (True, True, True, (3.0,))
    """
    v = model.values()
    cap = max(float(v["stake_usd"]), 1.0)
    s_axis = np.concatenate([np.logspace(0.0, math.log10(max(10 * cap, 1e10)), slash_points), [v["slash_usd"], v["stake_usd"]]])
    if model.scheme in FIXED_RATE_SCHEMES:
        r_axis = np.array([v["spot_check_rate"]])
    else:
        r_axis = np.concatenate([[0.0], np.logspace(-5.0, 0.0, rate_points), [v["spot_check_rate"]]])
    w_min = minimum_window_s(model)
    w_model = float(v["window_s"])
    if w_min > 0:
        lo = max(w_min / 4.0, 1.0)
        hi = max(30 * DAY_S, 2 * w_model, 2 * w_min)
        w_axis = np.concatenate([np.logspace(math.log10(lo), math.log10(hi), window_points), [w_min, w_model, proof_window_s(model)]])
    else:
        w_axis = np.array([w_model])
    n_axis = counts if counts is not None else [max(int(v["count"]), 1)]
    return Grid.of(slash_usd=s_axis, spot_check_rate=r_axis, window_s=w_axis, count=n_axis)


def reference_grid() -> Grid:
    """The fixed grid on which :mod:`~otr_theory.regimes.diff` compares two models.

    It does not depend on any model, so the fraction of it that is secure is comparable across
    models: S from $1 to $1e9 (10 points per decade), rho 0 and 1e-6 to 1 (10 per decade),
    W from 10 s to 1e7 s (10 per decade), n in {1, 3, 10}.

    >>> reference_grid().size
    1032486
    """
    return Grid.of(
        slash_usd=np.logspace(0, 9, 91),
        spot_check_rate=np.concatenate([[0.0], np.logspace(-6, 0, 61)]),
        window_s=np.logspace(1, 7, 61),
        count=[1, 3, 10],
    )


@dataclasses.dataclass(frozen=True, repr=False)
class GridPoint(Record):
    """A point of a sweep grid with the sweep's own numbers for it (see :func:`run_sweep`)."""

    TITLE = "grid point"

    flat_index: int = quantity("", "index in the flattened grid")
    slash_usd: float = quantity("USD", "the slash S")
    spot_check_rate: float = quantity("probability", "rho")
    window_s: float = quantity("s", "the window W")
    count: int = quantity("count", "challengers n")
    cost_usd: float = quantity("USD/query", "cost per query")
    final_s: float = quantity("s", "time to final finality")
    margin_usd: float = quantity("USD", "security margin over time")


@dataclasses.dataclass(frozen=True, repr=False)
class SweepSummary(Record):
    """What a sweep found, without the arrays (the part of :class:`SweepResult` kept in results)."""

    TITLE = "sweep"
    SUMMARY = ("grid_points", "shape", "secure_points", "pareto_points")

    grid: dict[str, dict[str, float]] = quantity("", "each axis: min, max, points")
    shape: tuple[int, ...] = quantity("count", "points per axis (S, rho, W, n)")
    grid_points: int = quantity("count", "points of the grid")
    secure_points: dict[str, int] = quantity("count", "secure grid points by reading")
    secure_fraction: dict[str, float] = quantity("fraction", "the same over the grid size")
    cheapest: dict[str, GridPoint | None] = quantity("", "the cheapest secure grid point by reading")
    pareto_points: int = quantity("count", "points of the Pareto front (spot-checks only)")


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """What a sweep found.

    Attributes
    ----------
    grid : Grid
    readings : tuple of str
    secure_points : dict
        Number of secure grid points by reading.
    secure_fraction : dict
        The same over the grid size.
    cheapest : dict
        The cheapest secure :class:`GridPoint` by reading (None where nothing is secure).
    pareto : tuple of GridPoint
        The Pareto front of (cost, time to final finality, margin) over the points secure with
        spot-checks only, sorted by cost.
    arrays : dict
        Full arrays of the grid's shape, when kept: ``secure``, ``secure_eq``, ``margin_usd``,
        ``cost_usd`` (empty when not kept).
    chunks : int
        Number of chunks evaluated.
    backend : str
        ``"numpy"`` or ``"dask"``.
    """

    grid: Grid
    readings: tuple[str, ...]
    secure_points: Mapping[str, int]
    secure_fraction: Mapping[str, float]
    cheapest: Mapping[str, GridPoint | None]
    pareto: tuple[GridPoint, ...]
    arrays: Mapping[str, np.ndarray]
    chunks: int
    backend: str

    def summary(self) -> dict[str, Any]:
        """JSON-able summary (no arrays): :meth:`record`'s ``to_dict``."""
        return self.record().to_dict()

    def record(self) -> SweepSummary:
        """The summary as a record (no arrays, no front: :class:`SweepSummary`)."""
        return SweepSummary(
            grid=self.grid.describe(),
            shape=tuple(int(n) for n in self.grid.shape),
            grid_points=int(self.grid.size),
            secure_points={k: int(v) for k, v in self.secure_points.items()},
            secure_fraction={k: float(v) for k, v in self.secure_fraction.items()},
            cheapest=dict(self.cheapest),
            pareto_points=len(self.pareto),
        )


def _chunks(shape: tuple[int, ...], chunk_points: int) -> list[tuple[slice, slice]]:
    """Slices of the S and rho axes with about ``chunk_points`` points each."""
    n_s, n_r, n_w, n_n = shape
    inner = n_w * n_n
    row = n_r * inner
    if row <= chunk_points:
        rows = max(1, chunk_points // row)
        return [(slice(i, min(i + rows, n_s)), slice(0, n_r)) for i in range(0, n_s, rows)]
    cols = max(1, chunk_points // inner)
    return [(slice(i, i + 1), slice(j, min(j + cols, n_r))) for i in range(n_s) for j in range(0, n_r, cols)]


def _run_chunk(kernel: RegionKernel, axes: tuple[np.ndarray, ...], sl: tuple[slice, slice], readings: tuple[str, ...], keep: bool) -> dict[str, Any]:
    """Evaluate one chunk and reduce it (module-level so that Dask can ship it)."""
    S, R, W, N = axes
    s_sl, r_sl = sl
    shape = (len(S), len(R), len(W), len(N))
    r = kernel.evaluate(S[s_sl, None, None, None], R[None, r_sl, None, None], W[None, None, :, None], N[None, None, None, :], readings=readings)
    cshape = (s_sl.stop - s_sl.start, r_sl.stop - r_sl.start, len(W), len(N))
    full = {k: np.broadcast_to(r[k], cshape) for k in ("secure", "secure_eq", "cost_usd", "final_s", "margin_usd", "margin_eq_usd")}
    offset = (s_sl.start, r_sl.start, 0, 0)

    def selected(mask):
        # index only the selected points (issue 17): local coordinates -> global flat indices
        nz = np.nonzero(mask)
        return nz, np.ravel_multi_index(tuple(a + o for a, o in zip(nz, offset)), shape)

    out: dict[str, Any] = {"sl": sl, "counts": {}, "cheapest": {}}
    sel: dict[str, Any] = {}
    for reading in readings:
        key = "secure" if reading == "spot_checks_only" else "secure_eq"
        mkey = "margin_usd" if reading == "spot_checks_only" else "margin_eq_usd"
        mask = full[key]
        nz, idx = sel[key] if key in sel else sel.setdefault(key, selected(mask))
        out["counts"][reading] = int(idx.size)
        if idx.size:
            c, t, m = full["cost_usd"][nz], full["final_s"][nz], full[mkey][nz]
            tie = np.flatnonzero(c == c.min())  # masked argmin, then the tie-breaks on the few tied points
            best = tie[np.lexsort((idx[tie], t[tie], -m[tie]))[0]]
            out["cheapest"][reading] = (float(c[best]), float(t[best]), float(m[best]), int(idx[best]))
    nz, idx = sel["secure"] if "secure" in sel else selected(full["secure"])
    if idx.size:
        c, t, m = full["cost_usd"][nz], full["final_s"][nz], full["margin_usd"][nz]
        keep_idx = nondominated(c, t, m)
        out["pareto"] = (idx[keep_idx], c[keep_idx], t[keep_idx], m[keep_idx])
    else:
        out["pareto"] = (np.zeros(0, dtype=int), np.zeros(0), np.zeros(0), np.zeros(0))
    if keep:
        out["arrays"] = {k: np.array(full[k], dtype=(bool if k.startswith("secure") else float)) for k in ("secure", "secure_eq", "margin_usd", "cost_usd")}
    return out


def _dask_client(dask: Any):
    if not isinstance(dask, str) and type(dask).__name__ != "Client":
        raise RegimeError("dask", "must be None, 'local', a scheduler address or a distributed.Client", dask)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(DASK_HINT) from None
    if isinstance(dask, Client):
        return dask, None
    if dask == "local":
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
        client = Client(cluster)
        return client, cluster
    if isinstance(dask, str):
        return Client(dask), None
    raise RegimeError("dask", "must be None, 'local', a scheduler address or a distributed.Client", dask)


def run_sweep(
    model: Model | RegionKernel,
    grid: Grid | None = None,
    *,
    options: RegionOptions | None = None,
    readings: tuple[str, ...] = READINGS,
    chunk_points: int = 1 << 20,
    keep_arrays: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    dask: Any = None,
) -> SweepResult:
    """Evaluate the secure region on every point of ``grid``.

    Parameters
    ----------
    model : Model or RegionKernel
    grid : Grid, optional
        Default :func:`default_grid`.
    options : RegionOptions, optional
        Only with a Model.
    readings : tuple of str
        Subset of :data:`~otr_theory.regimes.region.READINGS`; ``("spot_checks_only",)`` skips
        the equilibrium (faster).
    chunk_points : int
        Points per chunk (memory bound: about 100 bytes per point).
    keep_arrays : bool, optional
        Keep the full arrays (default: when the grid has at most 4 million points).
    progress : callable, optional
        ``progress(done_points, total_points)`` after each chunk.
    dask : None, "local", str or distributed.Client
        Where chunks run (see the module docstring).

    Returns
    -------
    SweepResult

    Raises
    ------
    RegimeError
        On a bad grid, reading or chunk size.
    ImportError
        When Dask is asked for but not installed (the message says how to install it).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> g = Grid.of(slash_usd=[1e3, 1e5], spot_check_rate=[0.0, 0.01], window_s=[1e4, 86_400], count=[3])
    >>> res = run_sweep(m, g)
    >>> res.secure_points["spot_checks_only"]  # $100k deters one query, not an attack over time
    0
    >>> g = Grid.of(slash_usd=[1e5, 1e8], spot_check_rate=[0.0, 0.01], window_s=[1e4, 86_400], count=[3])
    >>> res = run_sweep(m, g)
    >>> res.cheapest["spot_checks_only"].slash_usd
    100000000.0
    >>> res.arrays["secure"][:, :, 1, 0].tolist()  # rows S, columns rho, at W = 1 day
    [[False, False], [False, True]]
    """
    if isinstance(model, RegionKernel):
        if options is not None:
            raise RegimeError("options", "must be None when a RegionKernel is given (it carries its options)", options)
        kernel = model
    elif isinstance(model, Model):
        kernel = region_kernel(model, options)
    else:
        raise RegimeError("model", "must be a Model or a RegionKernel", type(model).__name__)
    if grid is None:
        if not isinstance(model, Model):
            raise RegimeError("grid", "is required with a RegionKernel", None)
        grid = default_grid(model)
    if not isinstance(grid, Grid):
        raise RegimeError("grid", "must be a Grid (Grid.of(...))", type(grid).__name__)
    readings = tuple(readings)
    if not readings or any(r not in READINGS for r in readings):
        raise RegimeError("readings", f"must be a non-empty subset of {', '.join(READINGS)}", readings)
    if not isinstance(chunk_points, int) or chunk_points < 1:
        raise RegimeError("chunk_points", "must be an integer >= 1", chunk_points)
    keep = grid.size <= KEEP_LIMIT if keep_arrays is None else bool(keep_arrays)
    axes = grid.axes()
    specs = _chunks(grid.shape, chunk_points)
    total = grid.size

    def size_of(sl: tuple[slice, slice]) -> int:
        return (sl[0].stop - sl[0].start) * (sl[1].stop - sl[1].start) * grid.shape[2] * grid.shape[3]

    parts: list[dict[str, Any]] = []
    done = 0
    if dask is None:
        backend = "numpy"
        for sl in specs:
            parts.append(_run_chunk(kernel, axes, sl, readings, keep))
            done += size_of(sl)
            if progress is not None:
                progress(done, total)
    else:
        backend = "dask"
        client, cluster = _dask_client(dask)
        try:
            from distributed import as_completed

            k_fut = client.scatter(kernel, broadcast=True)
            a_fut = client.scatter(axes, broadcast=True)
            futures = [client.submit(_run_chunk, k_fut, a_fut, sl, readings, keep, pure=False) for sl in specs]
            for fut in as_completed(futures):
                part = fut.result()
                parts.append(part)
                done += size_of(part["sl"])
                if progress is not None:
                    progress(done, total)
        finally:
            if cluster is not None:
                client.close()
                cluster.close()
        parts.sort(key=lambda p: (p["sl"][0].start, p["sl"][1].start))
    return _merge(grid, readings, parts, keep, backend)


def _merge(grid: Grid, readings: tuple[str, ...], parts: list[dict[str, Any]], keep: bool, backend: str) -> SweepResult:
    counts = {r: sum(p["counts"][r] for p in parts) for r in readings}
    cheapest: dict[str, GridPoint | None] = {}
    for r in readings:
        cands = [p["cheapest"][r] for p in parts if r in p["cheapest"]]
        if not cands:
            cheapest[r] = None
            continue
        c, t, m, idx = min(cands, key=lambda x: (x[0], -x[2], x[1], x[3]))
        cheapest[r] = GridPoint(flat_index=idx, **_coords(grid, idx), cost_usd=c, final_s=t, margin_usd=m)
    idx = np.concatenate([p["pareto"][0] for p in parts])
    c = np.concatenate([p["pareto"][1] for p in parts])
    t = np.concatenate([p["pareto"][2] for p in parts])
    m = np.concatenate([p["pareto"][3] for p in parts])
    order = np.argsort(idx, kind="stable")  # chunk order must not matter
    idx, c, t, m = idx[order], c[order], t[order], m[order]
    front = nondominated(c, t, m)
    pareto = tuple(GridPoint(flat_index=int(idx[i]), **_coords(grid, int(idx[i])), cost_usd=float(c[i]), final_s=float(t[i]), margin_usd=float(m[i])) for i in front)
    arrays: dict[str, np.ndarray] = {}
    if keep:
        for key in ("secure", "secure_eq", "margin_usd", "cost_usd"):
            arr = np.empty(grid.shape, dtype=bool if key.startswith("secure") else float)
            for p in parts:
                arr[p["sl"][0], p["sl"][1]] = p["arrays"][key]
            arrays[key] = arr
    return SweepResult(
        grid=grid,
        readings=readings,
        secure_points=counts,
        secure_fraction={r: counts[r] / grid.size for r in readings},
        cheapest=cheapest,
        pareto=pareto,
        arrays=arrays,
        chunks=len(parts),
        backend=backend,
    )


def _coords(grid: Grid, idx: int) -> dict[str, Any]:
    return grid.point(idx)
