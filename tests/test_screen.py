"""The projector page and its QR code."""

from __future__ import annotations

import json
import re
import uuid

import segno  # noqa: F401  (the QR code is generated server-side by segno)

from caravane.typography import french_interface, french_spacing
from tests.conftest import events, new_attendee

QUESTION = "Que deviennent les images des caméras thermiques de Calais ?"


def element(page: str, id_: str) -> tuple[str, str]:
    """The opening tag and the text of the element with that id (a flat <p> or <div>)."""
    found = re.search(rf'(<(\w+)[^>]* id="{id_}"[^>]*>)(.*?)</\2>', page, re.S)
    assert found, id_
    return found.group(1), found.group(3)


def screen_words(page: str) -> dict:
    return json.loads(re.search(r'id="screen-i18n">(.*?)</script>', page).group(1))


def show(attendee, console, text=QUESTION, name=None) -> dict:
    question = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                        "text": text, "name": name}, callback=True)["question"]
    approved = console.emit("moderate", {"question_id": question["id"], "action": "approve",
                                         "version": 1}, namespace="/moderation", callback=True)
    shown = console.emit("moderate", {"question_id": question["id"], "action": "show",
                                      "version": approved["question"]["version"]},
                         namespace="/moderation", callback=True)
    assert shown["ok"], shown
    return shown["question"]


def set_board(console, status):
    answer = console.emit("board", {"stop": "calais", "status": status},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer


def test_projector_shows_the_short_url_and_qr_code_when_idle(client):
    page = client.get("/calais/ecran").get_data(as_text=True)
    # The address to type is the stop's own, short; the QR code still leads to the board.
    assert '<p class="join-url" dir="ltr">localhost/calais</p>' in page
    assert "QR code vers localhost/calais/questions" in page
    assert 'src="/calais/qr.svg"' in page
    assert "Posez vos questions depuis votre téléphone" in page
    assert 'data-board="open"' in page
    assert " hidden" not in element(page, "join-way")[0]
    assert " hidden" in element(page, "join-closed")[0]


def test_short_url_follows_the_public_url(app, client):
    app.config["PUBLIC_URL"] = "https://caravane.example"
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert '<p class="join-url" dir="ltr">caravane.example/calais</p>' in page


def test_qr_code_is_an_svg_of_the_boards_absolute_url(app, client):
    app.config["PUBLIC_URL"] = "https://caravane.example.org"
    response = client.get("/lille/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "caravane.example.org/lille/questions" in svg


def test_projector_shows_the_question_on_screen_without_the_name(app, client, attendee, console):
    question = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                        "text": QUESTION, "name": "Karim"},
                             callback=True)["question"]
    approved = console.emit("moderate", {"question_id": question["id"], "action": "approve",
                                         "version": 1}, namespace="/moderation", callback=True)
    console.emit("moderate", {"question_id": question["id"], "action": "show",
                              "version": approved["question"]["version"]},
                 namespace="/moderation", callback=True)
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert french_spacing(QUESTION) in page  # "Calais ?" with a narrow no-break space
    assert "Karim" not in page


def test_projector_shows_the_support_count_of_the_question_on_screen(app, client, attendee,
                                                                     console):
    question = show(attendee, console)
    tag, text = element(client.get("/calais/ecran").get_data(as_text=True), "current-votes")
    assert " hidden" not in tag and text == "0 soutien"  # French: 0 and 1 are singular
    assert attendee.emit("vote", {"question_id": question["id"]}, callback=True)["ok"]
    _, text = element(client.get("/calais/ecran").get_data(as_text=True), "current-votes")
    assert text == "1 soutien"
    other = new_attendee(app)
    assert other.emit("vote", {"question_id": question["id"]}, callback=True)["votes"] == 2
    _, text = element(client.get("/calais/ecran").get_data(as_text=True), "current-votes")
    assert text == "2 soutiens"
    # The room hears the new count, which the projector's script puts on screen.
    updated = events(attendee, "question:updated")
    assert updated[-1]["id"] == question["id"] and updated[-1]["votes"] == 2


def test_projector_has_no_count_while_idle(client):
    tag, text = element(client.get("/calais/ecran").get_data(as_text=True), "current-votes")
    assert " hidden" in tag and text == ""


def test_projector_gets_every_plural_form_of_the_count(client):
    """The count changes live: the script gets one form per plural category of the page's
    language, filled by the browser (Intl.PluralRules), not a single label."""
    french = screen_words(client.get("/calais/ecran").get_data(as_text=True))["supports"]
    assert french["one"] == "{num} soutien" and french["other"] == "{num} soutiens"
    english = screen_words(client.get("/calais/ecran", headers={"Accept-Language": "en"})
                           .get_data(as_text=True))["supports"]
    assert set(english) == {"one", "other"}
    arabic = screen_words(client.get("/calais/ecran", headers={"Accept-Language": "ar"})
                          .get_data(as_text=True))["supports"]
    assert set(arabic) == {"zero", "one", "two", "few", "many", "other"}
    assert all("{num}" in form for form in arabic.values())


def test_voting_only_projector_invites_to_support_not_to_ask(client, console):
    set_board(console, "voting_only")
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert 'data-board="voting_only"' in page
    assert element(page, "idle")[1] == "Soutenez les questions depuis votre téléphone"
    assert element(page, "join-label")[1] == "Scannez ou tapez pour soutenir"
    assert "Posez vos questions" not in page.split('id="screen-i18n"')[0]
    assert " hidden" not in element(page, "join-way")[0]  # QR and address stay


def test_closed_projector_thanks_the_room_and_shows_no_way_in(client, attendee, console):
    set_board(console, "closed")
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert 'data-board="closed"' in page
    thanks = french_interface("Les questions sont closes pour cette soirée. Merci !")
    assert element(page, "idle")[1] == thanks
    assert " hidden" in element(page, "join-way")[0]  # no QR code, no address
    tag, text = element(page, "join-closed")
    assert " hidden" not in tag and text == thanks
    set_board(console, "open")
