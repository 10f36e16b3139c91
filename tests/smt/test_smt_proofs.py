"""The theorem files of proofs/: found, complete, and independent of any protocol's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otr_theory.smt.theorems import TheoremFileError, load_theorems, proofs_root
from otr_theory.smt.vocabulary import TIERS


def test_ten_theorems_with_statements():
    ths = load_theorems()
    assert [t.number for t in ths] == list(range(1, 11))
    assert [t.name for t in ths] == [
        "validity",
        "honest_safety",
        "bounded_resolution",
        "conservation",
        "attestation_binding",
        "spot_check_unpredictability",
        "incentive_compatibility",
        "accountability",
        "griefing_cost",
        "liveness",
    ]
    for t in ths:
        assert len(t.statement) > 80, t.name
        assert set(t.requires) <= set(TIERS)
        assert t.file == f"t{t.number}_{t.name}.py"


def test_proof_files_mention_no_protocol_numbers():
    """The statements and properties do not change when parameters change: no literals but small ones (and NUMBER)."""
    for path in sorted(proofs_root().glob("t*.py")):
        code = re.sub(r'""".*?"""', "", path.read_text(), flags=re.S)
        code = re.sub(r'"[^"\n]*"', "", code)
        numbers = {n for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", code)}
        assert numbers <= {str(n) for n in range(11)}, (path.name, numbers)


def test_proofs_root_is_the_source_checkout_here():
    root = proofs_root()
    assert (root / "t1_validity.py").exists()
    assert root == Path(__file__).resolve().parents[2] / "proofs" or root.name == "_proofs"


def test_broken_theorem_files_are_refused(tmp_path):
    (tmp_path / "t1_x.py").write_text("NUMBER = 1\nNAME = 'x'\nTITLE = 'X'\nKIND = 'invariant'\nREQUIRES = ('nope',)\ndef clauses(s, L):\n    return []\n")
    with pytest.raises(TheoremFileError, match="unknown tiers"):
        load_theorems(tmp_path)
    (tmp_path / "t1_x.py").write_text("NUMBER = 1\n")
    with pytest.raises(TheoremFileError, match="NAME is missing"):
        load_theorems(tmp_path)
    (tmp_path / "t1_x.py").write_text("NUMBER = 1\nNAME = 'x'\nTITLE = 'X'\nKIND = 'box'\nREQUIRES = ()\ndef clauses(s, L):\n    return []\n")
    with pytest.raises(TheoremFileError, match="payoff"):
        load_theorems(tmp_path)
