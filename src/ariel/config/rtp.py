"""rtp.conf: the RTP port range and media-path settings (``[general]``).

``[ice_host_candidates]`` maps local addresses to the ones advertised in ICE.
The port range must satisfy 1024 <= rtpstart < rtpend <= 65535.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ariel.config._options import boolean, integer, read_section, table, text, words
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile

__all__ = ["RtpConf", "build_rtp_conf"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RtpConf:
    """rtp.conf.

    Attributes:
        rtpstart: The lowest RTP port.
        rtpend: The highest RTP port.
        rtcpinterval: Milliseconds between RTCP reports (0: RTCP off).
        rtpchecksums: Whether UDP checksums are set on RTP.
        dtmftimeout: Samples (1/8000 s) a DTMF digit without an end may last.
        strictrtp: ``"yes"``, ``"no"`` or ``"seqno"``: whether RTP from an
            unexpected source is dropped.
        probation: Packets in sequence needed to learn a new source.
        srtpreplayprotection: Whether SRTP replay protection is on.
        icesupport: Whether ICE is offered.
        stunaddr: ``host[:port]`` of a STUN server, ``""`` for none.
        turnaddr: ``host[:port]`` of a TURN server, ``""`` for none.
        turnusername: The TURN user.
        turnpassword: The TURN password.
        dtls_mtu: The DTLS MTU.
        ice_host_candidates: Local address to advertised address.
        extra: Other accepted options, as text.
    """

    rtpstart: int = 5000
    rtpend: int = 31000
    rtcpinterval: int = 5000
    rtpchecksums: bool = False
    dtmftimeout: int = 3000
    strictrtp: str = "yes"
    probation: int = 4
    srtpreplayprotection: bool = True
    icesupport: bool = True
    stunaddr: str = ""
    turnaddr: str = ""
    turnusername: str = ""
    turnpassword: str = ""
    dtls_mtu: int = 1200
    ice_host_candidates: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)


def _strict(value: str) -> str:
    word = value.strip().lower()
    if word == "seqno":
        return word
    try:
        return "yes" if boolean(word) else "no"
    except ValueError:
        raise ValueError(f"{value!r} is not yes, no or seqno") from None


def _rtcp_interval(value: str) -> int:
    number = integer(0, 60000)(value)
    assert isinstance(number, int)
    if 0 < number < 500:
        raise ValueError(f"{number} is below the minimum 500 (or 0 to turn RTCP off)")
    return number


_GENERAL = table(
    {
        "rtpstart": integer(1024, 65535),
        "rtpend": integer(1024, 65535),
        "rtcpinterval": _rtcp_interval,
        "rtpchecksums": boolean,
        "dtmftimeout": integer(0),
        "strictrtp": _strict,
        "probation": integer(1),
        "srtpreplayprotection": boolean,
        "icesupport": boolean,
        "stunaddr": text,
        "turnaddr": text,
        "turnusername": text,
        "turnpassword": text,
        "dtls_mtu": integer(256),
    }
)

_DEFAULT = RtpConf()
_KNOWN = words(
    "stun_blacklist stun_acl stun_deny stun_permit ice_blacklist ice_acl ice_deny ice_permit"
)


def build_rtp_conf(conf: ConfFile) -> tuple[RtpConf, tuple[Diagnostic, ...]]:
    """Build the rtp.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    candidates: dict[str, str] = {}
    for section in conf.objects:
        if section.is_named("general"):
            found, more = read_section(
                section, _GENERAL, report, kind="[general]", known=_KNOWN, skip=()
            )
            values.update(found)
            extra.update(more)
            start = values.get("rtpstart", _DEFAULT.rtpstart)
            end = values.get("rtpend", _DEFAULT.rtpend)
            if start >= end:
                report.error(section, f"rtpstart ({start}) must be below rtpend ({end})")
        elif section.is_named("ice_host_candidates"):
            candidates.update({o.key: o.value for o in section.options})
        else:
            report.warning(section, f"unknown section [{section.name}] in rtp.conf; ignored")
    model = RtpConf(**values, ice_host_candidates=candidates, extra=extra)
    return model, report.diagnostics
