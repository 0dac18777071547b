"""Time specs of includes, GotoIfTime and IFTIME (pbx_timing.c)."""

from __future__ import annotations

from datetime import UTC, datetime

from ariel.core.dialplan.timing import parse_timing

MONDAY_0930 = datetime(2024, 5, 6, 9, 30)
SUNDAY_0930 = datetime(2024, 5, 5, 9, 30)


def test_empty_spec_is_no_timing() -> None:
    assert parse_timing("") is None


def test_office_hours_on_weekdays() -> None:
    timing = parse_timing("9:00-17:00,mon-fri,*,*")
    assert timing is not None
    assert timing.matches(MONDAY_0930)
    assert not timing.matches(SUNDAY_0930)
    assert timing.matches(datetime(2024, 5, 6, 17, 0))  # the end minute is included
    assert not timing.matches(datetime(2024, 5, 6, 17, 1))


def test_ranges_wrap_around() -> None:
    timing = parse_timing("22:00-02:00,fri-mon")
    assert timing is not None
    assert timing.matches(datetime(2024, 5, 5, 23, 0))  # Sunday night
    assert timing.matches(datetime(2024, 5, 6, 1, 59))
    assert not timing.matches(datetime(2024, 5, 7, 23, 0))  # Tuesday


def test_days_of_month_and_months_with_ampersand() -> None:
    timing = parse_timing("*,*,1&15,jan&dec")
    assert timing is not None
    assert timing.matches(datetime(2024, 12, 15, 8, 0))
    assert not timing.matches(datetime(2024, 11, 15, 8, 0))
    assert not timing.matches(datetime(2024, 12, 14, 8, 0))


def test_numbers_count_from_one_so_weekday_one_is_sunday() -> None:
    timing = parse_timing("*,1")
    assert timing is not None
    assert timing.matches(SUNDAY_0930)
    assert not timing.matches(MONDAY_0930)


def test_invalid_items_are_skipped_with_warnings() -> None:
    timing = parse_timing("25:00,mon-xyz,*,*")
    assert timing is not None
    assert timing.minutes == frozenset()
    assert len(timing.warnings) == 2


def test_pipe_separates_fields_too_and_timezone_is_the_fifth() -> None:
    timing = parse_timing("9:00-10:00|*|*|*|Europe/Paris")
    assert timing is not None
    assert timing.timezone == "Europe/Paris"
    assert timing.matches(datetime(2024, 5, 6, 7, 30, tzinfo=UTC))  # 09:30 in Paris
    assert not timing.matches(datetime(2024, 5, 6, 9, 30, tzinfo=UTC))
