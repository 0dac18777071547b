"""Diagnostics render as file:line: message; ConfigError carries them all."""

from __future__ import annotations

import pytest

from ariel.config.diagnostics import ConfigError, Diagnostic, Reporter
from ariel.config.parser import Option


def test_diagnostic_renders_as_file_line_message() -> None:
    diagnostic = Diagnostic(file="pjsip.conf", line=12, message="boom", severity="warning")
    assert str(diagnostic) == "pjsip.conf:12: boom"
    assert not diagnostic.is_error


def test_diagnostic_defaults_to_error() -> None:
    assert Diagnostic(file="a", line=1, message="m").is_error


def test_config_error_carries_every_diagnostic_and_lists_them() -> None:
    problems = (
        Diagnostic(file="a.conf", line=1, message="one"),
        Diagnostic(file="b.conf", line=2, message="two"),
    )
    with pytest.raises(ConfigError) as caught:
        raise ConfigError(problems)
    assert caught.value.diagnostics == problems
    assert str(caught.value) == "a.conf:1: one\nb.conf:2: two"


def test_reporter_keeps_order_and_drops_exact_repeats() -> None:
    report = Reporter()
    where = Option(key="k", value="v", file="t.conf", line=3)
    report.warning(where, "w")
    report.error(where, "e")
    report.warning(where, "w")
    assert [str(d) for d in report.diagnostics] == ["t.conf:3: w", "t.conf:3: e"]
    assert [d.message for d in report.errors] == ["e"]
