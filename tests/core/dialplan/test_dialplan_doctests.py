"""The examples in the dialplan docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ariel.core.dialplan.args",
    "ariel.core.dialplan.callerid",
    "ariel.core.dialplan.cstrings",
    "ariel.core.dialplan.expr_values",
    "ariel.core.dialplan.expressions",
    "ariel.core.dialplan.functions",
    "ariel.core.dialplan.patterns",
    "ariel.core.dialplan.posix_regex",
    "ariel.core.dialplan.timing",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
