"""The parsed form of a ``.conf`` file: sections of options that remember where they came from.

Sections form an ordered list, not a mapping, because names repeat (pjsip.conf
declares ``[SOFTPHONE_A]`` as an endpoint and again as an aor).  Lookups by
name compare case-insensitively, as Asterisk does.  :func:`format_conf` writes
sections back as text that parses to the same options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ariel.config.diagnostics import Diagnostic

__all__ = ["ConfFile", "Operator", "Option", "Section", "format_conf"]

Operator = Literal["=", "=>"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One ``key = value`` (or ``key => value``) line.

    Attributes:
        key: The option name as written.
        value: The value, trimmed, comments removed, ``\\;`` unescaped.
        op: ``"="`` or ``"=>"`` (the object form used by ``exten =>``).
        file: Where the line was written (a template's file for inherited options).
        line: The 1-based line number.
    """

    key: str
    value: str
    op: Operator = "="
    file: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A ``[name]`` section with its options in order (inherited ones first).

    Attributes:
        name: The section name as written.
        options: Every option, in order; keys may repeat.
        is_template: Whether the section was declared with ``(!)``.
        templates: The sections it inherited from, in order.
        file: Where the header was written.
        line: The header's line number.
    """

    name: str
    options: tuple[Option, ...] = ()
    is_template: bool = False
    templates: tuple[str, ...] = ()
    file: str
    line: int

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of the last option called ``key`` (case-insensitive)."""
        wanted = key.lower()
        for option in reversed(self.options):
            if option.key.lower() == wanted:
                return option.value
        return default

    def get_all(self, key: str) -> tuple[str, ...]:
        """The values of every option called ``key`` (case-insensitive), in order."""
        wanted = key.lower()
        return tuple(o.value for o in self.options if o.key.lower() == wanted)

    def is_named(self, name: str) -> bool:
        """Whether the section is called ``name`` (case-insensitive, as Asterisk compares)."""
        return self.name.lower() == name.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfFile:
    """A parsed configuration file with everything it included.

    Attributes:
        filename: The name diagnostics use for the top-level file.
        sections: Every section, templates included, in order of appearance.
        diagnostics: Errors and warnings found while parsing.
        included: The names of the files read through ``#include``.
    """

    filename: str
    sections: tuple[Section, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    included: tuple[str, ...] = ()

    def find(self, name: str, *, templates: bool = False) -> tuple[Section, ...]:
        """Every section called ``name``; templates only when asked for."""
        return tuple(
            s for s in self.sections if s.is_named(name) and (templates or not s.is_template)
        )

    def first(self, name: str) -> Section | None:
        """The first non-template section called ``name``, if any."""
        found = self.find(name)
        return found[0] if found else None

    @property
    def objects(self) -> tuple[Section, ...]:
        """The sections that are not templates (what Asterisk modules see)."""
        return tuple(s for s in self.sections if not s.is_template)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error diagnostics."""
        return tuple(d for d in self.diagnostics if d.is_error)


def format_conf(sections: tuple[Section, ...] | list[Section]) -> str:
    """Write sections back as configuration text that parses to the same options.

    Inheritance is flattened (each section lists all of its options) and ``;`` in
    keys and values is escaped.
    """
    lines: list[str] = []
    for section in sections:
        name = section.name.replace(";", "\\;")
        lines.append(f"[{name}](!)" if section.is_template else f"[{name}]")
        for option in section.options:
            key = option.key.replace(";", "\\;")
            if key[0] in "[#\\":
                key = "\\" + key
            lines.append(f"{key} {option.op} {option.value.replace(';', chr(92) + ';')}")
        lines.append("")
    return "\n".join(lines)
