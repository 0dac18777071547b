"""``UnicastRTP/<host:port>/c(<format>)``: a channel whose far end is a bare RTP socket.

Theory of operation, after Asterisk's ``chan_rtp``: ``POST
/channels/externalMedia`` dials such a channel into an application. The
channel allocates a local RTP port at once (ARI reports it in
``UNICASTRTP_LOCAL_ADDRESS``/``UNICASTRTP_LOCAL_PORT``), binds it when
dialled, sends the channel's audio to ``host:port`` in the requested
format, and hands what arrives on its port to the channel. There is no
signalling: dialling answers at once, and hanging up closes the socket.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import Dial
from ariel.core.channels.state import ChannelState
from ariel.core.snapshots import CallerId
from ariel.core.system import Core
from ariel.drivers.rtp_media import rtp_statistics, wire_to_channel
from ariel.media.codecs import UnknownCodecError, codec_by_name
from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator, PortsExhausted
from ariel.net.rtp_stream import RtpStream
from ariel.net.udp import local_address_towards, open_udp

__all__ = ["UNICAST_FORMATS", "UnicastRtpCall", "UnicastRtpDriver", "parse_dialstring"]

log = logging.getLogger("ariel.unicast_rtp")

#: Formats the channel can carry, with their RTP payload types.
UNICAST_FORMATS = {"ulaw": 0, "alaw": 8}

_DIALSTRING = re.compile(r"^(?P<host>\[[^\]]+\]|[^:/]+):(?P<port>\d+)(?:/(?P<options>.*))?$")
_CODEC_OPTION = re.compile(r"c\(([^)]*)\)")


def parse_dialstring(text: str) -> tuple[str, int, str] | None:
    """``host:port/c(ulaw)`` -> (host, port, format), or ``None`` if malformed."""
    match = _DIALSTRING.match(text)
    if match is None:
        return None
    port = int(match.group("port"))
    if not 0 < port < 65536:
        return None
    codec = _CODEC_OPTION.search(match.group("options") or "")
    fmt = codec.group(1) if codec else "ulaw"
    if fmt not in UNICAST_FORMATS:
        return None
    return match.group("host").strip("[]"), port, fmt


class UnicastRtpCall:
    """The technology of one UnicastRTP channel."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        fmt: str,
        local_host: str,
        local_port: int,
        ports: PortAllocator,
        clock: MediaClock,
        dialstring: str,
    ) -> None:
        self.remote = (host, port)
        self.format = fmt
        self.local_host = local_host
        self.local_port = local_port
        self._ports = ports
        self._clock = clock
        self._dialstring = dialstring
        self.stream: RtpStream | None = None
        self.answered = False

    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        """Bind the port and start: there is nobody to ring."""
        chan.publish(
            Dial(
                timestamp=chan.now(),
                peer=chan.snapshot(),
                dialstatus="",
                dialstring=self._dialstring,
            )
        )
        stream = RtpStream(self._ports, self.local_port, self.local_host, self._clock)
        try:
            stream.endpoint = await open_udp(
                self.local_host, self.local_port, stream.on_datagram, direct=True
            )
        except OSError as exc:
            log.warning(
                "%s: cannot bind %s:%d: %s", chan.name, self.local_host, self.local_port, exc
            )
            self._ports.release(self.local_port)
            chan.publish(
                Dial(
                    timestamp=chan.now(),
                    peer=chan.snapshot(),
                    dialstatus="CHANUNAVAIL",
                    dialstring=self._dialstring,
                )
            )
            return False
        stream.configure(self.format, UNICAST_FORMATS[self.format], None)
        stream.set_remote(*self.remote)
        wire_to_channel(stream, chan)
        self.stream = stream
        self.answered = True
        chan.set_state(ChannelState.UP)
        self._dial_event(chan, "ANSWER")
        stream.start()
        return True

    def _dial_event(self, chan: Channel, status: str) -> None:
        chan.publish_dial(status, dialstring=self._dialstring)

    async def answer(self, chan: Channel) -> None:
        """Nothing to answer: the channel is up once dialled."""

    async def indicate(self, chan: Channel, condition: str) -> None:
        """A bare RTP peer has no signalling to indicate on."""

    async def hangup(self, chan: Channel, cause: int) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        elif not self.answered:
            self._ports.release(self.local_port)

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        stream = self.stream
        return None if stream is None else rtp_statistics(stream, chan.id)

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        """No telephone-event payload type is agreed on a bare stream: digits are dropped."""
        log.debug("%s: DTMF %s not sent (no telephone-event on UnicastRTP)", chan.name, digit)


class UnicastRtpDriver:
    """Creates UnicastRTP channels."""

    def __init__(self, core: Core, *, ports: PortAllocator, clock: MediaClock) -> None:
        self._core = core
        self._ports = ports
        self._clock = clock

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """A Down channel towards ``host:port/c(format)``; ``None`` if malformed or no port."""
        parsed = parse_dialstring(resource)
        if parsed is None:
            return None
        host, port, fmt = parsed
        try:
            codec_by_name(fmt)
            local_port = self._ports.allocate()
        except (UnknownCodecError, PortsExhausted):
            return None
        local_host = local_address_towards(host, port)
        core = self._core
        call = UnicastRtpCall(
            host=host,
            port=port,
            fmt=fmt,
            local_host=local_host,
            local_port=local_port,
            ports=self._ports,
            clock=self._clock,
            dialstring=resource,
        )
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        chan = Channel(
            id=channel_id,
            name=f"UnicastRTP/{shown}-{core.ids.channel_suffix()}",
            tech=call,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.DOWN,
            caller=caller,
        )
        chan.variables["UNICASTRTP_LOCAL_PORT"] = str(local_port)
        chan.variables["UNICASTRTP_LOCAL_ADDRESS"] = local_host
        return chan
