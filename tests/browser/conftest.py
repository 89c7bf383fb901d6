"""Browser fixtures: one real server (gunicorn + gevent on SQLite) and one headless Debian Chromium
for the whole session, fresh browser contexts per test, axe-core from npm, screenshots on disk.

Each test module works on its own stop (calais, roubaix, lille) so that tests sharing the server
do not see each other's questions where it matters; the server is started once because starting
it costs more than most tests.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.live_server import (
    ROOT,
    LiveServer,
    add_moderator,
    cookie_header,
    prepare_database,
    signed_in,
)

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
NODE_CACHE = ARTIFACTS / "node"
MODERATOR = ("dominique", "a long enough password")

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    folder = tmp_path_factory.mktemp("browser-server")
    url = f"sqlite:///{folder / 'browser.sqlite3'}"
    prepare_database(url)
    add_moderator(url, *MODERATOR)
    server = LiveServer(url, env={"CARAVANE_RATELIMIT_ENABLED": "false"},
                        log_path=folder / "server.log")
    server.db_path = folder / "browser.sqlite3"
    with server:
        yield server


@pytest.fixture
def contexts(browser):
    """Make browser contexts that are closed after the test: contexts(PHONE, ...)."""
    made = []

    def make(device: dict | None = None, **options):
        # French is the source locale: the browser asks for it unless a test says otherwise.
        context = browser.new_context(**{"locale": "fr-FR", **(device or {}), **options})
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed once into an ignored cache folder."""
    path = NODE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to fetch axe-core")
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(NODE_CACHE), "--no-audit", "--no-fund",
                        "axe-core@4"], check=True, capture_output=True, timeout=180)
    return path


def sign_in(context, live: LiveServer, next_path: str = "/calais/moderation"):
    page = context.new_page()
    page.goto(f"{live.url}/connexion?next={next_path}")
    page.fill("#login", MODERATOR[0])
    page.fill("#password", MODERATOR[1])
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
    return page


def wait_live(page) -> None:
    """The page's socket has joined its stop (live.js sets this for every page)."""
    # A selector, not wait_for_function: the CSP forbids the eval that a string predicate needs.
    page.wait_for_selector("html[data-live=joined]", state="attached")


def wait_for(condition, page, failure: str, seconds: float = 10) -> None:
    """Wait for something the test itself records (a dialog seen, a frame passed), letting the
    page run meanwhile."""
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(failure)


def screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


SERIOUS = ("serious", "critical")


def axe(page, script: Path, label: str) -> list[dict]:
    """Run axe-core in the page; return its serious and critical violations.

    The page's CSP (default-src 'self') rightly refuses a foreign script, so axe is served from
    the page's own origin through a route: the policy stays as strict as in production."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.route(f"{origin}/__axe.js", lambda route: route.fulfill(
        path=str(script), content_type="application/javascript"))
    page.add_script_tag(url=f"{origin}/__axe.js")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    page.unroute(f"{origin}/__axe.js")
    return [dict(v, page=label) for v in result if v["impact"] in SERIOUS]


def question_in_db(live: LiveServer, text: str) -> list[tuple]:
    with sqlite3.connect(live.db_path) as connection:
        return connection.execute(
            "SELECT id, status, client_id FROM question WHERE text = ?", (text,)).fetchall()


class Backstage:
    """Set the scene without a browser: an attendee and a moderator over real Socket.IO, for the
    states a test needs before it looks (questions pending, approved, on screen)."""

    def __init__(self, live: LiveServer):
        import requests
        import socketio

        self.live = live
        self.phone_http = requests.Session()
        self.phone_http.get(live.url + "/calais/questions", timeout=10)
        self.phone = socketio.Client()
        self.phone.connect(live.url, transports=["websocket"],
                           headers={"Cookie": cookie_header(self.phone_http)})
        self.mod_http = signed_in(live.url, *MODERATOR)
        self.console = socketio.Client()
        self.console.connect(live.url, namespaces=["/moderation"], transports=["websocket"],
                             headers={"Cookie": cookie_header(self.mod_http)})

    def submit(self, stop: str, text: str, name: str | None = None) -> dict:
        import uuid

        answer = self.phone.call("submit", {"stop": stop, "text": text, "name": name,
                                            "client_id": str(uuid.uuid4())}, timeout=10)
        assert answer["ok"], answer
        return answer["question"]

    def moderate(self, question: dict, action: str, **extra) -> dict:
        answer = self.console.call("moderate", {
            "question_id": question["id"], "action": action, "version": question["version"],
            **extra}, namespace="/moderation", timeout=10)
        assert answer["ok"], answer
        return answer["question"]

    def set_aside(self, *questions: dict) -> None:
        """Reject a test's questions, at their current version, so that the stop's pending and
        published lists are as they were for the tests that count them."""
        snapshot = self.console.call("join", {"stop": questions[0]["stop"]},
                                     namespace="/moderation", timeout=10)
        current = {q["id"]: q for q in snapshot["questions"]}
        for question in questions:
            self.moderate(current[question["id"]], "reject", reason="other")

    def clear_screen(self, stop: str) -> None:
        """Other modules share this server: take off screen whatever they left there."""
        snapshot = self.console.call("join", {"stop": stop}, namespace="/moderation",
                                     timeout=10)
        if snapshot["on_screen"]:
            self.moderate(snapshot["on_screen"], "hide")

    def publish(self, stop: str, text: str, show: bool = False) -> dict:
        question = self.moderate(self.submit(stop, text), "approve")
        return self.moderate(question, "show") if show else question

    def close(self) -> None:
        self.phone.disconnect()
        self.console.disconnect()


@pytest.fixture
def backstage(live) -> Iterator[Backstage]:
    stage = Backstage(live)
    yield stage
    stage.close()
