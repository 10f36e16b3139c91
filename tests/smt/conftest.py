"""Shared fixtures of the SMT tests: the default model's parameters and its full check (once)."""

from __future__ import annotations

import pytest

from otr_theory.model import load_model
from otr_theory.smt.params import Params
from otr_theory.smt.theorems import check, load_theorems


@pytest.fixture(scope="session")
def params():
    return Params.from_model(load_model())


@pytest.fixture(scope="session")
def default_report():
    return check(load_model())


@pytest.fixture(scope="session")
def theorems_by_number():
    return {t.number: t for t in load_theorems()}
