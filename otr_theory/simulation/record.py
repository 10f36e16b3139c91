"""Plain-JSON records of simulation results, without importing the report.

``otr-analyze simulate --json`` must start fast, so it cannot import :mod:`otr_theory.report`
(which imports matplotlib, sympy and networkx for its sections). :func:`jsonable`,
:func:`dumps` and :func:`fmt` here follow :func:`otr_theory.report.core.jsonable`,
:func:`~otr_theory.report.core.dumps_results` and :func:`~otr_theory.report.core.fmt` rule for
rule; tests/simulation checks that they give byte-identical text on full simulation results.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["dumps", "fmt", "jsonable"]


def jsonable(x: Any) -> Any:
    """Plain JSON types, deterministically: non-finite floats as ``"inf"``/``"-inf"``/``"nan"``,
    Fractions as ``"p/q"``, numpy values as Python numbers, tuples as lists, dataclasses as dicts.

    >>> jsonable({"a": float("inf"), "b": Fraction(1, 3), "c": np.float64(0.5), "d": (1, 2)})
    {'a': 'inf', 'b': '1/3', 'c': 0.5, 'd': [1, 2]}
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
        return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, np.ndarray):
        return [jsonable(v) for v in x.tolist()]
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: jsonable(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    raise TypeError(f"cannot put {type(x).__name__} into JSON")


def dumps(doc: Mapping[str, Any]) -> str:
    """JSON text: sorted keys, two-space indent, a final newline (as results.json)."""
    return json.dumps(jsonable(doc), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def fmt(x: Any, digits: int = 4) -> str:
    """A number for a table: ``digits`` significant figures, inf as ∞, ints as ints.

    >>> fmt(9900.0), fmt(0.0123456), fmt(float("inf")), fmt(3), fmt(1_099_511_627_776)
    ('9900', '0.01235', '∞', '3', '1.1e+12')
    """
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, np.integer)) and abs(int(x)) < 10**9:
        return str(int(x))
    if isinstance(x, Fraction):
        x = float(x)
    if isinstance(x, (float, np.floating, int, np.integer)):
        x = float(x)
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        if math.isnan(x):
            return "n/a"
        return f"{x:.{digits}g}"
    return str(x)
