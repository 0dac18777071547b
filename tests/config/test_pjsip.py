"""pjsip.conf: typed objects, templates, codecs and references."""

from __future__ import annotations

import pytest

from ariel.config.parser import parse_conf
from ariel.config.pjsip import PjsipConf, build_pjsip_conf
from ariel.config.pjsip_objects import Aor, Auth, Endpoint, Identify, PjsipGlobal, Transport
from ariel.config.pjsip_tables import CODEC_NAMES, apply_codec_list
from ariel.config.values import CallerId

PHONES = """\
[global]
type = global
endpoint_identifier_order = username,ip,anonymous,header

[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:5060

[phone](!)
type = endpoint
transport = transport-udp
context = sets
disallow = all
allow = ulaw
dtmf_mode = rfc4733
direct_media = no
rtp_symmetric = yes

[SOFTPHONE_A](phone)
aors = SOFTPHONE_A

[SOFTPHONE_A]
type = aor
contact = sip:SOFTPHONE_A@127.0.0.1:5070
"""


def _build(text: str) -> tuple[PjsipConf, list[str]]:
    conf = parse_conf(text, "pjsip.conf")
    assert conf.errors == ()
    model, found = build_pjsip_conf(conf)
    return model, [str(d) for d in found]


def test_object_defaults_match_asterisk() -> None:
    endpoint = Endpoint(name="e")
    assert endpoint.context == "default"
    assert endpoint.dtmf_mode == "rfc4733"
    assert endpoint.identify_by == ("username", "ip")
    assert (endpoint.direct_media, endpoint.rtp_symmetric, endpoint.force_rport) == (
        True,
        False,
        True,
    )
    assert (endpoint.rewrite_contact, endpoint.send_rpid, endpoint.trust_id_inbound) == (
        False,
        False,
        False,
    )
    assert (endpoint.timers, endpoint.rtp_timeout, endpoint.codecs) == ("yes", 0, ())
    assert (endpoint.moh_suggest, endpoint.rel100, endpoint.callerid) == ("default", "yes", None)
    aor = Aor(name="a")
    assert (aor.max_contacts, aor.qualify_frequency, aor.remove_existing) == (0, 0, False)
    assert (aor.default_expiration, aor.maximum_expiration, aor.minimum_expiration) == (
        3600,
        7200,
        60,
    )
    assert Auth(name="x").auth_type == "userpass"
    assert (Transport(name="t").protocol, Transport(name="t").bind_port) == ("udp", 5060)
    settings = PjsipGlobal()
    assert settings.endpoint_identifier_order == ("ip", "username", "anonymous")
    assert settings.max_forwards == 70
    assert settings.user_agent.startswith("Asterisk PBX")
    assert Identify(name="i").srv_lookups is True


def test_phones_with_template_build_endpoint_and_aor_of_the_same_name() -> None:
    model, found = _build(PHONES)
    assert found == []
    endpoint = model.endpoints["SOFTPHONE_A"]
    assert endpoint.context == "sets"
    assert endpoint.transport == "transport-udp"
    assert endpoint.codecs == ("ulaw",)
    assert (endpoint.direct_media, endpoint.rtp_symmetric) == (False, True)
    assert endpoint.aors == ("SOFTPHONE_A",)
    assert (endpoint.file, endpoint.line) == ("pjsip.conf", 20)
    assert "phone" not in model.endpoints
    assert model.aors["SOFTPHONE_A"].contacts == ("sip:SOFTPHONE_A@127.0.0.1:5070",)
    assert model.aors_of(endpoint) == (model.aors["SOFTPHONE_A"],)
    assert model.global_settings.endpoint_identifier_order == (
        "username",
        "ip",
        "anonymous",
        "header",
    )
    transport = model.transports["transport-udp"]
    assert (transport.protocol, transport.bind_host, transport.bind_port) == (
        "udp",
        "127.0.0.1",
        5060,
    )


def test_transport_bind_port_defaults_by_protocol() -> None:
    model, _ = _build(
        "[u]\ntype=transport\nbind=0.0.0.0\n[t]\ntype=transport\nprotocol=tls\nbind=[::]\n"
        "[n]\ntype=transport\n"
    )
    assert (model.transports["u"].bind_host, model.transports["u"].bind_port) == ("0.0.0.0", 5060)
    assert (model.transports["t"].bind_host, model.transports["t"].bind_port) == ("::", 5061)
    assert model.transports["n"].bind_host == "0.0.0.0"


def test_transport_local_net_accumulates() -> None:
    model, _ = _build(
        "[t]\ntype=transport\nlocal_net=10.0.0.0/8\nlocal_net=192.168.0.0/16,172.16.0.0/12\n"
        "external_media_address=203.0.113.5\n"
    )
    transport = model.transports["t"]
    assert transport.local_net == ("10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12")
    assert transport.external_media_address == "203.0.113.5"


def test_codecs_follow_allow_and_disallow_in_order() -> None:
    text = "[e]\ntype=endpoint\nallow=alaw\nallow = ulaw, g722\ndisallow=alaw\nallow=ULAW:20,alaw\n"
    model, _ = _build(text)
    assert model.endpoints["e"].codecs == ("ulaw", "g722", "alaw")


def test_disallow_all_clears_inherited_codecs() -> None:
    text = "[t](!)\ntype=endpoint\nallow=alaw,gsm\n[e](t)\ndisallow=all\nallow=opus\n"
    model, _ = _build(text)
    assert model.endpoints["e"].codecs == ("opus",)


def test_apply_codec_list_handles_all_and_negation() -> None:
    everything = apply_codec_list((), "all", allow=True)
    assert everything == CODEC_NAMES
    assert apply_codec_list(everything, "!all,ulaw", allow=True) == ("ulaw",)
    with pytest.raises(ValueError, match="unknown codec 'nope'"):
        apply_codec_list((), "ulaw,nope", allow=True)


def test_unknown_codec_is_an_error() -> None:
    _, found = _build("[e]\ntype=endpoint\nallow=ulaw,warble\n")
    assert found == ["pjsip.conf:3: bad value for 'allow': unknown codec 'warble'"]


def test_endpoint_options_are_typed() -> None:
    text = (
        '[e]\ntype=endpoint\ncallerid="Alice" <101>\nauth=a1\noutbound_auth=a2\n'
        "identify_by=ip,username\nrtp_timeout=30\nlanguage=fr\nfrom_user=alice\n"
        "from_domain=example.com\nset_var=FOO=bar\nset_var=X = y\n100rel=required\n"
        "media_address=127.0.0.1\nbind_rtp_to_media_address=yes\ntrust_id_inbound=yes\n"
        "send_rpid=yes\ntimers=no\nforce_rport=no\nrewrite_contact=yes\nmailboxes=100@default\n"
        "[a1]\ntype=auth\nusername=alice\npassword=pw\n[a2]\ntype=auth\nusername=out\npassword=x\n"
    )
    model, found = _build(text)
    assert found == []
    endpoint = model.endpoints["e"]
    assert endpoint.callerid == CallerId(name="Alice", number="101")
    assert (endpoint.auth, endpoint.outbound_auth) == (("a1",), ("a2",))
    assert endpoint.identify_by == ("ip", "username")
    assert (endpoint.rtp_timeout, endpoint.language) == (30, "fr")
    assert (endpoint.from_user, endpoint.from_domain) == ("alice", "example.com")
    assert endpoint.set_var == (("FOO", "bar"), ("X", "y"))
    assert endpoint.rel100 == "required"
    assert (endpoint.media_address, endpoint.bind_rtp_to_media_address) == ("127.0.0.1", True)
    assert (endpoint.trust_id_inbound, endpoint.send_rpid, endpoint.timers) == (True, True, "no")
    assert (endpoint.force_rport, endpoint.rewrite_contact) == (False, True)
    assert endpoint.mailboxes == ("100@default",)


def test_known_unmodelled_endpoint_options_are_kept_as_text() -> None:
    model, found = _build("[e]\ntype=endpoint\nrtp_engine=asterisk\n")
    assert found == []
    assert model.endpoints["e"].extra == {"rtp_engine": "asterisk"}


def test_aor_auth_and_identify_are_read() -> None:
    text = (
        "[e]\ntype=endpoint\n"
        "[a]\ntype=aor\ncontact=sip:a@1.2.3.4,sip:b@1.2.3.4\ncontact=sip:c@h\nmax_contacts=2\n"
        "qualify_frequency=60\nqualify_timeout=1.5\nremove_existing=yes\ndefault_expiration=120\n"
        "[x]\ntype=auth\nauth_type=md5\nusername=u\nmd5_cred=abc\nrealm=r\n"
        "[i]\ntype=identify\nendpoint=e\nmatch=10.0.0.1,10.1.0.0/16\nmatch=sip.example.com\n"
    )
    model, found = _build(text)
    assert found == []
    aor = model.aors["a"]
    assert aor.contacts == ("sip:a@1.2.3.4", "sip:b@1.2.3.4", "sip:c@h")
    assert (aor.max_contacts, aor.qualify_frequency, aor.qualify_timeout) == (2, 60, 1.5)
    assert (aor.remove_existing, aor.default_expiration) == (True, 120)
    auth = model.auths["x"]
    assert (auth.auth_type, auth.username, auth.md5_cred, auth.realm) == ("md5", "u", "abc", "r")
    identify = model.identifies["i"]
    assert identify.endpoint == "e"
    assert identify.match == ("10.0.0.1", "10.1.0.0/16", "sip.example.com")


def test_section_without_type_is_an_error_at_its_header() -> None:
    _, found = _build("[global]\ntype=global\n\n[orphan]\ncontext = sets\n")
    assert found == ["pjsip.conf:4: section [orphan] in pjsip.conf has no 'type'"]


def test_section_with_unknown_type_is_an_error() -> None:
    _, found = _build("[x]\ntype = endpiont\n")
    assert found == ["pjsip.conf:1: section [x] has unknown type 'endpiont'"]


def test_unsupported_asterisk_types_are_kept_aside_with_a_warning() -> None:
    model, found = _build("[reg]\ntype = registration\nserver_uri = sip:x\n")
    assert [s.name for s in model.unsupported] == ["reg"]
    assert found == ["pjsip.conf:1: type 'registration' is not supported; [reg] ignored"]


def test_unknown_option_is_a_warning_at_its_line_even_when_inherited() -> None:
    text = "[t](!)\ntype=endpoint\nfrobnicate=1\n[a](t)\n[b](t)\n"
    model, found = _build(text)
    assert set(model.endpoints) == {"a", "b"}
    assert found == ["pjsip.conf:3: unknown endpoint option 'frobnicate'"]


def test_bad_values_are_errors() -> None:
    text = "[e]\ntype=endpoint\ndtmf_mode=loud\ndirect_media=sometimes\nrtp_timeout=-1\n"
    _, found = _build(text)
    assert found == [
        "pjsip.conf:3: bad value for 'dtmf_mode': 'loud' is not one of rfc4733, inband, "
        "info, auto, auto_info, none",
        "pjsip.conf:4: bad value for 'direct_media': 'sometimes' is not a boolean (use yes or no)",
        "pjsip.conf:5: bad value for 'rtp_timeout': -1 is below the minimum 0",
    ]


def test_bad_bind_port_is_an_error() -> None:
    _, found = _build("[t]\ntype=transport\nbind=127.0.0.1:fivethousand\n")
    assert found == ["pjsip.conf:3: bad value for 'bind': 'fivethousand' is not a whole number"]


def test_duplicate_object_of_one_type_is_an_error() -> None:
    _, found = _build("[e]\ntype=endpoint\n[e]\ntype=endpoint\n")
    assert found == ["pjsip.conf:3: endpoint [e] is already defined at pjsip.conf:1"]


def test_second_global_is_an_error() -> None:
    _, found = _build("[g1]\ntype=global\n[g2]\ntype=global\n")
    assert found == ["pjsip.conf:3: only one 'global' section is allowed"]


def test_identify_needs_an_endpoint_and_a_match() -> None:
    _, found = _build("[i]\ntype=identify\n")
    assert found == [
        "pjsip.conf:1: identify [i] has no 'endpoint'",
        "pjsip.conf:1: identify [i] matches nothing (set 'match')",
    ]


def test_dangling_references_are_warnings() -> None:
    text = (
        "[e]\ntype=endpoint\ntransport=t\naors=a\nauth=x\n"
        "[i]\ntype=identify\nendpoint=z\nmatch=1.2.3.4\n"
    )
    _, found = _build(text)
    assert found == [
        "pjsip.conf:1: endpoint [e] names undefined transport 't'",
        "pjsip.conf:1: endpoint [e] names undefined aor 'a'",
        "pjsip.conf:1: endpoint [e] names undefined auth 'x'",
        "pjsip.conf:6: identify [i] names undefined endpoint 'z'",
    ]
