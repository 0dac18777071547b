"""Fixtures of the media tests: calls whose audio and digits the test sees.

The media tests reuse the helpers of the SIP call tests (``tests/integration/sip``
is put on ``sys.path`` for that): :class:`~ari_app_events.Ari` for REST,
:class:`~ari_app_events.AppEvents` for the ``zarniwoop`` event socket, and the
SIPp and baresip phones. They run against an Ariel of their own, started once
per session like the shared ``ariel_server`` and with the same configuration
(``write_config``) except for ``rtp.conf``: its RTP range is a random block of
1000 ports between 20000 and 32000 instead of 10000-20000. Every Ariel or
Asterisk started with the conformance configuration on this host binds RTP
ports from 10000 up; a busy one (a load test, another test session) holds
enough of them that calls here would be refused for want of a port -- see
``test_media_rtp_port_in_use.py`` for why Ariel gives up so soon. The block
stays below the kernel's ephemeral ports (32768 up), where SIPp and the test's
RTP sockets live.

``media_call()`` gives an answered call from a SIPp phone (``SOFTPHONE_A``
dialling 242, ``Stasis(zarniwoop)``) whose RTP is an :class:`RtpPeer` the test
holds, already pointed at the server's RTP address from the 200 OK. On the
way out the channel is hung up (the phone accepts the BYE), SIPp is stopped
and the socket closed.
"""

from __future__ import annotations

import contextlib
import random
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

HERE = Path(__file__).resolve().parent
SIP_HELPERS = str(HERE.parent / "sip")
if SIP_HELPERS not in sys.path:
    sys.path.insert(0, SIP_HELPERS)

from ari_app_events import AppEvents, Ari  # noqa: E402
from ariel_process import AriServer, free_port, launch_ariel, write_config  # noqa: E402
from media_phones import MediaCall, MediaCallFactory, RtpSippPhone  # noqa: E402
from rtp_peer import RtpPeer  # noqa: E402
from sipp_phone import SippPhone, sipp_path  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

#: The Stasis application of extension 242.
STASIS_APP = "zarniwoop"
#: Size of the media server's RTP port block.
RTP_BLOCK = 1000


@pytest.fixture(scope="session")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """``python -m ariel run`` on the integration configuration with its own RTP range."""
    root = tmp_path_factory.mktemp("ariel-media")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    start = 20000 + 2 * random.randrange((32000 - 20000 - RTP_BLOCK) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + RTP_BLOCK}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def ari(ariel_server: AriServer) -> AsyncIterator[Ari]:
    """ARI over HTTP as the read-write user."""
    async with aiohttp.ClientSession(
        base_url=f"{ariel_server.ari_url}/",
        headers={"Authorization": ariel_server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@pytest.fixture
async def stasis(ariel_server: AriServer) -> AsyncIterator[AppEvents]:
    """The event socket of the dialplan's Stasis application, ``zarniwoop``."""
    url = (
        f"ws://127.0.0.1:{ariel_server.http_port}/ari/events"
        f"?app={STASIS_APP}&api_key={ariel_server.api_key}"
    )
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, STASIS_APP)


@pytest.fixture
def caller_name(request: pytest.FixtureRequest) -> str:
    """A caller name (From display name) no other test uses."""
    return f"media-{request.node.name[5:25]}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def media_call(
    ariel_server: AriServer, ari: Ari, stasis: AppEvents, tmp_path: Path, caller_name: str
) -> MediaCallFactory:
    """``async with media_call() as call``: an answered SIPp call with a test-owned RTP port."""
    if sipp_path() is None:
        pytest.skip("sipp is not installed")

    calls = 0

    @contextlib.asynccontextmanager
    async def make() -> AsyncIterator[MediaCall]:
        nonlocal calls
        calls += 1
        workdir = tmp_path / f"call{calls}"
        workdir.mkdir()
        channel_id = None
        async with RtpPeer() as rtp:
            phone = RtpSippPhone(
                "media_call.xml",
                rtp_port=rtp.port,
                sip_port=ariel_server.sip_port,
                workdir=workdir,
                dial="242",
                display=caller_name,
            )
            try:
                async with phone:
                    start = await stasis.stasis_start(caller_name)
                    channel_id = start["channel"]["id"]
                    status, body = await ari.request("POST", f"channels/{channel_id}/answer")
                    assert status == 204, (status, body)
                    ok = await phone.wait_status(200)
                    remote = ok.sdp_audio()
                    assert remote is not None, f"no audio stream in the 200 OK:\n{ok.text}"
                    assert "a=rtpmap:0 PCMU/8000" in ok.sdp_lines, ok.text
                    rtp.remote = remote
                    yield MediaCall(channel_id=channel_id, phone=phone, rtp=rtp, answer=ok)
                    status, _ = await ari.request("DELETE", f"channels/{channel_id}")
                    assert status == 204
                    channel_id = None
                    assert await phone.finish() == 0, phone.report()
            finally:
                if channel_id is not None:
                    with contextlib.suppress(aiohttp.ClientError):
                        await ari.request("DELETE", f"channels/{channel_id}")

    return make


@pytest.fixture
async def phones() -> AsyncIterator[list[SippPhone]]:
    """Every SIPp process of a test; stopped on the way out."""
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    made: list[SippPhone] = []
    yield made
    for phone in made:
        await phone.stop()
