"""REGISTER with digest authentication against a running server (real UDP)."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config

from ariel.sip.digest import build_authorization, parse_challenge
from ariel.sip.message import Response, parse_message

pytestmark = pytest.mark.timeout(60)

PJSIP_CONF = """\
[global]
type = global
endpoint_identifier_order = username,ip

[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:{sip_port}

[deskphone]
type = endpoint
transport = transport-udp
context = sets
allow = ulaw
aors = deskphone
auth = deskphone-auth

[deskphone]
type = aor
max_contacts = 1

[deskphone-auth]
type = auth
username = deskphone
password = s3cret
"""


def _register(sock: socket.socket, sip_port: int, cseq: int, authorization: str = "") -> Response:
    port = sock.getsockname()[1]
    lines = [
        f"REGISTER sip:127.0.0.1:{sip_port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-reg{cseq};rport",
        "Max-Forwards: 70",
        "From: <sip:deskphone@127.0.0.1>;tag=ph1",
        "To: <sip:deskphone@127.0.0.1>",
        "Call-ID: register-it-1",
        f"CSeq: {cseq} REGISTER",
        f"Contact: <sip:deskphone@127.0.0.1:{port}>",
        "Expires: 120",
    ]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    lines.append("Content-Length: 0")
    sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(), ("127.0.0.1", sip_port))
    while True:
        data, _ = sock.recvfrom(65535)
        message = parse_message(data)
        if isinstance(message, Response) and message.status >= 200:
            return message


def _endpoint_state(server: AriServer) -> str:
    req = urllib.request.Request(
        f"{server.ari_url}/endpoints/PJSIP/deskphone",
        headers={"Authorization": server.basic_auth()},
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        body = json.loads(resp.read())
    assert isinstance(body, dict)
    return str(body["state"])


def test_register_is_challenged_then_bound(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    ports = {"http_port": free_port(), "sip_port": free_port(socket.SOCK_DGRAM)}
    write_config(config_dir, **ports)
    sip_port = ports["sip_port"]
    (config_dir / "pjsip.conf").write_text(PJSIP_CONF.format(sip_port=sip_port))
    with (
        launch_ariel(tmp_path, config_dir, **ports) as server,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
    ):
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        challenge_response = _register(sock, sip_port, 1)
        assert challenge_response.status == 401
        challenge = parse_challenge(challenge_response.headers.get("WWW-Authenticate") or "")
        assert challenge.realm == "asterisk"
        uri = f"sip:127.0.0.1:{sip_port}"

        def answer(password: str) -> str:
            return build_authorization(
                challenge,
                method="REGISTER",
                uri=uri,
                username="deskphone",
                password=password,
                cnonce="abc123",
            )

        assert _register(sock, sip_port, 2, answer("wrong")).status == 403
        ok = _register(sock, sip_port, 3, answer("s3cret"))
        assert ok.status == 200
        port = sock.getsockname()[1]
        assert ok.headers.get_all("Contact") == (f"<sip:deskphone@127.0.0.1:{port}>;expires=120",)
        assert _endpoint_state(server) == "online"


def _invite(sock: socket.socket, sip_port: int, cseq: int, authorization: str = "") -> Response:
    port = sock.getsockname()[1]
    sdp = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40100 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
    lines = [
        f"INVITE sip:242@127.0.0.1:{sip_port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-inv{cseq};rport",
        "Max-Forwards: 70",
        "From: <sip:deskphone@127.0.0.1>;tag=inv1",
        "To: <sip:242@127.0.0.1>",
        "Call-ID: invite-auth-1",
        f"CSeq: {cseq} INVITE",
        f"Contact: <sip:deskphone@127.0.0.1:{port}>",
        "Content-Type: application/sdp",
    ]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    lines.append(f"Content-Length: {len(sdp)}")
    sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + sdp).encode(), ("127.0.0.1", sip_port))
    while True:
        data, _ = sock.recvfrom(65535)
        message = parse_message(data)
        if isinstance(message, Response) and message.status >= 200:
            if message.status >= 300:
                ack = [
                    f"ACK sip:242@127.0.0.1:{sip_port} SIP/2.0",
                    f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-inv{cseq};rport",
                    "Max-Forwards: 70",
                    "From: <sip:deskphone@127.0.0.1>;tag=inv1",
                    f"To: {message.headers.get('To')}",
                    "Call-ID: invite-auth-1",
                    f"CSeq: {cseq} ACK",
                    "Content-Length: 0",
                ]
                sock.sendto(("\r\n".join(ack) + "\r\n\r\n").encode(), ("127.0.0.1", sip_port))
            return message


def test_invite_from_an_endpoint_with_auth_is_challenged(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    ports = {"http_port": free_port(), "sip_port": free_port(socket.SOCK_DGRAM)}
    write_config(config_dir, **ports)
    sip_port = ports["sip_port"]
    (config_dir / "pjsip.conf").write_text(PJSIP_CONF.format(sip_port=sip_port))
    with (
        launch_ariel(tmp_path, config_dir, **ports),
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
    ):
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        first = _invite(sock, sip_port, 1)
        assert first.status == 401
        challenge = parse_challenge(first.headers.get("WWW-Authenticate") or "")
        answer = build_authorization(
            challenge,
            method="INVITE",
            uri=f"sip:242@127.0.0.1:{sip_port}",
            username="deskphone",
            password="s3cret",
            cnonce="abc123",
        )
        # Authenticated, the call reaches the dialplan: 242 runs Stasis(zarniwoop),
        # which has no socket here, so the dialplan ends and the call is declined.
        second = _invite(sock, sip_port, 2, answer)
        assert second.status not in (401, 403, 407)
