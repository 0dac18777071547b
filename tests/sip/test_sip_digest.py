"""Digest authentication (RFC 7616 / RFC 2617) on both sides."""

from __future__ import annotations

import pytest
from sip_corpus import everyday

from ariel.sip import Challenge, DigestCredentials, DigestError, parse_message
from ariel.sip.digest import (
    build_authorization,
    compute_ha1,
    make_challenge,
    parse_authorization,
    parse_challenge,
    verify_authorization,
)

# RFC 7616 §3.9.1, the worked example for MD5 and SHA-256.
RFC7616 = {
    "username": "Mufasa",
    "realm": "http-auth@example.org",
    "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    "uri": "/dir/index.html",
    "qop": "auth",
    "nc": "00000001",
    "cnonce": "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
}


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_rfc7616_example_verifies(algorithm: str, response: str) -> None:
    credentials = DigestCredentials(**RFC7616, response=response, algorithm=algorithm)
    assert verify_authorization(credentials, method="GET", password="Circle of Life")
    assert not verify_authorization(credentials, method="GET", password="Circle of life")


def test_rfc2617_example_verifies() -> None:
    # RFC 2617 §3.5.
    credentials = DigestCredentials(
        username="Mufasa",
        realm="testrealm@host.com",
        nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
        uri="/dir/index.html",
        qop="auth",
        nc="00000001",
        cnonce="0a4f113b",
        response="6629fae49393a05397450978507c4ef1",
    )
    assert verify_authorization(credentials, method="GET", password="Circle Of Life")


def test_challenge_is_written_as_a_www_authenticate_value() -> None:
    challenge = make_challenge(realm="asterisk", nonce_bytes=b"\x01\xab", opaque="op", stale=True)
    assert str(challenge) == (
        'Digest realm="asterisk", nonce="01ab", opaque="op", algorithm=MD5, qop="auth", stale=TRUE'
    )
    assert parse_challenge(str(challenge)) == challenge


def test_asterisk_challenge_and_phone_answer_verify_with_password_or_md5_cred() -> None:
    challenge_value = parse_message(everyday("unauthorized_401")).headers.get("WWW-Authenticate")
    assert challenge_value is not None
    challenge = parse_challenge(challenge_value)
    assert challenge == Challenge(
        realm="asterisk",
        nonce="1709298722/ff9e1e9f1fb1de1fe0b1d7b6a0e5c6d1",
        opaque="35d9b4b1723cc4c0",
    )
    value = parse_message(everyday("register_auth")).headers.get("Authorization")
    assert value is not None
    credentials = parse_authorization(value)
    assert (credentials.username, credentials.qop, credentials.nc) == ("alice", "auth", "00000001")
    assert verify_authorization(credentials, method="REGISTER", password="secret")
    md5_cred = compute_ha1("alice", "asterisk", "secret")
    assert verify_authorization(credentials, method="REGISTER", ha1=md5_cred)
    assert not verify_authorization(credentials, method="INVITE", password="secret")


@pytest.mark.parametrize("algorithm", ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"])
@pytest.mark.parametrize("qop", [("auth",), ("auth-int",), ()])
def test_client_answer_verifies_on_the_server(algorithm: str, qop: tuple[str, ...]) -> None:
    challenge = make_challenge(
        realm="ariel", nonce_bytes=bytes(16), algorithm=algorithm, qop=qop, opaque="o"
    )
    value = build_authorization(
        challenge,
        method="INVITE",
        uri="sip:100@ariel",
        username="bob",
        password="pw",
        cnonce="c0ffee",
        nc=3,
        body=b"v=0\r\n",
    )
    credentials = parse_authorization(value)
    assert credentials.opaque == "o" and credentials.algorithm == algorithm
    assert credentials.nc == ("00000003" if qop else None)
    assert verify_authorization(credentials, method="INVITE", password="pw", body=b"v=0\r\n")
    assert not verify_authorization(credentials, method="INVITE", password="no", body=b"v=0\r\n")


def test_proxy_authorization_with_precomputed_ha1_matches_the_password_form() -> None:
    challenge = parse_challenge('Digest realm="r", nonce="n", qop="auth,auth-int"')
    by_password = build_authorization(
        challenge, method="BYE", uri="sip:a@b", username="u", password="p", cnonce="x"
    )
    by_ha1 = build_authorization(
        challenge,
        method="BYE",
        uri="sip:a@b",
        username="u",
        ha1=compute_ha1("u", "r", "p"),
        cnonce="x",
    )
    assert by_password == by_ha1 and "qop=auth," in by_password


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NoOneKnowsThisScheme opaque-data=here", "not a Digest header"),
        ("Digest", "without username"),
        ('Digest username="a", realm="b"', "without nonce, uri, response"),
        ('Digest username="a, realm=b', "unterminated quoted string"),
        ('Digest username="a", username="b"', "bad auth-param"),
        ('Digest junk, username="a"', "bad auth-param"),
    ],
)
def test_malformed_authorization_raises_digest_error(value: str, message: str) -> None:
    with pytest.raises(DigestError, match=message) as caught:
        parse_authorization(value)
    assert caught.value.status == 400


def test_unsupported_algorithm_or_qop_is_a_digest_error() -> None:
    with pytest.raises(DigestError, match="unsupported algorithm"):
        parse_challenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')
    base = {"username": "u", "realm": "r", "nonce": "n", "uri": "sip:a", "response": "0"}
    with pytest.raises(DigestError, match="unsupported qop"):
        verify_authorization(DigestCredentials(**base, qop="bogus"), method="X", password="p")
    with pytest.raises(DigestError, match="without nc or cnonce"):
        verify_authorization(DigestCredentials(**base, qop="auth"), method="X", password="p")
    with pytest.raises(ValueError, match="password or an HA1"):
        verify_authorization(DigestCredentials(**base), method="X")


def test_challenge_without_realm_or_nonce_is_rejected() -> None:
    with pytest.raises(DigestError, match="without realm or nonce"):
        parse_challenge('Digest realm="r"')
