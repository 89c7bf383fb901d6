"""What the moderation assistant says reaches the console, in the moderator's language."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from caravane.accounts.models import Moderator
from caravane.board import analysis, inputs, rules
from caravane.board.analysis import wait_until_read
from caravane.board.errors import BoardError
from caravane.board.models import Question
from caravane.extensions import db, socketio
from caravane.typography import french_interface
from tests import board_calls as board
from tests.conftest import read_by_assistant


def ask(attendee, text):
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": text}, callback=True)
    assert answer["ok"], answer
    return answer["question"]


def test_insult_arrives_flagged_with_a_readable_reason(app, attendee, console):
    ask(attendee, "Pourquoi le préfet est un gros c0nn4rd avec ses drones ?")
    [incoming] = read_by_assistant(app, console)
    [flag] = [f for f in incoming["flags"] if f["code"] == "abuse"]
    assert flag["message"].startswith(french_interface("propos hostile : insulte"))
    assert "c0nn4rd" in flag["message"]
    assert flag["severity"] == 3


def test_phone_number_is_flagged_as_personal_data(app, attendee, console):
    ask(attendee, "Appelez mon voisin au 06 12 34 56 78, il filme tout le quartier ?")
    [incoming] = read_by_assistant(app, console)
    messages = [f["message"] for f in incoming["flags"] if f["code"] == "personal_data"]
    assert messages and "numéro de téléphone" in messages[0]
    assert max(f["severity"] for f in incoming["flags"]) == 4


def test_near_duplicate_names_the_earlier_question_and_a_score(app, attendee, console):
    first = ask(attendee, "Combien de caméras de vidéosurveillance y a-t-il à Roubaix ?")
    ask(attendee, "Il y a combien de caméras de vidéosurveillance à Roubaix ?")
    incoming = read_by_assistant(app, console)[-1]
    [flag] = [f for f in incoming["flags"] if f["code"] == "duplicate"]
    assert flag["of"] == first["id"] and 0 < flag["score"] <= 100
    assert flag["message"] == f"doublon probable de la question {first['id']} ({flag['score']} %)"


def test_ordinary_question_about_surveillance_has_no_flag(app, attendee, console):
    ask(attendee, "La police municipale utilise-t-elle la reconnaissance faciale à Calais ?")
    [incoming] = read_by_assistant(app, console)
    assert incoming["flags"] == []
    assert incoming["language"] == "fr"


def test_flags_never_reject_on_their_own(app, attendee):
    question = ask(attendee, "Espèce de connard, réponds à ma question sur les drones !")
    assert question["status"] == "pending"


def test_language_tag_is_detected_for_arabic(app, attendee, console):
    ask(attendee, "من يراقب صور الكاميرات الحرارية في ميناء كاليه؟")
    [incoming] = read_by_assistant(app, console)
    assert incoming["language"] == "ar"


def test_an_english_speaking_moderator_reads_flags_in_english(app, attendee, moderator_client):
    moderator_client.get("/langue?lang=en")
    english = socketio.test_client(app, namespace="/moderation",
                                   flask_test_client=moderator_client)
    english.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    english.get_received("/moderation")
    ask(attendee, "Appelez le 06 12 34 56 78 pour parler des caméras ?")
    [incoming] = read_by_assistant(app, english)
    [flag] = [f for f in incoming["flags"] if f["code"] == "personal_data"]
    assert "personal" in flag["message"].lower() and "phone" in flag["message"].lower()


def test_personal_data_is_published_only_after_an_explicit_confirmation(app, attendee, console):
    question = ask(attendee, "Mon voisin habite au 12 rue des Lilas, il a une caméra ?")
    plain = console.emit("moderate", {"question_id": question["id"], "action": "approve",
                                      "version": 1}, namespace="/moderation", callback=True)
    assert plain["error"]["code"] == "confirm_personal_data"
    assert "données personnelles" in plain["error"]["message"]
    confirmed = console.emit("moderate", {"question_id": question["id"], "action": "approve",
                                          "version": 1, "confirm": True},
                             namespace="/moderation", callback=True)
    assert confirmed["ok"] and confirmed["question"]["status"] == "approved"


def test_editing_the_personal_data_out_lifts_the_confirmation(app, attendee, console):
    question = ask(attendee, "Appelez-moi au 06 12 34 56 78 pour parler des drones ?")
    edited = console.emit("edit", {"question_id": question["id"], "version": 1,
                                   "text": "Pour parler des drones, qui peut-on contacter ?"},
                          namespace="/moderation", callback=True)
    assert edited["question"]["flags"] == []
    approved = console.emit("moderate", {"question_id": question["id"], "action": "approve",
                                         "version": edited["question"]["version"]},
                            namespace="/moderation", callback=True)
    assert approved["ok"]


def test_a_threat_arrives_as_the_most_serious_flag_with_its_words(app, attendee, console):
    ask(attendee, "On sait où tu habites, fais gaffe à toi.")
    [incoming] = read_by_assistant(app, console)
    threats = [f for f in incoming["flags"] if f["reason"] == "threat"]
    assert threats and all(flag["severity"] == 4 for flag in threats)
    assert threats[0]["message"].startswith(
        french_interface("propos hostile : menace « On sait où tu habites"))


def test_the_author_is_answered_before_the_assistant_reads_then_consoles_get_the_flags(
    app, attendee, console
):
    ask(attendee, "Appelez mon voisin au 06 12 34 56 78, il filme tout le quartier ?")
    assert wait_until_read(app)
    received = [item for item in console.get_received("/moderation")
                if item["name"] in ("question:new", "question:changed")]
    arrived, read = (item["args"][0] for item in received)
    # First stored and shown as being read, then its flags: never an empty "no flag" verdict.
    assert (arrived["analysed"], arrived["flags"]) == (False, [])
    assert read["analysed"] and {f["code"] for f in read["flags"]} == {"personal_data"}


def test_approving_before_the_assistant_read_still_asks_to_confirm_personal_data(
    app, moderator
):
    with app.app_context():
        # Stored, not read yet: as a moderator faster than the assistant would find it.
        stored = rules.submit(inputs.submission({
            "stop": "calais", "client_id": str(uuid.uuid4()),
            "text": "Mon voisin habite au 12 rue des Lilas, il a une caméra ?"}),
            board.attendee("author")).value["question"]
        actor = db.session.scalars(select(Moderator)).one()
        with pytest.raises(BoardError) as refused:
            board.moderate(stored["id"], "approve", stored["version"], actor)
        assert refused.value.code == "confirm_personal_data"


def test_questions_left_unread_by_a_stopped_process_are_read_when_it_starts(app):
    with app.app_context():
        unread = rules.submit(inputs.submission({
            "stop": "calais", "client_id": str(uuid.uuid4()),
            "text": "Écrivez à jean.dupont@exemple.fr pour les images du port ?"}),
            board.attendee("author")).value["question"]
        db.session.remove()
    analysis.resume(app)
    assert wait_until_read(app)
    with app.app_context():
        question = db.session.get(Question, unread["id"])
        assert question.analysed
        assert [flag["code"] for flag in question.flags] == ["personal_data"]


def test_an_edit_is_read_again_and_its_old_flags_go(app, attendee, console):
    question = ask(attendee, "Appelez-moi au 06 12 34 56 78 pour parler des drones ?")
    assert wait_until_read(app)
    edited = console.emit("edit", {"question_id": question["id"], "version": 1,
                                   "text": "Espèce de connard, qui pilote les drones ?"},
                          namespace="/moderation", callback=True)["question"]
    assert (edited["analysed"], edited["flags"]) == (False, [])
    [read] = read_by_assistant(app, console)
    assert read["analysed"] and {f["code"] for f in read["flags"]} == {"abuse"}
