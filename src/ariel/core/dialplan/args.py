"""Application data: argument splitting and the Set/GotoIf/Goto forms.

Theory of operation: applications get their data as one string, already
substituted, and split it themselves.  Most use ``ast_app_separate_args``
(main/app.c): split on a delimiter outside ``(...)``, ``[...]`` and double
quotes; quotes are removed and a backslash makes the next character literal
(both only when ``remove_chars`` is on, the ``AST_STANDARD_APP_ARGS`` case);
a trailing delimiter gives a final empty argument; with a maximum count the
last argument keeps the unsplit rest, raw.  ``Set``, ``GotoIf`` and ``Goto``
use plain ``strsep`` instead (pbx_variables.c, pbx_builtins.c), so their
forms are parsed here separately and exactly so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ariel.core.dialplan.cstrings import scan_int

__all__ = [
    "GotoIf",
    "GotoTarget",
    "check_condition",
    "decode_char",
    "decode_str",
    "parse_goto",
    "parse_gotoif",
    "parse_set",
    "separate_args",
    "split_inheritance",
]


def separate_args(
    data: str | None,
    delim: str = ",",
    *,
    remove_chars: bool = True,
    max_args: int | None = None,
) -> list[str]:
    """Split application data as ``__ast_app_separate_args`` does.

    Args:
        data: The (substituted) application data; ``None`` gives no arguments.
        delim: The one-character separator.
        remove_chars: Drop quote characters and make ``\\x`` a literal ``x``.
        max_args: At most this many arguments; the last keeps the rest, raw.

    >>> separate_args("app,a,b")
    ['app', 'a', 'b']
    >>> separate_args('x,"a,b",c\\\\,d,')
    ['x', 'a,b', 'c,d', '']
    >>> separate_args("Dial(PJSIP/a,30),x")
    ['Dial(PJSIP/a,30)', 'x']
    """
    if not data:
        return []
    out: list[str] = []
    paren = bracket = 0
    quote = False
    index = 0
    limit = len(data)
    ended_on_delim = False
    while index < limit and (max_args is None or len(out) < max_args - 1):
        current: list[str] = []
        ended_on_delim = False
        while index < limit:
            char = data[index]
            if char == "(":
                paren += 1
            elif char == ")":
                paren = max(0, paren - 1)
            elif char == "[":
                bracket += 1
            elif char == "]":
                bracket = max(0, bracket - 1)
            elif char == '"' and delim != '"':
                quote = not quote
                if remove_chars:
                    index += 1
                    continue
            elif char == "\\":
                if remove_chars:
                    index += 1
                    if index < limit:
                        current.append(data[index])
                        index += 1
                    continue
                current.append(char)
                index += 1
                if index < limit:
                    current.append(data[index])
                    index += 1
                continue
            elif char == delim and not paren and not quote and not bracket:
                index += 1
                ended_on_delim = True
                break
            current.append(char)
            index += 1
        out.append("".join(current))
    if index < limit or ended_on_delim:
        out.append(data[index:])
    return out


def check_condition(condition: str | None) -> bool:
    """``pbx_checkcondition``: empty is false, a leading number is its truth, text is true.

    >>> check_condition(""), check_condition("0"), check_condition(" 2"), check_condition("abc")
    (False, False, True, True)
    """
    if not condition:
        return False
    number = scan_int(condition)
    if number is not None:
        return number != 0
    return True


def parse_set(data: str | None) -> tuple[str, str] | None:
    """``Set(name=value)``: split at the first ``=``; ``None`` when there is none.

    The value is everything after the first ``=``, commas and quotes included
    (Set does not separate arguments).  ``Set()`` with no data is ``None`` too.

    >>> parse_set("FOO=a=b,c")
    ('FOO', 'a=b,c')
    """
    if not data:
        return None
    name, equals, value = data.partition("=")
    if not equals:
        return None
    return name, value


@dataclass(frozen=True, slots=True, kw_only=True)
class GotoIf:
    """``GotoIf(condition?[label1][:label2])`` split as ``strsep`` does.

    Attributes:
        condition: Text before the first ``?``.
        if_true: Text between ``?`` and the first ``:`` after it, or ``None``.
        if_false: Text after that ``:``, or ``None``.
    """

    condition: str
    if_true: str | None = None
    if_false: str | None = None

    def branch(self) -> str | None:
        """The destination to take, or ``None`` to fall through (an empty branch)."""
        chosen = self.if_true if check_condition(self.condition) else self.if_false
        return chosen or None


def parse_gotoif(data: str | None) -> GotoIf | None:
    """Split ``GotoIf`` data; ``None`` for empty data (Asterisk ignores it).

    >>> parse_gotoif("1?ctx,s,1:bye").branch()
    'ctx,s,1'
    """
    if not data:
        return None
    condition, question, rest = data.partition("?")
    if not question:
        return GotoIf(condition=condition)
    if_true, colon, if_false = rest.partition(":")
    return GotoIf(condition=condition, if_true=if_true, if_false=if_false if colon else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class GotoTarget:
    """A ``Goto([[context,]exten,]priority)`` destination, unresolved.

    Attributes:
        context: The context, when given (``""`` when given empty).
        exten: The extension, when given.
        priority: The priority number (relative when ``offset`` is set).
        label: The label to look up instead of a number.
        offset: ``+1``/``-1`` for ``+n``/``-n`` relative jumps, else 0.
    """

    context: str | None = None
    exten: str | None = None
    priority: int | None = None
    label: str | None = None
    offset: int = 0

    def resolve_priority(self, current: int, find_label: Callable[[str], int | None]) -> int | None:
        """The absolute priority, or ``None`` when a label is unknown.

        Args:
            current: The channel's current priority (for ``+n``/``-n``).
            find_label: Looks ``label`` up in the destination context/extension.
        """
        if self.label is not None:
            return find_label(self.label)
        if self.priority is None:  # pragma: no cover - parse_goto sets one of the two
            return None
        if self.offset:
            return current + self.priority * self.offset
        return self.priority


def parse_goto(data: str | None) -> GotoTarget | None:
    """Parse ``Goto`` data as ``pbx_parseable_goto`` does; ``None`` when empty.

    ``Goto(5)``, ``Goto(s,5)``, ``Goto(ctx,s,5)``; ``+2``/``-1`` are relative;
    a priority that is not a plain number is a label.

    >>> parse_goto("ctx,100,1")
    GotoTarget(context='ctx', exten='100', priority=1, label=None, offset=0)
    >>> parse_goto("s,start").label
    'start'
    """
    if not data:
        return None
    fields = data.split(",", 2)
    context: str | None = None
    exten: str | None = None
    if len(fields) == 1:
        priority_text = fields[0]
    elif len(fields) == 2:
        exten, priority_text = fields
    else:
        context, exten, priority_text = fields
        priority_text = priority_text.split(",", 1)[0]
    offset = 0
    if priority_text.startswith("+"):
        offset, priority_text = 1, priority_text[1:]
    elif priority_text.startswith("-"):
        offset, priority_text = -1, priority_text[1:]
    number = scan_int(priority_text)
    if number is None or _has_trailing_text(priority_text):
        return GotoTarget(context=context, exten=exten, label=priority_text)
    return GotoTarget(context=context, exten=exten, priority=number, offset=offset)


def _has_trailing_text(text: str) -> bool:
    """``sscanf("%d%1s")`` found something after the number."""
    rest = text.lstrip(" \t\n\v\f\r")
    if rest[:1] in "+-":
        rest = rest[1:]
    rest = rest.lstrip("0123456789")
    return bool(rest.strip(" \t\n\v\f\r"))


def split_inheritance(name: str) -> tuple[int, str]:
    """``_NAME``/``__NAME``: the inheritance level (0, 1 or 2) and the bare name.

    >>> split_inheritance("__FOO"), split_inheritance("_BAR"), split_inheritance("BAZ")
    ((2, 'FOO'), (1, 'BAR'), (0, 'BAZ'))
    """
    if name.startswith("__"):
        return 2, name[2:]
    if name.startswith("_"):
        return 1, name[1:]
    return 0, name


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_HEX = "0123456789ABCDEFabcdef"


def decode_char(stream: str) -> tuple[str, int] | None:
    """``ast_get_encoded_char``: one possibly escaped character and how much it used.

    ``\\n``, ``\\r``, ``\\t``, ``\\xHH``, ``\\0ooo`` and ``\\c`` (a literal
    ``c``); ``None`` for an empty stream or a bad hex escape.
    """
    if not stream:
        return None
    if stream[0] != "\\":
        return stream[0], 1
    follower = stream[1:2]
    if follower in _ESCAPES:
        return _ESCAPES[follower], 2
    if follower == "x":
        digits = ""
        for char in stream[2:4]:
            if char not in _HEX:
                break
            digits += char
        if not digits:
            return None
        return chr(int(digits, 16)), 2 + len(digits)
    if follower == "0":
        digits = ""
        for char in stream[2:]:
            if char not in "01234567":
                break
            digits += char
        return chr(int(digits or "0", 8) & 0xFF), 2 + len(digits)
    return follower, 2


def decode_str(stream: str) -> str:
    """``ast_get_encoded_str``: decode escapes up to the first bad one (or NUL)."""
    out: list[str] = []
    while stream:
        decoded = decode_char(stream)
        if decoded is None or decoded[0] == "\0":
            break
        char, used = decoded
        out.append(char)
        stream = stream[used:]
    return "".join(out)
