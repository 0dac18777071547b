"""A phone's RTCP port gets Ariel's sender reports; its receiver reports give the round trip.

A SIPp phone (``SOFTPHONE_A`` dialling 242, ``Stasis(zarniwoop)``) offers RTP on
the test's :class:`RtpPeer` and RTCP on a second socket, named with RFC 3605
``a=rtcp:`` so it is not the RTP port + 1. The application answers and plays a
tone while the peer sends u-law silence, so both directions carry RTP. With
rtp.conf's default ``rtcpinterval`` (5 s) Ariel's first compound report -- an
SR with a report block on the phone's source and an SDES CNAME -- reaches
the phone's RTCP port about five seconds after the first packet. The phone
answers with an RR on Ariel's SSRC that echoes the SR's timestamp as LSR
after holding it 100 ms and claiming no delay (DLSR 0), a jitter of 80
samples and 3 packets lost: ``GET /channels/{id}/rtp_statistics`` then shows
a round trip of about 0.1 s and the phone's figures (jitter in seconds, loss
in packets). Hanging up sends an RTCP BYE.

baresip, a real softphone, checks the other direction: the round trip it
computes from Ariel's report blocks (LSR/DLSR), printed by its
``rtcpsummary`` module at the end of the call, is a loopback's.

The RTCP packets are read and written here with ``struct``, independently of
Ariel's own codec.
"""

from __future__ import annotations

import asyncio
import re
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from baresip_phone import MODULE_PATHS, BaresipPhone, baresip_path
from media_phones import RtpSippPhone
from rtp_peer import RtpPeer
from sipp_phone import sipp_path

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

SR, RR, SDES, BYE = 200, 201, 202, 203
#: How long the phone holds Ariel's SR before it answers (and DLSR says 0).
HOLD_S = 0.1


@dataclass(frozen=True)
class Report:
    """One RTCP packet of a compound: its type, count, sender SSRC and body."""

    packet_type: int
    count: int
    ssrc: int
    body: bytes


def _packets(data: bytes) -> list[Report]:
    found = []
    offset = 0
    while offset + 8 <= len(data):
        first, packet_type, words = struct.unpack_from("!BBH", data, offset)
        assert first >> 6 == 2, data.hex()
        end = offset + 4 * (words + 1)
        (ssrc,) = struct.unpack_from("!I", data, offset + 4)
        found.append(Report(packet_type, first & 0x1F, ssrc, data[offset + 8 : end]))
        offset = end
    assert offset == len(data), f"lengths do not add up: {data.hex()}"
    return found


class RtcpSocket(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.inbox: asyncio.Queue[tuple[float, list[Report], tuple[str, int]]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.inbox.put_nowait((time.monotonic(), _packets(data), addr))

    async def next(self, timeout: float) -> tuple[float, list[Report], tuple[str, int]]:
        return await asyncio.wait_for(self.inbox.get(), timeout)


def _rr(ours: int, about: int, lsr: int) -> bytes:
    """An RR from ``ours`` with one block on ``about``: 3 lost, jitter 80, LSR, DLSR 0."""
    block = struct.pack("!IIIIII", about, (0 << 24) | 3, 1000, 80, lsr, 0)
    return struct.pack("!BBHI", 0x81, RR, 7, ours) + block


async def _stats(ari: Ari, channel_id: str) -> dict[str, float]:
    status, body = await ari.request("GET", f"channels/{channel_id}/rtp_statistics")
    assert status == 200, (status, body)
    return body


async def test_phone_gets_sender_reports_and_its_receiver_reports_give_the_round_trip(
    ariel_server: AriServer, ari: Ari, stasis: AppEvents, tmp_path: Path, caller_name: str
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    loop = asyncio.get_running_loop()
    transport, rtcp = await loop.create_datagram_endpoint(RtcpSocket, local_addr=("127.0.0.1", 0))
    rtcp.transport = transport
    rtcp_port = transport.get_extra_info("sockname")[1]
    channel_id = None
    try:
        async with RtpPeer() as rtp:
            phone = RtpSippPhone(
                "media_call_rtcp.xml",
                rtp_port=rtp.port,
                options=("-key", "rtcp_port", str(rtcp_port)),
                sip_port=ariel_server.sip_port,
                workdir=tmp_path,
                dial="242",
                display=caller_name,
            )
            async with phone:
                start = await stasis.stasis_start(caller_name)
                channel_id = start["channel"]["id"]
                status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
                assert status == 204
                ok = await phone.wait_status(200)
                rtp.remote = ok.sdp_audio()
                status, _ = await ari.request(
                    "POST", f"channels/{channel_id}/play", params={"media": "tone:440/1000"}
                )
                assert status == 201
                talking = asyncio.create_task(rtp.send_silence(9))
                first_rtp = time.monotonic()
                try:
                    # -- Ariel's first report: SR + SDES, about the interval after RTP began.
                    arrived, packets, source = await rtcp.next(timeout=8)
                    assert 4.0 <= arrived - first_rtp <= 7.0, arrived - first_rtp
                    sr, sdes = packets
                    stats = await _stats(ari, channel_id)
                    assert (sr.packet_type, sr.count) == (SR, 1)
                    assert sr.ssrc == stats["local_ssrc"]
                    ntp_hi, ntp_lo, _, packet_count, _ = struct.unpack_from("!IIIII", sr.body)
                    assert abs(ntp_hi - 2_208_988_800 - time.time()) < 5
                    assert 0 < packet_count <= stats["txcount"]
                    (block_ssrc,) = struct.unpack_from("!I", sr.body, 20)
                    assert block_ssrc == stats["remote_ssrc"] != 0
                    assert sdes.packet_type == SDES and sdes.ssrc == sr.ssrc
                    assert sdes.body[0] == 1 and sdes.body[1] > 0  # a CNAME item
                    assert source[0] == "127.0.0.1"

                    # -- The phone's RR, held 100 ms, with DLSR 0: a 0.1 s round trip.
                    await asyncio.sleep(HOLD_S)
                    lsr = ((ntp_hi & 0xFFFF) << 16) | (ntp_lo >> 16)
                    transport.sendto(_rr(stats["remote_ssrc"], sr.ssrc, lsr), source)
                    deadline = time.monotonic() + 3
                    while (stats := await _stats(ari, channel_id))["rtt"] <= 0:
                        assert time.monotonic() < deadline, stats
                        await asyncio.sleep(0.05)
                    assert HOLD_S <= stats["rtt"] < HOLD_S + 0.2, stats
                    assert stats["minrtt"] == stats["maxrtt"] == stats["normdevrtt"]
                    assert stats["rxjitter"] == pytest.approx(80 / 8000)
                    assert stats["remote_maxjitter"] == pytest.approx(80 / 8000)
                    assert (stats["txploss"], stats["remote_maxrxploss"]) == (3, 3)
                    assert stats["rxcount"] > 200 and stats["rxploss"] == 0
                finally:
                    talking.cancel()

                # -- Hanging up ends RTCP with a BYE from the same source.
                status, _ = await ari.request("DELETE", f"channels/{channel_id}")
                assert status == 204
                channel_id = None
                while True:
                    _, packets, _ = await rtcp.next(timeout=3)
                    if packets[-1].packet_type == BYE:
                        break
                assert packets[0].packet_type in (SR, RR)
                assert packets[-1].ssrc == sr.ssrc and packets[-1].count == 1
                assert await phone.finish() == 0, phone.report()
    finally:
        transport.close()
        if channel_id is not None:
            await ari.request("DELETE", f"channels/{channel_id}")


class RtcpBaresip(BaresipPhone):
    """baresip with ``rtcpsummary``: at the end of a call it prints what RTCP told it."""

    def write_config(self) -> None:
        super().write_config()
        with (self.workdir / "config").open("a") as config:
            config.write("module rtcpsummary.so\n")


#: rtcpsummary's line: packets received/sent, lost (rx, tx), jitter (rx, tx) and the
#: round trip ("DL", ms) that baresip computed from the report blocks Ariel sent it.
SUMMARY = re.compile(
    r"EX=BareSip;CS=\d+;CD=\d+;PR=(\d+);PS=(\d+);PL=(-?\d+),(-?\d+);.*DL=([\d.]+);"
)


async def test_baresip_and_ariel_measure_the_round_trip_from_each_others_reports(
    ariel_server: AriServer, ari: Ari, stasis: AppEvents, tmp_path: Path, caller_name: str
) -> None:
    """A real softphone reads Ariel's SRs and report blocks, and Ariel reads its RRs.

    baresip's ``rtcpsummary`` shows the round trip it computed from Ariel's LSR/DLSR
    (only right if Ariel echoed baresip's SR and measured its own delay); Ariel's
    ``rtp_statistics`` show the one from baresip's -- or none yet when baresip's
    whole-millisecond DLSR exceeds the loopback round trip, never a wrapped figure.
    """
    if baresip_path() is None or not any((p / "rtcpsummary.so").exists() for p in MODULE_PATHS):
        pytest.skip("baresip or its rtcpsummary module is not installed")
    uri = f"sip:242@127.0.0.1:{ariel_server.sip_port}"
    channel_id = None
    try:
        async with RtcpBaresip(
            workdir=tmp_path, uri=uri, user="SOFTPHONE_B", display=caller_name
        ) as softphone:
            start = await stasis.stasis_start(caller_name)
            channel_id = start["channel"]["id"]
            status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
            assert status == 204
            await softphone.wait_output(r"Call established: " + uri)
            status, _ = await ari.request(
                "POST", f"channels/{channel_id}/play", params={"media": "tone:440/1000"}
            )
            assert status == 201
            # Ariel's first SR goes out ~5 s after the first packet, baresip's RRs every
            # ~5 s (randomised): by 12 s each side has had the other's reports.
            await asyncio.sleep(12)
            stats = await _stats(ari, channel_id)
            status, _ = await ari.request("DELETE", f"channels/{channel_id}")
            assert status == 204
            channel_id = None
            await softphone.wait_output(r"terminated \(duration")
            summary = await softphone.wait_output(SUMMARY.pattern, timeout=5)
    finally:
        if channel_id is not None:
            await ari.request("DELETE", f"channels/{channel_id}")

    received, sent, lost_rx, lost_tx, rtt_ms = summary.groups()
    assert 0 <= float(rtt_ms) < 50, summary.group(0)  # loopback, DLSR taken out
    assert int(received) > 0 and int(sent) > 0
    assert (int(lost_rx), int(lost_tx)) == (0, 0)
    assert stats["rtt"] == 0 or 0 < stats["rtt"] < 0.05, stats
    assert stats["rxcount"] > 0 and stats["txploss"] == 0 and stats["rxploss"] == 0
