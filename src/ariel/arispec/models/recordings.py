"""Models of the ``recordings`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="StoredRecording",
        resource="recordings",
        description="A finished recording kept on disk.",
        fields=(
            Field(name="name", type="string", required=True, description="Name of the recording."),
            Field(name="format", type="string", required=True, description="File format."),
        ),
    ),
    Model(
        id="LiveRecording",
        resource="recordings",
        description="A recording in progress or just ended.",
        fields=(
            Field(name="name", type="string", required=True, description="Name of the recording."),
            Field(name="format", type="string", required=True, description="File format."),
            Field(
                name="target_uri",
                type="string",
                required=True,
                description="What is recorded: channel:ID or bridge:ID.",
            ),
            Field(
                name="state",
                type="string",
                required=True,
                allowable_values=("queued", "recording", "paused", "done", "failed", "canceled"),
                description="State of the recording.",
            ),
            Field(name="duration", type="int", description="Seconds recorded so far."),
            Field(name="talking_duration", type="int", description="Seconds of talking recorded."),
            Field(name="silence_duration", type="int", description="Seconds of silence recorded."),
            Field(name="cause", type="string", description="Why the recording failed."),
        ),
    ),
)
