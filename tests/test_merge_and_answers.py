"""Merging questions that ask the same thing, undoing it, and written answers: over Socket.IO,
as consoles and phones use them (both databases in CI)."""

from __future__ import annotations

import csv
import uuid

from tests.conftest import events, new_attendee, wait_until_read


def ask(phone, text, stop="calais"):
    answer = phone.emit("submit", {"stop": stop, "client_id": str(uuid.uuid4()), "text": text},
                        callback=True)
    assert answer["ok"], answer
    return answer["question"]


def moderate(console, question, action, **extra):
    answer = console.emit("moderate", {"question_id": question["id"], "action": action,
                                       "version": question["version"], **extra},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer
    return answer["question"]


def merge(console, kept, *merged):
    return console.emit("merge", {"question_id": kept["id"], "merged": [q["id"] for q in merged]},
                        namespace="/moderation", callback=True)


def support(phone, question):
    answer = phone.emit("vote", {"question_id": question["id"]}, callback=True)
    assert answer["ok"], answer
    return answer


def room(phone, stop="calais"):
    return phone.emit("join", {"stop": stop}, callback=True)


def console_view(console):
    snapshot = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    return {q["id"]: q for q in snapshot["questions"]}


def test_merged_questions_count_their_askers_and_supports_once_and_tell_each_author(
    app, console
):
    first, second, third, voter = (new_attendee(app) for _ in range(4))
    kept = moderate(console, ask(first, "Combien de caméras à Calais en 2026 ?"), "approve")
    twin = moderate(console, ask(second, "Quel est le nombre de caméras installées à Calais ?"),
                    "approve")
    # Written in Arabic, waiting: the same subject, another language.
    arabic = ask(third, "كم عدد الكاميرات في كاليه؟")
    again = ask(first, "Combien de caméras à Calais, au total ?")  # the same person twice
    support(voter, kept)
    support(voter, twin)  # supported both: counted once in the group
    support(second, kept)
    assert wait_until_read(app)
    for phone in (first, second, third, voter):
        phone.get_received("/")

    answer = merge(console, kept, twin, arabic, again)
    assert answer["ok"], answer
    merged = answer["question"]
    assert merged["asked_by"] == 3 and merged["votes"] == 2
    assert merged["asked_by_label"] == "posée par 3 personnes"
    assert {q["status"] for q in answer["merged"]} == {"merged"}

    # The room: one question where there were two, with its count; the other one is gone.
    view = room(voter)
    listed = {q["id"]: q for q in view["questions"]}
    assert twin["id"] not in listed and arabic["id"] not in listed
    assert listed[kept["id"]]["asked_by"] == 3 and listed[kept["id"]]["votes"] == 2
    assert kept["id"] in view["voted"], "a support given to the grouped question counts"
    # Each author's phone: their question was grouped, with the text it joined.
    for phone, own in ((second, twin), (third, arabic)):
        told = [q for q in events(phone, "question:status") if q["id"] == own["id"]][-1]
        assert told["status"] == "merged"
        assert told["merged_into"]["text"] == kept["text"]
        assert told["merged_into"]["asked_by"] == 3
        mine = {q["id"]: q for q in room(phone)["mine"]}
        assert mine[own["id"]]["merged_into"]["id"] == kept["id"]
    # The Arabic author supports the question their own joined; supporting again takes it back.
    assert support(third, kept)["votes"] == 3
    assert support(third, kept)["votes"] == 2
    # The voter's second tap takes back both supports given before the merge.
    assert support(voter, kept) == {"ok": True, "question_id": kept["id"], "votes": 1,
                                    "voted": False}


def test_a_merge_is_undone_with_the_status_it_had_and_the_log_says_both(
    app, console, moderator_client
):
    phone, other = new_attendee(app), new_attendee(app)
    kept = moderate(console, ask(phone, "Qui a payé les caméras du centre-ville ?"), "approve")
    twin = moderate(console, ask(other, "Qui finance les caméras du centre ?"), "approve")
    pending = ask(other, "Les caméras du centre, qui les paie vraiment ?")
    support(phone, twin)
    merged = merge(console, kept, twin, pending)["question"]
    assert merged["asked_by"] == 2 and merged["votes"] == 1
    held = console_view(console)

    answer = console.emit("unmerge", {"question_id": twin["id"],
                                      "version": held[twin["id"]]["version"]},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer
    assert answer["question"]["status"] == "approved" and answer["question"]["votes"] == 1
    assert answer["kept"]["votes"] == 0 and answer["kept"]["asked_by"] == 2
    undone = console.emit("unmerge", {"question_id": pending["id"],
                                      "version": held[pending["id"]]["version"]},
                          namespace="/moderation", callback=True)
    assert undone["question"]["status"] == "pending"
    assert undone["kept"]["asked_by"] == 1
    listed = {q["id"] for q in room(phone)["questions"]}
    assert {kept["id"], twin["id"]} <= listed
    # Undoing twice is refused with words, not an error page.
    again = console.emit("unmerge", {"question_id": twin["id"],
                                     "version": answer["question"]["version"]},
                         namespace="/moderation", callback=True)
    assert again["error"]["code"] == "not_merged" and again["error"]["message"]

    log = moderator_client.get("/calais/moderation/journal").get_data(as_text=True)
    assert f"a regroupé la question {twin['id']} avec la question {kept['id']}" in log
    assert f"a séparé la question {twin['id']} de la question {kept['id']}" in log


def test_merges_that_make_no_sense_are_refused_with_a_reason(app, console):
    phone = new_attendee(app)
    kept = moderate(console, ask(phone, "Une question gardée sur les drones ?"), "approve")
    shown = moderate(console, moderate(console, ask(phone, "Une question à l'écran, drones ?"),
                                       "approve"), "show")
    refused = merge(console, kept, shown)
    assert refused["error"]["code"] == "cannot_merge"
    assert "à l'écran" in refused["error"]["message"].replace("’", "'")
    assert merge(console, kept)["error"]["code"] == "nothing_to_merge"
    assert merge(console, kept, kept)["error"]["code"] == "nothing_to_merge"
    # Two moderators grouping into one question at the same moment: both merges add up.
    twins = [ask(new_attendee(app), f"Les drones volent-ils la nuit, {n} ?") for n in (1, 2)]
    assert merge(console, kept, twins[0])["question"]["asked_by"] == 2
    assert merge(console, kept, twins[1])["question"]["asked_by"] == 3
    rejected = moderate(console, ask(phone, "Une question écartée sur les drones ?"), "reject",
                        reason="other")
    assert merge(console, rejected, kept)["error"]["code"] == "cannot_merge_into"


def test_a_second_console_and_the_projector_follow_a_merge(app, console, moderator_client):
    from caravane.extensions import socketio

    phone, other = new_attendee(app), new_attendee(app)
    kept = moderate(console, ask(phone, "Les images sont-elles gardées trente jours ?"), "approve")
    kept = moderate(console, kept, "show")
    twin = ask(other, "Combien de temps garde-t-on les images ?")
    colleague = socketio.test_client(app, namespace="/moderation",
                                     flask_test_client=moderator_client)
    colleague.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    colleague.get_received("/moderation")
    phone.get_received("/")
    assert merge(console, kept, twin)["ok"]
    changed = {q["id"]: q for q in events(colleague, "question:changed", "/moderation")}
    assert changed[twin["id"]]["merged_into"] == kept["id"]
    assert changed[kept["id"]]["asked_by"] == 2
    screen = events(phone, "screen:changed")[-1]
    assert screen["question"]["id"] == kept["id"] and screen["question"]["asked_by"] == 2


def test_a_written_answer_reaches_the_author_the_room_and_keeps_its_language(app, console):
    author, neighbour = new_attendee(app), new_attendee(app)
    question = moderate(console, ask(author, "Où peut-on lire le contrat des caméras ?"),
                        "approve")
    for phone in (author, neighbour):
        phone.get_received("/")
    text = ("Le contrat est public : https://example.org/contrat?id=4 — demandez-le aussi "
            "à la mairie.\n\nBonne soirée.")
    answer = console.emit("reply", {"question_id": question["id"], "text": text,
                                    "version": question["version"]},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer
    assert answer["question"]["answer"] == text
    assert answer["question"]["answer_language"] == "fr"
    assert events(author, "question:status")[-1]["answer"] == text
    updated = events(neighbour, "question:updated")[-1]
    assert updated["answer"] == text and updated["status"] == "approved"
    assert [q["answer"] for q in room(neighbour)["questions"]] == [text]
    # Written in English on a French console: it says English.
    english = console.emit("reply", {"question_id": question["id"],
                                     "text": "The contract is public, ask the city council.",
                                     "version": answer["question"]["version"]},
                           namespace="/moderation", callback=True)
    assert english["question"]["answer_language"] == "en"
    # Taken back with an empty text.
    gone = console.emit("reply", {"question_id": question["id"], "text": "  ",
                                  "version": english["question"]["version"]},
                        namespace="/moderation", callback=True)
    assert gone["question"]["answer"] is None
    assert room(neighbour)["questions"][0]["answer"] is None


def test_written_answers_refuse_what_they_should(app, console):
    phone = new_attendee(app)
    pending = ask(phone, "Une question qui attend encore ?")
    refused = console.emit("reply", {"question_id": pending["id"], "text": "Réponse",
                                     "version": pending["version"]},
                           namespace="/moderation", callback=True)
    assert refused["error"]["code"] == "cannot_answer" and refused["error"]["message"]
    approved = moderate(console, pending, "approve")
    too_long = console.emit("reply", {"question_id": approved["id"], "text": "a" * 1001,
                                      "version": approved["version"]},
                            namespace="/moderation", callback=True)
    assert too_long["error"]["code"] == "answer_too_long"
    assert "1000" in too_long["error"]["message"].replace("\u202f", "").replace(" ", "")
    # Nothing stored was lost: the question is as it was.
    assert console_view(console)[approved["id"]]["answer"] is None
    answered = moderate(console, moderate(console, approved, "show"), "answer")
    late = console.emit("reply", {"question_id": answered["id"], "text": "Aussi par écrit.",
                                  "version": answered["version"]},
                        namespace="/moderation", callback=True)
    assert late["ok"] and late["question"]["status"] == "answered"


def test_the_organisers_export_says_who_asked_what_and_what_was_answered(
    app, console, moderator_client
):
    phone, other = new_attendee(app), new_attendee(app)
    kept = moderate(console, ask(phone, "Qui contrôle l'usage des drones ?"), "approve")
    twin = ask(other, "Qui surveille l'usage des drones de la police ?")
    kept = merge(console, kept, twin)["question"]
    console.emit("reply", {"question_id": kept["id"], "text": "La CNIL, en principe.",
                           "version": kept["version"]}, namespace="/moderation", callback=True)
    rows = {row["id"]: row for row in csv.DictReader(
        moderator_client.get("/calais/export.csv").get_data(as_text=True).splitlines())}
    assert rows[str(kept["id"])]["asked_by"] == "2"
    assert rows[str(kept["id"])]["answer"] == "La CNIL, en principe."
    assert rows[str(twin["id"])]["merged_into"] == str(kept["id"])
    assert rows[str(twin["id"])]["status"] == "merged"
