"""One attendee with a script cannot take the site from everyone else (issue 13, findings 1-4):
each attack of docs/security.md (Availability) against a real server, from 127.0.0.1, while a
visitor from 127.0.0.2 loads the board and joins the stop; the visitor must be served during
and after every attack, and nothing may be left behind. The caps are small here (20
connections per address, bodies in 1 s) so that the attacks stay small and the tests quick;
bench/attacks.py runs them at full size and measures the visitor's latency."""

from __future__ import annotations

import asyncio
import logging
import re
import threading

import pytest

from caravane.transport.budget import TokenBucket
from caravane.transport.logs import AddressFreeRequests
from caravane.transport.turns import Turns
from tests import hostile
from tests.hostile import run
from tests.live_server import LiveServer, prepare_database

CAP = 20
ATTACKER = "127.0.0.1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("availability")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    prepare_database(url)
    env = {"CARAVANE_CONNECTIONS_PER_ADDRESS": str(CAP), "CARAVANE_BODY_TIMEOUT": "1",
           "CARAVANE_RATELIMIT_ENABLED": "true"}
    with LiveServer(url, env=env, log_path=folder / "server.log") as live:
        yield live


def log_of(server: LiveServer) -> str:
    return server.log_path.read_text(errors="replace")


async def while_visiting(port: int, attack) -> tuple[object, list[dict]]:
    """Run the attack while a visitor keeps visiting; a visit that fails fails the test. Then
    one more visit, once the attack is over."""
    visits: list[dict] = []
    attacking = asyncio.ensure_future(attack)

    async def visitor() -> None:
        while True:
            visits.append(await hostile.visit(port, timeout=20))
            if attacking.done():
                return
            await asyncio.sleep(0.1)

    await asyncio.gather(attacking, visitor())
    visits.append(await hostile.visit(port, timeout=20))
    return attacking.result(), visits


async def settled(check, timeout: float = 15) -> bool:
    """Whether `check()` becomes true while the server finishes what the attack left."""
    for _ in range(int(timeout / 0.1)):
        if check():
            return True
        await asyncio.sleep(0.1)
    return check()


# --- finding 1: oversized long-polling POSTs ---------------------------------------------------

@pytest.mark.live
def test_oversized_long_polling_posts_are_refused_at_once_and_leave_no_connection_behind(server):
    async def attack():
        sized = await hostile.oversized_posts(server.port, 300, in_flight=10)
        chunked = await hostile.oversized_posts(server.port, 100, in_flight=10, chunked=True)
        return sized, chunked

    (sized, chunked), visits = run(while_visiting(server.port, attack()))
    assert sized == {"413": 300}
    assert chunked == {"413": 100}
    assert len(visits) >= 2
    assert run(settled(lambda: not hostile.server_connections(server.port)["CLOSE_WAIT"]))


# --- finding 2: one address holding every connection ----------------------------------------

@pytest.mark.live
def test_one_address_holds_no_more_than_its_share_of_sockets_and_the_rest_are_served(server):
    async def scenario():
        held, refused = await hostile.hold_sockets(server.port, 10 * CAP, in_flight=20)
        try:
            assert len(held) == CAP and refused == 9 * CAP
            # The attacker's own address gets no more, not even a page...
            with pytest.raises((ConnectionError, asyncio.IncompleteReadError, TimeoutError)):
                await hostile.page_load(server.port, local_addr=ATTACKER, timeout=10)
            # ...while anyone else is served.
            await hostile.visit(server.port)
        finally:
            for connection in held:
                connection.close()
        # Once the sockets are gone, the address is welcome again.
        for _ in range(100):
            try:
                return await hostile.visit(server.port, local_addr=ATTACKER, timeout=10)
            except (ConnectionError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.1)
        return await hostile.visit(server.port, local_addr=ATTACKER, timeout=10)

    run(scenario())


@pytest.mark.live
def test_long_polling_sockets_count_towards_the_same_cap(server):
    async def scenario():
        reader, writer = await asyncio.open_connection(hostile.HOST, server.port)
        sids, refused = [], 0
        try:
            for _ in range(CAP + 5):  # one keep-alive connection, many sessions
                writer.write(hostile.http_request("GET", "/socket.io/?EIO=4&transport=polling"))
                status, body = await hostile.read_response(reader, 10)
                if status == 200:
                    sids.append(body.decode().split('"sid":"')[1].split('"')[0])
                else:
                    refused += 1
            assert len(sids) == CAP and refused == 5
            await hostile.visit(server.port)
        finally:
            for sid in sids:  # an Engine.IO CLOSE packet ends each session
                writer.write(hostile.http_request("POST", hostile.polling_path(sid), b"1"))
                await hostile.read_response(reader, 10)
            writer.close()

    run(scenario())


@pytest.mark.live
def test_slow_bodies_are_answered_and_closed_when_their_time_is_up(server):
    async def attack():
        paths = [f"/{hostile.STOP}/questions", "/socket.io/"]
        return await asyncio.gather(*(hostile.slow_body(server.port, paths[i % 2],
                                                        interval=0.3, give_up=30)
                                      for i in range(10)))

    answers, visits = run(while_visiting(server.port, attack()))
    assert answers == ["408"] * 10
    assert len(visits) >= 2
    assert run(settled(lambda: not hostile.server_connections(server.port)["CLOSE_WAIT"]))


@pytest.mark.live
def test_headers_that_never_end_are_dropped(server):
    async def attack():
        return await asyncio.gather(*(hostile.slow_headers(server.port, interval=0.5,
                                                           give_up=30) for _ in range(5)))

    answers, _visits = run(while_visiting(server.port, attack()))
    assert answers == [hostile.CLOSED] * 5


@pytest.mark.live
def test_a_page_too_large_to_post_gets_the_sites_own_page_in_the_visitors_language(server):
    async def post():
        reader, writer = await asyncio.open_connection(hostile.HOST, server.port)
        try:
            writer.write(hostile.http_request("POST", f"/{hostile.STOP}/questions",
                                              headers=["Accept-Language: en"],
                                              length=10_000_000))
            return await hostile.read_response(reader, 10)
        finally:
            writer.close()

    status, body = run(post())
    assert status == 413
    assert "What you sent is too long." in body.decode()


# --- finding 3: a flood of events from one socket ------------------------------------------

@pytest.mark.live
def test_3000_joins_from_one_socket_close_it_and_everyone_else_is_served(server):
    flood, visits = run(while_visiting(server.port, hostile.join_flood(server.port, 3000)))
    assert flood["closed"]
    assert 0 < flood["answered"] < 3000
    assert len(visits) >= 2


def test_a_token_bucket_allows_its_burst_then_its_rate():
    bucket = TokenBucket(burst=3, rate=2)
    start = bucket.updated
    assert [bucket.take(start) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(start + 0.5)  # one token earned in half a second
    assert not bucket.take(start + 0.5)
    assert [bucket.take(start + 100) for _ in range(4)] == [True, True, True, False]


def test_turns_are_reentrant_so_work_holding_one_never_waits_for_another():
    line = Turns(per_address=1)
    environ = {"REMOTE_ADDR": "192.0.2.1"}
    with line.turn(environ), line.turn(environ):  # would deadlock if it waited
        assert len(line.lines) == 1
    assert line.lines == {}  # nothing kept about an address once its work is done


# --- finding 4: malformed packets and addresses in the log ---------------------------------

@pytest.mark.live
def test_a_burst_of_malformed_packets_closes_each_socket_and_leaves_a_short_log(server):
    before = len(log_of(server).splitlines())
    packets = hostile.MALFORMED_SOCKETIO + hostile.MALFORMED_ENGINEIO

    async def attack():
        attempts = []
        for index in range(200):
            packet = packets[index % len(packets)]
            if index % 2:
                attempts.append(hostile.malformed_over_polling(server.port, packet))
            else:
                attempts.append(hostile.malformed_over_websocket(server.port, packet))
        return await hostile.gather_limited(attempts, in_flight=10)

    closed, visits = run(while_visiting(server.port, attack()))
    assert closed == [True] * 200
    assert len(visits) >= 2
    written = log_of(server).splitlines()[before:]
    assert len(written) <= 10, written
    assert "Traceback" not in "\n".join(written)


@pytest.mark.live
def test_malformed_http_requests_leave_one_line_and_no_address(server):
    async def garbage():
        reader, writer = await asyncio.open_connection(hostile.HOST, server.port,
                                                       local_addr=("127.0.0.3", 0))
        try:
            writer.write(b"\x01\x02 nonsense\r\n\r\n")
            return await hostile.answer_of(reader, 10)
        finally:
            writer.close()

    async def attack():
        return await asyncio.gather(*(garbage() for _ in range(50)))

    before = len(log_of(server).splitlines())
    answers = run(attack())
    assert set(answers) <= {"400", hostile.CLOSED}  # refused, then closed
    log = log_of(server)
    written = log.splitlines()[before:]
    assert sum("invalid HTTP request refused" in line for line in written) == 1, written
    # The visitor's and this sender's addresses, anywhere in the whole log of the module's
    # attacks (127.0.0.1 is also the address the server listens on, which it says at start).
    assert not re.search(r"127\.0\.0\.[23]\b", log)
    assert "ip=" not in log


def test_gunicorns_invalid_request_line_is_rewritten_without_the_address():
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1,
                               "Invalid request from ip=2001:db8::7: Invalid HTTP method", (),
                               None)
    assert AddressFreeRequests().filter(record)
    assert record.getMessage() == "invalid HTTP request refused"


def test_rooms_indexed_per_socket_end_up_exactly_as_python_socketios_own():
    """The index of transport/rooms.py only makes a disconnect cheaper: after any sequence of
    connections, rooms entered and left, rooms closed and disconnections, the manager holds
    exactly what python-socketio's own would."""
    import itertools
    import random
    from types import SimpleNamespace

    import socketio

    from caravane.transport.rooms import index_rooms

    def manager(indexed: bool) -> socketio.Manager:
        ids = itertools.count()
        built = socketio.Manager()
        built.server = SimpleNamespace(eio=SimpleNamespace(generate_id=lambda: f"s{next(ids)}"))
        if indexed:
            index_rooms(built)
        return built

    def state(built: socketio.Manager) -> tuple:
        rooms = {ns: {room: dict(members) for room, members in by_room.items()}
                 for ns, by_room in built.rooms.items()}
        return rooms, built.pending_connect, built.pending_disconnect

    plain, indexed = manager(False), manager(True)
    choose = random.Random(13)
    connected: list[tuple[str, str]] = []
    for step in range(3000):
        action = choose.choice(["connect", "connect", "enter", "leave", "close", "disconnect"])
        namespace = choose.choice(["/", "/moderation"])
        room = choose.choice(["stop:calais", "stop:lille", "moderators:calais:fr"])
        for built in (plain, indexed):
            if action == "connect":
                sid = built.connect(f"e{step}", namespace)
            elif action in ("enter", "leave", "disconnect") and connected:
                sid_namespace = connected[step % len(connected)]
                if action == "enter":
                    built.enter_room(*sid_namespace, room)
                elif action == "leave":
                    built.leave_room(*sid_namespace, room)
                else:
                    built.pre_disconnect(*sid_namespace)
                    built.disconnect(*sid_namespace)
            elif action == "close":
                built.close_room(room, namespace)
        if action == "connect":
            connected.append((sid, namespace))
        elif action == "disconnect" and connected:
            connected.remove(connected[step % len(connected)])
        assert state(indexed) == state(plain), (step, action)
    assert plain.rooms  # the sequence did leave sockets in rooms


def test_moderators_events_wait_in_a_line_of_their_own_and_only_theirs(app, attendee, console):
    from caravane.extensions import socketio
    from caravane.transport.sockets import event_lane

    moderation_event = '2/moderation,["moderate",{}]'
    assert event_lane(socketio.server, console.eio_sid, moderation_event) == "moderation:"
    # A phone writing a packet for /moderation, where it is not connected, stays in its line.
    assert event_lane(socketio.server, attendee.eio_sid, moderation_event) == ""
    assert event_lane(socketio.server, attendee.eio_sid, '2["join",{"stop":"calais"}]') == ""

    line = Turns(per_address=1)
    environ = {"REMOTE_ADDR": "192.0.2.1"}
    phones = line.enter(environ)  # the venue's phones hold the address's only turn
    moderator = threading.Thread(target=lambda: line.turn(environ, "moderation:").__enter__(),
                                 daemon=True)
    moderator.start()
    moderator.join(timeout=2)
    assert not moderator.is_alive(), "the moderator waited behind the phones"
    phones()
