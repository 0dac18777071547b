"""Dialplan applications that play or echo audio: Playback and Echo.

``Playback(file[&file...][,options])`` answers the channel (unless
``noanswer``; ``skip`` skips it when the channel is not up), plays each file
in turn and sets ``PLAYBACKSTATUS`` to ``SUCCESS`` or ``FAILED`` (a file that
cannot be found), as app_playback does. ``Echo()`` sends back every frame the
caller sends until the caller presses ``#`` or hangs up.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import deque

import numpy as np

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.args import separate_args
from ariel.core.media.sources import Samples
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable

__all__ = ["EchoSource", "make_media_apps"]

log = logging.getLogger("ariel.pbx")


class EchoSource:
    """The caller's own audio, played back as it arrives, in frames of the size asked.

    A phone may send 20, 30 or 10 ms frames (its ``ptime``); the media clock
    asks for 20 ms. What was heard is kept as samples and cut to size; no more
    than :data:`MAX_BUFFERED` samples wait (the oldest go first).
    """

    MAX_BUFFERED = 1600  # 200 ms at 8 kHz

    def __init__(self) -> None:
        self._pieces: deque[Samples] = deque()
        self._buffered = 0
        self.done = False

    @property
    def finished(self) -> bool:
        return self.done

    def hear(self, frame: Samples) -> None:
        """Audio from the caller."""
        if not len(frame):
            return
        self._pieces.append(frame)
        self._buffered += len(frame)
        while self._buffered > self.MAX_BUFFERED:
            self._buffered -= len(self._pieces.popleft())

    def read(self, n: int) -> Samples | None:
        if self._buffered < n:
            return None
        parts: list[Samples] = []
        wanted = n
        while wanted:
            piece = self._pieces.popleft()
            if len(piece) > wanted:
                self._pieces.appendleft(piece[wanted:])
                piece = piece[:wanted]
            parts.append(piece)
            wanted -= len(piece)
        self._buffered -= n
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


async def _until_done_or_hangup(chan: Channel, done: asyncio.Future[None]) -> bool:
    """Wait for ``done``; False if the channel hung up first."""
    hung: asyncio.Future[bool] = asyncio.ensure_future(chan.hungup.wait())
    waiting: set[asyncio.Future[None] | asyncio.Future[bool]] = {done, hung}
    try:
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hung.cancel()
    return done.done()


def _settle(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


def make_media_apps(library: MediaLibrary) -> dict[str, tuple[str, DialplanApp]]:
    """Playback and Echo bound to the server's media library."""

    async def playback(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = separate_args(data, max_args=2)
        files = [f for f in (args[0] if args else "").split("&") if f]
        options = {o.strip() for o in (args[1] if len(args) > 1 else "").split(",")}
        if chan.state != ChannelState.UP:
            if "skip" in options:
                chan.set_variable("PLAYBACKSTATUS", "SUCCESS")
                return AppResult.NEXT
            if "noanswer" not in options:
                await chan.tech.answer(chan)
        status = "SUCCESS"
        loop = asyncio.get_running_loop()
        for name in files:
            try:
                source = library.open(f"sound:{name}", chan.snapshot().language)
            except MediaUnavailable as exc:
                log.warning("%s: Playback(%s): %s", chan.name, name, exc)
                status = "FAILED"
                continue
            done: asyncio.Future[None] = loop.create_future()
            chan.media.play_stream(source, functools.partial(_settle, done))
            if not await _until_done_or_hangup(chan, done):
                chan.media.stop_stream()
                return AppResult.HANGUP
        chan.set_variable("PLAYBACKSTATUS", status)
        return AppResult.NEXT

    async def echo(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
        source = EchoSource()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_digit(digit: str, _ms: int) -> None:
            if digit == "#":
                source.done = True
                if not done.done():
                    done.set_result(None)

        chan.media.add_audio_listener(source, source.hear)
        chan.media.add_dtmf_listener(source, on_digit)
        chan.media.play_stream(source, lambda: None)
        try:
            ended = await _until_done_or_hangup(chan, done)
        finally:
            chan.media.remove_audio_listener(source)
            chan.media.remove_dtmf_listener(source)
            chan.media.stop_stream()
        return AppResult.NEXT if ended else AppResult.HANGUP

    return {"playback": ("Playback", playback), "echo": ("Echo", echo)}
