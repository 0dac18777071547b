"""extensions.conf: ``[general]``, ``[globals]`` and the dialplan contexts.

Theory of operation (after pbx/pbx_config.c): every non-template section other
than general/globals is a context; sections with the same name merge.  Lines are
read in order with two pieces of state that reset at each section: the last
extension (for ``same =>``) and the last priority (for ``n`` and ``s``).  So
``n`` means "one more than the line before", which for the usual layout is the
previous priority of the same extension.  ``exten => ext[/cid],prio[(label)],App(args)``
keeps the app as written and the data as the raw text inside the outermost
parentheses; ``App,args`` (no parentheses) is read too.  Nothing is evaluated:
``${VARS}`` stay as written.  Lines Asterisk would refuse to load are errors;
lines it loads with a complaint are warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ariel.config._options import boolean, read_section, table, text
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.dialplan_lines import Extension, Hint, Include, LineReader, Switch
from ariel.config.parser import ConfFile

__all__ = [
    "Context",
    "Dialplan",
    "DialplanGeneral",
    "Extension",
    "Hint",
    "Include",
    "Switch",
    "build_dialplan",
]

_SPECIAL = ("general", "globals")


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """A dialplan context.

    Attributes:
        name: The context name.
        extensions: Every extension priority, in the order written.
        includes: ``include =>`` lines, in order.
        switches: ``switch =>``/``lswitch =>``/``eswitch =>`` lines, in order.
        ignorepats: ``ignorepat =>`` patterns, in order.
        hints: ``exten => ext,hint,Device`` lines, in order.
        file: Where the (first) section header was written.
        line: Its line number.
    """

    name: str
    extensions: tuple[Extension, ...] = ()
    includes: tuple[Include, ...] = ()
    switches: tuple[Switch, ...] = ()
    ignorepats: tuple[str, ...] = ()
    hints: tuple[Hint, ...] = ()
    file: str = ""
    line: int = 0

    def find(self, exten: str, priority: int) -> Extension | None:
        """The entry written for exactly ``exten`` at ``priority`` (no pattern matching)."""
        for extension in self.extensions:
            if extension.exten == exten and extension.priority == priority:
                return extension
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DialplanGeneral:
    """``[general]`` of extensions.conf."""

    static: bool = False
    writeprotect: bool = False
    autofallthrough: bool = True
    clearglobalvars: bool = False
    extenpatternmatchnew: bool = False
    userscontext: str = "default"
    overrideswitch: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialplan:
    """The whole of extensions.conf.

    Attributes:
        general: The ``[general]`` settings.
        globals: ``[globals]`` variables, unevaluated (the last assignment wins).
        contexts: The contexts by name, in order of first appearance.
    """

    general: DialplanGeneral = field(default_factory=DialplanGeneral)
    globals: Mapping[str, str] = field(default_factory=dict)
    contexts: Mapping[str, Context] = field(default_factory=dict)


_GENERAL = table(
    {
        "static": boolean,
        "writeprotect": boolean,
        "autofallthrough": boolean,
        "clearglobalvars": boolean,
        "extenpatternmatchnew": boolean,
        "userscontext": text,
        "overrideswitch": text,
    }
)
_GENERAL_KNOWN = ("priorityjumping", "lastaction")
_SWITCH = re.compile(r"[le]?switch", re.IGNORECASE)


def build_dialplan(conf: ConfFile) -> tuple[Dialplan, tuple[Diagnostic, ...]]:
    """Build the dialplan from a parsed extensions.conf.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    general: dict[str, Any] = {}
    variables: dict[str, str] = {}
    readers: dict[str, LineReader] = {}
    for section in conf.objects:
        if section.is_named("general"):
            found, _ = read_section(
                section, _GENERAL, report, kind="[general]", known=_GENERAL_KNOWN, skip=()
            )
            general.update(found)
            continue
        if section.is_named("globals"):
            variables.update({o.key: o.value for o in section.options})
            continue
        reader = readers.get(section.name)
        if reader is None:
            reader = readers[section.name] = LineReader(section.name, report)
        reader.start_section(section)
        for option in section.options:
            key = option.key.lower()
            if key == "exten" or key.startswith("same"):
                reader.extension(option, same=key != "exten")
            elif key == "include":
                reader.include(option)
            elif key == "ignorepat":
                reader.ignorepat(option)
            elif _SWITCH.fullmatch(key):
                reader.switch(option)
            else:
                report.warning(
                    option, f"unknown line '{option.key}' in context [{section.name}]; ignored"
                )
    contexts = {
        name: Context(
            name=name,
            extensions=tuple(r.extensions),
            includes=tuple(r.includes),
            switches=tuple(r.switches),
            ignorepats=tuple(r.ignorepats),
            hints=tuple(r.hints),
            file=r.file,
            line=r.line,
        )
        for name, r in readers.items()
    }
    model = Dialplan(general=DialplanGeneral(**general), globals=variables, contexts=contexts)
    return model, report.diagnostics
