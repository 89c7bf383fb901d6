"""The answer timer in Lille, in real Chromium: two consoles command one countdown, the
projector shows it beside the question, keeps it across a reload, and says when time is up
without ever hiding the question; in French and Arabic."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PROJECTOR, screenshot, sign_in, wait_live

pytestmark = pytest.mark.browser

STOP = "lille"
QUESTION = "Combien de temps les images des caméras de la gare Lille-Flandres sont-elles gardées ?"


def timer_call(backstage, command: str, **extra) -> dict:
    answer = backstage.console.call("timer", {"stop": STOP, "command": command, **extra},
                                    namespace="/moderation", timeout=10)
    assert answer["ok"], answer
    return answer["timer"]


def clock_seconds(page) -> int:
    minutes, seconds = page.locator("#timer .countdown-clock").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def boxes_apart(a: dict, b: dict) -> bool:
    return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def put_back(backstage, question):
    """As other modules expect the stop: the timer at 2 minutes, the question gone."""
    timer_call(backstage, "reset", seconds=120)
    current = backstage.console.call("join", {"stop": STOP}, namespace="/moderation", timeout=10)
    mine = next(q for q in current["questions"] if q["id"] == question["id"])
    if mine["status"] == "on_screen":
        mine = backstage.moderate(mine, "hide")
    backstage.set_aside(mine)


def test_two_consoles_share_the_timer_and_the_projector_keeps_it(live, contexts, backstage):
    question = backstage.publish(STOP, QUESTION, show=True)
    timer_call(backstage, "reset", seconds=120)
    try:
        first = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
        second = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
        projector = contexts(PROJECTOR).new_page()
        projector.goto(f"{live.url}/{STOP}/ecran")
        for page in (first, second, projector):
            wait_live(page)
        # At rest the projector shows no timer; the consoles show its length.
        expect(projector.locator("#timer")).to_be_hidden()
        expect(first.locator("#timer .countdown-clock")).to_have_text("2:00")
        expect(first.locator("[data-timer-length]")).to_have_value("120")

        first.get_by_role("button", name="Lancer").click()
        # The other console sees it counting, and so does the room.
        expect(second.locator("#timer")).to_have_attribute("data-state", "running")
        expect(second.locator("#timer .countdown-clock")).to_have_text("1:59", timeout=3000)
        expect(projector.locator("#timer")).to_be_visible()
        expect(projector.locator("#timer [data-when=running]")).to_be_visible()
        expect(first.get_by_role("button", name="Lancer")).to_be_disabled()
        screenshot(projector, "timer-projector-running-fr", full_page=False)
        screenshot(first, "timer-console-running-laptop", full_page=False)

        second.get_by_role("button", name="Mettre en pause").click()
        for page in (first, second, projector):
            expect(page.locator("#timer")).to_have_attribute("data-state", "paused")
            expect(page.locator("#timer [data-when=paused]")).to_have_text("En pause")
        paused = clock_seconds(second)
        assert 110 <= paused < 120, paused
        assert clock_seconds(projector) == clock_seconds(first) == paused
        # Beside the question, never over it, and readable from the back of the room.
        expect(projector.locator("#current")).to_have_text(QUESTION)
        assert boxes_apart(projector.locator("#timer").bounding_box(),
                           projector.locator("#current").bounding_box())
        assert projector.locator("#timer .countdown-clock").bounding_box()["height"] >= 100

        # A reload shows the paused countdown in the page itself, before the socket joins.
        projector.reload(wait_until="domcontentloaded")
        expect(projector.locator("#timer")).to_have_attribute("data-state", "paused")
        assert clock_seconds(projector) == paused
        wait_live(projector)
        assert clock_seconds(projector) == paused

        second.get_by_role("button", name="Remettre à zéro").click()
        expect(projector.locator("#timer")).to_be_hidden()
        expect(first.locator("#timer .countdown-clock")).to_have_text("2:00")

        # A short length, started from the keyboard: at 0:00 time is up, said in words, and
        # the question stays on screen.
        timer_call(backstage, "reset", seconds=10)
        expect(first.locator("[data-timer-length]")).to_have_value("10")
        first.locator("body").press("t")
        expect(projector.locator("#timer")).to_have_attribute("data-state", "running")
        expect(projector.locator("#timer")).to_have_attribute("data-state", "up", timeout=12_000)
        expect(projector.locator("#timer .countdown-clock")).to_have_text("0:00")
        expect(projector.locator("#timer [data-when=up]")).to_have_text("Temps écoulé")
        expect(projector.locator("#current")).to_have_text(QUESTION)
        expect(projector.locator("#current")).to_be_visible()
        assert boxes_apart(projector.locator("#timer").bounding_box(),
                           projector.locator("#current").bounding_box())
        expect(second.locator("#timer")).to_have_attribute("data-state", "up")
        screenshot(projector, "timer-projector-up-fr", full_page=False)
        screenshot(second, "timer-console-up-laptop", full_page=False)
    finally:
        put_back(backstage, question)


def test_the_projector_shows_the_timer_in_arabic_beside_the_question(live, contexts, backstage):
    question = backstage.publish(STOP, QUESTION, show=True)
    timer_call(backstage, "reset", seconds=300)
    timer_call(backstage, "start")
    try:
        projector = contexts(PROJECTOR, locale="ar").new_page()
        projector.goto(f"{live.url}/{STOP}/ecran")
        wait_live(projector)
        expect(projector.locator("html")).to_have_attribute("dir", "rtl")
        expect(projector.locator("#timer")).to_have_attribute("data-state", "running")
        expect(projector.locator("#timer [data-when=running]")).to_be_visible()
        timer_box = projector.locator("#timer").bounding_box()
        question_box = projector.locator("#current").bounding_box()
        assert boxes_apart(timer_box, question_box)
        # Right to left: the question starts on the right, the timer stands on its left.
        assert timer_box["x"] + timer_box["width"] <= question_box["x"]
        screenshot(projector, "timer-projector-running-ar", full_page=False)
    finally:
        put_back(backstage, question)
