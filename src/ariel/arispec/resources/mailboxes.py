"""The ``mailboxes`` resource: mailboxes resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="mailboxes",
    description="Mailboxes resources",
    requires_modules=("res_stasis_mailbox",),
    models=("Mailbox",),
    operations=(
        Operation(
            resource="mailboxes",
            nickname="list",
            method="GET",
            path="/mailboxes",
            response_class="List[Mailbox]",
            summary="List the mailboxes that applications control.",
            since=("12.1.0",),
        ),
        Operation(
            resource="mailboxes",
            nickname="get",
            method="GET",
            path="/mailboxes/{mailboxName}",
            response_class="Mailbox",
            summary="Read the message counts of one mailbox.",
            params=(
                Param(
                    name="mailboxName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the mailbox.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Mailbox not found"),),
            since=("12.1.0",),
        ),
        Operation(
            resource="mailboxes",
            nickname="update",
            method="PUT",
            path="/mailboxes/{mailboxName}",
            response_class="void",
            summary="Set the message counts of a mailbox.",
            params=(
                Param(
                    name="mailboxName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the mailbox.",
                ),
                Param(
                    name="oldMessages",
                    param_type="query",
                    data_type="int",
                    required=True,
                    description="Number of read messages.",
                ),
                Param(
                    name="newMessages",
                    param_type="query",
                    data_type="int",
                    required=True,
                    description="Number of unread messages.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Mailbox not found"),),
            success_code=204,
            since=("12.1.0",),
        ),
        Operation(
            resource="mailboxes",
            nickname="delete",
            method="DELETE",
            path="/mailboxes/{mailboxName}",
            response_class="void",
            summary="Forget a mailbox.",
            params=(
                Param(
                    name="mailboxName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the mailbox.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Mailbox not found"),),
            success_code=204,
            since=("12.1.0",),
        ),
    ),
)
