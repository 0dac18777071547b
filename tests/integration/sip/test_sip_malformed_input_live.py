"""A live Ariel under a hail of malformed SIP and RTP: it answers what it can and keeps going.

Its own server (UDP and TCP transports on free ports) gets ~200 damaged
datagrams (octets flipped, inserted and cut; header lines dropped, duplicated,
folded; lying Content-Length and CSeq; non-UTF-8), malformed TCP streams
(a bad request after a good one, an endless header, an oversized
Content-Length, random chunks), and garbage RTP at the RTP port of a SIPp
call answered by the ``echo`` extension. Afterwards the process is alive, a
well-formed OPTIONS still gets 200, a request without Call-ID and one with a
bad CSeq got 400 (RFC 3261 §21.4.1), the SIPp call ends cleanly when ARI hangs
it up, no channel is left, and the log holds no Traceback.

Every Via names the test's own socket, so every answer comes back here and
nothing is sent to another port on this machine.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from ari_app_events import Ari
from ariel_process import AriServer, free_port, launch_ariel, write_config
from sipp_phone import SippPhone, sipp_path

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

SDP = (
    b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    b"m=audio 9 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
)


def _request(method: str, port: int, n: int, *, body: bytes = b"", extra: str = "") -> bytes:
    """A well-formed request from the test's socket at 127.0.0.1:``port``."""
    head = (
        f"{method} sip:nobody@127.0.0.1 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{port};rport;branch=z9hG4bKfuzz{n}\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:fuzzer@127.0.0.1:{port}>;tag=fz{n}\r\n"
        "To: <sip:nobody@127.0.0.1>\r\n"
        f"Call-ID: fuzz-{n}@127.0.0.1\r\n"
        f"CSeq: {n + 1} {method}\r\n"
        f"Contact: <sip:fuzzer@127.0.0.1:{port}>\r\n"
        f"{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _templates(port: int, n: int) -> list[bytes]:
    return [
        _request("OPTIONS", port, n),
        _request("INVITE", port, n, body=SDP, extra="Content-Type: application/sdp\r\n"),
        _request("REGISTER", port, n, extra="Expires: 60\r\n"),
        _request("BYE", port, n),
        _request("MESSAGE", port, n, body=b"hi", extra="Content-Type: text/plain\r\n"),
    ]


HOSTILE = [
    b"",
    b"-1",
    b"99999999999999999999",
    b"\xff\xfe",
    b'"unterminated',
    b"<sip:",
    b"abc INVITE",
    b"SIP/2.0/UDP",
    b"\x00",
    b";;;",
    b"1" * 3000,
]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random damages that keep the Via's host and port intact."""
    for _ in range(rng.randint(1, 4)):
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        kind = rng.randrange(9)
        if kind == 0:  # flip an octet outside the top Via
            at = rng.randrange(len(data))
            if b"Via:" not in data[max(0, at - 80) : at + 1]:
                data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif kind == 1:  # insert junk
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.randbytes(rng.randint(1, 8)) + data[at:]
        elif kind == 2:  # truncate
            data = data[: rng.randrange(len(data) + 1)]
        elif kind == 3 and len(lines) > 2:  # drop a line other than the Via
            del lines[rng.randrange(2, len(lines))]
            data = b"\r\n".join(lines) + b"\r\n\r\n" + body
        elif kind == 4 and len(lines) > 1:  # duplicate a line
            lines.insert(rng.randrange(1, len(lines) + 1), lines[rng.randrange(1, len(lines))])
            data = b"\r\n".join(lines) + b"\r\n\r\n" + body
        elif kind == 5 and len(lines) > 2:  # a hostile value
            at = rng.randrange(2, len(lines))
            lines[at] = lines[at].split(b":", 1)[0] + b": " + rng.choice(HOSTILE)
            data = b"\r\n".join(lines) + b"\r\n\r\n" + body
        elif kind == 6:  # a lying Content-Length
            value = rng.choice([b"-1", b"99999", b"2147483648", b"x", b"5"])
            data = data.replace(b"Content-Length: ", b"Content-Length: " + value + b"0", 1)
        elif kind == 7 and len(lines) > 2:  # a fold in the middle of a line
            at = rng.randrange(2, len(lines))
            cut = rng.randrange(len(lines[at]) + 1)
            lines[at] = lines[at][:cut] + b"\r\n " + lines[at][cut:]
            data = b"\r\n".join(lines) + b"\r\n\r\n" + body
        elif kind == 8:  # bare LFs
            data = data.replace(b"\r\n", b"\n", rng.randint(1, 5))
    return data


def _garbage_rtp(rng: random.Random) -> list[bytes]:
    packets = [rng.randbytes(rng.randrange(0, 200)) for _ in range(40)]
    for n in range(120):
        first = 0x80 | rng.randrange(0x40)  # version 2, P/X/CC at random
        pt = rng.choice([0, 0, 8, 13, 101, 101, rng.randrange(128)])
        header = struct.pack(
            "!BBHII", first, pt | rng.choice([0, 0x80]), n, rng.randrange(2**32), 0x1234
        )
        packets.append(header + rng.randbytes(rng.choice([0, 1, 3, 4, 160, 161, 1400])))
    packets += [
        b"\x80\x00",
        b"\xa0\x00" + bytes(10) + b"\xff",
        b"\x90\x00" + bytes(10) + b"\xff\xff",
    ]
    return packets


def _known_killers(port: int) -> list[bytes]:
    """Datagrams that once raised past the SIP layer (each fixed with a unit test)."""
    return [
        # An rport no port can have: read lazily when the Via was stamped.
        _request("OPTIONS", port, 900).replace(b";rport;", b";rport=99999999;"),
        # A CANCEL with a non-UTF-8 branch: the 481's To tag hashed it.
        _request("CANCEL", port, 901).replace(b"z9hG4bKfuzz901", b"z9hG4bK\xff901"),
        # A Record-Route that is no address: read when the dialog was made.
        _request("INVITE", port, 902, extra="Record-Route: <s\r\n ip:p.example.net;lr>\r\n"),
    ]


def _drain(sock: socket.socket, seconds: float) -> list[bytes]:
    """Every datagram that reaches ``sock`` within ``seconds``."""
    got: list[bytes] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            got.append(sock.recv(65535))
        except TimeoutError:
            break
    return got


def _answers_to(datagrams: list[bytes], call_id: str) -> list[int]:
    codes = []
    for data in datagrams:
        if f"Call-ID: {call_id}\r\n".encode() in data and data.startswith(b"SIP/2.0 "):
            codes.append(int(data[8:11]))
    return codes


def _branch_answers(datagrams: list[bytes], branch: str) -> list[int]:
    return [int(d[8:11]) for d in datagrams if d.startswith(b"SIP/2.0 ") and branch.encode() in d]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AriServer, int]]:
    root = tmp_path_factory.mktemp("ariel-malformed")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port, tcp_port = free_port(), free_port(socket.SOCK_DGRAM), free_port()
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text()
        + f"\n[transport-tcp]\ntype = transport\nprotocol = tcp\nbind = 127.0.0.1:{tcp_port}\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as running:
        yield running, tcp_port
        assert "Traceback" not in running.stderr_text()
        assert "Traceback" not in running.stdout_path.read_text(errors="replace")


@pytest.fixture
async def ari(server: tuple[AriServer, int]) -> AsyncIterator[Ari]:
    running, _ = server
    async with aiohttp.ClientSession(
        base_url=f"{running.ari_url}/",
        headers={"Authorization": running.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


def _udp_barrage(sip_port: int) -> list[bytes]:
    """~200 malformed datagrams, then the two probes; what came back."""
    rng = random.Random(4475)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        target = ("127.0.0.1", sip_port)
        for n in range(200):
            sock.sendto(_mutate(rng, rng.choice(_templates(port, n))), target)
            if n % 20 == 19:
                time.sleep(0.02)  # let the server keep up; this is not a load test
        for data in _known_killers(port):
            sock.sendto(data, target)
        answers = _drain(sock, 0.5)
        no_call_id = _request("OPTIONS", port, 1000).replace(
            b"Call-ID: fuzz-1000@127.0.0.1\r\n", b""
        )
        bad_cseq = _request("OPTIONS", port, 1001).replace(
            b"CSeq: 1002 OPTIONS", b"CSeq: x OPTIONS"
        )
        for _ in range(4):  # retransmitted as a UAC would (§17.1.2.2), should UDP drop one
            sock.sendto(no_call_id, target)
            sock.sendto(bad_cseq, target)
            answers += _drain(sock, 1.0)
            if _branch_answers(answers, "z9hG4bKfuzz1000") and _branch_answers(
                answers, "z9hG4bKfuzz1001"
            ):
                break
        return answers


def _options_over_udp(sip_port: int) -> set[int]:
    """The statuses a well-formed OPTIONS gets (resent like a UAC, should UDP drop one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        options = _request("OPTIONS", sock.getsockname()[1], 2000)
        answers: list[bytes] = []
        for _ in range(4):
            sock.sendto(options, ("127.0.0.1", sip_port))
            answers += _drain(sock, 1.0)
            if answers:
                break
        return set(_answers_to(answers, "fuzz-2000@127.0.0.1"))


def _tcp_read(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What arrives within ``seconds``, and whether the server closed the connection."""
    data = b""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65535)
        except TimeoutError:
            return data, False
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def _tcp_streams(tcp_port: int) -> None:
    rng = random.Random(3261)
    target = ("127.0.0.1", tcp_port)
    # A good OPTIONS, then one without Call-ID: 200, then 400, on the same connection.
    with socket.create_connection(target, timeout=5) as sock:
        port = sock.getsockname()[1]
        good = _request("OPTIONS", port, 3000).replace(b"UDP", b"TCP", 1)
        bad = _request("OPTIONS", port, 3001).replace(b"UDP", b"TCP", 1)
        bad = bad.replace(b"Call-ID: fuzz-3001@127.0.0.1\r\n", b"")
        sock.sendall(good + bad)
        deadline = time.monotonic() + 8
        data = b""
        while data.count(b"SIP/2.0 ") < 2 and time.monotonic() < deadline:
            data += _tcp_read(sock, 0.2)[0]
        assert b"SIP/2.0 200 OK" in data and b"SIP/2.0 400 Bad Request" in data, data
    # An endless header: the server must close the connection, not buffer it all.
    with socket.create_connection(target, timeout=5) as sock:
        sock.sendall(b"OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nX-Junk: ")
        try:
            for _ in range(40):  # 320 KiB, five times the 64 KiB header limit
                sock.sendall(b"x" * 8192)
            closed = _tcp_read(sock, 8.0)[1]
        except OSError:  # reset or broken pipe: it gave up on us while we wrote
            closed = True
        assert closed, "an endless header did not close the connection"
    # A Content-Length beyond any limit: closed at once.
    with socket.create_connection(target, timeout=5) as sock:
        port = sock.getsockname()[1]
        huge = _request("OPTIONS", port, 3002).replace(b"UDP", b"TCP", 1)
        sock.sendall(huge.replace(b"Content-Length: 0", b"Content-Length: 999999999"))
        assert _tcp_read(sock, 8.0)[1], "a 1 GB Content-Length did not close the connection"
    # Random chunks of mutated messages on a few connections.
    for n in range(4):
        with socket.create_connection(target, timeout=5) as sock:
            port = sock.getsockname()[1]
            stream = b"".join(
                _mutate(rng, rng.choice(_templates(port, 3100 + 10 * n + i))).replace(
                    b"/UDP", b"/TCP", 1
                )
                for i in range(8)
            )
            at = 0
            try:
                while at < len(stream):
                    step = rng.randint(1, 300)
                    sock.sendall(stream[at : at + step])
                    at += step
                _tcp_read(sock, 0.3)
            except OSError:
                pass  # the server closed a stream it could no longer frame: as it should


async def test_malformed_sip_and_rtp_leave_ariel_answering_and_clean(
    server: tuple[AriServer, int], ari: Ari, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    running, tcp_port = server

    answers = await asyncio.to_thread(_udp_barrage, running.sip_port)
    assert running.process.poll() is None, running.stderr_text()[-3000:]
    # RFC 3261 §21.4.1: a request that "could not be understood" gets 400.
    assert set(_branch_answers(answers, "z9hG4bKfuzz1000")) == {400}, answers[-5:]
    assert set(_branch_answers(answers, "z9hG4bKfuzz1001")) == {400}, answers[-5:]

    await asyncio.to_thread(_tcp_streams, tcp_port)
    assert running.process.poll() is None, running.stderr_text()[-3000:]

    phone = SippPhone(
        "answered_then_bye_from_server.xml",
        sip_port=running.sip_port,
        workdir=tmp_path,
        dial="echo",
        display="malformed-rtp",
    )
    async with phone:
        ok = await phone.wait_status(200)
        media = ok.sdp_audio()
        assert media is not None, ok.text
        rng = random.Random(3550)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtp:
            rtp.bind(("127.0.0.1", 0))
            for packet in _garbage_rtp(rng):
                rtp.sendto(packet, media)
                await asyncio.sleep(0.002)
        await asyncio.sleep(0.3)
        channels = await ari.channels()
        assert len(channels) == 1, channels
        status, _ = await ari.request("DELETE", f"channels/{channels[0]['id']}")
        assert status == 204
        await phone.wait_request("BYE")
        assert await phone.finish() == 0, phone.report()

    assert await asyncio.to_thread(_options_over_udp, running.sip_port) == {200}
    deadline = time.monotonic() + 5
    while (left := await ari.channels()) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert left == [], left
    assert running.process.poll() is None
    for log in (running.stderr_text(), running.stdout_path.read_text(errors="replace")):
        assert "Traceback" not in log, log[log.index("Traceback") - 500 :][:4000]
