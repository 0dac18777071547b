"""Dialogs (RFC 3261 §12): the peer-to-peer state an INVITE sets up.

Theory of operation. A :class:`Dialog` is made from the request and the
response that created it -- by the UAS from the INVITE and its own 1xx/2xx
carrying a To tag (:meth:`Dialog.uas`), by the UAC from its INVITE and a 1xx/2xx
it received (:meth:`Dialog.uac`). It holds the dialog id (Call-ID, local tag,
remote tag), the route set, the remote target and both CSeq counters, and it
builds the requests sent inside it: Request-URI and Route by the loose- or
strict-routing rules of §12.2.1.1, From/To with the tags, the next CSeq; the
ACK for a 2xx reuses the INVITE's CSeq number (§13.2.2.4).

Its state (Early, Confirmed, Terminated) changes through a small transition
table; an input the table does not list raises :class:`DialogStateError` and
changes nothing. The dialog never sends anything itself: it only makes
messages and checks incoming ones (CSeq order, §12.2.2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from ariel.sip.address import Address, parse_address
from ariel.sip.fields import Via
from ariel.sip.headers import Headers
from ariel.sip.message import Request, Response
from ariel.sip.uri import SipUri, Uri

__all__ = [
    "TARGET_REFRESH_METHODS",
    "Dialog",
    "DialogError",
    "DialogId",
    "DialogState",
    "DialogStateError",
    "OutOfOrderRequest",
    "request_dialog_id",
    "response_dialog_id",
]

TARGET_REFRESH_METHODS = frozenset({"INVITE", "UPDATE"})
"""Requests that may change the remote target (§12.2, RFC 3311)."""


class DialogState(StrEnum):
    """§12: "A dialog can also be in the "early" state ... a "confirmed" dialog"."""

    EARLY = "Early"
    CONFIRMED = "Confirmed"
    TERMINATED = "Terminated"


@dataclass(frozen=True, slots=True, kw_only=True)
class DialogId:
    """§12: "A dialog is identified at each UA with a dialog ID, which consists of
    a Call-ID value, a local tag and a remote tag." A missing tag is ``""``."""

    call_id: str
    local_tag: str
    remote_tag: str


def request_dialog_id(request: Request) -> DialogId:
    """The id, at the receiving UA, of the dialog an incoming request is in."""
    return DialogId(
        call_id=request.call_id, local_tag=request.to_tag or "", remote_tag=request.from_tag or ""
    )


def response_dialog_id(response: Response) -> DialogId:
    """The id, at the UAC, of the dialog a received response belongs to."""
    return DialogId(
        call_id=response.call_id,
        local_tag=response.from_tag or "",
        remote_tag=response.to_tag or "",
    )


class DialogError(Exception):
    """A message that cannot make or be used with a dialog."""


class DialogStateError(DialogError):
    """An input the dialog's state table does not allow (state left unchanged)."""

    def __init__(self, state: DialogState, event: str) -> None:
        super().__init__(f"dialog in state {state}: {event!r} is not allowed")
        self.state = state
        self.event = event


class OutOfOrderRequest(DialogError):
    """§12.2.2: "If the remote sequence number was not empty, but the sequence
    number of the request is lower than the remote sequence number, the request
    is out of order and MUST be rejected with a 500 (Server Internal Error)
    response." ``status`` is that 500."""

    status = 500


_TABLE: dict[tuple[DialogState, str], DialogState] = {
    (DialogState.EARLY, "provisional"): DialogState.EARLY,
    (DialogState.EARLY, "confirm"): DialogState.CONFIRMED,
    (DialogState.EARLY, "fail"): DialogState.TERMINATED,
    (DialogState.EARLY, "terminate"): DialogState.TERMINATED,
    (DialogState.EARLY, "request"): DialogState.EARLY,
    (DialogState.EARLY, "send"): DialogState.EARLY,
    (DialogState.CONFIRMED, "confirm"): DialogState.CONFIRMED,
    (DialogState.CONFIRMED, "terminate"): DialogState.TERMINATED,
    (DialogState.CONFIRMED, "request"): DialogState.CONFIRMED,
    (DialogState.CONFIRMED, "send"): DialogState.CONFIRMED,
}
"""``(state, input) -> next state``. "request": one arrived in the dialog;
"send": one is made in it; "confirm": a 2xx to the INVITE; "provisional": a 1xx
with a tag; "fail": a non-2xx final ends an early dialog (§12.3); "terminate":
BYE, or a 481/408 to a request in the dialog (§12.2.1.2)."""


def _uris(values: Iterable[str]) -> tuple[Address, ...]:
    return tuple(parse_address(value) for value in values)


def _without_tag(address: Address) -> Address:
    return replace(address, params=tuple(p for p in address.params if p[0].lower() != "tag"))


class Dialog:
    """One dialog's state, as §12.1 lists it, and the requests made in it."""

    def __init__(
        self,
        *,
        role: str,
        call_id: str,
        local_address: Address,
        remote_address: Address,
        remote_target: Uri,
        route_set: tuple[Address, ...] = (),
        local_seq: int | None = None,
        remote_seq: int | None = None,
        local_contact: Address | None = None,
        secure: bool = False,
        state: DialogState = DialogState.EARLY,
        initial_seq: int = 1,
    ) -> None:
        self.role = role
        self.call_id = call_id
        self.local_address = local_address
        self.remote_address = remote_address
        self.remote_target = remote_target
        self.route_set = route_set
        self.local_seq = local_seq
        self.remote_seq = remote_seq
        self.local_contact = local_contact
        self.secure = secure
        self.state = state
        self.initial_seq = initial_seq

    def __repr__(self) -> str:
        return f"<Dialog {self.role} {self.id} {self.state}>"

    @property
    def id(self) -> DialogId:
        """(Call-ID, local tag, remote tag)."""
        return DialogId(
            call_id=self.call_id,
            local_tag=self.local_address.tag or "",
            remote_tag=self.remote_address.tag or "",
        )

    # -- creation --------------------------------------------------------------

    @classmethod
    def uas(cls, request: Request, response: Response, *, initial_seq: int = 1) -> Dialog:
        """The dialog a UAS creates when it answers ``request`` with ``response``.

        §12.1.1: "the route set MUST be set to the list of URIs in the
        Record-Route header field from the request, taken in order and preserving
        all URI parameters." "The remote target MUST be set to the URI from the
        Contact header field of the request." "The remote sequence number MUST be
        set to the value of the sequence number in the CSeq header field of the
        request. The local sequence number MUST be empty." "The remote URI MUST be
        set to the URI in the From field, and the local URI MUST be set to the URI
        in the To field."

        Raises:
            DialogError: If the response has no To tag, is not 101-299, or the
                request has no Contact.
        """
        _check_dialog_response(response)
        contacts = request.contacts
        if not contacts:
            raise DialogError("a dialog-creating request must carry a Contact")
        response_contacts = response.contacts
        return cls(
            role="uas",
            call_id=request.call_id,
            local_address=response.to_address,
            remote_address=request.from_address,
            remote_target=contacts[0].uri,
            route_set=_uris(request.headers.get_all("Record-Route")),
            remote_seq=request.cseq.number,
            local_contact=response_contacts[0] if response_contacts else None,
            # "If the request arrived over TLS, and the Request-URI contained a
            # SIPS URI, the "secure" flag is set to TRUE."
            secure=isinstance(request.uri, SipUri) and request.uri.scheme == "sips",
            state=DialogState.CONFIRMED if response.status >= 200 else DialogState.EARLY,
            initial_seq=initial_seq,
        )

    @classmethod
    def uac(cls, request: Request, response: Response) -> Dialog:
        """The dialog a UAC creates from its ``request`` and a received ``response``.

        §12.1.2: "The route set MUST be set to the list of URIs in the
        Record-Route header field from the response, taken in reverse order and
        preserving all URI parameters." "The remote target MUST be set to the URI
        from the Contact header field of the response." "The local sequence
        number MUST be set to the value of the sequence number in the CSeq header
        field of the request. The remote sequence number MUST be empty".

        A 1xx without Contact keeps the Request-URI as remote target until a
        response brings one.

        Raises:
            DialogError: If the response has no To tag or is not 101-299.
        """
        _check_dialog_response(response)
        contacts = response.contacts
        request_contacts = request.contacts
        return cls(
            role="uac",
            call_id=request.call_id,
            local_address=request.from_address,
            remote_address=response.to_address,
            remote_target=contacts[0].uri if contacts else request.uri,
            route_set=tuple(reversed(_uris(response.headers.get_all("Record-Route")))),
            local_seq=request.cseq.number,
            local_contact=request_contacts[0] if request_contacts else None,
            secure=isinstance(request.uri, SipUri) and request.uri.scheme == "sips",
            state=DialogState.CONFIRMED if response.status >= 200 else DialogState.EARLY,
        )

    # -- state -----------------------------------------------------------------

    def _move(self, event: str) -> None:
        next_state = _TABLE.get((self.state, event))
        if next_state is None:
            raise DialogStateError(self.state, event)
        self.state = next_state

    def _check(self, event: str) -> None:
        if (self.state, event) not in _TABLE:
            raise DialogStateError(self.state, event)

    def provisional(self, response: Response) -> None:
        """A further 1xx with this dialog's tags (UAC): refresh the remote target."""
        self._check("provisional")
        self._refresh_target(response)
        self._move("provisional")

    def confirm(self, response: Response | None = None) -> None:
        """A 2xx to the INVITE confirms the dialog.

        §13.2.2.4: "If the dialog identifier in the 2xx response matches the
        dialog identifier of an existing dialog, the dialog MUST be transitioned
        to the "confirmed" state, and the route set for the dialog MUST be
        recomputed based on the 2xx response". (UAC: pass the response.)
        """
        self._check("confirm")
        if response is not None and self.role == "uac" and self.state is DialogState.EARLY:
            records = _uris(response.headers.get_all("Record-Route"))
            self.route_set = tuple(reversed(records))
            self._refresh_target(response)
        self._move("confirm")

    def fail(self) -> None:
        """A non-2xx final response to the INVITE ends an early dialog (§12.3)."""
        self._move("fail")

    def terminate(self) -> None:
        """BYE sent or received, or a 481/408 to a request inside (§12.2.1.2, §15)."""
        self._move("terminate")

    # -- inside the dialog -----------------------------------------------------

    def receive_request(self, request: Request) -> None:
        """Check and record a request that arrived inside this dialog (§12.2.2).

        "If the remote sequence number is empty, it MUST be set to the value of
        the sequence number in the CSeq header field value in the request."
        "When a UAS receives a target refresh request, it MUST replace the
        dialog's remote target URI with the URI from the Contact header field in
        that request, if present." ACK and CANCEL reuse the INVITE's number and
        are not checked.

        Raises:
            OutOfOrderRequest: For a CSeq lower than the last one (answer 500).
            DialogStateError: If the dialog has terminated.
        """
        self._check("request")
        if request.method in ("ACK", "CANCEL"):
            return
        number = request.cseq.number
        if self.remote_seq is not None and number < self.remote_seq:
            raise OutOfOrderRequest(f"CSeq {number} is lower than {self.remote_seq}")
        self.remote_seq = number
        if request.method in TARGET_REFRESH_METHODS:
            self._refresh_target(request)

    def receive_response(self, response: Response) -> None:
        """Record a response to a request this UA sent inside the dialog.

        §12.2.1.2: "When a UAC receives a 2xx response to a target refresh
        request, it MUST replace the dialog's remote target URI with the URI from
        the Contact header field in that response, if present."
        """
        if 200 <= response.status < 300 and response.cseq.method in TARGET_REFRESH_METHODS:
            self._refresh_target(response)

    def _refresh_target(self, message: Request | Response) -> None:
        contacts = message.contacts
        if contacts:
            self.remote_target = contacts[0].uri

    @property
    def next_hop(self) -> Uri:
        """The URI a request in this dialog is sent towards (first Route or target)."""
        uri, routes = self._target()
        return routes[0].uri if routes else uri

    def _target(self) -> tuple[Uri, tuple[Address, ...]]:
        """Request-URI and Route set for the next request (§12.2.1.1)."""
        if not self.route_set:
            # "If the route set is empty, the UAC MUST place the remote target URI
            # into the Request-URI. The UAC MUST NOT add a Route header field to
            # the request."
            return self.remote_target, ()
        first = self.route_set[0].uri
        if isinstance(first, SipUri) and first.lr:
            # "If the route set is not empty, and the first URI in the route set
            # contains the lr parameter ..., the UAC MUST place the remote target
            # URI into the Request-URI and MUST include a Route header field
            # containing the route set values in order, including all parameters."
            return self.remote_target, self.route_set
        # "If the route set is not empty, and its first URI does not contain the
        # lr parameter, the UAC MUST place the first URI from the route set into
        # the Request-URI, stripping any parameters that are not allowed in a
        # Request-URI. The UAC MUST add a Route header field containing the
        # remainder of the route set values in order, including all parameters.
        # The UAC MUST then place the remote target URI into the Route header
        # field as the last value."
        uri = replace(first, headers=()) if isinstance(first, SipUri) else first
        return uri, (*self.route_set[1:], Address(uri=self.remote_target))

    def create_request(
        self,
        method: str,
        *,
        via: Via,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> Request:
        """A new request inside the dialog, with the next local CSeq (§12.2.1.1).

        "Requests within a dialog MUST contain strictly monotonically increasing
        and contiguous CSeq sequence numbers (increasing-by-one) in each
        direction (excepting ACK and CANCEL of course)". Target refresh requests
        carry the dialog's local Contact.

        Args:
            method: The method (not ACK: see :meth:`create_ack`; not CANCEL, which
                copies the INVITE it cancels).
            via: The Via for the request, branch included.
            headers: Further header fields, after the dialog's own.
            body: The body (give Content-Type in ``headers``).

        Raises:
            DialogError: For ACK or CANCEL.
            DialogStateError: If the dialog has terminated.
        """
        if method in ("ACK", "CANCEL"):
            raise DialogError(f"{method} is not made with create_request")
        self._check("send")
        number = self.local_seq + 1 if self.local_seq is not None else self.initial_seq
        request = self._build(method, number, via, headers, body)
        self.local_seq = number
        return request

    def create_ack(
        self,
        cseq: int,
        *,
        via: Via,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> Request:
        """The ACK for a 2xx to the INVITE with CSeq number ``cseq`` (§13.2.2.4).

        "The header fields of the ACK are constructed in the same way as for any
        request sent within a dialog (see Section 12) with the exception of the
        CSeq and the header fields related to authentication. The sequence number
        of the CSeq header field MUST be the same as the INVITE being
        acknowledged, but the CSeq method MUST be ACK." Its ``via`` carries a new
        branch: the ACK for a 2xx is a transaction of its own.
        """
        self._check("send")
        return self._build("ACK", cseq, via, headers, body)

    def _build(
        self,
        method: str,
        number: int,
        via: Via,
        extra: Iterable[tuple[str, str]],
        body: bytes,
    ) -> Request:
        uri, routes = self._target()
        # "The URI in the To field of the request MUST be set to the remote URI
        # from the dialog state. The tag in the To header field of the request
        # MUST be set to the remote tag of the dialog ID. The From URI of the
        # request MUST be set to the local URI from the dialog state. The tag in
        # the From header field of the request MUST be set to the local tag of the
        # dialog ID. If the value of the remote or local tags is null, the tag
        # parameter MUST be omitted".
        to = self.remote_address if self.remote_address.tag else _without_tag(self.remote_address)
        fields = [
            ("Via", str(via)),
            ("Max-Forwards", "70"),
            ("From", str(self.local_address)),
            ("To", str(to)),
            ("Call-ID", self.call_id),
            ("CSeq", f"{number} {method}"),
        ]
        fields += [("Route", str(route)) for route in routes]
        if method in TARGET_REFRESH_METHODS and self.local_contact is not None:
            # §12.2.1.1: "A UAC SHOULD include a Contact header field in any target
            # refresh requests within a dialog".
            fields.append(("Contact", str(self.local_contact)))
        fields += list(extra)
        fields.append(("Content-Length", str(len(body))))
        return Request(method=method, uri=uri, headers=Headers(tuple(fields)), body=body)


def _check_dialog_response(response: Response) -> None:
    # §12.1: "Dialogs are created through the generation of non-failure responses
    # to requests with specific methods. ... 2xx and 101-199 responses with a To
    # tag".
    if not 101 <= response.status < 300:
        raise DialogError(f"a {response.status} response does not create a dialog")
    if not response.to_tag:
        raise DialogError("a dialog-creating response must carry a To tag")
