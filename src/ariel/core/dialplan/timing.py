"""Time specs: ``<times>,<weekdays>,<mdays>,<months>[,<timezone>]``.

Theory of operation (after main/pbx_timing.c ``ast_build_timing`` and
``ast_check_timing``): a spec is split on ``,`` or ``|`` into up to five
fields.  Times are ``HH:MM-HH:MM`` ranges (or single ``HH:MM`` minutes),
joined with ``&``; weekdays (``sun``..``sat``), days of the month (1-31) and
months (``jan``..``dec``) are ``&``-joined items or ``a-b`` ranges that wrap
around (``fri-mon``).  An empty field or ``*`` means "any".  Numbers count from
one, so weekday ``1`` is Sunday.  Invalid items are skipped with a warning, as
Asterisk does.  Used by ``include => context,<spec>``, ``GotoIfTime`` and
``IFTIME``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Timing", "parse_timing"]

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MINUTES_PER_DAY = 24 * 60
_NUMBER = r"([+-]\d|\d{1,2})"  # sscanf "%2d": the width counts the sign
_TIME = re.compile(rf"\s*{_NUMBER}:\s*{_NUMBER}")
_LEADING_INT = re.compile(rf"\s*{_NUMBER}")
_NON_DIGITS = re.compile(r"^[^0-9]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    """A parsed time spec.

    Attributes:
        minutes: The minutes of the day (0-1439) that match.
        weekdays: Bit ``n`` set for weekday ``n`` (0 = Sunday).
        mdays: Bit ``n`` set for day of the month ``n + 1``.
        months: Bit ``n`` set for month ``n + 1``.
        timezone: The IANA zone to judge in, or ``""`` for the time as given.
        warnings: What was skipped while parsing.
    """

    minutes: frozenset[int]
    weekdays: int = 0x7F
    mdays: int = 0x7FFFFFFF
    months: int = 0xFFF
    timezone: str = ""
    warnings: tuple[str, ...] = ()

    def matches(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside the spec (``ast_check_timing2``).

        A naive ``moment`` is taken as local time already; an aware one is
        converted to ``timezone`` when that names a known zone.
        """
        if self.timezone and moment.tzinfo is not None:
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                moment = moment.astimezone(ZoneInfo(self.timezone))
        if not self.months & (1 << (moment.month - 1)):
            return False
        if not self.mdays & (1 << (moment.day - 1)):
            return False
        weekday = (moment.weekday() + 1) % 7  # Python: Monday=0; Asterisk: Sunday=0
        if not self.weekdays & (1 << weekday):
            return False
        return moment.hour * 60 + moment.minute in self.minutes


def parse_timing(spec: str) -> Timing | None:
    """Parse a time spec; ``None`` for an empty one (``ast_build_timing`` returns 0).

    >>> t = parse_timing("9:00-17:00,mon-fri,*,*")
    >>> monday, sunday = datetime(2024, 5, 6, 9, 30), datetime(2024, 5, 5, 9, 30)
    >>> t is not None and t.matches(monday), t is not None and t.matches(sunday)
    (True, False)
    """
    if not spec:
        return None
    fields = re.split(r"[|,]", spec)
    warnings: list[str] = []
    timezone = fields[4] if len(fields) == 5 else ""
    minutes = _time_range(fields[0], warnings)
    weekdays = _range(fields[1], 7, _DAYS, "day of week", warnings) if len(fields) > 1 else 0x7F
    mdays = _range(fields[2], 31, None, "day", warnings) if len(fields) > 2 else 0x7FFFFFFF
    months = _range(fields[3], 12, _MONTHS, "month", warnings) if len(fields) > 3 else 0xFFF
    return Timing(
        minutes=minutes,
        weekdays=weekdays,
        mdays=mdays,
        months=months,
        timezone=timezone,
        warnings=tuple(warnings),
    )


def _clock(text: str) -> int | None:
    found = _TIME.match(text)
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour * 60 + minute


def _time_range(times: str, warnings: list[str]) -> frozenset[int]:
    if not times or times == "*":
        return frozenset(range(_MINUTES_PER_DAY))
    out: set[int] = set()
    for part in times.split("&"):
        start_text, dash, end_text = part.partition("-")
        if not dash:
            single = _clock(part)
            if single is None:
                warnings.append(f"{part} isn't a valid time.")
            else:
                out.add(single)
            continue
        end_text = _NON_DIGITS.sub("", end_text)  # "why skip non digits? Mostly to skip spaces"
        if not end_text:
            warnings.append(f"Invalid time range starting with '{start_text}-'.")
            continue
        start, end = _clock(start_text), _clock(end_text)
        if start is None:
            warnings.append(f"'{start_text}' isn't a valid start time.")
            continue
        if end is None:
            warnings.append(f"'{end_text}' isn't a valid end time.")
            continue
        minute = start
        while minute != end:
            out.add(minute)
            minute = (minute + 1) % _MINUTES_PER_DAY
        out.add(end)
    return frozenset(out)


def _lookup(text: str, names: tuple[str, ...] | None, size: int) -> int:
    if names and text[:1] > "9":
        lowered = text.lower()
        if lowered in names:
            return names.index(lowered)
    found = _LEADING_INT.match(text)
    if found and 1 <= int(found.group(1)) <= size:
        return int(found.group(1)) - 1
    return -1


def _range(
    text: str, size: int, names: tuple[str, ...] | None, what: str, warnings: list[str]
) -> int:
    if not text or text == "*":
        return (1 << size) - 1
    mask = 0
    for part in text.split("&"):
        start_text, dash, end_text = part.partition("-")
        start = _lookup(start_text, names, size)
        if start < 0:
            warnings.append(f"Invalid {what} '{start_text}', skipping element")
            continue
        end = start
        if dash:
            end = _lookup(end_text, names, size)
            if end < 0:
                warnings.append(f"Invalid end {what} '{end_text}', skipping element")
                continue
        mask |= 1 << end
        while start != end:
            mask |= 1 << start
            start = (start + 1) % size
    return mask
