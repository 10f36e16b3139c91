"""Load and validate a model file into typed, immutable parameters.

A *model file* (TOML) describes one deployment of a verifiable-inference protocol: the served
model, the hardware, the ZK prover, the chain, the economics, the challengers, the dispute game,
the TEE's failure process and the adversary. Every number is a *quantity*: a value whose unit is
the suffix of its name (``_usd``, ``_s``, ``_per_year`` ...), the key of a source in the file's
``[sources]`` table, and, where it is uncertain, a range ``low <= value <= high``::

    [economics]
    slash_usd = { value = 100_000, source = "ours", low = 10_000, high = 1_000_000 }

A bare number (``slash_usd = 100000``) is accepted and labelled *assumed, no source given*.

Validation happens once, here: unknown keys (with a did-you-mean), missing keys, wrong types,
out-of-range values and cross-field rules (a challenge window shorter than one dispute round, a
challenger reward share above the slash, a slash above the stake, ...). Every problem is collected
and raised together as one :class:`ModelError` that names the file, the field, the rule and the
bad value.

The field table :data:`FIELDS` is the single source of the schema: the loader, the README's
model-file reference and the report's parameter table are all generated from it.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from otr_theory import limits
from otr_theory.limits import LimitError
from otr_theory.tomlpos import key_positions, locate, toml_error_position

__all__ = [
    "DAYS_PER_YEAR",
    "SECONDS_PER_YEAR",
    "BOND_RULES",
    "CLOCK_STARTS",
    "DISPUTE_DESIGNS",
    "FIELDS",
    "LOSS_CONVENTIONS",
    "SCHEMES",
    "SOURCE_KINDS",
    "SPLIT_RULES",
    "TIMING_RULES",
    "DisputeRules",
    "FieldSpec",
    "Model",
    "ModelError",
    "Quantity",
    "Source",
    "bisection_rounds",
    "default_model_path",
    "load_model",
    "loads_model",
    "model_paths",
    "replica_query_rate",
]

SCHEMES = ("otr", "centralized", "zkml", "opml", "poq")
"""Verification schemes a model file may describe (``[model] scheme``)."""

LOSS_CONVENTIONS = ("forfeit", "keep")
GAIN_REALISATIONS = ("provisional", "final")
"""When a wrong output's external gain is realised: at provisional finality (sub-second; the
default) or at final finality (end of the window: consumers that wait for it)."""
"""What a caught cheater loses: ``forfeit`` the gain is forfeited and the slash paid (inspection
games: deterred iff p >= g/(g+S)); ``keep`` the gain is kept and the slash paid on top (Becker
1968: deterred iff p >= g/S)."""

SOURCE_KINDS = ("primary", "secondary", "derived", "assumed", "uncertain")
"""How much a source can be trusted. ``derived`` and ``assumed`` are ours."""

SCHEMA_VERSION = 1

# ---------------------------------------------------------------------------------------------
# errors


@dataclasses.dataclass(frozen=True)
class Problem:
    """One validation problem: where, which rule, what value."""

    field: str
    rule: str
    value: Any = None
    has_value: bool = True
    line: int | None = None
    """Where in the file (from 1), when the problem came from a file's text; else None."""
    column: int | None = None

    def render(self) -> str:
        """``field: rule (got value)``, the field and the value cut to a readable length; a
        pseudo-field (``<toml>``, ``<file>``, ``<top>``) is left out: the file names the place."""
        got = f" (got {limits.short(repr(self.value))})" if self.has_value else ""
        field = "" if self.field.startswith("<") else f"{limits.short(self.field, 120)}: "
        return limits.short(f"{field}{self.rule}{got}", limits.MAX_MESSAGE_CHARS)

    def place(self, path: str) -> str:
        """``FILE:LINE:COL`` (or ``FILE:LINE``, or ``FILE``) of this problem, the file cut short.

        >>> Problem("zk.spot_check_rate.value", "must be <= 1", 1.5, line=46, column=27).place("m.toml")
        'm.toml:46:27'
        """
        where = limits.short(str(path), 120)
        if self.line is None:
            return where
        return f"{where}:{self.line}" + ("" if self.column is None else f":{self.column}")


class ModelError(ValueError):
    """A model file breaks the schema. ``str(err)`` lists every problem, one per line.

    A problem found in a file's text names its place as compilers do, ``FILE:LINE:COL: field:
    rule (got value)``: a TOML syntax error where :mod:`tomllib` found it, a field error at the
    key that holds the bad value (the table's header for a missing key).

    Attributes
    ----------
    path : str
        The file (or ``<string>``) the model came from.
    problems : tuple of Problem
        Each problem: the dotted field, the rule it breaks, the bad value, its line and column.
    """

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = tuple(problems)
        where = limits.short(str(path), 120)
        shown = self.problems[: limits.MAX_PROBLEMS]
        lines = [limits.short(f"{p.place(path)}: {p.render()}", limits.MAX_MESSAGE_CHARS) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"{where}: and {len(self.problems) - len(shown):,} more problems")
        super().__init__("\n".join(lines))

    @property
    def fields(self) -> tuple[str, ...]:
        """The dotted names of the fields at fault."""
        return tuple(p.field for p in self.problems)


# ---------------------------------------------------------------------------------------------
# the schema

Check = Callable[[float], str | None]


def _g(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 or x != int(x) else f"{x:.0e}".replace("e+0", "e").replace("e+", "e")


@dataclasses.dataclass(frozen=True)
class Range:
    """The physically meaningful range of a field: ``lo <= x <= hi`` (``<`` where open), or
    exactly 0 when ``zero_ok``. ``why`` says where the bound comes from; it is shown with a
    value beyond ``hi``. A check: ``Range(...)(x)`` is ``None`` or the broken rule.

    >>> r = Range(0, 1e9, why="no GPU-hour costs a billion dollars")
    >>> r(-1), r(5.0), r(2e9)
    ('must be >= 0', None, 'must be <= 1e9 (no GPU-hour costs a billion dollars)')
    >>> r.rule, Range(1e-3, 1e7, lo_open=False).rule, Range(0, 1, hi_open=True).rule
    ('in [0, 1e9]', 'in [0.001, 1e7]', 'in [0, 1)')
    >>> rho = Range(1e-9, 1, zero_ok=True, label="a probability in [0, 1]")
    >>> rho(1e-12), rho(1.5), rho(0.0)
    ('must be 0 or >= 1e-09', 'must be a probability in [0, 1]', None)
    """

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    zero_ok: bool = False
    why: str = ""
    label: str = ""

    def __call__(self, x: float) -> str | None:
        if self.zero_ok and x == 0:
            return None
        low = x < self.lo or (self.lo_open and x == self.lo)
        high = x > self.hi or (self.hi_open and x == self.hi)
        if self.label and (high or (low and not (self.zero_ok and x > 0))):
            return f"must be {self.label}"
        if low and self.zero_ok and x < 0:
            return "must be >= 0"
        if low:
            tail = f" ({self.why})" if self.zero_ok and self.why else ""
            return f"must be {'0 or ' if self.zero_ok else ''}{'>' if self.lo_open else '>='} {_g(self.lo)}{tail}"
        if high:
            return f"must be {'<' if self.hi_open else '<='} {_g(self.hi)}" + (f" ({self.why})" if self.why else "")
        return None

    @property
    def rule(self) -> str:
        """The rule as the README and the messages write it."""
        zero = "0 or " if self.zero_ok else ""
        if self.hi == math.inf:
            return f"{zero}{'>' if self.lo_open else '>='} {_g(self.lo)}"
        return f"{zero}in {'(' if self.lo_open else '['}{_g(self.lo)}, {_g(self.hi)}{')' if self.hi_open else ']'}"


_nonneg = Range(0)
_positive = Range(0, lo_open=True)
_prob = Range(0, 1, label="a probability in [0, 1]")
_fraction_lt1 = Range(0, 1, hi_open=True, label="a fraction in [0, 1)")


def _at_least(lo: float) -> Check:
    return Range(lo)


def _usd(hi: float = 1e12, why: str = "beyond any deployment's money") -> Range:
    return Range(0, hi, why=why)


_LEDGER_USD = Range(0.01, 1e12, zero_ok=True, why="0, or at least a cent: the smallest amount a ledger settles; at most a trillion dollars")
_GAS = Range(0, 1e9, why="no transaction needs more than a billion gas; a block holds ~3.6e7")
_DURATION = Range(0, 3.2e7, why="more than a year")


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """One numeric field of the schema."""

    section: str
    name: str
    description: str
    check: Check
    rule: str = ""
    integer: bool = False
    required_for: tuple[str, ...] = SCHEMES

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def unit(self) -> str:
        """The unit, read from the name's suffix."""
        return unit_of(self.name)


_UNITS = (
    ("_usd_per_hour", "USD/h"),
    ("_usd_per_query", "USD/query"),
    ("_usd", "USD"),
    ("_per_year", "1/year"),
    ("_days", "days"),
    ("_s", "s"),
    ("_gwei", "gwei"),
    ("_gas", "gas"),
    ("_tokens_per_s_per_gpu", "tokens/s/GPU"),
    ("_per_query", "tokens/query"),
    ("_billion", "1e9 parameters"),
    ("_fraction", "fraction"),
    ("_rate", "probability"),
    ("_share", "fraction"),
    ("_blocks", "blocks"),
    ("_steps", "steps"),
)


def bisection_rounds(trace_steps: int, arity: int) -> int:
    """Rounds of a k-ary bisection of an N-step trace: the least K with k**K >= N, i.e.
    :math:`\\lceil \\log_k N \\rceil` in exact integer arithmetic (0 for a one-step trace).

    The one implementation used by the dispute game, the SMT model, the regimes, the costs and
    the simulation.

    >>> bisection_rounds(2**40, 2), bisection_rounds(2**40 + 1, 2), bisection_rounds(1000, 10), bisection_rounds(1, 2)
    (40, 41, 3, 0)
    >>> bisection_rounds(0, 2)
    Traceback (most recent call last):
    ...
    ValueError: trace_steps: must be an integer >= 1 (got 0)
    """
    if isinstance(trace_steps, bool) or int(trace_steps) != trace_steps or trace_steps < 1:
        raise ValueError(f"trace_steps: must be an integer >= 1 (got {trace_steps!r})")
    if isinstance(arity, bool) or int(arity) != arity or arity < 2:
        raise ValueError(f"bisection_arity: must be an integer >= 2 (got {arity!r})")
    rounds, reach, k = 0, 1, int(arity)
    while reach < trace_steps:
        reach *= k
        rounds += 1
    return rounds


DAYS_PER_YEAR = 365.25
"""Days in the (Julian) year: the one year length of the toolkit, used to convert every
``*_per_year`` rate (capital cost, compromise rate) and to show simulated time in years."""

SECONDS_PER_YEAR = DAYS_PER_YEAR * 86_400.0
"""The Julian year in seconds (:data:`DAYS_PER_YEAR` x 86,400)."""


def replica_query_rate(values: Mapping[str, Any]) -> Any:
    """Queries per second one model replica serves at full load, Confidential-Computing overhead
    included: :math:`n = \\mathrm{gpus} (1 - o) / (t_{out}/r_{dec} + t_{in}/r_{pre})` (ours).

    The one definition of throughput used by payoffs, regimes, simulation and calibration
    (``values`` may hold numpy arrays; they broadcast).

    >>> v = {"gpus_per_replica": 2, "tee_overhead_fraction": 0.0, "tokens_out_per_query": 250,
    ...      "decode_tokens_per_s_per_gpu": 1092.2, "tokens_in_per_query": 500, "prefill_tokens_per_s_per_gpu": 4394.2}
    >>> round(replica_query_rate(v), 3)
    5.836
    """
    gpu_s = values["tokens_out_per_query"] / values["decode_tokens_per_s_per_gpu"] + values["tokens_in_per_query"] / values["prefill_tokens_per_s_per_gpu"]
    return values["gpus_per_replica"] * (1.0 - values["tee_overhead_fraction"]) / gpu_s


def unit_of(name: str) -> str:
    """The unit of a field, from the suffix of its name.

    >>> unit_of("slash_usd"), unit_of("window_s"), unit_of("spot_check_rate")
    ('USD', 's', 'probability')
    """
    for suffix, unit in _UNITS:
        if name.endswith(suffix):
            return unit
    return "count"


_ALL = SCHEMES
_OPT = ("otr", "opml")  # schemes with an optimistic window and a dispute game


def _f(section: str, name: str, description: str, check: Check, rule: str | None = None, **kw: Any) -> FieldSpec:
    """A row of :data:`FIELDS`; ``rule`` defaults to the check's own (a :class:`Range`'s)."""
    return FieldSpec(section, name, description, check, rule if rule is not None else getattr(check, "rule", ""), **kw)


FIELDS: tuple[FieldSpec, ...] = (
    # served model
    _f("served_model", "params_billion", "parameters of the served LLM", Range(1e-3, 1e5, why="a million to a hundred trillion parameters")),
    _f("served_model", "tokens_in_per_query", "prompt tokens per query", Range(1, 1e7, why="no context window holds ten million tokens")),
    _f("served_model", "tokens_out_per_query", "generated tokens per query", Range(1, 1e7, why="no context window holds ten million tokens")),
    # hardware
    _f("hardware", "gpus_per_replica", "GPUs serving one model replica", Range(1, 1e5, why="a hundred thousand GPUs is a whole datacentre"), integer=True),
    _f("hardware", "gpu_price_usd_per_hour", "rental price of one GPU", _usd(1e4, "no GPU rents for $10,000 an hour")),
    _f("hardware", "decode_tokens_per_s_per_gpu", "decode throughput per GPU at the batch size", Range(1e-3, 1e7, why="a GPU decodes between 0.001 and ten million tokens/s")),
    _f("hardware", "prefill_tokens_per_s_per_gpu", "prefill throughput per GPU", Range(1e-3, 1e7, why="a GPU prefills between 0.001 and ten million tokens/s")),
    _f("hardware", "batch_size", "concurrent sequences in a decode batch", Range(1, 1e6, why="a million concurrent sequences on one replica"), integer=True),
    _f("hardware", "tee_overhead_fraction", "throughput lost to Confidential Computing", Range(0, 0.99, why="a TEE losing more than 99% of the throughput is not a deployment")),
    _f("hardware", "attestation_latency_s", "time to verify a TEE attestation", Range(0, 3600, why="an attestation that takes over an hour gives no provisional finality")),
    # ZK spot-checks
    _f(
        "zk",
        "spot_check_rate",
        "probability rho that a query must be ZK-proved",
        Range(1e-9, 1, zero_ok=True, label="a probability in [0, 1]", why="a smaller rate checks less than one query in a billion"),
    ),
    _f("zk", "proof_cost_usd", "cost of one ZK proof of a whole inference", _usd(1e6, "a million dollars for one proof")),
    _f("zk", "proof_latency_s", "time to produce one ZK proof", _DURATION),
    _f("zk", "proof_deadline_s", "deadline to deliver a demanded proof", _DURATION),
    _f("zk", "verify_gas", "gas to verify a ZK proof on chain", _GAS),
    _f("zk", "proposer_bias_bound", "share of commitments whose block proposer colludes (block-hash randomness)", _prob),
    # chain
    _f("chain", "gas_price_gwei", "gas price of the settlement chain", Range(0, 1e6, why="a million gwei is 1,000x the highest gas price Ethereum has seen")),
    _f("chain", "eth_price_usd", "price of the gas token", _usd(1e7, "ten million dollars per gas token")),
    _f("chain", "block_time_s", "block time of the settlement chain", Range(1e-3, 3600, why="a block between a millisecond and an hour")),
    _f("chain", "commit_gas", "gas to post one commitment", _GAS),
    _f("chain", "queries_per_commit", "queries batched under one commitment", Range(1, 1e9, why="a billion queries under one commitment"), integer=True),
    _f("chain", "challenge_open_gas", "gas to open a challenge", _GAS),
    _f("chain", "dispute_step_gas", "gas of one bisection move or the one-step check", _GAS),
    # economics
    _f("economics", "fee_usd_per_query", "fee the client pays per query", _usd(1e6, "a million dollars per query")),
    _f("economics", "stake_usd", "prover stake locked in the ledger", _LEDGER_USD),
    _f("economics", "slash_usd", "amount slashed on a proved fraud", _LEDGER_USD),
    _f("economics", "challenger_reward_share", "share of the slash paid to the challenger", _prob),
    _f("economics", "challenger_bond_usd", "bond a challenger posts", _LEDGER_USD),
    _f("economics", "capital_cost_rate_per_year", "opportunity cost of locked capital", Range(0, 10, why="1,000% a year")),
    _f("economics", "external_gain_usd", "external gain g from one wrong output", _usd()),
    _f("economics", "downgrade_saving_usd_per_query", "cost saved by serving a cheaper model", _usd(1e6, "a million dollars per query")),
    _f("economics", "skip_saving_usd_per_query", "cost saved by not running the model at all", _usd(1e6, "a million dollars per query")),
    _f("economics", "replicas_per_stake", "model replicas whose queries one stake covers", Range(1, 1e6, why="a million replicas behind one stake"), integer=True),
    _f("economics", "high_value_gain_usd", "external gain of one wrong output on a high-value query", _usd()),
    _f("economics", "high_value_fraction", "fraction of queries that are high-value", _prob),
    _f("economics", "reentry_cost_usd", "cost of a fresh prover identity after ejection (franchise value)", _usd()),
    _f("economics", "stake_unbonding_s", "time from a withdrawal request until the stake is paid out", _DURATION),
    # challengers
    _f(
        "challengers",
        "count",
        "independent challengers watching",
        Range(0, 1000, why="the equilibrium and detection formulas are evaluated exactly up to 1,000 challengers; more adds nothing measurable"),
        integer=True,
    ),
    _f("challengers", "check_cost_usd_per_query", "cost to re-execute and check one query", _usd(1e6, "a million dollars per query")),
    # dispute game
    _f("dispute", "window_s", "challenge window W", _DURATION),
    _f("dispute", "trace_steps", "steps N of the committed execution trace", Range(1, 1e24, why="about 2**80 steps; the OP game bisects 2**73"), integer=True),
    _f("dispute", "bisection_arity", "arity k of the bisection", Range(2, 1024, why="a move posts k-1 hashes on chain"), integer=True),
    _f("dispute", "round_timeout_s", "response timeout of one bisection round", Range(1e-3, 1e6, why="about 12 days per round")),
    _f("dispute", "settlement_s", "time to check the last step and settle", Range(0, 1e6, why="about 12 days")),
    _f("dispute", "level_bond_usd", "bond posted with every dispute move (bond_rule = constant)", _usd()),
    _f("dispute", "bond_base_gas", "gas the bond of a depth-0 claim covers (bond_rule = per_depth)", _GAS),
    _f("dispute", "bond_max_gas", "gas the bond of a claim at the deepest depth covers (bond_rule = per_depth)", _GAS),
    _f("dispute", "bond_gas_price_gwei", "gas price the per-depth bond schedule assumes", Range(0, 1e6, why="a million gwei is 1,000x the highest gas price Ethereum has seen")),
    _f("dispute", "max_game_depth", "deepest position of an OP-style game tree (design = op; 0 otherwise)", Range(0, 1000, why="a game tree 1,000 moves deep"), integer=True),
    _f("dispute", "split_depth", "depth below which an OP-style game bisects the execution trace (design = op)", Range(0, 1000, why="a game tree 1,000 moves deep"), integer=True),
    _f("dispute", "chess_clock_s", "time each party may spend over all its moves (timing = chess_clock)", _DURATION),
    _f("dispute", "clock_extension_s", "time a party's clock is topped up to when it runs low (chess clock)", _DURATION),
    _f(
        "dispute",
        "stress_gas_price_gwei",
        "gas price of a stressed chain, for the resource ratio (BoLD uses 500)",
        Range(0, 1e6, why="a million gwei is 1,000x the highest gas price Ethereum has seen"),
    ),
    _f("dispute", "max_finality_delay_s", "finality delay that an affordable attack must not exceed (0: no bound)", _DURATION),
    _f("dispute", "delay_attack_budget_usd", "budget an attacker may spend to delay finality", _usd()),
    # TEE failure process
    _f("tee", "compromise_rate_per_year", "arrival rate of attestation-breaking vulnerabilities", Range(0, 1000, why="a new attestation break every 9 hours")),
    _f("tee", "compromise_duration_days", "time until a vulnerability is patched and keys revoked", Range(0, 3650, why="ten years unpatched")),
    _f("tee", "compromised_fraction", "fraction of provers able to exploit an open vulnerability", _prob),
    # adversary
    _f("adversary", "censorship_blocks", "blocks an adversary can censor challenge transactions", Range(0, 1e6, why="a million blocks of censorship"), integer=True),
    _f("adversary", "incentive_margin_usd", "margin by which honesty must beat every deviation", _usd()),
    _f("adversary", "griefing_cost_ratio", "least ratio of a griefer's spend to the honest prover's spend in a dispute", Range(0, 1e6, why="a griefer paying a million times the defender's cost")),
)

_FIELD_INDEX: Mapping[str, FieldSpec] = MappingProxyType({f.name: f for f in FIELDS})
_SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FIELDS))

_TOP_KEYS = ("schema_version", "model", "protocol", "sources", *_SECTIONS)
_MODEL_KEYS = ("name", "description", "scheme", "loss_convention", "gain_realisation", "self_challenge")
_PROTOCOL_KEYS = (
    "attestation_check",
    "randomness_after_commit",
    "slash_on_missed_proof",
    "revert_pending_on_slash",
    "finality_while_proof_pending",
    "loser_payout",
    "timeout_tie_break",
    "move_order",
    "measurement_source",
    "randomness_source",
)
_PROTOCOL_CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "loser_payout": ("burn", "refund"),
        "timeout_tie_break": ("against_prover", "against_challenger"),
        "move_order": ("simultaneous", "prover_first"),
        "measurement_source": ("registry", "prover"),
        "randomness_source": ("commit_reveal", "vrf", "block_hash"),
    }
)
"""Protocol switches that take one of a few words (the others are booleans)."""
_QUANTITY_KEYS = ("value", "source", "low", "high", "note")
_SOURCE_KEYS = ("title", "url", "kind", "note")

UNSOURCED = "unsourced"
"""Source key given to bare numbers: assumed, no source given."""

# ---------------------------------------------------------------------------------------------
# records


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a number comes from."""

    key: str
    title: str
    url: str
    kind: str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Quantity:
    """A number with its source and, where uncertain, its range."""

    value: float
    source: str
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def exact(self) -> Fraction:
        """The value as an exact rational, read from its shortest decimal form.

        >>> Quantity(0.01, "x").exact
        Fraction(1, 100)
        """
        return Fraction(repr(float(self.value)))

    @property
    def uncertain(self) -> bool:
        return self.low is not None or self.high is not None


@dataclasses.dataclass(frozen=True)
class Protocol:
    """Structural switches of the protocol (for mutants and baselines)."""

    attestation_check: bool = True
    randomness_after_commit: bool = True
    slash_on_missed_proof: bool = True
    revert_pending_on_slash: bool = False
    """On a slash, every result of that prover not yet final is reverted (its gain lost)."""
    finality_while_proof_pending: bool = False
    """A result may reach final finality while a demanded ZK proof is still pending."""
    loser_payout: str = "burn"
    """What a challenger who loses its dispute pays: ``burn`` its bond, ``refund`` nothing."""
    timeout_tie_break: str = "against_prover"
    """Who loses a round in which neither party moved by the timeout."""
    move_order: str = "simultaneous"
    """``simultaneous``: both parties answer a round independently; ``prover_first``: the
    challenger may answer only after the prover's move."""
    measurement_source: str = "registry"
    """Where the measurement an attestation is checked against comes from: the model ``registry``
    or the ``prover`` (who may supply the measurement of a cheaper model)."""
    randomness_source: str = "commit_reveal"
    """Spot-check randomness: ``commit_reveal`` (a committee reveals after the commitment),
    ``vrf`` (a verifier's VRF over the commitment) or ``block_hash`` (the hash of the block that
    includes the commitment: known to that block's proposer before it seals the block)."""


DISPUTE_DESIGNS = ("bisection", "multilevel", "op")
"""Dispute designs (``[dispute] design``): one k-ary bisection of the trace (``bisection``),
levels of bisection with their own heights and stakes (``multilevel``, Arbitrum BoLD), or a binary
game tree of ``max_game_depth`` split at ``split_depth`` (``op``, the OP fault-dispute game)."""

TIMING_RULES = ("rounds", "chess_clock")
"""``rounds``: each move has ``round_timeout_s``; ``chess_clock``: each party has ``chess_clock_s``
over all its moves (topped up to ``clock_extension_s`` when it runs low)."""

BOND_RULES = ("constant", "per_depth", "per_level")
"""``constant``: ``level_bond_usd`` per move; ``per_depth``: the OP schedule
``bond_gas_price_gwei x bond_base_gas x (bond_max_gas/bond_base_gas)^(d/D)``; ``per_level``: the
stake of ``levels.stakes_usd`` to open each level (BoLD's mini-stakes)."""

SPLIT_RULES = ("even", "first_remainder")
"""How a segment of L steps splits into k parts: ``even`` (sizes differ by at most one: the worst
part has ceil(L/k) steps) or ``first_remainder`` (Arbitrum Nitro: floor(L/k) each, the first part
takes the remainder L mod k)."""

CLOCK_STARTS = ("window_end", "assertion")
"""When a challenger's chess clock starts: after the window (BoLD: a rival may come at the end of
the confirmation period) or at the assertion (OP: the window is the challenger team's clock)."""


@dataclasses.dataclass(frozen=True)
class DisputeRules:
    """The non-numeric part of ``[dispute]``: which design, timing, bond and split rule are in force.

    ``level_heights``, ``level_arities`` and ``level_stakes_usd`` describe the levels of a
    ``multilevel`` design, top level first (``[dispute.levels]``, with its ``source``).
    """

    design: str = "bisection"
    timing: str = "rounds"
    bond_rule: str = "constant"
    split_rule: str = "even"
    clock_start: str = "window_end"
    level_heights: tuple[int, ...] = ()
    level_arities: tuple[int, ...] = ()
    level_stakes_usd: tuple[float, ...] = ()
    levels_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in _DISPUTE_CHOICE_KEYS}
        if self.level_heights:
            lv: dict[str, Any] = {"heights": list(self.level_heights)}
            if self.level_arities:
                lv["arities"] = list(self.level_arities)
            if self.level_stakes_usd:
                lv["stakes_usd"] = list(self.level_stakes_usd)
            if self.levels_source:
                lv["source"] = self.levels_source
            out["levels"] = lv
        return out


_DISPUTE_CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType({"design": DISPUTE_DESIGNS, "timing": TIMING_RULES, "bond_rule": BOND_RULES, "split_rule": SPLIT_RULES, "clock_start": CLOCK_STARTS})
_DISPUTE_CHOICE_KEYS = tuple(_DISPUTE_CHOICES)
_DISPUTE_EXTRA_KEYS = (*_DISPUTE_CHOICE_KEYS, "levels")
_LEVEL_KEYS = ("heights", "arities", "stakes_usd", "source", "note")


@dataclasses.dataclass(frozen=True)
class Model:
    """A validated model: immutable, every field a :class:`Quantity`.

    Use :meth:`value` for plain floats, :meth:`quantity` for the full record and
    :meth:`with_values` for a changed, re-validated copy.
    """

    name: str
    description: str
    scheme: str
    loss_convention: str
    protocol: Protocol
    quantities: Mapping[str, Quantity]
    sources: Mapping[str, Source]
    path: str = "<string>"
    gain_realisation: str = "provisional"
    """When a wrong output's gain is realised: ``provisional`` or ``final`` finality."""
    self_challenge: bool = True
    """Adversary assumption: the prover may front-run its own challenge through a Sybil
    challenger and recover the reward share (effective slash (1-a)S). True is the conservative
    case: a permissionless challenger set cannot exclude it."""
    dispute: DisputeRules = DisputeRules()

    def quantity(self, name: str) -> Quantity:
        """The :class:`Quantity` named ``name`` (a field name, without its section)."""
        try:
            return self.quantities[name]
        except KeyError:
            raise KeyError(_did_you_mean(name, list(self.quantities), "no field")) from None

    def value(self, name: str) -> float:
        """The value of field ``name`` as a float (an int for integer fields).

        >>> m = load_model()
        >>> m.value("spot_check_rate")
        0.01
        """
        return self.quantity(name).value

    def values(self) -> dict[str, float]:
        """Every field's value, by field name."""
        return {k: q.value for k, q in self.quantities.items()}

    def source_of(self, name: str) -> Source:
        """The :class:`Source` of field ``name``."""
        return self.sources[self.quantity(name).source]

    def with_values(self, **values: float) -> Model:
        """A re-validated copy with some values changed (ranges widen to include them).

        >>> load_model().with_values(slash_usd=5.0).value("slash_usd")
        5.0
        >>> load_model().with_values(spot_check_rate=2.0)
        Traceback (most recent call last):
        ...
        otr_theory.model.ModelError: <with_values>: zk.spot_check_rate.value: must be a probability in [0, 1] (got 2.0)
        """
        unknown = [k for k in values if k not in self.quantities]
        if unknown:
            raise ModelError(
                "<with_values>",
                [Problem(k, _did_you_mean(k, list(self.quantities), "unknown field"), has_value=False) for k in unknown],
            )
        quantities = dict(self.quantities)
        for k, v in values.items():
            q = quantities[k]
            widen = _FIELD_INDEX[k].check(v) is None  # an invalid value is reported once, on value
            low = None if q.low is None or not widen else min(q.low, v)
            high = None if q.high is None or not widen else max(q.high, v)
            quantities[k] = dataclasses.replace(q, value=v, low=low, high=high)
        raw = self.to_dict()
        for k, q in quantities.items():
            raw[_FIELD_INDEX[k].section][k] = _quantity_dict(q)
        return loads_model_dict(raw, path="<with_values>")

    def with_protocol(self, **switches: Any) -> Model:
        """A copy with protocol switches changed (used to build mutants)."""
        return dataclasses.replace(self, protocol=dataclasses.replace(self.protocol, **switches))

    def to_dict(self) -> dict[str, Any]:
        """The model as the plain dict a TOML file would hold."""
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "model": {
                "name": self.name,
                "description": self.description,
                "scheme": self.scheme,
                "loss_convention": self.loss_convention,
                "gain_realisation": self.gain_realisation,
                "self_challenge": self.self_challenge,
            },
            "protocol": dataclasses.asdict(self.protocol),
            "sources": {k: {kk: vv for kk, vv in dataclasses.asdict(s).items() if kk != "key" and vv != ""} for k, s in self.sources.items() if k != UNSOURCED},
        }
        for f in FIELDS:
            out.setdefault(f.section, {})[f.name] = _quantity_dict(self.quantities[f.name])
        out["dispute"].update(self.dispute.to_dict())
        return out

    def iter_fields(self) -> Iterator[tuple[FieldSpec, Quantity, Source]]:
        """(spec, quantity, source) for every field, in schema order."""
        for f in FIELDS:
            q = self.quantities[f.name]
            yield f, q, self.sources[q.source]


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    d: dict[str, Any] = {"value": q.value, "source": q.source}
    if q.low is not None:
        d["low"] = q.low
    if q.high is not None:
        d["high"] = q.high
    if q.note:
        d["note"] = q.note
    return d


# ---------------------------------------------------------------------------------------------
# loading


def _did_you_mean(key: str, choices: list[str], what: str) -> str:
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{what} {key!r}{hint}"


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, rule: str, value: Any = None, *, has_value: bool = True) -> None:
        self.problems.append(Problem(field, rule, value, has_value))

    def unknown_keys(self, where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                field = f"{where}.{key}" if where else key
                if len(key) > limits.MAX_KEY_CHARS:
                    self.add(limits.short(field, 60), f"unknown key of {len(key):,} characters", has_value=False)
                else:
                    self.add(field, _did_you_mean(key, list(allowed), "unknown key"), has_value=False)

    def table(self, where: str, raw: Any) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.add(where, "must be a table", raw)
            return {}
        return raw


def _magnitude(x: float) -> str | None:
    """The limits every number of a model obeys, whatever its field (see :mod:`otr_theory.limits`)."""
    if abs(x) > limits.MAX_ABS_NUMBER:
        return f"must be at most {limits.MAX_ABS_NUMBER:g} in magnitude (no quantity of a deployment is larger)"
    return None


def _parse_quantity(c: _Collector, spec: FieldSpec, raw: Any, sources: Mapping[str, Any]) -> Quantity | None:
    where = spec.dotted
    if _is_number(raw):
        raw = {"value": raw, "source": UNSOURCED}
    if not isinstance(raw, dict):
        c.add(where, "must be a number or a table {value, source, low, high, note}", raw)
        return None
    c.unknown_keys(where, raw, _QUANTITY_KEYS)
    ok = True
    if "value" not in raw:
        c.add(f"{where}.value", "is missing", has_value=False)
        return None
    value = raw["value"]
    if not _is_number(value):
        c.add(f"{where}.value", "must be a number", value)
        return None
    if isinstance(value, float) and not math.isfinite(value):
        c.add(f"{where}.value", "must be finite", value)
        return None
    bad = _magnitude(value)
    if bad:
        c.add(f"{where}.value", bad, value)
        return None
    if spec.integer:
        if isinstance(value, float):
            if not value.is_integer():
                c.add(f"{where}.value", "must be an integer", value)
                return None
            value = int(value)
    else:
        value = float(value)
    msg = spec.check(value)
    if msg:
        c.add(f"{where}.value", msg, value)
        ok = False
    source = raw.get("source", UNSOURCED)
    if not isinstance(source, str):
        c.add(f"{where}.source", "must be a string naming a key of [sources]", source)
        ok = False
    elif source != UNSOURCED and source not in sources:
        c.add(f"{where}.source", _did_you_mean(source, list(sources), "unknown source"), has_value=False)
        ok = False
    bounds: dict[str, float | None] = {}
    for b in ("low", "high"):
        x = raw.get(b)
        if x is not None and (not _is_number(x) or not math.isfinite(x)):
            c.add(f"{where}.{b}", "must be a finite number", x)
            ok = False
            x = None
        elif x is not None:
            bad = _magnitude(x) or spec.check(float(x))
            if bad:
                c.add(f"{where}.{b}", bad, x)
                ok = False
        bounds[b] = None if x is None else (int(x) if spec.integer and float(x).is_integer() else float(x))
    low, high = bounds["low"], bounds["high"]
    if ok and low is not None and value < low:
        c.add(f"{where}.low", f"must be <= value {value!r}", low)
        ok = False
    if ok and high is not None and value > high:
        c.add(f"{where}.high", f"must be >= value {value!r}", high)
        ok = False
    note = raw.get("note", "")
    if not isinstance(note, str):
        c.add(f"{where}.note", "must be a string", note)
        ok = False
    if not ok:
        return None
    return Quantity(value=value, source=source, low=low, high=high, note=note)


def _parse_sources(c: _Collector, raw: Any) -> dict[str, Source]:
    out = {UNSOURCED: Source(UNSOURCED, "assumed, no source given", "", "assumed")}
    for key, entry in c.table("sources", raw).items():
        where = f"sources.{key}"
        if not isinstance(entry, dict):
            c.add(where, "must be a table {title, url, kind, note}", entry)
            continue
        c.unknown_keys(where, entry, _SOURCE_KEYS)
        fields = {}
        for k in ("title", "url", "kind", "note"):
            v = entry.get(k, "")
            if not isinstance(v, str):
                c.add(f"{where}.{k}", "must be a string", v)
                v = ""
            fields[k] = v
        if not fields["title"]:
            c.add(f"{where}.title", "is missing", has_value=False)
        if fields["kind"] not in SOURCE_KINDS:
            c.add(f"{where}.kind", f"must be one of {', '.join(SOURCE_KINDS)}", entry.get("kind"))
        out[key] = Source(key=key, **fields)
    return out


def _cross_checks(c: _Collector, scheme: str, q: Mapping[str, Quantity]) -> None:
    v = {k: x.value for k, x in q.items()}
    if v["slash_usd"] > v["stake_usd"]:
        c.add("economics.slash_usd.value", f"must be <= economics.stake_usd ({v['stake_usd']:g})", v["slash_usd"])
    if scheme in _OPT:
        if v["window_s"] < v["round_timeout_s"]:
            c.add(
                "dispute.window_s.value",
                f"must be at least one dispute round (dispute.round_timeout_s = {v['round_timeout_s']:g})",
                v["window_s"],
            )
        if v["challenger_bond_usd"] <= 0 and v["count"] > 0:
            c.add("economics.challenger_bond_usd.value", "must be > 0 when there are challengers (frivolous challenges cost nothing)", v["challenger_bond_usd"])
    if scheme == "otr" and 0 < v["spot_check_rate"] and v["proof_deadline_s"] < v["proof_latency_s"]:
        c.add(
            "zk.proof_deadline_s.value",
            f"must be >= zk.proof_latency_s ({v['proof_latency_s']:g}): an honest prover could not meet it",
            v["proof_deadline_s"],
        )


def _parse_dispute_rules(c: _Collector, table: Mapping[str, Any], sources: Mapping[str, Any]) -> DisputeRules:
    kw: dict[str, Any] = {}
    for key, allowed in _DISPUTE_CHOICES.items():
        if key in table:
            v = table[key]
            if v not in allowed:
                c.add(f"dispute.{key}", f"must be one of {', '.join(allowed)}", v)
            else:
                kw[key] = v
    if "levels" in table:
        lv = table["levels"]
        if not isinstance(lv, dict):
            c.add("dispute.levels", "must be a table {heights, arities, stakes_usd, source, note}", lv)
        else:
            c.unknown_keys("dispute.levels", lv, _LEVEL_KEYS)
            heights = lv.get("heights", [])
            if not isinstance(heights, list) or not heights or not all(isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in heights):
                c.add("dispute.levels.heights", "must be a non-empty list of integers >= 1 (steps covered by one claim at each level, top first)", heights)
                heights = []
            kw["level_heights"] = tuple(heights)
            arities = lv.get("arities", [2] * len(heights))
            if not isinstance(arities, list) or len(arities) != len(heights) or not all(isinstance(a, int) and not isinstance(a, bool) and a >= 2 for a in arities):
                c.add("dispute.levels.arities", f"must be a list of {len(heights)} integers >= 2", arities)
                arities = [2] * len(heights)
            kw["level_arities"] = tuple(arities)
            if "stakes_usd" in lv:
                st = lv["stakes_usd"]
                if not isinstance(st, list) or len(st) != len(heights) or not all(_is_number(x) and math.isfinite(x) and x >= 0 for x in st):
                    c.add("dispute.levels.stakes_usd", f"must be a list of {len(heights)} finite numbers >= 0", st)
                else:
                    kw["level_stakes_usd"] = tuple(float(x) for x in st)
            src = lv.get("source", UNSOURCED)
            if not isinstance(src, str) or (src != UNSOURCED and src not in sources):
                c.add("dispute.levels.source", "must name a key of [sources]", src)
            else:
                kw["levels_source"] = src
    return DisputeRules(**kw)


def _dispute_cross_checks(c: _Collector, r: DisputeRules, q: Mapping[str, Quantity]) -> None:
    v = {k: x.value for k, x in q.items()}
    if r.timing == "chess_clock" and v["chess_clock_s"] <= 0:
        c.add("dispute.chess_clock_s.value", "must be > 0 when dispute.timing = chess_clock", v["chess_clock_s"])
    if r.design == "multilevel" and not r.level_heights:
        c.add("dispute.levels", "is missing (dispute.design = multilevel needs levels.heights)", has_value=False)
    if r.design == "op" and not 0 < v["split_depth"] < v["max_game_depth"]:
        c.add("dispute.split_depth.value", f"must satisfy 0 < split_depth < max_game_depth ({v['max_game_depth']}) when dispute.design = op", v["split_depth"])
    if r.bond_rule == "per_level" and len(r.level_stakes_usd) != len(r.level_heights or ()):
        c.add("dispute.levels.stakes_usd", "must give one stake per level when dispute.bond_rule = per_level", list(r.level_stakes_usd))
    if r.bond_rule == "per_level" and r.design != "multilevel":
        c.add("dispute.bond_rule", "per_level needs dispute.design = multilevel", r.bond_rule)
    if r.bond_rule == "per_depth" and not 0 < v["bond_base_gas"] <= v["bond_max_gas"]:
        c.add("dispute.bond_base_gas.value", f"must satisfy 0 < bond_base_gas <= bond_max_gas ({v['bond_max_gas']:g}) when dispute.bond_rule = per_depth", v["bond_base_gas"])


def loads_model_dict(raw: Mapping[str, Any], *, path: str = "<string>") -> Model:
    """Validate a parsed model file (a dict, as from ``tomllib``) into a :class:`Model`.

    Raises
    ------
    ModelError
        Listing every problem found: field, rule and bad value.
    """
    c = _Collector()
    if not isinstance(raw, Mapping):
        raise ModelError(path, [Problem("<top>", "must be a table", raw)])
    tables, keys = limits.count_tables_and_keys(raw)
    if tables > limits.MAX_TABLES or keys > limits.MAX_KEYS:
        raise ModelError(path, [Problem("<file>", f"has {tables:,} tables and {keys:,} keys; a model file may have at most {limits.MAX_TABLES:,} and {limits.MAX_KEYS:,}", has_value=False)])
    c.unknown_keys("", raw, _TOP_KEYS)
    sv = raw.get("schema_version", SCHEMA_VERSION)
    if not isinstance(sv, int) or isinstance(sv, bool) or sv != SCHEMA_VERSION:
        c.add("schema_version", f"must be {SCHEMA_VERSION}", sv)

    meta = c.table("model", raw.get("model"))
    if "model" not in raw:
        c.add("model", "is missing (needs name, scheme, loss_convention)", has_value=False)
    c.unknown_keys("model", meta, _MODEL_KEYS)
    name = meta.get("name", "")
    if "model" in raw and (not isinstance(name, str) or not name):
        c.add("model.name", "must be a non-empty string", name)
    description = meta.get("description", "")
    if not isinstance(description, str):
        c.add("model.description", "must be a string", description)
        description = ""
    scheme = meta.get("scheme", "otr")
    if scheme not in SCHEMES:
        c.add("model.scheme", f"must be one of {', '.join(SCHEMES)}", scheme)
        scheme = "otr"
    conv = meta.get("loss_convention", "forfeit")
    if conv not in LOSS_CONVENTIONS:
        c.add("model.loss_convention", f"must be one of {', '.join(LOSS_CONVENTIONS)}", conv)
    realisation = meta.get("gain_realisation", "provisional")
    if realisation not in GAIN_REALISATIONS:
        c.add("model.gain_realisation", f"must be one of {', '.join(GAIN_REALISATIONS)}", realisation)
    self_challenge = meta.get("self_challenge", True)
    if not isinstance(self_challenge, bool):
        c.add("model.self_challenge", "must be true or false", self_challenge)

    proto_raw = c.table("protocol", raw.get("protocol"))
    c.unknown_keys("protocol", proto_raw, _PROTOCOL_KEYS)
    switches = {}
    for k in _PROTOCOL_KEYS:
        if k in proto_raw:
            if k in _PROTOCOL_CHOICES:
                if proto_raw[k] not in _PROTOCOL_CHOICES[k]:
                    c.add(f"protocol.{k}", f"must be one of {', '.join(_PROTOCOL_CHOICES[k])}", proto_raw[k])
                else:
                    switches[k] = proto_raw[k]
            elif not isinstance(proto_raw[k], bool):
                c.add(f"protocol.{k}", "must be true or false", proto_raw[k])
            else:
                switches[k] = proto_raw[k]
    protocol = Protocol(**switches)

    sources = _parse_sources(c, raw.get("sources"))
    quantities: dict[str, Quantity] = {}
    rules = DisputeRules()
    for section in _SECTIONS:
        table = c.table(section, raw.get(section))
        specs = [f for f in FIELDS if f.section == section]
        extra: tuple[str, ...] = ()
        if section == "dispute":
            rules = _parse_dispute_rules(c, table, sources)
            extra = _DISPUTE_EXTRA_KEYS
        c.unknown_keys(section, table, (*(f.name for f in specs), *extra))
        if section not in raw and specs:  # one problem for a whole table left out, not one per field
            names = ", ".join(f.name for f in specs)
            c.add(section, f"is missing (the table [{section}] of {len(specs)} quantities: {limits.short(names, 120)})", has_value=False)
            continue
        for spec in specs:
            if spec.name not in table:
                c.add(spec.dotted, "is missing", has_value=False)
                continue
            qty = _parse_quantity(c, spec, table[spec.name], sources)
            if qty is not None:
                quantities[spec.name] = qty
    if not c.problems:
        _cross_checks(c, scheme, quantities)
        _dispute_cross_checks(c, rules, quantities)
    if c.problems:
        raise ModelError(path, c.problems)
    return Model(
        name=name,
        description=description,
        scheme=scheme,
        loss_convention=conv,
        protocol=protocol,
        gain_realisation=realisation,
        self_challenge=self_challenge,
        quantities=MappingProxyType(quantities),
        sources=MappingProxyType(sources),
        path=path,
        dispute=rules,
    )


def loads_model(text: str, *, path: str = "<string>") -> Model:
    """Parse and validate model-file text (TOML).

    Raises
    ------
    ModelError
        On malformed TOML or any schema problem.
    """
    if len(text) > limits.MAX_FILE_BYTES:
        raise ModelError(path, [Problem("<file>", f"has {len(text):,} characters; a model file may have at most {limits.MAX_FILE_BYTES:,}", has_value=False)])
    try:
        limits.scan_toml(text)
    except LimitError as exc:
        m = re.fullmatch(r"line (\d+)", exc.where)
        line = int(m.group(1)) if m else None
        raise ModelError(path, [Problem("<toml>" if m else exc.where, exc.rule, has_value=False, line=line)]) from None
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        # ValueError: e.g. a date out of range; RecursionError cannot happen below MAX_NESTING
        msg, at = toml_error_position(str(exc), text)
        line, column = at if at is not None else (None, None)
        raise ModelError(path, [Problem("<toml>", f"malformed TOML: {limits.short(msg, 200)}", has_value=False, line=line, column=column)]) from None
    try:
        return loads_model_dict(raw, path=path)
    except ModelError as exc:
        raise ModelError(path, _located(exc.problems, text)) from None


def _located(problems: tuple[Problem, ...], text: str) -> list[Problem]:
    """``problems`` with the line and column of the key each names in ``text`` (where found)."""
    positions = key_positions(text)
    out = []
    for p in problems:
        at = locate(positions, p.field)
        out.append(p if at is None or p.line is not None else dataclasses.replace(p, line=at[0], column=at[1]))
    return out


def _models_root() -> Path:
    """Where the shipped model files are: in the wheel, or in a source checkout."""
    packaged = resources.files("otr_theory") / "_models"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "models"


def default_model_path() -> Path:
    """The embedded default model: the paper's protocol on a realistic deployment."""
    return _models_root() / "otr.toml"


def model_paths() -> dict[str, Path]:
    """Every shipped model, by name: ``otr`` and the baselines.

    >>> sorted(model_paths())
    ['bold', 'centralized', 'op-fault-dispute', 'opml', 'otr', 'poq', 'zkml']
    """
    root = _models_root()
    out = {"otr": root / "otr.toml"}
    for p in sorted((root / "baselines").glob("*.toml")):
        out[p.stem] = p
    return out


def load_model(path: str | Path | None = None) -> Model:
    """Load and validate a model file; ``None`` loads the embedded default.

    Parameters
    ----------
    path : str or Path, optional
        A TOML model file, or the name of a shipped model (``otr``, ``opml``, ...).

    Returns
    -------
    Model

    Raises
    ------
    ModelError
        When the file is missing, unreadable, malformed or breaks the schema.

    Examples
    --------
    >>> m = load_model()
    >>> m.scheme, m.loss_convention
    ('otr', 'forfeit')
    >>> m.quantity("spot_check_rate").source
    'dgrid-blog'
    """
    if path is None:
        path = default_model_path()
    shipped = model_paths()
    if isinstance(path, str) and path in shipped and not Path(path).exists():
        path = shipped[path]
    p = Path(path)
    try:
        text = limits.read_text_limited(p)
    except LimitError as exc:
        raise ModelError(str(p), [Problem(exc.where, exc.rule, has_value=False)]) from None
    except FileNotFoundError:
        raise ModelError(str(p), [Problem("<file>", "no such file", has_value=False)]) from None
    except IsADirectoryError:
        raise ModelError(str(p), [Problem("<file>", "is a directory, not a model file", has_value=False)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(str(p), [Problem("<file>", f"cannot be read: {limits.short(str(exc), 200)}", has_value=False)]) from None
    return loads_model(text, path=str(p))
