"""A debate in Calais as the room lives it: a phone, two moderators' laptops and the projector,
each in its own browser context, all live, nobody reloading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from caravane.typography import french_spacing
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, screenshot, sign_in, wait_live

FIRST = "Combien de caméras de vidéosurveillance sont installées à Calais aujourd'hui ?"
SECOND = "Qui a accès aux images enregistrées, et pendant combien de temps ?"

pytestmark = pytest.mark.browser


def pending_card(page, text):
    return page.locator("#list-pending .mod-question", has_text=text)


def test_question_goes_from_phone_to_console_to_projector_without_reload(live, contexts):
    phone = contexts(PHONE).new_page()
    phone.goto(f"{live.url}/calais/questions")
    wait_live(phone)
    moderator = sign_in(contexts(LAPTOP), live)
    wait_live(moderator)
    colleague = sign_in(contexts(LAPTOP), live)
    wait_live(colleague)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/calais/ecran")
    wait_live(projector)
    for page in (phone, moderator, colleague, projector):
        page.evaluate("window.__sameDocument = true")  # lost if anything reloads

    # The attendee asks; the form stays there, empty, ready for the next question.
    phone.fill("#text", FIRST)
    phone.click("#ask-form button[type=submit]")
    expect(phone.locator("#sent")).to_contain_text("L’équipe de modération la relira")
    expect(phone.locator("#text")).to_be_visible()
    expect(phone.locator("#text")).to_have_value("")
    mine = phone.locator("#my-questions .my-question", has_text=FIRST)
    expect(mine.locator(".badge")).to_have_text("en attente")
    phone.fill("#text", SECOND)
    phone.click("#ask-form button[type=submit]")
    expect(phone.locator("#my-questions .my-question")).to_have_count(2)

    # Both consoles see it arrive.
    expect(pending_card(moderator, FIRST)).to_be_visible()
    expect(pending_card(colleague, FIRST)).to_be_visible()
    expect(moderator.locator("#count-pending")).to_have_text("2")

    pending_card(moderator, FIRST).locator("button[data-action=approve]").click()
    expect(colleague.locator("#list-approved .mod-question", has_text=FIRST)).to_be_visible()
    expect(colleague.locator("#count-pending")).to_have_text("1")
    expect(mine.locator(".badge")).to_have_text("acceptée")
    published = phone.locator(".questions .question", has_text=FIRST)
    expect(published).to_be_visible()
    expect(phone.locator("#published-count")).to_have_text("1")

    moderator.locator("#list-approved .mod-question", has_text=FIRST).locator(
        "button[data-action=show]").click()
    expect(projector.locator("#current")).to_have_text(FIRST)
    expect(projector.locator("#idle")).to_be_hidden()
    expect(colleague.locator("#preview-text")).to_have_text(FIRST)
    expect(published.locator(".badge-on_screen")).to_be_visible()
    expect(mine.locator(".badge")).to_have_text("à l’écran")
    screenshot(phone, "board-phone-live")
    screenshot(moderator, "console-laptop-live", full_page=False)
    screenshot(projector, "projector-question", full_page=False)

    # Answered: the projector waits for the next one, which the colleague puts up.
    moderator.locator("#preview-actions button[data-action=answer]").click()
    expect(projector.locator("#idle")).to_be_visible()
    expect(mine.locator(".badge")).to_have_text("répondue")
    expect(colleague.locator("#list-answered .mod-question", has_text=FIRST)).to_be_visible()
    pending_card(colleague, SECOND).locator("button[data-action=approve]").click()
    colleague.locator("#list-approved .mod-question", has_text=SECOND).locator(
        "button[data-action=show]").click()
    expect(projector.locator("#current")).to_have_text(SECOND)
    expect(moderator.locator("#preview-text")).to_have_text(SECOND)
    expect(phone.locator(".questions .question", has_text=SECOND).locator(
        ".badge-on_screen")).to_be_visible()

    for page in (phone, moderator, colleague, projector):
        assert page.evaluate("window.__sameDocument") is True


def test_projector_text_fits_the_screen_and_shows_how_to_join(live, contexts, backstage):
    long_text = ("Pourquoi la ville a-t-elle choisi d'équiper ses nouvelles caméras d'un logiciel "
                 "d'analyse automatique des comportements, qui a voté ce budget, et quelles "
                 "garanties a-t-on que ces images ne serviront pas à ficher les personnes exilées "
                 "ni les bénévoles qui les aident au quotidien dans les campements ?")
    backstage.publish("calais", long_text, show=True)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/calais/ecran")
    wait_live(projector)
    current = projector.locator("#current")
    expect(current).to_have_text(long_text)
    box = projector.locator("#fit").bounding_box()
    text = current.bounding_box()
    assert text["y"] + text["height"] <= box["y"] + box["height"] + 1, "question cut off"
    size = float(current.evaluate("node => getComputedStyle(node).fontSize")[:-2])
    assert size >= 48, f"{size}px cannot be read from the back of the room"
    expect(projector.locator(".qr")).to_be_visible()
    expect(projector.locator(".join-url")).to_have_text(re.compile(r"/calais$"))
    screenshot(projector, "projector-long-question", full_page=False)


PAYLOADS = [
    '<img src=x onerror="window.__pwned=1"> une question piégée',
    "<script>window.__pwned=1</script> une autre question piégée",
]


def test_markup_in_a_question_shows_as_text_and_never_runs(live, contexts, backstage):
    phone = contexts(PHONE).new_page()
    phone.goto(f"{live.url}/calais/questions")
    wait_live(phone)
    moderator = sign_in(contexts(LAPTOP), live)
    wait_live(moderator)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/calais/ecran")
    wait_live(projector)
    for payload in PAYLOADS:
        phone.fill("#text", payload)
        phone.click("#ask-form button[type=submit]")
        card = pending_card(moderator, payload)
        expect(card.locator(".mod-text")).to_have_text(payload)
        card.locator("button[data-action=approve]").click()
        moderator.locator("#list-approved .mod-question", has_text=payload).locator(
            "button[data-action=show]").click()
        expect(projector.locator("#current")).to_have_text(payload)
        expect(phone.locator(".questions .question-text", has_text=payload)).to_have_text(payload)
    # The server-rendered pages too, after a reload.
    phone.reload()
    projector.reload()
    expect(phone.locator(".questions .question-text", has_text=PAYLOADS[0])).to_have_text(
        PAYLOADS[0])
    expect(projector.locator("#current")).to_have_text(PAYLOADS[1])
    for page in (phone, moderator, projector):
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img[src=x]").count() == 0


def test_console_is_driven_by_the_keyboard_shortcuts_it_documents(live, contexts, backstage):
    first = backstage.submit("calais", "Première question pour le clavier : les caméras ?")
    second = backstage.submit("calais", "Deuxième question pour le clavier : les drones ?")
    page = sign_in(contexts(LAPTOP), live)
    wait_live(page)
    help_text = page.locator(".shortcuts").inner_text()
    for key in "jkarshdeuqn?":
        documented = page.locator(".shortcuts kbd", has_text=re.compile(f"^{re.escape(key)}$"))
        assert documented.count() == 1, key
    card = lambda q: page.locator(f'.mod-question[data-id="{q["id"]}"]')  # noqa: E731

    page.keyboard.press("j")  # two clean questions: the oldest first
    expect(card(first)).to_be_focused()
    outline = card(first).evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline != "none", "the focused question must show where the keyboard is"
    page.keyboard.press("j")
    expect(card(second)).to_be_focused()
    page.keyboard.press("k")
    expect(card(first)).to_be_focused()
    page.keyboard.press("j")

    page.keyboard.press("a")
    expect(page.locator(f'#list-approved [data-id="{second["id"]}"]')).to_be_visible()
    expect(card(second)).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator("#preview")).to_have_attribute("data-question-id", str(second["id"]))
    page.keyboard.press("h")
    expect(page.locator(f'#list-approved [data-id="{second["id"]}"]')).to_be_visible()
    page.keyboard.press("d")
    expect(page.locator(f'#list-answered [data-id="{second["id"]}"]')).to_be_visible()

    card(first).focus()
    page.keyboard.press("e")
    editor = card(first).locator("textarea")
    expect(editor).to_be_focused()
    editor.fill("Première question pour le clavier : les caméras de la gare ?")
    page.keyboard.press("Control+Enter")
    # Spaced as French typography spaces it, like the preview: « ? » never alone on a line.
    expect(card(first).locator(".mod-text")).to_have_text(
        french_spacing("Première question pour le clavier : les caméras de la gare ?"))
    card(first).focus()
    page.keyboard.press("r")
    expect(card(first).locator("select")).to_be_focused()
    page.keyboard.press("1")  # first reason: already asked
    expect(page.locator(f'#list-rejected [data-id="{first["id"]}"]')).to_contain_text("déjà posée")
    card(first).focus()
    page.keyboard.press("u")
    expect(page.locator(f'#list-pending [data-id="{first["id"]}"]')).to_be_visible()
    page.keyboard.press("?")  # back to the help, wherever the moderator is
    expect(page.locator("#shortcuts")).to_be_focused()
    assert "j" in help_text


def test_counter_and_french_errors_sit_next_to_the_field(live, contexts):
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/calais/questions")
    wait_live(page)
    page.fill("#text", "Trop court")
    expect(page.locator("#counter")).to_have_text("10/500")
    page.fill("#text", "Court")
    page.click("#ask-form button[type=submit]")
    error = page.locator("#text-error")
    expect(error).to_have_text("Votre question est trop courte : au moins 10 caractères.")
    expect(page.locator("#text")).to_have_attribute("aria-invalid", "true")
    assert "text-error" in page.locator("#text").get_attribute("aria-describedby")
    page.fill("#text", "x" * 501)  # the field itself stops at the limit
    expect(page.locator("#counter")).to_have_text("500/500")
    expect(page.locator("#text")).to_have_value("x" * 500)
    page.fill("#text", "Une question enfin assez longue ?")
    expect(error).to_be_hidden()


def test_board_sorts_by_support_or_recency_and_counts_questions(live, contexts, backstage):
    older = backstage.publish("calais", "Tri : la plus ancienne des deux questions ?")
    newer = backstage.publish("calais", "Tri : la plus récente des deux questions ?")
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/calais/questions")
    wait_live(page)
    cards = page.locator("#questions .question")
    expect(page.locator("#published-count")).to_have_text(str(cards.count()))

    def order():
        ids = [int(i) for i in cards.evaluate_all("nodes => nodes.map(n => n.dataset.id)")]
        return ids.index(older["id"]) < ids.index(newer["id"])

    page.locator(f'#q{newer["id"]} .vote').click()
    expect(page.locator(f'#q{newer["id"]} .vote')).to_have_attribute("aria-pressed", "true")
    assert order() is False, "the supported question goes up"
    page.click(".sort a[data-sort=recent]")
    expect(page.locator(".sort a[data-sort=recent]")).to_have_attribute("aria-current", "true")
    assert order() is False
    page.locator(f'#q{older["id"]} .vote').click()
    page.locator(f'#q{newer["id"]} .vote').click()  # withdraw: older now leads on support
    expect(page.locator(f'#q{newer["id"]} .vote')).to_have_attribute("aria-pressed", "false")
    assert order() is False, "recent order ignores support"
    page.click(".sort a[data-sort=votes]")
    assert order() is True
    # The order chosen is in the address, so a reload (or no JavaScript) keeps it.
    page.click(".sort a[data-sort=recent]")
    page.reload()
    wait_live(page)
    assert order() is False
