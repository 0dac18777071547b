"""Session timers (RFC 4028) as the called side negotiates them.

Theory of operation: a UAC that supports timers says so (``Supported: timer``)
and may ask for an interval (``Session-Expires: 1800;refresher=uac``). The UAS
refuses an interval below its minimum with 422 and ``Min-SE`` (§8.1: "If the
value of the Session-Expires header field is less than the minimum ... the
proxy or UAS MUST reject the request with a 422"). Otherwise its 2xx carries
``Session-Expires`` with the refresher, and ``Require: timer`` when the
refresher is the UAC (§9: "the UAS MUST ... place the 'timer' option tag in a
Require header field"). The refresher must send a refresh (re-INVITE or
UPDATE) within the interval; if none comes, the other side ends the session
with BYE (§10). When the UAS refreshes, it sends UPDATE at half the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from ariel.sip.headers import Headers

__all__ = ["DEFAULT_INTERVAL", "MIN_SE", "SessionTimer", "negotiate_session_timer"]

#: Our minimum interval (Min-SE), and the one we offer when the UAC names none
#: (the reference's ``timers_min_se`` and ``timers_sess_expires``).
MIN_SE = 90
DEFAULT_INTERVAL = 1800


@dataclass(frozen=True, slots=True)
class SessionTimer:
    """What was agreed: the interval in seconds and who refreshes."""

    interval: int
    refresher: str  # "uac" or "uas"

    def headers(self) -> list[tuple[str, str]]:
        """The header fields of a 2xx that establishes or refreshes the session."""
        out = [("Session-Expires", f"{self.interval};refresher={self.refresher}")]
        if self.refresher == "uac":
            out.append(("Require", "timer"))
        return out

    @property
    def watch_seconds(self) -> float:
        """When we act: refresh at half the interval, or give up when it ends."""
        return self.interval / 2 if self.refresher == "uas" else float(self.interval)


def _option_tags(headers: Headers, name: str) -> set[str]:
    return {tag.strip().lower() for tag in headers.get_all(name) if tag.strip()}


def negotiate_session_timer(
    headers: Headers, *, min_se: int = MIN_SE, default: int = DEFAULT_INTERVAL
) -> SessionTimer | int | None:
    """The timer for a request with ``headers``.

    Returns:
        A :class:`SessionTimer`; an ``int`` -- the Min-SE to answer 422 with --
        when the requested interval is too short; ``None`` when the UAC neither
        supports nor asks for timers.
    """
    supported = "timer" in _option_tags(headers, "Supported") | _option_tags(headers, "Require")
    raw = headers.get("Session-Expires")
    if raw is None:
        return SessionTimer(default, "uac") if supported else None
    value, *params = raw.split(";")
    try:
        interval = int(value.strip())
    except ValueError:
        return SessionTimer(default, "uac") if supported else None
    if interval < min_se:
        return min_se
    refresher = ""
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "refresher":
            refresher = val.strip().lower()
    if refresher not in ("uac", "uas"):
        refresher = "uac" if supported else "uas"
    return SessionTimer(interval, refresher)
