"""The pjsip.conf object types, one frozen dataclass per ``type =``.

Field names follow the pjsip.conf option names (``100rel`` becomes ``rel100``);
defaults are Asterisk's.  Options Asterisk accepts that Ariel does not model are
kept as text in each object's ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ariel.config.values import CallerId

__all__ = ["Aor", "Auth", "Endpoint", "Identify", "PjsipGlobal", "PjsipSystem", "Transport"]

#: Asterisk's default User-Agent is "Asterisk PBX <version>"; Ariel reproduces 22.10.1.
DEFAULT_USER_AGENT = "Asterisk PBX 22.10.1"


@dataclass(frozen=True, slots=True, kw_only=True)
class PjsipGlobal:
    """``type = global``: settings for all SIP traffic."""

    name: str = "global"
    endpoint_identifier_order: tuple[str, ...] = ("ip", "username", "anonymous")
    user_agent: str = DEFAULT_USER_AGENT
    default_outbound_endpoint: str = "default_outbound_endpoint"
    debug: str = "no"
    keep_alive_interval: int = 90
    max_forwards: int = 70
    max_initial_qualify_time: int = 0
    contact_expiration_check_interval: int = 30
    disable_multi_domain: bool = False
    default_from_user: str = "asterisk"
    default_realm: str = "asterisk"
    regcontext: str = ""
    default_voicemail_extension: str = ""
    ignore_uri_user_options: bool = False
    norefersub: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class PjsipSystem:
    """``type = system``: SIP stack timers and threads."""

    name: str = "system"
    timer_t1: int = 500
    timer_b: int = 32000
    compact_headers: bool = False
    disable_tcp_switch: bool = True
    follow_early_media_fork: bool = True
    accept_multiple_sdp_answers: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Transport:
    """``type = transport``: a socket SIP is sent and received on.

    ``bind = host:port`` is split into ``bind_host`` and ``bind_port``; the port
    defaults to 5060 (5061 for TLS).
    """

    name: str
    protocol: str = "udp"
    bind_host: str = "0.0.0.0"
    bind_port: int = 5060
    external_media_address: str = ""
    external_signaling_address: str = ""
    external_signaling_port: int = 0
    local_net: tuple[str, ...] = ()
    domain: str = ""
    tos: str = "0"
    cos: int = 0
    cert_file: str = ""
    priv_key_file: str = ""
    ca_list_file: str = ""
    ca_list_path: str = ""
    cipher: tuple[str, ...] = ()
    method: str = ""
    verify_client: bool = False
    verify_server: bool = False
    require_client_cert: bool = False
    password: str = ""
    async_operations: int = 1
    websocket_write_timeout: int = 100
    allow_reload: bool = False
    symmetric_transport: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """``type = endpoint``: a SIP peer's call settings.

    ``codecs`` is the result of the ``disallow``/``allow`` lines taken in order
    (``disallow = all`` clears, ``allow = ulaw,alaw`` appends, repeats ignored).
    ``set_var`` holds ``(name, value)`` pairs from every ``set_var = NAME=value``.
    """

    name: str
    context: str = "default"
    transport: str = ""
    codecs: tuple[str, ...] = ()
    dtmf_mode: str = "rfc4733"
    callerid: CallerId | None = None
    callerid_privacy: str = "allowed_not_screened"
    callerid_tag: str = ""
    aors: tuple[str, ...] = ()
    auth: tuple[str, ...] = ()
    outbound_auth: tuple[str, ...] = ()
    outbound_proxy: str = ""
    identify_by: tuple[str, ...] = ("username", "ip")
    direct_media: bool = True
    direct_media_method: str = "invite"
    connected_line_method: str = "invite"
    rtp_symmetric: bool = False
    media_address: str = ""
    bind_rtp_to_media_address: bool = False
    rtp_timeout: int = 0
    rtp_timeout_hold: int = 0
    rtp_keepalive: int = 0
    rtp_ipv6: bool = False
    force_rport: bool = True
    rewrite_contact: bool = False
    language: str = ""
    tone_zone: str = ""
    moh_suggest: str = "default"
    from_user: str = ""
    from_domain: str = ""
    contact_user: str = ""
    timers: str = "yes"
    timers_min_se: int = 90
    timers_sess_expires: int = 1800
    rel100: str = "yes"
    send_rpid: bool = False
    send_pai: bool = False
    send_diversion: bool = True
    trust_id_inbound: bool = False
    trust_id_outbound: bool = False
    trust_connected_line: bool = True
    send_connected_line: bool = True
    inband_progress: bool = False
    ice_support: bool = False
    use_avpf: bool = False
    media_encryption: str = "no"
    webrtc: bool = False
    allow_subscribe: bool = True
    allow_transfer: bool = True
    allow_overlap: bool = True
    mailboxes: tuple[str, ...] = ()
    device_state_busy_at: int = 0
    accountcode: str = ""
    call_group: str = ""
    pickup_group: str = ""
    set_var: tuple[tuple[str, str], ...] = ()
    message_context: str = ""
    subscribe_context: str = ""
    max_audio_streams: int = 1
    max_video_streams: int = 1
    sdp_owner: str = "-"
    sdp_session: str = "Asterisk"
    user_eq_phone: bool = False
    moh_passthrough: bool = False
    t38_udptl: bool = False
    fax_detect: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Aor:
    """``type = aor``: where an endpoint can be reached (static and registered contacts)."""

    name: str
    contacts: tuple[str, ...] = ()
    max_contacts: int = 0
    qualify_frequency: int = 0
    qualify_timeout: float = 3.0
    authenticate_qualify: bool = False
    remove_existing: bool = False
    remove_unavailable: bool = False
    default_expiration: int = 3600
    maximum_expiration: int = 7200
    minimum_expiration: int = 60
    mailboxes: tuple[str, ...] = ()
    voicemail_extension: str = ""
    outbound_proxy: str = ""
    support_path: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Auth:
    """``type = auth``: credentials to challenge with or to answer challenges."""

    name: str
    auth_type: str = "userpass"
    username: str = ""
    password: str = ""
    md5_cred: str = ""
    realm: str = ""
    nonce_lifetime: int = 32
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Identify:
    """``type = identify``: match requests to ``endpoint`` by source address or header."""

    name: str
    endpoint: str = ""
    match: tuple[str, ...] = ()
    match_header: str = ""
    match_request_uri: str = ""
    srv_lookups: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0
