"""mailboxes handlers: codes and messages of the golden mailboxes trace."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import mailboxes
from ariel.arispec import REGISTRY
from ariel.core.astdb import AstDB
from ariel.core.mailboxes import Mailboxes


@pytest.fixture
def core() -> SimpleNamespace:
    return SimpleNamespace(mailboxes=Mailboxes(AstDB(None)))


def _req(core: Any, nickname: str, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"mailboxes.{nickname}"),
        params=params,
        body=None,
        core=core,
        user="asterisk",
    )


async def test_golden_mailbox_sequence(core: SimpleNamespace) -> None:
    put = await mailboxes.update(
        _req(core, "update", mailboxName="conf-mbox", oldMessages=3, newMessages=1)
    )
    assert put.status == 204
    got = await mailboxes.get(_req(core, "get", mailboxName="conf-mbox"))
    assert (got.status, got.body) == (
        200,
        {"name": "conf-mbox", "old_messages": 3, "new_messages": 1},
    )

    await mailboxes.update(
        _req(core, "update", mailboxName="conf-mbox", oldMessages=0, newMessages=0)
    )
    got = await mailboxes.get(_req(core, "get", mailboxName="conf-mbox"))
    assert got.body == {"name": "conf-mbox", "old_messages": 0, "new_messages": 0}

    partial = await mailboxes.update(_req(core, "update", mailboxName="conf-mbox", newMessages=1))
    assert partial.status == 204
    got = await mailboxes.get(_req(core, "get", mailboxName="conf-mbox"))
    assert got.body == {"name": "conf-mbox", "old_messages": 0, "new_messages": 1}

    assert (await mailboxes.delete(_req(core, "delete", mailboxName="conf-mbox"))).status == 204
    with pytest.raises(AriError) as err:
        await mailboxes.delete(_req(core, "delete", mailboxName="conf-mbox"))
    assert (err.value.status, err.value.body) == (404, {"message": "Mailbox does not exist"})
    with pytest.raises(AriError) as err:
        await mailboxes.get(_req(core, "get", mailboxName="conf-mbox"))
    assert (err.value.status, err.value.body) == (404, {"message": "Mailbox is does not exist"})


async def test_list_has_exactly_the_model_keys(core: SimpleNamespace) -> None:
    assert (await mailboxes.list_(_req(core, "list"))).body == []
    await mailboxes.update(_req(core, "update", mailboxName="bob", oldMessages=5, newMessages=6))
    await mailboxes.update(_req(core, "update", mailboxName="alice", oldMessages=3, newMessages=4))
    assert (await mailboxes.list_(_req(core, "list"))).body == [
        {"name": "alice", "old_messages": 3, "new_messages": 4},
        {"name": "bob", "old_messages": 5, "new_messages": 6},
    ]


@pytest.mark.parametrize("value", [-1, "many"])
async def test_bad_counts_are_500(core: SimpleNamespace, value: Any) -> None:
    with pytest.raises(AriError) as err:
        await mailboxes.update(
            _req(core, "update", mailboxName="x", oldMessages=value, newMessages=1)
        )
    assert (err.value.status, err.value.message) == (500, "Error updating mailbox")
