"""Gambit's file formats: read and write .nfg (normal form), write .efg (extensive form).

**.nfg** (Gambit 16 documentation, "Game representation formats"; McKelvey, McLennan and Turocy,
Gambit: Software Tools for Game Theory). A file starts with a prologue::

    NFG 1 R "title" { "Player 1" "Player 2" } { 3 2 }          (strategy counts), or
    NFG 1 R "title" { "Player 1" "Player 2" } { { "U" "D" } { "L" "R" } }   (strategy names)

(``R``: rational payoffs; ``D``: decimal), then an optional comment string, then a body in one of
two versions:

* **payoff version**: the payoffs of every contingency, player 1's strategy changing fastest,
  each contingency listing every player's payoff in turn;
* **outcome version**: a list of outcomes ``{ "name" u1, u2, ... }`` (commas optional), then one
  outcome number per contingency in the same order (1-based; 0 is the null outcome, all zeros).

Numbers are integers, decimals (``0.811``, ``1e-3``) or rationals (``5/2``); every one of them is
read exactly as a rational, so the game is exact and so are its equilibria. A malformed file
raises :class:`NfgError` naming the line, the field and the bad token.

**Limits** (rules, checked before anything is allocated or converted; each breach is an
:class:`NfgError`): a file of at most :data:`MAX_FILE_BYTES`; at most :data:`MAX_PLAYERS` players
and :data:`MAX_STRATEGIES` strategies each; at most :data:`MAX_CONTINGENCIES` contingencies (the
product of the declared counts, checked before the payoff table is allocated); a number of at most
:data:`MAX_NUMBER_CHARS` characters with a decimal exponent of magnitude at most
:data:`MAX_EXPONENT` (so ``1e999999999`` is refused at once instead of being expanded).

**.efg** (same documentation): one line per node in depth-first order::

    EFG 2 R "title" { "Player 1" "Player 2" }
    ""
    p "" 1 1 "" { "a" "b" } 0
    t "" 1 "outcome" { 1, -1 }

``p`` a personal node: player, information set (numbered per player), its name, the actions,
then an outcome number (0: none); ``t`` a terminal node: an outcome number, its name and payoffs
(given with its first use). :func:`dumps_efg` writes the trees of
:mod:`otr_theory.games.tree` (perfect information: one information set per decision node).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from otr_theory.games.normal_form import GameError, NormalFormGame
from otr_theory.games.tree import Decision, Node, Terminal

__all__ = [
    "MAX_CONTINGENCIES",
    "MAX_EXPONENT",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_PLAYERS",
    "MAX_STRATEGIES",
    "NfgError",
    "dumps_efg",
    "dumps_nfg",
    "format_number",
    "loads_nfg",
    "read_nfg",
    "write_nfg",
]


MAX_FILE_BYTES = 64 * 2**20
"""Largest .nfg file read (64 MiB)."""
MAX_PLAYERS = 64
"""Most players in a game."""
MAX_STRATEGIES = 100_000
"""Most strategies of one player."""
MAX_CONTINGENCIES = 2_000_000
"""Most pure-strategy profiles (the product of the strategy counts): the payoff table's size."""
MAX_NUMBER_CHARS = 200
"""Longest number token (digits, sign, point, exponent, slash)."""
MAX_EXPONENT = 1000
"""Largest decimal exponent magnitude in a number (1e1000 at most)."""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


class NfgError(GameError):
    """A malformed .nfg file: the message names the file, the line, the field and the rule."""

    def __init__(self, path: str, line: int | None, field: str, rule: str, value: Any = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        # a pseudo-field (<file>) says nothing the path does not: "x.nfg: no such file"
        super().__init__(where if field.startswith("<") else f"{where}: {field}", rule, value)


# ---------------------------------------------------------------------------------------------
# tokenizer

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<comma>,)
  | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclasses.dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    line: int
    start: int = 0
    """Offset of the token in the text, and of the character after it."""
    end: int = 0


def _tokenize(text: str, path: str) -> list[_Tok]:
    out = []
    pos, line = 0, 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            bad = _short(text[pos : pos + 20].split("\n")[0])
            raise NfgError(path, line, "token", "unexpected character(s)", bad)
        kind = m.lastgroup
        tok = m.group()
        if kind != "ws":
            if kind == "string":
                tok = re.sub(r"\\(.)", r"\1", tok[1:-1])
            out.append(_Tok(kind, tok, line, pos, m.end()))
        line += m.group().count("\n")
        pos = m.end()
    return out


_CHUNK = re.compile(r'[^\s{},"]+')


class _Stream:
    def __init__(self, toks: list[_Tok], path: str, text: str = ""):
        self.toks = toks
        self.i = 0
        self.path = path
        self.text = text

    def chunk(self, t: _Tok) -> str:
        """The token as the file spells it: the run of characters up to a space, brace, comma
        or quote (``3abc`` rather than its pieces ``3`` and ``abc``), cut short."""
        if t.kind == "string":
            return _short(t.text)
        m = _CHUNK.match(self.text, t.start)
        return _short(m.group() if m else t.text)

    def glued(self, t: _Tok) -> bool:
        """Whether ``t`` runs on into the next token with no separator (``1.2.3``, ``1e5x``)."""
        return t.end < len(self.text) and _CHUNK.match(self.text, t.end) is not None

    def number(self, field: str, rule: str = "must be a number (integer, decimal or p/q)") -> _Tok:
        """The next token, which must be a whole number token: else an error naming it."""
        t = self.peek()
        if t is None or t.kind != "number" or self.glued(t):
            raise NfgError(self.path, self.line, field, rule, None if t is None else self.chunk(t))
        self.i += 1
        return t

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    @property
    def line(self) -> int | None:
        t = self.peek()
        return t.line if t else (self.toks[-1].line if self.toks else None)

    def take(self, kind: str, field: str, rule: str) -> _Tok:
        t = self.peek()
        if t is None or t.kind != kind:
            raise NfgError(self.path, self.line, field, rule, None if t is None else t.text)
        self.i += 1
        return t

    def at(self, kind: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == kind


def _number(tok: _Tok, path: str, field: str) -> Fraction:
    text = tok.text
    if len(text) > MAX_NUMBER_CHARS:
        raise NfgError(path, tok.line, field, f"must have at most {MAX_NUMBER_CHARS} characters", _short(text))
    m = re.search(r"[eE]([+-]?\d+)", text)
    if m is not None and abs(int(m.group(1))) > MAX_EXPONENT:
        raise NfgError(path, tok.line, field, f"must have a decimal exponent of magnitude at most {MAX_EXPONENT}", _short(text))
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise NfgError(path, tok.line, field, "must be a number (integer, decimal or p/q)", tok.text) from None


# ---------------------------------------------------------------------------------------------
# reading


def loads_nfg(text: str, *, path: str = "<string>") -> NormalFormGame:
    """Parse the text of a .nfg file (payoff or outcome version) into an exact game.

    Raises
    ------
    NfgError
        On any malformed part, naming the line and the field.

    Examples
    --------
    >>> g = loads_nfg('NFG 1 R "PD" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g.payoffs[0].tolist(), g.payoffs[1].tolist()
    ([[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(1, 1)]], [[Fraction(3, 1), Fraction(5, 1)], [Fraction(0, 1), Fraction(1, 1)]])
    >>> loads_nfg('NFG 1 R "x" { "1" "2" } { 2 2 } 1 2 3')
    Traceback (most recent call last):
    ...
    otr_theory.games.nfg.NfgError: <string>:1: payoffs: expected 8 numbers (2 players x 4 contingencies) (got 3)
    """
    s = _Stream(_tokenize(text, path), path, text)
    head = s.take("word", "header", "must start with NFG")
    if head.text != "NFG":
        raise NfgError(path, head.line, "header", "must start with NFG", head.text)
    ver = s.take("number", "version", "must be 1 after NFG")
    if ver.text != "1":
        raise NfgError(path, ver.line, "version", "must be 1 (the only .nfg version)", ver.text)
    kind = s.take("word", "number type", "must be R (rational) or D (decimal)")
    if kind.text not in ("R", "D"):
        raise NfgError(path, kind.line, "number type", "must be R (rational) or D (decimal)", kind.text)
    title = s.take("string", "title", "must be a quoted string").text
    s.take("open", "players", 'must be a list { "name" ... }')
    players = []
    while s.at("string"):
        players.append(s.take("string", "players", "").text)
        if len(players) > MAX_PLAYERS:
            raise NfgError(path, s.line, "players", f"at most {MAX_PLAYERS} players", len(players))
    s.take("close", "players", "must be a list of quoted names closed by }")
    if not players:
        raise NfgError(path, s.line, "players", "must name at least one player", "{ }")
    s.take("open", "strategies", "must be { counts } or { { names } ... }")
    strategies: list[tuple[str, ...]] = []
    if s.at("open"):
        for p in range(len(players)):
            s.take("open", f"strategies of player {p + 1}", 'must be a list { "name" ... }')
            names = []
            while s.at("string"):
                names.append(s.take("string", "strategy", "").text)
                if len(names) > MAX_STRATEGIES:
                    raise NfgError(path, s.line, f"strategies of player {p + 1}", f"at most {MAX_STRATEGIES} strategies", len(names))
            s.take("close", f"strategies of player {p + 1}", "must be quoted names closed by }")
            if not names:
                raise NfgError(path, s.line, f"strategies of player {p + 1}", "must name at least one strategy", "{ }")
            strategies.append(tuple(names))
    else:
        for p in range(len(players)):
            t = s.take("number", f"strategy count of player {p + 1}", f"must give {len(players)} counts")
            k = int(t.text) if t.text.isdigit() and len(t.text) <= 12 else 0
            if k < 1 or str(k) != t.text:
                raise NfgError(path, t.line, f"strategy count of player {p + 1}", "must be an integer >= 1", _short(t.text))
            if k > MAX_STRATEGIES:
                raise NfgError(path, t.line, f"strategy count of player {p + 1}", f"at most {MAX_STRATEGIES} strategies", k)
            strategies.append(tuple(str(j + 1) for j in range(k)))
    s.take("close", "strategies", f"must list one entry per player ({len(players)})")
    comment = s.take("string", "comment", "").text if s.at("string") else ""
    shape = tuple(len(x) for x in strategies)
    n_cont = math.prod(shape)
    n = len(players)
    if n_cont > MAX_CONTINGENCIES:
        raise NfgError(path, s.line, "strategies", f"at most {MAX_CONTINGENCIES} contingencies (the product of the strategy counts)", " x ".join(map(str, shape)))
    if s.at("open"):  # outcome version
        s.take("open", "outcomes", "")
        outcomes: list[list[Fraction]] = []
        while s.at("open"):
            start = s.take("open", "outcome", "")
            if s.at("string"):
                s.take("string", "outcome name", "")
            vals = []
            while s.at("number") or s.at("comma"):
                if s.at("comma"):
                    s.take("comma", "outcome payoff", "")
                    continue
                t = s.number(f"outcome {len(outcomes) + 1} payoff {len(vals) + 1}")
                vals.append(_number(t, path, f"outcome {len(outcomes) + 1} payoff"))
            s.take("close", f"outcome {len(outcomes) + 1}", 'must be { "name" payoffs } closed by }')
            if len(vals) != n:
                raise NfgError(path, start.line, f"outcome {len(outcomes) + 1}", f"must give one payoff per player ({n})", len(vals))
            outcomes.append(vals)
        s.take("close", "outcomes", 'must be a list of { "name" payoffs } closed by }')
        idx = []
        while len(idx) < n_cont and s.peek() is not None:
            t = s.number(f"contingency {len(idx) + 1}", f"must be an outcome number in 0..{len(outcomes)}")
            try:
                k = int(t.text) if len(t.text) <= 12 else -1
            except ValueError:
                raise NfgError(path, t.line, f"contingency {len(idx) + 1}", "must be an outcome number", _short(t.text)) from None
            if not 0 <= k <= len(outcomes) or str(k) != t.text.lstrip("+"):
                raise NfgError(path, t.line, f"contingency {len(idx) + 1}", f"must be an outcome number in 0..{len(outcomes)}", t.text)
            idx.append(k)
        extra = 0
        while s.at("number"):  # too many: counted, as in "expected 4 outcome numbers (got 5)"
            s.take("number", "contingencies", "")
            extra += 1
        if len(idx) + extra != n_cont:
            raise NfgError(path, s.line, "contingencies", f"expected {n_cont} outcome numbers (one per contingency)", len(idx) + extra)
        flat = [[Fraction(0)] * n if k == 0 else outcomes[k - 1] for k in idx]
    else:  # payoff version
        vals = []
        while len(vals) < n * n_cont and s.peek() is not None:
            t = s.number(f"payoff {len(vals) + 1}")
            vals.append(_number(t, path, f"payoff {len(vals) + 1}"))
        extra = 0
        while s.at("number"):  # too many numbers: counted, as in "expected 8 numbers (got 9)"
            s.take("number", "payoffs", "")
            extra += 1
        vals_found = len(vals) + extra
        if vals_found != n * n_cont:
            raise NfgError(path, s.line, "payoffs", f"expected {n * n_cont} numbers ({n} players x {n_cont} contingencies)", vals_found)
        flat = [vals[c * n : (c + 1) * n] for c in range(n_cont)]
    if s.peek() is not None:
        t = s.peek()
        raise NfgError(path, t.line, "end of file", "unexpected trailing content", t.text)
    arr = np.empty((n, *shape), dtype=object)
    # contingency c enumerates profiles with player 1's strategy fastest (Fortran order)
    for c, pay in enumerate(flat):
        prof = np.unravel_index(c, shape, order="F")
        for p in range(n):
            arr[(p, *prof)] = pay[p]
    return NormalFormGame(payoffs=arr, players=tuple(players), strategies=tuple(strategies), title=title, comment=comment)


def read_nfg(path: str | Path) -> NormalFormGame:
    """Read a .nfg file; missing or unreadable files raise :class:`NfgError` too."""
    p = Path(path)
    try:
        if p.exists() and not p.is_file() and not p.is_dir():
            raise NfgError(str(p), None, "<file>", "must be a regular file (not a device, FIFO or socket)")
        with open(p, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise NfgError(str(p), None, "<file>", f"must be at most {MAX_FILE_BYTES} bytes")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise NfgError(str(p), None, "<file>", "no such file") from None
    except IsADirectoryError:
        raise NfgError(str(p), None, "<file>", "is a directory, not a .nfg file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NfgError(str(p), None, "<file>", f"cannot be read: {exc}") from None
    return loads_nfg(text, path=str(p))


# ---------------------------------------------------------------------------------------------
# writing


def format_number(x: Any) -> str:
    """A payoff as .nfg text: ``p/q`` for rationals, shortest repr for floats.

    >>> format_number(Fraction(5, 2)), format_number(3), format_number(0.25)
    ('5/2', '3', '0.25')
    """
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return str(int(x))
    v = float(x)
    if not math.isfinite(v):
        raise GameError("payoff", "must be finite to be written", v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps_nfg(game: NormalFormGame, *, version: str = "payoff") -> str:
    """The game as .nfg text (``version`` ``payoff`` or ``outcome``); :func:`loads_nfg` reads it back.

    >>> g = loads_nfg('NFG 1 R "PD" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> loads_nfg(dumps_nfg(g)) == g and loads_nfg(dumps_nfg(g, version="outcome")) == g
    True
    """
    if version not in ("payoff", "outcome"):
        raise GameError("version", "must be 'payoff' or 'outcome'", version)
    kind = "R" if game.exact else "D"
    lines = [f"NFG 1 {kind} {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}", ""]
    lines.append("{ " + "\n  ".join("{ " + " ".join(_quote(s) for s in strat) + " }" for strat in game.strategies) + "\n}")
    lines.append(_quote(game.comment))
    lines.append("")
    shape = game.shape
    n = game.n_players
    conts = [np.unravel_index(c, shape, order="F") for c in range(math.prod(shape))]
    if version == "payoff":
        rows = [" ".join(format_number(game.payoffs[(p, *prof)]) for p in range(n)) for prof in conts]
        lines.append("\n".join(rows))
    else:
        outcomes: dict[tuple[str, ...], int] = {}
        idx = []
        for prof in conts:
            key = tuple(format_number(game.payoffs[(p, *prof)]) for p in range(n))
            idx.append(outcomes.setdefault(key, len(outcomes) + 1))
        lines.append("{")
        for key in outcomes:
            lines.append(f'{{ "" {", ".join(key)} }}')
        lines.append("}")
        lines.append(" ".join(str(k) for k in idx))
    return "\n".join(lines) + "\n"


def write_nfg(game: NormalFormGame, path: str | Path, *, version: str = "payoff") -> Path:
    """Write the game to ``path`` as .nfg; returns the path."""
    p = Path(path)
    p.write_text(dumps_nfg(game, version=version), encoding="utf-8")
    return p


def dumps_efg(root: Node, *, players: Sequence[str], title: str = "", comment: str = "") -> str:
    """A game tree (:mod:`otr_theory.games.tree`) as Gambit .efg text, perfect information.

    Each decision node gets its own information set; each terminal node its own outcome.

    >>> from otr_theory.games.tree import Decision, Terminal
    >>> t = Decision(0, "entry", (("in", Terminal((1, -1))), ("out", Terminal((0, 0)))))
    >>> print(dumps_efg(t, players=("A", "B")))
    EFG 2 R "" { "A" "B" }
    ""
    <BLANKLINE>
    p "entry" 1 1 "entry" { "in" "out" } 0
    t "" 1 "" { 1, -1 }
    t "" 2 "" { 0, 0 }
    <BLANKLINE>
    """
    n = len(players)
    kind = "R"
    lines = [f"EFG 2 {kind} {_quote(title)} {{ {' '.join(_quote(p) for p in players)} }}", _quote(comment), ""]
    infoset_count = [0] * n
    outcome_count = [0]

    def visit(node: Node) -> None:
        if isinstance(node, Terminal):
            if len(node.payoffs) != n:
                raise GameError("payoffs", f"a terminal node needs one payoff per player ({n})", len(node.payoffs))
            outcome_count[0] += 1
            pay = ", ".join(format_number(v) for v in node.payoffs)
            lines.append(f"t {_quote(node.label)} {outcome_count[0]} {_quote(node.label)} {{ {pay} }}")
            return
        if not isinstance(node, Decision):
            raise GameError("node", "must be a Decision or a Terminal", type(node).__name__)
        if not 0 <= node.player < n:
            raise GameError("player", f"must be in 0..{n - 1}", node.player)
        infoset_count[node.player] += 1
        acts = " ".join(_quote(a) for a, _ in node.actions)
        lines.append(f"p {_quote(node.label)} {node.player + 1} {infoset_count[node.player]} {_quote(node.label)} {{ {acts} }} 0")
        for _, child in node.actions:
            visit(child)

    visit(root)
    return "\n".join(lines) + "\n"
