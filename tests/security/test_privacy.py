"""Nothing kept that should not be: no address or user agent anywhere, and a purge that
really erases (raw database files included), by hand or on schedule."""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest
import requests
import socketio

from caravane.accounts.models import Moderator
from caravane.board import retention
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.extensions import db
from caravane.extensions import socketio as app_socketio
from caravane.tour.models import Stop
from tests import board_calls as board
from tests.live_server import (
    ROOT,
    LiveServer,
    add_moderator,
    cookie_header,
    csrf_token,
    prepare_database,
    signed_in,
)

ADDRESS, AGENT = "203.0.113.77", "Marker-UA/9.9"
MARKERS = [ADDRESS.encode(), AGENT.encode(), b"Marker-UA"]


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def every_cell(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(cell) for table in tables
                for row in connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                for cell in row]


def raw_files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.live
def test_a_whole_evening_leaves_no_address_or_user_agent_anywhere(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    prepare_database(url)
    add_moderator(url, "dominique", "a long enough password")
    log = tmp_path / "server.log"
    # Behind one proxy, as deployed: the forwarded address is the one the app works with.
    env = {"CARAVANE_PROXY_COUNT": "1", "CARAVANE_RATELIMIT_ENABLED": "true"}
    headers = {"User-Agent": AGENT, "X-Forwarded-For": ADDRESS}
    with LiveServer(url, log_path=log, env=env) as server:
        phone = requests.Session()
        phone.headers.update(headers)
        page = phone.get(server.url + "/calais/questions").text
        assert phone.post(server.url + "/calais/questions", data={
            "csrf_token": csrf_token(page), "client_id": str(uuid.uuid4()),
            "text": "Question sans JavaScript sur les caméras ?"}).status_code == 200

        live = socketio.Client(reconnection=False)
        cookie = cookie_header(phone)
        live.connect(server.url, headers={**headers, "Cookie": cookie},
                     transports=["websocket"])
        assert live.call("join", {"stop": "calais"}, timeout=10)["ok"]
        asked = live.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                     "text": "Et qui regarde les images des drones ?"},
                          timeout=10)
        assert asked["ok"]

        moderator = requests.Session()
        moderator.headers.update(headers)
        signed_in(server.url, "dominique", "a long enough password", moderator)
        console = socketio.Client(reconnection=False)
        console.connect(server.url, namespaces=["/moderation"], transports=["websocket"],
                        headers={**headers, "Cookie": cookie_header(moderator)})
        console.call("join", {"stop": "calais"}, namespace="/moderation", timeout=10)
        approved = console.call("moderate", {"question_id": asked["question"]["id"],
                                             "action": "approve",
                                             "version": asked["question"]["version"]},
                                namespace="/moderation", timeout=10)
        assert approved["ok"]
        assert live.call("vote", {"question_id": asked["question"]["id"]}, timeout=10)["ok"]
        assert moderator.get(server.url + "/calais/export.csv").status_code == 200
        wrong = requests.post(server.url + "/connexion", headers=headers,
                              data={"login": "x", "password": "y"})
        assert wrong.status_code == 400  # CSRF refusal: logged nowhere either
        for client in (live, console):
            client.disconnect()

    database = sqlite_path(url)
    cells = " ".join(every_cell(database))
    assert "drones" in cells  # the scan does see what the evening stored
    for marker in MARKERS:
        assert marker.decode() not in cells
        assert marker not in raw_files(database)
        assert marker not in log.read_bytes()
    for path in (ROOT / "instance").glob("*"):
        if path.is_file() and path.stat().st_mtime > time.time() - 600:
            assert not any(marker in path.read_bytes() for marker in MARKERS), path


def seed_evening(app, slug: str, marker: str) -> None:
    """A question, its support and its moderation history, as an evening leaves them."""
    with app.app_context():
        actor = db.session.query(Moderator).filter_by(login="camille").one()
        asked = board.submit(slug, "attendee-token-" + slug, f"{marker} : qui garde les images ?",
                             str(uuid.uuid4())).value["question"]
        approved = board.moderate(asked["id"], "approve", asked["version"], actor).value
        board.edit(asked["id"], f"{marker} : qui conserve les images ?",
                   approved["question"]["version"], actor)
        board.vote(asked["id"], "another-attendee-" + slug)
        db.session.remove()


def test_purging_a_stop_erases_its_words_and_tokens_from_the_raw_database_files(
    app, moderator, runner, database_url
):
    seed_evening(app, "calais", "MARQUEUR-CALAIS-7f3a")
    seed_evening(app, "lille", "MARQUEUR-LILLE-91c2")
    on_sqlite = database_url.startswith("sqlite")  # PostgreSQL runs check the tables only
    if on_sqlite:
        assert b"MARQUEUR-CALAIS-7f3a" in raw_files(sqlite_path(database_url))

    result = runner.invoke(args=["questions", "purge", "calais"])
    assert result.exit_code == 0, result.output

    if on_sqlite:
        raw = raw_files(sqlite_path(database_url))
        tokens = [board.attendee(secret).token("calais").encode()
                  for secret in ("attendee-token-calais", "another-attendee-calais")]
        for gone in (b"MARQUEUR-CALAIS-7f3a", *tokens):
            assert gone not in raw
    with app.app_context():
        calais = db.session.query(Stop).filter_by(slug="calais").one()
        assert db.session.query(Question).filter_by(stop_id=calais.id).count() == 0
        assert db.session.query(ModerationEvent).filter_by(stop_id=calais.id).count() == 0
        # Another stop's evening is untouched.
        assert db.session.query(Question).count() == 1
        assert db.session.query(Vote).count() == 1


def test_purging_stops_ended_before_a_date_spares_the_later_ones(app, moderator, runner):
    for slug in ("calais", "roubaix", "lille"):
        seed_evening(app, slug, f"MARQUEUR-{slug}")
    result = runner.invoke(args=["questions", "purge", "--ended-before", "2022-06-23"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        left = {q.stop.slug for q in db.session.query(Question)}
        assert left == {"lille"}
        texts = " ".join(str(e.before) + str(e.after) for e in db.session.query(ModerationEvent))
        assert "calais" not in texts.lower() and "roubaix" not in texts.lower()
        assert "MARQUEUR-lille" in texts


def test_automatic_retention_erases_a_stop_only_after_the_configured_days(app, moderator):
    seed_evening(app, "calais", "MARQUEUR-RETENTION")
    calais_end = datetime(2022, 6, 21, 20, 30)  # local time, as in tour.toml
    with app.app_context():
        assert retention.purge_expired(datetime(2022, 7, 20, 20, 0))[0] == 0  # 29 days after
        assert db.session.query(Question).count() == 1
        app.config["RETENTION_DAYS"] = None  # turned off
        assert retention.purge_expired(datetime(2030, 1, 1))[0] == 0
        app.config["RETENTION_DAYS"] = 30
        count, events = retention.purge_expired(calais_end.replace(month=7, day=22))
        assert count == 1
        assert any(e.name == "question:removed" for e in events)
        assert db.session.query(Question).count() == 0
        assert db.session.query(ModerationEvent).count() == 0
        # Nothing left to erase: a later run does nothing (and no needless VACUUM).
        assert retention.purge_expired(datetime(2030, 1, 1)) == (0, [])


@pytest.mark.live
def test_starting_the_server_applies_the_retention(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    prepare_database(url)
    with sqlite3.connect(sqlite_path(url)) as connection:
        stop_id = connection.execute("SELECT id FROM stop WHERE slug = 'calais'").fetchone()[0]
        connection.execute(
            "INSERT INTO question (stop_id, client_id, attendee, text, show_name, language, "
            "flags, status, votes, version, created_at, updated_at) VALUES "
            "(?, 'old-client-id', 'old-token', 'MARQUEUR-ANCIEN : une vieille question ?', 0, "
            "'fr', '[]', 'approved', 0, 1, '2022-06-21 19:00:00', '2022-06-21 19:00:00')",
            (stop_id,))
    with LiveServer(url):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with sqlite3.connect(sqlite_path(url)) as connection:
                if not connection.execute("SELECT count(*) FROM question").fetchone()[0]:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the stop ended in 2022 still has its questions after start-up")
    assert b"MARQUEUR-ANCIEN" not in raw_files(sqlite_path(url))


def test_no_export_carries_an_attendee_token_or_a_name_never_shown(app, moderator, runner,
                                                                    moderator_client):
    with app.app_context():
        actor = db.session.query(Moderator).one()
        hidden = board.submit("calais", "token-of-yasmine", "Qui finance les caméras ?",
                              str(uuid.uuid4()), "Yasmine").value["question"]
        shown = board.submit("calais", "token-of-karim", "Qui regarde les écrans ?",
                             str(uuid.uuid4()), "Karim").value["question"]
        board.moderate(hidden["id"], "approve", hidden["version"], actor, with_name=False)
        board.moderate(shown["id"], "approve", shown["version"], actor, with_name=True)
    exports = [runner.invoke(args=["questions", "export", "calais", "--format", fmt]).output
               for fmt in ("csv", "json", "md")]
    exports.append(moderator_client.get("/calais/export.csv").get_data(as_text=True))
    for output in exports:
        assert "Qui finance les caméras" in output
        assert "token-of" not in output and "Yasmine" not in output
        for secret in ("token-of-yasmine", "token-of-karim"):
            assert board.attendee(secret).token("calais") not in output
    assert "Karim" in exports[0] and "Karim" in exports[3]


def test_an_attendee_cannot_be_followed_from_one_stop_to_the_next(app, client):
    """One phone asks at Calais and at Lille: the database cannot tell it is the same person."""
    tokens = []
    for stop in ("calais", "lille"):
        client.get(f"/{stop}/questions")
        socket = app_socketio.test_client(app, namespace="/", flask_test_client=client)
        answer = socket.emit("submit", {"stop": stop, "client_id": str(uuid.uuid4()),
                                        "text": f"Qui regarde les caméras de {stop} ?"},
                             callback=True)
        assert answer["ok"], answer
        with app.app_context():
            tokens.append(db.session.get(Question, answer["question"]["id"]).attendee)
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]


def test_public_payloads_give_times_to_the_minute_only(app, attendee, console):
    answer = attendee.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                      "text": "À quelle heure exacte ai-je écrit ceci ?"},
                           callback=True)
    created = answer["question"]["created_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", created), created
