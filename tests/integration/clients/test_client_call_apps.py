"""Existing ARI client libraries answer, play, bridge and hang up real calls.

One small application per client (``apps/aioari_app.py``,
``apps/asyncari_app.py``, ``apps/ari_client_app.py``, ``node/app.js``), each
written the way its library is meant to be used, runs the same menu (see
``apps/_call_app.py``): answer, play ``hello-world``, then digit ``1`` plays
``digits/1`` and hangs up, ``2`` puts the call in a mixing bridge, ``#``
hangs up. The app runs in its client's environment against an Ariel of this
module's own, whose dialplan sends extension 700 to ``Stasis(call-app)``.

SIPp phones (``media/scenarios/media_call.xml``) place real calls whose RTP
port is an :class:`RtpPeer` the test holds, so the test asserts what the
phone observes: the 200 OK, the prompt's audio (about as long as
hello-world), the digit's effect (a second prompt, a bridge that carries
audio from one phone to the other), and the BYE from Ariel on the hang-up
choice. The app's JSON lines tell which channel is which phone (by caller
name) and when the menu is open; each test also checks the app's own record
of what it did and that it reported no error.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import random
import shutil
import socket
import sys
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent
for _helpers in (HERE.parent / "sip", HERE.parent / "media"):
    if str(_helpers) not in sys.path:
        sys.path.insert(0, str(_helpers))

from ariel_process import AriServer, free_port, launch_ariel, write_config  # noqa: E402
from audio_measure import (  # noqa: E402
    dominant_frequency,
    read_wav,
    sine,
    ulaw_round_trip,
    voiced_seconds,
)
from call_app_process import CallAppProcess  # noqa: E402
from media_phones import RtpSippPhone, require_prompts  # noqa: E402
from rtp_peer import RtpPeer  # noqa: E402
from sipp_phone import SipMessage, sipp_path  # noqa: E402

NPM = "npm ari-client"
CLIENTS = ["aioari", "asyncari", "ari-client", NPM]
APP = "call-app"
EXTENSION = "700"
#: The server's own dialplan: every call to 700 goes to the app.
EXTENSIONS_CONF = f"""\
[sets]
exten => {EXTENSION},1,Noop(call apps)
 same => n,Stasis({APP})
 same => n,Hangup()
"""
RTP_BLOCK = 400
#: How far the voiced length of a prompt the phone hears may be from the file's.
VOICED_TOLERANCE_S = 0.3
#: Tones each phone sends into the bridge, and how long.
TONE_A_HZ = 700.0
TONE_B_HZ = 1100.0
TONE_S = 0.8

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def _load_client_envs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ariel_client_envs", HERE / "client_envs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


client_envs = sys.modules.get("ariel_client_envs") or _load_client_envs()


@pytest.fixture(scope="module")
def call_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel whose extension 700 runs ``Stasis(call-app)``, with an RTP range of its own."""
    root = tmp_path_factory.mktemp("ariel-call-apps")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    (config_dir / "extensions.conf").write_text(EXTENSIONS_CONF)
    start = 20000 + 2 * random.randrange((32000 - 20000 - RTP_BLOCK) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + RTP_BLOCK}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


def _app_command(client: str, server: AriServer) -> tuple[list[str], Path]:
    """The app's command line and directory; skips when its client cannot be installed."""
    args = ["--base-url", server.base_url, "--user", server.user, "--password", server.password]
    args += ["--app", APP]
    if client == NPM:
        node = shutil.which("node")
        if node is None or shutil.which("npm") is None:
            pytest.skip("node and npm are not installed")
        try:
            node_dir = client_envs.ensure_node()
        except RuntimeError as exc:
            pytest.skip(f"the npm ari-client cannot be installed: {exc}")
        return [node, str(node_dir / "app.js"), *args], node_dir
    py_client = client_envs.PYTHON_CLIENTS[client]
    try:
        python = client_envs.ensure_python_client(py_client)
    except RuntimeError as exc:
        pytest.skip(f"{client} cannot be installed: {exc}")
    apps = HERE / "apps"
    script = apps / f"{client.replace('-', '_')}_app.py"
    return [str(python), str(script), *args], apps


@pytest.fixture(scope="module", params=CLIENTS)
def call_app(
    request: pytest.FixtureRequest,
    call_server: AriServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[CallAppProcess]:
    """The client's call app, running until its ``{"app": "ready"}`` line, then yielded."""
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    require_prompts("hello-world", "digits/1")
    client: str = request.param
    command, cwd = _app_command(client, call_server)
    app = CallAppProcess(client, command, cwd, tmp_path_factory.mktemp("call-app"))
    try:
        # The first start of a Python client compiles its modules: allow for it.
        asyncio.run(app.wait_line('{"app": "ready"}', timeout=60, app="ready"))
        yield app
    finally:
        app.stop()


@dataclass
class Call:
    """One phone's call into the app."""

    caller: str
    channel: str
    phone: RtpSippPhone
    rtp: RtpPeer
    answer: SipMessage


def _hang_up(server: AriServer, channel: str) -> None:
    """``DELETE /ari/channels/{id}``, whatever the answer."""
    request = urllib.request.Request(
        f"{server.ari_url}/channels/{channel}",
        method="DELETE",
        headers={"Authorization": server.basic_auth()},
    )
    with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=2):
        pass


@contextlib.asynccontextmanager
async def placed_call(
    server: AriServer, app: CallAppProcess, workdir: Path, caller: str
) -> AsyncIterator[Call]:
    """A SIPp phone calling 700; yields once the app has answered and its audio is known."""
    workdir.mkdir()
    async with RtpPeer() as rtp:
        phone = RtpSippPhone(
            "media_call.xml",
            rtp_port=rtp.port,
            sip_port=server.sip_port,
            workdir=workdir,
            dial=EXTENSION,
            display=caller,
        )
        channel = None
        try:
            async with phone:
                start = await app.wait_line(
                    f"StasisStart of {caller}", event="StasisStart", caller=caller
                )
                channel = start.data["channel"]
                ok = await phone.wait_status(200)
                remote = ok.sdp_audio()
                assert remote is not None, f"no audio stream in the 200 OK:\n{ok.text}"
                rtp.remote = remote
                yield Call(caller, channel, phone, rtp, ok)
        finally:
            if channel is not None and phone.returncode is None:
                _hang_up(server, channel)  # a failed test leaves no call behind


def _caller(tag: str) -> str:
    """A caller name (From display name) unique to one call."""
    return f"{tag}-{uuid.uuid4().hex[:8]}"


def _voiced_reference(name: str) -> tuple[float, float]:
    """(voiced seconds, length in seconds) of a prompt as a PCMU phone hears it."""
    samples, rate, _ = read_wav(require_prompts(name)[name])
    return voiced_seconds(ulaw_round_trip(samples)), len(samples) / rate


async def _menu_open(app: CallAppProcess, call: Call) -> float:
    """Waits for the app to open the menu; returns the seconds the prompt took."""
    menu = await app.wait_line(
        f"the menu on {call.caller}", op="menu", channel=call.channel, timeout=8
    )
    plays = app.find(op="play", channel=call.channel)
    assert plays, app.report()
    return menu.arrival - plays[0].arrival


async def _bye(call: Call, app: CallAppProcess) -> None:
    """The phone receives Ariel's BYE, accepts it, and SIPp ends with success."""
    await call.phone.wait_request("BYE", timeout=5)
    assert await call.phone.finish() == 0, call.phone.report()
    await app.wait_line(f"StasisEnd of {call.caller}", event="StasisEnd", channel=call.channel)


def _assert_no_errors(app: CallAppProcess) -> None:
    assert app.errors() == [], app.report()


async def test_app_answers_plays_the_prompt_and_digit_1_plays_then_hangs_up(
    call_server: AriServer, call_app: CallAppProcess, tmp_path: Path
) -> None:
    prompt_voiced, prompt_length = _voiced_reference("hello-world")
    digit_voiced, _ = _voiced_reference("digits/1")
    caller = _caller("one")
    async with placed_call(call_server, call_app, tmp_path / "phone", caller) as call:
        assert "a=rtpmap:0 PCMU/8000" in call.answer.sdp_lines, call.answer.text
        prompt_took = await _menu_open(call_app, call)
        heard_prompt = voiced_seconds(call.rtp.audio())
        mark = call.rtp.mark()
        await call.rtp.send_silence(0.1)
        await call.rtp.send_digit("1", 120)
        await _bye(call, call_app)
        heard_digit = voiced_seconds(call.rtp.audio(mark))

    assert call.phone.statuses()[-1] == 200, call.phone.report()
    assert abs(heard_prompt - prompt_voiced) <= VOICED_TOLERANCE_S, (
        f"{call_app.client}: the phone heard {heard_prompt:.2f} s of voice before the menu "
        f"opened; hello-world has {prompt_voiced:.2f} s"
    )
    assert prompt_took >= prompt_length - 0.2, (
        f"{call_app.client}: PlaybackFinished {prompt_took:.2f} s after play; "
        f"hello-world lasts {prompt_length:.2f} s"
    )
    assert abs(heard_digit - digit_voiced) <= VOICED_TOLERANCE_S, (
        f"{call_app.client}: after digit 1 the phone heard {heard_digit:.2f} s of voice; "
        f"digits/1 has {digit_voiced:.2f} s"
    )
    assert call_app.ops(call.channel) == ["answer", "play", "menu", "play", "hangup"], (
        call_app.report()
    )
    media = [line.get("media") for line in call_app.find(op="play", channel=call.channel)]
    assert media == ["sound:hello-world", "sound:digits/1"], call_app.report()
    events = [e for e in call_app.events(call.channel) if e != "ChannelDtmfReceived"]
    assert events == ["StasisStart", "PlaybackFinished", "PlaybackFinished", "StasisEnd"], (
        call_app.report()
    )
    digits = [line.get("digit") for line in call_app.find(event="ChannelDtmfReceived")]
    assert "1" in digits, call_app.report()
    _assert_no_errors(call_app)


async def test_app_hangs_up_on_hash_without_playing_more(
    call_server: AriServer, call_app: CallAppProcess, tmp_path: Path
) -> None:
    caller = _caller("hash")
    async with placed_call(call_server, call_app, tmp_path / "phone", caller) as call:
        await _menu_open(call_app, call)
        mark = call.rtp.mark()
        await call.rtp.send_silence(0.1)
        await call.rtp.send_digit("#", 120)
        await _bye(call, call_app)
        heard = voiced_seconds(call.rtp.audio(mark))

    assert heard == 0.0, f"{call_app.client}: {heard:.2f} s of voice after # (expected none)"
    assert call_app.ops(call.channel) == ["answer", "play", "menu", "hangup"], call_app.report()
    dtmf = call_app.find(event="ChannelDtmfReceived", channel=call.channel)
    assert [line.get("digit") for line in dtmf] == ["#"], call_app.report()
    _assert_no_errors(call_app)


async def test_two_phones_pressing_2_talk_to_each_other_in_the_bridge(
    call_server: AriServer, call_app: CallAppProcess, tmp_path: Path
) -> None:
    caller_a = _caller("bridge-a")
    caller_b = _caller("bridge-b")
    async with (
        placed_call(call_server, call_app, tmp_path / "phone-a", caller_a) as a,
        placed_call(call_server, call_app, tmp_path / "phone-b", caller_b) as b,
    ):
        await asyncio.gather(_menu_open(call_app, a), _menu_open(call_app, b))
        for call in (a, b):
            await call.rtp.send_silence(0.06)
            await call.rtp.send_digit("2", 100)
        for call in (a, b):
            await call_app.wait_line(
                f"{call.caller} entering the bridge",
                event="ChannelEnteredBridge",
                channel=call.channel,
            )
        await asyncio.sleep(0.1)
        mark_a, mark_b = a.rtp.mark(), b.rtp.mark()
        await asyncio.gather(
            a.rtp.send_audio(sine(TONE_A_HZ, TONE_S)), b.rtp.send_audio(sine(TONE_B_HZ, TONE_S))
        )
        await asyncio.sleep(0.2)
        heard_by_b = b.rtp.audio(mark_b)
        heard_by_a = a.rtp.audio(mark_a)
        for call in (a, b):
            await call.rtp.send_digit("#", 100)
            await _bye(call, call_app)

    bridge = call_app.find(app="ready")[0].get("bridge")
    for call in (a, b):
        assert call_app.ops(call.channel) == ["answer", "play", "menu", "addChannel", "hangup"], (
            call_app.report()
        )
        entered = call_app.find(event="ChannelEnteredBridge", channel=call.channel)
        assert [line.get("bridge") for line in entered] == [bridge], call_app.report()
    for heard, sent, who in ((heard_by_b, TONE_A_HZ, "B"), (heard_by_a, TONE_B_HZ, "A")):
        voiced = voiced_seconds(heard)
        assert voiced >= TONE_S - 0.3, (
            f"{call_app.client}: phone {who} heard {voiced:.2f} s of voice through the bridge "
            f"({len(heard) / 8000:.2f} s of audio), the other phone sent {TONE_S} s"
        )
        frequency = dominant_frequency(heard)
        assert abs(frequency - sent) < 15, (
            f"{call_app.client}: phone {who} heard {frequency:.0f} Hz, the other sent {sent:.0f} Hz"
        )
    _assert_no_errors(call_app)


def test_app_exits_cleanly_on_sigterm(call_app: CallAppProcess) -> None:
    status = call_app.stop()
    assert status == 0, f"exit status {status}\n{call_app.report()}"
    assert call_app.lines and call_app.lines[-1].data == {"app": "exit"}, call_app.report()
    bridge = call_app.find(app="ready")[0].get("bridge")
    assert call_app.find(op="destroy_bridge", bridge=bridge), call_app.report()
    _assert_no_errors(call_app)
