"""ARI ``mailboxes``: message-waiting counts controlled over ARI (``res_stasis_mailbox``)."""

from __future__ import annotations

from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.states import mailbox_json
from ariel.core.errors import InvalidArgument, NotFound
from ariel.core.mailboxes import Mailboxes

__all__ = ["delete", "get", "list_", "update"]

_UPDATE_FAILED = "Error updating mailbox"


def _mailboxes(req: AriRequest) -> Mailboxes:
    mailboxes: Mailboxes = req.core.mailboxes
    return mailboxes


def _count(value: Any) -> int:
    """A message count; absent counts are 0, as the reference's zeroed arguments."""
    if value is None:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise AriError(500, _UPDATE_FAILED) from exc


async def list_(req: AriRequest) -> AriResponse:
    """GET /mailboxes."""
    return ok([mailbox_json(m) for m in _mailboxes(req).list()])


async def get(req: AriRequest) -> AriResponse:
    """GET /mailboxes/{mailboxName}: 404 "Mailbox is does not exist" (sic)."""
    try:
        mailbox = _mailboxes(req).get(req.params["mailboxName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return ok(mailbox_json(mailbox))


async def update(req: AriRequest) -> AriResponse:
    """PUT /mailboxes/{mailboxName}?oldMessages=&newMessages=: create or change."""
    old = _count(req.param("oldMessages"))
    new = _count(req.param("newMessages"))
    try:
        _mailboxes(req).update(req.params["mailboxName"], old, new)
    except InvalidArgument as exc:
        raise AriError(500, exc.message) from exc
    return no_content()


async def delete(req: AriRequest) -> AriResponse:
    """DELETE /mailboxes/{mailboxName}: 404 "Mailbox does not exist"."""
    try:
        _mailboxes(req).delete(req.params["mailboxName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return no_content()
