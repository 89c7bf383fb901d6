"""The moderators' queue of next questions, "next", each question's history and the stop's log,
the chooser of stops: over Socket.IO and HTTP, as consoles use them."""

from __future__ import annotations

import uuid

from caravane.accounts import moderators
from caravane.extensions import socketio
from caravane.typography import french_interface
from tests.conftest import PASSWORD, events, new_attendee, sign_in


def approved(attendee, console, text):
    asked = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                     "text": text}, callback=True)["question"]
    answer = console.emit("moderate", {"question_id": asked["id"], "action": "approve",
                                       "version": asked["version"]},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer
    return answer["question"]


def arrange(console, question, move):
    return console.emit("arrange", {"question_id": question["id"], "move": move,
                                    "version": question["version"]},
                        namespace="/moderation", callback=True)


def next_question(console, head, **extra):
    return console.emit("next", {"stop": "calais", "head": head["id"],
                                 "version": head["version"], **extra},
                        namespace="/moderation", callback=True)


def queued(console) -> list[int]:
    snapshot = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    in_queue = [q for q in snapshot["questions"] if q["queue"] is not None]
    return [q["id"] for q in sorted(in_queue, key=lambda q: q["queue"])]


def test_the_queue_keeps_the_moderators_order_and_every_console_follows(
    app, attendee, console, moderator_client
):
    first, second, third = (approved(attendee, console, f"Question {n} sur les caméras ?")
                            for n in ("une", "deux", "trois"))
    other = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    other.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    other.get_received("/moderation")
    for question in (first, second, third):
        answer = arrange(console, question, "queue")
        assert answer["ok"] and answer["question"]["queue"] is not None
    third = answer["question"]
    moved = arrange(console, third, "up")
    assert moved["ok"]
    # The acting console learns of the neighbour in the answer itself: never two at one place.
    assert [q["id"] for q in moved["moved"]] == [second["id"]]
    assert moved["moved"][0]["queue"] > moved["question"]["queue"]
    assert queued(console) == [first["id"], third["id"], second["id"]]
    # The other console heard both questions that swapped places.
    changed = {q["id"]: q for q in events(other, "question:changed", "/moderation")}
    assert changed[third["id"]]["queue"] < changed[second["id"]]["queue"]
    # A move made on an old version is refused with the question as it is now.
    stale = arrange(console, third, "down")
    assert stale["error"]["code"] == "stale_version"
    assert stale["error"]["question"]["version"] == moved["question"]["version"]
    # Out of the queue, still approved.
    out = arrange(console, moved["question"], "unqueue")
    assert out["question"]["queue"] is None and out["question"]["status"] == "approved"
    assert queued(console) == [first["id"], second["id"]]


def test_only_approved_questions_can_be_queued(app, attendee, console):
    asked = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                     "text": "Une question pas encore relue ?"}, callback=True)
    refused = arrange(console, asked["question"], "queue")
    assert refused["error"]["code"] == "invalid_transition"
    assert "en attente" in refused["error"]["message"]


def test_next_answers_the_question_on_screen_and_shows_the_head_of_the_queue(
    app, attendee, console
):
    screen = new_attendee(app)
    on_screen, head = (approved(attendee, console, text) for text in (
        "Qui regarde les écrans du centre de supervision ?",
        "Combien de temps sont gardées les images ?"))
    shown = console.emit("moderate", {"question_id": on_screen["id"], "action": "show",
                                      "version": on_screen["version"]},
                         namespace="/moderation", callback=True)["question"]
    head = arrange(console, head, "queue")["question"]
    screen.get_received("/")
    answer = next_question(console, head)
    assert answer["ok"], answer
    assert answer["question"]["status"] == "on_screen" and answer["question"]["queue"] is None
    assert answer["answered"]["id"] == shown["id"] and answer["answered"]["status"] == "answered"
    # The projector and the phones get the change as one event.
    [change] = events(screen, "screen:changed")
    assert change["question"]["id"] == head["id"] and change["left"]["id"] == shown["id"]
    # A colleague pressing "next" on the same head at the same moment does not advance twice.
    again = next_question(console, head)
    assert again["error"]["code"] in ("queue_empty", "stale_version")
    assert queued(console) == []


def test_next_with_an_empty_queue_says_what_to_do(app, console):
    answer = console.emit("next", {"stop": "calais", "head": 1, "version": 1},
                          namespace="/moderation", callback=True)
    assert answer["error"]["code"] == "queue_empty"
    assert "ajoutez-y des questions acceptées" in answer["error"]["message"]


def test_any_change_of_status_takes_a_question_out_of_the_queue(app, attendee, console):
    question = arrange(console, approved(attendee, console, "Une question à écarter ?"),
                       "queue")["question"]
    rejected = console.emit("moderate", {"question_id": question["id"], "action": "reject",
                                         "reason": "off_topic", "version": question["version"]},
                            namespace="/moderation", callback=True)["question"]
    assert rejected["queue"] is None
    assert queued(console) == []


def test_each_question_has_its_history_in_sentences(app, attendee, console):
    question = arrange(console, approved(attendee, console, "Qui a voté le budget des drones ?"),
                       "queue")["question"]
    answer = console.emit("history", {"question_id": question["id"]},
                          namespace="/moderation", callback=True)
    messages = [line["message"] for line in answer["history"]]
    assert messages == [f"camille a accepté la question {question['id']}",
                        f"camille a ajouté la question {question['id']} à la file"]
    assert all(len(line["time"]) == 5 for line in answer["history"])  # "20:41", local time


def test_signing_in_leads_to_the_stops_this_moderator_moderates(app, client):
    with app.app_context():
        moderators.add("ines", PASSWORD, stops=["roubaix"])
    response = sign_in(client, "ines")
    assert response.headers["Location"].endswith("/moderation")
    page = client.get("/moderation").get_data(as_text=True)
    assert french_interface("Connecté·e : ines") in page
    assert "/roubaix/moderation" in page and "/calais/moderation" not in page
    assert "0 question à relire" in page
    assert client.get("/calais/moderation/journal").status_code == 403
    assert "Aucune action enregistrée." in client.get("/roubaix/moderation/journal").get_data(
        as_text=True)


def test_the_chooser_counts_questions_waiting_to_be_read(app, attendee, moderator_client):
    for n in range(2):
        attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                 "text": f"Question en attente numéro {n} ?"}, callback=True)
    page = moderator_client.get("/moderation").get_data(as_text=True)
    assert "2 questions à relire" in page


def test_the_stop_log_reads_as_sentences_newest_first(app, attendee, console, moderator_client):
    question = approved(attendee, console, "Qui contrôle les caméras de la gare ?")
    console.emit("edit", {"question_id": question["id"], "version": question["version"],
                          "text": "Qui contrôle les caméras de la gare de Calais ?"},
                 namespace="/moderation", callback=True)
    page = moderator_client.get("/calais/moderation/journal").get_data(as_text=True)
    edited = page.index(f"camille a corrigé la question {question['id']}")
    accepted = page.index(f"camille a accepté la question {question['id']}")
    assert edited < accepted
    # Newest first, but numbered from the first action: the acceptance is 1, the edit 2.
    assert '<ol class="log" reversed>' in page
    # French spacing inside the guillemets; the moderator's words as written.
    assert "«\u202fQui contrôle les caméras de la gare ?\u202f» devient" in page


def test_a_queued_question_corrected_with_a_phone_number_still_asks_to_confirm(
    app, attendee, console
):
    head = arrange(console, approved(attendee, console, "Qui finance les caméras du port ?"),
                   "queue")["question"]
    edited = console.emit("edit", {"question_id": head["id"], "version": head["version"],
                                   "text": "Qui finance les caméras ? Appelez le 06 12 34 56 78"},
                          namespace="/moderation", callback=True)["question"]
    # Pressed before the assistant's worker read the new words: they are read first.
    refused = next_question(console, edited)
    assert refused["error"]["code"] == "confirm_personal_data"
    confirmed = next_question(console, refused["error"]["question"], confirm=True)
    assert confirmed["ok"] and confirmed["question"]["status"] == "on_screen"
