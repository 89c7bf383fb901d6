"""Read the labelled corpora of questions: the tuning files the model learns from, and any other.

A corpus is a TSV file, `#` comment lines first, then the header
`id  labels  kind  text  dup_of  close_to` (kind and close_to may be missing, as in the first
corpus). The tuning corpora ship with the package in corpora/, one file per author, so that the
statistical model (classifier.py) can be trained where the app is installed, offline.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPORA = Path(__file__).with_name("corpora")
# One file per independent author: the unit a leave-one-author-out run leaves out. A held-out
# file is never listed here, so the model never learns from it.
TUNING_FILES = (
    "moderation_corpus.tsv",
    "assistant_tune.tsv",
    "assistant_test.tsv",
    "assistant_tune_a.tsv",
    "assistant_tune_b.tsv",
    "assistant_tune_c.tsv",
)


@dataclass(frozen=True)
class Row:
    id: int
    labels: frozenset[str]
    kind: str
    text: str
    dup_of: int | None
    close_to: int | None


def read_corpus(path: Path) -> list[Row]:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    rows = []
    for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        labels = frozenset(
            label.strip() for label in (record.get("labels") or "").split(",")
        ) - {"none", ""}
        rows.append(Row(
            int(record["id"]),
            labels,
            (record.get("kind") or "").strip(),
            record["text"],
            int(record["dup_of"]) if (record.get("dup_of") or "").strip() else None,
            int(record["close_to"]) if (record.get("close_to") or "").strip() else None,
        ))
    return rows


def tuning_paths() -> tuple[Path, ...]:
    return tuple(CORPORA / name for name in TUNING_FILES)


_training: tuple[Path, ...] | None = None
_forget: list[Callable[[], None]] = []


def on_training_change(forget: Callable[[], None]) -> None:
    """Register what was learned from the training files (a cache_clear), to be forgotten
    when they change."""
    _forget.append(forget)


def train_on(paths: Iterable[Path] | None) -> None:
    """Learn from these corpora from now on (None: the shipped tuning files). For
    leave-one-author-out measurements; the app never calls it."""
    global _training
    _training = tuple(paths) if paths is not None else None
    training_files.cache_clear()
    for forget in _forget:
        forget()


@lru_cache(maxsize=1)
def training_files() -> tuple[tuple[Row, ...], ...]:
    """The rows of each training file, file by file (ids are only unique within a file)."""
    paths = _training if _training is not None else tuning_paths()
    return tuple(tuple(read_corpus(path)) for path in paths)
