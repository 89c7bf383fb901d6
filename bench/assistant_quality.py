"""Precision and recall of the moderation assistant on labelled corpora, with 95 % intervals.

Usage:
  .venv/bin/python bench/assistant_quality.py CORPUS.tsv [--lines] [--leave-out] [--kinds]
  .venv/bin/python bench/assistant_quality.py --loao [--kinds]

One corpus: per flag precision and recall with Wilson 95 % confidence intervals, duplicate
pairs found and suggestions right, close pairs wrongly merged, the share of plain questions
flagged. The model learns from every tuning file (caravane/assistant/corpus.py), so a tuning
file's figures are in-sample; --leave-out trains without that file. --lines also lists every
miss and false alarm; it is refused for a held-out corpus ("heldout" in its name), whose
questions nobody tuning the assistant may read. --kinds adds, per labelled kind, how many were
flagged.

--loao (leave one author out): for each tuning file in turn, train on the others and measure
that file, then pool the six. Aggregates only: a file left out is judged, never read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caravane.assistant.corpus import read_corpus, train_on, tuning_paths  # noqa: E402
from caravane.assistant.quality import (  # noqa: E402
    Report,
    format_kinds,
    format_report,
    measure,
    merge,
)

# Files whose lines were read while writing rules or lexicons: their leave-one-author-out
# figures still leave the model's training honest, but not the rules. Kept up to date by
# whoever reads one (docs/assistant.md tells when each was read).
READ_FOR_RULES = (
    "moderation_corpus.tsv",  # round 0 and 1
    "assistant_tune.tsv",  # round 1
    "assistant_tune_a.tsv",  # round 2: misses, false alarms and duplicate pairs
    "assistant_test.tsv",  # round 2: misses and false alarms of abuse, personal data, spam
)


def held_out(path: Path) -> bool:
    return "heldout" in path.name.lower()


def is_tuning(path: Path) -> bool:
    return path.resolve() in {p.resolve() for p in tuning_paths()}


def summary(name: str, report: Report) -> str:
    cells = " ".join(f"{code[:5]} P {c.precision:.2f} R {c.recall:.2f} |"
                     for code, c in report.codes.items())
    return (f"{name:<24} {cells} pairs {report.pairs_found_share:.2f} "
            f"right {report.suggestions_right_share:.2f} "
            f"plain {report.plain_flagged}/{report.plain} "
            f"harmless {report.harmless_flagged}/{report.harmless}")


def leave_one_author_out(kinds: bool) -> None:
    reports = []
    started = time.perf_counter()
    for left_out in tuning_paths():
        train_on(p for p in tuning_paths() if p != left_out)
        report = measure(read_corpus(left_out), keep_lines=False)
        reports.append(report)
        print(summary(left_out.name, report), flush=True)
    train_on(None)
    pooled = merge(reports)
    print(f"\npooled, each file measured while left out ({time.perf_counter() - started:.0f} s):")
    print(format_report(pooled))
    unread = [r for p, r in zip(tuning_paths(), reports, strict=True)
              if p.name not in READ_FOR_RULES]
    names = ", ".join(p.name for p in tuning_paths() if p.name not in READ_FOR_RULES)
    print(f"\npooled over the files never read for rules ({names}):")
    print(format_report(merge(unread)))
    if kinds:
        print(format_kinds(pooled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--lines", action="store_true", help="list misses (tuning corpus only)")
    parser.add_argument("--leave-out", action="store_true",
                        help="train the model without this (tuning) file")
    parser.add_argument("--loao", action="store_true", help="leave one author out, each file")
    parser.add_argument("--kinds", action="store_true", help="figures per labelled kind")
    args = parser.parse_args()
    if args.loao:
        if args.corpus or args.lines:
            parser.error("--loao takes no corpus and prints aggregates only")
        leave_one_author_out(args.kinds)
        return
    if args.corpus is None:
        parser.error("a corpus, or --loao")
    if args.lines and held_out(args.corpus):
        parser.error("--lines is refused for a held-out corpus: aggregate figures only")
    tuning = is_tuning(args.corpus)
    if args.leave_out:
        if not tuning:
            parser.error("--leave-out is for a tuning file")
        left_out = args.corpus.resolve()
        train_on(p for p in tuning_paths() if p.resolve() != left_out)
    rows = read_corpus(args.corpus)
    started = time.perf_counter()
    report = measure(rows, keep_lines=args.lines)
    elapsed = time.perf_counter() - started
    status = ("left out of the model's training" if args.leave_out
              else "in-sample: the model learned from it" if tuning else "not a tuning file")
    print(f"{args.corpus.name}: {len(rows)} questions ({status}), analysed in {elapsed:.1f} s")
    print(format_report(report, lines=args.lines))
    if args.kinds:
        print(format_kinds(report))


if __name__ == "__main__":
    main()
