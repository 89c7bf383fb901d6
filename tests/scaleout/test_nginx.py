"""nginx, with the config shipped in deploy/, in front of two caravane processes and Redis: the
live loop works through it over WebSocket and over long-polling, and clients are spread over
both processes while each stays on its own."""

from __future__ import annotations

import pytest
import requests
import socketio

from tests import hostile
from tests.hostile import server_connections
from tests.scaleout.conftest import Recorder
from tests.scaleout.services import Nginx
from tests.scaleout.test_redis_queue import ask_and_show, console_on, phone_on


def established_to(port: int) -> int:
    """TCP connections currently established to a local port (nginx's upstream sockets)."""
    return server_connections(port)["ESTABLISHED"]


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_live_loop_runs_through_nginx(nginx, transport):
    phone_events, console_events = Recorder(), Recorder()
    phone = phone_on(nginx.url, phone_events, transport)
    console = console_on(nginx.url, console_events, transport)
    screen_events = Recorder()
    screen = phone_on(nginx.url, screen_events, transport)
    try:
        assert phone.transport() == transport
        text = "Les images de la vidéosurveillance algorithmique sont-elles gardées ?"
        question = ask_and_show(phone, console, console_events, text)
        assert phone_events.wait_for("question:status", lambda q: q["status"] == "on_screen")
        shown = screen_events.wait_for("screen:changed", lambda d: d["question"] is not None)
        assert shown["question"]["id"] == question["id"]
    finally:
        for client in (phone, console, screen):
            client.disconnect()


def test_nginx_spreads_phones_over_both_processes_and_keeps_each_on_its_own(nginx, cluster):
    phones = []
    try:
        for _ in range(16):
            http = requests.Session()
            http.get(nginx.url + "/calais/questions", timeout=10)
            assert "caravane_route" in http.cookies
            phone = socketio.Client(http_session=http)
            # Long-polling first, then the upgrade: every one of these requests must reach the
            # process that holds this phone's session, or the connection fails.
            phone.connect(nginx.url, transports=["polling", "websocket"], wait_timeout=10)
            assert phone.call("join", {"stop": "calais"}, timeout=10)["ok"]
            phones.append(phone)
        assert all(phone.transport() == "websocket" for phone in phones)
        held = [established_to(server.port) for server in cluster.servers]
        assert all(count >= 2 for count in held), f"connections per process: {held}"
    finally:
        for phone in phones:
            phone.disconnect()


def test_nginx_answers_an_oversized_long_polling_post_itself_at_once(nginx):
    # The body limit on /socket.io/ is engine.io's 16 kB: nginx refuses before any process
    # reads a byte of it, with or without a Content-Length.
    assert hostile.run(hostile.oversized_posts(nginx.port, 20, in_flight=5)) == {"413": 20}
    assert hostile.run(hostile.oversized_posts(nginx.port, 20, in_flight=5, chunked=True)) == {
        "413": 20}


def test_nginx_caps_the_connections_of_one_address_and_serves_the_others(cluster, folder):
    backends = [server.port for server in cluster.servers]
    # The shipped config with a cap of 5 instead of 3000, so that the test stays small.
    with Nginx(folder / "nginx-cap", backends, per_address=5) as capped:
        async def scenario():
            held, refused = await hostile.hold_sockets(capped.port, 10, in_flight=10)
            try:
                assert (len(held), refused) == (5, 5)
                return await hostile.visit(capped.port)
            finally:
                for connection in held:
                    connection.close()

        assert hostile.run(scenario())["socket"] > 0
