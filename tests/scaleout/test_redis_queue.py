"""Two caravane processes and a real Redis: what happens on one process reaches the other's
clients, and so does a command typed on the server's console."""

from __future__ import annotations

import uuid
from unittest.mock import ANY

import requests
import socketio

from tests.scaleout.conftest import Recorder, signed_in

PUBLIC_EVENTS = ["question:published", "question:removed", "screen:changed", "question:status"]


def phone_on(base: str, recorder: Recorder, transport: str = "websocket") -> socketio.Client:
    http = requests.Session()
    http.get(base + "/calais/questions", timeout=10)
    phone = socketio.Client(http_session=http)
    recorder.attach(phone, PUBLIC_EVENTS)
    phone.connect(base, transports=[transport], wait_timeout=10)
    assert phone.call("join", {"stop": "calais"}, timeout=10)["ok"]
    return phone


def console_on(base: str, recorder: Recorder, transport: str = "websocket") -> socketio.Client:
    console = socketio.Client(http_session=signed_in(base))
    recorder.attach(console, ["question:new", "question:changed"], namespace="/moderation")
    console.connect(base, namespaces=["/moderation"], transports=[transport], wait_timeout=10)
    assert console.call("join", {"stop": "calais"}, namespace="/moderation", timeout=10)["ok"]
    return console


def ask_and_show(phone: socketio.Client, console: socketio.Client, console_events: Recorder,
                 text: str) -> dict:
    """The live loop: a phone asks, the console sees it arrive, approves it, shows it."""
    answer = phone.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                   "text": text}, timeout=10)
    assert answer["ok"], answer
    question = console_events.wait_for("question:new", lambda q: q["text"] == text)
    approved = console.call("moderate", {"question_id": question["id"], "action": "approve",
                                         "version": question["version"]},
                            namespace="/moderation", timeout=10)
    assert approved["ok"], approved
    shown = console.call("moderate", {"question_id": question["id"], "action": "show",
                                      "version": approved["question"]["version"]},
                         namespace="/moderation", timeout=10)
    assert shown["ok"], shown
    return question


def test_attendee_on_one_process_sees_what_a_moderator_does_on_the_other(cluster):
    a, b = cluster.servers
    phone_events, console_events = Recorder(), Recorder()
    phone = phone_on(a.url, phone_events)
    console = console_on(b.url, console_events)
    try:
        text = "Combien de caméras la ville a-t-elle ajoutées depuis 2020 ?"
        question = ask_and_show(phone, console, console_events, text)
        published = phone_events.wait_for("question:published", lambda q: q["text"] == text)
        assert published["id"] == question["id"]
        screen = phone_events.wait_for("screen:changed", lambda d: d["question"] is not None)
        assert screen["question"]["text"] == text
    finally:
        phone.disconnect()
        console.disconnect()


def test_purge_typed_on_the_command_line_empties_connected_phones_and_the_screen(cluster):
    a, b = cluster.servers
    phone_events, console_events = Recorder(), Recorder()
    phone = phone_on(a.url, phone_events)
    console = console_on(b.url, console_events)
    try:
        text = "Qui a accès aux images des caméras de la gare ?"
        question = ask_and_show(phone, console, console_events, text)
        phone_events.wait_for("screen:changed", lambda d: d["question"] is not None)

        purge = cluster.cli("questions", "purge", "calais")
        assert purge.returncode == 0, purge.stderr

        removed = phone_events.wait_for("question:removed", lambda d: d["id"] == question["id"])
        assert removed == {"id": question["id"], "seq": ANY}
        phone_events.wait_for("screen:changed", lambda d: d["question"] is None)
        # The board the phone asks for again is empty too: the purge reached the database.
        snapshot = phone.call("join", {"stop": "calais"}, timeout=10)
        assert snapshot["questions"] == [] and snapshot["on_screen"] is None
    finally:
        phone.disconnect()
        console.disconnect()
