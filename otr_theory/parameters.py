"""The model's parameters as a record: every field with its value, unit, range and source.

:func:`model_parameters` reads a loaded :class:`~otr_theory.model.Model` (nothing is computed:
each number is the model file's, or the default the loader filled in, with the source the file
or the default names) and returns :class:`ModelParameters`, whose table has one row per field of
:data:`otr_theory.model.FIELDS`, in schema order. The report's parameter section renders it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from otr_theory.model import Model
from otr_theory.records import Record, quantity

__all__ = ["ModelParameters", "ParameterRow", "SourceRow", "model_parameters"]


@dataclasses.dataclass(frozen=True, repr=False)
class ParameterRow(Record):
    """One field of the model."""

    field: str = quantity("", "the field's dotted name (section.name)")
    value: float = quantity("", "its value (in ``unit``)")
    unit: str = quantity("", "its unit")
    low: float | None = quantity("", "the low end of its declared range (None: no range)")
    high: float | None = quantity("", "the high end of its declared range (None: no range)")
    source: str = quantity("", "the key of its source")
    source_kind: str = quantity("", "the source's kind (primary, secondary, derived, assumed, ...)")
    source_url: str = quantity("", "the source's address, if any")
    note: str = quantity("", "the value's note, else the field's description")


@dataclasses.dataclass(frozen=True, repr=False)
class SourceRow(Record):
    """One source cited by at least one field."""

    key: str = quantity("", "the source's key")
    kind: str = quantity("", "its kind")
    title: str = quantity("", "its title")
    url: str = quantity("", "its address, if any")


@dataclasses.dataclass(frozen=True, repr=False)
class ModelParameters(Record):
    """Every parameter of a model with its unit, range and source.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> p = model_parameters(load_model())
    >>> print(repr(p).splitlines()[1])
      model = otr-llama70b-h100-l1
    >>> next(r for r in p.rows if r.field == "economics.slash_usd").value
    100000.0
    >>> "rows" in p.to_dict()
    True
    """

    TITLE: ClassVar[str] = "Parameters and their sources"
    TABLE: ClassVar[str | None] = "rows"
    SUMMARY: ClassVar[tuple[str, ...]] = ("model", "scheme", "count")

    model: str = quantity("", "the model's name")
    scheme: str = quantity("", "the model's scheme")
    count: int = quantity("count", "number of fields")
    rows: tuple[ParameterRow, ...] = quantity("", "one row per field, in schema order")
    sources: tuple[SourceRow, ...] = quantity("", "the sources cited, sorted by key")
    protocol: dict[str, Any] = quantity("", "the protocol switches")
    source_kinds: dict[str, int] = quantity("count", "number of fields by source kind")


def model_parameters(model: Model) -> ModelParameters:
    """The :class:`ModelParameters` record of ``model``."""
    rows: list[ParameterRow] = []
    kinds: dict[str, int] = {}
    for spec, q, src in model.iter_fields():
        rows.append(
            ParameterRow(
                field=spec.dotted,
                value=float(q.value),
                unit=spec.unit,
                low=None if q.low is None else float(q.low),
                high=None if q.high is None else float(q.high),
                source=q.source,
                source_kind=src.kind,
                source_url=src.url or "",
                note=q.note or spec.description,
            )
        )
        kinds[src.kind] = kinds.get(src.kind, 0) + 1
    used = {q.source for q in model.quantities.values()}
    sources = tuple(SourceRow(key=s.key, kind=s.kind, title=s.title, url=s.url or "") for _, s in sorted(model.sources.items()) if s.key in used)
    return ModelParameters(model=model.name, scheme=model.scheme, count=len(rows), rows=tuple(rows), sources=sources, protocol=dict(vars(model.protocol)), source_kinds=dict(sorted(kinds.items())))
