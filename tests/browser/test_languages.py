"""French first, English and Arabic offered; every question keeps its own direction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, screenshot, wait_live

pytestmark = pytest.mark.browser


def test_language_switch_turns_the_board_english_then_arabic_right_to_left(live, contexts):
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/roubaix/questions")
    expect(page.locator("h1")).to_have_text("Posez vos questions")
    assert page.locator("html").get_attribute("lang") == "fr"

    page.click(".lang a[data-lang=en]")
    page.wait_for_url(f"{live.url}/roubaix/questions")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("h1").inner_text() != "Posez vos questions"
    assert page.locator(".lang a[data-lang=en]").get_attribute("aria-current") == "true"

    page.click(".lang a[data-lang=ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    wait_live(page)
    expect(page.locator("#ask-form")).to_have_css("direction", "rtl")
    # The masthead mirrors: the brand sits on the right in Arabic.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 390 / 2 - brand["width"], brand
    screenshot(page, "board-phone-arabic")

    # The language follows the attendee to the other pages (its cookie), then back to French.
    page.goto(f"{live.url}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.click(".lang a[data-lang=fr]")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_arabic_question_reads_right_to_left_inside_a_french_page(live, contexts, backstage):
    arabic = "هل تستخدم الشرطة التعرف على الوجوه في شوارع روبيه؟"
    french = "Qui paie les caméras installées dans les rues de Roubaix ?"
    backstage.publish("roubaix", arabic)
    backstage.publish("roubaix", french)
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/roubaix/questions")
    wait_live(page)
    assert page.locator("html").get_attribute("dir") == "ltr"
    published = page.locator(".questions .question-text", has_text=arabic)
    expect(published).to_be_visible()
    expect(published).to_have_css("direction", "rtl")
    expect(page.locator(".questions .question-text", has_text=french)).to_have_css(
        "direction", "ltr")

    # Typing Arabic in the form turns the field right-to-left as well, and the own copy too.
    page.fill("#text", "ما هي الكاميرات المثبتة في محطة القطار؟")
    expect(page.locator("#text")).to_have_css("direction", "rtl")
    page.click("#ask-form button[type=submit]")
    mine = page.locator("#my-questions .question-text", has_text="محطة القطار")
    expect(mine).to_have_css("direction", "rtl")


@pytest.mark.parametrize("locale, lead", [
    ("en", "Calais: surveillance in the service of migration policy"),
    ("ar", "كاليه: المراقبة في خدمة سياسات الهجرة"),
])
def test_the_stop_page_speaks_the_readers_language(live, contexts, locale, lead):
    for device, size in ((PHONE, "phone"), (LAPTOP, "laptop")):
        page = contexts(device, locale=locale).new_page()
        page.goto(f"{live.url}/calais")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator(".lead")).to_have_text(lead)
        # In the page's language: no French marking, and it reads the page's way.
        assert page.locator(".lead").get_attribute("lang") is None
        expect(page.locator(".lead")).to_have_css("direction", "rtl" if locale == "ar" else "ltr")
        screenshot(page, f"stop-{size}-{locale}", full_page=False)


def test_a_french_question_keeps_its_question_mark_with_its_last_word(live, contexts, backstage):
    question = backstage.publish("roubaix", "Qui regarde les images du tramway de Roubaix ?")
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/roubaix/questions")
    wait_live(page)
    card = page.locator(f'#q{question["id"]} .question-text')
    assert card.evaluate("node => node.textContent").endswith("Roubaix\u202f?")
    backstage.set_aside(question)
