"""The real server process with real python-socketio clients over WebSocket."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
import socketio

from tests.live_server import (
    cookie_header,
    fresh_server,
    signed_in,
)

pytestmark = pytest.mark.live


@pytest.fixture
def server(tmp_path):
    with fresh_server(tmp_path) as live:
        yield live


def signed_in_session(base: str) -> requests.Session:
    return signed_in(base, "dominique", "a long enough password")


def test_question_travels_from_phone_to_console_to_screen_over_websocket(server):
    phone_http = requests.Session()
    phone_http.get(server.url + "/calais/questions")
    phone = socketio.SimpleClient()
    phone.connect(server.url, transports=["websocket"],
                  headers={"Cookie": cookie_header(phone_http)})

    moderator_http = signed_in_session(server.url)
    console = socketio.Client()
    new_questions, screen_changes = [], []
    arrived, shown = threading.Event(), threading.Event()
    console.on("question:new", lambda q: (new_questions.append(q), arrived.set()),
               namespace="/moderation")
    console.connect(server.url, namespaces=["/moderation"], transports=["websocket"],
                    headers={"Cookie": cookie_header(moderator_http)})
    assert console.call("join", {"stop": "calais"}, namespace="/moderation", timeout=10)["ok"]

    screen = socketio.Client()
    screen.on("screen:changed", lambda data: (screen_changes.append(data), shown.set()))
    screen.connect(server.url, transports=["websocket"])
    assert screen.call("join", {"stop": "calais"}, timeout=10)["ok"]

    assert phone.call("join", {"stop": "calais"}, timeout=10)["ok"]
    answer = phone.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                   "text": "Qui contrôle les drones au-dessus de la jungle ?"},
                        timeout=10)
    assert answer["ok"] and answer["question"]["status"] == "pending"
    assert arrived.wait(10)
    question = new_questions[0]
    approved = console.call("moderate", {"question_id": question["id"], "action": "approve",
                                         "version": question["version"]},
                            namespace="/moderation", timeout=10)
    shown_answer = console.call("moderate", {"question_id": question["id"], "action": "show",
                                             "version": approved["question"]["version"]},
                                namespace="/moderation", timeout=10)
    assert shown_answer["ok"]
    assert shown.wait(10)
    assert screen_changes[-1]["question"]["text"] == question["text"]
    for client in (phone, console, screen):
        client.disconnect()


def test_moderation_namespace_refuses_a_visitor_over_websocket(server):
    visitor = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        visitor.connect(server.url, namespaces=["/moderation"], transports=["websocket"],
                        wait_timeout=5)
    visitor.disconnect()
