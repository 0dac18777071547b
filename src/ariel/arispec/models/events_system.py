"""Events about applications, endpoints, devices and REST over WebSocket.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="DeviceStateChanged",
        resource="events",
        description="A device changed state.",
        fields=(
            Field(
                name="device_state",
                type="DeviceState",
                required=True,
                description="The device and its new state.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="ApplicationRegistered",
        resource="events",
        description="The application was registered.",
        extends="Event",
    ),
    Model(
        id="ApplicationUnregistered",
        resource="events",
        description="The application was unregistered.",
        extends="Event",
    ),
    Model(
        id="ApplicationReplaced",
        resource="events",
        description="Another WebSocket took this application over.",
        extends="Event",
    ),
    Model(
        id="ContactStatusChange",
        resource="events",
        description="The reachability of a SIP contact changed.",
        fields=(
            Field(
                name="endpoint",
                type="Endpoint",
                required=True,
                description="The endpoint concerned.",
            ),
            Field(
                name="contact_info",
                type="ContactInfo",
                required=True,
                description="The contact and its reachability.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="PeerStatusChange",
        resource="events",
        description="The status of a peer changed.",
        fields=(
            Field(
                name="endpoint",
                type="Endpoint",
                required=True,
                description="The endpoint concerned.",
            ),
            Field(name="peer", type="Peer", required=True, description="The peer and its status."),
        ),
        extends="Event",
    ),
    Model(
        id="EndpointStateChange",
        resource="events",
        description="An endpoint changed state.",
        fields=(
            Field(
                name="endpoint",
                type="Endpoint",
                required=True,
                description="The endpoint concerned.",
            ),
        ),
        extends="Event",
    ),
    Model(
        id="TextMessageReceived",
        resource="events",
        description="A text message arrived.",
        fields=(
            Field(name="message", type="TextMessage", required=True, description="The message."),
            Field(name="endpoint", type="Endpoint", description="Endpoint it came from."),
        ),
        extends="Event",
    ),
    Model(
        id="RESTResponse",
        resource="events",
        description="The answer to a REST request sent on the event WebSocket.",
        fields=(
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
            Field(name="status_code", type="int", required=True, description="HTTP status code."),
            Field(
                name="reason_phrase",
                type="string",
                required=True,
                description="HTTP reason phrase.",
            ),
            Field(
                name="uri",
                type="string",
                required=True,
                description="Resource path of the request.",
            ),
            Field(
                name="content_type", type="string", description="Content type of the message body."
            ),
            Field(name="message_body", type="string", description="Body, as a string."),
        ),
        extends="Event",
    ),
)
