"""One outgoing PJSIP call: the technology of an originated or created channel.

``dial`` sends the INVITE with our SDP offer and reports progress as ``Dial``
events (``""``, then ``RINGING``, ``ANSWER`` or the failure), moving the
channel to Ringing and Up as the reference does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import Dial
from ariel.core.channels.state import Cause, ChannelState
from ariel.drivers.pjsip.call_transfer import CallTransfers
from ariel.drivers.pjsip.causes import sip_to_cause
from ariel.drivers.rtp_media import (
    apply_negotiated,
    qos_variables,
    relay_media,
    rtp_statistics,
    wire_to_channel,
)
from ariel.net.rtp_stream import RtpStream
from ariel.sip.invite_events import (
    Answered,
    Ended,
    Failed,
    Provisional,
    ReferReceived,
    SessionState,
)
from ariel.sip.invite_session import SessionOutput
from ariel.sip.invite_uac import UacSession
from ariel.sip.offer_answer import NoCommonCodec, negotiate_answer
from ariel.sip.sdp import SdpError, SessionDescription, parse_sdp

if TYPE_CHECKING:
    from ariel.drivers.pjsip.refer import ReferHandler

__all__ = ["OutboundCall", "dialstatus_for"]

log = logging.getLogger("ariel.pjsip")


def dialstatus_for(status: int) -> str:
    """The ``DIALSTATUS`` a final failure ``status`` gives."""
    if status in (486, 600):
        return "BUSY"
    if status == 487:
        return "CANCEL"
    if status in (408, 480):
        return "NOANSWER"
    if status in (404, 410, 484, 604):
        return "CHANUNAVAIL"
    return "CONGESTION"


Start = Callable[["OutboundCall", Channel, RtpStream], tuple[UacSession, SessionDescription]]
Apply = Callable[[UacSession, list[SessionOutput]], None]
OpenRtp = Callable[[], Awaitable[RtpStream]]


class OutboundCall(CallTransfers):
    """The technology of one outgoing PJSIP channel."""

    def __init__(
        self,
        *,
        resource: str,
        open_rtp: OpenRtp,
        start: Start,
        apply: Apply,
        rtp_timeouts: tuple[int, int] = (0, 0),
        refers: ReferHandler | None = None,
        context: str = "default",
        allow_transfer: bool = True,
    ) -> None:
        self.resource = resource
        self._rtp_timeouts = rtp_timeouts
        self._open_rtp = open_rtp
        self.rtp: RtpStream | None = None
        self._start = start
        self._apply = apply
        self.session: UacSession | None = None
        self.offer: SessionDescription | None = None
        self.channel: Channel | None = None
        self.answered = False
        self._outcome: asyncio.Future[bool] | None = None
        self._later_dialstring = ""
        self._caller: Channel | None = None
        #: The last dial status reported (BUSY, NOANSWER ...), for the Dial application.
        self.dialstatus = ""
        self._init_transfers(refers, context, allow_transfer=allow_transfer)

    # -- Dialable ------------------------------------------------------------
    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        self.channel = chan
        self._caller = caller
        self._outcome = asyncio.get_running_loop().create_future()
        self._later_dialstring = dialstring
        self.rtp = await self._open_rtp()
        wire_to_channel(
            self.rtp, chan, timeout_s=self._rtp_timeouts[0], hold_timeout_s=self._rtp_timeouts[1]
        )
        self.session, self.offer = self._start(self, chan, self.rtp)
        chan.publish(
            Dial(
                timestamp=chan.now(),
                peer=chan.snapshot(),
                caller=caller.snapshot() if caller is not None else None,
                dialstatus="",
                dialstring=self.resource,
            )
        )
        try:
            return await asyncio.wait_for(asyncio.shield(self._outcome), timeout)
        except TimeoutError:
            self._publish_dial(chan, "NOANSWER")
            chan.hangup_cause = Cause.NO_ANSWER
            return False

    def _publish_dial(self, chan: Channel, status: str) -> None:
        self.dialstatus = status
        chan.publish_dial(status, dialstring=self._later_dialstring, caller=self._caller)

    def on_event(self, event: object) -> None:
        """A session event of this call."""
        chan = self.channel
        if chan is None:
            return
        if isinstance(event, Provisional):
            if event.status in (180, 183) and chan.state != ChannelState.UP:
                if event.status == 180:
                    chan.set_state(ChannelState.RINGING)
                self._publish_dial(chan, "RINGING" if event.status == 180 else "PROGRESS")
        elif isinstance(event, Answered):
            self._answered(chan, event.sdp)
        elif isinstance(event, Failed):
            chan.hangup_cause = sip_to_cause(event.status)
            self._publish_dial(chan, dialstatus_for(event.status))
            self._settle(False)
        elif isinstance(event, Ended):
            chan.request_hangup(cause=Cause.NORMAL_CLEARING)
        elif isinstance(event, ReferReceived):
            self._referred(chan, event)

    def _answered(self, chan: Channel, sdp: bytes | None) -> None:
        if sdp is not None and self.offer is not None and self.rtp is not None:
            try:
                media = negotiate_answer(self.offer, parse_sdp(sdp))
                apply_negotiated(self.rtp, media)
            except (SdpError, NoCommonCodec) as exc:
                log.warning("%s: unusable SDP answer: %s", chan.name, exc)
        self.answered = True
        if self.rtp is not None:
            self.rtp.start()
        chan.set_state(ChannelState.UP)
        self._publish_dial(chan, "ANSWER")
        self._settle(True)

    def _settle(self, answered: bool) -> None:
        if self._outcome is not None and not self._outcome.done():
            self._outcome.set_result(answered)

    # -- ChannelTechnology ------------------------------------------------------
    async def answer(self, chan: Channel) -> None:
        """Outgoing channels are answered by the far end; nothing to do."""

    async def indicate(self, chan: Channel, condition: str) -> None:
        """Indications towards the callee are not sent on an outgoing leg."""

    async def hangup(self, chan: Channel, cause: int) -> None:
        session = self.session
        try:
            if session is not None:
                if session.state is SessionState.CONFIRMED:
                    self._apply(session, session.bye())
                elif session.state not in (SessionState.TERMINATED, SessionState.NULL):
                    self._apply(session, session.hangup())
        except Exception:
            log.exception("%s: could not end the SIP session", chan.name)
        finally:
            self._settle(False)
            self._cancel_deferred_end()
            if self.rtp is not None:
                self.rtp.close()

    # -- CallTransfers ------------------------------------------------------------
    def _in_dialog(self) -> UacSession | None:
        return self.session

    def _send(self, outputs: list[SessionOutput]) -> None:
        if self.session is not None:
            self._apply(self.session, outputs)

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        stream = self.rtp
        return None if stream is None else rtp_statistics(stream, chan.id)

    def relay_media_to(self, other: object | None) -> bool:
        stream = self.rtp
        return stream is not None and relay_media(stream, other)

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return qos_variables(self.rtp) if self.answered and self.rtp is not None else []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        if self.rtp is not None:
            await self.rtp.send_digit(digit, duration_ms)
