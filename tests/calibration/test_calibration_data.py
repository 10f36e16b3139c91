"""Calibration tables: every row has its source, date, hardware and status; bad tables are refused."""

from __future__ import annotations

import csv

import pytest

from otr_theory.calibration import data as D
from otr_theory.calibration.costs import ATTESTATION_GAS_PER_COMMIT, VERIFIER_CPU_USD_PER_HOUR
from otr_theory.model import load_model


@pytest.mark.parametrize("name", D.TABLES)
def test_every_row_is_sourced(name):
    t = D.load_table(name)
    assert len(t) >= 1
    assert t.columns[-len(D.COMMON_COLUMNS) :] == D.COMMON_COLUMNS
    for r in t:
        assert r["status"] in D.STATUSES
        assert r["source_title"] and r["date"]
        assert r["hardware"] is not None
        if r["status"] != "assumed":
            assert r["source_url"].startswith("https://"), r.id


def test_h100_table_is_mapped_and_kept():
    t = D.h100_throughput()
    assert len(t) == 32
    for r in t:
        assert r["status"] == "primary" and r["date"] == "2026-11-27"
        assert "H100" in r["hardware"]
        # independent check of the CSV's own arithmetic: tokens/s = batch (decode) or batch x context (prefill) / step
        n = r["batch"] if r["phase"] == "decode" else r["batch"] * r["context_tokens"]
        assert n / (r["step_ms"] / 1000) == pytest.approx(r["tokens_per_s"], rel=5e-3)


def test_constants_in_code_match_their_rows():
    assert D.row("gas-constants", "p256verify-osaka")["gas"] == ATTESTATION_GAS_PER_COMMIT
    assert D.row("gpu-prices", "cpu-core-hour")["usd_per_gpu_hour"] == VERIFIER_CPU_USD_PER_HOUR


def test_model_values_traceable_to_rows(model):
    """The default model's throughputs come from the fits of the H100 table, whose measured rows lie in
    the ranges the model declares; the claims are rows too."""
    h = D.h100_throughput()
    for field, row_id in (("decode_tokens_per_s_per_gpu", "llama-70b/decode/b64/ctx1024"), ("prefill_tokens_per_s_per_gpu", "llama-70b/prefill/b1/ctx2048")):
        q = model.quantity(field)
        assert q.low <= h.by_id(row_id)["tokens_per_s"] <= q.high
        assert model.source_of(field).url.endswith("h100-llama-shaped-throughput.csv")
    assert D.row("protocol-numbers", "otr-rho")["value"] == model.value("spot_check_rate")
    assert D.row("protocol-numbers", "opml-window")["value"] == load_model("opml").value("window_s")
    # the ZKML baseline's proof cost follows the proof-cost fit; the $45 claim stays a row, judged in claims
    assert load_model("zkml").value("proof_cost_usd") == model.value("proof_cost_usd")


def test_calibration_dir_is_package_data():
    assert (D.calibration_dir() / "h100-llama-shaped-throughput.csv").is_file()
    assert D.calibration_dir().parent.name in ("models", "_models")


def _write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerows(rows)


HEADER = ["id", "gas", *D.COMMON_COLUMNS]


@pytest.mark.parametrize(
    "row,match",
    [
        (["a", "1", "L1", "2025", "rumour", "t", "https://x", ""], "status"),
        (["a", "1", "L1", "2025", "primary", "t", "", ""], "source_url"),
        (["a", "1", "L1", "", "primary", "t", "https://x", ""], "date"),
        (["", "1", "L1", "2025", "primary", "t", "https://x", ""], "id"),
    ],
)
def test_malformed_table_is_refused(tmp_path, monkeypatch, row, match):
    (tmp_path / "calibration").mkdir()
    _write(tmp_path / "calibration" / "gas-constants.csv", [HEADER, row])
    monkeypatch.setattr(D, "calibration_dir", lambda: tmp_path / "calibration")
    D.load_table.cache_clear()
    try:
        with pytest.raises(D.CalibrationDataError, match=match) as err:
            D.load_table("gas-constants")
        assert "gas-constants.csv:2" in str(err.value)
        assert isinstance(err.value, ValueError)
    finally:
        D.load_table.cache_clear()


def test_repeated_id_and_unknown_table(tmp_path, monkeypatch):
    (tmp_path / "calibration").mkdir()
    ok = ["a", "1", "L1", "2025", "assumed", "ours", "", ""]
    _write(tmp_path / "calibration" / "gas-constants.csv", [HEADER, ok, ok])
    monkeypatch.setattr(D, "calibration_dir", lambda: tmp_path / "calibration")
    D.load_table.cache_clear()
    try:
        with pytest.raises(D.CalibrationDataError, match="repeated"):
            D.load_table("gas-constants")
    finally:
        monkeypatch.undo()
        D.load_table.cache_clear()
    with pytest.raises(D.CalibrationDataError, match="must be one of"):
        D.load_table("nonsense")
    with pytest.raises(KeyError):
        D.load_table("gas-constants").by_id("nope")
