"""Submit storm: 500 attendees each submit 2 questions as fast as the server acknowledges them.
Prints questions per second, acknowledgement times, how long after the last acknowledgement
the moderation assistant had read every question (it reads after acknowledging, in quiet
moments), and checks that the database then holds exactly one question per submission: none
lost, none doubled. First, what the rule itself costs in-process (`rules.submit`, the least of
a few medians: the machine is shared).

    python bench/storm.py [--attendees 500] [--each 2] [--processes 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fastclient  # noqa: E402
from fanout import HANDSHAKES_IN_FLIGHT, STOP, percentile  # noqa: E402
from systems import Caravane, in_process_app, machine, raise_file_limit  # noqa: E402

SUBJECTS = ["les caméras de la gare", "la reconnaissance faciale", "les drones de la police",
            "les micros de la place", "la vidéosurveillance algorithmique", "les données des JO",
            "le fichier TAJ", "les capteurs du port", "la ville sûre", "les images du tram"]
ASKS = ["Qui a décidé d'installer {}", "Combien coûtent {}", "Qui peut consulter {}",
        "Pourquoi le conseil municipal n'a-t-il pas débattu {}", "Comment refuser {}",
        "Quelle loi encadre {}", "Où sont stockées les données sur {}"]


def question_text(attendee: int, number: int) -> str:
    subject = SUBJECTS[(attendee + number) % len(SUBJECTS)]
    ask = ASKS[(attendee * 3 + number) % len(ASKS)]
    return f"{ask.format(subject)} ? (personne {attendee}, question {number})"


async def storm(port: int, cookies: list[str], each: int) -> dict:
    """Each phone (one per cookie: it loaded the board page) asks `each` questions."""
    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)

    async def arrive(cookie: str) -> fastclient.Connection:
        async with gate:
            connection = await fastclient.connect("127.0.0.1", port, cookie=cookie)
            assert (await asyncio.wait_for(connection.call("join", {"stop": STOP}), 60))["ok"]
            return connection

    connections = await asyncio.gather(*(arrive(cookie) for cookie in cookies))
    acks: list[float] = []
    refused: list[dict] = []

    async def ask(index: int, connection: fastclient.Connection) -> None:
        for number in range(each):
            sent = time.monotonic()
            answer = await asyncio.wait_for(connection.call("submit", {
                "stop": STOP, "client_id": str(uuid.uuid4()),
                "text": question_text(index, number)}), 60)
            acks.append(time.monotonic() - sent)
            if not answer.get("ok"):
                refused.append(answer)

    started = time.monotonic()
    await asyncio.gather(*(ask(i, c) for i, c in enumerate(connections)))
    elapsed = time.monotonic() - started
    for connection in connections:
        connection.close()
    return {"acked": len(acks) - len(refused), "refused": len(refused),
            "first_refusal": refused[0] if refused else None, "seconds": round(elapsed, 2),
            "questions_per_s": round((len(acks) - len(refused)) / elapsed, 1),
            "p50_ack_ms": round(percentile(acks, 0.50) * 1000, 1),
            "p99_ack_ms": round(percentile(acks, 0.99) * 1000, 1),
            "max_ack_ms": round(max(acks) * 1000, 1)}


def stored_questions(database_url: str) -> tuple[int, int]:
    """(questions stored, distinct client ids) in the benchmark's SQLite database."""
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        return connection.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM question").fetchone()


def seconds_until_all_read(database_url: str, timeout: float = 120) -> float | None:
    """Seconds until no stored question waits for the moderation assistant (None: timeout)."""
    started = time.monotonic()
    path = database_url.removeprefix("sqlite:///")
    while time.monotonic() - started < timeout:
        with sqlite3.connect(path) as connection:
            [unread] = connection.execute(
                "SELECT count(*) FROM question WHERE NOT analysed").fetchone()
        if not unread:
            return round(time.monotonic() - started, 2)
        time.sleep(0.05)
    return None


def in_process_submit(rounds: int = 5, each: int = 300) -> float:
    """Milliseconds of one `rules.submit` on SQLite in this process: the least of `rounds`
    medians of `each` submissions, after a warm-up."""
    import statistics

    from caravane.board import rules
    from caravane.board.identity import Attendee
    from caravane.board.inputs import Submission

    app = in_process_app("storm")
    attendee = Attendee("bench-secret", time.time())
    medians = []
    with app.app_context():
        for round_number in range(rounds + 1):  # the first round warms up
            times = []
            for number in range(each):
                submission = Submission(STOP, question_text(round_number, number),
                                        str(uuid.uuid4()))
                started = time.perf_counter()
                rules.submit(submission, attendee)
                times.append(time.perf_counter() - started)
            medians.append(statistics.median(times))
    return round(min(medians[1:]) * 1000, 3)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attendees", type=int, default=500)
    parser.add_argument("--each", type=int, default=2)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    args = parser.parse_args(argv)
    if not 1 <= args.attendees <= 5000 or not 1 <= args.each <= 10:
        parser.error("--attendees 1..5000, --each 1..10")
    raise_file_limit()
    submit_ms = in_process_submit()
    print(f"rules.submit in-process: {submit_ms} ms")
    with Caravane(processes=args.processes) as system:
        cookies = system.attendee_cookies(args.attendees)
        result = asyncio.run(storm(system.port, cookies, args.each))
        result["all_read_after_s"] = seconds_until_all_read(system.database_url)
        stored, distinct = stored_questions(system.database_url)
    expected = args.attendees * args.each
    result = {"bench": "storm", "date": date.today().isoformat(), "machine": machine(),
              "processes": args.processes, "attendees": args.attendees, "submitted": expected,
              "in_process_submit_ms": submit_ms,
              **result, "stored": stored, "distinct_client_ids": distinct,
              "none_lost_none_doubled": stored == distinct == expected}
    print(f"{'processes':<10}{'submitted':>10}{'acked':>7}{'q/s':>8}{'p50 ack ms':>12}"
          f"{'p99 ack ms':>12}{'stored':>8}{'all read after s':>18}")
    print(f"{args.processes:<10}{expected:>10}{result['acked']:>7}{result['questions_per_s']:>8}"
          f"{result['p50_ack_ms']:>12}{result['p99_ack_ms']:>12}{stored:>8}"
          f"{result['all_read_after_s']!s:>18}")
    print("database check: " + ("exactly one question per submission" if
                                result["none_lost_none_doubled"] else "MISMATCH"))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
