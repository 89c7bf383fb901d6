"""Precision and recall of the moderation assistant on the labelled corpora of the tour.

Each question is analysed against a board made of the corpus questions before it, as on a
live stop (caravane/assistant/quality.py). `python bench/assistant_quality.py FILE` prints the
tables with 95 % confidence intervals.

Three kinds of guard:
- the six tuning files, one per author (caravane/assistant/corpora/, linked from tests/data):
  the model learns from them and rules were written from some, so their figures are
  in-sample: regression guards, not promises;
- leave one author out (slow): the model trained on five files, measured on the sixth, pooled;
- assistant_heldout2.tsv, by a seventh author, never read, measured once at the end of the
  second round of issue 10: its figures are the ones docs/assistant.md quotes. Its tests print
  no question.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from caravane.assistant.corpus import TUNING_FILES, read_corpus, train_on, tuning_paths
from caravane.assistant.quality import CONTENT_CODES, Report, measure, merge

DATA = Path(__file__).parents[1] / "data"
OLD = DATA / "moderation_corpus.tsv"
TUNE = DATA / "assistant_tune.tsv"


@lru_cache(maxsize=8)
def report(path: Path) -> Report:
    return measure(read_corpus(path))


def test_every_tuning_file_is_in_tests_data():
    for name in TUNING_FILES:
        assert (DATA / name).resolve() == (tuning_paths()[TUNING_FILES.index(name)]).resolve()


@pytest.mark.parametrize("name", TUNING_FILES)
def test_corpora_are_big_enough_and_well_formed(name):
    rows = read_corpus(DATA / name)
    ids = {row.id for row in rows}
    assert len(rows) >= 250 and len(ids) == len(rows)
    assert sum(not row.labels for row in rows) >= 140
    for row in rows:
        assert row.labels <= {*CONTENT_CODES, "duplicate"}
        assert ("duplicate" in row.labels) == (row.dup_of is not None)
        if row.dup_of is not None:
            assert row.dup_of in ids and row.dup_of < row.id


# In-sample figures (the model learned from every one of these files), set a little below what
# is reached. The first corpus labels only retyped questions as duplicates: an English or
# Arabic translation of a French question is not labelled a duplicate there, while issue 10
# asks that it be suggested, hence its lower precision of suggestions.
IN_SAMPLE_MIN = {  # file: (precision, recall) for every content code, pairs found, right
    "moderation_corpus.tsv": (0.95, 0.95, 0.9, 0.65),
    "assistant_tune.tsv": (0.95, 0.95, 0.9, 0.9),
    "assistant_test.tsv": (0.85, 0.9, 0.45, 0.6),
    "assistant_tune_a.tsv": (0.9, 0.9, 0.65, 0.9),
    "assistant_tune_b.tsv": (0.9, 0.9, 0.5, 0.9),
    "assistant_tune_c.tsv": (0.9, 0.9, 0.45, 0.9),
}


@pytest.mark.parametrize("name", TUNING_FILES)
def test_tuning_files_in_sample_do_not_regress(name):
    found = report(DATA / name)
    precision, recall, pairs, right = IN_SAMPLE_MIN[name]
    for code in CONTENT_CODES:
        counts = found.codes[code]
        assert counts.precision >= precision, (code, counts.false_alarms)
        assert counts.recall >= recall, (code, counts.misses)
    assert found.pairs_found_share >= pairs, found.missed_pairs
    assert found.suggestions_right_share >= right, found.wrong_suggestions


def test_tuning_file_plain_questions_stay_clean():
    found = report(TUNE)
    assert found.close_merged == 0
    assert found.plain_flagged_share <= 0.02, found.harmless_flags
    assert report(OLD).harmless_flagged_share <= 0.02, report(OLD).harmless_flags


# Leave one author out, pooled over the six files, a little below the figures of
# docs/assistant.md (abuse 0.93/0.95, personal data 0.96/0.96, spam 0.96/0.93, pairs 0.49,
# right 0.81): the model's ability to learn from five authors what the sixth will write.
LOAO_MIN = {"abuse": (0.9, 0.93), "personal_data": (0.93, 0.93), "spam": (0.93, 0.9)}
LOAO_MIN_PAIRS_FOUND = 0.45
LOAO_MIN_SUGGESTIONS_RIGHT = 0.77


@pytest.mark.slow
def test_leave_one_author_out_does_not_regress():
    reports = []
    try:
        for left_out in tuning_paths():
            train_on(path for path in tuning_paths() if path != left_out)
            reports.append(measure(read_corpus(left_out), keep_lines=False))
    finally:
        train_on(None)
    pooled = merge(reports)
    for code, (precision, recall) in LOAO_MIN.items():
        counts = pooled.codes[code]
        assert counts.precision >= precision, f"{code} precision {counts.precision:.3f}"
        assert counts.recall >= recall, f"{code} recall {counts.recall:.3f}"
    assert pooled.pairs_found_share >= LOAO_MIN_PAIRS_FOUND, f"{pooled.pairs_found_share:.3f}"
    assert pooled.suggestions_right_share >= LOAO_MIN_SUGGESTIONS_RIGHT


# Held-out corpus of the second round: a regression guard a little below the figures measured
# once, at the end (docs/assistant.md): abuse 0.90/0.93, personal data 0.96/0.98, spam
# 0.93/0.87, pairs found 6/30, suggestions right 6/9, close pairs merged 1/12, plain questions
# flagged 1/51. No question text is kept or printed: keep_lines=False.
HELD_OUT = DATA / "assistant_heldout2.tsv"
HELD_OUT_MIN = {"abuse": (0.85, 0.9), "personal_data": (0.92, 0.95), "spam": (0.88, 0.83)}
HELD_OUT_MIN_PAIRS_FOUND = 0.15
HELD_OUT_MIN_SUGGESTIONS_RIGHT = 0.55
HELD_OUT_MAX_CLOSE_MERGED = 2
HELD_OUT_MAX_PLAIN_FLAGGED = 0.04


@lru_cache(maxsize=1)
def held_out() -> Report:
    return measure(read_corpus(HELD_OUT), keep_lines=False)


def test_the_held_out_file_is_not_learned_from():
    assert HELD_OUT.name not in TUNING_FILES


@pytest.mark.parametrize("code", CONTENT_CODES)
def test_held_out_precision_and_recall_do_not_regress(code):
    counts = held_out().codes[code]
    precision, recall = HELD_OUT_MIN[code]
    assert counts.precision >= precision, f"{code} precision {counts.precision:.3f}"
    assert counts.recall >= recall, f"{code} recall {counts.recall:.3f}"


def test_held_out_duplicates_and_plain_questions_do_not_regress():
    found = held_out()
    assert found.pairs_found_share >= HELD_OUT_MIN_PAIRS_FOUND, f"{found.pairs_found_share:.3f}"
    assert found.suggestions_right_share >= HELD_OUT_MIN_SUGGESTIONS_RIGHT, (
        f"{found.suggestions_right_share:.3f}")
    assert found.close_merged <= HELD_OUT_MAX_CLOSE_MERGED, f"{found.close_merged}"
    assert found.plain_flagged_share <= HELD_OUT_MAX_PLAIN_FLAGGED, (
        f"{found.plain_flagged_share:.3f}")
