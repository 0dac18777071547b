"""An Ariel in the test's own event loop: `running_ariel`.

Theory of operation: the test tools write a configuration directory (the
embedded quick start, rebound to free loopback ports, every writable
directory under the test's temporary folder, plus whatever files the test
gives), load it with the same loader as ``ariel run``, and start the same
`ariel.server.Server` the command line runs, in the current event loop. So a
test talks to a real server over real loopback sockets (HTTP, the event
WebSocket, SIP, RTP) with no subprocess to start or wait for. On the way out
the server stops as ``core stop now`` does: channels are hung up, listeners
and sockets closed, the database closed.

Configuration files given by the test may use these placeholders, replaced
before loading: ``@HOST@``, ``@HTTP_PORT@``, ``@SIP_PORT@``, ``@RTP_START@``,
``@RTP_END@``, ``@STATE_DIR@``, ``@USER@``, ``@PASSWORD@``. A ``pjsip.conf``
that declares no transport gets the test transport (``transport-udp``, on
``@SIP_PORT@``) put in front of it.
"""

from __future__ import annotations

import contextlib
import random
import re
import socket
import tempfile
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ariel.client import AriClient
from ariel.config import load_config
from ariel.net.ports import free_port
from ariel.server import Server

__all__ = ["DEFAULT_FILES", "RunningAriel", "free_port", "running_ariel"]

USER = "asterisk"
PASSWORD = "ariel-testing-password"
RTP_BLOCK = 200
START_ATTEMPTS = 3

TRANSPORT = """\
[transport-udp]
type = transport
protocol = udp
bind = @HOST@:@SIP_PORT@

"""

DEFAULT_FILES: Mapping[str, str] = {
    "asterisk.conf": """\
[directories]
astdatadir => /usr/share/asterisk
astdbdir => @STATE_DIR@/db
astvarlibdir => @STATE_DIR@/lib
astspooldir => @STATE_DIR@/spool
astlogdir => @STATE_DIR@/log
astrundir => @STATE_DIR@/run
""",
    "http.conf": """\
[general]
enabled = yes
bindaddr = @HOST@
bindport = @HTTP_PORT@
""",
    "ari.conf": """\
[general]
enabled = yes
pretty = no

[@USER@]
type = user
read_only = no
password = @PASSWORD@
""",
    "rtp.conf": """\
[general]
rtpstart = @RTP_START@
rtpend = @RTP_END@
icesupport = no
""",
    "pjsip.conf": """\
[global]
type = global
endpoint_identifier_order = username,ip,anonymous

[phone](!)
type = endpoint
transport = transport-udp
context = sets
disallow = all
allow = ulaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes
media_address = @HOST@

[registrable](!)
type = aor
max_contacts = 1
remove_existing = yes

[SOFTPHONE_A](phone)
aors = SOFTPHONE_A

[SOFTPHONE_A](registrable)

[SOFTPHONE_B](phone)
aors = SOFTPHONE_B

[SOFTPHONE_B](registrable)
""",
    "extensions.conf": """\
[general]
static = yes
writeprotect = yes

[globals]

[sets]
exten => 242,1,Noop()
 same => n,Stasis(zarniwoop)
 same => n,Hangup()
""",
}
"""The files every test server starts from (the quick start, on test ports)."""

_HAS_TRANSPORT = re.compile(r"^\s*type\s*=>?\s*transport\s*$", re.M | re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningAriel:
    """A started in-process Ariel, as `running_ariel` yields it.

    Attributes:
        server: The running `ariel.server.Server` (its ``core`` is the domain).
        host: The loopback address everything listens on.
        http_port: The ARI (HTTP and WebSocket) port.
        sip_port: The PJSIP UDP transport's port.
        rtp_ports: ``(rtpstart, rtpend)`` of its media ports.
        user: The read-write ARI user.
        password: Its password.
        config_dir: The configuration directory it was loaded from.
    """

    server: Server = field(repr=False)
    host: str
    http_port: int
    sip_port: int
    rtp_ports: tuple[int, int]
    user: str
    password: str
    config_dir: Path

    @property
    def base_url(self) -> str:
        """``http://host:port``: what ARI clients take as their URL."""
        return f"http://{self.host}:{self.http_port}"

    @property
    def ari_url(self) -> str:
        """``http://host:port/ari``."""
        return f"{self.base_url}/ari"

    @property
    def ws_url(self) -> str:
        """``ws://host:port/ari/events`` (add ``?app=...&api_key=...``)."""
        return f"ws://{self.host}:{self.http_port}/ari/events"

    @property
    def api_key(self) -> str:
        """``user:password``, the ``api_key`` query value."""
        return f"{self.user}:{self.password}"

    @property
    def sip_address(self) -> tuple[str, int]:
        """``(host, port)`` of the SIP transport, where phones send their requests."""
        return (self.host, self.sip_port)

    def client(self, apps: str | tuple[str, ...] = (), **options: Any) -> AriClient:
        """An `AriClient` for this server (not yet connected: ``async with`` it)."""
        return AriClient(
            self.base_url, user=self.user, password=self.password, apps=apps, **options
        )


def _render(text: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def write_config(
    directory: Path, files: Mapping[str, str], values: Mapping[str, str]
) -> dict[str, str]:
    """Write the defaults overridden by ``files`` into ``directory``; the texts written."""
    merged = {**DEFAULT_FILES, **files}
    pjsip = merged.get("pjsip.conf", "")
    if not _HAS_TRANSPORT.search(pjsip):
        merged["pjsip.conf"] = TRANSPORT + pjsip
    written: dict[str, str] = {}
    for name, text in merged.items():
        rendered = _render(text, values)
        (directory / name).write_text(rendered)
        written[name] = rendered
    return written


def _values(host: str, state: Path, user: str, password: str) -> dict[str, str]:
    start = 20000 + 2 * random.randrange((40000 - 20000 - RTP_BLOCK) // 2)
    return {
        "HOST": host,
        "HTTP_PORT": str(free_port(socket.SOCK_STREAM, host)),
        "SIP_PORT": str(free_port(socket.SOCK_DGRAM, host)),
        "RTP_START": str(start),
        "RTP_END": str(start + RTP_BLOCK),
        "STATE_DIR": str(state),
        "USER": user,
        "PASSWORD": password,
    }


@contextlib.asynccontextmanager
async def running_ariel(
    files: Mapping[str, str] | None = None,
    *,
    tmp_dir: Path | str | None = None,
    host: str = "127.0.0.1",
    user: str = USER,
    password: str = PASSWORD,
) -> AsyncIterator[RunningAriel]:
    """Run an Ariel in this event loop until the block ends.

    Args:
        files: Configuration files by name (``"extensions.conf"``) replacing
            the defaults (`DEFAULT_FILES`); placeholders as in the module doc.
        tmp_dir: Where the configuration and the server's state go (a
            temporary directory, removed afterwards, when ``None``).
        host: The loopback address to listen on.
        user: The read-write ARI user of the default ``ari.conf``.
        password: Its password.

    Yields:
        The running server's addresses and credentials.

    Raises:
        ariel.config.ConfigError: The configuration does not load.
        OSError: No free ports could be bound (after a few tries).
    """
    with contextlib.ExitStack() as stack:
        if tmp_dir is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ariel-")))
        else:
            root = Path(tmp_dir)
        config_dir = root / "config"
        state = root / "state"
        for path in (config_dir, *(state / d for d in ("db", "lib", "spool", "log", "run"))):
            path.mkdir(parents=True, exist_ok=True)
        server, values = await _start(config_dir, state, files or {}, host, user, password)
        try:
            yield RunningAriel(
                server=server,
                host=host,
                http_port=int(values["HTTP_PORT"]),
                sip_port=int(values["SIP_PORT"]),
                rtp_ports=(int(values["RTP_START"]), int(values["RTP_END"])),
                user=user,
                password=password,
                config_dir=config_dir,
            )
        finally:
            server.request_stop(False)
            await server.stop()


async def _start(
    config_dir: Path,
    state: Path,
    files: Mapping[str, str],
    host: str,
    user: str,
    password: str,
) -> tuple[Server, dict[str, str]]:
    # A free port can be taken between the probe and the bind: try again.
    for attempt in range(START_ATTEMPTS):
        values = _values(host, state, user, password)
        write_config(config_dir, files, values)
        server = Server(load_config(config_dir), grace_s=0.0)
        try:
            await server.start()
        except OSError:
            await server.stop()
            if attempt == START_ATTEMPTS - 1:
                raise
            continue
        return server, values
    raise AssertionError("unreachable")  # pragma: no cover
