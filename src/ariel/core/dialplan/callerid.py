"""Caller identity as the dialplan sees it: parties, presentation, ``"Name" <num>``.

Theory of operation (after main/callerid.c and funcs/func_callerid.c): a
party id is a name and a number, each with a "valid" flag and a presentation
(privacy) value, plus the number plan, subaddress and tag.  The combined
presentation ``ast_party_id_presentation`` picks the more restrictive of the
two valid halves and is ``unavailable`` (0x43) when neither is valid.
Everything here is immutable; ``CALLERID()`` writes build a new
:class:`CallerInfo` and hand it to the channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ariel.config.values import shrink_phone_number
from ariel.core.dialplan.cstrings import strip_quoted

__all__ = [
    "PRESENTATIONS",
    "CallerInfo",
    "PartyId",
    "callerid_split",
    "charset_name",
    "parse_charset",
    "parse_presentation",
    "party_presentation",
    "presentation_name",
]

#: ``ast_named_caller_presentation`` names by value.
PRESENTATIONS: dict[int, str] = {
    0x00: "allowed_not_screened",
    0x01: "allowed_passed_screen",
    0x02: "allowed_failed_screen",
    0x03: "allowed",
    0x20: "prohib_not_screened",
    0x21: "prohib_passed_screen",
    0x22: "prohib_failed_screen",
    0x23: "prohib",
    0x43: "unavailable",
}
_CHARSETS: dict[int, str] = {
    0: "unknown",
    1: "iso8859-1",
    2: "withdrawn",
    3: "iso8859-2",
    4: "iso8859-3",
    5: "iso8859-4",
    6: "iso8859-5",
    7: "iso8859-7",
    8: "bmp",
    9: "utf8",
}
_RESTRICTION = 0x60
_ALLOWED, _RESTRICTED, _UNAVAILABLE = 0x00, 0x20, 0x40
_NUMBER_TYPE = 0x03
_NOT_AVAILABLE = 0x43


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyId:
    """One party's identity (``struct ast_party_id``).

    Attributes:
        name: The name text.
        name_valid: Whether the name is known.
        name_presentation: The name's presentation value.
        name_charset: The name's character set code (1 = iso8859-1).
        number: The number text.
        number_valid: Whether the number is known.
        number_presentation: The number's presentation value.
        number_plan: Type of number / numbering plan.
        subaddress: The subaddress text.
        subaddress_valid: Whether the subaddress is known.
        subaddress_type: 0 (NSAP) or 2 (user specified).
        subaddress_odd: The odd/even indicator.
        tag: A free-form tag.
    """

    name: str = ""
    name_valid: bool = False
    name_presentation: int = 0
    name_charset: int = 1
    number: str = ""
    number_valid: bool = False
    number_presentation: int = 0
    number_plan: int = 0
    subaddress: str = ""
    subaddress_valid: bool = False
    subaddress_type: int = 0
    subaddress_odd: bool = False
    tag: str = ""

    @property
    def shown_name(self) -> str:
        """The name if valid, else ``""`` (``S_COR(valid, str, "")``)."""
        return self.name if self.name_valid else ""

    @property
    def shown_number(self) -> str:
        """The number if valid, else ``""``."""
        return self.number if self.number_valid else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerInfo:
    """What ``CALLERID()`` reads and writes on a channel.

    Attributes:
        id: The caller (``CALLERID(name)``, ``CALLERID(num)``).
        ani: Automatic number identification (``CALLERID(ani)``).
        ani2: ANI II digits.
        dnid: The dialled number (``CALLERID(dnid)``).
        dnid_plan: Its numbering plan.
        dnid_subaddress: Its subaddress.
        rdnis: The redirecting number (``CALLERID(rdnis)``).
    """

    id: PartyId = field(default_factory=PartyId)
    ani: PartyId = field(default_factory=PartyId)
    ani2: int = 0
    dnid: str = ""
    dnid_plan: int = 0
    dnid_subaddress: PartyId = field(default_factory=PartyId)
    rdnis: str = ""

    @classmethod
    def of(cls, name: str | None = None, number: str | None = None) -> CallerInfo:
        """A caller with just a name and/or number (each valid when given)."""
        return cls(
            id=PartyId(
                name=name or "",
                name_valid=name is not None,
                number=number or "",
                number_valid=number is not None,
            )
        )


def presentation_name(value: int) -> str:
    """``ast_named_caller_presentation``: the name of a presentation value."""
    return PRESENTATIONS.get(value, "unknown")


def parse_presentation(text: str) -> int:
    """``ast_parse_caller_presentation``: a presentation name's value, or -1."""
    lowered = text.lower()
    for value, name in PRESENTATIONS.items():
        if name == lowered:
            return value
    return -1


def charset_name(value: int) -> str:
    """``ast_party_name_charset_str``."""
    return _CHARSETS.get(value, "unknown")


def parse_charset(text: str) -> int:
    """``ast_party_name_charset_parse``: a character set name's code, or -1."""
    lowered = text.lower()
    for value, name in _CHARSETS.items():
        if name == lowered:
            return value
    return -1


def _priority(valid: bool, presentation: int) -> tuple[int, int]:
    """(restriction value, priority: lower wins) of one half of a party id."""
    if not valid:
        return _UNAVAILABLE, 3
    value = presentation & _RESTRICTION
    ranks = {_RESTRICTED: 0, _ALLOWED: 1, _UNAVAILABLE: 2}
    if value not in ranks:
        return _UNAVAILABLE, 3
    return value, ranks[value]


def party_presentation(party: PartyId) -> int:
    """``ast_party_id_presentation``: the combined name/number presentation.

    >>> party_presentation(PartyId()), party_presentation(PartyId(number="1", number_valid=True))
    (67, 0)
    """
    name_value, name_priority = _priority(party.name_valid, party.name_presentation)
    number_value, number_priority = _priority(party.number_valid, party.number_presentation)
    screening = party.number_presentation & _NUMBER_TYPE if number_priority < 3 else 0
    if name_priority < number_priority:
        number_value = name_value
    if number_value == _UNAVAILABLE:
        return _NOT_AVAILABLE
    return number_value | screening


def _is_phone_number(text: str) -> bool:
    return bool(text) and all(char in "0123456789*#+" for char in text)


def callerid_split(text: str) -> tuple[str, str]:
    """``ast_callerid_split``: ``"Name" <number>`` into (name, number).

    >>> callerid_split('"Bob Smith" <(555) 123-4567>')
    ('Bob Smith', '5551234567')
    >>> callerid_split("5551234"), callerid_split("Alice")
    (('', '5551234'), ('Alice', ''))
    """
    text = strip_quoted(text)
    opening = text.rfind("<")
    if opening >= 0:
        location = text[opening + 1 :]
        closing = location.rfind(">")
        if closing >= 0:
            location = location[:closing]
        name = _unescape_quoted(strip_quoted(text[:opening]))
        return name, shrink_phone_number(location)
    shrunk = shrink_phone_number(text)
    if _is_phone_number(shrunk):
        return "", shrunk
    return _unescape_quoted(strip_quoted(text)), ""


def _unescape_quoted(text: str) -> str:
    """``ast_unescape_quoted``: ``\\x`` becomes ``x``."""
    out: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text):
            index += 1
        out.append(text[index])
        index += 1
    return "".join(out)
