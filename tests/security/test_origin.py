"""Socket.IO only from the site's own pages: a real server, since the test client skips Origin."""

from __future__ import annotations

import pytest
import requests
import socketio

from tests.live_server import LiveServer, free_port, prepare_database

pytestmark = pytest.mark.live

FOREIGN = "https://evil.example"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('origin') / 'live.sqlite3'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="module")
def server(database):
    with LiveServer(database) as live:
        yield live


@pytest.fixture(scope="module")
def public_server(database):
    port = free_port()
    # The public name the site is known by; the browser's Origin is that, whatever the Host.
    # The moderators' own network has a name of its own.
    with LiveServer(database, port=port,
                    env={"CARAVANE_PUBLIC_URL": "http://caravane.test:8080",
                         "CARAVANE_ALLOWED_HOSTS": "moderation.test"}) as live:
        yield live


def handshake(base: str, **headers) -> int:
    """The Engine.IO polling handshake, the first request any Socket.IO client sends."""
    return requests.get(base + "/socket.io/?EIO=4&transport=polling", headers=headers,
                        timeout=10).status_code


def connects(base: str, **headers) -> bool:
    """A WebSocket connection and a join, with this Origin (websocket-client would otherwise add
    its own Origin header next to ours)."""
    origin = headers.pop("Origin")
    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
    try:
        client.connect(base, headers=headers, transports=["websocket"], wait_timeout=5)
    except (socketio.exceptions.ConnectionError, ValueError):
        # With gevent-websocket the upgrade completes before engine.io refuses: the client
        # then reads an empty packet (ValueError) instead of an HTTP error.
        return False
    joined = client.call("join", {"stop": "calais"}, timeout=10)["ok"]
    client.disconnect()
    return joined


def test_a_page_from_the_same_origin_connects(server):
    assert handshake(server.url, Origin=server.url) == 200
    assert connects(server.url, Origin=server.url)


def test_a_page_from_another_site_is_refused(server):
    assert handshake(server.url, Origin=FOREIGN) == 400
    assert not connects(server.url, Origin=FOREIGN)


def test_a_forged_forwarded_host_does_not_let_another_site_in(server):
    forged = {"Origin": FOREIGN, "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    assert handshake(server.url, **forged) == 400
    assert not connects(server.url, **forged)


def test_with_a_public_url_only_that_origin_is_accepted(public_server):
    assert handshake(public_server.url, Origin="http://caravane.test:8080") == 200
    # Even the address the server happens to listen on is not the site's origin.
    assert handshake(public_server.url, Origin=public_server.url) == 400
    assert handshake(public_server.url, Origin=FOREIGN,
                     **{"X-Forwarded-Host": "caravane.test:8080"}) == 400
    assert connects(public_server.url, Origin="http://caravane.test:8080")
    assert not connects(public_server.url, Origin=FOREIGN)


def test_a_page_served_under_an_allowed_host_connects_from_that_host(public_server):
    port = public_server.port
    own = {"Host": f"moderation.test:{port}", "Origin": f"http://moderation.test:{port}"}
    assert handshake(public_server.url, **own) == 200
    # Another host in the Host header is not made trusted by a matching Origin.
    forged = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert handshake(public_server.url, **forged) == 400
