"""Plain JSON and number formatting for ``otr-analyze simulate``, without importing the report.

``otr-analyze simulate --json`` must start fast, so it cannot import :mod:`otr_theory.report`
(which imports matplotlib). :func:`jsonable` and :func:`dumps` are the project's one JSON rule
(:mod:`otr_theory.jsonio`, which results.json also uses); :func:`fmt` is the report's generic
number format.
"""

from __future__ import annotations

from typing import Any

from otr_theory.fmt import fmt_num
from otr_theory.jsonio import dumps, jsonable

__all__ = ["dumps", "fmt", "jsonable"]


def fmt(x: Any, digits: int = 4) -> str:
    """A number for a table: ``digits`` significant figures, inf as ∞, ints as ints, no exponent
    between 1e-4 and 1e9 (the rule of :func:`otr_theory.fmt.fmt_num`, which
    :func:`otr_theory.report.core.fmt` uses).

    >>> fmt(9900.0), fmt(0.0123456), fmt(float("inf")), fmt(3), fmt(1_099_511_627_776)
    ('9900', '0.01235', '∞', '3', '1.1e12')
    >>> fmt(43200.0), fmt(1e-7), fmt(9.99996), fmt(None), fmt(True)
    ('43200', '1e-7', '10', 'n/a', 'true')
    """
    return fmt_num(x, digits)
