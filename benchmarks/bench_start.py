"""Benchmark: how fast the command line starts, against the bare interpreter and the eager import.

Measures, interleaved and as medians of ``--repeat`` runs of fresh processes:

* ``python -c pass`` -- the floor (the interpreter alone);
* ``otr-analyze --help`` -- our lazy group (subcommands imported only when they run);
* ``otr-analyze solve --help`` and ``solve 2x2.nfg`` -- a light command;
* the reference: importing every subcommand module, as the CLI did before it was lazy.

Prints each time and its ratio to the floor and to the reference. The goal (issue 17): ``--help``
under 0.3 s on the development machine.

Usage::

    PYTHONPATH=. python benchmarks/bench_start.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAME = ROOT / "tests" / "data" / "gambit-games" / "2x2.nfg"

CASES = {
    "python -c pass (floor)": ["-c", "pass"],
    "otr-analyze --help": ["-m", "otr_theory", "--help"],
    "otr-analyze solve --help": ["-m", "otr_theory", "solve", "--help"],
    "otr-analyze solve 2x2.nfg": ["-m", "otr_theory", "solve", "--quiet", str(GAME)],
    "eager import of every subcommand (reference)": [
        "-c",
        "import otr_theory.cli.report, otr_theory.cli.check, otr_theory.cli.regime, otr_theory.cli.simulate, otr_theory.cli.diff, otr_theory.cli.solve",
    ],
}


def _once(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, check=False)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    times: dict[str, list[float]] = {k: [] for k in CASES}
    for _ in range(args.repeat):
        for name, a in CASES.items():
            times[name].append(_once(a))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.machine()}; {os.cpu_count()} cores; load {load:.1f}; python {platform.python_version()}; medians of {args.repeat}")
    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["python -c pass (floor)"]
    ref = med["eager import of every subcommand (reference)"]
    print(f"{'case':48s} {'s':>7s} {'x floor':>8s} {'x eager':>8s}")
    for name, m in med.items():
        print(f"{name:48s} {m:7.3f} {m / floor:8.2f} {m / ref:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
