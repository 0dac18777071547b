"""Digest authentication of requests from endpoints with ``auth =`` (RFC 7616).

Theory of operation: a request without an Authorization header for one of the
endpoint's auth realms gets 401 with one ``WWW-Authenticate: Digest`` per auth
section (realm: the auth's ``realm`` or the global ``default_realm``,
"asterisk"). Nonces carry their own proof, as Asterisk's do, so nothing is
stored per challenge: ``<issued>/<salt>/<mac>`` where ``issued`` is the clock
reading in whole seconds, ``salt`` fresh random octets and ``mac`` an HMAC of
both and the realm under a secret drawn once at start. A nonce whose MAC does
not check was not issued by us: re-challenge. A correct answer to a nonce older
than the auth's ``nonce_lifetime`` (32 s) is re-challenged with ``stale=true``
(RFC 7616 §3.3: "the nonce value is invalid, but with a valid digest"); a
wrong answer (bad password, unknown username) is refused with 403.

Not done: nonce-count replay tracking, ``auth-int``, checking that the
credentials' ``uri`` equals the Request-URI.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable

from ariel.config import Endpoint, PjsipConf
from ariel.config.pjsip_objects import Auth
from ariel.sip.digest import (
    Challenge,
    DigestCredentials,
    DigestError,
    parse_authorization,
    verify_authorization,
)
from ariel.sip.message import Request, Response, make_response

__all__ = ["Authenticator"]

log = logging.getLogger("ariel.pjsip.auth")


class Authenticator:
    """Challenges and checks requests of endpoints that have ``auth``."""

    def __init__(
        self,
        conf: PjsipConf,
        *,
        now: Callable[[], float],
        random_bytes: Callable[[int], bytes],
    ) -> None:
        self._conf = conf
        self._now = now
        self._random = random_bytes
        self._secret = random_bytes(32)

    def replace_conf(self, conf: PjsipConf) -> None:
        """Use reloaded pjsip.conf objects from now on."""
        self._conf = conf

    def _auths(self, endpoint: Endpoint) -> list[Auth]:
        return [self._conf.auths[name] for name in endpoint.auth if name in self._conf.auths]

    def realm_of(self, auth: Auth) -> str:
        """The realm ``auth`` challenges with."""
        return auth.realm or self._conf.global_settings.default_realm or "asterisk"

    # -- nonces ----------------------------------------------------------------
    def _mac(self, issued: str, salt: str, realm: str) -> str:
        data = f"{issued}/{salt}/{realm}".encode()
        return hmac.new(self._secret, data, hashlib.sha256).hexdigest()[:32]

    def make_nonce(self, realm: str) -> str:
        """A fresh nonce for ``realm``."""
        issued = str(int(self._now()))
        salt = self._random(8).hex()
        return f"{issued}/{salt}/{self._mac(issued, salt, realm)}"

    def _nonce_age(self, nonce: str, realm: str) -> float | None:
        """Seconds since we issued ``nonce`` for ``realm``; ``None`` if we did not."""
        parts = nonce.split("/")
        # Our nonces are ASCII digits/hex/hex; compare_digest refuses non-ASCII str.
        if len(parts) != 3 or not nonce.isascii() or not parts[0].isdigit():
            return None
        issued, salt, mac = parts
        if not hmac.compare_digest(mac, self._mac(issued, salt, realm)):
            return None
        return self._now() - int(issued)

    # -- checking --------------------------------------------------------------
    def check(self, request: Request, endpoint: Endpoint, *, to_tag: str) -> Response | None:
        """``None`` when ``request`` is authenticated, else the response to send.

        An endpoint without (defined) auth sections passes unchecked.
        """
        auths = self._auths(endpoint)
        if not auths:
            return None
        values = request.headers.get_all("Authorization")
        if not values:
            return self._challenge(request, auths, to_tag=to_tag)
        stale = False
        refused = False
        for value in values:
            try:
                credentials = parse_authorization(value)
            except DigestError as exc:
                log.debug("bad Authorization from %s: %s", endpoint.name, exc)
                return make_response(request, 400, to_tag=to_tag)
            for auth in auths:
                if credentials.realm != self.realm_of(auth):
                    continue
                age = self._nonce_age(credentials.nonce, credentials.realm)
                if age is None:
                    continue  # not our nonce: challenge afresh
                if not self._verify(credentials, auth, request):
                    refused = True
                elif age > auth.nonce_lifetime or age < 0:
                    stale = True
                else:
                    return None
        if stale:
            return self._challenge(request, auths, to_tag=to_tag, stale=True)
        if refused:
            log.warning("failed authentication for endpoint %s", endpoint.name)
            return make_response(request, 403, to_tag=to_tag)
        return self._challenge(request, auths, to_tag=to_tag)

    def _verify(self, credentials: DigestCredentials, auth: Auth, request: Request) -> bool:
        if credentials.username != auth.username:
            return False
        try:
            if auth.auth_type == "md5" and auth.md5_cred:
                return verify_authorization(
                    credentials, method=request.method, ha1=auth.md5_cred, body=request.body
                )
            return verify_authorization(
                credentials, method=request.method, password=auth.password, body=request.body
            )
        except DigestError as exc:
            log.debug("unusable Authorization: %s", exc)
            return False

    def challenges(self, endpoint: Endpoint, *, stale: bool = False) -> list[Challenge]:
        """One fresh challenge per auth section of ``endpoint``."""
        return self._challenges(self._auths(endpoint), stale=stale)

    def _challenges(self, auths: list[Auth], *, stale: bool) -> list[Challenge]:
        seen: list[str] = []
        out: list[Challenge] = []
        for auth in auths:
            realm = self.realm_of(auth)
            if realm in seen:
                continue
            seen.append(realm)
            out.append(
                Challenge(realm=realm, nonce=self.make_nonce(realm), qop=("auth",), stale=stale)
            )
        return out

    def _challenge(
        self, request: Request, auths: list[Auth], *, to_tag: str, stale: bool = False
    ) -> Response:
        headers = [("WWW-Authenticate", str(c)) for c in self._challenges(auths, stale=stale)]
        return make_response(request, 401, to_tag=to_tag, headers=headers)
