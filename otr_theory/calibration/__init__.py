"""Calibrated costs, latencies and throughputs, and the data and fits behind them.

* :mod:`~otr_theory.calibration.analysis`: :func:`~otr_theory.calibration.analysis.analyse`, the
  whole calibration answer of a model as one record (:class:`~otr_theory.calibration.analysis.CalibrationAnalysis`);
* :mod:`~otr_theory.calibration.costs`: cost, latency and throughput of one query for every scheme;
  :func:`~otr_theory.calibration.costs.cost_per_query`, the named variants of the cost per query;
* :mod:`~otr_theory.calibration.data`: the calibration data (CSV rows with their sources);
* :mod:`~otr_theory.calibration.fits`: fitted models with uncertainty, refusing silent extrapolation;
* :mod:`~otr_theory.calibration.uncertainty`: sampled distributions of cost and latency;
* :mod:`~otr_theory.calibration.claims`: the paper's headline claims checked against the models;
* :mod:`~otr_theory.calibration.measure_gpu`: the PyTorch throughput measurement (optional extra).
"""

from otr_theory.calibration.costs import (
    CostPerQuery,
    QueryCost,
    QueryLatency,
    cost_per_query,
    queries_per_window,
    query_cost,
    query_latency,
    relative_throughput,
    throughput,
)

__all__ = ["CostPerQuery", "QueryCost", "QueryLatency", "cost_per_query", "queries_per_window", "query_cost", "query_latency", "relative_throughput", "throughput"]
