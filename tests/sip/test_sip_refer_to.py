"""Refer-To values: blind targets and attended ones carrying Replaces (RFC 3515, 3891)."""

from __future__ import annotations

import pytest

from ariel.sip.errors import SipParseError
from ariel.sip.refer_to import Replaces, parse_refer_to, parse_refer_to_uri, parse_replaces


def test_blind_target_has_a_user_and_no_replaces() -> None:
    target = parse_refer_to("<sip:300@127.0.0.1:5060>")
    assert target.user == "300"
    assert target.replaces is None


def test_bare_uri_is_accepted() -> None:
    assert parse_refer_to("sip:1000@example.com").user == "1000"


def test_replaces_as_escaped_uri_header() -> None:
    target = parse_refer_to(
        "<sip:bob@example.com?Replaces=abc%40host%3Bto-tag%3D12%3Bfrom-tag%3D34>"
    )
    assert target.replaces == Replaces(call_id="abc@host", to_tag="12", from_tag="34")
    assert target.user == "bob"


def test_replaces_header_name_is_case_insensitive_and_early_only_is_kept() -> None:
    target = parse_refer_to("<sip:b@h?replaces=x%3Bfrom-tag%3Df%3Bto-tag%3Dt%3Bearly-only>")
    assert target.replaces == Replaces(call_id="x", to_tag="t", from_tag="f", early_only=True)
    assert str(target.replaces) == "x;to-tag=t;from-tag=f;early-only"


def test_replaces_round_trips_through_str() -> None:
    value = Replaces(call_id="c@h", to_tag="a", from_tag="b")
    assert parse_replaces(str(value)) == value


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("abc;to-tag=1", "both to-tag and from-tag"),
        ("abc;from-tag=1;to-tag=", "both to-tag and from-tag"),
        (";to-tag=1;from-tag=2", "no Call-ID"),
        ("abc;;to-tag=1;from-tag=2", "empty parameter"),
    ],
)
def test_malformed_replaces_is_refused(text: str, error: str) -> None:
    with pytest.raises(SipParseError, match=error):
        parse_replaces(text)


def test_non_sip_refer_to_is_refused() -> None:
    with pytest.raises(SipParseError, match="not a SIP URI"):
        parse_refer_to("<tel:+15551234>")


def test_bad_replaces_in_refer_to_is_refused() -> None:
    with pytest.raises(SipParseError):
        parse_refer_to("<sip:b@h?Replaces=onlycallid>")


def test_the_uri_alone_is_usable_even_when_its_replaces_is_not() -> None:
    # The reference refuses a non-SIP Refer-To at once, but a bad Replaces
    # only later (as the transfer's outcome): the two checks are separate.
    uri = parse_refer_to_uri("<sip:b@h?Replaces=onlycallid>")
    assert uri.user == "b"
    with pytest.raises(SipParseError, match="not a SIP URI"):
        parse_refer_to_uri("<tel:+15551234>")
