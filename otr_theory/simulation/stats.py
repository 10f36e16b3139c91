"""Confidence intervals for the simulation's estimates.

* Rates (a count ``k`` of ``n`` independent trials): the Wilson score interval (Wilson 1927;
  Brown, Cai, DasGupta, "Interval Estimation for a Binomial Proportion", Statistical Science
  16(2), 2001, eq. 4):

  .. math::

      \\frac{\\hat p + \\frac{z^2}{2n} \\pm z \\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}
           {1 + \\frac{z^2}{n}}

  It never leaves [0, 1] and is informative at k = 0 (upper end about :math:`z^2/n`), where the
  normal (Wald) interval collapses to a point.
* Means of per-query amounts (cost, time): the normal interval
  :math:`\\bar x \\pm z\\, s/\\sqrt{n}` from the exact sample variance (the simulation keeps the
  sums and sums of squares of its integer features, so the variance is exact, not streamed).

``z`` is the two-sided 95% normal quantile.
"""

from __future__ import annotations

import dataclasses
import math

__all__ = ["Z95", "Estimate", "wilson_interval", "mean_interval"]

Z95 = 1.959963984540054
"""The 0.975 quantile of the standard normal (``scipy.stats.norm.ppf(0.975)``)."""


@dataclasses.dataclass(frozen=True)
class Estimate:
    """A simulated quantity with its 95% confidence interval.

    Attributes
    ----------
    value : float
        The point estimate.
    low, high : float
        The interval's ends.
    method : str
        ``"wilson"``, ``"normal"`` or ``"exact"`` (no sampling error: a constant of the model).
    count, trials : int
        For rates: successes and trials (``trials`` also for means: the sample size).
    """

    value: float
    low: float
    high: float
    method: str
    count: int | None = None
    trials: int = 0

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the interval (ends included)."""
        return self.low <= x <= self.high

    def scaled(self, factor: float) -> Estimate:
        """The same estimate times a constant ``factor >= 0``."""
        return dataclasses.replace(self, value=self.value * factor, low=self.low * factor, high=self.high * factor)


def wilson_interval(count: int, trials: int, z: float = Z95) -> Estimate:
    """Rate ``count/trials`` with its Wilson score interval.

    With no trials the rate is undefined: value nan and the interval [0, 1].

    Examples
    --------
    >>> e = wilson_interval(0, 1000)
    >>> e.value, e.low, round(e.high, 5)
    (0.0, 0.0, 0.00383)
    >>> e = wilson_interval(50, 100)
    >>> round(e.low, 4), round(e.high, 4)
    (0.4038, 0.5962)
    """
    count, trials = int(count), int(trials)
    if trials <= 0:
        return Estimate(math.nan, 0.0, 1.0, "wilson", count, trials)
    p = count / trials
    z2 = z * z
    denom = 1.0 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == trials else min(1.0, centre + half)
    return Estimate(p, low, high, "wilson", count, trials)


def mean_interval(total: float, total_sq: float, n: int, z: float = Z95) -> Estimate:
    """Mean of ``n`` values from their sum and sum of squares, with the normal interval.

    Examples
    --------
    >>> e = mean_interval(total=10.0, total_sq=30.0, n=4)  # values 1, 2, 3, 4
    >>> e.value, round(e.high - e.value, 4)  # s = 1.291, z s / 2
    (2.5, 1.2652)
    >>> mean_interval(8.0, 16.0, 4).method  # all equal: no sampling error
    'exact'
    """
    n = int(n)
    if n <= 0:
        return Estimate(math.nan, math.nan, math.nan, "normal", None, 0)
    mean = total / n
    var = (total_sq - n * mean * mean) / (n - 1) if n > 1 else 0.0
    scale = max(abs(total_sq) / n, 1e-300)
    if var <= 1e-12 * scale:  # rounding noise of a constant
        return Estimate(mean, mean, mean, "exact", None, n)
    half = z * math.sqrt(var / n)
    return Estimate(mean, mean - half, mean + half, "normal", None, n)
