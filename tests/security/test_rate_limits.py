"""Throttles: moderator sign-in, and anonymous questions and support, per person and per address.

Rate limits are off in the shared fixtures; these tests turn them on.
"""

from __future__ import annotations

import re
import uuid

from caravane.accounts import moderators
from caravane.board.models import Question
from caravane.extensions import db, socketio
from tests.conftest import PASSWORD

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "SUBMIT_LIMIT": "3 per minute", "SUBMIT_LIMIT_PER_ADDRESS": "5 per minute",
    "VOTE_LIMIT": "4 per minute", "VOTE_LIMIT_PER_ADDRESS": "6 per minute",
}


def phone(app, address="192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.get("/calais/questions")
    socket = socketio.test_client(app, namespace="/", flask_test_client=client)
    assert socket.emit("join", {"stop": "calais"}, callback=True)["ok"]
    return client, socket


def ask(socket, number=0):
    return socket.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                  "text": f"Question numéro {number} sur les caméras ?"},
                       callback=True)


def stored(app):
    with app.app_context():
        return db.session.query(Question).count()


def test_moderator_sign_in_is_throttled_with_a_generic_message(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        moderators.add("camille", PASSWORD)
    client = app.test_client()
    for _ in range(10):
        wrong = client.post("/connexion", data={"login": "camille", "password": "guess"})
        assert wrong.status_code == 401
        assert "Identifiant ou mot de passe incorrect" in wrong.get_data(as_text=True)
    blocked = client.post("/connexion", data={"login": "camille", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Trop de demandes" in blocked.get_data(as_text=True)
    assert "camille" not in blocked.get_data(as_text=True)
    # Someone else, from another address, can still sign in.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    assert other.post("/connexion", data={"login": "camille",
                                          "password": PASSWORD}).status_code == 303


def test_unknown_login_and_wrong_password_get_the_same_answer(make_app):
    app = make_app()
    with app.app_context():
        moderators.add("camille", PASSWORD)
    client = app.test_client()
    unknown = client.post("/connexion", data={"login": "nobody", "password": "guess"})
    wrong = client.post("/connexion", data={"login": "camille", "password": "guess"})
    assert unknown.status_code == wrong.status_code == 401
    # Apart from the values echoed into the form (login, per-request tokens), the same page.
    def page(response):
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))

    assert page(unknown) == page(wrong)
    assert "Identifiant ou mot de passe incorrect" in page(unknown)


def test_an_attendee_asking_too_fast_over_the_socket_is_told_when_to_retry(make_app):
    app = make_app(**LIMITS)
    _client, socket = phone(app)
    assert all(ask(socket, n)["ok"] for n in range(3))
    refused = ask(socket, 3)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "rate_limited"
    assert "Réessayez dans" in refused["error"]["message"]
    seconds = int(refused["error"]["message"].split("Réessayez dans ")[1].split()[0])
    assert 1 <= seconds <= 60
    assert stored(app) == 3


def test_the_same_budget_applies_to_the_form_without_javascript(make_app):
    app = make_app(**LIMITS)
    client, socket = phone(app)
    assert all(ask(socket, n)["ok"] for n in range(3))
    response = client.post("/calais/questions", data={
        "text": "Une quatrième question par le formulaire ?", "client_id": str(uuid.uuid4())})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Réessayez dans" in page
    # The attendee's words are kept in the form, ready to send again.
    assert "Une quatrième question par le formulaire ?" in page
    assert stored(app) == 3


def test_new_tokens_from_one_address_do_not_escape_the_address_budget(make_app):
    app = make_app(**LIMITS)
    answers = []
    for n in range(4):  # a script throwing its cookie away after every two questions
        _client, socket = phone(app, "192.0.2.66")
        answers += [ask(socket, 2 * n), ask(socket, 2 * n + 1)]
    assert sum(a["ok"] for a in answers) == 5
    assert {a["error"]["code"] for a in answers if not a["ok"]} == {"rate_limited"}
    # A phone on another address is not held back by that script.
    _client, neighbour = phone(app, "192.0.2.67")
    assert ask(neighbour, 99)["ok"]


def test_support_clicks_are_limited_per_attendee(make_app):
    app = make_app(**LIMITS)
    with app.app_context():
        from caravane.tour.models import Stop
        stop = db.session.query(Stop).filter_by(slug="calais").one()
        question = Question(stop_id=stop.id, client_id="seeded-question", text="Publiée déjà ?",
                            status="approved")
        db.session.add(question)
        db.session.commit()
        question_id = question.id
    client, socket = phone(app)
    answers = [socket.emit("vote", {"question_id": question_id}, callback=True) for _ in range(5)]
    assert [a["ok"] for a in answers] == [True] * 4 + [False]
    assert answers[-1]["error"]["code"] == "rate_limited"
    no_js = client.post("/calais/questions/soutien", data={"question_id": str(question_id)},
                        follow_redirects=True)
    assert "Réessayez dans" in no_js.get_data(as_text=True)


def test_limits_are_off_when_configured_off(make_app):
    app = make_app(**{**LIMITS, "RATELIMIT_ENABLED": False})
    _client, socket = phone(app)
    assert all(ask(socket, n)["ok"] for n in range(8))


def test_several_processes_share_their_counters_in_redis_when_a_queue_is_configured(tmp_path):
    from flask import Flask

    from caravane import config

    app = Flask(__name__, instance_path=str(tmp_path))
    config.configure(app, {"MESSAGE_QUEUE": "redis://127.0.0.1:6379/3", "SECRET_KEY": "x"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    alone = Flask(__name__, instance_path=str(tmp_path))
    config.configure(alone, {"SECRET_KEY": "x"})
    assert alone.config["RATELIMIT_STORAGE_URI"] == "memory://"


def post_question(client, number, forwarded_for):
    return client.post("/calais/questions", headers={"X-Forwarded-For": forwarded_for}, data={
        "text": f"Question numéro {number} par le formulaire ?", "client_id": str(uuid.uuid4())})


def test_a_forged_forwarded_address_does_not_escape_the_limit_without_a_proxy(make_app):
    app = make_app(**{**LIMITS, "SUBMIT_LIMIT": "100 per minute"})
    codes = []
    for n in range(7):
        client = app.test_client()  # a fresh cookie each time, a forged address each time
        codes.append(post_question(client, n, f"203.0.113.{n}").status_code)
    assert codes == [303] * 5 + [429] * 2


def test_behind_one_configured_proxy_each_forwarded_address_has_its_own_budget(make_app):
    app = make_app(**{**LIMITS, "SUBMIT_LIMIT": "100 per minute", "PROXY_COUNT": 1})
    codes = []
    for n in range(7):
        client = app.test_client()
        # nginx appends the real peer; anything the client wrote before it is not trusted.
        codes.append(post_question(client, n, f"198.51.100.1, 203.0.113.{n}").status_code)
    assert codes == [303] * 7
    spoofer = [post_question(app.test_client(), 10 + n, f"203.0.113.{n}, 203.0.113.200")
               for n in range(6)]
    assert [r.status_code for r in spoofer] == [303] * 5 + [429]
