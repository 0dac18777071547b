"""Logic and dialplan functions: IF, IFTIME, ISNULL, EXISTS, SET, EVAL, GLOBAL,
DIALPLAN_EXISTS, VALID_EXTEN.

Theory of operation: transcriptions of funcs/func_logic.c, func_global.c,
func_dialplan.c and func_strings.c's EVAL.  ``IF`` splits at ``?`` and then
``:`` with ``ast_app_separate_args`` (so quotes and parentheses protect the
separators) and judges the condition with ``pbx_checkcondition``; ``IFTIME``
uses plain ``strsep`` and a time spec checked against the scope's clock.
Dialplan questions go to the scope's :class:`DialplanIndex` with the
channel's caller number, as Asterisk passes it.
"""

from __future__ import annotations

from ariel.core.dialplan.args import check_condition, separate_args
from ariel.core.dialplan.cstrings import atoi, scan_int, strip, strip_quoted
from ariel.core.dialplan.functions import DialplanFunction, FunctionScope
from ariel.core.dialplan.timing import parse_timing

__all__ = ["LOGIC_FUNCTIONS"]


def _if(scope: FunctionScope, data: str | None) -> str | None:
    first = separate_args(data, "?", max_args=2)
    expr = first[0] if first else ""
    branches = separate_args(first[1], ":", max_args=2) if len(first) > 1 else []
    if not expr or not branches:
        scope.warn(
            "Syntax IF(<expr>?[<true>][:<false>])  (expr must be non-null, and either "
            "<true> or <false> must be non-null)"
        )
        return None
    if_true = strip(branches[0])
    if_false = strip(branches[1]) if len(branches) > 1 else ""
    return if_true if check_condition(strip(expr)) else if_false


def _iftime(scope: FunctionScope, data: str | None) -> str | None:
    text = strip_quoted(data or "")
    spec, question, rest = text.partition("?")
    if_true: str | None = None
    if_false: str | None = None
    if question:
        if_true, colon, after = rest.partition(":")
        if_false = after if colon else None
    if not spec or (if_true is None and if_false is None):
        scope.warn("Syntax IFTIME(<timespec>?[<true>][:<false>])")
        return None
    timing = parse_timing(spec)
    if timing is None:
        scope.warn("Invalid Time Spec.")
        return None
    for warning in timing.warnings:
        scope.warn(warning)
    chosen = if_true if timing.matches(scope.now()) else if_false
    return strip_quoted(chosen) if chosen else ""


def _set(scope: FunctionScope, data: str | None) -> str | None:
    name, equals, value = (data or "").partition("=")
    if not name or not equals:
        scope.warn("Syntax SET(<varname>=[<value>])")
        return None
    value = strip(value)
    scope.assign(strip(name), value)
    return value


def _eval(scope: FunctionScope, data: str | None) -> str | None:
    if not data:
        scope.warn("EVAL requires an argument: EVAL(<string>)")
        return None
    return scope.expand(data)


def _global_read(scope: FunctionScope, data: str | None) -> str | None:
    if scope.global_vars is None or not (data or "").strip().lstrip("_"):
        return ""
    return scope.global_vars.get(data or "") or ""


def _global_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    if scope.global_vars is None or not (data or "").strip().lstrip("_"):
        return False
    scope.global_vars.set(data or "", value)
    return True


def _caller_number(scope: FunctionScope) -> str | None:
    channel = scope.channel
    if channel is None or not channel.caller.id.number_valid:
        return None
    return channel.caller.id.number


def _dialplan_exists(scope: FunctionScope, data: str | None) -> str | None:
    if not data:
        scope.warn("DIALPLAN_EXISTS() requires an argument")
        return None
    args = separate_args(data, max_args=3)
    context = args[0] if args else ""
    exten = args[1] if len(args) > 1 else ""
    priority = args[2] if len(args) > 2 else ""
    index = scope.dialplan
    caller = _caller_number(scope)
    if priority:
        if index is None:
            return "0"
        number = scan_int(priority)
        if number is not None and number > 0:
            found = index.exists(context, exten, number, caller, now=scope.now())
        else:
            found = index.find_label(context, exten, priority, caller, now=scope.now()) is not None
        return "1" if found else "0"
    if exten:
        return "1" if index and index.exists(context, exten, 1, caller, now=scope.now()) else "0"
    if context:
        return "1" if index and index.has_context(context) else "0"
    scope.warn("Invalid arguments provided to DIALPLAN_EXISTS")
    return None


def _valid_exten(scope: FunctionScope, data: str | None) -> str | None:
    channel = scope.channel
    if channel is None:
        scope.warn("No channel was provided to VALID_EXTEN function.")
        return None
    args = separate_args(data, max_args=3)
    context = (args[0] if args else "") or channel.context
    exten = args[1] if len(args) > 1 else ""
    if not exten:
        scope.warn(
            "Syntax: VALID_EXTEN([<context>],<extension>[,<priority>])"
            " - missing argument <extension>!"
        )
        return None
    priority = atoi(args[2]) if len(args) > 2 and args[2] else 1
    index = scope.dialplan
    found = index is not None and index.exists(
        context, exten, priority, _caller_number(scope), now=scope.now()
    )
    return "1" if found else "0"


LOGIC_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="IF", read=_if),
    DialplanFunction(name="IFTIME", read=_iftime),
    DialplanFunction(name="ISNULL", read=lambda scope, data: "0" if data else "1"),
    DialplanFunction(name="EXISTS", read=lambda scope, data: "1" if data else "0"),
    DialplanFunction(name="SET", read=_set),
    DialplanFunction(name="EVAL", read=_eval),
    DialplanFunction(name="GLOBAL", read=_global_read, write=_global_write),
    DialplanFunction(name="DIALPLAN_EXISTS", read=_dialplan_exists),
    DialplanFunction(name="VALID_EXTEN", read=_valid_exten),
)
