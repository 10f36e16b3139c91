"""Plain JSON for every output (results.json, each command's ``--json``), light to import.

One rule for every value, applied everywhere (issue 14):

- a finite float is a JSON number; ``inf``, ``-inf`` and NaN are the strings ``"inf"``,
  ``"-inf"``, ``"nan"`` (JSON has no such numbers; ``allow_nan=False`` keeps them out);
- an **exact** value (a :class:`fractions.Fraction`, or a sympy rational, from the exact solvers
  and the symbolic payoffs) is ``{"value": float, "exact": "p/q"}``: a reader that wants a number
  reads ``value``, a reader that wants the exact number parses ``exact``; an integer-valued
  Fraction is ``{"value": 3.0, "exact": "3"}``;
- numpy scalars and arrays become Python numbers and lists, tuples lists, dataclasses (and
  :class:`otr_theory.records.Record` records) dicts of their fields;
- keys are sorted and the text ends with a newline (:func:`dumps`), so the same results give the
  same bytes.

Imports only numpy, so a light command (``simulate --json``) never loads the report.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["EXACT_SCHEMA", "dumps", "exact", "jsonable"]

EXACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An exact value: value is its float, exact its rational number as 'p/q' (or 'p').",
    "properties": {"value": {"type": "number"}, "exact": {"type": "string", "pattern": "^-?[0-9]+(/[0-9]+)?$"}},
    "required": ["value", "exact"],
    "additionalProperties": False,
}
"""The JSON Schema of one exact value (used by the generated schemas)."""


def exact(x: Fraction | int) -> dict[str, Any]:
    """The JSON form of an exact rational.

    >>> exact(Fraction(1, 3))
    {'value': 0.3333333333333333, 'exact': '1/3'}
    >>> exact(Fraction(6, 2))
    {'value': 3.0, 'exact': '3'}
    """
    q = Fraction(x)
    text = f"{q.numerator}/{q.denominator}" if q.denominator != 1 else str(q.numerator)
    return {"value": float(q), "exact": text}


def _sympy_rational(x: Any) -> Fraction | None:
    """A Fraction for a sympy Rational/Integer (without importing sympy), else None."""
    mod = type(x).__module__
    if mod.startswith("sympy") and getattr(x, "is_Rational", False):
        return Fraction(int(x.p), int(x.q))
    return None


def jsonable(x: Any) -> Any:
    """Convert results to plain JSON types, deterministically (the rule in the module docstring).

    >>> jsonable({"a": float("inf"), "b": Fraction(1, 3), "c": np.float64(0.5), "d": (1, 2)})
    {'a': 'inf', 'b': {'value': 0.3333333333333333, 'exact': '1/3'}, 'c': 0.5, 'd': [1, 2]}
    """
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(x, Fraction):
        return exact(x)
    if isinstance(x, np.ndarray):
        return [jsonable(v) for v in x.tolist()]
    to_dict = getattr(x, "to_dict", None)
    if callable(to_dict) and not isinstance(x, type) and dataclasses.is_dataclass(x):
        return jsonable(to_dict())
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: jsonable(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    q = _sympy_rational(x)
    if q is not None:
        return exact(q)
    raise TypeError(f"cannot put {type(x).__name__} into JSON")


def dumps(doc: Mapping[str, Any]) -> str:
    """JSON text: sorted keys, two-space indent, a final newline (results.json and ``--json``)."""
    return json.dumps(jsonable(doc), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
