"""``otr-analyze measure-gpu``: measure decode and prefill throughput of Llama-shaped layers.

Writes CSV rows in the format of ``models/calibration/h100-llama-shaped-throughput.csv`` (the
measurement itself is :mod:`otr_theory.calibration.measure_gpu`)::

    otr-analyze measure-gpu --shapes llama-8b,llama-70b --layers-70b 16 --out rows.csv
    otr-analyze measure-gpu --shapes toy --device cpu --dtype float32 --decode "16:1,2" --prefill "8:1"

``--json`` prints the rows as one object (``otr_theory/schemas/measure-gpu.schema.json``).

Exit codes: 0 the rows are written; 2 bad input (an unknown shape, a malformed grid, more layers
than the shape has, an output file that cannot be written: one line, nothing written); 3 nothing
can be measured here -- PyTorch is not installed (the ``gpu`` extra) or the device asked for is
absent (``--device cuda`` without a CUDA GPU). Options are checked before PyTorch is imported,
so a mistake is reported (exit 2) on any machine.

PyTorch is imported only when the command runs, and only by
:mod:`otr_theory.calibration.measure_gpu`.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from otr_theory.cli.common import JSON_OPT, InputError, check_out_file, echo_json, guarded_output

__all__ = ["MeasureUnavailable", "measure_gpu", "parse_grid", "parse_shapes"]

_GRID_ITEM = re.compile(r"(\d+):(\d+(?:,\d+)*)")


class MeasureUnavailable(click.ClickException):
    """Nothing can be measured on this machine (no PyTorch, or no such device): exit 3."""

    exit_code = 3

    def show(self, file=None) -> None:
        click.echo(f"measure-gpu: {self.message}", err=True)


def parse_grid(option: str, values: Sequence[str]) -> tuple[tuple[int, tuple[int, ...]], ...] | None:
    """A decode or prefill grid from ``CTX:B1,B2,...`` items (repeated options or separated by
    spaces); ``None`` when the option was not given.

    >>> parse_grid("--decode", ["256:1,16 1024:8"])
    ((256, (1, 16)), (1024, (8,)))
    >>> parse_grid("--prefill", ["512:0"])
    Traceback (most recent call last):
    ...
    otr_theory.cli.common.InputError: --prefill: each item must be CTX:B1,B2,... with integers >= 1 (got '512:0')
    """
    if not values:
        return None
    out = []
    for item in (part for v in values for part in v.split()):
        m = _GRID_ITEM.fullmatch(item)
        numbers = [] if m is None else [int(m.group(1)), *map(int, m.group(2).split(","))]
        if m is None or min(numbers) < 1:
            raise InputError(f"{option}: each item must be CTX:B1,B2,... with integers >= 1 (got {item!r})")
        out.append((numbers[0], tuple(numbers[1:])))
    if not out:
        raise InputError(f"{option}: must name at least one CTX:B1,B2,... item (got {' '.join(values)!r})")
    return tuple(out)


def parse_shapes(values: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Shape names from ``--shapes`` (repeated, or separated by commas or spaces), each known.

    >>> parse_shapes(["llama-8b,toy"], ["llama-8b", "llama-70b", "toy"])
    ('llama-8b', 'toy')
    """
    names = tuple(n for v in values for n in re.split(r"[,\s]+", v.strip()) if n)
    bad = [n for n in names if n not in known]
    if bad or not names:
        raise InputError(f"--shapes: must be among {', '.join(sorted(known))} (got {', '.join(bad) or 'none'})")
    return tuple(dict.fromkeys(names))


@click.command("measure-gpu")
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    default=("llama-8b,llama-70b",),
    show_default=True,
    metavar="NAME[,NAME...]",
    help="Shapes to measure: llama-8b, llama-70b, toy (repeat the option or separate by commas).",
)
@click.option("--layers-70b", "layers_70b", type=click.IntRange(min=1), default=16, show_default=True, help="Layers of the 70B shape to instantiate (the time is scaled to its 80).")
@click.option("--layers", "layers", type=click.IntRange(min=1), default=None, help="Layers to instantiate for every other shape (default: all).")
@click.option("--device", default="cuda", show_default=True, help="Torch device: cuda, cuda:N or cpu.")
@click.option("--dtype", type=click.Choice(["bfloat16", "float16", "float32"]), default="bfloat16", show_default=True)
@click.option("--repeats", type=click.IntRange(min=1), default=20, show_default=True, help="Timed repetitions per configuration (the median is kept).")
@click.option("--warmup", type=click.IntRange(min=0), default=3, show_default=True)
@click.option("--no-graphs", "no_graphs", is_flag=True, help="Do not capture decode steps in CUDA graphs.")
@click.option("--decode", "decode", multiple=True, metavar="CTX:B1,B2", help='Decode grid, e.g. --decode "256:1,16,64 1024:1,8" (default: the shipped CSV\'s grid).')
@click.option("--prefill", "prefill", multiple=True, metavar="CTX:B1,B2", help='Prefill grid, e.g. --prefill "512:1,8" (default: the shipped CSV\'s grid).')
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD", help="Date written in the source column (default: today).")
@click.option("--out", "out", default="-", show_default=True, metavar="FILE", help="CSV file to write (- for stdout).")
@JSON_OPT
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
def measure_gpu(
    shapes: tuple[str, ...],
    layers_70b: int,
    layers: int | None,
    device: str,
    dtype: str,
    repeats: int,
    warmup: int,
    no_graphs: bool,
    decode: tuple[str, ...],
    prefill: tuple[str, ...],
    date: str | None,
    out: str,
    as_json: bool,
    quiet: bool,
) -> None:
    """Measure decode and prefill throughput of Llama-shaped layers (random weights) as CSV rows.

    Needs PyTorch (pip install 'otr-theory[gpu]') and, for --device cuda, a CUDA GPU; without
    them: exit 3. Bad options: exit 2. With --json the rows are printed as one JSON object (and
    --out FILE, if given, still gets the CSV).
    """
    import datetime as dt

    from otr_theory.calibration import measure_gpu as M

    names = parse_shapes(shapes, list(M.SHAPES))
    for name in names:
        n = layers_70b if name == "llama-70b" else layers
        total = M.SHAPES[name].layers
        if n is not None and n > total:
            option = "--layers-70b" if name == "llama-70b" else "--layers"
            raise InputError(f"{option}: must be <= {total}, the layers of {name} (got {n})")
    dec = parse_grid("--decode", decode) or M.DECODE_GRID
    pre = parse_grid("--prefill", prefill) or M.PREFILL_GRID
    if not re.fullmatch(r"cpu|cuda(:\d+)?", device):
        raise InputError(f"--device: must be cpu, cuda or cuda:N (got {device!r})")
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"--date: must be a date YYYY-MM-DD (got {date!r})") from None
    target: Path | None = None if out == "-" else check_out_file(out, "--out")

    try:
        import torch
    except ImportError:
        raise MeasureUnavailable("PyTorch is not installed; install the gpu extra: pip install 'otr-theory[gpu]'") from None
    if device.startswith("cuda"):
        index = int(device.partition(":")[2] or 0)
        if not torch.cuda.is_available():
            raise MeasureUnavailable(f"--device {device}: no CUDA GPU is available to PyTorch {torch.__version__}; use --device cpu for a CPU run")
        if index >= torch.cuda.device_count():
            raise MeasureUnavailable(f"--device {device}: only {torch.cuda.device_count()} CUDA device(s) are available")

    def skipped(cfg, exc) -> None:
        click.echo(f"skipped {cfg}: {type(exc).__name__}: {str(exc)[:120]}", err=True)

    src = M.describe_device(device, dtype, repeats, not no_graphs, date)
    rows = []
    for name in names:
        ms = M.measure_grid(
            name,
            decode=dec,
            prefill=pre,
            layers=layers_70b if name == "llama-70b" else layers,
            device=device,
            dtype=dtype,
            repeats=repeats,
            warmup=warmup,
            graphs=not no_graphs,
            on_error=skipped,
        )
        rows += M.to_rows(ms, src)
        if not quiet:
            click.echo(f"{name}: {len(ms)} configurations measured", err=True)
    buf = io.StringIO()
    M.write_rows(rows, buf)
    if as_json:
        nullable = ("weight_read_gb_per_s", "tflops")
        echo_json("measure-gpu", {"columns": list(M.COLUMNS), "rows": [{k: (None if k in nullable and v == "" else v) for k, v in r.items()} for r in rows]})
    if target is None:
        if not as_json:
            sys.stdout.write(buf.getvalue())
        return
    from otr_theory import atomic

    with guarded_output("--out"):
        atomic.write_file_atomically(target, buf.getvalue())
    if not quiet:
        click.echo(f"wrote {len(rows)} rows to {target}", err=True)
