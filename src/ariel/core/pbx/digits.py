"""Listening for the caller's digits: what the IVR applications share.

Theory of operation (after main/channel.c ``ast_waitfordigit``, main/file.c
``ast_waitstream`` and main/pbx.c ``__ast_pbx_run``/``collect_digits``): an
application that listens attaches a :class:`DigitListener` to the channel's
audio plane for as long as it runs; every digit the caller ends (the RFC 4733
end event) is queued there, so none is lost between a prompt and the wait that
follows it. :meth:`DigitListener.wait` is ``ast_waitfordigit``: the next
digit, ``""`` on timeout, and :class:`HungUp` when the channel hangs up.
:func:`play_listening` is ``ast_waitstream``: it plays a prompt and stops it
on the first digit the caller may break with.

In Asterisk, Background, WaitExten and the Say applications return the digit
to the PBX loop, which collects the rest of the extension (the *digit*
timeout between digits) and continues there -- or at ``i`` with
``INVALID_EXTEN`` set, or at ``e``. Ariel's runner runs one application at a
time, so :func:`collect_extension` does that part on the application's behalf
and answers where the run goes on, with pbx.c's verbose lines.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from types import TracebackType

from ariel.core.channels.channel import Channel
from ariel.core.dialplan.args import separate_args
from ariel.core.dialplan.func_timeout import timeout_ms
from ariel.core.media.sources import AudioSource
from ariel.core.pbx.flow_state import record_exception
from ariel.core.pbx.runner import AppContext, Goto, trace
from ariel.core.pbx.scope import ChannelScope
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable

__all__ = [
    "ANY_DIGIT",
    "DigitListener",
    "HungUp",
    "app_args",
    "caller_number",
    "collect_extension",
    "exception_goto",
    "open_prompt",
    "parse_options",
    "parse_timelen",
    "pbx_timeout",
    "play_listening",
]

log = logging.getLogger("ariel.pbx")

#: ``AST_DIGIT_ANY``: every digit breaks a prompt.
ANY_DIGIT = "0123456789#*ABCD"
_TIMELEN = re.compile(r"[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.?)(.?)")


class HungUp(Exception):
    """The channel hung up while an application listened."""


class DigitListener:
    """The digits a caller sends while an application listens (a context manager)."""

    def __init__(self, chan: Channel) -> None:
        self.chan = chan
        self._digits: asyncio.Queue[str] = asyncio.Queue()

    def __enter__(self) -> DigitListener:
        self.chan.media.add_dtmf_listener(self, self._heard)
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.chan.media.remove_dtmf_listener(self)

    def _heard(self, digit: str, _duration_ms: int) -> None:
        self._digits.put_nowait(digit)

    async def wait(self, timeout_ms: int | None, until: asyncio.Future[None] | None = None) -> str:
        """``ast_waitfordigit``: the next digit, or ``""`` after ``timeout_ms``
        (``None``: no limit) or once ``until`` is done.

        Raises:
            HungUp: The channel hung up first.
        """
        if not self._digits.empty():
            return self._digits.get_nowait()
        if self.chan.hangup_requested:
            raise HungUp
        if (until is not None and until.done()) or (timeout_ms is not None and timeout_ms <= 0):
            return ""
        digit = asyncio.ensure_future(self._digits.get())
        hung = asyncio.ensure_future(self.chan.hungup.wait())
        waiting: set[asyncio.Future[object]] = {digit, hung}  # type: ignore[arg-type]
        if until is not None:
            waiting.add(until)  # type: ignore[arg-type]
        timeout = None if timeout_ms is None else timeout_ms / 1000
        try:
            await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            digit.cancel()
            hung.cancel()
        if digit.done() and not digit.cancelled():
            return digit.result()
        if self.chan.hangup_requested:
            raise HungUp
        return ""


def _settle(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


async def play_listening(
    chan: Channel,
    source: AudioSource,
    digits: DigitListener,
    breaks: str | None = ANY_DIGIT,
    *,
    exten_in: tuple[AppContext, str] | None = None,
) -> str:
    """``ast_waitstream``: play ``source``; the first digit in ``breaks`` stops it.

    Other digits are dropped, as Asterisk reads and discards them. With
    ``exten_in`` (``ast_waitstream_exten``) only a digit that is a one-digit
    extension of that context breaks. Returns the digit, or ``""`` when the
    prompt played to its end.

    Raises:
        HungUp: The channel hung up.
    """
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    chan.media.play_stream(source, functools.partial(_settle, done))
    try:
        while True:
            digit = await digits.wait(None, until=done)
            if not digit:
                return ""
            if exten_in is not None:
                ctx, context = exten_in
                if ctx.index.exists(context, digit, 1, caller_id=caller_number(chan)):
                    return digit
            elif breaks and digit in breaks:
                return digit
    finally:
        if not done.done():
            chan.media.stop_stream()


def open_prompt(
    library: MediaLibrary, chan: Channel, name: str, language: str | None = None
) -> AudioSource | None:
    """``ast_streamfile``: the prompt ``name``, or ``None`` (with a warning) if it cannot play."""
    language = language or chan.snapshot().language
    try:
        return library.open(f"sound:{name}", language)
    except MediaUnavailable as exc:
        log.warning("%s: Unable to open %s (language %s): %s", chan.name, name, language, exc)
        return None


def caller_number(chan: Channel) -> str | None:
    """The caller id number dialplan lookups match against (``None`` if unknown)."""
    return chan.snapshot().caller.number or None


def pbx_timeout(chan: Channel, kind: str) -> int:
    """``TIMEOUT(digit)`` or ``TIMEOUT(response)`` of the channel, in milliseconds."""
    return timeout_ms(ChannelScope(chan), kind)


def exception_goto(chan: Channel, reason: str) -> Goto:
    """pbx.c ``raise_exception``: remember ``reason``, go on at ``e``, 1."""
    record_exception(chan, reason)
    return Goto(context=chan.dialplan.context, exten="e", priority=1)


async def collect_extension(
    ctx: AppContext, chan: Channel, digits: DigitListener, first: str
) -> Goto:
    """The PBX loop after an application returned digit ``first``.

    ``collect_digits``: while a longer extension could still match, wait the
    digit timeout for one more digit. Then go to the extension collected, or
    to ``i`` (``INVALID_EXTEN`` set), or raise ``INVALID`` at ``e``.

    Raises:
        HungUp: The channel hung up while digits were collected.
    """
    context = chan.dialplan.context
    caller = caller_number(chan)
    index = ctx.index
    collected = first
    while index.match_more(context, collected, 1, caller_id=caller):
        digit = await digits.wait(pbx_timeout(chan, "digit"))
        if not digit:
            break
        collected += digit
    if ctx.index.exists(context, collected, 1, caller_id=caller):
        return Goto(context=context, exten=collected, priority=1)
    if index.exists(context, "i", 1, caller_id=caller):
        trace(3, f"Invalid extension '{collected}' in context '{context}' on {chan.name}")
        chan.set_variable("INVALID_EXTEN", collected)
        return Goto(context=context, exten="i", priority=1)
    if index.exists(context, "e", 1, caller_id=caller):
        return exception_goto(chan, "INVALID")
    log.warning(
        "Invalid extension '%s', but no rule 'i' or 'e' in context '%s'", collected, context
    )
    # Going there ends the run: the runner finds no step and no handler.
    return Goto(context=context, exten=collected, priority=1)


def app_args(data: str, count: int) -> list[str]:
    """``AST_STANDARD_APP_ARGS`` with ``count`` arguments, missing ones as ``""``."""
    found = separate_args(data, max_args=count) if data else []
    return [*found, *([""] * (count - len(found)))]


def parse_options(text: str | None) -> dict[str, str | None]:
    """``ast_app_parse_options``: option letters, each with its ``(argument)`` if given.

    >>> parse_options("m(jazz)d")
    {'m': 'jazz', 'd': None}
    """
    found: dict[str, str | None] = {}
    pos, text = 0, text or ""
    while pos < len(text):
        letter = text[pos]
        pos += 1
        if pos < len(text) and text[pos] == "(":
            close = text.find(")", pos)
            end = len(text) if close < 0 else close
            found[letter] = text[pos + 1 : end]
            pos = end + 1
        else:
            found[letter] = None
    return found


def parse_timelen(text: str | None, unit_ms: int) -> int | None:
    """``ast_app_parse_timelen``: a number with an optional ``h``/``m``/``s``/``ms``
    unit (``unit_ms`` when none) in milliseconds; ``None`` if there is no number.

    >>> parse_timelen("1.5", 1000), parse_timelen("250ms", 1000), parse_timelen("x", 1)
    (1500, 250, None)
    """
    found = _TIMELEN.match(text or "")
    if found is None:
        return None
    amount = float(found.group(1))
    unit, after = found.group(2).lower(), found.group(3).lower()
    factor = {"h": 3_600_000, "s": 1000}.get(unit, unit_ms)
    if unit == "m":
        factor = 1 if after == "s" else 60_000
    return int(amount * factor)
