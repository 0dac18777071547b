"""Fixtures of the client tests: a real Ariel, clients on it, SIPp calls with RTP.

The helpers of the integration tests are reused by import
(``tests/integration`` and its ``sip`` and ``media`` folders are put on
``sys.path``): `launch_ariel`/`write_config` start an Ariel of this session's
own on free ports, with an RTP range of its own (as the media tests do), and
`RtpSippPhone` + `RtpPeer` place calls whose audio and digits the test holds.
The dialplan is the conformance one: extension 242 runs ``Stasis(zarniwoop)``.
"""

from __future__ import annotations

import contextlib
import random
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
INTEGRATION = HERE.parent / "integration"
for helper_dir in (INTEGRATION, INTEGRATION / "sip", INTEGRATION / "media"):
    if str(helper_dir) not in sys.path:
        sys.path.insert(0, str(helper_dir))

from ariel_process import AriServer, free_port, launch_ariel, write_config  # noqa: E402
from media_phones import RtpSippPhone  # noqa: E402
from rtp_peer import RtpPeer  # noqa: E402
from sipp_phone import sipp_path  # noqa: E402

from ariel.client import AriClient  # noqa: E402
from ariel.testing import RunningAriel, running_ariel  # noqa: E402

sys.path.insert(0, str(HERE))
from client_support import STASIS_APP, PhoneCall, PhoneFactory  # noqa: E402

RTP_BLOCK = 1000


@pytest.fixture(scope="session")
def callee_port() -> int:
    """The UDP port where ``SOFTPHONE_B``'s static contact points (a phone the app dials)."""
    return free_port(socket.SOCK_DGRAM)


@pytest.fixture(scope="session")
def ariel_server(tmp_path_factory: pytest.TempPathFactory, callee_port: int) -> Iterator[AriServer]:
    """``python -m ariel run`` on the integration configuration, RTP ports of its own.

    ``SOFTPHONE_B``'s contact is moved to ``callee_port`` (the shared
    configuration names a fixed port), so a test can answer calls to it.
    """
    root = tmp_path_factory.mktemp("ariel-client")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text().replace(
            "SOFTPHONE_B@127.0.0.1:5072", f"SOFTPHONE_B@127.0.0.1:{callee_port}"
        )
    )
    start = 20000 + 2 * random.randrange((32000 - 20000 - RTP_BLOCK) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + RTP_BLOCK}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def local_ariel(tmp_path: Path) -> AsyncIterator[RunningAriel]:
    """An Ariel in the test's own event loop (`ariel.testing`): no process, starts in ms."""
    async with running_ariel(tmp_dir=tmp_path / "ariel") as server:
        yield server


@pytest.fixture
def app_name(request: pytest.FixtureRequest) -> str:
    """An application name no other test uses."""
    return f"client-{request.node.name[5:30]}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
async def client(ariel_server: AriServer) -> AsyncIterator[AriClient]:
    """A connected client holding the dialplan's Stasis app, ``zarniwoop``."""
    async with AriClient(
        ariel_server.base_url,
        user=ariel_server.user,
        password=ariel_server.password,
        apps=STASIS_APP,
    ) as ari:
        yield ari


@pytest.fixture
def sip_call(ariel_server: AriServer, tmp_path: Path) -> PhoneFactory:
    """``async with sip_call() as call``: SIPp (``SOFTPHONE_A``) calls 242 with a test RTP port.

    The scenario waits for the server's BYE; on the way out SIPp is stopped.
    """
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    count = 0

    @contextlib.asynccontextmanager
    async def make() -> AsyncIterator[PhoneCall]:
        nonlocal count
        count += 1
        workdir = tmp_path / f"call{count}"
        workdir.mkdir()
        caller = f"client-{uuid.uuid4().hex[:8]}"
        async with RtpPeer() as rtp:
            phone = RtpSippPhone(
                "media_call.xml",
                rtp_port=rtp.port,
                sip_port=ariel_server.sip_port,
                workdir=workdir,
                dial="242",
                display=caller,
            )
            async with phone:
                yield PhoneCall(phone=phone, rtp=rtp, caller=caller)

    return make
