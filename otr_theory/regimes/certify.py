r"""Box certificates: z3 proves that every point of a parameter box is secure, or finds one that is not.

A *box* gives an interval ``[lo, hi]`` to some of the :data:`CERTIFIABLE` fields (the regime's
S, rho, W and, for robustness claims, uncertain inputs: gains, throughputs, latencies); every
other field keeps the model's value. The claim is that every point of the box is secure with
spot-checks only (:mod:`otr_theory.regimes.region`, constraints 1-4), the incentives over time
(:mod:`otr_theory.payoffs.corruption`, ours):

.. math::

    \forall x \in \mathrm{box}:\;
    \bigwedge_{d, j:\, nH\varphi_j \ge 1} \bigl(p B_{d,j} \le -m\bigr) \;\wedge\;
    W > K t_{\mathrm{round}} + t_{\mathrm{settle}} + c\, t_{\mathrm{block}} \;\wedge\;
    W \ge W_{\rm proof} \;\wedge\; S \le S_{\max} \;\wedge\; t_{\mathrm{final}}(W) \le t_{\max}

with :math:`pB_j = g_j + pX - pC` (keep) or :math:`g_j(1-p) + p(1-p)X - pC` (forfeit),
:math:`X = nL_s\bar g` the exposure, :math:`C = S_{\rm eff} + F`, and the query rate n tied
to the throughput inputs by the polynomial identity
:math:`n\,(t_{out} r_{pre} + t_{in} r_{dec}) = \mathrm{gpus}\,(1-o)\,\mathrm{replicas}\,r_{dec} r_{pre}`.
Every best strategy pays :math:`P_M B_j` with :math:`P_M` rising in M, so the criterion is
exactly "every :math:`pB_j \le -m`" (module :mod:`~otr_theory.payoffs.corruption`): polynomial,
hence decidable by z3 (nonlinear real arithmetic), every number an exact rational (floats enter
through their shortest decimal form, :attr:`Quantity.exact`). Where pending results are
reverted on a slash (gains at final finality) the payoff is exponential in M; reverting only
removes gains, so the no-revert condition, which is certified, is **sufficient** there (the
certificate says so in ``notes``).

* ``unsat``: **proved** -- no point of the box is insecure;
* ``sat``: **counterexample** -- z3's point is read back as exact rationals and re-evaluated
  twice, independently of z3: in exact rational arithmetic (:func:`exact_slacks`) and with the
  numpy closed forms of :class:`~otr_theory.regimes.region.RegionKernel`; both must call it
  insecure. z3 is first asked for a point that breaks a constraint by a relative depth of 1e-9,
  so that floating point cannot round it back into the region; only if there is none is a
  boundary point returned (and then only the exact re-evaluation is decisive);
* anything else (timeout, incomplete): **unknown** -- never reported as proved.

**Robust certificates** (:func:`certify_robust`): the same claim with every uncertain input
(a :data:`CERTIFIABLE` field with a declared ``low``/``high`` in the model) ranging over its
range, not only at its point value. A box proved at the point values but not robustly is
reported *not robust*, with the breaking inputs (from the z3 model, re-evaluated in Python).
:func:`largest_secure_gain` gives the largest gain for which a point stays secure.

The query is written as SMT-LIB 2 (``QF_NRA``, with the expected status) so that another solver
can re-check it: :func:`recheck_with_cvc5` runs cvc5 (optional extra ``cvc5``) on the same text.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.calibration.costs import latency_components
from otr_theory.model import FIELDS, Model
from otr_theory.payoffs import DEVIATIONS, GAIN_FIELDS
from otr_theory.records import Record, quantity
from otr_theory.regimes.region import (
    CONSTRAINTS,
    RegimeError,
    RegionOptions,
    dispute_rounds,
    evaluate_point,
    region_kernel,
)

__all__ = [
    "CERTIFIABLE",
    "CVC5_HINT",
    "STATUSES",
    "Certificate",
    "RobustCertificate",
    "certify_box",
    "certify_robust",
    "exact_slacks",
    "largest_secure_gain",
    "recheck_with_cvc5",
    "uncertain_inputs",
]

CERTIFIABLE: tuple[str, ...] = (
    "slash_usd",
    "spot_check_rate",
    "window_s",
    "external_gain_usd",
    "high_value_gain_usd",
    "high_value_fraction",
    "downgrade_saving_usd_per_query",
    "skip_saving_usd_per_query",
    "incentive_margin_usd",
    "challenger_reward_share",
    "reentry_cost_usd",
    "proof_deadline_s",
    "round_timeout_s",
    "settlement_s",
    "block_time_s",
    "decode_tokens_per_s_per_gpu",
    "prefill_tokens_per_s_per_gpu",
    "tee_overhead_fraction",
    "tokens_in_per_query",
    "tokens_out_per_query",
    "compromise_duration_days",
)
"""Fields a box may range over; the rest are fixed at the model's values."""

DECISIONS: tuple[str, ...] = ("slash_usd", "spot_check_rate", "window_s")
"""The regime's own coordinates (never 'uncertain')."""

PROBABILITIES = frozenset({"spot_check_rate", "high_value_fraction", "challenger_reward_share", "tee_overhead_fraction"})

STATUSES: tuple[str, ...] = ("proved", "counterexample", "unknown")

CVC5_HINT = 'cvc5 is an optional extra: pip install "otr-theory[cvc5]" (or pip install cvc5)'

STRICT = frozenset({"window"})
"""Constraints whose slack must be > 0 (the others: >= 0)."""

DEPTH = Fraction(1, 10**9)
"""Relative depth asked of a counterexample first (see the module docstring)."""


@dataclasses.dataclass(frozen=True, repr=False)
class Certificate(Record):
    """The answer for one box.

    Attributes
    ----------
    label : str
    model : str
        The model's name.
    status : {"proved", "counterexample", "unknown"}
    box : dict
        ``{field: (lo, hi)}`` as floats.
    box_exact : dict
        ``{field: ("p/q", "p/q")}``: the exact rationals z3 was given.
    fixed : dict
        The other certifiable fields, at the model's values.
    count : int
        The number of challengers (fixed).
    constraints : tuple of str
        The constraints the claim covers.
    counterexample : dict or None
        A box point that is not secure (floats), for status ``counterexample``.
    counterexample_exact : dict or None
        The same as exact rationals ``"p/q"``.
    violated : tuple of str
        The constraints that point breaks (exact re-evaluation).
    reevaluated_insecure : bool or None
        Whether the numpy closed forms also call that point insecure.
    boundary : bool
        True when no counterexample deeper than the relative depth 1e-9 exists (the box only
        touches the outside of the region).
    solver, solver_version : str
    reason : str
        Why the status is unknown ("" otherwise).
    smtlib : str
        The query in SMT-LIB 2 with its expected status.
    uncertain : tuple of str
        The uncertain inputs ranged over their declared ranges (robust claims; empty otherwise).
    notes : tuple of str
        What the claim rests on (e.g. the sufficient no-revert condition).
    elapsed_s : float
        Solver time (not in :meth:`to_dict`: results must be deterministic).
    """

    TITLE = "box certificate (z3)"
    SUMMARY = ("label", "model", "status", "count", "boundary", "reevaluated_insecure", "solver")

    label: str = quantity("", "what the box is")
    model: str = quantity("", "the model's name")
    status: str = quantity("", "proved, counterexample or unknown (unknown is never proved)")
    box: Mapping[str, tuple[float, float]] = quantity("", "{field: (lo, hi)} as floats")
    box_exact: Mapping[str, tuple[Fraction, Fraction]] = quantity("", "the exact rationals z3 was given (JSON: {value, exact})")
    fixed: Mapping[str, float] = quantity("", "the other certifiable fields, at the model's values")
    count: int = quantity("count", "challengers n (fixed)")
    constraints: tuple[str, ...] = quantity("", "the constraints the claim covers")
    counterexample: Mapping[str, float] | None = quantity("", "a box point that is not secure (floats)")
    counterexample_exact: Mapping[str, Fraction] | None = quantity("", "the same as exact rationals (JSON: {value, exact})")
    violated: tuple[str, ...] = quantity("", "the constraints that point breaks (exact re-evaluation)")
    reevaluated_insecure: bool | None = quantity("", "the numpy closed forms also call that point insecure")
    boundary: bool = quantity("", "no counterexample deeper than the relative depth 1e-9 (the box only touches the outside)")
    solver: str = quantity("", "the solver")
    solver_version: str = quantity("", "its version")
    reason: str = quantity("", "why the status is unknown")
    smtlib: str = quantity("", "the query in SMT-LIB 2 with its expected status")
    uncertain: tuple[str, ...] = quantity("", "the uncertain inputs ranged over their declared ranges", default=())
    notes: tuple[str, ...] = quantity("", "what the claim rests on", default=())
    elapsed_s: float = dataclasses.field(default=0.0, compare=False, metadata={"unit": "s", "doc": "solver time (kept out of to_dict: results are deterministic)", "source": "", "transient": True})

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    def to_dict(self, *, include_smtlib: bool = True) -> dict[str, Any]:
        """JSON of every field but the time (without ``smtlib`` if asked)."""
        d = super().to_dict()
        if not include_smtlib:
            d.pop("smtlib")
        return d

    def filename(self) -> str:
        """A file name for the SMT-LIB text: the label, made safe."""
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.label.lower()).strip("-") or "certificate"
        return f"{safe}.smt2"


def _exact(name: str, x: Any) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise RegimeError(f"box.{name}", "bounds must be numbers", x)
    if not math.isfinite(float(x)):
        raise RegimeError(f"box.{name}", "bounds must be finite", x)
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    return Fraction(repr(float(x)))


def _frac_str(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)


@dataclasses.dataclass(frozen=True)
class _Setup:
    """The exact constants of one certificate."""

    convention: str
    bites: bool
    no_attack: bool
    unbounded: bool
    optimistic: bool
    proof_window: bool
    self_challenge: bool
    rounds: int
    censorship_blocks: int
    count: int
    gpus: int
    replicas: int
    final_offset_s: Fraction  # time to final finality minus W
    max_final_s: Fraction | None
    max_stake_usd: Fraction | None
    reverts: bool


def _setup(model: Model, count: int, options: RegionOptions) -> _Setup:
    kernel = region_kernel(model, options)
    ot = kernel.over_time
    v = dict(model.values())
    v["window_s"] = 0.0
    offset = float(latency_components(v, scheme=model.scheme)["final_s"])
    return _Setup(
        convention=model.loss_convention,
        bites=kernel.bites,
        no_attack=ot["horizon_s"] == 0.0,
        unbounded=math.isinf(ot["horizon_s"]),
        optimistic=kernel.optimistic,
        proof_window=ot["proof_window_s"] > 0,
        self_challenge=bool(model.self_challenge),
        rounds=dispute_rounds(int(model.value("trace_steps")), int(model.value("bisection_arity"))),
        censorship_blocks=int(model.value("censorship_blocks")),
        count=count,
        gpus=int(model.value("gpus_per_replica")),
        replicas=int(model.value("replicas_per_stake")),
        final_offset_s=Fraction(repr(offset)),
        max_final_s=None if options.max_final_s is None else Fraction(repr(float(options.max_final_s))),
        max_stake_usd=None if options.max_stake_usd is None else Fraction(repr(float(options.max_stake_usd))),
        reverts=bool(ot["reverts"]),
    )


def _class_sets(x: Mapping[str, Any]) -> list[tuple[Any, Any, Any]]:
    """(g_j, phi_j, lag mean gain) of every class set of every deviation (ours; see the module
    docstring): wrong output -- the valuable class alone, the ordinary class alone, all queries;
    model downgrade and skipped work -- all queries."""
    gv, g0, phi = x["high_value_gain_usd"], x["external_gain_usd"], x["high_value_fraction"]
    gbar = (1 - phi) * g0 + phi * gv
    out = [(gv, phi, gbar), (g0, 1 - phi, gbar), (gbar, 1, gbar)]
    for d in DEVIATIONS[1:]:
        g = x[GAIN_FIELDS[d]]
        out.append((g, 1, g))
    return out


def _incentive_terms(x: Mapping[str, Any], n: Any, setup: _Setup) -> list[tuple[Any, Any]]:
    """(condition that the class set can be cheated on at all, slash_j = -p B_j - m) per class set."""
    p = x["spot_check_rate"] if setup.bites else 0
    a = x["challenger_reward_share"] if setup.self_challenge else 0
    cost = x["slash_usd"] * (1 - a) + x["reentry_cost_usd"]
    lag = x["proof_deadline_s"]
    horizon = x["compromise_duration_days"] * 86_400
    out = []
    for g, phi, gbar in _class_sets(x):
        expo = n * lag * gbar
        if setup.convention == "keep":
            pb = g + p * expo - p * cost
        else:
            pb = g * (1 - p) + p * (1 - p) * expo - p * cost
        reach = None if setup.unbounded else n * horizon * phi
        out.append((reach, -pb - x["incentive_margin_usd"]))
    return out


def _query_rate_exact(point: Mapping[str, Fraction], setup: _Setup) -> Fraction:
    gpu_s = point["tokens_out_per_query"] / point["decode_tokens_per_s_per_gpu"] + point["tokens_in_per_query"] / point["prefill_tokens_per_s_per_gpu"]
    return setup.gpus * (1 - point["tee_overhead_fraction"]) * setup.replicas / gpu_s


def exact_slacks(point: Mapping[str, Fraction], setup: _Setup) -> dict[str, Fraction]:
    """Each constraint's slack at an exact point, in rational arithmetic: it holds where the slack
    is >= 0, except ``window``, which must be > 0 (theorem 3 is strict).

    Independent of z3: this is how a counterexample is re-read. The incentives' slack is the
    smallest over the class sets that can be cheated on of :math:`-pB_j - m` (the over-time
    criterion, spot-checks only); the window's is the smaller of W - W_min and (W - the proof
    deadline) + a hair, so that both W > W_min and W >= deadline read as "> 0".
    """
    S, W = point["slash_usd"], point["window_s"]
    out: dict[str, Fraction] = {}
    if not setup.no_attack:
        n = _query_rate_exact(point, setup)
        slacks = [sl for reach, sl in _incentive_terms(point, n, setup) if reach is None or reach >= 1]
        out["incentives"] = min(slacks) if slacks else Fraction(1)
    if setup.optimistic:
        w_min = setup.rounds * point["round_timeout_s"] + point["settlement_s"] + setup.censorship_blocks * point["block_time_s"]
        out["window"] = W - w_min
        out["challengers"] = Fraction(setup.count - 1)
    if setup.proof_window:
        out["window"] = min(out.get("window", W + 1), W - point["proof_deadline_s"] + Fraction(1, 10**12))
    if setup.max_stake_usd is not None:
        out["capital"] = setup.max_stake_usd - S
    if setup.max_final_s is not None:
        out["latency"] = setup.max_final_s - (setup.final_offset_s + W)
    return out


def _z3_slacks(z3, model: Model, xs: Mapping[str, Any], setup: _Setup) -> tuple[dict[str, list[Any]], list[Any]]:
    """The constraints as z3 slack terms, one list per constraint, and the extra domain clauses
    (the query rate n, tied to the throughput inputs by a polynomial identity)."""
    ctx = xs["slash_usd"].ctx
    n = z3.Real("query_rate", ctx)
    gpu = xs["tokens_out_per_query"] * xs["prefill_tokens_per_s_per_gpu"] + xs["tokens_in_per_query"] * xs["decode_tokens_per_s_per_gpu"]
    extra = [
        n > 0,
        n * gpu == setup.gpus * setup.replicas * (1 - xs["tee_overhead_fraction"]) * xs["decode_tokens_per_s_per_gpu"] * xs["prefill_tokens_per_s_per_gpu"],
    ]
    out: dict[str, list[Any]] = {}
    if not setup.no_attack:
        terms = []
        for reach, sl in _incentive_terms(xs, n, setup):
            terms.append(sl if reach is None else z3.If(reach >= 1, sl, z3.RealVal(1, ctx), ctx))
        out["incentives"] = terms
    W, S = xs["window_s"], xs["slash_usd"]
    if setup.optimistic:
        out["window"] = [W - (setup.rounds * xs["round_timeout_s"] + xs["settlement_s"] + setup.censorship_blocks * xs["block_time_s"])]
        out["challengers"] = [z3.RealVal(setup.count - 1, ctx)]
    if setup.proof_window:
        out.setdefault("window", []).append(W - xs["proof_deadline_s"] + z3.RealVal("1/1000000000000", ctx))
    if setup.max_stake_usd is not None:
        out["capital"] = [z3.RealVal(_frac_str(setup.max_stake_usd), ctx) - S]
    if setup.max_final_s is not None:
        out["latency"] = [z3.RealVal(_frac_str(setup.max_final_s), ctx) - (z3.RealVal(_frac_str(setup.final_offset_s), ctx) + W)]
    return out, extra


def _scale(box: Mapping[str, tuple[Fraction, Fraction]], fixed: Mapping[str, Fraction]) -> Fraction:
    """A magnitude for the relative depth: the largest absolute bound or value, at least 1."""
    vals = [abs(x) for lo_hi in box.values() for x in lo_hi] + [abs(x) for x in fixed.values()]
    return max([Fraction(1), *vals])


def _read_value(z3, val) -> Fraction:
    if z3.is_rational_value(val):
        f = val.as_fraction()
        return Fraction(f.numerator, f.denominator)
    if z3.is_algebraic_value(val):
        f = val.approx(30).as_fraction()
        return Fraction(f.numerator, f.denominator)
    raise RegimeError("counterexample", "z3 returned a value that is not a real number", str(val))


def _smtlib(label: str, model: Model, status: str, decls: list[str], asserts: list[str], comments: list[str]) -> str:
    expected = {"proved": "unsat", "counterexample": "sat"}.get(status, "unknown")
    lines = [f"; otr-theory box certificate: {label}", f"; model: {model.name} ({model.scheme}, loss convention {model.loss_convention})"]
    lines += [f"; {c}" for c in comments]
    lines += [
        "; claim: every point of the box is secure (spot-checks only); the query asks for a box point that is not.",
        "; expected answer: " + {"unsat": "unsat (proved: no point of the box is insecure)", "sat": "sat (a counterexample exists)", "unknown": "unknown (z3 could not decide)"}[expected],
        "(set-logic QF_NRA)",
        f"(set-info :status {expected})",
        *decls,
        *(f"(assert {a})" for a in asserts),
        "(check-sat)",
        "(exit)",
        "",
    ]
    return "\n".join(lines)


def certify_box(
    model: Model,
    box: Mapping[str, tuple[float, float]],
    *,
    label: str = "box",
    count: int | None = None,
    options: RegionOptions | None = None,
    timeout_ms: int = 20_000,
    uncertain: Sequence[str] = (),
) -> Certificate:
    """Prove that every point of ``box`` is secure for ``model``, or find one that is not.

    Parameters
    ----------
    model : Model
    box : mapping
        ``{field: (lo, hi)}`` for fields of :data:`CERTIFIABLE`; ``lo <= hi``.
    label : str
        Names the certificate (and its SMT-LIB file).
    count : int, optional
        Number of challengers (default: the model's).
    options : RegionOptions, optional
        The latency bound, if any, is part of the claim.
    timeout_ms : int
        z3's time limit per query; a timeout gives status ``unknown``.
    uncertain : sequence of str
        Fields (of :data:`CERTIFIABLE`, not in ``box``) that range over the model's declared
        [low, high] instead of staying at their values: a robust claim.

    Returns
    -------
    Certificate

    Raises
    ------
    RegimeError
        On an unknown field, bounds that are not finite numbers, ``lo > hi``, or bounds outside
        a field's domain (a rate outside [0, 1], a negative amount).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> c = certify_box(m, {"slash_usd": (9e7, 1e8), "spot_check_rate": (0.009, 0.011)})
    >>> c.status
    'proved'
    >>> c = certify_box(m, {"slash_usd": (90_000, 100_000), "spot_check_rate": (0.009, 0.011)})
    >>> c.status, c.violated, c.reevaluated_insecure  # $100k deters one query, not an attack over time
    ('counterexample', ('incentives',), True)
    """
    import z3

    if not isinstance(model, Model):
        raise RegimeError("model", "must be a Model", type(model).__name__)
    options = RegionOptions() if options is None else options
    if not isinstance(box, Mapping) or not box:
        raise RegimeError("box", "must be a non-empty mapping {field: (lo, hi)}", box)
    exact_box: dict[str, tuple[Fraction, Fraction]] = {}
    for name, bounds in box.items():
        if name not in CERTIFIABLE:
            raise RegimeError(f"box.{name}", f"must be one of {', '.join(CERTIFIABLE)}", name)
        try:
            lo, hi = bounds
        except (TypeError, ValueError):
            raise RegimeError(f"box.{name}", "must be a pair (lo, hi)", bounds) from None
        lo_e, hi_e = _exact(name, lo), _exact(name, hi)
        if lo_e > hi_e:
            raise RegimeError(f"box.{name}", "must have lo <= hi", (lo, hi))
        if lo_e < 0 or (name in PROBABILITIES and hi_e > 1):
            raise RegimeError(f"box.{name}", "must lie in [0, 1]" if name in PROBABILITIES else "must be >= 0", (lo, hi))
        exact_box[name] = (lo_e, hi_e)
    ranged: list[str] = []
    for name in uncertain:
        if name not in CERTIFIABLE or name in DECISIONS:
            raise RegimeError("uncertain", f"must name fields of {', '.join(k for k in CERTIFIABLE if k not in DECISIONS)}", name)
        if name in exact_box:
            continue
        q = model.quantity(name)
        if q.low is None and q.high is None:
            continue
        lo_e = Fraction(repr(float(q.low))) if q.low is not None else q.exact
        hi_e = Fraction(repr(float(q.high))) if q.high is not None else q.exact
        exact_box[name] = (min(lo_e, q.exact), max(hi_e, q.exact))
        ranged.append(name)
    n = int(model.value("count")) if count is None else count
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise RegimeError("count", "must be an integer >= 0", count)
    if not isinstance(timeout_ms, int) or timeout_ms < 1:
        raise RegimeError("timeout_ms", "must be an integer >= 1", timeout_ms)
    setup = _setup(model, int(n), options)
    fixed = {k: model.quantity(k).exact for k in CERTIFIABLE if k not in exact_box}

    ctx = z3.Context()  # a fresh context per certificate: its answer does not depend on earlier queries
    xs = {k: z3.Real(k, ctx) for k in CERTIFIABLE}
    domain = []
    for k, (lo, hi) in exact_box.items():
        domain += [xs[k] >= z3.RealVal(_frac_str(lo), ctx), xs[k] <= z3.RealVal(_frac_str(hi), ctx)]
    for k, val in fixed.items():
        domain.append(xs[k] == z3.RealVal(_frac_str(val), ctx))
    cons, extra = _z3_slacks(z3, model, xs, setup)

    def _bool(e):  # a slack that the model's numbers fixed is a plain number: its test a Python bool
        return e if z3.is_expr(e) else z3.BoolVal(bool(e), ctx)

    domain += [_bool(e) for e in extra]
    claim = z3.And(*(_bool((s > 0) if name in STRICT else (s >= 0)) for name, slacks in cons.items() for s in slacks), ctx)
    query = z3.Not(claim)

    started = time.perf_counter()
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", timeout_ms)
    solver.add(*domain)
    solver.add(query)
    answer = solver.check()
    status, reason, witness, boundary = "unknown", "", None, False
    if answer == z3.unsat:
        status = "proved"
    elif answer == z3.sat:
        status = "counterexample"
        witness = solver.model()
        scale = _scale(exact_box, fixed)
        deep = z3.Solver(ctx=ctx)
        deep.set("timeout", timeout_ms)
        deep.add(*domain)
        deep.add(z3.Or(*(s < -z3.RealVal(_frac_str(DEPTH * scale), ctx) for slacks in cons.values() for s in slacks)))
        if deep.check() == z3.sat:
            witness = deep.model()
        else:
            boundary = True
    else:
        reason = solver.reason_unknown() or "unknown"
    elapsed = time.perf_counter() - started

    counterexample = counterexample_exact = None
    violated: tuple[str, ...] = ()
    reevaluated = None
    if witness is not None:
        point = {k: (_read_value(z3, witness.eval(xs[k], model_completion=True))) for k in CERTIFIABLE}
        slacks = exact_slacks(point, setup)
        violated = tuple(k for k in CONSTRAINTS if k in slacks and (slacks[k] <= 0 if k in STRICT else slacks[k] < 0))
        counterexample = {k: float(point[k]) for k in CERTIFIABLE}
        counterexample_exact = {k: Fraction(point[k]) for k in CERTIFIABLE}
        reevaluated = _numpy_insecure(model, counterexample, int(n), options)

    decls = [f"(declare-fun {k} () Real)" for k in CERTIFIABLE] + ["(declare-fun query_rate () Real)"]
    asserts = [a.sexpr() for a in domain] + [query.sexpr()]
    comments = [
        "box: " + ", ".join(f"{k} in [{float(lo):.10g}, {float(hi):.10g}]" for k, (lo, hi) in exact_box.items()),
        f"challengers n = {n}; constraints: {', '.join(cons)}",
    ]
    notes: list[str] = ["incentives over time, spot-checks only (q = 0): every p B_j <= -m (payoffs.corruption)"]
    if setup.reverts:
        notes.append("pending results revert on a slash: the certified no-revert condition is sufficient (reverting only removes gains)")
    if ranged:
        notes.append("robust: " + ", ".join(ranged) + " range over their declared [low, high]")
    comments += notes
    if counterexample is not None:
        comments.append("counterexample: " + ", ".join(f"{k} = {counterexample[k]:.10g}" for k in exact_box) + f" (violates {', '.join(violated) or 'nothing?'})")
    text = _smtlib(label, model, status, decls, asserts, comments)
    return Certificate(
        label=label,
        model=model.name,
        status=status,
        box={k: (float(lo), float(hi)) for k, (lo, hi) in exact_box.items()},
        box_exact={k: (Fraction(lo), Fraction(hi)) for k, (lo, hi) in exact_box.items()},
        fixed={k: float(v) for k, v in fixed.items()},
        count=int(n),
        constraints=tuple(cons),
        counterexample=counterexample,
        counterexample_exact=counterexample_exact,
        violated=violated,
        reevaluated_insecure=reevaluated,
        boundary=boundary,
        solver="z3",
        solver_version=z3.get_version_string(),
        reason=reason,
        smtlib=text,
        uncertain=tuple(ranged),
        notes=tuple(notes),
        elapsed_s=elapsed,
    )


def _numpy_insecure(model: Model, point: Mapping[str, float], count: int, options: RegionOptions) -> bool | None:
    """Re-evaluate a point with the numpy closed forms (floats): True if it is not secure."""
    others = {k: point[k] for k in CERTIFIABLE if k not in DECISIONS and point[k] != model.value(k)}
    try:
        m = model.with_values(**others) if others else model
    except ValueError:
        return None  # the loader refuses the point (a cross-field rule): no numpy re-evaluation
    r = region_kernel(m, options).evaluate(point["slash_usd"], point["spot_check_rate"], point["window_s"], count, readings=("spot_checks_only",))
    return not bool(r["secure"])


def uncertain_inputs(model: Model) -> tuple[str, ...]:
    """The certifiable inputs (not S, rho, W) that the model declares uncertain (low/high).

    >>> from otr_theory.model import load_model
    >>> "high_value_gain_usd" in uncertain_inputs(load_model()), "slash_usd" in uncertain_inputs(load_model())
    (True, False)
    """
    return tuple(k for k in CERTIFIABLE if k not in DECISIONS and model.quantity(k).uncertain)


@dataclasses.dataclass(frozen=True, repr=False)
class RobustCertificate(Record):
    """A box certified at the point values and over the declared ranges of the uncertain inputs.

    Attributes
    ----------
    label : str
    point : Certificate
        The claim with every uncertain input at its value.
    robust : Certificate
        The claim with the uncertain inputs over their ranges.
    status : {"robust", "not robust", "insecure", "unknown"}
        ``robust``: both proved; ``not robust``: proved at the values, a counterexample in the
        ranges; ``insecure``: a counterexample at the values already; ``unknown`` otherwise.
    breaking : dict or None
        The uncertain inputs at the robust counterexample (floats), where not robust.
    breaking_reevaluated : bool or None
        Whether that counterexample is insecure when re-evaluated in Python (exact rationals
        and the numpy kernel).
    """

    TITLE = "robust certificate (z3)"
    SUMMARY = ("label", "status", "breaking_reevaluated")

    label: str = quantity("", "what the box is")
    point: Certificate = quantity("", "the claim with every uncertain input at its value")
    robust: Certificate = quantity("", "the claim with the uncertain inputs over their ranges")
    status: str = quantity("", "robust, not robust, insecure or unknown")
    breaking: Mapping[str, float] | None = quantity("", "the uncertain inputs at the robust counterexample")
    breaking_reevaluated: bool | None = quantity("", "that counterexample is insecure re-evaluated in Python")

    def to_dict(self, *, include_smtlib: bool = True) -> dict[str, Any]:
        """JSON of every field (the certificates without ``smtlib`` if asked)."""
        d = super().to_dict()
        d["point"] = self.point.to_dict(include_smtlib=include_smtlib)
        d["robust"] = self.robust.to_dict(include_smtlib=include_smtlib)
        return d


def certify_robust(
    model: Model,
    box: Mapping[str, tuple[float, float]],
    *,
    label: str = "box",
    count: int | None = None,
    options: RegionOptions | None = None,
    timeout_ms: int = 20_000,
    uncertain: Sequence[str] | None = None,
) -> RobustCertificate:
    """Certify ``box`` at the point values and robustly over the uncertain inputs' ranges.

    Parameters
    ----------
    uncertain : sequence of str, optional
        The inputs to range over (default :func:`uncertain_inputs`: every certifiable input the
        model declares uncertain).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> r = certify_robust(m, {"slash_usd": (9e7, 1e8), "spot_check_rate": (0.009, 0.011)}, uncertain=("high_value_gain_usd",))
    >>> r.status, r.breaking["high_value_gain_usd"] > 10_000, r.breaking_reevaluated
    ('not robust', True, True)
    """
    names = uncertain_inputs(model) if uncertain is None else tuple(uncertain)
    point = certify_box(model, box, label=label, count=count, options=options, timeout_ms=timeout_ms)
    robust = certify_box(model, box, label=f"{label} (robust)", count=count, options=options, timeout_ms=timeout_ms, uncertain=names)
    breaking = None
    reevaluated = None
    if point.status == "counterexample":
        status = "insecure"
    elif point.status != "proved" or robust.status == "unknown":
        status = "unknown"
    elif robust.status == "proved":
        status = "robust"
    else:
        status = "not robust"
        breaking = {k: robust.counterexample[k] for k in robust.uncertain}
        reevaluated = bool(robust.violated) and robust.reevaluated_insecure is not False
    return RobustCertificate(label=label, point=point, robust=robust, status=status, breaking=breaking, breaking_reevaluated=reevaluated)


def largest_secure_gain(
    model: Model, point: Mapping[str, float], field: str = "high_value_gain_usd", *, count: int | None = None, options: RegionOptions | None = None, rel_tol: float = 1e-6
) -> float:
    """The largest value of a gain field for which ``point`` (S, rho, W) stays secure (spot-checks
    only; every other input at its value). Bisection on :func:`~otr_theory.regimes.region.evaluate_point`
    (secure is monotone: a larger gain never helps); ``0.0`` if the point is insecure even at a
    zero gain, ``inf`` if it stays secure at every gain the field's range admits (the search never
    leaves the schema's range, so a valid model never yields an invalid copy).

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> g = largest_secure_gain(load_model(), {"slash_usd": 1e8, "spot_check_rate": 0.01, "window_s": 86_400.0})
    >>> 10_000 < g < 1e6
    True
    """
    if field not in GAIN_FIELDS.values() and field != "high_value_gain_usd":
        raise RegimeError("field", "must be a gain field", field)
    n = int(model.value("count")) if count is None else count

    def secure(g: float) -> bool:
        m = model.with_values(**{field: g})
        return evaluate_point(m, slash_usd=float(point["slash_usd"]), spot_check_rate=float(point["spot_check_rate"]), window_s=float(point["window_s"]), count=n, options=options).secure

    if not secure(0.0):
        return 0.0
    top = float(next(f for f in FIELDS if f.name == field).check.hi)
    lo, hi = 0.0, min(max(float(model.value(field)), 1.0), top)
    while secure(hi):
        if hi >= top:
            return math.inf
        lo, hi = hi, min(hi * 4, top)
    while hi - lo > rel_tol * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if secure(mid) else (lo, mid)
    return lo


def recheck_with_cvc5(smtlib: str) -> str:
    """Run cvc5 on a certificate's SMT-LIB text: ``"sat"``, ``"unsat"`` or ``"unknown"``.

    The ``(set-info :status ...)`` line is dropped so that cvc5 answers on its own.

    Raises
    ------
    ImportError
        If cvc5 is not installed (the message says how to install it).
    """
    try:
        import cvc5
    except ImportError:
        raise ImportError(CVC5_HINT) from None
    text = "\n".join(line for line in smtlib.splitlines() if not line.startswith("(set-info :status"))
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "certificate")
    symbols = parser.getSymbolManager()
    answer = "unknown"
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, symbols).strip()
        if out in ("sat", "unsat", "unknown"):
            answer = out
    return answer
