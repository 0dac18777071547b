"""Fixtures that start a real Ariel for the integration tests.

``ariel_server`` runs ``python -m ariel run -C <tmpdir>`` as a subprocess on a
configuration written in Asterisk syntax (the conformance configuration, with
free loopback ports instead of 8088/5060), waits until ``/ari/asterisk/ping``
answers, and on teardown checks that SIGTERM stops it cleanly with status 0.

Every test collected under ``tests/integration`` gets the ``integration`` marker.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ariel_process import (
    PASSWORD,
    USER,
    VIEWER,
    VIEWER_PASSWORD,
    AriServer,
    asterisk_conf,
    free_port,
    launch_ariel,
)

__all__ = ["PASSWORD", "USER", "VIEWER", "VIEWER_PASSWORD", "AriServer", "ariel_server"]

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)


def write_config(directory: Path, *, http_port: int, sip_port: int) -> None:
    """Writes the Asterisk-syntax configuration the integration tests run on."""
    files = {
        "asterisk.conf": asterisk_conf(directory / "state"),
        "http.conf": HTTP_CONF.format(http_port=http_port),
        "ari.conf": ARI_CONF,
        "pjsip.conf": PJSIP_CONF.format(sip_port=sip_port),
        "extensions.conf": EXTENSIONS_CONF,
        "rtp.conf": RTP_CONF,
        "musiconhold.conf": MUSICONHOLD_CONF,
    }
    for name, text in files.items():
        (directory / name).write_text(text)


@pytest.fixture(scope="session")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """Starts ``python -m ariel run -C <tmp>`` and yields an :class:`AriServer`."""
    root = tmp_path_factory.mktemp("ariel")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


HTTP_CONF = """\
; HTTP server for ARI: loopback only, on a free port.
[general]
enabled = yes
bindaddr = 127.0.0.1
bindport = {http_port}
"""

ARI_CONF = """\
[general]
enabled = yes
pretty = yes
allowed_origins = http://ari.asterisk.org

[asterisk]
type = user
read_only = no
password = whateveryoudodontusethispassword

[viewer]
type = user
read_only = yes
password = viewonly
"""

PJSIP_CONF = """\
[global]
type = global
endpoint_identifier_order = username,ip,anonymous,header

[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:{sip_port}

[phone](!)
type = endpoint
transport = transport-udp
context = sets
disallow = all
allow = ulaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes
media_address = 127.0.0.1
bind_rtp_to_media_address = yes

[SOFTPHONE_A](phone)
aors = SOFTPHONE_A

[SOFTPHONE_A]
type = aor
contact = sip:SOFTPHONE_A@127.0.0.1:5070

[SOFTPHONE_B](phone)
aors = SOFTPHONE_B

[SOFTPHONE_B]
type = aor
contact = sip:SOFTPHONE_B@127.0.0.1:5072
"""

# The conformance dialplan (shared/conformance/config/extensions.conf).
EXTENSIONS_CONF = """\
[general]
static = yes
writeprotect = yes
clearglobalvars = no

[globals]
CONFORMANCE_GLOBAL = initial

[sets]
exten => 242,1,Noop()
 same => n,Stasis(zarniwoop)
 same => n,Hangup()

exten => 243,1,Noop()
 same => n,Stasis(zarniwoop,alpha,beta)
 same => n,Hangup()

exten => 244,1,Progress()
 same => n,Stasis(zarniwoop,early)
 same => n,Hangup()

exten => 245,1,Answer()
 same => n,Stasis(zarniwoop,answered)
 same => n,Hangup()

exten => continued,1,Noop(back in the dialplan)
 same => n,Set(CONTINUED=yes)
 same => n,Stasis(zarniwoop,continued)
 same => n,Hangup()

exten => reject,1,Hangup(21)

exten => origin,1,Noop(originated to dialplan)
 same => n,Stasis(zarniwoop,from-dialplan)
 same => n,Hangup()
"""

RTP_CONF = """\
[general]
rtpstart = 10000
rtpend = 20000
icesupport = no
"""

MUSICONHOLD_CONF = """\
[general]

[default]
mode = files
directory = moh
"""
