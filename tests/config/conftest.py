"""Shared fixtures for the ariel.config tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "config"

try:  # pragma: no cover - only when the package is not installed in the venv
    import ariel  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(REPO_ROOT / "src"))


def _conformance_config() -> Path | None:
    for shared in (REPO_ROOT.parent / "shared", Path("/work/shared")):
        candidate = shared / "conformance" / "config"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture
def conformance_dir() -> Path:
    """The conformance harness's configuration directory (skips when absent)."""
    found = _conformance_config()
    if found is None:
        pytest.skip("the shared conformance directory is not available")
    return found


@pytest.fixture
def fixtures_dir() -> Path:
    """tests/fixtures/config."""
    return FIXTURES
