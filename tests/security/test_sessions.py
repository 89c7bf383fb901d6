"""Moderator sessions end for real, cookies stay out of scripts' and other sites' reach."""

from __future__ import annotations

import os
import stat

from caravane import config
from caravane.accounts import moderators
from caravane.accounts.models import Moderator
from caravane.extensions import db, socketio
from tests.conftest import PASSWORD
from tests.live_server import csrf_token


def signed_in(app, login="camille"):
    with app.app_context():
        if db.session.query(Moderator).filter_by(login=login).first() is None:
            moderators.add(login, PASSWORD, every_stop=True)
    client = app.test_client()
    token = csrf_token(client.get("/connexion").get_data(as_text=True))
    response = client.post("/connexion", data={"login": login, "password": PASSWORD,
                                               "csrf_token": token})
    assert response.status_code == 303
    return client


def replay(app, cookie: str):
    """Another browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def sign_out(app, client):
    page = client.get("/calais/moderation").get_data(as_text=True)
    return client.post("/deconnexion", data={"csrf_token": csrf_token(page)})


def test_a_session_cookie_copied_before_sign_out_opens_nothing_afterwards(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in(app)
    cookie = client.get_cookie("session").value
    assert replay(app, cookie).get("/calais/moderation").status_code == 200

    assert sign_out(app, client).status_code == 303

    assert replay(app, cookie).get("/calais/moderation").status_code == 302
    assert replay(app, cookie).get("/calais/export.csv").status_code == 302
    socket = socketio.test_client(app, namespace="/moderation",
                                  flask_test_client=replay(app, cookie))
    assert not socket.is_connected("/moderation")


def test_signing_out_closes_the_moderators_open_console(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in(app)
    console = socketio.test_client(app, namespace="/moderation", flask_test_client=client)
    assert console.is_connected("/moderation")
    sign_out(app, client)
    assert not console.is_connected("/moderation")


def test_a_console_of_a_session_ended_elsewhere_is_refused_at_its_next_action(make_app):
    # Another server process signed the moderator out: this one still holds the socket.
    app = make_app()
    client = signed_in(app)
    console = socketio.test_client(app, namespace="/moderation", flask_test_client=client)
    with app.app_context():
        moderators.end_sessions(db.session.query(Moderator).filter_by(login="camille").one())
    answer = console.emit("board", {"stop": "calais", "status": "closed"},
                          namespace="/moderation", callback=True)
    assert answer["ok"] is False and answer["error"]["code"] == "forbidden"
    with app.app_context():
        assert db.session.query(Moderator).count() == 1
        from caravane.tour.models import Stop
        assert db.session.query(Stop).filter_by(slug="calais").one().board_status == "open"


def test_changing_the_password_ends_the_old_sessions(make_app):
    app = make_app()
    client = signed_in(app)
    cookie = client.get_cookie("session").value
    with app.app_context():
        moderator = db.session.query(Moderator).filter_by(login="camille").one()
        moderator.set_password("a brand new long password")
        db.session.commit()
    assert replay(app, cookie).get("/calais/moderation").status_code == 302
    socket = socketio.test_client(app, namespace="/moderation",
                                  flask_test_client=replay(app, cookie))
    assert not socket.is_connected("/moderation")


def test_another_site_cannot_sign_a_moderator_out(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in(app)
    forged = client.post("/deconnexion", data={})
    assert forged.status_code == 400
    assert client.get("/calais/moderation").status_code == 200


def test_every_form_post_without_its_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.get("/calais/questions")
    for path, data in [
        ("/calais/questions", {"text": "Une question sans jeton CSRF ?", "client_id": "a" * 36}),
        ("/calais/questions/soutien", {"question_id": "1"}),
        ("/connexion", {"login": "camille", "password": PASSWORD}),
    ]:
        assert client.post(path, data=data).status_code == 400, path
    with app.app_context():
        from caravane.board.models import Question
        assert db.session.query(Question).count() == 0


def test_session_cookies_are_http_only_and_same_site_lax(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.get("/calais/questions")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_when_the_site_is_served_over_https(make_app):
    app = make_app(PUBLIC_URL="https://caravane.example.org")
    client = app.test_client()
    response = client.get("/calais/questions", base_url="https://caravane.example.org")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_without_a_configured_secret_each_installation_generates_its_own_private_one(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = config._instance_secret(tmp_path / "one" / "secret_key")
    again = config._instance_secret(tmp_path / "one" / "secret_key")
    other = config._instance_secret(tmp_path / "two" / "secret_key")
    assert first == again != other
    assert len(first) >= 48
    mode = stat.S_IMODE(os.stat(tmp_path / "one" / "secret_key").st_mode)
    assert mode == 0o600


def test_the_shipped_configuration_has_no_secret_key():
    assert not getattr(config.Defaults, "SECRET_KEY", None)


def test_passwords_are_stored_as_scrypt_hashes(make_app):
    app = make_app()
    with app.app_context():
        moderator = moderators.add("alix", PASSWORD, every_stop=True)
        assert moderator.password_hash.startswith("scrypt:")
        assert PASSWORD not in moderator.password_hash


def session_of(client) -> dict:
    """The signed session cookie's content, as anyone holding the cookie can read it."""
    import base64
    import json
    import zlib

    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(zlib.decompress(data) if compressed else data)


def test_signing_in_and_out_renews_the_session(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        moderators.add("camille", PASSWORD, every_stop=True)
    client = app.test_client()
    page = client.get("/calais/questions").get_data(as_text=True)
    before = session_of(client)
    assert before["attendee"] and before["csrf_token"]
    assert client.post("/connexion", data={"login": "camille", "password": PASSWORD,
                                           "csrf_token": csrf_token(page)}).status_code == 303
    signed = session_of(client)
    assert "attendee" not in signed and signed.get("csrf_token") != before["csrf_token"]
    # No value derived from the address or the browser: Flask-Login's `_id` is not kept.
    assert "_id" not in signed
    assert set(signed) <= {"_user_id", "_fresh", "lang"}
    page = client.get("/calais/moderation").get_data(as_text=True)
    moderator_csrf = session_of(client)["csrf_token"]
    client.post("/deconnexion", data={"csrf_token": csrf_token(page)})
    after = session_of(client) if client.get_cookie("session") else {}
    assert "_user_id" not in after and after.get("csrf_token") != moderator_csrf
