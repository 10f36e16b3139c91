"""The verifiability trilemma: integrity, latency and cost of every scheme, as a table and a figure.

*Integrity* is measured (ours) as the probability that one cheated query -- a wrong output or a
model downgrade -- is caught:

.. math::

    P_{det} = 1 - \\bigl(1 - a\\,(1 - h)\\bigr)(1 - \\rho)(1 - q)

with a = 1 when the scheme checks a TEE attestation (PoEA: a downgrade fails attestation), h the
fraction of time a given prover can forge attestations (:math:`h = f (1 - e^{-\\lambda D})`: the
compromised fraction f times the share of time a vulnerability is open, from the ``[tee]``
fields; the one definition, :func:`otr_theory.payoffs.compromise_probability`), rho the proof rate (1 for ZKML) and q the challengers' detection. Two columns are
reported: challengers idle (q = 0, the verifier's dilemma's worst case) and monitoring
(q = 1 where the scheme has challengers who re-execute: OTR and opML; PoQ's quality validators
do not re-execute and cannot tell a downgrade, so q = 0 there -- notes §3).

*Latency*: time to provisional and to final finality (:mod:`~otr_theory.calibration.costs`).
*Cost*: total USD per query. Both with the 5--95% range of :func:`~otr_theory.calibration.uncertainty.propagate`.
The figure is drawn by the report section (:mod:`otr_theory.report.sections.calibration`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from otr_theory.calibration.costs import query_cost, query_latency, relative_throughput
from otr_theory.calibration.uncertainty import propagate
from otr_theory.model import Model, load_model, model_paths

__all__ = ["INTEGRITY_BASIS", "TrilemmaRow", "detection_probability", "tee_forgeable_share", "trilemma"]

INTEGRITY_BASIS = {
    "centralized": "trust in the operator",
    "otr": "TEE attestation (PoEA) + fraud proofs + ZK spot-checks",
    "zkml": "a ZK proof of every query",
    "opml": "fraud proofs, one honest verifier (AnyTrust)",
    "poq": "quality scores of small validators; downgrade not detected",
}
"""What each scheme's integrity rests on."""

SCHEME_ORDER = ("centralized", "otr", "zkml", "opml", "poq")


def tee_forgeable_share(model: Model) -> float:
    """Fraction h of time a given prover can forge attestations: f (1 - exp(-lambda D / year)),
    the one definition :func:`otr_theory.payoffs.compromise_probability`.

    >>> round(tee_forgeable_share(load_model()), 4)  # 0.1 x (1 - exp(-0.5/year x 90 days))
    0.0116
    """
    from otr_theory.payoffs import compromise_probability

    return float(compromise_probability(model))


def detection_probability(model: Model, *, monitoring: bool) -> float:
    """Probability that one cheated query is caught (module docstring).

    >>> detection_probability(load_model("zkml"), monitoring=False)
    1.0
    >>> detection_probability(load_model("centralized"), monitoring=True)
    0.0
    """
    a = 1.0 if model.protocol.attestation_check else 0.0
    h = tee_forgeable_share(model)
    rho = model.value("spot_check_rate")
    q = 1.0 if monitoring and model.scheme in ("otr", "opml") and model.value("count") > 0 else 0.0
    return float(1.0 - (1.0 - a * (1.0 - h)) * (1.0 - rho) * (1.0 - q))


@dataclasses.dataclass(frozen=True)
class TrilemmaRow:
    """One scheme in the trilemma table."""

    scheme: str
    model_name: str
    integrity_basis: str
    detection_idle: float
    detection_monitored: float
    cost_usd: float
    cost_q05: float
    cost_q95: float
    overhead_usd: float
    provisional_s: float
    provisional_q05: float
    provisional_q95: float
    final_s: float
    final_q05: float
    final_q95: float
    relative_throughput: float


def trilemma(models: Mapping[str, Model] | None = None, *, samples: int = 2000, seed: int = 0) -> tuple[TrilemmaRow, ...]:
    """The trilemma table: one row per scheme (default: the shipped models).

    Examples
    --------
    >>> rows = {r.scheme: r for r in trilemma(samples=200)}
    >>> rows["zkml"].cost_usd > rows["otr"].cost_usd > rows["centralized"].cost_usd
    True
    >>> rows["opml"].final_s > rows["otr"].final_s > rows["zkml"].final_s
    True
    """
    if models is None:
        models = {k: load_model(p) for k, p in model_paths().items()}
    ordered = sorted(models.items(), key=lambda kv: (SCHEME_ORDER.index(kv[1].scheme) if kv[1].scheme in SCHEME_ORDER else 99, kv[0]))
    out = []
    for _, m in ordered:
        c, lat = query_cost(m), query_latency(m)
        u = propagate(m, samples=samples, seed=seed)
        out.append(
            TrilemmaRow(
                scheme=m.scheme,
                model_name=m.name,
                integrity_basis=INTEGRITY_BASIS.get(m.scheme, m.scheme),
                detection_idle=detection_probability(m, monitoring=False),
                detection_monitored=detection_probability(m, monitoring=True),
                cost_usd=c.total_usd,
                cost_q05=u["total_usd"].quantiles["q05"],
                cost_q95=u["total_usd"].quantiles["q95"],
                overhead_usd=c.overhead_usd,
                provisional_s=lat.provisional_s,
                provisional_q05=u["provisional_s"].quantiles["q05"],
                provisional_q95=u["provisional_s"].quantiles["q95"],
                final_s=lat.final_s,
                final_q05=u["final_s"].quantiles["q05"],
                final_q95=u["final_s"].quantiles["q95"],
                relative_throughput=relative_throughput(m),
            )
        )
    return tuple(out)
