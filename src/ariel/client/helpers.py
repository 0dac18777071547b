"""High-level helpers built on handles and events: prompts and digits, recording, dialling.

Each helper opens its event stream or handle *before* the request that makes
events happen, so nothing is missed however fast the server answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ariel.client._hub import EventStream
from ariel.client._ids import new_id
from ariel.client.client import AriClient
from ariel.client.errors import AriError, AriHTTPError, AriTimeout, HandleEnded
from ariel.client.handles import Bridge, Channel, StoredRecording
from ariel.client.models import (
    ChannelDtmfReceived,
    Event,
    PlaybackFinished,
    RecordingFailed,
    RecordingFinished,
)

__all__ = [
    "BridgeMonitor",
    "DialFailed",
    "RecordingError",
    "dial_and_bridge",
    "play_and_collect",
    "record",
]

log = logging.getLogger("ariel.client")


async def play_and_collect(
    channel: Channel,
    media: str | Sequence[str] = (),
    *,
    max_digits: int = 1,
    timeout: float = 5.0,
    terminator: str = "#",
    interrupt: bool = True,
    lang: str | None = None,
) -> str:
    """Play prompts and collect DTMF digits.

    Digits pressed during the prompts count (and stop them when
    ``interrupt``). After the prompts, each digit must come within
    ``timeout`` seconds of the previous one (or of the prompts' end).

    Args:
        channel: An answered channel in Stasis.
        media: Media URIs played one after another (``sound:...``); none
            for collecting only.
        max_digits: Stop after this many digits.
        timeout: Seconds to wait for each digit once the prompts are done.
        terminator: Digits that end the input early (not returned); ``""``
            for none.
        interrupt: Stop the prompts at the first digit.
        lang: Language of the prompts.

    Returns:
        The digits, without the terminator (``""`` when none came in time).

    Raises:
        HandleEnded: The channel left Stasis or hung up.
    """
    digits = ""
    stream: EventStream[Event] = channel.events(ChannelDtmfReceived, PlaybackFinished)
    try:
        playback = None
        if media:
            items = [media] if isinstance(media, str) else list(media)
            playback = await channel.play(media=items, lang=lang)
        playing = playback is not None
        while len(digits) < max_digits:
            try:
                event = await stream.next(timeout=None if playing else timeout)
            except TimeoutError:
                break
            except StopAsyncIteration:
                last = channel.history[-1] if channel.history else None
                raise HandleEnded(
                    f"channel {channel.id} ended while collecting digits", last
                ) from None
            if isinstance(event, PlaybackFinished):
                if playback is not None and event.playback.id == playback.id:
                    playing = False
                continue
            if not isinstance(event, ChannelDtmfReceived):
                continue
            if playing and interrupt and playback is not None:
                playing = False
                with contextlib.suppress(AriHTTPError):
                    await playback.stop()
            if event.digit in terminator:
                break
            digits += event.digit
        if playing and playback is not None:
            with contextlib.suppress(AriHTTPError):
                await playback.stop()
        return digits
    finally:
        stream.close()


class RecordingError(AriError):
    """A recording failed (``RecordingFailed``), with the server's cause."""


async def record(
    channel: Channel,
    name: str,
    *,
    format: str = "wav",
    beep: bool = True,
    terminate_on: str = "#",
    max_silence_seconds: int | None = None,
    max_duration_seconds: int | None = None,
    if_exists: str = "overwrite",
    timeout: float | None = None,
) -> StoredRecording:
    """Record a channel until it is stopped, and return the stored recording.

    Args:
        channel: An answered channel in Stasis.
        name: Recording name (a path under the recordings directory).
        format: File format (``wav``, ``ulaw``...).
        beep: Play a beep first.
        terminate_on: DTMF that ends it (``none``, ``any``, ``*``, ``#``).
        max_silence_seconds: End after this much silence.
        max_duration_seconds: End after this long.
        if_exists: ``fail``, ``overwrite`` or ``append``.
        timeout: Seconds to wait for the recording to finish (``None``: for ever).

    Returns:
        The handle of the stored recording, with its model loaded.

    Raises:
        RecordingError: The server reports ``RecordingFailed``.
        HandleEnded: Never for a hang-up: a recording ends with the call, and
            what was recorded is returned.
    """
    live = await channel.record(
        name=name,
        format=format,
        beep=beep,
        terminate_on=terminate_on,
        max_silence_seconds=max_silence_seconds,
        max_duration_seconds=max_duration_seconds,
        if_exists=if_exists,
    )
    event = await live.wait_for(RecordingFinished, RecordingFailed, timeout=timeout)
    if isinstance(event, RecordingFailed):
        raise RecordingError(f"recording {name} failed: {event.recording.cause or 'no cause'}")
    stored = channel.client.stored_recording(name)
    stored.set_model(await stored.get_stored())
    return stored


class DialFailed(AriError):
    """The dialled party did not answer (or the call failed).

    Attributes:
        cause: The ``ChannelDestroyed`` cause text, when the call was refused.
    """

    def __init__(self, message: str, cause: str = "") -> None:
        super().__init__(message)
        self.cause = cause


async def dial_and_bridge(
    client: AriClient,
    caller: Channel,
    endpoint: str,
    *,
    timeout: float = 30.0,
    ringing: bool = True,
    app_args: str = "dialed",
    caller_id: str | None = None,
    bridge: Bridge | None = None,
) -> tuple[Bridge, Channel]:
    """Call ``endpoint`` for ``caller`` and bridge the two when it answers.

    The caller hears ringing while the callee is alerted: a ring indication
    (a ``180 Ringing``) when the caller is not answered yet, else the
    ``tone:ring`` tone played to it, stopped when the callee answers. The
    callee enters this client's first application with ``app_args`` as its
    arguments, so a ``StasisStart`` handler can tell it from an incoming call.

    Args:
        client: The client (its first app receives the callee).
        caller: The channel already in Stasis.
        endpoint: What to dial, e.g. ``PJSIP/bob``.
        timeout: Seconds to let it ring.
        ringing: Play ringing to the caller meanwhile.
        app_args: Application arguments of the callee.
        caller_id: Caller ID shown to the callee.
        bridge: A bridge to use; a new mixing bridge by default.

    Returns:
        The bridge and the callee's channel.

    Raises:
        DialFailed: No answer within ``timeout``, or the call failed.
    """
    callee_id = new_id()
    callee = client.channel(callee_id)
    ringback = None
    if ringing:
        if (await caller.get()).state == "Up":
            ringback = await caller.play(media="tone:ring")
        else:
            await caller.ring()
    try:
        await client.originate(
            endpoint,
            app_args=app_args,
            channel_id=callee_id,
            timeout=max(1, int(timeout)),
            caller_id=caller_id,
            originator=caller.id,
        )
        try:
            await callee.wait_for("StasisStart", timeout=timeout + 1)
        except HandleEnded as exc:
            cause = getattr(exc.event, "cause_txt", "") or ""
            raise DialFailed(f"{endpoint} did not answer ({cause or 'hung up'})", cause) from exc
        except AriTimeout:
            with contextlib.suppress(AriHTTPError):
                await callee.hangup()
            raise DialFailed(f"{endpoint} did not answer within {timeout} s") from None
    finally:
        with contextlib.suppress(AriHTTPError):
            if ringback is not None:
                await ringback.stop()
            elif ringing:
                await caller.ring_stop()
    if bridge is None:
        bridge = await client.create_bridge("mixing")
    await bridge.add_channel(channel=[caller.id, callee.id])
    return bridge, callee


@dataclass
class BridgeMonitor:
    """Follows who is in a bridge, from its events.

    Use ``async with BridgeMonitor(bridge) as monitor``; ``channels`` is kept
    up to date, ``wait_until`` and ``wait_empty`` wait for changes, and
    ``on_change`` (if given) is called with the channel ids after each change.

    Attributes:
        bridge: The bridge watched.
        channels: Ids of the channels in it now.
        destroyed: Whether it was destroyed.
    """

    bridge: Bridge
    on_change: Callable[[frozenset[str]], object] | None = None
    channels: set[str] = field(default_factory=set)
    destroyed: bool = False
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _task: asyncio.Task[None] | None = None
    _stream: EventStream[Event] | None = None

    async def __aenter__(self) -> BridgeMonitor:
        self._stream = self.bridge.events()
        model = await self.bridge.get()
        self.channels = set(model.channels)
        self._task = asyncio.get_running_loop().create_task(self._follow(self._stream))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self, stream: EventStream[Event]) -> None:
        async for event in stream:
            bridge = getattr(event, "bridge", None)
            if event.type == "BridgeDestroyed":
                self.destroyed = True
                self.channels = set()
            elif bridge is not None and getattr(bridge, "id", None) == self.bridge.id:
                self.channels = set(bridge.channels)
            else:
                continue
            if self.on_change is not None:
                try:
                    self.on_change(frozenset(self.channels))
                except Exception:
                    log.exception("bridge monitor callback failed")
            async with self._changed:
                self._changed.notify_all()
        self.destroyed = self.destroyed or self.bridge.ended
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(
        self, predicate: Callable[[BridgeMonitor], bool], timeout: float | None = None
    ) -> None:
        """Wait until ``predicate(self)`` holds.

        Raises:
            AriTimeout: Not within ``timeout`` seconds.
        """
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: predicate(self) or self.destroyed)
        except TimeoutError:
            raise AriTimeout(f"bridge {self.bridge.id}: condition not met in {timeout} s") from None

    async def wait_empty(self, timeout: float | None = None) -> None:
        """Wait until no channel is left in the bridge (or it is destroyed)."""
        await self.wait_until(lambda m: not m.channels, timeout)
