"""The fuzzing harness shared by the CI property tests (tests/fuzz/test_fuzz_cli.py) and the long
campaign (benchmarks/fuzz_campaign.py): generate model files and .nfg games, run a command of
``otr-analyze`` in process, and judge the outcome against the CLI's contract.

The contract (README, "Exit codes"; issue 19):

* the exit code is 0, 1, 2 or 3;
* no traceback reaches the user, and no exception escapes :func:`otr_theory.cli.main`;
* every number in a JSON output (stdout with ``--json``, results.json) is finite;
* every line of an error message is at most :data:`MAX_LINE` characters;
* on exit 2 nothing is written (the output folder or file does not appear);
* the command finishes within its time bound (a SIGALRM ends it otherwise: a *hang*).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import json
import math
import signal
import time
import tomllib
import traceback
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from otr_theory.limits import MAX_MESSAGE_CHARS
from otr_theory.model import FIELDS, Range, default_model_path

MAX_LINE = MAX_MESSAGE_CHARS + 200  # a message line plus "error: " and a path
FIELD_BY_NAME = {f.name: f for f in FIELDS}


# ---------------------------------------------------------------------------------------------
# model files


def base_raw() -> dict[str, Any]:
    """The default model file as a fresh dict."""
    with open(default_model_path(), "rb") as f:
        return tomllib.load(f)


def _toml_value(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(x, str):
        return json.dumps(x)
    if isinstance(x, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in x.items()) + " }"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in x) + "]"
    raise TypeError(type(x))


def _toml_key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) else json.dumps(k)


def to_toml(raw: dict[str, Any]) -> str:
    """A TOML text of a model dict: top-level scalars first, then one ``[table]`` per section."""
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in raw.items() if not isinstance(v, dict)]
    for k, v in raw.items():
        if isinstance(v, dict):
            lines.append(f"\n[{_toml_key(k)}]")
            lines += [f"{_toml_key(kk)} = {_toml_value(vv)}" for kk, vv in v.items()]
    return "\n".join(lines) + "\n"


def _bounds(spec) -> tuple[float, float]:
    c = spec.check
    if isinstance(c, Range):
        lo = c.lo if c.lo != -math.inf else 0.0
        hi = c.hi if c.hi != math.inf else 1e15
        if c.hi_open:
            hi = math.nextafter(hi, -math.inf)
        if c.lo_open:
            lo = math.nextafter(lo, math.inf)
        return lo, hi
    return 0.0, 1e15


def extreme_value(spec, kind: str, u: float = 0.5) -> float:
    """A legal value of ``spec``: ``lo``, ``hi``, ``zero`` (if allowed), ``tiny`` (5e-324 if
    allowed), or log-uniform at ``u``."""
    lo, hi = _bounds(spec)
    if kind == "lo":
        x = lo
    elif kind == "hi":
        x = hi
    elif kind == "tiny":  # the smallest float the range accepts (5e-324 where 0 < x is legal)
        x = 5e-324 if spec.check(5e-324) is None else lo
    elif kind == "zero":
        x = 0.0 if (lo <= 0 or getattr(spec.check, "zero_ok", False)) else lo
    else:
        a = max(lo, 1e-12) if lo <= 0 else lo
        x = math.exp(math.log(a) + u * (math.log(hi) - math.log(a))) if hi > a else a
    if spec.integer:
        x = int(max(math.ceil(lo), min(math.floor(hi), round(x))))
    return x


def make_consistent(raw: dict[str, Any]) -> dict[str, Any]:
    """Repair the cross-field rules of the loader (slash <= stake, window >= one round, a bond
    when there are challengers, deadline >= latency) and drop low/high, so that a model built
    from legal values is valid."""
    for f in FIELDS:
        q = raw[f.section][f.name]
        if isinstance(q, dict):
            q.pop("low", None)
            q.pop("high", None)
    v = lambda name: raw[FIELD_BY_NAME[name].section][name]["value"]  # noqa: E731

    def put(name, x):
        raw[FIELD_BY_NAME[name].section][name]["value"] = x

    if v("slash_usd") > v("stake_usd"):
        put("slash_usd", v("stake_usd"))
    if v("window_s") < v("round_timeout_s"):
        put("window_s", min(max(v("round_timeout_s"), v("window_s")), 3.2e7))
        if v("window_s") < v("round_timeout_s"):
            put("round_timeout_s", v("window_s"))
    if v("challenger_bond_usd") <= 0 and v("count") > 0:
        put("challenger_bond_usd", 1.0)
    if v("proof_deadline_s") < v("proof_latency_s"):
        put("proof_deadline_s", v("proof_latency_s"))
    return raw


@st.composite
def extreme_models(draw, max_changed: int = 6) -> dict[str, Any]:
    """A *valid* model dict whose numbers are pushed to the ends of their ranges."""
    raw = base_raw()
    for f in FIELDS:
        q = raw[f.section][f.name]
        if not isinstance(q, dict):
            raw[f.section][f.name] = {"value": q, "source": "ours-assumed"}
    names = draw(st.lists(st.sampled_from([f.name for f in FIELDS]), min_size=1, max_size=max_changed, unique=True))
    for name in names:
        spec = FIELD_BY_NAME[name]
        kind = draw(st.sampled_from(["lo", "hi", "zero", "mid", "tiny"]))
        u = draw(st.floats(0, 1))
        raw[spec.section][name]["value"] = extreme_value(spec, kind, u)
    if draw(st.booleans()):
        raw["model"]["loss_convention"] = draw(st.sampled_from(["forfeit", "keep"]))
    if draw(st.integers(0, 4)) == 0:
        raw["model"]["scheme"] = draw(st.sampled_from(["otr", "centralized", "zkml", "opml", "poq"]))
    if draw(st.integers(0, 4)) == 0:
        k = draw(st.sampled_from(["attestation_check", "randomness_after_commit", "slash_on_missed_proof"]))
        raw["protocol"][k] = False
    return make_consistent(raw)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@st.composite
def broken_models(draw) -> str:
    """A model file text that is probably invalid: a dict mutated, or raw text damaged."""
    raw = base_raw()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["value", "junk", "drop", "unknown", "section", "schema"]))
        f = draw(st.sampled_from(FIELDS))
        if not isinstance(raw.get(f.section), dict):  # replaced by junk earlier
            continue
        if op == "value":
            x = draw(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**20), 10**20), st.sampled_from([5e-324, 1e308, -0.0, 1e15, 1e16])))
            raw[f.section][f.name] = {"value": x, "source": "ours-assumed"}
        elif op == "junk":
            raw[f.section][f.name] = draw(_JUNK)
        elif op == "drop":
            raw[f.section].pop(f.name, None)
        elif op == "unknown":
            raw[f.section][draw(st.text(min_size=1, max_size=200))] = draw(_JUNK.filter(lambda x: x is not None))
        elif op == "section":
            raw[draw(st.sampled_from(list(raw)))] = draw(_JUNK.filter(lambda x: x is not None))
        else:
            raw["schema_version"] = draw(st.sampled_from([True, 0, 2, 1.0, "1", -1]))
    raw = {k: v for k, v in raw.items() if v is not None}
    text = to_toml(_drop_none(raw))
    damage = draw(st.sampled_from(["none", "none", "truncate", "insert", "nest", "digits", "dotted"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "insert":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.text(max_size=20)) + text[i:]
    elif damage == "nest":
        d = draw(st.integers(10, 3000))
        text += "deep = " + "[" * d + "]" * d + "\n"
    elif damage == "digits":
        text += "big = " + "9" * draw(st.integers(50, 6000)) + "\n"
    elif damage == "dotted":
        text += "a" + ".a" * draw(st.integers(10, 5000)) + " = 1\n"
    return text


def _drop_none(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x if v is not None]
    return x


# ---------------------------------------------------------------------------------------------
# games


@st.composite
def nfg_games(draw) -> str:
    """A small .nfg game (payoff version), sometimes damaged."""
    n_players = draw(st.sampled_from([2, 2, 2, 3]))
    counts = [draw(st.integers(1, 4 if n_players == 2 else 2)) for _ in range(n_players)]
    cells = math.prod(counts) * n_players
    kind = draw(st.sampled_from(["int", "equal", "zero", "dec", "rat"]))
    if kind == "int":
        pay = [str(draw(st.integers(-9, 9))) for _ in range(cells)]
    elif kind == "equal":
        pay = ["1"] * cells
    elif kind == "zero":
        pay = ["0"] * cells
    elif kind == "dec":
        pay = [f"{draw(st.floats(-100, 100, allow_nan=False)):.4g}" for _ in range(cells)]
    else:
        pay = [f"{draw(st.integers(-9, 9))}/{draw(st.integers(1, 9))}" for _ in range(cells)]
    players = " ".join(f'"P{i + 1}"' for i in range(n_players))
    text = f'NFG 1 R "fuzz" {{ {players} }} {{ {" ".join(map(str, counts))} }}\n\n{" ".join(pay)}\n'
    damage = draw(st.sampled_from(["none", "none", "none", "truncate", "huge", "declared", "junk"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "huge":
        text = text.replace(pay[0], draw(st.sampled_from(["1e999999999", "9" * 5000, "1/0", "nan", "-inf"])), 1)
    elif damage == "declared":
        text = text.replace("{ " + " ".join(map(str, counts)) + " }", "{ 1000000000 1000000000 }", 1)
    elif damage == "junk":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.text(max_size=10)) + text[i:]
    return text


# ---------------------------------------------------------------------------------------------
# running a command and judging it


class Hang(BaseException):
    """The time bound was reached."""


@dataclasses.dataclass
class Outcome:
    argv: list[str]
    code: int | None
    out: str
    err: str
    seconds: float
    escaped: str = ""  # the traceback of an exception that escaped main
    hang: bool = False


@contextlib.contextmanager
def _alarm(seconds: float):
    def on_alarm(signum, frame):
        raise Hang()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_cli(argv: list[str], *, timeout_s: float = 60.0) -> Outcome:
    """Run ``otr-analyze ARGV`` in process with stdout and stderr captured, within ``timeout_s``."""
    from otr_theory.cli import main

    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    code, escaped, hang = None, "", False
    try:
        with _alarm(timeout_s), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    except Hang:
        hang = True
    except BaseException:  # noqa: BLE001 -- recorded as a failure of the contract
        escaped = traceback.format_exc()
    return Outcome(list(argv), code, out.getvalue(), err.getvalue(), time.perf_counter() - t0, escaped, hang)


def _reject_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} in JSON")


def nonfinite_in_json(text: str) -> str | None:
    """None if ``text`` is JSON with only finite numbers, else what is wrong."""
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except ValueError as e:
        return str(e)[:200]
    stack = [doc]
    while stack:
        x = stack.pop()
        if isinstance(x, float) and not math.isfinite(x):
            return "non-finite float"
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return None


def violations(o: Outcome, *, json_stdout: bool = False, outputs: tuple[Path, ...] = ()) -> list[str]:
    """Every way in which outcome ``o`` breaks the contract (empty: it keeps it)."""
    bad = []
    if o.hang:
        return [f"hang (> time bound) after {o.seconds:.1f} s"]
    if o.escaped:
        return ["exception escaped main: " + o.escaped.strip().splitlines()[-1][:300]]
    if o.code not in (0, 1, 2, 3):
        bad.append(f"exit code {o.code}")
    if "Traceback" in o.out or "Traceback" in o.err:
        bad.append("traceback printed")
    long_lines = [ln for ln in o.err.splitlines() if len(ln) > MAX_LINE]
    if long_lines:
        bad.append(f"message line of {len(long_lines[0]):,} characters")
    if json_stdout and o.code in (0, 1, 3):
        why = nonfinite_in_json(o.out)
        if why:
            bad.append(f"stdout JSON: {why}")
    for p in outputs:
        if o.code == 2 and p.exists():
            bad.append(f"exit 2 but {p.name} was written")
        if p.suffix == ".json" and p.exists() and o.code in (0, 1, 3):
            why = nonfinite_in_json(p.read_text(encoding="utf-8"))
            if why:
                bad.append(f"{p.name}: {why}")
    if o.code in (0, 1, 3):
        for word in ("nan", "inf"):
            if any(tok.strip("$(),;:%") in (word, "-" + word) for tok in o.out.replace("=", " ").split()):
                bad.append(f"{word} in the text output")
                break
    return bad


def copy_raw(raw: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(raw)
