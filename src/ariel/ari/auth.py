"""Who is calling: Basic credentials or ``api_key=user:password``.

The reference checks the ``Authorization: Basic`` header first and falls
back to the ``api_key`` query parameter. Passwords are compared in constant
time; ``crypt`` passwords (``mkpasswd -m sha-512``) are checked with the
system crypt(3) library, as the reference does.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ariel._util.crypt import crypt_verify
from ariel.config import AriConf, AriUser

__all__ = ["Authenticator", "Credentials", "credentials_from"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Credentials:
    """A user name and password as the client sent them."""

    username: str
    password: str


def credentials_from(
    headers: Mapping[str, str], query: Sequence[tuple[str, str]]
) -> Credentials | None:
    """Extract credentials from a Basic header or an ``api_key`` parameter."""
    header = headers.get("Authorization") or headers.get("authorization")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            user, sep, password = decoded.partition(":")
            return Credentials(username=user, password=password) if sep else None
    for name, value in query:
        if name == "api_key":
            user, sep, password = value.partition(":")
            return Credentials(username=user, password=password) if sep else None
    return None


class Authenticator:
    """Checks credentials against ari.conf's users."""

    def __init__(self, conf: AriConf) -> None:
        self._users: Mapping[str, AriUser] = conf.users

    def authenticate(self, creds: Credentials | None) -> AriUser | None:
        """The user these credentials prove, or ``None``."""
        if creds is None:
            return None
        user = self._users.get(creds.username)
        if user is None:
            return None
        if user.password_format == "crypt":
            return user if crypt_verify(creds.password, user.password) else None
        expected = user.password.encode("utf-8")
        return user if hmac.compare_digest(expected, creds.password.encode("utf-8")) else None
