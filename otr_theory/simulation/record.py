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
    """A number for a table: ``digits`` significant figures, inf as ∞, ints as ints, no exponent
    between 1e-4 and 1e9 (the rule of :func:`otr_theory.report.fmt.fmt_num`, which
    :func:`otr_theory.report.core.fmt` uses).

    >>> fmt(9900.0), fmt(0.0123456), fmt(float("inf")), fmt(3), fmt(1_099_511_627_776)
    ('9900', '0.01235', '∞', '3', '1.1e12')
    >>> fmt(43200.0), fmt(1e-7), fmt(9.99996), fmt(None), fmt(True)
    ('43200', '1e-7', '10', 'n/a', 'true')
    """
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, np.integer)) and abs(int(x)) < 10**9:
        return str(int(x))
    if x is None or not isinstance(x, (int, float, Fraction, np.integer, np.floating)):
        return "n/a" if x is None else str(x)
    v = float(x)
    if math.isnan(v):
        return "n/a"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if v == 0:
        return "0"
    a = abs(v)
    if a < 1e-4 or a >= 1e9:
        mant, exp = f"{v:.{digits - 1}e}".split("e")
        mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
        return f"{mant}e{int(exp)}"
    exponent = math.floor(math.log10(a))
    decimals = digits - 1 - exponent
    rounded = round(v, decimals)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) > exponent:  # 9.9996 -> 10.00
        decimals -= 1
        rounded = round(v, decimals)
    text = f"{rounded:.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
