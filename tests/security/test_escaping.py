"""Attendees' words are shown as text everywhere the server renders them, never as markup."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from caravane.accounts.models import Moderator
from caravane.board.inputs import clean_text
from caravane.extensions import db
from tests import board_calls as board

SCRIPT = '<script>alert("q")</script><img src=x onerror=alert(1)> qui filme ?'
NAME = "<b onmouseover=alert(2)>Zoé</b>"
RAW = ("<script>", "<img src=x", "<b onmouseover")


def test_a_script_in_a_question_or_a_name_comes_back_escaped_on_every_page_and_export(
    app, client, moderator_client, attendee, runner
):
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": SCRIPT, "name": NAME}, callback=True)
    assert answer["ok"], answer
    question = answer["question"]
    with app.app_context():
        actor = db.session.query(Moderator).one()
        approved = board.moderate(question["id"], "approve", question["version"], actor,
                                  with_name=True).value["question"]
        board.moderate(question["id"], "show", approved["version"], actor, with_name=True)

    pages = {
        path: moderator_client.get(path).get_data(as_text=True)
        for path in ("/calais/questions", "/calais/questions?tri=recentes", "/calais/ecran",
                     "/calais/moderation")
    }
    # The author's own list, with the name, as only they see it.
    pages["mine"] = client.get("/calais/questions").get_data(as_text=True)
    shown = [path for path, html in pages.items() if "&lt;script&gt;" in html]
    assert {"/calais/questions", "/calais/ecran", "mine"} <= set(shown)
    for path, html in pages.items():
        for raw in RAW:
            assert raw not in html, (path, raw)

    markdown = runner.invoke(args=["questions", "export", "calais", "--format", "md"]).output
    assert "&lt;script&gt;" in markdown
    for raw in RAW:
        assert raw not in markdown
    # JSON and CSV are data, not markup: the text stays exact, for the organisers' archive.
    as_json = runner.invoke(args=["questions", "export", "calais", "--format", "json"]).output
    assert '<script>alert(\\"q\\")</script>' in as_json


def test_a_spreadsheet_formula_in_a_question_is_defused_in_the_csv_export(
    app, moderator_client, attendee
):
    formula = '=HYPERLINK("http://evil.example","cliquez ici")'
    assert attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                    "text": formula}, callback=True)["ok"]
    csv_text = moderator_client.get("/calais/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    assert ',=HYPERLINK' not in csv_text and ',"=HYPERLINK' not in csv_text


@pytest.mark.parametrize("disguise", ["\u200b=", "\ufeff=", "\u2060+", "＝", "＋", "＠",
                                      "\u200b\u200c－", " \u00a0="])
def test_a_formula_behind_invisible_or_full_width_characters_is_defused_too(
    moderator_client, attendee, disguise
):
    """Spreadsheets skip a zero-width prefix and read a full-width ＝ as =."""
    text = disguise + 'HYPERLINK("http://evil.example";"la réponse")'
    assert attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                    "text": text}, callback=True)["ok"]
    rows = list(csv.DictReader(io.StringIO(
        moderator_client.get("/calais/export.csv").get_data(as_text=True))))
    [cell] = [row["text"] for row in rows if "HYPERLINK" in row["text"]]
    assert cell.startswith("'"), repr(cell)


def test_direction_overrides_and_control_characters_are_removed_and_text_normalised(attendee):
    text = "Qui\u202e regarde\u0007 les\u200b caméras ? e\u0301"
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": text}, callback=True)
    assert answer["ok"]
    assert answer["question"]["text"] == "Qui regarde les caméras ? é"
    assert clean_text("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e") == ""


def test_length_is_checked_after_normalisation(attendee):
    padded = "Court ?" + "\u200b" * 20 + "\u202e" * 20
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": padded}, callback=True)
    assert answer["error"]["code"] == "text_too_short"
    combining = "e\u0301" * 300  # 600 code points, 300 once composed
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": combining}, callback=True)
    assert answer["ok"] and len(answer["question"]["text"]) == 300
