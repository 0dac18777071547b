"""The PJSIP driver: pjsip.conf transports and endpoints, SIP calls as channels.

Theory of operation: each UDP transport of pjsip.conf gets a socket and a
sans-IO :class:`~ariel.sip.user_agent.UserAgent`. Datagrams are parsed and fed
to it; its outputs are carried out here (messages sent, timers run) and its
session events become channel operations. A new INVITE is identified against
pjsip.conf (403 when no endpoint matches), its SDP offer answered from the
endpoint's codecs on a fresh RTP port (488 when nothing fits), and a channel
``PJSIP/<endpoint>-<n>`` starts in the dialplan at the endpoint's context and
the Request-URI's user, on its own task. A REGISTER is identified the same way,
digest-authenticated when the endpoint has ``auth`` (:mod:`.auth`) and bound by
the :mod:`.registrar`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
import string
from collections.abc import Callable, Hashable, Mapping

from ariel.config import ServerConfig
from ariel.config.pjsip_objects import Endpoint, Transport
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.endpoints import ContactInfo, ContactStatusChange, Peer, PeerStatusChange
from ariel.core.messaging import TextMessage, TextMessageReceived, UnknownDestination
from ariel.core.pbx import Pbx
from ariel.core.snapshots import CallerId
from ariel.core.system import Core
from ariel.drivers.pjsip.auth import Authenticator
from ariel.drivers.pjsip.call import PjsipCall
from ariel.drivers.pjsip.identify import identify_endpoint
from ariel.drivers.pjsip.messaging import (
    incoming_text,
    make_message,
    make_options,
    make_refer,
    split_destination,
)
from ariel.drivers.pjsip.outbound import OutboundCall
from ariel.drivers.pjsip.qualify import Qualifier, StatusChange
from ariel.drivers.pjsip.refer import ReferHandler
from ariel.drivers.pjsip.registrar import Registrar
from ariel.drivers.pjsip.tls_context import TlsContexts, TlsSetupError, build_tls_contexts
from ariel.net.media_clock import MediaClock
from ariel.net.metrics import SipCounters
from ariel.net.ports import PortAllocator, PortsExhausted
from ariel.net.rtp_stream import RtpStream, open_rtp_stream
from ariel.net.tcp import TcpConnection, TcpTransport
from ariel.net.timers import TimerDriver
from ariel.net.udp import Address, UdpEndpoint, open_udp
from ariel.sip.address import Address as SipAddress
from ariel.sip.errors import FramingError, SipParseError
from ariel.sip.framing import (
    PONG,
    KeepAlivePing,
    MalformedMessage,
    MessageReceived,
    StreamFramer,
)
from ariel.sip.invite_events import Incoming
from ariel.sip.invite_session import InviteSession, SessionConfig, SessionOutput
from ariel.sip.invite_uac import UacSession, make_invite
from ariel.sip.invite_uas import UasSession
from ariel.sip.malformed import answer_malformed, answer_malformed_datagram
from ariel.sip.message import (
    Message,
    Request,
    Response,
    is_keepalive,
    make_response,
    parse_message,
    serialize,
)
from ariel.sip.offer_answer import NoCommonCodec, make_offer
from ariel.sip.sdp import SdpError, SessionDescription, serialize_sdp
from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import (
    CancelTimer,
    Deliver,
    Destination,
    Send,
    StartTimer,
    Timeout,
    TransactionError,
    TransportFailure,
)
from ariel.sip.transaction_layer import TxAction, stamp_via
from ariel.sip.uri import SipUri, parse_uri
from ariel.sip.user_agent import Routed, UserAgent

__all__ = ["PjsipDriver"]

log = logging.getLogger("ariel.pjsip")

#: Codec names of pjsip.conf and their RTP/AVP static payload types.
CODECS = {"ulaw": ("PCMU", 8000, 0), "alaw": ("PCMA", 8000, 8), "g722": ("G722", 8000, 9)}
TOKEN = string.ascii_letters + string.digits


def _token(n: int) -> str:
    return "".join(secrets.choice(TOKEN) for _ in range(n))


class _Transport:
    """One bound transport and its user agent."""

    def __init__(self, config: Transport, ua: UserAgent) -> None:
        self.config = config
        self.ua = ua
        self.endpoint: UdpEndpoint | None = None
        self.tcp: TcpTransport | None = None
        #: The TLS contexts of a ``protocol = tls`` transport (its ``tcp`` speaks TLS).
        self.tls: TlsContexts | None = None
        self.framers: dict[TcpConnection, StreamFramer] = {}

    @property
    def name(self) -> str:
        """``UDP``, ``TCP`` or ``TLS``: what Destinations and Vias say."""
        if self.tcp is None:
            return "UDP"
        return "TLS" if self.tls is not None else "TCP"


def _forget(transport: _Transport, conn: TcpConnection) -> None:
    transport.framers.pop(conn, None)


def _destination(target: SipUri, transport: _Transport) -> Destination:
    """Where a request to ``target`` goes: its port, else 5061 for TLS and 5060 (RFC 3263 §4.2)."""
    default = 5061 if transport.name == "TLS" else 5060
    return Destination(host=target.host, port=target.port or default, transport=transport.name)


def _tls_contexts(transport: Transport) -> TlsContexts | None:
    """The contexts of a TLS transport, or None after logging why it cannot start."""
    try:
        return build_tls_contexts(transport)
    except TlsSetupError as exc:
        log.error(
            "%s:%d: transport %s not started: %s",
            transport.file,
            transport.line,
            transport.name,
            exc,
        )
        return None


class PjsipDriver:
    """Runs pjsip.conf: listens, answers, and turns calls into channels."""

    def __init__(
        self,
        core: Core,
        config: ServerConfig,
        pbx: Pbx,
        *,
        media_clock: MediaClock | None = None,
        ports: PortAllocator | None = None,
    ) -> None:
        self._core = core
        self._config = config
        self._pjsip = config.pjsip
        self._pbx = pbx
        self._ports = (
            ports if ports is not None else PortAllocator(config.rtp.rtpstart, config.rtp.rtpend)
        )
        #: Paces the outgoing audio of every call of this driver.
        self.media_clock = media_clock if media_clock is not None else MediaClock()
        self._timers = TimerDriver(self._fire)
        self._transports: list[_Transport] = []
        self._calls: dict[InviteSession, PjsipCall | OutboundCall] = {}
        #: REFERs the core carries out (PJSIP_TRANSFER_HANDLING=core).
        self._refers = ReferHandler(core, self._calls)
        #: The live inbound channels of each endpoint, in creation order.
        self._endpoint_channels: dict[str, dict[str, None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._registrar = Registrar(
            self._pjsip,
            now=core.clock.monotonic,
            on_state=self._endpoint_state,
            on_contact=self._contact_status,
        )
        self._qualifier = Qualifier(
            self._pjsip.aors.values(),
            lambda aor: [b.uri for b in self._registrar.contacts_of(aor)],
        )
        self._auth = Authenticator(
            self._pjsip, now=core.clock.monotonic, random_bytes=secrets.token_bytes
        )
        #: False while the server stops gracefully: new INVITEs get 503.
        self.accepting_calls = True
        #: Final responses sent and received (``/metrics``: SIP transactions).
        self.sip_counters = SipCounters()

    def reconfigure(self, config: ServerConfig) -> None:
        """``pjsip reload``: new endpoints, AORs, auths and identifies for new requests.

        Calls in progress keep the endpoint they started with; transports stay bound.
        """
        self._config = config
        self._pjsip = config.pjsip
        self._registrar.replace_conf(config.pjsip)
        self._auth.replace_conf(config.pjsip)
        self._qualifier = Qualifier(
            self._pjsip.aors.values(),
            lambda aor: [b.uri for b in self._registrar.contacts_of(aor)],
        )

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        """Bind every UDP, TCP and TLS transport of pjsip.conf and start the media clock.

        A TLS transport whose certificate, key or options cannot be used is
        logged as an error with its file:line and left out; the others start.
        """
        self.media_clock.start()
        if any(a.qualify_frequency > 0 for a in self._pjsip.aors.values()):
            task = asyncio.create_task(self._qualify_forever(), name="pjsip-qualify")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        for transport in self._pjsip.transports.values():
            protocol = transport.protocol.lower()
            if protocol not in ("udp", "tcp", "tls"):
                log.warning(
                    "transport %s: %s is not supported yet", transport.name, transport.protocol
                )
                continue
            tls = _tls_contexts(transport) if protocol == "tls" else None
            if protocol == "tls" and tls is None:
                continue
            host = transport.bind_host or "0.0.0.0"
            params = (("transport", protocol),) if protocol != "udp" else ()
            contact = SipAddress(uri=SipUri(host=host, port=transport.bind_port, params=params))
            session_config = SessionConfig(
                contact=contact,
                via_host=host,
                via_port=transport.bind_port,
                transport=protocol.upper(),
                random=_token,
                user_agent="Asterisk PBX 22.10.1",
            )
            timers = TimerSettings(t1=self._pjsip.system.timer_t1 / 1000)
            state = _Transport(transport, UserAgent(session_config, timers))
            if protocol in ("tcp", "tls"):
                state.tls = tls
                state.tcp = TcpTransport(
                    self._stream_receiver(state), on_closed=functools.partial(_forget, state)
                )
                await state.tcp.listen(
                    host, transport.bind_port, ssl_context=tls.server if tls else None
                )
            else:
                state.endpoint = await open_udp(host, transport.bind_port, self._receiver(state))
            self._transports.append(state)
            log.info(
                "SIP %s transport %s on %s:%d",
                protocol.upper(),
                transport.name,
                host,
                transport.bind_port,
            )

    async def stop(self) -> None:
        """Hang up every call and close the transports."""
        for call in list(self._calls.values()):
            if call.channel is not None:
                call.channel.request_hangup(cause=16)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2)
        for transport in self._transports:
            if transport.endpoint is not None:
                transport.endpoint.close()
            if transport.tcp is not None:
                transport.tcp.close()
        self.media_clock.stop()

    # -- input -----------------------------------------------------------------
    def _receiver(self, transport: _Transport) -> Callable[[bytes, Address], None]:
        def receive(data: bytes, addr: Address) -> None:
            self._datagram(transport, data, addr)

        return receive

    def _stream_receiver(self, transport: _Transport) -> Callable[[TcpConnection, bytes], None]:
        def receive(conn: TcpConnection, data: bytes) -> None:
            framer = transport.framers.get(conn)
            if framer is None:
                framer = transport.framers[conn] = StreamFramer()
            framer.feed(data)
            source = Destination(host=conn.peer[0], port=conn.peer[1], transport=transport.name)
            while True:
                try:
                    event = framer.next_event()
                except FramingError as exc:
                    log.info(
                        "closing %s connection from %s:%d: %s", transport.name, *conn.peer, exc
                    )
                    transport.framers.pop(conn, None)
                    conn.close()
                    return
                except SipParseError as exc:
                    log.debug("dropping a malformed message from %s:%d: %s", *conn.peer, exc)
                    if isinstance(exc, MalformedMessage):
                        bad = answer_malformed(exc.start, exc.headers, exc, to_tag=_token(10))
                        if bad is not None:
                            conn.send(serialize(bad))
                    continue
                if event is None:
                    break
                if isinstance(event, KeepAlivePing):
                    conn.send(PONG)
                elif isinstance(event, MessageReceived):
                    self._message(transport, event.message, source)

        return receive

    def _datagram(self, transport: _Transport, data: bytes, addr: Address) -> None:
        if is_keepalive(data):
            return
        source = Destination(host=addr[0], port=addr[1], transport="UDP")
        try:
            message = parse_message(data)
        except SipParseError as exc:
            log.debug("dropping a malformed datagram from %s:%d: %s", addr[0], addr[1], exc)
            # RFC 3261 §21.4.1: a request we cannot understand gets 400 (505 for a
            # SIP version we do not speak), when it can be routed back at all.
            bad = answer_malformed_datagram(data, exc, to_tag=_token(10))
            if bad is not None and transport.endpoint is not None:
                transport.endpoint.send(serialize(bad), addr)
            return
        self._message(transport, message, source)

    def _message(self, transport: _Transport, message: Message, source: Destination) -> None:
        addr = (source.host, source.port)
        if isinstance(message, Request):
            message = stamp_via(message, source)
        else:
            self.sip_counters.count(message, "in")
        try:
            self._apply(transport, transport.ua.on_message(message, source))
        except TransactionError as exc:
            log.debug("SIP layer refused a message from %s:%d: %s", addr[0], addr[1], exc)

    def _fire(self, owner: Hashable, name: str) -> None:
        assert isinstance(owner, tuple)
        transport: _Transport = owner[0]
        key = owner[1]
        try:
            self._apply(transport, transport.ua.on_timer(key, name))
        except TransactionError as exc:
            log.debug("timer %s: %s", name, exc)

    # -- output ----------------------------------------------------------------
    def _apply(self, transport: _Transport, routed: list[Routed]) -> None:
        for item in routed:
            output = item.output
            owner: object = item.session
            if isinstance(output, TxAction):
                owner = output.key
                action = output.action
                if isinstance(action, Send):
                    self._send(transport, action)
                elif isinstance(action, StartTimer) and owner is not None:
                    self._timers.start((transport, owner), action.name, action.seconds)
                elif isinstance(action, CancelTimer) and owner is not None:
                    self._timers.cancel((transport, owner), action.name)
                elif isinstance(action, Deliver) and item.session is None:
                    if isinstance(action.message, Response):
                        self._client_answer(output)
                    else:
                        self._out_of_dialog(transport, output)
                elif isinstance(action, Timeout | TransportFailure) and item.session is None:
                    self._client_failed(output)
            elif isinstance(output, StartTimer):
                self._timers.start((transport, owner), output.name, output.seconds)
            elif isinstance(output, CancelTimer):
                self._timers.cancel((transport, owner), output.name)
            elif isinstance(output, Incoming) and isinstance(item.session, UasSession):
                self._incoming(transport, item.session, output)
            elif item.session is not None and item.session in self._calls:
                self._calls[item.session].on_event(output)

    def _send(self, transport: _Transport, action: Send) -> None:
        # The transaction layer routes every message (responses by §18.2.2).
        destination = action.destination
        if destination is None:
            log.debug("dropping a message the SIP layer gave no destination")
            return
        data = serialize(action.message)
        self.sip_counters.count(action.message, "out")
        peer = (destination.host, destination.port)
        if transport.tcp is not None:
            conn = transport.tcp.connection_to(peer)
            if conn is not None:
                conn.send(data)
            else:
                task = asyncio.create_task(self._connect_and_send(transport, peer, data))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        elif transport.endpoint is not None:
            transport.endpoint.send(data, peer)

    async def _connect_and_send(self, transport: _Transport, peer: Address, data: bytes) -> None:
        tcp = transport.tcp
        assert tcp is not None
        context = transport.tls.client if transport.tls is not None else None
        try:
            conn = tcp.connection_to(peer) or await tcp.connect(*peer, ssl_context=context)
        except OSError as exc:
            log.warning(
                "cannot connect over %s to %s:%d: %s", transport.name, peer[0], peer[1], exc
            )
            return
        conn.send(data)

    def _session_apply(
        self, transport: _Transport
    ) -> Callable[[UasSession, list[SessionOutput]], None]:
        def apply(session: UasSession, outputs: list[SessionOutput]) -> None:
            self._apply(transport, transport.ua.track(session, outputs))

        return apply

    def _out_of_dialog(self, transport: _Transport, output: TxAction) -> None:
        action = output.action
        assert isinstance(action, Deliver) and isinstance(action.message, Request)
        request = action.message
        if output.key is None or request.method == "ACK":
            return
        if request.method == "REGISTER":
            response = self._register(request, action.source)
        elif request.method == "MESSAGE":
            response = self._message_in(request, action.source)
        else:
            status = 200 if request.method == "OPTIONS" else 405
            response = make_response(request, status, to_tag=_token(10))
        try:
            self._apply(
                transport,
                [
                    Routed(session=None, output=a)
                    for a in transport.ua.layer.respond(output.key, response)
                ],
            )
        except TransactionError as exc:
            log.debug("cannot answer %s: %s", request.method, exc)

    # -- redirect ------------------------------------------------------------------
    def redirect(self, chan: Channel, resource: str) -> bool:
        """Redirector: 302 to an unanswered caller, REFER to an answered one.

        ``resource`` is an endpoint (its first contact is the target) or a SIP URI.
        """
        target = resource
        if not resource.lower().startswith(("sip:", "sips:")):
            endpoint = self._pjsip.endpoints.get(resource)
            if endpoint is None:
                return False
            contacts = [
                b.uri
                for aor in self._pjsip.aors_of(endpoint)
                for b in self._registrar.contacts_of(aor.name)
            ]
            if not contacts:
                return False
            target = contacts[0]
        call = chan.tech
        if isinstance(call, PjsipCall) and not call.answered:
            call.redirect_unanswered(chan, target)
            return True
        session = getattr(call, "session", None)
        if isinstance(session, InviteSession) and session.allows("refer"):
            transport = self._transport_of(session)
            if transport is not None:
                self._apply(transport, transport.ua.track(session, session.refer(target)))
                return True
        return False

    def _transport_of(self, session: InviteSession) -> _Transport | None:
        for transport in self._transports:
            if session in transport.ua.sessions:
                return transport
        return None

    # -- qualify -----------------------------------------------------------------
    async def _qualify_forever(self) -> None:
        """Once a second: send due OPTIONS, and time out the unanswered ones."""
        while True:
            await asyncio.sleep(1.0)
            try:
                self._qualify_round()
            except Exception:
                log.exception("qualify round failed")

    def _qualify_round(self) -> None:
        now = self._core.clock.monotonic()
        for change in self._qualifier.expire(now):
            self._reachability(change)
        for aor, uri_text in self._qualifier.due(now):
            target = parse_uri(uri_text)
            endpoint = next((e for e in self._pjsip.endpoints.values() if aor.name in e.aors), None)
            transport = self._transport_for(endpoint) if endpoint is not None else None
            transport = transport or (self._transports[0] if self._transports else None)
            if not isinstance(target, SipUri) or transport is None:
                continue
            transport = self._transport_to(target, transport)
            request = make_options(transport.ua.config, uri=target, call_id=_token(32))
            destination = _destination(target, transport)
            key, actions = transport.ua.layer.new_client_transaction(request, destination)
            self._qualifier.sent(key, aor, uri_text, now)
            self._apply(transport, [Routed(session=None, output=a) for a in actions])

    def _client_answer(self, output: TxAction) -> None:
        """A response to a request the driver sent itself (qualify OPTIONS, MESSAGE)."""
        action = output.action
        assert isinstance(action, Deliver) and isinstance(action.message, Response)
        if action.message.status >= 200:
            change = self._qualifier.answered(output.key, self._core.clock.monotonic())
            if change is not None:
                self._reachability(change)

    def _client_failed(self, output: TxAction) -> None:
        change = self._qualifier.failed(output.key)
        if change is not None:
            self._reachability(change)

    def _reachability(self, change: StatusChange) -> None:
        """ContactStatusChange for the contact; the endpoint's state follows its contacts."""
        rtt = None if change.roundtrip_usec is None else str(change.roundtrip_usec)
        for endpoint in self._pjsip.endpoints.values():
            if change.aor not in endpoint.aors:
                continue
            snapshot = self._core.endpoints.get("PJSIP", endpoint.name)
            if snapshot is None:
                continue
            info = ContactInfo(
                uri=change.uri, contact_status=change.status, aor=change.aor, roundtrip_usec=rtt
            )
            self._core.publish(
                ContactStatusChange(
                    timestamp=self._core.clock.now(), endpoint=snapshot, contact_info=info
                )
            )
            reachable = any(
                self._qualifier.status(aor.name, b.uri) != "Unreachable"
                for aor in self._pjsip.aors_of(endpoint)
                for b in self._registrar.contacts_of(aor.name)
            )
            state = "online" if reachable else "offline"
            if snapshot.state != state:
                self._endpoint_state(endpoint.name, state)

    # -- text messages ---------------------------------------------------------
    def send_message(self, destination: str, message: TextMessage) -> None:
        """MessageSender: a MESSAGE to an endpoint's contact, or to a URI."""
        target, transport = self._out_of_dialog_target(destination)
        request = make_message(
            transport.ua.config,
            uri=target,
            sender=message.from_,
            body=message.body,
            variables=message.variables,
            call_id=_token(32),
        )
        self._send_out_of_dialog(transport, request, target)

    def send_refer(
        self, destination: str, *, sender: str, refer_to: str, variables: Mapping[str, str]
    ) -> None:
        """ReferSender: an out-of-dialog REFER to an endpoint's contact, or to a URI."""
        target, transport = self._out_of_dialog_target(destination)
        request = make_refer(
            transport.ua.config,
            uri=target,
            sender=sender,
            refer_to=refer_to,
            variables=variables,
            call_id=_token(32),
        )
        self._send_out_of_dialog(transport, request, target)

    def _send_out_of_dialog(self, transport: _Transport, request: Request, target: SipUri) -> None:
        destination = _destination(target, transport)
        _, actions = transport.ua.layer.new_client_transaction(request, destination)
        self._apply(transport, [Routed(session=None, output=a) for a in actions])

    def _out_of_dialog_target(self, destination: str) -> tuple[SipUri, _Transport]:
        endpoint_name, uri_text = split_destination(destination)
        endpoint = self._pjsip.endpoints.get(endpoint_name) if endpoint_name else None
        if endpoint_name and endpoint is None:
            raise UnknownDestination(destination)
        if not uri_text and endpoint is not None:
            contacts = [
                b.uri
                for aor in self._pjsip.aors_of(endpoint)
                for b in self._registrar.contacts_of(aor.name)
            ]
            uri_text = contacts[0] if contacts else ""
        target = parse_uri(uri_text) if uri_text else None
        transport = self._transport_for(endpoint) if endpoint is not None else None
        transport = transport or (self._transports[0] if self._transports else None)
        if not isinstance(target, SipUri) or transport is None:
            raise UnknownDestination(destination)
        return target, self._transport_to(target, transport)

    def _message_in(self, request: Request, source: Destination | None) -> Response:
        """A MESSAGE outside a dialog: 202, and TextMessageReceived (403 if unidentified)."""
        from_uri = request.from_address.uri
        from_user = from_uri.user if isinstance(from_uri, SipUri) and from_uri.user else ""
        endpoint = identify_endpoint(
            self._pjsip,
            from_user=from_user,
            source_ip=source.host if source is not None else "",
            header=request.headers.get,
        )
        if endpoint is None:
            return make_response(request, 403, to_tag=_token(10))
        snapshot = self._core.endpoints.get("PJSIP", endpoint.name)
        self._core.publish(
            TextMessageReceived(
                timestamp=self._core.clock.now(),
                message=incoming_text(request),
                endpoint=snapshot,
            )
        )
        return make_response(request, 202, to_tag=_token(10))

    def _register(self, request: Request, source: Destination | None) -> Response:
        """Identify, authenticate, then bind (RFC 3261 §10.3 steps 1-8)."""
        to_tag = _token(10)
        from_uri = request.from_address.uri
        from_user = from_uri.user if isinstance(from_uri, SipUri) and from_uri.user else ""
        source_ip = source.host if source is not None else request.top_via.received or ""
        endpoint = identify_endpoint(
            self._pjsip, from_user=from_user, source_ip=source_ip, header=request.headers.get
        )
        if endpoint is None:
            log.warning("REGISTER from %s (user %r): no matching endpoint", source_ip, from_user)
            return make_response(request, 403, to_tag=to_tag)
        refusal = self._auth.check(request, endpoint, to_tag=to_tag)
        if refusal is not None:
            return refusal
        return self._registrar.register(request, endpoint, to_tag=to_tag)

    def contact_uris(self, aor: str) -> tuple[str, ...]:
        """The live contacts of ``aor``, static then registered (``pjsip show contacts``)."""
        return tuple(b.uri for b in self._registrar.contacts_of(aor))

    def _endpoint_state(self, name: str, state: str) -> None:
        """An endpoint gained its first live contact, or lost its last one."""
        endpoints = self._core.endpoints
        if endpoints.get("PJSIP", name) is None:
            return
        endpoints.set_state(f"PJSIP/{name}", state)  # EndpointStateChange
        snapshot = endpoints.get("PJSIP", name)
        assert snapshot is not None
        status = "Reachable" if state == "online" else "Unreachable"
        self._core.publish(
            PeerStatusChange(
                timestamp=self._core.clock.now(), endpoint=snapshot, peer=Peer(peer_status=status)
            )
        )

    def _contact_status(self, aor: str, uri: str, status: str) -> None:
        """A registered contact was created or removed: ContactStatusChange per endpoint."""
        endpoints = self._core.endpoints
        for endpoint in self._pjsip.endpoints.values():
            if aor not in endpoint.aors:
                continue
            snapshot = endpoints.get("PJSIP", endpoint.name)
            if snapshot is None:
                continue
            self._core.publish(
                ContactStatusChange(
                    timestamp=self._core.clock.now(),
                    endpoint=snapshot,
                    contact_info=ContactInfo(uri=uri, contact_status=status, aor=aor),
                )
            )

    # -- outgoing calls -----------------------------------------------------------
    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """A Down channel towards endpoint ``resource`` (None: no such endpoint/contact)."""
        endpoint = self._pjsip.endpoints.get(resource)
        transport = self._transport_for(endpoint) if endpoint is not None else None
        if endpoint is None or transport is None:
            return None
        contacts = [
            b.uri
            for aor in self._pjsip.aors_of(endpoint)
            for b in self._registrar.contacts_of(aor.name)
        ]
        if not contacts:
            return None
        target = parse_uri(contacts[0])
        if not isinstance(target, SipUri):
            return None
        transport = self._transport_to(target, transport)
        core = self._core
        call_id = _token(32)
        host = endpoint.media_address or transport.config.bind_host or "127.0.0.1"
        codecs = [CODECS[c] for c in endpoint.codecs if c in CODECS] or [CODECS["ulaw"]]

        async def open_rtp() -> RtpStream:
            return await open_rtp_stream(self._ports, host, self.media_clock)

        def start(
            call: OutboundCall, chan: Channel, rtp: RtpStream
        ) -> tuple[UacSession, SessionDescription]:
            offer = make_offer(
                local_address=rtp.host,
                local_port=rtp.port,
                codecs=codecs,
                telephone_event=101 if endpoint.dtmf_mode in ("rfc4733", "auto") else None,
                session_id=secrets.randbelow(2**31),
                session_version=1,
            )
            snap = chan.snapshot()
            via_host = transport.config.bind_host or "127.0.0.1"
            sender = SipAddress(
                display_name=snap.caller.name or None,
                uri=SipUri(user=snap.caller.number or "asterisk", host=via_host),
            )
            request = make_invite(
                transport.ua.config,
                uri=target,
                from_address=sender,
                to_address=SipAddress(uri=target),
                call_id=call_id,
                body=serialize_sdp(offer),
            )
            destination = _destination(target, transport)
            session, routed = transport.ua.call(request, destination)
            self._calls[session] = call
            self._apply(transport, routed)
            return session, offer

        def apply(session: UacSession, outputs: list[SessionOutput]) -> None:
            self._apply(transport, transport.ua.track(session, outputs))

        call = OutboundCall(
            resource=resource,
            open_rtp=open_rtp,
            start=start,
            apply=apply,
            rtp_timeouts=(endpoint.rtp_timeout, endpoint.rtp_timeout_hold),
            refers=self._refers,
            context=endpoint.context,
            allow_transfer=endpoint.allow_transfer,
        )
        chan = Channel(
            id=channel_id,
            name=f"PJSIP/{endpoint.name}-{core.ids.channel_suffix()}",
            tech=call,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.DOWN,
            caller=caller,
            context=endpoint.context,
            exten="s",
            language=endpoint.language or "en",
            protocol_id=call_id,
            channelvars=tuple(self._config.ari.channelvars),
        )
        call.channel = chan
        return chan

    def forget(self, call: OutboundCall) -> None:
        """Drop the routing of a finished outgoing call."""
        if call.session is not None:
            self._calls.pop(call.session, None)

    def _transport_to(self, target: SipUri, chosen: _Transport) -> _Transport:
        """The transport a request to ``target`` needs.

        A ``sips:`` URI needs TLS, a ``transport`` parameter names its protocol;
        ``chosen`` (the endpoint's) serves when it fits or when no started
        transport does.
        """
        wanted = "TLS" if target.scheme == "sips" else (target.transport or "").upper()
        if not wanted or chosen.name == wanted:
            return chosen
        return next((t for t in self._transports if t.name == wanted), chosen)

    def _transport_for(self, endpoint: Endpoint) -> _Transport | None:
        for transport in self._transports:
            if not endpoint.transport or transport.config.name == endpoint.transport:
                return transport
        return self._transports[0] if self._transports else None

    # -- calls -----------------------------------------------------------------
    def _incoming(self, transport: _Transport, session: UasSession, event: Incoming) -> None:
        if not self.accepting_calls:
            # res_pjsip_session: new INVITEs get 503 while the system shuts down.
            self._session_apply(transport)(session, session.reject(503))
            return
        task = asyncio.create_task(self._start_call(transport, session, event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start_call(
        self, transport: _Transport, session: UasSession, event: Incoming
    ) -> None:
        apply = self._session_apply(transport)
        request = event.request
        from_uri = request.from_address.uri
        from_user = from_uri.user if isinstance(from_uri, SipUri) and from_uri.user else ""
        source_ip = session.peer.host
        endpoint = identify_endpoint(
            self._pjsip, from_user=from_user, source_ip=source_ip, header=request.headers.get
        )
        if endpoint is None:
            log.warning("INVITE from %s (user %r): no matching endpoint", source_ip, from_user)
            apply(session, session.reject(403))
            return
        if endpoint.auth:
            refusal = self._auth.check(request, endpoint, to_tag=session.local_tag)
            if refusal is not None:
                challenge = [
                    ("WWW-Authenticate", v) for v in refusal.headers.get_all("WWW-Authenticate")
                ]
                apply(session, session.reject(refusal.status, headers=challenge))
                return
        codecs = [CODECS[c] for c in endpoint.codecs if c in CODECS] or [CODECS["ulaw"]]
        host = endpoint.media_address or transport.config.bind_host or "127.0.0.1"
        try:
            rtp = await open_rtp_stream(self._ports, host, self.media_clock)
        except PortsExhausted:
            apply(session, session.reject(503))
            return
        call = PjsipCall(
            session,
            rtp,
            apply=apply,
            codecs=codecs,
            telephone_event=endpoint.dtmf_mode in ("rfc4733", "auto"),
            session_id=secrets.randbelow(2**31),
            rtp_timeout=endpoint.rtp_timeout,
            rtp_timeout_hold=endpoint.rtp_timeout_hold,
            refers=self._refers,
            context=endpoint.context,
            allow_transfer=endpoint.allow_transfer,
        )
        try:
            call.negotiate(event.sdp)
        except (NoCommonCodec, SdpError) as exc:
            log.warning("INVITE from %s: %s", endpoint.name, exc)
            rtp.close()
            apply(session, session.reject(488))
            return
        self._calls[session] = call
        try:
            await self._run_channel(endpoint, call, request)
        finally:
            self._calls.pop(session, None)

    async def _run_channel(self, endpoint: Endpoint, call: PjsipCall, request: Request) -> None:
        core = self._core
        req_uri = request.uri
        exten = req_uri.user if isinstance(req_uri, SipUri) and req_uri.user else "s"
        from_addr = request.from_address
        from_uri = from_addr.uri
        number = from_uri.user if isinstance(from_uri, SipUri) and from_uri.user else ""
        caller = CallerId(name=from_addr.display_name or "", number=number)
        if endpoint.callerid is not None:
            caller = CallerId(
                name=endpoint.callerid.name or caller.name,
                number=endpoint.callerid.number or caller.number,
            )
        chan = Channel(
            id=core.ids.unique_id(),
            name=f"PJSIP/{endpoint.name}-{core.ids.channel_suffix()}",
            tech=call,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.RING,
            caller=caller,
            context=endpoint.context,
            exten=exten,
            language=endpoint.language or "en",
            channelvars=tuple(self._config.ari.channelvars),
        )
        call.attach(chan)
        core.channels.add(chan)
        endpoint_id = f"PJSIP/{endpoint.name}"
        live = self._endpoint_channels.setdefault(endpoint_id, {})
        live[chan.id] = None
        try:
            chan.announce()
            chan.set_protocol_id(request.call_id)
            if isinstance(req_uri, SipUri):
                chan.set_variable("SIPDOMAIN", req_uri.host)
            await self._pbx.run(chan)
        finally:
            core.channels.remove(chan.id)
            live.pop(chan.id, None)
            if core.endpoints.get("PJSIP", endpoint.name) is not None:
                core.endpoints.set_channels(endpoint_id, tuple(live))
