"""Digest authentication of REGISTERs from endpoints with auth (RFC 7616)."""

from __future__ import annotations

from ariel.config import config_from_texts
from ariel.config.pjsip import PjsipConf
from ariel.drivers.pjsip.auth import Authenticator
from ariel.sip.digest import build_authorization, compute_ha1, parse_challenge
from ariel.sip.message import Request, Response, parse_message

PJSIP = """
[alice]
type = endpoint
aors = alice
auth = alice-auth

[alice-auth]
type = auth
username = alice
password = secret

[hashed]
type = endpoint
auth = hashed-auth

[hashed-auth]
type = auth
auth_type = md5
username = hashed
realm = example.com
md5_cred = {ha1}

[open]
type = endpoint
""".replace("{ha1}", compute_ha1("hashed", "example.com", "pw"))

REGISTER = (
    b"REGISTER sip:example.com SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-a1\r\n"
    b"Max-Forwards: 70\r\n"
    b"From: <sip:alice@example.com>;tag=f1\r\n"
    b"To: <sip:alice@example.com>\r\n"
    b"Call-ID: auth-1\r\n"
    b"CSeq: 1 REGISTER\r\n"
    b"Contact: <sip:alice@192.0.2.1:5062>\r\n"
    b"Content-Length: 0\r\n\r\n"
)


class Clock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, size: int) -> bytes:
        self.n += 1
        return bytes([self.n % 256]) * size


def _setup() -> tuple[Authenticator, Clock, PjsipConf]:
    conf = config_from_texts({"pjsip.conf": PJSIP}).pjsip
    clock = Clock()
    return Authenticator(conf, now=clock, random_bytes=Counter()), clock, conf


def _request(authorization: str | None = None) -> Request:
    message = parse_message(REGISTER)
    assert isinstance(message, Request)
    if authorization is None:
        return message
    return Request(
        method=message.method,
        uri=message.uri,
        headers=message.headers.with_added("Authorization", authorization),
    )


def _answer(challenge_response: Response, password: str, username: str = "alice") -> Request:
    challenge = parse_challenge(challenge_response.headers.get("WWW-Authenticate") or "")
    return _request(
        build_authorization(
            challenge,
            method="REGISTER",
            uri="sip:example.com",
            username=username,
            password=password,
            cnonce="c0ffee",
        )
    )


def test_request_without_authorization_gets_401_challenge() -> None:
    auth, _clock, conf = _setup()
    response = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 401
    value = response.headers.get("WWW-Authenticate") or ""
    assert value.startswith('Digest realm="asterisk", nonce="')
    assert value.endswith('algorithm=MD5, qop="auth"')
    challenge = parse_challenge(value)
    assert not challenge.stale


def test_fresh_nonces_differ() -> None:
    auth, _clock, conf = _setup()
    first = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    second = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert first is not None and second is not None
    assert first.headers.get("WWW-Authenticate") != second.headers.get("WWW-Authenticate")


def test_correct_answer_passes() -> None:
    auth, clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert challenge is not None
    clock.t += 5
    assert auth.check(_answer(challenge, "secret"), conf.endpoints["alice"], to_tag="t") is None


def test_wrong_password_is_403() -> None:
    auth, _clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert challenge is not None
    response = auth.check(_answer(challenge, "guess"), conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 403


def test_wrong_username_is_403() -> None:
    auth, _clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert challenge is not None
    answer = _answer(challenge, "secret", username="mallory")
    response = auth.check(answer, conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 403


def test_stale_nonce_with_right_password_is_rechallenged_with_stale_true() -> None:
    auth, clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert challenge is not None
    clock.t += 33
    response = auth.check(_answer(challenge, "secret"), conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 401
    renewed = parse_challenge(response.headers.get("WWW-Authenticate") or "")
    assert renewed.stale
    assert auth.check(_answer(response, "secret"), conf.endpoints["alice"], to_tag="t") is None


def test_nonce_not_issued_by_us_is_rechallenged() -> None:
    auth, _clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["alice"], to_tag="t")
    assert challenge is not None
    value = challenge.headers.get("WWW-Authenticate") or ""
    assert 'nonce="5000/' in value
    forged = Response(
        status=401,
        reason="Unauthorized",
        headers=challenge.headers.with_set(
            "WWW-Authenticate", value.replace('nonce="5000/', 'nonce="4999/')
        ),
    )
    response = auth.check(_answer(forged, "secret"), conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 401
    assert not parse_challenge(response.headers.get("WWW-Authenticate") or "").stale


def test_md5_cred_and_own_realm() -> None:
    auth, _clock, conf = _setup()
    challenge = auth.check(_request(), conf.endpoints["hashed"], to_tag="t")
    assert challenge is not None
    assert 'realm="example.com"' in (challenge.headers.get("WWW-Authenticate") or "")
    answer = _answer(challenge, "pw", username="hashed")
    assert auth.check(answer, conf.endpoints["hashed"], to_tag="t") is None


def test_endpoint_without_auth_passes_unchecked() -> None:
    auth, _clock, conf = _setup()
    assert auth.check(_request(), conf.endpoints["open"], to_tag="t") is None


def test_garbage_authorization_is_400() -> None:
    auth, _clock, conf = _setup()
    response = auth.check(_request("Basic Zm9vOmJhcg=="), conf.endpoints["alice"], to_tag="t")
    assert response is not None and response.status == 400
