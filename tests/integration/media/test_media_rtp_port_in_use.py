"""A call still gets media when some ports of the RTP range are taken by others.

Asterisk picks a random even port of ``rtpstart``-``rtpend`` and, when the bind
fails because the port is in use, tries the next even port, around the whole
range, before giving up (``res_rtp_asterisk.c``). So a call is answered as long
as one port of the range is free -- which matters when other software, or a
second server, uses part of the same range on the host.

The test learns the port Ariel gave one call, then binds the next 30 even
ports on 127.0.0.1 itself (as another program on the host would) and places a
second call: it must reach Stasis, be answered and get an RTP port outside
the ports the test holds.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ari_app_events import AppEvents, Ari, Event
from ariel_process import AriServer
from media_phones import MediaCallFactory, RtpSippPhone, rtp_range
from rtp_peer import RtpPeer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

TAKEN = 30


@contextlib.contextmanager
def _taken_ports(ports: list[int]) -> Iterator[list[int]]:
    """Binds UDP ``ports`` on 127.0.0.1 (those that can be bound) until the block ends."""
    sockets = []
    try:
        for port in ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                sock.close()  # already taken by someone else: just as good
                continue
            sockets.append(sock)
        yield ports
    finally:
        for sock in sockets:
            sock.close()


async def _stasis_start_or_refusal(
    stasis: AppEvents, phone: RtpSippPhone, caller_name: str, timeout: float = 3.0
) -> Event:
    """The call's StasisStart; fails as soon as the phone is refused instead."""
    deadline = time.monotonic() + timeout
    while True:
        refused = [status for status in phone.statuses() if status >= 300]
        if refused:
            raise AssertionError(
                f"the call was refused with {refused[0]} instead of reaching Stasis\n"
                + phone.report()
            )
        try:
            return await stasis.stasis_start(caller_name, timeout=0.05)
        except AssertionError:
            if time.monotonic() > deadline:
                raise


async def test_call_answered_when_the_next_rtp_ports_are_taken(
    ariel_server: AriServer,
    media_call: MediaCallFactory,
    ari: Ari,
    stasis: AppEvents,
    tmp_path: Path,
    caller_name: str,
) -> None:
    rtp_start, rtp_end = rtp_range(ariel_server.config_dir)
    async with media_call() as first:
        _, port = first.answer.sdp_audio() or ("", 0)
    assert rtp_start <= port <= rtp_end, first.answer.text
    following = [
        rtp_start + (port + 2 * i - rtp_start) % (rtp_end - rtp_start) for i in range(1, TAKEN + 1)
    ]

    second_name = f"{caller_name}-2"
    workdir = tmp_path / "second"
    workdir.mkdir()
    channel_id = None
    with _taken_ports(following):
        async with RtpPeer() as rtp:
            phone = RtpSippPhone(
                "media_call.xml",
                rtp_port=rtp.port,
                sip_port=ariel_server.sip_port,
                workdir=workdir,
                dial="242",
                display=second_name,
            )
            try:
                async with phone:
                    start = await _stasis_start_or_refusal(stasis, phone, second_name)
                    channel_id = start["channel"]["id"]
                    status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
                    assert status == 204
                    ok = await phone.wait_status(200)
                    _, second_port = ok.sdp_audio() or ("", 0)
                    assert rtp_start <= second_port <= rtp_end, ok.text
                    assert second_port not in following, ok.text
                    status, _ = await ari.request("DELETE", f"channels/{channel_id}")
                    assert status == 204
                    channel_id = None
                    assert await phone.finish() == 0, phone.report()
            finally:
                if channel_id is not None:
                    await ari.request("DELETE", f"channels/{channel_id}")
