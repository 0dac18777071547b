"""externalMedia over AudioSocket: a TCP media server the test runs, bridged to a SIPp call.

The test listens on a loopback TCP port as an AudioSocket server does (the
framing written out here, independently of Ariel's: kind byte, big-endian
16-bit length, payload). ``POST /channels/externalMedia?encapsulation=audiosocket``
must connect to it before answering, and the channel's first message must be
the UUID given as ``data``. With the channel and a SIPp call in one mixing
bridge, a 1000 Hz tone the phone sends must arrive as signed-linear audio
messages, a 600 Hz tone the server sends must reach the phone, and a hangup
message must end the channel. A server that is not listening fails the
request with 500, as in the reference (it connects when the channel is
requested); a missing ``data`` is 400.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import free_port
from audio_measure import FRAME, dominant_frequency, sine, voiced_seconds
from media_phones import MediaCallFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

APP = "zarniwoop"
KIND_HANGUP, KIND_UUID, KIND_AUDIO = 0x00, 0x01, 0x10


class AudioSocketPeer:
    """One connection accepted by the test's AudioSocket server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.messages: list[tuple[int, bytes]] = []

    async def read_message(self) -> tuple[int, bytes]:
        header = await self.reader.readexactly(3)
        length = int.from_bytes(header[1:3], "big")
        payload = await self.reader.readexactly(length)
        self.messages.append((header[0], payload))
        return header[0], payload

    def send(self, kind: int, payload: bytes = b"") -> None:
        self.writer.write(bytes((kind,)) + len(payload).to_bytes(2, "big") + payload)

    async def collect_audio(self, seconds: float) -> np.ndarray:
        """Linear samples of the audio messages that arrive within ``seconds``."""
        chunks: list[bytes] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                kind, payload = await asyncio.wait_for(self.read_message(), left)
            except TimeoutError:
                break
            assert kind == KIND_AUDIO, f"unexpected kind 0x{kind:02x}"
            chunks.append(payload)
        return np.frombuffer(b"".join(chunks), dtype="<i2").astype(np.int16)

    async def send_audio(self, samples: np.ndarray) -> None:
        """Paced like a real server: one 20 ms message every 20 ms."""
        for i in range(0, len(samples), FRAME):
            self.send(KIND_AUDIO, samples[i : i + FRAME].astype("<i2").tobytes())
            await self.writer.drain()
            await asyncio.sleep(0.02)


class AudioSocketServer:
    """A listening AudioSocket server on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self._peers: asyncio.Queue[AudioSocketPeer] = asyncio.Queue()
        self._server: asyncio.Server | None = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._peers.put(AudioSocketPeer(reader, writer))

    async def accepted(self, timeout: float = 5.0) -> AudioSocketPeer:
        return await asyncio.wait_for(self._peers.get(), timeout)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[AudioSocketServer]:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        try:
            yield self
        finally:
            self._server.close()


async def _bridge(ari: Ari, *channels: str) -> str:
    status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
    assert status == 200, bridge
    status, body = await ari.request(
        "POST", f"bridges/{bridge['id']}/addChannel", params={"channel": ",".join(channels)}
    )
    assert status == 204, body
    return str(bridge["id"])


async def test_audiosocket_server_and_phone_hear_each_other_until_the_server_hangs_up(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    ident = str(uuid.uuid4())
    async with AudioSocketServer().running() as server, media_call() as call:
        host = f"127.0.0.1:{server.port}"
        status, body = await ari.request(
            "POST",
            "channels/externalMedia",
            params={
                "app": APP,
                "external_host": host,
                "encapsulation": "audiosocket",
                "transport": "tcp",
                "format": "slin",
                "data": ident,
            },
        )
        assert status == 200, body
        assert body["name"] == f"AudioSocket/{host}-{ident}"
        assert body["channelvars"] == {"AUDIOSOCKET_UUID": ident, "AUDIOSOCKET_SERVICE": host}
        external = body["id"]
        peer = await server.accepted()
        kind, payload = await asyncio.wait_for(peer.read_message(), 5)
        assert (kind, payload) == (KIND_UUID, uuid.UUID(ident).bytes)
        await stasis.channel_event(external, "StasisStart")
        bridge = await _bridge(ari, call.channel_id, external)
        try:
            phone_sends = asyncio.create_task(call.rtp.send_audio(sine(1000, 1.5)))
            heard = await peer.collect_audio(1.5)
            await phone_sends
            assert voiced_seconds(heard) >= 0.8, f"server heard {voiced_seconds(heard)} s"
            assert abs(dominant_frequency(heard) - 1000) < 20

            mark = call.rtp.mark()
            await peer.send_audio(sine(600, 1.0))
            await asyncio.sleep(0.3)
            phone_heard = call.rtp.audio(since=mark)
            assert voiced_seconds(phone_heard) >= 0.6, (
                f"phone heard {voiced_seconds(phone_heard)} s"
            )
            assert abs(dominant_frequency(phone_heard) - 600) < 20

            peer.send(KIND_HANGUP)
            await stasis.channel_event(external, "ChannelDestroyed")
            await ari.wait_channel_gone(external)
        finally:
            await ari.request("DELETE", f"bridges/{bridge}")
            peer.writer.close()


async def test_audiosocket_request_fails_with_500_when_nobody_listens(ari: Ari) -> None:
    status, body = await ari.request(
        "POST",
        "channels/externalMedia",
        params={
            "app": APP,
            "external_host": f"127.0.0.1:{free_port()}",
            "encapsulation": "audiosocket",
            "transport": "tcp",
            "format": "slin",
            "data": str(uuid.uuid4()),
        },
    )
    assert status == 500, body
    assert body == {"error": "Allocation failed"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"data": ""}, 400),
        ({"external_host": "127.0.0.1"}, 400),
        ({"encapsulation": "audiosocket", "transport": "udp"}, 501),
    ],
)
async def test_audiosocket_bad_requests(ari: Ari, params: dict[str, str], expected: int) -> None:
    query = {
        "app": APP,
        "external_host": "127.0.0.1:9",
        "encapsulation": "audiosocket",
        "transport": "tcp",
        "format": "slin",
        **params,
    }
    status, body = await ari.request("POST", "channels/externalMedia", params=query)
    assert status == expected, body
