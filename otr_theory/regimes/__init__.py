"""Secure parameter regimes: sweep, certify, optimise, sensitivity, diff.

The toolkit's central answer: for a model, the region of slash S, spot-check rate rho, window W
and challengers n in which every strategy over time of every catalogued deviation (cheat until
caught, keep cheating during the detection lag, slashed once: :mod:`otr_theory.payoffs.corruption`)
is unprofitable by the declared margin,
the safety theorems hold and the capital and latency constraints are met; the cheapest point in
it; the Pareto front of cost, time to final finality and security margin; boxes of it proved
secure by z3; how the answer moves with the uncertain inputs; and what a protocol change did.

Modules (the data flows down the list):

* :mod:`~otr_theory.regimes.region` -- the definition (the module docstring is the spec), the
  vectorized kernel over the closed forms of :mod:`otr_theory.payoffs` and the cost model of
  :mod:`otr_theory.calibration.costs`, and a scalar per-point reference;
* :mod:`~otr_theory.regimes.sweep` -- grids, chunked sweeps, Dask;
* :mod:`~otr_theory.regimes.pareto` -- the non-dominated set;
* :mod:`~otr_theory.regimes.optimise` -- the cheapest secure point and a secure box around it;
* :mod:`~otr_theory.regimes.certify` -- z3 box certificates, SMT-LIB 2, cvc5 re-check;
* :mod:`~otr_theory.regimes.sensitivity` -- Sobol / Morris (SALib) and one-at-a-time swings;
* :mod:`~otr_theory.regimes.diff` -- OLD against NEW: theorems, region, cost; the CI gate;
* :mod:`~otr_theory.regimes.deterrence` -- the one-query minimum slash against rho beside the
  over-time deterring stake (a record);
* :mod:`~otr_theory.regimes.analysis` -- all of it for one model, for the CLI and the report
  (the figures are in :mod:`otr_theory.plotting.regimes`).

Every submodule is reachable under its own name (``otr_theory.regimes.sweep`` is the module); the
functions that share a module's name are exported as :func:`run_sweep` and :func:`run_sensitivity`.

Examples
--------
>>> from otr_theory.model import load_model
>>> from otr_theory.regimes import cheapest_point, certify_box
>>> op = cheapest_point(load_model(), box_rel=0.05)
>>> certify_box(load_model(), op.box, label="cheapest").status
'proved'
>>> certify_robust(load_model(), op.box, uncertain=("high_value_gain_usd",)).status  # gains up to $1M break it
'not robust'
"""

from otr_theory.regimes.analysis import RegimeAnalysis, RegimeVariant, analyse
from otr_theory.regimes.certify import CERTIFIABLE, Certificate, RobustCertificate, certify_box, certify_robust, largest_secure_gain, recheck_with_cvc5
from otr_theory.regimes.diff import ModelDiff, TheoremChange, diff_models, diff_text
from otr_theory.regimes.optimise import OperatingPoint, box_around, cheapest_point, model_point, required_spot_check_rate
from otr_theory.regimes.pareto import nondominated
from otr_theory.regimes.region import (
    CONSTRAINTS,
    DECISION_FIELDS,
    READINGS,
    PointRecord,
    RegimeError,
    RegionKernel,
    RegionOptions,
    evaluate_point,
    minimum_window_s,
    proof_window_s,
    region_kernel,
    secure_window_s,
)
from otr_theory.regimes.sensitivity import Sensitivity, run_sensitivity, uncertain_inputs
from otr_theory.regimes.sweep import Grid, GridPoint, SweepResult, SweepSummary, default_grid, reference_grid, run_sweep

__all__ = [
    "CERTIFIABLE",
    "CONSTRAINTS",
    "DECISION_FIELDS",
    "READINGS",
    "Certificate",
    "RobustCertificate",
    "certify_robust",
    "largest_secure_gain",
    "Grid",
    "GridPoint",
    "ModelDiff",
    "OperatingPoint",
    "RegimeAnalysis",
    "RegimeVariant",
    "PointRecord",
    "RegimeError",
    "RegionKernel",
    "RegionOptions",
    "Sensitivity",
    "SweepResult",
    "SweepSummary",
    "TheoremChange",
    "analyse",
    "box_around",
    "certify_box",
    "cheapest_point",
    "default_grid",
    "diff_models",
    "diff_text",
    "evaluate_point",
    "minimum_window_s",
    "proof_window_s",
    "secure_window_s",
    "model_point",
    "nondominated",
    "recheck_with_cvc5",
    "reference_grid",
    "region_kernel",
    "required_spot_check_rate",
    "run_sensitivity",
    "run_sweep",
    "uncertain_inputs",
]
