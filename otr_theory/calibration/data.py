"""The calibration data: CSV tables in which every row carries its source.

Each table in ``models/calibration/`` (shipped in the wheel as ``otr_theory/_models/calibration``)
ends with the columns ``hardware, date, status, source_title, source_url, note``; ``status`` is
one of :data:`STATUSES` (``primary``: the source's own measurement or statement; ``secondary``:
a third party's summary; ``uncertain``: weak, conflicting, or read off a summary sentence;
``derived``: our arithmetic on cited numbers, the note says how; ``assumed``: our choice).

The measured H100 throughput table (``h100-llama-shaped-throughput.csv``) predates this format:
its ``source`` and ``note`` columns are mapped onto the common columns by :func:`h100_throughput`.

Tables
------
zk-proving
    ZK proving time of LLM inference by system and model size.
cc-overhead
    Confidential-Computing overhead points.
attestation-latency
    Attestation (and, for comparison, proof-verification) latency.
gas-constants
    EVM gas constants and verifier costs.
gpu-prices
    GPU (and CPU) rental prices.
protocol-numbers
    The paper's headline numbers, opML and PoQ numbers, rollup challenge windows.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from otr_theory.model import _models_root

__all__ = [
    "COMMON_COLUMNS",
    "STATUSES",
    "TABLES",
    "CalibrationDataError",
    "Row",
    "Table",
    "calibration_dir",
    "h100_throughput",
    "load_table",
    "row",
]

STATUSES = ("primary", "secondary", "uncertain", "derived", "assumed")
"""How far a row can be trusted."""

COMMON_COLUMNS = ("hardware", "date", "status", "source_title", "source_url", "note")
"""The columns every table ends with."""

TABLES = ("zk-proving", "cc-overhead", "attestation-latency", "gas-constants", "gpu-prices", "protocol-numbers")
"""The tables in the common format (the H100 table is read by :func:`h100_throughput`)."""

_NUMERIC = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


class CalibrationDataError(ValueError):
    """A calibration table breaks its format: names the file, the row, the column and the rule."""


@dataclasses.dataclass(frozen=True)
class Row:
    """One row: its values (numbers parsed to float) and its table."""

    table: str
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def id(self) -> str:
        return str(self.values["id"])

    @property
    def citation(self) -> str:
        """``title (url)``, or the title alone when there is no URL."""
        t, u = self.values["source_title"], self.values["source_url"]
        return f"{t} ({u})" if u else str(t)


@dataclasses.dataclass(frozen=True)
class Table:
    """A calibration table: name, columns and rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def by_id(self, row_id: str) -> Row:
        """The row whose ``id`` is ``row_id``.

        Raises
        ------
        KeyError
            When no row has that id.
        """
        for r in self.rows:
            if r.get("id") == row_id:
                return r
        raise KeyError(f"{self.name}: no row with id {row_id!r}")

    def where(self, **equal: Any) -> tuple[Row, ...]:
        """The rows whose columns equal the given values."""
        return tuple(r for r in self.rows if all(r.get(k) == v for k, v in equal.items()))


def calibration_dir() -> Path:
    """The folder holding the calibration CSVs (in the wheel or the source checkout)."""
    return _models_root() / "calibration"


def _parse(cell: str) -> Any:
    s = cell.strip()
    if s == "":
        return None
    if _NUMERIC.match(s):
        return float(s)
    return s


def _read(path: Path, name: str) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = tuple(reader.fieldnames or ())
            raw = list(reader)
    except FileNotFoundError:
        raise CalibrationDataError(f"{path}: no such calibration table {name!r}") from None
    return columns, raw


@lru_cache(maxsize=None)
def load_table(name: str) -> Table:
    """Load and validate a calibration table by name (see :data:`TABLES`).

    Numbers become floats; empty cells become None. Every row must have an ``id``, a non-empty
    ``source_title``, a ``date``, a ``hardware`` cell and a ``status`` in :data:`STATUSES`;
    a row whose status is not ``assumed`` must also have a ``source_url``.

    Raises
    ------
    CalibrationDataError
        Naming the file, the row, the column and the rule.

    Examples
    --------
    >>> t = load_table("gas-constants")
    >>> t.by_id("tx-base")["gas"]
    21000.0
    >>> t.by_id("tx-base")["status"]
    'primary'
    """
    if name not in TABLES:
        raise CalibrationDataError(f"table: must be one of {', '.join(TABLES)} (got {name!r})")
    path = calibration_dir() / f"{name}.csv"
    columns, raw = _read(path, name)
    missing = [c for c in ("id", *COMMON_COLUMNS) if c not in columns]
    if missing:
        raise CalibrationDataError(f"{path}: missing columns {', '.join(missing)}")
    rows, seen = [], set()
    for i, r in enumerate(raw, start=2):
        where = f"{path.name}:{i}"
        vals = {k: _parse(v or "") for k, v in r.items()}
        for k in ("id", "source_title", "date"):
            if vals.get(k) is None:
                raise CalibrationDataError(f"{where}: column {k!r} must not be empty")
        rid = str(vals["id"])
        if rid in seen:
            raise CalibrationDataError(f"{where}: id {rid!r} is repeated")
        seen.add(rid)
        if vals.get("status") not in STATUSES:
            raise CalibrationDataError(f"{where}: column 'status' must be one of {', '.join(STATUSES)} (got {vals.get('status')!r})")
        if vals["status"] != "assumed" and not str(vals.get("source_url") or "").strip():
            raise CalibrationDataError(f"{where}: column 'source_url' must not be empty unless status is 'assumed'")
        vals["id"] = rid
        vals["date"] = str(r["date"]).strip()
        for k in ("hardware", "note", "source_url"):
            vals[k] = "" if vals.get(k) is None else str(r[k]).strip()
        rows.append(Row(name, MappingProxyType(vals)))
    return Table(name, columns, tuple(rows))


def row(table: str, row_id: str) -> Row:
    """One row of a table by id (``row("gas-constants", "tx-base")``)."""
    return load_table(table).by_id(row_id)


H100_TABLE = "h100-llama-shaped-throughput"
_H100_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@lru_cache(maxsize=None)
def h100_throughput() -> Table:
    """The measured H100 decode/prefill throughput, mapped onto the common columns.

    Each row keeps its own columns (``model_shape, params_billion, phase, batch, context_tokens,
    layers_measured, step_ms, tokens_per_s, weight_read_gb_per_s, tflops``) and gains
    ``id`` (shape/phase/batch/context), ``hardware`` and ``date`` (read from its ``source`` text),
    ``status = primary``, ``source_title`` (the source text) and ``source_url`` (the CSV path in
    this repository).

    >>> t = h100_throughput()
    >>> r = t.by_id("llama-70b/decode/b64/ctx1024")
    >>> r["tokens_per_s"], r["status"]
    (1092.2, 'primary')
    """
    path = calibration_dir() / f"{H100_TABLE}.csv"
    columns, raw = _read(path, H100_TABLE)
    rows = []
    for i, r in enumerate(raw, start=2):
        vals = {k: _parse(v or "") for k, v in r.items()}
        src = str(r.get("source", "")).strip()
        if not src:
            raise CalibrationDataError(f"{path.name}:{i}: column 'source' must not be empty")
        m = _H100_DATE.search(src)
        hw = src.split(" on ", 1)[1].split(",", 1)[0] if " on " in src else ""
        vals.update(
            id=f"{r['model_shape']}/{r['phase']}/b{int(float(r['batch']))}/ctx{int(float(r['context_tokens']))}",
            hardware=hw,
            date=m.group(1) if m else "",
            status="primary",
            source_title=src,
            source_url=f"models/calibration/{H100_TABLE}.csv",
            note=str(r.get("note") or "").strip(),
        )
        rows.append(Row(H100_TABLE, MappingProxyType(vals)))
    cols = ("id", *columns, *(c for c in COMMON_COLUMNS if c not in columns))
    return Table(H100_TABLE, cols, tuple(rows))
