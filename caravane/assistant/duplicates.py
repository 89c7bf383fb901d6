"""Suggest earlier questions of the board that ask the same thing as a new one.

A question is reduced to the set of French Snowball stems of its content words (stop words of
lexicons/stopwords_fr.txt removed, synonyms of lexicons/synonyms_fr.txt merged), so word
order, accents, plurals and light paraphrase do not matter. rapidfuzz's plain ratio over the
sorted stems prefilters the whole board in C (token_set_ratio there cost 2.5 ms for 1,000
questions); token_set_ratio and a stem-set Jaccard index, tolerant to typos, then confirm.
A suggestion only: nothing is merged automatically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

from .data import data_lines
from .flags import Flag
from .normalize import plain

PREFILTER_SCORE = 55  # plain ratio over sorted stems: cheap, in C, over the whole board
MIN_SET_SCORE = 88  # token_set_ratio a suggestion needs
MIN_JACCARD = 0.6  # share of stems in common a suggestion needs
MIN_SHARED = 3  # stems in common a suggestion needs, unless both questions have the same stems
TYPO_SCORE = 85  # two stems this close (ratio) count as the same word
MAX_STEMS = 64  # a 10 kB question is compared on its first words only
# Questions about two different places of the tour are different questions, however alike.
PLACES = frozenset(("calais", "roubaix", "lill", "tourcoing", "dunkerqu", "paris", "grand-synth"))


@dataclass(frozen=True)
class Signature:
    key: str  # sorted distinct stems joined by spaces
    stems: frozenset[str]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(plain(word) for word in data_lines("stopwords_fr.txt"))


@lru_cache(maxsize=1)
def _synonyms() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for line in data_lines("synonyms_fr.txt"):
        canonical, _, variants = line.partition("\t")
        for variant in variants.split("|"):
            if plain(variant):
                mapping[plain(variant)] = plain(canonical)
    ordered = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\S)")
    return pattern, mapping


_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=8192)
def signature(text: str) -> Signature:
    """The stems a question is compared on (cached: the board is compared many times)."""
    pattern, mapping = _synonyms()
    words = pattern.sub(lambda m: mapping[m.group()], plain(text)).split()
    stops = stop_words()
    stems = [_stem(w) for w in words if w not in stops and (len(w) > 1 or w.isdigit())]
    distinct = frozenset(stems[: MAX_STEMS * 2])
    return Signature(" ".join(sorted(distinct)[:MAX_STEMS]), distinct)


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """Share of stems in common; a stem one typo away from another counts as shared.

    0 when the two name different places, or share too few stems to mean the same thing."""
    if not first or not second:
        return 0.0
    places, other_places = first & PLACES, second & PLACES
    if places and other_places and not places & other_places:
        return 0.0
    shared = len(first & second)
    only_second = second - first
    for stem in first - second:
        if len(stem) >= 4 and process.extractOne(
            stem, only_second, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE
        ):
            shared += 1
    if shared < MIN_SHARED and (first != second or len(first) < 2):
        return 0.0
    return shared / (len(first) + len(second) - shared)


def similarity(first: str, second: str) -> tuple[int, float]:
    """(token_set_ratio over stems 0..100, Jaccard 0..1) of two questions."""
    a, b = signature(first), signature(second)
    if not a.key or not b.key:
        return 0, 0.0
    return round(fuzz.token_set_ratio(a.key, b.key)), jaccard(a.stems, b.stems)


def find_duplicates(text: str, board: Sequence[tuple[int, str]], limit: int = 3) -> list[Flag]:
    """Up to `limit` earlier questions that look like the same question, best first."""
    if limit <= 0 or not board:
        return []
    mine = signature(text)
    if not mine.key:
        return []
    keys = [signature(other).key for _, other in board]
    candidates = process.extract(
        mine.key, keys, scorer=fuzz.ratio, score_cutoff=PREFILTER_SCORE, limit=None
    )
    best: dict[int, int] = {}
    for key, _, index in candidates:
        set_score = fuzz.token_set_ratio(mine.key, key)
        if set_score < MIN_SET_SCORE:
            continue
        question_id, other = board[index]
        share = jaccard(mine.stems, signature(other).stems)
        if share < MIN_JACCARD:
            continue
        score = round((set_score + 100 * share) / 2)
        if score > best.get(question_id, -1):
            best[question_id] = score
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Flag("duplicate", "similar", "", of=qid, score=score) for qid, score in ranked]
