"""A baresip softphone that registers with digest auth and answers calls by itself.

:class:`RegisteredBaresip` writes one account that registers to the server
(``regint``), authenticates with ``auth_user``/``auth_pass`` and answers
incoming calls at once (``answermode=auto``); with ``dial`` it also places a
call at start-up, answering the server's digest challenge.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from baresip_phone import BaresipPhone, baresip_path

__all__ = ["RegisteredBaresip"]


class RegisteredBaresip(BaresipPhone):
    """baresip registered as ``user`` (password ``password``) at ``registrar``."""

    def __init__(
        self,
        *,
        workdir: Path,
        registrar: str,
        user: str,
        password: str,
        display: str,
        dial: str = "",
    ) -> None:
        super().__init__(workdir=workdir, uri=dial, user=user, display=display)
        self.registrar = registrar
        self.password = password

    def write_config(self) -> None:
        super().write_config()
        (self.workdir / "accounts").write_text(
            f'"{self.display}" <sip:{self.user}@{self.registrar}>'
            f";auth_user={self.user};auth_pass={self.password}"
            ";regint=60;answermode=auto;audio_codecs=PCMU\n"
        )

    async def start(self) -> RegisteredBaresip:
        self.write_config()
        baresip = baresip_path()
        assert baresip is not None, "baresip is not installed"
        with self.stdout_path.open("wb") as out:
            self._process = await asyncio.create_subprocess_exec(
                baresip,
                "-f",
                str(self.workdir),
                "-s",
                *(("-e", f"/dial {self.uri}") if self.uri else ()),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,
            )
        return self
