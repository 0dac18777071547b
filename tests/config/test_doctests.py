"""The examples in the docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ariel.config",
    "ariel.config.values",
    "ariel.config.parser",
    "ariel.config.pjsip_tables",
    "ariel.config.dialplan_lines",
    "ariel.config.indications",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
