"""Request parameters of one ARI operation, read the way the reference reads them.

Theory of operation. The reference's generated request code gathers an
operation's parameters from four places, later ones winning:

1. the path (``{channelId}``), already URL-decoded by the router;
2. a form body (``application/x-www-form-urlencoded``), read like a query string;
3. the query string, whose pairs come after the form's, so a query value beats
   a form value of the same name, and the last of repeated names wins;
4. a JSON body (``application/json``): each top-level key that names a query
   parameter sets it, and an operation's ``body`` parameter (``variables``,
   ``fields``, ``filter``) receives the whole body object.

Only declared ``query`` parameters are read from (2)-(4); anything else, such
as ``api_key``, is ignored, as the reference ignores it. With no content type,
a body that parses as a JSON object is taken as JSON (a convenience of ours;
the reference reads nothing then).

Values are typed by the declaration: ``int``/``long`` become ``int`` (digits
with an optional sign), ``boolean`` becomes ``bool`` (the reference's
``ast_true``/``ast_false`` words), ``double`` becomes ``float``, strings stay
strings. ``allowMultiple`` values become lists, split on commas (or given as a
JSON array). An empty value of a non-string type counts as absent. Absent
values take the declared default, else ``None``; every declared parameter has
a key in `ParsedRequest.values`.

Deliberate differences from the reference, which reads numbers with ``atoi``
and treats any unknown word as false: malformed numbers and booleans are
refused with a `ParamError` naming the parameter.

What is *not* checked here: allowable values and ranges (the reference's
handlers decide, e.g. ``GET /asterisk/info?only=nonsense`` answers 200 ``{}``),
and required-ness in general, which the reference also checks in each handler
with its own message and order. The one exception is a parameter whose
declaration carries ``missing_message``: there an absent or empty value is a
400 with exactly that message, as the reference's handler answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import isfinite
from urllib.parse import parse_qsl

from ariel.arispec.types import Operation, Param

__all__ = ["MAX_VALUES", "ParamError", "ParsedRequest", "parse_params", "require_present"]

MAX_VALUES = 128
"""The reference refuses a comma list of this many values or more."""

_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"
_TRUE = frozenset({"yes", "true", "y", "t", "1", "on"})
_FALSE = frozenset({"no", "false", "n", "f", "0", "off"})
_INT_RE = re.compile(r"([+-]?)([0-9]+)")
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT_BOUNDS = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


class ParamError(Exception):
    """A request whose parameters cannot be read.

    Attributes:
        status: HTTP status to answer (400).
        message: The ``message`` of the JSON error body.
    """

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """The parameters of one request.

    Attributes:
        values: Every declared parameter by wire name: path parameters as
            strings, query parameters typed (lists for ``allowMultiple``), the
            body parameter as the whole JSON body; ``None`` when absent and
            without default.
        body_json: The parsed JSON body, if one was sent.
    """

    values: dict[str, object]
    body_json: object | None = None


def parse_params(
    op: Operation,
    *,
    path: Mapping[str, str],
    query: Sequence[tuple[str, str]],
    body: bytes,
    content_type: str | None,
    check_missing: bool = True,
) -> ParsedRequest:
    """Read the parameters of ``op`` from one request.

    Args:
        op: The operation the request was routed to.
        path: Path parameters, URL-decoded.
        query: Query string pairs, URL-decoded, in order.
        body: The raw request body (``b""`` for none).
        content_type: The ``Content-Type`` header, if any.
        check_missing: Apply `require_present` before returning. A handler
            that must first look up its object, as some reference handlers
            do (``sendDTMF`` finds the channel before it checks ``dtmf``),
            passes False and calls `require_present` itself.

    Returns:
        The typed values and the JSON body.

    Raises:
        ParamError: Malformed JSON body ("Error parsing request body"), a
            value of the wrong type, too many values, a body parameter given a
            non-object body, or an absent value that has a ``missing_message``.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    declared = {p.name: p for p in op.params if p.param_type == "query"}
    raw: dict[str, str] = {}
    if media == _FORM and body:
        text = body.decode("utf-8", "replace")
        for name, value in parse_qsl(text, keep_blank_values=True, errors="replace"):
            if name in declared:
                raw[name] = value
    for name, value in query:
        if name in declared:
            raw[name] = value
    given: dict[str, object] = {
        name: _from_text(declared[name], text) for name, text in raw.items()
    }

    body_json = _json_body(body, media)
    if isinstance(body_json, dict):
        for name, p in declared.items():
            if name in body_json:
                given[name] = _from_json(p, body_json[name])

    values: dict[str, object] = {}
    for p in op.params:
        if p.param_type == "path":
            values[p.name] = path.get(p.name)
        elif p.param_type == "body":
            if body_json is not None and not isinstance(body_json, dict):
                raise ParamError(
                    f"Invalid value for parameter {p.name!r}: the body must be a JSON object"
                )
            values[p.name] = body_json
        else:
            typed = given.get(p.name)
            values[p.name] = p.default if typed is None else typed
    if check_missing:
        require_present(op, values)
    return ParsedRequest(values=values, body_json=body_json)


def require_present(op: Operation, values: Mapping[str, object]) -> None:
    """Refuse an absent or empty value of a parameter that has a ``missing_message``.

    Args:
        op: The operation.
        values: `ParsedRequest.values` of a request for it.

    Raises:
        ParamError: 400 with the reference's message, for the first such
            parameter in declaration order.
    """
    for p in op.params:
        if p.missing_message and _is_empty(values.get(p.name)):
            raise ParamError(p.missing_message)


def _json_body(body: bytes, media: str) -> object | None:
    """The JSON body: an object or array, or ``None`` when there is none."""
    if media == _JSON:
        if not body:
            return None
        try:
            parsed = json.loads(body, parse_constant=_no_constant, parse_int=_int64)
        except (ValueError, RecursionError):
            raise ParamError("Error parsing request body") from None
        if not isinstance(parsed, dict | list):
            # Like the reference's JSON reader, the top level is an object or array.
            raise ParamError("Error parsing request body")
        return parsed
    if media or body.lstrip()[:1] != b"{":
        return None
    try:
        parsed = json.loads(body, parse_constant=_no_constant, parse_int=_int64)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


_INT64 = (-(2**63), 2**63 - 1)


def _int64(text: str) -> int:
    """JSON integers must fit 64 bits, as in the reference's JSON reader."""
    value = int(text)
    if not _INT64[0] <= value <= _INT64[1]:
        raise ValueError(f"integer {text[:20]} out of range")
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _is_empty(value: object) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, list) and all(item == "" for item in value)


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _invalid(p: Param, value: object, expected: str) -> ParamError:
    return ParamError(
        f"Invalid value {_shown(value)} for parameter {p.name!r}: expected {expected}"
    )


def _split(p: Param, items: list[object]) -> list[object]:
    if len(items) >= MAX_VALUES:
        raise ParamError(
            f"Too many values for parameter {p.name!r}: at most {MAX_VALUES - 1} are allowed"
        )
    return items


def _from_text(p: Param, text: str) -> object:
    """Type one query or form value."""
    if p.allow_multiple:
        return _split(p, [_scalar_text(p, item, in_list=True) for item in text.split(",")])
    return _scalar_text(p, text, in_list=False)


def _scalar_text(p: Param, text: str, *, in_list: bool) -> object:
    kind = p.data_type
    if kind in ("string", "containers", "object"):
        return text
    if text == "" and not in_list:
        return None
    if kind in _INT_BOUNDS:
        return _int(p, text)
    if kind == "boolean":
        word = text.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise _invalid(p, text, "a boolean (true/false, yes/no, 1/0, on/off)")
    if kind == "double":
        if _FLOAT_RE.fullmatch(text):
            number = float(text)
            if isfinite(number):
                return number
        raise _invalid(p, text, "a number")
    return text


def _int(p: Param, text: str) -> int:
    match = _INT_RE.fullmatch(text)
    if not match:
        raise _invalid(p, text, "an integer")
    digits = match.group(2).lstrip("0") or "0"
    lo, hi = _INT_BOUNDS[p.data_type]
    number = int(match.group(1) + digits) if len(digits) <= 20 else hi + 1
    if not lo <= number <= hi:
        raise _invalid(p, text, f"an integer from {lo} to {hi}")
    return number


def _from_json(p: Param, value: object) -> object:
    """Type one value taken from a JSON body."""
    if value is None:
        return None
    if not p.allow_multiple:
        return _scalar_json(p, value)
    items: list[object] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            items.extend(_scalar_text(p, part, in_list=True) for part in item.split(","))
        else:
            items.append(_scalar_json(p, item))
    return _split(p, items)


def _scalar_json(p: Param, value: object) -> object:
    kind = p.data_type
    if isinstance(value, str):
        return _scalar_text(p, value, in_list=False)
    if kind in ("containers", "object"):
        return value
    if isinstance(value, bool):
        if kind == "boolean":
            return value
        raise _invalid(p, value, _EXPECTED.get(kind, "a string"))
    if isinstance(value, int | float) and kind != "boolean":
        if kind == "string":
            return str(value)
        if kind == "double":
            if isfinite(value):
                return float(value)
        elif isinstance(value, int) or value.is_integer():
            return _int(p, str(int(value)))
    raise _invalid(p, value, _EXPECTED.get(kind, "a string"))


_EXPECTED = {
    "int": "an integer",
    "long": "an integer",
    "double": "a number",
    "boolean": "a boolean",
}
