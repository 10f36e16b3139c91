"""Argument checks shared by the payoff modules: one domain error, raised at the boundary."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["PayoffError", "CONVENTIONS", "DEVIATIONS"]

CONVENTIONS: tuple[str, ...] = ("forfeit", "keep")
"""What a caught cheater loses: ``forfeit`` the gain (inspection games), ``keep`` nothing but the
slash (Becker 1968)."""

DEVIATIONS: tuple[str, ...] = ("wrong_output", "model_downgrade", "skip_work")
"""The prover's catalogued deviations, each with its gain field in the model."""


class PayoffError(ValueError):
    """A bad argument to a payoff function: names the argument, the rule and the bad value.

    Attributes
    ----------
    argument : str
        The argument (or ``values[...]`` entry) at fault.
    rule : str
        The rule it breaks.
    value : object
        The offending value (the first offending element of an array).
    """

    def __init__(self, argument: str, rule: str, value: Any):
        self.argument = argument
        self.rule = rule
        self.value = value
        super().__init__(f"{argument}: {rule} (got {value!r})")


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> Any:
    v = arr[bad].flat[0]
    return float(v) if isinstance(v, (float, np.floating)) else v


def as_float_array(name: str, x: Any) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise PayoffError(name, "must be a number or an array of numbers", x) from None
    return arr


def check_convention(convention: Any) -> str:
    if not isinstance(convention, str) or convention not in CONVENTIONS:
        raise PayoffError("convention", "must be 'forfeit' or 'keep'", convention)
    return convention


def check_deviation(deviation: Any) -> str:
    if not isinstance(deviation, str) or deviation not in DEVIATIONS:
        raise PayoffError("deviation", f"must be one of {', '.join(DEVIATIONS)}", deviation)
    return deviation


def probability(name: str, x: Any) -> np.ndarray:
    arr = as_float_array(name, x)
    bad = ~((arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        raise PayoffError(name, "must be a probability in [0, 1]", _first_bad(arr, bad))
    return arr


def nonnegative(name: str, x: Any, *, allow_inf: bool = False) -> np.ndarray:
    arr = as_float_array(name, x)
    ok = arr >= 0.0
    if not allow_inf:
        ok &= np.isfinite(arr)
    bad = ~ok
    if bad.any():
        raise PayoffError(name, "must be finite and >= 0" if not allow_inf else "must be >= 0", _first_bad(arr, bad))
    return arr


def count(name: str, x: Any, *, minimum: int = 1) -> np.ndarray:
    arr = np.asarray(x)
    rule = f"must be an integer >= {minimum}"
    if arr.dtype.kind not in "iuf":
        raise PayoffError(name, rule, x)
    bad = ~((arr >= minimum) & (np.floor(arr) == arr))
    if bad.any():
        raise PayoffError(name, rule, _first_bad(arr, bad))
    return arr.astype(float)


def exact(name: str, x: Any) -> Fraction:
    """A value as an exact Fraction: floats through their repr (0.1 -> 1/10), ints exactly."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise PayoffError(name, "must be a number", x)
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        if not np.isfinite(x):
            raise PayoffError(name, "must be finite", float(x))
        return Fraction(repr(float(x)))
    try:  # sympy Rational and friends
        import sympy as sp

        r = sp.Rational(x)
        return Fraction(int(r.p), int(r.q))
    except (TypeError, ValueError, AttributeError):
        raise PayoffError(name, "must be a number", x) from None


def field(values: Mapping[str, Any], key: str) -> Any:
    try:
        return values[key]
    except KeyError:
        raise PayoffError(f"values[{key!r}]", "is missing (pass Model.values())", None) from None
    except TypeError:
        raise PayoffError("values", "must be a Mapping of field name to value (Model.values()) or a Model", type(values).__name__) from None


def scalar_or_array(arr: np.ndarray) -> Any:
    """0-d arrays become numpy float scalars (also Python floats); others stay arrays."""
    arr = np.asarray(arr)
    return arr[()] if arr.ndim == 0 else arr
