"""A hostile attendee with a script, against a real server as `make run` starts it (rate limits
on, one proxy so that each test can speak from the addresses it needs): each attack of issue 13
that the application itself must stop, reproduced, and shown harmless."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
import requests
import socketio

from tests.live_server import (
    LiveServer,
    add_moderator,
    attendee_session,
    cookie_header,
    csrf_token,
    prepare_database,
    signed_in,
)

pytestmark = pytest.mark.live

MODERATOR = ("dominique", "a long enough password")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("attacks")
    url = f"sqlite:///{folder / 'attacks.sqlite3'}"
    prepare_database(url)
    add_moderator(url, *MODERATOR, stops=("calais",))
    env = {"CARAVANE_PROXY_COUNT": "1", "CARAVANE_RATELIMIT_ENABLED": "true"}
    with LiveServer(url, env=env, log_path=folder / "server.log") as live:
        yield live


def address(n: int) -> dict[str, str]:
    """Speak from 198.51.100.n (the server trusts one proxy, as behind nginx)."""
    return {"X-Forwarded-For": f"198.51.100.{n}"}


def phone(base: str, headers: dict[str, str], stop: str = "calais") -> socketio.Client:
    """A phone as a script would make one: load the page (a new identity), connect, join."""
    http = attendee_session(base, stop, headers)
    client = socketio.Client(reconnection=False, http_session=http)
    client.connect(base, transports=["websocket"], headers=headers, wait_timeout=5)
    assert client.call("join", {"stop": stop}, timeout=10)["ok"]
    return client


def console(base: str, headers: dict[str, str]) -> socketio.Client:
    http = requests.Session()
    http.headers.update(headers)
    signed_in(base, *MODERATOR, http)
    client = socketio.Client(reconnection=False)
    client.connect(base, namespaces=["/moderation"], transports=["websocket"],
                   headers={**headers, "Cookie": cookie_header(http)}, wait_timeout=5)
    assert client.call("join", {"stop": "calais"}, namespace="/moderation", timeout=10)["ok"]
    return client


def ask(client: socketio.Client, text: str) -> dict:
    return client.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                  "text": text}, timeout=10)


def published_question(base: str, text: str) -> int:
    author, moderator = phone(base, address(1)), console(base, address(2))
    try:
        asked = ask(author, text)["question"]
        approved = moderator.call("moderate", {"question_id": asked["id"], "action": "approve",
                                               "version": asked["version"]},
                                  namespace="/moderation", timeout=10)
        assert approved["ok"], approved
        return asked["id"]
    finally:
        author.disconnect()
        moderator.disconnect()


def test_a_bare_socket_can_read_the_board_but_not_write_to_it(server):
    question_id = published_question(server.url, "Qui regarde les images de la rocade ?")
    bare = socketio.Client(reconnection=False)
    bare.connect(server.url, transports=["websocket"], headers=address(10), wait_timeout=5)
    assert bare.call("join", {"stop": "calais"}, timeout=10)["ok"]
    refused = [ask(bare, "Une question sans être passé par la page ?"),
               bare.call("vote", {"question_id": question_id}, timeout=10)]
    bare.disconnect()
    assert [answer["error"]["code"] for answer in refused] == ["no_attendee"] * 2
    assert "Rechargez la page" in refused[0]["error"]["message"]


def test_one_address_minting_identities_cannot_stuff_a_question(server):
    question_id = published_question(server.url, "Combien coûtent les drones de la PAF ?")
    moderator = console(server.url, address(2))
    warned = []
    moderator.on("question:changed", warned.append, namespace="/moderation")
    accepted = 0
    for _ in range(130):  # a script: a new page load, a new socket and one support each time
        try:
            client = phone(server.url, address(20))
        except AssertionError:
            continue
        answer = client.call("vote", {"question_id": question_id}, timeout=10)
        accepted += bool(answer["ok"])
        client.disconnect()
    assert 0 < accepted <= 100, accepted
    # The moderators heard of the burst while it happened, with its size.
    bursts = [flag for change in warned for flag in change["flags"]
              if flag["code"] == "support_burst"]
    assert bursts and "même réseau" in bursts[-1]["message"]
    # A phone that joined normally, elsewhere, still supports it.
    neighbour = phone(server.url, address(21))
    assert neighbour.call("vote", {"question_id": question_id}, timeout=10)["ok"]
    neighbour.disconnect()
    moderator.disconnect()


def test_one_address_cannot_flood_the_moderators_queue(server):
    moderator = console(server.url, address(2))
    arrived = []
    moderator.on("question:new", arrived.append, namespace="/moderation")
    stored = 0
    for n in range(40):
        client = phone(server.url, address(30))
        stored += bool(ask(client, f"Question de remplissage numéro {n} ?")["ok"])
        client.disconnect()
    assert stored <= 30
    # Someone else in the room still gets through.
    other = phone(server.url, address(31))
    assert ask(other, "Et la vraie question : qui décide ?")["ok"]
    other.disconnect()
    moderator.disconnect()


CRAFTED_NEXT = [
    "/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example",
    "\\\\evil.example", "/\\/evil.example", "https://evil.example/", "/%2F%2Fevil.example",
    "／／evil.example", "/／evil.example", "/\n/evil.example", "/calais/moderation\r\nX: y",
    "javascript:alert(1)", " //evil.example", "/ /evil.example",
]


@pytest.mark.parametrize("crafted", CRAFTED_NEXT)
def test_signing_in_from_a_crafted_link_never_leaves_the_site(server, crafted):
    session = requests.Session()
    session.headers.update(address(40))
    page = session.get(server.url + "/connexion", timeout=10).text
    answer = session.post(f"{server.url}/connexion?next={quote(crafted, safe='')}",
                          allow_redirects=False, timeout=10,
                          data={"csrf_token": csrf_token(page), "login": MODERATOR[0],
                                "password": MODERATOR[1]})
    assert answer.status_code == 303, answer.status_code
    location = answer.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location and "\t" not in location


def test_guessing_a_password_from_many_addresses_stops_and_the_moderator_still_gets_in(server):
    laptop = requests.Session()
    laptop.headers.update(address(50))
    signed_in(server.url, *MODERATOR, laptop)  # earlier that day: this browser is known
    answers = []
    for n in range(12):
        guesser = requests.Session()
        guesser.headers.update(address(60 + n))
        page = guesser.get(server.url + "/connexion", timeout=10).text
        for attempt in range(3):
            answers.append(guesser.post(server.url + "/connexion", timeout=10, data={
                "csrf_token": csrf_token(page), "login": MODERATOR[0],
                "password": f"guess {n} {attempt}"}).status_code)
    assert answers.count(401) <= 5 and answers.count(429) >= 31
    laptop.post(server.url + "/deconnexion", timeout=10)
    laptop.cookies.pop("session", None)
    signed_in(server.url, *MODERATOR, laptop)


@pytest.mark.parametrize("path", ["/calais/qr.svg", "/calais.ics", "/calais",
                                  "/calais/ecran", "/calais/questions"])
def test_a_forged_host_gets_no_page_and_no_link(server, path):
    forged = requests.get(server.url + path, headers={"Host": "evil.example"}, timeout=10)
    assert forged.status_code == 400
    assert "evil.example" not in forged.text
    honest = requests.get(server.url + path, timeout=10)
    assert honest.status_code == 200 and "evil.example" not in honest.text
