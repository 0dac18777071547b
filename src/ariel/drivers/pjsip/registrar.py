"""The PJSIP registrar: contact bindings per AoR (RFC 3261 §10.3).

Theory of operation: a REGISTER from an identified (and, where it has ``auth``,
authenticated) endpoint names an AoR by its To user. The AoR must be one of
the endpoint's ``aors`` (404 otherwise; 403 when the endpoint has none, or
when the AoR allows no contacts: ``max_contacts = 0`` as in Asterisk). Each
Contact gets its expiry from its ``expires`` parameter, else the Expires
header, else ``default_expiration``; anything above ``maximum_expiration`` is
lowered to it, anything non-zero below ``minimum_expiration`` fails the whole
request with 423 and Min-Expires. ``Contact: *`` with ``Expires: 0`` removes
every binding. When a request would leave more than ``max_contacts`` bindings,
``remove_existing = yes`` drops the oldest ones not named in the request, else
it is refused with 403. The 200 OK lists every live binding with its
remaining seconds.

Pure: the clock is injected, nothing expires by itself. Expired bindings are
dropped whenever the registrar is consulted (``contacts_of``, ``register``) or
swept with :meth:`Registrar.expire`; an endpoint going from no live contact to
some, or back, is reported through ``on_state``; each binding created or
removed through ``on_contact``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ariel.config import Endpoint, PjsipConf
from ariel.config.pjsip_objects import Aor
from ariel.sip.address import Address
from ariel.sip.errors import SipParseError
from ariel.sip.message import Request, Response, make_response
from ariel.sip.uri import SipUri, Uri, parse_uri, uri_equal

__all__ = ["Binding", "Registrar"]

log = logging.getLogger("ariel.pjsip.registrar")


@dataclass(frozen=True, slots=True, kw_only=True)
class Binding:
    """One contact of an AoR: static (``expires_at is None``) or registered."""

    uri: str
    expires_at: float | None = None
    call_id: str = ""
    cseq: int = 0
    registered_at: float = 0.0

    def remaining(self, now: float) -> int:
        """Whole seconds left (0 for a static contact)."""
        if self.expires_at is None:
            return 0
        return max(0, int(self.expires_at - now + 0.5))


def _parse(uri: str) -> Uri | None:
    try:
        return parse_uri(uri)
    except SipParseError:
        return None


def _same(a: str, b: str) -> bool:
    left, right = _parse(a), _parse(b)
    if left is None or right is None:
        return a == b
    return uri_equal(left, right)


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else -1


class Registrar:
    """Registered contacts of every AoR of pjsip.conf."""

    def __init__(
        self,
        conf: PjsipConf,
        *,
        now: Callable[[], float],
        on_state: Callable[[str, str], None] = lambda _endpoint, _state: None,
        on_contact: Callable[[str, str, str], None] = lambda _aor, _uri, _status: None,
    ) -> None:
        self._conf = conf
        self._now = now
        self._on_state = on_state
        self._on_contact = on_contact
        self._bindings: dict[str, list[Binding]] = {}
        self._online: set[str] = {
            e.name for e in conf.endpoints.values() if any(a.contacts for a in conf.aors_of(e))
        }

    def replace_conf(self, conf: PjsipConf) -> None:
        """Use reloaded pjsip.conf objects from now on."""
        self._conf = conf

    # -- queries ---------------------------------------------------------------
    def contacts_of(self, aor: str) -> tuple[Binding, ...]:
        """The live contacts of ``aor``: static ones first, then registered ones."""
        self.expire()
        config = self._conf.aors.get(aor)
        static = tuple(Binding(uri=c) for c in config.contacts) if config is not None else ()
        return static + tuple(self._bindings.get(aor, ()))

    def expire(self) -> None:
        """Drop the bindings whose time is up and report endpoints going offline."""
        now = self._now()
        changed = False
        for aor, bindings in list(self._bindings.items()):
            live = [b for b in bindings if b.expires_at is None or b.expires_at > now]
            if len(live) != len(bindings):
                changed = True
                for gone in bindings:
                    if gone not in live:
                        self._on_contact(aor, gone.uri, "Removed")
                if live:
                    self._bindings[aor] = live
                else:
                    del self._bindings[aor]
        if changed:
            self._refresh()

    # -- REGISTER --------------------------------------------------------------
    def register(self, request: Request, endpoint: Endpoint, *, to_tag: str) -> Response:
        """Handle a REGISTER from ``endpoint`` and build the response."""
        self.expire()
        to_uri = request.to_address.uri
        user = to_uri.user if isinstance(to_uri, SipUri) and to_uri.user else ""
        if not endpoint.aors:
            return make_response(request, 403, to_tag=to_tag)
        if user not in endpoint.aors or user not in self._conf.aors:
            log.info("REGISTER from %s for unknown AoR %r", endpoint.name, user)
            return make_response(request, 404, to_tag=to_tag)
        aor = self._conf.aors[user]
        if aor.max_contacts <= 0:
            return make_response(request, 403, to_tag=to_tag)
        try:
            return self._register(request, aor, to_tag)
        except SipParseError as exc:
            log.debug("bad REGISTER from %s: %s", endpoint.name, exc)
            return make_response(request, 400, to_tag=to_tag)

    def _register(self, request: Request, aor: Aor, to_tag: str) -> Response:
        now = self._now()
        header_expires = _int(request.headers.get("Expires"))
        if header_expires is not None and header_expires < 0:
            return make_response(request, 400, to_tag=to_tag)
        raw_contacts = request.headers.get_all("Contact")
        current = list(self._bindings.get(aor.name, ()))
        if "*" in (value.strip() for value in raw_contacts):
            # §10.3 step 6: "*" is only allowed with Expires 0 and as the only Contact.
            if len(raw_contacts) != 1 or header_expires != 0:
                return make_response(request, 400, to_tag=to_tag)
            self._store(aor.name, [])
            return self._ok(request, aor, to_tag)
        wanted: list[tuple[Address, int]] = []
        for contact in request.contacts:
            expires = _int(contact.param("expires"))
            if expires is None or expires < 0:
                expires = header_expires if header_expires is not None else aor.default_expiration
            if expires != 0 and expires < aor.minimum_expiration:
                # §10.3 step 7: "the registrar MAY ... reject the registration with a
                # response of 423 (Interval Too Brief)".
                return make_response(
                    request,
                    423,
                    to_tag=to_tag,
                    headers=[("Min-Expires", str(aor.minimum_expiration))],
                )
            if aor.maximum_expiration > 0:
                expires = min(expires, aor.maximum_expiration)
            wanted.append((contact, expires))
        cseq = request.cseq.number
        updated = list(current)
        touched: list[str] = []
        for contact, expires in wanted:
            uri = str(contact.uri)
            updated = [b for b in updated if not _same(b.uri, uri)]
            touched.append(uri)
            if expires > 0:
                updated.append(
                    Binding(
                        uri=uri,
                        expires_at=now + expires,
                        call_id=request.call_id,
                        cseq=cseq,
                        registered_at=now,
                    )
                )
        if len(updated) > aor.max_contacts:
            if not aor.remove_existing:
                log.info("AoR %s: max_contacts %d reached", aor.name, aor.max_contacts)
                return make_response(request, 403, to_tag=to_tag)
            updated = self._trim(updated, touched, aor.max_contacts)
            if len(updated) > aor.max_contacts:
                return make_response(request, 403, to_tag=to_tag)
        self._store(aor.name, updated)
        return self._ok(request, aor, to_tag)

    @staticmethod
    def _trim(bindings: list[Binding], touched: Iterable[str], limit: int) -> list[Binding]:
        """Drop the oldest bindings the request did not name until ``limit`` fits."""
        names = list(touched)
        removable = sorted(
            (b for b in bindings if not any(_same(b.uri, t) for t in names)),
            key=lambda b: b.registered_at,
        )
        excess = len(bindings) - limit
        doomed = {id(b) for b in removable[:excess]}
        return [b for b in bindings if id(b) not in doomed]

    def _ok(self, request: Request, aor: Aor, to_tag: str) -> Response:
        now = self._now()
        headers = [
            ("Contact", f"<{b.uri}>;expires={b.remaining(now)}")
            for b in self._bindings.get(aor.name, ())
        ]
        return make_response(request, 200, to_tag=to_tag, headers=headers)

    def _store(self, aor: str, bindings: list[Binding]) -> None:
        before = {b.uri for b in self._bindings.get(aor, ())}
        after = {b.uri for b in bindings}
        for uri in sorted(after - before):
            self._on_contact(aor, uri, "Created")
        for uri in sorted(before - after):
            self._on_contact(aor, uri, "Removed")
        if bindings:
            self._bindings[aor] = bindings
        else:
            self._bindings.pop(aor, None)
        self._refresh()

    def _refresh(self) -> None:
        for endpoint in self._conf.endpoints.values():
            live = any(
                aor.contacts or self._bindings.get(aor.name) for aor in self._conf.aors_of(endpoint)
            )
            if live and endpoint.name not in self._online:
                self._online.add(endpoint.name)
                self._on_state(endpoint.name, "online")
            elif not live and endpoint.name in self._online:
                self._online.discard(endpoint.name)
                self._on_state(endpoint.name, "offline")
