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
from otr_theory.records import Record, quantity
from otr_theory.regimes.certify import Certificate, RobustCertificate, certify_box, certify_robust, largest_secure_gain
from otr_theory.regimes.optimise import OperatingPoint, cheapest_point, model_point
from otr_theory.regimes.region import READINGS, RegimeError, RegionOptions, minimum_window_s, proof_window_s
from otr_theory.regimes.sensitivity import METHODS, Sensitivity, run_sensitivity, uncertain_inputs
from otr_theory.regimes.sweep import Grid, GridPoint, SweepSummary, default_grid, run_sweep

__all__ = ["GAIN_INPUTS", "READINGS_TEXT", "RegimeAnalysis", "RegimeVariant", "analyse"]

GAIN_INPUTS: tuple[str, ...] = ("external_gain_usd", "high_value_gain_usd", "high_value_fraction", "downgrade_saving_usd_per_query", "skip_saving_usd_per_query")
"""The gain inputs of the robust certificate over gains only."""


READINGS_TEXT: dict[str, str] = {
    "spot_checks_only": "challengers lazy (q = 0): the detection the protocol guarantees; used for the region, the cheapest point, the certificates and the diff gate",
    "equilibrium": "challengers at their symmetric equilibrium monitoring rate",
}
"""The two readings of the challengers' detection, in words."""


@dataclasses.dataclass(frozen=True, repr=False)
class RegimeVariant(Record):
    """What changes when gains wait for final finality (with or without pending results reverted)."""

    TITLE = "variant"

    assessment: Assessment = quantity("", "the over-time verdict at the model's point under the variant")
    cheapest: dict[str, float] | None = quantity("", "the cheapest secure point under the variant: slash_usd, spot_check_rate, window_s, count, margin_usd, cost_usd")


@dataclasses.dataclass(frozen=True, repr=False)
class RegimeAnalysis(Record):
    """Everything :func:`analyse` found.

    Attributes
    ----------
    model : str
    loss_convention : str
    options : RegionOptions
    readings : dict
        The two readings of the challengers' detection, in words.
    min_window_s : float
        W must exceed this (theorem 3).
    sweep : SweepSummary
        The sweep's counts (the grid, secure points by reading, the cheapest grid points).
    pareto_front : tuple of GridPoint
        The Pareto front of cost, time to final finality and margin (spot-checks only), by cost.
    cheapest : OperatingPoint or None
        The cheapest secure point (on the boundary of the region).
    recommended : OperatingPoint or None
        The cheapest point whose box of half-width ``box_rel`` is secure.
    model_point : OperatingPoint
        The model's own (S, rho, W, n).
    certificates : tuple of Certificate
    sensitivity : Sensitivity or None
    proof_window_s : float
        The window must also be at least this (the proof deadline, unless pending results revert).
    robust_certificates : tuple of RobustCertificate
        The recommended and the model's boxes, over the uncertain inputs' declared ranges.
    largest_secure_gains : dict
        ``{label: {gain field: largest value for which the point stays secure}}``.
    assessment : Assessment or None
        The over-time verdict at the model's own point (spot-checks only).
    variants : dict of RegimeVariant
        What changes when gains wait for final finality, without and with pending results
        reverted on a slash.

    Everything in :meth:`to_dict` is deterministic (no timings).
    """

    TITLE = "Secure parameter regimes"
    TABLE = "pareto_front"
    SUMMARY = ("model", "loss_convention", "min_window_s", "proof_window_s")

    model: str = quantity("", "the model's name")
    loss_convention: str = quantity("", "forfeit or keep")
    options: RegionOptions = quantity("", "choices not in the model file")
    readings: dict[str, str] = quantity("", "the two readings of the challengers' detection")
    min_window_s: float = quantity("s", "W must exceed this: rounds x timeout + settlement + censorship (theorem 3)", source="regimes.region.minimum_window_s")
    sweep: SweepSummary = quantity("", "the sweep's counts")
    pareto_front: tuple[GridPoint, ...] = quantity("", "the Pareto front (spot-checks only), by cost")
    cheapest: OperatingPoint | None = quantity("", "the cheapest secure point")
    recommended: OperatingPoint | None = quantity("", "the cheapest point with a secure box")
    model_point: OperatingPoint = quantity("", "the model's own operating point")
    certificates: tuple[Certificate, ...] = quantity("", "z3 box certificates")
    sensitivity: Sensitivity | None = quantity("", "Sobol/Morris indices and tornado bars (None: not run)")
    proof_window_s: float = quantity("s", "W must be at least this (the proof deadline, unless pending results revert)", source="regimes.region.proof_window_s")
    robust_certificates: tuple[RobustCertificate, ...] = quantity("", "certificates over the uncertain inputs' ranges", default=())
    largest_secure_gains: dict[str, dict[str, float]] = quantity("USD", "{label: {gain field: largest value for which the point stays secure}}", default_factory=dict)
    assessment: Assessment | None = quantity("", "the over-time verdict at the model's point (spot-checks only)", default=None)
    variants: dict[str, RegimeVariant] = quantity("", "gains at final finality, without and with pending results reverted", default_factory=dict)

    def summary_lines(self) -> list[str]:
        """The scalar fields, then one line per point and the sweep's count (``repr``)."""
        from otr_theory.fmt import fmt_count, fmt_prob, fmt_usd

        out = super().summary_lines()
        out.append(f"secure grid points (spot-checks only) = {fmt_count(self.sweep.secure_points.get('spot_checks_only', 0))} of {fmt_count(self.sweep.grid_points)}")
        cert = {c.label: c.status for c in self.certificates}
        for name, op in (("cheapest", self.cheapest), ("recommended", self.recommended), ("model_point", self.model_point)):
            if op is None:
                out.append(f"{name} = none")
                continue
            p = op.point
            extra = f", box {cert.get('recommended box', 'uncertified')}" if name == "recommended" else ""
            out.append(
                f"{name} = S {fmt_usd(p.slash_usd, 4)}, rho {fmt_prob(p.spot_check_rate, 4)}, W {p.window_s:,.0f} s: "
                f"{'secure' if p.secure else 'NOT secure'}, margin {fmt_usd(p.margin_usd, 4)}, {fmt_usd(p.cost_usd, 4)}/query{extra}"
            )
        return out

    @property
    def robust(self) -> tuple[RobustCertificate, ...]:
        """:attr:`robust_certificates` (the older name)."""
        return self.robust_certificates

    @property
    def largest_gains(self) -> dict[str, dict[str, float]]:
        """:attr:`largest_secure_gains` (the older name)."""
        return self.largest_secure_gains

    @property
    def points(self) -> tuple[OperatingPoint, ...]:
        """The cheapest, the recommended and the model's points (those that exist)."""
        return tuple(op for op in (self.cheapest, self.recommended, self.model_point) if op is not None)

    def attachments(self) -> dict[str, str]:
        """The SMT-LIB text of every certificate (and robust claim), by file name under ``certificates/``."""
        return {f"certificates/{c.filename()}": c.smtlib for c in [*self.certificates, *(r.robust for r in self.robust_certificates)]}

    def to_dict(self, *, include_smtlib: bool = True) -> dict[str, Any]:
        """JSON of every field (the rule of :mod:`otr_theory.jsonio`); without the SMT-LIB texts if asked."""
        d = super().to_dict()
        if not include_smtlib:
            d["certificates"] = [c.to_dict(include_smtlib=False) for c in self.certificates]
            d["robust_certificates"] = [r.to_dict(include_smtlib=False) for r in self.robust_certificates]
        return d


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
    sensitivity_method : {None, "sobol", "morris", "auto"}
        None skips the sensitivity analysis; "auto" runs Sobol where the model declares an
        uncertain input (a low/high range) and skips it otherwise (nothing to be sensitive to).
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
    >>> print(repr(a).splitlines()[-1].strip())
    model_point = S $100,000, rho 0.01, W 86,400 s: NOT secure, margin -$27,980,485, $0.01422/query
    >>> sorted(a.to_dict())[:4]
    ['assessment', 'certificates', 'cheapest', 'largest_secure_gains']
    """
    if not isinstance(model, Model):
        raise RegimeError("model", "must be a Model", type(model).__name__)
    if not (isinstance(box_rel, (int, float)) and 0 < box_rel < 1):
        raise RegimeError("box_rel", "must be a number in (0, 1)", box_rel)
    if sensitivity_method is not None and sensitivity_method not in (*METHODS, "auto"):
        raise RegimeError("sensitivity_method", f"must be None, auto or one of {', '.join(METHODS)}", sensitivity_method)
    if sensitivity_method == "auto":
        sensitivity_method = "sobol" if uncertain_inputs(model) else None
    options = RegionOptions() if options is None else options
    grid = default_grid(model) if grid is None else grid
    result = run_sweep(model, grid, options=options, readings=READINGS, progress=progress, dask=dask, keep_arrays=False)
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
        uncertain_gains = tuple(k for k in GAIN_INPUTS if model.quantity(k).uncertain)
        robust.append(certify_robust(model, recommended.box, label="recommended box, gains", count=recommended.point.count, options=options, timeout_ms=timeout_ms, uncertain=uncertain_gains))
        robust.append(certify_robust(model, recommended.box, label="recommended box", count=recommended.point.count, options=options, timeout_ms=timeout_ms))
    robust.append(certify_robust(model, own.box, label="model point box", options=options, timeout_ms=timeout_ms))
    gains: dict[str, dict[str, float]] = {}
    for op in (cheapest, recommended, own):
        if op is None:
            continue
        pt = {"slash_usd": op.point.slash_usd, "spot_check_rate": op.point.spot_check_rate, "window_s": op.point.window_s}
        fields = ("high_value_gain_usd", "external_gain_usd") if model.value("high_value_fraction") > 0 else ("external_gain_usd",)
        gains[op.label] = {f: largest_secure_gain(model, pt, f, count=op.point.count, options=options) for f in fields}
    variants: dict[str, RegimeVariant] = {}
    if model.scheme == "otr":
        final = dataclasses.replace(model, gain_realisation="final")
        for label, mv in (
            ("gains at final finality, pending results not reverted", final.with_protocol(revert_pending_on_slash=False)),
            ("gains at final finality, pending results reverted on a slash", final.with_protocol(revert_pending_on_slash=True)),
        ):
            cp = cheapest_point(mv, options=options)
            variants[label] = RegimeVariant(
                assessment=assess(mv),
                cheapest=None if cp is None else {k: getattr(cp.point, k) for k in ("slash_usd", "spot_check_rate", "window_s", "count", "margin_usd", "cost_usd")},
            )
    sens = None
    if sensitivity_method is not None:
        sens = run_sensitivity(model, method=sensitivity_method, samples=sensitivity_samples, options=options)
    return RegimeAnalysis(
        model=model.name,
        loss_convention=model.loss_convention,
        options=options,
        readings=dict(READINGS_TEXT),
        min_window_s=minimum_window_s(model),
        sweep=result.record(),
        pareto_front=tuple(result.pareto),
        cheapest=cheapest,
        recommended=recommended,
        model_point=own,
        certificates=tuple(certificates),
        sensitivity=sens,
        robust_certificates=tuple(robust),
        largest_secure_gains=gains,
        assessment=assess(model),
        proof_window_s=proof_window_s(model),
        variants=variants,
    )
