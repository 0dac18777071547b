"""The ``events`` resource: websocket resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="events",
    description="WebSocket resource",
    requires_modules=("res_http_websocket",),
    models=(
        "Message",
        "MissingParams",
        "Event",
        "ContactInfo",
        "Peer",
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
        "BridgeVideoSourceChanged",
        "BridgeBlindTransfer",
        "BridgeAttendedTransfer",
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
        "ChannelHold",
        "ChannelUnhold",
        "ChannelToneDetected",
        "ChannelTalkingStarted",
        "ChannelTalkingFinished",
        "ContactStatusChange",
        "PeerStatusChange",
        "EndpointStateChange",
        "Dial",
        "StasisEnd",
        "StasisStart",
        "TextMessageReceived",
        "ChannelConnectedLine",
        "ChannelTransfer",
        "ReferTo",
        "ReferredBy",
        "RequiredDestination",
        "AdditionalParam",
        "RESTHeader",
        "RESTQueryStringParameter",
        "RESTRequest",
        "RESTResponse",
        "CallBroadcast",
        "CallClaimed",
    ),
    operations=(
        Operation(
            resource="events",
            nickname="eventWebsocket",
            method="GET",
            path="/events",
            response_class="Message",
            summary="Open the WebSocket that carries events to applications.",
            params=(
                Param(
                    name="app",
                    param_type="query",
                    data_type="string",
                    required=True,
                    allow_multiple=True,
                    description=("Applications to register on this socket, comma-separated."),
                ),
                Param(
                    name="subscribeAll",
                    param_type="query",
                    data_type="boolean",
                    description="Subscribe the applications to every event source.",
                ),
            ),
            since=("12.0.0",),
            upgrade="websocket",
        ),
        Operation(
            resource="events",
            nickname="userEvent",
            method="POST",
            path="/events/user/{eventName}",
            response_class="void",
            summary="Send an event of the client's own to an application.",
            params=(
                Param(
                    name="eventName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the user event.",
                ),
                Param(
                    name="application",
                    param_type="query",
                    data_type="string",
                    required=True,
                    missing_message="Missing parameter application",
                    description="Application that receives the event.",
                ),
                Param(
                    name="source",
                    param_type="query",
                    data_type="string",
                    allow_multiple=True,
                    description=(
                        "Objects the event is about: channel:, bridge:, endpoint: "
                        "or deviceState: URIs."
                    ),
                ),
                Param(
                    name="variables",
                    param_type="body",
                    data_type="containers",
                    description=("Body whose `variables` key holds fields added to the event."),
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Application does not exist."),
                ErrorResponse(code=422, reason="Event source not found."),
                ErrorResponse(code=400, reason="Invalid even tsource URI or userevent data."),
            ),
            success_code=204,
            since=("12.3.0",),
        ),
        Operation(
            resource="events",
            nickname="claimChannel",
            method="POST",
            path="/events/claim",
            response_class="void",
            summary=("Claim a broadcast channel for an application; the first claim wins."),
            params=(
                Param(
                    name="channelId",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Id of the broadcast channel to claim.",
                ),
                Param(
                    name="application",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Application that claims the channel.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Channel not found or not in broadcast state."),
                ErrorResponse(
                    code=409, reason="Channel has already been claimed by another application."
                ),
            ),
            success_code=204,
            since=("20.17.0", "22.7.0", "23.1.0"),
        ),
    ),
)
