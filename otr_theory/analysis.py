"""One analysis of a model: every area's record and the verdict, behind one call.

>>> import otr_theory as o                                   # doctest: +SKIP
>>> a = o.analyse(o.load_model())                            # doctest: +SKIP
>>> a.verdict.status, a.verdict.required_stake_usd           # doctest: +SKIP
('insecure', 56061169.4...)

:func:`analyse` runs the areas in the order a reader meets them and returns an :class:`Analysis`,
a frozen record holding one record per area:

============== ============================================== =================================================
area           function                                       record
============== ============================================== =================================================
theorems       :func:`otr_theory.smt.analysis.analyse`         :class:`~otr_theory.smt.analysis.TheoremsAnalysis`
regimes        :func:`otr_theory.regimes.analysis.analyse`     :class:`~otr_theory.regimes.analysis.RegimeAnalysis`
incentives     :func:`otr_theory.payoffs.analysis.analyse`     :class:`~otr_theory.payoffs.analysis.IncentivesAnalysis`
deterrence     :func:`otr_theory.regimes.deterrence.analyse`   :class:`~otr_theory.regimes.deterrence.DeterrenceAnalysis`
equilibria     :func:`otr_theory.games.analysis.analyse`       :class:`~otr_theory.games.analysis.EquilibriaAnalysis`
dispute        :func:`otr_theory.games.dispute_analysis.analyse` :class:`~otr_theory.games.dispute_analysis.DisputeAnalysis`
calibration    :func:`otr_theory.calibration.analysis.analyse` :class:`~otr_theory.calibration.analysis.CalibrationAnalysis`
simulation     :func:`otr_theory.simulation.analysis.analyse`  :class:`~otr_theory.simulation.analysis.SimulationAnalysis`
parameters     :func:`otr_theory.parameters.model_parameters`  :class:`~otr_theory.parameters.ModelParameters`
verdict        :func:`otr_theory.verdict.verdict_of`           :class:`~otr_theory.verdict.Verdict`
============== ============================================== =================================================

Each area's function is also available here under the area's name (``otr_theory.analysis.regimes(model)``),
so a notebook can compute one area without the others. The report (:mod:`otr_theory.report`), the
command line, results.json (:func:`results_document`) and the notebooks read these records and
nothing else: one number has one value everywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from otr_theory.calibration.analysis import CalibrationAnalysis
from otr_theory.games.analysis import EquilibriaAnalysis
from otr_theory.games.dispute_analysis import DisputeAnalysis
from otr_theory.model import Model, load_model
from otr_theory.parameters import ModelParameters
from otr_theory.payoffs.analysis import IncentivesAnalysis
from otr_theory.records import Record, quantity, schema_of
from otr_theory.regimes.analysis import RegimeAnalysis
from otr_theory.regimes.deterrence import DeterrenceAnalysis
from otr_theory.simulation.analysis import SimulationAnalysis
from otr_theory.smt.analysis import TheoremsAnalysis
from otr_theory.verdict import Verdict, verdict_of

__all__ = [
    "AREAS",
    "Analysis",
    "analyse",
    "calibration",
    "deterrence",
    "dispute",
    "equilibria",
    "incentives",
    "parameters",
    "regimes",
    "results_document",
    "results_json",
    "results_schema",
    "simulation",
    "theorems",
    "verdict",
]

RESULTS_SCHEMA_ID = "otr-theory/results/1"
"""The tag results.json carries under ``"schema"``."""


def theorems(model: Model) -> TheoremsAnalysis:
    """The ten safety theorems checked by z3 (:func:`otr_theory.smt.analysis.analyse`)."""
    from otr_theory.smt.analysis import analyse as run

    return run(model)


def regimes(model: Model) -> RegimeAnalysis:
    """Secure regimes, the cheapest secure point, certificates, the over-time assessment."""
    from otr_theory.regimes.analysis import analyse as run

    return run(model)


def incentives(model: Model) -> IncentivesAnalysis:
    """Incentive conditions per deviation, participation, the minimum slash."""
    from otr_theory.payoffs.analysis import analyse as run

    return run(model)


def deterrence(model: Model) -> DeterrenceAnalysis:
    """The stake that deters the best attack over time, against rho."""
    from otr_theory.regimes.deterrence import analyse as run

    return run(model)


def equilibria(model: Model) -> EquilibriaAnalysis:
    """Inspection game, n challengers, the dispute game's subgame-perfect play (each with its regret)."""
    from otr_theory.games.analysis import analyse as run

    return run(model)


def dispute(model: Model) -> DisputeAnalysis:
    """The dispute design against Arbitrum BoLD and the OP fault-dispute game."""
    from otr_theory.games.dispute_analysis import analyse as run

    return run(model)


def calibration(model: Model) -> CalibrationAnalysis:
    """Cost and latency of a query (named variants), fits, uncertainty, the paper's claims."""
    from otr_theory.calibration.analysis import analyse as run

    return run(model)


def simulation(model: Model) -> SimulationAnalysis:
    """Monte Carlo runs at the equilibrium and against the adversary; attacks against closed forms."""
    from otr_theory.simulation.analysis import analyse as run

    return run(model)


def parameters(model: Model) -> ModelParameters:
    """Every parameter of the model with its unit, range and source."""
    from otr_theory.parameters import model_parameters

    return model_parameters(model)


AREAS: dict[str, Callable[[Model], Record]] = {
    "theorems": theorems,
    "regimes": regimes,
    "incentives": incentives,
    "deterrence": deterrence,
    "equilibria": equilibria,
    "dispute": dispute,
    "calibration": calibration,
    "simulation": simulation,
    "parameters": parameters,
}
"""Every area, in the order the report shows them."""


def verdict(records: dict[str, Record | None], scheme: str = "") -> Verdict:
    """The verdict from the areas' records (:func:`otr_theory.verdict.verdict_of`)."""
    return verdict_of({k: r.to_dict() for k, r in records.items() if r is not None}, scheme)


@dataclasses.dataclass(frozen=True, repr=False)
class Analysis(Record):
    """Everything :func:`analyse` found for one model: the verdict and one record per area (None
    for an area not run)."""

    TITLE = "one analysis of a model: the verdict and a record per area"

    model: str = quantity("", "the model's name")
    scheme: str = quantity("", "otr, opml, zkml, poq, centralized, bold, op")
    loss_convention: str = quantity("", "forfeit or keep")
    verdict: Verdict = quantity("", "the verdict (secure / insecure / unknown, the best attack, what deters it)")
    theorems: TheoremsAnalysis | None = quantity("", "theorems 1-10 checked by z3", default=None)
    regimes: RegimeAnalysis | None = quantity("", "secure regimes and the cheapest secure point", default=None)
    incentives: IncentivesAnalysis | None = quantity("", "incentive conditions", default=None)
    deterrence: DeterrenceAnalysis | None = quantity("", "the deterring stake against rho", default=None)
    equilibria: EquilibriaAnalysis | None = quantity("", "equilibria of the games", default=None)
    dispute: DisputeAnalysis | None = quantity("", "dispute design comparison", default=None)
    calibration: CalibrationAnalysis | None = quantity("", "calibrated cost and latency", default=None)
    simulation: SimulationAnalysis | None = quantity("", "Monte Carlo simulation", default=None)
    parameters: ModelParameters | None = quantity("", "the model's parameters and sources", default=None)

    def summary_lines(self) -> list[str]:
        v = self.verdict
        lines = [f"model = {self.model} ({self.scheme}, {self.loss_convention})", *v.summary_lines()]
        ran = [k for k in AREAS if getattr(self, k) is not None]
        lines.append(f"areas = {', '.join(ran)}")
        return lines

    def records(self) -> dict[str, Record]:
        """The areas that ran, by name, in the report's order."""
        return {k: getattr(self, k) for k in AREAS if getattr(self, k) is not None}


def analyse(model: Model | None = None, *, areas: Sequence[str] | None = None, progress: Callable[[str], None] | None = None) -> Analysis:
    """Analyse ``model`` (the embedded default when None): every area in ``areas`` (default all),
    then the verdict from the records. ``progress(area)`` is called before each area.

    Raises
    ------
    ValueError
        For an unknown area name.
    """
    model = load_model() if model is None else model
    chosen = list(AREAS) if areas is None else list(areas)
    unknown = [a for a in chosen if a not in AREAS]
    if unknown:
        raise ValueError(f"areas: must be among {', '.join(AREAS)} (got {', '.join(map(repr, unknown))})")
    records: dict[str, Any] = {}
    for name in AREAS:
        if name not in chosen:
            continue
        if progress is not None:
            progress(name)
        records[name] = AREAS[name](model)
    return Analysis(
        model=model.name,
        scheme=model.scheme,
        loss_convention=model.loss_convention,
        verdict=verdict(records, model.scheme),
        **records,
    )


def results_json(identity: Mapping[str, str], verdict: Mapping[str, Any], summary: Sequence[str], areas: Mapping[str, Any]) -> dict[str, Any]:
    """results.json, the one builder: the schema tag, the version, the model's identity, the
    verdict, the summary lines, then each area's plain results under its name; ``identity`` is the
    model's ``{"name", "scheme", "loss_convention"}`` (the report's
    :func:`otr_theory.report.build.results_of` and :func:`results_document` both call it)."""
    from otr_theory._version import version

    doc: dict[str, Any] = {
        "schema": RESULTS_SCHEMA_ID,
        "otr_theory_version": version(),
        "model": dict(identity),
        "verdict": dict(verdict),
        "summary": list(summary),
    }
    doc.update(areas)
    return doc


def results_document(analysis: Analysis, summary: Sequence[str] = ()) -> dict[str, Any]:
    """results.json of an :class:`Analysis` (plain JSON, :mod:`otr_theory.jsonio`)."""
    identity = {"name": analysis.model, "scheme": analysis.scheme, "loss_convention": analysis.loss_convention}
    areas = {name: rec.to_dict() for name, rec in analysis.records().items()}
    return results_json(identity, analysis.verdict.to_dict(), summary, areas)


def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of results.json, generated from the records' type hints
    (:func:`otr_theory.records.schema_of`); shipped as ``otr_theory/schemas/results.schema.json``."""
    areas = {name: schema_of(cls) for name, cls in _AREA_TYPES.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/otr-theory/otr-theory/schemas/results.schema.json",
        "title": "otr-theory results.json",
        "description": "Everything a report found for one model: the verdict and one record per area, generated from the "
        "records' type hints (otr_theory.analysis.results_schema). Exact values are {value, exact}; non-finite "
        "numbers are the strings inf, -inf, nan.",
        "type": "object",
        "properties": {
            "schema": {"const": RESULTS_SCHEMA_ID},
            "otr_theory_version": {"type": "string", "minLength": 1},
            "model": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "scheme": {"type": "string"}, "loss_convention": {"type": "string"}},
                "required": ["name", "scheme", "loss_convention"],
            },
            "verdict": schema_of(Verdict),
            "summary": {"type": "array", "items": {"type": "string"}},
            **areas,
        },
        "required": ["schema", "otr_theory_version", "model", "verdict", "summary"],
    }


_AREA_TYPES: dict[str, type] = {
    "theorems": TheoremsAnalysis,
    "regimes": RegimeAnalysis,
    "incentives": IncentivesAnalysis,
    "deterrence": DeterrenceAnalysis,
    "equilibria": EquilibriaAnalysis,
    "dispute": DisputeAnalysis,
    "calibration": CalibrationAnalysis,
    "simulation": SimulationAnalysis,
    "parameters": ModelParameters,
}
