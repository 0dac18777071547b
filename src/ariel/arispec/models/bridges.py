"""Models of the ``bridges`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Bridge",
        resource="bridges",
        description="A group of channels that exchange media.",
        fields=(
            Field(name="id", type="string", required=True, description="Unique id of the bridge."),
            Field(
                name="technology",
                type="string",
                required=True,
                description="Mixing technology in use.",
            ),
            Field(
                name="bridge_type",
                type="string",
                required=True,
                allowable_values=("mixing", "holding"),
                description="Kind of bridge.",
            ),
            Field(
                name="bridge_class",
                type="string",
                required=True,
                description="Class of the bridge (who made it).",
            ),
            Field(
                name="creator", type="string", required=True, description="Who created the bridge."
            ),
            Field(
                name="name",
                type="string",
                required=True,
                description="Name of the bridge, for people.",
            ),
            Field(
                name="channels",
                type="List[string]",
                required=True,
                description="Ids of the channels in the bridge.",
            ),
            Field(name="video_mode", type="string", description="How the video source is chosen."),
            Field(
                name="video_source_id",
                type="string",
                description="Channel whose video is shown, when pinned.",
            ),
            Field(
                name="creationtime",
                type="Date",
                required=True,
                description="When the bridge was created.",
            ),
            Field(
                name="bridgevars",
                type="object",
                description="Variables chosen for reporting in events.",
            ),
        ),
    ),
)
