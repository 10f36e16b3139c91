"""A long fuzzing campaign (issue 19): generated model files and .nfg games through every command.

    PYTHONPATH=. python benchmarks/fuzz_campaign.py --models 5000 --games 500 [--full]

Each model file is either *broken* (a mutated or damaged model: every command must exit 2 fast,
with one short message per problem and nothing written) or *extreme* (valid, with numbers at the
ends of their ranges: ``regime`` and ``simulate`` must give finite JSON and exit 0, 2 or 3 with
a reason). ``check`` and ``report`` take seconds per valid model, so by default they run on every
``--check-every``-th and ``--report-every``-th valid model; ``--full`` runs them on all. Games go
through ``solve --json``. The contract is :func:`tests/fuzz/harness.violations`.

The last line is the summary: counts of files, runs per command, failures by kind, and the time.
Failures are listed above it (the first ``--show`` of each kind) with the command and the file,
which is kept under ``--keep DIR`` for reproduction.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

import harness as h  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from otr_theory.model import ModelError, loads_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", type=int, default=5000)
    ap.add_argument("--games", type=int, default=500)
    ap.add_argument("--extreme-share", type=float, default=0.2, help="share of the model files that are valid extremes")
    ap.add_argument("--check-every", type=int, default=25)
    ap.add_argument("--report-every", type=int, default=250)
    ap.add_argument("--full", action="store_true", help="check and report on every valid model too")
    ap.add_argument("--timeout", type=float, default=120.0, help="time bound of one command (s)")
    ap.add_argument("--report-timeout", type=float, default=900.0, help="time bound of one report (s)")
    ap.add_argument("--game-timeout", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", default=None, help="folder to copy the failing inputs into")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--progress-every", type=int, default=1000, help="a progress line on stderr every N runs")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="otr-fuzz-"))
    keep = Path(args.keep) if args.keep else None
    runs: collections.Counter[str] = collections.Counter()
    failures: collections.Counter[str] = collections.Counter()
    shown: collections.Counter[str] = collections.Counter()
    files = collections.Counter()
    t0 = time.perf_counter()

    def record(kind_file: Path, o, bad: list[str]) -> None:
        runs[o.argv[0]] += 1
        if sum(runs.values()) % args.progress_every == 0:
            print(f"progress: {sum(files.values()):,} files, runs {dict(sorted(runs.items()))}, failures {sum(failures.values())}, {time.perf_counter() - t0:,.0f} s", file=sys.stderr, flush=True)
        for b in bad:
            kind = b.split(":")[0].split(" after ")[0][:60]
            failures[kind] += 1
            if shown[kind] < args.show:
                shown[kind] += 1
                kept = kind_file
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    kept = keep / f"{sum(failures.values()):05d}-{kind_file.name}"
                    shutil.copy(kind_file, kept)
                print(f"FAIL {' '.join(o.argv[:1])} {kept}: {b} | {o.err.strip()[-200:]}", flush=True)

    valid_count = [0]

    def run_model(text: str) -> None:
        n = sum(files.values())
        path = work / f"m{n:05d}.toml"
        path.write_text(text, encoding="utf-8")
        try:
            loads_model(text)
            valid = True
        except ModelError:
            valid = False
        files["valid" if valid else "invalid"] += 1
        out, junit = work / f"r{n}", work / f"j{n}.xml"
        plan = [(["regime", str(path), "--json", "-q"], True, ()), (["simulate", str(path), "--json", "-q", "--queries", "3000"], True, ())]
        if valid:
            valid_count[0] += 1
            k = valid_count[0]
            if args.full or k % args.check_every == 1:
                plan.append((["check", str(path), "--depth", "4", "--junit", str(junit)], False, (junit,)))
            if args.full or k % args.report_every == 1:
                plan.append((["report", str(path), "--out", str(out), "-q"], False, (out / "results.json",)))
        else:
            plan += [
                (["check", str(path), "--junit", str(junit)], False, (junit,)),
                (["report", str(path), "--out", str(out), "-q"], False, (out,)),
                (["diff", "otr", str(path), "--no-theorems"], False, ()),
            ]
        for argv_, js, outputs in plan:
            o = h.run_cli(argv_, timeout_s=args.report_timeout if argv_[0] == "report" else args.timeout)
            bad = h.violations(o, json_stdout=js, outputs=outputs)
            if not valid and o.code != 2 and not bad:
                bad = [f"exit {o.code} on an invalid model"]
            record(path, o, bad)
        shutil.rmtree(out, ignore_errors=True)
        junit.unlink(missing_ok=True)
        if not any(p.name == path.name for p in (keep.iterdir() if keep and keep.exists() else ())):
            path.unlink(missing_ok=True)

    n_extreme = int(round(args.models * args.extreme_share))
    common = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate], derandomize=False)

    @seed(args.seed)
    @settings(max_examples=max(n_extreme, 1), **common)
    @given(h.extreme_models(max_changed=12))
    def extremes(raw):
        run_model(h.to_toml(raw))

    @seed(args.seed)
    @settings(max_examples=max(args.models - n_extreme, 1), **common)
    @given(h.broken_models())
    def broken(text):
        run_model(text)

    @seed(args.seed)
    @settings(max_examples=max(args.games, 1), **common)
    @given(h.nfg_games())
    def games(text):
        files["games"] += 1
        path = work / f"g{files['games']:05d}.nfg"
        path.write_text(text, encoding="utf-8")
        o = h.run_cli(["solve", str(path), "--json"], timeout_s=args.game_timeout)
        record(path, o, h.violations(o, json_stdout=True))
        path.unlink(missing_ok=True)

    for fn, target in ((broken, args.models - n_extreme), (extremes, n_extreme), (games, args.games)):
        if target > 0:
            fn()
    shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - t0
    total_fail = sum(failures.values())
    print(
        f"fuzz campaign: {files['valid'] + files['invalid']:,} model files ({files['valid']:,} valid, {files['invalid']:,} invalid), "
        f"{files['games']:,} games; runs {dict(sorted(runs.items()))}; failures {total_fail:,} {dict(failures)}; {seconds:,.0f} s"
    )
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
