"""Gas of each on-chain action at a chosen gas and token price, and the capital cost of the stake.

Gas estimates built from EVM constants (``gas-constants`` rows; ours, labelled derived):

* commitment stored in a new slot: :math:`21000 + 16 \\cdot 32 + (20000 + 2100) = 43{,}612`;
  emitted as an event only: :math:`21000 + 16 \\cdot 32 + 375 + 375 + 8 \\cdot 32 = 22{,}518`;
* Groth16 verification with :math:`\\ell` public inputs:
  :math:`181{,}150 + 6{,}150\\,\\ell + 4{,}096` (exact form) or :math:`207{,}700 + 7{,}160\\,\\ell`
  (empirical);
* one bisection move (post a 32-byte midpoint hash and an index, update two new slots):
  :math:`21000 + 16 \\cdot 64 + 2\\,(20000 + 2100) = 66{,}224`;
* the attestation check per commitment: one P-256 signature with the EIP-7951 precompile,
  6,900 gas, plus 160 bytes of calldata.

A full dispute costs :math:`g_{open} + \\lceil \\log_k N \\rceil g_{step}` (see
:func:`otr_theory.calibration.costs.dispute_gas`).

Capital: the stake S at the yearly rate r costs :math:`S r W / \\text{year}` per window W. Per query,
under the default *replica* scope (one stake backs everything a replica serves),
:math:`S r / (\\text{year} \\cdot q)` with q the replica's queries/s; under the *commitment* scope
(a bond per commitment, locked for W), :math:`S r W / (\\text{year} \\cdot N_{commit})`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

from otr_theory.calibration.costs import ATTESTATION_GAS_PER_COMMIT, SECONDS_PER_YEAR, dispute_gas, gas_usd, queries_per_window, throughput
from otr_theory.calibration.data import row
from otr_theory.model import Model, bisection_rounds
from otr_theory.records import Record, quantity

__all__ = ["CapitalCost", "GasItem", "capital_cost", "derived_gas", "gas_table"]


@dataclasses.dataclass(frozen=True, repr=False)
class GasItem(Record):
    """One on-chain action: the model's gas, our estimate from EVM constants, and their USD."""

    TITLE: ClassVar[str] = "One on-chain action"

    action: str = quantity("", "the action")
    model_gas: float = quantity("gas", "the model's gas for it", source="model")
    model_field: str = quantity("", "the model field (or constant) that holds it")
    estimate_gas: float | None = quantity("gas", "our estimate from the EVM constants (None: no estimate)", source="ours: gas-constants.csv rows")
    estimate_rows: tuple[str, ...] = quantity("", "the gas-constants rows the estimate uses")
    usd: float = quantity("USD", "the model's gas at the prices", source="ours: gas x gas price x token price")
    estimate_usd: float | None = quantity("USD", "our estimate at the prices", source="ours: gas x gas price x token price")
    per: str = quantity("", "what it is paid per (commitment, proof, challenge, ...)")


def derived_gas(public_inputs: int = 3) -> dict[str, float]:
    """Gas estimates from the EVM constants of the ``gas-constants`` table.

    >>> g = derived_gas()
    >>> g["commit_sstore"], g["commit_event"], g["bisection_move"], g["groth16_exact"]
    (43612.0, 22518.0, 66224.0, 203696.0)
    """
    c = {
        k: row("gas-constants", k)["gas"]
        for k in (
            "tx-base",
            "calldata-nonzero",
            "sstore-set",
            "cold-sload",
            "log-base",
            "log-topic",
            "log-byte",
            "groth16-base",
            "groth16-per-input",
            "groth16-calldata",
            "groth16-empirical-base",
            "groth16-empirical-per-input",
            "p256verify-osaka",
        )
    }
    slot = c["sstore-set"] + c["cold-sload"]
    return {
        "commit_sstore": c["tx-base"] + 32 * c["calldata-nonzero"] + slot,
        "commit_event": c["tx-base"] + 32 * c["calldata-nonzero"] + c["log-base"] + c["log-topic"] + 32 * c["log-byte"],
        "bisection_move": c["tx-base"] + 64 * c["calldata-nonzero"] + 2 * slot,
        "groth16_exact": c["groth16-base"] + public_inputs * c["groth16-per-input"] + c["groth16-calldata"],
        "groth16_empirical": c["groth16-empirical-base"] + public_inputs * c["groth16-empirical-per-input"],
        "attestation_check": c["p256verify-osaka"] + 160 * c["calldata-nonzero"],
    }


def gas_table(model: Model, *, gas_price_gwei: float | None = None, eth_price_usd: float | None = None) -> tuple[GasItem, ...]:
    """Gas and USD of every on-chain action of the protocol, at the model's (or the given) prices.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> t = gas_table(load_model(), gas_price_gwei=10.0)
    >>> [i.action for i in t][:2]
    ['post a commitment', 'verify a ZK proof']
    >>> round(t[0].usd, 2)  # 43,612 gas x 10 gwei x $3000
    1.31
    """
    gp = model.value("gas_price_gwei") if gas_price_gwei is None else gas_price_gwei
    ep = model.value("eth_price_usd") if eth_price_usd is None else eth_price_usd
    for name, v in (("gas_price_gwei", gp), ("eth_price_usd", ep)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
            raise ValueError(f"{name}: must be a finite number >= 0 (got {v!r})")
    d = derived_gas()
    rounds = bisection_rounds(int(model.value("trace_steps")), int(model.value("bisection_arity")))

    def usd(g):
        return None if g is None else float(gas_usd(g, gp, ep))

    items = [
        ("post a commitment", model.value("commit_gas"), "chain.commit_gas", d["commit_sstore"], ("tx-base", "calldata-nonzero", "sstore-set", "cold-sload"), "commitment"),
        ("verify a ZK proof", model.value("verify_gas"), "zk.verify_gas", d["groth16_exact"], ("groth16-base", "groth16-per-input", "groth16-calldata"), "proof (3 public inputs)"),
        ("check an attestation on chain", ATTESTATION_GAS_PER_COMMIT, "costs.ATTESTATION_GAS_PER_COMMIT", d["attestation_check"], ("p256verify-osaka", "calldata-nonzero"), "commitment"),
        ("open a challenge", model.value("challenge_open_gas"), "chain.challenge_open_gas", None, (), "challenge"),
        ("one bisection move", model.value("dispute_step_gas"), "chain.dispute_step_gas", d["bisection_move"], ("tx-base", "calldata-nonzero", "sstore-set", "cold-sload"), "move"),
        (
            f"a full dispute ({rounds} moves)",
            dispute_gas(model),
            "derived",
            model.value("challenge_open_gas") + rounds * d["bisection_move"],
            ("tx-base", "calldata-nonzero", "sstore-set", "cold-sload"),
            "dispute",
        ),
    ]
    return tuple(GasItem(a, float(g), f, None if e is None else float(e), rows, usd(g), usd(e), per) for a, g, f, e, rows, per in items)


@dataclasses.dataclass(frozen=True, repr=False)
class CapitalCost(Record):
    """Capital cost of the locked stake (simple interest over the Julian year, ours)."""

    TITLE: ClassVar[str] = "Capital cost of the stake"

    stake_usd: float = quantity("USD", "the stake", source="model: economics.stake_usd")
    rate_per_year: float = quantity("1/year", "capital cost rate", source="model: economics.capital_cost_rate_per_year")
    window_s: float = quantity("s", "the challenge window", source="model: protocol.window_s")
    per_year_usd: float = quantity("USD", "stake x rate", source="ours")
    per_window_usd: float = quantity("USD", "stake x rate x W / year", source="ours")
    per_query_replica_usd: float = quantity("USD/query", "one stake per replica backing every query it serves: stake x rate / (year x q)", source="ours")
    per_query_commitment_usd: float = quantity("USD/query", "one bond per commitment locked for W: stake x rate x W / (year x N_commit)", source="ours")
    queries_per_window: float = quantity("count", "queries one replica serves in W at full load (floor(W q), the one definition)", source="ours: payoffs.full_load_queries")


def capital_cost(model: Model) -> CapitalCost:
    """Capital cost of the stake over a year, a window and per query under both scopes.

    >>> from otr_theory.model import load_model
    >>> c = capital_cost(load_model())
    >>> round(c.per_window_usd, 2)  # 100,000 x 5% x 1 day / 365.25 days
    13.69
    """
    s, r, w = model.value("stake_usd"), model.value("capital_cost_rate_per_year"), model.value("window_s")
    per_s = s * r / SECONDS_PER_YEAR
    q = throughput(model)
    return CapitalCost(
        stake_usd=s,
        rate_per_year=r,
        window_s=w,
        per_year_usd=s * r,
        per_window_usd=per_s * w,
        per_query_replica_usd=per_s / q,
        per_query_commitment_usd=per_s * w / model.value("queries_per_commit"),
        queries_per_window=float(queries_per_window(model)),  # the one definition: floor(W x replica rate)
    )
