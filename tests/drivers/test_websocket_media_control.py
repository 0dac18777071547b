"""chan_websocket's control messages and media queue, sans-IO."""

from __future__ import annotations

import json

import pytest

from ariel.drivers.websocket_media.control import (
    XOFF_LEVEL,
    XON_LEVEL,
    Command,
    ControlError,
    MediaQueue,
    Notice,
    format_notice,
    parse_command,
)
from ariel.drivers.websocket_media.driver import WsOptions, parse_options

MEDIA_START = Notice(
    event="MEDIA_START",
    fields=(
        ("connection_id", "c1"),
        ("channel", "WebSocket/INCOMING/0x00000001"),
        ("channel_id", "42.1"),
        ("format", "ulaw"),
        ("optimal_frame_size", 160),
        ("ptime", 20),
    ),
)


def test_media_start_in_plain_text() -> None:
    assert format_notice(MEDIA_START, channel_id="42.1", json_format=False) == (
        "MEDIA_START connection_id:c1 channel:WebSocket/INCOMING/0x00000001 channel_id:42.1 "
        "format:ulaw optimal_frame_size:160 ptime:20"
    )


def test_media_start_in_json_keeps_its_own_channel_id() -> None:
    text = format_notice(MEDIA_START, channel_id="42.1", json_format=True)
    assert json.loads(text) == {
        "event": "MEDIA_START",
        "connection_id": "c1",
        "channel": "WebSocket/INCOMING/0x00000001",
        "channel_id": "42.1",
        "format": "ulaw",
        "optimal_frame_size": 160,
        "ptime": 20,
    }


def test_json_notices_carry_the_channel_id() -> None:
    text = format_notice(Notice(event="MEDIA_XOFF"), channel_id="42.1", json_format=True)
    assert text == '{"event":"MEDIA_XOFF","channel_id":"42.1"}'
    assert format_notice(Notice(event="MEDIA_XOFF"), channel_id="42.1", json_format=False) == (
        "MEDIA_XOFF"
    )


def test_commands_in_plain_text_and_json() -> None:
    assert parse_command("MARK_MEDIA m1\n", json_format=False) == Command(
        name="MARK_MEDIA", data="m1"
    )
    assert parse_command("ANSWER", json_format=False) == Command(name="ANSWER")
    assert parse_command(
        '{"command":"STOP_MEDIA_BUFFERING","correlation_id":"x"}', json_format=True
    ) == Command(name="STOP_MEDIA_BUFFERING", data="x")


def test_json_command_that_is_no_json_is_an_error() -> None:
    with pytest.raises(ControlError, match="Unable to parse JSON command"):
        parse_command("HANGUP", json_format=True)


def test_media_is_cut_into_optimal_frames_and_an_odd_rest_dropped() -> None:
    queue = MediaQueue(160)
    queue.push(bytes(range(160)) * 2 + b"xyz")
    assert queue.length == 2
    assert queue.pop() == (bytes(range(160)), [])
    assert queue.pop()[0] == bytes(range(160))
    assert queue.pop() == (None, [])


def test_buffering_joins_messages_and_pads_the_rest_at_stop() -> None:
    queue = MediaQueue(4)
    queue.buffering = True
    queue.push(b"abcdef")
    queue.push(b"gh")
    queue.push(b"i")
    queue.stop_buffering("tts-1")
    frames = [queue.pop() for _ in range(4)]
    assert [f for f, _ in frames[:3]] == [b"abcd", b"efgh", b"i"]
    assert frames[3] == (
        None,
        [Notice(event="MEDIA_BUFFERING_COMPLETED", correlation_id="tts-1")],
    )


def test_mark_is_reported_after_the_media_before_it() -> None:
    queue = MediaQueue(2)
    queue.push(b"aabb")
    queue.mark("m")
    assert queue.pop() == (b"aa", [])
    assert queue.pop() == (b"bb", [])
    assert queue.pop() == (None, [Notice(event="MEDIA_MARK_PROCESSED", correlation_id="m")])


def test_xoff_at_the_high_mark_and_xon_below_the_low_mark() -> None:
    queue = MediaQueue(1)
    assert queue.push(bytes(XOFF_LEVEL - 1)) == []
    assert queue.push(b"\x00") == [Notice(event="MEDIA_XOFF")]
    for _ in range(XOFF_LEVEL - XON_LEVEL + 1):  # checked before each pop
        assert queue.pop()[1] == []
    assert queue.pop()[1] == [Notice(event="MEDIA_XON")]


def test_pause_holds_the_queue_and_flush_empties_it() -> None:
    queue = MediaQueue(2)
    queue.push(b"aabb")
    queue.paused = True
    assert queue.pop() == (None, [])
    assert queue.length == 2
    queue.flush()
    assert (queue.length, queue.paused) == (0, False)
    assert queue.pop() == (None, [])


def test_drained_is_reported_once() -> None:
    queue = MediaQueue(2)
    queue.report_drained = True
    assert queue.pop() == (None, [Notice(event="QUEUE_DRAINED")])
    assert queue.pop() == (None, [])


def test_status_in_plain_text() -> None:
    text = format_notice(MediaQueue(2).status("42.1"), channel_id="42.1", json_format=False)
    assert text == (
        "STATUS channel_id:42.1 queue_length:0 xon_level:800 xoff_level:900 "
        "queue_full:false bulk_media:false media_paused:false"
    )


def test_dial_string_options() -> None:
    assert parse_options("c(slin)nf(json)") == WsOptions(
        format="slin", no_auto_answer=True, json=True
    )
    assert parse_options("c(ulaw)v(a=1,b=2)") == WsOptions(format="ulaw", uri_params="a=1&b=2")
    assert parse_options("c(opus)") is None
    assert parse_options("c(ulaw") is None
    assert parse_options("z") is None
