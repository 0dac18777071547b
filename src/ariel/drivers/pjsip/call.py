"""One PJSIP call: the channel technology behind a ``PJSIP/<endpoint>-<n>`` channel.

The core asks (answer, ringing, hang up); this turns the asks into INVITE
session commands, whose outputs the driver carries out. What the far end does
(BYE, CANCEL, hold) comes back through :meth:`PjsipCall.on_event`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelHold, ChannelUnhold
from ariel.core.channels.state import Cause, ChannelState
from ariel.drivers.pjsip.call_transfer import CallTransfers
from ariel.drivers.pjsip.causes import cause_to_sip
from ariel.drivers.rtp_media import (
    apply_negotiated,
    qos_variables,
    relay_media,
    rtp_statistics,
    wire_to_channel,
)
from ariel.net.rtp_stream import RtpStream
from ariel.sip.invite_events import Cancelled, Ended, ReferReceived, Reinvite, SessionState
from ariel.sip.invite_session import SessionOutput
from ariel.sip.invite_uas import UasSession
from ariel.sip.offer_answer import NegotiatedAudio, NoCommonCodec, answer_offer
from ariel.sip.sdp import SdpError, parse_sdp, serialize_sdp

if TYPE_CHECKING:
    from ariel.drivers.pjsip.refer import ReferHandler

__all__ = ["PjsipCall"]

log = logging.getLogger("ariel.pjsip")

Apply = Callable[[UasSession, list[SessionOutput]], None]


class PjsipCall(CallTransfers):
    """The technology of one inbound PJSIP channel."""

    def __init__(
        self,
        session: UasSession,
        rtp: RtpStream,
        *,
        apply: Apply,
        codecs: list[tuple[str, int, int]],
        telephone_event: bool,
        session_id: int,
        rtp_timeout: int = 0,
        rtp_timeout_hold: int = 0,
        refers: ReferHandler | None = None,
        context: str = "default",
        allow_transfer: bool = True,
    ) -> None:
        self.session = session
        self.rtp = rtp
        self._apply = apply
        self._codecs = codecs
        self._telephone_event = telephone_event
        self._session_id = session_id
        self._rtp_timeouts = (rtp_timeout, rtp_timeout_hold)
        self._version = session_id
        self.answer_sdp: bytes | None = None
        self.media: NegotiatedAudio | None = None
        self.channel: Channel | None = None
        self.answered = False
        self.on_hold = False
        self._init_transfers(refers, context, allow_transfer=allow_transfer)

    def negotiate(self, offer: bytes | None) -> None:
        """Prepare our SDP answer to the INVITE's offer (NoCommonCodec/SdpError on failure)."""
        if offer is None:
            raise NoCommonCodec("an INVITE without an offer is not supported yet")
        answer, media = answer_offer(
            parse_sdp(offer),
            local_address=self.rtp.host,
            local_port=self.rtp.port,
            supported=self._codecs,
            telephone_event=self._telephone_event,
            session_id=self._session_id,
            session_version=self._version,
        )
        self.answer_sdp = serialize_sdp(answer)
        self.media = media
        apply_negotiated(self.rtp, media)

    def attach(self, chan: Channel) -> None:
        """The channel exists: its audio plane drives the stream."""
        self.channel = chan
        wire_to_channel(
            self.rtp,
            chan,
            timeout_s=self._rtp_timeouts[0],
            hold_timeout_s=self._rtp_timeouts[1],
        )

    # -- ChannelTechnology ---------------------------------------------------
    async def answer(self, chan: Channel) -> None:
        if self.answered or self.session.state is SessionState.TERMINATED:
            return
        self._apply(self.session, self.session.answer(self.answer_sdp))
        self.answered = True
        self.rtp.start()
        chan.set_state(ChannelState.UP)

    async def indicate(self, chan: Channel, condition: str) -> None:
        if self.answered or self.session.state is SessionState.TERMINATED:
            return
        if condition == "ringing":
            self._apply(self.session, self.session.ring())
        elif condition == "progress":
            self._apply(self.session, self.session.progress(self.answer_sdp))
            self.rtp.start()
        elif condition in ("busy", "congestion"):
            status = 486 if condition == "busy" else 503
            self._apply(self.session, self.session.reject(status))
            # chan_pjsip: the refused session ends, and the channel with it.
            busy = condition == "busy"
            chan.request_hangup(cause=Cause.USER_BUSY if busy else Cause.NORMAL_CIRCUIT_CONGESTION)

    async def hangup(self, chan: Channel, cause: int) -> None:
        state = self.session.state
        try:
            if state in (SessionState.CONFIRMED, SessionState.CONNECTING):
                self._apply(self.session, self.session.bye())
            elif state is not SessionState.TERMINATED:
                self._apply(self.session, self.session.hangup(cause_to_sip(cause)))
        except Exception:
            log.exception("%s: could not end the SIP session", chan.name)
        finally:
            self.rtp.close()
            self._cancel_deferred_end()

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        stream = self.rtp
        return None if stream is None else rtp_statistics(stream, chan.id)

    def relay_media_to(self, other: object | None) -> bool:
        stream = self.rtp
        return stream is not None and relay_media(stream, other)

    def redirect_unanswered(self, chan: Channel, target: str) -> None:
        """302 Moved Temporarily to ``target``; the channel then hangs up."""
        if self.session.state is SessionState.TERMINATED:
            return
        self._apply(self.session, self.session.reject(302, headers=[("Contact", f"<{target}>")]))
        chan.request_hangup(cause=Cause.NORMAL_CLEARING)

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return qos_variables(self.rtp) if self.answered else []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        await self.rtp.send_digit(digit, duration_ms)

    # -- what the far end does --------------------------------------------------
    def on_event(self, event: object) -> None:
        """A session event for this call."""
        chan = self.channel
        if chan is None:
            return
        if isinstance(event, (Ended, Cancelled)):
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)
        elif isinstance(event, Reinvite):
            self._reinvite(chan, event)
        elif isinstance(event, ReferReceived):
            self._referred(chan, event)

    # -- CallTransfers ------------------------------------------------------------
    def _in_dialog(self) -> UasSession:
        return self.session

    def _send(self, outputs: list[SessionOutput]) -> None:
        self._apply(self.session, outputs)

    def _reinvite(self, chan: Channel, event: Reinvite) -> None:
        if event.sdp is None:
            self._apply(self.session, self.session.answer_reinvite(self.answer_sdp))
            return
        try:
            self._version += 1
            answer, media = answer_offer(
                parse_sdp(event.sdp),
                local_address=self.rtp.host,
                local_port=self.rtp.port,
                supported=self._codecs,
                telephone_event=self._telephone_event,
                session_id=self._session_id,
                session_version=self._version,
            )
        except (NoCommonCodec, SdpError):
            self._apply(self.session, self.session.reject_reinvite(488))
            return
        self.answer_sdp = serialize_sdp(answer)
        self.media = media
        apply_negotiated(self.rtp, media)
        self._apply(self.session, self.session.answer_reinvite(self.answer_sdp))
        self.rtp.on_hold = media.on_hold
        if media.on_hold and not self.on_hold:
            self.on_hold = True
            chan.publish_event(ChannelHold)
        elif not media.on_hold and self.on_hold:
            self.on_hold = False
            chan.publish_event(ChannelUnhold)
