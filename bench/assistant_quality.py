"""Precision and recall of the moderation assistant on a labelled corpus, with 95 % intervals.

Usage: .venv/bin/python bench/assistant_quality.py CORPUS.tsv [--lines]

Prints aggregate figures only: per flag precision and recall with Wilson 95 % confidence
intervals, duplicate pairs found and suggestions right, close pairs wrongly merged, and the
share of plain questions flagged. --lines also lists every miss and false alarm: for a tuning
corpus only. It is refused for a held-out (test) corpus, whose questions nobody tuning the
assistant may read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caravane.assistant.quality import format_report, measure, read_corpus  # noqa: E402


def held_out(path: Path) -> bool:
    return "test" in path.name.lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--lines", action="store_true", help="list misses (tuning corpus only)")
    args = parser.parse_args()
    if args.lines and held_out(args.corpus):
        parser.error("--lines is refused for a held-out corpus: aggregate figures only")
    rows = read_corpus(args.corpus)
    started = time.perf_counter()
    report = measure(rows, keep_lines=args.lines)
    elapsed = time.perf_counter() - started
    print(f"{args.corpus.name}: {len(rows)} questions, analysed in {elapsed:.1f} s")
    print(format_report(report, lines=args.lines))


if __name__ == "__main__":
    main()
