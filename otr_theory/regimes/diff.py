"""What a protocol or parameter change did: theorem status, the secure region, the cost.

:func:`diff_models` compares an OLD and a NEW model on three things:

* **theorems** -- each theorem of proofs/ checked on both models by the SMT checker
  (:mod:`otr_theory.smt`): proved / violated / unknown / not applicable. A theorem *newly fails*
  when NEW is ``violated`` and OLD was not, or OLD was ``proved`` and NEW is not (a proof that
  became ``unknown`` is a regression too: unknown is never proved);
* **the secure region** (spot-checks only, the guarantee) on the fixed
  :func:`~otr_theory.regimes.sweep.reference_grid`, which depends on neither model, so that its
  secure fraction is comparable: with :math:`A` and :math:`B` the sets of secure grid points of
  OLD and NEW,

  .. math::

      \\mathrm{shrink} = \\frac{|A \\setminus B|}{|A|}, \\qquad
      \\mathrm{growth} = \\frac{|B \\setminus A|}{|A|}

  (0 and, if B is not empty, inf when A is empty);
* **cost** -- the cheapest secure point's cost per query, and the cost at each model's own point;
* **the attack over time** at each model's own point (:mod:`otr_theory.payoffs.corruption`): the
  best strategy's expected profit and the stake that would deter it.

Security is the over-time criterion of :mod:`otr_theory.regimes.region` (a prover that cheats
until caught, a detection lag, one slash), not the one-query condition.

The *gate* fails -- ``otr-analyze diff`` exits 1 -- when a theorem newly fails or the region
shrinks by more than ``max_shrink`` (a fraction of OLD's region).

:func:`diff_text` renders a :class:`ModelDiff` as the command prints it (``d.to_text()``),
:func:`gate_lines` its verdict alone, :func:`diff_html` the same for Jupyter (``d._repr_html_()``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from otr_theory.model import FIELDS, Model
from otr_theory.regimes.optimise import cheapest_point
from otr_theory.regimes.region import RegimeError, RegionOptions, evaluate_point
from otr_theory.regimes.sweep import Grid, reference_grid, run_sweep

__all__ = ["ModelDiff", "TheoremChange", "diff_html", "diff_models", "diff_text", "gate_lines", "smt_theorem_statuses"]

TheoremChecker = Callable[[Model], Mapping[str, str]]


@dataclasses.dataclass(frozen=True)
class TheoremChange:
    """One theorem's status on OLD and NEW."""

    theorem: str
    old: str
    new: str
    newly_fails: bool


@dataclasses.dataclass(frozen=True)
class FieldChange:
    """One changed field of a model file: its dotted name, old and new value, old and new source."""

    field: str
    old: Any
    new: Any
    old_source: str = ""
    new_source: str = ""


def changed_fields(old: Model, new: Model) -> tuple[FieldChange, ...]:
    """Every field, protocol switch and ``[model]`` key whose value (or source) differs.

    >>> from otr_theory.model import load_model
    >>> m = load_model()
    >>> [(c.field, c.old, c.new) for c in changed_fields(m, m.with_values(slash_usd=8000.0))]
    [('economics.slash_usd', 100000.0, 8000.0)]
    """
    out = []
    for key in ("scheme", "loss_convention", "gain_realisation", "self_challenge"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            out.append(FieldChange(f"model.{key}", a, b))
    po, pn = dataclasses.asdict(old.protocol), dataclasses.asdict(new.protocol)
    out += [FieldChange(f"protocol.{k}", po[k], pn[k]) for k in po if po[k] != pn.get(k)]
    if old.dispute != new.dispute:
        out.append(FieldChange("dispute (design, timing, bond and split rules)", str(old.dispute), str(new.dispute)))
    for spec in FIELDS:
        qa, qb = old.quantity(spec.name), new.quantity(spec.name)
        if qa.value != qb.value or qa.source != qb.source:
            out.append(FieldChange(spec.dotted, qa.value, qb.value, qa.source, qb.source))
    return tuple(out)


@dataclasses.dataclass(frozen=True)
class ModelDiff:
    """The comparison of two models.

    Attributes
    ----------
    old, new : str
        The models' names.
    theorems : tuple of TheoremChange
        Every theorem checked (empty when no checker ran).
    theorem_checker : str
        Which checker produced them ("" when none).
    region_old, region_new : float
        Secure fraction of the reference grid (spot-checks only).
    region_old_eq, region_new_eq : float
        The same with the challengers at equilibrium.
    shrink, growth : float
        See the module docstring.
    cheapest_old_usd, cheapest_new_usd : float or None
        Cost per query of the cheapest secure point (None: no secure point).
    cost_at_point_old_usd, cost_at_point_new_usd : float
        Cost per query at each model's own (S, rho, W, n).
    secure_at_point_old, secure_at_point_new : bool
    attack_old_usd, attack_new_usd : float
        Expected profit of the best attack over time at each model's own point.
    required_stake_old_usd, required_stake_new_usd : float
        The stake that would deter it at each model's own rho and window.
    changed_fields : tuple of FieldChange
        Every field, switch or model key whose value or source differs, in schema order.
    old_path, new_path : str
        The files the two models came from.
    max_shrink : float
    gate_failed : bool
    reasons : tuple of str
        Why the gate failed (empty when it passed).
    """

    old: str
    new: str
    theorems: tuple[TheoremChange, ...]
    theorem_checker: str
    region_old: float
    region_new: float
    region_old_eq: float
    region_new_eq: float
    shrink: float
    growth: float
    cheapest_old_usd: float | None
    cheapest_new_usd: float | None
    cost_at_point_old_usd: float
    cost_at_point_new_usd: float
    secure_at_point_old: bool
    secure_at_point_new: bool
    max_shrink: float
    gate_failed: bool
    reasons: tuple[str, ...]
    attack_old_usd: float = math.nan
    attack_new_usd: float = math.nan
    required_stake_old_usd: float = math.nan
    required_stake_new_usd: float = math.nan
    changed_fields: tuple[FieldChange, ...] = ()
    old_path: str = ""
    new_path: str = ""

    @property
    def exit_code(self) -> int:
        """1 when the gate failed, else 0."""
        return 1 if self.gate_failed else 0

    def to_text(self) -> str:
        """What ``otr-analyze diff`` prints (:func:`diff_text`)."""
        return diff_text(self)

    def _repr_html_(self) -> str:
        """The comparison for Jupyter (:func:`diff_html`)."""
        return diff_html(self)


def smt_theorem_statuses(model: Model) -> dict[str, str]:
    """Every theorem's status on ``model`` from the SMT checker of :mod:`otr_theory.smt`.

    Returns ``{theorem name: "proved" | "violated" | "unknown" | "not applicable"}``
    (:func:`otr_theory.smt.theorems.check`).
    """
    from otr_theory.smt.theorems import check

    return {r.name: r.status for r in check(model).results}


def _newly_fails(old: str, new: str) -> bool:
    return (new == "violated" and old != "violated") or (old == "proved" and new != "proved" and new != "not applicable")


def diff_models(
    old: Model,
    new: Model,
    *,
    max_shrink: float = 0.05,
    grid: Grid | None = None,
    options: RegionOptions | None = None,
    theorems: bool | TheoremChecker = True,
) -> ModelDiff:
    """Compare OLD and NEW (see the module docstring).

    Parameters
    ----------
    old, new : Model
    max_shrink : float in [0, 1]
        The largest tolerated shrink of the secure region (fraction of OLD's).
    grid : Grid, optional
        Default :func:`~otr_theory.regimes.sweep.reference_grid`.
    options : RegionOptions, optional
    theorems : bool or callable
        True: the SMT checker (:func:`smt_theorem_statuses`); False: no theorems; or a callable
        ``model -> {name: status}``.

    Returns
    -------
    ModelDiff

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> old = load_model()
    >>> new = old.with_values(proof_deadline_s=86_400.0)  # a longer detection lag: more exposure
    >>> d = diff_models(old, new, theorems=False)
    >>> d.gate_failed, d.shrink > 0.05, d.growth
    (True, True, 0.0)
    """
    if not isinstance(old, Model) or not isinstance(new, Model):
        raise RegimeError("old/new", "must be Models", (type(old).__name__, type(new).__name__))
    if not (isinstance(max_shrink, (int, float)) and 0 <= max_shrink <= 1):
        raise RegimeError("max_shrink", "must be a fraction in [0, 1]", max_shrink)
    grid = reference_grid() if grid is None else grid
    changes: list[TheoremChange] = []
    checker_name = ""
    if theorems is not False:
        checker = smt_theorem_statuses if theorems is True else theorems
        checker_name = getattr(checker, "__name__", "custom")
        so, sn = checker(old), checker(new)
        for name in sorted(set(so) | set(sn)):
            a, b = so.get(name, "absent"), sn.get(name, "absent")
            changes.append(TheoremChange(theorem=name, old=a, new=b, newly_fails=_newly_fails(a, b)))
    ro = run_sweep(old, grid, options=options, keep_arrays=True)
    rn = run_sweep(new, grid, options=options, keep_arrays=True)
    a, b = ro.arrays["secure"], rn.arrays["secure"]
    n_a = int(a.sum())
    lost = int(np.sum(a & ~b))
    won = int(np.sum(b & ~a))
    shrink = lost / n_a if n_a else 0.0
    growth = won / n_a if n_a else (math.inf if won else 0.0)
    co, cn = cheapest_point(old, options=options), cheapest_point(new, options=options)
    po, pn = (_own_point(m, options) for m in (old, new))
    reasons = [f"theorem {c.theorem} newly fails ({c.old} -> {c.new})" for c in changes if c.newly_fails]
    if shrink > max_shrink:
        reasons.append(f"the secure region shrank by {shrink:.1%} of its grid points (more than {max_shrink:.1%})")
    if po.secure and not pn.secure:
        # the swept axes (S, rho, W, n) are the model's own point: a change along them leaves the
        # region as it is, so the gate reads the point itself, whatever the flags
        reasons.append("the model's own point went from secure to NOT secure over time")
    return ModelDiff(
        old=old.name,
        new=new.name,
        theorems=tuple(changes),
        theorem_checker=checker_name,
        region_old=ro.secure_fraction["spot_checks_only"],
        region_new=rn.secure_fraction["spot_checks_only"],
        region_old_eq=ro.secure_fraction["equilibrium"],
        region_new_eq=rn.secure_fraction["equilibrium"],
        shrink=shrink,
        growth=growth,
        cheapest_old_usd=None if co is None else co.point.cost_usd,
        cheapest_new_usd=None if cn is None else cn.point.cost_usd,
        cost_at_point_old_usd=po.cost_usd,
        cost_at_point_new_usd=pn.cost_usd,
        secure_at_point_old=po.secure,
        secure_at_point_new=pn.secure,
        max_shrink=float(max_shrink),
        gate_failed=bool(reasons),
        reasons=tuple(reasons),
        attack_old_usd=float(po.best_attack.get("payoff_usd", math.nan)),
        attack_new_usd=float(pn.best_attack.get("payoff_usd", math.nan)),
        required_stake_old_usd=float(po.required_stake_usd),
        required_stake_new_usd=float(pn.required_stake_usd),
        changed_fields=changed_fields(old, new),
        old_path=str(old.path),
        new_path=str(new.path),
    )


def _own_point(model: Model, options: RegionOptions | None) -> Any:
    v = model.values()
    return evaluate_point(model, slash_usd=float(v["slash_usd"]), spot_check_rate=float(v["spot_check_rate"]), window_s=float(v["window_s"]), count=int(v["count"]), options=options)


def _money(x: float | None) -> str:
    from otr_theory.fmt import fmt_usd

    return "none (no secure point)" if x is None else fmt_usd(x)


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None or old == 0:
        return ""
    return f" ({(new - old) / old:+.1%})"


def _field_value(field: str, x: object) -> str:
    """A changed field's value in its unit (money, durations, probabilities), else as written."""
    from otr_theory.fmt import fmt_value

    unit = next((f.unit for f in FIELDS if f.dotted == field), None)
    if unit is None or isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    return fmt_value(x, unit)


def diff_text(d: ModelDiff) -> str:
    """The plain-text summary ``otr-analyze diff`` prints: changed fields, theorems, the secure
    region, the costs, the attack over time, then :func:`gate_lines`. Formatting only."""
    from otr_theory.fmt import fmt_pct, fmt_usd

    lines = [f"OLD {d.old_path or d.old} ({d.old})  ->  NEW {d.new_path or d.new} ({d.new})", ""]
    if d.changed_fields:
        lines.append(f"changed fields ({len(d.changed_fields)}):")
        for c in d.changed_fields:
            src = f"  [source {c.old_source} -> {c.new_source}]" if c.old_source != c.new_source else (f"  [source {c.new_source}]" if c.new_source else "")
            lines.append(f"  {c.field}: {_field_value(c.field, c.old)} -> {_field_value(c.field, c.new)}{src}")
    else:
        lines.append("changed fields: none")
    lines.append("")
    if d.theorems:
        lines.append(f"theorems ({d.theorem_checker}):")
        for c in d.theorems:
            mark = "  NEWLY FAILS" if c.newly_fails else ("" if c.old == c.new else "  changed")
            lines.append(f"  {c.theorem:<30} {c.old:>15} -> {c.new:<15}{mark}")
    else:
        lines.append("theorems: not checked (--no-theorems)")
    lines += [
        "",
        "secure region on the fixed reference grid (spot-checks only):",
        f"  OLD {d.region_old:.3%} of the grid, NEW {d.region_new:.3%}; shrink {d.shrink:.2%} of OLD's region, growth {fmt_pct(d.growth, 4)}",
        f"  (challengers at equilibrium: OLD {d.region_old_eq:.3%}, NEW {d.region_new_eq:.3%})",
        "",
        "cost per query:",
        f"  cheapest secure point: OLD {_money(d.cheapest_old_usd)}, NEW {_money(d.cheapest_new_usd)}{_change(d.cheapest_old_usd, d.cheapest_new_usd)}",
        f"  at each model's own point: OLD {fmt_usd(d.cost_at_point_old_usd)} ({'secure' if d.secure_at_point_old else 'NOT secure'}), "
        f"NEW {fmt_usd(d.cost_at_point_new_usd)} ({'secure' if d.secure_at_point_new else 'NOT secure'}){_change(d.cost_at_point_old_usd, d.cost_at_point_new_usd)}",
        "security over time at each model's own point (best attack: expected profit; stake that would deter it):",
        f"  OLD {_money(d.attack_old_usd)}, stake {_money(d.required_stake_old_usd)}; NEW {_money(d.attack_new_usd)}, stake {_money(d.required_stake_new_usd)}",
        "",
    ]
    return "\n".join(lines + gate_lines(d))


def gate_lines(d: ModelDiff) -> list[str]:
    """The verdict: "gate passed (...)", or "GATE FAILED:" and each reason on its own line
    (all that ``otr-analyze diff -q`` prints)."""
    if d.gate_failed:
        return ["GATE FAILED:", *(f"  {r}" for r in d.reasons)]
    return [f"gate passed (no theorem newly fails; the model's own point did not become insecure; the region shrank by at most {d.max_shrink:.1%})"]


def diff_html(d: ModelDiff) -> str:
    """:func:`diff_text` for Jupyter: the gate's verdict in bold, then the summary preformatted."""
    import html

    verdict = "GATE FAILED" if d.gate_failed else "gate passed"
    return f"<p><b>{html.escape(f'diff {d.old} -> {d.new}: {verdict}')}</b></p><pre>{html.escape(diff_text(d))}</pre>"
