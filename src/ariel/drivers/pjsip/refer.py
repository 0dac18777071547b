"""REFERs the core carries out (``PJSIP_TRANSFER_HANDLING`` = ``core``), after res_pjsip_refer.c.

Theory of operation. The call (:mod:`ariel.drivers.pjsip.call_transfer`) has
answered the REFER with 202 and ``NOTIFY 100`` -- or, with ``Refer-Sub:
false``, holds its answer back. The outcome then goes out as the final NOTIFY,
or as the REFER's own response:

* A Refer-To without ``Replaces`` is a *blind* transfer to the URI's user in
  the transferer's context (the ``TRANSFER_CONTEXT`` variable, else the
  endpoint's context). No such extension: ``404``. Otherwise the core's
  :meth:`BridgeTransfers.blind` runs; its result maps as the reference maps
  ``enum ast_transfer_result``: Invalid ``400``, Not Permitted ``403``, Fail
  ``500``; Success gives ``200`` once the replacement stands in the bridge
  (``503`` if it went away first).
* A Refer-To with ``Replaces`` is an *attended* transfer: the dialog it names
  is looked up among this driver's calls (``to-tag`` = our local tag). Found
  without a channel: ``603``; found: :meth:`BridgeTransfers.attended`. Not
  ours: a blind transfer to ``external_replaces`` when that extension exists,
  else ``404``.

After a success the transferer's session waits for the phone's BYE, as
``ast_sip_session_defer_termination`` does, and hangs up by itself after
:data:`DEFER_TERMINATION_S`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ariel.core.bridges.transfer import BridgeTransfers, TransferOutcome
from ariel.core.bridges.transfer_events import TransferResult
from ariel.core.channels.channel import Channel
from ariel.sip.errors import SipParseError
from ariel.sip.invite_events import ReferReceived
from ariel.sip.refer_to import ReferTarget, Replaces, parse_refer_to

if TYPE_CHECKING:
    from ariel.core.system import Core
    from ariel.drivers.pjsip.call_transfer import CallTransfers
    from ariel.sip.invite_session import InviteSession

__all__ = ["DEFER_TERMINATION_S", "ReferHandler", "sip_status"]

log = logging.getLogger("ariel.pjsip.refer")

#: How long a transferer's session waits for the phone's BYE (the reference: 60 s).
DEFER_TERMINATION_S = 60.0

_STATUS = {
    TransferResult.INVALID: 400,
    TransferResult.NOT_PERMITTED: 403,
    TransferResult.FAIL: 500,
}


def sip_status(outcome: TransferOutcome) -> int:
    """The sipfrag status of a transfer's final NOTIFY."""
    if outcome.result is TransferResult.SUCCESS:
        return 200 if outcome.completed else 503
    return _STATUS[outcome.result]


class ReferHandler:
    """Carries out the core-handled REFERs of one PJSIP driver.

    Args:
        core: The server's core (transfers, dialplan, tasks).
        calls: The driver's live calls by INVITE session (read only here).
        defer_s: How long a transferer waits for the phone's BYE.
    """

    def __init__(
        self,
        core: Core,
        calls: Mapping[InviteSession, object],
        *,
        defer_s: float = DEFER_TERMINATION_S,
    ) -> None:
        self._core = core
        self._calls = calls
        self._transfers = BridgeTransfers(core)
        self.defer_s = defer_s

    def handle(
        self,
        call: CallTransfers,
        chan: Channel,
        event: ReferReceived,
        context: str,
        *,
        subscribed: bool,
    ) -> None:
        """Start carrying out ``event`` for ``chan``; ``call`` hears the outcome."""
        self._core.spawn(self._run(call, chan, event, context, subscribed), name=f"refer-{chan.id}")

    async def _run(
        self,
        call: CallTransfers,
        chan: Channel,
        event: ReferReceived,
        endpoint_context: str,
        subscribed: bool,
    ) -> None:
        raw = event.request.headers.get("Refer-To") or event.refer_to
        context = chan.variables.get("TRANSFER_CONTEXT") or endpoint_context
        try:
            target = parse_refer_to(raw)
        except SipParseError as exc:
            log.info("%s: REFER with unusable Refer-To %r: %s", chan.name, raw, exc)
            status = 400
        else:
            try:
                if target.replaces is not None:
                    status = await self._attended(chan, target, target.replaces, context, event)
                else:
                    status = await self._blind(chan, target, target.user, context, event)
            except Exception:
                log.exception("%s: transfer failed", chan.name)
                status = 500
        call.finish_refer(event, status, subscribed=subscribed)
        if status == 200:
            call.defer_termination(chan, self.defer_s)

    async def _blind(
        self,
        chan: Channel,
        target: ReferTarget,
        exten: str,
        context: str,
        event: ReferReceived,
        replaces: Replaces | None = None,
    ) -> int:
        if not exten or not self._core.dialplan().exists(context, exten):
            log.warning(
                "%s attempted blind transfer to '%s@%s' but target does not exist",
                chan.name,
                exten,
                context,
            )
            return 404
        referred_by = event.request.headers.get("Referred-By")
        refer_to = str(replace(target.uri, headers=()))

        def prepare(local: Channel) -> None:
            local.set_variable("SIPTRANSFER", "yes")
            local.set_variable("SIPREFERRINGCONTEXT", context)
            if referred_by:
                local.set_variable("__SIPREFERREDBYHDR", referred_by)
            if replaces is not None:
                local.set_variable("__SIPREPLACESHDR", str(replaces))
            local.set_variable("SIPREFERTOHDR", refer_to)

        outcome = await self._transfers.blind(chan, exten, context, prepare=prepare)
        return sip_status(outcome)

    async def _attended(
        self,
        chan: Channel,
        target: ReferTarget,
        replaces: Replaces,
        context: str,
        event: ReferReceived,
    ) -> int:
        found, other = self._find(replaces)
        if not found:
            if self._core.dialplan().exists(context, "external_replaces"):
                return await self._blind(
                    chan, target, "external_replaces", context, event, replaces
                )
            log.warning("%s: REFER for a dialog that is not ours, no external_replaces", chan.name)
            return 404
        if other is None:
            return 603
        outcome = await self._transfers.attended(chan, other)
        return sip_status(outcome)

    def _find(self, replaces: Replaces) -> tuple[bool, Channel | None]:
        """The call whose dialog ``replaces`` names (RFC 3891 §3), and its channel."""
        for session, call in list(self._calls.items()):
            dialog = session.dialog
            if dialog is None:
                continue
            ident = dialog.id
            if (ident.call_id, ident.local_tag, ident.remote_tag) == (
                replaces.call_id,
                replaces.to_tag,
                replaces.from_tag,
            ):
                chan = getattr(call, "channel", None)
                return True, chan if isinstance(chan, Channel) and not chan.destroyed else None
        return False, None
