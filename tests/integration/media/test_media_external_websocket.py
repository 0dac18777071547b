"""externalMedia over a WebSocket the app opens (chan_websocket's INCOMING connections).

``POST /channels/externalMedia?transport=websocket&encapsulation=none&connection_type=server``
must return a ``WebSocket/INCOMING/...`` channel whose ``MEDIA_WEBSOCKET_CONNECTION_ID``
the app connects to at ``/media/<id>`` (subprotocol ``media``) with the
``websockets`` library. The first frame must be the plain-text ``MEDIA_START``;
the channel then enters Stasis. Bridged with a SIPp call, the phone's 1000 Hz
tone must arrive as BINARY ulaw frames of 160 bytes; one second of 600 Hz
sent back in a single BINARY message must be re-framed and reach the phone;
``GET_STATUS`` is answered; a second connection to the same id is refused
(409), an unknown id is 404; ``HANGUP`` ends the channel.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from audio_measure import dominant_frequency, sine, ulaw_decode, ulaw_encode, voiced_seconds
from media_phones import MediaCallFactory
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

APP = "zarniwoop"


async def _audio(ws: ClientConnection, seconds: float) -> np.ndarray:
    """The ulaw BINARY frames received within ``seconds``, decoded."""
    chunks: list[bytes] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        try:
            frame = await asyncio.wait_for(ws.recv(), left)
        except TimeoutError:
            break
        if isinstance(frame, bytes):
            assert len(frame) == 160, len(frame)
            chunks.append(frame)
    return ulaw_decode(b"".join(chunks))


async def _text(ws: ClientConnection, timeout: float = 5.0) -> str:
    """The next TEXT frame (BINARY frames before it are skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await asyncio.wait_for(ws.recv(), max(deadline - loop.time(), 0.01))
        if isinstance(frame, str):
            return frame


async def test_app_connects_to_media_socket_and_exchanges_audio_with_a_phone(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents, ariel_server: AriServer
) -> None:
    async with media_call() as call:
        status, body = await ari.request(
            "POST",
            "channels/externalMedia",
            params={
                "app": APP,
                "transport": "websocket",
                "encapsulation": "none",
                "connection_type": "server",
                "format": "ulaw",
            },
        )
        assert status == 200, body
        assert body["name"].startswith("WebSocket/INCOMING/"), body["name"]
        variables = body["channelvars"]
        assert variables["MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"] == "160"
        connection_id = variables["MEDIA_WEBSOCKET_CONNECTION_ID"]
        external = body["id"]
        base = f"ws://127.0.0.1:{ariel_server.http_port}/media"

        with pytest.raises(InvalidStatus) as unknown:
            async with connect(f"{base}/no-such-id", subprotocols=["media"]):
                pass
        assert unknown.value.response.status_code == 404

        async with connect(f"{base}/{connection_id}", subprotocols=["media"]) as ws:
            start = await _text(ws)
            assert start == (
                f"MEDIA_START connection_id:{connection_id} channel:{body['name']} "
                f"channel_id:{external} format:ulaw optimal_frame_size:160 ptime:20"
            )
            await stasis.channel_event(external, "StasisStart")
            with pytest.raises(InvalidStatus) as second:
                async with connect(f"{base}/{connection_id}", subprotocols=["media"]):
                    pass
            assert second.value.response.status_code == 409

            status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
            assert status == 200, bridge
            status, _ = await ari.request(
                "POST",
                f"bridges/{bridge['id']}/addChannel",
                params={"channel": f"{call.channel_id},{external}"},
            )
            assert status == 204
            try:
                phone_sends = asyncio.create_task(call.rtp.send_audio(sine(1000, 1.5)))
                heard = await _audio(ws, 1.5)
                await phone_sends
                assert voiced_seconds(heard) >= 0.8, f"app heard {voiced_seconds(heard)} s"
                assert abs(dominant_frequency(heard) - 1000) < 20

                mark = call.rtp.mark()
                await ws.send(ulaw_encode(sine(600, 1.0)))  # one message: the channel frames it
                await ws.send("GET_STATUS")
                status_text = await _text(ws)
                assert status_text.startswith(f"STATUS channel_id:{external} queue_length:"), (
                    status_text
                )
                await asyncio.sleep(1.3)
                phone_heard = call.rtp.audio(since=mark)
                assert voiced_seconds(phone_heard) >= 0.8, (
                    f"phone heard {voiced_seconds(phone_heard)} s"
                )
                assert abs(dominant_frequency(phone_heard) - 600) < 20

                await ws.send("HANGUP")
                await stasis.channel_event(external, "ChannelDestroyed")
                await ari.wait_channel_gone(external)
            finally:
                await ari.request("DELETE", f"bridges/{bridge['id']}")


async def test_websocket_channel_to_an_unconfigured_client_fails_with_500(ari: Ari) -> None:
    status, body = await ari.request(
        "POST",
        "channels/externalMedia",
        params={
            "app": APP,
            "transport": "websocket",
            "encapsulation": "none",
            "external_host": "no_such_client",
            "format": "ulaw",
        },
    )
    assert status == 500, body


async def test_websocket_client_connection_needs_an_external_host(ari: Ari) -> None:
    status, body = await ari.request(
        "POST",
        "channels/externalMedia",
        params={"app": APP, "transport": "websocket", "encapsulation": "none", "format": "ulaw"},
    )
    assert status == 400, body
