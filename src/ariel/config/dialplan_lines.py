"""Reading one context's lines: ``exten``/``same``, ``include``, ``switch``, ``ignorepat``.

Theory of operation: a :class:`LineReader` per context accumulates entries and
keeps pbx_config.c's per-section state (last extension, last priority).  The
extension field is split off with pbx_config's bracket-aware ``pbx_strsep``
(so ``_[1,2]X`` keeps its comma); the priority is the next plain field; the rest
is the application.  A priority may be a number, ``n``/``next``, ``s``/``same``,
``hint`` or an earlier label of the same extension, with an optional ``(label)``
and ``+offset``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ariel.config.diagnostics import Reporter
from ariel.config.parser import Option, Section
from ariel.config.values import shrink_phone_number

__all__ = ["Extension", "Hint", "Include", "LineReader", "Switch", "split_application"]

_NUMBER = re.compile(r"\s*([+-]?\d+)")
_NO_PRIORITY = -2
_HINT = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class Extension:
    """One dialplan step: ``exten => 242,2,Stasis(zarniwoop)``.

    Attributes:
        exten: The extension or pattern as written (``242``, ``_X.``, ``s``).
        priority: The step number, with ``n``/``s``/labels resolved.
        label: The ``(label)`` given to this priority, if any.
        app: The application name as written (``Stasis``).
        app_data: The raw text inside the outermost parentheses (``zarniwoop``).
        cid_match: The caller id pattern after ``/`` in the extension, if any.
        file: Where the line was written.
        line: Its line number.
    """

    exten: str
    priority: int
    label: str | None = None
    app: str
    app_data: str = ""
    cid_match: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Hint:
    """``exten => 100,hint,PJSIP/100[,presence]``: device (and presence) state for 100."""

    exten: str
    device: str
    presence: str = ""
    cid_match: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Include:
    """``include => other[,timing]``: search ``other`` after this context."""

    context: str
    timing: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Switch:
    """``switch => Module/data``; ``eval`` is set for ``eswitch``."""

    module: str
    data: str = ""
    eval: bool = False
    file: str = ""
    line: int = 0


def _split_extension(value: str) -> tuple[str, str | None]:
    """pbx_strsep on ``,``: commas inside ``[...]`` and after ``\\`` do not split."""
    square = 0
    index = 0
    while index < len(value):
        char = value[index]
        if char == "[":
            square += 1
        elif char == "]":
            square = max(0, square - 1)
        elif char == "\\":
            index += 1
        elif char == "," and not square:
            return value[:index], value[index + 1 :]
        index += 1
    return value, None


def split_application(text: str) -> tuple[str, str, bool]:
    """Split ``App(args)`` or ``App,args`` into the name and the raw data.

    Returns:
        ``(app, data, closed)``; ``closed`` is false when ``(`` has no matching ``)``.

    >>> split_application("Stasis(zarniwoop,alpha)")
    ('Stasis', 'zarniwoop,alpha', True)
    >>> split_application("Noop()")
    ('Noop', '', True)
    """
    comma, paren = text.find(","), text.find("(")
    if comma >= 0 and (paren < 0 or comma < paren):
        return text[:comma].strip(), text[comma + 1 :], True
    if paren < 0:
        return text.strip(), "", True
    app = text[:paren]
    if "${" in app or "$[" in app:
        return text.strip(), "", True
    data = text[paren + 1 :]
    close = data.rfind(")")
    if close < 0:
        return app.strip(), data, False
    return app.strip(), data[:close], True


class LineReader:
    """Accumulates one context's entries across the sections that make it."""

    def __init__(self, context: str, report: Reporter) -> None:
        self.context = context
        self.report = report
        self.extensions: list[Extension] = []
        self.hints: list[Hint] = []
        self.includes: list[Include] = []
        self.switches: list[Switch] = []
        self.ignorepats: list[str] = []
        self.file = ""
        self.line = 0
        self._last_exten = ""
        self._last_priority = _NO_PRIORITY

    def start_section(self, section: Section) -> None:
        """Begin a section of this context (resets ``same``/``n`` state, as Asterisk does)."""
        if not self.file:
            self.file, self.line = section.file, section.line
        self._last_exten = ""
        self._last_priority = _NO_PRIORITY

    def include(self, option: Option) -> None:
        """Record ``include => context[,timing]``."""
        name, _, timing = option.value.partition(",")
        if not name.strip():
            self.report.error(option, f"'include' in [{self.context}] names no context")
            return
        include = Include(
            context=name.strip(), timing=timing.strip(), file=option.file, line=option.line
        )
        self.includes.append(include)

    def ignorepat(self, option: Option) -> None:
        """Record ``ignorepat => pattern``."""
        self.ignorepats.append(option.value)

    def switch(self, option: Option) -> None:
        """Record ``switch => Module/data`` (and ``lswitch``/``eswitch``)."""
        module, _, data = option.value.partition("/")
        is_eval = option.key.lower() == "eswitch"
        self.switches.append(
            Switch(
                module=module.strip(), data=data, eval=is_eval, file=option.file, line=option.line
            )
        )

    def extension(self, option: Option, *, same: bool) -> None:
        """Record an ``exten =>`` or ``same =>`` line."""
        if same:
            if not self._last_exten:
                self.report.error(option, f"'same' has no extension before it in [{self.context}]")
                return
            exten_text, rest = self._last_exten, option.value
        else:
            exten_text, after = _split_extension(option.value)
            rest = after or ""
            exten_text = exten_text.strip()
            if not exten_text:
                self.report.error(option, f"'exten' in [{self.context}] names no extension")
                return
            self._last_exten = exten_text
        exten, slash, cid = exten_text.partition("/")
        cid_match = shrink_phone_number(cid) if slash else None
        priority_text, comma, app_text = rest.partition(",")
        resolved = self._priority(option, exten, cid_match, priority_text.strip())
        if resolved is None:
            return
        priority, label = resolved
        if priority == _HINT:
            device, _, presence = app_text.partition(",")
            self.hints.append(
                Hint(
                    exten=exten,
                    device=device.strip(),
                    presence=presence.strip(),
                    cid_match=cid_match,
                    file=option.file,
                    line=option.line,
                )
            )
            return
        app, data, closed = split_application(app_text if comma else "")
        if not closed:
            self.report.warning(option, f"no closing ')' in '{app_text.strip()}'")
        if exten in ("_.", "_!"):
            self.report.warning(option, f"pattern '{exten}' matches too much; use '_X{exten[1]}'")
        for earlier in self.extensions:
            if (earlier.exten, earlier.cid_match, earlier.priority) == (exten, cid_match, priority):
                self.report.warning(
                    option,
                    f"extension {exten} priority {priority} in [{self.context}] is already "
                    f"defined at {earlier.file}:{earlier.line}; ignored",
                )
                return
        self.extensions.append(
            Extension(
                exten=exten,
                priority=priority,
                label=label,
                app=app,
                app_data=data,
                cid_match=cid_match,
                file=option.file,
                line=option.line,
            )
        )

    def _priority(
        self, option: Option, exten: str, cid_match: str | None, text: str
    ) -> tuple[int, str | None] | None:
        label: str | None = None
        if "(" in text:
            text, _, rest = text.partition("(")
            if ")" not in rest:
                self.report.error(option, f"label has no closing ')' in [{self.context}]")
                return None
            label = rest[: rest.index(")")]
        text, plus, offset_text = text.partition("+")
        if text == "hint":
            number = _HINT
        elif text in ("n", "next", "s", "same"):
            if self._last_priority == _NO_PRIORITY:
                self.report.error(
                    option, f"priority '{text}' needs an earlier line in [{self.context}]"
                )
                return None
            number = self._last_priority + (1 if text in ("n", "next") else 0)
        else:
            match = _NUMBER.match(text)
            number = int(match.group(1)) if match else self._label(exten, cid_match, text)
            if number < 1:
                self.report.error(
                    option, f"invalid priority or unknown label '{text}' in [{self.context}]"
                )
                return None
        if number == 0:
            self.report.warning(option, "priority 'n' right after a hint gives 0; line ignored")
            return None
        if plus and number != _HINT:
            offset = _NUMBER.match(offset_text)
            number += int(offset.group(1)) if offset else 0
        self._last_priority = number
        return number, label

    def _label(self, exten: str, cid_match: str | None, label: str) -> int:
        for earlier in self.extensions:
            if (earlier.exten, earlier.cid_match, earlier.label) == (exten, cid_match, label):
                return earlier.priority
        return 0
