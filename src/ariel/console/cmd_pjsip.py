"""``pjsip show endpoints|endpoint <name>|contacts|registrations`` and ``pjsip reload``
(res_pjsip/pjsip_cli.c, res_pjsip/config_system.c).

The layout is the reference's: a legend block, a rule of ``=``, then one block
per object with indented sub-objects, and ``Objects found: N``.
"""

from __future__ import annotations

import dataclasses
import hashlib

from ariel.config import Endpoint
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.fmt import fit
from ariel.console.table import Command, Result

__all__ = ["PJSIP_COMMANDS"]

RULE = "=" * 90

ENDPOINT_LEGEND = (
    "",
    " Endpoint:  <Endpoint/CID.....................................>  <State.....>  <Channels.>",
    "    I/OAuth:  <AuthId/UserName...........................................................>",
    "        Aor:  <Aor............................................>  <MaxContact>",
    "      Contact:  <Aor/ContactUri..........................> <Hash....> <Status> <RTT(ms)..>",
    "  Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress..................>",
    "   Identify:  <Identify/Endpoint.........................................................>",
    "        Match:  <criteria.........................>",
    "    Channel:  <ChannelId......................................>  <State.....>  <Time.....>",
    "        Exten: <DialedExten...........>  CLCID: <ConnectedLineCID.......>",
    RULE,
)

CONTACT_LEGEND = (
    "",
    "  Contact:  <Aor/ContactUri..........................> <Hash....> <Status> <RTT(ms)..>",
    RULE,
)


def _contact_line(aor: str, uri: str) -> str:
    digest = hashlib.sha1(f"{aor};@{uri}".encode()).hexdigest()[:10]
    return f"      Contact:  {fit(f'{aor}/{uri}', 42)} {digest} {fit('NonQual', 8)} {'nan':>10}"


def _endpoint_block(ctx: ConsoleContext, endpoint: Endpoint) -> list[str]:
    pjsip = ctx.config.pjsip
    snap = ctx.core.endpoints.get("PJSIP", endpoint.name)
    channels = len(snap.channel_ids) if snap is not None else 0
    aors = pjsip.aors_of(endpoint)
    contacts = [(aor.name, uri) for aor in aors for uri in ctx.contacts(aor.name)]
    state = ("In use" if channels else "Not in use") if contacts else "Unavailable"
    cid = ""
    if endpoint.callerid is not None:
        cid = f'/"{endpoint.callerid.name}" <{endpoint.callerid.number}>'
    lines = ["", f" Endpoint:  {fit(endpoint.name + cid, 53)}  {fit(state, 12)}  {channels} of inf"]
    for auth in endpoint.auth:
        lines.append(f"     InAuth:  {auth}")
    for aor in aors:
        lines.append(f"        Aor:  {fit(aor.name, 49)}  {aor.max_contacts}")
        lines += [_contact_line(name, uri) for name, uri in contacts if name == aor.name]
    transport = pjsip.transports.get(endpoint.transport)
    if transport is not None:
        bind = f"{transport.bind_host}:{transport.bind_port}"
        lines.append(
            f"  Transport:  {fit(transport.name, 21)}  {fit(transport.protocol, 6)}  "
            f"{transport.cos:>3}  {transport.tos:>5}  {bind}"
        )
    for chan in ctx.core.channels:
        snap_c = chan.snapshot()
        if snap_c.name.startswith(f"PJSIP/{endpoint.name}-"):
            lines.append(f"    Channel:  {fit(snap_c.name, 49)}  {fit(snap_c.state, 12)}")
            lines.append(
                f"        Exten: {fit(snap_c.dialplan.exten, 24)}  CLCID: {snap_c.connected.number}"
            )
    return lines


async def show_endpoints(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return Result(text="Usage: pjsip show endpoints\n", status=1)
    endpoints = list(ctx.config.pjsip.endpoints.values())
    if not endpoints:
        return Result(text="\nNo objects found.\n\n")
    lines = list(ENDPOINT_LEGEND)
    for endpoint in endpoints:
        lines += _endpoint_block(ctx, endpoint)
    lines += ["", f"Objects found: {len(endpoints)}", ""]
    return Result(text="".join(f"{line.rstrip()}\n" for line in lines))


async def show_endpoint(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: pjsip show endpoint <id>\n", status=1)
    endpoint = ctx.config.pjsip.endpoints.get(args[0])
    if endpoint is None:
        return Result(text=f"Unable to find object {args[0]}.\n\n", status=1)
    lines = list(ENDPOINT_LEGEND) + _endpoint_block(ctx, endpoint) + ["", ""]
    lines.append(f" {fit('ParameterName', 31)}: ParameterValue")
    lines.append(" " + "=" * 64)
    for f in dataclasses.fields(endpoint):
        if f.name in ("name", "file", "line", "extra"):
            continue
        value = getattr(endpoint, f.name)
        lines.append(f" {fit(f.name, 31)}: {_option_text(value)}")
    for key, value in sorted(endpoint.extra.items()):
        lines.append(f" {fit(key, 31)}: {value}")
    return Result(text="".join(f"{line.rstrip()}\n" for line in lines))


def _option_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(_option_text(v) for v in value)
    return str(value)


async def show_contacts(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return Result(text="Usage: pjsip show contacts\n", status=1)
    rows = [
        _contact_line(aor, uri).replace("      Contact:", "  Contact:", 1)
        for aor in ctx.config.pjsip.aors
        for uri in ctx.contacts(aor)
    ]
    if not rows:
        return Result(text="\nNo objects found.\n\n")
    lines = [*CONTACT_LEGEND, *rows, "", f"Objects found: {len(rows)}", ""]
    return Result(text="".join(f"{line.rstrip()}\n" for line in lines))


async def show_registrations(_ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    # Outbound registrations (type = registration) are not served yet.
    return Result(text="\nNo objects found.\n\n")


async def reload(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return Result(text="Usage: pjsip reload\n", status=1)
    outcome = ctx.reloader.reload_file("pjsip.conf")
    return Result(text=outcome.text, status=0 if outcome.ok else 1)


def _complete_endpoint(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return sorted(ctx.config.pjsip.endpoints) if not args else []


PJSIP_COMMANDS = (
    Command(
        words=("pjsip", "show", "endpoints"), handler=show_endpoints, summary="List PJSIP Endpoints"
    ),
    Command(
        words=("pjsip", "show", "endpoint"),
        handler=show_endpoint,
        summary="Show PJSIP Endpoint(s) detail",
        complete=_complete_endpoint,
    ),
    Command(
        words=("pjsip", "show", "contacts"), handler=show_contacts, summary="List PJSIP Contacts"
    ),
    Command(
        words=("pjsip", "show", "registrations"),
        handler=show_registrations,
        summary="Lists PJSIP Registrations",
    ),
    Command(
        words=("pjsip", "reload"),
        handler=reload,
        summary="Reload res_pjsip, res_pjsip_acl, and res_pjsip_transport_management",
    ),
)
