"""Benchmark: our n-player equilibrium solver against pygambit's ``enumpoly`` in the same run.

pygambit runs in a child process per game with a time limit (``enumpoly`` does not end on some
games with continua of equilibria); its time is the solve alone, not the child's start.

For every game with three or more players in tests/data/gambit-games, plus the volunteer's dilemma
n = 5 and the full (n+1)-player challenger game n = 4, runs both solvers interleaved (``--repeat``
times, medians) and prints: our time, count and completeness, pygambit's time and count, and the
ratio ours / pygambit (below 1: we are faster), in wall time and in CPU time (the CPU-time ratio is
the one to read on a shared, loaded machine). Without pygambit only our columns are printed.

Usage::

    PYTHONPATH=. python benchmarks/bench_nplayer.py [--repeat 3] [--budget 60] [GAME.nfg ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAMES = ROOT / "tests" / "data" / "gambit-games"


def _gambit():
    try:
        import pygambit as gbt
    except ImportError:
        return None
    return gbt


_GAMBIT_CHILD = """
import sys, time, pygambit as gbt
path = sys.argv[1]
game = gbt.read_nfg(path) if hasattr(gbt, "read_nfg") else gbt.Game.read_game(path)
t0, c0 = time.perf_counter(), time.process_time()
res = gbt.nash.enumpoly_solve(game)
dt, dc = time.perf_counter() - t0, time.process_time() - c0
eqs = res.equilibria if hasattr(res, "equilibria") else res
print(dt, dc, len(eqs))
"""


def _gambit_solve(path: Path, timeout: float) -> tuple[float | None, float | None, int | None]:
    """pygambit's enumpoly in a child process (it can run without end on games with continua)."""
    import subprocess

    try:
        out = subprocess.run([sys.executable, "-c", _GAMBIT_CHILD, str(path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, None
    if out.returncode != 0:
        return None, None, None
    dt, dc, n = out.stdout.split()
    return float(dt), float(dc), int(n)


def _ours(game, budget: float) -> tuple[float, float, int, bool]:
    from otr_theory.games.nplayer import nplayer_equilibria

    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = nplayer_equilibria(game, time_budget=budget)
    return time.perf_counter() - t0, time.process_time() - c0, len(r.equilibria), r.complete


def _cases(names: list[str]):
    from otr_theory.games.nfg import read_nfg

    if names:
        files = [Path(n) for n in names]
    else:
        files = sorted(GAMES.glob("*.nfg"))
    for f in files:
        g = read_nfg(f)
        if g.n_players >= 3:
            yield f.name, g, f
    if not names:
        from otr_theory.games.challengers import challenger_game, volunteers_dilemma
        from otr_theory.games.nfg import write_nfg
        from otr_theory.model import load_model

        tmp = Path(tempfile.mkdtemp(prefix="bench-nplayer-"))
        vd = volunteers_dilemma(5, 4, 1)
        yield "volunteers-dilemma-5", vd, write_nfg(vd, tmp / "vd5.nfg")
        # slash $1,000: spot-checks alone do not deter, so challengers mix (tests/games/test_challengers.py)
        cg = challenger_game(load_model().with_values(slash_usd=1000.0).values(), 4)
        yield "challenger-game-4", cg, write_nfg(cg, tmp / "cg4.nfg")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("games", nargs="*")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--budget", type=float, default=60.0, help="our time budget per game (s)")
    ap.add_argument("--gambit-timeout", type=float, default=60.0, help="pygambit's limit per game (s), in a child process")
    args = ap.parse_args(argv)
    gbt = _gambit()
    ver = getattr(gbt, "__version__", "-") if gbt else "not installed"
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.machine()} {platform.processor() or ''}; python {platform.python_version()}; pygambit {ver}; medians of {args.repeat}")
    print(f"{'game':58s} {'ours s':>8s} {'cpu s':>7s} {'n':>3s} {'complete':>8s} {'gambit s':>9s} {'cpu s':>7s} {'n':>3s} {'ratio':>7s} {'cpu ratio':>9s}")
    ratios, cratios = [], []
    # warm the imports (numpy, mpmath, sympy on first use) outside the timed runs, as pygambit's
    # child process is timed after its import
    from otr_theory.games.nfg import read_nfg

    _ours(read_nfg(GAMES / "2x2x2.nfg"), args.budget)
    for name, game, path in _cases(args.games):
        ours, ours_c, theirs, theirs_c = [], [], [], []
        n_ours = n_theirs = complete = None
        for _ in range(args.repeat):
            dt, dc, n_ours, complete = _ours(game, args.budget)
            ours.append(dt)
            ours_c.append(dc)
            if gbt is not None:
                dt_g, dc_g, n_theirs = _gambit_solve(path, args.gambit_timeout)
                if dt_g is not None:
                    theirs.append(dt_g)
                    theirs_c.append(dc_g)
        mo, mc = statistics.median(ours), statistics.median(ours_c)
        if theirs:
            mt, mtc = statistics.median(theirs), statistics.median(theirs_c)
            ratio = mo / mt if mt > 0 else float("inf")
            cratio = mc / mtc if mtc > 0 else float("inf")
            ratios.append(ratio)
            cratios.append(cratio)
            print(f"{name:58s} {mo:8.3f} {mc:7.3f} {n_ours:3d} {complete!s:>8s} {mt:9.4f} {mtc:7.4f} {n_theirs:3d} {ratio:7.1f} {cratio:9.1f}", flush=True)
        else:
            why = "timeout" if gbt is not None else "-"
            print(f"{name:58s} {mo:8.3f} {mc:7.3f} {n_ours:3d} {complete!s:>8s} {why:>9s} {'-':>7s} {'-':>3s} {'-':>7s} {'-':>9s}", flush=True)
    if ratios:
        print(
            f"# median ratio ours/pygambit {statistics.median(ratios):.1f} (min {min(ratios):.2f}, max {max(ratios):.1f}); "
            f"CPU time {statistics.median(cratios):.1f} (min {min(cratios):.2f}, max {max(cratios):.1f})"
        )
        print(f"# load average during the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
