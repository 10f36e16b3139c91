"""Typed, frozen result records: the one form in which an analysis hands its answer on.

Every area of the analysis (theorems, regimes, incentives, equilibria, dispute, calibration,
simulation, verdict) returns a frozen dataclass that subclasses :class:`Record`. The report, the
command line, results.json and the notebooks all read these records, so one quantity has one
value everywhere (issue 14).

A record's fields carry their unit, meaning and source in the dataclass field metadata, written
with :func:`quantity`::

    @dataclasses.dataclass(frozen=True, repr=False)
    class Deterrence(Record):
        required_stake_usd: float = quantity("USD", "the stake that deters the best attack", source="ours: payoffs.corruption")

What a record gives:

- ``repr(record)``: a few lines, the scalar fields with units (:meth:`Record.summary_lines`);
- ``record._repr_html_()``: a table in Jupyter;
- ``record.to_dict()``: plain JSON (the rule of :mod:`otr_theory.jsonio`, exact values as
  ``{"value", "exact"}``); results.json is built from it;
- ``record.to_frame()``: a pandas DataFrame of the record's table (``TABLE`` names the field
  that holds rows; pandas is optional: ``pip install 'otr-theory[pandas]'``);
- :func:`schema_of`: a JSON Schema generated from the record's type hints.

Dataclasses must be declared with ``repr=False`` so that :class:`Record`'s ``__repr__`` is used.
"""

from __future__ import annotations

import dataclasses
import html
import types
import typing
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar

from otr_theory.jsonio import EXACT_SCHEMA, jsonable

__all__ = ["Record", "field_info", "quantity", "schema_of"]


def quantity(unit: str = "", doc: str = "", *, source: str = "", default: Any = dataclasses.MISSING, default_factory: Any = dataclasses.MISSING) -> Any:
    """A dataclass field with its unit, meaning and source in the metadata.

    ``unit`` is a short unit (``"USD"``, ``"s"``, ``"queries"``, ``"1"`` for a probability or a
    share, ``""`` for text or a structure); ``source`` says where the number comes from (a
    calibration key, a paper, or ``"ours: ..."`` for our own derivation).
    """
    meta = {"unit": unit, "doc": doc, "source": source}
    if default is not dataclasses.MISSING:
        return dataclasses.field(default=default, metadata=meta)
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    return dataclasses.field(metadata=meta)


def _data_fields(record: Any) -> tuple[dataclasses.Field, ...]:
    """The fields that go into ``to_dict`` and the schema: all but those marked
    ``metadata={"transient": True}`` (a wall time, kept off results so they stay deterministic)."""
    return tuple(f for f in dataclasses.fields(record) if not f.metadata.get("transient"))


def field_info(record: Any) -> list[dict[str, str]]:
    """``[{"name", "unit", "doc", "source"}]`` for each field of a record (class or instance)."""
    return [{"name": f.name, "unit": f.metadata.get("unit", ""), "doc": f.metadata.get("doc", ""), "source": f.metadata.get("source", "")} for f in dataclasses.fields(record)]


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (bool, int, float, str, Fraction)) or type(v).__module__ == "numpy" and getattr(v, "ndim", 1) == 0


def _short(v: Any, unit: str) -> str:
    from otr_theory.fmt import fmt_value

    if isinstance(v, bool) or v is None or isinstance(v, str):
        return str(v)
    try:
        return fmt_value(v, unit)
    except Exception:  # a renderer never fails on a value
        return str(v)


class Record:
    """Mixin for frozen result dataclasses (see the module docstring).

    ``TITLE`` is a one-line name shown first by ``repr``; ``TABLE`` names the field that holds a
    table (a sequence of records or mappings) for :meth:`to_frame`; ``SUMMARY`` optionally limits
    the fields that ``repr`` shows (default: every scalar field, at most 12).
    """

    TITLE: ClassVar[str] = ""
    TABLE: ClassVar[str | None] = None
    SUMMARY: ClassVar[tuple[str, ...] | None] = None

    # -- plain data ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON of every field (the rule of :mod:`otr_theory.jsonio`)."""
        assert dataclasses.is_dataclass(self)
        return {f.name: jsonable(getattr(self, f.name)) for f in _data_fields(self)}

    def summary_lines(self) -> list[str]:
        """``name = value unit`` for the scalar fields (or those named in ``SUMMARY``)."""
        assert dataclasses.is_dataclass(self)
        fields = {f.name: f for f in dataclasses.fields(self)}
        names = self.SUMMARY if self.SUMMARY is not None else [n for n in fields if _is_scalar(getattr(self, n))][:12]
        out = []
        for n in names:
            f = fields.get(n)
            unit = f.metadata.get("unit", "") if f is not None else ""
            out.append(f"{n} = {_short(getattr(self, n), unit)}")
        return out

    def __repr__(self) -> str:
        title = self.TITLE or type(self).__name__
        lines = self.summary_lines()
        return f"{type(self).__name__}({title!r})" + "".join(f"\n  {line}" for line in lines)

    def _repr_html_(self) -> str:
        """A two-column table (field, value with unit) and the record's table if it has one."""
        assert dataclasses.is_dataclass(self)
        title = html.escape(self.TITLE or type(self).__name__)
        rows = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if not _is_scalar(v):
                continue
            unit = f.metadata.get("unit", "")
            doc = f.metadata.get("doc", "")
            rows.append(f"<tr><td title='{html.escape(doc)}'><code>{html.escape(f.name)}</code></td><td>{html.escape(_short(v, unit))}</td></tr>")
        out = f"<div class='otr-record'><strong>{title}</strong><table><tbody>{''.join(rows)}</tbody></table>"
        table = self.table_rows()
        if table:
            cols = list(table[0])
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(_short(r.get(c), ''))}</td>" for c in cols) + "</tr>" for r in table[:50])
            more = f"<p>and {len(table) - 50} more rows</p>" if len(table) > 50 else ""
            out += f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        return out + "</div>"

    # -- tables ----------------------------------------------------------------------------
    def table_rows(self) -> list[dict[str, Any]]:
        """The rows of the field named by ``TABLE`` as plain dicts ([] if none)."""
        if self.TABLE is None:
            return []
        rows = getattr(self, self.TABLE)
        out = []
        for r in rows:
            if isinstance(r, Record):
                out.append({k: v for k, v in r.to_dict().items()})
            elif dataclasses.is_dataclass(r) and not isinstance(r, type):
                out.append({f.name: getattr(r, f.name) for f in dataclasses.fields(r)})
            elif isinstance(r, Mapping):
                out.append(dict(r))
            else:
                raise TypeError(f"{type(self).__name__}.{self.TABLE}: a row must be a record or a mapping")
        return out

    def to_frame(self) -> Any:
        """The record's table as a pandas DataFrame (one row per entry of ``TABLE``), or, for a
        record without a table, one row of its scalar fields. Needs pandas (an optional extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame needs pandas: pip install 'otr-theory[pandas]'") from None
        rows = self.table_rows()
        if rows:
            return pd.DataFrame(rows)
        assert dataclasses.is_dataclass(self)
        return pd.DataFrame([{f.name: getattr(self, f.name) for f in dataclasses.fields(self) if _is_scalar(getattr(self, f.name))}])


# ---------------------------------------------------------------------------------------------
# JSON Schema from type hints
# ---------------------------------------------------------------------------------------------

_NUMBER = {"anyOf": [{"type": "number"}, {"enum": ["inf", "-inf", "nan"]}]}


def _schema_of_type(tp: Any, seen: set) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return _NUMBER
    if tp is str:
        return {"type": "string"}
    if tp is Fraction:
        return EXACT_SCHEMA
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_of_type(a, seen) for a in args]}
    if origin in (tuple, list, Sequence) or tp in (tuple, list):
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_of_type(args[0], seen)}
        if origin is tuple and args:
            return {"type": "array", "prefixItems": [_schema_of_type(a, seen) for a in args], "items": False}
        return {"type": "array", "items": _schema_of_type(args[0], seen) if args else {}}
    if origin in (dict, Mapping) or tp in (dict,):
        return {"type": "object", "additionalProperties": _schema_of_type(args[1], seen) if len(args) == 2 else {}}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return schema_of(tp, _seen=seen)
    return {}


def schema_of(cls: type, *, _seen: set | None = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12 fragment) of ``cls().to_dict()``, from the type hints and the
    field metadata (``description`` = doc, ``x-unit``, ``x-source``)."""
    seen = set() if _seen is None else _seen
    if cls in seen:
        return {"type": "object"}
    seen = seen | {cls}
    hints = typing.get_type_hints(cls)
    props = {}
    for f in _data_fields(cls):
        s = dict(_schema_of_type(hints.get(f.name, Any), seen))
        if f.metadata.get("doc"):
            s["description"] = f.metadata["doc"]
        if f.metadata.get("unit"):
            s["x-unit"] = f.metadata["unit"]
        if f.metadata.get("source"):
            s["x-source"] = f.metadata["source"]
        props[f.name] = s
    return {"type": "object", "title": getattr(cls, "TITLE", "") or cls.__name__, "properties": props, "required": [f.name for f in _data_fields(cls)]}
