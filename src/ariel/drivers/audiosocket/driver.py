"""``AudioSocket/<host:port>/<uuid>[/c(<format>)]``: the far end is an AudioSocket server.

Theory of operation, after Asterisk's ``chan_audiosocket``: the channel is
the TCP *client*. It connects when requested (``POST /channels/externalMedia``
with ``encapsulation=audiosocket``; a server that cannot be reached fails the
request), and on dial sends the UUID message, answers at once and streams:
every media tick the frame the channel plays goes out as one audio message
(signed linear, or the ``c()`` format's bytes, as the reference writes frames
in the channel's format); audio messages from the server are always signed
linear 8 kHz, cut into 20 ms frames for the audio plane. A hangup message,
an error message, any other kind (the reference reads nothing but audio) or
the socket closing hangs the channel up; hanging up closes the socket without
a message, as the reference does. Digits are not sent: the reference's
channel has no digit callback.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.snapshots import CallerId
from ariel.core.system import Core
from ariel.media.audiosocket import (
    AudioSocketError,
    AudioSocketParser,
    Kind,
    Reframer,
    decode_slin,
    encode_message,
    encode_slin,
    uuid_message,
)
from ariel.media.codecs import codec_by_name
from ariel.net.audiosocket_client import StreamConnection, connect_stream
from ariel.net.media_clock import MediaClock

__all__ = ["AUDIOSOCKET_FORMATS", "AudioSocketCall", "AudioSocketDriver", "parse_dialstring"]

log = logging.getLogger("ariel.audiosocket")

#: Formats the channel can write; what the server sends is always ``slin``.
AUDIOSOCKET_FORMATS = ("slin", "ulaw", "alaw")

_DESTINATION = re.compile(r"^(?P<host>\[[^\]]+\]|[^:/\[\]]+):(?P<port>\d+)$")
_CODEC_OPTION = re.compile(r"c\(([^)]*)\)")


def parse_dialstring(text: str) -> tuple[str, int, str, str] | None:
    """``host:port/uuid/c(slin)`` -> (host, port, uuid, format), or ``None`` if malformed."""
    destination, _, rest = text.partition("/")
    ident, _, options = rest.partition("/")
    match = _DESTINATION.match(destination)
    if match is None or not ident:
        return None
    port = int(match.group("port"))
    if not 0 < port < 65536:
        return None
    try:
        uuid.UUID(ident)
    except ValueError:
        return None
    codec = _CODEC_OPTION.search(options)
    fmt = codec.group(1) if codec else "slin"
    if fmt not in AUDIOSOCKET_FORMATS:
        return None
    return match.group("host").strip("[]"), port, ident, fmt


class AudioSocketCall:
    """The technology of one AudioSocket channel."""

    def __init__(
        self, *, host: str, port: int, ident: str, fmt: str, clock: MediaClock, dialstring: str
    ) -> None:
        self.host = host
        self.port = port
        self.ident = ident
        self.format = fmt
        self._clock = clock
        self._dialstring = dialstring
        self._parser = AudioSocketParser()
        self._reframer = Reframer()
        self.connection: StreamConnection | None = None
        self._chan: Channel | None = None
        self.frames_sent = 0
        self.frames_heard = 0

    async def connect(self, chan: Channel) -> bool:
        """Connect to the server (the reference does it when the channel is requested)."""
        if self.connection is not None:
            return True
        try:
            self.connection = await connect_stream(self.host, self.port)
        except OSError as exc:
            log.warning("%s: AudioSocket connection failed: %s", chan.name, exc)
            return False
        return True

    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        """Send the UUID and start streaming: the server needs no ringing."""
        self._dial_event(chan, "")
        if not await self.connect(chan):
            chan.hangup_cause = Cause.NORMAL_TEMPORARY_FAILURE
            self._dial_event(chan, "CHANUNAVAIL")
            return False
        connection = self.connection
        assert connection is not None
        self._chan = chan
        connection.send(uuid_message(self.ident))
        connection.start(self._on_data, self._on_closed)
        chan.set_state(ChannelState.UP)
        self._dial_event(chan, "ANSWER")
        self._clock.add_ticker(self, self._tick)
        return True

    def _dial_event(self, chan: Channel, status: str) -> None:
        chan.publish_dial(status, dialstring=self._dialstring)

    # -- media ---------------------------------------------------------------
    def _tick(self, n: int) -> None:
        chan, connection = self._chan, self.connection
        if chan is None or connection is None:
            return
        frame = chan.media.next_frame(n)
        if frame is None:
            return
        if self.format == "slin":
            payload = encode_slin(frame)
        else:
            payload = codec_by_name(self.format).encoder(frame)
        connection.send(encode_message(Kind.AUDIO, payload))
        self.frames_sent += 1

    def _on_data(self, data: bytes) -> None:
        chan = self._chan
        if chan is None:
            return
        try:
            messages = self._parser.feed(data)
        except AudioSocketError as exc:
            log.warning("%s: bad AudioSocket data: %s", chan.name, exc)
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)
            return
        for message in messages:
            if message.kind == Kind.AUDIO:
                media = chan.media
                for frame in self._reframer.push(decode_slin(message.payload)):
                    self.frames_heard += 1
                    if media.wants_audio:
                        media.on_audio(frame)
                continue
            if message.kind == Kind.HANGUP:
                log.debug("%s: AudioSocket server hung up", chan.name)
            elif message.kind == Kind.ERROR:
                log.warning("%s: AudioSocket error %s", chan.name, message.payload.hex())
            else:
                log.error(
                    "%s: AudioSocket message of kind 0x%02x: only audio and hangup are read",
                    chan.name,
                    message.kind,
                )
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)
            return

    def _on_closed(self) -> None:
        chan = self._chan
        if chan is not None:
            log.debug("%s: AudioSocket server closed the connection", chan.name)
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)

    # -- the rest of the technology --------------------------------------------
    async def answer(self, chan: Channel) -> None:
        """Nothing to answer: the channel is up once dialled."""

    async def indicate(self, chan: Channel, condition: str) -> None:
        """AudioSocket has no signalling to indicate on."""

    async def hangup(self, chan: Channel, cause: int) -> None:
        self._clock.remove_ticker(self)
        self._chan = None
        if self.connection is not None:
            self.connection.close()

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        """The reference's channel writes no digits."""
        log.debug("%s: DTMF %s not sent (AudioSocket channels carry no digits)", chan.name, digit)


class AudioSocketDriver:
    """Creates AudioSocket channels."""

    def __init__(self, core: Core, *, clock: MediaClock) -> None:
        self._core = core
        self._clock = clock

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """A Down channel towards ``host:port/uuid[/c(format)]``; ``None`` if malformed."""
        parsed = parse_dialstring(resource)
        if parsed is None:
            return None
        host, port, ident, fmt = parsed
        core = self._core
        destination = resource.partition("/")[0]
        call = AudioSocketCall(
            host=host, port=port, ident=ident, fmt=fmt, clock=self._clock, dialstring=resource
        )
        chan = Channel(
            id=channel_id,
            name=f"AudioSocket/{destination}-{ident}",
            tech=call,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.DOWN,
            caller=caller,
        )
        chan.variables["AUDIOSOCKET_UUID"] = ident
        chan.variables["AUDIOSOCKET_SERVICE"] = destination
        return chan
