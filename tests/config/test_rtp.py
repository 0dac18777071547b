"""rtp.conf: port range and media settings."""

from __future__ import annotations

from ariel.config.parser import parse_conf
from ariel.config.rtp import RtpConf, build_rtp_conf


def _build(text: str) -> tuple[RtpConf, list[str]]:
    model, found = build_rtp_conf(parse_conf(text, "rtp.conf"))
    return model, [str(d) for d in found]


def test_defaults_match_asterisk() -> None:
    model = RtpConf()
    assert (model.rtpstart, model.rtpend) == (5000, 31000)
    assert (model.rtpchecksums, model.dtmftimeout, model.probation) == (False, 3000, 4)
    assert (model.strictrtp, model.icesupport, model.stunaddr) == ("yes", True, "")
    assert model.rtcpinterval == 5000


def test_conformance_style_settings_are_read() -> None:
    text = "[general]\nrtpstart = 10000\nrtpend = 20000\nicesupport = no\nstrictrtp = seqno\n"
    model, found = _build(text)
    assert found == []
    assert (model.rtpstart, model.rtpend, model.icesupport, model.strictrtp) == (
        10000,
        20000,
        False,
        "seqno",
    )


def test_strictrtp_boolean_words_normalise_to_yes_or_no() -> None:
    assert _build("[general]\nstrictrtp = off\n")[0].strictrtp == "no"


def test_ice_host_candidates_map_local_to_advertised() -> None:
    model, _ = _build("[ice_host_candidates]\n192.168.1.10 => 1.2.3.4\n")
    assert model.ice_host_candidates == {"192.168.1.10": "1.2.3.4"}


def test_inverted_or_out_of_range_ports_are_errors() -> None:
    _, found = _build("[general]\nrtpstart = 20000\nrtpend = 10000\n")
    assert found == ["rtp.conf:1: rtpstart (20000) must be below rtpend (10000)"]
    _, found = _build("[general]\nrtpstart = 80\n")
    assert found == ["rtp.conf:2: bad value for 'rtpstart': 80 is below the minimum 1024"]


def test_rtcp_interval_below_500_is_an_error_but_zero_disables() -> None:
    assert _build("[general]\nrtcpinterval = 0\n")[0].rtcpinterval == 0
    _, found = _build("[general]\nrtcpinterval = 100\n")
    assert found == [
        "rtp.conf:2: bad value for 'rtcpinterval': 100 is below the minimum 500 "
        "(or 0 to turn RTCP off)"
    ]
