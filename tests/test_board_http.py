"""The attendee board without JavaScript: read, ask and support with plain forms."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from caravane.board.analysis import wait_until_read
from caravane.board.models import Question
from caravane.extensions import db, socketio
from caravane.typography import french_interface, french_spacing
from tests.conftest import events, read_by_assistant
from tests.live_server import csrf_token

QUESTION = "La vidéosurveillance algorithmique de Briefcam est-elle encore utilisée à Roubaix ?"


def form_of(page: str) -> dict:
    return {
        "csrf_token": csrf_token(page),
        "client_id": re.search(r'name="client_id" value="([^"]+)"', page).group(1),
    }


def test_form_post_stores_the_question_and_redirects_to_my_questions(app):
    app.config["WTF_CSRF_ENABLED"] = True
    phone = app.test_client()
    page = phone.get("/roubaix/questions").get_data(as_text=True)
    response = phone.post("/roubaix/questions", data={**form_of(page), "text": QUESTION})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/roubaix/questions#mes-questions")
    # Once the assistant has read it, the question is known to be French and spaced as such.
    assert wait_until_read(app)
    page = phone.get("/roubaix/questions").get_data(as_text=True)
    assert french_spacing(QUESTION) in page
    assert "en attente" in page
    assert "Question envoyée" in page


def test_posting_the_same_form_twice_stores_one_question(app):
    phone = app.test_client()
    page = phone.get("/roubaix/questions").get_data(as_text=True)
    data = {**form_of(page), "text": QUESTION}
    phone.post("/roubaix/questions", data=data)
    phone.post("/roubaix/questions", data=data)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 1


def test_form_without_csrf_token_is_refused_but_the_text_is_kept(app):
    app.config["WTF_CSRF_ENABLED"] = True
    phone = app.test_client()
    page = phone.get("/roubaix/questions").get_data(as_text=True)
    data = {**form_of(page), "text": QUESTION, "csrf_token": "forged"}
    response = phone.post("/roubaix/questions", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "La page a expiré" in body
    assert "Briefcam est-elle encore utilisée" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_too_short_question_is_explained_next_to_the_field_and_kept(app):
    phone = app.test_client()
    page = phone.get("/roubaix/questions").get_data(as_text=True)
    response = phone.post("/roubaix/questions", data={**form_of(page), "text": "Pourquoi"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "trop courte" in body and 'id="text-error"' in body
    assert "\nPourquoi</textarea>" in body


def test_form_post_reaches_moderators_live(app, console):
    phone = app.test_client()
    page = phone.get("/calais/questions").get_data(as_text=True)
    phone.post("/calais/questions", data={**form_of(page), "text": QUESTION})
    [incoming] = events(console, "question:new", "/moderation")
    assert incoming["text"] == QUESTION


def test_closed_board_refuses_the_form_politely(app, console):
    console.emit("board", {"stop": "calais", "status": "closed"}, namespace="/moderation",
                 callback=True)
    phone = app.test_client()
    page = phone.get("/calais/questions").get_data(as_text=True)
    assert "Les questions sont closes" in page
    response = phone.post("/calais/questions", data={**form_of(page), "text": QUESTION})
    assert response.status_code == 422
    assert "Les questions sont closes" in response.get_data(as_text=True)


def test_support_button_works_without_javascript(app, console):
    author = app.test_client()
    page = author.get("/calais/questions").get_data(as_text=True)
    author.post("/calais/questions", data={**form_of(page), "text": QUESTION})
    [incoming] = events(console, "question:new", "/moderation")
    console.emit("moderate", {"question_id": incoming["id"], "action": "approve", "version": 1},
                 namespace="/moderation", callback=True)
    voter = app.test_client()
    page = voter.get("/calais/questions").get_data(as_text=True)
    assert french_spacing(QUESTION) in page  # "Roubaix ?" with a narrow no-break space
    # Another stop's page names no question of Calais.
    voter.get("/lille/questions")
    elsewhere = voter.post("/lille/questions/soutien", data={"question_id": incoming["id"]})
    assert "Cette question n’existe pas" in voter.get(elsewhere.location).get_data(as_text=True)
    response = voter.post("/calais/questions/soutien", data={"question_id": incoming["id"]})
    assert response.status_code == 303
    page = voter.get("/calais/questions").get_data(as_text=True)
    assert 'aria-pressed="true"' in page
    assert '<span class="vote-count">1</span>' in page


def test_page_shows_published_questions_sorted_by_support_or_time(app, console):
    phone = app.test_client()
    texts = ["Première question sur les drones de Calais ?",
             "Deuxième question sur les scanners du port ?"]
    for text in texts:
        page = phone.get("/calais/questions").get_data(as_text=True)
        phone.post("/calais/questions", data={**form_of(page), "text": text})
    for incoming in events(console, "question:new", "/moderation"):
        console.emit("moderate", {"question_id": incoming["id"], "action": "approve",
                                  "version": 1}, namespace="/moderation", callback=True)
    second_id = max(q["id"] for q in [{"id": 1}, {"id": 2}])
    socket = socketio.test_client(app, namespace="/", flask_test_client=app.test_client())
    socket.emit("vote", {"question_id": second_id}, callback=True)
    by_support = phone.get("/calais/questions").get_data(as_text=True)
    assert by_support.index("Deuxième") < by_support.index("Première")
    by_time = phone.get("/calais/questions?tri=recentes").get_data(as_text=True)
    assert by_time.index("Deuxième") < by_time.index("Première")
    assert '<span class="count" id="published-count">2</span>' in by_support


def test_without_javascript_the_author_sees_corrections_repeats_and_their_own_question(
    app, console
):
    other = app.test_client()
    page = other.get("/calais/questions").get_data(as_text=True)
    other.post("/calais/questions", data={**form_of(page), "text": QUESTION})
    author = app.test_client()
    for text in ("Qui paie les cameras du port de Calais ?", QUESTION + "?"):
        page = author.get("/calais/questions").get_data(as_text=True)
        author.post("/calais/questions", data={**form_of(page), "text": text})
    first, corrected, repeated = read_by_assistant(app, console)
    assert [f["of"] for f in repeated["flags"] if f["code"] == "duplicate"] == [first["id"]]

    def moderate(question, action, **extra):
        answer = console.emit("moderate", {"question_id": question["id"], "action": action,
                                           "version": question["version"], **extra},
                              namespace="/moderation", callback=True)
        assert answer["ok"], answer
        return answer["question"]

    moderate(first, "approve")
    edited = console.emit("edit", {"question_id": corrected["id"], "version": 1,
                                   "text": "Qui paie les caméras du port de Calais ?"},
                          namespace="/moderation", callback=True)["question"]
    moderate(edited, "approve")
    moderate(repeated, "reject", reason="duplicate")

    page = author.get("/calais/questions").get_data(as_text=True)
    # Corrected: said, with the author's own words.
    mine = re.search(rf'<li class="my-question status-approved" data-id="{corrected["id"]}">'
                     r'.*?</li>', page, re.S).group(0)
    assert '<details class="my-edited">' in mine and "Corrigée par l’équipe" in mine
    assert "Qui paie les cameras du port de Calais ?" in mine
    # Set aside as already asked: a plain form supports the earlier question.
    repeat = re.search(r'<form[^>]*class="repeat-form"[^>]*>(.*?)</form>', page, re.S)
    assert repeat and f'name="question_id" value="{first["id"]}"' in repeat.group(1)
    assert f'href="#q{first["id"]}"' in repeat.group(1)
    # Their own approved question is marked in the room's list, with its supports.
    own_card = re.search(rf'<li class="question is-mine" id="q{corrected["id"]}".*?</li>', page,
                         re.S)
    assert own_card and "Ma question" in own_card.group(0)
    assert french_interface("Soutiens : 0") in page
    # The other attendee sees it as anyone's, and their own marked instead.
    seen_by_other = other.get("/calais/questions").get_data(as_text=True)
    assert f'<li class="question" id="q{corrected["id"]}"' in seen_by_other
    assert f'<li class="question is-mine" id="q{first["id"]}"' in seen_by_other


def test_a_closed_board_says_so_in_its_heading_and_locks_the_form(app, console):
    console.emit("board", {"stop": "calais", "status": "closed"}, namespace="/moderation",
                 callback=True)
    page = app.test_client().get("/calais/questions").get_data(as_text=True)
    assert '<h1 id="board-title">Les questions sont closes</h1>' in page
    assert re.search(r'<textarea[^>]*disabled', page)


def test_supporting_a_number_no_question_can_have_says_so_instead_of_failing(app):
    voter = app.test_client()
    voter.get("/calais/questions")
    # Past a 32-bit integer: PostgreSQL and SQLite would fail on it rather than find nothing.
    response = voter.post("/calais/questions/soutien", data={"question_id": "99999999999999999999"})
    assert response.status_code == 303
    page = voter.get("/calais/questions").get_data(as_text=True)
    assert "Cette question n’existe pas" in page


def test_a_monitor_asking_for_the_board_with_head_gets_the_page_not_a_refusal(app):
    response = app.test_client().head("/calais/questions")
    assert response.status_code == 200


def test_a_name_kept_after_a_refused_question_is_shown_unfolded(app):
    phone = app.test_client()
    page = phone.get("/calais/questions").get_data(as_text=True)
    refused = phone.post("/calais/questions", data={**form_of(page), "text": "Court",
                                                    "name": "Yasmine"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<details class="name-field" open>' in page and 'value="Yasmine"' in page
