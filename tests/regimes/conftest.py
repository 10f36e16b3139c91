"""Fixtures of the regime tests: the default model and model files written from its text."""

from __future__ import annotations

import re

import pytest

from otr_theory.model import default_model_path


@pytest.fixture(scope="session")
def model_text() -> str:
    return default_model_path().read_text(encoding="utf-8")


@pytest.fixture()
def write_model(tmp_path, model_text):
    """``write_model(name, **{field: value})``: the default model file with some values replaced."""

    def write(name: str, **values: float):
        text = model_text
        for field, value in values.items():
            pattern = re.compile(rf"^({field} = \{{ value = )([^,]+)(,)", re.M)
            text, n = pattern.subn(rf"\g<1>{value}\g<3>", text)
            assert n == 1, field
            # the new value may lie outside the field's uncertainty range: drop the range
            text = re.sub(rf"^({field} = \{{.*?), (?:low|high) = [^,}}]+", r"\g<1>", text, flags=re.M)
            text = re.sub(rf"^({field} = \{{.*?), (?:low|high) = [^,}}]+", r"\g<1>", text, flags=re.M)
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
