from ariel.ari.router import RouteTable
from ariel.arispec.types import Operation


def op(method: str, path: str, nick: str) -> Operation:
    return Operation(
        resource="channels", nickname=nick, method=method, path=path, response_class="void"
    )


TABLE = RouteTable(
    [
        op("GET", "/channels", "list"),
        op("POST", "/channels", "originate"),
        op("POST", "/channels/create", "create"),
        op("GET", "/channels/{channelId}", "get"),
        op("POST", "/channels/{channelId}", "originateWithId"),
        op("POST", "/channels/{channelId}/answer", "answer"),
    ]
)


def test_literal_path_matches_its_operations() -> None:
    match = TABLE.match("channels")
    assert match is not None
    assert match.allowed_methods() == ["GET", "POST"]


def test_path_parameter_is_captured_and_percent_decoded() -> None:
    match = TABLE.match("channels/a%20b/answer")
    assert match is not None
    assert match.path_params == {"channelId": "a b"}
    assert set(match.operations) == {"POST"}


def test_literal_segment_wins_without_backtracking() -> None:
    match = TABLE.match("channels/create")
    assert match is not None
    assert list(match.operations) == ["POST"]
    assert match.operations["POST"].nickname == "create"


def test_unknown_path_is_no_match() -> None:
    assert TABLE.match("nowhere") is None
    assert TABLE.match("channels/x/y/z") is None


def test_duplicate_route_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="routed twice"):
        RouteTable([op("GET", "/a", "x"), op("GET", "/a", "y")])
