from datetime import UTC, datetime, timedelta, timezone

from ariel._util.clock import FixedClock, ari_timestamp
from ariel._util.ids import IdFactory


def test_timestamp_has_milliseconds_and_numeric_offset() -> None:
    moment = datetime(2019, 1, 27, 21, 43, 43, 720999, tzinfo=timezone(timedelta(hours=-5)))
    assert ari_timestamp(moment) == "2019-01-27T21:43:43.720-0500"


def test_unique_ids_are_epoch_dot_sequence() -> None:
    clock = FixedClock(datetime(2020, 1, 1, tzinfo=UTC))
    ids = IdFactory(clock)
    assert ids.unique_id() == "1577836800.0"
    assert ids.unique_id() == "1577836800.1"


def test_channel_suffix_is_eight_hex_digits() -> None:
    ids = IdFactory(FixedClock(datetime(2020, 1, 1, tzinfo=UTC)), start=30)
    assert ids.channel_suffix() == "0000001f"
