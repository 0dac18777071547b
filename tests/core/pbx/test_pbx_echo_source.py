"""Echo(): the caller's audio comes back in the frame size the media clock asks for."""

from __future__ import annotations

import numpy as np

from ariel.core.pbx.apps_media import EchoSource


def test_thirty_ms_frames_come_back_as_twenty_ms_frames_in_order() -> None:
    echo = EchoSource()
    heard = np.arange(480, dtype=np.int16)  # two 30 ms frames of a phone with ptime 30
    echo.hear(heard[:240])
    echo.hear(heard[240:])
    frames = [echo.read(160) for _ in range(3)]
    assert all(f is not None and f.shape == (160,) for f in frames)
    assert np.array_equal(np.concatenate([f for f in frames if f is not None]), heard)
    assert echo.read(160) is None


def test_less_than_a_frame_waits_for_more() -> None:
    echo = EchoSource()
    echo.hear(np.ones(80, dtype=np.int16))
    assert echo.read(160) is None
    echo.hear(np.full(80, 2, dtype=np.int16))
    frame = echo.read(160)
    assert frame is not None and list(frame[78:82]) == [1, 1, 2, 2]


def test_no_more_than_200_ms_wait_and_the_oldest_go_first() -> None:
    echo = EchoSource()
    for value in range(12):  # 240 ms of 20 ms frames, nobody reading
        echo.hear(np.full(160, value, dtype=np.int16))
    first = echo.read(160)
    assert first is not None and int(first[0]) == 2  # frames 0 and 1 were dropped
