"""The IVR dialplan applications that wait for the caller: Background, WaitExten, Read.

Each follows Asterisk 22 (main/pbx_builtins.c, apps/app_read.c, main/app.c
``ast_app_getdata_terminator`` and main/channel.c ``ast_readstring_full``):

* ``Background(file[&file...][,options[,langoverride[,context]]])`` answers
  (unless ``n``; ``s`` skips an unanswered channel), plays the files and stops
  at the first digit (``m``: only a one-digit extension of the context breaks;
  ``p``: nothing breaks). A digit that is a complete extension by itself jumps
  there; any other starts an extension collected with the digit timeout (see
  :func:`~ariel.core.pbx.digits.collect_extension`). ``BACKGROUNDSTATUS`` is
  ``FAILED`` when a file cannot be played (the rest are skipped and the
  dialplan goes on), else ``SUCCESS``.
* ``WaitExten([seconds[,options]])`` waits ``seconds`` (else
  ``TIMEOUT(response)``) for a digit, with music on hold (``m(class)``) or
  dial tone (``d``). On timeout it goes on at the next priority if there is
  one, else at ``t``, else raises ``RESPONSETIMEOUT`` at ``e``, else hangs up.
* ``Read(variable[,files[,maxdigits[,options[,attempts[,timeout]]]]])``
  collects digits until ``#`` (option ``t(chars)`` changes the terminators),
  ``maxdigits`` or a timeout, trying ``attempts`` times while nothing is
  entered; ``READSTATUS`` is ``OK``, ``TIMEOUT``, ``HANGUP``, ``SKIPPED``
  (``s``) or ``ERROR``. Option ``i`` plays an ``indications.conf`` tone
  instead of files; ``n`` reads without answering.
"""

from __future__ import annotations

import logging
from enum import Enum

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.cstrings import atoi, scan_double, strip
from ariel.core.media.sources import AudioSource
from ariel.core.pbx.apps_tones import (
    PLAYTONES,
    IvrServices,
    make_tone_apps,
    start_moh,
    stop_moh,
)
from ariel.core.pbx.digits import (
    ANY_DIGIT,
    DigitListener,
    HungUp,
    app_args,
    caller_number,
    collect_extension,
    exception_goto,
    open_prompt,
    parse_options,
    parse_timelen,
    pbx_timeout,
    play_listening,
)
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto, trace
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable

__all__ = ["IvrServices", "make_ivr_apps"]

log = logging.getLogger("ariel.pbx")


class GetData(Enum):
    """``AST_GETDATA_*``: how a digit string ended."""

    FAILED = -1
    COMPLETE = 0
    TIMEOUT = 1
    EMPTY_END_TERMINATED = 3


def make_ivr_apps(services: IvrServices) -> dict[str, tuple[str, DialplanApp]]:
    """Every IVR application, bound to the server's prompts, tones and music."""
    library = services.media

    async def background(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        if not data:
            log.warning("Background requires an argument (filename)")
            return AppResult.HANGUP
        args = app_args(data, 4)
        files, options, language, context = args[:4]
        language = language or chan.snapshot().language
        context = context or chan.variables.get("MACRO_CONTEXT") or chan.dialplan.context
        if options.lower() in ("skip", "noanswer"):
            flags: dict[str, str | None] = {options[0].lower(): None}
        else:
            flags = parse_options(options)
        failed = False
        digit = ""
        if chan.state != ChannelState.UP:
            if "s" in flags:
                chan.set_variable("BACKGROUNDSTATUS", "SUCCESS")
                return AppResult.NEXT
            if "n" not in flags:
                await chan.tech.answer(chan)
        chan.media.stop_stream()
        with DigitListener(chan) as digits:
            try:
                for name in strip(files).split("&"):
                    source = open_prompt(library, chan, name, language)
                    if source is None:
                        log.warning("ast_streamfile failed on %s for %s", chan.name, data)
                        failed = True
                        break
                    breaks = "" if "p" in flags else ANY_DIGIT
                    exten_in = (ctx, context) if "m" in flags and "p" not in flags else None
                    digit = await play_listening(chan, source, digits, breaks, exten_in=exten_in)
                    if digit:
                        break
            except HungUp:
                chan.set_variable("BACKGROUNDSTATUS", "SUCCESS")
                return AppResult.HANGUP
            chan.set_variable("BACKGROUNDSTATUS", "FAILED" if failed else "SUCCESS")
            if not digit:
                return AppResult.NEXT
            caller = caller_number(chan)
            if ctx.index.can_match(context, digit, 1, caller_id=caller) and not (
                ctx.index.match_more(context, digit, 1, caller_id=caller)
            ):
                return Goto(context=context, exten=digit, priority=1)
            try:
                return await collect_extension(ctx, chan, digits, digit)
            except HungUp:
                return AppResult.HANGUP

    async def waitexten(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = app_args(data, 2)
        flags = parse_options(args[1])
        if "m" in flags and not flags["m"]:
            log.warning("The 'm' option has been specified for WaitExten without a class.")
        elif "m" in flags:
            start_moh(services, chan, flags["m"])
        elif "d" in flags:
            _start_tone(library, chan, "dial", fallback="350+440")
        ms = parse_timelen(args[0], 1000) if args[0] else None
        if ms is None or ms <= 0:
            ms = pbx_timeout(chan, "response")
        with DigitListener(chan) as digits:
            try:
                try:
                    digit = await digits.wait(ms)
                finally:
                    if "m" in flags:
                        stop_moh(chan)
                    elif "d" in flags and chan.media.generator_kind == PLAYTONES:
                        chan.media.set_generator(None)
                if digit:
                    return await collect_extension(ctx, chan, digits, digit)
            except HungUp:
                return AppResult.HANGUP
        return _response_timeout(ctx, chan)

    async def read(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = app_args(data, 6)
        variable, files, maxdigits_arg, options, attempts, timeout_arg = args[:6]
        if not data or not variable:
            log.warning(
                "Invalid! Usage: Read(variable[,filename][,maxdigits][,option]"
                "[,attempts][,timeout])"
            )
            chan.set_variable("READSTATUS", "ERROR")
            return AppResult.NEXT
        flags = parse_options(options)
        tries = max(atoi(attempts), 1) if attempts else 1
        seconds = scan_double(timeout_arg) if timeout_arg else None
        timeout = int(seconds * 1000) if seconds is not None and seconds > 0 else 0
        maxdigits = 255
        if maxdigits_arg:
            maxdigits = atoi(maxdigits_arg)
            if 1 <= maxdigits <= 255:
                trace(3, f"Accepting a maximum of {maxdigits} digits.")
            else:
                maxdigits = 255
        terminators = (flags["t"] or "") if "t" in flags else "#"
        tone = files if "i" in flags and files and _zone_tone(library, files) else None
        if chan.state != ChannelState.UP:
            if "s" in flags:
                chan.set_variable(variable, "")
                chan.set_variable("READSTATUS", "SKIPPED")
                return AppResult.NEXT
            if "n" not in flags:
                await chan.tech.answer(chan)
        status = "ERROR"
        with DigitListener(chan) as digits:
            try:
                while tries:
                    chan.media.stop_stream()
                    if tone is not None:
                        wait = timeout or pbx_timeout(chan, "response")
                        result, text = await _read_tone(
                            library, chan, digits, tone, maxdigits, wait, terminators
                        )
                    else:
                        result, text = await _getdata(
                            library, chan, digits, files, maxdigits, timeout, terminators
                        )
                    if result in (GetData.COMPLETE, GetData.EMPTY_END_TERMINATED):
                        status = "OK"
                    elif result is GetData.TIMEOUT:
                        status = "TIMEOUT"
                    chan.set_variable(variable, text)
                    if result is GetData.FAILED:
                        trace(3, "User disconnected")
                        break
                    if text:
                        trace(3, f"User entered '{text}'")
                        break
                    tries -= 1
                    if tries:
                        plural = "s" if tries != 1 else ""
                        trace(3, f"User entered nothing, {tries} chance{plural} left")
                    else:
                        trace(3, "User entered nothing.")
            except HungUp:
                chan.set_variable(variable, "")
                trace(3, "User disconnected")
        chan.set_variable("READSTATUS", "HANGUP" if chan.hangup_requested else status)
        return AppResult.NEXT

    return {
        "background": ("BackGround", background),
        "waitexten": ("WaitExten", waitexten),
        "read": ("Read", read),
        **make_tone_apps(services),
    }


def _response_timeout(ctx: AppContext, chan: Channel) -> AppResult | Goto:
    """pbx_builtin_waitexten: where the run goes on when no digit came."""
    if chan.hangup_requested:
        return AppResult.HANGUP
    loc = chan.dialplan
    caller = caller_number(chan)
    if ctx.index.exists(loc.context, loc.exten, loc.priority + 1, caller_id=caller):
        trace(3, f"Timeout on {chan.name}, continuing...")
        return AppResult.NEXT
    if ctx.index.exists(loc.context, "t", 1, caller_id=caller):
        trace(3, f"Timeout on {chan.name}, going to 't'")
        return Goto(context=loc.context, exten="t", priority=1)
    if ctx.index.exists(loc.context, "e", 1, caller_id=caller):
        return exception_goto(chan, "RESPONSETIMEOUT")
    log.warning("Timeout but no rule 't' or 'e' in context '%s'", loc.context)
    return AppResult.HANGUP


def _zone_tone(library: MediaLibrary, name: str) -> bool:
    zone = library.indications.zone()
    return zone is not None and zone.tone(name) is not None


def _start_tone(library: MediaLibrary, chan: Channel, name: str, *, fallback: str) -> None:
    """The zone's tone ``name`` (or ``fallback``) as the channel's generator."""
    spec = name if _zone_tone(library, name) else fallback
    try:
        chan.media.set_generator(library.open(f"tone:{spec}", "en"), PLAYTONES)
    except MediaUnavailable as exc:
        log.warning("%s: cannot play tone %s: %s", chan.name, spec, exc)


async def _read_tone(
    library: MediaLibrary,
    chan: Channel,
    digits: DigitListener,
    tone: str,
    maxdigits: int,
    wait_ms: int,
    terminators: str,
) -> tuple[GetData, str]:
    """app_read's ``i`` option: the tone plays until the first digit."""
    _start_tone(library, chan, tone, fallback=tone)
    text = ""
    result = GetData.FAILED
    try:
        while len(text) < maxdigits:
            digit = await digits.wait(wait_ms)
            if chan.media.generator_kind == PLAYTONES:
                chan.media.set_generator(None)
            if not digit:
                return GetData.TIMEOUT, text
            if digit in terminators:
                return GetData.COMPLETE, text
            text += digit
            if len(text) >= maxdigits:
                result = GetData.COMPLETE
    finally:
        if chan.media.generator_kind == PLAYTONES:
            chan.media.set_generator(None)
    return result, text


async def _getdata(
    library: MediaLibrary,
    chan: Channel,
    digits: DigitListener,
    files: str,
    maxdigits: int,
    timeout_ms: int,
    terminators: str,
) -> tuple[GetData, str]:
    """``ast_app_getdata_terminator``: each prompt, then wait for digits after the last.

    Between prompts a digit is only awaited 50 ms; after the last, the response
    timeout for the first digit and the digit timeout between digits (both
    ``timeout_ms`` when given).
    """
    fronts = [strip(front).strip("'\"") for front in files.split("&")]
    result, text = GetData.COMPLETE, ""
    for pos, front in enumerate(fronts):
        source: AudioSource | None = None
        if front:
            source = open_prompt(library, chan, front)
            if source is None:
                result = GetData.FAILED
                continue
        between = pbx_timeout(chan, "digit")
        if pos == len(fronts) - 1:
            first = pbx_timeout(chan, "response")
            if timeout_ms > 0:
                first = between = timeout_ms
        else:
            first = 50
        result, text = await _readstring(
            chan, digits, source, maxdigits, between, first, terminators
        )
        if result is GetData.EMPTY_END_TERMINATED or text:
            return result, text
    return result, text


async def _readstring(
    chan: Channel,
    digits: DigitListener,
    source: AudioSource | None,
    maxdigits: int,
    between_ms: int,
    first_ms: int,
    terminators: str,
) -> tuple[GetData, str]:
    """``ast_readstring_full``: a prompt a digit may break, then digits until a
    terminator, ``maxdigits`` or a timeout."""
    text = ""
    wait = first_ms
    while True:
        digit = ""
        if source is not None:
            digit = await play_listening(chan, source, digits, ANY_DIGIT)
            source = None
        if not digit:
            digit = await digits.wait(wait)
        if not digit:
            return GetData.TIMEOUT, text
        if digit in terminators and not text:
            return GetData.EMPTY_END_TERMINATED, ""
        if digit not in terminators:
            text += digit
        if digit in terminators or len(text) >= maxdigits:
            return GetData.COMPLETE, text
        wait = between_ms
