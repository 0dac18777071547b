"""HTTP Digest authentication for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616).

Server side: ``make_challenge`` builds the WWW-Authenticate/Proxy-Authenticate
value from nonce octets the caller supplies (no randomness here), and
``verify_authorization`` checks a parsed Authorization against a password or a
precomputed HA1 (Asterisk's ``md5_cred``). Whether a nonce is fresh is the
caller's business: re-challenge with ``stale=True`` when it is not. Client side:
``parse_challenge`` reads a 401/407 challenge and ``build_authorization`` answers
it, with the cnonce passed in.

The response is ``KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))`` with
qop, or ``KD(H(A1), nonce ":" H(A2))`` without (RFC 2617 §3.2.2.1).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ariel.sip._grammar import WSP, is_token, quote, split_outside, unquote
from ariel.sip.errors import SipParseError

__all__ = [
    "ALGORITHMS",
    "Challenge",
    "DigestCredentials",
    "DigestError",
    "build_authorization",
    "compute_ha1",
    "make_challenge",
    "parse_authorization",
    "parse_challenge",
    "verify_authorization",
]

ALGORITHMS = ("MD5", "MD5-sess", "SHA-256", "SHA-256-sess")
_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


class DigestError(ValueError):
    """An authentication header that is not a usable Digest header (400)."""

    status = 400


def _digest(algorithm: str, data: bytes) -> str:
    name = _HASHES.get(algorithm.upper().removesuffix("-SESS"))
    if name is None:
        raise DigestError(f"unsupported algorithm {algorithm!r}")
    return hashlib.new(name, data).hexdigest()


def _hash(algorithm: str, text: str) -> str:
    return _digest(algorithm, text.encode("utf-8", "surrogateescape"))


def _canonical_algorithm(algorithm: str) -> str:
    for known in ALGORITHMS:
        if known.lower() == algorithm.lower():
            return known
    raise DigestError(f"unsupported algorithm {algorithm!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Challenge:
    """A Digest challenge (RFC 7616 §3.3)."""

    realm: str
    nonce: str
    algorithm: str = "MD5"
    qop: tuple[str, ...] = ("auth",)
    opaque: str | None = None
    stale: bool = False

    def __str__(self) -> str:
        parts = [f"realm={quote(self.realm)}", f"nonce={quote(self.nonce)}"]
        if self.opaque is not None:
            parts.append(f"opaque={quote(self.opaque)}")
        parts.append(f"algorithm={self.algorithm}")
        if self.qop:
            parts.append(f"qop={quote(','.join(self.qop))}")
        if self.stale:
            parts.append("stale=TRUE")
        return "Digest " + ", ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestCredentials:
    """A parsed Digest Authorization or Proxy-Authorization value."""

    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str = "MD5"
    qop: str | None = None
    nc: str | None = None
    cnonce: str | None = None
    opaque: str | None = None


def _auth_params(value: str) -> dict[str, str]:
    words = value.strip(WSP).split(None, 1)
    if not words or words[0].lower() != "digest":
        raise DigestError(f"not a Digest header: {value.strip(WSP)[:20]!r}")
    rest = words[1] if len(words) > 1 else ""
    params: dict[str, str] = {}
    try:
        for piece in split_outside(rest, ","):
            if not piece.strip(WSP):
                continue
            name, equals, raw = piece.partition("=")
            name, raw = name.strip(WSP).lower(), raw.strip(WSP)
            if not equals or not is_token(name) or name in params:
                raise DigestError(f"bad auth-param: {piece.strip()[:40]!r}")
            params[name] = unquote(raw) if raw.startswith('"') else raw
    except SipParseError as error:
        raise DigestError(error.reason) from None
    return params


def make_challenge(
    *,
    realm: str,
    nonce_bytes: bytes,
    opaque: str | None = None,
    algorithm: str = "MD5",
    qop: tuple[str, ...] = ("auth",),
    stale: bool = False,
) -> Challenge:
    """A challenge whose nonce is ``nonce_bytes`` in hex.

    RFC 7616 §3.3: the nonce "should be uniquely generated each time a 401
    response is made"; the caller draws the octets and remembers the nonce.
    """
    return Challenge(
        realm=realm,
        nonce=nonce_bytes.hex(),
        algorithm=_canonical_algorithm(algorithm),
        qop=qop,
        opaque=opaque,
        stale=stale,
    )


def parse_challenge(value: str) -> Challenge:
    """Read a WWW-Authenticate or Proxy-Authenticate value.

    Raises:
        DigestError: Not Digest, or no realm or nonce.
    """
    params = _auth_params(value)
    if "realm" not in params or "nonce" not in params:
        raise DigestError("challenge without realm or nonce")
    qop = tuple(item.strip(WSP) for item in params.get("qop", "").split(",") if item.strip(WSP))
    return Challenge(
        realm=params["realm"],
        nonce=params["nonce"],
        algorithm=_canonical_algorithm(params.get("algorithm", "MD5")),
        qop=qop,
        opaque=params.get("opaque"),
        stale=params.get("stale", "").lower() == "true",
    )


def parse_authorization(value: str) -> DigestCredentials:
    """Read an Authorization or Proxy-Authorization value.

    Raises:
        DigestError: Not Digest (RFC 4475 §3.3.7 sends an unknown scheme), or
            missing username, realm, nonce, uri or response.
    """
    params = _auth_params(value)
    missing = [k for k in ("username", "realm", "nonce", "uri", "response") if k not in params]
    if missing:
        raise DigestError(f"Authorization without {', '.join(missing)}")
    return DigestCredentials(
        username=params["username"],
        realm=params["realm"],
        nonce=params["nonce"],
        uri=params["uri"],
        response=params["response"],
        algorithm=params.get("algorithm", "MD5"),
        qop=params.get("qop"),
        nc=params.get("nc"),
        cnonce=params.get("cnonce"),
        opaque=params.get("opaque"),
    )


def compute_ha1(username: str, realm: str, password: str, algorithm: str = "MD5") -> str:
    """``H(username ":" realm ":" password)`` -- what ``md5_cred`` stores for MD5."""
    return _hash(algorithm, f"{username}:{realm}:{password}")


def _response(
    *,
    algorithm: str,
    ha1: str,
    nonce: str,
    method: str,
    uri: str,
    qop: str | None,
    nc: str | None,
    cnonce: str | None,
    body: bytes,
) -> str:
    if algorithm.lower().endswith("-sess"):
        # RFC 7616 §3.4.2: A1 = H(unq(username):unq(realm):passwd):unq(nonce):unq(cnonce)
        ha1 = _hash(algorithm, f"{ha1}:{nonce}:{cnonce or ''}")
    if qop == "auth-int":
        ha2 = _hash(algorithm, f"{method}:{uri}:{_digest(algorithm, body)}")
    else:
        ha2 = _hash(algorithm, f"{method}:{uri}")
    if qop is None:
        return _hash(algorithm, f"{ha1}:{nonce}:{ha2}")
    return _hash(algorithm, f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


def verify_authorization(
    credentials: DigestCredentials,
    *,
    method: str,
    password: str | None = None,
    ha1: str | None = None,
    body: bytes = b"",
) -> bool:
    """Whether the credentials answer their nonce correctly.

    Give ``password``, or ``ha1`` computed with the credentials' algorithm (an
    ``md5_cred`` fits MD5 and MD5-sess only). The caller still checks that the
    nonce is one it issued and is fresh, that the realm is its own, and that
    ``credentials.uri`` names the Request-URI.

    Raises:
        DigestError: For an unknown algorithm or qop, or a qop without nc/cnonce.
        ValueError: If neither ``password`` nor ``ha1`` is given.
    """
    algorithm = _canonical_algorithm(credentials.algorithm)
    qop = credentials.qop.lower() if credentials.qop is not None else None
    if qop not in (None, "auth", "auth-int"):
        raise DigestError(f"unsupported qop {credentials.qop!r}")
    if qop is not None and (not credentials.nc or not credentials.cnonce):
        raise DigestError("qop without nc or cnonce")
    if algorithm.endswith("-sess") and not credentials.cnonce:
        raise DigestError(f"{algorithm} without cnonce")
    if ha1 is None:
        if password is None:
            raise ValueError("verify_authorization needs a password or an HA1")
        ha1 = compute_ha1(credentials.username, credentials.realm, password, algorithm)
    expected = _response(
        algorithm=algorithm,
        ha1=ha1.lower(),
        nonce=credentials.nonce,
        method=method,
        uri=credentials.uri,
        qop=qop,
        nc=credentials.nc,
        cnonce=credentials.cnonce,
        body=body,
    )
    # compare_digest refuses str with non-ASCII characters; such a response is wrong anyway.
    response = credentials.response.lower()
    return response.isascii() and hmac.compare_digest(expected, response)


def build_authorization(
    challenge: Challenge,
    *,
    method: str,
    uri: str,
    username: str,
    password: str | None = None,
    ha1: str | None = None,
    cnonce: str,
    nc: int = 1,
    body: bytes = b"",
) -> str:
    """The Authorization (or Proxy-Authorization) value answering ``challenge``.

    Uses qop ``auth`` when offered (``auth-int`` when only that is), else the
    RFC 2069 form without qop.
    """
    qop = "auth" if "auth" in challenge.qop else ("auth-int" if challenge.qop else None)
    if ha1 is None:
        if password is None:
            raise ValueError("build_authorization needs a password or an HA1")
        ha1 = compute_ha1(username, challenge.realm, password, challenge.algorithm)
    count = f"{nc:08x}"
    response = _response(
        algorithm=challenge.algorithm,
        ha1=ha1,
        nonce=challenge.nonce,
        method=method,
        uri=uri,
        qop=qop,
        nc=count,
        cnonce=cnonce,
        body=body,
    )
    parts = [
        f"username={quote(username)}",
        f"realm={quote(challenge.realm)}",
        f"nonce={quote(challenge.nonce)}",
        f"uri={quote(uri)}",
        f"response={quote(response)}",
        f"algorithm={challenge.algorithm}",
    ]
    if qop is not None or challenge.algorithm.endswith("-sess"):
        # RFC 2617 §3.2.2.2: a -sess A1 ends in ":" unq(cnonce-value).
        parts.append(f"cnonce={quote(cnonce)}")
    if qop is not None:
        parts += [f"qop={qop}", f"nc={count}"]
    if challenge.opaque is not None:
        parts.append(f"opaque={quote(challenge.opaque)}")
    return "Digest " + ", ".join(parts)
