"""TIMEOUT(digit|response|absolute): the channel's dialplan timeouts.

Theory of operation (after funcs/func_timeout.c): the PBX keeps two timeouts
per channel, the *response* timeout (how long WaitExten and the digit
collection wait for the first digit, 10 s) and the *digit* timeout (between
digits, 5 s), plus the *absolute* timeout (hang up that many seconds from
now).  Only the first letter of the argument counts (``d``, ``r``, ``a``, any
case).  Reads answer seconds with three decimals; ``absolute`` answers ``0``
when none is set.  A write reads the value as ``sscanf("%ld%lf")`` does, so
``1.5`` is one second and half a second and a negative or unreadable value
is zero; each write logs Asterisk's verbose line.

The values live on the channel, reached through ``CHANNEL`` items that only
this module names (:data:`TIMEOUT_ITEMS`); the dialplan applications read
them with :func:`timeout_ms`.  The absolute timeout is recorded (and its
deadline reported) but hanging up at the deadline is the runner's business.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from ariel.core.dialplan.functions import DialplanFunction, FunctionScope
from ariel.core.dialplan.scope import DialplanChannel

__all__ = [
    "DEFAULT_DIGIT_MS",
    "DEFAULT_RESPONSE_MS",
    "TIMEOUT_FUNCTIONS",
    "TIMEOUT_ITEMS",
    "timeout_ms",
]

#: ``__ast_pbx_run``'s defaults.
DEFAULT_RESPONSE_MS = 10_000
DEFAULT_DIGIT_MS = 5_000

#: The ``CHANNEL`` items that hold the timeouts, in milliseconds (absolute: a
#: POSIX time in milliseconds, "" when unset).
TIMEOUT_ITEMS = {
    "d": "pbx_timeout_digit",
    "r": "pbx_timeout_response",
    "a": "pbx_timeout_absolute",
}
_DEFAULTS = {"d": DEFAULT_DIGIT_MS, "r": DEFAULT_RESPONSE_MS}
_SECONDS = re.compile(r"[ \t\n\v\f\r]*([+-]?\d+)")
_FRACTION = re.compile(r"[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")

#: The verbose trace (funcs/func_timeout.c logs through ``ast_verb(3, ...)``).
_verbose = logging.getLogger("ariel.verbose.func_timeout")


def _trace(text: str) -> None:
    if _verbose.isEnabledFor(logging.INFO):
        _verbose.info("    -- %s", text, extra={"verbose": 3})


def timeout_ms(channel: DialplanChannel, kind: str) -> int:
    """The channel's ``digit`` or ``response`` timeout in milliseconds."""
    key = kind[:1].lower()
    stored = channel.channel_item(TIMEOUT_ITEMS[key])
    if stored:
        try:
            return int(stored)
        except ValueError:
            pass
    return _DEFAULTS[key]


def _parse(value: str) -> int:
    """``sscanf(value, "%30ld%30lf", &sec, &x)`` turned into milliseconds."""
    seconds = _SECONDS.match(value)
    if seconds is None or int(seconds.group(1)) < 0:
        return 0
    ms = int(seconds.group(1)) * 1000
    fraction = _FRACTION.match(value, seconds.end())
    if fraction is not None:
        ms += int(float(fraction.group(1)) * 1_000_000) // 1000
    return ms


def _read(scope: FunctionScope, data: str | None) -> str | None:
    channel = scope.channel
    if channel is None:
        return None
    key = (data or "")[:1].lower()
    if not data:
        scope.warn("Must specify type of timeout to get.")
        return None
    if key not in TIMEOUT_ITEMS:
        scope.warn("Unknown timeout type specified.")
        return None
    if key == "a":
        deadline = channel.channel_item(TIMEOUT_ITEMS["a"])
        if not deadline:
            return "0"
        left = int(deadline) - int(scope.now().timestamp() * 1000)
        return f"{left / 1000:.3f}"
    return f"{timeout_ms(channel, key) / 1000:.3f}"


def _write(scope: FunctionScope, data: str | None, value: str) -> bool:
    channel = scope.channel
    if channel is None:
        return False
    if not data:
        scope.warn("Must specify type of timeout to set.")
        return False
    key = data[:1].lower()
    if key not in TIMEOUT_ITEMS:
        scope.warn("Unknown timeout type specified.")
        return True
    ms = _parse(value)
    if key == "a":
        if ms:
            when = scope.now() + timedelta(milliseconds=ms)
            channel.set_channel_item(TIMEOUT_ITEMS["a"], str(int(when.timestamp() * 1000)))
            shown = (
                when.astimezone().strftime("%Y-%m-%d %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
            )
            _trace(f"Channel will hangup at {shown} {when.astimezone().strftime('%Z')}.")
        else:
            channel.set_channel_item(TIMEOUT_ITEMS["a"], "")
            _trace("Channel hangup cancelled.")
        return True
    channel.set_channel_item(TIMEOUT_ITEMS[key], str(ms))
    label = "Response" if key == "r" else "Digit"
    _trace(f"{label} timeout set to {ms / 1000:.3f}")
    return True


TIMEOUT_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="TIMEOUT", read=_read, write=_write),
)
