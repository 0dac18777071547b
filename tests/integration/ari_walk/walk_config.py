"""The configuration of the Ariel the operation walk runs against.

It is the integration configuration (``write_config``) with its own dialplan,
PJSIP endpoint and RTP port block:

* ``[walk]`` extensions: ``up`` answers and waits (the far end of the Local
  channels the walk originates into Stasis), ``stasis`` hands a SIP call to
  the ``walk`` app unanswered, ``broadcast`` offers the call to every app
  (``events/claim``), ``parked`` is where ``continue`` sends a channel;
* endpoint ``WALK_PHONE``: the SIPp phones call as it, and its AOR contact is
  a UDP socket the test holds, where MESSAGE, REFER and the redirect point.
"""

from __future__ import annotations

import random
import socket
from dataclasses import dataclass
from pathlib import Path

from ariel_process import AriServer, write_config

__all__ = ["APP", "ENDPOINT", "OTHER_APP", "WalkServer", "write_walk_config"]

#: The Stasis application every walked channel lives in.
APP = "walk"
#: A second application on the same socket, the target of ``move``.
OTHER_APP = "walk-moved"
#: The PJSIP endpoint (and AOR) of the walk.
ENDPOINT = "WALK_PHONE"

_RTP_BLOCK = 1000

_EXTENSIONS = """\
[general]
static = yes
writeprotect = yes

[globals]
WALK_GLOBAL = initial

[walk]
exten => up,1,Answer()
 same => n,Wait(120)
 same => n,Hangup()

exten => stasis,1,Noop(SIP call for the walk)
 same => n,Set(PJSIP_TRANSFER_HANDLING()=ari-only)
 same => n,Stasis({app})
 same => n,Hangup()

exten => broadcast,1,StasisBroadcast(5000)
 same => n,Hangup()

exten => parked,1,Noop(continued by the walk)
 same => n,Wait(120)
 same => n,Hangup()
"""

_PJSIP = """\
[global]
type = global
endpoint_identifier_order = username,ip,anonymous,header

[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:{sip_port}

[{endpoint}]
type = endpoint
transport = transport-udp
context = walk
disallow = all
allow = ulaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes
media_address = 127.0.0.1
bind_rtp_to_media_address = yes
aors = {endpoint}

[{endpoint}]
type = aor
contact = sip:{endpoint}@127.0.0.1:{contact_port}
"""


@dataclass(frozen=True, slots=True)
class WalkServer:
    """The walk's Ariel and the UDP socket its endpoint's contact points at."""

    server: AriServer
    contact: socket.socket


def write_walk_config(directory: Path, *, http_port: int, sip_port: int, contact_port: int) -> None:
    """Writes the walk's configuration into ``directory``."""
    write_config(directory, http_port=http_port, sip_port=sip_port)
    (directory / "extensions.conf").write_text(_EXTENSIONS.format(app=APP))
    (directory / "pjsip.conf").write_text(
        _PJSIP.format(sip_port=sip_port, endpoint=ENDPOINT, contact_port=contact_port)
    )
    start = 20000 + 2 * random.randrange((32000 - 20000 - _RTP_BLOCK) // 2)
    (directory / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + _RTP_BLOCK}\nicesupport = no\n"
    )
