"""Dialplan applications that signal or speak: tones, DTMF, busy, music on hold, Say*.

Each follows its Asterisk 22 namesake (main/pbx_builtins.c, apps/app_playtones.c,
apps/app_senddtmf.c, res/res_musiconhold.c):

* ``Playtones(tones)`` starts a tone of the channel's zone (``indications.conf``)
  or a tone list as the channel's generator and returns at once;
  ``StopPlaytones()`` stops it.
* ``Busy([timeout])``/``Congestion([timeout])`` indicate the condition: an
  unanswered channel is refused (SIP 486/503), gets the cause (17/34) and the
  ``Busy`` state; an answered one hears the zone's tone in band. Then they wait
  ``timeout`` seconds (or for the hangup) and hang up.
* ``SendDTMF(digits[,between_ms[,duration_ms[,channel]]])`` waits 100 ms, then
  sends each digit (``w`` waits 500 ms, ``W`` a second), ``between_ms`` (250)
  apart, to this channel or the one named.
* ``MusicOnHold([class[,duration]])`` plays music until ``duration`` seconds or
  the hangup; ``StartMusicOnHold([class])`` and ``StopMusicOnHold()`` start and
  stop it while the dialplan goes on. The class is ``CHANNEL(musicclass)`` if
  set, else the one given, else ``default``, with res_musiconhold's verbose lines.
* ``SayDigits``, ``SayNumber(n[,gender])`` and ``SayAlpha`` speak with the core
  prompts; with ``SAY_DTMF_INTERRUPT`` true a digit stops them and starts an
  extension, as Background does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.dialplan.cstrings import scan_double, scan_int
from ariel.core.media.moh import MusicOnHold
from ariel.core.pbx.digits import (
    ANY_DIGIT,
    DigitListener,
    HungUp,
    app_args,
    collect_extension,
    open_prompt,
    parse_timelen,
    play_listening,
)
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto, trace
from ariel.core.pbx.scope import ChannelScope
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable
from ariel.core.playback.say import SayError, say_characters, say_digits, say_number

__all__ = ["PLAYTONES", "IvrServices", "make_tone_apps", "start_moh", "stop_moh"]

log = logging.getLogger("ariel.pbx")

#: The generator kinds these applications set (``ChannelMedia.generator_kind``).
PLAYTONES = "playtones"
MOH = "moh"
_TRUE = frozenset({"yes", "true", "y", "t", "1", "on"})
_DTMF = "0123456789*#abcdABCD"


@dataclass(frozen=True, slots=True, kw_only=True)
class IvrServices:
    """What the IVR applications need from the server.

    Attributes:
        media: Prompts and tones.
        moh: The music on hold classes.
        channels: Every live channel (``SendDTMF`` to another channel by name).
    """

    media: MediaLibrary
    moh: MusicOnHold
    channels: Iterable[object] = ()


def start_moh(services: IvrServices, chan: Channel, wanted: str | None) -> bool:
    """``ast_moh_start``: music on hold as the channel's generator; False if none plays."""
    chosen = ChannelScope(chan).channel_item("musicclass") or wanted or ""
    name = chosen if services.moh.has_class(chosen) else "default"
    source = services.moh.source(name)
    if source is None:
        return False
    chan.media.set_generator(source, MOH)
    trace(3, f"Started music on hold, class '{name}', on channel '{chan.name}'")
    return True


def stop_moh(chan: Channel) -> None:
    """``ast_moh_stop``: stop music on hold if it plays."""
    if chan.media.generator_kind == MOH:
        chan.media.set_generator(None)
        trace(3, f"Stopped music on hold on {chan.name}")


async def _sleep(chan: Channel, seconds: float | None) -> bool:
    """``ast_safe_sleep`` (``None``: until the hangup); False if the channel hung up."""
    if chan.hangup_requested:
        return False
    try:
        await asyncio.wait_for(chan.hungup.wait(), timeout=seconds)
    except TimeoutError:
        return True
    return False


def make_tone_apps(services: IvrServices) -> dict[str, tuple[str, DialplanApp]]:
    """Playtones, StopPlaytones, Busy, Congestion, SendDTMF, the MOH and Say applications."""
    library = services.media

    def tone(chan: Channel, name: str) -> bool:
        try:
            source = library.open(f"tone:{name}", chan.snapshot().language)
        except MediaUnavailable:
            return False
        chan.media.set_generator(source, PLAYTONES)
        return True

    async def playtones(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        if not data:
            log.info("%s: Nothing to play", chan.name)
            return AppResult.HANGUP
        if not tone(chan, data):
            log.info("%s: Unable to start playtones", chan.name)
            return AppResult.HANGUP
        return AppResult.NEXT

    async def stopplaytones(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
        if chan.media.generator_kind == PLAYTONES:
            chan.media.set_generator(None)
        return AppResult.NEXT

    async def indicate(chan: Channel, condition: str, cause: int, data: str) -> AppResult:
        await chan.tech.indicate(chan, condition)
        if chan.state != ChannelState.UP:
            chan.hangup_cause = cause
            chan.set_state(ChannelState.BUSY)
        else:  # the driver cannot signal it on an answered call: the core plays it
            tone(chan, condition)
        seconds = scan_double(data) if data else None
        await _sleep(chan, seconds if seconds is not None and seconds >= 0 else None)
        return AppResult.HANGUP

    async def busy(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        return await indicate(chan, "busy", Cause.USER_BUSY, data)

    async def congestion(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        return await indicate(chan, "congestion", Cause.NORMAL_CIRCUIT_CONGESTION, data)

    async def senddtmf(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = app_args(data, 4)
        digits, between_arg, duration_arg, target_name = args[:4]
        if not data:
            log.warning("SendDTMF requires an argument")
            return AppResult.NEXT
        if not digits:
            log.warning("The digits argument is required (0-9,*#,a-d,A-D,wfF)")
            return AppResult.NEXT
        between = parse_timelen(between_arg, 1) if between_arg else None
        duration = parse_timelen(duration_arg, 1) if duration_arg else None
        target = chan
        if target_name:
            found = next(
                (c for c in services.channels if isinstance(c, Channel) and c.name == target_name),
                None,
            )
            if found is None:
                log.warning("No such channel: %s", target_name)
                return AppResult.NEXT
            target = found
        sent = await _stream_dtmf(target, digits, between or 250, max(duration or 0, 100))
        return AppResult.NEXT if sent or target is not chan else AppResult.HANGUP

    async def musiconhold(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = app_args(data, 2)
        wanted, duration_arg = args[0], args[1]
        seconds: float | None = None
        if duration_arg:
            duration = scan_int(duration_arg)
            if duration is None:
                log.warning(
                    "Invalid MusicOnHold duration '%s'. Will wait indefinitely.", duration_arg
                )
            elif duration > 0:
                seconds = float(duration)
        if not start_moh(services, chan, wanted or None):
            log.warning("Unable to start music on hold class '%s' on channel %s", wanted, chan.name)
            return AppResult.NEXT
        alive = await _sleep(chan, seconds)
        stop_moh(chan)
        return AppResult.NEXT if alive else AppResult.HANGUP

    async def startmusiconhold(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        if not start_moh(services, chan, data or None):
            log.warning("Unable to start music on hold class '%s' on channel %s", data, chan.name)
        return AppResult.NEXT

    async def stopmusiconhold(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
        stop_moh(chan)
        return AppResult.NEXT

    async def say(ctx: AppContext, chan: Channel, prompts: list[str]) -> AppResult | Goto:
        interrupt = chan.variables.get("SAY_DTMF_INTERRUPT", "").strip().lower() in _TRUE
        with DigitListener(chan) as digits:
            try:
                for prompt in prompts:
                    source = open_prompt(library, chan, prompt)
                    if source is None:
                        return AppResult.HANGUP
                    digit = await play_listening(
                        chan, source, digits, ANY_DIGIT if interrupt else ""
                    )
                    if digit:
                        return await collect_extension(ctx, chan, digits, digit)
            except HungUp:
                return AppResult.HANGUP
        return AppResult.NEXT

    async def saydigits(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        return await say(ctx, chan, say_digits(data))

    async def sayalpha(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        return await say(ctx, chan, say_characters(data))

    async def saynumber(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        if not data:
            log.warning("SayNumber requires an argument (number)")
            return AppResult.HANGUP
        text, _, rest = data.partition(",")
        number = scan_int(text)
        if number is None:
            log.warning("argument '%s' to SayNumber could not be parsed as a number.", text)
            return AppResult.NEXT
        gender = rest.partition(",")[0]
        if rest and gender.lower() not in ("f", "m", "c", "n"):
            log.warning("SayNumber gender option is either 'f', 'm', 'c' or 'n'")
            return AppResult.HANGUP
        try:
            prompts = say_number(number)
        except SayError:
            log.warning("We were unable to say the number %s, is it too large?", text)
            return AppResult.NEXT
        return await say(ctx, chan, prompts)

    return {
        "playtones": ("Playtones", playtones),
        "stopplaytones": ("StopPlaytones", stopplaytones),
        "busy": ("Busy", busy),
        "congestion": ("Congestion", congestion),
        "senddtmf": ("SendDTMF", senddtmf),
        "musiconhold": ("MusicOnHold", musiconhold),
        "startmusiconhold": ("StartMusicOnHold", startmusiconhold),
        "stopmusiconhold": ("StopMusicOnHold", stopmusiconhold),
        "saydigits": ("SayDigits", saydigits),
        "saynumber": ("SayNumber", saynumber),
        "sayalpha": ("SayAlpha", sayalpha),
    }


async def _stream_dtmf(chan: Channel, digits: str, between_ms: int, duration_ms: int) -> bool:
    """main/app.c ``dtmf_stream``; False if the channel hung up meanwhile."""
    if not await _sleep(chan, 0.1):  # a quiet time before the digits
        return False
    for char in digits:
        if char in "wW":
            pause = 0.5 if char == "w" else 1.0
        elif char in _DTMF or char in "fF":
            if char in "fF":
                await chan.tech.indicate(chan, "flash")
            else:
                await chan.tech.send_digit(chan, char.upper(), duration_ms)
            pause = between_ms / 1000
        else:
            log.warning("Illegal DTMF character '%s' in string. (0-9*#aAbBcCdD allowed)", char)
            continue
        if not await _sleep(chan, pause):
            return False
    return True
