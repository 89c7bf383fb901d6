"""Pages: requests per second and latency of `GET /<stop>` and `GET /<stop>/questions` with 100
requests always in flight (100 phones on keep-alive connections, each with its own cookie).

    python bench/pages.py [--concurrency 100] [--seconds 10] [--processes 1]

The load generator is a small asyncio HTTP/1.1 client in this process, apart from the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout import STOP, percentile  # noqa: E402
from systems import Caravane, machine, raise_file_limit  # noqa: E402

MAX_REQUESTS = 200_000


async def _request(reader, writer, host: str, path: str, cookie: str) -> tuple[int, str]:
    cookie_line = f"Cookie: {cookie}\r\n" if cookie else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Language: fr\r\n"
                 f"{cookie_line}\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, new_cookie, chunked = 0, cookie, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.lower(), value.strip()
        if name == "content-length":
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
    return status, new_cookie


async def load(port: int, path: str, concurrency: int, seconds: float) -> dict:
    host = f"127.0.0.1:{port}"
    latencies: list[float] = []
    errors = 0
    deadline = 0.0

    async def phone() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        cookie = ""
        try:
            while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
                sent = time.monotonic()
                status, cookie = await _request(reader, writer, host, path, cookie)
                latencies.append(time.monotonic() - sent)
                if status != 200:
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
    return {"path": path, "concurrency": concurrency, "requests": len(latencies),
            "errors": errors, "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 1000 or not 1 <= args.seconds <= 120:
        parser.error("--concurrency 1..1000, --seconds 1..120")
    raise_file_limit()
    rows = []
    with Caravane(processes=args.processes) as system:
        for path in (f"/{STOP}", f"/{STOP}/questions"):
            rows.append(asyncio.run(load(system.port, path, args.concurrency, args.seconds)))
    print(f"{'page':<20}{'in flight':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for row in rows:
        print(f"{row['path']:<20}{row['concurrency']:>10}{row['requests_per_s']:>9}"
              f"{row['p50_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}")
    result = {"bench": "pages", "date": date.today().isoformat(), "machine": machine(),
              "processes": args.processes, "pages": rows}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
