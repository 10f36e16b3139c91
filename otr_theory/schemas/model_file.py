"""The JSON Schema (draft 2020-12) of a model file, generated from :data:`otr_theory.model.FIELDS`.

A model file is TOML; parsed by :mod:`tomllib` it is a JSON-shaped object, and
``model.schema.json`` in this folder describes that object as :func:`otr_theory.model.loads_model_dict`
accepts it, for editors and for tools that write model files:

* every numeric field as a bare number or a quantity table ``{value, source, low, high, note}``,
  with its type (``integer`` for the integer fields) and its range: a :class:`~otr_theory.model.Range`
  ``lo <= x <= hi`` becomes ``minimum``/``maximum`` (``exclusiveMinimum``/``exclusiveMaximum``
  where open; ``0 or ...`` an ``anyOf`` with ``const: 0``); ``low`` and ``high`` obey the same
  range; every number is at most :data:`otr_theory.limits.MAX_ABS_NUMBER` in magnitude;
* the words of ``[model]``, ``[protocol]`` and ``[dispute]`` as ``enum``\\ s, the switches as
  booleans, ``[sources]`` as tables ``{title, url, kind, note}``, ``[dispute.levels]``;
* unknown keys rejected (``additionalProperties: false``), every field of every section required.

What a JSON Schema cannot say stays with the loader, which remains the authority (the schema
says so in its description): a ``source`` must name a key of ``[sources]``; ``low <= value <=
high``; the cross-field rules (a slash at most the stake, a window of at least one dispute round,
a proof deadline no shorter than the proving time, the dispute design's own rules); the lengths
of ``[dispute.levels]`` lists agree; the file-size and nesting limits of :mod:`otr_theory.limits`.
A file the loader accepts always validates; the converse holds up to those rules.

The shipped file is :func:`model_file_schema` written by :func:`write` (a test holds them equal).

>>> s = model_file_schema()
>>> s["properties"]["zk"]["properties"]["spot_check_rate"]["$ref"]
'#/$defs/zk.spot_check_rate'
>>> s["$defs"]["zk.spot_check_rate.number"]["anyOf"]
[{'const': 0}, {'minimum': 1e-09, 'maximum': 1}]
"""

from __future__ import annotations

import json
import math
from importlib.resources import files
from pathlib import Path
from typing import Any

from otr_theory import limits
from otr_theory import model as M

__all__ = ["SCHEMA_FILE", "dumps", "load", "model_file_schema", "write"]

SCHEMA_FILE = "model.schema.json"
"""The shipped schema's file name in :mod:`otr_theory.schemas`."""

_ID = "https://github.com/otr-theory/otr-theory/schemas/model.schema.json"


def _range_schema(r: M.Range) -> dict[str, Any]:
    """The bounds of a :class:`~otr_theory.model.Range` as JSON Schema keywords (ours: the
    mapping of its ``lo``/``hi``/``*_open``/``zero_ok`` fields).

    >>> _range_schema(M.Range(0, 1, hi_open=True))
    {'minimum': 0, 'exclusiveMaximum': 1}
    >>> _range_schema(M.Range(0, lo_open=True))
    {'exclusiveMinimum': 0, 'maximum': 1e+25}
    """
    out: dict[str, Any] = {}
    lo = r.lo if math.isfinite(r.lo) else -limits.MAX_ABS_NUMBER
    hi = r.hi if math.isfinite(r.hi) else limits.MAX_ABS_NUMBER
    out["exclusiveMinimum" if r.lo_open and math.isfinite(r.lo) else "minimum"] = _num(lo)
    out["exclusiveMaximum" if r.hi_open and math.isfinite(r.hi) else "maximum"] = _num(hi)
    if r.zero_ok:
        return {"anyOf": [{"const": 0}, out]}
    return out


def _num(x: float) -> int | float:
    """A bound as JSON writes it best: ``1`` not ``1.0``."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _field_defs(spec: M.FieldSpec) -> dict[str, Any]:
    """``$defs`` of one field: its number (type and range) and its accepted forms."""
    kind = "integer" if spec.integer else "number"
    if not isinstance(spec.check, M.Range):  # pragma: no cover - every FIELDS check is a Range today
        bounds: dict[str, Any] = {"minimum": -limits.MAX_ABS_NUMBER, "maximum": limits.MAX_ABS_NUMBER}
    else:
        bounds = _range_schema(spec.check)
    number = {"type": kind, **bounds}
    unit = spec.unit
    doc = f"{spec.description} ({unit}; {spec.rule}{'; an integer' if spec.integer else ''})"
    quantity = {
        "type": "object",
        "properties": {
            "value": {"$ref": f"#/$defs/{spec.dotted}.number"},
            "source": {"type": "string", "description": "a key of [sources] (the loader checks it)"},
            "low": {"$ref": f"#/$defs/{spec.dotted}.number", "description": "lower end of the uncertainty range (<= value)"},
            "high": {"$ref": f"#/$defs/{spec.dotted}.number", "description": "upper end of the uncertainty range (>= value)"},
            "note": {"type": "string"},
        },
        "required": ["value"],
        "additionalProperties": False,
    }
    return {
        f"{spec.dotted}.number": number,
        spec.dotted: {
            "description": doc,
            "anyOf": [{"$ref": f"#/$defs/{spec.dotted}.number", "description": "a bare number: assumed, no source given"}, quantity],
        },
    }


def _enum(values: tuple[str, ...], doc: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"enum": list(values)}
    if doc:
        out["description"] = doc
    return out


def _closed(properties: dict[str, Any], required: list[str] | None = None, doc: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    if doc:
        out["description"] = doc
    return out


def model_file_schema() -> dict[str, Any]:
    """The JSON Schema of a model file as :func:`tomllib.loads` parses it.

    Returns
    -------
    dict
        A draft 2020-12 schema; ``json.dumps`` of it is the shipped ``model.schema.json``.
    """
    defs: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    for section in dict.fromkeys(f.section for f in M.FIELDS):
        specs = [f for f in M.FIELDS if f.section == section]
        props: dict[str, Any] = {}
        for spec in specs:
            defs.update(_field_defs(spec))
            props[spec.name] = {"$ref": f"#/$defs/{spec.dotted}"}
        if section == "dispute":
            for key, allowed in M._DISPUTE_CHOICES.items():
                props[key] = _enum(allowed)
            props["levels"] = _closed(
                {
                    "heights": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1, "description": "steps covered by one claim at each level, top first"},
                    "arities": {"type": "array", "items": {"type": "integer", "minimum": 2}, "description": "one per level (default 2)"},
                    "stakes_usd": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": limits.MAX_ABS_NUMBER}, "description": "one per level"},
                    "source": {"type": "string", "description": "a key of [sources]"},
                    "note": {"type": "string"},
                },
                ["heights"],
                "the levels of a multilevel design (dispute.design = multilevel); the lists have one entry per level",
            )
        sections[section] = _closed(props, [f.name for f in specs])
    protocol = {k: _enum(M._PROTOCOL_CHOICES[k]) if k in M._PROTOCOL_CHOICES else {"type": "boolean"} for k in M._PROTOCOL_KEYS}
    model_table = _closed(
        {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "scheme": _enum(M.SCHEMES, "the verification scheme (default otr)"),
            "loss_convention": _enum(M.LOSS_CONVENTIONS, "forfeit: a caught cheater loses the gain; keep: the gain is kept, the slash paid on top (default forfeit)"),
            "gain_realisation": _enum(M.GAIN_REALISATIONS, "when a wrong output's gain is realised (default provisional)"),
            "self_challenge": {"type": "boolean", "description": "the prover may challenge itself through a Sybil (default true)"},
        },
        ["name"],
    )
    source = _closed(
        {
            "title": {"type": "string", "minLength": 1},
            "url": {"type": "string"},
            "kind": _enum(M.SOURCE_KINDS, "how much the source can be trusted; derived and assumed are ours"),
            "note": {"type": "string"},
        },
        ["title", "kind"],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _ID,
        "title": "otr-theory model file",
        "description": (
            f"A model file (TOML, schema_version {M.SCHEMA_VERSION}) as tomllib parses it, generated from otr_theory.model.FIELDS. "
            "The loader (otr_theory.model.load_model) is the authority: it also checks that a source names a key of [sources], "
            "low <= value <= high, the cross-field rules (slash <= stake, a window of at least one dispute round, ...) and the file limits."
        ),
        "type": "object",
        "properties": {
            "schema_version": {"const": M.SCHEMA_VERSION},
            "model": model_table,
            "protocol": _closed(protocol, doc="structural switches (defaults: the OTR protocol)"),
            "sources": {"type": "object", "additionalProperties": source, "description": "sources by key; a quantity's source names one"},
            **sections,
        },
        "required": ["model", *sections],
        "additionalProperties": False,
        "$defs": defs,
    }


def dumps(schema: dict[str, Any]) -> str:
    """The schema as the shipped file holds it: two-space indent, keys in order, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write(path: str | Path | None = None) -> Path:
    """Write :func:`model_file_schema` to ``path`` (default: the shipped file beside this module)."""
    target = Path(path) if path is not None else Path(__file__).resolve().parent / SCHEMA_FILE
    target.write_text(dumps(model_file_schema()), encoding="utf-8")
    return target


def load() -> dict[str, Any]:
    """The shipped ``model.schema.json``."""
    return json.loads(files("otr_theory.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
