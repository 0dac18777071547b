"""``WebSocket/<connection>/<options>``: a channel whose media travels over a WebSocket.

Theory of operation, after Asterisk's ``chan_websocket``: with the connection
``INCOMING`` the channel gets a fresh connection id (channel variable
``MEDIA_WEBSOCKET_CONNECTION_ID``) and, when dialled, waits for the app to
connect to ``/media/<connection id>`` on the HTTP server; any other name is
a ``websocket_client.conf`` connection the channel opens itself. Once
connected it sends ``MEDIA_START`` and, unless dialled with ``n``, answers.

Each media tick the frame the channel plays goes to the app as one BINARY
frame in the channel's format, and one frame the app sent (see
:mod:`.control`) comes out of the queue to the channel's listeners --
silence when the queue is empty or paused. TEXT frames are commands. The
socket closing hangs the channel up; hanging up closes the socket (1000).
Frames to the app go through one writer task per socket, in order.

Options: ``c(<format>)`` (ulaw, alaw or slin: Ariel's media plane runs at
8 kHz), ``n`` (no auto answer), ``p`` (passthrough: no re-framing),
``f(json|plain-text)`` (control message format), ``v(<params>)`` (URI
parameters of an outgoing connection; refused for INCOMING).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ariel.core.channels.channel import Channel
from ariel.core.channels.drivers import MediaSocketLink, MediaSocketSession
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.snapshots import CallerId
from ariel.core.system import Core
from ariel.drivers.websocket_media.control import (
    COMMANDS,
    MAX_TEXT,
    QUEUE_COMMANDS,
    ControlError,
    MediaQueue,
    Notice,
    format_notice,
    parse_command,
)
from ariel.media.audiosocket import decode_slin, encode_slin
from ariel.media.codecs import codec_by_name
from ariel.net.media_clock import MediaClock

__all__ = [
    "INCOMING",
    "WEBSOCKET_FORMATS",
    "Connector",
    "WebSocketMediaCall",
    "WebSocketMediaDriver",
    "WsOptions",
    "parse_options",
]

log = logging.getLogger("ariel.websocket_media")

INCOMING = "INCOMING"
#: Bytes in a 20 ms frame of each format the channel carries.
WEBSOCKET_FORMATS = {"ulaw": 160, "alaw": 160, "slin": 320}
#: Frames allowed to wait for a slow app before media to it is dropped.
MAX_OUTGOING = 500
#: The close code sent when the channel is done with its WebSocket.
CLOSE_NORMAL = 1000

#: Opens an outgoing connection: (client id, URI parameters, the channel's session).
Connector = Callable[[str, str, MediaSocketSession], Awaitable[MediaSocketLink | None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WsOptions:
    """The dial string's options."""

    format: str = "ulaw"
    no_auto_answer: bool = False
    passthrough: bool = False
    json: bool = False
    uri_params: str = ""


def parse_options(text: str) -> WsOptions | None:
    """``c(ulaw)nf(json)`` -> options, or ``None`` when malformed or unsupported."""
    values: dict[str, str] = {}
    i = 0
    while i < len(text):
        letter = text[i]
        i += 1
        arg = ""
        if i < len(text) and text[i] == "(":
            end = text.find(")", i)
            if end < 0:
                return None
            arg, i = text[i + 1 : end], end + 1
        if letter not in "cnpfv":
            return None
        values[letter] = arg
    fmt = values.get("c") or "ulaw"
    if fmt not in WEBSOCKET_FORMATS:
        return None
    return WsOptions(
        format=fmt,
        no_auto_answer="n" in values,
        passthrough="p" in values,
        json=values.get("f", "").lower() == "json",
        uri_params=values.get("v", "").replace(",", "&"),
    )


class WebSocketMediaCall:
    """The technology of one WebSocket channel, and the session of its socket."""

    def __init__(
        self,
        *,
        connection_id: str,
        client_id: str | None,
        options: WsOptions,
        clock: MediaClock,
        dialstring: str,
        connector: Connector | None,
        forget: Callable[[str], None],
    ) -> None:
        self.connection_id = connection_id
        self.client_id = client_id
        self.options = options
        self._clock = clock
        self._dialstring = dialstring
        self._connector = connector
        self._forget = forget
        self.frame_size = WEBSOCKET_FORMATS[options.format]
        self.queue = MediaQueue(self.frame_size, passthrough=options.passthrough)
        self.link: MediaSocketLink | None = None
        self._chan: Channel | None = None
        self._outgoing: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._connected: asyncio.Future[bool] | None = None
        self._answered: asyncio.Future[bool] | None = None
        self._hungup = False

    # -- connecting ------------------------------------------------------------
    def _future(self) -> asyncio.Future[bool]:
        return asyncio.get_running_loop().create_future()

    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        """Connect (or wait for the app to), send MEDIA_START, answer unless ``n``."""
        self._chan = chan
        self._dial_event(chan, "")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self.client_id is None:
            self._connected = self._connected or self._future()
            if self.link is None and not await self._wait(self._connected, deadline):
                return self._fail(chan, Cause.NO_ANSWER, "NOANSWER")
        else:
            link = None
            if self._connector is not None:
                try:
                    link = await self._connector(self.client_id, self.options.uri_params, self)
                except OSError as exc:
                    log.warning("%s: WebSocket connection failed: %s", chan.name, exc)
            if link is None:
                return self._fail(chan, Cause.NO_ROUTE_DESTINATION, "CHANUNAVAIL")
            if self.attach(link) is None:  # hung up while connecting
                with contextlib.suppress(Exception):
                    await link.close(CLOSE_NORMAL)
                return False
        if self.options.no_auto_answer:
            self._answered = self._answered or self._future()
            if not await self._wait(self._answered, deadline):
                return self._fail(chan, Cause.NO_ANSWER, "NOANSWER")
        if chan.hangup_requested or self.link is None:
            return False
        chan.set_state(ChannelState.UP)
        self._dial_event(chan, "ANSWER")
        return True

    async def _wait(self, future: asyncio.Future[bool], deadline: float) -> bool:
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(remaining, 0.0))
        except TimeoutError:
            return False

    def _fail(self, chan: Channel, cause: int, status: str) -> bool:
        chan.hangup_cause = cause
        self._dial_event(chan, status)
        return False

    def _dial_event(self, chan: Channel, status: str) -> None:
        chan.publish_dial(status, dialstring=self._dialstring)

    def attach(self, link: MediaSocketLink) -> MediaSocketSession | None:
        """The socket is up: start the writer, send MEDIA_START, start the media."""
        chan = self._chan
        if self._hungup or self.link is not None or chan is None:
            return None
        self.link = link
        self._writer = asyncio.create_task(self._write(link), name=f"ws-media-{chan.id}")
        self._notify(
            Notice(
                event="MEDIA_START",
                fields=(
                    ("connection_id", self.connection_id),
                    ("channel", chan.name),
                    ("channel_id", chan.id),
                    ("format", self.options.format),
                    ("optimal_frame_size", self.frame_size),
                    ("ptime", 20),
                ),
            )
        )
        self._clock.add_ticker(self, self._tick)
        if self._connected is not None and not self._connected.done():
            self._connected.set_result(True)
        return self

    def bind(self, chan: Channel) -> None:
        """The channel this technology serves (the app may connect before the dial)."""
        self._chan = chan

    def waiting(self) -> bool:
        """Whether the channel still waits for the app to connect."""
        return self._chan is not None and self.link is None and not self._hungup

    async def _write(self, link: MediaSocketLink) -> None:
        try:
            while True:
                item = await self._outgoing.get()
                if item is None:
                    break
                if isinstance(item, str):
                    await link.send_text(item)
                else:
                    await link.send_bytes(item)
        except Exception as exc:  # the socket broke under us
            log.debug("%s: media WebSocket write failed: %s", self.connection_id, exc)
            self.on_closed()
        with contextlib.suppress(Exception):
            await link.close(CLOSE_NORMAL)

    def _notify(self, notice: Notice) -> None:
        chan = self._chan
        if chan is None or self.link is None:
            return
        text = format_notice(notice, channel_id=chan.id, json_format=self.options.json)
        self._outgoing.put_nowait(text)

    # -- media -----------------------------------------------------------------
    def _tick(self, n: int) -> None:
        chan = self._chan
        if chan is None:
            return
        media = chan.media
        out = media.next_frame(n)
        if out is not None and self._outgoing.qsize() < MAX_OUTGOING:
            self._outgoing.put_nowait(self._encode(out))
        frame, notices = self.queue.pop()
        for notice in notices:
            self._notify(notice)
        if not media.wants_audio:
            return
        if frame is None:
            media.on_audio(np.zeros(n, dtype=np.int16))
            return
        samples = self._decode(frame)
        if samples.size < n:
            samples = np.concatenate((samples, np.zeros(n - samples.size, dtype=np.int16)))
        media.on_audio(samples[:n])

    def _encode(self, samples: np.ndarray[tuple[int], np.dtype[np.int16]]) -> bytes:
        if self.options.format == "slin":
            return encode_slin(samples)
        return codec_by_name(self.options.format).encoder(samples)

    def _decode(self, payload: bytes) -> np.ndarray[tuple[int], np.dtype[np.int16]]:
        if self.options.format == "slin":
            return decode_slin(payload)
        return codec_by_name(self.options.format).decoder(payload)

    # -- the session: frames from the app ----------------------------------------
    def on_binary(self, data: bytes) -> None:
        """Media from the app."""
        for notice in self.queue.push(data):
            self._notify(notice)

    def on_text(self, text: str) -> None:
        """A command from the app."""
        chan = self._chan
        if chan is None:
            return
        if not text.strip() or len(text) > MAX_TEXT:
            log.warning("%s: WebSocket TEXT message of %d bytes ignored", chan.name, len(text))
            return
        try:
            command = parse_command(text, json_format=self.options.json)
        except ControlError as exc:
            self._error(str(exc))
            return
        name = command.name
        if name not in COMMANDS:
            log.warning("%s: WebSocket %s command unknown", chan.name, name)
            return
        if name in QUEUE_COMMANDS and self.queue.passthrough:
            self._error(f"{name} not supported in passthrough mode")
            return
        if name == "ANSWER":
            if self._answered is not None and not self._answered.done():
                self._answered.set_result(True)
        elif name == "HANGUP":
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)
        elif name == "START_MEDIA_BUFFERING":
            self.queue.buffering = True
        elif name == "STOP_MEDIA_BUFFERING":
            self.queue.stop_buffering(command.data)
        elif name == "MARK_MEDIA":
            self.queue.mark(command.data)
        elif name == "FLUSH_MEDIA":
            self.queue.flush()
        elif name == "REPORT_QUEUE_DRAINED":
            self.queue.report_drained = True
        elif name == "GET_STATUS":
            self._notify(self.queue.status(chan.id))
        elif name == "PAUSE_MEDIA":
            self.queue.paused = True
        elif name == "CONTINUE_MEDIA":
            self.queue.paused = False

    def _error(self, text: str) -> None:
        self._notify(Notice(event="ERROR", fields=(("error_text", text),)))

    def on_closed(self) -> None:
        """The app closed the socket (or it broke): the channel hangs up."""
        chan = self._chan
        for future in (self._connected, self._answered):
            if future is not None and not future.done():
                future.set_result(False)
        if chan is not None and not self._hungup:
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)

    # -- the rest of the technology ----------------------------------------------
    async def answer(self, chan: Channel) -> None:
        """REST answer: what ``ANSWER`` on the socket does."""
        if self._answered is not None and not self._answered.done():
            self._answered.set_result(True)

    async def indicate(self, chan: Channel, condition: str) -> None:
        """A media WebSocket has no signalling to indicate on."""

    async def hangup(self, chan: Channel, cause: int) -> None:
        self._hungup = True
        self._forget(self.connection_id)
        self._clock.remove_ticker(self)
        for future in (self._connected, self._answered):
            if future is not None and not future.done():
                future.set_result(False)
        if self._writer is not None:
            self._outgoing.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._writer), 2.0)

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        """A digit for the app: ``DTMF_END``."""
        self._notify(Notice(event="DTMF_END", fields=(("digit", digit), ("channel_id", chan.id))))


class WebSocketMediaDriver:
    """Creates WebSocket channels and hands incoming media sockets to them.

    Args:
        core: The domain.
        clock: The media clock pacing every channel.
        clients: ``websocket_client.conf`` connections by id (outgoing channels).
        connector: Opens an outgoing connection; ``None`` when there is none.
    """

    def __init__(
        self,
        core: Core,
        *,
        clock: MediaClock,
        clients: Mapping[str, object] | None = None,
        connector: Connector | None = None,
    ) -> None:
        self._core = core
        self._clock = clock
        self.clients = clients or {}
        self._connector = connector
        self._waiting: dict[str, WebSocketMediaCall] = {}

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """A Down channel for ``<connection>/<options>``; ``None`` if malformed or unknown."""
        connection, _, text = resource.partition("/")
        options = parse_options(text)
        if not connection or options is None:
            return None
        core = self._core
        if connection == INCOMING:
            if options.uri_params:
                return None
            connection_id, client_id = core.ids.uuid(), None
        else:
            if connection not in self.clients:
                log.error("WebSocket client connection '%s' not found", connection)
                return None
            connection_id, client_id = connection, connection
        call = WebSocketMediaCall(
            connection_id=connection_id,
            client_id=client_id,
            options=options,
            clock=self._clock,
            dialstring=resource,
            connector=self._connector,
            forget=self._forget,
        )
        chan = Channel(
            id=channel_id,
            name=f"WebSocket/{connection}/0x{core.ids.channel_suffix()}",
            tech=call,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.DOWN,
            caller=caller,
        )
        call.bind(chan)
        chan.variables["MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"] = str(call.frame_size)
        chan.variables["MEDIA_WEBSOCKET_CONNECTION_ID"] = connection_id
        if client_id is None:
            self._waiting[connection_id] = call
        return chan

    def _forget(self, connection_id: str) -> None:
        self._waiting.pop(connection_id, None)

    def media_socket_status(self, connection_id: str) -> int:
        """200 when a channel waits for ``connection_id``, 404 if none, 409 if connected."""
        call = self._waiting.get(connection_id)
        if call is None:
            return 404
        return 409 if call.link is not None else 200

    def attach_media_socket(
        self, connection_id: str, link: MediaSocketLink
    ) -> MediaSocketSession | None:
        """The app connected to ``/media/<connection_id>``."""
        call = self._waiting.get(connection_id)
        if call is None:
            return None
        return call.attach(link)
