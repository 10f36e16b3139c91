"""Symbolic payoffs and incentive conditions (sympy).

Deterrence of a single cheated query (ours, following the two conventions of the literature):

* detection probability with spot-check rate :math:`\\rho` and challenger detection :math:`q`:
  :math:`p = 1 - (1-\\rho)(1-q)`;
* ``forfeit`` (inspection games, Avenhaus, von Stengel, Zamir 2002): cheating gains g only when
  undetected and costs S when detected, so it is deterred iff
  :math:`(1-p)\\,g - p\\,S \\le 0`, i.e. :math:`S^* = g(1-p)/p`;
* ``keep`` (Becker 1968): the gain is kept and S paid on top, deterred iff
  :math:`g - pS \\le 0`, i.e. :math:`S^* = g/p`.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["detection_probability", "min_deterring_slash", "min_deterring_slash_expr"]

rho, q, g, S = sp.symbols("rho q g S", nonnegative=True)


def min_deterring_slash_expr(convention: str) -> sp.Expr:
    """S* as a sympy expression of rho, q and g.

    >>> sp.simplify(min_deterring_slash_expr("keep").subs(q, 0))
    g/rho
    """
    p = 1 - (1 - rho) * (1 - q)
    if convention == "forfeit":
        return g * (1 - p) / p
    if convention == "keep":
        return g / p
    raise ValueError(f"convention: must be 'forfeit' or 'keep' (got {convention!r})")


def detection_probability(spot_check_rate, challenger_detection=0.0):
    """Probability that a cheated query is caught: 1 - (1 - rho)(1 - q).

    >>> round(float(detection_probability(0.01, 0.5)), 12)
    0.505
    """
    r = np.asarray(spot_check_rate, dtype=float)
    c = np.asarray(challenger_detection, dtype=float)
    return 1.0 - (1.0 - r) * (1.0 - c)


def min_deterring_slash(gain_usd, detection, convention: str):
    """Minimum slash that deters a cheat worth ``gain_usd`` detected with probability ``detection``.

    Infinite where detection is 0.

    >>> float(min_deterring_slash(100.0, 0.01, "forfeit"))
    9900.0
    >>> float(min_deterring_slash(100.0, 0.01, "keep"))
    10000.0
    """
    gg = np.asarray(gain_usd, dtype=float)
    p = np.asarray(detection, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if convention == "forfeit":
            out = gg * (1.0 - p) / p
        elif convention == "keep":
            out = gg / p
        else:
            raise ValueError(f"convention: must be 'forfeit' or 'keep' (got {convention!r})")
    return np.where(p > 0, out, np.inf)
