"""sounds handlers: codes and messages of the golden sounds trace."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import sounds
from ariel.arispec import REGISTRY
from ariel.core.sounds import SoundIndex


@pytest.fixture
def core(tmp_path: Path) -> SimpleNamespace:
    for name in ("en/hello-world.wav", "en/digits/1.wav", "en/beep.gsm", "en/core-sounds-en.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (tmp_path / "en" / "core-sounds-en.txt").write_text("beep: A beep.\n")
    return SimpleNamespace(sounds=SoundIndex([tmp_path]))


def _req(core: Any, nickname: str, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"sounds.{nickname}"),
        params=params,
        body=None,
        core=core,
        user="asterisk",
    )


async def test_get_returns_sound_with_slin_for_wav(core: SimpleNamespace) -> None:
    resp = await sounds.get(_req(core, "get", soundId="hello-world"))
    assert (resp.status, resp.body) == (
        200,
        {"id": "hello-world", "formats": [{"language": "en", "format": "slin"}]},
    )


async def test_text_appears_only_with_a_description(core: SimpleNamespace) -> None:
    resp = await sounds.get(_req(core, "get", soundId="beep"))
    assert resp.body == {
        "id": "beep",
        "text": "A beep.",
        "formats": [{"language": "en", "format": "gsm"}],
    }


async def test_get_of_unknown_sound_is_404(core: SimpleNamespace) -> None:
    with pytest.raises(AriError) as err:
        await sounds.get(_req(core, "get", soundId="no-such-sound"))
    assert (err.value.status, err.value.body) == (404, {"message": "Sound not found"})


async def test_list_and_format_filter(core: SimpleNamespace) -> None:
    everything = await sounds.list_(_req(core, "list"))
    assert [s["id"] for s in everything.body] == ["beep", "digits/1", "hello-world"]
    slin = await sounds.list_(_req(core, "list", format="slin", lang=None))
    assert [s["id"] for s in slin.body] == ["digits/1", "hello-world"]


async def test_list_with_unknown_language_is_404(core: SimpleNamespace) -> None:
    with pytest.raises(AriError) as err:
        await sounds.list_(_req(core, "list", lang="xx"))
    assert (err.value.status, err.value.body) == (
        404,
        {"message": "No sounds found that matched the query"},
    )
