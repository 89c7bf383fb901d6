"""The projector in Calais, as the room sees it: the support count of the question on screen,
the board's states, the short address; at 1920×1080 and 1366×768, in French and Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PROJECTOR, screenshot, wait_live
from tests.live_server import cookie_header

pytestmark = pytest.mark.browser

STOP = "calais"
QUESTION = "Combien de temps la mairie garde-t-elle les images des caméras du port ?"
LONG = ("Pourquoi la ville a-t-elle choisi d'équiper ses nouvelles caméras d'un logiciel "
        "d'analyse automatique des comportements, qui a voté ce budget, et quelles garanties "
        "a-t-on que ces images ne serviront pas à ficher les personnes exilées ni les bénévoles "
        "qui les aident au quotidien dans les campements ?")
ARABIC = ("من يستطيع الاطلاع على صور كاميرات المراقبة في كاليه، وكم من الوقت تُحفظ هذه الصور "
          "قبل حذفها، ومن يراقب استعمالها؟")
THANKS = "Les questions sont closes pour cette soirée. Merci !"


def set_board(backstage, status: str) -> None:
    answer = backstage.console.call("board", {"stop": STOP, "status": status},
                                    namespace="/moderation", timeout=10)
    assert answer["ok"], answer


def latest(backstage, question: dict) -> dict:
    snapshot = backstage.console.call("join", {"stop": STOP}, namespace="/moderation",
                                      timeout=10)
    return next(q for q in snapshot["questions"] if q["id"] == question["id"])


def clean_up(backstage, *questions: dict) -> None:
    """Back to an open board without our questions: other modules share the server and stop.
    A question on screen cannot be set aside: it leaves the screen first."""
    set_board(backstage, "open")
    for question in questions:
        current = latest(backstage, question)
        if current["status"] == "on_screen":
            backstage.moderate(current, "hide")
    backstage.set_aside(*questions)


def another_phone(live):
    """A second attendee (own cookie, own identity): one more support."""
    import requests
    import socketio

    http = requests.Session()
    http.get(f"{live.url}/{STOP}/questions", timeout=10)
    phone = socketio.Client()
    phone.connect(live.url, transports=["websocket"], headers={"Cookie": cookie_header(http)})
    return phone


def boxes_apart(a: dict, b: dict) -> bool:
    return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def font_size(locator) -> float:
    return float(locator.evaluate("node => getComputedStyle(node).fontSize")[:-2])


def test_projector_follows_supports_and_the_board_live(live, contexts, backstage):
    question = backstage.publish(STOP, QUESTION, show=True)
    second = None
    try:
        projector = contexts(PROJECTOR).new_page()
        projector.goto(f"{live.url}/{STOP}/ecran")
        wait_live(projector)
        projector.evaluate("window.__sameDocument = true")  # lost if anything reloads
        votes = projector.locator("#current-votes")
        expect(projector.locator("#current")).to_have_text(QUESTION)
        expect(votes).to_have_text("0 soutien")
        expect(projector.locator(".join-url")).to_have_text(re.compile(rf"^[^/]+/{STOP}$"))

        # Supports from two phones, then one taken back: the count follows, French plurals.
        answer = backstage.phone.call("vote", {"question_id": question["id"]}, timeout=10)
        assert answer["ok"] and answer["voted"], answer
        expect(votes).to_have_text("1 soutien")
        second = another_phone(live)
        assert second.call("vote", {"question_id": question["id"]}, timeout=10)["votes"] == 2
        expect(votes).to_have_text("2 soutiens")
        screenshot(projector, "projector-supports-fr-1920", full_page=False)
        assert second.call("vote", {"question_id": question["id"]}, timeout=10)["votes"] == 1
        expect(votes).to_have_text("1 soutien")

        # Votes only: the way in stays, but invites to support, not to ask.
        set_board(backstage, "voting_only")
        expect(projector.locator("#join-label")).to_have_text("Scannez ou tapez pour soutenir")
        expect(projector.locator(".qr")).to_be_visible()
        expect(projector.locator(".join-url")).to_be_visible()

        # Closed: thanks, and no QR code nor address, the question still on screen.
        set_board(backstage, "closed")
        expect(projector.locator("#join-closed")).to_have_text(THANKS)
        expect(projector.locator(".qr")).to_be_hidden()
        expect(projector.locator(".join-url")).to_be_hidden()
        expect(projector.locator("#current")).to_have_text(QUESTION)
        screenshot(projector, "projector-closed-question-fr-1920", full_page=False)

        # The question off screen: the thanks take the stage. (Hidden, not answered: an answered
        # question cannot be set aside, and the stop must be left as found.)
        backstage.moderate(latest(backstage, question), "hide")
        expect(projector.locator("#idle")).to_have_text(THANKS)
        expect(votes).to_be_hidden()
        expect(projector.locator(".join")).to_be_hidden()
        screenshot(projector, "projector-closed-idle-fr-1920", full_page=False)

        # Open again, idle then votes only: the big line says what phones can do.
        set_board(backstage, "open")
        expect(projector.locator("#idle")).to_have_text(
            "Posez vos questions depuis votre téléphone")
        expect(projector.locator(".qr")).to_be_visible()
        set_board(backstage, "voting_only")
        expect(projector.locator("#idle")).to_have_text(
            "Soutenez les questions depuis votre téléphone")
        expect(projector.locator(".qr")).to_be_visible()
        screenshot(projector, "projector-voting-only-idle-fr-1920", full_page=False)
        assert projector.evaluate("window.__sameDocument") is True

        # After a reload, the server says the same.
        projector.reload()
        expect(projector.locator("#idle")).to_have_text(
            "Soutenez les questions depuis votre téléphone")
        set_board(backstage, "closed")
        projector.reload()
        expect(projector.locator("#idle")).to_have_text(THANKS)
        expect(projector.locator(".qr")).to_be_hidden()
    finally:
        if second is not None:
            second.disconnect()
        clean_up(backstage, question)


@pytest.mark.parametrize("device, size", [(PROJECTOR, "1920"), (LAPTOP, "1366")])
@pytest.mark.parametrize("locale, text", [("fr", LONG), ("ar", ARABIC)])
def test_count_never_hides_the_question(live, contexts, backstage, device, size, locale, text):
    question = backstage.publish(STOP, text, show=True)
    try:
        for _ in range(3):
            assert another_vote(live, question) > 0
        projector = contexts(device, locale=locale).new_page()
        projector.goto(f"{live.url}/{STOP}/ecran")
        wait_live(projector)
        current = projector.locator("#current")
        votes = projector.locator("#current-votes")
        expect(current).to_have_text(text)
        expect(votes).to_be_visible()
        if locale == "fr":
            expect(votes).to_have_text("3 soutiens")
        else:
            expect(projector.locator("html")).to_have_attribute("dir", "rtl")
            expect(votes).to_contain_text("3")
        projector.evaluate("document.fonts.ready.then(() => true)")
        box = projector.locator("#fit").bounding_box()
        text_box, votes_box = current.bounding_box(), votes.bounding_box()
        join_box = projector.locator(".join").bounding_box()
        # Everything inside the question's box, nothing over the question.
        for part in (text_box, votes_box):
            assert part["y"] >= box["y"] - 1 and part["y"] + part["height"] <= (
                box["y"] + box["height"] + 1), "cut off"
        assert boxes_apart(text_box, votes_box), "the count covers the question"
        assert boxes_apart(text_box, join_box), "the way in covers the question"
        assert font_size(current) > font_size(votes), "the question must stay the largest"
        screenshot(projector, f"projector-count-{locale}-{size}", full_page=False)
    finally:
        clean_up(backstage, question)


def another_vote(live, question: dict) -> int:
    phone = another_phone(live)
    try:
        answer = phone.call("vote", {"question_id": question["id"]}, timeout=10)
        assert answer["ok"], answer
        return answer["votes"]
    finally:
        phone.disconnect()
