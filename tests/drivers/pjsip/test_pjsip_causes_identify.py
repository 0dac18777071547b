from ariel.config import config_from_texts
from ariel.drivers.pjsip.causes import cause_to_sip, sip_to_cause
from ariel.drivers.pjsip.identify import identify_endpoint

PJSIP = """
[global]
type = global
endpoint_identifier_order = username,ip,anonymous

[alice]
type = endpoint
context = sets
allow = ulaw
auth = alice-auth

[alice-auth]
type = auth
username = alice-login
password = secret

[trunk]
type = endpoint
context = sets
allow = ulaw
identify_by = ip

[trunk-ip]
type = identify
endpoint = trunk
match = 192.0.2.0/24
"""


def test_sip_failures_map_to_q850_causes() -> None:
    assert sip_to_cause(486) == 17
    assert sip_to_cause(404) == 1
    assert sip_to_cause(603) == 21
    assert sip_to_cause(499) == 127
    assert sip_to_cause(599) == 34


def test_causes_map_to_sip_rejections_with_603_by_default() -> None:
    assert cause_to_sip(17) == 486
    assert cause_to_sip(1) == 404
    assert cause_to_sip(21) == 403
    assert cause_to_sip(16) == 603


def _identify(from_user: str, ip: str) -> str | None:
    conf = config_from_texts({"pjsip.conf": PJSIP}).pjsip
    found = identify_endpoint(conf, from_user=from_user, source_ip=ip, header=lambda _n: None)
    return found.name if found is not None else None


def test_from_user_names_the_endpoint() -> None:
    assert _identify("alice", "127.0.0.1") == "alice"


def test_auth_username_also_identifies() -> None:
    assert _identify("alice-login", "127.0.0.1") == "alice"


def test_source_address_identifies_an_ip_endpoint() -> None:
    assert _identify("whoever", "192.0.2.7") == "trunk"


def test_endpoint_not_identified_by_ip_is_not_found_by_address() -> None:
    assert _identify("nobody", "198.51.100.1") is None


def test_ip_endpoint_is_not_found_by_its_name() -> None:
    assert _identify("trunk", "198.51.100.1") is None
