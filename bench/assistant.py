"""Time analyze() per incoming question against a board of 1,000 questions.

Usage: .venv/bin/python bench/assistant.py [--board 1000] [--questions 1000]

The board and the incoming questions are built from tests/data/moderation_corpus.tsv and
tests/data/assistant_tune.tsv (French, English, Arabic, Darija), varied programmatically
(place, opening, closing, typos) so that every text is distinct and incoming
texts are never in the caches. Prints a table, then one JSON line with the same figures.
Runtime is bounded: it stops timing after 45 s whatever the counts asked.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caravane.assistant import analyze, warm_up  # noqa: E402
from caravane.assistant.duplicates import signature  # noqa: E402

CORPORA = (ROOT / "tests" / "data" / "moderation_corpus.tsv",
           ROOT / "tests" / "data" / "assistant_tune.tsv")
TIME_BUDGET_S = 45.0
PLACES = ["à Roubaix", "à Lille", "à Calais", "dans la métropole", "au centre-ville",
          "près de la gare", "dans mon quartier", "au port", "sur la Grand-Place", "à l'Épeule"]
OPENINGS = ["", "Bonjour, ", "Question simple : ", "Monsieur le Maire, ", "Je me demande : ",
            "Concrètement, ", "Pour les habitants, ", "Franchement, ", "Madame la Préfète, "]
CLOSINGS = ["", " Merci.", " Merci de répondre clairement.", " Et depuis quand ?",
            " Et avec quel budget ?", " Qui en décide ?", " Et en 2026 ?", " (question du public)"]


def corpus_texts() -> list[str]:
    from caravane.assistant.corpus import read_corpus

    return [row.text for corpus in CORPORA for row in read_corpus(corpus)]


def typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters once, as a hurried phone keyboard does."""
    if len(text) < 10:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def variants(texts: list[str], count: int, seed: int, taken: set[str]) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    attempts = 0
    while len(out) < count and attempts < count * 50:
        attempts += 1
        base = rng.choice(texts).rstrip(" ?")
        text = f"{rng.choice(OPENINGS)}{base} {rng.choice(PLACES)} ?{rng.choice(CLOSINGS)}"
        if rng.random() < 0.3:
            text = typo(text, rng)
        if text not in taken:
            taken.add(text)
            out.append(text)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args()

    texts = corpus_texts()
    taken: set[str] = set()
    board = list(enumerate(variants(texts, args.board, seed=1, taken=taken), start=1))
    incoming = variants(texts, args.questions, seed=2, taken=taken)
    history = [text for _, text in board[:3]]

    started = time.perf_counter()
    warm_up()  # loads the lexicons, the language model and libphonenumber's metadata
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    for _, text in board:
        signature(text)  # what the board costs once, before the caches are warm
    warmup_s = time.perf_counter() - started

    timings_ms: list[float] = []
    flagged = 0
    deadline = time.perf_counter() + TIME_BUDGET_S
    for text in incoming:
        start = time.perf_counter()
        analysis = analyze(text, board=board, author_history=history)
        timings_ms.append((time.perf_counter() - start) * 1000)
        flagged += bool(analysis.flags)
        if time.perf_counter() > deadline:
            break

    total_s = sum(timings_ms) / 1000
    figures = {
        "board": len(board),
        "questions": len(timings_ms),
        "median_ms": round(statistics.median(timings_ms), 3),
        "p95_ms": round(percentile(timings_ms, 0.95), 3),
        "p99_ms": round(percentile(timings_ms, 0.99), 3),
        "max_ms": round(max(timings_ms), 3),
        "questions_per_s": round(len(timings_ms) / total_s, 1),
        "flagged_share": round(flagged / len(timings_ms), 3),
        "load_s": round(load_s, 3),
        "board_warmup_ms": round(warmup_s * 1000, 1),
    }
    print(f"analyze() on {figures['questions']} questions, board of {figures['board']}")
    print(f"{'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'questions/s':>12}")
    print(f"{figures['median_ms']:>10.3f} {figures['p95_ms']:>8.3f} {figures['p99_ms']:>8.3f} "
          f"{figures['max_ms']:>8.3f} {figures['questions_per_s']:>12.1f}")
    print(f"first call (lexicons, language model): {figures['load_s']} s; "
          f"board signatures once: {figures['board_warmup_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
