"""Roubaix on a bad night: no JavaScript, a network that drops, a slow 3G line."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    PROJECTOR,
    question_in_db,
    screenshot,
    wait_for,
    wait_live,
)

pytestmark = pytest.mark.browser


def test_without_javascript_a_question_is_posted_and_shown_pending_after_redirect(
        live, contexts):
    page = contexts(PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live.url}/roubaix/questions")
    text = "Sans JavaScript : qui décide où sont posées les caméras à Roubaix ?"
    page.fill("#text", "Court")
    page.click("#ask-form button[type=submit]")
    # A refusal is explained next to the field, in French, and the text is kept.
    expect(page.locator("#text-error")).to_be_visible()
    expect(page.locator("#text-error")).to_contain_text("trop courte")
    expect(page.locator("#text")).to_have_value("Court")
    screenshot(page, "board-phone-nojs-error")

    page.fill("#text", text)
    page.click("#ask-form button[type=submit]")
    page.wait_for_url(f"{live.url}/roubaix/questions#mes-questions")
    expect(page.locator(".flash")).to_contain_text("Question envoyée")
    mine = page.locator("#my-questions .my-question", has_text=text)
    expect(mine.locator(".badge")).to_have_text("en attente")
    expect(page.locator("#text")).to_have_value("")
    # And it is still there on the next visit: the attendee's signed cookie, no account.
    page.goto(f"{live.url}/roubaix/questions")
    expect(mine).to_be_visible()


def test_without_javascript_a_card_supports_its_question_and_takes_the_support_back(
        live, contexts, backstage):
    """Every card's button submits the page's one support form: the cards carry nothing of
    the attendee's session, so the server renders them once for everyone."""
    question = backstage.publish("roubaix", "Sans JavaScript : qui paie les caméras du métro ?")
    page = contexts(PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live.url}/roubaix/questions")
    button = page.locator(f"#q{question['id']} .vote")
    expect(button.locator(".vote-count")).to_have_text("0")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    page.wait_for_url(f"{live.url}/roubaix/questions#q{question['id']}")
    expect(button.locator(".vote-count")).to_have_text("1")
    expect(button).to_have_attribute("aria-pressed", "true")
    # Another phone's page, rendered from the same cards, shows the support but not as its own.
    other = contexts(PHONE, java_script_enabled=False).new_page()
    other.goto(f"{live.url}/roubaix/questions")
    expect(other.locator(f"#q{question['id']} .vote-count")).to_have_text("1")
    expect(other.locator(f"#q{question['id']} .vote")).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button.locator(".vote-count")).to_have_text("0")
    expect(button).to_have_attribute("aria-pressed", "false")
    backstage.set_aside(question)


def test_question_typed_offline_is_sent_once_when_the_network_returns(live, contexts):
    context = contexts(PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/roubaix/questions")
    wait_live(page)
    text = "Hors ligne : combien coûte la vidéosurveillance algorithmique à Roubaix ?"

    context.set_offline(True)
    page.fill("#text", text)
    page.click("#ask-form button[type=submit]")
    expect(page.locator("#sent")).to_contain_text("votre question est gardée")
    waiting = page.locator("#my-questions .my-question", has_text=text)
    expect(waiting).to_be_visible()
    expect(page.locator("#text")).to_have_value("")  # ready for the next one
    screenshot(page, "board-phone-offline", full_page=False)
    # The outbox lives in localStorage: the question survives even the page being closed.
    assert text in page.evaluate("localStorage.getItem('caravane:outbox:roubaix')")
    assert question_in_db(live, text) == []

    context.set_offline(False)
    expect(page.locator("#sent")).to_contain_text("la relira",
                                                   timeout=20_000)
    expect(waiting.locator(".badge")).to_have_text("en attente")
    assert page.evaluate("localStorage.getItem('caravane:outbox:roubaix')") == "[]"
    rows = question_in_db(live, text)
    assert len(rows) == 1, rows
    # A reload (which re-joins and flushes again) must not send it a second time.
    page.reload()
    wait_live(page)
    expect(page.locator("#my-questions .my-question", has_text=text)).to_have_count(1)
    assert len(question_in_db(live, text)) == 1


def test_question_whose_acknowledgement_is_lost_is_not_left_sending(live, contexts):
    """The server stored it but the answer never reached the phone: the status event it also
    sends is enough for the phone to stop showing it as still being sent."""
    page = contexts(PHONE).new_page()
    dropped, upgraded = [], []

    def drop_first_submit_acknowledgement(ws):
        server = ws.connect_to_server()

        def from_server(message):
            # A Socket.IO acknowledgement frame on the default namespace: 43<id>[answer].
            if (isinstance(message, str) and re.match(r'43\d+\[\{"ok": ?true, ?"question"', message)
                    and not dropped):
                dropped.append(message)
                return
            ws.send(message)

        def from_page(message):
            if message == "5":  # engine.io upgrade: from now on everything goes through here
                upgraded.append(True)
            server.send(message)

        server.on_message(from_server)
        ws.on_message(from_page)

    page.route_web_socket(re.compile(r"/socket\.io/"), drop_first_submit_acknowledgement)
    page.goto(f"{live.url}/roubaix/questions")
    wait_live(page)
    wait_for(lambda: upgraded, page, "the page never moved to its websocket")
    text = "Accusé perdu : qui a accès aux images des caméras de la gare de Roubaix ?"
    page.fill("#text", text)
    page.click("#ask-form button[type=submit]")
    mine = page.locator("#my-questions .my-question", has_text=text)
    # Well before the 8 s the phone waits for an answer: one entry, pending, outbox empty.
    expect(mine).to_have_count(1, timeout=4000)
    expect(mine.locator(".badge")).to_have_text("en attente", timeout=4000)
    assert dropped, "the acknowledgement was not intercepted: the test proves nothing"
    assert page.evaluate("localStorage.getItem('caravane:outbox:roubaix')") == "[]"
    assert len(question_in_db(live, text)) == 1


def test_projector_cut_off_shows_the_current_question_when_it_comes_back(
        live, contexts, backstage):
    context = contexts(PROJECTOR)
    page = context.new_page()
    page.goto(f"{live.url}/roubaix/ecran")
    wait_live(page)
    context.set_offline(True)
    expect(page.locator("#stage-status")).to_be_visible(timeout=20_000)
    shown = backstage.publish("roubaix", "Pendant la coupure : qui contrôle les drones ?",
                              show=True)
    context.set_offline(False)
    expect(page.locator("#current")).to_have_text(shown["text"], timeout=20_000)
    expect(page.locator("#stage-status")).to_be_hidden()


# Chrome DevTools' "Fast 3G" preset: 562.5 ms round trip, ~1.4 Mbit/s down, ~0.7 Mbit/s up.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000,
           "uploadThroughput": 84_000}


def test_attendee_page_on_3g_is_usable_within_3s_and_weighs_under_100kb(live, contexts):
    context = contexts(PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    transferred: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent",
           lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: transferred.__setitem__(
        event["requestId"], event["encodedDataLength"]))

    started = time.monotonic()
    page.goto(f"{live.url}/roubaix/questions", wait_until="commit")
    page.locator("#text").wait_for(state="visible")
    page.wait_for_load_state("load")  # styles, font and scripts in: the page as designed
    usable = time.monotonic() - started
    # The paint entry can be recorded after `load`: wait for it rather than read it too early.
    paint = page.evaluate("""() => new Promise((resolve) => {
        new PerformanceObserver((list) => {
            const entry = list.getEntriesByName('first-contentful-paint')[0];
            if (entry) resolve(entry.startTime);
        }).observe({type: 'paint', buffered: true});
        setTimeout(() => resolve(-1), 5000);
    })""") / 1000
    wait_live(page)
    live_after = time.monotonic() - started
    page.fill("#text", "Sur un réseau lent, la question part-elle ?")
    expect(page.locator("#count")).to_have_text("43")

    total = sum(transferred.values())
    kinds = {url.rsplit("/", 1)[-1].split("?")[0]: size
             for request, size in transferred.items() if (url := urls.get(request))}
    print(f"\n3G: first paint {paint:.2f}s, loaded in {usable:.2f}s, live in {live_after:.2f}s, "
          f"{total} bytes transferred: {kinds}")
    assert any(name.endswith(".woff2") for name in kinds), "the font counts too"
    assert any(name.endswith(".css") for name in kinds)
    assert any(name.endswith(".js") for name in kinds)
    assert total < 60_000, f"{total} bytes on the attendee's 3G"
    assert 0 < paint < 3, f"nothing on screen before {paint:.2f}s"
    assert usable < 3, f"page usable only after {usable:.2f}s on 3G"
