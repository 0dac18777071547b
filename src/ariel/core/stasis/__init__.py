"""Stasis: ARI applications, their subscriptions, filters and event routing."""

from ariel.core.stasis.apps import (
    Applications,
    AppNotFound,
    EventListener,
    EventSourceError,
    StasisApp,
)

__all__ = ["AppNotFound", "Applications", "EventListener", "EventSourceError", "StasisApp"]
