"""Registrar: bindings per AoR (RFC 3261 §10.3), built from REGISTER bytes."""

from __future__ import annotations

from ariel.config import config_from_texts
from ariel.config.pjsip import PjsipConf
from ariel.drivers.pjsip.registrar import Registrar
from ariel.sip.message import Request, Response, parse_message

PJSIP = """
[alice]
type = endpoint
aors = alice, alice-desk

[alice]
type = aor
max_contacts = 2
minimum_expiration = 60
maximum_expiration = 600
default_expiration = 300

[alice-desk]
type = aor
max_contacts = 1
remove_existing = yes

[bob]
type = endpoint
aors = bob

[bob]
type = aor
contact = sip:bob@192.0.2.7:5060
max_contacts = 1

[carol]
type = endpoint

[nobody]
type = endpoint
aors = nobody

[nobody]
type = aor
"""


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _conf() -> PjsipConf:
    return config_from_texts({"pjsip.conf": PJSIP}).pjsip


def _register(
    aor: str = "alice",
    contacts: tuple[str, ...] = ("<sip:alice@192.0.2.1:5062>",),
    *,
    expires: int | None = None,
    cseq: int = 1,
    call_id: str = "reg-1",
) -> Request:
    lines = [
        "REGISTER sip:example.com SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-r1",
        "Max-Forwards: 70",
        f"From: <sip:{aor}@example.com>;tag=f1",
        f"To: <sip:{aor}@example.com>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} REGISTER",
    ]
    lines += [f"Contact: {c}" for c in contacts]
    if expires is not None:
        lines.append(f"Expires: {expires}")
    lines.append("Content-Length: 0")
    message = parse_message(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert isinstance(message, Request)
    return message


def _setup() -> tuple[Registrar, Clock, list[tuple[str, str]], PjsipConf]:
    clock = Clock()
    states: list[tuple[str, str]] = []
    conf = _conf()
    registrar = Registrar(conf, now=clock, on_state=lambda e, s: states.append((e, s)))
    return registrar, clock, states, conf


def _send(registrar: Registrar, conf: PjsipConf, request: Request, ep: str = "alice") -> Response:
    return registrar.register(request, conf.endpoints[ep], to_tag="t1")


def test_register_binds_with_default_expiration_and_lists_it() -> None:
    registrar, _clock, states, conf = _setup()
    response = _send(registrar, conf, _register())
    assert response.status == 200
    assert response.headers.get_all("Contact") == ("<sip:alice@192.0.2.1:5062>;expires=300",)
    assert response.to_tag == "t1"
    assert [b.uri for b in registrar.contacts_of("alice")] == ["sip:alice@192.0.2.1:5062"]
    assert states == [("alice", "online")]


def test_expires_param_beats_expires_header_and_is_clamped_to_maximum() -> None:
    registrar, _clock, _states, conf = _setup()
    response = _send(
        registrar,
        conf,
        _register(contacts=("<sip:a@192.0.2.1>;expires=9999", "<sip:b@192.0.2.2>"), expires=120),
    )
    assert response.status == 200
    assert response.headers.get_all("Contact") == (
        "<sip:a@192.0.2.1>;expires=600",
        "<sip:b@192.0.2.2>;expires=120",
    )


def test_expiry_below_minimum_is_423_with_min_expires() -> None:
    registrar, _clock, states, conf = _setup()
    response = _send(registrar, conf, _register(expires=30))
    assert response.status == 423
    assert response.reason == "Interval Too Brief"
    assert response.headers.get("Min-Expires") == "60"
    assert registrar.contacts_of("alice") == ()
    assert states == []


def test_bindings_expire_and_endpoint_goes_offline() -> None:
    registrar, clock, states, conf = _setup()
    _send(registrar, conf, _register(expires=100))
    clock.t += 60
    assert registrar.contacts_of("alice")[0].remaining(clock.t) == 40
    clock.t += 41
    assert registrar.contacts_of("alice") == ()
    assert states == [("alice", "online"), ("alice", "offline")]


def test_refresh_keeps_one_binding_per_contact_uri() -> None:
    registrar, clock, _states, conf = _setup()
    _send(registrar, conf, _register(expires=100))
    clock.t += 50
    response = _send(registrar, conf, _register(expires=100, cseq=2))
    assert response.headers.get_all("Contact") == ("<sip:alice@192.0.2.1:5062>;expires=100",)


def test_expires_zero_removes_one_binding() -> None:
    registrar, _clock, states, conf = _setup()
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>")))
    response = _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>;expires=0",)))
    assert response.headers.get_all("Contact") == ("<sip:b@192.0.2.2>;expires=300",)
    assert states == [("alice", "online")]


def test_wildcard_with_expires_zero_removes_all() -> None:
    registrar, _clock, states, conf = _setup()
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>")))
    response = _send(registrar, conf, _register(contacts=("*",), expires=0, cseq=2))
    assert response.status == 200
    assert response.headers.get_all("Contact") == ()
    assert registrar.contacts_of("alice") == ()
    assert states == [("alice", "online"), ("alice", "offline")]


def test_wildcard_without_expires_zero_is_400() -> None:
    registrar, _clock, _states, conf = _setup()
    assert _send(registrar, conf, _register(contacts=("*",))).status == 400
    assert _send(registrar, conf, _register(contacts=("*",), expires=60)).status == 400


def test_no_contact_is_a_query_listing_bindings() -> None:
    registrar, clock, _states, conf = _setup()
    _send(registrar, conf, _register())
    clock.t += 10
    response = _send(registrar, conf, _register(contacts=(), cseq=2))
    assert response.headers.get_all("Contact") == ("<sip:alice@192.0.2.1:5062>;expires=290",)


def test_max_contacts_refuses_with_403_without_remove_existing() -> None:
    registrar, _clock, _states, conf = _setup()
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>")))
    response = _send(registrar, conf, _register(contacts=("<sip:c@192.0.2.3>",), cseq=2))
    assert response.status == 403
    assert len(registrar.contacts_of("alice")) == 2


def test_remove_existing_replaces_the_oldest() -> None:
    registrar, clock, _states, conf = _setup()
    _send(registrar, conf, _register("alice-desk", ("<sip:a@192.0.2.1>",)))
    clock.t += 5
    response = _send(registrar, conf, _register("alice-desk", ("<sip:b@192.0.2.2>",), cseq=2))
    assert response.status == 200
    assert [b.uri for b in registrar.contacts_of("alice-desk")] == ["sip:b@192.0.2.2"]


def test_aor_not_of_the_endpoint_is_404_and_no_aors_is_403() -> None:
    registrar, _clock, _states, conf = _setup()
    assert _send(registrar, conf, _register("bob")).status == 404
    assert _send(registrar, conf, _register("carol"), ep="carol").status == 403


def test_max_contacts_zero_forbids_registration() -> None:
    registrar, _clock, _states, conf = _setup()
    assert _send(registrar, conf, _register("nobody"), ep="nobody").status == 403


def test_static_contacts_come_first_and_keep_endpoint_online() -> None:
    registrar, _clock, states, conf = _setup()
    assert [b.uri for b in registrar.contacts_of("bob")] == ["sip:bob@192.0.2.7:5060"]
    _send(registrar, conf, _register("bob", ("<sip:bob@192.0.2.8>",)), ep="bob")
    assert [b.uri for b in registrar.contacts_of("bob")] == [
        "sip:bob@192.0.2.7:5060",
        "sip:bob@192.0.2.8",
    ]
    assert states == []


def test_bad_expires_header_is_400() -> None:
    registrar, _clock, _states, conf = _setup()
    request = _register()
    request = Request(
        method=request.method,
        uri=request.uri,
        headers=request.headers.with_set("Expires", "soon"),
    )
    assert _send(registrar, conf, request).status == 400


def test_contacts_created_removed_and_expired_are_reported_once_each() -> None:
    clock = Clock()
    conf = _conf()
    seen: list[tuple[str, str, str]] = []
    registrar = Registrar(conf, now=clock, on_contact=lambda *c: seen.append(c))
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>")))
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>",), cseq=2))  # a refresh
    _send(registrar, conf, _register(contacts=("<sip:a@192.0.2.1>;expires=0",), cseq=3))
    clock.t += 301
    registrar.expire()
    assert seen == [
        ("alice", "sip:a@192.0.2.1", "Created"),
        ("alice", "sip:b@192.0.2.2", "Created"),
        ("alice", "sip:a@192.0.2.1", "Removed"),
        ("alice", "sip:b@192.0.2.2", "Removed"),
    ]
