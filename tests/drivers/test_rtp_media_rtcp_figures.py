"""RTCP figures in ARI's RTPstat and the RTPAUDIOQOS variables, as Asterisk 22 shows them.

The stream has no sockets: its RTCP session is fed report bytes directly.
"""

from __future__ import annotations

import re

import pytest

from ariel.arispec.models import MODELS
from ariel.drivers.rtp_media import apply_negotiated, qos_variables, rtp_statistics
from ariel.media.codecs import codec_by_name
from ariel.media.rtcp import ReceiverReport, ReportBlock, build_rtcp, parse_rtcp
from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream
from ariel.sip.offer_answer import Codec, NegotiatedAudio

NTP = 0xE42A3B1C_00000000
PEER = 0x0BADCAFE


def _stream() -> RtpStream:
    stream = RtpStream(PortAllocator(40000, 40010), 40000, "127.0.0.1", MediaClock())
    stream.rtcp_interval_ms = 5000
    return stream


def _exchange(stream: RtpStream) -> None:
    """Receive 9 of 10 packets, report on them, then take two RRs from the peer."""
    for seq in (*range(1, 5), *range(6, 11)):
        stream.rx.receive(seq, seq * 160, seq * 160)
    stream.rx_packets = 9
    stream.remote_ssrc = PEER
    stream.tx_packets = 3
    ours = parse_rtcp(stream._rtcp_packet())[0]
    lsr = ours.lsr  # type: ignore[union-attr]
    for jitter, lost, dlsr in ((80, 1, 0), (240, 3, 0x8000)):
        block = ReportBlock(
            ssrc=stream.sender.ssrc,
            jitter=jitter,
            cumulative_lost=lost,
            last_sr=lsr,
            delay_since_last_sr=dlsr,
        )
        arrival = ((lsr + dlsr + 0x1000) & 0xFFFFFFFF) << 16  # 1/16 s of round trip
        stream.rtcp.receive(
            build_rtcp([ReceiverReport(ssrc=PEER, reports=(block,))]),
            ntp=arrival,
            clock_rate=8000,
        )


def test_rtp_statistics_has_every_field_of_the_rtpstat_model() -> None:
    model = next(m for m in MODELS if m.id == "RTPstat")
    stats = rtp_statistics(_stream(), "1700000000.1")
    assert set(stats) == {f.name for f in model.fields}


def test_rtcp_figures_fill_rtpstat_in_seconds_and_packets() -> None:
    stream = _stream()
    _exchange(stream)
    stats = rtp_statistics(stream, "1700000000.1")
    assert stats["rtt"] == stats["minrtt"] == stats["maxrtt"] == stats["normdevrtt"] == 0.0625
    assert stats["stdevrtt"] == 0.0
    # What the peer reports on our stream: rxjitter/txploss and the remote_* series.
    assert (stats["rxjitter"], stats["txploss"]) == (0.03, 3)
    assert (stats["remote_minjitter"], stats["remote_maxjitter"]) == (0.01, 0.03)
    assert stats["remote_normdevjitter"] == pytest.approx(0.02)
    assert stats["remote_stdevjitter"] == pytest.approx(0.01)
    assert (stats["remote_minrxploss"], stats["remote_maxrxploss"]) == (1, 3)
    assert stats["remote_normdevrxploss"] == 2
    # What we measure: txjitter (ours), rxploss as of our report, the local_* series.
    assert stats["txjitter"] == 0.0
    assert stats["rxploss"] == 1
    assert (stats["local_minrxploss"], stats["local_maxrxploss"]) == (1, 1)
    assert stats["local_maxjitter"] == 0.0
    assert (stats["txcount"], stats["rxcount"], stats["remote_ssrc"]) == (3, 9, PEER)


def test_rxploss_is_live_when_the_stream_sends_no_reports() -> None:
    stream = _stream()
    stream.rtcp_interval_ms = 0
    for seq in (1, 2, 5):
        stream.rx.receive(seq, 0, 0)
    assert rtp_statistics(stream, "x")["rxploss"] == 2


def test_qos_variables_use_asterisk_22_names_and_padding() -> None:
    stream = _stream()
    _exchange(stream)
    qos = dict(qos_variables(stream))
    summary = qos["RTPAUDIOQOS"]
    assert re.fullmatch(
        rf"ssrc={stream.sender.ssrc};themssrc={PEER};lp=1;rxjitter=0\.030000;rxcount=9;"
        r"txjitter=0\.000000;txcount=3;rlp=3;rtt=0\.062500;rxmes=\d+\.\d{6};txmes=\d+\.\d{6}",
        summary,
    ), summary
    assert qos["RTPAUDIOQOSJITTER"] == (
        "minrxjitter=000.000000;maxrxjitter=000.000000;avgrxjitter=000.000000;"
        "stdevrxjitter=000.000000;mintxjitter=000.010000;maxtxjitter=000.030000;"
        "avgtxjitter=000.020000;stdevtxjitter=000.010000;"
    )
    assert qos["RTPAUDIOQOSLOSS"] == (
        "  minrxlost=001.000000;  maxrxlost=001.000000;  avgrxlost=001.000000;"
        "  stdevrxlost=000.000000;  mintxlost=001.000000;  maxtxlost=003.000000;"
        "  avgtxlost=002.000000;  stdevtxlost=001.000000;"
    )
    assert qos["RTPAUDIOQOSRTT"] == (
        "     minrtt=000.062500;     maxrtt=000.062500;     avgrtt=000.062500;"
        "     stdevrtt=000.000000;"
    )
    assert re.fullmatch(
        r"(   (min|max|avg|stdev)(rx|tx)mes=\d{3}\.\d{6};){8}", qos["RTPAUDIOQOSMES"]
    ), qos["RTPAUDIOQOSMES"]


def test_apply_negotiated_points_rtcp_at_the_sdp_rtcp_port() -> None:
    stream = _stream()
    negotiated = NegotiatedAudio(
        codec=Codec(payload_type=0, name="PCMU", clock_rate=8000),
        remote_address="192.0.2.7",
        remote_port=4000,
        remote_rtcp_port=4009,
        telephone_event=101,
        direction="sendrecv",
        on_hold=False,
        ptime=None,
        stream_index=0,
    )
    apply_negotiated(stream, negotiated)
    assert stream.remote == ("192.0.2.7", 4000)
    assert stream.rtcp_remote == ("192.0.2.7", 4009)
    assert stream.codec is codec_by_name("ulaw")
