"""``otr-analyze measure-gpu``: option parsing and the exits without PyTorch or a GPU run on any
machine; a toy-size CPU measurement runs where PyTorch is installed."""

from __future__ import annotations

import csv
import io
import json
import sys
import types

import jsonschema
import pytest

from otr_theory.calibration import measure_gpu as G
from otr_theory.calibration.data import calibration_dir
from otr_theory.cli import main
from otr_theory.cli.measure_gpu import parse_grid, parse_shapes
from otr_theory.schemas import load

TOY = ["measure-gpu", "--shapes", "toy", "--device", "cpu", "--dtype", "float32", "--repeats", "2", "--warmup", "1", "--decode", "16:1,2", "--prefill", "8:1", "--layers", "2", "--date", "2026-01-01"]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError


@pytest.fixture
def torch_without_gpu(monkeypatch):
    fake = types.ModuleType("torch")
    fake.__version__ = "0.0+fake"
    fake.cuda = types.SimpleNamespace(is_available=lambda: False, device_count=lambda: 0)
    monkeypatch.setitem(sys.modules, "torch", fake)


def test_without_pytorch_exit_3_one_line_nothing_written(no_torch, capsys, tmp_path):
    out = tmp_path / "rows.csv"
    code, stdout, err = run(["measure-gpu", "--out", str(out)], capsys)
    assert code == 3
    assert stdout == ""
    assert err.strip().count("\n") == 0 and "PyTorch is not installed" in err and "otr-theory[gpu]" in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("device", ["cuda", "cuda:1"])
def test_without_a_gpu_exit_3(torch_without_gpu, capsys, device):
    code, stdout, err = run(["measure-gpu", "--device", device], capsys)
    assert code == 3 and stdout == ""
    assert f"--device {device}: no CUDA GPU" in err and "--device cpu" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shapes", "llama-9000b"], "--shapes: must be among llama-70b, llama-8b, toy (got llama-9000b)"),
        (["--shapes", ","], "--shapes: must be among"),
        (["--decode", "256:1,,2"], "--decode: each item must be CTX:B1,B2,..."),
        (["--prefill", "0:1"], "--prefill: each item must be CTX:B1,B2,... with integers >= 1 (got '0:1')"),
        (["--shapes", "toy", "--layers", "5"], "--layers: must be <= 4, the layers of toy (got 5)"),
        (["--layers-70b", "81"], "--layers-70b: must be <= 80, the layers of llama-70b (got 81)"),
        (["--device", "tpu"], "--device: must be cpu, cuda or cuda:N (got 'tpu')"),
        (["--date", "yesterday"], "--date: must be a date YYYY-MM-DD (got 'yesterday')"),
    ],
)
def test_bad_options_exit_2_before_pytorch_is_needed(no_torch, capsys, args, message):
    code, stdout, err = run(["measure-gpu", *args], capsys)
    assert code == 2 and stdout == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_out_that_is_a_folder_is_bad_input(no_torch, capsys, tmp_path):
    code, _, err = run(["measure-gpu", "--out", str(tmp_path)], capsys)
    assert code == 2 and "is a folder, not a file" in err


def test_click_types_are_usage_errors(capsys):
    code, _, err = run(["measure-gpu", "--repeats", "0"], capsys)
    assert code == 2 and "--repeats" in err
    code, _, err = run(["measure-gpu", "--dtype", "int8"], capsys)
    assert code == 2 and "--dtype" in err


def test_grid_and_shapes_parsing():
    assert parse_grid("--decode", ["256:1,16,64 1024:1,8", "4096:1"]) == ((256, (1, 16, 64)), (1024, (1, 8)), (4096, (1,)))
    assert parse_grid("--decode", []) is None
    assert parse_shapes(["llama-8b, toy", "llama-8b"], list(G.SHAPES)) == ("llama-8b", "toy")


def test_the_module_keeps_the_functions_only():
    assert not hasattr(G, "main")
    assert "argparse" not in G.__dict__


def test_help_does_not_import_pytorch(capsys):
    sys.modules.pop("otr_theory.cli.measure_gpu", None)
    had_torch = "torch" in sys.modules
    assert main(["measure-gpu", "--help"]) == 0
    assert "--layers-70b" in capsys.readouterr().out
    assert ("torch" in sys.modules) == had_torch


def test_toy_run_writes_rows_in_the_shipped_format(tmp_path, capsys):
    pytest.importorskip("torch")
    out = tmp_path / "rows.csv"
    code = main([*TOY, "--out", str(out), "-q"])
    assert code == 0
    with open(calibration_dir() / "h100-llama-shaped-throughput.csv", newline="") as f:
        shipped_header = next(csv.reader(f))
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == shipped_header == list(G.COLUMNS)
    assert [(r["phase"], r["batch"], r["context_tokens"]) for r in rows] == [("decode", "1", "16"), ("decode", "2", "16"), ("prefill", "1", "8")]
    for r in rows:
        assert r["source"].startswith("measured for this project on the CPU") and r["source"].endswith("2026-01-01")
        assert "2 of 4 layers" in r["note"]
        assert float(r["tokens_per_s"]) > 0


def test_toy_run_json_validates_against_the_schema(capsys):
    pytest.importorskip("torch")
    code, stdout, _ = run([*TOY, "--json", "-q"], capsys)
    assert code == 0
    doc = json.loads(stdout)
    jsonschema.Draft202012Validator(load("measure-gpu")).validate(doc)
    assert [r["phase"] for r in doc["rows"]] == ["decode", "decode", "prefill"]
    assert doc["rows"][0]["tflops"] is None and doc["rows"][2]["weight_read_gb_per_s"] is None


def test_the_schema_rejects_a_wrong_row():
    s = load("measure-gpu")
    good = {"schema": "otr-theory/measure-gpu/v1", "otr_theory_version": "0.1.0", "columns": list(G.COLUMNS), "rows": []}
    jsonschema.Draft202012Validator(s).validate(good)
    bad = dict(good, rows=[{"model_shape": "toy", "phase": "train"}])
    assert not jsonschema.Draft202012Validator(s).is_valid(bad)
