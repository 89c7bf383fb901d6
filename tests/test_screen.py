"""The projector page and its QR code."""

from __future__ import annotations

import uuid

import segno  # noqa: F401  (the QR code is generated server-side by segno)

QUESTION = "Que deviennent les images des caméras thermiques de Calais ?"


def test_projector_shows_the_short_url_and_qr_code_when_idle(client):
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert "localhost/calais/questions" in page
    assert 'src="/calais/qr.svg"' in page
    assert "Posez vos questions depuis votre téléphone" in page


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
    assert QUESTION in page
    assert "Karim" not in page
