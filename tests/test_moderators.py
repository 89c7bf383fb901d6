"""Moderator accounts: the command line, signing in and out, the console and the export."""

from __future__ import annotations

import csv
import io
import uuid

from caravane.extensions import socketio
from tests.conftest import PASSWORD, sign_in


def test_moderator_add_reads_the_password_from_standard_input(app, runner):
    result = runner.invoke(args=["moderator", "add", "sam", "--stop", "calais"],
                           input="un mot de passe solide\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert sign_in(client, "sam", "un mot de passe solide").status_code == 303
    assert runner.invoke(args=["moderator", "list"]).output.splitlines() == ["sam: calais"]


def test_moderator_add_refuses_a_short_password_a_taken_login_and_no_stop(app, runner,
                                                                          moderator):
    short = runner.invoke(args=["moderator", "add", "sam", "--all"], input="court\n")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    taken = runner.invoke(args=["moderator", "add", moderator, "--all"],
                          input="un autre mot de passe\n")
    assert taken.exit_code != 0 and "already exists" in taken.output
    nowhere = runner.invoke(args=["moderator", "add", "sam"], input="un mot de passe solide\n")
    assert nowhere.exit_code != 0 and "--stop STOP" in nowhere.output
    unknown = runner.invoke(args=["moderator", "add", "sam", "--stop", "paris"],
                            input="un mot de passe solide\n")
    assert unknown.exit_code != 0 and "no stop 'paris'" in unknown.output


def test_moderator_remove_ends_the_account(app, runner, moderator):
    assert runner.invoke(args=["moderator", "remove", moderator]).exit_code == 0
    assert sign_in(app.test_client()).status_code == 401
    assert runner.invoke(args=["moderator", "remove", moderator]).exit_code != 0


def test_wrong_login_or_password_gets_the_same_generic_french_message(app, moderator):
    client = app.test_client()
    wrong_password = sign_in(client, moderator, "not the password")
    wrong_login = sign_in(client, "nobody", PASSWORD)
    for response in (wrong_password, wrong_login):
        assert response.status_code == 401
        assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)


def test_console_requires_signing_in(app, client, moderator_client):
    response = client.get("/calais/moderation")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]
    page = moderator_client.get("/calais/moderation").get_data(as_text=True)
    assert "Raccourcis clavier" in page and "À relire" in page


def test_sign_out_ends_the_session_even_if_the_cookie_is_replayed(app, moderator_client):
    cookie = moderator_client.get_cookie("session").value
    socket = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    assert socket.is_connected("/moderation")
    assert moderator_client.post("/deconnexion").status_code == 303
    assert not socket.is_connected("/moderation"), "open consoles are disconnected"

    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/calais/moderation").status_code == 302
    replayed_socket = socketio.test_client(app, namespace="/moderation", flask_test_client=replay)
    assert not replayed_socket.is_connected("/moderation")


def test_export_lists_questions_without_attendee_tokens(app, attendee, moderator_client, console):
    attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()), "name": "Yasmine",
                             "text": "=HYPERLINK(\"x\") Qui finance les drones ?"}, callback=True)
    response = moderator_client.get("/calais/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["text"].startswith("'="), "a formula must not run in a spreadsheet"
    assert rows[0]["status"] == "pending"
    assert rows[0]["name"] == "", "names stay private unless shown"
    assert "attendee" not in rows[0]
    assert app.test_client().get("/calais/export.csv").status_code == 302


def test_questions_export_command_writes_json_and_markdown(app, runner, attendee):
    attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                             "text": "Combien coûtent les caméras thermiques ?"}, callback=True)
    as_json = runner.invoke(args=["questions", "export", "calais", "--format", "json"])
    assert '"text": "Combien coûtent les caméras thermiques ?"' in as_json.output
    as_md = runner.invoke(args=["questions", "export", "calais", "--format", "md"])
    assert "Combien coûtent les caméras thermiques ?" in as_md.output
    unknown = runner.invoke(args=["questions", "export", "dunkerque"])
    assert unknown.exit_code != 0 and "no stop" in unknown.output


def test_serving_beyond_loopback_without_a_public_address_says_what_to_set(app):
    from caravane.server import unreachable_warning

    assert unreachable_warning("127.0.0.1", app) is None
    warning = unreachable_warning("0.0.0.0", app)
    assert "CARAVANE_PUBLIC_URL" in warning and "400" in warning
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    assert unreachable_warning("0.0.0.0", app) is None
