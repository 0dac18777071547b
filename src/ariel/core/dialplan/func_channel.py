"""Channel functions: CALLERID() and CHANNEL(), read and write.

Theory of operation (after funcs/func_callerid.c and func_channel.c): a
``CALLERID`` argument is ``member[-sub[-sub]][,"Name" <num>]``; the member
names a part of the caller (``name``, ``num[ber]``, ``all``, ``ani``, ``ani2``,
``dnid``, ``rdnis``, ``pres``, ``ton``, ``tag``, ``subaddr``) and the subnames
a field of it (``valid``, ``pres``, ``plan``, ``charset``).  Names are
case-insensitive.  With a second argument the caller id given there is parsed
instead of the channel's.  Writes trim blanks and set the "valid" flag, as
Asterisk does, then hand a new :class:`CallerInfo` to the channel.  An unknown
member is logged and reads as ``""``.  ``CHANNEL(item)`` answers ``name``,
``uniqueid``, ``state`` and ``channeltype`` itself and asks the channel for
everything else (item names lowercased).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ariel.core.dialplan.args import separate_args
from ariel.core.dialplan.callerid import (
    CallerInfo,
    PartyId,
    callerid_split,
    charset_name,
    parse_charset,
    parse_presentation,
    party_presentation,
    presentation_name,
)
from ariel.core.dialplan.cstrings import C_SPACE, atoi
from ariel.core.dialplan.functions import DialplanFunction, FunctionScope

__all__ = ["CHANNEL_FUNCTIONS"]

_MAX_SUBNAMES = 10


class _Unknown(Exception):
    """A member or field name CALLERID does not know."""


class _Invalid(Exception):
    """A value CALLERID refuses (the field is left unchanged)."""


def _members(text: str) -> list[str] | None:
    members = separate_args(text, "-", max_args=_MAX_SUBNAMES)
    if not members or len(members) >= _MAX_SUBNAMES:
        return None
    return [member.lower() for member in members]


def _read_party(party: PartyId, names: list[str]) -> str:
    if not names:
        raise _Unknown
    first, rest = names[0], names[1:]
    if len(names) == 1 and first == "all":
        return f'"{party.shown_name}" <{party.shown_number}>'
    if first == "name":
        if not rest:
            return party.shown_name
        if rest == ["valid"]:
            return str(int(party.name_valid))
        if rest == ["charset"]:
            return charset_name(party.name_charset)
        if len(rest) == 1 and rest[0].startswith("pres"):
            return presentation_name(party.name_presentation)
        raise _Unknown
    if first.startswith("num"):
        if not rest:
            return party.shown_number
        if rest == ["valid"]:
            return str(int(party.number_valid))
        if rest == ["plan"]:
            return str(party.number_plan)
        if len(rest) == 1 and rest[0].startswith("pres"):
            return presentation_name(party.number_presentation)
        raise _Unknown
    if first.startswith("subaddr"):
        return _read_subaddress(party, rest)
    if len(names) == 1 and first == "tag":
        return party.tag
    if len(names) == 1 and first == "ton":
        return str(party.number_plan)
    if len(names) == 1 and first.startswith("pres"):
        return presentation_name(party_presentation(party))
    raise _Unknown


def _read_subaddress(party: PartyId, rest: list[str]) -> str:
    if not rest:
        return party.subaddress
    fields = {
        "valid": str(int(party.subaddress_valid)),
        "type": str(party.subaddress_type),
        "odd": str(int(party.subaddress_odd)),
    }
    if len(rest) == 1 and rest[0] in fields:
        return fields[rest[0]]
    raise _Unknown


def _callerid_read(scope: FunctionScope, data: str | None) -> str | None:
    channel = scope.channel
    if channel is None:
        return None
    args = separate_args(data, max_args=2)
    members = _members(args[0]) if args else None
    if members is None:
        return None
    try:
        if len(args) == 2:
            name, number = callerid_split(args[1])
            return _read_party(
                PartyId(name=name, name_valid=True, number=number, number_valid=True), members
            )
        return _read_caller(channel.caller, members)
    except _Unknown:
        scope.warn(f"Unknown callerid data type '{data}'.")
        return ""


def _read_caller(caller: CallerInfo, members: list[str]) -> str:
    first = members[0]
    if members == ["rdnis"]:
        return caller.rdnis
    if first == "dnid":
        rest = members[1:] or ["num"]
        if rest[0].startswith("num"):
            if len(rest) == 1:
                return caller.dnid
            if rest[1:] == ["plan"]:
                return str(caller.dnid_plan)
            raise _Unknown
        if rest[0].startswith("subaddr"):
            return _read_subaddress(caller.dnid_subaddress, rest[1:])
        raise _Unknown
    if members == ["ani2"]:
        return str(caller.ani2)
    if first == "ani":
        return _read_party(caller.ani, members[1:] or ["num"])
    return _read_party(caller.id, members)


def _digit_first(text: str) -> bool:
    return text[:1] != "" and text[0] in "0123456789"


def _number_or_name(value: str, parse: Callable[[str], int]) -> int:
    """A field written as a number or as a name; -1 when neither."""
    text = value.rstrip(C_SPACE)
    return atoi(text) if _digit_first(text) else parse(text)


def _write_party(party: PartyId, names: list[str], value: str) -> PartyId:
    if not names:
        raise _Unknown
    first, rest = names[0], names[1:]
    trimmed = value.rstrip(C_SPACE)
    if len(names) == 1 and first == "all":
        name, number = callerid_split(value)
        return replace(party, name=name, name_valid=True, number=number, number_valid=True)
    if first == "name":
        if not rest:
            return replace(party, name=trimmed, name_valid=True)
        if rest == ["valid"]:
            return replace(party, name_valid=atoi(value) != 0)
        if rest == ["charset"]:
            charset = _number_or_name(value, parse_charset)
            if charset < 0:
                raise _Invalid(f"Unknown name char-set '{trimmed}', value unchanged")
            return replace(party, name_charset=charset)
        if len(rest) == 1 and rest[0].startswith("pres"):
            return replace(party, name_presentation=_presentation(value, "name"))
        raise _Unknown
    if first.startswith("num") or (len(names) == 1 and first == "ton"):
        rest = ["plan"] if first == "ton" else rest
        if not rest:
            return replace(party, number=trimmed, number_valid=True)
        if rest == ["valid"]:
            return replace(party, number_valid=atoi(value) != 0)
        if rest == ["plan"]:
            if not _digit_first(trimmed):
                raise _Invalid(
                    f"Unknown type-of-number/numbering-plan '{trimmed}', value unchanged"
                )
            return replace(party, number_plan=atoi(trimmed))
        if len(rest) == 1 and rest[0].startswith("pres"):
            return replace(party, number_presentation=_presentation(value, "number"))
        raise _Unknown
    if first.startswith("subaddr"):
        return _write_subaddress(party, rest, value)
    if len(names) == 1 and first == "tag":
        return replace(party, tag=trimmed)
    if len(names) == 1 and first.startswith("pres"):
        combined = _presentation(value, "combined")
        return replace(party, name_presentation=combined, number_presentation=combined)
    raise _Unknown


def _presentation(value: str, what: str) -> int:
    presentation = _number_or_name(value, parse_presentation)
    if presentation < 0:
        raise _Invalid(f"Unknown {what} presentation '{value.rstrip(C_SPACE)}', value unchanged")
    return presentation


def _write_subaddress(party: PartyId, rest: list[str], value: str) -> PartyId:
    if not rest:
        return replace(party, subaddress=value.rstrip(C_SPACE))
    if rest == ["valid"]:
        return replace(party, subaddress_valid=atoi(value) != 0)
    if rest == ["type"]:
        return replace(party, subaddress_type=2 if atoi(value) else 0)
    if rest == ["odd"]:
        return replace(party, subaddress_odd=atoi(value) != 0)
    raise _Unknown


def _write_caller(caller: CallerInfo, members: list[str], value: str) -> CallerInfo:
    first = members[0]
    trimmed = value.rstrip(C_SPACE)
    if members == ["rdnis"]:
        return replace(caller, rdnis=value)
    if first == "dnid":
        rest = members[1:] or ["num"]
        if rest[0].startswith("num"):
            if len(rest) == 1:
                return replace(caller, dnid=trimmed)
            if rest[1:] == ["plan"]:
                if not _digit_first(trimmed):
                    raise _Invalid(
                        f"Unknown type-of-number/numbering-plan '{trimmed}', value unchanged"
                    )
                return replace(caller, dnid_plan=atoi(trimmed))
            raise _Unknown
        if rest[0].startswith("subaddr"):
            subaddress = _write_subaddress(caller.dnid_subaddress, rest[1:], value)
            return replace(caller, dnid_subaddress=subaddress)
        raise _Unknown
    if members == ["ani2"]:
        if not _digit_first(trimmed):
            raise _Invalid(f"Unknown callerid ani2 '{trimmed}', value unchanged")
        return replace(caller, ani2=atoi(trimmed))
    if first == "ani":
        return replace(caller, ani=_write_party(caller.ani, members[1:] or ["num"], value))
    return replace(caller, id=_write_party(caller.id, members, value))


def _callerid_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    channel = scope.channel
    if channel is None:
        return False
    args = separate_args(data, max_args=2)
    members = _members(args[0]) if args else None
    if members is None:
        return False
    try:
        channel.set_caller(_write_caller(channel.caller, members, value.lstrip(C_SPACE)))
    except _Unknown:
        scope.warn(f"Unknown callerid data type '{data}'.")
    except _Invalid as error:
        scope.warn(str(error))
    return True


def _channel_read(scope: FunctionScope, data: str | None) -> str | None:
    channel = scope.channel
    if channel is None:
        scope.warn("No channel was provided to CHANNEL function.")
        return None
    item = (data or "").lower()
    builtin = {
        "name": lambda: channel.name,
        "uniqueid": lambda: channel.uniqueid,
        "state": lambda: channel.state,
        "channeltype": lambda: channel.name.partition("/")[0],
    }
    value = builtin[item]() if item in builtin else channel.channel_item(item)
    if value is None:
        scope.warn(f"Unknown or unavailable item requested: '{data}'")
    return value


def _channel_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    channel = scope.channel
    if channel is None:
        scope.warn("No channel was provided to CHANNEL function.")
        return False
    if not channel.set_channel_item((data or "").lower(), value):
        scope.warn(f"Unknown or unavailable item requested: '{data}'")
        return False
    return True


CHANNEL_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="CALLERID", read=_callerid_read, write=_callerid_write),
    DialplanFunction(name="CHANNEL", read=_channel_read, write=_channel_write),
)
