"""Time the tuning notebook's slider redraw against the naive full recompute, in the same run.

* **redraw**: :meth:`otr_theory.tuning.TuningView.redraw` (precomputed kernel, grids, inputs and
  figure; the artists' data updated) plus the PNG the notebook displays,
  :meth:`~otr_theory.tuning.TuningView.png` (the cached background, the changed artists drawn
  over it, a light PNG encoding);
* **redraw + savefig**: the same redraw shown through matplotlib's full draw (what
  ``display(view.fig)`` cost before the blitted PNG), for comparison;
* **naive**: what a redraw costs without precomputation: a new model, the point
  (:func:`~otr_theory.regimes.evaluate_point`), a new regime map figure
  (:func:`~otr_theory.report.sections.regimes.regime_map_figure`, its default resolution),
  the cheapest secure point (:func:`~otr_theory.regimes.cheapest_point`), a cost-vs-rho curve by
  one :func:`~otr_theory.regimes.evaluate_point` per rho, a new figure for it, and the PNGs.

Each slider move of a sweep of 10 points is timed (twice by default: 20 moves); the script prints
the median and the worst time of each and the ratios, and whether the redraw's median (and worst)
stay under 200 ms.

Run: ``PYTHONPATH=$PWD python benchmarks/bench_notebook_redraw.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np

from otr_theory.model import load_model
from otr_theory.plotting.regimes import regime_map_figure
from otr_theory.regimes import cheapest_point, evaluate_point, model_point
from otr_theory.report.core import new_figure
from otr_theory.tuning import TuningView

BUDGET_S = 0.200


def _png(fig) -> int:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return buf.tell()


def naive(model, p: dict) -> dict:
    """The full recompute of one redraw, nothing shared between calls."""
    S, rho, W, n = p["slash_usd"], p["spot_check_rate"], p["window_s"], p["count"]
    m = model.with_values(stake_usd=S, slash_usd=S, spot_check_rate=rho, window_s=W, count=n)
    pr = evaluate_point(m, slash_usd=S, spot_check_rate=rho, window_s=W, count=n)
    fig = regime_map_figure(m, window_s=W, count=n, points=[model_point(m, label="chosen")])
    cheap = cheapest_point(m)
    rhos = np.logspace(-5, 0, 121)
    costs = [evaluate_point(m, slash_usd=S, spot_check_rate=float(r), window_s=W, count=n).cost_usd for r in rhos]
    fig2, ax = new_figure()
    ax.loglog(rhos, costs)
    t = time.perf_counter()
    _png(fig)
    _png(fig2)
    return {"point": pr, "cheapest": cheap, "png_s": time.perf_counter() - t}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="passes over the slider sweep")
    args = ap.parse_args(argv)
    model = load_model()
    t0 = time.perf_counter()
    view = TuningView(model)
    setup = time.perf_counter() - t0
    v = model.values()
    sweep = [
        {"slash_usd": s, "spot_check_rate": r, "window_s": w, "count": int(v["count"])}
        for s, r, w in (
            (1e5, 0.01, 86_400.0),
            (1e6, 0.01, 86_400.0),
            (1e8, 0.01, 86_400.0),
            (1e8, 0.003, 86_400.0),
            (6.4e7, 0.0022, 75_010.0),
            (6.4e7, 0.0022, 40_000.0),
            (1e7, 0.05, 172_800.0),
            (3e9, 0.0005, 360_000.0),
            (3e4, 0.3, 7_200.0),
            (2e10, 1e-5, 604_800.0),
        )
    ]
    fast, full, draw_only, full_compute, savefig = [], [], [], [], []
    view.png()  # the background is drawn once, with the figure (not per redraw)
    for _ in range(args.repeat):
        for p in sweep:
            t = time.perf_counter()
            view.redraw(p)
            t1 = time.perf_counter()
            view.png()
            t2 = time.perf_counter()
            fast.append(t2 - t)
            draw_only.append(t1 - t)
    for p in sweep[:4]:
        t = time.perf_counter()
        view.redraw(p)
        _png(view.fig)
        savefig.append(time.perf_counter() - t)
    for p in sweep[: max(2, len(sweep) // 2)]:
        t = time.perf_counter()
        r = naive(model, p)
        full.append(time.perf_counter() - t)
        full_compute.append(full[-1] - r["png_s"])
    med_fast, med_full = statistics.median(fast), statistics.median(full)
    print(f"setup (once, not per redraw): {setup * 1e3:.0f} ms")
    print(f"redraw (compute + update artists): median {statistics.median(draw_only) * 1e3:.1f} ms, worst {max(draw_only) * 1e3:.1f} ms")
    print(f"redraw + PNG (what the notebook shows, view.png()): median {med_fast * 1e3:.1f} ms, worst {max(fast) * 1e3:.1f} ms over {len(fast)} moves")
    print(f"redraw + full savefig PNG (display(view.fig) before): median {statistics.median(savefig) * 1e3:.0f} ms over {len(savefig)} moves")
    print(f"naive full recompute + PNGs: median {med_full * 1e3:.0f} ms, worst {max(full) * 1e3:.0f} ms over {len(full)} moves")
    print(f"naive without its PNGs: median {statistics.median(full_compute) * 1e3:.0f} ms")
    print(f"ratio naive / redraw (medians): {med_full / med_fast:.1f}x with the PNGs, {statistics.median(full_compute) / statistics.median(draw_only):.0f}x without")
    ok = lambda x: "yes" if x < BUDGET_S else "NO"
    print(f"under {BUDGET_S * 1e3:.0f} ms: redraw median {ok(statistics.median(draw_only))}, worst {ok(max(draw_only))}; redraw + PNG median {ok(med_fast)}, worst {ok(max(fast))}")


if __name__ == "__main__":
    main()
