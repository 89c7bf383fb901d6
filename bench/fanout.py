"""Fan-out: N attendees joined to one stop; a moderator puts a question on screen 20 times; per
round, the time until each attendee receives `screen:changed`. Measures caravane (one process,
or `--processes 2` with Redis behind nginx), a bare Flask-SocketIO server doing only the
broadcast (the raw path, served the same way) and the Node.js socket.io reference, in one run.

    python bench/fanout.py --clients 1000 [--processes 2] [--rounds 20] [--no-bare]
                           [--no-reference]

Clients run in their own processes (`--client-procs`), apart from the server; the clock is the
system's monotonic clock, shared by every process. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fastclient  # noqa: E402
from systems import BareFlaskSocketIO, Caravane, Reference, machine, raise_file_limit  # noqa: E402

SCREEN = b'42["screen:changed"'
STOP = "calais"
HANDSHAKES_IN_FLIGHT = 100
ROUND_TIMEOUT = 30.0


# --- attendee processes -------------------------------------------------------------------

def attendees(port: int, count: int, rounds: int, pipe) -> None:
    """Connect `count` attendees, report, then record when each receives each screen change."""
    raise_file_limit()
    asyncio.run(_attendees(port, count, rounds, pipe))


async def _attendees(port: int, count: int, rounds: int, pipe) -> None:
    received: list[list[float]] = [[] for _ in range(count)]
    per_round = [0] * (rounds + 1)
    expected = [count]  # lowered once the failed connections are known

    def recorder(index: int):
        def on_event(_prefix, now, _payload):
            received[index].append(now)
            k = len(received[index])
            if k <= rounds:
                per_round[k] += 1
                if per_round[k] == expected[0]:
                    pipe.send(("round", k))
        return on_event

    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)
    failures = 0

    async def one(index: int):
        nonlocal failures
        async with gate:
            try:
                connection = await fastclient.connect(
                    "127.0.0.1", port, watch=(SCREEN,), on_event=recorder(index))
                answer = await asyncio.wait_for(connection.call("join", {"stop": STOP}), 60)
                if not answer.get("ok"):
                    raise RuntimeError(answer)
                return connection
            except (TimeoutError, OSError, RuntimeError):
                failures += 1
                return None

    started = time.monotonic()
    connections = await asyncio.gather(*(one(i) for i in range(count)))
    expected[0] = count - failures
    pipe.send(("ready", time.monotonic() - started, failures))
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.add_reader(pipe.fileno(), lambda: done.done() or done.set_result(pipe.recv()))
    await done
    pipe.send(("times", received))
    for connection in connections:
        if connection:
            connection.close()


# --- the moderator --------------------------------------------------------------------------

class ScreenDriver:
    """What puts a question on screen, once per round: caravane's moderator, or the reference."""

    async def prepare(self) -> None: ...

    async def show(self, round_number: int) -> None: ...

    def close(self) -> None: ...


class ModeratorDriver(ScreenDriver):
    def __init__(self, system: Caravane):
        self.system = system
        self.versions: dict[int, int] = {}
        self.ids: list[int] = []
        self.console: fastclient.Connection | None = None

    async def prepare(self) -> None:
        cookie = self.system.moderator_cookie()
        self.console = await fastclient.connect(
            "127.0.0.1", self.system.port, namespace="/moderation", cookie=cookie,
            watch=(b'42/moderation,["question:changed"',), on_event=self._changed)
        assert (await self.console.call("join", {"stop": STOP}))["ok"]
        [phone] = self.system.attendee_cookies(1)
        author = await fastclient.connect("127.0.0.1", self.system.port, cookie=phone)
        for n in (1, 2):
            answer = await author.call("submit", {
                "stop": STOP, "client_id": f"00000000-0000-4000-8000-00000000000{n}",
                "text": f"Question de banc d'essai numéro {n} : qui garde les images ?"})
            assert answer["ok"], answer
            question = answer["question"]
            approved = await self.console.call("moderate", {
                "question_id": question["id"], "action": "approve",
                "version": question["version"],
                # "numéro 1 : ..." reads as a phone number to the assistant: the moderator
                # confirms, as in the room (the text stays the reference's, same size).
                "confirm": True})
            assert approved["ok"], approved
            self.ids.append(question["id"])
            self.versions[question["id"]] = approved["question"]["version"]
        author.close()

    def _changed(self, _prefix, _now, payload: bytes) -> None:
        body = payload[len(b'42/moderation,'):]
        question = json.loads(body)[1]
        self.versions[question["id"]] = max(self.versions.get(question["id"], 0),
                                            question["version"])

    async def show(self, round_number: int) -> None:
        question_id = self.ids[round_number % 2]
        answer = await self.console.call("moderate", {
            "question_id": question_id, "action": "show",
            "version": self.versions[question_id], "confirm": True})
        if not answer["ok"]:
            raise RuntimeError(answer)
        self.versions[question_id] = answer["question"]["version"]

    def close(self) -> None:
        if self.console:
            self.console.close()


class ReferenceDriver(ScreenDriver):
    def __init__(self, port: int):
        self.port = port
        self.connection: fastclient.Connection | None = None

    async def prepare(self) -> None:
        self.connection = await fastclient.connect("127.0.0.1", self.port)

    async def show(self, round_number: int) -> None:
        question = {"id": round_number % 2 + 1, "stop": STOP, "status": "on_screen", "votes": 0,
                    "text": f"Question de banc d'essai numéro {round_number % 2 + 1} : "
                            "qui garde les images ?", "name": None, "language": "fr",
                    "created_at": "2026-11-29T18:00:00+00:00", "version": round_number + 3}
        await self.connection.call("show", {"stop": STOP, "question": question})

    def close(self) -> None:
        if self.connection:
            self.connection.close()


# --- one measurement ------------------------------------------------------------------------

def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(port: int, driver: ScreenDriver, clients: int, rounds: int, procs: int) -> dict:
    context = multiprocessing.get_context("spawn")
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    pipes, workers = [], []
    started = time.monotonic()
    for share in shares:
        mine, theirs = context.Pipe()
        worker = context.Process(target=attendees, args=(port, share, rounds, theirs),
                                 daemon=True)
        worker.start()
        pipes.append(mine)
        workers.append(worker)
    try:
        failures = 0
        for pipe in pipes:
            if not pipe.poll(600):
                raise RuntimeError("attendees did not connect within 10 minutes")
            _kind, _seconds, failed = pipe.recv()
            failures += failed
        connect_seconds = time.monotonic() - started
        sent, missed_rounds = asyncio.run(_drive(driver, pipes, rounds))
        for pipe in pipes:
            pipe.send("stop")
        received: list[list[float]] = []
        for pipe in pipes:
            if not pipe.poll(120):
                raise RuntimeError("attendees did not report")
            message = pipe.recv()
            while message[0] != "times":
                message = pipe.recv()
            received += message[1]
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    latencies = [times[k] - sent[k] for times in received for k in range(min(len(times), rounds))]
    delivered = sum(min(len(t), rounds) for t in received)
    return {
        "clients": clients, "rounds": rounds, "connect_failures": failures,
        "connect_s": round(connect_seconds, 2),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "lost": clients * rounds - delivered - failures * rounds, "missed_rounds": missed_rounds,
    }


async def _drive(driver: ScreenDriver, pipes, rounds: int) -> tuple[list[float], int]:
    await driver.prepare()
    loop = asyncio.get_running_loop()
    sent: list[float] = []
    missed = 0
    try:
        for k in range(rounds):
            waiting = set(range(len(pipes)))
            complete = loop.create_future()

            def reader(index, k=k, waiting=waiting, complete=complete):
                message = pipes[index].recv()
                if message == ("round", k + 1):
                    waiting.discard(index)
                    if not waiting and not complete.done():
                        complete.set_result(True)

            for index, pipe in enumerate(pipes):
                loop.add_reader(pipe.fileno(), reader, index)
            sent.append(time.monotonic())
            await driver.show(k)
            try:
                await asyncio.wait_for(complete, ROUND_TIMEOUT)
            except TimeoutError:
                missed += 1
            finally:
                for pipe in pipes:
                    loop.remove_reader(pipe.fileno())
            await asyncio.sleep(0.2)  # a pause between rounds, as between two moderator actions
    finally:
        driver.close()
    return sent, missed


def run_caravane(clients: int, rounds: int, processes: int, procs: int,
                 simple_websocket: bool = False, queued_frames: bool = False) -> dict:
    env = {"CARAVANE_DIRECT_FRAMES": "false"} if queued_frames else None
    with Caravane(processes=processes, connections=clients + 100,
                  simple_websocket=simple_websocket, env=env) as system:
        result = measure(system.port, ModeratorDriver(system), clients, rounds, procs)
    name = f"caravane x{processes}" + (" sws" if simple_websocket else "") \
        + (" queued" if queued_frames else "")
    return {"system": name, **result}


def run_bare(clients: int, rounds: int, procs: int) -> dict:
    with BareFlaskSocketIO(clients) as bare:
        result = measure(bare.port, ReferenceDriver(bare.port), clients, rounds, procs)
    return {"system": "bare flask-sio", **result}


def run_reference(clients: int, rounds: int, procs: int) -> dict:
    with Reference() as reference:
        result = measure(reference.port, ReferenceDriver(reference.port), clients, rounds, procs)
    return {"system": "node socket.io", **result}


def table(rows: list[dict]) -> str:
    header = f"{'system':<20}{'clients':>8}{'connect s':>10}{'p50 ms':>9}{'p99 ms':>9}" \
             f"{'max ms':>9}{'lost':>6}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row['system']:<20}{row['clients']:>8}{row['connect_s']:>10}"
                     f"{row['p50_ms']:>9}{row['p99_ms']:>9}{row['max_ms']:>9}{row['lost']:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--client-procs", type=int, default=1)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip the bare Flask-SocketIO server (bench/reference/bare_flask.py)")
    parser.add_argument("--simple-websocket", action="store_true",
                        help="serve with gunicorn's gevent worker and simple-websocket instead "
                             "of gevent-websocket (the comparison in docs/deploy.md)")
    parser.add_argument("--queued-frames", action="store_true",
                        help="turn off direct frames (transport/broadcast.py): every frame "
                             "through engine.io's queue and writer, as before (docs/deploy.md)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 10000 or not 1 <= args.rounds <= 100:
        parser.error("--clients 1..10000, --rounds 1..100")
    raise_file_limit()
    rows = [run_caravane(args.clients, args.rounds, args.processes, args.client_procs,
                         args.simple_websocket, args.queued_frames)]
    result = {"bench": "fanout", "date": date.today().isoformat(), "machine": machine(),
              "caravane": rows[0]}
    if not args.no_bare:
        result["bare"] = run_bare(args.clients, args.rounds, args.client_procs)
        result["ratio_p99_bare"] = round(rows[0]["p99_ms"] / result["bare"]["p99_ms"], 2)
        rows.append(result["bare"])
    if not args.no_reference:
        result["reference"] = run_reference(args.clients, args.rounds, args.client_procs)
        result["ratio_p99"] = round(rows[0]["p99_ms"] / result["reference"]["p99_ms"], 2)
        rows.append(result["reference"])
    print(table(rows))
    if "ratio_p99_bare" in result:
        print(f"caravane / bare Flask-SocketIO, p99: {result['ratio_p99_bare']}x "
              "(what the application adds to the raw path)")
    if "ratio_p99" in result:
        print(f"caravane / reference, p99: {result['ratio_p99']}x")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
