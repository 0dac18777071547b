"""Events about channels and their life in an application.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="ApplicationMoveFailed",
        resource="events",
        description="A channel could not be moved to another application.",
        fields=(
            Field(
                name="channel",
                type="Channel",
                required=True,
                description="Channel that could not be moved.",
            ),
            Field(
                name="destination",
                type="string",
                required=True,
                description="Application it was to move to.",
            ),
            Field(
                name="args",
                type="List[string]",
                required=True,
                description="Arguments meant for that application.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelCreated",
        resource="events",
        description="A channel was created.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelDestroyed",
        resource="events",
        description="A channel was destroyed.",
        fields=(
            Field(name="cause", type="int", required=True, description="Hangup cause code."),
            Field(
                name="cause_txt", type="string", required=True, description="Hangup cause as text."
            ),
            Field(
                name="tech_cause",
                type="int",
                description="Cause code of the channel technology, e.g. a SIP status.",
            ),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelEnteredBridge",
        resource="events",
        description="A channel joined a bridge.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="The bridge concerned."),
            Field(name="channel", type="Channel", description="The channel concerned."),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelLeftBridge",
        resource="events",
        description="A channel left a bridge.",
        fields=(
            Field(name="bridge", type="Bridge", required=True, description="The bridge concerned."),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelStateChange",
        resource="events",
        description="A channel changed state.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelDtmfReceived",
        resource="events",
        description="A DTMF digit ended on a channel.",
        fields=(
            Field(
                name="digit",
                type="string",
                required=True,
                description="Digit received (0-9, A-E, * or #).",
            ),
            Field(
                name="duration_ms",
                type="int",
                required=True,
                description="How long the digit lasted, in milliseconds.",
            ),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelDialplan",
        resource="events",
        description="A channel moved to another place in the dialplan.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
            Field(
                name="dialplan_app",
                type="string",
                required=True,
                description="Dialplan application about to run.",
            ),
            Field(
                name="dialplan_app_data",
                type="string",
                required=True,
                description="Arguments of that application.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelCallerId",
        resource="events",
        description="The caller ID of a channel changed.",
        fields=(
            Field(
                name="caller_presentation",
                type="int",
                required=True,
                description="Caller ID presentation, as a number.",
            ),
            Field(
                name="caller_presentation_txt",
                type="string",
                required=True,
                description="Caller ID presentation, as text.",
            ),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelUserevent",
        resource="events",
        description="A user event, carrying the fields its sender chose.",
        fields=(
            Field(
                name="eventname",
                type="string",
                required=True,
                description="Name of the user event.",
            ),
            Field(name="channel", type="Channel", description="The channel concerned."),
            Field(name="bridge", type="Bridge", description="The bridge concerned."),
            Field(name="endpoint", type="Endpoint", description="The endpoint concerned."),
            Field(
                name="userevent",
                type="object",
                required=True,
                description="Fields the sender attached.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelHangupRequest",
        resource="events",
        description="A hangup of a channel was asked for.",
        fields=(
            Field(name="cause", type="int", description="Hangup cause code."),
            Field(
                name="tech_cause",
                type="int",
                description="Cause code of the channel technology, e.g. a SIP status.",
            ),
            Field(name="soft", type="boolean", description="Whether it was a soft hangup request."),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelVarset",
        resource="events",
        description="A variable was set.",
        fields=(
            Field(
                name="variable", type="string", required=True, description="Name of the variable."
            ),
            Field(name="value", type="string", required=True, description="New value."),
            Field(
                name="channel",
                type="Channel",
                description="Channel of the variable; absent for a global variable.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelHold",
        resource="events",
        description="A channel put its media on hold.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
            Field(
                name="musicclass",
                type="string",
                description="Music class the holding party suggests.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelUnhold",
        resource="events",
        description="A channel took its media off hold.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelToneDetected",
        resource="events",
        description="A tone was detected on a channel.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelTalkingStarted",
        resource="events",
        description="Someone started talking on a channel.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelTalkingFinished",
        resource="events",
        description="Someone stopped talking on a channel.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
            Field(
                name="duration",
                type="int",
                required=True,
                description="How long the talking lasted, in milliseconds.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="Dial",
        resource="events",
        description="Progress of a dial attempt.",
        fields=(
            Field(name="caller", type="Channel", description="Channel placing the call."),
            Field(name="peer", type="Channel", required=True, description="Channel being called."),
            Field(name="forward", type="string", description="Where the call was forwarded to."),
            Field(name="forwarded", type="Channel", description="Channel created by the forward."),
            Field(name="dialstring", type="string", description="What was dialed."),
            Field(
                name="dialstatus",
                type="string",
                required=True,
                description="Progress of the dial (e.g. RINGING, ANSWER, BUSY).",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="StasisEnd",
        resource="events",
        description="A channel left the application.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="StasisStart",
        resource="events",
        description="A channel entered the application.",
        fields=(
            Field(
                name="args",
                type="List[string]",
                required=True,
                description="Arguments passed to the application.",
            ),
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
            Field(
                name="replace_channel",
                type="Channel",
                description="Channel this one replaces, after a transfer.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelConnectedLine",
        resource="events",
        description="The connected line of a channel changed.",
        fields=(
            Field(
                name="channel", type="Channel", required=True, description="The channel concerned."
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ChannelTransfer",
        resource="events",
        description="A transfer request left to the application.",
        fields=(
            Field(name="state", type="string", description="State of the transfer."),
            Field(
                name="refer_to",
                type="ReferTo",
                required=True,
                description="Where the transfer asks to go.",
            ),
            Field(
                name="referred_by",
                type="ReferredBy",
                required=True,
                description="Who asked for the transfer.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="CallBroadcast",
        resource="events",
        description="A channel is offered to several applications.",
        fields=(
            Field(name="channel", type="Channel", required=True, description="Channel on offer."),
            Field(name="caller", type="string", description="Caller number."),
            Field(name="called", type="string", description="Called number."),
        ),
        extends="Event",
    ),
    Model(
        id="CallClaimed",
        resource="events",
        description="A broadcast channel was claimed.",
        fields=(
            Field(
                name="channel",
                type="Channel",
                required=True,
                description="Channel that was claimed.",
            ),
            Field(
                name="winner_app",
                type="string",
                required=True,
                description="Application that won the claim.",
            ),
        ),
        extends="Event",
    ),
)
