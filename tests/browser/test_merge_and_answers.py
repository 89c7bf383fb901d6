"""Beyond the peers, in real Chromium on the Lille board: two consoles merge duplicates at the
same moment (one from the assistant's hint, one by choosing), across languages; the authors'
phones, the room and the projector say how many asked; a merge is undone; written answers are
written on two consoles at once and read on the phones, with or without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    question_in_db,
    screenshot,
    sign_in,
    wait_live,
)

pytestmark = pytest.mark.browser

STOP = "lille"
KEPT = "Combien de caméras de surveillance la ville de Lille a-t-elle installées ?"
REPEAT = "Combien de caméras de surveillance la ville de Lille a-t-elle installées depuis 2020 ?"
ARABIC = "كم عدد كاميرات المراقبة التي ركبتها مدينة ليل؟"


def card(page, question_id):
    return page.locator(f'.mod-question[data-id="{question_id}"]')


def phone(live, contexts):
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/{STOP}/questions")
    wait_live(page)
    return page


def ask(page, live, text):
    page.fill("#text", text)
    page.click("#ask-form button[type=submit]")
    expect(page.locator("#my-questions .my-question", has_text=text)
           .locator(".badge")).to_have_text("en attente")
    [(question_id, _status, _client)] = question_in_db(live, text)
    return question_id


def test_two_consoles_merge_at_once_across_languages_and_everyone_sees_who_asked(
    live, contexts, backstage
):
    backstage.clear_screen(STOP)
    kept = backstage.publish(STOP, KEPT)
    first, second = phone(live, contexts), phone(live, contexts)
    repeat = ask(first, live, REPEAT)
    arabic = ask(second, live, ARABIC)
    one = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    other = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    for page in (one, other):
        wait_live(page)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/{STOP}/ecran")
    wait_live(projector)

    # One console from the assistant's hint, the other by choosing the Arabic question: both
    # prepared, then pressed at the same moment.
    hint = card(one, repeat).locator("button[data-action=merge-into]")
    expect(hint).to_have_text(f"Regrouper avec la question {kept['id']}")
    card(other, arabic).locator("input[data-action=choose]").check()
    expect(other.locator("#console-status")).to_contain_text("Questions choisies : 1")
    here = card(other, kept["id"]).locator("button[data-action=merge-here]")
    hint.click()
    here.click()
    for page in (one, other):
        kept_card = card(page, kept["id"])
        expect(kept_card.locator(".mod-asked")).to_have_text("posée par 3 personnes")
        expect(kept_card.locator(".mod-grouped li")).to_have_count(2)
        expect(page.locator(f'.mod-question[data-id="{repeat}"]')).to_have_count(0)
        expect(page.locator(f'.mod-question[data-id="{arabic}"]')).to_have_count(0)

    screenshot(other, "merged-console", full_page=False)

    # Each author's phone: grouped, with the text it joined, and a support for it.
    for page, own in ((first, repeat), (second, arabic)):
        mine = page.locator(f'#my-questions .my-question[data-id="{own}"]')
        expect(mine.locator(".badge")).to_have_text("regroupée")
        expect(mine.locator(".merged-text")).to_have_text(re.compile("Combien de caméras"))
        expect(mine.locator(".merged-asked")).to_have_text("posée par 3 personnes")
        expect(page.locator(f'#questions .question[data-id="{kept["id"]}"] .question-asked')
               ).to_have_text("posée par 3 personnes")
    votes_before = int(card(one, kept["id"]).locator(".mod-votes").inner_text().split()[0])
    second.locator(f'#my-questions .my-question[data-id="{arabic}"] .merged-support').click()
    expect(card(one, kept["id"]).locator(".mod-votes")).to_have_text(
        re.compile(rf"^{votes_before + 1} soutiens?$"))
    screenshot(second, "merged-phone-ar-question")

    # On screen: the projector says how many asked it; the consoles keep the question's card,
    # with its group, under « À l'écran maintenant ».
    card(one, kept["id"]).locator("button[data-action=show]").click()
    expect(projector.locator("#current")).to_have_text(KEPT.replace(" ?", "\u202f?"))
    expect(projector.locator("#current-votes")).to_contain_text("posée par 3 personnes")
    screenshot(projector, "merged-projector", full_page=False)
    for page in (one, other):
        on_screen = page.locator(f'#list-on_screen .mod-question[data-id="{kept["id"]}"]')
        expect(on_screen.locator(".mod-grouped li")).to_have_count(2)
    screenshot(other, "on-screen-card-console", full_page=False)

    # Undone on one console while it is on screen: the Arabic question is back where it was,
    # everywhere, and the projector counts one person less.
    card(other, kept["id"]).locator(f'.mod-grouped li[data-id="{arabic}"] button').click()
    for page in (one, other):
        expect(page.locator(f'#list-pending .mod-question[data-id="{arabic}"]')).to_be_visible()
        expect(card(page, kept["id"]).locator(".mod-asked")).to_have_text("posée par 2 personnes")
    expect(projector.locator("#current-votes")).to_contain_text("posée par 2 personnes")
    one.locator("#preview-actions button[data-action=hide]").click()
    expect(projector.locator("#idle")).to_be_visible()
    for page in (one, other):
        expect(page.locator("#list-on_screen")).to_have_text("Aucune question à l’écran.")
    expect(second.locator(f'#my-questions .my-question[data-id="{arabic}"] .badge')
           ).to_have_text("en attente")
    expect(first.locator(f'#questions .question[data-id="{kept["id"]}"] .question-asked')
           ).to_have_text("posée par 2 personnes")
    backstage.set_aside({"id": arabic, "stop": STOP})


def test_written_answers_from_two_consoles_reach_the_room_with_and_without_javascript(
    live, contexts, backstage
):
    backstage.clear_screen(STOP)
    contract = backstage.publish(STOP, "Où peut-on lire le contrat de vidéosurveillance ?")
    budget = backstage.publish(STOP, "Quel est le budget annuel de la vidéosurveillance ?")
    room = phone(live, contexts)
    one = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    other = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    for page in (one, other):
        wait_live(page)
    french = "Il est en ligne : https://example.org/contrat.pdf, et en mairie."
    english = "About 1.2 million euros a year, according to the city's 2025 budget."
    card(one, contract["id"]).locator("button[data-action=reply]").click()
    card(one, contract["id"]).locator("textarea").fill(french)
    card(other, budget["id"]).locator("button[data-action=reply]").click()
    card(other, budget["id"]).locator("textarea").fill(english)
    # Each console keeps its open editor while the other's answer arrives.
    card(one, contract["id"]).locator("button[data-action=save-reply]").click()
    expect(card(other, contract["id"]).locator(".answer-text")).to_have_text(french)
    expect(card(other, budget["id"]).locator("textarea")).to_have_value(english)
    card(other, budget["id"]).locator("button[data-action=save-reply]").click()
    expect(other.locator("#console-status")).to_have_text(
        f"Réponse écrite à la question {budget['id']} enregistrée.")

    answered = room.locator(f'#questions .question[data-id="{contract["id"]}"] .written-answer')
    expect(answered.locator(".answer-text")).to_have_text(french)
    link = answered.locator("a")
    expect(link).to_have_attribute("href", "https://example.org/contrat.pdf")
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer ugc")
    other_answer = room.locator(f'#questions .question[data-id="{budget["id"]}"] .written-answer')
    expect(other_answer.locator(".answer-head")).to_contain_text("anglais")
    expect(other_answer.locator(".answer-text")).to_have_attribute("lang", "en")
    screenshot(room, "written-answer-phone")

    # Without JavaScript, the same answers on the server's page.
    plain = contexts(PHONE, java_script_enabled=False).new_page()
    plain.goto(f"{live.url}/{STOP}/questions")
    served = plain.locator(f'#q{contract["id"]} .written-answer')
    expect(served.locator(".answer-text")).to_have_text(french)
    expect(served.locator("a")).to_have_attribute("href", "https://example.org/contrat.pdf")
    expect(plain.locator(f'#q{budget["id"]} .answer-head')).to_contain_text("anglais")
    backstage.set_aside(contract, budget)


def test_one_console_publishes_the_record_while_another_answers_and_the_public_reads_it(
    live, contexts, backstage
):
    backstage.clear_screen(STOP)
    asked = backstage.publish(STOP, "Qui contrôle les images des caméras de Lille-Flandres ?")
    waiting = backstage.publish(STOP, "Combien de caméras la métropole finance-t-elle ?")
    answering = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    wait_live(answering)
    publishing = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    answer = "La CNIL peut contrôler : https://www.cnil.fr/fr/plaintes"
    card(answering, asked["id"]).locator("button[data-action=reply]").click()
    card(answering, asked["id"]).locator("textarea").fill(answer)
    # The other console reaches the record from its header, while the answer is being written.
    publishing.get_by_role("link", name="Compte rendu").click()
    expect(publishing.locator("#compte-rendu")).to_contain_text("Pas encore publié")
    card(answering, asked["id"]).locator("button[data-action=save-reply]").click()
    expect(answering.locator("#console-status")).to_contain_text("Réponse écrite")
    publishing.get_by_role("button", name="Publier le compte rendu").click()
    expect(publishing.locator(".flashes")).to_contain_text("Compte rendu publié")
    expect(publishing.locator("main")).to_contain_text("a publié le compte rendu public")

    # The public: a link from the stop page, the answer with its safe link, nothing hidden.
    reader = contexts(PHONE).new_page()
    reader.goto(f"{live.url}/{STOP}")
    reader.get_by_role("link", name="Lire le compte rendu des questions").click()
    expect(reader).to_have_url(f"{live.url}/{STOP}/compte-rendu")
    entry = reader.locator(".record-entry", has_text="Lille-Flandres")
    expect(entry).to_contain_text("réponse écrite")
    expect(entry.locator("a[href='https://www.cnil.fr/fr/plaintes']")).to_have_attribute(
        "rel", "nofollow noopener noreferrer ugc")
    expect(reader.locator(".record-entry", has_text="métropole finance")).to_contain_text(
        "pas encore de réponse")
    screenshot(reader, "record-phone")
    reader.locator(".lang a[data-lang=en]").click()
    expect(reader.locator("h1")).to_have_text("Record of the questions")

    publishing.get_by_role("button", name="Retirer le compte rendu").click()
    expect(publishing.locator(".flashes")).to_contain_text("Compte rendu retiré")
    assert reader.goto(f"{live.url}/{STOP}/compte-rendu").status == 404
    backstage.set_aside(asked, waiting)


def test_a_repeat_of_a_grouped_question_is_offered_to_join_the_question_it_joined(
    live, contexts, backstage
):
    """The assistant may name a question that was grouped since: the hint offers the question
    it joined, once, however many of the group it names."""
    # Grouped by a moderator's judgement, though the words differ (cost, access).
    kept = backstage.publish(STOP, "Combien coûtent les caméras du métro de Lille ?")
    grouped = backstage.submit(STOP, "Qui peut regarder les images des caméras du métro lillois ?")
    answer = backstage.console.call("merge", {"question_id": kept["id"], "merged": [grouped["id"]]},
                                    namespace="/moderation", timeout=10)
    assert answer["ok"], answer
    console = sign_in(contexts(LAPTOP), live, f"/{STOP}/moderation")
    wait_live(console)
    repeat = backstage.submit(STOP, "Qui peut regarder les images des caméras du métro lillois ?")
    hint = card(console, repeat["id"]).locator(".flag-duplicate")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text(f"doublon probable de la question {grouped['id']}")
    offer = card(console, repeat["id"]).locator("button[data-action=merge-into]")
    expect(offer).to_have_count(1)
    expect(offer).to_have_text(f"Regrouper avec la question {kept['id']}")
    offer.click()
    expect(card(console, kept["id"]).locator(".mod-grouped li")).to_have_count(2)
    backstage.set_aside(kept)
