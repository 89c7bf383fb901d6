"""Fixtures: an app on a fresh database, HTTP and Socket.IO clients, a signed-in moderator.

The database is SQLite in a temporary folder, or the PostgreSQL server named by
CARAVANE_TEST_DATABASE_URL (CI runs the suite on both), always built by the migrations.
"""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from caravane import create_app
from caravane.board.analysis import wait_until_read
from caravane.extensions import db, socketio
from caravane.tour.loader import load_tour

PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _reset_postgres(url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("CARAVANE_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_URL": None,
    })
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_tour()
        db.session.remove()
    yield app
    close_app(app)


def close_app(app) -> None:
    """Let go of an app's database. The moderation assistant reads questions in a worker thread
    after each acknowledgement: it finishes first (PostgreSQL would deadlock dropping the
    schema under it for the next test)."""
    assert wait_until_read(app), "the moderation assistant's worker did not finish"
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def moderator(app):
    from caravane.accounts import moderators

    with app.app_context():
        moderators.add("camille", PASSWORD, every_stop=True)
    return "camille"


def sign_in(client, login="camille", password=PASSWORD):
    return client.post("/connexion", data={"login": login, "password": password})


@pytest.fixture
def moderator_client(app, moderator):
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture
def attendee(app, client):
    """An attendee's phone: the page loaded once (cookie set), then a live connection."""
    client.get("/calais/questions")
    socket = socketio.test_client(app, namespace="/", flask_test_client=client)
    assert socket.emit("join", {"stop": "calais"}, callback=True)["ok"]
    socket.get_received("/")
    return socket


def new_attendee(app, stop="calais"):
    client = app.test_client()
    client.get(f"/{stop}/questions")
    socket = socketio.test_client(app, namespace="/", flask_test_client=client)
    assert socket.emit("join", {"stop": stop}, callback=True)["ok"]
    socket.get_received("/")
    return socket


@pytest.fixture
def console(app, moderator_client):
    """A moderator's console connected and joined to Calais."""
    socket = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    assert socket.is_connected("/moderation")
    assert socket.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)["ok"]
    socket.get_received("/moderation")
    return socket


def events(socket, name, namespace="/"):
    return [item["args"][0] for item in socket.get_received(namespace) if item["name"] == name]


def read_by_assistant(app, console) -> list[dict]:
    """The questions a console holds once the moderation assistant has read every one (it
    reads them right after the acknowledgement), in arrival order."""
    assert wait_until_read(app)
    latest: dict[int, dict] = {}
    for item in console.get_received("/moderation"):
        if item["name"] in ("question:new", "question:changed"):
            latest[item["args"][0]["id"]] = item["args"][0]
    return list(latest.values())



def pytest_ignore_collect(collection_path, config):
    """With browser tests deselected (`-m "not browser"`, `make test-fast`), do not even import
    their modules: they import Playwright, which a machine running the rest may not have."""
    if collection_path.name == "browser" and "not browser" in (config.option.markexpr or ""):
        return True
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (browser tests, and the scale-out test that
    watches pages heal): Playwright allows one sync driver per process."""
    # Imported here, not at module load: `pytest -m "not browser"` must run without Playwright.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
