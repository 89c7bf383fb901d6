"""Reconnect herd: the venue's Wi-Fi blips and N phones rejoin a stop at once; the time until
every phone has its snapshot (the `join` acknowledgement), while a moderator keeps working.

    python bench/herd.py [--phones 300 1000] [--questions 0 300] [--runs 3] [--no-reference]
                         [--quick] [--moderator-address 127.0.0.1]

Per row (phones x published questions), one caravane process (gunicorn + gevent on SQLite, as
`make run`): the first P phones each ask a question, a signed-in moderator approves them all and
each author supports the next two, so a snapshot carries the board, the phone's own question and
its supports. Each phone loaded `/calais/questions` (its cookie holds an identity) and sends
that cookie with its WebSocket. Per run, the N phones connect fresh sockets (not timed), then at
one instant all emit `join` {"stop": "calais"}: timed from that instant to the last ack (median
of `--runs`), p50/p99 per phone, failed acks. Meanwhile a moderator on /moderation shows then
hides one question every 100 ms (each action waits for the previous ack: it needs the new
version): p50/max of those acks. With 0 questions the board holds only that one question. The
Node.js reference (bench/reference/server.js: `join` acks {ok: true}, `show` broadcasts) takes
the same herd, as the practical limit.

Every phone comes from 127.0.0.1, like a venue behind one NAT address (transport/turns.py
gives that address a few turns at once); the moderator too, unless `--moderator-address`. The
phones run in their own process; the monotonic clock is shared by every process; an ack's time
is when its last byte was read, before it was parsed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fastclient  # noqa: E402
from fanout import HANDSHAKES_IN_FLIGHT, STOP, percentile  # noqa: E402
from storm import question_text, seconds_until_all_read  # noqa: E402
from systems import Caravane, Reference, machine, raise_file_limit  # noqa: E402

# A phone without its snapshot by then counts as a failed ack; a moderator action too (waited
# for as long: a shorter wait would report a timeout, then a stale version, not the latency).
HERD_TIMEOUT = 60.0
MODERATOR_EVERY = 0.1
# A socket may send 100 events at once, then 5 a second (docs/protocol.md): at 10 a second a
# console would be closed after ~20 s, so it stops acting after 180; setting the board up, a
# fresh console approves 90 questions at a time.
MODERATOR_ACTIONS, CONSOLE_EVENTS = 180, 90
TARGET_S = {300: 1.0, 1000: 2.0}  # the issue: every phone has its snapshot within this
TARGET_MODERATOR_MS = 500


# --- phone processes ------------------------------------------------------------------------

def phones(port: int, cookies: list[str], pipe) -> None:
    """Connect one phone per cookie, report, wait for the instant, rejoin all, report acks."""
    raise_file_limit()
    asyncio.run(_phones(port, cookies, pipe))


async def _phones(port: int, cookies: list[str], pipe) -> None:
    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)

    async def connect(cookie: str) -> fastclient.Connection | None:
        async with gate:
            try:
                return await fastclient.connect("127.0.0.1", port, cookie=cookie)
            except (TimeoutError, OSError):
                return None

    connections = await asyncio.gather(*(connect(cookie) for cookie in cookies))
    pipe.send(sum(c is None for c in connections))
    loop = asyncio.get_running_loop()
    heard = loop.create_future()  # the loop keeps answering pings while it waits
    loop.add_reader(pipe.fileno(), lambda: heard.done() or heard.set_result(pipe.recv()))
    instant = await heard
    loop.remove_reader(pipe.fileno())
    await asyncio.sleep(max(0.0, instant - time.monotonic()))
    # Every frame written in one go, as the phones' reconnections land together.
    calls = [c.call("join", {"stop": STOP}) if c else None for c in connections]
    await asyncio.wait([call for call in calls if call], timeout=HERD_TIMEOUT)
    pipe.send([connection.acked_at - instant if call and call.done() and not call.exception()
               and call.result()["ok"] else None  # None: no socket, no answer, or a refusal
               for connection, call in zip(connections, calls, strict=True)])
    for connection in connections:
        if connection:
            connection.close()


# --- the moderator --------------------------------------------------------------------------

class Console:
    """caravane's console, signed in, showing and hiding one question."""

    def __init__(self, system: Caravane, question_id: int, address: str):
        self.port, self.question_id, self.address = system.port, question_id, address
        self.cookie = system.moderator_cookie()
        self.connection: fastclient.Connection | None = None

    async def open(self) -> None:
        self.connection = await fastclient.connect(
            "127.0.0.1", self.port, namespace="/moderation", cookie=self.cookie,
            local_addr=self.address)
        snapshot = await self.connection.call("join", {"stop": STOP})
        [self.question] = [q for q in snapshot["questions"] if q["id"] == self.question_id]

    async def act(self) -> str | None:
        """One action; None, or the error code of its refusal."""
        action = "hide" if self.question["status"] == "on_screen" else "show"
        answer = await self.connection.call("moderate", {
            "question_id": self.question_id, "action": action,
            "version": self.question["version"], "confirm": True})
        # A stale version (the assistant's reading) carries the question: the next one fits.
        self.question = answer.get("question") or answer["error"].get("question", self.question)
        return None if answer["ok"] else answer["error"]["code"]

    def close(self) -> None:
        if self.connection:
            self.connection.close()


class ReferenceConsole(Console):
    """The reference's equivalent: a `show` broadcast to the room, acknowledged."""

    def __init__(self, port: int, address: str):  # nothing to sign in to
        self.port, self.address, self.shown = port, address, 0
        self.connection: fastclient.Connection | None = None

    async def open(self) -> None:
        self.connection = await fastclient.connect("127.0.0.1", self.port,
                                                   local_addr=self.address)

    async def act(self) -> str | None:
        self.shown += 1
        answer = await self.connection.call("show", {"stop": STOP, "question": {
            "id": 1, "stop": STOP, "status": "on_screen", "text": question_text(0, 0),
            "votes": 0, "version": self.shown}})
        return None if answer["ok"] else "refused"


async def moderate_during(console: Console, over: asyncio.Future) -> tuple[list[float], list]:
    """One action every 100 ms (or as soon as the previous ack, if slower) until `over`: the
    acks' latencies and the failures' codes."""
    latencies, failures = [], []
    for _ in range(MODERATOR_ACTIONS):
        if over.done():
            break
        sent = time.monotonic()
        try:
            error = await asyncio.wait_for(console.act(), HERD_TIMEOUT)
        except TimeoutError:
            error = f"no ack in {HERD_TIMEOUT:g} s"
        if error:
            failures.append(error)
        else:
            latencies.append(time.monotonic() - sent)
        await asyncio.sleep(max(0.0, sent + MODERATOR_EVERY - time.monotonic()))
    return latencies, failures


# --- one run --------------------------------------------------------------------------------

def herd(port: int, cookies: list[str], console: Console) -> dict:
    """One herd: a phone per cookie, in one process (the server has the other core)."""
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe()
    worker = context.Process(target=phones, args=(port, cookies, theirs), daemon=True)
    worker.start()
    try:
        if not mine.poll(600):
            raise RuntimeError("phones did not connect within 10 minutes")
        mine.recv()  # connections that failed come back as failed acks
        latencies, (moderator, moderator_failures) = asyncio.run(_herd(mine, console))
    finally:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.kill()
    time.sleep(1)  # the server closes the sockets before the next run
    acked = [latency for latency in latencies if latency is not None]
    return {"all_s": round(max(acked, default=float("nan")), 3), "acked": acked,
            "failed": len(latencies) - len(acked), "moderator": moderator,
            "moderator_failures": moderator_failures}


async def _herd(pipe, console: Console) -> tuple[list, tuple[list[float], list]]:
    await console.open()
    loop = asyncio.get_running_loop()
    over = loop.create_future()  # the phones' report: the herd is over
    loop.add_reader(pipe.fileno(), lambda: over.done() or over.set_result(pipe.recv()))
    instant = time.monotonic() + 0.3  # time enough for the phones' process to hear it
    pipe.send(instant)
    await asyncio.sleep(instant - time.monotonic())
    try:
        moderator = await moderate_during(console, over)
        latencies = await asyncio.wait_for(over, HERD_TIMEOUT + 30)
    finally:
        loop.remove_reader(pipe.fileno())
        console.close()
    return latencies, moderator


# --- the board --------------------------------------------------------------------------------

async def publish(system: Caravane, cookies: list[str], count: int) -> int:
    """`count` phones ask one question each, a moderator approves them, each author supports
    the next two. The id of the first question (the one the moderator shows and hides)."""
    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)

    async def author(index: int, cookie: str) -> tuple[fastclient.Connection, dict]:
        async with gate:
            connection = await fastclient.connect("127.0.0.1", system.port, cookie=cookie)
        answer = await connection.call("submit", {
            "stop": STOP, "client_id": f"herd-{index:08d}", "text": question_text(index, 0)})
        assert answer["ok"], answer
        return connection, answer["question"]

    authors = await asyncio.gather(*(author(i, c) for i, c in enumerate(cookies[:count])))
    questions = [question for _connection, question in authors]
    moderator = system.moderator_cookie()
    for start in range(0, count, CONSOLE_EVENTS):
        console = await fastclient.connect("127.0.0.1", system.port, namespace="/moderation",
                                           cookie=moderator)
        for question in questions[start:start + CONSOLE_EVENTS]:
            answer = await console.call("moderate", {
                "question_id": question["id"], "action": "approve",
                "version": question["version"], "confirm": True})
            assert answer["ok"], answer
        console.close()
    if count > 2:
        supports = [connection.call("vote", {"question_id": questions[(i + k) % count]["id"]})
                    for i, (connection, _q) in enumerate(authors) for k in (1, 2)]
        assert all(answer["ok"] for answer in await asyncio.gather(*supports))
    # One join first: the herd finds the server warm, as it is after an evening's use.
    assert (await authors[0][0].call("join", {"stop": STOP}))["ok"]
    for connection, _question in authors:
        connection.close()
    return questions[0]["id"]


# --- rows -------------------------------------------------------------------------------------

def summary(system: str, phones_count: int, questions: str, runs: list[dict]) -> dict:
    acked = [latency for run in runs for latency in run["acked"]]
    moderator = [latency for run in runs for latency in run["moderator"]]
    moderator_failures = [error for run in runs for error in run["moderator_failures"]]
    return {
        "system": system, "phones": phones_count, "questions": questions,
        "all_s": round(statistics.median(run["all_s"] for run in runs), 3),
        "runs_all_s": [run["all_s"] for run in runs],
        "p50_ms": round(percentile(acked, 0.50) * 1000, 1),
        "p99_ms": round(percentile(acked, 0.99) * 1000, 1),
        "failed": sum(run["failed"] for run in runs),
        "moderator_actions": len(moderator) + len(moderator_failures),
        "moderator_failed": len(moderator_failures), "moderator_failures": moderator_failures,
        "moderator_p50_ms": round(percentile(moderator, 0.50) * 1000, 1),
        "moderator_max_ms": round(max(moderator, default=float("nan")) * 1000, 1),
    }


def run_caravane(phones_count: int, questions: int, runs: int, moderator: str) -> dict:
    with Caravane(connections=phones_count + 100) as system:
        cookies = system.attendee_cookies(phones_count)
        question_id = asyncio.run(publish(system, cookies, max(questions, 1)))
        seconds_until_all_read(system.database_url)  # the assistant idle before the herd
        results = [herd(system.port, cookies, Console(system, question_id, moderator))
                   for _ in range(runs)]
    return summary("caravane x1", phones_count, str(questions), results)


def run_reference(phones_count: int, runs: int, moderator: str) -> dict:
    with Reference() as reference:
        results = [herd(reference.port, [""] * phones_count,
                        ReferenceConsole(reference.port, moderator)) for _ in range(runs)]
    return summary("node socket.io", phones_count, "-", results)


def verdicts(row: dict) -> tuple[str, str]:
    """The issue's targets, next to the figures: (every phone's snapshot, moderator acks)."""
    target = TARGET_S.get(row["phones"])
    phones_ok = not row["failed"] and (target is None or row["all_s"] <= target)
    moderator_ok = not row["moderator_failed"] and row["moderator_max_ms"] < TARGET_MODERATOR_MS
    return ((f"<{target:g}s " if target else "- ") + ("ok" if phones_ok else "MISSED"),
            f"<{TARGET_MODERATOR_MS}ms " + ("ok" if moderator_ok else "MISSED"))


def table(rows: list[dict]) -> str:
    header = (f"{'system':<15}{'phones':>7}{'questions':>10}{'all acked s':>12}{'target':>13}"
              f"{'p50 ms':>9}{'p99 ms':>9}{'failed':>7}{'mod p50 ms':>11}{'mod max ms':>11}"
              f"{'mod target':>14}")
    lines = [header, "-" * len(header)]
    for row in rows:
        herd_verdict, moderator_verdict = verdicts(row)
        lines.append(
            f"{row['system']:<15}{row['phones']:>7}{row['questions']:>10}{row['all_s']:>12}"
            f"{herd_verdict:>13}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['failed']:>7}"
            f"{row['moderator_p50_ms']:>11}{row['moderator_max_ms']:>11}{moderator_verdict:>14}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--questions", type=int, nargs="+", default=[0, 300])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--quick", action="store_true", help="only the rows with 300 questions")
    parser.add_argument("--moderator-address", default="127.0.0.1",
                        help="where the moderator connects from: the phones' address (the "
                             "venue's NAT, the default) or another, e.g. 127.0.0.2")
    args = parser.parse_args(argv)
    questions = [300] if args.quick else args.questions
    if not all(1 <= n <= 5000 for n in args.phones) or not 1 <= args.runs <= 20 or \
            not all(0 <= q <= min(args.phones) for q in questions):
        parser.error("--phones 1..5000, --runs 1..20, --questions 0..phones")
    raise_file_limit()
    rows = []
    for phones_count in args.phones:
        for count in questions:
            rows.append(run_caravane(phones_count, count, args.runs, args.moderator_address))
        if not args.no_reference:
            rows.append(run_reference(phones_count, args.runs, args.moderator_address))
    print(table(rows))
    print(f"all acked s: median of {args.runs} run(s), from the instant all phones send `join` "
          "to the last ack; p50/p99: every phone of every run; mod: show/hide acks during the "
          "herd. Questions 0: the board holds only the question the moderator shows and hides.")
    result = {"bench": "herd", "date": date.today().isoformat(), "machine": machine(),
              "runs": args.runs, "moderator_address": args.moderator_address, "rows": rows}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
