"""The room's view from a phone (390×844), in real Chromium, on the Roubaix board: the question
on screen in the first screen whatever comes below, honest states, the author told of what
moderators did to their question."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, question_in_db, screenshot, wait_live

pytestmark = pytest.mark.browser

STOP = "roubaix"


def ask(page, text):
    page.fill("#text", text)
    page.click("#ask-form button[type=submit]")
    # Stored once the server's status replaces "Envoi…" (the outbox shows it at once).
    mine = page.locator("#my-questions .my-question", has_text=text)
    expect(mine.locator(".badge")).to_have_text("en attente")
    [(question_id, _status, _client)] = question_in_db(page.live, text)
    return {"id": question_id, "version": 1, "text": text, "stop": STOP}


def phone_page(live, contexts):
    page = contexts(PHONE).new_page()
    page.live = live
    page.goto(f"{live.url}/{STOP}/questions")
    wait_live(page)
    return page


def board(backstage, status):
    answer = backstage.console.call("board", {"stop": STOP, "status": status},
                                    namespace="/moderation", timeout=10)
    assert answer["ok"], answer


def test_the_question_on_screen_is_in_the_first_screen_whatever_comes_below(
    live, contexts, backstage
):
    backstage.clear_screen(STOP)
    page = phone_page(live, contexts)
    expect(page.locator("#now")).to_be_hidden()
    mine = [ask(page, f"Ma question numéro {n} sur les caméras de la Grand-Place ?")
            for n in range(4)]
    # The confirmation is brief, promises review (not display), and goes when typing again.
    expect(page.locator("#sent")).to_contain_text("relira")
    page.fill("#text", "J")
    expect(page.locator("#sent")).to_be_hidden()
    page.fill("#text", "")

    shown = backstage.publish(STOP, "Qui a choisi le prestataire des caméras de Roubaix ?",
                              show=True)
    now = page.locator("#now")
    expect(now).to_contain_text(shown["text"])
    box = now.bounding_box()
    assert box["y"] + box["height"] <= 844, f"the question on screen ends at {box}"
    screenshot(page, "board-phone-now", full_page=False)
    # Live: another question takes the screen.
    following = backstage.publish(STOP, "Combien de temps sont gardées les images à Roubaix ?",
                                  show=True)
    expect(now).to_contain_text(following["text"])
    expect(now).not_to_contain_text(shown["text"])
    backstage.moderate(following, "hide")
    backstage.set_aside(*mine, shown, following)
    expect(now).to_be_hidden()


def test_closing_and_voting_only_change_the_heading_and_lock_the_form(live, contexts, backstage):
    page = phone_page(live, contexts)
    try:
        board(backstage, "voting_only")
        expect(page.locator("#board-title")).to_have_text("Soutenez les questions")
        expect(page.locator("#text")).to_be_disabled()
        board(backstage, "closed")
        expect(page.locator("#board-title")).to_have_text("Les questions sont closes")
        expect(page.locator("#text")).to_be_disabled()
        page.reload()
        wait_live(page)
        expect(page.locator("#board-title")).to_have_text("Les questions sont closes")
        expect(page.locator("#text")).to_be_disabled()
        screenshot(page, "board-phone-closed", full_page=False)
    finally:
        board(backstage, "open")
    expect(page.locator("#board-title")).to_have_text("Posez vos questions")
    expect(page.locator("#text")).to_be_enabled()


def test_the_author_sees_corrections_repeats_supports_and_their_own_questions(
    live, contexts, backstage
):
    page = phone_page(live, contexts)
    original = backstage.publish(STOP, "Qui a accès aux images des caméras du métro de Roubaix ?")
    corrected = ask(page, "Pourquoi la mairie a-t-elle installé des cameras au parc Barbieux ?")
    repeated = ask(page, "Qui a accès aux images des caméras du métro de Roubaix ??")

    # Corrected by a moderator: said, with the author's own words one tap away.
    edited = backstage.console.call("edit", {
        "question_id": corrected["id"], "version": 1,
        "text": "Pourquoi la mairie a-t-elle installé des caméras au parc Barbieux ?"},
        namespace="/moderation", timeout=10)["question"]
    mine = page.locator(f'#my-questions .my-question[data-id="{corrected["id"]}"]')
    expect(mine.locator(".my-edited summary")).to_be_visible()
    mine.locator(".my-edited summary").click()
    expect(mine.locator(".my-original")).to_have_text(corrected["text"])

    # Approved: marked as one's own in the room's list, with its support count.
    backstage.moderate(edited, "approve")
    expect(page.locator(f'#questions [data-id="{corrected["id"]}"] .question-mine')).to_be_visible()
    expect(mine.locator(".my-votes")).to_have_text("Soutiens : 0")
    assert backstage.phone.call("vote", {"question_id": corrected["id"]}, timeout=10)["ok"]
    expect(mine.locator(".my-votes")).to_have_text("Soutiens : 1")

    # Set aside as already asked: the earlier question is one tap away, to support it.
    backstage.moderate(repeated, "reject", reason="duplicate")
    duplicate = page.locator(f'#my-questions .my-question[data-id="{repeated["id"]}"]')
    expect(duplicate.locator(".repeat-link")).to_have_attribute("href", f"#q{original['id']}")
    duplicate.locator(".repeat-support").click()
    card = page.locator(f'#questions [data-id="{original["id"]}"]')
    expect(card.locator(".vote")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".vote-count")).to_have_text("1")
    screenshot(page, "board-phone-mine", full_page=True)
    backstage.set_aside(original, edited)


def test_every_control_on_the_phone_page_is_at_least_44_pixels(live, contexts, backstage):
    question = backstage.publish(STOP, "Une question pour mesurer les boutons de la page ?")
    page = phone_page(live, contexts)
    page.locator(".name-field summary").click()
    controls = page.locator(
        "main button:visible, main summary:visible, main input:not([type=hidden]):visible, "
        "main textarea:visible, .sort a:visible, .lang a:visible")
    small = []
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        if box and (box["height"] < 44 or box["width"] < 44):
            small.append((controls.nth(index).evaluate("n => n.outerHTML.slice(0, 80)"), box))
    assert not small, small
    backstage.set_aside(question)
