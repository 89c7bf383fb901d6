"""Precision and recall of the moderation assistant on the labelled corpora of the tour.

Each question is analysed against a board made of the corpus questions before it, as on a
live stop (caravane/assistant/quality.py). `python bench/assistant_quality.py FILE` prints the
tables with 95 % confidence intervals.

Three corpora, three kinds of guard:
- moderation_corpus.tsv, written by the first lexicons' authors (in-sample: a regression
  guard, not a promise);
- assistant_tune.tsv, written for issue 10 by an author who never read the rules, then used to
  tune them (in-sample too);
- assistant_test.tsv, written for issue 10 by another author, never read while tuning: its
  figures are the ones docs/assistant.md quotes. Its test prints no question.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from caravane.assistant.corpus import read_corpus
from caravane.assistant.quality import CONTENT_CODES, Report, measure

DATA = Path(__file__).parents[1] / "data"
OLD = DATA / "moderation_corpus.tsv"
TUNE = DATA / "assistant_tune.tsv"

# Old corpus, set from what the assistant reaches there, slightly below. Its duplicates count
# only retyped questions: an English or Arabic translation of a French question is not
# labelled a duplicate there, while issue 10 asks that it be suggested, hence the lower
# precision of suggestions and the harmless share counted without duplicate suggestions.
OLD_MIN = {"abuse": (0.95, 0.95), "personal_data": (0.95, 0.95), "spam": (0.95, 0.95)}
OLD_MIN_PAIRS_FOUND = 0.9
OLD_MIN_SUGGESTIONS_RIGHT = 0.65
OLD_MAX_HARMLESS_FLAGGED = 0.02
# Tuning corpus (in-sample), slightly below what is reached.
TUNE_MIN = {"abuse": (0.95, 0.95), "personal_data": (0.95, 0.95), "spam": (0.95, 0.95)}
TUNE_MIN_PAIRS_FOUND = 0.85
TUNE_MIN_SUGGESTIONS_RIGHT = 0.9
TUNE_MAX_PLAIN_FLAGGED = 0.02


@lru_cache(maxsize=4)
def report(path: Path) -> Report:
    return measure(read_corpus(path))


def test_old_corpus_is_big_enough_and_well_formed():
    rows = read_corpus(OLD)
    ids = {row.id for row in rows}
    assert len(rows) >= 300 and len(ids) == len(rows)
    assert sum(not row.labels for row in rows) >= 150
    for row in rows:
        assert row.labels <= {*CONTENT_CODES, "duplicate"}
        assert ("duplicate" in row.labels) == (row.dup_of is not None)
        if row.dup_of is not None:
            assert row.dup_of in ids and row.dup_of < row.id


@pytest.mark.parametrize("code", CONTENT_CODES)
def test_old_corpus_precision_and_recall(code):
    counts = report(OLD).codes[code]
    precision, recall = OLD_MIN[code]
    assert counts.precision >= precision, counts.false_alarms
    assert counts.recall >= recall, counts.misses


def test_old_corpus_duplicates():
    found = report(OLD)
    assert found.pairs_found_share >= OLD_MIN_PAIRS_FOUND, found.missed_pairs
    assert found.suggestions_right_share >= OLD_MIN_SUGGESTIONS_RIGHT, found.wrong_suggestions
    assert found.harmless_flagged_share <= OLD_MAX_HARMLESS_FLAGGED, found.harmless_flags


@pytest.mark.parametrize("code", CONTENT_CODES)
def test_tuning_corpus_precision_and_recall(code):
    counts = report(TUNE).codes[code]
    precision, recall = TUNE_MIN[code]
    assert counts.precision >= precision, counts.false_alarms
    assert counts.recall >= recall, counts.misses


def test_tuning_corpus_duplicates_and_plain_questions():
    found = report(TUNE)
    assert found.pairs_found_share >= TUNE_MIN_PAIRS_FOUND, found.missed_pairs
    assert found.suggestions_right_share >= TUNE_MIN_SUGGESTIONS_RIGHT, found.wrong_suggestions
    assert found.close_merged == 0
    assert found.plain_flagged_share <= TUNE_MAX_PLAIN_FLAGGED, found.harmless_flags


# Held-out corpus: a regression guard a little below the figures measured once, at the end of
# issue 10's tuning (docs/assistant.md). No question text is kept or printed: keep_lines=False.
TEST = DATA / "assistant_test.tsv"
TEST_MIN = {"abuse": (0.95, 0.62), "personal_data": (0.90, 0.75), "spam": (0.80, 0.70)}
TEST_MIN_PAIRS_FOUND = 0.25
TEST_MIN_SUGGESTIONS_RIGHT = 0.5
TEST_MAX_CLOSE_MERGED = 4
TEST_MAX_PLAIN_FLAGGED = 0.08


@lru_cache(maxsize=1)
def held_out() -> Report:
    return measure(read_corpus(TEST), keep_lines=False)


@pytest.mark.parametrize("code", CONTENT_CODES)
def test_held_out_precision_and_recall_do_not_regress(code):
    counts = held_out().codes[code]
    precision, recall = TEST_MIN[code]
    assert counts.precision >= precision, f"{code} precision {counts.precision:.3f}"
    assert counts.recall >= recall, f"{code} recall {counts.recall:.3f}"


def test_held_out_duplicates_and_plain_questions_do_not_regress():
    found = held_out()
    assert found.pairs_found_share >= TEST_MIN_PAIRS_FOUND, f"{found.pairs_found_share:.3f}"
    assert found.suggestions_right_share >= TEST_MIN_SUGGESTIONS_RIGHT, (
        f"{found.suggestions_right_share:.3f}")
    assert found.close_merged <= TEST_MAX_CLOSE_MERGED, f"{found.close_merged}"
    assert found.plain_flagged_share <= TEST_MAX_PLAIN_FLAGGED, f"{found.plain_flagged_share:.3f}"
