"""The process's open-file limit: every call holds sockets (SIP, RTP and RTCP per leg).

The reference sets both limits to asterisk.conf's ``maxfiles`` when it is given. Ariel
does the same, as far as the system lets an unprivileged process: the soft limit goes
up to ``maxfiles`` (or, without it, to the hard limit), the hard limit only where the
process may raise it.
"""

from __future__ import annotations

import logging
import resource

__all__ = ["raise_open_file_limit"]

log = logging.getLogger("ariel.net")

#: Where an unlimited hard limit is capped (Linux refuses more than ``fs.nr_open``).
_CAP = 1 << 20


def raise_open_file_limit(maxfiles: int = 0) -> tuple[int, int]:
    """Raise ``RLIMIT_NOFILE``: to ``maxfiles`` if given, else the soft limit to the hard.

    Args:
        maxfiles: asterisk.conf ``[options] maxfiles`` (0: not set).

    Returns:
        The (soft, hard) limits in force afterwards.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = hard == resource.RLIM_INFINITY
    top = _CAP if unlimited else hard
    wanted: list[tuple[int, int]] = []
    if maxfiles > 0:
        # Both limits to maxfiles as the reference; the hard one is never lowered.
        wanted.append((maxfiles, hard if unlimited or hard >= maxfiles else maxfiles))
        wanted.append((min(maxfiles, top), hard))
    elif soft != resource.RLIM_INFINITY and soft < top:
        wanted.append((top, hard))
    for new_soft, new_hard in wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new_soft, new_hard))
        except (OSError, ValueError) as exc:
            log.debug("cannot set the open-file limit to %d/%d: %s", new_soft, new_hard, exc)
            continue
        break
    else:
        if wanted:
            log.warning("cannot raise the open-file limit from %d (maxfiles %d)", soft, maxfiles)
    return resource.getrlimit(resource.RLIMIT_NOFILE)
