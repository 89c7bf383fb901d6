"""Attacks: each availability attack of issue 13, from one address, against a fresh caravane
process with its production defaults (caps, budgets and rate limits on), while a visitor from
another address loads the board and joins the stop over Socket.IO ten times a second. Prints,
per attack, what the attacker got, the visitor's latency (p50/p99) during the attack and in the
5 s after it, the visits that failed, and what the server still holds afterwards.

    python bench/attacks.py [--attack NAME ...] [--quick]

Target (issue 13): other visitors' p99 under 500 ms on one process. The attacker runs in its
own process; a visit that fails or takes more than 10 s counts as 10 s.
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

from fanout import percentile  # noqa: E402
from systems import Caravane, machine, raise_file_limit  # noqa: E402

from tests import hostile  # noqa: E402

VISIT_EVERY = 0.1  # seconds between two visits
VISIT_TIMEOUT = 10.0
AFTER = 5.0  # seconds measured after the attack
TARGET_P99_MS = 500


# --- the attacks (each runs in its own process) ---------------------------------------------

async def oversized_posts(port: int, quick: bool) -> dict:
    """Long-polling POSTs of 20 kB (engine.io's limit is 16 kB), 500 in flight."""
    return dict(await hostile.oversized_posts(port, 3000 if quick else 12000, in_flight=500))


async def chunked_posts(port: int, quick: bool) -> dict:
    """The same POSTs, chunked, without a Content-Length."""
    return dict(await hostile.oversized_posts(port, 1000 if quick else 4000, in_flight=500,
                                              chunked=True))


async def sockets(port: int, quick: bool) -> dict:
    """As many WebSockets as the worker holds, from one address, kept open 15 s."""
    held, refused = await hostile.hold_sockets(port, 12000, in_flight=200)
    await asyncio.sleep(5 if quick else 15)
    for connection in held:
        connection.close()
    return {"held": len(held), "refused": refused}


async def slow_bodies(port: int, quick: bool) -> dict:
    """POST bodies sent one byte every 5 s, to pages and to long-polling, half each."""
    count = 200 if quick else 500
    paths = [f"/{hostile.STOP}/questions", "/socket.io/"]
    results = await asyncio.gather(*(hostile.slow_body(port, paths[i % 2], give_up=60)
                                     for i in range(count)), return_exceptions=True)
    return dict(hostile.outcomes(results))


async def slow_headers(port: int, quick: bool) -> dict:
    """Requests whose headers never end, one byte a second, 1,000 at a time."""
    results = await hostile.gather_limited(
        (hostile.slow_headers(port, give_up=30) for _ in range(3000 if quick else 10000)),
        in_flight=1000)
    return dict(hostile.outcomes(results))


async def joins(port: int, quick: bool) -> dict:
    """3,000 joins at once from one socket; again from a new socket each time it is closed."""
    floods = []
    deadline = time.monotonic() + (8 if quick else 20)
    while time.monotonic() < deadline:
        floods.append(await hostile.join_flood(port, 3000, timeout=30))
    return {"floods": len(floods), "closed": sum(f["closed"] for f in floods),
            "answered_per_flood": round(sum(f["answered"] for f in floods) / len(floods), 1)}


async def malformed(port: int, quick: bool) -> dict:
    """2,000 broken packets of about 5 kB, over WebSocket and long-polling, 50 at a time."""
    packets = hostile.MALFORMED_SOCKETIO + hostile.MALFORMED_ENGINEIO
    count = 600 if quick else 2000

    def attempt(index: int):
        packet = packets[index % len(packets)]
        if index % 2:
            return hostile.malformed_over_polling(port, packet)
        return hostile.malformed_over_websocket(port, packet)

    results = await hostile.gather_limited((attempt(i) for i in range(count)), in_flight=50)
    return {"sent": count, "socket_closed": sum(r is True for r in results),
            "errors": sum(isinstance(r, BaseException) for r in results)}


ATTACKS = {
    "oversized-posts": oversized_posts,
    "chunked-posts": chunked_posts,
    "sockets": sockets,
    "slow-bodies": slow_bodies,
    "slow-headers": slow_headers,
    "joins": joins,
    "malformed": malformed,
}


def attacker(name: str, port: int, quick: bool, pipe) -> None:
    raise_file_limit()
    try:
        pipe.send(asyncio.run(ATTACKS[name](port, quick)))
    except Exception as error:  # reported, not raised: the visitor's figures still count
        pipe.send({"attack failed": repr(error)})


# --- the visitor ------------------------------------------------------------------------------

async def visitor(port: int, process, after: float) -> dict[str, list[tuple[str, float]]]:
    """Visits every VISIT_EVERY s while the attacker runs, then for `after` seconds."""
    samples: dict[str, list[tuple[str, float]]] = {"page": [], "socket": []}
    tasks: set[asyncio.Task] = set()

    async def one(phase: str) -> None:
        for kind, probe in (("page", hostile.page_load), ("socket", hostile.socket_join)):
            started = time.monotonic()
            try:
                await asyncio.wait_for(probe(port, timeout=VISIT_TIMEOUT), VISIT_TIMEOUT)
                samples[kind].append((phase, time.monotonic() - started))
            except Exception:
                samples[kind].append((phase, float("inf")))

    ended_at = None
    while True:
        now = time.monotonic()
        if ended_at is None and not process.is_alive():
            ended_at = now
        if ended_at is not None and now - ended_at > after:
            break
        if len(tasks) < 50:
            task = asyncio.ensure_future(one("during" if ended_at is None else "after"))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.sleep(VISIT_EVERY)
    if tasks:
        await asyncio.wait(tasks, timeout=VISIT_TIMEOUT * 2 + 1)
    return samples


def figures(samples: list[tuple[str, float]], phase: str) -> dict:
    values = [min(v, VISIT_TIMEOUT) for p, v in samples if p == phase]
    return {"visits": len(values), "failed": sum(v == VISIT_TIMEOUT for v in values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1)}


def run_attack(name: str, quick: bool) -> dict:
    context = multiprocessing.get_context("spawn")
    env = {"CARAVANE_RATELIMIT_ENABLED": "true",
           "CARAVANE_CONNECTIONS_PER_ADDRESS": "3000"}  # production defaults
    with Caravane(connections=12000, env=env) as system:
        log = system.folder / "server0.log"
        log_before = log.stat().st_size
        mine, theirs = context.Pipe()
        process = context.Process(target=attacker, args=(name, system.port, quick, theirs),
                                  daemon=True)
        process.start()
        samples = asyncio.run(visitor(system.port, process, AFTER))
        process.join(timeout=30)
        outcome = mine.recv() if mine.poll(1) else {"attack": "no report"}
        held = hostile.server_connections(system.port)
        log_bytes = log.stat().st_size - log_before
    return {
        "attack": name, "outcome": outcome,
        "page": {"during": figures(samples["page"], "during"),
                 "after": figures(samples["page"], "after")},
        "socket": {"during": figures(samples["socket"], "during"),
                   "after": figures(samples["socket"], "after")},
        "server_close_wait_after": held.get("CLOSE_WAIT", 0),
        "server_established_after": held.get("ESTABLISHED", 0),
        "log_bytes": log_bytes,
    }


def table(rows: list[dict]) -> str:
    header = (f"{'attack':<16}{'page p50/p99 ms':>18}{'socket p50/p99 ms':>20}{'failed':>8}"
              f"{'after p99 ms':>14}{'close-wait':>11}{'log B':>8}  what the attacker got")
    lines = [header, "-" * (len(header) + 20)]
    for row in rows:
        page, sock = row["page"]["during"], row["socket"]["during"]
        after = max(row["page"]["after"]["p99_ms"], row["socket"]["after"]["p99_ms"])
        failed = page["failed"] + sock["failed"]
        outcome = ", ".join(f"{k}: {v}" for k, v in row["outcome"].items())
        lines.append(f"{row['attack']:<16}{page['p50_ms']:>8}/{page['p99_ms']:<9}"
                     f"{sock['p50_ms']:>9}/{sock['p99_ms']:<10}{failed:>8}{after:>14}"
                     f"{row['server_close_wait_after']:>11}{row['log_bytes']:>8}  {outcome}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attack", action="append", choices=sorted(ATTACKS),
                        help="run only this attack (repeatable); default: all")
    parser.add_argument("--quick", action="store_true", help="smaller attacks, shorter runs")
    args = parser.parse_args(argv)
    raise_file_limit()
    rows = []
    for name in args.attack or list(ATTACKS):
        print(f"-- {name}: {ATTACKS[name].__doc__}", flush=True)
        rows.append(run_attack(name, args.quick))
    print(table(rows))
    worst = max((max(r[k]["during"]["p99_ms"], r[k]["after"]["p99_ms"])
                 for r in rows for k in ("page", "socket")), default=float("nan"))
    print(f"worst visitor p99: {worst} ms (target < {TARGET_P99_MS} ms)")
    result = {"bench": "attacks", "date": date.today().isoformat(), "machine": machine(),
              "quick": args.quick, "attacks": rows, "worst_p99_ms": worst,
              "target_met": worst < TARGET_P99_MS}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
