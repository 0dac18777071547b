"""TLS contexts for a pjsip.conf ``protocol = tls`` transport.

Theory of operation: as in res_pjsip, a TLS transport has one certificate and
key (``cert_file``, ``priv_key_file``, ``password`` for an encrypted key), the
authorities it trusts (``ca_list_file``, ``ca_list_path``), a protocol version
(``method``) and optionally a cipher list (``cipher``). It uses them twice: as a
server for the connections phones open (``verify_client`` checks a client
certificate when one is sent, ``require_client_cert`` also demands one), and as
a client for the connections Ariel opens to contacts (``verify_server`` checks
the server's certificate and name; off by default, as in Asterisk).

``method``: ``tlsv1``, ``tlsv1_1``, ``tlsv1_2`` and ``tlsv1_3`` pin that one
version; ``default``, ``unspecified``, ``sslv23`` or nothing negotiate the
highest version both sides have; ``sslv2`` and ``sslv3`` no longer exist in
OpenSSL and refuse the transport.

Every problem is a :class:`TlsSetupError` that names the option; the driver
logs it with the transport's file:line and leaves that transport unstarted.
"""

from __future__ import annotations

import os
import ssl
import warnings
from dataclasses import dataclass

from ariel.config.pjsip_objects import Transport

__all__ = ["TlsContexts", "TlsSetupError", "build_tls_contexts"]

_PINNED = {
    "tlsv1": ssl.TLSVersion.TLSv1,
    "tlsv1_1": ssl.TLSVersion.TLSv1_1,
    "tlsv1_2": ssl.TLSVersion.TLSv1_2,
    "tlsv1_3": ssl.TLSVersion.TLSv1_3,
}
_NEGOTIATED = ("", "default", "unspecified", "sslv23")


class TlsSetupError(Exception):
    """A TLS transport's options cannot make a working context (the text says why)."""


@dataclass(frozen=True, slots=True)
class TlsContexts:
    """The two sides of one TLS transport.

    Attributes:
        server: For connections accepted on the transport's ``bind``.
        client: For connections the transport opens.
    """

    server: ssl.SSLContext
    client: ssl.SSLContext


def _readable(option: str, path: str) -> None:
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        raise TlsSetupError(f"{option} '{path}' is either missing or not readable")


def _check_files(transport: Transport) -> None:
    for option in ("cert_file", "priv_key_file"):
        if not getattr(transport, option):
            raise TlsSetupError(f"protocol tls needs {option}")
    _readable("cert_file", transport.cert_file)
    _readable("priv_key_file", transport.priv_key_file)
    if transport.ca_list_file:
        _readable("ca_list_file", transport.ca_list_file)
    if transport.ca_list_path and not os.path.isdir(transport.ca_list_path):
        raise TlsSetupError(f"ca_list_path '{transport.ca_list_path}' is not a directory")


def _set_method(context: ssl.SSLContext, method: str) -> None:
    if method in _NEGOTIATED:
        return
    version = _PINNED.get(method)
    if version is None:
        raise TlsSetupError(f"method '{method}' is not available (no SSL 2 or 3 in OpenSSL)")
    with warnings.catch_warnings():
        # TLS 1.0 and 1.1 are deprecated in Python, but pjsip.conf may still ask.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = version
        context.maximum_version = version


def _load(context: ssl.SSLContext, transport: Transport, *, verifying: bool) -> None:
    def password() -> str:
        # A callable, so OpenSSL never prompts on a terminal for an encrypted key.
        return transport.password

    try:
        context.load_cert_chain(transport.cert_file, transport.priv_key_file, password)
    except (ssl.SSLError, OSError) as exc:
        raise TlsSetupError(
            f"cannot use cert_file '{transport.cert_file}' with priv_key_file "
            f"'{transport.priv_key_file}': {exc}"
        ) from None
    try:
        if transport.ca_list_file or transport.ca_list_path:
            context.load_verify_locations(
                cafile=transport.ca_list_file or None, capath=transport.ca_list_path or None
            )
        elif verifying:
            context.load_default_certs(
                ssl.Purpose.SERVER_AUTH
                if context.protocol == ssl.PROTOCOL_TLS_CLIENT
                else ssl.Purpose.CLIENT_AUTH
            )
    except (ssl.SSLError, OSError) as exc:
        raise TlsSetupError(f"cannot read ca_list_file/ca_list_path: {exc}") from None
    _set_method(context, transport.method)
    if transport.cipher:
        try:
            context.set_ciphers(":".join(transport.cipher))
        except ssl.SSLError:
            raise TlsSetupError(
                f"cipher '{','.join(transport.cipher)}': OpenSSL knows none of these ciphers"
            ) from None


def build_tls_contexts(transport: Transport) -> TlsContexts:
    """The server and client contexts of a ``protocol = tls`` transport.

    Raises:
        TlsSetupError: A file is missing or unreadable, the key does not match
            the certificate or its ``password``, or ``method``/``cipher`` cannot be had.
    """
    _check_files(transport)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if transport.require_client_cert:
        server.verify_mode = ssl.CERT_REQUIRED
    elif transport.verify_client:
        server.verify_mode = ssl.CERT_OPTIONAL
    _load(server, transport, verifying=server.verify_mode != ssl.CERT_NONE)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if not transport.verify_server:
        client.check_hostname = False
        client.verify_mode = ssl.CERT_NONE
    _load(client, transport, verifying=transport.verify_server)
    return TlsContexts(server=server, client=client)
