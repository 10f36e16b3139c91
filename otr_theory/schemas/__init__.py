"""JSON Schemas (draft 2020-12) of every ``otr-analyze <command> --json`` output.

Each output is one object with ``"schema": "otr-theory/<command>/v1"`` and ``"otr_theory_version"``
at top level; ``<command>.schema.json`` in this folder describes it (a test validates each
command's real output against it). ``model.schema.json`` describes model files
(:mod:`otr_theory.schemas.model_file`, generated from :data:`otr_theory.model.FIELDS`);
``results.schema.json`` describes a report's results.json (generated from the records' type
hints by :func:`otr_theory.analysis.results_schema`). Both are documents, read with
:func:`load_document`; a test keeps each equal to its generator's output.

>>> sorted(COMMANDS) == sorted(load(c)["properties"]["schema"]["const"].split("/")[1] for c in COMMANDS)
True
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

__all__ = ["COMMANDS", "DOCUMENTS", "load", "load_document", "schema_id"]

COMMANDS = ("check", "diff", "measure-gpu", "regime", "report", "simulate", "solve")

DOCUMENTS = ("model", "results")
"""Files with a schema of their own: model files and results.json."""


def schema_id(command: str) -> str:
    """The tag an output of ``command`` carries under ``"schema"``.

    >>> schema_id("check")
    'otr-theory/check/v1'
    """
    return f"otr-theory/{command}/v1"


def load(command: str) -> dict[str, Any]:
    """The JSON Schema of ``command``'s ``--json`` output (a ValueError for an unknown command)."""
    if command not in COMMANDS:
        raise ValueError(f"command: must be one of {', '.join(COMMANDS)} (got {command!r})")
    return json.loads(files(__name__).joinpath(f"{command}.schema.json").read_text(encoding="utf-8"))


def load_document(name: str) -> dict[str, Any]:
    """The JSON Schema of a model file (``"model"``) or of results.json (``"results"``)."""
    if name not in DOCUMENTS:
        raise ValueError(f"document: must be one of {', '.join(DOCUMENTS)} (got {name!r})")
    return json.loads(files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))
