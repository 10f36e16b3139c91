"""Shared pieces of the subcommands: loading a model as CLI input, output targets, signals,
progress bars."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import click
from tqdm import tqdm

from otr_theory import atomic
from otr_theory.limits import MAX_MESSAGE_CHARS, MAX_PROBLEMS, short
from otr_theory.model import Model, ModelError, load_model

__all__ = [
    "JSON_OPT",
    "QUIET_OPT",
    "InputError",
    "Interrupted",
    "MODEL_ARG",
    "echo_json",
    "human_formats",
    "json_document",
    "package_version",
    "check_out_dir",
    "check_out_file",
    "guarded_output",
    "load_input_model",
    "progress_bar",
    "progress_enabled",
]


class InputError(Exception):
    """Bad input: printed as one message, exit code 2.

    The message is capped where it is made, whatever raised it: each line at
    :data:`~otr_theory.limits.MAX_MESSAGE_CHARS` characters, at most
    :data:`~otr_theory.limits.MAX_PROBLEMS` lines and then "and N more problems".

    >>> str(InputError("x" * 1000)).endswith("(700 more characters)")
    True
    """

    def __init__(self, message: object = ""):
        lines = str(message).splitlines() or [""]
        shown = [short(ln, MAX_MESSAGE_CHARS) for ln in lines[:MAX_PROBLEMS]]
        if len(lines) > MAX_PROBLEMS + 1 or (len(lines) == MAX_PROBLEMS + 1 and not lines[-1].endswith("more problems")):
            shown.append(f"and {len(lines) - MAX_PROBLEMS:,} more problems")
        elif len(lines) == MAX_PROBLEMS + 1:
            shown.append(lines[-1])
        super().__init__("\n".join(shown))


class Interrupted(click.ClickException):
    """SIGTERM (exit 143) or another signal arrived; temporary output is already removed."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}; nothing was written")
        self.exit_code = 128 + signum

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


MODEL_ARG = click.argument("model", required=False, default=None, metavar="[MODEL]")
JSON_OPT = click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object (schema-tagged: see otr_theory/schemas/).")
QUIET_OPT = click.option("--quiet", "-q", is_flag=True, help="Only the verdict line(s) (or the JSON): no tables, no progress bar, no listing of files written.")

SCHEMA_PREFIX = "otr-theory"


def package_version() -> str:
    """The running package's version (:func:`otr_theory._version.version`: a source checkout's
    pyproject.toml, else the installed distribution's metadata)."""
    from otr_theory._version import version

    return version()


def json_document(command: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the two tags every ``--json`` output carries at top level.

    >>> d = json_document("check", {"counts": {}})
    >>> d["schema"], sorted(d)
    ('otr-theory/check/v1', ['counts', 'otr_theory_version', 'schema'])
    """
    clash = {"schema", "otr_theory_version"} & set(data)
    doc = {"schema": f"{SCHEMA_PREFIX}/{command}/v1", "otr_theory_version": package_version()}  # = otr_theory.schemas.schema_id
    doc.update({k: v for k, v in data.items() if k not in clash})
    return doc


def _plain_dumps(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def echo_json(command: str, data: Mapping[str, Any], dumps: Callable[[Any], str] | None = None) -> None:
    """Print :func:`json_document` of ``data``: sorted keys, two-space indent, no NaN, as
    results.json (``dumps`` is the serializer the command already uses, e.g.
    :func:`otr_theory.report.core.dumps_results`; by default plain :func:`json.dumps` of data
    that is JSON already)."""
    text = (dumps or _plain_dumps)(json_document(command, data))
    click.echo(text if text.endswith("\n") else text + "\n", nl=False)


def human_formats() -> ModuleType:
    """:mod:`otr_theory.fmt` (money, durations, probabilities): a light module (numpy only)
    outside the report package, so the light commands (check, simulate) import it directly."""
    return importlib.import_module("otr_theory.fmt")


def load_input_model(path: str | None) -> Model:
    """Load the model named on the command line; a :class:`ModelError` becomes exit code 2.

    A name that is neither a file nor a shipped model gets the shipped names in its message."""
    try:
        return load_model(path)
    except ModelError as e:
        msg = str(e)
        if path is not None and not Path(path).exists():
            from otr_theory.model import model_paths

            msg += f" (not a file, nor a shipped model: {', '.join(model_paths())})"
        raise InputError(msg) from None


def _where(option: str, out: str) -> str:
    return f"{option} {short(out, 120)}"


def check_out_dir(out: str, option: str = "--out") -> Path:
    """An output folder that can be created; a file in the way is bad input."""
    p = Path(out)
    if p.exists() and not p.is_dir():
        raise InputError(f"{_where(option, out)}: exists and is not a folder")
    existing = p.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{_where(option, out)}: cannot be created ({short(str(existing), 120)} is not a folder)")
    if not os.access(existing, os.W_OK):
        raise InputError(f"{_where(option, out)}: cannot be created ({short(str(existing), 120)} is not writable)")
    _probe(p, option)
    return p


def _probe(p: Path, option: str) -> None:
    try:
        atomic.probe_writable(p)
    except atomic.OutputError as e:
        raise InputError(short(f"{option} {e}", MAX_MESSAGE_CHARS)) from None


def check_out_file(out: str, option: str) -> Path:
    """An output file that can be written: not a folder, in an existing, writable folder."""
    p = Path(out)
    if p.is_dir():
        raise InputError(f"{_where(option, out)}: is a folder, not a file")
    if p.exists() and not p.is_file():
        raise InputError(f"{_where(option, out)}: is not a regular file")
    parent = p.absolute().parent
    if not parent.exists():
        raise InputError(f"{_where(option, out)}: folder {short(str(parent), 120)} does not exist")
    if not parent.is_dir():
        raise InputError(f"{_where(option, out)}: {short(str(parent), 120)} is not a folder")
    if not os.access(parent, os.W_OK):
        raise InputError(f"{_where(option, out)}: folder {short(str(parent), 120)} is not writable")
    _probe(p, option)
    return p


@contextmanager
def guarded_output(option: str = "--out") -> Iterator[None]:
    """Around a command that writes files: SIGTERM unwinds (removing temporary files) and exits
    143, SIGINT exits 130 (click's ``Abort``); an :class:`~otr_theory.atomic.OutputError` (full
    disk, read-only location, an entry in the way) becomes one line and exit code 2."""
    try:
        with atomic.signals_raise():
            yield
    except atomic.OutputError as e:
        raise InputError(short(f"{option} {e}", MAX_MESSAGE_CHARS)) from None
    except atomic.Interrupted as e:
        raise Interrupted(e.signum) from None


def progress_enabled(quiet: bool = False, as_json: bool = False) -> bool:
    """Whether a command shows a progress bar: not with ``-q`` or ``--json``, and only when
    stderr is a terminal (a CI log or a pipe gets no carriage-return noise)."""
    if quiet or as_json:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return False


@contextmanager
def progress_bar(total: int, desc: str, *, enabled: bool = True, first: str = ""):
    """A tqdm bar on stderr, shown only where stderr is a terminal; yields ``step(label)``, which
    advances it by one and shows ``label`` (the stage now running, or the one just done);
    ``first`` labels the bar before the first step."""
    enabled = enabled and progress_enabled()
    bar = tqdm(total=total, desc=desc, unit="step", file=sys.stderr, disable=not enabled, leave=False)
    if first:
        bar.set_postfix_str(first)

    def step(label: str) -> None:
        bar.set_postfix_str(label)
        bar.update(1)

    try:
        yield step
    finally:
        bar.close()
