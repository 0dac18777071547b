"""Fixed-depth jitter buffer: prefetch, reordering, loss, late and duplicate packets, resync."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.media.jitter_buffer import JitterBuffer, JitterStats
from ariel.media.rtp import SequenceTracker


def _frame(seq: int) -> bytes:
    return seq.to_bytes(4, "big")


def _put(buffer: JitterBuffer, *seqs: int) -> list[bool]:
    return [buffer.put(seq, seq * 160, _frame(seq)) for seq in seqs]


def _pop(buffer: JitterBuffer, count: int) -> list[int | None]:
    out: list[int | None] = []
    for _ in range(count):
        frame = buffer.pop()
        out.append(None if frame is None else int.from_bytes(frame, "big"))
    return out


def test_playout_waits_until_depth_slots_are_covered() -> None:
    buffer = JitterBuffer(depth=3)
    _put(buffer, 10, 11)
    assert buffer.pop() is None
    assert not buffer.playing
    _put(buffer, 12)
    assert buffer.playing
    assert _pop(buffer, 3) == [10, 11, 12]


def test_reordered_packets_play_in_sequence_order() -> None:
    buffer = JitterBuffer(depth=3)
    _put(buffer, 1, 3, 2, 5, 4)
    assert _pop(buffer, 5) == [1, 2, 3, 4, 5]


def test_packet_arriving_before_the_first_one_is_still_played() -> None:
    buffer = JitterBuffer(depth=3)
    _put(buffer, 5, 4, 6)
    assert _pop(buffer, 3) == [4, 5, 6]


def test_missing_packet_leaves_a_none_slot() -> None:
    buffer = JitterBuffer(depth=2)
    _put(buffer, 1, 2, 4, 5)
    assert _pop(buffer, 4) == [1, 2, None, 4]
    assert buffer.stats.lost == 1


def test_interleaved_ticks_with_one_loss_conceal_one_slot() -> None:
    buffer = JitterBuffer(depth=3)
    played: list[int | None] = []
    for seq in range(20):
        if seq != 8:
            _put(buffer, seq)
        played += _pop(buffer, 1)
    assert played[:2] == [None, None]  # prefetch
    assert played[2:] == [*range(0, 8), None, *range(9, 18)]


def test_duplicate_is_dropped() -> None:
    buffer = JitterBuffer(depth=1)
    assert _put(buffer, 1, 1) == [True, False]
    assert buffer.stats.duplicates == 1
    assert _pop(buffer, 2) == [1, None]


def test_packet_for_an_already_played_slot_is_late() -> None:
    buffer = JitterBuffer(depth=2)
    _put(buffer, 1, 3)
    assert _pop(buffer, 2) == [1, None]
    assert _put(buffer, 2) == [False]
    assert buffer.stats.late == 1


def test_running_dry_keeps_the_slot_and_prefetches_again() -> None:
    buffer = JitterBuffer(depth=2)
    _put(buffer, 1, 2)
    assert _pop(buffer, 2) == [1, 2]
    assert _pop(buffer, 5) == [None] * 5  # the sender paused: not counted as loss
    assert not buffer.playing
    _put(buffer, 3)
    assert buffer.pop() is None
    _put(buffer, 4)
    assert _pop(buffer, 2) == [3, 4]
    assert buffer.stats.lost == 0 and buffer.stats.late == 0


@pytest.mark.parametrize("jump", [101, 5000, -101, -5000])
def test_big_sequence_jump_resyncs(jump: int) -> None:
    buffer = JitterBuffer(depth=2)
    _put(buffer, 10_000, 10_001)
    assert _pop(buffer, 1) == [10_000]
    start = 10_001 + jump
    assert _put(buffer, start, start + 1) == [True, True]
    assert _pop(buffer, 2) == [start, start + 1]
    assert buffer.stats.resyncs == 1


def test_size_stays_bounded_by_discarding_the_oldest_slots() -> None:
    buffer = JitterBuffer(depth=3, max_size=10, resync_gap=100)
    _put(buffer, *range(0, 60))
    assert len(buffer) == 10
    assert buffer.stats.overflowed == 50
    assert _pop(buffer, 10) == list(range(50, 60))


def test_reset_forgets_everything() -> None:
    buffer = JitterBuffer(depth=1)
    _put(buffer, 1, 2)
    buffer.reset()
    assert len(buffer) == 0 and buffer.pop() is None
    _put(buffer, 900)
    assert _pop(buffer, 1) == [900]


def test_last_timestamp_follows_the_played_packet() -> None:
    buffer = JitterBuffer(depth=1)
    assert buffer.last_timestamp is None
    _put(buffer, 7)
    buffer.pop()
    assert buffer.last_timestamp == 7 * 160


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        JitterBuffer(depth=0)
    with pytest.raises(ValueError):
        JitterBuffer(depth=5, max_size=4)


def test_keyed_by_extended_sequence_numbers_across_the_wrap() -> None:
    tracker = SequenceTracker()
    buffer = JitterBuffer(depth=3)
    for seq in (65533, 65535, 65534, 0, 1):
        extended = tracker.receive(seq, 0, 0)
        assert extended is not None
        buffer.put(extended, 0, _frame(seq))
    assert _pop(buffer, 5) == [65533, 65534, 65535, 0, 1]


@given(st.permutations(range(40)), st.sets(st.integers(1, 38), max_size=10))
def test_any_arrival_order_plays_in_order_with_none_for_losses(
    order: list[int], lost: set[int]
) -> None:
    buffer = JitterBuffer(depth=3, max_size=50)
    for seq in order:
        if seq not in lost:
            _put(buffer, 1000 + seq)
    played = _pop(buffer, 40)
    assert played == [None if s in lost else 1000 + s for s in range(40)]
    assert buffer.stats == JitterStats(
        received=40 - len(lost), played=40 - len(lost), lost=len(lost)
    )


@given(st.lists(st.integers(0, 300), max_size=200), st.lists(st.booleans(), max_size=200))
def test_random_traffic_never_exceeds_max_size_or_replays_a_slot(
    seqs: list[int], ticks: list[bool]
) -> None:
    buffer = JitterBuffer(depth=3, max_size=20, resync_gap=100)
    played: list[int] = []
    for i, seq in enumerate(seqs):
        _put(buffer, seq)
        assert len(buffer) <= 20
        if i < len(ticks) and ticks[i]:
            played += [s for s in _pop(buffer, 1) if s is not None]
    if buffer.stats.resyncs == 0:
        assert played == sorted(set(played))
