"""String functions: LEN, CUT, FIELDQTY, FIELDNUM, FILTER, REPLACE, REGEX, QUOTE...

Theory of operation: each handler is a transcription of its C original
(funcs/func_strings.c, funcs/func_cut.c) onto Python strings: the same
argument splitting (``AST_STANDARD_APP_ARGS`` is
``separate_args(..., remove_chars=True)``, ``RAW`` keeps quotes and
backslashes), the same escape decoding for delimiters (``\\t``, ``\\x41``),
the same failure cases (returning ``None``, which substitutes nothing).
Functions that take a *variable name* (CUT, FIELDQTY, SHIFT, REPLACE...)
read it by substituting ``${name}``, exactly as Asterisk does, so names with
offsets or nested functions work there too.  Case mapping is ASCII-only (C
``toupper``); ``LEN`` counts UTF-8 bytes like ``strlen``.
"""

from __future__ import annotations

import re

from ariel.core.dialplan.args import decode_char, decode_str, separate_args
from ariel.core.dialplan.cstrings import C_SPACE, atoi, strip
from ariel.core.dialplan.functions import DialplanFunction, FunctionScope
from ariel.core.dialplan.posix_regex import PosixRegexError, compile_ere

__all__ = ["STRING_FUNCTIONS"]

_INT_MAX = 2**31 - 1
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SCAN = re.compile(r"[ \t\n\v\f\r]*([+-]?\d+)")
_KEYPAD = {
    **dict.fromkeys("1", "1"),
    **dict.fromkeys("AaBbCc2", "2"),
    **dict.fromkeys("DdEeFf3", "3"),
    **dict.fromkeys("GgHhIi4", "4"),
    **dict.fromkeys("JjKkLl5", "5"),
    **dict.fromkeys("MmNnOo6", "6"),
    **dict.fromkeys("PpQqRrSs7", "7"),
    **dict.fromkeys("TtUuVv8", "8"),
    **dict.fromkeys("WwXxYyZz9", "9"),
    **dict.fromkeys("0", "0"),
}


def _value_of(scope: FunctionScope, name: str) -> str:
    """``ast_str_substitute_variables("${name}")``."""
    return scope.expand("${" + name + "}")


def _delimiter(text: str | None) -> str | None:
    """``ast_get_encoded_char`` on an optional argument; ``None`` when it fails."""
    decoded = decode_char(text or "")
    return None if decoded is None else decoded[0]


def _fields(value: str, delim: str) -> list[str]:
    """``strsep`` until NULL with a one-character delimiter (an empty one never splits)."""
    return value.split(delim) if delim else [value]


def _len(scope: FunctionScope, data: str | None) -> str | None:
    return str(len((data or "").encode("utf-8", "surrogatepass")))


def _scan(text: str, position: int) -> tuple[int, int] | None:
    found = _SCAN.match(text, position)
    if not found:
        return None
    return max(-(2**31), min(_INT_MAX, int(found.group(1)))), found.end()


def _cut_range(spec: str) -> tuple[int, int] | None:
    """One ``&`` part of a CUT range spec: ``a-b``, ``-b``, ``a-``, ``a``."""
    first = _scan(spec, 0)
    if first and spec.startswith("-", first[1]):
        second = _scan(spec, first[1] + 1)
        if second:
            return first[0], second[0]
    if spec.startswith("-"):
        end_only = _scan(spec, 1)
        if end_only:
            return 1, end_only[0]
    if first and spec[first[1] : first[1] + 1] == "-":
        return first[0], _INT_MAX
    if first:
        return first[0], first[0]
    return None


def _cut(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    if len(args) < 3:
        scope.warn("Syntax: CUT(<varname>,<char-delim>,<range-spec>) - missing argument!")
        return None
    value = _value_of(scope, args[0])
    delim = _delimiter(args[1])
    if delim is None:
        delim = "-"
    if not value:
        return ""
    fields = _fields(value, delim)
    position = 0  # fields[position] is field number position + 1
    out: list[str] = []
    for spec in args[2].split("&"):
        if position >= len(fields):
            break
        bounds = _cut_range(spec)
        if bounds is None:
            scope.warn("Usage: CUT(<varname>,<char-delim>,<range-spec>)")
            return None
        start, stop = bounds
        position = max(position, min(start - 1, len(fields)))
        if position + 1 > start:
            scope.warn("We're already past the field you wanted?")
        while position < len(fields) and position + 1 <= stop:
            out.append(fields[position])
            position += 1
    return delim.join(out)


def _fieldqty(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=2)
    if len(args) < 2:
        return "1"
    value = _value_of(scope, args[0])
    delim = _delimiter(args[1]) or ""
    return str(len(_fields(value, delim)) if value else 0)


def _fieldnum(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    if len(args) < 3:
        scope.warn("Usage: FIELDNUM(<listname>,<delimiter>,<fieldvalue>)")
        return None
    value = _value_of(scope, args[0])
    if not value or not args[1]:
        return "0"
    delim = _delimiter(args[1])
    if delim is None:
        return None
    for index, field in enumerate(_fields(value, delim), start=1):
        if field.lower() == args[2].lower():
            return str(index)
    return "0"


def _listfilter(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    if len(args) < 3:
        scope.warn("Usage: LISTFILTER(<listname>,<delimiter>,<fieldvalue>)")
        return None
    value = _value_of(scope, args[0])
    if not value:
        return None
    if args[2] not in value:
        return value
    delim = decode_str(args[1]) or ","
    return delim.join(field for field in value.split(delim) if field != args[2])


def _filter(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, remove_chars=False, max_args=2)
    if len(args) < 2:
        scope.warn("Usage: FILTER(<allowed-chars>,<string>)")
        return None
    allowed_text, string = args
    allowed: set[int] = set()
    while allowed_text:
        first = decode_char(allowed_text)
        if first is None:
            return None
        low, used = ord(first[0]), first[1]
        allowed_text = allowed_text[used:]
        if not allowed_text.startswith("-"):
            allowed.add(low)
            continue
        second = decode_char(allowed_text[1:])
        high, used = (ord(second[0]), second[1]) if second else (low, 0)
        allowed_text = allowed_text[used + 1 :]
        if high < low:
            scope.warn(f"Range wrapping in FILTER({data}).  This may not be what you want.")
            allowed.update(range(low, 256))
            allowed.update(range(0, high + 1))
        else:
            allowed.update(range(low, high + 1))
    allowed.discard(0)
    return "".join(char for char in string if ord(char) in allowed)


def _replace(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    if len(args) < 2:
        scope.warn("Usage: REPLACE(<varname>,<search-chars>[,<replace-char>])")
        return None
    find = decode_str(args[1])
    replacement = _delimiter(args[2] if len(args) > 2 else None) or ""
    if not find or not args[0]:
        scope.warn("The characters to search for and the variable name must not be empty.")
        return None
    value = _value_of(scope, args[0])
    if not value:
        return None
    return "".join(replacement if char in find else char for char in value)


def _strreplace(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=5)
    if len(args) < 2:
        scope.warn(
            "Usage: STRREPLACE(<varname>,<find-string>[,<replace-string>,[<max-replacements>]])"
        )
        return None
    if not args[0]:
        return None
    if not args[1]:
        scope.warn("No <find-string> specified")
        return None
    value = _value_of(scope, args[0])
    replacement = args[2] if len(args) > 2 else ""
    limit = atoi(args[3]) if len(args) > 3 else 0
    return value.replace(args[1], replacement, limit if limit > 0 else -1)


def _strbetween(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    if len(args) != 2 or not args[0]:
        scope.warn("Usage: STRBETWEEN(<varname>,<insert-string>)")
        return None
    return args[1].join(_value_of(scope, args[0]))


def _regex(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, '"', max_args=3)
    if len(args) != 3:
        scope.warn("Unexpected arguments: should have been in the form '\"<regex>\" <string>'")
        return None
    string = args[2][1:] if args[2][:1] in (" ", "\t") else args[2]
    try:
        regex = compile_ere(args[1])
    except PosixRegexError as error:
        scope.warn(f"Malformed input REGEX({data}): {error}")
        return None
    return "1" if regex.search(string) else "0"


def _quote(scope: FunctionScope, data: str | None) -> str | None:
    if not data:
        scope.warn("No argument specified!")
        return '""'
    return '"' + data.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _csv_quote(scope: FunctionScope, data: str | None) -> str | None:
    return '"' + (data or "").replace('"', '""') + '"'


def _shift_pop(front: bool) -> DialplanFunction:
    name = "SHIFT" if front else "POP"

    def read(scope: FunctionScope, data: str | None) -> str | None:
        args = separate_args(data, max_args=2)
        if not args or not args[0]:
            scope.warn(f"{name} requires a variable name")
            return None
        value = _value_of(scope, args[0])
        delim = (_delimiter(args[1]) if len(args) > 1 and args[1] else None) or ","
        if not value:
            return None
        cut = value.find(delim) if front else value.rfind(delim)
        if cut < 0:
            scope.assign(args[0], "")
            return value
        head, tail = value[:cut], value[cut + 1 :]
        scope.assign(args[0], tail if front else head)
        return head if front else tail

    return DialplanFunction(name=name, read=read)


def _unshift_push(front: bool) -> DialplanFunction:
    name = "UNSHIFT" if front else "PUSH"

    def write(scope: FunctionScope, data: str | None, value: str) -> bool:
        args = separate_args(data, max_args=2)
        if not args or not args[0]:
            scope.warn(f"{name} requires a variable name")
            return False
        delim = (_delimiter(args[1]) if len(args) > 1 and args[1] else None) or ","
        previous = _value_of(scope, args[0])
        if not previous:
            return scope.assign(args[0], value)
        joined = value + delim + previous if front else previous + delim + value
        return scope.assign(args[0], joined)

    return DialplanFunction(name=name, write=write)


def _array_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    names = separate_args(data, max_args=100)
    values = separate_args(value, max_args=100)
    for index, name in enumerate(names):
        scope.assign(name, values[index] if index < len(values) else "")
    return True


def _hash_name(hashname: str, key: str) -> str:
    marks = hashname[: len(hashname) - len(hashname.lstrip("_"))][:2]
    return f"{marks}~HASH~{hashname[len(marks) :]}~{key}~"


def _hash_read(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=2)
    if len(args) != 2:
        scope.warn("HASH() with one argument (every key) is not supported")
        return None
    return scope.variable(f"~HASH~{args[0]}~{args[1]}~") or ""


def _hash_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    if data is None or "," not in data:
        scope.warn("HASH() with one argument (every key) is not supported")
        return False
    args = separate_args(data, max_args=2)
    return scope.assign(_hash_name(args[0], args[1]), value)


def _keypadhash(scope: FunctionScope, data: str | None) -> str | None:
    return "".join(_KEYPAD.get(char, "") for char in data or "")


def _trim(which: str) -> DialplanFunction:
    def read(scope: FunctionScope, data: str | None) -> str | None:
        if not data:
            return None
        if which == "TRIM":
            return strip(data)
        return data.lstrip(C_SPACE) if which == "LTRIM" else data.rstrip(C_SPACE)

    return DialplanFunction(name=which, read=read)


STRING_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="LEN", read=_len),
    DialplanFunction(name="CUT", read=_cut),
    DialplanFunction(name="FIELDQTY", read=_fieldqty),
    DialplanFunction(name="FIELDNUM", read=_fieldnum),
    DialplanFunction(name="LISTFILTER", read=_listfilter),
    DialplanFunction(name="FILTER", read=_filter),
    DialplanFunction(name="REPLACE", read=_replace),
    DialplanFunction(name="STRREPLACE", read=_strreplace),
    DialplanFunction(name="STRBETWEEN", read=_strbetween),
    DialplanFunction(name="REGEX", read=_regex),
    DialplanFunction(name="QUOTE", read=_quote),
    DialplanFunction(name="CSV_QUOTE", read=_csv_quote),
    DialplanFunction(name="TOUPPER", read=lambda scope, data: (data or "").translate(_UPPER)),
    DialplanFunction(name="TOLOWER", read=lambda scope, data: (data or "").translate(_LOWER)),
    DialplanFunction(name="PASSTHRU", read=lambda scope, data: data or ""),
    DialplanFunction(name="KEYPADHASH", read=_keypadhash),
    DialplanFunction(name="ARRAY", write=_array_write),
    DialplanFunction(name="HASH", read=_hash_read, write=_hash_write),
    _shift_pop(front=True),
    _shift_pop(front=False),
    _unshift_push(front=True),
    _unshift_push(front=False),
    _trim("TRIM"),
    _trim("LTRIM"),
    _trim("RTRIM"),
)
