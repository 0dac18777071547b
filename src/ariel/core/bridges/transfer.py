"""Transfers the core carries out: blind (to ``exten@context``) and attended (two calls).

Theory of operation, after main/bridge.c (``ast_bridge_transfer_blind`` /
``ast_bridge_transfer_attended``) and res/stasis/stasis_bridge.c:

* **Blind.** The transferer must be in a bridge with someone else, otherwise
  the result is ``Invalid``. Stasis bridges only transfer the whole bridge
  (``TRANSFER_BRIDGE_ONLY``): a Local pair ``Local/<exten>@<context>`` is made;
  ``;2`` runs the dialplan at ``exten@context`` and ``;1`` takes the
  transferer's place in the bridge. Because the bridge is a Stasis bridge,
  ``;1`` first enters the transferer's application (``StasisStart`` with
  ``replace_channel`` = the transferer, no args) and then, as its first
  command, swaps in: ``;1`` enters the bridge, the transferer leaves it (and
  stays in its application until it hangs up). ``BridgeBlindTransfer``
  reports it, before the replacement's StasisStart.
* **Attended.** The two calls of the transferring party are each in a Stasis
  bridge; Stasis bridges refuse to merge, so the reference *links* them: one
  Local pair ``Local/_attended@transfer`` whose ``;1`` replaces the first leg
  in the first bridge and whose ``;2`` replaces the second leg in the second
  bridge, each entering the application of the leg it replaces.
  ``BridgeAttendedTransfer`` has ``destination_type: link`` and names the
  halves in ``destination_link_first_leg``/``_second_leg``; as in
  stasis_bridges.c it carries no ``replace_channel`` (only a transfer to an
  application through a Local channel does).

* **Basic bridges** (the two-party bridge ``Dial`` makes). A blind transfer
  sends the transferee on to ``exten@context``: it leaves the bridge and runs
  the dialplan there (``ast_async_goto``), the transferer is taken out of the
  bridge; ``BridgeBlindTransfer`` names the transferee and no replacement.
  An attended transfer between two basic bridges follows
  ``ast_bridges_allow_optimization``: when the transferee's bridge holds two
  channels the transferee is *swapped* into the target's bridge in place of
  the second leg (when only the target's bridge holds two, the other way
  round); otherwise the smaller bridge is *merged* into the larger
  (``BridgeMerged``), the transferer's two legs left behind. Either way
  ``BridgeAttendedTransfer`` has ``destination_type: bridge`` naming the
  bridge that remains. The transferer's legs leave their bridges; the second
  leg is hung up (its dialplan ends), the first waits for its phone's BYE.

The Local technology is reached through ``core.technologies["Local"]`` and the
small :class:`LocalLink` protocol, so this module knows no driver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ariel.core.bridges.bridge import Bridge
from ariel.core.bridges.events import BridgeMerged
from ariel.core.bridges.transfer_events import (
    BridgeAttendedTransfer,
    BridgeBlindTransfer,
    DestinationType,
    TransferResult,
)
from ariel.core.channels.channel import Channel, ChannelGone
from ariel.core.pbx.stasis_app import make_stasis_app
from ariel.core.snapshots import CallerId, ChannelSnapshot

if TYPE_CHECKING:
    from ariel.core.system import Core

__all__ = ["BridgeTransfers", "LocalLink", "TransferOutcome"]

log = logging.getLogger("ariel.transfer")

#: The Local destination of an attended transfer's link (``_attended@transfer/m``).
ATTENDED_LINK = "_attended@transfer/m"
#: How long the ``;2`` of a blind transfer may take to answer (the reference has no limit).
ANSWER_LIMIT_S = 24 * 3600.0


@runtime_checkable
class LocalLink(Protocol):
    """A ``;1`` half that can make its ``;2`` without the dialplan (``ast_local_setup_bridge``)."""

    def link(self, chan: Channel) -> Channel | None:
        """Create the other half now, answered, for the caller to place; None if impossible."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferOutcome:
    """What a transfer came to.

    Attributes:
        result: The result the event reported.
        completed: The replacement took the transferer's place in the bridge
            (a technology reports the final success only then).
    """

    result: TransferResult
    completed: bool = False


Prepare = Callable[[Channel], None]


class BridgeTransfers:
    """Carries out transfers on the bridges of one server."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # -- blind -------------------------------------------------------------------
    async def blind(
        self,
        transferer: Channel,
        exten: str,
        context: str,
        *,
        is_external: bool = True,
        prepare: Prepare | None = None,
    ) -> TransferOutcome:
        """Transfer the bridge ``transferer`` is in to ``exten@context``.

        ``prepare`` sees the replacement ``;1`` before it is placed (the SIP
        driver sets ``SIPTRANSFER`` and friends there).
        """
        snap = transferer.snapshot()
        bridge = transferer.bridge
        if not isinstance(bridge, Bridge) or bridge.destroyed:
            return self._blind_done(snap, exten, context, is_external, TransferResult.INVALID)
        before = bridge.snapshot()
        others = [cid for cid in before.channels if cid != transferer.id]
        if not others:
            return self._blind_done(
                snap, exten, context, is_external, TransferResult.INVALID, bridge=before
            )
        app = transferer.stasis_app
        if before.bridge_class == "basic" and len(others) == 1:
            return self._blind_two_party(
                transferer, bridge, others[0], exten, context, is_external, prepare
            )
        if before.bridge_class != "stasis" or app is None:
            log.warning("%s: blind transfer out of a non-Stasis bridge is not supported", snap.name)
            return self._blind_done(
                snap, exten, context, is_external, TransferResult.FAIL, bridge=before
            )
        self._set_blind_variables(transferer, others)
        local = self._new_local(f"{exten}@{context}")
        if local is None:
            return self._blind_done(
                snap, exten, context, is_external, TransferResult.FAIL, bridge=before
            )
        if prepare is not None:
            prepare(local)
        self._core.spawn(self._dial(local, f"{exten}@{context}"), name=f"xfer-dial-{local.id}")
        joined = self._replace(local, transferer, bridge, app)
        self._publish_blind(
            snap,
            exten,
            context,
            is_external,
            TransferResult.SUCCESS,
            bridge=before,
            transferee=self._snapshot(others[0]) if len(others) == 1 else None,
            replace_channel=local.snapshot(),
        )
        return TransferOutcome(result=TransferResult.SUCCESS, completed=await joined)

    def _blind_two_party(
        self,
        transferer: Channel,
        bridge: Bridge,
        transferee_id: str,
        exten: str,
        context: str,
        is_external: bool,
        prepare: Prepare | None,
    ) -> TransferOutcome:
        """The transferee goes to ``exten@context``; the transferer leaves the bridge.

        Both leave in one step, so whoever keeps the bridge sees it empty.
        """
        snap, before = transferer.snapshot(), bridge.snapshot()
        transferee = self._core.channels.get(transferee_id)
        pbx = self._core.pbx
        if not isinstance(transferee, Channel) or transferee.destroyed or pbx is None:
            return self._blind_done(
                snap, exten, context, is_external, TransferResult.FAIL, bridge=before
            )
        self._set_blind_variables(transferer, [transferee_id])
        if prepare is not None:
            prepare(transferee)
        # A Dial caller goes on in its own dialplan run; a dialled leg gets one.
        own_pbx = _runs_dial(transferee)
        transferee.set_dialplan(context=context, exten=exten, priority=1)
        bridge.remove_channel(transferee)
        bridge.remove_channel(transferer)
        if not own_pbx:
            self._core.spawn(self._goto(transferee), name=f"xfer-goto-{transferee.id}")
        self._release(transferer)
        self._publish_blind(
            snap,
            exten,
            context,
            is_external,
            TransferResult.SUCCESS,
            bridge=before,
            transferee=transferee.snapshot(),
        )
        return TransferOutcome(result=TransferResult.SUCCESS, completed=True)

    def _release(self, chan: Channel) -> None:
        """A dialled leg a transfer took out of its bridge: ended once it hangs up.

        A Dial caller needs nothing: its Dial waits for the hangup.
        """
        if _runs_dial(chan):
            return
        core = self._core

        async def end() -> None:
            await chan.hungup.wait()
            await chan.destroy()
            core.channels.remove(chan.id)

        core.spawn(end(), name=f"xfer-release-{chan.id}")

    async def _goto(self, chan: Channel) -> None:
        """Run ``chan`` (a channel with no dialplan of its own) from where it stands."""
        core = self._core
        try:
            if core.pbx is not None:
                await core.pbx.run(chan)
        finally:
            await chan.destroy()
            core.apps.forget_object("channel", chan.id)
            core.channels.remove(chan.id)

    def _blind_done(
        self,
        snap: ChannelSnapshot,
        exten: str,
        context: str,
        is_external: bool,
        result: TransferResult,
        *,
        bridge: Any = None,
    ) -> TransferOutcome:
        """A blind transfer that did not happen: its event, and the outcome."""
        self._publish_blind(snap, exten, context, is_external, result, bridge=bridge)
        return TransferOutcome(result=result)

    def _publish_blind(
        self,
        snap: ChannelSnapshot,
        exten: str,
        context: str,
        is_external: bool,
        result: TransferResult,
        *,
        bridge: Any = None,
        transferee: ChannelSnapshot | None = None,
        replace_channel: ChannelSnapshot | None = None,
    ) -> None:
        self._core.publish(
            BridgeBlindTransfer(
                timestamp=self._core.clock.now(),
                channel=snap,
                exten=exten,
                context=context,
                result=result,
                is_external=is_external,
                transferee=transferee,
                replace_channel=replace_channel,
                bridge=bridge,
            )
        )

    def _set_blind_variables(self, transferer: Channel, others: list[str]) -> None:
        """``BLINDTRANSFER``: the transferer's peers on it, its name on the others."""
        transferer.set_variable("BLINDTRANSFER", transferer.variables.get("BRIDGEPEER", ""))
        for cid in others:
            other = self._core.channels.get(cid)
            if isinstance(other, Channel) and not other.destroyed:
                other.set_variable("BLINDTRANSFER", transferer.name)

    # -- attended ----------------------------------------------------------------
    async def attended(
        self, first: Channel, second: Channel, *, is_external: bool = True
    ) -> TransferOutcome:
        """Join the far ends of ``first`` and ``second`` (two calls of one party)."""
        b1 = first.bridge if isinstance(first.bridge, Bridge) else None
        b2 = second.bridge if isinstance(second.bridge, Bridge) else None
        base: dict[str, Any] = {
            "transferer_first_leg": first.snapshot(),
            "transferer_second_leg": second.snapshot(),
            "transferer_first_leg_bridge": b1.snapshot() if b1 is not None else None,
            "transferer_second_leg_bridge": b2.snapshot() if b2 is not None else None,
            "transferee": self._peer(b1, first),
            "transfer_target": self._peer(b2, second),
            "is_external": is_external,
        }
        if b1 is None and b2 is None:
            return self._attended_failed(base, TransferResult.INVALID)
        if b1 is None or b2 is None or b1 is b2:
            log.warning("%s: this attended transfer shape is not supported yet", first.name)
            return self._attended_failed(base, TransferResult.FAIL)
        app1, app2 = first.stasis_app, second.stasis_app
        classes = (b1.snapshot().bridge_class, b2.snapshot().bridge_class)
        if classes == ("basic", "basic"):
            return self._attended_basic(first, second, b1, b2, base)
        if classes != ("stasis", "stasis"):
            log.warning("%s: attended transfer between non-Stasis bridges", first.name)
            return self._attended_failed(base, TransferResult.FAIL)
        if app1 is None or app2 is None:
            return self._attended_failed(base, TransferResult.FAIL)
        one = self._new_local(ATTENDED_LINK)
        linker = one.tech if one is not None else None
        two = linker.link(one) if one is not None and isinstance(linker, LocalLink) else None
        if one is None or two is None:
            return self._attended_failed(base, TransferResult.FAIL)
        self._replace(two, second, b2, app2)
        self._replace(one, first, b1, app1)
        self._core.publish(
            BridgeAttendedTransfer(
                timestamp=self._core.clock.now(),
                result=TransferResult.SUCCESS,
                destination_type=DestinationType.LINK,
                destination_link_first_leg=one.snapshot(),
                destination_link_second_leg=two.snapshot(),
                **base,
            )
        )
        return TransferOutcome(result=TransferResult.SUCCESS, completed=True)

    def _attended_basic(
        self, first: Channel, second: Channel, b1: Bridge, b2: Bridge, base: dict[str, Any]
    ) -> TransferOutcome:
        """Swap or merge two basic bridges (``two_bridge_attended_transfer``)."""
        n1, n2 = len(b1.members()), len(b2.members())
        if n1 < 2 or n2 < 2:
            return self._attended_failed(base, TransferResult.INVALID)
        if n1 == 2:
            final = self._swap(b2, second, b1, first)
        elif n2 == 2:
            final = self._swap(b1, first, b2, second)
        else:
            final = self._merge(b1, b2, (first, second))
        if final is None:
            return self._attended_failed(base, TransferResult.INVALID)
        # The second leg's dialplan ends; the first waits for its phone (deferred termination).
        second.request_hangup(cause=16)
        self._release(first)
        self._release(second)
        self._core.publish(
            BridgeAttendedTransfer(
                timestamp=self._core.clock.now(),
                result=TransferResult.SUCCESS,
                destination_type=DestinationType.BRIDGE,
                destination_bridge=final.id,
                **base,
            )
        )
        return TransferOutcome(result=TransferResult.SUCCESS, completed=True)

    def _swap(
        self, dest: Bridge, swapped: Channel, source: Bridge, kicked: Channel
    ) -> Bridge | None:
        """``kicked``'s peer moves into ``dest`` in place of ``swapped``; ``kicked`` leaves."""
        peer = next((c for c in source.members() if c is not kicked), None)
        if peer is None or peer.destroyed:
            return None
        dest.add_channel(peer)
        dest.remove_channel(swapped)
        source.remove_channel(kicked)
        return dest

    def _merge(self, b1: Bridge, b2: Bridge, kick: tuple[Channel, ...]) -> Bridge:
        """The smaller bridge's channels move into the larger; ``kick`` leave both."""
        dest, src = (b2, b1) if len(b2.members()) > len(b1.members()) else (b1, b2)
        # bridge_do_merge announces the merge before it moves anyone.
        self._core.publish(
            BridgeMerged(
                timestamp=self._core.clock.now(), bridge=dest.snapshot(), bridge_from=src.snapshot()
            )
        )
        for chan in kick:
            dest.remove_channel(chan)
            src.remove_channel(chan)
        for chan in src.members():
            dest.add_channel(chan)
        return dest

    def _attended_failed(self, base: dict[str, Any], result: TransferResult) -> TransferOutcome:
        self._core.publish(
            BridgeAttendedTransfer(
                timestamp=self._core.clock.now(),
                result=result,
                destination_type=DestinationType.FAIL,
                **base,
            )
        )
        return TransferOutcome(result=result)

    def _peer(self, bridge: Bridge | None, chan: Channel) -> ChannelSnapshot | None:
        """The other party of a two-party bridge (``ast_bridge_peer``)."""
        if bridge is None:
            return None
        others = [cid for cid in bridge.snapshot().channels if cid != chan.id]
        return self._snapshot(others[0]) if len(others) == 1 else None

    # -- the replacement ---------------------------------------------------------
    def _new_local(self, resource: str) -> Channel | None:
        driver = self._core.technologies.get("Local")
        if driver is None:
            return None
        return driver.create_channel(
            resource, channel_id=self._core.ids.unique_id(), caller=CallerId()
        )

    async def _dial(self, local: Channel, dialstring: str) -> None:
        """``ast_call`` on ``;1``: ``;2`` starts in the dialplan."""
        dial = getattr(local.tech, "dial", None)
        if dial is None:
            return
        try:
            await dial(local, ANSWER_LIMIT_S, dialstring=dialstring)
        except Exception:
            log.exception("%s: transfer destination failed", local.name)

    def _replace(
        self, local: Channel, replaced: Channel, bridge: Bridge, app: str
    ) -> asyncio.Future[bool]:
        """Run ``local`` in ``app`` in place of ``replaced``; the future says if it swapped in.

        As stasis_bridge.c's push for a channel outside Stasis: the channel
        enters the application (StasisStart names the replaced channel) and
        its first command swaps it into the bridge.
        """
        core = self._core
        pbx = core.pbx
        joined: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        local.replaced = replaced.snapshot()

        async def swap(chan: Channel) -> None:
            if bridge.destroyed:
                return
            bridge.add_channel(chan)
            bridge.remove_channel(replaced)
            if not joined.done():
                joined.set_result(True)

        async def queue_swap() -> None:
            with contextlib.suppress(ChannelGone):
                await local.control.run(swap)

        async def run() -> None:
            try:
                if pbx is not None:
                    local.set_dialplan(app_name="Stasis", app_data=app)
                    await make_stasis_app(core.apps)(pbx, local, app)
            except Exception:
                log.exception("%s: transfer replacement failed", local.name)
            finally:
                if not joined.done():
                    joined.set_result(False)
                await local.destroy()
                core.apps.forget_object("channel", local.id)
                core.channels.remove(local.id)

        core.channels.add(local)
        core.spawn(queue_swap(), name=f"xfer-swap-{local.id}")
        core.spawn(run(), name=f"xfer-{local.id}")
        return joined

    def _snapshot(self, chan_id: str) -> ChannelSnapshot | None:
        found = self._core.channels.get(chan_id)
        return found.snapshot() if found is not None else None


def _runs_dial(chan: Channel) -> bool:
    """Whether ``chan`` is the caller of a Dial (its dialplan run goes on after the bridge)."""
    return chan.dialplan.app_name == "Dial"
