"""Every benchmark of `make bench`, one after the other, each on its own fresh servers.

    python bench/run_all.py [--quick]

--quick runs the default sizes only (1,000 clients fan-out, the reconnect herd of 300 and 1,000
phones on a board of 300 questions, storm, pages, the attacks at reduced size); the full run adds
5,000 clients on one process, the two-process set-up at 1,000 and 5,000, 10,000 phones held on
one process and on two, the herd on an empty board too, and the attacks at full size. Each
benchmark prints its own table and JSON line; a summary comes last, with the fan-out rows
against both references (bare Flask-SocketIO and Node.js socket.io).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attacks  # noqa: E402
import fanout  # noqa: E402
import herd  # noqa: E402
import pages  # noqa: E402
import storm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    results = []

    def run(title: str, bench, argv: list[str]) -> None:
        print(f"\n== {title}", flush=True)
        try:
            results.append(bench.main(argv))
        except Exception as error:  # one failed benchmark must not hide the others' figures
            print(f"FAILED: {error!r}", flush=True)
            results.append({"bench": title, "error": repr(error)})

    run("fan-out, 1,000 clients, one process", fanout, ["--clients", "1000"])
    if not args.quick:
        run("fan-out, 5,000 clients, one process", fanout,
            ["--clients", "5000", "--client-procs", "2"])
        run("fan-out, 1,000 clients, two processes + Redis + nginx", fanout,
            ["--clients", "1000", "--processes", "2", "--no-reference", "--no-bare"])
        run("fan-out, 5,000 clients, two processes + Redis + nginx", fanout,
            ["--clients", "5000", "--processes", "2", "--client-procs", "2", "--no-reference",
             "--no-bare"])
        run("10,000 phones held on one process, every event delivered", fanout,
            ["--clients", "10000", "--client-procs", "2", "--rounds", "5", "--no-reference",
             "--no-bare"])
        run("10,000 connections held, two processes + Redis + nginx", fanout,
            ["--clients", "10000", "--processes", "2", "--client-procs", "2", "--rounds", "5",
             "--no-reference", "--no-bare"])
    if args.quick:
        run("reconnect herd, 300 and 1,000 phones, 300 questions", herd, ["--quick"])
    else:
        run("reconnect herd, 300 and 1,000 phones, 0 and 300 questions", herd, [])
    run("submit storm", storm, [])
    run("pages", pages, [])
    run("attacks from one address, one process", attacks, ["--quick"] if args.quick else [])
    print("\n== summary")
    for result in results:
        print(json.dumps(result))
    print("\n== fan-out against both references (p99 ratio: caravane / reference)")
    print(fanout_summary(results))


def fanout_summary(results: list[dict]) -> str:
    """The rows of each fan-out run that measured the references, with its p99 ratios."""
    lines = []
    for result in results:
        if result.get("bench") != "fanout" or "caravane" not in result:
            continue
        if "bare" not in result and "reference" not in result:
            continue
        rows = [result[key] for key in ("caravane", "bare", "reference") if key in result]
        lines += fanout.table(rows).splitlines()[0 if not lines else 2:]
        lines.append(f"  caravane p99 = {result.get('ratio_p99_bare', '-')}x bare Flask-SocketIO,"
                     f" {result.get('ratio_p99', '-')}x Node.js")
    return "\n".join(lines)

if __name__ == "__main__":
    main()
