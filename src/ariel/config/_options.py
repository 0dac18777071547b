"""Option tables: how a section's ``key = value`` lines become dataclass fields.

Theory of operation: each model declares a table from option name (lower case)
to a :class:`Spec` (the field to fill and the converter to apply).  Options are
applied in order, so the last one wins, except that specs marked ``accumulate``
concatenate their tuples (``contact``, ``match``, ``permit`` may repeat).  Names
in the model's ``known`` set are accepted and kept as raw text in ``extra``;
anything else is a warning.  A converter's ``ValueError`` becomes an error at the
option's file and line.  The resulting dict feeds the dataclass constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ariel.config.diagnostics import Reporter
from ariel.config.parser import Section
from ariel.config.values import parse_bool, parse_int, parse_list

__all__ = [
    "Spec",
    "boolean",
    "choice",
    "integer",
    "listing",
    "read_section",
    "section_type",
    "table",
    "text",
    "words",
]

Converter = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class Spec:
    """Where an option goes and how its text is read."""

    attr: str
    convert: Converter
    accumulate: bool = False


def text(value: str) -> str:
    """Keep the text as written."""
    return value


def words(names: str) -> tuple[str, ...]:
    """Split a whitespace-separated list of option names (for ``known`` sets)."""
    return tuple(names.split())


def boolean(value: str) -> bool:
    """A yes/no option."""
    return parse_bool(value)


def listing(value: str) -> tuple[str, ...]:
    """A comma-separated list."""
    return parse_list(value)


def integer(minimum: int | None = None, maximum: int | None = None) -> Converter:
    """A whole number within optional bounds."""

    def convert(value: str) -> int:
        return parse_int(value, minimum=minimum, maximum=maximum)

    return convert


def choice(*words: str) -> Converter:
    """One of a fixed set of words (case-insensitive); returns it in lower case."""
    allowed = tuple(w.lower() for w in words)

    def convert(value: str) -> str:
        word = value.strip().lower()
        if word not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return word

    return convert


def table(entries: Mapping[str, Converter | Spec]) -> dict[str, Spec]:
    """Build a spec table; a bare converter fills the field named like the option."""
    return {
        key.lower(): entry if isinstance(entry, Spec) else Spec(key, entry)
        for key, entry in entries.items()
    }


def read_section(
    section: Section,
    specs: Mapping[str, Spec],
    report: Reporter,
    *,
    kind: str,
    known: Iterable[str] = (),
    skip: Iterable[str] = ("type",),
) -> tuple[dict[str, Any], dict[str, str]]:
    """Apply a section's options to a spec table.

    Args:
        section: The section to read.
        specs: Option name (lower case) to spec.
        report: Where problems go.
        kind: What the section is, for messages (``"endpoint"``, ``"[general]"``);
            messages name the option's line, not the section, so an option
            inherited by many sections is reported once.
        known: Option names Asterisk accepts that the model keeps only as text.
        skip: Option names handled by the caller.

    Returns:
        Field values for the model's constructor, and the known-but-unmodelled
        options (lower-case name to last value).
    """
    known_names = {k.lower() for k in known}
    skipped = {k.lower() for k in skip}
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for option in section.options:
        key = option.key.lower()
        if key in skipped:
            continue
        spec = specs.get(key)
        if spec is None:
            if key in known_names:
                extra[key] = option.value
            else:
                report.warning(option, f"unknown {kind} option '{option.key}'")
            continue
        try:
            value = spec.convert(option.value)
        except ValueError as exc:
            report.error(option, f"bad value for '{option.key}': {exc}")
            continue
        if spec.accumulate:
            values[spec.attr] = values.get(spec.attr, ()) + tuple(value)
        else:
            values[spec.attr] = value
    return values, extra


def section_type(section: Section, report: Reporter, known: tuple[str, ...], file: str) -> str:
    """The section's ``type`` in lower case, or ``""`` after reporting why not.

    Args:
        section: The section.
        report: Where a missing or unknown type is reported (as an error).
        known: The types the file allows.
        file: The file's name, for the message.
    """
    declared = section.get("type")
    if declared is None or not declared.strip():
        report.error(section, f"section [{section.name}] in {file} has no 'type'")
        return ""
    kind = declared.strip().lower()
    if kind not in known:
        report.error(section, f"section [{section.name}] has unknown type '{declared}'")
        return ""
    return kind
