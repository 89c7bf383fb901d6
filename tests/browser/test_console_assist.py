"""The moderation assistant as a moderator meets it in the console: duplicates side by side,
personal data published only after a deliberate confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, sign_in, wait_for, wait_live

pytestmark = pytest.mark.browser


def test_probable_duplicate_links_to_the_question_it_repeats(live, contexts, backstage):
    first = backstage.submit("calais", "Combien coûtent les drones de la police aux frontières ?")
    second = backstage.submit("calais", "Les drones de la police aux frontières coûtent combien ?")
    page = sign_in(contexts(LAPTOP), live)
    wait_live(page)
    flag = page.locator(f'.mod-question[data-id="{second["id"]}"] .flag-duplicate')
    expect(flag).to_contain_text(f"doublon probable de la question {first['id']}")
    flag.get_by_role("button", name=f"Voir la question {first['id']}").click()
    expect(page.locator(f'.mod-question[data-id="{first["id"]}"]')).to_be_focused()
    backstage.set_aside(first, second)


def test_personal_data_needs_a_confirmation_before_it_is_published(live, contexts, backstage):
    question = backstage.submit(
        "calais", "Mon voisin du 14 rue des Prés filme la rue, c'est légal ?")
    page = sign_in(contexts(LAPTOP), live)
    wait_live(page)
    card = page.locator(f'.mod-question[data-id="{question["id"]}"]')
    expect(card.locator(".flags")).to_contain_text("donnée personnelle")

    # Answer the dialog from a handler: the page is frozen while it is open, and a click
    # still finishing its own checks would wait for it forever.
    messages = []

    def answer_dialog(accept):
        def handler(dialog):
            messages.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        page.once("dialog", handler)

    answer_dialog(accept=False)
    card.get_by_role("button", name="Accepter").click()
    wait_for(lambda: messages, page, "no confirmation was asked")
    assert "données personnelles" in messages[0]
    expect(page.locator(f'#list-pending [data-id="{question["id"]}"]')).to_be_visible()

    answer_dialog(accept=True)
    page.locator(f'.mod-question[data-id="{question["id"]}"]').get_by_role(
        "button", name="Accepter").click()
    expect(page.locator(f'#list-approved [data-id="{question["id"]}"]')).to_be_visible()
    assert len(messages) == 2, "publishing personal data asks every time"
    backstage.set_aside(question)
