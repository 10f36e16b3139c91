"""Box certificates: z3 proves that every point of a parameter box is secure, or finds one that is not.

A *box* gives an interval ``[lo, hi]`` to some of the :data:`CERTIFIABLE` fields (the regime's
S, rho, W and, for robustness claims, uncertain inputs such as the external gain or the margin);
every other field keeps the model's value. The claim is that every point of the box is secure
with spot-checks only (:mod:`otr_theory.regimes.region`, constraints 1-4):

.. math::

    \\forall x \\in \\mathrm{box}:\\;
    \\bigwedge_d \\pi_d(\\rho_{\\mathrm{eff}}) \\le -m \\;\\wedge\\;
    W > K t_{\\mathrm{round}} + t_{\\mathrm{settle}} + c\\, t_{\\mathrm{block}} \\;\\wedge\\;
    S \\le \\mathrm{stake} \\;\\wedge\\; t_{\\mathrm{final}}(W) \\le t_{\\max}

z3 decides the negation -- a box point that breaks a constraint -- in nonlinear real arithmetic
(the payoffs are bilinear in rho and S, and in rho and G when G is boxed), with every number an
exact rational (floats enter through their shortest decimal form, :attr:`Quantity.exact`):

* ``unsat``: **proved** -- no point of the box is insecure;
* ``sat``: **counterexample** -- z3's point is read back as exact rationals and re-evaluated
  twice, independently of z3: in exact rational arithmetic (:func:`exact_slacks`) and with the
  numpy closed forms of :class:`~otr_theory.regimes.region.RegionKernel`; both must call it
  insecure. z3 is first asked for a point that breaks a constraint by a relative depth of 1e-9,
  so that floating point cannot round it back into the region; only if there is none is a
  boundary point returned (and then only the exact re-evaluation is decisive);
* anything else (timeout, incomplete): **unknown** -- never reported as proved.

The incentive part is theorem 7's own encoding (``payoff`` in
proofs/t7_incentive_compatibility.py, loaded by :func:`otr_theory.smt.theorems.load_theorems`):
over the box, for every challengers' detection q in [0, 1] and either state of the TEE (the
compromised one only where compromise is possible), every deviation pays at most -m. Its worst
case -- q = 0, TEE compromised -- is the spot-checks-only reading of the region, so a certified
box is a box in which theorem 7 holds *and* the window, challenger and capital constraints do.
The exact re-evaluation of a counterexample (:func:`exact_slacks`) uses our own statement of the
core model at q = 0, not theorem 7's code.

The query is written as SMT-LIB 2 (``QF_NRA``, with the expected status) so that another solver
can re-check it: :func:`recheck_with_cvc5` runs cvc5 (optional extra ``cvc5``) on the same text.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from otr_theory.calibration.costs import latency_components
from otr_theory.model import Model
from otr_theory.payoffs import DEVIATIONS, GAIN_FIELDS
from otr_theory.regimes.region import (
    CONSTRAINTS,
    RegimeError,
    RegionOptions,
    dispute_rounds,
    region_kernel,
)

__all__ = [
    "CERTIFIABLE",
    "CVC5_HINT",
    "STATUSES",
    "Certificate",
    "certify_box",
    "exact_slacks",
    "recheck_with_cvc5",
]

CERTIFIABLE: tuple[str, ...] = (
    "slash_usd",
    "spot_check_rate",
    "window_s",
    "stake_usd",
    "external_gain_usd",
    "downgrade_saving_usd_per_query",
    "skip_saving_usd_per_query",
    "incentive_margin_usd",
    "round_timeout_s",
    "settlement_s",
    "block_time_s",
)
"""Fields a box may range over; the rest are fixed at the model's values."""

STATUSES: tuple[str, ...] = ("proved", "counterexample", "unknown")

CVC5_HINT = 'cvc5 is an optional extra: pip install "otr-theory[cvc5]" (or pip install cvc5)'

STRICT = frozenset({"window"})
"""Constraints whose slack must be > 0 (the others: >= 0)."""

DEPTH = Fraction(1, 10**9)
"""Relative depth asked of a counterexample first (see the module docstring)."""


@dataclasses.dataclass(frozen=True)
class Certificate:
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
    elapsed_s : float
        Solver time (not in :meth:`to_dict`: results must be deterministic).
    """

    label: str
    model: str
    status: str
    box: Mapping[str, tuple[float, float]]
    box_exact: Mapping[str, tuple[str, str]]
    fixed: Mapping[str, float]
    count: int
    constraints: tuple[str, ...]
    counterexample: Mapping[str, float] | None
    counterexample_exact: Mapping[str, str] | None
    violated: tuple[str, ...]
    reevaluated_insecure: bool | None
    boundary: bool
    solver: str
    solver_version: str
    reason: str
    smtlib: str
    elapsed_s: float = dataclasses.field(default=0.0, compare=False)

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    def to_dict(self, *, include_smtlib: bool = True) -> dict[str, Any]:
        """JSON-able record (without the time)."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "elapsed_s"}
        d["box"] = {k: list(v) for k, v in self.box.items()}
        d["box_exact"] = {k: list(v) for k, v in self.box_exact.items()}
        d["constraints"] = list(self.constraints)
        d["violated"] = list(self.violated)
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
    surely_caught: bool
    optimistic: bool
    rounds: int
    censorship_blocks: int
    count: int
    final_offset_s: Fraction  # time to final finality minus W
    max_final_s: Fraction | None


def _setup(model: Model, count: int, options: RegionOptions) -> _Setup:
    kernel = region_kernel(model, options)
    v = dict(model.values())
    v["window_s"] = 0.0
    offset = float(latency_components(v, scheme=model.scheme)["final_s"])
    return _Setup(
        convention=model.loss_convention,
        bites=kernel.bites,
        surely_caught=kernel.surely_caught,
        optimistic=kernel.optimistic,
        rounds=dispute_rounds(int(model.value("trace_steps")), int(model.value("bisection_arity"))),
        censorship_blocks=int(model.value("censorship_blocks")),
        count=count,
        final_offset_s=Fraction(repr(offset)),
        max_final_s=None if options.max_final_s is None else Fraction(repr(float(options.max_final_s))),
    )


def exact_slacks(point: Mapping[str, Fraction], setup: _Setup) -> dict[str, Fraction]:
    """Each constraint's slack at an exact point, in rational arithmetic: it holds where the slack
    is >= 0, except ``window``, which must be > 0 (theorem 3 is strict).

    Independent of z3: this is how a counterexample is re-read. The incentives' slack is the
    smallest over deviations of :math:`-\\pi_d - m`.
    """
    S, rho, W = point["slash_usd"], point["spot_check_rate"], point["window_s"]
    p = Fraction(1) if setup.surely_caught else rho if setup.bites else Fraction(0)
    m = point["incentive_margin_usd"]
    slacks = []
    for d in DEVIATIONS:
        g = point[GAIN_FIELDS[d]]
        payoff = (1 - p) * g - p * S if setup.convention == "forfeit" else g - p * S
        slacks.append(-payoff - m)
    out = {"incentives": min(slacks)}
    if setup.optimistic:
        w_min = setup.rounds * point["round_timeout_s"] + point["settlement_s"] + setup.censorship_blocks * point["block_time_s"]
        out["window"] = W - w_min
        out["challengers"] = Fraction(setup.count - 1)
    out["capital"] = point["stake_usd"] - S
    if setup.max_final_s is not None:
        out["latency"] = setup.max_final_s - (setup.final_offset_s + W)
    return out


@functools.lru_cache(maxsize=1)
def _ic_theorem():
    """Theorem 7 of proofs/ (incentive compatibility), whose encoding the certificates reuse."""
    from otr_theory.smt.theorems import load_theorems

    for th in load_theorems():
        if th.name == "incentive_compatibility":
            return th
    raise RegimeError("proofs", "theorem incentive_compatibility (theorem 7) is missing", None)


def _z3_slacks(z3, model: Model, xs: Mapping[str, Any], setup: _Setup) -> tuple[dict[str, list[Any]], list[Any]]:
    """The constraints as z3 slack terms, one list per constraint, and the extra domain clauses.

    The incentive part is theorem 7's own encoding (``payoff`` of proofs/t7): the challengers'
    detection q ranges over [0, 1] and the TEE's state over intact / compromised (compromised
    only where compromise is possible); q = 0 and a compromised TEE are its worst case, which is
    the spot-checks-only reading of the region.
    """
    from otr_theory.smt.incentives import BoxPoint
    from otr_theory.smt.params import Params
    from otr_theory.smt.vocabulary import Z3

    th = _ic_theorem()
    params = Params.from_model(model)
    q = z3.Real("challenger_detection")
    compromised = z3.Bool("tee_compromised")
    coords = {"q": q, "rho": xs["spot_check_rate"], "S": xs["slash_usd"], **{f"gain:{d}": xs[GAIN_FIELDS[d]] for d in DEVIATIONS}}
    point = BoxPoint(params, coords, compromised)
    point.margin = xs["incentive_margin_usd"]
    extra = [q >= 0, q <= 1]
    if not params.compromise_possible:
        extra.append(z3.Not(compromised))
    W, S = xs["window_s"], xs["slash_usd"]
    out: dict[str, list[Any]] = {"incentives": [-th.payoff(point, d, Z3) - point.margin for d in DEVIATIONS]}
    if setup.optimistic:
        out["window"] = [W - (setup.rounds * xs["round_timeout_s"] + xs["settlement_s"] + setup.censorship_blocks * xs["block_time_s"])]
        out["challengers"] = [z3.RealVal(setup.count - 1)]
    out["capital"] = [xs["stake_usd"] - S]
    if setup.max_final_s is not None:
        out["latency"] = [z3.RealVal(_frac_str(setup.max_final_s)) - (z3.RealVal(_frac_str(setup.final_offset_s)) + W)]
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
    >>> c = certify_box(m, {"slash_usd": (90_000, 100_000), "spot_check_rate": (0.009, 0.011)})
    >>> c.status
    'proved'
    >>> c = certify_box(m, {"slash_usd": (1_000, 100_000), "spot_check_rate": (0.009, 0.011)})
    >>> c.status, c.violated, c.reevaluated_insecure
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
        if lo_e < 0 or (name == "spot_check_rate" and hi_e > 1):
            raise RegimeError(f"box.{name}", "must lie in [0, 1]" if name == "spot_check_rate" else "must be >= 0", (lo, hi))
        exact_box[name] = (lo_e, hi_e)
    n = int(model.value("count")) if count is None else count
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise RegimeError("count", "must be an integer >= 0", count)
    if not isinstance(timeout_ms, int) or timeout_ms < 1:
        raise RegimeError("timeout_ms", "must be an integer >= 1", timeout_ms)
    setup = _setup(model, int(n), options)
    fixed = {k: model.quantity(k).exact for k in CERTIFIABLE if k not in exact_box}

    xs = {k: z3.Real(k) for k in CERTIFIABLE}
    domain = []
    for k, (lo, hi) in exact_box.items():
        domain += [xs[k] >= z3.RealVal(_frac_str(lo)), xs[k] <= z3.RealVal(_frac_str(hi))]
    for k, val in fixed.items():
        domain.append(xs[k] == z3.RealVal(_frac_str(val)))
    cons, extra = _z3_slacks(z3, model, xs, setup)
    domain += extra
    claim = z3.And(*((s > 0) if name in STRICT else (s >= 0) for name, slacks in cons.items() for s in slacks))
    query = z3.Not(claim)

    started = time.perf_counter()
    solver = z3.Solver()
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
        deep = z3.Solver()
        deep.set("timeout", timeout_ms)
        deep.add(*domain)
        deep.add(z3.Or(*(s < -z3.RealVal(_frac_str(DEPTH * scale)) for slacks in cons.values() for s in slacks)))
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
        counterexample_exact = {k: _frac_str(point[k]) for k in CERTIFIABLE}
        reevaluated = _numpy_insecure(model, counterexample, int(n), options)

    decls = [f"(declare-fun {k} () Real)" for k in CERTIFIABLE] + ["(declare-fun challenger_detection () Real)", "(declare-fun tee_compromised () Bool)"]
    asserts = [a.sexpr() for a in domain] + [query.sexpr()]
    comments = [
        "box: " + ", ".join(f"{k} in [{float(lo):.10g}, {float(hi):.10g}]" for k, (lo, hi) in exact_box.items()),
        f"challengers n = {n}; constraints: {', '.join(cons)}",
    ]
    if counterexample is not None:
        comments.append("counterexample: " + ", ".join(f"{k} = {counterexample[k]:.10g}" for k in exact_box) + f" (violates {', '.join(violated) or 'nothing?'})")
    text = _smtlib(label, model, status, decls, asserts, comments)
    return Certificate(
        label=label,
        model=model.name,
        status=status,
        box={k: (float(lo), float(hi)) for k, (lo, hi) in exact_box.items()},
        box_exact={k: (_frac_str(lo), _frac_str(hi)) for k, (lo, hi) in exact_box.items()},
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
        elapsed_s=elapsed,
    )


def _numpy_insecure(model: Model, point: Mapping[str, float], count: int, options: RegionOptions) -> bool:
    """Re-evaluate a point with the numpy closed forms (floats): True if it is not secure."""
    others = {k: point[k] for k in CERTIFIABLE if k not in ("slash_usd", "spot_check_rate", "window_s") and point[k] != model.value(k)}
    try:
        m = model.with_values(**others) if others else model
    except ValueError:
        # the loader refuses the point: with a boxed stake, the model's slash above it (the
        # capital constraint fails) -- a configuration that is not secure
        return True
    r = region_kernel(m, options).evaluate(point["slash_usd"], point["spot_check_rate"], point["window_s"], count, readings=("spot_checks_only",))
    return not bool(r["secure"])


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
