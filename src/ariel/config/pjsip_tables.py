"""pjsip.conf option tables: option name -> dataclass field and converter, per type.

Also the codec list handling (``allow``/``disallow``), which pjsip.conf applies in
order.  The ``*_KNOWN`` lists name options Asterisk accepts that Ariel keeps only
as text in each object's ``extra``.
"""

from __future__ import annotations

from ariel.config._options import Spec, boolean, choice, integer, listing, table, text, words
from ariel.config.values import parse_callerid, parse_host_port

__all__ = ["CODEC_NAMES", "TLS_METHODS", "apply_codec_list"]

#: Format names Asterisk knows, in the order ``allow = all`` adds them.
CODEC_NAMES = words(
    "g723 gsm ulaw alaw g726 g726aal2 adpcm slin slin12 slin16 slin24 slin32 slin44 "
    "slin48 slin96 slin192 lpc10 g729 speex speex16 speex32 ilbc g722 siren7 siren14 "
    "testlaw g719 opus silk8 silk12 silk16 silk24 codec2 jpeg png h261 h263 h263p h264 "
    "h265 mpeg4 vp8 vp9 red t140 t38"
)


def apply_codec_list(codecs: tuple[str, ...], value: str, *, allow: bool) -> tuple[str, ...]:
    """Apply one ``allow =`` or ``disallow =`` line to a codec tuple.

    Items are comma-separated; ``all`` means every codec, a ``!`` prefix flips
    allow and disallow, and ``:framing`` suffixes are ignored.

    Raises:
        ValueError: For a codec Asterisk does not know.

    >>> apply_codec_list(apply_codec_list((), "all", allow=False), "ulaw,alaw", allow=True)
    ('ulaw', 'alaw')
    """
    result = list(codecs)
    for item in (i.strip().lower() for i in value.split(",")):
        if not item:
            continue
        adding = allow
        if item.startswith("!"):
            adding, item = not allow, item[1:]
        name = item.partition(":")[0].strip()
        if name == "all":
            chosen = list(CODEC_NAMES)
        elif name in CODEC_NAMES:
            chosen = [name]
        else:
            raise ValueError(f"unknown codec '{name}'")
        for codec in chosen:
            if adding and codec not in result:
                result.append(codec)
            elif not adding and codec in result:
                result.remove(codec)
    return tuple(result)


def _set_var(value: str) -> tuple[tuple[str, str]]:
    name, sep, content = value.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"{value!r} is not NAME=value")
    return ((name.strip(), content.strip()),)


def _identify_by(value: str) -> tuple[str, ...]:
    methods = listing(value.lower())
    allowed = ("username", "auth_username", "ip", "header", "request_uri")
    for method in methods:
        if method not in allowed:
            raise ValueError(f"'{method}' is not one of {', '.join(allowed)}")
    return methods


def _bind(value: str) -> tuple[str, int]:
    return parse_host_port(value, 0)


#: ``method`` of a TLS transport, as res_pjsip accepts it (empty means ``default``).
TLS_METHODS = words("default unspecified tlsv1 tlsv1_1 tlsv1_2 tlsv1_3 sslv2 sslv3 sslv23")


def _tls_method(value: str) -> str:
    word = value.strip().lower()
    if word and word not in TLS_METHODS:
        raise ValueError(f"{value!r} is not one of {', '.join(TLS_METHODS)}")
    return word


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number of seconds") from None
    if number < 0:
        raise ValueError(f"{number} is negative")
    return number


_ANY_INT = integer()
_COUNT = integer(0)

GLOBAL = table(
    {
        "endpoint_identifier_order": listing,
        "user_agent": text,
        "default_outbound_endpoint": text,
        "debug": text,
        "keep_alive_interval": _COUNT,
        "max_forwards": integer(1, 255),
        "max_initial_qualify_time": _COUNT,
        "contact_expiration_check_interval": _COUNT,
        "disable_multi_domain": boolean,
        "default_from_user": text,
        "default_realm": text,
        "regcontext": text,
        "default_voicemail_extension": text,
        "ignore_uri_user_options": boolean,
        "norefersub": boolean,
    }
)
GLOBAL_KNOWN = words(
    "mwi_tps_queue_high mwi_tps_queue_low mwi_disable_initial_unsolicited "
    "unidentified_request_count unidentified_request_period "
    "unidentified_request_prune_interval send_contact_status_on_update_registration "
    "taskprocessor_overload_trigger allow_sending_180_after_183 "
    "all_codecs_on_empty_reinvite use_callerid_contact default_auth_algorithms_uac "
    "default_auth_algorithms_uas"
)

SYSTEM = table(
    {
        "timer_t1": integer(100),
        "timer_b": integer(100),
        "compact_headers": boolean,
        "disable_tcp_switch": boolean,
        "follow_early_media_fork": boolean,
        "accept_multiple_sdp_answers": boolean,
    }
)
SYSTEM_KNOWN = words(
    "threadpool_initial_size threadpool_auto_increment threadpool_idle_timeout "
    "threadpool_max_size disable_rport"
)

TRANSPORT = table(
    {
        "protocol": choice("udp", "tcp", "tls", "ws", "wss", "flow"),
        "bind": Spec("_bind", _bind),
        "external_media_address": text,
        "external_signaling_address": text,
        "external_signaling_port": integer(0, 65535),
        "local_net": Spec("local_net", listing, accumulate=True),
        "domain": text,
        "tos": text,
        "cos": integer(0, 7),
        "cert_file": text,
        "priv_key_file": text,
        "ca_list_file": text,
        "ca_list_path": text,
        "cipher": listing,
        "method": _tls_method,
        "verify_client": boolean,
        "verify_server": boolean,
        "require_client_cert": boolean,
        "password": text,
        "async_operations": integer(1),
        "websocket_write_timeout": integer(1),
        "allow_reload": boolean,
        "symmetric_transport": boolean,
    }
)
TRANSPORT_KNOWN = words(
    "tcp_keepalive_enable tcp_keepalive_idle_time tcp_keepalive_interval_time "
    "tcp_keepalive_probe_count allow_wildcard_certs"
)

ENDPOINT = table(
    {
        "context": text,
        "transport": text,
        "dtmf_mode": choice("rfc4733", "inband", "info", "auto", "auto_info", "none"),
        "callerid": parse_callerid,
        "callerid_privacy": choice(
            "allowed_not_screened",
            "allowed_passed_screen",
            "allowed_failed_screen",
            "allowed",
            "prohib_not_screened",
            "prohib_passed_screen",
            "prohib_failed_screen",
            "prohib",
            "unavailable",
        ),
        "callerid_tag": text,
        "aors": listing,
        "auth": listing,
        "outbound_auth": listing,
        "outbound_proxy": text,
        "identify_by": _identify_by,
        "direct_media": boolean,
        "direct_media_method": choice("invite", "reinvite", "update"),
        "connected_line_method": choice("invite", "reinvite", "update"),
        "rtp_symmetric": boolean,
        "media_address": text,
        "bind_rtp_to_media_address": boolean,
        "rtp_timeout": _COUNT,
        "rtp_timeout_hold": _COUNT,
        "rtp_keepalive": _COUNT,
        "rtp_ipv6": boolean,
        "force_rport": boolean,
        "rewrite_contact": boolean,
        "language": text,
        "tone_zone": text,
        "moh_suggest": text,
        "from_user": text,
        "from_domain": text,
        "contact_user": text,
        "timers": choice("no", "yes", "required", "always", "forced"),
        "timers_min_se": integer(90),
        "timers_sess_expires": integer(90),
        "100rel": Spec("rel100", choice("no", "yes", "required", "peer_supported")),
        "send_rpid": boolean,
        "send_pai": boolean,
        "send_diversion": boolean,
        "trust_id_inbound": boolean,
        "trust_id_outbound": boolean,
        "trust_connected_line": boolean,
        "send_connected_line": boolean,
        "inband_progress": boolean,
        "ice_support": boolean,
        "use_avpf": boolean,
        "media_encryption": choice("no", "sdes", "dtls"),
        "webrtc": boolean,
        "allow_subscribe": boolean,
        "allow_transfer": boolean,
        "allow_overlap": boolean,
        "mailboxes": listing,
        "device_state_busy_at": _COUNT,
        "accountcode": text,
        "call_group": text,
        "pickup_group": text,
        "set_var": Spec("set_var", _set_var, accumulate=True),
        "message_context": text,
        "subscribe_context": text,
        "max_audio_streams": _COUNT,
        "max_video_streams": _COUNT,
        "sdp_owner": text,
        "sdp_session": text,
        "user_eq_phone": boolean,
        "moh_passthrough": boolean,
        "t38_udptl": boolean,
        "fax_detect": boolean,
    }
)
ENDPOINT_KNOWN = words(
    "aggregate_mwi direct_media_glare_mitigation disable_direct_media_on_nat "
    "redirect_method voicemail_extension mwi_subscribe_replaces_unsolicited "
    "rpid_immediate use_ptime media_encryption_optimistic g726_non_standard "
    "named_call_group named_pickup_group t38_udptl_ec t38_udptl_maxdatagram "
    "fax_detect_timeout t38_udptl_nat t38_udptl_ipv6 t38_bind_udptl_to_media_address "
    "one_touch_recording record_on_feature record_off_feature rtp_engine tos_audio "
    "tos_video cos_audio cos_video sub_min_expiry mwi_from_user dtls_verify dtls_rekey "
    "dtls_cert_file dtls_private_key dtls_cipher dtls_ca_file dtls_ca_path dtls_setup "
    "dtls_fingerprint dtls_auto_generate_cert srtp_tag_32 asymmetric_rtp_codec "
    "refer_blind_progress notify_early_inuse_ringing incoming_mwi_mailbox "
    "follow_early_media_fork accept_multiple_sdp_answers suppress_q850_reason_headers "
    "ignore_183_without_sdp bundle rtcp_mux media_use_received_transport "
    "preferred_codec_only incoming_call_offer_pref outgoing_call_offer_pref "
    "codec_prefs_incoming_offer codec_prefs_outgoing_offer codec_prefs_incoming_answer "
    "codec_prefs_outgoing_answer stir_shaken stir_shaken_profile "
    "allow_unauthenticated_options geoloc_incoming_call_profile "
    "geoloc_outgoing_call_profile send_aoc security_negotiation security_mechanisms "
    "overlap_context tenantid suppress_moh_on_sendonly send_history_info acl deny permit "
    "contact_acl contact_deny contact_permit"
)

AOR = table(
    {
        "contact": Spec("contacts", listing, accumulate=True),
        "max_contacts": _COUNT,
        "qualify_frequency": _COUNT,
        "qualify_timeout": _seconds,
        "authenticate_qualify": boolean,
        "remove_existing": boolean,
        "remove_unavailable": boolean,
        "default_expiration": _COUNT,
        "maximum_expiration": _COUNT,
        "minimum_expiration": _COUNT,
        "mailboxes": listing,
        "voicemail_extension": text,
        "outbound_proxy": text,
        "support_path": boolean,
    }
)

AUTH = table(
    {
        "auth_type": choice("userpass", "md5", "digest", "google_oauth"),
        "username": text,
        "password": text,
        "md5_cred": text,
        "realm": text,
        "nonce_lifetime": integer(1),
    }
)
AUTH_KNOWN = words(
    "refresh_token oauth_clientid oauth_secret password_digest supported_algorithms_uac "
    "supported_algorithms_uas"
)

IDENTIFY = table(
    {
        "endpoint": text,
        "match": Spec("match", listing, accumulate=True),
        "match_header": text,
        "match_request_uri": text,
        "srv_lookups": boolean,
    }
)
