"""When the message queue is missing or fails (docs/deploy.md, When Redis fails): nothing starts
without it, /healthz and the consoles say so while it is down, and every page on every process
shows the true board again, during the outage and once Redis is back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.live_server import ROOT, LiveServer, free_port
from tests.scaleout.conftest import Recorder
from tests.scaleout.test_redis_queue import ask_and_show, console_on, phone_on

CARAVANE = Path(sys.executable).parent / "caravane"
# Milliseconds for a page to heal on its own: a beat every 3 s, then 1.5 s of grace and up to
# 2 s of spread before it asks for the board (docs/protocol.md, Sequence), with a margin.
HEALED_WITHIN = 12_000


def run_caravane(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    began = time.monotonic()
    result = subprocess.run([str(CARAVANE), *args], env={**os.environ, **env}, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - began


def said(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def dead_queue(cluster) -> dict[str, str]:
    return {**cluster.env, "CARAVANE_MESSAGE_QUEUE": f"redis://127.0.0.1:{free_port()}/0"}


def test_serve_and_the_command_line_refuse_a_queue_that_does_not_answer(cluster):
    for command in (["serve", "--port", str(free_port())], ["moderator", "list"]):
        result, seconds = run_caravane(*command, env=dead_queue(cluster))
        assert result.returncode != 0, command
        assert seconds < 10, command
        [line] = said(result)
        assert "message queue at redis://127.0.0.1:" in line and "does not answer" in line


def test_gunicorn_alone_stops_rather_than_serve_without_its_queue(cluster, folder):
    server = LiveServer(cluster.database_url, env=dead_queue(cluster),
                        log_path=folder / "dead-queue.log")
    with pytest.raises(RuntimeError, match="exited"):
        server.start(timeout=20)


def test_without_the_redis_library_nothing_starts(cluster, tmp_path):
    # The `[redis]` extra forgotten: a package that cannot be imported stands in for it.
    shadow = tmp_path / "shadow" / "redis"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = {**cluster.env, "PYTHONPATH": str(shadow.parent)}
    for command in (["serve", "--port", str(free_port())], ["moderator", "list"]):
        result, seconds = run_caravane(*command, env=env)
        assert result.returncode != 0, command
        assert seconds < 10
        [line] = said(result)
        assert "redis package is missing" in line and "caravane[redis]" in line


def wait_until(check, seconds: float, failure: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(failure)


def healthy(server) -> bool:
    return requests.get(server.url + "/healthz", timeout=10).status_code == 200


@pytest.fixture
def outage(redis_server, cluster):
    """Stop Redis for the test's outage; it is always started again, and both processes
    answer /healthz before the next test."""
    yield redis_server
    if redis_server.process.poll() is not None:
        redis_server.start()
    for server in cluster.servers:
        wait_until(lambda server=server: healthy(server), 15, "a process stayed unhealthy")


def test_healthz_says_503_while_the_queue_is_down_and_200_once_it_is_back(cluster, outage):
    server = cluster.servers[0]
    outage.stop()
    response = requests.get(server.url + "/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["reason"].startswith("message queue")
    outage.start()
    wait_until(lambda: healthy(server), 10, "/healthz stayed 503 after Redis came back")


def test_a_phone_on_the_other_process_catches_up_during_and_after_an_outage(cluster, outage):
    a, b = cluster.servers
    phone_events, asker_events, console_events = Recorder(), Recorder(), Recorder()
    phone = phone_on(a.url, phone_events)
    phone_events.attach(phone, ["board:sync"])
    # The moderator and the person asking are on process b; the phone watching is on a.
    asker = phone_on(b.url, asker_events)
    console = console_on(b.url, console_events)
    console_events.attach(console, ["queue:status"], namespace="/moderation")
    try:
        first = ask_and_show(asker, console, console_events,
                             "Qui décide où sont posées les caméras du centre-ville")
        shown = phone_events.wait_for("screen:changed", lambda d: (d["question"] or {}).get("id")
                                      == first["id"])
        outage.stop()
        console_events.wait_for("queue:status", lambda d: d == {"answering": False})

        # Stored and acknowledged at once, though the other process cannot hear of it.
        began = time.monotonic()
        second = ask_and_show(asker, console, console_events,
                              "Combien coûte la maintenance des caméras chaque année")
        assert time.monotonic() - began < 5
        # Process a's beat reads the stop's number from the database: the phone learns it is
        # behind while Redis is still down, and its snapshot shows the true screen.
        sync = phone_events.wait_for("board:sync", lambda d: d["seq"] > shown["seq"], timeout=10)
        snapshot = phone.call("join", {"stop": "calais"}, timeout=10)
        assert snapshot["seq"] >= sync["seq"]
        assert snapshot["on_screen"]["id"] == second["id"]
        assert not any(name == "screen:changed" and (data["question"] or {}).get("id")
                       == second["id"] for name, data in phone_events.events)

        outage.start()
        console_events.wait_for("queue:status", lambda d: d == {"answering": True}, timeout=10)
        # Process a subscribed again and asks its pages to check what they hold (a phone
        # whose own question changed meanwhile would not know otherwise).
        phone_events.wait_for("board:sync", lambda d: d["recheck"] and d["seq"] >= snapshot["seq"],
                              timeout=10)
        # Events flow between the processes again.
        hidden = console.call("moderate", {"question_id": second["id"], "action": "hide",
                                           "version": snapshot["on_screen"]["version"]},
                              namespace="/moderation", timeout=10)
        assert hidden["ok"], hidden
        left = phone_events.wait_for("screen:changed", lambda d: d["question"] is None
                                     and d["left"]["id"] == second["id"], timeout=10)
        assert left["seq"] == snapshot["seq"] + 1
    finally:
        for client in (phone, asker, console):
            client.disconnect()


@pytest.mark.browser
def test_chromium_phone_projector_and_console_converge_after_redis_restarts(cluster, outage,
                                                                             browser):
    from playwright.sync_api import expect

    from caravane.typography import french_spacing
    from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR
    from tests.live_server import signed_in
    from tests.scaleout.conftest import MODERATOR

    a, b = cluster.servers
    phone_events, console_events = Recorder(), Recorder()
    # The moderator and the person asking are on process b; the pages watching are on a.
    asker = phone_on(b.url, phone_events)
    console = console_on(b.url, console_events)
    texts = ["Les caméras de la gare enregistrent-elles le son",
             "Qui peut consulter les images des drones de la préfecture"]
    contexts = []
    try:
        first = ask_and_show(asker, console, console_events, texts[0])
        pages = {}
        for name, device, server, path in (
                ("projector", PROJECTOR, a, "/calais/ecran"),
                ("phone", PHONE, a, "/calais/questions"),
                ("console", LAPTOP, b, "/calais/moderation")):
            context = browser.new_context(locale="fr-FR", **device)
            contexts.append(context)
            context.set_default_timeout(15_000)
            if name == "console":
                session = signed_in(b.url, *MODERATOR)
                context.add_cookies([{"name": c.name, "value": c.value, "url": b.url}
                                     for c in session.cookies])
            page = context.new_page()
            page.goto(server.url + path)
            page.wait_for_selector("html[data-live=joined]", state="attached")
            pages[name] = page
        expect(pages["projector"].locator("#current")).to_have_text(french_spacing(texts[0]))

        outage.stop()
        expect(pages["console"].locator("#queue-warning")).to_be_visible()
        second = ask_and_show(asker, console, console_events, texts[1])
        # During the outage: the pages on process a hear the beat (every 3 s) and fetch the
        # board (after 1.5 s, then within 2 s).
        expect(pages["projector"].locator("#current")).to_have_text(
            french_spacing(texts[1]), timeout=HEALED_WITHIN)
        expect(pages["phone"].locator("#now")).to_contain_text(texts[1], timeout=HEALED_WITHIN)

        outage.start()
        expect(pages["console"].locator("#queue-warning")).to_be_hidden()
        expect(pages["console"].locator("#console-status")).to_contain_text("rétablie")
        hidden = console.call("moderate", {"question_id": second["id"], "action": "answer",
                                           "version": second["version"] + 2},
                              namespace="/moderation", timeout=10)
        assert hidden["ok"], hidden
        expect(pages["projector"].locator("#idle")).to_be_visible(timeout=HEALED_WITHIN)
        expect(pages["projector"].locator("#current")).to_be_hidden()
        # Nothing shown twice: each question once in the room's list.
        for text in texts:
            expect(pages["phone"].locator("#questions li", has_text=text)).to_have_count(1)
        assert first["id"] != second["id"]
    finally:
        for context in contexts:
            context.close()
        asker.disconnect()
        console.disconnect()
