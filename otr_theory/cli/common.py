"""Shared pieces of the subcommands: loading a model as CLI input, progress bars."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from tqdm import tqdm

from otr_theory.model import Model, ModelError, load_model

__all__ = ["InputError", "MODEL_ARG", "load_input_model", "progress_bar"]


class InputError(Exception):
    """Bad input: printed as one message, exit code 2."""


MODEL_ARG = click.argument("model", required=False, default=None, metavar="[MODEL]")


def load_input_model(path: str | None) -> Model:
    """Load the model named on the command line; a :class:`ModelError` becomes exit code 2."""
    try:
        return load_model(path)
    except ModelError as e:
        raise InputError(str(e)) from None


def check_out_dir(out: str, option: str = "--out") -> Path:
    """An output folder that can be created; a file in the way is bad input."""
    p = Path(out)
    if p.exists() and not p.is_dir():
        raise InputError(f"{option} {out}: exists and is not a folder")
    existing = p.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{option} {out}: cannot be created ({existing} is not a folder)")
    if not os.access(existing, os.W_OK):
        raise InputError(f"{option} {out}: cannot be created ({existing} is not writable)")
    return p


@contextmanager
def progress_bar(total: int, desc: str, *, enabled: bool = True):
    """A tqdm bar on stderr; yields ``step(label)`` which advances it by one."""
    bar = tqdm(total=total, desc=desc, unit="step", file=sys.stderr, disable=not enabled, leave=False)

    def step(label: str) -> None:
        bar.set_postfix_str(label)
        bar.update(1)

    try:
        yield step
    finally:
        bar.close()
