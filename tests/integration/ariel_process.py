"""Starting and stopping a real Ariel process for the integration tests."""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USER = "asterisk"
PASSWORD = "whateveryoudodontusethispassword"
VIEWER = "viewer"
VIEWER_PASSWORD = "viewonly"

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0


@dataclass
class AriServer:
    """A running Ariel, as the ``ariel_server`` fixture yields it.

    Attributes:
        base_url: ``http://127.0.0.1:<port>``: what ARI clients take as their URL.
        http_port: The HTTP (ARI) port on 127.0.0.1.
        user: Read-write ARI user (``asterisk``).
        password: Its password.
        config_dir: The directory of .conf files the server was started with.
        sip_port: The UDP port of the PJSIP transport on 127.0.0.1.
        viewer: Read-only ARI user (``viewer``), with ``viewer_password``.
        process: The server process.
        stdout_path: File receiving the server's stdout.
        stderr_path: File receiving the server's stderr (its log).
    """

    base_url: str
    http_port: int
    user: str
    password: str
    config_dir: Path
    sip_port: int
    process: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path
    viewer: str = VIEWER
    viewer_password: str = VIEWER_PASSWORD
    ari_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.ari_url = f"{self.base_url}/ari"

    @property
    def api_key(self) -> str:
        """The ``api_key`` query value of the read-write user."""
        return f"{self.user}:{self.password}"

    def basic_auth(self, user: str | None = None, password: str | None = None) -> str:
        """The ``Authorization`` header value for a user (default: the read-write one)."""
        pair = f"{user or self.user}:{password or self.password}"
        return "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    def stderr_text(self) -> str:
        """What the server has written to stderr so far."""
        return self.stderr_path.read_text(errors="replace")


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that nothing listens on right now (TCP or UDP)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def asterisk_conf(state: Path) -> str:
    """An asterisk.conf keeping every writable directory under ``state``."""
    dirs = {
        name: state / sub
        for name, sub in (
            ("astdbdir", "db"),
            ("astvarlibdir", "lib"),
            ("astspooldir", "spool"),
            ("astlogdir", "log"),
            ("astrundir", "run"),
        )
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    return (
        "[directories]\n"
        + "astdatadir => /usr/share/asterisk\n"
        + "".join(f"{name} => {path}\n" for name, path in dirs.items())
    )


def _ping(url: str, auth: str) -> int | None:
    request = urllib.request.Request(url, headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(request, timeout=1.0) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM, then wait; kills on timeout. Returns the exit status, None if it hung."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        return None


@contextlib.contextmanager
def launch_ariel(
    root: Path,
    config_dir: Path,
    *,
    http_port: int,
    sip_port: int,
    extra_args: Sequence[str] = (),
) -> Iterator[AriServer]:
    """Runs ``python -m ariel run -C config_dir [extra_args]`` until the block ends.

    Waits for ``/ari/asterisk/ping`` to answer 200 and, on the way out, checks
    that SIGTERM stops the server with status 0.
    """
    stdout_path = root / "stdout.log"
    stderr_path = root / "stderr.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariel", "run", "-C", str(config_dir), *extra_args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=root,
        )
    server = AriServer(
        base_url=f"http://127.0.0.1:{http_port}",
        http_port=http_port,
        user=USER,
        password=PASSWORD,
        config_dir=config_dir,
        sip_port=sip_port,
        process=process,
        stdout_path=stdout_path,
        stderr_path=stderr_path,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            status = _ping(f"{server.ari_url}/asterisk/ping", server.basic_auth())
            if status == 200:
                break
            time.sleep(0.1)
        else:
            code = _stop(process)
            pytest.fail(
                f"Ariel did not answer GET /ari/asterisk/ping with 200 within "
                f"{START_TIMEOUT_S:.0f} s (last status {status}, exit status {code}); "
                f"stderr:\n{server.stderr_text()}",
                pytrace=False,
            )
        yield server
    finally:
        code = _stop(process)
    assert code == 0, (
        f"Ariel did not exit with status 0 within {STOP_TIMEOUT_S:.0f} s of SIGTERM "
        f"(status {code}); stderr:\n{server.stderr_text()[-5000:]}"
    )


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

exten => hello,1,Answer()
 same => n,Playback(hello-world)
 same => n,Hangup()

exten => echo,1,Answer()
 same => n,Echo()
 same => n,Hangup()

exten => dial-local,1,Dial(Local/hello@sets,10)
 same => n,Hangup()

exten => broadcast,1,StasisBroadcast(5000)
 same => n,Hangup()

exten => broadcast-quick,1,StasisBroadcast(300)
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
