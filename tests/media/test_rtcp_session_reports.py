"""RtcpSession: the reports a stream sends and the statistics it keeps (RFC 3550 §6.4).

Sans-IO: each test feeds a SequenceTracker, send counters and NTP instants, and
checks the bytes that come out or the figures kept.
"""

from __future__ import annotations

import statistics

import pytest

from ariel.media.rtcp import (
    Bye,
    ReceiverReport,
    ReportBlock,
    SenderReport,
    SourceDescription,
    build_rtcp,
    parse_rtcp,
)
from ariel.media.rtcp_session import (
    RtcpSession,
    RunningStat,
    SendCounts,
    media_experience_score,
    ntp_from_unix,
)
from ariel.media.rtp import SequenceTracker

OURS = 0x11223344
THEIRS = 0x55667788
NTP = 0xE42A3B1C_80000000  # some second and a half
SECOND = 1 << 32  # one second in NTP units
CNAME = "ariel-test"


def session() -> RtcpSession:
    return RtcpSession(ssrc=OURS, cname=CNAME)


def tracker(*sequences: int) -> SequenceTracker:
    rx = SequenceTracker()
    for seq in sequences:
        rx.receive(seq, seq * 160, seq * 160)  # on time: no jitter
    return rx


def sent(packets: int) -> SendCounts:
    return SendCounts(packets=packets, octets=packets * 160, rtp_timestamp=0xA000)


def report(s: RtcpSession, rx: SequenceTracker, *, packets: int, ntp: int = NTP) -> bytes:
    remote = THEIRS if rx.received else None
    return s.report(ntp=ntp, sent=sent(packets), rx=rx, remote_ssrc=remote, clock_rate=8000)


# -- what we send -------------------------------------------------------------------------------

SR_WITH_BLOCK = bytes.fromhex(
    "81c8000c" "11223344"
    "e42a3b1c80000000" "0000a000" "00000032" "00001f40"  # NTP, RTP ts, 50 packets, 8000 octets
    "55667788" "19000001" "0000006d" "00000000" "00000000" "00000000"  # 1 of 10 lost
    "81ca0005" "11223344" "010a" + CNAME.encode().hex() + "00000000"  # SDES CNAME
)  # fmt: skip


def test_first_report_after_sending_is_an_sr_with_a_block_on_the_peer_and_a_cname() -> None:
    rx = tracker(*range(100, 105), *range(106, 110))  # 105 never came
    assert report(session(), rx, packets=50) == SR_WITH_BLOCK


def test_no_rtp_sent_since_the_last_sr_gives_an_rr() -> None:
    s = session()
    rx = tracker(1, 2, 3)
    first, second = report(s, rx, packets=10), report(s, rx, packets=10)
    assert isinstance(parse_rtcp(first)[0], SenderReport)
    rr = parse_rtcp(second)[0]
    assert isinstance(rr, ReceiverReport) and rr.ssrc == OURS
    assert (s.sr_count, s.rr_count) == (1, 1)
    assert isinstance(parse_rtcp(report(s, rx, packets=11))[0], SenderReport)


def test_nothing_received_means_no_report_block() -> None:
    packets = parse_rtcp(report(session(), SequenceTracker(), packets=0))
    assert packets[0] == ReceiverReport(ssrc=OURS, reports=())
    assert isinstance(packets[1], SourceDescription) and packets[1].chunks[0].cname == CNAME


def test_block_echoes_the_peers_last_sr_as_lsr_with_the_delay_since_in_dlsr() -> None:
    s = session()
    their_sr = SenderReport(ssrc=THEIRS, ntp_timestamp=0x0000_1234_5678_0000, rtp_timestamp=1)
    assert s.receive(build_rtcp([their_sr]), ntp=NTP, clock_rate=8000)
    out = parse_rtcp(report(s, tracker(1, 2), packets=0, ntp=NTP + SECOND // 4))
    block = out[0].reports[0]  # type: ignore[union-attr]
    assert block.last_sr == 0x1234_5678
    assert block.delay_since_last_sr == 0x4000  # a quarter second in 1/65536 s


def test_bye_closes_with_a_report_sdes_and_our_ssrc_leaving() -> None:
    packets = parse_rtcp(
        session().bye(
            ntp=NTP, sent=sent(3), rx=SequenceTracker(), remote_ssrc=None, clock_rate=8000
        )
    )
    assert [type(p) for p in packets] == [SenderReport, SourceDescription, Bye]
    assert packets[2] == Bye(sources=(OURS,))


# -- local statistics, one sample per report we send --------------------------------------------


def test_each_report_samples_the_packets_lost_in_its_interval() -> None:
    s = session()
    rx = SequenceTracker()
    for seq in (1, 2, 4):  # 3 lost
        rx.receive(seq, seq * 160, seq * 160)
    report(s, rx, packets=0)
    assert (s.rxlost, s.expected_prior, s.received_prior) == (1, 4, 3)
    for seq in (5, 6, 9):  # 7 and 8 lost
        rx.receive(seq, seq * 160, seq * 160)
    report(s, rx, packets=0)
    for seq in (10, 11):  # none lost
        rx.receive(seq, seq * 160, seq * 160)
    report(s, rx, packets=0)
    lost = s.rxlost_stats
    # As the reference: an interval without loss does not lower the minimum.
    assert (lost.minimum, lost.maximum, lost.count) == (1, 2, 3)
    assert lost.mean == pytest.approx(1.0)
    assert lost.stdev == pytest.approx(statistics.pstdev([1, 2, 0]))
    assert s.expected_prior - s.received_prior == 3


def test_late_packets_never_count_as_negative_loss() -> None:
    s = session()
    rx = SequenceTracker()
    for seq in (1, 2, 4):
        rx.receive(seq, 0, 0)
    report(s, rx, packets=0)
    rx.receive(3, 0, 0)  # the late one: more received than expected in this interval
    out = parse_rtcp(report(s, rx, packets=0))
    block = out[0].reports[0]  # type: ignore[union-attr]
    assert (block.fraction_lost, block.cumulative_lost, s.rxlost) == (0, 0, 0)


def test_local_jitter_is_sampled_in_seconds_at_each_report() -> None:
    s = session()
    rx = SequenceTracker()
    rx.receive(1, 0, 0)
    rx.receive(2, 160, 160 + 800)  # arrived 100 ms late: J = 800/16 = 50 samples
    report(s, rx, packets=0)
    assert s.rxjitter_stats.maximum == pytest.approx(50 / 8000)
    assert s.rxjitter_stats.count == 1


# -- what the peer reports ----------------------------------------------------------------------


def _rr(*blocks: ReportBlock) -> bytes:
    return build_rtcp([ReceiverReport(ssrc=THEIRS, reports=blocks)])


def test_rtt_is_arrival_minus_lsr_minus_dlsr() -> None:
    s = session()
    lsr = (NTP >> 16) & 0xFFFFFFFF
    # They held our SR half a second; it comes back 0.75 s after we sent it.
    block = ReportBlock(ssrc=OURS, last_sr=lsr, delay_since_last_sr=0x8000)
    assert s.receive(_rr(block), ntp=NTP + 3 * SECOND // 4, clock_rate=8000)
    assert s.rtt == pytest.approx(0.25)
    block = ReportBlock(ssrc=OURS, last_sr=lsr, delay_since_last_sr=0x4000)
    s.receive(_rr(block), ntp=NTP + SECOND // 2, clock_rate=8000)
    rtt = s.rtt_stats
    assert (rtt.minimum, rtt.maximum, rtt.count) == (0.25, 0.25, 2)
    assert (rtt.mean, rtt.stdev) == (0.25, 0.0)


def test_rtt_is_truncated_to_whole_microseconds_as_the_reference() -> None:
    s = session()
    lsr = (NTP >> 16) & 0xFFFFFFFF
    s.receive(_rr(ReportBlock(ssrc=OURS, last_sr=lsr)), ntp=NTP + (1 << 16), clock_rate=8000)
    assert s.rtt == 0.000015  # 1/65536 s = 15.26 us


def test_an_arrival_before_lsr_plus_dlsr_is_no_rtt_sample_and_keeps_the_last_rtt() -> None:
    s = session()
    lsr = (NTP >> 16) & 0xFFFFFFFF
    s.receive(_rr(ReportBlock(ssrc=OURS, last_sr=lsr)), ntp=NTP + SECOND // 8, clock_rate=8000)
    assert s.rtt == 0.125
    block = ReportBlock(ssrc=OURS, last_sr=lsr, delay_since_last_sr=0x10000)  # one second
    s.receive(_rr(block), ntp=NTP + SECOND // 2, clock_rate=8000)
    # Not the wrapped 65535.5 s the reference would show, nor a statistics sample.
    assert (s.rtt, s.rtt_stats.count, s.reports_received) == (0.125, 1, 2)


def test_no_lsr_means_no_rtt() -> None:
    s = session()
    s.receive(_rr(ReportBlock(ssrc=OURS, jitter=8)), ntp=NTP, clock_rate=8000)
    assert (s.rtt, s.rtt_stats.count, s.reports_received) == (0.0, 0, 1)


def test_reported_jitter_is_kept_in_seconds_and_loss_in_packets() -> None:
    s = session()
    for jitter, lost in ((80, 3), (160, 5)):
        s.receive(
            _rr(ReportBlock(ssrc=OURS, jitter=jitter, cumulative_lost=lost)),
            ntp=NTP,
            clock_rate=8000,
        )
    assert (s.reported_jitter, s.reported_lost) == (0.02, 5)
    j, lost_stat = s.reported_jitter_stats, s.reported_lost_stats
    assert (j.minimum, j.maximum, j.mean) == (0.01, 0.02, pytest.approx(0.015))
    assert j.stdev == pytest.approx(0.005)
    assert (lost_stat.minimum, lost_stat.maximum, lost_stat.mean) == (3, 5, 4)


def test_negative_cumulative_loss_is_read_unsigned_as_the_reference() -> None:
    s = session()
    s.receive(_rr(ReportBlock(ssrc=OURS, cumulative_lost=-1)), ntp=NTP, clock_rate=8000)
    assert s.reported_lost == 0xFFFFFF


def test_the_block_about_our_ssrc_is_preferred_else_the_first() -> None:
    s = session()
    other = ReportBlock(ssrc=0x99, jitter=800)
    ours = ReportBlock(ssrc=OURS, jitter=8)
    s.receive(_rr(other, ours), ntp=NTP, clock_rate=8000)
    assert s.reported_jitter == 0.001
    s.receive(_rr(other), ntp=NTP, clock_rate=8000)  # a relayed leg: they report on another
    assert s.reported_jitter == 0.1


def test_an_sr_from_the_peer_is_remembered_for_our_next_block() -> None:
    s = session()
    sr = SenderReport(ssrc=THEIRS, ntp_timestamp=0xAAAA_BBBB_CCCC_DDDD, rtp_timestamp=0)
    s.receive(
        build_rtcp([sr, SourceDescription.with_cname(THEIRS, "phone")]), ntp=5, clock_rate=8000
    )
    assert (s.their_lsr, s.their_sr_arrival) == (0xBBBB_CCCC, 5)


@pytest.mark.parametrize("data", [b"", b"\x80", bytes.fromhex("80c90001"), b"\x00" * 8])
def test_what_is_not_rtcp_is_refused_and_changes_nothing(data: bytes) -> None:
    s = session()
    assert not s.receive(data, ntp=NTP, clock_rate=8000)
    assert s.reports_received == 0


# -- helpers --------------------------------------------------------------------------------


def test_running_stat_matches_the_population_figures() -> None:
    samples = [0.3, 0.1, 0.4, 0.1, 0.5, 0.9]
    stat = RunningStat()
    for sample in samples:
        stat.add(sample)
    assert (stat.minimum, stat.maximum, stat.count) == (0.1, 0.9, 6)
    assert stat.mean == pytest.approx(statistics.fmean(samples))
    assert stat.stdev == pytest.approx(statistics.pstdev(samples))


def test_media_experience_score_of_a_perfect_path() -> None:
    # R = 93.2 - 10/40; MOS from R as ITU-T G.107; x 20.
    r = 93.2 - 0.25
    assert media_experience_score(0, 0, 0, 0) == pytest.approx(
        (1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-7) * 20
    )
    assert media_experience_score(0.5, 0, 0, 0) < media_experience_score(0.05, 0, 0, 0)
    assert media_experience_score(0, 0, 0, 100) == 20.0  # R below 0: MOS 1


def test_ntp_from_unix_counts_from_1900_in_32_32_fixed_point() -> None:
    assert ntp_from_unix(0.0) == 2_208_988_800 << 32
    assert ntp_from_unix(1.5) == ((2_208_988_801 << 32) | (1 << 31))
