"""Fixtures for the game tests: the copied Gambit games (tests/data/gambit-games)."""

from __future__ import annotations

from pathlib import Path

import pytest

GAMBIT = Path(__file__).resolve().parent.parent / "data" / "gambit-games"


@pytest.fixture(scope="session")
def gambit_dir() -> Path:
    return GAMBIT
