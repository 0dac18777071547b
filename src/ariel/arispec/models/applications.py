"""Models of the ``applications`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Application",
        resource="applications",
        description="A Stasis application and what it is subscribed to.",
        fields=(
            Field(
                name="name", type="string", required=True, description="Name of the application."
            ),
            Field(
                name="channel_ids",
                type="List[string]",
                required=True,
                description="Channels it is subscribed to.",
            ),
            Field(
                name="bridge_ids",
                type="List[string]",
                required=True,
                description="Bridges it is subscribed to.",
            ),
            Field(
                name="endpoint_ids",
                type="List[string]",
                required=True,
                description="Endpoints it is subscribed to.",
            ),
            Field(
                name="device_names",
                type="List[string]",
                required=True,
                description="Devices it is subscribed to.",
            ),
            Field(
                name="events_allowed",
                type="List[object]",
                required=True,
                description="Event types it receives; empty allows all.",
            ),
            Field(
                name="events_disallowed",
                type="List[object]",
                required=True,
                description="Event types it never receives.",
            ),
        ),
    ),
)
