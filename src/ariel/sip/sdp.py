"""SDP session descriptions (RFC 4566): parse, write, and read the media attributes.

Theory of operation. A description is a list of ``<type>=<value>`` lines; the
lines before the first ``m=`` describe the session, each ``m=`` opens a media
description. Parsing is liberal about order within a section and about bare LF
line ends (RFC 4566 §5: "a parser SHOULD be liberal in its acceptance of
records terminated with a single newline"); writing is strict and in the order
§5 gives. Lines this module does not model (``i=``, ``u=``, ``e=``, ``p=``,
``z=``, ``k=``, ``r=`` and unknown types) are kept in ``other`` so that nothing
is lost between parse and write. Offer/answer lives in
:mod:`ariel.sip.offer_answer`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "STATIC_PAYLOAD_TYPES",
    "Connection",
    "MediaDescription",
    "Origin",
    "RtpMap",
    "SdpError",
    "SessionDescription",
    "is_number",
    "parse_sdp",
    "payload_type",
    "serialize_sdp",
]

Attributes = tuple[tuple[str, str | None], ...]
_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
# RFC 4566 §5: "Some lines in each description are REQUIRED and some are
# OPTIONAL, but all MUST appear in exactly the order given here".
_SESSION_ORDER = "iuep"  # between s= and c=
_TIME_ORDER = "rzk"  # after t=
_MEDIA_ORDER = "i"  # between m= and c=


def is_number(text: str) -> bool:
    """Whether ``text`` is ``1*DIGIT`` in ASCII (``str.isdigit`` also takes "²")."""
    return text.isascii() and text.isdigit()


def payload_type(fmt: str) -> int | None:
    """The RTP payload type a ``<fmt>`` of an RTP/AVP m= line names, ``None`` if none.

    RFC 3551 §3: the payload type is a 7-bit field, so only 0..127 can be one.
    """
    return int(fmt) if is_number(fmt) and len(fmt) <= 3 and int(fmt) <= 127 else None


class SdpError(ValueError):
    """A session description that cannot be read (a 400 at the call layer)."""

    status = 400


@dataclass(frozen=True, slots=True, kw_only=True)
class RtpMap:
    """``a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]``."""

    payload_type: int
    encoding: str
    clock_rate: int
    channels: int | None = None

    def __str__(self) -> str:
        channels = "" if self.channels is None else f"/{self.channels}"
        return f"{self.payload_type} {self.encoding}/{self.clock_rate}{channels}"


# RFC 3551 §6, Table 4: the static audio and video payload types.
STATIC_PAYLOAD_TYPES: dict[int, RtpMap] = {
    pt: RtpMap(payload_type=pt, encoding=name, clock_rate=rate, channels=channels)
    for pt, name, rate, channels in (
        (0, "PCMU", 8000, None),
        (3, "GSM", 8000, None),
        (4, "G723", 8000, None),
        (5, "DVI4", 8000, None),
        (6, "DVI4", 16000, None),
        (7, "LPC", 8000, None),
        (8, "PCMA", 8000, None),
        (9, "G722", 8000, None),
        (10, "L16", 44100, 2),
        (11, "L16", 44100, None),
        (12, "QCELP", 8000, None),
        (13, "CN", 8000, None),
        (14, "MPA", 90000, None),
        (15, "G728", 8000, None),
        (16, "DVI4", 11025, None),
        (17, "DVI4", 22050, None),
        (18, "G729", 8000, None),
        (25, "CelB", 90000, None),
        (26, "JPEG", 90000, None),
        (28, "nv", 90000, None),
        (31, "H261", 90000, None),
        (32, "MPV", 90000, None),
        (33, "MP2T", 90000, None),
        (34, "H263", 90000, None),
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """``o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>``."""

    username: str = "-"
    session_id: int
    session_version: int
    net_type: str = "IN"
    addr_type: str = "IP4"
    address: str

    def __str__(self) -> str:
        return (
            f"{self.username} {self.session_id} {self.session_version} "
            f"{self.net_type} {self.addr_type} {self.address}"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Connection:
    """``c=<nettype> <addrtype> <connection-address>`` (TTL/count kept in the text)."""

    net_type: str = "IN"
    addr_type: str = "IP4"
    address: str

    def __str__(self) -> str:
        return f"{self.net_type} {self.addr_type} {self.address}"

    @property
    def host(self) -> str:
        """The address without a multicast ``/ttl/count`` suffix."""
        return self.address.split("/", 1)[0]

    @property
    def is_null(self) -> bool:
        """Whether this is the RFC 2543 hold address ``0.0.0.0`` (RFC 3264 §8.4)."""
        return self.host in ("0.0.0.0", "::")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Described:
    """What sessions and media share: bandwidths, attributes, other lines."""

    connection: Connection | None = None
    bandwidths: tuple[tuple[str, int], ...] = ()
    attributes: Attributes = ()
    other: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        """The value of the first ``a=name:value`` (``None`` if absent or flag-only)."""
        return next((value for key, value in self.attributes if key == name), None)

    def attribute_values(self, name: str) -> tuple[str, ...]:
        """The values of every ``a=name:value``."""
        return tuple(value for key, value in self.attributes if key == name and value is not None)

    def has_attribute(self, name: str) -> bool:
        """Whether ``a=name`` is present, as a flag or with a value."""
        return any(key == name for key, _ in self.attributes)

    @property
    def direction(self) -> str | None:
        """The ``sendrecv``/``sendonly``/``recvonly``/``inactive`` attribute, if any."""
        return next((key for key, _ in self.attributes if key in _DIRECTIONS), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaDescription(_Described):
    """``m=<media> <port>[/<count>] <proto> <fmt> ...`` and the lines under it."""

    media: str
    port: int
    port_count: int | None = None
    proto: str = "RTP/AVP"
    formats: tuple[str, ...] = ()

    @property
    def rtpmaps(self) -> dict[int, RtpMap]:
        """Every format's rtpmap, the static ones filled in from RFC 3551."""
        found: dict[int, RtpMap] = {}
        for value in self.attribute_values("rtpmap"):
            rtpmap = _parse_rtpmap(value)
            if rtpmap is not None:
                found.setdefault(rtpmap.payload_type, rtpmap)
        for fmt in self.formats:
            pt = payload_type(fmt)
            if pt is not None and pt not in found and pt in STATIC_PAYLOAD_TYPES:
                found[pt] = STATIC_PAYLOAD_TYPES[pt]
        return found

    def fmtp(self, payload_type: int) -> str | None:
        """The ``a=fmtp`` parameters of one payload type."""
        for value in self.attribute_values("fmtp"):
            pt, _, params = value.partition(" ")
            if pt == str(payload_type):
                return params.strip()
        return None

    @property
    def ptime(self) -> int | None:
        """The ``a=ptime`` packet time in milliseconds (RFC 4566 §6)."""
        value = (self.attribute("ptime") or "").strip()
        return int(value) if is_number(value) and len(value) < 6 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionDescription(_Described):
    """A whole SDP body."""

    version: int = 0
    origin: Origin
    session_name: str = "-"
    timing: tuple[tuple[int, int], ...] = ((0, 0),)
    media: tuple[MediaDescription, ...] = ()

    def media_direction(self, media: MediaDescription) -> str:
        """The direction of one stream, the session's or ``sendrecv`` by default.

        RFC 3264 §5.1: "If the attribute is present at the session level ... it
        applies to all media streams, unless overridden at the media level. ...
        If no direction attribute is present ... sendrecv SHOULD be assumed".
        """
        return media.direction or self.direction or "sendrecv"

    def media_connection(self, media: MediaDescription) -> Connection | None:
        """The media-level c=, else the session-level one (RFC 4566 §5.7)."""
        return media.connection or self.connection


def _parse_rtpmap(value: str) -> RtpMap | None:
    pt, _, spec = value.strip().partition(" ")
    parts = spec.strip().split("/")
    number = payload_type(pt)
    if number is None or len(parts) < 2 or not is_number(parts[1]) or len(parts[1]) > 10:
        return None
    channels = (
        int(parts[2]) if len(parts) > 2 and is_number(parts[2]) and len(parts[2]) < 4 else None
    )
    return RtpMap(
        payload_type=number, encoding=parts[0], clock_rate=int(parts[1]), channels=channels
    )


def _number(text: str, what: str, maximum: int = 2**64) -> int:
    if not is_number(text) or len(text) > 24 or int(text) > maximum:
        raise SdpError(f"bad {what}: {text[:30]!r}")
    return int(text)


def _parse_connection(value: str) -> Connection:
    parts = value.split()
    # RFC 4566 §9: connection-address is an IP address, an FQDN or a non-ws-string;
    # anything but visible ASCII could never reach a socket.
    if len(parts) != 3 or not (parts[2].isascii() and parts[2].isprintable()):
        raise SdpError(f"bad c= line: {value[:60]!r}")
    return Connection(net_type=parts[0], addr_type=parts[1], address=parts[2])


def _parse_media(value: str) -> MediaDescription:
    parts = value.split()
    if len(parts) < 3:
        raise SdpError(f"bad m= line: {value[:60]!r}")
    port_text, slash, count_text = parts[1].partition("/")
    return MediaDescription(
        media=parts[0],
        port=_number(port_text, "media port", 65535),
        port_count=_number(count_text, "port count", 65535) if slash else None,
        proto=parts[2],
        formats=tuple(parts[3:]),
    )


class _Section:
    """The lines of one section while it is being read."""

    def __init__(self, media: MediaDescription | None = None) -> None:
        self.media = media
        self.connection: Connection | None = None
        self.bandwidths: list[tuple[str, int]] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.other: list[tuple[str, str]] = []

    def add(self, kind: str, value: str) -> None:
        if kind == "c":
            self.connection = _parse_connection(value)
        elif kind == "b":
            bwtype, colon, amount = value.partition(":")
            if not colon:
                raise SdpError(f"bad b= line: {value[:60]!r}")
            self.bandwidths.append((bwtype, _number(amount.strip(), "bandwidth")))
        elif kind == "a":
            name, colon, attr = value.partition(":")
            self.attributes.append((name, attr if colon else None))
        else:
            self.other.append((kind, value))

    def build_media(self) -> MediaDescription:
        assert self.media is not None
        return MediaDescription(
            media=self.media.media,
            port=self.media.port,
            port_count=self.media.port_count,
            proto=self.media.proto,
            formats=self.media.formats,
            connection=self.connection,
            bandwidths=tuple(self.bandwidths),
            attributes=tuple(self.attributes),
            other=tuple(self.other),
        )


def parse_sdp(data: bytes | str) -> SessionDescription:
    """Read a session description.

    Raises:
        SdpError: When the text is not SDP (no ``v=0`` first, no ``o=``, a line
            that is not ``<letter>=<value>``, bad numbers in ``o=``/``m=``/``t=``).
    """
    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or lines[0].strip() != "v=0":
        raise SdpError("SDP must start with v=0")
    session = _Section()
    sections: list[_Section] = []
    origin: Origin | None = None
    name = "-"
    timing: list[tuple[int, int]] = []
    for line in lines[1:]:
        kind, equals, value = line.partition("=")
        if not equals or len(kind) != 1 or not kind.isalpha():
            raise SdpError(f"bad SDP line: {line[:60]!r}")
        if kind == "m":
            sections.append(_Section(_parse_media(value)))
        elif sections:
            sections[-1].add(kind, value)
        elif kind == "o":
            origin = _parse_origin(value)
        elif kind == "s":
            name = value
        elif kind == "t":
            start, _, stop = value.partition(" ")
            timing.append((_number(start, "start time"), _number(stop.strip(), "stop time")))
        else:
            session.add(kind, value)
    if origin is None:
        raise SdpError("SDP has no o= line")
    return SessionDescription(
        origin=origin,
        session_name=name,
        timing=tuple(timing) or ((0, 0),),
        media=tuple(section.build_media() for section in sections),
        connection=session.connection,
        bandwidths=tuple(session.bandwidths),
        attributes=tuple(session.attributes),
        other=tuple(session.other),
    )


def _parse_origin(value: str) -> Origin:
    parts = value.split()
    if len(parts) != 6:
        raise SdpError(f"bad o= line: {value[:60]!r}")
    return Origin(
        username=parts[0],
        session_id=_number(parts[1], "session id"),
        session_version=_number(parts[2], "session version"),
        net_type=parts[3],
        addr_type=parts[4],
        address=parts[5],
    )


def serialize_sdp(sdp: SessionDescription) -> bytes:
    """Write a session description, CRLF line ends, lines in RFC 4566 §5 order."""
    out = [f"v={sdp.version}", f"o={sdp.origin}", f"s={sdp.session_name}"]
    out += _others(sdp.other, _SESSION_ORDER)
    out += _common_head(sdp)
    out += [f"t={start} {stop}" for start, stop in sdp.timing]
    out += _others(sdp.other, _TIME_ORDER)
    out += _others(sdp.other, None, exclude=_SESSION_ORDER + _TIME_ORDER)
    out += _attributes(sdp.attributes)
    for media in sdp.media:
        port = str(media.port) if media.port_count is None else f"{media.port}/{media.port_count}"
        out.append(" ".join(["m=" + media.media, port, media.proto, *media.formats]))
        out += _others(media.other, _MEDIA_ORDER)
        out += _common_head(media)
        out += _others(media.other, None, exclude=_MEDIA_ORDER)
        out += _attributes(media.attributes)
    return ("\r\n".join(out) + "\r\n").encode("utf-8", "surrogateescape")


def _common_head(section: _Described) -> list[str]:
    lines = [f"c={section.connection}"] if section.connection is not None else []
    return lines + [f"b={kind}:{amount}" for kind, amount in section.bandwidths]


def _others(other: tuple[tuple[str, str], ...], order: str | None, exclude: str = "") -> list[str]:
    if order is None:
        return [f"{kind}={value}" for kind, value in other if kind not in exclude]
    return [f"{kind}={value}" for letter in order for kind, value in other if kind == letter]


def _attributes(attributes: Attributes) -> list[str]:
    return [f"a={name}" if value is None else f"a={name}:{value}" for name, value in attributes]
