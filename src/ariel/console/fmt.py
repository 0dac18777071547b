"""Small formatting helpers shared by the console commands (C printf habits)."""

from __future__ import annotations

__all__ = ["ess", "fit", "hhmmss", "uptime_text"]


def ess(n: int) -> str:
    """Asterisk's ``ESS()``: an ``s`` unless ``n`` is 1."""
    return "" if n == 1 else "s"


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``%-W.Ws`` (``%W.Ws`` with ``right``): padded and cut to ``width``."""
    cut = text[:width]
    return cut.rjust(width) if right else cut.ljust(width)


def hhmmss(seconds: float) -> str:
    """``ast_format_duration_hh_mm_ss``: ``01:02:03``."""
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def uptime_text(seconds: float) -> str:
    """main/cli.c ``print_uptimestr``: ``1 hour, 2 minutes, 3 seconds``."""
    total = max(0, int(seconds))
    units = (
        ("year", 365 * 86400),
        ("week", 7 * 86400),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    )
    parts: list[str] = []
    for name, size in units:
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count} {name}{ess(count)}")
    if total or not parts:
        parts.append(f"{total} second{ess(total)}")
    return ", ".join(parts)
