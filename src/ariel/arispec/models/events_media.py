"""Events about bridges, playbacks and recordings.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="PlaybackStarted",
        resource="events",
        description="A playback started.",
        fields=(
            Field(
                name="playback",
                type="Playback",
                required=True,
                description="The playback concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="PlaybackContinuing",
        resource="events",
        description="A playback moved on to its next media item.",
        fields=(
            Field(
                name="playback",
                type="Playback",
                required=True,
                description="The playback concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="PlaybackFinished",
        resource="events",
        description="A playback ended.",
        fields=(
            Field(
                name="playback",
                type="Playback",
                required=True,
                description="The playback concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="RecordingStarted",
        resource="events",
        description="A recording started.",
        fields=(
            Field(
                name="recording",
                type="LiveRecording",
                required=True,
                description="The recording concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="RecordingFinished",
        resource="events",
        description="A recording ended.",
        fields=(
            Field(
                name="recording",
                type="LiveRecording",
                required=True,
                description="The recording concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="RecordingFailed",
        resource="events",
        description="A recording failed.",
        fields=(
            Field(
                name="recording",
                type="LiveRecording",
                required=True,
                description="The recording concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeCreated",
        resource="events",
        description="A bridge was created.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="The bridge concerned."),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeDestroyed",
        resource="events",
        description="A bridge was destroyed.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="The bridge concerned."),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeMerged",
        resource="events",
        description="One bridge was merged into another.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="Bridge that remains."),
            Field(
                name="bridge_from",
                type="Bridge",
                required=True,
                description="Bridge that was merged away.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeVideoSourceChanged",
        resource="events",
        description="The video source of a bridge changed.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="The bridge concerned."),
            Field(
                name="old_video_source_id",
                type="string",
                description="Channel that was the video source.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeBlindTransfer",
        resource="events",
        description="A blind transfer took place.",
        fields=(
            Field(
                name="channel",
                type="Channel",
                required=True,
                description="Channel that made the transfer.",
            ),
            Field(
                name="replace_channel",
                type="Channel",
                description="Channel that takes the place of another one.",
            ),
            Field(name="transferee", type="Channel", description="Channel being transferred."),
            Field(
                name="exten", type="string", required=True, description="Extension transferred to."
            ),
            Field(
                name="context", type="string", required=True, description="Context transferred to."
            ),
            Field(
                name="result", type="string", required=True, description="Outcome of the transfer."
            ),
            Field(
                name="is_external",
                type="boolean",
                required=True,
                description=("Whether the transfer was started from outside the server."),
            ),
            Field(name="bridge", type="Bridge", description="Bridge being transferred."),
        ),
        extends="Event",
    ),
    Model(
        id="BridgeAttendedTransfer",
        resource="events",
        description="An attended transfer took place.",
        fields=(
            Field(
                name="transferer_first_leg",
                type="Channel",
                required=True,
                description="First call of the party transferring.",
            ),
            Field(
                name="transferer_second_leg",
                type="Channel",
                required=True,
                description="Second call of the party transferring.",
            ),
            Field(
                name="replace_channel",
                type="Channel",
                description="Channel that takes the place of another one.",
            ),
            Field(name="transferee", type="Channel", description="Channel being transferred."),
            Field(
                name="transfer_target", type="Channel", description="Channel being transferred to."
            ),
            Field(
                name="result", type="string", required=True, description="Outcome of the transfer."
            ),
            Field(
                name="is_external",
                type="boolean",
                required=True,
                description=("Whether the transfer was started from outside the server."),
            ),
            Field(
                name="transferer_first_leg_bridge",
                type="Bridge",
                description="Bridge of the first call.",
            ),
            Field(
                name="transferer_second_leg_bridge",
                type="Bridge",
                description="Bridge of the second call.",
            ),
            Field(
                name="destination_type",
                type="string",
                required=True,
                description="How the transfer was completed.",
            ),
            Field(
                name="destination_bridge", type="string", description="Bridge left after a merge."
            ),
            Field(
                name="destination_application",
                type="string",
                description="Application transferred into.",
            ),
            Field(
                name="destination_link_first_leg",
                type="Channel",
                description="First channel of a link result.",
            ),
            Field(
                name="destination_link_second_leg",
                type="Channel",
                description="Second channel of a link result.",
            ),
            Field(
                name="destination_threeway_channel",
                type="Channel",
                description="Channel left in a three-way result.",
            ),
            Field(
                name="destination_threeway_bridge",
                type="Bridge",
                description="Bridge left in a three-way result.",
            ),
        ),
        extends="Event",
    ),
)
