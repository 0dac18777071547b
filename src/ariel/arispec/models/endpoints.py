"""Models of the ``endpoints`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Endpoint",
        resource="endpoints",
        description=("Something calls are placed to or received from, such as a SIP peer."),
        fields=(
            Field(
                name="technology",
                type="string",
                required=True,
                description="Channel technology, e.g. PJSIP.",
            ),
            Field(
                name="resource",
                type="string",
                required=True,
                description="Name of the endpoint within its technology.",
            ),
            Field(
                name="state",
                type="string",
                allowable_values=("unknown", "offline", "online"),
                description="Whether the endpoint is reachable.",
            ),
            Field(
                name="channel_ids",
                type="List[string]",
                required=True,
                description="Ids of the channels of this endpoint.",
            ),
        ),
    ),
    Model(
        id="TextMessage",
        resource="endpoints",
        description="A text message to or from an endpoint.",
        fields=(
            Field(name="from", type="string", required=True, description="Sender."),
            Field(name="to", type="string", required=True, description="Recipient."),
            Field(name="body", type="string", required=True, description="Text of the message."),
            Field(
                name="variables",
                type="object",
                description="Technology-specific extras, such as headers.",
            ),
        ),
    ),
)
