"""Which pjsip.conf endpoint a request comes from.

``endpoint_identifier_order`` (global) lists the identifiers tried in turn:
``username`` (the From user names an endpoint, or an auth's username does),
``ip`` (an ``identify`` section matches the source address), ``header`` (an
``identify`` with ``match_header``) and ``anonymous`` (an endpoint named
``anonymous``). An endpoint only accepts the identifiers its ``identify_by``
lists.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from ariel.config import Endpoint, PjsipConf

__all__ = ["identify_endpoint"]


def _ip_matches(spec: str, source_ip: str) -> bool:
    try:
        return ipaddress.ip_address(source_ip) in ipaddress.ip_network(spec.strip(), strict=False)
    except ValueError:
        return spec.strip() == source_ip


def identify_endpoint(
    conf: PjsipConf,
    *,
    from_user: str,
    source_ip: str,
    header: Callable[[str], str | None],
) -> Endpoint | None:
    """The endpoint a request belongs to, or ``None`` (the request gets 401/403)."""
    for method in conf.global_settings.endpoint_identifier_order:
        found: Endpoint | None = None
        if method == "username":
            found = conf.endpoints.get(from_user) or _by_auth_username(conf, from_user)
        elif method == "ip":
            for ident in conf.identifies.values():
                if any(_ip_matches(m, source_ip) for m in ident.match):
                    found = conf.endpoints.get(ident.endpoint)
                    break
        elif method == "header":
            for ident in conf.identifies.values():
                name, _, value = (ident.match_header or "").partition(":")
                if name and header(name.strip()) == value.strip():
                    found = conf.endpoints.get(ident.endpoint)
                    break
        elif method == "anonymous":
            found = conf.endpoints.get("anonymous")
        if found is not None and (method == "anonymous" or method in found.identify_by):
            return found
    return None


def _by_auth_username(conf: PjsipConf, user: str) -> Endpoint | None:
    for endpoint in conf.endpoints.values():
        for auth_name in endpoint.auth:
            auth = conf.auths.get(auth_name)
            if auth is not None and auth.username == user:
                return endpoint
    return None
