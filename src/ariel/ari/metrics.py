"""``/metrics``: what the Core and the REST front end count, for Prometheus.

REST requests are counted by :class:`RestMetrics` as the dispatcher answers
them (operation ``resource.nickname`` and status, latency histogram); the live
state (channels by state, bridges, calls, Stasis applications and their event
queues) is read from the Core at scrape time by :func:`core_collector`.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable

from ariel._util.prometheus import Family, Registry, Sample
from ariel.core.system import Core

__all__ = ["RestMetrics", "core_collector"]


class RestMetrics:
    """REST requests by operation and status, and their latency."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._requests = registry.counter(
            "ariel_ari_requests_total",
            "ARI REST requests answered, by operation and status code.",
            ("operation", "status"),
        )
        self._latency = registry.histogram(
            "ariel_ari_request_duration_seconds",
            "Time to answer an ARI REST request, by operation.",
            ("operation",),
        )

    def observe(self, operation: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self._requests.inc(operation, str(status))
        self._latency.observe(seconds, operation)


def core_collector(core: Core) -> Iterable[Family]:
    """The live state of ``core`` as metric families."""
    states = Tally(c.snapshot().state for c in core.channels)
    bridges = Tally((b.snapshot().technology, b.snapshot().bridge_type) for b in core.bridges)
    families = [
        Family(
            "ariel_channels",
            "gauge",
            "Live channels by state.",
            [Sample({"state": s}, n) for s, n in sorted(states.items())],
        ),
        Family(
            "ariel_bridges",
            "gauge",
            "Live bridges by technology and type.",
            [Sample({"technology": t, "type": k}, n) for (t, k), n in sorted(bridges.items())],
        ),
    ]
    pbx = core.pbx
    if pbx is not None:
        families += [
            Family(
                "ariel_calls_active",
                "gauge",
                "Calls running the dialplan now.",
                [Sample({}, pbx.active_calls)],
            ),
            Family(
                "ariel_calls_total",
                "counter",
                "Calls that entered the dialplan since start.",
                [Sample({}, pbx.processed_calls)],
            ),
            Family(
                "ariel_calls_ended_total",
                "counter",
                "Dialplan calls ended, by Q.850 hangup cause.",
                [Sample({"cause": str(c)}, n) for c, n in sorted(pbx.ended_by_cause.items())],
            ),
        ]
    apps = [a for a in core.apps.all() if a.active]
    families += [
        Family(
            "ariel_stasis_apps",
            "gauge",
            "Stasis applications held by an event socket.",
            [Sample({}, len(apps))],
        ),
        Family(
            "ariel_event_queue_depth",
            "gauge",
            "Events waiting to be written to each application's socket.",
            [Sample({"app": a.name}, int(getattr(a.listener, "queued", 0))) for a in apps],
        ),
    ]
    return families
