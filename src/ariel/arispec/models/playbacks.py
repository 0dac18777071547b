"""Models of the ``playbacks`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Playback",
        resource="playbacks",
        description="Media being played to a channel or bridge.",
        fields=(
            Field(
                name="id", type="string", required=True, description="Unique id of the playback."
            ),
            Field(
                name="media_uri", type="string", required=True, description="Media being played."
            ),
            Field(name="next_media_uri", type="string", description="Media to play next, if any."),
            Field(
                name="target_uri",
                type="string",
                required=True,
                description="Where it plays: channel:ID or bridge:ID.",
            ),
            Field(name="language", type="string", description="Language of the media."),
            Field(
                name="state",
                type="string",
                required=True,
                allowable_values=("queued", "playing", "continuing", "done", "failed"),
                description="State of the playback.",
            ),
        ),
    ),
)
