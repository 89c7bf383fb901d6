"""What the moderation assistant says reaches the console, in the moderator's language."""

from __future__ import annotations

import uuid

from caravane.extensions import socketio
from tests.conftest import events


def ask(attendee, text):
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": text}, callback=True)
    assert answer["ok"], answer
    return answer["question"]


def test_insult_arrives_flagged_with_a_readable_reason(app, attendee, console):
    ask(attendee, "Pourquoi le préfet est un gros c0nn4rd avec ses drones ?")
    [incoming] = events(console, "question:new", "/moderation")
    [flag] = [f for f in incoming["flags"] if f["code"] == "abuse"]
    assert flag["message"].startswith("propos hostile : insulte")
    assert "c0nn4rd" in flag["message"]
    assert flag["severity"] == 3


def test_phone_number_is_flagged_as_personal_data(app, attendee, console):
    ask(attendee, "Appelez mon voisin au 06 12 34 56 78, il filme tout le quartier ?")
    [incoming] = events(console, "question:new", "/moderation")
    messages = [f["message"] for f in incoming["flags"] if f["code"] == "personal_data"]
    assert messages and "numéro de téléphone" in messages[0]
    assert max(f["severity"] for f in incoming["flags"]) == 4


def test_near_duplicate_names_the_earlier_question_and_a_score(app, attendee, console):
    first = ask(attendee, "Combien de caméras de vidéosurveillance y a-t-il à Roubaix ?")
    ask(attendee, "Il y a combien de caméras de vidéosurveillance à Roubaix ?")
    incoming = events(console, "question:new", "/moderation")[-1]
    [flag] = [f for f in incoming["flags"] if f["code"] == "duplicate"]
    assert flag["of"] == first["id"] and 0 < flag["score"] <= 100
    assert flag["message"] == f"doublon probable de la question {first['id']} ({flag['score']} %)"


def test_ordinary_question_about_surveillance_has_no_flag(app, attendee, console):
    ask(attendee, "La police municipale utilise-t-elle la reconnaissance faciale à Calais ?")
    [incoming] = events(console, "question:new", "/moderation")
    assert incoming["flags"] == []
    assert incoming["language"] == "fr"


def test_flags_never_reject_on_their_own(app, attendee):
    question = ask(attendee, "Espèce de connard, réponds à ma question sur les drones !")
    assert question["status"] == "pending"


def test_language_tag_is_detected_for_arabic(app, attendee, console):
    ask(attendee, "من يراقب صور الكاميرات الحرارية في ميناء كاليه؟")
    [incoming] = events(console, "question:new", "/moderation")
    assert incoming["language"] == "ar"


def test_an_english_speaking_moderator_reads_flags_in_english(app, attendee, moderator_client):
    moderator_client.post("/langue", data={"lang": "en"})
    english = socketio.test_client(app, namespace="/moderation",
                                   flask_test_client=moderator_client)
    english.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    english.get_received("/moderation")
    ask(attendee, "Appelez le 06 12 34 56 78 pour parler des caméras ?")
    [incoming] = events(english, "question:new", "/moderation")
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
    [incoming] = events(console, "question:new", "/moderation")
    threats = [f for f in incoming["flags"] if f["reason"] == "threat"]
    assert threats and all(flag["severity"] == 4 for flag in threats)
    assert threats[0]["message"].startswith("propos hostile : menace « On sait où tu habites")
