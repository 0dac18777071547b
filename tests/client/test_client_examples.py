"""The example apps, each run as its own process, handling real SIPp calls.

Every example is started as ``python examples/<name>.py --url ... --app
zarniwoop`` (the app of extension 242), and a SIPp phone whose RTP the test
holds calls 242. The test checks what the phone hears, sends the digits and
audio a caller would, and looks at what the app left behind (its log, the
stored recording). Each example must stop cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
import time
from pathlib import Path

import pytest
from ariel_process import AriServer
from audio_measure import dominant_frequency, read_wav, sine, voiced_seconds
from client_support import EXAMPLES, AnsweringPhone, PhoneFactory, run_example
from media_phones import RtpSippPhone, require_prompts
from rtp_peer import RtpPeer
from sipp_phone import sipp_path

from ariel.client import AriClient

pytestmark = [pytest.mark.integration, pytest.mark.timeout(45)]


async def test_answer_and_play_plays_the_prompt_to_the_phone(
    ariel_server: AriServer, sip_call: PhoneFactory, tmp_path: Path
) -> None:
    prompt = require_prompts("hello-world")["hello-world"]
    expected = voiced_seconds(read_wav(prompt)[0])
    async with run_example(
        "answer_and_play.py", ariel_server, tmp_path, "--media", "sound:hello-world"
    ) as app:
        async with sip_call() as call:
            await call.answered()
            await call.phone.wait_request("BYE", timeout=10)
            assert await call.phone.finish() == 0, call.phone.report()
        await app.wait_log("played sound:hello-world")
    heard = voiced_seconds(call.rtp.audio())
    assert abs(heard - expected) < 0.3, f"heard {heard:.2f} s of voice, prompt has {expected:.2f}"


async def test_dtmf_menu_routes_the_digit_the_phone_sends(
    ariel_server: AriServer, sip_call: PhoneFactory, tmp_path: Path
) -> None:
    prompts = require_prompts("vm-intro", "hello-world", "vm-goodbye")
    hello = voiced_seconds(read_wav(prompts["hello-world"])[0])
    async with run_example("dtmf_menu.py", ariel_server, tmp_path) as app:
        async with sip_call() as call:
            await call.answered()
            await call.rtp.send_silence(0.3)
            await call.rtp.wait_until(lambda: len(call.rtp.received()) > 10, "the menu prompt")
            await call.rtp.send_digit("1", 120)
            mark = call.rtp.mark()
            await call.phone.wait_request("BYE", timeout=15)
            assert await call.phone.finish() == 0, call.phone.report()
        await app.wait_log("chose 1")
    after = voiced_seconds(call.rtp.audio(mark))
    # The menu stops at the digit; then hello-world and goodbye play.
    assert after >= hello, f"only {after:.2f} s of voice after the digit"
    assert "invalid" not in app.log()


async def test_voicemail_records_what_the_phone_says_until_pound(
    ariel_server: AriServer, sip_call: PhoneFactory, tmp_path: Path
) -> None:
    require_prompts("hello", "beep", "vm-msgsaved", "vm-goodbye")
    mailbox = f"box{time.monotonic_ns() % 1_000_000}@default"
    async with run_example(
        "voicemail.py", ariel_server, tmp_path, "--greeting", "sound:hello", "--mailbox", mailbox
    ) as app:
        async with sip_call() as call:
            await call.answered()
            await call.rtp.send_silence(1.5)  # greeting and beep
            await call.rtp.send_audio(sine(440.0, 1.5))
            await call.rtp.send_digit("#", 120)
            await call.phone.wait_request("BYE", timeout=15)
            assert await call.phone.finish() == 0, call.phone.report()
        await app.wait_log("saved recording")
    name = app.log().split("saved recording ", 1)[1].split(" ", 1)[0]
    async with AriClient(
        ariel_server.base_url, user=ariel_server.user, password=ariel_server.password
    ) as ari:
        stored = ari.stored_recording(name)
        assert (await stored.get_stored()).format == "wav"
        samples, rate, _ = read_wav(io.BytesIO(await stored.get_stored_file()))
        assert (await ari.mailbox(mailbox).get()).new_messages == 1
        await stored.delete_stored()
    assert rate == 8000
    assert 1.0 <= voiced_seconds(samples) <= 1.8, voiced_seconds(samples)
    assert abs(dominant_frequency(samples) - 440.0) < 5.0


async def test_channel_state_dump_prints_the_system_as_json(ariel_server: AriServer) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / "channel_state_dump.py"),
        "--url",
        ariel_server.base_url,
        "--password",
        ariel_server.password,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0, err.decode()
    dump = json.loads(out)
    assert set(dump) == {"channels", "bridges", "endpoints"}
    assert {e["resource"] for e in dump["endpoints"]} >= {"SOFTPHONE_A", "SOFTPHONE_B"}


async def test_bridge_dial_rings_the_caller_bridges_both_phones_and_ends_both(
    ariel_server: AriServer, callee_port: int, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    (tmp_path / "callee").mkdir()
    (tmp_path / "caller").mkdir()
    async with (
        run_example(
            "bridge_dial.py", ariel_server, tmp_path, "--endpoint", "PJSIP/SOFTPHONE_B"
        ) as app,
        RtpPeer() as callee_rtp,
        RtpPeer() as caller_rtp,
        AnsweringPhone(
            listen_port=callee_port,
            ring_ms=1500,
            rtp_port=callee_rtp.port,
            sip_port=ariel_server.sip_port,
            workdir=tmp_path / "callee",
        ) as callee,
    ):
        caller = RtpSippPhone(
            "media_call.xml",
            rtp_port=caller_rtp.port,
            sip_port=ariel_server.sip_port,
            workdir=tmp_path / "caller",
            dial="242",
            display="bridge-dial-caller",
        )
        async with caller:
            answered = await caller.wait_status(200, timeout=5)
            caller_rtp.remote = answered.sdp_audio()
            await caller_rtp.send_silence(0.2)  # the app's media learns where we are
            invite = await callee.invited()
            callee_rtp.remote = invite.sdp_audio()
            # The callee rings for 1.5 s: the caller hears ringback meanwhile.
            ring_mark = caller_rtp.mark()
            await app.wait_log("bridged", timeout=10)
            ringback = caller_rtp.audio(ring_mark)
            mark_caller, mark_callee = caller_rtp.mark(), callee_rtp.mark()
            await asyncio.gather(
                caller_rtp.send_audio(sine(440.0, 1.5)), callee_rtp.send_audio(sine(660.0, 1.5))
            )
            heard_by_caller = caller_rtp.audio(mark_caller)
            heard_by_callee = callee_rtp.audio(mark_callee)
            callee.press()  # the callee hangs up: the caller gets a BYE
            await caller.wait_request("BYE", timeout=5)
            assert await caller.finish() == 0, caller.report()
            assert await callee.finish() == 0, callee.report()
        await app.wait_log("ended")
    assert voiced_seconds(ringback) >= 0.8, f"only {voiced_seconds(ringback):.2f} s of ringback"
    assert voiced_seconds(heard_by_callee) >= 1.0
    assert abs(dominant_frequency(heard_by_callee) - 440.0) < 10.0
    assert voiced_seconds(heard_by_caller) >= 1.0
    assert abs(dominant_frequency(heard_by_caller) - 660.0) < 10.0
