"""One call that answers the regime question for a model: what the CLI and the report show.

:func:`analyse` runs, in order: the sweep of :func:`~otr_theory.regimes.sweep.default_grid`
(both readings), the cheapest secure point (t = 0), the cheapest point with a secure box of
relative half-width t (default 5%), the model's own operating point with its box, z3
certificates for those boxes and for a box that straddles the region's boundary (which must give
a counterexample: the certificate is not vacuous), robust certificates of the recommended and
the model's boxes over the declared ranges of the uncertain inputs, the largest gains for which
each point stays secure, the over-time assessment of the model's own point
(:func:`otr_theory.payoffs.corruption.assess`), and optionally the sensitivity analysis.
Everything in :meth:`RegimeAnalysis.to_dict` is deterministic (no timings).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from otr_theory.model import Model
from otr_theory.payoffs.corruption import Assessment, assess
from otr_theory.regimes.certify import Certificate, RobustCertificate, certify_box, certify_robust, largest_secure_gain
from otr_theory.regimes.optimise import OperatingPoint, cheapest_point, model_point
from otr_theory.regimes.region import READINGS, RegimeError, RegionOptions, minimum_window_s, proof_window_s
from otr_theory.regimes.sensitivity import METHODS, Sensitivity, sensitivity
from otr_theory.regimes.sweep import Grid, SweepResult, default_grid, sweep

__all__ = ["GAIN_INPUTS", "RegimeAnalysis", "analyse"]

GAIN_INPUTS: tuple[str, ...] = ("external_gain_usd", "high_value_gain_usd", "high_value_fraction", "downgrade_saving_usd_per_query", "skip_saving_usd_per_query")
"""The gain inputs of the robust certificate over gains only."""


@dataclasses.dataclass(frozen=True)
class RegimeAnalysis:
    """Everything :func:`analyse` found.

    Attributes
    ----------
    model : str
    loss_convention : str
    options : RegionOptions
    min_window_s : float
        W must exceed this (theorem 3).
    sweep : SweepResult
    cheapest : OperatingPoint or None
        The cheapest secure point (on the boundary of the region).
    recommended : OperatingPoint or None
        The cheapest point whose box of half-width ``box_rel`` is secure.
    model_point : OperatingPoint
        The model's own (S, rho, W, n).
    certificates : tuple of Certificate
    sensitivity : Sensitivity or None
    robust : tuple of RobustCertificate
        The recommended and the model's boxes, over the uncertain inputs' declared ranges.
    largest_gains : dict
        ``{label: {gain field: largest value for which the point stays secure}}``.
    assessment : Assessment or None
        The over-time verdict at the model's own point (spot-checks only).
    proof_window_s : float
        The window must also be at least this (the proof deadline, unless pending results revert).
    variants : dict
        What changes when gains wait for final finality, without and with pending results
        reverted on a slash: ``{label: {"assessment": ..., "cheapest": ...}}`` (plain dicts).
    """

    model: str
    loss_convention: str
    options: RegionOptions
    min_window_s: float
    sweep: SweepResult
    cheapest: OperatingPoint | None
    recommended: OperatingPoint | None
    model_point: OperatingPoint
    certificates: tuple[Certificate, ...]
    sensitivity: Sensitivity | None
    robust: tuple[RobustCertificate, ...] = ()
    largest_gains: dict = dataclasses.field(default_factory=dict)
    assessment: Assessment | None = None
    proof_window_s: float = 0.0
    variants: dict = dataclasses.field(default_factory=dict)

    def to_dict(self, *, include_smtlib: bool = True, pareto_points: int = 60) -> dict[str, Any]:
        """A summary of plain dicts, lists, strings and numbers (``pareto_points`` evenly spaced
        points of the front); non-finite floats stay floats (``report.core.jsonable`` writes them)."""
        front = self.sweep.pareto
        if len(front) > pareto_points:
            step = (len(front) - 1) / (pareto_points - 1)
            front = tuple(front[round(i * step)] for i in range(pareto_points))
        out = {
            "model": self.model,
            "loss_convention": self.loss_convention,
            "options": dataclasses.asdict(self.options),
            "readings": {
                "spot_checks_only": "challengers lazy (q = 0): the detection the protocol guarantees; used for the region, the cheapest point, the certificates and the diff gate",
                "equilibrium": "challengers at their symmetric equilibrium monitoring rate",
            },
            "min_window_s": self.min_window_s,
            "sweep": self.sweep.summary(),
            "pareto_front": [dataclasses.asdict(p) for p in front],
            "cheapest": _op(self.cheapest),
            "recommended": _op(self.recommended),
            "model_point": _op(self.model_point),
            "certificates": [c.to_dict(include_smtlib=include_smtlib) for c in self.certificates],
            "sensitivity": None if self.sensitivity is None else dataclasses.asdict(self.sensitivity),
            "proof_window_s": self.proof_window_s,
            "robust_certificates": [r.to_dict(include_smtlib=include_smtlib) for r in self.robust],
            "largest_secure_gains": self.largest_gains,
            "assessment": None if self.assessment is None else self.assessment.to_dict(),
            "variants": self.variants,
        }
        return out


def _op(op: OperatingPoint | None) -> dict | None:
    return None if op is None else dataclasses.asdict(op)


def analyse(
    model: Model,
    *,
    options: RegionOptions | None = None,
    box_rel: float = 0.05,
    grid: Grid | None = None,
    sensitivity_method: str | None = None,
    sensitivity_samples: int = 256,
    progress: Callable[[int, int], None] | None = None,
    dask: Any = None,
    timeout_ms: int = 20_000,
) -> RegimeAnalysis:
    """The regime analysis of ``model`` (see the module docstring).

    Parameters
    ----------
    model : Model
    options : RegionOptions, optional
    box_rel : float in (0, 1)
        Relative half-width of the certified boxes.
    grid : Grid, optional
        Default :func:`~otr_theory.regimes.sweep.default_grid`.
    sensitivity_method : {None, "sobol", "morris"}
        None skips the sensitivity analysis.
    sensitivity_samples : int
    progress : callable, optional
        ``progress(done_points, total_points)`` during the sweep.
    dask : optional
        Passed to :func:`~otr_theory.regimes.sweep.sweep`.
    timeout_ms : int
        z3's limit per certificate query.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> a = analyse(load_model())
    >>> [c.status for c in a.certificates]  # the model's own box is not secure over time
    ['proved', 'counterexample', 'counterexample']
    >>> [r.status for r in a.robust]
    ['not robust', 'not robust', 'insecure']
    """
    if not isinstance(model, Model):
        raise RegimeError("model", "must be a Model", type(model).__name__)
    if not (isinstance(box_rel, (int, float)) and 0 < box_rel < 1):
        raise RegimeError("box_rel", "must be a number in (0, 1)", box_rel)
    if sensitivity_method is not None and sensitivity_method not in METHODS:
        raise RegimeError("sensitivity_method", f"must be None or one of {', '.join(METHODS)}", sensitivity_method)
    options = RegionOptions() if options is None else options
    grid = default_grid(model) if grid is None else grid
    result = sweep(model, grid, options=options, readings=READINGS, progress=progress, dask=dask, keep_arrays=False)
    cheapest = cheapest_point(model, options=options)
    recommended = cheapest_point(model, box_rel=box_rel, options=options)
    own = model_point(model, label="model's operating point", box_rel=box_rel, options=options)
    certificates = []
    if recommended is not None:
        certificates.append(certify_box(model, recommended.box, label="recommended box", count=recommended.point.count, options=options, timeout_ms=timeout_ms))
    certificates.append(certify_box(model, own.box, label="model point box", options=options, timeout_ms=timeout_ms))
    if cheapest is not None:
        c = cheapest.point
        straddle = {
            "slash_usd": (c.slash_usd * 0.9, c.slash_usd),
            "spot_check_rate": (c.spot_check_rate * 0.5, min(c.spot_check_rate * 1.5, 1.0)),
            "window_s": (c.window_s, c.window_s * 1.1),
        }
        certificates.append(certify_box(model, straddle, label="straddling box", count=c.count, options=options, timeout_ms=timeout_ms))
    robust = []
    if recommended is not None:
        gains = tuple(k for k in GAIN_INPUTS if model.quantity(k).uncertain)
        robust.append(certify_robust(model, recommended.box, label="recommended box, gains", count=recommended.point.count, options=options, timeout_ms=timeout_ms, uncertain=gains))
        robust.append(certify_robust(model, recommended.box, label="recommended box", count=recommended.point.count, options=options, timeout_ms=timeout_ms))
    robust.append(certify_robust(model, own.box, label="model point box", options=options, timeout_ms=timeout_ms))
    gains: dict[str, dict[str, float]] = {}
    for op in (cheapest, recommended, own):
        if op is None:
            continue
        pt = {"slash_usd": op.point.slash_usd, "spot_check_rate": op.point.spot_check_rate, "window_s": op.point.window_s}
        fields = ("high_value_gain_usd", "external_gain_usd") if model.value("high_value_fraction") > 0 else ("external_gain_usd",)
        gains[op.label] = {f: largest_secure_gain(model, pt, f, count=op.point.count, options=options) for f in fields}
    variants: dict[str, dict] = {}
    if model.scheme == "otr":
        final = dataclasses.replace(model, gain_realisation="final")
        for label, mv in (
            ("gains at final finality, pending results not reverted", final.with_protocol(revert_pending_on_slash=False)),
            ("gains at final finality, pending results reverted on a slash", final.with_protocol(revert_pending_on_slash=True)),
        ):
            cp = cheapest_point(mv, options=options)
            variants[label] = {
                "assessment": assess(mv).to_dict(),
                "cheapest": None if cp is None else {k: getattr(cp.point, k) for k in ("slash_usd", "spot_check_rate", "window_s", "count", "margin_usd", "cost_usd")},
            }
    sens = None
    if sensitivity_method is not None:
        sens = sensitivity(model, method=sensitivity_method, samples=sensitivity_samples, options=options)
    return RegimeAnalysis(
        model=model.name,
        loss_convention=model.loss_convention,
        options=options,
        min_window_s=minimum_window_s(model),
        sweep=result,
        cheapest=cheapest,
        recommended=recommended,
        model_point=own,
        certificates=tuple(certificates),
        sensitivity=sens,
        robust=tuple(robust),
        largest_gains=gains,
        assessment=assess(model),
        proof_window_s=proof_window_s(model),
        variants=variants,
    )
