"""A phone that never ACKs the 200 OK: Ariel retransmits it, then hangs up with BYE.

RFC 3261 §13.3.1.4: the UAS retransmits the 2xx "with an interval that starts
at T1 seconds and doubles for each retransmission until it reaches T2"; "If
the server retransmits the 2xx response for 64*T1 seconds without receiving
an ACK, the dialog is confirmed, but the session SHOULD be terminated" with a
BYE. The server here runs with ``timer_t1 = 100`` (pjsip.conf ``type=system``)
so that takes 6.4 s instead of 32. The phone is a plain UDP socket, so the
test controls exactly what is (not) sent.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import Iterator

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

T1 = 0.1


@pytest.fixture(scope="module")
def short_t1_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    root = tmp_path_factory.mktemp("ariel-lost-ack")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text() + f"\n[system]\ntype = system\ntimer_t1 = {int(T1 * 1000)}\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


def _invite(local_port: int, server_port: int) -> bytes:
    sdp = (
        "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40998 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
    return (
        f"INVITE sip:245@127.0.0.1:{server_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK-lostack-1;rport\r\n"
        f"From: <sip:SOFTPHONE_A@127.0.0.1:{local_port}>;tag=lostack\r\n"
        f"To: <sip:245@127.0.0.1:{server_port}>\r\n"
        "Call-ID: lost-ack-call@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
        f"Contact: <sip:SOFTPHONE_A@127.0.0.1:{local_port}>\r\nMax-Forwards: 70\r\n"
        f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}"
    ).encode()


def _ok_for(request: str) -> bytes:
    lines = request.split("\r\n")
    keep = [
        line for line in lines if line.split(":", 1)[0] in ("Via", "From", "To", "Call-ID", "CSeq")
    ]
    return ("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) + "\r\nContent-Length: 0\r\n\r\n").encode()


async def test_unacknowledged_answer_is_retransmitted_then_the_call_is_hung_up(
    short_t1_server: AriServer,
) -> None:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    local_port = sock.getsockname()[1]
    try:
        sock.sendto(
            _invite(local_port, short_t1_server.sip_port), ("127.0.0.1", short_t1_server.sip_port)
        )
        oks: list[float] = []
        bye_at = None
        started = time.monotonic()
        while bye_at is None and time.monotonic() - started < 20:
            data = await asyncio.wait_for(loop.sock_recv(sock, 65535), 20)
            text = data.decode(errors="replace")
            first = text.split("\r\n", 1)[0]
            if first.startswith("SIP/2.0 200"):
                oks.append(time.monotonic() - started)
            elif first.startswith("BYE "):
                bye_at = time.monotonic() - started
                sock.sendto(_ok_for(text), ("127.0.0.1", short_t1_server.sip_port))
        assert bye_at is not None, f"no BYE; 200 OKs at {oks}"
        # The first answer plus retransmissions at T1, 2T1, 4T1 ... capped at T2 (4 s).
        assert len(oks) >= 6, oks
        gaps = [b - a for a, b in itertools.pairwise(oks)]
        assert gaps[0] == pytest.approx(T1, abs=0.08), gaps
        assert gaps[1] == pytest.approx(2 * T1, abs=0.08), gaps
        assert all(later >= earlier - 0.05 for earlier, later in itertools.pairwise(gaps)), gaps
        # BYE once 64*T1 passed without an ACK.
        assert 64 * T1 - 0.5 <= bye_at - oks[0] <= 64 * T1 + 1.5, (bye_at, oks)
    finally:
        sock.close()
