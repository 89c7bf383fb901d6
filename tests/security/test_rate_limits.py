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


def guess(address, login="camille", password="guess", client=None):
    client = client or address_client(address)
    return client.post("/connexion", data={"login": login, "password": password})


def address_client(app_or_address, address=None):
    client = app_or_address.test_client()
    client.environ_base["REMOTE_ADDR"] = address or "192.0.2.1"
    return client


def test_guessing_one_login_from_many_addresses_stops_at_the_login_budget(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        moderators.add("camille", PASSWORD, every_stop=True)
    answers = [guess(None, client=address_client(app, f"203.0.113.{n}")) for n in range(12)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 7
    page = answers[-1].get_data(as_text=True)
    assert "Trop de tentatives : réessayez dans 5 minutes." in page
    assert "camille" not in page.replace('value="camille"', "")
    # Refused before the password is even checked: the right one is refused too, from a
    # browser that never signed in as camille.
    assert guess(None, password=PASSWORD,
                 client=address_client(app, "198.51.100.4")).status_code == 429
    # Another account is not held back by guesses at camille's.
    with app.app_context():
        moderators.add("sacha", PASSWORD, every_stop=True)
    assert guess(None, "sacha", PASSWORD,
                 client=address_client(app, "203.0.113.1")).status_code == 303


def test_a_neighbour_guessing_does_not_lock_out_a_moderator_whose_browser_signed_in_before(
    make_app,
):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        moderators.add("camille", PASSWORD, every_stop=True)
    venue = "192.0.2.50"  # the guesser and the moderator share the venue's address
    laptop = address_client(app, venue)
    assert guess(None, password=PASSWORD, client=laptop).status_code == 303
    assert laptop.get_cookie("caravane_device", path="/connexion") is not None
    laptop.post("/deconnexion")
    for _ in range(40):
        guess(None, client=address_client(app, venue))
    assert guess(None, client=address_client(app, venue)).status_code == 429
    assert guess(None, password=PASSWORD, client=laptop).status_code == 303


def test_one_address_trying_many_logins_stops_at_the_address_budget(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = address_client(app, "192.0.2.77")
    codes = [guess(None, f"login{n}", client=client).status_code for n in range(31)]
    assert codes == [401] * 30 + [429]
    # The same logins from elsewhere are not refused.
    assert guess(None, "login0", client=address_client(app, "192.0.2.78")).status_code == 401


def test_unknown_login_and_wrong_password_get_the_same_answer(make_app):
    app = make_app()
    with app.app_context():
        moderators.add("camille", PASSWORD, every_stop=True)
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
    """A script's question: load the page (which gives the cookie an identity), then post."""
    headers = {"X-Forwarded-For": forwarded_for}
    client.get("/calais/questions", headers=headers)
    return client.post("/calais/questions", headers=headers, data={
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
