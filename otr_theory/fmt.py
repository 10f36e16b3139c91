"""One number format for everything the report renders: money, probabilities, durations, counts.

Every renderer (report sections, the summary, the HTML and Markdown templates) formats a number
through one of these functions, so one quantity reads the same wherever it appears:

- **money** :func:`fmt_usd`: ``$0.0127``, ``$901``, ``$100,000``, ``-$19`` (the sign before the
  dollar sign), three significant figures below $1,000, whole dollars with thousands separators
  from $1,000 on;
- **probabilities and rates** :func:`fmt_prob`: plain decimals with three significant figures
  (``0.01``, ``0.00741``), scientific only below 1e-4 (``1.92e-5``); :func:`fmt_pct` for shares;
- **durations** :func:`fmt_duration`: the two largest human units (``7.82 s``, ``20 min``,
  ``7 h 10 min``, ``12 h``, ``1 d 0 h``);
- **counts** :func:`fmt_count`: whole numbers with thousands separators (``200,000``);
- **generic numbers** :func:`fmt_num` (also :func:`otr_theory.report.core.fmt`): ``digits``
  significant figures and no exponent between 1e-4 and 1e9, so ``43200`` never reads ``4.32e+04``
  beside ``14400``; no thousands separators, because these numbers also appear in
  comma-separated lists such as ``S in [90468, 99992]``.

Markdown helpers: :func:`md_escape` escapes the characters that Markdown would read as markup
(``hardware.*, served_model.*`` must not turn into italics) and :func:`md_code` wraps text in a
code span that survives any backticks inside it.

Every function accepts ``None`` and non-numbers (-> ``"n/a"``), infinities (-> ``"∞"``) and NaN
(-> ``"n/a"``), and never raises on a value: a renderer must not fail on a missing result.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "fmt_count",
    "fmt_duration",
    "fmt_num",
    "fmt_pct",
    "fmt_prob",
    "fmt_usd",
    "fmt_value",
    "md_code",
    "md_escape",
]


def _number(x: Any) -> float | None:
    """``x`` as a float, or None when it is not a number (bools are not numbers here)."""
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (int, float, Fraction, np.integer, np.floating)):
        return float(x)
    return None


def _special(v: float | None) -> str | None:
    if v is None or math.isnan(v):
        return "n/a"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return None


def _finite(x: Any) -> float | str:
    """``x`` as a finite float, or the text shown instead of a non-number or a non-finite one.

    >>> _finite(2), _finite(None), _finite(float("-inf"))
    (2.0, 'n/a', '-∞')
    """
    v = _number(x)
    special = _special(v)
    if special is not None or v is None:
        return "n/a" if special is None else special
    return v


def _sig(v: float, digits: int) -> str:
    """``v`` to ``digits`` significant figures, positional between 1e-4 and 1e9, no trailing zeros.

    >>> _sig(43200.0, 4), _sig(0.0123456, 4), _sig(1e5, 4), _sig(1.92e-5, 3), _sig(123456.7, 4)
    ('43200', '0.01235', '100000', '1.92e-5', '123500')
    """
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


def fmt_num(x: Any, digits: int = 4) -> str:
    """A number for a table or a sentence: ``digits`` significant figures, ints as ints.

    >>> fmt_num(9900.0), fmt_num(43200.0), fmt_num(0.0123456), fmt_num(float("inf")), fmt_num(3)
    ('9900', '43200', '0.01235', '∞', '3')
    >>> fmt_num(1_099_511_627_776), fmt_num(True), fmt_num("text"), fmt_num(None)
    ('1.1e12', 'true', 'text', 'n/a')
    """
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, np.integer)) and abs(int(x)) < 10**9:
        return str(int(x))
    v = _number(x)
    if v is None:
        return "n/a" if x is None else str(x)
    return _special(v) or _sig(v, digits)


def fmt_usd(x: Any, digits: int = 3) -> str:
    """Money: ``-$19`` (sign first), ``digits`` significant figures below $1,000, whole dollars with
    thousands separators from $1,000 to $1e12, scientific above.

    >>> fmt_usd(0.012684), fmt_usd(100000.0), fmt_usd(-19.2), fmt_usd(901.03), fmt_usd(11.92)
    ('$0.0127', '$100,000', '-$19.2', '$901', '$11.9')
    >>> fmt_usd(-46183.2), fmt_usd(13.6893, 4), fmt_usd(0.000238), fmt_usd(float("inf")), fmt_usd(None)
    ('-$46,183', '$13.69', '$0.000238', '∞', 'n/a')
    """
    v = _finite(x)
    if isinstance(v, str):
        return v
    sign = "-" if v < 0 else ""
    a = abs(v)
    if a >= 1e12:
        body = _sig(a, digits)
    elif a >= 1000 or round(a) >= 1000:
        body = f"{a:,.0f}"
    else:
        body = _sig(a, digits)
    return "$0" if body == "0" else f"{sign}${body}"


def fmt_prob(p: Any, digits: int = 3) -> str:
    """A probability or rate: ``digits`` significant figures, scientific only below 1e-4.

    >>> fmt_prob(0.01), fmt_prob(0.0074123), fmt_prob(1.921e-05), fmt_prob(1), fmt_prob(0.0)
    ('0.01', '0.00741', '1.92e-5', '1', '0')
    """
    v = _finite(p)
    return v if isinstance(v, str) else _sig(v, digits)


def fmt_pct(share: Any, digits: int = 3) -> str:
    """A share as a percentage: ``0.977 -> '97.7%'``.

    >>> fmt_pct(0.9771), fmt_pct(0.1198), fmt_pct(1.0), fmt_pct(None)
    ('97.7%', '12%', '100%', 'n/a')
    """
    v = _finite(share)
    return v if isinstance(v, str) else f"{_sig(v * 100, digits)}%"


def fmt_duration(seconds: Any) -> str:
    """A duration in the two largest human units.

    Below a minute: seconds with three significant figures (milliseconds below one second);
    from a minute on: whole units, the two largest (``7 h 10 min``; ``12 h`` when the minutes are
    zero; from one day on the hours are always shown: ``1 d 0 h``); from 1,000 days on: days only.

    >>> fmt_duration(7.82), fmt_duration(0.152), fmt_duration(1200), fmt_duration(90)
    ('7.82 s', '152 ms', '20 min', '1 min 30 s')
    >>> fmt_duration(25808.4), fmt_duration(43200), fmt_duration(86400), fmt_duration(604800)
    ('7 h 10 min', '12 h', '1 d 0 h', '7 d 0 h')
    >>> fmt_duration(-5), fmt_duration(float("inf")), fmt_duration(None)
    ('-5 s', '∞', 'n/a')
    """
    v = _finite(seconds)
    if isinstance(v, str):
        return v
    if v < 0:
        return "-" + fmt_duration(-v)
    if v == 0:
        return "0 s"
    if v < 1:
        return f"{_sig(v * 1000, 3)} ms"
    if v < 59.5:
        return f"{_sig(v, 3)} s"
    if v >= 1000 * 86400:
        return f"{v / 86400:,.0f} d"
    minutes, secs = divmod(round(v), 60)
    if minutes < 60:
        return f"{minutes} min" if secs == 0 else f"{minutes} min {secs} s"
    hours, mins = divmod(round(v / 60), 60)
    if hours < 24:
        return f"{hours} h" if mins == 0 else f"{hours} h {mins} min"
    days, hrs = divmod(round(v / 3600), 24)
    return f"{days} d {hrs} h"


def fmt_count(n: Any) -> str:
    """A count with thousands separators.

    >>> fmt_count(200000), fmt_count(398574.0), fmt_count(7), fmt_count(None)
    ('200,000', '398,574', '7', 'n/a')
    """
    v = _number(n)
    special = _special(v)
    return special if special is not None else f"{v:,.0f}"


def fmt_value(x: Any, unit: str) -> str:
    """A model field's value in its unit's format, the number kept as written in a model file.

    Money (``USD``, ``USD/...``) as :func:`fmt_usd` with four significant figures; probabilities
    and fractions as :func:`fmt_prob`; seconds as the number followed by the human duration when
    it is a minute or more; counts, gas and blocks with thousands separators; anything else as
    :func:`fmt_num`.

    >>> fmt_value(43200.0, "s"), fmt_value(0.5, "s"), fmt_value(1e6, "USD"), fmt_value(0.01, "probability")
    ('43200 (12 h)', '0.5', '$1,000,000', '0.01')
    >>> fmt_value(150000, "gas"), fmt_value(2.5, "USD/h"), fmt_value(70.55, "1e9 parameters")
    ('150,000', '$2.5', '70.55')
    """
    v = _number(x)
    if v is None or _special(v) is not None:
        return fmt_num(x)
    u = unit.strip()
    if u == "USD" or u.startswith("USD/"):
        return fmt_usd(v, 4)
    if u in ("probability", "fraction"):
        return fmt_prob(v, 4)
    if u == "s":
        return fmt_num(v) + (f" ({fmt_duration(v)})" if abs(v) >= 60 else "")
    if u in ("count", "gas", "blocks", "steps") and float(v).is_integer():
        return fmt_count(v)
    return fmt_num(v)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Text with Markdown's markup characters escaped, so it renders literally.

    >>> md_escape("hardware.*, served_model.*")
    'hardware.\\\\*, served\\\\_model.\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def md_code(text: str) -> str:
    """``text`` as a Markdown code span; backticks inside get a longer fence.

    >>> md_code("hardware.*"), md_code("a`b")
    ('`hardware.*`', '`` a`b ``')
    """
    text = str(text)
    if "`" not in text:
        return f"`{text}`"
    longest = max(len(m) for m in re.findall(r"`+", text))
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
