"""RFC 4733 telephone-events: payloads, the send plan and the receive state machine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.media.rfc4733 import (
    EVENT_FLASH,
    DtmfBegin,
    DtmfDecoder,
    DtmfEncoder,
    DtmfEnd,
    DtmfEvent,
    DtmfPacket,
    TelephoneEvent,
    TelephoneEventError,
    digit_to_event,
    event_to_digit,
    parse_telephone_event,
)

# Digit 5, E bit, volume 10, duration 800 (100 ms at 8000 Hz).
END_5 = bytes.fromhex("058a0320")


def _payload(event: int, duration: int, *, end: bool = False) -> bytes:
    return TelephoneEvent(event=event, end=end, duration=duration).to_bytes()


def test_end_payload_parses_all_fields() -> None:
    assert parse_telephone_event(END_5) == TelephoneEvent(
        event=5, end=True, volume=10, duration=800
    )


def test_reserved_bit_is_ignored_and_sent_as_zero() -> None:
    parsed = parse_telephone_event(bytes.fromhex("05ca0320"))
    assert parsed == parse_telephone_event(END_5)
    assert parsed.to_bytes() == END_5


def test_octets_after_the_first_four_are_ignored() -> None:
    assert parse_telephone_event(END_5 + b"\x00\x00") == parse_telephone_event(END_5)


@pytest.mark.parametrize("cut", range(4))
def test_short_payload_is_rejected(cut: int) -> None:
    with pytest.raises(TelephoneEventError, match="need 4"):
        parse_telephone_event(END_5[:cut])


@given(st.integers(0, 255), st.booleans(), st.integers(0, 63), st.integers(0, 65535))
def test_payload_round_trips(event: int, end: bool, volume: int, duration: int) -> None:
    value = TelephoneEvent(event=event, end=end, volume=volume, duration=duration)
    assert parse_telephone_event(value.to_bytes()) == value


@pytest.mark.parametrize(
    ("code", "digit"),
    [(0, "0"), (9, "9"), (10, "*"), (11, "#"), (12, "A"), (15, "D"), (EVENT_FLASH, "X")],
)
def test_event_codes_map_to_digits_and_back(code: int, digit: str) -> None:
    assert event_to_digit(code) == digit
    assert digit_to_event(digit) == code


def test_lowercase_letters_are_accepted_and_unknown_characters_refused() -> None:
    assert digit_to_event("b") == 13
    assert event_to_digit(32) is None
    for bad in ("E", "", "12", "w"):
        with pytest.raises(TelephoneEventError):
            digit_to_event(bad)


def test_plan_for_a_100_ms_digit() -> None:
    plan = DtmfEncoder().plan("5", 100, 1000)
    end = DtmfPacket(offset_ms=100, marker=False, timestamp=1000, payload=END_5)
    assert plan == [
        DtmfPacket(offset_ms=0, marker=True, timestamp=1000, payload=_payload(5, 0)),
        DtmfPacket(offset_ms=50, marker=False, timestamp=1000, payload=_payload(5, 400)),
        end,
        end,
        end,
    ]


def test_plan_updates_every_50_ms_with_growing_duration() -> None:
    plan = DtmfEncoder().plan("#", 250, 7)
    assert [p.offset_ms for p in plan] == [0, 50, 100, 150, 200, 250, 250, 250]
    durations = [parse_telephone_event(p.payload).duration for p in plan]
    assert durations == [0, 400, 800, 1200, 1600, 2000, 2000, 2000]
    assert {p.timestamp for p in plan} == {7}
    assert [p.marker for p in plan].count(True) == 1


def test_end_packets_can_be_spaced() -> None:
    plan = DtmfEncoder(end_interval_ms=20).plan("1", 60, 0)
    assert [p.offset_ms for p in plan[-3:]] == [60, 80, 100]


def test_plan_timestamp_wraps_at_32_bits() -> None:
    assert DtmfEncoder().plan("1", 60, 2**32 + 5)[0].timestamp == 5


def test_plan_refuses_bad_digit_and_zero_duration() -> None:
    with pytest.raises(TelephoneEventError):
        DtmfEncoder().plan("?", 100, 0)
    with pytest.raises(ValueError, match="positive"):
        DtmfEncoder().plan("1", 0, 0)


def test_long_event_is_cut_into_segments_of_at_most_65535() -> None:
    plan = DtmfEncoder().plan("0", 10_000, 100)  # 80000 samples
    events = [parse_telephone_event(p.payload) for p in plan]
    assert max(e.duration for e in events) == 0xFFFF
    closes = [p for p, e in zip(plan, events, strict=True) if e.duration == 0xFFFF]
    assert len(closes) == 3 and {p.timestamp for p in closes} == {100}
    assert not any(e.end for e in events if e.duration == 0xFFFF)
    second = [p for p in plan if p.timestamp == 100 + 0xFFFF]
    assert second and not any(p.marker for p in second)
    assert [e.duration for e in events[-3:]] == [80000 - 0xFFFF] * 3
    assert all(e.end for e in events[-3:])


def _play(decoder: DtmfDecoder, plan: list[DtmfPacket], start_ms: int = 0) -> list[DtmfEvent]:
    out: list[DtmfEvent] = []
    for p in plan:
        out += decoder.feed(p.timestamp, p.marker, p.payload, start_ms + p.offset_ms)
    return out


def test_three_end_packets_give_one_end_event() -> None:
    decoder = DtmfDecoder()
    events = _play(decoder, DtmfEncoder().plan("5", 100, 1000))
    assert events == [DtmfBegin(digit="5"), DtmfEnd(digit="5", duration_ms=100)]
    assert decoder.active is None


@given(
    digits=st.lists(st.sampled_from("0123456789*#ABCD"), min_size=1, max_size=4),
    duration=st.integers(1, 2000),
)
def test_encoder_plans_decode_to_one_begin_and_end_per_digit(
    digits: list[str], duration: int
) -> None:
    decoder = DtmfDecoder()
    encoder = DtmfEncoder()
    events: list[DtmfEvent] = []
    for i, digit in enumerate(digits):
        plan = encoder.plan(digit, duration, 5000 + i * 8 * (duration + 100))
        events += _play(decoder, plan, i * (duration + 100))
    expected: list[DtmfEvent] = []
    for digit in digits:
        expected += [DtmfBegin(digit=digit), DtmfEnd(digit=digit, duration_ms=duration)]
    assert events == expected


def test_long_event_decodes_as_one_digit_with_its_full_duration() -> None:
    events = _play(DtmfDecoder(), DtmfEncoder().plan("0", 10_000, 2**32 - 1000))
    assert events == [DtmfBegin(digit="0"), DtmfEnd(digit="0", duration_ms=10_000)]


def test_late_update_after_the_end_is_ignored() -> None:
    decoder = DtmfDecoder()
    decoder.feed(160, True, _payload(1, 0), 0)
    decoder.feed(160, False, _payload(1, 800, end=True), 100)
    assert decoder.feed(160, False, _payload(1, 400), 110) == []


def test_new_timestamp_ends_the_active_event_and_begins_the_next() -> None:
    decoder = DtmfDecoder()
    decoder.feed(1000, True, _payload(1, 0), 0)
    decoder.feed(1000, False, _payload(1, 400), 50)
    assert decoder.feed(3000, True, _payload(2, 0), 250) == [
        DtmfEnd(digit="1", duration_ms=50),
        DtmfBegin(digit="2"),
    ]
    assert decoder.active == "2"


def test_packet_of_an_earlier_event_is_ignored() -> None:
    decoder = DtmfDecoder()
    decoder.feed(1000, True, _payload(1, 0), 0)
    decoder.feed(3000, True, _payload(2, 0), 250)
    assert decoder.feed(1000, False, _payload(1, 800, end=True), 260) == []
    assert decoder.feed(1000, True, _payload(1, 0), 261) == []
    assert decoder.active == "2"


def test_end_packet_for_an_unseen_timestamp_gives_begin_and_end() -> None:
    assert DtmfDecoder().feed(480, False, END_5, 0) == [
        DtmfBegin(digit="5"),
        DtmfEnd(digit="5", duration_ms=100),
    ]


def test_event_without_end_packets_times_out() -> None:
    decoder = DtmfDecoder(timeout_ms=800)
    decoder.feed(0, True, _payload(3, 0), 1000)
    decoder.feed(0, False, _payload(3, 1200), 1150)
    assert decoder.timeout(1949) == []
    assert decoder.timeout(1950) == [DtmfEnd(digit="3", duration_ms=150)]
    assert decoder.timeout(5000) == []
    assert decoder.feed(0, False, _payload(3, 1600, end=True), 5001) == []


def test_timestamps_across_the_32_bit_wrap_are_ordered() -> None:
    decoder = DtmfDecoder()
    decoder.feed(2**32 - 100, True, _payload(1, 0), 0)
    assert decoder.feed(100, False, _payload(2, 0), 100) == [
        DtmfEnd(digit="1", duration_ms=0),
        DtmfBegin(digit="2"),
    ]


def test_duration_uses_the_negotiated_clock_rate() -> None:
    decoder = DtmfDecoder(clock_rate=16000)
    assert decoder.feed(0, True, _payload(9, 3200, end=True), 0)[-1] == DtmfEnd(
        digit="9", duration_ms=200
    )


def test_malformed_payload_raises_and_leaves_the_state_alone() -> None:
    decoder = DtmfDecoder()
    decoder.feed(0, True, _payload(4, 0), 0)
    with pytest.raises(TelephoneEventError):
        decoder.feed(800, True, b"\x01", 10)
    assert decoder.active == "4"
    assert decoder.feed(0, False, _payload(4, 400, end=True), 20) == [
        DtmfEnd(digit="4", duration_ms=50)
    ]


def test_non_dtmf_events_are_ignored() -> None:
    decoder = DtmfDecoder()
    assert decoder.feed(0, True, _payload(32, 0), 0) == []  # fax ANS tone
    assert decoder.active is None
