"""Limits on input, stated once: what any file the toolkit reads may hold, checked before the
expensive step (reading, parsing, allocating) that an oversized input would make hang or crash.

=====================  ==========  ===============================================================
limit                  value       why
=====================  ==========  ===============================================================
MAX_FILE_BYTES         1 MiB       a model file is ~8 KiB; read at most this + 1 byte
MAX_NESTING            16          arrays / inline tables nested; ``tomllib`` recurses per level
MAX_KEY_PARTS          32          parts of one dotted key (``a.b.c``); deep ones are quadratic
MAX_NUMBER_CHARS       64          characters of one number literal; Python's int() of 4,300+
                                   digits raises, and no physical quantity needs 64 digits
MAX_TABLES             500         tables (``[x]`` and inline) in one file
MAX_KEYS               5,000       keys in one file, all tables together
MAX_KEY_CHARS          128         characters of one key (a did-you-mean on a longer one is slow)
MAX_ABS_NUMBER         1e25        magnitude of any number of a model (OP bisects 2**73 ~ 9.4e21 steps)
MAX_VALUE_CHARS        80          characters of a bad value quoted in a message
MAX_MESSAGE_CHARS      300         characters of one message line
MAX_PROBLEMS           20          problems listed; the rest are counted ("and N more problems")
=====================  ==========  ===============================================================

:func:`read_text_limited` opens a file without blocking (a FIFO with no writer, ``/dev/zero``,
a directory are refused by ``stat`` before any read) and reads at most ``MAX_FILE_BYTES + 1``
bytes. :func:`scan_toml` checks nesting, dotted keys and number literals on the raw text in one
linear pass, before ``tomllib`` sees it. :func:`count_tables_and_keys` walks a parsed document
without recursion.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

__all__ = [
    "LimitError",
    "MAX_ABS_NUMBER",
    "MAX_FILE_BYTES",
    "MAX_KEYS",
    "MAX_KEY_CHARS",
    "MAX_KEY_PARTS",
    "MAX_MESSAGE_CHARS",
    "MAX_NESTING",
    "MAX_NUMBER_CHARS",
    "MAX_PROBLEMS",
    "MAX_TABLES",
    "MAX_VALUE_CHARS",
    "count_tables_and_keys",
    "read_text_limited",
    "scan_toml",
    "short",
]

MAX_FILE_BYTES = 1 << 20
MAX_NESTING = 16
MAX_KEY_PARTS = 32
MAX_NUMBER_CHARS = 64
MAX_TABLES = 500
MAX_KEYS = 5_000
MAX_KEY_CHARS = 128
MAX_ABS_NUMBER = 1e25
MAX_VALUE_CHARS = 80
MAX_MESSAGE_CHARS = 300
MAX_PROBLEMS = 20


class LimitError(ValueError):
    """An input breaks a limit: ``where`` (a line, a field or ``<file>``) and the rule."""

    def __init__(self, where: str, rule: str):
        self.where, self.rule = where, rule
        super().__init__(f"{where}: {rule}")


def short(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with the number of characters left out.

    >>> short("x" * 10, 8)
    'xxxxxxxx... (2 more characters)'
    >>> short("abc")
    'abc'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


def read_text_limited(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes, read without blocking.

    Raises
    ------
    FileNotFoundError, IsADirectoryError
        As ``open`` would.
    LimitError
        For a FIFO, device or socket (``/dev/zero``, a pipe with no writer), or a file larger than
        ``limit`` (only ``limit + 1`` bytes are ever read).
    OSError, UnicodeDecodeError
        When the file cannot be read or is not UTF-8.

    Examples
    --------
    >>> read_text_limited("/dev/zero")
    Traceback (most recent call last):
    ...
    otr_theory.limits.LimitError: <file>: is not a regular file (a device, FIFO or socket)
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(st.st_mode):
        raise LimitError("<file>", "is not a regular file (a device, FIFO or socket)")
    if st.st_size > limit:
        raise LimitError("<file>", f"is {st.st_size:,} bytes; a model file may have at most {limit:,}")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise LimitError("<file>", "is not a regular file (a device, FIFO or socket)")
        chunks, size = [], 0
        while size <= limit:
            b = os.read(fd, limit + 1 - size)
            if not b:
                break
            chunks.append(b)
            size += len(b)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise LimitError("<file>", f"is larger than {limit:,} bytes, the most a model file may have")
    return data.decode("utf-8")


_NUMBER = re.compile(r"[+-]?[0-9][0-9A-Za-z_.+:\-]*")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^\\]|\\.)*?"""', re.S)
_ML_LITERAL = re.compile(r"'''.*?'''", re.S)
_INTERESTING = re.compile(r"""["'#\[\]{}\n=,.0-9]""")
_WORD = re.compile(r"[A-Za-z0-9_\-]")
_WORD_RUN = re.compile(r"[A-Za-z0-9_\-]*")


def scan_toml(text: str) -> None:
    """Check the raw TOML text against the nesting, dotted-key and number limits, in one pass.

    Strings and comments are skipped. An unterminated string ends the scan (``tomllib`` reports
    it). Linear in the length of ``text``.

    Raises
    ------
    LimitError
        Naming the line and the limit.

    Examples
    --------
    >>> scan_toml("a = [[[1]]]\\nb = 'x[[[['")
    >>> scan_toml("a = " + "[" * 40 + "]" * 40)
    Traceback (most recent call last):
    ...
    otr_theory.limits.LimitError: line 1: nested deeper than 16 levels (arrays and inline tables)
    """
    depth, parts, line, pos, n = 0, 0, 1, 0, len(text)
    while True:
        m = _INTERESTING.search(text, pos)
        if m is None:
            return
        i = m.start()
        ch = text[i]
        if ch == "\n":
            line += 1
            parts = 0
            pos = i + 1
        elif ch == "#":
            j = text.find("\n", i)
            if j < 0:
                return
            pos = j
        elif ch in "\"'":
            triple = text.startswith(ch * 3, i)
            rx = (_ML_BASIC if ch == '"' else _ML_LITERAL) if triple else (_BASIC if ch == '"' else _LITERAL)
            s = rx.match(text, i)
            if s is None:
                return
            line += text.count("\n", i, s.end())
            pos = s.end()
        elif ch in "[{":
            depth += 1
            parts = 0
            if depth > MAX_NESTING:
                raise LimitError(f"line {line}", f"nested deeper than {MAX_NESTING} levels (arrays and inline tables)")
            pos = i + 1
        elif ch in "]}":
            depth = max(depth - 1, 0)
            pos = i + 1
        elif ch in "=,":
            parts = 0
            pos = i + 1
        elif ch == ".":
            parts += 1
            if parts >= MAX_KEY_PARTS:
                raise LimitError(f"line {line}", f"a dotted key has more than {MAX_KEY_PARTS} parts")
            pos = i + 1
        else:  # a digit: a number literal unless inside a bare word (a key such as x1)
            if i > 0 and _WORD.match(text, i - 1) and text[i - 1] not in "+-":
                w = _WORD_RUN.match(text, i)  # matches always (a starred class), maybe empty
                pos = w.end() if w is not None and w.end() > i else i + 1
                continue
            start = i - 1 if i > 0 and text[i - 1] in "+-" else i
            num = _NUMBER.match(text, start)
            end = num.end() if num else i + 1
            if end - start > MAX_NUMBER_CHARS:
                raise LimitError(f"line {line}", f"a number has {end - start:,} characters; at most {MAX_NUMBER_CHARS} are allowed")
            pos = end
        if pos >= n:
            return


def count_tables_and_keys(doc: Any) -> tuple[int, int]:
    """(tables, keys) of a parsed document, counted without recursion; arrays count their items'
    tables and keys.

    >>> count_tables_and_keys({"a": {"b": 1, "c": [{"d": 2}]}})
    (3, 4)
    """
    tables, keys, stack = 0, 0, [doc]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            tables += 1
            keys += len(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return tables, keys
