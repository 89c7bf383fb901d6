"""The moderator's hour in Roubaix, in real Chromium: the sign-in lands on the stops, the most
serious questions come first, setting one aside proposes the reason its flag suggests, a queue
of next questions is shared by every console, "n" moves the debate on, and the header always
shows what the projector shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, MODERATOR, PROJECTOR, screenshot, sign_in, wait_live

pytestmark = pytest.mark.browser

STOP = "roubaix"


def card(page, question):
    return page.locator(f'.mod-question[data-id="{question["id"]}"]')


def pending_ids(page) -> list[int]:
    return [int(i) for i in page.locator("#list-pending .mod-question").evaluate_all(
        "nodes => nodes.map(node => node.dataset.id)")]


def test_signing_in_lands_on_the_stops_with_their_pending_questions(live, contexts, backstage):
    asked = backstage.submit(STOP, "Qui visionne les images des caméras du métro à Roubaix ?")
    page = contexts(LAPTOP).new_page()
    page.goto(f"{live.url}/connexion")
    page.fill("#login", MODERATOR[0])
    page.fill("#password", MODERATOR[1])
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/moderation$"))
    expect(page.locator("main")).to_contain_text(f"Connecté·e : {MODERATOR[0]}")
    roubaix = page.locator(".chooser-stop", has_text="Roubaix")
    expect(roubaix).to_contain_text(re.compile(r"[1-9]\d* questions? à relire"))
    roubaix.locator("a").click()
    page.wait_for_url(re.compile(r"/roubaix/moderation$"))
    wait_live(page)
    expect(page.locator(".console-who")).to_have_text(f"Connecté·e : {MODERATOR[0]}")
    backstage.set_aside(asked)


def test_triage_puts_a_threat_first_and_rejecting_proposes_the_matching_reason(
    live, contexts, backstage
):
    page = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    wait_live(page)
    clean = [backstage.submit(STOP, text) for text in (
        "Combien de caméras ont été installées à Roubaix depuis 2020 ?",
        "Le logiciel de la police municipale analyse-t-il les visages ?",
    )]
    expect(card(page, clean[1])).to_be_visible()
    threat = backstage.submit(STOP, "On sait où tu habites, le flic, tu vas le payer.")
    phone = backstage.submit(STOP, "Appelez mon voisin au 06 12 34 56 78, il filme la rue ?")
    repeat = backstage.submit(
        STOP, "Combien de caméras ont été installées à Roubaix depuis 2020 ??")
    spam = backstage.submit(STOP, "ACHETEZ MES T-SHIRTS !!! promo sur www.boutique-exemple.fr")
    expect(card(page, threat).locator(".flags")).to_contain_text("menace")
    expect(card(page, repeat).locator(".flags")).to_contain_text("doublon probable")
    expect(card(page, spam).locator(".flags")).to_contain_text("spam")
    ours = {q["id"] for q in (*clean, threat, phone, repeat, spam)}
    order = [i for i in pending_ids(page) if i in ours]
    # Threat and personal data first (oldest first), the clean questions last (oldest first),
    # and between them the most serious flag first.
    assert order[:2] == [threat["id"], phone["id"]], order
    assert order[-2:] == [clean[0]["id"], clean[1]["id"]], order
    levels = [int(page.locator(f'.mod-question[data-id="{i}"]').get_attribute("data-severity"))
              for i in order]
    assert levels == sorted(levels, reverse=True) and levels[-1] == 0 < levels[2], levels
    # The duplicate quotes the question it repeats.
    expect(card(page, repeat).locator(".flag-repeats")).to_contain_text(clean[0]["text"])
    # On a flagged question the safe action is the primary one; on a clean one, approving.
    primary = lambda question: card(page, question).locator("button.is-primary")  # noqa: E731
    expect(primary(threat)).to_have_attribute("data-action", "reject")
    expect(primary(clean[0])).to_have_attribute("data-action", "approve")
    screenshot(page, "console-triage-laptop", full_page=False)

    expected = {threat["id"]: "abusive", phone["id"]: "personal_data",
                repeat["id"]: "duplicate", spam["id"]: "off_topic", clean[1]["id"]: "duplicate"}
    for question_id, reason in expected.items():
        node = page.locator(f'.mod-question[data-id="{question_id}"]')
        node.focus()
        page.keyboard.press("r")
        expect(node.locator("select")).to_be_focused()
        expect(node.locator("select")).to_have_value(reason)
        page.keyboard.press("Escape")
    # A question arriving while a reason is being chosen does not close the chooser.
    node = card(page, spam)
    node.focus()
    page.keyboard.press("r")
    node.locator("select").select_option("other")
    late = backstage.submit(STOP, "Une question qui arrive pendant le choix de la raison ?")
    expect(card(page, late)).to_be_visible()
    expect(node.locator("select")).to_have_value("other")
    expect(node.locator("select")).to_be_focused()
    page.keyboard.press("Escape")
    expect(node.locator("select")).to_have_count(0)
    # The reasons in the order a person reads them: already asked first, "other" last.
    node = card(page, repeat)
    node.focus()
    page.keyboard.press("r")
    options = node.locator("select option").all_inner_texts()
    assert options[0].endswith("déjà posée") and options[-1].endswith("autre raison"), options
    page.keyboard.press("Enter")
    expect(page.locator(f'#list-rejected [data-id="{repeat["id"]}"]')).to_contain_text("déjà posée")
    expect(page.locator("#console-status")).to_have_text(f"Question {repeat['id']} écartée.")
    backstage.set_aside(*clean, threat, phone, spam, late)


def test_the_queue_is_shared_and_next_moves_the_debate_on_from_the_keyboard(
    live, contexts, backstage
):
    first, second, third = (
        backstage.moderate(backstage.submit(STOP, text), "approve")
        for text in ("File : qui a signé le contrat des caméras ?",
                     "File : combien coûte la maintenance ?",
                     "File : où sont stockées les images ?"))
    moderator = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    wait_live(moderator)
    colleague = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    wait_live(colleague)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/{STOP}/ecran")
    wait_live(projector)

    # Pointer: add two to the queue; keyboard: add the third, then move it up.
    for question in (first, second):
        card(moderator, question).locator("button[data-action=queue]").click()
        expect(moderator.locator(f'#list-queue [data-id="{question["id"]}"]')).to_be_visible()
    card(moderator, third).focus()
    moderator.keyboard.press("q")
    expect(moderator.locator(f'#list-queue [data-id="{third["id"]}"]')).to_be_visible()
    moderator.keyboard.press("Shift+ArrowUp")
    queue_order = colleague.locator("#list-queue .mod-question")
    expect(queue_order).to_have_count(3)
    ids = lambda page: [int(i) for i in page.locator("#list-queue .mod-question").evaluate_all(  # noqa: E731
        "nodes => nodes.map(node => node.dataset.id)")]
    expect(colleague.locator("#list-queue .mod-question").nth(1)).to_have_attribute(
        "data-id", str(third["id"]))
    assert ids(colleague) == [first["id"], third["id"], second["id"]]
    # The colleague moves the head down with a button; both consoles agree.
    card(colleague, first).locator("button[data-action=down]").click()
    for page in (moderator, colleague):
        expect(page.locator("#list-queue .mod-question").first).to_have_attribute(
            "data-id", str(third["id"]))
        assert ids(page) == [third["id"], first["id"], second["id"]]
    expect(moderator.locator("#up-next-text")).to_contain_text(third["text"])

    # "n": the head goes on screen; again: it is answered and the next one takes its place.
    moderator.locator("body").press("n")
    expect(projector.locator("#current")).to_have_text(third["text"])
    expect(moderator.locator("#preview-text")).to_have_text(third["text"])
    expect(colleague.locator("#preview-text")).to_have_text(third["text"])
    expect(moderator.locator("#console-status")).to_contain_text(
        f"Question {third['id']} à l’écran")
    colleague.locator("#next-button").click()
    expect(projector.locator("#current")).to_have_text(first["text"])
    expect(moderator.locator("#preview-text")).to_have_text(first["text"])
    expect(moderator.locator(f'#list-answered [data-id="{third["id"]}"]')).to_be_visible()
    expect(colleague.locator("#list-queue .mod-question")).to_have_count(1)
    screenshot(moderator, "console-queue-laptop", full_page=False)

    # The header stays in view far down the page, with the preview and its actions.
    moderator.mouse.wheel(0, 4000)
    expect(moderator.locator("#preview-text")).to_be_in_viewport()
    moderator.locator("#preview-actions button[data-action=hide]").click()
    expect(projector.locator("#idle")).to_be_visible()
    expect(moderator.locator("#preview-idle")).to_be_visible()

    # Each question's history, on demand.
    card(moderator, third).locator("button[data-action=history]").click()
    history = card(moderator, third).locator(".mod-history")
    expect(history).to_contain_text(f"{MODERATOR[0]} a accepté la question {third['id']}")
    expect(history).to_contain_text(f"{MODERATOR[0]} a ajouté la question {third['id']} à la file")
    expect(history).to_contain_text(
        f"{MODERATOR[0]} a marqué la question {third['id']} comme répondue")
    # It stays open and follows the question: the colleague's written answer adds its line.
    card(colleague, third).locator("button[data-action=reply]").click()
    card(colleague, third).locator("textarea").fill("Réponse donnée sur scène, détails à venir.")
    card(colleague, third).locator("button[data-action=save-reply]").click()
    expect(history).to_contain_text(
        f"{MODERATOR[0]} a répondu par écrit à la question {third['id']}")
    big = sign_in(contexts(PROJECTOR), live, f"/{STOP}/moderation")
    wait_live(big)
    screenshot(big, "console-queue-1920", full_page=False)
    backstage.set_aside(first, second)


def test_the_stop_log_reads_as_sentences(live, contexts, backstage):
    question = backstage.submit(STOP, "Journal : qui contrôle les caméras de la Grand-Place ?")
    backstage.moderate(question, "reject", reason="off_topic")
    page = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation/journal")
    expect(page.locator(".log")).to_contain_text(
        f"{MODERATOR[0]} a écarté la question {question['id']} (hors sujet)")
