"""Pages: what each public page costs in-process (time of one request, the least of a few
medians), and its requests per second and latency with 100 requests always in flight (100
phones on keep-alive connections, each keeping the cookies it is given, asking for gzip like a
browser). The tour and stop pages are also asked again with the ETag they gave
(`If-None-Match`: a browser's or a proxy's revalidation, answered 304).

    python bench/pages.py [--concurrency 100] [--seconds 10] [--processes 1] [--questions 50]

The board is measured empty and with `--questions` published questions (0: empty only). The
load generator is a small asyncio HTTP/1.1 client in this process, apart from the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout import STOP, percentile  # noqa: E402
from systems import Caravane, in_process_app, machine, raise_file_limit  # noqa: E402

MAX_REQUESTS = 200_000


async def _request(reader, writer, host: str, path: str, cookie: str,
                   etag: str = "") -> tuple[int, str, str]:
    cookie_line = f"Cookie: {cookie}\r\n" if cookie else ""
    etag_line = f"If-None-Match: {etag}\r\n" if etag else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Language: fr\r\n"
                 f"Accept-Encoding: gzip\r\n{cookie_line}{etag_line}\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, new_cookie, chunked, tag = 0, cookie, False, ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.lower(), value.strip()
        if name == "etag":
            tag = value
        elif name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "set-cookie" and value.startswith("session="):
            new_cookie = value.split(";", 1)[0]
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status, new_cookie, tag


async def load(port: int, path: str, concurrency: int, seconds: float,
               revalidate: bool = False) -> dict:
    host = f"127.0.0.1:{port}"
    latencies: list[float] = []
    errors = 0
    deadline = 0.0

    async def phone() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        cookie, etag = "", ""
        try:
            while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
                sent = time.monotonic()
                status, cookie, tag = await _request(reader, writer, host, path, cookie, etag)
                latencies.append(time.monotonic() - sent)
                if revalidate:
                    etag = tag or etag
                if status not in ((200, 304) if revalidate else (200,)):
                    errors += 1
        finally:
            writer.close()

    deadline = time.monotonic() + 1.0  # warm-up: connections, cookies, caches; not counted
    await asyncio.gather(*(phone() for _ in range(concurrency)))
    latencies.clear()
    errors = 0
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(phone() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    label = f"{path} (304)" if revalidate else path
    return {"path": label, "concurrency": concurrency, "requests": len(latencies),
            "errors": errors, "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1)}


# The machine is shared: the least of a few medians is the figure least moved by others' work
# (the process's CPU clock is too coarse here for a millisecond).
ROUNDS = 5


def in_process(questions: int, repeat: int = 400) -> list[dict]:
    """Time of one request to each page, in this process (Flask's test client, gzip asked,
    cookies kept as a browser keeps them): the least of ROUNDS medians, after a warm-up."""
    from caravane.board.models import Question
    from caravane.extensions import db
    from caravane.tour.models import Stop

    app = in_process_app("pages")
    rows = []
    for count in sorted({0, questions}):
        with app.app_context():
            stop = db.session.query(Stop).filter_by(slug=STOP).one()
            have = db.session.query(Question).count()
            for n in range(have, count):
                db.session.add(Question(
                    stop_id=stop.id, client_id=f"bench-{n:05d}", attendee=f"bench-{n}",
                    status="approved", language="fr", votes=n % 9,
                    text=f"Question {n} : qui regarde les images des caméras de la gare ?"))
            stop.public_sequence += 1  # a change the room hears of: its view is built again
            db.session.commit()
        paths = [f"/{STOP}/questions"] if count else ["/", f"/{STOP}", f"/{STOP}/questions"]
        for path in paths:
            client = app.test_client()
            headers = {"Accept-Language": "fr", "Accept-Encoding": "gzip"}
            for _ in range(50):
                client.get(path, headers=headers)
            medians = []
            for _ in range(ROUNDS):
                times = []
                for _ in range(repeat // ROUNDS):
                    started = time.perf_counter()
                    client.get(path, headers=headers)
                    times.append(time.perf_counter() - started)
                medians.append(statistics.median(times))
            rows.append({"path": path, "published": count,
                         "ms": round(min(medians) * 1000, 2)})
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 1000 or not 1 <= args.seconds <= 120:
        parser.error("--concurrency 1..1000, --seconds 1..120")
    if not 0 <= args.questions <= 1000:
        parser.error("--questions 0..1000")
    raise_file_limit()
    costs = in_process(args.questions)
    print(f"{'page, in-process':<32}{'published':>10}{'ms':>9}")
    for row in costs:
        print(f"{row['path']:<32}{row['published']:>10}{row['ms']:>9}")
    rows = []
    with Caravane(processes=args.processes) as system:
        for path, revalidate in (("/", False), (f"/{STOP}", False), (f"/{STOP}", True),
                                 (f"/{STOP}/questions", False)):
            rows.append(asyncio.run(load(system.port, path, args.concurrency, args.seconds,
                                         revalidate)))
    print(f"{'page':<24}{'in flight':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for row in rows:
        print(f"{row['path']:<24}{row['concurrency']:>10}{row['requests_per_s']:>9}"
              f"{row['p50_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}")
    result = {"bench": "pages", "date": date.today().isoformat(), "machine": machine(),
              "processes": args.processes, "in_process": costs, "pages": rows}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
