"""The moderation assistant as a moderator meets it in the console: duplicates side by side,
personal data published only after a deliberate confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, sign_in, wait_live

pytestmark = pytest.mark.browser


def set_aside(backstage, *questions) -> None:
    """Leave Calais's pending and published lists as they were: other tests count them."""
    snapshot = backstage.console.call("join", {"stop": "calais"}, namespace="/moderation",
                                      timeout=10)
    current = {q["id"]: q for q in snapshot["questions"]}
    for question in questions:
        backstage.moderate(current[question["id"]], "reject", reason="other")


def test_probable_duplicate_links_to_the_question_it_repeats(live, contexts, backstage):
    first = backstage.submit("calais", "Combien coûtent les drones de la police aux frontières ?")
    second = backstage.submit("calais", "Les drones de la police aux frontières coûtent combien ?")
    page = sign_in(contexts(LAPTOP), live)
    wait_live(page)
    flag = page.locator(f'.mod-question[data-id="{second["id"]}"] .flag-duplicate')
    expect(flag).to_contain_text(f"doublon probable de la question {first['id']}")
    flag.get_by_role("button", name=f"Voir la question {first['id']}").click()
    expect(page.locator(f'.mod-question[data-id="{first["id"]}"]')).to_be_focused()
    set_aside(backstage, first, second)


def test_personal_data_needs_a_confirmation_before_it_is_published(live, contexts, backstage):
    question = backstage.submit(
        "calais", "Mon voisin du 14 rue des Prés filme la rue, c'est légal ?")
    page = sign_in(contexts(LAPTOP), live)
    wait_live(page)
    card = page.locator(f'.mod-question[data-id="{question["id"]}"]')
    expect(card.locator(".flags")).to_contain_text("donnée personnelle")

    with page.expect_event("dialog") as refused:
        card.get_by_role("button", name="Accepter").click()
    assert "données personnelles" in refused.value.message
    refused.value.dismiss()
    expect(page.locator(f'#list-pending [data-id="{question["id"]}"]')).to_be_visible()

    with page.expect_event("dialog") as confirmed:
        page.locator(f'.mod-question[data-id="{question["id"]}"]').get_by_role(
            "button", name="Accepter").click()
    confirmed.value.accept()
    expect(page.locator(f'#list-approved [data-id="{question["id"]}"]')).to_be_visible()
    set_aside(backstage, question)
