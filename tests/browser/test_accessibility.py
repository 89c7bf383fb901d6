"""Lille, for everyone: axe-core on every page in the states that matter, the keyboard alone,
screen-reader announcements, contrast for a projector seen from 20 metres, reduced motion."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    axe,
    screenshot,
    sign_in,
    wait_live,
)

pytestmark = pytest.mark.browser


def check(page, axe_script, label, found, shot=True, full_page=True):
    found.extend(axe(page, axe_script, label))
    if shot:
        screenshot(page, label, full_page=full_page)


def report(found) -> str:
    return "\n".join(f"{v['page']}: {v['id']} ({v['impact']}) {v['help']} {v['nodes']}"
                     for v in found)


def test_every_page_in_every_state_has_no_serious_accessibility_violation(
        live, contexts, backstage, axe_script):
    found: list[dict] = []
    phone = contexts(PHONE).new_page()
    laptop_context = contexts(LAPTOP)
    laptop = laptop_context.new_page()

    for path, label in [("/", "tour"), ("/lille", "stop")]:
        phone.goto(live.url + path)
        check(phone, axe_script, f"{label}-phone", found)
        laptop.goto(live.url + path)
        check(laptop, axe_script, f"{label}-laptop", found)
    laptop.goto(live.url + "/nulle-part")
    check(laptop, axe_script, "not-found-laptop", found)
    laptop.goto(live.url + "/connexion")
    check(laptop, axe_script, "login-laptop", found)
    laptop.click("form.stack button[type=submit]")
    expect(laptop.locator(".field-error")).to_be_visible()
    check(laptop, axe_script, "login-error-laptop", found)

    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live.url}/lille/ecran")
    wait_live(projector)
    expect(projector.locator("#idle")).to_be_visible()
    check(projector, axe_script, "projector-idle", found, full_page=False)

    # The board, empty, then with an error next to the field.
    phone.goto(f"{live.url}/lille/questions")
    wait_live(phone)
    expect(phone.locator("#questions-empty")).to_be_visible()
    check(phone, axe_script, "board-phone-empty", found)
    phone.fill("#text", "Trop")
    phone.click("#ask-form button[type=submit]")
    expect(phone.locator("#text-error")).to_contain_text("trop courte")
    expect(phone.locator("#text")).to_have_attribute("aria-invalid", "true")
    check(phone, axe_script, "board-phone-error", found)

    # Then a full evening: published, on screen, answered, own questions in every status.
    mine = "Ma question : la reconnaissance faciale est-elle testée au métro de Lille ?"
    phone.fill("#text", mine)
    phone.click("#ask-form button[type=submit]")
    expect(phone.locator("#sent")).to_contain_text("relira")
    answered = backstage.publish("lille", "Qui finance le centre de supervision urbain de Lille ?",
                                 show=True)
    backstage.moderate(answered, "answer")
    backstage.publish("lille", "Quels logiciels de police prédictive la métropole a-t-elle "
                               "achetés, et à qui ?")
    rejected = backstage.submit("lille", "Hors sujet : quel temps fera-t-il demain à Lille ?")
    backstage.moderate(rejected, "reject", reason="off_topic")
    backstage.submit("lille", "Qui finance le centre de supervision urbain de Lille ??")
    backstage.publish("lille", "هل تُستعمل كاميرات ذكية في ساحة الجمهورية؟", show=True)
    expect(phone.locator(".questions .question")).to_have_count(3)
    check(phone, axe_script, "board-phone-questions", found)
    expect(projector.locator("#current")).to_be_visible()
    check(projector, axe_script, "projector-question", found, full_page=False)

    console = sign_in(laptop_context, live, "/lille/moderation")
    wait_live(console)
    expect(console.locator("#list-pending .mod-question")).to_have_count(2)
    expect(console.locator("#list-pending .flags li").first).to_be_visible()
    check(console, axe_script, "console-laptop", found)
    console.locator("#list-pending .mod-question").first.focus()
    console.keyboard.press("r")
    expect(console.locator("#list-pending select")).to_be_focused()
    check(console, axe_script, "console-laptop-rejecting", found, shot=False)
    console.keyboard.press("Escape")
    console.locator("#list-approved button[data-action=queue]").first.click()
    expect(console.locator("#list-queue .mod-question")).to_have_count(1)
    console.locator("#list-queue button[data-action=history]").click()
    expect(console.locator("#list-queue .mod-history li").first).to_be_visible()
    check(console, axe_script, "console-laptop-queue", found, shot=False)
    for path, label in [("/moderation", "console-chooser"), ("/lille/moderation/journal",
                                                             "console-log")]:
        console.goto(live.url + path)
        check(console, axe_script, label, found)

    arabic = contexts(PHONE, locale="ar").new_page()
    arabic.goto(f"{live.url}/lille/questions")
    arabic.click(".lang a[data-lang=ar]")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    wait_live(arabic)
    check(arabic, axe_script, "board-phone-arabic-questions", found)

    assert not found, "\n" + report(found)


def contrast(page, selector: str) -> float:
    """WCAG contrast between an element's text colour and the first opaque background up its
    ancestors."""
    return page.locator(selector).evaluate("""node => {
        const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
        const luminance = ([r, g, b]) => {
            const c = [r, g, b].map(v => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        };
        let back = node, bg;
        while (back) {
            bg = rgb(getComputedStyle(back).backgroundColor);
            if (bg.length === 3 || bg[3] === 1) break;
            back = back.parentElement;
        }
        const fg = luminance(rgb(getComputedStyle(node).color));
        const b = luminance(bg.slice(0, 3));
        return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
    }""")


def test_projector_question_has_enhanced_contrast_for_the_back_of_the_room(
        live, contexts, backstage):
    backstage.publish("lille", "Les caméras de la Grand-Place enregistrent-elles le son ?",
                      show=True)
    page = contexts(PROJECTOR).new_page()
    page.goto(f"{live.url}/lille/ecran")
    wait_live(page)
    expect(page.locator("#current")).to_be_visible()
    for selector in ("#current", ".join-url", ".stage-city"):
        ratio = contrast(page, selector)
        assert ratio >= 7, f"{selector}: contrast {ratio:.1f}:1 is below AAA (7:1)"


def test_attendee_can_ask_and_support_with_the_keyboard_alone(live, contexts, backstage):
    published = backstage.publish("lille", "Au clavier : qui peut consulter les images du tram ?")
    page = contexts(LAPTOP).new_page()
    page.goto(f"{live.url}/lille/questions")
    wait_live(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    expect(page.locator(".skip")).to_be_visible()  # the skip link shows when focused
    page.keyboard.press("Enter")
    for _ in range(12):  # to the question field, without the mouse
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    expect(page.locator("#text")).to_be_focused()
    page.keyboard.type("Au clavier seulement : combien de caméras au métro ?")
    expect(page.locator("#count")).to_have_text("52")
    page.keyboard.press("Tab")
    expect(page.locator(".name-field summary")).to_be_focused()
    page.keyboard.press("Tab")
    submit = page.locator("#ask-form button[type=submit]")
    expect(submit).to_be_focused()
    assert submit.evaluate("node => getComputedStyle(node).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#my-questions .my-question", has_text="Au clavier seulement")
           ).to_be_visible()

    vote = page.locator(f'#q{published["id"]} .vote')
    vote.focus()
    page.keyboard.press("Enter")
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'#q{published["id"]} .vote')).to_be_focused()


def test_live_lists_announce_new_questions_politely(live, contexts, backstage):
    page = contexts(PHONE).new_page()
    page.goto(f"{live.url}/lille/questions")
    wait_live(page)
    questions = page.locator("#questions")
    expect(questions).to_have_attribute("aria-live", "polite")
    before = questions.locator(".question").count()
    backstage.publish("lille", "En direct : les lecteurs d'écran entendent-ils cette question ?")
    expect(questions.locator(".question")).to_have_count(before + 1)
    console = sign_in(contexts(LAPTOP), live, "/lille/moderation")
    expect(console.locator("#list-pending")).to_have_attribute("aria-live", "polite")


def test_reduced_motion_is_honoured(live, contexts):
    page = contexts(PHONE, reduced_motion="reduce").new_page()
    page.goto(live.url + "/")
    card = page.locator(".stop-link").first
    assert re.fullmatch(r"0s(, 0s)*", card.evaluate(
        "node => getComputedStyle(node).transitionDuration")), "cards still move"
    page = contexts(PHONE).new_page()
    page.goto(live.url + "/")
    assert page.locator(".stop-link").first.evaluate(
        "node => getComputedStyle(node).transitionDuration") != "0s"
