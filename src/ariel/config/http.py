"""http.conf: the built-in HTTP server that carries ARI.

Defaults are Asterisk's (the server is off unless ``enabled = yes``); the loader
uses the embedded quick-start http.conf instead when the file is missing.  The
``ssl*`` spellings Asterisk still accepts are read as their ``tls*`` twins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ariel.config._options import Spec, boolean, integer, read_section, table, text
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile
from ariel.config.values import parse_host_port

__all__ = ["HttpConf", "build_http_conf"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpConf:
    """``[general]`` of http.conf (plus ``[post_mappings]``).

    Attributes:
        enabled: Whether the HTTP server runs.
        bindaddr: The address to listen on (Asterisk insists on one being set;
            Ariel listens on all IPv4 addresses when none is).
        bindport: The port to listen on.
        prefix: The path prefix of every URI, ``""`` or ``"/name"``.
        sessionlimit: How many HTTP sessions may exist at once.
        session_inactivity: Milliseconds to wait for more request data.
        session_keep_alive: Milliseconds to keep an idle persistent connection.
        servername: The ``Server`` header; ``None`` for the server's own name,
            ``""`` to send none.
        redirects: ``(from, to)`` URI pairs from ``redirect = /from /to``.
        enablestatic: Whether static content is served.
        tlsenable: Whether HTTPS runs too.
        tlsbindaddr: The HTTPS address (``""``: same as ``bindaddr``).
        tlsbindport: The HTTPS port.
        tlscertfile: Certificate file (PEM).
        tlsprivatekey: Private key file (``""``: look in the certificate file).
        tlscipher: OpenSSL cipher list.
        tlscafile: CA certificate file.
        tlscapath: CA certificate directory.
        tlsdisablev1: Whether TLS 1.0 is refused.
        tlsdisablev11: Whether TLS 1.1 is refused.
        tlsdisablev12: Whether TLS 1.2 is refused.
        tlsservercipherorder: Whether the server's cipher order wins.
        post_mappings: ``[post_mappings]``: URI to upload directory.
        extra: Other accepted options, as text.
    """

    enabled: bool = False
    bindaddr: str = "0.0.0.0"
    bindport: int = 8088
    prefix: str = ""
    sessionlimit: int = 100
    session_inactivity: int = 30000
    session_keep_alive: int = 15000
    servername: str | None = None
    redirects: tuple[tuple[str, str], ...] = ()
    enablestatic: bool = False
    tlsenable: bool = False
    tlsbindaddr: str = ""
    tlsbindport: int = 8089
    tlscertfile: str = ""
    tlsprivatekey: str = ""
    tlscipher: str = ""
    tlscafile: str = ""
    tlscapath: str = ""
    tlsdisablev1: bool = True
    tlsdisablev11: bool = False
    tlsdisablev12: bool = False
    tlsservercipherorder: bool = True
    post_mappings: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)


def _prefix(value: str) -> str:
    word = value.strip().strip("/")
    return f"/{word}" if word else ""


def _redirect(value: str) -> tuple[tuple[str, str]]:
    parts = value.split()
    if len(parts) != 2:
        raise ValueError(f"{value!r} is not '<from> <to>'")
    return ((parts[0], parts[1]),)


def _address(value: str) -> tuple[str, int]:
    return parse_host_port(value, 0)


_GENERAL = table(
    {
        "enabled": boolean,
        "bindaddr": Spec("_bindaddr", _address),
        "bindport": integer(0, 65535),
        "prefix": _prefix,
        "sessionlimit": integer(1),
        "session_inactivity": integer(0),
        "session_keep_alive": integer(0),
        "servername": text,
        "redirect": Spec("redirects", _redirect, accumulate=True),
        "enablestatic": boolean,
        "tlsenable": boolean,
        "sslenable": Spec("tlsenable", boolean),
        "tlsbindaddr": Spec("_tlsbindaddr", _address),
        "sslbindaddr": Spec("_tlsbindaddr", _address),
        "tlsbindport": integer(0, 65535),
        "sslbindport": Spec("tlsbindport", integer(0, 65535)),
        "tlscertfile": text,
        "tlscert": Spec("tlscertfile", text),
        "sslcert": Spec("tlscertfile", text),
        "sslcertfile": Spec("tlscertfile", text),
        "tlsprivatekey": text,
        "sslprivatekey": Spec("tlsprivatekey", text),
        "tlscipher": text,
        "sslcipher": Spec("tlscipher", text),
        "tlscafile": text,
        "sslcafile": Spec("tlscafile", text),
        "tlscapath": text,
        "tlscadir": Spec("tlscapath", text),
        "sslcapath": Spec("tlscapath", text),
        "tlsdisablev1": boolean,
        "tlsdisablev11": boolean,
        "tlsdisablev12": boolean,
        "tlsservercipherorder": boolean,
    }
)

_KNOWN = (
    "tlsverifyclient",
    "sslverifyclient",
    "tlsdontverifyserver",
    "ssldontverifyserver",
    "tlsclientmethod",
    "sslclientmethod",
)


def build_http_conf(conf: ConfFile) -> tuple[HttpConf, tuple[Diagnostic, ...]]:
    """Build the http.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    mappings: dict[str, str] = {}
    for section in conf.objects:
        name = section.name.lower()
        if name == "general":
            found, more = read_section(
                section, _GENERAL, report, kind="[general]", known=_KNOWN, skip=()
            )
            redirects = values.get("redirects", ()) + found.pop("redirects", ())
            values.update(found, redirects=redirects)
            extra.update(more)
        elif name == "post_mappings":
            mappings.update({o.key: o.value for o in section.options})
        else:
            report.warning(section, f"unknown section [{section.name}] in http.conf; ignored")
    if "_bindaddr" in values:
        host, port = values.pop("_bindaddr")
        values["bindaddr"] = host
        if port and "bindport" not in values:
            values["bindport"] = port
    if "_tlsbindaddr" in values:
        host, port = values.pop("_tlsbindaddr")
        values["tlsbindaddr"] = host
        if port:
            values["tlsbindport"] = port
    model = HttpConf(**values, post_mappings=mappings, extra=extra)
    return model, report.diagnostics
