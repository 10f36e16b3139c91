"""Calibrated costs, latencies and throughputs, and the data and fits behind them.

* :mod:`~otr_theory.calibration.costs`: cost, latency and throughput of one query for every scheme;
* :mod:`~otr_theory.calibration.data`: the calibration data (CSV rows with their sources);
* :mod:`~otr_theory.calibration.fits`: fitted models with uncertainty, refusing silent extrapolation;
* :mod:`~otr_theory.calibration.uncertainty`: sampled distributions of cost and latency;
* :mod:`~otr_theory.calibration.claims`: the paper's headline claims checked against the models;
* :mod:`~otr_theory.calibration.measure_gpu`: the PyTorch throughput measurement (optional extra).
"""

from otr_theory.calibration.costs import QueryCost, QueryLatency, query_cost, query_latency, relative_throughput, throughput

__all__ = ["QueryCost", "QueryLatency", "query_cost", "query_latency", "relative_throughput", "throughput"]
