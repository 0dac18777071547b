"""Models of the ``mailboxes`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="Mailbox",
        resource="mailboxes",
        description="Message counts of a mailbox.",
        fields=(
            Field(name="name", type="string", required=True, description="Name of the mailbox."),
            Field(
                name="old_messages",
                type="int",
                required=True,
                description="Number of read messages.",
            ),
            Field(
                name="new_messages",
                type="int",
                required=True,
                description="Number of unread messages.",
            ),
        ),
    ),
)
