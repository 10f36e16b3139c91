"""Shared fixtures: the default model and its raw TOML dict."""

from __future__ import annotations

import tomllib

import pytest

from otr_theory.model import default_model_path, load_model


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture()
def raw_model():
    """A fresh, mutable dict of the default model file."""
    with open(default_model_path(), "rb") as f:
        return tomllib.load(f)
