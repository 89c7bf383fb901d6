"""The migrations keep what an evening stored, and the database refuses words outside the board's
vocabulary (on SQLite and on PostgreSQL, as CI runs both)."""

from __future__ import annotations

import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from caravane import create_app
from caravane.extensions import db
from caravane.tour.loader import default_tour_path, load_tour, read_tour_file

EVENING = [
    """INSERT INTO moderator (id, login, password_hash, session_version, created_at)
       VALUES (1, 'camille', 'x', 1, '2022-06-21 18:00:00')""",
    """INSERT INTO question (id, stop_id, client_id, attendee, text, show_name, language, flags,
       status, reject_reason, votes, version, created_at, updated_at)
       VALUES (1, 1, 'client-aaaa', 'token-1', 'Qui regarde les images ?', false, 'fr', '[]',
               'on_screen', NULL, 1, 3, '2022-06-21 18:05:00', '2022-06-21 18:10:00'),
              (2, 1, 'client-bbbb', 'token-2', 'Hors sujet, vraiment ?', false, 'fr', '[]',
               'rejected', 'off_topic', 0, 2, '2022-06-21 18:06:00', '2022-06-21 18:07:00')""",
    "INSERT INTO vote (question_id, attendee) VALUES (1, 'token-2')",
    """INSERT INTO moderation_event (stop_id, question_id, moderator_id, moderator_login,
       action, created_at) VALUES (1, 1, 1, 'camille', 'show', '2022-06-21 18:10:00')""",
]


@pytest.fixture
def bare_app(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def store_tour_as_before_0006() -> None:
    """The shipped tour, written with the columns tour and stop had from 0001 to 0005: the
    loader writes today's models, which older schemas lack."""
    data = read_tour_file(default_tour_path())
    tour = {key: data["tour"][key] for key in ("slug", "title", "organiser", "organiser_url",
                                               "intro")}
    db.session.execute(text(
        "INSERT INTO tour (id, slug, title, organiser, organiser_url, intro) "
        "VALUES (1, :slug, :title, :organiser, :organiser_url, :intro)"), tour)
    for number, stop in enumerate(data["stops"], start=1):
        db.session.execute(text(
            "INSERT INTO stop (id, tour_id, slug, position, city, title, starts_at, ends_at, venue,"
            " address, summary, context, facts, guests, board_status) VALUES (:id, 1, :slug,"
            " :position, :city, :title, :starts_at, :ends_at, :venue, :address, :summary,"
            " :context, :facts, :guests, 'open')"), {
                **{key: stop[key] for key in ("slug", "position", "city", "title", "venue",
                                              "address", "summary")},
                "id": number,
                "starts_at": stop["starts_at"].isoformat(" "),
                "ends_at": stop["ends_at"].isoformat(" "),
                **{key: json.dumps(stop[key]) for key in ("context", "facts", "guests")},
            })
    db.session.commit()


def store_evening_at(directory: str, revision: str) -> None:
    """A database at `revision` holding the tour and an evening's questions, votes and log."""
    upgrade(directory=directory, revision=revision)
    store_tour_as_before_0006()
    for statement in EVENING:
        db.session.execute(text(statement))
    db.session.commit()


def rows(sql: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql))]


def test_upgrading_keeps_every_question_vote_log_line_and_moderator(bare_app):
    directory = bare_app.extensions["migrate"].directory
    with bare_app.app_context():
        store_evening_at(directory, "0001")

        upgrade(directory=directory)
        db.session.remove()
        assert rows("SELECT id, status, reject_reason FROM question ORDER BY id") == [
            (1, "on_screen", None), (2, "rejected", "off_topic")]
        assert rows("SELECT question_id, attendee FROM vote") == [(1, "token-2")]
        assert rows("SELECT action FROM moderation_event") == [("show",)]
        assert rows("SELECT count(*) FROM stop") == [(3,)]
        # A moderator from before moderators per stop keeps every stop.
        assert rows("SELECT login, every_stop FROM moderator") == [("camille", True)]

        # Still one question on screen per stop, as the index of the first migration made it.
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE question SET status = 'on_screen' WHERE id = 2"))
        db.session.rollback()

        downgrade(directory=directory, revision="0001")
        db.session.remove()
        assert rows("SELECT count(*) FROM question") == [(2,)]


@pytest.mark.parametrize("statement", [
    "UPDATE question SET status = 'shown' WHERE id = 1",
    "UPDATE question SET reject_reason = 'rude' WHERE id = 2",
    "UPDATE stop SET board_status = 'paused' WHERE id = 1",
    "UPDATE moderation_event SET action = 'delete'",
])
def test_the_database_refuses_a_word_outside_the_vocabulary(bare_app, statement):
    with bare_app.app_context():
        upgrade(directory=bare_app.extensions["migrate"].directory)
        load_tour()
        for insert in EVENING:
            db.session.execute(text(insert))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text(statement))
            db.session.commit()
        db.session.rollback()


def test_upgrading_to_translations_keeps_the_stops_and_their_evening(bare_app):
    directory = bare_app.extensions["migrate"].directory
    with bare_app.app_context():
        store_evening_at(directory, "0005")

        # To the latest revision: the pages below are rendered by today's models.
        upgrade(directory=directory)
        db.session.remove()
        assert rows("SELECT slug, venue FROM stop ORDER BY position") == [
            ("calais", "Maison d'entraide et des ressources"),
            ("roubaix", "Restaurant l'Étoile Syrienne"),
            ("lille", "Maison des associations, salle 13, 3e étage")]
        assert rows("SELECT id, stop_id FROM question ORDER BY id") == [(1, 1), (2, 1)]
        # Stored before the translations: French only, until the tour is loaded again.
        english = {"Accept-Language": "en"}
        page = bare_app.test_client().get("/calais", headers=english).get_data(as_text=True)
        assert '<p class="lead" lang="fr">Calais : la surveillance au service' in page

        assert load_tour().updated == 3
        db.session.remove()
        page = bare_app.test_client().get("/calais", headers=english).get_data(as_text=True)
        assert "Calais: surveillance in the service of migration policy" in page

        # The request ran in this app context: end its transaction, or PostgreSQL makes the
        # downgrade's ALTER TABLE wait for it forever.
        db.session.remove()
        downgrade(directory=directory, revision="0005")
        db.session.remove()
        assert rows("SELECT count(*) FROM stop") == [(3,)]
        assert rows("SELECT count(*) FROM question") == [(2,)]
