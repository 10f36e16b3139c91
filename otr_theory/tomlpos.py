"""Where a key of a TOML text is: line and column of every key, for messages ``FILE:LINE:COL``.

:func:`key_positions` walks the text once and records, for each dotted key path, the line and
column (both from 1, in characters, as :mod:`tomllib` counts them) of the key part that names it:

* a table header ``[a.b]`` records ``a`` and ``a.b`` at their parts in the header;
* ``x.y = 1`` under ``[a]`` records ``a.x`` and ``a.x.y``;
* inline tables record their keys under the key they are the value of
  (``r = { value = 2 }`` records ``a.r`` and ``a.r.value``);
* items of an array are numbered (``a.heights.0``), and so are the tables of ``[[a]]``.

The first place a path is named wins (a table defined by ``[a.b]`` and later ``[a.c]`` is at its
first header). :func:`locate` finds the longest recorded prefix of a dotted field, so a problem
with a sub-key the file does not spell out (``zk.spot_check_rate.value`` for a bare
``spot_check_rate = 1.5``) or a key that is missing (``hardware.batch_size``, reported at the
``[hardware]`` header) still gets the nearest place.

The walk is for text :mod:`tomllib` has already accepted; on anything it does not expect it stops
and returns what it found (it never raises). Linear in the length of the text. (Ours; TOML 1.0
grammar: https://toml.io/en/v1.0.0.)

Examples
--------
>>> pos = key_positions('[zk]\\nrate = { value = 1.5, source = "x" }\\n')
>>> pos["zk"], pos["zk.rate"], pos["zk.rate.value"]
((1, 2), (2, 1), (2, 10))
>>> locate(pos, "zk.rate.value"), locate(pos, "zk.missing"), locate(pos, "<file>")
((2, 10), (1, 2), None)
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Mapping

__all__ = ["key_positions", "locate", "toml_error_position"]

_BARE = re.compile(r"[A-Za-z0-9_\-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^\\]|\\.)*?"""', re.DOTALL)
_ML_LITERAL = re.compile(r"'''.*?'''", re.DOTALL)
_SCALAR = re.compile(r"\d{4}-\d\d-\d\d[ Tt]\d\d:[^\s,\]}#]*|[^\s,\]}#]+")
_SPACE = re.compile(r"[ \t]*")
_SPACE_NL = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


class _Stop(Exception):
    """The text is not what the walk expects: stop, keep what was found."""


class _Walk:
    def __init__(self, text: str):
        self.t = text
        self.i = 0
        self.newlines = [k for k, ch in enumerate(text) if ch == "\n"]
        self.out: dict[str, tuple[int, int]] = {}
        self.array_tables: dict[str, int] = {}

    # positions ------------------------------------------------------------------------------
    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)  # newlines before offset
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def record(self, prefix: tuple[str, ...], parts: list[tuple[str, int]]) -> tuple[str, ...]:
        path = prefix
        for name, offset in parts:
            path = (*path, name)
            self.out.setdefault(".".join(path), self.where(offset))
        return path

    # lexing ---------------------------------------------------------------------------------
    def peek(self, s: str) -> bool:
        return self.t.startswith(s, self.i)

    def space(self, newlines: bool = False) -> None:
        self.i = (_SPACE_NL if newlines else _SPACE).match(self.t, self.i).end()

    def expect(self, s: str) -> None:
        self.space()
        if not self.peek(s):
            raise _Stop
        self.i += len(s)

    def key(self) -> list[tuple[str, int]]:
        parts = []
        while True:
            self.space()
            start = self.i
            ch = self.t[self.i : self.i + 1]
            if ch == '"':
                m = _BASIC.match(self.t, self.i)
                if m is None:
                    raise _Stop
                try:
                    name = tomllib.loads("k = " + m.group())["k"]
                except tomllib.TOMLDecodeError:
                    raise _Stop from None
            elif ch == "'":
                m = _LITERAL.match(self.t, self.i)
                if m is None:
                    raise _Stop
                name = m.group()[1:-1]
            else:
                m = _BARE.match(self.t, self.i)
                if m is None:
                    raise _Stop
                name = m.group()
            self.i = m.end()
            parts.append((name, start))
            self.space()
            if not self.peek("."):
                return parts
            self.i += 1

    def value(self, path: tuple[str, ...], depth: int = 0) -> None:
        if depth > 64:
            raise _Stop
        t = self.t
        if self.peek('"""') or self.peek("'''"):
            m = (_ML_BASIC if self.peek('"""') else _ML_LITERAL).match(t, self.i)
            if m is None:
                raise _Stop
            self.i = m.end()
            q = t[self.i - 1]
            for _ in range(2):  # a multi-line string may end with one or two quotes of its own
                if self.peek(q):
                    self.i += 1
        elif self.peek('"') or self.peek("'"):
            m = (_BASIC if self.peek('"') else _LITERAL).match(t, self.i)
            if m is None:
                raise _Stop
            self.i = m.end()
        elif self.peek("["):
            self.i += 1
            n = 0
            while True:
                self.space(newlines=True)
                if self.peek("]"):
                    self.i += 1
                    return
                self.value((*path, str(n)), depth + 1)
                n += 1
                self.space(newlines=True)
                if self.peek(","):
                    self.i += 1
                elif not self.peek("]"):
                    raise _Stop
        elif self.peek("{"):
            self.i += 1
            while True:
                self.space(newlines=True)
                if self.peek("}"):
                    self.i += 1
                    return
                sub = self.record(path, self.key())
                self.expect("=")
                self.space()
                self.value(sub, depth + 1)
                self.space(newlines=True)
                if self.peek(","):
                    self.i += 1
                elif not self.peek("}"):
                    raise _Stop
        else:
            m = _SCALAR.match(t, self.i)
            if m is None:
                raise _Stop
            self.i = m.end()

    def document(self) -> None:
        prefix: tuple[str, ...] = ()
        n = len(self.t)
        while True:
            self.space(newlines=True)
            if self.i >= n:
                return
            before = self.i
            if self.peek("[["):
                self.i += 2
                parts = self.key()
                self.expect("]]")
                path = self.record((), parts)
                name = ".".join(path)
                k = self.array_tables.get(name, -1) + 1
                self.array_tables[name] = k
                prefix = (*path, str(k))
                self.out.setdefault(".".join(prefix), self.where(parts[-1][1]))
            elif self.peek("["):
                self.i += 1
                parts = self.key()
                self.expect("]")
                prefix = self.record((), parts)
            else:
                path = self.record(prefix, self.key())
                self.expect("=")
                self.space()
                self.value(path)
            self.space()
            if self.i < n and self.t[self.i] not in "#\r\n":
                raise _Stop
            if self.i == before:  # pragma: no cover - every branch above consumes or stops
                raise _Stop


def key_positions(text: str) -> dict[str, tuple[int, int]]:
    """``{dotted key path: (line, column)}`` of every key in ``text`` (see the module docstring).

    Parameters
    ----------
    text : str
        TOML text, as accepted by :mod:`tomllib` (other text gives the keys found before the
        first surprise).

    Returns
    -------
    dict
        Lines and columns from 1.

    Examples
    --------
    >>> key_positions("a.b = [1, { c = 2 }]  # x\\n[[t]]\\nd = 3\\n[[t]]\\nd = 4")["t.1.d"]
    (5, 1)
    >>> key_positions("a.b = [1, { c = 2 }]")["a.b.1.c"]
    (1, 13)
    """
    w = _Walk(text)
    try:
        w.document()
    except (_Stop, IndexError, RecursionError):
        pass
    return w.out


def locate(positions: Mapping[str, tuple[int, int]], field: str) -> tuple[int, int] | None:
    """The place of the longest prefix of the dotted ``field`` found in ``positions``, or None.

    >>> locate({"a": (1, 2), "a.b": (3, 1)}, "a.b.value")
    (3, 1)
    >>> locate({"a": (1, 2)}, "x.y") is None
    True
    """
    parts = field.split(".")
    for k in range(len(parts), 0, -1):
        hit = positions.get(".".join(parts[:k]))
        if hit is not None:
            return hit
    return None


def toml_error_position(message: str, text: str) -> tuple[str, tuple[int, int] | None]:
    """Split a :class:`tomllib.TOMLDecodeError` message into its text and its ``(line, column)``.

    Python 3.11's message ends with ``(at line L, column C)`` or ``(at end of document)``; the
    latter is placed after the last character of ``text``.

    >>> toml_error_position("Expected '=' after a key (at line 2, column 5)", "")
    ("Expected '=' after a key", (2, 5))
    >>> toml_error_position("Unclosed array (at end of document)", "a = [\\n  1")
    ('Unclosed array', (2, 4))
    >>> toml_error_position("something else", "")
    ('something else', None)
    """
    m = _AT.search(message)
    if m:
        return message[: m.start()], (int(m.group(1)), int(m.group(2)))
    m = _AT_END.search(message)
    if m:
        line = text.count("\n") + 1
        col = len(text) - (text.rfind("\n") + 1) + 1
        return message[: m.start()], (line, col)
    return message, None
