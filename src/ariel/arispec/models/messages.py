"""Bases of the WebSocket messages and the helper models of events.json.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Message",
        resource="events",
        description="Base of everything sent on the event WebSocket.",
        fields=(
            Field(
                name="type",
                type="string",
                required=True,
                description="Name of the message type (the model name).",
            ),
            Field(
                name="asterisk_id",
                type="string",
                description="Entity id of the server that sent it.",
            ),
        ),
        subtypes=("MissingParams", "Event"),
        discriminator="type",
    ),
    Model(
        id="MissingParams",
        resource="events",
        description="Error sent when a request lacked required parameters.",
        fields=(
            Field(
                name="params",
                type="List[string]",
                required=True,
                description="Names of the parameters that were missing.",
            ),
        ),
        extends="Message",
    ),
    Model(
        id="Event",
        resource="events",
        description="Base of the events sent to applications.",
        fields=(
            Field(
                name="application",
                type="string",
                required=True,
                description="Application that receives the event.",
            ),
            Field(
                name="timestamp",
                type="Date",
                required=True,
                description="When the event was created.",
            ),
        ),
        extends="Message",
        subtypes=(
            "DeviceStateChanged",
            "PlaybackStarted",
            "PlaybackContinuing",
            "PlaybackFinished",
            "RecordingStarted",
            "RecordingFinished",
            "RecordingFailed",
            "ApplicationMoveFailed",
            "ApplicationRegistered",
            "ApplicationUnregistered",
            "ApplicationReplaced",
            "BridgeCreated",
            "BridgeDestroyed",
            "BridgeMerged",
            "BridgeBlindTransfer",
            "BridgeAttendedTransfer",
            "BridgeVideoSourceChanged",
            "ChannelCreated",
            "ChannelDestroyed",
            "ChannelEnteredBridge",
            "ChannelLeftBridge",
            "ChannelStateChange",
            "ChannelDtmfReceived",
            "ChannelDialplan",
            "ChannelCallerId",
            "ChannelUserevent",
            "ChannelHangupRequest",
            "ChannelVarset",
            "ChannelToneDetected",
            "ChannelTalkingStarted",
            "ChannelTalkingFinished",
            "ChannelHold",
            "ChannelUnhold",
            "ContactStatusChange",
            "EndpointStateChange",
            "Dial",
            "StasisEnd",
            "StasisStart",
            "TextMessageReceived",
            "ChannelConnectedLine",
            "PeerStatusChange",
            "ChannelTransfer",
            "RESTResponse",
            "CallBroadcast",
            "CallClaimed",
        ),
    ),
    Model(
        id="ContactInfo",
        resource="events",
        description="Reachability of a SIP contact.",
        fields=(
            Field(name="uri", type="string", required=True, description="URI of the contact."),
            Field(
                name="contact_status",
                type="string",
                required=True,
                allowable_values=("Unreachable", "Reachable", "Unknown", "NonQualified", "Removed"),
                description="Reachability of the contact.",
            ),
            Field(
                name="aor",
                type="string",
                required=True,
                description="Address of record the contact belongs to.",
            ),
            Field(
                name="roundtrip_usec",
                type="string",
                description="Round-trip time of the last check, in microseconds.",
            ),
        ),
    ),
    Model(
        id="Peer",
        resource="events",
        description="Status of a peer.",
        fields=(
            Field(
                name="peer_status", type="string", required=True, description="Status of the peer."
            ),
            Field(name="cause", type="string", description="Why the status changed."),
            Field(name="address", type="string", description="IP address of the peer."),
            Field(name="port", type="string", description="Port of the peer."),
            Field(name="time", type="string", description="When the status changed."),
        ),
    ),
    Model(
        id="ReferTo",
        resource="events",
        description="Where a transfer request asks to go.",
        fields=(
            Field(
                name="requested_destination",
                type="RequiredDestination",
                required=True,
                description="The destination as requested.",
            ),
            Field(
                name="destination_channel",
                type="Channel",
                description="Channel at the destination, when known.",
            ),
            Field(
                name="connected_channel",
                type="Channel",
                description="Channel connected to the destination channel.",
            ),
            Field(name="bridge", type="Bridge", description="Bridge of the destination channel."),
        ),
    ),
    Model(
        id="ReferredBy",
        resource="events",
        description="Who sent a transfer request.",
        fields=(
            Field(
                name="source_channel",
                type="Channel",
                required=True,
                description="Channel that received the transfer request.",
            ),
            Field(name="connected_channel", type="Channel", description="Channel connected to it."),
            Field(name="bridge", type="Bridge", description="Bridge of the source channel."),
        ),
    ),
    Model(
        id="RequiredDestination",
        resource="events",
        description="The destination a transfer request names.",
        fields=(
            Field(
                name="protocol_id",
                type="string",
                description="Call id of the destination, for attended transfers.",
            ),
            Field(
                name="destination",
                type="string",
                description="Destination as given in the request.",
            ),
            Field(
                name="additional_protocol_params",
                type="List[AdditionalParam]",
                description="Extra protocol parameters.",
            ),
        ),
    ),
    Model(
        id="AdditionalParam",
        resource="events",
        description="An extra protocol parameter of a transfer request.",
        fields=(
            Field(
                name="parameter_name",
                type="string",
                required=True,
                description="Name of the parameter.",
            ),
            Field(
                name="parameter_value",
                type="string",
                required=True,
                description="Value of the parameter.",
            ),
        ),
    ),
    Model(
        id="RESTHeader",
        resource="events",
        description="One HTTP header of a request sent over the WebSocket.",
        fields=(
            Field(name="name", type="string", required=True, description="Header name."),
            Field(name="value", type="string", required=True, description="Header value."),
        ),
    ),
    Model(
        id="RESTQueryStringParameter",
        resource="events",
        description="One query parameter of a request sent over the WebSocket.",
        fields=(
            Field(name="name", type="string", required=True, description="Parameter name."),
            Field(name="value", type="string", required=True, description="Parameter value."),
        ),
    ),
    Model(
        id="RESTRequest",
        resource="events",
        description="A REST request sent on the event WebSocket.",
        fields=(
            Field(name="type", type="string", required=True, description="Always RESTRequest."),
            Field(
                name="transaction_id",
                type="string",
                required=True,
                description="Id of the transaction, echoed from the request.",
            ),
            Field(
                name="request_id",
                type="string",
                required=True,
                description="Id of the request, echoed from the request.",
            ),
            Field(name="method", type="string", required=True, description="HTTP method."),
            Field(
                name="uri",
                type="string",
                required=True,
                description=(
                    "Resource path under /ari, without a leading slash; may carry a query."
                ),
            ),
            Field(
                name="content_type", type="string", description="Content type of the message body."
            ),
            Field(
                name="query_strings",
                type="List[RESTQueryStringParameter]",
                description="Query parameters.",
            ),
            Field(name="message_body", type="string", description="Body, as a string."),
        ),
    ),
)
