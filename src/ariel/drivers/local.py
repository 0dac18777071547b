"""``Local/<exten>@<context>``: a pair of channels joined back to back (chan_local).

Theory of operation, after Asterisk's Local channels: dialling
``Local/100@sets`` creates ``;1`` (returned to the requester) and, when ``;1``
is dialled, ``;2``, which runs the dialplan at ``100@sets``. What one half
sends, the other hears: the media clock calls the pair's pump once per tick,
which hands each half's outgoing frame to the other half's listeners. When
``;2`` answers (``Answer()``, an ARI answer), ``;1`` goes up; ringing and
progress pass through the same way; a hangup of either half hangs up the
other with the same cause, and digits sent to one half arrive at the other.
The pair is never optimised away, as with the ``/n`` option.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.snapshots import CallerId
from ariel.core.system import Core
from ariel.net.media_clock import MediaClock

__all__ = ["LocalDriver", "LocalHalf", "LocalPair", "parse_local_resource"]

log = logging.getLogger("ariel.local")


def parse_local_resource(resource: str) -> tuple[str, str, str] | None:
    """``exten@context[/options]`` -> (exten, context, options); context defaults to default."""
    target, _, options = resource.partition("/")
    exten, _, context = target.partition("@")
    if not exten:
        return None
    return exten, context or "default", options


class LocalHalf:
    """The technology of one half (``;1`` or ``;2``) of a Local pair."""

    def __init__(self, pair: LocalPair, side: int) -> None:
        self.pair = pair
        self.side = side

    @property
    def other(self) -> Channel | None:
        """The other half's channel, once it exists."""
        return self.pair.two if self.side == 1 else self.pair.one

    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        """Dial ``;1``: start ``;2`` in the dialplan; True once it answers."""
        if self.side != 1:
            return False
        return await self.pair.start(timeout, dialstring=dialstring, caller=caller)

    def link(self, chan: Channel) -> Channel | None:
        """``ast_local_setup_bridge``: make ``;2`` now, answered, outside the dialplan."""
        return self.pair.link() if self.side == 1 else None

    async def answer(self, chan: Channel) -> None:
        if chan.state == ChannelState.UP:
            return
        chan.set_state(ChannelState.UP)
        if self.side == 2:
            self.pair.answered()

    async def indicate(self, chan: Channel, condition: str) -> None:
        if self.side == 2:
            self.pair.indicated(condition)

    async def hangup(self, chan: Channel, cause: int) -> None:
        other = self.other
        if other is not None and not other.destroyed:
            other.request_hangup(cause=cause)
        self.pair.half_gone()

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        await asyncio.sleep(duration_ms / 1000)
        other = self.other
        if other is not None and not other.destroyed:
            other.dtmf_received(digit, duration_ms)

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None


class LocalPair:
    """Both halves and what joins them."""

    def __init__(self, core: Core, clock: MediaClock, exten: str, context: str) -> None:
        self._core = core
        self._clock = clock
        self.exten = exten
        self.context = context
        self.one: Channel | None = None
        self.two: Channel | None = None
        self._answer: asyncio.Future[bool] | None = None
        self._caller: Channel | None = None
        self._dialstring = ""
        self._gone = 0

    async def start(self, timeout: float, *, dialstring: str, caller: Channel | None) -> bool:
        one = self.one
        pbx = self._core.pbx
        if one is None or pbx is None:
            return False
        self._caller = caller
        self._dialstring = dialstring or f"{self.exten}@{self.context}"
        self._publish_dial("")
        core = self._core
        two = self._second_half(one, ChannelState.RING)
        self.two = two
        core.channels.add(two)
        two.announce()
        self._clock.add_ticker(self, self._pump)
        self._answer = asyncio.get_running_loop().create_future()

        async def run_two() -> None:
            try:
                await pbx.run(two)
            finally:
                core.channels.remove(two.id)
                if self._answer is not None and not self._answer.done():
                    self._answer.set_result(False)

        core.spawn(run_two(), name=f"local-{two.id}")
        try:
            answered = await asyncio.wait_for(asyncio.shield(self._answer), timeout)
        except TimeoutError:
            answered = False
            one.hangup_cause = Cause.NO_ANSWER
            self._publish_dial("NOANSWER")
            two.request_hangup(cause=Cause.NO_ANSWER)
        return answered

    def _second_half(self, one: Channel, state: ChannelState) -> Channel:
        """The ``;2`` channel of the pair, named after ``;1``, at exten@context."""
        core = self._core
        first = one.snapshot()
        return Channel(
            id=core.ids.unique_id(),
            name=one.name[:-2] + ";2",
            tech=LocalHalf(self, 2),
            publish=core.publish,
            now=core.clock.now,
            state=state,
            caller=first.caller,
            context=self.context,
            exten=self.exten,
            language=first.language,
        )

    def link(self) -> Channel | None:
        """Both halves up at once, ``;2`` left to the caller (a transfer's link)."""
        one = self.one
        if one is None or self.two is not None:
            return None
        two = self._second_half(one, ChannelState.UP)
        self.two = two
        two.announce()
        one.set_state(ChannelState.UP)
        self._clock.add_ticker(self, self._pump)
        return two

    def answered(self) -> None:
        """``;2`` answered: ``;1`` is up."""
        one = self.one
        if one is not None and not one.destroyed:
            one.set_state(ChannelState.UP)
            self._publish_dial("ANSWER")
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(True)

    def indicated(self, condition: str) -> None:
        """``;2`` indicated: ``;1`` shows it."""
        one = self.one
        if one is None or one.destroyed:
            return
        if condition == "ringing" and one.state != ChannelState.UP:
            one.set_state(ChannelState.RINGING)
            self._publish_dial("RINGING")
        elif condition == "progress":
            self._publish_dial("PROGRESS")
        elif condition in ("busy", "congestion"):
            self._publish_dial("BUSY" if condition == "busy" else "CONGESTION")
            one.hangup_cause = Cause.USER_BUSY if condition == "busy" else 34
            if self._answer is not None and not self._answer.done():
                self._answer.set_result(False)

    def half_gone(self) -> None:
        """One half was destroyed; the pump stops with the first."""
        self._gone += 1
        self._clock.remove_ticker(self)

    def _pump(self, n: int) -> None:
        one, two = self.one, self.two
        if one is None or two is None:
            return
        to_two = one.media.next_frame(n)
        to_one = two.media.next_frame(n)
        if to_two is not None and two.media.wants_audio:
            two.media.on_audio(to_two)
        if to_one is not None and one.media.wants_audio:
            one.media.on_audio(to_one)

    def _publish_dial(self, status: str) -> None:
        one = self.one
        if one is None:
            return
        one.publish_dial(status, dialstring=self._dialstring, caller=self._caller)


class LocalDriver:
    """Creates Local channel pairs."""

    def __init__(self, core: Core, *, clock: MediaClock) -> None:
        self._core = core
        self._clock = clock

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """The ``;1`` half of a new pair towards ``exten@context``; ``None`` if malformed."""
        parsed = parse_local_resource(resource)
        if parsed is None:
            return None
        exten, context, _options = parsed
        core = self._core
        pair = LocalPair(core, self._clock, exten, context)
        chan = Channel(
            id=channel_id,
            name=f"Local/{exten}@{context}-{core.ids.channel_suffix()};1",
            tech=LocalHalf(pair, 1),
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.DOWN,
            caller=caller,
            # ast_unreal_new_channels: both halves start at the pair's exten@context.
            context=context,
            exten=exten,
        )
        pair.one = chan
        chan.announce()
        return chan
