"""RFC 4475 torture messages: the valid ones parse to the right fields, the invalid
ones are rejected with the right status, and the semantically odd ones parse and
are left to the layer the RFC names."""

from __future__ import annotations

import pytest
from sip_corpus import ACCEPTED_SEMANTIC, REJECTED, RFC4475, VALID, torture

from ariel.sip import (
    AbsoluteUri,
    Request,
    Response,
    SipParseError,
    SipUri,
    parse_message,
    parse_sdp,
    parse_uri,
    serialize,
    uri_equal,
)
from ariel.sip.digest import DigestError, parse_authorization


def _request(name: str) -> Request:
    message = parse_message(torture(name))
    assert isinstance(message, Request)
    return message


def _sip(uri: object) -> SipUri:
    assert isinstance(uri, SipUri)
    return uri


def test_every_fixture_file_is_classified() -> None:
    names = {path.stem for path in RFC4475.glob("*.sip")}
    assert names == set(VALID) | set(REJECTED) | set(ACCEPTED_SEMANTIC)
    assert len(names) == 49


@pytest.mark.parametrize("name", VALID + tuple(ACCEPTED_SEMANTIC))
def test_accepted_torture_message_parses_and_round_trips(name: str) -> None:
    message = parse_message(torture(name))
    assert parse_message(serialize(message)) == message


@pytest.mark.parametrize(("name", "status"), sorted(REJECTED.items()))
def test_invalid_torture_message_is_rejected_with_its_status(name: str, status: int) -> None:
    with pytest.raises(SipParseError) as caught:
        parse_message(torture(name))
    assert caught.value.status == status


def test_wsinv_short_tortuous_invite_reads_every_field() -> None:
    # §3.1.1.1: folding, LWS everywhere, compact and long forms, unknown headers.
    message = _request("wsinv")
    uri = _sip(message.uri)
    assert (message.method, uri.user, uri.host) == ("INVITE", "vivekg", "chair-dnrc.example.com")
    assert uri.params == (("unknownparam", None),)
    assert message.to_tag == "1918181833n"
    assert _sip(message.to_address.uri).user == "vivekg"
    assert message.from_address.display_name == 'J Rosenberg \\"'
    assert message.from_tag == "98asjd8"
    assert message.max_forwards == 68
    assert (message.cseq.number, message.cseq.method) == (9, "INVITE")
    assert message.call_id == "wsinv.ndaksdj@192.0.2.1"
    vias = message.vias
    assert [(v.transport, v.host, v.branch) for v in vias] == [
        ("UDP", "192.0.2.2", "390skdjuw"),
        ("TCP", "spindle.example.com", "z9hG4bK9ikj8"),
        ("UDP", "192.168.255.111", "z9hG4bK30239"),
    ]
    assert message.headers.get("Subject") == ""
    assert message.headers.get("NewFangledHeader") == (
        "newfangled value continued newfangled value"
    )
    assert message.headers.get_all("UnknownHeaderWithUnusualValue") == (";;,,;;,;",)
    route = parse_message(torture("wsinv")).headers.get("Route")
    assert route == "<sip:services.example.com;lr;unknownwith=value;unknown-no-value>"
    (contact,) = message.contacts
    assert contact.display_name == 'Quoted string ""'
    assert contact.params == (("newparam", "newvalue"), ("secondparam", None), ("q", "0.33"))
    assert len(message.body) == 150
    assert parse_sdp(message.body).origin.address == "192.0.2.3"


def test_intmeth_wide_range_of_characters_survives_parsing() -> None:
    # §3.1.1.2: token characters everywhere, quoted NUL, UTF-8 values.
    message = _request("intmeth")
    assert message.method == "!interesting-Method0123456789_*+`.%indeed'~"
    uri = _sip(message.uri)
    assert uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
    assert uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
    assert uri.host == "example.com"
    assert message.branch == "z9hG4bK-.!%66*_+`'~"
    assert message.to_address.display_name == "BEL:\x07 NUL:\x00 DEL:\x7f"
    sender = message.from_address
    assert sender.display_name == "token1~` token2'+_ token3*%!.-"
    assert sender.param("fromParam''~+*_!.-%") == '"работающий"'
    assert sender.tag == "_token~1'+`*%!-."
    assert message.call_id == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"
    assert message.cseq.number == 139122385
    assert message.cseq.method == message.method
    assert message.max_forwards == 255
    assert message.headers.get("extensionHeader-!.%*+_`'~") == "\ufeff大停電"


def test_esc01_escapes_are_resolved_once_in_uri_components() -> None:
    # §3.1.1.3: "the "name" uri-parameter has a value of "value%41", which is NOT
    # equivalent to "valueA"."
    message = _request("esc01")
    uri = _sip(message.uri)
    assert (uri.user, uri.host) == ("sips:user@example.com", "example.net")
    assert _sip(message.to_address.uri).user == "user"
    assert _sip(message.from_address.uri).user == "I have spaces"
    contact = _sip(message.contacts[0].uri)
    assert contact.user == "caller"
    assert contact.params == (("lr", None), ("name", "value%41"))
    assert not uri_equal(contact, parse_uri("sip:caller@host5.example.net;lr;name=valueA"))
    assert uri_equal(contact, parse_uri("sip:caller@host5.example.net;lr;name=value%2541"))


def test_escnull_keeps_escaped_nulls_and_two_distinct_contacts() -> None:
    # §3.1.1.4: "take special care ... so as to not prematurely shorten the username".
    message = _request("escnull")
    assert _sip(message.to_address.uri).user == "null-\x00-null"
    first, second = (_sip(contact.uri) for contact in message.contacts)
    assert (first.user, second.user) == ("\x00", "\x00\x00")
    assert not uri_equal(first, second)


def test_esc02_percent_is_not_an_escape_outside_uris() -> None:
    # §3.1.1.5: RE%47IST%45R is not REGISTER; C%6Fntact is not Contact.
    message = _request("esc02")
    assert message.method == "RE%47IST%45R"
    assert message.to_address.display_name == "%Z%45"
    assert [_sip(c.uri).user for c in message.contacts] == ["alias1", "alias3"]
    assert message.headers.get("C%6Fntact") == "<sip:alias2@host2.example.com>"
    assert message.branch == "z9hG4bK209%fzsnel234"


def test_lwsdisp_display_name_may_touch_the_angle_bracket() -> None:
    assert _request("lwsdisp").from_address.display_name == "caller"


def test_longreq_long_values_and_34_vias_parse() -> None:
    message = _request("longreq")
    to = message.to_address
    assert to.display_name == f"I have a user name of {'extreme' * 10} proportion"
    assert _sip(to.uri).port == 6000
    assert len(_sip(to.uri).params) == 3
    assert message.from_tag == "12" + "982" * 50 + "424"
    vias = message.vias
    assert [v.host for v in vias[:33]] == [f"sip{n}.example.com" for n in range(33, 0, -1)]
    assert vias[33].received == "192.0.2.5"
    assert vias[33].branch == "very" + "long" * 50 + "branchvalue"
    assert _sip(message.contacts[0].uri).user == "amazinglylongcallername" * 5


def test_dblreq_ignores_octets_after_the_body_of_a_datagram() -> None:
    # §3.1.1.8: the trailing INVITE is "spurious noise that must be ignored".
    message = _request("dblreq")
    assert (message.method, message.body) == ("REGISTER", b"")


def test_semiuri_user_part_holds_a_semicolon_parameter() -> None:
    # §3.1.1.9: 'the user part is "user;par=u@example.net"'.
    message = _request("semiuri")
    uri = _sip(message.uri)
    assert (uri.user, uri.host, uri.params) == ("user;par=u@example.net", "example.com", ())
    assert len(message.headers.get_all("Accept")) == 6


def test_transports_accepts_known_and_unknown_via_transports() -> None:
    transports = [via.transport for via in _request("transports").vias]
    assert transports == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"]


def test_mpart01_binary_body_is_framed_by_content_length() -> None:
    message = _request("mpart01")
    assert message.content_type == "multipart/mixed"
    assert len(message.body) == 553 and b"\x00" in message.body
    assert message.body.endswith(b"--7a9cbec02ceef655--\r\n")
    via = message.top_via
    assert (via.port, via.has_rport, via.rport) == (5070, True, None)


def test_unreason_reason_phrase_keeps_its_utf8() -> None:
    message = parse_message(torture("unreason"))
    assert isinstance(message, Response)
    assert message.status == 200
    assert message.reason == "= 2**3 * 5**2 но сто девяносто девять - простое"


def test_noreason_empty_reason_phrase_is_accepted() -> None:
    message = parse_message(torture("noreason"))
    assert isinstance(message, Response)
    assert (message.status, message.reason) == (100, "")


@pytest.mark.parametrize("name", sorted(ACCEPTED_SEMANTIC))
def test_semantically_invalid_message_parses_for_a_higher_layer(name: str) -> None:
    assert parse_message(torture(name)).call_id


def test_unknown_schemes_parse_as_absolute_uris_for_a_416() -> None:
    assert _request("unkscm").uri == AbsoluteUri(
        scheme="nobodyknowsthisscheme", opaque="totallyopaquecontent"
    )
    assert isinstance(_request("novelsc").uri, AbsoluteUri)
    message = _request("unksm2")
    assert isinstance(message.to_address.uri, AbsoluteUri)
    assert isinstance(message.contacts[0].uri, AbsoluteUri)


def test_cparam_contact_parameters_belong_where_the_brackets_say() -> None:
    # §3.3.12: without <> the parameter is a Contact header parameter;
    # §3.3.13: inside <> it is a URI parameter.
    bare = _request("cparam01").contacts[0]
    assert bare.has_param("unknownparam") and not _sip(bare.uri).params
    enclosed = _request("cparam02").contacts[0]
    assert not enclosed.params and _sip(enclosed.uri).has_param("unknownparam")


def test_regescrt_contact_keeps_its_escaped_uri_header() -> None:
    contact = _sip(_request("regescrt").contacts[0].uri)
    assert contact.headers == (("Route", "<sip:sip.example.com>"),)


def test_regaut01_unknown_authorization_scheme_is_a_digest_error() -> None:
    value = _request("regaut01").headers.get("Authorization")
    assert value is not None
    with pytest.raises(DigestError, match="not a Digest header"):
        parse_authorization(value)


def test_badbranch_magic_cookie_without_identifier_is_left_to_transactions() -> None:
    assert _request("badbranch").branch == "z9hG4bK"


def test_zeromf_max_forwards_of_zero_is_well_formed() -> None:
    assert _request("zeromf").max_forwards == 0
