"""SIP MESSAGE both ways: TextMessageReceived for what a phone sends, sendMessage out.

The phone is a plain UDP socket, so the test writes the MESSAGE byte for byte
and reads exactly what Ariel sends.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


@pytest.fixture
def phone_socket() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


async def _receive(sock: socket.socket, timeout: float = 5.0) -> str:
    data = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(sock, 65535), timeout)
    return data.decode(errors="replace")


def _message(local_port: int, server_port: int, body: str) -> bytes:
    return (
        f"MESSAGE sip:ariel@127.0.0.1:{server_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK-msg-{local_port};rport\r\n"
        f"From: <sip:SOFTPHONE_A@127.0.0.1:{local_port}>;tag=msg1\r\n"
        f"To: <sip:ariel@127.0.0.1:{server_port}>\r\n"
        f"Call-ID: msg-{local_port}@127.0.0.1\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
        "X-Ticket: 42\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    ).encode()


async def test_message_from_a_phone_is_accepted_and_reaches_the_endpoint_subscriber(
    ariel_server: AriServer, ari: Ari, observer: AppEvents, phone_socket: socket.socket
) -> None:
    port = phone_socket.getsockname()[1]
    phone_socket.sendto(
        _message(port, ariel_server.sip_port, "hello ariel"), ("127.0.0.1", ariel_server.sip_port)
    )
    answer = await _receive(phone_socket)
    assert answer.startswith("SIP/2.0 202"), answer
    event = await observer.wait_for(
        lambda e: e["type"] == "TextMessageReceived", "TextMessageReceived"
    )
    assert event["message"]["body"] == "hello ariel"
    assert event["message"]["from"].startswith("sip:SOFTPHONE_A@127.0.0.1")
    assert event["message"]["variables"] == {"X-Ticket": "42"}
    assert event["endpoint"]["resource"] == "SOFTPHONE_A"


async def test_send_message_delivers_a_sip_message_to_the_uri(
    ariel_server: AriServer, ari: Ari, phone_socket: socket.socket
) -> None:
    port = phone_socket.getsockname()[1]
    status, _ = await ari.request(
        "PUT",
        "endpoints/sendMessage",
        params={
            "to": f"pjsip:SOFTPHONE_A/sip:SOFTPHONE_A@127.0.0.1:{port}",
            "from": "sip:ari@127.0.0.1",
            "body": "hi from ARI",
        },
        json={"variables": {"X-Campaign": "spring"}},
    )
    assert status == 202
    request = await _receive(phone_socket)
    head, _, body = request.partition("\r\n\r\n")
    assert head.startswith(f"MESSAGE sip:SOFTPHONE_A@127.0.0.1:{port} SIP/2.0"), head
    assert "Content-Type: text/plain" in head
    assert "X-Campaign: spring" in head
    assert "<sip:ari@127.0.0.1>" in head
    assert body == "hi from ARI"


async def test_send_message_errors(ari: Ari) -> None:
    status, body = await ari.request(
        "PUT", "endpoints/sendMessage", params={"to": "pjsip:NOBODY", "from": "x", "body": "b"}
    )
    assert (status, body) == (404, {"message": "Endpoint not found"})
    status, body = await ari.request("PUT", "endpoints/sendMessage", params={"to": "pjsip:x"})
    assert status == 400
    status, body = await ari.request(
        "PUT", "endpoints/PJSIP/NOBODY/sendMessage", params={"from": "x", "body": "b"}
    )
    assert (status, body) == (404, {"message": "Endpoint not found"})


async def test_refer_asks_the_endpoint_to_call_the_target(
    ari: Ari, phone_socket: socket.socket
) -> None:
    port = phone_socket.getsockname()[1]
    status, _ = await ari.request(
        "POST",
        "endpoints/refer",
        params={
            "to": f"pjsip:SOFTPHONE_A/sip:SOFTPHONE_A@127.0.0.1:{port}",
            "from": "sip:ari@127.0.0.1",
            "refer_to": "sip:242@127.0.0.1",
        },
    )
    assert status == 202
    request = await _receive(phone_socket)
    assert request.startswith(f"REFER sip:SOFTPHONE_A@127.0.0.1:{port} SIP/2.0"), request
    assert "Refer-To: <sip:242@127.0.0.1>" in request
    assert "Referred-By: <sip:ari@127.0.0.1>" in request
    status, body = await ari.request(
        "POST", "endpoints/PJSIP/NOBODY/refer", params={"from": "x", "refer_to": "sip:a@b"}
    )
    assert (status, body) == (404, {"message": "Endpoint not found"})
    status, _ = await ari.request("POST", "endpoints/PJSIP/SOFTPHONE_A/refer", params={"from": "x"})
    assert status == 400
