"""Diagnostics: what the parser and the model builders say about a configuration.

Every message carries the file and line it is about, and renders as
``file:line: message`` so editors and terminals can jump to it.  Builders never
raise on bad input; they report through a :class:`Reporter` and carry on, so one
run finds every problem.  The loader raises a single :class:`ConfigError` at the
end when any error was reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = ["ConfigError", "Diagnostic", "Located", "Reporter", "Severity"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding about a configuration file.

    Attributes:
        file: The file name, relative to the configuration directory when the
            file lies inside it.
        line: The 1-based line number.
        message: What is wrong, in one line.
        severity: ``"error"`` (the configuration is refused) or ``"warning"``.
    """

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic refuses the configuration."""
        return self.severity == "error"


class ConfigError(Exception):
    """The configuration has errors; ``diagnostics`` lists every one of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics) or "invalid configuration")


class Located(Protocol):
    """Anything that knows where it was written (sections, options, models)."""

    @property
    def file(self) -> str: ...

    @property
    def line(self) -> int: ...


class Reporter:
    """Collects diagnostics in order, dropping exact repeats.

    Options inherited from a template keep the template's file and line, so the
    same complaint can arise once per section that inherits it; it is reported once.
    """

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        """Record one diagnostic unless an identical one is already recorded."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record several diagnostics."""
        for diagnostic in diagnostics:
            self.add(diagnostic)

    def error(self, where: Located, message: str) -> None:
        """Record an error about ``where``."""
        self.add(Diagnostic(file=where.file, line=where.line, message=message, severity="error"))

    def warning(self, where: Located, message: str) -> None:
        """Record a warning about ``where``."""
        self.add(Diagnostic(file=where.file, line=where.line, message=message, severity="warning"))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Everything recorded so far, in order."""
        return tuple(self._items)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The errors recorded so far."""
        return tuple(d for d in self._items if d.is_error)
